//! `bsrmp approve`: an approval is a commit whose trailers name the approver,
//! the role, and the exact content (blob) of each approved file.

use std::path::Path;

use super::{APPROVED_BLOB, APPROVED_BY, APPROVED_ROLE, PlanRepo};
use crate::error::{Error, Result};
use crate::plan::Plan;

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
        return Err(Error::Usage(format!(
            "`{path}` is not inside the plan: give paths relative to the plan's folder, without `..`"
        )));
    }
    // The path becomes part of a trailer line.
    if p.chars().any(char::is_control) {
        return Err(Error::Usage(format!(
            "`{}` has a line break or control character in its name; rename the file first",
            p.escape_debug()
        )));
    }
    Ok(parts.join("/"))
}

pub fn approve(plan: &Plan, pr: &PlanRepo, opts: &ApproveOptions) -> Result<ApproveReport> {
    let by = opts.by.trim();
    let people: Vec<_> = plan.records.people.iter().map(|p| &p.value).collect();
    // An exact id wins; a name must match one person only.
    let person = match people.iter().find(|p| p.id.value == by) {
        Some(p) => *p,
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
                [p] => **p,
                [] => {
                    return Err(Error::Usage(format!(
                        "`{by}` is not a person in registers/people.yaml; approvals must name one of the plan's people"
                    )));
                }
                _ => {
                    return Err(Error::Usage(format!(
                        "more than one person in registers/people.yaml is called `{by}`; give the person's id with --by"
                    )));
                }
            }
        }
    };
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
        return Err(Error::Usage("--as needs a role, such as SER".into()));
    }
    let repo = &pr.repo;
    let git = |e: git2::Error| Error::git(&pr.workdir, e);
    let head = repo.head().and_then(|h| h.peel_to_commit()).map_err(|_| {
        Error::Usage("the plan's repository has no commit yet: commit the plan first".into())
    })?;
    let tree = head.tree().map_err(git)?;

    let mut files = Vec::new();
    for raw in &opts.paths {
        let rel = clean_path(raw)?;
        let abs = plan.root.join(&rel);
        let meta = std::fs::symlink_metadata(&abs)
            .map_err(|_| Error::Usage(format!("`{rel}` does not exist in the plan")))?;
        if meta.file_type().is_symlink() || !meta.is_file() {
            return Err(Error::Usage(format!(
                "`{rel}` is not a file of the plan (links and folders cannot be approved)"
            )));
        }
        let repo_path = if pr.prefix.is_empty() {
            rel.clone()
        } else {
            format!("{}/{rel}", pr.prefix)
        };
        let status = repo.status_file(Path::new(&repo_path)).map_err(git)?;
        if !status.is_empty() {
            return Err(Error::Usage(format!(
                "`{rel}` has changes that are not committed; commit them first, so that what is approved is recorded"
            )));
        }
        let entry = tree
            .get_path(Path::new(&repo_path))
            .map_err(|_| Error::Usage(format!("`{rel}` is not committed yet")))?;
        files.push((repo_path, entry.id().to_string()));
    }
    if files.is_empty() {
        return Err(Error::Usage("name at least one file to approve".into()));
    }

    // A short subject; the trailers below list every file.
    let mut message = match files.as_slice() {
        [(one, _)] => format!("Approve {one}\n\n"),
        many => format!("Approve {} documents\n\n", many.len()),
    };
    if let Some(m) = opts
        .message
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        message.push_str(m);
        message.push_str("\n\n");
    }
    message.push_str(&format!(
        "{APPROVED_BY}: {approver}\n{APPROVED_ROLE}: {role}\n"
    ));
    for (path, blob) in &files {
        message.push_str(&format!("{APPROVED_BLOB}: {path} {blob}\n"));
    }
    let (sig, fallback) = match repo.signature() {
        Ok(s) => (s, false),
        Err(_) => (
            git2::Signature::now("bsrmp", "bsrmp@localhost").map_err(git)?,
            true,
        ),
    };
    let sig = match opts.time {
        Some(t) => {
            let time = git2::Time::new(t.as_second(), 0);
            git2::Signature::new(
                sig.name().unwrap_or("bsrmp"),
                sig.email().unwrap_or("bsrmp@localhost"),
                &time,
            )
            .map_err(git)?
        }
        None => sig,
    };
    let oid = repo
        .commit(Some("HEAD"), &sig, &sig, &message, &tree, &[&head])
        .map_err(git)?;
    Ok(ApproveReport {
        commit: oid.to_string(),
        files,
        approver,
        fallback_identity: fallback,
        detached: repo.head_detached().unwrap_or(false),
    })
}
