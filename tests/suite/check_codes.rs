//! One test per finding code: the fixture plan passes, then each test breaks it
//! in one way and expects that code, at the right place, with the right exit.

use crate::common::{Fixture, plan};
use predicates::prelude::*;

#[test]
fn fixture_plan_passes_with_no_finding() {
    let f = plan();
    let (v, code) = f.json();
    // The fixture is not in git: one note says document control cannot be verified.
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{v:#}");
    assert_eq!(findings[0]["code"], "incomplete-history");
    assert_eq!(findings[0]["severity"], "note");
    assert_eq!(code, 0);
    assert_eq!(v["result"], "pass");
    assert_eq!(v["summary"]["met"], 19);
    f.check(&["--deny-warnings"])
        .success()
        .stdout(predicate::str::contains("PASS"));
}

fn at(finding: &serde_json::Value) -> (String, u64) {
    (
        finding["location"]["file"]
            .as_str()
            .unwrap_or("")
            .to_string(),
        finding["location"]["line"].as_u64().unwrap_or(0),
    )
}

/// The plan cannot be read: exit 2, and the message names file and line.
fn unreadable(f: &Fixture, code: &str, file_line: &str) {
    f.check(&[])
        .code(2)
        .stderr(predicate::str::contains(code))
        .stderr(predicate::str::contains(file_line));
    let out = crate::common::bsrmp()
        .arg("check")
        .arg(f.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["result"], "error");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["code"] == code),
        "{v:#}"
    );
}

#[test]
fn invalid_manifest() {
    let f = plan();
    f.edit("rmp.toml", "stage = 3", "stage = \"three\"");
    unreadable(&f, "invalid-manifest", "rmp.toml:5:");
}

#[test]
fn manifest_stage_out_of_range() {
    let f = plan();
    f.edit("rmp.toml", "stage = 3", "stage = 9");
    unreadable(&f, "invalid-manifest", "rmp.toml:5:");
}

#[test]
fn missing_manifest_is_not_a_plan() {
    let f = plan();
    std::fs::remove_file(f.file("rmp.toml")).unwrap();
    f.check(&[])
        .code(2)
        .stderr(predicate::str::contains("no rmp.toml"));
}

#[test]
fn invalid_yaml() {
    let f = plan();
    f.edit(
        "registers/risks.yaml",
        "    likelihood: 4",
        "    likelihood: [4",
    );
    unreadable(&f, "invalid-yaml", "registers/risks.yaml:");
}

#[test]
fn invalid_record_unknown_field() {
    let f = plan();
    f.edit("registers/risks.yaml", "    owner: ops", "    ownr: ops");
    unreadable(&f, "invalid-record", "registers/risks.yaml:11:5");
    f.check(&[])
        .stderr(predicate::str::contains("unknown field `ownr`"));
}

#[test]
fn invalid_record_wrong_type_and_range() {
    let f = plan();
    f.edit(
        "registers/risks.yaml",
        "    likelihood: 4",
        "    likelihood: high",
    );
    unreadable(&f, "invalid-record", "registers/risks.yaml:6:17");
    let f = plan();
    f.edit("registers/risks.yaml", "    impact: 4", "    impact: 7");
    unreadable(&f, "invalid-record", "registers/risks.yaml:7:13");
}

#[test]
fn invalid_record_bad_date() {
    let f = plan();
    f.edit(
        "registers/actions.yaml",
        "due: 2027-01-31",
        "due: 31/01/2027",
    );
    unreadable(&f, "invalid-record", "registers/actions.yaml:6:");
    f.check(&[]).stderr(predicate::str::contains("YYYY-MM-DD"));
}

#[test]
fn invalid_front_matter() {
    let f = plan();
    f.edit(
        "01-awareness/README.md",
        "approver: SER",
        "approver: SER\ncolour: blue",
    );
    unreadable(&f, "invalid-record", "01-awareness/README.md:6:");
}

#[test]
fn duplicate_id() {
    let f = plan();
    f.edit("registers/actions.yaml", "  - id: A-2", "  - id: A-1");
    unreadable(&f, "duplicate-id", "registers/actions.yaml:8:");
}

