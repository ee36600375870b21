use super::*;
use quick_xml::Reader;
use quick_xml::events::Event;

/// Parses `xml` fully and returns the local names of its elements in document order, and the
/// unescaped text between tags (runs of white space left out); panics on anything that is not
/// well-formed.
fn parse(xml: &str) -> (Vec<String>, Vec<String>) {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let (mut tags, mut texts, mut depth) = (Vec::new(), Vec::new(), 0i32);
    let mut text = String::new();
    loop {
        let event = reader.read_event().expect("well-formed XML");
        if matches!(
            event,
            Event::Start(_) | Event::Empty(_) | Event::End(_) | Event::Eof
        ) {
            if !text.trim().is_empty() {
                texts.push(std::mem::take(&mut text));
            }
            text.clear();
        }
        match event {
            Event::Start(e) => {
                depth += 1;
                tags.push(e.local_name().as_ref().to_owned());
            }
            Event::Empty(e) => {
                tags.push(e.local_name().as_ref().to_owned());
                for attr in e.attributes() {
                    attr.expect("well-formed attribute")
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .expect("valid escapes");
                }
            }
            Event::End(_) => depth -= 1,
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => text.push_str(match r.as_ref() {
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "quot" => "\"",
                "apos" => "'",
                other => panic!("unknown entity {other}"),
            }),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "every element closed");
    (tags, texts)
}

fn urls(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("https://example.org/rk/abstracts/w{i:06}/"))
        .collect()
}

fn base() -> url::Url {
    url::Url::parse("https://example.org/rk/").unwrap()
}

#[test]
fn small_site_has_one_sitemap() {
    let files = sitemaps(&base(), &urls(3));
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].0, "sitemap.xml");
    let (tags, texts) = parse(&files[0].1);
    assert_eq!(tags.iter().filter(|t| *t == "url").count(), 3);
    assert_eq!(texts[0], "https://example.org/rk/abstracts/w000000/");
    assert!(
        files[0]
            .1
            .contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/")
    );
}

#[test]
fn empty_site_has_an_empty_valid_sitemap() {
    let files = sitemaps(&base(), &[]);
    assert_eq!(files.len(), 1);
    let (tags, _) = parse(&files[0].1);
    assert_eq!(tags, ["urlset"]);
}

#[test]
fn exactly_fifty_thousand_urls_fit_one_sitemap() {
    let files = sitemaps(&base(), &urls(50_000));
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].1.matches("<url>").count(), 50_000);
}

#[test]
fn past_fifty_thousand_urls_sitemap_becomes_an_index() {
    let all = urls(50_001);
    let files = sitemaps(&base(), &all);
    let names: Vec<_> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
    let (tags, texts) = parse(&files[0].1);
    assert_eq!(tags[0], "sitemapindex");
    assert_eq!(
        texts,
        [
            "https://example.org/rk/sitemap-1.xml",
            "https://example.org/rk/sitemap-2.xml"
        ]
    );
    let (tags1, texts1) = parse(&files[1].1);
    assert_eq!(tags1.iter().filter(|t| *t == "url").count(), 50_000);
    let (_, texts2) = parse(&files[2].1);
    assert_eq!(texts2, [all[50_000].clone()]);
    // Order is kept across the parts.
    assert_eq!(texts1.first(), all.first());
    assert_eq!(texts1.last(), all.get(49_999));
}

#[test]
fn sitemap_parts_stay_under_the_size_limit() {
    // The real limit is 50 MiB; the same rule is checked against a small one.
    let long: Vec<String> = (0..300)
        .map(|i| format!("https://example.org/{i:03}/&{}", "x".repeat(100)))
        .collect();
    let max = 4_000;
    let parts = split_sitemap(&long, SITEMAP_MAX_URLS, max);
    assert!(parts.len() > 10, "split by size, not count");
    for (i, part) in parts.iter().enumerate() {
        let len = urlset(part).len();
        assert!(len <= max, "{len} bytes");
        if i + 1 < parts.len() {
            assert!(len + url_line_len(&long[0]) > max, "parts are filled up");
        }
    }
    assert_eq!(parts.concat(), long);
}

#[test]
fn index_locations_work_without_trailing_slash_in_base() {
    let base = url::Url::parse("https://example.org").unwrap();
    let files = sitemaps(&base, &urls(50_001));
    assert!(
        files[0]
            .1
            .contains("<loc>https://example.org/sitemap-1.xml</loc>")
    );
}

#[test]
fn sitemap_escapes_urls() {
    let files = sitemaps(&base(), &["https://example.org/?a=1&b='<2>\"".to_owned()]);
    assert!(
        files[0]
            .1
            .contains("?a=1&amp;b=&apos;&lt;2&gt;&quot;</loc>")
    );
    let (_, texts) = parse(&files[0].1);
    assert_eq!(texts, ["https://example.org/?a=1&b='<2>\""]);
}

fn entry(title: &str, updated: &str, authors: &[&str]) -> FeedEntry {
    FeedEntry {
        title: title.to_owned(),
        url: format!("https://example.org/rk/abstracts/{}/", title.len()),
        updated: updated.to_owned(),
        authors: authors.iter().map(|a| (*a).to_owned()).collect(),
        summary: Some(format!("About {title}")),
    }
}

