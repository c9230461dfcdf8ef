//! `bsrmp init` as a user runs it, then `check` on what it made; and the
//! `checklist` and `explain` commands.

use crate::common::{TODAY, bsrmp};
use predicates::prelude::*;

fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| {
            e.unwrap()
                .path()
                .strip_prefix(dir)
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    out.sort();
    out
}

/// A git identity for commits, isolated from the machine's own settings.
fn with_identity(cmd: &mut assert_cmd::Command, home: &std::path::Path) {
    std::fs::write(
        home.join(".gitconfig"),
        "[user]\n\tname = Test User\n\temail = test@example.com\n",
    )
    .unwrap();
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1");
}

#[test]
fn init_then_check_lists_every_clause_and_every_due_one_is_missing() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let plan = work.path().join("acme");
    let mut cmd = bsrmp();
    with_identity(&mut cmd, home.path());
    cmd.args(["init"])
        .arg(&plan)
        .args(["--org", "Acme Rail Ltd", "--today", TODAY]);
    cmd.assert()
        .success()
        .stdout(predicate::str::contains("Started a corporate plan"))
        .stderr(predicate::str::is_empty());

    let repo = git2::Repository::open(&plan).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(head.author().name_bytes(), b"Test User");
    assert!(
        repo.statuses(None).unwrap().is_empty(),
        "everything is committed"
    );
    assert!(plan.join("01-awareness/README.md").is_file());
    assert!(plan.join("03-internal-assessment/README.md").is_file());
    // Stages that do not apply to a corporate plan get no folder.
    assert!(!plan.join("02-knowledge").exists());
    assert!(!plan.join("05-working-together").exists());
    assert!(plan.join("registers/risks.yaml").is_file());
    let manifest = std::fs::read_to_string(plan.join("rmp.toml")).unwrap();
    assert!(manifest.contains("id = \"acme-rail-ltd\""));
    assert!(manifest.contains("id = \"acme\"") || manifest.contains("kind = \"corporate\""));

    let out = bsrmp()
        .arg("check")
        .arg(&plan)
        .args(["--today", TODAY, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let clauses = v["clauses"].as_array().unwrap();
    assert_eq!(clauses.len(), 89);
    let due: Vec<_> = clauses.iter().filter(|c| c["stage"] == 1).collect();
    assert_eq!(due.len(), 10);
    assert!(due.iter().all(|c| c["status"] == "missing"), "{due:#?}");
    assert!(
        clauses
            .iter()
            .filter(|c| c["stage"] != 1)
            .all(|c| c["status"] == "not-due" || c["status"] == "not-applicable")
    );
    // Nothing but missing content: no broken reference, no unreadable file.
    for f in v["findings"].as_array().unwrap() {
        let code = f["code"].as_str().unwrap();
        assert!(
            [
                "placeholder",
                "records-missing",
                "section-empty",
                "not-approved"
            ]
            .contains(&code),
            "{f:#}"
        );
    }

    bsrmp()
        .arg("check")
        .arg(&plan)
        .args(["--today", TODAY])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("missing  3.1 ").and(predicate::str::contains("FAIL")));
}

#[test]
fn init_refuses_a_non_empty_folder_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "keep me").unwrap();
    let before = listing(dir.path());
    bsrmp()
        .arg("init")
        .arg(dir.path())
        .args(["--org", "Acme"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an empty folder"));
    assert_eq!(listing(dir.path()), before);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn init_into_an_existing_empty_folder() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = bsrmp();
    with_identity(&mut cmd, home.path());
    cmd.arg("init")
        .arg(dir.path())
        .args(["--org", "Acme", "--today", TODAY])
        .assert()
        .success();
    assert!(dir.path().join("rmp.toml").is_file());
    assert!(dir.path().join(".git").is_dir());
}

#[test]
fn init_without_a_git_identity_uses_a_fallback_and_says_so() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let plan = work.path().join("p");
    bsrmp()
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_AUTHOR_EMAIL")
        .env_remove("GIT_COMMITTER_NAME")
        .env_remove("GIT_COMMITTER_EMAIL")
        .env_remove("EMAIL")
        .arg("init")
        .arg(&plan)
        .args(["--org", "Acme", "--today", TODAY])
        .assert()
        .success()
        .stderr(predicate::str::contains("first commit is by \"bsrmp\""));
    let repo = git2::Repository::open(&plan).unwrap();
    assert_eq!(
        repo.head()
            .unwrap()
            .peel_to_commit()
            .unwrap()
            .author()
            .name_bytes(),
        b"bsrmp"
    );
}

