//! `archive.yaml`: the archive's settings, read and checked into a [`Config`].
//!
//! Reads the same positioned YAML as front matter, so a mistake here is reported like any other
//! (`archive.yaml:3:11: error: …`). Does not look at content files.

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::slug::Scheme;
use crate::source::raw::{Fields, is_bcp47};
use crate::source::yaml;
use std::path::Path;
use url::Url;

/// The archive's settings, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Config {
    /// Site title.
    pub title: String,
    /// One-paragraph description (may be empty).
    pub description: String,
    /// The title in each language that has one written (`title: {en: …, ru: …}`), the
    /// default language's first; `title` is this site's.
    pub titles: Vec<(String, String)>,
    /// The same for the description.
    pub descriptions: Vec<(String, String)>,
    /// Absolute base URL of this site, always ending in `/`: the archive's (`base_url:`), or
    /// `<that>/<lang>/` for a site in a further language.
    pub base_url: Url,
    /// Absolute URL of the whole archive's root (`base_url:`), where the shared files are:
    /// style sheet, icons, downloads, the sitemap.
    pub root_url: Url,
    /// Interface language of this site (BCP 47): the default language (the first of
    /// `languages`), or the language a translated site is built in.
    pub language: String,
    /// Every language the archive is published in, the default first (`languages:` in
    /// archive.yaml; just `language` when that is what it sets). Never empty.
    pub languages: Vec<String>,
    /// The two states, ISO 3166-1 alpha-2 codes, upper case; None when not given.
    pub dyad: Option<[String; 2]>,
    /// How Cyrillic becomes ASCII in slugs.
    pub transliteration: Scheme,
    /// Works per page of a paginated listing (cross pages, facet value pages).
    pub page_size: usize,
    /// The OAI-PMH static repository (`oai.xml`): the gateway that serves it and the
    /// repository's administrator; None when not set up.
    pub oai: Option<Oai>,
}

/// The settings of the OAI-PMH static repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Oai {
    /// The Static Repository Gateway's base URL (`https://gateway.example.org/oai/`).
    pub gateway: Url,
    /// The repository administrator's e-mail address.
    pub admin_email: String,
}

/// The default of `page_size`.
pub(crate) const PAGE_SIZE: usize = 50;

impl Config {
    /// The base URL's path, starting and ending with `/` (`/` or `/rk/`).
    pub fn base_path(&self) -> &str {
        self.base_url.path()
    }

    /// The root URL's path (`/` or `/rk/`): where the files every language shares are.
    pub fn root_path(&self) -> &str {
        self.root_url.path()
    }

    /// Whether this is the site in the archive's default language.
    pub fn is_default_language(&self) -> bool {
        self.language == self.languages[0]
    }
}

const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "languages",
    "dyad",
    "transliteration",
    "page_size",
    "oai_gateway",
    "oai_admin_email",
];
const FILE: &str = "archive.yaml";

/// Normalizes and checks a base URL: absolute http(s), no query, fragment or credentials,
/// ending in `/`.
pub(crate) fn parse_base_url(s: &str) -> Result<Url, String> {
    let mut u = Url::parse(s.trim()).map_err(|e| format!("`{s}` is not an absolute URL ({e})"))?;
    if !matches!(u.scheme(), "http" | "https") || u.host().is_none() {
        return Err(format!("`{s}` is not an http(s) URL"));
    }
    if u.query().is_some() || u.fragment().is_some() {
        return Err(format!("`{s}` has a query or fragment"));
    }
    if !u.username().is_empty() || u.password().is_some() {
        // Every page's canonical link, feed and sitemap would publish them.
        return Err(format!(
            "`{s}` has a user name or password, which every page would publish"
        ));
    }
    if !u.path().ends_with('/') {
        let p = format!("{}/", u.path());
        u.set_path(&p);
    }
    Ok(u)
}

