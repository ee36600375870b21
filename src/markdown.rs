//! The one Markdown setup of dyad: pulldown-cmark with tables, footnotes, strikethrough, smart
//! punctuation and heading attributes, followed by one ammonia pass over the finished HTML.
//!
//! [`to_html`] renders a body, gives every heading an `id`, rewrites `@/` source links to page
//! URLs and reports links into the site that lead nowhere, with positions in the file.
//! [`plain_text`] gives the words only (search, feeds). [`line_col`] is the one function that
//! turns a byte offset into a 1-based line and column.
//!
//! Decisions:
//! - Heading ids are transliterated to ASCII with `deunicode` (`Внешняя политика` →
//!   `vneshniaia-politika`, `Қазақстан` → `kazakstan`), so fragments stay readable when copied
//!   into mail or citations (no percent-encoding) and do not depend on the archive's
//!   transliteration setting, which is for URL slugs. An explicit `{#id}` is kept as
//!   written, even if it repeats another one; generated ids never collide with explicit ids or
//!   with footnote ids.
//! - Table alignment: the `style` attribute survives on `th`/`td` only with one of the exact
//!   values pulldown-cmark writes (`text-align: left|center|right`); any other style is dropped.
//! - Every `<a>` gets ammonia's `rel="noopener noreferrer"`. `target` is never allowed, so this
//!   is belt and braces; it is applied uniformly because ammonia cannot tell links apart.
//! - URL schemes allowed: `http`, `https`, `mailto`, `tel` and relative URLs. `javascript:`,
//!   `vbscript:` and `data:` (images included) are dropped.
//! - Classes: only pulldown-cmark's footnote classes and `language-*` on `code` survive.
//!
//! Raw HTML in a body is sanitized like everything else, but its links are neither rewritten
//! nor checked: only Markdown links and images are. A body nested deeper than [`MAX_DEPTH`]
//! elements is refused (a [`LinkProblemKind::TooDeep`] problem) instead of rendered. This
//! module reads no files.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};
use url::Url;

/// The extensions dyad enables, in one place for rendering and plain text alike.
const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_SMART_PUNCTUATION)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// What the Markdown renderer needs to know about the site to rewrite and check links.
pub(crate) trait LinkResolver: Sync {
    /// The root-relative URL of the page built from `source`, a path relative to `content/`
    /// as written after `@/` (`abstracts/2019/x.md`, no fragment), e.g. `/rk/abstracts/x/`;
    /// `None` if there is no such source file.
    fn source_url(&self, source: &str) -> Option<String>;

    /// The archive's absolute base URL, e.g. `https://example.org/rk/`.
    fn base_url(&self) -> &Url;

    /// Whether the site publishes something at `path`: a root-relative URL path including the
    /// base path, without query or fragment, percent-encoded as the `url` crate normalizes it
    /// (e.g. `/rk/periods/transit/` for a page, `/rk/atom.xml` for a file).
    fn url_exists(&self, path: &str) -> bool;
}

/// A rendered body: sanitized HTML plus the link problems found while rendering it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rendered {
    /// Sanitized HTML, safe to print unescaped.
    pub html: String,
    /// Link problems in source order (a reference definition used twice is reported once),
    /// at most [`MAX_PROBLEMS`] of each kind.
    pub problems: Vec<LinkProblem>,
    /// How many more problems of a kind there were past [`MAX_PROBLEMS`].
    pub more: Vec<(LinkProblemKind, usize)>,
}

/// Most link problems of one kind reported for one body; the rest are counted. Locating a
/// problem in the file costs a pass over the body, and one line with 30,000 dead links took a
/// minute and 22.6 GiB.
pub(crate) const MAX_PROBLEMS: usize = 100;

/// A link that could not be resolved, located in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkProblem {
    /// What is wrong with the link.
    pub kind: LinkProblemKind,
    /// The link destination as written (after entity and escape decoding).
    pub target: String,
    /// 1-based line in the file.
    pub line: u32,
    /// 1-based column in the file, counted in characters.
    pub col: u32,
    /// Number of characters to underline (the destination text, else the start of the link).
    pub len: u32,
}

