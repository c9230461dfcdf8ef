//! Writes a large, valid synthetic plan with a real git history, for the
//! benchmarks (bench/run.sh, docs/benchmarks.md).
//!
//! cargo run --release --example synthetic-plan -- OUT [--scale F] [--base EXAMPLE]
//!     [--risks N] [--issues N] [--actions N] [--value N] [--assessments N]
//!     [--meetings N] [--measures N] [--lessons N] [--audits N]
//!     [--documents N] [--commits N] [--objectives N] [--late N]
//!
//! The reference size (scale 1): 20,000 risks, 10,000 issues, 5,000 actions,
//! 2,000 value entries, 1,000 relationship assessments, 1,000 meetings, 400
//! measures with 25 quarterly results each, 1,000 lessons, 500 audits, 400
//! Markdown documents and 10,000 commits. `--objectives` adds objectives
//! (none at the reference size) and `--late` open actions past their due
//! date, each an `action-overdue` finding (none at the reference size). The plan starts from a bundled example
//! (northwind-project, or meridian-project for a partner's plan); every record is valid and refers to real people.
//! Everything is derived from the record number, so the same flags always
//! give the same files and the same commits. Needs git (for fast-import).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use bsrmp::checklist::Checklist;

struct Size {
    risks: usize,
    issues: usize,
    actions: usize,
    value: usize,
    assessments: usize,
    meetings: usize,
    measures: usize,
    lessons: usize,
    audits: usize,
    documents: usize,
    commits: usize,
    objectives: usize,
    late: usize,
}

/// Results each measure reports: quarterly over six years and a quarter.
const RESULTS_PER_MEASURE: usize = 25;

fn main() {
    if let Err(e) = run() {
        eprintln!("synthetic-plan: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut out: Option<PathBuf> = None;
    let mut scale = 1.0f64;
    let mut base = "northwind-project".to_string();
    let mut set: BTreeMap<String, usize> = BTreeMap::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--scale" => {
                scale = next(&mut args, &a)?
                    .parse()
                    .map_err(|e| format!("--scale: {e}"))?
            }
            "--base" => base = next(&mut args, &a)?,
            flag if flag.starts_with("--") => {
                let n = next(&mut args, flag)?
                    .parse()
                    .map_err(|e| format!("{flag}: {e}"))?;
                set.insert(flag[2..].to_string(), n);
            }
            path => out = Some(PathBuf::from(path)),
        }
    }
    let out = out.ok_or("usage: synthetic-plan OUT [--scale F] [--risks N] ...")?;
    let n = |name: &str, reference: usize| {
        set.get(name)
            .copied()
            .unwrap_or(((reference as f64) * scale).round() as usize)
    };
    let size = Size {
        risks: n("risks", 20_000),
        issues: n("issues", 10_000),
        actions: n("actions", 5_000),
        value: n("value", 2_000),
        assessments: n("assessments", 1_000),
        meetings: n("meetings", 1_000),
        measures: n("measures", 400),
        lessons: n("lessons", 1_000),
        audits: n("audits", 500),
        documents: n("documents", 400),
        commits: n("commits", 10_000),
        objectives: set.get("objectives").copied().unwrap_or(0),
        late: set.get("late").copied().unwrap_or(0),
    };
    if out.exists()
        && std::fs::read_dir(&out)
            .map_err(|e| e.to_string())?
            .next()
            .is_some()
    {
        return Err(format!("{} exists and is not empty", out.display()));
    }
    let files = plan_files(&size, &base)?;
    write_history(&out, &files, &size)?;
    let bytes: usize = files.values().map(Vec::len).sum();
    println!(
        "{}: {} files, {:.1} MB, {} commits ({} risks, {} issues, {} actions, {} value, {} assessments, {} meetings, {} measures with {} results each, {} lessons, {} audits, {} Markdown documents)",
        out.display(),
        files.len(),
        bytes as f64 / 1e6,
        size.commits,
        size.risks,
        size.issues,
        size.actions,
        size.value,
        size.assessments,
        size.meetings,
        size.measures,
        RESULTS_PER_MEASURE,
        size.lessons,
        size.audits,
        size.documents
    );
    Ok(())
}

