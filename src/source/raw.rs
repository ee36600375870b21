//! Front matter as written: the raw abstract, period, sphere and page records.
//!
//! Reads the positioned YAML tree of `yaml.rs` field by field, checking each field's *shape*
//! (a list where a list belongs, a date that parses, a DOI that looks like one) and reporting
//! every problem of the file, each at its position. Unknown keys are warnings with the nearest
//! known key. Cross-references (does this sphere exist?) are `model::assemble`'s business.

use super::yaml::{Kind, Node};
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::dates::PartialDate;

/// A value with the position it was written at (1-based line and column, length in chars).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct At<T> {
    /// The value.
    pub value: T,
    /// 1-based line in the file.
    pub line: u32,
    /// 1-based column in the file.
    pub col: u32,
    /// Length in characters.
    pub len: u32,
}

impl<T> At<T> {
    fn of(node: &Node, value: T) -> Self {
        At {
            value,
            line: node.line,
            col: node.col,
            len: node.len,
        }
    }
}

/// Who wrote a work: a list of names, or `unknown` written on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Authors {
    /// `authors: unknown`.
    Unknown,
    /// A non-empty list of names.
    Known(Vec<At<String>>),
}

/// What kind of publication the work is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SourceKind {
    /// A journal article.
    Article,
    /// A book.
    Book,
    /// A book chapter.
    Chapter,
    /// A report.
    Report,
    /// A thesis.
    Thesis,
    /// Anything else.
    Other,
}

impl SourceKind {
    /// Whether `pages` written for a work of this kind is how many pages it has rather than
    /// the pages it occupies in something larger: a single number for a book, a report or a
    /// thesis (`pages: "230"`, also `"xii, 230"`); a range (`12–34`) is always the pages
    /// cited, and words without a number (`abc`) are no count.
    pub(crate) fn pages_are_a_count(kind: Option<Self>, pages: &str) -> bool {
        matches!(kind, Some(Self::Book | Self::Report | Self::Thesis))
            && pages.contains(|c: char| c.is_ascii_digit())
            && !pages.contains(['-', '–', '—'])
    }

    const NAMES: [&'static str; 6] = ["article", "book", "chapter", "report", "thesis", "other"];

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "article" => Self::Article,
            "book" => Self::Book,
            "chapter" => Self::Chapter,
            "report" => Self::Report,
            "thesis" => Self::Thesis,
            "other" => Self::Other,
            _ => return None,
        })
    }

    /// The name as written in front matter.
    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// `source:` — where the work was published.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RawSource {
    /// article, book, chapter, report, thesis or other.
    pub kind: Option<SourceKind>,
    /// Journal or book the work appeared in.
    pub container: Option<String>,
    /// Volume.
    pub volume: Option<String>,
    /// Issue.
    pub issue: Option<String>,
    /// Pages, e.g. `12–34`.
    pub pages: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Place of publication.
    pub place: Option<String>,
}

/// The span a work studies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawCoverage {
    /// First day meant by `from`.
    pub from: At<PartialDate>,
    /// Last day meant by `to`.
    pub to: At<PartialDate>,
}

/// One abstract's front matter, shape-checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawAbstract {
    /// True when the front matter had errors: the fields that failed hold placeholders, and the
    /// record only serves further checks.
    pub broken: bool,
    /// `title`.
    pub title: At<String>,
    /// The original's title when `title` comes from a translation (set by
    /// `model::translate::localize`; never read from a file).
    pub original_title: Option<String>,
    /// `authors`.
    pub authors: Authors,
    /// `date`; None when written `unknown`.
    pub date: At<Option<PartialDate>>,
    /// `spheres` (ids, unchecked).
    pub spheres: Vec<At<String>>,
    /// `coverage`.
    pub coverage: Option<RawCoverage>,
    /// `periods` (ids, unchecked); when present, authoritative.
    pub periods: Option<Vec<At<String>>>,
    /// `actors`.
    pub actors: Vec<At<String>>,
    /// `keywords`.
    pub keywords: Vec<At<String>>,
    /// `language` (BCP 47).
    pub language: Option<At<String>>,
    /// `abstract_language` (BCP 47).
    pub abstract_language: Option<At<String>>,
    /// `aliases`: old URL paths relative to the base path.
    pub aliases: Vec<At<String>>,
    /// `source`.
    pub source: Option<RawSource>,
    /// `doi`, without any `https://doi.org/` prefix (where it is written, for the duplicate
    /// check).
    pub doi: Option<At<String>>,
    /// `url`.
    pub url: Option<String>,
    /// `slug`, already checked against `[a-z0-9-]+`.
    pub slug: Option<At<String>>,
    /// `draft`.
    pub draft: bool,
}

