//! A plan as a command sees it: its folder, the git repository around it, and
//! the version to read (the work tree, or a commit with `--rev`). `check` and
//! `render` both go through here, so they read and judge a plan the same way.

use crate::code::Code;
use std::path::{Path, PathBuf};

use crate::check::{self, Assessment};
use crate::checklist::Checklist;
use crate::diag::Finding;
use crate::error::{Error, Result};
use crate::history::control::{ControlOptions, Git};
use crate::history::{self, BlobOf, Depth, History, PlanRepo, register, tree::TreeSource};
use crate::plan::manifest::PlanKind;
use crate::plan::source::{EntryKind, FsSource, PrefixSource, Source};
use crate::plan::{self, Plan, date::Date};

pub struct Workspace {
    pub dir: PathBuf,
    pub rev: Option<String>,
    pub repo: Option<PlanRepo>,
}

/// What git says of the plan read.
struct GitSide {
    history: Option<History>,
    uncommitted: Option<Vec<String>>,
}

/// A plan read, its history, and its assessment.
pub struct Checked {
    pub plan: Plan,
    pub history: Option<History>,
    pub assessment: Assessment,
    /// Whether the plan's files differ from the commit read (never, with `--rev`).
    pub dirty: bool,
}

impl Workspace {
    /// Fails when `dir` holds no plan (unless reading a commit), or when `rev`
    /// is given and the plan is not in a git repository.
    pub fn open(dir: &Path, rev: Option<&str>) -> Result<Self> {
        if !dir.join(plan::manifest::FILE).exists() && rev.is_none() {
            return Err(Error::NotAPlan {
                path: dir.to_path_buf(),
            });
        }
        let repo = history::open(dir)?;
        if rev.is_some() && repo.is_none() {
            return Err(Error::NotInGit {
                path: dir.to_path_buf(),
                why: "an earlier version of a plan can only be read from its history",
            });
        }
        Ok(Workspace {
            dir: dir.to_path_buf(),
            rev: rev.map(str::to_string),
            repo,
        })
    }

