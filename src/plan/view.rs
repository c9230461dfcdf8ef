//! Records seen generically, for the checklist's rules, the calendar and the
//! pack's tables. A view borrows its typed record and reads a field only when
//! asked, by serialising that one field: holding every record a second time
//! as JSON values took more memory than the typed records themselves.

use serde::Serialize;
use serde::ser::{self, Impossible};
use serde_json::Value;
use serde_saphyr::Spanned;

use super::date::Date;
use super::{HasId, Records, record_pos};
use crate::diag::Pos;

/// One record seen generically: its id, where it starts, and its fields.
#[derive(Clone, Copy)]
pub struct RecordView<'p> {
    pub id: Option<&'p str>,
    pub pos: Pos,
    record: &'p (dyn Fields + Sync),
}

/// A record's generic form, owned: fork-joint keeps these once the typed
/// records are dropped. Kept as compact JSON text, read back when used: as a
/// tree of JSON values a record takes several times its text.
#[derive(Debug, Clone)]
pub struct OwnedView {
    pub id: Option<String>,
    pub pos: Pos,
    pub json: Box<str>,
}

impl OwnedView {
    pub fn value(&self) -> Value {
        serde_json::from_str(&self.json).unwrap_or_default()
    }
}

impl<'p> RecordView<'p> {
    /// A view of any serialisable value (the rules' unit tests use JSON).
    pub fn of(id: Option<&'p str>, pos: Pos, record: &'p (dyn Fields + Sync)) -> Self {
        RecordView { id, pos, record }
    }

    /// The value at a dotted path (`reviews`, `scores.overall`); a list on
    /// the way is not looked into.
    pub fn get(&self, path: &str) -> Option<Value> {
        let (first, rest) = match path.split_once('.') {
            Some((f, r)) => (f, Some(r)),
            None => (path, None),
        };
        let mut v = self.record.pick(first)?;
        for key in rest.into_iter().flat_map(|r| r.split('.')) {
            v = match v {
                Value::Object(mut m) => m.remove(key)?,
                _ => return None,
            };
        }
        Some(v)
    }

    /// The text at a path, when it is text.
    pub fn text(&self, path: &str) -> Option<String> {
        match self.get(path)? {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The date at a path, when it is one.
    pub fn date(&self, path: &str) -> Option<Date> {
        self.text(path).as_deref().and_then(Date::parse)
    }

    /// Every date at `path`: a list on the way gives a date per item
    /// (`reviews.date`), and `a|b` the dates of both.
    pub fn dates(&self, path: &str) -> Vec<Date> {
        let mut out = Vec::new();
        for alt in path.split('|') {
            let (first, rest) = alt.split_once('.').unwrap_or((alt, ""));
            if let Some(v) = self.record.pick(first) {
                let keys: Vec<&str> = rest.split('.').filter(|k| !k.is_empty()).collect();
                dates_in(&v, &keys, &mut out);
            }
        }
        out
    }

    /// The whole record as JSON, for a pack's table row.
    pub fn value(&self) -> Value {
        self.record.whole()
    }

    pub fn owned(&self) -> OwnedView {
        OwnedView {
            id: self.id.map(str::to_string),
            pos: self.pos,
            json: self.record.json().into_boxed_str(),
        }
    }
}

fn dates_in(v: &Value, keys: &[&str], out: &mut Vec<Date>) {
    match (v, keys.split_first()) {
        (Value::Array(items), _) => items.iter().for_each(|i| dates_in(i, keys, out)),
        (Value::String(s), None) => out.extend(Date::parse(s)),
        (Value::Object(o), Some((key, rest))) => {
            if let Some(v) = o.get(*key) {
                dates_in(v, rest, out);
            }
        }
        _ => {}
    }
}

/// What a view needs of a record: one top-level field, or all of it.
pub trait Fields {
    fn pick(&self, key: &str) -> Option<Value>;
    fn whole(&self) -> Value;
    /// The whole record as compact JSON text.
    fn json(&self) -> String;
}

impl<T: Serialize> Fields for T {
    fn pick(&self, key: &str) -> Option<Value> {
        match self.serialize(Pick { key }) {
            Ok(found) => found,
            // Not a struct or a map: read it whole (no record is such).
            Err(_) => self.whole().as_object_mut()?.remove(key),
        }
    }

    fn whole(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "null".to_string())
    }
}

fn listed<T: Serialize + Sync + HasId>(items: &[Spanned<T>]) -> Vec<RecordView<'_>> {
    items
        .iter()
        .map(|s| RecordView::of(Some(&s.value.id().value), record_pos(s), &s.value))
        .collect()
}

fn single<T: Serialize + Sync>(item: &Option<Spanned<T>>) -> Vec<RecordView<'_>> {
    item.iter()
        .map(|s| RecordView::of(None, record_pos(s), &s.value))
        .collect()
}

/// Each kind's records are in the field of the same name.
macro_rules! by_kind {
    (lists: $($list:ident),*; singles: $($single:ident),*) => {
        impl Records {
            /// The records of one kind, by its name; none for a name that is no kind.
            pub fn views(&self, kind: &str) -> Vec<RecordView<'_>> {
                match kind {
                    $(stringify!($list) => listed(&self.$list),)*
                    $(stringify!($single) => single(&self.$single),)*
                    _ => Vec::new(),
                }
            }

            /// Drops one kind's records.
            pub fn clear(&mut self, kind: &str) {
                match kind {
                    $(stringify!($list) => self.$list = Vec::new(),)*
                    $(stringify!($single) => self.$single = None,)*
                    _ => {}
                }
            }
        }
    };
}

