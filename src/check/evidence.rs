//! `[evidence]` pointers to existing documents and `[waivers]` in rmp.toml.

use crate::code::Code;
use std::collections::BTreeMap;

use crate::checklist::Checklist;
use crate::diag::{Finding, Pos};
use crate::plan::Plan;
use crate::plan::manifest::{FILE, pos_at};
use crate::plan::source::{EntryKind, Source};

/// Clause -> the documents that satisfy it (all valid).
pub(crate) type Pointers = BTreeMap<String, Vec<String>>;
/// Clause -> the note shown for a complete waiver.
pub(crate) type Waivers = BTreeMap<String, String>;

fn pos(plan: &Plan, offset: usize) -> Option<Pos> {
    plan.texts.get(FILE).map(|t| pos_at(t, offset))
}

fn unknown_clause(plan: &Plan, table: &str, clause: &str, offset: usize) -> Finding {
    Finding::error(
        Code::UnknownClause,
        format!("[{table}] names clause `{clause}`, which is not a clause of BS 11000-1"),
    )
    .help("use a clause number as `bsrmp checklist` lists it, such as \"3.9\"")
    .in_file(FILE, pos(plan, offset))
}

/// Why a path may not be used as evidence, if it may not.
fn refuse(path: &str, source: &dyn Source) -> Option<(Code, String)> {
    let outside = |why: &str| Some((Code::EvidenceOutsidePlan, format!("`{path}` {why}")));
    if path.trim().is_empty() {
        return Some((
            Code::EvidenceNotFound,
            "an evidence path is empty".to_string(),
        ));
    }
    if path.starts_with('/') || path.starts_with('\\') || path.get(1..2) == Some(":") {
        return outside(
            "is an absolute path; evidence must be inside the plan, given relative to rmp.toml",
        );
    }
    let parts: Vec<&str> = path
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.contains(&"..") {
        return outside("leaves the plan through `..`; evidence must be inside the plan");
    }
    let mut prefix = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            prefix.push('/');
        }
        prefix.push_str(part);
        match source.kind(&prefix) {
            EntryKind::Symlink => {
                return outside(
                    "goes through a symbolic link, which could lead out of the plan; copy the document into the plan instead",
                );
            }
            EntryKind::Missing => {
                return Some((
                    Code::EvidenceNotFound,
                    format!("`{path}` does not exist in the plan"),
                ));
            }
            EntryKind::Dir if i + 1 == parts.len() => {
                return Some((
                    Code::EvidenceNotFound,
                    format!("`{path}` is a folder; point at the document itself"),
                ));
            }
            _ => {}
        }
    }
    None
}

pub(crate) fn pointers(
    plan: &Plan,
    source: &dyn Source,
    checklist: &Checklist,
    findings: &mut Vec<Finding>,
) -> Pointers {
    let mut out = Pointers::new();
    for (clause, paths) in &plan.manifest.evidence {
        if checklist.get(clause).is_none() {
            findings.push(unknown_clause(plan, "evidence", clause, paths.span().start));
            continue;
        }
        let mut ok = Vec::new();
        let mut all_ok = !paths.get_ref().is_empty();
        if paths.get_ref().is_empty() {
            findings.push(
                Finding::error(
                    Code::EvidenceNotFound,
                    format!("[evidence] lists no document for clause {clause}"),
                )
                .help("name at least one document, or remove the entry")
                .clause(clause)
                .in_file(FILE, pos(plan, paths.span().start)),
            );
        }
        for p in paths.get_ref() {
            match refuse(p.get_ref(), source) {
                None => ok.push(p.get_ref().clone()),
                Some((code, message)) => {
                    all_ok = false;
                    findings.push(
                        Finding::error(code, message)
                            .help(format!(
                                "[evidence] in rmp.toml points clause {clause} at this path; fix the path or remove it"
                            ))
                            .clause(clause)
                            .in_file(FILE, pos(plan, p.span().start)),
                    );
                }
            }
        }
        if all_ok {
            out.insert(clause.clone(), ok);
        }
    }
    out
}

pub(crate) fn waivers(plan: &Plan, checklist: &Checklist, findings: &mut Vec<Finding>) -> Waivers {
    let mut out = Waivers::new();
    for (clause, waiver) in &plan.manifest.waivers {
        let at = pos(plan, waiver.span().start);
        if checklist.get(clause).is_none() {
            findings.push(unknown_clause(plan, "waivers", clause, waiver.span().start));
            continue;
        }
        let w = waiver.get_ref();
        let mut missing = Vec::new();
        let reason = w.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        if reason.is_none() {
            missing.push("reason");
        }
        let approver = w.approved_by.as_ref().map(|a| a.get_ref().as_str());
        match approver {
            None => missing.push("approved_by"),
            Some(a) if plan.person(a).is_none() => {
                findings.push(
                    Finding::error(
                        Code::UnknownPerson,
                        format!("the waiver of clause {clause} is approved by `{a}`, who is not in registers/people.yaml"),
                    )
                    .help("waivers must be approved by a person listed in registers/people.yaml")
                    .clause(clause)
                    .in_file(FILE, at),
                );
                continue;
            }
            Some(_) => {}
        }
        if w.date.is_none() {
            missing.push("date");
        }
        if !missing.is_empty() {
            findings.push(
                Finding::error(
                    Code::WaiverIncomplete,
                    format!(
                        "the waiver of clause {clause} has no {}, so it does not count",
                        missing.join(", ")
                    ),
                )
                .help("a waiver needs a reason, approved_by (a person id) and date")
                .clause(clause)
                .in_file(FILE, at),
            );
            continue;
        }
        let date = w.date.map(|d| d.to_string()).unwrap_or_default();
        out.insert(
            clause.clone(),
            format!(
                "waived: {} (approved by {} on {date})",
                reason.unwrap_or_default(),
                approver.unwrap_or_default()
            ),
        );
    }
    out
}
