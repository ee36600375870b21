//! CSL-JSON (what Zotero's "CSL JSON" export writes): an array of items.
//!
//! The file is split into items first, so that an item of the wrong shape is reported at its
//! own line and the others are still read; a file that is not JSON at all is one problem at
//! the line serde_json names. Fields dyad has no use for are ignored. Does not tidy values.

use super::tidy::{date_from_iso, date_from_parts, report_container, untag, untag_paragraphs};
use super::{Entry, Problem, Read};
use crate::cite::{Name, Record};
use crate::source::raw::SourceKind;
use serde::Deserialize;
use serde_json::value::RawValue;

/// A string or a number (CSL allows both for volume, issue, page and date parts).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Text {
    Str(String),
    Num(serde_json::Number),
}

impl Text {
    fn into_string(self) -> String {
        match self {
            Text::Str(s) => s,
            Text::Num(n) => n.to_string(),
        }
    }

    fn as_int(&self) -> Option<i64> {
        match self {
            Text::Str(s) => s.trim().parse().ok(),
            Text::Num(n) => n.as_i64(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct CslName {
    family: Option<String>,
    given: Option<String>,
    literal: Option<String>,
    #[serde(rename = "non-dropping-particle")]
    particle: Option<String>,
    #[serde(rename = "dropping-particle")]
    dropping_particle: Option<String>,
    suffix: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    parts: Option<Vec<Vec<Text>>>,
    raw: Option<String>,
    literal: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Item {
    #[serde(rename = "type")]
    kind: Option<String>,
    title: Option<Text>,
    #[serde(default)]
    author: Vec<CslName>,
    issued: Option<CslDate>,
    #[serde(rename = "container-title")]
    container: Option<Text>,
    #[serde(rename = "collection-title")]
    collection: Option<Text>,
    genre: Option<Text>,
    volume: Option<Text>,
    issue: Option<Text>,
    number: Option<Text>,
    #[serde(rename = "collection-number")]
    collection_number: Option<Text>,
    page: Option<Text>,
    #[serde(rename = "number-of-pages")]
    number_of_pages: Option<Text>,
    publisher: Option<Text>,
    #[serde(rename = "publisher-place")]
    place: Option<Text>,
    #[serde(rename = "DOI")]
    doi: Option<Text>,
    #[serde(rename = "URL")]
    url: Option<Text>,
    #[serde(rename = "abstract")]
    abstract_text: Option<Text>,
    keyword: Option<Text>,
    language: Option<Text>,
}

/// Reads a CSL-JSON export. Pure.
pub(crate) fn read(text: &str) -> Read {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut read = Read::default();
    let trimmed = body.trim_start();
    let items: Vec<&RawValue> = if trimmed.starts_with('{') {
        match serde_json::from_str::<&RawValue>(body) {
            Ok(v) => vec![v],
            Err(e) => return not_json(read, &e),
        }
    } else {
        match serde_json::from_str::<Vec<&RawValue>>(body) {
            Ok(v) => v,
            Err(e) => return not_json(read, &e),
        }
    };
    let mut lines = super::Lines::new(body);
    for raw in items {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(body.as_ptr() as usize);
        let line = lines.at(offset);
        match serde_json::from_str::<Item>(raw.get()) {
            Ok(item) => read.entries.push(entry(line, item)),
            Err(e) => read.problems.push(Problem {
                line: Some(line + u32::try_from(e.line()).unwrap_or(1).saturating_sub(1)),
                message: format!(
                    "this item does not have the shape of a CSL-JSON item: {}",
                    without_position(&e)
                ),
            }),
        }
    }
    read
}

/// serde_json's message without its ` at line L column C` tail (we give the line ourselves).
fn without_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn not_json(mut read: Read, e: &serde_json::Error) -> Read {
    read.problems.push(Problem {
        line: Some(u32::try_from(e.line()).unwrap_or(1).max(1)),
        message: format!(
            "not a CSL-JSON array of items: {} (export again from Zotero as \"CSL JSON\")",
            without_position(e)
        ),
    });
    read
}

fn kind(t: &str) -> SourceKind {
    match t {
        "article" | "article-journal" | "article-magazine" | "article-newspaper" => {
            SourceKind::Article
        }
        "book" => SourceKind::Book,
        "chapter" | "paper-conference" | "entry-encyclopedia" | "entry-dictionary" => {
            SourceKind::Chapter
        }
        "report" => SourceKind::Report,
        "thesis" => SourceKind::Thesis,
        _ => SourceKind::Other,
    }
}

fn name(n: CslName) -> Option<String> {
    if let Some(l) = n.literal.filter(|l| !l.trim().is_empty()) {
        return Some(l);
    }
    let family = [n.particle, n.family]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let given = [n.given, n.dropping_particle]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let (family, given) = (family.trim().to_string(), given.trim().to_string());
    match (family.is_empty(), given.is_empty()) {
        (true, true) => None,
        (true, false) => Some(given),
        _ => Some(
            Name::Person {
                family,
                given,
                suffix: n.suffix.unwrap_or_default().trim().to_string(),
            }
            .natural(),
        ),
    }
}

fn date(d: CslDate, notes: &mut Vec<String>) -> Option<crate::model::dates::PartialDate> {
    if let Some(first) = d.parts.as_ref().and_then(|p| p.first())
        && let Some(year) = first.first().and_then(Text::as_int)
    {
        let month = first.get(1).and_then(Text::as_int);
        let day = first.get(2).and_then(Text::as_int);
        if let Some(date) = date_from_parts(year, month, day) {
            return Some(date);
        }
    }
    for written in [d.raw, d.literal].into_iter().flatten() {
        if let Some(date) = date_from_iso(&written) {
            return Some(date);
        }
        if !written.trim().is_empty() {
            notes.push(format!("the date `{}` could not be read", written.trim()));
            return None;
        }
    }
    if let Some(parts) = d.parts.filter(|p| !p.is_empty()) {
        let shown: Vec<String> = parts.into_iter().flatten().map(Text::into_string).collect();
        notes.push(format!("the date `{}` could not be read", shown.join("-")));
    }
    None
}

fn entry(line: u32, item: Item) -> Entry {
    let mut notes = Vec::new();
    let s = |t: Option<Text>| t.map(Text::into_string);
    // Text that may carry CSL's rich-text markup (`<i>`, `<sup>`, `&amp;`).
    let rich = |t: Option<Text>| s(t).map(|v| untag(&v, false));
    let keywords = s(item.keyword)
        .map(|k| {
            let sep = if k.contains(';') { ';' } else { ',' };
            k.split(sep).map(str::to_string).collect()
        })
        .unwrap_or_default();
    // Where Zotero (and dyad's own export) put a book's series, a report's kind and number and
    // the page count of a whole work: read back into the fields dyad keeps them in (see
    // `cite::csl::item`); a plain field, when written, comes first.
    let kind = item.kind.as_deref().map(kind);
    let (container, issue) = match kind {
        Some(SourceKind::Report) => (
            report_container(
                rich(item.container.or(item.genre)),
                rich(item.collection),
                &mut notes,
            ),
            item.issue.or(item.number),
        ),
        Some(SourceKind::Book) => (
            rich(item.container.or(item.collection)),
            item.issue.or(item.collection_number),
        ),
        _ => (rich(item.container), item.issue),
    };
    let pages = item.page.or(item.number_of_pages);
    let record = Record {
        kind,
        title: rich(item.title).unwrap_or_default(),
        authors: item.author.into_iter().filter_map(name).collect(),
        date: item.issued.and_then(|d| date(d, &mut notes)),
        container,
        volume: s(item.volume),
        issue: s(issue),
        pages: s(pages),
        publisher: rich(item.publisher),
        place: rich(item.place),
        doi: s(item.doi),
        url: s(item.url),
        language: s(item.language),
        keywords,
        abstract_text: s(item.abstract_text).map(|a| untag_paragraphs(&a)),
        ..Record::default()
    };
    Entry {
        line,
        record,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_items_with_their_lines() {
        let text = r#"[
  {"id": "a", "type": "article-journal", "title": "Россия и Казахстан",
   "author": [{"family": "Петров", "given": "И. П."}, {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"}, {"literal": "UNESCO"}],
   "issued": {"date-parts": [["2019", 3]]}, "volume": 27, "page": "12-34",
   "keyword": "ЕАЭС; energy, oil", "DOI": "10.5555/x"},
  {"id": "b", "type": "book", "title": "Undated", "issued": {"raw": "Spring 2019"}},
  {"id": "c", "title": 5, "author": "not a list"},
  {"id": "d", "type": "thesis", "title": "Raw", "issued": {"raw": "2020-05-01"}}
]"#;
        let r = read(text);
        assert_eq!(r.entries.len(), 3);
        let a = &r.entries[0];
        assert_eq!(a.line, 2);
        assert_eq!(
            a.record.authors,
            ["Петров И. П.", "Ludwig van Beethoven", "UNESCO"]
        );
        assert_eq!(
            a.record.date.map(|d| d.to_string()).as_deref(),
            Some("2019-03")
        );
        assert_eq!(a.record.volume.as_deref(), Some("27"));
        assert_eq!(a.record.keywords, ["ЕАЭС", " energy, oil"]);
        assert_eq!(r.entries[1].record.date, None);
        assert_eq!(
            r.entries[1].notes,
            ["the date `Spring 2019` could not be read"]
        );
        assert_eq!(r.entries[2].record.kind, Some(SourceKind::Thesis));
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].line, Some(7), "{:?}", r.problems);
    }

    #[test]
    fn rich_text_in_titles_and_abstracts_becomes_text() {
        let r = read(
            r#"[{"id": "a", "title": "The <i>Eurasian</i> Union &amp; CO<sub>2</sub>",
  "container-title": "<i>Central Asian Survey</i>",
  "abstract": "<jats:p>One.</jats:p><jats:p>Two &lt;three&gt;.</jats:p>"}]"#,
        );
        let e = &r.entries[0].record;
        assert_eq!(e.title, "The Eurasian Union & CO₂");
        assert_eq!(e.container.as_deref(), Some("Central Asian Survey"));
        assert_eq!(e.abstract_text.as_deref(), Some("One.\n\nTwo <three>."));
    }

    #[test]
    fn not_json_is_one_problem_with_a_line() {
        let r = read("[\n{\"title\": \"x\",}\n]");
        assert!(r.entries.is_empty());
        assert_eq!(r.problems[0].line, Some(2));
    }

    #[test]
    fn zotero_reports_and_books_keep_their_series_number_and_page_count() {
        // As Zotero writes them: a report's type, series and number; a book's series, its
        // number in the series and its page count.
        let r = read(
            r#"[
  {"type": "report", "title": "Transit", "genre": "Policy Brief", "number": "7",
   "number-of-pages": "18", "publisher": "Steppe Monitor"},
  {"type": "report", "title": "Transit 2", "genre": "Policy Brief",
   "collection-title": "Eurasia Papers", "number": 8},
  {"type": "report", "title": "Transit 3", "collection-title": "Eurasia Papers"},
  {"type": "book", "title": "Borders", "collection-title": "Studies of Eurasia",
   "collection-number": 3, "number-of-pages": "230"}
]"#,
        );
        let [report, both, series, book] = &r.entries[..] else {
            panic!("{r:?}")
        };
        assert_eq!(report.record.container.as_deref(), Some("Policy Brief"));
        assert_eq!(report.record.issue.as_deref(), Some("7"));
        assert_eq!(report.record.pages.as_deref(), Some("18"));
        assert!(report.notes.is_empty(), "{:?}", report.notes);
        // Both a type and a series: the type is kept, and the editor is told of the series.
        assert_eq!(both.record.container.as_deref(), Some("Policy Brief"));
        assert_eq!(both.record.issue.as_deref(), Some("8"));
        assert!(
            both.notes[0].contains("`Eurasia Papers`"),
            "{:?}",
            both.notes
        );
        assert_eq!(series.record.container.as_deref(), Some("Eurasia Papers"));
        assert_eq!(book.record.container.as_deref(), Some("Studies of Eurasia"));
        assert_eq!(book.record.issue.as_deref(), Some("3"));
        assert_eq!(book.record.pages.as_deref(), Some("230"));
    }
}
