//! Interrupted and concurrent work: renders, `init` and `fork-joint` killed at
//! many points of their run, and renders racing into the same folder. What is
//! left must always be whole (the earlier result or the new one), and a second
//! run must never be refused because of a half-made folder.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Duration;

use crate::common::{TODAY, commit_all, copy_dir};
use sha2::{Digest, Sha256};

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bsrmp"));
    cmd.env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Dana Whitfield")
        .env("GIT_AUTHOR_EMAIL", "dana@example.com")
        .env("GIT_COMMITTER_NAME", "Dana Whitfield")
        .env("GIT_COMMITTER_EMAIL", "dana@example.com")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    cmd
}

/// A bundled example in a repository of its own, with one fixed commit.
fn example_repo(name: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name),
        d.path(),
    );
    git2::Repository::init(d.path()).unwrap();
    commit_all(d.path(), "Import the plan", 0);
    d
}

fn render(plan: &Path, out: &Path, epoch: u64) -> Child {
    bin()
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .arg("render")
        .arg(plan)
        .arg("--out")
        .arg(out)
        .args(["--format", "html,md", "--today", TODAY])
        .spawn()
        .unwrap()
}

/// Kills `child` after `ms` milliseconds (if it is still running) and reaps it.
fn kill_after(mut child: Child, ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
    let _ = child.kill();
    let _ = child.wait();
}

/// Every file of the pack is listed in its manifest with the right size and
/// hash, and nothing else is there. Returns the manifest's generation time.
fn whole_pack(out: &Path) -> String {
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.join("manifest.json"))
            .unwrap_or_else(|e| panic!("{}: no manifest: {e}", out.display())),
    )
    .unwrap();
    let mut listed = BTreeSet::from(["manifest.json".to_string()]);
    for f in manifest["files"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap();
        let bytes = std::fs::read(out.join(path))
            .unwrap_or_else(|e| panic!("{path} is listed but missing: {e}"));
        let hash: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hash, f["sha256"].as_str().unwrap(), "{path} does not match");
        listed.insert(path.to_string());
    }
    let present: BTreeSet<String> = crate::common::tree(out).into_keys().collect();
    assert_eq!(present, listed, "files beside the manifest's");
    manifest["generated"].as_str().unwrap().to_string()
}

/// Hidden temporary folders a run left in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".bsrmp-"))
        .collect()
}

#[test]
fn a_killed_render_leaves_a_whole_pack() {
    let plan = example_repo("northwind-corporate");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("pack");
    let first = render(plan.path(), &out, 1_795_428_000)
        .wait_with_output()
        .unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let original = whole_pack(&out);

    let (mut kept, mut replaced) = (0, 0);
    for (i, ms) in [0, 2, 5, 10, 15, 20, 30, 40, 60, 80, 100, 150, 200, 300, 500]
        .into_iter()
        .enumerate()
    {
        kill_after(
            render(plan.path(), &out, 1_795_428_000 + 60 * (i as u64 + 1)),
            ms,
        );
        // Whatever the moment of the kill, the folder holds one whole pack.
        let now = whole_pack(&out);
        if now == original {
            kept += 1;
        } else {
            replaced += 1;
        }
    }
    eprintln!(
        "kills that left the earlier pack: {kept}; after the new one was in place: {replaced}"
    );
    // A render after all that works, and leaves the folder whole.
    let last = render(plan.path(), &out, 1_795_500_000)
        .wait_with_output()
        .unwrap();
    assert!(
        last.status.success(),
        "{}",
        String::from_utf8_lossy(&last.stderr)
    );
    assert_eq!(whole_pack(&out), "2026-11-24T06:00:00Z");
}

