//! The incremental build behind `watch`: the same pipeline as `dyad build --drafts`, rendering
//! into memory and only what changed.
//!
//! - Parsed files are cached by path; a file is re-read when an event names it or its size or
//!   modification time changed, and re-parsed only when its content hash changed.
//! - The model and the page plan are rebuilt from that cache on every rebuild (cheap), so no
//!   edit can leave them stale.
//! - A page is re-rendered only when its *fingerprint* changed: a hash of its context (see
//!   [`Views::fingerprint`]), of the closure of its template (see [`super::deps`]) and of the
//!   `site` fields that closure reads. Nothing is kept by hand: what a page depends on is what
//!   the plan and the templates say it shows.
//! - Rendered Markdown is cached per file together with every link lookup it made, and reused
//!   while the body and every lookup's answer are unchanged.
//!
//! A failed rebuild changes nothing: the last good site stays in the [`Store`].

use super::deps::{self, Closure};
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::LinkResolver;
use crate::model::{Drafts, FacetName};
use crate::pipeline::{self, Failure, Loaded, Options, Outcome, SiteLinks};
use crate::render::plan::PageKind;
use crate::render::views::{Views, hash_strs, value_hash};
use crate::render::{RenderError, Renderer, theme};
use crate::source::{self, Parsed, SourceFile};
use bytes::Bytes;
use caches::{BodyEntry, CachedFile, CachedStatic};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

/// Adds the time since its start to a counter when dropped.
struct RenderTimer<'a>(&'a std::sync::atomic::AtomicU64, Instant);

impl Drop for RenderTimer<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(
            self.1.elapsed().as_nanos() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
    }
}

/// For each page template: a hash of its closure (every template source it reads), of the
/// `site` fields that closure uses and of the interface strings (`messages`, a hash of them:
/// any template may say any of them) — what a page gets from its template and the globals.
fn template_keys(
    templates: &[(String, String)],
    site: &tera::Value,
    messages: u64,
) -> HashMap<&'static str, u64> {
    let site_fields: HashMap<String, u64> = site
        .as_map()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.to_string(), value_hash(v)))
                .collect()
        })
        .unwrap_or_default();
    let site_all = value_hash(site);
    // The effective template set: the theme's, overridden by the archive's.
    let mut all_templates: Vec<(String, String)> = theme::TEMPLATES
        .iter()
        .filter(|(n, _)| !templates.iter().any(|(m, _)| m == n))
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect();
    all_templates.extend(templates.iter().cloned());
    let closures = deps::closures(&all_templates);
    let key = |name: &str| -> u64 {
        let c = closures.get(name).cloned().unwrap_or_else(|| Closure {
            hash: xxh3_64(name.as_bytes()),
            site_all: true,
            ..Closure::default()
        });
        let mut h = Xxh3::new();
        h.update(&c.hash.to_le_bytes());
        h.update(&messages.to_le_bytes());
        if c.site_all {
            h.update(&site_all.to_le_bytes());
        } else {
            for f in &c.site_fields {
                h.update(f.as_bytes());
                h.update(&site_fields.get(f).copied().unwrap_or(0).to_le_bytes());
            }
        }
        h.digest()
    };
    PAGE_TEMPLATES.iter().map(|&t| (t, key(t))).collect()
}

/// Every template a page kind renders with (see `PageKind::template`).
const PAGE_TEMPLATES: [&str; 14] = [
    "index.html",
    "abstract.html",
    "periods.html",
    "period.html",
    "spheres.html",
    "sphere.html",
    "timeline.html",
    "search.html",
    "cross.html",
    "facets.html",
    "facet.html",
    "page.html",
    "404.html",
    "redirect.html",
];

/// A rendered page: output file, fingerprint, new bytes (None: unchanged), findings of its
/// body.
type Rendered = (String, u64, Option<Bytes>, Vec<Diagnostic>);

/// What every page of one full rebuild shares.
struct Round<'a> {
    archive: &'a crate::model::Archive,
    links: &'a SiteLinks<'a>,
    views: &'a Views<'a>,
    renderer: &'a Renderer,
    period_html: &'a [String],
    sphere_html: &'a [String],
    inputs: &'a HashMap<String, u64>,
    template_keys: &'a HashMap<&'static str, u64>,
    config_key: u64,
    base: &'a str,
    render_nanos: &'a std::sync::atomic::AtomicU64,
}

