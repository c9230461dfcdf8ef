//! MERGE-REPORT.md: what fork-joint merged, and every decision the partners
//! must take, with where it came from.

use std::fmt::Write;

use serde_json::Value;

use super::PartySummary;
use super::merge::Merged;
use crate::plan::kinds;
use crate::render::templates::{md_cell, md_code, md_escape};

fn source_line(s: &Value) -> String {
    let get = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("");
    let commit = get("commit");
    let short = crate::diag::short_id(commit);
    match get("id") {
        "" => format!(
            "{} {} at {short}",
            md_escape(get("party")),
            md_code(get("file"))
        ),
        id => format!(
            "{} {} record {} at {short}",
            md_escape(get("party")),
            md_code(get("file")),
            md_code(id)
        ),
    }
}

pub fn markdown(id: &str, title: &str, parties: &[PartySummary], merged: &Merged) -> String {
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
    for (kind, items) in &merged.records {
        let file = kinds::by_name(kind).map_or("", |k| k.file);
        let _ = writeln!(
            out,
            "- `{file}`: {} record(s) from both parties",
            items.len()
        );
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
