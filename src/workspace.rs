//! A plan as a command sees it: its folder, the git repository around it, and
//! the version to read (the work tree, or a commit with `--rev`). The plan is
//! opened here once: the revision resolved once, its tree read once, the plan
//! and its history read side by side, then judged by the check pipeline.
//! `check`, `status`, `render` and `log` all go through here, so they read
//! and judge a plan the same way.

use std::path::{Path, PathBuf};

use crate::check::{self, Assessment, GitView, control};
use crate::checklist::Checklist;
use crate::error::{Error, Result};
use crate::history::{self, Depth, History, PlanRepo, tree::TreeSource};
use crate::plan::source::{Entry, EntryKind, FsSource, Source};
use crate::plan::{self, Plan};

pub struct Workspace {
    pub dir: PathBuf,
    /// The revision asked for, as it was given.
    pub rev: Option<String>,
    pub repo: Option<PlanRepo>,
    /// The commit read: the revision resolved, or HEAD. `None` outside git
    /// or before the first commit.
    pub commit: Option<String>,
}

/// The plan's files as read: the work tree, or a commit.
pub enum Reading<'w> {
    WorkTree(FsSource),
    Commit(TreeSource<'w>),
}

impl Reading<'_> {
    /// The blob id of a plan file as read, to compare with its approvals.
    pub fn blob(&self, path: &str) -> Option<String> {
        match self {
            // Hashing reads the file: only regular files inside the plan,
            // reached through no link (a path from the plan could name a
            // pipe or a file elsewhere).
            Reading::WorkTree(fs) => (fs.kind(path) == EntryKind::File && !fs.leaves_plan(path))
                .then(|| history::blob_of(&fs.root().join(path)))
                .flatten(),
            Reading::Commit(tree) => tree.blob(path),
        }
    }

    fn inner(&self) -> &dyn Source {
        match self {
            Reading::WorkTree(fs) => fs,
            Reading::Commit(tree) => tree,
        }
    }
}

impl Source for Reading<'_> {
    fn root(&self) -> &Path {
        self.inner().root()
    }
    fn list(&self, dir: &str) -> Result<Vec<Entry>> {
        self.inner().list(dir)
    }
    fn read(&self, file: &str) -> Result<Vec<u8>> {
        self.inner().read(file)
    }
    fn kind(&self, path: &str) -> EntryKind {
        self.inner().kind(path)
    }
}

/// What git says of the plan read.
struct GitSide {
    history: Option<History>,
    uncommitted: Option<Vec<String>>,
}

/// A plan read, its history, and its assessment.
pub struct Checked<'w> {
    pub plan: Plan,
    pub history: Option<History>,
    pub assessment: Assessment,
    /// Whether the plan's files differ from the commit read (never, with `--rev`).
    pub dirty: bool,
    /// Where the plan was read from, for what the command reads next.
    pub reading: Reading<'w>,
}

impl Workspace {
    /// Fails when `dir` holds no plan (unless reading a commit), when `rev`
    /// is given and the plan is not in a git repository, or when `rev` names
    /// no commit.
    pub fn open(dir: &Path, rev: Option<&str>) -> Result<Self> {
        if !dir.join(plan::manifest::FILE).exists() && rev.is_none() {
            return Err(Error::NotAPlan {
                path: dir.to_path_buf(),
            });
        }
        let repo = history::open(dir)?;
        let commit = match &repo {
            Some(pr) => pr.resolve(rev)?,
            None if rev.is_some() => {
                return Err(Error::NotInGit {
                    path: dir.to_path_buf(),
                    why: "an earlier version of a plan can only be read from its history",
                });
            }
            None => None,
        };
        Ok(Workspace {
            dir: dir.to_path_buf(),
            rev: rev.map(str::to_string),
            repo,
            commit,
        })
    }

    /// Where the plan's files are read from: the commit asked for, or the
    /// work tree.
    pub fn reading(&self) -> Result<Reading<'_>> {
        Ok(match (&self.rev, &self.repo, &self.commit) {
            (Some(rev), Some(pr), Some(id)) => {
                Reading::Commit(TreeSource::at(pr, id, &self.dir, rev)?)
            }
            _ => Reading::WorkTree(FsSource::new(&self.dir)),
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
        let pr = pr.reopen()?;
        let (commit, work_tree) = (self.commit.as_deref(), self.rev.is_none());
        std::thread::scope(|s| {
            let walker = s.spawn(move || {
                let history = match commit {
                    Some(id) => Some(history::load(&pr, id, depth)?),
                    None => None,
                };
                // Uncommitted changes matter only when the work tree is read.
                let uncommitted = if work_tree { pr.changed_files() } else { None };
                Ok::<_, Error>(GitSide {
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

    /// Reads the plan and its history (to `depth`) and checks it, document
    /// control included. A plan that cannot be read is `Error::InvalidPlan`,
    /// carrying its findings.
    pub fn check(
        &self,
        checklist: &Checklist,
        opts: &check::Options,
        require_clean: bool,
        depth: Depth,
    ) -> Result<Checked<'_>> {
        let reading = self.reading()?;
        let (plan, git) = self.read(&reading, checklist, depth)?;
        // From the `git status` read with the history (a status the
        // repository cannot give counts as changed).
        let dirty = match (&self.rev, &self.repo) {
            (None, Some(_)) => git.uncommitted.as_ref().is_none_or(|c| !c.is_empty()),
            _ => false,
        };
        let state = match (&self.repo, &git.history) {
            (None, _) => control::Git::NotARepository,
            (Some(_), None) => control::Git::NoCommits,
            (Some(_), Some(h)) => control::Git::History(h),
        };
        let blob = |p: &str| reading.blob(p);
        let view = GitView {
            state,
            blob: &blob,
            uncommitted: git.uncommitted.clone(),
            require_clean,
        };
        let assessment = check::evaluate(&plan, &reading, checklist, opts, Some(&view));
        Ok(Checked {
            plan,
            history: git.history,
            assessment,
            dirty,
            reading,
        })
    }
}
