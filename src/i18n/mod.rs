//! Interface strings: Fluent messages in every language of the archive, and dates written the
//! way each language writes them (see [`dates`]).
//!
//! dyad's own messages are the repo's `i18n/<lang>.ftl` (English, Russian and Kazakh),
//! embedded at compile time. An archive's `i18n/<lang>.ftl` overrides them message by message,
//! as its `templates/` override the theme by name. A message missing in a language falls back
//! to the archive's default language, then to dyad's English, then to its key. Counts are Fluent
//! numbers, so selectors pick CLDR plural categories (`one`/`few`/`many`/`other` in Russian)
//! from the number, while the number itself prints with its digits grouped as the language
//! groups them (`12 345` in Russian). Does not decide which strings a page shows (templates and
//! `render::views` do) and does not translate content.

pub(crate) mod dates;

pub(crate) use dates::{date, date_range};

use crate::diag::{Diagnostic, Diagnostics};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use unic_langid::LanguageIdentifier;

/// dyad's own messages: (language, FTL source).
const BUILTIN: &[(&str, &str)] = &[
    ("en", include_str!("../../i18n/en.ftl")),
    ("kk", include_str!("../../i18n/kk.ftl")),
    ("ru", include_str!("../../i18n/ru.ftl")),
];

/// An argument of a message.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Arg<'a> {
    /// Text, printed as it is.
    Str(&'a str),
    /// A number: selects plural forms and prints with grouped digits (`12,345`, `12 345`).
    Num(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(s)
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Num(n as f64)
    }
}

impl From<u32> for Arg<'_> {
    fn from(n: u32) -> Self {
        Arg::Num(f64::from(n))
    }
}

impl From<i32> for Arg<'_> {
    fn from(n: i32) -> Self {
        Arg::Num(f64::from(n))
    }
}

/// Says the interface string `key` with `args` in the language of the site being built (for
/// code that writes text without knowing the language, such as the SVG charts).
pub(crate) type Say<'a> = dyn Fn(&str, &[(&str, Arg)]) -> String + Sync + 'a;

type Bundle = FluentBundle<FluentResource>;

/// One language's messages: its bundle and the keys it defines itself (built-in and override).
struct Language {
    bundle: Bundle,
    keys: BTreeSet<String>,
    /// Whether the archive overrides some of its messages (`i18n/<lang>.ftl`).
    has_override: bool,
}

/// The interface strings of every language of an archive. Send + Sync: pages render in
/// parallel.
pub(crate) struct Messages {
    /// The archive's languages, the default first.
    languages: Vec<String>,
    by_language: BTreeMap<String, Language>,
    /// dyad's English, the last fallback.
    english: Bundle,
    /// A hash of every message source, so `watch` knows when the messages changed.
    key: u64,
    /// The archive's override files in use: (path from the root, hash of the text).
    files: Vec<(String, u64)>,
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Messages")
            .field("languages", &self.languages)
            .finish_non_exhaustive()
    }
}

/// dyad's built-in messages for a language tag: by the whole tag, else by its primary subtag
/// (`en-GB` uses `en`).
fn builtin_source(lang: &str) -> Option<&'static str> {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    BUILTIN
        .iter()
        .find(|(l, _)| l.eq_ignore_ascii_case(lang))
        .or_else(|| {
            BUILTIN
                .iter()
                .find(|(l, _)| l.eq_ignore_ascii_case(primary))
        })
        .map(|(_, s)| *s)
}

/// A whole number written like the `num` filter writes it: digits grouped by thousands with
/// `sep`. None (Fluent's own writing) for anything else.
fn grouped(v: &FluentValue, sep: &str) -> Option<String> {
    match v {
        FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 1e15 => {
            Some(crate::render::group_digits(n.value as i128, sep))
        }
        _ => None,
    }
}

/// A bundle for `lang`. Fluent panics when it selects a plural form in a language it has no
/// plural rules for, so such a language gets English plural rules (its messages still print).
fn new_bundle(lang: &str) -> Bundle {
    let mut bundle = Bundle::new_concurrent(vec![plural_language(lang).0]);
    // Unicode isolation marks would end up in HTML text and attributes.
    bundle.set_use_isolating(false);
    // Numbers print like the `num` filter. A formatter is a plain `fn`: one per separator.
    bundle.set_formatter(Some(match crate::render::separator(lang) {
        "," => |v, _| grouped(v, ","),
        "." => |v, _| grouped(v, "."),
        _ => |v, _| grouped(v, "\u{202F}"),
    }));
    bundle
}

