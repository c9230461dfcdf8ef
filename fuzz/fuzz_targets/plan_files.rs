//! Any bytes as one file of a real plan (see `exercise::plan_input`): load,
//! check and every report format. The `pack` target renders as well.
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
    exercise::plan_input(base, data, false);
});