/// The kinds of problems found while rendering a body, which differ in severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum LinkProblemKind {
    /// An `@/` link to a source file that does not exist: an error.
    UnresolvedSource,
    /// A link into the site (same scheme, host and port as the base URL) to a path where
    /// nothing is published, or outside the base path: a warning.
    DeadInternal,
    /// Not a link: the body nests elements deeper than [`MAX_DEPTH`] at this place (an
    /// error; `target` is empty).
    TooDeep,
}

impl LinkProblem {
    /// The diagnostic message for this problem, in the house style.
    pub(crate) fn message(&self) -> String {
        match self.kind {
            LinkProblemKind::UnresolvedSource => format!(
                "unresolved link `{}` (no such file under content/)",
                self.target
            ),
            LinkProblemKind::DeadInternal => format!(
                "dead internal link `{}` (the site publishes nothing there)",
                self.target
            ),
            LinkProblemKind::TooDeep => format!(
                "the body nests more than {MAX_DEPTH} elements deep here (block quotes, lists, \
                 emphasis or HTML elements inside one another)"
            ),
        }
    }
}

/// The sanitizer, built once: ammonia's defaults plus what Markdown produces, minus anything
/// that can run script.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    const ALIGN: [&str; 3] = [
        "text-align: left",
        "text-align: center",
        "text-align: right",
    ];
    let mut builder = ammonia::Builder::default();
    builder
        // No `rel` is added: `target` is never allowed, so `noopener` would protect nothing, and
        // it keeps sanitized output identical in shape to the fast path of `to_html`.
        .link_rel(None)
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        // Dropped together with their content, so nothing inside them leaks out as text.
        .add_clean_content_tags([
            "iframe",
            "frame",
            "frameset",
            "object",
            "embed",
            "applet",
            "noscript",
            "noembed",
            "noframes",
            "template",
            "svg",
            "math",
            "textarea",
            "title",
            "xmp",
            "plaintext",
        ])
        .rm_tags(["area", "map"])
        .add_tag_attribute_values("th", "style", ALIGN)
        .add_tag_attribute_values("td", "style", ALIGN)
        // Classes go through the filter below rather than `allowed_classes`, which would leave
        // an empty `class=""` behind and cannot express `language-*`.
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("div", ["class"])
        .add_tag_attributes("code", ["class"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("code", "class") => filter_classes(value, is_language_class),
            ("sup", "class") => filter_classes(value, |class| {
                matches!(class, "footnote-reference" | "footnote-definition-label")
            }),
            ("div", "class") => filter_classes(value, |class| class == "footnote-definition"),
            _ => Some(Cow::Borrowed(value)),
        });
    for tag in ["h1", "h2", "h3", "h4", "h5", "h6", "div"] {
        builder.add_tag_attributes(tag, ["id"]);
    }
    builder
});

/// Keeps the classes in `value` that pass `keep`; drops the attribute if none does.
fn filter_classes(value: &str, keep: impl Fn(&str) -> bool) -> Option<Cow<'_, str>> {
    let kept: Vec<&str> = value
        .split_ascii_whitespace()
        .filter(|class| keep(class))
        .collect();
    if kept.is_empty() {
        None
    } else if kept.len() == 1 && kept[0] == value {
        Some(Cow::Borrowed(value))
    } else {
        Some(Cow::Owned(kept.join(" ")))
    }
}

/// `language-…` with a name of safe characters, as written for fenced code info strings.
fn is_language_class(class: &str) -> bool {
    class.strip_prefix("language-").is_some_and(|lang| {
        !lang.is_empty()
            && lang
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
    })
}

