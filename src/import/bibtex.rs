//! BibTeX and BibLaTeX, read with the `biblatex` crate.
//!
//! `biblatex` stops at the first syntax error of a file, so the file is first cut into its
//! `@…` items (by brace matching; a line starting a new `@type{` also ends an item whose
//! braces never closed) and each entry is parsed on its own, with the file's `@string`
//! abbreviations in front. A broken entry is then one problem at its own line, and the rest
//! is still read. The crate resolves LaTeX: `{\"o}` → ö, `--` → –, `\&` → &, and braces are
//! dropped. Does not tidy values.

use super::tidy::{date_from_iso, date_from_parts, month_number, report_container};
use super::{Entry, Problem, Read};
use crate::cite::{Name, Record};
use crate::source::raw::SourceKind;
use biblatex::{Bibliography, ChunksExt};

/// One `@kind{…}` item of the file.
#[derive(Debug, PartialEq, Eq)]
struct Item<'a> {
    /// Byte offset of the `@`.
    start: usize,
    /// Lowercase kind (`article`, `string`, `comment`).
    kind: String,
    /// The item's text, from `@` to the closing brace (or to where the next item starts).
    text: &'a str,
    /// Whether the closing brace was found.
    closed: bool,
}

/// Whether a line-start `@` at `at` begins an item: `@` letters, optional spaces, `{` or `(`.
fn starts_item(text: &str, at: usize) -> bool {
    let rest = &text[at + 1..];
    let letters = rest.chars().take_while(char::is_ascii_alphabetic).count();
    letters > 0
        && rest[letters..]
            .trim_start_matches([' ', '\t'])
            .starts_with(['{', '('])
}

