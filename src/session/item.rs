//! A statement the session holds: what it is, where it came from, and whether it runs
//! inside a transaction.

use super::output::Origin;
use crate::sql::StmtKind;
use crate::transport::Stmt;

#[derive(Debug)]
pub struct Item {
    pub stmt: Stmt,
    pub origin: Origin,
    pub kind: StmtKind,
    /// Inside a transaction when it runs.
    pub in_tx: bool,
    /// Inside a transaction after it ran.
    pub in_tx_after: bool,
    /// Runs only if the statement submitted before it succeeded, when both go in one
    /// request (the shell's statements of one input line, as sqlite3 runs them).
    pub chained: bool,
}
