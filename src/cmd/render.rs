//! `bsrmp render`: the assessor pack.

use super::*;

pub fn run(args: RenderArgs, ctx: &Context) -> Result<u8, Error> {
    let RenderArgs {
        dir,
        out: out_dir,
        rev,
        format,
        templates,
        zip,
        today: t,
    } = args;
    let formats = if format.is_empty() {
        rendering::default_formats()
    } else {
        rendering::Formats::of(&format)
    };
    let generated = generation_time()?;
    let pack = pack(ctx, &dir, rev.as_deref(), t.as_deref(), generated)?;
    let bar = progress_bar();
    let mut step = |name: &str, done: usize, total: usize| {
        if let Some(b) = &bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
            b.set_message(name.to_string());
        }
    };
    let dirty = pack.provenance.dirty;
    let report = rendering::render(
        pack,
        &rendering::Options {
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
    leftovers_note(ctx, &report.leftovers);
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
    if dirty {
        text.push_str("The plan has uncommitted changes: every page is marked so.\n");
    }
    ctx.detail(report.files.iter().cloned());
    ctx.say(&text);
    Ok(PASS)
}

/// The pack's model of the plan in `dir` (at `rev`), checked as of `t` or,
/// without it, the day of `generated`.
pub(super) fn pack(
    ctx: &Context,
    dir: &Path,
    rev: Option<&str>,
    t: Option<&str>,
    generated: jiff::Timestamp,
) -> Result<rendering::Pack, Error> {
    let checklist = Checklist::builtin();
    let today = match t {
        Some(_) => today(t)?,
        // A fixed generation time fixes the check date too, so that a
        // re-render of the same commit is byte-identical.
        None => Date(generated.to_zoned(jiff::tz::TimeZone::UTC).date()),
    };
    let opts = checking::Options { today, stage: None };
    let ws = Workspace::open(dir, rev)?;
    let mut checked = readable(ctx, ws.check(checklist, &opts, false, Depth::Full), dir)?;
    checked.plan.keep_narrative_texts();
    bsrmp::memory::give_back();
    let read = |p: &str| rendering::read_text(&checked.reading, p);
    let blob = |p: &str| checked.reading.blob(p);
    let commit = ws.commit.clone();
    let provenance = rendering::Provenance {
        short: commit
            .as_deref()
            .map(|c| bsrmp::diag::short_id(c).to_string()),
        commit,
        dirty: checked.dirty,
        rev: rev.map(str::to_string),
        version: env!("CARGO_PKG_VERSION").to_string(),
        checklist_version: checklist.version.clone(),
        generated: generated.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
    };
    let pack = rendering::model::build(&rendering::model::Inputs {
        plan: &checked.plan,
        assessment: &checked.assessment,
        history: checked.history.as_ref(),
        checklist,
        blob_of: &blob,
        read: &read,
        provenance,
    });
    // The pack holds all it needs: the plan, its checks and its history are
    // freed before the pages are drawn and typeset, which is when the
    // memory peaks (620 MB to 460 MB with every format at the bench's
    // reference size).
    drop(checked);
    bsrmp::memory::give_back();
    Ok(pack)
}

/// `SOURCE_DATE_EPOCH` (seconds) when set, so builds can be reproduced; else now.
pub(super) fn generation_time() -> Result<jiff::Timestamp, Error> {
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
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return None;
    }
    let bar = indicatif::ProgressBar::new(1);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    Some(bar)
}
