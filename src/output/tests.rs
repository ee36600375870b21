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
    /// Make the n-th write (1-based; `write_new` or `write_new_with`) fail half-way: the
    /// first half of the bytes (of a streamed file: the first `stream_cut` bytes) reach the
    /// file, then "Input/output error".
    partial_write_at: Option<usize>,
    /// Bytes a streamed write gets through before it fails (see `partial_write_at`).
    stream_cut: usize,
    /// A folder (relative path in the staging folder) where something else puts a file just
    /// before dyad creates the folder: a file in the way of a folder.
    blocked_dir: Option<&'static str>,
}

/// A writer that lets `left` bytes through (in short writes), then fails: a disk that fails
/// in the middle of a file.
struct Cut<W> {
    inner: W,
    left: usize,
}

impl<W: Write> Write for Cut<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::from_raw_os_error(5));
        }
        let n = self.inner.write(&buf[..buf.len().min(self.left)])?;
        self.left -= n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl Faulty {
    /// Counts a write; true if it is the one to fail half-way.
    fn count(&self) -> io::Result<bool> {
        let n = self.writes.fetch_add(1, Ordering::SeqCst) + 1;
        if self.fail_write_at == Some(n) {
            return Err(io::Error::from_raw_os_error(28));
        }
        Ok(self.partial_write_at == Some(n))
    }
}

impl Fs for Faulty {
    fn create_dir(&self, path: &Path) -> io::Result<()> {
        if self.blocked_dir.is_some_and(|rel| path.ends_with(rel)) {
            fs::write(path, "in the way")?;
        }
        RealFs.create_dir(path)
    }
    fn write_new(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        if self.count()? {
            RealFs.write_new(path, &bytes[..bytes.len() / 2])?;
            return Err(io::Error::from_raw_os_error(5));
        }
        RealFs.write_new(path, bytes)
    }
    fn write_new_with(
        &self,
        path: &Path,
        produce: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        if self.count()? {
            let file = OpenOptions::new().write(true).create_new(true).open(path)?;
            let mut w = Cut {
                inner: file,
                left: self.stream_cut,
            };
            return produce(&mut w).and_then(|()| w.flush());
        }
        RealFs.write_new_with(path, produce)
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

fn build_with(out: &Path, fs: Faulty, files: &[(&str, &str)]) -> Result<CommitReport, OutputError> {
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

#[test]
fn streamed_files_hash_like_written_ones_and_keep_an_unchanged_previous_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let body = b"line one\nline two\n".repeat(1000);
    let s = Staging::begin(&out).unwrap();
    s.write_with("data/a.txt", |w| {
        for chunk in body.chunks(7) {
            w.write_all(chunk)?;
        }
        Ok(())
    })
    .unwrap();
    s.write("b.txt", &body).unwrap();
    s.commit().unwrap();
    assert_eq!(std::fs::read(out.join("data/a.txt")).unwrap(), body);
    let manifest = std::fs::read_to_string(out.join(".dyad-manifest")).unwrap();
    let hash_of = |name: &str| {
        manifest
            .lines()
            .find(|l| l.ends_with(name))
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(hash_of("data/a.txt"), hash_of("b.txt"), "{manifest}");
    let inode = |p: &std::path::Path| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(p).unwrap().ino()
    };
    let before = inode(&out.join("data/a.txt"));
    let s = Staging::begin(&out).unwrap();
    s.write_with("data/a.txt", |w| w.write_all(&body)).unwrap();
    s.commit().unwrap();
    assert_eq!(
        inode(&out.join("data/a.txt")),
        before,
        "the unchanged file is kept"
    );
    let leftovers: Vec<_> = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.contains("dyad-previous"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Entries under `out` whose name says they are dyad's temporary files.
fn temporaries(out: &Path) -> Vec<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.contains("dyad-previous") || p.contains("dyad-staging"))
        .collect()
}

/// A rebuild where every file changes (nothing can be hard-linked), so every file is written.
const CHANGED: &[(&str, &str)] = &[
    ("index.html", "new home, a longer page than before"),
    ("abstracts/a/index.html", "a, rewritten"),
    ("abstracts/c/index.html", "c is new"),
    ("404.html", "still missing, differently"),
];

#[test]
fn a_write_failing_half_way_names_the_file_and_loses_nothing() {
    for at in 1..=CHANGED.len() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build(&out, SITE);
        fs::write(out.join("CNAME"), "rk.example.org\n").unwrap();
        let before = snapshot(&out);
        let faulty = Faulty {
            partial_write_at: Some(at),
            ..Faulty::default()
        };
        let err = build_with(&out, faulty, CHANGED).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "cannot write `{}`: Input/output error (os error 5)",
                out.join(CHANGED[at - 1].0).display()
            )
        );
        assert_eq!(snapshot(&out), before, "write {at}");
        assert_eq!(siblings(&out), ["public"], "write {at}");
    }
}

#[test]
fn the_manifest_failing_half_way_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&out, SITE);
    fs::create_dir(out.join(".git")).unwrap();
    fs::write(out.join(".git/HEAD"), "ref").unwrap();
    let before = snapshot(&out);
    // Every page is written, then the manifest (the last write of a commit) fails half-way.
    let faulty = Faulty {
        partial_write_at: Some(CHANGED.len() + 1),
        ..Faulty::default()
    };
    let err = build_with(&out, faulty, CHANGED).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cannot write `{}`: Input/output error (os error 5)",
            out.join(MANIFEST).display()
        )
    );
    assert_eq!(snapshot(&out), before);
    assert_eq!(siblings(&out), ["public"]);
}

