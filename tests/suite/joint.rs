//! `bsrmp fork-joint`, run as a user would: two parties' plans in their own
//! repositories (commits at fixed times) become one joint plan. Both histories
//! are kept, the sources are not touched, conflicts become joint decisions,
//! and `check` and `render` on the joint plan follow the decisions.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{
    Fixture, TODAY, bsrmp, check_links, commit_all, copy_dir, identity, plan, tree,
};
use predicates::prelude::*;

/// Northwind's bundled project plan in a repository of its own, two commits.
fn northwind() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/northwind-project"),
        d.path(),
    );
    git2::Repository::init(d.path()).unwrap();
    commit_all(d.path(), "Import Northwind's plan", 0);
    let risks = d.path().join("registers/risks.yaml");
    let text = std::fs::read_to_string(&risks).unwrap();
    std::fs::write(&risks, format!("{text}\n")).unwrap();
    commit_all(d.path(), "Tidy the risk register", 1);
    d
}

/// The fixture corporate plan of Acme, with a risk, an objective and a
/// knowledge area that overlap Northwind's, committed, then approved.
fn acme() -> Fixture {
    let f = plan();
    f.edit(
        "registers/risks.yaml",
        "title: Loss of signalling knowledge",
        "title: Failure of the order and despatch interfaces with partners",
    );
    f.write(
        "registers/knowledge-map.yaml",
        "areas:\n  - id: KA-1\n    area: Open-book cost model for the Meridian element of the solution\n    stance: withhold\n    owner: ser\n  - id: KA-2\n    area: Rolling stock maintenance records\n    stance: share\n    owner: ops\n",
    );
    f.append(
        "registers/objectives.yaml",
        "  - id: OBJ-2\n    level: corporate\n    benefit: Cut empty running across the fleet through shared load planning\n    measure: Empty running as a share of fleet miles\n    target: below 12%\n    due: 2027-06-30\n    owner: ser\n",
    );
    git2::Repository::init(f.path()).unwrap();
    commit_all(f.path(), "Start Acme's plan", 2);
    let home = tempfile::tempdir().unwrap();
    let mut cmd = bsrmp();
    identity(&mut cmd, home.path());
    cmd.env("GIT_COMMITTER_DATE", "@1769936400 +0000")
        .arg("approve")
        .arg(f.path())
        .args(["01-awareness/README.md", "--by", "ser", "--as", "SER"])
        .assert()
        .success();
    f
}

fn fork(ours: &Path, theirs: &Path, out: &Path) -> assert_cmd::Command {
    let mut cmd = bsrmp();
    cmd.env("GIT_COMMITTER_DATE", "@1795428000 +0000")
        .arg("fork-joint")
        .arg("--ours")
        .arg(ours)
        .arg("--theirs")
        .arg(theirs)
        .arg("--out")
        .arg(out);
    cmd
}

/// Every file under a folder, `.git` included, by path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(dir)
}

/// `git log` of the joint repository with extra arguments: (author, subject, time).
fn git_log_args(repo: &Path, args: &[&str]) -> Vec<(String, String, i64)> {
    let out = std::process::Command::new("git")
        .current_dir(repo)
        .arg("log")
        .arg("--format=%an%x09%s%x09%at")
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let p: Vec<&str> = l.split('\t').collect();
            (p[0].to_string(), p[1].to_string(), p[2].parse().unwrap())
        })
        .collect()
}

fn git_log(repo: &Path, path: &str) -> Vec<(String, String, i64)> {
    git_log_args(repo, &["--", path])
}

