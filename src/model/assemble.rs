//! Raw records → [`Archive`], with every cross-check: unknown spheres and periods, duplicate
//! slugs, period membership, facets, listing order.
//!
//! Listing order (the order of "newest" and of every date listing): the date's last day
//! descending, then finer precision first, then collated title, then slug; `date: unknown`
//! sorts last. Abstracts get their ids in that order, so every member list built by one walk
//! over them is sorted already. Cost grows with the number of memberships, never with
//! abstracts × facet values.

use super::collate::Collation;
use super::dates::{Interval, newest_first};
use super::periods::is_member;
use super::slug::{self, FacetKind};
use super::*;
use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::source::raw::{At, Authors, RawAbstract};
use crate::source::{Parsed, Record, Section};
use std::collections::hash_map::Entry;

/// Hash maps keyed by strings from the archive's own files: FxHash (fast, not DoS-resistant,
/// which is fine for the editor's own input).
type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// Sphere ids that would collide with URLs dyad uses under `/periods/<id>/`.
const RESERVED_SPHERE_IDS: &[&str] = &["page", "by-title"];

struct Pending<'a> {
    parsed: &'a Parsed,
    raw: &'a RawAbstract,
    slug: String,
    spheres: Vec<SphereId>,
    periods: Vec<PeriodId>,
    title_key: std::sync::Arc<[u8]>,
}

/// Results that depend only on a string and the archive's language and transliteration:
/// collation keys and slugs. One build computes each once; `watch` keeps a memo across
/// rebuilds, so a rebuild after an edit computes them only for new strings.
#[derive(Default)]
pub(crate) struct Memo {
    setting: Option<(String, slug::Scheme)>,
    keys: FastMap<String, std::sync::Arc<[u8]>>,
    stem_slugs: FastMap<String, String>,
    facet_slugs: FastMap<(String, FacetKind), String>,
    /// Raw facet value → (normalized value, comparison key), for people and for keywords.
    facet_norm: [rustc_hash::FxHashMap<String, (String, String)>; 2],
}

impl Memo {
    /// Forgets everything when the language or the scheme changed.
    fn settle(&mut self, language: &str, scheme: slug::Scheme) {
        if self
            .setting
            .as_ref()
            .is_none_or(|(l, s)| l != language || *s != scheme)
        {
            *self = Memo {
                setting: Some((language.to_string(), scheme)),
                ..Memo::default()
            };
        }
    }

    fn key(&mut self, collation: &Collation, s: &str) -> std::sync::Arc<[u8]> {
        if let Some(k) = self.keys.get(s) {
            return std::sync::Arc::clone(k);
        }
        let k: std::sync::Arc<[u8]> = collation.key(s).into();
        self.keys.insert(s.to_string(), std::sync::Arc::clone(&k));
        k
    }

    fn stem_slug(&mut self, stem: &str, scheme: slug::Scheme) -> String {
        if let Some(s) = self.stem_slugs.get(stem) {
            return s.clone();
        }
        let s = slug::slugify(stem, scheme);
        self.stem_slugs.insert(stem.to_string(), s.clone());
        s
    }

    /// The normalized value and comparison key of a raw facet value.
    fn facet_norm(&mut self, raw: &str, kind: FacetKind) -> &(String, String) {
        let map = &mut self.facet_norm[usize::from(kind == FacetKind::Keyword)];
        if !map.contains_key(raw) {
            let name = slug::normalize_facet_value(raw);
            let key = slug::facet_key_of_normalized(name.clone(), kind);
            map.insert(raw.to_string(), (name, key));
        }
        &map[raw]
    }

    fn facet_slug(&mut self, name: &str, kind: FacetKind, scheme: slug::Scheme) -> String {
        if let Some(s) = self.facet_slugs.get(&(name.to_string(), kind)) {
            return s.clone();
        }
        let s = slug::facet_slug(name, kind, scheme);
        self.facet_slugs.insert((name.to_string(), kind), s.clone());
        s
    }
}