/// A period file's front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawPeriod {
    /// `title`.
    pub title: String,
    /// `from`.
    pub from: PartialDate,
    /// `to`; None = ongoing.
    pub to: Option<PartialDate>,
}

/// A sphere or free page's front matter: just a title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawTitled {
    /// `title`.
    pub title: String,
}

/// A translation's front matter (`foo.ru.md` beside `foo.md`): what it overrides of the
/// original; everything else is the original's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawTranslation {
    /// The language (from the file name), as written there: `ru`.
    pub lang: String,
    /// `title`, when translated.
    pub title: Option<At<String>>,
    /// `keywords` (abstracts), when translated.
    pub keywords: Option<Vec<At<String>>>,
    /// `draft: true` keeps an unfinished translation out of the published site.
    pub draft: bool,
}

/// The fields a translation may set: the translated texts. The rest (authors, dates,
/// spheres, coverage, source…) is the work's own, shared by every version.
pub(crate) const TRANSLATION_KEYS: &[&str] = &["title", "keywords", "draft"];

/// Reads a translation's front matter. Fields that every version shares are errors: an
/// editor who changes the authors in `foo.ru.md` would otherwise see the change ignored.
pub(crate) fn read_translation(
    f: &mut Fields<'_>,
    lang: &str,
    original: &str,
    abstract_: bool,
) -> Option<RawTranslation> {
    let allowed: &[&str] = if abstract_ {
        TRANSLATION_KEYS
    } else {
        &["title"]
    };
    let shared: Vec<&str> = ABSTRACT_KEYS
        .iter()
        .chain(["from", "to", "weight"].iter())
        .copied()
        .filter(|k| !allowed.contains(k))
        .collect();
    for key in &shared {
        if let Some(node) = f.written(key) {
            let node = node.clone();
            f.get(key);
            f.error(
                &node,
                format!(
                    "`{key}` cannot be set in a translation: every version of a work shares it"
                ),
                Some(format!(
                    "set `{key}` in `{original}`; a translation sets only {}",
                    allowed
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
    let title = f.text("title", None);
    let keywords = if abstract_ { f.list("keywords") } else { None };
    let draft = abstract_ && f.flag("draft");
    f.finish(allowed);
    if f.failed {
        return None;
    }
    Some(RawTranslation {
        lang: lang.to_string(),
        title,
        keywords,
        draft,
    })
}

/// Everything a field reader needs to report a problem.
pub(crate) struct Fields<'a> {
    path: &'a str,
    text: &'a str,
    entries: Vec<(&'a str, &'a Node, &'a Node)>,
    used: Vec<bool>,
    /// Problems found so far.
    pub diags: Vec<Diagnostic>,
    /// Set when an error was reported: the record is not usable.
    pub failed: bool,
    /// Position of the mapping (for "missing field" errors).
    at: (u32, u32),
}

impl<'a> Fields<'a> {
    /// Starts reading a mapping. `at` is where missing fields are reported.
    pub fn new(path: &'a str, text: &'a str, node: &'a Node, at: (u32, u32)) -> Self {
        let mut f = Fields {
            path,
            text,
            entries: Vec::new(),
            used: Vec::new(),
            diags: Vec::new(),
            failed: false,
            at,
        };
        match &node.kind {
            Kind::Map(m) => {
                for (k, v) in m {
                    match &k.kind {
                        Kind::Str(s) => f.entries.push((s.as_str(), k, v)),
                        _ => f.error(
                            k,
                            format!("a key must be a name, not {}", k.type_name()),
                            None,
                        ),
                    }
                }
            }
            _ => f.error(
                node,
                format!(
                    "front matter must be a mapping of fields, not {}",
                    node.type_name()
                ),
                Some("write one `key: value` per line".into()),
            ),
        }
        f.used = vec![false; f.entries.len()];
        f
    }

    /// Reports an error at `node`.
    pub fn error(&mut self, node: &Node, message: String, help: Option<String>) {
        self.failed = true;
        self.diags.push(
            Diagnostic::error(self.path, message)
                .at(self.text, node.line, node.col, node.len)
                .maybe_help(help),
        );
    }

    /// Reports a warning at `node`.
    pub fn warn(&mut self, node: &Node, message: String, help: Option<String>) {
        self.diags.push(
            Diagnostic::warning(self.path, message)
                .at(self.text, node.line, node.col, node.len)
                .maybe_help(help),
        );
    }

    /// Reports an error at a value read earlier (e.g. one item of a list).
    pub fn error_at<T>(&mut self, at: &At<T>, message: String, help: &str) {
        self.failed = true;
        self.diags.push(
            Diagnostic::error(self.path, message)
                .at(self.text, at.line, at.col, at.len)
                .help(help),
        );
    }

    /// Reports a warning at a value read earlier (e.g. one item of a list).
    pub fn warn_at<T>(&mut self, at: &At<T>, message: String, help: Option<String>) {
        self.diags.push(
            Diagnostic::warning(self.path, message)
                .at(self.text, at.line, at.col, at.len)
                .maybe_help(help),
        );
    }

    fn missing(&mut self, key: &str, help: &str) {
        self.failed = true;
        let (line, col) = self.at;
        self.diags.push(
            Diagnostic::error(self.path, format!("missing required field `{key}`"))
                .at(self.text, line, col, 3)
                .help(help),
        );
    }

    /// The node written for `key`, marking it as known. A null value counts as absent.
    pub fn get(&mut self, key: &str) -> Option<&'a Node> {
        let i = self.entries.iter().position(|(k, _, _)| *k == key)?;
        self.used[i] = true;
        let node = self.entries[i].2;
        (node.kind != Kind::Null).then_some(node)
    }

    /// Whether `key` is written at all (even empty).
    fn written(&self, key: &str) -> Option<&'a Node> {
        self.entries.iter().find(|(k, _, _)| *k == key).map(|e| e.1)
    }

    /// A required or optional string field. Empty strings are an error when required.
    pub fn text(&mut self, key: &str, required: Option<&str>) -> Option<At<String>> {
        let Some(node) = self.get(key) else {
            if let Some(help) = required {
                match self.written(key) {
                    Some(k) => {
                        let k = k.clone();
                        self.error(&k, format!("`{key}` is empty"), Some(help.to_string()))
                    }
                    None => self.missing(key, help),
                }
            }
            return None;
        };
        match node.as_text() {
            Some(s) => {
                let s = s.trim();
                if s.is_empty() {
                    if let Some(help) = required {
                        self.error(node, format!("`{key}` is empty"), Some(help.to_string()));
                    }
                    return None;
                }
                Some(At::of(node, s.to_string()))
            }
            None => {
                self.error(
                    node,
                    format!("`{key}` must be a single value, not {}", node.type_name()),
                    None,
                );
                None
            }
        }
    }

    /// A list of strings; a single scalar is read as a one-item list.
    pub fn list(&mut self, key: &str) -> Option<Vec<At<String>>> {
        let node = self.get(key)?;
        Some(self.items(key, node))
    }

    fn items(&mut self, key: &str, node: &'a Node) -> Vec<At<String>> {
        let nodes: Vec<&Node> = match &node.kind {
            Kind::Seq(v) => v.iter().collect(),
            _ => vec![node],
        };
        let mut out = Vec::new();
        for n in nodes {
            match n.as_text().map(str::trim) {
                Some("") => self.error(n, format!("empty entry in `{key}`"), None),
                Some(s) => out.push(At::of(n, s.to_string())),
                None => self.error(
                    n,
                    format!(
                        "each entry of `{key}` must be a single value, not {}",
                        n.type_name()
                    ),
                    Some(format!(
                        "write `{key}: [first, second]` or one `- item` per line"
                    )),
                ),
            }
        }
        out
    }

    /// A date field (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
    pub fn date(&mut self, key: &str, required: Option<&str>) -> Option<At<PartialDate>> {
        let t = self.text(key, required)?;
        let node = self.get(key).expect("text() found the key");
        match PartialDate::parse(&t.value) {
            Ok(d) => Some(At::of(node, d)),
            Err(e) => {
                self.error(node, format!("`{key}`: {}", e.message), Some(e.help));
                None
            }
        }
    }

    /// A boolean field; absent is false.
    pub fn flag(&mut self, key: &str) -> bool {
        let Some(node) = self.get(key) else {
            return false;
        };
        match node.kind {
            Kind::Bool(b) => b,
            _ => {
                self.error(
                    node,
                    format!(
                        "`{key}` must be `true` or `false`, not `{}`",
                        node.raw.trim()
                    ),
                    None,
                );
                false
            }
        }
    }

    /// A nested mapping.
    pub fn nested(&mut self, key: &str) -> Option<Fields<'a>> {
        let node = self.get(key)?;
        if !matches!(node.kind, Kind::Map(_)) {
            self.error(
                node,
                format!("`{key}` must be a mapping, not {}", node.type_name()),
                None,
            );
            return None;
        }
        Some(Fields::new(
            self.path,
            self.text,
            node,
            (node.line, node.col),
        ))
    }

    /// Takes the findings of a nested reader.
    pub fn absorb(&mut self, inner: Fields<'_>) {
        self.failed |= inner.failed;
        self.diags.extend(inner.diags);
    }

    /// Warns about every key not read so far, suggesting the nearest of `known`.
    pub fn finish(&mut self, known: &[&str]) {
        for i in 0..self.entries.len() {
            if self.used[i] {
                continue;
            }
            let (k, key, _) = self.entries[i];
            let help = did_you_mean(k, known.iter().copied())
                .or_else(|| Some(format!("known fields: {}", known.join(", "))));
            self.warn(key, format!("unknown field `{k}`"), help);
        }
    }
}

/// Keys of an abstract's front matter, for suggestions.
pub(crate) const ABSTRACT_KEYS: &[&str] = &[
    "title",
    "authors",
    "date",
    "spheres",
    "coverage",
    "periods",
    "actors",
    "keywords",
    "language",
    "abstract_language",
    "aliases",
    "source",
    "doi",
    "url",
    "slug",
    "draft",
];

/// Reads an abstract. Fields with errors are reported and the record marked `broken`; None
/// only when the front matter is not a mapping at all.
pub(crate) fn read_abstract(f: &mut Fields<'_>) -> Option<RawAbstract> {
    let title = f.text("title", Some("add `title: …` with the work's title"));
    let authors = read_authors(f);
    let date = read_date(f);
    let spheres = f.list("spheres");
    if spheres.as_ref().is_none_or(Vec::is_empty) {
        if let Some(k) = f.written("spheres") {
            let k = k.clone();
            f.error(
                &k,
                "`spheres` is empty".into(),
                Some("list at least one sphere id, e.g. `spheres: [political]`".into()),
            );
        } else {
            f.missing(
                "spheres",
                "add `spheres: [political]` naming at least one sphere id",
            );
        }
    }
    let coverage = read_coverage(f);
    let periods = f.list("periods");
    let actors = f.list("actors").unwrap_or_default();
    let keywords = f.list("keywords").unwrap_or_default();
    let language = read_language(f, "language");
    let abstract_language = read_language(f, "abstract_language");
    let aliases = read_aliases(f);
    let source = read_source(f);
    let doi = read_doi(f);
    let url = read_url(f);
    let slug = f.text("slug", None);
    if let Some(s) = &slug
        && !crate::model::slug::is_valid_slug(&s.value)
    {
        let node = f.get("slug").expect("slug was read").clone();
        f.error(
                &node,
                format!("slug `{}` may only contain lowercase ASCII letters, digits and `-`", s.value),
                Some("write it like `rossiya-i-kazakhstan`, or leave `slug` out to derive it from the file name".into()),
            );
    }
    let draft = f.flag("draft");
    f.finish(ABSTRACT_KEYS);
    // A file with errors still yields a record (marked `broken`), so that the cross-checks of
    // assembly and the link checks of its body report their problems in the same run. The
    // errors already collected keep such a record out of any site.
    let broken = f.failed;
    let fallback = || At {
        value: String::new(),
        line: 1,
        col: 1,
        len: 3,
    };
    Some(RawAbstract {
        broken,
        title: title.unwrap_or_else(fallback),
        original_title: None,
        authors: authors.unwrap_or(Authors::Unknown),
        date: date.unwrap_or(At {
            value: None,
            line: 1,
            col: 1,
            len: 3,
        }),
        spheres: spheres.unwrap_or_default(),
        coverage,
        periods,
        actors,
        keywords,
        language,
        abstract_language,
        aliases,
        source,
        doi,
        url,
        slug,
        draft,
    })
}

/// A generational suffix as written after a name: `Jr.`, `Sr.`, `II` to `IV`, with or
/// without the full stop (never a given name or an initial). Also what `check` points out
/// when one stands alone in `authors`, a name split at its commas.
pub(crate) fn is_name_suffix(s: &str) -> bool {
    matches!(
        s.trim(),
        "Jr." | "Jr" | "Sr." | "Sr" | "Jnr." | "Jnr" | "Snr." | "Snr" | "II" | "III" | "IV"
    )
}

fn read_authors(f: &mut Fields<'_>) -> Option<Authors> {
    const HELP: &str = "list the authors, e.g. `authors: [Ivanov I. I.]`, or write `authors: unknown` when nobody knows";
    let Some(node) = f.get("authors") else {
        match f.written("authors") {
            Some(k) => {
                let k = k.clone();
                f.error(&k, "`authors` is empty".into(), Some(HELP.into()));
            }
            None => f.missing("authors", HELP),
        }
        return None;
    };
    if node.is_plain() && node.as_text() == Some("unknown") {
        return Some(Authors::Unknown);
    }
    let items = f.items("authors", node);
    for (i, a) in items.iter().enumerate() {
        if a.value.eq_ignore_ascii_case("unknown") {
            f.warn_at(
                a,
                format!("an author named `{}`", a.value),
                Some("to record that the author is not known, write `authors: unknown` (bare, not in a list)".into()),
            );
        }
        // `[Smith, John, Jr.]`: YAML split one name at its commas.
        if i > 0 && is_name_suffix(&a.value) {
            let before: Vec<&str> = items[i.saturating_sub(2)..i]
                .iter()
                .map(|p| p.value.as_str())
                .collect();
            f.warn_at(
                a,
                format!("an author named `{}`", a.value),
                Some(format!(
                    "a name with commas must be quoted in a YAML list, e.g. `\"{}, {}\"`; or write it `John Smith Jr.`",
                    before.join(", "),
                    a.value
                )),
            );
        } else if a.value.contains(',')
            && matches!(
                crate::cite::Name::parse(&a.value),
                crate::cite::Name::Literal(_)
            )
        {
            // `Smith, John, Jr., IV`: cited exactly as written, never split at a guess.
            f.warn_at(
                a,
                format!("the author `{}` is not a name dyad can split", a.value),
                Some("a person's name with commas reads `Family, Given` or `Family, Given, Suffix` (`Smith, John, Jr.`); as written, it is cited whole, like an institution's name".into()),
            );
        }
    }
    if matches!(&node.kind, Kind::Seq(v) if v.is_empty()) {
        f.error(node, "`authors` is empty".into(), Some(HELP.into()));
    }
    Some(Authors::Known(items))
}

fn read_date(f: &mut Fields<'_>) -> Option<At<Option<PartialDate>>> {
    const HELP: &str = "write the publication date as YYYY, YYYY-MM or YYYY-MM-DD, or `date: unknown` when nobody knows";
    if let Some(node) = f.get("date")
        && node.is_plain()
        && node.as_text() == Some("unknown")
    {
        return Some(At::of(node, None));
    }
    // `Unknown`, `"unknown"`, `n.d.`: meant as "not known", written another way.
    if let Some(node) = f.get("date")
        && let Some(t) = node.as_text()
        && ["unknown", "n.d.", "n. d.", "nd"]
            .iter()
            .any(|u| t.trim().eq_ignore_ascii_case(u))
    {
        let node = node.clone();
        f.error(
            &node,
            format!("`date`: `{}` is not a date", t.trim()),
            Some("to record that the date is not known, write `date: unknown` (lowercase, without quotes)".into()),
        );
        return None;
    }
    let d = f.date("date", Some(HELP))?;
    Some(At {
        value: Some(d.value),
        line: d.line,
        col: d.col,
        len: d.len,
    })
}

fn read_coverage(f: &mut Fields<'_>) -> Option<RawCoverage> {
    let mut c = f.nested("coverage")?;
    let from = c.date(
        "from",
        Some("coverage needs both `from` and `to`, e.g. `coverage: {from: 2016-08, to: 2019-03}`"),
    );
    let to = c.date(
        "to",
        Some("coverage needs both `from` and `to`, e.g. `coverage: {from: 2016-08, to: 2019-03}`"),
    );
    c.finish(&["from", "to"]);
    let result = match (from, to) {
        (Some(from), Some(to)) => {
            if from.value.first_day() > to.value.last_day() {
                let node = c.get("from").expect("from was read").clone();
                c.error(
                    &node,
                    format!(
                        "coverage `from` ({}) is after `to` ({})",
                        from.value, to.value
                    ),
                    Some("swap the two dates, or correct the one that is wrong".into()),
                );
                None
            } else {
                Some(RawCoverage { from, to })
            }
        }
        _ => None,
    };
    f.absorb(c);
    result
}

fn read_language(f: &mut Fields<'_>, key: &str) -> Option<At<String>> {
    let t = f.text(key, None)?;
    if is_bcp47(&t.value) {
        Some(t)
    } else {
        let node = f.get(key).expect("text() found the key").clone();
        f.error(
            &node,
            format!("`{key}`: `{}` is not a BCP 47 language tag", t.value),
            Some(language_help(&t.value)),
        );
        None
    }
}

/// A BCP 47 tag, checked for shape: a 2–3 letter primary subtag (ISO 639; the 4–8 letter
/// forms the grammar allows are reserved or unused, and in front matter they are language
/// names: `english`), or `x`/`i` for private and old tags, then alphanumeric subtags of 1–8
/// characters.
pub(crate) fn is_bcp47(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    let private = matches!(primary, "x" | "X" | "i" | "I");
    (private || (2..=3).contains(&primary.len()))
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && (!private || tag.len() > 2)
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The hint for a language that is not a BCP 47 tag: the tag itself when the value is a
/// language's name or another common form of it (`English`, `русский`, `ru_RU`).
pub(crate) fn language_help(written: &str) -> String {
    match language_tag(written) {
        Some(tag) if tag != written => format!("write `{tag}`, the BCP 47 tag for `{written}`"),
        _ => "write a tag such as `en`, `ru`, `kk` or `kk-Latn`".to_string(),
    }
}

/// A language as Zotero users write it (`ru`, `rus`, `Russian`, `русский`, `ru-RU`) as a BCP 47
/// tag; None when it is neither a tag nor a name we know.
pub(crate) fn language_tag(written: &str) -> Option<String> {
    let w = written.trim();
    let lower = w.to_lowercase();
    let named = match lower.as_str() {
        "russian" | "русский" | "русский язык" | "rus" | "orys" => Some("ru"),
        "kazakh" | "казахский" | "қазақ" | "қазақша" | "қазақ тілі" | "kaz" => {
            Some("kk")
        }
        "english" | "английский" | "eng" | "american" | "british" => Some("en"),
        "german" | "deutsch" | "ngerman" | "немецкий" | "ger" | "deu" => Some("de"),
        "french" | "français" | "francais" | "французский" | "fre" | "fra" => {
            Some("fr")
        }
        "chinese" | "китайский" | "chi" | "zho" => Some("zh"),
        "uzbek" | "узбекский" | "uzb" => Some("uz"),
        "kyrgyz" | "киргизский" | "kir" => Some("ky"),
        "ukrainian" | "украинский" | "ukr" => Some("uk"),
        "turkish" | "турецкий" | "tur" => Some("tr"),
        _ => None,
    };
    if let Some(tag) = named {
        return Some(tag.to_string());
    }
    // Zotero writes `ru_RU` as often as `ru-RU`.
    let tag = w.replace('_', "-");
    is_bcp47(&tag).then_some(tag)
}

/// Longest part of an alias path, in bytes: each part is a folder or file name of the output,
/// written through a temporary name a few bytes longer, and a name has at most 255 bytes.
const MAX_ALIAS_PART: usize = 200;

fn read_aliases(f: &mut Fields<'_>) -> Vec<At<String>> {
    let items = f.list("aliases").unwrap_or_default();
    let mut out = Vec::new();
    for a in items {
        let v = a.value.trim_start_matches('/');
        let bad = v.is_empty()
            || v.contains("..")
            || v.contains('\\')
            || v.contains("//")
            || v.contains(['?', '#', '\0'])
            || v.contains("://");
        if bad {
            f.error_at(
                &a,
                format!("alias `{}` is not a URL path inside the site", a.value),
                "write the old path relative to the base path, e.g. `abstracts/old-title/`",
            );
            continue;
        }
        // Each part names a folder or a file of the output.
        if let Some(long) = v.split('/').map(str::len).find(|&n| n > MAX_ALIAS_PART) {
            f.error_at(
                &a,
                format!(
                    "alias `{}…` has a part {long} bytes long: at most {MAX_ALIAS_PART} fit in a file name",
                    a.value.chars().take(40).collect::<String>()
                ),
                "shorten the path's parts (the folders between `/`)",
            );
            continue;
        }
        let mut v = v.to_string();
        let last = v.rsplit('/').next().unwrap_or("");
        if !v.ends_with('/') && !last.contains('.') {
            v.push('/');
        }
        out.push(At { value: v, ..a });
    }
    out
}

fn read_source(f: &mut Fields<'_>) -> Option<RawSource> {
    let mut s = f.nested("source")?;
    let mut src = RawSource::default();
    if let Some(t) = s.text("type", None) {
        match SourceKind::parse(&t.value) {
            Some(k) => src.kind = Some(k),
            None => {
                let node = s.get("type").expect("type was read").clone();
                let help = did_you_mean(&t.value, SourceKind::NAMES)
                    .unwrap_or_else(|| format!("use one of: {}", SourceKind::NAMES.join(", ")));
                s.error(
                    &node,
                    format!("unknown source type `{}`", t.value),
                    Some(help),
                );
            }
        }
    }
    src.container = s.text("container", None).map(|a| a.value);
    src.volume = number_alone(&mut s, "volume");
    src.issue = number_alone(&mut s, "issue");
    src.pages = number_alone(&mut s, "pages");
    src.publisher = s.text("publisher", None).map(|a| a.value);
    src.place = s.text("place", None).map(|a| a.value);
    s.finish(&[
        "type",
        "container",
        "volume",
        "issue",
        "pages",
        "publisher",
        "place",
    ]);
    f.absorb(s);
    Some(src)
}

/// The labels an editor may write before a volume, an issue or pages (`No. 5`, `Т. 3`,
/// `pp. 12–34`) or after a number of pages (`230 pp.`, `230 с.`), which every citation style
/// writes itself ("No. No. 5" otherwise), lowercase, longest first.
const BEFORE_NUMBER: [&str; 24] = [
    "volume", "number", "issue", "pages", "vols.", "вып.", "nos.", "vol.", "iss.", "стр.", "том",
    "no.", "nr.", "pp.", "вып", "vol", "nos", "т.", "с.", "no", "nr", "pp", "p.", "№",
];
const AFTER_NUMBER: [&str; 6] = ["pages", "стр.", "pp.", "pp", "p.", "с."];

/// A volume, an issue or pages without the label written with the number (see
/// [`BEFORE_NUMBER`]): `No. 5` → `5`, `230 с.` → `230`; None when there is none.
pub(crate) fn without_label(written: &str) -> Option<String> {
    let v = written.trim();
    let starts_a_number = |rest: &str| {
        rest.trim_start()
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric())
            && rest.contains(|c: char| c.is_ascii_digit())
    };
    // A label is a whole word: `no. 5`, `№5`, `Т. 3`; never the start of a word (`Nova`).
    BEFORE_NUMBER
        .iter()
        .find_map(|l| {
            let rest = strip_label(v, l, false)?;
            let ends_word = l.ends_with(['.', '№']) || rest.starts_with(char::is_whitespace);
            (ends_word && starts_a_number(rest)).then(|| rest.trim_start().to_string())
        })
        .or_else(|| {
            AFTER_NUMBER.iter().find_map(|l| {
                let rest = strip_label(v, l, true)?;
                (rest.ends_with(char::is_whitespace)
                    && rest.trim_end().ends_with(|c: char| c.is_ascii_digit()))
                .then(|| rest.trim_end().to_string())
            })
        })
}

/// `key` of a source (`volume`, `issue`, `pages`) as its number alone: a label written with it
/// (see [`BEFORE_NUMBER`]) is left out, with a warning that says so.
fn number_alone(s: &mut Fields<'_>, key: &str) -> Option<String> {
    let a = s.text(key, None)?;
    let v = a.value.trim();
    let Some(number) = without_label(v) else {
        return Some(a.value);
    };
    s.warn_at(
        &a,
        format!("`{key}: {v}` has a label with its number"),
        Some(format!(
            "write the number alone, `{key}: \"{number}\"`: each citation style adds its own label (\"No.\", \"Т.\", \"pp.\", \"с.\")"
        )),
    );
    Some(number)
}

/// `v` without `label` (lowercase) at its start (or its end with `at_end`), compared without
/// case; the cut is made between characters, never inside one.
fn strip_label<'a>(v: &'a str, label: &str, at_end: bool) -> Option<&'a str> {
    let n = label.chars().count();
    // The byte offset after `v`'s first n characters, or before its last n.
    let cut = if at_end {
        v.char_indices().rev().nth(n.checked_sub(1)?)?.0
    } else {
        v.char_indices().map(|(i, _)| i).chain([v.len()]).nth(n)?
    };
    let (written, rest) = if at_end {
        (&v[cut..], &v[..cut])
    } else {
        (&v[..cut], &v[cut..])
    };
    (written.to_lowercase() == label).then_some(rest)
}