fn check_json(dir: &Path) -> (serde_json::Value, i32) {
    let out = bsrmp()
        .arg("check")
        .arg(dir)
        .args(["--today", TODAY, "--format", "json"])
        .output()
        .unwrap();
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

fn count(v: &serde_json::Value, code: &str) -> usize {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .count()
}

#[test]
fn joint_plan_keeps_both_histories_and_never_touches_its_sources() {
    let (nw, ac) = (northwind(), acme());
    let (before_nw, before_ac) = (snapshot(nw.path()), snapshot(ac.path()));
    let out = tempfile::tempdir().unwrap();
    let j = out.path().join("joint");
    let assert = fork(nw.path(), ac.path(), &j)
        .args(["--format", "json"])
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(
        snapshot(nw.path()),
        before_nw,
        "Northwind's repository changed"
    );
    assert_eq!(snapshot(ac.path()), before_ac, "Acme's repository changed");

    // Each party's history, with its authors and times, under parties/<id>/.
    let nw_log = git_log(&j, "parties/northwind");
    assert_eq!(nw_log.len(), 2, "{nw_log:?}");
    assert_eq!(
        nw_log[1],
        (
            "Sam Okafor".into(),
            "Import Northwind's plan".into(),
            1_767_258_000
        )
    );
    // The approval commit changes no file, so `git log -- path` leaves it out,
    // but it is in the history, with its trailers.
    assert_eq!(git_log(&j, "parties/acme").len(), 1);
    let ac_log = git_log_args(&j, &["--grep", "Source-party: acme"]);
    assert_eq!(ac_log.len(), 2, "the approval commit comes too: {ac_log:?}");
    assert_eq!(ac_log[0].1, "Approve 01-awareness/README.md");
    assert_eq!(report["parties"][0]["commits_copied"], 2);
    // The merge commit has both parties' lines as parents.
    let repo = git2::Repository::open(&j).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(head.parent_count(), 2);
    assert!(head.message().unwrap().contains("Merged-plan: northwind"));
    // Every copied commit names the party and commit it came from.
    let first = head.parent(0).unwrap();
    assert!(first.message().unwrap().contains("Source-party: northwind"));
    assert!(first.message().unwrap().contains("Source-commit: "));
    // The approval travels with the file: still approved in the joint plan.
    let log = bsrmp()
        .arg("log")
        .arg(&j)
        .arg("parties/acme/01-awareness/README.md")
        .args(["--format", "json"])
        .output()
        .unwrap();
    let log: serde_json::Value = serde_json::from_slice(&log.stdout).unwrap();
    assert_eq!(log["approval"]["state"], "approved", "{log:#}");
    assert!(
        repo.statuses(None).unwrap().is_empty(),
        "the joint work tree is clean"
    );
}

#[test]
fn joint_records_keep_their_source_and_conflicts_become_decisions() {
    let (nw, ac) = (northwind(), acme());
    let out = tempfile::tempdir().unwrap();
    let j = out.path().join("joint");
    fork(nw.path(), ac.path(), &j)
        .assert()
        .success()
        .stdout(predicate::str::contains("joint decision(s) to settle"));
    let read = |p: &str| std::fs::read_to_string(j.join(p)).unwrap();
    let manifest = read("rmp.toml");
    assert!(
        manifest.contains("kind = \"joint\"") && manifest.contains("stage = 5"),
        "{manifest}"
    );
    let risks = read("registers/risks.yaml");
    assert!(
        risks.contains("id: northwind-R-4") || risks.contains("northwind-"),
        "{risks}"
    );
    assert!(risks.contains("raised_by: acme"));
    assert!(risks.contains("file: parties/acme/registers/risks.yaml"));
    let decisions = read("registers/joint-decisions.yaml");
    for topic in [
        "duplicate-risk",
        "knowledge-conflict",
        "common-objective",
        "exit-strategy",
    ] {
        assert!(
            decisions.contains(&format!("topic: {topic}")),
            "no {topic}: {decisions}"
        );
    }
    assert!(decisions.contains("acme-R-1"));
    let knowledge = read("registers/knowledge-map.yaml");
    assert!(
        knowledge.contains("northwind: restricted") && knowledge.contains("acme: withhold"),
        "{knowledge}"
    );
    let report = read("MERGE-REPORT.md");
    assert!(report.contains("look like the same risk"));
    assert!(report.contains("parties/acme/registers/risks.yaml"));
    // The sources are named from the joint plan, never by the absolute paths
    // they were given as (the report is shared; the paths are someone's disk).
    for src in [nw.path(), ac.path()] {
        let abs = src.canonicalize().unwrap();
        assert!(!report.contains(&*abs.to_string_lossy()), "{report}");
        assert!(!report.contains(&*src.to_string_lossy()), "{report}");
        let name = abs.file_name().unwrap().to_string_lossy().to_string();
        assert!(report.contains(&format!("`../../{name}`")), "{report}");
    }
    for stage in [
        "05-working-together",
        "06-value-creation",
        "07-staying-together",
        "08-exit-strategy",
    ] {
        assert!(j.join(stage).join("README.md").is_file());
    }
}

#[test]
fn check_reports_open_decisions_until_they_are_settled() {
    let (nw, ac) = (northwind(), acme());
    let out = tempfile::tempdir().unwrap();
    let j = out.path().join("joint");
    fork(nw.path(), ac.path(), &j).assert().success();
    let (v, code) = check_json(&j);
    assert_eq!(code, 1);
    let open = count(&v, "joint-decision-open");
    assert!(open >= 4, "{open}");
    // Stages 1 to 4 are judged on each party's own plan.
    let c31 = v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == "3.1")
        .unwrap();
    assert!(
        c31["note"]
            .as_str()
            .unwrap()
            .contains("judged on each party's own plan"),
        "{c31:#}"
    );
    assert!(
        c31["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["file"].as_str().unwrap().starts_with("parties/acme/")),
        "{c31:#}"
    );

    // Marked settled but incomplete: still reported, saying what is missing.
    let path = j.join("registers/joint-decisions.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let first = text.find("status: open").unwrap();
    let mut half = text.clone();
    half.replace_range(first..first + "status: open".len(), "status: settled");
    std::fs::write(&path, &half).unwrap();
    let (v, _) = check_json(&j);
    assert_eq!(count(&v, "joint-decision-open"), open);
    assert!(
        v["findings"]
            .to_string()
            .contains("is marked settled but has no resolution, settled_by, settled")
    );

    // Settled properly: one fewer.
    let mut settled = text.clone();
    settled.replace_range(
        first..first + "status: open".len(),
        "status: settled\n  resolution: Agreed in the joint management team.\n  settled_by: eharcourt\n  settled: 2026-11-20",
    );
    std::fs::write(&path, &settled).unwrap();
    let (v, _) = check_json(&j);
    assert_eq!(
        count(&v, "joint-decision-open"),
        open - 1,
        "{}",
        v["findings"]
    );

    // The pack of the joint plan renders, and all its links resolve.
    let pack = out.path().join("pack");
    bsrmp()
        .env("SOURCE_DATE_EPOCH", "1795428000")
        .arg("render")
        .arg(&j)
        .arg("--out")
        .arg(&pack)
        .args(["--format", "html", "--today", TODAY])
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(pack.join("registers.html"))
            .unwrap()
            .contains("Joint decisions")
    );
    check_links(&pack);
}

#[test]
fn refusals_write_nothing() {
    let (nw, ac) = (northwind(), acme());
    let out = tempfile::tempdir().unwrap();
    // A target that is not empty.
    let busy = out.path().join("busy");
    std::fs::create_dir(&busy).unwrap();
    std::fs::write(busy.join("keep.txt"), "mine").unwrap();
    fork(nw.path(), ac.path(), &busy)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an empty folder"));
    assert_eq!(tree(&busy).len(), 1);
    // Inside a source.
    fork(nw.path(), ac.path(), &nw.path().join("joint"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("never writes into its sources"));
    assert!(!nw.path().join("joint").exists());
    // Two plans for the same party.
    let j = out.path().join("j1");
    fork(nw.path(), nw.path(), &j)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "both plans speak for the party `northwind`",
        ));
    assert!(!j.exists());
    // A plan that is not in git.
    let loose = plan();
    fork(nw.path(), loose.path(), &j)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not in a git repository"));
    assert!(!j.exists());
    // A plan that cannot be read: the file and line, and nothing written.
    let broken = acme();
    broken.write(
        "registers/risks.yaml",
        "risks:\n  - id: R-1\n    impact: 9\n",
    );
    commit_all(broken.path(), "Break the risks", 3);
    fork(nw.path(), broken.path(), &j)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("registers/risks.yaml"))
        .stderr(predicate::str::contains("nothing was written"));
    assert!(!j.exists());
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".bsrmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_git_url_works_as_a_source() {
    let (nw, ac) = (northwind(), acme());
    let out = tempfile::tempdir().unwrap();
    let j = out.path().join("joint");
    let url = format!("file://{}", ac.path().display());
    fork(nw.path(), Path::new(&url), &j).assert().success();
    assert_eq!(git_log_args(&j, &["--grep", "Source-party: acme"]).len(), 2);
}

