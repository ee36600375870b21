//! The search index, built from the [`Archive`] (not from rendered HTML) with Pagefind.
//!
//! Each work becomes one Pagefind custom record: its text (the abstract's body), its metadata
//! (title, authors, actors, keywords, year, periods, spheres: searchable words too, and what
//! a result shows) and its facets as
//! Pagefind filters (`period`, `sphere`, `author`, `actor`, `keyword`, `language`, `year`).
//!
//! Works are indexed in the language of their abstract (`abstract_language`, else the work's
//! `language`, else the archive's), so Russian and English words are stemmed and Kazakh words
//! (which Pagefind has no stemmer for) are matched exactly. Each language's works are split
//! into shards of about [`SHARD_SIZE`], each a bundle of its own under `pagefind/<lang>/<n>/`
//! (see [`folders`]). The search page runs a worker per language, which merges that language's
//! shards: Pagefind's WebAssembly carries one stemmer per JavaScript realm, so bundles of
//! different languages merged into one page would all be searched with the first one's.
//!
//! Only the files the search page needs are published: Pagefind's stock interfaces
//! (`pagefind-ui.*`, `pagefind-modular-ui.*`, `pagefind-component-ui.*`, the highlighter) are
//! left out; the search page has its own (`static/search.js`).

use crate::markdown;
use crate::model::{AbstractId, Archive, FacetName};
use crate::render::plan::abstract_url;
use std::collections::BTreeMap;
use std::path::Path;

/// Where the bundles go, relative to the output root.
pub(crate) const DIR: &str = "pagefind";

/// Works per fragment file: Pagefind writes one file per record unless told to group them,
/// and 10,000 tiny files cost more to write than the search ever saves by fetching less.
const WORKS_PER_FRAGMENT_FILE: usize = 16;

/// Files: `(path, bytes)`; [`bundles`] returns the published ones, paths relative to the
/// output root, sorted.
pub(crate) type Files = Vec<(String, Vec<u8>)>;

/// One record before it goes into Pagefind.
struct Record {
    url: String,
    content: String,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
    sort: BTreeMap<String, String>,
}

/// The primary language subtag, lower case: the folder name and what Pagefind stems by.
fn language_key(tag: &str) -> String {
    tag.split('-').next().unwrap_or(tag).to_ascii_lowercase()
}

/// The language a work is indexed in: its abstract's (`abstract_language`, which defaults to
/// the work's `language`), else the archive's.
fn indexed_language(a: &Archive, id: AbstractId) -> String {
    let w = a.work(id);
    let tag = w
        .abstract_language
        .as_deref()
        .or(w.language.as_deref())
        .unwrap_or(&a.config.language);
    language_key(tag)
}

