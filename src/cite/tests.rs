//! Every export read back by an independent parser, field by field.

use super::*;
use crate::model::test_archive;
use biblatex::{Bibliography, ChunksExt, PermissiveType};

/// A work with every field, in Cyrillic and with characters each format must escape, and a
/// work whose author and date are unknown.
fn archive() -> Archive {
    test_archive(
        "https://example.org/ru-kz/",
        &[
            (
                "periods/transit.md",
                "title: Transit\nfrom: 2019-03\nto: 2022-01\n",
            ),
            ("spheres/energy.md", "title: Energy\n"),
            ("spheres/political.md", "title: Political\n"),
            (
                "abstracts/full.md",
                "title: \"Газ & нефть: {50%} of $trade_flows #1 \\\\ «транзит» ~5^2\"\n\
                 authors: [Петров И. П., Anna M. Berg, Ludwig van Beethoven, UNESCO]\n\
                 date: 2020-03-05\nspheres: [energy, political]\n\
                 coverage: {from: 2019-03, to: 2021}\n\
                 keywords: [газ, \"pipelines, oil\", transit]\nactors: [Газпром]\n\
                 language: ru\ndoi: 10.5555/abc-1\nurl: https://example.com/x?a=1&b=2\n\
                 source: {type: article, container: \"Вестник МГУ\", volume: \"27\", issue: \"4\", pages: \"205–220\", publisher: \"Изд-во МГУ\", place: Москва}\n",
            ),
            (
                "abstracts/bare.md",
                "title: Bare\nauthors: unknown\ndate: unknown\nspheres: [energy]\n",
            ),
        ],
    )
}

fn id_of(a: &Archive, slug: &str) -> AbstractId {
    a.abstracts.iter().position(|w| w.slug == slug).unwrap() as AbstractId
}

#[test]
fn bibtex_reads_back_every_field() {
    let a = archive();
    let text = work_file(&a, id_of(&a, "full"), Format::Bib);
    let bib = Bibliography::parse(&text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    let e = bib.get("full").expect("the entry");
    assert_eq!(e.entry_type.to_string(), "article");
    assert_eq!(
        e.title().unwrap().format_verbatim(),
        "Газ & нефть: {50%} of $trade_flows #1 \\ «транзит» ~5^2"
    );
    let authors: Vec<(String, String)> = e
        .author()
        .unwrap()
        .into_iter()
        .map(|p| (p.name, p.given_name))
        .collect();
    assert_eq!(
        authors,
        [
            ("Петров".into(), "И. П.".into()),
            ("Berg".into(), "Anna M.".into()),
            ("Beethoven".into(), "Ludwig".into()),
            ("UNESCO".into(), String::new()),
        ]
    );
    match e.date().unwrap() {
        PermissiveType::Typed(d) => assert_eq!(
            format!("{:?}", d.value),
            format!(
                "{:?}",
                biblatex::DateValue::At(biblatex::Datetime {
                    year: 2020,
                    month: Some(2),
                    day: Some(4),
                    time: None
                })
            )
        ),
        other => panic!("{other:?}"),
    }
    let field = |k: &str| e.get(k).map(|c| c.format_verbatim());
    assert_eq!(field("journal").as_deref(), Some("Вестник МГУ"));
    assert_eq!(field("volume").as_deref(), Some("27"));
    assert_eq!(field("number").as_deref(), Some("4"));
    assert_eq!(field("publisher").as_deref(), Some("Изд-во МГУ"));
    assert_eq!(field("address").as_deref(), Some("Москва"));
    assert_eq!(field("doi").as_deref(), Some("10.5555/abc-1"));
    assert_eq!(
        field("url").as_deref(),
        Some("https://example.com/x?a=1&b=2")
    );
    assert_eq!(field("langid").as_deref(), Some("ru"));
    assert_eq!(field("abstract").as_deref(), Some("Body."));
    assert_eq!(
        field("keywords").as_deref(),
        Some("газ, pipelines, oil, transit")
    );
    assert!(text.contains("pages = {205--220}"), "{text}");
}

#[test]
fn unknown_authors_and_dates_are_left_out_of_every_format() {
    let a = archive();
    let id = id_of(&a, "bare");
    for f in Format::WORK {
        let text = work_file(&a, id, f);
        for word in [
            "unknown", "author", "AU  -", "PY  -", "issued", "year", "date",
        ] {
            assert!(!text.contains(word), "{f:?} writes {word:?}:\n{text}");
        }
    }
    let csv = list_file(&a, List::All, Format::Csv);
    assert!(!csv.contains("unknown"), "{csv}");
}

/// A validator for the official CSL data schema.
fn csl_validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../tests/fixtures/schemas/csl-data.json")).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn csl_json_validates_against_the_csl_data_schema() {
    let validator = csl_validator();
    let a = archive();
    for text in [
        list_file(&a, List::All, Format::Csl),
        work_file(&a, id_of(&a, "full"), Format::Csl),
        work_file(&a, id_of(&a, "bare"), Format::Csl),
    ] {
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}\n{text}");
    }
    let v: serde_json::Value =
        serde_json::from_str(&work_file(&a, id_of(&a, "full"), Format::Csl)).unwrap();
    let item = &v[0];
    assert_eq!(item["type"], "article-journal");
    assert_eq!(item["author"][0]["family"], "Петров");
    assert_eq!(item["author"][0]["given"], "И. П.");
    assert_eq!(item["author"][3]["literal"], "UNESCO");
    assert_eq!(
        item["issued"]["date-parts"][0],
        serde_json::json!([2020, 3, 5])
    );
    assert_eq!(item["page"], "205-220");
    assert_eq!(item["container-title"], "Вестник МГУ");
    assert_eq!(item["publisher-place"], "Москва");
    assert_eq!(item["DOI"], "10.5555/abc-1");
}

