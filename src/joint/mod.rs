//! `bsrmp fork-joint`: two parties' plans become one joint plan, in a new
//! repository that holds both histories under `parties/<id>/`, then a merge
//! commit that seeds the joint documents. The sources are only read.

mod alike;
mod commit;
mod delta;
mod pack;
pub mod report;
mod reuse;
pub mod seed;
pub mod transplant;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::checklist::Checklist;
use crate::error::{Error, Result};
use crate::history::{self, PlanRepo, tree::TreeSource};
use crate::plan::source::Source;
use crate::plan::{self, OwnedView, Plan, RecordView, kinds};
use crate::scaffold;
use crate::staging::Staging;

pub struct ForkOptions {
    pub ours: String,
    pub theirs: String,
    pub out: PathBuf,
    pub id: Option<String>,
    pub title: Option<String>,
    /// The merge commit's time; `None` is now.
    pub time: Option<jiff::Timestamp>,
}

#[derive(Debug, Serialize)]
pub struct PartySummary {
    pub party: String,
    pub name: String,
    pub source: String,
    pub commit: String,
    pub commits_copied: usize,
    /// Of those, approval commits that change no file.
    pub approvals_only: usize,
}

#[derive(Debug, Serialize)]
pub struct ForkReport {
    pub out: PathBuf,
    pub id: String,
    pub title: String,
    pub parties: Vec<PartySummary>,
    pub merge_commit: String,
    pub records: BTreeMap<String, usize>,
    pub decisions: Vec<seed::Decision>,
    pub renamed_people: BTreeMap<String, String>,
    /// Sources with uncommitted changes: only their committed plan was taken.
    pub uncommitted: Vec<String>,
    /// Temporary folders of interrupted runs, found beside the target and removed.
    pub leftovers: Vec<PathBuf>,
}

/// A plan to merge: its repository, opened from a local path or cloned from a
/// URL into a temporary folder.
struct Opened {
    label: String,
    repo: PlanRepo,
    _clone: Option<Staging>,
}

fn open(spec: &str) -> Result<Opened> {
    let is_url = spec.contains("://")
        || (spec.contains('@') && spec.contains(':') && !Path::new(spec).exists());
    if is_url {
        // `URL#plans/acme` names a plan in a folder of the repository.
        let (url, folder) = match spec.rsplit_once('#') {
            Some((u, f)) => (u, f.trim_matches('/')),
            None => (spec, ""),
        };
        let folder = if folder.is_empty() {
            String::new()
        } else {
            history::clean_path(folder)?
        };
        let dir = Staging::in_temp("fork")?;
        return Ok(Opened {
            label: spec.to_string(),
            repo: PlanRepo::clone(url, dir.path(), folder)?,
            _clone: Some(dir),
        });
    }
    let path = Path::new(spec);
    if !path.join(plan::manifest::FILE).is_file() {
        return Err(Error::NotAPlan {
            path: path.to_path_buf(),
        });
    }
    let repo = history::open(path)?.ok_or_else(|| Error::NotInGit {
        path: path.to_path_buf(),
        why: "fork-joint copies each plan's history, so both must be committed to git",
    })?;
    Ok(Opened {
        label: spec.to_string(),
        repo,
        _clone: None,
    })
}

/// The plan as committed at HEAD (the history copied ends there too). Load
/// errors name their file with the plan's path, as both plans have the same files.
type Views = HashMap<&'static str, Vec<OwnedView>>;