/// The file name without `.md`, and without the language of a site in a further language
/// (`foo.ru.md` → `foo` in the Russian site: translations share their original's id and slug).
fn stem_of<'a>(rel: &'a str, config: &Config) -> &'a str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = name.strip_suffix(".md").unwrap_or(name);
    if config.is_default_language() {
        return stem;
    }
    stem.strip_suffix(config.language.as_str())
        .and_then(|s| s.strip_suffix('.'))
        .unwrap_or(stem)
}

/// What is wrong with the id a period, sphere or page file's name gives it, if anything.
fn id_problem(p: &Parsed, config: &Config) -> Option<Diagnostic> {
    let further = config.languages.get(1..).unwrap_or_default();
    if crate::source::translation_of(&p.rel, further).is_some() {
        return None; // named after its original, which is checked
    }
    let id = stem_of(&p.rel, config);
    let scheme = config.transliteration;
    let valid = match p.section {
        Section::Period | Section::Sphere => slug::is_valid_slug(id),
        Section::Page => !slug::slugify(id, scheme).is_empty(),
        Section::Abstract => return None,
    };
    if !valid {
        return Some(
            Diagnostic::error(&p.rel, format!("`{id}` is not a valid id: the file name must be lowercase ASCII letters, digits and `-`"))
                .help(format!("rename the file to `{}.md`", slug::slugify(id, scheme))),
        );
    }
    if p.section == Section::Sphere && RESERVED_SPHERE_IDS.contains(&id) {
        return Some(
            Diagnostic::error(&p.rel, format!("sphere id `{id}` is reserved: `/periods/<period>/{id}/` is used by dyad's own pages"))
                .help(format!("rename the file, e.g. to `{id}s.md`")),
        );
    }
    None
}

fn at_diag<T>(p: &Parsed, a: &At<T>, d: Diagnostic) -> Diagnostic {
    d.at(&p.text, a.line, a.col, a.len)
}

/// Builds the archive from parsed files. Files whose records failed to parse are skipped (their
/// errors are already in `Parsed::diags`, which this function does not copy).
#[cfg(test)]
pub(crate) fn assemble(
    config: Config,
    files: &[std::sync::Arc<Parsed>],
    drafts: Drafts,
    diags: &mut Diagnostics,
) -> Archive {
    assemble_with(config, files, drafts, diags, &mut Memo::default())
}