/// The language whose CLDR plural rules `lang` uses, with those rules: `lang` itself, else its
/// primary subtag, else English (for a language CLDR has no rules for).
fn plural_language(lang: &str) -> (LanguageIdentifier, intl_pluralrules::PluralRules) {
    use intl_pluralrules::{PluralRuleType, PluralRules};
    let id: LanguageIdentifier = lang
        .parse()
        .or_else(|_| lang.split(['-', '_']).next().unwrap_or("").parse())
        .unwrap_or_default();
    if let Ok(rules) = PluralRules::create(id.clone(), PluralRuleType::CARDINAL) {
        return (id, rules);
    }
    let en: LanguageIdentifier = "en".parse().expect("`en` is a language identifier");
    let rules = PluralRules::create(en.clone(), PluralRuleType::CARDINAL)
        .expect("CLDR has English plural rules");
    (en, rules)
}

/// The name of a CLDR plural category, as `Intl.PluralRules.select` says it.
fn category_name(c: &intl_pluralrules::PluralCategory) -> &'static str {
    use intl_pluralrules::PluralCategory as C;
    match c {
        C::ZERO => "zero",
        C::ONE => "one",
        C::TWO => "two",
        C::FEW => "few",
        C::MANY => "many",
        C::OTHER => "other",
    }
}

/// Parses dyad's own FTL source (a syntax error there is a bug, caught by the tests).
fn builtin_resource(source: &str) -> FluentResource {
    FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r)
}

/// The message and term ids a resource defines (messages only: terms start with `-`).
fn message_keys(r: &FluentResource) -> impl Iterator<Item = String> + '_ {
    r.entries().filter_map(|e| match e {
        fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
        _ => None,
    })
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
    (line, col)
}

/// Parses an archive's override file; syntax errors become diagnostics on `rel`. The entries
/// Fluent could still read are kept.
fn parse_override(rel: &str, text: String, diags: &mut Diagnostics) -> FluentResource {
    match FluentResource::try_new(text) {
        Ok(r) => r,
        Err((r, errors)) => {
            let src = r.source();
            for e in errors {
                let (line, col) = line_col(src, e.pos.start);
                let len = e.pos.end.saturating_sub(e.pos.start).max(1) as u32;
                let len = len.min(
                    src.lines()
                        .nth(line as usize - 1)
                        .map_or(1, |l| l.chars().count().saturating_sub(col as usize - 1))
                        .max(1) as u32,
                );
                diags.push(
                    Diagnostic::error(rel, format!("Fluent syntax error: {}", e.kind))
                        .at(src, line, col, len)
                        .help("a message is `key = text`; a line that continues it starts with a space; plural forms are written `{ $count -> [one] … *[other] … }` (see projectfluent.org/fluent/guide)"),
                );
            }
            r
        }
    }
}

