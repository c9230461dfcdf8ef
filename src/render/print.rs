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
    clauses: Vec<ClausePrint<'a>>,
    registers: Vec<TablePrint<'a>>,
    documents: Register<'a>,
    history: &'a Option<model::HistoryInfo>,
    overdue: Vec<ItemPrint<'a>>,
    /// All the overdue findings, printed or not.
    overdue_total: usize,
    waivers: &'a [model::WaiverRow],
    signatures: &'a [model::Signature],
    findings: Vec<ItemPrint<'a>>,
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
    /// The narrative's place in the PDF, and its entry in the register.
    label: Option<String>,
    register: Option<String>,
    tables: Vec<TablePrint<'a>>,
}

/// A clause of the matrix with where each of its evidence is in the PDF.
#[derive(Serialize)]
struct ClausePrint<'a> {
    #[serde(flatten)]
    clause: &'a model::ClauseRow,
    /// One for each evidence link, in order: its label in the PDF, if there.
    evidence_to: Vec<Option<String>>,
}

/// A finding, with where its place is in the PDF.
#[derive(Serialize)]
struct ItemPrint<'a> {
    #[serde(flatten)]
    item: &'a model::Item,
    to: Option<String>,
}

/// A row, with its label when it has a place of its own in the PDF.
#[derive(Serialize)]
struct RowPrint<'a> {
    #[serde(flatten)]
    row: &'a Row,
    label: Option<String>,
}

/// A document of the register as the PDF prints it: its label, where it is
/// shown, and the approvals of the content it has now. Its revisions are
/// counted, not listed: the HTML pack lists them.
#[derive(Serialize)]
struct DocPrint<'a> {
    path: &'a str,
    id: &'a Option<String>,
    version: &'a Option<String>,
    owner: &'a Option<String>,
    approver: &'a Option<String>,
    review_by: &'a Option<String>,
    review_overdue: bool,
    revisions: usize,
    last_change: Option<&'a model::RevisionRow>,
    approval: &'a str,
    state: &'static str,
    label: Option<String>,
    to: Option<String>,
    current_approvals: &'a [model::ApprovalRow],
}

/// The document register as printed: whole, or, past [`FULL_ROWS`]
/// documents, its totals by approval state and those that need attention.
#[derive(Serialize)]
struct Register<'a> {
    rows: Vec<DocPrint<'a>>,
    /// The documents with approvals, at most [`FULL_ROWS`] of them, for the
    /// table of approvals; how many there are in all.
    approved: Vec<DocPrint<'a>>,
    approved_total: usize,
    total: usize,
    summarised: bool,
    /// Documents by approval state, as the register words it.
    totals: Vec<model::Total>,
    attention: usize,
}

/// A table as printed: in full, or summed up.
#[derive(Serialize)]
pub struct TablePrint<'a> {
    title: &'a str,
    file: &'a str,
    label: Option<String>,
    register: Option<String>,
    columns: &'a [String],
    rows: Vec<RowPrint<'a>>,
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

