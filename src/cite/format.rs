//! Formatted references ("Cite" on an abstract page): APA 7, Chicago author-date and GOST R
//! 7.0.5-2008, rendered by hayagriva from the CSL styles and locales it ships.
//!
//! hayagriva reads the work's CSL-JSON item (the same one the `.json` download has), so the
//! references and the downloads can never disagree. Its HTML writer does not escape text, so
//! the rendered elements are written here, every text escaped.

use super::{Record, csl};
use crate::feeds::escape;
use hayagriva::citationberg::{IndependentStyle, Locale, LocaleCode, Style};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild, ElemChildren,
};
use std::sync::LazyLock;

/// A reference in one style.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Reference {
    /// Style id (`apa`, `chicago`, `gost`), for element ids and classes.
    pub id: &'static str,
    /// The style's name for readers.
    pub style: &'static str,
    /// The reference as HTML (escaped text; `<i>`, `<b>`, `<a>` only).
    pub html: String,
    /// The same as plain text, for the copy button.
    pub text: String,
}

/// The language a style's references are written in (the CSL locale it is rendered with):
/// `ru` for GOST, `en` for the others.
pub(crate) fn language_of(style_id: &str) -> &'static str {
    if style_id == "gost" { "ru" } else { "en" }
}

/// The styles, parsed once.
struct Styles {
    list: Vec<(
        &'static str,
        &'static str,
        IndependentStyle,
        Option<LocaleCode>,
    )>,
    locales: Vec<Locale>,
}

static STYLES: LazyLock<Styles> = LazyLock::new(|| {
    use hayagriva::archive::ArchivedStyle as A;
    let independent = |s: A| match s.get() {
        Style::Independent(i) => i,
        Style::Dependent(_) => unreachable!("the archived styles used here are independent"),
    };
    Styles {
        list: vec![
            (
                "apa",
                "APA 7",
                independent(A::AmericanPsychologicalAssociation),
                None,
            ),
            (
                "chicago",
                "Chicago author-date",
                independent(A::ChicagoAuthorDate),
                None,
            ),
            (
                "gost",
                "GOST R 7.0.5-2008",
                independent(A::GostR7052008Numeric),
                Some(LocaleCode("ru-RU".into())),
            ),
        ],
        // Only the locales the styles use: hayagriva searches the list for every term.
        locales: hayagriva::archive::locales()
            .into_iter()
            .filter(|l| {
                l.lang
                    .as_ref()
                    .is_some_and(|c| c.0 == "en-US" || c.0 == "ru-RU")
            })
            .collect(),
    }
});

/// The record's reference in every style.
pub(crate) fn references(r: &Record) -> Vec<Reference> {
    let mut record = r.clone();
    // A reference cites the work, not its abstract.
    record.abstract_text = None;
    let Ok(value) = serde_json::to_value(csl::item(&record)) else {
        return Vec::new();
    };
    let Ok(item) = serde_json::from_value::<hayagriva::citationberg::json::Item>(value) else {
        return Vec::new();
    };
    let styles = &*STYLES;
    styles
        .list
        .iter()
        .filter_map(|(id, name, style, locale)| {
            let mut driver = BibliographyDriver::new();
            driver.citation(CitationRequest::new(
                vec![CitationItem::with_entry(&item)],
                style,
                locale.clone(),
                &styles.locales,
                None,
            ));
            let rendered = driver.finish(BibliographyRequest {
                style,
                locale: locale.clone(),
                locale_files: &styles.locales,
            });
            let entry = rendered.bibliography?.items.into_iter().next()?;
            let mut html = String::new();
            write_children(&entry.content, &mut html);
            Some(reference(id, name, html.trim().to_string()))
        })
        .collect()
}

/// A reference from its HTML; the text is the HTML without tags, unescaped.
fn reference(id: &'static str, style: &'static str, html: String) -> Reference {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    Reference {
        id,
        style,
        html,
        text,
    }
}