#[test]
fn a_git_url_can_name_a_plan_in_a_folder_of_its_repository() {
    let nw = northwind();
    // Acme's plan in plans/acme of a larger repository.
    let top = tempfile::tempdir().unwrap();
    git2::Repository::init(top.path()).unwrap();
    std::fs::write(top.path().join("README.md"), "company documents\n").unwrap();
    let sub = top.path().join("plans/acme");
    std::fs::create_dir_all(&sub).unwrap();
    copy_dir(acme().path(), &sub);
    std::fs::remove_dir_all(sub.join(".git")).unwrap();
    commit_all(top.path(), "Add Acme's plan", 3);
    let out = tempfile::tempdir().unwrap();
    let url = format!("file://{}", top.path().display());
    // Without the folder: refused, saying how to name it.
    fork(nw.path(), Path::new(&url), &out.path().join("j1"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "has no committed rmp.toml at its top",
        ))
        .stderr(predicate::str::contains("URL#plans/acme"));
    let j = out.path().join("j2");
    fork(nw.path(), Path::new(&format!("{url}#plans/acme")), &j)
        .assert()
        .success();
    assert!(j.join("parties/acme/rmp.toml").is_file());
    assert!(
        !j.join("parties/acme/README.md").exists(),
        "only the plan's folder"
    );
}

