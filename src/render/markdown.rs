//! Plan Markdown to HTML with comrak: GitHub tables, footnotes and heading
//! anchors. Raw HTML in the plan is never passed through: HTML comments
//! (authoring notes, such as the guidance `init` writes) are dropped, and any
//! other HTML is shown as code, visible but inert, so a narrative cannot put a
//! script or a form into the assessor's browser.

use comrak::nodes::{NodeCode, NodeCodeBlock, NodeValue};

pub struct Rendered {
    pub html: String,
    /// Each heading's text and its anchor, in document order.
    pub headings: Vec<(String, String)>,
}

pub(super) fn options() -> comrak::Options<'static> {
    let mut o = comrak::Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.extension.header_id_prefix = Some("h-".to_string());
    o.extension.header_id_prefix_in_href = true;
    o.extension.front_matter_delimiter = Some("---".to_string());
    // The default, said out loud: raw HTML and dangerous links are dropped.
    o.render.r#unsafe = false;
    o
}

/// A URL with a scheme or host of its own (`https://x`, `//x`, `mailto:`),
/// as opposed to a path inside the pack.
fn is_remote(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("//")
        || url
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains('/'))
}

/// A URL whose scheme makes a browser run or open something rather than go
/// to a page: `javascript:`, `vbscript:`, `file:`, and `data:` other than an
/// image. Browsers ignore case, spaces and control characters in the scheme.
fn runs_code(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(40)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "file:", "data:"]
        .iter()
        .any(|s| cleaned.starts_with(s))
        && ![
            "data:image/png",
            "data:image/gif",
            "data:image/jpeg",
            "data:image/webp",
        ]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

/// Parses `text` and makes its raw HTML inert; `shift` lowers every heading by
/// that many levels (for a narrative nested inside the Markdown pack).
pub(super) fn parse<'a>(
    arena: &'a comrak::Arena<'a>,
    text: &str,
    opts: &comrak::Options,
    shift: u8,
) -> comrak::Node<'a> {
    let root = comrak::parse_document(arena, text, opts);
    let nodes: Vec<_> = root.descendants().collect();
    for node in nodes {
        let mut detach = false;
        {
            let mut data = node.data.borrow_mut();
            let value = &mut data.value;
            match value {
                NodeValue::FrontMatter(_) => detach = true,
                NodeValue::HtmlBlock(b) if b.literal.trim_start().starts_with("<!--") => {
                    detach = true
                }
                NodeValue::HtmlInline(h) if h.trim_start().starts_with("<!--") => detach = true,
                NodeValue::HtmlBlock(b) => {
                    let literal = std::mem::take(&mut b.literal);
                    *value = NodeValue::CodeBlock(Box::new(NodeCodeBlock {
                        fenced: true,
                        fence_char: b'`',
                        fence_length: 3,
                        fence_offset: 0,
                        info: "html".to_string(),
                        literal,
                        closed: true,
                    }));
                }
                NodeValue::HtmlInline(h) => {
                    let literal = std::mem::take(h);
                    *value = NodeValue::Code(NodeCode {
                        num_backticks: if literal.contains('`') { 2 } else { 1 },
                        literal,
                    });
                }
                // A link that would run code loses its target, in the HTML
                // and in the Markdown pack alike.
                NodeValue::Link(link) | NodeValue::Image(link) if runs_code(&link.url) => {
                    link.url.clear();
                }
                // An image from elsewhere would be fetched when the pack is
                // opened, telling its host who reads the pack and when: it
                // becomes a link the reader may follow, or not.
                NodeValue::Image(link) if is_remote(&link.url) => {
                    let link = std::mem::replace(
                        link,
                        Box::new(comrak::nodes::NodeLink {
                            url: String::new(),
                            title: String::new(),
                        }),
                    );
                    *value = NodeValue::Link(link);
                }
                NodeValue::Heading(h) => h.level = (h.level + shift).min(6),
                _ => {}
            }
        }
        if detach {
            node.detach();
        }
    }
    root
}

pub fn render(text: &str) -> Rendered {
    let opts = options();
    let arena = comrak::Arena::new();
    let root = parse(&arena, text, &opts, 0);
    let mut html = String::new();
    // Writing to a String cannot fail.
    let _ = comrak::format_html(root, &opts, &mut html);
    let headings = headings(&html);
    Rendered { html, headings }
}

