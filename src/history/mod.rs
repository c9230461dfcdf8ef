//! Document control from git: every file's revisions and approvals, read in
//! one walk of the history (not one walk per file).

mod approve;
pub mod control;
pub mod register;
pub mod tree;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use approve::{ApproveOptions, approve, clean_path};

use crate::error::{Error, Result};
use crate::plan::date::Date;

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
    pub summary: String,
    /// The file's path in that commit, relative to the plan (differs after a rename).
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Approval {
    pub commit: String,
    pub date: Date,
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

    /// The approval state of a file whose current content has blob id `blob`.
    pub fn approval_state(&self, path: &str, blob: Option<&str>) -> ApprovalState {
        let Some(last) = self.file(path).and_then(|f| f.approvals.first()) else {
            return ApprovalState::NeverApproved;
        };
        let (by, role, date, commit) = (
            last.by.clone(),
            last.role.clone(),
            last.date,
            last.commit.clone(),
        );
        if blob == Some(last.blob.as_str()) {
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

/// Reads the history of every file under the plan, from `rev` (default HEAD).
/// `None` when the repository has no commits yet.
pub fn load(pr: &PlanRepo, rev: Option<&str>) -> Result<Option<History>> {
    let repo = &pr.repo;
    let git = |e: git2::Error| Error::git(&pr.workdir, e);
    let start = match rev {
        Some(r) => repo
            .revparse_single(r)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| {
                Error::Usage(format!(
                    "`{r}` is not a commit of this repository: {}",
                    e.message()
                ))
            })?,
        None => match repo.head().and_then(|h| h.peel_to_commit()) {
            Ok(c) => c,
            Err(e)
                if matches!(
                    e.code(),
                    git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
                ) =>
            {
                return Ok(None);
            }
            Err(e) => return Err(git(e)),
        },
    };
    let mut walk = repo.revwalk().map_err(git)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)
        .map_err(git)?;
    walk.push(start.id()).map_err(git)?;

    let mut files: BTreeMap<String, FileHistory> = BTreeMap::new();
    // A path as older commits name it -> the path the file has at the start commit.
    let mut alias: HashMap<String, String> = HashMap::new();
    let mut opts = git2::DiffOptions::new();
    opts.skip_binary_check(true).ignore_filemode(true);
    if !pr.prefix.is_empty() {
        opts.pathspec(format!("{}/", pr.prefix));
    }
    let mut commits = 0;
    for oid in walk {
        let oid = oid.map_err(git)?;
        let commit = repo.find_commit(oid).map_err(git)?;
        commits += 1;
        let id = oid.to_string();
        let date = date_of(commit.author().when());
        let message = commit.message().unwrap_or_default();
        for (path, blob, by, role) in approvals_in(message) {
            let Some(rel) = plan_relative(&pr.prefix, &path) else {
                continue;
            };
            let key = alias.get(rel).cloned().unwrap_or_else(|| rel.to_string());
            files.entry(key).or_default().approvals.push(Approval {
                commit: id.clone(),
                date,
                by,
                role,
                blob,
            });
        }
        // A merge's changes mostly belong to the commits on the merged
        // branches, which the walk visits; only what the merge itself made
        // (content found in none of its parents) is its own revision.
        let mut others = Vec::new();
        for i in 1..commit.parent_count() {
            others.push(commit.parent(i).and_then(|p| p.tree()).map_err(git)?);
        }
        let from_a_parent = |path: &str, new: git2::Oid| {
            others
                .iter()
                .any(|t| match t.get_path(std::path::Path::new(path)) {
                    Ok(e) => e.id() == new,
                    Err(_) => new.is_zero(),
                })
        };
        let tree = commit.tree().map_err(git)?;
        let parent_tree = match commit.parent(0) {
            Ok(p) => Some(p.tree().map_err(git)?),
            Err(_) => None,
        };
        let mut diff = repo
            .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut opts))
            .map_err(git)?;
        // Rename detection is costly: only when a file both appeared and went.
        let (mut added, mut deleted) = (false, false);
        for d in diff.deltas() {
            added |= d.status() == git2::Delta::Added;
            deleted |= d.status() == git2::Delta::Deleted;
        }
        if added && deleted {
            let mut find = git2::DiffFindOptions::new();
            find.renames(true);
            diff.find_similar(Some(&mut find)).map_err(git)?;
        }
        let author = commit.author();
        let author = author.name().unwrap_or("unknown").to_string();
        let summary = commit
            .summary()
            .ok()
            .flatten()
            .unwrap_or_default()
            .to_string();
        for d in diff.deltas() {
            let new_path = d
                .new_file()
                .path()
                .and_then(|p| p.to_str())
                .unwrap_or_default();
            let old_path = d
                .old_file()
                .path()
                .and_then(|p| p.to_str())
                .unwrap_or_default();
            let path = if d.status() == git2::Delta::Deleted {
                old_path
            } else {
                new_path
            };
            let Some(rel) = plan_relative(&pr.prefix, path) else {
                continue;
            };
            if !others.is_empty() && from_a_parent(path, d.new_file().id()) {
                continue;
            }
            let key = alias.get(rel).cloned().unwrap_or_else(|| rel.to_string());
            files
                .entry(key.clone())
                .or_default()
                .revisions
                .push(Revision {
                    commit: id.clone(),
                    date,
                    time: commit.time().seconds(),
                    author: author.clone(),
                    summary: summary.clone(),
                    path: rel.to_string(),
                });
            if d.status() == git2::Delta::Renamed
                && let Some(old_rel) = plan_relative(&pr.prefix, old_path)
            {
                alias.insert(old_rel.to_string(), key);
            }
        }
    }
    Ok(Some(History {
        prefix: pr.prefix.clone(),
        head: Some(start.id().to_string()),
        commits,
        shallow: repo.is_shallow(),
        files,
    }))
}

/// Gives the blob id of a plan file's content as checked (work tree or commit).
pub type BlobOf<'a> = Box<dyn Fn(&str) -> Option<String> + 'a>;

/// The blob id the file's current content would have in git.
pub fn blob_of(path: &Path) -> Option<String> {
    git2::Oid::hash_file(git2::ObjectType::Blob, path)
        .ok()
        .map(|o| o.to_string())
}