/// The two bundled examples, straight from this repository's own history.
#[test]
fn the_bundled_examples_make_a_joint_plan() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if git2::Repository::open(root).is_err() {
        eprintln!("SKIPPED: the source tree is not a git repository");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let j = out.path().join("joint");
    let assert = fork(
        &root.join("examples/northwind-project"),
        &root.join("examples/meridian-project"),
        &j,
    )
    .args(["--format", "json"])
    .assert()
    .success();
    let report: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let decisions = report["decisions"].as_array().unwrap();
    let pair = |a: &str, b: &str| {
        decisions.iter().any(|d| {
            let r = d["records"].to_string();
            r.contains(a) && r.contains(b)
        })
    };
    // The three risks both partners raised in their own words.
    assert!(
        pair("risks:northwind-R-P4", "risks:meridian-MR-1"),
        "{decisions:#?}"
    );
    assert!(pair("risks:northwind-R-P7", "risks:meridian-MR-3"));
    assert!(pair("risks:northwind-R-P10", "risks:meridian-MR-2"));
    // Objectives that look alike, and one already marked conflicting.
    assert!(pair(
        "objectives:northwind-OBJ-P2",
        "objectives:meridian-OBJ-MP2"
    ));
    assert!(
        decisions
            .iter()
            .any(|d| d["topic"] == "conflicting-objective")
    );
    // Information one shares and the other restricts.
    let summaries: Vec<&str> = decisions
        .iter()
        .map(|d| d["summary"].as_str().unwrap())
        .collect();
    assert!(summaries.iter().any(|s| s.contains("Trunk route plans")
        && s.contains("says share")
        && s.contains("says restricted")));
    assert!(
        summaries
            .iter()
            .any(|s| s.contains("Open-book cost model") && s.contains("says withhold"))
    );

    // Stages 1 to 4 come from the partners' own (approved) plans; only the
    // joint work of stage 5 and the open decisions remain.
    let (v, code) = check_json(&j);
    assert_eq!(code, 1);
    let clauses = v["clauses"].as_array().unwrap();
    for c in clauses.iter().filter(|c| c["stage"].as_u64().unwrap() <= 4) {
        assert_eq!(c["status"], "met", "{c:#}");
    }
    assert_eq!(count(&v, "joint-decision-open"), decisions.len());
    // Every decision, as fork-joint has found them since it compared every
    // pair: its index of candidates finds the same ones.
    let found: Vec<String> = decisions
        .iter()
        .map(|d| format!("{} {}", d["topic"].as_str().unwrap(), d["records"]))
        .collect();
    insta::assert_snapshot!("bundled_joint_decisions", found.join("\n"));
}

