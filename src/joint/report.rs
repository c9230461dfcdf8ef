//! MERGE-REPORT.md: what fork-joint merged, and every decision the partners
//! must take, with where it came from.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Component, Path, PathBuf};

use super::PartySummary;
use super::seed::{Seeded, Source};
use crate::plan::kinds;
use crate::render::templates::{md_cell, md_code, md_escape};

fn source_line(s: &Source) -> String {
    let short = crate::diag::short_id(&s.commit);
    match &s.id {
        None => format!("{} {} at {short}", md_escape(&s.party), md_code(&s.file)),
        Some(id) => format!(
            "{} {} record {} at {short}",
            md_escape(&s.party),
            md_code(&s.file),
            md_code(id)
        ),
    }
}

/// A source plan as the report names it. The report is committed and shared,
/// so a local plan is named by its path from the joint plan's folder, not by
/// an absolute path (which would tell the reader the merger's home folder),
/// and a URL loses any user name and password.
pub fn source_name(spec: &str, joint: &Path) -> String {
    if let Some((scheme, rest)) = spec.split_once("://") {
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let sep = if path.is_empty() && !rest.contains('/') {
            ""
        } else {
            "/"
        };
        return format!("{scheme}://{host}{sep}{path}");
    }
    let here = |p: &Path| {
        let (parent, name) = (p.parent()?, p.file_name()?);
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        Some(parent.canonicalize().ok()?.join(name))
    };
    match (std::fs::canonicalize(spec).ok(), here(joint)) {
        (Some(from), Some(to)) => relative(&to, &from).to_string_lossy().replace('\\', "/"),
        _ => spec.to_string(),
    }
}

/// The path from the folder `from` to `to`, both absolute.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..a.len() {
        out.push("..");
    }
    for c in &b[common..] {
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// `parties[..].source` is named as [`source_name`] names it.
/// `counts` are the records merged, by kind (they are written and dropped
/// before the report is made).
pub fn markdown(
    id: &str,
    title: &str,
    parties: &[PartySummary],
    merged: &Seeded,
    counts: &BTreeMap<String, usize>,
) -> String {
    let mut out = String::new();
    // Names, titles and ids come from the partners' plans: escaped, on one line.
    let _ = writeln!(out, "# Merge report: {}\n", md_escape(title));
    let _ = writeln!(
        out,
        "`bsrmp fork-joint` made the joint plan {} from the plans below. Each party's own plan, with its whole history, is under `parties/<party>/`; `git log -- parties/<party>/` shows it. The joint records were seeded from both plans, and each keeps a `source` naming the party, file, record and commit it came from.\n",
        md_code(id)
    );
    let _ = writeln!(
        out,
        "| party | name | plan | at commit |\n|---|---|---|---|"
    );
    for p in parties {
        let _ = writeln!(
            out,
            "| {} | {} | {} | `{}` |",
            md_code(&p.party),
            md_cell(&p.name),
            md_code(&p.source),
            crate::diag::short_id(&p.commit)
        );
    }
    let _ = writeln!(out, "\n## What was merged\n");
    for (kind, n) in counts {
        let file = kinds::by_name(kind).map_or("", |k| k.file);
        let _ = writeln!(out, "- `{file}`: {n} record(s) from both parties");
    }
    if merged.exit.is_some() {
        let _ = writeln!(
            out,
            "- `registers/exit-strategy.yaml`: both parties' triggers, concerns and process issues, without repeats"
        );
    }
    let _ = writeln!(
        out,
        "- stage 5 to 8 narratives, with a section per clause to be written jointly\n"
    );
    if !merged.renamed_people.is_empty() {
        let _ = writeln!(out, "People renamed because both plans use the same id:\n");
        for (old, new) in &merged.renamed_people {
            let _ = writeln!(
                out,
                "- {} of the second party is {}",
                md_code(old),
                md_code(new)
            );
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "## Decisions to take ({})\n\nEach is a record of `registers/joint-decisions.yaml`. `bsrmp check` reports every one that is not settled (`joint-decision-open`), so the joint plan cannot pass until the partners have agreed them all. To settle one, change the records concerned, then set `status: settled` with `resolution`, `settled_by` and `settled`.\n",
        merged.decisions.len()
    );
    for d in &merged.decisions {
        let _ = writeln!(
            out,
            "### {} ({})\n\n{}\n",
            md_escape(&d.id),
            d.topic.replace('-', " "),
            md_escape(&d.summary)
        );
        if !d.records.is_empty() {
            let _ = writeln!(
                out,
                "Joint records: {}\n",
                d.records
                    .iter()
                    .map(|r| md_code(r))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        for s in &d.sources {
            let _ = writeln!(out, "- from {}", source_line(s));
        }
        let _ = writeln!(out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_from_the_joint_folder() {
        let r = |a: &str, b: &str| relative(Path::new(a), Path::new(b));
        assert_eq!(r("/w/joint", "/w/plans/acme"), Path::new("../plans/acme"));
        assert_eq!(r("/w/joint", "/w/joint"), Path::new("."));
        assert_eq!(r("/a/b/c", "/x"), Path::new("../../../x"));
    }

    #[test]
    fn urls_lose_their_credentials() {
        let j = Path::new("/nowhere/joint");
        assert_eq!(
            source_name("https://bob:s3cret@git.example.com/acme/plan.git#plans", j),
            "https://git.example.com/acme/plan.git#plans"
        );
        assert_eq!(source_name("file:///srv/plan", j), "file:///srv/plan");
        assert_eq!(source_name("ssh://git@host", j), "ssh://host");
    }
}
