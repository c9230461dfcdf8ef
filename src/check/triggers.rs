//! The `triggers` rule kind: an exit trigger that watches a measure or an
//! issue asks for the exit strategy to be looked at again once what it
//! watches turns bad (the measure's latest result misses its target, the
//! issue reaches the executives or passes its escalation date).

use super::rules::{Ctx, result};
use super::{Outcome, RuleResult};
use crate::code::Code;
use crate::diag::{Finding, Location};
use crate::plan::date::Date;
use crate::plan::records::{ExitStrategy, IssueLevel, Ref, TextOr};
use crate::plan::{kinds, yaml};

/// What a watched record shows, when it shows the trigger may be coming:
/// in words, and since when (`None` when the record gives no date).
struct Warning {
    what: String,
    since: Option<Date>,
    /// How recent a review must be when `since` is unknown, in days.
    window: u32,
}

/// The newest review of the exit strategy by `today`.
fn newest_review(e: &ExitStrategy, today: Date) -> Option<Date> {
    e.reviews
        .iter()
        .filter_map(|r| r.date)
        .chain(e.last_reviewed)
        .filter(|d| *d <= today)
        .max()
}

impl Ctx<'_> {
    /// `triggers`: every watched measure or issue that has turned bad has
    /// an exit strategy review on or after the day it did.
    pub(super) fn triggers(&self) -> RuleResult {
        let Some(exit) = &self.plan.records.exit else {
            return result(Outcome::Pass, vec![], vec![]);
        };
        let file = kinds::by_name("exit").map_or("", |k| k.file);
        let reviewed = newest_review(&exit.value, self.today);
        let mut findings = Vec::new();
        let mut watched = false;
        for t in exit.value.triggers.iter().filter_map(TextOr::typed) {
            for w in &t.watch {
                watched = true;
                let Some(warn) = self.warning(w) else {
                    continue;
                };
                let cleared = match (warn.since, reviewed) {
                    (Some(since), Some(r)) => r >= since,
                    (None, Some(r)) => r.days_until(self.today) <= i64::from(warn.window),
                    (_, None) => false,
                };
                if cleared {
                    continue;
                }
                let last = reviewed.map_or_else(
                    || "it has no dated review".to_string(),
                    |r| format!("its newest review is from {r}"),
                );
                findings.push(
                    Finding::warning(
                        Code::TriggerUnreviewed,
                        format!(
                            "exit trigger \"{}\" watches {}, {}; the exit strategy has not been reviewed since ({last})",
                            t.trigger, w.value, warn.what
                        ),
                    )
                    .help(format!(
                        "review the exit strategy with the partners and record in its `reviews` whether the trigger is set off and what follows (clause {})",
                        self.clause()
                    ))
                    .at(Location::at(file, yaml::pos_of(&w.referenced, 0))),
                );
            }
        }
        let evidence = if watched && findings.is_empty() {
            vec![Location::at(file, crate::plan::record_pos(exit))]
        } else {
            vec![]
        };
        let outcome = if findings.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Partial
        };
        result(outcome, findings, evidence)
    }

    /// Whether the measure or issue `id` shows its trigger may be coming.
    /// An id that names neither is reported by the reference check.
    fn warning(&self, id: &Ref) -> Option<Warning> {
        let r = &self.plan.records;
        let exit_days = self.plan.manifest.intervals.exit_review_days;
        if let Some(k) = r
            .kpis
            .iter()
            .map(|s| &s.value)
            .find(|k| k.id.value == id.value)
        {
            let target = k.typed_target()?;
            let latest = k.latest_by(self.today)?;
            let value = latest.value?;
            if target.met_by(value) {
                return None;
            }
            let unit = target.unit.as_deref().unwrap_or("");
            let period = latest
                .period
                .as_deref()
                .map(|p| format!(" for {p}"))
                .unwrap_or_default();
            return Some(Warning {
                what: format!(
                    "whose latest result ({value}{unit}{period}) misses its target ({} {}{unit})",
                    target.aim().words(),
                    target.value
                ),
                since: latest.date,
                window: k.interval_days.unwrap_or(exit_days),
            });
        }
        let issue = r
            .issues
            .iter()
            .map(|s| &s.value)
            .find(|i| i.id.value == id.value)?;
        if !issue.is_open() {
            return None;
        }
        let late = issue.escalate_by.filter(|d| *d < self.today);
        let what = if issue.level == Some(IssueLevel::Executive) {
            "an open issue already with the executives".to_string()
        } else if let Some(by) = late {
            format!("an open issue past its escalation date ({by})")
        } else {
            return None;
        };
        // With the executives, from the day it was raised; else from the
        // day its escalation fell due.
        let since = if issue.level == Some(IssueLevel::Executive) {
            issue.raised.or(late)
        } else {
            late
        };
        Some(Warning {
            what,
            since,
            window: exit_days,
        })
    }
}
