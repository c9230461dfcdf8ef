//! JSON Schemas of the plan's files, generated from the same Rust types the
//! loader reads them into, so the schemas cannot drift from the format. Editors
//! use them to validate and complete YAML as it is typed.

use schemars::{JsonSchema, SchemaGenerator, generate::SchemaSettings};
use serde_json::{Map, Value, json};

use crate::plan::kinds::{self, KindInfo};
use crate::plan::manifest::Manifest;
use crate::plan::records::*;

const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The schema of `T`, with its definitions split out.
fn root<T: JsonSchema>() -> (Value, Map<String, Value>) {
    let generator: SchemaGenerator = SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    let defs = schema
        .as_object_mut()
        .and_then(|o| o.remove("$defs"))
        .and_then(|d| d.as_object().cloned())
        .unwrap_or_default();
    if let Some(o) = schema.as_object_mut() {
        o.remove("$schema");
    }
    (schema, defs)
}

/// A record file: one top-level key holding a list of `T` (or one `T`).
fn file<T: JsonSchema>(kind: &KindInfo) -> Value {
    let (item, mut defs) = root::<T>();
    let name = T::schema_name().to_string();
    defs.insert(name.clone(), item);
    let reference = json!({ "$ref": format!("#/$defs/{name}") });
    let value = if kind.single {
        json!({ "anyOf": [reference, { "type": "null" }] })
    } else {
        json!({ "anyOf": [{ "type": "array", "items": reference }, { "type": "null" }] })
    };
    json!({
        "$schema": DIALECT,
        "title": format!("bsrmp {}", kind.file),
        "description": format!("The {} records of a BS 11000 relationship management plan (bsrmp plan format 1).", kind.noun),
        "type": "object",
        "additionalProperties": false,
        "properties": { kind.key: value },
        "$defs": Value::Object(defs),
    })
}

/// The schema of one record file, by kind name.
pub fn for_kind(kind: &KindInfo) -> Value {
    match kind.name {
        "people" => file::<Person>(kind),
        "ser" => file::<SerAppointment>(kind),
        "relationships" => file::<Relationship>(kind),
        "objectives" => file::<Objective>(kind),
        "skills" => file::<Skill>(kind),
        "risks" => file::<Risk>(kind),
        "actions" => file::<Action>(kind),
        "issues" => file::<Issue>(kind),
        "reviews" => file::<SerReview>(kind),
        "assessments" => file::<Assessment>(kind),
        "value" => file::<ValueInitiative>(kind),
        "audits" => file::<Audit>(kind),
        "knowledge" => file::<KnowledgeArea>(kind),
        "exit" => file::<ExitStrategy>(kind),
        "maturity" => file::<Maturity>(kind),
        "criteria" => file::<Criterion>(kind),
        "candidates" => file::<Candidate>(kind),
        "governance" => file::<Governance>(kind),
        "stakeholders" => file::<Stakeholder>(kind),
        "kpis" => file::<Kpi>(kind),
        "decisions" => file::<JointDecision>(kind),
        "meetings" => file::<Meeting>(kind),
        "lessons" => file::<Lesson>(kind),
        other => json!({ "$schema": DIALECT, "title": other }),
    }
}

/// The schema of rmp.toml (for TOML editors that read JSON Schema, such as Taplo).
pub fn manifest() -> Value {
    let (mut schema, defs) = root::<Manifest>();
    if let Some(o) = schema.as_object_mut() {
        o.insert("$schema".into(), json!(DIALECT));
        o.insert("title".into(), json!("bsrmp rmp.toml"));
        o.insert("$defs".into(), Value::Object(defs));
    }
    schema
}

/// The file name of a kind's schema: `risks.schema.json`.
/// Named after the record file it describes (`ser-reviews.yaml` has
/// `ser-reviews.schema.json`), so that one can be found from the other.
pub fn file_name(kind: &KindInfo) -> String {
    let stem = kind
        .file
        .rsplit('/')
        .next()
        .and_then(|f| f.strip_suffix(".yaml"))
        .unwrap_or(kind.name);
    format!("{stem}.schema.json")
}

/// Every schema, by file name.
pub fn all() -> Vec<(String, Value)> {
    let mut out = vec![("rmp.schema.json".to_string(), manifest())];
    for k in kinds::KINDS {
        out.push((file_name(k), for_kind(k)));
    }
    out
}
