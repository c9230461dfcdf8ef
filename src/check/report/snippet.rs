//! One finding drawn by miette, with a snippet of its source.
//!
//! Each file is made printable and its lines indexed once, and miette is
//! handed only the few lines around a finding: handing it the whole file
//! made every finding cost the file's length, and a report of many findings
//! in one large register quadratic (10,000 findings took a minute).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, Report, SourceCode, SourceSpan, SpanContents,
};

use super::human::Options;
use crate::diag::{Finding, Pos, Severity, printable};

/// Lines shown before and after the finding's line.
const CONTEXT: usize = 1;

/// A file made printable, with where each of its lines starts.
struct Indexed {
    text: String,
    starts: Vec<usize>,
}

impl Indexed {
    fn new(raw: &str) -> Self {
        let text = printable(raw).into_owned();
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Indexed { text, starts }
    }

    /// Byte offset of a line and column (both from 1), within the text.
    fn offset(&self, pos: Pos) -> usize {
        let Some(&start) = self.starts.get((pos.line as usize).saturating_sub(1)) else {
            return self.text.len();
        };
        let line = &self.text[start..self.end_of(pos.line as usize)];
        start
            + line
                .chars()
                .take_while(|&c| c != '\n')
                .take(pos.column.saturating_sub(1) as usize)
                .map(char::len_utf8)
                .sum::<usize>()
    }

    /// Where line `n` (from 1) ends, its line feed included.
    fn end_of(&self, n: usize) -> usize {
        self.starts.get(n).copied().unwrap_or(self.text.len())
    }

    /// The lines around line `n` (from 1), as miette's source.
    fn window(&self, name: &str, n: usize) -> Window {
        let first = n.saturating_sub(1 + CONTEXT + 1);
        let base = self.starts.get(first).copied().unwrap_or(self.text.len());
        let end = self.end_of(n + CONTEXT + 1);
        Window {
            name: name.to_string(),
            text: self.text[base..end].to_string(),
            base,
            first_line: first,
        }
    }
}

/// A few lines of a file, standing for the whole of it: spans are offsets in
/// the file and line numbers are the file's.
struct Window {
    name: String,
    text: String,
    base: usize,
    first_line: usize,
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let local = span
            .offset()
            .checked_sub(self.base)
            .ok_or(MietteError::OutOfBounds)?;
        let inner = self
            .text
            .as_bytes()
            .read_span(&(local, span.len()).into(), before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            (inner.span().offset() + self.base, inner.span().len()).into(),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// Draws findings, indexing each file the first time one of its findings is
/// drawn.
pub struct Drawer<'a> {
    texts: &'a BTreeMap<String, String>,
    indexed: RefCell<HashMap<String, std::rc::Rc<Indexed>>>,
    handler: GraphicalReportHandler,
    width: usize,
}

impl<'a> Drawer<'a> {
    pub fn new(texts: &'a BTreeMap<String, String>, style: &Options) -> Self {
        let theme = if style.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(style.width)
            .with_context_lines(CONTEXT)
            .with_links(false);
        Drawer {
            texts,
            indexed: RefCell::default(),
            handler,
            width: style.width,
        }
    }

    fn file(&self, name: &str) -> Option<std::rc::Rc<Indexed>> {
        if let Some(f) = self.indexed.borrow().get(name) {
            return Some(f.clone());
        }
        let f = std::rc::Rc::new(Indexed::new(self.texts.get(name)?));
        self.indexed
            .borrow_mut()
            .insert(name.to_string(), f.clone());
        Some(f)
    }

