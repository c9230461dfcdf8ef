//! Seeds the joint plan's records from the two parties' plans. Nothing is
//! merged silently: every record keeps a `source` (party, file, id, commit),
//! and every likely duplicate or conflict becomes a joint decision for the
//! partners to settle.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::alike::{self, Index, Vocabulary, jaccard, overlap};
use crate::plan::{OwnedView, Plan, kinds};

/// One party's plan, as read from its HEAD commit.
pub struct Side<'a> {
    pub party: String,
    pub party_name: String,
    pub plan: &'a Plan,
    /// The source commit the records were read at.
    pub commit: String,
    /// The plan's record views, moved out of it: each kind is taken once, and
    /// its records become the joint records without being copied.
    views: RefCell<HashMap<&'static str, Vec<OwnedView>>>,
}

impl<'a> Side<'a> {
    /// `views` are the plan's own, taken out of it.
    pub fn new(
        party: String,
        party_name: String,
        plan: &'a Plan,
        views: HashMap<&'static str, Vec<OwnedView>>,
        commit: String,
    ) -> Self {
        Side {
            party,
            party_name,
            plan,
            commit,
            views: RefCell::new(views),
        }
    }

    fn ids(&self, kind: &str) -> Vec<String> {
        self.views
            .borrow()
            .get(kind)
            .map(|v| v.iter().filter_map(|r| r.id.clone()).collect())
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub id: String,
    pub topic: &'static str,
    pub summary: String,
    pub records: Vec<String>,
    pub sources: Vec<Source>,
    pub status: &'static str,
}

/// Where a decision's record came from. Typed, not a JSON map: a large
/// merge has two for each of tens of thousands of decisions, and as maps
/// they took more memory than the joint records.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub party: String,
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub commit: String,
}

impl Source {
    /// From a record's `source` map, as [`source`] makes it.
    fn of(v: &Value) -> Source {
        let id = v
            .get("id")
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty());
        Source {
            party: text(v, "party"),
            file: text(v, "file"),
            id: id.map(str::to_string),
            commit: text(v, "commit"),
        }
    }
}

/// The joint records, by kind name, plus the decisions.
pub struct Seeded {
    pub records: BTreeMap<&'static str, Vec<Packed>>,
    pub exit: Option<Value>,
    pub decisions: Vec<Decision>,
    /// Person ids of the second party renamed because the first party uses them.
    pub renamed_people: BTreeMap<String, String>,
}

/// Fields that hold a person id, at any depth of the kinds merged.
const PERSON_FIELDS: [&str; 6] = [
    "owner",
    "person",
    "assessor",
    "settled_by",
    "chair",
    "approved_by",
];

