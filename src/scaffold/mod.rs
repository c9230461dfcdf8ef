//! `bsrmp init`: a new plan, ready to fill in, in a new git repository.
//!
//! Everything is written to a temporary folder beside the target and moved
//! into place at the end, so an interrupted `init` leaves nothing half-made.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minijinja::value::Serde;
use minijinja::{Environment, context};
use serde::Serialize;

use crate::checklist::{Checklist, explain};
use crate::error::{Error, Result};
use crate::plan::date::Date;
use crate::plan::manifest::{Intervals, PlanKind};
use crate::plan::source::FsSource;
use crate::plan::{self, kinds};
use crate::staging::Staging;

const MANIFEST: &str = include_str!("../../templates/scaffold/rmp.toml.j2");
const NARRATIVE: &str = include_str!("../../templates/scaffold/narrative.md.j2");
const EVIDENCE_README: &str = include_str!("../../templates/scaffold/evidence-README.md");

/// The record files `init` writes, by kind name, with their commented examples.
const RECORDS: &[(&str, &str)] = &[
    (
        "people",
        include_str!("../../templates/scaffold/records/people.yaml"),
    ),
    (
        "ser",
        include_str!("../../templates/scaffold/records/ser.yaml"),
    ),
    (
        "relationships",
        include_str!("../../templates/scaffold/records/segmentation.yaml"),
    ),
    (
        "objectives",
        include_str!("../../templates/scaffold/records/objectives.yaml"),
    ),
    (
        "skills",
        include_str!("../../templates/scaffold/records/skills.yaml"),
    ),
    (
        "risks",
        include_str!("../../templates/scaffold/records/risks.yaml"),
    ),
    (
        "actions",
        include_str!("../../templates/scaffold/records/actions.yaml"),
    ),
    (
        "issues",
        include_str!("../../templates/scaffold/records/issues.yaml"),
    ),
    (
        "reviews",
        include_str!("../../templates/scaffold/records/ser-reviews.yaml"),
    ),
    (
        "assessments",
        include_str!("../../templates/scaffold/records/assessments.yaml"),
    ),
    (
        "value",
        include_str!("../../templates/scaffold/records/value.yaml"),
    ),
    (
        "audits",
        include_str!("../../templates/scaffold/records/audits.yaml"),
    ),
    (
        "knowledge",
        include_str!("../../templates/scaffold/records/knowledge-map.yaml"),
    ),
    (
        "exit",
        include_str!("../../templates/scaffold/records/exit-strategy.yaml"),
    ),
    (
        "maturity",
        include_str!("../../templates/scaffold/records/maturity.yaml"),
    ),
    (
        "criteria",
        include_str!("../../templates/scaffold/records/selection-criteria.yaml"),
    ),
    (
        "candidates",
        include_str!("../../templates/scaffold/records/candidates.yaml"),
    ),
    (
        "governance",
        include_str!("../../templates/scaffold/records/governance.yaml"),
    ),
    (
        "stakeholders",
        include_str!("../../templates/scaffold/records/communications.yaml"),
    ),
    (
        "kpis",
        include_str!("../../templates/scaffold/records/measures.yaml"),
    ),
    (
        "meetings",
        include_str!("../../templates/scaffold/records/meetings.yaml"),
    ),
    (
        "lessons",
        include_str!("../../templates/scaffold/records/lessons.yaml"),
    ),
];

#[derive(Debug, Clone)]
pub struct InitOptions {
    pub dir: PathBuf,
    pub org: String,
    pub kind: PlanKind,
    /// The corporate plan a project plan starts from.
    pub from: Option<PathBuf>,
    pub id: Option<String>,
    pub today: Date,
}

#[derive(Debug)]
pub struct InitReport {
    pub dir: PathBuf,
    pub files: Vec<String>,
    pub commit: String,
    /// No git identity was configured, so the first commit names bsrmp.
    pub fallback_identity: bool,
    /// Temporary folders of interrupted runs, found beside the plan and removed.
    pub leftovers: Vec<PathBuf>,
    /// The git repository the new plan's folder lies inside, if any: the plan
    /// gets a repository of its own, which that one does not track.
    pub inside: Option<PathBuf>,
}

