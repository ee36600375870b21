use super::*;

fn bgn(s: &str) -> String {
    slugify(s, Scheme::BgnPcgn)
}

fn icao(s: &str) -> String {
    slugify(s, Scheme::Icao)
}

fn gost(s: &str) -> String {
    slugify(s, Scheme::Gost779B)
}

#[test]
fn scheme_names_round_trip() {
    for scheme in Scheme::ALL {
        assert_eq!(scheme.as_str().parse::<Scheme>().unwrap(), scheme);
        assert_eq!(scheme.to_string(), scheme.as_str());
    }
    assert_eq!(Scheme::default(), Scheme::BgnPcgn);
    let err = "BGN".parse::<Scheme>().unwrap_err();
    assert_eq!(
        err.message,
        "unknown transliteration `BGN`; expected bgn-pcgn, icao or gost-7.79-b"
    );
}

#[test]
fn russia_and_kazakhstan_in_each_scheme() {
    assert_eq!(bgn("Россия и Казахстан"), "rossiya-i-kazakhstan");
    assert_eq!(icao("Россия и Казахстан"), "rossiia-i-kazakhstan");
    assert_eq!(gost("Россия и Казахстан"), "rossiya-i-kazaxstan");
}

#[test]
fn bgn_pcgn_table() {
    assert_eq!(
        bgn("абвгдзийклмнопрстуфхцчшщыэюя"),
        "abvgdziyklmnoprstufkhtschshshchyeyuya"
    );
    assert_eq!(bgn("Жуковский"), "zhukovskiy");
    assert_eq!(bgn("Щёлково"), "shchelkovo");
    assert_eq!(bgn("Хрущёв"), "khrushchev");
    assert_eq!(bgn("Подъезд, Мальчик"), "podyezd-malchik");
}

#[test]
fn bgn_pcgn_writes_ye_at_word_start_and_after_vowels() {
    assert_eq!(bgn("Ельцин"), "yeltsin");
    assert_eq!(bgn("Елена Ёлкина"), "yelena-yelkina");
    assert_eq!(bgn("Заев"), "zayev");
    assert_eq!(bgn("Объект"), "obyekt");
    assert_eq!(bgn("Вьетнам"), "vyetnam");
    assert_eq!(bgn("Сергей Белоусов"), "sergey-belousov");
    assert_eq!(bgn("Сүлейменов"), "suleymenov");
    assert_eq!(bgn("моё"), "moye");
    assert_eq!(bgn("«Енисей»"), "yenisey");
    assert_eq!(bgn("Пётр"), "petr");
    // Stress marks (a combining acute, as in dictionaries) vanish.
    assert_eq!(bgn("Ва\u{301}ня мое\u{301}"), "vanya-moye");
}

#[test]
fn icao_follows_doc_9303() {
    assert_eq!(icao("Юлия Щербакова"), "iuliia-shcherbakova");
    assert_eq!(icao("Объект"), "obieekt");
    assert_eq!(icao("Ёлкин Хайруллин"), "elkin-khairullin");
    assert_eq!(icao("Мальчик"), "malchik");
    assert_eq!(icao("Москва, Тверская улица"), "moskva-tverskaia-ulitsa");
}

#[test]
fn gost_7_79_b_drops_its_backticks() {
    assert_eq!(gost("Щука"), "shhuka");
    assert_eq!(gost("Выборы"), "vybory");
    assert_eq!(gost("Подъезд, мальчик, эхо"), "podezd-malchik-exo");
    assert_eq!(gost("Йошкар-Ола"), "joshkar-ola");
    assert_eq!(gost("Ёлка Юрия"), "yolka-yuriya");
    // ц is `cz` before i, e, y and j, `c` elsewhere.
    assert_eq!(gost("Цирк Царя Цыган Целина"), "czirk-carya-czygan-czelina");
    assert_eq!(gost("ЦЕНТР"), "czentr");
}