/// Cuts the file into items. Text outside items is a comment in BibTeX and is skipped.
fn items(text: &str) -> Vec<Item<'_>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = text[i..].find('@') {
        let start = i + off;
        let rest = &text[start + 1..];
        let letters = rest.chars().take_while(char::is_ascii_alphabetic).count();
        let kind = rest[..letters].to_ascii_lowercase();
        let after = start + 1 + letters;
        let open_at = after + (text[after..].len() - text[after..].trim_start().len());
        let opener = b.get(open_at).copied();
        if letters == 0 || !matches!(opener, Some(b'{' | b'(')) {
            i = start + 1;
            continue;
        }
        let closer = if opener == Some(b'{') { b'}' } else { b')' };
        let mut depth = 0usize;
        let mut end = None;
        let mut j = open_at + 1;
        while j < b.len() {
            match b[j] {
                b'{' => depth += 1,
                b'}' if depth > 0 => depth -= 1,
                c if c == closer && depth == 0 => {
                    end = Some(j + 1);
                    break;
                }
                b'\n' => {
                    // A new item at the start of a line: this one never closed.
                    let line_start = j + 1;
                    let indent = text[line_start..].len()
                        - text[line_start..].trim_start_matches([' ', '\t']).len();
                    let at = line_start + indent;
                    if b.get(at) == Some(&b'@') && starts_item(text, at) {
                        end = None;
                        j = line_start;
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        let (stop, closed) = match end {
            Some(e) => (e, true),
            None => (j.min(b.len()), false),
        };
        out.push(Item {
            start,
            kind,
            text: &text[start..stop],
            closed,
        });
        i = stop.max(start + 1);
    }
    out
}

/// 1-based line of byte `offset`.
fn line_of(text: &str, offset: usize) -> u32 {
    let upto = text.get(..offset).unwrap_or(text);
    u32::try_from(upto.matches('\n').count() + 1).unwrap_or(u32::MAX)
}

/// Reads a BibTeX or BibLaTeX export. Pure.
pub(crate) fn read(text: &str) -> Read {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut read = Read::default();
    let mut strings = Strings::default();
    let mut lines = super::Lines::new(text);
    for item in items(text) {
        let line = lines.at(item.start);
        if !item.closed {
            read.problems.push(Problem {
                line: Some(line),
                message: format!(
                    "`@{}` is never closed: a `{}` is missing at its end (or a brace inside it is unbalanced)",
                    item.kind,
                    if item.text.contains('{') { "}" } else { ")" }
                ),
            });
            continue;
        }
        match item.kind.as_str() {
            "comment" | "preamble" => continue,
            "string" => {
                match Bibliography::parse(item.text) {
                    Ok(_) => strings.define(item.text),
                    Err(e) => read
                        .problems
                        .push(problem(line, &item.kind, item.text, 0, &e)),
                }
                continue;
            }
            _ => {}
        }
        let braces = item.text.matches('{').count();
        if braces > MAX_BRACES {
            read.problems.push(Problem {
                line: Some(line),
                message: format!(
                    "this `@{}` entry has {braces} braces, more than the {MAX_BRACES} dyad reads in one entry (the BibTeX reader slows down with each one): remove the extra braces, or export it again from Zotero",
                    item.kind
                ),
            });
            continue;
        }
        let body = mark_paragraphs(item.text);
        let used = strings.used_by(&body);
        let source = format!("{used}{body}");
        match Bibliography::parse(&source) {
            Ok(bib) => match bib.iter().next() {
                Some(e) => read.entries.push(entry(line, &item.kind, e)),
                None => read.problems.push(Problem {
                    line: Some(line),
                    message: format!("`@{}` holds no entry", item.kind),
                }),
            },
            Err(e) => read
                .problems
                .push(problem(line, &item.kind, &body, used.len(), &e)),
        }
    }
    read
}

/// Most braces read in one entry: the `biblatex` crate merges the pieces of a braced value
/// one by one, in time that grows with the square of their number (200,000 nested braces
/// took minutes). A real entry has a few dozen.
const MAX_BRACES: usize = 5_000;

/// The file's `@string` abbreviations met so far. Each entry is parsed with the ones it uses
/// in front (and those they use), not all of them: with a thousand abbreviations, parsing
/// every one again for each of 20,000 entries took most of an import.
#[derive(Default)]
struct Strings {
    /// Each definition's text, in file order.
    texts: Vec<String>,
    /// Lowercase name (BibTeX's names ignore case) → index in `texts` (a later definition
    /// of a name replaces the earlier one).
    names: std::collections::HashMap<String, usize>,
}

impl Strings {
    /// Adds a valid `@string{name = …}` item.
    fn define(&mut self, item: &str) {
        let inner = item.find(['{', '(']).map_or("", |i| &item[i + 1..]);
        let name = inner.split('=').next().unwrap_or("").trim().to_lowercase();
        self.names.insert(name, self.texts.len());
        self.texts.push(item.to_string());
    }

    /// The definitions `body` uses, directly or through other definitions, in file order,
    /// each on a line of its own.
    fn used_by(&self, body: &str) -> String {
        if self.names.is_empty() {
            return String::new();
        }
        let mut used = std::collections::BTreeSet::new();
        let mut pending = vec![body];
        while let Some(text) = pending.pop() {
            for word in words(text) {
                if let Some(&i) = self.names.get(&word.to_lowercase())
                    && used.insert(i)
                {
                    pending.push(&self.texts[i]);
                }
            }
        }
        let mut out = String::new();
        for i in used {
            out.push_str(&self.texts[i]);
            out.push('\n');
        }
        out
    }
}

/// The words of `text` that could name an abbreviation: runs of characters BibTeX allows in
/// a name (anything but white space and `"#%'(),={}`).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || "\"#%'(),={}".contains(c))
        .filter(|w| !w.is_empty())
}

/// The problem of an item starting at `line` whose text (after `prefix` bytes of `@string`s)
/// biblatex rejected.
fn problem(line: u32, kind: &str, body: &str, prefix: usize, e: &biblatex::ParseError) -> Problem {
    let at = e.span.start.saturating_sub(prefix).min(body.len());
    Problem {
        line: Some(line + line_of(body, at) - 1),
        message: format!(
            "this `@{kind}` entry is not valid BibTeX: {} (fix it, or export it again from Zotero)",
            e.kind
        ),
    }
}

/// The marker a blank line inside a field value becomes: biblatex turns every run of white
/// space into one space, and TeX's paragraphs would be lost. `\par` passes through it as is.
const PAR: &str = "\\par";

/// Writes `\par` on each blank line inside a field value (brace depth past the entry's own),
/// keeping every line break, so that line numbers stay right.
fn mark_paragraphs(item: &str) -> String {
    let field_depth = if item.trim_end().ends_with(')') { 1 } else { 2 };
    let mut out = String::with_capacity(item.len());
    let mut depth = 0usize;
    for (i, line) in item.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.trim().is_empty() && depth >= field_depth {
            out.push_str(PAR);
            continue;
        }
        out.push_str(line);
        for c in line.chars() {
            match c {
                '{' | '(' if depth == 0 => depth = 1,
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    out
}

/// The entry kind → dyad's source type.
fn kind(k: &str) -> SourceKind {
    match k {
        "article" | "periodical" => SourceKind::Article,
        "book" | "mvbook" | "collection" | "mvcollection" | "proceedings" | "booklet" => {
            SourceKind::Book
        }
        "incollection" | "inbook" | "inproceedings" | "conference" | "bookinbook" => {
            SourceKind::Chapter
        }
        "report" | "techreport" => SourceKind::Report,
        "thesis" | "phdthesis" | "mastersthesis" => SourceKind::Thesis,
        _ => SourceKind::Other,
    }
}

/// A long text field (the abstract) with TeX's paragraphs: a blank line (marked `\\par` by
/// [`mark_paragraphs`]) starts a new one, other line breaks are spaces.
fn paragraphs(chunks: biblatex::ChunksRef<'_>) -> String {
    chunks_text(chunks)
        .split(PAR)
        .map(super::tidy::collapse)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Stands for a math chunk while the text around it is [`detex`]ed.
const MATH: char = '\u{e000}';

/// A field's text: its chunks with TeX's markup resolved ([`detex`]); math (`$…$`, which the
/// crate reads into chunks of its own, so an escaped `\$` stays a dollar) that is only
/// letters and symbols becomes them (`$\alpha$` → α), other math is kept as written.
fn chunks_text(chunks: biblatex::ChunksRef<'_>) -> String {
    let mut text = String::new();
    let mut math = Vec::new();
    for c in chunks {
        match &c.v {
            biblatex::Chunk::Math(m) => {
                let converted = detex(m);
                math.push(if converted.contains(['\\', '^', '_', '{']) {
                    format!("${m}$")
                } else {
                    converted.trim().to_string()
                });
                text.push(MATH);
            }
            biblatex::Chunk::Normal(t) | biblatex::Chunk::Verbatim(t) => {
                text.extend(t.chars().filter(|&c| c != MATH));
            }
        }
    }
    let text = detex(&text);
    if math.is_empty() {
        return text;
    }
    let mut math = math.into_iter();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            MATH => out.push_str(&math.next().unwrap_or_default()),
            c => out.push(c),
        }
    }
    out
}

/// Text markup the biblatex crate leaves in a field as written, after it has turned accents,
/// escapes and dashes into characters: formatting commands keep their text (`\emph{x}` → `x`,
/// `\enquote{x}` → `“x”`), TeX quotes and spacing become characters (``` ``x'' ``` → `“x”`,
/// `~` between words → no-break space, `\,` → narrow no-break space), `\relax` goes, and
/// symbol commands become their characters (`\alpha` → α); unknown commands stay as written
/// for the editor to see. (Math is [`chunks_text`]'s.)
pub(crate) fn detex(s: &str) -> String {
    if !s.contains(['\\', '`', '~', '{', '\'']) {
        return s.to_string();
    }
    // Where each `{` closes, found in one pass, so that no brace is searched for twice
    // (a field of unbalanced braces would otherwise take quadratic time).
    let mut close = std::collections::HashMap::new();
    let mut open = Vec::new();
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'{' => open.push(i),
            b'}' => {
                if let Some(o) = open.pop() {
                    close.insert(o, i);
                }
            }
            _ => {}
        }
    }
    let tex = Tex { src: s, close };
    let mut out = String::with_capacity(s.len());
    tex.text(0, s.len(), 0, &mut out);
    out
}

