//! `bsrmp completions`: a shell completion script.

use super::*;

pub fn run(args: CompletionsArgs, ctx: &Context) -> Result<u8, Error> {
    let CompletionsArgs { shell } = args;
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::command(), "bsrmp", &mut buf);
    ctx.out(&String::from_utf8_lossy(&buf));
    Ok(PASS)
}