/// RIS lines as (tag, value), read the way the RIS format defines them.
fn ris_tags(text: &str) -> Vec<(String, String)> {
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| {
            assert_eq!(&l[2..6], "  - ", "{l:?}");
            (l[..2].to_string(), l[6..].to_string())
        })
        .collect()
}

#[test]
fn ris_uses_the_tag_list_one_value_per_line() {
    let a = archive();
    let tags = ris_tags(&work_file(&a, id_of(&a, "full"), Format::Ris));
    let get = |t: &str| -> Vec<&str> {
        tags.iter()
            .filter(|(k, _)| k == t)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    assert_eq!(tags.first().unwrap(), &("TY".into(), "JOUR".into()));
    assert_eq!(tags.last().unwrap(), &("ER".into(), String::new()));
    assert_eq!(
        get("AU"),
        [
            "Петров, И. П.",
            "Berg, Anna M.",
            "van Beethoven, Ludwig",
            "UNESCO"
        ]
    );
    assert_eq!(get("PY"), ["2020"]);
    assert_eq!(get("DA"), ["2020/03/05"]);
    assert_eq!(get("T2"), ["Вестник МГУ"]);
    assert_eq!(get("SP"), ["205"]);
    assert_eq!(get("EP"), ["220"]);
    assert_eq!(get("VL"), ["27"]);
    assert_eq!(get("IS"), ["4"]);
    assert_eq!(get("DO"), ["10.5555/abc-1"]);
    assert_eq!(get("UR"), ["https://example.com/x?a=1&b=2"]);
    assert_eq!(get("KW"), ["газ", "pipelines, oil", "transit"]);
    assert_eq!(get("LA"), ["ru"]);
    assert_eq!(get("AB"), ["Body."]);
    for (t, _) in &tags {
        assert!(
            [
                "TY", "AU", "PY", "DA", "TI", "T2", "VL", "IS", "SP", "EP", "PB", "CY", "DO", "UR",
                "AB", "KW", "LA", "ER"
            ]
            .contains(&t.as_str()),
            "{t}"
        );
    }
}

#[test]
fn csv_has_a_bom_every_field_and_cyrillic_intact() {
    let a = archive();
    let text = list_file(&a, List::All, Format::Csv);
    let body = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let mut reader = ::csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let full = rows.iter().find(|r| &r[0] == "full").unwrap();
    let col = |name: &str| &full[header.iter().position(|h| h == name).unwrap()];
    assert_eq!(
        col("title"),
        "Газ & нефть: {50%} of $trade_flows #1 \\ «транзит» ~5^2"
    );
    assert_eq!(
        col("authors"),
        "Петров И. П.; Anna M. Berg; Ludwig van Beethoven; UNESCO"
    );
    assert_eq!(col("keywords"), "газ; pipelines, oil; transit");
    assert_eq!(col("spheres"), "energy; political");
    assert_eq!(col("periods"), "transit");
    assert_eq!(col("coverage_from"), "2019-03");
    assert_eq!(col("actors"), "Газпром");
    assert_eq!(col("abstract"), "Body.");
    assert_eq!(col("pages"), "205–220");
}

#[test]
fn list_downloads_leave_abstracts_out_but_the_archive_keeps_them() {
    let a = archive();
    let energy = a.spheres.iter().position(|s| s.id == "energy").unwrap() as SphereId;
    for f in Format::LIST {
        let list = list_file(&a, List::Sphere(energy), f);
        assert!(!list.contains("Body."), "{f:?}: {list}");
        assert!(list.contains("Bare"), "{f:?}: {list}");
        assert!(list_file(&a, List::All, f).contains("Body."), "{f:?}");
    }
}

#[test]
fn csl_json_written_item_by_item_is_the_pretty_printed_array() {
    let a = archive();
    let records: Vec<Record> = (0..a.abstracts.len() as AbstractId)
        .map(|id| Record::from_work(&a, id, true))
        .collect();
    let items: Vec<csl::Item> = records.iter().map(csl::item).collect();
    let mut whole = serde_json::to_string_pretty(&items).unwrap();
    whole.push('\n');
    assert_eq!(file(Format::Csl, records), whole);
    assert_eq!(file(Format::Csl, Vec::<Record>::new()), "[]\n");
}

#[test]
fn remembered_entries_make_the_same_files() {
    let a = archive();
    let records = || (0..a.abstracts.len() as AbstractId).map(|id| Record::from_work(&a, id, true));
    for _ in 0..2 {
        // The second round takes every entry from memory.
        for (format, plain) in [
            (Format::Bib, file(Format::Bib, records())),
            (Format::Ris, file(Format::Ris, records())),
            (Format::Csl, file(Format::Csl, records())),
        ] {
            let mut out = String::new();
            let mut sink = |s: &str| {
                out.push_str(s);
                Ok(())
            };
            write_entries(format, records(), true, &mut sink).unwrap();
            assert_eq!(out, plain, "{format:?}");
            let mut streamed = Vec::new();
            let list = List::All;
            write_list(&a, list, format, &mut streamed).unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                list_file(&a, list, format),
                "{format:?}"
            );
            let mut empty = String::new();
            let mut sink = |s: &str| {
                empty.push_str(s);
                Ok(())
            };
            write_entries(format, std::iter::empty(), true, &mut sink).unwrap();
            let none: Vec<Record> = Vec::new();
            let plain_empty = file(format, none);
            assert_eq!(empty, plain_empty, "{format:?}");
        }
    }
}

