//! The fast path for a front-matter edit that moves works between spheres or periods: the
//! model is patched and only the pages that can show the move are fingerprinted.

use super::fast::Edit;
use super::*;
use crate::model::AbstractId;
use crate::model::assemble::{Resolver, link_members};
use crate::source::Record;
use crate::source::raw::RawAbstract;

/// A work's record with its membership fields (`spheres`, `periods`, `coverage`) cleared: two
/// records equal under this differ at most in where the work is filed.
fn without_memberships(raw: &RawAbstract) -> RawAbstract {
    let mut r = raw.clone();
    r.spheres.clear();
    r.periods = None;
    r.coverage = None;
    r
}

/// The site after a regrouping: every file, those that changed (sorted), pages rendered.
struct Regrouped {
    files: HashMap<String, Bytes>,
    changed: Vec<String>,
    rendered: usize,
}

impl Engine {
    /// Applies when every file the watcher names is an existing abstract whose new record
    /// differs from the last good one only in `spheres`, `periods` or `coverage` (its body may
    /// change too), with the same findings, resolving without findings, and without a cell of
    /// the period × sphere matrix becoming empty or non-empty or changing its number of pages
    /// (which would change the plan).
    /// Then the listing order, the facets, the URLs and the plan are those of the last good
    /// rebuild; the works' memberships are patched in and relinked, the related works of the
    /// lists they can change recomputed, and the pages fingerprinted (re-rendered when that
    /// changed) are those the plan says can show a membership: the works' own pages, the
    /// pages of works listing one of them as related or whose related works changed, every
    /// facet page listing one of them, every page that is not about a single work or facet
    /// value (home, indexes, periods, spheres, cross pages, timeline, free pages), and every
    /// page whose template's key moved (it reads `site`, whose counts changed).
    ///
    /// None when the edit is anything else; `last` may be patched by then, so the caller
    /// rebuilds in full and does not keep it. On an error the store is untouched.
    pub(super) fn regroup(
        &mut self,
        last: &mut LastGood,
        edits: &[Edit],
        start: Instant,
    ) -> Option<Result<Change, Failed>> {
        // Check every file, and resolve its new memberships, before changing anything.
        let mut patches = Vec::with_capacity(edits.len());
        {
            let resolver = Resolver::new(&last.archive.periods, &last.archive.spheres);
            for Edit { file: f, old, new } in edits {
                let (Some(Record::Abstract(o)), Some(Record::Abstract(n))) =
                    (&old.record, &new.record)
                else {
                    return None;
                };
                if new.diags != old.diags
                    || new.body_line != old.body_line
                    || without_memberships(n) != without_memberships(o)
                {
                    return None;
                }
                let mut findings = Diagnostics::default();
                resolver.spheres(old, o, &mut findings);
                resolver.periods(old, o, &mut findings);
                let spheres = resolver.spheres(new, n, &mut findings);
                let periods = resolver.periods(new, n, &mut findings);
                if !findings.is_empty() {
                    return None;
                }
                let id = *last
                    .archive
                    .by_source
                    .get(f.rel.strip_prefix("content/")?)?;
                let coverage = n.coverage.as_ref().map(|c| (c.from.value, c.to.value));
                patches.push((id, spheres, periods, coverage, new.body.clone()));
            }
        }
        // Patch the model.
        let archive = Arc::make_mut(&mut last.archive);
        let mut ids: Vec<AbstractId> = Vec::with_capacity(patches.len());
        for (id, spheres, periods, coverage, body) in patches {
            let w = &mut archive.abstracts[id as usize];
            w.spheres = spheres;
            w.periods = periods;
            w.coverage = coverage;
            w.body = body;
            ids.push(id);
        }
        let cross = link_members(
            &archive.abstracts,
            &mut archive.periods,
            &mut archive.spheres,
        );
        let old_cross = std::mem::replace(&mut archive.cross, cross);
        // A cell that becomes empty or non-empty, or gains or loses a page, changes the plan.
        let size = archive.config.page_size;
        if old_cross.iter().zip(&archive.cross).any(|(a, b)| {
            a.is_empty() != b.is_empty()
                || crate::render::plan::page_count(a.len(), size)
                    != crate::render::plan::page_count(b.len(), size)
        }) {
            return None;
        }
        // Shared spheres and periods rank related works: other works' lists may change too,
        // and their pages are fingerprinted with the moved works'.
        let also = crate::model::related::refresh(archive, &ids);

        Some(self.patched(last, edits, ids, &also, Route::Memberships, start))
    }

