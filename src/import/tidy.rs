//! Cleaning imported records the same way for every format, and the keys that decide whether
//! two records are the same work.
//!
//! A value that would not pass `dyad check` (a DOI that is not one, a URL that is not http(s),
//! a language that is not a BCP 47 tag) is left out with a note for the editor rather than
//! guessed at. Does not read or write files.

use crate::cite::Record;
use crate::model::dates::PartialDate;
use crate::source::raw::language_tag;
use unicode_normalization::UnicodeNormalization;

/// What a report keeps as its `container` when an export names both its type (CSL `genre`,
/// BibTeX `type`) and its series: the type, with a note naming the series left out; else
/// whichever is written.
pub(crate) fn report_container(
    kind_of: Option<String>,
    series: Option<String>,
    notes: &mut Vec<String>,
) -> Option<String> {
    if let (Some(_), Some(series)) = (&kind_of, &series) {
        notes.push(format!(
            "the series `{}` was left out: dyad keeps one name for a report's kind or series \
             (`container`), here the report type",
            series.trim()
        ));
    }
    kind_of.or(series)
}

/// Collapses runs of white space (line breaks included) into one space and trims; no-break
/// spaces are kept, as written on purpose (`I.~I.~Ivanov`, `50\,%`).
pub(crate) fn collapse(s: &str) -> String {
    let breaking = |c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}');
    s.split(breaking)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_string()
}

