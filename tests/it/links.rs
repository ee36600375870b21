//! Link walking: every link and asset reference of every generated page resolves to a file of
//! the output; every page has the required head elements; sitemap.xml and atom.xml list exactly
//! the pages they should.

use crate::support::{BASE_PATH, BASE_URL, Site, file_url, fixture, html_pages, url_file};
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// One parsed page.
struct Page {
    /// Its root-relative URL, base path included.
    url: String,
    doc: Html,
}

impl Page {
    fn ids(&self) -> BTreeSet<String> {
        self.doc
            .select(&sel("[id], a[name]"))
            .filter_map(|e| e.value().attr("id").or_else(|| e.value().attr("name")))
            .map(str::to_string)
            .collect()
    }

    fn is_redirect(&self) -> bool {
        self.doc
            .select(&sel(r#"meta[http-equiv="refresh"]"#))
            .next()
            .is_some()
    }

    fn is_noindex(&self) -> bool {
        self.doc
            .select(&sel(r#"meta[name="robots"]"#))
            .any(|e| e.value().attr("content").unwrap_or("").contains("noindex"))
    }

    /// Every link target of the page: href, src, srcset candidates and a meta refresh's URL.
    fn targets(&self) -> Vec<(String, String)> {
        let mut v = Vec::new();
        for e in self.doc.select(&sel("[href], [src], [srcset], [action]")) {
            let tag = e.value().name().to_string();
            for attr in ["href", "src", "action"] {
                if let Some(x) = e.value().attr(attr) {
                    v.push((format!("<{tag} {attr}>"), x.to_string()));
                }
            }
            if let Some(set) = e.value().attr("srcset") {
                for candidate in set.split(',') {
                    if let Some(u) = candidate.split_whitespace().next() {
                        v.push((format!("<{tag} srcset>"), u.to_string()));
                    }
                }
            }
        }
        for e in self.doc.select(&sel(r#"meta[http-equiv="refresh"]"#)) {
            let content = e.value().attr("content").unwrap_or("");
            let url = content
                .split_once("url=")
                .map(|(_, u)| u.trim().to_string())
                .unwrap_or_default();
            v.push(("<meta refresh>".into(), url));
        }
        v
    }
}

fn parse_site(out: &Path) -> BTreeMap<String, Page> {
    html_pages(out)
        .into_iter()
        .map(|(rel, text)| {
            let page = Page {
                url: file_url(&rel),
                doc: Html::parse_document(&text),
            };
            (rel, page)
        })
        .collect()
}

/// Splits `path?query#fragment`.
fn split_url(u: &str) -> (&str, Option<&str>) {
    let (rest, frag) = match u.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (u, None),
    };
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    (path, frag)
}

/// Walks every link of every page and returns the problems found (empty when all resolve).
fn broken_links(out: &Path) -> Vec<String> {
    let pages = parse_site(out);
    let ids: BTreeMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|(rel, p)| (rel.as_str(), p.ids()))
        .collect();
    let mut problems = Vec::new();
    for (rel, page) in &pages {
        for (what, target) in page.targets() {
            let target = target.trim();
            let mut problem = |m: String| problems.push(format!("{rel}: {what} `{target}`: {m}"));
            if target.is_empty() {
                problem("empty link".into());
                continue;
            }
            // Normalize to a root-relative path; skip links that leave the site.
            let local = if let Some(frag) = target.strip_prefix('#') {
                if !ids[rel.as_str()].contains(frag) {
                    problem("no element with this id on the page".into());
                }
                continue;
            } else if target.starts_with("//") {
                problem("protocol-relative link".into());
                continue;
            } else if target.starts_with('/') {
                target.to_string()
            } else if let Some(rest) = target.strip_prefix(BASE_URL) {
                format!("{BASE_PATH}{rest}")
            } else if target.contains(':') {
                continue; // https://doi.org/…, mailto:, another site
            } else {
                problem("relative link (links must be root-relative)".into());
                continue;
            };
            if !local.starts_with(BASE_PATH) {
                problem(format!(
                    "root-relative link outside the base path {BASE_PATH}"
                ));
                continue;
            }
            let (path, frag) = split_url(&local);
            let Some(file) = url_file(path) else {
                problem("cannot map to a file".into());
                continue;
            };
            if !out.join(&file).is_file() {
                problem(format!("resolves to `{file}`, which is not in the output"));
                continue;
            }
            if let (Some(frag), Some(target_ids)) = (frag, ids.get(file.as_str()))
                && !frag.is_empty()
                && !target_ids.contains(frag)
            {
                problem(format!("`{file}` has no element with id `{frag}`"));
            }
        }
    }
    problems
}

/// Head requirements of every page; returns the problems found.
fn head_problems(out: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (rel, page) in parse_site(out) {
        let d = &page.doc;
        if d.select(&sel("html[lang]")).next().is_none() {
            problems.push(format!("{rel}: no <html lang>"));
        }
        if d.select(&sel("meta[charset]")).next().is_none() {
            problems.push(format!("{rel}: no <meta charset>"));
        }
        match d.select(&sel("head > title")).next() {
            Some(t) if !t.text().collect::<String>().trim().is_empty() => {}
            _ => problems.push(format!("{rel}: no or empty <title>")),
        }
        let canonical: Vec<_> = d
            .select(&sel(r#"link[rel="canonical"]"#))
            .filter_map(|e| e.value().attr("href"))
            .collect();
        let url = &page.url;
        if page.is_redirect() {
            // A redirect page's canonical URL is its target.
            if canonical.len() != 1 || !canonical[0].starts_with(BASE_URL) {
                problems.push(format!("{rel}: redirect canonical {canonical:?}"));
            }
        } else {
            let expected = format!("{BASE_URL}{}", &url[BASE_PATH.len()..]);
            if canonical != [expected.as_str()] {
                problems.push(format!(
                    "{rel}: canonical {canonical:?}, expected [{expected}]"
                ));
            }
        }
    }
    problems
}

/// The `<loc>` values of a sitemap.
fn sitemap_locs(xml: &str) -> BTreeSet<String> {
    xml.split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap().to_string())
        .collect()
}

/// What the sitemap must list: every HTML page except 404, alias redirects and noindex pages.
fn expected_sitemap(out: &Path) -> BTreeSet<String> {
    parse_site(out)
        .into_iter()
        .filter(|(rel, p)| rel != "404.html" && !p.is_redirect() && !p.is_noindex())
        .map(|(_, p)| format!("{BASE_URL}{}", &p.url[BASE_PATH.len()..]))
        .collect()
}

fn assert_links_and_heads(site: &Site) {
    let broken = broken_links(&site.out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let heads = head_problems(&site.out);
    assert!(heads.is_empty(), "head problems:\n{}", heads.join("\n"));
}

#[test]
fn every_link_of_basic_resolves() {
    let site = fixture("basic");
    site.build_ok(&[]);
    assert_links_and_heads(&site);
}

#[test]
fn every_link_resolves_with_drafts() {
    let site = fixture("basic");
    site.build_ok(&["--drafts"]);
    assert_links_and_heads(&site);
}

#[test]
fn every_link_of_the_template_override_fixture_resolves() {
    let site = fixture("template-override");
    site.build_ok(&[]);
    assert_links_and_heads(&site);
}

#[test]
fn link_walker_catches_a_dangling_link() {
    // The walker itself must be able to fail: delete a page another page links to.
    let site = fixture("basic");
    site.build_ok(&[]);
    std::fs::remove_file(site.out.join("abstracts/oil-and-gas/index.html")).unwrap();
    let broken = broken_links(&site.out);
    assert!(
        broken
            .iter()
            .any(|b| b.contains("/rk/abstracts/oil-and-gas/")),
        "{broken:?}"
    );
}

#[test]
fn at_links_in_bodies_become_root_relative_urls() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let html = site.read_out("abstracts/eurasian-integration/index.html");
    assert!(
        html.contains(r#"href="/rk/abstracts/oil-and-gas/""#),
        "{html}"
    );
    assert!(!html.contains("@/"), "an @/ link survived:\n{html}");
    // The image written in the body points into static/ and is copied.
    assert!(html.contains(r#"src="/rk/images/map.svg""#));
    assert!(site.out.join("images/map.svg").is_file());
}

#[test]
fn sitemap_lists_every_indexable_page_with_absolute_urls() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let xml = site.read_out("sitemap.xml");
    let locs = sitemap_locs(&xml);
    assert!(locs.iter().all(|l| l.starts_with(BASE_URL)), "{locs:?}");
    assert_eq!(locs, expected_sitemap(&site.out));
    // Spelled out, the exclusions the rule above relies on.
    assert!(locs.contains(BASE_URL));
    assert!(locs.contains(&format!("{BASE_URL}abstracts/customs-union/")));
    assert!(!locs.iter().any(|l| l.contains("404")));
    assert!(!locs.contains(&format!("{BASE_URL}old/customs-union/")));
    assert!(!locs.iter().any(|l| l.contains("draft")));
    // No page in a non-draft build is noindex except 404 and the redirects.
    let noindex: Vec<String> = parse_site(&site.out)
        .into_iter()
        .filter(|(rel, p)| p.is_noindex() && rel != "404.html" && !p.is_redirect())
        .map(|(rel, _)| rel)
        .collect();
    assert!(noindex.is_empty(), "{noindex:?}");
}

#[test]
fn alias_redirects_to_its_work() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let html = site.read_out("old/customs-union/index.html");
    assert!(
        html.contains(r#"content="0; url=/rk/abstracts/customs-union/""#),
        "{html}"
    );
    assert!(html.contains(
        r#"<link rel="canonical" href="https://example.org/rk/abstracts/customs-union/">"#
    ));
    assert!(html.contains("noindex"));
}

#[test]
fn drafts_are_left_out_by_default() {
    let site = fixture("basic");
    site.build_ok(&[]);
    assert!(!site.out.join("abstracts/draft-work").exists());
    let all: String = html_pages(&site.out).into_values().collect();
    assert!(!all.contains("draft-work"));
    assert!(!all.contains("An unfinished draft"));
    assert!(!site.read_out("atom.xml").contains("draft"));
}

#[test]
fn drafts_build_has_a_banner_noindex_and_stays_out_of_sitemap_and_feed() {
    let site = fixture("basic");
    site.build_ok(&["--drafts"]);
    let html = site.read_out("abstracts/draft-work/index.html");
    assert!(html.contains(r#"class="draft-banner""#), "{html}");
    assert!(html.contains(r#"<meta name="robots" content="noindex">"#));
    let sitemap = site.read_out("sitemap.xml");
    assert!(!sitemap.contains("draft-work"), "{sitemap}");
    assert_eq!(sitemap_locs(&sitemap), expected_sitemap(&site.out));
    let atom = site.read_out("atom.xml");
    assert!(!atom.contains("draft-work"), "{atom}");
    assert!(!atom.contains("An unfinished draft"), "{atom}");
}

#[test]
fn atom_feed_links_the_published_works() {
    let site = fixture("basic");
    site.build_ok(&["--drafts"]);
    let atom = site.read_out("atom.xml");
    assert!(atom.starts_with("<?xml"));
    let entries = atom.matches("<entry>").count();
    assert_eq!(
        entries, 7,
        "seven published works (the draft left out):\n{atom}"
    );
    for href in atom.split("href=\"").skip(1) {
        let href = href.split('"').next().unwrap();
        let Some(rest) = href.strip_prefix(BASE_URL) else {
            panic!("feed link {href} is not absolute under the base URL");
        };
        let file = url_file(&format!("{BASE_PATH}{rest}")).unwrap();
        assert!(site.out.join(&file).is_file(), "feed link {href} → {file}");
    }
}