/// Renders a Markdown body to sanitized HTML, rewriting `@/` links and checking links into
/// the site.
///
/// `first_line` is the 1-based file line where `body` starts (the body is assumed to start at
/// column 1); problem positions are file positions. `page_url` is the root-relative URL of the
/// page that shows the body, against which relative hrefs are resolved. Links checked: Markdown
/// links and images whose destination is root-relative, relative, or absolute with the base
/// URL's scheme, host and port. Not checked: other hosts, other schemes (`mailto:`…), and
/// fragment-only links. Cheap enough for short descriptions: the URL of the page is only
/// parsed when a body has a link that needs it.
pub(crate) fn to_html(
    body: &str,
    first_line: u32,
    page_url: &str,
    links: &dyn LinkResolver,
) -> Rendered {
    let parser = Parser::new_ext(body, OPTIONS).into_offset_iter();
    let ref_defs: Vec<(String, Range<usize>)> = parser
        .reference_definitions()
        .iter()
        .map(|(label, def)| (label.to_owned(), def.span.clone()))
        .collect();
    let mut events: Vec<(Event<'_>, Range<usize>)> = parser.collect();

    assign_heading_ids(&mut events);
    let mut events = link_bare_urls(events, body);

    let mut checker = Checker {
        body,
        first_line,
        page_url,
        links,
        page: None,
        ref_defs,
        problems: Vec::new(),
        seen: HashSet::new(),
        more: std::collections::BTreeMap::new(),
    };
    let mut open_links: Vec<usize> = Vec::new();
    for j in 0..events.len() {
        match &events[j].0 {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => open_links.push(j),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(i) = open_links.pop() {
                    // The last event inside the link ends where `](dest)` begins.
                    let inner_end = if j > i + 1 {
                        events[j - 1].1.end
                    } else {
                        events[i].1.start
                    };
                    checker.visit_link(&mut events[i], inner_end);
                }
            }
            _ => {}
        }
    }

    if let Some(at) = too_deep(&events) {
        // Refused before the sanitizer, whose HTML parser takes time in proportion to the
        // depth for every element: 50,000 nested quotes and one `<div>` took 12 s.
        let (line, col) = line_col(body, at);
        checker.problems.push(LinkProblem {
            kind: LinkProblemKind::TooDeep,
            target: String::new(),
            line: line + first_line - 1,
            col,
            len: 1,
        });
        return Rendered {
            html: String::new(),
            problems: checker.problems,
            more: checker.more.into_iter().collect(),
        };
    }
    let plainly_safe = events.iter().all(|(e, _)| is_plainly_safe(e));
    let mut raw = String::with_capacity(body.len() + body.len() / 2);
    html::push_html(&mut raw, events.into_iter().map(|(event, _)| event));
    // pulldown-cmark escapes all text and attributes itself; only raw HTML, unsafe URL schemes
    // and odd code-block classes need ammonia. Most abstracts have none of them, and
    // sanitizing is the most expensive step of rendering a body.
    let html = if plainly_safe {
        raw
    } else {
        SANITIZER.clean(&raw).to_string()
    };
    Rendered {
        html,
        problems: checker.problems,
        more: checker.more.into_iter().collect(),
    }
}

/// Deepest nesting of elements a body may have: Markdown's blocks and inline elements and raw
/// HTML elements together. Chromium's HTML parser stops nesting at 512 too; no abstract needs
/// a tenth of it.
pub(crate) const MAX_DEPTH: usize = 512;

/// Elements a browser closes by itself when a sibling starts (`<p>a<p>b`), so an author's
/// raw HTML may leave them open without nesting them: not counted.
const SELF_CLOSING: [&str; 9] = [
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "colgroup",
];

