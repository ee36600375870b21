//! Translations: `foo.ru.md` beside `foo.md` is the Russian version of the same work (or
//! period, sphere, page). It has its own title and body; everything else is the original's.
//!
//! The site in each further language is assembled from [`localize`]d files: every file with a
//! translation into that language is replaced by the translation merged over it, and the
//! others stay as they are (shown in their own language, marked by their
//! `abstract_language`). So every page exists in every language and the slugs are shared: the
//! URLs differ only by the language prefix.

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Drafts;
use crate::source::raw::{At, RawTranslation};
use crate::source::{Parsed, Record, translation_of};
use std::collections::HashMap;
use std::sync::Arc;

/// The translations of `files` into `lang` by original: `content/x/foo.md` → `foo.ru.md`'s
/// parse.
fn translations_into<'a>(
    files: &'a [Arc<Parsed>],
    lang: &str,
    drafts: Drafts,
) -> HashMap<String, (&'a Arc<Parsed>, &'a RawTranslation)> {
    let langs = [lang.to_string()];
    files
        .iter()
        .filter_map(|p| match &p.record {
            Some(Record::Translation(t))
                if t.lang == lang && (!t.draft || drafts == Drafts::Include) =>
            {
                let (original, _) = translation_of(&p.rel, &langs)?;
                Some((original, (p, t)))
            }
            _ => None,
        })
        .collect()
}

/// Reports translations that translate nothing (`foo.ru.md` without `foo.md`), and files
/// named like a version of another in a language the archive does not list (`foo.en.md` of
/// the default language, `foo.de.md` without `de` in `languages`).
pub(crate) fn check(files: &[Arc<Parsed>], config: &Config, diags: &mut Diagnostics) {
    let by_rel: HashMap<&str, &Parsed> = files.iter().map(|p| (p.rel.as_str(), &**p)).collect();
    let listed = config.languages.join(", ");
    for p in files {
        if let Some(Record::Translation(t)) = &p.record {
            let (original, _) = translation_of(&p.rel, std::slice::from_ref(&t.lang))
                .expect("a translation's name says so");
            match by_rel.get(original.as_str()) {
                None => diags.push(
                    Diagnostic::error(
                        &p.rel,
                        format!(
                            "this `{}` translation has no original: `{original}` does not exist",
                            t.lang
                        ),
                    )
                    .help(format!(
                        "a translation sits beside the file it translates and has its name plus the language (`foo.{}.md` beside `foo.md`); create `{original}` or rename this file",
                        t.lang
                    )),
                ),
                Some(o) if matches!(o.record, Some(Record::Translation(_))) => {}
                Some(_) => {}
            }
            continue;
        }
        // `foo.xx.md` beside `foo.md`, where `xx` looks like a language but is not one of the
        // archive's further languages: almost surely a translation that would be published
        // as a second work.
        let Some(stem) = p.rel.strip_suffix(".md") else {
            continue;
        };
        let Some((base, suffix)) = stem.rsplit_once('.') else {
            continue;
        };
        let looks_like_language =
            (2..=3).contains(&suffix.len()) && suffix.chars().all(|c| c.is_ascii_lowercase());
        // A translation whose front matter failed: its errors are reported already.
        let translation = config.languages[1..].iter().any(|l| l == suffix);
        if translation
            || !looks_like_language
            || !by_rel.contains_key(format!("{base}.md").as_str())
        {
            continue;
        }
        let name = p.rel.rsplit('/').next().unwrap_or(&p.rel);
        let d = if suffix == config.languages[0] {
            Diagnostic::error(
                &p.rel,
                format!(
                    "`{suffix}` is the archive's default language: its version of this work is `{}.md`",
                    base.rsplit('/').next().unwrap_or(base)
                ),
            )
            .help(format!("merge `{name}` into that file, or remove it"))
        } else {
            Diagnostic::error(
                &p.rel,
                format!(
                    "`{name}` looks like a `{suffix}` translation, but `{suffix}` is not one of the archive's languages ({listed})"
                ),
            )
            .help(format!(
                "add `{suffix}` to `languages` in archive.yaml, or rename the file if it is a work of its own"
            ))
        };
        diags.push(d);
    }
}

