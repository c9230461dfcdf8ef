//! A narrative as plain data for the PDF: blocks (headings, paragraphs,
//! lists, tables, quotes, code) holding runs of styled text. The typst
//! template typesets them with its own functions, so plan text never
//! becomes typst source; raw HTML is inert as in the other formats (it is
//! parsed by `markdown::parse`).

use std::collections::HashMap;

use comrak::nodes::{AstNode, ListType, NodeValue};
use serde::Serialize;

use super::markdown;

/// Nesting kept as written; deeper lists and quotes are set as plain
/// paragraphs, so a hostile narrative cannot recurse the typesetter deep.
const MAX_DEPTH: usize = 8;
/// Inline nesting (emphasis in a link in emphasis...) followed as written.
const MAX_INLINE_DEPTH: usize = 16;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Block {
    Heading {
        level: u8,
        runs: Vec<Run>,
        /// The id the HTML pack gives the same heading (`h-...`), so that a
        /// link to a section of a narrative finds it in the PDF too.
        id: Option<String>,
    },
    Paragraph {
        runs: Vec<Run>,
    },
    List {
        ordered: bool,
        start: usize,
        items: Vec<Vec<Block>>,
    },
    Quote {
        blocks: Vec<Block>,
    },
    Code {
        text: String,
    },
    /// Rows of cells of runs; the first row is the header.
    Table {
        rows: Vec<Vec<Vec<Run>>>,
    },
    Rule,
}

/// Text in one style. Every field is always there, for the template.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Run {
    pub text: String,
    pub strong: bool,
    pub emph: bool,
    pub strike: bool,
    pub code: bool,
    /// A web or mail address only: a link into the plan's files has no
    /// place to go inside the PDF.
    pub link: Option<String>,
}

/// The narrative `text` as blocks, headings lowered by `shift` levels.
pub fn of(text: &str, shift: u8) -> Vec<Block> {
    let opts = markdown::options();
    let arena = comrak::Arena::new();
    let root = markdown::parse(&arena, text, &opts, shift);
    children(&heading_ids(root), root, 0)
}

/// Each heading's id, by where it starts in the text: comrak's own ids,
/// given in document order to every heading, as the HTML pack has them.
type Ids = HashMap<(usize, usize), String>;

fn heading_ids<'a>(root: &'a AstNode<'a>) -> Ids {
    let mut a = comrak::Anchorizer::new();
    root.descendants()
        .filter(|n| matches!(n.data.borrow().value, NodeValue::Heading(_)))
        .map(|n| {
            let at = n.data.borrow().sourcepos.start;
            (
                (at.line, at.column),
                format!("h-{}", a.anchorize(&n.collect_text())),
            )
        })
        .collect()
}

fn children<'a>(ids: &Ids, node: &'a AstNode<'a>, depth: usize) -> Vec<Block> {
    node.children().flat_map(|c| block(ids, c, depth)).collect()
}

fn block<'a>(ids: &Ids, node: &'a AstNode<'a>, depth: usize) -> Vec<Block> {
    let value = node.data.borrow().value.clone();
    let nested = |f: &dyn Fn() -> Block| {
        if depth >= MAX_DEPTH {
            flat(node)
        } else {
            vec![f()]
        }
    };
    match value {
        NodeValue::Heading(h) => {
            let at = node.data.borrow().sourcepos.start;
            vec![Block::Heading {
                level: h.level,
                runs: runs(node),
                id: ids.get(&(at.line, at.column)).cloned(),
            }]
        }
        NodeValue::Paragraph => vec![Block::Paragraph { runs: runs(node) }],
        NodeValue::CodeBlock(c) => vec![Block::Code {
            text: c.literal.clone(),
        }],
        NodeValue::ThematicBreak => vec![Block::Rule],
        NodeValue::List(l) => nested(&|| Block::List {
            ordered: l.list_type == ListType::Ordered,
            start: l.start,
            items: node.children().map(|i| item(ids, i, depth + 1)).collect(),
        }),
        NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) | NodeValue::Alert(_) => {
            nested(&|| Block::Quote {
                blocks: children(ids, node, depth + 1),
            })
        }
        NodeValue::Table(_) => vec![Block::Table {
            rows: node
                .children()
                .map(|row| row.children().map(runs).collect())
                .collect(),
        }],
        NodeValue::FootnoteDefinition(f) => {
            let mut out = children(ids, node, depth + 1);
            let mark = Run {
                text: format!("[{}] ", f.name),
                ..Run::default()
            };
            match out.first_mut() {
                Some(Block::Paragraph { runs }) => runs.insert(0, mark),
                _ => out.insert(0, Block::Paragraph { runs: vec![mark] }),
            }
            out
        }
        // Anything else that holds blocks (a description list, a task
        // item's container) keeps its text.
        _ if depth >= MAX_DEPTH => flat(node),
        _ => children(ids, node, depth + 1),
    }
}

