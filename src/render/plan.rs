//! The page plan: every output of a build as a [`PageJob`] (URL + what it shows), listed from
//! the [`Archive`].
//!
//! Each job names the entities it shows ([`PageKind`]), which is what `watch` will use to
//! re-render only the pages an edit touches. The plan also claims every URL once: two outputs at
//! one URL (a page named `periods`, an alias onto a real page) are an error naming both sources.
//! Zero cells of the period × sphere matrix get no page.

use crate::cite::{Format, List};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::model::{AbstractId, Archive, FacetName, PeriodId, SphereId};
use std::collections::{HashMap, HashSet};

/// What a page shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum PageKind {
    /// `/`.
    Home,
    /// `/abstracts/<slug>/`.
    Abstract(AbstractId),
    /// `/periods/`.
    Periods,
    /// `/periods/<id>/`.
    Period(PeriodId),
    /// `/spheres/`.
    Spheres,
    /// `/spheres/<id>/`.
    Sphere(SphereId),
    /// `/timeline/`.
    Timeline,
    /// `/search/` (the index itself is in `/pagefind/`, see [`crate::search`]).
    Search,
    /// `/periods/<period>/<sphere>/` (and its further pages and title order, see [`Pager`]).
    Cross(PeriodId, SphereId, Pager),
    /// `/authors/`, `/actors/`, `/keywords/`.
    FacetIndex(FacetName),
    /// `/authors/<slug>/` … (and its further pages and title order, see [`Pager`]).
    FacetValue(FacetName, u32, Pager),
    /// `/<page>/`.
    Page(u32),
    /// `/pagefind/`: the search bundles (no page; claims the folder).
    SearchIndex,
    /// `/404.html`.
    NotFound,
    /// A redirect from an old URL to an abstract.
    Alias(AbstractId),
    /// `/sitemap.xml` (and its parts).
    Sitemap,
    /// `/atom.xml`.
    Atom,
    /// `/robots.txt`.
    Robots,
    /// `/abstracts/<slug>/<slug>.bib` (`.ris`, `.json`): one work's citation download.
    WorkData(AbstractId, Format),
    /// `/data/archive.bib` …, `/data/periods/<id>.bib` …: a list's download.
    ListData(List, Format),
    /// `<page>atom.xml`: the Atom feed of a period, sphere, cross page or author.
    Feed(FeedOf),
    /// `/oai.xml`: the OAI-PMH static repository (when archive.yaml sets it up).
    Oai,
}

/// Whose feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FeedOf {
    /// A period's works.
    Period(PeriodId),
    /// A sphere's works.
    Sphere(SphereId),
    /// A cross page's works.
    Cross(PeriodId, SphereId),
    /// An author's works (by index into the authors facet).
    Author(u32),
}

impl PageKind {
    /// The template that renders this kind, if it is an HTML page.
    pub fn template(&self) -> Option<&'static str> {
        Some(match self {
            PageKind::Home => "index.html",
            PageKind::Abstract(_) => "abstract.html",
            PageKind::Periods => "periods.html",
            PageKind::Period(_) => "period.html",
            PageKind::Spheres => "spheres.html",
            PageKind::Sphere(_) => "sphere.html",
            PageKind::Timeline => "timeline.html",
            PageKind::Search => "search.html",
            PageKind::Cross(..) => "cross.html",
            PageKind::FacetIndex(_) => "facets.html",
            PageKind::FacetValue(..) => "facet.html",
            PageKind::Page(_) => "page.html",
            PageKind::NotFound => "404.html",
            PageKind::Alias(_) => "redirect.html",
            PageKind::Sitemap
            | PageKind::Atom
            | PageKind::Robots
            | PageKind::SearchIndex
            | PageKind::WorkData(..)
            | PageKind::ListData(..)
            | PageKind::Feed(..)
            | PageKind::Oai => {
                return None;
            }
        })
    }

    /// Whether the page belongs in the sitemap.
    pub fn in_sitemap(&self) -> bool {
        !matches!(
            self,
            PageKind::NotFound
                | PageKind::SearchIndex
                | PageKind::Alias(_)
                | PageKind::Sitemap
                | PageKind::Atom
                | PageKind::Robots
                | PageKind::WorkData(..)
                | PageKind::ListData(..)
                | PageKind::Feed(..)
                | PageKind::Oai
        )
    }
}

/// Which page of a listing: listings of more than `page_size` works (archive.yaml) are split
/// into pages, newest first at `x/`, `x/page/2/` …, and by title at `x/by-title/`,
/// `x/by-title/page/2/` … (the title order exists only where a listing has several pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) struct Pager {
    /// Sorted by title (else newest first).
    pub by_title: bool,
    /// The page, from 0.
    pub page: u32,
}

