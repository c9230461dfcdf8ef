//! A record kind as a table of the pack, each row marked with why it needs
//! an assessor's attention (its findings, a high score on an open risk), and
//! the table's totals by status. The PDF prints a large table as those
//! totals and the rows that need attention (`render::print`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Builder, Row, Table, doc_anchor, slug};
use crate::code::Code;
use crate::diag::Severity;
use crate::plan::kinds;
use crate::render::charts::HIGH_SCORE;

/// The registers page lists these kinds; the others appear on their stage's page.
pub(super) const REGISTERS: [&str; 14] = [
    "decisions",
    "risks",
    "issues",
    "actions",
    "value",
    "reviews",
    "assessments",
    "audits",
    "objectives",
    "skills",
    "knowledge",
    "exit",
    "people",
    "stakeholders",
];

/// How many rows of a table hold a given status, in order of first use.
#[derive(Debug, Clone, Serialize)]
pub struct Total {
    pub label: String,
    pub count: usize,
}

impl Total {
    /// Counts one more under `label`, in order of first use.
    pub fn add(totals: &mut Vec<Total>, label: &str) {
        match totals.iter_mut().find(|t| t.label == label) {
            Some(t) => t.count += 1,
            None => totals.push(Total {
                label: label.to_string(),
                count: 1,
            }),
        }
    }
}

/// Why a row needs attention, and how much: the worst first.
#[derive(Debug, Clone, Default)]
struct Attention {
    reasons: Vec<String>,
    rank: u8,
}

impl Builder<'_> {
    pub(super) fn table(&self, kind: &kinds::KindInfo) -> Table {
        // Each record is made JSON once for the columns and once for its
        // row, so that no more than one record's JSON is held at a time.
        let views = self.i.plan.views(kind.name);
        let columns = columns(views.iter().map(|v| v.value()));
        let anchors = self.rows.get(kind.file);
        let mut attention = self.row_findings(kind.file, views.len());
        let today = self.i.assessment.today.to_string();
        let rows: Vec<Row> = views
            .iter()
            .enumerate()
            .map(|(n, v)| {
                let v = &v.value();
                let a = &mut attention[n];
                let open = open_reasons(v, &today);
                if !open.is_empty() {
                    a.reasons.extend(open);
                    a.rank = a.rank.max(1);
                }
                Row {
                    anchor: anchors
                        .and_then(|a| a.get(n))
                        .map(|(_, a)| a.clone())
                        .unwrap_or_default(),
                    cells: columns
                        .iter()
                        .map(|c| v.get(c).map(cell).unwrap_or_default())
                        .collect(),
                    attention: (!a.reasons.is_empty()).then(|| a.reasons.join("; ")),
                    rank: a.rank,
                }
            })
            .collect();
        Table {
            kind: kind.name.to_string(),
            title: table_title(kind).to_string(),
            file: kind.file.to_string(),
            anchor: format!("table-{}", slug(kind.file)),
            totals: totals(views.iter().filter_map(|v| v.text("status"))),
            attention: rows.iter().filter(|r| r.rank > 0).count(),
            fields: columns.clone(),
            columns: columns.iter().map(|c| c.replace('_', " ")).collect(),
            rows: rows.into(),
            approval: self.approval_label(kind.file),
            doc_anchor: doc_anchor(kind.file),
        }
    }

    /// The findings at each record of a file, as reasons for attention.
    fn row_findings(&self, file: &str, n: usize) -> Vec<Attention> {
        let mut out = vec![Attention::default(); n];
        let Some(starts) = self.rows.get(file) else {
            return out;
        };
        let sorted = starts.is_sorted_by_key(|(line, _)| *line);
        let mut codes: BTreeMap<usize, Vec<(Severity, Code)>> = BTreeMap::new();
        for f in &self.i.assessment.findings {
            let Some(loc) = f.location.as_ref().filter(|l| l.file == file) else {
                continue;
            };
            let Some(line) = loc.pos.map(|p| p.line) else {
                continue;
            };
            // The record a line belongs to is the last one starting at or before it.
            let row = if sorted {
                starts
                    .partition_point(|(start, _)| *start <= line)
                    .checked_sub(1)
            } else {
                starts.iter().rposition(|(start, _)| *start <= line)
            };
            if let Some(row) = row.filter(|r| *r < n) {
                codes.entry(row).or_default().push((f.severity, f.code));
            }
        }
        for (row, mut list) in codes {
            list.sort();
            list.dedup();
            let a = &mut out[row];
            a.rank = list
                .iter()
                .map(|(s, _)| match s {
                    Severity::Error => 3,
                    Severity::Warning => 2,
                    Severity::Note => 1,
                })
                .max()
                .unwrap_or(0);
            a.reasons = list.iter().map(|(_, c)| c.as_str().to_string()).collect();
        }
        out
    }
}

/// The fields any record of the kind fills, the id first: the column a
/// reader looks rows up by.
fn columns(values: impl Iterator<Item = serde_json::Value>) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    for v in values {
        if let serde_json::Value::Object(map) = &v {
            for (k, val) in map {
                let empty = val.is_null()
                    || val.as_array().is_some_and(Vec::is_empty)
                    || val.as_object().is_some_and(serde_json::Map::is_empty);
                if !empty && !columns.contains(k) {
                    columns.push(k.clone());
                }
            }
        }
    }
    if let Some(i) = columns.iter().position(|c| c == "id") {
        let id = columns.remove(i);
        columns.insert(0, id);
    }
    columns
}

