//! Document control from git, on temporary repositories whose commits carry
//! fixed dates: history across edits and a rename, approvals, `--rev`, and the
//! awkward repositories (none, empty, shallow, detached HEAD, plan in a subfolder).

use std::path::Path;

use crate::common::{Fixture, TODAY, bsrmp, commit_all, copy_dir, identity, plan};
use predicates::prelude::*;

/// The fixture plan in a new repository, committed.
fn repo_plan() -> Fixture {
    let f = plan();
    git2::Repository::init(f.path()).unwrap();
    commit_all(f.path(), "Start the plan", 0);
    f
}

fn approve(f: &Fixture, paths: &[&str], by: &str, role: &str) -> assert_cmd::assert::Assert {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = bsrmp();
    identity(&mut cmd, home.path());
    // A fixed approval time (2026-02-01), so commit ids and dates are stable.
    cmd.env("GIT_COMMITTER_DATE", "@1769936400 +0000")
        .arg("approve")
        .arg(f.path())
        .args(paths)
        .args(["--by", by, "--as", role])
        .assert()
}

fn head(dir: &Path) -> String {
    git2::Repository::open(dir)
        .unwrap()
        .head()
        .unwrap()
        .peel_to_commit()
        .unwrap()
        .id()
        .to_string()
}

fn json_log(f: &Fixture, path: Option<&str>) -> serde_json::Value {
    let mut cmd = bsrmp();
    cmd.arg("log").arg(f.path());
    if let Some(p) = path {
        cmd.arg(p);
    }
    let out = cmd.args(["--format", "json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn history_follows_edits_and_a_rename() {
    let f = repo_plan();
    f.append("registers/risks.yaml", "  # reviewed\n");
    commit_all(f.path(), "Review the risks", 10);
    std::fs::rename(f.file("evidence"), f.file("unused")).ok();
    f.write(
        "evidence/old-name.md",
        "# Procedure\n\nThe document control procedure, in enough words to be similar.\n",
    );
    commit_all(f.path(), "Add the procedure", 20);
    std::fs::rename(
        f.file("evidence/old-name.md"),
        f.file("evidence/procedure.md"),
    )
    .unwrap();
    commit_all(f.path(), "Rename the procedure", 30);
    f.edit(
        "rmp.toml",
        "[evidence]\n",
        "[evidence]\n\"3.9\" = [\"evidence/procedure.md\"]\n",
    );
    commit_all(f.path(), "Point 3.9 at the procedure", 31);

    let v = json_log(&f, Some("registers/risks.yaml"));
    let revs = v["revisions"].as_array().unwrap();
    assert_eq!(revs.len(), 2);
    assert_eq!(revs[0]["summary"], "Review the risks");
    assert_eq!(revs[0]["date"], "2026-01-11");
    assert_eq!(revs[0]["author"], "Sam Okafor");
    assert_eq!(revs[1]["summary"], "Start the plan");

    let v = json_log(&f, Some("evidence/procedure.md"));
    let revs = v["revisions"].as_array().unwrap();
    assert_eq!(revs.len(), 2, "{v:#}");
    assert_eq!(revs[0]["path"], "evidence/procedure.md");
    assert_eq!(
        revs[1]["path"], "evidence/old-name.md",
        "the rename is followed"
    );

    let v = json_log(&f, None);
    assert_eq!(v["commits"], 5);
    let docs = v["documents"].as_array().unwrap();
    let stage1 = docs
        .iter()
        .find(|d| d["path"] == "01-awareness/README.md")
        .unwrap();
    assert_eq!(stage1["id"], "ACME-S1");
    assert_eq!(stage1["owner"], "ser");
    assert_eq!(stage1["approval"]["state"], "never-approved");
    assert!(docs.iter().any(|d| d["path"] == "evidence/procedure.md"));
    bsrmp()
        .arg("log")
        .arg(f.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("Document control register"));
}

#[test]
fn approval_then_edit_reports_changed_since_approval() {
    let f = repo_plan();
    // Never approved: the policy (stage 1 narrative) is an error.
    assert_eq!(f.finding("not-approved")["clause"], "3.2");
    approve(
        &f,
        &["01-awareness/README.md", "03-internal-assessment/README.md"],
        "ser",
        "SER",
    )
    .success()
    .stdout(predicate::str::contains("Approved by Dana Whitfield (ser)"));
    let (v, code) = f.json();
    assert_eq!(code, 0, "{v:#}");
    let message = git2::Repository::open(f.path())
        .unwrap()
        .head()
        .unwrap()
        .peel_to_commit()
        .unwrap()
        .message()
        .unwrap()
        .to_string();
    assert!(message.contains("Approved-by: Dana Whitfield (ser)"));
    assert!(message.contains("Approved-role: SER"));
    assert!(message.contains("Approved-blob: 01-awareness/README.md "));

    f.edit(
        "01-awareness/README.md",
        "with names and dates.\n\n## 3.3",
        "with names, dates and a new paragraph.\n\n## 3.3",
    );
    commit_all(f.path(), "Change the policy", 40);
    let x = f.finding("changed-since-approval");
    assert_eq!(x["severity"], "error");
    assert!(
        x["message"]
            .as_str()
            .unwrap()
            .contains("Dana Whitfield (ser) approved it as SER"),
        "{x:#}"
    );
    assert_eq!(f.json().1, 1);
    let v = json_log(&f, Some("01-awareness/README.md"));
    assert_eq!(v["approval"]["state"], "changed-since-approval");
    assert_eq!(v["approval"]["by"], "Dana Whitfield (ser)");
    // Approving again settles it.
    approve(&f, &["01-awareness/README.md"], "Dana Whitfield", "SER").success();
    assert_eq!(f.json().1, 0);
}

#[test]
fn a_final_narrative_needs_the_ser() {
    let f = repo_plan();
    approve(
        &f,
        &["01-awareness/README.md", "03-internal-assessment/README.md"],
        "ops",
        "Operations director",
    )
    .success();
    let (v, _) = f.json();
    let x = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| {
            x["code"] == "not-approved"
                && x["location"]["file"] == "03-internal-assessment/README.md"
        })
        .cloned()
        .unwrap();
    assert_eq!(x["clause"], "3.10");
    assert!(
        x["message"]
            .as_str()
            .unwrap()
            .contains("asks for the SER's approval")
    );
}

#[test]
fn approve_refuses_and_writes_nothing() {
    let f = repo_plan();
    let before = head(f.path());
    approve(&f, &["01-awareness/README.md"], "nobody", "SER")
        .code(2)
        .stderr(predicate::str::contains(
            "not a person in registers/people.yaml",
        ));
    approve(&f, &["../outside.md"], "ser", "SER")
        .code(2)
        .stderr(predicate::str::contains("not inside the plan"));
    approve(&f, &["/etc/passwd"], "ser", "SER")
        .code(2)
        .stderr(predicate::str::contains("not inside the plan"));
    approve(&f, &["missing.md"], "ser", "SER")
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
    f.append("01-awareness/README.md", "\nAn edit not committed.\n");
    approve(&f, &["01-awareness/README.md"], "ser", "SER")
        .code(2)
        .stderr(predicate::str::contains("not committed"));
    assert_eq!(head(f.path()), before, "no commit was made");
}

#[test]
fn approve_needs_a_repository() {
    let f = plan();
    approve(&f, &["01-awareness/README.md"], "ser", "SER")
        .code(2)
        .stderr(predicate::str::contains("not in a git repository"));
}

#[test]
fn rev_checks_the_plan_as_it_was() {
    let f = repo_plan();
    let old = head(f.path());
    f.write("registers/risks.yaml", "risks: []\n");
    commit_all(f.path(), "Empty the risk register", 5);
    assert!(f.codes().contains(&"records-missing".to_string()));
    let out = bsrmp()
        .arg("check")
        .arg(f.path())
        .args(["--today", TODAY, "--format", "json", "--rev", &old])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"records-missing"), "{codes:?}");
    assert!(!codes.contains(&"uncommitted-changes"));
    // The work tree and the index are untouched.
    assert_eq!(f.read("registers/risks.yaml"), "risks: []\n");
    let repo = git2::Repository::open(f.path()).unwrap();
    assert!(repo.statuses(None).unwrap().is_empty());
    bsrmp()
        .arg("check")
        .arg(f.path())
        .args(["--rev", "no-such-rev"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a commit"));
}

#[test]
fn rev_reads_an_unreadable_old_commit_as_unreadable() {
    let f = repo_plan();
    f.edit("registers/risks.yaml", "    owner: ops", "    ownr: ops");
    let bad = commit_all(f.path(), "Typo", 3);
    f.edit("registers/risks.yaml", "    ownr: ops", "    owner: ops");
    commit_all(f.path(), "Fix the typo", 4);
    bsrmp()
        .arg("check")
        .arg(f.path())
        .args(["--today", TODAY, "--rev", &bad])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("registers/risks.yaml:11:5"));
}

