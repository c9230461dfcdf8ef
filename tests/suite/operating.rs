//! The operating phase (stages 5 to 8), judged on dated records: meetings of
//! the joint management team, value reviews, exit strategy reviews, measures
//! with typed targets. The base is the bundled project plan moved on to
//! stage 7; each test breaks or mends one record and reads the clauses.

use crate::common::{Fixture, clause_in, project_at_stage};

fn stage_7() -> Fixture {
    project_at_stage(7)
}

/// The clause's status and the messages of the findings it refers to.
fn clause(f: &Fixture, n: &str) -> (String, Vec<String>) {
    clause_in(&f.json().0, n)
}

fn about<'a>(messages: &'a [String], word: &str) -> Vec<&'a String> {
    messages.iter().filter(|m| m.contains(word)).collect()
}

const MEETINGS: &str = "05-working-together/meetings.yaml";

#[test]
fn the_joint_management_team_meets_at_the_plans_interval() {
    let f = stage_7();
    let (_, m) = clause(&f, "7.2.1");
    assert_eq!(
        about(&m, "meeting").len(),
        1,
        "no meetings at all is a gap of 7.2.1: {m:#?}"
    );
    assert!(
        m.iter()
            .any(|x| x.starts_with("records-missing") && x.contains(MEETINGS))
    );

    f.write(
        MEETINGS,
        "meetings:\n  - {id: JMT-1, date: 2026-03-01, attendees: [pkaur]}\n  - {id: JMT-2, date: 2026-06-01, attendees: [pkaur]}\n",
    );
    let (status, m) = clause(&f, "7.2.1");
    let late = about(&m, "meeting");
    assert_eq!(late.len(), 1, "{m:#?}");
    assert!(late[0].starts_with("cadence-overdue") && late[0].contains("2026-06-01"));
    assert_ne!(status, "met");

    f.append(
        MEETINGS,
        "  - {id: JMT-3, date: 2026-08-25, attendees: [pkaur]}\n  - {id: JMT-4, date: 2026-10-20, attendees: [pkaur]}\n",
    );
    let (_, m) = clause(&f, "7.2.1");
    let gap = about(&m, "meeting");
    assert!(
        gap.is_empty(),
        "the latest is recent and no gap exceeds 92 days: {m:#?}"
    );

    f.edit(
        "rmp.toml",
        "exit_review_days = 365\n",
        "exit_review_days = 365\nmeeting_days = 60\n",
    );
    let (_, m) = clause(&f, "7.2.1");
    assert!(
        m.iter()
            .any(|x| x.starts_with("cadence-gap") && x.contains("2026-06-01")),
        "a tighter interval shows the gaps: {m:#?}"
    );
}

#[test]
fn value_creation_is_reviewed_and_the_newest_review_counts() {
    let f = stage_7();
    let value = |reviews: &str| {
        format!(
            "initiatives:\n  - id: V-1\n    title: Shared backhaul\n    area: cost\n    owner: pkaur\n    status: in-progress\n    forecast: {{value: 180000, unit: GBP a year}}\n    reviews:\n{reviews}"
        )
    };
    f.write(
        "registers/value.yaml",
        &value("      - {date: 2026-01-10, reviewer: pkaur}\n"),
    );
    let (status, m) = clause(&f, "9.3");
    assert!(
        m.iter()
            .any(|x| x.starts_with("cadence-overdue") && x.contains("2026-01-10")),
        "{m:#?}"
    );
    assert_ne!(status, "met");
    f.write(
        "registers/value.yaml",
        &value("      - {date: 2026-01-10, reviewer: pkaur}\n      - {date: 2026-10-01, reviewer: pkaur, realised: {value: 40000, unit: GBP a year}}\n"),
    );
    let (_, m) = clause(&f, "9.3");
    assert!(about(&m, "value initiative").is_empty(), "{m:#?}");
}

