//! `build` and `check`: the pipeline as a list of stage calls.
//!
//! load (config, scan, parse in parallel) → assemble the model → plan pages → (check stops
//! here, after checking every body's links) → render in parallel, streaming each page to the
//! staging folder → swap in. Content problems come back as [`Diagnostics`] (exit 1); I/O and
//! internal failures as [`Failure`] (exit 2). Nothing here prints.

use crate::config::{self, Config};
use crate::diag::{Diagnostic, Diagnostics};
use crate::feeds;
use crate::i18n::Messages;
use crate::markdown::{self, LinkProblemKind, LinkResolver};
use crate::model::{AbstractId, Archive, Drafts, FacetName};
use crate::output::{self, Staging};
use crate::render::plan::{self, PageJob, PageKind, Plan};
use crate::render::views::{Views, authors_text};
use crate::render::{RenderError, Renderer, theme};
use crate::source::{self, Parsed, SourceFile};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What `build` and `check` need to know.
#[derive(Debug, Clone)]
pub struct Options {
    /// The archive folder.
    pub root: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// Whether drafts are part of the site.
    pub drafts: Drafts,
    /// Overrides `base_url` of archive.yaml.
    pub base_url: Option<String>,
    /// Where built search-index shards are kept between builds (None: no cache); see
    /// `search::cache`.
    pub cache: Option<PathBuf>,
}

/// A failure that is not the archive's fault (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Bad command-line input.
    #[error("{0}")]
    Usage(String),
    /// Reading or writing failed.
    #[error("{0}")]
    Io(String),
    /// A bug in dyad (a built-in template failed).
    #[error("internal error: {0}")]
    Internal(String),
}

/// The default folder for the search-index cache (see `dyad build --cache-dir`).
pub fn default_cache_dir() -> Option<PathBuf> {
    crate::search::cache::default_dir()
}

/// The result of a successful build.
#[derive(Debug)]
pub struct Report {
    /// Pages and files written (HTML pages only).
    pub pages: usize,
    /// Works in the site.
    pub abstracts: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Warnings (never errors).
    pub diagnostics: Diagnostics,
}

/// How a run ended, when the archive had errors.
#[derive(Debug)]
pub enum Outcome {
    /// The archive has errors: nothing was written.
    Invalid(Diagnostics),
    /// I/O or internal failure.
    Failed(Failure, Diagnostics),
}

/// Progress callbacks (a terminal progress bar, or nothing).
pub trait Progress: Sync {
    /// Rendering starts: `total` outputs.
    fn start(&self, total: u64);
    /// One more output written.
    fn tick(&self);
    /// Rendering ended.
    fn finish(&self);
}

/// No progress display.
pub struct Quiet;

impl Progress for Quiet {
    fn start(&self, _: u64) {}
    fn tick(&self) {}
    fn finish(&self) {}
}

/// Logs a stage's elapsed time when `DYAD_LOG=debug` (see README, "Performance"), and on
/// Linux the process's resident memory at its end and at most so far.
pub(crate) fn stage(name: &str, since: &mut Instant) {
    if std::env::var_os("DYAD_LOG").is_some_and(|v| v == "debug") {
        eprintln!(
            "debug: {name}: {:.3} s{}",
            since.elapsed().as_secs_f64(),
            memory()
        );
    }
    *since = Instant::now();
}

/// `, RSS 412 MB (peak 530 MB)` from /proc/self/status; empty where that is not readable.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!(", RSS {} MB (peak {} MB)", now / 1024, peak / 1024),
        _ => String::new(),
    }
}

/// Everything loaded and checked, ready to render.
pub(crate) struct Loaded {
    /// The site in the archive's default language.
    pub archive: Archive,
    pub plan: Plan,
    /// The sites in the further languages (`languages:` after the first), in that order:
    /// each assembled from the translated files and planned under `<lang>/` (see
    /// [`crate::model::translate`]); empty for a single-language archive, and when the
    /// default site has errors.
    pub others: Vec<(Archive, Plan)>,
    pub templates: Vec<(String, String)>,
    /// The interface strings: dyad's, overridden by the archive's `i18n/<lang>.ftl`.
    pub messages: std::sync::Arc<Messages>,
    pub diags: Diagnostics,
    /// The scan (its `statics` are the archive's static files) and what it found wrong, for
    /// `watch` to reuse when no file came or went.
    pub scan: (source::Scan, Vec<Diagnostic>),
}

/// Reads and parses one content file (from disk, or from `watch`'s cache).
/// The second argument is the archive's languages after the default (see [`source::parse`]).
pub(crate) type ParseFile<'a> =
    dyn Fn(&SourceFile, &[String]) -> Result<std::sync::Arc<Parsed>, Diagnostic> + Sync + 'a;

fn load(opts: &Options) -> Result<Loaded, Outcome> {
    let mut loaded = load_with(
        opts,
        None,
        None,
        &|f: &SourceFile, translated: &[String]| {
            source::read(&f.rel, &f.abs)
                .map(|text| std::sync::Arc::new(source::parse(&f.rel, f.section, text, translated)))
        },
    )?;
    // The parsed files are gone; what still holds a file's text is its work's body. Keep the
    // body alone (not the front matter before it): a quarter of the texts' memory. Only in
    // a one-language archive, where no other site's work shares the text.
    if loaded.others.is_empty() {
        loaded.archive.own_bodies();
    }
    Ok(loaded)
}

