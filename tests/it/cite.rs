//! Citing and exporting: the meta tags, JSON-LD and "Cite" block of abstract pages agree with
//! the visible page, and every download parses with an independent reader.

use crate::support::{BASE_PATH, fixture};
use biblatex::{Bibliography, ChunksExt};
use scraper::{Html, Selector};
use std::fs;

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel).collect()
}

fn text(e: &scraper::ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

fn metas(doc: &Html, attr: &str, name: &str) -> Vec<String> {
    select(doc, &format!("meta[{attr}=\"{name}\"]"))
        .iter()
        .map(|m| m.value().attr("content").unwrap().to_string())
        .collect()
}

fn csl_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/schemas/csl-data.json"),
        )
        .unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn abstract_pages_carry_meta_tags_json_ld_and_references_that_match_the_page() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let validator = csl_validator();
    let mut checked = 0;
    for slug in [
        "customs-union",
        "eurasian-integration",
        "founding",
        "migration",
        "no-period",
        "oil-and-gas",
        "qazaqstan-zhane-resey",
    ] {
        let html = site.read_out(&format!("abstracts/{slug}/index.html"));
        let doc = Html::parse_document(&html);
        let h1 = text(&select(&doc, "h1")[0]);
        let authors: Vec<String> = select(&doc, ".byline .authors a")
            .iter()
            .map(text)
            .collect();
        let date = select(&doc, ".byline time")
            .first()
            .map(|t| t.value().attr("datetime").unwrap().to_string());

        // Highwire Press, Dublin Core and Open Graph name the same title, authors and date.
        assert_eq!(metas(&doc, "name", "citation_title"), vec![h1.clone()]);
        assert_eq!(metas(&doc, "name", "DC.title"), vec![h1.clone()]);
        assert_eq!(metas(&doc, "property", "og:title"), vec![h1.clone()]);
        assert_eq!(metas(&doc, "name", "citation_author"), authors);
        assert_eq!(metas(&doc, "name", "DC.creator"), authors);
        assert_eq!(
            metas(&doc, "name", "DC.date").first().cloned(),
            date.clone()
        );
        let page_url = format!("https://example.org/rk/abstracts/{slug}/");
        assert_eq!(
            metas(&doc, "name", "citation_abstract_html_url"),
            vec![page_url.clone()]
        );
        assert_eq!(metas(&doc, "property", "og:url"), vec![page_url.clone()]);

        // JSON-LD parses and says the same.
        let scripts = select(&doc, "script[type=\"application/ld+json\"]");
        assert_eq!(scripts.len(), 1, "{slug}");
        let ld: serde_json::Value =
            serde_json::from_str(&scripts[0].inner_html()).expect("JSON-LD is JSON");
        assert_eq!(ld["@context"], "https://schema.org");
        assert_eq!(ld["name"], h1.as_str(), "{slug}");
        assert_eq!(ld["url"], page_url.as_str());
        let ld_authors: Vec<String> = ld["author"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| p["name"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(ld_authors, authors, "{slug}");
        assert_eq!(ld["datePublished"].as_str().map(str::to_string), date);

        // The Cite block: three styles, each with the title, and a copy button per style.
        let refs = select(&doc, ".cite .reference");
        let styles: Vec<String> = select(&doc, ".cite .reference-style")
            .iter()
            .map(text)
            .collect();
        assert_eq!(
            styles,
            ["APA 7", "Chicago author-date", "GOST R 7.0.5-2008"]
        );
        for r in &refs {
            let body = text(&select_in(r, ".reference-text")[0]);
            let first_word = h1.split_whitespace().next().unwrap();
            assert!(body.contains(first_word), "{slug}: {body}");
            let button = &select_in(r, "button.copy-button")[0];
            assert!(
                button.value().attr("hidden").is_some(),
                "shown only by script"
            );
            assert!(!button.value().attr("data-copy").unwrap().contains('<'));
        }
        if authors.is_empty() {
            assert!(!html.contains("citation_author"), "{slug}");
        }

        // Each download is announced, linked, and parses.
        let alternates: Vec<String> = select(&doc, "link[rel=alternate]")
            .iter()
            .map(|l| l.value().attr("href").unwrap().to_string())
            .filter(|h| !h.ends_with("atom.xml"))
            .collect();
        let linked: Vec<String> = select(&doc, ".cite .downloads a")
            .iter()
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect();
        let expected: Vec<String> = ["bib", "ris", "json"]
            .iter()
            .map(|e| format!("{BASE_PATH}abstracts/{slug}/{slug}.{e}"))
            .collect();
        assert_eq!(alternates, expected);
        assert_eq!(linked, expected);
        let file = |ext: &str| site.read_out(&format!("abstracts/{slug}/{slug}.{ext}"));
        let bib = Bibliography::parse(&file("bib")).expect("BibTeX parses");
        let entry = bib.get(slug).expect("keyed by slug");
        assert_eq!(entry.title().unwrap().format_verbatim(), h1);
        let bib_authors = entry.author().map(|a| a.len()).unwrap_or(0);
        assert_eq!(bib_authors, authors.len(), "{slug}");
        let csl: serde_json::Value = serde_json::from_str(&file("json")).unwrap();
        assert!(validator.is_valid(&csl), "{slug}: {csl}");
        assert_eq!(csl[0]["title"], h1.as_str());
        let ris = file("ris");
        assert!(
            ris.starts_with("TY  - ") && ris.ends_with("ER  - \r\n"),
            "{ris}"
        );
        assert!(ris.contains(&format!("TI  - {h1}\r\n")), "{ris}");
        checked += 1;
    }
    assert_eq!(checked, 7);
}

fn select_in<'a>(e: &scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let sel = Selector::parse(css).unwrap();
    e.select(&sel).collect()
}

