//! Citations: one neutral [`Record`] per work, and the formats built from it.
//!
//! A [`Record`] holds a work's bibliographic fields as the exports need them: names split into
//! family and given parts, the date at its own precision, the publication details. It is built
//! from the model ([`Record::from_work`]) for the exports, and from Zotero exports by `import`.
//! An author or date written `unknown` is simply absent: no export ever writes it as a value.

#![allow(dead_code)] // wired into exports and import in the next commits

use crate::model::dates::PartialDate;
use crate::model::{AbstractId, Archive, FacetName};
use crate::source::raw::SourceKind;

/// A person's name as bibliographic formats want it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Name {
    /// A person: family name (with any lowercase particle, `van Dyke`) and given names or
    /// initials (possibly empty).
    Person {
        /// Family name.
        family: String,
        /// Given names or initials; empty when only one word was written.
        given: String,
    },
    /// A name that is not split (an institution, a single word).
    Literal(String),
}

impl Name {
    /// Splits a name as editors write it: `Family, Given`; `Петров И. П.` (family first,
    /// then initials, as Russian and Kazakh bibliographies write it); otherwise `Given Family`
    /// (`Daniel Hoffmann`, `Anna M. Berg`, `Ludwig van Beethoven`). One word is a literal.
    pub(crate) fn parse(written: &str) -> Name {
        let s = written.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some((family, given)) = s.split_once(',') {
            let (family, given) = (family.trim(), given.trim());
            if !family.is_empty() && !given.is_empty() && !given.contains(',') {
                return Name::Person {
                    family: family.to_string(),
                    given: given.to_string(),
                };
            }
        }
        let words: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
        if words.len() < 2 {
            return Name::Literal(s);
        }
        let is_initials =
            |w: &str| w.ends_with('.') && w.chars().filter(|c| c.is_alphabetic()).count() <= 3;
        if !is_initials(words[0]) && words[1..].iter().all(|w| is_initials(w)) {
            return Name::Person {
                family: words[0].to_string(),
                given: words[1..].join(" "),
            };
        }
        // Given Family, with lowercase particles (van, von, de, al-) joining the family name.
        let mut split = words.len() - 1;
        while split > 1
            && words[split - 1]
                .chars()
                .next()
                .is_some_and(char::is_lowercase)
        {
            split -= 1;
        }
        Name::Person {
            family: words[split..].join(" "),
            given: words[..split].join(" "),
        }
    }

    /// The name in the order an editor writes it in front matter: `Given Family` (`Anna M.
    /// Berg`, `Ludwig van Beethoven`), but `Family И. О.` when the given part is only initials
    /// (`Петров И. П.`, as Russian and Kazakh bibliographies write it); a family name alone, or
    /// the literal. [`Name::parse`] reads it back to the same name.
    pub(crate) fn natural(&self) -> String {
        match self {
            Name::Person { family, given } if given.is_empty() => family.clone(),
            Name::Person { family, given } if given.split(' ').all(is_initials) => {
                format!("{family} {given}")
            }
            Name::Person { family, given } => format!("{given} {family}"),
            Name::Literal(s) => s.clone(),
        }
    }

    /// `Family, Given` (or the literal), the form BibTeX and RIS read back unambiguously.
    pub(crate) fn inverted(&self) -> String {
        match self {
            Name::Person { family, given } if given.is_empty() => family.clone(),
            Name::Person { family, given } => format!("{family}, {given}"),
            Name::Literal(s) => s.clone(),
        }
    }
}

/// Whether a word is initials (`И.`, `А.Б.`, `J.-P.`): ends with a period, at most three
/// letters.
fn is_initials(w: &str) -> bool {
    w.ends_with('.') && w.chars().filter(|c| c.is_alphabetic()).count() <= 3
}

/// One work's bibliographic record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Record {
    /// Citation key and file name: the work's slug.
    pub key: String,
    /// What kind of publication (article when not written).
    pub kind: Option<SourceKind>,
    /// Title.
    pub title: String,
    /// Authors, as written, in order; empty when unknown.
    pub authors: Vec<String>,
    /// Publication date; None when unknown.
    pub date: Option<PartialDate>,
    /// Journal, book or series the work appeared in.
    pub container: Option<String>,
    /// Volume.
    pub volume: Option<String>,
    /// Issue.
    pub issue: Option<String>,
    /// Pages (`12–34`, `12-34` or a single page).
    pub pages: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Place of publication.
    pub place: Option<String>,
    /// DOI, bare (`10.1234/x`).
    pub doi: Option<String>,
    /// The work's own URL.
    pub url: Option<String>,
    /// The work's language (BCP 47).
    pub language: Option<String>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// The abstract as plain text; None when left out (list exports).
    pub abstract_text: Option<String>,
    /// The abstract page in this archive (absolute URL), if any.
    pub page_url: Option<String>,
}

