//! Diagnostics: what dyad tells an editor about their archive.
//!
//! A [`Diagnostic`] names a file (relative to the archive root), an optional position, a message
//! and an optional hint. Stages collect them into [`Diagnostics`] and carry on, so one run reports
//! every problem. This module also renders them, compiler style (`path:line:col: error: message`,
//! the source line, a caret, `= help: …`) through annotate-snippets, or as JSON for editors and
//! CI. It does not decide what is wrong: the checks live next to the code that raises them.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;
use std::fmt::Write as _;

/// How bad a finding is. Errors stop a build (exit 1); warnings never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The archive cannot be published as it is.
    Error,
    /// Published anyway, but probably not what the editor meant.
    Warning,
}

/// A position in a file: 1-based line, 1-based column (in characters) and the length of the
/// underlined text in characters (at least 1 when shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub col: u32,
    /// Characters to underline.
    pub len: u32,
}

/// One finding about one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Path relative to the archive root, with `/` separators.
    pub path: String,
    /// Where in the file, when known.
    pub span: Option<Span>,
    /// What is wrong, starting in lower case, naming the value in backticks.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub help: Option<String>,
    /// The text of the line `span` points at (for the snippet; a window of it around the
    /// span when the line is very long, see [`Diagnostic::with_line`]); not part of the JSON
    /// output.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// Characters of the line left out before `source_line` starts (0 unless the line was
    /// cut to a window).
    #[serde(skip)]
    pub source_skip: u32,
}

/// Longest source line kept whole in a diagnostic, in characters; a longer one (a body
/// written on one line) is cut to [`LINE_WINDOW`] characters either side of the span, so
/// that a thousand findings on one long line do not each hold a copy of it.
const LONG_LINE: usize = 1_000;
const LINE_WINDOW: usize = 200;

impl Diagnostic {
    /// An error about `path`, with no position yet.
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path, message)
    }

    /// A warning about `path`, with no position yet.
    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path, message)
    }

    fn new(severity: Severity, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            path: path.into(),
            span: None,
            message: message.into(),
            help: None,
            source_line: None,
            source_skip: 0,
        }
    }

    /// Points the diagnostic at `line:col` (1-based, characters) of `text`, the whole file,
    /// underlining `len` characters. The line's text is kept for the snippet.
    pub fn at(mut self, text: &str, line: u32, col: u32, len: u32) -> Self {
        self.span = Some(Span { line, col, len });
        match text.lines().nth(line.saturating_sub(1) as usize) {
            Some(l) => self.with_line(l),
            None => self,
        }
    }

    /// Keeps `line` (the text of the line the span is on) for the snippet: whole, or when it
    /// is longer than [`LONG_LINE`] characters, a window around the span, marked with `…`.
    pub fn with_line(mut self, line: &str) -> Self {
        let line = line.trim_end_matches('\r');
        let Some(span) = self.span else {
            self.source_line = Some(line.to_string());
            return self;
        };
        if line.len() <= LONG_LINE || line.chars().nth(LONG_LINE).is_none() {
            self.source_line = Some(line.to_string());
            self.source_skip = 0;
            return self;
        }
        let col = span.col.saturating_sub(1) as usize;
        let from = col.saturating_sub(LINE_WINDOW);
        let to = col + (span.len as usize).min(LINE_WINDOW) + LINE_WINDOW;
        let mut window: String = line.chars().skip(from).take(to - from).collect();
        let mut skip = from as u32;
        if from > 0 {
            // The mark takes one character's place in front of the window.
            window.insert(0, '…');
            skip -= 1;
        }
        if line.chars().nth(to).is_some() {
            window.push('…');
        }
        self.source_line = Some(window);
        self.source_skip = skip;
        self
    }

    /// Adds a hint (`= help: …`).
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a hint only when there is one.
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (&str, u32, u32, Severity, &str) {
        let (line, col) = self.span.map_or((0, 0), |s| (s.line, s.col));
        (&self.path, line, col, self.severity, &self.message)
    }

    /// Renders the diagnostic compiler style. `color` adds ANSI colours for terminals.
    pub fn render(&self, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut out = String::new();
        let position = match self.span {
            Some(s) => format!("{}:{}:{}", self.path, s.line, s.col),
            None => self.path.clone(),
        };
        // The header is the short form (`path:line:col: error: message`); the body is the
        // snippet with the caret and the help line.
        let title = format!("{position}: {}", self.message);
        let header = &[Group::with_title(
            level.clone().no_name().primary_title(&title),
        )];
        let header_text = renderer.clone().short_message(true).render(header);
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // annotate-snippets prints `: title` when the level has no name; put the severity where
        // compilers put it: after the position.
        let header_text = header_text.trim_start_matches(": ");
        let _ = writeln!(
            out,
            "{}",
            header_text.replacen(
                &format!("{position}: "),
                &format!("{position}: {severity}: "),
                1
            )
        );
        let mut group = Group::with_level(level);
        let mut has_body = false;
        if let (Some(span), Some(line)) = (self.span, self.source_line.as_deref()) {
            let col = span.col.saturating_sub(1).saturating_sub(self.source_skip);
            let start = byte_of_char(line, col as usize);
            let end = byte_of_char(line, (col + span.len.max(1)) as usize);
            let end = end.max(start);
            group = group.element(
                Snippet::source(line)
                    .line_start(span.line as usize)
                    .annotation(AnnotationKind::Primary.span(start..end)),
            );
            has_body = true;
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help));
            has_body = true;
        }
        if has_body {
            let body = renderer.render(&[group]);
            out.push_str(&body);
            out.push('\n');
        }
        out
    }
}

