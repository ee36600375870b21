//! `dyad new` and `dyad init`: writing starter files that pass `dyad check` at once.
//!
//! Both refuse to overwrite anything. Does not validate archives (that is `check`).

use crate::model::dates::Day;
use crate::model::slug::{self, Scheme};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The eight default spheres: (id, title, description).
pub const DEFAULT_SPHERES: [(&str, &str, &str); 8] = [
    (
        "political",
        "Political",
        "Relations between the states' leaderships, governments and parliaments: summits, treaties, alliances and disputes.",
    ),
    (
        "economic",
        "Economic",
        "Trade, investment, customs and monetary questions, and economic integration.",
    ),
    (
        "military",
        "Military",
        "Defence and security cooperation: alliances, arms, exercises, bases and border security.",
    ),
    (
        "humanitarian",
        "Humanitarian",
        "Education, culture, language, science, media and the ties between the peoples.",
    ),
    (
        "interregional",
        "Interregional",
        "Cooperation between the border regions and provinces of the two states.",
    ),
    (
        "energy",
        "Energy",
        "Oil, gas, coal, electricity and nuclear cooperation, pipelines and transit.",
    ),
    (
        "transport",
        "Transport",
        "Railways, roads, aviation, the space launch site and transit corridors.",
    ),
    (
        "migration",
        "Migration",
        "Labour migration, citizenship, diasporas and the movement of people.",
    ),
];

/// Why scaffolding failed (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The target exists.
    #[error(
        "{0} already exists: dyad never overwrites a file (choose another title, or edit the existing file)"
    )]
    Exists(String),
    /// The folder for `init` is not empty.
    #[error("{0} is not empty: `dyad init` starts a new archive in an empty or new folder")]
    NotEmpty(String),
    /// Bad arguments.
    #[error("{0}")]
    Usage(String),
    /// I/O.
    #[error("cannot write {path}: {error}")]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        error: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError + '_ {
    move |error| ScaffoldError::Io {
        path: path.display().to_string(),
        error,
    }
}

/// Today's year (UTC).
fn this_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Day((secs / 86_400) as i32).ymd().0
}

/// Writes `path` only if it does not exist yet (atomically: `create_new`).
fn create_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                ScaffoldError::Exists(path.display().to_string())
            } else {
                ScaffoldError::Io {
                    path: path.display().to_string(),
                    error: e,
                }
            }
        })?;
    f.write_all(text.as_bytes()).map_err(io(path))
}

/// YAML double-quoted string.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("strings always serialize")
}

/// The text of a new abstract: a draft with every optional field present as a comment.
pub fn abstract_template(title: &str, sphere: &str) -> String {
    let mut t = String::new();
    let _ = write!(
        t,
        "---\ntitle: {}\n# Authors as written in the work, e.g. [Ivanov I. I., Smith J.]; `unknown` when nobody knows.\nauthors: unknown\n# Publication date: YYYY, YYYY-MM or YYYY-MM-DD; `unknown` when nobody knows.\ndate: unknown\n# Sphere ids from content/spheres/ (at least one).\nspheres: [{sphere}]\n",
        quoted(title)
    );
    t.push_str(
        "# The span the work studies; it decides the periods (see README, \"How periods are assigned\").\n\
# coverage: {from: 2016-08, to: 2019-03}\n\
# periods: [post-crimea-2]          # only to override the coverage rule\n\
# actors: [Putin V. V., Nazarbayev N. A.]\n\
# keywords: [Eurasian Economic Union]\n\
# language: ru                      # the work's language (BCP 47)\n\
# abstract_language: en             # the language of the abstract below, if different\n\
# source: {type: article, container: Journal title, volume: \"3\", issue: \"2\", pages: 12-34, publisher: Publisher, place: Moscow}\n\
#   (book: container = series, pages: \"230\" = its page count; report: container = its kind, e.g. Working Paper, issue = its number)\n\
# doi: 10.1234/abcd\n\
# url: https://example.org/article\n\
# slug: custom-url-slug\n\
# aliases: [abstracts/old-url/]\n\
draft: true\n---\n\nWrite the abstract here, in Markdown.\n",
    );
    t
}

/// `dyad new`: writes `content/abstracts/<year>/<slug>.md` and returns its path.
pub(crate) fn new_abstract(
    root: &Path,
    title: &str,
    scheme: Scheme,
) -> Result<PathBuf, ScaffoldError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(ScaffoldError::Usage(
            "the title is empty: write `dyad new \"The work's title\"`".into(),
        ));
    }
    let slug = slug::slugify(title, scheme);
    let slug = slug::cut_slug(&slug, slug::CUT_SLUG);
    if slug.is_empty() {
        return Err(ScaffoldError::Usage(format!(
            "`{title}` gives an empty file name: add some letters or digits"
        )));
    }
    let spheres = sphere_ids(root);
    let Some(sphere) = spheres.first() else {
        return Err(ScaffoldError::Usage(
            "the archive has no spheres yet (content/spheres/*.md): add one first".into(),
        ));
    };
    let path = root
        .join("content/abstracts")
        .join(this_year().to_string())
        .join(format!("{slug}.md"));
    create_new(&path, &abstract_template(title, sphere))?;
    Ok(path)
}

