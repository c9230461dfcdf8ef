//! The checklist's rule kinds, evaluated against a plan.

use crate::code::Code;
use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;

use super::{Outcome, RuleResult};
use crate::checklist::{OneOrMany, Requirement, Rule};
use crate::diag::{Finding, Location, Pos};
use crate::plan::date::Date;
use crate::plan::document::{PLACEHOLDER, find_placeholder};
use crate::plan::{Plan, RecordView, kinds};

/// A `fresh` or `cadence` rule, resolved.
#[derive(Clone, Copy)]
struct Dated<'a> {
    info: &'static kinds::KindInfo,
    field: &'a str,
    interval: &'a str,
    days: i64,
    cadence: bool,
}

pub(crate) struct Ctx<'a> {
    pub plan: &'a Plan,
    pub req: &'a Requirement,
    pub today: Date,
}

pub(super) fn result(
    outcome: Outcome,
    findings: Vec<Finding>,
    evidence: Vec<Location>,
) -> RuleResult {
    RuleResult {
        outcome,
        findings,
        evidence,
    }
}

/// A value counts as filled in when it says something and is not a placeholder.
fn filled(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty() && find_placeholder(s).is_none(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

/// Borrowed for text, which is nearly every value a filter reads: filters
/// run over every record of a register, for several clauses.
pub(super) fn as_text(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Owned(b.to_string())),
        _ => None,
    }
}

pub(super) fn matches(view: &RecordView<'_>, filter: &BTreeMap<String, OneOrMany>) -> bool {
    filter.iter().all(|(field, wanted)| match view.get(field) {
        Some(Value::Array(items)) => items.iter().filter_map(as_text).any(|t| wanted.matches(&t)),
        Some(v) => as_text(&v).is_some_and(|t| wanted.matches(&t)),
        None => false,
    })
}