#[test]
fn kazakh_letters_follow_the_2021_alphabet_in_every_scheme() {
    for scheme in Scheme::ALL {
        assert_eq!(slugify("әғқңөұүһі", scheme), "agqnouuhi");
        assert_eq!(slugify("ӘҒҚҢӨҰҮҺІ", scheme), "agqnouuhi");
        assert_eq!(slugify("Қазақстан", scheme), "qazaqstan");
        assert_eq!(slugify("Өскемен", scheme).len(), "oskemen".len());
    }
    assert_eq!(bgn("Қазақстан Республикасы"), "qazaqstan-respublikasy");
    assert_eq!(icao("Ұлттық банк"), "ulttyq-bank");
    assert_eq!(gost("Шығыс Қазақстан"), "shygys-qazaqstan");
    assert_eq!(bgn("Өскемен"), "oskemen");
}

#[test]
fn mixed_scripts_and_other_scripts() {
    assert_eq!(bgn("NATO и ОДКБ"), "nato-i-odkb");
    assert_eq!(bgn("Café Müller 2019"), "cafe-muller-2019");
    assert_eq!(bgn("中文"), "zhong-wen");
    assert_eq!(bgn("Ελλάδα"), "ellada");
    assert_eq!(bgn("Straße"), "strasse");
    // Letters of other Cyrillic languages fall back to deunicode.
    assert!(is_valid_slug(&bgn("Україна їжак ґанок")));
}

#[test]
fn punctuation_becomes_single_dashes() {
    assert_eq!(bgn("  Hello,   World!  "), "hello-world");
    assert_eq!(bgn("a — b -- c___d"), "a-b-c-d");
    assert_eq!(bgn("--x--"), "x");
    assert_eq!(
        bgn("Россия/Казахстан: 1991–2019"),
        "rossiya-kazakhstan-1991-2019"
    );
    assert_eq!(bgn("№ 5"), "no-5");
    assert_eq!(gost("№ 5"), "5");
}

#[test]
fn empty_results_are_possible() {
    assert_eq!(bgn(""), "");
    assert_eq!(bgn("—"), "");
    assert_eq!(bgn(" ?! "), "");
    assert_eq!(bgn("ъ"), "");
}

#[test]
fn slugify_is_idempotent() {
    let samples = [
        "Россия и Казахстан",
        "Сүлейменов",
        "Ivanov I. O.",
        "Café Müller",
        "—",
        "a--b",
        "Цирк",
    ];
    for scheme in Scheme::ALL {
        for s in samples {
            let once = slugify(s, scheme);
            assert_eq!(slugify(&once, scheme), once);
            assert!(once.is_empty() || is_valid_slug(&once));
        }
    }
}

#[test]
fn nfc_and_nfd_give_the_same_slug() {
    let samples = [
        "Сергей Лавров и Жанна",
        "Ёлкин",
        "Йошкар",
        "Café",
        "Щёлково",
    ];
    for scheme in Scheme::ALL {
        for s in samples {
            let nfd: String = s.nfd().collect();
            assert_ne!(nfd, s.nfc().collect::<String>(), "{s} should decompose");
            assert_eq!(slugify(&nfd, scheme), slugify(s, scheme));
        }
    }
    assert_eq!(bgn(&"Йошкар".nfd().collect::<String>()), "yoshkar");
}

#[test]
fn valid_slugs() {
    assert!(is_valid_slug("rossiya-i-kazakhstan"));
    assert!(is_valid_slug("2019"));
    assert!(is_valid_slug("-"));
    assert!(!is_valid_slug(""));
    assert!(!is_valid_slug("Rossiya"));
    assert!(!is_valid_slug("a/b"));
    assert!(!is_valid_slug("a..b"));
    assert!(!is_valid_slug("a_b"));
    assert!(!is_valid_slug("россия"));
    assert!(!is_valid_slug("a b"));
}