#[test]
fn uncommitted_changes_warn_or_fail() {
    let f = repo_plan();
    approve(
        &f,
        &["01-awareness/README.md", "03-internal-assessment/README.md"],
        "ser",
        "SER",
    )
    .success();
    f.append("registers/risks.yaml", "  # a note\n");
    let x = f.finding("uncommitted-changes");
    assert_eq!(x["severity"], "warning");
    assert!(
        x["message"]
            .as_str()
            .unwrap()
            .contains("registers/risks.yaml")
    );
    f.check(&[]).code(0);
    f.check(&["--require-clean"]).code(1);
}

#[test]
fn review_overdue() {
    let f = plan();
    f.edit(
        "03-internal-assessment/README.md",
        "review_by: 2027-06-30",
        "review_by: 2026-06-30",
    );
    let x = f.finding("review-overdue");
    assert_eq!(x["location"]["file"], "03-internal-assessment/README.md");
    assert_eq!(f.json().1, 1);
}

#[test]
fn empty_repository_and_no_repository_are_notes() {
    let f = plan();
    let x = f.finding("incomplete-history");
    assert_eq!(x["severity"], "note");
    assert!(
        x["message"]
            .as_str()
            .unwrap()
            .contains("not in a git repository")
    );
    git2::Repository::init(f.path()).unwrap();
    let x = f.finding("incomplete-history");
    assert!(
        x["message"].as_str().unwrap().contains("no commit yet"),
        "{x:#}"
    );
    f.check(&["--deny-warnings"]).code(1); // uncommitted files, not the note
}

