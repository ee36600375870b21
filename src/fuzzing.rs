//! Entry points for the fuzz targets in `fuzz/` (see `fuzz/README.md`). Not part of dyad's
//! API: hidden from the docs, no stability promise, and kept small on purpose. Each function
//! drives one crate-private stage on in-memory input and hands back plain data the fuzz
//! target can check; none of them writes files. The whole-archive target needs none of this:
//! it calls the public [`crate::build`].

use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::LinkResolver;
use crate::model::Drafts;
use crate::source::{Record, Section, parse};
use std::sync::Arc;

/// The archive.yaml the in-memory stages run against.
const CONFIG: &str = "title: Fuzz\nbase_url: https://example.org/rk/\n";

/// Periods and spheres an abstract may name (`formation`, `after-2014`; `economic`,
/// `political`).
const CONTEXT: &[(&str, Section, &str)] = &[
    (
        "content/periods/formation.md",
        Section::Period,
        "---\ntitle: Formation\nfrom: 1991\nto: 1999\n---\n",
    ),
    (
        "content/periods/after-2014.md",
        Section::Period,
        "---\ntitle: After 2014\nfrom: 2014\n---\n",
    ),
    (
        "content/spheres/economic.md",
        Section::Sphere,
        "---\ntitle: Economic\n---\n",
    ),
    (
        "content/spheres/political.md",
        Section::Sphere,
        "---\ntitle: Political\n---\n",
    ),
];

/// What [`abstract_file`] found.
#[derive(Debug)]
pub struct AbstractOutcome {
    /// Diagnostics of parsing the file alone (front matter split, YAML, fields).
    pub parse: Vec<Diagnostic>,
    /// Whether parsing gave an abstract record.
    pub has_record: bool,
    /// Diagnostics of validating it into the model with the fixed periods and spheres.
    pub assemble: Vec<Diagnostic>,
    /// Works in the resulting model (drafts included).
    pub works: usize,
}

/// One abstract file (`content/abstracts/fuzz.md` holding `bytes`) through decoding,
/// front-matter split, YAML, field reading and validation into the model, next to two periods
/// and two spheres. Also returns the decoded text (None when `bytes` is not UTF-8).
pub fn abstract_file(bytes: &[u8]) -> (Option<String>, AbstractOutcome) {
    let text = match crate::source::decode("content/abstracts/fuzz.md", bytes.to_vec()) {
        Ok(t) => t,
        Err(d) => {
            let outcome = AbstractOutcome {
                parse: vec![d],
                has_record: false,
                assemble: Vec::new(),
                works: 0,
            };
            return (None, outcome);
        }
    };
    let mut files: Vec<Arc<crate::source::Parsed>> = CONTEXT
        .iter()
        .map(|(rel, section, text)| Arc::new(parse(rel, *section, (*text).to_string(), &[])))
        .collect();
    let parsed = parse(
        "content/abstracts/fuzz.md",
        Section::Abstract,
        text.clone(),
        &[],
    );
    let outcome_parse = parsed.diags.clone();
    let has_record = matches!(parsed.record, Some(Record::Abstract(_)));
    files.push(Arc::new(parsed));
    let mut d = Diagnostics::new();
    let config = crate::config::parse(CONFIG, &mut d).expect("the fixed configuration is valid");
    let archive = crate::model::assemble::assemble_with(
        config,
        &files,
        Drafts::Include,
        &mut d,
        &mut Default::default(),
    );
    let outcome = AbstractOutcome {
        parse: outcome_parse,
        has_record,
        assemble: d.iter().cloned().collect(),
        works: archive.abstract_count(),
    };
    (Some(text), outcome)
}

/// A site for [`markdown_html`]: base `https://example.org/rk/`, one other work
/// (`@/abstracts/other.md` → `/rk/abstracts/other/`) and a few published paths.
struct Site {
    base: url::Url,
}

impl LinkResolver for Site {
    fn source_url(&self, source: &str) -> Option<String> {
        (source == "abstracts/other.md").then(|| "/rk/abstracts/other/".to_string())
    }
    fn base_url(&self) -> &url::Url {
        &self.base
    }
    fn url_exists(&self, path: &str) -> bool {
        matches!(
            path,
            "/rk/" | "/rk/abstracts/other/" | "/rk/periods/formation/" | "/rk/atom.xml"
        )
    }
}

/// A Markdown body rendered to sanitized HTML as on the page `/rk/abstracts/fuzz/`, with the
/// link problems found (messages).
pub fn markdown_html(body: &str) -> (String, Vec<String>) {
    let site = Site {
        base: url::Url::parse("https://example.org/rk/").expect("a valid URL"),
    };
    let r = crate::markdown::to_html(body, 1, "/rk/abstracts/fuzz/", &site);
    (r.html, r.problems.iter().map(|p| p.message()).collect())
}

/// The import formats, in the order [`import`] tries them.
pub const IMPORT_FORMATS: [&str; 3] = ["bibtex", "ris", "csl-json"];

/// One record `dyad import` would write, and what reading that file back gave.
#[derive(Debug)]
pub struct Imported {
    /// The record's title (after tidying).
    pub title: String,
    /// The abstract file `dyad import` writes for it (with the sphere `economic`).
    pub text: String,
    /// Errors found reading `text` back as an abstract.
    pub errors: Vec<String>,
    /// The title read back, when `text` gave an abstract record.
    pub read_back_title: Option<String>,
}

/// `text` read as `format` (an index into [`IMPORT_FORMATS`]): the problems reported, and
/// every record with a title written as `dyad import` would write it and parsed back.
pub fn import(format: usize, text: &str) -> (Vec<String>, Vec<Imported>) {
    use crate::import::Format;
    let format = [Format::Bibtex, Format::Ris, Format::CslJson][format % 3];
    let read = format.read(text);
    let problems = read.problems.into_iter().map(|p| p.message).collect();
    let spheres = ["economic".to_string()];
    let imported = read
        .entries
        .iter()
        .filter(|e| !e.record.title.is_empty())
        .map(|e| {
            let written =
                crate::import::write::abstract_file(&e.record, &spheres, "fuzz.bib:1", &e.notes);
            let back = parse(
                "content/abstracts/fuzz.md",
                Section::Abstract,
                written.clone(),
                &[],
            );
            Imported {
                title: e.record.title.clone(),
                text: written,
                errors: back
                    .diags
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| d.message.clone())
                    .collect(),
                read_back_title: match &back.record {
                    Some(Record::Abstract(a)) => Some(a.title.value.clone()),
                    _ => None,
                },
            }
        })
        .collect();
    (problems, imported)
}

/// What the `watch` server does with a request path.
#[derive(Debug, PartialEq, Eq)]
pub enum Served {
    /// Serves this file of the site.
    File(String),
    /// Redirects (302) to this `Location`.
    Redirect(String),
    /// Serves the 404 page.
    NotFound,
}

/// How the `watch` server maps the request path `raw` (as in the request line, percent-encoded)
/// for a site of `files` (paths relative to the base path) served under `base_path`.
pub fn serve_path(files: &[String], base_path: &str, raw: &str) -> Served {
    use crate::watch::server::{Resolved, resolve};
    let store = crate::watch::engine::Store {
        files: files
            .iter()
            .map(|f| (f.clone(), bytes::Bytes::new()))
            .collect(),
    };
    match resolve(&store, base_path, raw) {
        Resolved::File(f) => Served::File(f),
        Resolved::Redirect(to) => Served::Redirect(to),
        Resolved::NotFound => Served::NotFound,
    }
}
