//! A joint plan's stages before working together (1 to 4) are each party's own
//! work, kept in that party's plan under `parties/<id>/`. Their clauses are
//! judged on those plans: a clause is as good as the weakest party's.

use super::{ClauseVerdict, Options, Status, evaluate};
use crate::checklist::{Checklist, Requirement};
use crate::code::Code;
use crate::diag::{Finding, Location};
use crate::error::Error;
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

/// Checks each party's own plan found under `parties/<id>/` of a joint plan.
/// A party plan that cannot be read is an error of the joint plan.
pub fn party_assessments(
    plan: &Plan,
    source: &dyn Source,
    checklist: &Checklist,
    opts: &Options,
    findings: &mut Vec<Finding>,
) -> Vec<PartyResult> {
    if plan.manifest.kind != PlanKind::Joint {
        return Vec::new();
    }
    let mut out = Vec::new();
    let has_plan = |party: &str| {
        let prefix = format!("parties/{party}");
        // Each step is checked on its own, so a symbolic link on the way is refused.
        source.kind("parties") == EntryKind::Dir
            && source.kind(&prefix) == EntryKind::Dir
            && source.kind(&format!("{prefix}/{}", plan::manifest::FILE)) == EntryKind::File
    };
    let parties = plan.party_ids();
    // A joint plan made by hand, with no party plans, is judged on its own files.
    if !parties.iter().any(|p| has_plan(p)) {
        return out;
    }
    for party in parties {
        let prefix = format!("parties/{party}");
        if !has_plan(party) {
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
            out.push(PartyResult {
                party: party.to_string(),
                prefix,
                assessment: None,
            });
            continue;
        }
        let sub = PrefixSource::new(source, &prefix);
        let sub_opts = Options {
            today: opts.today,
            stage: None,
        };
        match plan::load(&sub, &|c| checklist.stage_of(c)) {
            Ok(p) => out.push(PartyResult {
                party: party.to_string(),
                prefix: prefix.clone(),
                assessment: Some(evaluate(&p, &sub, checklist, &sub_opts, Vec::new())),
            }),
            Err(Error::InvalidPlan { findings: errs, .. }) => {
                for e in errs {
                    findings.push(relocate(&e, party, &prefix));
                }
                out.push(PartyResult {
                    party: party.to_string(),
                    prefix: prefix.clone(),
                    assessment: None,
                });
            }
            Err(e) => {
                findings.push(
                    Finding::error(
                        Code::InvalidManifest,
                        format!("the plan of party {party} cannot be read: {e}"),
                    )
                    .at(Location::file(format!("{prefix}/{}", plan::manifest::FILE))),
                );
                out.push(PartyResult {
                    party: party.to_string(),
                    prefix: prefix.clone(),
                    assessment: None,
                });
            }
        }
    }
    out
}

fn relocate(f: &Finding, party: &str, prefix: &str) -> Finding {
    f.clone().under(prefix, party)
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
                findings.push(relocate(f, &p.party, &p.prefix));
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