fn next(args: &mut impl Iterator<Item = String>, flag: &str) -> Result<String, String> {
    args.next().ok_or(format!("{flag} needs a value"))
}

const CATEGORIES: [&str; 16] = [
    "health-safety",
    "reputation",
    "performance",
    "supply",
    "environment",
    "financial",
    "change",
    "ipr",
    "technology",
    "business-continuity",
    "internal",
    "sustainability",
    "commercial",
    "legal",
    "people",
    "other",
];

/// The example's own records stay (other records refer to them); the
/// generated ones follow them in the same list.
fn grow(files: &mut BTreeMap<String, Vec<u8>>, file: &str, key: &str, generated: String) {
    let body = generated
        .strip_prefix(&format!("{key}:\n"))
        .unwrap_or(&generated);
    let text = match files.get(file) {
        Some(old) => {
            let mut t = String::from_utf8_lossy(old).into_owned();
            if !t.ends_with('\n') {
                t.push('\n');
            }
            t.push_str(body);
            t
        }
        None => format!("{key}:\n{body}"),
    };
    files.insert(file.to_string(), text.into_bytes());
}

const WORDS: [&str; 24] = [
    "supplier",
    "depot",
    "handover",
    "schedule",
    "capacity",
    "forecast",
    "tariff",
    "contract",
    "service",
    "quality",
    "delay",
    "vehicle",
    "driver",
    "warehouse",
    "customer",
    "budget",
    "report",
    "meeting",
    "system",
    "data",
    "training",
    "safety",
    "route",
    "invoice",
];

/// A short phrase, the same for the same numbers.
fn phrase(i: usize, salt: usize, len: usize) -> String {
    let mut x = (i as u64)
        .wrapping_mul(6364136223846793005)
        .wrapping_add((salt as u64).wrapping_mul(1442695040888963407));
    let mut out = Vec::with_capacity(len);
    for _ in 0..len {
        x ^= x >> 29;
        x = x.wrapping_mul(0xbf58476d1ce4e5b9);
        out.push(WORDS[(x >> 40) as usize % WORDS.len()]);
    }
    let mut s = out.join(" ");
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}

fn date(i: usize, base_month: usize) -> String {
    let m = (base_month + i) % 12 + 1;
    let d = i % 28 + 1;
    format!("2027-{m:02}-{d:02}")
}

