//! Findings: what `check` says about a plan, each with a stable code and,
//! where there is one, the file, line and column it is about.

use serde::Serialize;

/// 1-based line and column in a file of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub const fn new(line: u32, column: u32) -> Self {
        Pos { line, column }
    }
}

/// A place in the plan: a path relative to the plan root, with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub struct Location {
    pub file: String,
    #[serde(flatten)]
    pub pos: Option<Pos>,
}

impl Location {
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            pos: None,
        }
    }
    pub fn at(file: impl Into<String>, pos: Pos) -> Self {
        Location {
            file: file.into(),
            pos: Some(pos),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Makes `check` fail.
    Error,
    /// Reported; fails only with `--deny-warnings`.
    Warning,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable kebab-case code, documented in docs/checks.md.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// What to do about it, in plain English.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl Finding {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Finding {
            code,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            clause: None,
            location: None,
        }
    }
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(code, message)
        }
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn clause(mut self, clause: impl Into<String>) -> Self {
        self.clause = Some(clause.into());
        self
    }
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }
    pub fn in_file(self, file: impl Into<String>, pos: Option<Pos>) -> Self {
        let file = file.into();
        self.at(Location { file, pos })
    }
}