#[test]
fn not_utf8() {
    let f = plan();
    let mut bytes = f.read("registers/risks.yaml").into_bytes();
    bytes.extend_from_slice(b"  # caf\xe9\n");
    std::fs::write(f.file("registers/risks.yaml"), bytes).unwrap();
    unreadable(&f, "not-utf8", "registers/risks.yaml:15:");
}

#[cfg(unix)]
#[test]
fn symlink_refused() {
    let f = plan();
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), crate::common::RISKS).unwrap();
    std::fs::remove_file(f.file("registers/risks.yaml")).unwrap();
    std::os::unix::fs::symlink(outside.path(), f.file("registers/risks.yaml")).unwrap();
    unreadable(&f, "symlink-refused", "registers/risks.yaml");
}

#[test]
fn all_load_errors_are_reported_at_once() {
    let f = plan();
    f.edit("registers/risks.yaml", "    owner: ops", "    ownr: ops");
    f.edit("registers/actions.yaml", "  - id: A-2", "  - id: A-1");
    f.check(&[])
        .code(2)
        .stderr(predicate::str::contains("invalid-record"))
        .stderr(predicate::str::contains("duplicate-id"))
        .stderr(predicate::str::contains("2 problem(s)"));
}

#[test]
fn section_missing() {
    let f = plan();
    f.edit("01-awareness/README.md", "## 3.4 Value", "### Value");
    let x = f.finding("section-missing");
    assert_eq!(x["clause"], "3.4");
    assert_eq!(at(&x).0, "01-awareness/README.md");
    assert_eq!(f.json().1, 1);
}

#[test]
fn section_missing_when_narrative_is_absent() {
    let f = plan();
    std::fs::remove_file(f.file("03-internal-assessment/README.md")).unwrap();
    let (v, code) = f.json();
    assert_eq!(code, 1);
    let n = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["code"] == "section-missing")
        .count();
    assert_eq!(n, 9, "one per stage 3 clause");
}

#[test]
fn section_empty() {
    let f = plan();
    f.edit(
        "01-awareness/README.md",
        "Acme records here how it meets clause 3.4 in its own practice, with names and dates.",
        "<!-- to be written -->",
    );
    let x = f.finding("section-empty");
    assert_eq!(x["clause"], "3.4");
    assert_eq!(x["severity"], "error");
}

#[test]
fn placeholder() {
    let f = plan();
    f.edit(
        "01-awareness/README.md",
        "with names and dates.\n\n## 3.3",
        "with names and dates.\nTODO: add the board minute\n\n## 3.3",
    );
    let x = f.finding("placeholder");
    assert_eq!(x["clause"], "3.2");
    let (v, _) = f.json();
    let clause = v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == "3.2")
        .unwrap()
        .clone();
    assert_eq!(clause["status"], "partial");
}

#[test]
fn records_missing() {
    let f = plan();
    f.write("registers/risks.yaml", "risks: []\n");
    let x = f.finding("records-missing");
    assert_eq!(x["clause"], "3.7");
    let (v, code) = f.json();
    assert_eq!(code, 1);
    let c = v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == "3.7")
        .unwrap()
        .clone();
    assert_eq!(
        c["status"], "partial",
        "the section is written, the register is empty"
    );
}

#[test]
fn field_missing() {
    let f = plan();
    f.edit(
        "registers/objectives.yaml",
        "    measure: Cost per track mile\n",
        "",
    );
    let x = f.finding("field-missing");
    assert_eq!(x["clause"], "3.3");
    assert!(
        x["message"]
            .as_str()
            .unwrap()
            .contains("objective OBJ-1 has no measure")
    );
    assert_eq!(at(&x), ("registers/objectives.yaml".to_string(), 2));
}

#[test]
fn placeholder_in_a_record_field_does_not_count() {
    let f = plan();
    f.edit(
        "registers/objectives.yaml",
        "Cost per track mile",
        "\"TODO: decide\"",
    );
    assert!(
        f.finding("field-missing")["message"]
            .as_str()
            .unwrap()
            .contains("measure")
    );
}

