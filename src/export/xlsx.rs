//! The workbook: a sheet for the compliance matrix, then one a register,
//! each with its header row frozen, a filter on every column, columns as
//! wide as their text (within limits), dates as dates, numbers as numbers
//! and the rows that need attention filled: red for an error, amber for a
//! warning, yellow for a note or a high score.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

use std::borrow::Cow;
use std::path::Path;

use crate::error::{Error, Result};
use crate::render::Pack;
use crate::render::model::{ClauseRow, Table};

/// Excel's limits: characters in a cell, rows in a sheet, characters in a
/// sheet's name.
const CELL_CHARS: usize = 32_767;
const SHEET_ROWS: usize = 1_048_576;
const NAME_CHARS: usize = 31;
/// The widest a column is made, in characters; longer text wraps.
const WIDEST: usize = 60;
/// How many rows a column's width is measured on.
const MEASURED: usize = 200;

/// The workbook's bytes. `created` (seconds since the epoch) is stamped in
/// its properties, so the same plan and time give the same bytes. Each
/// sheet's rows are written, as they are made, to a file in `scratch` (the
/// export's staging folder), not held: at four times the bench's size the
/// registers hold a million cells.
pub fn workbook(pack: &Pack, created: i64, scratch: &Path) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    book.set_tempdir(scratch).map_err(|e| err("", e))?;
    let time = ExcelDateTime::from_timestamp(created).map_err(|e| err("", e))?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{}: registers and compliance matrix",
                pack.plan.title
            ))
            .set_creation_datetime(&time),
    );
    let styles = Styles::new();
    let mut names = Vec::new();
    let ws = book
        .add_worksheet_with_constant_memory()
        .map_err(|e| err("", e))?;
    matrix(ws, &pack.clauses, &styles, &mut names).map_err(|e| err("Compliance matrix", e))?;
    for t in crate::render::tables(pack) {
        if t.rows.len() >= SHEET_ROWS {
            return Err(Error::Export(format!(
                "{} has {} records, more than a sheet holds ({})",
                t.file,
                t.rows.len(),
                SHEET_ROWS - 1
            )));
        }
        let ws = book
            .add_worksheet_with_constant_memory()
            .map_err(|e| err(&t.file, e))?;
        register(ws, t, &styles, &mut names).map_err(|e| err(&t.file, e))?;
    }
    book.save_to_buffer().map_err(|e| err("", e))
}

fn err(sheet: &str, e: XlsxError) -> Error {
    Error::Export(if sheet.is_empty() {
        e.to_string()
    } else {
        format!("{sheet}: {e}")
    })
}

struct Styles {
    header: Format,
    date: Format,
    /// By attention rank: 1 a note or a high score, 2 a warning, 3 an error.
    marked: [Format; 3],
    marked_date: [Format; 3],
}

impl Styles {
    fn new() -> Styles {
        let fill = |rgb: u32| Format::new().set_background_color(Color::RGB(rgb));
        let fills = [0xFFF2CC, 0xFCE4D6, 0xF8CBAD];
        Styles {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border_bottom(FormatBorder::Thin),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            marked: fills.map(fill),
            marked_date: fills.map(|rgb| fill(rgb).set_num_format("yyyy-mm-dd")),
        }
    }

    fn row(&self, rank: u8) -> Option<&Format> {
        self.marked.get(usize::from(rank).checked_sub(1)?)
    }

    fn date(&self, rank: u8) -> &Format {
        match usize::from(rank).checked_sub(1) {
            Some(i) => &self.marked_date[i.min(2)],
            None => &self.date,
        }
    }
}

fn matrix(
    ws: &mut Worksheet,
    clauses: &[ClauseRow],
    s: &Styles,
    names: &mut Vec<String>,
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name("Compliance matrix", names))?;
    let header = [
        "clause",
        "iso_44001",
        "title",
        "requirement",
        "status",
        "evidence",
        "last_change",
        "changed_by",
        "commit",
        "approval",
        "findings",
    ];
    let row = |n: usize| -> (Vec<Cow<'_, str>>, u8) {
        let c = &clauses[n];
        let rank = match c.status {
            "missing" => 3,
            "partial" => 2,
            _ => 0,
        };
        let change = c.last_change.as_ref();
        let cells = vec![
            Cow::from(c.clause.as_str()),
            c.iso44001.as_deref().unwrap_or_default().into(),
            c.title.as_str().into(),
            c.requirement.as_str().into(),
            c.status.into(),
            join(c.evidence.iter().map(|e| e.label.as_str())).into(),
            change.map_or("", |l| l.date.as_str()).into(),
            change.map_or("", |l| l.author.as_str()).into(),
            change.map_or("", |l| l.commit.as_str()).into(),
            c.approval.as_deref().unwrap_or_default().into(),
            join(c.findings.iter().map(|f| f.message.as_str())).into(),
        ];
        (cells, rank)
    };
    // Clause numbers stay text: 3.10 is not 3.1.
    sheet(ws, &header, clauses.len(), &row, s, &[0])
}

fn register(
    ws: &mut Worksheet,
    t: &Table,
    s: &Styles,
    names: &mut Vec<String>,
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(&t.title, names))?;
    let mut header: Vec<&str> = t.fields.iter().map(String::as_str).collect();
    header.push("needs_attention");
    let row = |n: usize| -> (Vec<Cow<'_, str>>, u8) {
        let r = &t.rows[n];
        let mut cells: Vec<Cow<'_, str>> = r.cells.iter().map(|c| c.as_str().into()).collect();
        cells.push(r.attention.as_deref().unwrap_or_default().into());
        (cells, r.rank)
    };
    // An id stays text whatever it looks like.
    let text: Vec<usize> = header.iter().position(|h| *h == "id").into_iter().collect();
    sheet(ws, &header, t.rows.len(), &row, s, &text)
}