#[test]
fn the_exit_strategy_reviews_count_as_well_as_last_reviewed() {
    let f = stage_7();
    // Stage 8, so that 10.3 is due as well as 9.8.
    f.edit("rmp.toml", "stage = 7", "stage = 8");
    let exit = "registers/exit-strategy.yaml";
    f.edit(
        exit,
        "last_reviewed: 2026-11-06",
        "last_reviewed: 2025-06-01",
    );
    for c in ["9.8", "10.3"] {
        let (_, m) = clause(&f, c);
        assert!(
            m.iter()
                .any(|x| x.starts_with("cadence-overdue") && x.contains("2025-06-01")),
            "{c}: {m:#?}"
        );
    }
    f.edit(
        exit,
        "last_reviewed: 2025-06-01\n",
        "last_reviewed: 2025-06-01\n  reviews:\n    - date: 2026-09-15\n      reviewer: pkaur\n      changes: Exit costs now shared in proportion to volumes.\n",
    );
    for c in ["9.8", "10.3"] {
        let (_, m) = clause(&f, c);
        assert!(about(&m, "exit strategy").is_empty(), "{c}: {m:#?}");
    }
}

#[test]
fn targets_are_typed_or_as_older_plans_wrote_them() {
    let f = stage_7();
    let measures = "05-working-together/measures.yaml";
    f.write(
        measures,
        "kpis:\n  - id: KPI-1\n    measure: Orders delivered on time and in full\n    target: {value: 96, unit: \"%\", direction: at-least}\n    interval_days: 31\n    party: northwind\n    results:\n      - {period: 2026-10, date: 2026-11-04, value: 97.1}\n  - id: KPI-2\n    measure: Damaged pallets\n    target: fewer than 5 a month\n",
    );
    let (_, code) = f.json();
    assert_ne!(code, 2, "both forms of target load");

    f.edit(measures, "value: 96,", "value: high,");
    let out = crate::common::bsrmp()
        .arg("check")
        .arg(f.path())
        .args(["--today", crate::common::TODAY])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid-record") && err.contains("measures.yaml:4"),
        "{err}"
    );
}

#[test]
fn audits_are_held_when_planned() {
    let f = stage_7();
    let audits = |au2: &str| {
        format!(
            "audits:\n  - {{id: AU-1, kind: internal, scope: Stages 1 to 4, planned: 2026-03-31, done: 2026-04-02, auditor: Internal audit}}\n  - {{id: AU-2, kind: joint, scope: Governance, {au2}auditor: Both parties' audit teams}}\n"
        )
    };
    f.write("registers/audits.yaml", &audits("planned: 2026-09-30, "));
    let (status, m) = clause(&f, "7.9");
    let late = about(&m, "planned-not-held");
    assert_eq!(late.len(), 1, "{m:#?}");
    assert!(late[0].contains("AU-2") && late[0].contains("2026-09-30"));
    assert_ne!(status, "met");
    f.write(
        "registers/audits.yaml",
        &audits("planned: 2026-09-30, done: 2026-10-06, "),
    );
    assert!(about(&clause(&f, "7.9").1, "planned-not-held").is_empty());
    // Planned for later: nothing is late yet.
    f.write("registers/audits.yaml", &audits("planned: 2027-01-20, "));
    assert!(about(&clause(&f, "7.9").1, "planned-not-held").is_empty());
}

const MEASURES: &str = "05-working-together/measures.yaml";

fn measures(results: &str, extra: &str) -> String {
    format!(
        "kpis:\n  - id: KPI-1\n    objective: OBJ-P1\n    measure: Orders delivered on time and in full\n    target: {{value: 96, unit: \"%\"}}\n    interval_days: 31\n    owner: pkaur\n    party: northwind\n{extra}    results:\n{results}"
    )
}

#[test]
fn a_result_off_target_names_its_action() {
    let f = stage_7();
    f.write(
        MEASURES,
        &measures(
            "      - {period: 2026-09, date: 2026-10-03, value: 97.2}\n      - {period: 2026-10, date: 2026-11-04, value: 91.5}\n",
            "",
        ),
    );
    let (status, m) = clause(&f, "9.5");
    let miss = about(&m, "off-target-unanswered");
    assert_eq!(miss.len(), 1, "{m:#?}");
    assert!(
        miss[0].contains("at least 96%")
            && miss[0].contains("91.5%")
            && miss[0].contains("2026-10"),
        "{}",
        miss[0]
    );
    assert_ne!(status, "met");

    f.edit(MEASURES, "value: 91.5}", "value: 91.5, action: A-P101}");
    assert!(about(&clause(&f, "9.5").1, "off-target").is_empty());

    // At most: lower is better.
    f.write(
        MEASURES,
        &measures(
            "      - {period: 2026-10, date: 2026-11-04, value: 97.2}\n",
            "",
        )
        .replace(
            "value: 96, unit: \"%\"}",
            "value: 2, unit: \" damaged pallets\", direction: at-most}",
        ),
    );
    let (_, m) = clause(&f, "9.5");
    assert!(
        m.iter()
            .any(|x| x.contains("at most 2 damaged pallets") && x.contains("with 97.2")),
        "{m:#?}"
    );
}

