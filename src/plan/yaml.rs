//! Reading YAML with the limits and diagnostics bsrmp wants.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer as _};

use crate::code::Code;
use crate::diag::{Finding, Pos};

fn options() -> serde_saphyr::Options {
    options_for_part(1)
}

/// The limits for one of `parts` pieces of a file: the counts that add up
/// over a file are shared out, so the pieces together get what the whole
/// would (a piece that runs out is parsed again with the whole file).
fn options_for_part(parts: usize) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    // Large registers (tens of thousands of records) are legitimate; aliases
    // and nesting stay tightly bounded so an alias bomb cannot expand.
    budget.max_events = 20_000_000 / parts;
    budget.max_nodes = 10_000_000 / parts;
    budget.max_total_scalar_bytes = 256 * 1024 * 1024 / parts;
    budget.max_depth = 32;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    serde_saphyr::options! {
        budget: Some(budget),
        // `country: NO` stays the string "NO", not the boolean false.
        strict_booleans: true,
        // We draw our own snippets, from the whole file.
        with_snippet: false,
    }
}

/// Parses `text` (the YAML part of `file`, starting at line `line_offset + 1`).
pub fn parse<T: DeserializeOwned>(file: &str, text: &str, line_offset: u32) -> Result<T, Finding> {
    run(file, text, line_offset, |de| T::deserialize(de))
}

/// Parses a record file: a mapping with the one top-level `key`.
pub fn parse_keyed<V: DeserializeOwned>(
    file: &str,
    text: &str,
    key: &'static str,
) -> Result<Option<V>, Finding> {
    run(file, text, 0, |de| {
        de.deserialize_map(Keyed::<V> {
            key,
            marker: PhantomData,
        })
    })
}

/// As [`parse_keyed`], for one of `parts` pieces of a record file
/// (plan/split.rs), with its share of the limits.
pub fn parse_keyed_part<V: DeserializeOwned>(
    file: &str,
    text: &str,
    key: &'static str,
    parts: usize,
) -> Result<Option<V>, Finding> {
    run_with(file, text, 0, options_for_part(parts), |de| {
        de.deserialize_map(Keyed::<V> {
            key,
            marker: PhantomData,
        })
    })
}

struct Keyed<V> {
    key: &'static str,
    marker: PhantomData<V>,
}

impl<'de, V: Deserialize<'de>> Visitor<'de> for Keyed<V> {
    type Value = Option<V>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a mapping with the one key `{}`", self.key)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<V>, E> {
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<V>, A::Error> {
        let mut out = None;
        while let Some(key) = map.next_key::<String>()? {
            if key != self.key {
                return Err(A::Error::custom(format!(
                    "unexpected top-level key `{key}`: this file holds `{}:` only",
                    self.key
                )));
            }
            out = map.next_value::<Option<V>>()?;
        }
        Ok(out)
    }
}

fn run<R>(
    file: &str,
    text: &str,
    line_offset: u32,
    f: impl for<'e> FnOnce(serde_saphyr::Deserializer<'_, 'e>) -> Result<R, serde_saphyr::Error>,
) -> Result<R, Finding> {
    run_with(file, text, line_offset, options(), f)
}

fn run_with<R>(
    file: &str,
    text: &str,
    line_offset: u32,
    options: serde_saphyr::Options,
    f: impl for<'e> FnOnce(serde_saphyr::Deserializer<'_, 'e>) -> Result<R, serde_saphyr::Error>,
) -> Result<R, Finding> {
    serde_saphyr::with_deserializer_from_str_with_options(text, options, f).map_err(|err| {
        let err = err.without_snippet();
        // Errors raised through serde (wrong type, unknown field, bad value)
        // are about the plan format; the others are YAML syntax.
        use serde_saphyr::Error as E;
        let code = match err {
            E::Message { .. }
            | E::NullIntoString { .. }
            | E::InvalidScalar { .. }
            | E::InvalidBooleanStrict { .. }
            | E::SerdeInvalidType { .. }
            | E::SerdeInvalidValue { .. }
            | E::SerdeInvalidLength { .. }
            | E::SerdeUnknownVariant { .. }
            | E::SerdeUnknownField { .. }
            | E::SerdeMissingField { .. }
            | E::DuplicateMappingKey { .. } => Code::InvalidRecord,
            _ => Code::InvalidYaml,
        };
        let raw = err.to_string();
        let pos = err
            .location()
            .filter(|l| l.line() > 0)
            .map(|l| Pos::new(l.line() as u32, l.column().max(1) as u32));
        // Places within `text`; the offset of the front matter is added last.
        let pos = better_place(text, &raw, pos);
        let mut message = clean_message(&raw);
        // A bracket left open lets the parser read on and fail later, with a
        // message about something else: name the bracket, and point at it.
        let pos = match (code, unclosed_bracket(text, pos)) {
            (Code::InvalidYaml | Code::InvalidRecord, Some((open, line))) => {
                message = format!(
                    "{message} (the `{open}` on line {} is never closed)",
                    line + line_offset
                );
                Some(Pos::new(line, 1))
            }
            _ => pos,
        };
        let pos = pos.map(|p| Pos::new(p.line + line_offset, p.column));
        let help = if raw.starts_with("budget breached") {
            "split the file, or write the values out instead of repeating anchors and aliases"
        } else if code == Code::InvalidYaml {
            "fix the YAML syntax at this place; quote text that contains `: ` or starts with a special character"
        } else {
            "see docs/plan-format.md for the fields this file takes and their types"
        };
        Finding::error(code, message)
            .help(help)
            .in_file(file, pos)
    })
}

