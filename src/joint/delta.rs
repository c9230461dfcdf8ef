//! Git's binary delta: a newer version of a file as copies from an older one
//! and the bytes that are new. Copying a history writes every version of
//! every file; most versions differ from the one before by a line or two, so
//! storing them as deltas keeps the joint pack about as small as the sources'
//! and spares compressing every version whole. (No crate on the registry
//! writes git deltas.)
//!
//! The format (git's `patch-delta.c`, libgit2's `delta.c`): the base's size
//! and the result's size as little-endian base-128 numbers, then
//! instructions. A copy is a byte with the high bit set whose low seven bits
//! say which offset and size bytes follow; an insert is a byte from 1 to 127
//! giving how many literal bytes follow.

use std::collections::HashMap;

/// Bytes compared as one block when looking for moved or repeated text.
const BLOCK: usize = 16;
/// git's readers take copies of up to 16 MB; git itself writes at most 64 KB
/// at a time, and so do we, for the oldest readers.
const COPY_CHUNK: usize = 0x10000;

/// A delta that makes `target` from `base`, or `None` when it would not be
/// much smaller than `target` itself (then the object is stored whole).
pub fn encode(base: &[u8], target: &[u8]) -> Option<Vec<u8>> {
    // Offsets are four bytes in a copy instruction.
    if base.len() > u32::MAX as usize || target.is_empty() {
        return None;
    }
    let limit = target.len() / 2;
    let mut out = Vec::with_capacity(64);
    varint(&mut out, base.len());
    varint(&mut out, target.len());

    // Most edits change one place: a common start and end, then the middle.
    let prefix = common_prefix(base, target);
    let max_suffix = base.len().min(target.len()) - prefix;
    let suffix = common_suffix(&base[prefix..], &target[prefix..]).min(max_suffix);
    copy(&mut out, 0, prefix);
    let middle = &target[prefix..target.len() - suffix];
    let base_middle = prefix..base.len() - suffix;
    if middle.len() < 4 * BLOCK || base_middle.len() < BLOCK {
        insert(&mut out, middle);
    } else {
        matches(&mut out, base, base_middle, middle, limit)?;
    }
    copy(&mut out, base.len() - suffix, suffix);
    (out.len() <= limit).then_some(out)
}

