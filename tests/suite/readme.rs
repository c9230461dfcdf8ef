//! The README's commands, run in order as a reader would, on a fresh clone of
//! this repository, so that the README cannot drift from what bsrmp does.
//! `cargo` lines run the binary under test instead; lines that open a viewer
//! (`xdg-open`, `less`) and the CI illustration (a `plan/` that does not
//! exist) are left out. The one step the README gives in words (settling a
//! joint decision) is done here as it describes.

use std::path::Path;
use std::process::Command;

/// The shell blocks of the README, each as its command lines.
fn blocks(readme: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in readme.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```sh") => current = Some(Vec::new()),
            (Some(_), l) if l.starts_with("```") => out.extend(current.take()),
            (Some(b), l) if !l.is_empty() => b.push(l.to_string()),
            _ => {}
        }
    }
    out
}

/// The line as this test runs it, or `None` when it is left out.
fn runnable(line: &str) -> Option<String> {
    let skip = ["cargo test", "xdg-open ", "less "];
    if skip.iter().any(|s| line.starts_with(s)) || line.contains(" plan/ ") {
        return None;
    }
    Some(line.replacen("cargo run -- ", "bsrmp ", 1))
}

/// Settles JD-11 in the joint plan as the README tells the reader to.
fn settle_jd11(root: &Path) {
    let path = root.join("target/joint/registers/joint-decisions.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.find("- id: JD-11").expect("the README's JD-11 exists");
    let open = at + text[at..].find("  status: open").unwrap();
    let settled = "  status: settled\n  resolution: One joint risk for the WMS interfaces, owned by Northwind's IT lead.\n  settled_by: eharcourt\n  settled: 2026-11-23";
    let text = format!(
        "{}{settled}{}",
        &text[..open],
        &text[open + "  status: open".len()..]
    );
    std::fs::write(&path, text).unwrap();
}

#[test]
fn the_readme_walks_through_as_written() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"));
    if git2::Repository::open(source).is_err() {
        eprintln!("SKIPPED: the source tree is not a git repository");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("bsrmp");
    let cloned = Command::new("git")
        .args(["clone", "-q"])
        .arg(source)
        .arg(&root)
        .status()
        .unwrap();
    assert!(cloned.success());
    // The binary under test as `bsrmp`, a git identity, no user settings.
    let bin = work.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_bsrmp"), bin.join("bsrmp")).unwrap();
    let home = work.path().join("home");
    std::fs::create_dir(&home).unwrap();
    std::fs::write(
        home.join(".gitconfig"),
        "[user]\n\tname = Dana Whitfield\n\temail = dana@example.com\n",
    )
    .unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    let readme = std::fs::read_to_string(source.join("README.md")).unwrap();
    let mut ran: Vec<(String, i32, String)> = Vec::new();
    for block in blocks(&readme) {
        let lines: Vec<String> = block.iter().filter_map(|l| runnable(l)).collect();
        if lines.is_empty() {
            continue;
        }
        if lines[0].starts_with("git -C target/joint commit") {
            settle_jd11(&root);
        }
        // One shell per block, so that a `cd` holds for the lines after it;
        // each line's exit status is reported after its output.
        let mut script = String::new();
        for (i, l) in lines.iter().enumerate() {
            script.push_str(&format!("{l}\necho \"@@ {i} $?\"\n"));
        }
        let out = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(&root)
            .env("PATH", &path)
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", &home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            // Commits and approvals on a fixed day, the examples' own.
            .env("GIT_AUTHOR_DATE", "2026-11-23T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-11-23T12:00:00Z")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        let mut said = String::new();
        for line in text.lines() {
            match line.strip_prefix("@@ ").and_then(|r| r.split_once(' ')) {
                Some((i, code)) => {
                    let i: usize = i.parse().unwrap();
                    ran.push((lines[i].clone(), code.parse().unwrap(), said.clone()));
                    said.clear();
                }
                None => {
                    said.push_str(line);
                    said.push('\n');
                }
            }
        }
    }
    let find = |start: &str| -> &(String, i32, String) {
        ran.iter()
            .find(|(l, ..)| l.starts_with(start))
            .unwrap_or_else(|| panic!("the README no longer runs `{start}`"))
    };
    for (line, code, said) in &ran {
        assert!(
            *code == 0 || *code == 1,
            "`{line}` ended with {code}:\n{said}"
        );
    }
    // What the README says each step shows.
    assert_eq!(find("bsrmp check examples/northwind-project").1, 0);
    assert_eq!(find("bsrmp render examples/northwind-project").1, 0);
    assert!(root.join("target/northwind-pack/index.html").is_file());
    let fresh = find("bsrmp check acme");
    assert_eq!(fresh.1, 1, "a new plan is missing every due clause");
    assert!(fresh.2.contains("missing"));
    assert!(find("bsrmp explain 3.2").2.contains("3.2 Policy"));
    assert_eq!(find("bsrmp init depot").1, 0);
    let edited = ran
        .iter()
        .find(|(l, ..)| l.split('#').next().unwrap().trim() == "bsrmp check")
        .expect("the README checks the edited copy");
    assert!(edited.2.contains("changed-since-approval"), "{}", edited.2);
    assert!(find("bsrmp fork-joint").2.contains("23 joint decision(s)"));
    let open = |said: &str| said.matches("joint-decision-open").count();
    let before = open(&find("bsrmp check target/joint").2);
    let after = ran
        .iter()
        .filter(|(l, ..)| l.starts_with("bsrmp check target/joint"))
        .nth(1)
        .map(|r| open(&r.2))
        .expect("the README checks the joint plan again");
    assert!(
        after < before,
        "settling JD-11: {before} open, then {after}"
    );
    let stamp = std::fs::read_to_string(root.join("target/joint-pack/index.html")).unwrap();
    assert!(!stamp.contains("uncommitted changes"));
}

#[test]
fn the_readme_counts_the_corpus_as_it_is() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = std::fs::read_dir(source.join("tests/corpus"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "toml")
        })
        .count();
    let readme = std::fs::read_to_string(source.join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("a corpus of {cases} broken and hostile")),
        "the README does not say the corpus has {cases} cases"
    );
}