/// Every file of the plan: the example's, with its registers grown and
/// Markdown evidence documents added.
fn plan_files(size: &Size, example: &str) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(example);
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(&base)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(&base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, std::fs::read(e.path()).map_err(|e| e.to_string())?);
        }
    }
    let manifest =
        String::from_utf8_lossy(files.get("rmp.toml").ok_or("the example has no rmp.toml")?)
            .into_owned();
    let party = manifest
        .split("[[parties]]")
        .nth(1)
        .and_then(|p| p.lines().find_map(|l| l.trim().strip_prefix("id = ")))
        .map(|id| id.trim_matches('"').to_string())
        .ok_or("the example names no party")?;
    let party = party.as_str();
    let known: String = String::from_utf8_lossy(&files["registers/people.yaml"]).into_owned();
    let people: Vec<String> = known
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- id: ").map(str::to_string))
        .collect();
    let who = |i: usize| people[i % people.len()].as_str();

    let mut y = String::from("risks:\n");
    for i in 0..size.risks {
        let _ = write!(
            y,
            "  - id: R-{i}\n    title: {}\n    description: {}\n    category: {}\n    likelihood: {}\n    impact: {}\n    triggers: [{}]\n    responses: [{}]\n    action: {}\n    owner: {}\n    status: {}\n    review_date: {}\n    raised_by: {party}\n",
            phrase(i, 1, 5),
            phrase(i, 2, 14),
            CATEGORIES[i % CATEGORIES.len()],
            i % 5 + 1,
            (i / 5) % 5 + 1,
            phrase(i, 3, 3),
            ["reduce", "prevent", "transfer", "accept", "contingency"][i % 5],
            phrase(i, 4, 8),
            who(i),
            ["open", "monitoring", "closed"][i % 3],
            date(i, 0),
        );
    }
    grow(&mut files, "registers/risks.yaml", "risks", y);

    let mut y = String::from("issues:\n");
    for i in 0..size.issues {
        let resolved = i % 3 == 0;
        let _ = write!(
            y,
            "  - id: I-{i}\n    title: {}\n    raised: 2026-{:02}-{:02}\n    raised_by: {party}\n    area: {}\n    level: {}\n    escalate_by: {}\n    owner: {}\n    status: {}\n",
            phrase(i, 5, 6),
            i % 10 + 1,
            i % 28 + 1,
            [
                "relationship",
                "roles",
                "commercial",
                "process",
                "communication"
            ][i % 5],
            ["operational", "management", "executive"][i % 3],
            date(i, 3),
            who(i + 1),
            if resolved { "resolved" } else { "open" },
        );
        if resolved {
            let _ = write!(
                y,
                "    resolution: {}\n    resolved: 2026-11-{:02}\n",
                phrase(i, 6, 9),
                i % 20 + 1
            );
        }
    }
    grow(&mut files, "registers/issues.yaml", "issues", y);

    let mut y = String::from("actions:\n");
    for i in 0..size.actions {
        let _ = write!(
            y,
            "  - id: A-{i}\n    title: {}\n    stage: {}\n    owner: {}\n    due: {}\n    status: {}\n",
            phrase(i, 7, 6),
            i % 4 + 1,
            who(i + 2),
            date(i, 1),
            ["open", "in-progress", "done", "cancelled"][i % 4],
        );
    }
    for i in 0..size.late {
        let _ = write!(
            y,
            "  - id: A-L{i}\n    title: {}\n    stage: {}\n    owner: {}\n    due: 2026-{:02}-{:02}\n    status: open\n",
            phrase(i, 7, 6),
            i % 4 + 1,
            who(i + 2),
            i % 10 + 1,
            i % 28 + 1,
        );
    }
    grow(&mut files, "registers/actions.yaml", "actions", y);

    // Objectives, the same for the same number in either party's plan.
    let mut y = String::from("objectives:\n");
    for i in 0..size.objectives {
        let _ = write!(
            y,
            "  - id: OBJ-{i}\n    level: project\n    party: {party}\n    benefit: {}\n    measure: {}\n    target: {} percent\n    due: {}\n    owner: {}\n    resources: {}\n",
            phrase(i, 12, 8),
            phrase(i, 13, 6),
            50 + i % 50,
            date(i, 3),
            who(i),
            phrase(i, 14, 4),
        );
    }
    grow(&mut files, "registers/objectives.yaml", "objectives", y);

    let mut y = String::from("initiatives:\n");
    for i in 0..size.value {
        let _ = write!(
            y,
            "  - id: V-{i}\n    title: {}\n    area: {}\n    baseline: {}\n    target: {}\n    measure: {}\n    owner: {}\n    team: {}\n    status: {}\n    raised_by: {party}\n",
            phrase(i, 8, 5),
            ["cost", "time", "process", "resource", "specification"][i % 5],
            phrase(i, 9, 4),
            phrase(i, 10, 4),
            phrase(i, 11, 3),
            who(i + 3),
            phrase(i, 12, 2),
            [
                "idea",
                "evaluating",
                "approved",
                "in-progress",
                "realised",
                "rejected"
            ][i % 6],
        );
    }
    grow(&mut files, "registers/value.yaml", "initiatives", y);

    let mut y = String::from("assessments:\n");
    for i in 0..size.assessments {
        let s = |k: usize| (i + k) % 5 + 1;
        let _ = write!(
            y,
            "  - id: RA-{i}\n    period: {}-Q{}\n    date: 2026-{:02}-{:02}\n    party: {party}\n    assessor: {}\n    scores:\n      performance: {}\n      openness: {}\n      honesty: {}\n      responsiveness: {}\n      commitment: {}\n      fairness: {}\n    evidence: {}\n",
            2020 + i / 4 % 7,
            i % 4 + 1,
            i % 10 + 1,
            i % 28 + 1,
            who(i),
            s(0),
            s(1),
            s(2),
            s(3),
            s(4),
            s(5),
            phrase(i, 13, 8),
        );
    }
    grow(&mut files, "registers/assessments.yaml", "assessments", y);
    operating(&mut files, size, party, &people);

    // Markdown documents: the stage narratives already there, then evidence
    // documents that [evidence] in rmp.toml points clauses at.
    let narratives = files.keys().filter(|k| k.ends_with("README.md")).count();
    let clauses: Vec<String> = Checklist::builtin()
        .requirements
        .iter()
        .map(|r| r.clause.clone())
        .collect();
    let mut evidence: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for i in 0..size.documents.saturating_sub(narratives) {
        let path = format!("evidence/procedures/procedure-{i:04}.md");
        let mut md = format!("# {}\n\n", phrase(i, 14, 4));
        for s in 0..6 {
            let _ = write!(
                md,
                "## {}\n\n{}.\n\n- {}\n- {}\n\n",
                phrase(i, 15 + s, 3),
                phrase(i, 30 + s, 40),
                phrase(i, 50 + s, 6),
                phrase(i, 60 + s, 6)
            );
        }
        files.insert(path.clone(), md.into_bytes());
        evidence
            .entry(clauses[i % clauses.len()].clone())
            .or_default()
            .push(path);
    }
    let mut manifest = String::from_utf8_lossy(&files["rmp.toml"]).into_owned();
    let mut table = String::new();
    for (clause, paths) in &evidence {
        let list: Vec<String> = paths.iter().map(|p| format!("\"{p}\"")).collect();
        let _ = writeln!(table, "\"{clause}\" = [{}]", list.join(", "));
    }
    manifest = match manifest.find("[evidence]\n") {
        Some(at) => {
            // Keep the example's own evidence entries for clauses not generated.
            let after = at + "[evidence]\n".len();
            let end = manifest[after..]
                .find("\n[")
                .map_or(manifest.len(), |e| after + e + 1);
            let own: String = manifest[after..end]
                .lines()
                .filter(|l| {
                    let key = l.split('=').next().unwrap_or("").trim().trim_matches('"');
                    !key.is_empty()
                        && !l.trim_start().starts_with('#')
                        && !evidence.contains_key(key)
                })
                .map(|l| format!("{l}\n"))
                .collect();
            format!("{}{own}{table}\n{}", &manifest[..after], &manifest[end..])
        }
        None => format!("{manifest}\n[evidence]\n{table}"),
    };
    files.insert("rmp.toml".into(), manifest.into_bytes());
    Ok(files)
}

