//! The formats `check` reports in. Each turns an [`Assessment`] into text.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod progress;
pub mod sarif;
mod snippet;

use std::collections::BTreeMap;

use super::Assessment;
use crate::diag::Finding;

/// A format `check` reports in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Junit,
    Sarif,
    Github,
}

/// What the formats need besides the assessment.
pub struct Settings<'a> {
    pub deny_warnings: bool,
    /// The human format shows the verdict only.
    pub verdict_only: bool,
    pub human: human::Options,
    /// The text of the plan's files, for the human format's snippets.
    pub texts: &'a BTreeMap<String, String>,
    /// The plan's folder as given, for GitHub's annotations.
    pub prefix: &'a str,
    /// Where SARIF's paths start.
    pub base: &'a sarif::Base,
}

/// A report and where it goes.
#[derive(Debug, PartialEq, Eq)]
pub enum Report {
    /// For a person, on stdout.
    Text(String),
    /// JSON or XML, printed as it is (`xml` says which escapes it takes).
    Data { text: String, xml: bool },
    /// For a person, on stderr: why the plan could not be read.
    Problems(String),
}

impl Format {
    pub fn report(self, a: &Assessment, s: &Settings<'_>) -> Report {
        let deny = s.deny_warnings;
        match self {
            Format::Human if s.verdict_only => {
                Report::Text(format!("{}\n", human::verdict_line(a, deny, s.human.color)))
            }
            Format::Human => Report::Text(human::render(a, s.texts, &s.human, deny)),
            Format::Json => Report::Data {
                text: json::render(a, deny),
                xml: false,
            },
            Format::Junit => Report::Data {
                text: junit::render(a, deny),
                xml: true,
            },
            Format::Sarif => Report::Data {
                text: sarif::render(a, s.base),
                xml: false,
            },
            Format::Github => Report::Text(github::render(a, s.prefix, deny)),
        }
    }

    /// A plan that cannot be read: its findings as JSON when JSON was asked
    /// for, else for a person on stderr.
    pub fn unreadable(self, findings: &[Finding], s: &Settings<'_>) -> Report {
        match self {
            Format::Json => Report::Data {
                text: json::render_load_errors(s.prefix, findings),
                xml: false,
            },
            _ => Report::Problems(human::render_load_errors(findings, s.texts, &s.human)),
        }
    }
}

/// A finding's place as `file:line:column`, or what of it is known.
pub fn place(f: &Finding) -> Option<String> {
    let loc = f.location.as_ref()?;
    Some(match loc.pos {
        Some(p) => format!("{}:{}:{}", loc.file, p.line, p.column),
        None => loc.file.clone(),
    })
}

/// The overall verdict in a sentence.
pub fn verdict(a: &Assessment, deny_warnings: bool) -> String {
    let due = a.due();
    let met = a.count(super::Status::Met);
    if a.fails(deny_warnings) {
        format!(
            "FAIL: {} error(s), {} warning(s); {met} of {due} due clauses met",
            a.errors(),
            a.warnings()
        )
    } else {
        format!(
            "PASS: {met} of {due} due clauses met; {} warning(s)",
            a.warnings()
        )
    }
}
