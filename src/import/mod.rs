//! `dyad import`: Zotero exports (BibTeX/BibLaTeX, RIS, CSL-JSON) → one abstract file per work.
//!
//! Each reader turns its format into neutral [`Record`]s with the line each record starts at,
//! and lists the records it could not read. This module tidies the records the same way for
//! every format (DOI, URL, language tag, page ranges), drops the ones the archive or the file
//! already holds (same DOI, or same title and year), chooses a file name that is new and a slug
//! that is free, writes the files (never over an existing one) and returns the [`Report`].
//! Does not validate the written files: `dyad check` does, and they are made to pass it.

mod bibtex;
mod csl;
mod report;
mod ris;
mod tidy;
pub(crate) mod write;

pub use report::{Imported, Report, Skipped};

use crate::cite::Record;
use crate::diag::did_you_mean;
use crate::model::slug::{self, Scheme};
use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

/// One record read from an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// 1-based line where the record starts in the export.
    pub line: u32,
    /// The record.
    pub record: Record,
    /// What the editor should know about fields that could not be taken over (a date that
    /// does not parse, a language that is not a tag); each becomes a comment and a report line.
    pub notes: Vec<String>,
}

/// A record that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// 1-based line, when the parser knows it.
    pub line: Option<u32>,
    /// What is wrong and what to do.
    pub message: String,
}

/// What a reader found in one export.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Read {
    /// The records, in file order.
    pub entries: Vec<Entry>,
    /// The records that could not be read.
    pub problems: Vec<Problem>,
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// BibTeX or BibLaTeX (`.bib`).
    Bibtex,
    /// RIS (`.ris`).
    Ris,
    /// CSL-JSON (`.json`).
    CslJson,
}

impl Format {
    /// By the file's extension (`.bib`, `.ris`, `.json`), else by its first non-blank
    /// character or line: `@` BibTeX, `[` or `{` CSL-JSON, `TY  -` RIS.
    pub(crate) fn detect(path: &Path, text: &str) -> Option<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("bib" | "bibtex" | "biblatex") => return Some(Format::Bibtex),
            Some("ris") => return Some(Format::Ris),
            Some("json") => return Some(Format::CslJson),
            _ => {}
        }
        let start = text.trim_start_matches('\u{feff}').trim_start();
        if start.starts_with('[') || start.starts_with('{') {
            Some(Format::CslJson)
        } else if start.starts_with("TY  -") {
            Some(Format::Ris)
        } else if start.starts_with('@') || start.contains("\n@") {
            Some(Format::Bibtex)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Bibtex => "BibTeX",
            Format::Ris => "RIS",
            Format::CslJson => "CSL-JSON",
        }
    }

    /// Reads `text` in this format. Pure.
    pub(crate) fn read(self, text: &str) -> Read {
        let mut read = match self {
            Format::Bibtex => bibtex::read(text),
            Format::Ris => ris::read(text),
            Format::CslJson => csl::read(text),
        };
        for e in &mut read.entries {
            tidy::tidy(&mut e.record, &mut e.notes);
        }
        read
    }
}

/// What `dyad import` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The archive folder.
    pub root: PathBuf,
    /// The export to read.
    pub file: PathBuf,
    /// Where the files go, relative to the root (inside `content/abstracts`).
    pub into: PathBuf,
    /// Sphere ids to give every imported work (checked against `content/spheres/`).
    pub spheres: Vec<String>,
    /// Write nothing; report what would be done.
    pub dry_run: bool,
}

/// Why an import did not start or stopped (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Bad arguments.
    #[error("{0}")]
    Usage(String),
    /// Reading or writing failed; the message names the path.
    #[error("{0}")]
    Io(String),
}

/// The works already in the archive (or written earlier in this run), for duplicates and slugs.
#[derive(Debug, Default)]
pub(crate) struct Known {
    /// Normalized DOI → where it is.
    dois: HashMap<String, String>,
    /// (normalized title, year) → where it is.
    titles: HashMap<(String, Option<i32>), String>,
    /// Every slug in use.
    slugs: HashSet<String>,
}

impl Known {
    /// Where the work of `r` already is, and why it counts as the same work.
    fn duplicate(&self, r: &Record) -> Option<String> {
        if let Some(doi) = r.doi.as_deref().map(tidy::doi_key)
            && let Some(at) = self.dois.get(&doi)
        {
            return Some(format!("same DOI `{doi}` as {at}"));
        }
        let key = (tidy::title_key(&r.title), r.date.map(|d| d.year()));
        self.titles.get(&key).map(|at| {
            let year = key
                .1
                .map_or_else(|| "no date".to_string(), |y| y.to_string());
            format!("same title and year ({year}) as {at}")
        })
    }