/// Reads `archive.yaml` from `root`. A missing or unreadable file is a content error too.
pub(crate) fn load(root: &Path, diags: &mut Diagnostics) -> Option<Config> {
    let path = root.join(FILE);
    let text = match std::fs::read(&path) {
        Ok(bytes) => match crate::source::decode(FILE, bytes) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                return None;
            }
        },
        Err(e) => {
            diags.push(
                Diagnostic::error(FILE, format!("cannot read the archive settings: {e}"))
                    .help("run dyad in the archive's folder, pass --root DIR, or create one with `dyad init DIR`"),
            );
            return None;
        }
    };
    parse(&text, diags)
}

/// Parses the text of `archive.yaml`.
pub(crate) fn parse(text: &str, diags: &mut Diagnostics) -> Option<Config> {
    let node = match yaml::parse(text, 1) {
        Ok(n) => n,
        Err(e) => {
            diags.push(
                Diagnostic::error(FILE, format!("not valid YAML: {}", e.message))
                    .at(text, e.line, e.col, 1)
                    .maybe_help(e.help.map(String::from)),
            );
            return None;
        }
    };
    let mut f = Fields::new(FILE, text, &node, (1, 1));
    let single = match f.text("language", None) {
        Some(l) if is_bcp47(&l.value) => Some(l.value),
        Some(l) => {
            let n = f.get("language").expect("language was read").clone();
            f.error(
                &n,
                format!("`{}` is not a BCP 47 language tag", l.value),
                Some(crate::source::raw::language_help(&l.value)),
            );
            Some(String::new())
        }
        None => None,
    };
    let languages = read_languages(&mut f, single.is_some());
    let language = single
        .or_else(|| languages.as_ref().and_then(|l| l.first().cloned()))
        .unwrap_or_else(|| "en".to_string());
    let languages = languages.unwrap_or_else(|| vec![language.clone()]);
    let titles = localized(
        &mut f,
        text,
        "title",
        Some("add `title: …`, the archive's name"),
        &languages,
    );
    let descriptions = localized(&mut f, text, "description", None, &languages);
    let title = titles
        .as_ref()
        .and_then(|t| t.first())
        .map(|(_, v)| v.clone());
    let description = descriptions
        .as_ref()
        .and_then(|d| d.first())
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let base_url = f
        .text(
            "base_url",
            Some("add `base_url: https://example.org/archive/`, where the site will be published"),
        )
        .and_then(|b| match parse_base_url(&b.value) {
            Ok(u) => Some(u),
            Err(msg) => {
                let n = f.get("base_url").expect("base_url was read").clone();
                f.error(
                    &n,
                    format!("base_url: {msg}"),
                    Some("write an absolute URL such as `https://example.org/ru-kz/`".into()),
                );
                None
            }
        });
    let dyad = f.list("dyad").and_then(|codes| {
        let ok = codes.len() == 2
            && codes
                .iter()
                .all(|c| c.value.len() == 2 && c.value.chars().all(|ch| ch.is_ascii_alphabetic()))
            && !codes[0].value.eq_ignore_ascii_case(&codes[1].value);
        if ok {
            for c in &codes {
                if !is_state_code(&c.value) {
                    f.warn_at(
                        c,
                        format!("`{}` is not an ISO 3166-1 alpha-2 code", c.value),
                        Some(STATE_CODE_HELP.into()),
                    );
                }
            }
            Some([
                codes[0].value.to_ascii_uppercase(),
                codes[1].value.to_ascii_uppercase(),
            ])
        } else {
            let n = f.get("dyad").expect("dyad was read").clone();
            f.error(
                &n,
                "`dyad` must name two different states".into(),
                Some("write two ISO 3166-1 alpha-2 codes, e.g. `dyad: [RU, KZ]`".into()),
            );
            None
        }
    });
    let transliteration = match f.text("transliteration", None) {
        None => Scheme::BgnPcgn,
        Some(t) => match t.value.parse::<Scheme>() {
            Ok(s) => s,
            Err(_) => {
                let n = f.get("transliteration").expect("read").clone();
                f.error(
                    &n,
                    format!("unknown transliteration `{}`", t.value),
                    Some("use one of: bgn-pcgn, icao, gost-7.79-b".into()),
                );
                Scheme::BgnPcgn
            }
        },
    };
    let page_size = match f.text("page_size", None) {
        None => PAGE_SIZE,
        Some(t) => match t.value.parse::<usize>() {
            Ok(n) if (1..=1000).contains(&n) => n,
            _ => {
                let n = f.get("page_size").expect("read").clone();
                f.error(
                    &n,
                    format!(
                        "`page_size` must be a whole number from 1 to 1000, not `{}`",
                        t.value
                    ),
                    Some(format!("write e.g. `page_size: {PAGE_SIZE}` (the default)")),
                );
                PAGE_SIZE
            }
        },
    };
    let gateway = f.text("oai_gateway", None);
    let email = f.text("oai_admin_email", None);
    let oai = match (gateway, email) {
        (None, None) => None,
        (Some(g), Some(e)) => {
            let gateway = match parse_base_url(&g.value) {
                Ok(u) => Some(u),
                Err(msg) => {
                    let n = f.get("oai_gateway").expect("read").clone();
                    f.error(
                        &n,
                        format!("oai_gateway: {msg}"),
                        Some(
                            "write the gateway's base URL, e.g. `https://gateway.example.org/oai/`"
                                .into(),
                        ),
                    );
                    None
                }
            };
            let valid_email = {
                let v = e.value.trim();
                let (user, domain) = v.split_once('@').unwrap_or(("", ""));
                !user.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !v.contains(char::is_whitespace)
            };
            if !valid_email {
                let n = f.get("oai_admin_email").expect("read").clone();
                f.error(
                    &n,
                    format!("`{}` is not an e-mail address", e.value),
                    Some("write the address of the archive's administrator, e.g. `editor@example.org`".into()),
                );
            }
            gateway.filter(|_| valid_email).map(|gateway| Oai {
                gateway,
                admin_email: e.value.trim().to_string(),
            })
        }
        (Some(_), None) | (None, Some(_)) => {
            let (have, missing) = if f.get("oai_gateway").is_some() {
                ("oai_gateway", "oai_admin_email")
            } else {
                ("oai_admin_email", "oai_gateway")
            };
            let n = f.get(have).expect("read").clone();
            f.error(
                &n,
                format!("`{have}` needs `{missing}` too: an OAI-PMH static repository needs both"),
                Some(format!("add `{missing}: …`, or remove `{have}`")),
            );
            None
        }
    };
    f.finish(KEYS);
    let failed = f.failed;
    diags.extend(f.diags);
    if failed {
        return None;
    }
    Some(Config {
        title: title?,
        description,
        titles: titles.unwrap_or_default(),
        descriptions: descriptions.unwrap_or_default(),
        root_url: base_url.clone()?,
        base_url: base_url?,
        language,
        languages,
        dyad,
        transliteration,
        page_size,
        oai,
    })
}

