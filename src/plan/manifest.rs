//! `rmp.toml`: what the plan is, who its parties are, and how often things
//! must be reviewed; pointers to existing documents and recorded waivers.

use crate::code::Code;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::date::Date;
use super::records::StageNo;
use crate::diag::{Finding, Pos};

pub const FILE: &str = "rmp.toml";
/// The plan format version this build reads.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PlanKind {
    Corporate,
    Project,
    Joint,
}

impl PlanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanKind::Corporate => "corporate",
            PlanKind::Project => "project",
            PlanKind::Joint => "joint",
        }
    }
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub name: String,
    /// The party's senior executive responsible: a person id.
    #[schemars(with = "Option<String>")]
    pub ser: Option<Spanned<String>>,
}

fn days(n: u32) -> u32 {
    n
}

/// How often things must happen, in days.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Intervals {
    #[serde(default = "default_ser_review")]
    pub ser_review_days: u32,
    #[serde(default = "default_assessment")]
    pub assessment_days: u32,
    #[serde(default = "default_exit_review")]
    pub exit_review_days: u32,
    /// The longest a narrative may go between reviews: its `review_by` may
    /// be at most this far ahead.
    #[serde(default = "default_document_review")]
    pub document_review_days: u32,
    /// The longest the joint management team may go between meetings.
    #[serde(default = "default_meeting")]
    pub meeting_days: u32,
    /// The longest value creation may go without a review of its initiatives.
    #[serde(default = "default_value_review")]
    pub value_review_days: u32,
    /// The longest the governance arrangements may go without a review.
    #[serde(default = "default_governance_review")]
    pub governance_review_days: u32,
    /// The longest the internal assessment (its maturity profile) may go
    /// without being assessed again.
    #[serde(default = "default_internal_assessment")]
    pub internal_assessment_days: u32,
    /// How soon after joining the relationship a person is inducted into it.
    #[serde(default = "default_induction")]
    pub induction_days: u32,
}

/// The plan's own thresholds: outcomes at or below them need an answer.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// A trust score (1 to 5) at or below this needs a follow-up action.
    #[serde(default = "default_trust_score")]
    pub trust_score: u8,
}

fn default_trust_score() -> u8 {
    2
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            trust_score: default_trust_score(),
        }
    }
}

impl Thresholds {
    /// The threshold a checklist rule names.
    pub fn get(&self, name: &str) -> Option<f64> {
        match name {
            "trust_score" => Some(f64::from(self.trust_score)),
            _ => None,
        }
    }
}

fn default_ser_review() -> u32 {
    days(90)
}
fn default_assessment() -> u32 {
    days(90)
}
fn default_exit_review() -> u32 {
    days(365)
}
/// A quarter, the longest of the usual joint management cycles.
fn default_meeting() -> u32 {
    days(92)
}
fn default_value_review() -> u32 {
    days(183)
}
fn default_governance_review() -> u32 {
    days(366)
}
fn default_internal_assessment() -> u32 {
    days(366)
}
fn default_induction() -> u32 {
    days(30)
}
/// A year, leap day included: `init` sets review_by a year ahead.
fn default_document_review() -> u32 {
    days(366)
}

impl Default for Intervals {
    fn default() -> Self {
        Intervals {
            ser_review_days: default_ser_review(),
            assessment_days: default_assessment(),
            exit_review_days: default_exit_review(),
            document_review_days: default_document_review(),
            meeting_days: default_meeting(),
            value_review_days: default_value_review(),
            governance_review_days: default_governance_review(),
            internal_assessment_days: default_internal_assessment(),
            induction_days: default_induction(),
        }
    }
}

impl Intervals {
    /// The interval a checklist rule names.
    pub fn get(&self, name: &str) -> Option<u32> {
        Some(match name {
            "ser_review_days" => self.ser_review_days,
            "assessment_days" => self.assessment_days,
            "exit_review_days" => self.exit_review_days,
            "document_review_days" => self.document_review_days,
            "meeting_days" => self.meeting_days,
            "value_review_days" => self.value_review_days,
            "induction_days" => self.induction_days,
            "governance_review_days" => self.governance_review_days,
            "internal_assessment_days" => self.internal_assessment_days,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    pub reason: Option<String>,
    #[schemars(with = "Option<String>")]
    pub approved_by: Option<Spanned<String>>,
    pub date: Option<Date>,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[schemars(with = "Option<u32>")]
    pub format: Option<Spanned<u32>>,
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub title: String,
    pub kind: PlanKind,
    #[schemars(with = "StageNo")]
    pub stage: Spanned<StageNo>,
    /// The plan this one was derived from (a project plan's corporate plan).
    pub derived_from: Option<String>,
    #[serde(default)]
    pub parties: Vec<Party>,
    #[serde(default)]
    pub intervals: Intervals,
    #[serde(default)]
    pub thresholds: Thresholds,
    /// Clause -> existing documents that satisfy it.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Vec<String>>")]
    pub evidence: BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
    /// Clause -> why it does not apply, who approved that, and when.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Waiver>")]
    pub waivers: BTreeMap<String, Spanned<Waiver>>,
}

impl Manifest {
    pub fn stage(&self) -> u8 {
        self.stage.get_ref().0
    }
}

/// 1-based line and column of a byte offset.
pub fn pos_at(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u32
        + 1;
    Pos::new(line, column)
}

/// The parser's Rust type names in plain words.
fn plain_types(message: &str) -> String {
    let mut m = message.to_string();
    for int in ["i128", "i64", "i32", "i16", "i8", "u128", "u64", "usize"] {
        m = m.replace(&format!(" as {int}"), "");
    }
    for (ty, words) in [
        ("u8", "a whole number from 0 to 255"),
        ("u16", "a whole number from 0 to 65,535"),
        ("u32", "a whole number of 0 or more (up to about 4 billion)"),
        ("u64", "a whole number of 0 or more"),
        ("usize", "a whole number of 0 or more"),
        ("i64", "a whole number"),
        ("i32", "a whole number"),
    ] {
        m = m.replace(&format!("expected {ty}"), &format!("expected {words}"));
    }
    m
}

pub fn parse(text: &str) -> Result<Manifest, Finding> {
    let manifest: Manifest = toml::from_str(text).map_err(|err| {
        let pos = err.span().map(|s| pos_at(text, s.start));
        Finding::error(Code::InvalidManifest, plain_types(err.message().trim()))
            .help("see docs/plan-format.md for the fields of rmp.toml")
            .in_file(FILE, pos)
    })?;
    if let Some(format) = &manifest.format
        && *format.get_ref() != FORMAT
    {
        return Err(Finding::error(
            Code::InvalidManifest,
            format!(
                "this plan uses format {}, but this bsrmp reads format {FORMAT}",
                format.get_ref()
            ),
        )
        .help("use the bsrmp release that matches the plan, or migrate the plan")
        .in_file(FILE, Some(pos_at(text, format.span().start))));
    }
    Ok(manifest)
}
