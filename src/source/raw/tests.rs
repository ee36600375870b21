use super::*;
use crate::source::yaml;

fn read(yaml_text: &str) -> (Option<RawAbstract>, Vec<Diagnostic>) {
    let text = format!("---\n{yaml_text}---\nbody\n");
    let node = yaml::parse(yaml_text, 2).unwrap();
    let mut f = Fields::new("a.md", &text, &node, (1, 1));
    let r = read_abstract(&mut f);
    (r, f.diags)
}

fn messages(d: &[Diagnostic]) -> Vec<String> {
    d.iter()
        .map(|d| {
            let s = d.span.unwrap();
            format!("{}:{}: {}", s.line, s.col, d.message)
        })
        .collect()
}

const GOOD: &str = "title: Russia and Kazakhstan\nauthors: [Ivanov I. I., Петров П.]\ndate: 2019-03\nspheres: [political]\n";

#[test]
fn a_minimal_abstract_reads() {
    let (r, d) = read(GOOD);
    assert!(d.is_empty(), "{d:?}");
    let r = r.unwrap();
    assert_eq!(r.title.value, "Russia and Kazakhstan");
    assert_eq!(r.date.value.unwrap().to_string(), "2019-03");
    let Authors::Known(a) = r.authors else {
        panic!()
    };
    assert_eq!(a[1].value, "Петров П.");
}

#[test]
fn dates_written_as_numbers_and_yaml_dates() {
    for (written, expected) in [
        ("2019", "2019"),
        ("2019-03-01", "2019-03-01"),
        ("\"2019\"", "2019"),
    ] {
        let (r, d) = read(&GOOD.replace("2019-03", written));
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r.unwrap().date.value.unwrap().to_string(), expected);
    }
}

#[test]
fn unknown_author_and_date_on_purpose() {
    let (r, d) = read("title: T\nauthors: unknown\ndate: unknown\nspheres: [political]\n");
    assert!(d.is_empty(), "{d:?}");
    let r = r.unwrap();
    assert_eq!(r.authors, Authors::Unknown);
    assert_eq!(r.date.value, None);
}

#[test]
fn a_name_split_at_its_commas_is_pointed_out() {
    let (r, d) = read(
        "title: T\nauthors: [Smith, John, Jr., \"King, Martin Luther, III\"]\ndate: 2001\nspheres: [political]\n",
    );
    assert!(r.is_some_and(|r| !r.broken));
    let m = messages(&d);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].starts_with("3:24:"), "{m:?}");
    assert!(m[0].contains("an author named `Jr.`"), "{m:?}");
    assert!(
        d[0].help
            .as_deref()
            .unwrap()
            .contains("`\"Smith, John, Jr.\"`"),
        "{d:?}"
    );
}

#[test]
fn quoted_unknown_is_not_the_marker() {
    let (r, d) = read("title: T\nauthors: [unknown]\ndate: \"unknown\"\nspheres: [political]\n");
    assert!(r.is_none_or(|r| r.broken));
    let m = messages(&d);
    assert!(
        m.iter().any(|m| m.contains("an author named `unknown`")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|m| m.starts_with("4:7:") && m.contains("`date`")),
        "{m:?}"
    );
    // Every way of writing "not known" but the marker is an error whose help is the marker.
    for written in ["\"unknown\"", "Unknown", "UNKNOWN", "n.d.", "'nd'"] {
        let (r, d) = read(&format!(
            "title: T\nauthors: [A]\ndate: {written}\nspheres: [political]\n"
        ));
        assert!(r.is_none_or(|r| r.broken));
        let e = d.iter().find(|d| d.is_error()).expect("an error");
        assert!(e.message.starts_with("`date`: `"), "{}", e.message);
        assert_eq!(
            e.help.as_deref(),
            Some(
                "to record that the date is not known, write `date: unknown` (lowercase, without quotes)"
            )
        );
    }
}

#[test]
fn forgotten_or_empty_fields_are_errors() {
    let (r, d) = read("title:\nauthors: []\nspheres: []\n");
    assert!(r.is_none_or(|r| r.broken));
    let m = messages(&d);
    assert!(m.iter().any(|m| m.contains("`title` is empty")), "{m:?}");
    assert!(m.iter().any(|m| m.contains("`authors` is empty")), "{m:?}");
    assert!(m.iter().any(|m| m.contains("`spheres` is empty")), "{m:?}");
    assert!(
        m.iter()
            .any(|m| m.contains("missing required field `date`")),
        "{m:?}"
    );
}

