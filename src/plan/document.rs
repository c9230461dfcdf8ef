//! The Markdown narrative of a stage: YAML front matter for document control,
//! then one section per clause, headed by the clause number ("## 3.2 Policy").

use crate::code::Code;
use comrak::nodes::NodeValue;
use serde::{Deserialize, Serialize};

use super::date::Date;
use super::records::Ref;
use super::yaml;
use crate::diag::{Finding, Pos};

/// The marker of text still to be written, as `init` writes it.
pub const PLACEHOLDER: &str = "TODO";
/// Words that mark text as not written yet, wherever they stand alone.
pub const PLACEHOLDER_WORDS: [&str; 3] = ["TODO", "TBC", "TBD"];

/// Where a placeholder word stands alone in `text` (a byte offset).
///
/// One pass over the text, stopping at each `T` (every placeholder word
/// starts with one): the checklist's rules ask this of every field of every
/// record they read.
pub fn find_placeholder(text: &str) -> Option<usize> {
    const {
        let mut i = 0;
        while i < PLACEHOLDER_WORDS.len() {
            assert!(PLACEHOLDER_WORDS[i].as_bytes()[0] == b'T');
            i += 1;
        }
    }
    let bytes = text.as_bytes();
    let alone = |i: usize, len: usize| {
        let before = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let after = bytes
            .get(i + len)
            .is_none_or(|b| !b.is_ascii_alphanumeric());
        before && after
    };
    bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'T')
        .map(|(i, _)| i)
        .find(|&i| {
            PLACEHOLDER_WORDS
                .iter()
                .any(|w| bytes[i..].starts_with(w.as_bytes()) && alone(i, w.len()))
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocStatus {
    Draft,
    Final,
}

/// Document control fields, from the front matter.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub id: Option<String>,
    pub title: Option<String>,
    /// The person (id in registers/people.yaml) who owns the document.
    pub owner: Option<Ref>,
    /// The role that approves the document, such as SER.
    pub approver: Option<String>,
    /// The date by which the document must next be reviewed.
    pub review_by: Option<Date>,
    pub status: Option<DocStatus>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub line: u32,
    pub level: u8,
    pub text: String,
    /// The clause number the heading starts with, if any ("4.6.3.1").
    pub number: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub clause: String,
    pub heading: String,
    /// Line of the heading.
    pub line: u32,
    /// Last line of the section's content.
    pub end_line: u32,
    /// Words of real content: outside comments and placeholder lines.
    pub words: usize,
    /// Where placeholder markers survive.
    pub placeholders: Vec<Pos>,
    /// The section's Markdown, comments included, for rendering.
    #[serde(skip)]
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub path: String,
    pub stage: u8,
    pub front: FrontMatter,
    /// Line of the opening `---`, when there is front matter.
    pub front_line: Option<u32>,
    pub headings: Vec<Heading>,
    pub sections: Vec<Section>,
}

impl Document {
    pub fn section(&self, clause: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.clause == clause)
    }
}

/// The clause number a heading starts with: digits separated by dots, at least one dot.
pub fn clause_number(heading: &str) -> Option<String> {
    let head = heading.split_whitespace().next()?;
    let head = head.trim_end_matches('.');
    let parts: Vec<&str> = head.split('.').collect();
    if parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        Some(head.to_string())
    } else {
        None
    }
}

/// Splits off YAML front matter. Returns (front matter, body, lines before the body).
fn split_front_matter(text: &str) -> (Option<&str>, &str, u32) {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return (None, text, 0);
    };
    let mut offset = text.len() - rest.len();
    let mut line = 1;
    for l in rest.split_inclusive('\n') {
        line += 1;
        let t = l.trim_end();
        if t == "---" || t == "..." {
            let front = &text[text.len() - rest.len()..offset];
            return (Some(front), &text[offset + l.len()..], line);
        }
        offset += l.len();
    }
    (None, text, 0)
}

/// Parses a stage narrative. `is_clause` says which heading numbers are clauses.
pub fn parse(
    path: &str,
    stage: u8,
    text: &str,
    is_clause: &dyn Fn(&str) -> bool,
) -> Result<Document, Finding> {
    let (front_text, body, offset) = split_front_matter(text);
    if front_text.is_none() && text.lines().next().is_some_and(|l| l.trim_end() == "---") {
        return Err(Finding::error(
            Code::InvalidYaml,
            "the front matter that opens on line 1 is never closed",
        )
        .help("add a line `---` after the last document control field (id, title, owner, ...)")
        .in_file(path, Some(Pos::new(1, 1))));
    }
    let (front, front_line) = match front_text {
        Some(front) if !front.trim().is_empty() => (yaml::parse(path, front, 1)?, Some(1)),
        Some(_) => (FrontMatter::default(), Some(1)),
        None => (FrontMatter::default(), None),
    };
    let headings = headings(body, offset);
    let lines: Vec<&str> = body.lines().collect();
    let total = offset + lines.len() as u32;
    let mut sections = Vec::new();
    for (i, h) in headings.iter().enumerate() {
        let Some(number) = h.number.as_deref().filter(|n| is_clause(n)) else {
            continue;
        };
        let next = headings[i + 1..]
            .iter()
            .find(|n| n.level <= h.level || n.number.as_deref().is_some_and(is_clause));
        let end_line = next.map_or(total, |n| n.line - 1);
        let first = (h.line - offset) as usize; // 0-based index of the line after the heading
        let last = (end_line - offset) as usize;
        let content = &lines[first.min(lines.len())..last.min(lines.len())];
        let (words, placeholders) = measure(content, h.line + 1);
        sections.push(Section {
            clause: number.to_string(),
            heading: h.text.clone(),
            line: h.line,
            end_line,
            words,
            placeholders,
            body: content.join("\n"),
        });
    }
    Ok(Document {
        path: path.to_string(),
        stage,
        front,
        front_line,
        headings,
        sections,
    })
}

