//! The `bsrmp` binary: parses arguments, calls the library, prints what it
//! returns and maps the outcome to an exit status (0 pass, 1 fail, 2 error).

mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use bsrmp::check::{self, report};
use bsrmp::checklist::{Checklist, explain};
use bsrmp::plan::date::Date;
use bsrmp::plan::manifest::PlanKind;
use bsrmp::plan::source::FsSource;
use bsrmp::scaffold::{self, InitOptions};
use bsrmp::{Error, plan};
use clap::Parser;
use cli::{Cli, ColorChoice, Command, Format, InitKind, ListFormat};

const FAIL: u8 = 1;
const ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
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
    match run(cli.command, color) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(ERROR)
        }
    }
}

fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`bsrmp check | head`) is not an error worth reporting.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn today(arg: Option<&str>) -> Result<Date, Error> {
    match arg {
        Some(text) => Date::parse(text)
            .ok_or_else(|| Error::Usage(format!("--today {text}: write the date as YYYY-MM-DD"))),
        None => {
            let now = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC);
            Ok(Date(now.date()))
        }
    }
}

fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
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
            if report.fallback_identity {
                eprintln!(
                    "note: git has no user.name/user.email here, so the first commit is by \"bsrmp\"; set them with `git config --global user.name ...`"
                );
            }
            out(&format!(
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
        } => {
            let opts = check::Options {
                today: today(t.as_deref())?,
                stage,
            };
            let source = FsSource::new(&dir);
            let prefix = dir.display().to_string();
            let plan = match plan::load(&source, &|c| checklist.stage_of(c)) {
                Ok(plan) => plan,
                Err(Error::InvalidPlan { findings, texts }) => {
                    let text = match format {
                        Format::Json => report::json::render_load_errors(&prefix, &findings),
                        _ => report::human::render_load_errors(
                            &findings,
                            &texts,
                            &report::human::Options {
                                color,
                                width: width(),
                            },
                        ),
                    };
                    match format {
                        Format::Json => out(&text),
                        _ => eprint!("{text}"),
                    }
                    return Err(Error::Usage(format!(
                        "{} cannot be read: {} problem(s), listed above",
                        dir.display(),
                        findings.len()
                    )));
                }
                Err(e) => return Err(e),
            };
            let a = check::evaluate(&plan, &source, checklist, &opts);
            let text = match format {
                Format::Human => report::human::render(
                    &a,
                    &plan.texts,
                    &report::human::Options {
                        color,
                        width: width(),
                    },
                    deny_warnings,
                ),
                Format::Json => report::json::render(&a, deny_warnings),
                Format::Junit => report::junit::render(&a, deny_warnings),
                Format::Sarif => report::sarif::render(&a, &prefix),
                Format::Github => report::github::render(&a, &prefix, deny_warnings),
            };
            out(&text);
            Ok(if a.fails(deny_warnings) { FAIL } else { 0 })
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
                    out(&format!(
                        "{}\n",
                        serde_json::to_string_pretty(&doc).unwrap_or_default()
                    ));
                }
            }
            Ok(0)
        }
        Command::Explain { clause } => {
            let clause = clause.trim().trim_end_matches('.');
            match checklist.get(clause) {
                Some(req) => {
                    out(&explain::explain(req));
                    Ok(0)
                }
                None => Err(Error::Usage(format!(
                    "`{clause}` is not a clause of BS 11000-1; `bsrmp checklist` lists them all"
                ))),
            }
        }
    }
}
