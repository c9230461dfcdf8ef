//! The one walk of the history. Each commit's own changes are found by
//! comparing its tree with its first parent's, descending only into subtrees
//! whose ids differ (as `git log` does), and the commits are shared out among
//! threads. The results are then folded in order, newest first, which is where
//! renames are followed.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::{Approval, FileHistory, History, PlanRepo, Revision, approvals_in, date_of};
use crate::error::{Error, Result};
use crate::plan::date::Date;

/// What a command needs from the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Approvals only, from commit messages: enough for `check` and `status`.
    Approvals,
    /// Every file's revisions too: `log` and `render`.
    Full,
}

/// A change a commit made to one file.
struct Change {
    /// The file's path before the change (a rename's old path, or a deleted file).
    old: Option<String>,
    /// Its path after (`None` for a deletion).
    new: Option<String>,
}

/// What the fold needs of one commit.
struct CommitInfo {
    id: String,
    date: Date,
    time: i64,
    author: String,
    email: String,
    summary: String,
    approvals: Vec<(String, String, String, String)>,
    changes: Vec<Change>,
}

/// Reads the history of every file under the plan, from the commit `start`
/// (an id, as [`PlanRepo::resolve`] gives it) back.
pub fn load(pr: &PlanRepo, start: &str, depth: Depth) -> Result<History> {
    let git = |e: git2::Error| Error::git(&pr.workdir, e);
    let start = git2::Oid::from_str(start)
        .and_then(|id| pr.repo.find_commit(id))
        .map_err(git)?;
    let mut walk = pr.repo.revwalk().map_err(git)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)
        .map_err(git)?;
    walk.push(start.id()).map_err(git)?;
    let oids = walk
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(git)?;

    let history = match depth {
        Depth::Approvals => {
            let h = approvals_only(pr, &start, &oids)?;
            // An approval of a path the plan no longer has may belong to a
            // file renamed since: only the full walk can follow it.
            if h.files.keys().all(|p| exists_at(pr, &start, p)) {
                h
            } else {
                fold(pr, &start, changes(pr, &oids)?)
            }
        }
        Depth::Full => fold(pr, &start, changes(pr, &oids)?),
    };
    Ok(history)
}

fn exists_at(pr: &PlanRepo, start: &git2::Commit, rel: &str) -> bool {
    let full = if pr.prefix.is_empty() {
        rel.to_string()
    } else {
        format!("{}/{rel}", pr.prefix)
    };
    start
        .tree()
        .and_then(|t| t.get_path(Path::new(&full)))
        .is_ok()
}

