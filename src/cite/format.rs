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
    // hayagriva title-cases the titles of every work not marked as in another language than
    // English (CSL's rule); a title without a Latin letter and no language given is not
    // English ("und": undetermined), so "Россия и ЕАЭС" does not become "Россия И Еаэс".
    if record.language.is_none() && !record.title.chars().any(|c| c.is_ascii_alphabetic()) {
        record.language = Some("und".into());
    }
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
            let mut pieces = Vec::new();
            collect(&entry.content, false, &mut pieces);
            drop_empty_retrieved(&mut pieces);
            if *id == "gost" {
                gost_page_label(&mut pieces);
            }
            restore_cased_words(
                &mut pieces,
                &[&record.title, record.container.as_deref().unwrap_or("")],
            );
            tidy_punctuation(&mut pieces);
            let mut html = String::new();
            for piece in &pieces {
                piece.write(&mut html);
            }
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

/// A piece of a rendered reference: a text in its formatting, or a link.
struct Piece<'a> {
    text: String,
    formatting: &'a hayagriva::Formatting,
    /// Where the piece links to (a URL or DOI: never tidied).
    url: Option<&'a str>,
    /// Written by the style (a delimiter or an affix), not from the work's data.
    affix: bool,
    /// Already HTML (markup hayagriva passes through).
    markup: bool,
}

impl Piece<'_> {
    /// Writes the piece as HTML, escaping its text.
    fn write(&self, out: &mut String) {
        if self.markup {
            out.push_str(&escape(&self.text).to_string());
            return;
        }
        let safe = self
            .url
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
        if let Some(url) = safe {
            out.push_str(&format!("<a href=\"{}\">", escape(url)));
        }
        write_text(&self.text, self.formatting, out);
        if safe.is_some() {
            out.push_str("</a>");
        }
    }
}

static PLAIN: LazyLock<hayagriva::Formatting> = LazyLock::new(hayagriva::Formatting::default);

/// The rendered elements as pieces, in order; `in_value` when inside the output of a
/// variable (a name, date, number or text element).
fn collect<'a>(children: &'a ElemChildren, in_value: bool, out: &mut Vec<Piece<'a>>) {
    for child in &children.0 {
        match child {
            ElemChild::Text(t) => out.push(Piece {
                text: t.text.clone(),
                formatting: &t.formatting,
                url: None,
                affix: !in_value,
                markup: false,
            }),
            ElemChild::Elem(e) => {
                let value = in_value
                    || e.meta
                        .as_ref()
                        .is_some_and(|m| !matches!(m, hayagriva::ElemMeta::Entry(_)));
                collect(&e.children, value, out);
            }
            ElemChild::Markup(m) => out.push(Piece {
                text: m.clone(),
                formatting: &PLAIN,
                url: None,
                affix: !in_value,
                markup: true,
            }),
            ElemChild::Link { text, url } => out.push(Piece {
                text: text.text.clone(),
                formatting: &text.formatting,
                url: Some(url),
                affix: false,
                markup: false,
            }),
            ElemChild::Transparent { .. } => {}
        }
    }
}

/// The core of a word: without the punctuation around it (`“U.S.”` → `U.S`).
fn core(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric())
}

/// What separates words for [`restore_cased_words`]: white space, hyphens, slashes.
fn separates(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '‐' | '/')
}

/// Whether a word's case says more than "capitalized or not": a capital after its first
/// letter (`USSR`, `EAEU's`, `McDonald`, `iPhone`, `U.S`).
fn cased(word: &str) -> bool {
    word.chars()
        .skip_while(|c| !c.is_alphanumeric())
        .skip(1)
        .any(char::is_uppercase)
}

