//! The floor that `bsrmp check` is measured against (bench/run.sh): read and
//! parse every YAML, TOML and Markdown file of a plan, and nothing else. YAML
//! goes through the same parser with the same limits into a generic value;
//! Markdown through the same parser, into its syntax tree.
//!
//! cargo run --release --example parse-floor -- PLAN

use std::path::Path;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: parse-floor PLAN");
        std::process::exit(2);
    };
    let dir = Path::new(&dir);
    let (mut files, mut bytes, mut nodes) = (0usize, 0usize, 0usize);
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
        .filter_map(Result::ok)
    {
        if !e.file_type().is_file() {
            continue;
        }
        let path = e.path();
        let name = path.to_string_lossy();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(_) => continue,
        };
        if name.ends_with(".yaml") || name.ends_with(".yml") {
            let v: serde_json::Value =
                serde_saphyr::from_str_with_options(&text, options()).unwrap_or_default();
            nodes += count(&v);
        } else if name.ends_with(".toml") {
            let v: toml::Value = toml::from_str(&text).unwrap_or(toml::Value::Boolean(false));
            nodes += usize::from(v.is_table());
        } else if name.ends_with(".md") {
            let arena = comrak::Arena::new();
            let root = comrak::parse_document(&arena, &text, &comrak::Options::default());
            nodes += root.descendants().count();
        } else {
            continue;
        }
        files += 1;
        bytes += text.len();
    }
    println!("{files} files, {bytes} bytes, {nodes} nodes");
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
