//! The house rules that code review alone lets slip: no function in src/
//! longer than 120 lines (docs/architecture.md), and git2 reached only
//! through the repository wrapper (history) and the history copier of
//! fork-joint.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn all_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// A function starts at a line whose first word after its visibility is
/// `fn`, and ends at the first line holding only `}` at its indentation
/// (rustfmt's layout).
fn long_functions(text: &str, limit: usize) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let rest = ["pub(crate) ", "pub(super) ", "pub "]
            .iter()
            .find_map(|v| trimmed.strip_prefix(v))
            .unwrap_or(trimmed);
        let rest = rest.strip_prefix("const ").unwrap_or(rest);
        let Some(name) = rest.strip_prefix("fn ") else {
            continue;
        };
        let name: String = name
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{indent}}}");
        if let Some(end) = lines[i + 1..].iter().position(|l| *l == close) {
            let n = end + 2;
            if n > limit {
                out.push((i + 1, name, n));
            }
        }
    }
    out
}

#[test]
fn no_function_is_longer_than_120_lines() {
    let mut long = Vec::new();
    for (file, text) in all_sources() {
        for (line, name, n) in long_functions(&text, 120) {
            long.push(format!("{file}:{line} {name}: {n} lines"));
        }
    }
    assert!(long.is_empty(), "split these:\n{}", long.join("\n"));
}

#[test]
fn the_length_rule_sees_a_long_function() {
    let body = "    let x = 1;\n".repeat(130);
    let text = format!("pub fn big() {{\n{body}}}\n\nfn small() {{}}\n");
    assert_eq!(
        long_functions(&text, 120),
        vec![(1, "big".to_string(), 132)]
    );
}

#[test]
fn git2_only_behind_the_wrapper() {
    let allowed = |f: &str| {
        f.starts_with("src/history/")
            || ["commit", "pack", "reuse", "transplant"]
                .iter()
                .any(|m| f == format!("src/joint/{m}.rs"))
            // The error type keeps git's errors; main shows their text.
            || f == "src/error.rs"
            || f == "src/main.rs"
    };
    let strays: Vec<String> = all_sources()
        .into_iter()
        .filter(|(f, text)| !allowed(f) && text.contains("git2::"))
        .map(|(f, _)| f)
        .collect();
    assert!(strays.is_empty(), "git2 outside the wrapper: {strays:?}");
}