/// Renames person ids wherever a record holds one: a person field, or a list
/// of attendees, at any depth (an exit strategy's responsibilities, say).
fn rename_people(v: &mut Value, rename: &BTreeMap<String, String>) {
    match v {
        Value::Object(m) => {
            for (k, val) in m.iter_mut() {
                match val {
                    Value::String(p) if PERSON_FIELDS.contains(&k.as_str()) => {
                        if let Some(new) = rename.get(p.as_str()) {
                            *p = new.clone();
                        }
                    }
                    Value::Array(list) if k == "attendees" => {
                        for a in list.iter_mut() {
                            if let Some(new) = a.as_str().and_then(|p| rename.get(p)) {
                                *a = json!(new);
                            }
                        }
                    }
                    other => rename_people(other, rename),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rename_people(i, rename)),
        _ => {}
    }
}

fn text(v: &Value, field: &str) -> String {
    v.get(field)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// Drops null fields (and empty lists and maps), so the YAML written holds
/// only what the parties wrote.
pub fn prune(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let kept: Vec<(String, Value)> = m
                .into_iter()
                .map(|(k, v)| (k, prune(v)))
                .filter(|(_, v)| {
                    !(v.is_null()
                        || v.as_str().is_some_and(|t| t.trim().is_empty())
                        || v.as_array().is_some_and(Vec::is_empty)
                        || v.as_object().is_some_and(Map::is_empty))
                })
                .collect();
            // Sized to what is kept: grown by doubling, a joint register's
            // maps held a third more than their fields.
            let mut out = Map::with_capacity(kept.len());
            out.extend(kept);
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(prune).collect()),
        other => other,
    }
}

fn source(side: &Side<'_>, kind: &str, id: Option<&str>) -> Source {
    let file = kinds::by_name(kind).map_or("", |k| k.file);
    Source {
        party: side.party.clone(),
        file: format!("parties/{}/{file}", side.party),
        // A blank id is no id, as `prune` would leave it.
        id: id.filter(|t| !t.trim().is_empty()).map(str::to_string),
        commit: side.commit.clone(),
    }
}

/// The records of one kind from a side, with ids made unique per party
/// (`<party>-<id>`) unless `keep_ids`, person references renamed, and a
/// source. Each kind is taken once: the side holds it no more.
fn take(
    side: &Side<'_>,
    kind: &str,
    keep_ids: bool,
    rename: &BTreeMap<String, String>,
) -> Vec<Value> {
    let mut out = Vec::new();
    take_each(side, kind, keep_ids, rename, |v| out.push(v));
    out
}

/// As [`take`], a record at a time: a large register is never held whole as
/// JSON values.
fn take_each(
    side: &Side<'_>,
    kind: &str,
    keep_ids: bool,
    rename: &BTreeMap<String, String>,
    mut each: impl FnMut(Value),
) {
    // fork-joint keeps only these kinds' views once a plan is loaded.
    debug_assert!(KINDS_READ.contains(&kind), "{kind} is not in KINDS_READ");
    let views = side.views.borrow_mut().remove(kind).unwrap_or_default();
    for v in views {
        let mut value = v.value();
        drop(v.json);
        let id = v.id;
        if let Some(obj) = value.as_object_mut() {
            if let Some(id) = &id {
                let new = if keep_ids {
                    rename.get(id).cloned().unwrap_or_else(|| id.clone())
                } else {
                    format!("{}-{id}", side.party)
                };
                obj.insert("id".into(), json!(new));
            }
            let from = source(side, kind, id.as_deref());
            obj.insert("source".into(), json!(from));
        }
        rename_people(&mut value, rename);
        each(prune(value));
    }
}

/// A joint record as compact JSON text until it is written: as a tree of
/// values, 160,000 joint risks took some 350 MB.
pub struct Packed(Box<str>);

impl Packed {
    pub fn new(v: &Value) -> Packed {
        Packed(v.to_string().into_boxed_str())
    }

    pub fn value(&self) -> Value {
        serde_json::from_str(&self.0).unwrap_or_default()
    }
}

impl Serialize for Packed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(s)
    }
}

fn packed(records: Vec<Value>) -> Vec<Packed> {
    records.iter().map(Packed::new).collect()
}

struct Decisions(Vec<Decision>);

impl Decisions {
    fn add(
        &mut self,
        topic: &'static str,
        summary: String,
        records: Vec<String>,
        sources: Vec<Value>,
    ) {
        let sources = sources.iter().map(Source::of).collect();
        self.add_from(topic, summary, records, sources);
    }

    fn add_from(
        &mut self,
        topic: &'static str,
        summary: String,
        records: Vec<String>,
        sources: Vec<Source>,
    ) {
        let id = format!("JD-{}", self.0.len() + 1);
        self.0.push(Decision {
            id,
            topic,
            summary,
            records,
            sources,
            status: "open",
        });
    }
}

fn sid(v: &Value) -> String {
    text(v, "id")
}

/// The kinds of record `seed` reads from the parties' plans: the joint plan
/// starts at stage 5 with these, and the rest stay in each party's own plan.
pub const KINDS_READ: &[&str] = &["people", "ser", "objectives", "risks", "knowledge", "exit"];