/// Commands whose one braced argument is their text.
const TEXT_COMMANDS: &[&str] = &[
    "emph",
    "textit",
    "textbf",
    "textsc",
    "textrm",
    "textsf",
    "texttt",
    "textup",
    "textsl",
    "textmd",
    "textnormal",
    "underline",
    "mkbibemph",
    "mkbibitalic",
    "mkbibbold",
    "url",
    "nolinkurl",
    "NoCaseChange",
    "textsuperscript",
    "textsubscript",
    "mbox",
    "hbox",
];

/// Letters and symbols of math written in titles and abstracts.
const SYMBOLS: &[(&str, &str)] = &[
    ("alpha", "α"),
    ("beta", "β"),
    ("gamma", "γ"),
    ("delta", "δ"),
    ("epsilon", "ε"),
    ("varepsilon", "ε"),
    ("zeta", "ζ"),
    ("eta", "η"),
    ("theta", "θ"),
    ("iota", "ι"),
    ("kappa", "κ"),
    ("lambda", "λ"),
    ("mu", "μ"),
    ("nu", "ν"),
    ("xi", "ξ"),
    ("pi", "π"),
    ("rho", "ρ"),
    ("sigma", "σ"),
    ("tau", "τ"),
    ("upsilon", "υ"),
    ("phi", "φ"),
    ("varphi", "φ"),
    ("chi", "χ"),
    ("psi", "ψ"),
    ("omega", "ω"),
    ("Gamma", "Γ"),
    ("Delta", "Δ"),
    ("Theta", "Θ"),
    ("Lambda", "Λ"),
    ("Xi", "Ξ"),
    ("Pi", "Π"),
    ("Sigma", "Σ"),
    ("Phi", "Φ"),
    ("Psi", "Ψ"),
    ("Omega", "Ω"),
    ("times", "×"),
    ("pm", "±"),
    ("leq", "≤"),
    ("le", "≤"),
    ("geq", "≥"),
    ("ge", "≥"),
    ("neq", "≠"),
    ("approx", "≈"),
    ("to", "→"),
    ("rightarrow", "→"),
    ("leftarrow", "←"),
    ("cdot", "·"),
    ("infty", "∞"),
    ("circ", "°"),
    ("textdegree", "°"),
    ("ldots", "…"),
    ("dots", "…"),
    ("textendash", "–"),
    ("textemdash", "—"),
    ("S", "§"),
    ("textasciitilde", "~"),
    ("textasciicircum", "^"),
];