/// A lower-case id made of letters, digits and hyphens.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "org".to_string()
    } else {
        out
    }
}

fn wrap(text: String, width: usize) -> String {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.join("\n")
}

fn env() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
            .expect("syntax config"),
    );
    env.add_filter("wrap", wrap);
    // Templates are ours and compiled in; a failure is a build defect.
    env.add_template("rmp.toml", MANIFEST)
        .expect("manifest template");
    env.add_template("narrative.md", NARRATIVE)
        .expect("narrative template");
    env
}

#[derive(Serialize)]
struct PartyCtx {
    id: String,
    name: String,
    ser: String,
}

#[derive(Serialize)]
struct ReqCtx<'a> {
    clause: &'a str,
    title: &'a str,
    requirement: &'a str,
    guidance: &'a str,
    prompt: &'a str,
    evidence: Vec<String>,
}

/// Nothing may be in the way: a missing folder or an empty one.
/// A stage narrative with a section per clause, guidance in comments and
/// `TODO` prompts, as `init` writes it (and `fork-joint` for the joint stages).
fn narrative(
    env: &Environment<'static>,
    checklist: &Checklist,
    stage_no: u8,
    doc_id: &str,
    owner: &str,
    review_by: &str,
) -> Result<String> {
    let stage = kinds::stage(stage_no);
    let reqs: Vec<ReqCtx> = checklist
        .stage(stage_no)
        .map(|r| ReqCtx {
            clause: &r.clause,
            title: &r.title,
            requirement: &r.requirement,
            guidance: &r.guidance,
            prompt: &r.prompt,
            evidence: explain::evidence(r),
        })
        .collect();
    env.get_template("narrative.md")
        .and_then(|t| {
            t.render(context! {
                doc_id => doc_id,
                stage => context! { no => stage.no, name => stage.name },
                owner => owner,
                review_by => review_by,
                requirements => Serde(reqs),
            })
        })
        .map_err(|e| Error::Template {
            name: "narrative".into(),
            message: e.to_string(),
        })
}

/// [`narrative`] with the built-in templates.
pub fn stage_narrative(
    checklist: &Checklist,
    stage_no: u8,
    doc_id: &str,
    owner: &str,
    review_by: &str,
) -> Result<String> {
    narrative(&env(), checklist, stage_no, doc_id, owner, review_by)
}

/// Where `init` puts the plan's JSON Schemas.
pub const SCHEMA_DIR: &str = ".bsrmp/schemas";

/// The comment that points YAML editors (the yaml-language-server, as in VS
/// Code's YAML extension) at a record file's schema.
pub fn schema_comment(kind: &kinds::KindInfo) -> String {
    let depth = kind.file.matches('/').count();
    format!(
        "# yaml-language-server: $schema={}{SCHEMA_DIR}/{}\n",
        "../".repeat(depth),
        crate::schema::file_name(kind)
    )
}

/// A target folder must not exist, or be empty.
pub fn ensure_new_or_empty(dir: &Path) -> Result<()> {
    match std::fs::symlink_metadata(dir) {
        Err(_) => Ok(()),
        Ok(meta) if meta.is_dir() => {
            let mut entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
                path: dir.to_path_buf(),
                source,
            })?;
            if entries.next().is_none() {
                Ok(())
            } else {
                Err(Error::TargetNotEmpty {
                    path: dir.to_path_buf(),
                })
            }
        }
        Ok(_) => Err(Error::TargetNotEmpty {
            path: dir.to_path_buf(),
        }),
    }
}

