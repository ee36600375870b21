//! A multilingual archive (`tests/fixtures/multilingual`: the basic archive with
//! `languages: [en, ru, kk]` and some translations): a site per language, hreflang and the
//! language switch, marked fallbacks, and the errors of translation files.

use crate::support::*;
use scraper::{Html, Selector};
use std::collections::BTreeMap;

const LANGS: [&str; 3] = ["en", "ru", "kk"];

/// The language prefix of an output file (`ru/x/index.html` → "ru"), "en" at the root.
fn language_of(file: &str) -> &'static str {
    LANGS[1..]
        .iter()
        .find(|l| file.starts_with(&format!("{l}/")))
        .copied()
        .unwrap_or("en")
}

/// The file relative to its language's site (`ru/x/index.html` → `x/index.html`).
fn unprefixed(file: &str) -> &str {
    let l = language_of(file);
    if l == "en" {
        file
    } else {
        &file[l.len() + 1..]
    }
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

/// Pages that exist once, at the root: the 404 page and redirects.
fn root_only(html: &str) -> bool {
    html.contains("http-equiv=\"refresh\"")
        || html.contains("<meta name=\"robots\" content=\"noindex\">") && html.contains("404")
}

#[test]
fn every_page_exists_in_every_language_with_the_right_lang() {
    let site = fixture("multilingual");
    site.build_ok(&[]);
    let pages = html_pages(&site.out);
    let mut per_lang: BTreeMap<&str, usize> = BTreeMap::new();
    for (file, html) in &pages {
        let lang = language_of(file);
        if !unprefixed(file).starts_with("keywords/") && !root_only(html) {
            *per_lang.entry(lang).or_default() += 1;
        }
        let doc = Html::parse_document(html);
        let html_lang = select(&doc, "html")[0].value().attr("lang").unwrap_or("");
        // The Russian translation spells its keywords in Russian: those keyword pages differ
        // (see the hreflang test). Every other page exists in every language.
        if !file.starts_with("keywords/") && lang == "en" && !root_only(html) {
            for other in &LANGS[1..] {
                assert!(
                    pages.contains_key(&format!("{other}/{file}")),
                    "{file} has no {other} version"
                );
            }
        }
        if !root_only(html) {
            assert_eq!(html_lang, lang, "{file}: <html lang>");
        }
    }
    assert!(
        per_lang["ru"] > 20 && per_lang["ru"] == per_lang["kk"] && per_lang["ru"] == per_lang["en"],
        "{per_lang:?}"
    );
}

#[test]
fn hreflang_alternates_and_the_language_switch_resolve() {
    let site = fixture("multilingual");
    site.build_ok(&[]);
    let pages = html_pages(&site.out);
    let (mut checked, mut fallbacks) = (0, 0);
    for (file, html) in &pages {
        if root_only(html) {
            continue;
        }
        let doc = Html::parse_document(html);
        let alternates = select(&doc, "link[rel=alternate][hreflang]");
        let langs: Vec<&str> = alternates
            .iter()
            .map(|l| l.value().attr("hreflang").unwrap())
            .collect();
        // Every language the same page exists in, no other.
        let mut expected = Vec::new();
        for l in LANGS {
            let there = if l == "en" {
                unprefixed(file).to_string()
            } else {
                format!("{l}/{}", unprefixed(file))
            };
            if pages.contains_key(&there) {
                expected.push(l);
                if l == "en" {
                    expected.push("x-default");
                }
            }
        }
        assert_eq!(langs, expected, "{file}");
        assert!(langs.contains(&language_of(file)), "{file}: itself");
        for link in &alternates {
            let href = link.value().attr("href").unwrap();
            let path = href
                .strip_prefix("https://example.org")
                .unwrap_or_else(|| panic!("{file}: absolute alternate {href}"));
            let target = url_file(path).unwrap();
            assert!(
                pages.contains_key(&target),
                "{file}: hreflang {href} → {target} missing"
            );
            let lang = link.value().attr("hreflang").unwrap();
            let lang = if lang == "x-default" { "en" } else { lang };
            assert_eq!(language_of(&target), lang, "{file}: {href}");
            assert_eq!(
                unprefixed(&target),
                unprefixed(file),
                "{file}: the same page"
            );
        }
        // The switch: the other two languages, each leading to the same page.
        let switch = select(&doc, ".language-switch a");
        assert_eq!(switch.len(), 2, "{file}");
        for a in switch {
            let href = a.value().attr("href").unwrap();
            let target = url_file(href).unwrap();
            assert!(pages.contains_key(&target), "{file}: switch {href} missing");
            assert_ne!(language_of(&target), language_of(file));
            if langs.contains(&a.value().attr("hreflang").unwrap()) {
                assert_eq!(
                    unprefixed(&target),
                    unprefixed(file),
                    "{file}: the same page"
                );
            } else {
                // No such page in that language: its home.
                assert_eq!(unprefixed(&target), "index.html", "{file}");
                assert!(a.value().attr("data-home").is_some());
                fallbacks += 1;
            }
        }
        let current = select(&doc, ".language-switch [aria-current]");
        assert_eq!(current.len(), 1);
        checked += 1;
    }
    assert!(checked > 60, "{checked}");
    // `energy` and `pipelines` have no Russian pages, `энергетика` and `трубопроводы` no
    // English or Kazakh ones.
    assert!(fallbacks >= 4, "{fallbacks}");
    assert!(
        pages
            .keys()
            .any(|k| k.starts_with("ru/keywords/truboprovody")),
        "the Russian keyword has its page"
    );
}

#[test]
fn translations_replace_titles_and_bodies_and_fallbacks_are_marked() {
    let site = fixture("multilingual");
    site.build_ok(&[]);
    let ru = site.read_out("ru/abstracts/oil-and-gas/index.html");
    assert!(ru.contains("<h1 lang=\"ru\">Нефтегазовое сотрудничество в Каспийском регионе</h1>"));
    assert!(ru.contains("Исследование нефтегазового сотрудничества"));
    assert!(!ru.contains("untranslated-note"));
    // A citation names the work by its own title, in every language.
    assert!(ru.contains("Oil and gas cooperation in the Caspian region"));
    let kk = site.read_out("kk/abstracts/oil-and-gas/index.html");
    assert!(kk.contains("Каспий өңіріндегі мұнай-газ ынтымақтастығы"));
    // CSL has no Kazakh locale: the Kazakh page says which language each reference is in.
    assert!(kk.contains("GOST R 7.0.5-2008 <span class=\"reference-language\" lang=\"ru\">"));
    assert!(kk.contains("APA 7 <span class=\"reference-language\" lang=\"en\">"));
    assert!(
        !ru.contains("reference-language"),
        "Russian and English have CSL locales"
    );
    // Not translated into Kazakh: shown in English, marked, in the Kazakh site.
    let kk_customs = site.read_out("kk/abstracts/customs-union/index.html");
    assert!(kk_customs.contains("<html lang=\"kk\">"));
    assert!(kk_customs.contains("untranslated-note"), "the page says so");
    let listing = site.read_out("kk/spheres/economic/index.html");
    let doc = Html::parse_document(&listing);
    let items = select(&doc, "li.summary");
    assert!(!items.is_empty());
    for item in items {
        let title = select_in(&item, ".summary-title a")[0]
            .text()
            .collect::<String>();
        let marked = !select_in(&item, ".badge-lang").is_empty();
        let translated = title.contains("мұнай-газ");
        assert_eq!(marked, !translated, "{title}: marked iff untranslated");
        if marked {
            assert_eq!(
                select_in(&item, ".badge-lang")[0].value().attr("lang"),
                Some("en")
            );
        }
    }
    // Slugs are shared: the URL differs only by the prefix.
    assert!(listing.contains("href=\"/rk/kk/abstracts/oil-and-gas/\""));
    // Translated periods, spheres and pages.
    assert!(site.read_out("ru/periods/index.html").contains("(RU)"));
    assert!(
        site.read_out("kk/about/index.html")
            .contains("Архив туралы")
    );
    // The shared downloads are written once, at the root, and linked from every language.
    assert!(ru.contains("href=\"/rk/abstracts/oil-and-gas/oil-and-gas.bib\""));
    assert!(
        !site
            .out
            .join("ru/abstracts/oil-and-gas/oil-and-gas.bib")
            .exists()
    );
    assert!(!site.out.join("ru/data").exists());
    assert!(ru.contains("href=\"/rk/style.css?v="));
}

fn select_in<'a>(e: &scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    e.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn feeds_sitemaps_and_search_exist_per_language() {
    let site = fixture("multilingual");
    site.build_ok(&[]);
    let robots = site.read_out("robots.txt");
    for l in ["", "ru/", "kk/"] {
        assert!(
            robots.contains(&format!("Sitemap: https://example.org/rk/{l}sitemap.xml")),
            "{robots}"
        );
        let sitemap = site.read_out(&format!("{l}sitemap.xml"));
        assert!(sitemap.contains(&format!("https://example.org/rk/{l}abstracts/oil-and-gas/")));
        let feed = site.read_out(&format!("{l}atom.xml"));
        assert!(feed.contains(&format!("https://example.org/rk/{l}abstracts/oil-and-gas/")));
        assert!(
            site.out.join(format!("{l}pagefind")).is_dir(),
            "{l}pagefind"
        );
        assert!(
            site.out
                .join(format!("{l}periods/formation/atom.xml"))
                .is_file()
        );
    }
    let ru_feed = site.read_out("ru/atom.xml");
    assert!(ru_feed.contains("Нефтегазовое сотрудничество"));
    // A sphere-within-period feed is titled in its site's language.
    let title = |file: &str| {
        let feed = site.read_out(file);
        let start = feed.find("<title>").unwrap() + "<title>".len();
        feed[start..start + feed[start..].find("</title>").unwrap()].to_string()
    };
    assert_eq!(
        title("periods/partnership/economic/atom.xml"),
        "Economic in Partnership — Russia and Kazakhstan — a test archive"
    );
    assert_eq!(
        title("ru/periods/partnership/economic/atom.xml"),
        "Economic (RU) — Partnership (RU) — Russia and Kazakhstan — a test archive"
    );
    // The Russian search page searches the Russian site's index.
    let search = site.read_out("ru/search/index.html");
    assert!(search.contains("/rk/ru/pagefind/"), "per-language index");
}

