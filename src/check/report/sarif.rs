//! `--format sarif`: SARIF 2.1.0, for code-scanning views such as GitHub's.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::check::Assessment;
use crate::code::Code;
use crate::diag::Severity;

/// Where the paths of the report start. Code-scanning views (GitHub's among
/// them) read a result's path from the top of the repository, so that is the
/// base when the plan is in git.
#[derive(Debug, Clone)]
pub enum Base {
    /// The plan's folder inside the repository ("" at its top), and the
    /// repository's folder.
    Repository { prefix: String, root: PathBuf },
    /// Not in git: the plan's folder relative to the current folder.
    Relative(String),
    /// Not in git, and outside the current folder.
    Absolute(PathBuf),
}

impl Base {
    /// The URI of a plan file, and the base it is relative to, if any.
    fn uri(&self, file: &str) -> (String, Option<&'static str>) {
        match self {
            Base::Repository { prefix, .. } => {
                (encode(&super::github::join(prefix, file)), Some(SRCROOT))
            }
            Base::Relative(dir) => (encode(&super::github::join(dir, file)), None),
            Base::Absolute(dir) => (
                format!("file://{}", encode(&format!("{}/{file}", slashes(dir)))),
                None,
            ),
        }
    }
}

impl Base {
    /// Paths from the top of the plan's repository; outside git, from the
    /// current folder when the plan is inside it, else absolute.
    pub fn of(repo: Option<&crate::history::PlanRepo>, dir: &Path) -> Base {
        if let Some(pr) = repo {
            return Base::Repository {
                prefix: pr.prefix.clone(),
                root: pr.workdir.clone(),
            };
        }
        let abs = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let here = std::env::current_dir().and_then(|c| c.canonicalize());
        match here
            .ok()
            .and_then(|c| abs.strip_prefix(c).ok().map(Path::to_path_buf))
        {
            Some(rel) => Base::Relative(rel.to_string_lossy().into_owned()),
            None => Base::Absolute(abs),
        }
    }
}

const SRCROOT: &str = "SRCROOT";

fn slashes(p: &Path) -> String {
    p.to_string_lossy()
        .replace('\\', "/")
        .trim_end_matches('/')
        .to_string()
}

/// A path as a URI reference: every byte outside RFC 3986's unreserved and
/// path characters percent-encoded (a space as %20, é as %C3%A9).
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn render(a: &Assessment, base: &Base) -> String {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|code| {
            json!({
                "id": code,
                "name": code,
                "shortDescription": { "text": code.summary() },
                "help": { "text": format!("See {}", code.anchor()) },
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
                "ruleIndex": f.code.index(),
                "level": match f.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Note => "note" },
                "message": { "text": text },
            });
            if let Some(clause) = &f.clause {
                r["properties"] = json!({ "clause": clause });
            }
            if let Some(loc) = &f.location {
                let (uri, base_id) = base.uri(&loc.file);
                let mut artifact = json!({ "uri": uri });
                if let Some(id) = base_id {
                    artifact["uriBaseId"] = json!(id);
                }
                let mut physical = json!({ "artifactLocation": artifact });
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
    let mut doc = doc;
    if let Base::Repository { root, .. } = base {
        doc["runs"][0]["originalUriBaseIds"] = json!({
            SRCROOT: { "uri": format!("file://{}/", encode(&slashes(root))) }
        });
    }
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            encode("plans/Équipe A/risks.yaml"),
            "plans/%C3%89quipe%20A/risks.yaml"
        );
        assert_eq!(encode("a#b?c%d"), "a%23b%3Fc%25d");
        let repo = Base::Repository {
            prefix: "plans/acme".into(),
            root: PathBuf::from("/srv/repo"),
        };
        assert_eq!(
            repo.uri("registers/risks.yaml"),
            ("plans/acme/registers/risks.yaml".to_string(), Some(SRCROOT))
        );
        let top = Base::Repository {
            prefix: String::new(),
            root: PathBuf::from("/srv/repo"),
        };
        assert_eq!(top.uri("rmp.toml").0, "rmp.toml");
        let far = Base::Absolute(PathBuf::from("/tmp/my plan"));
        assert_eq!(far.uri("rmp.toml").0, "file:///tmp/my%20plan/rmp.toml");
    }
}
