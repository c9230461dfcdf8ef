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