#[test]
fn list_downloads_cover_the_archive_periods_and_spheres_without_drafts() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let validator = csl_validator();
    let all = site.read_out("data/archive.csl.json");
    let all: serde_json::Value = serde_json::from_str(&all).unwrap();
    assert!(validator.is_valid(&all));
    let ids: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 7, "every work but the draft: {ids:?}");
    assert!(!ids.contains(&"draft-work"));
    assert!(
        all[0]["abstract"].is_string(),
        "the whole archive carries abstracts"
    );

    let csv = site.read_out("data/archive.csv");
    assert!(
        csv.starts_with('\u{feff}'),
        "a BOM for spreadsheet programs"
    );
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(reader.records().count(), 7);
    assert!(csv.contains("Қазақстан"), "Cyrillic intact");

    // A period's list: its works only, no abstracts; linked and announced from its page.
    let page = site.read_out("periods/partnership/index.html");
    let doc = Html::parse_document(&page);
    let links: Vec<String> = select(&doc, ".downloads a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        links,
        ["bib", "ris", "csl.json", "csv"]
            .map(|e| format!("{BASE_PATH}data/periods/partnership.{e}"))
    );
    let bib = site.read_out("data/periods/partnership.bib");
    let parsed = Bibliography::parse(&bib).unwrap();
    assert!(!parsed.is_empty());
    assert!(!bib.contains("abstract ="), "{bib}");
    for e in parsed.iter() {
        let html = site.read_out(&format!("abstracts/{}/index.html", e.key));
        assert!(
            html.contains("/rk/periods/partnership/"),
            "{} is in the period",
            e.key
        );
    }
    for ext in ["bib", "ris", "csl.json", "csv"] {
        for f in ["spheres/economic", "periods/formation", "archive"] {
            assert!(
                site.out.join(format!("data/{f}.{ext}")).is_file(),
                "{f}.{ext}"
            );
        }
    }
}

/// An Atom feed as an XML parser reads it.
#[derive(Default)]
struct Feed {
    id: String,
    self_link: String,
    updated: String,
    author: bool,
    /// (id, title, has an author)
    entries: Vec<(String, String, bool)>,
}

