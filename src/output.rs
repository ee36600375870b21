//! Writing the site: the only module that changes the output folder.
//!
//! A build renders into a staging folder beside `--out` ([`Staging`]) and swaps it in only when
//! every file was written, so a failed build leaves the previous output byte for byte as it was.
//! A manifest (`.dyad-manifest`, one `<xxh3-128 hex>\t<path>` line per file, sorted) records what
//! dyad wrote: the next build hard-links files whose content did not change (they keep their inode
//! and mtime), removes only files a previous build wrote, and carries everything else (`.git`,
//! `CNAME`, dotfiles of a deployment checkout) over into the new output. This module maps URL paths
//! to files and refuses unsafe ones; it does not decide what is written (that is `render`'s plan)
//! and never reads the archive's sources except files handed to [`Staging::copy_file`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;
use xxhash_rust::xxh3::{Xxh3Default, xxh3_128};

/// The manifest's file name inside the output folder.
const MANIFEST: &str = ".dyad-manifest";

/// Distinguishes staging folders of one process (e.g. successive rebuilds of `serve`).
static STAGING_SEQ: AtomicU64 = AtomicU64::new(0);

/// What can go wrong while checking or writing the output. Every message names the path involved.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OutputError {
    /// The `--out` folder would overwrite or mix with the archive itself.
    #[error("refusing to write the site to `{}`: {why} (hint: {hint})", path.display())]
    Refused {
        /// The output folder as given.
        path: PathBuf,
        /// Why it is refused, e.g. "it contains the archive".
        why: String,
        /// What to do instead.
        hint: String,
    },
    /// A file-system operation failed; `error` carries the OS error (it is part of the message).
    #[error("cannot {action} `{}`: {error}", path.display())]
    Io {
        /// What was attempted: "write", "create folder", "read", "swap in", …
        action: &'static str,
        /// The path as the user knows it (inside `--out`, not inside the staging folder).
        path: PathBuf,
        /// The OS error.
        error: io::Error,
    },
    /// Copying a file into the output failed.
    #[error("cannot copy `{}` to `{}`: {error}", from.display(), to.display())]
    Copy {
        /// The source file.
        from: PathBuf,
        /// Its destination inside `--out`.
        to: PathBuf,
        /// The OS error.
        error: io::Error,
    },
    /// An output path that would leave the output folder or cannot be stored.
    #[error("output path `{path}` is not allowed: it {why}")]
    UnsafePath {
        /// The relative path as requested (control characters escaped).
        path: String,
        /// What is wrong, e.g. "has a `..` segment".
        why: &'static str,
    },
    /// Two outputs of one build want the same file: a bug in the page plan.
    #[error("output path `{path}` is written twice in one build (two outputs at one URL)")]
    Duplicate {
        /// The relative path written twice.
        path: String,
    },
    /// `commit` was called although a write failed.
    #[error("not swapping the new site into `{}`: some of its files failed to write", path.display())]
    Incomplete {
        /// The output folder as given.
        path: PathBuf,
    },
}

/// Maps a URL path relative to the base path to a file path relative to the output folder.
///
/// `""` gives `index.html`, `abstracts/x/` gives `abstracts/x/index.html`, and a path without a
/// trailing slash (`404.html`, `sitemap.xml`) is the file itself. `None` when the result would be
/// unsafe: absolute, with `.` or `..` or empty segments, a backslash, a NUL or another control
/// character, or the manifest's own name.
pub(crate) fn url_to_file(url_path: &str) -> Option<String> {
    let file = if url_path.is_empty() || url_path.ends_with('/') {
        format!("{url_path}index.html")
    } else {
        url_path.to_owned()
    };
    check_rel(&file).ok().map(|()| file)
}

/// The inverse of [`url_to_file`]: `abstracts/x/index.html` gives `abstracts/x/`, `index.html`
/// gives `""`, any other file gives itself. Used to name dropped URLs from the old manifest.
pub(crate) fn file_to_url(file: &str) -> &str {
    if file == "index.html" {
        ""
    } else {
        file.strip_suffix("index.html")
            .filter(|dir| dir.ends_with('/'))
            .unwrap_or(file)
    }
}

/// Why `rel` may not be written, if it may not.
fn check_rel(rel: &str) -> Result<(), &'static str> {
    if rel.is_empty() {
        return Err("is empty");
    }
    if rel.starts_with('/') {
        return Err("is absolute");
    }
    if rel.contains('\\') {
        return Err("contains a backslash");
    }
    // Tabs and line breaks would corrupt the manifest's line format; NUL cannot be a path.
    if rel.chars().any(char::is_control) {
        return Err("contains a control character");
    }
    for segment in rel.split('/') {
        match segment {
            "" => return Err("has an empty segment"),
            "." | ".." => return Err("has a `.` or `..` segment"),
            _ => {}
        }
    }
    if rel == MANIFEST {
        return Err("is dyad's own manifest");
    }
    // Last line of defence for platform-specific prefixes (e.g. `C:` on Windows).
    if !Path::new(rel)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err("is not a plain relative path");
    }
    Ok(())
}

fn unsafe_path(rel: &str, why: &'static str) -> OutputError {
    OutputError::UnsafePath {
        path: rel.escape_debug().to_string(),
        why,
    }
}

