//! The corpus of broken and hostile plans (tests/corpus/*.toml). Each case
//! builds a plan, breaks it one way, runs the real binary and compares the
//! outcome with what the case expects. Every case is its own test, so
//! `cargo test --test corpus -- <name>` runs one.
//!
//! The case format is described in tests/corpus/README.md. Set
//! `BSRMP_CORPUS_KEEP=1` to keep each case's folder for a look.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;

use common::TODAY;

/// A fixed time for every commit a case makes: 2026-01-01T09:00:00Z.
const GIT_DATE: &str = "1767258000 +0000";
/// The pack's generation time, so render output does not depend on the clock.
const EPOCH: &str = "1795428000";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    about: String,
    #[serde(default = "fixture")]
    base: String,
    #[serde(default)]
    git: GitState,
    /// Arguments after `bsrmp`; `{plan}`, `{out}`, `{other}` and `{today}` are
    /// replaced. Default: `check {plan} --today {today}`.
    #[serde(default)]
    command: Vec<String>,
    /// A cap on the address space of the process, in MB.
    #[serde(default = "memory")]
    memory_mb: u64,
    #[serde(default)]
    files: Vec<FileEdit>,
    /// A second plan, for fork-joint cases: edits to a copy of the fixture.
    #[serde(default)]
    other: Vec<FileEdit>,
    expect: Expect,
}

fn fixture() -> String {
    "fixture".into()
}
fn memory() -> u64 {
    2048
}

