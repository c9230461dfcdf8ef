//! The joint repository being built: both parties' histories copied into it,
//! then the merge commit that starts the joint plan.

use std::collections::BTreeMap;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use super::pack::PackFile;
use super::transplant::{self, Transplanted};
use crate::error::{Error, Result};
use crate::history::{self, PlanRepo};

/// A file of the joint plan, written to the repository and named by its digest.
pub type BlobId = git2::Oid;

/// How much of the pack files libgit2 keeps mapped while the joint plan is
/// made (a process makes one joint plan, so it is not set back).
const MAPPED_PACKS: usize = 32 << 20;

pub struct Joint {
    repo: git2::Repository,
    dir: PathBuf,
}

impl Joint {
    /// A new repository in `dir` (a staging folder).
    pub fn init(dir: &Path) -> Result<Joint> {
        // libgit2 keeps up to 8 GB of pack files mapped, and every page read
        // stays in memory: the sources' packs while their histories are
        // copied, the joint pack while the merge is checked out.
        // SAFETY: a C global: no other thread is using libgit2 now (both
        // plans are read, the history copy's threads start later).
        unsafe {
            let _ = git2::opts::set_mwindow_mapped_limit(MAPPED_PACKS);
        }
        let repo = git2::Repository::init(dir).map_err(|e| Error::git(dir, e))?;
        Ok(Joint {
            repo,
            dir: dir.to_path_buf(),
        })
    }

    fn git(&self) -> impl Fn(git2::Error) -> Error + '_ {
        move |e| Error::git(&self.dir, e)
    }

    /// Copies each party's history under `parties/<party>/`, the two side by
    /// side, each into a pack of its own (a file per object is far slower).
    pub fn copy_histories(
        &self,
        [(a, party_a), (b, party_b)]: [(&mut PlanRepo, &str); 2],
    ) -> Result<(Transplanted, Transplanted)> {
        let pack_dir = self.repo.path().join("objects").join("pack");
        let copy = |pr: &mut PlanRepo, party: &str| -> Result<Transplanted> {
            let packed = |e: std::io::Error| Error::Write {
                path: pack_dir.clone(),
                source: e,
            };
            let mut pack = PackFile::new(&pack_dir).map_err(packed)?;
            let t = transplant::transplant(pr, &mut pack, party)?;
            pack.finish().map_err(packed)?;
            Ok(t)
        };
        // Every object is read once; libgit2's cache of them would only grow
        // (by some 70 MB at the benchmarks' reference size).
        git2::opts::enable_caching(false);
        let (ta, tb) = std::thread::scope(|s| {
            let tb = s.spawn(|| copy(b, party_b));
            let ta = copy(a, party_a);
            // A panic there is a bug, and is reported as one, not as an error.
            let tb = tb.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            (ta, tb)
        });
        git2::opts::enable_caching(true);
        let (ta, tb) = (ta?, tb?);
        self.repo
            .odb()
            .and_then(|o| o.refresh())
            .map_err(self.git())?;
        Ok((ta, tb))
    }

    /// A blob written as it is made, so that a large register's text is
    /// never held whole: `write` gets a buffered stream into it. `file` is
    /// the path it will have, for messages.
    pub fn blob_with(
        &self,
        file: &str,
        write: impl FnOnce(&mut BufWriter<git2::BlobWriter<'_>>) -> std::io::Result<()>,
    ) -> Result<BlobId> {
        let io = |e: std::io::Error| Error::Write {
            path: self.dir.join(file),
            source: e,
        };
        let mut out = BufWriter::new(self.repo.blob_writer(None).map_err(self.git())?);
        write(&mut out).map_err(io)?;
        let blob = out.into_inner().map_err(|e| io(e.into_error()))?;
        blob.commit().map_err(self.git())
    }

    pub fn blob(&self, bytes: &[u8]) -> Result<BlobId> {
        self.repo.blob(bytes).map_err(self.git())
    }

    /// The merge commit: both parties' plans under `parties/` and the joint
    /// files (blobs already written), with both copied lines as parents;
    /// checked out. Its id.
    pub fn commit_merge(
        &self,
        files: &BTreeMap<String, BlobId>,
        parties: [(&str, &Transplanted); 2],
        message: &str,
        time: Option<jiff::Timestamp>,
    ) -> Result<String> {
        let (repo, g) = (&self.repo, self.git());
        let mut parties_tree = repo.treebuilder(None).map_err(&g)?;
        for (party, t) in parties {
            if let Some(tree) = t.plan_tree {
                parties_tree.insert(party, tree, 0o040000).map_err(&g)?;
            }
        }
        let parties_oid = parties_tree.write().map_err(&g)?;
        let root = build_tree(repo, files, Some(parties_oid)).map_err(&g)?;
        let tree = repo.find_tree(root).map_err(&g)?;
        let (sig, _) = history::signature(repo, time).map_err(&g)?;
        let commits: Vec<git2::Commit> = parties
            .iter()
            .filter_map(|(_, t)| t.tip)
            .map(|t| repo.find_commit(t))
            .collect::<std::result::Result<_, _>>()
            .map_err(&g)?;
        let parents: Vec<&git2::Commit> = commits.iter().collect();
        let id = repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .map_err(&g)?;
        repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
            .map_err(&g)?;
        Ok(id.to_string())
    }
}

/// A tree from blobs by path, with `parties` as a ready-made subtree.
fn build_tree(
    repo: &git2::Repository,
    files: &BTreeMap<String, git2::Oid>,
    parties: Option<git2::Oid>,
) -> std::result::Result<git2::Oid, git2::Error> {
    // Group by first path component.
    let mut here: Vec<(&str, git2::Oid)> = Vec::new();
    let mut sub: BTreeMap<&str, BTreeMap<String, git2::Oid>> = BTreeMap::new();
    for (path, &oid) in files {
        match path.split_once('/') {
            Some((dir, rest)) => {
                sub.entry(dir).or_default().insert(rest.to_string(), oid);
            }
            None => here.push((path, oid)),
        }
    }
    let mut b = repo.treebuilder(None)?;
    for (name, oid) in here {
        b.insert(name, oid, 0o100644)?;
    }
    for (dir, inner) in sub {
        let oid = build_tree(repo, &inner, None)?;
        b.insert(dir, oid, 0o040000)?;
    }
    if let Some(p) = parties {
        b.insert("parties", p, 0o040000)?;
    }
    b.write()
}