/// [`assemble`] with a memo of keys and slugs kept by the caller.
pub(crate) fn assemble_with(
    config: Config,
    files: &[std::sync::Arc<Parsed>],
    drafts: Drafts,
    diags: &mut Diagnostics,
    memo: &mut Memo,
) -> Archive {
    let collation = Collation::new(&config.language);
    let scheme = config.transliteration;
    memo.settle(&config.language, scheme);

    // Periods, in time order.
    let mut periods: Vec<Period> = Vec::new();
    let mut spheres: Vec<Sphere> = Vec::new();
    let mut pages: Vec<Page> = Vec::new();
    for p in files {
        // The file name is checked whether or not its front matter parsed, so that a bad name
        // and a bad field are reported by the same build.
        if let Some(d) = id_problem(p, &config) {
            diags.push(d);
            continue;
        }
        let id = stem_of(&p.rel, &config);
        match &p.record {
            Some(Record::Period(r)) => periods.push(Period {
                id: id.to_string(),
                rel: p.rel.clone(),
                title: r.title.clone(),
                from: r.from,
                to: r.to,
                body: p.body.clone(),
                body_line: p.body_line,
                members: Vec::new(),
            }),
            Some(Record::Sphere(r)) => spheres.push(Sphere {
                id: id.to_string(),
                rel: p.rel.clone(),
                title: r.title.clone(),
                body: p.body.clone(),
                body_line: p.body_line,
                members: Vec::new(),
            }),
            Some(Record::Page(r)) => pages.push(Page {
                slug: slug::slugify(id, scheme),
                rel: p.rel.clone(),
                title: r.title.clone(),
                body: p.body.clone(),
                body_line: p.body_line,
            }),
            _ => {}
        }
    }
    periods.sort_by(|a, b| {
        (a.from.first_day(), a.to.map(|t| t.last_day()), &a.id).cmp(&(
            b.from.first_day(),
            b.to.map(|t| t.last_day()),
            &b.id,
        ))
    });
    // Spheres: by `weight` (then collated title), so editors choose the matrix's column order.
    let weights: HashMap<&str, i64> = files
        .iter()
        .filter_map(|p| match &p.record {
            Some(Record::Sphere(r)) => {
                Some((stem_of(&p.rel, &config), r.weight.unwrap_or(i64::MAX)))
            }
            _ => None,
        })
        .collect();
    spheres.sort_by_cached_key(|s| {
        (
            weights.get(s.id.as_str()).copied().unwrap_or(i64::MAX),
            collation.key(&s.title),
            s.id.clone(),
        )
    });
    let resolver = Resolver::new(&periods, &spheres);

    // Abstracts: resolve references and slugs.
    let mut pending: Vec<Pending> = Vec::new();
    let mut slugs: FastMap<String, &str> = FastMap::default();
    let mut dois: FastMap<String, &str> = FastMap::default();
    for p in files {
        let Some(Record::Abstract(raw)) = &p.record else {
            continue;
        };
        let raw: &RawAbstract = raw;
        let mut ok = true;
        let slug = match &raw.slug {
            Some(s) => s.value.clone(),
            None => memo.stem_slug(stem_of(&p.rel, &config), scheme),
        };
        if slug.is_empty() {
            diags.push(
                Diagnostic::error(
                    &p.rel,
                    format!(
                        "the file name `{}` gives an empty slug",
                        stem_of(&p.rel, &config)
                    ),
                )
                .help("rename the file, or add `slug: some-words` to the front matter"),
            );
            ok = false;
        } else if slug.len() > slug::MAX_SLUG {
            let d = Diagnostic::error(
                &p.rel,
                format!(
                    "the slug `{}…` is {} characters long: at most {} fit in a file name",
                    slug::cut_slug(&slug, 40),
                    slug.len(),
                    slug::MAX_SLUG
                ),
            )
            .help("add a shorter `slug: some-words` to the front matter (the URL of the work)");
            diags.push(match &raw.slug {
                Some(s) => at_diag(p, s, d),
                None => d,
            });
            ok = false;
        }
        match slugs.entry(slug.clone()) {
            Entry::Occupied(other) if !slug.is_empty() => {
                let d = Diagnostic::error(
                    &p.rel,
                    format!("slug `{slug}` is already used by `{}`", other.get()),
                )
                .help(same_name_help(&p.rel, other.get()));
                diags.push(match &raw.slug {
                    Some(s) => at_diag(p, s, d),
                    None => d,
                });
                ok = false;
            }
            Entry::Occupied(_) => {}
            Entry::Vacant(v) => {
                v.insert(&p.rel);
            }
        }
        // One work entered twice: the DOI says so (case does not matter in a DOI).
        if let Some(doi) = &raw.doi {
            match dois.entry(doi.value.to_lowercase()) {
                Entry::Occupied(other) => diags.push(at_diag(
                    p,
                    doi,
                    Diagnostic::warning(
                        &p.rel,
                        format!("DOI `{}` is also the DOI of `{}`", doi.value, other.get()),
                    )
                    .help("if both files describe the same work, keep one (and add the other's URL to its `aliases`)"),
                )),
                Entry::Vacant(v) => {
                    v.insert(&p.rel);
                }
            }
        }
        let sphere_list = resolver.spheres(p, raw, diags);
        let period_list = resolver.periods(p, raw, diags);
        if !ok || (raw.draft && drafts == Drafts::Exclude) {
            continue;
        }
        pending.push(Pending {
            parsed: p,
            raw,
            slug,
            spheres: sphere_list,
            periods: period_list,
            title_key: memo.key(&collation, &raw.title.value),
        });
    }

    // Listing order.
    pending.sort_by(|a, b| {
        newest_first(a.raw.date.value, b.raw.date.value)
            .then_with(|| a.title_key.cmp(&b.title_key))
            .then_with(|| a.slug.cmp(&b.slug))
    });

    // Title order, from the same collation keys.
    let mut by_title: Vec<u32> = (0..pending.len() as u32).collect();
    by_title.sort_by(|&x, &y| {
        pending[x as usize]
            .title_key
            .cmp(&pending[y as usize].title_key)
            .then(x.cmp(&y))
    });
    let mut title_rank = vec![0u32; by_title.len()];
    for (rank, &id) in by_title.iter().enumerate() {
        title_rank[id as usize] = rank as u32;
    }

    // Facets: one walk, pushing ids; values collated afterwards.
    let mut builders: [FacetBuilder; 3] = Default::default();
    type FacetIds = (Option<Vec<u32>>, Vec<u32>, Vec<u32>);
    let mut ids: Vec<FacetIds> = Vec::with_capacity(pending.len());
    for (i, w) in pending.iter().enumerate() {
        let id = i as AbstractId;
        let raw = w.raw;
        let authors = match &raw.authors {
            Authors::Unknown => None,
            Authors::Known(list) => Some(builders[0].add_all(list, id, FacetKind::Person, memo)),
        };
        let actors = builders[1].add_all(&raw.actors, id, FacetKind::Person, memo);
        let keywords = builders[2].add_all(&raw.keywords, id, FacetKind::Keyword, memo);
        ids.push((authors, actors, keywords));
    }
    let by_source: HashMap<String, AbstractId> = pending
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let rel = &w.parsed.rel;
            (
                rel.strip_prefix("content/").unwrap_or(rel).to_string(),
                i as AbstractId,
            )
        })
        .collect();
    // Copying each record's fields into the model is independent work: in parallel.
    use rayon::prelude::*;
    let mut abstracts: Vec<Abstract> = pending
        .into_par_iter()
        .zip(ids)
        .map(|(w, (authors, actors, keywords))| {
            let raw = w.raw;
            Abstract {
                rel: w.parsed.rel.clone(),
                slug: w.slug,
                title: raw.title.value.clone(),
                original_title: raw.original_title.clone(),
                authors,
                date: raw.date.value,
                coverage: raw.coverage.as_ref().map(|c| (c.from.value, c.to.value)),
                periods: w.periods,
                spheres: w.spheres,
                actors,
                keywords,
                language: raw.language.as_ref().map(|l| l.value.clone()),
                abstract_language: raw
                    .abstract_language
                    .as_ref()
                    .or(raw.language.as_ref())
                    .map(|l| l.value.clone()),
                aliases: raw.aliases.clone(),
                source: raw.source.clone(),
                doi: raw.doi.as_ref().map(|d| d.value.clone()),
                url: raw.url.clone(),
                draft: raw.draft,
                body: w.parsed.body.clone(),
                body_line: w.parsed.body_line,
            }
        })
        .collect();
    let mut facets: [Vec<FacetValue>; 3] = Default::default();
    for (n, b) in builders.into_iter().enumerate() {
        let kind = if n == 2 {
            FacetKind::Keyword
        } else {
            FacetKind::Person
        };
        let (values, remap) = b.finish(&collation, memo, kind, scheme, FacetName::ALL[n], diags);
        facets[n] = values;
        for a in &mut abstracts {
            let list = match n {
                0 => match &mut a.authors {
                    Some(l) => l,
                    None => continue,
                },
                1 => &mut a.actors,
                _ => &mut a.keywords,
            };
            for v in list.iter_mut() {
                *v = remap[*v as usize];
            }
        }
    }

    let cross = link_members(&abstracts, &mut periods, &mut spheres);

    let mut archive = Archive {
        config,
        abstracts,
        periods,
        spheres,
        pages,
        facets,
        cross,
        by_source,
        related: Vec::new(),
        title_rank,
    };
    let mut t = std::time::Instant::now();
    archive.related = super::related::related(&archive);
    crate::pipeline::stage("assemble: related works", &mut t);
    archive
}