/// Refuses an output folder that is the archive root, contains it, or lies inside its sources
/// (`content/`, `templates/`, `static/`, or is `archive.yaml`), so a build can never overwrite what
/// it reads. Paths are compared canonicalized (symlinks resolved); `out` need not exist yet (its
/// nearest existing ancestor is resolved). `<root>/public`, the default, is fine.
pub(crate) fn check_out_dir(root: &Path, out: &Path) -> Result<(), OutputError> {
    let root_real = fs::canonicalize(root).map_err(|error| OutputError::Io {
        action: "read the archive folder",
        path: root.to_owned(),
        error,
    })?;
    let out_real = resolve(out).map_err(|error| OutputError::Io {
        action: "resolve the output folder",
        path: out.to_owned(),
        error,
    })?;
    let refuse = |why: String| {
        Err(OutputError::Refused {
            path: out.to_owned(),
            why,
            hint: "write the site outside `content/`, `templates/` and `static/`, for example \
                   to `public/` inside the archive (the default)"
                .to_owned(),
        })
    };
    if out_real == root_real {
        return refuse("it is the archive folder itself".to_owned());
    }
    if root_real.starts_with(&out_real) {
        return refuse(format!("it contains the archive `{}`", root.display()));
    }
    for source in ["content", "templates", "static"] {
        let dir = root.join(source);
        let dir_real = fs::canonicalize(&dir).unwrap_or_else(|_| root_real.join(source));
        if out_real.starts_with(&dir_real) {
            return refuse(format!("it lies inside the archive's sources `{source}/`"));
        }
    }
    let config = fs::canonicalize(root.join("archive.yaml"))
        .unwrap_or_else(|_| root_real.join("archive.yaml"));
    if out_real == config {
        return refuse("it is the archive's `archive.yaml`".to_owned());
    }
    Ok(())
}

/// Canonicalizes the nearest existing ancestor of `path` and appends the rest lexically.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut rest = Vec::new();
    let mut current = absolute.as_path();
    loop {
        match fs::canonicalize(current) {
            Ok(mut real) => {
                for component in rest.iter().rev() {
                    match component {
                        Component::Normal(name) => real.push(name),
                        Component::ParentDir => {
                            real.pop();
                        }
                        _ => {}
                    }
                }
                return Ok(real);
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let (Some(last), Some(parent)) =
                    (current.components().next_back(), current.parent())
                else {
                    return Err(e);
                };
                rest.push(last);
                current = parent;
            }
            Err(e) => return Err(e),
        }
    }
}

/// The file-system operations that change the output, behind a trait so tests (and issue 7's
/// fault injection) can make any of them fail: disk full, a file in the way of a folder, a swap
/// that fails half-way. Reading (manifest, directory listings, metadata) goes to `std::fs`.
pub(crate) trait Fs: Send + Sync {
    /// Creates one folder (its parent exists); `AlreadyExists` if something is there.
    fn create_dir(&self, path: &Path) -> io::Result<()>;
    /// Creates a new file with `bytes`; fails if the file exists.
    fn write_new(&self, path: &Path, bytes: &[u8]) -> io::Result<()>;
    /// Copies a file's content to a new file.
    fn copy(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Creates `to` as a hard link to `from`.
    fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Renames within one file system.
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Atomically exchanges two paths; `ErrorKind::Unsupported` where the system cannot.
    fn exchange(&self, a: &Path, b: &Path) -> io::Result<()>;
    /// Removes a folder and everything in it.
    fn remove_dir_all(&self, path: &Path) -> io::Result<()>;
}

/// The real file system.
pub(crate) struct RealFs;

impl Fs for RealFs {
    fn create_dir(&self, path: &Path) -> io::Result<()> {
        fs::create_dir(path)
    }

    fn write_new(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        // One write of the whole page: already as buffered as it gets.
        let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
        file.write_all(bytes)
    }

    fn copy(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::copy(from, to).map(|_| ())
    }

    fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::hard_link(from, to)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    #[cfg(target_os = "linux")]
    fn exchange(&self, a: &Path, b: &Path) -> io::Result<()> {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(()),
            // Old kernels and some file systems (e.g. some network ones) lack RENAME_EXCHANGE.
            Err(e) if e == Errno::INVAL || e == Errno::NOSYS => {
                Err(io::Error::new(io::ErrorKind::Unsupported, e))
            }
            Err(e) => Err(e.into()),
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn exchange(&self, _: &Path, _: &Path) -> io::Result<()> {
        Err(io::ErrorKind::Unsupported.into())
    }

    fn remove_dir_all(&self, path: &Path) -> io::Result<()> {
        remove_tree(path)
    }
}

/// Removes a folder tree, sub-folders in parallel: deleting the previous output of a large site
/// is tens of thousands of unlinks, and the kernel work spreads over the cores.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })?;
    fs::remove_dir(dir)
}

/// Counts of one committed build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CommitReport {
    /// Files written (or copied) afresh.
    pub written: usize,
    /// Unchanged files hard-linked from the previous output.
    pub linked: usize,
    /// Files of the previous build that this build no longer writes.
    pub removed: usize,
    /// Files and folders dyad never wrote (`.git`, `CNAME`), carried over.
    pub kept_foreign: usize,
    /// Paths of such files that this build now writes itself (dyad's file won), sorted.
    pub overwritten_foreign: Vec<String>,
}

/// One build's output in the making: a staging folder beside `out`, swapped in by
/// [`commit`](Self::commit). Dropping it without committing (or [`abort`](Self::abort)) removes
/// the staging folder and leaves `out` untouched. `write` and `copy_file` take `&self` and may be
/// called from many threads at once.
pub(crate) struct Staging {
    /// The output folder as given (for messages).
    out: PathBuf,
    /// The output folder, resolved: what gets swapped.
    target: PathBuf,
    /// The staging folder.
    dir: PathBuf,
    /// The previous build's manifest: relative path → content hash.
    previous: BTreeMap<String, u128>,
    /// What this build wrote: relative path → content hash.
    written: Mutex<HashMap<String, u128>>,
    /// Folders (relative) known to exist in the staging folder.
    dirs: Mutex<HashSet<String>>,
    fresh: AtomicUsize,
    linked: AtomicUsize,
    failed: AtomicBool,
    /// Set once the staging folder must not be deleted on drop (swapped in, or holding user files
    /// that could not be put back).
    done: bool,
    fs: Box<dyn Fs>,
}

impl Staging {
    /// Starts a build into `out` on the real file system. See [`Staging::begin_with`].
    pub(crate) fn begin(out: &Path) -> Result<Staging, OutputError> {
        Self::begin_with(out, Box::new(RealFs))
    }