pub fn print<'a>(pack: &'a Pack) -> Print<'a> {
    let chosen = Chosen::of(pack);
    let l = Labels::of(pack, &chosen);
    let (findings, rest) = pack.findings.split_at(pack.findings.len().min(FINDINGS));
    let item = |f: &'a model::Item| ItemPrint {
        item: f,
        to: l.resolve(f.href.as_deref(), f.file.as_deref()),
    };
    let mut tables = chosen.0.into_iter();
    let mut next_table =
        |t: &'a Table, page: &str| table(t, tables.next().unwrap_or_default(), page, &l);
    let registers = pack
        .registers
        .iter()
        .map(|t| next_table(t, REGISTERS_PAGE))
        .collect();
    let stages = pack
        .stages
        .iter()
        .map(|s| StagePrint {
            number: s.number,
            name: &s.name,
            page: &s.page,
            counts: &s.counts,
            document: &s.document,
            label: s.page.as_ref().and_then(|p| l.own(p)),
            register: s
                .document
                .as_ref()
                .and_then(|d| l.own(&doc_label(&d.doc_anchor))),
            tables: s
                .tables
                .iter()
                .map(|t| next_table(t, s.page.as_deref().unwrap_or("")))
                .collect(),
        })
        .collect();
    Print {
        provenance: &pack.provenance,
        plan: &pack.plan,
        today: &pack.today,
        summary: &pack.summary,
        stages,
        clauses: pack
            .clauses
            .iter()
            .map(|c| ClausePrint {
                clause: c,
                evidence_to: c
                    .evidence
                    .iter()
                    .map(|e| {
                        l.resolve(e.href.as_deref(), Some(&e.file))
                            .or_else(|| l.resolve(e.doc_href.as_deref(), None))
                    })
                    .collect(),
            })
            .collect(),
        registers,
        documents: register(&pack.documents, &l, &pack.today),
        history: &pack.history,
        overdue: pack.overdue.iter().take(FINDINGS).map(item).collect(),
        overdue_total: pack.overdue.len(),
        waivers: &pack.waivers,
        signatures: &pack.signatures,
        findings: findings.iter().map(item).collect(),
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

const REGISTERS_PAGE: &str = "registers.html";

fn doc_label(anchor: &str) -> String {
    format!("documents.html#{anchor}")
}

/// The rows each table prints, tables in the order `print` meets them:
/// the registers, then each stage's.
#[derive(Default)]
struct Chosen<'a>(Vec<Vec<&'a Row>>);

impl<'a> Chosen<'a> {
    fn of(pack: &'a Pack) -> Self {
        let tables = pack
            .registers
            .iter()
            .chain(pack.stages.iter().flat_map(|s| s.tables.iter()));
        Chosen(tables.map(rows).collect())
    }

    /// The tables with the page each is on, in the same order.
    fn pages(pack: &'a Pack) -> impl Iterator<Item = (&'a Table, &'a str)> {
        pack.registers
            .iter()
            .map(|t| (t, REGISTERS_PAGE))
            .chain(pack.stages.iter().flat_map(|s| {
                let page = s.page.as_deref().unwrap_or("");
                s.tables.iter().map(move |t| (t, page))
            }))
    }
}

/// The places the PDF gives a label, named as the HTML pack links to them
/// (`page.html#anchor`), so that a link of the pack finds its place in the
/// PDF. typst refuses a link to a label that is missing or used twice, so
/// only labels used exactly once are given, and a link goes to a label only
/// when it is given.
struct Labels {
    given: std::collections::HashSet<String>,
    /// A plan file -> the label of where the PDF shows it.
    by_file: std::collections::HashMap<String, String>,
}

impl Labels {
    fn of(pack: &Pack, chosen: &Chosen<'_>) -> Labels {
        let mut count: std::collections::HashMap<String, usize> = Default::default();
        let mut by_file = std::collections::HashMap::new();
        let mut add = |label: String| *count.entry(label).or_default() += 1;
        for s in &pack.stages {
            let (Some(page), Some(d)) = (&s.page, &s.document) else {
                continue;
            };
            add(page.clone());
            by_file.insert(d.path.clone(), page.clone());
            let mut ids = Vec::new();
            super::blocks::ids(&d.blocks, &mut ids);
            for id in ids {
                add(format!("{page}#{id}"));
            }
        }
        for ((t, page), rows) in Chosen::pages(pack).zip(&chosen.0) {
            if page.is_empty() {
                continue;
            }
            add(format!("{page}#{}", t.anchor));
            by_file.insert(t.file.clone(), format!("{page}#{}", t.anchor));
            for r in rows.iter().filter(|r| !r.anchor.is_empty()) {
                add(format!("{page}#{}", r.anchor));
            }
        }
        for d in &pack.documents {
            add(doc_label(&d.anchor));
            by_file
                .entry(d.path.clone())
                .or_insert(doc_label(&d.anchor));
        }
        let given: std::collections::HashSet<String> = count
            .into_iter()
            .filter(|(_, n)| *n == 1)
            .map(|(l, _)| l)
            .collect();
        by_file.retain(|_, l| given.contains(l));
        Labels { given, by_file }
    }

