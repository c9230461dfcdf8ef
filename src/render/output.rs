//! Writing a pack safely: into a temporary folder beside the target, then one
//! rename. An interrupted render leaves the earlier pack whole, and a folder
//! that is not a pack is never written into or removed.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::model::Provenance;
use crate::error::{Error, Result};
use crate::staging::Staging;

pub const MANIFEST: &str = "manifest.json";
pub const PACK_FORMAT: &str = "bsrmp.pack/1";
/// Marks a zip as one bsrmp wrote, so it may be replaced.
const ZIP_COMMENT: &str = "bsrmp assessor pack";

#[derive(Serialize, Deserialize)]
struct Manifest {
    format: String,
    generator: String,
    commit: Option<String>,
    dirty: bool,
    generated: String,
    files: Vec<FileEntry>,
}

#[derive(Clone, Serialize, Deserialize)]
struct FileEntry {
    path: String,
    bytes: usize,
    sha256: String,
}

/// Writes a file's bytes to `w`.
pub type Make<'a> = &'a mut dyn FnMut(&mut dyn Write) -> Result<()>;

/// A pack file being written: its bytes are counted and hashed for the
/// manifest as they pass, and the first failure is kept with its cause.
struct Sink {
    out: std::io::BufWriter<std::fs::File>,
    hash: Sha256,
    bytes: usize,
    failed: Option<std::io::Error>,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.out.write(buf) {
            Ok(n) => {
                self.hash.update(&buf[..n]);
                self.bytes += n;
                Ok(n)
            }
            Err(e) => {
                let again = std::io::Error::new(e.kind(), e.to_string());
                self.failed.get_or_insert(e);
                Err(again)
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

fn write_err(path: &Path, source: std::io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

fn read_err(path: &Path, source: std::io::Error) -> Error {
    Error::Read {
        path: path.to_path_buf(),
        source,
    }
}

/// `path` made absolute and free of `.` and `..`, resolving symbolic links in
/// the part that exists.
fn resolve(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = abs.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        match Path::new(&name).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) => {}
            _ => out.push(name),
        }
    }
    out
}

pub fn is_inside(path: &Path, dir: &Path) -> bool {
    resolve(path).starts_with(resolve(dir))
}

/// The files an earlier pack holds, by its manifest; `None` when `dir` is not a pack.
fn earlier_pack(dir: &Path) -> Option<BTreeSet<String>> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let m: Manifest = serde_json::from_str(&text).ok()?;
    (m.format == PACK_FORMAT).then(|| m.files.into_iter().map(|f| f.path).collect())
}

/// Every file under `dir`, relative, with `/` separators; symbolic links count as files.
fn files_under(dir: &Path) -> Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).follow_links(false) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            read_err(
                &path,
                e.into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("cannot walk")),
            )
        })?;
        if entry.file_type().is_dir() {
            continue;
        }
        if let Ok(rel) = entry.path().strip_prefix(dir) {
            out.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(out)
}

/// Refuses a target inside the plan, a symbolic link, a file, or a folder
/// holding anything but an earlier pack's own files.
pub fn refuse_unsafe_target(out: &Path, plan_dir: &Path) -> Result<()> {
    if is_inside(out, plan_dir) {
        return Err(Error::PackInsidePlan {
            out: out.to_path_buf(),
            plan: plan_dir.to_path_buf(),
        });
    }
    replaceable(out)
}