/// Void elements, which have no content and no end tag.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The byte offset in the body where the nesting first passes [`MAX_DEPTH`], if it does.
/// Counts pulldown-cmark's open tags and, in raw HTML, start tags less end tags (comments,
/// void elements and those in [`SELF_CLOSING`] aside): a cheap estimate, linear in the body.
fn too_deep(events: &[(Event<'_>, Range<usize>)]) -> Option<usize> {
    let mut markdown = 0usize;
    let mut html = 0usize;
    for (event, range) in events {
        match event {
            Event::Start(_) => markdown += 1,
            Event::End(_) => markdown = markdown.saturating_sub(1),
            Event::Html(raw) | Event::InlineHtml(raw) => html = html_depth(raw, html),
            _ => {}
        }
        if markdown + html > MAX_DEPTH {
            return Some(range.start);
        }
    }
    None
}

/// `depth` after the tags in `raw`, a piece of raw HTML.
fn html_depth(raw: &str, mut depth: usize) -> usize {
    let mut rest = raw;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with("!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let closing = rest.starts_with('/');
        let name_start = usize::from(closing);
        let name: String = rest[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
            continue;
        }
        if VOID.contains(&name.as_str()) || SELF_CLOSING.contains(&name.as_str()) {
            continue;
        }
        // `<div/>` opens a `div` in HTML as `<div>` does.
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
        }
    }
    depth
}

/// True when pulldown-cmark's own output for `event` needs no sanitizing: not raw HTML, no
/// link or image destination with a scheme outside http(s), mailto and tel (or with control
/// characters or white space a browser would strip), no code-block class other than a plain
/// `language-…` name, no heading with classes or attributes (only its `{#id}` is plain).
fn is_plainly_safe(event: &Event<'_>) -> bool {
    match event {
        Event::Html(_) | Event::InlineHtml(_) => false,
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            !dest_url
                .chars()
                .any(|c| c.is_control() || c.is_whitespace())
                && scheme(dest_url).is_none_or(|s| {
                    ["http", "https", "mailto", "tel"]
                        .iter()
                        .any(|ok| s.eq_ignore_ascii_case(ok))
                })
        }
        // `{.class key=value}` after a heading becomes attributes of any name (`onclick=…`).
        Event::Start(Tag::Heading { classes, attrs, .. }) => classes.is_empty() && attrs.is_empty(),
        Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info))) => info
            .split_whitespace()
            .next()
            .is_none_or(|lang| is_language_class(&format!("language-{lang}"))),
        _ => true,
    }
}