#[test]
fn renders_racing_into_one_folder_do_not_mix() {
    let plan = example_repo("northwind-corporate");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("pack");
    for round in 0..4u64 {
        let epochs: Vec<u64> = (0..3)
            .map(|k| 1_795_428_000 + round * 1000 + k * 60)
            .collect();
        let children: Vec<Child> = epochs
            .iter()
            .map(|&e| render(plan.path(), &out, e))
            .collect();
        for c in children {
            let o = c.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
        // One of the three, whole; never a mixture.
        let generated = whole_pack(&out);
        let expected: Vec<String> = epochs
            .iter()
            .map(|&e| {
                jiff::Timestamp::from_second(e as i64)
                    .unwrap()
                    .strftime("%Y-%m-%dT%H:%M:%SZ")
                    .to_string()
            })
            .collect();
        assert!(
            expected.contains(&generated),
            "{generated} not in {expected:?}"
        );
        let index = std::fs::read_to_string(out.join("index.html")).unwrap();
        let md = std::fs::read_to_string(out.join("pack.md")).unwrap();
        let date = &generated[..10];
        assert!(index.contains(date) && md.contains(date));
        assert!(
            leftovers(work.path()).is_empty(),
            "{:?}",
            leftovers(work.path())
        );
    }
}

/// The target of an interrupted run: absent, or a complete result.
fn settle(dir: &Path, complete: impl Fn(&Path) -> bool) -> bool {
    if !dir.exists() {
        return false;
    }
    assert!(
        complete(dir),
        "{} exists but is not complete: {:?}",
        dir.display(),
        crate::common::tree(dir)
            .into_keys()
            .take(20)
            .collect::<Vec<_>>()
    );
    true
}

fn committed_plan(dir: &Path) -> bool {
    let repo = git2::Repository::open(dir).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    dir.join("rmp.toml").is_file() && head.tree().unwrap().get_name("rmp.toml").is_some()
}

#[test]
fn a_killed_init_leaves_nothing_a_rerun_refuses() {
    let work = tempfile::tempdir().unwrap();
    for (i, ms) in [0, 1, 3, 5, 10, 20, 40, 80, 150].into_iter().enumerate() {
        let dir = work.path().join(format!("plan-{i}"));
        let child = bin()
            .arg("init")
            .arg(&dir)
            .args(["--org", "Acme Rail", "--today", TODAY])
            .spawn()
            .unwrap();
        kill_after(child, ms);
        let done = settle(&dir, committed_plan);
        let again = bin()
            .arg("init")
            .arg(&dir)
            .args(["--org", "Acme Rail", "--today", TODAY])
            .output()
            .unwrap();
        let says = String::from_utf8_lossy(&again.stderr);
        if done {
            // A complete plan is refused, and the message says why.
            assert_eq!(again.status.code(), Some(2));
            assert!(
                says.contains("already exists and is not an empty folder"),
                "{says}"
            );
        } else {
            assert!(again.status.success(), "a rerun was refused: {says}");
            assert!(committed_plan(&dir));
        }
    }
}

#[test]
fn a_killed_fork_joint_leaves_nothing_a_rerun_refuses() {
    let ours = example_repo("northwind-project");
    let theirs = example_repo("meridian-project");
    let before: Vec<_> = [ours.path(), theirs.path()]
        .iter()
        .map(|p| crate::common::tree(p))
        .collect();
    let work = tempfile::tempdir().unwrap();
    let fork = |out: &PathBuf| {
        let mut cmd = bin();
        cmd.arg("fork-joint")
            .arg("--ours")
            .arg(ours.path())
            .arg("--theirs")
            .arg(theirs.path())
            .arg("--out")
            .arg(out);
        cmd
    };
    for (i, ms) in [0, 5, 10, 20, 40, 80, 120, 200, 400]
        .into_iter()
        .enumerate()
    {
        let out = work.path().join(format!("joint-{i}"));
        kill_after(fork(&out).spawn().unwrap(), ms);
        let done = settle(&out, |d| {
            committed_plan(d) && d.join("MERGE-REPORT.md").is_file()
        });
        let again = fork(&out).output().unwrap();
        let says = String::from_utf8_lossy(&again.stderr);
        if done {
            assert_eq!(again.status.code(), Some(2));
            assert!(says.contains("not an empty folder"), "{says}");
        } else {
            assert!(again.status.success(), "a rerun was refused: {says}");
        }
    }
    let after: Vec<_> = [ours.path(), theirs.path()]
        .iter()
        .map(|p| crate::common::tree(p))
        .collect();
    assert!(before == after, "a source changed");
}

/// Sends `signal` to `child` after `ms` milliseconds and returns its exit
/// code (`None` when the signal ended it before bsrmp could catch it).
fn signal_after(mut child: Child, signal: &str, ms: u64) -> Option<i32> {
    std::thread::sleep(Duration::from_millis(ms));
    let _ = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status();
    child.wait().unwrap().code()
}

#[test]
fn interrupted_runs_leave_no_temporary_folders() {
    let plan = example_repo("northwind-corporate");
    let ours = example_repo("northwind-project");
    let theirs = example_repo("meridian-project");
    let work = tempfile::tempdir().unwrap();
    let mut caught = 0;
    for (i, ms) in [10, 40, 120, 300].into_iter().enumerate() {
        for (signal, code) in [("INT", 130), ("TERM", 143)] {
            let pack = work.path().join(format!("pack-{i}-{signal}"));
            let plan_dir = work.path().join(format!("plan-{i}-{signal}"));
            let joint = work.path().join(format!("joint-{i}-{signal}"));
            let runs = [
                render(plan.path(), &pack, 1_795_428_000),
                bin()
                    .arg("init")
                    .arg(&plan_dir)
                    .args(["--org", "Acme Rail", "--today", TODAY])
                    .spawn()
                    .unwrap(),
                bin()
                    .arg("fork-joint")
                    .arg("--ours")
                    .arg(ours.path())
                    .arg("--theirs")
                    .arg(theirs.path())
                    .arg("--out")
                    .arg(&joint)
                    .spawn()
                    .unwrap(),
            ];
            for child in runs {
                let got = signal_after(child, signal, ms);
                assert!(
                    matches!(got, None | Some(0)) || got == Some(code),
                    "exit {got:?} after SIG{signal}"
                );
                caught += usize::from(got == Some(code));
            }
            // Once all three have ended (a folder of a run still going is
            // not a leftover).
            assert!(
                leftovers(work.path()).is_empty(),
                "SIG{signal} after {ms} ms left {:?}",
                leftovers(work.path())
            );
        }
    }
    assert!(caught > 0, "no run was interrupted while at work");
}

#[test]
fn the_next_run_removes_what_a_killed_run_left() {
    let plan = example_repo("northwind-corporate");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("pack");
    // A kill (which no program can catch) while the pack is being written:
    // as soon as its temporary folder appears.
    let mut left = Vec::new();
    for _ in 0..20 {
        let mut child = render(plan.path(), &out, 1_795_428_000);
        while child.try_wait().unwrap().is_none() {
            if leftovers(work.path()).iter().any(|n| !n.ends_with(".lock")) {
                let _ = child.kill();
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let _ = child.wait();
        left = leftovers(work.path());
        if !left.is_empty() {
            break;
        }
    }
    assert!(
        !left.is_empty(),
        "no kill landed while the pack was written"
    );
    let again = render(plan.path(), &out, 1_795_428_000)
        .wait_with_output()
        .unwrap();
    let says = String::from_utf8_lossy(&again.stderr);
    assert!(again.status.success(), "{says}");
    assert!(says.contains("left by an interrupted run"), "{says}");
    assert!(
        leftovers(work.path()).is_empty(),
        "{:?}",
        leftovers(work.path())
    );
    whole_pack(&out);
}
