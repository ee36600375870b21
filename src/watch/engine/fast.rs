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
            let new = self.parse_file(&file, &[], forced, true).ok()?;
            edits.push(Edit { file, old, new });
        }
        Some(edits)
    }

    /// The fast path for the most common edit: only the bodies of existing abstracts changed
    /// (front matter, position and findings of every named file exactly as before). The model,
    /// the plan and every listing stay as they are; the works' pages and the feed (which quotes
    /// bodies) are brought up to date. None when the edit is anything else.
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
            bodies.push((id, new.body.clone()));
        }
        let mut ids = Vec::with_capacity(bodies.len());
        for (id, body) in bodies {
            Arc::make_mut(&mut last.archive).abstracts[id as usize].body = body;
            ids.push(id);
        }
        Some(self.patched(last, edits, ids, &[], Route::Bodies, start))
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
