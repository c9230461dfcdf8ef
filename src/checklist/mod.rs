//! The built-in BS 11000-1:2010 checklist: one requirement per clause, kept as
//! data (`catalogue.yaml`, compiled into the binary) rather than code.

pub mod explain;
pub mod iso44001;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::plan::PlanKind;

const CATALOGUE: &str = include_str!("catalogue.yaml");

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    /// The value, or the values joined by "or".
    pub fn words(&self) -> String {
        match self {
            OneOrMany::One(v) => v.clone(),
            OneOrMany::Many(vs) => vs.join(" or "),
        }
    }

    pub fn matches(&self, value: &str) -> bool {
        match self {
            OneOrMany::One(v) => v == value,
            OneOrMany::Many(vs) => vs.iter().any(|v| v == value),
        }
    }
}

/// How the plan shows that a clause is met. Every rule of a clause must pass
/// for the clause to be met.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// The clause's section in its stage narrative is written, with no placeholder left.
    Section,
    /// Records of a kind exist (at least `min`; with `min: 0` the file must
    /// still be kept) and each has every listed field filled in. A field
    /// written `a|b` is filled when either is.
    Records {
        kind: String,
        #[serde(default = "one")]
        min: usize,
        #[serde(default)]
        fields: Vec<String>,
        /// Only records whose fields have these values count.
        #[serde(default, rename = "where")]
        filter: BTreeMap<String, OneOrMany>,
    },
    /// The newest date in `field` is no older than the manifest interval.
    /// With `per_party`, judged for each party of the plan on the records
    /// whose `per_party` field names it, never pooled.
    Fresh {
        kind: String,
        field: String,
        interval: String,
        #[serde(default)]
        per_party: Option<String>,
    },
    /// Dated records are no further apart than the interval, and the newest
    /// is no older than it; `per_party` as for `fresh`.
    Cadence {
        kind: String,
        field: String,
        interval: String,
        #[serde(default)]
        per_party: Option<String>,
    },
    /// What was planned for a date is held by it: a record whose `planned`
    /// date has passed has its `done` date.
    Held {
        kind: String,
        planned: String,
        done: String,
        /// Days allowed after the planned date (an `[intervals]` name).
        #[serde(default)]
        grace: Option<String>,
    },
    /// A record with a score (under `scores`) at or below the plan's
    /// `threshold` (a `[thresholds]` name) names the actions raised for it.
    Answered {
        kind: String,
        scores: String,
        threshold: String,
        actions: String,
    },
    /// Every measure with a typed target has results, reported within its
    /// own `interval_days`, and a result that misses the target names the
    /// action raised for it.
    Results { kind: String },
    /// In a plan of two parties or more, every record (a meeting) lists
    /// among its `attendees` (people ids) someone of each party.
    Attended { kind: String, attendees: String },
    /// A claim needs a measurement: records matching `where`, and with
    /// `set` filled in when it is given, have a number at `field` (a value
    /// initiative marked realised, its realised benefit; an objective with
    /// the date it was achieved, its result).
    Measured {
        kind: String,
        #[serde(default, rename = "where")]
        filter: BTreeMap<String, OneOrMany>,
        #[serde(default)]
        set: Option<String>,
        field: String,
    },
    /// Every party of the plan has a record whose `field` names it.
    PerParty { kind: String, field: String },
    /// The manifest names at least `min` parties, each with its SER.
    Parties {
        #[serde(default = "one")]
        min: usize,
    },
    /// Every narrative that is due carries complete document control.
    Controlled,
    /// Every exit trigger's watched measure whose latest result misses its
    /// target, or watched issue with the executives or past its escalation
    /// date, has an exit strategy review on or after the day it turned.
    Triggers,
    /// The clause's stage narrative names its next review (`review_by`), a
    /// date not passed and within `document_review_days`.
    Reviewed,
}

impl Rule {
    /// Whether the rule reads records of `kind`, and their `field` when one
    /// is given (a field of `a|b`, or a list's `reviews.date`, counts).
    pub fn reads(&self, kind: &str, field: Option<&str>) -> bool {
        let names = |f: &str| {
            field.is_none_or(|want| {
                f.split('|')
                    .any(|alt| alt == want || alt.split('.').next() == Some(want))
            })
        };
        match self {
            Rule::Records {
                kind: k, fields, ..
            } => k == kind && (field.is_none() || fields.iter().any(|f| names(f))),
            Rule::Fresh {
                kind: k, field: f, ..
            }
            | Rule::Cadence {
                kind: k, field: f, ..
            } => k == kind && names(f),
            Rule::PerParty { kind: k, field: f } => k == kind && names(f),
            Rule::Held {
                kind: k,
                planned,
                done,
                ..
            } => k == kind && (names(planned) || names(done)),
            Rule::Answered {
                kind: k,
                scores,
                actions,
                ..
            } => k == kind && (names(scores) || names(actions)),
            Rule::Measured {
                kind: k, field: f, ..
            } => k == kind && names(f),
            Rule::Attended { kind: k, attendees } => k == kind && names(attendees),
            // A measure's every field matters to its results.
            Rule::Results { kind: k } => k == kind,
            Rule::Triggers => kind == "exit" && field.is_none_or(|f| f == "triggers"),
            Rule::Section | Rule::Parties { .. } | Rule::Controlled | Rule::Reviewed => false,
        }
    }

