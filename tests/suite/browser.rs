//! The HTML pack in a real browser: headless Chromium opens every page from
//! `file://`, with no network. No page may log to the console, every internal
//! link of the live DOM must resolve, and a screenshot must not be blank.
//!
//! Chromium is found at `$BSRMP_CHROMIUM`, or as `chromium` on the PATH.
//! Without it the test says so and passes, unless `BSRMP_REQUIRE_BROWSER=1`
//! (set by `.ci/run`, which installs Chromium), where its absence fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{TODAY, bsrmp, commit_all, copy_dir};

fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("BSRMP_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// Runs headless Chromium on one page with a fresh profile; returns (stdout, stderr).
fn run(browser: &Path, profile: &Path, args: &[&str], url: &str) -> (String, String) {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ids(dom: &str) -> Vec<String> {
    dom.split(" id=\"")
        .skip(1)
        .map(|p| p[..p.find('"').unwrap_or(0)].to_string())
        .collect()
}

#[test]
fn the_pack_works_in_a_real_browser() {
    let Some(browser) = chromium() else {
        if std::env::var("BSRMP_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("Chromium is required (BSRMP_REQUIRE_BROWSER=1) but was not found");
        }
        eprintln!("SKIPPED: Chromium not found; install the `chromium` package to run this test");
        return;
    };
    let repo = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/northwind-project"),
        repo.path(),
    );
    git2::Repository::init(repo.path()).unwrap();
    commit_all(repo.path(), "Import the plan", 0);
    let out = tempfile::tempdir().unwrap();
    let pack = out.path().join("pack");
    bsrmp()
        .env("SOURCE_DATE_EPOCH", "1795428000")
        .arg("render")
        .arg(repo.path())
        .arg("--out")
        .arg(&pack)
        .args(["--format", "html", "--today", TODAY])
        .assert()
        .success();
    let profile = tempfile::tempdir().unwrap();

    // Each page as the browser builds it: no console message, and its ids.
    let mut pages: Vec<String> = std::fs::read_dir(&pack)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".html"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 10, "{pages:?}");
    let mut doms: BTreeMap<String, String> = BTreeMap::new();
    for page in &pages {
        let url = format!("file://{}", pack.join(page).display());
        let (dom, log) = run(&browser, profile.path(), &["--dump-dom"], &url);
        let console: Vec<&str> = log
            .lines()
            .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
            .collect();
        assert!(
            console.is_empty(),
            "{page} logged to the console: {console:#?}"
        );
        assert!(dom.contains("</main>"), "{page}: the browser built no page");
        doms.insert(page.clone(), dom);
    }

    // Every link of the live DOM resolves inside the pack.
    let mut links = 0;
    for (page, dom) in &doms {
        for part in dom.split(" href=\"").skip(1) {
            let target = &part[..part.find('"').unwrap()];
            assert!(
                !target.contains("://"),
                "{page} links outside the pack: {target}"
            );
            let (file, anchor) = match target.split_once('#') {
                Some((f, a)) => (if f.is_empty() { page.as_str() } else { f }, Some(a)),
                None => (target, None),
            };
            assert!(pack.join(file).is_file(), "{page}: broken link {target}");
            if let (Some(a), Some(dom)) = (anchor, doms.get(file)) {
                assert!(ids(dom).iter().any(|i| i == a), "{page}: no #{a} in {file}");
            }
            links += 1;
        }
    }
    assert!(links > 200, "only {links} links followed");

    // A screenshot of the overview is not blank.
    let shot = out.path().join("index.png");
    let url = format!("file://{}", pack.join("index.html").display());
    run(
        &browser,
        profile.path(),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,1600",
        ],
        &url,
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let (mut ink, mut colours) = (0usize, std::collections::HashSet::new());
    for p in pixels.chunks(px) {
        if p[..3].iter().any(|&c| c < 200) {
            ink += 1;
        }
        colours.insert((p[0] / 16, p[1] / 16, p[2] / 16));
    }
    let total = pixels.len() / px;
    assert!(
        ink * 100 > total,
        "the screenshot is nearly blank: {ink} of {total} pixels have ink"
    );
    assert!(
        colours.len() > 8,
        "the screenshot has only {} colours",
        colours.len()
    );
}