#[test]
fn translation_files_are_checked() {
    let site = fixture("multilingual");
    site.write(
        "content/abstracts/2019/orphan.ru.md",
        "---\ntitle: Сирота\n---\nТекст.\n",
    );
    site.write(
        "content/abstracts/2015/customs-union.kk.md",
        "---\ntitle: Кеден одағы\nauthors: [Someone]\n---\nМәтін.\n",
    );
    site.write(
        "content/abstracts/2023/migration.de.md",
        "---\ntitle: Migration\n---\nText.\n",
    );
    site.write(
        "content/abstracts/2023/migration.en.md",
        "---\ntitle: Migration\n---\nText.\n",
    );
    let r = site.check(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let lines = diagnostic_lines(&r.stderr);
    let has = |path: &str, says: &str| {
        assert!(
            lines.iter().any(|l| l.contains(path) && l.contains(says)),
            "no `{says}` for {path} in:\n{}",
            r.stderr
        )
    };
    has("2019/orphan.ru.md", "has no original");
    has(
        "2015/customs-union.kk.md:3:1",
        "`authors` cannot be set in a translation",
    );
    has(
        "2023/migration.de.md",
        "`de` is not one of the archive's languages",
    );
    has("2023/migration.en.md", "default language");
    // All reported at once, and a failed build leaves no output.
    let b = site.build(&[]);
    assert_eq!(b.code, 1);
    assert!(!site.out.exists());
}

#[test]
fn language_and_languages_together_are_an_error() {
    let site = fixture("multilingual");
    site.add_setting("language: en");
    let r = site.check(&[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("`language` and `languages` are both set"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_page_in_a_language_folder_is_refused() {
    let site = fixture("multilingual");
    site.write("content/pages/ru.md", "---\ntitle: RU\n---\nx\n");
    let r = site.check(&[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("content/pages/ru.md"), "{}", r.stderr);
    assert!(r.stderr.contains("inside `/ru/`"), "{}", r.stderr);
}

/// Text of the first `p.page-meta` of a page, white space collapsed.
fn page_meta(html: &str) -> String {
    let doc = Html::parse_document(html);
    let meta = select(&doc, "main p.page-meta")
        .into_iter()
        .next()
        .expect("a page-meta line");
    meta.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn russian_counts_take_the_plural_form_of_their_number() {
    let site = fixture("multilingual");
    // Spheres holding 0, 1, 2, 5 and 21 works: work n belongs to every sphere of size >= n.
    let sizes = [0usize, 1, 2, 5, 21];
    for size in sizes {
        site.write(
            &format!("content/spheres/n{size}.md"),
            &format!("---\ntitle: Sphere of {size}\n---\n"),
        );
    }
    for n in 1..=21 {
        let spheres: Vec<String> = sizes
            .iter()
            .filter(|&&s| s >= n)
            .map(|s| format!("n{s}"))
            .collect();
        site.write(
            &format!("content/abstracts/plural/work-{n}.md"),
            &format!(
                "---\ntitle: Work {n}\nauthors: [Author {n}]\ndate: 2020\nspheres: [{}]\n---\nText.\n",
                spheres.join(", ")
            ),
        );
    }
    site.build_ok(&[]);
    let expected = [
        (0, "0 аннотаций"),
        (1, "1 аннотация"),
        (2, "2 аннотации"),
        (5, "5 аннотаций"),
        (21, "21 аннотация"),
    ];
    let index = site.read_out("ru/spheres/index.html");
    for (size, words) in expected {
        let page = site.read_out(&format!("ru/spheres/n{size}/index.html"));
        assert_eq!(page_meta(&page), words, "ru/spheres/n{size}/");
        // The same count on the index of spheres.
        let doc = Html::parse_document(&index);
        let entry = select(&doc, "main li")
            .into_iter()
            .find(|li| li.text().any(|t| t.contains(&format!("Sphere of {size}"))))
            .unwrap_or_else(|| panic!("n{size} listed on ru/spheres/"));
        let text: String = entry.text().collect();
        assert!(text.contains(words), "n{size} on ru/spheres/: {text}");
        // English and Kazakh count the same works in their own words.
        let en = site.read_out(&format!("spheres/n{size}/index.html"));
        let en_words = if size == 1 {
            "1 abstract".to_string()
        } else {
            format!("{size} abstracts")
        };
        assert_eq!(page_meta(&en), en_words);
        let kk = site.read_out(&format!("kk/spheres/n{size}/index.html"));
        assert_eq!(page_meta(&kk), format!("{size} аңдатпа"));
    }
}

#[test]
fn the_kazakh_interface_speaks_kazakh() {
    let site = fixture("multilingual");
    site.build_ok(&[]);
    let home = site.read_out("kk/index.html");
    assert!(home.contains(r#"<html lang="kk">"#));
    for word in [">Кезеңдер</a>", ">Салалар</a>", ">Іздеу<"] {
        assert!(home.contains(word), "{word} on kk/: {home}");
    }
    assert!(!home.contains(">Periods</a>") && !home.contains(">Spheres</a>"));
    let spheres = site.read_out("kk/spheres/index.html");
    assert!(spheres.contains("<h1>Салалар</h1>"), "{spheres}");
    // The Russian site keeps its own words beside it.
    assert!(site.read_out("ru/index.html").contains(">Периоды</a>"));
}

#[test]
fn check_reports_an_interface_message_a_language_lacks() {
    let site = fixture("multilingual");
    site.write("i18n/en.ftl", "footer-thanks = With thanks to { $who }\n");
    site.write("i18n/ru.ftl", "footer-thanks = Спасибо: { $who }\n");
    let r = site.check(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("i18n/kk.ftl: warning: message `footer-thanks` has no `kk` translation"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("has no `ru` translation"),
        "{}",
        r.stderr
    );
    let strict = site.check(&["--deny-warnings"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}