mod caches;
mod fast;
mod regroup;

/// The fingerprint of a download, feed or `oai.xml` (None for pages), from what it is made of
/// without making it: the settings, the page and the source files of the works it lists, their
/// periods, spheres and facet names (a keyword is shown as first spelled by any work), and
/// the titles of all periods and spheres.
fn data_fingerprint(r: &Round, kind: &PageKind, url: &str) -> Option<u64> {
    use crate::model::AbstractId;
    use crate::render::plan::FeedOf;
    let a = r.archive;
    let published = |ids: &mut dyn Iterator<Item = AbstractId>| -> Vec<AbstractId> {
        ids.filter(|&id| !a.work(id).draft).collect()
    };
    let every = || 0..a.abstracts.len() as AbstractId;
    let members: Vec<AbstractId> = match kind {
        PageKind::WorkData(id, _) => vec![*id],
        PageKind::ListData(crate::cite::List::All, _) | PageKind::Oai => published(&mut every()),
        PageKind::ListData(crate::cite::List::Period(p), _) => {
            published(&mut a.periods[*p as usize].members.iter().copied())
        }
        PageKind::ListData(crate::cite::List::Sphere(s), _) => {
            published(&mut a.spheres[*s as usize].members.iter().copied())
        }
        PageKind::Feed(of) => {
            let list = match of {
                FeedOf::Period(p) => &a.periods[*p as usize].members[..],
                FeedOf::Sphere(s) => &a.spheres[*s as usize].members[..],
                FeedOf::Cross(p, s) => a.cross(*p, *s),
                FeedOf::Author(v) => &a.facet(FacetName::Authors)[*v as usize].members[..],
            };
            let mut m = published(&mut list.iter().copied());
            m.truncate(50);
            m
        }
        _ => return None,
    };
    let mut h = Xxh3::new();
    h.update(url.as_bytes());
    h.update(&r.config_key.to_le_bytes());
    if let PageKind::Feed(of) = kind {
        // Its title says "<sphere> in <period>" in the site's language.
        hash_strs(&mut h, [pipeline::feed_title(a, r.views, *of).as_str()]);
    }
    hash_strs(
        &mut h,
        a.periods
            .iter()
            .flat_map(|p| [p.id.as_str(), p.title.as_str()])
            .chain(
                a.spheres
                    .iter()
                    .flat_map(|s| [s.id.as_str(), s.title.as_str()]),
            ),
    );
    for id in members {
        let w = a.work(id);
        h.update(&r.inputs.get(&w.rel).copied().unwrap_or(0).to_le_bytes());
        h.update(w.slug.as_bytes());
        for &p in &w.periods {
            h.update(&p.to_le_bytes());
        }
        h.update(&[0xfe]);
        for &s in &w.spheres {
            h.update(&s.to_le_bytes());
        }
        for (f, list) in w.facet_values() {
            hash_strs(
                &mut h,
                list.iter().map(|&v| a.facet(f)[v as usize].name.as_str()),
            );
        }
    }
    Some(h.digest())
}

/// The site as served: output file path (relative to the base path, `abstracts/x/index.html`)
/// → bytes, exactly as `dyad build` would write them.
#[derive(Debug, Default, Clone)]
pub struct Store {
    /// The files.
    pub files: HashMap<String, Bytes>,
}

/// What one rebuild changed.
#[derive(Debug, Default)]
pub struct Change {
    /// Output files added, changed or removed, sorted.
    pub files: Vec<String>,
    /// Pages rendered (templates run).
    pub rendered: usize,
    /// Source files that changed since the last rebuild (relative to the root), sorted.
    pub sources: Vec<String>,
    /// Whether only style sheets changed among the inputs (the browser swaps CSS, no reload).
    pub css_only: bool,
    /// Warnings of the rebuild.
    pub warnings: Diagnostics,
    /// Wall time.
    pub elapsed: Duration,
    /// Which way the rebuild went.
    pub route: Route,
}

