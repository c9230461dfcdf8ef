//! Reading YAML with the limits and diagnostics bsrmp wants.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer as _};

use crate::diag::{Finding, Pos};

fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    // Large registers (tens of thousands of records) are legitimate; aliases
    // and nesting stay tightly bounded so an alias bomb cannot expand.
    budget.max_events = 20_000_000;
    budget.max_nodes = 10_000_000;
    budget.max_total_scalar_bytes = 256 * 1024 * 1024;
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
    serde_saphyr::with_deserializer_from_str_with_options(text, options(), f).map_err(|err| {
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
            | E::DuplicateMappingKey { .. } => "invalid-record",
            _ => "invalid-yaml",
        };
        let pos = err
            .location()
            .filter(|l| l.line() > 0)
            .map(|l| Pos::new(l.line() as u32 + line_offset, l.column().max(1) as u32));
        let message = clean_message(&err.to_string());
        let help = if code == "invalid-yaml" {
            "fix the YAML syntax at this place; quote text that contains `: ` or starts with a special character"
        } else {
            "see docs/plan-format.md for the fields this file takes and their types"
        };
        Finding::error(code, message)
            .help(help)
            .in_file(file, pos)
    })
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
