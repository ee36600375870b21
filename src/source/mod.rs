//! Finding and parsing the archive's source files.
//!
//! `scan` walks `content/`, `templates/` and `static/` and lists what counts (non-hidden `*.md`
//! in the content sections; editor leftovers ignored; anything else a warning; no symlink may
//! lead outside the root). `read` turns bytes into text (UTF-8 required, BOM and CRLF
//! accepted). `parse` is pure: path + text → raw record + diagnostics, so `watch` can cache it
//! and tests need no disk. Does not resolve cross-references between files.

pub(crate) mod front_matter;
pub(crate) mod raw;
pub(crate) mod yaml;

use crate::diag::{Diagnostic, Diagnostics};
use raw::{Fields, RawAbstract, RawPeriod, RawSphere, RawTitled};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Which part of `content/` a file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Section {
    /// `content/abstracts/**.md`.
    Abstract,
    /// `content/periods/<id>.md`.
    Period,
    /// `content/spheres/<id>.md`.
    Sphere,
    /// `content/pages/<stem>.md`.
    Page,
}

/// A content file found by the scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceFile {
    /// Path relative to the archive root, `/`-separated (`content/abstracts/2019/x.md`).
    pub rel: String,
    /// Path on disk.
    pub abs: PathBuf,
    /// Its section.
    pub section: Section,
}

/// Everything the scan found.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scan {
    /// Content files, sorted by `rel`.
    pub files: Vec<SourceFile>,
    /// Archive templates: (file name relative to `templates/`, path on disk), sorted.
    pub templates: Vec<(String, PathBuf)>,
    /// Static files: (path relative to `static/`, path on disk), sorted.
    pub statics: Vec<(String, PathBuf)>,
}

/// True for files editors leave behind: backups, swap and lock files.
pub(crate) fn is_editor_leftover(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name == ".DS_Store"
}

fn rel_of(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Walks `dir` (following symlinks that stay inside `root`), calling `visit` for every regular
/// file. Walk errors and symlinks leading outside the root are reported.
fn walk(
    root: &Path,
    canonical_root: &Path,
    dir: &Path,
    diags: &mut Diagnostics,
    mut visit: impl FnMut(&Path, &str, &mut Diagnostics),
) {
    if !dir.exists() {
        return;
    }
    let mut escapes = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.path_is_symlink() {
                match e.path().canonicalize() {
                    Ok(target) if target.starts_with(canonical_root) => true,
                    Ok(target) => {
                        escapes.push((e.path().to_path_buf(), Some(target)));
                        false
                    }
                    Err(_) => {
                        escapes.push((e.path().to_path_buf(), None));
                        false
                    }
                }
            } else {
                true
            }
        });
    let mut found = Vec::new();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => found.push(e.into_path()),
            Ok(_) => {}
            Err(err) => {
                let path = err
                    .path()
                    .map_or_else(|| rel_of(root, dir), |p| rel_of(root, p));
                diags.push(Diagnostic::error(path, format!("cannot read: {err}")));
            }
        }
    }
    for (link, target) in escapes {
        let msg = match target {
            Some(t) => format!("symlink leads outside the archive (to `{}`)", t.display()),
            None => "broken symlink".to_string(),
        };
        diags.push(
            Diagnostic::error(rel_of(root, &link), msg)
                .help("copy the file into the archive instead of linking to it"),
        );
    }
    for path in found {
        let rel = rel_of(root, &path);
        visit(&path, &rel, diags);
    }
}