#[test]
fn project_plan_from_a_corporate_plan() {
    let home = tempfile::tempdir().unwrap();
    let corp = crate::common::plan();
    corp.write("evidence/doc-control.md", "# Document control\n");
    corp.edit(
        "rmp.toml",
        "[evidence]\n",
        "[evidence]\n\"3.9\" = [\"evidence/doc-control.md\"]\n",
    );
    let work = tempfile::tempdir().unwrap();
    let project = work.path().join("depot-project");
    let mut cmd = bsrmp();
    with_identity(&mut cmd, home.path());
    cmd.arg("init")
        .arg(&project)
        .args(["--org", "Acme Rail Ltd", "--kind", "project", "--from"])
        .arg(corp.path())
        .args(["--today", TODAY])
        .assert()
        .success()
        .stdout(predicate::str::contains("Started a project plan"));
    let manifest = std::fs::read_to_string(project.join("rmp.toml")).unwrap();
    assert!(manifest.contains("kind = \"project\""));
    assert!(manifest.contains("derived_from = \"acme-corporate\""));
    assert!(manifest.contains("stage = 2"));
    assert!(manifest.contains("\"3.9\" = [\"evidence/doc-control.md\"]"));
    // Stage 1, people and skills are the corporate plan's, byte for byte.
    for rel in [
        "01-awareness/README.md",
        "01-awareness/ser.yaml",
        "registers/people.yaml",
        "registers/skills.yaml",
        "evidence/doc-control.md",
    ] {
        assert_eq!(
            std::fs::read(project.join(rel)).unwrap(),
            std::fs::read(corp.file(rel)).unwrap(),
            "{rel}"
        );
    }
    let out = bsrmp()
        .arg("check")
        .arg(&project)
        .args(["--today", TODAY, "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let status = |c: &str| {
        v["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["clause"] == c)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("3.1"), "met");
    assert_eq!(status("3.9"), "met");
    assert_eq!(status("4.1"), "missing");
    assert_eq!(status("5.1.1"), "not-due");
}

#[test]
fn from_needs_a_corporate_plan_and_the_project_kind() {
    let corp = crate::common::plan();
    let work = tempfile::tempdir().unwrap();
    bsrmp()
        .arg("init")
        .arg(work.path().join("x"))
        .args(["--org", "Acme", "--from"])
        .arg(corp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--from goes with --kind project"));
    corp.edit("rmp.toml", "kind = \"corporate\"", "kind = \"project\"");
    bsrmp()
        .arg("init")
        .arg(work.path().join("y"))
        .args(["--org", "Acme", "--kind", "project", "--from"])
        .arg(corp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "a project plan starts from a corporate plan",
        ));
    assert!(!work.path().join("y").exists());
}

#[test]
fn checklist_lists_89_clauses() {
    let out = bsrmp()
        .args(["checklist", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reqs = v["requirements"].as_array().unwrap();
    assert_eq!(reqs.len(), 89);
    let tsv = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/clauses.tsv"
    ))
    .unwrap();
    let clauses: Vec<&str> = tsv
        .lines()
        .skip(1)
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    let ours: Vec<&str> = reqs.iter().map(|r| r["clause"].as_str().unwrap()).collect();
    assert_eq!(ours, clauses);
    bsrmp()
        .args(["checklist", "--stage", "8"])
        .assert()
        .success()
        .stdout(predicate::str::contains("10.7"));
}

#[test]
fn explain_says_what_satisfies_a_clause() {
    bsrmp()
        .args(["explain", "4.6.5"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Risk mitigation"))
        .stdout(predicate::str::contains("registers/risks.yaml"))
        .stdout(predicate::str::contains("review_date"));
    bsrmp()
        .args(["explain", "99.9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("neither a clause"));
}

#[test]
fn explain_says_what_a_finding_code_means() {
    bsrmp()
        .args(["explain", "joint-decision-open"])
        .assert()
        .success()
        .stdout(predicate::str::contains("not settled"))
        .stdout(predicate::str::contains("Severity        error"))
        .stdout(predicate::str::contains("7.2.2"))
        .stdout(predicate::str::contains(
            "docs/checks.md#joint-decision-open",
        ));
}

#[test]
fn wrong_calls_exit_2() {
    bsrmp().args(["check", "--format", "pdf"]).assert().code(2);
    bsrmp().args(["check", "--stage", "9"]).assert().code(2);
    bsrmp()
        .args(["check", "--today", "tomorrow"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("YYYY-MM-DD"));
    let empty = tempfile::tempdir().unwrap();
    bsrmp()
        .arg("check")
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no rmp.toml"));
}

/// Each record file `init` writes names its schema, and the schema is there.
#[test]
fn record_files_point_editors_at_their_schemas() {
    let d = tempfile::tempdir().unwrap();
    let plan = d.path().join("acme");
    crate::common::bsrmp()
        .args(["init"])
        .arg(&plan)
        .args(["--org", "Acme Rail", "--kind", "project"])
        .assert()
        .success();
    let mut seen = 0;
    for kind in bsrmp::plan::kinds::KINDS {
        let Ok(text) = std::fs::read_to_string(plan.join(kind.file)) else {
            continue;
        };
        let first = text.lines().next().unwrap();
        let target = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{} starts with {first}", kind.file));
        let schema = plan.join(kind.file).parent().unwrap().join(target);
        assert!(
            schema.is_file(),
            "{} points at {}",
            kind.file,
            schema.display()
        );
        seen += 1;
    }
    assert!(seen >= 15, "{seen}");
}

#[test]
fn init_refuses_an_organisation_without_a_name() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("acme");
    for org in ["", "  ", ":"] {
        bsrmp()
            .arg("init")
            .arg(&dir)
            .args(["--org", org, "--today", TODAY])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "the organisation's name is empty",
            ));
        assert!(!dir.exists());
    }
}

#[test]
fn init_inside_another_repository_says_so() {
    let outer = tempfile::tempdir().unwrap();
    git2::Repository::init(outer.path()).unwrap();
    let dir = outer.path().join("plans/acme");
    bsrmp()
        .arg("init")
        .arg(&dir)
        .args(["--org", "Acme Rail Ltd", "--today", TODAY])
        .assert()
        .success()
        .stderr(predicates::str::contains("is inside the git repository at"));
    assert!(dir.join(".git").is_dir());
    // Outside any repository, not a word of it.
    let free = tempfile::tempdir().unwrap();
    bsrmp()
        .arg("init")
        .arg(free.path().join("acme"))
        .args(["--org", "Acme Rail Ltd", "--today", TODAY])
        .assert()
        .success()
        .stderr(predicates::str::contains("inside the git repository").not());
}
