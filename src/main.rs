//! The `bsrmp` binary: parses arguments, calls the library, prints what it
//! returns and maps the outcome to an exit status (0 pass, 1 fail, 2 error).

mod cli;
mod man;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use bsrmp::check::{self, report};
use bsrmp::checklist::{Checklist, explain};
use bsrmp::history::{self, Depth, register};
use bsrmp::plan::date::Date;
use bsrmp::plan::manifest::PlanKind;
use bsrmp::plan::source::FsSource;
use bsrmp::render;
use bsrmp::scaffold::{self, InitOptions};
use bsrmp::workspace::Workspace;
use bsrmp::{Error, plan};
use cli::{ColorChoice, Command, Format, InitKind, ListFormat};

const FAIL: u8 = 1;
const ERROR: u8 = 2;

/// The system's allocator, with a message instead of an abort when memory
/// runs out (a large plan under a memory limit): which file was being read,
/// and exit status 2 like any other error.
struct Allocator;

static OUT_OF_MEMORY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

// SAFETY: every call is passed to the system allocator unchanged; only a null
// result is handled, by ending the process.
unsafe impl std::alloc::GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        let p = unsafe { std::alloc::System.alloc(layout) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        let p = unsafe { std::alloc::System.alloc_zeroed(layout) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, size: usize) -> *mut u8 {
        let p = unsafe { std::alloc::System.realloc(ptr, layout, size) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

/// Says what ran out, without allocating, and ends the process.
fn out_of_memory() -> ! {
    if OUT_OF_MEMORY.swap(true, std::sync::atomic::Ordering::SeqCst) {
        std::process::abort();
    }
    let mut e = std::io::stderr().lock();
    let _ = e.write_all(b"error: bsrmp ran out of memory");
    bsrmp::memory::with_current(|file| {
        if !file.is_empty() {
            let _ = e.write_all(b" while reading ");
            let _ = e.write_all(file);
        }
    });
    let _ = e.write_all(
        b". The plan needs more memory than this machine, or the limit set for this process, allows: split the largest file, or run bsrmp with more memory\n",
    );
    let _ = e.flush();
    std::process::exit(i32::from(ERROR));
}

fn main() -> ExitCode {
    bsrmp::staging::clean_up_on_signals();
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { ERROR } else { 0 });
        }
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
        }
    };
    let _ = COLOUR.set(color);
    let _ = VERBOSITY.set(if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    });
    match run(cli.command, color) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            err_out(&error_text(&e));
            ExitCode::from(ERROR)
        }
    }
}

/// The error, then each cause under it that its own words do not already
/// give: what git itself said stays visible, below what it means.
fn error_text(e: &Error) -> String {
    let top = e.to_string();
    let mut text = format!("error: {top}\n");
    let label = match e {
        Error::Git { .. } | Error::BadRevision { .. } => "git said",
        _ => "cause",
    };
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        // libgit2's own text, without the class and code numbers.
        let said = match c.downcast_ref::<git2::Error>() {
            Some(g) => g.message().to_string(),
            None => c.to_string(),
        };
        if !top.contains(&said) {
            text.push_str(&format!("  {label}: {said}\n"));
        }
        cause = c.source();
    }
    text
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

static VERBOSITY: std::sync::OnceLock<Verbosity> = std::sync::OnceLock::new();

fn verbosity() -> Verbosity {
    *VERBOSITY.get().unwrap_or(&Verbosity::Normal)
}

/// Says which temporary folders of interrupted runs were removed.
fn leftovers_note(removed: &[PathBuf]) {
    for dir in removed {
        note(&format!(
            "note: removed {}, left by an interrupted run",
            dir.display()
        ));
    }
}

/// A message about what was done: not printed with --quiet.
fn say(text: &str) {
    if verbosity() != Verbosity::Quiet {
        out(text);
    }
}

