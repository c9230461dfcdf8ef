//! The source repository's packs, read directly, so that a copied object can
//! be written into the joint pack as the source stores it: the same
//! compressed bytes, whole or as a delta, without decompressing and
//! compressing it again. libgit2 offers no access to the stored form, and it
//! caches no delta base over 1 MB, so reading every version of a large
//! register through it means rebuilding each version from the start of its
//! chain.
//!
//! Only what checks out is reused: pack index version 2, and an entry whose
//! CRC-32 matches its index. Anything else (loose objects, other index
//! versions, a damaged entry) is read through libgit2 as before. So is every
//! object of a pack too large to index here (a plan kept in a very large
//! repository): its index would cost about 48 bytes of memory per object.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use git2::Oid;

/// An object as a source pack stores it.
pub enum Stored {
    /// Compressed whole: git's type code (1 commit, 2 tree, 3 blob, 4 tag),
    /// the object's size and its zlib stream.
    Whole { code: u8, size: u64, data: Vec<u8> },
    /// A delta against `base`: the delta's own size and its zlib stream.
    Delta { base: Oid, size: u64, data: Vec<u8> },
}

struct Pack {
    file: File,
    /// Sorted object ids, 20 bytes each, with the fan-out table over them.
    ids: Vec<u8>,
    fanout: [u32; 256],
    offsets: Vec<u64>,
    crcs: Vec<u32>,
    /// Entry offsets in pack order, with the index of the id at each, and
    /// where the last entry ends (the trailer's start).
    by_offset: Vec<(u64, u32)>,
    end: u64,
}

pub struct SourcePacks {
    packs: Vec<Pack>,
}

impl SourcePacks {
    /// The packs in a repository's `objects/pack` folder. Never fails: a pack
    /// that cannot be read is left to libgit2.
    pub fn open(objects: &Path) -> Self {
        let mut packs = Vec::new();
        if let Ok(dir) = std::fs::read_dir(objects.join("pack")) {
            let mut idx: Vec<_> = dir
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "idx"))
                .collect();
            idx.sort();
            packs.extend(idx.iter().filter_map(|p| Pack::open(p)));
        }
        SourcePacks { packs }
    }

    /// The object as stored, if a pack here holds it and its bytes check out.
    pub fn find(&self, id: Oid) -> Option<Stored> {
        self.packs.iter().find_map(|p| p.find(id))
    }
}

/// Packs of more objects than this are left to libgit2 (some 48 MB of index).
const MAX_OBJECTS: usize = 1_000_000;

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

impl Pack {
    fn open(idx_path: &Path) -> Option<Pack> {
        // The header and fan-out first: the object count says whether to go on.
        let mut head = [0u8; 8 + 1024];
        File::open(idx_path).ok()?.read_exact(&mut head).ok()?;
        if be32(&head[8 + 1020..]) as usize > MAX_OBJECTS {
            return None;
        }
        let idx = std::fs::read(idx_path).ok()?;
        // Version 2: magic, version, fan-out, ids, CRCs, offsets, large
        // offsets, two checksums.
        if idx.len() < 8 + 1024 + 40 || idx[..8] != [0xff, b't', b'O', b'c', 0, 0, 0, 2] {
            return None;
        }
        let mut fanout = [0u32; 256];
        for (i, f) in fanout.iter_mut().enumerate() {
            *f = be32(&idx[8 + 4 * i..]);
        }
        let n = fanout[255] as usize;
        let ids_at = 8 + 1024;
        let crcs_at = ids_at + 20 * n;
        let offs_at = crcs_at + 4 * n;
        let large_at = offs_at + 4 * n;
        if idx.len() < large_at + 40 {
            return None;
        }
        let large = &idx[large_at..idx.len() - 40];
        let mut offsets = Vec::with_capacity(n);
        for i in 0..n {
            let o = be32(&idx[offs_at + 4 * i..]);
            offsets.push(if o & 0x8000_0000 == 0 {
                o as u64
            } else {
                let at = 8 * (o & 0x7fff_ffff) as usize;
                u64::from_be_bytes(large.get(at..at + 8)?.try_into().ok()?)
            });
        }
        let crcs = (0..n).map(|i| be32(&idx[crcs_at + 4 * i..])).collect();
        let pack_path = idx_path.with_extension("pack");
        let file = File::open(&pack_path).ok()?;
        let end = file.metadata().ok()?.len().checked_sub(20)?;
        let mut by_offset: Vec<(u64, u32)> = offsets
            .iter()
            .enumerate()
            .map(|(i, &o)| (o, i as u32))
            .collect();
        by_offset.sort_unstable();
        if by_offset.last().is_some_and(|l| l.0 >= end) {
            return None;
        }
        Some(Pack {
            file,
            ids: idx[ids_at..crcs_at].to_vec(),
            fanout,
            offsets,
            crcs,
            by_offset,
            end,
        })
    }

