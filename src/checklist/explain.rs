//! Plain-English descriptions of what the checklist looks for, for
//! `bsrmp explain`, `bsrmp checklist` and the guidance that `init` writes.

use std::fmt::Write;

use super::{Checklist, Requirement, Rule, iso44001};
use crate::plan::kinds;

/// One sentence per rule: what in the plan satisfies it.
pub fn evidence(req: &Requirement) -> Vec<String> {
    let stage = kinds::stage(req.stage);
    req.rules
        .iter()
        .map(|rule| match rule {
            Rule::Section => format!(
                "a section headed \"{} {}\" in {}/README.md, written in full with no TODO left",
                req.clause, req.title, stage.folder
            ),
            Rule::Records { kind, min, fields, filter } => {
                let info = kinds::by_name(kind);
                let (file, noun) = info.map_or((kind.as_str(), kind.as_str()), |k| (k.file, k.noun));
                let which = if filter.is_empty() {
                    String::new()
                } else {
                    let parts: Vec<String> = filter
                        .iter()
                        .map(|(k, v)| match v {
                            super::OneOrMany::One(v) => format!("{k}: {v}"),
                            super::OneOrMany::Many(vs) => format!("{k}: {}", vs.join(" or ")),
                        })
                        .collect();
                    format!(" with {}", parts.join(", "))
                };
                let count = match min {
                    0 => format!("the file {file} kept (it may be empty); each {noun}{which}"),
                    1 => format!("at least one {noun}{which} in {file}"),
                    n => format!("at least {n} {noun} records{which} in {file}"),
                };
                if fields.is_empty() {
                    count
                } else {
                    let fields: Vec<String> = fields.iter().map(|f| f.replace('|', " or ")).collect();
                    format!("{count}, each with {}", fields.join(", "))
                }
            }
            Rule::Fresh { kind, field, interval, per_party } => format!(
                "the newest {} in {} no older than `{interval}` days (rmp.toml [intervals]){}",
                date_words(field),
                kinds::by_name(kind).map_or(kind.as_str(), |k| k.file),
                each_party(per_party)
            ),
            Rule::Cadence { kind, field, interval, per_party } => {
                let k = kinds::by_name(kind);
                format!(
                    "{} records in {} no further apart than `{interval}` days, the latest within that of today (by their {field}){}",
                    k.map_or(kind.as_str(), |k| k.noun),
                    k.map_or(kind.as_str(), |k| k.file),
                    each_party(per_party)
                )
            }
            Rule::Held { kind, planned, done, grace } => {
                let k = kinds::by_name(kind);
                format!(
                    "every {} in {} whose `{planned}` date has passed{} has its `{done}` date",
                    k.map_or(kind.as_str(), |k| k.noun),
                    k.map_or(kind.as_str(), |k| k.file),
                    grace
                        .as_deref()
                        .map(|g| format!(" by more than `{g}` days"))
                        .unwrap_or_default()
                )
            }
            Rule::Answered { kind, scores, threshold, actions } => {
                let k = kinds::by_name(kind);
                format!(
                    "every {} in {} with a `{scores}` at or below `{threshold}` (rmp.toml [thresholds]) names its follow-up in `{actions}`",
                    k.map_or(kind.as_str(), |k| k.noun),
                    k.map_or(kind.as_str(), |k| k.file)
                )
            }
            Rule::Attended { kind, attendees } => {
                let k = kinds::by_name(kind);
                format!(
                    "in a plan of two parties or more, every {} in {} has someone of each party among its `{attendees}`",
                    k.map_or(kind.as_str(), |k| k.noun),
                    k.map_or(kind.as_str(), |k| k.file)
                )
            }
            Rule::Results { kind } => format!(
                "every measure in {} with a target as a number has results, the latest within its `interval_days`, and each result that misses the target names its action",
                kinds::by_name(kind).map_or(kind.as_str(), |k| k.file)
            ),
            Rule::Measured { kind, filter, set, field } => {
                let k = kinds::by_name(kind);
                let claim: Vec<String> = filter
                    .iter()
                    .map(|(f, v)| format!("{f}: {}", v.words()))
                    .chain(set.iter().map(|f| format!("`{f}` filled in")))
                    .collect();
                format!(
                    "every {} in {} with {} gives a measured `{}`",
                    k.map_or(kind.as_str(), |k| k.noun),
                    k.map_or(kind.as_str(), |k| k.file),
                    claim.join(", "),
                    field.split('.').next().unwrap_or(field)
                )
            }
            Rule::PerParty { kind, field } => {
                let k = kinds::by_name(kind);
                format!(
                    "a {} for every party of the plan in {} (by its {field})",
                    k.map_or(kind.as_str(), |k| k.noun),
                    k.map_or(kind.as_str(), |k| k.file)
                )
            }
            Rule::Parties { min } => format!(
                "at least {min} part{} in rmp.toml, each naming its SER",
                if *min == 1 { "y" } else { "ies" }
            ),
            Rule::Reviewed => "the stage narrative names its next review (review_by in its front matter), a date that has not passed and is within `document_review_days`".to_string(),
            Rule::Triggers => "every exit trigger that watches a measure or an issue: once the measure's latest result misses its target, or the issue is open with the executives or past its escalation date, a review of the exit strategy dated on or after that day".to_string(),
            Rule::Controlled => "document control (id, title, owner, approver, review_by) in the front matter of every narrative that is due".to_string(),
        })
        .collect()
}