/// A text setting written once (`title: Russia–Kazakhstan Relations`, the default
/// language's) or per language (`title: {en: …, ru: …, kk: …}`, the default language's
/// required): `(language, text)` pairs, the default language's first. None when absent (or
/// wrong, reported).
fn localized(
    f: &mut Fields<'_>,
    text: &str,
    key: &str,
    required: Option<&str>,
    languages: &[String],
) -> Option<Vec<(String, String)>> {
    let node = f.get(key);
    let Some(node) = node.filter(|n| matches!(n.kind, crate::source::yaml::Kind::Map(_))) else {
        return f
            .text(key, required)
            .map(|t| vec![(languages[0].clone(), t.value)]);
    };
    let mut sub = Fields::new(FILE, text, node, (node.line, node.col));
    let mut out = Vec::new();
    for lang in languages {
        if let Some(t) = sub.text(lang, None) {
            out.push((lang.clone(), t.value));
        }
    }
    if out.first().is_none_or(|(l, _)| *l != languages[0]) {
        sub.error(
            node,
            format!(
                "`{key}` has no text for the default language `{}`",
                languages[0]
            ),
            Some(format!("add `{}: …` under `{key}`", languages[0])),
        );
    }
    sub.finish(&languages.iter().map(String::as_str).collect::<Vec<_>>());
    let failed = sub.failed;
    f.diags.extend(sub.diags);
    if failed {
        f.failed = true;
        return None;
    }
    Some(out)
}