    /// Starts a build into `out` through `fs`: reads the previous manifest (if any), cleans up the
    /// staging folders of earlier runs that crashed (putting back any user files they held), and
    /// creates a fresh staging folder `.<out name>.dyad-staging-<pid>-<n>` beside `out`. Creates
    /// the parent of `out` if needed; refuses an `out` that is a file.
    pub(crate) fn begin_with(out: &Path, fs: Box<dyn Fs>) -> Result<Staging, OutputError> {
        let io = |action, error| OutputError::Io {
            action,
            path: out.to_owned(),
            error,
        };
        let target = match fs::metadata(out) {
            Ok(meta) if meta.is_dir() => fs::canonicalize(out).map_err(|e| io("resolve", e))?,
            Ok(_) => {
                return Err(OutputError::Refused {
                    path: out.to_owned(),
                    why: "it is a file, not a folder".to_owned(),
                    hint: "remove it or choose another `--out`".to_owned(),
                });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let absolute = std::path::absolute(out).map_err(|e| io("resolve", e))?;
                let (Some(parent), Some(name)) = (absolute.parent(), absolute.file_name()) else {
                    return Err(io("use as output folder", e));
                };
                fs::create_dir_all(parent).map_err(|e| io("create the parent of", e))?;
                fs::canonicalize(parent)
                    .map_err(|e| io("resolve", e))?
                    .join(name)
            }
            Err(e) => return Err(io("read", e)),
        };
        let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            return Err(OutputError::Refused {
                path: out.to_owned(),
                why: "it has no folder name".to_owned(),
                hint: "choose a folder such as `public/`".to_owned(),
            });
        };
        let previous = read_manifest(&target.join(MANIFEST)).map_err(|e| OutputError::Io {
            action: "read",
            path: out.join(MANIFEST),
            error: e,
        })?;
        recover_stale(fs.as_ref(), &target, &name, out)?;
        let dir = target.with_file_name(format!(
            ".{name}.dyad-staging-{}-{}",
            std::process::id(),
            STAGING_SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        fs.create_dir(&dir).map_err(|error| OutputError::Io {
            action: "create the staging folder",
            path: dir.clone(),
            error,
        })?;
        Ok(Staging {
            out: out.to_owned(),
            target,
            dir,
            previous,
            written: Mutex::default(),
            dirs: Mutex::default(),
            fresh: AtomicUsize::new(0),
            linked: AtomicUsize::new(0),
            failed: AtomicBool::new(false),
            done: false,
            fs,
        })
    }

    /// Writes `bytes` to `rel` (a path relative to the output folder, e.g. from [`url_to_file`]),
    /// creating parent folders. If the previous output has this file with the same content, it is
    /// hard-linked instead (keeping its mtime). Errors: an unsafe `rel`, a `rel` already written
    /// in this build, or the OS error naming the file; any error also makes `commit` refuse.
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let result = self.put(rel, xxh3_128(bytes), bytes.len() as u64, |dst| {
            self.fs
                .write_new(dst, bytes)
                .map_err(|e| self.io("write", rel, e))
        });
        self.note(result)
    }

    /// Copies the file `src` (e.g. from `static/`) to `rel`, with the same rules as
    /// [`write`](Self::write). The source is read once to hash it, never held in memory whole.
    pub(crate) fn copy_file(&self, rel: &str, src: &Path) -> Result<(), OutputError> {
        let result = hash_file(src)
            .map_err(|error| OutputError::Io {
                action: "read",
                path: src.to_owned(),
                error,
            })
            .and_then(|(hash, len)| {
                self.put(rel, hash, len, |dst| {
                    self.fs.copy(src, dst).map_err(|error| OutputError::Copy {
                        from: src.to_owned(),
                        to: self.out.join(rel),
                        error,
                    })
                })
            });
        self.note(result)
    }

    /// The files the previous build wrote (relative paths, sorted), from its manifest, so the
    /// caller can warn about URLs this build drops (see [`file_to_url`]).
    pub(crate) fn previous_files(&self) -> impl Iterator<Item = &str> {
        self.previous.keys().map(String::as_str)
    }

    /// Finishes the build: writes the manifest, carries over the files dyad did not write, swaps
    /// the staging folder in (atomically with `RENAME_EXCHANGE` where available, else by two
    /// renames) and removes the previous output. On an error before the swap, `out` is left as it
    /// was and the staging folder is removed.
    pub(crate) fn commit(mut self) -> Result<CommitReport, OutputError> {
        if self.failed.load(Ordering::SeqCst) {
            return Err(OutputError::Incomplete {
                path: self.out.clone(),
            });
        }
        let written = std::mem::take(self.written.get_mut().unwrap_or_else(|p| p.into_inner()));
        let new_manifest: BTreeMap<String, u128> = written.into_iter().collect();
        let mut report = CommitReport {
            written: self.fresh.load(Ordering::SeqCst),
            linked: self.linked.load(Ordering::SeqCst),
            removed: (self.previous.keys())
                .filter(|rel| !new_manifest.contains_key(*rel))
                .count(),
            ..CommitReport::default()
        };
        // The manifest goes in first: a crash after this point leaves a staging folder whose
        // manifest tells the next run which of its entries are the user's (see `recover_stale`).
        let text = manifest_text(&new_manifest);
        (self.fs.write_new(&self.dir.join(MANIFEST), text.as_bytes()))
            .map_err(|e| self.io("write", MANIFEST, e))?;
        if !self.target.exists() {
            (self.fs.rename(&self.dir, &self.target)).map_err(|e| self.io("swap in", "", e))?;
            self.done = true;
            return Ok(report);
        }
        let mut moved = Moved::default();
        let carried = move_foreign(
            self.fs.as_ref(),
            &self.target,
            &self.previous,
            &self.dir,
            &mut moved,
        );
        report.kept_foreign = moved.count;
        report.overwritten_foreign = moved.conflicts;
        let previous_output = match carried.and_then(|()| self.swap()) {
            Ok(path) => path,
            Err(error) => return Err(self.put_foreign_back(&new_manifest, error)),
        };
        // The new site is live. A previous output left behind here is removed by the next run.
        (self.fs.remove_dir_all(&previous_output)).map_err(|error| OutputError::Io {
            action: "remove the previous output",
            path: previous_output,
            error,
        })?;
        Ok(report)
    }

