//! `bsrmp export`: the registers and the compliance matrix for a spreadsheet.

use super::*;
use bsrmp::staging::Staging;

pub fn run(args: ExportArgs, ctx: &Context) -> Result<u8, Error> {
    let ExportArgs {
        dir,
        out,
        format,
        rev,
        today: t,
    } = args;
    if rendering::is_inside(&out, &dir) {
        return Err(bsrmp::Error::ExportInsidePlan { out, plan: dir }.into());
    }
    if occupied(&out, format) {
        return Err(bsrmp::Error::ExportExists { path: out }.into());
    }
    let generated = super::render::generation_time()?;
    let pack = super::render::pack(ctx, &dir, rev.as_deref(), t.as_deref(), generated)?;
    let (staging, leftovers) = Staging::beside(&out, "export")?;
    leftovers_note(ctx, &leftovers);
    let written = match format {
        ExportFormat::Xlsx => {
            let bytes =
                bsrmp::export::xlsx::workbook(&pack, generated.as_second(), staging.path())?;
            put(&staging, "export.xlsx", &bytes)?;
            staging.finish_file("export.xlsx", &out)?;
            format!(
                "Wrote the compliance matrix and {} register(s) to {}\n",
                rendering::tables(&pack).count(),
                out.display()
            )
        }
        ExportFormat::Csv => {
            let files = bsrmp::export::csv_files(&pack)?;
            for (name, bytes) in &files {
                put(&staging, name, bytes)?;
            }
            staging.finish(&out, || Ok(()))?;
            format!("Wrote {} CSV file(s) to {}\n", files.len(), out.display())
        }
    };
    ctx.say(&written);
    Ok(PASS)
}

/// What export will not replace: anything at a workbook's path; a file or
/// a folder with anything in it where CSV files go.
fn occupied(out: &Path, format: ExportFormat) -> bool {
    match std::fs::symlink_metadata(out) {
        Err(_) => false,
        Ok(m) if m.is_dir() && matches!(format, ExportFormat::Csv) => {
            std::fs::read_dir(out).map_or(true, |mut d| d.next().is_some())
        }
        Ok(_) => true,
    }
}

fn put(staging: &Staging, name: &str, bytes: &[u8]) -> Result<(), Error> {
    let _writing = staging.writing();
    let path = staging.path().join(name);
    std::fs::write(&path, bytes).map_err(|source| bsrmp::Error::Write { path, source }.into())
}