/// Bare `http(s)://` addresses in text, as researchers paste them, become links (as GitHub and
/// Hugo show them); not inside a link, an image's description, code or an HTML `<a>`. The link
/// keeps the address's place in the body, so a dead one is reported where it is written.
fn link_bare_urls<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    body: &str,
) -> Vec<(Event<'a>, Range<usize>)> {
    static FINDER: LazyLock<linkify::LinkFinder> = LazyLock::new(|| {
        let mut f = linkify::LinkFinder::new();
        f.kinds(&[linkify::LinkKind::Url])
            .url_must_have_scheme(true);
        f
    });
    // The parser splits text at characters that might have been markup (`_`, `[`, quotes):
    // join the pieces back, so that an address is seen whole.
    let mut joined: Vec<(Event<'a>, Range<usize>)> = Vec::with_capacity(events.len());
    // The text being joined, once a second piece came (one buffer: linear however many).
    let mut run: Option<String> = None;
    for (event, range) in events {
        if let (Event::Text(next), Some((Event::Text(prev), prev_range))) =
            (&event, joined.last_mut())
        {
            run.get_or_insert_with(|| prev.to_string()).push_str(next);
            prev_range.end = range.end;
            continue;
        }
        if let (Some(text), Some((last, _))) = (run.take(), joined.last_mut()) {
            *last = Event::Text(CowStr::from(text));
        }
        joined.push((event, range));
    }
    if let (Some(text), Some((last, _))) = (run.take(), joined.last_mut()) {
        *last = Event::Text(CowStr::from(text));
    }
    let events = joined;
    let mut out = Vec::with_capacity(events.len());
    // Links and images open around the text, code blocks, and `<a>` elements of raw HTML.
    let (mut in_link, mut in_code, mut in_anchor) = (0usize, false, 0usize);
    for (event, range) in events {
        match &event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => in_link += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => in_link = in_link.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::InlineHtml(h) | Event::Html(h) => {
                let tag = h.trim_start().as_bytes();
                let is_a = |rest: &[u8]| {
                    rest.first().is_some_and(|b| b.eq_ignore_ascii_case(&b'a'))
                        && rest
                            .get(1)
                            .is_none_or(|b| b.is_ascii_whitespace() || *b == b'>')
                };
                match tag {
                    [b'<', b'/', rest @ ..] if is_a(rest) => {
                        in_anchor = in_anchor.saturating_sub(1);
                    }
                    [b'<', rest @ ..] if is_a(rest) => in_anchor += 1,
                    _ => {}
                }
            }
            Event::Text(text)
                if in_link == 0 && !in_code && in_anchor == 0 && text.contains("://") =>
            {
                let urls: Vec<(usize, usize)> = FINDER
                    .links(text)
                    .filter(|l| {
                        let s = l.as_str();
                        s.starts_with("http://") || s.starts_with("https://")
                    })
                    .map(|l| (l.start(), l.end()))
                    .collect();
                if !urls.is_empty() {
                    // Where each piece is in the body: exact when the text is the body's
                    // characters as written (no escapes or entities in it), else the whole text.
                    let exact = body.get(range.clone()) == Some(&**text);
                    let at = |from: usize, to: usize| match exact {
                        true => range.start + from..range.start + to,
                        false => range.clone(),
                    };
                    let piece = |from: usize, to: usize| CowStr::from(text[from..to].to_string());
                    let mut done = 0;
                    for (from, to) in urls {
                        if from > done {
                            out.push((Event::Text(piece(done, from)), at(done, from)));
                        }
                        let link = Tag::Link {
                            link_type: LinkType::Inline,
                            dest_url: piece(from, to),
                            title: CowStr::from(""),
                            id: CowStr::from(""),
                        };
                        out.push((Event::Start(link), at(from, to)));
                        out.push((Event::Text(piece(from, to)), at(from, to)));
                        out.push((Event::End(TagEnd::Link), at(from, to)));
                        done = to;
                    }
                    if done < text.len() {
                        out.push((Event::Text(piece(done, text.len())), at(done, text.len())));
                    }
                    continue;
                }
            }
            _ => {}
        }
        out.push((event, range));
    }
    out
}

/// Gives every heading without an explicit `{#id}` a slug of its text, unique in the document.
fn assign_heading_ids(events: &mut [(Event<'_>, Range<usize>)]) {
    // Explicit ids and footnote ids are taken first, so generated ids never shadow them.
    let mut used: HashSet<String> = HashSet::new();
    for (event, _) in events.iter() {
        match event {
            Event::Start(Tag::Heading { id: Some(id), .. }) => {
                used.insert(id.to_string());
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                used.insert(name.to_string());
            }
            _ => {}
        }
    }
    let mut next = HashMap::new();
    let mut open: Option<(usize, String)> = None;
    for j in 0..events.len() {
        match &events[j].0 {
            Event::Start(Tag::Heading { id: None, .. }) => open = Some((j, String::new())),
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, heading_text)) = open.as_mut() {
                    heading_text.push_str(text);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((i, heading_text)) = open.take() {
                    let id = unique_id(slug(&heading_text), &mut used, &mut next);
                    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
                        *slot = Some(CowStr::from(id));
                    }
                }
            }
            _ => {}
        }
    }
}

