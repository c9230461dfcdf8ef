//! `bsrmp render`, run as a user would: the bundled examples in repositories
//! with fixed commits, escaping of hostile plan text, `--rev`, byte-identical
//! re-renders, safe replacement, template overrides and the pack's own links.

use std::path::{Path, PathBuf};

use crate::common::{
    Fixture, TODAY, bsrmp, check_links, commit_all, copy_dir, identity, plan, tree,
};
use predicates::prelude::*;

/// 2026-11-23T10:00:00Z, the pack's generation time in every test.
const EPOCH: &str = "1795428000";

fn render_cmd(plan: &Path, out: &Path) -> assert_cmd::Command {
    let mut cmd = bsrmp();
    cmd.env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("render")
        .arg(plan)
        .arg("--out")
        .arg(out)
        .args(["--today", TODAY]);
    cmd
}

/// Renders `plan` in `formats` into a new temporary folder: the folder (kept
/// while it is held) and the pack inside it.
pub(crate) fn rendered(plan: &Path, formats: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let pack = out.path().join("pack");
    render_cmd(plan, &pack)
        .args(["--format", formats])
        .assert()
        .success();
    (out, pack)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A bundled example in its own repository: one commit at a fixed time, then
/// the approvals its narratives need, also at a fixed time.
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
    let narratives: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("0") && d.path().join(n).join("README.md").is_file())
        .map(|n| format!("{n}/README.md"))
        .collect();
    let mut paths: Vec<String> = narratives;
    paths.sort();
    if d.path()
        .join("evidence/collaborative-working-policy.md")
        .is_file()
    {
        paths.push("evidence/collaborative-working-policy.md".into());
    }
    let home = tempfile::tempdir().unwrap();
    let mut cmd = bsrmp();
    identity(&mut cmd, home.path());
    cmd.env("GIT_COMMITTER_DATE", "@1769936400 +0000")
        .arg("approve")
        .arg(d.path())
        .args(&paths)
        .args(["--by", "eharcourt", "--as", "SER"])
        .assert()
        .success();
    d
}

fn repo_plan() -> Fixture {
    let f = plan();
    git2::Repository::init(f.path()).unwrap();
    commit_all(f.path(), "Start the plan", 0);
    f
}

