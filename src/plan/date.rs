//! Calendar dates as written in the plan: `2026-03-31`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        // Only the ISO form: other spellings are ambiguous between countries.
        if text.len() != 10 || text.as_bytes()[4] != b'-' || text.as_bytes()[7] != b'-' {
            return None;
        }
        text.parse::<jiff::civil::Date>().ok().map(Date)
    }

    pub fn days_until(self, later: Date) -> i64 {
        let span = self.0.until(later.0).unwrap_or_default();
        i64::from(span.get_days())
    }

    pub fn ymd(y: i16, m: i8, d: i8) -> Date {
        Date(jiff::civil::date(y, m, d))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "a date, YYYY-MM-DD"
        })
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written as YYYY-MM-DD, such as 2026-03-31")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).ok_or_else(|| {
                    E::custom(format!(
                        "`{v}` is not a valid date: write it as YYYY-MM-DD, such as 2026-03-31"
                    ))
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
                let text: Option<(String, String)> = map.next_entry()?;
                match text {
                    Some((_, v)) => self.visit_str(&v),
                    None => Err(serde::de::Error::custom(
                        "expected a date such as 2026-03-31",
                    )),
                }
            }
        }
        // TOML hands its native dates over as a one-entry map.
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso_dates_only() {
        assert_eq!(Date::parse("2026-03-31"), Some(Date::ymd(2026, 3, 31)));
        assert_eq!(Date::parse("2026-02-30"), None);
        assert_eq!(Date::parse("31/03/2026"), None);
        assert_eq!(Date::parse("2026-3-31"), None);
    }

    #[test]
    fn counts_days() {
        assert_eq!(Date::ymd(2025, 1, 1).days_until(Date::ymd(2026, 1, 1)), 365);
        assert_eq!(Date::ymd(2026, 1, 10).days_until(Date::ymd(2026, 1, 1)), -9);
    }
}
