//! What each thread is reading, so that running out of memory can be
//! reported with the file at fault instead of an abort. The binary's
//! allocator asks [`with_current`] when an allocation fails; everything here
//! works without allocating, as it must at that moment.
//!
//! Files are parsed side by side, so the allocation that fails may be a
//! small file's, made when a large one has taken the memory: the largest
//! file being parsed is reported, not the failing thread's own.

use std::cell::RefCell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Long enough for any plan path worth showing; longer ones are cut.
const MAX: usize = 512;

thread_local! {
    static CURRENT: RefCell<([u8; MAX], usize)> = const { RefCell::new(([0; MAX], 0)) };
}

/// The largest file being parsed: its size, its name, and the guard that set it.
struct Largest {
    size: usize,
    name: [u8; MAX],
    len: usize,
    token: u64,
}

static LARGEST: Mutex<Largest> = Mutex::new(Largest {
    size: 0,
    name: [0; MAX],
    len: 0,
    token: 0,
});
static TOKENS: AtomicU64 = AtomicU64::new(1);

/// The largest file parsed so far, kept after its parse: memory can run out
/// after the parse too (checking, rendering), when what it holds still
/// comes from that file.
static BIGGEST: Mutex<Largest> = Mutex::new(Largest {
    size: 0,
    name: [0; MAX],
    len: 0,
    token: 0,
});

fn largest() -> Option<std::sync::MutexGuard<'static, Largest>> {
    match LARGEST.try_lock() {
        Ok(g) => Some(g),
        Err(std::sync::TryLockError::Poisoned(p)) => Some(p.into_inner()),
        Err(std::sync::TryLockError::WouldBlock) => None,
    }
}

/// Marks `what` as this thread's work until the guard is dropped.
pub struct Reading {
    previous: ([u8; MAX], usize),
    /// Set when this file became the largest being parsed.
    token: Option<u64>,
}

/// As [`reading`], for a file of `size` bytes being read or parsed: the
/// largest of those is the one named when memory runs out.
pub fn parsing(what: &str, size: usize) -> Reading {
    let mut guard = reading(what);
    if let Ok(mut b) = BIGGEST.lock()
        && size > b.size
    {
        let n = floor_char_boundary(what, MAX);
        b.name[..n].copy_from_slice(&what.as_bytes()[..n]);
        b.len = n;
        b.size = size;
    }
    if let Ok(mut l) = LARGEST.lock()
        && size > l.size
    {
        let token = TOKENS.fetch_add(1, Ordering::Relaxed);
        let n = floor_char_boundary(what, MAX);
        l.name[..n].copy_from_slice(&what.as_bytes()[..n]);
        l.len = n;
        l.size = size;
        l.token = token;
        guard.token = Some(token);
    }
    guard
}

pub fn reading(what: &str) -> Reading {
    let mut previous = ([0; MAX], 0);
    let _ = CURRENT.try_with(|c| {
        if let Ok(mut c) = c.try_borrow_mut() {
            previous = *c;
            let n = floor_char_boundary(what, MAX);
            c.0[..n].copy_from_slice(&what.as_bytes()[..n]);
            c.1 = n;
        }
    });
    Reading {
        previous,
        token: None,
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        if let Some(token) = self.token
            && let Ok(mut l) = LARGEST.lock()
            && l.token == token
        {
            l.size = 0;
            l.len = 0;
            l.token = 0;
        }
        let _ = CURRENT.try_with(|c| {
            if let Ok(mut c) = c.try_borrow_mut() {
                *c = self.previous;
            }
        });
    }
}

/// Calls `f` with the largest file being parsed, else what this thread is
/// reading, and `true`; when nothing is being read, with the largest file
/// parsed so far and `false` (empty when there is none).
pub fn with_current(f: impl FnOnce(&[u8], bool)) {
    if let Some(l) = largest()
        && l.len > 0
    {
        f(&l.name[..l.len], true);
        return;
    }
    let mut f = Some(f);
    with_own(|own| {
        if !own.is_empty()
            && let Some(f) = f.take()
        {
            f(own, true);
        }
    });
    let Some(f) = f else { return };
    match BIGGEST.try_lock() {
        Ok(b) if b.len > 0 => f(&b.name[..b.len], false),
        _ => f(&[], false),
    }
}

/// Calls `f` with what this thread is reading.
fn with_own(f: impl FnOnce(&[u8])) {
    let mut f = Some(f);
    let _ = CURRENT.try_with(|c| {
        if let Ok(c) = c.try_borrow()
            && let Some(f) = f.take()
        {
            f(&c.0[..c.1]);
        }
    });
    if let Some(f) = f {
        f(&[]);
    }
}

fn floor_char_boundary(s: &str, max: usize) -> usize {
    let mut n = s.len().min(max);
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    n
}

/// Returns freed memory to the system. glibc keeps what a large step freed
/// (the parse of two plans, say) when it lies below memory still in use,
/// and the next step then grows the process past what it needs.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages; any thread may call it.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The thread's own: other tests parse files side by side with this one.
    fn current() -> String {
        let mut out = String::new();
        with_own(|b| out = String::from_utf8_lossy(b).into_owned());
        out
    }

    #[test]
    fn the_innermost_reading_is_current_until_it_ends() {
        assert_eq!(current(), "");
        let outer = reading("registers/risks.yaml");
        {
            let _inner = reading("01-awareness/README.md");
            assert_eq!(current(), "01-awareness/README.md");
        }
        assert_eq!(current(), "registers/risks.yaml");
        drop(outer);
        assert_eq!(current(), "");
        let long = "é".repeat(400);
        {
            // While files are parsed side by side, the largest is named,
            // whichever thread asks.
            let _big = parsing("registers/risks.yaml", usize::MAX);
            let _small = reading("registers/ser-reviews.yaml");
            let mut named = String::new();
            with_current(|b, _| named = String::from_utf8_lossy(b).into_owned());
            assert_eq!(named, "registers/risks.yaml");
            assert_eq!(current(), "registers/ser-reviews.yaml");
        }
        let _g = reading(&long);
        assert_eq!(current().len(), 512);
    }
}
