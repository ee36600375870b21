//! What each template sees: the serde views of the model, one context per [`PageKind`].
//!
//! The contexts are documented at the top of each template in `templates/` (and in the README).
//! A page's context holds what the page shows and no more: listings are compact summaries,
//! whose values are built once per work as tera values (see [`Kept`]: a listing makes a map
//! of them for each work it shows, which costs copies of reference-counted values, not a
//! re-serialization). Site-wide navigation is the `site` global, built once.

use super::plan::{
    PageKind, Pager, abstract_url, cross_url, facet_url, page_count, period_url, sphere_url,
};
use super::{RenderError, Renderer};
use crate::i18n::{Arg, Messages};
use crate::model::{AbstractId, Archive, FacetName, PeriodId, SphereId};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::sync::Arc;
use tera::{Context, Value};

/// What `watch` keeps between rebuilds for [`Views::new_cached`]; empty it when a template
/// changes.
#[derive(Default)]
pub(crate) struct WatchCache {
    /// Rendered list items by the hash of their summary.
    html: std::sync::Mutex<std::collections::HashMap<u64, String>>,
    /// Finished (summary, key) pairs by a hash of everything a summary is made from: the
    /// work's file, the base path, its slug, its periods' and spheres' ids and titles and its
    /// authors' names.
    items: std::sync::Mutex<std::collections::HashMap<u64, (Kept, Value)>>,
    /// The content hash of each work's file (by path from the root), set before each use.
    pub files: std::collections::HashMap<String, u64>,
}

impl WatchCache {
    /// Keeps the cache from growing without bound over a long session.
    pub fn trim(&self, works: usize) {
        let limit = 4 * works + 1024;
        let mut h = self.html.lock().expect("no panic holding the cache");
        if h.len() > limit {
            h.clear();
        }
        let mut i = self.items.lock().expect("no panic holding the cache");
        if i.len() > limit {
            i.clear();
        }
    }
}

/// The `pager` context of a page of a paginated list (see `pager` in components.html).
#[derive(Serialize)]
struct PagerView {
    /// This page and the number of pages, from 1.
    page: u32,
    pages: u32,
    /// Works in the whole list, and the first and last shown (from 1).
    count: usize,
    first: usize,
    last: usize,
    by_title: bool,
    prev: Option<String>,
    next: Option<String>,
    by_date_url: String,
    by_title_url: Option<String>,
    links: Vec<serde_json::Value>,
}

impl PagerView {
    /// Puts the page's `<link rel=prev/next>` into `meta`, and which page it is into its title.
    fn annotate(&self, meta: &mut PageMeta, views: &Views) {
        meta.prev = self.prev.clone();
        meta.next = self.next.clone();
        if self.pages > 1 || self.by_title {
            let (head, tail) = meta
                .title
                .split_once(" — ")
                .map_or((meta.title.clone(), String::new()), |(h, t)| {
                    (h.to_string(), format!(" — {t}"))
                });
            let key = if self.by_title {
                "title-page-by-title"
            } else {
                "title-page"
            };
            let head = views.t(
                key,
                &[
                    ("title", Arg::Str(&head)),
                    ("page", self.page.into()),
                    ("pages", self.pages.into()),
                ],
            );
            meta.title = format!("{head}{tail}");
        }
    }
}

/// Everything built once per build and shared by all pages.
pub(crate) struct Views<'a> {
    a: &'a Archive,
    base_path: &'a str,
    summaries: Vec<Kept>,
    /// Per summary, a short hash of it: what fingerprints put in place of the summary.
    summary_keys: Vec<Value>,
    period_links: Vec<Value>,
    sphere_links: Vec<Value>,
    facet_links: [Vec<Value>; 3],
    /// Where formatted references come from (None: formatted on the spot).
    references: Option<&'a crate::cite::memo::Memo>,
    /// Every URL of the site, every language's, relative to the root (see
    /// [`Views::use_site_urls`]); None: every page exists in every language.
    site_urls: Option<std::sync::Arc<std::collections::HashSet<String>>>,
    /// The interface strings, in the language of the site being built (`config.language`).
    messages: Arc<Messages>,
}

/// One of the archive's languages, as a page offers it: hreflang alternates and the
/// language switch.
#[derive(Serialize)]
struct PageLanguage {
    code: String,
    /// Its own name for itself.
    name: String,
    /// Root-relative: this page in that language, or that language's home when the page does
    /// not exist there (a keyword that the translations spell differently).
    url: String,
    /// Absolute URL of this page in that language (an hreflang alternate), when it exists.
    href: Option<String>,
    current: bool,
    default: bool,
}

#[derive(Serialize)]
struct Link<'a> {
    title: Cow<'a, str>,
    url: String,
}

#[derive(Serialize)]
struct NameLink<'a> {
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Counted<'a> {
    title: &'a str,
    url: Option<String>,
    count: usize,
}

#[derive(Serialize)]
struct Crumb<'a> {
    title: Cow<'a, str>,
    url: Option<String>,
}

#[derive(Serialize)]
struct PageMeta<'a> {
    url: String,
    /// The URL relative to the language's base path.
    path: String,
    /// The archive's languages (none for a single-language archive): where this page is in
    /// each (see [`PageLanguage`]).
    languages: Vec<PageLanguage>,
    canonical: String,
    title: String,
    description: std::borrow::Cow<'a, str>,
    breadcrumbs: Vec<Crumb<'a>>,
    noindex: bool,
    draft: bool,
    /// The previous and next page of a paginated listing (`<link rel=prev/next>`).
    prev: Option<String>,
    next: Option<String>,
    /// The page's own Atom feed (periods, spheres, cross pages, authors), if it has one.
    feed: Option<String>,
}

/// A work's summary as the views keep it: the values of its fields, in the order of
/// [`SUMMARY_KEYS`], without the map. A tera map per work held its own copy of every key
/// and a hash table: at 100,000 works, what the listings kept was 1.5 kB per work, most of it
/// the maps. A listing makes the map of each work it shows from these (see [`Kept::value`]).
/// `watch` (which keeps the views between rebuilds and renders few listings each time) keeps
/// the map itself, as made once.
#[derive(Clone)]
pub(crate) enum Kept {
    Values(Arc<[Value]>),
    Map(Value),
}

/// The fields of a summary in a listing's context, in the order [`Summary`] serializes them,
/// with its rendered list item (`html`) last.
const SUMMARY_KEYS: [&str; 12] = [
    "title",
    "url",
    "authors",
    "authors_unknown",
    "date",
    "date_iso",
    "spheres",
    "periods",
    "draft",
    "lang",
    "shown_in",
    "html",
];

impl Kept {
    /// Keeps `summary` (a [`Summary`]) with its rendered item `html`: as its values, or as
    /// the map itself (`as_map`, for `watch`).
    fn new(summary: Value, html: String, as_map: bool) -> Kept {
        let mut map = summary.into_map().unwrap_or_default();
        map.insert("html".into(), Value::from(html));
        debug_assert!(
            map.keys().map(|k| k.as_str()).eq(SUMMARY_KEYS.map(Some)),
            "Summary's fields and the item are SUMMARY_KEYS"
        );
        match as_map {
            true => Kept::Map(Value::from(map)),
            false => Kept::Values(map.into_values().collect()),
        }
    }

    /// The summary as a listing shows it: a map of its fields.
    pub(crate) fn value(&self) -> Value {
        let values = match self {
            Kept::Values(v) => v,
            Kept::Map(m) => return m.clone(),
        };
        let map: tera::value::Map = SUMMARY_KEYS
            .iter()
            .zip(values.iter())
            .map(|(k, v)| (tera::value::Key::Str(k), v.clone()))
            .collect();
        Value::from(map)
    }
}

#[derive(Serialize)]
struct Summary<'a> {
    title: &'a str,
    url: String,
    authors: String,
    authors_unknown: bool,
    date: String,
    date_iso: String,
    spheres: &'a [Value],
    periods: &'a [Value],
    draft: bool,
    lang: &'a str,
    /// When the abstract is not in the site's language (no translation, or written in
    /// another): that language, `{code, name}`, for a mark in listings.
    shown_in: Option<LanguageView>,
}

