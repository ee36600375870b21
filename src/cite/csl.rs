//! CSL-JSON export: an array of items as the CSL data schema defines them (what Zotero,
//! Mendeley and pandoc read).

use super::{Name, Record};
use crate::source::raw::SourceKind;
use serde::Serialize;

/// A CSL name.
#[derive(Serialize)]
#[serde(untagged)]
enum CslName {
    Person {
        family: String,
        given: String,
        #[serde(skip_serializing_if = "String::is_empty")]
        suffix: String,
    },
    Family {
        family: String,
        #[serde(skip_serializing_if = "String::is_empty")]
        suffix: String,
    },
    Literal {
        literal: String,
    },
}

/// A CSL date.
#[derive(Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: [Vec<i32>; 1],
}

/// One CSL item.
#[derive(Serialize)]
pub(crate) struct Item {
    id: String,
    #[serde(rename = "type")]
    ty: &'static str,
    title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<CslName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate>,
    #[serde(rename = "container-title", skip_serializing_if = "Option::is_none")]
    container_title: Option<String>,
    #[serde(rename = "collection-title", skip_serializing_if = "Option::is_none")]
    collection_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    genre: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    volume: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<String>,
    #[serde(rename = "collection-number", skip_serializing_if = "Option::is_none")]
    collection_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<String>,
    #[serde(rename = "page-first", skip_serializing_if = "Option::is_none")]
    page_first: Option<String>,
    #[serde(rename = "number-of-pages", skip_serializing_if = "Option::is_none")]
    number_of_pages: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<String>,
    #[serde(rename = "publisher-place", skip_serializing_if = "Option::is_none")]
    publisher_place: Option<String>,
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    doi: Option<String>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keyword: Option<String>,
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    abstract_text: Option<String>,
}

/// The CSL type of a kind.
pub(crate) fn csl_type(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Article => "article-journal",
        SourceKind::Book => "book",
        SourceKind::Chapter => "chapter",
        SourceKind::Report => "report",
        SourceKind::Thesis => "thesis",
        SourceKind::Other => "document",
    }
}

/// The CSL item of a record.
///
/// The source fields mean what they mean for the kind of work, and go where CSL (and Zotero,
/// which writes CSL-JSON the same way) expects them, so that styles format them as such:
/// a book's `container` is its series (`collection-title`; `issue` its number in the series,
/// `collection-number`); a report's `container` is what kind of report it is, often the
/// name of the series ("Working Paper", "Policy Brief": CSL's `genre`, which the styles
/// write "Working Paper No. 16"), `issue` its number; and a single number as the `pages` of
/// a book, report or thesis is how many pages it has (`number-of-pages`: "230 с." in GOST,
/// not "С. 230"), while a range is the pages cited. Everything else keeps its plain field.
pub(crate) fn item(r: &Record) -> Item {
    let kind = r.kind();
    let (page_range, number_of_pages) = match r.page_count() {
        Some(count) => (None, Some(count.to_string())),
        None => (r.page_range(), None),
    };
    let (mut container_title, mut collection_title, mut genre) = (None, None, None);
    let (mut issue, mut number, mut collection_number) = (None, None, None);
    match kind {
        SourceKind::Book => {
            collection_title = r.container.clone();
            collection_number = r.issue.clone();
        }
        SourceKind::Report => {
            genre = r.container.clone();
            number = r.issue.clone();
        }
        _ => {
            container_title = r.container.clone();
            issue = r.issue.clone();
        }
    }
    // A thesis's `container` is its university (BibTeX's `school`), CSL's publisher.
    let mut publisher = r.publisher.clone();
    if kind == SourceKind::Thesis && publisher.is_none() {
        publisher = container_title.take();
    }
    Item {
        id: r.key.clone(),
        ty: csl_type(r.kind()),
        title: r.title.clone(),
        author: r
            .authors
            .iter()
            .map(|a| match Name::parse(a) {
                Name::Person {
                    family,
                    given,
                    suffix,
                } if given.is_empty() => CslName::Family { family, suffix },
                Name::Person {
                    family,
                    given,
                    suffix,
                } => CslName::Person {
                    family,
                    given,
                    suffix,
                },
                Name::Literal(literal) => CslName::Literal { literal },
            })
            .collect(),
        issued: r.date.map(|d| {
            let mut parts = vec![d.year()];
            parts.extend(d.month().map(i32::from));
            parts.extend(d.day().map(i32::from));
            CslDate {
                date_parts: [parts],
            }
        }),
        container_title,
        collection_title,
        genre,
        volume: r.volume.clone(),
        issue,
        number,
        collection_number,
        page: page_range.as_ref().map(|(f, l)| match l {
            Some(l) => format!("{f}-{l}"),
            None => f.clone(),
        }),
        page_first: page_range.map(|(f, _)| f),
        number_of_pages,
        publisher,
        publisher_place: r.place.clone(),
        doi: r.doi.clone(),
        url: r.url.clone().or(r.page_url.clone()),
        language: r.language.clone(),
        keyword: (!r.keywords.is_empty()).then(|| r.keywords.join(", ")),
        abstract_text: r.abstract_text.clone(),
    }
}

/// One item as a CSL-JSON file's array holds it: pretty-printed, indented by two spaces and
/// preceded by its line break (see `cite::write_entries`, which writes the array around it).
pub(crate) fn entry(r: &Record) -> String {
    let one = serde_json::to_string_pretty(&item(r)).expect("CSL items always serialize");
    // JSON strings never hold a raw line break: every one is between tokens.
    format!("\n  {}", one.replace('\n', "\n  "))
}