/// A day between 2019-01-01 and 2026-11-20 (before the benchmarks' today),
/// the same for the same numbers.
fn past(i: usize, salt: usize) -> String {
    let span = 2880;
    let k = (i
        .wrapping_mul(7919)
        .wrapping_add(salt.wrapping_mul(104_729)))
        % span;
    bsrmp::plan::date::Date::ymd(2019, 1, 1)
        .plus_days(k as i64)
        .to_string()
}

/// The records of a plan in operation: meetings of the joint management
/// team, measures with typed targets and quarterly results (one in seven
/// misses, with its action), lessons and audits held. Every reference is to
/// a real person or action.
fn operating(files: &mut BTreeMap<String, Vec<u8>>, size: &Size, party: &str, people: &[String]) {
    let who = |i: usize| people[i % people.len()].as_str();
    let action = |i: usize| format!("A-{}", i % size.actions.max(1));
    let with_action = size.actions > 0;
    let mut y = String::from("meetings:\n");
    for i in 0..size.meetings {
        let _ = write!(
            y,
            "  - id: JMT-{i}\n    date: {}\n    attendees: [{}, {}]\n    reviewed: [performance, risks, issues]\n    decisions:\n      - {}\n",
            past(i, 1),
            who(i),
            who(i + 1),
            phrase(i, 70, 10),
        );
        if with_action {
            let _ = writeln!(y, "    actions: [{}]", action(i));
        }
    }
    grow(files, "05-working-together/meetings.yaml", "meetings", y);

    let mut y = String::from("kpis:\n");
    for i in 0..size.measures {
        let at_most = i % 3 == 0;
        let target = if at_most { 5 } else { 95 };
        let _ = write!(
            y,
            "  - id: KPI-{i}\n    measure: {}\n    target: {{value: {target}, unit: \"%\", direction: {}}}\n    frequency: quarterly\n    interval_days: 100\n    owner: {}\n    party: {party}\n    results:\n",
            phrase(i, 71, 6),
            if at_most { "at-most" } else { "at-least" },
            who(i),
        );
        for q in 0..RESULTS_PER_MEASURE {
            let miss = with_action && (i + q) % 7 == 0;
            let step = ((i * 31 + q * 17) % 40) as f64 / 10.0;
            let value = match (at_most, miss) {
                (true, false) => 5.0 - step,
                (true, true) => 5.5 + step,
                (false, false) => 95.0 + step,
                (false, true) => 94.5 - step,
            };
            let (year, quarter) = (2020 + q / 4, q % 4 + 1);
            let month = quarter * 3 + 1;
            let (ry, rm) = if month > 12 {
                (year + 1, 1)
            } else {
                (year, month)
            };
            let _ = write!(
                y,
                "      - {{period: {year}-Q{quarter}, date: {ry}-{rm:02}-05, value: {value:.1}"
            );
            if miss {
                let _ = write!(y, ", action: {}", action(i + q));
            }
            y.push_str("}\n");
        }
    }
    grow(files, "05-working-together/measures.yaml", "kpis", y);

    let mut y = String::from("lessons:\n");
    for i in 0..size.lessons {
        let _ = write!(
            y,
            "  - id: L-{i}\n    date: {}\n    source: JMT-{}\n    lesson: {}\n    change: {}\n    owner: {}\n    applied: {}\n",
            past(i, 2),
            i % size.meetings.max(1),
            phrase(i, 72, 12),
            phrase(i, 73, 10),
            who(i + 1),
            past(i, 2),
        );
    }
    grow(files, "06-value-creation/lessons.yaml", "lessons", y);

    let mut y = String::from("audits:\n");
    for i in 0..size.audits {
        let _ = write!(
            y,
            "  - id: AU-{i}\n    kind: {}\n    scope: {}\n    planned: {}\n    done: {}\n    auditor: {}\n    findings:\n      - {}\n",
            ["internal", "joint"][i % 2],
            phrase(i, 74, 5),
            past(i, 3),
            past(i, 3),
            who(i + 2),
            phrase(i, 75, 9),
        );
        if with_action {
            let _ = writeln!(y, "    actions: [{}]", action(i * 3));
        }
    }
    grow(files, "registers/audits.yaml", "audits", y);
}