pub fn seed(a: &Side<'_>, b: &Side<'_>) -> Seeded {
    let mut decisions = Decisions(Vec::new());
    let mut records: BTreeMap<&'static str, Vec<Packed>> = BTreeMap::new();
    let (people, rename_b) = people(a, b, &mut decisions);
    records.insert("people", packed(people));

    // SERs of both parties (clause 7.1.1).
    let none = BTreeMap::new();
    let mut ser = take(a, "ser", false, &none);
    ser.extend(take(b, "ser", false, &rename_b));
    records.insert("ser", packed(ser));
    let objectives = objectives(a, b, &rename_b, &mut decisions);
    records.insert("objectives", packed(objectives));
    records.insert("risks", risks(a, b, &rename_b, &mut decisions));

    // The knowledge map: one area per information area, with each party's stance.
    let knowledge = knowledge(a, b, &rename_b, &mut decisions);
    records.insert("knowledge", packed(knowledge));

    // The exit strategy: the union, to be agreed jointly.
    let exit = exit_strategy(a, b, &rename_b, &mut decisions);

    Seeded {
        records,
        exit,
        decisions: decisions.0,
        renamed_people: rename_b,
    }
}

/// Both parties' people. Ids are kept, but the second party's are renamed
/// where the first uses them: the people, and the renaming.
fn people(
    a: &Side<'_>,
    b: &Side<'_>,
    decisions: &mut Decisions,
) -> (Vec<Value>, BTreeMap<String, String>) {
    let a_people: BTreeSet<String> = a.ids("people").into_iter().collect();
    let mut rename_b = BTreeMap::new();
    for id in &b.ids("people") {
        if a_people.contains(id) {
            let new = format!("{}-{id}", b.party);
            decisions.add_from(
                "person-id",
                format!(
                    "both parties use the person id `{id}`; {}'s person is `{new}` in the joint plan: check whether they are the same person",
                    b.party_name
                ),
                vec![format!("people:{id}"), format!("people:{new}")],
                vec![source(a, "people", Some(id)), source(b, "people", Some(id))],
            );
            rename_b.insert(id.clone(), new);
        }
    }
    let none = BTreeMap::new();
    let mut people = take(a, "people", true, &none);
    let mut people_b = take(b, "people", true, &rename_b);
    for (list, side) in [(&mut people, a), (&mut people_b, b)] {
        for p in list.iter_mut() {
            if let Some(o) = p.as_object_mut() {
                o.entry("party").or_insert(json!(side.party));
            }
        }
    }
    people.extend(people_b);
    (people, rename_b)
}

/// Both parties' records of `kind`, one at a time, the first party's first,
/// the second's people renamed; `fill` gives each the fields it lacks from
/// its side, and `each` is told which side (0 or 1) it is from.
fn both_each(
    a: &Side<'_>,
    b: &Side<'_>,
    kind: &'static str,
    rename_b: &BTreeMap<String, String>,
    fill: impl Fn(&mut Map<String, Value>, &Side<'_>),
    mut each: impl FnMut(usize, Value),
) {
    let none = BTreeMap::new();
    for (n, (side, rename)) in [(a, &none), (b, rename_b)].into_iter().enumerate() {
        take_each(side, kind, false, rename, |mut r| {
            if let Some(m) = r.as_object_mut() {
                fill(m, side);
            }
            each(n, r);
        });
    }
}

/// Objectives side by side, each at its first step unless it says
/// otherwise; alike ones and conflicting ones become decisions.
fn objectives(
    a: &Side<'_>,
    b: &Side<'_>,
    rename_b: &BTreeMap<String, String>,
    decisions: &mut Decisions,
) -> Vec<Value> {
    let (mut objectives, mut own) = (Vec::new(), 0);
    let fill = |m: &mut Map<String, Value>, side: &Side<'_>| {
        m.entry("party").or_insert(json!(side.party));
        m.entry("state").or_insert(json!("own"));
    };
    both_each(a, b, "objectives", rename_b, fill, |n, o| {
        own += usize::from(n == 0);
        objectives.push(o);
    });
    let (oa, ob) = objectives.split_at(own);
    for (i, j) in alike_objective_pairs(oa, ob) {
        let (x, y) = (&oa[i], &ob[j]);
        decisions.add(
            "common-objective",
            format!(
                "objectives {} and {} look alike: agree one joint objective (state common, then agreed), or record why they stay apart",
                sid(x),
                sid(y)
            ),
            vec![format!("objectives:{}", sid(x)), format!("objectives:{}", sid(y))],
            vec![x["source"].clone(), y["source"].clone()],
        );
    }
    // An objective a party already marks as conflicting needs a joint answer.
    for o in objectives
        .iter()
        .filter(|o| text(o, "state") == "conflicting")
    {
        decisions.add(
            "conflicting-objective",
            format!(
                "objective {} is marked conflicting in its party's plan: agree how the conflict is managed, or drop it",
                sid(o)
            ),
            vec![format!("objectives:{}", sid(o))],
            vec![o["source"].clone()],
        );
    }
    objectives
}