/// The ways a rebuild can go, cheapest first.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Only bodies of existing works changed: their pages and the feed.
    Bodies,
    /// Works moved between spheres or periods: the model patched, the pages that can show a
    /// membership fingerprinted.
    Memberships,
    /// Everything else: model and plan rebuilt from the cache, every page fingerprinted.
    #[default]
    Full,
}

/// Why a rebuild failed: the archive has errors, or an I/O or internal failure.
#[derive(Debug)]
pub enum Failed {
    /// Content errors (and the warnings found with them).
    Invalid(Diagnostics),
    /// Not the content's fault.
    Failure(String, Diagnostics),
}

impl Failed {
    /// Everything to show, with an I/O or internal failure as one more diagnostic.
    pub fn diagnostics(&self) -> Diagnostics {
        match self {
            Failed::Invalid(d) => d.clone(),
            Failed::Failure(m, d) => {
                let mut d = d.clone();
                d.push(Diagnostic::error("dyad", m.clone()));
                d
            }
        }
    }
}

impl From<Outcome> for Failed {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Invalid(d) => Failed::Invalid(d),
            Outcome::Failed(f, d) => Failed::Failure(f.to_string(), d),
        }
    }
}

/// What the last good full rebuild left for the bodies-only path.
struct LastGood {
    /// Shared with the search indexer of `watch` (see [`Engine::archive`]); edits patch it
    /// with `Arc::make_mut`, which copies it only while the indexer still reads it.
    archive: Arc<crate::model::Archive>,
    /// The sites in the archive's further languages (see [`Loaded::others`]), for the
    /// search indexer.
    others: Vec<Arc<crate::model::Archive>>,
    renderer: Renderer,
    urls: Arc<HashSet<String>>,
    period_html: Vec<String>,
    sphere_html: Vec<String>,
    /// The page plan (kept while an edit changes no URL).
    plan: crate::render::plan::Plan,
    /// The archive's templates.
    templates: Vec<(String, String)>,
    /// Each work's summary and its key (see [`Views::into_summaries`]).
    summaries: (Vec<crate::render::views::Kept>, Vec<tera::Value>),
    /// Each page template's key (see [`template_keys`]).
    template_keys: HashMap<&'static str, u64>,
    config_key: u64,
    /// The style sheet's URL, relative to the base path.
    stylesheet: String,
    /// The warnings of that rebuild that do not come from rendering bodies.
    base_warnings: Diagnostics,
}

/// The incremental builder.
pub struct Engine {
    opts: Options,
    files: RwLock<HashMap<String, CachedFile>>,
    bodies: RwLock<HashMap<String, BodyEntry>>,
    statics: HashMap<String, CachedStatic>,
    /// Output file → fingerprint of what it was rendered from.
    fingerprints: HashMap<String, u64>,
    /// The sitemap files, for the hash of the URL list they were made from.
    sitemaps: (u64, Vec<(String, Bytes)>),
    /// Rendered list items, valid for the template set whose hash is beside it.
    summaries: (u64, crate::render::views::WatchCache),
    store: Arc<Store>,
    /// Hash of each input (content file, template, static, archive.yaml) at the last good
    /// rebuild, to say what changed.
    inputs: HashMap<String, u64>,
    first: bool,
    /// The last scan, reused while edits only change files it already lists.
    scan: Option<(source::Scan, Vec<Diagnostic>)>,
    last: Option<LastGood>,
    memo: crate::model::assemble::Memo,
    /// Formatted references (see `cite::memo`), saved to the cache after a full rebuild.
    references: Arc<crate::cite::memo::Memo>,
    /// Set by tests: the next rebuild panics (to prove `watch` survives a bug).
    #[cfg(test)]
    pub(crate) panic_next: bool,
}

/// Equal contents; the same buffer (a page kept from the last rebuild) without comparing.
fn same_bytes(a: &Bytes, b: &Bytes) -> bool {
    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
}