/// The plan comes with the owned views of the kinds the merge reads.
fn load(o: &Opened, checklist: &Checklist) -> Result<(Plan, Views)> {
    let src =
        TreeSource::new(&o.repo, "HEAD", Path::new(&o.label)).map_err(|_| Error::NoCommit {
            path: PathBuf::from(&o.label),
        })?;
    if src.kind(plan::manifest::FILE) != plan::source::EntryKind::File {
        return Err(Error::NoCommittedPlan {
            plan: o.label.clone(),
            folder: o._clone.as_ref().map(|_| o.repo.prefix.clone()),
        });
    }
    let links = plan::source::symlinks(&src)?;
    let loaded = if links.is_empty() {
        plan::load(&src, &|c| checklist.stage_of(c))
    } else {
        Err(Error::InvalidPlan {
            findings: links.iter().map(|l| plan::symlink_refused(l)).collect(),
            texts: Default::default(),
        })
    };
    loaded
        .map_err(|e| match e {
            Error::InvalidPlan { findings, texts } => {
                let label = o.label.trim_end_matches('/');
                Error::InvalidPlan {
                    findings: findings.into_iter().map(|f| f.moved_under(label)).collect(),
                    texts: texts
                        .into_iter()
                        .map(|(k, v)| (format!("{label}/{k}"), v))
                        .collect(),
                }
            }
            other => other,
        })
        .map(|mut plan| {
            // The merge works on the generic form of a few kinds of record;
            // the typed records and the file texts are not needed again, and
            // on a large plan they are most of its memory. Each kind is
            // dropped once it is converted, so both are never held whole.
            plan.texts = Default::default();
            let views = seed::KINDS_READ
                .iter()
                .map(|&kind| {
                    let owned = plan.views(kind).iter().map(RecordView::owned).collect();
                    plan.records.clear(kind);
                    (kind, owned)
                })
                .collect();
            plan.records = Default::default();
            // What the parse held is reused by neither the next plan's
            // parse (on other threads) nor the merge unless given back.
            crate::memory::give_back();
            (plan, views)
        })
}

/// The target as an absolute path without `.` or `..`, so that its parent is
/// a real folder (`--out .` names the current folder by its own name).
fn output_path(out: &Path) -> Result<PathBuf> {
    let abs = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Error::Read {
                path: out.to_path_buf(),
                source: e,
            })?
            .join(out)
    };
    let mut clean = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    Ok(clean)
}

/// The party a plan speaks for: the first in its rmp.toml.
fn own_party(plan: &Plan, label: &str) -> Result<(String, String)> {
    plan.manifest
        .parties
        .first()
        .map(|p| (p.id.get_ref().clone(), p.name.clone()))
        .ok_or_else(|| Error::NoOwnParty {
            plan: label.to_string(),
        })
}

/// `key:` and the records under it, serialised in place (a copy of a large
/// register would double its memory for a moment).
struct Keyed<'a, T: ?Sized> {
    key: &'a str,
    items: &'a T,
}

impl<T: Serialize + ?Sized> Serialize for Keyed<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.key, self.items)?;
        m.end()
    }
}

/// A register written straight into a blob, after its header: its text is
/// never held whole.
fn yaml_blob<T: Serialize + ?Sized>(
    repo: &commit::Joint,
    file: &str,
    key: &str,
    items: &T,
    header: &str,
) -> Result<commit::BlobId> {
    repo.blob_with(file, |out| {
        out.write_all(header.as_bytes())?;
        serde_saphyr::to_io_writer(out, &Keyed { key, items })
            .map_err(|e| std::io::Error::other(format!("cannot write {key} as YAML: {e}")))
    })
}

#[derive(Serialize)]
struct ManifestOut<'a> {
    format: u32,
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    stage: u8,
    derived_from: String,
    parties: Vec<PartyOut<'a>>,
}

#[derive(Serialize)]
struct PartyOut<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ser: Option<String>,
}