/// A language: its tag and its own name for itself.
#[derive(Serialize, Clone)]
struct LanguageView {
    code: String,
    name: String,
}

/// One of the archive's languages as the `site` global lists it.
#[derive(Serialize)]
struct SiteLanguage {
    code: String,
    /// Its own name for itself (`Русский`).
    name: String,
    /// Its site's home: root-relative and absolute.
    base_path: String,
    base_url: String,
    /// The language of the page being rendered.
    current: bool,
    /// The default language (at the site's root).
    default: bool,
}

#[derive(Serialize)]
struct PeriodView<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    range: String,
    count: usize,
    description_html: String,
}

#[derive(Serialize)]
struct SphereView<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    count: usize,
    description_html: String,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_path: &'a str,
    /// The archive's root (where the shared files are): the base path of the default
    /// language's site.
    root_path: &'a str,
    /// Every language of the archive, the default first (one entry for a single-language
    /// archive).
    languages: Vec<SiteLanguage>,
    base_url: &'a str,
    language: &'a str,
    dyad: Vec<&'a str>,
    stylesheet: String,
    search_url: String,
    nav: Vec<Link<'a>>,
    periods: Vec<PeriodView<'a>>,
    spheres: Vec<SphereView<'a>>,
    generator: String,
}

/// How many works a group of a period's or a sphere's page lists: its newest, the rest being
/// on the group's cross page (which the group links to). Keeps those pages short however large
/// the archive grows.
const GROUP_NEWEST: usize = 10;

/// The newest works of a group (ids are in listing order, newest first).
fn newest(ids: &[AbstractId]) -> &[AbstractId] {
    &ids[..ids.len().min(GROUP_NEWEST)]
}

/// The language of a work's title as the site shows it: the work's own language in the
/// default language's site; in the others, the translation's (or, untranslated, the
/// original's, see [`crate::model::translate::localize`]).
fn title_language<'w>(a: &Archive, w: &'w crate::model::Abstract) -> &'w str {
    let lang = if a.config.is_default_language() {
        w.language.as_deref()
    } else {
        w.abstract_language.as_deref()
    };
    lang.unwrap_or("")
}

/// The language an abstract is shown in, when it is not the site's.
fn shown_in(a: &Archive, w: &crate::model::Abstract) -> Option<LanguageView> {
    let lang = w
        .abstract_language
        .as_deref()
        .or(w.language.as_deref())
        .unwrap_or(&a.config.language);
    let primary = |t: &str| t.split('-').next().unwrap_or(t).to_ascii_lowercase();
    // A single-language archive's listings stay as they were.
    let multilingual = a.config.languages.len() > 1;
    (multilingual && primary(lang) != primary(&a.config.language)).then(|| LanguageView {
        code: lang.to_string(),
        name: crate::model::translate::autonym(lang),
    })
}

/// The name of language `tag` in the interface language `interface` (`language-name`), else
/// its own name (`Deutsch`), else the tag itself.
fn language_name(messages: &Messages, interface: &str, tag: &str) -> String {
    let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    let name = messages.text(interface, "language-name", &[("code", Arg::Str(&primary))]);
    if name == primary {
        crate::model::translate::autonym(tag)
    } else {
        name
    }
}

/// A page description from an abstract: its plain text, cut at a word before 200 characters.
fn description(body: &str) -> String {
    crate::markdown::plain_text_prefix(body, 200)
}

/// "A; B", or "author unknown".
pub(crate) fn authors_text(a: &Archive, id: AbstractId) -> String {
    authors_or(a, id, "author unknown")
}

/// "A; B", or `unknown` when the work names no author.
fn authors_or(a: &Archive, id: AbstractId, unknown: &str) -> String {
    match &a.work(id).authors {
        None => unknown.to_string(),
        Some(list) => list
            .iter()
            .map(|&v| a.facet(FacetName::Authors)[v as usize].name.as_str())
            .collect::<Vec<_>>()
            .join("; "),
    }
}

impl<'a> Views<'a> {
    /// Builds the shared values, rendering each work's listing item once with the
    /// `summary_item` component.
    pub fn new(a: &'a Archive, renderer: &Renderer) -> Result<Self, RenderError> {
        Views::new_cached(a, renderer, None)
    }

    /// [`Views::new`], taking each work's rendered list item from `cache` when a work with
    /// the same summary was rendered before (the caller empties the cache when templates
    /// change). Used by `watch`.
    pub fn new_cached(
        a: &'a Archive,
        renderer: &Renderer,
        cache: Option<&WatchCache>,
    ) -> Result<Self, RenderError> {
        let mut v = Views::light(a, Arc::clone(renderer.messages()));
        if cache.is_none() {
            // A build uses every link many times; `watch` renders few pages and makes the
            // links of those on demand.
            v.facet_links = FacetName::ALL.map(|f| {
                (0..a.facet(f).len() as u32)
                    .map(|i| v.make_facet_link(f, i))
                    .collect()
            });
        }
        let summaries = (0..a.abstracts.len() as AbstractId)
            .into_par_iter()
            .map(|id| v.summary(id, renderer, cache))
            .collect::<Result<Vec<(Kept, Value)>, RenderError>>()?;
        let (summaries, keys): (Vec<Kept>, Vec<Value>) = summaries.into_iter().unzip();
        v.summary_keys = keys;
        v.summaries = summaries;
        Ok(v)
    }

    /// The views of a model whose works' summaries are known (from an earlier [`Views`] of
    /// the same works): `watch` recomputes only the summaries of works that changed, with
    /// [`Views::refresh`].
    pub fn with_summaries(
        a: &'a Archive,
        messages: Arc<Messages>,
        summaries: Vec<Kept>,
        keys: Vec<Value>,
    ) -> Self {
        let mut v = Views::light(a, messages);
        v.summaries = summaries;
        v.summary_keys = keys;
        v
    }

    /// Recomputes the summaries of `ids`.
    pub fn refresh(
        &mut self,
        ids: &[AbstractId],
        renderer: &Renderer,
        cache: Option<&WatchCache>,
    ) -> Result<(), RenderError> {
        for &id in ids {
            let (summary, key) = self.summary(id, renderer, cache)?;
            self.summaries[id as usize] = summary;
            self.summary_keys[id as usize] = key;
        }
        Ok(())
    }

    /// The summaries and their keys, to keep for [`Views::with_summaries`].
    pub fn into_summaries(self) -> (Vec<Kept>, Vec<Value>) {
        (self.summaries, self.summary_keys)
    }

