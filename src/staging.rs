//! Work in progress, kept where it cannot be mistaken for a result: a
//! temporary folder beside the target (`.bsrmp-<what>-XXXXXX`), moved into
//! place in one rename when it is whole. `init`, `render` and `fork-joint`
//! build their results this way.
//!
//! Nothing is left behind:
//! - on an error, the folder is removed when the [`Staging`] is dropped;
//! - on Ctrl-C or a termination signal, [`clean_up_on_signals`] (which the
//!   binary calls once) removes every folder still in progress, then exits;
//! - a run killed outright cannot clean up, so each folder has a lock file
//!   beside it, held for as long as its process lives. The next run beside the
//!   same target finds the folders whose lock is free and removes them.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock, RwLockReadGuard};

use crate::error::{Error, Result};

/// Every folder in progress in this process, for the signal handler.
static ACTIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Held (shared) by whatever writes into a folder in progress, and taken
/// whole by the signal handler: a write that has begun ends before the folder
/// is removed, and none begins after, so nothing re-creates a folder removed.
static GATE: RwLock<()> = RwLock::new(());

const PREFIX: &str = ".bsrmp-";
const LOCK: &str = ".lock";

/// A temporary folder in progress, removed unless it is moved into place.
pub struct Staging {
    dir: PathBuf,
    lock_path: PathBuf,
    /// Held while the work is in progress; the kernel frees it if the process dies.
    _lock: Option<File>,
}

fn write_err(path: &Path, source: std::io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

impl Staging {
    /// A new folder beside `target` for work of kind `what` ("pack", "init",
    /// "joint"). Leftovers of killed runs beside the same target are removed
    /// first; their paths are returned, so the caller can say so.
    pub fn beside(target: &Path, what: &str) -> Result<(Staging, Vec<PathBuf>)> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| write_err(&parent, e))?;
        let removed = remove_leftovers(&parent);
        Ok((Self::new_in(&parent, what)?, removed))
    }

    /// A new folder in the system's temporary folder (a clone of a source).
    pub fn in_temp(what: &str) -> Result<Staging> {
        let temp = std::env::temp_dir();
        remove_leftovers(&temp);
        Self::new_in(&temp, what)
    }

    fn new_in(parent: &Path, what: &str) -> Result<Staging> {
        // Held throughout, so that a signal finds both files or neither.
        let mut active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
        // The lock file comes first, locked, and the folder after it: a run
        // looking for leftovers never sees this folder with its lock free.
        let (lock, lock_path) = tempfile::Builder::new()
            .prefix(&format!("{PREFIX}{what}-"))
            .suffix(LOCK)
            .tempfile_in(parent)
            .map_err(|e| write_err(parent, e))?
            .keep()
            .map_err(|e| write_err(parent, e.error))?;
        // Where files cannot be locked, the folder is still removed on errors
        // and signals; only a killed run's folder would stay.
        let lock = lock.try_lock().is_ok().then_some(lock);
        let name = lock_path.file_name().unwrap_or_default().to_string_lossy();
        let dir = parent.join(name.strip_suffix(LOCK).unwrap_or(&name));
        active.push(dir.clone());
        let staging = Staging {
            dir,
            lock_path,
            _lock: lock,
        };
        let made = std::fs::create_dir(&staging.dir).map_err(|e| write_err(&staging.dir, e));
        drop(active);
        made.map(|()| staging)
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// To be held while writing into the folder (files, a git repository): a
    /// signal then waits for the write to end before removing the folder. Do
    /// not take it twice on one thread.
    pub fn writing(&self) -> RwLockReadGuard<'static, ()> {
        GATE.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Moves the one file `name` made in the folder to `target` (replacing
    /// it); the folder itself is then removed.
    pub fn finish_file(self, name: &str, target: &Path) -> Result<()> {
        let active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
        std::fs::rename(self.dir.join(name), target).map_err(|e| write_err(target, e))?;
        drop(active);
        Ok(())
    }

    /// Moves the folder to `target`, which must be absent or an empty folder.
    /// `ready` runs just before, for a last look at the target.
    pub fn finish(self, target: &Path, ready: impl FnOnce() -> Result<()>) -> Result<()> {
        self.place(target, ready, |from, to| std::fs::rename(from, to))
    }

    /// Like [`Staging::finish`], with the move done by `mv` (an exchange with
    /// an earlier result, say). Whatever `mv` leaves at the folder's path (the
    /// earlier result) is removed.
    pub fn place(
        self,
        target: &Path,
        ready: impl FnOnce() -> Result<()>,
        mv: impl FnOnce(&Path, &Path) -> std::io::Result<()>,
    ) -> Result<()> {
        ready()?;
        // The signal handler takes the same lock: the folder is either moved
        // into place or removed, never both.
        let active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
        mv(&self.dir, target).map_err(|e| write_err(target, e))?;
        drop(active);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let mut active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
        if self.dir.exists() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        active.retain(|d| d != &self.dir);
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

fn lock_path(dir: &Path) -> PathBuf {
    let mut name = dir.file_name().unwrap_or_default().to_os_string();
    name.push(LOCK);
    dir.with_file_name(name)
}

/// Writes each file into `dir` (made if need be) and reads it back: for the
/// outputs that are plain files in a folder of the user's (schemas, manual
/// pages), reported written only once they are there as written.
pub fn write_verified(dir: &Path, files: &[(String, Vec<u8>)], what: &str) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| write_err(dir, e))?;
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| write_err(&path, e))?;
        if std::fs::read(&path).ok().as_ref() != Some(bytes) {
            return Err(Error::NotRecorded {
                what: format!("{what} {name}"),
                path,
                source: std::io::Error::other("what was read back differs from what was written"),
            });
        }
    }
    Ok(())
}