/// Commits the plan, then more changes, each to one file: most to a Markdown
/// document, one in fifty to a register, and one in a hundred an approval of
/// the document just changed. The last commits are an approval round, as
/// before an assessment: every document changed since its last approval is
/// approved again, so the plan passes `bsrmp check`. The round takes the
/// place of as many changes, so the history stays near `commits` long (plus
/// the approvals made along the way). The history goes to
/// `git fast-import` as one stream: writing it object by object took minutes
/// per plan, most of it compressing loose objects. Objects are stored whole
/// and lightly compressed here; `bench/run.sh` then repacks the repository
/// as `git gc` packs loose objects (a full search for deltas).
fn write_history(out: &Path, files: &BTreeMap<String, Vec<u8>>, size: &Size) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    git2::Repository::init(out).map_err(|e| e.message().to_string())?;
    let mut child = Command::new("git")
        .current_dir(out)
        .args([
            "-c",
            "pack.compression=1",
            "fast-import",
            "--quiet",
            "--done",
            "--depth=0",
        ])
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git fast-import: {e}"))?;
    let stdin = child.stdin.take().ok_or("no pipe to git fast-import")?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, stdin);
    stream(&mut w, files, size).map_err(|e| format!("writing to git fast-import: {e}"))?;
    drop(w);
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("git fast-import failed ({status})"));
    }
    let repo = git2::Repository::open(out).map_err(|e| e.message().to_string())?;
    repo.set_head("refs/heads/main")
        .map_err(|e| e.message().to_string())?;
    repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .map_err(|e| e.message().to_string())?;
    Ok(())
}

