//! Objects written into a repository as one pack file, with its index.
//!
//! Copying two plans' histories writes tens of thousands of objects; as loose
//! objects that is a file each, which on an ordinary disk took minutes. A pack
//! is one file written in one go. An object is stored whole, or as a delta
//! against an object written before it in the same pack (see `delta`), each
//! compressed on its own, as git's pack format version 2 allows.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use flate2::{Compress, Compression, FlushCompress, Status};
use git2::{ObjectType, Oid};
use rustc_hash::FxHashMap;
use sha1::{Digest, Sha1};

use super::reuse::Stored;

pub struct PackFile {
    dir: PathBuf,
    tmp: PathBuf,
    out: BufWriter<File>,
    offset: u64,
    /// Id, offset in the pack, CRC-32 of the packed bytes.
    entries: Vec<(Oid, u64, u32)>,
    written: FxHashMap<Oid, Written>,
    /// Scratch space for one compressed object.
    buf: Vec<u8>,
    /// One compressor, reset for each object: setting one up costs more
    /// than compressing a small object.
    z: Compress,
}

/// Where an object starts, how many deltas deep it is, and its kind.
#[derive(Clone, Copy)]
struct Written {
    offset: u64,
    depth: u8,
    code: u8,
}

/// The longest chain of deltas written; git's own default is 50.
const MAX_DEPTH: u8 = 20;
/// A delta whose base is given by its offset, earlier in the same pack.
const OFS_DELTA: u8 = 6;

/// An entry's type and size: 4 bits of size in the first byte, then 7 per byte.
fn header(buf: &mut Vec<u8>, code: u8, len: u64) {
    let mut size = len;
    let mut byte = (code << 4) | (size & 0x0f) as u8;
    size >>= 4;
    while size > 0 {
        buf.push(byte | 0x80);
        byte = (size & 0x7f) as u8;
        size >>= 7;
    }
    buf.push(byte);
}

fn type_code(kind: ObjectType) -> u8 {
    match kind {
        ObjectType::Commit => 1,
        ObjectType::Tree => 2,
        ObjectType::Blob => 3,
        _ => 4,
    }
}

impl PackFile {
    /// Starts a pack in a repository's `objects/pack` folder.
    pub fn new(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        // Opened to read as well: the checksum is read back at the end.
        let (file, tmp) = tempfile::Builder::new()
            .prefix("tmp_pack_bsrmp_")
            .tempfile_in(dir)?
            .keep()
            .map_err(|e| e.error)?;
        let dir = dir.to_path_buf();
        let mut out = BufWriter::with_capacity(1 << 20, file);
        // The object count is written when it is known (`finish`).
        out.write_all(b"PACK\0\0\0\x02\0\0\0\0")?;
        Ok(PackFile {
            dir,
            tmp,
            out,
            offset: 12,
            entries: Vec::new(),
            written: FxHashMap::default(),
            buf: Vec::new(),
            z: Compress::new(Compression::fast(), true),
        })
    }

    pub fn contains(&self, id: Oid) -> bool {
        self.written.contains_key(&id)
    }

    /// Adds an object whose id is known (a copy of another repository's
    /// object); an object already added is skipped.
    pub fn add(&mut self, id: Oid, kind: ObjectType, data: &[u8]) -> std::io::Result<()> {
        if self.contains(id) {
            return Ok(());
        }
        self.buf.clear();
        header(&mut self.buf, type_code(kind), data.len() as u64);
        self.compress(data)?;
        self.emit(id, 0, type_code(kind))
    }

    /// Adds an object `id` whose content is `target`, as a delta against
    /// `base` (written before, with content `base_data`) when that is much
    /// smaller, and whole otherwise.
    pub fn add_against(
        &mut self,
        id: Oid,
        kind: ObjectType,
        target: &[u8],
        base: Oid,
        base_data: &[u8],
    ) -> std::io::Result<()> {
        if self.contains(id) {
            return Ok(());
        }
        let delta = match self.written.get(&base) {
            // Every delta read means reading its base first: chains are kept
            // short, so reading an object stays quick.
            Some(w) if w.depth < MAX_DEPTH && w.code == type_code(kind) => {
                super::delta::encode(base_data, target)
            }
            _ => None,
        };
        let Some(delta) = delta else {
            return self.add(id, kind, target);
        };
        self.delta_header(base, delta.len() as u64);
        self.compress(&delta)?;
        self.emit_delta(id, base)
    }

