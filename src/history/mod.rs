//! Document control from git: every file's revisions and approvals, read in
//! one walk of the history (not one walk per file).

mod approve;
pub mod register;
pub mod roles;
pub mod tree;
mod walk;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use approve::{ApproveOptions, approve, clean_path};
pub use walk::{Depth, load};

use crate::error::{Error, Result};
use crate::plan::date::Date;

/// How much of the objects it has parsed libgit2 keeps for reuse (256 MB
/// unless told). A history walk reads each commit's tree once or twice in a
/// row, so a small cache loses nothing: at four times the bench's size the
/// default held about 100 MB of trees and commits, and `log` took as long
/// with 4 MB (docs/benchmarks.md).
const GIT_CACHE: usize = 4 << 20;

/// Sets how much of the objects it has parsed libgit2 keeps in memory.
///
/// # Safety
/// The limit is a C global of libgit2: call this before any thread uses it.
pub unsafe fn limit_git_memory() {
    // SAFETY: the caller's promise: no other thread uses libgit2 yet.
    unsafe {
        let _ = git2::opts::set_cache_max_size(GIT_CACHE as libc::ssize_t);
    }
}

/// Trailer keys of an approval commit.
pub const APPROVED_BY: &str = "Approved-by";
pub const APPROVED_ROLE: &str = "Approved-role";
/// `<path in the repository> <blob id>`, one per approved file. Repository
/// paths keep the approvals of two plans in one repository apart.
pub const APPROVED_BLOB: &str = "Approved-blob";

#[derive(Debug, Clone, Serialize)]
pub struct Revision {
    pub commit: String,
    pub date: Date,
    /// Seconds since the epoch, for ordering.
    #[serde(skip)]
    pub time: i64,
    pub author: String,
    /// The author's email, to find them among the plan's people.
    #[serde(skip)]
    pub email: String,
    pub summary: String,
    /// The file's path in that commit, relative to the plan (differs after a rename).
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Approval {
    pub commit: String,
    pub date: Date,
    /// Seconds since the epoch, to tell which revisions came after it.
    #[serde(skip)]
    pub time: i64,
    pub by: String,
    pub role: String,
    /// The blob (content) approved.
    pub blob: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FileHistory {
    /// Newest first.
    pub revisions: Vec<Revision>,
    /// Newest first.
    pub approvals: Vec<Approval>,
}

impl FileHistory {
    /// The document's version as of `today`, `A.R`: A is how many times new
    /// content was approved, R how many commits changed it after its last
    /// approval (all of them before the first). `1.0` is the first approved
    /// issue as it stands; `1.2` that issue changed twice since; `0.3` a
    /// draft. An approval dated after `today` does not count yet, as for
    /// [`History::approval_state_on`]; a commit in the same second as an
    /// approval came before it (`approve` commits the content first).
    /// `changed`: the content differs from the last approved one all the
    /// same (uncommitted changes, an approval of older content), so R is at
    /// least 1 and the version never says "as approved" when the state does not.
    pub fn version(&self, today: Option<Date>, changed: bool) -> String {
        let counted: Vec<&Approval> = self
            .approvals
            .iter()
            .filter(|a| today.is_none_or(|t| a.date <= t))
            .collect();
        let mut issues = 0;
        let mut last: Option<&str> = None;
        // Oldest first: an approval of content already approved (a second
        // party's SER) is the same issue.
        for a in counted.iter().rev() {
            if last != Some(a.blob.as_str()) {
                issues += 1;
                last = Some(&a.blob);
            }
        }
        let mut since = match counted.iter().map(|a| a.time).max() {
            Some(t) => self.revisions.iter().filter(|r| r.time > t).count(),
            None => self.revisions.len(),
        };
        if changed && issues > 0 {
            since = since.max(1);
        }
        format!("{issues}.{since}")
    }
}

/// Where a document stands with respect to its approvals.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum ApprovalState {
    /// Its content is the content last approved.
    Approved {
        by: String,
        role: String,
        date: Date,
        commit: String,
    },
    /// It was approved, and has changed since.
    ChangedSinceApproval {
        by: String,
        role: String,
        date: Date,
        commit: String,
    },
    NeverApproved,
}

#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// The plan's folder relative to the repository's work tree ("" at the top).
    pub prefix: String,
    /// The commit the history was read from.
    pub head: Option<String>,
    pub commits: usize,
    /// A shallow clone: older history is missing.
    pub shallow: bool,
    /// By the file's path at `head`, relative to the plan.
    pub files: BTreeMap<String, FileHistory>,
}