/// Lists the archive's content, template and static files. Problems (a stray file, a symlink
/// out of the root, an unreadable folder) go to `diags`.
pub(crate) fn scan(root: &Path, diags: &mut Diagnostics) -> Scan {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut scan = Scan::default();
    let content = root.join("content");
    walk(
        root,
        &canonical_root,
        &content,
        diags,
        |path, rel, diags| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            let inner = rel.strip_prefix("content/").unwrap_or(rel);
            let hidden = inner.split('/').any(|c| c.starts_with('.'));
            if is_editor_leftover(&name) || hidden {
                return;
            }
            let (section, rest) = match inner.split_once('/') {
                Some(("abstracts", rest)) => (Some(Section::Abstract), rest),
                Some(("periods", rest)) => (Some(Section::Period), rest),
                Some(("spheres", rest)) => (Some(Section::Sphere), rest),
                Some(("pages", rest)) => (Some(Section::Page), rest),
                _ => (None, inner),
            };
            let is_md = name.ends_with(".md");
            if is_md
                && path
                    .strip_prefix(root)
                    .ok()
                    .and_then(Path::to_str)
                    .is_none()
            {
                diags.push(
                    Diagnostic::error(rel, "the file's path is not valid UTF-8 (shown with � for the bytes that are not)")
                        .help("rename it in UTF-8: a work's file name becomes its URL, and its path names it in `@/` links"),
                );
                return;
            }
            match section {
            Some(section) if is_md && (section == Section::Abstract || !rest.contains('/')) => {
                scan.files.push(SourceFile { rel: rel.to_string(), abs: path.to_path_buf(), section });
            }
            Some(Section::Abstract) | None if !is_md => diags.push(
                Diagnostic::warning(rel, "not a Markdown file: ignored")
                    .help("only `*.md` files are read from content/; move other files to static/"),
            ),
            Some(_) if !is_md => diags.push(
                Diagnostic::warning(rel, "not a Markdown file: ignored")
                    .help("only `*.md` files are read from content/; move other files to static/"),
            ),
            Some(_) => diags.push(
                Diagnostic::warning(rel, "nested folder: ignored")
                    .help("periods, spheres and pages are files directly in their folder, e.g. content/periods/transit.md"),
            ),
            None => diags.push(
                Diagnostic::warning(rel, "not in a content section: ignored")
                    .help("put abstracts in content/abstracts/, periods in content/periods/, spheres in content/spheres/, pages in content/pages/"),
            ),
        }
        },
    );
    let templates = root.join("templates");
    walk(
        root,
        &canonical_root,
        &templates,
        diags,
        |path, rel, diags| {
            let inner = rel.strip_prefix("templates/").unwrap_or(rel);
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            if is_editor_leftover(&name) || inner.split('/').any(|c| c.starts_with('.')) {
                return;
            }
            if name.ends_with(".html") {
                scan.templates.push((inner.to_string(), path.to_path_buf()));
            } else {
                diags.push(Diagnostic::warning(
                    rel,
                    "not a template (`*.html`): ignored",
                ));
            }
        },
    );
    let statics = root.join("static");
    walk(root, &canonical_root, &statics, diags, |path, rel, _| {
        let inner = rel.strip_prefix("static/").unwrap_or(rel);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        if is_editor_leftover(&name) {
            return;
        }
        scan.statics.push((inner.to_string(), path.to_path_buf()));
    });
    scan.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    scan
}

