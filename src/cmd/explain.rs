//! `bsrmp explain`: what a clause asks and what satisfies it, or what a
//! finding code means.

use super::*;

pub fn run(args: ExplainArgs, ctx: &Context) -> Result<u8, Error> {
    let ExplainArgs { clause } = args;
    let checklist = Checklist::builtin();
    let clause = clause.trim().trim_end_matches('.');
    if let Some(code) = bsrmp::code::Code::named(clause) {
        ctx.out(&code.explain());
        return Ok(PASS);
    }
    match checklist.get(clause) {
        Some(req) => {
            ctx.out(&explaining::explain(
                req,
                &checking::control::demands(&req.clause),
            ));
            Ok(PASS)
        }
        None => Err(Error::Usage(format!(
            "`{clause}` is neither a clause of BS 11000-1 nor a finding code; `bsrmp checklist` lists the clauses, docs/checks.md the codes"
        ))),
    }
}
