//! Evaluating a plan against the checklist: a status for every clause, and the
//! findings that explain each status.

pub mod control;
mod evidence;
mod integrity;
mod joint;
mod operating;
pub mod report;
mod reviewed;
mod rules;
mod triggers;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::checklist::{Checklist, Requirement, Rule};
use crate::code::Code;
use crate::diag::{Finding, Location, Severity};
use crate::plan::date::Date;
use crate::plan::source::Source;
use crate::plan::{Plan, kinds};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Met,
    Partial,
    Missing,
    /// Recorded as not applicable, with a reason and an approver.
    Waived,
    /// The clause does not apply to this kind of plan.
    NotApplicable,
    /// The clause's stage is beyond the plan's current stage.
    NotDue,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Met,
        Status::Partial,
        Status::Missing,
        Status::Waived,
        Status::NotApplicable,
        Status::NotDue,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Partial => "partial",
            Status::Missing => "missing",
            Status::Waived => "waived",
            Status::NotApplicable => "not applicable",
            Status::NotDue => "not due",
        }
    }

    /// The clause is due and counts towards compliance.
    pub fn is_due(self) -> bool {
        matches!(self, Status::Met | Status::Partial | Status::Missing)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ClauseResult {
    pub clause: String,
    pub stage: u8,
    pub title: String,
    pub status: Status,
    /// Why the status is what it is, when that is not obvious (waiver, pointer, not due).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the plan shows the clause is met.
    pub evidence: Vec<Location>,
    /// Indices into [`Assessment::findings`].
    #[serde(skip)]
    pub findings: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanSummary {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub stage: u8,
    pub root: String,
}

#[derive(Debug, Clone)]
pub struct Assessment {
    pub plan: PlanSummary,
    pub standard: String,
    pub checklist_version: String,
    pub today: Date,
    pub clauses: Vec<ClauseResult>,
    pub findings: Vec<Finding>,
}

impl Assessment {
    /// The clauses due: met, partial or missing. Waived, not applicable and
    /// not-yet-due clauses are not; every report counts "due" this way.
    pub fn due(&self) -> usize {
        self.clauses.iter().filter(|c| c.status.is_due()).count()
    }

    pub fn count(&self, status: Status) -> usize {
        self.clauses.iter().filter(|c| c.status == status).count()
    }

    pub fn count_in_stage(&self, stage: u8, status: Status) -> usize {
        self.clauses
            .iter()
            .filter(|c| c.stage == stage && c.status == status)
            .count()
    }

    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }

    /// Whether `check` should fail: an error, or with `deny_warnings` a warning.
    /// Notes never fail.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.errors() > 0 || (deny_warnings && self.warnings() > 0)
    }

    /// The findings about one clause.
    pub fn findings_of<'a>(
        &'a self,
        clause: &'a ClauseResult,
    ) -> impl Iterator<Item = &'a Finding> {
        clause.findings.iter().map(|&i| &self.findings[i])
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    /// The date the check is made on; fixed in tests, today otherwise.
    pub today: Date,
    /// Report one stage only.
    pub stage: Option<u8>,
}

/// What a rule found: pass, partly, or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Pass,
    Partial,
    Fail,
}

pub(crate) struct RuleResult {
    pub outcome: Outcome,
    pub findings: Vec<Finding>,
    pub evidence: Vec<Location>,
}

/// What git says of the plan read, for document control.
pub struct GitView<'a> {
    pub state: control::Git<'a>,
    /// The blob id of a plan file as read (work tree or commit).
    pub blob: &'a dyn Fn(&str) -> Option<String>,
    /// The plan's files with uncommitted changes; `None` when a commit is
    /// read, or git cannot tell.
    pub uncommitted: Option<Vec<String>>,
    /// Uncommitted changes fail the plan.
    pub require_clean: bool,
}