#[test]
fn cadence_overdue() {
    let f = plan();
    let out = crate::common::bsrmp()
        .arg("check")
        .arg(f.path())
        .args(["--today", "2027-03-01", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let x = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "cadence-overdue")
        .unwrap()
        .clone();
    assert_eq!(x["clause"], "5.6");
    assert!(x["message"].as_str().unwrap().contains("2026-10-30"));
}

#[test]
fn cadence_gap() {
    let f = plan();
    f.edit(
        "registers/ser-reviews.yaml",
        "date: 2026-08-10",
        "date: 2026-05-01",
    );
    let x = f.finding("cadence-gap");
    assert_eq!(x["severity"], "warning");
    assert_eq!(at(&x).1, 9, "points at the later review");
    f.check(&[]).success();
    f.check(&["--deny-warnings"]).code(1);
}

#[test]
fn party_missing() {
    let f = plan();
    // A project plan at stage 5 needs an SER appointment for each party (7.1.1).
    f.edit(
        "rmp.toml",
        "kind = \"corporate\"\nstage = 3",
        "kind = \"project\"\nstage = 5",
    );
    f.edit("01-awareness/ser.yaml", "    party: acme\n", "");
    assert_eq!(f.finding("party-missing")["clause"], "7.1.1");
}

#[test]
fn parties_missing() {
    let f = plan();
    f.edit("rmp.toml", "ser = \"ser\"\n", "");
    let x = f.finding("parties-missing");
    assert_eq!(x["clause"], "3.10");
    assert_eq!(at(&x), ("rmp.toml".to_string(), 8));
}

#[test]
fn document_control_missing() {
    let f = plan();
    f.edit(
        "03-internal-assessment/README.md",
        "review_by: 2027-06-30\n",
        "",
    );
    let x = f.finding("document-control-missing");
    assert!(x["message"].as_str().unwrap().contains("review_by"));
    assert_eq!(at(&x), ("03-internal-assessment/README.md".to_string(), 1));
}

#[test]
fn unknown_person() {
    let f = plan();
    f.edit(
        "registers/risks.yaml",
        "    owner: ops",
        "    owner: nobody",
    );
    let x = f.finding("unknown-person");
    assert_eq!(at(&x), ("registers/risks.yaml".to_string(), 11));
    assert_eq!(f.json().1, 1);
}

#[test]
fn unknown_person_as_party_ser_and_document_owner() {
    let f = plan();
    f.edit("rmp.toml", "ser = \"ser\"", "ser = \"boss\"");
    f.edit("01-awareness/README.md", "owner: ser", "owner: ghost");
    let (v, _) = f.json();
    let places: Vec<(String, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["code"] == "unknown-person")
        .map(at)
        .collect();
    assert!(places.contains(&("rmp.toml".to_string(), 10)), "{places:?}");
    assert!(
        places.contains(&("01-awareness/README.md".to_string(), 4)),
        "{places:?}"
    );
}

#[test]
fn unknown_party() {
    let f = plan();
    f.edit(
        "registers/risks.yaml",
        "raised_by: acme",
        "raised_by: martians",
    );
    assert_eq!(at(&f.finding("unknown-party")).1, 14);
}

#[test]
fn unknown_reference() {
    let f = plan();
    f.edit(
        "registers/ser-reviews.yaml",
        "actions: [A-2]",
        "actions: [A-99]",
    );
    let x = f.finding("unknown-reference");
    assert!(x["message"].as_str().unwrap().contains("A-99"));
}

#[test]
fn unknown_clause() {
    let f = plan();
    f.edit(
        "rmp.toml",
        "[evidence]\n",
        "[evidence]\n\"99.1\" = [\"rmp.toml\"]\n",
    );
    f.finding("unknown-clause");
}

#[test]
fn evidence_pointer_meets_a_clause() {
    let f = plan();
    f.write("evidence/value-procedure.md", "# Value procedure\n");
    f.edit("01-awareness/README.md", "## 3.4 Value", "### Value");
    f.edit(
        "rmp.toml",
        "[evidence]\n",
        "[evidence]\n\"3.4\" = [\"evidence/value-procedure.md\"]\n",
    );
    let (v, code) = f.json();
    assert_eq!(code, 0, "{v:#}");
    let c = v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == "3.4")
        .unwrap()
        .clone();
    assert_eq!(c["status"], "met");
    assert!(
        c["note"]
            .as_str()
            .unwrap()
            .contains("evidence/value-procedure.md")
    );
}

