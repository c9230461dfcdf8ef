//! The `reviewed` rule kind: a clause the standard asks to be reviewed
//! regularly (the implementation plan, 4.7) is as current as the narrative
//! that holds it, whose front matter gives the date of its next review.

use super::rules::{Ctx, result};
use super::{Outcome, RuleResult};
use crate::code::Code;
use crate::diag::{Finding, Location, Pos};

impl Ctx<'_> {
    /// `reviewed`: the narrative holding the clause's section names its next
    /// review, and that date has not passed. With no narrative the section
    /// rule says so; this one then has nothing to judge.
    pub(super) fn reviewed(&self) -> RuleResult {
        let Some(doc) = self.plan.documents.get(&self.req.stage) else {
            return result(Outcome::Pass, vec![], vec![]);
        };
        let at = Location::at(&doc.path, Pos::new(doc.front_line.unwrap_or(1), 1));
        let what = format!(
            "clause {} ({}) asks for it to be reviewed regularly",
            self.clause(),
            self.req.title.to_lowercase()
        );
        let finding = match doc.front.review_by {
            Some(by) if by >= self.today => return result(Outcome::Pass, vec![], vec![at]),
            Some(by) => Finding::error(
                Code::ReviewOverdue,
                format!("{what}, and {} was due for review by {by}", doc.path),
            )
            .help("review it with the people who own it, record what changed, and set the next review_by in the front matter"),
            None => Finding::error(
                Code::FieldMissing,
                format!("{what}, but {} names no review_by date", doc.path),
            )
            .help("set review_by in the front matter to the date of its next review"),
        };
        result(Outcome::Partial, vec![finding.at(at)], vec![])
    }
}