/// `languages: [en, ru, kk]`: BCP 47 tags, the default first, no tag twice; None when not
/// given. `language` set too is an error (`languages` replaces it).
fn read_languages(f: &mut Fields<'_>, have_single: bool) -> Option<Vec<String>> {
    let node = f.get("languages")?.clone();
    if have_single {
        f.error(
            &node,
            "`language` and `languages` are both set".into(),
            Some(
                "keep only `languages: [..]` (its first language is the default) and remove `language`"
                    .into(),
            ),
        );
        return None;
    }
    let tags = f.list("languages")?;
    let mut out: Vec<String> = Vec::new();
    let mut ok = true;
    for t in &tags {
        let v = t.value.trim();
        if !is_bcp47(v) {
            f.error(
                &node,
                format!("`languages`: `{v}` is not a BCP 47 language tag"),
                Some(match crate::source::raw::language_tag(v) {
                    Some(tag) => format!("write `{tag}`, the BCP 47 tag for `{v}`"),
                    None => "write e.g. `languages: [en, ru, kk]`".into(),
                }),
            );
            ok = false;
        } else if out.iter().any(|o| o.eq_ignore_ascii_case(v)) {
            f.error(
                &node,
                format!("`languages`: `{v}` is listed twice"),
                Some("list each language once, the default first".into()),
            );
            ok = false;
        } else {
            out.push(v.to_string());
        }
    }
    if tags.is_empty() {
        f.error(
            &node,
            "`languages` is empty".into(),
            Some("list at least one language, the default first: `languages: [en]`".into()),
        );
        ok = false;
    }
    (ok && !out.is_empty()).then_some(out)
}

/// The ISO 3166-1 alpha-2 codes of states and territories (the 249 assigned codes, from
/// Debian's iso-codes 4.15), then the codes of former states still used for them (SU, DD,
/// YU, CS, ZR, TP, BU, AN, NT) and XK (Kosovo, user-assigned but in wide use), so that an
/// archive on, say, Soviet–American relations needs no invented code.
const STATE_CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH \
    BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX \
    CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM \
    GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG \
    KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN \
    MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK \
    PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST \
    SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI \
    VN VU WF WS YE YT ZA ZM ZW \
    SU DD YU CS ZR TP BU AN NT XK";

/// What `dyad:` and `dyad init --dyad` accept, for their messages.
pub(crate) const STATE_CODE_HELP: &str = "write the ISO 3166-1 alpha-2 code of each state, e.g. `dyad: [RU, KZ]`; former states' codes (SU, DD, YU, CS) are accepted too";

