//! The `bsrmp` binary: parses arguments, hands the command to its module in
//! `cmd/`, and maps the outcome to an exit status (0 pass, 1 fail, 2 error).

mod cli;
mod cmd;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use cli::ColorChoice;
use cmd::{Context, ERROR, Error, Verbosity};

/// The system's allocator, with a message instead of an abort when memory
/// runs out (a large plan under a memory limit): which file was being read,
/// and exit status 2 like any other error.
struct Allocator;

static OUT_OF_MEMORY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

// SAFETY: every call is passed to the system allocator unchanged; only a null
// result is handled, by ending the process.
unsafe impl std::alloc::GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        let p = unsafe { std::alloc::System.alloc(layout) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        let p = unsafe { std::alloc::System.alloc_zeroed(layout) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, size: usize) -> *mut u8 {
        let p = unsafe { std::alloc::System.realloc(ptr, layout, size) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

/// Says what ran out, without allocating, and ends the process.
fn out_of_memory() -> ! {
    if OUT_OF_MEMORY.swap(true, std::sync::atomic::Ordering::SeqCst) {
        std::process::abort();
    }
    let mut e = std::io::stderr().lock();
    let _ = e.write_all(b"error: bsrmp ran out of memory");
    bsrmp::memory::with_current(|file, now| match (file.is_empty(), now) {
        (true, _) => {}
        (false, true) => {
            let _ = e.write_all(b" while reading ");
            let _ = e.write_all(file);
        }
        (false, false) => {
            let _ = e.write_all(b" after reading ");
            let _ = e.write_all(file);
            let _ = e.write_all(b" (the plan's largest file)");
        }
    });
    let _ = e.write_all(
        b". The plan needs more memory than this machine, or the limit set for this process, allows: split the largest file, or run bsrmp with more memory\n",
    );
    let _ = e.flush();
    std::process::exit(i32::from(ERROR));
}

/// glibc gives each thread that allocates a heap of its own (an arena), and
/// pages freed in one are not reused by another: a large plan parsed on the
/// worker threads and then dropped left its pages held while the main thread
/// built the pack. Two arenas keep the parallel parse as fast (at the
/// reference size: render html 221 MB -> 188 MB, check 84 -> 76 MB, the same
/// times; one arena saved more but slowed render by half).
fn fewer_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: called first thing in main, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

fn main() -> ExitCode {
    fewer_arenas();
    // SAFETY: first thing in main, before any other thread exists.
    unsafe { bsrmp::history::limit_git_memory() };
    bsrmp::staging::clean_up_on_signals();
    start_threads();
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { ERROR } else { 0 });
        }
    };
    let ctx = Context {
        color: match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
            }
        },
        verbosity: if cli.quiet {
            Verbosity::Quiet
        } else if cli.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        },
        width: std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(100),
    };
    match cmd::run(cli.command, &ctx) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            ctx.err_out(&error_text(&e));
            ExitCode::from(ERROR)
        }
    }
}

/// Starts the parsing threads now, while memory is plentiful, and waits
/// until each is running. A thread starting later, when a large register has
/// taken the memory, could not map its signal stack, and Rust aborts the
/// process then, before the allocator can report the file at fault.
fn start_threads() {
    if rayon::ThreadPoolBuilder::new().build_global().is_ok() {
        rayon::broadcast(|_| ());
    }
}

/// The error, then each cause under it that its own words do not already
/// give: what git itself said stays visible, below what it means.
fn error_text(e: &Error) -> String {
    let top = e.to_string();
    let mut text = format!("error: {top}\n");
    let label = match e {
        Error::Failed(
            bsrmp::Error::Git { .. }
            | bsrmp::Error::BadRevision { .. }
            | bsrmp::Error::Clone { .. },
        ) => "git said",
        _ => "cause",
    };
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        // libgit2's own text, without the class and code numbers.
        let said = match c.downcast_ref::<git2::Error>() {
            Some(g) => g.message().to_string(),
            None => c.to_string(),
        };
        if !top.contains(&said) {
            text.push_str(&format!("  {label}: {said}\n"));
        }
        cause = c.source();
    }
    text
}
