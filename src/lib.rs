//! libsql-shell: a SQL shell for libSQL and Turso databases, local or remote.
//!
//! The binary's `main.rs` parses arguments and dispatches to [`commands`]; everything else
//! lives here so the integration tests (and the in-repo Hrana test server) can use it.

pub mod cli;
pub mod color;
pub mod commands;
pub mod config;
pub mod connect;
pub mod dump;
pub mod engine;
pub mod error;
pub mod feed;
#[cfg(test)]
pub(crate) mod fuzz;
pub mod import;
pub mod migrate;
pub mod params;
pub mod render;
pub mod results;
pub mod session;
pub mod sql;
pub mod target;
pub mod token;
pub mod transport;
pub mod value;