/// Works of the kinds whose source fields mean something else than an article's.
fn kinds_archive() -> Archive {
    test_archive(
        "https://example.org/ru-kz/",
        &[
            ("spheres/energy.md", "title: Energy\n"),
            (
                "abstracts/report.md",
                "title: Energy Transit\nauthors: [Ivan Petrov]\ndate: 2000\nspheres: [energy]\n\
                 source: {type: report, container: Working Paper, issue: \"16\", pages: \"23\", publisher: Caspian Forum}\n",
            ),
            (
                "abstracts/book.md",
                "title: Steppe Borders\nauthors: [Ivan Petrov]\ndate: 2001\nspheres: [energy]\n\
                 source: {type: book, container: Studies of Eurasia, issue: \"3\", pages: \"230\", publisher: Nauka, place: Moscow}\n",
            ),
            (
                "abstracts/thesis.md",
                "title: Border Trade\nauthors: [Ivan Petrov]\ndate: 2002\nspheres: [energy]\n\
                 source: {type: thesis, container: University of the Steppe, pages: \"180\"}\n",
            ),
            (
                "abstracts/chapter.md",
                "title: Gas\nauthors: [Ivan Petrov]\ndate: 2003\nspheres: [energy]\n\
                 source: {type: chapter, container: Handbook, pages: \"7\"}\n",
            ),
        ],
    )
}

#[test]
fn csl_fields_follow_the_kind_of_work() {
    let validator = csl_validator();
    let a = kinds_archive();
    let item = |slug: &str| {
        let text = work_file(&a, id_of(&a, slug), Format::Csl);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}\n{text}");
        v[0].clone()
    };
    let report = item("report");
    assert_eq!(report["genre"], "Working Paper");
    assert_eq!(report["number"], "16");
    assert_eq!(report["number-of-pages"], "23");
    for absent in ["container-title", "issue", "page", "page-first"] {
        assert!(report.get(absent).is_none(), "{absent}: {report}");
    }
    let book = item("book");
    assert_eq!(book["collection-title"], "Studies of Eurasia");
    assert_eq!(book["collection-number"], "3");
    assert_eq!(book["number-of-pages"], "230");
    assert!(book.get("container-title").is_none(), "{book}");
    let thesis = item("thesis");
    assert_eq!(thesis["publisher"], "University of the Steppe");
    assert_eq!(thesis["number-of-pages"], "180");
    // A chapter's single page is a page of the book it is in.
    let chapter = item("chapter");
    assert_eq!(chapter["container-title"], "Handbook");
    assert_eq!(chapter["page"], "7");
    assert!(chapter.get("number-of-pages").is_none(), "{chapter}");
    // schema.org: a book's page count is `numberOfPages`, never a start page.
    let ld = jsonld::object(&Record::from_work(&a, id_of(&a, "book"), false));
    assert_eq!(ld["numberOfPages"], "230");
    assert!(ld.get("pageStart").is_none(), "{ld}");
    let ld = jsonld::object(&Record::from_work(&a, id_of(&a, "chapter"), false));
    assert_eq!(ld["pageStart"], "7");
}

