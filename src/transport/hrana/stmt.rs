//! Statements, batches and their results as Hrana encodes them (shared by the HTTP
//! pipeline, the cursor and WebSocket requests), and their conversions to the transport's
//! own request and outcome types.

use serde::{Deserialize, Serialize};

use super::replication::{de_opt_index, ser_opt_index};
use super::value::{de_opt_i64_lenient, ser_opt_i64_str, WireValue};
use crate::transport::request::{Batch, Cond, SqlError, StepOutcome, Stmt};
use crate::value::{Column, StmtSummary, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedArg {
    pub name: String,
    pub value: WireValue,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct WireStmt {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql_id: Option<i32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<WireValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub named_args: Vec<NamedArg>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub want_rows: Option<bool>,
    /// Wait until the replica has this frame (sqld; absent unless an answer carried one).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_opt_index",
        deserialize_with = "de_opt_index"
    )]
    pub replication_index: Option<u64>,
}

impl From<&Stmt> for WireStmt {
    fn from(s: &Stmt) -> Self {
        WireStmt {
            sql: Some(s.sql.clone()),
            sql_id: None,
            args: s.args.iter().map(WireValue::from).collect(),
            named_args: s
                .named_args
                .iter()
                .map(|(n, v)| NamedArg {
                    name: n.clone(),
                    value: v.into(),
                })
                .collect(),
            want_rows: Some(s.want_rows),
            replication_index: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WireCond {
    Ok {
        step: u32,
    },
    Error {
        step: u32,
    },
    Not {
        cond: Box<WireCond>,
    },
    And {
        conds: Vec<WireCond>,
    },
    Or {
        conds: Vec<WireCond>,
    },
    IsAutocommit {},
    #[serde(other)]
    Unknown,
}

impl From<&Cond> for WireCond {
    fn from(c: &Cond) -> Self {
        match c {
            Cond::Ok(i) => WireCond::Ok { step: *i as u32 },
            Cond::Error(i) => WireCond::Error { step: *i as u32 },
            Cond::Not(c) => WireCond::Not {
                cond: Box::new(c.as_ref().into()),
            },
            Cond::And(cs) => WireCond::And {
                conds: cs.iter().map(Into::into).collect(),
            },
            Cond::Or(cs) => WireCond::Or {
                conds: cs.iter().map(Into::into).collect(),
            },
            Cond::IsAutocommit => WireCond::IsAutocommit {},
        }
    }
}

impl WireCond {
    pub fn to_cond(&self) -> Result<Cond, String> {
        Ok(match self {
            WireCond::Ok { step } => Cond::Ok(*step as usize),
            WireCond::Error { step } => Cond::Error(*step as usize),
            WireCond::Not { cond } => !(cond.to_cond()?),
            WireCond::And { conds } => Cond::And(
                conds
                    .iter()
                    .map(|c| c.to_cond())
                    .collect::<Result<_, _>>()?,
            ),
            WireCond::Or { conds } => Cond::Or(
                conds
                    .iter()
                    .map(|c| c.to_cond())
                    .collect::<Result<_, _>>()?,
            ),
            WireCond::IsAutocommit {} => Cond::IsAutocommit,
            WireCond::Unknown => return Err("unknown batch condition type".into()),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireBatchStep {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<WireCond>,
    pub stmt: WireStmt,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct WireBatch {
    pub steps: Vec<WireBatchStep>,
    /// Wait until the replica has this frame (sqld; absent unless an answer carried one).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_opt_index",
        deserialize_with = "de_opt_index"
    )]
    pub replication_index: Option<u64>,
}

impl From<&Batch> for WireBatch {
    fn from(b: &Batch) -> Self {
        WireBatch {
            steps: b
                .steps
                .iter()
                .map(|s| WireBatchStep {
                    condition: s.condition.as_ref().map(Into::into),
                    stmt: (&s.stmt).into(),
                })
                .collect(),
            replication_index: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct WireCol {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub decltype: Option<String>,
}

impl From<&Column> for WireCol {
    fn from(c: &Column) -> Self {
        WireCol {
            name: Some(c.name.clone()),
            decltype: c.decltype.clone(),
        }
    }
}

impl From<WireCol> for Column {
    fn from(c: WireCol) -> Self {
        Column {
            name: c.name.unwrap_or_default(),
            decltype: c.decltype,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct WireStmtResult {
    #[serde(default)]
    pub cols: Vec<WireCol>,
    #[serde(default)]
    pub rows: Vec<Vec<WireValue>>,
    #[serde(default)]
    pub affected_row_count: u64,
    #[serde(
        default,
        serialize_with = "ser_opt_i64_str",
        deserialize_with = "de_opt_i64_lenient"
    )]
    pub last_insert_rowid: Option<i64>,
    /// The frame the server's database had reached (sqld: a string; a number is read too).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de_opt_index"
    )]
    pub replication_index: Option<u64>,
}

impl WireStmtResult {
    /// The summary part of a result (rows are converted separately, as they stream).
    pub fn summary(&self) -> StmtSummary {
        StmtSummary {
            cols: self.cols.iter().cloned().map(Column::from).collect(),
            rows_returned: self.rows.len() as u64,
            affected_row_count: self.affected_row_count,
            last_insert_rowid: self.last_insert_rowid,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireError {
    pub message: String,
    #[serde(default)]
    pub code: Option<String>,
}

/// Server errors are brought to the form a local SQLite reports, so the same failure reads
/// the same on every transport: sqld prefixes SQLite's message with "SQLite error: " and
/// reports plain `SQLITE_ERROR` as `SQLITE_UNKNOWN`.
impl From<WireError> for SqlError {
    fn from(e: WireError) -> Self {
        let message = match e.message.strip_prefix("SQLite error: ") {
            Some(m) => m.to_string(),
            None => e.message,
        };
        let code = match e.code.as_deref() {
            Some("SQLITE_UNKNOWN") => Some("SQLITE_ERROR".to_string()),
            _ => e.code,
        };
        SqlError { message, code }
    }
}

impl From<&SqlError> for WireError {
    fn from(e: &SqlError) -> Self {
        WireError {
            message: e.message.clone(),
            code: e.code.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct WireBatchResult {
    #[serde(default)]
    pub step_results: Vec<Option<WireStmtResult>>,
    #[serde(default)]
    pub step_errors: Vec<Option<WireError>>,
    /// The frame the server's database had reached (sqld: a string; a number is read too).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de_opt_index"
    )]
    pub replication_index: Option<u64>,
}

/// Convert a batch result into per-step outcomes.
pub fn batch_outcomes(r: &WireBatchResult, steps: usize) -> Vec<StepOutcome> {
    (0..steps)
        .map(|i| {
            if let Some(Some(e)) = r.step_errors.get(i) {
                StepOutcome::Err(e.clone().into())
            } else if let Some(Some(res)) = r.step_results.get(i) {
                StepOutcome::Ok(res.summary())
            } else {
                StepOutcome::Skipped
            }
        })
        .collect()
}

/// Convert a row of wire values, which must have one value per column: a server that sends
/// another number is not believed (the layers above index rows by column).
pub fn row_values(row: Vec<WireValue>, columns: usize) -> Result<Vec<Value>, String> {
    if row.len() != columns {
        return Err(format!(
            "the server sent a row of {} value(s) for {columns} column(s)",
            row.len()
        ));
    }
    row.into_iter().map(WireValue::into_value).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_serialize_as_hrana() {
        let c = Cond::And(vec![Cond::Ok(1), !(Cond::IsAutocommit)]);
        let j = serde_json::to_string(&WireCond::from(&c)).unwrap();
        assert_eq!(
            j,
            r#"{"type":"and","conds":[{"type":"ok","step":1},{"type":"not","cond":{"type":"is_autocommit"}}]}"#
        );
        let back: WireCond = serde_json::from_str(&j).unwrap();
        assert_eq!(back.to_cond().unwrap(), c);
    }
}