impl Engine {
    /// An engine for the archive in `opts.root`; `opts.base_url` should be the local address.
    /// Drafts are always included, as `build --drafts` renders them.
    pub fn new(mut opts: Options) -> Engine {
        opts.drafts = Drafts::Include;
        crate::markdown::remember_plain_texts();
        crate::cite::remember_entries();
        let references = Arc::new(
            crate::cite::memo::Memo::open(opts.cache.as_deref(), &opts.root).keep_in_memory(),
        );
        Engine {
            references,
            opts,
            files: RwLock::new(HashMap::new()),
            bodies: RwLock::new(HashMap::new()),
            statics: HashMap::new(),
            fingerprints: HashMap::new(),
            summaries: Default::default(),
            sitemaps: (0, Vec::new()),
            store: Arc::new(Store::default()),
            inputs: HashMap::new(),
            first: true,
            scan: None,
            last: None,
            memo: Default::default(),
            #[cfg(test)]
            panic_next: false,
        }
    }

    /// Saves the references formatted so far to the cache, and reopens it.
    fn save_references(&mut self) {
        let placeholder = Arc::new(crate::cite::memo::Memo::none());
        let memo = std::mem::replace(&mut self.references, placeholder);
        match Arc::try_unwrap(memo) {
            Ok(m) if m.has_new() => {
                m.save();
                self.references = Arc::new(
                    crate::cite::memo::Memo::open(self.opts.cache.as_deref(), &self.opts.root)
                        .keep_in_memory(),
                );
            }
            Ok(m) => self.references = Arc::new(m),
            Err(memo) => self.references = memo,
        }
    }

    /// The last good site.
    pub fn store(&self) -> Arc<Store> {
        Arc::clone(&self.store)
    }

    /// The last good model of every language's site, the default first.
    pub(crate) fn archives(&self) -> Vec<Arc<crate::model::Archive>> {
        self.last
            .iter()
            .flat_map(|l| std::iter::once(&l.archive).chain(&l.others))
            .map(Arc::clone)
            .collect()
    }

    /// The options the engine builds with.
    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// A hash of every input, to say what changed: content files (from the cache), templates,
    /// the archive's messages (`i18n/`) and archive.yaml (static files are added by
    /// [`Engine::read_statics`]).
    fn inputs_of(
        &self,
        templates: &[(String, String)],
        messages: &crate::i18n::Messages,
    ) -> HashMap<String, u64> {
        let mut inputs = HashMap::with_capacity(self.inputs.len() + 16);
        for (rel, c) in self
            .files
            .read()
            .expect("no panic holding the cache")
            .iter()
        {
            inputs.insert(rel.clone(), c.hash);
        }
        for (name, text) in templates {
            inputs.insert(format!("templates/{name}"), xxh3_64(text.as_bytes()));
        }
        for (rel, hash) in messages.files() {
            inputs.insert(rel.clone(), *hash);
        }
        if let Ok(b) = std::fs::read(self.opts.root.join("archive.yaml")) {
            inputs.insert("archive.yaml".to_string(), xxh3_64(&b));
        }
        inputs
    }

    /// The static files of the site: the theme's, overridden by the archive's (read through
    /// the cache, their hashes added to `inputs`).
    fn read_statics(
        &mut self,
        statics: &[(String, PathBuf)],
        forced: &HashSet<PathBuf>,
        inputs: &mut HashMap<String, u64>,
    ) -> Result<BTreeMap<String, Bytes>, Vec<Diagnostic>> {
        let mut static_bytes: BTreeMap<String, Bytes> = BTreeMap::new();
        for (name, bytes) in theme::STATIC {
            static_bytes.insert(name.to_string(), Bytes::from_static(bytes));
        }
        let mut errors = Vec::new();
        for (name, path) in statics {
            match self.read_static(name, path, forced) {
                Ok(b) => {
                    inputs.insert(format!("static/{name}"), xxh3_64(&b));
                    static_bytes.insert(name.clone(), b);
                }
                Err(d) => errors.push(d),
            }
        }
        self.statics
            .retain(|n, _| statics.iter().any(|(m, _)| m == n));
        if errors.is_empty() {
            Ok(static_bytes)
        } else {
            Err(errors)
        }
    }

