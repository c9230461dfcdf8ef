//! Findings: what `check` says about a plan, each with a stable code and,
//! where there is one, the file, line and column it is about.

use serde::Serialize;

pub use crate::code::Code;

/// 1-based line and column in a file of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Makes `check` fail.
    Error,
    /// Reported; fails only with `--deny-warnings`.
    Warning,
    /// Information that never fails a check (document control not verifiable).
    Note,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable kebab-case code, documented in docs/checks.md.
    pub code: Code,
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
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Finding {
            code,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            clause: None,
            location: None,
        }
    }
    pub fn note(code: Code, message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Note,
            ..Finding::error(code, message)
        }
    }
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(code, message)
        }
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    /// The finding of a plan inside another (a party's plan in a joint plan):
    /// its file under `prefix/`, its message naming `label`.
    pub fn under(mut self, prefix: &str, label: &str) -> Self {
        self.message = format!("{label}: {}", self.message);
        self.moved_under(prefix)
    }

    /// The same finding, its file placed under the folder `prefix`.
    pub fn moved_under(mut self, prefix: &str) -> Self {
        if let Some(l) = &mut self.location {
            l.file = format!("{prefix}/{}", l.file);
        }
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

/// The first twelve characters of an id, as git shows a short commit id. Ids
/// read from trailers are text, so this cuts on a character boundary.
pub fn short_id(id: &str) -> &str {
    match id.char_indices().nth(12) {
        Some((i, _)) => &id[..i],
        None => id,
    }
}

/// `text` with every control character made visible, so that text from a plan
/// or a partner's history cannot drive the terminal it is printed on (set its
/// title, move the cursor, hide lines). Line feeds and tabs are kept; a
/// carriage return ends a line, as it does for the YAML parser, so line
/// numbers in snippets match the file. Characters keep their count, so
/// columns still line up.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            // C0 controls have pictures at U+2400; DEL has U+2421.
            c if (c as u32) < 0x20 => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'))
            }
            '\u{7f}' => out.push('\u{2421}'),
            c if c.is_control() => out.push('\u{fffd}'),
            // Bidirectional overrides and isolates can make a line read in an
            // order other than the one it is stored in.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Like [`printable`], for output that bsrmp itself has coloured: colour
/// sequences (`ESC [ … m`) made only of the attributes bsrmp uses (bold, dim,
/// underline, and foreground colours other than black) are kept, and every
/// other sequence made visible. So text from a plan that reaches coloured
/// output cannot hide or disguise anything, whatever path it took.
pub fn printable_coloured(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\u{1b}') {
        out.push_str(&printable(&rest[..i]));
        let tail = &rest[i + 1..];
        let sgr_len = tail.strip_prefix('[').and_then(|t| {
            let n = t.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
            let ours = t[..n].split(';').all(|p| {
                matches!(
                    p.parse::<u8>(),
                    Ok(0 | 1 | 2 | 3 | 4 | 22 | 23 | 24 | 31..=37 | 39 | 91..=97)
                ) || p.is_empty()
            });
            (ours && t[n..].starts_with('m')).then_some(n + 2)
        });
        match sgr_len {
            Some(n) => {
                out.push_str(&rest[i..i + 1 + n]);
                rest = &tail[n..];
            }
            None => {
                out.push('\u{241b}');
                rest = tail;
            }
        }
    }
    out.push_str(&printable(rest));
    out
}

#[cfg(test)]
mod printable_tests {
    use super::*;

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(printable("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            printable("a\u{1b}]0;PWNED\u{7}b\u{1b}[31mc\u{7f}\u{9b}"),
            "a\u{241b}]0;PWNED\u{2407}b\u{241b}[31mc\u{2421}\u{fffd}"
        );
        assert_eq!(printable("one\r\ntwo\rthree"), "one\ntwo\nthree");
    }

    #[test]
    fn only_colour_sequences_survive_in_coloured_output() {
        let ours = "\u{1b}[1;31mFAIL\u{1b}[0m";
        assert_eq!(printable_coloured(ours), ours);
        assert_eq!(
            printable_coloured("\u{1b}[2J\u{1b}]0;x\u{7}\u{1b}[31m"),
            "\u{241b}[2J\u{241b}]0;x\u{2407}\u{1b}[31m"
        );
        // Conceal, reverse and black are not bsrmp's: shown, not obeyed.
        assert_eq!(printable_coloured("a\u{1b}[8mb"), "a\u{241b}[8mb");
        assert_eq!(printable_coloured("\u{1b}[30;40m"), "\u{241b}[30;40m");
        assert_eq!(printable("a\u{202e}b"), "a\u{fffd}b");
    }
}