/// A copy of a bundled example in a repository of its own, with `n` alike
/// risks and objectives added: one per store, in the party's own words.
fn alike(example: &str, party: &str, owner: &str, n: usize, wording: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&root.join("examples").join(example), d.path());
    let hazards = [
        "Late delivery of spare parts",
        "Driver shortage in the peak",
        "Warehouse system outage",
        "Loss of the cold chain",
    ];
    let mut risks = String::new();
    let mut objectives = String::new();
    for i in 0..n {
        let (h, store) = (hazards[i % hazards.len()], 100 + i / hazards.len());
        risks.push_str(&format!(
            "  - id: X-{i}\n    title: {h} {wording} store {store}\n    description: {h} hits deliveries to store {store}\n    category: supply\n    likelihood: 2\n    impact: 3\n    responses: [reduce]\n    action: Agree a plan\n    owner: {owner}\n    status: open\n    review_date: 2027-03-01\n    raised_by: {party}\n"
        ));
        objectives.push_str(&format!(
            "  - id: XO-{i}\n    level: project\n    party: {party}\n    benefit: Raise on-time delivery {wording} store {}\n    measure: Deliveries to store {} on time\n    target: 98 percent\n    due: 2028-03-31\n    owner: {owner}\n",
            100 + i,
            100 + i
        ));
    }
    for (file, text) in [("risks", risks), ("objectives", objectives)] {
        let path = d.path().join(format!("registers/{file}.yaml"));
        let old = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{old}{text}")).unwrap();
    }
    git2::Repository::init(d.path()).unwrap();
    commit_all(d.path(), "Import the plan", 0);
    d
}

#[test]
fn alike_registers_pair_each_record_with_its_twin() {
    // Every word but the store's number is shared by a quarter of the
    // risks or more: only the number tells one from another.
    let n = 400;
    let ours = alike("northwind-project", "northwind", "dmensah", n, "for");
    let theirs = alike("meridian-project", "meridian", "lpatel", n, "at");
    let out = tempfile::tempdir().unwrap();
    let assert = fork(ours.path(), theirs.path(), &out.path().join("j"))
        .args(["--format", "json"])
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let pairs = |topic: &str| -> Vec<(String, String)> {
        report["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["topic"] == topic)
            .map(|d| {
                let r = d["records"].as_array().unwrap();
                (r[0].to_string(), r[1].to_string())
            })
            .collect()
    };
    for (topic, kind, prefix) in [
        ("duplicate-risk", "risks", "X-"),
        ("common-objective", "objectives", "XO-"),
    ] {
        let found = pairs(topic);
        for i in 0..n {
            let twin = (
                format!("\"{kind}:northwind-{prefix}{i}\""),
                format!("\"{kind}:meridian-{prefix}{i}\""),
            );
            assert!(found.contains(&twin), "{topic}: {twin:?} not paired");
        }
        // Each record in one pair at most: the examples' own pairs besides.
        let ours: std::collections::BTreeSet<&String> = found.iter().map(|p| &p.0).collect();
        assert_eq!(ours.len(), found.len(), "{topic}");
        assert!(found.len() <= n + 8, "{topic}: {}", found.len());
    }
}

/// A commit on top of `parents`, with `dir`'s files as they are now.
fn commit_on(
    repo: &git2::Repository,
    message: &str,
    day: i64,
    parents: &[git2::Oid],
    update_head: bool,
) -> git2::Oid {
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.update_all(["*"], None).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::new(
        "Lee Park",
        "lee@example.com",
        &git2::Time::new(1_767_258_000 + day * 86_400, 0),
    )
    .unwrap();
    let parents: Vec<git2::Commit> = parents
        .iter()
        .map(|p| repo.find_commit(*p).unwrap())
        .collect();
    let refs: Vec<&git2::Commit> = parents.iter().collect();
    repo.commit(
        update_head.then_some("HEAD"),
        &sig,
        &sig,
        message,
        &tree,
        &refs,
    )
    .unwrap()
}

#[test]
fn history_keeps_its_shape_and_records_cite_commits_in_the_joint_plan() {
    // Acme's plan in a subfolder of a bigger repository, with a side branch
    // merged back and a commit elsewhere after the last plan change.
    let big = tempfile::tempdir().unwrap();
    let acme = acme();
    copy_dir(
        &acme.path().join("registers"),
        &big.path().join("plans/acme/registers"),
    );
    for f in [
        "rmp.toml",
        "01-awareness/README.md",
        "01-awareness/ser.yaml",
        "01-awareness/segmentation.yaml",
        "03-internal-assessment/README.md",
        "03-internal-assessment/maturity.yaml",
        "03-internal-assessment/selection-criteria.yaml",
    ] {
        let to = big.path().join("plans/acme").join(f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(acme.path().join(f), to).unwrap();
    }
    std::fs::create_dir_all(big.path().join("other")).unwrap();
    std::fs::write(big.path().join("other/notes.txt"), "1").unwrap();
    let repo = git2::Repository::init(big.path()).unwrap();
    let base = commit_on(&repo, "Add Acme's plan", 0, &[], true);
    // A side branch edits the risks; the main line edits something else.
    let risks = big.path().join("plans/acme/registers/risks.yaml");
    let original = std::fs::read_to_string(&risks).unwrap();
    std::fs::write(&risks, format!("{original}\n")).unwrap();
    let side = commit_on(&repo, "Side: tidy the risks", 1, &[base], false);
    std::fs::write(&risks, &original).unwrap();
    std::fs::write(big.path().join("other/notes.txt"), "2").unwrap();
    let main = commit_on(&repo, "Main: other notes", 2, &[base], true);
    std::fs::write(&risks, format!("{original}\n")).unwrap();
    let merged = commit_on(&repo, "Merge the side branch", 3, &[main, side], true);
    std::fs::write(big.path().join("other/notes.txt"), "3").unwrap();
    commit_on(&repo, "Main: more notes", 4, &[merged], true);

    let out = tempfile::tempdir().unwrap();
    let j = out.path().join("joint");
    let nw = northwind();
    fork(nw.path(), &big.path().join("plans/acme"), &j)
        .assert()
        .success();
    // The side commit is the only one that touched risks.yaml; the merge
    // took it as it was, so it is not reported as a change of its own.
    let risks_log = git_log(&j, "parties/acme/registers/risks.yaml");
    let subjects: Vec<&str> = risks_log.iter().map(|(_, s, _)| s.as_str()).collect();
    assert!(subjects.contains(&"Side: tidy the risks"), "{subjects:?}");
    assert!(!subjects.contains(&"Main: other notes"), "{subjects:?}");
    // Records cite a commit that the joint history holds.
    let text = std::fs::read_to_string(j.join("registers/risks.yaml")).unwrap();
    let acme_risk = &text[text.find("raised_by: acme").unwrap()..];
    let commit = acme_risk
        .split("commit: ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .trim_matches('"');
    let cited = git_log_args(&j, &["--grep", &format!("Source-commit: {commit}")]);
    assert_eq!(
        cited.len(),
        1,
        "record cites {commit}, which the joint history lacks"
    );
}

#[test]
fn parties_own_approvals_and_plans_count_in_the_joint_check() {
    // Northwind's copy here was never approved: the joint plan shows it.
    let (nw, ac) = (northwind(), acme());
    let out = tempfile::tempdir().unwrap();
    let j = out.path().join("joint");
    fork(nw.path(), ac.path(), &j).assert().success();
    let (v, _) = check_json(&j);
    let c32 = v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == "3.2")
        .unwrap();
    assert_eq!(c32["status"], "partial", "{c32:#}");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "not-approved"
                && f["location"]["file"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("parties/northwind/")),
        "{}",
        v["findings"]
    );
    // A party whose own plan is missing fails the joint plan.
    std::fs::remove_dir_all(j.join("parties/acme")).unwrap();
    let (v, _) = check_json(&j);
    assert!(
        v["findings"]
            .to_string()
            .contains("party acme has no plan of its own")
    );
    let c31 = v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == "3.1")
        .unwrap();
    assert_eq!(c31["status"], "missing", "{c31:#}");
}