impl History {
    /// The history of the plan inside `prefix/` (a party's plan in a joint
    /// plan), with paths relative to it.
    pub fn under(&self, prefix: &str) -> History {
        let p = format!("{}/", prefix.trim_end_matches('/'));
        History {
            prefix: format!(
                "{}{p}",
                if self.prefix.is_empty() {
                    String::new()
                } else {
                    format!("{}/", self.prefix)
                }
            ),
            head: self.head.clone(),
            commits: self.commits,
            shallow: self.shallow,
            files: self
                .files
                .iter()
                .filter_map(|(k, v)| k.strip_prefix(&p).map(|rel| (rel.to_string(), v.clone())))
                .collect(),
        }
    }

    pub fn file(&self, path: &str) -> Option<&FileHistory> {
        self.files.get(path)
    }

    /// The approval state of a file; `blob` gives the blob id of its current
    /// content, asked only of files that have been approved (hashing a large
    /// register is not free).
    pub fn approval_state(
        &self,
        path: &str,
        blob: impl FnOnce() -> Option<String>,
    ) -> ApprovalState {
        self.approval_state_on(path, None, blob)
    }

    /// The approval state as of `today`: an approval dated after it does not
    /// count yet, as a review dated after it does not.
    pub fn approval_state_on(
        &self,
        path: &str,
        today: Option<Date>,
        blob: impl FnOnce() -> Option<String>,
    ) -> ApprovalState {
        let Some(last) = self.file(path).and_then(|f| {
            f.approvals
                .iter()
                .find(|a| today.is_none_or(|t| a.date <= t))
        }) else {
            return ApprovalState::NeverApproved;
        };
        let (by, role, date, commit) = (
            last.by.clone(),
            last.role.clone(),
            last.date,
            last.commit.clone(),
        );
        if blob().as_deref() == Some(last.blob.as_str()) {
            ApprovalState::Approved {
                by,
                role,
                date,
                commit,
            }
        } else {
            ApprovalState::ChangedSinceApproval {
                by,
                role,
                date,
                commit,
            }
        }
    }
}

/// The repository holding the plan, and the plan's folder within it.
pub struct PlanRepo {
    pub repo: git2::Repository,
    pub workdir: PathBuf,
    pub prefix: String,
}

impl PlanRepo {
    /// The commit `rev` names, or HEAD without one; `None` when HEAD has no
    /// commit yet (a new repository).
    pub fn resolve(&self, rev: Option<&str>) -> Result<Option<String>> {
        match rev {
            Some(r) => resolve_rev(&self.repo, r).map(|c| Some(c.id().to_string())),
            None => match self.repo.head().and_then(|h| h.peel_to_commit()) {
                Ok(c) => Ok(Some(c.id().to_string())),
                Err(e)
                    if matches!(
                        e.code(),
                        git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
                    ) =>
                {
                    Ok(None)
                }
                Err(e) => Err(Error::git(&self.workdir, e)),
            },
        }
    }

    /// The plan's files that differ from HEAD, untracked ones included,
    /// relative to the plan. `None` when git cannot tell.
    pub fn changed_files(&self) -> Option<Vec<String>> {
        let mut so = git2::StatusOptions::new();
        so.include_untracked(true).recurse_untracked_dirs(true);
        if !self.prefix.is_empty() {
            so.pathspec(format!("{}/", self.prefix));
        }
        let statuses = self.repo.statuses(Some(&mut so)).ok()?;
        Some(
            statuses
                .iter()
                .filter(|s| !s.status().is_ignored())
                .filter_map(|s| {
                    s.path()
                        .ok()
                        .map(|p| plan_relative(&self.prefix, p).unwrap_or(p).to_string())
                })
                .collect(),
        )
    }

    /// Clones `url` into `dir`; the plan is in its folder `prefix`.
    pub fn clone(url: &str, dir: &Path, prefix: String) -> Result<PlanRepo> {
        let repo = git2::build::RepoBuilder::new()
            .clone(url, dir)
            .map_err(|source| Error::Clone {
                url: url.to_string(),
                source,
            })?;
        let workdir = repo
            .workdir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| dir.to_path_buf());
        Ok(PlanRepo {
            repo,
            workdir,
            prefix,
        })
    }

    /// A second handle on the same repository, for another thread (libgit2
    /// handles cannot be shared between threads).
    pub fn reopen(&self) -> Result<PlanRepo> {
        let repo =
            git2::Repository::open(self.repo.path()).map_err(|e| Error::git(&self.workdir, e))?;
        Ok(PlanRepo {
            repo,
            workdir: self.workdir.clone(),
            prefix: self.prefix.clone(),
        })
    }
}