/// The joint risk register: the union, with the party that raised each risk;
/// likely duplicates become decisions, never merged.
fn risks(
    a: &Side<'_>,
    b: &Side<'_>,
    rename_b: &BTreeMap<String, String>,
    decisions: &mut Decisions,
) -> Vec<Packed> {
    // Each risk is packed as soon as it is made; what the comparison and
    // the decisions need is kept beside it.
    struct Brief {
        id: String,
        title: String,
        source: Source,
    }
    let mut vocabulary = Vocabulary::default();
    let (mut words, mut briefs, mut out) = ([Vec::new(), Vec::new()], Vec::new(), Vec::new());
    let fill = |m: &mut Map<String, Value>, side: &Side<'_>| {
        // A risk the party noted as raised by its partner keeps that.
        m.entry("raised_by").or_insert(json!(side.party));
    };
    both_each(a, b, "risks", rename_b, fill, |n, r| {
        words[n].push(risk_words(&r, &mut vocabulary));
        briefs.push(Brief {
            id: sid(&r),
            title: text(&r, "title"),
            source: Source::of(&r["source"]),
        });
        out.push(Packed::new(&r));
    });
    let own = words[0].len();
    for (i, j) in risk_pairs(&words[0], &words[1], vocabulary.len()) {
        let (x, y) = (&briefs[i], &briefs[own + j]);
        decisions.add_from(
            "duplicate-risk",
            format!(
                "risks {} (\"{}\") and {} (\"{}\") look like the same risk: merge them into one joint risk with an agreed owner and rating, or record why they differ",
                x.id, x.title, y.id, y.title
            ),
            vec![format!("risks:{}", x.id), format!("risks:{}", y.id)],
            vec![x.source.clone(), y.source.clone()],
        );
    }
    out
}

/// Pairs of objectives (one of each party) whose benefit and measure look
/// alike, each objective in at most one pair, the most alike first.
pub fn alike_objective_pairs(oa: &[Value], ob: &[Value]) -> Vec<(usize, usize)> {
    let mut vocabulary = Vocabulary::default();
    let mut bag =
        |o: &Value| vocabulary.ids(&format!("{} {}", text(o, "benefit"), text(o, "measure")));
    let wa: Vec<Vec<u32>> = oa.iter().map(&mut bag).collect();
    let wb: Vec<Vec<u32>> = ob.iter().map(&mut bag).collect();
    let mut index = Index::new(
        wb.iter().map(|w| (w.as_slice(), w.as_slice())),
        vocabulary.len(),
    );
    let keyed: Vec<(&[u32], &[u32])> = wa.iter().map(|w| (&w[..], &w[..])).collect();
    alike::one_to_one(&keyed, &mut index, ob.len(), |i, j| {
        let s = overlap(&wa[i], &wb[j]);
        if s >= 0.5 {
            (s, jaccard(&wa[i], &wb[j]))
        } else {
            (0.0, 0.0)
        }
    })
}

/// A risk's words, as ids into one shared vocabulary, sorted.
struct RiskWords {
    title: Vec<u32>,
    /// Title, description and triggers together.
    full: Vec<u32>,
    /// The category, as an id of the vocabulary.
    category: Option<u32>,
}