    /// Takes an edit whose works `ids` were patched into `last` (by [`Engine::bodies_only`]
    /// or [`Engine::regroup`]): records the files' new hashes, fingerprints the pages `route`
    /// says can show the edit (and the pages of the works `also`, sorted, whose related works
    /// changed), re-renders those whose fingerprint changed and publishes the result. On an
    /// error nothing is kept (and the caller drops `last`).
    pub(super) fn patched(
        &mut self,
        last: &mut LastGood,
        edits: &[Edit],
        mut ids: Vec<AbstractId>,
        also: &[AbstractId],
        route: Route,
        start: Instant,
    ) -> Result<Change, Failed> {
        ids.sort_unstable();
        ids.dedup();
        let mut inputs = std::mem::take(&mut self.inputs);
        let mut sources = Vec::new();
        let mut before = Vec::new();
        {
            let cache = self.files.read().expect("no panic holding the cache");
            for Edit { file: f, .. } in edits {
                if let Some(c) = cache.get(&f.rel) {
                    self.summaries.1.files.insert(f.rel.clone(), c.hash);
                    let old = inputs.insert(f.rel.clone(), c.hash);
                    if old != Some(c.hash) {
                        sources.push(f.rel.clone());
                    }
                    before.push((f.rel.clone(), old));
                }
            }
        }
        sources.sort();
        let result = self.patched_pages(last, &ids, also, &inputs, route);
        if result.is_err() {
            // The last good rebuild's hashes, so the next one lists these files as changed.
            for (rel, old) in before {
                match old {
                    Some(h) => inputs.insert(rel, h),
                    None => inputs.remove(&rel),
                };
            }
        }
        self.inputs = inputs;
        let Regrouped {
            files,
            changed,
            rendered,
        } = result?;
        if !changed.is_empty() {
            self.store = Arc::new(Store { files });
        }
        Ok(Change {
            files: changed,
            rendered,
            sources,
            css_only: false,
            warnings: self.warnings(&last.base_warnings),
            elapsed: start.elapsed(),
            route,
        })
    }

