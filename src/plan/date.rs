//! Calendar dates as written in the plan: `2026-03-31`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    pub fn parse(text: &str) -> Option<Date> {
        Date::read(text).ok()
    }

    /// The date, or why the text is none: the wrong form, or a day the
    /// calendar does not have (`2026-02-30`), said as such.
    pub fn read(text: &str) -> Result<Date, String> {
        let text = text.trim();
        const FORM: &str = "write it as YYYY-MM-DD, such as 2026-03-31";
        // Only the ISO form: other spellings are ambiguous between countries.
        let b = text.as_bytes();
        if text.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(FORM.into());
        }
        let num = |r: std::ops::Range<usize>| {
            text.get(r)
                .filter(|s| s.bytes().all(|c| c.is_ascii_digit()))
                .and_then(|s| s.parse::<i16>().ok())
        };
        let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
            return Err(FORM.into());
        };
        if !(1..=12).contains(&m) {
            return Err(format!("there is no month {m}; months run from 01 to 12"));
        }
        let first = jiff::civil::Date::new(y, m as i8, 1).map_err(|_| FORM.to_string())?;
        let days = first.days_in_month();
        if d < 1 || d > i16::from(days) {
            return Err(format!(
                "{} has {days} days, so there is no day {d} in it",
                first.strftime("%B %Y")
            ));
        }
        Ok(Date(jiff::civil::date(y, m as i8, d as i8)))
    }

    pub fn days_until(self, later: Date) -> i64 {
        let span = self.0.until(later.0).unwrap_or_default();
        i64::from(span.get_days())
    }

    /// The date `days` later (earlier when negative); the last date there
    /// is when that runs off the calendar.
    pub fn plus_days(self, days: i64) -> Date {
        let span = jiff::Span::new().days(days.clamp(-7_000_000, 7_000_000));
        Date(self.0.checked_add(span).unwrap_or(if days < 0 {
            jiff::civil::Date::MIN
        } else {
            jiff::civil::Date::MAX
        }))
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
                Date::read(v).map_err(|why| E::custom(format!("`{v}` is not a valid date: {why}")))
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
        assert_eq!(Date::parse("2026-0a-31"), None);
    }

    #[test]
    fn a_day_the_calendar_lacks_is_said_to_be_one() {
        assert_eq!(
            Date::read("2026-02-30").unwrap_err(),
            "February 2026 has 28 days, so there is no day 30 in it"
        );
        assert_eq!(Date::read("2028-02-29").unwrap(), Date::ymd(2028, 2, 29));
        assert_eq!(
            Date::read("2026-13-01").unwrap_err(),
            "there is no month 13; months run from 01 to 12"
        );
        assert!(Date::read("26-01-2026").unwrap_err().contains("YYYY-MM-DD"));
    }

    #[test]
    fn counts_days() {
        assert_eq!(Date::ymd(2025, 1, 1).days_until(Date::ymd(2026, 1, 1)), 365);
        assert_eq!(Date::ymd(2026, 1, 10).days_until(Date::ymd(2026, 1, 1)), -9);
    }
}