/// Loads the archive: config, scan, every content file through `parse_file`, the model and
/// the page plan, with every problem found on the way. `memo` keeps collation keys and slugs
/// from one load to the next (`watch`); None: a fresh one, freed once the model is assembled.
pub(crate) fn load_with(
    opts: &Options,
    reuse: Option<(source::Scan, Vec<Diagnostic>)>,
    memo: Option<&mut crate::model::assemble::Memo>,
    parse_file: &ParseFile,
) -> Result<Loaded, Outcome> {
    let mut diags = Diagnostics::new();
    let mut t = Instant::now();
    let Some(mut config) = config::load(&opts.root, &mut diags) else {
        return Err(Outcome::Invalid(diags));
    };
    if let Some(b) = &opts.base_url {
        config.base_url = config::parse_base_url(b).map_err(|m| {
            Outcome::Failed(
                Failure::Usage(format!("--base-url: {m}")),
                Diagnostics::new(),
            )
        })?;
        config.root_url = config.base_url.clone();
    }
    let (scan, scan_diags) = match reuse {
        Some(s) => s,
        None => {
            let mut found = Diagnostics::new();
            let scan = source::scan(&opts.root, &mut found);
            (scan, found.iter().cloned().collect())
        }
    };
    diags.extend(scan_diags.iter().cloned());
    stage("config and scan", &mut t);
    let parsed: Vec<Result<std::sync::Arc<Parsed>, Diagnostic>> = scan
        .files
        .par_iter()
        .map(|f| parse_file(f, &config.languages[1..]))
        .collect();
    stage("read and parse", &mut t);
    let mut files = Vec::with_capacity(parsed.len());
    for p in parsed {
        match p {
            Ok(p) => {
                diags.extend(p.diags.iter().cloned());
                files.push(p);
            }
            Err(d) => diags.push(d),
        }
    }
    let languages = config.languages.clone();
    if languages.len() > 1 {
        crate::model::translate::check(&files, &config, &mut diags);
    }
    // Without a memo to keep (a build), the one used here is freed before planning.
    let archive = crate::model::assemble::assemble_with(
        config.clone(),
        &files,
        opts.drafts,
        &mut diags,
        memo.unwrap_or(&mut Default::default()),
    );
    // The parsed records are needed again only for the other languages' sites.
    let files = if languages.len() > 1 {
        files
    } else {
        drop(files);
        Vec::new()
    };
    stage("assemble", &mut t);
    let mut templates = Vec::new();
    for (name, path) in &scan.templates {
        match source::read(&format!("templates/{name}"), path) {
            Ok(t) => templates.push((name.clone(), t)),
            Err(d) => diags.push(d),
        }
    }
    let messages = Messages::load(&opts.root, &archive.config.languages, &mut diags);
    diags.extend(messages.missing());
    let messages = std::sync::Arc::new(messages);
    let mut static_names: Vec<String> = scan.statics.iter().map(|(n, _)| n.clone()).collect();
    for (name, _) in theme::STATIC {
        if !static_names.iter().any(|n| n == name) {
            static_names.push(name.to_string());
        }
    }
    let mut plan = plan::plan(&archive, &static_names, &mut diags);
    let mut others = Vec::new();
    if languages.len() > 1 && !diags.has_errors() {
        claim_language_folders(&archive, &plan, &mut diags);
        for lang in &languages[1..] {
            let (a, p) = other_language(
                &config,
                &files,
                lang,
                opts.drafts,
                &static_names,
                &mut diags,
            );
            std::sync::Arc::make_mut(&mut plan.urls)
                .extend(p.jobs.iter().map(|j| format!("{lang}/{}", j.url)));
            others.push((a, p));
        }
        stage("the other languages' sites", &mut t);
    }
    drop(files);
    if archive.config.oai.is_some() {
        let n = crate::oai::records(&archive).len();
        if n > crate::oai::MAX_RECORDS {
            diags.push(
                Diagnostic::warning(
                    "archive.yaml",
                    format!(
                        "oai.xml holds {n} records, more than the {} the OAI static repository guidelines allow; gateways may refuse it",
                        crate::oai::MAX_RECORDS
                    ),
                )
                .help("harvesters can still read the whole archive from /data/archive.csl.json; an OAI-PMH server suits archives this large"),
            );
        }
    }
    stage("plan", &mut t);
    Ok(Loaded {
        archive,
        plan,
        others,
        templates,
        messages,
        scan: (scan, scan_diags),
        diags,
    })
}

/// The outputs that every language's site shares: written once, at the root.
fn shared_output(kind: &PageKind) -> bool {
    matches!(
        kind,
        PageKind::WorkData(..)
            | PageKind::ListData(..)
            | PageKind::Oai
            | PageKind::Robots
            | PageKind::Alias(_)
            | PageKind::NotFound
    )
}

/// A default-language output whose URL starts with a further language's folder (a page
/// `content/pages/ru.md`, an alias `ru/…`) would be hidden by that language's site.
fn claim_language_folders(a: &Archive, plan: &Plan, diags: &mut Diagnostics) {
    for lang in &a.config.languages[1..] {
        for job in &plan.jobs {
            let first = job.url.split('/').next().unwrap_or("");
            if first != lang {
                continue;
            }
            let (file, what) = match &job.kind {
                PageKind::Page(i) => (a.pages[*i as usize].rel.clone(), "this page"),
                PageKind::Alias(id) => (a.work(*id).rel.clone(), "an alias of this work"),
                _ => ("archive.yaml".to_string(), "an output"),
            };
            diags.push(
                Diagnostic::error(
                    file,
                    format!(
                        "{what} is published at `/{}`, inside `/{lang}/`, where the site in `{lang}` is",
                        job.url
                    ),
                )
                .help(format!(
                    "rename the file or the alias: `/{lang}/` belongs to the `{lang}` language listed in archive.yaml"
                )),
            );
        }
    }
}

