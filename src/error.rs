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
    #[error("the pack's {file} could not be made: {message}")]
    Csv { file: String, message: String },
    #[error("the PDF could not be made: {0}")]
    Pdf(String),
    #[error("the workbook could not be made: {0}")]
    Export(String),
    #[error(
        "{out} is inside the plan's folder {plan}; write the export outside the plan, so it does not become part of it"
    )]
    ExportInsidePlan { out: PathBuf, plan: PathBuf },
    #[error(
        "{path} already exists; export never replaces a file or a folder with files in it: choose a new name, or remove it first"
    )]
    ExportExists { path: PathBuf },
    #[error(
        "this bsrmp was built without the PDF writer (the `pdf` feature); rebuild it with default features, or ask for the other formats only"
    )]
    PdfNotBuilt,
    // Paths and people named for a command.
    /// A path given for the plan that leaves it (absolute, or through `..`).
    #[error(
        "`{path}` is not inside the plan: give paths relative to the plan's folder, without `..`"
    )]
    OutsidePlan { path: String },
    /// A file name that would break a commit trailer line.
    #[error("`{path}` has a line break or control character in its name; rename the file first")]
    ControlInName { path: String },
    #[error("`{path}` {why}")]
    NotApprovable { path: String, why: NotApprovable },
    #[error("name at least one file to approve")]
    NothingToApprove,
    #[error("an approval needs a role, such as SER")]
    NoRole,
    #[error(
        "`{name}` is not a person in registers/people.yaml; approvals must name one of the plan's people"
    )]
    UnknownPerson { name: String },
    #[error(
        "more than one person in registers/people.yaml is called `{name}`; name the person by id instead"
    )]
    AmbiguousPerson { name: String },

    // Repositories.
    #[error("{path} is not in a git repository; {why}")]
    NotInGit { path: PathBuf, why: &'static str },
    #[error("{path} has no commit yet; commit the plan first")]
    NoCommit { path: PathBuf },
    #[error("{path} is not in the commit")]
    NotInCommit { path: String },
    #[error("cannot clone {url}")]
    Clone {
        url: String,
        #[source]
        source: git2::Error,
    },

    // Joint plans.
    /// A source of fork-joint has no committed rmp.toml; `folder` is where
    /// in a cloned repository it was looked for.
    #[error("{}", no_committed_plan(.plan, .folder.as_deref()))]
    NoCommittedPlan {
        plan: String,
        folder: Option<String>,
    },
    #[error(
        "{plan}/rmp.toml names no party; fork-joint needs each plan's own organisation as its first [[parties]] entry"
    )]
    NoOwnParty { plan: String },
    #[error(
        "the party id `{id}` cannot name a folder (parties/{id}/); use letters, digits, '-', '_' or '.'"
    )]
    BadPartyId { id: String },
    #[error(
        "both plans speak for the party `{party}`; a joint plan needs two different parties (change one plan's party id in its rmp.toml)"
    )]
    SameParty { party: String },
    #[error(
        "{out} is inside the plan {plan}; fork-joint never writes into its sources, so put the joint plan elsewhere"
    )]
    JointInsideSource { out: PathBuf, plan: String },

    // Where output goes.
    #[error(
        "{out} is inside the plan's folder {plan}; write the pack outside the plan, so it does not become part of it"
    )]
    PackInsidePlan { out: PathBuf, plan: PathBuf },
    #[error(
        "{path} is {}, not a folder; a pack is written into a new folder, an empty one or an earlier pack",
        if *.link { "a symbolic link" } else { "a file" }
    )]
    NotAFolder { path: PathBuf, link: bool },
    #[error(
        "{path} holds an earlier pack and files that are not part of it ({extra}); move them out first, as replacing the pack would remove them"
    )]
    PackWithOtherFiles { path: PathBuf, extra: String },
    #[error("{path} exists and was not written by bsrmp; move it away first")]
    NotOurs { path: PathBuf },
    #[error("{path} is a symbolic link; templates must be regular files inside {dir}")]
    TemplateLink { path: PathBuf, dir: PathBuf },

    // Starting a plan.
    #[error("the organisation's name is empty; give it, such as \"Acme Rail Ltd\"")]
    NoOrganisation,
    #[error("{path} is a {kind} plan; a project plan starts from a corporate plan")]
    NotCorporate { path: PathBuf, kind: &'static str },

    /// Something bsrmp itself got wrong (a value it made that cannot be
    /// written); never the user's doing.
    #[error("internal error: {0}; please report it")]
    Internal(String),
}

/// Why a file cannot be approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotApprovable {
    #[error("does not exist in the plan")]
    Missing,
    #[error("is not a file of the plan (links and folders cannot be approved)")]
    NotAFile,
    #[error(
        "has changes that are not committed; commit them first, so that what is approved is recorded"
    )]
    Uncommitted,
    #[error("is not committed yet")]
    NotCommitted,
}

fn no_committed_plan(plan: &str, folder: Option<&str>) -> String {
    match folder {
        None => format!("{plan} has no committed rmp.toml; commit the plan first"),
        Some(folder) => {
            let at = if folder.is_empty() {
                "at its top".to_string()
            } else {
                format!("in {folder}")
            };
            format!(
                "the repository {plan} has no committed rmp.toml {at}; if the plan is in a folder of it, name the folder after a #, as in URL#plans/acme"
            )
        }
    }
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

#[cfg(test)]
mod tests {
    /// The library serves other front ends than the command line, so its
    /// errors speak of what is wrong, never of the flags that cause it.
    #[test]
    fn no_error_message_names_a_flag() {
        let source = include_str!("error.rs");
        let messages = source
            .split("#[error(")
            .skip(1)
            .map(|m| m.split(")]").next().unwrap_or(""));
        for m in messages {
            let flag = m.match_indices("--").any(|(i, _)| {
                m[i + 2..].starts_with(|c: char| c.is_ascii_lowercase())
                    && !m[..i].ends_with("git config ")
            });
            assert!(!flag, "an error message names a flag: {m}");
        }
    }
}
