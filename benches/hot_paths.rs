//! Micro-benchmarks of the hot paths that bench/run.sh's whole-command
//! figures come down to (docs/benchmarks.md): reading records, judging a
//! plan, walking the history, and finding alike risks in two registers.
//!
//! cargo bench --bench hot_paths

use std::collections::BTreeMap;
use std::path::Path;

use bsrmp::check;
use bsrmp::checklist::Checklist;
use bsrmp::history::{self, Depth};
use bsrmp::plan::date::Date;
use bsrmp::plan::source::MemSource;
use bsrmp::plan::{self, Plan};

fn main() {
    divan::main();
}

const EXAMPLE: &str = "examples/northwind-project";

fn example_files() -> BTreeMap<String, Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE);
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(&root).into_iter().flatten() {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&root).unwrap();
            files.insert(
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            );
        }
    }
    files
}

/// The example with its risk register grown to `n` risks, each a copy of its
/// first risk under a new id.
fn with_risks(n: usize) -> BTreeMap<String, Vec<u8>> {
    let mut files = example_files();
    let text = String::from_utf8(files["registers/risks.yaml"].clone()).unwrap();
    let start = text.find("  - id: ").unwrap();
    let end = text[start + 1..]
        .find("  - id: ")
        .map_or(text.len(), |e| start + 1 + e);
    let first = &text[start..end];
    let id_line = first.lines().next().unwrap();
    let mut grown = String::from("risks:\n");
    for i in 0..n {
        grown.push_str(&first.replacen(id_line, &format!("  - id: R-{i}"), 1));
    }
    files.insert("registers/risks.yaml".into(), grown.into_bytes());
    files
}

fn load(files: &BTreeMap<String, Vec<u8>>, checklist: &Checklist) -> Plan {
    let source = MemSource::new("/plan", files.clone());
    plan::load(&source, &|c| checklist.stage_of(c)).unwrap()
}

/// Reading a plan: YAML into typed records, with their generic views.
#[divan::bench(args = [1_000, 10_000])]
fn load_plan(bencher: divan::Bencher, risks: usize) {
    let checklist = Checklist::builtin();
    let files = with_risks(risks);
    bencher.bench(|| load(divan::black_box(&files), checklist));
}

/// Judging a loaded plan against the 89 clauses.
#[divan::bench(args = [1_000, 10_000])]
fn evaluate(bencher: divan::Bencher, risks: usize) {
    let checklist = Checklist::builtin();
    let files = with_risks(risks);
    let plan = load(&files, checklist);
    let source = MemSource::new("/plan", files);
    let opts = check::Options {
        today: Date::parse("2026-11-23").unwrap(),
        stage: None,
    };
    bencher.bench(|| check::evaluate(&plan, &source, checklist, &opts, None));
}

/// The example's history in this repository, to both depths.
#[divan::bench(args = ["approvals", "full"])]
fn history_walk(bencher: divan::Bencher, depth: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE);
    let Ok(Some(pr)) = history::open(&dir) else {
        // A copy of the sources without git history: nothing to walk.
        return;
    };
    let depth = if depth == "full" {
        Depth::Full
    } else {
        Depth::Approvals
    };
    let Ok(Some(head)) = pr.resolve(None) else {
        return;
    };
    bencher.bench_local(|| history::load(&pr, &head, depth).unwrap());
}

/// Pairing alike risks of two registers of `n` risks each, worded from a
/// vocabulary of 2,000 words.
#[divan::bench(args = [1_000, 10_000])]
fn alike_risks(bencher: divan::Bencher, n: usize) {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut word = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        format!("word{}", seed % 2_000)
    };
    let mut register = |party: &str| -> Vec<serde_json::Value> {
        (0..n)
            .map(|i| {
                let title: Vec<String> = (0..5).map(|_| word()).collect();
                let description: Vec<String> = (0..20).map(|_| word()).collect();
                let category = ["operational", "commercial", "people"][i % 3];
                serde_json::json!({
                    "id": format!("{party}-R-{i}"),
                    "title": title.join(" "),
                    "description": description.join(" "),
                    "category": category,
                })
            })
            .collect()
    };
    let (a, b) = (register("a"), register("b"));
    bencher.bench(|| bsrmp::joint::seed::alike_risk_pairs(&a, &b));
}