    /// Adds an object as a source pack stores it, its compressed bytes
    /// copied as they are. A delta is taken only when its base is in this
    /// pack already, as an object of the same kind; gives whether the object
    /// is here now.
    pub fn add_stored(
        &mut self,
        id: Oid,
        kind: ObjectType,
        stored: &Stored,
    ) -> std::io::Result<bool> {
        if self.contains(id) {
            return Ok(true);
        }
        let code = type_code(kind);
        match stored {
            Stored::Whole {
                code: c,
                size,
                data,
            } if *c == code => {
                self.buf.clear();
                header(&mut self.buf, code, *size);
                self.buf.extend_from_slice(data);
                self.emit(id, 0, code)?;
            }
            Stored::Delta { base, size, data }
                if self.written.get(base).is_some_and(|w| w.code == code) =>
            {
                self.delta_header(*base, *size);
                self.buf.extend_from_slice(data);
                self.emit_delta(id, *base)?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// An entry's header for a delta against `base`, written before.
    fn delta_header(&mut self, base: Oid, size: u64) {
        self.buf.clear();
        header(&mut self.buf, OFS_DELTA, size);
        // How far back the base starts, in git's offset encoding (each
        // continuation byte stands for one more than its bits).
        let mut back = self.offset - self.written[&base].offset;
        let mut ofs = vec![(back & 0x7f) as u8];
        back >>= 7;
        while back > 0 {
            back -= 1;
            ofs.push(0x80 | (back & 0x7f) as u8);
            back >>= 7;
        }
        self.buf.extend(ofs.iter().rev());
    }

    /// Compresses `data` after the entry header already in `buf`.
    fn compress(&mut self, data: &[u8]) -> std::io::Result<()> {
        self.z.reset();
        loop {
            let done = self.z.total_in() as usize;
            // Room for the input and zlib's framing; more if that falls short.
            self.buf.reserve(data.len() - done + 64);
            match self
                .z
                .compress_vec(&data[done..], &mut self.buf, FlushCompress::Finish)
                .map_err(std::io::Error::other)?
            {
                Status::StreamEnd => return Ok(()),
                Status::Ok | Status::BufError => {}
            }
        }
    }

    fn emit_delta(&mut self, id: Oid, base: Oid) -> std::io::Result<()> {
        let b = self.written[&base];
        self.emit(id, b.depth.saturating_add(1), b.code)
    }

    /// Writes the entry in `buf`.
    fn emit(&mut self, id: Oid, depth: u8, code: u8) -> std::io::Result<()> {
        let crc = crc32fast::hash(&self.buf);
        self.out.write_all(&self.buf)?;
        self.entries.push((id, self.offset, crc));
        self.written.insert(
            id,
            Written {
                offset: self.offset,
                depth,
                code,
            },
        );
        self.offset += self.buf.len() as u64;
        Ok(())
    }

    /// Adds an object made here, and gives its id.
    pub fn add_new(&mut self, kind: ObjectType, data: &[u8]) -> std::io::Result<Oid> {
        let id = Oid::hash_object(kind, data).map_err(std::io::Error::other)?;
        self.add(id, kind, data)?;
        Ok(id)
    }

    /// Completes the pack and its index and puts them in place; the
    /// repository sees the objects once its object database is refreshed.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.flush()?;
        let mut file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(8))?;
        file.write_all(&(self.entries.len() as u32).to_be_bytes())?;
        // The trailer is the SHA-1 of everything before it.
        file.seek(SeekFrom::Start(0))?;
        let mut sha = Sha1::new();
        let mut chunk = vec![0u8; 1 << 20];
        loop {
            let n = file.read(&mut chunk)?;
            if n == 0 {
                break;
            }
            sha.update(&chunk[..n]);
        }
        let checksum: [u8; 20] = sha.finalize().into();
        file.seek(SeekFrom::End(0))?;
        file.write_all(&checksum)?;
        file.sync_all()?;
        drop(file);

        let name = hex(&checksum);
        let idx = index(&mut self.entries, &checksum);
        let idx_path = self.dir.join(format!("pack-{name}.idx"));
        let mut tmp_idx = tempfile::Builder::new()
            .prefix("tmp_idx_bsrmp_")
            .tempfile_in(&self.dir)?;
        tmp_idx.write_all(&idx)?;
        let (_, tmp_idx) = tmp_idx.keep().map_err(|e| e.error)?;
        // The pack goes first: an index without its pack would be an error.
        std::fs::rename(&self.tmp, self.dir.join(format!("pack-{name}.pack")))?;
        std::fs::rename(&tmp_idx, idx_path)?;
        Ok(())
    }

    pub fn folder(&self) -> &Path {
        &self.dir
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The pack index, version 2: a fan-out table by first byte, the sorted ids,
/// their CRC-32s and offsets (large ones in a table of their own), then the
/// pack's checksum and the index's own.
fn index(entries: &mut [(Oid, u64, u32)], pack_checksum: &[u8; 20]) -> Vec<u8> {
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = Vec::with_capacity(8 + 1024 + entries.len() * 28 + 40);
    out.extend_from_slice(&[0xff, b't', b'O', b'c', 0, 0, 0, 2]);
    let mut fanout = [0u32; 256];
    for (id, ..) in entries.iter() {
        fanout[id.as_bytes()[0] as usize] += 1;
    }
    let mut total = 0u32;
    for count in fanout {
        total += count;
        out.extend_from_slice(&total.to_be_bytes());
    }
    for (id, ..) in entries.iter() {
        out.extend_from_slice(id.as_bytes());
    }
    for (_, _, crc) in entries.iter() {
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut large: Vec<u64> = Vec::new();
    for (_, offset, _) in entries.iter() {
        if *offset < 0x8000_0000 {
            out.extend_from_slice(&(*offset as u32).to_be_bytes());
        } else {
            out.extend_from_slice(&(0x8000_0000 | large.len() as u32).to_be_bytes());
            large.push(*offset);
        }
    }
    for offset in large {
        out.extend_from_slice(&offset.to_be_bytes());
    }
    out.extend_from_slice(pack_checksum);
    let own: [u8; 20] = Sha1::digest(&out).into();
    out.extend_from_slice(&own);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Versions stored as deltas read back whole, with libgit2 and with git
    /// itself; chains stop at the depth limit.
    #[test]
    fn versions_stored_as_deltas_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let mut pack = PackFile::new(&repo.path().join("objects/pack")).unwrap();
        let mut text: String = (0..5000).map(|i| format!("line {i}\n")).collect();
        let mut versions = Vec::new();
        let mut last: Option<(Oid, String)> = None;
        for v in 0..60 {
            text = text.replacen(&format!("line {}\n", v * 50), &format!("edited {v}\n"), 1);
            let id = Oid::hash_object(ObjectType::Blob, text.as_bytes()).unwrap();
            match &last {
                Some((base, old)) => pack
                    .add_against(id, ObjectType::Blob, text.as_bytes(), *base, old.as_bytes())
                    .unwrap(),
                None => pack.add(id, ObjectType::Blob, text.as_bytes()).unwrap(),
            }
            assert!(pack.written[&id].depth <= MAX_DEPTH);
            versions.push((id, text.clone()));
            last = Some((id, text.clone()));
        }
        let deltas = pack.written.values().filter(|w| w.depth > 0).count();
        assert!(deltas >= 55, "{deltas} deltas");
        // Everything but the whole versions is small.
        assert!(
            pack.offset < (text.len() * 5) as u64,
            "{} bytes",
            pack.offset
        );
        pack.finish().unwrap();
        let repo = git2::Repository::open(dir.path()).unwrap();
        for (id, text) in &versions {
            assert_eq!(repo.find_blob(*id).unwrap().content(), text.as_bytes());
        }
        let idx = std::fs::read_dir(repo.path().join("objects/pack"))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|x| x == "idx"))
            .unwrap();
        if let Ok(out) = std::process::Command::new("git")
            .arg("verify-pack")
            .arg("-v")
            .arg(&idx)
            .output()
        {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "{text}");
            assert!(text.contains("chain length = 20"), "{text}");
            assert!(!text.contains("chain length = 21"), "{text}");
        }
    }

