//! Which YAML file of a plan holds which kind of record.

/// A kind of record and the one file that holds it.
#[derive(Debug, Clone, Copy)]
pub struct KindInfo {
    /// The name checklist rules use.
    pub name: &'static str,
    /// Path relative to the plan root.
    pub file: &'static str,
    /// The file's one top-level key.
    pub key: &'static str,
    /// What one record is called in messages.
    pub noun: &'static str,
    /// A single mapping rather than a list of records with ids.
    pub single: bool,
}

const fn kind(
    name: &'static str,
    file: &'static str,
    key: &'static str,
    noun: &'static str,
    single: bool,
) -> KindInfo {
    KindInfo {
        name,
        file,
        key,
        noun,
        single,
    }
}

const fn list(
    name: &'static str,
    file: &'static str,
    key: &'static str,
    noun: &'static str,
) -> KindInfo {
    kind(name, file, key, noun, false)
}

const fn single(
    name: &'static str,
    file: &'static str,
    key: &'static str,
    noun: &'static str,
) -> KindInfo {
    kind(name, file, key, noun, true)
}

pub const KINDS: &[KindInfo] = &[
    list("people", "registers/people.yaml", "people", "person"),
    list(
        "ser",
        "01-awareness/ser.yaml",
        "appointments",
        "SER appointment",
    ),
    list(
        "relationships",
        "01-awareness/segmentation.yaml",
        "relationships",
        "relationship",
    ),
    list(
        "objectives",
        "registers/objectives.yaml",
        "objectives",
        "objective",
    ),
    list("skills", "registers/skills.yaml", "skills", "competency"),
    list("risks", "registers/risks.yaml", "risks", "risk"),
    list("actions", "registers/actions.yaml", "actions", "action"),
    list("issues", "registers/issues.yaml", "issues", "issue"),
    list(
        "reviews",
        "registers/ser-reviews.yaml",
        "reviews",
        "SER review",
    ),
    list(
        "assessments",
        "registers/assessments.yaml",
        "assessments",
        "relationship assessment",
    ),
    list(
        "value",
        "registers/value.yaml",
        "initiatives",
        "value initiative",
    ),
    list("audits", "registers/audits.yaml", "audits", "audit"),
    list(
        "knowledge",
        "registers/knowledge-map.yaml",
        "areas",
        "knowledge area",
    ),
    single(
        "exit",
        "registers/exit-strategy.yaml",
        "exit_strategy",
        "exit strategy",
    ),
    single(
        "maturity",
        "03-internal-assessment/maturity.yaml",
        "maturity",
        "maturity assessment",
    ),
    list(
        "criteria",
        "03-internal-assessment/selection-criteria.yaml",
        "criteria",
        "selection criterion",
    ),
    list(
        "candidates",
        "04-partner-selection/candidates.yaml",
        "candidates",
        "candidate partner",
    ),
    single(
        "governance",
        "05-working-together/governance.yaml",
        "governance",
        "governance record",
    ),
    list(
        "stakeholders",
        "05-working-together/communications.yaml",
        "stakeholders",
        "stakeholder",
    ),
    list(
        "kpis",
        "05-working-together/measures.yaml",
        "kpis",
        "performance measure",
    ),
    list(
        "decisions",
        "registers/joint-decisions.yaml",
        "decisions",
        "joint decision",
    ),
    list(
        "meetings",
        "05-working-together/meetings.yaml",
        "meetings",
        "joint management meeting",
    ),
    list(
        "lessons",
        "06-value-creation/lessons.yaml",
        "lessons",
        "lesson learned",
    ),
];

pub fn by_name(name: &str) -> Option<&'static KindInfo> {
    KINDS.iter().find(|k| k.name == name)
}

pub fn by_file(file: &str) -> Option<&'static KindInfo> {
    KINDS.iter().find(|k| k.file == file)
}

/// The eight stages: number, folder, name, the clause that heads it.
pub struct StageInfo {
    pub no: u8,
    pub folder: &'static str,
    pub name: &'static str,
    pub phase: &'static str,
}

pub const STAGES: [StageInfo; 8] = [
    StageInfo {
        no: 1,
        folder: "01-awareness",
        name: "Awareness",
        phase: "strategic",
    },
    StageInfo {
        no: 2,
        folder: "02-knowledge",
        name: "Knowledge",
        phase: "strategic",
    },
    StageInfo {
        no: 3,
        folder: "03-internal-assessment",
        name: "Internal assessment",
        phase: "strategic",
    },
    StageInfo {
        no: 4,
        folder: "04-partner-selection",
        name: "Partner selection",
        phase: "engagement",
    },
    StageInfo {
        no: 5,
        folder: "05-working-together",
        name: "Working together",
        phase: "engagement",
    },
    StageInfo {
        no: 6,
        folder: "06-value-creation",
        name: "Value creation",
        phase: "engagement",
    },
    StageInfo {
        no: 7,
        folder: "07-staying-together",
        name: "Staying together",
        phase: "management",
    },
    StageInfo {
        no: 8,
        folder: "08-exit-strategy",
        name: "Exit strategy",
        phase: "management",
    },
];

pub fn stage(no: u8) -> &'static StageInfo {
    &STAGES[usize::from(no.clamp(1, 8)) - 1]
}

/// The narrative of each stage folder.
pub const NARRATIVE: &str = "README.md";
pub const REGISTERS: &str = "registers";
