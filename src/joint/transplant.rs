//! Copies a party's plan history into the joint repository: every commit that
//! changed the plan (or approved one of its files) becomes a commit of the
//! joint repository, with the same author, dates and message, whose tree holds
//! the plan under `parties/<id>/`. `git log -- parties/<id>/` then shows that
//! party's own history. The source repository is only read.

use rustc_hash::FxHashMap as HashMap;

use git2::{ObjectType, Oid, Repository, Signature, Sort};

use super::pack::PackFile;
use super::reuse::{SourcePacks, Stored};

use crate::error::{Error, Result};
use crate::history::{APPROVED_BLOB, APPROVED_BY, APPROVED_ROLE, PlanRepo};

/// Trailers added to each copied commit, so a joint record traces back to the
/// party and the commit it came from.
pub const SOURCE_PARTY: &str = "Source-party";
pub const SOURCE_COMMIT: &str = "Source-commit";

pub struct Transplanted {
    /// The last copied commit: the party's side of the merge.
    pub tip: Option<Oid>,
    /// The party's plan at its HEAD, as a tree of the joint repository.
    pub plan_tree: Option<Oid>,
    pub commits: usize,
    /// Of those, the approval commits that change no file: `git log --
    /// parties/<party>/` does not list them.
    pub approvals_only: usize,
    /// The source commit the plan was last changed or approved in: the
    /// origin of the copied tip, and what joint records cite.
    pub head: String,
}

fn git(pr: &PlanRepo) -> impl Fn(git2::Error) -> Error + '_ {
    move |e| Error::git(&pr.workdir, e)
}

/// Copies trees into the pack, remembering what is there already.
struct Copier<'r> {
    src: &'r Repository,
    odb: &'r git2::Odb<'r>,
    /// Source tree -> its copy's id.
    seen: HashMap<Oid, Oid>,
    /// The version of each file written last, by path: the base that the
    /// next version is stored as a delta against.
    last: HashMap<Vec<u8>, (Oid, Vec<u8>)>,
    /// The source's packs, whose stored objects are copied as they are.
    packs: SourcePacks,
    /// Stored deltas whose base is not in the joint pack yet, in the order
    /// met; written at the end, once their bases are.
    deferred: HashMap<Oid, (ObjectType, Stored)>,
    order: Vec<Oid>,
}

impl<'r> Copier<'r> {
    fn new(src: &'r Repository, odb: &'r git2::Odb<'r>) -> Self {
        Copier {
            src,
            odb,
            seen: HashMap::default(),
            last: HashMap::default(),
            packs: SourcePacks::open(&src.commondir().join("objects")),
            deferred: HashMap::default(),
            order: Vec::new(),
        }
    }

    /// Copies a tree and everything under it into the pack, without symbolic
    /// links and submodules; gives its id in the joint repository (the
    /// source's own id when nothing was left out). `path` is the tree's
    /// folder in the plan, ending in `/` (empty for the plan itself).
    fn tree(&mut self, pack: &mut PackFile, id: Oid, path: &mut Vec<u8>) -> Result<Oid, Failure> {
        if let Some(&copied) = self.seen.get(&id) {
            return Ok(copied);
        }
        let tree = self.src.find_tree(id)?;
        // The copy's own bytes, in case it differs from the source's.
        let mut raw = Vec::new();
        let mut same = true;
        for entry in tree.iter() {
            let (name, mode) = (entry.name_bytes(), entry.filemode());
            // A name that is not UTF-8 could not be checked out everywhere.
            if std::str::from_utf8(name).is_err() {
                same = false;
                continue;
            }
            let depth = path.len();
            path.extend_from_slice(name);
            let oid = match entry.kind() {
                Some(ObjectType::Tree) => {
                    path.push(b'/');
                    self.tree(pack, entry.id(), path).map(Some)
                }
                // A symbolic link could point anywhere on the machine of whoever
                // checks out an old commit of the joint plan: never copied.
                Some(ObjectType::Blob) if mode == 0o120000 => Ok(None),
                Some(ObjectType::Blob) => {
                    self.blob(pack, entry.id(), path).map(|_| Some(entry.id()))
                }
                // A submodule link: its commit is not in this repository.
                _ => Ok(None),
            };
            path.truncate(depth);
            let Some(oid) = oid? else {
                same = false;
                continue;
            };
            same &= oid == entry.id();
            match mode {
                0o100644 => raw.extend_from_slice(b"100644 "),
                0o040000 => raw.extend_from_slice(b"40000 "),
                _ => raw.extend_from_slice(format!("{mode:o} ").as_bytes()),
            }
            raw.extend_from_slice(name);
            raw.push(0);
            raw.extend_from_slice(oid.as_bytes());
        }
        // Unchanged, the source's bytes are kept exactly (old repositories
        // may spell a mode in a way libgit2 reads differently).
        let new = if same {
            if !self.reused(pack, id, ObjectType::Tree)? {
                let whole = self.odb.read(id)?.data().to_vec();
                self.store(pack, id, ObjectType::Tree, whole, path)?;
            }
            id
        } else {
            let new = Oid::hash_object(ObjectType::Tree, &raw)?;
            self.store(pack, new, ObjectType::Tree, raw, path)?;
            new
        };
        self.seen.insert(id, new);
        Ok(new)
    }

