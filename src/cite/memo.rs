//! A cache of formatted references between builds.
//!
//! hayagriva takes about a millisecond per work for the three styles (10 s of CPU time for
//! 10,000 works), so the references are kept in the cache folder (the one the search index
//! uses, see `dyad build --cache-dir`) in one file per archive, keyed by a hash of the work's
//! CSL item and the style set. A build reads only the file's index into memory and each
//! reference it needs from disk; references it has to format go to a journal file, and the
//! cache is rewritten (with exactly the references this build used) only when there were any.
//! Without a cache folder every reference is formatted.

use super::Record;
use super::format::{self, Reference};
use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Bump when the references for the same item change (styles, hayagriva, the HTML writer, the
/// CSL item made from a record).
const FORMAT: &str = "dyad-references-9";
const MAGIC: &[u8; 16] = b"dyad-refs-v1\0\0\0\n";

/// One entry of the index: key, offset in the file, length.
type Slot = (u128, u64, u32);

/// The cache file of an archive.
struct Cached {
    /// The file as the build found it (None: there was none, or it was damaged).
    old: Option<File>,
    /// Its index, sorted by key.
    slots: Vec<Slot>,
    /// Where it is (and where the new one goes).
    path: PathBuf,
}

/// The references of a build: the cached ones, and those formatted during it.
pub(crate) struct Memo {
    /// The cache (None: no cache folder).
    file: Option<Cached>,
    /// References formatted in this build (written to a journal file beside the cache).
    journal: Mutex<Journal>,
    /// References formatted or read so far, for a long-lived user (`watch`), which renders
    /// the same works again and again; None for a build, which renders each once.
    kept: Option<std::sync::RwLock<std::collections::HashMap<u128, Vec<Reference>>>>,
}

#[derive(Default)]
struct Journal {
    out: Option<(BufWriter<File>, PathBuf)>,
    slots: Vec<Slot>,
    len: u64,
    used: Vec<u128>,
    failed: bool,
}

impl Drop for Journal {
    /// A journal not saved (a failed build) is removed.
    fn drop(&mut self) {
        if let Some((_, tmp)) = self.out.take() {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// The key of a record's references.
fn key(r: &Record) -> u128 {
    use std::hash::Hash;
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    h.update(FORMAT.as_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    // A reference cites the work, not its abstract (see `format::references`).
    match r.abstract_text {
        None => r.hash(&mut h),
        Some(_) => Record {
            abstract_text: None,
            ..r.clone()
        }
        .hash(&mut h),
    }
    h.digest128()
}

/// References as stored: each style's HTML, length-prefixed, in style order.
fn encode(refs: &[Reference]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in refs {
        out.extend_from_slice(&(r.html.len() as u32).to_le_bytes());
        out.extend_from_slice(r.html.as_bytes());
    }
    out
}

fn decode(bytes: &[u8]) -> Option<Vec<Reference>> {
    let mut htmls = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let n = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        htmls.push(std::str::from_utf8(rest.get(4..4 + n)?).ok()?.to_string());
        rest = &rest[4 + n..];
    }
    format::from_html(htmls)
}

fn read_at(file: &File, off: u64, len: usize) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let mut buf = vec![0; len];
    file.read_exact_at(&mut buf, off)?;
    Ok(buf)
}

/// Reads a cache file's index; None when it is missing or not one of ours.
fn open(path: &Path) -> Option<(File, Vec<Slot>)> {
    let mut f = File::open(path).ok()?;
    let mut head = [0u8; 24];
    f.read_exact(&mut head).ok()?;
    if &head[..16] != MAGIC {
        return None;
    }
    let n = u64::from_le_bytes(head[16..24].try_into().ok()?) as usize;
    let mut index = vec![0u8; n.checked_mul(28)?];
    f.read_exact(&mut index).ok()?;
    let slots = index
        .chunks_exact(28)
        .map(|c| {
            (
                u128::from_le_bytes(c[..16].try_into().expect("16 bytes")),
                u64::from_le_bytes(c[16..24].try_into().expect("8 bytes")),
                u32::from_le_bytes(c[24..28].try_into().expect("4 bytes")),
            )
        })
        .collect::<Vec<Slot>>();
    slots.is_sorted_by_key(|s| s.0).then_some((f, slots))
}

impl Memo {
    /// No cache: every reference is formatted.
    pub(crate) fn none() -> Memo {
        Memo {
            file: None,
            journal: Mutex::new(Journal::default()),
            kept: None,
        }
    }

    /// The cache of the archive at `root` in folder `dir`.
    pub(crate) fn open(dir: Option<&Path>, root: &Path) -> Memo {
        let Some(dir) = dir else {
            return Memo::none();
        };
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let id = xxhash_rust::xxh3::xxh3_64(root.as_os_str().as_encoded_bytes());
        let path = dir.join(format!("references-{id:016x}.bin"));
        let (old, slots) = match open(&path) {
            Some((f, slots)) => (Some(f), slots),
            None => (None, Vec::new()),
        };
        Memo {
            file: Some(Cached { old, slots, path }),
            journal: Mutex::new(Journal::default()),
            kept: None,
        }
    }

    /// Also keeps every reference in memory (for `watch`).
    pub(crate) fn keep_in_memory(mut self) -> Memo {
        self.kept = Some(Default::default());
        self
    }

    /// The record's references, from memory, the cache or formatted (and journaled).
    pub(crate) fn references(&self, r: &Record) -> Vec<Reference> {
        let Some(kept) = &self.kept else {
            return self.lookup(r, key(r));
        };
        let k = key(r);
        if let Some(refs) = kept.read().ok().and_then(|m| m.get(&k).cloned()) {
            return refs;
        }
        let refs = self.lookup(r, k);
        if let Ok(mut m) = kept.write() {
            m.insert(k, refs.clone());
        }
        refs
    }

    /// The references of `r` (key `k`) from the cache file, or formatted and journaled.
    fn lookup(&self, r: &Record, k: u128) -> Vec<Reference> {
        let Some(Cached { old, slots, path }) = &self.file else {
            return format::references(r);
        };
        if let (Some(file), Ok(i)) = (old, slots.binary_search_by_key(&k, |s| s.0)) {
            let (_, off, len) = slots[i];
            if let Some(refs) = read_at(file, off, len as usize)
                .ok()
                .and_then(|b| decode(&b))
            {
                if let Ok(mut j) = self.journal.lock() {
                    j.used.push(k);
                }
                return refs;
            }
        }
        let refs = format::references(r);
        let bytes = encode(&refs);
        if let Ok(mut j) = self.journal.lock()
            && !j.failed
        {
            let j = &mut *j;
            if j.out.is_none() {
                let tmp = path.with_extension(format!("journal-{}", std::process::id()));
                match fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))
                    .and_then(|_| File::create(&tmp))
                {
                    Ok(f) => j.out = Some((BufWriter::new(f), tmp)),
                    Err(_) => j.failed = true,
                }
            }
            if let Some((out, _)) = &mut j.out {
                if out.write_all(&bytes).is_ok() {
                    j.slots.push((k, j.len, bytes.len() as u32));
                    j.len += bytes.len() as u64;
                } else {
                    j.failed = true;
                }
            }
        }
        refs
    }

    /// Whether references were formatted (and journaled) since the cache was opened.
    pub(crate) fn has_new(&self) -> bool {
        self.journal
            .lock()
            .map(|j| !j.slots.is_empty())
            .unwrap_or(false)
    }

    /// Rewrites the cache when this build formatted references: the ones it used from the
    /// old file (all of them for `watch`, see [`Memo::keep_in_memory`]) and the new ones. A
    /// cache that cannot be written is no error.
    pub(crate) fn save(self) {
        let keeps = self.kept.is_some();
        let Some(Cached {
            old,
            slots: old_slots,
            path,
        }) = self.file
        else {
            return;
        };
        let Ok(mut journal) = self.journal.into_inner() else {
            return;
        };
        let Some((out, tmp)) = journal.out.take() else {
            return;
        };
        let _ = (|| -> std::io::Result<()> {
            let journal_file = out.into_inner().map_err(|e| e.into_error())?;
            drop(journal_file);
            let journal_file = File::open(&tmp)?;
            if journal.failed {
                return Err(std::io::Error::other("the journal is incomplete"));
            }
            let mut used = std::mem::take(&mut journal.used);
            used.sort_unstable();
            used.dedup();
            // (key, from the journal?, offset, length), sorted by key, each key once.
            // A build keeps what it used; `watch`, which renders only what an edit touches,
            // keeps everything.
            let prune = !keeps;
            let mut entries: Vec<(u128, bool, u64, u32)> = old_slots
                .iter()
                .filter(|s| !prune || used.binary_search(&s.0).is_ok())
                .map(|&(k, o, l)| (k, false, o, l))
                .chain(journal.slots.iter().map(|&(k, o, l)| (k, true, o, l)))
                .collect();
            entries.sort_by_key(|e| e.0);
            entries.dedup_by_key(|e| e.0);
            let new = path.with_extension(format!("new-{}", std::process::id()));
            let mut w = BufWriter::new(File::create(&new)?);
            w.write_all(MAGIC)?;
            w.write_all(&(entries.len() as u64).to_le_bytes())?;
            let mut off = 24 + 28 * entries.len() as u64;
            for &(k, _, _, l) in &entries {
                w.write_all(&k.to_le_bytes())?;
                w.write_all(&off.to_le_bytes())?;
                w.write_all(&l.to_le_bytes())?;
                off += u64::from(l);
            }
            for &(_, from_journal, o, l) in &entries {
                let src = if from_journal {
                    Some(&journal_file)
                } else {
                    old.as_ref()
                };
                let src = src.ok_or_else(|| std::io::Error::other("no old cache file"))?;
                w.write_all(&read_at(src, o, l as usize)?)?;
            }
            w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            fs::rename(&new, &path)
        })();
        let _ = fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(title: &str) -> Record {
        Record {
            key: "k".into(),
            kind: Some(crate::source::raw::SourceKind::Book),
            title: title.into(),
            authors: vec!["Петров И. П.".into()],
            date: crate::model::dates::PartialDate::parse("2001").ok(),
            ..Record::default()
        }
    }

    #[test]
    fn references_come_back_from_the_cache_unchanged_and_unused_ones_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("archive");
        let (a, b) = (record("A <b> & c"), record("Second"));
        let m = Memo::open(Some(dir.path()), &root);
        let fresh = (m.references(&a), m.references(&b));
        m.save();
        let m = Memo::open(Some(dir.path()), &root);
        assert_eq!(m.file.as_ref().unwrap().slots.len(), 2);
        assert_eq!(m.references(&a), fresh.0);
        assert!(m.journal.lock().unwrap().out.is_none(), "a cache hit");
        m.save();
        // Only `a` was used, but nothing new was formatted: the file stays as it was.
        let m = Memo::open(Some(dir.path()), &root);
        assert_eq!(m.file.as_ref().unwrap().slots.len(), 2);
        let c = record("Third");
        m.references(&a);
        m.references(&c);
        m.save();
        let m = Memo::open(Some(dir.path()), &root);
        assert_eq!(
            m.file.as_ref().unwrap().slots.len(),
            2,
            "`b` dropped, `c` added"
        );
        assert_eq!(m.references(&b), fresh.1);
        drop(m); // not saved, like a failed build: its journal goes
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| !n.ends_with(".bin"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_damaged_cache_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("archive");
        let m = Memo::open(Some(dir.path()), &root);
        let expected = m.references(&record("X"));
        m.save();
        let file = fs::read_dir(dir.path())
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let mut bytes = fs::read(&file).unwrap();
        let n = bytes.len();
        bytes.truncate(n - 3);
        fs::write(&file, &bytes).unwrap();
        let m = Memo::open(Some(dir.path()), &root);
        assert_eq!(m.references(&record("X")), expected);
        fs::write(&file, b"garbage").unwrap();
        let m = Memo::open(Some(dir.path()), &root);
        assert_eq!(m.references(&record("X")), expected);
    }
}