/// A heading id from its text: transliterated to ASCII with `deunicode` (Kazakh `ә`, which
/// deunicode spells `@`, becomes `a`), lowercase, apostrophes dropped (`Russia's` →
/// `russias`, Cyrillic `ь` vanishes), every other run of non-alphanumerics one `-`, none at
/// either end; `section` if nothing is left.
fn slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut push = |ascii: &str| {
        for c in ascii.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if c != '\'' && !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
    };
    let mut buf = [0u8; 4];
    for c in text.chars() {
        match c {
            _ if c.is_ascii() => push(c.encode_utf8(&mut buf)),
            'ә' | 'Ә' => push("a"),
            _ => push(deunicode::deunicode_char(c).unwrap_or("-")),
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// `base` if unused, else the first free `base-1`, `base-2`, …; the result is marked used.
/// `base`, or `base-1`, `base-2`… the first not in `used`; `next` remembers per base where
/// the search starts, so that a body of thousands of alike headings is not quadratic (30,000
/// took 34 s). The ids are the same as searching from 1: `used` only grows.
fn unique_id(base: String, used: &mut HashSet<String>, next: &mut HashMap<String, u32>) -> String {
    let id = if used.contains(&base) {
        let from = next.get(&base).copied().unwrap_or(1);
        let (n, id) = (from..)
            .map(|n| (n, format!("{base}-{n}")))
            .find(|(_, candidate)| !used.contains(candidate))
            .expect("an unbounded counter always finds a free suffix");
        next.insert(base, n + 1);
        id
    } else {
        base
    };
    used.insert(id.clone());
    id
}

/// Link rewriting and checking for one body.
struct Checker<'a> {
    body: &'a str,
    first_line: u32,
    page_url: &'a str,
    links: &'a dyn LinkResolver,
    /// The absolute URL of the page, parsed on first need.
    page: Option<Url>,
    /// Reference definitions: label and the byte range of the whole definition.
    ref_defs: Vec<(String, Range<usize>)>,
    problems: Vec<LinkProblem>,
    /// Problems already met, by kind and byte offset (a reference used twice is one).
    seen: HashSet<(LinkProblemKind, usize)>,
    /// Problems of a kind past [`MAX_PROBLEMS`], counted and not located.
    more: std::collections::BTreeMap<LinkProblemKind, usize>,
}

impl Checker<'_> {
    /// Rewrites or checks the destination of one link or image start event in place.
    fn visit_link(&mut self, (event, range): &mut (Event<'_>, Range<usize>), inner_end: usize) {
        let (link_type, dest, id) = match event {
            Event::Start(
                Tag::Link {
                    link_type,
                    dest_url,
                    id,
                    ..
                }
                | Tag::Image {
                    link_type,
                    dest_url,
                    id,
                    ..
                },
            ) => (*link_type, dest_url, id),
            _ => return,
        };
        if let Some(source) = dest.strip_prefix("@/") {
            let (path, fragment) = match source.find('#') {
                Some(at) => source.split_at(at),
                None => (source, ""),
            };
            match self.links.source_url(path) {
                Some(url) => *dest = CowStr::from(format!("{url}{fragment}")),
                None => {
                    let site = LinkSite {
                        link_type,
                        range: range.clone(),
                        inner_end,
                        label: id.to_string(),
                    };
                    self.report(LinkProblemKind::UnresolvedSource, dest.to_string(), &site);
                }
            }
        } else if link_type != LinkType::Email && self.is_dead_internal(dest) {
            let site = LinkSite {
                link_type,
                range: range.clone(),
                inner_end,
                label: id.to_string(),
            };
            self.report(LinkProblemKind::DeadInternal, dest.to_string(), &site);
        }
    }

    /// True if `dest` points into the site (see [`to_html`]) and nothing is published there.
    fn is_dead_internal(&mut self, dest: &str) -> bool {
        if dest.is_empty() || dest.starts_with('#') {
            return false;
        }
        if let Some(scheme) = scheme(dest)
            && !scheme.eq_ignore_ascii_case("http")
            && !scheme.eq_ignore_ascii_case("https")
        {
            return false;
        }
        let base = self.links.base_url();
        let page = self
            .page
            .get_or_insert_with(|| base.join(self.page_url).unwrap_or_else(|_| base.clone()));
        let Ok(url) = page.join(dest) else {
            return false;
        };
        if url.scheme() != base.scheme()
            || url.host_str() != base.host_str()
            || url.port_or_known_default() != base.port_or_known_default()
        {
            return false;
        }
        let path = url.path();
        let base_path = base.path();
        if path.starts_with(base_path) {
            !self.links.url_exists(path)
        } else if base_path.strip_suffix('/') == Some(path) {
            // `/rk` is the home page `/rk/` without its slash, which every server redirects.
            !self.links.url_exists(base_path)
        } else {
            // Outside the base path: a relative or root-relative link meant to stay inside the
            // archive (usually a forgotten base path) is dead; an absolute URL to another part
            // of the same host is simply external.
            scheme(dest).is_none() && !dest.starts_with("//")
        }
    }

    /// Records a problem at the link's destination text, once per position.
    fn report(&mut self, kind: LinkProblemKind, target: String, site: &LinkSite) {
        let (start, len) = self.locate(site);
        if !self.seen.insert((kind, start)) {
            return;
        }
        if self.problems.iter().filter(|p| p.kind == kind).count() >= MAX_PROBLEMS {
            *self.more.entry(kind).or_default() += 1;
            return;
        }
        let (line, col) = line_col(self.body, start);
        self.problems.push(LinkProblem {
            kind,
            target,
            line: self.first_line.saturating_add(line - 1),
            col,
            len: to_u32(len.max(1)),
        });
    }

    /// Byte offset and length in characters of the destination text of a link; the first line
    /// of the link itself when the destination cannot be found.
    fn locate(&self, site: &LinkSite) -> (usize, usize) {
        let body = self.body;
        let dest_start = match site.link_type {
            LinkType::Inline => body
                .get(site.inner_end..site.range.end)
                .and_then(|tail| tail.find("]("))
                .map(|at| site.inner_end + at + 2),
            LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => self
                .ref_defs
                .iter()
                .find(|(label, _)| unicase_eq(label, &site.label))
                .and_then(|(_, span)| {
                    let def = body.get(span.clone())?;
                    Some(span.start + def.find("]:")? + 2)
                }),
            LinkType::Autolink => {
                // `<dest>`: everything between the brackets.
                let inner = body.get(site.range.start + 1..site.range.end - 1);
                return (site.range.start + 1, inner.map_or(1, |s| s.chars().count()));
            }
            _ => None,
        };
        match dest_start.and_then(|start| Some((start, body.get(start..)?))) {
            Some((start, rest)) => {
                let dest = rest.trim_start();
                (start + rest.len() - dest.len(), destination_len(dest))
            }
            None => {
                let link = body.get(site.range.clone()).unwrap_or("");
                let first = link.split(['\r', '\n']).next().unwrap_or("");
                (site.range.start, first.chars().count())
            }
        }
    }
}

/// Where a link sits in the body, for locating its destination on demand.
struct LinkSite {
    link_type: LinkType,
    range: Range<usize>,
    inner_end: usize,
    label: String,
}

/// Case-insensitive label comparison, as CommonMark matches reference labels.
fn unicase_eq(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// Length in characters of a link destination at the start of `text`: `<…>` (without the
/// brackets' contents beyond `>`), or up to whitespace or an unbalanced `)`.
fn destination_len(text: &str) -> usize {
    if let Some(inner) = text.strip_prefix('<') {
        return inner
            .find('>')
            .map_or(1, |end| inner[..end].chars().count() + 2);
    }
    let mut depth = 0u32;
    let mut count = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                count += 1;
                if chars.next().is_some() {
                    count += 1;
                }
                continue;
            }
            '(' => depth += 1,
            ')' if depth == 0 => break,
            ')' => depth -= 1,
            c if c.is_whitespace() => break,
            _ => {}
        }
        count += 1;
    }
    count
}

