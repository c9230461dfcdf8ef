//! bsrmp: a BS 11000 Relationship Management Plan kept as YAML and Markdown in git.
//!
//! The library loads a plan ([`plan::Plan`]), evaluates it against the built-in
//! checklist ([`checklist::Checklist`]) into an [`check::Assessment`], and writes
//! reports of it. It never prints: the binary decides what reaches the terminal.

// A finding is the error of a file's parse, returned once per file on the
// error path; boxing it would buy nothing.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod checklist;
pub mod code;
pub mod diag;
pub mod due;
pub mod error;
pub mod export;
pub mod history;
pub mod joint;
pub mod memory;
pub mod plan;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod staging;
pub mod table;
pub mod workspace;
pub mod xml;

pub use error::{Error, Result};