    /// Abandons the build: removes the staging folder; `out` stays as it was.
    pub(crate) fn abort(self) {}

    /// Puts the staging folder in place of the target: one atomic exchange where the system has
    /// it, else two renames. Returns where the previous output now is; sets `done` once the new
    /// site is in place.
    fn swap(&mut self) -> io::Result<PathBuf> {
        match self.fs.exchange(&self.dir, &self.target) {
            Ok(()) => {
                self.done = true;
                Ok(self.dir.clone())
            }
            Err(e) if e.kind() == io::ErrorKind::Unsupported => {
                let name = self.dir.file_name().unwrap_or_default().to_string_lossy();
                let old = self
                    .dir
                    .with_file_name(name.replacen(".dyad-staging-", ".dyad-old-", 1));
                self.fs.rename(&self.target, &old)?;
                if let Err(e) = self.fs.rename(&self.dir, &self.target) {
                    // Put the previous output back where it was before reporting.
                    let _ = self.fs.rename(&old, &self.target);
                    return Err(e);
                }
                self.done = true;
                Ok(old)
            }
            Err(e) => Err(e),
        }
    }

    /// After a failed swap: moves the user's files back into `out` and returns the error to
    /// report. If any of them cannot be moved back, the staging folder is kept (it is then the
    /// only copy) and the message says so.
    fn put_foreign_back(
        &mut self,
        new_manifest: &BTreeMap<String, u128>,
        error: io::Error,
    ) -> OutputError {
        let mut back = Moved::default();
        let result = move_foreign(
            self.fs.as_ref(),
            &self.dir,
            new_manifest,
            &self.target,
            &mut back,
        );
        if result.is_err() || !back.conflicts.is_empty() {
            self.done = true;
            return OutputError::Io {
                action: "swap in (files not written by dyad are kept in the staging folder)",
                path: self.dir.clone(),
                error,
            };
        }
        self.io("swap in", "", error)
    }

    /// Claims `rel` for this build, makes its folder, then links the previous copy or `produce`s it.
    fn put(
        &self,
        rel: &str,
        hash: u128,
        len: u64,
        produce: impl FnOnce(&Path) -> Result<(), OutputError>,
    ) -> Result<(), OutputError> {
        check_rel(rel).map_err(|why| unsafe_path(rel, why))?;
        {
            let mut written = self.written.lock().unwrap_or_else(|p| p.into_inner());
            if written.insert(rel.to_owned(), hash).is_some() {
                return Err(OutputError::Duplicate {
                    path: rel.to_owned(),
                });
            }
        }
        if let Some((parent, _)) = rel.rsplit_once('/') {
            self.ensure_dir(parent)?;
        }
        let dst = self.dir.join(rel);
        if self.previous.get(rel) == Some(&hash) && self.link_previous(rel, len, &dst) {
            self.linked.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        produce(&dst)?;
        self.fresh.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Hard-links the previous build's `rel` to `dst` if it still looks like what the manifest
    /// recorded (a regular file of the same length). Any failure just means "write it afresh".
    fn link_previous(&self, rel: &str, len: u64, dst: &Path) -> bool {
        let old = self.target.join(rel);
        match fs::symlink_metadata(&old) {
            Ok(meta) if meta.is_file() && meta.len() == len => self.fs.hard_link(&old, dst).is_ok(),
            _ => false,
        }
    }

    /// Makes sure the folder `rel_dir` exists in the staging folder (parents first).
    fn ensure_dir(&self, rel_dir: &str) -> Result<(), OutputError> {
        if self
            .dirs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(rel_dir)
        {
            return Ok(());
        }
        if let Some((parent, _)) = rel_dir.rsplit_once('/') {
            self.ensure_dir(parent)?;
        }
        match self.fs.create_dir(&self.dir.join(rel_dir)) {
            // Another thread made it, or a file is in the way: the write below then names it.
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(self.io("create folder", rel_dir, e)),
        }
        let mut dirs = self.dirs.lock().unwrap_or_else(|p| p.into_inner());
        dirs.insert(rel_dir.to_owned());
        Ok(())
    }

    fn note(&self, result: Result<(), OutputError>) -> Result<(), OutputError> {
        if result.is_err() {
            self.failed.store(true, Ordering::SeqCst);
        }
        result
    }

    /// An I/O error at `rel`, named as the user knows it: inside `out`, not the staging folder.
    fn io(&self, action: &'static str, rel: &str, error: io::Error) -> OutputError {
        let path = if rel.is_empty() {
            self.out.clone()
        } else {
            self.out.join(rel)
        };
        OutputError::Io {
            action,
            path,
            error,
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            // Nothing to report to: a leftover is cleaned up by the next run's `recover_stale`.
            let _ = self.fs.remove_dir_all(&self.dir);
        }
    }
}

/// Hashes a file's content in 64 KiB chunks; returns the hash and the length.
fn hash_file(path: &Path) -> io::Result<(u128, u64)> {
    let mut file = File::open(path)?;
    let mut hasher = Xxh3Default::new();
    let mut buffer = vec![0; 64 * 1024];
    let mut len = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            return Ok((hasher.digest128(), len));
        }
        hasher.update(&buffer[..n]);
        len += n as u64;
    }
}

fn manifest_text(manifest: &BTreeMap<String, u128>) -> String {
    let mut text = String::with_capacity(manifest.len() * 64);
    for (rel, hash) in manifest {
        let _ = writeln!(text, "{hash:032x}\t{rel}");
    }
    text
}