impl Pager {
    /// This page's URL under the listing's first page `base` (`periods/a/b/`).
    pub fn url(self, base: &str) -> String {
        let mut u = base.to_string();
        if self.by_title {
            u.push_str("by-title/");
        }
        if self.page > 0 {
            u.push_str(&format!("page/{}/", self.page + 1));
        }
        u
    }
}

/// How many pages a listing of `n` works has (at least one).
pub(crate) fn page_count(n: usize, page_size: usize) -> u32 {
    n.div_ceil(page_size.max(1)).max(1) as u32
}

/// Every pager of a listing of `n` works: the pages newest first, then (when there are several)
/// the pages by title.
fn pagers(n: usize, page_size: usize) -> impl Iterator<Item = Pager> {
    let pages = page_count(n, page_size);
    let orders: &[bool] = if pages > 1 { &[false, true] } else { &[false] };
    orders
        .iter()
        .flat_map(move |&by_title| (0..pages).map(move |page| Pager { by_title, page }))
}

/// One output of the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageJob {
    /// URL relative to the base path: `""` (home), `abstracts/x/`, `404.html`.
    pub url: String,
    /// What it shows.
    pub kind: PageKind,
}

/// Every output of a build, sorted by URL.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    /// The jobs, sorted by URL.
    pub jobs: Vec<PageJob>,
    /// Every URL the site publishes (pages and static files), relative to the base path.
    /// Shared (link checking, the views' language switch): at 100,000 abstracts it holds half
    /// a million URLs, so it is never copied.
    pub urls: std::sync::Arc<HashSet<String>>,
}

/// URL of an abstract, relative to the base path.
pub(crate) fn abstract_url(a: &Archive, id: AbstractId) -> String {
    format!("abstracts/{}/", a.work(id).slug)
}

/// URL of a period.
pub(crate) fn period_url(a: &Archive, p: PeriodId) -> String {
    format!("periods/{}/", a.periods[p as usize].id)
}

/// URL of a sphere.
pub(crate) fn sphere_url(a: &Archive, s: SphereId) -> String {
    format!("spheres/{}/", a.spheres[s as usize].id)
}

/// URL of a cross page.
pub(crate) fn cross_url(a: &Archive, p: PeriodId, s: SphereId) -> String {
    format!(
        "periods/{}/{}/",
        a.periods[p as usize].id, a.spheres[s as usize].id
    )
}

/// URL of a facet value.
pub(crate) fn facet_url(a: &Archive, f: FacetName, v: u32) -> String {
    format!("{}/{}/", f.as_str(), a.facet(f)[v as usize].slug)
}

/// Lists every output. `statics` are the static files' paths relative to the output root (they
/// claim their URLs too). Collisions are reported to `diags`.
pub(crate) fn plan(a: &Archive, statics: &[String], diags: &mut Diagnostics) -> Plan {
    // Who claims each URL is remembered only when two outputs collide: at 100,000 works the
    // plan has 430,000 jobs, and a description of each would cost a hundred megabytes.
    let mut found = Diagnostics::new();
    match plan_with(a, statics, &mut found, false) {
        Some(p) => {
            diags.extend(found.iter().cloned());
            p
        }
        None => plan_with(a, statics, diags, true).expect("a described plan always finishes"),
    }
}