/// Whether `out` may be replaced by a pack: absent, an empty folder, or an
/// earlier pack holding only its own files.
fn replaceable(out: &Path) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(out) else {
        return Ok(());
    };
    if meta.file_type().is_symlink() || !meta.is_dir() {
        return Err(Error::NotAFolder {
            path: out.to_path_buf(),
            link: meta.file_type().is_symlink(),
        });
    }
    // An empty folder, or one whose manifest says it is a pack, before any
    // walk: a folder such as / or /usr is refused at once, not read through.
    let empty = std::fs::read_dir(out)
        .map_err(|e| read_err(out, e))?
        .next()
        .is_none();
    if empty {
        return Ok(());
    }
    match earlier_pack(out) {
        Some(mut listed) => {
            let present = files_under(out)?;
            listed.insert(MANIFEST.to_string());
            if present.is_subset(&listed) {
                Ok(())
            } else {
                let extra: Vec<&String> = present.difference(&listed).take(3).collect();
                Err(Error::PackWithOtherFiles {
                    path: out.to_path_buf(),
                    extra: extra
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                })
            }
        }
        None => Err(Error::NotAPack {
            path: out.to_path_buf(),
        }),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn manifest_json(entries: Vec<FileEntry>, p: &Provenance) -> Vec<u8> {
    let m = Manifest {
        format: PACK_FORMAT.to_string(),
        generator: format!("bsrmp {}", p.version),
        commit: p.commit.clone(),
        dirty: p.dirty,
        generated: p.generated.clone(),
        files: entries,
    };
    let mut out = serde_json::to_vec_pretty(&m).unwrap_or_default();
    out.push(b'\n');
    out
}

/// A pack being written to a temporary folder beside its target, a file at
/// a time as each is made, so that no more than one file is held in memory
/// (a large plan's pages and PDF came to hundreds of megabytes).
pub struct Staged {
    tmp: Staging,
    leftovers: Vec<PathBuf>,
    entries: Vec<FileEntry>,
}

/// A pack in place: whether an earlier one was replaced, the leftovers of
/// interrupted runs that were removed, and the files written (by path).
pub struct Placed {
    pub replaced: bool,
    pub leftovers: Vec<PathBuf>,
    entries: Vec<FileEntry>,
}

impl Placed {
    /// The files written, in the order they were made.
    pub fn files(&self) -> Vec<String> {
        self.entries.iter().map(|e| e.path.clone()).collect()
    }
}

impl Staged {
    pub fn begin(out: &Path) -> Result<Staged> {
        let (tmp, leftovers) = Staging::beside(out, "pack")?;
        Ok(Staged {
            tmp,
            leftovers,
            entries: Vec::new(),
        })
    }

    /// Writes one file of the pack (a path relative to it) as `make` writes
    /// it, so that a large page is never held whole in memory.
    pub fn stream(&mut self, rel: &str, make: Make<'_>) -> Result<()> {
        // A signal waits for this file, not for the whole render.
        let _writing = self.tmp.writing();
        let path = self.tmp.path().join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| write_err(dir, e))?;
        }
        let file = std::fs::File::create(&path).map_err(|e| write_err(&path, e))?;
        let mut sink = Sink {
            out: std::io::BufWriter::new(file),
            hash: Sha256::new(),
            bytes: 0,
            failed: None,
        };
        let made = make(&mut sink);
        // A failed write is reported as one, even when it surfaced as a
        // template error.
        if let Some(e) = sink.failed.take() {
            return Err(write_err(&path, e));
        }
        made?;
        sink.out.flush().map_err(|e| write_err(&path, e))?;
        self.entries.push(FileEntry {
            path: rel.to_string(),
            bytes: sink.bytes,
            sha256: hex(&sink.hash.finalize()),
        });
        Ok(())
    }

    /// Writes the manifest and moves the folder into place.
    pub fn finish(self, out: &Path, p: &Provenance) -> Result<Placed> {
        let Staged {
            tmp,
            leftovers,
            entries,
        } = self;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let writing = tmp.writing();
        let manifest = tmp.path().join(MANIFEST);
        let mut listed = entries.clone();
        listed.sort_by(|a, b| a.path.cmp(&b.path));
        std::fs::write(&manifest, manifest_json(listed, p)).map_err(|e| write_err(&manifest, e))?;
        drop(writing);

        // Two renders into the same folder take turns here, and the target is
        // looked at again: another render may have changed it meanwhile.
        let _turn = lock_dir(&parent);
        replaceable(out)?;
        let replaced = out.exists();
        let expected = std::fs::read(&manifest).map_err(|e| read_err(&manifest, e))?;
        if replaced {
            tmp.place(out, || Ok(()), |built, out| replace(built, out, &parent))?;
        } else {
            tmp.finish(out, || Ok(()))?;
        }
        // The pack is reported written only once its manifest is in place.
        if std::fs::read(out.join(MANIFEST)).ok() != Some(expected) {
            return Err(Error::NotRecorded {
                what: "the pack".into(),
                path: out.to_path_buf(),
                source: std::io::Error::other("its manifest.json is not the one written"),
            });
        }
        Ok(Placed {
            replaced,
            leftovers,
            entries,
        })
    }
}

/// An exclusive lock on a folder, held until dropped; `None` where folders
/// cannot be locked (then renders do not take turns, and each still replaces
/// the pack in one step).
fn lock_dir(dir: &Path) -> Option<std::fs::File> {
    let f = std::fs::File::open(dir).ok()?;
    f.lock().ok()?;
    Some(f)
}

/// Puts the folder `built` in place of the folder `out`. On Linux the two are
/// exchanged in one atomic step, so `out` is never missing, even for an
/// instant; the earlier pack, now at `built`, is then removed.
#[cfg(target_os = "linux")]
fn replace(built: &Path, out: &Path, _parent: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    // The earlier pack, now at `built`, goes with the staging folder.
    renameat_with(CWD, built, CWD, out, RenameFlags::EXCHANGE)?;
    Ok(())
}

