use std::collections::HashMap;

use super::*;

/// A site at `https://example.org/rk/` with a few sources and published paths.
struct Site {
    base: Url,
    sources: HashMap<&'static str, &'static str>,
    published: HashSet<&'static str>,
}

impl Site {
    fn new() -> Self {
        Site {
            base: Url::parse("https://example.org/rk/").unwrap(),
            sources: HashMap::from([
                ("abstracts/2019/x.md", "/rk/abstracts/x/"),
                ("periods/transit.md", "/rk/periods/transit/"),
            ]),
            published: HashSet::from([
                "/rk/",
                "/rk/abstracts/x/",
                "/rk/abstracts/y/",
                "/rk/periods/transit/",
                "/rk/atom.xml",
            ]),
        }
    }
}

impl LinkResolver for Site {
    fn source_url(&self, source: &str) -> Option<String> {
        self.sources.get(source).map(|url| url.to_string())
    }
    fn base_url(&self) -> &Url {
        &self.base
    }
    fn url_exists(&self, path: &str) -> bool {
        self.published.contains(path)
    }
}

const PAGE: &str = "/rk/abstracts/y/";

fn render(body: &str) -> Rendered {
    to_html(body, 1, PAGE, &Site::new())
}

fn html(body: &str) -> String {
    let rendered = render(body);
    assert_eq!(
        rendered.problems,
        vec![],
        "unexpected problems for {body:?}"
    );
    rendered.html
}

fn targets(body: &str) -> Vec<(LinkProblemKind, String)> {
    render(body)
        .problems
        .into_iter()
        .map(|p| (p.kind, p.target))
        .collect()
}

fn dead(target: &str) -> (LinkProblemKind, String) {
    (LinkProblemKind::DeadInternal, target.to_string())
}