/// The scheme of an absolute URL (`https` in `https://…`), if `dest` has one.
fn scheme(dest: &str) -> Option<&str> {
    let colon = dest.find(':')?;
    let scheme = &dest[..colon];
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The text of a Markdown body without markup, whitespace collapsed to single spaces, for
/// search and feeds. Raw HTML tags are dropped (text between inline tags stays; raw HTML
/// blocks are dropped whole); smart punctuation applies as in [`to_html`].
pub(crate) fn plain_text(body: &str) -> String {
    plain_text_upto(body, usize::MAX)
}

/// [`plain_text`], remembered per thread for the last body asked for: a work's page, its
/// downloads and its feed entries are made one after another on the same thread, and each
/// needs the same text. Keyed by the body's length and hash, never by its address.
pub(crate) fn plain_text_memo(body: &str) -> String {
    use std::cell::RefCell;
    if TEXTS.enabled() {
        let key = (body.len(), xxhash_rust::xxh3::xxh3_64(body.as_bytes()));
        return TEXTS
            .get_or(key, || std::sync::Arc::from(plain_text(body).as_str()))
            .to_string();
    }
    thread_local! {
        static LAST: RefCell<(usize, u64, String)> = const { RefCell::new((usize::MAX, 0, String::new())) };
    }
    let key = (body.len(), xxhash_rust::xxh3::xxh3_64(body.as_bytes()));
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if (last.0, last.1) != key {
            *last = (key.0, key.1, plain_text(body));
        }
        last.2.clone()
    })
}