fn read_doi(f: &mut Fields<'_>) -> Option<At<String>> {
    let t = f.text("doi", None)?;
    let v = t.value.as_str();
    let bare = [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
    ]
    .iter()
    .find_map(|p| v.strip_prefix(p))
    .unwrap_or(v)
    .trim();
    let ok = bare.starts_with("10.")
        && bare.split_once('/').is_some_and(|(p, s)| {
            p.len() > 3 && p[3..].chars().all(|c| c.is_ascii_digit() || c == '.') && !s.is_empty()
        })
        && !bare.chars().any(char::is_whitespace);
    let node = f.get("doi").expect("doi was read").clone();
    if ok {
        Some(At::of(&node, bare.to_string()))
    } else {
        f.error(
            &node,
            format!("`{v}` is not a DOI"),
            Some("write the DOI itself, e.g. `doi: 10.1234/abcd.5678`".into()),
        );
        None
    }
}

fn read_url(f: &mut Fields<'_>) -> Option<String> {
    let t = f.text("url", None)?;
    match url::Url::parse(&t.value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Some(t.value),
        _ => {
            let node = f.get("url").expect("url was read").clone();
            f.error(
                &node,
                format!("`{}` is not an http(s) URL", t.value),
                Some("write the full address, e.g. `url: https://example.org/article`".into()),
            );
            None
        }
    }
}