#[derive(Deserialize, Default, Clone, Copy, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum GitState {
    /// No repository at all.
    #[default]
    None,
    /// A repository with no commit.
    Empty,
    /// The base committed before the edits; the edits are committed after.
    Committed,
    /// As committed, then HEAD detached.
    Detached,
    /// A clone of depth 1 of a two-commit history.
    Shallow,
    /// As committed, with the first commit's root tree deleted from the
    /// object store.
    MissingObject,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEdit {
    path: String,
    #[serde(default)]
    text: Option<String>,
    /// Bytes, as hex pairs (spaces allowed).
    #[serde(default)]
    hex: Option<String>,
    #[serde(default)]
    repeat: Option<Repeat>,
    /// Make a symbolic link to this target.
    #[serde(default)]
    symlink: Option<String>,
    #[serde(default)]
    dir: bool,
    #[serde(default)]
    remove: bool,
    /// Replace this text of the existing file (with `with`).
    #[serde(default)]
    replace: Option<String>,
    #[serde(default)]
    with: Option<String>,
    /// Add this text to the end of the existing file.
    #[serde(default)]
    append: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Repeat {
    #[serde(default)]
    head: String,
    body: String,
    times: usize,
    #[serde(default)]
    tail: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Expect {
    exit: i32,
    /// Finding codes that must be reported (check only, from the JSON report).
    #[serde(default)]
    codes: Vec<String>,
    /// Finding codes that must not be reported.
    #[serde(default)]
    no_codes: Vec<String>,
    /// `file:line` places the human report must name.
    #[serde(default)]
    at: Vec<String>,
    /// Text the output (stdout and stderr) must contain.
    #[serde(default)]
    says: Vec<String>,
    /// Text the output must not contain.
    #[serde(default)]
    not_says: Vec<String>,
    /// Text some file written under {out} must contain.
    #[serde(default)]
    out_has: Vec<String>,
    /// Text no file written under {out} may contain, but for CSV files:
    /// they hold the plan's text as data, which a spreadsheet shows as text,
    /// and are guarded against formulas instead (`out_has` can look there).
    #[serde(default)]
    out_lacks: Vec<String>,
    /// Whether {out} exists afterwards.
    #[serde(default)]
    out_exists: Option<bool>,
}

fn main() {
    let args = Arguments::from_args();
    let dir = corpus_dir();
    let mut trials = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 140,
        "the corpus has only {} cases",
        names.len()
    );
    for path in names {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        trials.push(Trial::test(name, move || run_case(&path)));
    }
    trials.push(Trial::test("active-html-scanner", scanner_self_test));
    libtest_mimic::run(&args, trials).exit();
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("BSRMP_CORPUS") {
        Some(d) => d.into(),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus"),
    }
}

/// The binary under test; `BSRMP_BIN` overrides it, so the corpus can be run
/// against a copied build.
fn binary() -> PathBuf {
    match std::env::var_os("BSRMP_BIN") {
        Some(b) => b.into(),
        None => env!("CARGO_BIN_EXE_bsrmp").into(),
    }
}

fn run_case(path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let case: Case = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let _ = &case.about;
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let plan = work.path().join("plan");
    let out = work.path().join("out");
    let other = work.path().join("other");

    build_base(&case.base, &plan)?;
    let committed_base = matches!(
        case.git,
        GitState::Committed | GitState::Detached | GitState::MissingObject | GitState::Shallow
    );
    if case.git == GitState::Empty {
        git(&plan, &["init", "-q"])?;
    }
    if committed_base {
        git(&plan, &["init", "-q"])?;
        commit(&plan, "Start the plan")?;
    }
    for edit in &case.files {
        apply(&plan, edit)?;
    }
    match case.git {
        GitState::None | GitState::Empty => {}
        GitState::Committed | GitState::Detached | GitState::MissingObject => {
            if !case.files.is_empty() {
                commit(&plan, "Break the plan")?;
            }
            if case.git == GitState::Detached {
                git(&plan, &["checkout", "-q", "--detach", "HEAD"])?;
            }
            if case.git == GitState::MissingObject {
                let first = git_out(&plan, &["rev-list", "--max-parents=0", "HEAD"])?;
                let tree = git_out(&plan, &["rev-parse", &format!("{}^{{tree}}", first.trim())])?;
                let tree = tree.trim();
                let obj = plan.join(".git/objects").join(&tree[..2]).join(&tree[2..]);
                std::fs::remove_file(&obj).map_err(|e| format!("{}: {e}", obj.display()))?;
            }
        }
        GitState::Shallow => {
            commit(&plan, "Break the plan")?;
            let clone = work.path().join("clone");
            let url = format!("file://{}", plan.display());
            git(
                work.path(),
                &["clone", "-q", "--depth", "1", &url, clone.to_str().unwrap()],
            )?;
            std::fs::remove_dir_all(&plan).map_err(|e| e.to_string())?;
            std::fs::rename(&clone, &plan).map_err(|e| e.to_string())?;
        }
    }
    if !case.other.is_empty() {
        build_base("fixture", &other)?;
        for edit in &case.other {
            apply(&other, edit)?;
        }
        git(&other, &["init", "-q"])?;
        commit(&other, "Start the other plan")?;
    }

    let args: Vec<String> = if case.command.is_empty() {
        vec![
            "check".into(),
            "{plan}".into(),
            "--today".into(),
            "{today}".into(),
        ]
    } else {
        case.command.clone()
    };
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            a.replace("{plan}", plan.to_str().unwrap())
                .replace("{out}", out.to_str().unwrap())
                .replace("{other}", other.to_str().unwrap())
                .replace("{today}", TODAY)
        })
        .collect();

    let (code, output) = run(&args, case.memory_mb, work.path())?;
    let mut problems = Vec::new();
    if code != case.expect.exit {
        problems.push(format!("exit {code}, expected {}", case.expect.exit));
    }
    if code != 0 && code != 1 && code != 2 {
        problems.push(format!("exit {code} is not one of 0, 1, 2"));
    }
    if output.contains("panicked") || output.contains("RUST_BACKTRACE") {
        problems.push("the program panicked".into());
    }
    if code == 2 && output.trim().is_empty() {
        problems.push("exit 2 with no message".into());
    }
    let shown = output.replace(&format!("{}/", plan.display()), "");
    for place in &case.expect.at {
        if !shown.contains(place.as_str()) {
            problems.push(format!("the output does not name {place}"));
        }
    }
    for s in &case.expect.says {
        if !shown.contains(s.as_str()) {
            problems.push(format!("the output does not say {s:?}"));
        }
    }
    for s in &case.expect.not_says {
        if shown.contains(s.as_str()) {
            problems.push(format!("the output says {s:?}"));
        }
    }

    if !case.expect.codes.is_empty() || !case.expect.no_codes.is_empty() {
        let mut json_args = args.clone();
        json_args.extend(["--format".into(), "json".into()]);
        let (jcode, json) = run(&json_args, case.memory_mb, work.path())?;
        if jcode != code {
            problems.push(format!("exit {jcode} with --format json, {code} without"));
        }
        let codes = codes_in(&json).map_err(|e| format!("{e}\n{json}"))?;
        for c in &case.expect.codes {
            if !codes.contains(c) {
                problems.push(format!("no `{c}` finding (found: {codes:?})"));
            }
        }
        for c in &case.expect.no_codes {
            if codes.contains(c) {
                problems.push(format!("a `{c}` finding was reported"));
            }
        }
    }

    let written = files_under(&out);
    if let Some(exists) = case.expect.out_exists
        && out.exists() != exists
    {
        problems.push(format!(
            "{{out}} exists: {}, expected {exists}",
            out.exists()
        ));
    }
    for s in &case.expect.out_has {
        if !written.values().any(|t| t.contains(s.as_str())) {
            problems.push(format!("no written file contains {s:?}"));
        }
    }
    for s in &case.expect.out_lacks {
        for (name, t) in &written {
            if !name.ends_with(".csv") && t.contains(s.as_str()) {
                problems.push(format!("{name} contains {s:?}"));
            }
        }
    }

    if std::env::var_os("BSRMP_CORPUS_KEEP").is_some() {
        eprintln!("kept {}", work.keep().display());
    }
    // Nothing bsrmp writes is a link: a link in a pack or a joint plan could
    // point anywhere on the machine of whoever opens it.
    if out.exists() {
        for e in walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
        {
            if e.path_is_symlink() {
                problems.push(format!("{} is a symbolic link", e.path().display()));
            }
        }
    }
    for (name, html) in written.iter().filter(|(n, _)| n.ends_with(".html")) {
        problems.extend(
            active_html(html)
                .into_iter()
                .map(|p| format!("{name}: {p}")),
        );
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let tail: String = output.chars().take(4000).collect();
        Err(format!(
            "{}\n  - {}\n--- output ---\n{tail}",
            path.display(),
            problems.join("\n  - ")
        )
        .into())
    }
}

