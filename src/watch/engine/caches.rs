//! The engine's caches: parsed files by path and content hash, rendered bodies with the link
//! questions they asked, and static files. Reading and hashing live here; deciding what to
//! rebuild does not.

use super::*;

/// A parsed file and what identifies its version: size and modification time (to skip
/// reading it again) and the hash of its bytes (to skip parsing it again).
pub(super) struct CachedFile {
    pub(super) len: u64,
    pub(super) mtime: Option<SystemTime>,
    pub(super) hash: u64,
    pub(super) parsed: Arc<Parsed>,
}

/// A Markdown body rendered once, with the answers to every link question it asked.
pub(super) struct BodyEntry {
    pub(super) body_hash: u64,
    pub(super) page_url: String,
    pub(super) lookups: Vec<Lookup>,
    pub(super) html: Arc<str>,
    pub(super) key: String,
    pub(super) diags: Vec<Diagnostic>,
}

/// One question a body's rendering asked, with the answer it got.
#[derive(Clone, PartialEq, Eq)]
pub(super) enum Lookup {
    Source(String, Option<String>),
    Exists(String, bool),
}

/// A resolver that records every question and answer.
pub(super) struct Recording<'a> {
    pub(super) inner: &'a SiteLinks<'a>,
    pub(super) log: Mutex<Vec<Lookup>>,
}

impl LinkResolver for Recording<'_> {
    fn source_url(&self, source: &str) -> Option<String> {
        let r = self.inner.source_url(source);
        self.log
            .lock()
            .expect("no panic holding the log")
            .push(Lookup::Source(source.to_string(), r.clone()));
        r
    }
    fn base_url(&self) -> &url::Url {
        self.inner.base_url()
    }
    fn url_exists(&self, path: &str) -> bool {
        let r = self.inner.url_exists(path);
        self.log
            .lock()
            .expect("no panic holding the log")
            .push(Lookup::Exists(path.to_string(), r));
        r
    }
}

/// A static file's bytes, with the size and modification time they were read at.
pub(super) struct CachedStatic {
    pub(super) len: u64,
    pub(super) mtime: Option<SystemTime>,
    pub(super) bytes: Bytes,
}

pub(super) fn stat(path: &Path) -> Option<(u64, Option<SystemTime>)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()))
}

/// A file modified this recently may change again within the same timestamp tick: always
/// re-read it (as git does for "racily clean" entries).
pub(super) fn recently(mtime: Option<SystemTime>) -> bool {
    mtime
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_none_or(|age| age < Duration::from_secs(2))
}

impl Engine {
    pub(super) fn parse_file(
        &self,
        f: &SourceFile,
        translated: &[String],
        forced: &HashSet<PathBuf>,
        trust: bool,
    ) -> Result<Arc<Parsed>, Diagnostic> {
        if trust && !forced.contains(&f.abs) {
            // The watcher named every file that changed: the others are as cached.
            if let Some(c) = self
                .files
                .read()
                .expect("no panic holding the cache")
                .get(&f.rel)
            {
                return Ok(Arc::clone(&c.parsed));
            }
        }
        // A cached file is re-read only when its size or modification time moved (or it was
        // modified too recently to trust them); a file not in the cache is read at once.
        if !forced.contains(&f.abs)
            && let Some(c) = self
                .files
                .read()
                .expect("no panic holding the cache")
                .get(&f.rel)
        {
            let meta = stat(&f.abs);
            if meta.is_some() && !recently(meta.and_then(|m| m.1)) && Some((c.len, c.mtime)) == meta
            {
                return Ok(c.parsed.clone());
            }
        }
        let cannot_read = |e: std::io::Error| {
            Diagnostic::error(&f.rel, format!("cannot read the file: {e}"))
                .help("check that it exists and is readable")
        };
        // Size and time from the open file, before reading it: a write after this makes the
        // next check read it again.
        let (bytes, len, mtime) = {
            use std::io::Read;
            let mut file = std::fs::File::open(&f.abs).map_err(cannot_read)?;
            let meta = file.metadata().map_err(cannot_read)?;
            let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
            file.read_to_end(&mut bytes).map_err(cannot_read)?;
            (bytes, meta.len(), meta.modified().ok())
        };
        // Whether the file is a translation depends on archive.yaml's languages too.
        let translation = source::translation_of(&f.rel, translated).is_some();
        let hash = xxh3_64(&bytes) ^ (f.section as u64) ^ (u64::from(translation) << 8);
        {
            let mut cache = self.files.write().expect("no panic holding the cache");
            if let Some(c) = cache.get_mut(&f.rel)
                && c.hash == hash
            {
                c.len = len;
                c.mtime = mtime;
                return Ok(Arc::clone(&c.parsed));
            }
        }
        let text = source::decode(&f.rel, bytes)?;
        let parsed = Arc::new(source::parse(&f.rel, f.section, text, translated));
        self.files
            .write()
            .expect("no panic holding the cache")
            .insert(
                f.rel.clone(),
                CachedFile {
                    len,
                    mtime,
                    hash,
                    parsed: parsed.clone(),
                },
            );
        Ok(parsed)
    }

    /// Renders a body through the cache: (html, a key standing for the html, diagnostics).
    pub(super) fn body(
        &self,
        links: &SiteLinks,
        rel: &str,
        body: &str,
        body_line: u32,
        page_url: &str,
    ) -> (Arc<str>, String, Vec<Diagnostic>) {
        let mut h = Xxh3::new();
        h.update(body.as_bytes());
        h.update(&body_line.to_le_bytes());
        let body_hash = h.digest();
        if let Some(e) = self
            .bodies
            .read()
            .expect("no panic holding the cache")
            .get(rel)
            && e.body_hash == body_hash
            && e.page_url == page_url
            && e.lookups.iter().all(|l| match l {
                Lookup::Source(s, r) => links.source_url(s) == *r,
                Lookup::Exists(p, r) => links.url_exists(p) == *r,
            })
        {
            return (Arc::clone(&e.html), e.key.clone(), e.diags.clone());
        }
        let rec = Recording {
            inner: links,
            log: Mutex::new(Vec::new()),
        };
        let (html, diags) = pipeline::body_html(&rec, rel, body, body, body_line, page_url);
        let html: Arc<str> = html.into();
        let key = format!("{:016x}", xxh3_64(html.as_bytes()));
        self.bodies
            .write()
            .expect("no panic holding the cache")
            .insert(
                rel.to_string(),
                BodyEntry {
                    body_hash,
                    page_url: page_url.to_string(),
                    lookups: rec.log.into_inner().expect("no panic holding the log"),
                    html: Arc::clone(&html),
                    key: key.clone(),
                    diags: diags.clone(),
                },
            );
        (html, key, diags)
    }

    pub(super) fn read_static(
        &mut self,
        name: &str,
        path: &Path,
        forced: &HashSet<PathBuf>,
    ) -> Result<Bytes, Diagnostic> {
        let meta = stat(path);
        if let Some(c) = self.statics.get(name)
            && !forced.contains(path)
            && meta.is_some()
            && !recently(meta.and_then(|m| m.1))
            && Some((c.len, c.mtime)) == meta
        {
            return Ok(c.bytes.clone());
        }
        let bytes = Bytes::from(std::fs::read(path).map_err(|e| {
            Diagnostic::error(
                format!("static/{name}"),
                format!("cannot read the file: {e}"),
            )
        })?);
        let (len, mtime) = meta.unwrap_or((bytes.len() as u64, None));
        self.statics.insert(
            name.to_string(),
            CachedStatic {
                len,
                mtime,
                bytes: bytes.clone(),
            },
        );
        Ok(bytes)
    }
}