    /// One page of a full rebuild: its fingerprint, and its bytes when that changed (None
    /// for files that are not rendered with a template).
    fn page(
        &self,
        r: &Round,
        job: &crate::render::plan::PageJob,
    ) -> Option<Result<Rendered, RenderError>> {
        if let Some(fp) = data_fingerprint(r, &job.kind, &job.url) {
            let file = crate::output::url_to_file(&job.url).expect("plan checked every URL");
            if self.fingerprints.get(&file) == Some(&fp) && self.store.files.contains_key(&file) {
                return Some(Ok((file, fp, None, Vec::new())));
            }
            let text = pipeline::data_file(r.archive, r.views, &job.kind).unwrap_or_default();
            return Some(Ok((file, fp, Some(Bytes::from(text)), Vec::new())));
        }
        let template = job.kind.template()?;
        let page_url = format!("{}{}", r.base, job.url);
        let file = crate::output::url_to_file(&job.url).expect("plan checked every URL");
        let body = match &job.kind {
            PageKind::Abstract(id) => {
                let w = r.archive.work(*id);
                Some(self.body(r.links, &w.rel, &w.body, w.body_line, &page_url))
            }
            PageKind::Page(i) => {
                let p = &r.archive.pages[*i as usize];
                Some(self.body(r.links, &p.rel, &p.body, p.body_line, &page_url))
            }
            _ => None,
        };
        let mut ds = Vec::new();
        let (html, key) = match body {
            Some((html, key, d)) => {
                ds = d;
                (Some(html), Some(key))
            }
            None => (None, None),
        };
        // The pages there are most of are fingerprinted from what their context is made of,
        // without building it. An abstract page shows its work's file, the work's summary
        // (which carries its periods' and spheres' titles and URLs), its facet values' names
        // and slugs, its related works' summaries, its body and the settings; a facet value's page the value and its works'
        // summaries. Every other page hashes its context (see `Views::fingerprint`).
        let direct = match &job.kind {
            PageKind::Abstract(id) => {
                let w = r.archive.work(*id);
                let mut h = Xxh3::new();
                h.update(&r.inputs.get(&w.rel).copied().unwrap_or(0).to_le_bytes());
                h.update(r.views.summary_key(*id).unwrap_or("").as_bytes());
                // A keyword is shown as first spelled by any work: other works decide.
                for (f, list) in w.facet_values() {
                    hash_strs(
                        &mut h,
                        list.iter().flat_map(|&v| {
                            let value = &r.archive.facet(f)[v as usize];
                            [value.name.as_str(), value.slug.as_str()]
                        }),
                    );
                }
                // Its related works, by their summaries.
                hash_strs(
                    &mut h,
                    r.archive.related[*id as usize]
                        .iter()
                        .map(|&m| r.views.summary_key(m).unwrap_or("")),
                );
                h.update(key.as_deref().unwrap_or("").as_bytes());
                h.update(job.url.as_bytes());
                h.update(&r.config_key.to_le_bytes());
                h.update(&r.template_keys[template].to_le_bytes());
                Some(h.digest())
            }
            // A facet value's page shows the value and the summaries of its works.
            PageKind::FacetValue(f, v, _) => {
                let value = &r.archive.facet(*f)[*v as usize];
                let mut h = Xxh3::new();
                hash_strs(&mut h, [f.as_str(), value.name.as_str()]);
                hash_strs(
                    &mut h,
                    value
                        .members
                        .iter()
                        .map(|&m| r.views.summary_key(m).unwrap_or("")),
                );
                h.update(job.url.as_bytes());
                h.update(&r.config_key.to_le_bytes());
                h.update(&r.template_keys[template].to_le_bytes());
                Some(h.digest())
            }
            _ => None,
        };
        let fp = direct.unwrap_or_else(|| {
            r.views
                .fingerprint(&job.url, &job.kind, key, r.period_html, r.sphere_html)
                ^ r.template_keys[template].rotate_left(17)
        });
        if self.fingerprints.get(&file) == Some(&fp) && self.store.files.contains_key(&file) {
            return Some(Ok((file, fp, None, ds)));
        }
        let render_start = Instant::now();
        let ctx = r.views.context(
            &job.url,
            &job.kind,
            html.map(|h| h.to_string()),
            r.period_html,
            r.sphere_html,
        );
        let _time = RenderTimer(r.render_nanos, render_start);
        Some(
            r.renderer
                .render_with(template, &ctx, Bytes::copy_from_slice)
                .map(|b| (file, fp, Some(b), ds)),
        )
    }

