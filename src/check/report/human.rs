//! The default format: every clause's status by stage, each finding with a
//! snippet of its source, then a summary table and the verdict.

use std::collections::BTreeMap;
use std::fmt::Write;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report,
};
use owo_colors::{OwoColorize, Style};

use crate::check::{Assessment, Status};
use crate::diag::{Finding, Pos, Severity, printable};
use crate::plan::kinds;

/// How to draw the report.
pub struct Options {
    pub color: bool,
    pub width: usize,
}

fn paint(text: &str, style: Style, color: bool) -> String {
    if color {
        text.style(style).to_string()
    } else {
        text.to_string()
    }
}

fn status_style(s: Status) -> Style {
    match s {
        Status::Met => Style::new().green(),
        Status::Partial => Style::new().yellow(),
        Status::Missing => Style::new().red().bold(),
        Status::Waived => Style::new().cyan(),
        Status::NotApplicable | Status::NotDue => Style::new().dimmed(),
    }
}

fn handler(style: &Options) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_context_lines(1)
        .with_links(false)
}

/// Byte offset of a line and column in `text`.
fn offset(text: &str, pos: Pos) -> usize {
    let mut off = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == pos.line as usize {
            let col: usize = line
                .chars()
                .take(pos.column.saturating_sub(1) as usize)
                .map(char::len_utf8)
                .sum();
            return off + col;
        }
        off += line.len();
    }
    text.len()
}

fn diagnostic(
    f: &Finding,
    texts: &BTreeMap<String, String>,
    handler: &GraphicalReportHandler,
    width: usize,
) -> String {
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
        .and_then(|l| Some((l, l.pos?, texts.get(&l.file)?)));
    match source {
        Some((loc, pos, text)) => {
            let text = &printable(text).into_owned();
            let start = offset(text, pos);
            // Up to 80 characters of the line, ending on a character boundary.
            let len: usize = text[start..]
                .chars()
                .take_while(|&c| c != '\n')
                .take(80)
                .map(char::len_utf8)
                .sum();
            let len = if len == 0 {
                text[start..].chars().next().map_or(0, char::len_utf8)
            } else {
                len
            };
            let label = match &f.clause {
                Some(c) => format!("clause {c}"),
                None => "here".to_string(),
            };
            d = d.with_labels(vec![LabeledSpan::at(start..start + len, label)]);
            let report = Report::new(d).with_source_code(NamedSource::new(&loc.file, text.clone()));
            let _ = handler.render_report(&mut out, report.as_ref());
        }
        None => {
            if let Some(loc) = &f.location {
                let place = match loc.pos {
                    Some(p) => format!("{}:{}:{}", loc.file, p.line, p.column),
                    None => loc.file.clone(),
                };
                d.message = format!("{}\n  at {place}", printable(&f.message));
            }
            let _ = handler.render_report(&mut out, &d);
        }
    }
    if let Some(h) = &f.help {
        out.push_str(&help_lines(&printable(h), width));
    }
    out
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

pub fn render(
    a: &Assessment,
    texts: &BTreeMap<String, String>,
    style: &Options,
    deny_warnings: bool,
) -> String {
    let c = style.color;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint(&printable(&a.plan.title), Style::new().bold(), c)
    );
    let _ = writeln!(
        out,
        "{} · {} plan · stage {} of 8 · checked on {} against {} (checklist {})",
        printable(&a.plan.id),
        a.plan.kind,
        a.plan.stage,
        a.today,
        a.standard,
        a.checklist_version
    );
    for stage in kinds::STAGES.iter() {
        let clauses: Vec<_> = a.clauses.iter().filter(|r| r.stage == stage.no).collect();
        if clauses.is_empty() {
            continue;
        }
        let heading = format!("Stage {} · {}", stage.no, stage.name);
        let _ = writeln!(out);
        // A stage whose clauses all share a non-due status is one line.
        let first = clauses[0].status;
        if !first.is_due() && first != Status::Waived && clauses.iter().all(|r| r.status == first) {
            let why = clauses[0].note.as_deref().unwrap_or("");
            let _ = writeln!(
                out,
                "{}  {}",
                paint(&heading, Style::new().bold(), c),
                paint(
                    &format!("{} clauses {} ({why})", clauses.len(), first.label()),
                    status_style(first),
                    c
                )
            );
            continue;
        }
        let _ = writeln!(out, "{}", paint(&heading, Style::new().bold(), c));
        for r in clauses {
            let n = r.findings.len();
            let extra = match (&r.note, n) {
                (_, n) if n > 0 => format!("  {n} finding{}", if n == 1 { "" } else { "s" }),
                (Some(note), _) if r.status != Status::Met || note.starts_with("met by") => {
                    format!("  {note}")
                }
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "  {} {:<8} {}{}",
                paint(
                    &format!("{:<8}", r.status.label()),
                    status_style(r.status),
                    c
                ),
                r.clause,
                r.title,
                paint(&extra, Style::new().dimmed(), c)
            );
        }
    }
    if !a.findings.is_empty() {
        let handler = handler(style);
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", paint("Findings", Style::new().bold(), c));
        let mut sorted: Vec<&Finding> = a.findings.iter().collect();
        sorted.sort_by(|x, y| (x.severity, &x.location).cmp(&(y.severity, &y.location)));
        for f in sorted {
            let _ = write!(out, "\n{}", diagnostic(f, texts, &handler, style.width));
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<28}{:>6}{:>9}{:>9}{:>8}{:>6}{:>9}",
        "Stage", "met", "partial", "missing", "waived", "n/a", "not due"
    );
    let mut totals = [0usize; 6];
    for stage in kinds::STAGES.iter() {
        if !a.clauses.iter().any(|r| r.stage == stage.no) {
            continue;
        }
        let n: Vec<usize> = Status::ALL
            .iter()
            .map(|s| a.count_in_stage(stage.no, *s))
            .collect();
        for (t, v) in totals.iter_mut().zip(&n) {
            *t += v;
        }
        let _ = writeln!(
            out,
            "{:<28}{:>6}{:>9}{:>9}{:>8}{:>6}{:>9}",
            format!("{} {}", stage.no, stage.name),
            n[0],
            n[1],
            n[2],
            n[3],
            n[4],
            n[5]
        );
    }
    let _ = writeln!(
        out,
        "{:<28}{:>6}{:>9}{:>9}{:>8}{:>6}{:>9}",
        "Total", totals[0], totals[1], totals[2], totals[3], totals[4], totals[5]
    );
    let _ = writeln!(out, "\n{}", verdict_line(a, deny_warnings, c));
    out
}

/// The verdict, in green or red.
pub fn verdict_line(a: &Assessment, deny_warnings: bool, color: bool) -> String {
    let style = if a.fails(deny_warnings) {
        Style::new().red().bold()
    } else {
        Style::new().green().bold()
    };
    paint(&super::verdict(a, deny_warnings), style, color)
}

/// Findings of a plan that cannot be read, with snippets.
pub fn render_load_errors(
    findings: &[Finding],
    texts: &BTreeMap<String, String>,
    style: &Options,
) -> String {
    let handler = handler(style);
    findings
        .iter()
        .map(|f| format!("{}\n", diagnostic(f, texts, &handler, style.width)))
        .collect()
}
