//! ISO 44001:2017 references: each BS 11000 stage shown with its ISO 44001
//! stage in `check`, `explain`, `checklist` and the pack.

use predicates::prelude::*;

use crate::common::{bsrmp, plan};
use crate::render::{pdftotext, rendered};

const TODAY: &str = "2026-06-01";

fn check(dir: &std::path::Path, extra: &[&str]) -> String {
    let out = bsrmp()
        .arg("check")
        .arg(dir)
        .args(["--today", TODAY])
        .args(extra)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn check_labels_each_stage_with_iso_44001_when_asked() {
    let f = plan();
    let plain = check(f.path(), &[]);
    assert!(!plain.contains("ISO 44001"), "{plain}");
    let iso = check(f.path(), &["--standard", "iso44001"]);
    assert!(
        iso.contains("Each stage is shown with its place in ISO 44001:2017"),
        "{iso}"
    );
    assert!(iso.contains("Stage 1 · Awareness · ISO 44001 stage 1: operational awareness"));
    // The same clauses and verdict either way: only the labels differ.
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("Each stage is shown"))
            .map(|l| match l.find(" · ISO 44001 stage ") {
                // The label runs to the line's end, or to the two spaces
                // before a one-line stage's status.
                Some(at) => {
                    let rest = &l[at..];
                    let end = rest.find("  ").unwrap_or(rest.len());
                    format!("{}{}", &l[..at], &rest[end..])
                }
                None => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&plain), strip(&iso));
    bsrmp()
        .arg("check")
        .arg(f.path())
        .args(["--standard", "iso9001"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("iso44001"));
}

#[test]
fn the_json_report_gives_every_stage_its_iso_44001_stage() {
    let f = plan();
    let v: serde_json::Value =
        serde_json::from_str(&check(f.path(), &["--format", "json"])).unwrap();
    let stages = v["stages"].as_array().unwrap();
    assert!(!stages.is_empty());
    for s in stages {
        assert_eq!(s["iso44001"]["stage"], s["stage"], "{s}");
        assert!(
            s["iso44001"]["name"]
                .as_str()
                .is_some_and(|n| !n.is_empty())
        );
    }
    let first = stages.iter().find(|s| s["stage"] == 1).unwrap();
    assert_eq!(first["iso44001"]["name"], "operational awareness");
}

#[test]
fn explain_and_checklist_name_the_iso_44001_stage() {
    bsrmp()
        .args(["explain", "7.4"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "In ISO 44001:2017: stage 5, working together",
        ));
    bsrmp()
        .args(["checklist", "--stage", "8"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Stage 8 · Exit strategy (management phase) · ISO 44001 stage 8: exit strategy",
        ));
    let out = bsrmp()
        .args(["checklist", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for r in v["requirements"].as_array().unwrap() {
        assert_eq!(r["iso44001"]["stage"], r["stage"], "{}", r["clause"]);
    }
}

#[test]
fn the_pack_shows_the_iso_44001_stage_of_every_clause() {
    let f = plan();
    let (_out, pack) = rendered(f.path(), "html,md,pdf");
    let matrix = std::fs::read_to_string(pack.join("matrix.html")).unwrap();
    let rows = matrix.matches(r#"<tr id="clause-"#).count();
    assert!(rows > 0);
    assert_eq!(
        matrix
            .matches(r#"<span class="small muted">ISO 44001 stage "#)
            .count(),
        rows,
        "one ISO 44001 stage under every clause"
    );
    assert!(matrix.contains(
        r#"<th scope="row">3.1<br><span class="small muted">ISO 44001 stage 1</span></th>"#
    ));
    let md = std::fs::read_to_string(pack.join("pack.md")).unwrap();
    assert!(
        md.contains("| 3.1 (ISO 44001 stage 1) |"),
        "no ISO 44001 stage in pack.md"
    );
    let stage = std::fs::read_to_string(pack.join("stage-1.html")).unwrap();
    assert!(stage.contains("ISO 44001 stage 1: operational awareness"));
    if !cfg!(feature = "pdf") {
        return;
    }
    if let Some(text) = pdftotext(&pack.join("pack.pdf")) {
        assert!(
            text.contains("ISO 44001 stage 1"),
            "no ISO 44001 stage in the PDF"
        );
    }
}
