//! A plan as loaded from its files: the manifest, the stage narratives and the
//! typed records, each with its place in its file.

pub mod date;
pub mod document;
pub mod kinds;
pub mod manifest;
mod parse;
pub mod records;
mod refs;
pub mod source;
pub mod split;
pub mod view;
pub mod yaml;

use crate::code::Code;
use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_saphyr::Spanned;

use crate::diag::{Finding, Location, Pos};
use crate::error::{Error, Result};
pub use document::Document;
pub use kinds::{KINDS, KindInfo, STAGES, StageInfo};
pub use manifest::{Manifest, PlanKind};
use records::*;
pub use refs::{RefKind, References};
use source::{EntryKind, Source};
pub use view::{OwnedView, RecordView};

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
    pub meetings: Vec<Spanned<Meeting>>,
    pub lessons: Vec<Spanned<Lesson>>,
}

#[derive(Debug)]
pub struct Plan {
    pub root: PathBuf,
    pub manifest: Manifest,
    /// The narrative of each stage that has one, by stage number.
    pub documents: BTreeMap<u8, Document>,
    pub records: Records,
    /// Which record files exist.
    pub files_present: Vec<&'static str>,
    /// The text of every file read, for snippets in messages.
    pub texts: BTreeMap<String, String>,
    /// Warnings found while loading (unknown files, misplaced sections).
    pub load_findings: Vec<Finding>,
}

impl Plan {
    /// The records of one kind, seen generically.
    pub fn views(&self, kind: &str) -> Vec<RecordView<'_>> {
        self.records.views(kind)
    }

    /// Forgets the text of every file but the narratives. The text is kept
    /// for snippets in messages; once the report is made, the pack needs
    /// only the narratives' (at four times the bench's reference size the
    /// registers' text is 61 MB).
    pub fn keep_narrative_texts(&mut self) {
        let narratives: std::collections::BTreeSet<&str> =
            self.documents.values().map(|d| d.path.as_str()).collect();
        self.texts
            .retain(|path, _| narratives.contains(path.as_str()));
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
                Code::NotUtf8,
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

pub(crate) fn record_pos<T>(s: &Spanned<T>) -> Pos {
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
    Meeting,
    Lesson,
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
        Ok(if self.keep_text(file)? {
            self.texts.get(file).cloned()
        } else {
            None
        })
    }

    /// Reads a file into `texts` (a register's text is held once, there),
    /// and says whether it could.
    fn keep_text(&mut self, file: &str) -> Result<bool> {
        match self.source.kind(file) {
            EntryKind::Missing => return Ok(false),
            EntryKind::Symlink => {
                self.errors.push(symlink_refused(file));
                return Ok(false);
            }
            EntryKind::Dir => {
                self.errors.push(
                    Finding::error(Code::InvalidRecord, "expected a file here, found a folder")
                        .in_file(file, None),
                );
                return Ok(false);
            }
            EntryKind::File => {}
        }
        match decode(file, self.source.read(file)?) {
            Ok(text) => {
                self.texts.insert(file.to_string(), text);
                Ok(true)
            }
            Err(f) => {
                self.errors.push(f);
                Ok(false)
            }
        }
    }
}

