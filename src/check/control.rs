//! Document control checks: approvals, review dates, uncommitted changes and
//! the completeness of the history they rely on.

use crate::code::Code;
use crate::diag::{Finding, Location, Pos};
use crate::history::{ApprovalState, History, register, roles};
use crate::plan::Plan;
use crate::plan::date::Date;
use crate::plan::document::DocStatus;

pub struct ControlOptions {
    pub today: Date,
    /// Uncommitted changes are an error rather than a warning.
    pub require_clean: bool,
    /// The plan's files with uncommitted changes: `None` when the plan was
    /// read from a commit (`--rev`), or when git cannot tell.
    pub uncommitted: Option<Vec<String>>,
}

/// What the git side of the plan looks like.
#[derive(Clone, Copy)]
pub enum Git<'a> {
    NotARepository,
    NoCommits,
    History(&'a History),
}

/// The paths of the documents the standard expects approved as they stand:
/// the pack does not show the others' lack of approval as a failure, as
/// `check` does not count it as one.
pub fn needs_approval(plan: &Plan) -> Vec<String> {
    must_approve(plan).into_iter().map(|(p, ..)| p).collect()
}

/// The documents the standard expects approved, with the clause asking for it
/// and the role that must approve (any role for the policy).
fn must_approve(plan: &Plan) -> Vec<(String, &'static str, Option<&'static str>)> {
    let mut out = Vec::new();
    // Clause 3.2: the policy, authorised by executive management. It is either
    // an existing document that [evidence] points at, or the stage 1 narrative.
    match plan.manifest.evidence.get("3.2") {
        Some(paths) => {
            for p in paths.get_ref() {
                out.push((p.get_ref().clone(), "3.2", None));
            }
        }
        None => {
            if let Some(doc) = plan.documents.get(&1) {
                out.push((doc.path.clone(), "3.2", None));
            }
        }
    }
    // Clause 3.10: once finalised, the plan is approved by the SER. A joint
    // plan's own stages (5 to 8) are the partners' agreement, kept by that
    // stage's update-the-plan clause.
    let joint = plan.manifest.kind == crate::plan::manifest::PlanKind::Joint;
    for doc in plan.documents.values() {
        let clause = if joint && doc.stage >= 5 {
            joint_clause(doc.stage)
        } else {
            "3.10"
        };
        if doc.front.status == Some(DocStatus::Final) && !out.iter().any(|(p, ..)| *p == doc.path) {
            out.push((doc.path.clone(), clause, Some("SER")));
        } else if doc.front.status == Some(DocStatus::Final) {
            // The policy narrative, once final, needs the SER too.
            if let Some(entry) = out.iter_mut().find(|(p, ..)| *p == doc.path) {
                entry.2 = Some("SER");
            }
        }
    }
    out
}

/// What document control demands of a clause, beyond its checklist rules:
/// each can fail the clause (for `bsrmp explain`). Kept beside the checks
/// that make these demands, so the two are read together.
pub fn demands(clause: &str) -> Vec<String> {
    let approve_again =
        "an edit after the approval needs approving again (`changed-since-approval`)";
    match clause {
        "3.2" => vec![
            "the policy approved with `bsrmp approve`: the stage 1 narrative, or the documents that [evidence] \"3.2\" names (`not-approved`)".into(),
            "once the narrative is final, its approval by the SER: a person the plan names as SER, in rmp.toml or an SER appointment (`not-approved`)".into(),
            approve_again.into(),
        ],
        "3.9" => vec![
            "every narrative's review_by not passed (`review-overdue`) and no further ahead than [intervals] document_review_days (`review-too-far`)".into(),
            "approved documents unchanged since their approval (`changed-since-approval`, a warning for documents the standard does not require approved)".into(),
            "the plan committed to git: with --require-clean, uncommitted changes fail it (`uncommitted-changes`)".into(),
        ],
        "3.10" => vec![
            "every narrative with status: final approved by the SER, with `bsrmp approve ... --as SER` by a person the plan names as SER (`not-approved`)".into(),
            approve_again.into(),
        ],
        "7.10" | "8.7" | "9.9" | "10.7" => vec![
            "in a joint plan, the stage's narrative, once final, approved by the SER of every party (`not-approved`)".into(),
            approve_again.into(),
        ],
        _ => Vec::new(),
    }
}

fn front_pos(plan: &Plan, path: &str) -> Option<Pos> {
    plan.documents
        .values()
        .find(|d| d.path == path)
        .and_then(|d| d.front_line)
        .map(|l| Pos::new(l, 1))
}

