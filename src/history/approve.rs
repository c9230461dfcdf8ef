//! `bsrmp approve`: an approval is a commit whose trailers name the approver,
//! the role, and the exact content (blob) of each approved file.

use std::path::Path;

use super::{APPROVED_BLOB, APPROVED_BY, APPROVED_ROLE, PlanRepo, roles};
use crate::error::{Error, NotApprovable, Result};
use crate::plan::Plan;
use crate::plan::records::Person;

#[derive(Debug, Clone)]
pub struct ApproveOptions {
    /// Paths relative to the plan's folder.
    pub paths: Vec<String>,
    /// A person id or name from registers/people.yaml.
    pub by: String,
    pub role: String,
    pub message: Option<String>,
    /// When the approval commit is dated; `None` is now. The CLI takes it from
    /// `GIT_COMMITTER_DATE`, as git does, so scripted approvals are reproducible.
    pub time: Option<jiff::Timestamp>,
}

#[derive(Debug)]
pub struct ApproveReport {
    pub commit: String,
    /// Each file (its path in the repository) with the blob approved.
    pub files: Vec<(String, String)>,
    pub approver: String,
    pub fallback_identity: bool,
    /// HEAD was detached: the approval commit is on no branch.
    pub detached: bool,
}

/// A plan-relative path with `/` separators, refusing anything that leaves the plan.
pub fn clean_path(path: &str) -> Result<String> {
    let p = path.replace('\\', "/");
    let parts: Vec<&str> = p
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    if p.starts_with('/') || parts.is_empty() || parts.contains(&"..") || p.get(1..2) == Some(":") {
        return Err(Error::OutsidePlan {
            path: path.to_string(),
        });
    }
    // The path becomes part of a trailer line.
    if p.chars().any(char::is_control) {
        return Err(Error::ControlInName {
            path: p.escape_debug().to_string(),
        });
    }
    Ok(parts.join("/"))
}

fn refuse(path: &str, why: NotApprovable) -> Error {
    Error::NotApprovable {
        path: path.to_string(),
        why,
    }
}

pub fn approve(plan: &Plan, pr: &PlanRepo, opts: &ApproveOptions) -> Result<ApproveReport> {
    let person = find_person(plan, opts.by.trim())?;
    // The approver and role become trailer lines: one line each, no control
    // characters, so that no text can add a trailer of its own.
    let clean = |s: &str| {
        s.split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let approver = match &person.name {
        Some(name) => format!("{} ({})", clean(name), clean(&person.id.value)),
        None => clean(&person.id.value),
    };
    let role = clean(&opts.role);
    if role.is_empty() {
        return Err(Error::NoRole);
    }
    // Each document is approved in the role claimed only when the plan gives
    // the approver that role (for that document, when it names its approver).
    for raw in &opts.paths {
        let rel = clean_path(raw)?;
        let doc = plan.documents.values().find(|d| d.path == rel);
        let held = roles::held(plan, person, doc);
        if roles::matching(&held, &role).is_none() {
            return Err(role_not_held(plan, &approver, &role, &held));
        }
    }
    let repo = &pr.repo;
    let git = |e: git2::Error| Error::git(&pr.workdir, e);
    let head = repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_err(|_| Error::NoCommit {
            path: pr.workdir.clone(),
        })?;
    let tree = head.tree().map_err(git)?;

    let files = approved_files(plan, pr, &opts.paths, &tree)?;
    if files.is_empty() {
        return Err(Error::NothingToApprove);
    }

    let message = approval_message(&files, opts.message.as_deref(), &approver, &role);
    let (sig, fallback) = super::signature(repo, opts.time).map_err(git)?;
    let oid = repo
        .commit(Some("HEAD"), &sig, &sig, &message, &tree, &[&head])
        .map_err(git)?;
    verify_recorded(pr, oid)?;
    Ok(ApproveReport {
        commit: oid.to_string(),
        files,
        approver,
        fallback_identity: fallback,
        detached: repo.head_detached().unwrap_or(false),
    })
}

/// The person `by` names: an exact id wins; a name must match one person only.
fn find_person<'p>(plan: &'p Plan, by: &str) -> Result<&'p Person> {
    let people: Vec<_> = plan.records.people.iter().map(|p| &p.value).collect();
    Ok(match people.iter().find(|p| p.id.value == by) {
        Some(p) => p,
        None => {
            let named: Vec<_> = people
                .iter()
                .filter(|p| {
                    p.name
                        .as_deref()
                        .is_some_and(|n| n.trim().eq_ignore_ascii_case(by))
                })
                .collect();
            match named.as_slice() {
                [p] => p,
                [] => {
                    return Err(Error::UnknownPerson {
                        name: by.to_string(),
                    });
                }
                _ => {
                    return Err(Error::AmbiguousPerson {
                        name: by.to_string(),
                    });
                }
            }
        }
    })
}

