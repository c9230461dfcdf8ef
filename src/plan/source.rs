//! Where a plan's files come from. The loader only sees this trait, so that a
//! source other than the work tree (a git commit) can be read by the same loader.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    /// Never followed: a link can lead out of the plan.
    Symlink,
    Missing,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub kind: EntryKind,
}

pub trait Source {
    /// What to call the plan's root in messages.
    fn root(&self) -> &Path;
    /// The entries of a folder (relative to the root, `""` for the root), sorted by name.
    fn list(&self, dir: &str) -> Result<Vec<Entry>>;
    /// The bytes of a regular file.
    fn read(&self, file: &str) -> Result<Vec<u8>>;
    /// What is at a relative path, without following a symlink.
    fn kind(&self, path: &str) -> EntryKind;
}

/// Every symbolic link anywhere in the plan, by relative path. A plan copied
/// into another (by `fork-joint`) must hold none: a link could point at any
/// file of the machine that checks it out.
pub fn symlinks(source: &dyn Source) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut dirs = vec![String::new()];
    while let Some(dir) = dirs.pop() {
        for e in source.list(&dir)? {
            let path = if dir.is_empty() {
                e.name.clone()
            } else {
                format!("{dir}/{}", e.name)
            };
            match e.kind {
                EntryKind::Symlink => out.push(path),
                EntryKind::Dir => dirs.push(path),
                _ => {}
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A plan in a folder on disk.
pub struct FsSource {
    root: PathBuf,
}

impl FsSource {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        FsSource { root: root.into() }
    }
    /// Why reading `rel` would leave the plan, if it would.
    fn leaves(&self, rel: &str) -> Option<&'static str> {
        let p = Path::new(rel);
        if p.is_absolute() || rel.starts_with('/') || rel.starts_with('\\') {
            return Some("the path is absolute; bsrmp reads only inside the plan");
        }
        let mut prefix = self.root.clone();
        for c in p.components() {
            match c {
                std::path::Component::Normal(part) => {
                    prefix.push(part);
                    if std::fs::symlink_metadata(&prefix).is_ok_and(|m| m.file_type().is_symlink())
                    {
                        return Some(
                            "the path goes through a symbolic link; bsrmp does not follow links, which could lead out of the plan",
                        );
                    }
                }
                std::path::Component::CurDir => {}
                _ => return Some("the path leaves the plan through `..`"),
            }
        }
        None
    }

    /// Whether reading `rel` would leave the plan (absolute, `..`, a link).
    pub fn leaves_plan(&self, rel: &str) -> bool {
        self.leaves(rel).is_some()
    }

    fn abs(&self, rel: &str) -> PathBuf {
        if rel.is_empty() {
            self.root.clone()
        } else {
            self.root.join(rel)
        }
    }
}

fn kind_of(meta: &std::fs::Metadata) -> EntryKind {
    let ft = meta.file_type();
    if ft.is_symlink() {
        EntryKind::Symlink
    } else if ft.is_dir() {
        EntryKind::Dir
    } else if ft.is_file() {
        EntryKind::File
    } else {
        // A pipe, socket or device: reading it could block for ever.
        EntryKind::Missing
    }
}

impl Source for FsSource {
    fn root(&self) -> &Path {
        &self.root
    }

    fn list(&self, dir: &str) -> Result<Vec<Entry>> {
        let path = self.abs(dir);
        let read_err = |source| Error::Read {
            path: path.clone(),
            source,
        };
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&path).map_err(read_err)? {
            let entry = entry.map_err(read_err)?;
            let meta = std::fs::symlink_metadata(entry.path()).map_err(read_err)?;
            out.push(Entry {
                name: entry.file_name().to_string_lossy().into_owned(),
                kind: kind_of(&meta),
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    fn read(&self, file: &str) -> Result<Vec<u8>> {
        let path = self.abs(file);
        // However the path was checked before, reading never leaves the plan:
        // no absolute path, no `..`, no symbolic link on the way.
        if let Some(why) = self.leaves(file) {
            return Err(Error::Read {
                path,
                source: std::io::Error::other(why),
            });
        }
        let meta = std::fs::symlink_metadata(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        if !meta.is_file() {
            return Err(Error::Read {
                path,
                source: std::io::Error::other("this is not a regular file"),
            });
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(Error::Read {
                path,
                source: std::io::Error::other(format!(
                    "the file is {} MB; plan files are limited to {} MB",
                    meta.len() / (1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                )),
            });
        }
        // Marked with its size: memory that runs out on another thread while
        // (or after) the largest file is read is reported against it.
        let _reading = crate::memory::parsing(file, meta.len() as usize);
        std::fs::read(&path).map_err(|source| Error::Read { path, source })
    }

    fn kind(&self, path: &str) -> EntryKind {
        match std::fs::symlink_metadata(self.abs(path)) {
            Ok(meta) => kind_of(&meta),
            Err(_) => EntryKind::Missing,
        }
    }
}

/// A plan inside another plan's folder, such as a party's own plan under
/// `parties/<id>/` of a joint plan.
pub struct PrefixSource<'a> {
    inner: &'a dyn Source,
    prefix: String,
    root: PathBuf,
}

impl<'a> PrefixSource<'a> {
    pub fn new(inner: &'a dyn Source, prefix: &str) -> Self {
        PrefixSource {
            inner,
            prefix: prefix.trim_end_matches('/').to_string(),
            root: inner.root().join(prefix),
        }
    }

    fn full(&self, rel: &str) -> String {
        if rel.is_empty() {
            self.prefix.clone()
        } else {
            format!("{}/{rel}", self.prefix)
        }
    }
}

impl Source for PrefixSource<'_> {
    fn root(&self) -> &Path {
        &self.root
    }

    fn list(&self, dir: &str) -> Result<Vec<Entry>> {
        self.inner.list(&self.full(dir))
    }

    fn read(&self, file: &str) -> Result<Vec<u8>> {
        self.inner.read(&self.full(file))
    }

    fn kind(&self, path: &str) -> EntryKind {
        self.inner.kind(&self.full(path))
    }
}

/// A plan held in memory: relative paths to bytes. Folders are implied by the
/// paths. Used to check plans that never touch a disk (fuzzing, property
/// tests, tools built on the library).
pub struct MemSource {
    root: PathBuf,
    files: std::collections::BTreeMap<String, Vec<u8>>,
}

impl MemSource {
    pub fn new(
        root: impl Into<PathBuf>,
        files: std::collections::BTreeMap<String, Vec<u8>>,
    ) -> Self {
        MemSource {
            root: root.into(),
            files,
        }
    }
}

impl Source for MemSource {
    fn root(&self) -> &Path {
        &self.root
    }

    fn list(&self, dir: &str) -> Result<Vec<Entry>> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{}/", dir.trim_end_matches('/'))
        };
        let mut out: Vec<Entry> = Vec::new();
        for path in self.files.keys().filter(|p| p.starts_with(&prefix)) {
            let rest = &path[prefix.len()..];
            let (name, kind) = match rest.split_once('/') {
                Some((d, _)) => (d, EntryKind::Dir),
                None => (rest, EntryKind::File),
            };
            if out.last().is_none_or(|e| e.name != name) && !name.is_empty() {
                out.push(Entry {
                    name: name.to_string(),
                    kind,
                });
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out.dedup_by(|a, b| a.name == b.name);
        Ok(out)
    }

    fn read(&self, file: &str) -> Result<Vec<u8>> {
        self.files.get(file).cloned().ok_or_else(|| Error::Read {
            path: self.root.join(file),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        })
    }

    fn kind(&self, path: &str) -> EntryKind {
        if path.is_empty() || self.files.contains_key(path) {
            return if path.is_empty() {
                EntryKind::Dir
            } else {
                EntryKind::File
            };
        }
        let prefix = format!("{}/", path.trim_end_matches('/'));
        if self.files.keys().any(|p| p.starts_with(&prefix)) {
            EntryKind::Dir
        } else {
            EntryKind::Missing
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memory_source_implies_its_folders() {
        let files = [
            ("rmp.toml", "x"),
            ("registers/risks.yaml", "y"),
            ("registers/people.yaml", "z"),
            ("01-awareness/README.md", "w"),
        ]
        .into_iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect();
        let m = MemSource::new("plan", files);
        let names = |d| {
            m.list(d)
                .unwrap()
                .into_iter()
                .map(|e| (e.name, e.kind))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(""),
            vec![
                ("01-awareness".into(), EntryKind::Dir),
                ("registers".into(), EntryKind::Dir),
                ("rmp.toml".into(), EntryKind::File)
            ]
        );
        assert_eq!(names("registers").len(), 2);
        assert_eq!(m.kind("registers"), EntryKind::Dir);
        assert_eq!(m.kind("registers/risks.yaml"), EntryKind::File);
        assert_eq!(m.kind("registers/r"), EntryKind::Missing);
        assert_eq!(m.read("rmp.toml").unwrap(), b"x");
        assert!(m.read("nope").is_err());
    }
}
