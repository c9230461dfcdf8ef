//! A small, complete corporate plan at stage 3 that passes `check` with no
//! finding, written into a temporary folder; tests then break it one way each.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use bsrmp::checklist::Checklist;
use bsrmp::plan::kinds;

pub const TODAY: &str = "2026-11-23";

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    pub fn file(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
    pub fn write(&self, rel: &str, text: &str) {
        let p = self.file(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.file(rel)).unwrap()
    }
    /// Replaces `from` by `to` in a file; the text must be there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }
    pub fn append(&self, rel: &str, text: &str) {
        let old = self.read(rel);
        self.write(rel, &format!("{old}{text}"));
    }
    /// `bsrmp check` on the fixture with a fixed date.
    pub fn check(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        bsrmp()
            .arg("check")
            .arg(self.path())
            .args(["--today", TODAY])
            .args(args)
            .assert()
    }
    /// The JSON report and the exit code.
    pub fn json(&self) -> (serde_json::Value, i32) {
        let out = bsrmp()
            .arg("check")
            .arg(self.path())
            .args(["--today", TODAY, "--format", "json"])
            .output()
            .unwrap();
        let code = out.status.code().unwrap();
        let v = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
        (v, code)
    }
    /// The codes of every finding, in report order.
    pub fn codes(&self) -> Vec<String> {
        let (v, _) = self.json();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    }
    /// The finding with this code; panics with all findings if there is none.
    pub fn finding(&self, code: &str) -> serde_json::Value {
        let (v, _) = self.json();
        let all = v["findings"].as_array().unwrap().clone();
        all.iter()
            .find(|f| f["code"] == code)
            .cloned()
            .unwrap_or_else(|| {
                panic!(
                    "no {code} finding in {}",
                    serde_json::to_string_pretty(&all).unwrap()
                )
            })
    }
}

pub fn bsrmp() -> Command {
    let mut cmd = Command::cargo_bin("bsrmp").unwrap();
    cmd.env("NO_COLOR", "1").env("COLUMNS", "100");
    cmd
}

fn narrative(stage: u8) -> String {
    let s = kinds::stage(stage);
    let mut text = format!(
        "---\nid: ACME-S{stage}\ntitle: \"Stage {stage}: {}\"\nowner: ser\napprover: SER\nreview_by: 2027-06-30\nstatus: final\n---\n\n# Stage {stage}: {}\n\n<!-- guidance -->\n",
        s.name, s.name
    );
    for r in Checklist::builtin().stage(stage) {
        text.push_str(&format!(
            "\n## {} {}\n\nAcme records here how it meets clause {} in its own practice, with names and dates.\n",
            r.clause, r.title, r.clause
        ));
    }
    text
}

pub const MANIFEST: &str = r#"format = 1
id = "acme-corporate"
title = "Acme Rail Ltd: Corporate Relationship Management Plan"
kind = "corporate"
stage = 3

[[parties]]
id = "acme"
name = "Acme Rail Ltd"
ser = "ser"

[intervals]
ser_review_days = 90

[evidence]

[waivers]
"#;

pub const PEOPLE: &str = "people:
  - id: ser
    name: Dana Whitfield
    role: Senior executive responsible
    party: acme
  - id: ops
    name: Sam Okafor
    role: Operations director
    party: acme
";

pub const RISKS: &str = "risks:
  - id: R-1
    title: Loss of signalling knowledge
    description: Two engineers who know the legacy system retire next year.
    category: internal
    likelihood: 4
    impact: 4
    triggers: [Retirement notice]
    responses: [reduce]
    action: Pair each with a successor.
    owner: ops
    status: open
    review_date: 2027-01-31
    raised_by: acme
";

pub const ACTIONS: &str = "actions:
  - id: A-1
    title: Publish the policy
    stage: 1
    owner: ser
    due: 2027-01-31
    status: open
  - id: A-2
    title: Close the negotiation skills gap
    stage: 3
    owner: ops
    due: 2027-02-28
    status: in-progress
";

pub const REVIEWS: &str = "reviews:
  - id: SR-1
    date: 2026-08-10
    chair: ser
    attendees: [ser, ops]
    inputs: [Self-assessment]
    conclusions: [Ready for partner selection]
    actions: [A-2]
  - id: SR-2
    date: 2026-10-30
    chair: ser
    attendees: [ser, ops]
    inputs: [Risk register]
    conclusions: [Risks under control]
";