pub fn check(
    plan: &Plan,
    git: Git<'_>,
    current_blob: &dyn Fn(&str) -> Option<String>,
    opts: &ControlOptions,
) -> Vec<Finding> {
    let mut out = review_dates(plan, opts.today);
    let history = match git {
        Git::NotARepository => {
            out.push(
                Finding::note(
                    Code::IncompleteHistory,
                    "the plan is not in a git repository, so its document control (history, approvals) cannot be verified",
                )
                .help("keep the plan in git: `git init`, then commit it"),
            );
            nothing_committed(opts, "the plan is not in a git repository", &mut out);
            return out;
        }
        Git::NoCommits => {
            out.push(
                Finding::note(
                    Code::IncompleteHistory,
                    "the plan's repository has no commit yet, so its document control cannot be verified",
                )
                .help("commit the plan"),
            );
            if opts.uncommitted.as_ref().is_none_or(Vec::is_empty) {
                nothing_committed(opts, "the plan's repository has no commit yet", &mut out);
            }
            uncommitted(opts, &mut out);
            return out;
        }
        Git::History(h) => h,
    };
    if history.shallow {
        out.push(
            Finding::note(
                Code::IncompleteHistory,
                format!(
                    "this is a shallow clone: only {} commit(s) of history are here, so revisions and approvals may be missing",
                    history.commits
                ),
            )
            .help("fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` in CI)"),
        );
    }

    approvals(plan, history, current_blob, opts.today, &mut out);
    uncommitted(opts, &mut out);
    out
}

/// Review dates: passed, or further ahead than the plan's interval. They
/// need no git.
fn review_dates(plan: &Plan, today: Date) -> Vec<Finding> {
    let mut out = Vec::new();
    let interval = plan.manifest.intervals.document_review_days;
    // A joint plan's own stages (5 to 8) are kept by that stage's
    // update-the-plan clause, as their approvals are.
    let joint = plan.manifest.kind == crate::plan::manifest::PlanKind::Joint;
    let clause_of = |doc: &crate::plan::Document| {
        if joint && doc.stage >= 5 {
            joint_clause(doc.stage)
        } else {
            "3.9"
        }
    };
    for doc in plan.documents.values() {
        if let Some(by) = doc.front.review_by
            && today.days_until(by) > i64::from(interval)
        {
            out.push(
                Finding::warning(
                    Code::ReviewTooFar,
                    format!(
                        "{} is next reviewed by {by}, {} days from now; the plan reviews its documents at least every {interval} days",
                        doc.path,
                        today.days_until(by)
                    ),
                )
                .help(format!("set review_by to a date within {interval} days, or change [intervals] document_review_days in rmp.toml"))
                .clause(clause_of(doc))
                .in_file(&doc.path, doc.front_line.map(|l| Pos::new(l, 1))),
            );
        }
    }
    for doc in plan.documents.values() {
        if let Some(by) = doc.front.review_by.filter(|d| *d < today) {
            out.push(
                Finding::error(
                    Code::ReviewOverdue,
                    format!("{} was due for review by {by}", doc.path),
                )
                .help("review the document, then set the next review_by in its front matter")
                .clause(clause_of(doc))
                .in_file(&doc.path, doc.front_line.map(|l| Pos::new(l, 1))),
            );
        }
    }
    out
}

/// Each controlled document's approval: changed since, missing where the
/// standard asks for one, or by the wrong role or person.
/// The clause that keeps a stage's part of a joint plan up to date.
fn joint_clause(stage: u8) -> &'static str {
    match stage {
        5 => "7.10",
        6 => "8.7",
        7 => "9.9",
        _ => "10.7",
    }
}

/// A final narrative of a joint plan's own stages (5 to 8) is the partners'
/// joint document: this version needs the approval of every partner's SER,
/// not just of one. Judged once some approval of this version stands (with
/// none, `not-approved` already says so).
fn joint_approvals(
    plan: &Plan,
    history: &History,
    current_blob: &dyn Fn(&str) -> Option<String>,
    today: Date,
    out: &mut Vec<Finding>,
) {
    if plan.manifest.kind != crate::plan::manifest::PlanKind::Joint {
        return;
    }
    for doc in plan.documents.values() {
        if doc.stage < 5 || doc.front.status != Some(DocStatus::Final) {
            continue;
        }
        let Some(blob) = current_blob(&doc.path) else {
            continue;
        };
        let approvals: Vec<_> = history
            .file(&doc.path)
            .map(|f| {
                f.approvals
                    .iter()
                    .filter(|a| a.blob == blob && a.date <= today)
                    .collect()
            })
            .unwrap_or_default();
        if approvals.is_empty() {
            continue;
        }
        for party in plan.party_ids() {
            let sers = roles::sers_of(plan, party);
            let by_ser = approvals
                .iter()
                .any(|a| sers.iter().any(|s| roles::recorded_is(&a.by, s)));
            if by_ser || sers.is_empty() {
                continue;
            }
            let clause = joint_clause(doc.stage);
            out.push(
                Finding::error(
                    Code::NotApproved,
                    format!(
                        "{} is final, but the SER of {party} ({}) has not approved this version; clause {clause} asks for the joint plan to be agreed by every partner's SER",
                        doc.path,
                        sers.join(" or ")
                    ),
                )
                .help(format!(
                    "bsrmp approve <plan> {} --by {} --as SER",
                    doc.path, sers[0]
                ))
                .clause(clause)
                .at(Location {
                    file: doc.path.clone(),
                    pos: front_pos(plan, &doc.path),
                }),
            );
        }
    }
}