/// Resolves a work's `spheres` and `periods` (or `coverage`) against the archive's ids, with
/// the same findings in every caller: `assemble` and `watch`'s membership-only rebuild.
pub(crate) struct Resolver<'x> {
    sphere_ids: FastMap<&'x str, SphereId>,
    period_ids: FastMap<&'x str, PeriodId>,
    intervals: Vec<Interval>,
}

impl<'x> Resolver<'x> {
    pub(crate) fn new(periods: &'x [Period], spheres: &'x [Sphere]) -> Self {
        Resolver {
            sphere_ids: spheres
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.as_str(), i as SphereId))
                .collect(),
            period_ids: periods
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.as_str(), i as PeriodId))
                .collect(),
            intervals: periods.iter().map(Period::interval).collect(),
        }
    }

    /// The work's spheres, in the order written, each once.
    pub(crate) fn spheres(
        &self,
        p: &Parsed,
        raw: &RawAbstract,
        diags: &mut Diagnostics,
    ) -> Vec<SphereId> {
        let sphere_ids = &self.sphere_ids;
        let mut sphere_list = Vec::new();
        for s in &raw.spheres {
            match sphere_ids.get(s.value.as_str()) {
                Some(&id) if !sphere_list.contains(&id) => sphere_list.push(id),
                Some(_) => diags.push(at_diag(
                    p,
                    s,
                    Diagnostic::warning(&p.rel, format!("sphere `{}` is listed twice", s.value)),
                )),
                None => {
                    // The work stays (without this sphere) so its other checks run.
                    let help =
                        did_you_mean(&s.value, sphere_ids.keys().copied()).unwrap_or_else(|| {
                            format!(
                                "spheres are the files in content/spheres/ (known: {})",
                                known(sphere_ids.keys())
                            )
                        });
                    diags.push(at_diag(
                        p,
                        s,
                        Diagnostic::error(
                            &p.rel,
                            format!(
                                "unknown sphere `{}` (no content/spheres/{}.md)",
                                s.value, s.value
                            ),
                        )
                        .help(help),
                    ));
                }
            }
        }
        sphere_list
    }

    /// The work's periods: those listed, else those its coverage overlaps enough; sorted.
    pub(crate) fn periods(
        &self,
        p: &Parsed,
        raw: &RawAbstract,
        diags: &mut Diagnostics,
    ) -> Vec<PeriodId> {
        let period_ids = &self.period_ids;
        let mut period_list = Vec::new();
        if let Some(list) = &raw.periods {
            for s in list {
                match period_ids.get(s.value.as_str()) {
                    Some(&id) if !period_list.contains(&id) => period_list.push(id),
                    Some(_) => diags.push(at_diag(
                        p,
                        s,
                        Diagnostic::warning(
                            &p.rel,
                            format!("period `{}` is listed twice", s.value),
                        ),
                    )),
                    None => {
                        let help = did_you_mean(&s.value, period_ids.keys().copied())
                            .unwrap_or_else(|| {
                                format!(
                                    "periods are the files in content/periods/ (known: {})",
                                    known(period_ids.keys())
                                )
                            });
                        diags.push(at_diag(
                            p,
                            s,
                            Diagnostic::error(
                                &p.rel,
                                format!(
                                    "unknown period `{}` (no content/periods/{}.md)",
                                    s.value, s.value
                                ),
                            )
                            .help(help),
                        ));
                    }
                }
            }
            period_list.sort_unstable();
        } else if let Some(c) = &raw.coverage {
            let coverage = Interval::new_closed(c.from.value.first_day(), c.to.value.last_day());
            period_list = (0..self.intervals.len())
                .filter(|&i| is_member(coverage, self.intervals[i]))
                .map(|i| i as PeriodId)
                .collect();
        } else if !raw.broken && !raw.draft {
            diags.push(
                Diagnostic::warning(&p.rel, "belongs to no period: it has neither `coverage` nor `periods`")
                    .at(&p.text, 1, 1, 3)
                    .help("add `coverage: {from: YYYY-MM, to: YYYY-MM}` (the span the work studies) or `periods: [id]`"),
            );
        }
        period_list
    }
}

