//! `bsrmp status`: the plan on one screen.

use super::*;

pub fn run(args: StatusArgs, ctx: &Context) -> Result<u8, Error> {
    let StatusArgs { dir, today: t } = args;
    let checklist = Checklist::builtin();
    let opts = checking::Options {
        today: today(t.as_deref())?,
        stage: None,
    };
    let ws = Workspace::open(&dir, None)?;
    let mut checked = readable(
        ctx,
        ws.check(checklist, &opts, false, Depth::Approvals),
        &dir,
    )?;
    commands_from_here(&mut checked.assessment, &dir);
    let due = bsrmp::due::all(&checked.plan);
    ctx.out(&report::progress::render(
        &checked.assessment,
        &due,
        &ctx.human(),
    ));
    // As `check` would end: scripts can read the verdict from it too.
    Ok(if checked.assessment.fails(false) {
        FAIL
    } else {
        PASS
    })
}
