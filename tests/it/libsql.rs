//! libSQL's own SQL works the same on a local file and on the test server (HTTP and
//! WebSocket), which both run libSQL's engine: vector types, functions and indexes,
//! `RANDOM ROWID`, `ALTER TABLE … ALTER COLUMN`.

use crate::harness::{Backend, Db};

/// The statements of issue 14 that stock SQLite rejects and sqld runs, with their output.
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