#[test]
fn every_problem_of_a_file_is_reported() {
    let y = "title: T\nauthors: [A]\ndate: 2019-13\nspheres: [political]\ncoverage: {from: 2019, to: 2016}\ndoi: nope\nslug: Bad Slug\nspheers: [x]\ndraft: maybe\n";
    let (r, d) = read(y);
    assert!(r.is_none_or(|r| r.broken));
    let m = messages(&d);
    assert_eq!(m.len(), 6, "{m:?}");
    assert!(
        m.iter()
            .any(|m| m.starts_with("4:7:") && m.contains("month")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|m| m.contains("coverage `from` (2019) is after `to` (2016)")),
        "{m:?}"
    );
    assert!(m.iter().any(|m| m.contains("`nope` is not a DOI")), "{m:?}");
    assert!(m.iter().any(|m| m.contains("slug `Bad Slug`")), "{m:?}");
    assert!(
        m.iter()
            .any(|m| m.starts_with("9:1:") && m.contains("unknown field `spheers`")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|m| m.contains("`draft` must be `true` or `false`")),
        "{m:?}"
    );
    let w = d.iter().find(|d| d.message.contains("spheers")).unwrap();
    assert_eq!(w.severity, crate::diag::Severity::Warning);
    assert_eq!(w.help.as_deref(), Some("did you mean `spheres`?"));
}

#[test]
fn coverage_needs_both_ends() {
    let (r, d) = read(&format!("{GOOD}coverage: {{from: 2016-08}}\n"));
    assert!(r.is_none_or(|r| r.broken));
    assert!(
        messages(&d)
            .iter()
            .any(|m| m.contains("missing required field `to`")),
        "{d:?}"
    );
}

#[test]
fn doi_prefixes_are_dropped() {
    let (r, d) = read(&format!("{GOOD}doi: https://doi.org/10.1234/ab.c\n"));
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(
        r.unwrap().doi.map(|d| d.value).as_deref(),
        Some("10.1234/ab.c")
    );
}

#[test]
fn source_type_suggestion() {
    let (_, d) = read(&format!("{GOOD}source: {{type: artcle, container: J}}\n"));
    assert_eq!(d[0].help.as_deref(), Some("did you mean `article`?"));
}

#[test]
fn aliases_are_normalized_and_checked() {
    let (r, d) = read(&format!("{GOOD}aliases: [/abstracts/old, old/feed.xml]\n"));
    assert!(d.is_empty(), "{d:?}");
    let a: Vec<_> = r.unwrap().aliases.into_iter().map(|a| a.value).collect();
    assert_eq!(a, ["abstracts/old/", "old/feed.xml"]);
    let (r, _) = read(&format!("{GOOD}aliases: [../../etc/passwd]\n"));
    assert!(r.is_none_or(|r| r.broken));
    // A part too long for a file name is an error at the alias, not a failed write later.
    let (r, d) = read(&format!("{GOOD}aliases: [old/{}/]\n", "z".repeat(201)));
    assert!(r.is_none_or(|r| r.broken));
    let e = d.iter().find(|d| d.is_error()).expect("an error");
    assert!(e.message.contains("201 bytes long"), "{}", e.message);
    assert!(e.span.is_some());
    let (_, d) = read(&format!("{GOOD}aliases: [old/{}/]\n", "z".repeat(200)));
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn bcp47_shapes() {
    for ok in ["en", "ru", "kk", "kk-Latn", "en-GB", "zh-Hant-TW"] {
        assert!(is_bcp47(ok), "{ok}");
    }
    for ok in ["x-klingon", "i-default", "sgn-RU", "und"] {
        assert!(is_bcp47(ok), "{ok}");
    }
    for bad in [
        "", "e", "english!", "en_GB", "ru-", "english", "russ", "x", "x-",
    ] {
        assert!(!is_bcp47(bad), "{bad}");
    }
}

#[test]
fn a_language_name_gets_its_tag_as_the_hint() {
    assert_eq!(
        language_help("English"),
        "write `en`, the BCP 47 tag for `English`"
    );
    assert_eq!(
        language_help("русский"),
        "write `ru`, the BCP 47 tag for `русский`"
    );
    assert_eq!(
        language_help("ru_RU"),
        "write `ru-RU`, the BCP 47 tag for `ru_RU`"
    );
    assert!(language_help("Klingon").contains("such as `en`"));
    let (_, d) = read(&format!("{GOOD}language: english\n"));
    let e = d.iter().find(|d| d.is_error()).expect("an error");
    assert!(
        e.message.contains("`english` is not a BCP 47"),
        "{}",
        e.message
    );
    assert_eq!(
        e.help.as_deref(),
        Some("write `en`, the BCP 47 tag for `english`")
    );
}

/// Property tests: `cargo test --lib source::raw::tests::props`.
mod props {
    use super::*;
    use crate::model::dates::tests::props::any_date;
    use crate::model::prop_config;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(prop_config(2000))]

        /// Leaving a label out keeps the rest of what was written, whatever the letters around
        /// it (labels and numbers in any script and case, stray marks, combining letters).
        #[test]
        fn prop_a_label_is_left_out_and_nothing_else(
            words in prop::collection::vec(
                prop::sample::select(vec![
                    "No.", "no", "№", "Т.", "т", "Вып.", "pp.", "p.", "с.", "стр.", "İ", "ß", "5",
                    "12–34", "xii,", "230", "Nova", "e1", " ", ".", "\u{301}", "Σ",
                ]),
                1..6,
            ),
        ) {
            let written = words.concat();
            if let Some(number) = without_label(&written) {
                prop_assert!(written.contains(number.as_str()), "{} → {}", written, number);
                prop_assert!(number.contains(|c: char| c.is_ascii_digit()), "{} → {}", written, number);
                prop_assert!(number.chars().count() < written.chars().count(), "{} → {}", written, number);
            }
        }

        /// What dyad prints as a date reads back as the same date from front matter, written
        /// plain (YAML may see a number or a timestamp there), in either quotes, and as
        /// coverage in a flow mapping or a block one.
        #[test]
        fn prop_a_printed_date_reads_back_from_front_matter(
            d in any_date(),
            e in any_date(),
            quote in prop::sample::select(vec!["", "'", "\""]),
            block in any::<bool>(),
        ) {
            let (from, to) = if d.first_day() <= e.first_day() { (d, e) } else { (e, d) };
            let coverage = if block {
                format!("coverage:\n  from: {quote}{from}{quote}\n  to: {quote}{to}{quote}\n")
            } else {
                format!("coverage: {{from: {quote}{from}{quote}, to: {quote}{to}{quote}}}\n")
            };
            let yaml = format!(
                "title: T\nauthors: [A]\ndate: {quote}{d}{quote}\nspheres: [political]\n{coverage}"
            );
            let (r, diags) = read(&yaml);
            prop_assert!(diags.is_empty(), "{}: {:?}", yaml, diags);
            let r = r.unwrap();
            prop_assert_eq!(r.date.value, Some(d));
            let c = r.coverage.unwrap();
            prop_assert_eq!((c.from.value, c.to.value), (from, to));
        }
    }
}