/// Decodes a file's bytes: UTF-8 required (the error names the line and column of the first
/// bad byte), a byte-order mark is dropped and CRLF line endings become LF (columns stay the
/// same, as `\r` only ever ends a line). A lone CR becomes LF too: YAML and Markdown both read
/// it as a line break, so lines counted by `\n` are the lines they report.
pub(crate) fn decode(rel: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
            let line = prefix.matches('\n').count() as u32 + 1;
            let col = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            let guess = guess_encoding(bytes);
            let (what, help) = match guess {
                Some(Guess::Utf16) => (
                    "the file is UTF-16 text, not UTF-8".to_string(),
                    "save it as UTF-8 (Notepad: Save as → Encoding: UTF-8)".to_string(),
                ),
                Some(Guess::Windows1251) => (
                    format!(
                        "the file is not UTF-8 text (byte 0x{:02x} at line {line}, column {col}); it looks like Windows-1251 (Cyrillic)",
                        bytes[good]
                    ),
                    format!(
                        "save it as UTF-8, or convert it: `iconv -f WINDOWS-1251 -t UTF-8 '{rel}' > new.md` and replace the file with new.md"
                    ),
                ),
                None => (
                    format!(
                        "the file is not UTF-8 text (byte 0x{:02x} at line {line}, column {col})",
                        bytes[good]
                    ),
                    "save the file as UTF-8 (most editors offer \"Save with encoding\")"
                        .to_string(),
                ),
            };
            let mut d = Diagnostic::error(rel, what).help(help);
            d.span = Some(crate::diag::Span { line, col, len: 1 });
            let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
            let line_end = bytes[good..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| good + i);
            d.source_line = Some(shown_line(guess, bytes, &bytes[line_start..line_end]));
            return Err(d);
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

/// What a file that is not UTF-8 most likely is, for the error's advice.
#[derive(Debug, PartialEq, Eq)]
enum Guess {
    /// A UTF-16 byte-order mark (Windows Notepad's "Unicode").
    Utf16,
    /// Bytes that read as Cyrillic letters in Windows-1251 (old Word and Notepad files in
    /// Russian and Kazakh).
    Windows1251,
}

/// The line of a file that is not UTF-8 as its editor wrote it, so that they recognize their
/// text: decoded as the guessed encoding (`file` is the whole file, for UTF-16's byte order).
fn shown_line(guess: Option<Guess>, file: &[u8], line: &[u8]) -> String {
    match guess {
        Some(Guess::Windows1251) => line
            .iter()
            .map(|&b| match b {
                0..0x80 => char::from(b),
                0xc0.. => char::from_u32(0x410 + u32::from(b - 0xc0)).unwrap_or('\u{fffd}'),
                0xa8 => 'Ё',
                0xb8 => 'ё',
                _ => '\u{fffd}',
            })
            .collect(),
        Some(Guess::Utf16) => {
            // The first line: a UTF-16 file is reported at its start.
            let little = file.starts_with(&[0xff, 0xfe]);
            let units: Vec<u16> = file[2..]
                .chunks_exact(2)
                .map(|p| match little {
                    true => u16::from_le_bytes([p[0], p[1]]),
                    false => u16::from_be_bytes([p[0], p[1]]),
                })
                .take_while(|&u| u != u16::from(b'\n'))
                .take(1000)
                .collect();
            String::from_utf16_lossy(&units)
                .trim_end_matches('\r')
                .to_string()
        }
        None => String::from_utf8_lossy(line).into_owned(),
    }
}

fn guess_encoding(bytes: &[u8]) -> Option<Guess> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Some(Guess::Utf16);
    }
    // In Windows-1251, 0xC0–0xFF are А–я; 0xA8/0xB8 Ё/ё, 0xB2/0xB3 І/і, 0xAA/0xBA Є/є and
    // 0xAF/0xBF Ї/ї are the other letters of its high half that Cyrillic text uses most.
    let high: Vec<u8> = bytes
        .iter()
        .copied()
        .filter(|&b| b >= 0x80)
        .take(4096)
        .collect();
    let cyrillic = high
        .iter()
        .filter(|&&b| {
            b >= 0xc0 || matches!(b, 0xa8 | 0xb8 | 0xb2 | 0xb3 | 0xaa | 0xba | 0xaf | 0xbf)
        })
        .count();
    // Cyrillic words are runs of such bytes; Latin-1's accented letters stand alone (`café`).
    let word = bytes.windows(3).any(|w| w.iter().all(|&b| b >= 0xc0));
    (word && cyrillic * 10 >= high.len() * 9).then_some(Guess::Windows1251)
}

/// Reads and decodes one file.
pub(crate) fn read(root_rel: &str, abs: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(abs)
        .map_err(|e| Diagnostic::error(root_rel, format!("cannot read the file: {e}")))?;
    decode(root_rel, bytes)
}

/// A parsed content file's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Record {
    /// An abstract.
    Abstract(Box<RawAbstract>),
    /// A period.
    Period(RawPeriod),
    /// A sphere.
    Sphere(RawSphere),
    /// A free page.
    Page(RawTitled),
    /// A translation of another file of the same section (`foo.ru.md` of `foo.md`).
    Translation(raw::RawTranslation),
}

/// `(original, language)` when `rel` names a translation: `content/x/foo.ru.md` is the `ru`
/// version of `content/x/foo.md` when `ru` is one of `translated`, the archive's languages
/// after the default.
pub(crate) fn translation_of<'a>(rel: &str, translated: &'a [String]) -> Option<(String, &'a str)> {
    let stem = rel.strip_suffix(".md")?;
    let (base, lang) = stem.rsplit_once('.')?;
    if base.is_empty() || base.ends_with('/') {
        return None;
    }
    let lang = translated.iter().find(|l| l.as_str() == lang)?;
    Some((format!("{base}.md"), lang.as_str()))
}

/// A part of a file's text (its body), sharing the file's buffer: cloning it is a pointer
/// copy, so the text of a file is held once however many records refer to it.
#[derive(Clone, Default)]
pub(crate) struct Text {
    full: Arc<str>,
    start: usize,
}