/// The byte offset of the `n`th character of `s` (or its length, past the end).
fn byte_of_char(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// The diagnostics of one run, collected from every stage.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds many.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// True when at least one error was collected.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// True when nothing was collected.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics in a stable order: by path, line, column (so output is the same from run
    /// to run and across thread counts). Exact duplicates are dropped.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        v.dedup_by(|a, b| a == b);
        v
    }

    /// Every diagnostic rendered for a human, sorted, followed by a count line.
    pub fn render_human(&self, color: bool) -> String {
        let mut out = String::new();
        for d in self.sorted() {
            out.push_str(&d.render(color));
            out.push('\n');
        }
        out
    }

    /// The diagnostics as one JSON document:
    /// `{"errors": N, "warnings": N, "diagnostics": [{severity, path, line, column, end_column,
    /// message, help}]}`.
    pub fn render_json(&self) -> String {
        #[derive(Serialize)]
        struct Item<'a> {
            severity: Severity,
            path: &'a str,
            line: Option<u32>,
            column: Option<u32>,
            end_column: Option<u32>,
            message: &'a str,
            help: Option<&'a str>,
        }
        #[derive(Serialize)]
        struct Doc<'a> {
            errors: usize,
            warnings: usize,
            diagnostics: Vec<Item<'a>>,
        }
        let doc = Doc {
            errors: self.error_count(),
            warnings: self.warning_count(),
            diagnostics: self
                .sorted()
                .into_iter()
                .map(|d| Item {
                    severity: d.severity,
                    path: &d.path,
                    line: d.span.map(|s| s.line),
                    column: d.span.map(|s| s.col),
                    end_column: d.span.map(|s| s.col + s.len.max(1)),
                    message: &d.message,
                    help: d.help.as_deref(),
                })
                .collect(),
        };
        serde_json::to_string_pretty(&doc).expect("plain structs of strings always serialize")
    }

    /// The underlying list, unsorted.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// The nearest candidate to `word` by edit distance, when one is close enough to be a likely
