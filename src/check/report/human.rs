//! The default format: every clause's status by stage, each finding with a
//! snippet of its source, then a summary table and the verdict.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use owo_colors::{OwoColorize, Style};

use super::snippet::Drawer;
use crate::check::{Assessment, Status};
use crate::checklist::iso44001::{self, References};
use crate::diag::{Finding, Severity, printable};
use crate::plan::kinds;

/// How to draw the report.
pub struct Options {
    pub color: bool,
    pub width: usize,
    /// Every finding drawn, however many share a code.
    pub all: bool,
    /// Another standard's place for each stage, beside BS 11000's.
    pub references: References,
}

/// A code with more findings than this is shown by its first few ...
const CROWD: usize = 50;
/// ... this many, and a count of the rest.
const SHOWN: usize = 10;

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

/// The plan's title, what it is and what it was checked against.
fn header(a: &Assessment, style: &Options) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint(&printable(&a.plan.title), Style::new().bold(), style.color)
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
    if style.references == References::Iso44001 {
        let _ = writeln!(
            out,
            "Each stage is shown with its place in {}; the stages map one to one.",
            iso44001::STANDARD
        );
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
    let mut out = header(a, style);
    for stage in kinds::STAGES.iter() {
        let clauses: Vec<_> = a.clauses.iter().filter(|r| r.stage == stage.no).collect();
        if clauses.is_empty() {
            continue;
        }
        let heading = match (style.references, iso44001::stage(stage.no)) {
            (References::Iso44001, Some(iso)) => {
                format!("Stage {} · {} · {}", stage.no, stage.name, iso.label())
            }
            _ => format!("Stage {} · {}", stage.no, stage.name),
        };
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
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", paint("Findings", Style::new().bold(), c));
        out.push_str(&findings(&a.findings, texts, style, "\n"));
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
    findings_in_order(findings, texts, style)
}

/// Findings worst first, then by place, each drawn with its snippet.
fn findings(
    list: &[Finding],
    texts: &BTreeMap<String, String>,
    style: &Options,
    before_each: &str,
) -> String {
    let mut sorted: Vec<&Finding> = list.iter().collect();
    sorted.sort_by(|x, y| (x.severity, &x.location).cmp(&(y.severity, &y.location)));
    draw(&sorted, texts, style, before_each, "")
}

/// Findings in the order given (a plan's load errors: the order they were
/// met), each followed by a blank line.
fn findings_in_order(
    list: &[Finding],
    texts: &BTreeMap<String, String>,
    style: &Options,
) -> String {
    let sorted: Vec<&Finding> = list.iter().collect();
    draw(&sorted, texts, style, "", "\n")
}

/// Draws findings; past [`CROWD`] findings of one code and severity, only
/// the first [`SHOWN`] are drawn, and a line counts the rest by file. A
/// count that nobody reads is no loss: 10,000 alike findings drawn one by one
/// are 240,000 lines.
fn draw(
    sorted: &[&Finding],
    texts: &BTreeMap<String, String>,
    style: &Options,
    before: &str,
    after: &str,
) -> String {
    let drawer = Drawer::new(texts, style);
    let mut total: HashMap<(Severity, &str), usize> = HashMap::new();
    for f in sorted {
        *total.entry((f.severity, f.code.as_str())).or_default() += 1;
    }
    let crowded = |f: &Finding| !style.all && total[&(f.severity, f.code.as_str())] > CROWD;
    // The findings not drawn, by code and then by file.
    let mut rest: HashMap<(Severity, &str), BTreeMap<&str, Lines>> = HashMap::new();
    let mut seen: HashMap<(Severity, &str), usize> = HashMap::new();
    let mut out = String::new();
    let mut hidden = 0;
    let mut pending: Vec<(usize, (Severity, &str))> = Vec::new();
    for f in sorted {
        let key = (f.severity, f.code.as_str());
        let n = seen.entry(key).or_default();
        *n += 1;
        if crowded(f) && *n > SHOWN {
            let file = f.location.as_ref().map_or("", |l| l.file.as_str());
            let line = f.location.as_ref().and_then(|l| l.pos).map(|p| p.line);
            rest.entry(key)
                .or_default()
                .entry(file)
                .or_default()
                .add(line);
            hidden += 1;
            continue;
        }
        let _ = write!(out, "{before}{}{after}", drawer.draw(f));
        if crowded(f) && *n == SHOWN {
            // Filled in once the rest is counted.
            pending.push((out.len(), key));
        }
    }
    for (at, key) in pending.into_iter().rev() {
        let line = more_line(key, &rest[&key], style);
        out.insert_str(at, &format!("{before}{line}{after}"));
    }
    if hidden > 0 {
        let _ = write!(
            out,
            "{before}{}\n{after}",
            paint(
                &textwrap::fill(
                    &format!(
                        "{} of {} findings are counted above, not drawn: add --all-findings to `bsrmp check` to draw each one, or use --format json.",
                        thousands(hidden),
                        thousands(sorted.len())
                    ),
                    textwrap::Options::new(style.width.max(40)).break_words(false)
                ),
                Style::new().dimmed(),
                style.color
            )
        );
    }
    out
}

/// The lines of one file that a count stands for.
#[derive(Default)]
struct Lines {
    n: usize,
    first: Option<u32>,
    last: Option<u32>,
}

impl Lines {
    fn add(&mut self, line: Option<u32>) {
        self.n += 1;
        if let Some(l) = line {
            self.first = Some(self.first.map_or(l, |f| f.min(l)));
            self.last = Some(self.last.map_or(l, |f| f.max(l)));
        }
    }
}

/// "… and 9,995 more action-overdue warnings like these, in
/// registers/actions.yaml (lines 37 to 70,002)".
fn more_line(key: (Severity, &str), files: &BTreeMap<&str, Lines>, style: &Options) -> String {
    let n: usize = files.values().map(|l| l.n).sum();
    let kind = match key.0 {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let mut places: Vec<String> = files
        .iter()
        .take(3)
        .map(|(file, l)| {
            let file = if file.is_empty() { "the plan" } else { file };
            let what = match (l.first, l.last) {
                (Some(a), Some(b)) if a == b => format!("line {}", thousands(a as usize)),
                (Some(a), Some(b)) => {
                    format!(
                        "lines {} to {}",
                        thousands(a as usize),
                        thousands(b as usize)
                    )
                }
                _ => String::new(),
            };
            match (files.len(), what.is_empty()) {
                (1, true) => printable(file).into_owned(),
                (1, false) => format!("{} ({what})", printable(file)),
                (_, true) => format!("{} ({})", printable(file), thousands(l.n)),
                (_, false) => format!("{} ({}, {what})", printable(file), thousands(l.n)),
            }
        })
        .collect();
    if files.len() > 3 {
        let others: usize = files.values().skip(3).map(|l| l.n).sum();
        places.push(format!(
            "{} other files ({})",
            thousands(files.len() - 3),
            thousands(others)
        ));
    }
    let text = format!(
        "  … and {} more {} {kind}{} like these, in {}\n",
        thousands(n),
        key.1,
        if n == 1 { "" } else { "s" },
        places.join(", ")
    );
    paint(&text, Style::new().dimmed(), style.color)
}

/// 12345 as "12,345".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