    /// Sitemaps (reused while the URL list is the same), the feed and robots.txt.
    fn site_files(
        &mut self,
        archive: &crate::model::Archive,
        plan: &crate::render::plan::Plan,
        files: &mut HashMap<String, Bytes>,
    ) {
        let urls = pipeline::sitemap_urls(archive, plan);
        let sitemap_key = {
            let mut h = Xxh3::new();
            hash_strs(&mut h, urls.iter().map(String::as_str));
            h.digest() | 1
        };
        if self.sitemaps.0 != sitemap_key {
            let made = crate::feeds::sitemaps(&archive.config.base_url, &urls)
                .into_iter()
                .map(|(f, t)| (f, Bytes::from(t)))
                .collect();
            self.sitemaps = (sitemap_key, made);
        }
        for (file, bytes) in &self.sitemaps.1 {
            files.insert(file.clone(), bytes.clone());
        }
        for (file, text) in [pipeline::atom_file(archive), pipeline::robots_file(archive)] {
            files.insert(file, Bytes::from(text));
        }
    }

    /// The output files added, changed or removed against the served site, and the inputs
    /// changed since the last good rebuild; both sorted.
    fn differences(
        &self,
        files: &HashMap<String, Bytes>,
        inputs: &HashMap<String, u64>,
    ) -> (Vec<String>, Vec<String>) {
        let old = &self.store.files;
        let mut changed: Vec<String> = files
            .iter()
            .filter(|(f, b)| !old.get(*f).is_some_and(|o| same_bytes(o, b)))
            .map(|(f, _)| f.clone())
            .chain(old.keys().filter(|f| !files.contains_key(*f)).cloned())
            .collect();
        changed.sort();
        let mut sources: Vec<String> = inputs
            .iter()
            .filter(|(k, v)| self.inputs.get(*k) != Some(*v))
            .map(|(k, _)| k.clone())
            .chain(
                self.inputs
                    .keys()
                    .filter(|k| !inputs.contains_key(*k))
                    .cloned(),
            )
            .collect();
        sources.sort();
        (changed, sources)
    }

    /// Rebuilds after the files in `changed` (absolute paths, from the watcher; may be empty)
    /// changed. On success the store holds the new site; on failure it is untouched.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Change, Failed> {
        #[cfg(test)]
        if std::mem::take(&mut self.panic_next) {
            panic!("a test asked this rebuild to panic");
        }
        let start = Instant::now();
        let mut t = Instant::now();
        let forced: HashSet<PathBuf> = changed
            .iter()
            .flat_map(|p| {
                let canon = p.canonicalize().ok();
                std::iter::once(p.clone()).chain(canon)
            })
            .collect();
        if !changed.is_empty()
            // A multilingual archive's edit may touch every language's site: the full rebuild.
            && self.last.as_ref().is_some_and(|l| l.others.is_empty())
            && let Some(mut last) = self.last.take()
            && let Some(edits) = self.edited_abstracts(&forced)
        {
            // A fast path that fails or refuses may have patched `last`: it is kept only when
            // one succeeds (else the next rebuild is a full one).
            let fast = match self.bodies_only(&mut last, &edits, start) {
                Some(r) => Some(r),
                None => self.regroup(&mut last, &edits, start),
            };
            if let Some(r) = fast {
                if r.is_ok() {
                    self.last = Some(last);
                }
                return r;
            }
        }
        self.last = None;
        // With the watcher's list of changed paths, unnamed files are trusted to be as cached,
        // and the last scan is reused when every named path is a file it already lists. With
        // no list (the first build, a rescan), every file is checked.
        let trust = !changed.is_empty();
        let reuse = match self.scan.take() {
            Some(s)
                if trust
                    && forced.iter().all(|p| {
                        p.is_file()
                            && (s.0.files.iter().any(|f| &f.abs == p)
                                || s.0.templates.iter().any(|(_, q)| q == p)
                                || s.0.statics.iter().any(|(_, q)| q == p)
                                || p.file_name().is_some_and(|n| n == "archive.yaml")
                                // Messages are read apart from the scan.
                                || p.starts_with(self.opts.root.join("i18n")))
                    }) =>
            {
                Some(s)
            }
            _ => None,
        };
        let mut memo = std::mem::take(&mut self.memo);
        let loaded = pipeline::load_with(
            &self.opts,
            reuse,
            Some(&mut memo),
            &|f: &SourceFile, translated: &[String]| self.parse_file(f, translated, &forced, trust),
        );
        self.memo = memo;
        if let Ok(l) = &loaded {
            // Forget files that are gone (pages are also rendered from `bodies`, keyed alike).
            let seen: rustc_hash::FxHashSet<&str> =
                l.scan.0.files.iter().map(|f| f.rel.as_str()).collect();
            self.files
                .write()
                .expect("no panic holding the cache")
                .retain(|rel, _| seen.contains(rel.as_str()));
            self.bodies
                .write()
                .expect("no panic holding the cache")
                .retain(|rel, _| seen.contains(rel.as_str()));
        }
        pipeline::stage("watch: load", &mut t);
        let Loaded {
            archive,
            plan,
            others,
            templates,
            messages,
            mut diags,
            scan,
        } = loaded?;
        let statics = scan.0.statics.clone();
        self.scan = Some(scan);
        let messages_key = messages.key();
        let renderer = match Renderer::new(&templates, Arc::clone(&messages)) {
            Ok(r) => Some(r),
            Err(errors) => {
                for e in errors {
                    match e {
                        RenderError::Content(d) => diags.push(d),
                        RenderError::Internal(m) => {
                            return Err(Failed::Failure(Failure::Internal(m).to_string(), diags));
                        }
                    }
                }
                None
            }
        };
        pipeline::stage("watch: templates", &mut t);
        if diags.has_errors() {
            pipeline::check_bodies(&archive, &plan, &mut diags);
            return Err(Failed::Invalid(diags));
        }
        let mut renderer = renderer.expect("no errors means the templates loaded");

