//! The inputs of the pack's charts, read from the plan and its assessment:
//! stages, trust over time, risks, and the plan in operation.

use super::StagePage;
use crate::check::{Assessment, Status};
use crate::plan::date::Date;
use crate::plan::{Plan, kinds};
use crate::render::charts::operating::{
    self, DueMark, MeasurePanel, MeasurePoint, TimelineRow, ValueItem,
};
use crate::render::charts::{self, Chart, StageBar, TrustPoint};

/// Each relationship assessment as a point of the trust charts, in date order.
fn trust_points(plan: &Plan) -> Vec<TrustPoint> {
    let mut points: Vec<(String, TrustPoint)> = plan
        .records
        .assessments
        .iter()
        .map(|s| &s.value)
        .map(|x| {
            let when = x
                .period
                .clone()
                .or_else(|| x.date.map(|d| d.to_string()))
                .unwrap_or_else(|| x.id.value.clone());
            let sort = x
                .date
                .map(|d| d.to_string())
                .unwrap_or_else(|| when.clone());
            let party = x
                .party
                .as_ref()
                .map(|p| party_name(plan, &p.value))
                .unwrap_or_else(|| plan.manifest.title.clone());
            (
                sort,
                TrustPoint {
                    party,
                    when,
                    scores: x
                        .scores
                        .as_ref()
                        .map_or([None; 10], |s| s.scores().map(|v| v.map(|v| v.0))),
                },
            )
        })
        .collect();
    points.sort_by(|x, y| x.0.cmp(&y.0));
    points.into_iter().map(|(_, p)| p).collect()
}

/// The overview's charts, and those of the plan in operation.
pub(super) fn charts_for(
    plan: &Plan,
    a: &Assessment,
    stages: &[StagePage],
) -> (Vec<Chart>, Vec<Chart>) {
    let mut out = Vec::new();
    let bars: Vec<StageBar> = stages
        .iter()
        .map(|s| StageBar {
            label: format!("{} {}", s.number, s.name),
            parts: vec![
                ("met", "met", a.count_in_stage(s.number, Status::Met)),
                (
                    "partial",
                    "partial",
                    a.count_in_stage(s.number, Status::Partial),
                ),
                (
                    "missing",
                    "missing",
                    a.count_in_stage(s.number, Status::Missing),
                ),
                (
                    "waived",
                    "waived",
                    a.count_in_stage(s.number, Status::Waived),
                ),
                (
                    "not-due",
                    "not due",
                    a.count_in_stage(s.number, Status::NotDue),
                ),
                (
                    "not-applicable",
                    "not applicable",
                    a.count_in_stage(s.number, Status::NotApplicable),
                ),
            ],
        })
        .collect();
    out.push(charts::compliance(&bars));

    if plan.has_file("risks") {
        let risks: Vec<(u8, u8)> = plan
            .records
            .risks
            .iter()
            .map(|r| &r.value)
            .filter(|r| r.status != Some(crate::plan::records::RiskStatus::Closed))
            .filter_map(|r| Some((r.likelihood?.0, r.impact?.0)))
            .collect();
        out.push(charts::heat_map(&risks));
    }

    let points = trust_points(plan);
    out.extend(charts::trust(&points));
    out.extend(charts::trust_gap(&points));

    if let Some(m) = &plan.records.maturity {
        let stage_name = |n: u8| {
            kinds::STAGES
                .iter()
                .find(|s| s.no == n)
                .map(|s| format!("{n} {}", s.name))
                .unwrap_or_else(|| n.to_string())
        };
        let grade = |g: crate::plan::records::Grade| format!("{g:?}").chars().next().unwrap_or('?');
        let st: Vec<(String, char)> = m
            .value
            .stages
            .iter()
            .map(|s| (stage_name(s.stage.0), grade(s.level)))
            .collect();
        let prof: Vec<(String, Option<char>, Option<char>)> = m
            .value
            .profile
            .iter()
            .map(|p| {
                (
                    p.attribute.clone().unwrap_or_else(|| "(unnamed)".into()),
                    p.ability.map(grade),
                    p.attitude.map(grade),
                )
            })
            .collect();
        out.extend(charts::maturity(&st, &prof));
    }
    (out, operating_charts(plan, a))
}

