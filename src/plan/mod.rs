//! A plan as loaded from its files: the manifest, the stage narratives and the
//! typed records, each with its place in its file.

pub mod date;
pub mod document;
pub mod kinds;
pub mod manifest;
pub mod records;
mod refs;
pub mod source;
pub mod yaml;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diag::{Finding, Location, Pos};
use crate::error::{Error, Result};
pub use document::Document;
pub use kinds::{KINDS, KindInfo, STAGES, StageInfo};
pub use manifest::{Manifest, PlanKind};
use records::*;
pub use refs::{RefKind, References};
use source::{EntryKind, Source};

/// Every record of the plan, typed.
#[derive(Debug, Default)]
pub struct Records {
    pub people: Vec<Spanned<Person>>,
    pub ser: Vec<Spanned<SerAppointment>>,
    pub relationships: Vec<Spanned<Relationship>>,
    pub objectives: Vec<Spanned<Objective>>,
    pub skills: Vec<Spanned<Skill>>,
    pub risks: Vec<Spanned<Risk>>,
    pub actions: Vec<Spanned<Action>>,
    pub issues: Vec<Spanned<Issue>>,
    pub reviews: Vec<Spanned<SerReview>>,
    pub assessments: Vec<Spanned<Assessment>>,
    pub value: Vec<Spanned<ValueInitiative>>,
    pub audits: Vec<Spanned<Audit>>,
    pub knowledge: Vec<Spanned<KnowledgeArea>>,
    pub exit: Option<Spanned<ExitStrategy>>,
    pub maturity: Option<Spanned<Maturity>>,
    pub criteria: Vec<Spanned<Criterion>>,
    pub candidates: Vec<Spanned<Candidate>>,
    pub governance: Option<Spanned<Governance>>,
    pub stakeholders: Vec<Spanned<Stakeholder>>,
    pub kpis: Vec<Spanned<Kpi>>,
    pub decisions: Vec<Spanned<JointDecision>>,
}

/// One record seen generically, for the checklist's rules.
#[derive(Debug, Clone)]
pub struct RecordView {
    pub id: Option<String>,
    pub pos: Pos,
    pub value: serde_json::Value,
}

#[derive(Debug)]
pub struct Plan {
    pub root: PathBuf,
    pub manifest: Manifest,
    /// The narrative of each stage that has one, by stage number.
    pub documents: BTreeMap<u8, Document>,
    pub records: Records,
    /// Generic views of the records, by kind name.
    pub views: HashMap<&'static str, Vec<RecordView>>,
    /// Which record files exist.
    pub files_present: Vec<&'static str>,
    /// The text of every file read, for snippets in messages.
    pub texts: BTreeMap<String, String>,
    /// Warnings found while loading (unknown files, misplaced sections).
    pub load_findings: Vec<Finding>,
}

impl Plan {
    pub fn views(&self, kind: &str) -> &[RecordView] {
        self.views.get(kind).map_or(&[], Vec::as_slice)
    }

    pub fn has_file(&self, kind: &str) -> bool {
        self.files_present.contains(&kind)
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.records
            .people
            .iter()
            .map(|p| &p.value)
            .find(|p| p.id.value == id)
    }

    pub fn party_ids(&self) -> Vec<&str> {
        self.manifest
            .parties
            .iter()
            .map(|p| p.id.get_ref().as_str())
            .collect()
    }
}

/// Turns file bytes into text: drops a byte-order mark, refuses what is not UTF-8.
pub fn decode(file: &str, bytes: Vec<u8>) -> std::result::Result<String, Finding> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let text = String::from_utf8_lossy(valid);
            let pos = manifest::pos_at(&text, text.len());
            Err(Finding::error(
                "not-utf8",
                "the file is not UTF-8 text (the byte here is not valid UTF-8)",
            )
            .help("save the file as UTF-8 in your editor")
            .in_file(file, Some(pos)))
        }
    }
}

