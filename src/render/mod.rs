//! `bsrmp render`: the assessor pack. The pack is built as data once
//! ([`model::Pack`]), then written as an HTML site, one Markdown file and a
//! PDF, into a temporary folder that replaces the target only when complete.

pub mod blocks;
pub mod charts;
mod data;
pub mod markdown;
pub mod model;
mod output;
#[cfg(feature = "pdf")]
mod pdf;
pub mod print;
pub mod templates;

use std::path::{Path, PathBuf};

use minijinja::context;

use crate::error::{Error, Result};
pub use data::{csv as write_csv, tables};
pub use model::{Pack, Provenance};
use output::Make;
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
pub fn files(pack: Pack, opts: &Options, progress: Progress<'_>) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    produce(pack, opts, progress, &mut |name, make| {
        let mut bytes = Vec::new();
        make(&mut bytes)?;
        out.push((name.to_string(), bytes));
        Ok(())
    })?;
    Ok(out)
}

/// Where each file goes: `put(name, make)` opens the file and lets `make`
/// write it.
type Put<'a> = &'a mut dyn FnMut(&str, Make<'_>) -> Result<()>;

/// Copies bytes already made into a pack file.
fn write_all(name: &str, w: &mut dyn std::io::Write, bytes: &[u8]) -> Result<()> {
    w.write_all(bytes).map_err(|source| Error::Write {
        path: PathBuf::from(name),
        source,
    })
}

/// Makes the pack's files in turn, handing each to `put` as it is made.
/// The PDF comes last: it is typeset from its own data once the pack is
/// freed, since typesetting is when `render`'s memory peaks.
fn produce(pack: Pack, opts: &Options, progress: Progress<'_>, put: Put<'_>) -> Result<()> {
    let overrides = match &opts.templates {
        Some(dir) => Some(templates::read_overrides(dir)?),
        None => None,
    };
    let env = templates::environment(overrides.as_ref())?;
    let pages = if opts.formats.html {
        html_pages(&pack)
    } else {
        Vec::new()
    };
    let mut w = Writer {
        env,
        overrides,
        progress,
        done: 0,
        total: pages.len() + usize::from(opts.formats.md) + usize::from(opts.formats.pdf) + 1,
        put,
    };
    for format in opts.formats.list() {
        match format {
            PackFormat::Html => w.html(&pack, &pages)?,
            PackFormat::Md => w.md(&pack)?,
            PackFormat::Pdf => {}
        }
    }
    drop(pages);
    for t in data::tables(&pack) {
        (w.put)(&print::csv_name(t), &mut |out| data::csv(t, out))?;
    }
    if opts.formats.pdf {
        let input = pdf_input(&pack)?;
        drop(pack);
        crate::memory::give_back();
        w.pdf(&input)?;
    }
    Ok(())
}

/// The HTML pages: (file, template, the stage a stage page shows).
fn html_pages(pack: &Pack) -> Vec<(String, &'static str, Option<&model::StagePage>)> {
    let mut pages: Vec<(String, &str, Option<&model::StagePage>)> = [
        ("index.html", "index"),
        ("matrix.html", "matrix"),
        ("registers.html", "registers"),
        ("documents.html", "documents"),
        ("findings.html", "findings"),
    ]
    .into_iter()
    .map(|(file, name)| (file.to_string(), name, None))
    .collect();
    if !pack.evidence.is_empty() {
        pages.push(("evidence.html".to_string(), "evidence", None));
    }
    for s in &pack.stages {
        if let Some(p) = &s.page {
            pages.push((p.clone(), "stage", Some(s)));
        }
    }
    pages
}

/// Writes the pack's files in each format, counting the steps done.
struct Writer<'a> {
    env: minijinja::Environment<'static>,
    overrides: Option<templates::Overrides>,
    progress: Progress<'a>,
    done: usize,
    total: usize,
    put: Put<'a>,
}