/// The site in further language `lang`: assembled from the files with their translations
/// into `lang` merged in, and planned without the outputs the default site writes for all
/// ([`shared_output`]). Problems of translation files are added to `diags`; the others
/// were reported for the default site already.
fn other_language(
    config: &Config,
    files: &[std::sync::Arc<Parsed>],
    lang: &str,
    drafts: crate::model::Drafts,
    static_names: &[String],
    diags: &mut Diagnostics,
) -> (Archive, Plan) {
    use crate::model::translate;
    let default = &config.languages[0];
    let (localized, renamed) = translate::localize(files, lang, default, drafts);
    let mut found = Diagnostics::new();
    let mut archive = crate::model::assemble::assemble_with(
        translate::config_for(config, lang),
        &localized,
        drafts,
        &mut found,
        &mut Default::default(),
    );
    for (translation, original) in renamed {
        if let Some(&id) = archive.by_source.get(&translation) {
            archive.by_source.insert(original, id);
        }
    }
    let mut plan = plan::plan(&archive, static_names, &mut found);
    let suffix = format!(".{lang}.md");
    diags.extend(found.iter().filter(|d| d.path.ends_with(&suffix)).cloned());
    plan.jobs.retain(|j| !shared_output(&j.kind));
    (archive, plan)
}

/// Resolves links for the Markdown renderer from the plan.
pub(crate) struct SiteLinks<'a> {
    archive: &'a Archive,
    /// The plan's URLs, relative to the archive's root (shared with the plan, not copied).
    urls: std::sync::Arc<HashSet<String>>,
}

impl<'a> SiteLinks<'a> {
    /// `plan` is the default language's: its URLs are relative to the archive's root, and
    /// include the other languages' pages.
    pub(crate) fn new(archive: &'a Archive, plan: &Plan) -> Self {
        Self::with_urls(archive, std::sync::Arc::clone(&plan.urls))
    }

    /// Links for `archive` with the URL set of an earlier [`SiteLinks`] of the same plan.
    pub(crate) fn with_urls(archive: &'a Archive, urls: std::sync::Arc<HashSet<String>>) -> Self {
        SiteLinks { archive, urls }
    }

    /// Whether `path` (an absolute path on the site's host, decoded) is a URL of the site:
    /// a published URL under the archive's root, or a page's folder URL with `index.html`.
    fn publishes(&self, path: &str) -> bool {
        let Some(rel) = path.strip_prefix(self.archive.config.root_path()) else {
            return false;
        };
        self.urls.contains(rel)
            || rel.strip_suffix("index.html").is_some_and(|dir| {
                (dir.is_empty() || dir.ends_with('/')) && self.urls.contains(dir)
            })
    }

    /// The set of URLs (to reuse with [`SiteLinks::with_urls`]).
    pub(crate) fn urls(&self) -> std::sync::Arc<HashSet<String>> {
        std::sync::Arc::clone(&self.urls)
    }
}