/// typo (`enrgy` → `energy`, `spheers` → `spheres`).
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// `did you mean `x`?` for the nearest candidate, if any.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    nearest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_a_compiler() {
        let text = "---\ntitle: x\nspheres: [political, enrgy]\n---\n";
        let d = Diagnostic::error("content/abstracts/a.md", "unknown sphere `enrgy`")
            .at(text, 3, 22, 5)
            .help("did you mean `energy`?");
        let out = d.render(false);
        let expected = "content/abstracts/a.md:3:22: error: unknown sphere `enrgy`\n  |\n3 | spheres: [political, enrgy]\n  |                      ^^^^^\n  |\n  = help: did you mean `energy`?\n";
        assert_eq!(out, expected);
    }

    #[test]
    fn a_very_long_line_is_kept_as_a_window_with_the_caret_in_place() {
        // One line of 5,000 words; the finding is at word 3,000 (`w3000`).
        let line: String = (0..5_000).map(|i| format!("w{i} ")).collect();
        let col = line.find("w3000").unwrap() as u32 + 1;
        let d = Diagnostic::warning("a.md", "here").at(&line, 1, col, 5);
        let kept = d.source_line.as_deref().unwrap();
        assert!(
            kept.chars().count() < 2 * LINE_WINDOW + 10,
            "{}",
            kept.len()
        );
        assert!(kept.starts_with('…') && kept.ends_with('…'));
        let out = d.render(false);
        let lines: Vec<&str> = out.lines().collect();
        // The caret line underlines exactly `w3000` in the shown source line.
        let src = lines.iter().find(|l| l.starts_with("1 |")).unwrap();
        let caret = lines.iter().find(|l| l.contains('^')).unwrap();
        let at = caret.find('^').unwrap();
        assert_eq!(&src[at..at + 5], "w3000", "{out}");
        assert_eq!(caret.matches('^').count(), 5);
        // A short line is kept whole.
        let d = Diagnostic::warning("a.md", "here").at("short line", 1, 7, 4);
        assert_eq!(d.source_line.as_deref(), Some("short line"));
        assert_eq!(d.source_skip, 0);
    }

    #[test]
    fn renders_without_position() {
        let d = Diagnostic::warning("content/x.txt", "not a Markdown file");
        assert_eq!(
            d.render(false),
            "content/x.txt: warning: not a Markdown file\n"
        );
    }

    #[test]
    fn caret_counts_characters_not_bytes() {
        let text = "spheres: [политика, энергия]";
        let d = Diagnostic::error("a.md", "unknown sphere `энергия`").at(text, 1, 21, 7);
        let out = d.render(false);
        assert!(out.contains("1 | spheres: [политика, энергия]"), "{out}");
        assert!(
            out.contains(&format!("  | {}^^^^^^^", " ".repeat(20))),
            "{out}"
        );
    }

    #[test]
    fn sorted_by_path_line_col_and_deduplicated() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::error("b.md", "x").at("a\nb\n", 2, 1, 1));
        ds.push(Diagnostic::error("a.md", "y").at("a\nb\n", 2, 1, 1));
        ds.push(Diagnostic::warning("a.md", "z").at("a\nb\n", 1, 1, 1));
        ds.push(Diagnostic::warning("a.md", "z").at("a\nb\n", 1, 1, 1));
        let order: Vec<_> = ds.sorted().iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["z", "y", "x"]);
        assert_eq!(ds.error_count(), 2);
        assert_eq!(ds.warning_count(), 2);
    }

    #[test]
    fn json_names_every_field() {
        let mut ds = Diagnostics::new();
        ds.push(
            Diagnostic::error("a.md", "bad `x`")
                .at("x", 1, 1, 1)
                .help("fix it"),
        );
        let v: serde_json::Value = serde_json::from_str(&ds.render_json()).unwrap();
        assert_eq!(v["errors"], 1);
        assert_eq!(v["diagnostics"][0]["path"], "a.md");
        assert_eq!(v["diagnostics"][0]["line"], 1);
        assert_eq!(v["diagnostics"][0]["help"], "fix it");
    }

    #[test]
    fn suggestions_find_typos_only() {
        let spheres = ["political", "economic", "energy"];
        assert_eq!(nearest("enrgy", spheres), Some("energy"));
        assert_eq!(nearest("politcal", spheres), Some("political"));
        assert_eq!(nearest("zoology", spheres), None);
        let keys = ["title", "spheres", "periods"];
        assert_eq!(
            did_you_mean("spheers", keys).as_deref(),
            Some("did you mean `spheres`?")
        );
    }
}
