//! The PDF pack, typeset by typst linked into the binary: no external
//! program, no network, fonts embedded (typst-assets). The plan reaches the
//! template as JSON data, never as typst source.

use typst::foundations::{Datetime, Smart};
use typst_as_lib::TypstEngine;

use super::model::Pack;
use crate::error::{Error, Result};

const TEMPLATE: &str = include_str!("../../templates/pack/pack.typ");

pub fn render(pack: &Pack, template: Option<&str>) -> Result<Vec<u8>> {
    let data =
        serde_json::to_vec(&super::print::print(pack)).map_err(|e| Error::Pdf(e.to_string()))?;
    let engine = TypstEngine::builder()
        .main_file(template.unwrap_or(TEMPLATE).to_string())
        .fonts(typst_assets::fonts())
        .with_static_file_resolver([("data.json", data.as_slice())])
        .build();
    let doc = engine
        .compile()
        .output
        .map_err(|e| Error::Pdf(message(e)))?;
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
    typst_pdf::pdf(&doc, &options).map_err(|errors| {
        Error::Pdf(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

/// typst's complaint in a few lines: the first messages of a template's
/// errors, each once, not the whole list (a broken template can give
/// thousands, one per link).
fn message(e: typst_as_lib::TypstAsLibError) -> String {
    const SHOWN: usize = 5;
    let typst_as_lib::TypstAsLibError::TypstSource(diags) = &e else {
        return e.to_string();
    };
    let mut messages: Vec<String> = Vec::new();
    for d in diags {
        let m = d.message.to_string();
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
