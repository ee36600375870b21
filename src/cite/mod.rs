//! Citations: one neutral [`Record`] per work, and the formats built from it.
//!
//! A [`Record`] holds a work's bibliographic fields as the exports need them: names split into
//! family and given parts, the date at its own precision, the publication details. It is built
//! from the model ([`Record::from_work`]) for the exports, and from Zotero exports by `import`.
//! An author or date written `unknown` is simply absent: no export ever writes it as a value.

pub(crate) mod bibtex;
pub(crate) mod csl;
pub(crate) mod csv;
pub(crate) mod format;
pub(crate) mod jsonld;
pub(crate) mod memo;
pub(crate) mod ris;

use crate::model::dates::PartialDate;
use crate::model::{AbstractId, Archive, FacetName, PeriodId, SphereId};
use crate::source::raw::{SourceKind, is_name_suffix};

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
        /// A generational suffix (`Jr.`, `Sr.`, `III`), empty when there is none: part of
        /// neither name, so a reference reads "Smith, J., Jr.", never "Jr., J. S.".
        suffix: String,
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
        // A person, unless a part is not a name: no family name, or a suffix standing where a
        // family or given name goes (`III M.`, `Jr. Smith`, `Jr., John`); such a name is kept
        // whole, as written.
        let person = |family: &str, given: &str, suffix: &str| {
            (!family.is_empty() && !is_name_suffix(family) && !is_name_suffix(given)).then(|| {
                Name::Person {
                    family: family.to_string(),
                    given: given.to_string(),
                    suffix: suffix.to_string(),
                }
            })
        };
        // A person's name before one suffix (`John Smith`, `Smith`), the suffix added.
        let with_suffix = |name: &str, suffix: &str| match Name::parse(name) {
            Name::Person {
                family,
                given,
                suffix: none,
            } if none.is_empty() => person(&family, &given, suffix),
            Name::Literal(family) if !family.contains([' ', ',']) => person(&family, "", suffix),
            _ => None,
        };
        // A name written with commas is read only in the forms below; any other (`Smith, John,
        // Jr., IV`, `Smith, Jr.,`, two suffixes) is kept whole, never split at its spaces (a
        // family name "Smith," or a lost "III").
        if s.contains(',') {
            let parts: Vec<&str> = s.split(',').map(str::trim).collect();
            let read = match parts[..] {
                // `John Smith, Jr.`, `Smith, Jr.`
                [name, suffix] if is_name_suffix(suffix) => with_suffix(name, suffix),
                [family, given] if !given.is_empty() => person(family, given, ""),
                // `Smith, John, Jr.` (RIS) and `Smith, Jr., John` (BibTeX); `Smith, , Jr.`.
                [family, given, suffix] if is_name_suffix(suffix) => person(family, given, suffix),
                [family, suffix, given] if is_name_suffix(suffix) && !given.is_empty() => {
                    person(family, given, suffix)
                }
                _ => None,
            };
            return read.unwrap_or(Name::Literal(s));
        }
        let words: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
        // `John Smith Jr.`, `Smith Jr.` (one suffix: `John Smith III Jr.` is kept whole)
        if words.len() >= 2 && is_name_suffix(words[words.len() - 1]) {
            let (name, suffix) = words.split_at(words.len() - 1);
            return with_suffix(&name.join(" "), suffix[0]).unwrap_or(Name::Literal(s));
        }
        if words.len() < 2 {
            return Name::Literal(s);
        }
        if looks_like_institution(&words) {
            return Name::Literal(s);
        }
        let plain = |family: &str, given: &str| {
            person(family, given, "").unwrap_or_else(|| Name::Literal(s.clone()))
        };
        if !is_initials(words[0]) && words[1..].iter().all(|w| is_initials(w)) {
            return plain(words[0], &words[1..].join(" "));
        }
        // Russian and Kazakh full names are written family name first (`Иванов Иван
        // Иванович`, `Сүлейменов Олжас`), unless the last word is the one that looks like
        // the family name (`Иван Петров`).
        if words.iter().all(|w| is_cyrillic(w)) {
            let last = words[words.len() - 1];
            let given_first =
                looks_like_surname(last) && !looks_like_surname(words[0]) && !is_patronymic(last);
            if !given_first {
                return plain(words[0], &words[1..].join(" "));
            }
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
        plain(&words[split..].join(" "), &words[..split].join(" "))
    }

    /// The name in the order an editor writes it in front matter: `Given Family` (`Anna M.
    /// Berg`, `Ludwig van Beethoven`), but `Family И. О.` when the given part is only initials
    /// (`Петров И. П.`, as Russian and Kazakh bibliographies write it); a family name alone, or
    /// the literal. [`Name::parse`] reads it back to the same name.
    pub(crate) fn natural(&self) -> String {
        match self {
            Name::Person {
                family,
                given,
                suffix,
            } if given.is_empty() && suffix.is_empty() => family.clone(),
            Name::Person {
                family,
                given,
                suffix,
            } => {
                // Family first for initials and for Cyrillic names, else given first (a
                // suffix after either); the inverted form when neither reads back the same.
                let family_first = join_present(&[family, given, suffix], " ");
                let given_first = join_present(&[given, family, suffix], " ");
                let cyrillic = is_cyrillic(family);
                let candidates = if given.split(' ').all(is_initials) || cyrillic {
                    [family_first, given_first]
                } else {
                    [given_first, family_first]
                };
                candidates
                    .into_iter()
                    .find(|c| Name::parse(c) == *self)
                    .unwrap_or_else(|| self.inverted())
            }
            Name::Literal(s) => s.clone(),
        }
    }

    /// `Family, Given` or `Family, Given, Suffix` (or the literal), the form RIS writes and
    /// [`Name::parse`] reads back unambiguously. RIS reads the parts by position, so a suffix
    /// without given names keeps the empty place: `Smith, , Jr.`, never `Smith, Jr.` (a
    /// person whose given name is "Jr.").
    pub(crate) fn inverted(&self) -> String {
        match self {
            Name::Person {
                family,
                given,
                suffix,
            } if given.is_empty() && !suffix.is_empty() => format!("{family}, , {suffix}"),
            Name::Person {
                family,
                given,
                suffix,
            } => join_present(&[family, given, suffix], ", "),
            Name::Literal(s) => s.clone(),
        }
    }
}

