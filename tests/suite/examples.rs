//! The bundled examples are the README's demo: each passes with no finding.

use crate::common::{TODAY, bsrmp};

fn example(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn passes_cleanly(name: &str, kind: &str, stage: u64) -> serde_json::Value {
    let out = bsrmp()
        .arg("check")
        .arg(example(name))
        .args(["--today", TODAY, "--format", "json", "--deny-warnings"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(v["findings"], serde_json::json!([]), "{:#}", v["findings"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(v["plan"]["kind"], kind);
    assert_eq!(v["plan"]["stage"], stage);
    assert_eq!(v["summary"]["partial"], 0);
    assert_eq!(v["summary"]["missing"], 0);
    v
}

#[test]
fn northwind_corporate_passes() {
    let v = passes_cleanly("northwind-corporate", "corporate", 3);
    assert_eq!(
        v["summary"]["met"].as_u64().unwrap() + v["summary"]["waived"].as_u64().unwrap(),
        19
    );
}

#[test]
fn northwind_project_passes() {
    let v = passes_cleanly("northwind-project", "project", 4);
    assert_eq!(
        v["summary"]["met"].as_u64().unwrap() + v["summary"]["waived"].as_u64().unwrap(),
        47
    );
    assert_eq!(v["summary"]["not_due"], 42);
}

#[test]
fn every_record_field_the_checklist_names_is_a_real_field() {
    // A misspelt field name in the catalogue would make its rule unpassable;
    // the examples exercise every kind, so every field must appear in them.
    use bsrmp::checklist::{Checklist, Rule};
    use bsrmp::plan::{self, source::FsSource};
    let checklist = Checklist::builtin();
    let project = plan::load(&FsSource::new(example("northwind-project")), &|c| {
        checklist.stage_of(c)
    })
    .unwrap();
    for req in &checklist.requirements {
        for rule in &req.rules {
            let Rule::Records { kind, fields, .. } = rule else {
                continue;
            };
            let views = project.views(kind);
            if views.is_empty() {
                continue; // kinds of stages 5-8: covered once the joint example exists
            }
            for field in fields {
                let found = field
                    .split('|')
                    .any(|alt| views.iter().any(|v| v.get(alt).is_some()));
                assert!(
                    found,
                    "clause {}: field {field} of {kind} appears in no example record",
                    req.clause
                );
            }
        }
    }
}