    /// What the pack holds, libgit2 reads back: every object, under its id,
    /// with its content, beside loose objects written before.
    #[test]
    fn libgit2_reads_back_what_the_pack_holds() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let loose = repo.blob(b"written the usual way").unwrap();
        let mut pack = PackFile::new(&repo.path().join("objects/pack")).unwrap();
        let mut blobs = Vec::new();
        for i in 0..300 {
            // Sizes that need one, two and three size bytes.
            let text = format!("{i} ").repeat(i * i % 5000);
            blobs.push((
                pack.add_new(ObjectType::Blob, text.as_bytes()).unwrap(),
                text,
            ));
        }
        let entry = "100644 a.txt\0".to_string();
        let mut tree = entry.into_bytes();
        tree.extend_from_slice(blobs[7].0.as_bytes());
        let tree_id = pack.add_new(ObjectType::Tree, &tree).unwrap();
        let commit = format!(
            "tree {tree_id}\nauthor A <a@example.org> 1700000000 +0100\ncommitter A <a@example.org> 1700000000 +0100\n\nFirst\n"
        );
        let commit_id = pack.add_new(ObjectType::Commit, commit.as_bytes()).unwrap();
        // A repeat is stored once.
        pack.add(blobs[0].0, ObjectType::Blob, blobs[0].1.as_bytes())
            .unwrap();
        pack.finish().unwrap();

        let repo = git2::Repository::open(dir.path()).unwrap();
        for (id, text) in &blobs {
            assert_eq!(repo.find_blob(*id).unwrap().content(), text.as_bytes());
        }
        let c = repo.find_commit(commit_id).unwrap();
        assert_eq!(c.tree_id(), tree_id);
        assert_eq!(
            c.tree().unwrap().get_name("a.txt").unwrap().id(),
            blobs[7].0
        );
        assert!(repo.find_blob(loose).is_ok());
        let mut count = 0;
        repo.odb()
            .unwrap()
            .foreach(|_| {
                count += 1;
                true
            })
            .unwrap();
        // 300 blobs (some texts repeat: empty ones), a tree, a commit, the loose blob.
        let distinct: HashSet<Oid> = blobs.iter().map(|b| b.0).collect();
        assert_eq!(count, distinct.len() + 3);
    }
}