#[test]
fn example_packs_snapshot() {
    for name in ["northwind-project", "northwind-corporate"] {
        let repo = example_repo(name);
        let out = tempfile::tempdir().unwrap();
        let pack = out.path().join("pack");
        render_cmd(repo.path(), &pack)
            .args(["--format", "html,md"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Wrote the pack"));
        insta::assert_snapshot!(format!("{name}_pack_md"), read(&pack.join("pack.md")));
        insta::assert_snapshot!(format!("{name}_index_html"), read(&pack.join("index.html")));
        let matrix = read(&pack.join("matrix.html"));
        // The 89 clauses, each with its row anchor.
        assert_eq!(matrix.matches("<tr id=\"clause-").count(), 89);
        check_links(&pack);
    }
}

#[test]
fn plan_text_is_escaped_and_never_evaluated() {
    let f = repo_plan();
    f.edit(
        "registers/risks.yaml",
        "description: Two engineers who know the legacy system retire next year.",
        "description: \"<script>alert('risk')</script> and {{ 7 * 7 }} and {% if true %}x{% endif %}\"",
    );
    f.append(
        "01-awareness/README.md",
        "\nA <script>alert('narrative')</script> inline, and [a link](javascript:alert(1)).\n\n<iframe src=\"https://example.com\"></iframe>\n",
    );
    commit_all(f.path(), "Hostile text", 1);
    let (_out, pack) = rendered(f.path(), "html,md");
    let registers = read(&pack.join("registers.html"));
    assert!(registers.contains("&lt;script&gt;alert("), "{registers}");
    assert!(registers.contains("{{ 7 * 7 }}"));
    assert!(!registers.contains("49"));
    let stage = read(&pack.join("stage-1.html"));
    assert!(stage.contains("&lt;script&gt;"), "raw HTML shows as text");
    assert!(!stage.contains("javascript:"));
    assert!(!stage.contains("<iframe"));
    for (name, bytes) in tree(&pack) {
        if name.ends_with(".html") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(!text.contains("<script"), "{name} has a script element");
        }
    }
    let md = read(&pack.join("pack.md"));
    assert!(
        md.contains("\\<script\\>alert"),
        "records are escaped in pack.md"
    );
    assert!(
        md.contains("```html\n<iframe"),
        "raw HTML in narratives is shown as code in pack.md"
    );
}

#[test]
fn rev_renders_the_plan_as_it_was() {
    let f = repo_plan();
    let old = git2::Repository::open(f.path())
        .unwrap()
        .head()
        .unwrap()
        .peel_to_commit()
        .unwrap()
        .id()
        .to_string();
    f.edit(
        "rmp.toml",
        "Corporate Relationship Management Plan",
        "Revised Plan",
    );
    commit_all(f.path(), "Rename the plan", 2);
    // An uncommitted edit: --rev must not see it, nor mark the pack dirty.
    f.append("registers/people.yaml", "\n");
    let out = tempfile::tempdir().unwrap();
    let pack = out.path().join("pack");
    render_cmd(f.path(), &pack)
        .args(["--format", "html", "--rev", &old[..10]])
        .assert()
        .success();
    let index = read(&pack.join("index.html"));
    assert!(
        index.contains("Corporate Relationship Management Plan"),
        "{index}"
    );
    assert!(!index.contains("Revised Plan"));
    assert!(index.contains(&old[..12]));
    assert!(!index.contains("uncommitted changes"));
    // Without --rev, the work tree: new title, and marked dirty.
    let now = out.path().join("now");
    render_cmd(f.path(), &now)
        .args(["--format", "html"])
        .assert()
        .success();
    let index = read(&now.join("index.html"));
    assert!(index.contains("Revised Plan"));
    assert!(index.contains("uncommitted changes"));
}

#[test]
fn the_same_commit_renders_byte_identical_packs() {
    let repo = example_repo("northwind-corporate");
    // The same pack name in two places: the zip holds the folder's name.
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a, b) = (one.path().join("pack"), two.path().join("pack"));
    render_cmd(repo.path(), &a).arg("--zip").assert().success();
    render_cmd(repo.path(), &b).arg("--zip").assert().success();
    let (ta, tb) = (tree(&a), tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (name, bytes) in &ta {
        assert!(bytes == &tb[name], "{name} differs between two renders");
    }
    let zip = |d: &Path| std::fs::read(d.join("pack.zip")).unwrap();
    assert!(zip(one.path()) == zip(two.path()), "the zips differ");
    // Readable by others like the pack's own files (umask permitting), not
    // private to its writer.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode(&one.path().join("pack.zip")),
            mode(&a.join("index.html"))
        );
    }
    if cfg!(feature = "pdf") {
        let pdf = &ta["pack.pdf"];
        assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
        assert!(
            pdf.len() > 20_000,
            "a PDF of {} bytes is too small",
            pdf.len()
        );
    }
}

#[test]
fn manifest_lists_every_file_with_its_sha256() {
    let f = repo_plan();
    let (_out, pack) = rendered(f.path(), "html,md");
    let m: serde_json::Value = serde_json::from_str(&read(&pack.join("manifest.json"))).unwrap();
    assert_eq!(m["format"], "bsrmp.pack/1");
    let files = m["files"].as_array().unwrap();
    let on_disk = tree(&pack);
    assert_eq!(
        files.len() + 1,
        on_disk.len(),
        "every file but the manifest is listed"
    );
    for entry in files {
        let path = entry["path"].as_str().unwrap();
        let bytes = &on_disk[path];
        use sha2::Digest;
        let digest: String = sha2::Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(entry["sha256"], digest, "{path}");
    }
}

