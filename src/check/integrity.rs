//! Checks that hold whatever the stage: references resolve, and nothing is
//! left overdue.

use crate::code::Code;
use std::collections::HashSet;

use serde_saphyr::Spanned;

use crate::checklist::Checklist;
use crate::diag::{Finding, Location, Pos};
use crate::plan::date::Date;
use crate::plan::manifest::{FILE, pos_at};
use crate::plan::records::*;
use crate::plan::{Plan, RefKind, References, kinds, yaml};

struct Index<'a> {
    people: HashSet<&'a str>,
    parties: HashSet<&'a str>,
    actions: HashSet<&'a str>,
    objectives: HashSet<&'a str>,
    criteria: HashSet<&'a str>,
    watched: HashSet<&'a str>,
}

fn ids<T>(items: &[Spanned<T>], id: impl Fn(&T) -> &Ref) -> HashSet<&str> {
    items.iter().map(|s| id(&s.value).value.as_str()).collect()
}

impl Index<'_> {
    fn check(&self, kind: RefKind, value: &str) -> Option<(Code, &'static str)> {
        let (set, code, what) = match kind {
            RefKind::Person => (&self.people, Code::UnknownPerson, "registers/people.yaml"),
            RefKind::Party => (&self.parties, Code::UnknownParty, "the parties of rmp.toml"),
            RefKind::Action => (
                &self.actions,
                Code::UnknownReference,
                "registers/actions.yaml",
            ),
            RefKind::Objective => (
                &self.objectives,
                Code::UnknownReference,
                "registers/objectives.yaml",
            ),
            RefKind::Criterion => (
                &self.criteria,
                Code::UnknownReference,
                "03-internal-assessment/selection-criteria.yaml",
            ),
            RefKind::Watched => (
                &self.watched,
                Code::UnknownReference,
                "registers/issues.yaml or 05-working-together/measures.yaml",
            ),
        };
        (!set.contains(value)).then_some((code, what))
    }
}

fn noun(kind: RefKind) -> &'static str {
    match kind {
        RefKind::Person => "a person",
        RefKind::Party => "a party",
        RefKind::Action => "an action",
        RefKind::Objective => "an objective",
        RefKind::Criterion => "a selection criterion",
        RefKind::Watched => "an issue or a measure",
    }
}

pub(crate) fn check(plan: &Plan, checklist: &Checklist, today: Date) -> Vec<Finding> {
    let r = &plan.records;
    let index = Index {
        people: ids(&r.people, |p| &p.id),
        parties: plan.party_ids().into_iter().collect(),
        actions: ids(&r.actions, |a| &a.id),
        objectives: ids(&r.objectives, |o| &o.id),
        criteria: ids(&r.criteria, |c| &c.id),
        watched: ids(&r.issues, |i| &i.id)
            .into_iter()
            .chain(ids(&r.kpis, |k| &k.id))
            .collect(),
    };
    let mut out = Vec::new();
    let mut refs = |file: &str, line_offset: u32, item: &dyn References| {
        for (kind, reference) in item.refs() {
            if let Some((code, list)) = index.check(kind, &reference.value) {
                out.push(
                    Finding::error(
                        code,
                        format!(
                            "`{}` is not {} listed in {list}",
                            reference.value,
                            noun(kind)
                        ),
                    )
                    .help(format!(
                        "use an id from {list}, or add `{}` there",
                        reference.value
                    ))
                    .in_file(file, Some(yaml::pos_of(&reference.referenced, line_offset))),
                );
            }
        }
    };
    macro_rules! each {
        ($($field:ident : $kind:literal),*) => {$(
            let file = kinds::by_name($kind).map_or("", |k| k.file);
            for item in r.$field.iter() {
                refs(file, 0, &item.value);
            }
        )*};
    }
    each!(people: "people", ser: "ser", objectives: "objectives", skills: "skills", risks: "risks",
        actions: "actions", issues: "issues", reviews: "reviews", assessments: "assessments",
        value: "value", audits: "audits", knowledge: "knowledge", exit: "exit", maturity: "maturity",
        candidates: "candidates", governance: "governance", stakeholders: "stakeholders", kpis: "kpis",
        decisions: "decisions", meetings: "meetings", lessons: "lessons");
    for doc in plan.documents.values() {
        refs(&doc.path, doc.front_line.unwrap_or(0), &doc.front);
    }

    // Party SERs named in the manifest must be people of the plan.
    if let Some(text) = plan.texts.get(FILE) {
        for p in &plan.manifest.parties {
            if let Some(ser) = &p.ser
                && !ser.get_ref().is_empty()
                && !index.people.contains(ser.get_ref().as_str())
            {
                out.push(
                    Finding::error(
                        Code::UnknownPerson,
                        format!(
                            "the SER of party `{}`, `{}`, is not a person listed in registers/people.yaml",
                            p.id.get_ref(),
                            ser.get_ref()
                        ),
                    )
                    .help("add the SER to registers/people.yaml, or use their id there")
                    .in_file(FILE, Some(pos_at(text, ser.span().start))),
                );
            }
        }
    }
    // Stances in a joint knowledge map are keyed by party id.
    let file = kinds::by_name("knowledge").map_or("", |k| k.file);
    for area in &r.knowledge {
        for party in area.value.stances.keys() {
            if !index.parties.contains(party.as_str()) {
                out.push(
                    Finding::error(
                        Code::UnknownParty,
                        format!("knowledge area {} gives a stance for `{party}`, which is not a party of the plan", area.value.id.value),
                    )
                    .help("key `stances` by the party ids of rmp.toml")
                    .at(Location::at(file, yaml::pos_of(&area.referenced, 0))),
                );
            }
        }
    }
    // init names the SER as a placeholder; a plan must not keep it.
    let file = kinds::by_name("people").map_or("", |k| k.file);
    for p in &r.people {
        if p.value
            .name
            .as_deref()
            .and_then(crate::plan::document::find_placeholder)
            .is_some()
        {
            out.push(
                Finding::error(
                    Code::Placeholder,
                    format!("person `{}` has a placeholder for a name", p.value.id.value),
                )
                .help("write the person's name")
                .at(Location::at(file, yaml::pos_of(&p.referenced, 0))),
            );
        }
    }
    overdue(plan, checklist, today, &mut out);
    joint_decisions(plan, today, &mut out);
    out
}

