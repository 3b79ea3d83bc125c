//! libSQL's own SQL works the same on a local file and on the test server (HTTP and
//! WebSocket), which both run libSQL's engine: vector types, functions and indexes,
//! `RANDOM ROWID`, `ALTER TABLE … ALTER COLUMN`.

use crate::dump::{file_of, snapshot};
use crate::harness::{Backend, Db};

/// The libSQL statements that stock SQLite rejects and sqld runs, with their output.
const SCRIPT: &str = "\
create table docs(id integer primary key, emb F32_BLOB(3));
insert into docs values (1, vector32('[1,0,0]')), (2, vector32('[0,1,0]')), (3, vector32('[0.9,0.1,0]'));
create index docs_idx on docs(libsql_vector_idx(emb));
select id from vector_top_k('docs_idx', vector32('[1,0,0]'), 2);
select id, round(vector_distance_cos(emb, vector32('[1,0,0]')), 6), vector_extract(emb) from docs order by id;
create table r(x) random rowid;
insert into r values ('a'), ('b');
select count(*), count(distinct rowid), min(rowid) <> 1 from r;
create table alt(a, b);
insert into alt values (1, NULL);
alter table alt alter column b to b text not null default '';
select sql from sqlite_schema where name = 'alt';
";

const OUTPUT: &str = "\
1
3
1|0.0|[1,0,0]
2|1.0|[0,1,0]
3|0.006116|[0.9,0.1,0]
2|2|1
CREATE TABLE alt(a, b text not null default '')
";

#[test]
fn libsql_statements_give_the_same_output_on_every_transport() {
    for backend in [Backend::Local, Backend::Http, Backend::Ws] {
        let db = Db::new(backend);
        let out = db.exec(["-m", "list"]).stdin(SCRIPT).run();
        assert_eq!(out.ok(), OUTPUT, "{backend:?}");
    }
}

/// A table of 4-dimensional vectors with a vector index, and the queries to ask it. Rows are
/// only inserted: after deletes and updates libSQL's search (which starts at a random node)
/// was seen to return different neighbours from one run to the next on the same file.
fn build_vectors(db: &Db) {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut vector = || {
        let parts: Vec<String> = (0..4)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                format!("{:.3}", (x % 2_001) as f64 / 1_000.0 - 1.0)
            })
            .collect();
        format!("vector32('[{}]')", parts.join(","))
    };
    let mut sql = String::from(
        "CREATE TABLE docs(id INTEGER PRIMARY KEY, emb F32_BLOB(4), note TEXT);\n\
         CREATE INDEX docs_idx ON docs(libsql_vector_idx(emb));\n",
    );
    for i in 1..=60 {
        sql.push_str(&format!(
            "INSERT INTO docs VALUES ({i}, {}, 'n{i}');\n",
            vector()
        ));
    }
    // The queries, kept in the database so every copy answers the same ones.
    sql.push_str("CREATE TABLE q(n INTEGER PRIMARY KEY, v BLOB);\n");
    for n in 0..12 {
        sql.push_str(&format!("INSERT INTO q VALUES ({n}, {});\n", vector()));
    }
    db.sql(&format!("BEGIN;\n{sql}COMMIT;"));
}

/// The 5 nearest neighbours of each stored query, through the database's own transport.
fn neighbours(db: &Db) -> String {
    let out = db
        .exec([
            "-m",
            "list",
            "SELECT n, (SELECT group_concat(id) FROM vector_top_k('docs_idx', q.v, 5)) FROM q ORDER BY n",
        ])
        .run();
    out.ok().to_string()
}

fn dump_of(db: &Db, args: &[&str]) -> String {
    let out = crate::harness::shell()
        .arg("dump")
        .arg(db.target())
        .args(args)
        .run();
    out.ok().to_string()
}