impl Messages {
    /// Built-ins for every language in `languages` (the default first) plus the archive's
    /// `<root>/i18n/<lang>.ftl` overrides. Fluent syntax errors in an override are error
    /// diagnostics naming file, line and column, with a help text. An override file for a
    /// language not in `languages` is a warning. A message key an override defines that the
    /// built-in default language does not know is fine (custom templates may use it).
    pub fn load(root: &Path, languages: &[String], diags: &mut Diagnostics) -> Messages {
        let dir = root.join("i18n");
        let mut overrides: BTreeMap<String, String> = BTreeMap::new();
        match std::fs::read_dir(&dir) {
            Ok(entries) => {
                for e in entries {
                    let e = match e {
                        Ok(e) => e,
                        Err(err) => {
                            diags.push(Diagnostic::error(
                                "i18n",
                                format!("cannot read the folder: {err}"),
                            ));
                            continue;
                        }
                    };
                    let name = e.file_name().to_string_lossy().into_owned();
                    let Some(lang) = name.strip_suffix(".ftl") else {
                        continue;
                    };
                    let rel = format!("i18n/{name}");
                    if !languages.iter().any(|l| l == lang) {
                        diags.push(
                            Diagnostic::warning(
                                &rel,
                                format!(
                                    "`{lang}` is not one of the archive's languages ({}): the file is not used",
                                    languages.join(", ")
                                ),
                            )
                            .help(format!("add `{lang}` to `languages:` in archive.yaml, or rename the file after one of them")),
                        );
                        continue;
                    }
                    match crate::source::read(&rel, &e.path()) {
                        Ok(text) => {
                            overrides.insert(lang.to_string(), text.to_string());
                        }
                        Err(d) => diags.push(d),
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => diags.push(Diagnostic::error(
                "i18n",
                format!("cannot read the folder: {e}"),
            )),
        }
        Messages::with_overrides(languages, overrides, diags)
    }

    /// Built-ins only (for tests and `dyad init`).
    #[cfg_attr(not(test), allow(dead_code, reason = "for `dyad init` (issue 6)"))]
    pub fn builtin(languages: &[String]) -> Messages {
        Messages::with_overrides(languages, BTreeMap::new(), &mut Diagnostics::new())
    }

    /// The messages of `languages` with `overrides` (language → FTL source of
    /// `i18n/<lang>.ftl`) over dyad's own.
    pub(crate) fn with_overrides(
        languages: &[String],
        overrides: BTreeMap<String, String>,
        diags: &mut Diagnostics,
    ) -> Messages {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let mut files = Vec::new();
        let mut by_language = BTreeMap::new();
        for lang in languages {
            if by_language.contains_key(lang) {
                continue;
            }
            let mut bundle = new_bundle(lang);
            let mut keys = BTreeSet::new();
            if let Some(src) = builtin_source(lang) {
                let r = builtin_resource(src);
                keys.extend(message_keys(&r));
                bundle.add_resource_overriding(r);
            }
            h.update(lang.as_bytes());
            h.update(&[0]);
            let has_override = match overrides.get(lang) {
                Some(text) => {
                    h.update(text.as_bytes());
                    let rel = format!("i18n/{lang}.ftl");
                    files.push((rel.clone(), xxhash_rust::xxh3::xxh3_64(text.as_bytes())));
                    let r = parse_override(&rel, text.clone(), diags);
                    keys.extend(message_keys(&r));
                    bundle.add_resource_overriding(r);
                    true
                }
                None => false,
            };
            h.update(&[0xff]);
            by_language.insert(
                lang.clone(),
                Language {
                    bundle,
                    keys,
                    has_override,
                },
            );
        }
        let mut english = new_bundle("en");
        english.add_resource_overriding(builtin_resource(BUILTIN[0].1));
        Messages {
            languages: languages.to_vec(),
            by_language,
            english,
            key: h.digest(),
            files,
        }
    }

    /// The archive's default language (the first of `languages`).
    fn default_language(&self) -> &str {
        self.languages.first().map_or("en", String::as_str)
    }

    /// A hash of the archive's override files (and its languages): changes exactly when the
    /// messages do, for a given dyad binary.
    pub fn key(&self) -> u64 {
        self.key
    }

    /// The archive's `i18n/<lang>.ftl` files in use, with a hash of each (for `watch` to say
    /// what changed).
    pub fn files(&self) -> &[(String, u64)] {
        &self.files
    }

    /// The message `key` in `lang` with Fluent args (strings and numbers); falls back to the
    /// default language (languages[0]), then to built-in English, then returns the key itself.
    /// A language the archive does not list is treated like one without messages.
    pub fn text(&self, lang: &str, key: &str, args: &[(&str, Arg)]) -> String {
        let mut fargs = FluentArgs::with_capacity(args.len());
        for (k, v) in args {
            match *v {
                Arg::Str(s) => fargs.set(*k, FluentValue::from(s)),
                Arg::Num(n) => fargs.set(*k, FluentValue::from(n)),
            }
        }
        let chain = [
            self.by_language.get(lang).map(|l| &l.bundle),
            self.by_language
                .get(self.default_language())
                .map(|l| &l.bundle),
            Some(&self.english),
        ];
        for bundle in chain.into_iter().flatten() {
            if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                return bundle
                    .format_pattern(pattern, Some(&fargs), &mut errors)
                    .into_owned();
            }
        }
        key.to_string()
    }

    /// The message `key` (which selects on `$count`) in each plural form of `lang`, for a
    /// script that counts in the browser: CLDR category (`one`, `few`, `many`, `other`…) →
    /// the text with `{count}` where the number goes; the browser picks the form with
    /// `Intl.PluralRules`. Also `=0` when the text for zero differs from its category's (a
    /// Fluent `[0]` variant). Each form is the message formatted for a sample number of that
    /// category.
    pub fn plural_forms(&self, lang: &str, key: &str) -> BTreeMap<String, String> {
        let (_, rules) = plural_language(lang);
        let mut forms = BTreeMap::new();
        let said = |n: u32| self.text(lang, key, &[("count", Arg::from(n))]);
        let template = |n: u32| said(n).replacen(&n.to_string(), "{count}", 1);
        for n in 0..=200u32 {
            if let Ok(c) = rules.select(n) {
                let name = category_name(&c);
                if !forms.contains_key(name) {
                    // A sample number other than 0 where the category has one, so that a `[0]`
                    // variant does not become the whole category's form.
                    let sample = if n == 0 {
                        (1..=200u32)
                            .find(|&m| rules.select(m).is_ok_and(|d| d == c))
                            .unwrap_or(0)
                    } else {
                        n
                    };
                    forms.insert(name.to_string(), template(sample));
                }
            }
        }
        let zero = said(0);
        let zero_category = rules.select(0u32).map_or("other", |c| category_name(&c));
        if forms
            .get(zero_category)
            .is_none_or(|t| t.replace("{count}", "0") != zero)
        {
            forms.insert("=0".to_string(), zero.replacen('0', "{count}", 1));
        }
        forms
    }

    #[cfg(test)]
    /// Whether `lang`'s own messages (dyad's and the archive's `i18n/<lang>.ftl`, no
    /// fallback) define `key`.
    pub fn defines(&self, lang: &str, key: &str) -> bool {
        self.by_language
            .get(lang)
            .is_some_and(|l| l.keys.contains(key))
    }

    /// For `dyad check`: the messages of the default language that a non-default language
    /// lacks (neither dyad nor the archive's `i18n/<lang>.ftl` has them), one warning per
    /// language and key, or one per language listing the keys when there are many.
    pub fn missing(&self) -> Vec<Diagnostic> {
        let default = self.default_language();
        let Some(base) = self.by_language.get(default) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for lang in &self.languages[1..] {
            if lang == default {
                continue;
            }
            let Some(l) = self.by_language.get(lang) else {
                continue;
            };
            let missing: Vec<&str> = base
                .keys
                .iter()
                .filter(|k| !l.keys.contains(*k))
                .map(String::as_str)
                .collect();
            if missing.is_empty() {
                continue;
            }
            let rel = format!("i18n/{lang}.ftl");
            let how = if l.has_override {
                format!("add it to {rel}")
            } else {
                format!("create {rel}")
            };
            if missing.len() <= MISSING_ONE_BY_ONE {
                for key in missing {
                    let default_text = self.text(default, key, &[]);
                    out.push(
                        Diagnostic::warning(
                            &rel,
                            format!("message `{key}` has no `{lang}` translation: the `{default}` text is used"),
                        )
                        .help(format!("{how} with a line `{key} = …` (the `{default}` text: “{default_text}”)")),
                    );
                }
            } else {
                let shown: Vec<String> = missing
                    .iter()
                    .take(MISSING_LISTED)
                    .map(|k| format!("`{k}`"))
                    .collect();
                let more = missing.len().saturating_sub(MISSING_LISTED);
                let rest = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                out.push(
                    Diagnostic::warning(
                        &rel,
                        format!(
                            "{} messages have no `{lang}` translation, so their `{default}` text is used: {}{rest}",
                            missing.len(),
                            shown.join(", ")
                        ),
                    )
                    .help(format!(
                        "{how} with a line `key = …` for each; dyad's i18n/{default}.ftl lists every message",
                    )),
                );
            }
        }
        out
    }
}

/// Up to this many missing messages of a language are reported one by one.
const MISSING_ONE_BY_ONE: usize = 8;
/// A longer list names this many of them.
const MISSING_LISTED: usize = 12;

#[cfg(test)]
mod tests;