/// The clause a joint decision belongs to, for the finding.
fn decision_clause(topic: Option<DecisionTopic>) -> &'static str {
    match topic {
        Some(DecisionTopic::CommonObjective | DecisionTopic::ConflictingObjective) => "7.2.2",
        Some(DecisionTopic::DuplicateRisk) => "7.5.4",
        Some(DecisionTopic::KnowledgeConflict) => "7.3",
        Some(DecisionTopic::PersonId) => "7.2.3",
        Some(DecisionTopic::ExitStrategy | DecisionTopic::Other) | None => "7.10",
    }
}

/// Every point the partners have not settled keeps the joint plan from passing.
fn joint_decisions(plan: &Plan, today: Date, out: &mut Vec<Finding>) {
    let file = kinds::by_name("decisions").map_or("", |k| k.file);
    for s in &plan.records.decisions {
        let d = &s.value;
        let settled = d.status == Some(DecisionStatus::Settled);
        let mut missing = Vec::new();
        if d.resolution.as_deref().is_none_or(|r| r.trim().is_empty()) {
            missing.push("resolution");
        }
        if d.settled_by.is_none() {
            missing.push("settled_by");
        }
        match d.settled {
            None => missing.push("settled"),
            // Agreed "in the future" is not agreed yet.
            Some(day) if day > today => missing.push("settled date on or before today"),
            Some(_) => {}
        }
        if settled && missing.is_empty() {
            continue;
        }
        let what = d
            .summary
            .as_deref()
            .unwrap_or("a point the partners must agree on");
        let message = if settled {
            format!(
                "joint decision {} is marked settled but has no {}: {what}",
                d.id.value,
                missing.join(", ")
            )
        } else {
            format!("joint decision {} is still open: {what}", d.id.value)
        };
        out.push(
            Finding::error(Code::JointDecisionOpen, message)
                .help("agree it with the other party, change the records concerned, then set status: settled with the resolution, settled_by and settled (date)")
                .clause(decision_clause(d.topic))
                .at(Location::at(file, yaml::pos_of(&s.referenced, 0))),
        );
    }
}

/// The clause an overdue record endangers: of the clauses due in this plan
/// whose rules read `kind` (and `field`, when given), the one of the latest
/// stage, up to `stage` when given. A clause cannot show as met while its
/// own records are overdue.
fn endangered(
    plan: &Plan,
    checklist: &Checklist,
    kind: &str,
    field: Option<&str>,
    stage: Option<u8>,
) -> Option<String> {
    let upto = stage.unwrap_or(u8::MAX).min(plan.manifest.stage());
    checklist
        .requirements
        .iter()
        .filter(|r| r.stage <= upto && r.applies_to(plan.manifest.kind))
        .filter(|r| r.rules.iter().any(|rule| rule.reads(kind, field)))
        .max_by_key(|r| r.stage)
        .map(|r| r.clause.clone())
}