/// Where the parser's place is not where the author should look: a tab is
/// reported at the start of the value before it, and a wrong top-level key
/// with no place at all.
fn better_place(text: &str, message: &str, pos: Option<Pos>) -> Option<Pos> {
    if message.contains("found a tab") || message.contains("found tab") {
        let from = pos.map_or(1, |p| p.line) as usize;
        for (i, line) in text.lines().enumerate().skip(from.saturating_sub(1)) {
            if let Some(col) = line.find('\t') {
                return Some(Pos::new(
                    i as u32 + 1,
                    line[..col].chars().count() as u32 + 1,
                ));
            }
        }
    }
    if pos.is_none()
        && let Some(key) = message
            .strip_prefix("unexpected top-level key `")
            .and_then(|r| r.split('`').next())
    {
        for (i, line) in text.lines().enumerate() {
            let bare = line.trim_end();
            if bare.starts_with(key)
                && bare[key.len()..].trim_start().starts_with(':')
                && !line.starts_with([' ', '\t'])
            {
                return Some(Pos::new(i as u32 + 1, 1));
            }
        }
    }
    pos
}

/// A flow sequence or mapping opened on the error's line, or up to 20 lines
/// before it, and not closed on its own line (YAML allows it to go on, which
/// is rarely what the author meant). Returns the bracket and its line.
fn unclosed_bracket(text: &str, pos: Option<Pos>) -> Option<(char, u32)> {
    let at = pos?.line as usize;
    let lines: Vec<&str> = text.lines().collect();
    let first = at.saturating_sub(20).max(1);
    for n in (first..=at.min(lines.len())).rev() {
        let line = lines[n - 1];
        let mut depth: Vec<char> = Vec::new();
        let mut quote = None;
        for c in line.chars() {
            match (quote, c) {
                (None, '#') => break,
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '[' | '{') => depth.push(c),
                (None, ']' | '}') => {
                    depth.pop();
                }
                _ => {}
            }
        }
        if let Some(&open) = depth.first() {
            return Some((open, n as u32));
        }
    }
    None
}

/// Drops the "at line X column Y" tail (the location is shown separately) and
/// says in plain words what the parser's type names mean.
fn clean_message(message: &str) -> String {
    let message = message.trim();
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].trim_end_matches(','),
        None => message,
    };
    for int in [
        "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "usize",
    ] {
        if message == format!("invalid {int}") {
            return "expected a whole number (within range) here".to_string();
        }
    }
    if let Some(breach) = message.strip_prefix("budget breached: ") {
        let what = match breach.split([' ', '{']).next().unwrap_or("") {
            "Anchors" => "more than 1,000 anchors (`&name`)",
            "Aliases" => "more than 1,000 aliases (`*name`)",
            "Depth" => "values nested more than 32 levels deep",
            "Nodes" => "more than 10 million values",
            "Events" => "more than 20 million YAML events",
            "ScalarBytes" => "more than 256 MB of text",
            "Documents" => "more than one YAML document",
            _ => "more of something than a plan file needs",
        };
        return format!(
            "the file has {what}, past the reader's safety limit; bsrmp stops here so that a file cannot exhaust time or memory"
        );
    }
    if message.starts_with("cannot deserialize null into string") {
        return "a value is needed here, but it is empty (null)".to_string();
    }
    if message.contains("DuplicateKeyPolicy") {
        return match message.split('`').nth(1) {
            Some(k) => format!("the key `{k}` appears twice in the same mapping"),
            None => "a key appears twice in the same mapping".to_string(),
        };
    }
    message.replace("string scalar", "text")
}

pub fn pos_of(loc: &serde_saphyr::Location, line_offset: u32) -> Pos {
    Pos::new(loc.line() as u32 + line_offset, loc.column().max(1) as u32)
}
