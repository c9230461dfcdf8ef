//! The pack's CSV files: every row of every table, one file a record kind
//! (`data/<kind>.csv`), for a reader who wants the whole register in a
//! spreadsheet. The PDF prints a large table only in summary and points here.

use super::model::{Pack, Table};
use super::print::csv_name;
use crate::error::{Error, Result};

/// Every table of the pack, each written as `data/<kind>.csv`.
pub fn tables(pack: &Pack) -> impl Iterator<Item = &Table> {
    pack.registers
        .iter()
        .chain(pack.stages.iter().flat_map(|s| s.tables.iter()))
}

/// Writes a table as CSV, a row at a time.
pub fn csv(t: &Table, out: &mut dyn std::io::Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let err = |message: String| Error::Csv {
        file: csv_name(t),
        message,
    };
    w.write_record(
        t.fields
            .iter()
            .chain(std::iter::once(&"needs_attention".to_string())),
    )
    .map_err(|e| err(e.to_string()))?;
    for r in t.rows.iter() {
        let why = r.attention.clone().unwrap_or_default();
        w.write_record(
            r.cells
                .iter()
                .chain(std::iter::once(&why))
                .map(|c| inert(c).into_owned()),
        )
        .map_err(|e| err(e.to_string()))?;
    }
    w.flush().map_err(|e| err(e.to_string()))
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `@`, a leading
/// tab or carriage return, or `-` that does not start a number) is written
/// with a leading apostrophe, which spreadsheets show as text. Plan text is
/// not trusted to be harmless.
fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = match cell.chars().next() {
        Some('=' | '+' | '@' | '\t' | '\r') => true,
        Some('-') => cell.parse::<f64>().is_err(),
        _ => false,
    };
    if risky {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("+1+1"), "'+1+1");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("-2+3"), "'-2+3");
        assert_eq!(inert("-2.5"), "-2.5");
        assert_eq!(inert("R-001"), "R-001");
        assert_eq!(inert(""), "");
    }
}
