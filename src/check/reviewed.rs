//! The `reviewed` rule kind: a clause the standard asks to be reviewed
//! regularly (the implementation plan, 4.7) is as current as its stage's
//! narrative, whose front matter gives the date of its next review.

use super::rules::{Ctx, result};
use super::{Outcome, RuleResult};
use crate::code::Code;
use crate::diag::{Finding, Location, Pos};

impl Ctx<'_> {
    /// `reviewed`: the clause's stage narrative names its next review, that
    /// date has not passed, and it is no further ahead than the plan's
    /// `document_review_days`. With no narrative the section rule says so;
    /// this one then has nothing to judge.
    pub(super) fn reviewed(&self) -> RuleResult {
        let Some(doc) = self.plan.documents.get(&self.req.stage) else {
            return result(Outcome::Pass, vec![], vec![]);
        };
        let at = Location::at(&doc.path, Pos::new(doc.front_line.unwrap_or(1), 1));
        let holds = format!(
            "{} holds the {}, which clause {} asks to be reviewed regularly",
            doc.path,
            self.req.title.to_lowercase(),
            self.clause()
        );
        let interval = self.plan.manifest.intervals.document_review_days;
        let finding = match doc.front.review_by {
            Some(by) if by < self.today => Finding::error(
                Code::ReviewOverdue,
                format!("{holds}; it was due for review by {by}"),
            )
            .help("review it with the people who own it, record what changed, and set the next review_by in the front matter"),
            Some(by) if self.today.days_until(by) > i64::from(interval) => Finding::warning(
                Code::ReviewTooFar,
                format!(
                    "{holds}; its next review, {by}, is more than {interval} days away"
                ),
            )
            .help(format!("set review_by to a date within {interval} days, or change [intervals] document_review_days in rmp.toml")),
            Some(_) => return result(Outcome::Pass, vec![], vec![at]),
            None => Finding::error(
                Code::DocumentControlMissing,
                format!("{holds}, but it names no review_by date"),
            )
            .help("set review_by in the front matter to the date of its next review"),
        };
        result(Outcome::Partial, vec![finding.at(at)], vec![])
    }
}
