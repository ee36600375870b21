//! The archive model: every work, period, sphere, page and facet value, with every
//! cross-reference resolved once.
//!
//! Entities live in `Vec`s and refer to each other by index ([`AbstractId`] and friends).
//! Abstracts are stored in listing order (newest first, see [`assemble`]), so every member list
//! built by walking them in order is already sorted. The model never touches the file system or
//! tera.

pub(crate) mod assemble;
pub(crate) mod collate;
pub(crate) mod dates;
pub(crate) mod periods;
pub(crate) mod related;
pub(crate) mod slug;
pub(crate) mod translate;

use crate::config::Config;
use crate::source::raw::RawSource;
use dates::{Interval, PartialDate};
use std::collections::HashMap;

/// Index of an abstract in [`Archive::abstracts`].
pub(crate) type AbstractId = u32;
/// Index of a period in [`Archive::periods`].
pub(crate) type PeriodId = u32;
/// Index of a sphere in [`Archive::spheres`].
pub(crate) type SphereId = u32;

/// Whether drafts are part of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drafts {
    /// Drafts are validated but left out (`dyad build`).
    Exclude,
    /// Drafts are rendered with a banner and `noindex` (`--drafts`, `watch`).
    Include,
}

/// One scholarly work.
#[derive(Debug, Clone)]
pub(crate) struct Abstract {
    /// Source path relative to the root.
    pub rel: String,
    /// URL slug.
    pub slug: String,
    /// Title (in a further language's site, the translation's).
    pub title: String,
    /// The work's own title when `title` is a translation's: what citations give.
    pub original_title: Option<String>,
    /// Indices into the authors facet; None when written `unknown`.
    pub authors: Option<Vec<u32>>,
    /// Publication date; None when written `unknown`.
    pub date: Option<PartialDate>,
    /// The span the work studies.
    pub coverage: Option<(PartialDate, PartialDate)>,
    /// Periods it belongs to, in time order.
    pub periods: Vec<PeriodId>,
    /// Spheres it covers, in the order written.
    pub spheres: Vec<SphereId>,
    /// Indices into the actors facet.
    pub actors: Vec<u32>,
    /// Indices into the keywords facet.
    pub keywords: Vec<u32>,
    /// The work's language.
    pub language: Option<String>,
    /// The language the abstract is written in (defaults to `language`).
    pub abstract_language: Option<String>,
    /// Old URL paths relative to the base path, with where they were written.
    pub aliases: Vec<crate::source::raw::At<String>>,
    /// Publication details.
    pub source: Option<RawSource>,
    /// DOI.
    pub doi: Option<String>,
    /// URL of the work.
    pub url: Option<String>,
    /// Draft flag.
    pub draft: bool,
    /// Markdown body.
    pub body: crate::source::Text,
    /// Line of the file where the body starts.
    pub body_line: u32,
}

impl Abstract {
    /// The work's values of each facet (authors: none when unknown), in navigation order.
    pub(crate) fn facet_values(&self) -> [(FacetName, &[u32]); 3] {
        [
            (FacetName::Authors, self.authors.as_deref().unwrap_or(&[])),
            (FacetName::Actors, &self.actors),
            (FacetName::Keywords, &self.keywords),
        ]
    }
}

/// A period of the relationship.
#[derive(Debug, Clone)]
pub(crate) struct Period {
    /// Id (the file stem).
    pub id: String,
    /// Source path.
    pub rel: String,
    /// Title.
    pub title: String,
    /// First month (or year, or day).
    pub from: PartialDate,
    /// Last; None = ongoing.
    pub to: Option<PartialDate>,
    /// Markdown description.
    pub body: crate::source::Text,
    /// Line where the description starts.
    pub body_line: u32,
    /// Members, newest first.
    pub members: Vec<AbstractId>,
}

impl Period {
    /// The days the period covers (open-ended without `to`).
    pub fn interval(&self) -> Interval {
        Interval::from_dates(self.from, self.to)
    }

    /// `1991–1999`, `2022–`.
    pub fn range(&self) -> String {
        match self.to {
            Some(to) if to.year() == self.from.year() => self.from.year().to_string(),
            Some(to) => format!("{}–{}", self.from.year(), to.year()),
            None => format!("{}–", self.from.year()),
        }
    }
}

/// A sphere of the relationship (political, economic, …).
#[derive(Debug, Clone)]
pub(crate) struct Sphere {
    /// Id (the file stem).
    pub id: String,
    /// Source path.
    pub rel: String,
    /// Title.
    pub title: String,
    /// Markdown description.
    pub body: crate::source::Text,
    /// Line where the description starts.
    pub body_line: u32,
    /// Members, newest first.
    pub members: Vec<AbstractId>,
}

/// A free page (`content/pages/<stem>.md`, served at `/<slug>/`).
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Slug of the stem.
    pub slug: String,
    /// Source path.
    pub rel: String,
    /// Title.
    pub title: String,
    /// Markdown body.
    pub body: crate::source::Text,
    /// Line where the body starts.
    pub body_line: u32,
}