#[test]
fn tables_keep_alignment_style() {
    let out = html("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n");
    assert!(out.contains("<table>"), "{out}");
    assert!(
        out.contains(r#"<th style="text-align: left">a</th>"#),
        "{out}"
    );
    assert!(
        out.contains(r#"<td style="text-align: center">2</td>"#),
        "{out}"
    );
    assert!(
        out.contains(r#"<td style="text-align: right">3</td>"#),
        "{out}"
    );
}

#[test]
fn other_styles_are_dropped() {
    let out = html(r#"<table><tr><td style="background: url(x)">1</td></tr></table>"#);
    assert!(!out.contains("style"), "{out}");
    let out = html(r#"<p style="text-align: left">x</p>"#);
    assert!(!out.contains("style"), "{out}");
}

#[test]
fn footnotes_survive_sanitizing() {
    let out = html("Text[^n].\n\n[^n]: The note.\n");
    assert!(
        out.contains(r##"<sup class="footnote-reference"><a href="#n""##),
        "{out}"
    );
    assert!(
        out.contains(r#"<div class="footnote-definition" id="n">"#),
        "{out}"
    );
    assert!(
        out.contains(r#"<sup class="footnote-definition-label">1</sup>"#),
        "{out}"
    );
}

#[test]
fn strikethrough_and_code() {
    let out = html("~~gone~~ `code`\n\n```rust\nfn x() {}\n```\n");
    assert!(out.contains("<del>gone</del>"), "{out}");
    assert!(out.contains("<code>code</code>"), "{out}");
    assert!(
        out.contains(r#"<pre><code class="language-rust">"#),
        "{out}"
    );
}

#[test]
fn code_classes_are_limited_to_languages() {
    let out = html(r#"<code class="language-rust evil">x</code>"#);
    assert!(out.contains(r#"<code class="language-rust">"#), "{out}");
    let out = html(r#"<code class="evil">x</code>"#);
    assert!(out.contains("<code>x</code>"), "{out}");
    let out = html(r#"<div class="evil">x</div>"#);
    assert!(out.contains("<div>x</div>"), "{out}");
}

/// Found by the `markdown_html` fuzz target: heading attributes skipped the sanitizer.
#[test]
fn heading_attributes_are_sanitized() {
    let out = html("# H {#top .klass onmouseover=alert(1) style=color:red}\n");
    assert_eq!(out, "<h1 id=\"top\">H</h1>\n");
    let out = html("# H5eadi{n g#custome .klass il\" onmouseov[img](/rstom}\n");
    assert!(!out.contains("onmouseov"), "{out}");
    assert!(!out.contains("klass"), "{out}");
    // An id alone needs no sanitizing and keeps it.
    assert_eq!(html("## Two {#two}\n"), "<h2 id=\"two\">Two</h2>\n");
}

#[test]
fn smart_punctuation() {
    let out = html("\"x\" and 'y', 1991--1999 --- done...\n");
    assert!(out.contains("“x”"), "{out}");
    assert!(out.contains("‘y’"), "{out}");
    assert!(out.contains("1991–1999"), "{out}");
    assert!(out.contains("—"), "{out}");
    assert!(out.contains("…"), "{out}");
}

#[test]
fn headings_get_slug_ids() {
    let out = html("# Energy & the *Caspian*\n\n## `code` Title!\n");
    assert!(out.contains(r#"<h1 id="energy-the-caspian">"#), "{out}");
    assert!(out.contains(r#"<h2 id="code-title">"#), "{out}");
}

#[test]
fn duplicate_headings_are_numbered() {
    let out = html("# Intro\n\n# Intro\n\n# Intro\n");
    assert!(out.contains(r#"<h1 id="intro">"#), "{out}");
    assert!(out.contains(r#"<h1 id="intro-1">"#), "{out}");
    assert!(out.contains(r#"<h1 id="intro-2">"#), "{out}");
    // A generated id that is also a heading's own text: that heading goes on from there.
    let out = html("# A\n\n# A\n\n# A 1\n\n# A\n");
    let ids: Vec<&str> = out
        .split("id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(ids, ["a", "a-1", "a-1-1", "a-2"]);
}

#[test]
fn thousands_of_alike_headings_are_numbered_in_linear_time() {
    let body = "## Same\n\n".repeat(30_000);
    let start = std::time::Instant::now();
    let out = html(&body);
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
    assert!(out.contains(r#"<h2 id="same-29999">"#));
    assert_eq!(out.matches("<h2 id=").count(), 30_000);
}

#[test]
fn explicit_ids_win_and_are_not_reused() {
    let out =
        html("# Intro\n\n# Other {#intro-1}\n\n# Intro\n\n# Notes\n\nx[^notes]\n\n[^notes]: n\n");
    assert!(out.contains(r#"<h1 id="intro">"#), "{out}");
    assert!(out.contains(r#"<h1 id="intro-1">Other</h1>"#), "{out}");
    assert!(out.contains(r#"<h1 id="intro-2">"#), "{out}");
    // A footnote already owns `notes`.
    assert!(out.contains(r#"<h1 id="notes-1">"#), "{out}");
}

#[test]
fn unicode_headings_are_transliterated() {
    let out = html("# Внешняя политика\n\n## Қазақстан, Әлем\n\n## Russia’s role\n\n## ???\n");
    assert!(out.contains(r#"<h1 id="vneshniaia-politika">"#), "{out}");
    assert!(out.contains(r#"<h2 id="kazakstan-alem">"#), "{out}");
    assert!(out.contains(r#"<h2 id="russias-role">"#), "{out}");
    assert!(out.contains(r#"<h2 id="section">"#), "{out}");
}

#[test]
fn source_links_are_rewritten_with_fragment() {
    let out = html("See [x](@/abstracts/2019/x.md) and [s](@/abstracts/2019/x.md#sec).\n");
    assert!(out.contains(r#"href="/rk/abstracts/x/""#), "{out}");
    assert!(out.contains(r##"href="/rk/abstracts/x/#sec""##), "{out}");
    assert!(!out.contains('@'), "{out}");
}

#[test]
fn source_links_in_references_and_images() {
    let out = html("[x][ref] ![p](@/periods/transit.md)\n\n[ref]: @/abstracts/2019/x.md\n");
    assert!(out.contains(r#"href="/rk/abstracts/x/""#), "{out}");
    assert!(out.contains(r#"src="/rk/periods/transit/""#), "{out}");
}

#[test]
fn unresolved_source_is_located_in_the_file() {
    let body = "Intro line.\n\nSee [the study](@/abstracts/2019/nope.md#s) here.\n";
    let rendered = to_html(body, 7, PAGE, &Site::new());
    assert_eq!(
        rendered.problems,
        vec![LinkProblem {
            kind: LinkProblemKind::UnresolvedSource,
            target: "@/abstracts/2019/nope.md#s".to_string(),
            line: 9,
            col: 17,
            len: 26,
        }]
    );
}

#[test]
fn unresolved_source_with_crlf_and_unicode() {
    let body = "Первая строка.\r\n\r\nСм. [работу](@/x.md) и [ещё](<@/y.md>).\r\n";
    let rendered = to_html(body, 5, PAGE, &Site::new());
    let found: Vec<(u32, u32, u32)> = rendered
        .problems
        .iter()
        .map(|p| (p.line, p.col, p.len))
        .collect();
    assert_eq!(found, vec![(7, 14, 6), (7, 30, 8)]);
}

#[test]
fn unresolved_source_in_reference_points_at_definition() {
    let body = "Use [a][r] and [b][r].\r\n\r\n[r]:\r\n  @/missing.md \"T\"\r\n";
    let rendered = to_html(body, 3, PAGE, &Site::new());
    assert_eq!(rendered.problems.len(), 1, "{:?}", rendered.problems);
    let p = &rendered.problems[0];
    assert_eq!((p.line, p.col, p.len), (6, 3, 12));
}

#[test]
fn unresolved_source_in_multiline_link_text() {
    let body = "[two\nlines](@/gone.md)\n";
    let p = &render(body).problems[0];
    assert_eq!((p.line, p.col, p.len), (2, 8, 9));
}

#[test]
fn dead_internal_links_are_found() {
    assert_eq!(
        targets("[a](/rk/abstracts/nope/)"),
        vec![dead("/rk/abstracts/nope/")]
    );
    assert_eq!(targets("[a](../nope/)"), vec![dead("../nope/")]);
    assert_eq!(targets("[a](nope.pdf)"), vec![dead("nope.pdf")]);
    assert_eq!(
        targets("[a](https://example.org/rk/nope/)"),
        vec![dead("https://example.org/rk/nope/")]
    );
    assert_eq!(
        targets("[a](HTTPS://Example.org:443/rk/nope/)"),
        vec![dead("HTTPS://Example.org:443/rk/nope/")]
    );
    assert_eq!(
        targets("[a](//example.org/rk/nope/)"),
        vec![dead("//example.org/rk/nope/")]
    );
    assert_eq!(
        targets("![i](/rk/img/nope.png)"),
        vec![dead("/rk/img/nope.png")]
    );
    assert_eq!(
        targets("<https://example.org/rk/nope/>"),
        vec![dead("https://example.org/rk/nope/")]
    );
}

#[test]
fn links_outside_the_base_path_are_dead() {
    assert_eq!(targets("[a](/abstracts/x/)"), vec![dead("/abstracts/x/")]);
    assert_eq!(
        targets("[a](../../../other/)"),
        vec![dead("../../../other/")]
    );
    // An absolute URL elsewhere on the same host is outside the site, not a dead link.
    assert_eq!(targets("[a](https://example.org/elsewhere/)"), vec![]);
}

#[test]
fn live_internal_links_pass() {
    html("[a](/rk/abstracts/x/) [b](../x/) [c](../x/#top) [d](/rk/periods/transit/?q=1)");
    html("[e](https://example.org/rk/atom.xml) [f](/rk) [g](./) [h](/rk/abstracts/x/#frag)");
}

#[test]
fn external_and_special_links_are_not_checked() {
    html("[a](https://other.org/rk/nope/) [b](http://example.org/rk/nope/)");
    html("[c](https://example.org:8443/rk/nope/) [d](mailto:a@b.org) <a@b.org>");
    html("[e](#nope) [f](tel:+7123) [g]() [h](ftp://example.org/rk/nope/)");
}

#[test]
fn dead_link_position_is_the_destination() {
    let body = "x\n\n- [**bold** `c`](/rk/nope/ \"/rk/nope/\")\n";
    let p = &to_html(body, 10, PAGE, &Site::new()).problems[0];
    assert_eq!((p.line, p.col, p.len), (12, 18, 9));
    let body = "Go to <https://example.org/rk/zz/>.";
    let p = &render(body).problems[0];
    assert_eq!((p.line, p.col, p.len), (1, 8, 26));
}

#[test]
fn dead_link_with_balanced_parentheses() {
    let body = "[a](/rk/x_(y)/)";
    let p = &render(body).problems[0];
    assert_eq!(p.target, "/rk/x_(y)/");
    assert_eq!((p.col, p.len), (5, 10));
}

/// True if the output has an attribute named `on…` inside a tag.
fn has_event_handler(html: &str) -> bool {
    let lower = html.to_lowercase();
    let bytes = lower.as_bytes();
    let mut in_tag = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b'o' if in_tag
                && i > 0
                && (bytes[i - 1].is_ascii_whitespace() || bytes[i - 1] == b'/')
                && bytes.get(i + 1) == Some(&b'n') =>
            {
                let name_len = lower[i..]
                    .bytes()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .count();
                if lower[i + name_len..].trim_start().starts_with('=') {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

fn assert_safe(body: &str) -> String {
    let out = render(body).html;
    let lower = out.to_lowercase();
    for bad in [
        "<script",
        "javascript:",
        "vbscript:",
        "data:",
        "<iframe",
        "<svg",
        "<object",
        "<style",
        "<embed",
        "<math",
    ] {
        assert!(!lower.contains(bad), "{bad} in {out:?} from {body:?}");
    }
    assert!(!has_event_handler(&out), "handler in {out:?} from {body:?}");
    out
}

#[test]
fn xss_is_neutralized() {
    assert_safe("<script>alert(1)</script>");
    assert_safe("Hi <SCRIPT src=//x.org/a.js></SCRIPT>");
    assert_safe("<img src=x onerror=alert(1)>");
    assert_safe("<img src=\"x\" ONERROR = \"alert(1)\">");
    assert_safe("<a href=\"javascript:alert(1)\">x</a>");
    assert_safe("[x](javascript:alert(1))");
    assert_safe("[x](JAVASCRIPT:alert(1))");
    assert_safe("<a href=\"JAVASCRIPT:alert(1)\">x</a>");
    assert_safe("<a href=\"jav&#x61;script:alert(1)\">x</a>");
    assert_safe("[x](jav&#x61;script:alert(1))");
    assert_safe("<a href=\"java\tscript:alert(1)\">x</a>");
    assert_safe("<a href=\" \x01javascript:alert(1)\">x</a>");
    assert_safe("<a href=\"&#106;&#x61;vascript&colon;alert(1)\">x</a>");
    assert_safe("[x]: javascript:alert(1)\n\n[x]");
    assert_safe("[x](<javascript:alert(1)>)");
    assert_safe("<iframe src=\"https://evil.org\"></iframe>");
    assert_safe("<iframe><script>alert(1)</script></iframe>");
    assert_safe("<svg onload=alert(1)><circle/></svg>");
    assert_safe("<svg><iframe><a title=\"</iframe><img src onerror=alert(1)>\">t</a></svg>");
    assert_safe("<object data=\"x.swf\"></object><embed src=\"x.swf\">");
    assert_safe("<style>body{display:none}</style>");
    assert_safe("<a href=\"vbscript:msgbox(1)\">x</a>");
    assert_safe("![x](data:image/png;base64,AAAA)");
    assert_safe("<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">");
    assert_safe("<p onclick=\"alert(1)\" onmouseover=alert(2)>x</p>");
    assert_safe("<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>");
}

#[test]
fn xss_detector_detects() {
    assert!(has_event_handler("<img src=x onerror=alert(1)>"));
    assert!(has_event_handler("<p\nONCLICK = 'x'>"));
    assert!(!has_event_handler("<p>one = two</p>"));
}

#[test]
fn safe_raw_html_is_kept() {
    let out = html("<details><summary>More</summary>Text <em>here</em>.</details>");
    assert!(out.contains("<details><summary>More</summary>"), "{out}");
    let out = html("<img src=\"/rk/atom.xml\" alt=\"A\" title=\"T\">");
    assert!(
        out.contains(r#"alt="A""#) && out.contains(r#"title="T""#),
        "{out}"
    );
}

#[test]
fn links_keep_title_and_get_no_rel() {
    let out = html("[a](https://other.org/ \"Other\")");
    assert!(
        out.contains(r#"<a href="https://other.org/" title="Other">a</a>"#),
        "{out}"
    );
}

#[test]
fn plain_text_drops_markup() {
    let body = "# Title\n\nSome *emph*asis and `code`,\nnext  line.\n\n- one\n- two\n\n\
                <div>raw block</div>\n\nA [link](/x/) \"q\".\n";
    assert_eq!(
        plain_text(body),
        "Title Some emphasis and code, next line. one two A link “q”."
    );
    assert_eq!(plain_text(""), "");
    assert_eq!(plain_text("  \n\n  "), "");
}

#[test]
fn line_col_counts_lines_and_chars() {
    let text = "ab\ncd\r\nжё x";
    assert_eq!(line_col(text, 0), (1, 1));
    assert_eq!(line_col(text, 2), (1, 3));
    assert_eq!(line_col(text, 3), (2, 1));
    assert_eq!(line_col(text, 7), (3, 1));
    assert_eq!(line_col(text, 11), (3, 3));
    assert_eq!(line_col(text, 12), (3, 4));
    // Inside a character, and past the end.
    assert_eq!(line_col(text, 8), (3, 1));
    assert_eq!(line_col(text, 100), (3, 5));
}

#[test]
fn problem_messages() {
    let p = &render("[a](@/nope.md)").problems[0];
    assert_eq!(
        p.message(),
        "unresolved link `@/nope.md` (no such file under content/)"
    );
}

#[test]
fn fast_path_output_is_what_the_sanitizer_would_leave() {
    // Bodies without raw HTML skip ammonia; the sanitizer must have nothing to change in them.
    let bodies = [
        "# Title\n\nSome *emphasis*, **strong**, `code`, ~~gone~~ and \"quotes\" -- done...\n",
        "- a [link](https://example.org/x?a=1&b=2 \"T\")\n- [rel](../x/) and <https://auto.link/>\n- <a@b.org>\n",
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\nText[^1].\n\n[^1]: A note with `x < y`.\n",
        "```rust\nfn main() { let x = \"<script>\"; }\n```\n\n> quote & ampersand < less\n",
        "![alt text](/rk/atom.xml \"title\")\n\n## Кириллица и қазақша\n\n1. one\n2. two\n",
    ];
    for body in bodies {
        let parser = Parser::new_ext(body, OPTIONS);
        let events: Vec<Event<'_>> = parser.collect();
        assert!(events.iter().all(is_plainly_safe), "{body}");
        let out = html(body);
        // html5ever writes void elements as `<img>`, pulldown-cmark as `<img />`: same markup.
        assert_eq!(
            SANITIZER.clean(&out).to_string(),
            out.replace(" />", ">"),
            "{body}"
        );
    }
}

#[test]
fn unsafe_events_take_the_sanitizer() {
    for body in [
        "<b>raw</b>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "![x](data:image/png;base64,AAAA)",
        "```\"><script>\nx\n```",
    ] {
        let events: Vec<Event<'_>> = Parser::new_ext(body, OPTIONS).collect();
        assert!(!events.iter().all(is_plainly_safe), "{body}");
    }
}

#[test]
fn plain_text_prefix_cuts_after_a_word_and_matches_the_whole_text() {
    let body = "First *paragraph* of words.\n\nSecond paragraph, longer than the limit.";
    let whole = plain_text(body);
    assert_eq!(plain_text_prefix(body, 1000), whole);
    let cut = plain_text_prefix(body, 20);
    assert_eq!(cut, "First paragraph of…");
    assert!(whole.starts_with(cut.trim_end_matches('…')));
    assert_eq!(
        plain_text_prefix("Пять слов на русском языке", 12),
        "Пять слов на…"
    );
}

#[test]
fn plain_text_memo_never_returns_another_bodys_text() {
    for body in ["One.", "Two.", "One.", "", "Two."] {
        assert_eq!(plain_text_memo(body), plain_text(body));
    }
}

#[test]
fn a_body_nested_too_deep_is_refused_quickly_at_its_place() {
    let too_deep = |body: &str| {
        let r = to_html(body, 10, PAGE, &Site::new());
        let deep: Vec<&LinkProblem> = r
            .problems
            .iter()
            .filter(|p| p.kind == LinkProblemKind::TooDeep)
            .collect();
        (deep.first().map(|p| (p.line, p.col)), r.html)
    };
    // Markdown quotes, then raw HTML: refused before the sanitizer, which took 12 s on this
    // (quadratic in the depth) and now has nothing to do.
    let body = format!(
        "Intro.\n\n{} x\n\n{}\n",
        ">".repeat(50_000),
        "<div>".repeat(20_000)
    );
    let start = std::time::Instant::now();
    let (at, html) = too_deep(&body);
    assert!(start.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(at, Some((12, 513)), "the 513th `>` of line 3 of the body");
    assert!(html.is_empty());
    // Raw HTML alone: unclosed `<div>`s and `<div/>`s (which HTML opens like `<div>`).
    let (at, _) = too_deep(&format!("<div/>{}", "<span>".repeat(600)));
    assert_eq!(at.map(|a| a.0), Some(10));
    // Legitimate HTML stays: closed elements, void ones, comments, many open `<p>`s and `<li>`s.
    let fine = format!(
        "{}\n\n{}\n\n<!-- <div><div> -->{}\n\n{}",
        "<div>a</div>".repeat(2_000),
        "<p>para<br><img src=\"a.png\">".repeat(1_000),
        "<ul><li>x".repeat(100),
        "- x\n  - y\n".repeat(500),
    );
    let (at, html) = too_deep(&fine);
    assert_eq!(at, None);
    assert!(html.contains("<div>a</div>"));
    // Exactly at the limit, fine; one more, refused.
    let at_limit = |n: usize| too_deep(&format!("<p>{}x", "<span>".repeat(n))).0;
    // An HTML block (no Markdown paragraph around it), whose `p` is not counted: the spans.
    assert_eq!(at_limit(MAX_DEPTH - 1), None);
    assert!(at_limit(MAX_DEPTH + 1).is_some());
}

#[test]
fn link_problems_past_a_hundred_of_a_kind_are_counted_not_located() {
    let body = format!(
        "{}\n\n{}\n",
        (0..30_000)
            .map(|i| format!("[x](/rk/none{i}/)"))
            .collect::<Vec<_>>()
            .join(" "),
        (0..150)
            .map(|i| format!("[y](@/nope{i}.md)"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let start = std::time::Instant::now();
    let r = render(&body);
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
    let count = |k| r.problems.iter().filter(|p| p.kind == k).count();
    assert_eq!(count(LinkProblemKind::DeadInternal), MAX_PROBLEMS);
    assert_eq!(count(LinkProblemKind::UnresolvedSource), MAX_PROBLEMS);
    assert_eq!(
        r.more,
        [
            (LinkProblemKind::UnresolvedSource, 50),
            (LinkProblemKind::DeadInternal, 29_900)
        ]
    );
    // The first ones, in order, are the ones located.
    assert_eq!(r.problems[0].target, "/rk/none0/");
    // A reference used many times is still one problem, not many.
    let r = render(&format!("{}\n\n[r]: /rk/gone/\n", "[a][r] ".repeat(500)));
    assert_eq!(r.problems.len(), 1);
    assert!(r.more.is_empty());
}

#[test]
fn bare_addresses_become_links_where_text_is_text() {
    assert_eq!(
        html("See https://example.com/a_b_c?q=1, or (https://doi.org/10.1000/x).\n"),
        "<p>See <a href=\"https://example.com/a_b_c?q=1\">https://example.com/a_b_c?q=1</a>, or (<a href=\"https://doi.org/10.1000/x\">https://doi.org/10.1000/x</a>).</p>\n"
    );
    // Not inside links, code, code blocks or raw `<a>`; other schemes stay text.
    for body in [
        "[https://example.com/](https://example.org/)\n",
        "`https://example.com/`\n",
        "```\nhttps://example.com/\n```\n",
        "<a href=\"https://example.org/\">https://example.com/</a>\n",
        "x <A\nhref=\"https://example.org/\">https://example.com/</A> y\n",
        "ftp://example.com/x and javascript://x\n",
    ] {
        let out = html(body);
        assert!(
            !out.contains("href=\"https://example.com/"),
            "{body:?} → {out}"
        );
        assert!(
            !out.contains("href=\"ftp") && !out.contains("href=\"javascript"),
            "{out}"
        );
    }
    // A bare address into the site is checked like any link, and located where it is written.
    let r = render("Line one.\nGone: https://example.org/rk/nothing/ here.\n");
    let p: Vec<_> = r
        .problems
        .iter()
        .map(|p| (p.kind, p.target.as_str(), p.line, p.col, p.len))
        .collect();
    assert_eq!(
        p,
        [(
            LinkProblemKind::DeadInternal,
            "https://example.org/rk/nothing/",
            2,
            7,
            31
        )]
    );
}