impl Feed {
    fn read(xml: &str) -> Feed {
        let mut f = Feed::default();
        let mut entry = (String::new(), String::new(), false);
        // Elements come as they close: an entry's children before the entry.
        for e in xml_elements(xml) {
            match e.path.as_str() {
                "feed/id" => f.id = e.text,
                "feed/updated" => f.updated = e.text,
                "feed/author" => f.author = true,
                "feed/link" if e.attr("rel") == Some("self") => {
                    f.self_link = e.attr("href").unwrap().to_string();
                }
                "feed/entry/id" => entry.0 = e.text,
                "feed/entry/title" => entry.1 = e.text,
                "feed/entry/author" => entry.2 = true,
                "feed/entry" => f.entries.push(std::mem::take(&mut entry)),
                _ => {}
            }
        }
        f
    }
}

#[test]
fn periods_spheres_cross_pages_and_authors_have_their_own_atom_feeds() {
    let site = fixture("basic");
    site.build_ok(&[]);
    for page in [
        "periods/partnership/",
        "spheres/economic/",
        "periods/after-2014/political/",
        "authors/john-smith/",
    ] {
        let html = site.read_out(&format!("{page}index.html"));
        let doc = Html::parse_document(&html);
        let feeds: Vec<String> = select(&doc, "link[rel=alternate][type=\"application/atom+xml\"]")
            .iter()
            .map(|l| l.value().attr("href").unwrap().to_string())
            .collect();
        let own = format!("{BASE_PATH}{page}atom.xml");
        assert_eq!(
            feeds,
            [format!("{BASE_PATH}atom.xml"), own.clone()],
            "{page}"
        );
        let feed = Feed::read(&site.read_out(&format!("{page}atom.xml")));
        assert_eq!(feed.id, format!("https://example.org/rk/{page}"), "{page}");
        assert_eq!(
            feed.self_link,
            format!("https://example.org/rk/{page}atom.xml")
        );
        assert!(feed.updated.ends_with('Z'), "RFC 3339: {}", feed.updated);
        // The feed lists the works the page lists.
        let listed: Vec<String> = select(&doc, "main .summaries li .summary-title a")
            .iter()
            .map(|a| format!("https://example.org{}", a.value().attr("href").unwrap()))
            .collect();
        let ids: Vec<String> = feed.entries.iter().map(|e| e.0.clone()).collect();
        assert!(!ids.is_empty(), "{page}");
        for id in &listed {
            assert!(ids.contains(id), "{page}: {id} not in {ids:?}");
        }
        // RFC 4287: every entry has an author, its own or the feed's.
        assert!(feed.author || feed.entries.iter().all(|e| e.2), "{page}");
        assert!(feed.entries.iter().all(|e| !e.1.is_empty()));
        assert!(!ids.iter().any(|i| i.contains("draft-work")));
    }
}

