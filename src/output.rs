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
    /// `DYAD_FAULT_INJECT` (a hook for dyad's own tests, see [`Injected`]) holds something
    /// it does not understand.
    #[error(
        "DYAD_FAULT_INJECT=`{value}` is not understood: expected `enospc-after:N` or \
         `partial-write-at:N` (a fault-injection hook for dyad's own tests; unset it)"
    )]
    FaultSpec {
        /// The value as set.
        value: String,
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

/// The file-system operations that change the output, behind a trait so tests (and the
/// fault-injection hook [`Injected`]) can make any of them fail: disk full, a file in the way of a folder, a swap
/// that fails half-way. Reading (manifest, directory listings, metadata) goes to `std::fs`.
pub(crate) trait Fs: Send + Sync {
    /// Creates one folder (its parent exists); `AlreadyExists` if something is there.
    fn create_dir(&self, path: &Path) -> io::Result<()>;
    /// Creates a new file with `bytes`; fails if the file exists.
    fn write_new(&self, path: &Path, bytes: &[u8]) -> io::Result<()>;
    /// Creates a new file with what `produce` writes, without holding it in memory (the
    /// default collects it and calls [`write_new`](Self::write_new)); fails if the file exists.
    fn write_new_with(
        &self,
        path: &Path,
        produce: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut bytes = Vec::new();
        produce(&mut bytes)?;
        self.write_new(path, &bytes)
    }
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

/// Passes writes through, hashing and counting them.
struct HashingWriter<'w> {
    inner: &'w mut dyn Write,
    hasher: &'w mut xxhash_rust::xxh3::Xxh3Default,
    len: &'w mut u64,
}

impl Write for HashingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        *self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
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

    fn write_new_with(
        &self,
        path: &Path,
        produce: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let file = OpenOptions::new().write(true).create_new(true).open(path)?;
        let mut w = io::BufWriter::with_capacity(1 << 18, file);
        produce(&mut w)?;
        w.flush()
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

/// The environment variable of the fault-injection hook (see [`Injected`]).
pub(crate) const FAULT_ENV: &str = "DYAD_FAULT_INJECT";

/// **For dyad's own tests only**: the real file system with a fault injected, chosen by the
/// environment variable `DYAD_FAULT_INJECT` in [`Staging::begin`] (and nowhere else), so the
/// integration tests can prove on the real binary that a failed write loses nothing. Tests run
/// as root, where permission bits cannot make a write fail; this can. Unset (the normal case)
/// it costs one environment lookup per build. Writes are counted across threads in the order
/// they happen (file writes, streamed writes and copies; hard links of unchanged files and
/// folders are not counted):
///
/// - `enospc-after:N`: the first `N` writes succeed, every later one fails with "No space left
///   on device" (ENOSPC) before writing anything: the disk is full.
/// - `partial-write-at:N`: the `N`-th write (from 1) writes the first half of its bytes, then
///   fails with "Input/output error" (EIO): a write that fails half-way.
pub(crate) struct Injected {
    fault: Fault,
    writes: AtomicUsize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    EnospcAfter(usize),
    PartialWriteAt(usize),
}

impl Injected {
    /// Reads `enospc-after:N` or `partial-write-at:N` (N ≥ 1 for the latter).
    fn parse(spec: &std::ffi::OsStr) -> Result<Injected, OutputError> {
        let text = spec.to_string_lossy();
        let fault = match text.split_once(':') {
            Some(("enospc-after", n)) => n.parse().ok().map(Fault::EnospcAfter),
            Some(("partial-write-at", n)) => (n.parse().ok())
                .filter(|&n| n >= 1)
                .map(Fault::PartialWriteAt),
            _ => None,
        };
        let fault = fault.ok_or_else(|| OutputError::FaultSpec {
            value: text.escape_debug().to_string(),
        })?;
        Ok(Injected {
            fault,
            writes: AtomicUsize::new(0),
        })
    }

    /// Writes `bytes` to the new file `path`, or fails as the fault says.
    fn put(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let n = self.writes.fetch_add(1, Ordering::SeqCst) + 1;
        match self.fault {
            Fault::EnospcAfter(after) if n > after => Err(io::Error::from_raw_os_error(28)),
            Fault::PartialWriteAt(at) if n == at => {
                RealFs.write_new(path, &bytes[..bytes.len() / 2])?;
                Err(io::Error::from_raw_os_error(5))
            }
            _ => RealFs.write_new(path, bytes),
        }
    }
}

impl Fs for Injected {
    fn create_dir(&self, path: &Path) -> io::Result<()> {
        RealFs.create_dir(path)
    }

    fn write_new(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        self.put(path, bytes)
    }

    fn write_new_with(
        &self,
        path: &Path,
        produce: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        // Held in memory so the partial write can cut it in half: fine for a test hook.
        let mut bytes = Vec::new();
        produce(&mut bytes)?;
        self.put(path, &bytes)
    }

    fn copy(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.put(to, &fs::read(from)?)
    }

    fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()> {
        RealFs.hard_link(from, to)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        RealFs.rename(from, to)
    }

    fn exchange(&self, a: &Path, b: &Path) -> io::Result<()> {
        RealFs.exchange(a, b)
    }

    fn remove_dir_all(&self, path: &Path) -> io::Result<()> {
        RealFs.remove_dir_all(path)
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
    ///
    /// The one place the test-only fault-injection hook is read: with `DYAD_FAULT_INJECT` set
    /// (see [`Injected`]), the real file system is wrapped so that writes fail on purpose.
    pub(crate) fn begin(out: &Path) -> Result<Staging, OutputError> {
        match std::env::var_os(FAULT_ENV).filter(|v| !v.is_empty()) {
            Some(spec) => Self::begin_with(out, Box::new(Injected::parse(&spec)?)),
            None => Self::begin_with(out, Box::new(RealFs)),
        }
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

    /// Writes what `produce` writes to `rel`, streamed to disk and hashed on the way (for
    /// files of tens of megabytes), with the same rules as [`write`](Self::write): when the
    /// previous build wrote the same bytes, its file is kept instead (and its mtime with it).
    pub(crate) fn write_with(
        &self,
        rel: &str,
        mut produce: impl FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        let result = (|| {
            check_rel(rel).map_err(|why| unsafe_path(rel, why))?;
            {
                let mut written = self.written.lock().unwrap_or_else(|p| p.into_inner());
                if written.insert(rel.to_owned(), 0).is_some() {
                    return Err(OutputError::Duplicate {
                        path: rel.to_owned(),
                    });
                }
            }
            if let Some((parent, _)) = rel.rsplit_once('/') {
                self.ensure_dir(parent)?;
            }
            let dst = self.dir.join(rel);
            let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
            let mut len = 0u64;
            self.fs
                .write_new_with(&dst, &mut |w| {
                    let mut tee = HashingWriter {
                        inner: w,
                        hasher: &mut hasher,
                        len: &mut len,
                    };
                    produce(&mut tee)
                })
                .map_err(|e| self.io("write", rel, e))?;
            let hash = hasher.digest128();
            self.written
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(rel.to_owned(), hash);
            // Unchanged: the previous build's file replaces the new one, keeping its mtime.
            let kept = self.previous.get(rel) == Some(&hash) && {
                let tmp = self.dir.join(format!("{rel}.dyad-previous"));
                self.link_previous(rel, len, &tmp) && {
                    let swapped = self.fs.rename(&tmp, &dst).is_ok();
                    if !swapped {
                        let _ = fs::remove_file(&tmp);
                    }
                    swapped
                }
            };
            if kept {
                self.linked.fetch_add(1, Ordering::Relaxed);
            } else {
                self.fresh.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        })();
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
        // Streamed: at 100,000 abstracts the manifest is half a million lines (57 MB).
        (self.fs.write_new_with(&self.dir.join(MANIFEST), &mut |w| {
            write_manifest(w, &new_manifest)
        }))
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

fn write_manifest(w: &mut dyn Write, manifest: &BTreeMap<String, u128>) -> io::Result<()> {
    for (rel, hash) in manifest {
        writeln!(w, "{hash:032x}\t{rel}")?;
    }
    Ok(())
}

#[cfg(test)]
fn manifest_text(manifest: &BTreeMap<String, u128>) -> String {
    let mut text = Vec::new();
    write_manifest(&mut text, manifest).expect("writing to memory");
    String::from_utf8(text).expect("paths are UTF-8")
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
mod tests;