/// The three facets of works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum FacetName {
    /// People who wrote the works.
    Authors,
    /// People and institutions the works study.
    Actors,
    /// Keywords.
    Keywords,
}

impl FacetName {
    /// All three, in navigation order.
    pub const ALL: [FacetName; 3] = [FacetName::Authors, FacetName::Actors, FacetName::Keywords];

    /// URL segment and template `kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            FacetName::Authors => "authors",
            FacetName::Actors => "actors",
            FacetName::Keywords => "keywords",
        }
    }
}

/// One value of a facet (a person, an actor, a keyword) and the works that carry it.
#[derive(Debug, Clone)]
pub(crate) struct FacetValue {
    /// The value as shown (NFC, white space collapsed).
    pub name: String,
    /// URL slug (distinct for distinct values, see `slug::facet_slug`).
    pub slug: String,
    /// Works, newest first.
    pub members: Vec<AbstractId>,
}

/// The archive, validated and cross-referenced.
#[derive(Debug, Clone)]
pub struct Archive {
    /// Settings.
    pub(crate) config: Config,
    pub(crate) abstracts: Vec<Abstract>,
    pub(crate) periods: Vec<Period>,
    pub(crate) spheres: Vec<Sphere>,
    pub(crate) pages: Vec<Page>,
    /// Values of each facet in collated order, indexed by `FacetName as usize`.
    pub(crate) facets: [Vec<FacetValue>; 3],
    /// Period × sphere members, index `period * spheres.len() + sphere`, newest first.
    pub(crate) cross: Vec<Vec<AbstractId>>,
    /// Source path relative to `content/` → abstract, for `@/` links.
    pub(crate) by_source: HashMap<String, AbstractId>,
    /// Each work's related works, most related first (see [`related`]).
    pub(crate) related: Vec<Vec<AbstractId>>,
    /// Each work's place in title order (collated title, then listing order), for the
    /// by-title pages of lists.
    pub(crate) title_rank: Vec<u32>,
}

impl Archive {
    /// Number of works in the site.
    pub fn abstract_count(&self) -> usize {
        self.abstracts.len()
    }

    /// Works in `period` and `sphere`, newest first.
    pub(crate) fn cross(&self, period: PeriodId, sphere: SphereId) -> &[AbstractId] {
        &self.cross[period as usize * self.spheres.len() + sphere as usize]
    }

    /// The values of a facet.
    pub(crate) fn facet(&self, name: FacetName) -> &[FacetValue] {
        &self.facets[name as usize]
    }

    /// An abstract by id.
    pub(crate) fn work(&self, id: AbstractId) -> &Abstract {
        &self.abstracts[id as usize]
    }

    /// Gives each work's body a buffer of its own, so that its file's front matter is freed
    /// with the parsed file. For a build, which drops the parsed files once the archive is
    /// assembled (`watch` keeps them, and there sharing their text is what saves memory).
    pub(crate) fn own_bodies(&mut self) {
        // On the threads that read the files: an allocator reuses at once what the same
        // thread frees, so each copy can take the place of a text freed beside it.
        use rayon::prelude::*;
        self.abstracts
            .par_iter_mut()
            .for_each(|w| w.body = w.body.detached());
    }
}

/// For property tests: `cases` cases, or as many as `PROPTEST_CASES` asks for. Failures are not
/// persisted to files: a counterexample found is kept as a plain regression test instead.
#[cfg(test)]
pub(crate) fn prop_config(cases: u32) -> proptest::test_runner::Config {
    let default = proptest::test_runner::Config::default();
    proptest::test_runner::Config {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            default.cases
        } else {
            cases
        },
        failure_persistence: None,
        ..default
    }
}

/// For tests: the archive (drafts left out) of `files`, each `(path under content/, front
/// matter)` with the body "Body."; the section comes from the path's first folder. Panics when
/// the archive has errors.
#[cfg(test)]
pub(crate) fn test_archive(base_url: &str, files: &[(&str, &str)]) -> Archive {
    use crate::source::{Section, parse};
    let files: Vec<std::sync::Arc<crate::source::Parsed>> = files
        .iter()
        .map(|(path, fm)| {
            let section = match path.split('/').next() {
                Some("periods") => Section::Period,
                Some("spheres") => Section::Sphere,
                Some("abstracts") => Section::Abstract,
                other => panic!("no section for {other:?}"),
            };
            std::sync::Arc::new(parse(
                &format!("content/{path}"),
                section,
                format!("---\n{fm}---\nBody.\n"),
                &[],
            ))
        })
        .collect();
    let mut d = crate::diag::Diagnostics::new();
    let config = crate::config::parse(&format!("title: T\nbase_url: {base_url}\n"), &mut d)
        .expect("a valid configuration");
    let a = assemble::assemble(config, &files, Drafts::Exclude, &mut d);
    assert!(!d.has_errors(), "{d:?}");
    a
}