#[test]
fn a_streamed_write_failing_half_way_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let body = b"id,title\n1,first\n".repeat(5000);
    let s = Staging::begin(&out).unwrap();
    s.write("index.html", b"home").unwrap();
    s.write_with("data/archive.csv", |w| w.write_all(&body))
        .unwrap();
    s.commit().unwrap();
    let before = snapshot(&out);
    // The next build streams a different file in small pieces; the disk fails 1000 bytes into
    // it (the build's second write: index.html, then the streamed file).
    let faulty = Faulty {
        partial_write_at: Some(2),
        stream_cut: 1000,
        ..Faulty::default()
    };
    let s = Staging::begin_with(&out, Box::new(faulty)).unwrap();
    s.write("index.html", b"home, again").unwrap();
    let err = s
        .write_with("data/archive.csv", |w| {
            for chunk in body.chunks(17) {
                w.write_all(&chunk.to_ascii_uppercase())?;
            }
            Ok(())
        })
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cannot write `{}`: Input/output error (os error 5)",
            out.join("data/archive.csv").display()
        )
    );
    // The half-written file is in the staging folder, never in the output.
    let staged: Vec<_> = (fs::read_dir(tmp.path()).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("dyad-staging"))
        .collect();
    assert_eq!(staged.len(), 1);
    assert_eq!(
        fs::read(staged[0].join("data/archive.csv")).unwrap().len(),
        1000
    );
    assert!(matches!(s.commit(), Err(OutputError::Incomplete { .. })));
    assert_eq!(snapshot(&out), before);
    assert_eq!(siblings(&out), ["public"]);
    assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
}

#[test]
fn a_file_in_the_way_of_a_folder_during_a_rebuild_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&out, SITE);
    let before = snapshot(&out);
    // Something puts a file where the build is about to make the folder `abstracts/c`.
    let faulty = Faulty {
        blocked_dir: Some("abstracts/c"),
        ..Faulty::default()
    };
    let err = build_with(&out, faulty, CHANGED).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cannot write `{}`: Not a directory (os error 20)",
            out.join("abstracts/c/index.html").display()
        )
    );
    assert_eq!(snapshot(&out), before);
    assert_eq!(siblings(&out), ["public"]);
}

#[test]
fn the_disk_full_at_any_write_loses_nothing() {
    for at in 1..=CHANGED.len() + 1 {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build(&out, SITE);
        let before = snapshot(&out);
        let faulty = Faulty {
            fail_write_at: Some(at),
            ..Faulty::default()
        };
        let err = build_with(&out, faulty, CHANGED).unwrap_err().to_string();
        let failed = CHANGED.get(at - 1).map_or(MANIFEST, |(rel, _)| rel);
        assert_eq!(
            err,
            format!(
                "cannot write `{}`: No space left on device (os error 28)",
                out.join(failed).display()
            )
        );
        assert_eq!(snapshot(&out), before, "write {at}");
        assert_eq!(siblings(&out), ["public"], "write {at}");
    }
}

#[test]
fn the_fault_injection_hook_reads_its_two_faults() {
    use std::ffi::OsStr;
    let parse = |s: &str| Injected::parse(OsStr::new(s)).map(|i| i.fault);
    assert_eq!(parse("enospc-after:0").unwrap(), Fault::EnospcAfter(0));
    assert_eq!(parse("enospc-after:12").unwrap(), Fault::EnospcAfter(12));
    assert_eq!(
        parse("partial-write-at:3").unwrap(),
        Fault::PartialWriteAt(3)
    );
    for bad in [
        "",
        "enospc",
        "enospc-after:",
        "partial-write-at:0",
        "disk-full:1",
        "enospc-after:-1",
    ] {
        let err = parse(bad).err().unwrap().to_string();
        assert!(err.starts_with("DYAD_FAULT_INJECT=`"), "{err}");
        assert!(err.contains("enospc-after:N"), "{err}");
    }
}

#[test]
fn the_fault_injection_hook_fails_writes_as_it_says() {
    let tmp = tempfile::tempdir().unwrap();
    let p = |name: &str| tmp.path().join(name);
    let full = Injected::parse("enospc-after:1".as_ref()).unwrap();
    full.write_new(&p("a"), b"abcdef").unwrap();
    let err = full.write_new(&p("b"), b"abcdef").unwrap_err();
    assert_eq!(err.raw_os_error(), Some(28));
    assert!(!p("b").exists());
    let err = (full.write_new_with(&p("c"), &mut |w| w.write_all(b"x"))).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(28));
    let half = Injected::parse("partial-write-at:2".as_ref()).unwrap();
    half.write_new(&p("d"), b"abcdef").unwrap();
    let err = half
        .write_new_with(&p("e"), &mut |w| w.write_all(b"abcdef"))
        .unwrap_err();
    assert_eq!(err.raw_os_error(), Some(5));
    assert_eq!(fs::read(p("e")).unwrap(), b"abc");
    half.copy(&p("d"), &p("f")).unwrap();
    assert_eq!(fs::read(p("f")).unwrap(), b"abcdef");
}