/// Fills the member lists of periods and spheres and returns the period × sphere cross lists,
/// from one walk over the works (in id order, so every list is in listing order).
pub(crate) fn link_members(
    abstracts: &[Abstract],
    periods: &mut [Period],
    spheres: &mut [Sphere],
) -> Vec<Vec<AbstractId>> {
    for p in periods.iter_mut() {
        p.members.clear();
    }
    for s in spheres.iter_mut() {
        s.members.clear();
    }
    let mut cross = vec![Vec::new(); periods.len() * spheres.len()];
    for (i, a) in abstracts.iter().enumerate() {
        let id = i as AbstractId;
        for &p in &a.periods {
            periods[p as usize].members.push(id);
            for &s in &a.spheres {
                cross[p as usize * spheres.len() + s as usize].push(id);
            }
        }
        for &s in &a.spheres {
            spheres[s as usize].members.push(id);
        }
    }
    cross
}

fn known<'a>(ids: impl Iterator<Item = &'a &'a str>) -> String {
    let mut v: Vec<&str> = ids.copied().collect();
    v.sort_unstable();
    if v.is_empty() {
        "none yet".to_string()
    } else {
        v.join(", ")
    }
}

/// Collects one facet's values in first-seen order; `finish` collates them.
#[derive(Default)]
struct FacetBuilder {
    index: rustc_hash::FxHashMap<String, u32>,
    names: Vec<String>,
    members: Vec<Vec<AbstractId>>,
}

