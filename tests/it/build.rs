//! Whole builds: the fixtures and the repository's own archive build; the output is
//! deterministic; the summary line; archive templates override the built-in ones.

use crate::support::{
    Site, copy_tree, empty_site, fixture, fixtures_dir, html_pages, main_part, run, tree,
};
use std::path::Path;

#[test]
fn basic_builds() {
    let site = fixture("basic");
    let r = site.build_ok(&[]);
    for f in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
        "style.css",
        "about/index.html",
        "periods/index.html",
        "periods/after-2014/index.html",
        "periods/after-2014/political/index.html",
        "spheres/index.html",
        "spheres/humanitarian/index.html",
        "authors/index.html",
        "actors/index.html",
        "keywords/index.html",
        "abstracts/eurasian-integration/index.html",
        // A Kazakh file name, transliterated (ң ə ұ … to ASCII).
        "abstracts/qazaqstan-zhane-resey/index.html",
        "old/customs-union/index.html",
    ] {
        assert!(
            site.out.join(f).is_file(),
            "missing {f}; stderr:\n{}",
            r.stderr
        );
    }
    // Zero cells of the matrix have no page.
    assert!(!site.out.join("periods/formation/humanitarian").exists());
}

#[test]
fn build_prints_a_summary_line() {
    let site = fixture("basic");
    let r = site.build_ok(&[]);
    let last = r.stderr.lines().last().unwrap_or("");
    let rest = last.strip_prefix("built ").expect(&r.stderr);
    let words: Vec<&str> = rest.split(' ').collect();
    // built N pages from M abstracts in X s[ (k warnings)]
    assert_eq!(&words[1..4], ["pages", "from", "7"], "{last}");
    assert_eq!(&words[4..6], ["abstracts", "in"], "{last}");
    assert!(words[6].parse::<f64>().is_ok(), "{last}");
    assert_eq!(words[7], "s", "{last}");
    let pages: usize = words[0].replace(',', "").parse().unwrap();
    assert_eq!(
        pages,
        html_pages(&site.out).len(),
        "N counts the HTML pages written"
    );
    assert!(
        r.stdout.is_empty(),
        "build prints to stderr only: {}",
        r.stdout
    );
}

