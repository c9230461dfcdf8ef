//! The bundled mature joint example (examples/mature-joint/build.sh): built
//! as a user builds it, it passes `check` as of its date; then each test
//! breaks one operating record, commits the change, and reads the clause the
//! record serves.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::{bsrmp, clause_in, commit_all, copy_dir};

/// The day the example is written up to.
const TODAY: &str = "2028-12-01";
/// commit_all's day number of 2028-11-30 (days after 2026-01-01).
const DAY: i64 = 1064;

/// The example, built once for the whole suite, or `None` where the script
/// cannot run (no bash or git).
pub(crate) fn built() -> Option<&'static Path> {
    static BUILT: OnceLock<Option<(tempfile::TempDir, PathBuf)>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let tmp = tempfile::tempdir().unwrap();
            let out = tmp.path().join("mature-joint");
            let script =
                Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/mature-joint/build.sh");
            let run = Command::new("bash")
                .arg(&script)
                .arg(&out)
                .env("BSRMP", env!("CARGO_BIN_EXE_bsrmp"))
                .output()
                .ok()?;
            assert!(
                run.status.success(),
                "build.sh failed: {}",
                String::from_utf8_lossy(&run.stderr)
            );
            Some((tmp, out))
        })
        .as_ref()
        .map(|(_, p)| p.as_path())
}

/// A copy of the built example, history and all, to break.
struct Copy {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Copy {
    fn new() -> Option<Copy> {
        let Some(src) = built() else {
            eprintln!("SKIPPED: bash or git is not available to build the example");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mature-joint");
        copy_dir(src, &path);
        Some(Copy { _dir: dir, path })
    }

    /// Replaces `from` by `to` in a file (the text must be there) and commits.
    fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let p = self.path.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
        commit_all(&self.path, &format!("Break {rel}"), DAY);
        self
    }

    /// Cuts the lines from the one holding `from` up to (not including) the
    /// next line holding `to`, or to the end, and commits.
    fn cut(&self, rel: &str, from: &str, to: Option<&str>) -> &Self {
        let p = self.path.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        let start = text
            .find(from)
            .unwrap_or_else(|| panic!("{rel}: no {from:?}"));
        let start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let end = match to {
            None => text.len(),
            Some(to) => {
                let end = text[start + 1..]
                    .find(to)
                    .map(|i| start + 1 + i)
                    .unwrap_or_else(|| panic!("{rel}: no {to:?} after {from:?}"));
                text[..end].rfind('\n').map_or(end, |i| i + 1)
            }
        };
        std::fs::write(&p, format!("{}{}", &text[..start], &text[end..])).unwrap();
        commit_all(&self.path, &format!("Cut from {rel}"), DAY);
        self
    }
}

fn report(dir: &Path) -> (serde_json::Value, i32) {
    let out = bsrmp()
        .arg("check")
        .arg(dir)
        .args(["--today", TODAY, "--format", "json"])
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (v, out.status.code().unwrap())
}

fn clause(v: &serde_json::Value, n: &str) -> (String, Vec<String>) {
    clause_in(v, n)
}

/// Breaking the copy made clause `n` fall from met, with a finding of `code`
/// whose message holds `word`.
fn broken(copy: &Copy, n: &str, code: &str, word: &str) {
    let (v, exit) = report(&copy.path);
    let (status, findings) = clause(&v, n);
    assert_ne!(status, "met", "{n} still met: {findings:#?}");
    assert!(
        findings
            .iter()
            .any(|f| f.starts_with(&format!("{code}: ")) && f.contains(word)),
        "{n} has no {code} about {word:?}: {findings:#?}"
    );
    // Warnings leave the verdict to the plan's CI settings; errors fail it.
    let errors = v["summary"]["errors"].as_u64().unwrap();
    assert_eq!(exit != 0, errors > 0, "exit {exit} with {errors} error(s)");
}

#[test]
fn the_mature_example_passes_with_every_operating_record() {
    let Some(dir) = built() else { return };
    let (v, exit) = report(dir);
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(exit, 0);
    assert_eq!(v["plan"]["stage"], 7, "{:#}", v["plan"]);
    let statuses: Vec<&str> = v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["stage"].as_u64().unwrap() <= 7)
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 82);
    assert!(statuses.iter().all(|s| *s == "met"));
    // Every operating record is there, with two years of history.
    for rel in [
        "05-working-together/meetings.yaml",
        "05-working-together/measures.yaml",
        "06-value-creation/lessons.yaml",
        "registers/assessments.yaml",
        "registers/audits.yaml",
        "registers/value.yaml",
        "registers/issues.yaml",
        "registers/ser-reviews.yaml",
    ] {
        assert!(dir.join(rel).is_file(), "{rel}");
    }
    let log = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["log", "--format=%ad", "--date=short"])
        .output()
        .unwrap();
    let dates = String::from_utf8(log.stdout).unwrap();
    assert!(dates.lines().count() > 70);
    assert!(dates.lines().any(|d| d.starts_with("2027-")));
    assert!(dates.lines().next().unwrap().starts_with("2028-11"));
}