/// A title as compared for duplicates: NFC, white space (no-break too) collapsed, case folded.
pub(crate) fn title_key(title: &str) -> String {
    let title: String = title.nfc().collect();
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The DOI without a resolver prefix (`https://doi.org/`, `doi:`), lowercase: DOIs are
/// case-insensitive.
pub(crate) fn doi_key(doi: &str) -> String {
    bare_doi(doi).to_lowercase()
}

/// The DOI without a resolver prefix, case kept.
fn bare_doi(doi: &str) -> &str {
    let d = doi.trim();
    let lower = d.to_ascii_lowercase();
    for p in [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
    ] {
        if lower.starts_with(p) {
            return d[p.len()..].trim();
        }
    }
    d
}

/// Whether `doi` has the shape `dyad check` accepts: `10.<digits and dots>/<something>`.
fn is_doi(doi: &str) -> bool {
    doi.starts_with("10.")
        && doi.split_once('/').is_some_and(|(p, s)| {
            p.len() > 3 && p[3..].chars().all(|c| c.is_ascii_digit() || c == '.') && !s.is_empty()
        })
        && !doi.chars().any(char::is_whitespace)
}

/// A date from numeric parts as exports give them; None when they are not a real date.
pub(crate) fn date_from_parts(
    year: i64,
    month: Option<i64>,
    day: Option<i64>,
) -> Option<PartialDate> {
    let year = i32::try_from(year).ok()?;
    let month = match month {
        Some(m) => Some(u8::try_from(m).ok()?),
        None => None,
    };
    let day = match (month, day) {
        (Some(_), Some(d)) => Some(u8::try_from(d).ok()?),
        _ => None,
    };
    PartialDate::from_ymd_parts(year, month, day).ok()
}

/// An ISO-like date (`2019`, `2019-03`, `2019-03-15`, `2019-03-15T10:00:00Z`); None otherwise.
pub(crate) fn date_from_iso(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    let s = s.split_once('T').map_or(s, |(d, _)| d);
    let mut parts = s.split('-');
    let num = |p: Option<&str>, width: usize| -> Option<Option<i64>> {
        match p {
            None => Some(None),
            Some(p) if p.len() == width && p.bytes().all(|b| b.is_ascii_digit()) => {
                Some(p.parse().ok())
            }
            Some(_) => None,
        }
    };
    let year = num(parts.next(), 4)??;
    let month = num(parts.next(), 2)?;
    let day = num(parts.next(), 2)?;
    if parts.next().is_some() {
        return None;
    }
    date_from_parts(year, month, day)
}

/// The month of `m`: a number (`3`, `03`) or an English name or abbreviation (`mar`, `March`).
pub(crate) fn month_number(m: &str) -> Option<i64> {
    let m = m.trim().trim_end_matches('.').to_lowercase();
    if let Ok(n) = m.parse::<i64>() {
        return (1..=12).contains(&n).then_some(n);
    }
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let head: String = m.chars().take(3).collect();
    NAMES
        .iter()
        .position(|n| *n == head && m.len() >= 3)
        .map(|i| i as i64 + 1)
}

/// Tags of rich text that exports carry in titles and abstracts: Zotero's and CSL's
/// (`<i>`, `<b>`, `<sup>`, `<sub>`, `<span style="font-variant:small-caps;">`, `<span
/// class="nocase">`), HTML's and JATS's (`<p>`, `<jats:p>`, `<jats:italic>`) as publishers'
/// abstracts have them.
const RICH_TAGS: &[&str] = &[
    "i",
    "b",
    "em",
    "strong",
    "sup",
    "sub",
    "span",
    "sc",
    "u",
    "p",
    "br",
    "div",
    "title",
    "sec",
    "italic",
    "bold",
    "sc",
    "underline",
];

/// `0123456789+-` as superscripts and as subscripts.
const SUPERSCRIPTS: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻";
const SUBSCRIPTS: &str = "₀₁₂₃₄₅₆₇₈₉₊₋";

/// Text without the markup of rich text (see [`RICH_TAGS`]) and with HTML's character
/// references decoded (`&amp;` → `&`, `&#x2013;` → `–`): the tags' text is kept, a
/// paragraph's end (`</p>`, `<br>`) becomes a blank line when `paragraphs`, else a space.
/// Anything else that looks like a tag (`a < b > c`) stays as written.
pub(crate) fn untag(s: &str, paragraphs: bool) -> String {
    if !s.contains(['<', '&']) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find(['<', '&']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('<') {
            // `<name …>`, `</name>`, `<name/>`, with an optional `jats:`/`mml:` prefix.
            // Up to the next `<` or `>` only, so that no character is looked at twice.
            let end = rest[1..]
                .find(['<', '>'])
                .map(|e| e + 1)
                .filter(|&e| rest.as_bytes()[e] == b'>');
            let tag = end.map(|e| &rest[1..e]);
            let name = tag.map(|t| {
                let t = t.trim_start_matches('/');
                let qualified = t
                    .split(|c: char| c.is_whitespace() || c == '/')
                    .next()
                    .unwrap_or("");
                qualified
                    .split_once(':')
                    .map_or(qualified, |(_, local)| local)
                    .to_ascii_lowercase()
            });
            match (end, name) {
                (Some(e), Some(n)) if RICH_TAGS.contains(&n.as_str()) => {
                    let closing = rest[1..].starts_with('/');
                    // `m<sup>2</sup>`, `CO<sub>2</sub>`: digits and signs have characters of
                    // their own (m², CO₂).
                    if !closing && matches!(n.as_str(), "sup" | "sub") {
                        let inner = &rest[e + 1..];
                        let text = &inner[..inner.find('<').unwrap_or(inner.len())];
                        let close = format!("</{n}>");
                        let script = if n == "sup" { SUPERSCRIPTS } else { SUBSCRIPTS };
                        let mapped: Option<String> = text
                            .chars()
                            .map(|c| "0123456789+-".find(c).and_then(|i| script.chars().nth(i)))
                            .collect();
                        if let Some(mapped) = mapped.filter(|m| !m.is_empty())
                            && inner[text.len()..].starts_with(&close)
                        {
                            out.push_str(&mapped);
                            rest = &inner[text.len() + close.len()..];
                            continue;
                        }
                    }
                    if n == "br" || (matches!(n.as_str(), "p" | "div" | "sec" | "title") && closing)
                    {
                        out.push_str(if paragraphs { "\n\n" } else { " " });
                    }
                    rest = &rest[e + 1..];
                }
                _ => {
                    out.push('<');
                    rest = &rest[1..];
                }
            }
        } else {
            // A reference is short: look for its `;` among the next few bytes only.
            let reference = rest.as_bytes()[1..]
                .iter()
                .take(10)
                .position(|&b| b == b';')
                .and_then(|e| character(&rest[1..e + 1]).map(|c| (c, e + 2)));
            match reference {
                Some((c, len)) => {
                    out.push(c);
                    rest = &rest[len..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// An abstract without rich-text markup ([`untag`]), its paragraphs trimmed and separated by
/// one blank line.
pub(crate) fn untag_paragraphs(s: &str) -> String {
    untag(s, true)
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The character an HTML character reference names (`amp`, `#8211`, `#x2013`).
fn character(name: &str) -> Option<char> {
    let code = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        u32::from_str_radix(hex, 16).ok()?
    } else if let Some(dec) = name.strip_prefix('#') {
        dec.parse().ok()?
    } else {
        return match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            "ndash" => Some('–'),
            "mdash" => Some('—'),
            "laquo" => Some('«'),
            "raquo" => Some('»'),
            _ => None,
        };
    };
    char::from_u32(code).filter(|c| *c != '\0')
}

fn tidy_opt(v: &mut Option<String>) {
    *v = v.as_deref().map(collapse).filter(|s| !s.is_empty());
}

/// Cleans `r` in place; what had to be left out goes to `notes`.
pub(crate) fn tidy(r: &mut Record, notes: &mut Vec<String>) {
    r.title = collapse(&r.title);
    for v in [
        &mut r.container,
        &mut r.volume,
        &mut r.issue,
        &mut r.publisher,
        &mut r.place,
        &mut r.url,
        &mut r.doi,
        &mut r.language,
        &mut r.pages,
    ] {
        tidy_opt(v);
    }
    r.authors = r
        .authors
        .iter()
        .map(|a| collapse(a))
        .filter(|a| !a.is_empty())
        .collect();
    let mut seen = std::collections::HashSet::new();
    r.keywords = r
        .keywords
        .iter()
        .map(|k| collapse(k))
        .filter(|k| !k.is_empty() && seen.insert(k.to_lowercase()))
        .collect();
    for v in [&mut r.volume, &mut r.issue, &mut r.pages] {
        // The number alone (`No. 5` → `5`): each style writes its own label.
        if let Some(n) = v.as_deref().and_then(crate::source::raw::without_label) {
            *v = Some(n);
        }
    }
    if r.pages.is_some() {
        // One notation for ranges whatever the export wrote (`12-34`, `12--34`, `12–34`).
        r.pages = match r.page_range() {
            Some((first, Some(last))) => Some(format!("{first}–{last}")),
            Some((first, None)) => Some(first),
            None => None,
        };
    }
    if let Some(doi) = r.doi.take() {
        let bare = bare_doi(&doi).to_string();
        if is_doi(&bare) {
            r.doi = Some(bare);
        } else {
            notes.push(format!("DOI `{doi}` is not a DOI: left out"));
        }
    }
    if let Some(url) = r.url.take() {
        match url::Url::parse(&url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => r.url = Some(url),
            _ => notes.push(format!("URL `{url}` is not an http(s) address: left out")),
        }
    }
    if let Some(lang) = r.language.take() {
        match language_tag(&lang) {
            Some(tag) => r.language = Some(tag),
            None => notes.push(format!(
                "language `{lang}` is not a language tag: left out (write e.g. `language: ru`)"
            )),
        }
    }
    if let Some(t) = r.abstract_text.take() {
        r.abstract_text = Some(t.trim().to_string()).filter(|t| !t.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_ignore_case_space_and_resolver() {
        assert_eq!(
            doi_key("https://doi.org/10.5555/ABC.1"),
            doi_key("10.5555/abc.1")
        );
        assert_eq!(doi_key("doi:10.5555/x"), "10.5555/x");
        // NFC: й written as и + combining breve.
        assert_eq!(
            title_key("Россия  и\nКазахстан"),
            title_key("россия и казахстан")
        );
        assert_eq!(title_key("Краи\u{306}"), title_key("КРАЙ"));
    }

    #[test]
    fn rich_text_markup_becomes_text() {
        assert_eq!(
            untag(
                "The <i>Eurasian</i> Union: m<sup>2</sup>, CO<sub>2</sub> &amp; <span style=\"font-variant:small-caps;\">ussr</span>",
                false
            ),
            "The Eurasian Union: m², CO₂ & ussr"
        );
        assert_eq!(
            untag("a < b > c &c; AT&T &#x2013; &#8212;", false),
            "a < b > c &c; AT&T – —"
        );
        assert_eq!(untag("x<sup>a</sup>", false), "xa");
        assert_eq!(
            untag_paragraphs("<jats:p>One &lt;two&gt;.</jats:p>\n<jats:p>Three<br/>four</jats:p>"),
            "One <two>.\n\nThree\n\nfour"
        );
        // Plain text is returned as it is, and long runs of `<` or `&` take linear time.
        assert_eq!(untag("Plain", true), "Plain");
        let many = "<&".repeat(200_000);
        assert_eq!(untag(&many, false), many);
    }

    #[test]
    fn a_label_written_with_a_number_is_left_out() {
        let mut r = Record {
            title: "T".into(),
            volume: Some("Vol. 3".into()),
            issue: Some("No. 5".into()),
            pages: Some("pp. 12--34".into()),
            ..Record::default()
        };
        let mut notes = Vec::new();
        tidy(&mut r, &mut notes);
        assert_eq!(r.volume.as_deref(), Some("3"));
        assert_eq!(r.issue.as_deref(), Some("5"));
        assert_eq!(r.pages.as_deref(), Some("12–34"));
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn no_break_spaces_survive_collapsing() {
        assert_eq!(
            collapse("  I.\u{a0}I.\n Ivanov \u{a0} "),
            "I.\u{a0}I. Ivanov"
        );
        assert_eq!(title_key("Gas\u{a0}Transit"), title_key("gas  transit"));
    }

    #[test]
    fn languages_become_tags_or_are_left_out() {
        assert_eq!(language_tag("Russian").as_deref(), Some("ru"));
        assert_eq!(language_tag("қазақ тілі").as_deref(), Some("kk"));
        assert_eq!(language_tag("ru_RU").as_deref(), Some("ru-RU"));
        assert_eq!(language_tag("kk").as_deref(), Some("kk"));
        assert_eq!(language_tag("Klingon (Tlhingan Hol)"), None);
    }

    #[test]
    fn dates_parse_or_are_none() {
        assert_eq!(
            date_from_iso("2019-03-15")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2019-03-15")
        );
        assert_eq!(
            date_from_iso("2019-03").map(|d| d.to_string()).as_deref(),
            Some("2019-03")
        );
        assert_eq!(date_from_iso("2019-02-30"), None);
        assert_eq!(date_from_iso("spring 2019"), None);
        assert_eq!(date_from_parts(2019, Some(13), None), None);
        assert_eq!(
            date_from_parts(2019, None, Some(3))
                .map(|d| d.to_string())
                .as_deref(),
            Some("2019")
        );
        assert_eq!(month_number("mar"), Some(3));
        assert_eq!(month_number("September"), Some(9));
        assert_eq!(month_number("13"), None);
    }

    #[test]
    fn tidy_leaves_out_what_check_would_reject() {
        let mut r = Record {
            title: " A\n title ".into(),
            doi: Some("https://doi.org/10.5555/rk.1".into()),
            url: Some("ftp://example.org/x".into()),
            language: Some("Russisch-ish language".into()),
            pages: Some("12--34".into()),
            keywords: vec!["EAEU".into(), "eaeu".into(), " ".into()],
            ..Record::default()
        };
        let mut notes = Vec::new();
        tidy(&mut r, &mut notes);
        assert_eq!(r.title, "A title");
        assert_eq!(r.doi.as_deref(), Some("10.5555/rk.1"));
        assert_eq!(r.url, None);
        assert_eq!(r.language, None);
        assert_eq!(r.pages.as_deref(), Some("12–34"));
        assert_eq!(r.keywords, ["EAEU"]);
        assert_eq!(notes.len(), 2, "{notes:?}");
    }
}
