//! The batch a group of statements is sent as: each step conditioned on the previous one
//! (in stop mode, or for a statement chained to the one before it), steps inside a transaction guarded by `not(is_autocommit)` where the
//! server can evaluate it, and a ROLLBACK after each COMMIT that runs when the COMMIT did
//! not succeed (skipped or failed), so a failure never leaves half a transaction behind.

use super::item::Item;
use crate::sql::StmtKind;
use crate::transport::{BatchStep, Cond, Stmt};

/// The steps for `items`, and for each step the item it runs (`None`: the session's own
/// ROLLBACK step).
pub fn build(
    items: &[Item],
    stop_on_error: bool,
    autocommit_queries: bool,
) -> (Vec<BatchStep>, Vec<Option<usize>>) {
    let guard = autocommit_queries && stop_on_error;
    let mut steps: Vec<BatchStep> = Vec::with_capacity(items.len() + 2);
    let mut step_item: Vec<Option<usize>> = Vec::with_capacity(items.len() + 2);
    let mut prev_user: Option<usize> = None;
    for (k, item) in items.iter().enumerate() {
        let mut conds = Vec::new();
        if stop_on_error || item.chained {
            if let Some(p) = prev_user {
                conds.push(Cond::Ok(p));
            }
        }
        let starts_tx = matches!(item.kind, StmtKind::Begin(_))
            || (matches!(item.kind, StmtKind::Savepoint(_)) && !item.in_tx);
        if guard && item.in_tx && !starts_tx {
            conds.push(!Cond::IsAutocommit);
        }
        let condition = match conds.len() {
            0 => None,
            1 => conds.pop(),
            _ => Some(Cond::And(conds)),
        };
        let idx = steps.len();
        steps.push(BatchStep {
            condition,
            stmt: item.stmt.clone(),
        });
        step_item.push(Some(k));
        prev_user = Some(idx);
        let ends_tx = item.in_tx && !item.in_tx_after;
        if ends_tx && matches!(item.kind, StmtKind::Commit | StmtKind::Release(_)) {
            steps.push(BatchStep {
                condition: Some(!Cond::Ok(idx)),
                stmt: Stmt::no_rows("ROLLBACK"),
            });
            step_item.push(None);
        }
    }
    (steps, step_item)
}
