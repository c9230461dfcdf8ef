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
        .map_err(|e| Error::Pdf(e.to_string()))?;
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