#[test]
fn the_script_gives_the_same_commits_each_time() {
    let Some(first) = built() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let again = tmp.path().join("mature-joint");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/mature-joint/build.sh");
    let run = Command::new("bash")
        .arg(&script)
        .arg(&again)
        .env("BSRMP", env!("CARGO_BIN_EXE_bsrmp"))
        .output()
        .unwrap();
    assert!(run.status.success());
    let head = |d: &Path| {
        let o = Command::new("git")
            .arg("-C")
            .arg(d)
            .args(["rev-parse", "HEAD"])
            .output()
            .unwrap();
        String::from_utf8(o.stdout).unwrap()
    };
    assert_eq!(head(first), head(&again));
    // And it never builds over something that is there.
    let refused = Command::new("bash")
        .arg(&script)
        .arg(&again)
        .env("BSRMP", env!("CARGO_BIN_EXE_bsrmp"))
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
}

const MEETINGS: &str = "05-working-together/meetings.yaml";
const MEASURES: &str = "05-working-together/measures.yaml";

#[test]
fn meetings_that_stop_leave_7_2_1_unmet() {
    let Some(c) = Copy::new() else { return };
    c.cut(MEETINGS, "- id: JMT-8", None);
    broken(&c, "7.2.1", "cadence-overdue", "2028-06-05");
}

#[test]
fn a_meeting_without_one_party_leaves_7_2_1_unmet() {
    let Some(c) = Copy::new() else { return };
    c.edit(
        MEETINGS,
        "attendees: [gdoyle, aprice, nstroud, ojenkins, rhughes]\n    reviewed: [performance, risks, issues, trust, improvement]",
        "attendees: [gdoyle, aprice]\n    reviewed: [performance, risks, issues, trust, improvement]",
    );
    broken(&c, "7.2.1", "party-missing", "meridian");
}

#[test]
fn a_missed_target_with_no_action_leaves_9_5_unmet() {
    let Some(c) = Copy::new() else { return };
    c.edit(MEASURES, "value: 96.1, action: A-J05}", "value: 96.1}");
    broken(&c, "9.5", "off-target-unanswered", "KPI-1");
}

#[test]
fn results_that_stop_leave_9_5_unmet() {
    let Some(c) = Copy::new() else { return };
    c.edit(
        MEASURES,
        "      - {period: 2028-Q3, date: 2028-10-04, value: 99.1}\n",
        "",
    );
    c.edit(
        MEASURES,
        "      - {period: 2028-Q2, date: 2028-07-04, value: 98.9}\n",
        "",
    );
    broken(&c, "9.5", "cadence-overdue", "KPI-2");
}

