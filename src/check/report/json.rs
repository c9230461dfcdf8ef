//! `--format json`: the assessment as one JSON document, schema
//! `bsrmp.check/1` (docs/schemas/check.schema.json).

use serde::Serialize;

use crate::check::{Assessment, ClauseResult, PlanSummary, Status};
use crate::checklist::iso44001;
use crate::diag::Finding;
use crate::plan::kinds;

pub const SCHEMA: &str = "bsrmp.check/1";

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    tool: Tool,
    checklist: Checklist<'a>,
    plan: &'a PlanSummary,
    today: String,
    result: &'static str,
    summary: Counts,
    stages: Vec<StageCounts>,
    clauses: Vec<Clause<'a>>,
    findings: &'a [Finding],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Checklist<'a> {
    standard: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct Counts {
    met: usize,
    partial: usize,
    missing: usize,
    waived: usize,
    not_applicable: usize,
    not_due: usize,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct StageCounts {
    stage: u8,
    name: &'static str,
    iso44001: Option<iso44001::Stage>,
    met: usize,
    partial: usize,
    missing: usize,
    waived: usize,
    not_applicable: usize,
    not_due: usize,
}

#[derive(Serialize)]
struct Clause<'a> {
    #[serde(flatten)]
    result: &'a ClauseResult,
    /// Indices into `findings`.
    findings: &'a [usize],
}

pub fn render(a: &Assessment, deny_warnings: bool) -> String {
    let stages = kinds::STAGES
        .iter()
        .filter(|s| a.clauses.iter().any(|c| c.stage == s.no))
        .map(|s| StageCounts {
            stage: s.no,
            name: s.name,
            iso44001: iso44001::stage(s.no),
            met: a.count_in_stage(s.no, Status::Met),
            partial: a.count_in_stage(s.no, Status::Partial),
            missing: a.count_in_stage(s.no, Status::Missing),
            waived: a.count_in_stage(s.no, Status::Waived),
            not_applicable: a.count_in_stage(s.no, Status::NotApplicable),
            not_due: a.count_in_stage(s.no, Status::NotDue),
        })
        .collect();
    let doc = Doc {
        schema: SCHEMA,
        tool: Tool {
            name: "bsrmp",
            version: env!("CARGO_PKG_VERSION"),
        },
        checklist: Checklist {
            standard: &a.standard,
            version: &a.checklist_version,
        },
        plan: &a.plan,
        today: a.today.to_string(),
        result: if a.fails(deny_warnings) {
            "fail"
        } else {
            "pass"
        },
        summary: Counts {
            met: a.count(Status::Met),
            partial: a.count(Status::Partial),
            missing: a.count(Status::Missing),
            waived: a.count(Status::Waived),
            not_applicable: a.count(Status::NotApplicable),
            not_due: a.count(Status::NotDue),
            errors: a.errors(),
            warnings: a.warnings(),
        },
        stages,
        clauses: a
            .clauses
            .iter()
            .map(|c| Clause {
                result: c,
                findings: &c.findings,
            })
            .collect(),
        findings: &a.findings,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// Findings alone (for a plan that cannot be read), in the same shape.
pub fn render_load_errors(root: &str, findings: &[Finding]) -> String {
    let doc = serde_json::json!({
        "schema": SCHEMA,
        "tool": { "name": "bsrmp", "version": env!("CARGO_PKG_VERSION") },
        "plan": { "root": root },
        "result": "error",
        "findings": findings,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