#[test]
fn atom_feed_is_well_formed_and_complete() {
    let entries = [
        entry(
            "Caspian pipeline",
            "2019-03-31T00:00:00Z",
            &["Иванов И. И."],
        ),
        entry("Older", "2001-01-01T00:00:00Z", &["A", "B"]),
    ];
    let xml = atom(
        "Russia–Kazakhstan",
        "https://example.org/rk/",
        "https://example.org/rk/atom.xml",
        &entries,
    );
    let (tags, _) = parse(&xml);
    assert_eq!(tags[0], "feed");
    assert_eq!(tags.iter().filter(|t| *t == "entry").count(), 2);
    assert!(xml.contains("<id>https://example.org/rk/</id>"));
    assert!(xml.contains("  <updated>2019-03-31T00:00:00Z</updated>"));
    assert!(xml.contains(
        "rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/rk/atom.xml\""
    ));
    assert!(xml.contains("rel=\"alternate\" type=\"text/html\" href=\"https://example.org/rk/\""));
    assert!(xml.contains("<author><name>Иванов И. И.</name></author>"));
    assert!(xml.contains("<id>https://example.org/rk/abstracts/16/</id>"));
    assert!(xml.contains("<summary>About Older</summary>"));
    // Every entry has an author, so the feed needs none.
    assert_eq!(xml.matches("<author>").count(), 3);
}

#[test]
fn atom_feed_author_stands_in_for_unknown_authors() {
    let xml = atom(
        "Site",
        "https://e.org/",
        "https://e.org/atom.xml",
        &[entry("Anonymous", "2019-03-31T00:00:00Z", &[])],
    );
    parse(&xml);
    assert!(xml.contains("  <author><name>Site</name></author>\n  <entry>"));
}

#[test]
fn atom_updated_is_the_newest_entry_not_the_first() {
    let entries = [
        entry("a", "2001-01-01T00:00:00Z", &["x"]),
        entry("bb", "2019-03-31T00:30:00+02:00", &["x"]),
        entry("ccc", "2019-03-30T23:00:00Z", &["x"]),
    ];
    let xml = atom("S", "https://e.org/", "https://e.org/atom.xml", &entries);
    // 00:30+02:00 is 22:30Z on the 30th, earlier than 23:00Z.
    assert!(xml.contains("  <updated>2019-03-30T23:00:00Z</updated>"));
}

#[test]
fn empty_atom_feed_is_deterministic() {
    let a = atom("S", "https://e.org/", "https://e.org/atom.xml", &[]);
    let b = atom("S", "https://e.org/", "https://e.org/atom.xml", &[]);
    assert_eq!(a, b);
    assert!(a.contains("<updated>1970-01-01T00:00:00Z</updated>"));
    assert!(a.contains("<author><name>S</name></author>"));
    parse(&a);
}

#[test]
fn atom_escapes_everything() {
    let nasty = "A & B <script>\"q\" 'a'\u{1}";
    let e = FeedEntry {
        title: nasty.to_owned(),
        url: "https://e.org/?a=1&b=2".to_owned(),
        updated: "2019-03-31T00:00:00Z".to_owned(),
        authors: vec![nasty.to_owned()],
        summary: Some(nasty.to_owned()),
    };
    let xml = atom(nasty, "https://e.org/?x=\"", "https://e.org/a.xml?'", &[e]);
    assert!(!xml.contains("<script>"));
    assert!(!xml.contains('\u{1}'));
    assert!(xml.contains("A &amp; B &lt;script&gt;&quot;q&quot; &apos;a&apos;"));
    assert!(xml.contains("href=\"https://e.org/?a=1&amp;b=2\""));
    let (_, texts) = parse(&xml);
    assert_eq!(texts[0], "A & B <script>\"q\" 'a'");
}

#[test]
fn robots_names_the_sitemap() {
    assert_eq!(
        robots(&["https://example.org/rk/sitemap.xml".into()]),
        "User-agent: *\nDisallow:\n\nSitemap: https://example.org/rk/sitemap.xml\n"
    );
    assert_eq!(
        robots(&[
            "https://e.org/sitemap.xml".into(),
            "https://e.org/ru/sitemap.xml".into()
        ]),
        "User-agent: *\nDisallow:\n\nSitemap: https://e.org/sitemap.xml\nSitemap: https://e.org/ru/sitemap.xml\n"
    );
}

#[test]
fn instant_keys_order_offsets_and_fractions() {
    assert_eq!(instant_key("1970-01-01T00:00:00Z"), Some((0, 0)));
    assert_eq!(instant_key("1970-01-01T01:00:00+01:00"), Some((0, 0)));
    assert_eq!(instant_key("2000-03-01T00:00:00Z"), Some((951_868_800, 0)));
    assert_eq!(
        instant_key("1970-01-01T00:00:00.5Z"),
        Some((0, 500_000_000))
    );
    assert_eq!(instant_key("2019-03"), None);
    assert_eq!(instant_key("2019-13-01T00:00:00Z"), None);
}
