//! What falls due, and when: the dates a plan in operation keeps to, from
//! its records (an action's due date) and its cadences (the next SER review
//! is due an interval after the last). For `bsrmp status` and the iCalendar
//! export a manager puts in their calendar.

use crate::diag::Location;
use crate::plan::date::Date;
use crate::plan::{Plan, kinds, record_pos};

/// One thing due by a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub date: Date,
    /// What is due, in a few words.
    pub what: String,
    /// The record that sets the date.
    pub at: Location,
    /// A name for it that stays the same from one export to the next, so a
    /// calendar updates the event rather than adding another.
    pub key: String,
}

fn file(kind: &str) -> &'static str {
    kinds::by_name(kind).map_or("", |k| k.file)
}

/// Every date the plan keeps to, passed or ahead, earliest first.
pub fn all(plan: &Plan) -> Vec<Due> {
    let mut out = Vec::new();
    records(plan, &mut out);
    cadences(plan, &mut out);
    out.sort_by(|a, b| (a.date, &a.key).cmp(&(b.date, &b.key)));
    out
}

/// Dates written in the records: open actions, escalations, risk reviews,
/// audits not yet held, inductions, narratives' review dates.
fn records(plan: &Plan, out: &mut Vec<Due>) {
    let r = &plan.records;
    let mut push = |date: Date, what: String, kind: &str, pos, key: String| {
        out.push(Due {
            date,
            what,
            at: Location::at(file(kind), pos),
            key,
        })
    };
    for s in &r.actions {
        let a = &s.value;
        if let (Some(d), true) = (a.due, a.is_open()) {
            let title = a.title.as_deref().unwrap_or("");
            push(
                d,
                format!("Action {}: {title}", a.id.value),
                "actions",
                record_pos(s),
                format!("action/{}", a.id.value),
            );
        }
    }
    for s in &r.issues {
        let i = &s.value;
        if let (Some(d), true) = (i.escalate_by, i.is_open()) {
            let title = i.title.as_deref().unwrap_or("");
            push(
                d,
                format!("Issue {}: escalate or resolve ({title})", i.id.value),
                "issues",
                record_pos(s),
                format!("issue/{}", i.id.value),
            );
        }
    }
    for s in &r.risks {
        let k = &s.value;
        if let (Some(d), true) = (k.review_date, k.is_open()) {
            let title = k.title.as_deref().unwrap_or("");
            push(
                d,
                format!("Risk {}: re-assess ({title})", k.id.value),
                "risks",
                record_pos(s),
                format!("risk/{}", k.id.value),
            );
        }
    }
    for s in &r.audits {
        let a = &s.value;
        if let (Some(d), None) = (a.planned, a.done) {
            let scope = a.scope.as_deref().unwrap_or("");
            push(
                d,
                format!("Audit {}: {scope}", a.id.value),
                "audits",
                record_pos(s),
                format!("audit/{}", a.id.value),
            );
        }
    }
    let induction = i64::from(plan.manifest.intervals.induction_days);
    for s in &r.people {
        let p = &s.value;
        if let (Some(joined), None, None) = (p.joined, p.inducted, p.left) {
            let name = p.name.as_deref().unwrap_or(&p.id.value);
            push(
                joined.plus_days(induction),
                format!("Induct {name} into the relationship"),
                "people",
                record_pos(s),
                format!("induct/{}", p.id.value),
            );
        }
    }
    for doc in plan.documents.values() {
        if let Some(d) = doc.front.review_by {
            out.push(Due {
                date: d,
                what: format!("Review {}", doc.path),
                at: Location {
                    file: doc.path.clone(),
                    pos: doc.front_line.map(|l| crate::diag::Pos::new(l, 1)),
                },
                key: format!("review/{}", doc.path),
            });
        }
    }
}

/// Dates that follow from a cadence: the next one is due an interval after
/// the latest (the latest SER review, meeting, assessment of each party,
/// exit strategy review, value review, and each measure's latest result).
fn cadences(plan: &Plan, out: &mut Vec<Due>) {
    let i = &plan.manifest.intervals;
    let mut next =
        |kind: &str, field: &str, days: u32, what: String, key: String, party: Option<&str>| {
            let latest = plan
                .views(kind)
                .iter()
                .filter(|v| party.is_none_or(|p| v.text("party").as_deref() == Some(p)))
                .flat_map(|v| v.dates(field).into_iter().map(move |d| (d, v.pos)))
                .max_by_key(|(d, _)| *d);
            if let Some((d, pos)) = latest {
                out.push(Due {
                    date: d.plus_days(i64::from(days)),
                    what,
                    at: Location::at(file(kind), pos),
                    key,
                });
            }
        };
    next(
        "reviews",
        "date",
        i.ser_review_days,
        "Next SER review".into(),
        "next/ser-review".into(),
        None,
    );
    next(
        "meetings",
        "date",
        i.meeting_days,
        "Next joint management meeting".into(),
        "next/meeting".into(),
        None,
    );
    next(
        "exit",
        "last_reviewed|reviews.date",
        i.exit_review_days,
        "Review the exit strategy".into(),
        "next/exit-review".into(),
        None,
    );
    next(
        "value",
        "reviews.date",
        i.value_review_days,
        "Review value creation".into(),
        "next/value-review".into(),
        None,
    );
    for party in plan.party_ids() {
        next(
            "assessments",
            "date",
            i.assessment_days,
            format!("Next relationship assessment for {party}"),
            format!("next/assessment/{party}"),
            Some(party),
        );
    }
    for s in &plan.records.kpis {
        let k = &s.value;
        let latest = k.results.iter().filter_map(|r| r.date).max();
        if let (Some(days), Some(latest)) = (k.interval_days, latest) {
            let measure = k.measure.as_deref().unwrap_or("");
            out.push(Due {
                date: latest.plus_days(i64::from(days)),
                what: format!("Next result of measure {}: {measure}", k.id.value),
                at: Location::at(file("kpis"), record_pos(s)),
                key: format!("next/result/{}", k.id.value),
            });
        }
    }
}

/// The dates as an iCalendar file: an all-day event each. `stamp` is the
/// time the calendar is made as (a fixed time gives the same file).
pub fn ical(plan_id: &str, items: &[Due], stamp: Date) -> String {
    use ics::properties::{Description, DtStart, Summary};
    use ics::{Event, ICalendar};
    let mut cal = ICalendar::new("2.0", "-//bsrmp//due dates//EN");
    let stamp = format!("{}T000000Z", compact(stamp));
    for d in items {
        let uid = text(&format!("{}/{}@bsrmp", plan_id, d.key));
        let mut e = Event::new(uid, stamp.clone());
        let mut start = DtStart::new(compact(d.date));
        start.add(ics::parameters::Value::DATE);
        e.push(start);
        e.push(Summary::new(text(&format!("{plan_id}: {}", d.what))));
        let place = match d.at.pos {
            Some(p) => format!("{}:{}", d.at.file, p.line),
            None => d.at.file.clone(),
        };
        e.push(Description::new(text(&format!(
            "Set by {place} in the plan {plan_id}."
        ))));
        cal.add_event(e);
    }
    cal.to_string()
}

/// Plan text as an iCalendar TEXT value: escaped, and with the control
/// characters TEXT may not hold (all but tab and line breaks) made visible
/// as U+FFFD, so no text can end a line or start a property of its own.
fn text(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    ics::escape_text(clean).into_owned()
}

fn compact(d: Date) -> String {
    d.to_string().replace('-', "")
}
