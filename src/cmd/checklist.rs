//! `bsrmp checklist`: the checklist's requirements.

use super::*;

pub fn run(args: ChecklistArgs, ctx: &Context) -> Result<u8, Error> {
    let ChecklistArgs { stage, format } = args;
    let checklist = Checklist::builtin();
    match format {
        ListFormat::Human => ctx.out(&explaining::list(checklist, stage)),
        ListFormat::Json => {
            // Each requirement with its stage's place in ISO 44001.
            let reqs: Vec<serde_json::Value> = checklist
                .requirements
                .iter()
                .filter(|r| stage.is_none_or(|s| s == r.stage))
                .map(|r| {
                    let mut v = serde_json::to_value(r).unwrap_or_default();
                    if let (Some(map), Some(iso)) = (
                        v.as_object_mut(),
                        bsrmp::checklist::iso44001::stage(r.stage),
                    ) {
                        map.insert("iso44001".into(), serde_json::json!(iso));
                    }
                    v
                })
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