/// Whether TeX's single quote opened before `after` is closed by a `'` (one not followed by a
/// letter) among the next 200 characters, before any other backtick.
fn closes_single(after: &str) -> bool {
    let mut chars = after.chars().take(200).peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' => return false,
            '\'' if !chars.peek().is_some_and(|n| n.is_alphanumeric()) => return true,
            _ => {}
        }
    }
    false
}

/// Groups inside groups that [`Tex::text`] looks into; deeper ones are kept as written.
const MAX_TEX_DEPTH: usize = 64;

/// A field's text with its matched braces.
struct Tex<'a> {
    src: &'a str,
    /// Byte offset of each matched `{` → that of its `}`.
    close: std::collections::HashMap<usize, usize>,
}

impl Tex<'_> {
    /// The group starting at `at` (after spaces), if one closes before `end`: the range of
    /// its contents.
    fn group(&self, at: usize, end: usize) -> Option<(usize, usize)> {
        let open = at + self.src[at..end].len() - self.src[at..end].trim_start_matches(' ').len();
        let &close = self.close.get(&open)?;
        (self.src.as_bytes()[open] == b'{' && close < end).then_some((open + 1, close))
    }

    /// Writes `src[at..end]` as text, `depth` groups deep (past [`MAX_TEX_DEPTH`], as written:
    /// each level is a call).
    fn text(&self, mut at: usize, end: usize, depth: usize, out: &mut String) {
        if depth > MAX_TEX_DEPTH {
            out.push_str(&self.src[at..end]);
            return;
        }
        // An open ` waits for the ' that closes it: one not followed by a letter
        // (`Kazakhstan's` keeps its apostrophe).
        let mut single_open = false;
        while let Some(c) = self.src[at..end].chars().next() {
            let next = at + c.len_utf8();
            let after = &self.src[next..end];
            at = match c {
                '`' if after.starts_with('`') => {
                    out.push('“');
                    next + 1
                }
                // A single quote only when its `'` follows (within a few words, before
                // another backtick): a backtick on its own, or `code` in backticks, is kept.
                '`' if closes_single(after) => {
                    out.push('‘');
                    single_open = true;
                    next
                }
                '\'' if after.starts_with('\'') => {
                    out.push('”');
                    next + 1
                }
                '\'' if single_open && !after.starts_with(char::is_alphanumeric) => {
                    out.push('’');
                    single_open = false;
                    next
                }
                // TeX's tie between two words (`I.~I.~Ivanov`, `p.~12`); a tilde next to a
                // space or at an end is a tilde (`~5%`: the crate reads `\~{}` as `~` too).
                '~' if !after.starts_with(char::is_whitespace)
                    && !after.is_empty()
                    && out.chars().next_back().is_some_and(|c| !c.is_whitespace()) =>
                {
                    out.push('\u{a0}');
                    next
                }
                // The crate has taken the field's own groups out already (`{NASA}`), so a
                // brace at the top is an escaped one (`\{`); inside a command's argument it
                // is a group.
                '{' if depth > 0 => match self.group(at, end) {
                    Some((from, to)) => {
                        self.text(from, to, depth + 1, out);
                        to + 1
                    }
                    None => {
                        out.push(c);
                        next
                    }
                },
                '\\' => self.command(next, end, depth, out),
                _ => {
                    out.push(c);
                    next
                }
            };
        }
    }

    /// Writes what the command at `at` (after its backslash) stands for; returns where the
    /// text after it starts.
    fn command(&self, at: usize, end: usize, depth: usize, out: &mut String) -> usize {
        let after = &self.src[at..end];
        let name_len = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        if name_len == 0 {
            // A control symbol: spacing, or an escape the crate left alone.
            let Some(c) = after.chars().next() else {
                out.push('\\');
                return at;
            };
            let next = at + c.len_utf8();
            match c {
                // A thin space: TeX writers put one between a number and its unit.
                ',' => {
                    out.push('\u{202f}');
                    return next + usize::from(self.src[next..end].starts_with(' '));
                }
                ' ' | ';' | ':' => out.push(' '),
                '@' | '/' => {}
                _ => {
                    out.push('\\');
                    out.push(c);
                }
            }
            return next;
        }
        let name = &after[..name_len];
        let rest = at + name_len;
        // TeX skips the spaces after a control word.
        let skipped = end - self.src[rest..end].trim_start_matches(' ').len();
        let arg = self.group(rest, end);
        match (name, arg) {
            (n, Some((from, to))) if TEXT_COMMANDS.contains(&n) => {
                self.text(from, to, depth + 1, out);
                to + 1
            }
            ("enquote" | "mkbibquote", Some((from, to))) => {
                out.push('“');
                self.text(from, to, depth + 1, out);
                out.push('”');
                to + 1
            }
            ("href", Some((_, to))) => to + 1,
            ("relax" | "protect" | "ignorespaces", _) => skipped,
            _ => match SYMBOLS.iter().find(|(n, _)| *n == name) {
                Some((_, symbol)) => {
                    out.push_str(symbol);
                    skipped
                }
                // Unknown: as written, with its argument.
                None => {
                    let upto = match arg {
                        Some((from, to)) if from == rest + 1 => to + 1,
                        _ => rest,
                    };
                    out.push('\\');
                    out.push_str(&self.src[at..upto]);
                    upto
                }
            },
        }
    }
}

