//! A whole small archive, described by structured random input, through the real `build`.
//!
//! Asserts: `build` never panics; it either succeeds, and then every link the templates make
//! (`href`, `src`, `srcset`, `action` into the site: root-relative, relative, or absolute with the
//! base URL) resolves to a file of the output, or it fails with error diagnostics (never with
//! an internal or I/O failure). Links written in bodies are the author's business (dyad warns
//! about dead Markdown links and does not check raw HTML): a dead link counts only when its
//! target does not appear in any body.
#![no_main]

use arbitrary::Arbitrary;
use dyad::{Drafts, Options, Outcome};
use libfuzzer_sys::fuzz_target;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

const BASES: &[&str] = &[
    "https://example.org/rk/",
    "https://example.org/",
    "http://localhost:8080/a/b/",
];
const LANGUAGES: &[&str] = &["en", "ru", "kk"];
const PERIOD_IDS: &[&str] = &["formation", "partnership", "after-2014", "x"];
const SPHERE_IDS: &[&str] = &["economic", "political", "humanitarian", "e-2"];

#[derive(Arbitrary, Debug)]
struct Archive {
    base: u8,
    language: u8,
    drafts: bool,
    periods: Vec<Period>,
    spheres: Vec<Sphere>,
    works: Vec<Work>,
    page: Option<Text>,
}

#[derive(Arbitrary, Debug)]
struct Period {
    id: Id,
    title: Text,
    from: Date,
    to: Option<Date>,
    body: Vec<Part>,
}

#[derive(Arbitrary, Debug)]
struct Sphere {
    id: Id,
    title: Text,
    weight: Option<i8>,
    body: Vec<Part>,
}

/// An id: one of the usual ones (so works can refer to it) or any text.
#[derive(Arbitrary, Debug)]
enum Id {
    Known(u8),
    Any(String),
}

#[derive(Arbitrary, Debug)]
struct Work {
    /// File name stem (sanitized) and folder.
    name: String,
    year_folder: Option<u16>,
    title: Text,
    authors: Option<Vec<Text>>,
    date: Option<Date>,
    spheres: Vec<u8>,
    periods: Option<Vec<u8>>,
    coverage: Option<(Date, Date)>,
    keywords: Vec<Text>,
    actors: Vec<Text>,
    language: Option<u8>,
    slug: Option<String>,
    alias: Option<String>,
    draft: bool,
    body: Vec<Part>,
}

/// A YAML scalar: quoted (always a string) or written plainly (YAML decides).
#[derive(Arbitrary, Debug)]
enum Text {
    Quoted(String),
    Plain(String),
}

#[derive(Arbitrary, Debug)]
struct Date {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

/// A piece of a Markdown body.
#[derive(Arbitrary, Debug)]
enum Part {
    Text(String),
    Heading(String),
    /// `[x](@/abstracts/…)` to the n-th work.
    WorkLink(u8),
    /// A root-relative link to a period or sphere page.
    FacetLink(bool, u8),
    /// A link to anything.
    Link(String),
    Image(String),
}

impl Text {
    fn yaml(&self) -> String {
        match self {
            Text::Quoted(s) => serde_json::to_string(s).unwrap(),
            Text::Plain(s) => s.replace(['\n', '\r'], " "),
        }
    }
    fn raw(&self) -> &str {
        match self {
            Text::Quoted(s) | Text::Plain(s) => s,
        }
    }
}

impl Date {
    fn yaml(&self) -> String {
        let mut s = format!("{:04}", self.year % 2200);
        if let Some(m) = self.month {
            write!(s, "-{:02}", m % 14).unwrap();
            if let Some(d) = self.day {
                write!(s, "-{:02}", d % 33).unwrap();
            }
        }
        s
    }
}

impl Id {
    fn get<'a>(&'a self, known: &'a [&'a str]) -> String {
        match self {
            Id::Known(n) => known[usize::from(*n) % known.len()].to_string(),
            Id::Any(s) => file_name(s, "id"),
        }
    }
}

/// A name usable as a file name: no separators or NUL, not empty, not too long.
fn file_name(s: &str, fallback: &str) -> String {
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | '\0' | '.') && !c.is_control())
        .take(40)
        .collect();
    if s.trim().is_empty() {
        fallback.to_string()
    } else {
        s
    }
}

