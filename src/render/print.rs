//! What the PDF holds: the pack as it is, except that a table longer than
//! [`FULL_ROWS`] is summed up as its totals and the rows that need attention
//! (at most [`ATTENTION_ROWS`]), and the findings past [`FINDINGS`] are
//! counted by code. Typesetting costs hundreds of kilobytes a table row, so
//! this is what keeps a PDF of a large plan within a bounded time and memory;
//! every row is still in the HTML pack and in the pack's CSV files
//! (`data/<kind>.csv`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::{self, Pack, Row, Table};
use crate::code::Code;

/// A table of at most this many rows is printed in full.
pub const FULL_ROWS: usize = 200;
/// A longer one prints at most this many of the rows that need attention.
pub const ATTENTION_ROWS: usize = 150;
/// The findings printed one by one; the rest are counted by code.
pub const FINDINGS: usize = 300;

/// The pack as the PDF template reads it (`data.json`).
#[derive(Serialize)]
pub struct Print<'a> {
    provenance: &'a model::Provenance,
    plan: &'a model::PlanInfo,
    today: &'a str,
    summary: &'a model::Summary,
    stages: Vec<StagePrint<'a>>,
    clauses: &'a [model::ClauseRow],
    registers: Vec<TablePrint<'a>>,
    documents: &'a [model::DocumentEntry],
    history: &'a Option<model::HistoryInfo>,
    overdue: &'a [model::Item],
    /// All the overdue findings, printed or not.
    overdue_total: usize,
    waivers: &'a [model::WaiverRow],
    signatures: &'a [model::Signature],
    findings: &'a [model::Item],
    /// The findings not printed one by one, counted by code.
    more_findings: Vec<CodeCount>,
    charts: &'a [super::charts::Chart],
    operating: &'a [super::charts::Chart],
    limits: Limits,
}

#[derive(Serialize)]
struct Limits {
    full_rows: usize,
    attention_rows: usize,
    findings: usize,
}

#[derive(Serialize)]
struct StagePrint<'a> {
    number: u8,
    name: &'a str,
    page: &'a Option<String>,
    counts: &'a BTreeMap<&'static str, usize>,
    document: &'a Option<model::Narrative>,
    tables: Vec<TablePrint<'a>>,
}

/// A table as printed: in full, or summed up.
#[derive(Serialize)]
pub struct TablePrint<'a> {
    title: &'a str,
    file: &'a str,
    anchor: &'a str,
    columns: &'a [String],
    rows: Vec<&'a Row>,
    /// All the table's rows, printed or not.
    total: usize,
    /// Only some rows are printed: those that need attention, the worst first.
    summarised: bool,
    totals: &'a [model::Total],
    attention: usize,
    /// The pack's CSV file of the whole table.
    csv: String,
    approval: &'a str,
}

#[derive(Serialize, PartialEq, Debug)]
pub struct CodeCount {
    code: Code,
    severity: &'static str,
    count: usize,
}

/// The pack's CSV file for a table.
pub fn csv_name(t: &Table) -> String {
    format!("data/{}.csv", t.kind)
}

pub fn print(pack: &Pack) -> Print<'_> {
    let (findings, rest) = pack.findings.split_at(pack.findings.len().min(FINDINGS));
    Print {
        provenance: &pack.provenance,
        plan: &pack.plan,
        today: &pack.today,
        summary: &pack.summary,
        stages: pack
            .stages
            .iter()
            .map(|s| StagePrint {
                number: s.number,
                name: &s.name,
                page: &s.page,
                counts: &s.counts,
                document: &s.document,
                tables: s.tables.iter().map(table).collect(),
            })
            .collect(),
        clauses: &pack.clauses,
        registers: pack.registers.iter().map(table).collect(),
        documents: &pack.documents,
        history: &pack.history,
        overdue: &pack.overdue[..pack.overdue.len().min(FINDINGS)],
        overdue_total: pack.overdue.len(),
        waivers: &pack.waivers,
        signatures: &pack.signatures,
        findings,
        more_findings: by_code(rest),
        charts: &pack.charts,
        operating: &pack.operating,
        limits: Limits {
            full_rows: FULL_ROWS,
            attention_rows: ATTENTION_ROWS,
            findings: FINDINGS,
        },
    }
}

fn table(t: &Table) -> TablePrint<'_> {
    let summarised = t.rows.len() > FULL_ROWS;
    let rows = if summarised {
        let mut needing: Vec<&Row> = t.rows.iter().filter(|r| r.rank > 0).collect();
        // The worst first; in file order among equals (the sort is stable).
        needing.sort_by_key(|r| std::cmp::Reverse(r.rank));
        needing.truncate(ATTENTION_ROWS);
        needing
    } else {
        t.rows.iter().collect()
    };
    TablePrint {
        title: &t.title,
        file: &t.file,
        anchor: &t.anchor,
        columns: &t.columns,
        rows,
        total: t.rows.len(),
        summarised,
        totals: &t.totals,
        attention: t.attention,
        csv: csv_name(t),
        approval: &t.approval,
    }
}

fn by_code(items: &[model::Item]) -> Vec<CodeCount> {
    let mut counts: BTreeMap<(&'static str, Code), usize> = BTreeMap::new();
    for f in items {
        *counts.entry((f.severity, f.code)).or_default() += 1;
    }
    let mut out: Vec<CodeCount> = counts
        .into_iter()
        .map(|((severity, code), count)| CodeCount {
            code,
            severity,
            count,
        })
        .collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.count));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: usize, rank: u8) -> Row {
        Row {
            anchor: format!("r{n}"),
            cells: vec![n.to_string()],
            attention: (rank > 0).then(|| "why".to_string()),
            rank,
        }
    }

    fn table_of(rows: Vec<Row>) -> Table {
        Table {
            kind: "risks".into(),
            title: "Risk register".into(),
            file: "registers/risks.yaml".into(),
            anchor: "t".into(),
            columns: vec!["id".into()],
            fields: vec!["id".into()],
            attention: rows.iter().filter(|r| r.rank > 0).count(),
            rows,
            totals: Vec::new(),
            approval: String::new(),
            doc_anchor: String::new(),
        }
    }

    #[test]
    fn a_short_table_is_printed_whole() {
        let t = table_of((0..FULL_ROWS).map(|n| row(n, 0)).collect());
        let p = table(&t);
        assert!(!p.summarised);
        assert_eq!(p.rows.len(), FULL_ROWS);
    }

    #[test]
    fn a_long_table_prints_the_worst_rows_first_and_no_more_than_its_limit() {
        let mut rows: Vec<Row> = (0..FULL_ROWS * 10).map(|n| row(n, 0)).collect();
        rows[5].rank = 1;
        rows[7].rank = 3;
        rows[9].rank = 2;
        rows[11].rank = 3;
        let t = table_of(rows);
        let p = table(&t);
        assert!(p.summarised);
        assert_eq!(p.total, FULL_ROWS * 10);
        let order: Vec<&str> = p.rows.iter().map(|r| r.anchor.as_str()).collect();
        assert_eq!(order, ["r7", "r11", "r9", "r5"]);

        let t = table_of((0..FULL_ROWS * 10).map(|n| row(n, 2)).collect());
        assert_eq!(table(&t).rows.len(), ATTENTION_ROWS);
        assert_eq!(table(&t).attention, FULL_ROWS * 10);
    }
}