/// The kind of record that raised an action, when one names it in its
/// actions: a meeting, an SER review, an audit, a measure's result, a lesson.
fn raised_by(plan: &Plan, id: &str) -> Option<&'static str> {
    let r = &plan.records;
    let named = |list: &[Ref]| list.iter().any(|a| a.value == id);
    if r.meetings.iter().any(|m| named(&m.value.actions)) {
        Some("meetings")
    } else if r.reviews.iter().any(|v| named(&v.value.actions)) {
        Some("reviews")
    } else if r.audits.iter().any(|a| named(&a.value.actions)) {
        Some("audits")
    } else if r.kpis.iter().any(|k| {
        k.value
            .results
            .iter()
            .any(|x| x.action.as_ref().is_some_and(|a| a.value == id))
    }) {
        Some("kpis")
    } else {
        None
    }
}

/// The clause an overdue action endangers: the one it says it serves, else
/// that of what raised it, else the action plan of its stage.
fn action_clause(plan: &Plan, checklist: &Checklist, a: &Action) -> Option<String> {
    if let Some(c) = a.clause.as_ref().filter(|c| checklist.get(c).is_some()) {
        return Some(c.clone());
    }
    if let Some(kind) = raised_by(plan, &a.id.value) {
        return endangered(plan, checklist, kind, None, None);
    }
    endangered(
        plan,
        checklist,
        "actions",
        Some("due"),
        a.stage.map(|s| s.0),
    )
}

fn overdue(plan: &Plan, checklist: &Checklist, today: Date, out: &mut Vec<Finding>) {
    let r = &plan.records;
    let with_clause = |f: Finding, clause: Option<String>| match clause {
        Some(c) => f.clause(c),
        None => f,
    };
    let at = |kind: &str, pos: Pos| Location::at(kinds::by_name(kind).map_or("", |k| k.file), pos);
    for s in &r.actions {
        let a = &s.value;
        let pos = yaml::pos_of(&s.referenced, 0);
        if a.owner.is_none() {
            out.push(
                Finding::error(
                    Code::FieldMissing,
                    format!("action {} has no owner", a.id.value),
                )
                .help("every action needs an owner: a person id from registers/people.yaml")
                .at(at("actions", pos)),
            );
        }
        if let Some(due) = a.due.filter(|d| a.is_open() && *d < today) {
            let f = Finding::warning(
                Code::ActionOverdue,
                format!("action {} was due on {due} and is not done", a.id.value),
            )
            .help("finish it and set `status: done`, or agree a new due date")
            .at(at("actions", pos));
            out.push(with_clause(f, action_clause(plan, checklist, a)));
        }
    }
    for s in &r.issues {
        let i = &s.value;
        if let Some(by) = i.escalate_by.filter(|d| i.is_open() && *d < today) {
            // At the executive level there is no one higher to take it to.
            let help = if i.level == Some(IssueLevel::Executive) {
                "it is already with the executives: resolve it (the SERs decide, or the dispute resolution in governance.yaml applies) and record the resolution, or set a new escalate_by they have agreed"
            } else {
                "escalate it to the next level (and set a new escalate_by), or record its resolution"
            };
            let f = Finding::warning(
                Code::EscalationOverdue,
                format!(
                    "issue {} should have been escalated or resolved by {by}",
                    i.id.value
                ),
            )
            .help(help)
            .at(at("issues", yaml::pos_of(&s.referenced, 0)));
            out.push(with_clause(
                f,
                endangered(plan, checklist, "issues", Some("escalate_by"), None),
            ));
        }
    }
    for s in &r.risks {
        let k = &s.value;
        if let Some(d) = k.review_date.filter(|d| k.is_open() && *d < today) {
            let f = Finding::warning(
                Code::RiskReviewOverdue,
                format!("risk {} was due for re-assessment on {d}", k.id.value),
            )
            .help("re-assess the risk and set the next review_date, or close it")
            .at(at("risks", yaml::pos_of(&s.referenced, 0)));
            out.push(with_clause(
                f,
                endangered(plan, checklist, "risks", Some("review_date"), None),
            ));
        }
    }
}
