//! The history walk alone, without reading the plan: what `log` and `render`
//! spend on git (bench/run.sh compares it with `git log --name-only`).
//!
//! cargo run --release --example history-walk -- PLAN [approvals]

use std::path::Path;

use bsrmp::history::{self, Depth};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: history-walk PLAN [approvals]");
        std::process::exit(2);
    };
    let depth = match args.next().as_deref() {
        Some("approvals") => Depth::Approvals,
        _ => Depth::Full,
    };
    let walked = history::open(Path::new(&dir)).and_then(|pr| match pr {
        Some(pr) => match pr.resolve(None)? {
            Some(head) => history::load(&pr, &head, depth).map(Some),
            None => Ok(None),
        },
        None => Ok(None),
    });
    match walked {
        Ok(Some(h)) => {
            let revisions: usize = h.files.values().map(|f| f.revisions.len()).sum();
            let approvals: usize = h.files.values().map(|f| f.approvals.len()).sum();
            println!(
                "{} commits, {} files, {revisions} revisions, {approvals} approvals",
                h.commits,
                h.files.len()
            );
        }
        Ok(None) => println!("no history"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}