    /// Where the plan's files are read from.
    pub fn source(&self) -> Result<Box<dyn Source + '_>> {
        Ok(match (&self.rev, &self.repo) {
            (Some(r), Some(pr)) => Box::new(TreeSource::new(pr, r, &self.dir)?),
            _ => Box::new(FsSource::new(&self.dir)),
        })
    }

    pub fn load(&self, source: &dyn Source, checklist: &Checklist) -> Result<Plan> {
        plan::load(source, &|c| checklist.stage_of(c))
    }

    /// Reads the plan and its history, on two threads.
    pub fn plan_and_history(
        &self,
        source: &dyn Source,
        checklist: &Checklist,
        depth: Depth,
    ) -> Result<(Plan, Option<History>)> {
        let (plan, git) = self.read(source, checklist, depth)?;
        Ok((plan, git.history))
    }

    /// Reads the plan and, on a second thread, what git says of it: the two
    /// take about as long on a large plan, and neither needs the other.
    fn read(
        &self,
        source: &dyn Source,
        checklist: &Checklist,
        depth: Depth,
    ) -> Result<(Plan, GitSide)> {
        let Some(pr) = &self.repo else {
            let plan = self.load(source, checklist)?;
            return Ok((
                plan,
                GitSide {
                    history: None,
                    uncommitted: None,
                },
            ));
        };
        // libgit2 handles cannot be shared between threads: the walk opens its own.
        let (git_dir, workdir, prefix) = (
            pr.repo.path().to_path_buf(),
            pr.workdir.clone(),
            pr.prefix.clone(),
        );
        let rev = self.rev.clone();
        std::thread::scope(|s| {
            let walker = s.spawn(move || {
                let repo = git2::Repository::open(&git_dir).map_err(|e| Error::git(&workdir, e))?;
                let pr = PlanRepo {
                    repo,
                    workdir,
                    prefix,
                };
                let history = history::load(&pr, rev.as_deref(), depth)?;
                // Uncommitted changes matter only when the work tree is read.
                let uncommitted = match rev {
                    None => history::control::changed_files(&pr),
                    Some(_) => None,
                };
                Ok(GitSide {
                    history,
                    uncommitted,
                })
            });
            let plan = self.load(source, checklist);
            // A panic there is a bug, and is reported as one, not as an error.
            let git = walker
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            Ok((plan?, git?))
        })
    }

    /// The blob id of a plan file as read (work tree or commit).
    pub fn blob_of<'a>(&'a self, plan: &'a Plan) -> Result<BlobOf<'a>> {
        Ok(match (&self.rev, &self.repo) {
            (Some(r), Some(pr)) => {
                let t = TreeSource::new(pr, r, &self.dir)?;
                Box::new(move |p: &str| history::tree::blob_at(&t, p))
            }
            _ => Box::new(register::work_tree_blob(plan)),
        })
    }

    /// The commit read: `--rev` resolved, or HEAD. `None` outside git or before the first commit.
    pub fn commit(&self) -> Option<String> {
        let pr = self.repo.as_ref()?;
        let spec = self.rev.as_deref().unwrap_or("HEAD");
        let c = pr.repo.revparse_single(spec).ok()?.peel_to_commit().ok()?;
        Some(c.id().to_string())
    }

    fn document_control(
        &self,
        plan: &Plan,
        git: GitSide,
        today: Date,
        require_clean: bool,
    ) -> (Vec<Finding>, Option<History>) {
        let history = git.history.as_ref();
        let state = match (&self.repo, history) {
            (None, _) => Git::NotARepository,
            (Some(_), None) => Git::NoCommits,
            (Some(_), Some(h)) => Git::History(h),
        };
        let blob = match self.blob_of(plan) {
            Ok(b) => b,
            Err(_) => Box::new(|_: &str| None),
        };
        let found = history::control::check(
            plan,
            state,
            &*blob,
            &ControlOptions {
                today,
                require_clean,
                uncommitted: git.uncommitted.clone(),
            },
        );
        (found, git.history)
    }

    /// Document control of the parties' own plans inside a joint plan: their
    /// approvals and review dates, read from the joint plan's history, where
    /// fork-joint carried them.
    fn party_control(
        &self,
        plan: &Plan,
        source: &dyn Source,
        checklist: &Checklist,
        history: Option<&History>,
        today: Date,
    ) -> Vec<Finding> {
        let (Some(_), Some(h)) = (&self.repo, history) else {
            return Vec::new();
        };
        if plan.manifest.kind != PlanKind::Joint {
            return Vec::new();
        }
        let Ok(blob) = self.blob_of(plan) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for party in plan.party_ids() {
            let prefix = format!("parties/{party}");
            if source.kind("parties") != EntryKind::Dir || source.kind(&prefix) != EntryKind::Dir {
                continue;
            }
            let sub = PrefixSource::new(source, &prefix);
            // A party plan that cannot be read is reported by the check itself.
            let Ok(party_plan) = plan::load(&sub, &|c| checklist.stage_of(c)) else {
                continue;
            };
            let view = h.under(&prefix);
            let party_blob = |p: &str| blob(&format!("{prefix}/{p}"));
            let found = history::control::check(
                &party_plan,
                Git::History(&view),
                &party_blob,
                &ControlOptions {
                    today,
                    require_clean: false,
                    // Uncommitted changes are the joint plan's own finding.
                    uncommitted: None,
                },
            );
            out.extend(
                found
                    .into_iter()
                    .filter(|f| f.code != Code::IncompleteHistory)
                    .map(|f| f.under(&prefix, party)),
            );
        }
        out
    }

    /// Reads the plan and its history (to `depth`) and checks it. A plan that cannot be
    /// read is `Error::InvalidPlan`, carrying its findings.
    pub fn check(
        &self,
        checklist: &Checklist,
        opts: &check::Options,
        require_clean: bool,
        depth: Depth,
    ) -> Result<Checked> {
        let source = self.source()?;
        let (plan, git) = self.read(&*source, checklist, depth)?;
        // From the `git status` read with the history (a status the
        // repository cannot give counts as changed).
        let dirty = match (&self.rev, &self.repo) {
            (None, Some(_)) => git.uncommitted.as_ref().is_none_or(|c| !c.is_empty()),
            _ => false,
        };
        let (mut control, history) = self.document_control(&plan, git, opts.today, require_clean);
        control.extend(self.party_control(
            &plan,
            &*source,
            checklist,
            history.as_ref(),
            opts.today,
        ));
        let assessment = check::evaluate(&plan, &*source, checklist, opts, control);
        Ok(Checked {
            plan,
            history,
            assessment,
            dirty,
        })
    }
}
