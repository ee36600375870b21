//! Interface strings: a site in Russian or Kazakh says its navigation, counts (with the right
//! plural forms) and dates in that language; an archive's `i18n/<lang>.ftl` overrides dyad's
//! messages; `check` reports Fluent syntax errors with their position and lists the messages a
//! language lacks.

use crate::support::fixture;

fn set_language(site: &crate::support::Site, setting: &str) {
    let yaml = site.root.join("archive.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(
        &yaml,
        text.replace("language: en\n", &format!("{setting}\n")),
    )
    .unwrap();
}

#[test]
fn a_russian_site_speaks_russian() {
    let site = fixture("basic");
    set_language(&site, "language: ru");
    site.build_ok(&[]);
    let home = site.read_out("index.html");
    assert!(home.contains(r#"<html lang="ru">"#));
    assert!(home.contains(">Периоды</a>"), "{home}");
    assert!(home.contains("Перейти к основному содержанию"));
    assert!(!home.contains("Skip to main content"));
    let periods = site.read_out("periods/index.html");
    assert!(periods.contains("<h1>Периоды</h1>"));
    // Counts in the plural form of their number.
    let forms = ["аннотация<", "аннотации<", "аннотаций<"];
    assert!(forms.iter().any(|f| periods.contains(f)), "{periods}");
    assert!(!periods.contains(" abstracts<") && !periods.contains(" abstract<"));
}

#[test]
fn a_kazakh_site_speaks_kazakh() {
    let site = fixture("basic");
    set_language(&site, "language: kk");
    site.build_ok(&[]);
    let home = site.read_out("index.html");
    assert!(
        home.contains(">Кезеңдер</a>") && home.contains(">Салалар</a>"),
        "{home}"
    );
    assert!(
        site.read_out("search/index.html")
            .contains("<h1>Іздеу</h1>")
    );
}

#[test]
fn an_archive_overrides_messages_and_check_lists_what_a_language_lacks() {
    let site = fixture("basic");
    set_language(&site, "languages: [en, ru]");
    site.write(
        "i18n/en.ftl",
        "nav-periods = Eras\nfooter-thanks = With thanks to { $who }\n",
    );
    let r = site.check(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("i18n/ru.ftl: warning: message `footer-thanks` has no `ru` translation"),
        "{}",
        r.stderr
    );
    site.build_ok(&[]);
    assert!(site.read_out("index.html").contains(">Eras</a>"));

    site.write(
        "i18n/ru.ftl",
        "footer-thanks = Спасибо: { $who }\nnav-spheres Сферы\n",
    );
    let r = site.check(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("i18n/ru.ftl:2:13: error: Fluent syntax error"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("`footer-thanks` has no"), "{}", r.stderr);
}