/// ", for each party on its own", when a rule judges parties apart.
fn each_party(per_party: &Option<String>) -> &'static str {
    if per_party.is_some() {
        ", judged for each party on its own records"
    } else {
        ""
    }
}

/// A date field as words: `last_reviewed|reviews.date` is "last reviewed
/// or review date".
fn date_words(field: &str) -> String {
    field
        .split('|')
        .map(|alt| match alt.rsplit_once('.') {
            // `reviews.date`: the date of each review.
            Some((list, "date")) => format!("{} date", list.trim_end_matches('s')),
            _ => alt.to_string(),
        })
        .map(|w| w.replace(['_', '.'], " "))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// `bsrmp explain CLAUSE`; `control` lists what document control demands of
/// the clause as well (`check::control::demands`).
pub fn explain(req: &Requirement, control: &[String]) -> String {
    let stage = kinds::stage(req.stage);
    let kinds: Vec<&str> = req.applies_to.iter().map(|k| k.as_str()).collect();
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", req.clause, req.title);
    let _ = writeln!(
        out,
        "Stage {} ({}, {} phase) · applies to {} plans",
        stage.no,
        stage.name,
        stage.phase,
        kinds.join(" and ")
    );
    if let Some(iso) = iso44001::stage(req.stage) {
        let _ = writeln!(
            out,
            "In {}: stage {}, {} (the stages map one to one)",
            iso44001::STANDARD,
            iso.stage,
            iso.name
        );
    }
    let _ = writeln!(out, "\nWhat it asks\n  {}", req.requirement);
    let _ = writeln!(out, "\nWhy\n  {}", req.purpose);
    let _ = writeln!(out, "\nWhat to write\n  {}", req.guidance);
    let _ = writeln!(out, "\nWhat bsrmp looks for (all of these make it met)");
    for e in evidence(req) {
        let _ = writeln!(out, "  - {e}");
    }
    if !control.is_empty() {
        let _ = writeln!(
            out,
            "\nDocument control, from git (each of these can also fail it)"
        );
        for c in control {
            let _ = writeln!(out, "  - {c}");
        }
    }
    let _ = writeln!(
        out,
        "\nInstead, [evidence] \"{}\" in rmp.toml may point at existing documents that meet it,\nor [waivers.\"{}\"] may record why it does not apply (reason, approved_by, date).",
        req.clause, req.clause
    );
    out
}

/// `bsrmp checklist`: one line per clause.
pub fn list(checklist: &Checklist, stage: Option<u8>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} checklist {}, {} clauses",
        checklist.standard,
        checklist.version,
        checklist.requirements.len()
    );
    for s in kinds::STAGES
        .iter()
        .filter(|s| stage.is_none_or(|n| n == s.no))
    {
        let iso = iso44001::stage(s.no).map(|i| format!(" · {}", i.label()));
        let _ = writeln!(
            out,
            "\nStage {} · {} ({} phase){}",
            s.no,
            s.name,
            s.phase,
            iso.unwrap_or_default()
        );
        for r in checklist.stage(s.no) {
            let _ = writeln!(out, "  {:<8} {}", r.clause, r.title);
            let _ = writeln!(out, "           {}", r.requirement);
        }
    }
    out
}