#[test]
fn out_may_be_the_current_empty_folder() {
    let (nw, ac) = (northwind(), acme());
    let out = tempfile::tempdir().unwrap();
    let here = out.path().join("here");
    std::fs::create_dir(&here).unwrap();
    bsrmp()
        .current_dir(&here)
        .arg("fork-joint")
        .arg("--ours")
        .arg(nw.path())
        .arg("--theirs")
        .arg(ac.path())
        .args(["--out", "."])
        .assert()
        .success();
    assert!(here.join("MERGE-REPORT.md").is_file());
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        1,
        "nothing left beside it"
    );
}

/// `git` in `dir`, which must succeed; its standard output.
fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Every blob id a path had over the history, newest first.
fn versions(repo: &Path, path: &str) -> Vec<String> {
    git_in(
        repo,
        &["log", "--format=", "--raw", "--no-abbrev", "--", path],
    )
    .lines()
    .filter_map(|l| l.split_whitespace().nth(3).map(str::to_string))
    .collect()
}

#[test]
fn packed_sources_are_copied_exactly_and_nothing_outside_the_plan() {
    // Northwind's plan in a subfolder, with a private draft beside it that
    // shares most of its text with the risk register (so git may store one
    // as a delta of the other), twelve revisions of the register, and the
    // whole repository packed, as a clone is.
    let big = tempfile::tempdir().unwrap();
    let plan_dir = big.path().join("plans/northwind");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/northwind-project"),
        &plan_dir,
    );
    let risks = plan_dir.join("registers/risks.yaml");
    let draft = big.path().join("private/risks-draft.yaml");
    std::fs::create_dir_all(draft.parent().unwrap()).unwrap();
    git2::Repository::init(big.path()).unwrap();
    let mut private = Vec::new();
    for i in 0..12 {
        let text = std::fs::read_to_string(&risks).unwrap();
        std::fs::write(&risks, format!("{text}# revision {i}\n")).unwrap();
        let secret = format!("{text}# draft {i}: not for the partner\n");
        std::fs::write(&draft, &secret).unwrap();
        private.push(git2::Oid::hash_object(git2::ObjectType::Blob, secret.as_bytes()).unwrap());
        commit_all(big.path(), &format!("Revision {i}"), i);
    }
    git_in(big.path(), &["gc", "--aggressive", "--quiet"]);
    let loose = git_in(big.path(), &["count-objects", "-v"]);
    assert!(
        loose.contains("\ncount: 0\n") || loose.starts_with("count: 0\n"),
        "{loose}"
    );

    let acme = acme();
    let out = tempfile::tempdir().unwrap();
    let joint = out.path().join("joint");
    fork(&plan_dir, acme.path(), &joint).assert().success();

    // Every object reads back and hashes to its id.
    let fsck = std::process::Command::new("git")
        .current_dir(&joint)
        .args(["fsck", "--strict", "--full", "--no-dangling"])
        .output()
        .unwrap();
    assert!(
        fsck.status.success() && fsck.stdout.is_empty(),
        "{}{}",
        String::from_utf8_lossy(&fsck.stdout),
        String::from_utf8_lossy(&fsck.stderr)
    );
    // The register has every version it had, with the same ids.
    let theirs = versions(big.path(), "plans/northwind/registers/risks.yaml");
    assert_eq!(theirs.len(), 12);
    assert_eq!(
        versions(&joint, "parties/northwind/registers/risks.yaml"),
        theirs
    );
    let latest = git_in(&joint, &["cat-file", "blob", &theirs[0]]);
    assert_eq!(latest, std::fs::read_to_string(&risks).unwrap());
    // The private draft, a base git could have stored the register against,
    // is not in the joint repository in any version.
    let repo = git2::Repository::open(&joint).unwrap();
    let odb = repo.odb().unwrap();
    for id in private {
        assert!(!odb.exists(id), "private blob {id} was copied");
    }
}