#[test]
fn measures_report_at_their_own_interval() {
    let f = stage_7();
    f.write(
        MEASURES,
        &measures(
            "      - {period: 2026-07, date: 2026-08-04, value: 97.0}\n",
            "",
        ),
    );
    let (_, m) = clause(&f, "9.5");
    assert!(
        m.iter().any(|x| x.starts_with("cadence-overdue")
            && x.contains("measure KPI-1")
            && x.contains("every 31 days")),
        "{m:#?}"
    );
    f.write(MEASURES, &measures("", "").replace("    results:\n", ""));
    let (_, m) = clause(&f, "9.5");
    assert!(
        m.iter()
            .any(|x| x.starts_with("field-missing") && x.contains("no results")),
        "{m:#?}"
    );
}

#[test]
fn realised_value_is_measured() {
    let f = stage_7();
    let value = |realised: &str| {
        format!(
            "initiatives:\n  - id: V-2\n    title: Shared backhaul\n    area: cost\n    owner: pkaur\n    status: realised\n    benefit_realised: Fewer empty miles\n{realised}    reviews:\n      - {{date: 2026-10-01, reviewer: pkaur}}\n"
        )
    };
    f.write("registers/value.yaml", &value(""));
    let (status, m) = clause(&f, "9.3");
    let claim = about(&m, "claim-unmeasured");
    assert_eq!(claim.len(), 1, "{m:#?}");
    assert!(claim[0].contains("V-2") && claim[0].contains("realised"));
    assert_ne!(status, "met");
    f.write(
        "registers/value.yaml",
        &value("    realised: {value: 41000, unit: GBP a year}\n"),
    );
    assert!(about(&clause(&f, "9.3").1, "claim-unmeasured").is_empty());
}

#[test]
fn each_party_is_assessed_on_its_own_assessments() {
    let f = stage_7();
    f.append(
        "rmp.toml",
        "\n[[parties]]\nid = \"meridian\"\nname = \"Meridian Freight Services\"\nser = \"pkaur\"\n",
    );
    f.write(
        "registers/assessments.yaml",
        "assessments:\n  - {id: RA-1, period: 2026-Q3, date: 2026-10-01, party: northwind, assessor: pkaur, evidence: Joint workshop}\n  - {id: RA-2, period: 2026-Q1, date: 2026-04-01, party: meridian, assessor: pkaur, evidence: Joint workshop}\n",
    );
    let (status, m) = clause(&f, "9.1");
    let late = about(&m, "cadence-overdue");
    // Pooled, Northwind's October assessment would have hidden Meridian's lapse.
    assert_eq!(late.len(), 1, "{m:#?}");
    assert!(late[0].contains("for meridian") && late[0].contains("2026-04-01"));
    assert_eq!(status, "partial");
}

/// Findings about overdue records count against the clause they endanger, so
/// a clause is not met while its own records lapse.
#[test]
fn an_overdue_action_counts_against_what_raised_it() {
    let f = stage_7();
    f.write(
        MEETINGS,
        "meetings:\n  - {id: JMT-1, date: 2026-09-01, attendees: [pkaur]}\n  - {id: JMT-2, date: 2026-11-02, attendees: [pkaur], actions: [A-J1]}\n",
    );
    f.append(
        "registers/actions.yaml",
        "  - id: A-J1\n    title: Agree the night possession plan\n    owner: pkaur\n    due: 2026-11-16\n    status: open\n",
    );
    let (v, _) = f.json();
    let overdue = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "action-overdue" && x["message"].as_str().unwrap().contains("A-J1"))
        .cloned()
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(
        overdue["clause"], "7.2.1",
        "raised by a meeting: {overdue:#}"
    );
    let (_, m) = clause(&f, "7.2.1");
    assert!(about(&m, "A-J1").len() == 1, "{m:#?}");

    // Naming its clause wins over what raised it.
    f.edit(
        "registers/actions.yaml",
        "    title: Agree the night possession plan\n",
        "    title: Agree the night possession plan\n    clause: \"7.6\"\n",
    );
    let (_, m) = clause(&f, "7.6");
    assert!(about(&m, "A-J1").len() == 1, "{m:#?}");
}