fn record(a: &Archive, id: AbstractId) -> Record {
    let w = a.work(id);
    let names = |f: FacetName, ids: &[u32]| -> Vec<String> {
        ids.iter()
            .map(|&v| a.facet(f)[v as usize].name.clone())
            .collect()
    };
    let authors = names(FacetName::Authors, w.authors.as_deref().unwrap_or(&[]));
    let actors = names(FacetName::Actors, &w.actors);
    let keywords = names(FacetName::Keywords, &w.keywords);
    // The text is the abstract itself, which the excerpts are cut from; the title, the names
    // and the keywords are metadata, which Pagefind indexes as words too (and ranks higher).
    // A work without a body is indexed by its title, or Pagefind would leave it out.
    let mut content = markdown::plain_text(&w.body);
    if content.trim().is_empty() {
        content = w.title.clone();
    }
    let mut meta = BTreeMap::new();
    meta.insert("title".to_string(), w.title.clone());
    if !actors.is_empty() {
        meta.insert("actors".to_string(), actors.join("; "));
    }
    if !keywords.is_empty() {
        meta.insert("keywords".to_string(), keywords.join("; "));
    }
    if !authors.is_empty() {
        meta.insert("authors".to_string(), authors.join("; "));
    }
    let year = w.date.map(|d| d.year().to_string());
    if let Some(y) = &year {
        meta.insert("year".to_string(), y.clone());
    }
    let titles = |list: Vec<&str>| list.join(", ");
    if !w.periods.is_empty() {
        meta.insert(
            "periods".to_string(),
            titles(
                w.periods
                    .iter()
                    .map(|&p| a.periods[p as usize].title.as_str())
                    .collect(),
            ),
        );
    }
    if !w.spheres.is_empty() {
        meta.insert(
            "spheres".to_string(),
            titles(
                w.spheres
                    .iter()
                    .map(|&s| a.spheres[s as usize].title.as_str())
                    .collect(),
            ),
        );
    }
    let mut filters = BTreeMap::new();
    let mut put = |k: &str, v: Vec<String>| {
        if !v.is_empty() {
            filters.insert(k.to_string(), v);
        }
    };
    put(
        "period",
        w.periods
            .iter()
            .map(|&p| a.periods[p as usize].id.clone())
            .collect(),
    );
    put(
        "sphere",
        w.spheres
            .iter()
            .map(|&s| a.spheres[s as usize].id.clone())
            .collect(),
    );
    put("author", authors);
    put("actor", actors);
    put("keyword", keywords);
    let language = w.language.as_deref().or(w.abstract_language.as_deref());
    put(
        "language",
        language.map(str::to_string).into_iter().collect(),
    );
    put("year", year.into_iter().collect());
    // Newest first when there is no query: the date as a sortable string (also in the
    // metadata, where the search page merges the bundles' lists by it).
    let date = w.date.map_or_else(String::new, |d| d.first_day().iso());
    meta.insert("date".to_string(), date.clone());
    let mut sort = BTreeMap::new();
    sort.insert("date".to_string(), date);
    Record {
        // Relative to the base path: the search page gives Pagefind the base path, so the index
        // does not depend on where the site is served.
        url: abstract_url(a, id),
        // Escaped as in an HTML page: Pagefind's excerpts are cut from this text and shown as
        // HTML (with `<mark>` around the matches).
        content: escape_html(&content),
        meta,
        filters,
        sort,
    }
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether Pagefind's output file `name` is needed by dyad's search page.
fn published(name: &str) -> bool {
    !(name.starts_with("pagefind-ui.")
        || name.starts_with("pagefind-modular-ui.")
        || name.starts_with("pagefind-component-ui.")
        || name.starts_with("pagefind-highlight.")
        || name.starts_with("playground/"))
}

/// The languages that get a bundle, the primary one (the interface language, when works
/// are written in it) first; just the interface language when there are no works.
pub(crate) fn languages(a: &Archive) -> Vec<String> {
    let primary = language_key(&a.config.language);
    let mut set: std::collections::BTreeSet<String> = (0..a.abstracts.len() as AbstractId)
        .map(|id| indexed_language(a, id))
        .collect();
    let mut out = Vec::with_capacity(set.len().max(1));
    if set.remove(&primary) || set.is_empty() {
        out.push(primary);
    }
    out.extend(set);
    out
}

/// One bundle: some of the works of one language.
struct Shard {
    lang: String,
    /// Its number within the language (its folder: `pagefind/<lang>/<index>/`).
    index: usize,
    ids: Vec<AbstractId>,
}

impl Shard {
    fn folder(&self) -> String {
        format!("{DIR}/{}/{}/", self.lang, self.index)
    }
}

/// The works of each language, split into shards of at most about [`SHARD_SIZE`] works
/// (languages in [`languages`] order; a shard that would be empty is left out). A work's
/// shard depends on its slug only (and the number of shards of its language), so an edit
/// changes one shard, which alone is indexed again (see [`bundles`]).
fn shards(a: &Archive) -> Vec<Shard> {
    let langs = languages(a);
    let mut by_language: Vec<Vec<AbstractId>> = vec![Vec::new(); langs.len()];
    for id in 0..a.abstracts.len() as AbstractId {
        let l = indexed_language(a, id);
        let i = langs
            .iter()
            .position(|x| *x == l)
            .expect("languages() lists it");
        by_language[i].push(id);
    }
    let mut out = Vec::new();
    for (lang, ids) in langs.into_iter().zip(by_language) {
        let count = ids.len().div_ceil(SHARD_SIZE).max(1);
        let mut split: Vec<Vec<AbstractId>> = vec![Vec::new(); count];
        for id in ids {
            let h = xxhash_rust::xxh3::xxh3_64(a.work(id).slug.as_bytes());
            split[(h % count as u64) as usize].push(id);
        }
        // No empty bundles: Pagefind refuses to load a bundle without records ("No language
        // indexes found"), so an archive without works has no bundle at all.
        for (index, ids) in split
            .into_iter()
            .enumerate()
            .filter(|(_, ids)| !ids.is_empty())
        {
            out.push(Shard {
                lang: lang.clone(),
                index,
                ids,
            });
        }
    }
    out
}

/// The bundle folders of each language, relative to the base path: `[(lang, [folder])]`, the
/// primary language first. The search page runs one worker per language, which searches the
/// language's folders together.
pub(crate) fn folders(a: &Archive) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for s in shards(a) {
        match out.last_mut() {
            Some((l, f)) if *l == s.lang => f.push(s.folder()),
            _ => out.push((s.lang.clone(), vec![s.folder()])),
        }
    }
    out
}