/// Whether `code` (any case) is one of [`STATE_CODES`].
pub(crate) fn is_state_code(code: &str) -> bool {
    code.len() == 2
        && STATE_CODES
            .split_ascii_whitespace()
            .any(|c| c.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_description_may_be_written_per_language() {
        let mut d = Diagnostics::new();
        let c = parse(
            "title:\n  en: Relations\n  ru: Отношения\ndescription: {en: About, kk: Туралы}\nbase_url: https://e.org/\nlanguages: [en, ru, kk]\n",
            &mut d,
        )
        .unwrap();
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(c.title, "Relations");
        let ru = crate::model::translate::config_for(&c, "ru");
        assert_eq!(
            (ru.title.as_str(), ru.description.as_str()),
            ("Отношения", "About")
        );
        let kk = crate::model::translate::config_for(&c, "kk");
        assert_eq!(
            (kk.title.as_str(), kk.description.as_str()),
            ("Relations", "Туралы")
        );
        assert_eq!(
            crate::model::translate::config_for(&kk, "en").title,
            "Relations"
        );
        // The default language's text is required; a language not listed is a warning.
        let mut d = Diagnostics::new();
        let c = parse(
            "title: {ru: Отношения}\nbase_url: https://e.org/\nlanguages: [en, ru]\n",
            &mut d,
        );
        assert!(c.is_none());
        assert!(
            d.iter()
                .any(|x| x.message.contains("no text for the default language `en`"))
        );
        let mut d = Diagnostics::new();
        parse(
            "title: {en: R, de: B}\nbase_url: https://e.org/\nlanguages: [en, ru]\n",
            &mut d,
        )
        .unwrap();
        assert!(
            d.iter().any(|x| x.message.contains("unknown field `de`")),
            "{d:?}"
        );
    }

    #[test]
    fn languages_lists_the_default_first_and_replaces_language() {
        let base = "title: T\nbase_url: https://e.org/\n";
        let mut d = Diagnostics::new();
        let c = parse(&format!("{base}languages: [en, ru, kk]\n"), &mut d).unwrap();
        assert_eq!(c.language, "en");
        assert_eq!(c.languages, ["en", "ru", "kk"]);
        let c = parse(&format!("{base}language: ru\n"), &mut d).unwrap();
        assert_eq!(
            (c.language.as_str(), c.languages.as_slice()),
            ("ru", &["ru".to_string()][..])
        );
        let c = parse(base, &mut d).unwrap();
        assert_eq!(c.languages, ["en"]);
        assert!(!d.has_errors());
        for (bad, says) in [
            ("language: en\nlanguages: [en, ru]\n", "both set"),
            ("languages: [en, ru, en]\n", "listed twice"),
            ("languages: [en, 'r u']\n", "not a BCP 47"),
            ("languages: []\n", "empty"),
        ] {
            let mut d = Diagnostics::new();
            assert!(parse(&format!("{base}{bad}"), &mut d).is_none(), "{bad}");
            let text = d
                .iter()
                .map(|x| x.message.clone())
                .collect::<Vec<_>>()
                .join("\n");
            assert!(text.contains(says), "{bad}: {text}");
            assert!(d.iter().all(|x| x.span.is_some()), "{bad}: positioned");
        }
    }

    #[test]
    fn page_size_defaults_to_50_and_must_be_a_positive_whole_number() {
        let mut d = Diagnostics::new();
        let c = parse("title: T\nbase_url: https://e.org/\n", &mut d).unwrap();
        assert_eq!(c.page_size, 50);
        let c = parse(
            "title: T\nbase_url: https://e.org/\npage_size: 20\n",
            &mut d,
        )
        .unwrap();
        assert_eq!(c.page_size, 20);
        for bad in ["0", "-3", "2.5", "many", "5000"] {
            let mut d = Diagnostics::new();
            let c = parse(
                &format!("title: T\nbase_url: https://e.org/\npage_size: {bad}\n"),
                &mut d,
            );
            assert!(c.is_none() && d.has_errors(), "{bad} was accepted");
            let msg = d.iter().next().unwrap().message.clone();
            assert!(msg.contains("page_size") && msg.contains(bad), "{msg}");
        }
    }

    #[test]
    fn reads_a_full_config() {
        let mut d = Diagnostics::new();
        let c = parse(
            "title: RK\nbase_url: https://example.org/rk\ndyad: [ru, KZ]\ntransliteration: icao\n",
            &mut d,
        )
        .unwrap();
        assert!(d.is_empty());
        assert_eq!(c.base_path(), "/rk/");
        assert_eq!(c.language, "en");
        assert_eq!(c.dyad, Some(["RU".to_string(), "KZ".to_string()]));
        assert_eq!(c.transliteration, Scheme::Icao);
    }

    #[test]
    fn the_oai_repository_needs_a_gateway_and_an_admin_email() {
        let base = "title: T\nbase_url: https://e.org/rk/\n";
        let mut d = Diagnostics::new();
        let c = parse(
            &format!("{base}oai_gateway: https://gw.example.org/oai\noai_admin_email: ed@e.org\n"),
            &mut d,
        )
        .unwrap();
        let oai = c.oai.unwrap();
        assert_eq!(oai.gateway.as_str(), "https://gw.example.org/oai/");
        assert_eq!(oai.admin_email, "ed@e.org");
        assert!(parse(base, &mut d).unwrap().oai.is_none());
        for (extra, says) in [
            ("oai_gateway: https://gw.org/\n", "needs `oai_admin_email`"),
            ("oai_admin_email: ed@e.org\n", "needs `oai_gateway`"),
            (
                "oai_gateway: https://gw.org/\noai_admin_email: nobody\n",
                "not an e-mail address",
            ),
            (
                "oai_gateway: gw.org\noai_admin_email: ed@e.org\n",
                "oai_gateway",
            ),
        ] {
            let mut d = Diagnostics::new();
            assert!(
                parse(&format!("{base}{extra}"), &mut d).is_none(),
                "{extra}"
            );
            let m = &d.iter().next().unwrap().message;
            assert!(m.contains(says), "{m}");
        }
    }

    #[test]
    fn reports_every_problem() {
        let mut d = Diagnostics::new();
        assert!(parse("base_url: /relative\ndyad: [RU]\nlanguag: en\n", &mut d).is_none());
        let m: Vec<_> = d.sorted().iter().map(|d| d.message.clone()).collect();
        assert_eq!(m.len(), 4, "{m:?}");
        assert!(m[0].contains("missing required field `title`"));
        assert!(m[1].contains("base_url"));
        assert!(m[2].contains("two different states"));
        assert!(m[3].contains("unknown field `languag`"));
    }

    #[test]
    fn dyad_codes_are_iso_3166_or_a_former_state() {
        for (dyad, warned) in [
            ("[RU, KZ]", None),
            ("[su, us]", None),
            ("[DD, XK]", None),
            ("[RU, KA]", Some("`KA` is not an ISO 3166-1 alpha-2 code")),
        ] {
            let mut d = Diagnostics::new();
            let c = parse(
                &format!("title: T\nbase_url: https://e.org/\ndyad: {dyad}\n"),
                &mut d,
            );
            assert_eq!(
                c.and_then(|c| c.dyad).map(|d| d.join("-")),
                Some(
                    dyad[1..dyad.len() - 1]
                        .to_ascii_uppercase()
                        .replace(", ", "-")
                )
            );
            let w: Vec<_> = d
                .iter()
                .map(|d| (d.is_error(), d.message.as_str(), d.span.map(|s| s.col)))
                .collect();
            match warned {
                None => assert!(w.is_empty(), "{w:?}"),
                Some(m) => assert_eq!(w, [(false, m, Some(12))]),
            }
        }
        assert!(
            is_state_code("kz")
                && is_state_code("SU")
                && !is_state_code("XX")
                && !is_state_code("K")
        );
    }

    #[test]
    fn a_base_url_is_http_without_query_fragment_or_credentials() {
        let ok = parse_base_url("https://example.org/rk").unwrap();
        assert_eq!(ok.as_str(), "https://example.org/rk/");
        for (bad, why) in [
            ("ftp://example.org/", "http(s)"),
            ("javascript:alert(1)", "http(s)"),
            ("https://example.org/?q=1", "query or fragment"),
            ("https://user:secret@example.org/", "user name or password"),
            ("https://user@example.org/", "user name or password"),
            ("example.org", "not an absolute URL"),
        ] {
            let e = parse_base_url(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