fn approvals_only(pr: &PlanRepo, start: &git2::Commit, oids: &[git2::Oid]) -> Result<History> {
    let git = |e: git2::Error| Error::git(&pr.workdir, e);
    let mut files: BTreeMap<String, FileHistory> = BTreeMap::new();
    for oid in oids {
        let commit = pr.repo.find_commit(*oid).map_err(git)?;
        let message = commit.message_bytes();
        // Most commits approve nothing: skip the trailer parser for them.
        if !contains(message, super::APPROVED_BLOB.as_bytes()) {
            continue;
        }
        let date = date_of(commit.author().when());
        for (path, blob, by, role) in approvals_in(&String::from_utf8_lossy(message)) {
            let Some(rel) = super::plan_relative(&pr.prefix, &path) else {
                continue;
            };
            files
                .entry(rel.to_string())
                .or_default()
                .approvals
                .push(Approval {
                    commit: oid.to_string(),
                    date,
                    time: commit.time().seconds(),
                    by,
                    role,
                    blob,
                });
        }
    }
    Ok(History {
        prefix: pr.prefix.clone(),
        head: Some(start.id().to_string()),
        commits: oids.len(),
        shallow: pr.repo.is_shallow(),
        files,
    })
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Each commit's changes under the plan, in walk order, computed by a few
/// threads with a repository handle each (libgit2 handles are not shared).
fn changes(pr: &PlanRepo, oids: &[git2::Oid]) -> Result<Vec<CommitInfo>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    // Small histories are not worth a thread.
    if threads == 1 || oids.len() < 256 {
        return commit_changes(&pr.repo, &pr.prefix, oids).map_err(|e| Error::git(&pr.workdir, e));
    }
    let path = pr.repo.path().to_path_buf();
    let prefix = pr.prefix.as_str();
    let chunk = oids.len().div_ceil(threads);
    let parts: Vec<std::result::Result<Vec<CommitInfo>, git2::Error>> = std::thread::scope(|s| {
        let handles: Vec<_> = oids
            .chunks(chunk)
            .map(|part| {
                let path = &path;
                s.spawn(move || {
                    let repo = git2::Repository::open(path)?;
                    commit_changes(&repo, prefix, part)
                })
            })
            .collect();
        handles
            .into_iter()
            // A panic there is a bug, and is reported as one, not as an error.
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut out = Vec::with_capacity(oids.len());
    for p in parts {
        out.extend(p.map_err(|e| Error::git(&pr.workdir, e))?);
    }
    Ok(out)
}

fn commit_changes(
    repo: &git2::Repository,
    prefix: &str,
    oids: &[git2::Oid],
) -> std::result::Result<Vec<CommitInfo>, git2::Error> {
    let mut out = Vec::with_capacity(oids.len());
    for oid in oids {
        let commit = repo.find_commit(*oid)?;
        let tree = commit.tree()?;
        let parent_tree = match commit.parent(0) {
            Ok(p) => Some(p.tree()?),
            Err(_) => None,
        };
        let mut found = Vec::new();
        let (old, new) = (
            parent_tree.as_ref().and_then(|t| subtree(repo, t, prefix)),
            subtree(repo, &tree, prefix),
        );
        diff_trees(repo, old.as_ref(), new.as_ref(), prefix, &mut found)?;
        // Rename detection is costly: only when a file both appeared and went,
        // and then libgit2's own, so renames are found exactly as before.
        let added = found.iter().any(|c| c.old.is_none());
        let deleted = found.iter().any(|c| c.new.is_none());
        if added && deleted {
            found = with_renames(repo, parent_tree.as_ref(), &tree, prefix)?;
        }
        // A merge's changes mostly belong to the commits on the merged
        // branches, which the walk visits; only what the merge itself made
        // (content found in none of its parents) is its own revision.
        if commit.parent_count() > 1 {
            let mut others = Vec::new();
            for i in 1..commit.parent_count() {
                others.push(commit.parent(i)?.tree()?);
            }
            found.retain(|c| {
                let (path, id) = match &c.new {
                    Some(p) => (p, tree.get_path(Path::new(p)).map(|e| e.id()).ok()),
                    None => (c.old.as_ref().expect("a change has a path"), None),
                };
                !others.iter().any(|t| match t.get_path(Path::new(path)) {
                    Ok(e) => Some(e.id()) == id,
                    Err(_) => id.is_none(),
                })
            });
        }
        let author = commit.author();
        out.push(CommitInfo {
            id: oid.to_string(),
            date: date_of(author.when()),
            time: commit.time().seconds(),
            author: author.name().unwrap_or("unknown").to_string(),
            email: author.email().unwrap_or_default().to_string(),
            summary: commit
                .summary()
                .ok()
                .flatten()
                .unwrap_or_default()
                .to_string(),
            approvals: approvals_in(&String::from_utf8_lossy(commit.message_bytes())),
            changes: found,
        });
    }
    Ok(out)
}

/// The tree at `prefix` inside `root` (the root itself for "").
fn subtree<'r>(
    repo: &'r git2::Repository,
    root: &git2::Tree<'r>,
    prefix: &str,
) -> Option<git2::Tree<'r>> {
    if prefix.is_empty() {
        return Some(root.clone());
    }
    let e = root.get_path(Path::new(prefix)).ok()?;
    repo.find_tree(e.id()).ok()
}

fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}/{name}")
    }
}

