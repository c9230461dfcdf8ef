//! Record files parsed side by side. YAML parsing is most of what loading a
//! large plan costs, and each file parses on its own, so the files are shared
//! out among threads (rayon), largest first; results come back in file order,
//! so the findings do not depend on timing.

use crate::code::Code;
use std::collections::HashMap;

use rayon::prelude::*;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::kinds::KindInfo;
use super::{HasId, RecordView, Records, is_blank_yaml, record_pos, yaml};
use crate::diag::{Finding, Pos};

/// Below this much YAML, threads cost more than they save.
const PARALLEL_BYTES: usize = 256 * 1024;

type Store = Box<dyn FnOnce(&mut Records, &mut HashMap<&'static str, Vec<RecordView>>) + Send>;

/// One record file parsed: what it found wrong, and what to keep.
pub(super) struct Parsed {
    pub errors: Vec<Finding>,
    pub store: Store,
}

/// Parses every record file; one result per file, in the order given.
pub(super) fn all(files: &[(&'static KindInfo, &str)]) -> Vec<Parsed> {
    let total: usize = files.iter().map(|(_, t)| t.len()).sum();
    if total < PARALLEL_BYTES {
        return files.iter().map(|(k, t)| one(k, t)).collect();
    }
    // The largest first, so that the long parse of a big register starts
    // at once and the small files fill the other threads meanwhile.
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(files[i].1.len()));
    let mut parsed: Vec<(usize, Parsed)> = order
        .into_par_iter()
        .map(|i| (i, one(files[i].0, files[i].1)))
        .collect();
    parsed.sort_by_key(|(i, _)| *i);
    parsed.into_iter().map(|(_, p)| p).collect()
}

fn one(kind: &'static KindInfo, text: &str) -> Parsed {
    let _reading = crate::memory::parsing(kind.file, text.len());
    macro_rules! list {
        ($field:ident) => {
            list(kind, text, |r, v| r.$field = v)
        };
    }
    macro_rules! single {
        ($field:ident) => {
            single(kind, text, |r, v| r.$field = v)
        };
    }
    match kind.name {
        "people" => list!(people),
        "ser" => list!(ser),
        "relationships" => list!(relationships),
        "objectives" => list!(objectives),
        "skills" => list!(skills),
        "risks" => list!(risks),
        "actions" => list!(actions),
        "issues" => list!(issues),
        "reviews" => list!(reviews),
        "assessments" => list!(assessments),
        "value" => list!(value),
        "audits" => list!(audits),
        "knowledge" => list!(knowledge),
        "criteria" => list!(criteria),
        "candidates" => list!(candidates),
        "stakeholders" => list!(stakeholders),
        "kpis" => list!(kpis),
        "decisions" => list!(decisions),
        "meetings" => list!(meetings),
        "lessons" => list!(lessons),
        "exit" => single!(exit),
        "maturity" => single!(maturity),
        "governance" => single!(governance),
        other => unreachable!("kind {other} has no field"),
    }
}

fn parse<V: for<'de> Deserialize<'de>>(
    kind: &KindInfo,
    text: &str,
    errors: &mut Vec<Finding>,
) -> Option<V> {
    if is_blank_yaml(text) {
        return None;
    }
    match yaml::parse_keyed(kind.file, text, kind.key) {
        Ok(v) => v,
        Err(f) => {
            errors.push(f);
            None
        }
    }
}

fn list<T>(kind: &'static KindInfo, text: &str, set: fn(&mut Records, Vec<Spanned<T>>)) -> Parsed
where
    T: for<'de> Deserialize<'de> + HasId + Serialize + Send + 'static,
{
    let mut errors = Vec::new();
    let items: Vec<Spanned<T>> = parse(kind, text, &mut errors).unwrap_or_default();
    check_ids(kind.file, kind.noun, &items, &mut errors);
    let view = views_of(&items);
    Parsed {
        errors,
        store: Box::new(move |records, views| {
            views.insert(kind.name, view);
            set(records, items);
        }),
    }
}

fn single<T>(
    kind: &'static KindInfo,
    text: &str,
    set: fn(&mut Records, Option<Spanned<T>>),
) -> Parsed
where
    T: for<'de> Deserialize<'de> + Serialize + Send + 'static,
{
    let mut errors = Vec::new();
    let item: Option<Spanned<T>> = parse(kind, text, &mut errors);
    let view = item
        .iter()
        .map(|s| RecordView {
            id: None,
            pos: record_pos(s),
            value: serde_json::to_value(&s.value).unwrap_or_default(),
        })
        .collect();
    Parsed {
        errors,
        store: Box::new(move |records, views| {
            views.insert(kind.name, view);
            set(records, item);
        }),
    }
}

fn check_ids<T: HasId>(file: &str, noun: &str, items: &[Spanned<T>], errors: &mut Vec<Finding>) {
    let mut seen: HashMap<&str, Pos> = HashMap::with_capacity(items.len());
    for item in items {
        let id = item.value.id();
        let pos = yaml::pos_of(&id.referenced, 0);
        if id.value.trim().is_empty() {
            errors.push(
                Finding::error(Code::InvalidRecord, format!("a {noun} has an empty id"))
                    .help("give every record a short, unique id, such as R-12")
                    .in_file(file, Some(pos)),
            );
        } else if let Some(first) = seen.insert(&id.value, pos) {
            errors.push(
                Finding::error(
                    Code::DuplicateId,
                    format!(
                        "{noun} id `{}` is used twice (first at line {})",
                        id.value, first.line
                    ),
                )
                .help("give every record its own id")
                .in_file(file, Some(pos)),
            );
        }
    }
}

/// Generic views of the records, for the checklist's rules.
fn views_of<T: Serialize + HasId>(items: &[Spanned<T>]) -> Vec<RecordView> {
    items
        .iter()
        .map(|s| RecordView {
            id: Some(s.value.id().value.clone()),
            pos: record_pos(s),
            value: serde_json::to_value(&s.value).unwrap_or_default(),
        })
        .collect()
}
