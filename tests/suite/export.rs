//! `bsrmp export`: the registers and the compliance matrix as a workbook or
//! as CSV files, read back as a spreadsheet program would.

use calamine::{Data, Reader, Xlsx, open_workbook};
use predicates::prelude::*;

use crate::common::{bsrmp, commit_all, plan};

/// After action A-1's due date (2027-01-31): it is overdue.
const TODAY: &str = "2027-03-01";

fn export(
    dir: &std::path::Path,
    out: &std::path::Path,
    extra: &[&str],
) -> assert_cmd::assert::Assert {
    bsrmp()
        .arg("export")
        .arg(dir)
        .arg("--out")
        .arg(out)
        .args(["--today", TODAY])
        .env("SOURCE_DATE_EPOCH", "1780000000")
        .args(extra)
        .assert()
}

fn rows(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<Vec<Data>> {
    let range = book
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("no sheet {sheet}: {e}"));
    range.rows().map(|r| r.to_vec()).collect()
}

/// A spreadsheet's day number as a date (day 0 is 1899-12-30).
fn date_of(serial: f64) -> String {
    let day0 = jiff::civil::date(1899, 12, 30);
    day0.checked_add(jiff::Span::new().days(serial as i64))
        .unwrap()
        .to_string()
}

fn column(header: &[Data], name: &str) -> usize {
    header
        .iter()
        .position(|h| *h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

#[test]
fn a_workbook_holds_the_matrix_and_every_register_as_typed_cells() {
    let f = plan();
    git2::Repository::init(f.path()).unwrap();
    commit_all(f.path(), "the plan", 0);
    let out = tempfile::tempdir().unwrap();
    let xlsx = out.path().join("plan.xlsx");
    export(f.path(), &xlsx, &[])
        .success()
        .stdout(predicate::str::contains("Wrote the compliance matrix and"));
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let names = book.sheet_names();
    assert_eq!(names[0], "Compliance matrix");
    for sheet in ["Risk register", "Actions", "People", "Objectives"] {
        assert!(
            names.iter().any(|n| n == sheet),
            "no {sheet} sheet in {names:?}"
        );
    }

    let matrix = rows(&mut book, "Compliance matrix");
    assert_eq!(matrix[0][0].to_string(), "clause");
    let (clause, iso) = (
        column(&matrix[0], "clause"),
        column(&matrix[0], "iso_44001"),
    );
    let first = &matrix[1];
    assert_eq!(first[clause], Data::String("3.1".into()));
    assert_eq!(first[iso].to_string(), "ISO 44001 stage 1");
    // 3.10 stays 3.10, not the number 3.1.
    assert!(
        matrix
            .iter()
            .any(|r| r[clause] == Data::String("3.10".into()))
    );

    let actions = rows(&mut book, "Actions");
    let header = &actions[0];
    assert_eq!(header.last().unwrap().to_string(), "needs_attention");
    let (id, due, stage, why) = (
        column(header, "id"),
        column(header, "due"),
        column(header, "stage"),
        column(header, "needs_attention"),
    );
    let a1 = actions.iter().find(|r| r[id] == "A-1").unwrap();
    let Data::DateTime(d) = &a1[due] else {
        panic!("due is {:?}, not a date", a1[due])
    };
    assert_eq!(date_of(d.as_f64()), "2027-01-31");
    assert_eq!(a1[stage], Data::Float(1.0));
    assert!(
        a1[why].to_string().contains("due 2027-01-31"),
        "{:?}",
        a1[why]
    );
}

#[test]
fn the_same_plan_and_time_give_the_same_workbook() {
    let f = plan();
    let out = tempfile::tempdir().unwrap();
    let (a, b) = (out.path().join("a.xlsx"), out.path().join("b.xlsx"));
    export(f.path(), &a, &[]).success();
    export(f.path(), &b, &[]).success();
    assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
}

#[test]
fn csv_files_are_the_packs_own() {
    let f = plan();
    let out = tempfile::tempdir().unwrap();
    let csv = out.path().join("csv");
    export(f.path(), &csv, &["--format", "csv"])
        .success()
        .stdout(predicate::str::contains("CSV file(s)"));
    let pack_dir = tempfile::tempdir().unwrap();
    let pack = pack_dir.path().join("pack");
    bsrmp()
        .arg("render")
        .arg(f.path())
        .arg("--out")
        .arg(&pack)
        .args(["--today", TODAY, "--format", "md"])
        .assert()
        .success();
    for name in ["actions.csv", "risks.csv", "people.csv"] {
        assert_eq!(
            std::fs::read_to_string(csv.join(name)).unwrap(),
            std::fs::read_to_string(pack.join("data").join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn export_never_replaces_and_never_writes_inside_the_plan() {
    let f = plan();
    let out = tempfile::tempdir().unwrap();
    let xlsx = out.path().join("plan.xlsx");
    std::fs::write(&xlsx, "my own edits").unwrap();
    export(f.path(), &xlsx, &[])
        .failure()
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(std::fs::read_to_string(&xlsx).unwrap(), "my own edits");

    let full = out.path().join("full");
    std::fs::create_dir(&full).unwrap();
    std::fs::write(full.join("keep.txt"), "mine").unwrap();
    export(f.path(), &full, &["--format", "csv"])
        .failure()
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(std::fs::read_dir(&full).unwrap().count(), 1);

    export(f.path(), &f.path().join("plan.xlsx"), &[])
        .failure()
        .stderr(predicate::str::contains("inside the plan"));
    assert!(!f.path().join("plan.xlsx").exists());
    // Nothing left beside the targets.
    let left: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".bsrmp-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn rev_exports_the_plan_as_it_was_at_a_commit() {
    let f = plan();
    git2::Repository::init(f.path()).unwrap();
    commit_all(f.path(), "the plan", 0);
    f.write(
        "registers/actions.yaml",
        &crate::common::ACTIONS.replace("id: A-1\n", "id: A-9\n"),
    );
    let out = tempfile::tempdir().unwrap();
    let (then, now) = (out.path().join("then.xlsx"), out.path().join("now.xlsx"));
    export(f.path(), &then, &["--rev", "HEAD"]).success();
    export(f.path(), &now, &[]).success();
    let ids = |path: &std::path::Path| -> Vec<String> {
        let mut book: Xlsx<_> = open_workbook(path).unwrap();
        let actions = rows(&mut book, "Actions");
        let id = column(&actions[0], "id");
        actions[1..].iter().map(|r| r[id].to_string()).collect()
    };
    let (then, now) = (ids(&then), ids(&now));
    assert!(
        then.contains(&"A-1".to_string()) && !then.contains(&"A-9".to_string()),
        "{then:?}"
    );
    assert!(
        now.contains(&"A-9".to_string()) && !now.contains(&"A-1".to_string()),
        "{now:?}"
    );
}