impl FacetBuilder {
    fn add_all(
        &mut self,
        values: &[At<String>],
        id: AbstractId,
        kind: FacetKind,
        memo: &mut Memo,
    ) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::with_capacity(values.len());
        for v in values {
            let (name, key) = memo.facet_norm(&v.value, kind);
            if name.is_empty() {
                continue;
            }
            let i = match self.index.get(key.as_str()) {
                Some(&i) => i,
                None => {
                    let i = self.names.len() as u32;
                    self.index.insert(key.clone(), i);
                    self.names.push(name.clone());
                    self.members.push(Vec::new());
                    i
                }
            };
            if !out.contains(&i) {
                out.push(i);
                self.members[i as usize].push(id);
            }
        }
        out
    }

    /// Values in collated order, and the map from first-seen index to final index.
    fn finish(
        self,
        collation: &Collation,
        memo: &mut Memo,
        kind: FacetKind,
        scheme: slug::Scheme,
        facet: FacetName,
        diags: &mut Diagnostics,
    ) -> (Vec<FacetValue>, Vec<u32>) {
        let mut order: Vec<(std::sync::Arc<[u8]>, usize)> = self
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| (memo.key(collation, n), i))
            .collect();
        order.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| self.names[a.1].cmp(&self.names[b.1]))
        });
        let mut remap = vec![0u32; self.names.len()];
        let mut members = self.members;
        let mut seen: FastMap<String, usize> = FastMap::default();
        let mut values = Vec::with_capacity(order.len());
        for (new, (_, old)) in order.into_iter().enumerate() {
            remap[old] = new as u32;
            let name = self.names[old].clone();
            let slug = memo.facet_slug(&name, kind, scheme);
            if let Some(&other) = seen.get(&slug) {
                let other: &FacetValue = &values[other];
                diags.push(Diagnostic::error(
                    format!("content/abstracts (facet {})", facet.as_str()),
                    format!("`{name}` and `{}` would share the URL slug `{slug}`", other.name),
                ).help("this is a hash collision of two distinct values; write one of them differently"));
            }
            seen.insert(slug.clone(), new);
            values.push(FacetValue {
                name,
                slug,
                members: std::mem::take(&mut members[old]),
            });
        }
        (values, remap)
    }
}

/// The hint for two works with one slug. Two file names that differ only in their Unicode
/// normalization (`café.md` typed on one system, `cafe\u{301}.md` saved by another) print
/// alike, so the hint says what tells them apart.
fn same_name_help(a: &str, b: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let plain = "two works cannot share a URL: add a distinct `slug:` to one of them";
    if a != b && a.nfc().eq(b.nfc()) {
        format!(
            "the two file names look alike but are written with different Unicode forms (one \
             with composed letters, NFC, the other with combining accents, NFD): probably one \
             file saved twice; delete one, or {}",
            &plain[plain.find("add").unwrap_or(0)..]
        )
    } else {
        plain.to_string()
    }
}

#[cfg(test)]
mod tests;