fn restore(text: &str, copy: &Db) {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("dump.sql");
    std::fs::write(&script, text).unwrap();
    let out = crate::harness::shell()
        .arg("batch")
        .arg(copy.target())
        .arg(&script)
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// The restored index is live: a new row equal to query 0 is its nearest neighbour.
fn index_is_live(db: &Db) {
    let out = db
        .exec([
            "-m",
            "list",
            "INSERT INTO docs(id, emb) SELECT 5000, v FROM q WHERE n = 0",
            "SELECT id FROM vector_top_k('docs_idx', (SELECT v FROM q WHERE n = 0), 1)",
        ])
        .run();
    assert_eq!(out.ok(), "5000\n", "{:?}", db.backend);
}

/// A whole-database dump keeps the index's shadow tables (`libsql_vector_meta_shadow`,
/// `docs_idx_shadow`) with their rows, before `CREATE INDEX … libsql_vector_idx`: libSQL
/// finds the index's parameters already there and does not rebuild it, so the restored
/// index is the same graph, row for row, and `vector_top_k` gives the same ids. Restored on
/// every transport; each copy dumped through its own transport gives the same text.
#[test]
fn a_vector_index_dumps_and_restores_with_the_same_neighbours_on_every_transport() {
    let db = Db::new(Backend::Local);
    build_vectors(&db);
    let want = neighbours(&db);
    assert_eq!(want.lines().count(), 12, "{want}");
    for _ in 0..3 {
        assert_eq!(
            neighbours(&db),
            want,
            "the search is repeatable on this data"
        );
    }
    let text = dump_of(&db, &[]);
    assert!(text.contains("\nCREATE TABLE libsql_vector_meta_shadow "));
    assert!(text.contains("\nINSERT INTO libsql_vector_meta_shadow VALUES('docs_idx',X'"));
    let last_shadow_row = text.rfind("\nINSERT INTO docs_idx_shadow VALUES(").unwrap();
    let create_index = text
        .find("\nCREATE INDEX docs_idx ON docs(libsql_vector_idx(emb));\n")
        .unwrap();
    assert!(last_shadow_row < create_index);
    // Byte-identical to stock sqlite3's .dump of the same file.
    assert_eq!(text, crate::dump::sqlite3(&file_of(&db), &[".dump"], None));
    let original = snapshot(&file_of(&db));
    for backend in [Backend::Local, Backend::Http, Backend::Ws] {
        let copy = Db::new(backend);
        restore(&text, &copy);
        assert_eq!(snapshot(&file_of(&copy)), original, "{backend:?}");
        assert_eq!(neighbours(&copy), want, "restored on {backend:?}");
        assert_eq!(dump_of(&copy, &[]), text, "the copy's dump on {backend:?}");
        index_is_live(&copy);
    }
}

/// A dump of some tables, or of rows only, leaves the shadow tables out (with a comment):
/// loaded next to the index's own CREATE INDEX or an existing index, they would collide
/// with the rows the index writes itself. The index rebuilds them.
#[test]
fn dumps_of_some_tables_or_of_rows_leave_the_shadow_tables_to_the_index() {
    let db = Db::new(Backend::Local);
    build_vectors(&db);
    let rows = db.query_strings("SELECT count(*) FROM docs");
    for args in [&["docs"][..], &["docs%"], &["docs", "q"]] {
        let text = dump_of(&db, args);
        assert!(!text.contains("INSERT INTO docs_idx_shadow"), "{args:?}");
        assert!(
            !text.contains("INSERT INTO libsql_vector_meta_shadow"),
            "{args:?}"
        );
        if args.contains(&"docs%") {
            assert!(text.contains(
                "-- skipped docs_idx_shadow: a vector index's shadow table, rebuilt by its index\n"
            ));
        }
        if args.contains(&"q") {
            let copy = Db::new(Backend::Local);
            restore(&text, &copy);
            assert_eq!(
                copy.query_strings("SELECT count(*) FROM docs_idx_shadow"),
                rows
            );
            index_is_live(&copy);
        }
    }
    // --schema-only, then --data-only: the rows go through the index created by the schema.
    let copy = Db::new(Backend::Http);
    restore(&dump_of(&db, &["--schema-only"]), &copy);
    let data = dump_of(&db, &["--data-only"]);
    assert!(data.starts_with(
        "-- skipped libsql_vector_meta_shadow: a vector index's shadow table, rebuilt by its index\n\
         -- skipped docs_idx_shadow: a vector index's shadow table, rebuilt by its index\n"
    ));
    restore(&data, &copy);
    assert_eq!(
        copy.query_strings("SELECT count(*) FROM docs_idx_shadow"),
        rows
    );
    index_is_live(&copy);
}
