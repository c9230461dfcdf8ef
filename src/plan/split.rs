//! A large register cut at its records, so that one file parses on several
//! threads: on two cores a register of half the plan's text otherwise sets
//! the pace of every command that reads the plan.
//!
//! Only a plain list of records is cut: the key line, then items at one
//! indent, with no anchors, aliases, tags, tabs, carriage returns or
//! document markers. Each piece is a document of its own that keeps the
//! file's line numbers (the key line, blank lines, then the piece's lines),
//! so every position in it is the file's. The caller parses the file whole
//! whenever any piece fails, so a broken file reads exactly as before.

/// Registers smaller than this are parsed whole.
pub const SPLIT_BYTES: usize = 2 * 1024 * 1024;

/// Whether a register of `len` bytes, among `total` bytes of YAML read on
/// `threads` threads, is worth cutting: only when it would keep one thread
/// busy long after the others are done (three quarters of the text on two
/// threads). Below that the other files fill the other threads, and the
/// pieces' copy costs more than it saves (5% of `check` at the bench's
/// reference size, where the risk register is 56% of the text).
pub fn worth_cutting(len: usize, total: usize, threads: usize) -> bool {
    threads > 1 && len >= SPLIT_BYTES && len * threads * 2 >= total * 3
}

/// The pieces of `text`, a register under `key`, at most `n` of them; `None`
/// when it is not a plain list of records.
pub fn pieces(text: &str, key: &str, n: usize) -> Option<Vec<String>> {
    if n < 2 || !plain(text) {
        return None;
    }
    let mut lines = line_starts(text);
    // The key line, alone, after any comments.
    let (_, key_at) = lines.find(|&(_, at)| !skippable(line(text, at)))?;
    let head = line(text, key_at);
    let rest = head.strip_prefix(key)?.strip_prefix(':')?;
    if !(rest.trim().is_empty() || rest.trim_start().starts_with('#')) {
        return None;
    }
    // Every other line at or left of the items' indent starts an item.
    let mut indent = None;
    let mut starts: Vec<(usize, usize)> = Vec::new();
    for (no, at) in lines {
        let l = line(text, at);
        if skippable(l) {
            continue;
        }
        let spaces = l.len() - l.trim_start_matches(' ').len();
        let item = l[spaces..].starts_with("- ") || &l[spaces..] == "-";
        match indent {
            None if item => indent = Some(spaces),
            None => return None,
            Some(i) if spaces > i => continue,
            Some(i) if spaces == i && item => {}
            Some(_) => return None,
        }
        starts.push((no, at));
    }
    if starts.len() < 2 * n {
        return None;
    }
    let per = starts.len().div_ceil(n);
    let mut out = Vec::with_capacity(n);
    for (k, chunk) in starts.chunks(per).enumerate() {
        let (first_line, from) = chunk[0];
        let to = starts.get((k + 1) * per).map_or(text.len(), |&(_, at)| at);
        // The key on line 1, then blank lines down to the piece's first line.
        let mut piece = String::with_capacity(to - from + first_line + key.len() + 2);
        piece.push_str(key);
        piece.push_str(":\n");
        for _ in 2..first_line {
            piece.push('\n');
        }
        piece.push_str(&text[from..to]);
        out.push(piece);
    }
    Some(out)
}

/// No anchors, aliases or tags (a `&`, `*` or `!` that starts a word), no
/// tabs or carriage returns, no document markers or directives.
fn plain(text: &str) -> bool {
    if text.contains(['\t', '\r']) {
        return false;
    }
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'&' | b'*' | b'!') {
            let before = if i == 0 { b'\n' } else { bytes[i - 1] };
            let after = bytes.get(i + 1).copied().unwrap_or(b' ');
            if matches!(before, b'\n' | b' ' | b'[' | b'{' | b',' | b'-' | b':')
                && !matches!(after, b' ' | b'\n')
            {
                return false;
            }
        }
    }
    !text
        .lines()
        .any(|l| l.starts_with("---") || l.starts_with("...") || l.starts_with('%'))
}

/// Blank lines and comment lines.
fn skippable(l: &str) -> bool {
    let t = l.trim_start_matches(' ');
    t.is_empty() || t.starts_with('#')
}

/// Each line's number (from 1) and where it starts.
fn line_starts(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(move |&at| at < text.len())
        .enumerate()
        .map(|(i, at)| (i + 1, at))
}

/// The line starting at `at`, without its line feed.
fn line(text: &str, at: usize) -> &str {
    let rest = &text[at..];
    &rest[..rest.find('\n').unwrap_or(rest.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register(n: usize) -> String {
        let mut t = String::from("# Risks\nrisks:\n");
        for i in 0..n {
            t.push_str(&format!(
                "  # risk {i}\n  - id: R-{i}\n    title: >-\n      Loss & damage\n      - not an item\n    owner: ops\n"
            ));
        }
        t
    }

    #[test]
    fn pieces_keep_the_files_line_numbers() {
        let text = register(10);
        let pieces = pieces(&text, "risks", 2).unwrap();
        assert_eq!(pieces.len(), 2);
        let file: Vec<&str> = text.lines().collect();
        for p in &pieces {
            assert!(p.starts_with("risks:\n"));
            for (i, l) in p.lines().enumerate().skip(1) {
                assert!(l.is_empty() || l == file[i], "line {}: {l}", i + 1);
            }
        }
        // Every item is in one piece, once.
        let items: usize = pieces.iter().map(|p| p.matches("- id:").count()).sum();
        assert_eq!(items, 10);
    }

    #[test]
    fn only_a_plain_list_is_cut() {
        let text = register(10);
        let with = |from: &str, to: &str| text.replacen(from, to, 1);
        assert!(pieces(&with("owner: ops", "owner: &a ops"), "risks", 2).is_none());
        assert!(pieces(&with("owner: ops", "owner: *a"), "risks", 2).is_none());
        assert!(pieces(&with("owner: ops", "owner: !!str ops"), "risks", 2).is_none());
        assert!(pieces(&with("owner: ops", "owner:\tops"), "risks", 2).is_none());
        assert!(pieces(&format!("{text}other: 1\n"), "risks", 2).is_none());
        assert!(pieces(&format!("---\n{text}"), "risks", 2).is_none());
        assert!(pieces(&text, "issues", 2).is_none());
        assert!(pieces(&register(3), "risks", 2).is_none(), "too few to cut");
        // An ampersand between words is text, not an anchor.
        assert!(pieces(&text, "risks", 2).is_some());
    }
}
