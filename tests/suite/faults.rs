//! Faults from outside the plan: a repository the user may read but not
//! write, commands racing on one repository. Whatever happens, bsrmp never
//! reports a success it did not have.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Fixture, commit_all, plan};

/// The fixture plan in a new repository, committed.
fn repo_plan() -> Fixture {
    let f = plan();
    git2::Repository::init(f.path()).unwrap();
    commit_all(f.path(), "Start the plan", 0);
    f
}

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("id runs");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

fn set_mode(path: &Path, dirs: u32, files: u32) {
    use std::os::unix::fs::PermissionsExt;
    for e in walkdir::WalkDir::new(path) {
        let e = e.unwrap();
        let mode = if e.file_type().is_dir() { dirs } else { files };
        std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

/// Runs the binary with `args` as a user who may read `f`'s repository but
/// not write its object store. As root (where permissions do not bind) the
/// command runs as `nobody`, with the repository given to that user, as a
/// shared or read-only copy would be.
fn without_write_access(f: &Fixture, args: &[&str]) -> std::process::Output {
    let objects = f.file(".git/objects");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_bsrmp"));
    let out = if is_root() {
        // `nobody` cannot reach the build folder, so the binary goes along.
        let local = f.file(".bsrmp-under-test");
        if std::fs::hard_link(&bin, &local).is_err() {
            std::fs::copy(&bin, &local).unwrap();
        }
        for e in walkdir::WalkDir::new(f.path()) {
            std::os::unix::fs::chown(e.unwrap().path(), Some(65534), Some(65534)).unwrap();
        }
        set_mode(&objects, 0o555, 0o444);
        let out = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&local)
            .args(args)
            .env("HOME", f.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("setpriv (util-linux) runs the command as nobody");
        let _ = std::fs::remove_file(&local);
        // Back to root, whose git would refuse a repository it does not own.
        for e in walkdir::WalkDir::new(f.path()) {
            std::os::unix::fs::chown(e.unwrap().path(), Some(0), Some(0)).unwrap();
        }
        out
    } else {
        set_mode(&objects, 0o555, 0o444);
        Command::new(&bin)
            .args(args)
            .env("HOME", f.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    set_mode(&objects, 0o755, 0o444);
    out
}

fn head(dir: &Path) -> String {
    git2::Repository::open(dir)
        .unwrap()
        .refname_to_id("HEAD")
        .unwrap()
        .to_string()
}

#[cfg(unix)]
#[test]
fn an_approval_git_cannot_store_is_an_error_not_a_success() {
    let f = repo_plan();
    let before = head(f.path());
    let plan = f.path().to_string_lossy().into_owned();
    let out = without_write_access(
        &f,
        &[
            "approve",
            &plan,
            "01-awareness/README.md",
            "--by",
            "ser",
            "--as",
            "SER",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(!stdout.contains("Approved"), "{stdout}");
    assert!(
        stderr.contains("the approval was not recorded")
            && stderr.contains(".git/objects")
            && stderr.contains("Permission denied"),
        "{stderr}"
    );
    assert_eq!(head(f.path()), before, "no commit may be added");
}

#[test]
fn approvals_racing_on_one_repository_are_recorded_or_refused_with_advice() {
    let f = repo_plan();
    let home = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..12)
        .map(|i| {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_bsrmp"));
            cmd.arg("approve")
                .arg(f.path())
                .arg("01-awareness/README.md")
                .args(["--by", "ser", "--as", "SER", "-m"])
                .arg(format!("approval {i}"))
                .env("HOME", home.path())
                .env("NO_COLOR", "1")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            cmd.spawn().unwrap()
        })
        .collect();
    let mut made = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => made += 1,
            Some(2) => assert!(
                stderr.contains("nothing was recorded") && stderr.contains("run this again"),
                "a refused approval must say what to do: {stderr}"
            ),
            other => panic!("exit {other:?}: {stderr}"),
        }
    }
    // Every approval reported made is in the history, and no other.
    let repo = git2::Repository::open(f.path()).unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push_head().unwrap();
    let recorded = walk
        .filter(|id| {
            let c = repo.find_commit(*id.as_ref().unwrap()).unwrap();
            c.message().unwrap_or("").contains("Approved-by:")
        })
        .count();
    assert!(made >= 1);
    assert_eq!(recorded, made);
}
