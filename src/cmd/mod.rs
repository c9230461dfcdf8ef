//! One module per command, each a `run(args, &Context)` that calls the
//! library and prints what it returns; the exit code comes back to `main`.
//! What several commands share (dates from the command line, a plan that
//! cannot be read, suggested commands) is here.

mod approve;
mod calendar;
mod check;
mod checklist;
mod completions;
mod explain;
mod export;
mod fork_joint;
mod init;
mod log;
mod man;
mod render;
mod schema;
mod status;

use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) use bsrmp::check::{self as checking, report};
pub(crate) use bsrmp::checklist::{Checklist, explain as explaining};
pub(crate) use bsrmp::history::{self, Depth, register};
pub(crate) use bsrmp::plan;
pub(crate) use bsrmp::plan::date::Date;
pub(crate) use bsrmp::plan::manifest::PlanKind;
pub(crate) use bsrmp::render as rendering;
pub(crate) use bsrmp::scaffold::{self, InitOptions};
pub(crate) use bsrmp::workspace::Workspace;

pub(crate) use crate::cli::*;

/// What ends a command with exit status 2: a call that is wrong, found
/// here, or a failure the library reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Failed(#[from] bsrmp::Error),
}

/// The plan passes (or the command did what it says).
pub const PASS: u8 = 0;
/// The plan fails.
pub const FAIL: u8 = 1;
/// The plan cannot be read, the call is wrong, or something failed.
pub const ERROR: u8 = 2;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// How output reaches the terminal, set once from the global options and
/// passed to every command.
pub struct Context {
    pub color: bool,
    pub verbosity: Verbosity,
    /// The width human reports are drawn to (`COLUMNS`, else 100).
    pub width: usize,
}

impl Context {
    /// Text for the terminal: plan and history text may hold control
    /// sequences (a title that resets the terminal), so every one is made
    /// visible, apart from bsrmp's own colours.
    fn terminal(&self, text: &str) -> String {
        if self.color {
            bsrmp::diag::printable_coloured(text)
        } else {
            bsrmp::diag::printable(text).into_owned()
        }
    }

    /// The command's output, on stdout.
    pub fn out(&self, text: &str) {
        let text = self.terminal(text);
        // A closed pipe (`bsrmp check | head`) is not an error worth reporting.
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    }

    /// Machine-readable output (JSON, SARIF, JUnit) is printed as data, not
    /// cleaned for the terminal: only DEL and the C1 controls, which JSON and
    /// XML may carry raw and some terminals obey, are written as escapes, so
    /// the value read back is the same.
    pub fn out_data(&self, text: &str, xml: bool) {
        let mut safe = String::with_capacity(text.len());
        for c in text.chars() {
            if ('\u{7f}'..='\u{9f}').contains(&c) {
                if xml {
                    safe.push_str(&format!("&#x{:x};", c as u32));
                } else {
                    safe.push_str(&format!("\\u{:04x}", c as u32));
                }
            } else {
                safe.push(c);
            }
        }
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(safe.as_bytes());
        let _ = stdout.flush();
    }

    /// Like `out`, for stderr.
    pub fn err_out(&self, text: &str) {
        let mut stderr = std::io::stderr().lock();
        let _ = stderr.write_all(self.terminal(text).as_bytes());
        let _ = stderr.flush();
    }

    /// A message about what was done: not printed with --quiet.
    pub fn say(&self, text: &str) {
        if self.verbosity != Verbosity::Quiet {
            self.out(text);
        }
    }

    /// A note on stderr: not printed with --quiet.
    pub fn note(&self, text: &str) {
        if self.verbosity != Verbosity::Quiet {
            self.err_out(&format!("{text}\n"));
        }
    }

    /// Detail printed only with --verbose.
    pub fn detail(&self, lines: impl IntoIterator<Item = String>) {
        if self.verbosity == Verbosity::Verbose {
            let mut text = String::new();
            for l in lines {
                text.push_str(&format!("  {l}\n"));
            }
            self.out(&text);
        }
    }

    /// A report of `check`, where it goes.
    pub fn print(&self, report: report::Report) {
        match report {
            report::Report::Text(text) => self.out(&text),
            report::Report::Data { text, xml } => self.out_data(&text, xml),
            report::Report::Problems(text) => self.err_out(&text),
        }
    }

    pub fn human(&self) -> report::human::Options {
        report::human::Options {
            color: self.color,
            width: self.width,
            all: false,
            references: Default::default(),
        }
    }
}

