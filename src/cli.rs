//! Command-line arguments. Parsing only: the work is done in the library.

use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "bsrmp",
    version,
    about = "Keep a BS 11000 Relationship Management Plan as YAML and Markdown in git, and check it against the standard",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    /// When to use colour: auto (a terminal, and NO_COLOR not set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only errors and the requested output (for `check`, its verdict line)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: every file written, every joint decision
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Junit,
    Sarif,
    Github,
}

impl From<Format> for bsrmp::check::report::Format {
    fn from(f: Format) -> Self {
        use bsrmp::check::report::Format as F;
        match f {
            Format::Human => F::Human,
            Format::Json => F::Json,
            Format::Junit => F::Junit,
            Format::Sarif => F::Sarif,
            Format::Github => F::Github,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Human,
    Json,
}

/// A standard whose references `check` can show beside BS 11000's.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Standard {
    /// BS 11000-1:2010 alone
    Bs11000,
    /// Each stage with its place in ISO 44001:2017 too
    Iso44001,
}

impl From<Standard> for bsrmp::checklist::iso44001::References {
    fn from(s: Standard) -> Self {
        match s {
            Standard::Bs11000 => Self::Bs11000,
            Standard::Iso44001 => Self::Iso44001,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InitKind {
    Corporate,
    Project,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a new plan in a new git repository (never overwrites anything)
    Init(InitArgs),
    /// Check the plan against the BS 11000-1 checklist
    ///
    /// Exit status: 0 when there is no error finding (nothing due is missing or
    /// incomplete, no broken reference), 1 when there is one (with --deny-warnings,
    /// any finding), 2 when the plan cannot be read or the call is wrong.
    Check(CheckArgs),
    /// Write the assessor pack: an HTML site, one Markdown file and a PDF
    ///
    /// The pack shows every clause with its status, its evidence and who changed
    /// and approved that evidence, when. It is written to a temporary folder and
    /// moved into place; OUT must be new, empty, or an earlier pack. Set
    /// SOURCE_DATE_EPOCH to fix the generation time, so the same commit renders
    /// byte-identical files.
    Render(RenderArgs),
    /// Merge two parties' plans into a new joint plan, keeping both histories
    ///
    /// OURS and THEIRS are plans in git repositories (a folder, or a git URL).
    /// OUT is a new git repository: each party's plan with its whole history under
    /// parties/<party>/, then a merge commit that seeds the joint records and lists
    /// every point to agree in MERGE-REPORT.md. The sources are only read.
    ForkJoint(ForkJointArgs),
    /// Where the plan stands: each stage with a bar, what is overdue, what
    /// changed since its approval, what falls due in the next 90 days, and the
    /// next three things to do
    Status(StatusArgs),
    /// What falls due, as an iCalendar file (.ics) for the managers'
    /// calendars: actions, escalations, risk reviews, audits, inductions,
    /// document reviews, and the next of each review, meeting and result
    Calendar(CalendarArgs),
    /// The registers and the compliance matrix for a spreadsheet: one XLSX
    /// workbook (a sheet a register), or one CSV file a register
    ///
    /// The statuses and marked rows are the assessor pack's. The output is
    /// built aside and moved into place; it must be outside the plan, and an
    /// existing file or a folder with files in it is never replaced.
    Export(ExportArgs),
    /// Write the JSON Schemas of rmp.toml and every record file, for editors
    ///
    /// Generated from the types bsrmp reads the files into. Point your editor
    /// at them (see docs/editors.md), or use the schema comment `init` writes.
    Schema(SchemaArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    ///
    /// For example: `bsrmp completions bash > ~/.local/share/bash-completion/completions/bsrmp`
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write a page for every command
    ///
    /// `bsrmp man` prints bsrmp(1). `bsrmp man --out DIR` writes bsrmp.1 and a
    /// page per command (bsrmp-check.1, ...); install them with
    /// `cp DIR/*.1 ~/.local/share/man/man1/`.
    Man(ManArgs),
    /// Show the document control register, or one document's revision history
    ///
    /// With no argument: the register of the plan in the current folder. With
    /// one: a plan folder (holding rmp.toml) or a document of the plan here.
    /// With two: the plan folder, then the document.
    Log(LogArgs),
    /// Record an approval of documents as a git commit naming the approver,
    /// the role and the exact content approved
    ///
    /// Arguments: [DIR] PATH... The first is taken as the plan's folder when it
    /// holds rmp.toml and more arguments follow; paths are relative to the plan.
    Approve(ApproveArgs),
    /// List the checklist's 89 requirements
    Checklist(ChecklistArgs),
    /// Say what a clause asks, why, and what in the plan satisfies it; or
    /// what a finding code means
    Explain(ExplainArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder for the plan; must not exist, or be empty
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Your organisation's name
    #[arg(long)]
    pub org: String,
    /// corporate: the organisation's default approach; project: one relationship
    #[arg(long, value_enum, default_value_t = InitKind::Corporate)]
    pub kind: InitKind,
    /// The corporate plan a project plan starts from (copies its stage 1, people, skills and objectives)
    #[arg(long)]
    pub from: Option<PathBuf>,
    /// The plan's id (default: from the folder name)
    #[arg(long)]
    pub id: Option<String>,
    /// The date to start from, YYYY-MM-DD (default: today)
    #[arg(long, hide = true)]
    pub today: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The plan's folder (the one holding rmp.toml)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Report one stage only (1-8)
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=8))]
    pub stage: Option<u8>,
    /// Check as of this date, YYYY-MM-DD (default: today, in UTC)
    #[arg(long)]
    pub today: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail on warnings too
    #[arg(long)]
    pub deny_warnings: bool,
    /// Check the plan as it was at this commit (any git revision), read
    /// from git without touching the work tree
    #[arg(long)]
    pub rev: Option<String>,
    /// Uncommitted changes to the plan are an error, not a warning
    #[arg(long)]
    pub require_clean: bool,
    /// Draw every finding: by default, past 50 findings of one code only
    /// the first 10 are drawn and the rest are counted
    #[arg(long)]
    pub all_findings: bool,
    /// Show each stage's place in another standard too: iso44001 labels
    /// every stage with its ISO 44001:2017 stage
    #[arg(long, value_enum, default_value_t = Standard::Bs11000)]
    pub standard: Standard,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The plan's folder
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The folder to write the pack into (outside the plan)
    #[arg(long)]
    pub out: PathBuf,
    /// Render the plan as it was at this commit
    #[arg(long)]
    pub rev: Option<String>,
    /// Which files to write, separated by commas: html, md, pdf (default: all)
    #[arg(long, value_delimiter = ',', value_parser = pack_format)]
    pub format: Vec<bsrmp::render::PackFormat>,
    /// A folder of templates replacing the built-in ones by name (and
    /// assets such as style.css or a logo, copied into the pack)
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// Also write OUT.zip
    #[arg(long)]
    pub zip: bool,
    /// Check as of this date, YYYY-MM-DD (default: today, in UTC)
    #[arg(long)]
    pub today: Option<String>,
}

#[derive(Debug, Args)]
pub struct ForkJointArgs {
    /// Our plan: a folder holding rmp.toml, or a git URL
    #[arg(long)]
    pub ours: String,
    /// The partner's plan: a folder holding rmp.toml, or a git URL
    #[arg(long)]
    pub theirs: String,
    /// The new joint plan's folder (must not exist, or be empty)
    #[arg(long)]
    pub out: PathBuf,
    /// The joint plan's id (default: <ours>-<theirs>-joint)
    #[arg(long)]
    pub id: Option<String>,
    /// The joint plan's title
    #[arg(long)]
    pub title: Option<String>,
    /// Output format of the summary on stdout
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The plan's folder
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// As of this date, YYYY-MM-DD (default: today, in UTC)
    #[arg(long)]
    pub today: Option<String>,
}

#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// The plan's folder
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// As of this date, YYYY-MM-DD (default: today, in UTC): dates before it
    /// are left out
    #[arg(long)]
    pub today: Option<String>,
    /// Write the calendar to this file (default: print it)
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// One workbook: the compliance matrix, then a sheet a register
    Xlsx,
    /// One CSV file a register, in a folder
    Csv,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The plan's folder
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The workbook to write (a new .xlsx file), or with --format csv a new
    /// or empty folder
    #[arg(long)]
    pub out: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = ExportFormat::Xlsx)]
    pub format: ExportFormat,
    /// Export the plan as it was at this commit
    #[arg(long)]
    pub rev: Option<String>,
    /// Check as of this date, YYYY-MM-DD (default: today, in UTC)
    #[arg(long)]
    pub today: Option<String>,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The folder to write the schemas into (created if missing)
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write every page into this folder instead of printing bsrmp(1)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// [DIR] [PATH]: the plan's folder, then one of its documents
    #[arg(num_args = 0..=2, value_name = "DIR|PATH")]
    pub args: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// [DIR] PATH...: the plan's folder, then the documents to approve
    #[arg(required = true, value_name = "DIR|PATH")]
    pub args: Vec<PathBuf>,
    /// The approver: a person id or name from registers/people.yaml
    #[arg(long)]
    pub by: String,
    /// The role they approve in, such as SER
    #[arg(long = "as")]
    pub role: String,
    /// A note recorded in the approval commit
    #[arg(short, long)]
    pub message: Option<String>,
}