fn build_base(base: &str, dir: &Path) -> Result<(), Failed> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    match base {
        "fixture" => {
            let f = common::plan();
            common::copy_dir(f.path(), dir);
        }
        "empty" => {}
        b if b.starts_with("example:") => {
            let src = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples")
                .join(&b["example:".len()..]);
            common::copy_dir(&src, dir);
        }
        other => return Err(format!("unknown base {other:?}").into()),
    }
    Ok(())
}

fn apply(root: &Path, edit: &FileEdit) -> Result<(), Failed> {
    let p = root.join(&edit.path);
    let err = |e: std::io::Error| -> Failed { format!("{}: {e}", p.display()).into() };
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).map_err(err)?;
    }
    if edit.remove {
        if p.is_dir() {
            std::fs::remove_dir_all(&p).map_err(err)?;
        } else {
            std::fs::remove_file(&p).map_err(err)?;
        }
    } else if edit.dir {
        std::fs::create_dir_all(&p).map_err(err)?;
    } else if let Some(target) = &edit.symlink {
        std::os::unix::fs::symlink(target, &p).map_err(err)?;
    } else if let Some(text) = &edit.text {
        std::fs::write(&p, text).map_err(err)?;
    } else if let Some(hex) = &edit.hex {
        std::fs::write(&p, unhex(hex)?).map_err(err)?;
    } else if let Some(r) = &edit.repeat {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&p).map_err(err)?);
        f.write_all(r.head.as_bytes()).map_err(err)?;
        for _ in 0..r.times {
            f.write_all(r.body.as_bytes()).map_err(err)?;
        }
        f.write_all(r.tail.as_bytes()).map_err(err)?;
        f.flush().map_err(err)?;
    } else if let Some(from) = &edit.replace {
        let old = std::fs::read_to_string(&p).map_err(err)?;
        if !old.contains(from.as_str()) {
            return Err(format!("{} does not contain {from:?}", edit.path).into());
        }
        let to = edit.with.as_deref().unwrap_or("");
        std::fs::write(&p, old.replacen(from.as_str(), to, 1)).map_err(err)?;
    } else if let Some(more) = &edit.append {
        let old = std::fs::read_to_string(&p).map_err(err)?;
        std::fs::write(&p, format!("{old}{more}")).map_err(err)?;
    } else {
        return Err(format!("edit of {} says nothing to do", edit.path).into());
    }
    Ok(())
}