/// References from their HTML in style order (as [`references`] makes them); None unless
/// there is one for every style.
pub(crate) fn from_html(htmls: Vec<String>) -> Option<Vec<Reference>> {
    let styles = &STYLES.list;
    (htmls.len() == styles.len()).then(|| {
        styles
            .iter()
            .zip(htmls)
            .map(|((id, name, ..), html)| reference(id, name, html))
            .collect()
    })
}

/// Writes rendered elements as HTML, escaping every text.
fn write_children(children: &ElemChildren, out: &mut String) {
    for child in &children.0 {
        match child {
            ElemChild::Text(t) => write_text(&t.text, &t.formatting, out),
            ElemChild::Elem(e) => write_children(&e.children, out),
            ElemChild::Markup(m) => out.push_str(&escape(m).to_string()),
            ElemChild::Link { text, url } => {
                let safe = url.starts_with("https://") || url.starts_with("http://");
                if safe {
                    out.push_str(&format!("<a href=\"{}\">", escape(url)));
                }
                write_text(&text.text, &text.formatting, out);
                if safe {
                    out.push_str("</a>");
                }
            }
            ElemChild::Transparent { .. } => {}
        }
    }
}

/// Text in its formatting (italic, bold, small caps, super- and subscript).
fn write_text(text: &str, f: &hayagriva::Formatting, out: &mut String) {
    use hayagriva::citationberg::{FontStyle, FontVariant, FontWeight, VerticalAlign};
    let mut close = Vec::new();
    let mut open = |tag: &'static str, attrs: &str, out: &mut String| {
        out.push_str(&format!("<{tag}{attrs}>"));
        close.push(tag);
    };
    if f.font_style == FontStyle::Italic {
        open("i", "", out);
    }
    if f.font_weight == FontWeight::Bold {
        open("b", "", out);
    }
    if f.font_variant == FontVariant::SmallCaps {
        open("span", " class=\"small-caps\"", out);
    }
    match f.vertical_align {
        VerticalAlign::Sup => open("sup", "", out),
        VerticalAlign::Sub => open("sub", "", out),
        _ => {}
    }
    out.push_str(&escape(text).to_string());
    for tag in close.into_iter().rev() {
        out.push_str(&format!("</{tag}>"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_in_three_styles() {
        let r = Record {
            key: "x".into(),
            kind: Some(crate::source::raw::SourceKind::Article),
            title: "Energy <transit> & \"trust\"".into(),
            authors: vec!["Петров И. П.".into(), "Anna M. Berg".into()],
            date: crate::model::dates::PartialDate::parse("2019-03").ok(),
            container: Some("Вестник МГУ".into()),
            volume: Some("27".into()),
            issue: Some("4".into()),
            pages: Some("205-220".into()),
            doi: Some("10.5555/abc".into()),
            ..Record::default()
        };
        let refs = references(&r);
        for x in &refs {
            eprintln!("{}: {}\n   {}", x.style, x.html, x.text);
        }
        assert_eq!(refs.len(), 3);
        for x in &refs {
            assert!(x.text.contains("Петров"), "{x:?}");
            assert!(x.text.contains("2019"), "{x:?}");
            assert!(x.html.contains("&lt;transit&gt; &amp;"), "{x:?}");
            assert!(!x.html.contains("<transit>"), "{x:?}");
        }
    }
}

#[cfg(test)]
mod timing {
    #[test]
    #[ignore]
    fn time_references() {
        let r = super::Record {
            key: "x".into(),
            kind: Some(crate::source::raw::SourceKind::Article),
            title: "Energy".into(),
            authors: vec!["Петров И. П.".into(), "Anna M. Berg".into()],
            date: crate::model::dates::PartialDate::parse("2019-03").ok(),
            container: Some("Вестник МГУ".into()),
            ..super::Record::default()
        };
        let expected = super::references(&r);
        assert_eq!(expected.len(), 3);
        let t = std::time::Instant::now();
        for _ in 0..200 {
            assert_eq!(super::references(&r), expected);
        }
        eprintln!("{:?} per work", t.elapsed() / 200);
    }
}
