//! RIS export (the tag list of the RIS format: TY, AU, PY, DA, TI, T2, VL, IS, SP, EP, PB, CY,
//! DO, UR, AB, KW, LA, ER). Each value is on one line; records end with `ER  -`.

use super::{Name, Record};
use crate::source::raw::SourceKind;
use std::fmt::Write as _;

/// The reference type for a kind.
fn ty(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Article => "JOUR",
        SourceKind::Book => "BOOK",
        SourceKind::Chapter => "CHAP",
        SourceKind::Report => "RPRT",
        SourceKind::Thesis => "THES",
        SourceKind::Other => "GEN",
    }
}

/// A value on one line (RIS has no escapes: line breaks become spaces).
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One record, lines ending in CRLF as the format asks.
pub(crate) fn entry(r: &Record) -> String {
    let mut out = String::new();
    let mut tag = |t: &str, v: &str| {
        let v = one_line(v);
        if !v.is_empty() {
            let _ = write!(out, "{t}  - {v}\r\n");
        }
    };
    tag("TY", ty(r.kind()));
    for a in &r.authors {
        tag("AU", &Name::parse(a).inverted());
    }
    if let Some(d) = r.date {
        tag("PY", &d.year().to_string());
        let da = match (d.month(), d.day()) {
            (Some(m), Some(day)) => format!("{:04}/{m:02}/{day:02}", d.year()),
            (Some(m), None) => format!("{:04}/{m:02}/", d.year()),
            _ => format!("{:04}///", d.year()),
        };
        tag("DA", &da);
    }
    tag("TI", &r.title);
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    tag("T2", &opt(&r.container));
    tag("VL", &opt(&r.volume));
    tag("IS", &opt(&r.issue));
    if let Some((first, last)) = r.page_range() {
        tag("SP", &first);
        tag("EP", &last.unwrap_or_default());
    }
    tag("PB", &opt(&r.publisher));
    tag("CY", &opt(&r.place));
    tag("DO", &opt(&r.doi));
    tag("UR", &opt(&r.url.clone().or(r.page_url.clone())));
    if let Some(a) = &r.abstract_text {
        tag("AB", a);
    }
    for k in &r.keywords {
        tag("KW", k);
    }
    tag("LA", &opt(&r.language));
    out.push_str("ER  - \r\n");
    out
}