/// Finds the git repository that holds `plan_root`, if there is one.
pub fn open(plan_root: &Path) -> Result<Option<PlanRepo>> {
    // bsrmp only reads objects to show history; re-hashing every object read
    // to verify it costs a quarter of the walk, and git itself does not do it
    // on reads either (`git fsck` does).
    git2::opts::strict_hash_verification(false);
    let abs = plan_root.canonicalize().map_err(|source| Error::Read {
        path: plan_root.to_path_buf(),
        source,
    })?;
    let repo = match git2::Repository::discover(&abs) {
        Ok(r) => r,
        Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
        Err(e) => return Err(Error::git(plan_root, e)),
    };
    let Some(workdir) = repo
        .workdir()
        .map(|w| w.canonicalize().unwrap_or_else(|_| w.to_path_buf()))
    else {
        return Ok(None);
    };
    let prefix = abs
        .strip_prefix(&workdir)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    Ok(Some(PlanRepo {
        repo,
        workdir,
        prefix,
    }))
}

/// The work tree of the git repository that `dir` (which may not exist yet)
/// would lie inside.
pub fn enclosing_workdir(dir: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(dir).ok()?;
    let start = abs.ancestors().find(|a| a.exists())?;
    let repo = git2::Repository::discover(start).ok()?;
    repo.workdir().map(Path::to_path_buf)
}

/// A new repository in `dir` with everything in it committed: the commit's
/// id, and whether bsrmp's own identity was used (git has none configured).
pub fn first_commit(dir: &Path, message: &str) -> std::result::Result<(String, bool), git2::Error> {
    let repo = git2::Repository::init(dir)?;
    let mut index = repo.index()?;
    index.add_all(["*"], git2::IndexAddOption::DEFAULT, None)?;
    index.write()?;
    let tree = repo.find_tree(index.write_tree()?)?;
    let (sig, fallback) = signature(&repo, None)?;
    let oid = repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &[])?;
    Ok((oid.to_string(), fallback))
}

/// The identity commits are made with: git's configured one, else bsrmp's own
/// (`true` says so); at `time` when given, else now.
pub fn signature(
    repo: &git2::Repository,
    time: Option<jiff::Timestamp>,
) -> std::result::Result<(git2::Signature<'static>, bool), git2::Error> {
    let (sig, fallback) = match repo.signature() {
        Ok(s) => (s, false),
        Err(_) => (git2::Signature::now("bsrmp", "bsrmp@localhost")?, true),
    };
    let sig = match time {
        Some(t) => git2::Signature::new(
            sig.name().unwrap_or("bsrmp"),
            sig.email().unwrap_or("bsrmp@localhost"),
            &git2::Time::new(t.as_second(), 0),
        )?,
        None => sig,
    };
    Ok((sig, fallback))
}

/// Checks that the repository at `dir` has `commit` at HEAD, read afresh:
/// a command that made a repository reports it only once it is there.
pub fn verify_head(dir: &Path, commit: &str, what: &str) -> Result<()> {
    let found = git2::Repository::open(dir)
        .ok()
        .and_then(|r| r.refname_to_id("HEAD").ok())
        .map(|id| id.to_string());
    if found.as_deref() == Some(commit) {
        return Ok(());
    }
    Err(Error::NotRecorded {
        what: what.to_string(),
        path: dir.to_path_buf(),
        source: std::io::Error::other(match found {
            Some(other) => format!("its HEAD is {other}, not the commit made"),
            None => "no repository with a commit is there".to_string(),
        }),
    })
}

/// The commit `rev` names (`--rev`), or why it names none, in words that
/// say what to give instead.
pub fn resolve_rev<'r>(repo: &'r git2::Repository, rev: &str) -> Result<git2::Commit<'r>> {
    let bad = |reason: String, source: git2::Error| Error::BadRevision {
        rev: rev.to_string(),
        reason,
        source,
    };
    let object = repo.revparse_single(rev).map_err(|e| {
        let reason = if rev.contains("@{-") {
            "git has no record of that many earlier checkouts here".to_string()
        } else if rev.contains("@{") {
            "git's record of where the branch has been (the reflog) does not reach it".to_string()
        } else {
            "git finds no branch, tag or commit of that name; `git log --oneline` lists the commits"
                .to_string()
        };
        bad(reason, e)
    })?;
    let kind = object.kind().map_or("object", |k| k.str());
    object.peel_to_commit().map_err(|e| {
        bad(
            format!("it names a {kind}, not a commit; give a branch, a tag or a commit id"),
            e,
        )
    })
}