/// One file's new content in a fast-import commit.
fn modify(w: &mut impl Write, path: &str, bytes: &[u8]) -> std::io::Result<()> {
    writeln!(w, "M 100644 inline {path}")?;
    writeln!(w, "data {}", bytes.len())?;
    w.write_all(bytes)?;
    writeln!(w)
}

fn stream(
    w: &mut impl Write,
    files: &BTreeMap<String, Vec<u8>>,
    size: &Size,
) -> std::io::Result<()> {
    let mut current = files.clone();
    let docs: Vec<String> = files
        .keys()
        .filter(|k| k.ends_with(".md"))
        .cloned()
        .collect();
    let registers = [
        "registers/risks.yaml",
        "registers/issues.yaml",
        "registers/actions.yaml",
        "registers/value.yaml",
        "registers/assessments.yaml",
    ];
    let authors = [
        ("Emma Harcourt", "emma.harcourt@northwind.example"),
        ("Priya Mensah", "priya.mensah@northwind.example"),
        ("Leo Chen", "leo.chen@northwind.example"),
    ];
    let manifest = String::from_utf8_lossy(&files["rmp.toml"]).into_owned();
    let ser = manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("ser = "))
        .map(|s| s.trim_matches('"').to_string())
        .unwrap_or_default();
    let start = 1_767_258_000i64; // 2026-01-01T09:00:00Z
    let commit = |w: &mut dyn Write, c: usize, message: &str| -> std::io::Result<()> {
        let (name, email) = authors[c % authors.len()];
        let who = format!("{name} <{email}> {} +0000", start + c as i64 * 600);
        writeln!(w, "commit refs/heads/main")?;
        writeln!(w, "author {who}")?;
        writeln!(w, "committer {who}")?;
        writeln!(w, "data {}", message.len())?;
        w.write_all(message.as_bytes())?;
        writeln!(w)
    };
    let blob_id = |bytes: &[u8]| {
        git2::Oid::hash_object(git2::ObjectType::Blob, bytes).map_err(std::io::Error::other)
    };
    let approve = |w: &mut dyn Write, c: usize, path: &str, blob: git2::Oid| {
        commit(
            w,
            c,
            &format!(
                "Approve {path}\n\nApproved-by: {ser}\nApproved-role: SER\nApproved-blob: {path} {blob}\n"
            ),
        )
    };
    let mut approved: BTreeMap<String, git2::Oid> = BTreeMap::new();
    let changes = size.commits.saturating_sub(docs.len()).max(1);
    for c in 0..changes {
        if c == 0 {
            commit(w, c, "Start the plan")?;
            for (path, bytes) in &current {
                modify(w, path, bytes)?;
            }
            continue;
        }
        let path = if c % 50 == 0 {
            registers[(c / 50) % registers.len()].to_string()
        } else {
            docs[c % docs.len()].clone()
        };
        let bytes = current.get_mut(&path).unwrap();
        if path.ends_with(".md") {
            bytes.extend_from_slice(format!("\nRevision {c}: {}.\n", phrase(c, 99, 12)).as_bytes());
        } else {
            // A register's status or review date moves on: a small edit
            // to a large file, as in real use.
            let next = match path.as_str() {
                "registers/risks.yaml" => "status: monitoring",
                "registers/actions.yaml" => "status: in-progress",
                "registers/issues.yaml" => "status: escalated",
                _ => "status: open",
            };
            let text = String::from_utf8_lossy(bytes).replacen("status: open", next, 1);
            *bytes = if text.as_bytes() == bytes.as_slice() {
                let mut t = text.into_bytes();
                t.extend_from_slice(b"\n");
                t
            } else {
                text.into_bytes()
            };
        }
        commit(w, c, &format!("Update {path}"))?;
        modify(w, &path, bytes)?;
        if c % 100 == 1 && path.ends_with(".md") {
            let blob = blob_id(bytes)?;
            approve(w, c, &path, blob)?;
            approved.insert(path, blob);
        }
    }
    for (i, path) in docs.iter().enumerate() {
        let blob = blob_id(&current[path])?;
        if approved.get(path) != Some(&blob) {
            approve(w, changes + i, path, blob)?;
        }
    }
    writeln!(w, "done")
}