/// Reads a period file's front matter.
pub(crate) fn read_period(f: &mut Fields<'_>) -> Option<RawPeriod> {
    let title = f.text("title", Some("add `title: …` naming the period"));
    let from = f.date(
        "from",
        Some("add `from: YYYY-MM`, the period's first month"),
    );
    let to = f.date("to", None);
    if let (Some(a), Some(b)) = (&from, &to)
        && a.value.first_day() > b.value.last_day()
    {
        let node = f.get("from").expect("from was read").clone();
        f.error(
            &node,
            format!("period `from` ({}) is after `to` ({})", a.value, b.value),
            Some("swap the two dates, or correct the one that is wrong".into()),
        );
    }
    f.finish(&["title", "from", "to"]);
    if f.failed {
        return None;
    }
    Some(RawPeriod {
        title: title?.value,
        from: from?.value,
        to: to.map(|t| t.value),
    })
}

/// A sphere file's front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawSphere {
    /// `title`.
    pub title: String,
    /// `weight`: optional column order on the home page (smaller first; then by title).
    pub weight: Option<i64>,
}

/// Reads a sphere's front matter.
pub(crate) fn read_sphere(f: &mut Fields<'_>) -> Option<RawSphere> {
    let title = f.text("title", Some("add `title: …`"));
    let weight = f.get("weight").and_then(|n| match n.kind {
        Kind::Int(i) => Some(i),
        _ => {
            let n = n.clone();
            f.error(
                &n,
                format!("`weight` must be a whole number, not `{}`", n.raw.trim()),
                Some("write e.g. `weight: 3`; smaller weights come first".into()),
            );
            None
        }
    });
    f.finish(&["title", "weight"]);
    if f.failed {
        return None;
    }
    Some(RawSphere {
        title: title?.value,
        weight,
    })
}

/// Reads a free page's front matter (a title).
pub(crate) fn read_titled(f: &mut Fields<'_>) -> Option<RawTitled> {
    let title = f.text("title", Some("add `title: …`"));
    f.finish(&["title"]);
    if f.failed {
        return None;
    }
    Some(RawTitled {
        title: title?.value,
    })
}

#[cfg(test)]
mod tests;
