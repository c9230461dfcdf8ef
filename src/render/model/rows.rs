//! A table's rows as the templates see them: handed over without a copy and
//! each row made a template value only when a page reaches it. At four times
//! the bench's reference size the registers hold 80,000 risks; a full copy
//! of every row for each page drawn was the largest part of `render`'s peak.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use serde::{Serialize, Serializer};

use super::Row;

/// The rows of a table, shared.
#[derive(Clone, Default)]
pub struct Rows(Arc<[Row]>);

impl From<Vec<Row>> for Rows {
    fn from(rows: Vec<Row>) -> Rows {
        Rows(rows.into())
    }
}

impl Deref for Rows {
    type Target = [Row];
    fn deref(&self) -> &[Row] {
        &self.0
    }
}

impl fmt::Debug for Rows {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} rows", self.0.len())
    }
}

impl Serialize for Rows {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // To a template: a list that makes each row when it is asked for.
        // To anything else (JSON, tests): the rows themselves.
        if minijinja::value::serializing_for_value() {
            Value::from_object(Lazy(self.0.clone())).serialize(s)
        } else {
            self.0.as_ref().serialize(s)
        }
    }
}

/// The rows as a minijinja sequence.
struct Lazy(Arc<[Row]>);

impl fmt::Debug for Lazy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} rows", self.0.len())
    }
}

impl Object for Lazy {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let row = self.0.get(key.as_usize()?)?;
        Some(Value::from(minijinja::value::Serde(row)))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize) -> Rows {
        (0..n)
            .map(|i| Row {
                anchor: format!("r-{i}"),
                cells: vec![format!("R-{i:03}"), "open".to_string()],
                attention: (i == 1).then(|| "high score".to_string()),
                rank: 0,
            })
            .collect::<Vec<_>>()
            .into()
    }

    fn draw(source: &str, rows: Rows) -> String {
        let env = minijinja::Environment::new();
        let ctx = minijinja::context! { t => Value::from(minijinja::value::Serde(serde_json::json!({}))), rows => Value::from(minijinja::value::Serde(&rows)) };
        env.render_str(source, ctx).unwrap()
    }

    #[test]
    fn a_template_sees_the_rows_as_a_list() {
        let src = "{{ rows|length }}:{% for r in rows %}{{ r.cells[0] }}/{{ r.attention or '-' }} {% endfor %}{{ rows[1].anchor }} {{ rows[-1].anchor }} {% if rows %}some{% endif %}";
        assert_eq!(
            draw(src, rows(3)),
            "3:R-000/- R-001/high score R-002/- r-1 r-2 some"
        );
        assert_eq!(
            draw("{% if rows %}some{% else %}none{% endif %}", rows(0)),
            "none"
        );
        assert_eq!(
            draw("{{ rows[:2]|map(attribute='anchor')|join(',') }}", rows(3)),
            "r-0,r-1"
        );
    }

    #[test]
    fn anything_else_sees_the_rows_themselves() {
        let json = serde_json::to_value(rows(2)).unwrap();
        assert_eq!(json[1]["cells"][0], "R-001");
        assert_eq!(json.as_array().unwrap().len(), 2);
    }
}
