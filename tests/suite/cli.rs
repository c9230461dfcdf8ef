//! The command line's own outputs: version, shell completions, manual page.

use crate::common::bsrmp;
use predicates::prelude::*;

#[test]
fn version_names_the_checklist() {
    bsrmp()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains("checklist"))
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn completions_generate_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = bsrmp().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for sub in ["check", "render", "fork-joint", "approve"] {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
    }
    bsrmp().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_page_is_roff() {
    bsrmp()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(".ie"))
        .stdout(predicate::str::contains(".TH bsrmp 1"))
        .stdout(predicate::str::contains("fork\\-joint"))
        .stdout(predicate::str::contains(".SH \"EXIT STATUS\""));
}

/// Every page bsrmp(1) refers to is written, each with its options and its
/// exit status.
#[test]
fn man_out_writes_a_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    bsrmp()
        .args(["man", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("~/.local/share/man/man1/"));
    let main = std::fs::read_to_string(dir.path().join("bsrmp.1")).unwrap();
    let mut referred = 0;
    for part in main.split("bsrmp\\-").skip(1) {
        let Some(name) = part
            .split("(1)")
            .next()
            .filter(|n| !n.contains(char::is_whitespace))
        else {
            continue;
        };
        let page = dir
            .path()
            .join(format!("bsrmp-{}.1", name.replace("\\-", "-")));
        let text = std::fs::read_to_string(&page)
            .unwrap_or_else(|e| panic!("bsrmp(1) refers to {}: {e}", page.display()));
        assert!(text.contains(".SH OPTIONS"), "{}", page.display());
        assert!(text.contains(".SH \"EXIT STATUS\""), "{}", page.display());
        referred += 1;
    }
    assert!(referred >= 12, "{referred} pages referred to");
    let check = std::fs::read_to_string(dir.path().join("bsrmp-check.1")).unwrap();
    assert!(check.contains("require\\-clean"));
}

#[test]
fn status_snapshots() {
    let f = crate::common::plan();
    // An overdue action and a risk without an owner.
    f.edit(
        "registers/actions.yaml",
        "due: 2027-01-31",
        "due: 2026-10-01",
    );
    f.edit("registers/risks.yaml", "    owner: ops\n", "");
    let out = bsrmp()
        .arg("status")
        .arg(f.path())
        .args(["--today", crate::common::TODAY])
        .output()
        .unwrap();
    // A risk without its owner fails clause 3.7, and status ends as check would.
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("status_fixture", String::from_utf8_lossy(&out.stdout));

    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/northwind-project");
    let out = bsrmp()
        .arg("status")
        .arg(example)
        .args(["--today", crate::common::TODAY])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(
        "status_northwind_project",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Every file of the bundled examples validates against the schemas
/// `bsrmp schema` writes, with an independent JSON Schema validator.
#[test]
fn examples_validate_against_the_schemas() {
    let dir = tempfile::tempdir().unwrap();
    bsrmp()
        .arg("schema")
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let schema = |name: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(name)).unwrap()).unwrap()
    };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut checked = 0;
    for example in [
        "northwind-corporate",
        "northwind-project",
        "meridian-project",
    ] {
        let plan = root.join(example);
        for kind in bsrmp::plan::kinds::KINDS {
            let path = plan.join(kind.file);
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
            let s = schema(&bsrmp::schema::file_name(kind));
            let validator = jsonschema::validator_for(&s).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
            checked += 1;
        }
        let manifest: toml::Value =
            toml::from_str(&std::fs::read_to_string(plan.join("rmp.toml")).unwrap()).unwrap();
        let manifest = serde_json::to_value(manifest).unwrap();
        let validator = jsonschema::validator_for(&schema("rmp.schema.json")).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&manifest)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{example}/rmp.toml: {errors:#?}");
    }
    assert!(checked > 30, "only {checked} files checked");

    // And wrong files fail: an out-of-range score, an unknown field, a bad date.
    let validator = jsonschema::validator_for(&schema("risks.schema.json")).unwrap();
    for bad in [
        "risks:\n  - id: R-1\n    impact: 9\n",
        "risks:\n  - id: R-1\n    colour: red\n",
        "risks:\n  - id: R-1\n    review_date: next week\n",
        "risk:\n  - id: R-1\n",
    ] {
        let value: serde_json::Value = serde_saphyr::from_str(bad).unwrap();
        assert!(!validator.is_valid(&value), "{bad}");
    }
}