/// Reads a manifest; a missing file is an empty manifest. Lines that do not parse (a hand-edited
/// or truncated manifest) are skipped: their files then count as the user's and are kept, which
/// errs on the side of losing nothing.
fn read_manifest(path: &Path) -> io::Result<BTreeMap<String, u128>> {
    let text = match fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(e),
    };
    Ok(text
        .lines()
        .filter_map(|line| {
            let (hash, rel) = line.split_once('\t')?;
            let hash = u128::from_str_radix(hash, 16).ok()?;
            check_rel(rel).ok()?;
            Some((rel.to_owned(), hash))
        })
        .collect())
}

/// Reads the manifest of the output folder `out` without starting a build (for `check`'s
/// dropped-URL warning): the relative paths of the files the last build wrote, sorted; empty if
/// there was none.
pub(crate) fn previous_outputs(out: &Path) -> Result<Vec<String>, OutputError> {
    let manifest = read_manifest(&out.join(MANIFEST)).map_err(|error| OutputError::Io {
        action: "read",
        path: out.join(MANIFEST),
        error,
    })?;
    Ok(manifest.into_keys().collect())
}

/// What [`move_foreign`] did.
#[derive(Default)]
struct Moved {
    /// Entries moved (a whole foreign folder counts once).
    count: usize,
    /// Foreign paths left behind because the destination has something there, sorted.
    conflicts: Vec<String>,
}

/// Moves every entry of `from` that its `manifest` does not list (the user's files and folders)
/// to the same relative place under `to`, creating folders as needed. Folders are merged: one
/// that holds manifest files, or that also exists in `to`, is entered rather than moved whole.
/// An entry whose place in `to` is taken is left where it is and listed as a conflict. Symlinks
/// are moved as links, never followed.
fn move_foreign(
    fs: &dyn Fs,
    from: &Path,
    manifest: &BTreeMap<String, u128>,
    to: &Path,
    moved: &mut Moved,
) -> io::Result<()> {
    let dyad_dirs: HashSet<&str> = manifest
        .keys()
        .flat_map(|rel| rel.match_indices('/').map(move |(i, _)| &rel[..i]))
        .collect();
    let mut pending = vec![String::new()];
    while let Some(rel_dir) = pending.pop() {
        let mut entries = fs::read_dir(from.join(&rel_dir))?.collect::<io::Result<Vec<_>>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if rel_dir.is_empty() {
                name
            } else {
                format!("{rel_dir}/{name}")
            };
            if rel == MANIFEST {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() && (dyad_dirs.contains(rel.as_str()) || is_real_dir(&to.join(&rel))) {
                pending.push(rel);
                continue;
            }
            if kind.is_file() && manifest.contains_key(&rel) {
                continue; // dyad's own file: replaced or dropped by the new build
            }
            if fs::symlink_metadata(to.join(&rel)).is_ok() || !make_dirs(fs, to, &rel_dir)? {
                moved.conflicts.push(rel);
                continue;
            }
            fs.rename(&entry.path(), &to.join(&rel))?;
            moved.count += 1;
        }
    }
    moved.conflicts.sort();
    Ok(())
}

/// Whether `path` is a folder (not a symlink to one).
fn is_real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|meta| meta.is_dir())
}

/// Creates `rel_dir` and its parents under `root`; false if a file is in the way.
fn make_dirs(fs: &dyn Fs, root: &Path, rel_dir: &str) -> io::Result<bool> {
    if rel_dir.is_empty() {
        return Ok(true);
    }
    let mut path = root.to_owned();
    for segment in rel_dir.split('/') {
        path.push(segment);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Ok(false),
            Err(e) if e.kind() == io::ErrorKind::NotFound => fs.create_dir(&path)?,
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// Cleans up after earlier runs that died between `begin` and the end of `commit`: folders named
/// `.<name>.dyad-staging-<pid>-<n>` or `.<name>.dyad-old-<pid>-<n>` beside the output whose
/// process is gone. One with a manifest may hold the user's files (moved there during a commit):
/// those go back into the output first, and the folder is removed only if that worked.
fn recover_stale(fs: &dyn Fs, target: &Path, name: &str, out: &Path) -> Result<(), OutputError> {
    let Some(parent) = target.parent() else {
        return Ok(());
    };
    let io = |action, path: &Path, error| OutputError::Io {
        action,
        path: path.to_owned(),
        error,
    };
    let entries = fs::read_dir(parent).map_err(|e| io("list", parent, e))?;
    let prefix = format!(".{name}.dyad-");
    let mut stale: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io("list", parent, e))?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let Some(ids) = rest
            .strip_prefix("staging-")
            .or_else(|| rest.strip_prefix("old-"))
        else {
            continue;
        };
        let Some((pid, seq)) = ids.split_once('-') else {
            continue;
        };
        let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if numeric(pid) && numeric(seq) && !is_running(pid) && entry.path().is_dir() {
            stale.push(entry.path());
        }
    }
    stale.sort();
    for dir in stale {
        let manifest = read_manifest(&dir.join(MANIFEST)).map_err(|e| io("read", &dir, e))?;
        if dir.join(MANIFEST).exists() {
            make_dirs(fs, parent, &name.replace('/', "")).map_err(|e| io("create", out, e))?;
            move_foreign(fs, &dir, &manifest, target, &mut Moved::default())
                .map_err(|e| io("recover files from", &dir, e))?;
        }
        fs.remove_dir_all(&dir)
            .map_err(|e| io("remove the leftover staging folder", &dir, e))?;
    }
    Ok(())
}