/// Works per shard. Pagefind holds a whole bundle in memory while it indexes it (about
/// 190 kB per abstract), and its cost per record grows with the bundle (each record added is
/// looked up among the earlier ones): shards keep both bounded (at most [`INDEXERS`] at a
/// time), let the cores share the work, and keep re-indexing after an edit small. 500 rather
/// than 1,000 made a cold 100,000-abstract build 30% faster and the search page no slower.
const SHARD_SIZE: usize = 500;

/// Shards indexed at once (fewer on a machine with fewer cores): each on a thread of its own
/// with a one-thread rayon pool for Pagefind's own parallel loops. In a shared pool, a
/// thread waiting inside one shard's loop could steal and start another shard, and the
/// shards in memory would be bounded by nothing. In a build, all but the first wait for a
/// [`Gate`] that opens when rendering is done (see [`bundles_into`]).
const INDEXERS: usize = 2;

/// Holds back all indexers but the first until it is opened: a build opens it when its pages
/// are rendered. While rendering, the cores are busy anyway, and each shard in the making
/// holds about 100 MB at 500 works, on top of what rendering holds: at 100,000 abstracts a
/// second indexer beside rendering made the build's peak 95 MB higher (1.18 GB against
/// 1.09 GB) and it was no faster. Once rendering is done, its memory is free and the other
/// indexers start.
#[derive(Default)]
pub(crate) struct Gate {
    open: std::sync::Mutex<bool>,
    opened: std::sync::Condvar,
}

impl Gate {
    /// Lets the waiting indexers start. Idempotent.
    pub(crate) fn open(&self) {
        *self.open.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.opened.notify_all();
    }

    fn wait(&self) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        while !*open {
            open = self.opened.wait(open).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// Opens its gate when dropped, so that a panic while rendering never leaves an indexer
/// waiting (and the build hanging on it).
pub(crate) struct OpenOnDrop<'a>(pub(crate) &'a Gate);

impl Drop for OpenOnDrop<'_> {
    fn drop(&mut self) {
        self.0.open();
    }
}

/// What [`bundles`] did, for the log.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Stats {
    /// Shards indexed by Pagefind.
    pub indexed: usize,
    /// Shards taken from the cache.
    pub cached: usize,
}

/// Why [`bundles_into`] stopped.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Indexing failed (Pagefind, or the indexer could not start).
    Index(String),
    /// The sink failed (in a build: writing a file).
    Sink(String),
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (Stop::Index(m) | Stop::Sink(m)) = self;
        f.write_str(m)
    }
}