pub(crate) fn symlink_refused(file: &str) -> Finding {
    Finding::error(
        Code::SymlinkRefused,
        "this is a symbolic link; bsrmp does not follow links, which could lead out of the plan",
    )
    .help("replace the link with the file itself")
    .in_file(file, None)
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
    let manifest = ld.manifest()?;
    let (documents, record_files) = ld.files()?;

    let mut records = Records::default();
    let files_present = record_files.iter().map(|(k, _)| k.name).collect();
    let record_texts: Vec<(&'static KindInfo, &str)> = record_files
        .iter()
        .filter_map(|(k, file)| Some((*k, ld.texts.get(file)?.as_str())))
        .collect();
    let parsed_all = parse::all(&record_texts);
    for parsed in parsed_all {
        ld.errors.extend(parsed.errors);
        (parsed.store)(&mut records);
    }

    let Some(manifest) = manifest.filter(|_| ld.errors.is_empty()) else {
        ld.errors.sort_by(|a, b| a.location.cmp(&b.location));
        return Err(Error::InvalidPlan {
            findings: ld.errors,
            texts: ld.texts,
        });
    };

    Ok(Plan {
        root,
        manifest,
        documents,
        records,
        files_present,
        texts: ld.texts,
        load_findings: ld.warnings,
    })
}

/// The narratives of the stage folders, and each record file's kind and
/// path (its text is in `texts`).
type Files = (BTreeMap<u8, Document>, Vec<(&'static KindInfo, String)>);

impl Loader<'_> {
    /// rmp.toml, with its party ids checked; `None` when it cannot be read.
    fn manifest(&mut self) -> Result<Option<manifest::Manifest>> {
        let manifest = match self.read_text(manifest::FILE)? {
            Some(text) => match manifest::parse(&text) {
                Ok(m) => Some(m),
                Err(f) => {
                    self.errors.push(f);
                    None
                }
            },
            None => None,
        };

        if let (Some(m), Some(text)) = (&manifest, self.texts.get(manifest::FILE)) {
            let mut seen = std::collections::HashSet::new();
            for p in &m.parties {
                if !seen.insert(p.id.get_ref().as_str()) {
                    let pos = manifest::pos_at(text, p.id.span().start);
                    self.errors.push(
                        Finding::error(
                            Code::DuplicateId,
                            format!("party id `{}` is used twice", p.id.get_ref()),
                        )
                        .help("give each party of the plan its own id")
                        .in_file(manifest::FILE, Some(pos)),
                    );
                }
            }
        }
        Ok(manifest)
    }

    /// Every narrative parsed, and the text of every record file.
    fn files(&mut self) -> Result<Files> {
        let source = self.source;
        let mut documents = BTreeMap::new();
        let mut record_files: Vec<(&'static KindInfo, String)> = Vec::new();
        let mut folders: Vec<(String, Option<u8>)> = STAGES
            .iter()
            .map(|s| (s.folder.to_string(), Some(s.no)))
            .collect();
        folders.push((kinds::REGISTERS.to_string(), None));
        for (folder, stage) in folders {
            match source.kind(&folder) {
                EntryKind::Dir => {}
                EntryKind::Symlink => {
                    self.errors.push(symlink_refused(&folder));
                    continue;
                }
                _ => continue,
            }
            for entry in source.list(&folder)? {
                let file = format!("{folder}/{}", entry.name);
                let is_yaml = entry.name.ends_with(".yaml") || entry.name.ends_with(".yml");
                let is_narrative = stage.is_some() && entry.name == kinds::NARRATIVE;
                if entry.kind == EntryKind::Symlink && (is_yaml || is_narrative) {
                    self.errors.push(symlink_refused(&file));
                    continue;
                }
                if entry.kind != EntryKind::File {
                    continue;
                }
                if is_narrative {
                    if let Some(doc) = self.narrative(&file, stage.unwrap_or(1))? {
                        documents.insert(doc.stage, doc);
                    }
                } else if is_yaml {
                    match kinds::by_file(&file) {
                        Some(kind) => {
                            if self.keep_text(&file)? {
                                record_files.push((kind, file));
                            }
                        }
                        None => self.warnings.push(unknown_file(&file)),
                    }
                }
            }
        }

        Ok((documents, record_files))
    }

    /// A stage's narrative, with a warning for each clause section that
    /// belongs to another stage; `None` when it cannot be read.
    fn narrative(&mut self, file: &str, stage: u8) -> Result<Option<Document>> {
        let Some(text) = self.read_text(file)? else {
            return Ok(None);
        };
        let is_clause = |n: &str| (self.clause_stage)(n).is_some();
        let _reading = crate::memory::reading(file);
        match document::parse(file, stage, &text, &is_clause) {
            Ok(doc) => {
                for h in &doc.headings {
                    if let Some(n) = &h.number
                        && let Some(s) = (self.clause_stage)(n)
                        && s != stage
                    {
                        self.warnings.push(
                                    Finding::warning(
                                        Code::SectionMisplaced,
                                        format!(
                                            "clause {n} belongs to stage {s}, but this is the stage {stage} narrative"
                                        ),
                                    )
                                    .help(format!(
                                        "move the section to {}/README.md",
                                        kinds::stage(s).folder
                                    ))
                                    .in_file(file, Some(Pos::new(h.line, 1))),
                                );
                    }
                }
                return Ok(Some(doc));
            }
            Err(f) => self.errors.push(f),
        }
        Ok(None)
    }
}

fn unknown_file(file: &str) -> Finding {
    let known: Vec<&str> = KINDS.iter().map(|k| k.file).collect();
    Finding::warning(
        Code::UnknownFile,
        "bsrmp does not know this YAML file, so nothing in it counts as evidence",
    )
    .help(format!(
        "record files have fixed names: {}; put other documents under evidence/ and point at them from [evidence] in rmp.toml",
        known.join(", ")
    ))
    .at(Location::file(file))
}