/// A list item's blocks; a task's box leads its first paragraph.
fn item<'a>(ids: &Ids, node: &'a AstNode<'a>, depth: usize) -> Vec<Block> {
    let mut out = children(ids, node, depth);
    if let NodeValue::TaskItem(t) = &node.data.borrow().value {
        let mark = Run {
            text: if t.symbol.is_some() { "[x] " } else { "[ ] " }.to_string(),
            ..Run::default()
        };
        match out.first_mut() {
            Some(Block::Paragraph { runs }) => runs.insert(0, mark),
            _ => out.insert(0, Block::Paragraph { runs: vec![mark] }),
        }
    }
    out
}

/// A container too deep to nest any further: its text, a paragraph a line.
fn flat<'a>(node: &'a AstNode<'a>) -> Vec<Block> {
    let mut out = Vec::new();
    for d in node.descendants() {
        if matches!(
            d.data.borrow().value,
            NodeValue::Paragraph | NodeValue::Heading(_)
        ) {
            out.push(Block::Paragraph { runs: runs(d) });
        }
    }
    out
}

/// The inline content of a paragraph, heading or table cell as runs, one
/// per change of style.
fn runs<'a>(node: &'a AstNode<'a>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    inline(node, &Run::default(), 0, &mut out);
    out
}

fn push(out: &mut Vec<Run>, style: &Run, text: &str) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(last)
            if Run {
                text: String::new(),
                ..last.clone()
            } == *style =>
        {
            last.text.push_str(text)
        }
        _ => out.push(Run {
            text: text.to_string(),
            ..style.clone()
        }),
    }
}

fn inline<'a>(node: &'a AstNode<'a>, style: &Run, depth: usize, out: &mut Vec<Run>) {
    for c in node.children() {
        let value = c.data.borrow().value.clone();
        let styled = |f: &dyn Fn(&mut Run)| {
            let mut s = style.clone();
            f(&mut s);
            s
        };
        match value {
            NodeValue::Text(t) => push(out, style, &t),
            NodeValue::SoftBreak => push(out, style, " "),
            NodeValue::LineBreak => push(out, style, "\n"),
            NodeValue::Code(code) => push(out, &styled(&|s| s.code = true), &code.literal),
            NodeValue::HtmlInline(h) | NodeValue::Raw(h) => {
                push(out, &styled(&|s| s.code = true), &h)
            }
            NodeValue::FootnoteReference(f) => push(out, style, &format!("[{}]", f.name)),
            _ if depth >= MAX_INLINE_DEPTH => {
                for d in c.descendants() {
                    if let NodeValue::Text(t) = &d.data.borrow().value {
                        push(out, style, t);
                    }
                }
            }
            NodeValue::Emph => inline(c, &styled(&|s| s.emph = true), depth + 1, out),
            NodeValue::Strong => inline(c, &styled(&|s| s.strong = true), depth + 1, out),
            NodeValue::Strikethrough => inline(c, &styled(&|s| s.strike = true), depth + 1, out),
            NodeValue::Link(l) | NodeValue::Image(l) => {
                let link = web(&l.url).or(style.link.clone());
                inline(c, &styled(&|s| s.link = link.clone()), depth + 1, out)
            }
            _ => inline(c, style, depth + 1, out),
        }
    }
}

/// Every heading id, at any depth, in order.
pub fn ids(blocks: &[Block], out: &mut Vec<String>) {
    for b in blocks {
        match b {
            Block::Heading { id: Some(id), .. } => out.push(id.clone()),
            Block::List { items, .. } => items.iter().for_each(|i| ids(i, out)),
            Block::Quote { blocks } => ids(blocks, out),
            _ => {}
        }
    }
}