#[test]
fn facet_values_are_normalized() {
    let nfd: String = "Ёлкин".nfd().collect();
    assert_eq!(normalize_facet_value(&nfd), "Ёлкин");
    assert_eq!(
        normalize_facet_value(" \u{a0}Anna\t\u{2003} Petrova\n"),
        "Anna Petrova"
    );
    assert_eq!(normalize_facet_value("   "), "");
}

#[test]
fn facet_keys_compare_people_exactly_and_keywords_without_case() {
    assert_eq!(
        facet_key("Anna  Petrova", FacetKind::Person),
        "Anna Petrova"
    );
    assert_ne!(
        facet_key("Anna Petrova", FacetKind::Person),
        facet_key("anna petrova", FacetKind::Person)
    );
    assert_eq!(
        facet_key("Energy Security", FacetKind::Keyword),
        facet_key(" energy  security", FacetKind::Keyword)
    );
    assert_eq!(facet_key("ЕАЭС", FacetKind::Keyword), "еаэс");
}

#[test]
fn facet_slugs_are_plain_when_the_value_can_be_read_back() {
    let kw = |s| facet_slug(s, FacetKind::Keyword, Scheme::BgnPcgn);
    let person = |s| facet_slug(s, FacetKind::Person, Scheme::BgnPcgn);
    assert_eq!(kw("energy security"), "energy-security");
    assert_eq!(kw("Energy Security"), "energy-security");
    assert_eq!(kw("G20"), "g20");
    assert_eq!(person("Anna Petrova"), "anna-petrova");
    assert_eq!(person("Madonna"), "madonna");
    assert!(person("anna petrova").starts_with("anna-petrova-"));
    assert!(kw("energy-security").starts_with("energy-security-"));
    assert!(kw("Энергетика").starts_with("energetika-"));
    // A plain slug that ends like a hash always gets one, so it cannot meet a hashed slug.
    assert!(kw("cafe 2019ab").starts_with("cafe-2019ab-"));
    assert!(kw("—").starts_with("x-"));
}

#[test]
fn distinct_facet_values_get_distinct_slugs() {
    let groups: [(&[&str], FacetKind); 4] = [
        (&["Сүлейменов", "Сулейменов"], FacetKind::Person),
        (
            &["Ivanov I. O.", "Ivanov I.O.", "Ivanov I O"],
            FacetKind::Person,
        ),
        (
            &["Anna Petrova", "anna petrova", "ANNA PETROVA"],
            FacetKind::Person,
        ),
        (
            &[
                "energy security",
                "energy-security",
                "Energy: security",
                "—",
                "–",
            ],
            FacetKind::Keyword,
        ),
    ];
    for scheme in Scheme::ALL {
        for (values, kind) in groups {
            let slugs: Vec<String> = values.iter().map(|v| facet_slug(v, kind, scheme)).collect();
            for (i, a) in slugs.iter().enumerate() {
                assert!(is_valid_slug(a), "{a}");
                for b in &slugs[i + 1..] {
                    assert_ne!(a, b, "{values:?} under {scheme}");
                }
            }
        }
    }
}

#[test]
fn facet_slugs_are_deterministic_and_follow_the_key() {
    let a = facet_slug("Сүлейменов", FacetKind::Person, Scheme::BgnPcgn);
    assert_eq!(
        a,
        facet_slug("Сүлейменов", FacetKind::Person, Scheme::BgnPcgn)
    );
    assert_eq!(
        a,
        facet_slug(" Сүлейменов ", FacetKind::Person, Scheme::BgnPcgn)
    );
    let nfd: String = "Сүлейменов".nfd().collect();
    assert_eq!(a, facet_slug(&nfd, FacetKind::Person, Scheme::BgnPcgn));
    assert_eq!(a, format!("suleymenov-{}", short_hash("Сүлейменов")));
    assert_eq!(
        facet_slug("ЕАЭС", FacetKind::Keyword, Scheme::Icao),
        facet_slug("еаэс", FacetKind::Keyword, Scheme::Icao)
    );
    assert_eq!(short_hash(""), "e3b0c4");
}
