//! Rule kinds of the operating phase (stages 5 to 8): what was planned is
//! held, measures report and their misses are answered, claims are measured.

use std::collections::BTreeMap;

use serde_json::Value;

use super::rules::{Ctx, matches, result};
use super::{Outcome, RuleResult};
use crate::checklist::OneOrMany;
use crate::code::Code;
use crate::diag::{Finding, Location};
use crate::plan::date::Date;
use crate::plan::kinds;
use crate::plan::records::Kpi;

/// Pass with no findings, else partial: the records exist, some fall short.
fn outcome(findings: &[Finding]) -> Outcome {
    if findings.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Partial
    }
}

/// A number as people write it: no trailing `.0`.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

impl Ctx<'_> {
    /// `held`: a record whose planned date (and the grace after it) has
    /// passed has its done date.
    pub(super) fn held(
        &self,
        kind: &str,
        planned: &str,
        done: &str,
        grace: Option<&str>,
    ) -> RuleResult {
        let Some(info) = kinds::by_name(kind) else {
            return result(Outcome::Fail, vec![], vec![]);
        };
        let grace_days = grace
            .and_then(|g| self.plan.manifest.intervals.get(g))
            .map_or(0, i64::from);
        let label = |f: &str| f.replace('_', " ");
        let mut findings = Vec::new();
        let mut evidence = Vec::new();
        for v in self.plan.views(kind) {
            let Some(when) = v.date(planned) else {
                continue;
            };
            let at = Location::at(info.file, v.pos);
            if v.date(done).is_some() {
                evidence.push(at);
                continue;
            }
            let late = when.days_until(self.today);
            if late <= grace_days {
                continue;
            }
            let allowed = match grace {
                Some(g) if grace_days > 0 => format!("; the plan allows {grace_days} days (`{g}`)"),
                _ => String::new(),
            };
            findings.push(
                Finding::error(
                    Code::PlannedNotHeld,
                    format!(
                        "{} {}: {} {when} ({late} days before {}) and no {} date yet{allowed}",
                        info.noun,
                        v.id.unwrap_or(""),
                        label(planned),
                        self.today,
                        label(done)
                    ),
                )
                .help(format!(
                    "clause {} expects it done: record the date in `{done}`, or, if it moved, its new `{planned}` date and why",
                    self.clause()
                ))
                .at(at),
            );
        }
        result(outcome(&findings), findings, evidence)
    }

    /// `answered`: a record with a score at or below the plan's threshold
    /// names the actions raised to follow it up.
    pub(super) fn answered(
        &self,
        kind: &str,
        scores: &str,
        threshold: &str,
        actions: &str,
    ) -> RuleResult {
        let Some(info) = kinds::by_name(kind) else {
            return result(Outcome::Fail, vec![], vec![]);
        };
        let Some(limit) = self.plan.manifest.thresholds.get(threshold) else {
            return result(Outcome::Fail, vec![], vec![]);
        };
        let mut findings = Vec::new();
        for v in self.plan.views(kind) {
            let Some(Value::Object(map)) = v.get(scores) else {
                continue;
            };
            let low: Vec<String> = map
                .iter()
                .filter_map(|(k, s)| {
                    let n = s.as_f64()?;
                    (n <= limit).then(|| format!("{} {}", k.replace('_', " "), number(n)))
                })
                .collect();
            let answered = v
                .get(actions)
                .is_some_and(|a| a.as_array().is_some_and(|a| !a.is_empty()));
            if low.is_empty() || answered {
                continue;
            }
            findings.push(
                Finding::error(
                    Code::LowScoreUnanswered,
                    format!(
                        "{} {} scores {} (at or below the plan's {} of {}), and names no action to follow it up",
                        info.noun,
                        v.id.unwrap_or(""),
                        low.join(", "),
                        threshold.replace('_', " "),
                        number(limit)
                    ),
                )
                .help(format!(
                    "raise the follow-up in registers/actions.yaml and list it under `{actions}` (clause {})",
                    self.clause()
                ))
                .at(Location::at(info.file, v.pos)),
            );
        }
        result(outcome(&findings), findings, Vec::new())
    }

    /// `results`: measures with a typed target report on time, and every
    /// result that misses its target names the action raised for it.
    pub(super) fn results(&self, kind: &str) -> RuleResult {
        let Some(info) = kinds::by_name(kind) else {
            return result(Outcome::Fail, vec![], vec![]);
        };
        let mut findings = Vec::new();
        let mut evidence = Vec::new();
        for kpi in &self.plan.records.kpis {
            let at = Location::at(info.file, crate::plan::record_pos(kpi));
            let before = findings.len();
            self.measure(&kpi.value, &at, &mut findings);
            if findings.len() == before {
                evidence.push(at);
            }
        }
        result(outcome(&findings), findings, evidence)
    }

    fn measure(&self, kpi: &Kpi, at: &Location, findings: &mut Vec<Finding>) {
        let id = kpi.id.value.as_str();
        let Some(target) = kpi.typed_target() else {
            return;
        };
        let unit = target.unit.as_deref().unwrap_or("");
        let aim = target.aim().words();
        let results: Vec<_> = kpi.results_by(self.today).collect();
        if results.is_empty() {
            findings.push(
                Finding::error(
                    Code::FieldMissing,
                    format!("measure {id} has a target but no results"),
                )
                .help(format!(
                    "clause {} asks for performance against the measures: add its results, a period each",
                    self.clause()
                ))
                .at(at.clone()),
            );
            return;
        }
        for r in &results {
            let (Some(value), None) = (r.value, &r.action) else {
                continue;
            };
            if target.met_by(value) {
                continue;
            }
            let period = r.period.as_deref().or(r.date.map(|_| "")).unwrap_or("");
            findings.push(
                Finding::error(
                    Code::OffTargetUnanswered,
                    format!(
                        "measure {id} missed its target ({aim} {}{unit}) with {}{unit}{}, and no action is named for it",
                        number(target.value),
                        number(value),
                        if period.is_empty() { String::new() } else { format!(" for {period}") }
                    ),
                )
                .help("raise an action in registers/actions.yaml and name it in the result's `action`")
                .at(at.clone()),
            );
        }
        let latest = results.iter().filter_map(|r| r.date).max();
        if let (Some(days), Some(latest)) = (kpi.interval_days, latest) {
            let age = latest.days_until(self.today);
            if age > i64::from(days) {
                findings.push(
                    Finding::error(
                        Code::CadenceOverdue,
                        format!(
                            "the latest result of measure {id} is from {latest}, {age} days before {}; it reports every {days} days",
                            self.today
                        ),
                    )
                    .help(format!(
                        "report its result for the period since, or change its `interval_days` if the agreed interval is longer (clause {})",
                        self.clause()
                    ))
                    .at(at.clone()),
                );
            }
        }
    }

    /// `attended`: with two parties or more, each record has someone of
    /// every party among its attendees: a meeting of one party is not the
    /// joint management team's.
    pub(super) fn attended(&self, kind: &str, attendees: &str) -> RuleResult {
        let Some(info) = kinds::by_name(kind) else {
            return result(Outcome::Fail, vec![], vec![]);
        };
        let parties = self.plan.party_ids();
        if parties.len() < 2 {
            return result(Outcome::Pass, vec![], vec![]);
        }
        let party_of = |id: &str| {
            self.plan
                .records
                .people
                .iter()
                .find(|p| p.value.id.value == id)
                .and_then(|p| p.value.party.as_ref().map(|x| x.value.clone()))
        };
        let mut findings = Vec::new();
        let mut evidence = Vec::new();
        for v in self.plan.views(kind) {
            let came: Vec<String> = v
                .get(attendees)
                .and_then(|a| match a {
                    Value::Array(a) => Some(a),
                    _ => None,
                })
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .filter_map(party_of)
                        .collect()
                })
                .unwrap_or_default();
            let absent: Vec<&str> = parties
                .iter()
                .copied()
                .filter(|p| !came.iter().any(|c| c == p))
                .collect();
            let at = Location::at(info.file, v.pos);
            if absent.is_empty() {
                evidence.push(at);
                continue;
            }
            let when = v
                .date("date")
                .map(|d| format!(" on {d}"))
                .unwrap_or_default();
            findings.push(
                Finding::error(
                    Code::PartyMissing,
                    format!(
                        "{} {}{when} had no one from {}",
                        info.noun,
                        v.id.unwrap_or(""),
                        absent.join(" or ")
                    ),
                )
                .help(format!(
                    "list who attended from each party (people ids, with their party in registers/people.yaml); clause {} asks for the partners to manage the relationship together",
                    self.clause()
                ))
                .at(at),
            );
        }
        result(outcome(&findings), findings, evidence)
    }

    /// `measured`: records that claim something (where `filter` matches,
    /// and `set` is filled in) carry a number at `field`.
    pub(super) fn measured(
        &self,
        kind: &str,
        filter: &BTreeMap<String, OneOrMany>,
        set: Option<&str>,
        field: &str,
    ) -> RuleResult {
        let Some(info) = kinds::by_name(kind) else {
            return result(Outcome::Fail, vec![], vec![]);
        };
        let filled = |v: &crate::plan::RecordView<'_>| -> Option<(String, String)> {
            let f = set?;
            let value = v.get(f)?;
            let text = super::rules::as_text(&value)?;
            // Blank is no claim, nor is a date still to come.
            let later = Date::parse(text.trim()).is_some_and(|d| d > self.today);
            (!text.trim().is_empty() && !later).then(|| (f.to_string(), text.into_owned()))
        };
        let mut findings = Vec::new();
        let mut evidence = Vec::new();
        let views = self.plan.views(kind);
        let claims = views
            .iter()
            .filter(|v| matches(v, filter) && (set.is_none() || filled(v).is_some()));
        for v in claims {
            let claim = filter
                .iter()
                .map(|(k, w)| format!("{k}: {}", w.words()))
                .chain(filled(v).map(|(k, t)| format!("{k}: {t}")))
                .collect::<Vec<_>>()
                .join(", ");
            let at = Location::at(info.file, v.pos);
            if v.get(field).is_some_and(|n| n.is_number()) {
                evidence.push(at);
                continue;
            }
            let (name, _) = field.split_once('.').unwrap_or((field, ""));
            findings.push(
                Finding::error(
                    Code::ClaimUnmeasured,
                    format!(
                        "{} {} says {claim}, but gives no measured `{name}`",
                        info.noun,
                        v.id.unwrap_or("")
                    ),
                )
                .help(format!(
                    "record what was measured as `{name}: {{value, unit}}`, or change the claim (clause {})",
                    self.clause()
                ))
                .at(at),
            );
        }
        result(outcome(&findings), findings, evidence)
    }
}