pub fn fork_joint(opts: &ForkOptions, checklist: &Checklist) -> Result<ForkReport> {
    refuse_target(opts)?;
    let (mut oa, mut ob) = (open(&opts.ours)?, open(&opts.theirs)?);
    let ((plan_a, views_a), (plan_b, views_b)) = (load(&oa, checklist)?, load(&ob, checklist)?);
    let (party_a, name_a) = own_party(&plan_a, &oa.label)?;
    let (party_b, name_b) = own_party(&plan_b, &ob.label)?;
    refuse_parties(&party_a, &party_b)?;
    let uncommitted: Vec<String> = [&oa, &ob]
        .iter()
        .filter(|o| o.repo.changed_files().is_some_and(|c| !c.is_empty()))
        .map(|o| o.label.clone())
        .collect();

    // Build the repository in a temporary folder beside the target, then
    // rename. The target is made absolute first, so `--out .` works too.
    let out = output_path(&opts.out)?;
    let (tmp, leftovers) = Staging::beside(&out, "joint")?;
    // A signal waits for the repository to be built, then removes it whole.
    let writing = tmp.writing();
    let repo = commit::Joint::init(tmp.path())?;
    let (ta, tb) = repo.copy_histories([(&mut oa.repo, &party_a), (&mut ob.repo, &party_b)])?;
    // Records cite the last commit that changed (or approved) each plan: a
    // commit that is in the joint history.
    let (head_a, head_b) = (ta.head.clone(), tb.head.clone());
    crate::memory::give_back();

    let side_a = seed::Side::new(
        party_a.clone(),
        name_a.clone(),
        &plan_a,
        views_a,
        head_a.clone(),
    );
    let side_b = seed::Side::new(
        party_b.clone(),
        name_b.clone(),
        &plan_b,
        views_b,
        head_b.clone(),
    );
    let mut merged = seed::seed(&side_a, &side_b);
    let counts: BTreeMap<String, usize> = merged
        .records
        .iter()
        .map(|(kind, items)| (kind.to_string(), items.len()))
        .collect();
    let id = opts
        .id
        .clone()
        .unwrap_or_else(|| format!("{party_a}-{party_b}-joint"));
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| format!("Joint Relationship Management Plan: {name_a} and {name_b}"));
    let records = std::mem::take(&mut merged.records);
    let mut files = joint_files(
        &repo,
        &id,
        &title,
        [&side_a, &side_b],
        records,
        &merged,
        checklist,
    )?;
    let parties = [
        (&side_a, &oa, head_a.clone()),
        (&side_b, &ob, head_b.clone()),
    ];
    let mut named = parties_summary(&parties, &[0, 0], &[0, 0]);
    for p in &mut named {
        p.source = report::source_name(&p.source, &out);
    }
    let report_md = report::markdown(&id, &title, &named, &merged, &counts);
    files.insert(
        "MERGE-REPORT.md".to_string(),
        repo.blob(report_md.as_bytes())?,
    );
    drop(report_md);

    let message = format!(
        "Start the joint plan {id} from {} and {}\n\nSeeded by bsrmp fork-joint: {} joint decisions to settle, listed in MERGE-REPORT.md.\n\n{}: {party_a} {head_a}\n{}: {party_b} {head_b}\n",
        plan_a.manifest.id.get_ref(),
        plan_b.manifest.id.get_ref(),
        merged.decisions.len(),
        "Merged-plan",
        "Merged-plan",
    );
    let merge_commit = repo.commit_merge(
        &files,
        [(&party_a, &ta), (&party_b, &tb)],
        &message,
        opts.time,
    )?;
    drop(repo);
    drop(writing);

    // An empty target folder is replaced by the new repository.
    tmp.finish(&out, || Ok(()))?;
    history::verify_head(&out, &merge_commit, "the joint plan")?;

    Ok(ForkReport {
        out: opts.out.clone(),
        id,
        title,
        parties: parties_summary(
            &parties,
            &[ta.commits, tb.commits],
            &[ta.approvals_only, tb.approvals_only],
        ),
        merge_commit,
        records: counts,
        decisions: merged.decisions,
        renamed_people: merged.renamed_people,
        uncommitted,
        leftovers,
    })
}

/// The joint plan goes to a new or empty folder outside both sources.
fn refuse_target(opts: &ForkOptions) -> Result<()> {
    scaffold::ensure_new_or_empty(&opts.out)?;
    for src in [&opts.ours, &opts.theirs] {
        let p = Path::new(src);
        if p.is_dir() && crate::render::is_inside(&opts.out, p) {
            return Err(Error::JointInsideSource {
                out: opts.out.clone(),
                plan: src.to_string(),
            });
        }
    }
    Ok(())
}

/// Two different parties, each id fit to name its folder `parties/<id>/`.
fn refuse_parties(party_a: &str, party_b: &str) -> Result<()> {
    for p in [party_a, party_b] {
        if p.is_empty()
            || p.starts_with('.')
            || !p
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(Error::BadPartyId { id: p.to_string() });
        }
    }
    if party_a == party_b {
        return Err(Error::SameParty {
            party: party_a.to_string(),
        });
    }
    Ok(())
}