    /// One work's summary (with its rendered list item under `html`) and the key standing
    /// for it in fingerprints.
    fn summary(
        &self,
        id: AbstractId,
        renderer: &Renderer,
        cache: Option<&WatchCache>,
    ) -> Result<(Kept, Value), RenderError> {
        let a = self.a;
        let base_path = self.base_path;
        let url = |rel: String| format!("{base_path}{rel}");
        let (period_links, sphere_links) = (&self.period_links, &self.sphere_links);
        let w = a.work(id);
        let pre = cache.map(|c| {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(&c.files.get(&w.rel).copied().unwrap_or(0).to_le_bytes());
            hash_strs(&mut h, [base_path, w.slug.as_str()]);
            hash_strs(
                &mut h,
                w.periods.iter().flat_map(|&p| {
                    let p = &a.periods[p as usize];
                    [p.id.as_str(), p.title.as_str()]
                }),
            );
            hash_strs(
                &mut h,
                w.spheres.iter().flat_map(|&s| {
                    let s = &a.spheres[s as usize];
                    [s.id.as_str(), s.title.as_str()]
                }),
            );
            h.update(authors_text(a, id).as_bytes());
            // The summary's words (its date, "author unknown") are in the site's language.
            h.update(&self.messages.key().to_le_bytes());
            h.update(a.config.language.as_bytes());
            (c, h.digest())
        });
        if let Some((c, k)) = pre
            && let Some(hit) = c
                .items
                .lock()
                .expect("no panic holding the cache")
                .get(&k)
                .cloned()
        {
            return Ok(hit);
        }
        let spheres: Vec<Value> = w
            .spheres
            .iter()
            .map(|&s| sphere_links[s as usize].clone())
            .collect();
        let periods: Vec<Value> = w
            .periods
            .iter()
            .map(|&p| period_links[p as usize].clone())
            .collect();
        let summary = Value::from_serializable(&Summary {
            title: &w.title,
            url: url(abstract_url(a, id)),
            authors: authors_or(a, id, &self.t("author-unknown", &[])),
            authors_unknown: w.authors.is_none(),
            date: self.date(w.date),
            date_iso: w.date.map(|d| d.to_string()).unwrap_or_default(),
            spheres: &spheres,
            periods: &periods,
            draft: w.draft,
            lang: title_language(a, w),
            shown_in: shown_in(a, w),
        });
        // Each work's list item is rendered once here, not once per listing.
        let summary_hash = value_hash(&summary);
        let cached = cache.map(|c| (c, summary_hash));
        let hit = cached.and_then(|(c, h)| {
            c.html
                .lock()
                .expect("no panic holding the cache")
                .get(&h)
                .cloned()
        });
        let html = match hit {
            Some(html) => html,
            None => {
                let mut ctx = Context::new();
                ctx.insert_value("w", summary.clone());
                let html = renderer.render_component("summary_item", &ctx)?;
                if let Some((c, h)) = cached {
                    c.html
                        .lock()
                        .expect("no panic holding the cache")
                        .insert(h, html.clone());
                }
                html
            }
        };
        // The summary's key: a hash of its fields and of its rendered item.
        let key = summary_hash ^ xxhash_rust::xxh3::xxh3_64(html.as_bytes()).rotate_left(29);
        let item = (
            Kept::new(summary, html, cache.is_some()),
            Value::from(format!("{key:016x}")),
        );
        if let Some((c, k)) = pre {
            c.items
                .lock()
                .expect("no panic holding the cache")
                .insert(k, item.clone());
        }
        Ok(item)
    }

    /// The shared values without the listings: enough for the contexts and fingerprints of
    /// abstract pages, free pages, the 404 page and redirects (any other kind panics). Cheap:
    /// `watch` uses it when only bodies changed.
    pub fn light(a: &'a Archive, messages: Arc<Messages>) -> Self {
        let base_path = a.config.base_path();
        let link = |title: &str, rel: String| {
            Value::from_serializable(&Link {
                title: title.into(),
                url: format!("{base_path}{rel}"),
            })
        };
        let period_links: Vec<Value> = (0..a.periods.len() as PeriodId)
            .map(|p| link(&a.periods[p as usize].title, period_url(a, p)))
            .collect();
        let sphere_links: Vec<Value> = (0..a.spheres.len() as SphereId)
            .map(|s| link(&a.spheres[s as usize].title, sphere_url(a, s)))
            .collect();
        Views {
            a,
            base_path,
            summaries: Vec::new(),
            summary_keys: Vec::new(),
            period_links,
            sphere_links,
            facet_links: [Vec::new(), Vec::new(), Vec::new()],
            references: None,
            site_urls: None,
            messages,
        }
    }

    /// The interface string `key` in the site's language.
    pub(crate) fn t(&self, key: &str, args: &[(&str, Arg)]) -> String {
        self.messages.text(&self.a.config.language, key, args)
    }

    /// What the search page's script says, in the page's language: each message with its
    /// arguments left as `{name}` for the script to fill, and the plural forms of
    /// `count-works` (see [`Messages::plural_forms`]).
    fn search_strings(&self) -> serde_json::Value {
        let mut strings = serde_json::Map::new();
        for (key, args) in [
            ("search-empty", &[][..]),
            ("search-loading", &[][..]),
            ("search-load-failed", &["error"][..]),
            ("search-failed", &["error"][..]),
            ("search-facet-sphere", &[][..]),
            ("search-facet-period", &[][..]),
            ("search-facet-year", &[][..]),
            ("search-facet-language", &[][..]),
            ("search-facet-author", &[][..]),
            ("search-facet-actor", &[][..]),
            ("search-facet-keyword", &[][..]),
            ("search-filter", &["facet", "values"][..]),
            ("search-or", &[][..]),
            ("search-status", &["found"][..]),
            ("search-status-query", &["found", "query"][..]),
            ("search-status-filters", &["found", "filters"][..]),
            (
                "search-status-query-filters",
                &["found", "query", "filters"][..],
            ),
            ("search-show-more", &[][..]),
            ("search-show-fewer", &[][..]),
            ("search-show-all", &["count"][..]),
            ("search-show-top", &["count", "top"][..]),
        ] {
            let holes: Vec<(&str, String)> =
                args.iter().map(|n| (*n, format!("{{{n}}}"))).collect();
            let args: Vec<(&str, Arg)> = holes.iter().map(|(n, v)| (*n, Arg::Str(v))).collect();
            let name = key.strip_prefix("search-").unwrap_or(key);
            strings.insert(name.to_string(), self.t(key, &args).into());
        }
        let works = self
            .messages
            .plural_forms(&self.a.config.language, "count-works");
        strings.insert("works".to_string(), serde_json::json!(works));
        serde_json::Value::Object(strings)
    }

    /// The heading of a facet's pages ("Authors").
    fn facet_title(&self, f: FacetName) -> String {
        self.t(
            match f {
                FacetName::Authors => "nav-authors",
                FacetName::Actors => "nav-actors",
                FacetName::Keywords => "nav-keywords",
            },
            &[],
        )
    }

    /// A work's date for readers of the site ("March 2019"), or the word for no date.
    fn date(&self, d: Option<crate::model::dates::PartialDate>) -> String {
        match d {
            Some(d) => crate::i18n::date(&self.a.config.language, d),
            None => self.t("date-unknown", &[]),
        }
    }

    /// Tells the views which URLs the whole site has (relative to the root, every language's
    /// pages included), so each page offers only the languages it exists in.
    pub fn use_site_urls(&mut self, urls: std::sync::Arc<std::collections::HashSet<String>>) {
        self.site_urls = Some(urls);
    }

    /// The page at `url` (relative to the base path) in each of the archive's languages.
    fn page_languages(&self, url: &str) -> Vec<PageLanguage> {
        let c = &self.a.config;
        if c.languages.len() < 2 {
            return Vec::new();
        }
        c.languages
            .iter()
            .map(|l| {
                let at = crate::model::translate::config_for(c, l);
                let prefix = &at.base_path()[c.root_path().len()..];
                let exists = *l == c.language
                    || self
                        .site_urls
                        .as_ref()
                        .is_none_or(|u| u.contains(&format!("{prefix}{url}")));
                PageLanguage {
                    code: l.clone(),
                    name: crate::model::translate::autonym(l),
                    url: format!("{}{}", at.base_path(), if exists { url } else { "" }),
                    href: exists.then(|| format!("{}{url}", at.base_url)),
                    current: *l == c.language,
                    default: *l == c.languages[0],
                }
            })
            .collect()
    }

    /// Takes abstract pages' formatted references from `memo` (and adds new ones to it).
    pub fn use_references(&mut self, memo: &'a crate::cite::memo::Memo) {
        self.references = Some(memo);
    }