impl Writer<'_> {
    /// Draws template `name` straight into pack file `file`, one step done.
    fn page(&mut self, file: &str, name: &str, ctx: minijinja::Value) -> Result<()> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| templates::template_error(name, &e))?;
        (self.put)(file, &mut |w| {
            template
                .render_captured_to(ctx.clone(), w)
                .map(drop)
                .map_err(|e| templates::template_error(name, &e))
        })?;
        self.step(file);
        Ok(())
    }

    fn step(&mut self, file: &str) {
        self.done += 1;
        (self.progress)(file, self.done, self.total);
    }

    fn add(&mut self, file: &str, bytes: &[u8]) -> Result<()> {
        (self.put)(file, &mut |w| write_all(file, w, bytes))
    }

    fn html(
        &mut self,
        pack: &Pack,
        pages: &[(String, &str, Option<&model::StagePage>)],
    ) -> Result<()> {
        let pack = minijinja::Value::from(minijinja::value::Serde(pack));
        for (file, name, stage) in pages {
            let (template, title, page) = match stage {
                Some(s) => (
                    "stage.html".to_string(),
                    format!("Stage {}: {}", s.number, s.name),
                    file.as_str(),
                ),
                None => (format!("{name}.html"), page_title(name).to_string(), *name),
            };
            self.page(
                file,
                &template,
                context! { pack => pack.clone(), stage => minijinja::Value::from(minijinja::value::Serde(stage)), page => page, page_title => title },
            )?;
        }
        let assets: Vec<(String, Vec<u8>)> = self
            .overrides
            .as_ref()
            .map(|o| o.assets.clone())
            .unwrap_or_default();
        let style = assets
            .iter()
            .find(|(n, _)| n == "style.css")
            .map(|(_, b)| b.clone())
            .unwrap_or_else(|| templates::STYLE.as_bytes().to_vec());
        self.add("style.css", &style)?;
        for (name, bytes) in assets {
            if name != "style.css" {
                self.add(&name, &bytes)?;
            }
        }
        Ok(())
    }

    fn md(&mut self, pack: &Pack) -> Result<()> {
        self.page(
            "pack.md",
            "pack.md",
            context! { pack => minijinja::Value::from(minijinja::value::Serde(pack)) },
        )
    }

    fn pdf(&mut self, input: &PdfInput) -> Result<()> {
        let typst = self.overrides.as_ref().and_then(|o| o.typst.as_deref());
        let bytes = pdf_bytes(input, typst)?;
        self.add("pack.pdf", &bytes)?;
        self.step("pack.pdf");
        Ok(())
    }
}

#[cfg(feature = "pdf")]
use pdf::Input as PdfInput;
/// Without the PDF writer there is nothing to typeset from.
#[cfg(not(feature = "pdf"))]
enum PdfInput {}

#[cfg(feature = "pdf")]
fn pdf_input(pack: &Pack) -> Result<PdfInput> {
    pdf::input(pack)
}

#[cfg(feature = "pdf")]
fn pdf_bytes(input: &PdfInput, template: Option<&str>) -> Result<Vec<u8>> {
    pdf::render(input, template)
}

#[cfg(not(feature = "pdf"))]
fn pdf_input(_: &Pack) -> Result<PdfInput> {
    Err(Error::PdfNotBuilt)
}

#[cfg(not(feature = "pdf"))]
fn pdf_bytes(input: &PdfInput, _: Option<&str>) -> Result<Vec<u8>> {
    match *input {}
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
pub fn render(pack: Pack, opts: &Options, progress: Progress<'_>) -> Result<Report> {
    output::refuse_unsafe_target(&opts.out, &opts.plan_dir)?;
    if opts.zip {
        output::zip_target(&opts.out)?;
    }
    let mut staged = output::Staged::begin(&opts.out)?;
    let provenance = pack.provenance.clone();
    produce(pack, opts, progress, &mut |name, make| {
        staged.stream(name, make)
    })?;
    let placed = staged.finish(&opts.out, &provenance)?;
    let zip = if opts.zip {
        Some(output::write_zip(&opts.out, &placed, opts.time)?)
    } else {
        None
    };
    let mut names = placed.files();
    names.push(MANIFEST.to_string());
    Ok(Report {
        out: opts.out.clone(),
        files: names,
        zip,
        replaced: placed.replaced,
        leftovers: placed.leftovers,
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
    /// The formats chosen, in the order they are written.
    pub fn list(self) -> Vec<PackFormat> {
        [
            (self.html, PackFormat::Html),
            (self.md, PackFormat::Md),
            (self.pdf, PackFormat::Pdf),
        ]
        .into_iter()
        .filter_map(|(on, f)| on.then_some(f))
        .collect()
    }

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
