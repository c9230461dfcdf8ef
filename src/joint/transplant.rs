//! Copies a party's plan history into the joint repository: every commit that
//! changed the plan (or approved one of its files) becomes a commit of the
//! joint repository, with the same author, dates and message, whose tree holds
//! the plan under `parties/<id>/`. `git log -- parties/<id>/` then shows that
//! party's own history. The source repository is only read.

use std::collections::HashMap;

use git2::{ObjectType, Oid, Repository, Signature, Sort};

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
    /// The source commit the plan was last changed or approved in: the
    /// origin of the copied tip, and what joint records cite.
    pub head: String,
}

fn git(pr: &PlanRepo) -> impl Fn(git2::Error) -> Error + '_ {
    move |e| Error::git(&pr.workdir, e)
}

/// Copies a tree and everything under it into `dst`'s object database.
fn copy_tree(
    src: &Repository,
    dst: &Repository,
    id: Oid,
    seen: &mut HashMap<Oid, Oid>,
) -> Result<Oid, git2::Error> {
    if let Some(&copied) = seen.get(&id) {
        return Ok(copied);
    }
    let tree = src.find_tree(id)?;
    let mut builder = dst.treebuilder(None)?;
    for entry in tree.iter() {
        let Ok(name) = entry.name() else {
            continue;
        };
        let oid = match entry.kind() {
            Some(ObjectType::Tree) => copy_tree(src, dst, entry.id(), seen)?,
            // A symbolic link could point anywhere on the machine of whoever
            // checks out an old commit of the joint plan: never copied.
            Some(ObjectType::Blob) if entry.filemode() == 0o120000 => continue,
            Some(ObjectType::Blob) => {
                if let std::collections::hash_map::Entry::Vacant(v) = seen.entry(entry.id()) {
                    let blob = src.find_blob(entry.id())?;
                    dst.blob(blob.content())?;
                    v.insert(entry.id());
                }
                entry.id()
            }
            // A submodule link: its commit is not in this repository.
            _ => continue,
        };
        builder.insert(name, oid, entry.filemode())?;
    }
    let new = builder.write()?;
    seen.insert(id, new);
    Ok(new)
}

/// `parties/<party>/` holding `plan`.
pub fn wrap(dst: &Repository, party: &str, plan: Oid) -> Result<Oid, git2::Error> {
    let mut inner = dst.treebuilder(None)?;
    inner.insert(party, plan, 0o040000)?;
    let parties = inner.write()?;
    let mut outer = dst.treebuilder(None)?;
    outer.insert("parties", parties, 0o040000)?;
    outer.write()
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

fn signature(s: &Signature<'_>) -> Result<Signature<'static>, git2::Error> {
    Signature::new(
        &String::from_utf8_lossy(s.name_bytes()),
        &String::from_utf8_lossy(s.email_bytes()),
        &s.when(),
    )
}

/// Copies the history of `pr`'s plan into `dst`, keeping its shape: each
/// commit that changed the plan (or approved one of its files) is copied with
/// the copies of its parents as parents; a commit that did not is skipped, and
/// its children attach to its parents' copies. Taken parents first.
pub fn transplant(pr: &PlanRepo, dst: &Repository, party: &str) -> Result<Transplanted> {
    let src = &pr.repo;
    let e = git(pr);
    let head = src
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_err(|_| Error::Usage(format!("{} has no commit yet", pr.workdir.display())))?;
    let mut walk = src.revwalk().map_err(&e)?;
    walk.push(head.id()).map_err(&e)?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
        .map_err(&e)?;
    let mut seen = HashMap::new();
    // Source commit -> (its copy, or the copy it folds into; the plan subtree there).
    let mut map: HashMap<Oid, (Option<Oid>, Option<Oid>)> = HashMap::new();
    // Copy -> the source commit it was made from.
    let mut origin: HashMap<Oid, Oid> = HashMap::new();
    let mut commits = 0;
    let empty = dst.treebuilder(None).and_then(|b| b.write()).map_err(&e)?;
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
                let copied = copy_tree(src, dst, sub, &mut seen).map_err(&e)?;
                wrap(dst, party, copied).map_err(&e)?
            }
            // The plan's folder was removed in this commit.
            None => empty,
        };
        let new_tree = dst.find_tree(tree_id).map_err(&e)?;
        let parent_commits: Vec<git2::Commit> = copies
            .iter()
            .map(|c| dst.find_commit(*c))
            .collect::<std::result::Result<_, _>>()
            .map_err(&e)?;
        let refs: Vec<&git2::Commit> = parent_commits.iter().collect();
        let author = signature(&commit.author()).map_err(&e)?;
        let committer = signature(&commit.committer()).map_err(&e)?;
        let new = dst
            .commit(None, &author, &committer, &message, &new_tree, &refs)
            .map_err(&e)?;
        map.insert(commit.id(), (Some(new), sub));
        origin.insert(new, commit.id());
        commits += 1;
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
        .map(|s| copy_tree(src, dst, s, &mut seen))
        .transpose()
        .map_err(&e)?;
    let last_source = tip
        .and_then(|t| origin.get(&t))
        .map(|o| o.to_string())
        .unwrap_or_else(|| head.id().to_string());
    Ok(Transplanted {
        tip,
        plan_tree,
        commits,
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
