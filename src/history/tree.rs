//! A plan as it was at a commit, read from git objects: `--rev` checks it
//! without touching the work tree or the index.

use std::path::{Path, PathBuf};

use super::PlanRepo;
use crate::error::{Error, Result};
use crate::plan::source::{Entry, EntryKind, MAX_FILE_BYTES, Source};

pub struct TreeSource<'r> {
    repo: &'r git2::Repository,
    tree: git2::Tree<'r>,
    prefix: String,
    label: PathBuf,
}

impl<'r> TreeSource<'r> {
    pub fn new(pr: &'r PlanRepo, rev: &str, label: &Path) -> Result<Self> {
        let commit = super::resolve_rev(&pr.repo, rev)?;
        Self::at(pr, &commit.id().to_string(), label, rev)
    }

    /// The plan at the commit `id`, already resolved from `rev`; messages
    /// name it `label@rev`.
    pub fn at(pr: &'r PlanRepo, id: &str, label: &Path, rev: &str) -> Result<Self> {
        let git = |e| Error::git(&pr.workdir, e);
        let commit = git2::Oid::from_str(id)
            .and_then(|id| pr.repo.find_commit(id))
            .map_err(git)?;
        let tree = commit.tree().map_err(git)?;
        Ok(TreeSource {
            repo: &pr.repo,
            tree,
            prefix: pr.prefix.clone(),
            label: PathBuf::from(format!("{}@{rev}", label.display())),
        })
    }

    /// The blob id of a file at the commit, for approval states under `--rev`.
    pub fn blob(&self, rel: &str) -> Option<String> {
        self.entry(rel).map(|e| e.id().to_string())
    }

    fn full(&self, rel: &str) -> String {
        match (self.prefix.is_empty(), rel.is_empty()) {
            (true, _) => rel.to_string(),
            (false, true) => self.prefix.clone(),
            (false, false) => format!("{}/{rel}", self.prefix),
        }
    }

    fn entry(&self, rel: &str) -> Option<git2::TreeEntry<'static>> {
        let full = self.full(rel);
        if full.is_empty() {
            return None;
        }
        self.tree.get_path(Path::new(&full)).ok()
    }
}

fn kind_of(e: &git2::TreeEntry) -> EntryKind {
    match e.kind() {
        Some(git2::ObjectType::Tree) => EntryKind::Dir,
        // Mode 120000 is a symbolic link stored as a blob.
        Some(git2::ObjectType::Blob) if e.filemode() == 0o120000 => EntryKind::Symlink,
        Some(git2::ObjectType::Blob) => EntryKind::File,
        _ => EntryKind::Missing,
    }
}

impl Source for TreeSource<'_> {
    fn root(&self) -> &Path {
        &self.label
    }

    fn list(&self, dir: &str) -> Result<Vec<Entry>> {
        let sub;
        let tree = if self.full(dir).is_empty() {
            &self.tree
        } else {
            let e = self.entry(dir).ok_or_else(|| Error::NotInCommit {
                path: dir.to_string(),
            })?;
            sub = e
                .to_object(self.repo)
                .and_then(|o| o.peel_to_tree())
                .map_err(|e| Error::git(&self.label, e))?;
            &sub
        };
        let mut out: Vec<Entry> = tree
            .iter()
            .map(|e| Entry {
                name: e.name().unwrap_or_default().to_string(),
                kind: kind_of(&e),
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    fn read(&self, file: &str) -> Result<Vec<u8>> {
        let _reading = crate::memory::reading(file);
        let e = self.entry(file).ok_or_else(|| Error::NotInCommit {
            path: file.to_string(),
        })?;
        if kind_of(&e) != EntryKind::File {
            return Err(Error::Read {
                path: self.label.join(file),
                source: std::io::Error::other(
                    "this is a symbolic link or a folder in the commit; bsrmp reads only files inside the plan",
                ),
            });
        }
        let blob = self
            .repo
            .find_blob(e.id())
            .map_err(|err| Error::git(&self.label, err))?;
        if blob.size() as u64 > MAX_FILE_BYTES {
            return Err(Error::Read {
                path: self.label.join(file),
                source: std::io::Error::other("the file is larger than plan files may be"),
            });
        }
        Ok(blob.content().to_vec())
    }

    fn kind(&self, path: &str) -> EntryKind {
        if self.full(path).is_empty() {
            return EntryKind::Dir;
        }
        self.entry(path).map_or(EntryKind::Missing, |e| kind_of(&e))
    }
}
