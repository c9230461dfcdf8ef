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
    #[error("{path} already exists and is not empty; bsrmp never overwrites existing files")]
    TargetNotEmpty { path: PathBuf },
    #[error("the plan cannot be read: {} problem(s) in its files", findings.len())]
    InvalidPlan {
        findings: Vec<Finding>,
        /// The text of the files read, for snippets.
        texts: std::collections::BTreeMap<String, String>,
    },
    #[error("git failed for {path}: {message}")]
    Git { path: PathBuf, message: String },
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
        let mut message = err.message().to_string();
        if err.class() == git2::ErrorClass::Odb && err.code() == git2::ErrorCode::NotFound {
            message.push_str(
                "; the repository is missing objects (damaged, or a partial clone): `git fsck` lists what is missing",
            );
        }
        Error::Git {
            path: path.into(),
            message,
        }
    }
}