impl LinkResolver for SiteLinks<'_> {
    fn source_url(&self, source: &str) -> Option<String> {
        let id = *self.archive.by_source.get(source)?;
        Some(format!(
            "{}{}",
            self.archive.config.base_path(),
            plan::abstract_url(self.archive, id)
        ))
    }
    fn base_url(&self) -> &url::Url {
        &self.archive.config.base_url
    }
    fn url_exists(&self, path: &str) -> bool {
        self.publishes(path) || self.publishes(&percent_decode(path))
    }
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(s.replace('+', "%2B").as_bytes())
        .map(|(k, v)| {
            if v.is_empty() {
                k.into_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect()
}

/// The help for a dead link to a Markdown file (`../2019/x.md`, `/content/abstracts/x.md`,
/// as editors write them for GitHub or their editor): the `@/` link that reaches it, when the
/// file exists; else how `@/` links are written. None for other targets.
fn source_link_for(links: &dyn LinkResolver, rel: &str, target: &str) -> Option<String> {
    let path = &target[..target.find(['#', '?']).unwrap_or(target.len())];
    let fragment = target.find('#').map_or("", |at| &target[at..]);
    if !path.ends_with(".md") {
        return None;
    }
    // Resolve against the file's folder (or the archive root for `/…`), then drop `content/`.
    let mut parts: Vec<&str> = match path.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => rel
            .rsplit_once('/')
            .map_or(Vec::new(), |(dir, _)| dir.split('/').collect()),
    };
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    let found = joined
        .strip_prefix("content/")
        .filter(|source| links.source_url(source).is_some());
    Some(match found {
        Some(source) => format!("to link to that file, write `@/{source}{fragment}`: dyad turns it into the page's URL"),
        None => "to link to another file of the archive, write `@/` and its path under content/, e.g. `@/abstracts/2019/x.md`".to_string(),
    })
}

/// Renders a body, turning link problems into diagnostics for `rel`.
pub(crate) fn body_html(
    links: &dyn LinkResolver,
    rel: &str,
    text_lines: &str,
    body: &str,
    body_line: u32,
    page_url: &str,
) -> (String, Vec<Diagnostic>) {
    let r = markdown::to_html(body, body_line, page_url, links);
    let mut diags: Vec<Diagnostic> = r
        .problems
        .iter()
        .map(|p| {
            let d = match p.kind {
                LinkProblemKind::UnresolvedSource => Diagnostic::error(rel, p.message())
                    .help("`@/` links name a file under content/, e.g. `@/abstracts/2019/x.md`"),
                LinkProblemKind::DeadInternal => Diagnostic::warning(rel, p.message())
                    .maybe_help(source_link_for(links, rel, &p.target)),
                LinkProblemKind::TooDeep => Diagnostic::error(rel, p.message()).help(
                    "close what is open, or flatten it: browsers stop nesting at 512 elements",
                ),
            };
            let mut d = d;
            d.span = Some(crate::diag::Span {
                line: p.line,
                col: p.col,
                len: p.len,
            });
            match text_lines
                .lines()
                .nth(p.line.saturating_sub(body_line) as usize)
            {
                Some(line) => d.with_line(line),
                None => d,
            }
        })
        .collect();
    for (kind, n) in r.more {
        let what = match kind {
            LinkProblemKind::UnresolvedSource => "unresolved `@/` links",
            LinkProblemKind::DeadInternal => "dead internal links",
            LinkProblemKind::TooDeep => continue,
        };
        let message = format!(
            "{n} more {what} in this file (the first {} are listed above)",
            markdown::MAX_PROBLEMS
        );
        let d = match kind {
            LinkProblemKind::UnresolvedSource => Diagnostic::error(rel, message),
            _ => Diagnostic::warning(rel, message),
        };
        diags.push(d.help("fix those above and build again to see the rest"));
    }
    (r.html, diags)
}

/// The rendered descriptions of periods and spheres (shared by several pages).
pub(crate) fn descriptions(
    a: &Archive,
    links: &SiteLinks,
    diags: &mut Diagnostics,
) -> (Vec<String>, Vec<String>) {
    let base = a.config.base_path();
    let mut one = |rel: &str, body: &str, line: u32, url: String| {
        let (html, ds) = body_html(links, rel, body, body, line, &format!("{base}{url}"));
        diags.extend(ds);
        html
    };
    let periods = (0..a.periods.len())
        .map(|i| {
            one(
                &a.periods[i].rel,
                &a.periods[i].body,
                a.periods[i].body_line,
                plan::period_url(a, i as u32),
            )
        })
        .collect();
    let spheres = (0..a.spheres.len())
        .map(|i| {
            one(
                &a.spheres[i].rel,
                &a.spheres[i].body,
                a.spheres[i].body_line,
                plan::sphere_url(a, i as u32),
            )
        })
        .collect();
    (periods, spheres)
}

/// Files the previous build published that this one does not, and no alias covers.
fn dropped_urls(previous: &[String], plan: &Plan) -> Vec<String> {
    let new: HashSet<String> = plan
        .urls
        .iter()
        .filter_map(|u| output::url_to_file(u))
        .collect();
    previous
        .iter()
        .filter(|f| f.ends_with(".html") && !new.contains(*f))
        .map(|f| output::file_to_url(f).to_string())
        .collect()
}

/// Index pages named one by one before the rest are counted in one warning.
const DROPPED_INDEX_NAMED: usize = 10;

/// Warns about every dropped work page, each on its own (works are what is cited), and about
/// dropped index pages (facet values, cross pages, later pages of lists): the first
/// [`DROPPED_INDEX_NAMED`] on their own, the rest counted by section, so deleting a work with
/// thousands of keywords is one warning more, not thousands.
fn warn_dropped(previous: &[String], plan: &Plan, diags: &mut Diagnostics) {
    let mut more: std::collections::BTreeMap<String, usize> = Default::default();
    let mut named = 0;
    for url in dropped_urls(previous, plan) {
        if url == "404.html" {
            continue;
        }
        let help = if url.starts_with("abstracts/") {
            format!(
                "if the work was renamed or got a new slug, add `aliases: [{url}]` to its front matter"
            )
        } else if named < DROPPED_INDEX_NAMED {
            named += 1;
            "an index page that no longer has entries (or whose value was renamed): links to it will now fail"
                .to_string()
        } else {
            let section = url.split('/').next().unwrap_or("").to_string();
            *more.entry(section).or_default() += 1;
            continue;
        };
        diags.push(
            Diagnostic::warning(
                "content",
                format!("`/{url}` was published by the previous build and is gone: links and citations to it will break"),
            )
            .help(help),
        );
    }
    if !more.is_empty() {
        let total: usize = more.values().sum();
        let by_section: Vec<String> = more
            .iter()
            .map(|(section, n)| format!("{n} under /{section}/"))
            .collect();
        diags.push(
            Diagnostic::warning(
                "content",
                format!(
                    "{total} more index pages published by the previous build are gone ({})",
                    by_section.join(", ")
                ),
            )
            .help("index pages that no longer have entries (or whose values were renamed): links to them will now fail"),
        );
    }
}

/// Checks the links of every body (descriptions, pages, abstracts), in parallel.
pub(crate) fn check_bodies(archive: &Archive, plan: &Plan, diags: &mut Diagnostics) {
    let links = SiteLinks::new(archive, plan);
    let _ = descriptions(archive, &links, diags);
    let base = archive.config.base_path();
    let pages: Vec<Diagnostic> = archive
        .pages
        .iter()
        .flat_map(|p| {
            let url = format!("{base}{}/", p.slug);
            body_html(&links, &p.rel, &p.body, &p.body, p.body_line, &url).1
        })
        .collect();
    diags.extend(pages);
    let found: Vec<Diagnostic> = (0..archive.abstracts.len())
        .into_par_iter()
        .flat_map_iter(|i| {
            let w = &archive.abstracts[i];
            let url = format!("{base}{}", plan::abstract_url(archive, i as u32));
            body_html(&links, &w.rel, &w.body, &w.body, w.body_line, &url).1
        })
        .collect();
    diags.extend(found);
}

/// [`check_bodies`] for the site in a further language, reporting only what is wrong in its
/// translation files (the rest is the default site's, reported with it).
fn check_bodies_of_translations(archive: &Archive, root_plan: &Plan, diags: &mut Diagnostics) {
    let mut found = Diagnostics::new();
    check_bodies(archive, root_plan, &mut found);
    let suffix = format!(".{}.md", archive.config.language);
    diags.extend(found.iter().filter(|d| d.path.ends_with(&suffix)).cloned());
}

/// Loads and validates the archive, checking every body's links; writes nothing.
pub fn check(opts: &Options) -> Result<Diagnostics, Outcome> {
    let Loaded {
        archive,
        plan,
        others,
        templates,
        messages,
        mut diags,
        ..
    } = load(opts)?;
    if let Err(errors) = Renderer::new(&templates, messages) {
        for e in errors {
            match e {
                RenderError::Content(d) => diags.push(d),
                RenderError::Internal(m) => {
                    return Err(Outcome::Failed(Failure::Internal(m), diags));
                }
            }
        }
    }
    check_bodies(&archive, &plan, &mut diags);
    for (a, _) in &others {
        check_bodies_of_translations(a, &plan, &mut diags);
    }
    if let Ok(previous) = output::previous_outputs(&opts.out) {
        warn_dropped(&previous, &plan, &mut diags);
    }
    if diags.has_errors() {
        Err(Outcome::Invalid(diags))
    } else {
        Ok(diags)
    }
}

/// Builds the site into `opts.out`, atomically: on any error the previous output is untouched.
pub fn build(opts: &Options, progress: &dyn Progress) -> Result<Report, Outcome> {
    let start = Instant::now();
    let fail = |f: Failure, d: Diagnostics| Outcome::Failed(f, d);
    output::check_out_dir(&opts.root, &opts.out)
        .map_err(|e| fail(Failure::Usage(e.to_string()), Diagnostics::new()))?;
    let Loaded {
        archive,
        plan,
        others,
        templates,
        messages,
        mut diags,
        scan: (source::Scan { statics, .. }, _),
    } = load(opts)?;
    if let Err(errors) = Renderer::new(&templates, std::sync::Arc::clone(&messages)) {
        for e in errors {
            match e {
                RenderError::Content(d) => diags.push(d),
                RenderError::Internal(m) => return Err(fail(Failure::Internal(m), diags)),
            }
        }
    }
    if diags.has_errors() {
        // Report everything `check` would, the link errors of bodies included.
        check_bodies(&archive, &plan, &mut diags);
        for (a, _) in &others {
            check_bodies_of_translations(a, &plan, &mut diags);
        }
        return Err(Outcome::Invalid(diags));
    }
    let references = crate::cite::memo::Memo::open(opts.cache.as_deref(), &opts.root);
    let staging =
        Staging::begin(&opts.out).map_err(|e| fail(Failure::Io(e.to_string()), diags.clone()))?;
    let previous: Vec<String> = staging.previous_files().map(str::to_string).collect();
    warn_dropped(&previous, &plan, &mut diags);

    let jobs = plan.jobs.len() + others.iter().map(|(_, p)| p.jobs.len()).sum::<usize>();
    progress.start(jobs as u64);
    let site = Site {
        opts,
        templates: &templates,
        messages: &messages,
        stylesheet: stylesheet_url(&statics),
        staging: &staging,
        references: &references,
        progress,
        root_plan: &plan,
        site_urls: std::sync::Arc::clone(&plan.urls),
    };
    let sites = std::iter::once((&archive, &plan, String::new())).chain(
        others
            .iter()
            .map(|(a, p)| (a, p, format!("{}/", a.config.language))),
    );
    for (a, p, prefix) in sites {
        if let Err(f) = site.render(a, p, &prefix, &mut diags) {
            staging.abort();
            return Err(fail(f, diags));
        }
    }
    progress.finish();
    for (name, bytes) in theme::STATIC {
        if !statics.iter().any(|(n, _)| n == name) {
            staging
                .write(name, bytes)
                .map_err(|e| fail(Failure::Io(e.to_string()), diags.clone()))?;
        }
    }
    for (name, path) in &statics {
        staging
            .copy_file(name, path)
            .map_err(|e| fail(Failure::Io(e.to_string()), diags.clone()))?;
    }
    if diags.has_errors() {
        staging.abort();
        return Err(Outcome::Invalid(diags));
    }
    let pages = std::iter::once(&plan)
        .chain(others.iter().map(|(_, p)| p))
        .flat_map(|p| &p.jobs)
        .filter(|j| j.kind.template().is_some())
        .count();
    let abstracts = archive.abstracts.len();
    // What the pages were made from is freed before the commit, which sorts the list of every
    // file written into the manifest: at 100,000 abstracts (half a million files) doing that
    // beside the model and the plan was the build's peak.
    drop(site);
    drop((archive, plan, others, templates, messages));
    references.save();
    let report = staging
        .commit()
        .map_err(|e| fail(Failure::Io(e.to_string()), diags.clone()))?;
    for f in &report.overwritten_foreign {
        diags.push(Diagnostic::warning(
            opts.out.display().to_string(),
            format!("replaced `{f}`, which an earlier dyad build did not write"),
        ));
    }
    Ok(Report {
        pages,
        abstracts,
        elapsed: start.elapsed(),
        diagnostics: diags,
    })
}

/// What every language's site of one build shares.
struct Site<'a> {
    opts: &'a Options,
    templates: &'a [(String, String)],
    messages: &'a std::sync::Arc<crate::i18n::Messages>,
    /// The style sheet's URL relative to the root.
    stylesheet: String,
    staging: &'a Staging,
    references: &'a crate::cite::memo::Memo,
    progress: &'a dyn Progress,
    /// The default language's plan: its URLs (relative to the root) are every URL of the
    /// site, the other languages' included.
    root_plan: &'a Plan,
    /// Those URLs, for the views (see [`Views::use_site_urls`]).
    site_urls: std::sync::Arc<HashSet<String>>,
}