fn entry(line: u32, kind_name: &str, e: &biblatex::Entry) -> Entry {
    // Text fields, with the markup the crate leaves turned into characters.
    let field = |names: &[&str]| -> Option<String> {
        names
            .iter()
            .find_map(|n| e.get(n).map(chunks_text).filter(|v| !v.trim().is_empty()))
    };
    // Fields taken as written (a `~` in a URL is a tilde).
    let verbatim = |name: &str| -> Option<String> {
        e.get(name)
            .map(|c| c.format_verbatim())
            .filter(|v| !v.trim().is_empty())
    };
    let mut notes = Vec::new();
    let authors = match e.author() {
        Ok(people) => people
            .into_iter()
            .filter(|p| {
                // `and others` is BibTeX's "et al.", not a person.
                let others = p.name == "others" && p.given_name.is_empty() && p.prefix.is_empty();
                if others {
                    notes.push("the author list ends with `and others`: add the further authors if they are known".into());
                }
                !others
            })
            .map(|p| {
                let family = [p.prefix.as_str(), p.name.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ");
                Name::Person {
                    family: detex(&family),
                    given: detex(&p.given_name),
                    suffix: detex(&p.suffix),
                }
                .natural()
            })
            .collect(),
        Err(biblatex::RetrievalError::Missing(_)) => Vec::new(),
        Err(err) => {
            notes.push(format!("the authors could not be read ({err})"));
            Vec::new()
        }
    };
    let date = match (field(&["date"]), field(&["year"])) {
        (Some(d), _) => {
            // A BibLaTeX range (`2019/2020`) starts at its first date.
            let first = d.split('/').next().unwrap_or_default();
            let parsed = date_from_iso(first);
            if parsed.is_none() {
                notes.push(format!("the date `{d}` could not be read"));
            }
            parsed
        }
        (None, Some(y)) => {
            let year = y.trim().parse::<i64>().ok();
            let month = field(&["month"]).and_then(|m| month_number(&m));
            let parsed = year.and_then(|y| date_from_parts(y, month, None));
            if parsed.is_none() {
                notes.push(format!("the date `{y}` could not be read"));
            }
            parsed
        }
        (None, None) => None,
    };
    let keywords = field(&["keywords"])
        .map(|k| {
            let sep = if k.contains(';') { ';' } else { ',' };
            k.split(sep).map(str::to_string).collect()
        })
        .unwrap_or_default();
    // A book's series and a report's kind (`type = {Working Paper}`, which BibTeX prints in
    // place of "Technical Report") or series are what dyad keeps as their `container`; a
    // whole work's `pagetotal` is its `pages` (see `cite::bibtex`).
    let kind = kind(kind_name);
    let container = field(&["journaltitle", "journal", "booktitle"]).or_else(|| match kind {
        SourceKind::Report => report_container(field(&["type"]), field(&["series"]), &mut notes),
        SourceKind::Book => field(&["series"]),
        _ => None,
    });
    let record = Record {
        kind: Some(kind),
        title: field(&["title"]).unwrap_or_default(),
        authors,
        date,
        container,
        volume: field(&["volume"]),
        issue: field(&["number", "issue"]),
        pages: field(&["pages", "pagetotal"]),
        publisher: field(&["publisher", "institution", "school", "organization"]),
        place: field(&["location", "address"]),
        doi: verbatim("doi"),
        url: verbatim("url"),
        language: field(&["langid", "language"]),
        keywords,
        abstract_text: e.get("abstract").map(paragraphs),
        ..Record::default()
    };
    Entry {
        line,
        record,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one entry of `text`, which must read without problems.
    fn only_record(text: &str) -> Record {
        let r = read(text);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        r.entries.into_iter().next().expect("an entry").record
    }

    #[test]
    fn latex_becomes_unicode() {
        let text = r#"@article{a,
  title = {The {Customs Union} and M{\"o}ller's \& others' view, 1991--2001},
  author = {M{\"u}ller, Anna and Петров, И. П. and {UNESCO}},
  journal = {Central Asian Survey},
  year = {2019},
  month = mar,
  pages = {101--120},
  keywords = {energy, ЕАЭС},
  abstract = {It costs 5\% and uses
  \_x\_.

  Second $x$ paragraph.},
}"#;
        let e = &only_record(text);
        assert_eq!(
            e.title,
            "The Customs Union and Möller's & others' view, 1991–2001"
        );
        assert_eq!(e.authors, ["Anna Müller", "Петров И. П.", "UNESCO"]);
        assert_eq!(e.date.map(|d| d.to_string()).as_deref(), Some("2019-03"));
        assert_eq!(e.pages.as_deref(), Some("101–120"));
        assert_eq!(
            e.abstract_text.as_deref(),
            Some("It costs 5% and uses _x_.\n\nSecond x paragraph.")
        );
        assert_eq!(e.kind, Some(SourceKind::Article));
    }

    #[test]
    fn tex_markup_becomes_text() {
        let text = r#"@article{m,
  author = {{\relax Ch}ebotarev, A. and I.~I.~Ivanov},
  title = {A \emph{multi-vector} policy: $\alpha$ and $x^2$, \textbf{bold} ``double'' `single' \enquote{quoted} \href{http://y}{link} {\relax D}ata},
  journal = {Vestnik~MGU},
  url = {https://example.org/~user},
  abstract = {It rose by 50\,\% in \textit{real} terms.},
}"#;
        let e = &only_record(text);
        assert_eq!(
            e.title,
            "A multi-vector policy: α and $x^2$, bold “double” ‘single’ “quoted” link Data"
        );
        assert_eq!(e.authors, ["Chebotarev A.", "I.\u{a0}I.\u{a0}Ivanov"]);
        assert_eq!(e.container.as_deref(), Some("Vestnik\u{a0}MGU"));
        assert_eq!(e.url.as_deref(), Some("https://example.org/~user"));
        assert_eq!(
            e.abstract_text.as_deref(),
            Some("It rose by 50\u{202f}% in real terms.")
        );
        // `and others` is "et al.", not an author.
        let r = read("@article{o, author = {Smith, John and others}, title = {T}}");
        assert_eq!(r.entries[0].record.authors, ["John Smith"]);
        assert_eq!(
            r.entries[0].notes,
            ["the author list ends with `and others`: add the further authors if they are known"]
        );
        // Escaped dollars are dollars, a tilde by a space a tilde.
        let r = read(
            r"@misc{d, title = {A \$3 loan, a \$5 swap, about ~5\% and x\textasciicircum{}2}}",
        );
        assert_eq!(
            r.entries[0].record.title,
            "A $3 loan, a $5 swap, about ~5% and x^2"
        );
        // Plain text is returned as it is; an unknown command stays for the editor to see.
        assert_eq!(detex("Plain, 1991–2001"), "Plain, 1991–2001");
        assert_eq!(detex("\\foo{x} and {"), "\\foo{x} and {");
        // Backticks that are not TeX quotes stay.
        assert_eq!(detex("in `2015` and a ` alone"), "in `2015` and a ` alone");
        // Braces at the top are escaped ones, kept; inside an argument they are groups, which
        // cost linear time however deep or unbalanced.
        assert_eq!(detex("a {b} c"), "a {b} c");
        let deep = format!("\\emph{{{}x{}}}", "{".repeat(100_000), "}".repeat(100_000));
        let out = detex(&deep);
        assert!(
            out.matches('x').count() == 1 && out.len() < deep.len(),
            "lost its text"
        );
        let unbalanced = format!("\\emph{{{}}}", "{".repeat(200_000));
        let start = std::time::Instant::now();
        // (`\emph`'s own `{` is never closed: the command is kept as written.)
        assert!(detex(&unbalanced) == unbalanced, "changed");
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "a hang guard, not a speed target"
        );
    }

    #[test]
    fn a_broken_entry_is_reported_at_its_line_and_the_rest_is_read() {
        let text = "@string{cas = {Central Asian Survey}}\n\n@article{good1, title = {One}, journal = cas, date = {2019-03-15}}\n\n@article{bad,\n  title = {Two},\n  author = Undefined\n}\n\n@book{open, title = {Never closed\n\n@book{good2, title = {Three}, year = {spring}}\n";
        let r = read(text);
        let titles: Vec<&str> = r.entries.iter().map(|e| e.record.title.as_str()).collect();
        assert_eq!(titles, ["One", "Three"]);
        assert_eq!(
            r.entries[0].record.container.as_deref(),
            Some("Central Asian Survey")
        );
        assert_eq!(r.entries[0].line, 3);
        assert_eq!(r.entries[1].line, 12);
        assert_eq!(r.entries[1].notes, ["the date `spring` could not be read"]);
        let lines: Vec<Option<u32>> = r.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(7), Some(10)], "{:?}", r.problems);
    }

    #[test]
    fn a_reports_type_a_books_series_and_a_page_count_are_kept() {
        let r = read(
            "@techreport{a, title = {Transit}, type = {Policy Brief}, number = {7}, pagetotal = {18}}\n\
             @techreport{b, title = {Transit 2}, type = {Policy Brief}, series = {Eurasia Papers}}\n\
             @book{c, title = {Borders}, series = {Studies of Eurasia}, number = {3}, pagetotal = {230}}\n",
        );
        let [a, b, c] = &r.entries[..] else {
            panic!("{r:?}")
        };
        assert_eq!(a.record.container.as_deref(), Some("Policy Brief"));
        assert_eq!(a.record.issue.as_deref(), Some("7"));
        assert_eq!(a.record.pages.as_deref(), Some("18"));
        assert!(a.notes.is_empty(), "{:?}", a.notes);
        assert_eq!(b.record.container.as_deref(), Some("Policy Brief"));
        assert!(b.notes[0].contains("`Eurasia Papers`"), "{:?}", b.notes);
        assert_eq!(c.record.container.as_deref(), Some("Studies of Eurasia"));
        assert_eq!(c.record.issue.as_deref(), Some("3"));
        assert_eq!(c.record.pages.as_deref(), Some("230"));
    }

    #[test]
    fn an_entry_gets_the_abbreviations_it_uses_and_theirs() {
        let text = "@string{asia = {Asian}}\n@string{cas = {Central } # asia # { Survey}}\n@string{unused = {Never {parsed}}}\n\n@article{a, title = {One}, journal = cas, year = {2019}}\n@string{late = {Late}}\n@article{b, title = {Two}, journal = late, year = {2020}}\n";
        let r = read(text);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let containers: Vec<Option<&str>> = r
            .entries
            .iter()
            .map(|e| e.record.container.as_deref())
            .collect();
        assert_eq!(containers, [Some("Central Asian Survey"), Some("Late")]);
        assert_eq!(r.entries[1].line, 7);
        let s = {
            let mut s = Strings::default();
            for item in items(text).iter().filter(|i| i.kind == "string") {
                s.define(item.text);
            }
            s
        };
        let used = s.used_by("@article{a, journal = cas}");
        assert!(used.contains("{asia =") && used.contains("{cas =") && !used.contains("unused"));
        assert!(
            used.find("{asia") < used.find("{cas"),
            "in file order: {used}"
        );
    }

    #[test]
    fn an_entry_with_too_many_braces_is_a_problem_not_a_hang() {
        let deep = format!(
            "@article{{a, title = {{{}x{}}}, year = {{2019}}}}\n@article{{b, title = {{Fine}}, year = {{2019}}}}\n",
            "{".repeat(200_000),
            "}".repeat(200_000)
        );
        let start = std::time::Instant::now();
        let r = read(&deep);
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
        assert_eq!(r.entries.len(), 1);
        assert_eq!(r.entries[0].record.title, "Fine");
        assert_eq!(r.problems.len(), 1);
        assert!(
            r.problems[0].message.contains("200003 braces"),
            "{:?}",
            r.problems
        );
        assert_eq!(r.problems[0].line, Some(1));
    }

    #[test]
    fn line_numbers_of_many_entries_take_one_pass() {
        // 20,000 entries: counting from the start for each was 25 s; now a moment.
        let text: String = (0..20_000)
            .map(|i| format!("@misc{{k{i},\n  title = {{T {i}}},\n  year = {{2019}}\n}}\n"))
            .collect();
        let start = std::time::Instant::now();
        let r = read(&text);
        assert_eq!(r.entries.len(), 20_000);
        assert_eq!(r.entries[19_999].line, 4 * 19_999 + 1);
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
    }
}
