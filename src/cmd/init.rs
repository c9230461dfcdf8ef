//! `bsrmp init`: a new plan in a new git repository.

use super::*;

pub fn run(args: InitArgs, ctx: &Context) -> Result<u8, Error> {
    let InitArgs {
        dir,
        org,
        kind,
        from,
        id,
        today: t,
    } = args;
    let checklist = Checklist::builtin();
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
    leftovers_note(ctx, &report.leftovers);
    if let Some(outer) = &report.inside {
        ctx.note(&format!(
            "note: {} is inside the git repository at {}; the plan has a repository of its own, which that one does not track (git shows the folder as untracked). To keep the plan in the outer repository instead, remove the plan's .git folder and commit the plan there",
            report.dir.display(),
            outer.display()
        ));
    }
    if report.fallback_identity {
        ctx.note(
            "note: git has no user.name/user.email here, so the first commit is by \"bsrmp\"; set them with `git config --global user.name ...`",
        );
    }
    ctx.detail(report.files.iter().cloned());
    ctx.say(&format!(
        "Started a {} plan in {} ({} files, first commit {}).\nNext: fill in the TODO lines, then run `bsrmp check {}`.\n",
        opts.kind.as_str(),
        report.dir.display(),
        report.files.len(),
        bsrmp::diag::short_id(&report.commit),
        report.dir.display()
    ));
    Ok(PASS)
}
