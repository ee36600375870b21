//! Record → the text of an abstract file: front matter that `dyad check` reads back to the same
//! values, and the abstract as Markdown that shows every character literally.
//!
//! Every free-text value is a double-quoted YAML string (JSON string syntax, which YAML 1.2
//! reads the same), so titles with `:`, `#` or quotes, leading `-`, `yes`, or a volume `27`
//! stay strings and round-trip exactly. What is missing is written as `unknown` (authors,
//! date) or `[]` (spheres) with a comment for the editor, never as an invented value. Does not
//! decide where the file goes.

use crate::cite::Record;
use std::fmt::Write as _;

/// Whether YAML may hold `c` as it is: its printable set (no NUL or other control
/// characters, no DEL, no C1 controls, no U+FFFE/U+FFFF), less NEL and the Unicode line and
/// paragraph separators, which YAML 1.1 readers take for line breaks.
fn yaml_printable(c: char) -> bool {
    let printable = matches!(c, '\t' | '\n' | '\r')
        || matches!(c, '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}')
        || matches!(c, '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
    printable && !matches!(c, '\u{2028}' | '\u{2029}')
}

/// A YAML double-quoted string. JSON escapes quotes, backslashes and C0 controls; whatever
/// else YAML cannot hold as it is gets a `\uXXXX` escape, which YAML reads back to the same
/// character.
fn quoted(s: &str) -> String {
    let json = serde_json::to_string(s).expect("strings always serialize");
    if json.chars().all(yaml_printable) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if yaml_printable(c) {
            out.push(c);
        } else {
            let _ = write!(out, "\\u{:04X}", u32::from(c));
        }
    }
    out
}

/// A YAML flow list of double-quoted strings.
fn quoted_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[{}]", items.join(", "))
}

/// One line of a YAML comment (line breaks in `s` become spaces, characters YAML cannot hold
/// become U+FFFD: a comment has no escapes).
fn comment(s: &str) -> String {
    let text: String = super::tidy::collapse(s)
        .chars()
        .map(|c| if yaml_printable(c) { c } else { '\u{fffd}' })
        .collect();
    format!("# {text}\n")
}

/// The whole file for `r`: front matter, then the abstract. `origin` (`zotero.bib:12`) names
/// where the record came from; `notes` are the fields that could not be taken over.
pub(crate) fn abstract_file(
    r: &Record,
    spheres: &[String],
    origin: &str,
    notes: &[String],
) -> String {
    let mut t = String::from("---\n");
    t.push_str(&comment(&format!("Imported from {origin}.")));
    for n in notes {
        t.push_str(&comment(&format!("Import note: {n}.")));
    }
    let _ = writeln!(t, "title: {}", quoted(&r.title));
    if r.authors.is_empty() {
        t.push_str(&comment(
            "The import had no author: write the authors, e.g. [Ivanov I. I.], or keep `unknown`.",
        ));
        t.push_str("authors: unknown\n");
    } else {
        let _ = writeln!(t, "authors: {}", quoted_list(&r.authors));
    }
    match r.date {
        Some(d) => {
            let _ = writeln!(t, "date: {d}");
        }
        None => {
            t.push_str(&comment(
                "The import had no usable date: write YYYY, YYYY-MM or YYYY-MM-DD, or keep `unknown`.",
            ));
            t.push_str("date: unknown\n");
        }
    }
    if spheres.is_empty() {
        t.push_str(&comment(
            "Fill in at least one sphere id from content/spheres/, e.g. [political, economic].",
        ));
        t.push_str("spheres: []\n");
    } else {
        // Sphere ids are checked slugs (`[a-z0-9-]+`): plain scalars are safe.
        let _ = writeln!(t, "spheres: [{}]", spheres.join(", "));
    }
    t.push_str(&comment(
        "The span the work studies decides its periods (see README, \"How periods are assigned\"):",
    ));
    t.push_str("# coverage: {from: 2016-08, to: 2019-03}\n");
    if !r.keywords.is_empty() {
        let _ = writeln!(t, "keywords: {}", quoted_list(&r.keywords));
    }
    if let Some(l) = &r.language {
        let _ = writeln!(t, "language: {}", quoted(l));
    }
    write_source(&mut t, r);
    if let Some(d) = &r.doi {
        let _ = writeln!(t, "doi: {}", quoted(d));
    }
    if let Some(u) = &r.url {
        let _ = writeln!(t, "url: {}", quoted(u));
    }
    if r.abstract_text.is_none() {
        t.push_str(&comment(
            "The import had no abstract: write it below the closing `---`, in Markdown.",
        ));
    }
    t.push_str("---\n");
    if let Some(a) = &r.abstract_text {
        t.push('\n');
        t.push_str(&escape_markdown(a));
        t.push('\n');
    }
    t
}

