//! `bsrmp checklist`: the checklist's requirements.

use super::*;

pub fn run(args: ChecklistArgs, ctx: &Context) -> Result<u8, Error> {
    let ChecklistArgs { stage, format } = args;
    let checklist = Checklist::builtin();
    match format {
        ListFormat::Human => ctx.out(&explaining::list(checklist, stage)),
        ListFormat::Json => {
            let reqs: Vec<_> = checklist
                .requirements
                .iter()
                .filter(|r| stage.is_none_or(|s| s == r.stage))
                .collect();
            let doc = serde_json::json!({
                "standard": checklist.standard,
                "version": checklist.version,
                "requirements": reqs,
            });
            ctx.out_data(
                &format!(
                    "{}\n",
                    serde_json::to_string_pretty(&doc).unwrap_or_default()
                ),
                false,
            );
        }
    }
    Ok(PASS)
}
