//! The document control register: every controlled document of the plan with
//! its owner, revisions, last change and approval state.

use std::fmt::Write;

use serde::Serialize;

use super::{ApprovalState, FileHistory, History};
use crate::plan::date::Date;
use crate::plan::{Plan, kinds, manifest};

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub path: String,
    pub id: Option<String>,
    pub title: Option<String>,
    pub owner: Option<String>,
    pub revisions: usize,
    pub last_changed: Option<Date>,
    pub last_author: Option<String>,
    pub last_commit: Option<String>,
    pub approval: ApprovalState,
}

/// A document under control: its path and what its front matter says of it.
#[derive(Debug, Clone)]
pub struct Controlled {
    pub path: String,
    pub id: Option<String>,
    pub title: Option<String>,
    pub owner: Option<String>,
}

/// The plan's controlled documents: manifest, narratives, record files and
/// the existing documents that [evidence] points at.
pub fn documents(plan: &Plan) -> Vec<Controlled> {
    let doc = |path: String, id, title, owner| Controlled {
        path,
        id,
        title,
        owner,
    };
    let mut out = vec![doc(
        manifest::FILE.to_string(),
        Some(plan.manifest.id.get_ref().clone()),
        Some(plan.manifest.title.clone()),
        None,
    )];
    for d in plan.documents.values() {
        out.push(doc(
            d.path.clone(),
            d.front.id.clone(),
            d.front.title.clone(),
            d.front.owner.as_ref().map(|o| o.value.clone()),
        ));
    }
    for k in kinds::KINDS.iter().filter(|k| plan.has_file(k.name)) {
        out.push(doc(
            k.file.to_string(),
            None,
            Some(format!("Records: {}", k.noun)),
            None,
        ));
    }
    for paths in plan.manifest.evidence.values() {
        for p in paths.get_ref() {
            let p = p.get_ref().clone();
            if !out.iter().any(|c| c.path == p) {
                out.push(doc(
                    p,
                    None,
                    Some("Existing document ([evidence])".to_string()),
                    None,
                ));
            }
        }
    }
    out
}

/// `current_blob` gives the blob id of a document's content as checked.
pub fn register(
    plan: &Plan,
    history: &History,
    current_blob: &dyn Fn(&str) -> Option<String>,
) -> Vec<Entry> {
    let empty = FileHistory::default();
    documents(plan)
        .into_iter()
        .map(
            |Controlled {
                 path,
                 id,
                 title,
                 owner,
             }| {
                let fh = history.file(&path).unwrap_or(&empty);
                let last = fh.revisions.first();
                Entry {
                    approval: history.approval_state(&path, || current_blob(&path)),
                    revisions: fh.revisions.len(),
                    last_changed: last.map(|r| r.date),
                    last_author: last.map(|r| r.author.clone()),
                    last_commit: last.map(|r| crate::diag::short_id(&r.commit).to_string()),
                    path,
                    id,
                    title,
                    owner,
                }
            },
        )
        .collect()
}

pub fn approval_label(state: &ApprovalState) -> String {
    match state {
        ApprovalState::Approved { by, role, date, .. } => {
            format!("approved by {by} as {role} on {date}")
        }
        ApprovalState::ChangedSinceApproval { by, role, date, .. } => {
            format!("changed since approved by {by} as {role} on {date}")
        }
        ApprovalState::NeverApproved => "never approved".to_string(),
    }
}

pub fn render_table(entries: &[Entry], history: &History) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Document control register ({} read{})\n",
        plural(history.commits, "commit"),
        if history.shallow {
            "; shallow clone: older history is missing"
        } else {
            ""
        }
    );
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                e.path.clone(),
                e.id.clone().unwrap_or_else(|| "-".into()),
                e.owner.clone().unwrap_or_else(|| "-".into()),
                e.revisions.to_string(),
                e.last_changed
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "-".into()),
                e.last_author.clone().unwrap_or_else(|| "-".into()),
                approval_label(&e.approval),
            ]
        })
        .collect();
    use crate::table::Align::{Left, Right};
    out.push_str(&crate::table::render(
        &[
            "document", "id", "owner", "revs", "changed", "by", "approval",
        ],
        &[Left, Left, Left, Right, Left, Left, Left],
        &rows,
    ));
    out
}

pub fn render_file(path: &str, fh: &FileHistory, state: &ApprovalState) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{path}: {}; {}\n",
        plural(fh.revisions.len(), "revision"),
        approval_label(state)
    );
    for r in &fh.revisions {
        let renamed = if r.path != path {
            format!(" (as {})", r.path)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{}  {}  {:<20} {}{renamed}",
            crate::diag::short_id(&r.commit),
            r.date,
            r.author,
            r.summary
        );
    }
    if !fh.approvals.is_empty() {
        let _ = writeln!(out, "\nApprovals");
        for a in &fh.approvals {
            let _ = writeln!(
                out,
                "{}  {}  {} as {}, content {}",
                crate::diag::short_id(&a.commit),
                a.date,
                a.by,
                a.role,
                crate::diag::short_id(&a.blob)
            );
        }
    }
    out
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