fn describe_filter(filter: &BTreeMap<String, OneOrMany>) -> String {
    filter
        .iter()
        .map(|(k, v)| match v {
            OneOrMany::One(v) => format!("{k} {v}"),
            OneOrMany::Many(vs) => format!("{k} {}", vs.join(" or ")),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn field_label(field: &str) -> String {
    field.replace('|', " or ").replace(['_', '.'], " ")
}

impl Ctx<'_> {
    pub(super) fn clause(&self) -> &str {
        &self.req.clause
    }

    pub fn eval(&self, rule: &Rule) -> RuleResult {
        match rule {
            Rule::Section => self.section(),
            Rule::Records {
                kind,
                min,
                fields,
                filter,
            } => self.records(kind, *min, fields, filter),
            Rule::Fresh {
                kind,
                field,
                interval,
                per_party,
            } => self.dated(kind, field, interval, false, per_party.as_deref()),
            Rule::Cadence {
                kind,
                field,
                interval,
                per_party,
            } => self.dated(kind, field, interval, true, per_party.as_deref()),
            Rule::Held {
                kind,
                planned,
                done,
                grace,
            } => self.held(kind, planned, done, grace.as_deref()),
            Rule::Answered {
                kind,
                scores,
                threshold,
                actions,
            } => self.answered(kind, scores, threshold, actions),
            Rule::Results { kind } => self.results(kind),
            Rule::Attended { kind, attendees } => self.attended(kind, attendees),
            Rule::Measured {
                kind,
                filter,
                set,
                field,
            } => self.measured(kind, filter, set.as_deref(), field),
            Rule::PerParty { kind, field } => self.per_party(kind, field),
            Rule::Parties { min } => self.parties(*min),
            Rule::Controlled => self.controlled(),
            Rule::Triggers => self.triggers(),
            Rule::Reviewed => self.reviewed(),
        }
    }

    fn section(&self) -> RuleResult {
        let stage = kinds::stage(self.req.stage);
        let file = format!("{}/{}", stage.folder, kinds::NARRATIVE);
        let heading = format!("## {} {}", self.req.clause, self.req.title);
        let Some(doc) = self.plan.documents.get(&self.req.stage) else {
            let f = Finding::error(
                Code::SectionMissing,
                format!(
                    "clause {} has no section: the stage {} narrative {file} does not exist",
                    self.clause(),
                    stage.no
                ),
            )
            .help(format!("create {file} with a section headed `{heading}`"))
            .at(Location::file(&file));
            return result(Outcome::Fail, vec![f], vec![]);
        };
        let Some(section) = doc.section(self.clause()) else {
            let f = Finding::error(
                Code::SectionMissing,
                format!(
                    "{file} has no section for clause {} ({})",
                    self.clause(),
                    self.req.title
                ),
            )
            .help(format!(
                "add a section headed `{heading}` and write in it: {}",
                self.req.prompt
            ))
            .at(Location::file(&file));
            return result(Outcome::Fail, vec![f], vec![]);
        };
        let at = Location::at(&file, Pos::new(section.line, 1));
        if !section.placeholders.is_empty() {
            let findings = section
                .placeholders
                .iter()
                .map(|p| {
                    Finding::error(
                        Code::Placeholder,
                        format!("section {} still holds a placeholder", self.clause()),
                    )
                    .help(format!(
                        "replace the {PLACEHOLDER} (or TBC, TBD) line with the plan's own text: {}",
                        self.req.prompt
                    ))
                    .at(Location::at(&file, *p))
                })
                .collect();
            let outcome = if section.words > 0 {
                Outcome::Partial
            } else {
                Outcome::Fail
            };
            return result(outcome, findings, vec![at]);
        }
        if section.words == 0 {
            let f = Finding::error(
                Code::SectionEmpty,
                format!(
                    "section {} ({}) has nothing written in it",
                    self.clause(),
                    self.req.title
                ),
            )
            .help(self.req.prompt.clone())
            .at(at);
            return result(Outcome::Fail, vec![f], vec![]);
        }
        result(Outcome::Pass, vec![], vec![at])
    }

    fn records(
        &self,
        kind: &str,
        min: usize,
        fields: &[String],
        filter: &BTreeMap<String, OneOrMany>,
    ) -> RuleResult {
        let Some(info) = kinds::by_name(kind) else {
            return result(Outcome::Fail, vec![], vec![]);
        };
        let which = if filter.is_empty() {
            String::new()
        } else {
            format!(" with {}", describe_filter(filter))
        };
        if !self.plan.has_file(kind) {
            let f = Finding::error(
                Code::RecordsMissing,
                format!(
                    "clause {} needs the file {}, which does not exist",
                    self.clause(),
                    info.file
                ),
            )
            .help(if min == 0 {
                format!(
                    "keep the register even while it is empty: create {} with `{}: []`",
                    info.file, info.key
                )
            } else {
                format!(
                    "create {} and record at least one {}{which}",
                    info.file, info.noun
                )
            })
            .at(Location::file(info.file));
            return result(Outcome::Fail, vec![f], vec![]);
        }
        let views: Vec<RecordView<'_>> = self
            .plan
            .views(kind)
            .into_iter()
            .filter(|v| matches(v, filter))
            .collect();
        if views.len() < min {
            let f = Finding::error(
                Code::RecordsMissing,
                format!(
                    "clause {} needs at least {min} {}{which} in {}; there {} {}",
                    self.clause(),
                    info.noun,
                    info.file,
                    if views.len() == 1 { "is" } else { "are" },
                    views.len()
                ),
            )
            .help(format!("record the {}{which} in {}", info.noun, info.file))
            .at(Location::file(info.file));
            return result(Outcome::Fail, vec![f], vec![]);
        }
        let mut findings = Vec::new();
        for view in &views {
            let missing: Vec<String> = fields
                .iter()
                .filter(|f| {
                    !f.split('|')
                        .any(|alt| view.get(alt).is_some_and(|v| filled(&v)))
                })
                .map(|f| field_label(f))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let name = match &view.id {
                Some(id) => format!("{} {id}", info.noun),
                None => format!("the {}", info.noun),
            };
            findings.push(
                Finding::error(
                    Code::FieldMissing,
                    format!("{name} has no {}", missing.join(", ")),
                )
                .help(format!(
                    "clause {} ({}) needs every {}{which} to record: {}",
                    self.clause(),
                    self.req.title,
                    info.noun,
                    fields
                        .iter()
                        .map(|f| field_label(f))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .at(Location::at(info.file, view.pos)),
            );
        }
        let evidence = match views.first() {
            Some(v) => vec![Location::at(info.file, v.pos)],
            None => vec![Location::file(info.file)],
        };
        let outcome = if findings.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Partial
        };
        result(outcome, findings, evidence)
    }

    /// `fresh` (only the newest date matters) and `cadence` (every gap
    /// matters too); with `per_party`, for each party on its own records.
    fn dated(
        &self,
        kind: &str,
        field: &str,
        interval: &str,
        cadence: bool,
        per_party: Option<&str>,
    ) -> RuleResult {
        let Some(info) = kinds::by_name(kind) else {
            return result(Outcome::Fail, vec![], vec![]);
        };
        let rule = Dated {
            info,
            field,
            interval,
            days: i64::from(self.plan.manifest.intervals.get(interval).unwrap_or(365)),
            cadence,
        };
        let views = self.plan.views(kind);
        let all: Vec<(Date, RecordView<'_>)> = views
            .iter()
            .flat_map(|v| v.dates(field).into_iter().map(move |d| (d, *v)))
            .collect();
        let Some(party_field) = per_party else {
            return self.dated_group(&rule, all, None);
        };
        // Each party is judged on its own records: one party's recent
        // assessment does not cover another's lapsed one.
        let mut out = result(Outcome::Pass, vec![], vec![]);
        let parties = self.plan.party_ids();
        let mut outcomes = Vec::new();
        for party in &parties {
            let mine = all
                .iter()
                .filter(|(_, v)| v.text(party_field).as_deref() == Some(party))
                .cloned()
                .collect();
            let r = self.dated_group(&rule, mine, Some(party));
            outcomes.push(r.outcome);
            out.findings.extend(r.findings);
            out.evidence.extend(r.evidence);
        }
        out.outcome = if outcomes.iter().all(|o| *o == Outcome::Pass) {
            Outcome::Pass
        } else if outcomes.iter().all(|o| *o == Outcome::Fail) {
            Outcome::Fail
        } else {
            Outcome::Partial
        };
        out
    }

    fn dated_group(
        &self,
        rule: &Dated<'_>,
        mut dated: Vec<(Date, RecordView<'_>)>,
        party: Option<&str>,
    ) -> RuleResult {
        let Dated {
            info,
            field,
            interval,
            days,
            cadence,
        } = *rule;
        let for_party = party.map(|p| format!(" for {p}")).unwrap_or_default();
        dated.sort_by_key(|(d, _)| *d);
        let label = field_label(field);
        // A review dated after today has not happened yet: it cannot count.
        let mut findings = Vec::new();
        for (d, v) in dated.iter().filter(|(d, _)| *d > self.today) {
            findings.push(
                Finding::warning(
                    Code::DateInFuture,
                    format!(
                        "{} {} is dated {d}, after {}, so it does not count yet",
                        info.noun,
                        v.id.unwrap_or(""),
                        self.today
                    ),
                )
                .help(format!(
                    "correct the {label}, or record it once it has taken place"
                ))
                .at(Location::at(info.file, v.pos)),
            );
        }
        dated.retain(|(d, _)| *d <= self.today);
        let Some(&(latest, latest_view)) = dated.last() else {
            let what = if label == "date" {
                "date".to_string()
            } else {
                format!("{label} date")
            };
            findings.push(
                Finding::error(
                    Code::RecordsMissing,
                    format!(
                        "no {} in {}{for_party} has a {what} on or before {}",
                        info.noun, info.file, self.today
                    ),
                )
                .help(format!(
                    "clause {} expects this at least every {days} days (`{interval}` in rmp.toml)",
                    self.clause()
                ))
                .at(Location::file(info.file)),
            );
            return result(Outcome::Fail, findings, vec![]);
        };
        if cadence {
            for pair in dated.windows(2) {
                let gap = pair[0].0.days_until(pair[1].0);
                if gap > days {
                    findings.push(
                        Finding::warning(
                            Code::CadenceGap,
                            format!(
                                "{gap} days passed between the {}{for_party} of {} and the one of {}; the plan allows {days}",
                                info.noun, pair[0].0, pair[1].0
                            ),
                        )
                        .help(format!(
                            "hold them at least every {days} days, or change `{interval}` in rmp.toml if the agreed interval is longer"
                        ))
                        .at(Location::at(info.file, pair[1].1.pos)),
                    );
                }
            }
        }
        let age = latest.days_until(self.today);
        if age > days {
            findings.push(
                Finding::error(
                    Code::CadenceOverdue,
                    format!(
                        "the latest {}{for_party} is from {latest}, {age} days before {}; the plan allows {days} days",
                        info.noun, self.today
                    ),
                )
                .help(format!(
                    "clause {} ({}) is due again: hold it and record it in {}",
                    self.clause(),
                    self.req.title,
                    info.file
                ))
                .at(Location::at(info.file, latest_view.pos)),
            );
        }
        let outcome = if findings.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Partial
        };
        result(
            outcome,
            findings,
            vec![Location::at(info.file, latest_view.pos)],
        )
    }

    fn per_party(&self, kind: &str, field: &str) -> RuleResult {
        let Some(info) = kinds::by_name(kind) else {
            return result(Outcome::Fail, vec![], vec![]);
        };
        let views = self.plan.views(kind);
        let parties = self.plan.party_ids();
        let mut findings = Vec::new();
        for party in &parties {
            let has = views
                .iter()
                .any(|v| v.text(field).as_deref() == Some(party));
            if !has {
                findings.push(
                    Finding::error(
                        Code::PartyMissing,
                        format!("party `{party}` has no {} in {}", info.noun, info.file),
                    )
                    .help(format!(
                        "clause {} ({}) needs one for every party: add one with `{field}: {party}`",
                        self.clause(),
                        self.req.title
                    ))
                    .at(Location::file(info.file)),
                );
            }
        }
        let outcome = if findings.is_empty() {
            Outcome::Pass
        } else if findings.len() == parties.len() {
            Outcome::Fail
        } else {
            Outcome::Partial
        };
        result(outcome, findings, vec![Location::file(info.file)])
    }

    fn parties(&self, min: usize) -> RuleResult {
        let m = &self.plan.manifest;
        let text = self.plan.texts.get(crate::plan::manifest::FILE);
        let mut findings = Vec::new();
        if m.parties.len() < min {
            findings.push(
                Finding::error(
                    Code::PartiesMissing,
                    format!(
                        "clause {} needs at least {min} part{} in rmp.toml; it names {}",
                        self.clause(),
                        if min == 1 { "y" } else { "ies" },
                        m.parties.len()
                    ),
                )
                .help("add a [[parties]] table with id, name and ser for each organisation in the plan")
                .at(Location::file(crate::plan::manifest::FILE)),
            );
        }
        for p in &m.parties {
            let lacks = |what: &str, help: &str| {
                let pos = text.map(|t| crate::plan::manifest::pos_at(t, p.id.span().start));
                Finding::error(
                    Code::PartiesMissing,
                    format!("party `{}` {what}", p.id.get_ref()),
                )
                .help(help)
                .in_file(crate::plan::manifest::FILE, pos)
            };
            if !p.name.chars().any(char::is_alphanumeric) {
                findings.push(lacks(
                    "has no name",
                    "give the party the organisation's name: `name = \"Acme Rail Ltd\"`",
                ));
            }
            if p.ser.as_ref().is_none_or(|s| s.get_ref().trim().is_empty()) {
                findings.push(lacks(
                    "names no SER",
                    "add `ser = \"<person id>\"` to the party, naming its senior executive responsible",
                ));
            }
        }
        let outcome = if findings.is_empty() {
            Outcome::Pass
        } else if m.parties.is_empty() {
            Outcome::Fail
        } else {
            Outcome::Partial
        };
        result(
            outcome,
            findings,
            vec![Location::file(crate::plan::manifest::FILE)],
        )
    }

    fn controlled(&self) -> RuleResult {
        let stage = self.plan.manifest.stage();
        let mut findings = Vec::new();
        let mut complete = 0;
        let mut evidence = Vec::new();
        for doc in self.plan.documents.values().filter(|d| d.stage <= stage) {
            let fm = &doc.front;
            let mut missing = Vec::new();
            if fm.id.as_deref().is_none_or(|s| s.trim().is_empty()) {
                missing.push("id");
            }
            if fm.title.as_deref().is_none_or(|s| s.trim().is_empty()) {
                missing.push("title");
            }
            if fm.owner.is_none() {
                missing.push("owner");
            }
            if fm.approver.as_deref().is_none_or(|s| s.trim().is_empty()) {
                missing.push("approver");
            }
            if fm.review_by.is_none() {
                missing.push("review_by");
            }
            let at = Location::at(&doc.path, Pos::new(doc.front_line.unwrap_or(1), 1));
            if missing.is_empty() {
                complete += 1;
                evidence.push(at);
            } else {
                findings.push(
                    Finding::error(
                        Code::DocumentControlMissing,
                        format!("the document control of {} has no {}", doc.path, missing.join(", ")),
                    )
                    .help("give the narrative front matter between `---` lines with id, title, owner, approver and review_by")
                    .at(at),
                );
            }
        }
        let outcome = if findings.is_empty() {
            Outcome::Pass
        } else if complete == 0 {
            Outcome::Fail
        } else {
            Outcome::Partial
        };
        result(outcome, findings, evidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn view(value: &Value) -> RecordView<'_> {
        RecordView::of(Some("X"), Pos::new(1, 1), value)
    }

    #[test]
    fn filled_means_said_and_not_a_placeholder() {
        assert!(filled(&json!("Dana")));
        assert!(filled(&json!(0)));
        assert!(filled(&json!(false)));
        assert!(filled(&json!(["a"])));
        assert!(!filled(&json!(null)));
        assert!(!filled(&json!("  ")));
        assert!(!filled(&json!([])));
        assert!(!filled(&json!({})));
        assert!(!filled(&json!("TODO: name")));
        assert!(!filled(&json!("owner TBC")));
        assert!(filled(&json!("TODOS are fine inside words")));
    }

    #[test]
    fn filters_compare_text_numbers_and_lists() {
        let one =
            |k: &str, v: &str| BTreeMap::from([(k.to_string(), OneOrMany::One(v.to_string()))]);
        assert!(matches(&view(&json!({"stage": 3})), &one("stage", "3")));
        assert!(!matches(&view(&json!({"stage": 4})), &one("stage", "3")));
        assert!(matches(
            &view(&json!({"level": "joint"})),
            &one("level", "joint")
        ));
        assert!(matches(
            &view(&json!({"responses": ["reduce", "accept"]})),
            &one("responses", "accept")
        ));
        assert!(!matches(&view(&json!({})), &one("level", "joint")));
        let many = BTreeMap::from([(
            "stance".to_string(),
            OneOrMany::Many(vec!["share".into(), "restricted".into()]),
        )]);
        assert!(matches(&view(&json!({"stance": "restricted"})), &many));
        assert!(!matches(&view(&json!({"stance": "withhold"})), &many));
    }

    #[test]
    fn filters_read_as_plain_words() {
        let f = BTreeMap::from([
            ("level".to_string(), OneOrMany::One("joint".into())),
            (
                "state".to_string(),
                OneOrMany::Many(vec!["common".into(), "agreed".into()]),
            ),
        ]);
        assert_eq!(describe_filter(&f), "level joint, state common or agreed");
        assert_eq!(field_label("stance|stances"), "stance or stances");
    }
}
