//! `bsrmp check`: the plan judged against the checklist, in the format asked for.

use super::*;

pub fn run(args: CheckArgs, ctx: &Context) -> Result<u8, Error> {
    let CheckArgs {
        dir,
        stage,
        today: t,
        format,
        deny_warnings,
        rev,
        require_clean,
    } = args;
    let checklist = Checklist::builtin();
    let opts = checking::Options {
        today: today(t.as_deref())?,
        stage,
    };
    let prefix = dir.display().to_string();
    let ws = Workspace::open(&dir, rev.as_deref())?;
    let mut checked = match ws.check(checklist, &opts, require_clean, Depth::Approvals) {
        Ok(c) => c,
        Err(bsrmp::Error::InvalidPlan { findings, texts }) => {
            return Err(load_failure(ctx, &dir, &prefix, format, &findings, &texts));
        }
        Err(e) => return Err(e.into()),
    };
    commands_from_here(&mut checked.assessment, &dir);
    let (plan, a) = (&checked.plan, &checked.assessment);
    let text = match format {
        Format::Human => report::human::render(a, &plan.texts, &ctx.human(), deny_warnings),
        Format::Json => report::json::render(a, deny_warnings),
        Format::Junit => report::junit::render(a, deny_warnings),
        Format::Sarif => report::sarif::render(a, &sarif_base(&ws, &dir)),
        Format::Github => report::github::render(a, &prefix, deny_warnings),
    };
    // --quiet keeps the human report to its verdict, the last line.
    if ctx.verbosity == Verbosity::Quiet && format == Format::Human {
        ctx.out(&format!(
            "{}\n",
            text.trim_end().lines().last().unwrap_or("")
        ));
    } else {
        match format {
            Format::Json | Format::Sarif => ctx.out_data(&text, false),
            Format::Junit => ctx.out_data(&text, true),
            Format::Human | Format::Github => ctx.out(&text),
        }
    }
    let code = if a.fails(deny_warnings) { FAIL } else { PASS };
    leave_to_exit(checked);
    Ok(code)
}

/// SARIF paths from the top of the plan's repository; outside git, from
/// the current folder when the plan is inside it, else absolute.
fn sarif_base(ws: &Workspace, dir: &Path) -> report::sarif::Base {
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
