// Drives the official @libsql/client against a Hrana server and prints a JSON summary on
// stdout; tests/it/official_client.rs runs it against the in-repo test server.
//
// Usage: node tests/node/check.mjs <url> [token]
//   http://… speaks Hrana 2 over HTTP (/v2/pipeline, store_sql + sql_id in batches);
//   ws://…   speaks Hrana over WebSocket (hrana2).
import { createClient } from "@libsql/client";

const [url, token] = process.argv.slice(2);
if (!url) {
  console.error("usage: node check.mjs <url> [token]");
  process.exit(2);
}

const table = url.startsWith("ws") ? "node_ws" : "node_http";
const client = createClient({ url, authToken: token || undefined, intMode: "bigint" });

const show = (v) => {
  if (typeof v === "bigint") return { integer: v.toString() };
  if (v instanceof ArrayBuffer) return { blob: Array.from(new Uint8Array(v)) };
  return v;
};
const count = async () => (await client.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0].n.toString();

const summary = { url: url.replace(/:\/\/.*$/, "://…"), protocol: client.protocol };

await client.execute(`CREATE TABLE ${table} (i INTEGER, r REAL, t TEXT, b BLOB, n)`);
const ins = await client.execute({
  sql: `INSERT INTO ${table} VALUES (?, ?, ?, ?, ?)`,
  args: [9223372036854775807n, 2.5, "héllo", new Uint8Array([0, 1, 255]), null],
});
summary.insert = { rowsAffected: ins.rowsAffected, lastInsertRowid: ins.lastInsertRowid?.toString() };

const sel = await client.execute({ sql: `SELECT i, r, t, b, n FROM ${table} WHERE t = :t`, args: { t: "héllo" } });
summary.select = { columns: sel.columns, row: Array.from(sel.rows[0]).map(show) };

// batch(): one transaction (store_sql for each text over HTTP, then a conditioned batch).
const res = await client.batch(
  [
    { sql: `INSERT INTO ${table}(i) VALUES (?)`, args: [10n] },
    { sql: `INSERT INTO ${table}(i) VALUES (?)`, args: [11n] },
    `SELECT count(*) FROM ${table}`,
  ],
  "write",
);
summary.batch = { results: res.length, countInBatch: res[2].rows[0][0].toString() };

// A failing batch is rolled back as a whole.
try {
  await client.batch([`INSERT INTO ${table}(i) VALUES (12)`, "INSERT INTO no_such_table VALUES (1)"], "write");
  summary.failedBatch = "no error";
} catch (e) {
  summary.failedBatch = { code: e.code ?? null, countAfter: await count() };
}

// Interactive transactions: rollback, then commit.
const tx = await client.transaction("write");
await tx.execute(`INSERT INTO ${table}(i) VALUES (20)`);
const inside = (await tx.execute(`SELECT count(*) FROM ${table}`)).rows[0][0].toString();
await tx.rollback();
summary.rollback = { inside, after: await count() };

const tx2 = await client.transaction("write");
await tx2.execute(`INSERT INTO ${table}(i) VALUES (21)`);
await tx2.commit();
summary.commit = { after: await count() };

// A statement error surfaces with sqld's code.
try {
  await client.execute("SELECT * FROM no_such_table");
  summary.error = "no error";
} catch (e) {
  summary.error = { code: e.code ?? null, message: String(e.message) };
}

client.close();
console.log(JSON.stringify(summary));