    /// A file's version, stored against the version of the same path written
    /// before it where that makes a small delta.
    fn blob(&mut self, pack: &mut PackFile, id: Oid, path: &[u8]) -> Result<(), Failure> {
        if self.reused(pack, id, ObjectType::Blob)? {
            return Ok(());
        }
        let blob = self.odb.read(id)?.data().to_vec();
        self.store(pack, id, ObjectType::Blob, blob, path)
    }

    /// Whether the object is in the pack now, or will be: copied as the
    /// source stores it, or put off until its base is copied.
    fn reused(&mut self, pack: &mut PackFile, id: Oid, kind: ObjectType) -> Result<bool, Failure> {
        if pack.contains(id) || self.deferred.contains_key(&id) {
            return Ok(true);
        }
        let Some(stored) = self.packs.find(id) else {
            return Ok(false);
        };
        if pack.add_stored(id, kind, &stored)? {
            return Ok(true);
        }
        if matches!(stored, Stored::Delta { .. }) {
            self.deferred.insert(id, (kind, stored));
            self.order.push(id);
            return Ok(true);
        }
        Ok(false)
    }

    /// Writes the deltas put off, each after its base. One whose base is not
    /// copied (a file outside the plan, or a version of a link) is read
    /// whole instead: nothing of the source outside the plan is copied.
    fn settle(&mut self, pack: &mut PackFile) -> Result<(), Failure> {
        for id in std::mem::take(&mut self.order) {
            let mut stack = vec![id];
            while let Some(&x) = stack.last() {
                let Some((_, Stored::Delta { base, .. })) = self.deferred.get(&x) else {
                    stack.pop();
                    continue;
                };
                let base = *base;
                if !pack.contains(base)
                    && self.deferred.contains_key(&base)
                    && !stack.contains(&base)
                {
                    stack.push(base);
                    continue;
                }
                stack.pop();
                let Some((kind, stored)) = self.deferred.remove(&x) else {
                    continue;
                };
                if !pack.add_stored(x, kind, &stored)? {
                    let whole = self.odb.read(x)?;
                    pack.add(x, kind, whole.data())?;
                }
            }
        }
        Ok(())
    }

    /// Writes an object found at `path`, against the last one written there.
    fn store(
        &mut self,
        pack: &mut PackFile,
        id: Oid,
        kind: ObjectType,
        data: Vec<u8>,
        path: &[u8],
    ) -> Result<(), Failure> {
        match self.last.get_mut(path) {
            Some((base, old)) => {
                pack.add_against(id, kind, &data, *base, old)?;
                *base = id;
                *old = data;
            }
            None => {
                pack.add(id, kind, &data)?;
                self.last.insert(path.to_vec(), (id, data));
            }
        }
        Ok(())
    }
}

/// A tree of one entry, a folder.
fn folder_tree(pack: &mut PackFile, name: &str, inner: Oid) -> std::io::Result<Oid> {
    let mut raw = format!("40000 {name}\0").into_bytes();
    raw.extend_from_slice(inner.as_bytes());
    pack.add_new(ObjectType::Tree, &raw)
}

/// `parties/<party>/` holding `plan`.
fn wrap(pack: &mut PackFile, party: &str, plan: Oid) -> std::io::Result<Oid> {
    let parties = folder_tree(pack, party, plan)?;
    folder_tree(pack, "parties", parties)
}

/// What stops a copy: git cannot read the source, or the pack cannot be written.
pub enum Failure {
    Git(git2::Error),
    Write(std::io::Error),
}

