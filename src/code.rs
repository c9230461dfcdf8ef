//! Every finding code, in one table: its name, its group, its severity as
//! documented and what it means. SARIF's rules, docs/checks.md's table of
//! codes (a test compares them) and `Finding`s all take their codes from here.

use serde::Serialize;

/// The groups of docs/checks.md's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// The plan cannot be read: exit 2, nothing else checked.
    Unreadable,
    ClauseRule,
    Integrity,
    DocumentControl,
    Joint,
}

impl Group {
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Unreadable => "plan cannot be read",
            Group::ClauseRule => "clause rules",
            Group::Integrity => "integrity",
            Group::DocumentControl => "document control",
            Group::Joint => "joint plans",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $name:literal, $group:ident, $severity:literal, $clause:literal, $summary:literal;)*) => {
        /// A finding's code: stable, kebab-case in every output.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($variant),*
        }

        impl Code {
            /// Every code, in the order docs/checks.md lists them.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name),* }
            }
            pub fn group(self) -> Group {
                match self { $(Code::$variant => Group::$group),* }
            }
            /// The severity as documented (some depend on the document or an option).
            pub fn severity(self) -> &'static str {
                match self { $(Code::$variant => $severity),* }
            }
            /// The clause a finding of this code counts against.
            pub fn clause(self) -> &'static str {
                match self { $(Code::$variant => $clause),* }
            }
            /// What the code means, in one line.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary),* }
            }
        }
    };
}

codes! {
    InvalidManifest = "invalid-manifest", Unreadable, "error, exit 2", "no clause: nothing is judged",
        "rmp.toml is not valid TOML or does not fit the manifest format";
    InvalidYaml = "invalid-yaml", Unreadable, "error, exit 2", "no clause: nothing is judged",
        "a YAML file or front matter is not valid YAML, or is too large or deeply nested";
    InvalidRecord = "invalid-record", Unreadable, "error, exit 2", "no clause: nothing is judged",
        "a record has an unknown field, a value of the wrong type, a bad date or an out-of-range score";
    DuplicateId = "duplicate-id", Unreadable, "error, exit 2", "no clause: nothing is judged",
        "two records of the same kind share an id";
    NotUtf8 = "not-utf8", Unreadable, "error, exit 2", "no clause: nothing is judged",
        "a plan file is not UTF-8 text";
    SymlinkRefused = "symlink-refused", Unreadable, "error, exit 2", "no clause: nothing is judged",
        "a plan file or folder is a symbolic link, which bsrmp does not follow";
    SectionMissing = "section-missing", ClauseRule, "error", "the clause judged",
        "a due clause has no section in its stage narrative";
    SectionEmpty = "section-empty", ClauseRule, "error", "the clause judged",
        "a clause's section has nothing written in it";
    Placeholder = "placeholder", ClauseRule, "error", "the clause judged",
        "a placeholder (TODO) survives in a due section";
    RecordsMissing = "records-missing", ClauseRule, "error", "the clause judged",
        "the records a clause needs are absent";
    FieldMissing = "field-missing", ClauseRule, "error", "the clause judged",
        "a record lacks a field that its clause needs";
    CadenceOverdue = "cadence-overdue", ClauseRule, "error", "the clause judged",
        "the latest dated record (review, assessment) is older than the plan's interval";
    CadenceGap = "cadence-gap", ClauseRule, "warning", "the clause judged",
        "two dated records are further apart than the plan's interval";
    DateInFuture = "date-in-future", ClauseRule, "warning", "the clause judged",
        "a review or assessment is dated after today, so it does not count yet";
    PartyMissing = "party-missing", ClauseRule, "error", "the clause judged",
        "a party of the plan has no record where the clause needs one per party";
    PartiesMissing = "parties-missing", ClauseRule, "error", "the clause judged",
        "the manifest names too few parties, or a party without an SER";
    PlannedNotHeld = "planned-not-held", ClauseRule, "error", "the clause judged",
        "something due by a date (an audit planned, a newcomer's induction) has no date it was done, and the date has passed";
    OffTargetUnanswered = "off-target-unanswered", ClauseRule, "error", "the clause judged",
        "a measure's result missed its target and names no action raised for it";
    LowScoreUnanswered = "low-score-unanswered", ClauseRule, "error", "the clause judged",
        "a trust score at or below the plan's threshold names no action to follow it up";
    ClaimUnmeasured = "claim-unmeasured", ClauseRule, "error", "the clause judged",
        "a record claims an outcome (a value initiative realised, an objective achieved) without the measured result";
    TriggerUnreviewed = "trigger-unreviewed", ClauseRule, "warning", "the clause judged",
        "what an exit trigger watches has turned bad and the exit strategy has not been reviewed since";
    DocumentControlMissing = "document-control-missing", ClauseRule, "error", "the clause judged",
        "a narrative's front matter lacks a document control field";
    UnknownPerson = "unknown-person", Integrity, "error", "no clause",
        "an owner, approver or attendee is not listed in registers/people.yaml";
    UnknownParty = "unknown-party", Integrity, "error", "no clause",
        "a party id is not one of the parties in rmp.toml";
    UnknownReference = "unknown-reference", Integrity, "error", "no clause",
        "a reference to an action, objective or criterion does not resolve";
    UnknownClause = "unknown-clause", Integrity, "error", "no clause",
        "rmp.toml names a clause that BS 11000-1 does not have";
    EvidenceNotFound = "evidence-not-found", Integrity, "error", "the clause [evidence] names",
        "an [evidence] path does not exist or is not a file";
    EvidenceOutsidePlan = "evidence-outside-plan", Integrity, "error", "the clause [evidence] names",
        "an [evidence] path leaves the plan (absolute, `..` or through a link)";
    WaiverIncomplete = "waiver-incomplete", Integrity, "error", "the waived clause",
        "a waiver lacks its reason, approver or date, so it does not count";
    ActionOverdue = "action-overdue", Integrity, "warning", "the clause the action serves, or that of what raised it",
        "an open action is past its due date";
    EscalationOverdue = "escalation-overdue", Integrity, "warning", "9.7, once due",
        "an open issue is past its escalation date";
    RiskReviewOverdue = "risk-review-overdue", Integrity, "warning", "4.6.5, or 7.5.3 from stage 5",
        "an open risk is past its review date";
    UnknownFile = "unknown-file", Integrity, "warning", "no clause",
        "a YAML file that bsrmp does not know, so it counts for nothing";
    SectionMisplaced = "section-misplaced", Integrity, "warning", "no clause",
        "a clause's section is in another stage's narrative";
    ChangedSinceApproval = "changed-since-approval", DocumentControl, "error for documents that must be approved, warning otherwise", "the clause asking for approval (3.2, 3.10), else 3.9",
        "a document changed after its last approval";
    NotApproved = "not-approved", DocumentControl, "error", "the clause asking for approval (3.2, 3.10), else 3.9",
        "a document the standard expects approved has no approval, or not by the right role";
    ReviewOverdue = "review-overdue", DocumentControl, "error", "3.9 (and 4.7 for the stage 2 narrative), or in a joint plan the stage's update-the-plan clause (7.10, 8.7, 9.9, 10.7) for a narrative of stages 5 to 8",
        "a narrative's review_by date has passed";
    ReviewTooFar = "review-too-far", DocumentControl, "warning", "3.9, or in a joint plan the stage's update-the-plan clause (7.10, 8.7, 9.9, 10.7) for a narrative of stages 5 to 8",
        "a narrative's review_by date is further ahead than the plan's review interval";
    UncommittedChanges = "uncommitted-changes", DocumentControl, "warning (error with `--require-clean`)", "no clause",
        "files of the plan have changes that are not committed";
    IncompleteHistory = "incomplete-history", DocumentControl, "note", "no clause",
        "document control cannot be verified: no repository, no commit, or a shallow clone";
    JointDecisionOpen = "joint-decision-open", Joint, "error", "by topic: 7.2.2, 7.2.3, 7.3, 7.5.4 or 7.10",
        "a point the partners of a joint plan must agree on is not settled";
}

