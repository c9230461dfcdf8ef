//! `bsrmp status`: where the plan stands, on one screen. Stage by stage with a
//! bar, what is overdue, what changed since its approval, and the next three
//! things to do.

use crate::code::Code;
use std::fmt::Write;

use owo_colors::{OwoColorize, Style};

use crate::check::{Assessment, Status};
use crate::diag::{Finding, Severity, printable};
use crate::plan::kinds;

pub use super::human::Options;

fn paint(text: &str, style: Style, color: bool) -> String {
    if color {
        text.style(style).to_string()
    } else {
        text.to_string()
    }
}

fn place(f: &Finding) -> String {
    match &f.location {
        Some(l) => match l.pos {
            Some(p) => format!("{}:{}", l.file, p.line),
            None => l.file.clone(),
        },
        None => String::new(),
    }
}

/// One stage's bar: met, partial and missing clauses of those due.
fn bar(met: usize, partial: usize, missing: usize, width: usize, color: bool) -> String {
    let due = (met + partial + missing).max(1);
    let cells = |n: usize| (n * width + due / 2) / due;
    let (m, p) = (cells(met), cells(partial));
    let rest = width.saturating_sub(m + p);
    format!(
        "{}{}{}",
        paint(&"█".repeat(m), Style::new().green(), color),
        paint(&"▒".repeat(p), Style::new().yellow(), color),
        paint(&"░".repeat(rest), Style::new().red(), color),
    )
}

/// The dates shown in each band of the next 90 days.
const SHOWN: usize = 6;

/// What falls due in the next 90 days, in three bands of 30.
fn coming(out: &mut String, a: &Assessment, due: &[crate::due::Due], color: bool) {
    let ahead: Vec<(i64, &crate::due::Due)> = due
        .iter()
        .map(|d| (a.today.days_until(d.date), d))
        .filter(|(n, _)| (0..=90).contains(n))
        .collect();
    let _ = writeln!(
        out,
        "\n{}",
        paint("Due in the next 90 days", Style::new().bold(), color)
    );
    if ahead.is_empty() {
        let _ = writeln!(out, "  Nothing falls due before {}.", a.today.plus_days(90));
        return;
    }
    for (band, lo, hi) in [
        ("within 30 days", 0, 30),
        ("in 31 to 60 days", 31, 60),
        ("in 61 to 90 days", 61, 90),
    ] {
        let items: Vec<_> = ahead
            .iter()
            .filter(|(n, _)| (lo..=hi).contains(n))
            .collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {}", paint(band, Style::new().dimmed(), color));
        for (_, d) in items.iter().take(SHOWN) {
            let _ = writeln!(out, "    {}  {}", d.date, printable(&d.what));
        }
        if items.len() > SHOWN {
            let _ = writeln!(
                out,
                "    and {} more: `bsrmp calendar` lists every date",
                items.len() - SHOWN
            );
        }
    }
}

pub fn render(a: &Assessment, due: &[crate::due::Due], opts: &Options) -> String {
    let color = opts.color;
    let mut out = String::new();
    let errors = a.errors();
    let warnings = a.warnings();
    let _ = writeln!(
        out,
        "{} ({}), {} plan at stage {}",
        paint(&printable(&a.plan.title), Style::new().bold(), color),
        printable(&a.plan.id),
        a.plan.kind,
        a.plan.stage
    );
    let verdict = if errors == 0 {
        paint("passes", Style::new().green().bold(), color)
    } else {
        paint("does not pass", Style::new().red().bold(), color)
    };
    let _ = writeln!(
        out,
        "as of {}: {verdict}, {errors} error(s), {warnings} warning(s)\n",
        a.today
    );

    // Without a whole history, approvals cannot be verified: say so first.
    for f in a
        .findings
        .iter()
        .filter(|f| f.code == Code::IncompleteHistory)
    {
        let _ = writeln!(
            out,
            "{} {}\n",
            paint("note:", Style::new().cyan().bold(), color),
            printable(&f.message)
        );
    }

    stage_lines(&mut out, a, opts);
    let section = |out: &mut String, title: &str, items: &[&Finding]| {
        if items.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n{}", paint(title, Style::new().bold(), color));
        for f in items {
            let _ = writeln!(
                out,
                "  {}  {}",
                printable(&f.message),
                paint(&place(f), Style::new().dimmed(), color)
            );
        }
    };
    let overdue: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| Code::OVERDUE.contains(&f.code))
        .collect();
    section(&mut out, "Overdue", &overdue);
    let changed: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| f.code == Code::ChangedSinceApproval)
        .collect();
    section(&mut out, "Changed since approval", &changed);
    coming(&mut out, a, due, color);

    next_steps(&mut out, a, color);
    out
}

/// A line per stage: a bar of its clauses due, or why none is.
fn stage_lines(out: &mut String, a: &Assessment, opts: &Options) {
    let color = opts.color;
    let width = opts.width.clamp(40, 200);
    let bar_width = (width - 40).min(30);
    for s in kinds::STAGES.iter() {
        let count = |st: Status| a.count_in_stage(s.no, st);
        let (met, partial, missing) = (
            count(Status::Met) + count(Status::Waived),
            count(Status::Partial),
            count(Status::Missing),
        );
        let label = format!("{} {}", s.no, s.name);
        let due = met + partial + missing;
        let line = if due == 0 {
            let why = if count(Status::NotApplicable) > 0 {
                "not applicable"
            } else {
                "not due"
            };
            format!("{label:<22} {}", paint(why, Style::new().dimmed(), color))
        } else {
            let mut extra = Vec::new();
            if partial > 0 {
                extra.push(format!("{partial} partial"));
            }
            if missing > 0 {
                extra.push(format!("{missing} missing"));
            }
            let extra = if extra.is_empty() {
                String::new()
            } else {
                format!("  ({})", extra.join(", "))
            };
            format!(
                "{label:<22} {} {met:>2}/{due:<2} met{extra}",
                bar(met, partial, missing, bar_width, color)
            )
        };
        let _ = writeln!(out, "{line}");
    }
}

/// The next three things to do: errors before warnings, earliest clause first.
fn next_steps(out: &mut String, a: &Assessment, color: bool) {
    let order = |f: &Finding| {
        let clause_index = f
            .clause
            .as_ref()
            .and_then(|c| a.clauses.iter().position(|r| &r.clause == c))
            .unwrap_or(usize::MAX);
        let severity = match f.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Note => 2,
        };
        (severity, clause_index)
    };
    let mut todo: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Note)
        .collect();
    todo.sort_by_key(|f| order(f));
    let _ = writeln!(out, "\n{}", paint("Next", Style::new().bold(), color));
    if todo.is_empty() {
        let _ = writeln!(out, "  Nothing to fix. Keep the reviews on their dates.");
    }
    for (i, f) in todo.iter().take(3).enumerate() {
        let clause = f
            .clause
            .as_deref()
            .map(|c| format!("{c}: "))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}. {clause}{}  {}",
            i + 1,
            printable(&f.message),
            paint(&place(f), Style::new().dimmed(), color)
        );
        if let Some(h) = &f.help {
            let _ = writeln!(out, "     {}", paint(h, Style::new().dimmed(), color));
        }
    }
    if todo.len() > 3 {
        let _ = writeln!(
            out,
            "  and {} more: `bsrmp check` lists them all",
            todo.len() - 3
        );
    }
}