/// The address when it is one a PDF reader may open.
fn web(url: &str) -> Option<String> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s) && u.len() > s.len())
        .then(|| u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(runs: &[Run]) -> String {
        runs.iter().map(|r| r.text.as_str()).collect()
    }

    #[test]
    fn headings_have_the_ids_of_the_html_pack() {
        let text =
            "## 3.2 Policy\n\n## Summary\n\n> ## Summary\n\n## `code` and *more*\n\n## Summary\n";
        let mut got = Vec::new();
        ids(&of(text, 1), &mut got);
        let html: Vec<String> = markdown::render(text)
            .headings
            .into_iter()
            .map(|(_, id)| id)
            .collect();
        assert_eq!(got, html);
        assert_eq!(got.len(), 5);
    }

    #[test]
    fn headings_lists_tables_and_styles() {
        let b = of(
            "# Stage 1\n\n## 3.2 Policy\n\nWe **share** *plans* and `code`, see [the site](https://x.example) or [a file](../a.md).\n\n- one\n- two\n  1. nested\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quoted\n\n```\nfenced\n```\n\n---\n",
            1,
        );
        assert_eq!(b.len(), 8, "{b:#?}");
        assert!(matches!(&b[0], Block::Heading { level: 2, runs, .. } if text(runs) == "Stage 1"));
        assert!(
            matches!(&b[1], Block::Heading { level: 3, runs, .. } if text(runs) == "3.2 Policy")
        );
        let Block::Paragraph { runs } = &b[2] else {
            panic!("{:?}", b[2])
        };
        assert!(runs.iter().any(|r| r.strong && r.text == "share"));
        assert!(runs.iter().any(|r| r.emph && r.text == "plans"));
        assert!(runs.iter().any(|r| r.code && r.text == "code"));
        assert!(
            runs.iter()
                .any(|r| r.text == "the site" && r.link.as_deref() == Some("https://x.example"))
        );
        // A link into the plan's files is plain text, run on with its neighbours.
        assert!(
            runs.iter()
                .any(|r| r.text.contains(" or a file") && r.link.is_none())
        );
        let Block::List { ordered, items, .. } = &b[3] else {
            panic!("{:?}", b[3])
        };
        assert!(!ordered && items.len() == 2);
        assert!(matches!(&items[1][1], Block::List { ordered: true, .. }));
        let Block::Table { rows } = &b[4] else {
            panic!("{:?}", b[4])
        };
        assert_eq!(text(&rows[1][1]), "2");
        assert!(matches!(&b[5], Block::Quote { .. }));
        assert_eq!(
            b[6],
            Block::Code {
                text: "fenced\n".into()
            }
        );
        assert_eq!(b[7], Block::Rule);
    }

    #[test]
    fn raw_html_stays_text_and_code_links_go() {
        let tasks = of("- [ ] open\n- [x] done\n", 0);
        let Block::List { items, .. } = &tasks[0] else {
            panic!("{tasks:?}")
        };
        let first = |b: &[Block]| match &b[0] {
            Block::Paragraph { runs } => text(runs),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            (first(&items[0]), first(&items[1])),
            ("[ ] open".into(), "[x] done".into())
        );
        let b = of(
            "<script>alert(1)</script>\n\nHi <b>x</b> [y](javascript:alert(1))\n",
            0,
        );
        assert!(matches!(&b[0], Block::Code { text } if text.contains("<script>")));
        let Block::Paragraph { runs } = &b[1] else {
            panic!()
        };
        assert!(runs.iter().any(|r| r.code && r.text == "<b>"));
        assert!(runs.iter().all(|r| r.link.is_none()));
    }

    #[test]
    fn deep_nesting_is_flattened_not_followed() {
        let deep = "> ".repeat(200) + "deep\n";
        let b = of(&deep, 0);
        let mut depth = 0;
        let mut at = &b;
        while let Some(Block::Quote { blocks }) = at.first() {
            depth += 1;
            at = blocks;
        }
        assert!(depth <= MAX_DEPTH + 1, "{depth}");
        assert!(format!("{b:?}").contains("deep"));
        let stars = "*".repeat(300) + "x" + &"*".repeat(300);
        assert!(format!("{:?}", of(&stars, 0)).contains('x'));
    }
}
