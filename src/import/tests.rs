use super::*;

#[test]
fn format_by_extension_then_by_content() {
    let p = Path::new;
    assert_eq!(Format::detect(p("x.BIB"), ""), Some(Format::Bibtex));
    assert_eq!(Format::detect(p("x.ris"), "@"), Some(Format::Ris));
    assert_eq!(Format::detect(p("x.json"), ""), Some(Format::CslJson));
    assert_eq!(
        Format::detect(p("x.txt"), "\u{feff}TY  - JOUR\n"),
        Some(Format::Ris)
    );
    assert_eq!(Format::detect(p("x"), "  [{}]"), Some(Format::CslJson));
    assert_eq!(
        Format::detect(p("x"), "% Zotero\n@article{a,}"),
        Some(Format::Bibtex)
    );
    assert_eq!(Format::detect(p("x"), "hello"), None);
}

#[test]
fn into_must_stay_in_the_abstracts() {
    let root = Path::new("arch");
    assert_eq!(
        target_folder(root, Path::new("content/abstracts")).unwrap(),
        "content/abstracts"
    );
    assert_eq!(
        target_folder(root, Path::new("./content/abstracts/zotero/")).unwrap(),
        "content/abstracts/zotero"
    );
    for bad in ["content", "content/abstracts/../pages", "/tmp/x", "static"] {
        assert!(target_folder(root, Path::new(bad)).is_err(), "{bad}");
    }
}

#[test]
fn free_paths_count_up_past_files_and_slugs_in_use() {
    let slugs: HashSet<String> = ["a-title-2".to_string()].into();
    let taken = |rel: &str| rel == "c/2019/a-title.md";
    assert_eq!(
        free_path("c/2019", "a-title", &slugs, &taken),
        ("a-title-3".to_string(), "c/2019/a-title-3.md".to_string())
    );
}

#[test]
fn duplicates_by_doi_or_by_title_and_year() {
    let mut k = Known::default();
    k.add(
        "Россия и Казахстан",
        Some(2019),
        Some("10.5555/RK.1"),
        "a.md",
    );
    k.add("Undated work", None, None, "b.md");
    let rec = |title: &str, year: Option<&str>, doi: Option<&str>| Record {
        title: title.into(),
        date: year.and_then(|y| crate::model::dates::PartialDate::parse(y).ok()),
        doi: doi.map(str::to_string),
        ..Record::default()
    };
    let d = k.duplicate(&rec("Other", None, Some("https://doi.org/10.5555/rk.1")));
    assert!(d.unwrap().contains("same DOI"));
    let d = k.duplicate(&rec("РОССИЯ  и казахстан", Some("2019-05"), None));
    assert!(d.unwrap().contains("a.md"));
    assert!(
        k.duplicate(&rec("Россия и Казахстан", Some("2020"), None))
            .is_none()
    );
    assert!(k.duplicate(&rec("undated WORK", None, None)).is_some());
}

#[test]
fn no_input_makes_a_reader_panic() {
    let fixtures = [
        (
            Format::Bibtex,
            include_str!("../../tests/fixtures/import/zotero.bib"),
        ),
        (
            Format::Ris,
            include_str!("../../tests/fixtures/import/zotero.ris"),
        ),
        (
            Format::CslJson,
            include_str!("../../tests/fixtures/import/zotero.json"),
        ),
    ];
    for (format, text) in fixtures {
        // Every prefix, and the text with one character dropped, at many places.
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(13).collect();
        for &cut in &cuts {
            let mut dropped = text.to_string();
            dropped.remove(cut);
            for t in [&text[..cut], dropped.as_str()] {
                for e in format.read(t).entries {
                    let _ = write::abstract_file(&e.record, &[], "x:1", &e.notes);
                }
            }
        }
        // And every format's reader on the other formats' files.
        for (other, _) in fixtures {
            let _ = other.read(text);
        }
    }
}

#[test]
fn lines_counts_forward_and_starts_again_when_asked_backwards() {
    let text = "a\nb\nc\n\nd";
    let mut lines = Lines::new(text);
    assert_eq!(lines.at(0), 1);
    assert_eq!(lines.at(2), 2);
    assert_eq!(lines.at(4), 3);
    assert_eq!(lines.at(7), 5);
    assert_eq!(lines.at(1), 1);
    assert_eq!(lines.at(1_000), 5);
}