pub fn init(opts: &InitOptions, checklist: &Checklist) -> Result<InitReport> {
    // The name becomes the plan's title and its party: a blank one would
    // start a plan called ": Corporate Relationship Management Plan".
    if !opts.org.chars().any(char::is_alphanumeric) {
        return Err(Error::NoOrganisation);
    }
    ensure_new_or_empty(&opts.dir)?;
    let inside = crate::history::enclosing_workdir(&opts.dir);
    let org_id = slug(&opts.org);
    let dir_name = opts
        .dir
        .file_name()
        .map(|n| slug(&n.to_string_lossy()))
        .unwrap_or_else(|| org_id.clone());
    let id = opts.id.clone().unwrap_or(dir_name);
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let derived = match &opts.from {
        Some(from) => from_corporate(from, checklist, &mut files)?,
        None => Derived {
            from: None,
            parties: vec![PartyCtx {
                id: org_id.clone(),
                name: opts.org.clone(),
                ser: "ser".to_string(),
            }],
            intervals: Intervals::default(),
            evidence: BTreeMap::new(),
        },
    };
    // A project plan's stage 1 is its corporate plan's.
    let first_own_stage = if derived.from.is_some() { 2 } else { 1 };
    let Derived {
        from: derived_from,
        parties,
        intervals,
        evidence,
    } = &derived;
    let env = env();
    let title = match opts.kind {
        PlanKind::Project => format!("{}: Project Relationship Management Plan", opts.org),
        PlanKind::Joint => format!("{}: Joint Relationship Management Plan", opts.org),
        PlanKind::Corporate => format!("{}: Corporate Relationship Management Plan", opts.org),
    };
    let manifest = env
        .get_template("rmp.toml")
        .and_then(|t| {
            t.render(context! {
                id => toml_escape(&id),
                title => toml_escape(&title),
                kind => opts.kind.as_str(),
                stage => first_own_stage,
                derived_from => derived_from.as_deref().map(toml_escape),
                parties => Serde(parties.iter().map(|p| PartyCtx {
                    id: toml_escape(&p.id), name: toml_escape(&p.name), ser: toml_escape(&p.ser)
                }).collect::<Vec<_>>()),
                intervals => Serde(&intervals),
                evidence => evidence,
            })
        })
        .map_err(|e| Error::Template {
            name: "rmp.toml".into(),
            message: e.to_string(),
        })?;
    files.insert(crate::plan::manifest::FILE.to_string(), manifest);
    stage_files(
        opts,
        checklist,
        &env,
        &id,
        first_own_stage,
        parties,
        &mut files,
    )?;
    write_all(
        &opts.dir,
        &files,
        &format!("Start the relationship management plan {id}"),
    )
    .map(|(commit, fallback_identity, leftovers)| InitReport {
        dir: opts.dir.clone(),
        files: files.keys().cloned().collect(),
        commit,
        leftovers,
        inside,
        fallback_identity,
    })
}

/// The narratives of the stages that apply, from `first_own_stage` on; the
/// record files they come with; the schemas; the evidence folder's README.
fn stage_files(
    opts: &InitOptions,
    checklist: &Checklist,
    env: &Environment<'static>,
    id: &str,
    first_own_stage: u8,
    parties: &[PartyCtx],
    files: &mut BTreeMap<String, String>,
) -> Result<()> {
    let owner = parties
        .first()
        .map(|p| p.ser.clone())
        .unwrap_or_else(|| "ser".to_string());
    let review_by = Date(opts.today.0.saturating_add(jiff::Span::new().years(1)));
    let applies = |stage: u8| checklist.stage(stage).any(|r| r.applies_to(opts.kind));
    for stage in kinds::STAGES
        .iter()
        .filter(|s| s.no >= first_own_stage && applies(s.no))
    {
        let text = narrative(
            env,
            checklist,
            stage.no,
            &format!("{}-S{}", id.to_uppercase(), stage.no),
            &owner,
            &review_by.to_string(),
        )?;
        files.insert(format!("{}/{}", stage.folder, kinds::NARRATIVE), text);
    }
    for (kind, template) in RECORDS {
        let Some(info) = kinds::by_name(kind) else {
            continue;
        };
        // Records of a stage folder come only with that stage's narrative.
        let folder_stage = kinds::STAGES
            .iter()
            .find(|s| info.file.starts_with(s.folder));
        if folder_stage.is_some_and(|s| !applies(s.no)) {
            continue;
        }
        files.entry(info.file.to_string()).or_insert_with(|| {
            format!(
                "{}{}",
                schema_comment(info),
                template.replace("{org}", &parties[0].id)
            )
        });
    }
    // The schemas the comments point at, so that an editor validates and
    // completes the records with no set-up (docs/editors.md).
    for (name, value) in crate::schema::all() {
        files.insert(
            format!("{SCHEMA_DIR}/{name}"),
            format!(
                "{}\n",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            ),
        );
    }
    files.insert(
        "evidence/README.md".to_string(),
        EVIDENCE_README.to_string(),
    );
    Ok(())
}

