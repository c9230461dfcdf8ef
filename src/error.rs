//! Operational failures: things that stop a command before or outside the
//! assessment itself. Problems in the plan's content are [`crate::diag::Finding`]s.

use std::path::PathBuf;

use crate::diag::Finding;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a plan: there is no rmp.toml in it (start one with `bsrmp init`)")]
    NotAPlan { path: PathBuf },
    #[error(
        "{path} already exists and is not an empty folder; bsrmp never overwrites existing files"
    )]
    TargetNotEmpty { path: PathBuf },
    #[error("the plan cannot be read: {} problem(s) in its files", findings.len())]
    InvalidPlan {
        findings: Vec<Finding>,
        /// The text of the files read, for snippets.
        texts: std::collections::BTreeMap<String, String>,
    },
    /// A git operation failed; `what` says what happened in plain words and
    /// what to do, the git error is kept as the source.
    #[error("git failed for {path}: {what}")]
    Git {
        path: PathBuf,
        what: String,
        #[source]
        source: git2::Error,
    },
    /// `--rev` named something that is not a commit.
    #[error("`{rev}` is not a commit of this repository: {reason}")]
    BadRevision {
        rev: String,
        reason: String,
        #[source]
        source: git2::Error,
    },
    /// A write that reported success but was not kept: checked by reading it
    /// back, so that a command never says it did what it did not.
    #[error(
        "{what} was not recorded, because {path} cannot be written: {source}. Nothing was changed"
    )]
    NotRecorded {
        what: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// An approval claimed a role the plan does not give its approver.
    #[error("{person} does not hold the role \"{role}\" in this plan. {}", held_roles(.held, .sers))]
    RoleNotHeld {
        person: String,
        role: String,
        /// What the person does hold, each with where the plan says so.
        held: Vec<String>,
        /// The plan's SERs, each with where the plan says so.
        sers: Vec<String>,
    },
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    #[error(
        "{path} is not empty and does not hold an earlier pack; bsrmp writes a pack only into a new folder, an empty one or an earlier pack"
    )]
    NotAPack { path: PathBuf },
    #[error("the PDF could not be made: {0}")]
    Pdf(String),
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn git(path: impl Into<PathBuf>, err: git2::Error) -> Self {
        Error::Git {
            path: path.into(),
            what: explain_git(&err),
            source: err,
        }
    }
}

/// What a git error means for the user, and what to do about it. libgit2's
/// own words ("old reference value does not match") stay as the source.
fn explain_git(err: &git2::Error) -> String {
    use git2::{ErrorClass, ErrorCode};
    match (err.code(), err.class()) {
        (ErrorCode::NotFound, ErrorClass::Odb) => format!(
            "{}; the repository is missing objects (damaged, or a partial clone): `git fsck` lists what is missing",
            err.message()
        ),
        (ErrorCode::Locked, _) => "another git command is working in this repository (it holds a lock), so nothing was recorded; run this again once it has finished. If no git command is running, a crashed one left its lock file behind (git names it below): remove it".into(),
        (ErrorCode::Modified, _) => "another command changed the branch at the same moment, so nothing was recorded; run this again".into(),
        (ErrorCode::Owner, _) => "the repository belongs to another user, and git does not use it unless told it is safe: if you trust it, run `git config --global --add safe.directory <the repository's folder>`".into(),
        _ => err.message().to_string(),
    }
}

fn held_roles(held: &[String], sers: &[String]) -> String {
    let mut out = if held.is_empty() {
        "The plan gives them no role.".to_string()
    } else {
        format!("The roles the plan gives them: {}.", held.join("; "))
    };
    if !sers.is_empty() {
        out.push_str(&format!(" The plan's SER: {}.", sers.join("; ")));
    }
    out.push_str(
        " Approve with a role they hold, or record the role in the plan and commit it first",
    );
    out
}