/// Title case (Chicago) leaves a word with capitals inside as written, but hayagriva 0.10
/// lowercases it when it ends a quoted title (`the USSR.”` → `the Ussr.”`) and always when
/// its capitals follow a small letter (`McDonald` → `Mcdonald`). Every such word of the
/// work's title and container (only when they hold some small letter: a title all in
/// capitals is title-cased, as CSL says) is put back where a style changed its case; links
/// and the style's own words are left alone.
fn restore_cased_words(pieces: &mut [Piece<'_>], sources: &[&str]) {
    // Each word with its lowercase form, made once rather than at every comparison.
    let words: Vec<(&str, String)> = sources
        .iter()
        .filter(|s| s.chars().any(char::is_lowercase))
        .flat_map(|s| s.split(separates))
        .map(core)
        .filter(|w| cased(w))
        .map(|w| (w, w.to_lowercase()))
        .collect();
    if words.is_empty() {
        return;
    }
    for piece in pieces
        .iter_mut()
        .filter(|p| !p.affix && !p.markup && p.url.is_none())
    {
        let mut text = String::with_capacity(piece.text.len());
        let mut rest = piece.text.as_str();
        while !rest.is_empty() {
            // A word, or the one separator before the next.
            let end = match rest.find(separates) {
                Some(0) => rest.chars().next().map_or(1, char::len_utf8),
                Some(i) => i,
                None => rest.len(),
            };
            let (token, after) = rest.split_at(end);
            let word = core(token);
            let lower = word.to_lowercase();
            match words
                .iter()
                .find(|(w, l)| *w != word && *l == lower)
                .map(|(w, _)| w)
            {
                Some(original) => {
                    let at = token.find(word).unwrap_or(0);
                    text.push_str(&token[..at]);
                    text.push_str(original);
                    text.push_str(&token[at + word.len()..]);
                }
                None => text.push_str(token),
            }
            rest = after;
        }
        piece.text = text;
    }
}

/// GOST R 7.0.5 writes the pages of a part as `С. 101–120` whatever their number; the Russian
/// CSL locale's plural short term makes it `Сс.`, which the standard does not know.
fn gost_page_label(pieces: &mut [Piece<'_>]) {
    for piece in pieces.iter_mut().filter(|p| !p.affix && p.url.is_none()) {
        if piece.text == "Сс." {
            piece.text = "С.".into();
        }
    }
}

/// APA's "Retrieved {accessed date}, from {URL}" is a CSL group that must vanish when there is
/// no access date (dyad records none: it would change with every build); hayagriva 0.10 keeps
/// its first word, so a work without a date read `(n.d.). Retrieved https://…`. The style's
/// `Retrieved ` directly before a link is dropped.
fn drop_empty_retrieved(pieces: &mut [Piece<'_>]) {
    for i in 1..pieces.len() {
        let (before, after) = pieces.split_at_mut(i);
        let piece = &mut before[i - 1];
        if after[0].url.is_some()
            && piece.affix
            && !piece.markup
            && let Some(kept) = piece.text.strip_suffix("Retrieved ")
        {
            piece.text.truncate(kept.len());
        }
    }
}

/// Punctuation where two pieces meet, as a citation processor collapses it (hayagriva 0.10
/// does not, so APA printed `(2020,)` for a year alone, Chicago `“Why Russia?.”.` and `J,.`):
/// a comma the style wrote before `)` or `.` goes; a full stop after `?` or `!` goes; a full
/// stop after a closing quote that already ends in `.`, `?` or `!` goes; two full stops become
/// one (three or four are an ellipsis, kept: four lose one). Links and markup are never
/// changed; a stop is removed only before the end, a space, a quote or a bracket, so `1..10`
/// and `?.NET` stay as written.
fn tidy_punctuation(pieces: &mut [Piece<'_>]) {
    // Every character that may change: (piece, byte offset, char, written by the style).
    // Links and markup stand in as U+FFFC, which no rule touches.
    let mut chars: Vec<(usize, usize, char, bool)> = Vec::new();
    for (i, p) in pieces.iter().enumerate() {
        if p.url.is_some() || p.markup {
            chars.push((i, usize::MAX, '\u{FFFC}', false));
        } else {
            chars.extend(p.text.char_indices().map(|(at, c)| (i, at, c, p.affix)));
        }
    }
    let closing_quote = |c: char| matches!(c, '”' | '’' | '"' | '»');
    let ends = |c: Option<char>| {
        c.is_none_or(|c| c.is_whitespace() || closing_quote(c) || matches!(c, ')' | ']' | ','))
    };
    let mut removed = vec![false; chars.len()];
    loop {
        let live: Vec<usize> = (0..chars.len()).filter(|&k| !removed[k]).collect();
        let at = |j: usize| live.get(j).map(|&k| chars[k].2);
        let before = |j: usize, n: usize| j.checked_sub(n).and_then(at);
        let dots_from = |j: usize| (j..).take_while(|&x| at(x) == Some('.')).count();
        let mut drop = None;
        for j in 0..live.len() {
            let (_, _, c, affix) = chars[live[j]];
            let next = at(j + 1);
            let lone_stop = c == '.' && before(j, 1) != Some('.') && dots_from(j) == 1;
            let hit = (c == ',' && affix && matches!(next, Some(')' | '.')))
                || (lone_stop && matches!(before(j, 1), Some('?' | '!')) && ends(next))
                || (lone_stop
                    && before(j, 1).is_some_and(closing_quote)
                    && matches!(before(j, 2), Some('.' | '?' | '!'))
                    && ends(next))
                || (c == '.'
                    && before(j, 1) != Some('.')
                    && matches!(dots_from(j), 2 | 4)
                    && ends(at(j + dots_from(j))));
            if hit {
                // Of a run of stops, the last goes.
                drop = Some(live[if c == '.' { j + dots_from(j) - 1 } else { j }]);
                break;
            }
        }
        match drop {
            Some(k) => removed[k] = true,
            None => break,
        }
    }
    // Remove from the end, so earlier offsets stay valid.
    for (k, &(piece, at, c, _)) in chars.iter().enumerate().rev() {
        if removed[k] {
            pieces[piece].text.replace_range(at..at + c.len_utf8(), "");
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
    /// The references of a work by one author in 2019 with `title`, of `kind`, in `container`.
    fn plain(title: &str, kind: Option<SourceKind>, container: Option<&str>) -> Vec<String> {
        let r = Record {
            key: "x".into(),
            kind,
            title: title.into(),
            authors: vec!["Петров И. П.".into()],
            date: crate::model::dates::PartialDate::parse("2019").ok(),
            container: container.map(Into::into),
            page_url: Some("https://example.org/a/".into()),
            ..Record::default()
        };
        let refs = references(&r);
        assert_eq!(refs.len(), 3);
        refs.into_iter().map(|r| r.text).collect()
    }

    use crate::source::raw::SourceKind;

    #[test]
    fn punctuation_where_pieces_meet_is_collapsed() {
        // hayagriva 0.10 wrote each of these doubled or stray marks.
        let [apa, chicago, gost] =
            <[String; 3]>::try_from(plain("Why Russia?", None, None)).unwrap();
        assert!(
            apa.starts_with("Петров, И. П. (2019). Why Russia? https://"),
            "{apa}"
        );
        assert!(
            chicago.contains("2019. “Why Russia?” https://"),
            "{chicago}"
        );
        assert!(gost.contains("Why Russia? 2019."), "{gost}");
        let refs = plain("Ends with a dot.", None, None);
        assert!(
            refs[1].contains("“Ends with a Dot.” https://"),
            "{}",
            refs[1]
        );
        let refs = plain("T", Some(SourceKind::Article), Some("J"));
        assert!(refs[1].contains("“T.” J. https://"), "{}", refs[1]);
        for text in plain("Why Russia?", None, None)
            .into_iter()
            .chain(plain("Ends with a dot.", None, None))
            .chain(plain("T", Some(SourceKind::Article), Some("J")))
        {
            for bad in [",)", ",.", "?.", "..", ".”.", "?”."] {
                assert!(!text.contains(bad), "{bad:?} in {text}");
            }
        }
    }

    /// An article without author or date, with `title`, in `container`.
    fn article(title: &str, container: &str) -> Record {
        Record {
            key: "x".into(),
            kind: Some(SourceKind::Article),
            title: title.into(),
            container: Some(container.into()),
            ..Record::default()
        }
    }

    #[test]
    fn words_with_capitals_inside_keep_them() {
        for title in [
            "Russia and the EAEU",
            "Russia and the EAEU?",
            "NATO's view of the CIS",
            "Why McDonald left",
            "Policy of the U.S.",
        ] {
            let chicago = &references(&article(title, "J"))[1].text;
            for word in title.split(' ').map(core).filter(|w| cased(w)) {
                assert!(chicago.contains(word), "{word} in {chicago}");
            }
        }
        // Chicago title-cases the rest as before.
        let r = article("the dissolution of the USSR", "J");
        assert!(
            references(&r)[1]
                .text
                .starts_with("“The Dissolution of the USSR.”")
        );
    }

    #[test]
    fn a_title_without_latin_letters_is_not_title_cased() {
        let r = article("Россия и ЕАЭС: итоги", "Вестник");
        assert!(
            references(&r)[1]
                .text
                .starts_with("“Россия и ЕАЭС: итоги.”"),
            "{:?}",
            references(&r)[1]
        );
    }

    #[test]
    fn gost_pages_are_c_whatever_their_number() {
        let r = Record {
            pages: Some("101-120".into()),
            ..article("T", "J")
        };
        let gost = &references(&r)[2].text;
        assert!(gost.contains(" С. 101–120"), "{gost}");
    }

    #[test]
    fn no_retrieved_without_an_access_date() {
        let r = Record {
            key: "x".into(),
            title: "T".into(),
            page_url: Some("https://example.org/a/".into()),
            ..Record::default()
        };
        let apa = &references(&r)[0];
        assert_eq!(apa.text, "T. (n.d.). https://example.org/a/");
    }

    #[test]
    fn punctuation_of_the_work_itself_is_kept() {
        for text in plain("Ellipsis...", Some(SourceKind::Book), None) {
            assert!(text.contains("Ellipsis..."), "{text}");
        }
        for text in plain("Ranks 1..10 (a,) b", Some(SourceKind::Book), None) {
            // (Chicago title-cases the title.)
            assert!(text.to_lowercase().contains("ranks 1..10 (a,) b"), "{text}");
        }
        for text in plain("Is .NET used?", Some(SourceKind::Report), None) {
            assert!(text.contains(".NET"), "{text}");
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