#[test]
fn a_weak_trust_score_with_no_action_leaves_9_4_unmet() {
    let Some(c) = Copy::new() else { return };
    c.edit(
        "registers/assessments.yaml",
        "      early_warnings: 2\n      extra_mile: 3\n    evidence: Survey of the Meridian planners, depot managers and drivers' representatives.\n    actions: [A-J06]\n",
        "      early_warnings: 2\n      extra_mile: 3\n    evidence: Survey of the Meridian planners, depot managers and drivers' representatives.\n",
    );
    broken(&c, "9.4", "low-score-unanswered", "RA-6");
}

#[test]
fn a_new_person_never_inducted_leaves_9_4_unmet() {
    let Some(c) = Copy::new() else { return };
    c.edit("registers/people.yaml", "  inducted: 2028-04-19\n", "");
    broken(&c, "9.4", "planned-not-held", "swilliams");
}

#[test]
fn one_partys_assessments_stopping_leaves_9_1_unmet() {
    let Some(c) = Copy::new() else { return };
    // The last two assessments are Meridian's of 2028-Q3 and both of 2028-Q4:
    // take Meridian's of 2028-Q3 and 2028-Q4 away, keep Northwind's.
    c.edit(
        "registers/assessments.yaml",
        "    date: 2028-11-13\n    party: meridian\n",
        "    date: 2028-11-13\n    party: northwind\n",
    );
    c.edit(
        "registers/assessments.yaml",
        "    date: 2028-08-21\n    party: meridian\n",
        "    date: 2028-08-21\n    party: northwind\n",
    );
    broken(&c, "9.1", "cadence-overdue", "meridian");
}

#[test]
fn value_never_reviewed_in_time_leaves_9_3_unmet() {
    let Some(c) = Copy::new() else { return };
    for _ in 0..3 {
        c.edit(
            "registers/value.yaml",
            "- date: 2028-08-28",
            "- date: 2028-03-13",
        );
    }
    for _ in 0..3 {
        c.edit(
            "registers/value.yaml",
            "- date: 2028-03-13",
            "- date: 2027-09-27",
        );
    }
    broken(&c, "9.3", "cadence-overdue", "value");
}

#[test]
fn realised_value_that_is_not_measured_leaves_9_3_unmet() {
    let Some(c) = Copy::new() else { return };
    c.edit(
        "registers/value.yaml",
        "    realised: {value: 71000, unit: GBP a year}\n",
        "",
    );
    broken(&c, "9.3", "claim-unmeasured", "V-2");
}

#[test]
fn a_lesson_that_changed_nothing_leaves_8_5_unmet() {
    let Some(c) = Copy::new() else { return };
    c.edit(
        "06-value-creation/lessons.yaml",
        "    change: \"A shared weekly forecast, eight weeks ahead from October to December.\"\n",
        "",
    );
    broken(&c, "8.5", "field-missing", "change");
}

#[test]
fn a_watched_measure_missing_with_no_exit_review_since_leaves_9_8_unmet() {
    let Some(c) = Copy::new() else { return };
    // The service trigger watches KPI-1; its newest review is from August.
    c.edit(
        "05-working-together/measures.yaml",
        "{period: 2028-Q3, date: 2028-10-04, value: 98.1}",
        "{period: 2028-Q3, date: 2028-10-04, value: 96.9, action: A-J12}",
    );
    broken(&c, "9.8", "trigger-unreviewed", "KPI-1");
}

#[test]
fn a_joint_narrative_past_its_review_date_counts_against_its_stage() {
    let Some(c) = Copy::new() else { return };
    c.edit(
        "07-staying-together/README.md",
        "review_by: 2029-01-15",
        "review_by: 2028-11-15",
    );
    // The partners' own document: kept by 9.9, not by 3.9 (stage 1).
    broken(&c, "9.9", "review-overdue", "07-staying-together/README.md");
    let (v, _) = report(&c.path);
    let (_, at_3_9) = clause(&v, "3.9");
    assert!(
        !at_3_9.iter().any(|f| f.starts_with("review-overdue")),
        "{at_3_9:#?}"
    );
}