#[test]
fn evidence_not_found() {
    let f = plan();
    f.edit(
        "rmp.toml",
        "[evidence]\n",
        "[evidence]\n\"3.9\" = [\"evidence/missing.pdf\"]\n",
    );
    let x = f.finding("evidence-not-found");
    assert_eq!(at(&x), ("rmp.toml".to_string(), 16));
    // A folder is not a document.
    let f = plan();
    std::fs::create_dir_all(f.file("evidence/folder")).unwrap();
    f.edit(
        "rmp.toml",
        "[evidence]\n",
        "[evidence]\n\"3.9\" = [\"evidence/folder\"]\n",
    );
    assert!(
        f.finding("evidence-not-found")["message"]
            .as_str()
            .unwrap()
            .contains("folder")
    );
}

#[test]
fn evidence_outside_plan() {
    for path in ["../secret.pdf", "/etc/passwd", "evidence/../../x"] {
        let f = plan();
        f.edit(
            "rmp.toml",
            "[evidence]\n",
            &format!("[evidence]\n\"3.9\" = [\"{path}\"]\n"),
        );
        f.finding("evidence-outside-plan");
    }
}

#[cfg(unix)]
#[test]
fn evidence_through_a_symlink_is_outside() {
    let f = plan();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("doc.md"), "x").unwrap();
    std::os::unix::fs::symlink(outside.path(), f.file("evidence")).unwrap();
    f.edit(
        "rmp.toml",
        "[evidence]\n",
        "[evidence]\n\"3.9\" = [\"evidence/doc.md\"]\n",
    );
    f.finding("evidence-outside-plan");
}

#[test]
fn waiver_counts_when_complete() {
    let f = plan();
    f.edit("01-awareness/README.md", "## 3.4 Value", "### Value");
    f.append(
        "rmp.toml",
        "\n[waivers.\"3.4\"]\nreason = \"Value is set by the corporate parent.\"\napproved_by = \"ser\"\ndate = 2026-02-01\n",
    );
    let (v, code) = f.json();
    assert_eq!(code, 0, "{v:#}");
    let c = v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == "3.4")
        .unwrap()
        .clone();
    assert_eq!(c["status"], "waived");
}

#[test]
fn waiver_incomplete() {
    let f = plan();
    f.append(
        "rmp.toml",
        "\n[waivers.\"3.4\"]\nreason = \"Not relevant.\"\n",
    );
    let x = f.finding("waiver-incomplete");
    assert!(x["message"].as_str().unwrap().contains("approved_by, date"));
}

#[test]
fn action_overdue() {
    let f = plan();
    f.edit(
        "registers/actions.yaml",
        "due: 2027-01-31",
        "due: 2026-10-01",
    );
    let x = f.finding("action-overdue");
    assert_eq!(x["severity"], "warning");
    assert_eq!(at(&x).1, 2);
}

#[test]
fn escalation_overdue() {
    let f = plan();
    f.write(
        "registers/issues.yaml",
        "issues:\n  - id: I-1\n    title: Disputed invoices\n    raised: 2026-09-01\n    escalate_by: 2026-09-15\n    owner: ops\n    status: open\n",
    );
    assert_eq!(at(&f.finding("escalation-overdue")).1, 2);
}

#[test]
fn risk_review_overdue() {
    let f = plan();
    f.edit(
        "registers/risks.yaml",
        "review_date: 2027-01-31",
        "review_date: 2026-11-01",
    );
    f.finding("risk-review-overdue");
}

#[test]
fn unknown_file() {
    let f = plan();
    f.write("registers/risk.yaml", "risks: []\n");
    let x = f.finding("unknown-file");
    assert_eq!(x["severity"], "warning");
    assert_eq!(at(&x).0, "registers/risk.yaml");
}

