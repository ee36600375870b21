//! The shortcuts of the engine: a style-sheet swap before the full rebuild, and the
//! bodies-only rebuild, which keeps the model, the plan and every listing.

use super::*;

/// An edited file: its last parse (the one the last good model was built from) and its new one.
pub(super) struct Edit {
    pub file: SourceFile,
    pub old: Arc<Parsed>,
    pub new: Arc<Parsed>,
}

impl Engine {
    /// When every path in `changed` is an existing style sheet under `static/` that the site
    /// already serves: the served site with just those files replaced (the engine's own state
    /// is left for the full rebuild that follows). None otherwise.
    pub fn style_sheets_only(&self, changed: &[PathBuf]) -> Option<Arc<Store>> {
        if changed.is_empty() {
            return None;
        }
        let statics = self.opts.root.join("static");
        let mut files = Vec::new();
        for p in changed {
            let rel = p.strip_prefix(&statics).ok()?;
            let name = rel.to_str()?.replace('\\', "/");
            if !name.ends_with(".css") || !self.store.files.contains_key(&name) {
                return None;
            }
            files.push((name, Bytes::from(std::fs::read(p).ok()?)));
        }
        let mut store = (*self.store).clone();
        for (name, bytes) in files {
            store.files.insert(name, bytes);
        }
        Some(Arc::new(store))
    }

    /// The files named by the watcher, with their last parse and their new one, when every
    /// one is an abstract the last scan lists, still exists and parses; None otherwise (or
    /// when none is named). Parsing updates the cache, so the fast paths share one call.
    pub(super) fn edited_abstracts(&self, forced: &HashSet<PathBuf>) -> Option<Vec<Edit>> {
        let scan = &self.scan.as_ref()?.0;
        let mut edited: Vec<SourceFile> = Vec::new();
        for p in forced {
            let f = scan.files.iter().find(|f| &f.abs == p)?;
            if f.section != source::Section::Abstract || !p.is_file() {
                return None;
            }
            if !edited.iter().any(|e| e.rel == f.rel) {
                edited.push(f.clone());
            }
        }
        if edited.is_empty() {
            return None;
        }
        let mut edits = Vec::with_capacity(edited.len());
        for file in edited {
            let old = self
                .files
                .read()
                .expect("no panic holding the cache")
                .get(&file.rel)?
                .parsed
                .clone();
            let new = self.parse_file(&file, forced, true).ok()?;
            edits.push(Edit { file, old, new });
        }
        Some(edits)
    }

    /// The fast path for the most common edit: only the bodies of existing abstracts changed
    /// (front matter, position and findings of every named file exactly as before). The model,
    /// the plan and every listing stay as they are; the abstract pages and the feed (which
    /// quotes bodies) are brought up to date. None when the edit is anything else.
    pub(super) fn bodies_only(
        &mut self,
        last: &mut LastGood,
        edits: &[Edit],
        start: Instant,
    ) -> Option<Result<Change, Failed>> {
        let mut bodies: Vec<(crate::model::AbstractId, source::Text)> = Vec::new();
        for Edit { file: f, old, new } in edits {
            if old.record.is_none()
                || new.record != old.record
                || new.diags != old.diags
                || new.body_line != old.body_line
            {
                return None;
            }
            let id = *last
                .archive
                .by_source
                .get(f.rel.strip_prefix("content/")?)?;
            if last.archive.abstracts[id as usize].body != new.body {
                bodies.push((id, new.body.clone()));
            }
        }
        for (id, body) in bodies.iter().cloned() {
            last.archive.abstracts[id as usize].body = body;
        }
        let archive = &last.archive;
        let views = Views::light(archive);
        let links = SiteLinks::with_urls(archive, Arc::clone(&last.urls));
        let base = archive.config.base_path();
        let mut files = self.store.files.clone();
        let mut changed_files = Vec::new();
        let mut new_fingerprints = Vec::new();
        let mut rendered = 0;
        for (id, _) in &bodies {
            let url = crate::render::plan::abstract_url(archive, *id);
            let file = crate::output::url_to_file(&url).expect("plan checked every URL");
            let page_url = format!("{base}{url}");
            let w = archive.work(*id);
            let (html, key, ds) = self.body(&links, &w.rel, &w.body, w.body_line, &page_url);
            if ds.iter().any(Diagnostic::is_error) {
                return Some(Err(Failed::Invalid(self.warnings(&last.base_warnings))));
            }
            let kind = PageKind::Abstract(*id);
            let fp =
                views.fingerprint(&url, &kind, Some(key), &last.period_html, &last.sphere_html)
                    ^ last.template_keys["abstract.html"].rotate_left(17);
            if self.fingerprints.get(&file) == Some(&fp) && files.contains_key(&file) {
                continue;
            }
            let ctx = views.context(
                &url,
                &kind,
                Some(html.to_string()),
                &last.period_html,
                &last.sphere_html,
            );
            match last.renderer.render("abstract.html", &ctx) {
                Ok(page) => {
                    rendered += 1;
                    let page = Bytes::from(page);
                    if !files.get(&file).is_some_and(|o| same_bytes(o, &page)) {
                        changed_files.push(file.clone());
                    }
                    files.insert(file.clone(), page);
                    new_fingerprints.push((file, fp));
                }
                Err(RenderError::Content(d)) => {
                    let mut all = self.warnings(&last.base_warnings);
                    all.push(d);
                    return Some(Err(Failed::Invalid(all)));
                }
                Err(RenderError::Internal(m)) => {
                    return Some(Err(Failed::Failure(m, self.warnings(&last.base_warnings))));
                }
            }
        }
        let (atom, text) = pipeline::atom_file(archive);
        let text = Bytes::from(text);
        if !files.get(&atom).is_some_and(|o| same_bytes(o, &text)) {
            changed_files.push(atom.clone());
            files.insert(atom, text);
        }
        changed_files.sort();
        let mut sources = Vec::new();
        {
            let cache = self.files.read().expect("no panic holding the cache");
            for Edit { file: f, .. } in edits {
                if let Some(c) = cache.get(&f.rel)
                    && self.inputs.get(&f.rel) != Some(&c.hash)
                {
                    self.inputs.insert(f.rel.clone(), c.hash);
                    sources.push(f.rel.clone());
                }
            }
        }
        sources.sort();
        let warnings = self.warnings(&last.base_warnings);
        drop(views);
        drop(links);
        self.fingerprints.extend(new_fingerprints);
        if !changed_files.is_empty() {
            self.store = Arc::new(Store { files });
        }
        Some(Ok(Change {
            files: changed_files,
            rendered,
            sources,
            css_only: false,
            warnings,
            elapsed: start.elapsed(),
            route: Route::Bodies,
        }))
    }

    /// `base` and the findings of every cached body rendering.
    pub(super) fn warnings(&self, base: &Diagnostics) -> Diagnostics {
        let mut d = base.clone();
        for e in self
            .bodies
            .read()
            .expect("no panic holding the cache")
            .values()
        {
            d.extend(e.diags.iter().cloned());
        }
        d
    }
}