    fn add(&mut self, title: &str, year: Option<i32>, doi: Option<&str>, at: &str) {
        if let Some(doi) = doi {
            self.dois
                .entry(tidy::doi_key(doi))
                .or_insert_with(|| at.to_string());
        }
        self.titles
            .entry((tidy::title_key(title), year))
            .or_insert_with(|| at.to_string());
    }
}

/// The archive's abstracts: their DOIs, titles with years, and slugs. A file whose front
/// matter has errors still counts with whatever could be read from it.
fn known_works(root: &Path, scheme: Scheme) -> Known {
    let mut diags = crate::Diagnostics::new();
    let scan = crate::source::scan(root, &mut diags);
    let mut known = Known::default();
    for f in scan
        .files
        .iter()
        .filter(|f| f.section == crate::source::Section::Abstract)
    {
        let Ok(text) = crate::source::read(&f.rel, &f.abs) else {
            continue;
        };
        let stem = f
            .rel
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_suffix(".md"))
            .unwrap_or_default();
        let parsed = crate::source::parse(&f.rel, f.section, text, &[]);
        match parsed.record {
            Some(crate::source::Record::Abstract(a)) => {
                known.add(
                    &a.title.value,
                    a.date.value.map(|d| d.year()),
                    a.doi.as_ref().map(|d| d.value.as_str()),
                    &shown(root, &f.rel),
                );
                known.slugs.insert(
                    a.slug
                        .map_or_else(|| slug::slugify(stem, scheme), |s| s.value),
                );
            }
            _ => {
                known.slugs.insert(slug::slugify(stem, scheme));
            }
        }
    }
    known
}

/// `--sphere` values, each checked against the archive's spheres.
fn check_spheres(root: &Path, given: &[String]) -> Result<Vec<String>, ImportError> {
    let ids = crate::scaffold::sphere_ids(root);
    let mut out: Vec<String> = Vec::new();
    for s in given {
        if !ids.contains(s) {
            let help = did_you_mean(s, ids.iter().map(String::as_str)).unwrap_or_else(|| {
                if ids.is_empty() {
                    "the archive has no spheres yet: add content/spheres/<id>.md first".into()
                } else {
                    format!("the archive's spheres: {}", ids.join(", "))
                }
            });
            return Err(ImportError::Usage(format!(
                "unknown sphere `{s}` (no content/spheres/{s}.md); nothing was written\n  = help: {help}"
            )));
        }
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    Ok(out)
}

/// `--into`, as a `/`-separated path relative to the root inside `content/abstracts`.
fn target_folder(root: &Path, into: &Path) -> Result<String, ImportError> {
    let rel = if into.is_absolute() {
        let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        into.strip_prefix(canon(root))
            .or_else(|_| into.strip_prefix(root))
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| into.to_path_buf())
    } else {
        into.to_path_buf()
    };
    let usage = || {
        ImportError::Usage(format!(
            "--into {}: abstracts live in content/abstracts (or a folder inside it), relative to --root",
            into.display()
        ))
    };
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::CurDir => {}
            _ => return Err(usage()),
        }
    }
    if parts.len() >= 2 && parts[0] == "content" && parts[1] == "abstracts" {
        Ok(parts.join("/"))
    } else {
        Err(usage())
    }
}

/// `path` as the user should see it: relative to the working folder when `--root` is `.`.
fn shown(root: &Path, rel: &str) -> String {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        rel.to_string()
    } else {
        root.join(rel).display().to_string()
    }
}

/// The first free `<folder>/<slug>.md`, `<slug>-2.md`, … whose slug is unused.
fn free_path(
    folder: &str,
    base: &str,
    slugs: &HashSet<String>,
    exists: &dyn Fn(&str) -> bool,
) -> (String, String) {
    let mut n = 1u32;
    loop {
        let slug = if n == 1 {
            base.to_string()
        } else {
            format!("{base}-{n}")
        };
        let rel = format!("{folder}/{slug}.md");
        if !slugs.contains(&slug) && !exists(&rel) {
            return (slug, rel);
        }
        n += 1;
    }
}

/// Writes `text` to a new file; `Ok(false)` when the file appeared meanwhile.
fn create_new(path: &Path, text: &str) -> Result<bool, ImportError> {
    let io = |e: std::io::Error| ImportError::Io(format!("cannot write {}: {e}", path.display()));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut f) => f.write_all(text.as_bytes()).map(|_| true).map_err(io),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(io(e)),
    }
}

