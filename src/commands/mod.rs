//! One module per subcommand. Each has its clap `Args` struct and a `run` function.

pub mod batch;
pub mod config;
pub mod dump;
pub mod exec;
pub mod generate;
pub mod import;
pub mod migrate;
pub mod shell;
