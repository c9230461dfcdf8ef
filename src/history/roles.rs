//! The roles a person holds in a plan, and where the plan says so. An
//! approval may claim only one of them: anyone can type `--as SER`, so the
//! claim is worth something only when the plan backs it.

use crate::plan::Plan;
use crate::plan::document::Document;
use crate::plan::records::Person;

/// One role a person holds, and the place in the plan that says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub role: String,
    pub from: String,
}

/// The roles `person` holds: SER where a party names them in rmp.toml or an
/// SER appointment does, each part of their role in the people register, and
/// "approver" of `document` when its front matter names them.
pub fn held(plan: &Plan, person: &Person, document: Option<&Document>) -> Vec<Held> {
    let id = person.id.value.as_str();
    let mut out = Vec::new();
    for party in &plan.manifest.parties {
        if party.ser.as_ref().is_some_and(|s| s.get_ref() == id) {
            out.push(Held {
                role: "SER".into(),
                from: format!("rmp.toml, as SER of {}", party.name),
            });
        }
    }
    for a in &plan.records.ser {
        if a.value.person.as_ref().is_some_and(|p| p.value == id) {
            out.push(Held {
                role: "SER".into(),
                from: format!("SER appointment {}", a.value.id.value),
            });
        }
    }
    if let Some(role) = person.role.as_deref() {
        for part in role
            .split([';', ','])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            out.push(Held {
                role: part.to_string(),
                from: "registers/people.yaml".into(),
            });
        }
    }
    if let Some(doc) = document
        && let Some(named) = doc.front.approver.as_deref()
        && names(person, named)
    {
        out.push(Held {
            role: "approver".into(),
            from: format!("the front matter of {}", doc.path),
        });
    }
    out
}

/// Whether `text` names the person, by id or by name.
fn names(person: &Person, text: &str) -> bool {
    let t = text.trim();
    t == person.id.value
        || person
            .name
            .as_deref()
            .is_some_and(|n| n.trim().eq_ignore_ascii_case(t))
}

/// Roles compare without regard to case or spacing.
fn norm(role: &str) -> String {
    role.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The held role that `claimed` names, if any.
pub fn matching<'a>(held: &'a [Held], claimed: &str) -> Option<&'a Held> {
    let c = norm(claimed);
    held.iter().find(|h| norm(&h.role) == c)
}

/// Whether the approver recorded in an approval trailer ("Name (id)" or a
/// bare id) is one of the plan's SERs.
pub fn is_ser(plan: &Plan, recorded_by: &str) -> bool {
    let id = recorded_id(recorded_by);
    plan.records
        .people
        .iter()
        .map(|p| &p.value)
        .filter(|p| p.id.value == id || names(p, recorded_by))
        .any(|p| held(plan, p, None).iter().any(|h| h.role == "SER"))
}

/// The people (ids) who are SER of `party`: named in rmp.toml or by an SER
/// appointment of that party.
pub fn sers_of(plan: &Plan, party: &str) -> Vec<String> {
    let mut out: Vec<String> = plan
        .manifest
        .parties
        .iter()
        .filter(|p| p.id.get_ref() == party)
        .filter_map(|p| p.ser.as_ref().map(|s| s.get_ref().clone()))
        .collect();
    for a in &plan.records.ser {
        if a.value.party.as_ref().is_some_and(|p| p.value == party)
            && let Some(person) = &a.value.person
            && !out.contains(&person.value)
        {
            out.push(person.value.clone());
        }
    }
    out
}

/// Whether the approver recorded in a trailer is `id`.
pub fn recorded_is(recorded_by: &str, id: &str) -> bool {
    recorded_id(recorded_by) == id
}

/// The id in "Name (id)", or the whole text.
fn recorded_id(by: &str) -> &str {
    let by = by.trim();
    by.strip_suffix(')')
        .and_then(|b| b.rsplit_once('('))
        .map_or(by, |(_, id)| id.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_read_from_the_recorded_approver() {
        assert_eq!(recorded_id("Eleanor Harcourt (eharcourt)"), "eharcourt");
        assert_eq!(recorded_id("eharcourt"), "eharcourt");
        assert_eq!(recorded_id("A (B) (c)"), "c");
    }

    #[test]
    fn roles_match_without_case_or_spacing() {
        let held = vec![Held {
            role: "Finance  Director".into(),
            from: "x".into(),
        }];
        assert!(matching(&held, "finance director").is_some());
        assert!(matching(&held, "Finance").is_none());
    }
}
