//! `bsrmp log`: the document control register, or one document's history.

use super::*;

pub fn run(args: LogArgs, ctx: &Context) -> Result<u8, Error> {
    let LogArgs { args, format } = args;
    let checklist = Checklist::builtin();
    let (dir, path) = plan_and_paths(args);
    let path = path.into_iter().next();
    let ws = Workspace::open(&dir, None)?;
    if ws.repo.is_none() {
        return Err(Error::Usage(format!(
            "{} is not in a git repository, so it has no history",
            dir.display()
        )));
    }
    let reading = ws.reading()?;
    let read = ws.plan_and_history(&reading, checklist, Depth::Full);
    let (plan, h) = readable(ctx, read, &dir)?;
    let Some(h) = h else {
        return Err(Error::Usage(
            "the plan's repository has no commit yet".into(),
        ));
    };
    let blob = |p: &str| reading.blob(p);
    let json = |v: serde_json::Value| {
        format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
    };
    match path {
        None => {
            let entries = register::register(&plan, &h, &blob);
            match format {
                ListFormat::Human => ctx.out(&register::render_table(&entries, &h)),
                ListFormat::Json => ctx.out_data(
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
                ListFormat::Human => ctx.out(&register::render_file(&rel, fh, &state)),
                ListFormat::Json => ctx.out_data(
                    &json(serde_json::json!({
                        "path": rel, "approval": state, "revisions": fh.revisions, "approvals": fh.approvals,
                    })),
                    false,
                ),
            }
        }
    }
    leave_to_exit(h);
    leave_to_exit(plan);
    Ok(PASS)
}