/// The joint plan's own files, by path, each written as a blob as soon as it
/// is made: its manifest, the seeded records (each kind dropped once
/// written), the decisions to take and the narratives of stages 5 to 8.
fn joint_files(
    repo: &commit::Joint,
    id: &str,
    title: &str,
    [side_a, side_b]: [&seed::Side<'_>; 2],
    records: BTreeMap<&'static str, Vec<seed::Packed>>,
    merged: &seed::Seeded,
    checklist: &Checklist,
) -> Result<BTreeMap<String, commit::BlobId>> {
    let (plan_a, plan_b) = (side_a.plan, side_b.plan);
    let (party_a, name_a) = (&side_a.party, &side_a.party_name);
    let (party_b, name_b) = (&side_b.party, &side_b.party_name);
    let mut files = BTreeMap::new();
    let ser_of = |plan: &Plan| {
        plan.manifest
            .parties
            .first()
            .and_then(|p| p.ser.as_ref().map(|s| s.get_ref().clone()))
    };
    let manifest = ManifestOut {
        format: 1,
        id,
        title,
        kind: "joint",
        stage: 5,
        derived_from: format!(
            "{} + {}",
            plan_a.manifest.id.get_ref(),
            plan_b.manifest.id.get_ref()
        ),
        parties: vec![
            PartyOut {
                id: party_a,
                name: name_a,
                ser: ser_of(plan_a),
            },
            PartyOut {
                id: party_b,
                name: name_b,
                ser: ser_of(plan_b).map(|s| merged.renamed_people.get(&s).cloned().unwrap_or(s)),
            },
        ],
    };
    let toml = toml::to_string(&manifest)
        .map_err(|e| Error::Internal(format!("cannot write rmp.toml: {e}")))?;
    let text = format!(
        "# The joint relationship management plan of {} and {}, made by bsrmp fork-joint.\n# Each party's own plan, with its history, is under parties/<id>/.\n{toml}",
        one_line(name_a),
        one_line(name_b)
    );
    files.insert(
        plan::manifest::FILE.to_string(),
        repo.blob(text.as_bytes())?,
    );
    let header = "# Seeded by bsrmp fork-joint from both parties' plans; `source` says where each record came from.\n";
    for (kind, items) in records {
        let info =
            kinds::by_name(kind).ok_or_else(|| Error::Internal(format!("unknown kind {kind}")))?;
        let oid = yaml_blob(repo, info.file, info.key, &items[..], header)?;
        files.insert(info.file.to_string(), oid);
    }
    if let Some(exit) = &merged.exit {
        let file = "registers/exit-strategy.yaml";
        let oid = yaml_blob(repo, file, "exit_strategy", exit, header)?;
        files.insert(file.to_string(), oid);
    }
    // Written as they are: a copy of 100,000 decisions as JSON values took
    // 150 MB, and their sources are pruned already.
    let file = "registers/joint-decisions.yaml";
    let oid = yaml_blob(
        repo,
        file,
        "decisions",
        &merged.decisions[..],
        "# Every point the partners must agree on. `bsrmp check` reports each one until it is\n# settled: status: settled, with the resolution, settled_by (a person) and settled (a date).\n",
    )?;
    files.insert(file.to_string(), oid);
    let owner = ser_of(plan_a).unwrap_or_default();
    for stage in (5..=8u8).map(kinds::stage) {
        let text = scaffold::stage_narrative(
            checklist,
            stage.no,
            &format!("{}-S{}", id.to_uppercase(), stage.no),
            &owner,
            "2027-06-30",
        )?;
        let path = format!("{}/{}", stage.folder, kinds::NARRATIVE);
        files.insert(path, repo.blob(text.as_bytes())?);
    }

    Ok(files)
}

/// Text for a one-line comment or table cell.
pub(crate) fn one_line(s: &str) -> String {
    // Control characters too: the name goes into TOML comments.
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn parties_summary(
    parties: &[(&seed::Side<'_>, &Opened, String); 2],
    copied: &[usize; 2],
    approvals_only: &[usize; 2],
) -> Vec<PartySummary> {
    parties
        .iter()
        .zip(copied.iter().zip(approvals_only))
        .map(|((side, o, head), (n, a))| PartySummary {
            party: side.party.clone(),
            name: side.party_name.clone(),
            source: o.label.clone(),
            commit: head.clone(),
            commits_copied: *n,
            approvals_only: *a,
        })
        .collect()
}
