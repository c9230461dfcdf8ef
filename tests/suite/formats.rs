//! Every output format, validated: JSON against its schema, JUnit and SARIF
//! well-formed with the fields CI tools read, GitHub annotations escaped.

use crate::common::{TODAY, bsrmp, plan};
use quick_xml::Reader;
use quick_xml::events::Event;

fn run(dir: &std::path::Path, format: &str) -> (String, i32) {
    let out = bsrmp()
        .arg("check")
        .arg(dir)
        .args(["--today", TODAY, "--format", format])
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

/// A plan with errors and warnings, and text that needs escaping.
fn broken() -> crate::common::Fixture {
    let f = plan();
    f.edit("registers/risks.yaml", "    owner: ops\n", "");
    f.edit(
        "registers/actions.yaml",
        "due: 2027-01-31",
        "due: 2026-10-01",
    );
    f.edit(
        "registers/actions.yaml",
        "title: Publish the policy",
        "title: \"Publish <policy> & 'notes', 100%: done\"",
    );
    f.edit("01-awareness/README.md", "## 3.4 Value", "### Value");
    f
}

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/schemas/check.schema.json"
    ))
    .unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

#[test]
fn json_matches_its_schema() {
    let validator = schema();
    for f in [plan(), broken()] {
        let (text, code) = run(f.path(), "json");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(v["clauses"].as_array().unwrap().len(), 89);
        assert_eq!(code, if v["result"] == "pass" { 0 } else { 1 });
    }
}

#[test]
fn json_load_errors_match_the_schema_too() {
    let f = plan();
    f.edit("registers/risks.yaml", "    owner: ops", "    ownr: ops");
    let (text, code) = run(f.path(), "json");
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(schema().is_valid(&v));
    assert_eq!(v["findings"][0]["location"]["line"], 11);
}