impl Site<'_> {
    /// Renders and writes one language's site (`prefix` is `""` for the default language,
    /// `ru/` for the others): its pages, downloads, feeds, search index and sitemap. Content
    /// problems go to `diags`; an I/O or internal failure stops it.
    fn render(
        &self,
        archive: &Archive,
        plan: &Plan,
        prefix: &str,
        diags: &mut Diagnostics,
    ) -> Result<(), Failure> {
        let (opts, staging, progress) = (self.opts, self.staging, self.progress);
        let mut renderer = Renderer::new(self.templates, std::sync::Arc::clone(self.messages))
            .map_err(|_| {
                Failure::Internal("the templates loaded once and then failed to".into())
            })?;
        let links = SiteLinks::new(archive, self.root_plan);
        let (period_html, sphere_html) = descriptions(archive, &links, diags);
        let mut views = match Views::new(archive, &renderer) {
            Ok(v) => v,
            Err(RenderError::Content(d)) => {
                diags.push(d);
                return Ok(());
            }
            Err(RenderError::Internal(m)) => return Err(Failure::Internal(m)),
        };
        views.use_references(self.references);
        views.use_site_urls(std::sync::Arc::clone(&self.site_urls));
        renderer.set_global(
            "site",
            &views.site(&self.stylesheet, &period_html, &sphere_html),
        );

        let mut t = Instant::now();
        let found = Mutex::new(Vec::<Diagnostic>::new());
        let failure = Mutex::new(None::<Failure>);
        let base = archive.config.base_path();
        let write = |file: &str, bytes: &[u8]| {
            staging
                .write(&format!("{prefix}{file}"), bytes)
                .map_err(|e| e.to_string())
        };
        // The search index is built beside the rendering: rendering waits on the file system
        // much of the time, and the indexer fills that time. One indexer while rendering, the
        // others once it is done (see `search::Gate`: the memory of each shard in the making).
        let gate = crate::search::Gate::default();
        let index = std::thread::scope(|scope| {
            // Moved in, to be freed as soon as the pages are rendered: the indexers may still
            // be at work, and the listings' summaries are 1.5 kB per work.
            let views = views;
            let index = scope.spawn(|| {
                let mut t = Instant::now();
                // Each shard is written as soon as it is ready, not held until the end.
                let b = crate::search::bundles_into(
                    archive,
                    opts.cache.as_deref(),
                    Some(&gate),
                    &|files| {
                        files
                            .iter()
                            .try_for_each(|(file, bytes)| write(file, bytes))
                    },
                );
                if let Ok(s) = &b {
                    stage(
                        &format!(
                            "search index{}, beside rendering ({} shards indexed, {} from the cache)",
                            if prefix.is_empty() { String::new() } else { format!(" of /{prefix}") },
                            s.indexed, s.cached
                        ),
                        &mut t,
                    );
                }
                b.map(|_| ())
            });
            let rendered = crate::search::OpenOnDrop(&gate);
            plan.jobs.par_iter().for_each(|job| {
                if failure.lock().map(|f| f.is_some()).unwrap_or(true) {
                    return;
                }
                // List downloads are streamed to disk: the whole archive's run to hundreds of
                // megabytes at 100,000 works.
                if let PageKind::ListData(list, format) = job.kind {
                    let file = output::url_to_file(&job.url).expect("plan checked every URL");
                    let written = staging.write_with(&format!("{prefix}{file}"), |w| {
                        crate::cite::write_list(archive, list, format, w)
                    });
                    if let Err(e) = written {
                        *failure.lock().expect("no panics while holding the lock") =
                            Some(Failure::Io(e.to_string()));
                    }
                    progress.tick();
                    return;
                }
                let result = render_job(
                    archive,
                    &views,
                    &renderer,
                    &links,
                    job,
                    base,
                    &period_html,
                    &sphere_html,
                    &write,
                );
                match result {
                    Ok((written, ds)) => {
                        if !ds.is_empty() {
                            found
                                .lock()
                                .expect("no panics while holding the lock")
                                .extend(ds);
                        }
                        if let Some(Err(e)) = written {
                            *failure.lock().expect("no panics while holding the lock") =
                                Some(Failure::Io(e));
                        }
                    }
                    Err(RenderError::Content(d)) => found
                        .lock()
                        .expect("no panics while holding the lock")
                        .push(d),
                    Err(RenderError::Internal(m)) => {
                        *failure.lock().expect("no panics while holding the lock") =
                            Some(Failure::Internal(m))
                    }
                }
                progress.tick();
            });
            drop(views);
            drop(rendered);
            index.join().unwrap_or_else(|_| {
                Err(crate::search::Stop::Index(
                    "the search indexer panicked".into(),
                ))
            })
        });
        stage(
            &format!(
                "render and write{}",
                if prefix.is_empty() {
                    String::new()
                } else {
                    format!(" /{prefix}")
                }
            ),
            &mut t,
        );
        let mut found = found
            .into_inner()
            .expect("no panics while holding the lock");
        if !prefix.is_empty() {
            // The other languages' sites show the default one's untranslated files: their
            // problems were reported with the default site.
            let suffix = format!(".{}.md", archive.config.language);
            found.retain(|d| d.path.ends_with(&suffix));
        }
        diags.extend(found);
        if let Some(f) = failure
            .into_inner()
            .expect("no panics while holding the lock")
        {
            return Err(f);
        }
        if let Err(stop) = index {
            return Err(match stop {
                crate::search::Stop::Sink(io) => Failure::Io(io),
                crate::search::Stop::Index(m) => Failure::Internal(m),
            });
        }
        // Sitemap, feed, robots: from the sorted plan, so output never depends on thread timing.
        for (file, text) in site_files(archive, plan) {
            write(&file, text.as_bytes()).map_err(Failure::Io)?;
        }
        Ok(())
    }
}