by_kind!(
    lists: people, ser, relationships, objectives, skills, risks, actions, issues, reviews,
        assessments, value, audits, knowledge, criteria, candidates, stakeholders, kpis,
        decisions, meetings, lessons;
    singles: exit, maturity, governance
);

/// A serializer that keeps one field of a struct or map and skips the rest
/// without serialising them.
struct Pick<'k> {
    key: &'k str,
}

struct PickStruct<'k> {
    key: &'k str,
    found: Option<Value>,
}

struct PickMap<'k> {
    key: &'k str,
    matched: bool,
    found: Option<Value>,
}

type Error = serde_json::Error;

fn not_a_record<T>() -> Result<T, Error> {
    Err(ser::Error::custom("not a record"))
}

impl<'k> ser::Serializer for Pick<'k> {
    type Ok = Option<Value>;
    type Error = Error;
    type SerializeSeq = Impossible<Option<Value>, Error>;
    type SerializeTuple = Impossible<Option<Value>, Error>;
    type SerializeTupleStruct = Impossible<Option<Value>, Error>;
    type SerializeTupleVariant = Impossible<Option<Value>, Error>;
    type SerializeMap = PickMap<'k>;
    type SerializeStruct = PickStruct<'k>;
    type SerializeStructVariant = Impossible<Option<Value>, Error>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<PickStruct<'k>, Error> {
        Ok(PickStruct {
            key: self.key,
            found: None,
        })
    }

    fn serialize_map(self, _: Option<usize>) -> Result<PickMap<'k>, Error> {
        Ok(PickMap {
            key: self.key,
            matched: false,
            found: None,
        })
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Error> {
        value.serialize(self)
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Self::Ok, Error> {
        value.serialize(self)
    }

    fn serialize_bool(self, _: bool) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_i8(self, _: i8) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_i16(self, _: i16) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_i32(self, _: i32) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_i64(self, _: i64) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_u8(self, _: u8) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_u16(self, _: u16) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_u32(self, _: u32) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_u64(self, _: u64) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_f32(self, _: f32) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_f64(self, _: f64) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_char(self, _: char) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_str(self, _: &str) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_none(self) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_unit(self) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, Error> {
        not_a_record()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        not_a_record()
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        not_a_record()
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        not_a_record()
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        not_a_record()
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        not_a_record()
    }
}

impl ser::SerializeStruct for PickStruct<'_> {
    type Ok = Option<Value>;
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if self.found.is_none() && key == self.key {
            self.found = Some(serde_json::to_value(value)?);
        }
        Ok(())
    }

    fn end(self) -> Result<Option<Value>, Error> {
        Ok(self.found)
    }
}

impl ser::SerializeMap for PickMap<'_> {
    type Ok = Option<Value>;
    type Error = Error;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        self.matched =
            self.found.is_none() && serde_json::to_value(key)?.as_str() == Some(self.key);
        Ok(())
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        if self.matched {
            self.found = Some(serde_json::to_value(value)?);
            self.matched = false;
        }
        Ok(())
    }

    fn end(self) -> Result<Option<Value>, Error> {
        Ok(self.found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_picked_field_is_the_same_as_the_whole_records() {
        let text = "risks:\n  - id: R-1\n    title: Depot fire\n    likelihood: 4\n    impact: 3\n    owner: ops\n    status: open\n    review_date: 2026-03-01\n    responses: [reduce, accept]\n    triggers: [flood]\n";
        let risks: Vec<Spanned<super::super::records::Risk>> =
            super::super::yaml::parse_keyed("registers/risks.yaml", text, "risks")
                .unwrap()
                .unwrap();
        let mut records = Records {
            risks,
            ..Default::default()
        };
        let views = records.views("risks");
        assert_eq!(views.len(), 1);
        let v = views[0];
        assert_eq!(v.id, Some("R-1"));
        assert_eq!(v.pos.line, 2);
        let whole = v.value();
        for (key, value) in whole.as_object().unwrap() {
            assert_eq!(v.get(key).as_ref(), Some(value), "{key}");
        }
        assert_eq!(v.get("nothing"), None);
        assert_eq!(v.text("owner").as_deref(), Some("ops"));
        assert_eq!(v.date("review_date"), Date::parse("2026-03-01"));
        assert!(records.views("issues").is_empty());
        assert!(records.views("no such kind").is_empty());
        records.clear("risks");
        assert!(records.views("risks").is_empty());
    }

    #[test]
    fn paths_go_into_maps_and_lists() {
        let record = json!({
            "last_reviewed": "2025-01-10",
            "scores": {"overall": 2, "trust": {"now": 3}},
            "reviews": [{"date": "2025-06-01"}, {"date": "not a date"}, {"note": "x"}, {"date": "2026-02-03"}],
        });
        let v = RecordView::of(Some("X"), Pos::new(1, 1), &record);
        assert_eq!(v.get("scores.overall"), Some(json!(2)));
        assert_eq!(v.get("scores.trust.now"), Some(json!(3)));
        assert_eq!(v.get("scores.none"), None);
        assert_eq!(v.get("reviews.date"), None);
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(
            v.dates("reviews.date"),
            vec![d("2025-06-01"), d("2026-02-03")]
        );
        assert_eq!(
            v.dates("last_reviewed|reviews.date"),
            vec![d("2025-01-10"), d("2025-06-01"), d("2026-02-03")]
        );
        assert!(v.dates("scores").is_empty());
    }
}
