//! `dyad import`: the Zotero fixtures (`tests/fixtures/import/zotero.{bib,ris,json}`, the same 24
//! synthetic records in each format) imported into a copy of `tests/fixtures/basic`.

use crate::support::{Site, fixture, fixtures_dir, main_part, tree};
use std::collections::BTreeMap;

const FORMATS: [&str; 3] = ["bib", "ris", "json"];

/// The path of a Zotero fixture.
fn export(ext: &str) -> String {
    fixtures_dir()
        .join(format!("import/zotero.{ext}"))
        .to_str()
        .unwrap()
        .to_string()
}

/// `dyad import FILE --root <root> <extra…>`.
fn import(site: &Site, file: &str, extra: &[&str]) -> crate::support::Run {
    let mut args = vec!["import", file, "--root", site.root.to_str().unwrap()];
    args.extend_from_slice(extra);
    site.dyad(&args)
}

/// The archive's abstracts as text, with the `# Imported from FILE:LINE.` line left out.
fn abstracts(site: &Site) -> BTreeMap<String, String> {
    tree(&site.root.join("content/abstracts"))
        .into_iter()
        .map(|(p, b)| {
            let text = String::from_utf8(b).unwrap();
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| !l.starts_with("# Imported from "))
                .collect();
            (p, kept.join("\n"))
        })
        .collect()
}

#[test]
fn each_format_imports_into_an_archive_that_passes_check() {
    for ext in FORMATS {
        let site = fixture("basic");
        let before = tree(&site.root);
        let r = import(&site, &export(ext), &["--sphere", "political"]);
        assert_eq!(r.code, 0, "{ext}: {}\n{}", r.stderr, r.stdout);
        assert!(
            r.stdout.contains("imported 22 records") && r.stdout.contains("skipped 2 duplicates"),
            "{ext}: {}",
            r.stdout
        );
        let after = tree(&site.root);
        for (path, bytes) in &before {
            assert_eq!(after.get(path), Some(bytes), "{ext}: {path} was changed");
        }
        assert_eq!(after.len(), before.len() + 22, "{ext}");
        let check = site.check(&[]);
        assert_eq!(check.code, 0, "{ext}: {}", check.stderr);
        // The report names each file written, and what an editor must look at.
        assert!(
            r.stdout
                .contains("content/abstracts/2017/oil-transit-and-the-caspian-pipeline-consortium-1992-2016.md"),
            "{}",
            r.stdout
        );
        assert!(r.stdout.contains("no coverage"), "{}", r.stdout);
        assert!(
            r.stdout.contains(
                "a-note-on-the-semipalatinsk-test-site-archives.md: authors unknown; date unknown"
            ),
            "{}",
            r.stdout
        );
        assert!(
            r.stdout.contains("same title and year (2001) as ")
                && r.stdout.contains("content/abstracts/2001/oil-and-gas.md"),
            "{}",
            r.stdout
        );
        assert!(
            r.stdout.contains("same DOI `10.5555/rk.2017.002`"),
            "{}",
            r.stdout
        );
    }
}

#[test]
fn the_three_formats_write_the_same_files() {
    let written: Vec<BTreeMap<String, String>> = FORMATS
        .iter()
        .map(|ext| {
            let site = fixture("basic");
            let r = import(&site, &export(ext), &[]);
            assert_eq!(r.code, 0, "{ext}: {}", r.stderr);
            abstracts(&site)
        })
        .collect();
    assert_eq!(written[0], written[1], "bib and ris differ");
    assert_eq!(written[0], written[2], "bib and json differ");
    let f = &written[0];
    let get = |p: &str| f.get(p).unwrap_or_else(|| panic!("no {p}"));
    // LaTeX resolved; names in the editors' order; source fields; DOI without resolver.
    let oil = get("2017/oil-transit-and-the-caspian-pipeline-consortium-1992-2016.md");
    for line in [
        "title: \"Oil transit and the Caspian Pipeline Consortium, 1992–2016\"",
        "authors: [\"Jörg Möller\"]",
        "date: 2017-03-15",
        "  container: \"Central Asian Survey\"",
        "  volume: \"36\"",
        "  pages: \"12–34\"",
        "doi: \"10.5555/rk.2017.002\"",
        "keywords: [\"energy\", \"pipelines\", \"Caspian\"]",
        "language: \"en\"",
    ] {
        assert!(oil.lines().any(|l| l == line), "{line}\n{oil}");
    }
    let eaeu = get("2020/yevraziyskiy-ekonomicheskiy-soyuz-pyat-let-spustya.md");
    assert!(
        eaeu.contains("authors: [\"Петров И. П.\", \"Сүлейменова Ә. Қ.\"]"),
        "{eaeu}"
    );
    let kk = get("2012/qazaqstan-men-resey-arasyndagy-shekara-maseleleri.md");
    assert!(
        kk.contains("authors: [\"Жұмабаев Ерлан Нұрланұлы\"]"),
        "{kk}"
    );
    assert!(kk.contains("language: \"kk\""), "{kk}");
    let report = get("2021/labour-migration-from-central-asia-to-russia-kazakhstan.md");
    assert!(report.contains("Russia & Kazakhstan\""), "{report}");
    assert!(report.contains("  type: report"), "{report}");
    // Nothing invented for what the export lacks.
    let unknown = get("undated/a-note-on-the-semipalatinsk-test-site-archives.md");
    assert!(unknown.contains("\nauthors: unknown\n") && unknown.contains("\ndate: unknown\n"));
    assert!(unknown.contains("# The import had no author"), "{unknown}");
    assert!(
        unknown.contains("# The import had no usable date"),
        "{unknown}"
    );
    assert!(unknown.contains("spheres: []"), "{unknown}");
    let nd = get("undated/kazakh-diaspora-in-russia-s-border-oblasts.md");
    assert!(
        nd.contains("# Import note: the date `n.d.` could not be read."),
        "{nd}"
    );
}