fn risk_words(r: &Value, vocabulary: &mut Vocabulary) -> RiskWords {
    let triggers: Vec<&str> = r
        .get("triggers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let full = format!(
        "{} {} {}",
        text(r, "title"),
        text(r, "description"),
        triggers.join(" ")
    );
    RiskWords {
        title: vocabulary.ids(&text(r, "title")),
        full: vocabulary.ids(&full),
        category: r
            .get("category")
            .map(|c| vocabulary.id(&format!("category {c}"))),
    }
}

/// How alike two risks are (0 when they are not): their titles, or, when they
/// are of the same category, their titles, descriptions and triggers together.
fn risk_likeness(x: &RiskWords, y: &RiskWords) -> f64 {
    let title = overlap(&x.title, &y.title);
    let same_category = x.category.is_some() && x.category == y.category;
    let full = if same_category {
        overlap(&x.full, &y.full)
    } else {
        0.0
    };
    match (title >= 0.5, full >= 0.35) {
        (false, false) => 0.0,
        _ => title.max(full),
    }
}

/// The pairs of risks (one of each party) that look like one risk, each risk
/// in at most one pair, the most alike first; returned in register order.
/// Risks with the same title are always compared (see [`alike`]).
pub fn alike_risk_pairs(ra: &[Value], rb: &[Value]) -> Vec<(usize, usize)> {
    let mut vocabulary = Vocabulary::default();
    let wa: Vec<RiskWords> = ra.iter().map(|r| risk_words(r, &mut vocabulary)).collect();
    let wb: Vec<RiskWords> = rb.iter().map(|r| risk_words(r, &mut vocabulary)).collect();
    risk_pairs(&wa, &wb, vocabulary.len())
}

/// [`alike_risk_pairs`] from the risks' words, made with one vocabulary of
/// `words` words.
fn risk_pairs(wa: &[RiskWords], wb: &[RiskWords], words: usize) -> Vec<(usize, usize)> {
    let mut index = Index::new(
        wb.iter().map(|w| (w.full.as_slice(), w.title.as_slice())),
        words,
    );
    let keyed: Vec<(&[u32], &[u32])> = wa.iter().map(|w| (&w.full[..], &w.title[..])).collect();
    alike::one_to_one(&keyed, &mut index, wb.len(), |i, j| {
        let (x, y) = (&wa[i], &wb[j]);
        match risk_likeness(x, y) {
            0.0 => (0.0, 0.0),
            s => (s, jaccard(&x.full, &y.full)),
        }
    })
}

fn stance_of(v: &Value) -> Option<String> {
    v.get("stance").and_then(Value::as_str).map(str::to_string)
}