/// Runs one command.
pub fn run(command: Command, ctx: &Context) -> Result<u8, Error> {
    match command {
        Command::Init(args) => init::run(args, ctx),
        Command::Check(args) => check::run(args, ctx),
        Command::Render(args) => render::run(args, ctx),
        Command::Export(args) => export::run(args, ctx),
        Command::ForkJoint(args) => fork_joint::run(args, ctx),
        Command::Status(args) => status::run(args, ctx),
        Command::Calendar(args) => calendar::run(args, ctx),
        Command::Schema(args) => schema::run(args, ctx),
        Command::Completions(args) => completions::run(args, ctx),
        Command::Man(args) => man::run(args, ctx),
        Command::Log(args) => log::run(args, ctx),
        Command::Approve(args) => approve::run(args, ctx),
        Command::Checklist(args) => checklist::run(args, ctx),
        Command::Explain(args) => explain::run(args, ctx),
    }
}

/// Says which temporary folders of interrupted runs were removed.
fn leftovers_note(ctx: &Context, removed: &[PathBuf]) {
    for dir in removed {
        ctx.note(&format!(
            "note: removed {}, left by an interrupted run",
            dir.display()
        ));
    }
}

/// `GIT_COMMITTER_DATE`, when set: RFC 3339 (`2026-03-01T10:00:00Z`) or git's
/// own `@1767258000 +0000` form.
fn commit_time() -> Result<Option<jiff::Timestamp>, Error> {
    let Ok(raw) = std::env::var("GIT_COMMITTER_DATE") else {
        return Ok(None);
    };
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let secs = raw
        .trim_start_matches('@')
        .split_whitespace()
        .next()
        .and_then(|n| n.parse::<i64>().ok());
    let parsed = match secs {
        Some(n) => jiff::Timestamp::from_second(n).ok(),
        None => raw.parse::<jiff::Timestamp>().ok(),
    };
    parsed.map(Some).ok_or_else(|| {
        Error::Usage(format!(
            "GIT_COMMITTER_DATE is \"{raw}\"; use RFC 3339 such as 2026-03-01T10:00:00Z, or @SECONDS"
        ))
    })
}

/// `--today`, or today in UTC.
fn today(arg: Option<&str>) -> Result<Date, Error> {
    match arg {
        Some(text) => Date::read(text)
            .map_err(|why| Error::Usage(format!("--today {text} is not a date: {why}"))),
        None => {
            let now = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC);
            Ok(Date(now.date()))
        }
    }
}

/// `[DIR] PATH...`: the first argument is the plan folder when it holds
/// rmp.toml and either more arguments follow or it is the only one.
fn plan_and_paths(mut args: Vec<PathBuf>) -> (PathBuf, Vec<PathBuf>) {
    match args.first() {
        Some(first) if first.join(plan::manifest::FILE).is_file() => {
            let dir = args.remove(0);
            (dir, args)
        }
        _ => (PathBuf::from("."), args),
    }
}

/// The error that ends a command whose plan cannot be read, once its
/// findings are printed.
fn unreadable(dir: &Path, findings: &[bsrmp::diag::Finding]) -> Error {
    Error::Usage(format!(
        "{} cannot be read: {} problem(s), listed above",
        dir.display(),
        findings.len()
    ))
}

/// A plan that cannot be read becomes its findings, printed for a person.
fn readable<T>(ctx: &Context, read: Result<T, bsrmp::Error>, dir: &Path) -> Result<T, Error> {
    match read {
        Err(bsrmp::Error::InvalidPlan { findings, texts }) => {
            ctx.err_out(&report::human::render_load_errors(
                &findings,
                &texts,
                &ctx.human(),
            ));
            Err(unreadable(dir, &findings))
        }
        other => Ok(other?),
    }
}

/// Suggested commands name the plan folder as it was given, so that they can
/// be pasted where bsrmp was run.
fn commands_from_here(a: &mut checking::Assessment, dir: &Path) {
    let given = dir.to_string_lossy();
    let plan = if given.is_empty() || given == "." || given == "./" {
        String::new()
    } else {
        format!("{} ", shell_word(&given))
    };
    for f in &mut a.findings {
        if let Some(h) = &mut f.help
            && h.contains("<plan> ")
        {
            *h = h.replace("<plan> ", &plan);
        }
    }
}

/// A word for a POSIX shell: as it is when that is safe, else in quotes.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:@+,=".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The process ends when a command returns: a large plan is left to the
/// operating system rather than freed record by record, which took 0.1 s of
/// `check` at the benchmarks' reference size (docs/benchmarks.md).
fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}