/// The Markdown again, with front matter and comments removed, other raw HTML
/// as code, and headings lowered by `shift` levels.
pub fn for_pack(text: &str, shift: u8) -> String {
    let mut opts = options();
    opts.extension.header_id_prefix = None;
    let arena = comrak::Arena::new();
    let root = parse(&arena, text, &opts, shift);
    let mut out = String::new();
    let _ = comrak::format_commonmark(root, &opts, &mut out);
    out
}

/// Reads the anchors comrak gave the headings back out of its HTML, so that
/// links to a clause use exactly the id on the page.
fn headings(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = find_heading(rest) {
        let after = &rest[start..];
        let level = &after[2..3];
        let close = format!("</h{level}>");
        let Some(end) = after.find(&close) else {
            break;
        };
        let inner = &after[..end];
        if let Some(id) = inner
            .find("id=\"")
            .map(|i| &inner[i + 4..])
            .and_then(|s| s.find('"').map(|j| &s[..j]))
        {
            out.push((unescape(&strip_tags(inner)), id.to_string()));
        }
        rest = &after[end + close.len()..];
    }
    out
}

fn find_heading(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(3)).find(|&i| {
        b[i] == b'<'
            && b[i + 1] == b'h'
            && (b'1'..=b'6').contains(&b[i + 2])
            && matches!(b[i + 3], b'>' | b' ')
    })
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_dropped_and_headings_get_anchors() {
        let r = render(
            "---\nid: X\n---\n# Stage 1\n\n## 3.2 Policy\n\nText <script>alert(1)</script> here.\n\n<div onclick=\"x()\">hi</div>\n",
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"), "{}", r.html);
        assert!(!r.html.contains("<div"), "{}", r.html);
        assert!(!r.html.contains("id: X"), "{}", r.html);
        assert_eq!(r.headings.len(), 2, "{:?}", r.headings);
        assert_eq!(r.headings[1].0, "3.2 Policy");
        assert!(r.html.contains(&format!("id=\"{}\"", r.headings[1].1)));
        let shifted = for_pack("# A\n\n<!-- note -->\n\n## 3.2 B\n\n<b>x</b>\n", 2);
        assert!(
            shifted.contains("### A") && shifted.contains("#### 3.2 B"),
            "{shifted}"
        );
        assert!(!shifted.contains("note"), "{shifted}");
        assert!(shifted.contains("`<b>`"), "{shifted}");
    }

    #[test]
    fn tables_and_footnotes() {
        let r = render("| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1].\n\n[^1]: The note.\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn javascript_links_are_dropped() {
        let r = render("[x](javascript:alert(1))\n");
        assert!(!r.html.contains("javascript:"), "{}", r.html);
    }

    #[test]
    fn remote_images_become_links_and_local_ones_stay() {
        let r = render(
            "![chart](https://tracker.example/p.png) ![logo](//cdn.example/l.png) ![map](evidence/map.png)\n",
        );
        assert!(!r.html.contains("<img src=\"https:"), "{}", r.html);
        assert!(!r.html.contains("<img src=\"//"), "{}", r.html);
        assert!(
            r.html
                .contains("<a href=\"https://tracker.example/p.png\">chart</a>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<img src=\"evidence/map.png\""),
            "{}",
            r.html
        );
        assert!(is_remote("mailto:x@example.com") && !is_remote("a/b:c.png"));
    }

    #[test]
    fn links_that_run_code_lose_their_target_in_both_outputs() {
        let text = "[a](javascript:alert(1)) [b](JaVaScRiPt:x) [c](java&#x73;cript:y) [d](vbscript:z) [e](data:text/html,x) [f][r]\n\n[r]: javascript:w\n";
        let md = for_pack(text, 0);
        let html = render(text).html;
        for out in [&md, &html] {
            let lower = out.to_ascii_lowercase();
            assert!(
                !lower.contains("javascript:") && !lower.contains("vbscript:"),
                "{out}"
            );
            assert!(!lower.contains("data:text"), "{out}");
        }
        assert!(runs_code(" JAVA\tSCRIPT:x") && !runs_code("data:image/png;base64,AA"));
    }
}
