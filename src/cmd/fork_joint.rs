//! `bsrmp fork-joint`: a joint plan from two partners' plans.

use super::*;

pub fn run(args: ForkJointArgs, ctx: &Context) -> Result<u8, Error> {
    let ForkJointArgs {
        ours,
        theirs,
        out: out_dir,
        id,
        title,
        format,
    } = args;
    let checklist = Checklist::builtin();
    let opts = bsrmp::joint::ForkOptions {
        ours,
        theirs,
        out: out_dir,
        id,
        title,
        time: commit_time()?,
    };
    let report = match bsrmp::joint::fork_joint(&opts, checklist) {
        Err(bsrmp::Error::InvalidPlan { findings, texts }) => {
            ctx.err_out(&report::human::render_load_errors(
                &findings,
                &texts,
                &ctx.human(),
            ));
            return Err(Error::Usage(format!(
                "a plan cannot be read: {} problem(s), listed above; nothing was written",
                findings.len()
            )));
        }
        other => other?,
    };
    leftovers_note(ctx, &report.leftovers);
    match format {
        ListFormat::Json => ctx.out_data(
            &format!(
                "{}\n",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            ),
            false,
        ),
        ListFormat::Human => {
            let mut text = format!(
                "Made the joint plan {} in {}\n",
                report.id,
                report.out.display()
            );
            for p in &report.parties {
                // `git log -- parties/<party>/` lists only the commits
                // that change files, so the approvals are counted apart.
                let approvals = match p.approvals_only {
                    0 => String::new(),
                    n => format!(", and {n} approval commit(s), which change no file"),
                };
                text.push_str(&format!(
                    "  {} ({}): {} commit(s) changing parties/{}/{approvals}\n",
                    p.name,
                    p.source,
                    p.commits_copied - p.approvals_only,
                    p.party
                ));
            }
            text.push_str(&format!(
                "{} joint decision(s) to settle: see {}\n",
                report.decisions.len(),
                report.out.join("MERGE-REPORT.md").display()
            ));
            for u in &report.uncommitted {
                text.push_str(&format!(
                    "note: {u} has uncommitted changes; only its committed plan was taken\n"
                ));
            }
            ctx.say(&text);
            ctx.detail(
                report
                    .decisions
                    .iter()
                    .map(|d| format!("{} ({}): {}", d.id, d.topic, d.summary)),
            );
        }
    }
    Ok(PASS)
}