    /// The works of a listing (`ids`, newest first) on the page `pager` asks for, and the
    /// `pager` context of the page whose first page is at `base` (see `components.html`).
    fn paged(&self, ids: &[AbstractId], pager: Pager, base: &str) -> (Vec<AbstractId>, PagerView) {
        let size = self.a.config.page_size.max(1);
        let pages = page_count(ids.len(), size);
        let page = pager.page.min(pages - 1);
        let ordered: Vec<AbstractId> = if pager.by_title {
            let rank = &self.a.title_rank;
            let mut v = ids.to_vec();
            v.sort_by_key(|&id| rank[id as usize]);
            v
        } else {
            ids.to_vec()
        };
        let from = page as usize * size;
        let slice = ordered[from.min(ordered.len())..(from + size).min(ordered.len())].to_vec();
        let at = |by_title: bool, page: u32| self.url(&Pager { by_title, page }.url(base));
        // Page links: all when few, else the first, the last and two either side.
        let mut links = Vec::new();
        let mut last_shown = None;
        for n in 0..pages {
            let near = n.abs_diff(page) <= 2;
            if pages <= 9 || n == 0 || n == pages - 1 || near {
                if last_shown.is_some_and(|l: u32| n > l + 1) {
                    links.push(serde_json::json!({"gap": true}));
                }
                links.push(serde_json::json!({"n": n + 1, "url": at(pager.by_title, n), "current": n == page}));
                last_shown = Some(n);
            }
        }
        let view = PagerView {
            page: page + 1,
            pages,
            count: ids.len(),
            first: if ids.is_empty() { 0 } else { from + 1 },
            last: from + slice.len(),
            by_title: pager.by_title,
            prev: (page > 0).then(|| at(pager.by_title, page - 1)),
            next: (page + 1 < pages).then(|| at(pager.by_title, page + 1)),
            by_date_url: at(false, 0),
            by_title_url: (pages > 1).then(|| at(true, 0)),
            links,
        };
        (slice, view)
    }

    fn make_facet_link(&self, f: FacetName, v: u32) -> Value {
        Value::from_serializable(&NameLink {
            name: &self.a.facet(f)[v as usize].name,
            url: self.url(&facet_url(self.a, f, v)),
        })
    }

    fn facet_link(&self, f: FacetName, v: u32) -> Value {
        match self.facet_links[f as usize].get(v as usize) {
            Some(l) => l.clone(),
            None => self.make_facet_link(f, v),
        }
    }

    /// The hash standing for work `id`'s summary (built by [`Views::new`], not `light`).
    pub fn summary_key(&self, id: AbstractId) -> Option<&str> {
        self.summary_keys.get(id as usize).and_then(|v| v.as_str())
    }

    fn url(&self, rel: &str) -> String {
        format!("{}{rel}", self.base_path)
    }

    /// The URL of a file every language's site shares (style sheet, scripts, downloads), at
    /// the archive's root.
    fn root_url(&self, rel: &str) -> String {
        format!("{}{rel}", self.a.config.root_path())
    }

    fn works(&self, ids: &[AbstractId], keys: bool) -> Value {
        Value::from(
            ids.iter()
                .map(|&i| match keys {
                    true => self.summary_keys[i as usize].clone(),
                    false => self.summaries[i as usize].value(),
                })
                .collect::<Vec<_>>(),
        )
    }

    /// The `site` global. `stylesheet` is the style sheet's URL relative to the base path with
    /// its cache-busting query; `descriptions` the rendered period and sphere descriptions.
    pub fn site(&self, stylesheet: &str, period_html: &[String], sphere_html: &[String]) -> Value {
        let a = self.a;
        let c = &a.config;
        let mut nav = vec![
            Link {
                title: self.t("nav-periods", &[]).into(),
                url: self.url("periods/"),
            },
            Link {
                title: self.t("nav-spheres", &[]).into(),
                url: self.url("spheres/"),
            },
            Link {
                title: self.t("nav-timeline", &[]).into(),
                url: self.url("timeline/"),
            },
        ];
        for f in FacetName::ALL {
            nav.push(Link {
                title: self.facet_title(f).into(),
                url: self.url(&format!("{}/", f.as_str())),
            });
        }
        for p in &a.pages {
            nav.push(Link {
                title: p.title.as_str().into(),
                url: self.url(&format!("{}/", p.slug)),
            });
        }
        Value::from_serializable(&SiteView {
            title: &c.title,
            description: &c.description,
            base_path: self.base_path,
            root_path: c.root_path(),
            languages: c
                .languages
                .iter()
                .map(|l| {
                    let at = crate::model::translate::config_for(c, l);
                    SiteLanguage {
                        code: l.clone(),
                        name: crate::model::translate::autonym(l),
                        base_path: at.base_path().to_string(),
                        base_url: at.base_url.to_string(),
                        current: *l == c.language,
                        default: *l == c.languages[0],
                    }
                })
                .collect(),
            base_url: c.base_url.as_str(),
            language: &c.language,
            dyad: c
                .dyad
                .as_ref()
                .map(|d| d.iter().map(String::as_str).collect())
                .unwrap_or_default(),
            stylesheet: self.root_url(stylesheet),
            search_url: self.url("search/"),
            nav,
            periods: (0..a.periods.len())
                .map(|i| {
                    let p = &a.periods[i];
                    PeriodView {
                        id: &p.id,
                        title: &p.title,
                        url: self.url(&period_url(a, i as PeriodId)),
                        range: p.range(),
                        count: p.members.len(),
                        description_html: period_html[i].clone(),
                    }
                })
                .collect(),
            spheres: (0..a.spheres.len())
                .map(|i| {
                    let s = &a.spheres[i];
                    SphereView {
                        id: &s.id,
                        title: &s.title,
                        url: self.url(&sphere_url(a, i as SphereId)),
                        count: s.members.len(),
                        description_html: sphere_html[i].clone(),
                    }
                })
                .collect(),
            generator: format!("dyad {}", env!("CARGO_PKG_VERSION")),
        })
    }