/// The parts that are not empty, joined by `sep`.
fn join_present(parts: &[&str], sep: &str) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(sep)
}

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Format {
    /// BibTeX (`.bib`).
    Bib,
    /// RIS (`.ris`).
    Ris,
    /// CSL-JSON (`.json` for one work, `.csl.json` for a list).
    Csl,
    /// CSV (lists only).
    Csv,
}

impl Format {
    /// The formats of one work's downloads.
    pub(crate) const WORK: [Format; 3] = [Format::Bib, Format::Ris, Format::Csl];
    /// The formats of a list's downloads.
    pub(crate) const LIST: [Format; 4] = [Format::Bib, Format::Ris, Format::Csl, Format::Csv];

    /// The file extension of a work's download.
    pub(crate) fn work_ext(self) -> &'static str {
        match self {
            Format::Bib => "bib",
            Format::Ris => "ris",
            Format::Csl => "json",
            Format::Csv => "csv",
        }
    }

    /// The file extension of a list's download.
    pub(crate) fn list_ext(self) -> &'static str {
        match self {
            Format::Csl => "csl.json",
            f => f.work_ext(),
        }
    }

    /// The name readers know it by.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Format::Bib => "BibTeX",
            Format::Ris => "RIS",
            Format::Csl => "CSL-JSON",
            Format::Csv => "CSV",
        }
    }
}

/// A list of works with downloads under `/data/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum List {
    /// Every work (`/data/archive.*`, abstracts included).
    All,
    /// A period's works (`/data/periods/<id>.*`).
    Period(PeriodId),
    /// A sphere's works (`/data/spheres/<id>.*`).
    Sphere(SphereId),
}

/// URL (relative to the base path) of work `id`'s download in `format`.
pub(crate) fn work_url(a: &Archive, id: AbstractId, format: Format) -> String {
    let slug = &a.work(id).slug;
    format!("abstracts/{slug}/{slug}.{}", format.work_ext())
}

