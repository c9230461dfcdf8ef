//! `bsrmp render`: the assessor pack. The pack is built as data once
//! ([`model::Pack`]), then written as an HTML site, one Markdown file and a
//! PDF, into a temporary folder that replaces the target only when complete.

pub mod charts;
pub mod markdown;
pub mod model;
mod output;
#[cfg(feature = "pdf")]
mod pdf;
pub mod templates;

use std::path::{Path, PathBuf};

use minijinja::context;

use crate::error::{Error, Result};
pub use model::{Pack, Provenance};
pub use output::{MANIFEST, PACK_FORMAT};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub html: bool,
    pub md: bool,
    pub pdf: bool,
}

pub struct Options {
    pub out: PathBuf,
    pub formats: Formats,
    /// An organisation's own templates, replacing the built-in ones by name.
    pub templates: Option<PathBuf>,
    /// Also write `<out>.zip`.
    pub zip: bool,
    /// The plan's folder: the pack may not be written inside it.
    pub plan_dir: PathBuf,
    /// Seconds since the epoch, for file times in the zip.
    pub time: i64,
}

#[derive(Debug)]
pub struct Report {
    pub out: PathBuf,
    /// The files written, relative to `out`.
    pub files: Vec<String>,
    pub zip: Option<PathBuf>,
    /// An earlier pack was replaced.
    pub replaced: bool,
    /// Temporary folders of interrupted runs, found beside the pack and removed.
    pub leftovers: Vec<PathBuf>,
}

/// Whether the PDF writer is built into this binary (the `pdf` cargo feature).
pub const PDF_AVAILABLE: bool = cfg!(feature = "pdf");

/// One step done out of `total`, for a progress bar.
pub type Progress<'a> = &'a mut dyn FnMut(&str, usize, usize);

/// Renders every page and file of the pack into memory: (relative path, bytes).
pub fn files(
    pack: &Pack,
    opts: &Options,
    progress: Progress<'_>,
) -> Result<Vec<(String, Vec<u8>)>> {
    let overrides = match &opts.templates {
        Some(dir) => Some(templates::read_overrides(dir)?),
        None => None,
    };
    let env = templates::environment(overrides.as_ref())?;
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let render = |name: &str, ctx: minijinja::Value| -> Result<String> {
        env.get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| templates::template_error(name, &e))
    };

    let mut pages: Vec<(String, &str, Option<&model::StagePage>)> = Vec::new();
    if opts.formats.html {
        for (file, name) in [
            ("index.html", "index"),
            ("matrix.html", "matrix"),
            ("registers.html", "registers"),
            ("documents.html", "documents"),
            ("findings.html", "findings"),
        ] {
            pages.push((file.to_string(), name, None));
        }
        if !pack.evidence.is_empty() {
            pages.push(("evidence.html".to_string(), "evidence", None));
        }
        for s in &pack.stages {
            if let Some(p) = &s.page {
                pages.push((p.clone(), "stage", Some(s)));
            }
        }
    }
    let total = pages.len() + usize::from(opts.formats.md) + usize::from(opts.formats.pdf) + 1;
    let mut done = 0;
    for (file, name, stage) in &pages {
        let (template, title, page) = match stage {
            Some(s) => (
                "stage.html".to_string(),
                format!("Stage {}: {}", s.number, s.name),
                file.as_str(),
            ),
            None => (format!("{name}.html"), page_title(name).to_string(), *name),
        };
        let html = render(
            &template,
            context! { pack => minijinja::Value::from(minijinja::value::Serde(pack)), stage => minijinja::Value::from(minijinja::value::Serde(stage)), page => page, page_title => title },
        )?;
        out.push((file.clone(), html.into_bytes()));
        done += 1;
        progress(file, done, total);
    }
    if opts.formats.html {
        let style = overrides
            .as_ref()
            .and_then(|o| o.assets.iter().find(|(n, _)| n == "style.css"))
            .map(|(_, b)| b.clone())
            .unwrap_or_else(|| templates::STYLE.as_bytes().to_vec());
        out.push(("style.css".to_string(), style));
        if let Some(o) = &overrides {
            for (name, bytes) in &o.assets {
                if name != "style.css" {
                    out.push((name.clone(), bytes.clone()));
                }
            }
        }
    }
    if opts.formats.md {
        let md = render(
            "pack.md",
            context! { pack => minijinja::Value::from(minijinja::value::Serde(pack)) },
        )?;
        out.push(("pack.md".to_string(), md.into_bytes()));
        done += 1;
        progress("pack.md", done, total);
    }
    if opts.formats.pdf {
        let typst = overrides.as_ref().and_then(|o| o.typst.as_deref());
        out.push(("pack.pdf".to_string(), pdf_bytes(pack, typst)?));
        done += 1;
        progress("pack.pdf", done, total);
    }
    Ok(out)
}

#[cfg(feature = "pdf")]
fn pdf_bytes(pack: &Pack, template: Option<&str>) -> Result<Vec<u8>> {
    pdf::render(pack, template)
}

#[cfg(not(feature = "pdf"))]
fn pdf_bytes(_: &Pack, _: Option<&str>) -> Result<Vec<u8>> {
    Err(Error::PdfNotBuilt)
}

fn page_title(name: &str) -> &'static str {
    match name {
        "index" => "Overview",
        "matrix" => "Compliance matrix",
        "registers" => "Registers",
        "documents" => "Document control",
        "findings" => "Findings",
        "evidence" => "Evidence",
        _ => "Page",
    }
}

/// Writes the pack. Nothing is written unless every file renders; the target
/// changes in one rename at the end.
pub fn render(pack: &Pack, opts: &Options, progress: Progress<'_>) -> Result<Report> {
    output::refuse_unsafe_target(&opts.out, &opts.plan_dir)?;
    if opts.zip {
        output::zip_target(&opts.out)?;
    }
    let files = files(pack, opts, progress)?;
    let (replaced, leftovers) = output::write_pack(&opts.out, &files, &pack.provenance)?;
    let zip = if opts.zip {
        Some(output::write_zip(&opts.out, &files, opts.time)?)
    } else {
        None
    };
    let mut names: Vec<String> = files.into_iter().map(|(n, _)| n).collect();
    names.push(MANIFEST.to_string());
    Ok(Report {
        out: opts.out.clone(),
        files: names,
        zip,
        replaced,
        leftovers,
    })
}

/// A plan file's text for the pack, or why it cannot be shown there.
pub fn read_text(source: &dyn crate::plan::source::Source, path: &str) -> Result<String, String> {
    match source.read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_string()),
        Err(Error::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            Err("the file does not exist".to_string())
        }
        Err(Error::Read { source, .. }) => Err(source.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// A kind of file the pack is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackFormat {
    Html,
    Md,
    Pdf,
}

impl Formats {
    /// The formats named, each once however often it is named.
    pub fn of(list: &[PackFormat]) -> Formats {
        Formats {
            html: list.contains(&PackFormat::Html),
            md: list.contains(&PackFormat::Md),
            pdf: list.contains(&PackFormat::Pdf),
        }
    }
}

/// The default formats: all three when the PDF writer is built in.
pub fn default_formats() -> Formats {
    Formats {
        html: true,
        md: true,
        pdf: PDF_AVAILABLE,
    }
}

pub fn is_inside(path: &Path, dir: &Path) -> bool {
    output::is_inside(path, dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_named_once_or_more() {
        let f = Formats::of(&[PackFormat::Md, PackFormat::Html, PackFormat::Md]);
        assert!(f.html && f.md && !f.pdf);
        assert!(Formats::of(&[PackFormat::Pdf]).pdf);
    }
}