/// Measures against target, the timeline and value forecast against
/// realised, each only when the plan holds its records. The timeline waits
/// for the operating phase (stage 5 on, in a plan it applies to): before it,
/// an SER review or an exit strategy review alone is no plan in operation.
fn operating_charts(plan: &Plan, a: &Assessment) -> Vec<Chart> {
    let mut out = Vec::new();
    out.extend(operating::measures(&measure_panels(plan, a.today)));
    let in_operation = plan.manifest.stage() >= 5
        && a.clauses
            .iter()
            .any(|c| c.stage == 5 && c.status != Status::NotApplicable);
    if in_operation {
        out.extend(operating::timeline(&timeline_rows(plan, a.today), a.today));
    }
    out.extend(operating::value(&value_items(plan)));
    out
}

/// A party's name from rmp.toml, or its id as written when rmp.toml has no
/// such party.
fn party_name(plan: &Plan, id: &str) -> String {
    plan.manifest
        .parties
        .iter()
        .find(|q| q.id.get_ref() == id)
        .map(|q| q.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// A number a chart can place: finite, and not so large that the span
/// between two of them overflows.
fn drawable(v: f64) -> bool {
    v.is_finite() && v.abs() < 1e15
}

/// Each measure with a typed target and results as of `today`, judged as
/// the check judges them (`Target::met_by`), in the order of its owning
/// party in rmp.toml; measures of no party last.
fn measure_panels(plan: &Plan, today: Date) -> Vec<MeasurePanel> {
    let parties = &plan.manifest.parties;
    let mut panels: Vec<((usize, String), MeasurePanel)> = Vec::new();
    for k in plan.records.kpis.iter().map(|s| &s.value) {
        let Some(target) = k.typed_target().filter(|t| drawable(t.value)) else {
            continue;
        };
        let mut results: Vec<_> = k
            .results_by(today)
            .filter(|r| r.value.is_some_and(drawable))
            .collect();
        if results.iter().all(|r| r.date.is_some()) {
            results.sort_by_key(|r| r.date);
        }
        // The latest only: the panel has room for so many.
        let earlier = results.len().saturating_sub(operating::MAX_POINTS);
        results.drain(..earlier);
        let points: Vec<MeasurePoint> = results
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let value = r.value?;
                Some(MeasurePoint {
                    when: r
                        .period
                        .clone()
                        .or_else(|| r.date.map(|d| d.to_string()))
                        .unwrap_or_else(|| format!("#{}", i + 1)),
                    value,
                    met: target.met_by(value),
                    action: r.action.as_ref().map(|a| a.value.clone()),
                })
            })
            .collect();
        if points.is_empty() {
            continue;
        }
        let party = k.party.as_ref().map(|p| p.value.as_str());
        let order = match party {
            Some(p) => parties
                .iter()
                .position(|q| q.id.get_ref() == p)
                .unwrap_or(parties.len()),
            None => parties.len() + 1,
        };
        let panel = MeasurePanel {
            id: k.id.value.clone(),
            measure: k.measure.clone().unwrap_or_default(),
            party: party.map(|p| party_name(plan, p)).unwrap_or_default(),
            target: target.value,
            unit: target.unit.clone().unwrap_or_default(),
            aim: target.aim(),
            points,
            earlier,
            latest_misses: k
                .latest_by(today)
                .and_then(|r| r.value)
                .is_some_and(|v| !target.met_by(v)),
        };
        panels.push(((order, party.unwrap_or_default().to_string()), panel));
    }
    // Stable: a party's measures stay in file order.
    panels.sort_by(|x, y| x.0.cmp(&y.0));
    panels.into_iter().map(|(_, p)| p).collect()
}

/// A date due as the timeline marks it: overdue once it has passed, as the
/// check's cadence and held rules judge it (late from the day after).
fn due_mark(d: &crate::due::Due, today: Date, ahead: String, late: String) -> DueMark {
    let overdue = d.date < today;
    DueMark {
        date: d.date,
        label: if overdue { late } else { ahead },
        what: d.what.clone(),
        overdue,
    }
}