    /// Fingerprints (and re-renders) the pages that can show an edit of the works `ids`, on
    /// the patched model of `last`: their own pages, every page whose template's key moved
    /// and, for a membership edit, the pages of works listing one of them as related (or whose
    /// related works changed, `also`), every facet page listing one of them and every page
    /// that is not about a single work or facet value (home, indexes, periods, spheres, cross pages,
    /// free pages). Returns the new site files, those that changed (sorted) and the number of
    /// pages rendered. The engine's fingerprints are updated only when everything succeeded
    /// (on a failure the caller drops `last`, whose `site` is set here).
    fn patched_pages(
        &mut self,
        last: &mut LastGood,
        ids: &[AbstractId],
        also: &[AbstractId],
        inputs: &HashMap<String, u64>,
        route: Route,
    ) -> Result<Regrouped, Failed> {
        let archive = &last.archive;
        let fail = |e: RenderError, this: &Engine| match e {
            RenderError::Content(d) => {
                let mut all = this.warnings(&last.base_warnings);
                all.push(d);
                Failed::Invalid(all)
            }
            RenderError::Internal(m) => Failed::Failure(m, this.warnings(&last.base_warnings)),
        };
        let references = Arc::clone(&self.references);
        let mut views = Views::with_summaries(
            archive,
            Arc::clone(last.renderer.messages()),
            last.summaries.0.clone(),
            last.summaries.1.clone(),
        );
        views.use_references(&references);
        views
            .refresh(ids, &last.renderer, Some(&self.summaries.1))
            .map_err(|e| fail(e, self))?;
        let site = views.site(&last.stylesheet, &last.period_html, &last.sphere_html);
        let keys = template_keys(&last.templates, &site, last.renderer.messages().key());
        last.renderer.set_global("site", &site);
        let renderer = &last.renderer;
        let links = SiteLinks::with_urls(archive, Arc::clone(&last.urls));
        let render_nanos = std::sync::atomic::AtomicU64::new(0);
        let round = Round {
            archive,
            links: &links,
            views: &views,
            renderer,
            period_html: &last.period_html,
            sphere_html: &last.sphere_html,
            inputs,
            template_keys: &keys,
            config_key: last.config_key,
            base: archive.config.base_path(),
            render_nanos: &render_nanos,
        };
        let shows = |id: AbstractId| ids.binary_search(&id).is_ok();
        let candidates: Vec<&crate::render::plan::PageJob> = last
            .plan
            .jobs
            .iter()
            .filter(|job| {
                // Citation downloads: a work's own carry its fields and abstract; the whole
                // archive's carry every abstract; the period and sphere lists, memberships.
                match job.kind {
                    PageKind::WorkData(id, _) => return shows(id),
                    PageKind::ListData(list, _) => {
                        return route == Route::Memberships || list == crate::cite::List::All;
                    }
                    // A feed lists its works' titles and abstracts; a move between
                    // spheres or periods changes which works the period, sphere and cross
                    // feeds list.
                    PageKind::Oai => return true,
                    PageKind::Feed(of) => {
                        let (_, members) = pipeline::feed_of(archive, of);
                        return members.iter().any(|&m| shows(m))
                            || (route == Route::Memberships
                                && !matches!(of, crate::render::plan::FeedOf::Author(_)));
                    }
                    _ => {}
                }
                let Some(t) = job.kind.template() else {
                    return false;
                };
                if keys.get(t) != last.template_keys.get(t) {
                    return true;
                }
                match (&job.kind, route) {
                    (PageKind::Abstract(id), _) => {
                        shows(*id)
                            || also.binary_search(id).is_ok()
                            // It lists its related works' summaries.
                            || (route == Route::Memberships
                                && archive.related[*id as usize].iter().any(|&m| shows(m)))
                    }
                    (_, Route::Bodies) | (PageKind::Alias(_), _) => false,
                    (PageKind::FacetValue(f, v, _), _) => archive.facet(*f)[*v as usize]
                        .members
                        .iter()
                        .any(|&m| shows(m)),
                    _ => true,
                }
            })
            .collect();
        let results: Vec<Result<Rendered, RenderError>> = candidates
            .par_iter()
            .filter_map(|job| self.page(&round, job))
            .collect();
        let mut files = self.store.files.clone();
        let mut changed_files = Vec::new();
        let mut fingerprints = Vec::with_capacity(results.len());
        let mut rendered = 0;
        for r in results {
            let (file, fp, bytes, ds) = r.map_err(|e| fail(e, self))?;
            if ds.iter().any(Diagnostic::is_error) {
                return Err(Failed::Invalid(self.warnings(&last.base_warnings)));
            }
            if let Some(b) = bytes {
                rendered += usize::from(file.ends_with(".html"));
                if !files.get(&file).is_some_and(|o| same_bytes(o, &b)) {
                    changed_files.push(file.clone());
                }
                files.insert(file.clone(), b);
            }
            fingerprints.push((file, fp));
        }
        let (atom, text) = pipeline::atom_file(archive);
        let text = Bytes::from(text);
        if !files.get(&atom).is_some_and(|o| same_bytes(o, &text)) {
            changed_files.push(atom.clone());
            files.insert(atom, text);
        }
        changed_files.sort();
        drop(links);
        self.fingerprints.extend(fingerprints);
        last.summaries = views.into_summaries();
        last.template_keys = keys;
        Ok(Regrouped {
            files,
            changed: changed_files,
            rendered,
        })
    }
}