    /// One finding, as miette draws it, then its help.
    pub fn draw(&self, f: &Finding) -> String {
        // Plan text is made printable before it reaches the terminal.
        let mut d = MietteDiagnostic::new(printable(&f.message).into_owned())
            .with_code(f.code.as_str())
            .with_severity(match f.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Note => miette::Severity::Advice,
            });
        let mut out = String::new();
        let source = f
            .location
            .as_ref()
            .and_then(|l| Some((l, l.pos?, self.file(&l.file)?)));
        match source {
            Some((loc, pos, file)) => {
                let start = file.offset(pos);
                let rest = &file.text[start..];
                // Up to 80 characters of the line, ending on a character boundary.
                let len: usize = rest
                    .chars()
                    .take_while(|&c| c != '\n')
                    .take(80)
                    .map(char::len_utf8)
                    .sum();
                let len = if len == 0 {
                    rest.chars().next().map_or(0, char::len_utf8)
                } else {
                    len
                };
                let label = match &f.clause {
                    Some(c) => format!("clause {c}"),
                    None => "here".to_string(),
                };
                d = d.with_labels(vec![LabeledSpan::at(start..start + len, label)]);
                let window = file.window(&loc.file, pos.line as usize);
                let report = Report::new(d).with_source_code(window);
                let _ = self.handler.render_report(&mut out, report.as_ref());
            }
            None => {
                if let Some(loc) = &f.location {
                    let place = match loc.pos {
                        Some(p) => format!("{}:{}:{}", loc.file, p.line, p.column),
                        None => loc.file.clone(),
                    };
                    d.message = format!("{}\n  at {place}", printable(&f.message));
                }
                let _ = self.handler.render_report(&mut out, &d);
            }
        }
        if let Some(h) = &f.help {
            out.push_str(&help_lines(&printable(h), self.width));
        }
        out
    }
}

/// `help:` lines as miette draws them, except that a suggested command
/// (from `bsrmp ` on) gets a line of its own and is never wrapped, and no
/// word (a path) is ever broken: the command can be copied as it stands.
fn help_lines(help: &str, width: usize) -> String {
    const FIRST: &str = "  help: ";
    const NEXT: &str = "        ";
    let (prose, command) = match help.find("bsrmp ") {
        Some(i) => (help[..i].trim_end(), Some(help[i..].trim())),
        None => (help.trim(), None),
    };
    let mut out = String::new();
    if !prose.is_empty() {
        // As miette: two columns short of the width.
        let opts = textwrap::Options::new(width.saturating_sub(2).max(40))
            .initial_indent(FIRST)
            .subsequent_indent(NEXT)
            .break_words(false);
        for line in textwrap::wrap(prose, opts) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    if let Some(cmd) = command {
        out.push_str(if prose.is_empty() { FIRST } else { NEXT });
        out.push_str(cmd);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Code;
    use crate::diag::Location;

    fn drawn(text: &str, line: u32, column: u32) -> String {
        let texts = BTreeMap::from([("f.yaml".to_string(), text.to_string())]);
        let style = Options {
            color: false,
            width: 100,
            all: false,
            references: Default::default(),
        };
        let mut f = Finding::warning(Code::ActionOverdue, "late");
        f.location = Some(Location {
            file: "f.yaml".into(),
            pos: Some(Pos { line, column }),
        });
        Drawer::new(&texts, &style).draw(&f)
    }

    #[test]
    fn a_window_shows_the_files_own_line_numbers() {
        let text: String = (1..=500).map(|i| format!("line {i}\n")).collect();
        let out = drawn(&text, 300, 1);
        assert!(out.contains("[f.yaml:300:1]"), "{out}");
        assert!(out.contains(" 299 │ line 299"), "{out}");
        assert!(out.contains(" 300 │ line 300"), "{out}");
        assert!(out.contains(" 301 │ line 301"), "{out}");
        assert!(!out.contains("line 302"), "{out}");
    }

    #[test]
    fn a_window_at_either_end_of_the_file() {
        let out = drawn("a: 1\nb: 2\n", 1, 4);
        assert!(out.contains("[f.yaml:1:4]"), "{out}");
        let out = drawn("a: 1\nb: 2", 2, 1);
        assert!(out.contains("[f.yaml:2:1]"), "{out}");
        assert!(out.contains("2 │ b: 2"), "{out}");
        // A place past the end still draws, at the end.
        let out = drawn("a: 1\n", 9, 1);
        assert!(out.contains("late"), "{out}");
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_yaml_reads_it() {
        let out = drawn("a: 1\rb: 2\rc: 3\r", 2, 1);
        assert!(out.contains("[f.yaml:2:1]"), "{out}");
        assert!(out.contains("2 │ b: 2"), "{out}");
    }
}