    /// The label, if the PDF gives it.
    fn own(&self, label: &str) -> Option<String> {
        self.given.contains(label).then(|| label.to_string())
    }

    /// Where a link of the pack goes in the PDF: its own place if the PDF
    /// has it, else where the PDF shows its file.
    fn resolve(&self, href: Option<&str>, file: Option<&str>) -> Option<String> {
        href.and_then(|h| self.own(h))
            .or_else(|| file.and_then(|f| self.by_file.get(f).cloned()))
    }
}

/// The rows a table prints: all of them, or those that need attention.
fn rows(t: &Table) -> Vec<&Row> {
    if t.rows.len() <= FULL_ROWS {
        return t.rows.iter().collect();
    }
    let mut needing: Vec<&Row> = t.rows.iter().filter(|r| r.rank > 0).collect();
    // The worst first; in file order among equals (the sort is stable).
    needing.sort_by_key(|r| std::cmp::Reverse(r.rank));
    needing.truncate(ATTENTION_ROWS);
    needing
}

fn table<'a>(t: &'a Table, rows: Vec<&'a Row>, page: &str, l: &Labels) -> TablePrint<'a> {
    let own = |anchor: &str| {
        (!page.is_empty() && !anchor.is_empty())
            .then(|| l.own(&format!("{page}#{anchor}")))
            .flatten()
    };
    TablePrint {
        title: &t.title,
        file: &t.file,
        label: own(&t.anchor),
        register: l.own(&doc_label(&t.doc_anchor)),
        columns: &t.columns,
        rows: rows
            .into_iter()
            .map(|r| RowPrint {
                row: r,
                label: own(&r.anchor),
            })
            .collect(),
        total: t.rows.len(),
        summarised: t.rows.len() > FULL_ROWS,
        totals: &t.totals,
        attention: t.attention,
        csv: csv_name(t),
        approval: &t.approval,
    }
}

/// `today` is an ISO date: an approval dated after it does not count yet,
/// as for the approval state.
fn document<'a>(d: &'a model::DocumentEntry, l: &Labels, today: &str) -> DocPrint<'a> {
    // Newest first: skip those after today, then take the latest content's.
    let from = d
        .approvals
        .iter()
        .position(|a| a.date.as_str() <= today)
        .unwrap_or(d.approvals.len());
    let rest = &d.approvals[from..];
    let current = rest
        .first()
        .map(|a| rest.iter().take_while(|x| x.blob == a.blob).count())
        .unwrap_or(0);
    DocPrint {
        path: &d.path,
        id: &d.id,
        version: &d.version,
        owner: &d.owner,
        approver: &d.approver,
        review_by: &d.review_by,
        review_overdue: d.review_overdue,
        revisions: d.revisions.len(),
        last_change: d.revisions.first(),
        approval: &d.approval,
        state: d.state,
        label: l.own(&doc_label(&d.anchor)),
        to: l.resolve(d.href.as_deref(), None),
        current_approvals: &rest[..current],
    }
}

/// A document needs attention when `check` expects it approved and it is
/// not, or has changed since, or when its review date has passed.
fn needs_attention(d: &model::DocumentEntry) -> bool {
    matches!(d.state, "never" | "changed") || d.review_overdue
}

/// The documents the register prints: all, or those that need attention.
fn printed_docs(docs: &[model::DocumentEntry]) -> impl Iterator<Item = &model::DocumentEntry> {
    let summarised = docs.len() > FULL_ROWS;
    docs.iter()
        .filter(move |d| !summarised || needs_attention(d))
        .take(if summarised {
            ATTENTION_ROWS
        } else {
            FULL_ROWS
        })
}