/// Every body's text, once `watch` asks (see [`remember_plain_texts`]).
static TEXTS: crate::remember::Remembered<(usize, u64), str> =
    crate::remember::Remembered::new(200_000);

/// Makes [`plain_text_memo`] remember the text of every body for the rest of the process:
/// `watch` re-renders the whole archive's downloads after each edit, and converting every
/// abstract again each time would cost it half a second at 10,000 works. (A build converts
/// each about once per output that needs it and does not pay for the memory.)
pub(crate) fn remember_plain_texts() {
    TEXTS.enable();
}

/// The start of [`plain_text`]: at most `max` characters, cut after a whole word and ended with
/// "…" when the text is longer. Stops reading the body once it has enough.
pub(crate) fn plain_text_prefix(body: &str, max: usize) -> String {
    // Four bytes hold any character: this many bytes always hold `max` characters and more.
    let text = plain_text_upto(body, max.saturating_mul(4).saturating_add(4));
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    // The last word is whole when a space follows it.
    let end = if text.chars().nth(max).is_some_and(char::is_whitespace) {
        cut.len()
    } else {
        cut.rfind(' ').unwrap_or(cut.len())
    };
    format!(
        "{}…",
        cut[..end].trim_end_matches([',', ';', ':', '.', ' '])
    )
}

/// [`plain_text`], stopping once it holds `max_bytes` bytes.
fn plain_text_upto(body: &str, max_bytes: usize) -> String {
    let mut out = String::with_capacity(body.len().min(max_bytes));
    let mut space = false;
    for event in Parser::new_ext(body, OPTIONS) {
        if out.len() > max_bytes {
            break;
        }
        match event {
            Event::Text(text) | Event::Code(text) => push_collapsed(&mut out, &text, &mut space),
            // Inline markup does not separate words: `foo*bar*` is one word.
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. },
            )
            | Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => {}
            Event::Start(_) | Event::End(_) | Event::SoftBreak | Event::HardBreak => space = true,
            _ => {}
        }
    }
    out
}

/// Appends `text` to `out` with whitespace runs collapsed to one space; `space` carries a
/// pending separator across calls, and no space is ever written at the start.
fn push_collapsed(out: &mut String, text: &str, space: &mut bool) {
    if text.starts_with(char::is_whitespace) {
        *space = true;
    }
    for (n, word) in text.split_whitespace().enumerate() {
        if (n > 0 || *space) && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        *space = false;
    }
    if text.ends_with(char::is_whitespace) {
        *space = true;
    }
}

/// The 1-based line and 1-based column (in characters) of `byte_offset` in `text`. An offset
/// past the end means the end; one inside a character means that character. `\r\n` endings
/// count as one line break, and `\r` never counts toward a column before it.
pub(crate) fn line_col(text: &str, byte_offset: usize) -> (u32, u32) {
    let mut offset = byte_offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let col = before[line_start..].chars().count() + 1;
    (to_u32(line), to_u32(col))
}
#[cfg(test)]
mod tests;
