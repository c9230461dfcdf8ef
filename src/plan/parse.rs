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
use super::{HasId, Records, is_blank_yaml, split, yaml};
use crate::diag::{Finding, Pos};

/// Below this much YAML, threads cost more than they save.
const PARALLEL_BYTES: usize = 256 * 1024;

type Store = Box<dyn FnOnce(&mut Records) + Send>;

/// One record file parsed: what it found wrong, and what to keep.
pub(super) struct Parsed {
    pub errors: Vec<Finding>,
    pub store: Store,
}

/// Parses every record file; one result per file, in the order given.
pub(super) fn all(files: &[(&'static KindInfo, &str)]) -> Vec<Parsed> {
    let total: usize = files.iter().map(|(_, t)| t.len()).sum();
    if total < PARALLEL_BYTES {
        return files.iter().map(|(k, t)| one(k, t, false)).collect();
    }
    let threads = rayon::current_num_threads();
    let cut = |len: usize| split::worth_cutting(len, total, threads);
    // The largest first, so that the long parse of a big register starts
    // at once and the small files fill the other threads meanwhile.
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(files[i].1.len()));
    let mut parsed: Vec<(usize, Parsed)> = order
        .into_par_iter()
        .map(|i| (i, one(files[i].0, files[i].1, cut(files[i].1.len()))))
        .collect();
    parsed.sort_by_key(|(i, _)| *i);
    parsed.into_iter().map(|(_, p)| p).collect()
}

/// One record file parsed; `cut` lets a list be parsed in pieces.
fn one(kind: &'static KindInfo, text: &str, cut: bool) -> Parsed {
    let _reading = crate::memory::parsing(kind.file, text.len());
    macro_rules! list {
        ($field:ident) => {
            list(kind, text, cut, |r, v| r.$field = v)
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

fn list<T>(
    kind: &'static KindInfo,
    text: &str,
    cut: bool,
    set: fn(&mut Records, Vec<Spanned<T>>),
) -> Parsed
where
    T: for<'de> Deserialize<'de> + HasId + Serialize + Send + 'static,
{
    let mut errors = Vec::new();
    let pieces = if cut { in_pieces(kind, text) } else { None };
    let mut items: Vec<Spanned<T>> = match pieces {
        Some(items) => items,
        None => parse(kind, text, &mut errors).unwrap_or_default(),
    };
    // Grown one record at a time, the list holds up to twice its records
    // for as long as the plan is loaded (25 MB of 80,000 risks).
    items.shrink_to_fit();
    check_ids(kind.file, kind.noun, &items, &mut errors);
    Parsed {
        errors,
        store: Box::new(move |records| set(records, items)),
    }
}

/// A large register's records, its pieces parsed side by side; `None` when
/// it is small, not a plain list, or any piece fails (then the file is
/// parsed whole, and its findings are the whole file's).
fn in_pieces<T>(kind: &KindInfo, text: &str) -> Option<Vec<Spanned<T>>>
where
    T: for<'de> Deserialize<'de> + Send,
{
    if text.len() < split::SPLIT_BYTES {
        return None;
    }
    let pieces = split::pieces(text, kind.key, 2 * rayon::current_num_threads())?;
    let parts = pieces.len();
    let parsed: Vec<Option<Vec<Spanned<T>>>> = pieces
        .par_iter()
        .map(|p| {
            yaml::parse_keyed_part::<Vec<Spanned<T>>>(kind.file, p, kind.key, parts)
                .ok()
                .flatten()
        })
        .collect();
    let mut items = Vec::new();
    for p in parsed {
        items.extend(p?);
    }
    Some(items)
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
    Parsed {
        errors,
        store: Box::new(move |records| set(records, item)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::records::Risk;
    use crate::plan::{kinds, record_pos};

    /// A register past the size at which it is cut, with comments, block
    /// scalars and a record whose id repeats an earlier one.
    fn big_register() -> String {
        let mut t = String::from("# yaml-language-server: $schema=x\n# Risks\nrisks:\n");
        let mut i = 0;
        while t.len() < split::SPLIT_BYTES + 100_000 {
            t.push_str(&format!(
                "  # ---- risk {i}\n  - id: R-{i}\n    title: Loss & damage at depot {i}\n    description: >-\n      Stock is lost\n      - or damaged\n    likelihood: {}\n    impact: 3\n    owner: ops\n",
                i % 5 + 1
            ));
            i += 1;
        }
        t.push_str("  - id: R-7\n    title: Again\n");
        t
    }

    fn positions(items: &[Spanned<Risk>]) -> Vec<(String, Pos, Pos)> {
        items
            .iter()
            .map(|s| {
                let id = s.value.id();
                (
                    id.value.clone(),
                    record_pos(s),
                    yaml::pos_of(&id.referenced, 0),
                )
            })
            .collect()
    }

    #[test]
    fn a_register_cut_in_pieces_reads_as_the_whole_file() {
        let kind = kinds::by_name("risks").unwrap();
        let text = big_register();
        let pieces: Vec<Spanned<Risk>> = in_pieces(kind, &text).expect("cut in pieces");
        let mut errors = Vec::new();
        let whole: Vec<Spanned<Risk>> = parse(kind, &text, &mut errors).unwrap();
        assert!(errors.is_empty());
        assert_eq!(positions(&pieces), positions(&whole));
        let json = |v: &[Spanned<Risk>]| {
            serde_json::to_string(&v.iter().map(|s| &s.value).collect::<Vec<_>>()).unwrap()
        };
        assert_eq!(json(&pieces), json(&whole));
        // The repeated id is found through the pieces as through the whole.
        let parsed = one(kind, &text, true);
        assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
        assert_eq!(parsed.errors[0].code, Code::DuplicateId);
    }

    #[test]
    fn a_broken_piece_reads_the_whole_file_again() {
        let kind = kinds::by_name("risks").unwrap();
        // A bad score late in the file: the finding is the whole file's.
        let mut late = big_register();
        let at = late.rfind("likelihood: 2").unwrap();
        late.replace_range(at..at + "likelihood: 2".len(), "likelihood: high");
        assert!(in_pieces::<Risk>(kind, &late).is_none());
        let whole = one(kind, &late, true);
        let f = &whole.errors[0];
        assert_eq!(f.code, Code::InvalidRecord);
        let line = late[..at].matches('\n').count() as u32 + 1;
        assert_eq!(f.location.as_ref().unwrap().pos.unwrap().line, line);
    }
}
