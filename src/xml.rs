//! Text for XML: the JUnit report and the pack's SVG charts.

/// Escapes text for XML content and attributes. Characters XML 1.0 cannot
/// carry at all (most control characters, U+FFFE, U+FFFF) would make the
/// whole document unreadable, so each becomes U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c, '\u{fffe}' | '\u{ffff}') =>
            {
                out.push('\u{fffd}')
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_and_characters_xml_cannot_carry() {
        assert_eq!(
            super::escape("a<b & \"c\" 'd'>\u{1b}\u{ffff}\té"),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;\u{fffd}\u{fffd}\té"
        );
    }
}
