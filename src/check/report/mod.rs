//! The formats `check` reports in. Each turns an [`Assessment`] into text.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod progress;
pub mod sarif;

use super::Assessment;
use crate::diag::Finding;

/// A finding's place as `file:line:column`, or what of it is known.
pub fn place(f: &Finding) -> Option<String> {
    let loc = f.location.as_ref()?;
    Some(match loc.pos {
        Some(p) => format!("{}:{}:{}", loc.file, p.line, p.column),
        None => loc.file.clone(),
    })
}

/// The overall verdict in a sentence.
pub fn verdict(a: &Assessment, deny_warnings: bool) -> String {
    let due = a.due();
    let met = a.count(super::Status::Met);
    if a.fails(deny_warnings) {
        format!(
            "FAIL: {} error(s), {} warning(s); {met} of {due} due clauses met",
            a.errors(),
            a.warnings()
        )
    } else {
        format!(
            "PASS: {met} of {due} due clauses met; {} warning(s)",
            a.warnings()
        )
    }
}