#[test]
fn an_objective_achieved_without_its_result_leaves_9_5_unmet() {
    let Some(c) = Copy::new() else { return };
    c.edit(
        "registers/objectives.yaml",
        "  result: {value: 84, unit: points of 100}\n",
        "",
    );
    broken(&c, "9.5", "claim-unmeasured", "northwind-OBJ-J1");
}

#[test]
fn an_audit_planned_and_not_held_leaves_7_9_unmet() {
    let Some(c) = Copy::new() else { return };
    c.cut(
        "registers/audits.yaml",
        "    done: 2028-10-23",
        Some("  - id: AU-4"),
    );
    broken(&c, "7.9", "planned-not-held", "AU-3");
}

#[test]
fn governance_not_reviewed_for_a_year_leaves_9_2_unmet() {
    let Some(c) = Copy::new() else { return };
    c.cut(
        "05-working-together/governance.yaml",
        "    - date: 2028-01-24",
        None,
    );
    broken(&c, "9.2", "cadence-overdue", "governance");
}

#[test]
fn an_exit_strategy_not_reviewed_for_a_year_leaves_9_8_unmet() {
    let Some(c) = Copy::new() else { return };
    let f = "registers/exit-strategy.yaml";
    c.edit(f, "last_reviewed: 2028-08-28", "last_reviewed: 2027-03-08");
    c.cut(f, "    - date: 2028-02-07", Some("  triggers:"));
    broken(&c, "9.8", "cadence-overdue", "exit");
}

#[test]
fn an_overdue_joint_action_takes_its_clause_from_met() {
    let Some(c) = Copy::new() else { return };
    c.edit(
        "registers/actions.yaml",
        "    due: 2027-11-30\n    status: done\n    done: 2027-11-22\n",
        "    due: 2027-11-30\n    status: open\n",
    );
    broken(&c, "9.5", "action-overdue", "A-J05");
}

#[test]
fn a_party_whose_ser_stops_reviewing_leaves_5_6_unmet() {
    let Some(c) = Copy::new() else { return };
    c.cut(
        "parties/meridian/registers/ser-reviews.yaml",
        "  - id: MSR-13",
        None,
    );
    broken(&c, "5.6", "cadence-overdue", "meridian");
}

#[test]
fn a_joint_narrative_changed_after_both_sers_approved_it_is_not_met() {
    let Some(c) = Copy::new() else { return };
    c.edit(
        "07-staying-together/README.md",
        "# Stage 7: Staying together\n",
        "# Stage 7: Staying together\n\nA paragraph no SER has seen.\n",
    );
    broken(&c, "9.9", "changed-since-approval", "07-staying-together");
}

#[test]
fn a_partys_internal_assessment_not_repeated_leaves_5_1_3_unmet() {
    let Some(c) = Copy::new() else { return };
    c.edit(
        "parties/northwind/03-internal-assessment/maturity.yaml",
        "  assessed: 2028-09-29",
        "  assessed: 2027-10-01",
    );
    broken(&c, "5.1.3", "cadence-overdue", "northwind");
    broken(&c, "5.1.2", "cadence-overdue", "maturity");
}

#[test]
fn the_mature_examples_pack_charts_its_operation() {
    let Some(src) = built() else { return };
    let out = tempfile::tempdir().unwrap();
    let pack = out.path().join("pack");
    bsrmp()
        .arg("render")
        .arg(src)
        .arg("--out")
        .arg(&pack)
        .args(["--format", "md", "--today", TODAY])
        .assert()
        .success();
    let md = std::fs::read_to_string(pack.join("pack.md")).unwrap();
    let section = md
        .split("### The plan in operation\n")
        .nth(1)
        .expect("the operating section in pack.md");
    for said in [
        "24 result(s) of 4 measure(s); 2 off target, 0 of them with no action named.",
        "2027-Q4 96.8% (off target; action A-J07)",
        "2027-Q3 96.1% (off target; action A-J05)",
        "Relationship assessments: Meridian Freight Services Ltd: 8 held",
        "Nothing on it is overdue.",
        "In GBP a year: V-1",
    ] {
        assert!(section.contains(said), "{said:?} is not in: {section}");
    }
}