impl From<git2::Error> for Failure {
    fn from(e: git2::Error) -> Self {
        Failure::Git(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Write(e)
    }
}

/// The message with approval trailers moved to the file's new path (those of
/// files outside the plan dropped) and the source trailers added. `None` for an
/// approval commit that approved nothing of this plan.
fn rewrite_message(message: &str, prefix: &str, party: &str, commit: &str) -> (String, bool) {
    // The approvals as bsrmp itself reads them (libgit2's trailer parser),
    // kept only for files of this plan, and moved with them.
    let approvals: Vec<(String, String, String, String)> = crate::history::approvals_in(message)
        .into_iter()
        .filter_map(|(path, blob, by, role)| {
            let rel = if prefix.is_empty() {
                Some(path.as_str())
            } else {
                path.strip_prefix(&format!("{prefix}/"))
            }?;
            (!rel.is_empty() && !rel.split('/').any(|p| p == ".." || p.is_empty()))
                .then(|| (format!("parties/{party}/{rel}"), blob, by, role))
        })
        .collect();
    // Every line that any reader could take for an approval trailer goes,
    // wherever it is and however it is spelled, and a `---` line (which ends
    // the part of a message where git looks for trailers) is indented, so
    // that the trailers written below are the only ones.
    let mut out = String::new();
    for line in message.lines() {
        let key = line
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if line.contains(':') && key.starts_with("approved-") {
            continue;
        }
        if line.starts_with("---") {
            out.push(' ');
        }
        out.push_str(line);
        out.push('\n');
    }
    let mut out = format!("{}\n\n", out.trim_end());
    if let Some((_, _, by, role)) = approvals.first() {
        out.push_str(&format!("{APPROVED_BY}: {}\n", one_line(by)));
        out.push_str(&format!("{APPROVED_ROLE}: {}\n", one_line(role)));
        for (path, blob, _, _) in &approvals {
            out.push_str(&format!("{APPROVED_BLOB}: {path} {blob}\n"));
        }
    }
    out.push_str(&format!(
        "{SOURCE_PARTY}: {party}\n{SOURCE_COMMIT}: {commit}\n"
    ));
    (out, !approvals.is_empty())
}

fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A signature as a commit object spells it: `name <email> seconds +hhmm`.
fn signature(s: &Signature<'_>) -> String {
    // Angle brackets and line breaks would break the line: git refuses them too.
    let clean = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .chars()
            .filter(|c| !matches!(c, '<' | '>' | '\n' | '\r' | '\0'))
            .collect::<String>()
            .trim()
            .to_string()
    };
    let when = s.when();
    let offset = when.offset_minutes().abs();
    format!(
        "{} <{}> {} {}{:02}{:02}",
        clean(s.name_bytes()),
        clean(s.email_bytes()),
        when.seconds(),
        if when.offset_minutes() < 0 { '-' } else { '+' },
        offset / 60,
        offset % 60
    )
}