/// Evaluates every clause of the checklist against the plan. With `git`,
/// document control (approvals, review dates, uncommitted changes) is
/// judged too, for the plan and for each party's own plan in a joint plan;
/// its findings join the clauses they name.
pub fn evaluate(
    plan: &Plan,
    source: &dyn Source,
    checklist: &Checklist,
    opts: &Options,
    git: Option<&GitView<'_>>,
) -> Assessment {
    let mut findings: Vec<Finding> = plan.load_findings.clone();
    let parties = joint::party_plans(plan, source, checklist);
    if let Some(git) = git {
        findings.extend(control::check(
            plan,
            git.state,
            git.blob,
            &control::ControlOptions {
                today: opts.today,
                require_clean: git.require_clean,
                uncommitted: git.uncommitted.clone(),
            },
        ));
        findings.extend(joint::party_control(&parties, git, opts.today));
    }
    findings.extend(integrity::check(plan, checklist, opts.today));
    let pointers = evidence::pointers(plan, source, checklist, &mut findings);
    let waivers = evidence::waivers(plan, checklist, &mut findings);

    // The same gap (one risk without an owner) can fail several clauses;
    // it is reported once, and each clause refers to that one finding.
    let mut seen: HashMap<(Code, Option<Location>, String), usize> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| ((f.code, f.location.clone(), f.message.clone()), i))
        .collect();
    let parties = joint::party_assessments(parties, source, checklist, opts, &mut findings);
    // Clauses are judged independently, so side by side; the verdicts are
    // then taken in checklist order, so findings keep a stable order.
    let verdicts: Vec<ClauseVerdict> = checklist
        .requirements
        .par_iter()
        .map(|req| match joint::from_parties(&parties, req) {
            Some(verdict) => verdict,
            None => assess(plan, req, opts, &pointers, &waivers),
        })
        .collect();
    let mut clauses = Vec::with_capacity(checklist.requirements.len());
    // Each clause's findings, as a set too: a clause can hold 100,000.
    let mut held: Vec<HashSet<usize>> = Vec::with_capacity(checklist.requirements.len());
    for (req, verdict) in checklist.requirements.iter().zip(verdicts) {
        let (status, note, evidence, own) = verdict;
        let mut mine = Vec::with_capacity(own.len());
        let mut set = HashSet::with_capacity(own.len());
        for mut f in own {
            let key = (f.code, f.location.clone(), f.message.clone());
            let i = *seen.entry(key).or_insert_with(|| {
                f.clause.get_or_insert_with(|| req.clause.clone());
                findings.push(f);
                findings.len() - 1
            });
            if set.insert(i) {
                mine.push(i);
            }
        }
        held.push(set);
        clauses.push(ClauseResult {
            clause: req.clause.clone(),
            stage: req.stage,
            title: req.title.clone(),
            status,
            note,
            evidence,
            findings: mine,
        });
    }
    // Findings raised outside a clause's rules but about a clause belong to it too.
    let mut by_clause: HashMap<&str, usize> = HashMap::new();
    for (n, r) in checklist.requirements.iter().enumerate() {
        by_clause.entry(r.clause.as_str()).or_insert(n);
    }
    for (i, f) in findings.iter().enumerate() {
        if let Some(c) = &f.clause
            && let Some(&n) = by_clause.get(c.as_str())
            && held[n].insert(i)
        {
            clauses[n].findings.push(i);
        }
    }
    // A clause cannot be met while an error stands against it (a policy that
    // was never approved, say), nor while its own records are overdue.
    for c in clauses.iter_mut().filter(|c| c.status == Status::Met) {
        if c.findings.iter().any(|&i| {
            findings[i].severity == Severity::Error || Code::OVERDUE.contains(&findings[i].code)
        }) {
            c.status = Status::Partial;
        }
    }

    let mut assessment = Assessment {
        plan: PlanSummary {
            id: plan.manifest.id.get_ref().clone(),
            title: plan.manifest.title.clone(),
            kind: plan.manifest.kind.as_str(),
            stage: plan.manifest.stage(),
            root: plan.root.display().to_string(),
        },
        standard: checklist.standard.clone(),
        checklist_version: checklist.version.clone(),
        today: opts.today,
        clauses,
        findings,
    };
    if let Some(stage) = opts.stage {
        restrict_to_stage(&mut assessment, stage);
    }
    assessment
}