fn write_source(t: &mut String, r: &Record) {
    let fields = [
        ("container", &r.container),
        ("volume", &r.volume),
        ("issue", &r.issue),
        ("pages", &r.pages),
        ("publisher", &r.publisher),
        ("place", &r.place),
    ];
    if r.kind.is_none() && fields.iter().all(|(_, v)| v.is_none()) {
        return;
    }
    t.push_str("source:\n");
    let _ = writeln!(t, "  type: {}", r.kind().as_str());
    for (key, value) in fields {
        if let Some(v) = value {
            let _ = writeln!(t, "  {key}: {}", quoted(v));
        }
    }
}

/// Plain text as Markdown that renders to the same characters: every character with a
/// meaning in CommonMark, GFM tables, footnotes or strikethrough is backslash-escaped where it
/// could take effect, lines lose the leading spaces that would make code blocks, and blank
/// lines still separate paragraphs. Quotes, dashes and `...` are left to the site's smart
/// punctuation, like every other abstract.
pub(crate) fn escape_markdown(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !lines.is_empty() {
                paragraphs.push(lines.join("\n"));
                lines.clear();
            }
            continue;
        }
        lines.push(escape_line(line));
    }
    if !lines.is_empty() {
        paragraphs.push(lines.join("\n"));
    }
    paragraphs.join("\n\n")
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    // A list marker, block quote, setext underline or ordered-list number at the start.
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let mut chars = line.chars().peekable();
    if digits > 0 {
        let number: String = line.chars().take(digits).collect();
        let rest = &line[digits..];
        if rest.starts_with(['.', ')']) {
            out.push_str(&number);
            out.push('\\');
            chars = rest.chars().peekable();
        }
    } else if line.starts_with(['-', '+', '=']) {
        out.push('\\');
    }
    for c in chars {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '#' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dates::PartialDate;
    use crate::source::raw::{Authors, SourceKind};
    use crate::source::{Record as Parsed, Section, parse};

    fn reread(text: &str) -> crate::source::raw::RawAbstract {
        let p = parse(
            "content/abstracts/2019/x.md",
            Section::Abstract,
            text.to_string(),
            &[],
        );
        assert!(
            p.diags.iter().all(|d| !d.is_error()),
            "{text}\n{:?}",
            p.diags
        );
        match p.record {
            Some(Parsed::Abstract(a)) => *a,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_string_round_trips_through_check() {
        let awkward = [
            "Title: with colon # and hash",
            "\"Quoted\" and 'single'",
            "- leading dash",
            "yes",
            "27",
            "Қазақстан және Ресей: 1991–2021",
            "back\\slash and tab\there",
            "null",
        ];
        for s in awkward {
            let r = Record {
                title: s.into(),
                authors: vec![s.into(), "Петров И. П.".into()],
                date: PartialDate::parse("2019-03").ok(),
                container: Some(s.into()),
                volume: Some("27".into()),
                issue: Some("yes".into()),
                pages: Some("12–34".into()),
                publisher: Some(s.into()),
                place: Some("Алматы".into()),
                keywords: vec![s.into(), "ЕАЭС".into()],
                language: Some("ru".into()),
                doi: Some("10.5555/rk.2019.1".into()),
                url: Some("https://example.org/a?b=1#c".into()),
                kind: Some(SourceKind::Chapter),
                abstract_text: Some("Text".into()),
                ..Record::default()
            };
            let a = reread(&abstract_file(&r, &["political".into()], "x.bib:1", &[]));
            assert_eq!(a.title.value, s);
            let Authors::Known(names) = &a.authors else {
                panic!("authors")
            };
            assert_eq!(names[0].value, s.trim());
            assert_eq!(a.keywords[0].value, s.trim());
            let src = a.source.expect("source");
            assert_eq!(src.container.as_deref(), Some(s.trim()));
            assert_eq!(src.volume.as_deref(), Some("27"));
            assert_eq!(src.issue.as_deref(), Some("yes"));
            assert_eq!(src.kind, Some(SourceKind::Chapter));
            assert_eq!(
                a.doi.as_ref().map(|d| d.value.as_str()),
                Some("10.5555/rk.2019.1")
            );
            assert_eq!(a.url.as_deref(), Some("https://example.org/a?b=1#c"));
            assert_eq!(a.date.value, r.date);
        }
    }

    /// Found by the `import` fuzz target: a BibTeX date with NUL bytes went into an import
    /// note as it was, and YAML allows no control characters, not even in comments.
    #[test]
    fn characters_yaml_cannot_hold_are_escaped() {
        let odd = "a\u{0}b\u{7f}c\u{85}d\u{9f}e\u{fffe}f\u{2028}g";
        let r = Record {
            title: format!("Title {odd}"),
            authors: vec![format!("Author {odd}")],
            container: Some(odd.into()),
            ..Record::default()
        };
        let note = "the date `20\u{0}\u{0}05` could not be read".to_string();
        let text = abstract_file(&r, &["political".into()], "x.bib:1", &[note]);
        let a = reread(&text);
        assert_eq!(a.title.value, r.title);
        assert_eq!(a.source.expect("source").container.as_deref(), Some(odd));
        assert!(
            text.contains("# Import note: the date `20\u{fffd}\u{fffd}05` could not be read."),
            "{text}"
        );
    }

    #[test]
    fn missing_author_and_date_are_unknown_with_a_comment() {
        let r = Record {
            title: "T".into(),
            ..Record::default()
        };
        let text = abstract_file(&r, &[], "x.ris:3", &["language `x` left out".into()]);
        assert!(text.contains("# The import had no author"), "{text}");
        assert!(text.contains("authors: unknown\n"));
        assert!(text.contains("date: unknown\n"));
        assert!(text.contains("spheres: []\n"));
        assert!(text.contains("# Import note: language `x` left out."));
        let p = parse(
            "content/abstracts/undated/t.md",
            Section::Abstract,
            text,
            &[],
        );
        let errors: Vec<_> = p.diags.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("`spheres` is empty"));
    }

    #[test]
    fn markdown_specials_are_escaped() {
        assert_eq!(
            escape_markdown("a *b* _c_ #d [e](f) <g> `h` \\i | j ~k~ &amp;"),
            "a \\*b\\* \\_c\\_ \\#d \\[e\\](f) \\<g\\> \\`h\\` \\\\i \\| j \\~k\\~ \\&amp;"
        );
        assert_eq!(escape_markdown("# Heading"), "\\# Heading");
        assert_eq!(
            escape_markdown("- item\n+ item\n1. one\n2) two"),
            "\\- item\n\\+ item\n1\\. one\n2\\) two"
        );
        assert_eq!(escape_markdown("    code?\n\n\n  next"), "code?\n\nnext");
        assert_eq!(escape_markdown("===\n---"), "\\===\n\\---");
    }
}
