//! `--format junit`: one test case per clause, one test suite per stage, so CI
//! systems show the plan's compliance as a test report.

use std::fmt::Write;

use super::place;
use crate::check::{Assessment, Status};
use crate::diag::{Finding, Severity};
use crate::plan::kinds;
use crate::xml::escape;

fn describe(findings: &[&Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let at = place(f).map(|p| format!("{p}: ")).unwrap_or_default();
            let help = f
                .help
                .as_deref()
                .map(|h| format!("\n  help: {h}"))
                .unwrap_or_default();
            format!("{at}[{}] {}{help}", f.code, f.message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn render(a: &Assessment, deny_warnings: bool) -> String {
    let mut out = String::new();
    // A clause fails as `check` does: on an error finding (any, with
    // --deny-warnings), or when nothing of it is there at all.
    let failing_clause = |c: &crate::check::ClauseResult| {
        c.status == Status::Missing
            || a.findings_of(c).any(|f| {
                f.severity == Severity::Error || (deny_warnings && f.severity == Severity::Warning)
            })
    };
    let skipped = |s: Status| matches!(s, Status::Waived | Status::NotApplicable | Status::NotDue);
    let loose: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| {
            f.clause.is_none()
                && (f.severity == Severity::Error
                    || (deny_warnings && f.severity == Severity::Warning))
        })
        .collect();
    let total = a.clauses.len() + 1;
    let failures =
        a.clauses.iter().filter(|c| failing_clause(c)).count() + usize::from(!loose.is_empty());
    let skips = a.clauses.iter().filter(|c| skipped(c.status)).count();
    let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        out,
        r#"<testsuites name="bsrmp check {}" tests="{total}" failures="{failures}" errors="0" skipped="{skips}">"#,
        escape(&a.plan.id)
    );
    for stage in kinds::STAGES.iter() {
        let clauses: Vec<_> = a.clauses.iter().filter(|c| c.stage == stage.no).collect();
        if clauses.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            r#"  <testsuite name="Stage {} {}" tests="{}" failures="{}" errors="0" skipped="{}">"#,
            stage.no,
            escape(stage.name),
            clauses.len(),
            clauses.iter().filter(|c| failing_clause(c)).count(),
            clauses.iter().filter(|c| skipped(c.status)).count(),
        );
        for c in clauses {
            let name = escape(&format!("{} {}", c.clause, c.title));
            let class = format!("bsrmp.stage{}", c.stage);
            if failing_clause(c) {
                let findings: Vec<&Finding> = a.findings_of(c).collect();
                let _ = writeln!(out, r#"    <testcase classname="{class}" name="{name}">"#);
                let _ = writeln!(
                    out,
                    r#"      <failure type="{}" message="clause {} is {}">{}</failure>"#,
                    c.status.label(),
                    escape(&c.clause),
                    c.status.label(),
                    escape(&describe(&findings))
                );
                let _ = writeln!(out, "    </testcase>");
            } else if skipped(c.status) {
                let note = c.note.as_deref().unwrap_or(c.status.label());
                let _ = writeln!(out, r#"    <testcase classname="{class}" name="{name}">"#);
                let _ = writeln!(
                    out,
                    r#"      <skipped message="{}: {}"/>"#,
                    c.status.label(),
                    escape(note)
                );
                let _ = writeln!(out, "    </testcase>");
            } else {
                let _ = writeln!(out, r#"    <testcase classname="{class}" name="{name}"/>"#);
            }
        }
        let _ = writeln!(out, "  </testsuite>");
    }
    let _ = writeln!(
        out,
        r#"  <testsuite name="Plan integrity" tests="1" failures="{}" errors="0" skipped="0">"#,
        usize::from(!loose.is_empty())
    );
    if loose.is_empty() {
        let _ = writeln!(
            out,
            r#"    <testcase classname="bsrmp.integrity" name="references and dates"/>"#
        );
    } else {
        let _ = writeln!(
            out,
            r#"    <testcase classname="bsrmp.integrity" name="references and dates">"#
        );
        let _ = writeln!(
            out,
            r#"      <failure type="integrity" message="{} problem(s) outside the clauses">{}</failure>"#,
            loose.len(),
            escape(&describe(&loose))
        );
        let _ = writeln!(out, "    </testcase>");
    }
    let _ = writeln!(out, "  </testsuite>");
    let _ = writeln!(out, "</testsuites>");
    out
}