    fn page(
        &self,
        url: &str,
        title: &str,
        crumbs: Vec<Crumb<'a>>,
        draft: bool,
        noindex: bool,
    ) -> PageMeta<'a> {
        let c = &self.a.config;
        let full = if url.is_empty() {
            c.title.clone()
        } else {
            format!("{title} — {}", c.title)
        };
        PageMeta {
            url: self.url(url),
            path: url.to_string(),
            languages: self.page_languages(url),
            canonical: format!("{}{url}", c.base_url),
            title: full,
            description: if url.is_empty() {
                c.description.as_str().into()
            } else {
                "".into()
            },
            breadcrumbs: crumbs,
            noindex: noindex || draft,
            draft,
            prev: None,
            next: None,
            feed: None,
        }
    }

    fn crumbs(&self, trail: &[(Cow<'a, str>, &str)], current: Cow<'a, str>) -> Vec<Crumb<'a>> {
        let mut v = vec![Crumb {
            title: self.t("nav-home", &[]).into(),
            url: Some(self.url("")),
        }];
        v.extend(trail.iter().map(|(t, u)| Crumb {
            title: t.clone(),
            url: Some(self.url(u)),
        }));
        v.push(Crumb {
            title: current,
            url: None,
        });
        v
    }

    /// The context of one page. `body_html` is the rendered Markdown the page shows (abstract
    /// body, free page body), when it shows one.
    pub fn context(
        &self,
        url: &str,
        kind: &PageKind,
        body_html: Option<String>,
        period_html: &[String],
        sphere_html: &[String],
    ) -> Context {
        let mut ctx = Context::new();
        for (k, v) in self
            .fields(url, kind, body_html, period_html, sphere_html, false)
            .0
        {
            ctx.insert_value(k, v);
        }
        ctx
    }

    /// A hash of everything the page's context holds, computed without rendering: listed
    /// works stand in by a hash of their summary, and `body_key` (a hash of the rendered body)
    /// for the body. Two builds give a page the same fingerprint exactly when its context is
    /// the same, so `watch` re-renders a page only when this changes (together with the
    /// template and `site` values the page uses).
    pub fn fingerprint(
        &self,
        url: &str,
        kind: &PageKind,
        body_key: Option<String>,
        period_html: &[String],
        sphere_html: &[String],
    ) -> u64 {
        let fields = self.fields(url, kind, body_key, period_html, sphere_html, true);
        let mut h = HashWriter::default();
        for (k, v) in &fields.0 {
            h.0.update(k.as_bytes());
            h.0.update(b"\0");
            serde_json::to_writer(&mut h, v).expect("a tera value serializes");
            h.0.update(b"\0");
        }
        h.0.digest()
    }

    fn fields(
        &self,
        url: &str,
        kind: &PageKind,
        body_html: Option<String>,
        period_html: &[String],
        sphere_html: &[String],
        keys: bool,
    ) -> Fields {
        let a = self.a;
        let mut ctx = Fields::default();
        let mut meta = match kind {
            PageKind::Home => {
                ctx.insert_value("downloads", self.list_downloads(crate::cite::List::All));
                ctx.insert_value("matrix", self.matrix());
                ctx.insert(
                    "timeline_compact",
                    &super::timeline::compact(a, self.base_path, &|k, args| self.t(k, args)),
                );
                ctx.insert_value(
                    "newest",
                    self.works(
                        &(0..a.abstracts.len().min(10) as AbstractId).collect::<Vec<_>>(),
                        keys,
                    ),
                );
                ctx.insert(
                    "stats",
                    &serde_json::json!({"abstracts": a.abstracts.len(), "periods": a.periods.len(), "spheres": a.spheres.len(), "authors": a.facet(FacetName::Authors).len()}),
                );
                self.page(
                    url,
                    &a.config.title,
                    vec![Crumb {
                        title: self.t("nav-home", &[]).into(),
                        url: None,
                    }],
                    false,
                    false,
                )
            }
            PageKind::Abstract(id) => {
                let w = a.work(*id);
                ctx.insert_value("work", self.work(*id, body_html.unwrap_or_default()));
                ctx.insert_value("related", self.works(&a.related[*id as usize], keys));
                let mut meta = self.page(
                    url,
                    &w.title,
                    self.crumbs(&[], w.title.as_str().into()),
                    w.draft,
                    false,
                );
                meta.description = description(&w.body).into();
                meta
            }
            PageKind::Periods => {
                let list: Vec<PeriodView> = (0..a.periods.len())
                    .map(|i| {
                        let p = &a.periods[i];
                        PeriodView {
                            id: &p.id,
                            title: &p.title,
                            url: self.url(&period_url(a, i as PeriodId)),
                            range: p.range(),
                            count: p.members.len(),
                            description_html: period_html[i].clone(),
                        }
                    })
                    .collect();
                ctx.insert("periods", &list);
                let title = self.t("nav-periods", &[]);
                self.page(
                    url,
                    &title,
                    self.crumbs(&[], title.clone().into()),
                    false,
                    false,
                )
            }
            PageKind::Spheres => {
                let list: Vec<SphereView> = (0..a.spheres.len())
                    .map(|i| {
                        let s = &a.spheres[i];
                        SphereView {
                            id: &s.id,
                            title: &s.title,
                            url: self.url(&sphere_url(a, i as SphereId)),
                            count: s.members.len(),
                            description_html: sphere_html[i].clone(),
                        }
                    })
                    .collect();
                ctx.insert("spheres", &list);
                let title = self.t("nav-spheres", &[]);
                self.page(
                    url,
                    &title,
                    self.crumbs(&[], title.clone().into()),
                    false,
                    false,
                )
            }
            PageKind::Period(p) => {
                ctx.insert(
                    "search_url",
                    &self.url(&format!("search/?period={}", a.periods[*p as usize].id)),
                );
                let per = &a.periods[*p as usize];
                ctx.insert_value(
                    "downloads",
                    self.list_downloads(crate::cite::List::Period(*p)),
                );
                ctx.insert(
                    "period",
                    &PeriodView {
                        id: &per.id,
                        title: &per.title,
                        url: self.url(url),
                        range: per.range(),
                        count: per.members.len(),
                        description_html: period_html[*p as usize].clone(),
                    },
                );
                let groups: Vec<Value> = (0..a.spheres.len() as SphereId)
                    .filter(|&s| !a.cross(*p, s).is_empty())
                    .map(|s| {
                        let ids = a.cross(*p, s);
                        let mut g = tera::Map::new();
                        g.insert("sphere".into(), self.sphere_ref(s));
                        g.insert(
                            "cross_url".into(),
                            Value::from(self.url(&cross_url(a, *p, s))),
                        );
                        g.insert("count".into(), Value::from(ids.len()));
                        g.insert("works".into(), self.works(newest(ids), keys));
                        Value::from(g)
                    })
                    .collect();
                ctx.insert_value("groups", Value::from(groups));
                ctx.insert(
                    "per_year",
                    &super::charts::per_year(a, &per.members, "chart-label-period", &|k, args| {
                        self.t(k, args)
                    }),
                );
                let mix = (0..a.spheres.len() as SphereId)
                    .map(|s| {
                        let n = a.cross(*p, s).len();
                        (
                            a.spheres[s as usize].title.clone(),
                            (n > 0).then(|| self.url(&cross_url(a, *p, s))),
                            n,
                        )
                    })
                    .collect();
                ctx.insert("mix", &super::charts::shares(mix));
                self.page(
                    url,
                    &per.title,
                    self.crumbs(
                        &[(self.t("nav-periods", &[]).into(), "periods/")],
                        per.title.as_str().into(),
                    ),
                    false,
                    false,
                )
            }
            PageKind::Sphere(s) => {
                ctx.insert(
                    "search_url",
                    &self.url(&format!("search/?sphere={}", a.spheres[*s as usize].id)),
                );
                let sph = &a.spheres[*s as usize];
                ctx.insert_value(
                    "downloads",
                    self.list_downloads(crate::cite::List::Sphere(*s)),
                );
                ctx.insert(
                    "sphere",
                    &SphereView {
                        id: &sph.id,
                        title: &sph.title,
                        url: self.url(url),
                        count: sph.members.len(),
                        description_html: sphere_html[*s as usize].clone(),
                    },
                );
                let mut groups: Vec<Value> = (0..a.periods.len() as PeriodId)
                    .filter(|&p| !a.cross(p, *s).is_empty())
                    .map(|p| {
                        let ids = a.cross(p, *s);
                        let mut g = tera::Map::new();
                        g.insert("period".into(), self.period_ref(p));
                        g.insert(
                            "cross_url".into(),
                            Value::from(self.url(&cross_url(a, p, *s))),
                        );
                        g.insert("count".into(), Value::from(ids.len()));
                        g.insert("works".into(), self.works(newest(ids), keys));
                        Value::from(g)
                    })
                    .collect();
                let orphans: Vec<AbstractId> = sph
                    .members
                    .iter()
                    .copied()
                    .filter(|&id| a.work(id).periods.is_empty())
                    .collect();
                if !orphans.is_empty() {
                    let mut g = tera::Map::new();
                    g.insert("period".into(), Value::none());
                    g.insert("cross_url".into(), Value::none());
                    g.insert("count".into(), Value::from(orphans.len()));
                    g.insert("works".into(), self.works(&orphans, keys));
                    groups.push(Value::from(g));
                }
                ctx.insert_value("groups", Value::from(groups));
                ctx.insert(
                    "per_year",
                    &super::charts::per_year(a, &sph.members, "chart-label-sphere", &|k, args| {
                        self.t(k, args)
                    }),
                );
                let mut mix: Vec<(String, Option<String>, usize)> = (0..a.periods.len()
                    as PeriodId)
                    .map(|p| {
                        let n = a.cross(p, *s).len();
                        (
                            a.periods[p as usize].title.clone(),
                            (n > 0).then(|| self.url(&cross_url(a, p, *s))),
                            n,
                        )
                    })
                    .collect();
                if !orphans.is_empty() {
                    mix.push((self.t("no-period", &[]), None, orphans.len()));
                }
                ctx.insert("mix", &super::charts::shares(mix));
                self.page(
                    url,
                    &sph.title,
                    self.crumbs(
                        &[(self.t("nav-spheres", &[]).into(), "spheres/")],
                        sph.title.as_str().into(),
                    ),
                    false,
                    false,
                )
            }
            PageKind::Timeline => {
                ctx.insert(
                    "timeline",
                    &super::timeline::timeline(a, self.base_path, &|k, args| self.t(k, args)),
                );
                let spheres: Vec<Value> = (0..a.spheres.len() as SphereId)
                    .map(|s| {
                        let mut m = self.sphere_ref(s).as_map().cloned().unwrap_or_default();
                        m.insert(
                            "class".into(),
                            Value::from(format!("s{}", s as usize % super::timeline::COLOURS)),
                        );
                        Value::from(m)
                    })
                    .collect();
                ctx.insert_value("spheres", Value::from(spheres));
                let title = self.t("nav-timeline", &[]);
                self.page(
                    url,
                    &title,
                    self.crumbs(&[], title.clone().into()),
                    false,
                    false,
                )
            }
            PageKind::Cross(p, s, pager) => {
                ctx.insert(
                    "search_url",
                    &self.url(&format!(
                        "search/?period={}&sphere={}",
                        a.periods[*p as usize].id, a.spheres[*s as usize].id
                    )),
                );
                let per = &a.periods[*p as usize];
                let sph = &a.spheres[*s as usize];
                let ids = a.cross(*p, *s);
                ctx.insert_value("period", self.period_ref(*p));
                ctx.insert_value("sphere", self.sphere_ref(*s));
                let (shown, pager_ctx) = self.paged(ids, *pager, &cross_url(a, *p, *s));
                ctx.insert_value("works", self.works(&shown, keys));
                ctx.insert("pager", &pager_ctx);
                ctx.insert("count", &ids.len());
                let neighbour = |q: PeriodId| {
                    let n = a.cross(q, *s).len();
                    Counted {
                        title: &a.periods[q as usize].title,
                        url: (n > 0).then(|| self.url(&cross_url(a, q, *s))),
                        count: n,
                    }
                };
                ctx.insert("prev", &p.checked_sub(1).map(neighbour));
                ctx.insert(
                    "next",
                    &((*p as usize + 1) < a.periods.len()).then(|| neighbour(p + 1)),
                );
                let siblings: Vec<Counted> = (0..a.spheres.len() as SphereId)
                    .filter(|&o| o != *s)
                    .map(|o| {
                        let n = a.cross(*p, o).len();
                        Counted {
                            title: &a.spheres[o as usize].title,
                            url: (n > 0).then(|| self.url(&cross_url(a, *p, o))),
                            count: n,
                        }
                    })
                    .collect();
                ctx.insert("siblings", &siblings);
                let title = format!("{} · {}", sph.title, per.title);
                let crumbs = vec![
                    Crumb {
                        title: self.t("nav-home", &[]).into(),
                        url: Some(self.url("")),
                    },
                    Crumb {
                        title: self.t("nav-periods", &[]).into(),
                        url: Some(self.url("periods/")),
                    },
                    Crumb {
                        title: per.title.as_str().into(),
                        url: Some(self.url(&period_url(a, *p))),
                    },
                    Crumb {
                        title: sph.title.as_str().into(),
                        url: None,
                    },
                ];
                let mut meta = self.page(url, &title, crumbs, false, false);
                pager_ctx.annotate(&mut meta, self);
                meta
            }
            PageKind::FacetIndex(f) => {
                let facet_title = self.facet_title(*f);
                ctx.insert("facet", &serde_json::json!({"kind": f.as_str(), "title": facet_title, "url": self.url(&format!("{}/", f.as_str()))}));
                let entries: Vec<Counted> = a
                    .facet(*f)
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Counted {
                        title: &v.name,
                        url: Some(self.url(&facet_url(a, *f, i as u32))),
                        count: v.members.len(),
                    })
                    .collect();
                // Templates call the entry's label `name`.
                let entries: Vec<Value> = entries
                    .into_iter()
                    .map(|c| {
                        Value::from_serializable(
                            &serde_json::json!({"name": c.title, "url": c.url, "count": c.count}),
                        )
                    })
                    .collect();
                ctx.insert_value("entries", Value::from(entries));
                self.page(
                    url,
                    &facet_title,
                    self.crumbs(&[], facet_title.clone().into()),
                    false,
                    false,
                )
            }
            PageKind::FacetValue(f, v, pager) => {
                let val = &a.facet(*f)[*v as usize];
                let facet_title = self.facet_title(*f);
                ctx.insert("facet", &serde_json::json!({"kind": f.as_str(), "title": facet_title, "url": self.url(&format!("{}/", f.as_str()))}));
                ctx.insert(
                    "value",
                    &serde_json::json!({"name": val.name, "count": val.members.len()}),
                );
                let (shown, pager_ctx) = self.paged(&val.members, *pager, &facet_url(a, *f, *v));
                ctx.insert_value("works", self.works(&shown, keys));
                ctx.insert("pager", &pager_ctx);
                let index = format!("{}/", f.as_str());
                let mut meta = self.page(
                    url,
                    &val.name,
                    self.crumbs(&[(facet_title.into(), &index)], val.name.as_str().into()),
                    false,
                    false,
                );
                pager_ctx.annotate(&mut meta, self);
                meta
            }
            PageKind::Page(i) => {
                let p = &a.pages[*i as usize];
                ctx.insert("content", &serde_json::json!({"title": p.title, "body_html": body_html.unwrap_or_default()}));
                self.page(
                    url,
                    &p.title,
                    self.crumbs(&[], p.title.as_str().into()),
                    false,
                    false,
                )
            }
            PageKind::NotFound => {
                let title = self.t("title-not-found", &[]);
                self.page(
                    url,
                    &title,
                    self.crumbs(&[], title.clone().into()),
                    false,
                    true,
                )
            }
            PageKind::Alias(id) => {
                let target = abstract_url(a, *id);
                ctx.insert("target", &self.url(&target));
                ctx.insert("target_abs", &format!("{}{target}", a.config.base_url));
                let w = a.work(*id);
                self.page(
                    url,
                    &w.title,
                    self.crumbs(&[], w.title.as_str().into()),
                    false,
                    true,
                )
            }
            PageKind::Search => {
                let bundles: Vec<Vec<String>> = crate::search::folders(a)
                    .into_iter()
                    .map(|(_, folders)| folders.iter().map(|f| self.url(f)).collect())
                    .collect();
                let config = serde_json::json!({
                    "bundles": bundles,
                    "worker": self.root_url("search-worker.js"),
                    "base": self.base_path,
                    "periods": a.periods.iter().map(|p| [&p.id, &p.title]).collect::<Vec<_>>(),
                    "spheres": a.spheres.iter().map(|s| [&s.id, &s.title]).collect::<Vec<_>>(),
                    "strings": self.search_strings(),
                });
                ctx.insert(
                    "search",
                    &serde_json::json!({
                        "config": config.to_string(),
                        "script": self.root_url("search.js"),
                        "works": a.abstracts.len(),
                    }),
                );
                let title = self.t("nav-search", &[]);
                self.page(
                    url,
                    &title,
                    self.crumbs(&[], title.clone().into()),
                    false,
                    false,
                )
            }
            PageKind::Sitemap
            | PageKind::Atom
            | PageKind::Robots
            | PageKind::SearchIndex
            | PageKind::WorkData(..)
            | PageKind::ListData(..)
            | PageKind::Feed(..)
            | PageKind::Oai => self.page(url, "", Vec::new(), false, true),
        };
        meta.feed = match kind {
            PageKind::Period(p) => Some(period_url(a, *p)),
            PageKind::Sphere(s) => Some(sphere_url(a, *s)),
            PageKind::Cross(p, s, _) => Some(cross_url(a, *p, *s)),
            PageKind::FacetValue(FacetName::Authors, v, _) => {
                Some(facet_url(a, FacetName::Authors, *v))
            }
            _ => None,
        }
        .map(|u| self.url(&format!("{u}atom.xml")));
        ctx.insert("page", &meta);
        ctx
    }

    fn period_ref(&self, p: PeriodId) -> Value {
        let per = &self.a.periods[p as usize];
        Value::from_serializable(
            &serde_json::json!({"id": per.id, "title": per.title, "url": self.url(&period_url(self.a, p)), "range": per.range()}),
        )
    }

    fn sphere_ref(&self, s: SphereId) -> Value {
        let sph = &self.a.spheres[s as usize];
        Value::from_serializable(
            &serde_json::json!({"id": sph.id, "title": sph.title, "url": self.url(&sphere_url(self.a, s))}),
        )
    }

    fn matrix(&self) -> Value {
        let a = self.a;
        let spheres: Vec<Value> = (0..a.spheres.len() as SphereId)
            .map(|s| self.sphere_ref(s))
            .collect();
        let rows: Vec<Value> = (0..a.periods.len() as PeriodId)
            .map(|p| {
                let cells: Vec<serde_json::Value> = (0..a.spheres.len() as SphereId)
                    .map(|s| {
                        let n = a.cross(p, s).len();
                        serde_json::json!({"count": n, "url": (n > 0).then(|| self.url(&cross_url(a, p, s)))})
                    })
                    .collect();
                let mut row = tera::Map::new();
                row.insert("period".into(), self.period_ref(p));
                row.insert("cells".into(), Value::from_serializable(&cells));
                row.insert("total".into(), Value::from(a.periods[p as usize].members.len()));
                Value::from(row)
            })
            .collect();
        let unassigned = a.abstracts.iter().filter(|w| w.periods.is_empty()).count();
        let mut m = tera::Map::new();
        m.insert("spheres".into(), Value::from(spheres));
        m.insert("rows".into(), Value::from(rows));
        m.insert(
            "unassigned".into(),
            Value::from_serializable(&serde_json::json!({"count": unassigned})),
        );
        Value::from(m)
    }

    /// `[{label, url, type, ext}]`: citation downloads for a template's links.
    fn downloads(&self, files: Vec<(crate::cite::Format, String)>) -> Value {
        use crate::cite::Format;
        Value::from(
            files
                .into_iter()
                .map(|(f, url)| {
                    let ty = match f {
                        Format::Bib => "application/x-bibtex",
                        Format::Ris => "application/x-research-info-systems",
                        Format::Csl => "application/vnd.citationstyles.csl+json",
                        Format::Csv => "text/csv",
                    };
                    let ext = url
                        .rsplit('/')
                        .next()
                        .and_then(|n| n.split_once('.'))
                        .map_or("", |(_, e)| e);
                    let mut m = tera::Map::new();
                    m.insert("label".into(), Value::from(f.label()));
                    m.insert("url".into(), Value::from(self.root_url(&url)));
                    m.insert("type".into(), Value::from(ty));
                    m.insert("ext".into(), Value::from(ext));
                    Value::from(m)
                })
                .collect::<Vec<_>>(),
        )
    }

    /// The downloads of a list.
    fn list_downloads(&self, list: crate::cite::List) -> Value {
        self.downloads(
            crate::cite::Format::LIST
                .map(|f| (f, crate::cite::list_url(self.a, list, f)))
                .to_vec(),
        )
    }

    fn work(&self, id: AbstractId, body_html: String) -> Value {
        let a = self.a;
        let w = a.work(id);
        let links = |f: FacetName, list: &[u32]| -> Vec<Value> {
            list.iter().map(|&v| self.facet_link(f, v)).collect()
        };
        let source = w.source.as_ref().map(|s| {
            serde_json::json!({
                "kind": s.kind.map(|k| k.as_str()),
                "container": s.container, "volume": s.volume, "issue": s.issue, "pages": s.pages,
                "publisher": s.publisher, "place": s.place,
            })
        });
        let mut m = tera::Map::new();
        let mut put = |k: &str, v: Value| {
            m.insert(k.to_string().into(), v);
        };
        put("title", Value::from(w.title.as_str()));
        put("lang", Value::from(title_language(a, w)));
        put("shown_in", Value::from_serializable(&shown_in(a, w)));
        put(
            "authors",
            Value::from(
                w.authors
                    .as_deref()
                    .map(|l| links(FacetName::Authors, l))
                    .unwrap_or_default(),
            ),
        );
        put("authors_unknown", Value::from(w.authors.is_none()));
        put("date", Value::from(self.date(w.date)));
        put(
            "date_iso",
            Value::from(w.date.map(|d| d.to_string()).unwrap_or_default()),
        );
        put(
            "coverage",
            Value::from_serializable(&w.coverage.map(|(f, t)| {
                serde_json::json!({"from": f.to_string(), "to": t.to_string(), "human": crate::i18n::date_range(&a.config.language, f, t)})
            })),
        );
        put(
            "periods",
            Value::from(
                w.periods
                    .iter()
                    .map(|&p| self.period_links[p as usize].clone())
                    .collect::<Vec<_>>(),
            ),
        );
        put(
            "spheres",
            Value::from(
                w.spheres
                    .iter()
                    .map(|&s| self.sphere_links[s as usize].clone())
                    .collect::<Vec<_>>(),
            ),
        );
        put("actors", Value::from(links(FacetName::Actors, &w.actors)));
        put(
            "keywords",
            Value::from(links(FacetName::Keywords, &w.keywords)),
        );
        put("source", Value::from_serializable(&source));
        put(
            "source_line",
            Value::from(
                w.source
                    .as_ref()
                    .map(|s| {
                        source_line_with(s, &|key, v| self.t(key, &[(key_arg(key), Arg::Str(v))]))
                    })
                    .unwrap_or_default(),
            ),
        );
        put("doi", Value::from_serializable(&w.doi));
        put(
            "doi_url",
            Value::from_serializable(&w.doi.as_ref().map(|d| format!("https://doi.org/{d}"))),
        );
        put("url", Value::from_serializable(&w.url));
        put("language", Value::from_serializable(&w.language));
        put(
            "language_name",
            Value::from_serializable(
                &w.language
                    .as_deref()
                    .map(|l| language_name(&self.messages, &a.config.language, l)),
            ),
        );
        put(
            "abstract_language",
            Value::from_serializable(&w.abstract_language),
        );
        put("body_html", Value::from(body_html));
        put("draft", Value::from(w.draft));
        let record = crate::cite::Record::from_work(a, id, false);
        let references = match self.references {
            Some(m) => m.references(&record),
            None => crate::cite::format::references(&record),
        };
        // CSL has no locale for every interface language (none for Kazakh): there, each
        // reference says which language it is formatted in.
        let primary = a.config.language.split('-').next().unwrap_or("");
        let foreign = !references
            .iter()
            .any(|r| crate::cite::format::language_of(r.id) == primary);
        put(
            "cite",
            Value::from(
                references
                    .iter()
                    .map(|r| {
                        let mut v = serde_json::to_value(r).unwrap_or_default();
                        if let Some(m) = v.as_object_mut() {
                            let code = crate::cite::format::language_of(r.id);
                            let language = foreign.then(|| LanguageView {
                                code: code.to_string(),
                                name: crate::model::translate::autonym(code),
                            });
                            m.insert(
                                "language".into(),
                                serde_json::to_value(&language).unwrap_or_default(),
                            );
                        }
                        Value::from_serializable(&v)
                    })
                    .collect::<Vec<_>>(),
            ),
        );
        put("cite_foreign", Value::from(foreign));
        let mut described = record;
        described.abstract_text =
            Some(crate::markdown::plain_text_memo(&w.body)).filter(|t| !t.is_empty());
        put(
            "json_ld",
            Value::from(crate::cite::jsonld::script_text(&described)),
        );
        put(
            "page_url",
            Value::from(described.page_url.unwrap_or_default()),
        );
        put(
            "downloads",
            self.downloads(
                crate::cite::Format::WORK
                    .map(|f| (f, crate::cite::work_url(a, id, f)))
                    .to_vec(),
            ),
        );
        Value::from(m)
    }
}