impl Text {
    /// The part of `full` from byte `start` (a char boundary) to the end.
    pub fn suffix(full: &Arc<str>, start: usize) -> Text {
        assert!(
            full.is_char_boundary(start),
            "a body starts on a char boundary"
        );
        Text {
            full: Arc::clone(full),
            start,
        }
    }
}

impl Text {
    /// The same text in a buffer of its own, freeing the rest of the file once nothing
    /// else holds it.
    pub fn detached(&self) -> Text {
        if self.start == 0 {
            return self.clone();
        }
        Text::from(&**self)
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.full[self.start..]
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        **self == **other
    }
}

impl Eq for Text {}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::suffix(&Arc::from(s), 0)
    }
}

/// One content file after parsing: its record (None if it had errors), its body and findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parsed {
    /// Path relative to the root.
    pub rel: String,
    /// Section of `content/`.
    pub section: Section,
    /// The record, when the front matter was usable.
    pub record: Option<Record>,
    /// The Markdown body (a part of `text`).
    pub body: Text,
    /// 1-based line of the file where the body starts.
    pub body_line: u32,
    /// The whole text (kept for diagnostics raised later, e.g. an unknown sphere).
    pub text: Arc<str>,
    /// Problems found in this file alone.
    pub diags: Vec<Diagnostic>,
}