fn register<'a>(docs: &'a [model::DocumentEntry], l: &Labels, today: &str) -> Register<'a> {
    let summarised = docs.len() > FULL_ROWS;
    let attention = docs.iter().filter(|d| needs_attention(d)).count();
    let rows = printed_docs(docs).map(|d| document(d, l, today)).collect();
    let with_approvals: Vec<&model::DocumentEntry> = docs
        .iter()
        .filter(|d| d.approvals.iter().any(|a| a.date.as_str() <= today))
        .collect();
    let approved = with_approvals
        .iter()
        .take(FULL_ROWS)
        .map(|d| document(d, l, today))
        .collect();
    let mut totals: Vec<model::Total> = Vec::new();
    for d in docs {
        let label = match d.state {
            "approved" => "approved",
            "changed" => "changed since approval",
            "never" => "never approved",
            "not-needed" => "not approved; none needed",
            _ => "not verified",
        };
        model::Total::add(&mut totals, label);
    }
    Register {
        rows,
        approved,
        approved_total: with_approvals.len(),
        total: docs.len(),
        summarised,
        totals,
        attention,
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
            rows: rows.into(),
            totals: Vec::new(),
            approval: String::new(),
            doc_anchor: String::new(),
        }
    }

    #[test]
    fn a_short_table_is_printed_whole() {
        let t = table_of((0..FULL_ROWS).map(|n| row(n, 0)).collect());
        assert_eq!(rows(&t).len(), FULL_ROWS);
    }

    #[test]
    fn a_long_table_prints_the_worst_rows_first_and_no_more_than_its_limit() {
        let mut all: Vec<Row> = (0..FULL_ROWS * 10).map(|n| row(n, 0)).collect();
        all[5].rank = 1;
        all[7].rank = 3;
        all[9].rank = 2;
        all[11].rank = 3;
        let t = table_of(all);
        let order: Vec<&str> = rows(&t).iter().map(|r| r.anchor.as_str()).collect();
        assert_eq!(order, ["r7", "r11", "r9", "r5"]);

        let t = table_of((0..FULL_ROWS * 10).map(|n| row(n, 2)).collect());
        assert_eq!(rows(&t).len(), ATTENTION_ROWS);
    }

    fn doc(n: usize, state: &'static str) -> model::DocumentEntry {
        model::DocumentEntry {
            path: format!("evidence/doc-{n}.md"),
            anchor: format!("doc-{n}"),
            id: None,
            title: None,
            owner: None,
            approver: None,
            review_by: None,
            review_overdue: false,
            revisions: Vec::new(),
            approvals: Vec::new(),
            version: Some("0.1".into()),
            state,
            approval: String::new(),
            href: None,
        }
    }

    #[test]
    fn a_long_document_register_prints_those_that_need_attention() {
        let none = Labels {
            given: Default::default(),
            by_file: Default::default(),
        };
        let mut docs: Vec<model::DocumentEntry> =
            (0..FULL_ROWS + 50).map(|n| doc(n, "not-needed")).collect();
        docs[3].state = "never";
        docs[9].state = "changed";
        docs[20].review_overdue = true;
        let r = register(&docs, &none, "2027-01-01");
        assert!(r.summarised);
        assert_eq!(r.attention, 3);
        let paths: Vec<&str> = r.rows.iter().map(|d| d.path).collect();
        assert_eq!(
            paths,
            [
                "evidence/doc-3.md",
                "evidence/doc-9.md",
                "evidence/doc-20.md"
            ]
        );
        let totals: Vec<(&str, usize)> = r
            .totals
            .iter()
            .map(|t| (t.label.as_str(), t.count))
            .collect();
        assert_eq!(
            totals,
            [
                ("not approved; none needed", FULL_ROWS + 48),
                ("never approved", 1),
                ("changed since approval", 1)
            ]
        );
        // A short one is printed whole.
        let r = register(&docs[..10], &none, "2027-01-01");
        assert!(!r.summarised);
        assert_eq!(r.rows.len(), 10);
    }
}