/// Whether the process `pid` (decimal) is alive, so a concurrent build's staging folder is left
/// alone. Without `/proc` every earlier process counts as gone.
fn is_running(pid: &str) -> bool {
    pid == std::process::id().to_string() || Path::new("/proc").join(pid).exists()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    /// A file system that fails on request, for the "nothing lost" guarantees.
    #[derive(Default)]
    struct Faulty {
        /// Fail the n-th `write_new` (1-based) with "no space left on device".
        fail_write_at: Option<usize>,
        writes: AtomicUsize,
        /// Make `exchange` fail with this OS error (`None`: the real one).
        exchange_error: Option<i32>,
        /// Pretend `RENAME_EXCHANGE` does not exist (the two-rename fallback).
        no_exchange: bool,
    }

    impl Fs for Faulty {
        fn create_dir(&self, path: &Path) -> io::Result<()> {
            RealFs.create_dir(path)
        }
        fn write_new(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
            let n = self.writes.fetch_add(1, Ordering::SeqCst) + 1;
            if self.fail_write_at == Some(n) {
                return Err(io::Error::from_raw_os_error(28));
            }
            RealFs.write_new(path, bytes)
        }
        fn copy(&self, from: &Path, to: &Path) -> io::Result<()> {
            RealFs.copy(from, to)
        }
        fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()> {
            RealFs.hard_link(from, to)
        }
        fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
            RealFs.rename(from, to)
        }
        fn exchange(&self, a: &Path, b: &Path) -> io::Result<()> {
            if let Some(code) = self.exchange_error {
                return Err(io::Error::from_raw_os_error(code));
            }
            if self.no_exchange {
                return Err(io::ErrorKind::Unsupported.into());
            }
            RealFs.exchange(a, b)
        }
        fn remove_dir_all(&self, path: &Path) -> io::Result<()> {
            RealFs.remove_dir_all(path)
        }
    }

    type Snapshot = BTreeMap<String, (Option<Vec<u8>>, u64, Option<(i64, i64)>)>;

    /// Every entry under `dir`: relative path → (content, inode, mtime); folders have neither
    /// content nor mtime (moving an entry out and back changes its folder's mtime).
    fn snapshot(dir: &Path) -> Snapshot {
        walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                let meta = e.metadata().unwrap();
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let content = meta.is_file().then(|| fs::read(e.path()).unwrap());
                let mtime = meta.is_file().then(|| (meta.mtime(), meta.mtime_nsec()));
                (rel, (content, meta.ino(), mtime))
            })
            .collect()
    }

    fn siblings(out: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(out.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn build_with(
        out: &Path,
        fs: Faulty,
        files: &[(&str, &str)],
    ) -> Result<CommitReport, OutputError> {
        let staging = Staging::begin_with(out, Box::new(fs))?;
        for (rel, text) in files {
            staging.write(rel, text.as_bytes())?;
        }
        staging.commit()
    }

    fn build(out: &Path, files: &[(&str, &str)]) -> CommitReport {
        build_with(out, Faulty::default(), files).unwrap()
    }

    fn read(out: &Path, rel: &str) -> String {
        fs::read_to_string(out.join(rel)).unwrap()
    }

    const SITE: &[(&str, &str)] = &[
        ("index.html", "home"),
        ("abstracts/a/index.html", "a"),
        ("abstracts/b/index.html", "b"),
        ("404.html", "missing"),
    ];

    #[test]
    fn first_build_writes_every_file_and_a_sorted_manifest() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let report = build(&out, SITE);
        assert_eq!(report.written, 4);
        assert_eq!(report.linked + report.removed + report.kept_foreign, 0);
        assert_eq!(read(&out, "abstracts/a/index.html"), "a");
        let manifest = read(&out, MANIFEST);
        let paths: Vec<_> = manifest
            .lines()
            .map(|l| l.split_once('\t').unwrap().1)
            .collect();
        assert_eq!(
            paths,
            [
                "404.html",
                "abstracts/a/index.html",
                "abstracts/b/index.html",
                "index.html"
            ]
        );
        let hash = manifest.lines().next().unwrap().split_once('\t').unwrap().0;
        assert_eq!(hash, format!("{:032x}", xxh3_128(b"missing")));
        assert_eq!(siblings(&out), ["public"]);
        assert_eq!(previous_outputs(&out).unwrap().len(), 4);
    }

    #[test]
    fn out_folder_may_be_missing_with_its_parents() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("deep/er/site");
        build(&out, SITE);
        assert_eq!(read(&out, "index.html"), "home");
    }

    #[test]
    fn rebuild_removes_stale_pages_and_keeps_foreign_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build(&out, SITE);
        fs::create_dir_all(out.join(".git/refs")).unwrap();
        fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
        fs::write(out.join("CNAME"), "rk.example.org\n").unwrap();
        fs::write(out.join("abstracts/b/notes.txt"), "mine").unwrap();
        let report = build(
            &out,
            &[("index.html", "home 2"), ("abstracts/a/index.html", "a")],
        );
        assert_eq!(report.removed, 2, "abstracts/b/ and 404.html are gone");
        assert_eq!(report.kept_foreign, 3);
        assert!(report.overwritten_foreign.is_empty());
        assert!(!out.join("404.html").exists());
        assert!(!out.join("abstracts/b/index.html").exists());
        assert_eq!(read(&out, ".git/HEAD"), "ref: refs/heads/gh-pages\n");
        assert!(out.join(".git/refs").is_dir());
        assert_eq!(read(&out, "CNAME"), "rk.example.org\n");
        assert_eq!(read(&out, "abstracts/b/notes.txt"), "mine");
        assert_eq!(read(&out, "index.html"), "home 2");
        assert_eq!(siblings(&out), ["public"]);
        // The user's files are still theirs on the next build.
        let report = build(&out, &[("index.html", "home 3")]);
        assert_eq!(report.kept_foreign, 3);
        assert_eq!(read(&out, "CNAME"), "rk.example.org\n");
    }

    #[test]
    fn dyad_file_wins_over_a_foreign_one_and_says_so() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build(&out, SITE);
        fs::write(out.join("CNAME"), "old.example.org\n").unwrap();
        fs::create_dir(out.join("downloads")).unwrap();
        fs::write(out.join("downloads/keep.pdf"), "pdf").unwrap();
        let mut files = SITE.to_vec();
        files.push(("CNAME", "new.example.org\n"));
        files.push(("downloads/list.html", "list"));
        let report = build(&out, &files);
        assert_eq!(report.overwritten_foreign, ["CNAME"]);
        assert_eq!(
            report.kept_foreign, 1,
            "downloads/keep.pdf, merged into the new folder"
        );
        assert_eq!(read(&out, "CNAME"), "new.example.org\n");
        assert_eq!(read(&out, "downloads/keep.pdf"), "pdf");
        assert_eq!(read(&out, "downloads/list.html"), "list");
    }

    #[test]
    fn unchanged_files_are_hard_linked_and_keep_their_mtime() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let src = tmp.path().join("style.css");
        fs::write(&src, "body{}").unwrap();
        let copy = |staging: &Staging| staging.copy_file("style.css", &src).unwrap();
        let staging = Staging::begin(&out).unwrap();
        copy(&staging);
        for (rel, text) in SITE {
            staging.write(rel, text.as_bytes()).unwrap();
        }
        staging.commit().unwrap();
        let before = snapshot(&out);
        std::thread::sleep(std::time::Duration::from_millis(20));

        let staging = Staging::begin(&out).unwrap();
        assert_eq!(staging.previous_files().count(), 5);
        copy(&staging);
        staging.write("index.html", b"changed").unwrap();
        for (rel, text) in &SITE[1..] {
            staging.write(rel, text.as_bytes()).unwrap();
        }
        let report = staging.commit().unwrap();
        assert_eq!((report.written, report.linked), (1, 4));
        let after = snapshot(&out);
        for rel in ["abstracts/a/index.html", "404.html", "style.css"] {
            assert_eq!(
                before[rel], after[rel],
                "{rel}: same inode, content and mtime"
            );
        }
        assert_ne!(before["index.html"].1, after["index.html"].1);
        assert_eq!(read(&out, "index.html"), "changed");
    }

    #[test]
    fn a_file_edited_by_hand_is_not_linked() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build(&out, SITE);
        fs::write(out.join("404.html"), "edited by hand, longer").unwrap();
        let report = build(&out, SITE);
        assert_eq!((report.written, report.linked), (1, 3));
        assert_eq!(read(&out, "404.html"), "missing");
    }

    #[test]
    fn failed_write_halfway_leaves_old_output_intact_and_no_staging() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build(&out, SITE);
        fs::write(out.join("CNAME"), "rk.example.org\n").unwrap();
        let before = snapshot(&out);
        let faulty = Faulty {
            fail_write_at: Some(2),
            ..Faulty::default()
        };
        let changed = [
            ("index.html", "new home"),
            ("abstracts/c/index.html", "c"),
            ("x.html", "x"),
        ];
        let err = build_with(&out, faulty, &changed).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "cannot write `{}`: No space left on device (os error 28)",
                out.join("abstracts/c/index.html").display()
            )
        );
        assert_eq!(snapshot(&out), before);
        assert_eq!(siblings(&out), ["public"]);
    }

    #[test]
    fn commit_refuses_after_a_failed_write() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build(&out, SITE);
        let before = snapshot(&out);
        let staging = Staging::begin(&out).unwrap();
        staging.write("index.html", b"x").unwrap();
        assert!(staging.write("../escape.html", b"x").is_err());
        let err = staging.commit().unwrap_err();
        assert!(matches!(err, OutputError::Incomplete { .. }), "{err}");
        assert_eq!(snapshot(&out), before);
        assert_eq!(siblings(&out), ["public"]);
    }

    #[test]
    fn failed_swap_puts_foreign_files_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build(&out, SITE);
        fs::create_dir(out.join(".git")).unwrap();
        fs::write(out.join(".git/HEAD"), "ref").unwrap();
        fs::write(out.join("abstracts/b/notes.txt"), "mine").unwrap();
        let before = snapshot(&out);
        let faulty = Faulty {
            exchange_error: Some(5),
            ..Faulty::default()
        };
        let err = build_with(&out, faulty, &SITE[..2]).unwrap_err();
        assert!(err.to_string().starts_with("cannot swap in `"), "{err}");
        assert!(err.to_string().ends_with("(os error 5)"), "{err}");
        assert_eq!(snapshot(&out), before);
        assert_eq!(siblings(&out), ["public"]);
    }

    #[test]
    fn swap_without_rename_exchange_falls_back_to_renames() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build(&out, SITE);
        fs::write(out.join("CNAME"), "c").unwrap();
        let faulty = Faulty {
            no_exchange: true,
            ..Faulty::default()
        };
        let report = build_with(&out, faulty, &SITE[..1]).unwrap();
        assert_eq!((report.removed, report.kept_foreign), (3, 1));
        assert_eq!(read(&out, "CNAME"), "c");
        assert_eq!(siblings(&out), ["public"]);
    }

    #[test]
    fn abort_and_drop_remove_the_staging_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build(&out, SITE);
        let before = snapshot(&out);
        let staging = Staging::begin(&out).unwrap();
        staging.write("index.html", b"never").unwrap();
        staging.abort();
        let staging = Staging::begin(&out).unwrap();
        staging.write("index.html", b"never").unwrap();
        drop(staging);
        assert_eq!(snapshot(&out), before);
        assert_eq!(siblings(&out), ["public"]);
    }

    #[test]
    fn stale_staging_of_a_crashed_run_is_cleaned_and_user_files_recovered() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build(&out, SITE);
        // A run that died while building: nothing of the user's inside.
        let crashed = tmp.path().join(".public.dyad-staging-999999999-0");
        fs::create_dir_all(crashed.join("abstracts")).unwrap();
        fs::write(crashed.join("abstracts/half.html"), "half").unwrap();
        // A run that died during its commit, after moving the user's CNAME into its staging.
        let committing = tmp.path().join(".public.dyad-old-999999998-3");
        fs::create_dir(&committing).unwrap();
        fs::write(committing.join(MANIFEST), manifest_text(&BTreeMap::new())).unwrap();
        fs::write(committing.join("CNAME"), "rk.example.org").unwrap();
        // Someone else's folder that merely looks similar.
        fs::create_dir(tmp.path().join(".public.dyad-staging-x")).unwrap();
        build(&out, SITE);
        assert_eq!(read(&out, "CNAME"), "rk.example.org");
        assert_eq!(siblings(&out), [".public.dyad-staging-x", "public"]);
    }

    #[test]
    fn duplicate_and_unsafe_writes_are_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = Staging::begin(&out).unwrap();
        staging.write("periods/index.html", b"a").unwrap();
        let err = staging.write("periods/index.html", b"b").unwrap_err();
        assert_eq!(
            err.to_string(),
            "output path `periods/index.html` is written twice in one build (two outputs at one URL)"
        );
        for bad in [
            "../x.html",
            "/etc/passwd",
            "a/../../x",
            "a\\b",
            "a//b",
            "a/\0",
            MANIFEST,
            "",
        ] {
            let err = staging.write(bad, b"x").unwrap_err();
            assert!(
                matches!(err, OutputError::UnsafePath { .. }),
                "{bad}: {err}"
            );
        }
        assert!(!tmp.path().join("x.html").exists());
        drop(staging);
        assert!(!out.exists());
        assert!(siblings(&out).is_empty());
    }

    #[test]
    fn a_file_in_the_way_of_a_folder_is_named() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = Staging::begin(&out).unwrap();
        staging.write("page", b"file").unwrap();
        let err = staging.write("page/index.html", b"x").unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(&format!("`{}`", out.join("page/index.html").display())),
            "{text}"
        );
    }

    #[test]
    fn concurrent_writes_from_rayon() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = Staging::begin(&out).unwrap();
        (0..500).into_par_iter().for_each(|i| {
            let rel = format!("abstracts/{}/w{i}/index.html", i % 7);
            staging.write(&rel, format!("page {i}").as_bytes()).unwrap();
        });
        let report = staging.commit().unwrap();
        assert_eq!(report.written, 500);
        assert_eq!(read(&out, "abstracts/2/w499/index.html"), "page 499");
        assert_eq!(previous_outputs(&out).unwrap().len(), 500);
        // The manifest does not depend on thread timing.
        let first = read(&out, MANIFEST);
        let staging = Staging::begin(&out).unwrap();
        (0..500).into_par_iter().rev().for_each(|i| {
            let rel = format!("abstracts/{}/w{i}/index.html", i % 7);
            staging.write(&rel, format!("page {i}").as_bytes()).unwrap();
        });
        assert_eq!(staging.commit().unwrap().linked, 500);
        assert_eq!(read(&out, MANIFEST), first);
    }

    #[test]
    fn out_dir_refusals() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("archive");
        for dir in ["content/abstracts", "templates", "static"] {
            fs::create_dir_all(root.join(dir)).unwrap();
        }
        fs::write(root.join("archive.yaml"), "title: x\n").unwrap();
        let refused = |out: PathBuf| match check_out_dir(&root, &out) {
            Err(OutputError::Refused { why, .. }) => why,
            other => panic!("{} not refused: {other:?}", out.display()),
        };
        assert!(refused(root.clone()).contains("archive folder itself"));
        assert!(refused(root.join(".")).contains("archive folder itself"));
        assert!(refused(tmp.path().to_owned()).contains("contains the archive"));
        assert!(refused(root.join("content")).contains("`content/`"));
        assert!(refused(root.join("content/abstracts/new/deeper")).contains("`content/`"));
        assert!(refused(root.join("templates/out")).contains("`templates/`"));
        assert!(refused(root.join("static")).contains("`static/`"));
        assert!(refused(root.join("public/../static/x")).contains("`static/`"));
        assert!(refused(root.join("archive.yaml")).contains("archive.yaml"));
        let link = tmp.path().join("sneaky");
        std::os::unix::fs::symlink(root.join("content"), &link).unwrap();
        assert!(refused(link.join("site")).contains("`content/`"));
        let message = check_out_dir(&root, &root.join("static"))
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("refusing to write the site to `"),
            "{message}"
        );
        assert!(message.contains("hint: "), "{message}");

        check_out_dir(&root, &root.join("public")).unwrap();
        check_out_dir(&root, &tmp.path().join("site")).unwrap();
        check_out_dir(&root, &root.join("contents")).unwrap();
    }

    #[test]
    fn begin_refuses_a_file_as_out() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::write(&out, "x").unwrap();
        assert!(matches!(
            Staging::begin(&out),
            Err(OutputError::Refused { .. })
        ));
    }

    #[test]
    fn url_paths_map_to_files() {
        assert_eq!(url_to_file("").as_deref(), Some("index.html"));
        assert_eq!(
            url_to_file("abstracts/x/").as_deref(),
            Some("abstracts/x/index.html")
        );
        assert_eq!(url_to_file("404.html").as_deref(), Some("404.html"));
        assert_eq!(url_to_file("sitemap.xml").as_deref(), Some("sitemap.xml"));
        assert_eq!(
            url_to_file(".well-known/x").as_deref(),
            Some(".well-known/x")
        );
        for bad in [
            "/",
            "/abs/",
            "..",
            "../",
            "a/../b/",
            "./a/",
            "a/./",
            "a//b/",
            "a\\b/",
            "a\0/",
            "a\n/",
            "a\t.html",
            "//evil.org/",
            ".dyad-manifest",
        ] {
            assert_eq!(url_to_file(bad), None, "{bad:?}");
        }
        for url in ["", "abstracts/x/", "404.html"] {
            assert_eq!(file_to_url(&url_to_file(url).unwrap()), url);
        }
        assert_eq!(file_to_url("notindex.html"), "notindex.html");
    }

    #[test]
    fn streaming_hash_equals_one_shot_hash() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("big");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &bytes).unwrap();
        assert_eq!(hash_file(&path).unwrap(), (xxh3_128(&bytes), 200_000));
    }
}