/// Parses one content file. Pure: no I/O. `translated` are the archive's languages after the
/// default: a file named `foo.<lang>.md` for one of them is a translation ([`translation_of`]).
pub(crate) fn parse(rel: &str, section: Section, text: String, translated: &[String]) -> Parsed {
    let text: Arc<str> = Arc::from(text);
    let mut parsed = Parsed {
        rel: rel.to_string(),
        section,
        record: None,
        body: Text::default(),
        body_line: 1,
        text: Arc::from(""),
        diags: Vec::new(),
    };
    let split = match front_matter::split(&text) {
        Ok(s) => s,
        Err(e) => {
            parsed.diags.push(
                Diagnostic::error(rel, e.message)
                    .at(&text, e.line, 1, 3)
                    .help(e.help),
            );
            parsed.text = text;
            return parsed;
        }
    };
    let body_start = split.body.as_ptr() as usize - text.as_ptr() as usize;
    parsed.body = Text::suffix(&text, body_start);
    parsed.body_line = split.body_line;
    match yaml::parse(split.yaml, split.yaml_line) {
        Err(e) => parsed.diags.push(
            Diagnostic::error(rel, format!("front matter is not valid YAML: {}", e.message))
                .at(&text, e.line, e.col, 1)
                .help(e.help.unwrap_or("check quotes, brackets and indentation on this line; values containing `: ` need quotes")),
        ),
        Ok(node) => {
            let mut f = Fields::new(rel, &text, &node, (1, 1));
            parsed.record = match translation_of(rel, translated) {
                Some((original, lang)) => raw::read_translation(
                    &mut f,
                    lang,
                    original.rsplit('/').next().unwrap_or(&original),
                    section == Section::Abstract,
                )
                .map(Record::Translation),
                None => match section {
                Section::Abstract => raw::read_abstract(&mut f).map(|a| Record::Abstract(Box::new(a))),
                Section::Period => raw::read_period(&mut f).map(Record::Period),
                Section::Sphere => raw::read_sphere(&mut f).map(Record::Sphere),
                Section::Page => raw::read_titled(&mut f).map(Record::Page),
                },
            };
            parsed.diags.extend(f.diags);
        }
    }
    parsed.text = text;
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_utf8_names_line_and_column() {
        let d = decode("content/a.md", b"---\ntitle: \xff\n".to_vec()).unwrap_err();
        assert_eq!(d.span.map(|s| (s.line, s.col)), Some((2, 8)));
        assert!(d.message.contains("not UTF-8"), "{}", d.message);
    }

    #[test]
    fn utf16_and_windows_1251_are_named() {
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("---\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let d = decode("content/a.md", utf16).unwrap_err();
        assert_eq!(d.message, "the file is UTF-16 text, not UTF-8");
        assert_eq!(d.source_line.as_deref(), Some("---"));
        // `title: Привет` in Windows-1251.
        let mut cp1251 = b"---\ntitle: ".to_vec();
        cp1251.extend([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, b'\n']);
        let d = decode("content/a.md", cp1251).unwrap_err();
        assert!(
            d.message.ends_with("it looks like Windows-1251 (Cyrillic)"),
            "{}",
            d.message
        );
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .contains("iconv -f WINDOWS-1251 -t UTF-8 'content/a.md'")
        );
        assert_eq!(d.span.map(|s| (s.line, s.col)), Some((2, 8)));
        assert_eq!(d.source_line.as_deref(), Some("title: Привет"));
        // Latin-1 is not taken for Cyrillic.
        let d = decode(
            "content/a.md",
            b"---\ntitle: caf\xe9 \xe0 la cr\xe8me\n".to_vec(),
        )
        .unwrap_err();
        assert!(!d.message.contains("1251"), "{}", d.message);
    }

    #[test]
    fn bom_and_crlf_are_fine() {
        let t = decode(
            "a.md",
            b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\nbody\r\n".to_vec(),
        )
        .unwrap();
        assert_eq!(t, "---\ntitle: x\n---\nbody\n");
    }

    /// Found by the `abstract_file` fuzz target: YAML counts a lone CR as a line break, dyad
    /// did not, so the error pointed past the end of the file.
    #[test]
    fn a_detached_body_is_the_body_alone_and_no_longer_holds_the_file() {
        let p = parse(
            "content/abstracts/a.md",
            Section::Abstract,
            "---\ntitle: T\nauthors: [x]\n---\nBody, *here*.\n".to_string(),
            &[],
        );
        let body = p.body.detached();
        assert_eq!(&*body, "Body, *here*.\n");
        assert_eq!(body, p.body);
        assert_eq!(&*body.full, "Body, *here*.\n", "only the body is kept");
        // The file's buffer is held by the parsed file and its body, not by the copy.
        assert_eq!(Arc::strong_count(&p.text), 2);
        // A text that is already whole is shared, not copied again.
        assert!(Arc::ptr_eq(&body.detached().full, &body.full));
    }

    #[test]
    fn lone_cr_is_a_line_break() {
        assert_eq!(
            decode("a.md", b"a\rb\r\nc\r".to_vec()).unwrap(),
            "a\nb\nc\n"
        );
        let text = decode(
            "content/abstracts/a.md",
            b"---\ntitle: The Customs Unio\r\r\r\rn and its\nauthors: [x]\n---\n".to_vec(),
        )
        .unwrap();
        let lines = text.lines().count() as u32;
        let p = parse("content/abstracts/a.md", Section::Abstract, text, &[]);
        let yaml = p
            .diags
            .iter()
            .find(|d| d.message.contains("not valid YAML"))
            .expect("a YAML error");
        let span = yaml.span.expect("a position");
        assert!(span.line <= lines, "line {} of {lines}", span.line);
        assert!(yaml.source_line.is_some());
    }

    #[test]
    fn a_file_name_not_in_utf8_is_an_error_naming_it() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let abstracts = dir.path().join("content/abstracts");
        std::fs::create_dir_all(&abstracts).unwrap();
        let latin1 = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
        std::fs::write(abstracts.join(latin1), "---\ntitle: x\n---\n").unwrap();
        std::fs::write(abstracts.join("ok.md"), "---\ntitle: x\n---\n").unwrap();
        let mut diags = Diagnostics::default();
        let scan = scan(dir.path(), &mut diags);
        let files: Vec<&str> = scan.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(files, ["content/abstracts/ok.md"]);
        let e = diags.iter().find(|d| d.is_error()).expect("an error");
        assert_eq!(e.path, "content/abstracts/caf\u{fffd}.md");
        assert!(e.message.contains("not valid UTF-8"), "{}", e.message);
    }

    #[test]
    fn leftovers() {
        for n in ["x.md~", ".x.md.swp", ".#x.md", "#x.md#", "4913"] {
            assert!(is_editor_leftover(n), "{n}");
        }
        assert!(!is_editor_leftover("x.md"));
    }

    #[test]
    fn parse_reports_missing_fence() {
        let p = parse(
            "content/abstracts/a.md",
            Section::Abstract,
            "title: x\n".into(),
            &[],
        );
        assert!(p.record.is_none());
        assert!(p.diags[0].message.contains("missing front matter"));
    }
}
