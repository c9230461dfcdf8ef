//! `--format github`: GitHub Actions workflow commands, which show each finding
//! as an annotation on the file and line.

use std::fmt::Write;

use crate::check::Assessment;
use crate::diag::Severity;

/// Joins the plan folder given on the command line and a plan-relative path.
pub fn join(prefix: &str, file: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    if prefix.is_empty() || prefix == "." {
        file.to_string()
    } else {
        format!("{}/{file}", prefix.strip_prefix("./").unwrap_or(prefix))
    }
}

fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(a: &Assessment, prefix: &str, deny_warnings: bool) -> String {
    let mut out = String::new();
    for f in &a.findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = Vec::new();
        if let Some(loc) = &f.location {
            props.push(format!("file={}", property(&join(prefix, &loc.file))));
            if let Some(p) = loc.pos {
                props.push(format!("line={}", p.line));
                props.push(format!("col={}", p.column));
            }
        }
        let title = match &f.clause {
            Some(c) => format!("{} (clause {c})", f.code),
            None => f.code.to_string(),
        };
        props.push(format!("title={}", property(&title)));
        let mut message = f.message.clone();
        if let Some(h) = &f.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        let _ = writeln!(out, "::{level} {}::{}", props.join(","), data(&message));
    }
    let _ = writeln!(out, "{}", super::verdict(a, deny_warnings));
    out
}
