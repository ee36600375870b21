//! CSV export: one row per work, every field, lists joined with `; ` (RFC 4180 quoting, CRLF
//! line ends, UTF-8 with a byte-order mark so spreadsheet programs read Cyrillic correctly).

use super::Record;
use crate::model::{AbstractId, Archive};

/// The header row.
const HEADER: [&str; 22] = [
    "key",
    "type",
    "title",
    "authors",
    "date",
    "container",
    "volume",
    "issue",
    "pages",
    "publisher",
    "place",
    "doi",
    "url",
    "language",
    "abstract_language",
    "keywords",
    "actors",
    "periods",
    "spheres",
    "coverage_from",
    "coverage_to",
    "abstract",
];

/// One field, quoted when it must be.
fn field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// The CSV of works `ids` (records built with or without their abstracts).
pub(crate) fn file(a: &Archive, ids: &[AbstractId], with_abstract: bool) -> String {
    let mut out = String::with_capacity(super::capacity(a, ids, with_abstract));
    let _ = write(a, ids, with_abstract, &mut |s: &str| {
        out.push_str(s);
        Ok(())
    });
    out
}

/// The CSV of works `ids`, row by row into `sink`.
pub(crate) fn write(
    a: &Archive,
    ids: &[AbstractId],
    with_abstract: bool,
    sink: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut out = String::from("\u{feff}");
    let row = |out: &mut String, cells: &[&str]| {
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            field(out, c);
        }
        out.push_str("\r\n");
    };
    row(&mut out, &HEADER);
    sink(&out)?;
    let names = |f: crate::model::FacetName, vs: &[u32]| {
        vs.iter()
            .map(|&v| a.facet(f)[v as usize].name.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    for &id in ids {
        let w = a.work(id);
        let r = Record::from_work(a, id, with_abstract);
        let o = |x: &Option<String>| x.clone().unwrap_or_default();
        let periods = w
            .periods
            .iter()
            .map(|&p| a.periods[p as usize].id.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let spheres = w
            .spheres
            .iter()
            .map(|&s| a.spheres[s as usize].id.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let (from, to) = w
            .coverage
            .map(|(f, t)| (f.to_string(), t.to_string()))
            .unwrap_or_default();
        let cells: Vec<String> = vec![
            r.key.clone(),
            r.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
            r.title.clone(),
            r.authors.join("; "),
            r.date.map(|d| d.to_string()).unwrap_or_default(),
            o(&r.container),
            o(&r.volume),
            o(&r.issue),
            o(&r.pages),
            o(&r.publisher),
            o(&r.place),
            o(&r.doi),
            o(&r.url),
            o(&r.language),
            o(&w.abstract_language),
            r.keywords.join("; "),
            names(crate::model::FacetName::Actors, &w.actors),
            periods,
            spheres,
            from,
            to,
            o(&r.abstract_text),
        ];
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        out.clear();
        row(&mut out, &refs);
        sink(&out)?;
    }
    Ok(())
}
