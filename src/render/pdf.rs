//! The PDF pack, typeset by typst linked into the binary: no external
//! program, no network, fonts embedded (typst-assets). The plan reaches the
//! template as JSON data, never as typst source.

use typst::WorldExt;
use typst::diag::SourceDiagnostic;
use typst::foundations::{Datetime, Smart};
use typst_as_lib::TypstEngine;

use super::model::Pack;
use crate::error::{Error, Result};

const TEMPLATE: &str = include_str!("../../templates/pack/pack.typ");

/// What the PDF is typeset from: the pack's print data, its identifier and
/// time. Small (1 MB at four times the bench's size), so the pack can be
/// freed before typesetting.
pub struct Input {
    data: Vec<u8>,
    options: typst_pdf::PdfOptions,
}

pub fn input(pack: &Pack) -> Result<Input> {
    let data =
        serde_json::to_vec(&super::print::print(pack)).map_err(|e| Error::Pdf(e.to_string()))?;
    let options = typst_pdf::PdfOptions {
        // A stable identifier and the pack's own time: the same commit gives the same bytes.
        ident: Smart::Custom(format!(
            "bsrmp:{}:{}",
            pack.plan.id,
            pack.provenance.commit.clone().unwrap_or_default()
        )),
        timestamp: timestamp(&pack.provenance.generated),
        ..Default::default()
    };
    Ok(Input { data, options })
}

pub fn render(input: &Input, template: Option<&str>) -> Result<Vec<u8>> {
    let source = template.unwrap_or(TEMPLATE);
    let engine = TypstEngine::builder()
        .main_file(source.to_string())
        .fonts(typst_assets::fonts())
        .with_static_file_resolver([("data.json", input.data.as_slice())])
        .build();
    let options = &input.options;
    // Compiled in a world of our own, so that an error's place in the
    // template can be read back as a line number.
    let out = engine
        .with_world(|world| {
            let doc = typst::compile(world)
                .output
                .map_err(|d| message(world, source, &d))?;
            typst_pdf::pdf(&doc, options).map_err(|d| message(world, source, &d))
        })
        .map_err(|e| Error::Pdf(e.to_string()))?;
    out.map_err(Error::Pdf)
}

/// typst's complaint in a few lines: the first messages of a template's
/// errors, each once and with its line in the template, not the whole list
/// (a broken template can give thousands, one per link).
fn message(world: &dyn typst::World, source: &str, diags: &[SourceDiagnostic]) -> String {
    const SHOWN: usize = 5;
    let mut messages: Vec<String> = Vec::new();
    for d in diags {
        // Only a place in the template itself: data.json has no lines to give.
        let line = (d.span.id() == Some(world.main()))
            .then(|| world.range(d.span))
            .flatten()
            .and_then(|r| source.get(..r.start))
            .map(|before| before.matches('\n').count() + 1);
        let m = match line {
            Some(l) => format!("line {l}: {}", d.message),
            None => d.message.to_string(),
        };
        if !messages.contains(&m) {
            messages.push(m);
        }
    }
    let more = messages.len().saturating_sub(SHOWN);
    messages.truncate(SHOWN);
    let mut out = format!("the template has errors: {}", messages.join("; "));
    if more > 0 {
        out.push_str(&format!("; and {more} more"));
    }
    out
}

/// The generation time (RFC 3339, UTC) as the PDF's creation date.
fn timestamp(generated: &str) -> Option<typst_pdf::Timestamp> {
    let t: jiff::Timestamp = generated.parse().ok()?;
    let z = t.to_zoned(jiff::tz::TimeZone::UTC);
    let dt = Datetime::from_ymd_hms(
        z.year() as i32,
        z.month() as u8,
        z.day() as u8,
        z.hour() as u8,
        z.minute() as u8,
        z.second() as u8,
    )?;
    Some(typst_pdf::Timestamp::new_utc(dt))
}