#[test]
fn a_lapsed_risk_review_keeps_the_risk_process_from_being_met() {
    let f = stage_7();
    f.edit(
        "registers/risks.yaml",
        "review_date: 2027-01-20",
        "review_date: 2026-10-20",
    );
    let (status, m) = clause(&f, "7.5.3");
    assert!(
        m.iter()
            .any(|x| x.starts_with("risk-review-overdue") && x.contains("R-P1")),
        "{m:#?}"
    );
    assert_ne!(status, "met");
}

#[test]
fn an_issue_at_the_top_is_not_told_to_go_higher() {
    let f = stage_7();
    let issue = |level: &str| {
        format!(
            "issues:\n  - id: I-1\n    title: Dispute over trailer damage charges\n    raised: 2026-09-01\n    area: commercial\n    level: {level}\n    escalate_by: 2026-10-15\n    owner: pkaur\n    status: open\n"
        )
    };
    f.write("registers/issues.yaml", &issue("management"));
    let help = |f: &Fixture| {
        let x = f.finding("escalation-overdue");
        assert_eq!(x["clause"], "9.7", "{x:#}");
        x["help"].as_str().unwrap().to_string()
    };
    assert!(help(&f).contains("next level"));
    f.write("registers/issues.yaml", &issue("executive"));
    let h = help(&f);
    assert!(
        !h.contains("next level") && h.contains("already with the executives"),
        "{h}"
    );
}

#[test]
fn weak_trust_scores_are_followed_up() {
    let f = stage_7();
    let scores = "performance: 4, openness: 2, honesty: 4, responsiveness: 3, commitment: 4, fairness: 4, information_sharing: 1, communication: 3, early_warnings: 3, extra_mile: 3";
    let assessment = |extra: &str| {
        format!(
            "assessments:\n  - id: RA-1\n    period: 2026-Q3\n    date: 2026-10-01\n    party: northwind\n    assessor: pkaur\n    evidence: Joint workshop\n    scores: {{{scores}}}\n{extra}"
        )
    };
    f.write("registers/assessments.yaml", &assessment(""));
    let (status, m) = clause(&f, "9.4");
    let weak = about(&m, "low-score-unanswered");
    assert_eq!(weak.len(), 1, "{m:#?}");
    assert!(
        weak[0].contains("openness 2") && weak[0].contains("information sharing 1"),
        "{}",
        weak[0]
    );
    assert_ne!(status, "met");
    f.write(
        "registers/assessments.yaml",
        &assessment("    actions: [A-P101]\n"),
    );
    assert!(about(&clause(&f, "9.4").1, "low-score").is_empty());
    // The plan sets its own threshold: at 1, only information sharing is weak.
    f.write("registers/assessments.yaml", &assessment(""));
    f.append("rmp.toml", "\n[thresholds]\ntrust_score = 1\n");
    let (_, m) = clause(&f, "9.4");
    let weak = about(&m, "low-score-unanswered");
    assert!(weak.len() == 1 && !weak[0].contains("openness"), "{m:#?}");
}

#[test]
fn newcomers_are_inducted() {
    let f = stage_7();
    f.append(
        "registers/people.yaml",
        "  - id: tnew\n    name: Tom Newman\n    role: Transport planner\n    party: northwind\n    joined: 2026-09-01\n",
    );
    let (_, m) = clause(&f, "9.4");
    let late = about(&m, "planned-not-held");
    assert_eq!(late.len(), 1, "{m:#?}");
    assert!(
        late[0].contains("tnew: joined 2026-09-01") && late[0].contains("30 days"),
        "{}",
        late[0]
    );
    f.edit(
        "registers/people.yaml",
        "    joined: 2026-09-01\n",
        "    joined: 2026-09-01\n    inducted: 2026-09-12\n",
    );
    assert!(about(&clause(&f, "9.4").1, "planned-not-held").is_empty());
    // Within the month it is not late yet.
    f.edit(
        "registers/people.yaml",
        "    joined: 2026-09-01\n    inducted: 2026-09-12\n",
        "    joined: 2026-11-10\n",
    );
    assert!(about(&clause(&f, "9.4").1, "planned-not-held").is_empty());
}