/// Each path to approve with its blob id at HEAD: files of the plan, committed
/// as they are.
fn approved_files(
    plan: &Plan,
    pr: &PlanRepo,
    paths: &[String],
    tree: &git2::Tree<'_>,
) -> Result<Vec<(String, String)>> {
    let git = |e: git2::Error| Error::git(&pr.workdir, e);
    let mut files = Vec::new();
    for raw in paths {
        let rel = clean_path(raw)?;
        let abs = plan.root.join(&rel);
        let meta =
            std::fs::symlink_metadata(&abs).map_err(|_| refuse(&rel, NotApprovable::Missing))?;
        if meta.file_type().is_symlink() || !meta.is_file() {
            return Err(refuse(&rel, NotApprovable::NotAFile));
        }
        let repo_path = if pr.prefix.is_empty() {
            rel.clone()
        } else {
            format!("{}/{rel}", pr.prefix)
        };
        let status = pr.repo.status_file(Path::new(&repo_path)).map_err(git)?;
        if !status.is_empty() {
            return Err(refuse(&rel, NotApprovable::Uncommitted));
        }
        let entry = tree
            .get_path(Path::new(&repo_path))
            .map_err(|_| refuse(&rel, NotApprovable::NotCommitted))?;
        files.push((repo_path, entry.id().to_string()));
    }
    Ok(files)
}

/// A short subject (the trailers list every file), the approver's message,
/// then the trailers.
fn approval_message(
    files: &[(String, String)],
    note: Option<&str>,
    approver: &str,
    role: &str,
) -> String {
    let mut message = match files {
        [(one, _)] => format!("Approve {one}\n\n"),
        many => format!("Approve {} documents\n\n", many.len()),
    };
    if let Some(m) = note.map(str::trim).filter(|m| !m.is_empty()) {
        message.push_str(m);
        message.push_str("\n\n");
    }
    message.push_str(&format!(
        "{APPROVED_BY}: {approver}\n{APPROVED_ROLE}: {role}\n"
    ));
    for (path, blob) in files {
        message.push_str(&format!("{APPROVED_BLOB}: {path} {blob}\n"));
    }
    message
}

fn role_not_held(plan: &Plan, approver: &str, role: &str, held: &[roles::Held]) -> Error {
    let sers = plan
        .records
        .people
        .iter()
        .map(|p| &p.value)
        .filter_map(|p| {
            let from: Vec<String> = roles::held(plan, p, None)
                .into_iter()
                .filter(|h| h.role == "SER")
                .map(|h| h.from)
                .collect();
            (!from.is_empty()).then(|| format!("{} ({})", p.id.value, from.join(", ")))
        })
        .collect();
    Error::RoleNotHeld {
        person: approver.to_string(),
        role: role.to_string(),
        held: held
            .iter()
            .map(|h| format!("{} ({})", h.role, h.from))
            .collect(),
        sers: if role.eq_ignore_ascii_case("SER") {
            sers
        } else {
            Vec::new()
        },
    }
}

/// Reads the approval back from a fresh handle on the repository: libgit2 has
/// been seen to report a commit made when it could write no object (a
/// repository the user may read but not write), and an approval that is
/// announced but not kept is worse than a refusal.
fn verify_recorded(pr: &PlanRepo, oid: git2::Oid) -> Result<()> {
    let git_dir = pr.repo.path();
    let fresh = git2::Repository::open(git_dir).ok();
    let stored = fresh.as_ref().is_some_and(|r| r.find_commit(oid).is_ok());
    // Another approval may already have been committed on top of this one.
    let on_head = fresh.as_ref().is_some_and(|r| {
        r.refname_to_id("HEAD")
            .is_ok_and(|h| h == oid || r.graph_descendant_of(h, oid).unwrap_or(false))
    });
    if stored && on_head {
        return Ok(());
    }
    // Find out why, for the message: try to write where git writes.
    let (path, probe) = if stored {
        (git_dir.join("refs"), git_dir.join("refs"))
    } else {
        (git_dir.join("objects"), git_dir.join("objects"))
    };
    let source = match tempfile::tempfile_in(&probe) {
        Err(e) => e,
        Ok(_) => std::io::Error::other(if stored {
            "git stored the commit but did not move the branch to it"
        } else {
            "git reported the commit made, but it is not in the repository"
        }),
    };
    Err(Error::NotRecorded {
        what: "the approval".into(),
        path,
        source,
    })
}