/// The style sheet's URL (relative to the base path) with a content hash, so browsers refetch
/// it exactly when it changes.
fn stylesheet_url(statics: &[(String, PathBuf)]) -> String {
    let bytes: Vec<u8> = match statics.iter().find(|(n, _)| n == "style.css") {
        Some((_, p)) => std::fs::read(p).unwrap_or_default(),
        None => theme::STATIC
            .iter()
            .find(|(n, _)| *n == "style.css")
            .map(|(_, b)| b.to_vec())
            .unwrap_or_default(),
    };
    stylesheet_url_of(&bytes)
}

/// The style sheet's URL for these bytes of `style.css`.
pub(crate) fn stylesheet_url_of(bytes: &[u8]) -> String {
    use sha2::Digest;
    let h = sha2::Sha256::digest(bytes);
    format!(
        "style.css?v={:02x}{:02x}{:02x}{:02x}",
        h[0], h[1], h[2], h[3]
    )
}

/// Writes one output file (path relative to the output root); an I/O failure as text.
pub(crate) type WriteFile<'a> = dyn Fn(&str, &[u8]) -> Result<(), String> + Sync + 'a;

/// One job rendered: how writing its file went (None: the job is not a page), and the
/// findings of its body.
pub(crate) type Rendered = (Option<Result<(), String>>, Vec<Diagnostic>);