/// What falls due: in status for the next 90 days, and as iCalendar for
/// the managers' calendars, the same dates.
#[test]
fn what_falls_due_is_listed_and_exported_as_icalendar() {
    let f = stage_7();
    f.write(
        MEETINGS,
        "meetings:\n  - {id: JMT-1, date: 2026-10-20, attendees: [pkaur]}\n",
    );
    let status = crate::common::bsrmp()
        .arg("status")
        .arg(f.path())
        .args(["--today", crate::common::TODAY])
        .output()
        .unwrap();
    let text = String::from_utf8(status.stdout).unwrap();
    let coming = text
        .split("Due in the next 90 days")
        .nth(1)
        .unwrap_or_else(|| panic!("{text}"));
    // The meeting of 2026-10-20 plus 92 days.
    assert!(
        coming.contains("2027-01-20  Next joint management meeting"),
        "{text}"
    );

    let dir = tempfile::tempdir().unwrap();
    let ics = dir.path().join("due.ics");
    crate::common::bsrmp()
        .arg("calendar")
        .arg(f.path())
        .args(["--today", crate::common::TODAY, "--out"])
        .arg(&ics)
        .assert()
        .success();
    let cal = std::fs::read_to_string(&ics).unwrap();
    assert!(cal.starts_with("BEGIN:VCALENDAR\r\n") && cal.ends_with("END:VCALENDAR\r\n"));
    assert!(cal.contains("UID:northwind-project/next/meeting@bsrmp\r\nDTSTAMP:20261123T000000Z\r\nDTSTART;VALUE=DATE:20270120\r\n"), "{cal}");
    // Lines are folded at 75 octets, as RFC 5545 asks.
    assert!(cal.split("\r\n").all(|l| l.len() <= 75), "{cal}");
    // Dates already passed are not in it: the action done in September is not.
    assert!(!cal.contains("A-P101"));
    // The same plan on the same day gives the same calendar.
    let again = crate::common::bsrmp()
        .arg("calendar")
        .arg(f.path())
        .args(["--today", crate::common::TODAY])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(again.stdout).unwrap(), cal);
}

#[test]
fn the_joint_management_team_meets_with_every_party() {
    let f = stage_7();
    f.append(
        "rmp.toml",
        "\n[[parties]]\nid = \"meridian\"\nname = \"Meridian Freight Services\"\nser = \"pkaur\"\n",
    );
    f.write(
        MEETINGS,
        "meetings:\n  - {id: JMT-1, date: 2026-10-20, attendees: [pkaur, eharcourt]}\n",
    );
    let (status, m) = clause(&f, "7.2.1");
    let absent = about(&m, "had no one from");
    assert_eq!(absent.len(), 1, "{m:#?}");
    assert!(
        absent[0].starts_with("party-missing")
            && absent[0].contains("JMT-1 on 2026-10-20 had no one from meridian")
    );
    assert_ne!(status, "met");
    f.append(
        "registers/people.yaml",
        "  - id: dmorris\n    name: Dan Morris\n    role: Account director\n    party: meridian\n",
    );
    f.edit(
        MEETINGS,
        "attendees: [pkaur, eharcourt]",
        "attendees: [pkaur, eharcourt, dmorris]",
    );
    assert!(about(&clause(&f, "7.2.1").1, "had no one").is_empty());
}

#[test]
fn the_governance_is_reviewed_every_year() {
    let f = stage_7();
    let governance = |reviews: &str| {
        format!(
            "governance:\n  joint_management_team: [pkaur, eharcourt]\n  mandate: Run the contract together\n  meeting_frequency: Monthly\n  dispute_resolution: SERs, then mediation\n  roles:\n    - {{person: pkaur, role: Relationship manager}}\n{reviews}"
        )
    };
    let file = "05-working-together/governance.yaml";
    f.write(file, &governance(""));
    let (status, m) = clause(&f, "9.2");
    assert!(
        m.iter()
            .any(|x| x.starts_with("records-missing") && x.contains("governance")),
        "{m:#?}"
    );
    assert_ne!(status, "met");
    f.write(
        file,
        &governance("  reviews:\n    - {date: 2025-09-01, reviewer: eharcourt, changes: Nothing needed to change}\n"),
    );
    let (_, m) = clause(&f, "9.2");
    assert!(
        m.iter()
            .any(|x| x.starts_with("cadence-overdue") && x.contains("2025-09-01")),
        "{m:#?}"
    );
    f.write(
        file,
        &governance("  reviews:\n    - {date: 2026-09-01, reviewer: eharcourt, changes: Monthly meetings moved to the site}\n"),
    );
    assert!(about(&clause(&f, "9.2").1, "governance").is_empty());
}

