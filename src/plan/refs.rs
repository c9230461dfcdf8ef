//! What each record refers to, so that broken references can be reported at
//! the exact place they are written.

use super::document::FrontMatter;
use super::records::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// An id in registers/people.yaml.
    Person,
    /// A party id in rmp.toml.
    Party,
    /// An id in registers/actions.yaml.
    Action,
    /// An id in registers/objectives.yaml.
    Objective,
    /// An id in the partner selection criteria.
    Criterion,
    /// An issue in registers/issues.yaml or a measure in
    /// 05-working-together/measures.yaml: what an exit trigger watches.
    Watched,
}

pub trait References {
    fn refs(&self) -> Vec<(RefKind, &Ref)>;
}

fn push<'a>(out: &mut Vec<(RefKind, &'a Ref)>, kind: RefKind, r: &'a Option<Ref>) {
    if let Some(r) = r {
        out.push((kind, r));
    }
}

macro_rules! refs {
    ($t:ty, |$s:ident, $out:ident| $body:block) => {
        impl References for $t {
            fn refs(&self) -> Vec<(RefKind, &Ref)> {
                let $s = self;
                let mut $out = Vec::new();
                $body
                $out
            }
        }
    };
}

refs!(Person, |s, out| {
    push(&mut out, RefKind::Party, &s.party);
    push(&mut out, RefKind::Person, &s.replaces);
});
refs!(SerAppointment, |s, out| {
    push(&mut out, RefKind::Person, &s.person);
    push(&mut out, RefKind::Party, &s.party);
});
impl References for Relationship {
    fn refs(&self) -> Vec<(RefKind, &Ref)> {
        Vec::new()
    }
}
refs!(Objective, |s, out| {
    push(&mut out, RefKind::Party, &s.party);
    push(&mut out, RefKind::Person, &s.owner);
});
refs!(Skill, |s, out| {
    push(&mut out, RefKind::Person, &s.owner);
});
refs!(Risk, |s, out| {
    push(&mut out, RefKind::Person, &s.owner);
    push(&mut out, RefKind::Party, &s.raised_by);
});
refs!(Action, |s, out| {
    push(&mut out, RefKind::Person, &s.owner);
});
refs!(Issue, |s, out| {
    push(&mut out, RefKind::Person, &s.owner);
    push(&mut out, RefKind::Party, &s.raised_by);
});
refs!(SerReview, |s, out| {
    push(&mut out, RefKind::Person, &s.chair);
    out.extend(s.attendees.iter().map(|a| (RefKind::Person, a)));
    out.extend(s.actions.iter().map(|a| (RefKind::Action, a)));
});
refs!(Assessment, |s, out| {
    push(&mut out, RefKind::Party, &s.party);
    push(&mut out, RefKind::Person, &s.assessor);
    out.extend(s.actions.iter().map(|a| (RefKind::Action, a)));
});
refs!(ValueInitiative, |s, out| {
    push(&mut out, RefKind::Person, &s.owner);
    push(&mut out, RefKind::Party, &s.raised_by);
    for r in &s.reviews {
        push(&mut out, RefKind::Person, &r.reviewer);
    }
});
refs!(Audit, |s, out| {
    out.extend(s.actions.iter().map(|a| (RefKind::Action, a)));
});
refs!(KnowledgeArea, |s, out| {
    push(&mut out, RefKind::Person, &s.owner);
});
refs!(ExitStrategy, |s, out| {
    push(&mut out, RefKind::Person, &s.owner);
    for r in &s.reviews {
        push(&mut out, RefKind::Person, &r.reviewer);
    }
    for d in &s.responsibilities {
        push(&mut out, RefKind::Person, &d.person);
    }
    for t in s.triggers.iter().filter_map(TextOr::typed) {
        out.extend(t.watch.iter().map(|w| (RefKind::Watched, w)));
    }
});
refs!(Maturity, |s, out| {
    push(&mut out, RefKind::Person, &s.assessor);
});
impl References for Criterion {
    fn refs(&self) -> Vec<(RefKind, &Ref)> {
        Vec::new()
    }
}
refs!(Candidate, |s, out| {
    out.extend(
        s.evaluations
            .iter()
            .map(|e| (RefKind::Criterion, &e.criterion)),
    );
});
refs!(Governance, |s, out| {
    out.extend(s.joint_management_team.iter().map(|p| (RefKind::Person, p)));
    for c in &s.points_of_contact {
        push(&mut out, RefKind::Party, &c.party);
        push(&mut out, RefKind::Person, &c.person);
    }
    for r in &s.roles {
        push(&mut out, RefKind::Person, &r.person);
    }
    for r in &s.reviews {
        push(&mut out, RefKind::Person, &r.reviewer);
    }
});
refs!(Stakeholder, |s, out| {
    push(&mut out, RefKind::Party, &s.party);
    push(&mut out, RefKind::Person, &s.owner);
});
refs!(Kpi, |s, out| {
    push(&mut out, RefKind::Objective, &s.objective);
    push(&mut out, RefKind::Person, &s.owner);
    push(&mut out, RefKind::Party, &s.party);
    for r in &s.results {
        push(&mut out, RefKind::Action, &r.action);
    }
});
refs!(Meeting, |s, out| {
    out.extend(s.attendees.iter().map(|a| (RefKind::Person, a)));
    out.extend(s.actions.iter().map(|a| (RefKind::Action, a)));
});
refs!(Lesson, |s, out| {
    push(&mut out, RefKind::Action, &s.action);
    push(&mut out, RefKind::Person, &s.owner);
});
refs!(FrontMatter, |s, out| {
    push(&mut out, RefKind::Person, &s.owner);
});
refs!(JointDecision, |s, out| {
    push(&mut out, RefKind::Person, &s.settled_by);
});
