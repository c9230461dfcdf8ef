//! The floor that `bsrmp check` is measured against (bench/run.sh): read and
//! parse every YAML, TOML and Markdown file of a plan, and nothing else. YAML
//! goes through the same parser with the same limits into a generic value;
//! Markdown through the same parser, into its syntax tree. Files are parsed
//! on as many threads as bsrmp uses, and a large register in pieces cut at
//! its records, as bsrmp cuts it (src/plan/split.rs).
//!
//! cargo run --release --example parse-floor -- PLAN

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: parse-floor PLAN");
        std::process::exit(2);
    };
    let mut files: Vec<(String, String)> = Vec::new();
    for e in walkdir::WalkDir::new(Path::new(&dir))
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
        .filter_map(Result::ok)
    {
        let name = e.path().to_string_lossy().to_string();
        let parsed = [".yaml", ".yml", ".toml", ".md"]
            .iter()
            .any(|x| name.ends_with(x));
        if e.file_type().is_file()
            && parsed
            && let Ok(text) = std::fs::read_to_string(e.path())
        {
            files.push((name, text));
        }
    }
    // Shared out among threads, largest first, as bsrmp shares its record
    // files: the floor gets the same parallelism as the command it bounds.
    // A large register is cut at its records, as bsrmp cuts it, so that its
    // pieces parse side by side: the floor is the fastest reading bsrmp's
    // parser allows, not one thread's pace on the largest file.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let count = files.len();
    let yaml: usize = files
        .iter()
        .filter(|(n, _)| n.ends_with(".yaml") || n.ends_with(".yml"))
        .map(|(_, t)| t.len())
        .sum();
    let mut cut = Vec::with_capacity(files.len());
    for (name, text) in files {
        let key = Path::new(&name)
            .strip_prefix(&dir)
            .ok()
            .and_then(|rel| bsrmp::plan::kinds::by_file(&rel.to_string_lossy()))
            .map(|k| k.key);
        let large = bsrmp::plan::split::worth_cutting(text.len(), yaml, threads);
        match key.filter(|_| large) {
            Some(key) => match bsrmp::plan::split::pieces(&text, key, 2 * threads) {
                Some(pieces) => cut.extend(pieces.into_iter().map(|p| (name.clone(), p))),
                None => cut.push((name, text)),
            },
            None => cut.push((name, text)),
        }
    }
    let mut files = cut;
    files.sort_by_key(|(_, t)| std::cmp::Reverse(t.len()));
    let next = AtomicUsize::new(0);
    let nodes = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                while let Some((name, text)) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    nodes.fetch_add(parse(name, text), Ordering::Relaxed);
                }
            });
        }
    });
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    println!(
        "{count} files ({} pieces), {bytes} bytes, {} nodes, {threads} threads",
        files.len(),
        nodes.into_inner()
    );
}

fn parse(name: &str, text: &str) -> usize {
    if name.ends_with(".toml") {
        let v: toml::Value = toml::from_str(text).unwrap_or(toml::Value::Boolean(false));
        usize::from(v.is_table())
    } else if name.ends_with(".md") {
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, text, &comrak::Options::default());
        root.descendants().count()
    } else {
        let v: serde_json::Value =
            serde_saphyr::from_str_with_options(text, options()).unwrap_or_default();
        count(&v)
    }
}

fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 20_000_000;
    budget.max_nodes = 10_000_000;
    budget.max_total_scalar_bytes = 256 * 1024 * 1024;
    budget.max_depth = 32;
    serde_saphyr::options! { budget: Some(budget), strict_booleans: true }
}

fn count(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(a) => 1 + a.iter().map(count).sum::<usize>(),
        serde_json::Value::Object(o) => 1 + o.values().map(count).sum::<usize>(),
        _ => 1,
    }
}