/// The middle of the target as copies of blocks found in the base's middle,
/// and inserts between them. Gives up (`None`) once past `limit` bytes.
fn matches(
    out: &mut Vec<u8>,
    base: &[u8],
    range: std::ops::Range<usize>,
    target: &[u8],
    limit: usize,
) -> Option<()> {
    // Every block-aligned block of the base, by its bytes; the first wins.
    let mut index: HashMap<[u8; BLOCK], u32> =
        HashMap::with_capacity((range.end - range.start) / BLOCK);
    let mut at = range.start;
    while at + BLOCK <= range.end {
        let key: [u8; BLOCK] = base[at..at + BLOCK].try_into().ok()?;
        index.entry(key).or_insert(at as u32);
        at += BLOCK;
    }
    let mut pending = 0; // start of literal bytes not yet written
    let mut i = 0;
    while i + BLOCK <= target.len() {
        let key: [u8; BLOCK] = target[i..i + BLOCK].try_into().ok()?;
        let Some(&found) = index.get(&key) else {
            i += 1;
            continue;
        };
        let mut from = found as usize;
        // Grow the match backwards over literals not yet written, then forwards.
        let mut start = i;
        while start > pending && from > 0 && base[from - 1] == target[start - 1] {
            start -= 1;
            from -= 1;
        }
        let len = common_prefix(&base[from..], &target[start..]);
        insert(out, &target[pending..start]);
        copy(out, from, len);
        i = start + len;
        pending = i;
        if out.len() > limit {
            return None;
        }
    }
    insert(out, &target[pending..]);
    Some(())
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    // Compared a chunk at a time: slices of equal chunks compare with memcmp.
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 64 <= n && a[i..i + 64] == b[i..i + 64] {
        i += 64;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    while i + 64 <= n && a[n - i - 64..n - i] == b[n - i - 64..n - i] {
        i += 64;
    }
    while i < n && a[n - i - 1] == b[n - i - 1] {
        i += 1;
    }
    i
}

fn varint(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn insert(out: &mut Vec<u8>, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        let n = bytes.len().min(127);
        out.push(n as u8);
        out.extend_from_slice(&bytes[..n]);
        bytes = &bytes[n..];
    }
}

fn copy(out: &mut Vec<u8>, mut offset: usize, mut len: usize) {
    while len > 0 {
        let n = len.min(COPY_CHUNK);
        let at = out.len();
        out.push(0x80);
        for (bit, shift) in [(0x01, 0), (0x02, 8), (0x04, 16), (0x08, 24)] {
            let byte = (offset >> shift) as u8;
            if byte != 0 {
                out[at] |= bit;
                out.push(byte);
            }
        }
        // A size of 0x10000 is written as no size bytes at all.
        if n != COPY_CHUNK {
            for (bit, shift) in [(0x10, 0), (0x20, 8), (0x40, 16)] {
                let byte = (n >> shift) as u8;
                if byte != 0 {
                    out[at] |= bit;
                    out.push(byte);
                }
            }
        }
        offset += n;
        len -= n;
    }
}

/// Applies a delta, as git does; for the tests, which check every delta
/// written against this and against libgit2.
#[cfg(test)]
pub fn apply(base: &[u8], delta: &[u8]) -> Option<Vec<u8>> {
    fn read(d: &[u8], at: &mut usize) -> Option<usize> {
        let (mut n, mut shift) = (0usize, 0);
        loop {
            let b = *d.get(*at)?;
            *at += 1;
            n |= ((b & 0x7f) as usize) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
    }
    let mut at = 0;
    if read(delta, &mut at)? != base.len() {
        return None;
    }
    let size = read(delta, &mut at)?;
    let mut out = Vec::with_capacity(size);
    while at < delta.len() {
        let op = delta[at];
        at += 1;
        if op & 0x80 != 0 {
            let (mut offset, mut len) = (0usize, 0usize);
            for (i, bit) in [0x01, 0x02, 0x04, 0x08].into_iter().enumerate() {
                if op & bit != 0 {
                    offset |= (*delta.get(at)? as usize) << (8 * i);
                    at += 1;
                }
            }
            for (i, bit) in [0x10, 0x20, 0x40].into_iter().enumerate() {
                if op & bit != 0 {
                    len |= (*delta.get(at)? as usize) << (8 * i);
                    at += 1;
                }
            }
            if len == 0 {
                len = 0x10000;
            }
            out.extend_from_slice(base.get(offset..offset + len)?);
        } else if op != 0 {
            out.extend_from_slice(delta.get(at..at + op as usize)?);
            at += op as usize;
        } else {
            return None;
        }
    }
    (out.len() == size).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn round_trip(base: &[u8], target: &[u8]) -> Option<usize> {
        let d = encode(base, target)?;
        assert_eq!(apply(base, &d).as_deref(), Some(target));
        Some(d.len())
    }

    #[test]
    fn one_edit_in_a_large_file_is_a_small_delta() {
        let base: Vec<u8> = (0..200_000u32)
            .flat_map(|i| format!("  - id: R-{i}\n    status: open\n").into_bytes())
            .collect();
        let target = String::from_utf8(base.clone())
            .unwrap()
            .replacen("status: open", "status: monitoring", 1)
            .into_bytes();
        let n = round_trip(&base, &target).unwrap();
        // Copies of 64 KB: about a hundred of them for 6 MB.
        assert!(n < 1200, "{n} bytes");
        // Text added at the end.
        let mut longer = base.clone();
        longer.extend_from_slice(b"\nRevision 12: a new line.\n");
        assert!(round_trip(&base, &longer).unwrap() < 1200);
        // Identical, and a shorter file that is the base's start.
        assert!(round_trip(&base, &base).is_some());
        assert!(round_trip(&base, &base[..base.len() / 2 + 1]).is_some());
    }

    #[test]
    fn text_moved_and_edited_in_several_places_is_found() {
        let lines: Vec<String> = (0..3000)
            .map(|i| format!("line {i} of the plan\n"))
            .collect();
        let base = lines.concat().into_bytes();
        let mut moved = lines.clone();
        moved.swap(10, 2500);
        moved[1000] = "a changed line\n".into();
        moved.insert(2000, "an added line\n".into());
        let target = moved.concat().into_bytes();
        let n = round_trip(&base, &target).unwrap();
        assert!(n < base.len() / 20, "{n} of {} bytes", base.len());
    }

    #[test]
    fn unrelated_content_is_stored_whole() {
        let base = vec![b'a'; 10_000];
        let target: Vec<u8> = (0..10_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert_eq!(encode(&base, &target), None);
        assert_eq!(encode(&base, b""), None);
    }

    #[test]
    fn copies_of_every_size_and_offset_are_spelled_right() {
        // Offsets and sizes with zero bytes in the middle (0x10000 + 5, ...).
        let base: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
        for cut in [
            1usize, 255, 256, 0xffff, 0x10000, 0x10001, 0x1_0005, 0x2_0000,
        ] {
            let mut target = base.clone();
            target[cut] ^= 0xff;
            round_trip(&base, &target).unwrap();
        }
    }

    proptest! {
        #[test]
        fn any_delta_written_makes_the_target(
            base in proptest::collection::vec(0u8..4, 0..3000),
            edits in proptest::collection::vec((0usize..3000, 0usize..40, proptest::collection::vec(0u8..4, 0..40)), 0..6),
        ) {
            let mut target = base.clone();
            for (at, cut, new) in edits {
                let at = at.min(target.len());
                let end = (at + cut).min(target.len());
                target.splice(at..end, new);
            }
            if let Some(d) = encode(&base, &target) {
                prop_assert_eq!(apply(&base, &d), Some(target));
            }
        }
    }
}
