//! What one fuzz input goes through: a plan held in memory is loaded, checked,
//! reported in every format and, for the `pack` target, rendered to HTML and
//! Markdown, the way the binary would. Any panic is a bug. Shared by the cargo-fuzz targets
//! (fuzz/fuzz_targets) and by the property tests (tests/suite/properties.rs).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use bsrmp::Error;
use bsrmp::check::{self, report};
use bsrmp::checklist::Checklist;
use bsrmp::plan::date::Date;
use bsrmp::plan::source::MemSource;
use bsrmp::plan::{self, KINDS, STAGES};
use bsrmp::render;

pub type Files = BTreeMap<String, Vec<u8>>;

/// What became of a plan.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It loaded and was checked; `true` when the check passed.
    Checked { passed: bool, findings: usize },
    /// It could not be read; the findings say why.
    Unreadable { findings: usize },
}

/// Every file of a plan folder, by relative path.
pub fn read_plan(dir: &Path) -> Files {
    let mut files = Files::new();
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    files
}

/// The plan files an input can replace: the manifest, every record file and
/// every stage narrative.
pub fn targets() -> Vec<String> {
    let mut t = vec!["rmp.toml".to_string()];
    t.extend(KINDS.iter().map(|k| k.file.to_string()));
    t.extend(STAGES.iter().map(|s| format!("{}/README.md", s.folder)));
    t
}

/// An input is `path NUL content`, where path names one of [`targets`] (the
/// seeds are written so), or else any bytes, whose first byte picks the
/// file. The content replaces that file of `base`'s plan.
pub fn plan_input(base: &Files, data: &[u8], render: bool) {
    let targets = targets();
    let named = data.iter().position(|&b| b == 0).and_then(|nul| {
        let name = std::str::from_utf8(&data[..nul]).ok()?;
        targets
            .iter()
            .any(|t| t == name)
            .then(|| (name.to_string(), &data[nul + 1..]))
    });
    let (name, content) = match named {
        Some(found) => found,
        None => {
            let Some((&pick, content)) = data.split_first() else {
                return;
            };
            (targets[usize::from(pick) % targets.len()].clone(), content)
        }
    };
    let mut files = base.clone();
    files.insert(name, content.to_vec());
    assess(files, render);
}

/// Loads, checks, reports and (with `render`) renders a plan held in memory,
/// and checks the promises that hold whatever the input: a plan that cannot
/// be read says so with at least one finding, each naming its file.
pub fn assess(files: Files, render: bool) -> Outcome {
    let checklist = Checklist::builtin();
    let source = MemSource::new("plan", files);
    let style = report::human::Options {
        color: false,
        width: 100,
        all: false,
        references: Default::default(),
    };
    match plan::load(&source, &|c| checklist.stage_of(c)) {
        Err(Error::InvalidPlan { findings, texts }) => {
            assert!(!findings.is_empty(), "an unreadable plan with no finding");
            for f in &findings {
                let loc = f.location.as_ref().expect("a load finding names its file");
                assert!(!loc.file.is_empty());
                assert!(!f.message.trim().is_empty());
            }
            let _ = report::human::render_load_errors(&findings, &texts, &style);
            let _ = report::json::render_load_errors("plan", &findings);
            Outcome::Unreadable {
                findings: findings.len(),
            }
        }
        Err(other) => panic!("an operational error from memory: {other}"),
        Ok(plan) => {
            let opts = check::Options {
                today: Date::ymd(2026, 11, 23),
                stage: None,
            };
            let a = check::evaluate(&plan, &source, checklist, &opts, None);
            let _ = report::human::render(&a, &plan.texts, &style, false);
            let json = report::json::render(&a, false);
            serde_json::from_str::<serde_json::Value>(&json).expect("the JSON report parses");
            let _ = report::sarif::render(&a, &report::sarif::Base::Relative("plan".into()));
            let _ = report::junit::render(&a, false);
            let _ = report::github::render(&a, "plan", false);
            let due = bsrmp::due::all(&plan);
            let _ = report::progress::render(&a, &due, &style);
            let _ = bsrmp::due::ical("plan", &due, Date::ymd(2026, 11, 23));
            if render {
                rendered(&plan, &source, &a, checklist);
            }
            Outcome::Checked {
                passed: !a.fails(false),
                findings: a.findings.len(),
            }
        }
    }
}

fn rendered(plan: &plan::Plan, source: &MemSource, a: &check::Assessment, checklist: &Checklist) {
    let read = |p: &str| render::read_text(source, p);
    let pack = render::model::build(&render::model::Inputs {
        plan,
        assessment: a,
        history: None,
        checklist,
        blob_of: &|_| None,
        read: &read,
        provenance: render::Provenance {
            commit: None,
            short: None,
            dirty: false,
            rev: None,
            version: "fuzz".into(),
            checklist_version: checklist.version.clone(),
            generated: "2026-11-23T10:00:00Z".into(),
        },
    });
    let opts = render::Options {
        out: "pack".into(),
        formats: render::Formats {
            html: true,
            md: true,
            pdf: false,
        },
        templates: None,
        zip: false,
        plan_dir: "plan".into(),
        time: 0,
    };
    let workbook = bsrmp::export::xlsx::workbook(&pack, 0, &std::env::temp_dir());
    assert!(workbook.is_ok(), "the workbook is made: {workbook:?}");
    let files =
        render::files(pack, &opts, &mut |_, _, _| {}).expect("the built-in templates render");
    for (name, bytes) in files {
        if name.ends_with(".html") {
            let html = String::from_utf8(bytes).expect("pages are UTF-8");
            assert!(
                !html.to_ascii_lowercase().contains("<script"),
                "{name} holds a script element"
            );
        }
    }
}

/// The Markdown reader and renderer on any text: the section reader of a
/// stage narrative, then the pack's Markdown-to-HTML step.
pub fn markdown_input(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let checklist = Checklist::builtin();
    let is_clause = |n: &str| checklist.stage_of(n).is_some();
    if let Ok(doc) = plan::document::parse("01-awareness/README.md", 1, text, &is_clause) {
        for h in &doc.headings {
            assert!(h.line >= 1, "heading line numbers start at 1");
        }
    }
    let html = render::markdown::render(text).html;
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "a narrative became a script element in the HTML pack"
    );
    // pack.md holds `<script` as text (`\<script`) or as code, which is
    // inert; what matters is what a Markdown viewer that lets raw HTML
    // through makes of it.
    let md = render::markdown::for_pack(text, 1);
    let mut viewer = comrak::Options::default();
    viewer.extension.table = true;
    viewer.extension.strikethrough = true;
    viewer.extension.autolink = true;
    viewer.extension.tasklist = true;
    viewer.extension.footnotes = true;
    viewer.render.r#unsafe = true;
    let shown = comrak::markdown_to_html(&md, &viewer);
    assert!(
        !shown.to_ascii_lowercase().contains("<script"),
        "pack.md shows a script element: {md:?}"
    );
}
