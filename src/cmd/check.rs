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
        all_findings,
        standard,
    } = args;
    let checklist = Checklist::builtin();
    let opts = checking::Options {
        today: today(t.as_deref())?,
        stage,
    };
    let prefix = dir.display().to_string();
    let ws = Workspace::open(&dir, rev.as_deref())?;
    let base = report::sarif::Base::of(ws.repo.as_ref(), &dir);
    let settings = |texts| report::Settings {
        deny_warnings,
        verdict_only: ctx.verbosity == Verbosity::Quiet,
        human: report::human::Options {
            all: all_findings,
            references: standard.into(),
            ..ctx.human()
        },
        texts,
        prefix: &prefix,
        base: &base,
    };
    let format = report::Format::from(format);
    let mut checked = match ws.check(checklist, &opts, require_clean, Depth::Approvals) {
        Ok(c) => c,
        Err(bsrmp::Error::InvalidPlan { findings, texts }) => {
            ctx.print(format.unreadable(&findings, &settings(&texts)));
            return Err(unreadable(&dir, &findings));
        }
        Err(e) => return Err(e.into()),
    };
    commands_from_here(&mut checked.assessment, &dir);
    let a = &checked.assessment;
    ctx.print(format.report(a, &settings(&checked.plan.texts)));
    let code = if a.fails(deny_warnings) { FAIL } else { PASS };
    leave_to_exit(checked);
    Ok(code)
}