/// Renders one job of the plan and hands its bytes to `write`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn render_job(
    a: &Archive,
    views: &Views,
    renderer: &Renderer,
    links: &dyn LinkResolver,
    job: &PageJob,
    base: &str,
    period_html: &[String],
    sphere_html: &[String],
    write: &WriteFile,
) -> Result<Rendered, RenderError> {
    if let Some(text) = data_file(a, views, &job.kind) {
        let file = output::url_to_file(&job.url).expect("plan checked every URL");
        return Ok((Some(write(&file, text.as_bytes())), Vec::new()));
    }
    let Some(template) = job.kind.template() else {
        return Ok((None, Vec::new()));
    };
    let page_url = format!("{base}{}", job.url);
    let (body, ds) = match &job.kind {
        PageKind::Abstract(id) => {
            let w = a.work(*id);
            let (h, d) = body_html(links, &w.rel, &w.body, &w.body, w.body_line, &page_url);
            (Some(h), d)
        }
        PageKind::Page(i) => {
            let p = &a.pages[*i as usize];
            let (h, d) = body_html(links, &p.rel, &p.body, &p.body, p.body_line, &page_url);
            (Some(h), d)
        }
        _ => (None, Vec::new()),
    };
    let ctx = views.context(&job.url, &job.kind, body, period_html, sphere_html);
    let file = output::url_to_file(&job.url).expect("plan checked every URL");
    let written = renderer.render_with(template, &ctx, |bytes| write(&file, bytes))?;
    Ok((Some(written), ds))
}

/// The text of a citation download or a page's feed (None for other jobs); `views` says the
/// feed titles in the site's language.
pub(crate) fn data_file(a: &Archive, views: &Views, kind: &PageKind) -> Option<String> {
    match *kind {
        PageKind::WorkData(id, f) => Some(crate::cite::work_file(a, id, f)),
        PageKind::ListData(list, f) => Some(crate::cite::list_file(a, list, f)),
        PageKind::Feed(of) => {
            let (url, members) = feed_of(a, of);
            let title = feed_title(a, views, of);
            // A page's feed summarizes each work; the archive's own feed carries it whole.
            Some(atom_of(a, &title, &url, members, Some(FEED_SUMMARY)))
        }
        PageKind::Oai => a
            .config
            .oai
            .as_ref()
            .map(|oai| crate::oai::repository(a, oai)),
        _ => None,
    }
}

/// sitemap.xml (or index + parts), atom.xml, and for the default language's site
/// robots.txt (which names every language's sitemap).
pub(crate) fn site_files(a: &Archive, plan: &Plan) -> Vec<(String, String)> {
    let mut out = feeds::sitemaps(&a.config.base_url, &sitemap_urls(a, plan));
    out.push(atom_file(a));
    if a.config.is_default_language() {
        out.push(robots_file(a));
    }
    out
}

/// The absolute URLs the sitemap lists: every HTML page but drafts, redirects and 404.
pub(crate) fn sitemap_urls(a: &Archive, plan: &Plan) -> Vec<String> {
    let base_url = &a.config.base_url;
    plan.jobs
        .iter()
        .filter(|j| j.kind.in_sitemap())
        .filter(|j| !matches!(j.kind, PageKind::Abstract(id) if a.work(id).draft))
        .map(|j| format!("{base_url}{}", j.url))
        .collect()
}

/// robots.txt.
pub(crate) fn robots_file(a: &Archive) -> (String, String) {
    (
        "robots.txt".to_string(),
        feeds::robots(
            &a.config
                .languages
                .iter()
                .map(|l| {
                    let c = crate::model::translate::config_for(&a.config, l);
                    format!("{}sitemap.xml", c.base_url)
                })
                .collect::<Vec<_>>(),
        ),
    )
}

/// atom.xml: the 50 newest works that are not drafts.
pub(crate) fn atom_file(a: &Archive) -> (String, String) {
    let all: Vec<AbstractId> = (0..a.abstracts.len() as AbstractId).collect();
    (
        "atom.xml".to_string(),
        atom_of(a, &a.config.title, "", &all, None),
    )
}

/// The Atom feed of the page at `url` (relative to the base path) listing `members` (newest
/// first): its 50 newest works that are not drafts. The feed is at `<url>atom.xml`. Summaries
/// are the abstracts, cut after `summary_chars` characters when given.
pub(crate) fn atom_of(
    a: &Archive,
    title: &str,
    url: &str,
    members: &[AbstractId],
    summary_chars: Option<usize>,
) -> String {
    let base_url = &a.config.base_url;
    let entries: Vec<feeds::FeedEntry> = members
        .iter()
        .copied()
        .filter(|&id| !a.work(id).draft)
        .take(50)
        .map(|id| {
            let w = a.work(id);
            feeds::FeedEntry {
                title: w.title.clone(),
                url: format!("{base_url}{}", plan::abstract_url(a, id)),
                updated: w.date.map_or_else(
                    || "1970-01-01T00:00:00Z".to_string(),
                    |d| format!("{}T00:00:00Z", d.first_day().iso()),
                ),
                authors: match &w.authors {
                    Some(_) => authors_text(a, id)
                        .split("; ")
                        .map(str::to_string)
                        .collect(),
                    None => Vec::new(),
                },
                summary: Some(match summary_chars {
                    Some(n) => markdown::plain_text_prefix(&w.body, n),
                    None => markdown::plain_text_memo(&w.body),
                })
                .filter(|s| !s.is_empty()),
            }
        })
        .collect();
    feeds::atom(
        title,
        &format!("{base_url}{url}"),
        &format!("{base_url}{url}atom.xml"),
        &entries,
    )
}

/// Characters of an abstract in the summary of a period's, sphere's, cross page's or author's
/// feed (a reader follows the link for the rest).
const FEED_SUMMARY: usize = 400;