/// URL (relative to the base path) of a list's download in `format`.
pub(crate) fn list_url(a: &Archive, list: List, format: Format) -> String {
    let ext = format.list_ext();
    match list {
        List::All => format!("data/archive.{ext}"),
        List::Period(p) => format!("data/periods/{}.{ext}", a.periods[p as usize].id),
        List::Sphere(s) => format!("data/spheres/{}.{ext}", a.spheres[s as usize].id),
    }
}

/// Work `id`'s download in `format` (the abstract included).
pub(crate) fn work_file(a: &Archive, id: AbstractId, format: Format) -> String {
    match format {
        Format::Csv => csv::file(a, &[id], true),
        _ => file(format, [Record::from_work(a, id, true)]),
    }
}

/// A BibTeX, RIS or CSL-JSON file of `records`.
pub(crate) fn file(format: Format, records: impl IntoIterator<Item = Record>) -> String {
    let mut out = String::new();
    let _ = write_entries(format, records.into_iter(), false, &mut |s: &str| {
        out.push_str(s);
        Ok(())
    });
    out
}

/// The works of a list's downloads (drafts left out), and whether they carry the abstracts
/// (only the whole archive's do).
fn list_members(a: &Archive, list: List) -> (Vec<AbstractId>, bool) {
    let all: Vec<AbstractId>;
    let members: &[AbstractId] = match list {
        List::All => {
            all = (0..a.abstracts.len() as AbstractId).collect();
            &all
        }
        List::Period(p) => &a.periods[p as usize].members,
        List::Sphere(s) => &a.spheres[s as usize].members,
    };
    let ids = members
        .iter()
        .copied()
        .filter(|&id| !a.work(id).draft)
        .collect();
    (ids, list == List::All)
}

/// A list's download in `format`, in memory (`watch`; a build streams it with
/// [`write_list`]).
pub(crate) fn list_file(a: &Archive, list: List, format: Format) -> String {
    let (ids, with_abstract) = list_members(a, list);
    // Sized up front: the whole archive's files run to tens of megabytes, and growing them
    // by doubling would copy each several times.
    let mut out = String::with_capacity(capacity(a, &ids, with_abstract));
    let mut sink = |s: &str| {
        out.push_str(s);
        Ok(())
    };
    if format == Format::Csv {
        let _ = csv::write(a, &ids, with_abstract, &mut sink);
    } else {
        let records = ids
            .iter()
            .map(|&id| Record::from_work(a, id, with_abstract));
        let remember = ENTRIES.enabled();
        let _ = write_entries(format, records, remember, &mut sink);
    }
    out
}

/// Writes a list's download to `w` record by record, never holding it whole (the whole
/// archive's run to hundreds of megabytes at 100,000 works).
pub(crate) fn write_list(
    a: &Archive,
    list: List,
    format: Format,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let (ids, with_abstract) = list_members(a, list);
    let mut sink = |s: &str| w.write_all(s.as_bytes());
    if format == Format::Csv {
        return csv::write(a, &ids, with_abstract, &mut sink);
    }
    let records = ids
        .iter()
        .map(|&id| Record::from_work(a, id, with_abstract));
    write_entries(format, records, false, &mut sink)
}

/// Each record's text in a list file, by format and record hash, once `watch` asks.
static ENTRIES: crate::remember::Remembered<(Format, u64), str> =
    crate::remember::Remembered::new(400_000);

/// Makes list downloads remember each record's text for the rest of the process: `watch`
/// rebuilds the whole archive's downloads after every edit, and formatting every record again
/// would cost it a third of a second at 10,000 works.
pub(crate) fn remember_entries() {
    ENTRIES.enable();
}

