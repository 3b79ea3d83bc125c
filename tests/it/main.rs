//! The one integration-test binary: runs the real `libsql-shell` binary against local
//! databases and the in-repo Hrana test server.

mod config;
mod cursor;
mod deployments;
mod dump;
mod dump_property;
mod exec;
mod formats;
mod generated;
mod harness;
mod hostile;
mod hostile_input;
mod http;
mod import;
mod keepalive;
mod layout;
mod libsql;
mod migrate;
mod official_client;
mod readme;
mod repl;
mod replica;
mod server;
mod session;
mod shell;
mod sqlite3;
mod tls;
mod trace;
mod ws;
