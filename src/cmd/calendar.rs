//! `bsrmp calendar`: what falls due, as iCalendar.

use super::*;

pub fn run(args: CalendarArgs, ctx: &Context) -> Result<u8, Error> {
    let CalendarArgs { dir, today: t, out } = args;
    let today = today(t.as_deref())?;
    let ws = Workspace::open(&dir, None)?;
    let plan = readable(ctx, ws.load(&ws.reading()?, Checklist::builtin()), &dir)?;
    let due: Vec<_> = bsrmp::due::all(&plan)
        .into_iter()
        .filter(|d| d.date >= today)
        .collect();
    let ics = bsrmp::due::ical(plan.manifest.id.get_ref(), &due, today);
    match out {
        None => ctx.out_data(&ics, false),
        Some(path) => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .ok_or_else(|| Error::Usage(format!("{} names no file", path.display())))?;
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            bsrmp::staging::write_verified(&parent, &[(name, ics.into_bytes())], "the calendar")?;
            ctx.say(&format!(
                "Wrote {} date(s) from {} on to {}\n",
                due.len(),
                today,
                path.display()
            ));
        }
    }
    leave_to_exit(plan);
    Ok(PASS)
}