/// A context under construction: (key, value) pairs, in insertion order.
#[derive(Default)]
struct Fields(Vec<(&'static str, Value)>);

impl Fields {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, val: &T) {
        self.0.push((key, Value::from_serializable(val)));
    }
    fn insert_value(&mut self, key: &'static str, val: Value) {
        self.0.push((key, val));
    }
}

/// An `io::Write` that feeds an xxh3 hasher.
#[derive(Default)]
pub(crate) struct HashWriter(pub xxhash_rust::xxh3::Xxh3);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Feeds each string followed by a separator (so `["ab", "c"]` and `["a", "bc"]` hash apart),
/// then an end mark (so consecutive lists do too).
pub(crate) fn hash_strs<'s>(
    h: &mut xxhash_rust::xxh3::Xxh3,
    parts: impl IntoIterator<Item = &'s str>,
) {
    for p in parts {
        h.update(p.as_bytes());
        h.update(&[0]);
    }
    h.update(&[0xff]);
}

/// A hash of a tera value (of its JSON serialization).
pub(crate) fn value_hash(v: &Value) -> u64 {
    let mut h = HashWriter::default();
    serde_json::to_writer(&mut h, v).expect("a tera value serializes");
    h.0.digest()
}

/// The source on one line, in English: "Container, vol. 3, no. 2, pp. 12–34. Place:
/// Publisher" (for metadata such as OAI's `dc:source`).
pub(crate) fn source_line(s: &crate::source::raw::RawSource) -> String {
    source_line_with(s, &|key, v| match key {
        "source-volume" => format!("vol. {v}"),
        "source-issue" => format!("no. {v}"),
        "source-page-count" => format!("{v} pp."),
        _ => format!("pp. {v}"),
    })
}