/// How old a folder without a lock file (left by a bsrmp from before lock
/// files) must be to count as left over: no run takes this long.
const UNLOCKED_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the folders in `parent` that a killed run left: those whose lock
/// file is there and free, and those with no lock file that are over an hour
/// old. A folder whose lock is held belongs to a run still going.
pub fn remove_leftovers(parent: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(PREFIX) {
            continue;
        }
        let Some(stem) = name.strip_prefix(PREFIX).and_then(|n| n.strip_suffix(LOCK)) else {
            let dir = entry.path();
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > UNLOCKED_AGE);
            if old
                && entry.file_type().is_ok_and(|t| t.is_dir())
                && !lock_path(&dir).exists()
                && std::fs::remove_dir_all(&dir).is_ok()
            {
                removed.push(dir);
            }
            continue;
        };
        let lock = entry.path();
        let free = File::options()
            .write(true)
            .open(&lock)
            .is_ok_and(|f| f.try_lock().is_ok());
        if !free {
            continue;
        }
        let dir = parent.join(format!("{PREFIX}{stem}"));
        if dir.is_dir() && std::fs::remove_dir_all(&dir).is_ok() {
            removed.push(dir);
        }
        let _ = std::fs::remove_file(&lock);
    }
    removed
}

/// On SIGINT, SIGTERM or SIGHUP, removes every folder in progress and exits
/// with 128 plus the signal's number, as a shell reports it. Called once, by
/// the binary; a library user keeps its own signal handling.
pub fn clean_up_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Both held until the process ends: no write into a folder,
                // and no folder moved into place, after this.
                let _gate = GATE.write().unwrap_or_else(|e| e.into_inner());
                let active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
                for dir in active.iter() {
                    let _ = std::fs::remove_dir_all(dir);
                    let _ = std::fs::remove_file(lock_path(dir));
                }
                std::process::exit(128 + signal);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_staging_folder_is_removed_with_its_lock() {
        let d = tempfile::tempdir().unwrap();
        let (s, removed) = Staging::beside(&d.path().join("out"), "test").unwrap();
        assert!(removed.is_empty());
        let (dir, lock) = (s.path().to_path_buf(), s.lock_path.clone());
        assert!(dir.is_dir() && lock.is_file());
        drop(s);
        assert!(!dir.exists() && !lock.exists());
    }

    #[test]
    fn a_folder_whose_lock_is_free_is_a_leftover_and_a_held_one_is_not() {
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("out");
        let (live, _) = Staging::beside(&target, "test").unwrap();
        // A killed run: its folder and lock file remain, the lock free.
        let dead = d.path().join(".bsrmp-test-dead");
        std::fs::create_dir(&dead).unwrap();
        std::fs::write(dead.join("half"), "x").unwrap();
        std::fs::write(d.path().join(".bsrmp-test-dead.lock"), "").unwrap();
        // An older bsrmp's folder, with no lock file: removed only when old.
        let recent = d.path().join(".bsrmp-pack-recent");
        let old = d.path().join(".bsrmp-pack-old");
        std::fs::create_dir(&recent).unwrap();
        std::fs::create_dir(&old).unwrap();
        let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
        File::open(&old).unwrap().set_modified(day_ago).unwrap();
        let mut removed = remove_leftovers(d.path());
        removed.sort();
        assert_eq!(removed, vec![old.clone(), dead.clone()]);
        assert!(!dead.exists() && !old.exists());
        assert!(live.path().is_dir(), "a run in progress keeps its folder");
        assert!(recent.is_dir());
    }

    #[test]
    fn a_finished_folder_is_in_place_and_nothing_is_left_beside_it() {
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("out");
        let (s, _) = Staging::beside(&target, "test").unwrap();
        std::fs::write(s.path().join("file"), "whole").unwrap();
        s.finish(&target, || Ok(())).unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("file")).unwrap(),
            "whole"
        );
        let names: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out")]);
    }
}