#[test]
fn junit_is_well_formed_with_one_case_per_clause() {
    let f = broken();
    let (text, code) = run(f.path(), "junit");
    assert_eq!(code, 1);
    let mut reader = Reader::from_str(&text);
    let (mut cases, mut failures, mut skipped, mut suites) = (0, 0, 0, 0);
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("bad XML at {}: {e}\n{text}", reader.buffer_position()))
        {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "testcase" => {
                    cases += 1;
                    assert!(e.try_get_attribute("name").unwrap().is_some());
                    assert!(e.try_get_attribute("classname").unwrap().is_some());
                }
                "failure" => failures += 1,
                "skipped" => skipped += 1,
                "testsuite" => suites += 1,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(cases, 90, "89 clauses and the integrity case");
    assert_eq!(suites, 9, "eight stages and integrity");
    assert_eq!(
        skipped, 70,
        "stages 2 and 4-8 do not apply to a corporate plan"
    );
    assert_eq!(failures, 2, "3.4 missing, 3.7 partial");
    assert!(
        text.contains(r#"<testsuites name="bsrmp check acme-corporate" tests="90" failures="2""#)
    );
}

#[test]
fn sarif_has_rules_results_and_locations() {
    let f = broken();
    let (text, _) = run(f.path(), "sarif");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), bsrmp::code::Code::ALL.len());
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(r["message"]["text"].as_str().unwrap().len() > 10);
        if r["level"] == "note" {
            continue; // the plan is not in git: a note with no location
        }
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        // Outside git and outside the current folder: an absolute file URI.
        let abs = f.path().canonicalize().unwrap();
        assert!(
            uri.starts_with(&format!("file://{}/", abs.display())),
            "{uri}"
        );
    }
    let owner = results
        .iter()
        .find(|r| r["ruleId"] == "field-missing")
        .unwrap();
    assert_eq!(
        owner["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    assert_eq!(owner["properties"]["clause"], "3.7");
}

#[test]
fn github_annotations_name_file_and_line() {
    let f = broken();
    let out = bsrmp()
        .current_dir(f.path().parent().unwrap())
        .arg("check")
        .arg(f.path().file_name().unwrap())
        .args(["--today", TODAY, "--format", "github"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let name = f.path().file_name().unwrap().to_str().unwrap();
    assert!(
        text.contains(&format!("::error file={name}/registers/risks.yaml,line=2,col=5,title=field-missing (clause 3.7)::risk R-1 has no owner%0Ahelp: ")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "::warning file={name}/registers/actions.yaml,line=2,col="
        )),
        "{text}"
    );
    assert!(
        text.lines()
            .all(|l| l.starts_with("::") || l.starts_with("FAIL") || l.starts_with("PASS"))
    );
    assert!(
        text.trim_end()
            .ends_with("0 warning(s); 17 of 19 due clauses met")
            || text.contains("FAIL: 2 error(s), 1 warning(s)"),
        "{text}"
    );
}

#[test]
fn human_report_snapshot() {
    let f = broken();
    let (text, code) = run(f.path(), "human");
    assert_eq!(code, 1);
    insta::assert_snapshot!("human_broken", text);
}

#[test]
fn human_load_error_snapshot() {
    let f = plan();
    f.edit(
        "registers/risks.yaml",
        "    likelihood: 4",
        "    likelihood: high",
    );
    let out = bsrmp().arg("check").arg(f.path()).output().unwrap();
    let text = String::from_utf8(out.stderr)
        .unwrap()
        .replace(f.path().to_str().unwrap(), "PLAN");
    insta::assert_snapshot!("human_load_error", text);
}

#[test]
fn sarif_paths_are_encoded_and_relative_to_the_repository() {
    let top = tempfile::tempdir().unwrap();
    git2::Repository::init(top.path()).unwrap();
    let f = broken();
    let sub = top.path().join("plans/Équipe A");
    std::fs::create_dir_all(&sub).unwrap();
    crate::common::copy_dir(f.path(), &sub);
    crate::common::commit_all(top.path(), "Add the plan", 0);
    // Run from elsewhere, with the plan's absolute path.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = bsrmp()
        .current_dir(elsewhere.path())
        .arg("check")
        .arg(&sub)
        .args(["--today", TODAY, "--format", "sarif"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &v["runs"][0];
    let root = run["originalUriBaseIds"]["SRCROOT"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
    let mut located = 0;
    for r in run["results"].as_array().unwrap() {
        let a = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        if a.is_null() {
            continue;
        }
        located += 1;
        let uri = a["uri"].as_str().unwrap();
        assert!(uri.starts_with("plans/%C3%89quipe%20A/"), "{uri}");
        assert_eq!(a["uriBaseId"], "SRCROOT");
    }
    assert!(located > 0);
}

/// A plan with `n` overdue actions besides its own: one code, many findings.
fn many_overdue(n: usize) -> crate::common::Fixture {
    let f = plan();
    let extra: String = (1..=n)
        .map(|i| {
            format!(
                "  - id: A-L{i:03}\n    title: Late item {i}\n    stage: 1\n    owner: ser\n    due: 2026-10-01\n    status: open\n"
            )
        })
        .collect();
    f.append("registers/actions.yaml", &extra);
    f
}

/// The human report of `check --all-findings`.
fn all_findings(dir: &std::path::Path) -> String {
    let out = bsrmp()
        .arg("check")
        .arg(dir)
        .args(["--today", TODAY, "--all-findings"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn many_alike_findings_are_counted_past_the_first_ten() {
    let f = many_overdue(60);
    let (text, code) = run(f.path(), "human");
    assert_eq!(code, 0, "warnings only: {text}");
    // Ten drawn, the fifty others counted with the lines they stand at.
    assert_eq!(text.matches("was due on 2026-10-01").count(), 10, "{text}");
    assert!(text.contains("A-L010 was due"), "{text}");
    assert!(!text.contains("A-L011 was due"), "{text}");
    // A-L001's id is on line 14, each action six lines on.
    let first = 14 + 6 * 10;
    let last = 14 + 6 * 59;
    assert!(
        text.contains(&format!(
            "… and 50 more action-overdue warnings like these, in registers/actions.yaml (lines {first} to {last})"
        )),
        "{text}"
    );
    assert!(
        text.contains("50 of 61 findings are counted above, not drawn: add --all-findings"),
        "{text}"
    );
    // The verdict counts every one, and the other formats list every one.
    assert!(text.contains("60 warning(s)"), "{text}");
    let (json, _) = run(f.path(), "json");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let overdue = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["code"] == "action-overdue")
        .count();
    assert_eq!(overdue, 60);

    let all = all_findings(f.path());
    assert_eq!(all.matches("was due on 2026-10-01").count(), 60, "{all}");
    assert!(!all.contains("more action-overdue"), "{all}");
    assert!(!all.contains("--all-findings"), "{all}");
}

#[test]
fn fifty_alike_findings_are_all_drawn() {
    let f = many_overdue(50);
    let (text, _) = run(f.path(), "human");
    assert_eq!(text.matches("was due on 2026-10-01").count(), 50, "{text}");
    assert!(!text.contains("--all-findings"), "{text}");
}

#[test]
fn a_snippet_deep_in_a_large_register_shows_its_own_lines() {
    let f = many_overdue(999);
    let text = all_findings(f.path());
    assert_eq!(text.matches("was due on 2026-10-01").count(), 999);
    // Late item 900: its id's line, and the lines either side.
    let line = 14 + 6 * 899;
    for want in [
        format!("[registers/actions.yaml:{line}:5]"),
        format!(" {} │     status: open", line - 1),
        format!(" {line} │   - id: A-L900"),
        format!(" {} │     title: Late item 900", line + 1),
    ] {
        assert!(text.contains(&want), "{want} not in {text}");
    }
}