fn unhex(hex: &str) -> Result<Vec<u8>, Failed> {
    let digits: Vec<u8> = hex.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    digits
        .chunks(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|s| u8::from_str_radix(s, 16).ok())
                .ok_or_else(|| Failed::from(format!("bad hex {:?}", String::from_utf8_lossy(pair))))
        })
        .collect()
}

fn git_cmd(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Sam Okafor")
        .env("GIT_AUTHOR_EMAIL", "sam@example.com")
        .env("GIT_COMMITTER_NAME", "Sam Okafor")
        .env("GIT_COMMITTER_EMAIL", "sam@example.com")
        .env("GIT_AUTHOR_DATE", GIT_DATE)
        .env("GIT_COMMITTER_DATE", GIT_DATE)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_ALLOW_PROTOCOL", "file");
    cmd
}

fn git(dir: &Path, args: &[&str]) -> Result<(), Failed> {
    git_out(dir, args).map(|_| ())
}

fn git_out(dir: &Path, args: &[&str]) -> Result<String, Failed> {
    let out = git_cmd(dir, args)
        .output()
        .map_err(|e| format!("git {args:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn commit(dir: &Path, message: &str) -> Result<(), Failed> {
    git(dir, &["add", "-A"])?;
    git(
        dir,
        &[
            "commit",
            "-q",
            "--allow-empty",
            "--no-verify",
            "-m",
            message,
        ],
    )
}

/// Runs the binary with a capped address space and a hang guard, and returns
/// its exit code (or -1 when killed) and everything it printed.
fn run(args: &[String], memory_mb: u64, cwd: &Path) -> Result<(i32, String), Failed> {
    let script = format!(
        "ulimit -v {}; exec timeout -s KILL 300 \"$0\" \"$@\"",
        memory_mb * 1024
    );
    let out = Command::new("sh")
        .current_dir(cwd)
        .arg("-c")
        .arg(script)
        .arg(binary())
        .args(args)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Sam Okafor")
        .env("GIT_AUTHOR_EMAIL", "sam@example.com")
        .env("GIT_COMMITTER_NAME", "Sam Okafor")
        .env("GIT_COMMITTER_EMAIL", "sam@example.com")
        .env("GIT_COMMITTER_DATE", GIT_DATE)
        .output()
        .map_err(|e| format!("cannot run bsrmp: {e}"))?;
    let code = out.status.code().unwrap_or(-1);
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    Ok((code, text))
}

fn codes_in(json: &str) -> Result<Vec<String>, String> {
    // The JSON report is on stdout; stderr may follow it in `json`.
    let start = json.find('{').ok_or("no JSON report")?;
    let mut de = serde_json::Deserializer::from_str(&json[start..]);
    let v = serde_json::Value::deserialize(&mut de).map_err(|e| format!("not JSON: {e}"))?;
    Ok(v["findings"]
        .as_array()
        .ok_or("no findings array")?
        .iter()
        .filter_map(|f| f["code"].as_str().map(str::to_string))
        .collect())
}

/// The text of every file under `dir` (lossy, for searching).
fn files_under(dir: &Path) -> BTreeMap<String, String> {
    if !dir.exists() {
        return BTreeMap::new();
    }
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().display().to_string(),
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap_or_default()).into_owned(),
            )
        })
        .collect()
}