fn approvals(
    plan: &Plan,
    history: &History,
    current_blob: &dyn Fn(&str) -> Option<String>,
    today: Date,
    out: &mut Vec<Finding>,
) {
    joint_approvals(plan, history, current_blob, today, out);
    let required = must_approve(plan);
    for register::Controlled { path, .. } in register::documents(plan) {
        let need = required.iter().find(|(p, ..)| *p == path);
        let state = history.approval_state_on(&path, Some(today), || current_blob(&path));
        let clause = need.map_or("3.9", |(_, c, _)| *c);
        let at = Location {
            file: path.clone(),
            pos: front_pos(plan, &path),
        };
        match (&state, need) {
            (
                ApprovalState::ChangedSinceApproval {
                    by,
                    role,
                    date,
                    commit,
                },
                _,
            ) => {
                let f = format!(
                    "{path} has changed since {by} approved it as {role} on {date} (commit {})",
                    crate::diag::short_id(commit)
                );
                let help = format!(
                    "review the change and approve it again: bsrmp approve <plan> {path} --by <person> --as {role}"
                );
                let finding = if need.is_some() {
                    Finding::error(Code::ChangedSinceApproval, f)
                } else {
                    Finding::warning(Code::ChangedSinceApproval, f)
                };
                out.push(finding.help(help).clause(clause).at(at));
            }
            (ApprovalState::NeverApproved, Some((_, clause, role))) => {
                let who = match role {
                    Some(r) => format!("by the {r}"),
                    None => "by executive management".to_string(),
                };
                out.push(
                    Finding::error(Code::NotApproved, format!("{path} has never been approved; clause {clause} asks for it to be approved {who}"))
                        .help(format!("bsrmp approve <plan> {path} --by <person> --as {}", role.unwrap_or("<role>")))
                        .clause(*clause)
                        .at(at),
                );
            }
            (ApprovalState::Approved { role: got, by, .. }, Some((_, clause, Some(role))))
                if !got.to_lowercase().contains(&role.to_lowercase()) =>
            {
                out.push(
                    Finding::error(
                        Code::NotApproved,
                        format!("{path} is final but was approved by {by} as {got}; clause {clause} asks for the {role}'s approval"),
                    )
                    .help(format!("bsrmp approve <plan> {path} --by <the SER> --as {role}"))
                    .clause(*clause)
                    .at(at),
                );
            }
            (ApprovalState::Approved { role: got, by, .. }, Some((_, clause, Some("SER"))))
                if !roles::is_ser(plan, by) =>
            {
                out.push(
                    Finding::error(
                        Code::NotApproved,
                        format!("{path} is final and was approved by {by} as {got}, but the plan does not name {by} as an SER; clause {clause} asks for the SER's approval"),
                    )
                    .help(format!("bsrmp approve <plan> {path} --by <the SER> --as SER"))
                    .clause(*clause)
                    .at(at),
                );
            }
            _ => {}
        }
    }
}

/// With `require_clean`, a plan of which nothing is committed fails: the
/// plan checked cannot be the plan committed.
fn nothing_committed(opts: &ControlOptions, why: &str, out: &mut Vec<Finding>) {
    if opts.require_clean {
        out.push(
            Finding::error(
                Code::UncommittedChanges,
                format!("{why}, so nothing of it is committed"),
            )
            .help("commit the plan to git, so that the plan checked is the plan recorded"),
        );
    }
}

fn uncommitted(opts: &ControlOptions, out: &mut Vec<Finding>) {
    if let Some(changed) = &opts.uncommitted
        && !changed.is_empty()
    {
        let list = changed
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        let more = if changed.len() > 5 {
            format!(" and {} more", changed.len() - 5)
        } else {
            String::new()
        };
        let message = format!(
            "{} file(s) of the plan have uncommitted changes: {list}{more}",
            changed.len()
        );
        let f = if opts.require_clean {
            Finding::error(Code::UncommittedChanges, message)
        } else {
            Finding::warning(Code::UncommittedChanges, message)
        };
        out.push(
            f.help("commit the changes, so that the plan's history records them")
                .at(Location::file(&changed[0])),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::demands;

    /// Every code this module raises against a clause is named where
    /// `explain` tells what can fail that clause.
    #[test]
    fn explain_names_every_document_control_demand() {
        let all: String = ["3.2", "3.9", "3.10"]
            .iter()
            .flat_map(|c| demands(c))
            .collect();
        for code in [
            "not-approved",
            "changed-since-approval",
            "review-overdue",
            "review-too-far",
            "uncommitted-changes",
        ] {
            assert!(all.contains(&format!("`{code}`")), "{code}");
        }
        assert!(demands("4.1").is_empty());
    }
}
