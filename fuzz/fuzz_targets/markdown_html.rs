//! A Markdown body → sanitized HTML.
//!
//! Asserts, whatever the input: parsed as a browser parses it (html5ever), the output has no
//! `<script>` (nor `<iframe>`, `<object>`, `<embed>`, `<style>`) element, no `on*` attribute,
//! and no attribute that takes a URL holding a `javascript:`, `vbscript:` or `data:` URL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scraper::Html;

/// Attributes a browser may treat as a URL to load or navigate to.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "srcset",
    "poster",
    "background",
    "cite",
    "longdesc",
    "data",
    "codebase",
    "manifest",
    "ping",
];

/// The URL as a browser reads it (WHATWG URL parsing): leading and trailing C0 controls and
/// spaces stripped, tabs and line breaks removed anywhere, the scheme case-insensitive. Other
/// control characters stay, and make the scheme invalid.
fn squeezed(v: &str) -> String {
    v.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase()
}

fn check(html: &str) {
    let doc = Html::parse_fragment(html);
    for node in doc.tree.nodes() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let name = el.name();
        assert!(
            !matches!(
                name,
                "script" | "iframe" | "object" | "embed" | "style" | "base" | "form"
            ),
            "<{name}> element in {html:?}"
        );
        for (attr, value) in el.attrs() {
            let attr = attr.to_ascii_lowercase();
            assert!(!attr.starts_with("on"), "{attr}= attribute in {html:?}");
            if URL_ATTRS.contains(&attr.as_str()) {
                // Only `srcset` is a list of URLs: a comma is part of any other URL.
                let candidates: Vec<&str> = if attr == "srcset" {
                    value.split(',').collect()
                } else {
                    vec![value]
                };
                for candidate in candidates {
                    let v = squeezed(candidate);
                    for bad in ["javascript:", "vbscript:", "data:"] {
                        assert!(!v.starts_with(bad), "{attr}={value:?} in {html:?}");
                    }
                }
            }
        }
    }
    // The raw text too: a `<script` can only appear escaped or inside a quoted attribute.
    let lower = html.to_ascii_lowercase();
    if lower.contains("<script") {
        // Only acceptable inside an attribute value; html5ever found no element above.
        assert!(
            lower.contains('"'),
            "`<script` outside any attribute in {html:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let (html, _problems) = dyad::fuzzing::markdown_html(body);
    check(&html);
});