fn date_of(time: git2::Time) -> Date {
    let offset =
        jiff::tz::Offset::from_seconds(time.offset_minutes() * 60).unwrap_or(jiff::tz::Offset::UTC);
    let ts = jiff::Timestamp::from_second(time.seconds()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    Date(ts.to_zoned(jiff::tz::TimeZone::fixed(offset)).date())
}

fn plan_relative<'a>(prefix: &str, path: &'a str) -> Option<&'a str> {
    if prefix.is_empty() {
        Some(path)
    } else {
        path.strip_prefix(prefix)?.strip_prefix('/')
    }
}

/// Parses the approval trailers of a commit message.
pub fn approvals_in(message: &str) -> Vec<(String, String, String, String)> {
    let Ok(trailers) = git2::message_trailers_strs(message) else {
        return Vec::new();
    };
    let mut by = String::new();
    let mut role = String::new();
    let mut blobs = Vec::new();
    for (key, value) in trailers.iter() {
        match key {
            APPROVED_BY => by = value.trim().to_string(),
            APPROVED_ROLE => role = value.trim().to_string(),
            APPROVED_BLOB => {
                // A blob id is 40 (or 64) hex digits; anything else is a
                // broken trailer and approves nothing.
                if let Some((path, blob)) = value.trim().rsplit_once(' ')
                    && matches!(blob.trim().len(), 40 | 64)
                    && blob.trim().bytes().all(|b| b.is_ascii_hexdigit())
                {
                    blobs.push((path.trim().to_string(), blob.trim().to_string()));
                }
            }
            _ => {}
        }
    }
    if by.is_empty() {
        return Vec::new();
    }
    blobs
        .into_iter()
        .map(|(path, blob)| (path, blob, by.clone(), role.clone()))
        .collect()
}

/// Gives the blob id of a plan file's content as checked (work tree or commit).
pub type BlobOf<'a> = Box<dyn Fn(&str) -> Option<String> + 'a>;

/// The blob id the file's current content would have in git.
pub fn blob_of(path: &Path) -> Option<String> {
    git2::Oid::hash_file(git2::ObjectType::Blob, path)
        .ok()
        .map(|o| o.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revision(time: i64) -> Revision {
        Revision {
            commit: format!("c{time}"),
            date: Date::ymd(2026, 1, 1),
            time,
            author: "A".into(),
            email: String::new(),
            summary: String::new(),
            path: "x.md".into(),
        }
    }

    fn approval(time: i64, blob: &str) -> Approval {
        Approval {
            commit: format!("a{time}"),
            date: Date::ymd(2026, 1, 1),
            time,
            by: "ser".into(),
            role: "SER".into(),
            blob: blob.into(),
        }
    }

    #[test]
    fn a_version_counts_issues_approved_and_changes_since() {
        let mut f = FileHistory {
            revisions: vec![revision(30), revision(20), revision(10)],
            approvals: Vec::new(),
        };
        assert_eq!(f.version(None, false), "0.3");
        f.approvals = vec![approval(25, "b2")];
        assert_eq!(f.version(None, false), "1.1");
        // Newest first, as the walk gives them; two SERs approving one content.
        f.approvals = vec![approval(35, "b3"), approval(26, "b2"), approval(25, "b2")];
        assert_eq!(f.version(None, false), "2.0");
        assert_eq!(FileHistory::default().version(None, false), "0.0");
        // A commit in the same second as the approval came before it.
        f.approvals = vec![approval(30, "b3")];
        assert_eq!(f.version(None, false), "1.0");
        // Changed all the same: not "as approved".
        assert_eq!(f.version(None, true), "1.1");
    }

    #[test]
    fn an_approval_after_today_does_not_count_yet() {
        let mut late = approval(40, "b4");
        late.date = Date::ymd(2027, 6, 1);
        let f = FileHistory {
            revisions: vec![revision(30), revision(20)],
            approvals: vec![late],
        };
        assert_eq!(f.version(Some(Date::ymd(2027, 1, 1)), false), "0.2");
        assert_eq!(f.version(Some(Date::ymd(2027, 6, 1)), false), "1.0");
    }
}
