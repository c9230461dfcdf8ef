//! The assessor pack as data: everything the templates show, computed once
//! from the plan, its assessment and its history. HTML, Markdown and PDF are
//! all views of this one value, so they cannot disagree.

mod charts;
mod rows;
mod tables;

pub use rows::Rows;
pub use tables::{Total, cell};

use std::collections::BTreeMap;

use serde::Serialize;

use super::charts::Chart;
use super::markdown;
use crate::check::{Assessment, Status};
use crate::checklist::Checklist;
use crate::code::Code;
use crate::diag::{Finding, Location, Severity};
use crate::history::{ApprovalState, FileHistory, History, register};
use crate::plan::{Plan, kinds};

/// Where the pack came from: stamped on every page.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    pub commit: Option<String>,
    pub short: Option<String>,
    /// The plan's files differ from `commit`.
    pub dirty: bool,
    /// The revision asked for with `--rev`.
    pub rev: Option<String>,
    pub version: String,
    pub checklist_version: String,
    /// RFC 3339, UTC.
    pub generated: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pack {
    pub provenance: Provenance,
    pub plan: PlanInfo,
    pub today: String,
    pub summary: Summary,
    pub stages: Vec<StagePage>,
    pub clauses: Vec<ClauseRow>,
    pub registers: Vec<Table>,
    pub documents: Vec<DocumentEntry>,
    pub evidence: Vec<EvidenceDoc>,
    pub history: Option<HistoryInfo>,
    pub overdue: Vec<Item>,
    pub waivers: Vec<WaiverRow>,
    pub signatures: Vec<Signature>,
    pub findings: Vec<Item>,
    pub charts: Vec<Chart>,
    /// The charts of the plan in operation (measures, timeline, value),
    /// under their own heading; empty before the plan has their records.
    pub operating: Vec<Chart>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanInfo {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub stage: u8,
    pub stage_name: String,
    pub parties: Vec<PartyInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartyInfo {
    pub id: String,
    pub name: String,
    pub ser: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub counts: BTreeMap<&'static str, usize>,
    pub due: usize,
    pub met: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub passes: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct StagePage {
    pub number: u8,
    pub name: String,
    /// Its place in ISO 44001:2017: "ISO 44001 stage 5: working together".
    pub iso44001: Option<String>,
    /// The page's file name, or `None` when the stage does not apply to the plan.
    pub page: Option<String>,
    pub counts: BTreeMap<&'static str, usize>,
    pub document: Option<Narrative>,
    pub tables: Vec<Table>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Narrative {
    pub path: String,
    pub id: Option<String>,
    pub title: Option<String>,
    pub owner: Option<String>,
    pub status: Option<String>,
    pub review_by: Option<String>,
    /// Rendered by comrak; raw HTML in the source is dropped.
    pub html: String,
    /// The Markdown source without front matter, for the Markdown pack.
    pub markdown: String,
    /// The same as data for the PDF: headings one level down, under the
    /// PDF's "Stage narratives".
    pub blocks: Vec<super::blocks::Block>,
    pub approval: String,
    pub doc_anchor: String,
}

/// A register or a stage's records.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub kind: String,
    pub title: String,
    pub file: String,
    pub anchor: String,
    /// The column headings, as a reader reads them.
    pub columns: Vec<String>,
    /// The same, as the records name the fields (the CSV file's header).
    pub fields: Vec<String>,
    pub rows: Rows,
    /// The rows by status, when the kind has one.
    pub totals: Vec<tables::Total>,
    /// How many rows need attention.
    pub attention: usize,
    pub approval: String,
    pub doc_anchor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub anchor: String,
    pub cells: Vec<String>,
    /// Why the row needs attention: its findings' codes, a high score.
    pub attention: Option<String>,
    /// How much: 3 an error, 2 a warning, 1 a note or a high score.
    #[serde(skip)]
    pub rank: u8,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClauseRow {
    pub clause: String,
    pub anchor: String,
    pub stage: u8,
    /// Where the clause's stage sits in ISO 44001:2017 ("ISO 44001 stage 4").
    pub iso44001: Option<String>,
    pub title: String,
    pub requirement: String,
    pub status: &'static str,
    /// CSS class of the status.
    pub status_class: String,
    pub note: Option<String>,
    pub evidence: Vec<EvidenceLink>,
    pub last_change: Option<Change>,
    pub approval: Option<String>,
    pub findings: Vec<Item>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceLink {
    pub label: String,
    /// A link within the pack (`page.html#anchor`); `None` when the pack does
    /// not show the file (a party's own plan inside a joint plan).
    pub href: Option<String>,
    pub file: String,
    pub line: Option<u32>,
    /// The file's entry in the document control page, when it has one.
    pub doc_href: Option<String>,
    pub approval: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub date: String,
    pub author: String,
    pub commit: String,
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentEntry {
    pub path: String,
    pub anchor: String,
    pub id: Option<String>,
    pub title: Option<String>,
    /// The owner by name and id, as the people register has them.
    pub owner: Option<String>,
    /// Who approves it, as its front matter says (a narrative).
    pub approver: Option<String>,
    /// The date of its next review (a narrative), and whether it has passed.
    pub review_by: Option<String>,
    pub review_overdue: bool,
    pub revisions: Vec<RevisionRow>,
    pub approvals: Vec<ApprovalRow>,
    /// `A.R`: issues approved, and commits since the last (`FileHistory::version`).
    pub version: Option<String>,
    pub state: &'static str,
    pub approval: String,
    /// Where the document itself is shown in the pack.
    pub href: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RevisionRow {
    pub commit: String,
    pub short: String,
    pub date: String,
    pub author: String,
    pub summary: String,
    /// The name the file had in that commit, when it differs (a rename).
    pub renamed_from: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApprovalRow {
    pub short: String,
    pub date: String,
    pub by: String,
    pub role: String,
    pub blob: String,
}

/// A Markdown document the plan's `[evidence]` points at, shown in the pack.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceDoc {
    pub path: String,
    pub anchor: String,
    pub html: String,
    pub markdown: String,
    pub clauses: Vec<String>,
    pub doc_anchor: String,
    pub approval: String,
    /// Why the document is not shown, when it could not be read.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryInfo {
    pub commits: usize,
    pub shallow: bool,
    /// The plan's folder, when the plan is part of a larger repository: its
    /// history is that repository's commits under the folder, which may hold
    /// work that is not the plan's own.
    pub folder: Option<String>,
}

/// A finding, as a pack shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub code: Code,
    pub severity: &'static str,
    pub message: String,
    pub help: Option<String>,
    pub clause: Option<String>,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub href: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WaiverRow {
    pub clause: String,
    pub title: String,
    pub reason: String,
    pub approved_by: String,
    pub date: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    pub party: String,
    pub name: String,
    pub role: String,
}

pub struct Inputs<'a> {
    pub plan: &'a Plan,
    pub assessment: &'a Assessment,
    pub history: Option<&'a History>,
    pub checklist: &'a Checklist,
    /// The blob id of a plan file as read.
    pub blob_of: &'a dyn Fn(&str) -> Option<String>,
    /// Reads a plan file as read (work tree or commit), or says why it cannot.
    pub read: &'a dyn Fn(&str) -> Result<String, String>,
    pub provenance: Provenance,
}

pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

pub fn doc_anchor(path: &str) -> String {
    format!("doc-{}", slug(path))
}

fn stage_page(n: u8) -> String {
    format!("stage-{n}.html")
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn status_class(s: Status) -> String {
    s.label().replace(' ', "-")
}

fn counts(a: &Assessment, stage: Option<u8>) -> BTreeMap<&'static str, usize> {
    Status::ALL
        .iter()
        .map(|s| {
            let n = match stage {
                Some(st) => a.count_in_stage(st, *s),
                None => a.count(*s),
            };
            (s.label(), n)
        })
        .collect()
}

struct Builder<'a> {
    i: &'a Inputs<'a>,
    /// Narrative path -> clause -> heading anchor in its rendered HTML.
    anchors: BTreeMap<String, BTreeMap<String, String>>,
    /// Record file -> (first line of each record, its row anchor), in file order.
    rows: BTreeMap<String, Vec<(u32, String)>>,
    /// Where each record file's table is shown.
    table_page: BTreeMap<String, String>,
    evidence_files: BTreeMap<String, String>,
    /// The files the document control register lists.
    documented: std::collections::BTreeSet<String>,
    /// Those the standard expects approved as they stand (`check::control`).
    needs_approval: std::collections::BTreeSet<String>,
    /// A person's email, lower case -> their name and id, to name a
    /// commit's author as the plan does rather than by a git identity.
    people_by_email: BTreeMap<String, String>,
}

impl Builder<'_> {
    fn approval_of(&self, path: &str) -> ApprovalState {
        match self.i.history {
            Some(h) => h.approval_state_on(path, Some(self.i.assessment.today), || {
                (self.i.blob_of)(path)
            }),
            None => ApprovalState::NeverApproved,
        }
    }

    fn approval_label(&self, path: &str) -> String {
        match self.i.history {
            Some(_) => register::approval_label(&self.approval_of(path)),
            None => "not in git: cannot be verified".to_string(),
        }
    }

    /// A commit's author as the plan's people register names them, when
    /// their email is there; otherwise as git has them.
    fn author(&self, r: &crate::history::Revision) -> String {
        self.people_by_email
            .get(&r.email.to_lowercase())
            .cloned()
            .unwrap_or_else(|| r.author.clone())
    }

    fn file_history(&self, path: &str) -> Option<&FileHistory> {
        self.i.history.and_then(|h| h.file(path))
    }

    /// A link to a place in the plan, as close as the pack can get to it.
    fn href(&self, loc: &Location) -> Option<String> {
        let line = loc.pos.map(|p| p.line);
        if let Some(doc) = self.i.plan.documents.values().find(|d| d.path == loc.file) {
            let page = stage_page(doc.stage);
            let anchor = line.and_then(|l| {
                let sec = doc
                    .sections
                    .iter()
                    .find(|s| s.line <= l && l <= s.end_line.max(s.line))?;
                self.anchors.get(&doc.path)?.get(&sec.clause).cloned()
            });
            return Some(match anchor {
                Some(a) => format!("{page}#{a}"),
                None => page,
            });
        }
        if let Some(page) = self.table_page.get(&loc.file) {
            let rows = self.rows.get(&loc.file);
            let anchor = match (line, rows) {
                (Some(l), Some(rows)) => rows
                    .iter()
                    .rev()
                    .find(|(start, _)| *start <= l)
                    .map(|(_, a)| a.clone()),
                _ => None,
            };
            let table = format!("table-{}", slug(&loc.file));
            return Some(format!("{page}#{}", anchor.unwrap_or(table)));
        }
        if let Some(anchor) = self.evidence_files.get(&loc.file) {
            return Some(format!("evidence.html#{anchor}"));
        }
        self.doc_href(&loc.file)
    }

    /// The document control entry of a file, if the register lists it.
    fn doc_href(&self, file: &str) -> Option<String> {
        self.documented
            .contains(file)
            .then(|| format!("documents.html#{}", doc_anchor(file)))
    }

    fn item(&self, f: &Finding) -> Item {
        Item {
            code: f.code,
            severity: severity(f.severity),
            message: f.message.clone(),
            help: f.help.clone(),
            clause: f.clause.clone(),
            file: f.location.as_ref().map(|l| l.file.clone()),
            line: f.location.as_ref().and_then(|l| l.pos.map(|p| p.line)),
            href: f.location.as_ref().and_then(|l| self.href(l)),
        }
    }
}

fn short(commit: &str) -> String {
    crate::diag::short_id(commit).to_string()
}

pub fn build(i: &Inputs<'_>) -> Pack {
    let plan = i.plan;
    let a = i.assessment;
    let mut b = Builder {
        i,
        anchors: BTreeMap::new(),
        rows: BTreeMap::new(),
        table_page: BTreeMap::new(),
        evidence_files: BTreeMap::new(),
        documented: register::documents(plan)
            .into_iter()
            .map(|d| d.path)
            .collect(),
        needs_approval: crate::check::control::needs_approval(plan)
            .into_iter()
            .collect(),
        people_by_email: people_by_email(plan),
    };
    let narratives = narratives(&mut b);
    place_records(&mut b);
    let evidence = evidence_docs(&mut b);
    let findings: Vec<Item> = a.findings.iter().map(|f| b.item(f)).collect();
    let clauses: Vec<ClauseRow> = a
        .clauses
        .iter()
        .map(|c| b.clause_row(c, &findings))
        .collect();
    let stages = stage_pages(&b, narratives);
    let registers: Vec<Table> = tables::REGISTERS
        .iter()
        .filter_map(|name| kinds::by_name(name))
        .filter(|k| plan.has_file(k.name) && k.file.starts_with("registers/"))
        .map(|k| b.table(k))
        .collect();
    let documents: Vec<DocumentEntry> = register::documents(plan)
        .into_iter()
        .map(|d| b.document_entry(d))
        .collect();
    let overdue = findings
        .iter()
        .filter(|f| Code::OVERDUE.contains(&f.code))
        .cloned()
        .collect();
    let parties = party_infos(plan);
    let signatures = signatures(plan, &parties);
    let (charts, operating) = charts::charts_for(plan, a, &stages);
    let stage_no = plan.manifest.stage();
    Pack {
        provenance: i.provenance.clone(),
        plan: PlanInfo {
            id: plan.manifest.id.get_ref().clone(),
            title: plan.manifest.title.clone(),
            kind: a.plan.kind.to_string(),
            stage: stage_no,
            stage_name: kinds::STAGES
                .iter()
                .find(|s| s.no == stage_no)
                .map(|s| s.name.to_string())
                .unwrap_or_default(),
            parties,
        },
        today: a.today.to_string(),
        summary: summary(a),
        stages,
        clauses,
        registers,
        documents,
        evidence,
        history: i.history.map(|h| HistoryInfo {
            commits: h.commits,
            shallow: h.shallow,
            folder: Some(h.prefix.trim_end_matches('/'))
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        }),
        overdue,
        waivers: waiver_rows(plan, i.checklist),
        signatures,
        findings,
        charts,
        operating,
    }
}

/// The narratives rendered, by stage. Rendered first: their heading anchors
/// are link targets.
fn narratives(b: &mut Builder<'_>) -> BTreeMap<u8, Narrative> {
    let plan = b.i.plan;
    let mut narratives: BTreeMap<u8, Narrative> = BTreeMap::new();
    for doc in plan.documents.values() {
        let text = plan.texts.get(&doc.path).cloned().unwrap_or_default();
        let r = markdown::render(&text);
        let mut map = BTreeMap::new();
        for (heading, anchor) in &r.headings {
            if let Some(clause) = crate::plan::document::clause_number(heading) {
                map.entry(clause).or_insert_with(|| anchor.clone());
            }
        }
        b.anchors.insert(doc.path.clone(), map);
        narratives.insert(
            doc.stage,
            Narrative {
                path: doc.path.clone(),
                id: doc.front.id.clone(),
                title: doc.front.title.clone(),
                owner: doc.front.owner.as_ref().map(|o| o.value.clone()),
                status: doc.front.status.map(|s| format!("{s:?}").to_lowercase()),
                review_by: doc.front.review_by.map(|d| d.to_string()),
                html: r.html,
                markdown: markdown::for_pack(&text, 3),
                blocks: super::blocks::of(&text, 1),
                approval: b.approval_label(&doc.path),
                doc_anchor: doc_anchor(&doc.path),
            },
        );
    }

    narratives
}

/// Where each record kind is shown, and the anchor of each record's row.
fn place_records(b: &mut Builder<'_>) {
    let plan = b.i.plan;
    for k in kinds::KINDS.iter().filter(|k| plan.has_file(k.name)) {
        let page = match k.file.split('/').next() {
            Some("registers") => "registers.html".to_string(),
            Some(folder) => kinds::STAGES
                .iter()
                .find(|s| s.folder == folder)
                .map(|s| stage_page(s.no))
                .unwrap_or_else(|| "registers.html".to_string()),
            None => "registers.html".to_string(),
        };
        b.table_page.insert(k.file.to_string(), page);
        let rows = plan
            .views(k.name)
            .iter()
            .enumerate()
            .map(|(n, v)| {
                let id = v.id.map_or_else(|| (n + 1).to_string(), str::to_string);
                (v.pos.line, format!("rec-{}-{}", k.name, slug(&id)))
            })
            .collect();
        b.rows.insert(k.file.to_string(), rows);
    }
}

/// The Markdown documents that [evidence] points at, shown in the pack.
fn evidence_docs(b: &mut Builder<'_>) -> Vec<EvidenceDoc> {
    let (plan, i) = (b.i.plan, b.i);
    let mut evidence: Vec<EvidenceDoc> = Vec::new();
    for (clause, paths) in &plan.manifest.evidence {
        for p in paths.get_ref() {
            let path = p.get_ref().clone();
            if let Some(e) = evidence.iter_mut().find(|e| e.path == path) {
                e.clauses.push(clause.clone());
                continue;
            }
            if !path.ends_with(".md") {
                continue;
            }
            // A document that cannot be read (outside the plan, too large,
            // not UTF-8) is listed with the reason, never silently left out.
            let (html, markdown, note) = match (i.read)(&path) {
                Ok(text) => (
                    markdown::render(&text).html,
                    markdown::for_pack(&text, 3),
                    None,
                ),
                Err(why) => (String::new(), String::new(), Some(why)),
            };
            let anchor = format!("ev-{}", slug(&path));
            b.evidence_files.insert(path.clone(), anchor.clone());
            evidence.push(EvidenceDoc {
                anchor,
                html,
                markdown,
                note,
                clauses: vec![clause.clone()],
                doc_anchor: doc_anchor(&path),
                approval: b.approval_label(&path),
                path,
            });
        }
    }
    evidence
}

impl Builder<'_> {
    /// A clause's row of the matrix: its evidence, the last change to it,
    /// its approval and its findings.
    fn clause_row(&self, c: &crate::check::ClauseResult, findings: &[Item]) -> ClauseRow {
        let req = self.i.checklist.get(&c.clause);
        let mut files: Vec<&str> = Vec::new();
        let evidence: Vec<EvidenceLink> = c
            .evidence
            .iter()
            .map(|loc| {
                if !files.contains(&loc.file.as_str()) {
                    files.push(&loc.file);
                }
                let line = loc.pos.map(|p| p.line);
                EvidenceLink {
                    label: match line {
                        Some(l) => format!("{}:{l}", loc.file),
                        None => loc.file.clone(),
                    },
                    href: self.href(loc),
                    file: loc.file.clone(),
                    line,
                    doc_href: self.doc_href(&loc.file),
                    approval: self.approval_label(&loc.file),
                }
            })
            .collect();
        // The latest change to any of the clause's evidence.
        let last_change = files
            .iter()
            .filter_map(|f| {
                let r = self.file_history(f)?.revisions.first()?;
                Some((r.time, f, r))
            })
            .max_by_key(|(t, ..)| *t)
            .map(|(_, f, r)| Change {
                date: r.date.to_string(),
                author: self.author(r),
                commit: short(&r.commit),
                file: f.to_string(),
            });
        // Approval matters for documents (narratives, existing documents);
        // record files are controlled by their history alone.
        let approvable: Vec<&str> = files
            .iter()
            .copied()
            .filter(|f| {
                self.i.plan.documents.values().any(|d| d.path == *f)
                    || self.evidence_files.contains_key(*f)
            })
            .collect();
        let approval = match approvable.as_slice() {
            [] => None,
            [one] => Some(self.approval_label(one)),
            many => {
                let approved = many
                    .iter()
                    .filter(|f| matches!(self.approval_of(f), ApprovalState::Approved { .. }))
                    .count();
                Some(format!("{approved} of {} documents approved", many.len()))
            }
        };
        ClauseRow {
            clause: c.clause.clone(),
            anchor: format!("clause-{}", slug(&c.clause)),
            stage: c.stage,
            iso44001: crate::checklist::iso44001::stage(c.stage).map(|s| s.short()),
            title: c.title.clone(),
            requirement: req
                .map(|r| r.requirement.trim().to_string())
                .unwrap_or_default(),
            status: c.status.label(),
            status_class: status_class(c.status),
            note: c.note.clone(),
            evidence,
            last_change,
            approval,
            findings: c
                .findings
                .iter()
                .filter_map(|n| findings.get(*n).cloned())
                .collect(),
        }
    }

    /// A document of the document control register, with its revisions and approvals.
    fn document_entry(&self, d: register::Controlled) -> DocumentEntry {
        let fh = self.file_history(&d.path);
        let state = self.approval_of(&d.path);
        let needed = self.needs_approval.contains(&d.path);
        let plan = self.i.plan;
        let front = plan
            .documents
            .values()
            .find(|x| x.path == d.path)
            .map(|x| &x.front);
        let review_by = front.and_then(|f| f.review_by);
        let href = if let Some(doc) = self.i.plan.documents.values().find(|x| x.path == d.path) {
            Some(stage_page(doc.stage))
        } else if let Some(p) = self.table_page.get(&d.path) {
            Some(format!("{p}#table-{}", slug(&d.path)))
        } else {
            self.evidence_files
                .get(&d.path)
                .map(|a| format!("evidence.html#{a}"))
        };
        DocumentEntry {
            anchor: doc_anchor(&d.path),
            revisions: fh
                .map(|f| {
                    f.revisions
                        .iter()
                        .map(|r| RevisionRow {
                            commit: r.commit.clone(),
                            short: short(&r.commit),
                            date: r.date.to_string(),
                            author: self.author(r),
                            summary: r.summary.clone(),
                            renamed_from: (r.path != d.path).then(|| r.path.clone()),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            approvals: fh
                .map(|f| {
                    f.approvals
                        .iter()
                        .map(|x| ApprovalRow {
                            short: short(&x.commit),
                            date: x.date.to_string(),
                            by: x.by.clone(),
                            role: x.role.clone(),
                            blob: short(&x.blob),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            version: fh.map(|f| {
                let changed = matches!(state, ApprovalState::ChangedSinceApproval { .. });
                f.version(Some(self.i.assessment.today), changed)
            }),
            state: match (&state, self.i.history) {
                (_, None) => "unverified",
                (ApprovalState::Approved { .. }, _) => "approved",
                (ApprovalState::ChangedSinceApproval { .. }, _) => "changed",
                (ApprovalState::NeverApproved, _) if !needed => "not-needed",
                (ApprovalState::NeverApproved, _) => "never",
            },
            approval: match (&state, self.i.history) {
                (ApprovalState::NeverApproved, Some(_)) if !needed => {
                    "not approved; none needed".to_string()
                }
                _ => self.approval_label(&d.path),
            },
            href,
            path: d.path,
            id: d.id,
            title: d.title,
            owner: d.owner.map(|o| person_name(plan, &o)),
            approver: front.and_then(|f| f.approver.clone()),
            review_by: review_by.map(|r| r.to_string()),
            review_overdue: review_by.is_some_and(|r| r < self.i.assessment.today),
        }
    }
}

/// A page per stage that applies, with its narrative and record tables.
fn stage_pages(b: &Builder<'_>, mut narratives: BTreeMap<u8, Narrative>) -> Vec<StagePage> {
    let (plan, a) = (b.i.plan, b.i.assessment);
    let applies = |n: u8| {
        a.clauses
            .iter()
            .any(|c| c.stage == n && c.status != Status::NotApplicable)
    };
    let mut stages: Vec<StagePage> = Vec::new();
    for s in kinds::STAGES {
        let tables = kinds::KINDS
            .iter()
            .filter(|k| plan.has_file(k.name) && k.file.starts_with(&format!("{}/", s.folder)))
            .map(|k| b.table(k))
            .collect();
        stages.push(StagePage {
            number: s.no,
            name: s.name.to_string(),
            iso44001: crate::checklist::iso44001::stage(s.no).map(|i| i.label()),
            page: applies(s.no).then(|| stage_page(s.no)),
            counts: counts(a, Some(s.no)),
            document: narratives.remove(&s.no),
            tables,
        });
    }
    stages
}

fn waiver_rows(plan: &Plan, checklist: &Checklist) -> Vec<WaiverRow> {
    plan.manifest
        .waivers
        .iter()
        .map(|(clause, w)| {
            let w = w.get_ref();
            WaiverRow {
                clause: clause.clone(),
                title: checklist
                    .get(clause)
                    .map(|r| r.title.clone())
                    .unwrap_or_default(),
                reason: w.reason.clone().unwrap_or_default(),
                approved_by: w
                    .approved_by
                    .as_ref()
                    .map(|p| person_name(plan, p.get_ref()))
                    .unwrap_or_default(),
                date: w.date.map(|d| d.to_string()).unwrap_or_default(),
            }
        })
        .collect()
}

fn party_infos(plan: &Plan) -> Vec<PartyInfo> {
    plan.manifest
        .parties
        .iter()
        .map(|p| PartyInfo {
            id: p.id.get_ref().clone(),
            name: p.name.clone(),
            ser: p.ser.as_ref().map(|s| person_name(plan, s.get_ref())),
        })
        .collect()
}

fn summary(a: &Assessment) -> Summary {
    let count_sev = |s: Severity| a.findings.iter().filter(|f| f.severity == s).count();
    Summary {
        counts: counts(a, None),
        due: a.due(),
        met: a.count(Status::Met),
        errors: count_sev(Severity::Error),
        warnings: count_sev(Severity::Warning),
        notes: count_sev(Severity::Note),
        passes: !a.fails(false),
    }
}

fn people_by_email(plan: &Plan) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for p in plan.records.people.iter().map(|p| &p.value) {
        if let (Some(email), Some(name)) = (&p.email, &p.name) {
            let email = email.trim().to_lowercase();
            if !email.is_empty() {
                out.entry(email)
                    .or_insert_with(|| format!("{name} ({})", p.id.value));
            }
        }
    }
    out
}

fn person_name(plan: &Plan, id: &str) -> String {
    match plan.person(id).and_then(|p| p.name.clone()) {
        Some(name) => format!("{name} ({id})"),
        None => id.to_string(),
    }
}

/// One signature block per party's SER; a plan without parties (a corporate
/// plan) signs with the SERs its appointments name.
fn signatures(plan: &Plan, parties: &[PartyInfo]) -> Vec<Signature> {
    let mut out: Vec<Signature> = parties
        .iter()
        .map(|p| Signature {
            party: p.name.clone(),
            name: p.ser.clone().unwrap_or_default(),
            role: "Senior executive responsible".into(),
        })
        .collect();
    if out.is_empty() {
        for s in &plan.records.ser {
            if let Some(person) = &s.value.person {
                out.push(Signature {
                    party: plan.manifest.title.clone(),
                    name: person_name(plan, &person.value),
                    role: "Senior executive responsible".into(),
                });
            }
        }
    }
    if out.is_empty() {
        out.push(Signature {
            party: plan.manifest.title.clone(),
            name: String::new(),
            role: "Senior executive responsible".into(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_ids() {
        assert_eq!(slug("3.2"), "3-2");
        assert_eq!(slug("registers/risks.yaml"), "registers-risks-yaml");
        assert_eq!(slug("<a b=\"c\">"), "a-b-c");
        assert_eq!(
            doc_anchor("01-awareness/README.md"),
            "doc-01-awareness-readme-md"
        );
    }
}