/// The pre-commit hook of examples/ci refuses a commit that breaks the plan.
#[test]
fn pre_commit_hook_refuses_a_failing_plan() {
    let f = crate::common::plan();
    let git = |args: &[&str]| {
        let bin = assert_cmd::cargo::cargo_bin("bsrmp");
        let path = format!(
            "{}:{}",
            bin.parent().unwrap().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        std::process::Command::new("git")
            .current_dir(f.path())
            .env("PATH", path)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap()
    };
    assert!(git(&["init", "-q"]).status.success());
    let hook = f.path().join(".git/hooks/pre-commit");
    let script = include_str!("../../examples/ci/pre-commit");
    // No file of a predictable name in the shared temporary folder.
    assert!(
        !script.contains("/tmp") && !script.contains("$$"),
        "{script}"
    );
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/ci/pre-commit"),
        &hook,
    )
    .unwrap();
    assert!(git(&["add", "-A"]).status.success());
    // The fixture's dates are fixed; the hook checks as of today, when its
    // reviews may be overdue, so only the verdict's cause is compared.
    let first = git(&["commit", "-q", "-m", "Start"]);
    let failing_first = !first.status.success();
    f.edit("registers/risks.yaml", "    owner: ops\n", "");
    assert!(git(&["add", "-A"]).status.success());
    let out = git(&["commit", "-q", "-m", "Drop an owner"]);
    assert!(!out.status.success(), "the hook let a failing plan through");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the plan does not pass"), "{stderr}");
    assert!(failing_first || stderr.contains("no owner"), "{stderr}");
}

#[test]
fn quiet_and_verbose() {
    let f = crate::common::plan();
    // Quiet: the verdict line only.
    let out = bsrmp()
        .arg("check")
        .arg(f.path())
        .args(["--today", crate::common::TODAY, "--quiet"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("PASS"), "{text}");
    // Quiet init says nothing; verbose lists every file written.
    let d = tempfile::tempdir().unwrap();
    bsrmp()
        .args(["init", "--quiet", "--org", "Q"])
        .arg(d.path().join("q"))
        .assert()
        .success()
        .stdout("");
    bsrmp()
        .args(["init", "--verbose", "--org", "V"])
        .arg(d.path().join("v"))
        .assert()
        .success()
        .stdout(predicate::str::contains("  registers/risks.yaml\n"));
    bsrmp()
        .args(["check", "--quiet", "--verbose"])
        .assert()
        .code(2);
}

#[test]
fn a_today_the_calendar_lacks_is_said_to_be_no_date() {
    let f = crate::common::plan();
    bsrmp()
        .arg("check")
        .arg(f.path())
        .args(["--today", "2026-02-30"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--today 2026-02-30 is not a date: February 2026 has 28 days, so there is no day 30 in it",
        ));
}

#[test]
fn require_clean_fails_a_plan_of_which_nothing_is_committed() {
    let f = crate::common::plan();
    // Outside git: passes as it is, fails when the committed plan is required.
    f.check(&[]).success();
    f.check(&["--require-clean"])
        .code(1)
        .stdout(predicate::str::contains(
            "the plan is not in a git repository, so nothing of it is committed",
        ));
    // A repository with no commit yet: the same.
    git2::Repository::init(f.path()).unwrap();
    f.check(&["--require-clean"]).code(1);
}

#[test]
fn explain_lists_what_document_control_demands_of_a_clause() {
    bsrmp()
        .args(["explain", "3.2"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Document control, from git (each of these can also fail it)",
        ))
        .stdout(predicate::str::contains(
            "the policy approved with `bsrmp approve`",
        ));
    bsrmp()
        .args(["explain", "4.1"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Document control").not());
}

/// The bundled examples carry the schemas `bsrmp schema` writes today, and
/// every record file and manifest points at its own.
#[test]
fn the_examples_schemas_are_current_and_pointed_at() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for ex in [
        "northwind-corporate",
        "northwind-project",
        "meridian-project",
    ] {
        let dir = root.join(ex);
        for (name, value) in bsrmp::schema::all() {
            let path = dir.join(".bsrmp/schemas").join(&name);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(&text).unwrap(),
                value,
                "{} is out of date: run `bsrmp schema --out {}`",
                path.display(),
                dir.join(".bsrmp/schemas").display()
            );
        }
        let manifest = std::fs::read_to_string(dir.join("rmp.toml")).unwrap();
        assert!(manifest.starts_with("#:schema ./.bsrmp/schemas/rmp.schema.json\n"));
        for kind in bsrmp::plan::KINDS {
            let Ok(text) = std::fs::read_to_string(dir.join(kind.file)) else {
                continue;
            };
            assert!(
                text.starts_with(&bsrmp::scaffold::schema_comment(kind)),
                "{ex}/{} does not point at its schema",
                kind.file
            );
        }
    }
}