/// `dyad import`: reads the export, writes the new works, reports. Records that cannot be read
/// are listed in the report and the good ones are still imported (exit 1 in `main`).
pub fn run(opts: &ImportOptions) -> Result<Report, ImportError> {
    let config = crate::pipeline::load_config(&opts.root).map_err(|d| {
        ImportError::Usage(format!(
            "{}cannot read the archive at {} (import needs its archive.yaml and content/)",
            d.render_human(false),
            opts.root.display()
        ))
    })?;
    let scheme = config.transliteration;
    let spheres = check_spheres(&opts.root, &opts.spheres)?;
    let folder = target_folder(&opts.root, &opts.into)?;
    let file = opts.file.display().to_string();
    let bytes = std::fs::read(&opts.file)
        .map_err(|e| ImportError::Io(format!("cannot read {file}: {e}")))?;
    let text = crate::source::decode(&file, bytes).map_err(|d| ImportError::Io(d.render(false)))?;
    let format = Format::detect(&opts.file, &text).ok_or_else(|| {
        ImportError::Usage(format!(
            "cannot tell the format of {file}: export from Zotero as BibTeX, BibLaTeX, RIS or CSL JSON, and keep the extension .bib, .ris or .json"
        ))
    })?;
    let read = format.read(&text);
    let mut report = Report {
        file: file.clone(),
        format,
        dry_run: opts.dry_run,
        with_spheres: !spheres.is_empty(),
        imported: Vec::new(),
        skipped: Vec::new(),
        problems: read
            .problems
            .into_iter()
            .map(|p| (p.line, p.message))
            .collect(),
    };
    if read.entries.is_empty() && report.problems.is_empty() {
        report.problems.push((
            None,
            format!(
                "no records found: is this a {} export from Zotero?",
                format.name()
            ),
        ));
    }
    let mut known = known_works(&opts.root, scheme);
    // Written in this run (paths relative to the root), so a dry run picks the same names.
    let mut planned: HashSet<String> = HashSet::new();
    for entry in read.entries {
        let r = &entry.record;
        if r.title.is_empty() {
            report.problems.push((
                Some(entry.line),
                "the record has no title: add one in Zotero and export again".into(),
            ));
            continue;
        }
        if let Some(reason) = known.duplicate(r) {
            report.skipped.push(Skipped {
                line: entry.line,
                title: r.title.clone(),
                reason,
            });
            continue;
        }
        let year = r
            .date
            .map_or_else(|| "undated".to_string(), |d| d.year().to_string());
        let base = Some(slug::slugify(&r.title, scheme))
            .map(|s| slug::cut_slug(&s, slug::CUT_SLUG).to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "untitled".into());
        let text =
            write::abstract_file(r, &spheres, &format!("{file}:{}", entry.line), &entry.notes);
        let sub = format!("{folder}/{year}");
        let exists = |rel: &str| planned.contains(rel) || opts.root.join(rel).exists();
        let (mut slug, mut rel) = free_path(&sub, &base, &known.slugs, &exists);
        if !opts.dry_run {
            // Another program may create the file between the check and the write.
            while !create_new(&opts.root.join(&rel), &text)? {
                planned.insert(rel.clone());
                let exists = |rel: &str| planned.contains(rel) || opts.root.join(rel).exists();
                (slug, rel) = free_path(&sub, &base, &known.slugs, &exists);
            }
        }
        planned.insert(rel.clone());
        known.slugs.insert(slug);
        let path = shown(&opts.root, &rel);
        known.add(
            &r.title,
            r.date.map(|d| d.year()),
            r.doi.as_deref(),
            &format!("{path} (imported from {file}:{} in this run)", entry.line),
        );
        report.imported.push(Imported {
            path,
            line: entry.line,
            attention: attention(r, &entry.notes),
        });
    }
    report.problems.sort_by_key(|(l, _)| *l);
    Ok(report)
}

/// What an editor must still do for the file of `r`, beyond what every imported file needs
/// (spheres without `--sphere`, coverage always; the report says those once).
fn attention(r: &Record, notes: &[String]) -> Vec<String> {
    let mut a = Vec::new();
    if r.authors.is_empty() {
        a.push("authors unknown".to_string());
    }
    if r.date.is_none() {
        a.push("date unknown".to_string());
    }
    a.extend(notes.iter().cloned());
    a
}

/// 1-based line numbers of byte offsets in one text, asked in increasing order (as a reader
/// meets its records): each call counts only the line breaks since the last one, so a whole
/// export costs one pass. (Counting from the start for every record made a 20,000-record
/// BibTeX file take 25 s.) An offset before the last one counts from the start again.
pub(super) struct Lines<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Lines {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The line of byte `offset` (clamped to the text's end).
    pub(super) fn at(&mut self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            (self.offset, self.line) = (0, 1);
        }
        let between = self.text.as_bytes()[self.offset..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line = self
            .line
            .saturating_add(u32::try_from(between).unwrap_or(u32::MAX));
        self.offset = offset;
        self.line
    }
}

#[cfg(test)]
mod tests;
