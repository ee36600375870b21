use super::*;
use crate::model::dates::PartialDate;

fn langs(l: &[&str]) -> Vec<String> {
    l.iter().map(|s| s.to_string()).collect()
}

fn three() -> Messages {
    Messages::builtin(&langs(&["en", "ru", "kk"]))
}

#[test]
fn messages_are_send_and_sync() {
    fn both<T: Send + Sync>() {}
    both::<Messages>();
}

#[test]
fn builtin_files_parse_and_define_the_same_keys() {
    let keys = |src: &str| -> BTreeSet<String> {
        let r = FluentResource::try_new(src.to_string())
            .unwrap_or_else(|(_, e)| panic!("built-in FTL does not parse: {e:?}"));
        message_keys(&r).collect()
    };
    let en = keys(BUILTIN[0].1);
    assert!(en.len() > 100, "{}", en.len());
    for (lang, src) in BUILTIN {
        assert_eq!(keys(src), en, "{lang}.ftl defines other keys than en.ftl");
    }
}

#[test]
fn russian_counts_take_the_plural_form_of_the_number() {
    let m = three();
    let works = |n: usize| m.text("ru", "count-works", &[("count", n.into())]);
    assert_eq!(works(1), "1 работа");
    assert_eq!(works(2), "2 работы");
    assert_eq!(works(5), "5 работ");
    assert_eq!(works(21), "21 работа");
    assert_eq!(works(0), "0 работ");
    assert_eq!(works(11), "11 работ");
    assert_eq!(works(22), "22 работы");
    // Grouped digits, plural form from the number (12 345 ends in 5: many).
    assert_eq!(works(12345), "12\u{202F}345 работ");
    assert_eq!(works(1001), "1\u{202F}001 работа");
    assert_eq!(
        m.text("ru", "count-abstracts", &[("count", 3usize.into())]),
        "3 аннотации"
    );
}

#[test]
fn english_and_kazakh_counts() {
    let m = three();
    let t = |l: &str, n: usize| m.text(l, "count-works", &[("count", n.into())]);
    assert_eq!(t("en", 1), "1 work");
    assert_eq!(t("en", 0), "0 works");
    assert_eq!(t("en", 12345), "12,345 works");
    assert_eq!(t("kk", 1), "1 еңбек");
    assert_eq!(t("kk", 5), "5 еңбек");
    assert_eq!(t("kk", 12345), "12\u{202F}345 еңбек");
    assert_eq!(m.text("kk", "nav-periods", &[]), "Кезеңдер");
    assert_eq!(m.text("kk", "nav-spheres", &[]), "Салалар");
    assert_eq!(m.text("kk", "nav-search", &[]), "Іздеу");
    // Plural forms of headings in Kazakh (one, other).
    assert_eq!(
        m.text("kk", "work-periods", &[("count", 1usize.into())]),
        "Кезең"
    );
    assert_eq!(
        m.text("kk", "work-periods", &[("count", 2usize.into())]),
        "Кезеңдер"
    );
}

#[test]
fn referenced_messages_see_the_arguments() {
    let m = three();
    assert_eq!(
        m.text(
            "ru",
            "chart-bar",
            &[("year", Arg::Str("2019")), ("count", 2usize.into())]
        ),
        "2019: 2 работы"
    );
    assert_eq!(
        m.text("en", "search-lede", &[("count", 1usize.into())]),
        "Titles, authors, actors, keywords and the text of 1 abstract, in every language of the archive."
    );
}

#[test]
fn no_isolation_marks() {
    let m = three();
    let s = m.text("en", "feed-title", &[("title", "X".into())]);
    assert_eq!(s, "X — newest abstracts");
}

#[test]
fn missing_messages_fall_back_to_the_default_then_english_then_the_key() {
    let mut overrides = BTreeMap::new();
    overrides.insert("ru".to_string(), "only-here = только здесь\n".to_string());
    let mut d = Diagnostics::new();
    // German has no built-ins: the default language (Russian) speaks for it.
    let m = Messages::with_overrides(&langs(&["ru", "de"]), overrides, &mut d);
    assert!(d.is_empty());
    assert_eq!(m.text("de", "nav-periods", &[]), "Периоды");
    assert_eq!(m.text("de", "only-here", &[]), "только здесь");
    assert_eq!(m.text("ru", "no-such-key", &[]), "no-such-key");
    // A language the archive does not list: the default's text.
    assert_eq!(m.text("fr", "nav-periods", &[]), "Периоды");
    // A default language without built-ins falls back to dyad's English.
    let m = Messages::builtin(&langs(&["de"]));
    assert_eq!(m.text("de", "nav-periods", &[]), "Periods");
}

#[test]
fn overrides_replace_builtins_message_by_message() {
    let mut overrides = BTreeMap::new();
    overrides.insert(
        "en".to_string(),
        "nav-periods = Eras\ncustom-note = A note for { $who }\n".to_string(),
    );
    let mut d = Diagnostics::new();
    let m = Messages::with_overrides(&langs(&["en", "ru"]), overrides, &mut d);
    assert!(d.is_empty());
    assert_eq!(m.text("en", "nav-periods", &[]), "Eras");
    assert_eq!(m.text("en", "nav-spheres", &[]), "Spheres");
    assert_eq!(
        m.text("en", "custom-note", &[("who", "editors".into())]),
        "A note for editors"
    );
    // Russian lacks the archive's own message: it uses the English text, and check says so.
    assert_eq!(
        m.text("ru", "custom-note", &[("who", "редакторов".into())]),
        "A note for редакторов"
    );
    let missing = m.missing();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0].path, "i18n/ru.ftl");
    assert!(!missing[0].is_error());
    assert!(
        missing[0].message.contains("`custom-note`"),
        "{}",
        missing[0].message
    );
    assert!(
        missing[0]
            .help
            .as_deref()
            .unwrap()
            .contains("create i18n/ru.ftl")
    );
}