fn body(parts: &[Part], works: &[String]) -> String {
    let mut b = String::from("\n");
    for p in parts.iter().take(8) {
        match p {
            Part::Text(t) => b.push_str(t),
            Part::Heading(t) => write!(b, "\n## {t}\n").unwrap(),
            Part::WorkLink(n) if !works.is_empty() => {
                write!(b, "[w](@/{})", works[usize::from(*n) % works.len()]).unwrap()
            }
            Part::WorkLink(_) => b.push_str("[w](@/abstracts/none.md)"),
            Part::FacetLink(period, n) => {
                let (kind, ids) = if *period {
                    ("periods", PERIOD_IDS)
                } else {
                    ("spheres", SPHERE_IDS)
                };
                write!(b, "[f](/rk/{kind}/{}/)", ids[usize::from(*n) % ids.len()]).unwrap()
            }
            Part::Link(t) => write!(b, "[l]({t})").unwrap(),
            Part::Image(t) => write!(b, "![i]({t})").unwrap(),
        }
        b.push('\n');
    }
    b
}

fn list(items: &[Text]) -> String {
    let items: Vec<String> = items.iter().take(4).map(Text::yaml).collect();
    format!("[{}]", items.join(", "))
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Writes the archive under `root`; returns every body written (for the dead-link rule).
fn materialize(a: &Archive, root: &Path) -> Vec<String> {
    let mut bodies = Vec::new();
    let base = BASES[usize::from(a.base) % BASES.len()];
    let language = LANGUAGES[usize::from(a.language) % LANGUAGES.len()];
    write(
        &root.join("archive.yaml"),
        &format!("title: Fuzz archive\nbase_url: {base}\nlanguage: {language}\ndyad: [RU, KZ]\n"),
    );
    let works: Vec<(String, &Work)> = a
        .works
        .iter()
        .take(6)
        .enumerate()
        .map(|(i, w)| {
            let name = file_name(&w.name, &format!("w{i}"));
            let rel = match w.year_folder {
                Some(y) => format!("abstracts/{}/{name}.md", y % 2200),
                None => format!("abstracts/{name}.md"),
            };
            (rel, w)
        })
        .collect();
    let work_rels: Vec<String> = works.iter().map(|(r, _)| r.clone()).collect();
    for p in a.periods.iter().take(4) {
        let mut t = format!("---\ntitle: {}\nfrom: {}\n", p.title.yaml(), p.from.yaml());
        if let Some(to) = &p.to {
            writeln!(t, "to: {}", to.yaml()).unwrap();
        }
        let b = body(&p.body, &work_rels);
        write!(t, "---\n{b}").unwrap();
        bodies.push(b);
        write(
            &root.join(format!("content/periods/{}.md", p.id.get(PERIOD_IDS))),
            &t,
        );
    }
    for s in a.spheres.iter().take(4) {
        let mut t = format!("---\ntitle: {}\n", s.title.yaml());
        if let Some(w) = s.weight {
            writeln!(t, "weight: {w}").unwrap();
        }
        let b = body(&s.body, &work_rels);
        write!(t, "---\n{b}").unwrap();
        bodies.push(b);
        write(
            &root.join(format!("content/spheres/{}.md", s.id.get(SPHERE_IDS))),
            &t,
        );
    }
    for (rel, w) in &works {
        let mut t = format!("---\ntitle: {}\n", w.title.yaml());
        match &w.authors {
            Some(a) => writeln!(t, "authors: {}", list(a)).unwrap(),
            None => t.push_str("authors: unknown\n"),
        }
        match &w.date {
            Some(d) => writeln!(t, "date: {}", d.yaml()).unwrap(),
            None => t.push_str("date: unknown\n"),
        }
        let spheres: Vec<&str> = w
            .spheres
            .iter()
            .take(3)
            .map(|n| SPHERE_IDS[usize::from(*n) % SPHERE_IDS.len()])
            .collect();
        writeln!(t, "spheres: [{}]", spheres.join(", ")).unwrap();
        if let Some(ps) = &w.periods {
            let ps: Vec<&str> = ps
                .iter()
                .take(3)
                .map(|n| PERIOD_IDS[usize::from(*n) % PERIOD_IDS.len()])
                .collect();
            writeln!(t, "periods: [{}]", ps.join(", ")).unwrap();
        }
        if let Some((from, to)) = &w.coverage {
            writeln!(t, "coverage: {{from: {}, to: {}}}", from.yaml(), to.yaml()).unwrap();
        }
        if !w.keywords.is_empty() {
            writeln!(t, "keywords: {}", list(&w.keywords)).unwrap();
        }
        if !w.actors.is_empty() {
            writeln!(t, "actors: {}", list(&w.actors)).unwrap();
        }
        if let Some(l) = w.language {
            writeln!(
                t,
                "language: {}",
                LANGUAGES[usize::from(l) % LANGUAGES.len()]
            )
            .unwrap();
        }
        if let Some(s) = &w.slug {
            writeln!(t, "slug: {}", serde_json::to_string(s).unwrap()).unwrap();
        }
        if let Some(s) = &w.alias {
            writeln!(t, "aliases: [{}]", serde_json::to_string(s).unwrap()).unwrap();
        }
        if w.draft {
            t.push_str("draft: true\n");
        }
        let b = body(&w.body, &work_rels);
        write!(t, "---\n{b}").unwrap();
        bodies.push(b);
        write(&root.join("content").join(rel), &t);
    }
    if let Some(p) = &a.page {
        let t = format!("---\ntitle: About\n---\n{}\n", p.raw());
        bodies.push(p.raw().to_string());
        write(&root.join("content/pages/about.md"), &t);
    }
    bodies
}

/// Every HTML file of `out`, relative, `/`-separated.
fn html_files(out: &Path) -> Vec<String> {
    fn walk(dir: &Path, rel: &str, acc: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let r = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &r, acc);
            } else if name.ends_with(".html") {
                acc.push(r);
            }
        }
    }
    let mut acc = Vec::new();
    walk(out, "", &mut acc);
    acc
}