/// Markup in a written page that could run code or fetch from elsewhere: a
/// script-capable element, an event-handler attribute, a `javascript:` URL, or
/// anything the browser would load from outside the pack (a link the reader
/// chooses to follow is fine). The pack's own templates use none of
/// these, so any one of them came from plan text that escaped escaping.
fn active_html(html: &str) -> Vec<String> {
    const ELEMENTS: [&str; 8] = [
        "script",
        "iframe",
        "object",
        "embed",
        "form",
        "base",
        "frame",
        "foreignobject",
    ];
    let mut problems = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        // A tag runs to the first `>` outside quotes.
        let mut end = start + 1;
        let mut quote = None;
        while end < bytes.len() {
            match (quote, bytes[end]) {
                (None, b'"' | b'\'') => quote = Some(bytes[end]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            end += 1;
        }
        let tag = &html[start + 1..end.min(html.len())];
        i = (end + 1).min(html.len());
        if tag.starts_with('!') || tag.starts_with('/') || tag.starts_with('?') {
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if ELEMENTS.contains(&name.as_str()) {
            problems.push(format!("a <{name}> element"));
        }
        for (attr, value) in attributes(&tag[name.len()..]) {
            let value = value.trim().to_ascii_lowercase();
            if attr.starts_with("on") {
                problems.push(format!("an event handler `{attr}` on <{name}>"));
            }
            let runs = ["javascript:", "vbscript:", "data:text", "data:application"]
                .iter()
                .any(|p| value.starts_with(p));
            let fetched = matches!(
                attr.as_str(),
                "src" | "srcset" | "action" | "formaction" | "xlink:href" | "poster" | "background"
            ) || (name == "link" && attr == "href");
            if runs
                && matches!(
                    attr.as_str(),
                    "href" | "src" | "action" | "formaction" | "xlink:href"
                )
            {
                problems.push(format!("<{name} {attr}=\"{value}\"> runs code"));
            }
            if fetched && (value.contains("://") || value.starts_with("//")) {
                problems.push(format!(
                    "<{name} {attr}=\"{value}\"> fetches from outside the pack"
                ));
            }
        }
    }
    problems
}

/// The scanner used on every written page must itself find what it looks for.
fn scanner_self_test() -> Result<(), Failed> {
    let bad = [
        "<p>x</p><script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a title='a > b' href=\"javascript:alert(1)\">x</a>",
        "<IMG SRC=\"https://evil.example/t.png\">",
        "<link rel=stylesheet href=//evil.example/x.css>",
        "<svg><foreignObject></foreignObject></svg>",
        "<div ONCLICK = 'x()'>",
    ];
    for html in bad {
        if active_html(html).is_empty() {
            return Err(format!("the scanner missed {html:?}").into());
        }
    }
    let good = "<a href=\"https://partner.example/\">site</a><a href=\"index.html#s-1\" class=\"x\">&lt;script&gt;</a><img src=\"data:image/png;base64,AA\" alt=\"on\">";
    match active_html(good).as_slice() {
        [] => Ok(()),
        found => Err(format!("the scanner flagged safe markup: {found:?}").into()),
    }
}

/// The attributes of a tag's inside, lower-cased names with their values.
fn attributes(mut s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if s.is_empty() {
            return out;
        }
        let name_end = s
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(s.len());
        let name = s[..name_end].to_ascii_lowercase();
        s = s[name_end..].trim_start();
        let mut value = String::new();
        if let Some(rest) = s.strip_prefix('=') {
            let rest = rest.trim_start();
            let (v, after) = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &rest[1..];
                    let close = body.find(q).unwrap_or(body.len());
                    (&body[..close], &body[(close + 1).min(body.len())..])
                }
                _ => {
                    let close = rest.find(char::is_whitespace).unwrap_or(rest.len());
                    (&rest[..close], &rest[close..])
                }
            };
            value = v.to_string();
            s = after;
        }
        out.push((name, value));
    }
}