impl Record {
    /// The record of work `id`, with its abstract text when `with_abstract`.
    pub(crate) fn from_work(a: &Archive, id: AbstractId, with_abstract: bool) -> Record {
        let w = a.work(id);
        let names = a.facet(FacetName::Authors);
        let src = w.source.clone().unwrap_or_default();
        Record {
            key: w.slug.clone(),
            kind: src.kind,
            title: w.title.clone(),
            authors: w
                .authors
                .iter()
                .flatten()
                .map(|&v| names[v as usize].name.clone())
                .collect(),
            date: w.date,
            container: src.container,
            volume: src.volume,
            issue: src.issue,
            pages: src.pages,
            publisher: src.publisher,
            place: src.place,
            doi: w.doi.clone(),
            url: w.url.clone(),
            language: w.language.clone(),
            keywords: w
                .keywords
                .iter()
                .map(|&v| a.facet(FacetName::Keywords)[v as usize].name.clone())
                .collect(),
            abstract_text: with_abstract
                .then(|| crate::markdown::plain_text(&w.body))
                .filter(|t| !t.is_empty()),
            page_url: Some(format!(
                "{}{}",
                a.config.base_url,
                crate::render::plan::abstract_url(a, id)
            )),
        }
    }

    /// The first and last page, split at a hyphen or dash (`205-220`, `12–34`, `7`).
    pub(crate) fn page_range(&self) -> Option<(String, Option<String>)> {
        let p = self.pages.as_deref()?.trim();
        if p.is_empty() {
            return None;
        }
        match p.split_once(['-', '–', '—']) {
            Some((first, last)) => {
                let last = last.trim_start_matches(['-', '–', '—']).trim();
                Some((
                    first.trim().to_string(),
                    Some(last.to_string()).filter(|l| !l.is_empty()),
                ))
            }
            None => Some((p.to_string(), None)),
        }
    }

    /// The kind, article when not written.
    pub(crate) fn kind(&self) -> SourceKind {
        self.kind.unwrap_or(SourceKind::Article)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(family: &str, given: &str) -> Name {
        Name::Person {
            family: family.into(),
            given: given.into(),
        }
    }

    #[test]
    fn names_split_the_way_editors_write_them() {
        assert_eq!(Name::parse("Daniel Hoffmann"), person("Hoffmann", "Daniel"));
        assert_eq!(Name::parse("Anna M. Berg"), person("Berg", "Anna M."));
        assert_eq!(Name::parse("Петров И. П."), person("Петров", "И. П."));
        assert_eq!(
            Name::parse("Сулейменова А.Б."),
            person("Сулейменова", "А.Б.")
        );
        assert_eq!(
            Name::parse("Hoffmann, Daniel"),
            person("Hoffmann", "Daniel")
        );
        assert_eq!(
            Name::parse("Ludwig van Beethoven"),
            person("van Beethoven", "Ludwig")
        );
        assert_eq!(Name::parse("UNESCO"), Name::Literal("UNESCO".into()));
        assert_eq!(Name::parse("  Иван   Петров "), person("Петров", "Иван"));
    }

    #[test]
    fn inverted_names_read_back_the_same() {
        for n in [
            "Daniel Hoffmann",
            "Петров И. П.",
            "Ludwig van Beethoven",
            "UNESCO",
        ] {
            let name = Name::parse(n);
            assert_eq!(Name::parse(&name.inverted()), name, "{n}");
        }
    }

    #[test]
    fn natural_names_read_back_the_same() {
        assert_eq!(person("Hoffmann", "Daniel").natural(), "Daniel Hoffmann");
        assert_eq!(person("Петров", "И. П.").natural(), "Петров И. П.");
        assert_eq!(person("Сулейменова", "А.Б.").natural(), "Сулейменова А.Б.");
        assert_eq!(
            person("Назарбаев", "Нұрсұлтан").natural(),
            "Нұрсұлтан Назарбаев"
        );
        assert_eq!(person("Abai", "").natural(), "Abai");
        for name in [
            person("Hoffmann", "Daniel"),
            person("Berg", "Anna M."),
            person("Петров", "И. П."),
            person("van Beethoven", "Ludwig"),
            person("Қарин", "Ерлан"),
            Name::Literal("UNESCO".into()),
        ] {
            assert_eq!(Name::parse(&name.natural()), name, "{name:?}");
        }
    }

    #[test]
    fn page_ranges_split_at_any_dash() {
        let r = |p: &str| {
            Record {
                pages: Some(p.into()),
                ..Record::default()
            }
            .page_range()
        };
        assert_eq!(r("205-220"), Some(("205".into(), Some("220".into()))));
        assert_eq!(r("12–34"), Some(("12".into(), Some("34".into()))));
        assert_eq!(r("12--34"), Some(("12".into(), Some("34".into()))));
        assert_eq!(r("7"), Some(("7".into(), None)));
        assert_eq!(r(" "), None);
    }
}