fn check_links(out: &Path, base: &str, bodies: &[String]) {
    let base = url::Url::parse(base).unwrap();
    let sel = scraper::Selector::parse("[href], [src], [srcset], [action]").unwrap();
    let mut problems = Vec::new();
    for rel in html_files(out) {
        let page_path = rel.strip_suffix("index.html").unwrap_or(&rel);
        let page = base.join(page_path).unwrap();
        let html = std::fs::read_to_string(out.join(&rel)).unwrap();
        let doc = scraper::Html::parse_document(&html);
        for el in doc.select(&sel) {
            let mut targets: Vec<&str> = ["href", "src", "action"]
                .iter()
                .filter_map(|a| el.value().attr(a))
                .collect();
            if let Some(set) = el.value().attr("srcset") {
                targets.extend(set.split(',').filter_map(|c| c.split_whitespace().next()));
            }
            for target in targets {
                let t = target.trim();
                if t.starts_with('#') {
                    continue;
                }
                let Ok(url) = page.join(t) else { continue };
                if url.origin() != base.origin() || !url.path().starts_with(base.path()) {
                    continue;
                }
                let path = percent_encoding::percent_decode_str(&url.path()[base.path().len()..])
                    .decode_utf8_lossy()
                    .into_owned();
                let file = if path.is_empty() || path.ends_with('/') {
                    format!("{path}index.html")
                } else {
                    path
                };
                let exists = out.join(&file).is_file();
                let written = bodies.iter().any(|b| {
                    b.contains(t)
                        || b.contains(&*percent_encoding::percent_decode_str(t).decode_utf8_lossy())
                });
                if !exists && !written {
                    problems.push(format!("{rel}: `{t}` → `{file}`, not in the output"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "dead links:\n{}", problems.join("\n"));
}

static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    std::env::temp_dir().join(format!("dyad-fuzz-archive-{}", std::process::id()))
});

fuzz_target!(|a: Archive| {
    let dir = &*DIR;
    let _ = std::fs::remove_dir_all(dir);
    let root = dir.join("archive");
    let out = dir.join("public");
    std::fs::create_dir_all(&root).unwrap();
    let bodies = materialize(&a, &root);
    let opts = Options {
        root: root.clone(),
        out: out.clone(),
        drafts: if a.drafts {
            Drafts::Include
        } else {
            Drafts::Exclude
        },
        base_url: None,
        cache: None,
    };
    match dyad::build(&opts, &dyad::pipeline::Quiet) {
        Ok(_) => check_links(&out, BASES[usize::from(a.base) % BASES.len()], &bodies),
        Err(Outcome::Invalid(d)) => assert!(d.has_errors(), "invalid without errors: {d:?}"),
        Err(Outcome::Failed(f, d)) => panic!("build failed: {f}\n{}", d.render_human(false)),
    }
});