/// The argument a `source-…` message takes.
fn key_arg(key: &str) -> &'static str {
    match key {
        "source-volume" => "volume",
        "source-issue" => "issue",
        _ => "pages",
    }
}

/// The source on one line, its volume, issue and pages written by `part(key, value)` with
/// `key` one of `source-volume`, `source-issue`, `source-pages` (the pages cited) or
/// `source-page-count` (how many a book, report or thesis has).
fn source_line_with(
    s: &crate::source::raw::RawSource,
    part: &dyn Fn(&str, &str) -> String,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(c) = &s.container {
        parts.push(c.clone());
    }
    if let Some(v) = &s.volume {
        parts.push(part("source-volume", v));
    }
    if let Some(i) = &s.issue {
        parts.push(part("source-issue", i));
    }
    if let Some(p) = &s.pages {
        let key = if crate::source::raw::SourceKind::pages_are_a_count(s.kind, p) {
            "source-page-count"
        } else {
            "source-pages"
        };
        parts.push(part(key, &en_dash_range(p)));
    }
    let mut line = parts.join(", ");
    let imprint = match (&s.place, &s.publisher) {
        (Some(pl), Some(pu)) => Some(format!("{pl}: {pu}")),
        (None, Some(pu)) => Some(pu.clone()),
        (Some(pl), None) => Some(pl.clone()),
        (None, None) => None,
    };
    if let Some(i) = imprint {
        if line.ends_with('.') {
            // "230 pp. Nauka", not "230 pp.. Nauka".
            line.push(' ');
        } else if !line.is_empty() {
            line.push_str(". ");
        }
        line.push_str(&i);
    }
    line
}

