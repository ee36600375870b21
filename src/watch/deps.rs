//! Which template sources each page template depends on, derived from the sources.
//!
//! tera 2 keeps its own dependency lists private, so `watch` reads them off the template text:
//! `{% extends %}`, `{% include %}` and `{% import %}` name other files, and a component call
//! (`{{ <summary_list … /> }}`) depends on the file that defines the component (`{% component
//! summary_list(…) %}`); components are global to the tera instance. The closure of a template
//! is hashed, so a page is re-rendered exactly when a file its template reads changed.
//!
//! Each closure also records which fields of the `site` global it reads (`site.title`), so a
//! change to, say, a period's count in `site.periods` re-renders only pages whose templates use
//! `site.periods`. A bare `site` (passed whole to a filter, say) counts as using every field.

use std::collections::{BTreeSet, HashMap, HashSet};
use xxhash_rust::xxh3::Xxh3;

/// A template's closure: a hash of every source it reads and the `site` fields it uses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Closure {
    /// Hash of the sources (names and texts) of the template and everything it reads.
    pub hash: u64,
    /// Whether the closure reads all of `site`.
    pub site_all: bool,
    /// The `site` fields read, when not all.
    pub site_fields: BTreeSet<String>,
    /// The files of the closure (for tests and the rebuild message).
    pub files: BTreeSet<String>,
}

/// The code parts of a template: the inside of `{{ }}` and `{% %}`, comments removed.
fn tags(src: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let close = match after.as_bytes().first() {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => "#}",
            _ => {
                rest = after;
                continue;
            }
        };
        let inner = &after[1..];
        match inner.find(close) {
            Some(j) => {
                if close != "#}" {
                    out.push(&inner[..j]);
                }
                rest = &inner[j + 2..];
            }
            None => {
                if close != "#}" {
                    out.push(inner);
                }
                break;
            }
        }
    }
    out
}

fn trim_tag(t: &str) -> &str {
    t.trim_matches(|c: char| c == '-' || c == '+' || c == '~' || c.is_whitespace())
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn quoted(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '"' || c == '\'' || c == '`' {
            let rest = &s[i + 1..];
            if let Some(j) = rest.find(c) {
                out.push(rest[..j].to_string());
                for _ in 0..rest[..=j].chars().count() {
                    chars.next();
                }
            }
        }
    }
    out
}

/// What one template source refers to.
#[derive(Debug, Default, PartialEq, Eq)]
struct Refs {
    files: Vec<String>,
    components_used: Vec<String>,
    components_defined: Vec<String>,
    site_all: bool,
    site_fields: Vec<String>,
}

fn refs(src: &str) -> Refs {
    let mut r = Refs::default();
    for tag in tags(src) {
        let t = trim_tag(tag);
        let first = t.split(|c: char| !is_ident_char(c)).next().unwrap_or("");
        match first {
            "extends" | "include" | "import" => r.files.extend(quoted(t)),
            "component" => {
                let name: String = t["component".len()..]
                    .trim_start()
                    .chars()
                    .take_while(|&c| is_ident_char(c))
                    .collect();
                if !name.is_empty() {
                    r.components_defined.push(name);
                }
            }
            _ => {}
        }
        if let Some(rest) = t.strip_prefix('<') {
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|&c| is_ident_char(c))
                .collect();
            if !name.is_empty() {
                r.components_used.push(name);
            }
        }
        // Component calls can also sit deeper in an expression: `{{ x ~ <c /> }}` is not tera,
        // but a call inside `{% if %}` bodies is its own tag, so the check above sees it.
        site_refs(t, &mut r);
    }
    r
}

fn site_refs(t: &str, r: &mut Refs) {
    let mut in_str: Option<char> = None;
    let bytes: Vec<char> = t.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if let Some(q) = in_str {
            if c == q {
                in_str = None;
            }
            i += 1;
            continue;
        }
        if c == '"' || c == '\'' || c == '`' {
            in_str = Some(c);
            i += 1;
            continue;
        }
        let word_start = i == 0 || !(is_ident_char(bytes[i - 1]) || bytes[i - 1] == '.');
        if word_start && bytes[i..].starts_with(&['s', 'i', 't', 'e']) {
            let end = i + 4;
            if end < bytes.len() && is_ident_char(bytes[end]) {
                i = end;
                continue;
            }
            let next: String = bytes[end..].iter().collect();
            let next = next.trim_start();
            if let Some(f) = next.strip_prefix('.') {
                let field: String = f
                    .trim_start()
                    .chars()
                    .take_while(|&c| is_ident_char(c))
                    .collect();
                if field.is_empty() {
                    r.site_all = true;
                } else {
                    r.site_fields.push(field);
                }
            } else if let Some(f) = next.strip_prefix('[') {
                let f = f.trim_start();
                match quoted(f).first() {
                    Some(field) if f.starts_with(['"', '\'', '`']) => {
                        r.site_fields.push(field.clone())
                    }
                    _ => r.site_all = true,
                }
            } else {
                r.site_all = true;
            }
            i = end;
            continue;
        }
        i += 1;
    }
}