/// The files that differ between two trees, without descending into subtrees
/// with equal ids. Submodules are not files of the plan.
fn diff_trees(
    repo: &git2::Repository,
    old: Option<&git2::Tree>,
    new: Option<&git2::Tree>,
    base: &str,
    out: &mut Vec<Change>,
) -> std::result::Result<(), git2::Error> {
    use std::cmp::Ordering;
    let (na, nb) = (old.map_or(0, |t| t.len()), new.map_or(0, |t| t.len()));
    let (mut i, mut j) = (0, 0);
    // Both trees list their entries in git's order: a merge-join pairs them
    // without allocating for the unchanged ones.
    while i < na || j < nb {
        let a = old.and_then(|t| t.get(i)).filter(|_| i < na);
        let b = new.and_then(|t| t.get(j)).filter(|_| j < nb);
        let order = match (&a, &b) {
            (Some(a), Some(b)) => git_order(a, b),
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
        };
        match order {
            Ordering::Equal => {
                let (a, b) = (a.expect("paired"), b.expect("paired"));
                i += 1;
                j += 1;
                if a.id() != b.id() {
                    let path = join(base, &String::from_utf8_lossy(b.name_bytes()));
                    if is_tree(&a) {
                        let (ta, tb) = (repo.find_tree(a.id())?, repo.find_tree(b.id())?);
                        diff_trees(repo, Some(&ta), Some(&tb), &path, out)?;
                    } else if is_blob(&a) {
                        out.push(Change {
                            old: Some(path.clone()),
                            new: Some(path),
                        });
                    }
                }
            }
            Ordering::Less => {
                let a = a.expect("old entry");
                i += 1;
                one_side(repo, &a, base, true, out)?;
            }
            Ordering::Greater => {
                let b = b.expect("new entry");
                j += 1;
                one_side(repo, &b, base, false, out)?;
            }
        }
    }
    Ok(())
}

fn is_tree(e: &git2::TreeEntry) -> bool {
    e.kind() == Some(git2::ObjectType::Tree)
}

fn is_blob(e: &git2::TreeEntry) -> bool {
    e.kind() == Some(git2::ObjectType::Blob)
}

/// Git's order of tree entries: by name, a tree's name read as if it ended in '/'.
fn git_order(a: &git2::TreeEntry, b: &git2::TreeEntry) -> std::cmp::Ordering {
    let (x, y) = (a.name_bytes(), b.name_bytes());
    let n = x.len().min(y.len());
    x[..n].cmp(&y[..n]).then_with(|| {
        let end = |e: &git2::TreeEntry| if is_tree(e) { b'/' } else { 0 };
        let cx = x.get(n).copied().unwrap_or_else(|| end(a));
        let cy = y.get(n).copied().unwrap_or_else(|| end(b));
        cx.cmp(&cy)
    })
}

/// An entry only one tree has: every file under it went (`gone`) or came.
fn one_side(
    repo: &git2::Repository,
    e: &git2::TreeEntry,
    base: &str,
    gone: bool,
    out: &mut Vec<Change>,
) -> std::result::Result<(), git2::Error> {
    let path = join(base, &String::from_utf8_lossy(e.name_bytes()));
    if is_tree(e) {
        let t = repo.find_tree(e.id())?;
        if gone {
            diff_trees(repo, Some(&t), None, &path, out)
        } else {
            diff_trees(repo, None, Some(&t), &path, out)
        }
    } else {
        if is_blob(e) {
            out.push(if gone {
                Change {
                    old: Some(path),
                    new: None,
                }
            } else {
                Change {
                    old: None,
                    new: Some(path),
                }
            });
        }
        Ok(())
    }
}

/// libgit2's diff with rename detection, for the few commits that need it.
fn with_renames(
    repo: &git2::Repository,
    old: Option<&git2::Tree>,
    new: &git2::Tree,
    prefix: &str,
) -> std::result::Result<Vec<Change>, git2::Error> {
    let mut opts = git2::DiffOptions::new();
    opts.skip_binary_check(true).ignore_filemode(true);
    if !prefix.is_empty() {
        opts.pathspec(format!("{prefix}/"));
    }
    let mut diff = repo.diff_tree_to_tree(old, Some(new), Some(&mut opts))?;
    let mut find = git2::DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))?;
    let path = |f: git2::DiffFile| f.path().and_then(|p| p.to_str()).map(str::to_string);
    Ok(diff
        .deltas()
        .map(|d| match d.status() {
            git2::Delta::Added => Change {
                old: None,
                new: path(d.new_file()),
            },
            git2::Delta::Deleted => Change {
                old: path(d.old_file()),
                new: None,
            },
            _ => Change {
                old: path(d.old_file()),
                new: path(d.new_file()),
            },
        })
        .filter(|c| c.old.is_some() || c.new.is_some())
        .collect())
}