/// Builds the search bundles of every work of `a` (drafts included when the archive holds
/// them: the archive has already decided what the site contains), returned sorted by path.
/// A shard whose records are unchanged since an earlier build is taken from `cache` (a
/// folder; see [`cache`]).
pub(crate) fn bundles(a: &Archive, cache: Option<&Path>) -> Result<(Files, Stats), String> {
    let all = std::sync::Mutex::new(Files::new());
    let stats = bundles_into(a, cache, None, &|files| {
        all.lock().unwrap_or_else(|p| p.into_inner()).extend(files);
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    let mut files = all.into_inner().unwrap_or_else(|p| p.into_inner());
    files.sort_by(|x, y| x.0.cmp(&y.0));
    Ok((files, stats))
}

/// Like [`bundles`], but hands each shard's files to `sink` as soon as they are ready (in no
/// particular order), so a build writes them out instead of holding the whole index. Stops at
/// the first error of indexing or of `sink`. With a `gate`, one indexer starts at once and the
/// others when the gate opens.
pub(crate) fn bundles_into(
    a: &Archive,
    cache: Option<&Path>,
    gate: Option<&Gate>,
    sink: &(dyn Fn(Files) -> Result<(), String> + Sync),
) -> Result<Stats, Stop> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let shards = shards(a);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, INDEXERS)
        .min(shards.len());
    let next = AtomicUsize::new(0);
    let (indexed, cached) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let error = Mutex::new(None::<Stop>);
    let fail = |e: Stop| {
        error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert(e);
    };
    let failed = || error.lock().map_or(true, |e| e.is_some());
    let start = |what: &str, e: &dyn std::fmt::Display| {
        Stop::Index(format!("search index: cannot start the {what}: {e}"))
    };
    std::thread::scope(|scope| {
        let (next, shards, indexed, cached) = (&next, &shards, &indexed, &cached);
        let (fail, failed, start) = (&fail, &failed, &start);
        for k in 0..threads {
            scope.spawn(move || {
                if k > 0
                    && let Some(g) = gate
                {
                    g.wait();
                }
                // An indexer that stops (no shard left, or an error) lets the waiting ones
                // go, which then find no work and stop too: the index is never done later
                // than its last shard (all from the cache, say) only because rendering is not.
                let _done = gate.map(OpenOnDrop);
                let pool = match rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .thread_name(|_| "dyad-search-index".to_string())
                    .build()
                {
                    Ok(p) => p,
                    Err(e) => return fail(start("indexer", &e)),
                };
                // One runtime per indexer thread, reused for each of its shards.
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(r) => r,
                    Err(e) => return fail(start("indexer's runtime", &e)),
                };
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= shards.len() || failed() {
                        return;
                    }
                    let (files, from_cache) =
                        match pool.install(|| shard_files(a, &shards[i], cache, &runtime)) {
                            Ok(x) => x,
                            Err(m) => return fail(Stop::Index(m)),
                        };
                    if let Err(m) = sink(files) {
                        return fail(Stop::Sink(m));
                    }
                    let counter = if from_cache { &cached } else { &indexed };
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    match error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some(e) => Err(e),
        None => Ok(Stats {
            indexed: indexed.into_inner(),
            cached: cached.into_inner(),
        }),
    }
}

/// One shard's published files, paths relative to the output root, from the cache or
/// indexed (then cached); and whether they came from the cache.
fn shard_files(
    a: &Archive,
    shard: &Shard,
    cache: Option<&Path>,
    runtime: &tokio::runtime::Runtime,
) -> Result<(Files, bool), String> {
    let key = cache::key(a, &shard.lang, &shard.ids);
    let folder = shard.folder();
    let prefixed = |b: Files| {
        b.into_iter()
            .map(|(n, b)| (format!("{folder}{n}"), b))
            .collect()
    };
    if let Some(b) = cache.and_then(|c| cache::get(c, key)) {
        return Ok((prefixed(b), true));
    }
    let records: Vec<Record> = shard.ids.iter().map(|&id| record(a, id)).collect();
    let b: Files = runtime
        .block_on(bundle(&shard.lang, records))?
        .into_iter()
        .filter(|(name, _)| published(name))
        .collect();
    if let Some(c) = cache {
        cache::put(c, key, &b);
    }
    Ok((prefixed(b), false))
}

/// One bundle: `(file name inside the bundle folder, bytes)`.
async fn bundle(lang: &str, records: Vec<Record>) -> Result<Files, String> {
    let fail = |e: &dyn std::fmt::Display| format!("search index ({lang}): {e}");
    let max_fragments = records.len().div_ceil(WORKS_PER_FRAGMENT_FILE).max(1) as u32;
    let options = pagefind::options::PagefindServiceConfig::builder()
        .force_language(lang.to_string())
        .max_fragments(max_fragments)
        .build();
    let mut index = pagefind::api::PagefindIndex::new(Some(options)).map_err(|e| fail(&e))?;
    for r in records {
        index
            .add_custom_record(
                r.url,
                r.content,
                lang.to_string(),
                Some(r.meta),
                Some(r.filters),
                Some(r.sort),
            )
            .await
            .map_err(|e| fail(&e))?;
    }
    let files = index.get_files().await.map_err(|e| fail(&e))?;
    Ok(files
        .into_iter()
        .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
        .collect())
}

/// The cache of built shards: one file per shard, named by a hash of everything that goes
/// into it (Pagefind's and dyad's versions, the language, every record), so a hit is always
/// exactly what indexing would produce. Lives outside the output folder (by default in the
/// user's cache folder, like Hugo's), so builds into fresh folders share it. Old entries are
/// pruned: at most [`cache::KEEP`] shards are kept, the least recently used go first.
pub(crate) mod cache {
    use crate::model::{AbstractId, Archive, FacetName};
    use std::io::Read;
    use std::path::{Path, PathBuf};

    /// Shards kept.
    pub(crate) const KEEP: usize = 256;
    const MAGIC: &[u8] = b"dyad-search-shard-1\n";

    /// The default cache folder: `$DYAD_CACHE_DIR`, else `$XDG_CACHE_HOME/dyad`, else
    /// `~/.cache/dyad`; None when none can be found.
    pub(crate) fn default_dir() -> Option<PathBuf> {
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        var("DYAD_CACHE_DIR")
            .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("dyad")))
            .or_else(|| var("HOME").map(|d| d.join(".cache").join("dyad")))
    }

    /// What [`record`](super::record) makes a record of; bump when it changes what it makes.
    const RECORD_FORMAT: u32 = 2;

    /// The key of the shard of `ids` (in language `lang`): a hash of everything its records
    /// are made of (the works' titles, Markdown bodies, dates, languages, slugs, names, and
    /// their periods' and spheres' ids and titles), taken from the model without making the
    /// records, so that a build whose shards are all cached does not convert every body to
    /// plain text.
    pub(super) fn key(a: &Archive, lang: &str, ids: &[AbstractId]) -> u128 {
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        let mut put = |s: &str| {
            h.update(&(s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        };
        put(std::str::from_utf8(MAGIC).unwrap_or_default());
        put(&RECORD_FORMAT.to_string());
        put(env!("CARGO_PKG_VERSION"));
        put(PAGEFIND_VERSION);
        put(lang);
        put(&super::WORKS_PER_FRAGMENT_FILE.to_string());
        let names = |f: FacetName, list: &[u32], put: &mut dyn FnMut(&str)| {
            put(&list.len().to_string());
            for &v in list {
                put(&a.facet(f)[v as usize].name);
            }
        };
        for &id in ids {
            let w = a.work(id);
            put(&w.slug);
            put(&w.title);
            put(&w.body);
            put(&w.date.map(|d| d.first_day().iso()).unwrap_or_default());
            put(&w.date.map(|d| d.year().to_string()).unwrap_or_default());
            put(w.language.as_deref().unwrap_or("\0"));
            put(w.abstract_language.as_deref().unwrap_or("\0"));
            names(
                FacetName::Authors,
                w.authors.as_deref().unwrap_or(&[]),
                &mut put,
            );
            names(FacetName::Actors, &w.actors, &mut put);
            names(FacetName::Keywords, &w.keywords, &mut put);
            put(&w.periods.len().to_string());
            for &p in &w.periods {
                put(&a.periods[p as usize].id);
                put(&a.periods[p as usize].title);
            }
            put(&w.spheres.len().to_string());
            for &s in &w.spheres {
                put(&a.spheres[s as usize].id);
                put(&a.spheres[s as usize].title);
            }
        }
        h.digest128()
    }

    /// The version of the pagefind crate (its output format).
    const PAGEFIND_VERSION: &str = "1.6.0";

    fn path(dir: &Path, key: u128) -> PathBuf {
        dir.join("search").join(format!("{key:032x}.shard"))
    }

    /// The shard of `key`, if cached and readable.
    pub(super) fn get(dir: &Path, key: u128) -> Option<Vec<(String, Vec<u8>)>> {
        let p = path(dir, key);
        let mut f = std::fs::File::open(&p).ok()?;
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).ok()?;
        // Mark it used, for pruning.
        let _ = f.set_modified(std::time::SystemTime::now());
        decode(&bytes)
    }

    fn decode(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
        let mut rest = bytes.strip_prefix(MAGIC)?;
        let mut out = Vec::new();
        let take = |rest: &mut &[u8], n: usize| -> Option<Vec<u8>> {
            if rest.len() < n {
                return None;
            }
            let (a, b) = rest.split_at(n);
            *rest = b;
            Some(a.to_vec())
        };
        while !rest.is_empty() {
            let n = u64::from_le_bytes(take(&mut rest, 8)?.try_into().ok()?) as usize;
            let name = String::from_utf8(take(&mut rest, n)?).ok()?;
            let n = u64::from_le_bytes(take(&mut rest, 8)?.try_into().ok()?) as usize;
            out.push((name, take(&mut rest, n)?));
        }
        Some(out)
    }

    fn encode(files: &[(String, Vec<u8>)]) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        for (name, bytes) in files {
            out.extend_from_slice(&(name.len() as u64).to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            out.extend_from_slice(bytes);
        }
        out
    }

    /// Stores a shard (atomically: a reader never sees half a file) and prunes the cache.
    /// A cache that cannot be written is no error: the next build indexes again.
    pub(super) fn put(dir: &Path, key: u128, files: &[(String, Vec<u8>)]) {
        let p = path(dir, key);
        let Some(folder) = p.parent() else { return };
        if std::fs::create_dir_all(folder).is_err() {
            return;
        }
        let tmp = folder.join(format!(".{key:032x}.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, encode(files)).is_err() || std::fs::rename(&tmp, &p).is_err() {
            let _ = std::fs::remove_file(&tmp);
            return;
        }
        prune(folder);
    }

    fn prune(folder: &Path) {
        let Ok(entries) = std::fs::read_dir(folder) else {
            return;
        };
        let mut shards: Vec<(std::time::SystemTime, PathBuf)> = entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".shard"))
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .collect();
        if shards.len() <= KEEP {
            return;
        }
        shards.sort();
        for (_, p) in &shards[..shards.len() - KEEP] {
            let _ = std::fs::remove_file(p);
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn shards_round_trip_and_damage_is_a_miss() {
            let files = vec![
                ("pagefind.js".to_string(), b"js".to_vec()),
                ("fragment/x.pf_fragment".to_string(), vec![0, 1, 2]),
            ];
            let bytes = encode(&files);
            assert_eq!(decode(&bytes), Some(files));
            assert_eq!(decode(&bytes[..bytes.len() - 1]), None);
            assert_eq!(decode(b"something else"), None);
        }

        #[test]
        fn the_cache_keeps_the_most_recently_used_shards() {
            let dir = tempfile::tempdir().unwrap();
            for k in 0..(KEEP as u128 + 3) {
                put(
                    dir.path(),
                    k,
                    &[("a".to_string(), k.to_le_bytes().to_vec())],
                );
            }
            let n = std::fs::read_dir(dir.path().join("search"))
                .unwrap()
                .count();
            assert_eq!(n, KEEP);
            let last = KEEP as u128 + 2;
            assert_eq!(
                get(dir.path(), last),
                Some(vec![("a".to_string(), last.to_le_bytes().to_vec())])
            );
        }
    }
}

#[cfg(test)]
mod tests;