fn headings(body: &str, offset: u32) -> Vec<Heading> {
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, body, &comrak::Options::default());
    let mut out = Vec::new();
    for node in root.children() {
        let data = node.data();
        if let NodeValue::Heading(h) = &data.value {
            let mut text = String::new();
            for d in node.descendants() {
                match &d.data().value {
                    NodeValue::Text(t) => text.push_str(t),
                    NodeValue::Code(c) => text.push_str(&c.literal),
                    NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
                    _ => {}
                }
            }
            let text = text.trim().to_string();
            // A setext heading's position is its text line; an ATX heading's, its own line.
            out.push(Heading {
                line: data.sourcepos.start.line as u32 + offset,
                level: h.level,
                number: clause_number(&text),
                text,
            });
        }
    }
    out
}

/// Counts the words of real content and finds placeholders, skipping HTML comments.
fn measure(lines: &[&str], first_line: u32) -> (usize, Vec<Pos>) {
    let mut in_comment = false;
    let mut words = 0;
    let mut placeholders = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let mut visible = String::new();
        let mut rest: &str = line;
        loop {
            if in_comment {
                match rest.find("-->") {
                    Some(end) => {
                        in_comment = false;
                        rest = &rest[end + 3..];
                    }
                    None => break,
                }
            } else {
                match rest.find("<!--") {
                    Some(start) => {
                        visible.push_str(&rest[..start]);
                        // Keep columns right for placeholders after a comment.
                        visible.extend(std::iter::repeat_n(' ', 4));
                        in_comment = true;
                        rest = &rest[start + 4..];
                    }
                    None => {
                        visible.push_str(rest);
                        break;
                    }
                }
            }
        }
        if let Some(col) = find_placeholder(&visible) {
            // `col` is a byte index into `visible` (comments blanked out).
            let column = visible.get(..col).map_or(0, |v| v.chars().count()) as u32 + 1;
            placeholders.push(Pos::new(first_line + i as u32, column));
            continue;
        }
        words += visible
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .count();
    }
    (words, placeholders)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        parse("01-awareness/README.md", 1, text, &|n| n.starts_with("3.")).unwrap()
    }

    #[test]
    fn reads_clause_numbers() {
        assert_eq!(clause_number("3.2 Policy"), Some("3.2".into()));
        assert_eq!(
            clause_number("4.6.3.1. Internal issues"),
            Some("4.6.3.1".into())
        );
        assert_eq!(clause_number("Policy 3.2"), None);
        assert_eq!(clause_number("2026 plans"), None);
    }

    #[test]
    fn placeholder_words_count_only_standing_alone() {
        assert_eq!(find_placeholder("TODO"), Some(0));
        assert_eq!(find_placeholder("The owner is TBC."), Some(13));
        assert_eq!(find_placeholder("Due (TBD), then TODO"), Some(5));
        assert_eq!(find_placeholder("TODOS and xTBD and TBC2 and TB"), None);
        assert_eq!(find_placeholder("The Transport Team"), None);
        assert_eq!(find_placeholder("é TBD"), Some(3));
        assert_eq!(find_placeholder("todo, tbd"), None);
        assert_eq!(find_placeholder(""), None);
    }

    #[test]
    fn sections_skip_comments_and_find_placeholders() {
        let d = doc(
            "---\nid: D1\n---\n# Awareness\n\n## 3.1 SER\n<!-- guidance\nmore -->\nTODO: name the SER\n\n## 3.2 Policy\nOur policy is to collaborate.\n### Detail\nMore words here.\n## 3.3 Objectives\n<!-- only a comment -->\n",
        );
        assert_eq!(d.front.id.as_deref(), Some("D1"));
        let s31 = d.section("3.1").unwrap();
        assert_eq!(s31.line, 6);
        assert_eq!(s31.words, 0);
        assert_eq!(s31.placeholders, vec![Pos::new(9, 1)]);
        let s32 = d.section("3.2").unwrap();
        assert_eq!(s32.words, 9, "subheadings belong to the section");
        assert_eq!(s32.end_line, 14);
        let s33 = d.section("3.3").unwrap();
        assert_eq!((s33.words, s33.placeholders.len()), (0, 0));
    }

    #[test]
    fn headings_in_code_blocks_are_not_sections() {
        let d = doc("## 3.1 SER\n```\n## 3.2 not a heading\n```\n");
        assert!(d.section("3.2").is_none());
        assert_eq!(d.section("3.1").unwrap().words, 5);
    }

    #[test]
    fn bad_front_matter_points_at_its_line() {
        let err = parse("x.md", 1, "---\nid: D1\ncolour: red\n---\n", &|_| true).unwrap_err();
        assert_eq!(err.code, crate::code::Code::InvalidRecord);
        assert_eq!(err.location.unwrap().pos.unwrap().line, 3);
    }
}
