// Runs drizzle-orm's own libSQL migrator (drizzle-orm/libsql/migrator, over @libsql/client)
// against a database and prints a JSON summary: the __drizzle_migrations rows before and
// after, and the error if it threw. tests/it/migrate/tools.rs runs it after
// `libsql-shell migrate up`, from the folder regenerate.sh installed the packages into.
//
// Usage: node migrator.mjs <url> <migrations folder>
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";

const [url, migrationsFolder] = process.argv.slice(2);
if (!url || !migrationsFolder) {
  console.error("usage: node migrator.mjs <url> <migrations folder>");
  process.exit(2);
}
const client = createClient({ url });
const db = drizzle(client);
const rows = async () =>
  (await client.execute("SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at")).rows.map(
    (r) => [String(r.hash), Number(r.created_at)],
  );
const summary = { before: await rows() };
try {
  await migrate(db, { migrationsFolder });
  summary.error = null;
} catch (e) {
  summary.error = String(e?.message ?? e);
}
summary.after = await rows();
client.close();
console.log(JSON.stringify(summary));
