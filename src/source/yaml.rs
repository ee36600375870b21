//! YAML front matter as a tree of nodes that remember where they were written.
//!
//! serde-saphyr parses (panic-free, with budgets against alias bombs); we deserialize into a
//! small untyped tree of [`Node`]s, each with its line, column and source text, so that the
//! checks in `raw.rs` can report *every* problem of a file at its exact position instead of
//! stopping at the first type mismatch. Does not know what any key means.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A YAML value with its position (1-based line and column in the *file*, length in chars).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// What the value is.
    pub kind: Kind,
    /// 1-based line in the file.
    pub line: u32,
    /// 1-based column in the file, in characters.
    pub col: u32,
    /// Length of the scalar as written, in characters (1 for collections).
    pub len: u32,
    /// The scalar exactly as written (quotes included), for scalars; empty for collections.
    pub raw: String,
}

/// The shape of a YAML value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer such as `2019`.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string, plain or quoted.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in the order written.
    Map(Vec<(Node, Node)>),
}

/// A YAML syntax or budget error, positioned in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    /// 1-based line in the file.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// What the parser said, without its own position suffix.
    pub message: String,
    /// A hint for the errors editors make most (a tab, a repeated field), when it is one.
    pub help: Option<&'static str>,
}

impl Node {
    /// The scalar as a string, whatever YAML typed it as: `2019` and `true` read as written.
    /// None for null and collections.
    pub fn as_text(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            Kind::Int(_) | Kind::Float(_) | Kind::Bool(_) => Some(self.raw.trim()),
            _ => None,
        }
    }

    /// True for a plain (unquoted) scalar.
    pub fn is_plain(&self) -> bool {
        !self.raw.starts_with(['"', '\'', '|', '>'])
    }

    /// A word for the node's type, for messages (`a list`, `a mapping`, …).
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "nothing",
            Kind::Bool(_) => "a boolean",
            Kind::Int(_) => "a number",
            Kind::Float(_) => "a number",
            Kind::Str(_) => "a string",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }
}

/// Parses `yaml` (the text between the fences), whose first line is line `first_line` of the
/// file. An empty document is an empty mapping.
pub(crate) fn parse(yaml: &str, first_line: u32) -> Result<Node, YamlError> {
    let mut options = serde_saphyr::Options::default();
    // Front matter is a few dozen lines: budgets far below the library defaults make an alias
    // bomb or a pathological document fail within a moment.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 200_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_recorded_anchor_events = 100_000;
    budget.max_recorded_anchor_bytes = 4 * 1024 * 1024;
    budget.max_depth = 32;
    budget.max_nodes = 100_000;
    budget.max_total_scalar_bytes = 16 * 1024 * 1024;
    options.budget = Some(budget);
    let offset = first_line.saturating_sub(1);
    match serde_saphyr::from_str_with_options::<Option<Spanned<Raw>>>(yaml, options) {
        Ok(Some(root)) => Ok(convert(root, yaml, offset)),
        Ok(None) => Ok(Node {
            kind: Kind::Map(Vec::new()),
            line: first_line,
            col: 1,
            len: 1,
            raw: String::new(),
        }),
        Err(e) => {
            let (mut line, mut col) = e
                .location()
                .map_or((1, 1), |l| (l.line() as u32, l.column() as u32));
            let message = strip_position(&e.without_snippet().to_string());
            let mut help = None;
            if message.contains("tab") {
                // The scanner often reports the value before the tab (a tab-indented field
                // continues the line above): point at the tab itself.
                if let Some(at) = tab_at_or_after(yaml, line.max(1)) {
                    (line, col) = at;
                }
                help = Some("YAML does not allow tabs for indentation: indent with spaces");
            } else if message.starts_with("duplicate mapping key") {
                help = Some("a field may appear only once: remove or merge the repeated one");
            }
            Err(YamlError {
                line: line.max(1) + offset,
                col: col.max(1),
                message,
                help,
            })
        }
    }
}

/// The 1-based line and column (in characters) of the first tab on `line` (1-based, in `yaml`)
/// or on one of the two lines after it.
fn tab_at_or_after(yaml: &str, line: u32) -> Option<(u32, u32)> {
    yaml.lines()
        .enumerate()
        .skip(line as usize - 1)
        .take(3)
        .find_map(|(i, l)| {
            l.chars()
                .position(|c| c == '\t')
                .map(|c| (i as u32 + 1, c as u32 + 1))
        })
}

/// serde-saphyr appends ` at line N, column M`; we print positions our own way.
fn strip_position(message: &str) -> String {
    if message.starts_with("budget breached") {
        return "too many aliases, anchors or nested values (a YAML alias bomb?)".to_string();
    }
    let m = match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    let m = m.strip_prefix("error: ").unwrap_or(m);
    m.replace(", set DuplicateKeyPolicy in Options if acceptable", "")
}

