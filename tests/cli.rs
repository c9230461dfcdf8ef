//! The command line's own outputs: version, shell completions, manual page.

mod common;

use common::bsrmp;
use predicates::prelude::*;

#[test]
fn version_names_the_checklist() {
    bsrmp()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains("checklist"))
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn completions_generate_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = bsrmp().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for sub in ["check", "render", "fork-joint", "approve"] {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
    }
    bsrmp().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_page_is_roff() {
    bsrmp()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(".ie"))
        .stdout(predicate::str::contains(".TH bsrmp 1"))
        .stdout(predicate::str::contains("fork\\-joint"));
}

#[test]
fn status_snapshots() {
    let f = common::plan();
    // An overdue action and a risk without an owner.
    f.edit(
        "registers/actions.yaml",
        "due: 2027-01-31",
        "due: 2026-10-01",
    );
    f.edit("registers/risks.yaml", "    owner: ops\n", "");
    let out = bsrmp()
        .arg("status")
        .arg(f.path())
        .args(["--today", common::TODAY])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!("status_fixture", String::from_utf8_lossy(&out.stdout));

    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/northwind-project");
    let out = bsrmp()
        .arg("status")
        .arg(example)
        .args(["--today", common::TODAY])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(
        "status_northwind_project",
        String::from_utf8_lossy(&out.stdout)
    );
}