/// One element of an XML document: its path of (prefixed) names from the root, its text and
/// its attributes.
struct Element {
    path: String,
    text: String,
    attrs: Vec<(String, String)>,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The elements of an XML document, read with an XML parser, in the order they close.
fn xml_elements(xml: &str) -> Vec<Element> {
    use quick_xml::events::{BytesStart, Event};
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let attrs_of = |e: &BytesStart| -> Vec<(String, String)> {
        e.attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                (a.key.as_ref().to_owned(), a.value.to_string())
            })
            .collect()
    };
    let (mut path, mut out, mut text) = (
        Vec::<(String, Vec<(String, String)>)>::new(),
        Vec::new(),
        String::new(),
    );
    let joined = |path: &[(String, Vec<(String, String)>)]| {
        path.iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join("/")
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                text.clear();
                path.push((e.name().as_ref().to_owned(), attrs_of(&e)));
            }
            Event::Empty(e) => {
                path.push((e.name().as_ref().to_owned(), attrs_of(&e)));
                let path_text = joined(&path);
                let (_, attrs) = path.pop().unwrap();
                out.push(Element {
                    path: path_text,
                    text: String::new(),
                    attrs,
                });
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => text.push_str(match r.as_ref() {
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "quot" => "\"",
                "apos" => "'",
                other => panic!("unknown entity {other}"),
            }),
            Event::End(_) => {
                let path_text = joined(&path);
                let (_, attrs) = path.pop().unwrap();
                out.push(Element {
                    path: path_text,
                    text: std::mem::take(&mut text),
                    attrs,
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(path.is_empty(), "every element closed");
    out
}

#[test]
fn the_oai_static_repository_lists_every_published_work_in_dublin_core() {
    let site = fixture("basic");
    site.build_ok(&[]);
    assert!(!site.out.join("oai.xml").exists(), "only when set up");
    site.add_setting("oai_gateway: https://gateway.example.net/oai/");
    site.add_setting("oai_admin_email: editor@example.org");
    site.build_ok(&[]);
    let xml = site.read_out("oai.xml");
    assert!(
        xml.contains("<Repository xmlns=\"http://www.openarchives.org/OAI/2.0/static-repository\"")
    );
    let elements = xml_elements(&xml);
    let get = |p: &str| -> Vec<&str> {
        elements
            .iter()
            .filter(|e| e.path == p)
            .map(|e| e.text.as_str())
            .collect()
    };
    assert_eq!(
        get("Repository/Identify/oai:baseURL"),
        ["https://gateway.example.net/oai/example.org/rk/oai.xml"]
    );
    assert_eq!(
        get("Repository/Identify/oai:adminEmail"),
        ["editor@example.org"]
    );
    assert_eq!(get("Repository/Identify/oai:protocolVersion"), ["2.0"]);
    assert_eq!(get("Repository/Identify/oai:granularity"), ["YYYY-MM-DD"]);
    assert_eq!(get("Repository/Identify/oai:deletedRecord"), ["no"]);
    let earliest = get("Repository/Identify/oai:earliestDatestamp")[0].to_string();
    let header = "Repository/ListRecords/oai:record/oai:header";
    let ids = get(&format!("{header}/oai:identifier"));
    assert_eq!(ids.len(), 7, "every work but the draft");
    assert!(
        ids.iter().all(|i| i.starts_with("oai:example.org:")),
        "{ids:?}"
    );
    assert!(!ids.contains(&"oai:example.org:draft-work"));
    for d in get(&format!("{header}/oai:datestamp")) {
        assert_eq!(d.len(), 10, "{d}");
        assert!(d >= earliest.as_str(), "{d} before {earliest}");
    }
    let dc = "Repository/ListRecords/oai:record/oai:metadata/oai_dc:dc";
    let titles = get(&format!("{dc}/dc:title"));
    assert_eq!(titles.len(), 7);
    for (id, title) in ids.iter().zip(&titles) {
        let slug = id.trim_start_matches("oai:example.org:");
        let page = site.read_out(&format!("abstracts/{slug}/index.html"));
        let doc = Html::parse_document(&page);
        assert_eq!(text(&select(&doc, "h1")[0]), *title);
    }
    assert!(get(&format!("{dc}/dc:creator")).contains(&"John Smith"));
    assert!(
        !get(&format!("{dc}/dc:creator"))
            .iter()
            .any(|c| c.contains("unknown"))
    );
    assert!(
        get(&format!("{dc}/dc:identifier"))
            .contains(&"https://example.org/rk/abstracts/oil-and-gas/")
    );
}

#[test]
fn more_than_five_thousand_records_is_a_warning() {
    let site = fixture("basic");
    site.add_setting("oai_gateway: https://gateway.example.net/oai/");
    site.add_setting("oai_admin_email: editor@example.org");
    for i in 0..5000 {
        site.write(
            &format!("content/abstracts/bulk/w{i}.md"),
            &format!("---\ntitle: Work {i}\nauthors: [A B]\ndate: 2001\nspheres: [economic]\n---\nText.\n"),
        );
    }
    let r = site.check(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("oai.xml holds 5007 records, more than the 5000"),
        "{}",
        r.stderr
    );
}
