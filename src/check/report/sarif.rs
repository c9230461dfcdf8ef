//! `--format sarif`: SARIF 2.1.0, for code-scanning views such as GitHub's.

use serde_json::{Value, json};

use crate::check::Assessment;
use crate::diag::{CODES, Severity};

/// `prefix` is the plan's folder as given on the command line, so that paths
/// resolve from where CI runs.
pub fn render(a: &Assessment, prefix: &str) -> String {
    let rules: Vec<Value> = CODES
        .iter()
        .map(|(code, text)| {
            json!({
                "id": code,
                "name": code,
                "shortDescription": { "text": text },
                "help": { "text": format!("See docs/checks.md#{code}") },
            })
        })
        .collect();
    let results: Vec<Value> = a
        .findings
        .iter()
        .map(|f| {
            let mut text = f.message.clone();
            if let Some(h) = &f.help {
                text.push_str(". ");
                text.push_str(h);
            }
            let mut r = json!({
                "ruleId": f.code,
                "ruleIndex": CODES.iter().position(|(c, _)| *c == f.code).unwrap_or(0),
                "level": match f.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Note => "note" },
                "message": { "text": text },
            });
            if let Some(clause) = &f.clause {
                r["properties"] = json!({ "clause": clause });
            }
            if let Some(loc) = &f.location {
                let mut physical = json!({
                    "artifactLocation": { "uri": super::github::join(prefix, &loc.file) },
                });
                if let Some(p) = loc.pos {
                    physical["region"] = json!({ "startLine": p.line, "startColumn": p.column });
                }
                r["locations"] = json!([{ "physicalLocation": physical }]);
            }
            r
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "bsrmp",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/bsrmp",
                "rules": rules,
            }},
            "properties": {
                "plan": a.plan.id,
                "checklist": format!("{} {}", a.standard, a.checklist_version),
            },
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
