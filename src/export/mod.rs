//! `bsrmp export`: the plan's registers and its compliance matrix for the
//! people who keep them in spreadsheets: one XLSX workbook, or one CSV file
//! a register. Both are made from the assessor pack's model, so a workbook
//! shows the same statuses, and marks the same rows, as the pack.

pub mod xlsx;

use crate::error::Result;
use crate::render::{Pack, tables};

/// Each table as `<kind>.csv`: its fields as the header, every row, and why
/// a row needs attention; the same files as the pack's `data/` folder.
pub fn csv_files(pack: &Pack) -> Result<Vec<(String, Vec<u8>)>> {
    tables(pack)
        .map(|t| {
            let mut bytes = Vec::new();
            crate::render::write_csv(t, &mut bytes)?;
            Ok((format!("{}.csv", t.kind), bytes))
        })
        .collect()
}
