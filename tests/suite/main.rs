//! The integration tests, one module per area, in one test binary so the
//! crate and its dependencies are linked once (docs/ci.md). The corpus of
//! hostile plans is the other binary (tests/corpus.rs): it has its own
//! harness. `cargo test --test suite -- render::` runs one module.

#[path = "../common/mod.rs"]
mod common;

mod browser;
mod check_codes;
mod cli;
mod examples;
mod export;
mod faults;
mod formats;
mod history;
mod house;
mod init;
mod interrupt;
mod iso44001;
mod joint;
mod mature;
mod operating;
mod print;
mod properties;
mod readme;
mod render;