/// The tree as serde hands it over, before positions are made file-relative.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<Raw>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Raw;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_none<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
                Raw::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
                Ok(Raw::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
                Ok(Raw::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
                Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
            }
            fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
                Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
            }
            fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
                Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
                Ok(Raw::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
                Ok(Raw::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Raw, E> {
                Ok(Raw::Str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element()? {
                    v.push(x);
                }
                Ok(Raw::Seq(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_entry()? {
                    v.push(x);
                }
                Ok(Raw::Map(v))
            }
        }
        d.deserialize_any(V)
    }
}

fn convert(s: Spanned<Raw>, yaml: &str, line_offset: u32) -> Node {
    let loc = s.referenced;
    let span = loc.span();
    let raw = match (&s.value, span.byte_offset(), span.byte_len()) {
        (Raw::Seq(_) | Raw::Map(_), _, _) => String::new(),
        (_, Some(off), Some(len)) => yaml
            .get(off as usize..(off + len) as usize)
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    };
    let len = (span.len() as u32).max(1);
    let kind = match s.value {
        Raw::Null => Kind::Null,
        Raw::Bool(b) => Kind::Bool(b),
        Raw::Int(i) => Kind::Int(i),
        Raw::Float(f) => Kind::Float(f),
        Raw::Str(st) => Kind::Str(st),
        Raw::Seq(v) => Kind::Seq(
            v.into_iter()
                .map(|x| convert(x, yaml, line_offset))
                .collect(),
        ),
        Raw::Map(v) => Kind::Map(
            v.into_iter()
                .map(|(k, x)| (convert(k, yaml, line_offset), convert(x, yaml, line_offset)))
                .collect(),
        ),
    };
    Node {
        kind,
        line: (loc.line() as u32).max(1) + line_offset,
        col: (loc.column() as u32).max(1),
        len,
        raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(n: &Node) -> &[(Node, Node)] {
        match &n.kind {
            Kind::Map(m) => m,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn positions_are_file_relative() {
        let n = parse("title: x\nspheres: [political, enrgy]\n", 2).unwrap();
        let m = map(&n);
        let Kind::Seq(items) = &m[1].1.kind else {
            panic!()
        };
        assert_eq!((items[1].line, items[1].col, items[1].len), (3, 22, 5));
    }

    #[test]
    fn scalars_keep_their_written_form() {
        let n = parse(
            "a: 2019\nb: 2019-03\nc: 1.10\nd: \"unknown\"\ne: unknown\n",
            1,
        )
        .unwrap();
        let m = map(&n);
        assert_eq!(m[0].1.kind, Kind::Int(2019));
        assert_eq!(m[0].1.as_text(), Some("2019"));
        assert_eq!(m[1].1.as_text(), Some("2019-03"));
        assert_eq!(m[2].1.as_text(), Some("1.10"));
        assert!(!m[3].1.is_plain());
        assert!(m[4].1.is_plain());
    }

    #[test]
    fn syntax_errors_are_positioned() {
        let e = parse("title: ok\nspheres: [unclosed\n", 5).unwrap_err();
        assert_eq!(e.line, 6);
        assert!(e.message.contains("unclosed"), "{}", e.message);
        assert!(!e.message.contains("at line"), "{}", e.message);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = parse("a: 1\na: 2\n", 2).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("duplicate"), "{}", e.message);
        assert!(e.help.is_some_and(|h| h.contains("only once")));
    }

    #[test]
    fn a_tab_error_points_at_the_tab() {
        // A tab-indented field: the scanner reports the value on the line above.
        let e = parse("title: A\n\tauthors: [X]\ndate: 2019\n", 2).unwrap_err();
        assert!(e.message.contains("tab"), "{}", e.message);
        assert_eq!((e.line, e.col), (3, 1));
        assert!(e.help.is_some_and(|h| h.contains("spaces")));
        // A tab inside the indentation of a list item.
        let e = parse("authors:\n  - X\n \t- Y\n", 1).unwrap_err();
        assert!(e.message.contains("tab"), "{}", e.message);
        assert_eq!((e.line, e.col), (3, 2));
    }

    #[test]
    fn alias_bomb_fails_fast() {
        let mut y = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='p' {
            y.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = c;
        }
        let start = std::time::Instant::now();
        assert!(parse(&y, 1).is_err());
        assert!(start.elapsed().as_secs() < 5);
    }

    #[test]
    fn empty_document_is_an_empty_map() {
        assert_eq!(parse("", 2).unwrap().kind, Kind::Map(vec![]));
        assert_eq!(
            parse("# only a comment\n", 2).unwrap().kind,
            Kind::Map(vec![])
        );
    }
}
