//! The PDF as printed: a large register summed up, with every row in the
//! pack's CSV file and its HTML registers.

use crate::common::plan;
use crate::render::{pdftotext, rendered};

/// `n` risks, every tenth scored 5 × 4; of those, every second one closed.
fn risks(n: usize) -> String {
    let mut out = String::from("risks:\n");
    for i in 0..n {
        let (l, status) = match i % 20 {
            0 => (5, "open"),
            10 => (5, "closed"),
            _ => (1, "open"),
        };
        out.push_str(&format!(
            "  - id: R-{i:04}\n    title: Risk number {i}\n    description: A risk.\n    category: internal\n    likelihood: {l}\n    impact: 4\n    triggers: [A notice]\n    responses: [reduce]\n    action: Watch it.\n    owner: ops\n    status: {status}\n    review_date: 2027-01-31\n    raised_by: acme\n"
        ));
    }
    out
}

#[test]
fn a_large_register_is_summed_up_in_the_pdf_and_kept_whole_beside_it() {
    let f = plan();
    f.write("registers/risks.yaml", &risks(600));
    let (_out, pack) = rendered(f.path(), "html,pdf");

    // Every row in the CSV file, with a header and why a row needs attention.
    let csv = std::fs::read_to_string(pack.join("data/risks.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 601);
    assert!(lines[0].starts_with("id,title,") && lines[0].ends_with(",needs_attention"));
    assert!(
        lines[1].starts_with("R-0000,") && lines[1].ends_with(",scored 20"),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("R-0001,") && lines[2].ends_with(','));
    let registers = std::fs::read_to_string(pack.join("registers.html")).unwrap();
    assert!(registers.contains("R-0599"));

    if !cfg!(feature = "pdf") {
        return;
    }
    let Some(text) = pdftotext(&pack.join("pack.pdf")) else {
        return;
    };
    assert_on_the_page(&pack.join("pack.pdf"));
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("In summary: 600 records (570 open, 30 closed), of which 30 need attention"),
        "no summary of the risks in the PDF"
    );
    assert!(text.contains("data/risks.csv"));
    // The open risks scored 20 are listed; the closed ones and the low ones are not.
    for i in (0..600).step_by(20) {
        assert!(
            text.contains(&format!("R-{i:04}")),
            "R-{i:04} is not listed"
        );
        assert!(
            !text.contains(&format!("R-{:04}", i + 10)),
            "closed R-{:04} is listed",
            i + 10
        );
        assert!(
            !text.contains(&format!("R-{:04}", i + 1)),
            "R-{:04} is listed",
            i + 1
        );
    }
}

/// The PDF's named destinations (`pdfinfo -dests`, poppler-utils) as
/// (page, name); `None` where pdfinfo is missing, as for `pdftotext`.
fn dests(pdf: &std::path::Path) -> Option<Vec<(u32, String)>> {
    pdftotext(pdf)?;
    let out = std::process::Command::new("pdfinfo")
        .arg("-dests")
        .arg(pdf)
        .output()
        .expect("pdfinfo, beside pdftotext");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    Some(
        text.lines()
            .skip(1)
            .filter_map(|l| {
                let page = l.split_whitespace().next()?.parse().ok()?;
                let name = l.rsplit_once(" \"")?.1.strip_suffix('"')?;
                Some((page, name.to_string()))
            })
            .collect(),
    )
}

fn page_text(pdf: &std::path::Path, page: u32) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The corporate example's PDF, rendered once for the tests that read it.
fn corporate_pdf() -> std::path::PathBuf {
    static PACK: std::sync::OnceLock<(tempfile::TempDir, std::path::PathBuf)> =
        std::sync::OnceLock::new();
    let (_, pack) = PACK.get_or_init(|| {
        let example =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/northwind-corporate");
        rendered(&example, "pdf")
    });
    pack.join("pack.pdf")
}

#[test]
fn the_pdf_links_clauses_to_their_evidence_where_it_is_printed() {
    if !cfg!(feature = "pdf") {
        return;
    }
    let pdf = corporate_pdf();
    let Some(dests) = dests(&pdf) else {
        return;
    };
    assert_on_the_page(&pdf);
    // The links themselves: typst writes each as an annotation going to a
    // page of the PDF, "(page N)"; the contents page's are written apart.
    let bytes = std::fs::read(&pdf).unwrap();
    let links = bytes
        .windows(b"/Subtype/Link".len())
        .enumerate()
        .filter(|(_, w)| *w == b"/Subtype/Link")
        .filter(|(i, _)| {
            let rest = &bytes[*i..(*i + 400).min(bytes.len())];
            let end = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
            let annot = String::from_utf8_lossy(&rest[..end]);
            annot.contains("/Dest ") && annot.contains("/Contents(page ")
        })
        .count();
    // The matrix alone links some 40 pieces of evidence of the corporate example.
    assert!(links >= 40, "only {links} links inside the PDF");
    // Each place a link goes to is named as the HTML pack names it, and is
    // on the page that shows it.
    for (name, shows) in [
        ("stage-1.html#h-32-policy", "3.2 Policy"),
        (
            "stage-3.html#h-53-partner-selection-criteria",
            "5.3 Partner selection criteria",
        ),
        ("registers.html#table-registers-risks-yaml", "Risk register"),
        (
            "stage-1.html#table-01-awareness-ser-yaml",
            "SER appointments",
        ),
    ] {
        let Some((page, _)) = dests.iter().find(|(_, n)| n == name) else {
            panic!("no destination {name} in {dests:?}");
        };
        assert!(
            page_text(&pdf, *page).contains(shows),
            "{name}: page {page} does not show {shows:?}"
        );
    }
}

#[test]
fn records_whose_ids_share_an_anchor_still_give_a_pdf() {
    if !cfg!(feature = "pdf") {
        return;
    }
    // `R.1` and `R-1` are two ids with one anchor, `rec-risks-r-1`. A label
    // used twice and linked would stop typst: rows are labelled only when
    // unique, and the template links only to a label it holds once.
    let f = plan();
    let risk = crate::common::RISKS.trim_start_matches("risks:\n");
    f.write(
        "registers/risks.yaml",
        &format!("risks:\n{risk}{}", risk.replace("id: R-1", "id: R.1")),
    );
    let (_out, pack) = rendered(f.path(), "pdf");
    assert!(
        std::fs::read(pack.join("pack.pdf"))
            .unwrap()
            .starts_with(b"%PDF-")
    );
}

/// The words of a PDF that lie outside the page's text area, side margins
/// (15 mm) less a point of slack, or off the page at the top or bottom, as
/// `pdftotext -bbox` places them: "page N: word".
fn overflowing(pdf: &std::path::Path) -> Option<Vec<String>> {
    pdftotext(pdf)?;
    let out = std::process::Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let at = tag.find(&key).unwrap() + key.len();
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let margin = 15.0 * 72.0 / 25.4 - 1.0;
    let mut bad = Vec::new();
    for (n, page) in html.split("<page ").skip(1).enumerate() {
        let (w, h) = (attr(page, "width"), attr(page, "height"));
        for word in page.split("<word ").skip(1) {
            let (x0, y0) = (attr(word, "xMin"), attr(word, "yMin"));
            let (x1, y1) = (attr(word, "xMax"), attr(word, "yMax"));
            if x0 < margin || x1 > w - margin || y0 < 0.0 || y1 > h {
                let text = word
                    .split('>')
                    .nth(1)
                    .unwrap_or("")
                    .split('<')
                    .next()
                    .unwrap_or("");
                bad.push(format!("page {}: {text}", n + 1));
            }
        }
    }
    Some(bad)
}

/// Fails on any word of the PDF outside the page's text area.
pub(crate) fn assert_on_the_page(pdf: &std::path::Path) {
    if let Some(bad) = overflowing(pdf) {
        assert!(
            bad.is_empty(),
            "{}: text off the page: {bad:?}",
            pdf.display()
        );
    }
}

#[test]
fn no_text_runs_off_the_page() {
    if !cfg!(feature = "pdf") {
        return;
    }
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    // Long runs with no space to break at: a title, a word, a link, a code
    // line, and a narrative table of 30 columns.
    let hostile = plan();
    hostile.edit(
        "registers/risks.yaml",
        "title: Loss of signalling knowledge",
        &format!("title: {}", "Unbreakable".repeat(40)),
    );
    let long = "Unbreakable".repeat(30);
    hostile.edit(
        "rmp.toml",
        "title = \"Acme Rail Ltd: Corporate Relationship Management Plan\"",
        &format!("title = \"{long}\""),
    );
    hostile.edit(
        "rmp.toml",
        "name = \"Acme Rail Ltd\"",
        &format!("name = \"{long}\""),
    );
    hostile.edit(
        "registers/people.yaml",
        "name: Dana Whitfield",
        &format!("name: {long}"),
    );
    let cols = 30;
    let row = |f: &dyn Fn(usize) -> String| {
        format!("| {} |\n", (0..cols).map(f).collect::<Vec<_>>().join(" | "))
    };
    hostile.append(
        "01-awareness/README.md",
        &format!(
            "\n\n```\n{}\n```\n\nA long word: {} and https://example.com/{}\n\n{}|{}\n{}",
            "x".repeat(400),
            "W".repeat(300),
            "a".repeat(200),
            row(&|i| format!("c{i}")),
            "---|".repeat(cols),
            row(&|i| format!("longcellvalue{i}")),
        ),
    );
    // The other examples' PDFs are looked at where other tests render them.
    let mut plans = vec![
        examples.join("meridian-project"),
        hostile.path().to_path_buf(),
    ];
    if let Some(mature) = crate::mature::built() {
        plans.push(mature.to_path_buf());
    }
    for p in &plans {
        let (_out, pack) = rendered(p, "pdf");
        assert_on_the_page(&pack.join("pack.pdf"));
    }
}

#[test]
fn an_own_pdf_template_may_leave_sections_out_and_its_errors_are_short() {
    if !cfg!(feature = "pdf") {
        return;
    }
    let f = plan();
    let t = tempfile::tempdir().unwrap();
    let ours = include_str!("../../templates/pack/pack.typ");
    // Without the document control section: links to its entries are not
    // made, and the PDF is.
    let cut = ours.find("// ------------------------------------------------------------------ document control").unwrap();
    let end = ours
        .find("// ------------------------------------------------------------------ findings")
        .unwrap();
    std::fs::write(
        t.path().join("pack.typ"),
        format!("{}{}", &ours[..cut], &ours[end..]),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let render = |dir: &str| {
        let mut cmd = crate::common::bsrmp();
        cmd.arg("render")
            .arg(f.path())
            .arg("--out")
            .arg(out.path().join(dir))
            .args([
                "--format",
                "pdf",
                "--today",
                crate::common::TODAY,
                "--templates",
            ])
            .arg(t.path());
        cmd
    };
    render("cut").assert().success();
    // A template that fails many times over says so in one line.
    std::fs::write(
        t.path().join("pack.typ"),
        "#for i in range(500) { link(label(\"nowhere\"))[x] }\n",
    )
    .unwrap();
    let run = render("broken").assert().code(2);
    let err = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(err.contains("the template has errors: line 1: "), "{err}");
    assert!(err.lines().count() < 5 && err.len() < 600, "{err}");
    assert!(!out.path().join("broken").exists());
}

#[test]
fn the_pdf_bookmarks_list_each_stage_and_clause() {
    if !cfg!(feature = "pdf") {
        return;
    }
    let pdf = corporate_pdf();
    if pdftotext(&pdf).is_none() {
        return;
    }
    // pdftohtml (poppler-utils, beside pdftotext) writes the outline as XML.
    let out = std::process::Command::new("pdftohtml")
        .args(["-stdout", "-xml", "-i", "-q"])
        .arg(&pdf)
        .output()
        .expect("pdftohtml, beside pdftotext");
    let xml = String::from_utf8_lossy(&out.stdout).into_owned();
    let items: Vec<&str> = xml
        .split("<item ")
        .skip(1)
        .filter_map(|i| i.split('>').nth(1)?.split('<').next())
        .collect();
    for want in [
        "1 Overview",
        "2 Compliance matrix",
        "Stage 1: Awareness",
        "3.2 Policy",
        "3.10 Initiating the RMP",
        "Stage 3: Internal assessment",
        "5.3 Partner selection criteria",
        "4 Registers",
        "5 Document control",
        "6 Findings",
    ] {
        assert!(items.contains(&want), "no bookmark {want:?} in {items:?}");
    }
}