#[test]
fn an_exit_trigger_whose_measure_misses_asks_for_a_review() {
    let f = stage_7();
    let exit = "registers/exit-strategy.yaml";
    f.edit(
        exit,
        "    - Meridian fails the agreed service level (OTIF below 96%) for three consecutive months\n",
        "    - trigger: Meridian fails the agreed service level (OTIF below 96%) for three consecutive months\n      watch: [KPI-1]\n",
    );
    let kpi = |q3: &str| {
        format!(
            "kpis:\n  - id: KPI-1\n    measure: Loads on time and in full\n    target: {{value: 96, unit: \"%\"}}\n    results:\n      - {{period: 2026-Q2, date: 2026-07-03, value: 96.4}}\n      - {{period: 2026-Q3, date: 2026-10-02, value: {q3}}}\n"
        )
    };
    // On target: the trigger is watched and nothing is asked.
    f.write("05-working-together/measures.yaml", &kpi("96.5"));
    assert!(about(&clause(&f, "9.8").1, "trigger-unreviewed").is_empty());
    // The latest result misses (answered by an action, so 9.5 is content),
    // and the newest review (2026-11-06) is after it: still nothing.
    f.write(
        "05-working-together/measures.yaml",
        &kpi("94.9, action: A-P101"),
    );
    assert!(about(&clause(&f, "9.8").1, "trigger-unreviewed").is_empty());
    // The review older than the miss: 9.8 is no longer met.
    f.edit(
        exit,
        "last_reviewed: 2026-11-06",
        "last_reviewed: 2026-09-30",
    );
    let (status, m) = clause(&f, "9.8");
    let t = about(&m, "trigger-unreviewed");
    assert_eq!(t.len(), 1, "{m:#?}");
    assert!(
        t[0].contains("watches KPI-1, whose latest result (94.9% for 2026-Q3) misses its target (at least 96%)")
            && t[0].contains("newest review is from 2026-09-30"),
        "{t:#?}"
    );
    assert_eq!(status, "partial");
    let x = f.finding("trigger-unreviewed");
    assert_eq!(x["severity"], "warning", "{x:#}");
    assert_eq!(x["location"]["file"], exit);
    assert!(
        x["location"]["line"].as_u64().unwrap() > 8,
        "at the watch, not the file: {x:#}"
    );
}

#[test]
fn an_exit_trigger_whose_issue_reaches_the_executives_asks_for_a_review() {
    let f = stage_7();
    let exit = "registers/exit-strategy.yaml";
    f.edit(
        exit,
        "    - Change of ownership or control of Meridian, or of Northwind\n",
        "    - Change of ownership or control of Meridian, or of Northwind\n    - trigger: A dispute over damage charges the SERs cannot settle\n      watch: [I-1]\n",
    );
    let issue = |level: &str, escalate_by: &str| {
        format!(
            "issues:\n  - id: I-1\n    title: Dispute over trailer damage charges\n    raised: 2026-11-10\n    area: commercial\n    level: {level}\n    escalate_by: {escalate_by}\n    owner: pkaur\n    status: open\n"
        )
    };
    f.write("registers/issues.yaml", &issue("management", "2026-12-15"));
    assert!(about(&clause(&f, "9.8").1, "trigger-unreviewed").is_empty());
    f.write("registers/issues.yaml", &issue("executive", "2026-12-15"));
    let (_, m) = clause(&f, "9.8");
    let t = about(&m, "trigger-unreviewed");
    assert!(
        t.len() == 1 && t[0].contains("I-1, an open issue already with the executives"),
        "{m:#?}"
    );
    // Past its escalation date at the management level.
    f.write("registers/issues.yaml", &issue("management", "2026-11-20"));
    let (_, m) = clause(&f, "9.8");
    assert!(
        about(&m, "trigger-unreviewed")
            .iter()
            .any(|x| x.contains("past its escalation date (2026-11-20)")),
        "{m:#?}"
    );
    // Reviewed since: the warning goes.
    f.edit(
        exit,
        "last_reviewed: 2026-11-06",
        "last_reviewed: 2026-11-21",
    );
    assert!(about(&clause(&f, "9.8").1, "trigger-unreviewed").is_empty());
    // With the executives, it counts from the day it was raised, even once
    // its escalation date has passed too.
    f.write("registers/issues.yaml", &issue("executive", "2026-11-20"));
    f.edit(
        exit,
        "last_reviewed: 2026-11-21",
        "last_reviewed: 2026-11-15",
    );
    assert!(about(&clause(&f, "9.8").1, "trigger-unreviewed").is_empty());
    f.edit(
        exit,
        "last_reviewed: 2026-11-15",
        "last_reviewed: 2026-11-09",
    );
    assert_eq!(about(&clause(&f, "9.8").1, "trigger-unreviewed").len(), 1);
}