/// The closures of every template in `all` (name, source): the effective set, built-ins
/// already overridden by the archive's own.
pub(crate) fn closures(all: &[(String, String)]) -> HashMap<String, Closure> {
    let by_name: HashMap<&str, &str> = all.iter().map(|(n, s)| (n.as_str(), s.as_str())).collect();
    let parsed: HashMap<&str, Refs> = all.iter().map(|(n, s)| (n.as_str(), refs(s))).collect();
    let mut definers: HashMap<&str, Vec<&str>> = HashMap::new();
    for (n, r) in &parsed {
        for c in &r.components_defined {
            definers.entry(c.as_str()).or_default().push(n);
        }
    }
    let mut out = HashMap::new();
    for (name, _) in all {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut stack = vec![name.clone()];
        while let Some(n) = stack.pop() {
            if !seen.insert(n.clone()) {
                continue;
            }
            let Some(r) = parsed.get(n.as_str()) else {
                continue;
            };
            stack.extend(r.files.iter().cloned());
            for c in &r.components_used {
                for d in definers.get(c.as_str()).into_iter().flatten() {
                    stack.push(d.to_string());
                }
            }
        }
        let mut h = Xxh3::new();
        let mut c = Closure::default();
        let mut fields = HashSet::new();
        for n in &seen {
            h.update(n.as_bytes());
            h.update(&[0]);
            // A name that is not a template (a typo in an include) still counts: when the
            // file appears, the hash changes.
            if let Some(src) = by_name.get(n.as_str()) {
                h.update(src.as_bytes());
            }
            h.update(&[0xff]);
            if let Some(r) = parsed.get(n.as_str()) {
                c.site_all |= r.site_all;
                fields.extend(r.site_fields.iter().cloned());
            }
        }
        c.hash = h.digest();
        c.site_fields = fields.into_iter().collect();
        c.files = seen;
        out.insert(name.clone(), c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect()
    }

    #[test]
    fn extends_include_and_components_are_followed() {
        let all = set(&[
            (
                "base.html",
                "<title>{{ site.title }}</title>{% block content %}{% endblock %}",
            ),
            (
                "page.html",
                "{% extends \"base.html\" %}{% block content %}{% include 'part.html' %}{{ <card x={1} /> }}{% endblock %}",
            ),
            ("part.html", "{{ site.nav | length }}"),
            (
                "components.html",
                "{% component card(x) %}{{ x }}{% endcomponent card %}",
            ),
            ("other.html", "{{ site }}"),
        ]);
        let c = closures(&all);
        let page = &c["page.html"];
        assert_eq!(
            page.files.iter().map(String::as_str).collect::<Vec<_>>(),
            ["base.html", "components.html", "page.html", "part.html"]
        );
        assert!(!page.site_all);
        assert_eq!(
            page.site_fields
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            ["nav", "title"]
        );
        assert!(c["other.html"].site_all);
        assert_ne!(c["page.html"].hash, c["base.html"].hash);
    }

    #[test]
    fn an_edit_to_an_included_file_changes_the_hash_of_its_users_only() {
        let mut all = set(&[
            ("a.html", "{% include \"b.html\" %}"),
            ("b.html", "one"),
            ("c.html", "alone"),
        ]);
        let before = closures(&all);
        all[1].1 = "two".into();
        let after = closures(&all);
        assert_ne!(before["a.html"].hash, after["a.html"].hash);
        assert_eq!(before["c.html"].hash, after["c.html"].hash);
    }

    #[test]
    fn comments_and_strings_do_not_count_as_site_use() {
        let c = closures(&set(&[(
            "x.html",
            "{# site.periods is documented here #}{{ \"site\" }} website {{ site.title }}",
        )]));
        assert!(!c["x.html"].site_all);
        assert_eq!(
            c["x.html"].site_fields.iter().collect::<Vec<_>>(),
            [&"title".to_string()]
        );
    }

    #[test]
    fn bare_or_indexed_site_uses() {
        let c = closures(&set(&[
            ("a.html", "{% set s = site %}{{ s.title }}"),
            ("b.html", "{{ site[\"title\"] }}"),
            ("c.html", "{{ site[key] }}"),
        ]));
        assert!(c["a.html"].site_all);
        assert!(!c["b.html"].site_all);
        assert!(c["c.html"].site_all);
    }
}
