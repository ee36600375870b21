//! BibTeX export: one `@type{key, …}` entry per record, readable by BibTeX and BibLaTeX alike.
//!
//! Classic fields (`journal`, `address`, `year`, `month`) for BibTeX, plus `date` at the date's
//! own precision for BibLaTeX and Zotero (which prefer it). Values are escaped the way the
//! `biblatex` crate reads them back; names are written `Family, Given` joined with `and`, an
//! unsplittable name in braces. Unknown authors or dates are left out, never written as a name.

use super::{Name, Record};
use crate::source::raw::SourceKind;
use biblatex::{Chunk, ChunksExt, Spanned};
use std::fmt::Write as _;

/// Escapes text for a braced BibTeX value.
fn escape(s: &str) -> String {
    escape_as(s, false)
}

/// Escapes text for a verbatim field (`url`, `doi`), where only braces and backslashes are.
fn escape_as(s: &str, verbatim: bool) -> String {
    let chunks = [Spanned::detached(Chunk::Normal(s.to_string()))];
    let braced = chunks.to_biblatex_string(verbatim);
    // `to_biblatex_string` wraps the value in one pair of braces; we add our own.
    let inner = &braced[1..braced.len() - 1];
    if verbatim {
        return inner.to_string();
    }
    // It writes `~` and `^` as `\~` and `\^`, which TeX (and the crate, reading them back)
    // takes for accents on the next letter: `\~5` is 5̃.
    inner
        .replace("\\~", "\\textasciitilde{}")
        .replace("\\^", "\\textasciicircum{}")
}

/// The entry type for a kind.
fn entry_type(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Article => "article",
        SourceKind::Book => "book",
        SourceKind::Chapter => "incollection",
        SourceKind::Report => "techreport",
        SourceKind::Thesis => "phdthesis",
        SourceKind::Other => "misc",
    }
}

/// The field that holds the container for a kind.
fn container_field(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Article => "journal",
        SourceKind::Chapter => "booktitle",
        SourceKind::Book => "series",
        // BibTeX prints a report's `type` in place of "Technical Report": "Working Paper 16".
        SourceKind::Report => "type",
        SourceKind::Thesis => "school",
        SourceKind::Other => "howpublished",
    }
}

/// The field that holds the publisher for a kind.
fn publisher_field(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Report => "institution",
        _ => "publisher",
    }
}

/// `author = {…}` value.
fn authors(names: &[String]) -> String {
    names
        .iter()
        .map(|n| match Name::parse(n) {
            // A family name and a suffix alone: the three-part form with no given names
            // (`{Ng Wei}, Jr.,`), or the suffix would read as a given name.
            Name::Person {
                family,
                given,
                suffix,
            } if given.is_empty() && !suffix.is_empty() => format!(
                "{}, {},",
                protect_and(&escape(&family)),
                protect_and(&escape(&suffix))
            ),
            Name::Person {
                family,
                given,
                suffix,
            } if given.is_empty() => {
                format!(
                    "{{{}}}",
                    escape(&super::join_present(&[&family, &suffix], " "))
                )
            }
            // BibTeX's three-part form, `von Last, Jr, First`.
            Name::Person {
                family,
                given,
                suffix,
            } if !suffix.is_empty() => format!(
                "{}, {}, {}",
                protect_and(&escape(&family)),
                protect_and(&escape(&suffix)),
                protect_and(&escape(&given))
            ),
            Name::Person { family, given, .. } => format!(
                "{}, {}",
                protect_and(&escape(&family)),
                protect_and(&escape(&given))
            ),
            Name::Literal(s) => format!("{{{}}}", escape(&s)),
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Braces a name part containing the word `and`, which would otherwise split the name.
fn protect_and(part: &str) -> String {
    if part
        .split_whitespace()
        .any(|w| w.eq_ignore_ascii_case("and"))
    {
        format!("{{{part}}}")
    } else {
        part.to_string()
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// One entry.
pub(crate) fn entry(r: &Record) -> String {
    let kind = r.kind();
    let mut fields: Vec<(&str, String)> = Vec::new();
    if !r.authors.is_empty() {
        fields.push(("author", authors(&r.authors)));
    }
    // Double braces keep the title's capitalization as written.
    fields.push(("title", format!("{{{}}}", escape(&r.title))));
    if let Some(c) = &r.container {
        fields.push((container_field(kind), escape(c)));
    }
    if let Some(d) = r.date {
        fields.push(("year", d.year().to_string()));
        if let Some(m) = d.month() {
            fields.push(("month", MONTHS[usize::from(m - 1)].to_string()));
        }
        fields.push(("date", d.to_string()));
    }
    for (k, v) in [("volume", &r.volume), ("number", &r.issue)] {
        if let Some(v) = v {
            fields.push((k, escape(v)));
        }
    }
    if let Some(count) = r.page_count() {
        fields.push(("pagetotal", escape(count)));
    } else if let Some((first, last)) = r.page_range() {
        let p = match last {
            Some(l) => format!("{}--{}", escape(&first), escape(&l)),
            None => escape(&first),
        };
        fields.push(("pages", p));
    }
    if let Some(p) = &r.publisher {
        fields.push((publisher_field(kind), escape(p)));
    }
    if let Some(p) = &r.place {
        fields.push(("address", escape(p)));
    }
    if let Some(d) = &r.doi {
        fields.push(("doi", escape_as(d, true)));
    }
    if let Some(u) = r.url.as_ref().or(r.page_url.as_ref()) {
        fields.push(("url", escape_as(u, true)));
    }
    if let Some(l) = &r.language {
        fields.push(("langid", escape(l)));
    }
    if !r.keywords.is_empty() {
        fields.push(("keywords", escape(&r.keywords.join(", "))));
    }
    if let Some(a) = &r.abstract_text {
        fields.push(("abstract", escape(a)));
    }
    let mut out = String::new();
    let _ = writeln!(out, "@{}{{{},", entry_type(kind), r.key);
    for (k, v) in fields {
        // Months are macros, written bare.
        if k == "month" || k == "year" {
            let _ = writeln!(out, "  {k} = {v},");
        } else {
            let _ = writeln!(out, "  {k} = {{{v}}},");
        }
    }
    out.push_str("}\n");
    out
}