impl Code {
    /// Its place in [`Code::ALL`]: SARIF's rule index.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The code of this name, as outputs spell it.
    pub fn named(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }

    /// `bsrmp explain CODE`: what a finding of this code means.
    pub fn explain(self) -> String {
        format!(
            "{}\n  {}\n\nSeverity        {}\nGroup           {}\nCounts against  {}\nMore            {}\n",
            self.as_str(),
            self.summary(),
            self.severity(),
            self.group().as_str(),
            self.clause(),
            self.anchor()
        )
    }

    /// The docs anchor, docs/checks.md#<code>.
    pub fn anchor(self) -> String {
        format!("docs/checks.md#{}", self.as_str())
    }

    /// The codes of what is overdue: open actions, escalations and risk
    /// reviews, and narratives past their review date.
    pub const OVERDUE: &'static [Code] = &[
        Code::ActionOverdue,
        Code::EscalationOverdue,
        Code::RiskReviewOverdue,
        Code::ReviewOverdue,
        Code::CadenceOverdue,
    ];

    /// docs/checks.md's table of codes, as the docs must have it.
    pub fn docs_table() -> String {
        let mut out =
            String::from("| code | severity | group | counts against |\n|---|---|---|---|\n");
        for c in Code::ALL {
            out.push_str(&format!(
                "| [`{0}`](#{0}) | {1} | {2} | {3} |\n",
                c.as_str(),
                c.severity(),
                c.group().as_str(),
                c.clause()
            ));
        }
        out
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_of_all_is_the_order_of_the_variants() {
        for (i, c) in Code::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
        }
    }
}