/// `dyad init`: a new archive for the states `a` and `b` in `dir`.
pub fn init(dir: &Path, a: &str, b: &str, title: Option<&str>) -> Result<(), ScaffoldError> {
    use crate::config::is_state_code;
    if !is_state_code(a) || !is_state_code(b) || a.eq_ignore_ascii_case(b) {
        return Err(ScaffoldError::Usage(format!(
            "--dyad {a} {b}: give two different ISO 3166-1 alpha-2 codes, e.g. --dyad CN KZ (former states' codes such as SU, DD or YU are accepted too)"
        )));
    }
    let (a, b) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
    if dir.exists() && !dir.is_dir() {
        return Err(ScaffoldError::Usage(format!(
            "{} is a file, not a folder: `dyad init` starts a new archive in an empty or new folder",
            dir.display()
        )));
    }
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
        if entries.next().is_some() {
            return Err(ScaffoldError::NotEmpty(dir.display().to_string()));
        }
    }
    let title = title.map_or_else(
        || format!("{a}–{b} relations: a research archive"),
        str::to_string,
    );
    let config = format!(
        "# The archive's settings. See the dyad README, \"Archive format\".\ntitle: {}\ndescription: {}\n# Where the site will be published (absolute URL; its path is the base path).\nbase_url: https://example.org/\nlanguage: en\ndyad: [{a}, {b}]\n# Slugs from Cyrillic: bgn-pcgn (default), icao or gost-7.79-b.\ntransliteration: bgn-pcgn\n# Works per page of a long list (cross pages, author, actor and keyword pages).\n# page_size: 50\n",
        quoted(&title),
        quoted(&format!(
            "Scholarly works on the relations between {a} and {b}, by period and by sphere."
        ))
    );
    create_new(&dir.join("archive.yaml"), &config)?;
    for (i, (id, t, d)) in DEFAULT_SPHERES.iter().enumerate() {
        create_new(
            &dir.join(format!("content/spheres/{id}.md")),
            &format!("---\ntitle: {t}\nweight: {}\n---\n\n{d}\n", i + 1),
        )?;
    }
    create_new(
        &dir.join("content/periods/since-1991.md"),
        "---\n# An example period: rename the file (its name is the id), set the dates, add more.\ntitle: Since 1991\nfrom: 1991-12\n# to: 1999-12   # leave `to` out for a period that is still going on\n---\n\nDescribe the period here.\n",
    )?;
    create_new(
        &dir.join("content/pages/about.md"),
        &format!(
            "---\ntitle: About\n---\n\n{title} collects abstracts of scholarly works, browsable by period and by sphere.\n"
        ),
    )?;
    for d in ["content/abstracts", "templates", "static"] {
        std::fs::create_dir_all(dir.join(d)).map_err(io(dir))?;
    }
    Ok(())
}

/// The sphere ids of the archive at `root` (`content/spheres/*.md` with a valid id), sorted;
/// none when the folder cannot be read.
pub(crate) fn sphere_ids(root: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(root.join("content/spheres"))
        .map(|d| {
            d.flatten()
                .filter_map(|e| {
                    e.file_name()
                        .to_str()
                        .and_then(|n| n.strip_suffix(".md"))
                        .map(str::to_string)
                })
                .filter(|n| slug::is_valid_slug(n))
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_abstract_template_parses_cleanly() {
        let text = abstract_template("Россия и \"Казахстан\": 1991", "political");
        let p = crate::source::parse(
            "content/abstracts/2026/x.md",
            crate::source::Section::Abstract,
            text,
            &[],
        );
        assert!(p.diags.is_empty(), "{:?}", p.diags);
        assert!(p.record.is_some());
    }

    #[test]
    fn init_refuses_a_non_empty_folder_and_new_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x"), "").unwrap();
        assert!(matches!(
            init(dir.path(), "CN", "KZ", None),
            Err(ScaffoldError::NotEmpty(_))
        ));
        let file = dir.path().join("x");
        assert!(matches!(
            init(&file, "CN", "KZ", None),
            Err(ScaffoldError::Usage(m)) if m.ends_with("is a file, not a folder: `dyad init` starts a new archive in an empty or new folder")
        ));
        assert!(matches!(
            init(&dir.path().join("y"), "CN", "XX", None),
            Err(ScaffoldError::Usage(_))
        ));
        let fresh = dir.path().join("arch");
        init(&fresh, "cn", "kz", Some("China–Kazakhstan")).unwrap();
        let p = new_abstract(&fresh, "A title", Scheme::BgnPcgn).unwrap();
        assert!(p.ends_with("a-title.md"));
        assert!(matches!(
            new_abstract(&fresh, "A title", Scheme::BgnPcgn),
            Err(ScaffoldError::Exists(_))
        ));
        // A title of any length makes a file name of at most 100 bytes, cut between words.
        let long = "Очень длинное название ".repeat(40);
        let p = new_abstract(&fresh, &long, Scheme::BgnPcgn).unwrap();
        let stem = p.file_stem().unwrap().to_str().unwrap();
        assert!(stem.len() <= slug::CUT_SLUG && stem.len() > 80, "{stem}");
        assert!(stem.starts_with("ochen-dlinnoye-nazvaniye-"), "{stem}");
        assert!(!stem.ends_with('-'), "{stem}");
        assert!(slug::is_valid_slug(stem), "{stem}");
    }
}
