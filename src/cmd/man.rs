//! `bsrmp man`: bsrmp(1) and one page per command (bsrmp-check(1), ...),
//! each with the command's options and an EXIT STATUS section, made by
//! clap_mangen from the same definitions as `--help`.

use super::*;

pub fn run(args: ManArgs, ctx: &Context) -> Result<u8, Error> {
    match args {
        ManArgs { out: None } => {
            let pages = pages();
            ctx.out(&String::from_utf8_lossy(&pages[0].1));
            Ok(PASS)
        }
        ManArgs { out: Some(dir) } => {
            let pages = pages();
            bsrmp::staging::write_verified(&dir, &pages, "the manual page")?;
            ctx.detail(pages.iter().map(|(n, _)| n.clone()));
            ctx.say(&format!(
                "Wrote {} manual pages to {}. Install them with `cp {}/*.1 ~/.local/share/man/man1/`, then `man bsrmp-check`.\n",
                pages.len(),
                dir.display(),
                dir.display()
            ));
            Ok(PASS)
        }
    }
}

/// Every page, as (file name, roff); bsrmp.1 first.
pub fn pages() -> Vec<(String, Vec<u8>)> {
    let mut root = crate::cli::command().disable_help_subcommand(true);
    root.build();
    let mut out = vec![page(&root, None)];
    for sub in root.get_subcommands().filter(|s| !s.is_hide_set()) {
        out.push(page(sub, Some(sub.get_name())));
    }
    out
}

fn page(cmd: &clap::Command, sub: Option<&str>) -> (String, Vec<u8>) {
    let man = clap_mangen::Man::new(cmd.clone());
    let mut roff = Vec::new();
    // Writing into memory cannot fail.
    let _ = man.render(&mut roff);
    roff.extend_from_slice(exit_status(sub).as_bytes());
    (man.get_filename(), roff)
}

/// The EXIT STATUS section: the README's table, for this command.
fn exit_status(sub: Option<&str>) -> String {
    let verdict = matches!(sub, Some("check" | "status"));
    let mut s = String::from(".SH \"EXIT STATUS\"\n");
    let mut item = |code: &str, text: &str| {
        s.push_str(&format!(".TP\n\\fB{code}\\fR\n{text}\n"));
    };
    if verdict {
        item(
            "0",
            "The plan passes: nothing due is missing (with \\-\\-deny\\-warnings, no warning either).",
        );
        item(
            "1",
            "The plan fails: something due is missing, or, with \\-\\-require\\-clean, the plan has uncommitted changes or is not committed at all.",
        );
    } else if sub.is_none() {
        item(
            "0",
            "Done: the plan passes (check, status), or what the command reports written is there.",
        );
        item("1", "The plan fails (check and status only).");
    } else {
        item(
            "0",
            "Done, and verified: what the command reports written is there.",
        );
    }
    item(
        "2",
        "The plan cannot be read, the command is wrong, or something could not be written; the message says what and where.",
    );
    item(
        "130, 143, 129",
        "Interrupted by SIGINT, SIGTERM or SIGHUP: what the command had begun is removed.",
    );
    s
}