        let mut inputs = self.inputs_of(&templates, &messages);
        let static_bytes = match self.read_statics(&statics, &forced, &mut inputs) {
            Ok(b) => b,
            Err(ds) => {
                diags.extend(ds);
                return Err(Failed::Invalid(diags));
            }
        };
        pipeline::stage("watch: statics", &mut t);
        let links = SiteLinks::new(&archive, &plan);
        let (period_html, sphere_html) = pipeline::descriptions(&archive, &links, &mut diags);
        let templates_key = {
            let mut h = Xxh3::new();
            hash_strs(
                &mut h,
                templates.iter().flat_map(|(n, t)| [n.as_str(), t.as_str()]),
            );
            // List items carry interface strings too.
            h.update(&messages_key.to_le_bytes());
            hash_strs(&mut h, [archive.config.language.as_str()]);
            h.digest()
        };
        if self.summaries.0 != templates_key {
            self.summaries = (templates_key, Default::default());
        }
        self.summaries.1.trim(archive.abstracts.len());
        self.summaries.1.files = inputs.iter().map(|(k, v)| (k.clone(), *v)).collect();
        let references = Arc::clone(&self.references);
        let mut views = match Views::new_cached(&archive, &renderer, Some(&self.summaries.1)) {
            Ok(v) => v,
            Err(RenderError::Content(d)) => {
                diags.push(d);
                return Err(Failed::Invalid(diags));
            }
            Err(RenderError::Internal(m)) => return Err(Failed::Failure(m, diags)),
        };
        views.use_references(&references);
        if !others.is_empty() {
            views.use_site_urls(Arc::clone(&plan.urls));
        }
        pipeline::stage("watch: views", &mut t);
        let stylesheet = pipeline::stylesheet_url_of(
            static_bytes
                .get("style.css")
                .map(|b| b.as_ref())
                .unwrap_or_default(),
        );
        let site = views.site(&stylesheet, &period_html, &sphere_html);
        let template_keys = template_keys(&templates, &site, messages_key);
        renderer.set_global("site", &site);