#[derive(Debug, Args)]
pub struct ChecklistArgs {
    /// One stage only (1-8)
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=8))]
    pub stage: Option<u8>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A clause number, such as 4.6.5, or a finding code, such as not-approved
    pub clause: String,
}

/// One of render's `--format html,md,pdf`.
fn pack_format(s: &str) -> Result<bsrmp::render::PackFormat, String> {
    use bsrmp::render::PackFormat;
    match s.trim() {
        "html" => Ok(PackFormat::Html),
        "md" | "markdown" => Ok(PackFormat::Md),
        "pdf" => Ok(PackFormat::Pdf),
        "" => Err("an empty format; use html, md or pdf, separated by commas".into()),
        other => Err(format!(
            "`{other}` is not a pack format; use html, md and pdf, separated by commas"
        )),
    }
}

/// The command line, with a version that names the built-in checklist too.
pub fn command() -> clap::Command {
    let checklist = bsrmp::checklist::Checklist::builtin();
    // Once per run: the string must live as long as the command.
    let version: &'static str = Box::leak(
        format!(
            "{} ({} checklist {})",
            env!("CARGO_PKG_VERSION"),
            checklist.standard,
            checklist.version
        )
        .into_boxed_str(),
    );
    Cli::command().version(version)
}

pub fn parse() -> Result<Cli, clap::Error> {
    let matches = command().try_get_matches()?;
    Cli::from_arg_matches(&matches)
}