#[test]
fn the_summary_line_says_one_abstract_not_one_abstracts() {
    let site = crate::support::empty_site();
    let init = site.dyad(&["init", site.root.to_str().unwrap()]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    site.write(
        "content/abstracts/only.md",
        "---\ntitle: Only\nauthors: [X]\ndate: 2019\nspheres: [political]\ncoverage: {from: 2019, to: 2019}\n---\nBody.\n",
    );
    let r = site.build_ok(&[]);
    let last = r.stderr.lines().last().unwrap_or("");
    assert!(last.contains(" pages from 1 abstract in "), "{last}");
}

#[test]
fn quiet_build_prints_nothing() {
    let site = fixture("template-override");
    let r = site.build(&["--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    assert_eq!(r.stdout, "");
}

#[test]
fn default_out_is_public_inside_the_root() {
    let site = fixture("template-override");
    let r = site.dyad(&["build", "--root", "archive", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(site.root.join("public/index.html").is_file());
}

#[test]
fn base_url_flag_overrides_archive_yaml() {
    let site = fixture("template-override");
    site.build_ok(&["--base-url", "https://mirror.example.com/archive/"]);
    let html = site.read_out("about/index.html");
    assert!(
        html.contains(r#"<link rel="canonical" href="https://mirror.example.com/archive/about/">"#),
        "{html}"
    );
    assert!(html.contains(r#"href="/archive/periods/""#));
    assert!(!html.contains("/rk/"));
}

#[test]
fn bad_base_url_flag_is_a_usage_error() {
    let site = fixture("template-override");
    let r = site.build(&["--base-url", "not a url"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!site.out.exists());
}

#[test]
fn template_override_uses_the_archives_template() {
    let site = fixture("template-override");
    site.build_ok(&[]);
    let about = site.read_out("about/index.html");
    let main = main_part(&about);
    assert!(
        main.contains(r#"data-template="archive-override""#),
        "{main}"
    );
    assert!(main.contains("About (custom template)"), "{main}");
    // Everything else still comes from the built-in theme.
    assert!(about.contains(r#"<html lang="en">"#));
    let work = site.read_out("abstracts/work/index.html");
    assert!(!work.contains("archive-override"));
    assert!(work.contains(r#"class="work""#), "{work}");
}

/// The repository's own archive, copied (archive.yaml, content/, templates/, static/) so a
/// `public/` left in the work tree cannot influence the result.
fn repo_archive() -> Site {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = empty_site();
    std::fs::create_dir_all(&site.root).unwrap();
    std::fs::copy(repo.join("archive.yaml"), site.root.join("archive.yaml")).unwrap();
    for dir in ["content", "templates", "static"] {
        if repo.join(dir).is_dir() {
            copy_tree(&repo.join(dir), &site.root.join(dir));
        }
    }
    site
}

#[test]
fn repo_archive_checks_clean() {
    let site = repo_archive();
    let r = site.check(&["--deny-warnings"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "the archive is valid\n");
}

#[test]
fn repo_archive_builds_in_place() {
    // The real repository root, read in place (the output goes to a temporary folder).
    let repo = env!("CARGO_MANIFEST_DIR");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let r = run(
        tmp.path(),
        &["build", "--root", repo, "--out", out.to_str().unwrap()],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(out.join("index.html").is_file());
}

#[test]
fn founding_work_shows_unknown_author_and_date_and_is_in_post_crimea_2_only() {
    let site = repo_archive();
    site.build_ok(&[]);
    let pages = html_pages(&site.out);
    let works: Vec<&String> = pages
        .keys()
        .filter(|p| p.starts_with("abstracts/"))
        .collect();
    let founding = works
        .iter()
        .find(|p| pages[**p].contains("Post-Crimea Period: Stage of Stabilization"))
        .expect("the founding work has a page");
    let slug = founding
        .strip_prefix("abstracts/")
        .unwrap()
        .strip_suffix("/index.html")
        .unwrap();
    let main = main_part(&pages[*founding]);
    assert!(main.contains("author unknown"), "{main}");
    assert!(main.contains("n.d."), "{main}");
    // Its period list names post-crimea-2 and no other period.
    let period_links: Vec<&str> = main
        .split("href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .filter(|h| h.contains("/periods/"))
        .collect();
    assert_eq!(period_links, ["/ru-kz/periods/post-crimea-2/"], "{main}");
    // And each period page agrees.
    for period in [
        "formation",
        "partnership",
        "post-crimea-1",
        "post-crimea-2",
        "transit",
        "after-2022",
    ] {
        let html = &pages[&format!("periods/{period}/index.html")];
        let listed = main_part(html).contains(&format!("/abstracts/{slug}/"));
        assert_eq!(listed, period == "post-crimea-2", "period {period}");
    }
}

#[test]
fn build_is_deterministic() {
    let site = fixture("basic");
    let a = site.tmp().join("a");
    let b = site.tmp().join("b");
    assert_eq!(site.build_into(&a, &["--drafts"]).code, 0);
    assert_eq!(site.build_into(&b, &["--drafts"]).code, 0);
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 40);
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(tb[path] == *bytes, "{path} differs between two builds");
    }
}

#[test]
fn build_does_not_depend_on_the_thread_count() {
    let site = fixture("basic");
    let root = site.root.to_str().unwrap();
    let mut trees = Vec::new();
    for threads in ["1", "4"] {
        let out = site.tmp().join(format!("out-{threads}"));
        let r = run(
            site.tmp(),
            &["build", "--root", root, "--out", out.to_str().unwrap()],
            &[("RAYON_NUM_THREADS", threads)],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        trees.push(tree(&out));
    }
    let default_out = site.tmp().join("out-default");
    assert_eq!(site.build_into(&default_out, &[]).code, 0);
    trees.push(tree(&default_out));
    for t in &trees[1..] {
        assert_eq!(
            t.keys().collect::<Vec<_>>(),
            trees[0].keys().collect::<Vec<_>>()
        );
        for (path, bytes) in t {
            assert!(
                trees[0][path] == *bytes,
                "{path} depends on the thread count"
            );
        }
    }
}

#[test]
fn listing_order_is_newest_first_with_unknown_dates_last() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let home = site.read_out("index.html");
    let main = main_part(&home);
    let order: Vec<&str> = main
        .split("class=\"summary-title\"><a href=\"/rk/abstracts/")
        .skip(1)
        .map(|s| s.split('/').next().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            "migration",
            "eurasian-integration",
            "customs-union",
            "no-period",
            "oil-and-gas",
            "qazaqstan-zhane-resey",
            "founding",
        ]
    );
}

#[test]
fn similar_names_keep_distinct_facet_pages() {
    // Сүлейменов (Kazakh ү) and Сулейменов transliterate alike but are different people.
    let site = fixture("basic");
    site.build_ok(&[]);
    let authors: Vec<String> = html_pages(&site.out)
        .keys()
        .filter(|p| p.starts_with("authors/suleymenov-olzhas"))
        .cloned()
        .collect();
    assert_eq!(authors.len(), 2, "{authors:?}");
    // Keywords compare case-insensitively: "Energy" and "energy" are one page.
    let kw = site.read_out("keywords/energy/index.html");
    assert!(kw.contains("eurasian-integration") && kw.contains("oil-and-gas"));
}

#[test]
fn period_and_sphere_pages_list_the_newest_of_each_group_and_link_the_rest() {
    let site = fixture("basic");
    for i in 1..=25 {
        site.write(
            &format!("content/abstracts/bulk/bulk-{i:02}.md"),
            &format!(
                "---\ntitle: Bulk study {i:02}\nauthors: [Bulk Author]\ndate: 1995-{:02}-{:02}\nspheres: [humanitarian]\nperiods: [formation]\n---\nBody {i}.\n",
                1 + i % 12,
                1 + i
            ),
        );
    }
    site.build_ok(&[]);
    let listed = |part: &str| -> Vec<String> {
        part.split("class=\"summary-title\"><a href=\"/rk/abstracts/")
            .skip(1)
            .map(|s| s.split('/').next().unwrap().to_string())
            .collect()
    };
    // The cross page lists all 25, newest first.
    let cross = site.read_out("periods/formation/humanitarian/index.html");
    let all = listed(main_part(&cross));
    assert_eq!(all.len(), 25, "{all:?}");
    // The period page lists the same first ten in its humanitarian group, says so, and links
    // the cross page; the sphere page likewise in its formation group.
    for page in [
        "periods/formation/index.html",
        "spheres/humanitarian/index.html",
    ] {
        let html = site.read_out(page);
        let group = html
            .split("<section class=\"group\"")
            .find(|g| g.contains("Bulk study"))
            .unwrap_or_else(|| panic!("no bulk group in {page}"));
        assert_eq!(listed(group), all[..10], "{page}");
        assert!(group.contains("The 10 newest of 25."), "{page}");
        assert!(
            group.contains("href=\"/rk/periods/formation/humanitarian/\">All 25 in"),
            "{page}"
        );
    }
    // "At a glance": the period's sphere mix counts the cell's 25 works, and the per-year
    // chart has a bar for the bulk works' year with its count in the tooltip.
    let period = site.read_out("periods/formation/index.html");
    let row = period
        .split("<tr>")
        .find(|r| r.contains("href=\"/rk/periods/formation/humanitarian/\">Humanitarian</a>"))
        .expect("a mix row for the humanitarian sphere");
    assert!(row.contains("<td class=\"num\">25</td>"), "{row}");
    assert!(period.contains("Works in this period per year of publication, "));
    assert!(period.contains("<title>1995: "), "no 1995 bar");
}

#[test]
fn long_lists_are_paginated_newest_first_and_by_title() {
    let site = fixture("basic");
    site.add_setting("page_size: 1");
    site.build_ok(&[]);
    // keywords/energy lists two works: two pages each way.
    let first = site.read_out("keywords/energy/index.html");
    let second = site.read_out("keywords/energy/page/2/index.html");
    let t1 = site.read_out("keywords/energy/by-title/index.html");
    let t2 = site.read_out("keywords/energy/by-title/page/2/index.html");
    assert!(first.contains(r#"<link rel="next" href="/rk/keywords/energy/page/2/">"#));
    assert!(!first.contains(r#"rel="prev""#));
    assert!(second.contains(r#"<link rel="prev" href="/rk/keywords/energy/">"#));
    assert!(
        second.contains("(page 2 of 2)"),
        "the title says which page"
    );
    assert!(t1.contains(r#"<link rel="next" href="/rk/keywords/energy/by-title/page/2/">"#));
    assert!(t1.contains(">by title</strong>") && first.contains(">newest first</strong>"));
    let titles = |html: &str| -> Vec<String> {
        let doc = scraper::Html::parse_document(html);
        let sel = scraper::Selector::parse("ul.summaries li a").unwrap();
        doc.select(&sel)
            .map(|a| a.text().collect::<String>())
            .filter(|t| !t.trim().is_empty())
            .take(1)
            .collect()
    };
    // Newest first the 2019 work comes before the 2001 one; by title the other way round.
    let by_date = [titles(&first), titles(&second)].concat();
    let by_title = [titles(&t1), titles(&t2)].concat();
    assert_eq!(by_date.len(), 2);
    let mut sorted = by_date.clone();
    sorted.sort();
    assert_eq!(
        by_title, sorted,
        "by title: {by_title:?}, newest first: {by_date:?}"
    );
    assert_ne!(by_title, by_date, "the fixture's two orders differ");
    // A one-page list has no page links and no title order.
    let one = site.read_out("keywords/pipelines/index.html");
    assert!(!one.contains("class=\"pager\""));
    assert!(!site.out.join("keywords/pipelines/by-title").exists());
    // Cross pages too, and every page is in the sitemap.
    let sitemap = site.read_out("sitemap.xml");
    assert!(sitemap.contains("/rk/keywords/energy/by-title/page/2/"));
}

#[test]
fn page_size_must_be_a_positive_whole_number() {
    let site = fixture("basic");
    site.add_setting("page_size: 0");
    let r = site.build(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("archive.yaml") && r.stderr.contains("page_size"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_search_index_is_built_per_language_and_reused_from_the_cache() {
    let site = fixture("search");
    let cache = site.tmp().join("cache");
    let cache = cache.to_str().unwrap();
    site.build_ok(&["--cache-dir", cache]);
    for lang in ["en", "kk", "ru"] {
        assert!(
            site.out
                .join(format!("pagefind/{lang}/0/pagefind.js"))
                .is_file(),
            "{lang}"
        );
    }
    let page = site.read_out("search/index.html");
    assert!(page.contains("<noscript>") && page.contains("Search needs JavaScript"));
    assert!(page.contains(r#"<label class="search-label" for="q">"#));
    let first = tree(&site.out.join("pagefind"));
    let shards = std::fs::read_dir(Path::new(cache).join("search")).unwrap();
    assert_eq!(shards.count(), 3);
    // Again into a fresh folder, from the cache; and with --no-cache, indexed again: the same
    // bytes either way.
    let runs: [(&str, &[&str]); 2] = [
        ("again", &["--cache-dir", cache]),
        ("fresh", &["--no-cache"]),
    ];
    for (folder, flags) in runs {
        let out = site.tmp().join(folder);
        let r = site.build_into(&out, flags);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(first, tree(&out.join("pagefind")), "{folder}");
    }
}

/// A few hundred generated works beside the basic fixture's: Cyrillic and Kazakh file names,
/// titles, dates and people that tie or nearly collide (Сүлейменов and Сулейменов,
/// `Ivanov I. O.` and `Ivanov I.O.`), keywords differing in case, every kind of date and
/// period membership, drafts. `(path under the archive, text)`, in a fixed pseudo-random way.
fn generated_works(n: usize) -> Vec<(String, String)> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |m: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % m as u64) as usize
    };
    let stems = [
        "Россия и Казахстан",
        "Қазақстан",
        "oil-and-gas",
        "Евразия",
        "Ärger",
    ];
    let titles = [
        "Energy and the border",
        "Россия и Казахстан: итоги",
        "Energy and the border",
        "Қазақстан және Ресей",
        "Ёлки и елки",
    ];
    let people = [
        "Сулейменов Олжас",
        "Сүлейменов Олжас",
        "Ivanov I. O.",
        "Ivanov I.O.",
        "Smith J.",
        "Nazarbayev N.",
    ];
    let keywords = [
        "Eurasian integration",
        "eurasian Integration",
        "energy",
        "Migration",
    ];
    let spheres = ["economic", "political", "humanitarian"];
    let periods = ["formation", "partnership", "after-2014"];
    let date = |next: &mut dyn FnMut(usize) -> usize| {
        let y = 1990 + next(35);
        match next(4) {
            0 => format!("{y}"),
            1 => format!("{y}-{:02}", 1 + next(12)),
            _ => format!("{y}-{:02}-{:02}", 1 + next(12), 1 + next(28)),
        }
    };
    (0..n)
        .map(|i| {
            let pick = |next: &mut dyn FnMut(usize) -> usize, from: &[&str], k: usize| {
                let mut v: Vec<&str> = (0..k).map(|_| from[next(from.len())]).collect();
                v.dedup();
                v.join(", ")
            };
            let mut fm = format!("title: \"{} {}\"\n", titles[next(titles.len())], i % 7);
            fm += &match next(8) {
                0 => "authors: unknown\n".to_string(),
                _ => {
                    let k = 1 + next(2);
                    format!("authors: [{}]\n", pick(&mut next, &people, k))
                }
            };
            fm += &match next(10) {
                0 => "date: unknown\n".to_string(),
                _ => format!("date: {}\n", date(&mut next)),
            };
            let mut sph: Vec<&str> = spheres.iter().copied().filter(|_| next(2) == 0).collect();
            if sph.is_empty() {
                sph.push(spheres[i % 3]);
            }
            fm += &format!("spheres: [{}]\n", sph.join(", "));
            match next(6) {
                0 => fm += &format!("periods: [{}]\n", periods[next(3)]),
                1 => {}
                _ => {
                    let (a, b) = (date(&mut next), date(&mut next));
                    let (from, to) = if a <= b { (a, b) } else { (b, a) };
                    fm += &format!("coverage: {{from: {from}, to: {to}}}\n");
                }
            }
            let k = next(3);
            fm += &format!("actors: [{}]\n", pick(&mut next, &people, k));
            let k = next(3);
            fm += &format!("keywords: [{}]\n", pick(&mut next, &keywords, k));
            if next(15) == 0 {
                fm += "draft: true\n";
            }
            let stem = format!("{} {i}", stems[next(stems.len())]);
            let body = format!(
                "Work {i}: *{}* and [the customs union](@/abstracts/2015/customs-union.md).\n",
                titles[i % titles.len()]
            );
            (
                format!("content/abstracts/gen/{}/{stem}.md", i % 10),
                format!("---\n{fm}---\n\n{body}"),
            )
        })
        .collect()
}

#[test]
fn a_large_archive_builds_byte_identically_at_one_and_many_threads() {
    // The same archive twice, its generated files created in opposite orders.
    let works = generated_works(300);
    let site = fixture("basic");
    for (rel, text) in &works {
        site.write(rel, text);
    }
    let other = site.tmp().join("archive-reversed");
    copy_tree(&fixtures_dir().join("basic"), &other);
    for (rel, text) in works.iter().rev() {
        let p = other.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let cache = site.tmp().join("cache");
    let build = |root: &Path, out: &str, threads: Option<&str>, cached: bool| {
        let out = site.tmp().join(out);
        let mut args = vec![
            "build",
            "--root",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        if cached {
            args.extend(["--cache-dir", cache.to_str().unwrap()]);
        } else {
            args.push("--no-cache");
        }
        let env: Vec<(&str, &str)> = threads
            .map(|t| ("RAYON_NUM_THREADS", t))
            .into_iter()
            .collect();
        let r = run(site.tmp(), &args, &env);
        assert_eq!(r.code, 0, "{}", r.stderr);
        tree(&out)
    };
    let reference = build(&site.root, "out-1", Some("1"), false);
    let pages = (reference.keys())
        .filter(|k| k.starts_with("abstracts/") && k.ends_with("/index.html"))
        .count();
    // 300 works, about one in fifteen a draft, and the fixture's own.
    assert!(pages > 270, "{pages} works built");
    let others = [
        ("8 threads", build(&site.root, "out-8", Some("8"), false)),
        (
            "reversed, 3 threads, cold cache",
            build(&other, "out-r3", Some("3"), true),
        ),
        (
            "reversed, default threads, warm cache",
            build(&other, "out-rd", None, true),
        ),
        (
            "1 thread, warm cache",
            build(&site.root, "out-1c", Some("1"), true),
        ),
    ];
    for (what, t) in &others {
        assert_eq!(
            t.keys().collect::<Vec<_>>(),
            reference.keys().collect::<Vec<_>>(),
            "{what}: the file lists differ"
        );
        for (path, bytes) in t {
            assert!(
                reference[path] == *bytes,
                "{what}: {path} differs from the 1-thread build"
            );
        }
    }
}