#[test]
fn a_version_stored_against_a_file_outside_the_plan_is_copied_whole() {
    // git fast-import stores each blob as a delta of the blob before it in
    // the stream: here every version of the plan's risk register is stored
    // against a private file outside the plan.
    let big = tempfile::tempdir().unwrap();
    git2::Repository::init(big.path()).unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/northwind-project");
    let mut stream = Vec::new();
    let blob = |stream: &mut Vec<u8>, path: &str, data: &[u8]| {
        stream
            .extend_from_slice(format!("M 100644 inline {path}\ndata {}\n", data.len()).as_bytes());
        stream.extend_from_slice(data);
        stream.push(b'\n');
    };
    let mut register = std::fs::read_to_string(example.join("registers/risks.yaml")).unwrap();
    let mut private = Vec::new();
    for i in 0..6 {
        stream.extend_from_slice(
            format!(
                "commit refs/heads/main\ncommitter Sam Okafor <sam@example.com> {} +0000\ndata 11\nRevision {i}\n",
                1_767_258_000 + i * 86_400
            )
            .as_bytes(),
        );
        if i == 0 {
            for (rel, bytes) in tree(&example) {
                if rel != "registers/risks.yaml" {
                    blob(&mut stream, &format!("plans/northwind/{rel}"), &bytes);
                }
            }
        }
        register.push_str(&format!("# revision {i}\n"));
        let secret =
            format!("{register}# draft {i}: not for the partner, with more words than the plan\n");
        private.push(git2::Oid::hash_object(git2::ObjectType::Blob, secret.as_bytes()).unwrap());
        blob(&mut stream, "private/risks.yaml", secret.as_bytes());
        blob(
            &mut stream,
            "plans/northwind/registers/risks.yaml",
            register.as_bytes(),
        );
    }
    let mut import = std::process::Command::new("git")
        .current_dir(big.path())
        .args(["-c", "fastimport.unpackLimit=0", "fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    import.stdin.take().unwrap().write_all(&stream).unwrap();
    assert!(import.wait().unwrap().success());
    git_in(big.path(), &["checkout", "--quiet", "main"]);
    // The set-up holds: register versions stored against private ones.
    let plan_versions = versions(big.path(), "plans/northwind/registers/risks.yaml");
    let pack = std::fs::read_dir(big.path().join(".git/objects/pack"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "idx"))
        .unwrap();
    let verify = git_in(big.path(), &["verify-pack", "-v", pack.to_str().unwrap()]);
    let private_text: Vec<String> = private.iter().map(|p| p.to_string()).collect();
    let against_private = verify
        .lines()
        .filter(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            f.len() == 7
                && plan_versions.contains(&f[0].to_string())
                && private_text.contains(&f[6].to_string())
        })
        .count();
    assert!(against_private >= 3, "{verify}");

    let acme = acme();
    let out = tempfile::tempdir().unwrap();
    let joint = out.path().join("joint");
    fork(&big.path().join("plans/northwind"), acme.path(), &joint)
        .assert()
        .success();
    let fsck = std::process::Command::new("git")
        .current_dir(&joint)
        .args(["fsck", "--strict", "--full", "--no-dangling"])
        .output()
        .unwrap();
    assert!(
        fsck.status.success() && fsck.stdout.is_empty(),
        "{}{}",
        String::from_utf8_lossy(&fsck.stdout),
        String::from_utf8_lossy(&fsck.stderr)
    );
    assert_eq!(
        versions(&joint, "parties/northwind/registers/risks.yaml"),
        plan_versions
    );
    let repo = git2::Repository::open(&joint).unwrap();
    let odb = repo.odb().unwrap();
    for (id, text) in private.iter().zip(&private_text) {
        assert!(!odb.exists(*id), "private blob {text} was copied");
    }
    assert_eq!(
        git_in(&joint, &["cat-file", "blob", &plan_versions[0]]),
        register
    );
}

#[test]
fn the_commit_count_agrees_with_git_log_and_names_the_approvals() {
    let (nw, ac) = (northwind(), acme());
    let out = tempfile::tempdir().unwrap();
    let j = out.path().join("joint");
    let run = fork(nw.path(), ac.path(), &j).assert().success();
    let said = String::from_utf8_lossy(&run.get_output().stdout).into_owned();
    let changing = git_log(&j, "parties/acme/").len();
    assert!(
        said.contains(&format!(
            "{changing} commit(s) changing parties/acme/, and 1 approval commit(s), which change no file"
        )),
        "{said}"
    );
}

/// A final joint narrative needs every partner's SER: one SER's approval of
/// this version is not the partners' agreement.
#[test]
fn a_final_joint_document_needs_every_partners_ser() {
    let (nw, ac) = (northwind(), acme());
    let out = tempfile::tempdir().unwrap();
    let j = out.path().join("joint");
    fork(nw.path(), ac.path(), &j).assert().success();
    let doc = "05-working-together/README.md";
    let text = std::fs::read_to_string(j.join(doc)).unwrap();
    std::fs::write(
        j.join(doc),
        text.replacen("status: draft", "status: final", 1),
    )
    .unwrap();
    crate::common::commit_all(&j, "The joint stage 5 narrative is final", 320);
    let approve = |by: &str| {
        let home = tempfile::tempdir().unwrap();
        let mut cmd = bsrmp();
        crate::common::identity(&mut cmd, home.path());
        cmd.env("GIT_COMMITTER_DATE", "@1795428000 +0000")
            .arg("approve")
            .arg(&j)
            .arg(doc)
            .args(["--by", by, "--as", "SER"])
            .assert()
            .success();
    };
    let missing = |j: &Path| -> Vec<String> {
        let out = bsrmp()
            .arg("check")
            .arg(j)
            .args(["--today", "2026-11-23", "--format", "json"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "not-approved" && f["location"]["file"] == doc)
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    approve("eharcourt");
    let m = missing(&j);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert!(
        m[0].contains("SER of acme") && m[0].contains("7.10"),
        "{}",
        m[0]
    );
    approve("ser");
    assert!(missing(&j).is_empty(), "{:#?}", missing(&j));
}