#[test]
fn a_name_with_commas_dyad_cannot_split_is_pointed_out() {
    let (r, d) = read(
        "title: T\nauthors: [\"Smith, John, Jr., IV\", \"Smith, John, Jr.\", \"Institute of Economics, RAS\"]\ndate: 2001\nspheres: [political]\n",
    );
    assert!(r.is_some_and(|r| !r.broken));
    let m = messages(&d);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].starts_with("3:11:"), "{m:?}");
    assert!(
        m[0].contains("the author `Smith, John, Jr., IV` is not a name dyad can split"),
        "{m:?}"
    );
    assert!(
        d[0].help
            .as_deref()
            .unwrap()
            .contains("`Family, Given, Suffix`")
    );
}

#[test]
fn a_label_written_with_a_number_is_left_out_with_a_warning() {
    let (r, d) = read(
        "title: T\nauthors: [A]\ndate: 2001\nspheres: [political]\nsource:\n  type: report\n  volume: \"Т. 3\"\n  issue: \"No. 5\"\n  pages: \"230 pp.\"\n",
    );
    let src = r.unwrap().source.unwrap();
    assert_eq!(src.volume.as_deref(), Some("3"));
    assert_eq!(src.issue.as_deref(), Some("5"));
    assert_eq!(src.pages.as_deref(), Some("230"));
    let m = messages(&d);
    assert_eq!(m.len(), 3, "{m:?}");
    assert!(m[0].starts_with("8:11:"), "{m:?}");
    assert!(
        m[1].contains("`issue: No. 5` has a label with its number"),
        "{m:?}"
    );
    assert!(
        d[2].help.as_deref().unwrap().contains("`pages: \"230\"`"),
        "{d:?}"
    );
}

#[test]
fn numbers_without_a_label_and_words_that_only_begin_like_one_are_kept() {
    for (written, kept) in [
        ("pages: \"12–34\"", "12–34"),
        ("pages: \"e12345\"", "e12345"),
        ("pages: \"xii, 230\"", "xii, 230"),
        ("issue: \"Nova 3\"", "Nova 3"),
        ("issue: \"No.\"", "No."),
        ("issue: \"S1\"", "S1"),
        ("volume: \"Том\"", "Том"),
        ("pages: 230", "230"),
        ("issue: \"Special issue 3\"", "Special issue 3"),
    ] {
        let (r, d) = read(&format!(
            "title: T\nauthors: [A]\ndate: 2001\nspheres: [political]\nsource: {{type: book, {written}}}\n"
        ));
        let src = r.unwrap().source.unwrap();
        let value = [src.pages, src.issue, src.volume]
            .into_iter()
            .flatten()
            .next();
        assert_eq!(value.as_deref(), Some(kept), "{written}");
        assert!(messages(&d).is_empty(), "{written}: {:?}", messages(&d));
    }
    // Every label, in any case, on its own or with the number after it.
    for label in ["№", "Вып.", "VOL.", "pp", "Nr.", "Nos."] {
        let (r, _) = read(&format!(
            "title: T\nauthors: [A]\ndate: 2001\nspheres: [political]\nsource: {{type: article, issue: \"{label} 7\"}}\n"
        ));
        assert_eq!(
            r.unwrap().source.unwrap().issue.as_deref(),
            Some("7"),
            "{label}"
        );
    }
}
