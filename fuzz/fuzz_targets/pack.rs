//! Any bytes as one file of a real plan, as for `plan_files`, then the HTML
//! and Markdown pack as well: slower per input, so CI gives it the same
//! bounded time as the others (.ci/run).
#![no_main]

#[path = "../exercise.rs"]
mod exercise;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

static BASE: OnceLock<exercise::Files> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let base = BASE.get_or_init(|| {
        exercise::read_plan(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/northwind-project"),
        )
    });
    exercise::plan_input(base, data, true);
});