    /// A structural condition rather than evidence of the clause's content.
    pub fn is_condition(&self) -> bool {
        matches!(self, Rule::Parties { .. } | Rule::Controlled)
    }
}

fn one() -> usize {
    1
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub clause: String,
    pub stage: u8,
    pub title: String,
    pub applies_to: Vec<PlanKind>,
    /// What the clause asks, in one sentence of our own.
    pub requirement: String,
    /// Why the standard asks it.
    pub purpose: String,
    /// What to write in the plan to meet it.
    pub guidance: String,
    /// The placeholder text `init` writes into the empty section.
    pub prompt: String,
    pub rules: Vec<Rule>,
}

impl Requirement {
    pub fn applies_to(&self, kind: PlanKind) -> bool {
        self.applies_to.contains(&kind)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// The standard the checklist follows.
    pub standard: String,
    /// Version of the checklist, reported with every result.
    pub version: String,
    pub requirements: Vec<Requirement>,
}

impl Checklist {
    /// The checklist built into this binary.
    pub fn builtin() -> &'static Checklist {
        static CELL: OnceLock<Checklist> = OnceLock::new();
        CELL.get_or_init(|| {
            // The catalogue is part of the binary and covered by tests, so a
            // failure here is a build defect, not a user error.
            serde_saphyr::from_str(CATALOGUE).expect("the built-in checklist is valid")
        })
    }

    pub fn get(&self, clause: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.clause == clause)
    }

    pub fn stage_of(&self, clause: &str) -> Option<u8> {
        self.get(clause).map(|r| r.stage)
    }

    pub fn stage(&self, stage: u8) -> impl Iterator<Item = &Requirement> {
        self.requirements.iter().filter(move |r| r.stage == stage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::kinds;

    #[test]
    fn has_one_requirement_per_clause_in_order() {
        let c = Checklist::builtin();
        assert_eq!(c.requirements.len(), 89);
        let mut seen = std::collections::HashSet::new();
        for r in &c.requirements {
            assert!(seen.insert(&r.clause), "clause {} twice", r.clause);
            let major: u8 = r.clause.split('.').next().unwrap().parse().unwrap();
            assert_eq!(
                major - 2,
                r.stage,
                "clause {} is in stage {}",
                r.clause,
                r.stage
            );
            assert!(!r.applies_to.is_empty(), "{} applies to nothing", r.clause);
            assert!(!r.rules.is_empty(), "{} has no rule", r.clause);
            for text in [&r.requirement, &r.purpose, &r.guidance, &r.prompt] {
                assert!(!text.trim().is_empty(), "{} has an empty text", r.clause);
                assert!(
                    !text.contains("TODO"),
                    "{} text holds the placeholder marker",
                    r.clause
                );
            }
        }
    }

    #[test]
    fn rules_name_known_kinds_and_intervals() {
        let intervals = crate::plan::manifest::Intervals::default();
        for r in &Checklist::builtin().requirements {
            for rule in &r.rules {
                let (kind, interval) = match rule {
                    Rule::Records { kind, .. }
                    | Rule::PerParty { kind, .. }
                    | Rule::Held { kind, .. }
                    | Rule::Answered { kind, .. }
                    | Rule::Attended { kind, .. }
                    | Rule::Results { kind }
                    | Rule::Measured { kind, .. } => (Some(kind), None),
                    Rule::Fresh { kind, interval, .. } | Rule::Cadence { kind, interval, .. } => {
                        (Some(kind), Some(interval))
                    }
                    _ => (None, None),
                };
                if let Some(kind) = kind {
                    assert!(
                        kinds::by_name(kind).is_some(),
                        "{}: unknown kind {kind}",
                        r.clause
                    );
                }
                if let Some(i) = interval {
                    assert!(
                        intervals.get(i).is_some(),
                        "{}: unknown interval {i}",
                        r.clause
                    );
                }
            }
        }
    }
}