/// [`plan`]; without `describe`, None as soon as an output collides or escapes the site (the
/// caller then plans again, describing every claim for the diagnostic).
fn plan_with(
    a: &Archive,
    statics: &[String],
    diags: &mut Diagnostics,
    describe: bool,
) -> Option<Plan> {
    let mut jobs = Vec::new();
    // Where each alias was written, to point a collision at the line the editor must change.
    let mut alias_spans: HashMap<(String, String), Span> = HashMap::new();
    // Who claims each URL: (url, description, source file for the diagnostic); empty for
    // pages unless `describe` (their URLs are in `jobs`, in the same order).
    let mut claims: Vec<(String, String, String)> = Vec::new();
    let mut push =
        |jobs: &mut Vec<PageJob>, url: String, kind: PageKind, what: String, file: &str| {
            if describe {
                claims.push((url.clone(), what, file.to_string()));
            } else {
                claims.push(Default::default());
            }
            jobs.push(PageJob { url, kind });
        };
    push(
        &mut jobs,
        String::new(),
        PageKind::Home,
        "the home page".into(),
        "archive.yaml",
    );
    push(
        &mut jobs,
        "periods/".into(),
        PageKind::Periods,
        "the periods index".into(),
        "content/periods",
    );
    push(
        &mut jobs,
        "spheres/".into(),
        PageKind::Spheres,
        "the spheres index".into(),
        "content/spheres",
    );
    push(
        &mut jobs,
        "timeline/".into(),
        PageKind::Timeline,
        "the timeline".into(),
        "content/periods",
    );
    push(
        &mut jobs,
        "search/".into(),
        PageKind::Search,
        "the search page".into(),
        "content/abstracts",
    );
    push(
        &mut jobs,
        format!("{}/", crate::search::DIR),
        PageKind::SearchIndex,
        "the search index".into(),
        "content/abstracts",
    );
    push(
        &mut jobs,
        "404.html".into(),
        PageKind::NotFound,
        "the 404 page".into(),
        "archive.yaml",
    );
    push(
        &mut jobs,
        "sitemap.xml".into(),
        PageKind::Sitemap,
        "the sitemap".into(),
        "archive.yaml",
    );
    push(
        &mut jobs,
        "atom.xml".into(),
        PageKind::Atom,
        "the Atom feed".into(),
        "archive.yaml",
    );
    if a.config.oai.is_some() {
        push(
            &mut jobs,
            "oai.xml".into(),
            PageKind::Oai,
            "the OAI-PMH static repository".into(),
            "archive.yaml",
        );
    }
    push(
        &mut jobs,
        "robots.txt".into(),
        PageKind::Robots,
        "robots.txt".into(),
        "archive.yaml",
    );
    for f in FacetName::ALL {
        push(
            &mut jobs,
            format!("{}/", f.as_str()),
            PageKind::FacetIndex(f),
            format!("the {} index", f.as_str()),
            "content/abstracts",
        );
        for (i, v) in a.facet(f).iter().enumerate() {
            let first = a.work(v.members[0]).rel.clone();
            let base = facet_url(a, f, i as u32);
            if f == FacetName::Authors {
                push(
                    &mut jobs,
                    format!("{base}atom.xml"),
                    PageKind::Feed(FeedOf::Author(i as u32)),
                    format!("the feed of the author `{}`", v.name),
                    &first,
                );
            }
            for pager in pagers(v.members.len(), a.config.page_size) {
                push(
                    &mut jobs,
                    pager.url(&base),
                    PageKind::FacetValue(f, i as u32, pager),
                    format!("the {} page of `{}`", f.as_str(), v.name),
                    &first,
                );
            }
        }
    }
    let lists = std::iter::once((List::All, "the archive".to_string(), "archive.yaml"))
        .chain(a.periods.iter().enumerate().map(|(i, p)| {
            (
                List::Period(i as PeriodId),
                format!("the period `{}`", p.id),
                p.rel.as_str(),
            )
        }))
        .chain(a.spheres.iter().enumerate().map(|(i, s)| {
            (
                List::Sphere(i as SphereId),
                format!("the sphere `{}`", s.id),
                s.rel.as_str(),
            )
        }));
    for (list, what, file) in lists {
        for format in Format::LIST {
            push(
                &mut jobs,
                crate::cite::list_url(a, list, format),
                PageKind::ListData(list, format),
                format!("the {} download of {what}", format.label()),
                file,
            );
        }
    }
    for (i, p) in a.periods.iter().enumerate() {
        let pid = i as PeriodId;
        push(
            &mut jobs,
            period_url(a, pid),
            PageKind::Period(pid),
            format!("the period `{}`", p.id),
            &p.rel,
        );
        push(
            &mut jobs,
            format!("{}atom.xml", period_url(a, pid)),
            PageKind::Feed(FeedOf::Period(pid)),
            format!("the feed of the period `{}`", p.id),
            &p.rel,
        );
        for (j, s) in a.spheres.iter().enumerate() {
            let sid = j as SphereId;
            let n = a.cross(pid, sid).len();
            if n > 0 {
                let base = cross_url(a, pid, sid);
                push(
                    &mut jobs,
                    format!("{base}atom.xml"),
                    PageKind::Feed(FeedOf::Cross(pid, sid)),
                    format!("the feed of the cross page of `{}` and `{}`", p.id, s.id),
                    &s.rel,
                );
                for pager in pagers(n, a.config.page_size) {
                    push(
                        &mut jobs,
                        pager.url(&base),
                        PageKind::Cross(pid, sid, pager),
                        format!("the cross page of `{}` and `{}`", p.id, s.id),
                        &s.rel,
                    );
                }
            }
        }
    }
    for (j, s) in a.spheres.iter().enumerate() {
        push(
            &mut jobs,
            sphere_url(a, j as SphereId),
            PageKind::Sphere(j as SphereId),
            format!("the sphere `{}`", s.id),
            &s.rel,
        );
        push(
            &mut jobs,
            format!("{}atom.xml", sphere_url(a, j as SphereId)),
            PageKind::Feed(FeedOf::Sphere(j as SphereId)),
            format!("the feed of the sphere `{}`", s.id),
            &s.rel,
        );
    }
    for (i, p) in a.pages.iter().enumerate() {
        push(
            &mut jobs,
            format!("{}/", p.slug),
            PageKind::Page(i as u32),
            format!("the page `{}`", p.rel),
            &p.rel,
        );
    }
    for (i, w) in a.abstracts.iter().enumerate() {
        let id = i as AbstractId;
        push(
            &mut jobs,
            abstract_url(a, id),
            PageKind::Abstract(id),
            format!("the abstract `{}`", w.rel),
            &w.rel,
        );
        for format in Format::WORK {
            push(
                &mut jobs,
                crate::cite::work_url(a, id, format),
                PageKind::WorkData(id, format),
                format!("the {} download of `{}`", format.label(), w.rel),
                &w.rel,
            );
        }
        for alias in &w.aliases {
            alias_spans.insert(
                (alias.value.clone(), w.rel.clone()),
                Span {
                    line: alias.line,
                    col: alias.col,
                    len: alias.len,
                },
            );
            push(
                &mut jobs,
                alias.value.clone(),
                PageKind::Alias(id),
                format!("an alias in `{}`", w.rel),
                &w.rel,
            );
        }
    }
    let mut urls: HashSet<String> = HashSet::with_capacity(claims.len() + statics.len());
    for s in statics {
        if s.starts_with(&format!("{}/", crate::search::DIR)) {
            diags.push(
                Diagnostic::error(
                    format!("static/{s}"),
                    format!(
                        "`/{s}` is inside `/{}/`, where the search index goes",
                        crate::search::DIR
                    ),
                )
                .help(format!("move it out of `static/{}/`", crate::search::DIR)),
            );
            continue;
        }
        claims.push((
            s.clone(),
            format!("the static file `static/{s}`"),
            format!("static/{s}"),
        ));
    }
    // A page claims `x/` and its file `x/index.html`: compare files, not URLs. Files are
    // looked up by hash; the rare different files with one hash go to `overflow`.
    let pages = jobs.len();
    let url_of = |i: usize| -> &str {
        if i < pages && !describe {
            &jobs[i].url
        } else {
            &claims[i].0
        }
    };
    let mut by_hash: rustc_hash::FxHashMap<u64, usize> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(claims.len(), Default::default());
    let mut overflow: HashMap<String, usize> = HashMap::new();
    for i in 0..claims.len() {
        let url = url_of(i);
        let (_, what, file) = &claims[i];
        urls.insert(url.to_string());
        let Some(out) = crate::output::url_to_file(url) else {
            if !describe {
                return None;
            }
            diags.push(Diagnostic::error(
                file,
                format!("{what} would be written outside the site (`{url}`)"),
            ));
            continue;
        };
        let key = xxhash_rust::xxh3::xxh3_64(out.as_bytes());
        let same_file = |j: usize| crate::output::url_to_file(url_of(j)).as_deref() == Some(&out);
        let hit = match by_hash.get(&key) {
            Some(&j) if same_file(j) => Some(j),
            Some(_) => overflow.get(&out).copied(),
            None => None,
        };
        if let Some(j) = hit {
            if !describe {
                return None;
            }
            let span_of = |k: usize| {
                let (u, w, f) = &claims[k];
                w.starts_with("an alias")
                    .then(|| alias_spans.get(&(u.clone(), f.clone())).copied())
                    .flatten()
            };
            // Report at the claim the editor most likely has to change: an alias, else the later.
            let (keep, report) = if span_of(j).is_some() && span_of(i).is_none() {
                (i, j)
            } else {
                (j, i)
            };
            let (_, other, other_file) = &claims[keep];
            let (_, what, file) = &claims[report];
            let mut d = Diagnostic::error(
                file,
                format!("two outputs at `/{url}`: {what} and {other} (`{other_file}`)"),
            )
            .help("rename one of them, or drop the alias, so that each URL is published once");
            d.span = span_of(report);
            diags.push(d);
        } else if let std::collections::hash_map::Entry::Vacant(slot) = by_hash.entry(key) {
            slot.insert(i);
        } else {
            overflow.insert(out, i);
        }
    }
    drop(claims);
    jobs.sort_by(|x, y| x.url.cmp(&y.url));
    Some(Plan {
        jobs,
        urls: std::sync::Arc::new(urls),
    })
}