        pipeline::stage("watch: site and closures", &mut t);
        let base_warnings = diags.clone();
        // Fingerprint every page; render those whose fingerprint changed.
        let base = archive.config.base_path();
        let old_store = &self.store;
        let config_key = {
            let mut h = Xxh3::new();
            h.update(
                &inputs
                    .get("archive.yaml")
                    .copied()
                    .unwrap_or(0)
                    .to_le_bytes(),
            );
            h.update(self.opts.base_url.as_deref().unwrap_or("").as_bytes());
            // Every page offers the languages it exists in: in a multilingual archive, each
            // page of the default site depends on the other sites' URLs (an order-free sum).
            if !others.is_empty() {
                let urls = plan.urls.iter().fold(0u64, |acc, u| {
                    acc.wrapping_add(xxhash_rust::xxh3::xxh3_64(u.as_bytes()))
                });
                h.update(&urls.to_le_bytes());
            }
            h.digest()
        };
        let render_nanos = std::sync::atomic::AtomicU64::new(0);
        let round = Round {
            archive: &archive,
            links: &links,
            views: &views,
            renderer: &renderer,
            period_html: &period_html,
            sphere_html: &sphere_html,
            inputs: &inputs,
            template_keys: &template_keys,
            config_key,
            base,
            render_nanos: &render_nanos,
        };
        let results: Vec<Result<Rendered, RenderError>> = plan
            .jobs
            .par_iter()
            .filter_map(|job| self.page(&round, job))
            .collect();

        if std::env::var_os("DYAD_LOG").is_some_and(|v| v == "debug") {
            eprintln!(
                "debug: watch: of which rendering (CPU time over threads): {:.3} s",
                render_nanos.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e9
            );
        }
        pipeline::stage("watch: fingerprint and render", &mut t);
        let mut files: HashMap<String, Bytes> = HashMap::with_capacity(plan.jobs.len() + 16);
        let mut fingerprints = HashMap::with_capacity(plan.jobs.len());
        let mut rendered = 0;
        for r in results {
            match r {
                Ok((file, fp, bytes, ds)) => {
                    diags.extend(ds);
                    let bytes = match bytes {
                        Some(b) => {
                            // Pages, not citation downloads.
                            rendered += usize::from(file.ends_with(".html"));
                            b
                        }
                        None => old_store.files[&file].clone(),
                    };
                    fingerprints.insert(file.clone(), fp);
                    files.insert(file, bytes);
                }
                Err(RenderError::Content(d)) => diags.push(d),
                Err(RenderError::Internal(m)) => return Err(Failed::Failure(m, diags)),
            }
        }
        self.site_files(&archive, &plan, &mut files);
        // The other languages' sites are rendered whole: they are as many pages again, and
        // an edit of one file can change any of them.
        for (a, p) in &others {
            match pipeline::render_other_site(
                a,
                p,
                &plan,
                &templates,
                &messages,
                &stylesheet,
                &references,
                &mut diags,
            ) {
                Ok(made) => {
                    rendered += made.iter().filter(|(f, _)| f.ends_with(".html")).count();
                    files.extend(made.into_iter().map(|(f, b)| (f, Bytes::from(b))));
                }
                Err(f) => return Err(Failed::Failure(f.to_string(), diags)),
            }
        }
        files.extend(static_bytes);
        pipeline::stage("watch: site files", &mut t);
        if diags.has_errors() {
            return Err(Failed::Invalid(diags));
        }

        let (changed_files, sources) = self.differences(&files, &inputs);
        pipeline::stage("watch: compare", &mut t);
        let css_only = !self.first
            && !sources.is_empty()
            && sources
                .iter()
                .all(|s| s.starts_with("static/") && s.ends_with(".css"));
        self.first = false;
        self.inputs = inputs;
        self.fingerprints = fingerprints;
        self.store = Arc::new(Store { files });
        let urls = links.urls();
        drop(links);
        let summaries = views.into_summaries();
        drop(references);
        self.save_references();
        self.last = Some(LastGood {
            archive: Arc::new(archive),
            others: others.into_iter().map(|(a, _)| Arc::new(a)).collect(),
            renderer,
            urls,
            period_html,
            sphere_html,
            plan,
            templates,
            summaries,
            template_keys,
            config_key,
            stylesheet,
            base_warnings,
        });
        Ok(Change {
            files: changed_files,
            rendered,
            sources,
            css_only,
            warnings: diags,
            elapsed: start.elapsed(),
            route: Route::Full,
        })
    }
}

#[cfg(test)]
#[path = "engine/tests.rs"]
mod tests;
