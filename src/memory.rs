//! What each thread is reading, so that running out of memory can be
//! reported with the file at fault instead of an abort. The binary's
//! allocator asks [`with_current`] when an allocation fails; everything here
//! works without allocating, as it must at that moment.

use std::cell::RefCell;

/// Long enough for any plan path worth showing; longer ones are cut.
const MAX: usize = 512;

thread_local! {
    static CURRENT: RefCell<([u8; MAX], usize)> = const { RefCell::new(([0; MAX], 0)) };
}

/// Marks `what` as this thread's work until the guard is dropped.
pub struct Reading {
    previous: ([u8; MAX], usize),
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
    Reading { previous }
}

impl Drop for Reading {
    fn drop(&mut self) {
        let _ = CURRENT.try_with(|c| {
            if let Ok(mut c) = c.try_borrow_mut() {
                *c = self.previous;
            }
        });
    }
}

/// Calls `f` with what this thread is reading (empty when nothing is marked).
pub fn with_current(f: impl FnOnce(&[u8])) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn current() -> String {
        let mut out = String::new();
        with_current(|b| out = String::from_utf8_lossy(b).into_owned());
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
        let _g = reading(&long);
        assert_eq!(current().len(), 512);
    }
}