#[test]
fn shallow_clone_says_its_history_is_incomplete() {
    let f = repo_plan();
    f.append("registers/risks.yaml", "  # second\n");
    commit_all(f.path(), "Second", 2);
    let dest = tempfile::tempdir().unwrap();
    let clone = dest.path().join("clone");
    let status = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1"])
        .arg(format!("file://{}", f.path().display()))
        .arg(&clone)
        .status()
        .unwrap();
    assert!(status.success());
    let out = bsrmp()
        .arg("check")
        .arg(&clone)
        .args(["--today", TODAY, "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let note = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "incomplete-history")
        .cloned()
        .unwrap();
    assert!(
        note["message"].as_str().unwrap().contains("shallow clone"),
        "{note:#}"
    );
}

#[test]
fn detached_head_checks_and_logs() {
    let f = repo_plan();
    let first = head(f.path());
    f.append("registers/risks.yaml", "  # second\n");
    commit_all(f.path(), "Second", 2);
    let repo = git2::Repository::open(f.path()).unwrap();
    repo.set_head_detached(git2::Oid::from_str(&first).unwrap())
        .unwrap();
    repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .unwrap();
    let v = json_log(&f, Some("registers/risks.yaml"));
    assert_eq!(v["revisions"].as_array().unwrap().len(), 1);
    f.check(&[]).stdout(predicate::str::contains("3.1"));
}

#[test]
fn plan_in_a_subfolder_of_a_larger_repository() {
    let top = tempfile::tempdir().unwrap();
    git2::Repository::init(top.path()).unwrap();
    std::fs::write(top.path().join("README.md"), "company documents\n").unwrap();
    let f = plan();
    let sub = top.path().join("plans/acme");
    std::fs::create_dir_all(top.path().join("plans")).unwrap();
    copy_dir(f.path(), &sub);
    commit_all(top.path(), "Add the Acme plan", 0);
    std::fs::write(top.path().join("README.md"), "company documents, edited\n").unwrap();
    commit_all(top.path(), "Unrelated change", 1);
    let home = tempfile::tempdir().unwrap();
    let mut cmd = bsrmp();
    identity(&mut cmd, home.path());
    // Dated before the check date, so that the approval counts.
    cmd.env("GIT_COMMITTER_DATE", "@1769936400 +0000");
    cmd.arg("approve").arg(&sub).args([
        "01-awareness/README.md",
        "03-internal-assessment/README.md",
        "--by",
        "ser",
        "--as",
        "SER",
    ]);
    cmd.assert().success();
    let out = bsrmp()
        .arg("log")
        .arg(&sub)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs = v["documents"].as_array().unwrap();
    assert!(
        docs.iter().all(|d| d["path"] != "README.md"),
        "only the plan's own files"
    );
    let s1 = docs
        .iter()
        .find(|d| d["path"] == "01-awareness/README.md")
        .unwrap();
    assert_eq!(s1["revisions"], 1);
    assert_eq!(s1["approval"]["state"], "approved");
    bsrmp()
        .arg("check")
        .arg(&sub)
        .args(["--today", TODAY, "--deny-warnings"])
        .assert()
        .success();
}

#[test]
fn log_register_and_document_history_snapshot() {
    let f = repo_plan();
    approve(&f, &["01-awareness/README.md"], "ser", "SER").success();
    f.edit(
        "01-awareness/README.md",
        "with names and dates.\n\n## 3.3",
        "with names, dates and a new paragraph.\n\n## 3.3",
    );
    commit_all(f.path(), "Change the policy", 40);
    let register = bsrmp().arg("log").arg(f.path()).output().unwrap();
    assert!(register.status.success());
    insta::assert_snapshot!("log_register", String::from_utf8_lossy(&register.stdout));
    let one = bsrmp()
        .arg("log")
        .arg(f.path())
        .arg("01-awareness/README.md")
        .output()
        .unwrap();
    assert!(one.status.success());
    insta::assert_snapshot!("log_document", String::from_utf8_lossy(&one.stdout));
}

#[test]
fn approve_rejects_a_bad_committer_date() {
    let f = repo_plan();
    let home = tempfile::tempdir().unwrap();
    let mut cmd = bsrmp();
    identity(&mut cmd, home.path());
    cmd.env("GIT_COMMITTER_DATE", "next tuesday")
        .arg("approve")
        .arg(f.path())
        .args(["01-awareness/README.md", "--by", "ser", "--as", "SER"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("GIT_COMMITTER_DATE"));
}

/// `check` reads approvals from commit messages alone; an approval of a path
/// the plan no longer has sends it through the whole history, where the
/// rename is followed, so the renamed document keeps its approval.
#[test]
fn an_approval_follows_its_document_through_a_rename() {
    let f = repo_plan();
    std::fs::rename(f.file("evidence"), f.file("unused")).ok();
    f.write(
        "evidence/old-name.md",
        "# Procedure\n\nThe document control procedure, in enough words to be similar.\n",
    );
    f.edit(
        "rmp.toml",
        "[evidence]\n",
        "[evidence]\n\"3.9\" = [\"evidence/old-name.md\"]\n",
    );
    commit_all(f.path(), "Add the procedure", 10);
    approve(&f, &["evidence/old-name.md"], "ser", "SER").success();
    std::fs::rename(
        f.file("evidence/old-name.md"),
        f.file("evidence/procedure.md"),
    )
    .unwrap();
    f.edit("rmp.toml", "evidence/old-name.md", "evidence/procedure.md");
    commit_all(f.path(), "Rename the procedure", 30);
    let (v, _) = f.json();
    assert!(
        !v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["code"] == "changed-since-approval"),
        "a rename alone is no change: {v:#}"
    );
    let log = json_log(&f, Some("evidence/procedure.md"));
    assert_eq!(log["approval"]["state"], "approved", "{log:#}");

    f.append("evidence/procedure.md", "\nA new step.\n");
    commit_all(f.path(), "Change the procedure", 40);
    let changed = f.finding("changed-since-approval");
    assert_eq!(
        changed["location"]["file"], "evidence/procedure.md",
        "{changed:#}"
    );
}

#[test]
fn an_approval_claims_only_a_role_the_plan_gives() {
    let f = repo_plan();
    let before = head(f.path());
    approve(&f, &["01-awareness/README.md"], "ops", "SER")
        .code(2)
        .stderr(predicate::str::contains(
            "Sam Okafor (ops) does not hold the role \"SER\" in this plan",
        ))
        .stderr(predicate::str::contains(
            "Operations director (registers/people.yaml)",
        ))
        .stderr(predicate::str::contains(
            "The plan's SER: ser (rmp.toml, as SER of Acme Rail Ltd, SER appointment SER-1)",
        ));
    assert_eq!(head(f.path()), before, "a refused approval commits nothing");
    // A role the people register gives is accepted, in any case or spacing.
    approve(
        &f,
        &["03-internal-assessment/README.md"],
        "ops",
        "operations  Director",
    )
    .success();
    // A document that names its approver can be approved by that person.
    f.edit("01-awareness/README.md", "approver: SER", "approver: ops");
    commit_all(f.path(), "Sam approves the stage 1 narrative", 1);
    approve(&f, &["01-awareness/README.md"], "ops", "approver").success();
    approve(&f, &["03-internal-assessment/README.md"], "ops", "approver").code(2);
}

#[test]
fn check_counts_an_ser_approval_only_from_an_ser() {
    let f = repo_plan();
    // An approval commit written by hand, claiming the SER's role for
    // someone who is not the SER.
    let repo = git2::Repository::open(f.path()).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    let tree = head.tree().unwrap();
    let blob = |p: &str| tree.get_path(Path::new(p)).unwrap().id().to_string();
    let message = format!(
        "Approve 2 documents\n\nApproved-by: Sam Okafor (ops)\nApproved-role: SER\nApproved-blob: 01-awareness/README.md {}\nApproved-blob: 03-internal-assessment/README.md {}\n",
        blob("01-awareness/README.md"),
        blob("03-internal-assessment/README.md")
    );
    let time = git2::Time::new(1_769_936_400, 0);
    let sig = git2::Signature::new("Sam Okafor", "sam@example.com", &time).unwrap();
    repo.commit(Some("HEAD"), &sig, &sig, &message, &tree, &[&head])
        .unwrap();
    let (v, code) = f.json();
    assert_eq!(code, 1, "{v:#}");
    let found = f.finding("not-approved");
    assert!(
        found["message"]
            .as_str()
            .unwrap()
            .contains("the plan does not name Sam Okafor (ops) as an SER"),
        "{found:#}"
    );
}

#[test]
fn a_rev_that_is_no_commit_is_explained() {
    let f = repo_plan();
    let check = |rev: &str| {
        bsrmp()
            .arg("check")
            .arg(f.path())
            .args(["--today", TODAY, "--rev", rev])
            .assert()
            .code(2)
    };
    check("HEAD^{tree}").stderr(predicate::str::contains(
        "error: `HEAD^{tree}` is not a commit of this repository: it names a tree, not a commit; give a branch, a tag or a commit id",
    ));
    check("@{-1}").stderr(predicate::str::contains(
        "error: `@{-1}` is not a commit of this repository: git has no record of that many earlier checkouts here",
    ));
    check("no-such-branch").stderr(predicate::str::contains(
        "git finds no branch, tag or commit of that name",
    ));
}

#[test]
fn an_approval_dated_after_the_check_date_does_not_count_yet() {
    let f = repo_plan();
    let home = tempfile::tempdir().unwrap();
    let mut cmd = bsrmp();
    identity(&mut cmd, home.path());
    // 2026-12-15, after the check date of 2026-11-23.
    cmd.env("GIT_COMMITTER_DATE", "2026-12-15T10:00:00Z")
        .arg("approve")
        .arg(f.path())
        .args(["01-awareness/README.md", "03-internal-assessment/README.md"])
        .args(["--by", "ser", "--as", "SER"])
        .assert()
        .success();
    let x = f.finding("not-approved");
    assert!(
        x["message"]
            .as_str()
            .unwrap()
            .contains("never been approved"),
        "{x:#}"
    );
    // On the day of the approval, it counts.
    let out = bsrmp()
        .arg("check")
        .arg(f.path())
        .args(["--today", "2026-12-15", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        !v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "not-approved"),
        "{v:#}"
    );
}

#[test]
fn a_suggested_command_is_whole_on_its_line_and_works_from_where_check_ran() {
    let top = tempfile::tempdir().unwrap();
    let f = plan();
    let sub = top.path().join("my plans/acme");
    std::fs::create_dir_all(&sub).unwrap();
    copy_dir(f.path(), &sub);
    git2::Repository::init(&sub).unwrap();
    commit_all(&sub, "Start the plan", 0);
    let out = bsrmp()
        .current_dir(top.path())
        .env("COLUMNS", "60")
        .arg("check")
        .arg("my plans/acme")
        .args(["--today", TODAY])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.contains("bsrmp approve"))
        .unwrap_or_else(|| panic!("no suggested command in {text}"));
    assert_eq!(
        line.trim_start().trim_start_matches("help:").trim(),
        "bsrmp approve 'my plans/acme' 01-awareness/README.md --by <person> --as SER"
    );
}