#[test]
fn an_exit_trigger_watches_only_what_the_plan_holds() {
    let f = stage_7();
    f.edit(
        "registers/exit-strategy.yaml",
        "    - Meridian becomes insolvent or loses its operator licence\n",
        "    - trigger: Meridian becomes insolvent or loses its operator licence\n      watch: [KPI-404]\n",
    );
    let x = f.finding("unknown-reference");
    assert!(
        x["message"]
            .as_str()
            .unwrap()
            .contains("`KPI-404` is not an issue or a measure"),
        "{x:#}"
    );
    assert_eq!(x["location"]["file"], "registers/exit-strategy.yaml");
}

#[test]
fn an_objective_claimed_achieved_gives_its_measured_result() {
    let f = stage_7();
    let objectives = "registers/objectives.yaml";
    f.edit(
        objectives,
        "    due: 2028-12-31\n    owner: pkaur\n",
        "    due: 2028-12-31\n    achieved: 2026-10-31\n    owner: pkaur\n",
    );
    let (status, m) = clause(&f, "9.5");
    let claim = about(&m, "claim-unmeasured");
    assert_eq!(claim.len(), 1, "{m:#?}");
    assert!(
        claim[0]
            .contains("objective OBJ-C1 says achieved: 2026-10-31, but gives no measured `result`"),
        "{claim:#?}"
    );
    assert_ne!(status, "met");
    f.edit(
        objectives,
        "    achieved: 2026-10-31\n",
        "    achieved: 2026-10-31\n    result: {value: 47.5, unit: million GBP a year}\n",
    );
    assert!(about(&clause(&f, "9.5").1, "claim-unmeasured").is_empty());
    // An achievement dated after the check is not yet a claim.
    f.edit(
        objectives,
        "    achieved: 2026-10-31\n    result: {value: 47.5, unit: million GBP a year}\n",
        "    achieved: 2027-06-30\n",
    );
    assert!(about(&clause(&f, "9.5").1, "claim-unmeasured").is_empty());
}

#[test]
fn the_implementation_plan_is_reviewed_regularly() {
    let f = stage_7();
    let doc = "02-knowledge/README.md";
    assert!(about(&clause(&f, "4.7").1, "reviewed regularly").is_empty());
    // Its narrative's review date has passed: 4.7 falls from met, as well
    // as the plan's documents (3.9).
    f.edit(doc, "review_by: 2027-04-30", "review_by: 2026-10-31");
    let (status, m) = clause(&f, "4.7");
    let late = about(&m, "reviewed regularly");
    assert!(
        late.len() == 1
            && late[0].starts_with("review-overdue: 02-knowledge/README.md holds the implementation plan, which clause 4.7 asks to be reviewed regularly; it was due for review by 2026-10-31"),
        "{m:#?}"
    );
    assert_eq!(status, "partial");
    assert!(!about(&clause(&f, "3.9").1, "review-overdue").is_empty());
    // A review put off past the plan's interval.
    f.edit(doc, "review_by: 2026-10-31", "review_by: 9999-12-31");
    let (status, m) = clause(&f, "4.7");
    assert!(
        about(
            &m,
            "review-too-far: 02-knowledge/README.md holds the implementation plan"
        )
        .len()
            == 1
            && status == "partial",
        "{m:#?}"
    );
    // No review date at all.
    f.edit(doc, "review_by: 9999-12-31\n", "");
    let (_, m) = clause(&f, "4.7");
    assert!(
        about(&m, "document-control-missing")
            .iter()
            .any(|x| x.contains("names no review_by date")),
        "{m:#?}"
    );
}
