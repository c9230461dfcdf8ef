//! `bsrmp approve`: an approval recorded as a commit.

use super::*;

pub fn run(args: ApproveArgs, ctx: &Context) -> Result<u8, Error> {
    let ApproveArgs {
        args,
        by,
        role,
        message,
    } = args;
    let (dir, paths) = plan_and_paths(args);
    let ws = Workspace::open(&dir, None)?;
    let plan = readable(ctx, ws.load(&ws.reading()?, Checklist::builtin()), &dir)?;
    let pr = ws.repo.as_ref().ok_or_else(|| {
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
    let report = history::approve(&plan, pr, &opts)?;
    if report.detached {
        ctx.note(&format!(
            "note: HEAD is detached, so the approval commit {} is on no branch and git may discard it; keep it with `git switch -c <branch>` or `git branch <branch> {}`",
            bsrmp::diag::short_id(&report.commit),
            bsrmp::diag::short_id(&report.commit)
        ));
    }
    if report.fallback_identity {
        ctx.note(
            "note: git has no user.name/user.email here, so the approval commit is by \"bsrmp\"",
        );
    }
    ctx.say(&format!(
        "Approved by {}: {} (commit {})\n",
        report.approver,
        report
            .files
            .iter()
            .map(|(p, _)| p.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        bsrmp::diag::short_id(&report.commit)
    ));
    Ok(PASS)
}
