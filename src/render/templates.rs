//! The pack's templates: embedded in the binary, each one replaceable by a
//! file of the same name in `--templates DIR`. Plan text reaches templates only
//! as data, never as template source, so `{{ ... }}` in a plan is just text.

use std::path::{Path, PathBuf};

use minijinja::{Environment, Value};

use crate::error::{Error, Result};

/// Name and source of every built-in template.
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/pack/base.html")),
    (
        "stamp.html",
        include_str!("../../templates/pack/stamp.html"),
    ),
    (
        "macros.html",
        include_str!("../../templates/pack/macros.html"),
    ),
    (
        "index.html",
        include_str!("../../templates/pack/index.html"),
    ),
    (
        "matrix.html",
        include_str!("../../templates/pack/matrix.html"),
    ),
    (
        "stage.html",
        include_str!("../../templates/pack/stage.html"),
    ),
    (
        "registers.html",
        include_str!("../../templates/pack/registers.html"),
    ),
    (
        "evidence.html",
        include_str!("../../templates/pack/evidence.html"),
    ),
    (
        "documents.html",
        include_str!("../../templates/pack/documents.html"),
    ),
    (
        "findings.html",
        include_str!("../../templates/pack/findings.html"),
    ),
    ("pack.md", include_str!("../../templates/pack/pack.md")),
    ("stamp.md", include_str!("../../templates/pack/stamp.md")),
    ("table.md", include_str!("../../templates/pack/table.md")),
    (
        "table.html",
        include_str!("../../templates/pack/table.html"),
    ),
];

pub const STYLE: &str = include_str!("../../templates/pack/style.css");

/// Files in a templates folder that are copied into the pack as they are
/// (a logo, fonts, extra CSS) rather than rendered.
const ASSET_EXTENSIONS: &[&str] = &[
    "css", "png", "jpg", "jpeg", "svg", "gif", "webp", "woff", "woff2",
];

/// An organisation's own templates and assets.
pub struct Overrides {
    pub templates: Vec<(String, String)>,
    /// (file name, bytes), copied into the pack's top folder.
    pub assets: Vec<(String, Vec<u8>)>,
    /// `pack.typ`, the PDF's typst template.
    pub typst: Option<String>,
}

/// Reads a templates folder: regular files at its top level only (no
/// sub-folders, no symbolic links, which could lead out of it).
pub fn read_overrides(dir: &Path) -> Result<Overrides> {
    let read_err = |path: PathBuf, source| Error::Read { path, source };
    let entries = std::fs::read_dir(dir).map_err(|e| read_err(dir.to_path_buf(), e))?;
    let mut out = Overrides {
        templates: Vec::new(),
        assets: Vec::new(),
        typst: None,
    };
    let mut names: Vec<(String, PathBuf)> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| read_err(dir.to_path_buf(), e))?;
        let path = entry.path();
        let meta = std::fs::symlink_metadata(&path).map_err(|e| read_err(path.clone(), e))?;
        if meta.file_type().is_symlink() {
            return Err(Error::TemplateLink {
                path,
                dir: dir.to_path_buf(),
            });
        }
        if !meta.is_file() {
            continue;
        }
        if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
            names.push((name.to_string(), path));
        }
    }
    names.sort();
    for (name, path) in names {
        let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        if name == "pack.typ" {
            let text = std::fs::read_to_string(&path).map_err(|e| read_err(path.clone(), e))?;
            out.typst = Some(text);
        } else if name.ends_with(".html") || name.ends_with(".md") {
            let text = std::fs::read_to_string(&path).map_err(|e| read_err(path.clone(), e))?;
            out.templates.push((name, text));
        } else if ASSET_EXTENSIONS.contains(&ext.as_str()) {
            let bytes = std::fs::read(&path).map_err(|e| read_err(path.clone(), e))?;
            out.assets.push((name, bytes));
        }
    }
    Ok(out)
}

/// Backslash-escapes what Markdown would read as markup or HTML, on one line
/// (a line break in a name could start a heading or a block of its own).
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\n' || c == '\r' {
            out.push(' ');
            continue;
        }
        if matches!(
            c,
            '\\' | '<' | '>' | '[' | ']' | '*' | '_' | '`' | '|' | '#' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A Markdown table cell: escaped, on one line.
pub fn md_cell(s: &str) -> String {
    md_escape(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A Markdown code span holding `s` literally: fenced with more backticks than
/// any run inside it, on one line.
pub fn md_code(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

pub fn environment(overrides: Option<&Overrides>) -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_filter("md", |v: Value| md_escape(&v.to_string()));
    env.add_filter("cell", |v: Value| md_cell(&v.to_string()));
    env.add_filter("code", |v: Value| md_code(&v.to_string()));
    // In a table, a `|` ends the cell even inside a code span.
    env.add_filter("codecell", |v: Value| {
        md_code(&v.to_string()).replace('|', "\\|")
    });
    for (name, src) in BUILTIN {
        env.add_template(name, src)
            .map_err(|e| template_error(name, &e))?;
    }
    if let Some(o) = overrides {
        for (name, src) in &o.templates {
            env.add_template_owned(name.clone(), src.clone())
                .map_err(|e| template_error(name, &e))?;
        }
    }
    Ok(env)
}

pub fn template_error(name: &str, e: &minijinja::Error) -> Error {
    let mut message = e.to_string();
    if let Some(line) = e.line() {
        message = format!("line {line}: {message}");
    }
    Error::Template {
        name: name.to_string(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escaping_neutralises_markup() {
        assert_eq!(md_escape("<script>"), "\\<script\\>");
        assert_eq!(md_escape("a\n# b"), "a \\# b");
        assert_eq!(md_code("id"), "`id`");
        assert_eq!(md_code("a`<b>"), "``a`<b>``");
        assert_eq!(md_code("`x"), "`` `x ``");
        assert_eq!(md_cell("a | b\nc"), "a \\| b c");
    }

    #[test]
    fn builtin_templates_parse() {
        environment(None).unwrap();
    }
}