#[test]
fn section_misplaced() {
    let f = plan();
    f.append(
        "01-awareness/README.md",
        "\n## 5.2 Collaborative leadership\n\nWritten in the wrong place.\n",
    );
    let x = f.finding("section-misplaced");
    assert!(
        x["help"]
            .as_str()
            .unwrap()
            .contains("03-internal-assessment/README.md")
    );
}

#[test]
fn every_code_is_documented() {
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/checks.md")).unwrap();
    for code in bsrmp::code::Code::ALL {
        assert!(
            docs.contains(&format!("## {code}")),
            "docs/checks.md has no section for {code}"
        );
    }
}

/// docs/checks.md's table of codes is the table `Code` makes: a code added,
/// renamed or given another severity must be written there too.
#[test]
fn the_docs_table_of_codes_is_the_enums() {
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/checks.md")).unwrap();
    let table = bsrmp::code::Code::docs_table();
    assert!(
        docs.contains(&format!("\n\n{table}\n")),
        "docs/checks.md's \"Codes at a glance\" differs from Code::docs_table():\n{table}"
    );
}

#[test]
fn stage_option_limits_the_report() {
    let f = plan();
    f.edit("registers/risks.yaml", "    owner: ops\n", "");
    let out = crate::common::bsrmp()
        .arg("check")
        .arg(f.path())
        .args([
            "--today",
            crate::common::TODAY,
            "--format",
            "json",
            "--stage",
            "3",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["clauses"].as_array().unwrap().len(), 9);
    assert!(
        v["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["stage"] == 3)
    );
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["clause"] != "3.7")
    );
}

#[test]
fn one_gap_is_reported_once_even_when_several_clauses_need_it() {
    let f = plan();
    // Project plan at stage 2: clauses 3.7, 4.6.3.1 and 4.6.4 all need risk owners.
    f.edit("rmp.toml", "kind = \"corporate\"", "kind = \"project\"");
    f.edit("registers/risks.yaml", "    owner: ops\n", "");
    let (v, _) = f.json();
    let owners: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["message"] == "risk R-1 has no owner")
        .collect();
    assert_eq!(owners.len(), 1, "{owners:#?}");
    let idx = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .position(|x| x["message"] == "risk R-1 has no owner")
        .unwrap();
    let clauses: Vec<&str> = v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["findings"].as_array().unwrap().iter().any(|i| i == idx))
        .map(|c| c["clause"].as_str().unwrap())
        .collect();
    assert!(
        clauses.contains(&"4.6.4") && clauses.contains(&"4.6.3.1"),
        "{clauses:?}"
    );
}

#[test]
fn every_action_needs_an_owner() {
    let f = plan();
    f.append(
        "registers/actions.yaml",
        "  - id: A-3\n    title: Later work\n    stage: 7\n    due: 2027-05-01\n",
    );
    assert_eq!(
        f.finding("field-missing")["message"],
        "action A-3 has no owner"
    );
}

