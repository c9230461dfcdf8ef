//! The typed records of a plan. Each YAML file of the plan holds one kind of
//! record under one top-level key (see [`KINDS`]).
//!
//! Fields whose absence is a compliance gap (an owner, a measure) are optional
//! here, so a plan in progress still loads and `check` can say what is missing.
//! Unknown fields, wrong types and bad dates are load errors.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::date::Date;

/// A reference to something defined elsewhere (a person, a party, a record id),
/// kept with its place in the file so a broken reference can be pointed at.
pub type Ref = Spanned<String>;

/// A 1 (lowest) to 5 (highest) rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Score(pub u8);

impl JsonSchema for Score {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Score".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer", "minimum": 1, "maximum": 5,
            "description": "1 (lowest) to 5 (highest)"
        })
    }
}

impl<'de> Deserialize<'de> for Score {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        if (1..=5).contains(&n) {
            Ok(Score(n as u8))
        } else {
            Err(serde::de::Error::custom(format!(
                "{n} is out of range: scores run from 1 (lowest) to 5 (highest)"
            )))
        }
    }
}

/// Stage number, 1 to 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct StageNo(pub u8);

impl JsonSchema for StageNo {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StageNo".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer", "minimum": 1, "maximum": 8,
            "description": "a stage of BS 11000, 1 to 8"
        })
    }
}

impl<'de> Deserialize<'de> for StageNo {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        if (1..=8).contains(&n) {
            Ok(StageNo(n as u8))
        } else {
            Err(serde::de::Error::custom(format!(
                "{n} is not a stage: stages are numbered 1 to 8"
            )))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Low,
    Medium,
    High,
}

/// A–D rating of the maturity profile and the relationship maturity matrix:
/// A is the highest level, D the most limited.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum Grade {
    A,
    B,
    C,
    D,
}

// ---------------------------------------------------------------- people

/// Where a record of a joint plan came from: the party, the file of that
/// party's plan and the record's id there, and the party's commit it was taken at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordSource {
    pub party: Option<String>,
    pub file: Option<String>,
    pub id: Option<String>,
    pub commit: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    #[schemars(with = "String")]
    pub id: Ref,
    pub name: Option<String>,
    pub role: Option<String>,
    #[schemars(with = "Option<String>")]
    pub party: Option<Ref>,
    pub email: Option<String>,
    /// When the person joined the relationship (a change of key people).
    pub joined: Option<Date>,
    /// When they were inducted into it: its objectives, governance and behaviours.
    pub inducted: Option<Date>,
    /// When they left it.
    pub left: Option<Date>,
    /// The person (id) whose place they took.
    #[schemars(with = "Option<String>")]
    pub replaces: Option<Ref>,
    pub source: Option<RecordSource>,
}