/// A page range written with hyphens (`12-34`, BibTeX's `12--34`) as typeset, with an en
/// dash (`12–34`); anything else (`S-12`, `12-34, 50-60`) as written.
fn en_dash_range(pages: &str) -> Cow<'_, str> {
    let Some((first, last)) = pages.split_once('-') else {
        return Cow::Borrowed(pages);
    };
    let last = last.strip_prefix('-').unwrap_or(last);
    // Both sides a page number: a digit in each, nothing but letters and digits (`S-12` is
    // a page of a supplement, not a range).
    let plain = |s: &str| {
        s.trim().chars().all(char::is_alphanumeric) && s.chars().any(|c| c.is_ascii_digit())
    };
    if plain(first) && plain(last) {
        Cow::Owned(format!("{}–{}", first.trim(), last.trim()))
    } else {
        Cow::Borrowed(pages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_ranges_are_shown_with_an_en_dash() {
        assert_eq!(en_dash_range("12-34"), "12–34");
        assert_eq!(en_dash_range("12--34"), "12–34");
        assert_eq!(en_dash_range("S1 - S20"), "S1–S20");
        assert_eq!(en_dash_range("12–34"), "12–34");
        assert_eq!(en_dash_range("S-12"), "S-12");
        assert_eq!(en_dash_range("12-34, 50-60"), "12-34, 50-60");
        assert_eq!(en_dash_range("-3"), "-3");
    }

    #[test]
    fn a_whole_works_pages_are_its_page_count() {
        use crate::source::raw::{RawSource, SourceKind};
        let line = |kind, pages: &str| {
            source_line(&RawSource {
                kind: Some(kind),
                pages: Some(pages.into()),
                publisher: Some("Nauka".into()),
                ..RawSource::default()
            })
        };
        assert_eq!(line(SourceKind::Book, "230"), "230 pp. Nauka");
        assert_eq!(line(SourceKind::Report, "18"), "18 pp. Nauka");
        assert_eq!(line(SourceKind::Chapter, "7"), "pp. 7. Nauka");
        assert_eq!(line(SourceKind::Book, "12–34"), "pp. 12–34. Nauka");
    }

    #[test]
    fn a_language_is_named_in_the_interface_language() {
        let m = Messages::builtin(&["en".into(), "ru".into(), "kk".into()]);
        let name = |interface, tag| language_name(&m, interface, tag);
        assert_eq!(name("en", "ru"), "Russian");
        assert_eq!(name("en", "RU-Latn"), "Russian");
        assert_eq!(name("ru", "kk"), "казахский");
        assert_eq!(name("kk", "en-GB"), "ағылшын тілі");
        // Past the messages: the language's own name, else its tag.
        assert_eq!(name("en", "sv"), "sv");
        let overrides = [(
            "en".to_string(),
            "language-name = { $code ->\n   *[other] { $code }\n}\n".to_string(),
        )];
        let m2 = Messages::with_overrides(
            &["en".into()],
            overrides.into(),
            &mut crate::diag::Diagnostics::new(),
        );
        assert_eq!(language_name(&m2, "en", "de"), "Deutsch");
    }

    #[test]
    fn a_kept_summary_gives_back_the_map_of_its_fields_with_its_item_last() {
        let link = Value::from_serializable(&Link {
            title: "Energy".into(),
            url: "/spheres/energy/".into(),
        });
        let summary = Value::from_serializable(&Summary {
            title: "Gas & transit",
            url: "/abstracts/gas/".into(),
            authors: "Иванов, И.".into(),
            authors_unknown: false,
            date: "2019".into(),
            date_iso: "2019".into(),
            spheres: std::slice::from_ref(&link),
            periods: &[],
            draft: true,
            lang: "ru",
            shown_in: None,
        });
        let kept = Kept::new(summary.clone(), "<li>Gas</li>".to_string(), false);
        let value = kept.value();
        let map = value.as_map().expect("a map");
        let keys: Vec<&str> = map.keys().filter_map(|k| k.as_str()).collect();
        assert_eq!(keys, SUMMARY_KEYS);
        // Every field as the summary had it, and the rendered item.
        for (k, v) in summary.as_map().expect("a map") {
            assert_eq!(map.get(k), Some(v), "{k:?}");
        }
        assert_eq!(
            map.get(&tera::value::Key::Str("html"))
                .and_then(|v| v.as_str()),
            Some("<li>Gas</li>")
        );
        // Made again for the next listing, the same; and as `watch` keeps it, the same.
        assert_eq!(kept.clone().value(), value);
        let as_map = Kept::new(summary.clone(), "<li>Gas</li>".to_string(), true);
        assert_eq!(as_map.value(), value);
    }
}