/// A note on stderr: not printed with --quiet.
fn note(text: &str) {
    if verbosity() != Verbosity::Quiet {
        err_out(&format!("{text}\n"));
    }
}

/// Detail printed only with --verbose.
fn detail(lines: impl IntoIterator<Item = String>) {
    if verbosity() == Verbosity::Verbose {
        let mut text = String::new();
        for l in lines {
            text.push_str(&format!("  {l}\n"));
        }
        out(&text);
    }
}

/// Whether bsrmp colours its output; set once in `main`.
static COLOUR: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Text for the terminal: plan and history text may hold control sequences
/// (a title that resets the terminal), so every one is made visible, apart
/// from bsrmp's own colours.
fn terminal(text: &str) -> String {
    if *COLOUR.get().unwrap_or(&false) {
        bsrmp::diag::printable_coloured(text)
    } else {
        bsrmp::diag::printable(text).into_owned()
    }
}

/// Machine-readable output (JSON, SARIF, JUnit) is printed as data, not
/// cleaned for the terminal: only DEL and the C1 controls, which JSON and XML
/// may carry raw and some terminals obey, are written as escapes, so the
/// value read back is the same.
fn out_data(text: &str, xml: bool) {
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

/// Like `out`, for stderr: a closed pipe is not worth a panic either.
fn err_out(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(terminal(text).as_bytes());
    let _ = stderr.flush();
}

fn out(text: &str) {
    let text = terminal(text);
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`bsrmp check | head`) is not an error worth reporting.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
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

/// `SOURCE_DATE_EPOCH` (seconds) when set, so builds can be reproduced; else now.
fn generation_time() -> Result<jiff::Timestamp, Error> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|n| jiff::Timestamp::from_second(n).ok())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "SOURCE_DATE_EPOCH is \"{v}\"; it must be a number of seconds since 1970"
                ))
            }),
        _ => Ok(jiff::Timestamp::now()),
    }
}

/// A progress bar on stderr, only when stderr is a terminal.
fn progress_bar() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(1);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    Some(bar)
}

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

fn load_failure(
    dir: &std::path::Path,
    prefix: &str,
    format: Format,
    color: bool,
    findings: &[bsrmp::diag::Finding],
    texts: &std::collections::BTreeMap<String, String>,
) -> Error {
    match format {
        Format::Json => out_data(&report::json::render_load_errors(prefix, findings), false),
        _ => err_out(&report::human::render_load_errors(
            findings,
            texts,
            &report::human::Options {
                color,
                width: width(),
            },
        )),
    }
    Error::Usage(format!(
        "{} cannot be read: {} problem(s), listed above",
        dir.display(),
        findings.len()
    ))
}

fn load_plan(dir: &std::path::Path, color: bool) -> Result<plan::Plan, Error> {
    let checklist = Checklist::builtin();
    readable(
        plan::load(&FsSource::new(dir), &|c| checklist.stage_of(c)),
        dir,
        color,
    )
}

/// A plan that cannot be read becomes its findings, printed for a person.
fn readable<T>(read: Result<T, Error>, dir: &std::path::Path, color: bool) -> Result<T, Error> {
    match read {
        Err(Error::InvalidPlan { findings, texts }) => Err(load_failure(
            dir,
            &dir.display().to_string(),
            Format::Human,
            color,
            &findings,
            &texts,
        )),
        other => other,
    }
}