/// One row's cells and its attention rank.
type RowOf<'a> = dyn Fn(usize) -> (Vec<Cow<'a, str>>, u8) + 'a;

/// Writes a header and its `n` rows, made one at a time by `row`; `text`
/// are the columns never read as numbers or dates. Columns are sized on the
/// first rows, before any is written: a sheet is written in order.
fn sheet<'a>(
    ws: &mut Worksheet,
    header: &[&str],
    n: usize,
    row: &RowOf<'a>,
    s: &Styles,
    text: &[usize],
) -> Result<(), XlsxError> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count() + 3).collect();
    for r in 0..n.min(MEASURED) {
        for (c, v) in row(r).0.iter().enumerate() {
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(v.chars().count());
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(col(c), (*w).clamp(8, WIDEST) as f64 + 1.0)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, n as u32, col(header.len().saturating_sub(1)))?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, col(c), *h, &s.header)?;
    }
    for r in 0..n {
        let (cells, rank) = row(r);
        for (c, v) in cells.iter().enumerate() {
            write_cell(ws, (r + 1) as u32, col(c), v, rank, s, text.contains(&c))?;
        }
    }
    Ok(())
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    c: u16,
    v: &str,
    rank: u8,
    s: &Styles,
    text: bool,
) -> Result<(), XlsxError> {
    let fill = s.row(rank);
    if v.is_empty() {
        if let Some(f) = fill {
            ws.write_blank(row, c, f)?;
        }
        return Ok(());
    }
    if !text {
        if let Some(date) = as_date(v) {
            ws.write_datetime_with_format(row, c, &date, s.date(rank))?;
            return Ok(());
        }
        if let Some(n) = as_number(v) {
            match fill {
                Some(f) => ws.write_number_with_format(row, c, n, f)?,
                None => ws.write_number(row, c, n)?,
            };
            return Ok(());
        }
    }
    let v = fit(v);
    match fill {
        Some(f) => ws.write_string_with_format(row, c, v, f)?,
        None => ws.write_string(row, c, v)?,
    };
    Ok(())
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// A plain `YYYY-MM-DD` as a date; anything else is not one.
fn as_date(v: &str) -> Option<ExcelDateTime> {
    let b = v.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    ExcelDateTime::parse_from_str(v).ok()
}

/// A number written as Rust writes it back (`5`, `0.25`, `-3`), so that
/// nothing with a leading zero, a sign or an exponent changes on the way.
fn as_number(v: &str) -> Option<f64> {
    let n: f64 = v.parse().ok()?;
    (n.is_finite() && n.to_string() == v).then_some(n)
}

/// Text within a cell's limit: a longer text is cut, and says so.
fn fit(v: &str) -> std::borrow::Cow<'_, str> {
    if v.chars().count() <= CELL_CHARS {
        return v.into();
    }
    let note = " [cut here: longer than a spreadsheet cell holds; the rest is in the plan]";
    let keep: String = v.chars().take(CELL_CHARS - note.chars().count()).collect();
    format!("{keep}{note}").into()
}

fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join("; ")
}

/// A sheet name Excel accepts: no `[ ] : * ? / \`, at most 31 characters,
/// not starting or ending with an apostrophe, and unlike the others
/// (Excel compares names without case).
fn sheet_name(title: &str, taken: &mut Vec<String>) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').trim();
    let base: String = if clean.is_empty() { "Sheet" } else { clean }
        .chars()
        .take(NAME_CHARS)
        .collect();
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({n})");
        let keep: String = base
            .chars()
            .take(NAME_CHARS - suffix.chars().count())
            .collect();
        name = format!("{keep}{suffix}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_dates_and_numbers_change_type() {
        assert!(as_date("2026-01-31").is_some());
        assert!(as_date("2026-02-30").is_none());
        assert!(as_date("2026-1-31").is_none());
        assert!(as_date("on 2026-01-31").is_none());
        assert_eq!(as_number("5"), Some(5.0));
        assert_eq!(as_number("0.25"), Some(0.25));
        assert_eq!(as_number("-3"), Some(-3.0));
        assert_eq!(as_number("007"), None);
        assert_eq!(as_number("1e3"), None);
        assert_eq!(as_number("+1"), None);
        assert_eq!(as_number("NaN"), None);
        assert_eq!(as_number("R-001"), None);
    }

    #[test]
    fn sheet_names_are_ones_excel_takes() {
        let mut taken = Vec::new();
        assert_eq!(sheet_name("Risk register", &mut taken), "Risk register");
        assert_eq!(sheet_name("risk register", &mut taken), "risk register (2)");
        assert_eq!(sheet_name("a/b [c]: d?", &mut taken), "a-b -c-- d-");
        let long = sheet_name(&"x".repeat(40), &mut taken);
        assert_eq!(long.chars().count(), NAME_CHARS);
        let again = sheet_name(&"x".repeat(40), &mut taken);
        assert!(again.ends_with(" (2)") && again.chars().count() == NAME_CHARS);
        assert_eq!(sheet_name("''", &mut taken), "Sheet");
    }

    #[test]
    fn a_cell_too_long_is_cut_and_says_so() {
        let long = "é".repeat(CELL_CHARS + 10);
        let cut = fit(&long);
        assert_eq!(cut.chars().count(), CELL_CHARS);
        assert!(cut.ends_with("the rest is in the plan]"));
        assert_eq!(fit("short"), "short");
    }
}