/// Copies the history of `pr`'s plan into `dst`, keeping its shape: each
/// commit that changed the plan (or approved one of its files) is copied with
/// the copies of its parents as parents; a commit that did not is skipped, and
/// its children attach to its parents' copies. Taken parents first.
pub fn transplant(pr: &PlanRepo, pack: &mut PackFile, party: &str) -> Result<Transplanted> {
    let src = &pr.repo;
    let e = git(pr);
    let pack_dir = pack.folder().to_path_buf();
    let failed = |f: Failure| match f {
        Failure::Git(g) => Error::git(&pr.workdir, g),
        Failure::Write(source) => Error::Write {
            path: pack_dir.clone(),
            source,
        },
    };
    let head = src
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_err(|_| Error::NoCommit {
            path: pr.workdir.clone(),
        })?;
    let mut walk = src.revwalk().map_err(&e)?;
    walk.push(head.id()).map_err(&e)?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
        .map_err(&e)?;
    let odb = src.odb().map_err(&e)?;
    let mut copier = Copier::new(src, &odb);
    // Source commit -> (its copy, or the copy it folds into; the plan subtree there).
    let mut map: HashMap<Oid, (Option<Oid>, Option<Oid>)> = HashMap::default();
    // Copy -> the source commit it was made from.
    let mut origin: HashMap<Oid, Oid> = HashMap::default();
    let (mut commits, mut approvals_only) = (0, 0);
    let empty = pack
        .add_new(ObjectType::Tree, b"")
        .map_err(|x| failed(x.into()))?;
    for oid in walk {
        let commit = src.find_commit(oid.map_err(&e)?).map_err(&e)?;
        let tree = commit.tree().map_err(&e)?;
        let sub = if pr.prefix.is_empty() {
            Some(tree.id())
        } else {
            tree.get_path(std::path::Path::new(&pr.prefix))
                .ok()
                .filter(|t| t.kind() == Some(ObjectType::Tree))
                .map(|t| t.id())
        };
        let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
        let (message, approves) =
            rewrite_message(&message, &pr.prefix, party, &commit.id().to_string());
        // The copies of the parents, without repeats (two parents may fold into one).
        let mut parents: Vec<(Option<Oid>, Option<Oid>)> = Vec::new();
        for p in commit.parent_ids() {
            if let Some(m) = map.get(&p)
                && !parents.iter().any(|q| q.0 == m.0)
            {
                parents.push(*m);
            }
        }
        let copies: Vec<Oid> = parents.iter().filter_map(|p| p.0).collect();
        let unchanged = match parents.as_slice() {
            [] => sub.is_none(),
            [only] => only.1 == sub,
            _ => false,
        };
        if unchanged && !approves {
            map.insert(
                commit.id(),
                parents.first().copied().unwrap_or((None, None)),
            );
            continue;
        }
        let tree_id = match sub {
            Some(sub) => {
                let copied = copier.tree(pack, sub, &mut Vec::new()).map_err(&failed)?;
                wrap(pack, party, copied).map_err(|x| failed(x.into()))?
            }
            // The plan's folder was removed in this commit.
            None => empty,
        };
        let mut raw = format!("tree {tree_id}\n");
        for p in &copies {
            raw.push_str(&format!("parent {p}\n"));
        }
        raw.push_str(&format!(
            "author {}\ncommitter {}\n\n{message}",
            signature(&commit.author()),
            signature(&commit.committer())
        ));
        let new = pack
            .add_new(ObjectType::Commit, raw.as_bytes())
            .map_err(|x| failed(x.into()))?;
        map.insert(commit.id(), (Some(new), sub));
        origin.insert(new, commit.id());
        commits += 1;
        approvals_only += usize::from(unchanged);
    }
    let (tip, _) = map.get(&head.id()).copied().unwrap_or((None, None));
    // The plan as it is at HEAD, as a tree of the joint repository.
    let head_tree = head.tree().map_err(&e)?;
    let head_sub = if pr.prefix.is_empty() {
        Some(head_tree.id())
    } else {
        head_tree
            .get_path(std::path::Path::new(&pr.prefix))
            .ok()
            .map(|t| t.id())
    };
    let plan_tree = head_sub
        .map(|s| copier.tree(pack, s, &mut Vec::new()))
        .transpose()
        .map_err(&failed)?;
    copier.settle(pack).map_err(&failed)?;
    let last_source = tip
        .and_then(|t| origin.get(&t))
        .map(|o| o.to_string())
        .unwrap_or_else(|| head.id().to_string());
    Ok(Transplanted {
        tip,
        plan_tree,
        commits,
        approvals_only,
        head: last_source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approval_trailers_follow_the_file() {
        let a = "a".repeat(40);
        let msg = format!(
            "Approve 2 documents\n\nApproved-by: Ann (ann)\nApproved-role: SER\nApproved-blob: plans/a/01-awareness/README.md {a}\nApproved-blob: plans/b/rmp.toml {a}\n"
        );
        let (out, approves) = rewrite_message(&msg, "plans/a", "acme", "c0ffee");
        assert!(approves);
        assert!(out.contains(&format!(
            "Approved-blob: parties/acme/01-awareness/README.md {a}"
        )));
        assert!(!out.contains("plans/b"));
        assert!(
            out.ends_with("Source-party: acme\nSource-commit: c0ffee\n"),
            "{out}"
        );
        let (_, approves) = rewrite_message(
            "Approve\n\nApproved-blob: plans/b/x.md 1\n",
            "plans/a",
            "acme",
            "c",
        );
        assert!(!approves);
    }

    #[test]
    fn a_partner_cannot_approve_the_other_party_s_files() {
        let b = "b".repeat(40);
        // Spellings libgit2 accepts, and a `---` line that would make an
        // earlier block the trailers.
        let msg = format!(
            "Tidy wording\n\nApproved-blob : parties/northwind/01-awareness/README.md {b}\nApproved-by: Eleanor Harcourt\nApproved-role: SER\n---\n\nReviewed-on: x\n"
        );
        let (out, approves) = rewrite_message(&msg, "", "meridian", "c0ffee");
        let kept = crate::history::approvals_in(&out);
        assert!(
            kept.iter()
                .all(|(p, ..)| p.starts_with("parties/meridian/")),
            "{out}"
        );
        assert_eq!(approves, !kept.is_empty());
    }
}
