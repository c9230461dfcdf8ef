//! `bsrmp schema`: the JSON Schemas of the plan's files.

use super::*;

pub fn run(args: SchemaArgs, ctx: &Context) -> Result<u8, Error> {
    let SchemaArgs { out: dir } = args;
    let schemas = bsrmp::schema::all();
    let files: Vec<(String, Vec<u8>)> = schemas
        .iter()
        .map(|(name, value)| {
            let text = serde_json::to_string_pretty(value).unwrap_or_default();
            (name.clone(), format!("{text}\n").into_bytes())
        })
        .collect();
    bsrmp::staging::write_verified(&dir, &files, "the schema")?;
    ctx.detail(schemas.iter().map(|(n, _)| n.clone()));
    ctx.say(&format!(
        "Wrote {} schemas to {}\n",
        schemas.len(),
        dir.display()
    ));
    Ok(PASS)
}