#[test]
fn without_sphere_check_asks_for_the_spheres() {
    let site = fixture("basic");
    assert_eq!(import(&site, &export("ris"), &[]).code, 0);
    let check = site.check(&[]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    let errors: Vec<&str> = check
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(errors.len(), 22, "{}", check.stderr);
    assert!(
        errors.iter().all(|l| l.contains("`spheres` is empty")),
        "{errors:?}"
    );
}

#[test]
fn a_second_import_skips_every_record() {
    for ext in FORMATS {
        let site = fixture("basic");
        assert_eq!(
            import(&site, &export(ext), &["--sphere", "economic"]).code,
            0
        );
        let before = tree(&site.root);
        let r = import(&site, &export(ext), &["--sphere", "economic"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.contains("imported 0 records") && r.stdout.contains("skipped 24 duplicates"),
            "{ext}: {}",
            r.stdout
        );
        assert_eq!(
            tree(&site.root),
            before,
            "{ext}: the second import wrote something"
        );
    }
}

#[test]
fn dry_run_writes_nothing_and_reports_the_same() {
    let site = fixture("basic");
    let before = tree(&site.root);
    let dry = import(&site, &export("bib"), &["--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_eq!(tree(&site.root), before);
    assert!(
        dry.stdout.contains("dry run: nothing was written"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("would import 22 records"),
        "{}",
        dry.stdout
    );
    let real = import(&site, &export("bib"), &[]);
    let paths = |out: &str| -> Vec<String> {
        out.lines()
            .filter(|l| l.starts_with("  ") && l.contains(".md  ("))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(paths(&dry.stdout), paths(&real.stdout));
}

#[test]
fn an_existing_file_or_slug_is_never_overwritten() {
    let site = fixture("basic");
    let mine = "---\ntitle: Another work entirely\nauthors: [A. Person]\ndate: 2019\nspheres: [political]\n---\n\nMine.\n";
    site.write(
        "content/abstracts/2019/border-regions-omsk-and-pavlodar.md",
        mine,
    );
    // A work elsewhere whose file name gives the slug the Irtysh paper would take.
    site.write(
        "content/abstracts/1999/water-sharing-on-the-irtysh.md",
        &mine.replace("Another work entirely", "A different study"),
    );
    let r = import(&site, &export("json"), &["--sphere", "political"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let kept = std::fs::read_to_string(
        site.root
            .join("content/abstracts/2019/border-regions-omsk-and-pavlodar.md"),
    )
    .unwrap();
    assert_eq!(kept, mine);
    assert!(
        r.stdout
            .contains("content/abstracts/2019/border-regions-omsk-and-pavlodar-2.md"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("content/abstracts/2011/water-sharing-on-the-irtysh-2.md"),
        "{}",
        r.stdout
    );
    let check = site.check(&[]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn an_unknown_sphere_is_a_usage_error_and_nothing_is_written() {
    let site = fixture("basic");
    let before = tree(&site.root);
    let r = import(
        &site,
        &export("bib"),
        &["--sphere", "political", "--sphere", "economc"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("unknown sphere `economc`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `economic`?"),
        "{}",
        r.stderr
    );
    assert_eq!(tree(&site.root), before);
}

#[test]
fn usage_and_io_errors_exit_2() {
    let site = fixture("basic");
    let missing = site.tmp().join("nowhere.bib");
    let r = import(&site, missing.to_str().unwrap(), &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nowhere.bib"), "{}", r.stderr);
    let r = import(&site, &export("bib"), &["--into", "content/pages"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("content/abstracts"), "{}", r.stderr);
    let odd = site.tmp().join("export.txt");
    std::fs::write(&odd, "just some notes\n").unwrap();
    let r = import(&site, odd.to_str().unwrap(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("cannot tell the format"), "{}", r.stderr);
}

#[test]
fn broken_records_are_reported_with_their_line_and_the_good_ones_imported() {
    let cases = [
        (
            "broken.bib",
            "@article{ok1, title = {First good}, year = {2001}}\n\n@article{bad,\n  title = {Bad},\n  author = Undefined\n}\n\n@article{ok2, title = {Second good}, year = {2002}}\n",
            5,
        ),
        (
            "broken.ris",
            "TY  - JOUR\nTI  - First good\nPY  - 2001\nER  - \n\nTY  - JOUR\nTI - Bad\nER  - \n\nTY  - JOUR\nTI  - Second good\nPY  - 2002\nER  - \n",
            7,
        ),
        (
            "broken.json",
            "[\n  {\"type\": \"book\", \"title\": \"First good\", \"issued\": {\"date-parts\": [[2001]]}},\n  {\"type\": \"book\", \"title\": \"Bad\", \"author\": \"one string\"},\n  {\"type\": \"book\", \"title\": \"Second good\", \"issued\": {\"date-parts\": [[2002]]}}\n]\n",
            3,
        ),
    ];
    for (name, text, line) in cases {
        let site = fixture("basic");
        let file = site.tmp().join(name);
        std::fs::write(&file, text).unwrap();
        let r = import(&site, file.to_str().unwrap(), &["--sphere", "political"]);
        assert_eq!(r.code, 1, "{name}: {}\n{}", r.stderr, r.stdout);
        assert!(
            r.stderr.contains(&format!("{name}:{line}: error: ")),
            "{name}: {}",
            r.stderr
        );
        assert!(
            r.stdout.contains("imported 2 records"),
            "{name}: {}",
            r.stdout
        );
        assert!(
            r.stdout.contains("1 could not be read"),
            "{name}: {}",
            r.stdout
        );
        assert!(!r.stderr.contains("panicked"));
    }
}

#[test]
fn escaped_markdown_survives_to_the_page() {
    let site = fixture("basic");
    assert_eq!(
        import(&site, &export("bib"), &["--sphere", "economic"]).code,
        0
    );
    site.build_ok(&[]);
    let page = site.read_out("abstracts/trade-flows-after-2014-a-gravity-model-view/index.html");
    let main = main_part(&page);
    for literal in [
        "*gravity model*",
        "trade_flow_kz",
        "__ratio__",
        "section #3",
        "[table 2](x)",
        "&lt; 5 %",
        "`2015`",
        "(A &amp; B)",
    ] {
        assert!(main.contains(literal), "{literal} missing:\n{main}");
    }
    assert!(!main.contains("<em>gravity"), "{main}");
    let nuclear =
        site.read_out("abstracts/nuclear-fuel-cooperation-kazatomprom-and-rosatom/index.html");
    let main = main_part(&nuclear);
    assert!(main.contains("# Not a heading"), "{main}");
    assert!(main.contains("- not a list item"), "{main}");
    assert!(main.contains("1. not a numbered item"), "{main}");
    assert!(!main.contains("<li>"), "{main}");
}

/// A CSL value as text (numbers and strings alike).
fn csl_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The round trip of issue 5: a Zotero export in each format is imported into a new archive,
/// built, and the archive's CSL-JSON export says the same as the original export, field by
/// field.
#[test]
fn imported_records_come_back_out_of_the_exports_field_by_field() {
    let truth: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(export("json")).unwrap()).unwrap();
    let norm_ws = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let norm_pages = |s: &str| s.replace(['–', '—'], "-").replace("--", "-");
    let keywords = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v
            .as_str()
            .unwrap_or_default()
            .split([',', ';'])
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect();
        k.sort();
        k
    };
    let date = |v: &serde_json::Value| -> Option<Vec<i64>> {
        v["date-parts"].get(0).map(|parts| {
            parts
                .as_array()
                .unwrap()
                .iter()
                .map(|p| csl_text(p).unwrap().parse::<i64>().unwrap())
                .collect()
        })
    };
    for ext in FORMATS {
        let site = crate::support::empty_site();
        let root = site.root.to_str().unwrap().to_string();
        let r = site.dyad(&["init", &root]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = import(&site, &export(ext), &["--sphere", "economic"]);
        assert_eq!(r.code, 0, "{ext}: {}", r.stderr);
        site.build_ok(&[]);
        let exported: Vec<serde_json::Value> =
            serde_json::from_str(&site.read_out("data/archive.csl.json")).unwrap();
        let mut compared = 0;
        let mut dois = std::collections::HashSet::new();
        for t in &truth {
            let found: Vec<&serde_json::Value> = exported
                .iter()
                .filter(|e| e["title"] == t["title"])
                .collect();
            // The export's duplicate (a DOI written twice, differently) is imported once.
            let doi = csl_text(&t["DOI"]).map(|d| {
                d.to_lowercase()
                    .trim_start_matches("https://doi.org/")
                    .to_string()
            });
            if let Some(d) = doi
                && !dois.insert(d)
            {
                assert!(found.is_empty(), "{ext}: {}", t["title"]);
                continue;
            }
            assert_eq!(found.len(), 1, "{ext}: {}", t["title"]);
            let e = found[0];
            let what = format!("{ext}: {}", t["title"]);
            assert_eq!(e["type"], t["type"], "{what}");
            let names = |v: &serde_json::Value| -> Vec<(String, String)> {
                v.as_array()
                    .map(|a| {
                        a.iter()
                            .map(|n| match n.get("literal") {
                                Some(l) => (l.as_str().unwrap().to_string(), String::new()),
                                None => (
                                    n["family"].as_str().unwrap().to_string(),
                                    n["given"].as_str().unwrap_or_default().to_string(),
                                ),
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            };
            assert_eq!(names(&e["author"]), names(&t["author"]), "{what}");
            assert_eq!(date(&e["issued"]), date(&t["issued"]), "{what}");
            for field in [
                "container-title",
                "volume",
                "issue",
                "publisher",
                "publisher-place",
                "language",
            ] {
                assert_eq!(csl_text(&e[field]), csl_text(&t[field]), "{what}: {field}");
            }
            assert_eq!(
                csl_text(&e["DOI"]).map(|d| d.to_lowercase()),
                csl_text(&t["DOI"]).map(|d| d.to_lowercase()),
                "{what}: DOI"
            );
            assert_eq!(
                csl_text(&e["page"]).map(|p| norm_pages(&p)),
                csl_text(&t["page"]).map(|p| norm_pages(&p)),
                "{what}: page"
            );
            assert_eq!(keywords(&e["keyword"]), keywords(&t["keyword"]), "{what}");
            assert_eq!(
                csl_text(&e["abstract"]).map(|a| norm_ws(&a)),
                csl_text(&t["abstract"]).map(|a| norm_ws(&a)),
                "{what}: abstract"
            );
            if let Some(u) = csl_text(&t["URL"]) {
                assert_eq!(csl_text(&e["URL"]), Some(u), "{what}: URL");
            }
            compared += 1;
        }
        assert!(compared >= 20, "{ext}: {compared}");
        assert_eq!(
            exported.len(),
            compared,
            "{ext}: nothing else in the archive"
        );
    }
}

#[test]
fn a_very_long_title_or_keyword_still_makes_files_that_build() {
    let site = fixture("basic");
    let title = "Россия и Казахстан: очень длинное название ".repeat(12);
    let keyword = "Евразийская экономическая интеграция и ее последствия ".repeat(8);
    let bib = format!(
        "@article{{long,\n  title = {{{title}}},\n  author = {{Иванов, Иван}},\n  year = {{2019}},\n  keywords = {{{keyword}}}\n}}\n"
    );
    let file = site.root.join("long.bib");
    std::fs::write(&file, bib).unwrap();
    let r = import(&site, file.to_str().unwrap(), &["--sphere", "political"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stderr, r.stdout);
    let written: Vec<String> = tree(&site.root.join("content/abstracts"))
        .into_keys()
        .filter(|p| p.contains("rossiya-i-kazakhstan-ochen"))
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let name = written[0].rsplit('/').next().unwrap();
    assert!(name.len() <= 103, "{name}");
    site.build_ok(&[]);
    let stem = name.trim_end_matches(".md");
    assert!(
        site.out
            .join(format!("abstracts/{stem}/index.html"))
            .exists()
    );
    // The keyword's page exists under a cut slug with its hash.
    let keywords: Vec<String> = std::fs::read_dir(site.out.join("keywords"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("yevraziyskaya"))
        .collect();
    assert_eq!(keywords.len(), 1, "{keywords:?}");
    assert!(keywords[0].len() <= 107, "{}", keywords[0]);
}