type ClauseVerdict = (Status, Option<String>, Vec<Location>, Vec<Finding>);

fn assess(
    plan: &Plan,
    req: &Requirement,
    opts: &Options,
    pointers: &evidence::Pointers,
    waivers: &evidence::Waivers,
) -> ClauseVerdict {
    let kind = plan.manifest.kind;
    if !req.applies_to(kind) {
        let kinds: Vec<&str> = req.applies_to.iter().map(|k| k.as_str()).collect();
        let note = format!("applies to {} plans", kinds.join(" and "));
        return (Status::NotApplicable, Some(note), vec![], vec![]);
    }
    if let Some(w) = waivers.get(&req.clause) {
        return (Status::Waived, Some(w.clone()), vec![], vec![]);
    }
    if req.stage > plan.manifest.stage() {
        let note = format!(
            "stage {} ({}) is ahead of the plan's stage {}",
            req.stage,
            kinds::stage(req.stage).name,
            plan.manifest.stage()
        );
        return (Status::NotDue, Some(note), vec![], vec![]);
    }
    // An [evidence] pointer stands in for the clause's narrative section; the
    // records and conditions the clause needs must still be there.
    let pointer = pointers.get(&req.clause);
    let ctx = rules::Ctx {
        plan,
        req,
        today: opts.today,
    };
    let mut outcomes = Vec::new();
    let mut evidence = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut findings = Vec::new();
    if let Some(docs) = pointer {
        evidence.extend(docs.iter().map(Location::file));
    }
    for rule in req
        .rules
        .iter()
        .filter(|r| pointer.is_none() || !matches!(r, Rule::Section))
    {
        let r = ctx.eval(rule);
        outcomes.push((rule.is_condition(), r.outcome));
        // Two rules may read the same record (its fields, then its date).
        for at in r.evidence {
            if seen.insert(at.clone()) {
                evidence.push(at);
            }
        }
        findings.extend(r.findings);
    }
    // Conditions (document control, parties named) are met by the scaffold
    // itself, so on their own they cannot lift a clause out of "missing".
    let note =
        pointer.map(|docs| format!("section met by existing documents: {}", docs.join(", ")));
    let status = if outcomes.iter().all(|(_, o)| *o == Outcome::Pass) {
        Status::Met
    } else if outcomes
        .iter()
        .filter(|(condition, _)| !condition)
        .all(|(_, o)| *o == Outcome::Fail)
    {
        Status::Missing
    } else {
        Status::Partial
    };
    (status, note, evidence, findings)
}

fn restrict_to_stage(a: &mut Assessment, stage: u8) {
    // Keep what the stage's clauses refer to, and whatever belongs to no
    // clause (a broken reference fails the plan whichever stage is shown).
    let mut keep: Vec<bool> = a.findings.iter().map(|f| f.clause.is_none()).collect();
    for c in a.clauses.iter().filter(|c| c.stage == stage) {
        for &i in &c.findings {
            keep[i] = true;
        }
    }
    let mut renumber = vec![usize::MAX; a.findings.len()];
    let mut kept = Vec::new();
    for (i, f) in a.findings.drain(..).enumerate() {
        if keep[i] {
            renumber[i] = kept.len();
            kept.push(f);
        }
    }
    a.findings = kept;
    a.clauses.retain(|c| c.stage == stage);
    for c in &mut a.clauses {
        c.findings = c
            .findings
            .iter()
            .map(|&i| renumber[i])
            .filter(|&i| i != usize::MAX)
            .collect();
    }
}