// ---------------------------------------------------------------- stage 1

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SerAppointment {
    #[schemars(with = "String")]
    pub id: Ref,
    #[schemars(with = "Option<String>")]
    pub person: Option<Ref>,
    #[schemars(with = "Option<String>")]
    pub party: Option<Ref>,
    pub appointed: Option<Date>,
    pub appointed_by: Option<String>,
    pub mandate: Option<String>,
    pub authority: Option<String>,
    pub source: Option<RecordSource>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Approach {
    Collaborative,
    Transactional,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relationship {
    #[schemars(with = "String")]
    pub id: Ref,
    pub name: Option<String>,
    pub cost: Option<Level>,
    pub risk: Option<Level>,
    pub complexity: Option<Level>,
    pub time: Option<Level>,
    pub priority: Option<u32>,
    pub approach: Option<Approach>,
    pub rationale: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ObjectiveLevel {
    Corporate,
    Project,
    Joint,
}

/// The steps of clause 6.3 that an objective moves through on its way to
/// becoming a joint objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectiveState {
    Own,
    Rationale,
    Common,
    Compatible,
    Conflicting,
    Agreed,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    #[schemars(with = "String")]
    pub id: Ref,
    pub level: Option<ObjectiveLevel>,
    #[schemars(with = "Option<String>")]
    pub party: Option<Ref>,
    /// Specific: the benefit or outcome sought.
    pub benefit: Option<String>,
    /// Measurable: how achievement is measured.
    pub measure: Option<String>,
    /// The value of the measure that counts as achieved.
    pub target: Option<String>,
    /// Time-bound: when it is due.
    pub due: Option<Date>,
    #[schemars(with = "Option<String>")]
    pub owner: Option<Ref>,
    pub resources: Option<String>,
    /// The policy or driver the objective serves.
    pub links_to: Option<String>,
    pub state: Option<ObjectiveState>,
    pub rationale: Option<String>,
    /// When the objective was achieved: a claim that needs its measured
    /// `result`.
    pub achieved: Option<Date>,
    /// What was measured when it was achieved.
    pub result: Option<Quantity>,
    pub source: Option<RecordSource>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    #[schemars(with = "String")]
    pub id: Ref,
    pub competency: Option<String>,
    pub required: Option<String>,
    pub current: Option<String>,
    pub gap: Option<String>,
    /// Training, recruitment or other development that closes the gap.
    pub development: Option<String>,
    #[schemars(with = "Option<String>")]
    pub owner: Option<Ref>,
    pub due: Option<Date>,
}

// ---------------------------------------------------------------- registers

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RiskCategory {
    HealthSafety,
    Reputation,
    Performance,
    Supply,
    Environment,
    Financial,
    Change,
    Ipr,
    Technology,
    BusinessContinuity,
    Internal,
    Sustainability,
    Commercial,
    Legal,
    People,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RiskResponse {
    Prevent,
    Reduce,
    Transfer,
    Accept,
    Contingency,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RiskStatus {
    Open,
    Monitoring,
    Closed,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    #[schemars(with = "String")]
    pub id: Ref,
    pub title: Option<String>,
    pub description: Option<String>,
    pub category: Option<RiskCategory>,
    pub likelihood: Option<Score>,
    pub impact: Option<Score>,
    #[serde(default)]
    pub triggers: Vec<String>,
    /// How stakeholders would see the risk if it happened.
    pub perception: Option<String>,
    #[serde(default)]
    pub responses: Vec<RiskResponse>,
    pub action: Option<String>,
    #[schemars(with = "Option<String>")]
    pub owner: Option<Ref>,
    /// Financial provision where the risk is quantified.
    pub provision: Option<String>,
    pub status: Option<RiskStatus>,
    pub review_date: Option<Date>,
    /// The party that raised the risk (required in a joint plan).
    #[schemars(with = "Option<String>")]
    pub raised_by: Option<Ref>,
    pub raised: Option<Date>,
    pub source: Option<RecordSource>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
    Cancelled,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    #[schemars(with = "String")]
    pub id: Ref,
    pub title: Option<String>,
    /// The stage whose implementation or action plan the action belongs to.
    pub stage: Option<StageNo>,
    /// The clause the action serves, when there is one.
    pub clause: Option<String>,
    #[schemars(with = "Option<String>")]
    pub owner: Option<Ref>,
    pub due: Option<Date>,
    pub status: Option<ActionStatus>,
    pub done: Option<Date>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum IssueArea {
    Relationship,
    Roles,
    Commercial,
    Market,
    Process,
    Communication,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum IssueLevel {
    Operational,
    Management,
    Executive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum IssueStatus {
    Open,
    Escalated,
    Resolved,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    #[schemars(with = "String")]
    pub id: Ref,
    pub title: Option<String>,
    pub raised: Option<Date>,
    #[schemars(with = "Option<String>")]
    pub raised_by: Option<Ref>,
    pub area: Option<IssueArea>,
    /// The level at which the issue is being handled now.
    pub level: Option<IssueLevel>,
    /// When the issue goes up a level if it is not resolved.
    pub escalate_by: Option<Date>,
    #[schemars(with = "Option<String>")]
    pub owner: Option<Ref>,
    pub status: Option<IssueStatus>,
    pub resolution: Option<String>,
    pub resolved: Option<Date>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SerReview {
    #[schemars(with = "String")]
    pub id: Ref,
    pub date: Option<Date>,
    #[schemars(with = "Option<String>")]
    pub chair: Option<Ref>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub attendees: Vec<Ref>,
    #[serde(default)]
    pub inputs: Vec<String>,
    #[serde(default)]
    pub conclusions: Vec<String>,
    /// Ids of actions in registers/actions.yaml that the review raised.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub actions: Vec<Ref>,
}

/// Scores for the ten aspects of trust (BS 11000-2, Table 12), 1 to 5 each.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrustScores {
    pub performance: Option<Score>,
    pub openness: Option<Score>,
    pub honesty: Option<Score>,
    pub responsiveness: Option<Score>,
    pub commitment: Option<Score>,
    pub fairness: Option<Score>,
    pub information_sharing: Option<Score>,
    pub communication: Option<Score>,
    pub early_warnings: Option<Score>,
    pub extra_mile: Option<Score>,
}

impl TrustScores {
    /// The ten aspects, as fields and as the pack names them, in the order
    /// of the plan format.
    pub const ASPECTS: [(&'static str, &'static str); 10] = [
        ("performance", "Performance"),
        ("openness", "Openness"),
        ("honesty", "Honesty"),
        ("responsiveness", "Responsiveness"),
        ("commitment", "Commitment"),
        ("fairness", "Fairness"),
        ("information_sharing", "Information sharing"),
        ("communication", "Communication"),
        ("early_warnings", "Early warnings"),
        ("extra_mile", "Extra mile"),
    ];

    /// Each aspect with its score, in the order of [`Self::ASPECTS`].
    pub fn scores(&self) -> [Option<Score>; 10] {
        [
            self.performance,
            self.openness,
            self.honesty,
            self.responsiveness,
            self.commitment,
            self.fairness,
            self.information_sharing,
            self.communication,
            self.early_warnings,
            self.extra_mile,
        ]
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    #[schemars(with = "String")]
    pub id: Ref,
    /// The period assessed, such as 2026-Q1.
    pub period: Option<String>,
    pub date: Option<Date>,
    /// The party whose view the scores give.
    #[schemars(with = "Option<String>")]
    pub party: Option<Ref>,
    #[schemars(with = "Option<String>")]
    pub assessor: Option<Ref>,
    pub scores: Option<TrustScores>,
    pub evidence: Option<String>,
    /// The actions (their ids) raised to follow up weak scores.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub actions: Vec<Ref>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ValueArea {
    Cost,
    Time,
    Process,
    Resource,
    Specification,
    Performance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ValueStatus {
    Idea,
    Evaluating,
    Approved,
    InProgress,
    Realised,
    Rejected,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueInitiative {
    #[schemars(with = "String")]
    pub id: Ref,
    pub title: Option<String>,
    pub area: Option<ValueArea>,
    pub baseline: Option<String>,
    pub target: Option<String>,
    pub measure: Option<String>,
    #[schemars(with = "Option<String>")]
    pub owner: Option<Ref>,
    pub team: Option<String>,
    pub status: Option<ValueStatus>,
    pub benefit_realised: Option<String>,
    /// The benefit expected, measured.
    pub forecast: Option<Quantity>,
    /// The benefit delivered so far, measured.
    pub realised: Option<Quantity>,
    /// Its reviews: what was delivered, and whether it goes on.
    #[serde(default)]
    pub reviews: Vec<ValueReview>,
    #[schemars(with = "Option<String>")]
    pub raised_by: Option<Ref>,
}

/// A dated review of a value initiative.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueReview {
    pub date: Option<Date>,
    #[schemars(with = "Option<String>")]
    pub reviewer: Option<Ref>,
    /// The benefit measured at the review.
    pub realised: Option<Quantity>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AuditKind {
    Internal,
    Joint,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Audit {
    #[schemars(with = "String")]
    pub id: Ref,
    pub kind: Option<AuditKind>,
    pub scope: Option<String>,
    pub planned: Option<Date>,
    pub done: Option<Date>,
    pub auditor: Option<String>,
    #[serde(default)]
    pub findings: Vec<String>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub actions: Vec<Ref>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    Share,
    Restricted,
    Withhold,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeArea {
    #[schemars(with = "String")]
    pub id: Ref,
    pub area: Option<String>,
    /// The plan owner's stance (single-party plans).
    pub stance: Option<Stance>,
    /// Each party's stance, by party id (joint plans).
    #[serde(default)]
    pub stances: BTreeMap<String, Stance>,
    /// Who the information may go to.
    #[serde(default)]
    pub shared_with: Vec<String>,
    #[schemars(with = "Option<String>")]
    pub owner: Option<Ref>,
    pub note: Option<String>,
    pub source: Option<RecordSource>,
    /// Where a joint area came from, when both parties had it.
    #[serde(default)]
    pub sources: Vec<RecordSource>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Duty {
    #[schemars(with = "Option<String>")]
    pub person: Option<Ref>,
    pub duty: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExitStrategy {
    #[schemars(with = "Option<String>")]
    pub owner: Option<Ref>,
    pub last_reviewed: Option<Date>,
    /// Each review of the strategy: when, by whom, what changed.
    #[serde(default)]
    pub reviews: Vec<Review>,
    /// What would set off an exit: text, or `{trigger, watch}` with the
    /// issues and measures (their ids) that would show it coming.
    #[serde(default)]
    pub triggers: Vec<TextOr<Trigger>>,
    #[serde(default)]
    pub key_concerns: Vec<String>,
    #[serde(default)]
    pub process_issues: Vec<String>,
    #[serde(default)]
    pub responsibilities: Vec<Duty>,
    pub notice_period: Option<String>,
    /// What must be handed over on exit (people, data, assets, knowledge).
    #[serde(default)]
    pub transition: Vec<String>,
    pub continuity: Option<String>,
    pub future_opportunities: Option<String>,
    /// The parties' exit strategies a joint one was seeded from.
    #[serde(default)]
    pub sources: Vec<RecordSource>,
}

/// A dated review of a standing arrangement (the exit strategy, the
/// governance): when, by whom, and what it changed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub date: Option<Date>,
    #[schemars(with = "Option<String>")]
    pub reviewer: Option<Ref>,
    /// What the review changed, or that nothing needed to.
    pub changes: Option<String>,
}

/// An exit trigger and what would show it coming.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    pub trigger: String,
    /// Issues and measures (their ids) that would set it off.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub watch: Vec<Ref>,
}

// ---------------------------------------------------------------- stages 5 to 8

/// What a joint management meeting reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Agenda {
    Performance,
    Risks,
    Issues,
    Trust,
    Value,
    ExitStrategy,
    Governance,
    Objectives,
    Improvement,
}

/// A meeting of the joint management team.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    #[schemars(with = "String")]
    pub id: Ref,
    pub date: Option<Date>,
    /// Who attended (people ids); their parties come from the people register.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub attendees: Vec<Ref>,
    /// What was reviewed.
    #[serde(default)]
    pub reviewed: Vec<Agenda>,
    #[serde(default)]
    pub decisions: Vec<String>,
    /// The actions (their ids) the meeting raised.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub actions: Vec<Ref>,
}

/// A lesson learned: continual improvement.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    #[schemars(with = "String")]
    pub id: Ref,
    pub date: Option<Date>,
    /// Where it was learned: a meeting, review or audit (its id), or in words.
    pub source: Option<String>,
    pub lesson: Option<String>,
    /// What changes because of it.
    pub change: Option<String>,
    /// The action (its id) that makes the change.
    #[schemars(with = "Option<String>")]
    pub action: Option<Ref>,
    #[schemars(with = "Option<String>")]
    pub owner: Option<Ref>,
    /// When the change was made.
    pub applied: Option<Date>,
}

// ---------------------------------------------------------------- stages 3 to 5

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaturityAttribute {
    pub attribute: Option<String>,
    pub ability: Option<Grade>,
    pub attitude: Option<Grade>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageGrade {
    pub stage: StageNo,
    pub level: Grade,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Maturity {
    pub assessed: Option<Date>,
    #[schemars(with = "Option<String>")]
    pub assessor: Option<Ref>,
    #[serde(default)]
    pub profile: Vec<MaturityAttribute>,
    #[serde(default)]
    pub stages: Vec<StageGrade>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    #[schemars(with = "String")]
    pub id: Ref,
    pub criterion: Option<String>,
    pub weight: Option<u32>,
    /// How candidates are tested against it.
    pub method: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EvaluationMethod {
    History,
    Scenario,
    Interview,
    Testimonial,
    ReferenceSite,
    Financial,
    Other,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    #[schemars(with = "String")]
    pub criterion: Ref,
    pub score: Option<Score>,
    pub method: Option<EvaluationMethod>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    Selected,
    Rejected,
    Pending,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    #[schemars(with = "String")]
    pub id: Ref,
    pub name: Option<String>,
    pub nominated: Option<Date>,
    pub rationale: Option<String>,
    #[serde(default)]
    pub evaluations: Vec<Evaluation>,
    pub decision: Option<Decision>,
    pub decided: Option<Date>,
    /// When feedback was given (to unsuccessful candidates in particular).
    pub feedback_given: Option<Date>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[schemars(with = "Option<String>")]
    pub party: Option<Ref>,
    #[schemars(with = "Option<String>")]
    pub person: Option<Ref>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    #[schemars(with = "Option<String>")]
    pub person: Option<Ref>,
    pub role: Option<String>,
    pub responsibilities: Option<String>,
    pub authority: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Governance {
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub joint_management_team: Vec<Ref>,
    pub mandate: Option<String>,
    #[serde(default)]
    pub points_of_contact: Vec<Contact>,
    pub meeting_frequency: Option<String>,
    pub dispute_resolution: Option<String>,
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Each review of the governance arrangements: when, by whom, what changed.
    #[serde(default)]
    pub reviews: Vec<Review>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stakeholder {
    #[schemars(with = "String")]
    pub id: Ref,
    pub stakeholder: Option<String>,
    #[schemars(with = "Option<String>")]
    pub party: Option<Ref>,
    pub needs: Option<String>,
    pub method: Option<String>,
    pub frequency: Option<String>,
    #[schemars(with = "Option<String>")]
    pub owner: Option<Ref>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Kpi {
    #[schemars(with = "String")]
    pub id: Ref,
    /// The objective (its id) the measure tracks.
    #[schemars(with = "Option<String>")]
    pub objective: Option<Ref>,
    pub measure: Option<String>,
    /// A number with its unit and direction (`{value: 95, unit: "%", direction:
    /// at-least}`), against which results are judged; or, in older plans, text.
    pub target: Option<TextOr<Target>>,
    pub frequency: Option<String>,
    /// How often results are reported, in days: a result is due every so often.
    pub interval_days: Option<u32>,
    #[schemars(with = "Option<String>")]
    pub owner: Option<Ref>,
    /// The party (its id) that owns the measure and reports its results.
    #[schemars(with = "Option<String>")]
    pub party: Option<Ref>,
    /// True for a perception measure (how people see the relationship) rather than an objective one.
    #[serde(default)]
    pub perception: bool,
    /// The results, a period each.
    #[serde(default)]
    pub results: Vec<KpiResult>,
}

/// Which way a result must lie from its target to meet it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// The result must be the target or more.
    AtLeast,
    /// The result must be the target or less.
    AtMost,
}

/// A measure's target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub value: f64,
    pub unit: Option<String>,
    /// `at-least` unless said otherwise.
    pub direction: Option<Direction>,
}

impl Target {
    /// Whether `result` meets the target.
    pub fn met_by(&self, result: f64) -> bool {
        match self.aim() {
            Direction::AtLeast => result >= self.value,
            Direction::AtMost => result <= self.value,
        }
    }

    /// Which way results must lie from it, `at-least` when not said.
    pub fn aim(&self) -> Direction {
        self.direction.unwrap_or(Direction::AtLeast)
    }
}

impl Direction {
    /// In words, as the check and the pack say it.
    pub fn words(self) -> &'static str {
        match self {
            Direction::AtLeast => "at least",
            Direction::AtMost => "at most",
        }
    }
}

impl Kpi {
    /// The target results can be judged against: text targets cannot be.
    pub fn typed_target(&self) -> Option<&Target> {
        self.target.as_ref().and_then(TextOr::typed)
    }

    /// The results reported by `today`: one dated later is not yet a result
    /// (the check and the pack's chart read the same ones).
    pub fn results_by(&self, today: Date) -> impl Iterator<Item = &KpiResult> {
        self.results
            .iter()
            .filter(move |r| r.date.is_none_or(|d| d <= today))
    }

    /// The latest result by `today` that gives a number: the newest dated
    /// one, or the last written when none is dated. What the exit triggers
    /// watch and what the pack's chart puts first.
    pub fn latest_by(&self, today: Date) -> Option<&KpiResult> {
        let results: Vec<_> = self
            .results_by(today)
            .filter(|r| r.value.is_some_and(f64::is_finite))
            .collect();
        results
            .iter()
            .filter(|r| r.date.is_some())
            .max_by_key(|r| r.date)
            .or(results.last())
            .copied()
    }
}

/// One period's result of a measure.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KpiResult {
    /// The period measured, such as 2026-Q1.
    pub period: Option<String>,
    /// When the result was reported.
    pub date: Option<Date>,
    pub value: Option<f64>,
    /// The action (its id) raised when the result missed its target.
    #[schemars(with = "Option<String>")]
    pub action: Option<Ref>,
    pub note: Option<String>,
}

/// A measured amount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quantity {
    pub value: f64,
    pub unit: Option<String>,
}

/// Text, as older plans wrote it, or the typed form of the same field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum TextOr<T> {
    Text(String),
    Typed(T),
}

impl<T> TextOr<T> {
    pub fn typed(&self) -> Option<&T> {
        match self {
            TextOr::Typed(t) => Some(t),
            TextOr::Text(_) => None,
        }
    }
}

impl<T: JsonSchema> JsonSchema for TextOr<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("TextOr{}", T::schema_name()).into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let typed = g.subschema_for::<T>();
        schemars::json_schema!({ "anyOf": [{ "type": "string" }, typed] })
    }
}

// Read by the value's own shape: a string is text, a mapping the typed form,
// so an error in the mapping is reported as the mapping's, at its line.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for TextOr<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = TextOr<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("text, or a mapping")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(TextOr::Text(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(TextOr::Text(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(TextOr::Text(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(TextOr::Text(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                m: A,
            ) -> Result<Self::Value, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(m)).map(TextOr::Typed)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

// ---------------------------------------------------------------- joint plans

/// What a joint decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionTopic {
    /// Two parties' objectives that look alike: one joint objective, or two?
    CommonObjective,
    /// Objectives that pull against each other.
    ConflictingObjective,
    /// Two risks that look like the same risk.
    DuplicateRisk,
    /// An information area one party shares and the other restricts or withholds.
    KnowledgeConflict,
    /// The joint exit strategy, seeded from both parties' own.
    ExitStrategy,
    /// Two people with the same id in the parties' plans.
    PersonId,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionStatus {
    Open,
    Settled,
}

/// A point the partners must agree on before the joint plan stands: written by
/// `fork-joint`, settled by the partners.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JointDecision {
    #[schemars(with = "String")]
    pub id: Ref,
    pub topic: Option<DecisionTopic>,
    pub summary: Option<String>,
    /// The joint records concerned, as `kind:id` (`risks:northwind-R-3`).
    #[serde(default)]
    pub records: Vec<String>,
    /// Where the question came from in the parties' plans.
    #[serde(default)]
    pub sources: Vec<RecordSource>,
    pub status: Option<DecisionStatus>,
    /// What the partners agreed.
    pub resolution: Option<String>,
    #[schemars(with = "Option<String>")]
    pub settled_by: Option<Ref>,
    pub settled: Option<Date>,
}

impl Action {
    /// Open or in progress (or no status given): its due date still binds.
    pub fn is_open(&self) -> bool {
        matches!(
            self.status,
            Some(ActionStatus::Open | ActionStatus::InProgress) | None
        )
    }
}

impl Issue {
    pub fn is_open(&self) -> bool {
        !matches!(self.status, Some(IssueStatus::Resolved))
    }
}

impl Risk {
    pub fn is_open(&self) -> bool {
        !matches!(self.status, Some(RiskStatus::Closed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ASPECTS names the fields in their order, and scores() follows it.
    #[test]
    fn trust_aspects_are_the_fields_in_order() {
        let yaml: String = TrustScores::ASPECTS
            .iter()
            .enumerate()
            .map(|(k, (field, _))| format!("{field}: {}\n", k % 5 + 1))
            .collect();
        let s: TrustScores = serde_saphyr::from_str(&yaml).unwrap();
        let want: Vec<Option<Score>> = (0..10).map(|k| Some(Score(k % 5 + 1))).collect();
        assert_eq!(s.scores().to_vec(), want);
    }
}