/// The rows by status, for a kind whose records have one.
fn totals(statuses: impl Iterator<Item = String>) -> Vec<Total> {
    let mut out: Vec<Total> = Vec::new();
    for status in statuses {
        Total::add(&mut out, &status);
    }
    out
}

/// Why a record that is still open needs attention: a risk scored at the top
/// band of the heat map, a date it should have been acted on by that has
/// passed. `today` is an ISO date, so dates compare as text.
fn open_reasons(v: &serde_json::Value, today: &str) -> Vec<String> {
    let closed = matches!(
        v.get("status").and_then(|s| s.as_str()),
        Some("closed" | "done" | "resolved" | "cancelled" | "realised" | "rejected" | "achieved")
    );
    let mut out = Vec::new();
    if closed {
        return out;
    }
    let score = v
        .get("likelihood")
        .and_then(|l| l.as_u64())
        .zip(v.get("impact").and_then(|i| i.as_u64()))
        .map(|(l, i)| l * i);
    if let Some(score) = score.filter(|s| *s >= u64::from(HIGH_SCORE)) {
        out.push(format!("scored {score}"));
    }
    for (field, what) in [
        ("due", "due"),
        ("escalate_by", "to escalate by"),
        ("review_date", "to review by"),
    ] {
        if let Some(d) = v.get(field).and_then(|d| d.as_str()).filter(|d| *d < today) {
            out.push(format!("{what} {d}"));
        }
    }
    out
}

fn table_title(kind: &kinds::KindInfo) -> &'static str {
    match kind.name {
        "people" => "People",
        "ser" => "SER appointments",
        "relationships" => "Relationships (segmentation)",
        "objectives" => "Objectives",
        "skills" => "Competencies and skills",
        "risks" => "Risk register",
        "actions" => "Actions",
        "issues" => "Issue log",
        "reviews" => "SER reviews",
        "assessments" => "Relationship assessments",
        "value" => "Value creation initiatives",
        "audits" => "Audits",
        "knowledge" => "Knowledge map",
        "exit" => "Exit strategy",
        "maturity" => "Maturity profile",
        "criteria" => "Partner selection criteria",
        "candidates" => "Candidate partners",
        "governance" => "Governance",
        "stakeholders" => "Stakeholders and communications",
        "kpis" => "Performance measures",
        "decisions" => "Joint decisions",
        "meetings" => "Joint management meetings",
        "lessons" => "Lessons learned",
        _ => kind.noun,
    }
}

/// Text for a table cell from any record value.
pub fn cell(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items
            .iter()
            .map(cell)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{}: {}", k.replace('_', " "), cell(v)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_flatten_any_record_value() {
        let v = serde_json::json!({
            "triggers": ["Retirement", "Budget cut"],
            "scores": {"openness": 4, "honesty": null},
            "done": true,
            "note": null,
        });
        assert_eq!(cell(&v["triggers"]), "Retirement; Budget cut");
        assert_eq!(cell(&v["scores"]), "openness: 4");
        assert_eq!(cell(&v["done"]), "yes");
        assert_eq!(cell(&v["note"]), "");
    }

    #[test]
    fn an_open_record_scored_high_or_past_its_date_needs_attention() {
        let today = "2027-03-01";
        let risk = |l: u64, i: u64, status: &str| serde_json::json!({"likelihood": l, "impact": i, "status": status});
        assert_eq!(open_reasons(&risk(5, 4, "open"), today), ["scored 20"]);
        assert_eq!(
            open_reasons(&risk(5, 3, "monitoring"), today),
            ["scored 15"]
        );
        assert!(open_reasons(&risk(5, 5, "closed"), today).is_empty());
        assert!(open_reasons(&risk(2, 5, "open"), today).is_empty());
        let action = |due: &str, status: &str| serde_json::json!({"due": due, "status": status});
        assert_eq!(
            open_reasons(&action("2027-02-28", "in-progress"), today),
            ["due 2027-02-28"]
        );
        assert!(open_reasons(&action("2027-03-01", "open"), today).is_empty());
        assert!(open_reasons(&action("2027-01-01", "done"), today).is_empty());
        let issue = serde_json::json!({"escalate_by": "2026-12-01", "status": "escalated"});
        assert_eq!(open_reasons(&issue, today), ["to escalate by 2026-12-01"]);
        assert!(open_reasons(&serde_json::json!({"title": "x"}), today).is_empty());
    }

    #[test]
    fn totals_count_each_status_in_order_of_first_use() {
        let v = [
            serde_json::json!({"status": "open"}),
            serde_json::json!({"status": "closed"}),
            serde_json::json!({"status": "open"}),
            serde_json::json!({"title": "no status"}),
        ];
        let t = totals(
            v.iter()
                .filter_map(|v| v.get("status")?.as_str().map(str::to_string)),
        );
        let got: Vec<(&str, usize)> = t.iter().map(|t| (t.label.as_str(), t.count)).collect();
        assert_eq!(got, [("open", 2), ("closed", 1)]);
    }
}