/// The feed of a period, sphere, cross page or author: its page and works.
pub(crate) fn feed_of(a: &Archive, of: plan::FeedOf) -> (String, &[AbstractId]) {
    match of {
        plan::FeedOf::Period(p) => (plan::period_url(a, p), &a.periods[p as usize].members),
        plan::FeedOf::Sphere(s) => (plan::sphere_url(a, s), &a.spheres[s as usize].members),
        plan::FeedOf::Cross(p, s) => (plan::cross_url(a, p, s), a.cross(p, s)),
        plan::FeedOf::Author(v) => (
            plan::facet_url(a, FacetName::Authors, v),
            &a.facet(FacetName::Authors)[v as usize].members,
        ),
    }
}

/// The title of a page's feed, in the site's language: "Energy in Transit — <archive>".
pub(crate) fn feed_title(a: &Archive, views: &Views, of: plan::FeedOf) -> String {
    let site = &a.config.title;
    let name = match of {
        plan::FeedOf::Period(p) => a.periods[p as usize].title.clone(),
        plan::FeedOf::Sphere(s) => a.spheres[s as usize].title.clone(),
        plan::FeedOf::Cross(p, s) => views.t(
            "cross-title",
            &[
                ("sphere", a.spheres[s as usize].title.as_str().into()),
                ("period", a.periods[p as usize].title.as_str().into()),
            ],
        ),
        plan::FeedOf::Author(v) => a.facet(FacetName::Authors)[v as usize].name.clone(),
    };
    format!("{name} — {site}")
}

/// The default output folder: `<root>/public`.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("public")
}

/// The configuration alone (for `new`, which needs the transliteration scheme).
pub(crate) fn load_config(root: &Path) -> Result<Config, Diagnostics> {
    let mut d = Diagnostics::new();
    config::load(root, &mut d).ok_or(d)
}

/// For `watch`: every page and feed of the site in a further language (`archive`, `plan`;
/// see [`Loaded::others`]), as `(file relative to the root, bytes)`. The search index is
/// left to the caller. Problems in translation files go to `diags`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn render_other_site(
    archive: &Archive,
    plan: &Plan,
    root_plan: &Plan,
    templates: &[(String, String)],
    messages: &std::sync::Arc<crate::i18n::Messages>,
    stylesheet: &str,
    references: &crate::cite::memo::Memo,
    diags: &mut Diagnostics,
) -> Result<Vec<(String, Vec<u8>)>, Failure> {
    let mut renderer = Renderer::new(templates, std::sync::Arc::clone(messages))
        .map_err(|_| Failure::Internal("the templates loaded once and then failed to".into()))?;
    let links = SiteLinks::new(archive, root_plan);
    let mut found = Diagnostics::new();
    let (period_html, sphere_html) = descriptions(archive, &links, &mut found);
    let mut views = Views::new(archive, &renderer).map_err(|e| match e {
        RenderError::Content(d) => Failure::Internal(d.message),
        RenderError::Internal(m) => Failure::Internal(m),
    })?;
    views.use_references(references);
    views.use_site_urls(std::sync::Arc::clone(&root_plan.urls));
    renderer.set_global("site", &views.site(stylesheet, &period_html, &sphere_html));
    let prefix = format!("{}/", archive.config.language);
    let out = Mutex::new(Vec::new());
    let write = |file: &str, bytes: &[u8]| {
        out.lock()
            .expect("no panics while holding the lock")
            .push((format!("{prefix}{file}"), bytes.to_vec()));
        Ok(())
    };
    let base = archive.config.base_path();
    let rendered: Vec<Result<Rendered, RenderError>> = plan
        .jobs
        .par_iter()
        .map(|job| {
            render_job(
                archive,
                &views,
                &renderer,
                &links,
                job,
                base,
                &period_html,
                &sphere_html,
                &write,
            )
        })
        .collect();
    for r in rendered {
        match r {
            Ok((_, ds)) => found.extend(ds),
            Err(RenderError::Content(d)) => found.push(d),
            Err(RenderError::Internal(m)) => return Err(Failure::Internal(m)),
        }
    }
    for (file, text) in site_files(archive, plan) {
        write(&file, text.as_bytes()).map_err(Failure::Io)?;
    }
    let suffix = format!(".{}.md", archive.config.language);
    diags.extend(found.iter().filter(|d| d.path.ends_with(&suffix)).cloned());
    drop(views);
    Ok(out.into_inner().expect("no panics while holding the lock"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_against_the_plans_own_url_set() {
        let a = crate::model::test_archive(
            "https://example.org/rk/",
            &[
                ("spheres/energy.md", "title: Energy\n"),
                ("periods/transit.md", "title: Transit\nfrom: 1991\n"),
                (
                    "abstracts/gas.md",
                    "title: Gas\nauthors: [Ann Lee]\ndate: 1996\nspheres: [energy]\nslug: gas\n",
                ),
            ],
        );
        let mut d = Diagnostics::new();
        let plan = plan::plan(&a, &["style.css".to_string()], &mut d);
        assert!(!d.has_errors(), "{d:?}");
        let links = SiteLinks::new(&a, &plan);
        assert!(
            std::sync::Arc::ptr_eq(&links.urls(), &plan.urls),
            "the set is shared, not copied"
        );
        for yes in [
            "/rk/",
            "/rk/index.html",
            "/rk/abstracts/gas/",
            "/rk/abstracts/g%61s/",
            "/rk/abstracts/gas/index.html",
            "/rk/periods/transit/index.html",
            "/rk/style.css",
        ] {
            assert!(links.url_exists(yes), "{yes}");
        }
        for no in [
            "/abstracts/gas/",
            "/other/rk/abstracts/gas/",
            "/rk/abstracts/gasindex.html",
            "/rk/abstracts/nope/",
            "/rk/style.css/index.html",
            "/rk/abstracts/",
        ] {
            assert!(!links.url_exists(no), "{no}");
        }
    }
}