    fn id(&self, i: usize) -> &[u8] {
        &self.ids[20 * i..20 * i + 20]
    }

    fn index_of(&self, id: &[u8]) -> Option<usize> {
        let first = id[0] as usize;
        let lo = if first == 0 {
            0
        } else {
            self.fanout[first - 1] as usize
        };
        let hi = self.fanout[first] as usize;
        let (mut lo, mut hi) = (lo, hi.min(self.offsets.len()));
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.id(mid).cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    fn find(&self, id: Oid) -> Option<Stored> {
        let i = self.index_of(id.as_bytes())?;
        let start = self.offsets[i];
        let pos = self.by_offset.binary_search(&(start, i as u32)).ok()?;
        let stop = self.by_offset.get(pos + 1).map_or(self.end, |n| n.0);
        let len = usize::try_from(stop.checked_sub(start)?).ok()?;
        let mut raw = vec![0u8; len];
        // A shared handle: reads are positioned, so each takes its own seek.
        let mut f = &self.file;
        f.seek(SeekFrom::Start(start)).ok()?;
        f.read_exact(&mut raw).ok()?;
        if crc32fast::hash(&raw) != self.crcs[i] {
            return None;
        }
        // Type and size, then for a delta where its base is.
        let mut at = 0;
        let mut byte = *raw.first()?;
        let code = (byte >> 4) & 7;
        let mut size = (byte & 0x0f) as u64;
        let mut shift = 4;
        while byte & 0x80 != 0 {
            at += 1;
            byte = *raw.get(at)?;
            size |= ((byte & 0x7f) as u64).checked_shl(shift)?;
            shift += 7;
        }
        at += 1;
        let stored = match code {
            1..=4 => Stored::Whole {
                code,
                size,
                data: raw.split_off(at),
            },
            6 => {
                // How far back the base starts (each continuation byte adds one).
                let mut byte = *raw.get(at)?;
                let mut back = (byte & 0x7f) as u64;
                while byte & 0x80 != 0 {
                    at += 1;
                    byte = *raw.get(at)?;
                    back = back.checked_add(1)?.checked_shl(7)? | (byte & 0x7f) as u64;
                }
                at += 1;
                let base_at = start.checked_sub(back)?;
                let b = self
                    .by_offset
                    .binary_search_by(|e| e.0.cmp(&base_at))
                    .ok()?;
                let base = Oid::from_bytes(self.id(self.by_offset[b].1 as usize)).ok()?;
                Stored::Delta {
                    base,
                    size,
                    data: raw.split_off(at),
                }
            }
            7 => {
                let base = Oid::from_bytes(raw.get(at..at + 20)?).ok()?;
                Stored::Delta {
                    base,
                    size,
                    data: raw.split_off(at + 20),
                }
            }
            _ => return None,
        };
        Some(stored)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(data)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    /// Every object of packs git wrote, with deltas by offset and by id,
    /// rebuilt from what `find` gives, equals what libgit2 reads.
    #[test]
    fn what_git_packs_is_found_as_stored() {
        for by_offset in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let repo = git2::Repository::init(dir.path()).unwrap();
            let sig =
                git2::Signature::new("A", "a@example.org", &git2::Time::new(1_700_000_000, 0))
                    .unwrap();
            let mut text: String = (0..400)
                .map(|i| format!("line {i} of the register\n"))
                .collect();
            let mut parent: Option<Oid> = None;
            for v in 0..8 {
                text.push_str(&format!("revision {v}\n"));
                let blob = repo.blob(text.as_bytes()).unwrap();
                let mut tb = repo.treebuilder(None).unwrap();
                tb.insert("risks.yaml", blob, 0o100644).unwrap();
                let tree = repo.find_tree(tb.write().unwrap()).unwrap();
                let parents: Vec<git2::Commit> = parent
                    .iter()
                    .map(|p| repo.find_commit(*p).unwrap())
                    .collect();
                let refs: Vec<&git2::Commit> = parents.iter().collect();
                parent = Some(
                    repo.commit(Some("HEAD"), &sig, &sig, &format!("v{v}"), &tree, &refs)
                        .unwrap(),
                );
            }
            let Ok(status) = std::process::Command::new("git")
                .current_dir(dir.path())
                .args([
                    "-c",
                    &format!("repack.useDeltaBaseOffset={by_offset}"),
                    "repack",
                    "-a",
                    "-d",
                    "-f",
                    "-q",
                ])
                .status()
            else {
                return; // no git here: nothing to compare with
            };
            assert!(status.success());
            let packs = SourcePacks::open(&repo.path().join("objects"));
            assert_eq!(packs.packs.len(), 1);
            let odb = repo.odb().unwrap();
            let mut ids = Vec::new();
            odb.foreach(|id| {
                ids.push(*id);
                true
            })
            .unwrap();
            let mut deltas = 0;
            // Rebuilt in rounds: a delta once its base is.
            let mut rebuilt: std::collections::HashMap<Oid, Vec<u8>> = Default::default();
            while rebuilt.len() < ids.len() {
                let before = rebuilt.len();
                for id in &ids {
                    if rebuilt.contains_key(id) {
                        continue;
                    }
                    match packs.find(*id).unwrap() {
                        Stored::Whole { size, data, .. } => {
                            let whole = inflate(&data);
                            assert_eq!(whole.len() as u64, size);
                            rebuilt.insert(*id, whole);
                        }
                        Stored::Delta { base, size, data } => {
                            if let Some(b) = rebuilt.get(&base) {
                                let d = inflate(&data);
                                assert_eq!(d.len() as u64, size);
                                let whole = crate::joint::delta::apply(b, &d).unwrap();
                                rebuilt.insert(*id, whole);
                                deltas += 1;
                            }
                        }
                    }
                }
                assert!(
                    rebuilt.len() > before,
                    "a delta whose base is not in the pack"
                );
            }
            for id in &ids {
                assert_eq!(&rebuilt[id], odb.read(*id).unwrap().data(), "{id}");
            }
            assert!(deltas >= 5, "{deltas} deltas");
            // An id the pack does not hold.
            assert!(packs.find(Oid::from_bytes(&[7; 20]).unwrap()).is_none());
        }
    }

    /// A damaged entry is not reused: its CRC no longer matches the index.
    #[test]
    fn a_damaged_entry_is_left_to_libgit2() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let mut pack =
            super::super::pack::PackFile::new(&repo.path().join("objects/pack")).unwrap();
        let a = pack.add_new(git2::ObjectType::Blob, &[b'a'; 3000]).unwrap();
        let b = pack
            .add_new(git2::ObjectType::Blob, b"second object")
            .unwrap();
        pack.finish().unwrap();
        let packs = SourcePacks::open(&repo.path().join("objects"));
        assert!(packs.find(a).is_some() && packs.find(b).is_some());
        let path = std::fs::read_dir(repo.path().join("objects/pack"))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|x| x == "pack"))
            .unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[20] ^= 0x55; // inside the first entry
        std::fs::write(&path, bytes).unwrap();
        let packs = SourcePacks::open(&repo.path().join("objects"));
        let damaged = [a, b]
            .iter()
            .filter(|id| packs.find(**id).is_none())
            .count();
        assert_eq!(damaged, 1);
    }
}