/// Suggested commands name the plan folder as it was given, so that they can
/// be pasted where bsrmp was run.
fn commands_from_here(a: &mut check::Assessment, dir: &std::path::Path) {
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

/// SARIF paths from the top of the plan's repository; outside git, from
/// the current folder when the plan is inside it, else absolute.
fn sarif_base(ws: &Workspace, dir: &std::path::Path) -> report::sarif::Base {
    use report::sarif::Base;
    if let Some(pr) = &ws.repo {
        return Base::Repository {
            prefix: pr.prefix.clone(),
            root: pr.workdir.clone(),
        };
    }
    let abs = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let here = std::env::current_dir().and_then(|c| c.canonicalize());
    match here
        .ok()
        .and_then(|c| abs.strip_prefix(c).ok().map(|r| r.to_path_buf()))
    {
        Some(rel) => Base::Relative(rel.to_string_lossy().into_owned()),
        None => Base::Absolute(abs),
    }
}

fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// The process ends when a command returns: a large plan is left to the
/// operating system rather than freed record by record, which took 0.1 s of
/// `check` at the benchmarks' reference size (docs/benchmarks.md).
fn leave<T>(value: T) {
    std::mem::forget(value);
}

fn run(command: Command, color: bool) -> Result<u8, Error> {
    let checklist = Checklist::builtin();
    match command {
        Command::Init {
            dir,
            org,
            kind,
            from,
            id,
            today: t,
        } => {
            let kind = match kind {
                InitKind::Corporate => PlanKind::Corporate,
                InitKind::Project => PlanKind::Project,
            };
            if from.is_some() && kind != PlanKind::Project {
                return Err(Error::Usage("--from goes with --kind project".into()));
            }
            let opts = InitOptions {
                dir,
                org,
                kind,
                from,
                id,
                today: today(t.as_deref())?,
            };
            let report = scaffold::init(&opts, checklist)?;
            leftovers_note(&report.leftovers);
            if let Some(outer) = &report.inside {
                note(&format!(
                    "note: {} is inside the git repository at {}; the plan has a repository of its own, which that one does not track (git shows the folder as untracked). To keep the plan in the outer repository instead, remove the plan's .git folder and commit the plan there",
                    report.dir.display(),
                    outer.display()
                ));
            }
            if report.fallback_identity {
                note(
                    "note: git has no user.name/user.email here, so the first commit is by \"bsrmp\"; set them with `git config --global user.name ...`",
                );
            }
            detail(report.files.iter().cloned());
            say(&format!(
                "Started a {} plan in {} ({} files, first commit {}).\nNext: fill in the TODO lines, then run `bsrmp check {}`.\n",
                opts.kind.as_str(),
                report.dir.display(),
                report.files.len(),
                &report.commit[..report.commit.len().min(12)],
                report.dir.display()
            ));
            Ok(0)
        }
        Command::Check {
            dir,
            stage,
            today: t,
            format,
            deny_warnings,
            rev,
            require_clean,
        } => {
            let opts = check::Options {
                today: today(t.as_deref())?,
                stage,
            };
            let prefix = dir.display().to_string();
            let ws = Workspace::open(&dir, rev.as_deref())?;
            let mut checked = match ws.check(checklist, &opts, require_clean, Depth::Approvals) {
                Ok(c) => c,
                Err(Error::InvalidPlan { findings, texts }) => {
                    return Err(load_failure(
                        &dir, &prefix, format, color, &findings, &texts,
                    ));
                }
                Err(e) => return Err(e),
            };
            commands_from_here(&mut checked.assessment, &dir);
            let (plan, a) = (&checked.plan, &checked.assessment);
            let text = match format {
                Format::Human => report::human::render(
                    a,
                    &plan.texts,
                    &report::human::Options {
                        color,
                        width: width(),
                    },
                    deny_warnings,
                ),
                Format::Json => report::json::render(a, deny_warnings),
                Format::Junit => report::junit::render(a, deny_warnings),
                Format::Sarif => report::sarif::render(a, &sarif_base(&ws, &dir)),
                Format::Github => report::github::render(a, &prefix, deny_warnings),
            };
            // --quiet keeps the human report to its verdict, the last line.
            if verbosity() == Verbosity::Quiet && format == Format::Human {
                out(&format!(
                    "{}\n",
                    text.trim_end().lines().last().unwrap_or("")
                ));
            } else {
                match format {
                    Format::Json | Format::Sarif => out_data(&text, false),
                    Format::Junit => out_data(&text, true),
                    Format::Human | Format::Github => out(&text),
                }
            }
            let code = if a.fails(deny_warnings) { FAIL } else { 0 };
            leave(checked);
            Ok(code)
        }
        Command::Render {
            dir,
            out: out_dir,
            rev,
            format,
            templates,
            zip,
            today: t,
        } => {
            let formats = match format.as_deref() {
                Some(f) => render::parse_formats(f)?,
                None => render::default_formats(),
            };
            let generated = generation_time()?;
            let today = match t.as_deref() {
                Some(_) => today(t.as_deref())?,
                // A fixed generation time fixes the check date too, so that a
                // re-render of the same commit is byte-identical.
                None => Date(generated.to_zoned(jiff::tz::TimeZone::UTC).date()),
            };
            let opts = check::Options { today, stage: None };
            let ws = Workspace::open(&dir, rev.as_deref())?;
            let checked = readable(ws.check(checklist, &opts, false, Depth::Full), &dir, color)?;
            let source = ws.source()?;
            let read = |p: &str| render::read_text(&*source, p);
            let blob = ws.blob_of(&checked.plan)?;
            let commit = ws.commit();
            let provenance = render::Provenance {
                short: commit.as_ref().map(|c| c[..12.min(c.len())].to_string()),
                commit,
                dirty: checked.dirty,
                rev: rev.clone(),
                version: env!("CARGO_PKG_VERSION").to_string(),
                checklist_version: checklist.version.clone(),
                generated: generated.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            };
            let pack = render::model::build(&render::model::Inputs {
                plan: &checked.plan,
                assessment: &checked.assessment,
                history: checked.history.as_ref(),
                checklist,
                blob_of: &*blob,
                read: &read,
                provenance,
            });
            let bar = progress_bar();
            let mut step = |name: &str, done: usize, total: usize| {
                if let Some(b) = &bar {
                    b.set_length(total as u64);
                    b.set_position(done as u64);
                    b.set_message(name.to_string());
                }
            };
            let report = render::render(
                &pack,
                &render::Options {
                    out: out_dir,
                    formats,
                    templates,
                    zip,
                    plan_dir: dir.clone(),
                    time: generated.as_second(),
                },
                &mut step,
            )?;
            if let Some(b) = bar {
                b.finish_and_clear();
            }
            leftovers_note(&report.leftovers);
            let mut text = format!(
                "{} the pack in {}: {} files. Open {}\n",
                if report.replaced { "Replaced" } else { "Wrote" },
                report.out.display(),
                report.files.len(),
                report
                    .out
                    .join(if formats.html {
                        "index.html"
                    } else if formats.md {
                        "pack.md"
                    } else {
                        "pack.pdf"
                    })
                    .display()
            );
            if let Some(z) = &report.zip {
                text.push_str(&format!("Zipped into {}\n", z.display()));
            }
            if pack.provenance.dirty {
                text.push_str("The plan has uncommitted changes: every page is marked so.\n");
            }
            detail(report.files.iter().cloned());
            say(&text);
            leave(pack);
            drop(blob);
            leave(checked);
            Ok(0)
        }
        Command::ForkJoint {
            ours,
            theirs,
            out: out_dir,
            id,
            title,
            format,
        } => {
            let opts = bsrmp::joint::ForkOptions {
                ours,
                theirs,
                out: out_dir,
                id,
                title,
                time: commit_time()?,
            };
            let report = match bsrmp::joint::fork_joint(&opts, checklist) {
                Err(Error::InvalidPlan { findings, texts }) => {
                    err_out(&report::human::render_load_errors(
                        &findings,
                        &texts,
                        &report::human::Options {
                            color,
                            width: width(),
                        },
                    ));
                    return Err(Error::Usage(format!(
                        "a plan cannot be read: {} problem(s), listed above; nothing was written",
                        findings.len()
                    )));
                }
                other => other?,
            };
            leftovers_note(&report.leftovers);
            match format {
                ListFormat::Json => out_data(
                    &format!(
                        "{}\n",
                        serde_json::to_string_pretty(&report).unwrap_or_default()
                    ),
                    false,
                ),
                ListFormat::Human => {
                    let mut text = format!(
                        "Made the joint plan {} in {}\n",
                        report.id,
                        report.out.display()
                    );
                    for p in &report.parties {
                        // `git log -- parties/<party>/` lists only the commits
                        // that change files, so the approvals are counted apart.
                        let approvals = match p.approvals_only {
                            0 => String::new(),
                            n => format!(", and {n} approval commit(s), which change no file"),
                        };
                        text.push_str(&format!(
                            "  {} ({}): {} commit(s) changing parties/{}/{approvals}\n",
                            p.name,
                            p.source,
                            p.commits_copied - p.approvals_only,
                            p.party
                        ));
                    }
                    text.push_str(&format!(
                        "{} joint decision(s) to settle: see {}\n",
                        report.decisions.len(),
                        report.out.join("MERGE-REPORT.md").display()
                    ));
                    for u in &report.uncommitted {
                        text.push_str(&format!(
                            "note: {u} has uncommitted changes; only its committed plan was taken\n"
                        ));
                    }
                    say(&text);
                    detail(
                        report
                            .decisions
                            .iter()
                            .map(|d| format!("{} ({}): {}", d.id, d.topic, d.summary)),
                    );
                }
            }
            Ok(0)
        }
        Command::Status { dir, today: t } => {
            let opts = check::Options {
                today: today(t.as_deref())?,
                stage: None,
            };
            let ws = Workspace::open(&dir, None)?;
            let mut checked = readable(
                ws.check(checklist, &opts, false, Depth::Approvals),
                &dir,
                color,
            )?;
            commands_from_here(&mut checked.assessment, &dir);
            out(&report::status::render(
                &checked.assessment,
                &report::status::Options {
                    color,
                    width: width(),
                },
            ));
            // As `check` would end: scripts can read the verdict from it too.
            Ok(if checked.assessment.fails(false) {
                FAIL
            } else {
                0
            })
        }
        Command::Schema { out: dir } => {
            let schemas = bsrmp::schema::all();
            let files: Vec<(String, Vec<u8>)> = schemas
                .iter()
                .map(|(name, value)| {
                    let text = serde_json::to_string_pretty(value).unwrap_or_default();
                    (name.clone(), format!("{text}\n").into_bytes())
                })
                .collect();
            bsrmp::staging::write_verified(&dir, &files, "the schema")?;
            detail(schemas.iter().map(|(n, _)| n.clone()));
            say(&format!(
                "Wrote {} schemas to {}\n",
                schemas.len(),
                dir.display()
            ));
            Ok(0)
        }
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cli::command(), "bsrmp", &mut buf);
            out(&String::from_utf8_lossy(&buf));
            Ok(0)
        }
        Command::Man { out: None } => {
            let pages = man::pages();
            out(&String::from_utf8_lossy(&pages[0].1));
            Ok(0)
        }
        Command::Man { out: Some(dir) } => {
            let pages = man::pages();
            bsrmp::staging::write_verified(&dir, &pages, "the manual page")?;
            detail(pages.iter().map(|(n, _)| n.clone()));
            say(&format!(
                "Wrote {} manual pages to {}. Install them with `cp {}/*.1 ~/.local/share/man/man1/`, then `man bsrmp-check`.\n",
                pages.len(),
                dir.display(),
                dir.display()
            ));
            Ok(0)
        }
        Command::Log { args, format } => {
            let (dir, path) = plan_and_paths(args);
            let path = path.into_iter().next();
            let ws = Workspace::open(&dir, None)?;
            if ws.repo.is_none() {
                return Err(Error::Usage(format!(
                    "{} is not in a git repository, so it has no history",
                    dir.display()
                )));
            }
            let read = ws.plan_and_history(&FsSource::new(&dir), checklist, Depth::Full);
            let (plan, h) = readable(read, &dir, color)?;
            let Some(h) = h else {
                return Err(Error::Usage(
                    "the plan's repository has no commit yet".into(),
                ));
            };
            let blob = register::work_tree_blob(&plan);
            let json = |v: serde_json::Value| {
                format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
            };
            match path {
                None => {
                    let entries = register::register(&plan, &h, &blob);
                    match format {
                        ListFormat::Human => out(&register::render_table(&entries, &h)),
                        ListFormat::Json => out_data(
                            &json(serde_json::json!({
                                "commits": h.commits, "shallow": h.shallow, "documents": entries,
                            })),
                            false,
                        ),
                    }
                }
                Some(p) => {
                    let rel = history::clean_path(&p.to_string_lossy())?;
                    let Some(fh) = h.file(&rel) else {
                        return Err(Error::Usage(format!("`{rel}` has no history in the plan")));
                    };
                    let state = h.approval_state(&rel, || blob(&rel));
                    match format {
                        ListFormat::Human => out(&register::render_file(&rel, fh, &state)),
                        ListFormat::Json => out_data(
                            &json(serde_json::json!({
                                "path": rel, "approval": state, "revisions": fh.revisions, "approvals": fh.approvals,
                            })),
                            false,
                        ),
                    }
                }
            }
            leave(h);
            drop(blob);
            leave(plan);
            Ok(0)
        }
        Command::Approve {
            args,
            by,
            role,
            message,
        } => {
            let (dir, paths) = plan_and_paths(args);
            let plan = load_plan(&dir, color)?;
            let pr = history::open(&dir)?.ok_or_else(|| {
                Error::Usage(format!(
                    "{} is not in a git repository; approvals are recorded as commits",
                    dir.display()
                ))
            })?;
            let opts = history::ApproveOptions {
                paths: paths
                    .iter()
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect(),
                by,
                role,
                message,
                time: commit_time()?,
            };
            let report = history::approve(&plan, &pr, &opts)?;
            if report.detached {
                note(&format!(
                    "note: HEAD is detached, so the approval commit {} is on no branch and git may discard it; keep it with `git switch -c <branch>` or `git branch <branch> {}`",
                    &report.commit[..12],
                    &report.commit[..12]
                ));
            }
            if report.fallback_identity {
                note(
                    "note: git has no user.name/user.email here, so the approval commit is by \"bsrmp\"",
                );
            }
            say(&format!(
                "Approved by {}: {} (commit {})\n",
                report.approver,
                report
                    .files
                    .iter()
                    .map(|(p, _)| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                &report.commit[..12]
            ));
            Ok(0)
        }
        Command::Checklist { stage, format } => {
            match format {
                ListFormat::Human => out(&explain::list(checklist, stage)),
                ListFormat::Json => {
                    let reqs: Vec<_> = checklist
                        .requirements
                        .iter()
                        .filter(|r| stage.is_none_or(|s| s == r.stage))
                        .collect();
                    let doc = serde_json::json!({
                        "standard": checklist.standard,
                        "version": checklist.version,
                        "requirements": reqs,
                    });
                    out_data(
                        &format!(
                            "{}\n",
                            serde_json::to_string_pretty(&doc).unwrap_or_default()
                        ),
                        false,
                    );
                }
            }
            Ok(0)
        }
        Command::Explain { clause } => {
            let clause = clause.trim().trim_end_matches('.');
            match checklist.get(clause) {
                Some(req) => {
                    out(&explain::explain(
                        req,
                        &history::control::demands(&req.clause),
                    ));
                    Ok(0)
                }
                None => Err(Error::Usage(format!(
                    "`{clause}` is not a clause of BS 11000-1; `bsrmp checklist` lists them all"
                ))),
            }
        }
    }
}
