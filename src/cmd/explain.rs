//! `bsrmp explain`: what a clause asks and what satisfies it.

use super::*;

pub fn run(args: ExplainArgs, ctx: &Context) -> Result<u8, Error> {
    let ExplainArgs { clause } = args;
    let checklist = Checklist::builtin();
    let clause = clause.trim().trim_end_matches('.');
    match checklist.get(clause) {
        Some(req) => {
            ctx.out(&explaining::explain(
                req,
                &history::control::demands(&req.clause),
            ));
            Ok(PASS)
        }
        None => Err(Error::Usage(format!(
            "`{clause}` is not a clause of BS 11000-1; `bsrmp checklist` lists them all"
        ))),
    }
}
