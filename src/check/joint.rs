//! A joint plan's stages before working together (1 to 4) are each party's own
//! work, kept in that party's plan under `parties/<id>/`. Their clauses are
//! judged on those plans: a clause is as good as the weakest party's.

use super::{ClauseVerdict, GitView, Options, Status, control, evaluate};
use crate::checklist::{Checklist, Requirement};
use crate::code::Code;
use crate::diag::{Finding, Location};
use crate::error::Error;
use crate::plan::date::Date;
use crate::plan::manifest::PlanKind;
use crate::plan::source::{EntryKind, PrefixSource, Source};
use crate::plan::{self, Plan};

/// The first stage the partners do together.
pub const JOINT_FROM: u8 = 5;

pub struct PartyResult {
    pub party: String,
    pub prefix: String,
    /// `None` when the party has no plan of its own in the joint plan.
    pub assessment: Option<super::Assessment>,
}

/// A party's own plan inside a joint plan, read once for both its document
/// control and its assessment.
pub struct PartyPlan {
    pub party: String,
    pub prefix: String,
    /// `None` when there is no plan under `parties/<id>/`.
    pub plan: Option<Result<Plan, Error>>,
}

/// Reads each party's own plan under `parties/<id>/` of a joint plan. None
/// at all (a joint plan made by hand) leaves the joint plan judged on its
/// own files.
pub fn party_plans(plan: &Plan, source: &dyn Source, checklist: &Checklist) -> Vec<PartyPlan> {
    if plan.manifest.kind != PlanKind::Joint {
        return Vec::new();
    }
    let has_plan = |party: &str| {
        let prefix = format!("parties/{party}");
        // Each step is checked on its own, so a symbolic link on the way is refused.
        source.kind("parties") == EntryKind::Dir
            && source.kind(&prefix) == EntryKind::Dir
            && source.kind(&format!("{prefix}/{}", plan::manifest::FILE)) == EntryKind::File
    };
    let parties = plan.party_ids();
    if !parties.iter().any(|p| has_plan(p)) {
        return Vec::new();
    }
    parties
        .into_iter()
        .map(|party| {
            let prefix = format!("parties/{party}");
            let loaded = has_plan(party).then(|| {
                plan::load(&PrefixSource::new(source, &prefix), &|c| {
                    checklist.stage_of(c)
                })
            });
            PartyPlan {
                party: party.to_string(),
                prefix,
                plan: loaded,
            }
        })
        .collect()
}

/// Document control of the parties' own plans: their approvals and review
/// dates, read from the joint plan's history, where fork-joint carried them.
pub fn party_control(parties: &[PartyPlan], git: &GitView<'_>, today: Date) -> Vec<Finding> {
    let control::Git::History(h) = git.state else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for p in parties {
        // A party plan that cannot be read is reported by its assessment.
        let Some(Ok(plan)) = &p.plan else {
            continue;
        };
        let view = h.under(&p.prefix);
        let blob = |f: &str| (git.blob)(&format!("{}/{f}", p.prefix));
        let found = control::check(
            plan,
            control::Git::History(&view),
            &blob,
            &control::ControlOptions {
                today,
                require_clean: false,
                // Uncommitted changes are the joint plan's own finding.
                uncommitted: None,
            },
        );
        out.extend(
            found
                .into_iter()
                .filter(|f| f.code != Code::IncompleteHistory)
                .map(|f| f.under(&p.prefix, &p.party)),
        );
    }
    out
}

/// Checks each party's own plan. A party plan that cannot be read, or is
/// missing, is an error of the joint plan.
pub fn party_assessments(
    parties: Vec<PartyPlan>,
    source: &dyn Source,
    checklist: &Checklist,
    opts: &Options,
    findings: &mut Vec<Finding>,
) -> Vec<PartyResult> {
    let sub_opts = Options {
        today: opts.today,
        stage: None,
    };
    let mut out = Vec::new();
    for PartyPlan {
        party,
        prefix,
        plan: loaded,
    } in parties
    {
        let assessment = match loaded {
            None => {
                findings.push(
                    Finding::error(
                        Code::RecordsMissing,
                        format!(
                            "party {party} has no plan of its own under {prefix}/, so its stages 1 to 4 cannot be judged"
                        ),
                    )
                    .help("bring the party's own plan in with `bsrmp fork-joint`, or copy it to that folder")
                    .at(Location::file(plan::manifest::FILE)),
                );
                None
            }
            Some(Ok(p)) => {
                let sub = PrefixSource::new(source, &prefix);
                Some(evaluate(&p, &sub, checklist, &sub_opts, None))
            }
            Some(Err(Error::InvalidPlan { findings: errs, .. })) => {
                findings.extend(errs.into_iter().map(|e| e.under(&prefix, &party)));
                None
            }
            Some(Err(e)) => {
                findings.push(
                    Finding::error(
                        Code::InvalidManifest,
                        format!("the plan of party {party} cannot be read: {e}"),
                    )
                    .at(Location::file(format!("{prefix}/{}", plan::manifest::FILE))),
                );
                None
            }
        };
        out.push(PartyResult {
            party,
            prefix,
            assessment,
        });
    }
    out
}

fn rank(s: Status) -> u8 {
    match s {
        Status::Met | Status::Waived => 0,
        Status::Partial => 1,
        Status::Missing | Status::NotDue | Status::NotApplicable => 2,
    }
}

/// The verdict on a clause of stages 1 to 4 from the parties' own plans;
/// `None` when the clause is the joint plan's own, or no party plan is present.
pub fn from_parties(parties: &[PartyResult], req: &Requirement) -> Option<ClauseVerdict> {
    if parties.is_empty() || req.stage >= JOINT_FROM || !req.applies_to(PlanKind::Joint) {
        return None;
    }
    let mut worst = Status::Met;
    let mut notes = Vec::new();
    let mut evidence = Vec::new();
    let mut findings = Vec::new();
    for p in parties {
        let Some(a) = &p.assessment else {
            worst = Status::Missing;
            notes.push(format!("{}: no plan", p.party));
            continue;
        };
        let Some(c) = a.clauses.iter().find(|c| c.clause == req.clause) else {
            continue;
        };
        let status = match c.status {
            Status::NotDue | Status::NotApplicable => {
                findings.push(
                    Finding::error(
                        Code::RecordsMissing,
                        format!(
                            "{}: clause {} is {} in the party's own plan, so the joint plan cannot rely on it",
                            p.party,
                            req.clause,
                            c.status.label()
                        ),
                    )
                    .help("bring the party's project plan up to stage 4 (partner selection) before the joint plan")
                    .at(Location::file(format!("{}/{}", p.prefix, plan::manifest::FILE))),
                );
                Status::Missing
            }
            s => s,
        };
        if rank(status) > rank(worst) {
            worst = status;
        }
        notes.push(format!("{}: {}", p.party, c.status.label()));
        evidence.extend(c.evidence.iter().map(|l| Location {
            file: format!("{}/{}", p.prefix, l.file),
            pos: l.pos,
        }));
        for &i in &c.findings {
            if let Some(f) = a.findings.get(i) {
                findings.push(f.clone().under(&p.prefix, &p.party));
            }
        }
    }
    let status = if worst == Status::Waived {
        Status::Met
    } else {
        worst
    };
    let note = format!("judged on each party's own plan ({})", notes.join("; "));
    Some((status, Some(note), evidence, findings))
}