#[test]
fn date_in_future() {
    let f = plan();
    f.edit(
        "registers/ser-reviews.yaml",
        "date: 2026-10-30",
        "date: 2027-02-01",
    );
    let x = f.finding("date-in-future");
    assert_eq!(x["severity"], "warning");
    assert_eq!(x["clause"], "5.6");
    // The future review does not count: the latest real one (2026-08-10) is 105 days old.
    let overdue = f.finding("cadence-overdue");
    assert!(
        overdue["message"].as_str().unwrap().contains("2026-08-10"),
        "{overdue:#}"
    );
    // status lists what is overdue as the pack does: a review dated ahead is
    // not overdue (status once listed it there).
    let out = crate::common::bsrmp()
        .arg("status")
        .arg(f.path())
        .args(["--today", crate::common::TODAY])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let overdue = text
        .split("\nOverdue\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or_else(|| panic!("no Overdue section:\n{text}"));
    assert!(overdue.contains("2026-08-10"), "{text}");
    let future = x["message"].as_str().unwrap();
    assert!(!overdue.contains(future), "{text}");
}

#[test]
fn duplicate_party_id() {
    let f = plan();
    f.append(
        "rmp.toml",
        "\n[[parties]]\nid = \"acme\"\nname = \"Acme again\"\nser = \"ser\"\n",
    );
    unreadable(&f, "duplicate-id", "rmp.toml:");
}

#[test]
fn evidence_entry_without_documents() {
    let f = plan();
    f.edit("rmp.toml", "[evidence]\n", "[evidence]\n\"3.9\" = []\n");
    assert!(
        f.finding("evidence-not-found")["message"]
            .as_str()
            .unwrap()
            .contains("no document")
    );
}

#[test]
fn tbc_counts_as_a_placeholder_but_not_inside_a_word() {
    let f = plan();
    f.edit(
        "01-awareness/README.md",
        "with names and dates.\n\n## 3.3",
        "with names and dates.\nOwner TBC.\n\n## 3.3",
    );
    assert_eq!(f.finding("placeholder")["clause"], "3.2");
    let f = plan();
    f.edit(
        "01-awareness/README.md",
        "with names and dates.\n\n## 3.3",
        "with names and dates, TODOS aside.\n\n## 3.3",
    );
    assert!(!f.codes().contains(&"placeholder".to_string()));
}

#[test]
fn placeholder_name_in_people() {
    let f = plan();
    f.edit(
        "registers/people.yaml",
        "name: Dana Whitfield",
        "name: \"TODO: the SER's name\"",
    );
    let x = f.finding("placeholder");
    assert_eq!(at(&x), ("registers/people.yaml".to_string(), 2));
}

#[test]
fn evidence_pointer_does_not_excuse_missing_records() {
    let f = plan();
    f.write("evidence/risk-procedure.md", "# Risk procedure\n");
    f.edit(
        "rmp.toml",
        "[evidence]\n",
        "[evidence]\n\"3.7\" = [\"evidence/risk-procedure.md\"]\n",
    );
    f.write("registers/risks.yaml", "risks: []\n");
    let (v, code) = f.json();
    assert_eq!(code, 1);
    let c = v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == "3.7")
        .unwrap()
        .clone();
    assert_eq!(c["status"], "missing", "{c:#}");
    assert_eq!(f.finding("records-missing")["clause"], "3.7");
}

#[test]
fn stage_option_keeps_findings_outside_the_clauses() {
    let f = plan();
    f.edit(
        "registers/risks.yaml",
        "raised_by: acme",
        "raised_by: martians",
    );
    f.check(&["--stage", "3"])
        .code(1)
        .stdout(predicate::str::contains("unknown-party"));
}

#[test]
fn junit_follows_deny_warnings() {
    let f = plan();
    f.edit(
        "registers/ser-reviews.yaml",
        "date: 2026-08-10",
        "date: 2026-05-01",
    );
    let plain = String::from_utf8(
        f.check(&["--format", "junit"])
            .code(0)
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(plain.contains(r#"failures="0""#), "{plain}");
    let strict = String::from_utf8(
        f.check(&["--format", "junit", "--deny-warnings"])
            .code(1)
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(strict.contains(r#"failures="1""#), "{strict}");
}

#[test]
fn a_review_date_beyond_the_review_interval() {
    let f = plan();
    f.edit(
        "01-awareness/README.md",
        "review_by: 2027-06-30",
        "review_by: 9999-12-31",
    );
    let x = f.finding("review-too-far");
    assert_eq!(x["severity"], "warning");
    assert_eq!(x["clause"], "3.9");
    assert_eq!(at(&x), ("01-awareness/README.md".to_string(), 1));
    // The plan may say it reviews less often.
    f.edit(
        "rmp.toml",
        "[intervals]",
        "[intervals]\ndocument_review_days = 3000000",
    );
    assert!(!f.codes().contains(&"review-too-far".to_string()));
}

#[test]
fn a_party_without_a_name() {
    let f = plan();
    f.edit("rmp.toml", "name = \"Acme Rail Ltd\"", "name = \" \"");
    let x = f.finding("parties-missing");
    assert!(
        x["message"].as_str().unwrap().contains("has no name"),
        "{x:#}"
    );
    assert_eq!(f.json().1, 1);
}