/// The dated events of each kind, and what falls due of each as `status`
/// and the calendar have it (`due::all`): the next of each cadence, and
/// audits planned but not held.
fn timeline_rows(plan: &Plan, today: Date) -> Vec<TimelineRow> {
    let r = &plan.records;
    let due = crate::due::all(plan);
    let next = |key: &str| -> Vec<DueMark> {
        due.iter()
            .filter(|d| d.key == key)
            .map(|d| due_mark(d, today, "next due".into(), "overdue since".into()))
            .collect()
    };
    let row = |label: &str, held: Vec<(Option<Date>, String)>, due: Vec<DueMark>| TimelineRow {
        label: label.into(),
        held: held
            .into_iter()
            .filter_map(|(d, w)| Some((d?, w)))
            .collect(),
        due,
    };
    let meetings = r
        .meetings
        .iter()
        .map(|m| (m.value.date, m.value.id.value.clone()));
    let reviews = r
        .reviews
        .iter()
        .map(|m| (m.value.date, m.value.id.value.clone()));
    let mut rows = vec![
        row(
            "Joint management meetings",
            meetings.collect(),
            next("next/meeting"),
        ),
        row("SER reviews", reviews.collect(), next("next/ser-review")),
    ];
    rows.extend(assessment_rows(plan, &next));
    let planned = due
        .iter()
        .filter_map(|d| Some((d, d.key.strip_prefix("audit/")?)))
        .map(|(d, id)| {
            due_mark(
                d,
                today,
                format!("{id} planned"),
                format!("{id} not held, planned"),
            )
        })
        .collect();
    let held = r
        .audits
        .iter()
        .map(|a| (a.value.done, format!("{} held", a.value.id.value)));
    rows.push(row("Audits", held.collect(), planned));
    let value = r.value.iter().flat_map(|v| {
        let id = &v.value.id.value;
        v.value
            .reviews
            .iter()
            .map(move |x| (x.date, format!("{id} review")))
    });
    rows.push(row(
        "Value reviews",
        value.collect(),
        next("next/value-review"),
    ));
    let mut exit: Vec<(Option<Date>, String)> = Vec::new();
    if let Some(e) = &r.exit {
        let dates = e.value.reviews.iter().map(|x| x.date);
        // last_reviewed is often the newest review's date again: one mark.
        for d in dates.chain([e.value.last_reviewed]).flatten() {
            if !exit.iter().any(|x| x.0 == Some(d)) {
                exit.push((Some(d), "exit strategy review".into()));
            }
        }
    }
    rows.push(row("Exit strategy reviews", exit, next("next/exit-review")));
    let governance = r.governance.iter().flat_map(|g| {
        g.value
            .reviews
            .iter()
            .map(|x| (x.date, "governance review".to_string()))
    });
    // due.rs has no cadence for governance reviews, so no next date here.
    rows.push(row("Governance reviews", governance.collect(), Vec::new()));
    rows
}

/// A row of relationship assessments per party: those of rmp.toml's
/// parties, then of any other party named, then of none.
fn assessment_rows(plan: &Plan, next: &dyn Fn(&str) -> Vec<DueMark>) -> Vec<TimelineRow> {
    let of = |x: &crate::plan::records::Assessment| x.party.as_ref().map(|p| p.value.clone());
    let mut keys: Vec<Option<String>> = plan
        .party_ids()
        .into_iter()
        .map(|p| Some(p.to_string()))
        .collect();
    for x in plan.records.assessments.iter().map(|s| &s.value) {
        if !keys.contains(&of(x)) {
            keys.push(of(x));
        }
    }
    keys.into_iter()
        .map(|key| TimelineRow {
            label: match &key {
                Some(p) => format!("Relationship assessments: {}", party_name(plan, p)),
                None => "Relationship assessments (no party named)".into(),
            },
            held: plan
                .records
                .assessments
                .iter()
                .map(|s| &s.value)
                .filter(|x| of(x) == key)
                .filter_map(|x| Some((x.date?, x.id.value.clone())))
                .collect(),
            // The party by name, where due.rs has its id.
            due: key
                .as_ref()
                .map(|p| {
                    let mut marks = next(&format!("next/assessment/{p}"));
                    for m in &mut marks {
                        m.what =
                            format!("Next relationship assessment for {}", party_name(plan, p));
                    }
                    marks
                })
                .unwrap_or_default(),
        })
        .collect()
}

/// Value initiatives that give a forecast or realised benefit.
fn value_items(plan: &Plan) -> Vec<ValueItem> {
    let finite =
        |q: &Option<crate::plan::records::Quantity>| q.clone().filter(|q| drawable(q.value));
    plan.records
        .value
        .iter()
        .map(|s| &s.value)
        .map(|v| ValueItem {
            id: v.id.value.clone(),
            title: v.title.clone().unwrap_or_default(),
            forecast: finite(&v.forecast),
            realised: finite(&v.realised),
        })
        .filter(|v| v.forecast.is_some() || v.realised.is_some())
        .collect()
}