/// The files of the site in `lang` (one of the archive's further languages): each original
/// with a translation into `lang` is replaced by the translation merged over it (named as
/// the translation, so problems in its body point at it). Works without one keep their text
/// and get their `abstract_language` written out (`default` when they did not say), so
/// listings can mark them. Translations themselves are left out. Also returns, for links
/// between files, each translation's path under `content/` and its original's.
pub(crate) fn localize(
    files: &[Arc<Parsed>],
    lang: &str,
    default: &str,
    drafts: Drafts,
) -> (Vec<Arc<Parsed>>, Vec<(String, String)>) {
    let translations = translations_into(files, lang, drafts);
    let mut out = Vec::with_capacity(files.len());
    let mut renamed = Vec::new();
    for p in files {
        let record = match &p.record {
            Some(Record::Translation(_)) | None => continue,
            Some(r) => r,
        };
        let Some((t, tr)) = translations.get(&p.rel) else {
            match record {
                Record::Abstract(a) if a.abstract_language.is_none() && a.language.is_none() => {
                    let mut a = a.clone();
                    a.abstract_language = Some(At {
                        value: default.to_string(),
                        line: a.title.line,
                        col: a.title.col,
                        len: 0,
                    });
                    let mut q = Parsed::clone(p);
                    q.record = Some(Record::Abstract(a));
                    out.push(Arc::new(q));
                }
                _ => out.push(Arc::clone(p)),
            }
            continue;
        };
        let title = tr.title.as_ref().map(|t| t.value.clone());
        let merged = match record {
            Record::Abstract(a) => {
                let mut a = a.clone();
                if let Some(t) = &tr.title {
                    a.original_title = Some(std::mem::replace(&mut a.title, t.clone()).value);
                }
                if let Some(k) = &tr.keywords {
                    a.keywords = k.clone();
                }
                a.abstract_language = Some(At {
                    value: lang.to_string(),
                    line: a.title.line,
                    col: a.title.col,
                    len: 0,
                });
                Record::Abstract(a)
            }
            Record::Period(r) => {
                let mut r = r.clone();
                r.title = title.unwrap_or(r.title);
                Record::Period(r)
            }
            Record::Sphere(r) => {
                let mut r = r.clone();
                r.title = title.unwrap_or(r.title);
                Record::Sphere(r)
            }
            Record::Page(r) => {
                let mut r = r.clone();
                r.title = title.unwrap_or(r.title);
                Record::Page(r)
            }
            Record::Translation(_) => unreachable!("skipped above"),
        };
        let strip = |rel: &str| rel.strip_prefix("content/").unwrap_or(rel).to_string();
        renamed.push((strip(&t.rel), strip(&p.rel)));
        out.push(Arc::new(Parsed {
            rel: t.rel.clone(),
            section: p.section,
            record: Some(merged),
            body: t.body.clone(),
            body_line: t.body_line,
            text: Arc::clone(&t.text),
            diags: Vec::new(),
        }));
    }
    (out, renamed)
}

/// Where the site in `lang` lives: the default language at the base URL, the others under
/// `<base>/<lang>/`.
pub(crate) fn config_for(config: &Config, lang: &str) -> Config {
    let mut c = config.clone();
    c.base_url = if lang == config.languages[0] {
        config.root_url.clone()
    } else {
        config
            .root_url
            .join(&format!("{lang}/"))
            .expect("a language tag is a valid path segment")
    };
    c.language = lang.to_string();
    let pick = |texts: &[(String, String)], fallback: &str| {
        texts
            .iter()
            .find(|(l, _)| l == lang)
            .map_or_else(|| fallback.to_string(), |(_, t)| t.clone())
    };
    let default = &config.languages[0];
    let default_title = pick_default(&config.titles, default, &config.title);
    let default_description = pick_default(&config.descriptions, default, &config.description);
    c.title = pick(&config.titles, &default_title);
    c.description = pick(&config.descriptions, &default_description);
    c
}

/// The default language's text of a setting written per language.
fn pick_default(texts: &[(String, String)], default: &str, current: &str) -> String {
    texts
        .iter()
        .find(|(l, _)| l == default)
        .map_or_else(|| current.to_string(), |(_, t)| t.clone())
}

/// A language's own name for itself (`Русский`, `Қазақша`), for language switchers and
/// marks; the tag itself for languages not listed here.
pub(crate) fn autonym(tag: &str) -> String {
    let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    let name = match primary.as_str() {
        "en" => "English",
        "ru" => "Русский",
        "kk" => "Қазақша",
        "uk" => "Українська",
        "be" => "Беларуская",
        "ky" => "Кыргызча",
        "uz" => "Oʻzbekcha",
        "tg" => "Тоҷикӣ",
        "tk" => "Türkmençe",
        "az" => "Azərbaycanca",
        "hy" => "Հայերեն",
        "ka" => "ქართული",
        "mn" => "Монгол",
        "tt" => "Татарча",
        "zh" => "中文",
        "de" => "Deutsch",
        "fr" => "Français",
        "es" => "Español",
        "it" => "Italiano",
        "pl" => "Polski",
        "tr" => "Türkçe",
        "fa" => "فارسی",
        "ar" => "العربية",
        "ja" => "日本語",
        "ko" => "한국어",
        _ => return tag.to_string(),
    };
    name.to_string()
}