/// Elsewhere: the earlier pack is moved aside first, then the new one moved
/// in, and the earlier one put back if that fails.
#[cfg(not(target_os = "linux"))]
fn replace(built: &Path, out: &Path, parent: &Path) -> std::io::Result<()> {
    let aside = tempfile::Builder::new()
        .prefix(".bsrmp-old-pack-")
        .tempdir_in(parent)?
        .keep();
    std::fs::remove_dir(&aside)?;
    std::fs::rename(out, &aside)?;
    if let Err(e) = std::fs::rename(built, out) {
        let _ = std::fs::rename(&aside, out);
        return Err(e);
    }
    let _ = std::fs::remove_dir_all(&aside);
    Ok(())
}

fn zip_time(secs: i64) -> zip::DateTime {
    let t = jiff::Timestamp::from_second(secs)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(jiff::tz::TimeZone::UTC);
    zip::DateTime::from_date_and_time(
        t.year().clamp(1980, 2107) as u16,
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
    )
    .unwrap_or_default()
}

fn pack_name(out: &Path) -> String {
    out.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "pack".to_string())
}

/// `<out>.zip`, when it is absent or a zip bsrmp wrote: asked before the pack
/// is written, so that a refusal leaves everything as it was.
pub fn zip_target(out: &Path) -> Result<PathBuf> {
    let zip_path = out.with_file_name(format!("{}.zip", pack_name(out)));
    if let Ok(meta) = std::fs::symlink_metadata(&zip_path) {
        let ours = meta.is_file()
            && std::fs::File::open(&zip_path)
                .ok()
                .and_then(|f| zip::ZipArchive::new(f).ok())
                .is_some_and(|z| z.comment() == ZIP_COMMENT.as_bytes());
        if !ours {
            return Err(Error::NotOurs { path: zip_path });
        }
    }
    Ok(zip_path)
}

/// Writes `<out>.zip` holding the pack under a folder of the pack's name, with
/// fixed file times, so the same pack always gives the same zip.
pub fn write_zip(out: &Path, placed: &Placed, time: i64) -> Result<PathBuf> {
    let name = pack_name(out);
    let zip_path = zip_target(out)?;
    let (staging, _) = Staging::beside(&zip_path, "zip")?;
    let writing = staging.writing();
    let part = staging.path().join("pack.zip");
    let file = std::fs::File::create(&part).map_err(|e| write_err(&part, e))?;
    // The files are read back from the pack one at a time, each checked
    // against what was written: another render may have replaced the pack.
    let mut all: Vec<(&str, Option<&FileEntry>)> = placed
        .entries
        .iter()
        .map(|e| (e.path.as_str(), Some(e)))
        .collect();
    all.push((MANIFEST, None));
    all.sort_by(|a, b| a.0.cmp(b.0));
    let zerr =
        |e: zip::result::ZipError| write_err(&zip_path, std::io::Error::other(e.to_string()));
    let mut z = zip::ZipWriter::new(&file);
    z.set_comment(ZIP_COMMENT).map_err(zerr)?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip_time(time))
        .unix_permissions(0o644);
    for (rel, entry) in all {
        let path = out.join(rel);
        let bytes = std::fs::read(&path).map_err(|e| read_err(&path, e))?;
        if entry.is_some_and(|e| e.bytes != bytes.len() || e.sha256 != hex(&Sha256::digest(&bytes)))
        {
            return Err(Error::NotRecorded {
                what: "the pack's zip".into(),
                path: zip_path,
                source: std::io::Error::other(format!("{rel} changed after it was written")),
            });
        }
        z.start_file(format!("{name}/{rel}"), options)
            .map_err(zerr)?;
        z.write_all(&bytes).map_err(|e| write_err(&zip_path, e))?;
    }
    z.finish().map_err(zerr)?;
    file.sync_all().map_err(|e| write_err(&part, e))?;
    drop(file);
    drop(writing);
    staging.finish_file("pack.zip", &zip_path)?;
    Ok(zip_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_resolves_dot_dot() {
        let d = tempfile::tempdir().unwrap();
        let plan = d.path().join("plan");
        std::fs::create_dir(&plan).unwrap();
        assert!(is_inside(&plan.join("pack"), &plan));
        assert!(is_inside(&plan.join("x/../pack"), &plan));
        assert!(!is_inside(&plan.join("../pack"), &plan));
        assert!(is_inside(&plan, &plan));
    }

    #[test]
    fn a_folder_with_other_files_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let plan = d.path().join("plan");
        let out = d.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        refuse_unsafe_target(&out, &plan).unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        assert!(matches!(
            refuse_unsafe_target(&out, &plan),
            Err(Error::NotAPack { .. })
        ));
    }
}