/// True for a YAML file with nothing but comments and blank lines.
fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---"
    })
}

fn record_pos<T>(s: &Spanned<T>) -> Pos {
    yaml::pos_of(&s.referenced, 0)
}

trait HasId {
    fn id(&self) -> &Ref;
}

macro_rules! has_id {
    ($($t:ty),*) => { $(impl HasId for $t { fn id(&self) -> &Ref { &self.id } })* };
}
has_id!(
    Person,
    JointDecision,
    SerAppointment,
    Relationship,
    Objective,
    Skill,
    Risk,
    Action,
    Issue,
    SerReview,
    Assessment,
    ValueInitiative,
    Audit,
    KnowledgeArea,
    Criterion,
    Candidate,
    Stakeholder,
    Kpi
);

struct Loader<'a> {
    source: &'a dyn Source,
    clause_stage: &'a dyn Fn(&str) -> Option<u8>,
    errors: Vec<Finding>,
    warnings: Vec<Finding>,
    texts: BTreeMap<String, String>,
}

impl Loader<'_> {
    fn read_text(&mut self, file: &str) -> Result<Option<String>> {
        match self.source.kind(file) {
            EntryKind::Missing => return Ok(None),
            EntryKind::Symlink => {
                self.errors.push(symlink_refused(file));
                return Ok(None);
            }
            EntryKind::Dir => {
                self.errors.push(
                    Finding::error("invalid-record", "expected a file here, found a folder")
                        .in_file(file, None),
                );
                return Ok(None);
            }
            EntryKind::File => {}
        }
        match decode(file, self.source.read(file)?) {
            Ok(text) => {
                self.texts.insert(file.to_string(), text.clone());
                Ok(Some(text))
            }
            Err(f) => {
                self.errors.push(f);
                Ok(None)
            }
        }
    }

    fn list<T>(&mut self, file: &str, text: &str, key: &'static str) -> Vec<Spanned<T>>
    where
        T: for<'de> Deserialize<'de> + HasId,
    {
        self.single(file, text, key).unwrap_or_default()
    }

    fn single<V>(&mut self, file: &str, text: &str, key: &'static str) -> Option<V>
    where
        V: for<'de> Deserialize<'de>,
    {
        if is_blank_yaml(text) {
            return None;
        }
        match yaml::parse_keyed(file, text, key) {
            Ok(v) => v,
            Err(f) => {
                self.errors.push(f);
                None
            }
        }
    }

    fn check_ids<T: HasId>(&mut self, file: &str, noun: &str, items: &[Spanned<T>]) {
        let mut seen: HashMap<&str, Pos> = HashMap::with_capacity(items.len());
        for item in items {
            let id = item.value.id();
            let pos = yaml::pos_of(&id.referenced, 0);
            if id.value.trim().is_empty() {
                self.errors.push(
                    Finding::error("invalid-record", format!("a {noun} has an empty id"))
                        .help("give every record a short, unique id, such as R-12")
                        .in_file(file, Some(pos)),
                );
            } else if let Some(first) = seen.insert(&id.value, pos) {
                self.errors.push(
                    Finding::error(
                        "duplicate-id",
                        format!(
                            "{noun} id `{}` is used twice (first at line {})",
                            id.value, first.line
                        ),
                    )
                    .help("give every record its own id")
                    .in_file(file, Some(pos)),
                );
            }
        }
    }
}

pub(crate) fn symlink_refused(file: &str) -> Finding {
    Finding::error(
        "symlink-refused",
        "this is a symbolic link; bsrmp does not follow links, which could lead out of the plan",
    )
    .help("replace the link with the file itself")
    .in_file(file, None)
}

fn views_of<T: serde::Serialize + HasId>(items: &[Spanned<T>]) -> Vec<RecordView> {
    items
        .iter()
        .map(|s| RecordView {
            id: Some(s.value.id().value.clone()),
            pos: record_pos(s),
            value: serde_json::to_value(&s.value).unwrap_or_default(),
        })
        .collect()
}

fn view_of_single<T: serde::Serialize>(item: &Option<Spanned<T>>) -> Vec<RecordView> {
    item.iter()
        .map(|s| RecordView {
            id: None,
            pos: record_pos(s),
            value: serde_json::to_value(&s.value).unwrap_or_default(),
        })
        .collect()
}

/// Loads a plan. `clause_stage` gives the stage of a checklist clause, so that
/// headings can be recognised as clause sections.
///
/// Content that cannot be read (bad YAML, wrong types, duplicate ids, text that
/// is not UTF-8) is returned all at once as [`Error::InvalidPlan`].
pub fn load(source: &dyn Source, clause_stage: &dyn Fn(&str) -> Option<u8>) -> Result<Plan> {
    let root = source.root().to_path_buf();
    match source.kind(manifest::FILE) {
        EntryKind::Missing | EntryKind::Dir => return Err(Error::NotAPlan { path: root }),
        _ => {}
    }
    let mut ld = Loader {
        source,
        clause_stage,
        errors: Vec::new(),
        warnings: Vec::new(),
        texts: BTreeMap::new(),
    };
    let manifest = match ld.read_text(manifest::FILE)? {
        Some(text) => match manifest::parse(&text) {
            Ok(m) => Some(m),
            Err(f) => {
                ld.errors.push(f);
                None
            }
        },
        None => None,
    };

    if let (Some(m), Some(text)) = (&manifest, ld.texts.get(manifest::FILE)) {
        let mut seen = std::collections::HashSet::new();
        for p in &m.parties {
            if !seen.insert(p.id.get_ref().as_str()) {
                let pos = manifest::pos_at(text, p.id.span().start);
                ld.errors.push(
                    Finding::error(
                        "duplicate-id",
                        format!("party id `{}` is used twice", p.id.get_ref()),
                    )
                    .help("give each party of the plan its own id")
                    .in_file(manifest::FILE, Some(pos)),
                );
            }
        }
    }
    let mut documents = BTreeMap::new();
    let mut record_texts: Vec<(&'static KindInfo, String)> = Vec::new();
    let mut folders: Vec<(String, Option<u8>)> = STAGES
        .iter()
        .map(|s| (s.folder.to_string(), Some(s.no)))
        .collect();
    folders.push((kinds::REGISTERS.to_string(), None));
    for (folder, stage) in folders {
        match source.kind(&folder) {
            EntryKind::Dir => {}
            EntryKind::Symlink => {
                ld.errors.push(symlink_refused(&folder));
                continue;
            }
            _ => continue,
        }
        for entry in source.list(&folder)? {
            let file = format!("{folder}/{}", entry.name);
            let is_yaml = entry.name.ends_with(".yaml") || entry.name.ends_with(".yml");
            let is_narrative = stage.is_some() && entry.name == kinds::NARRATIVE;
            if entry.kind == EntryKind::Symlink && (is_yaml || is_narrative) {
                ld.errors.push(symlink_refused(&file));
                continue;
            }
            if entry.kind != EntryKind::File {
                continue;
            }
            if is_narrative {
                let stage = stage.unwrap_or(1);
                let Some(text) = ld.read_text(&file)? else {
                    continue;
                };
                let is_clause = |n: &str| (ld.clause_stage)(n).is_some();
                match document::parse(&file, stage, &text, &is_clause) {
                    Ok(doc) => {
                        for h in &doc.headings {
                            if let Some(n) = &h.number
                                && let Some(s) = (ld.clause_stage)(n)
                                && s != stage
                            {
                                ld.warnings.push(
                                    Finding::warning(
                                        "section-misplaced",
                                        format!(
                                            "clause {n} belongs to stage {s}, but this is the stage {stage} narrative"
                                        ),
                                    )
                                    .help(format!(
                                        "move the section to {}/README.md",
                                        kinds::stage(s).folder
                                    ))
                                    .in_file(&file, Some(Pos::new(h.line, 1))),
                                );
                            }
                        }
                        documents.insert(stage, doc);
                    }
                    Err(f) => ld.errors.push(f),
                }
            } else if is_yaml {
                match kinds::by_file(&file) {
                    Some(kind) => {
                        if let Some(text) = ld.read_text(&file)? {
                            record_texts.push((kind, text));
                        }
                    }
                    None => ld.warnings.push(unknown_file(&file)),
                }
            }
        }
    }

    let mut records = Records::default();
    let mut files_present = Vec::new();
    for (kind, text) in &record_texts {
        files_present.push(kind.name);
        let (f, k) = (kind.file, kind.key);
        macro_rules! list {
            ($field:ident) => {{
                records.$field = ld.list(f, text, k);
                ld.check_ids(f, kind.noun, &records.$field);
            }};
        }
        match kind.name {
            "people" => list!(people),
            "ser" => list!(ser),
            "relationships" => list!(relationships),
            "objectives" => list!(objectives),
            "skills" => list!(skills),
            "risks" => list!(risks),
            "actions" => list!(actions),
            "issues" => list!(issues),
            "reviews" => list!(reviews),
            "assessments" => list!(assessments),
            "value" => list!(value),
            "audits" => list!(audits),
            "knowledge" => list!(knowledge),
            "criteria" => list!(criteria),
            "candidates" => list!(candidates),
            "stakeholders" => list!(stakeholders),
            "kpis" => list!(kpis),
            "decisions" => list!(decisions),
            "exit" => records.exit = ld.single(f, text, k),
            "maturity" => records.maturity = ld.single(f, text, k),
            "governance" => records.governance = ld.single(f, text, k),
            other => unreachable!("kind {other} has no field"),
        }
    }

    let Some(manifest) = manifest.filter(|_| ld.errors.is_empty()) else {
        ld.errors.sort_by(|a, b| a.location.cmp(&b.location));
        return Err(Error::InvalidPlan {
            findings: ld.errors,
            texts: ld.texts,
        });
    };

    let mut views = HashMap::new();
    views.insert("people", views_of(&records.people));
    views.insert("ser", views_of(&records.ser));
    views.insert("relationships", views_of(&records.relationships));
    views.insert("objectives", views_of(&records.objectives));
    views.insert("skills", views_of(&records.skills));
    views.insert("risks", views_of(&records.risks));
    views.insert("actions", views_of(&records.actions));
    views.insert("issues", views_of(&records.issues));
    views.insert("reviews", views_of(&records.reviews));
    views.insert("assessments", views_of(&records.assessments));
    views.insert("value", views_of(&records.value));
    views.insert("audits", views_of(&records.audits));
    views.insert("knowledge", views_of(&records.knowledge));
    views.insert("criteria", views_of(&records.criteria));
    views.insert("candidates", views_of(&records.candidates));
    views.insert("stakeholders", views_of(&records.stakeholders));
    views.insert("kpis", views_of(&records.kpis));
    views.insert("decisions", views_of(&records.decisions));
    views.insert("exit", view_of_single(&records.exit));
    views.insert("maturity", view_of_single(&records.maturity));
    views.insert("governance", view_of_single(&records.governance));

    Ok(Plan {
        root,
        manifest,
        documents,
        records,
        views,
        files_present,
        texts: ld.texts,
        load_findings: ld.warnings,
    })
}

fn unknown_file(file: &str) -> Finding {
    let known: Vec<&str> = KINDS.iter().map(|k| k.file).collect();
    Finding::warning(
        "unknown-file",
        "bsrmp does not know this YAML file, so nothing in it counts as evidence",
    )
    .help(format!(
        "record files have fixed names: {}; put other documents under evidence/ and point at them from [evidence] in rmp.toml",
        known.join(", ")
    ))
    .at(Location::file(file))
}
