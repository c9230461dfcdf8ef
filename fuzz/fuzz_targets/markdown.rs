//! Any text as a stage narrative: the section reader, then the Markdown the
//! pack renders.
#![no_main]

#[path = "../exercise.rs"]
mod exercise;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    exercise::markdown_input(data);
});