#[test]
fn references_cite_reports_and_books_as_such() {
    let a = kinds_archive();
    let refs = |slug: &str| -> Vec<String> {
        format::references(&Record::from_work(&a, id_of(&a, slug), false))
            .into_iter()
            .map(|r| r.text)
            .collect()
    };
    let report = refs("report");
    assert!(
        report[0].contains("Energy Transit (Working Paper No. 16)."),
        "{report:?}"
    );
    assert!(!report[0].contains("In Working Paper"), "{report:?}");
    assert!(report[2].ends_with("23 с."), "{report:?}");
    let book = refs("book");
    // APA leaves a book's page count out; GOST writes it as such.
    assert!(!book[0].contains("p. 230"), "{book:?}");
    assert!(book[2].contains("230 с."), "{book:?}");
    assert!(!book[2].contains("С. 230"), "{book:?}");
}

#[test]
fn every_kind_of_work_imports_back_from_each_export() {
    let a = kinds_archive();
    for (format, import) in [
        (Format::Csl, crate::import::Format::CslJson),
        (Format::Bib, crate::import::Format::Bibtex),
        (Format::Ris, crate::import::Format::Ris),
    ] {
        for slug in ["report", "book", "chapter"] {
            let text = work_file(&a, id_of(&a, slug), format);
            let read = import.read(&text);
            let back = &read.entries[0].record;
            let w = Record::from_work(&a, id_of(&a, slug), false);
            assert_eq!(back.kind, w.kind, "{slug}: {text}");
            assert_eq!(back.container, w.container, "{slug}: {text}");
            assert_eq!(back.issue, w.issue, "{slug}: {text}");
            assert_eq!(back.pages, w.pages, "{slug}: {text}");
            assert_eq!(back.publisher, w.publisher, "{slug}: {text}");
        }
    }
    // BibTeX: a report's kind is its `type`, a whole work's page count `pagetotal`.
    let bib = work_file(&a, id_of(&a, "report"), Format::Bib);
    assert!(bib.contains("type = {Working Paper}"), "{bib}");
    assert!(bib.contains("pagetotal = {23}"), "{bib}");
    assert!(!bib.contains("pages ="), "{bib}");
}

#[test]
fn a_generational_suffix_survives_every_format_and_reads_back() {
    let a = test_archive(
        "https://example.org/ru-kz/",
        &[
            ("spheres/energy.md", "title: Energy\n"),
            (
                "abstracts/w.md",
                "title: W\nauthors: [John Smith Jr., \"King, Martin Luther, III\"]\ndate: 2001\nspheres: [energy]\n",
            ),
        ],
    );
    let id = id_of(&a, "w");
    let bib = work_file(&a, id, Format::Bib);
    assert!(
        bib.contains("author = {Smith, Jr., John and King, III, Martin Luther}"),
        "{bib}"
    );
    let ris = work_file(&a, id, Format::Ris);
    assert!(ris.contains("AU  - Smith, John, Jr.\r\n"), "{ris}");
    let csl: serde_json::Value = serde_json::from_str(&work_file(&a, id, Format::Csl)).unwrap();
    assert_eq!(
        csl[0]["author"][0],
        serde_json::json!({"family": "Smith", "given": "John", "suffix": "Jr."})
    );
    let apa = &format::references(&Record::from_work(&a, id, false))[0].text;
    assert!(
        apa.starts_with("Smith, J., Jr., & King, M. L., III. (2001)"),
        "{apa}"
    );
    for (format, import) in [
        (Format::Csl, crate::import::Format::CslJson),
        (Format::Bib, crate::import::Format::Bibtex),
        (Format::Ris, crate::import::Format::Ris),
    ] {
        let read = import.read(&work_file(&a, id, format));
        let names: Vec<Name> = read.entries[0]
            .record
            .authors
            .iter()
            .map(|n| Name::parse(n))
            .collect();
        let written: Vec<Name> = ["John Smith Jr.", "King, Martin Luther, III"]
            .iter()
            .map(|n| Name::parse(n))
            .collect();
        assert_eq!(names, written, "{format:?}");
    }
}