/// What a project plan takes from its corporate plan: parties, intervals,
/// stage 1's files and evidence, the registers of people, skills and
/// objectives (copied byte for byte into `files`).
fn from_corporate(
    from: &Path,
    checklist: &Checklist,
    files: &mut BTreeMap<String, String>,
) -> Result<Derived> {
    let corp = plan::load(&FsSource::new(from), &|c| checklist.stage_of(c))?;
    if corp.manifest.kind != PlanKind::Corporate {
        return Err(Error::NotCorporate {
            path: from.to_path_buf(),
            kind: corp.manifest.kind.as_str(),
        });
    }
    let parties = corp
        .manifest
        .parties
        .iter()
        .map(|p| PartyCtx {
            id: p.id.get_ref().clone(),
            name: p.name.clone(),
            ser: p
                .ser
                .as_ref()
                .map(|s| s.get_ref().clone())
                .unwrap_or_default(),
        })
        .collect();
    // The corporate defaults: stage 1 (policy, SER, objectives) and the
    // registers of people and skills, copied byte for byte.
    let stage1 = kinds::stage(1).folder;
    for entry in std::fs::read_dir(from.join(stage1)).map_err(|source| Error::Read {
        path: from.join(stage1),
        source,
    })? {
        let entry = entry.map_err(|source| Error::Read {
            path: from.join(stage1),
            source,
        })?;
        if entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
            let rel = format!("{stage1}/{}", entry.file_name().to_string_lossy());
            files.insert(rel.clone(), read(&from.join(&rel))?);
        }
    }
    for kind in ["people", "skills", "objectives"] {
        let rel = kinds::by_name(kind).map(|k| k.file).unwrap_or_default();
        if from.join(rel).is_file() {
            files.insert(rel.to_string(), read(&from.join(rel))?);
        }
    }
    let mut evidence: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (clause, paths) in &corp.manifest.evidence {
        if checklist.stage_of(clause) == Some(1) {
            for p in paths.get_ref() {
                let p = p.get_ref();
                files.insert(p.clone(), read(&from.join(p))?);
            }
            evidence.insert(
                clause.clone(),
                paths
                    .get_ref()
                    .iter()
                    .map(|p| p.get_ref().clone())
                    .collect(),
            );
        }
    }
    Ok(Derived {
        from: Some(corp.manifest.id.get_ref().clone()),
        parties,
        intervals: corp.manifest.intervals.clone(),
        evidence,
    })
}

/// What a plan starts with: its own party alone, or what a project plan
/// takes from its corporate plan.
struct Derived {
    /// The corporate plan's id.
    from: Option<String>,
    parties: Vec<PartyCtx>,
    intervals: Intervals,
    evidence: BTreeMap<String, Vec<String>>,
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn toml_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Writes the files and the first commit in a temporary folder, then moves
/// it into place. Returns the commit, whether the fallback identity was used,
/// and the leftovers of interrupted runs that were removed.
fn write_all(
    dir: &Path,
    files: &BTreeMap<String, String>,
    message: &str,
) -> Result<(String, bool, Vec<PathBuf>)> {
    let (tmp, leftovers) = Staging::beside(dir, "init")?;
    let writing = tmp.writing();
    for (rel, text) in files {
        let path = tmp.path().join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|source| Error::Write {
                path: p.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, text).map_err(|source| Error::Write {
            path: dir.join(rel),
            source,
        })?;
    }
    let (commit, fallback) =
        crate::history::first_commit(tmp.path(), message).map_err(|e| Error::git(dir, e))?;
    drop(writing);
    // The target may exist as an empty folder; rename replaces an empty folder.
    tmp.finish(dir, || ensure_new_or_empty(dir))?;
    crate::history::verify_head(dir, &commit, "the new plan")?;
    Ok((commit, fallback, leftovers))
}