/// Folds the commits, newest first, into each file's revisions and approvals,
/// following renames back through older names.
fn fold(pr: &PlanRepo, start: &git2::Commit, commits: Vec<CommitInfo>) -> History {
    let mut files: BTreeMap<String, FileHistory> = BTreeMap::new();
    // A path as older commits name it -> the path the file has at the start commit.
    let mut alias: HashMap<String, String> = HashMap::new();
    let count = commits.len();
    for c in commits {
        for (path, blob, by, role) in c.approvals {
            let Some(rel) = super::plan_relative(&pr.prefix, &path) else {
                continue;
            };
            let key = alias.get(rel).cloned().unwrap_or_else(|| rel.to_string());
            files.entry(key).or_default().approvals.push(Approval {
                commit: c.id.clone(),
                date: c.date,
                time: c.time,
                by,
                role,
                blob,
            });
        }
        for ch in c.changes {
            let Some(path) = ch.new.as_deref().or(ch.old.as_deref()) else {
                continue;
            };
            let Some(rel) = super::plan_relative(&pr.prefix, path) else {
                continue;
            };
            let key = alias.get(rel).cloned().unwrap_or_else(|| rel.to_string());
            files
                .entry(key.clone())
                .or_default()
                .revisions
                .push(Revision {
                    commit: c.id.clone(),
                    date: c.date,
                    time: c.time,
                    author: c.author.clone(),
                    email: c.email.clone(),
                    summary: c.summary.clone(),
                    path: rel.to_string(),
                });
            if let (Some(old), Some(new)) = (&ch.old, &ch.new)
                && old != new
                && let Some(old_rel) = super::plan_relative(&pr.prefix, old)
            {
                alias.insert(old_rel.to_string(), key);
            }
        }
    }
    History {
        prefix: pr.prefix.clone(),
        head: Some(start.id().to_string()),
        commits: count,
        shallow: pr.repo.is_shallow(),
        files,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// Writes `files` as the whole work tree and commits it.
    fn commit(repo: &git2::Repository, files: &BTreeMap<String, String>, n: usize) -> git2::Oid {
        let root = repo.workdir().unwrap();
        for e in std::fs::read_dir(root).unwrap().flatten() {
            if e.file_name() != ".git" {
                let p = e.path();
                if p.is_dir() {
                    std::fs::remove_dir_all(p).unwrap();
                } else {
                    std::fs::remove_file(p).unwrap();
                }
            }
        }
        for (path, text) in files {
            let p = root.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let mut index = repo.index().unwrap();
        index.clear().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::new(
            "T",
            "t@example.org",
            &git2::Time::new(1_700_000_000 + n as i64, 0),
        )
        .unwrap();
        let parents: Vec<git2::Commit> = repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, &format!("c{n}"), &tree, &refs)
            .unwrap()
    }

    /// The changed paths, as libgit2's own tree diff (no rename detection) gives them.
    fn libgit2(
        repo: &git2::Repository,
        old: Option<&git2::Tree>,
        new: &git2::Tree,
        prefix: &str,
    ) -> BTreeSet<String> {
        let mut opts = git2::DiffOptions::new();
        opts.ignore_filemode(true);
        if !prefix.is_empty() {
            opts.pathspec(format!("{prefix}/"));
        }
        repo.diff_tree_to_tree(old, Some(new), Some(&mut opts))
            .unwrap()
            .deltas()
            .map(|d| {
                let f = if d.status() == git2::Delta::Deleted {
                    d.old_file()
                } else {
                    d.new_file()
                };
                format!("{:?} {}", d.status(), f.path().unwrap().display())
            })
            .collect()
    }

    fn ours(
        repo: &git2::Repository,
        old: Option<&git2::Tree>,
        new: &git2::Tree,
        prefix: &str,
    ) -> BTreeSet<String> {
        let mut out = Vec::new();
        let (a, b) = (
            old.and_then(|t| subtree(repo, t, prefix)),
            subtree(repo, new, prefix),
        );
        diff_trees(repo, a.as_ref(), b.as_ref(), prefix, &mut out).unwrap();
        out.into_iter()
            .map(|c| match (c.old, c.new) {
                (None, Some(p)) => format!("Added {p}"),
                (Some(p), None) => format!("Deleted {p}"),
                (_, Some(p)) => format!("Modified {p}"),
                _ => unreachable!(),
            })
            .collect()
    }

    /// The hand-written tree diff finds exactly the files libgit2's diff
    /// finds, over a history of edits, deletions, files turned into folders
    /// and back, and names that sort differently as files and as folders.
    #[test]
    fn tree_diff_agrees_with_libgit2() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let names = [
            "a",
            "a.md",
            "a-b",
            "b/c.md",
            "b/d/e.yaml",
            "plan/x.md",
            "plan/y/z.md",
            "plan/y.md",
            "plan.md",
            "q",
        ];
        let mut files: BTreeMap<String, String> = BTreeMap::new();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut commits = Vec::new();
        for n in 0..120 {
            for _ in 0..(1 + next() % 3) {
                let r = next();
                let mut path = names[(r % names.len() as u64) as usize].to_string();
                // Now and then a file becomes a folder, or a folder a file.
                if r % 7 == 0 {
                    path = format!("{path}/inner.md");
                }
                if r % 5 == 0 {
                    files.retain(|p, _| p != &path && !p.starts_with(&format!("{path}/")));
                } else {
                    // A path and its parents cannot be files and folders at once.
                    files.retain(|p, _| {
                        !path.starts_with(&format!("{p}/")) && !p.starts_with(&format!("{path}/"))
                    });
                    files.insert(path, format!("text {}", next() % 4));
                }
            }
            if files.is_empty() {
                files.insert("keep.md".into(), "x".into());
            }
            commits.push(commit(&repo, &files, n));
        }
        let mut checked = 0;
        for id in &commits {
            let c = repo.find_commit(*id).unwrap();
            let new = c.tree().unwrap();
            let old = c.parent(0).ok().map(|p| p.tree().unwrap());
            for prefix in ["", "plan", "b"] {
                assert_eq!(
                    ours(&repo, old.as_ref(), &new, prefix),
                    libgit2(&repo, old.as_ref(), &new, prefix),
                    "commit {} under {prefix:?}",
                    c.summary().ok().flatten().unwrap_or_default()
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 360);
    }

    /// Shared among threads or not, the walk finds the same changes, commit
    /// for commit, in the same order.
    #[test]
    fn threads_change_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let mut files: BTreeMap<String, String> = BTreeMap::new();
        for n in 0..300 {
            files.insert(format!("plan/doc-{}.md", n % 17), format!("revision {n}"));
            if n % 7 == 0 {
                files.remove(&format!("plan/doc-{}.md", (n / 7) % 17));
            }
            files.insert("other/x.md".into(), format!("{}", n % 3));
            commit(&repo, &files, n);
        }
        let pr = PlanRepo {
            repo: git2::Repository::open(dir.path()).unwrap(),
            workdir: dir.path().to_path_buf(),
            prefix: "plan".into(),
        };
        let mut walk = pr.repo.revwalk().unwrap();
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)
            .unwrap();
        walk.push_head().unwrap();
        let oids: Vec<git2::Oid> = walk.map(Result::unwrap).collect();
        type Paths = Vec<(Option<String>, Option<String>)>;
        let flat = |infos: Vec<CommitInfo>| -> Vec<(String, Paths)> {
            infos
                .into_iter()
                .map(|c| {
                    (
                        c.id,
                        c.changes.into_iter().map(|x| (x.old, x.new)).collect(),
                    )
                })
                .collect()
        };
        let one = flat(commit_changes(&pr.repo, "plan", &oids).unwrap());
        let shared = flat(changes(&pr, &oids).unwrap());
        assert_eq!(one.len(), 300);
        assert!(one.iter().all(|(_, c)| {
            c.iter()
                .all(|(o, n)| o.as_deref().or(n.as_deref()).unwrap().starts_with("plan/"))
        }));
        assert_eq!(one, shared);
    }
}