/// Writes the passing plan.
pub fn plan() -> Fixture {
    let f = Fixture {
        dir: tempfile::tempdir().unwrap(),
    };
    f.write("rmp.toml", MANIFEST);
    f.write("01-awareness/README.md", &narrative(1));
    f.write("03-internal-assessment/README.md", &narrative(3));
    f.write("registers/people.yaml", PEOPLE);
    f.write(
        "01-awareness/ser.yaml",
        "appointments:\n  - id: SER-1\n    person: ser\n    party: acme\n    appointed: 2026-01-12\n    mandate: Lead collaborative working.\n    authority: Commits budget up to the delegated limit.\n",
    );
    f.write(
        "01-awareness/segmentation.yaml",
        "relationships:\n  - id: REL-1\n    name: Track maintenance\n    cost: high\n    risk: medium\n    complexity: high\n    time: high\n    priority: 1\n    approach: collaborative\n",
    );
    f.write(
        "registers/objectives.yaml",
        "objectives:\n  - id: OBJ-1\n    level: corporate\n    benefit: Lower maintenance cost\n    measure: Cost per track mile\n    target: 8% below 2025\n    due: 2027-03-31\n    owner: ser\n",
    );
    f.write(
        "registers/skills.yaml",
        "skills:\n  - id: SK-1\n    competency: Negotiating for mutual gain\n    required: All relationship managers\n    current: Two of six trained\n    gap: Four untrained\n    development: Two-day course\n    owner: ops\n",
    );
    f.write("registers/risks.yaml", RISKS);
    f.write("registers/actions.yaml", ACTIONS);
    f.write("registers/ser-reviews.yaml", REVIEWS);
    f.write(
        "03-internal-assessment/maturity.yaml",
        "maturity:\n  assessed: 2026-07-01\n  assessor: ser\n  profile:\n    - attribute: Leadership\n      ability: B\n      attitude: A\n",
    );
    f.write(
        "03-internal-assessment/selection-criteria.yaml",
        "criteria:\n  - id: C-1\n    criterion: Open sharing of information\n    method: Reference sites\n",
    );
    f
}

/// Commits everything under `dir` (a repository's work tree) at a fixed time.
pub fn commit_all(dir: &Path, message: &str, day: i64) -> String {
    let repo = git2::Repository::open(dir).unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.update_all(["*"], None).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    // 2026-01-01T09:00:00Z plus `day` days.
    let time = git2::Time::new(1_767_258_000 + day * 86_400, 0);
    let sig = git2::Signature::new("Sam Okafor", "sam@example.com", &time).unwrap();
    let parents: Vec<git2::Commit> = repo
        .head()
        .ok()
        .and_then(|h| h.peel_to_commit().ok())
        .into_iter()
        .collect();
    let refs: Vec<&git2::Commit> = parents.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &refs)
        .unwrap()
        .to_string()
}

/// A git identity in a private HOME, so commits don't depend on the machine.
pub fn identity(cmd: &mut assert_cmd::Command, home: &Path) {
    std::fs::write(
        home.join(".gitconfig"),
        "[user]\n\tname = Dana Whitfield\n\temail = dana@example.com\n",
    )
    .unwrap();
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1");
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Every file of a folder, by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Every `href` and `src` inside the pack points at a file of the pack and, for
/// `#anchor`, at an element with that id. Nothing points outside it.
pub fn check_links(pack: &Path) {
    let pages: BTreeMap<String, String> = tree(pack)
        .into_iter()
        .filter(|(n, _)| n.ends_with(".html"))
        .map(|(n, b)| (n, String::from_utf8(b).unwrap()))
        .collect();
    assert!(pages.contains_key("index.html"));
    let mut checked = 0;
    for (page, html) in &pages {
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let target = &part[..part.find('"').unwrap()];
                assert!(
                    !target.contains("://") && !target.starts_with("//"),
                    "{page} links outside the pack: {target}"
                );
                let (file, anchor) = match target.split_once('#') {
                    Some((f, a)) => (if f.is_empty() { page.as_str() } else { f }, Some(a)),
                    None => (target, None),
                };
                assert!(
                    pack.join(file).is_file(),
                    "{page}: {target}: no file {file}"
                );
                if let Some(a) = anchor {
                    let body = pages
                        .get(file)
                        .unwrap_or_else(|| panic!("{page}: {target}"));
                    assert!(
                        body.contains(&format!("id=\"{a}\"")),
                        "{page}: {target}: no id {a} in {file}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

/// The bundled project example moved on to `stage`, in a temporary folder
/// (not in git), for tests of the later stages.
pub fn project_at_stage(stage: u8) -> Fixture {
    let f = Fixture {
        dir: tempfile::tempdir().unwrap(),
    };
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/northwind-project"),
        f.path(),
    );
    f.edit("rmp.toml", "stage = 4", &format!("stage = {stage}"));
    f
}

/// A clause's status in a JSON report of `check`, and the findings it
/// counts, each as "code: message".
pub fn clause_in(v: &serde_json::Value, n: &str) -> (String, Vec<String>) {
    let c = v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == n)
        .unwrap_or_else(|| panic!("no clause {n}"));
    let findings = c["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let f = &v["findings"][i.as_u64().unwrap() as usize];
            format!(
                "{}: {}",
                f["code"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    (c["status"].as_str().unwrap().to_string(), findings)
}