/// One joint knowledge area from one party's area, or from both parties'
/// areas on the same information: each stance, everyone it may go to, both
/// notes and both sources.
fn joint_area(id: &str, parts: &[(&Side<'_>, &Value)]) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    m.insert("area".into(), json!(text(parts[0].1, "area")));
    let mut stances = Map::new();
    let mut shared: Vec<Value> = Vec::new();
    let mut notes = Vec::new();
    for (side, v) in parts {
        if let Some(s) = stance_of(v) {
            stances.insert(side.party.clone(), json!(s));
        }
        for r in v
            .get("shared_with")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !shared.contains(r) {
                shared.push(r.clone());
            }
        }
        let note = text(v, "note");
        if !note.is_empty() {
            notes.push(if parts.len() > 1 {
                format!("{}: {note}", side.party_name)
            } else {
                note
            });
        }
    }
    m.insert("stances".into(), Value::Object(stances));
    m.insert("shared_with".into(), Value::Array(shared));
    if let Some(owner) = parts.iter().find_map(|(_, v)| v.get("owner")) {
        m.insert("owner".into(), owner.clone());
    }
    m.insert("note".into(), json!(notes.join(" ")));
    match parts {
        [(_, v)] => {
            m.insert("source".into(), v["source"].clone());
        }
        _ => {
            m.insert(
                "sources".into(),
                Value::Array(parts.iter().map(|(_, v)| v["source"].clone()).collect()),
            );
        }
    }
    prune(Value::Object(m))
}

fn knowledge(
    a: &Side<'_>,
    b: &Side<'_>,
    rename_b: &BTreeMap<String, String>,
    d: &mut Decisions,
) -> Vec<Value> {
    let none = BTreeMap::new();
    let areas_a = take(a, "knowledge", false, &none);
    let areas_b = take(b, "knowledge", false, rename_b);
    let mut used_b = vec![false; areas_b.len()];
    let mut out = Vec::new();
    let one_sided =
        |d: &mut Decisions, area: &str, id: &str, has: &Side<'_>, lacks: &Side<'_>, src: &Value| {
            d.add(
                "knowledge-conflict",
                format!(
                    "\"{area}\" is in {}'s knowledge map only: {} to state its stance",
                    has.party_name, lacks.party_name
                ),
                vec![format!("knowledge:{id}")],
                vec![src.clone()],
            );
        };
    let mut vocabulary = Vocabulary::default();
    let bag_b: Vec<Vec<u32>> = areas_b
        .iter()
        .map(|y| vocabulary.ids(&text(y, "area")))
        .collect();
    let norm_b: Vec<String> = areas_b.iter().map(|y| norm(&text(y, "area"))).collect();
    let mut by_norm: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, n) in norm_b.iter().enumerate() {
        by_norm.entry(n).or_default().push(i);
    }
    let mut index = Index::new(
        bag_b.iter().map(|w| (w.as_slice(), &[][..])),
        vocabulary.len(),
    );
    for x in &areas_a {
        let area = text(x, "area");
        let (n, bag) = (norm(&area), vocabulary.ids(&area));
        // The partner's first area not yet matched that is the same, or
        // nearly the same words.
        let matched = by_norm
            .get(n.as_str())
            .into_iter()
            .flatten()
            .copied()
            .chain(index.candidates(&bag, &[]))
            .filter(|&i| !used_b[i] && (norm_b[i] == n || overlap(&bag, &bag_b[i]) >= 0.8))
            .min()
            .map(|i| (i, &areas_b[i]));
        let id = format!("K-{}", out.len() + 1);
        match matched {
            Some((i, y)) => {
                used_b[i] = true;
                out.push(joint_area(&id, &[(a, x), (b, y)]));
                let (sa, sb) = (stance_of(x), stance_of(y));
                if sa != sb {
                    d.add(
                        "knowledge-conflict",
                        format!(
                            "\"{area}\": {} says {}, {} says {}: agree one stance for the joint relationship",
                            a.party_name,
                            sa.as_deref().unwrap_or("nothing"),
                            b.party_name,
                            sb.as_deref().unwrap_or("nothing")
                        ),
                        vec![format!("knowledge:{id}")],
                        vec![x["source"].clone(), y["source"].clone()],
                    );
                }
            }
            None => {
                out.push(joint_area(&id, &[(a, x)]));
                one_sided(d, &area, &id, a, b, &x["source"]);
            }
        }
    }
    for (i, y) in areas_b.iter().enumerate() {
        if used_b[i] {
            continue;
        }
        let id = format!("K-{}", out.len() + 1);
        out.push(joint_area(&id, &[(b, y)]));
        one_sided(d, &text(y, "area"), &id, b, a, &y["source"]);
    }
    out
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The joint exit strategy: both parties' lists without repeats, both texts
/// (notice period, continuity, future opportunities) labelled by party, and
/// both sources. The first party's owner holds it until the partners agree;
/// it has not been reviewed together yet, so `last_reviewed` is left out.
fn exit_strategy(
    a: &Side<'_>,
    b: &Side<'_>,
    rename_b: &BTreeMap<String, String>,
    d: &mut Decisions,
) -> Option<Value> {
    let none = BTreeMap::new();
    let parts: Vec<(&Side<'_>, Value)> = [(a, &none), (b, rename_b)]
        .into_iter()
        .filter_map(|(side, rename)| {
            take(side, "exit", true, rename)
                .into_iter()
                .next()
                .map(|e| (side, e))
        })
        .collect();
    if parts.is_empty() {
        return None;
    }
    let mut m = Map::new();
    if let Some(owner) = parts.iter().find_map(|(_, e)| e.get("owner")) {
        m.insert("owner".into(), owner.clone());
    }
    for field in [
        "triggers",
        "key_concerns",
        "process_issues",
        "transition",
        "responsibilities",
    ] {
        let mut items: Vec<Value> = Vec::new();
        for (_, e) in &parts {
            for item in e.get(field).and_then(Value::as_array).into_iter().flatten() {
                let same = |i: &Value| match (i.as_str(), item.as_str()) {
                    (Some(x), Some(y)) => norm(x) == norm(y),
                    _ => i == item,
                };
                if !items.iter().any(same) {
                    items.push(item.clone());
                }
            }
        }
        m.insert(field.into(), Value::Array(items));
    }
    for field in ["notice_period", "continuity", "future_opportunities"] {
        let texts: Vec<String> = parts
            .iter()
            .filter_map(|(side, e)| {
                let t = text(e, field);
                (!t.is_empty()).then(|| {
                    if parts.len() > 1 {
                        format!("{}: {t}", side.party_name)
                    } else {
                        t
                    }
                })
            })
            .collect();
        m.insert(field.into(), json!(texts.join(" ")));
    }
    let sources: Vec<Value> = parts.iter().map(|(_, e)| e["source"].clone()).collect();
    m.insert("sources".into(), Value::Array(sources.clone()));
    d.add(
        "exit-strategy",
        "the joint exit strategy holds both parties' triggers, concerns, process issues and notice periods: agree them and who does what on exit, then review it together (set last_reviewed)".to_string(),
        vec!["exit".to_string()],
        sources,
    );
    Some(prune(Value::Object(m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_drops_empty_values() {
        let v = prune(json!({"a": null, "b": [], "c": {"d": null}, "e": 1}));
        assert_eq!(v, json!({"e": 1}));
    }

    #[test]
    fn prune_keeps_the_order_of_fields() {
        let v = prune(json!({"z": 1, "a": "", "m": {"y": 2, "b": null, "c": 3}}));
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"z":1,"m":{"y":2,"c":3}}"#
        );
    }

    #[test]
    fn a_packed_record_reads_back_the_same() {
        let v = json!({"z": 0.30000000000000004, "a": 1e300, "n": -17, "big": u64::MAX,
            "t": "line\nbreak \u{1F600} \"quoted\"", "l": [true, null, {"k": 2.5}]});
        let back = Packed::new(&v).value();
        assert_eq!(back, v);
        // The order of fields is the order written.
        assert_eq!(back.to_string(), v.to_string());
        // And it is written as the same YAML.
        let packed = serde_saphyr::to_string(&Packed::new(&v)).unwrap();
        assert_eq!(packed, serde_saphyr::to_string(&v).unwrap());
    }

    #[test]
    fn a_decision_source_is_written_as_the_record_source() {
        let full = json!({"party": "acme", "file": "parties/acme/registers/risks.yaml", "id": "R-1", "commit": "abc"});
        assert_eq!(serde_json::to_value(Source::of(&full)).unwrap(), full);
        // Without an id (a whole file), as prune left it.
        let file = json!({"party": "acme", "file": "f", "id": " ", "commit": "abc"});
        assert_eq!(
            serde_json::to_value(Source::of(&file)).unwrap(),
            json!({"party": "acme", "file": "f", "commit": "abc"})
        );
    }
}

#[cfg(test)]
mod rename_tests {
    use super::*;

    #[test]
    fn people_are_renamed_at_any_depth() {
        let rename: BTreeMap<String, String> =
            [("pk".to_string(), "meridian-pk".to_string())].into();
        let mut v = json!({
            "owner": "pk",
            "responsibilities": [{"person": "pk", "duty": "Serves notice"}, {"person": "other"}],
            "attendees": ["pk", "x"],
            "title": "pk",
        });
        rename_people(&mut v, &rename);
        assert_eq!(v["owner"], "meridian-pk");
        assert_eq!(v["responsibilities"][0]["person"], "meridian-pk");
        assert_eq!(v["responsibilities"][1]["person"], "other");
        assert_eq!(v["attendees"][0], "meridian-pk");
        assert_eq!(v["title"], "pk", "only person fields are renamed");
    }
}