#[test]
fn refuses_unsafe_targets_and_writes_nothing() {
    let f = repo_plan();
    let out = tempfile::tempdir().unwrap();
    // A folder holding other files.
    let busy = out.path().join("busy");
    std::fs::create_dir(&busy).unwrap();
    std::fs::write(busy.join("notes.txt"), "mine").unwrap();
    render_cmd(f.path(), &busy)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not hold an earlier pack"));
    assert_eq!(tree(&busy).len(), 1);
    // Inside the plan.
    render_cmd(f.path(), &f.path().join("pack"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("inside the plan"));
    assert!(!f.path().join("pack").exists());
    // A file.
    let file = out.path().join("file");
    std::fs::write(&file, "x").unwrap();
    render_cmd(f.path(), &file).assert().code(2);
    assert_eq!(read(&file), "x");
    // No temporary folder is left behind.
    let leftovers: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".bsrmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn replaces_an_earlier_pack_but_not_one_with_extra_files() {
    let f = repo_plan();
    let (_out, pack) = rendered(f.path(), "html");
    render_cmd(f.path(), &pack)
        .args(["--format", "md"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Replaced the pack"));
    assert!(pack.join("pack.md").is_file());
    assert!(
        !pack.join("index.html").exists(),
        "the earlier pack was replaced whole"
    );
    std::fs::write(pack.join("my-notes.txt"), "keep me").unwrap();
    render_cmd(f.path(), &pack)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("my-notes.txt"));
    assert_eq!(read(&pack.join("my-notes.txt")), "keep me");
}

#[test]
fn templates_folder_overrides_by_name() {
    let f = repo_plan();
    let t = tempfile::tempdir().unwrap();
    std::fs::write(
        t.path().join("stamp.html"),
        "<p class=\"stamp\">ACME BRANDED · {{ pack.provenance.short }}</p>\n",
    )
    .unwrap();
    std::fs::write(
        t.path().join("logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let pack = out.path().join("pack");
    render_cmd(f.path(), &pack)
        .args(["--format", "html"])
        .arg("--templates")
        .arg(t.path())
        .assert()
        .success();
    assert!(read(&pack.join("index.html")).contains("ACME BRANDED"));
    assert!(read(&pack.join("matrix.html")).contains("ACME BRANDED"));
    assert!(pack.join("logo.svg").is_file());
    assert!(
        read(&pack.join("style.css")).contains("assessor pack"),
        "the built-in style stays"
    );

    // A broken template: named, with its line, and nothing written.
    std::fs::write(t.path().join("index.html"), "ok\n{% if %}\n").unwrap();
    let broken = out.path().join("broken");
    render_cmd(f.path(), &broken)
        .args(["--format", "html"])
        .arg("--templates")
        .arg(t.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("template index.html: line 2"));
    assert!(!broken.exists());
}

#[test]
fn a_plan_outside_git_renders_and_says_so() {
    let f = plan();
    let (_out, pack) = rendered(f.path(), "html,md");
    let docs = read(&pack.join("documents.html"));
    assert!(docs.contains("cannot be verified"));
    assert!(read(&pack.join("index.html")).contains("Not in git"));
}

#[test]
fn bad_formats_and_bad_epochs_are_usage_errors() {
    let f = plan();
    let out = tempfile::tempdir().unwrap();
    render_cmd(f.path(), &out.path().join("p"))
        .args(["--format", "html,docx"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`docx` is not a pack format"));
    let mut cmd = bsrmp();
    cmd.env("SOURCE_DATE_EPOCH", "yesterday")
        .args(["render"])
        .arg(f.path())
        .arg("--out")
        .arg(out.path().join("q"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("SOURCE_DATE_EPOCH"));
}

#[test]
fn an_unreadable_plan_fails_with_file_and_line() {
    let f = plan();
    f.write(
        "registers/risks.yaml",
        "risks:\n  - id: R-1\n    likelihood: 9\n",
    );
    let out = tempfile::tempdir().unwrap();
    let pack: PathBuf = out.path().join("pack");
    render_cmd(f.path(), &pack)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("registers/risks.yaml"))
        .stderr(predicate::str::contains("3:"));
    assert!(!pack.exists());
}

#[test]
fn a_zip_path_held_by_another_file_is_refused_before_anything_is_written() {
    let repo = example_repo("northwind-corporate");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("pack");
    std::fs::write(work.path().join("pack.zip"), "someone's own file").unwrap();
    render_cmd(repo.path(), &out)
        .arg("--zip")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("was not written by bsrmp"));
    assert!(
        !out.exists(),
        "the pack folder was written before the refusal"
    );
    let names: Vec<_> = std::fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["pack.zip".to_string()]);
    assert_eq!(
        std::fs::read_to_string(work.path().join("pack.zip")).unwrap(),
        "someone's own file"
    );
}

#[test]
fn out_at_a_folder_of_the_system_or_a_file_is_refused_without_reading_it() {
    let repo = example_repo("northwind-corporate");
    let work = tempfile::tempdir().unwrap();
    for system in ["/", "/usr"] {
        render_cmd(repo.path(), Path::new(system))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{system} is not empty and does not hold an earlier pack"
            )))
            .stderr(predicate::str::contains("cannot read").not());
    }
    let file = work.path().join("notes.txt");
    std::fs::write(&file, "mine").unwrap();
    render_cmd(repo.path(), &file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a file, not a folder"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}

/// The pack counts the clauses due as check does: a waived clause is not
/// due, so a waiver changes neither "met" nor makes "due" larger. The pack
/// once counted waived clauses as due ("18 of 19"), where check said "18 of 18".
#[test]
fn a_waiver_is_counted_alike_in_the_pack_and_by_check() {
    let f = plan();
    f.append(
        "rmp.toml",
        "\n[waivers.\"3.4\"]\nreason = \"Value is set by the corporate parent.\"\napproved_by = \"ser\"\ndate = 2026-02-01\n",
    );
    let (_out, pack) = rendered(f.path(), "md");
    let md = read(&pack.join("pack.md"));
    // The verdict above the contents, and the counts and waivers of the overview.
    let lines: Vec<&str> = md.lines().collect();
    let head = lines.iter().take_while(|l| !l.starts_with("## Contents"));
    let counts = lines
        .iter()
        .skip_while(|l| !l.starts_with("### Compliance by stage"))
        .take_while(|l| !l.starts_with("### Charts"));
    let overview = head.chain(counts).copied().collect::<Vec<_>>().join("\n");
    insta::assert_snapshot!("waiver_overview", overview);
    let checked = f.check(&[]).success();
    let text = String::from_utf8(checked.get_output().stdout.clone()).unwrap();
    assert!(text.contains("18 of 18 due clauses met"), "{text}");
    assert!(md.contains("18 of 18 clauses due are met"), "{md}");
}

/// The project example moved on to stage 7 with a second party and the
/// records of a plan in operation: measures with results, meetings,
/// assessments, audits (one planned in the past and not held) and value.
fn operating_plan() -> Fixture {
    let f = crate::common::project_at_stage(7);
    f.append(
        "rmp.toml",
        "\n[[parties]]\nid = \"meridian\"\nname = \"Meridian <Freight> Services\"\n",
    );
    f.append(
        "registers/people.yaml",
        "  - {id: okoro, name: Ngozi Okoro, party: meridian}\n",
    );
    let quarters = |values: [&str; 6]| {
        [
            "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4",
        ]
        .iter()
        .zip(values)
        .map(|(p, v)| format!("      - {{period: {p}, value: {v}}}\n"))
        .collect::<String>()
    };
    f.write(
        "05-working-together/measures.yaml",
        &format!(
            "kpis:\n  - id: KPI-1\n    measure: Loads on time and in full\n    target: {{value: 96, unit: \"%\"}}\n    party: meridian\n    results:\n{}  - id: KPI-2\n    measure: Damaged cases per 10,000\n    target: {{value: 4, unit: cases, direction: at-most}}\n    party: northwind\n    results:\n{}",
            quarters(["96.8", "97.1", "94.2, action: A-P101", "96.4", "96.0", "97.5"]),
            quarters(["3.2", "3.8", "3.9", "3.6", "3.1", "3.0"]),
        ),
    );
    f.write(
        "05-working-together/meetings.yaml",
        "meetings:\n  - {id: JMT-1, date: 2026-03-17, attendees: [pkaur, okoro]}\n  - {id: JMT-2, date: 2026-06-16, attendees: [pkaur, okoro]}\n  - {id: JMT-3, date: 2026-09-15, attendees: [pkaur, okoro]}\n",
    );
    f.write(
        "registers/assessments.yaml",
        "assessments:\n  - {id: RA-1, period: 2026-Q2, date: 2026-06-10, party: northwind}\n  - {id: RA-2, period: 2026-Q3, date: 2026-09-20, party: northwind}\n",
    );
    f.write(
        "registers/audits.yaml",
        "audits:\n  - {id: AU-1, kind: joint, scope: Governance, planned: 2026-02-10, done: 2026-02-18}\n  - {id: AU-2, kind: internal, scope: Measures, planned: 2026-09-15}\n",
    );
    f.write(
        "registers/value.yaml",
        "initiatives:\n  - id: V-1\n    title: Shared backhaul\n    forecast: {value: 180000, unit: GBP a year}\n    realised: {value: 64000, unit: GBP a year}\n    reviews:\n      - {date: 2026-09-22, reviewer: pkaur}\n  - id: V-2\n    title: Fewer re-keyed orders\n    forecast: {value: 1200, unit: hours}\n",
    );
    f
}

#[test]
fn the_plan_in_operation_is_charted_in_every_format() {
    let f = operating_plan();
    let out = tempfile::tempdir().unwrap();
    let pack = out.path().join("pack");
    // All formats: typst must take the charts' SVG too.
    render_cmd(f.path(), &pack).assert().success();
    let index = read(&pack.join("index.html"));
    let heading = index
        .find("<h2>The plan in operation</h2>")
        .expect("the heading of the operating charts");
    for id in ["chart-measures", "chart-timeline", "chart-value"] {
        let at = index
            .find(&format!("<figure class=\"chart\" id=\"{id}\">"))
            .unwrap_or_else(|| panic!("{id} is not in index.html"));
        assert!(at > heading, "{id} is under its own heading");
    }
    // The miss with its action, the audit not held, the units apart.
    assert!(index.contains("2026-Q1 94.2% (off target; action A-P101)"));
    assert!(index.contains("AU-2 not held, planned 2026-09-15"));
    assert!(index.contains("Overdue as of 2026-11-23:"));
    assert!(index.contains("In GBP a year") && index.contains("In hours"));
    assert!(index.contains("KPI-1 · Meridian &lt;Freight&gt; Services"));
    assert!(!index.contains("<Freight>"), "plan text is escaped");
    let md = read(&pack.join("pack.md"));
    let section = md
        .split("### The plan in operation\n")
        .nth(1)
        .expect("the operating section in pack.md");
    for title in [
        "**Measures against target, by owning party.**",
        "**The operating phase: held and due.**",
        "**Value: forecast against realised.**",
    ] {
        assert!(section.contains(title), "{title} is not in pack.md");
    }
    if cfg!(feature = "pdf") {
        assert!(
            std::fs::read(pack.join("pack.pdf"))
                .unwrap()
                .starts_with(b"%PDF-")
        );
    }
}

/// `pdftotext` (poppler-utils), to read back what the PDF holds; `None`
/// where it is missing, unless `BSRMP_REQUIRE_PDFTOTEXT=1` (set by `.ci/run`).
pub(crate) fn pdftotext(pdf: &Path) -> Option<String> {
    match std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
    {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        _ if std::env::var("BSRMP_REQUIRE_PDFTOTEXT").as_deref() == Ok("1") => {
            panic!("pdftotext is required (BSRMP_REQUIRE_PDFTOTEXT=1) but did not run")
        }
        _ => {
            eprintln!("SKIPPED: pdftotext not found; install poppler-utils to run this test");
            None
        }
    }
}

#[test]
fn the_pdf_holds_every_stage_narrative() {
    if !cfg!(feature = "pdf") {
        return;
    }
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/northwind-project");
    let (_out, pack) = rendered(&example, "pdf");
    let Some(text) = pdftotext(&pack.join("pack.pdf")) else {
        return;
    };
    crate::print::assert_on_the_page(&pack.join("pack.pdf"));
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = words(&text);
    assert!(text.contains("Stage narratives"), "no narratives section");
    for stage in [
        "01-awareness",
        "02-knowledge",
        "03-internal-assessment",
        "04-partner-selection",
    ] {
        let md = read(&example.join(stage).join("README.md"));
        // Its first paragraph of prose, and the heading of each clause.
        let body = md.splitn(3, "---\n").nth(2).unwrap();
        let prose = body
            .split("\n\n")
            .map(str::trim)
            .find(|p| !p.is_empty() && !p.starts_with('#') && !p.starts_with("<!--"))
            .unwrap();
        let opening: String = words(prose)
            .split(' ')
            .take(8)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains(&opening),
            "{stage}: {opening:?} is not in the PDF"
        );
        for heading in body.lines().filter_map(|l| l.strip_prefix("## ")) {
            assert!(
                text.contains(heading.trim()),
                "{stage}: the heading {heading:?} is not in the PDF"
            );
        }
    }
}

#[test]
fn the_document_register_names_people_and_overdue_reviews() {
    let f = crate::common::project_at_stage(4);
    f.edit(
        "02-knowledge/README.md",
        "review_by: 2027-04-30",
        "review_by: 2026-10-31",
    );
    let (_out, pack) = rendered(f.path(), "html,md");
    let md = read(&pack.join("pack.md"));
    let row = md
        .lines()
        .find(|l| l.starts_with("| `02-knowledge/README.md` |"))
        .expect("the stage 2 narrative in the register");
    assert!(
        row.contains("| Gareth Doyle (gdoyle) | Eleanor Harcourt, Chief Operating Officer (SER) | 2026-10-31 (overdue) |"),
        "{row}"
    );
    let html = read(&pack.join("documents.html"));
    assert!(html.contains("2026-10-31 (overdue)"));
}

#[test]
fn a_plan_inside_a_larger_repository_says_whose_history_it_shows() {
    // The bundled example where it is, in this project's repository.
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/northwind-corporate");
    if !Path::new(env!("CARGO_MANIFEST_DIR")).join(".git").exists() {
        return;
    }
    let (_out, pack) = rendered(&example, "html,md");
    let md = read(&pack.join("pack.md"));
    assert!(
        md.contains("The plan is the folder `examples/northwind-corporate` of a larger repository")
    );
    assert!(read(&pack.join("documents.html")).contains("of a larger repository"));
    // In a repository of its own, nothing to say.
    let own = example_repo("northwind-corporate");
    let (_out, pack) = rendered(own.path(), "md");
    assert!(!read(&pack.join("pack.md")).contains("larger repository"));
}

#[test]
fn authors_are_named_as_the_people_register_names_them() {
    // Sam Okafor commits as sam@example.com; the register gives that email
    // to `ops`, in other case.
    let f = plan();
    f.edit(
        "registers/people.yaml",
        "    name: Sam Okafor\n",
        "    name: Sam Okafor\n    email: Sam@Example.com\n",
    );
    git2::Repository::init(f.path()).unwrap();
    commit_all(f.path(), "Start the plan", 0);
    let (_out, pack) = rendered(f.path(), "html,md");
    let md = read(&pack.join("pack.md"));
    assert!(
        md.contains("2026-01-01, Sam Okafor (ops)"),
        "the register does not name ops"
    );
    assert!(read(&pack.join("matrix.html")).contains("Sam Okafor (ops)"));

    // Someone the register does not know is shown as git has them.
    let g = repo_plan();
    let (_out, pack) = rendered(g.path(), "md");
    let md = read(&pack.join("pack.md"));
    assert!(md.contains("2026-01-01, Sam Okafor |") && !md.contains("Sam Okafor (ops)"));
}