/// The text of a BibTeX, RIS or CSL-JSON file of `records`, record by record into `sink`:
/// BibTeX entries separated by a blank line, RIS records too (CRLF), CSL-JSON items in a
/// pretty-printed array. With `remember` each record's text is kept for the rest of the
/// process (see [`remember_entries`]).
fn write_entries(
    format: Format,
    records: impl Iterator<Item = Record>,
    remember: bool,
    sink: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::hash::{Hash, Hasher};
    let (open, separator) = match format {
        Format::Bib => ("", "\n"),
        Format::Ris => ("", "\r\n"),
        _ => ("[", ","),
    };
    let text_of = |r: &Record| -> String {
        match format {
            Format::Bib => bibtex::entry(r),
            Format::Ris => ris::entry(r),
            _ => csl::entry(r),
        }
    };
    sink(open)?;
    let mut any = false;
    for r in records {
        if any {
            sink(separator)?;
        }
        any = true;
        if !remember {
            sink(&text_of(&r))?;
            continue;
        }
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        r.hash(&mut h);
        let key = (format, h.finish());
        let text = ENTRIES.get_or(key, || text_of(&r).into());
        sink(&text)?;
    }
    if format == Format::Csl {
        if any {
            sink("\n")?;
        }
        sink("]\n")?;
    }
    Ok(())
}

/// Whether a name is an institution's rather than a person's: a word such as `University` or
/// `Bank`, a Cyrillic name with a lowercase word (`Евразийский банк развития`), or words that
/// are all acronyms (`МИД РФ`).
fn looks_like_institution(words: &[&str]) -> bool {
    const WORDS: [&str; 26] = [
        "university",
        "institute",
        "institution",
        "bank",
        "ministry",
        "centre",
        "center",
        "agency",
        "organization",
        "organisation",
        "council",
        "committee",
        "foundation",
        "association",
        "office",
        "commission",
        "academy",
        "fund",
        "union",
        "service",
        "company",
        "corporation",
        "government",
        "department",
        "society",
        "press",
    ];
    let lower = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let acronym = |w: &str| {
        let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
    };
    words.iter().any(|w| WORDS.contains(&lower(w).as_str()))
        || (words.iter().all(|w| is_cyrillic(w))
            && words[1..]
                .iter()
                .any(|w| w.chars().next().is_some_and(char::is_lowercase)))
        || words.iter().all(|w| acronym(w))
}

/// Whether a word is written in Cyrillic (its first letter is).
fn is_cyrillic(w: &str) -> bool {
    w.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(|c| ('\u{0400}'..='\u{052F}').contains(&c))
}

/// Whether a Cyrillic word ends like a Russian or Kazakh family name.
fn looks_like_surname(w: &str) -> bool {
    const ENDINGS: [&str; 22] = [
        "ов",
        "ев",
        "ёв",
        "ин",
        "ын",
        "ова",
        "ева",
        "ёва",
        "ина",
        "ына",
        "ский",
        "ская",
        "цкий",
        "цкая",
        "енко",
        "ук",
        "юк",
        "ян",
        "дзе",
        "швили",
        "ой",
        "ых",
    ];
    let w = w.to_lowercase();
    ENDINGS.iter().any(|e| w.ends_with(e)) && !is_patronymic(&w)
}

/// Whether a Cyrillic word is a patronymic (`Иванович`, `Петровна`, `Олжасұлы`, `қызы`).
fn is_patronymic(w: &str) -> bool {
    const ENDINGS: [&str; 7] = ["вич", "вна", "чна", "улы", "ұлы", "кызы", "қызы"];
    let w = w.to_lowercase();
    ENDINGS.iter().any(|e| w.ends_with(e))
}

/// Whether a word is initials (`И.`, `А.Б.`, `J.-P.`): ends with a period, at most three
/// letters.
fn is_initials(w: &str) -> bool {
    w.ends_with('.') && w.chars().filter(|c| c.is_alphabetic()).count() <= 3
}

/// About the size of a list download: fields, and the abstracts when they are in it.
pub(crate) fn capacity(a: &Archive, ids: &[AbstractId], with_abstract: bool) -> usize {
    let bodies: usize = if with_abstract {
        ids.iter().map(|&id| a.work(id).body.len()).sum()
    } else {
        0
    };
    bodies + ids.len() * 800
}

