//! Where the checklist sits in ISO 44001:2017, the international standard
//! that replaced BS 11000 in 2017 and kept its eight-stage life cycle inside
//! the ISO management-system structure. The stages map one to one.
//!
//! The references are to the stage, never to a clause number: no public
//! source we could read gives the numbers of ISO 44001's clauses for the
//! stages, and a wrong number would send an assessor to the wrong page.
//! docs/checklist.md names the sources and says so.

use serde::Serialize;

/// The standard and its year, as a reference names it.
pub const STANDARD: &str = "ISO 44001:2017";

/// A stage of ISO 44001's life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Stage {
    pub stage: u8,
    /// The stage's name in ISO 44001, in lower case.
    pub name: &'static str,
}

/// The stages' names as public summaries of ISO 44001 give them. Stage 8 is
/// called "exit strategy implementation" by some and "exit strategy
/// activation" by others; "exit strategy" is both.
const NAMES: [&str; 8] = [
    "operational awareness",
    "knowledge",
    "internal assessment",
    "partner selection",
    "working together",
    "value creation",
    "staying together",
    "exit strategy",
];

/// The ISO 44001 stage of a BS 11000 stage (1 to 8).
pub fn stage(no: u8) -> Option<Stage> {
    let name = NAMES.get(usize::from(no).checked_sub(1)?)?;
    Some(Stage { stage: no, name })
}

impl Stage {
    /// "ISO 44001 stage 5", where the stage's name is shown elsewhere.
    pub fn short(self) -> String {
        format!("ISO 44001 stage {}", self.stage)
    }

    /// "ISO 44001 stage 5: working together".
    pub fn label(self) -> String {
        format!("{}: {}", self.short(), self.name)
    }
}

/// Which standard's references a report shows beside BS 11000's own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum References {
    /// BS 11000-1:2010 alone.
    #[default]
    Bs11000,
    /// ISO 44001:2017's stage beside each BS 11000 stage.
    Iso44001,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eight_stages_map_one_to_one() {
        for no in 1..=8u8 {
            let s = stage(no).unwrap();
            assert_eq!(s.stage, no);
            assert!(s.label().starts_with(&format!("ISO 44001 stage {no}: ")));
        }
        assert_eq!(
            stage(1).unwrap().label(),
            "ISO 44001 stage 1: operational awareness"
        );
        assert_eq!(stage(5).unwrap().name, "working together");
        assert!(stage(0).is_none() && stage(9).is_none());
    }
}