#[cfg(test)]
mod tests {
    use super::*;
    use bsrmp::check;
    use bsrmp::history::Depth;
    use bsrmp::plan::date::Date;
    use bsrmp::workspace::Workspace;

    /// The benchmarks measure a plan that passes: the generator's plans, ours
    /// and the partner's, must stay valid as bsrmp's rules change.
    #[test]
    fn small_plans_from_both_bases_pass_check_without_warnings() {
        let size = Size {
            risks: 120,
            issues: 60,
            actions: 30,
            value: 12,
            assessments: 6,
            meetings: 20,
            measures: 8,
            lessons: 10,
            audits: 6,
            documents: 30,
            commits: 260,
            objectives: 40,
            late: 0,
        };
        for base in ["northwind-project", "meridian-project"] {
            // As `check --deny-warnings` would fail: notes do not count.
            let found: Vec<String> = findings_of(&size, base)
                .iter()
                .filter(|f| f.severity != bsrmp::diag::Severity::Note)
                .map(|f| format!("{} {}", f.code, f.message))
                .collect();
            assert!(found.is_empty(), "{base}: {found:#?}");
        }
    }

    /// The findings of `check` on a plan of `size` from `base`.
    fn findings_of(size: &Size, base: &str) -> Vec<bsrmp::diag::Finding> {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("plan");
        let files = plan_files(size, base).unwrap();
        write_history(&out, &files, size).unwrap();
        let ws = Workspace::open(&out, None).unwrap();
        let opts = check::Options {
            today: Date::parse("2026-11-23").unwrap(),
            stage: None,
        };
        let checked = ws
            .check(Checklist::builtin(), &opts, true, Depth::Approvals)
            .unwrap_or_else(|e| panic!("{base}: {e}"));
        checked.assessment.findings.clone()
    }

    /// `--late N` gives exactly N findings, all `action-overdue`.
    #[test]
    fn late_actions_are_each_one_finding() {
        let size = Size {
            risks: 0,
            issues: 0,
            actions: 0,
            value: 0,
            assessments: 0,
            meetings: 0,
            measures: 0,
            lessons: 0,
            audits: 0,
            documents: 0,
            commits: 5,
            objectives: 0,
            late: 70,
        };
        let findings = findings_of(&size, "northwind-project");
        let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, vec!["action-overdue"; 70]);
    }
}
