//! Plain-text tables for the terminal, with columns sized to their content.

use unicode_width::UnicodeWidthStr;

/// How a column's cells line up.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// Lays out `header` and `rows` in columns two spaces apart. Widths are display
/// widths, so names with accents or wide characters still line up.
pub fn render(header: &[&str], align: &[Align], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.width());
            }
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = widths
                .get(i)
                .copied()
                .unwrap_or(0)
                .saturating_sub(cell.width());
            let last = i + 1 == row.len();
            if i > 0 {
                line.push_str("  ");
            }
            if align.get(i) == Some(&Align::Right) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if !last {
                    line.push_str(&" ".repeat(pad));
                }
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_the_widest_cell() {
        let rows = vec![
            vec!["a".to_string(), "1".to_string(), "x".to_string()],
            vec!["Müller".to_string(), "12".to_string(), "y".to_string()],
        ];
        let t = render(
            &["name", "n", "z"],
            &[Align::Left, Align::Right, Align::Left],
            &rows,
        );
        assert_eq!(t, "name     n  z\na        1  x\nMüller  12  y\n");
    }
}