#[test]
fn the_builtin_languages_miss_nothing() {
    assert!(three().missing().is_empty());
}

#[test]
fn a_language_without_builtins_is_reported_in_one_warning() {
    let m = Messages::builtin(&langs(&["en", "de"]));
    let missing = m.missing();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].path, "i18n/de.ftl");
    assert!(
        missing[0]
            .message
            .contains("messages have no `de` translation")
    );
    assert!(missing[0].message.contains("more"));
}

#[test]
fn syntax_errors_in_an_override_name_the_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("i18n")).unwrap();
    std::fs::write(
        dir.path().join("i18n/ru.ftl"),
        "nav-periods = Эпохи\n\nbroken message\nnav-spheres = Области\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("i18n/fr.ftl"), "nav-periods = Périodes\n").unwrap();
    let mut d = Diagnostics::new();
    let m = Messages::load(dir.path(), &langs(&["en", "ru"]), &mut d);
    let all: Vec<&Diagnostic> = d.sorted();
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[0].path, "i18n/fr.ftl");
    assert!(!all[0].is_error());
    assert_eq!(all[1].path, "i18n/ru.ftl");
    assert!(all[1].is_error());
    let span = all[1].span.unwrap();
    assert_eq!(span.line, 3, "{all:?}");
    assert!(all[1].help.is_some());
    // What parsed is kept.
    assert_eq!(m.text("ru", "nav-periods", &[]), "Эпохи");
    assert_eq!(m.text("ru", "nav-spheres", &[]), "Области");
}

#[test]
fn no_folder_no_problem() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = Diagnostics::new();
    let m = Messages::load(dir.path(), &langs(&["en"]), &mut d);
    assert!(d.is_empty());
    assert_eq!(m.text("en", "nav-home", &[]), "Home");
}

#[test]
fn a_language_without_plural_rules_does_not_panic() {
    let mut overrides = BTreeMap::new();
    overrides.insert(
        "tlh".to_string(),
        "count-works = { $count ->\n    [one] one\n   *[other] many\n}\n".to_string(),
    );
    let m = Messages::with_overrides(&langs(&["en", "tlh"]), overrides, &mut Diagnostics::new());
    assert_eq!(
        m.text("tlh", "count-works", &[("count", 3usize.into())]),
        "many"
    );
}

fn d(s: &str) -> PartialDate {
    s.parse().unwrap()
}

#[test]
fn dates_in_english_russian_and_kazakh_at_each_precision() {
    assert_eq!(date("en", d("2019")), "2019");
    assert_eq!(date("en", d("2019-03")), "March 2019");
    assert_eq!(date("en", d("2019-03-12")), "12 March 2019");
    assert_eq!(date("en", d("2019-12-01")), "1 December 2019");
    assert_eq!(date("ru", d("2019")), "2019");
    assert_eq!(date("ru", d("2019-03")), "март 2019\u{202F}г.");
    assert_eq!(date("ru", d("2019-03-12")), "12 марта 2019\u{202F}г.");
    assert_eq!(date("kk", d("2019")), "2019");
    assert_eq!(date("kk", d("2019-03")), "2019\u{202F}ж. наурыз");
    assert_eq!(date("kk", d("2019-03-12")), "2019\u{202F}ж. 12 наурыз");
    // A region of English that writes the month first keeps its way.
    assert_eq!(date("en-US", d("2019-03-12")), "March 12, 2019");
}

#[test]
fn date_ranges() {
    assert_eq!(
        date_range("en", d("2016-08"), d("2019-03")),
        "August 2016 – March 2019"
    );
    assert_eq!(
        date_range("ru", d("2016-08"), d("2019-03")),
        "август 2016\u{202F}г. – март 2019\u{202F}г."
    );
    assert_eq!(date_range("kk", d("2019"), d("2019")), "2019");
}

#[test]
fn plural_forms_give_each_cldr_category_its_text_for_the_browser() {
    let m = three();
    let ru = m.plural_forms("ru", "count-works");
    let want: BTreeMap<String, String> = [
        ("few", "{count} работы"),
        ("many", "{count} работ"),
        ("one", "{count} работа"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    // Russian whole numbers are one, few or many; `other` is for fractions, never counted.
    assert_eq!(ru, want);
    let en = m.plural_forms("en", "count-works");
    assert_eq!(en["one"], "{count} work");
    assert_eq!(en["other"], "{count} works");
    assert_eq!(en.len(), 2);
    assert_eq!(
        m.plural_forms("kk", "count-works")["other"],
        "{count} еңбек"
    );
}

#[test]
fn plural_forms_keep_an_exact_zero_variant() {
    let mut diags = Diagnostics::new();
    let overrides = [(
        "en".to_string(),
        "count-works = { $count ->\n    [0] no works yet\n    [one] { $count } work\n   *[other] { $count } works\n}\n"
            .to_string(),
    )]
    .into_iter()
    .collect();
    let m = Messages::with_overrides(&langs(&["en"]), overrides, &mut diags);
    let en = m.plural_forms("en", "count-works");
    assert_eq!(en["=0"], "no works yet");
    assert_eq!(en["other"], "{count} works");
}