/// One work's bibliographic record.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
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
            // A citation names the work by its own title, whichever language the site is in.
            title: w.original_title.clone().unwrap_or_else(|| w.title.clone()),
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
                .then(|| crate::markdown::plain_text_memo(&w.body))
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

    /// How many pages the work has, when its `pages` say that (see
    /// [`SourceKind::pages_are_a_count`]); [`Record::page_range`] is then `None`.
    pub(crate) fn page_count(&self) -> Option<&str> {
        let p = self.pages.as_deref()?;
        SourceKind::pages_are_a_count(self.kind, p).then_some(p.trim())
    }

    /// The kind; `other` when not written (nothing is invented).
    pub(crate) fn kind(&self) -> SourceKind {
        self.kind.unwrap_or(SourceKind::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(family: &str, given: &str) -> Name {
        Name::Person {
            family: family.into(),
            given: given.into(),
            suffix: String::new(),
        }
    }

    #[test]
    fn generational_suffixes_are_neither_name() {
        let smith = Name::Person {
            family: "Smith".into(),
            given: "John".into(),
            suffix: "Jr.".into(),
        };
        for written in [
            "John Smith Jr.",
            "John Smith, Jr.",
            "Smith, John, Jr.",
            "Smith, Jr., John",
        ] {
            assert_eq!(Name::parse(written), smith, "{written}");
        }
        assert_eq!(smith.natural(), "John Smith Jr.");
        assert_eq!(smith.inverted(), "Smith, John, Jr.");
        assert_eq!(Name::parse(&smith.natural()), smith);
        assert_eq!(Name::parse(&smith.inverted()), smith);
        let king = Name::parse("Martin Luther King III");
        assert_eq!(king.inverted(), "King, Martin Luther, III");
        // Not a suffix: a name that happens to be short, and two words.
        assert_eq!(Name::parse("Ivan Iv"), person("Iv", "Ivan"));
        let alone = Name::parse("Smith Jr.");
        assert_eq!(
            alone,
            Name::Person {
                family: "Smith".into(),
                given: String::new(),
                suffix: "Jr.".into()
            }
        );
        assert_eq!(alone.natural(), "Smith Jr.");
        // RIS reads by position: "Smith, Jr." would be a person whose given name is Jr.
        assert_eq!(alone.inverted(), "Smith, , Jr.");
        assert_eq!(Name::parse(&alone.inverted()), alone);
        assert_eq!(Name::parse("Smith, Jr."), alone);
    }

    #[test]
    fn a_name_with_commas_in_no_known_form_is_kept_whole() {
        // Neither split at its spaces (a family name "Smith,") nor cut (a lost "III").
        for written in [
            "Smith, John, Jr., IV",
            "Smith, Jr.,",
            "Smith, Jr., John, Extra",
            "John Smith III, Jr.",
            ", Jr.",
            "Jr., John",
            "Smith, Jr., Sr.",
            "Smith, ,",
        ] {
            assert_eq!(
                Name::parse(written),
                Name::Literal(written.into()),
                "{written}"
            );
        }
        // Two suffixes without commas are kept whole too, and so is a suffix in front.
        assert_eq!(Name::parse("Jr. Smith"), Name::Literal("Jr. Smith".into()));
        assert_eq!(
            Name::parse("John Smith III Jr."),
            Name::Literal("John Smith III Jr.".into())
        );
        // A literal reads back as itself in every form a download writes.
        let odd = Name::parse("Smith, John, Jr., IV");
        assert_eq!(Name::parse(&odd.inverted()), odd);
        assert_eq!(Name::parse(&odd.natural()), odd);
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
        for institution in [
            "Евразийский банк развития",
            "МИД РФ",
            "World Bank",
            "Nazarbayev University",
            "Institute of World Economy",
        ] {
            assert_eq!(
                Name::parse(institution),
                Name::Literal(institution.into()),
                "{institution}"
            );
        }
        assert_eq!(Name::parse("  Иван   Петров "), person("Петров", "Иван"));
        assert_eq!(
            Name::parse("Иванов Иван Иванович"),
            person("Иванов", "Иван Иванович")
        );
        assert_eq!(
            Name::parse("Сүлейменов Олжас"),
            person("Сүлейменов", "Олжас")
        );
        assert_eq!(
            Name::parse("Олжас Сүлейменов"),
            person("Сүлейменов", "Олжас")
        );
        assert_eq!(
            Name::parse("Назарбаев Нұрсұлтан Әбішұлы"),
            person("Назарбаев", "Нұрсұлтан Әбішұлы")
        );
    }

    #[test]
    fn inverted_names_read_back_the_same() {
        for n in [
            "Daniel Hoffmann",
            "Петров И. П.",
            "Ludwig van Beethoven",
            "UNESCO",
            "Иванов Иван Иванович",
            "Олжас Сүлейменов",
            "Сүлейменов Олжас",
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
        // Russian and Kazakh full names: family name first, as their bibliographies write them.
        assert_eq!(
            person("Назарбаев", "Нұрсұлтан").natural(),
            "Назарбаев Нұрсұлтан"
        );
        assert_eq!(
            person("Иванов", "Иван Иванович").natural(),
            "Иванов Иван Иванович"
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

    /// Property tests: `cargo test --lib cite::tests::props`.
    mod props {
        use super::*;
        use crate::model::prop_config;
        use proptest::prelude::*;

        /// A name as an editor might write it, from words that exercise every rule: given
        /// names, initials, particles, Cyrillic names and patronymics, suffixes, institution
        /// words, and commas.
        fn any_written_name() -> impl Strategy<Value = String> {
            let word = prop::sample::select(vec![
                "John",
                "Smith",
                "Anna",
                "M.",
                "van",
                "de",
                "la",
                "Cruz",
                "Jr.",
                "Sr.",
                "III",
                "II",
                "Иванов",
                "Иван",
                "Иванович",
                "И.",
                "П.",
                "Сүлейменов",
                "Олжас",
                "Bank",
                "University",
                "O'Brien",
                ",",
                ", ",
                "Nazarbayev",
                "al-",
                "Ng",
                "Jr",
                "IV",
                "von",
                "Петров",
                "А.Б.",
                "МИД",
                "UNESCO",
                "Abdul-Rahman",
                "Мария",
            ]);
            prop::collection::vec(word, 1..6).prop_map(|w| w.join(" "))
        }

        proptest! {
            #![proptest_config(prop_config(4000))]

            /// Whatever is written, the name dyad reads from it reads back the same from both
            /// forms it writes: front matter (`natural`, by `dyad import`) and RIS
            /// (`inverted`); and no word of it is lost on the way.
            #[test]
            fn prop_a_read_name_reads_back_from_what_dyad_writes(written in any_written_name()) {
                let name = Name::parse(&written);
                prop_assert_eq!(Name::parse(&name.natural()), name.clone(), "natural of {}", written);
                prop_assert_eq!(Name::parse(&name.inverted()), name.clone(), "inverted of {}", written);
                let words = |s: &str| {
                    let mut w: Vec<String> = s
                        .split(|c: char| c == ',' || c.is_whitespace())
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect();
                    w.sort();
                    w
                };
                let kept = match &name {
                    Name::Person { family, given, suffix } => {
                        words(&format!("{family} {given} {suffix}"))
                    }
                    Name::Literal(s) => words(s),
                };
                prop_assert_eq!(kept, words(&written), "words of {}", written);
            }

            /// The name read from what is written comes back the same from each download, read
            /// by `dyad import`: BibTeX, RIS and CSL-JSON.
            #[test]
            fn prop_a_name_reads_back_from_each_download(written in any_written_name()) {
                let r = Record {
                    key: "k".into(),
                    title: "T".into(),
                    authors: vec![written.clone()],
                    ..Record::default()
                };
                for (text, format) in [
                    (bibtex::entry(&r), crate::import::Format::Bibtex),
                    (ris::entry(&r), crate::import::Format::Ris),
                    (format!("[{}]", csl::entry(&r)), crate::import::Format::CslJson),
                ] {
                    let read = format.read(&text);
                    prop_assert_eq!(read.entries.len(), 1, "{}", text);
                    let back = &read.entries[0].record.authors;
                    prop_assert_eq!(back.len(), 1, "{}", text);
                    prop_assert_eq!(Name::parse(&back[0]), Name::parse(&written), "{}", text);
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod export_tests;
