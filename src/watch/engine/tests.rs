//! The proof of "never stale": after every edit of a randomized sequence, the engine's site
//! equals what a fresh `dyad build --drafts` of the same files writes, byte for byte, file for
//! file; and an edit re-renders only what it should.

use super::*;
use crate::pipeline::Quiet;
use std::fs;

const BASE: &str = "http://127.0.0.1:1111/rk/";

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
}

fn archive() -> tempfile::TempDir {
    archive_of("basic")
}

fn archive_of(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    copy_dir(&fixture, &dir.path().join("a"));
    dir
}

fn options(root: &Path, out: &Path) -> Options {
    Options {
        root: root.to_path_buf(),
        out: out.to_path_buf(),
        drafts: Drafts::Include,
        base_url: Some(BASE.to_string()),
        cache: None,
    }
}

/// Builds the archive afresh and returns every file written (the manifest left out).
fn fresh_build(root: &Path, scratch: &Path, n: usize) -> Option<BTreeMap<String, Vec<u8>>> {
    let out = scratch.join(format!("out-{n}"));
    match pipeline::build(&options(root, &out), &Quiet) {
        Ok(_) => {}
        Err(_) => return None,
    }
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            // The search index is not the engine's: `watch` serves it beside the store,
            // from its own indexer (see `watch::Indexer`).
            let index = rel.starts_with("pagefind/")
                || ["ru", "kk"]
                    .iter()
                    .any(|l| rel.starts_with(&format!("{l}/pagefind/")));
            if rel != ".dyad-manifest" && !index {
                files.insert(rel, fs::read(e.path()).unwrap());
            }
        }
    }
    Some(files)
}

fn assert_same(engine: &Engine, built: &BTreeMap<String, Vec<u8>>, step: &str) {
    let store = engine.store();
    let mut served: Vec<&String> = store.files.keys().collect();
    served.sort();
    let expected: Vec<&String> = built.keys().collect();
    assert_eq!(served, expected, "file list differs after {step}");
    for (f, bytes) in built {
        if store.files[f].as_ref() != bytes.as_slice() {
            let ours = String::from_utf8_lossy(&store.files[f]).to_string();
            let theirs = String::from_utf8_lossy(bytes).to_string();
            let diff: Vec<String> = ours
                .lines()
                .zip(theirs.lines())
                .filter(|(a, b)| a != b)
                .take(3)
                .map(|(a, b)| format!("  watch: {a}\n  build: {b}"))
                .collect();
            panic!(
                "`{f}` differs from a fresh build after {step}:\n{}",
                diff.join("\n")
            );
        }
    }
}

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn abstracts(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/abstracts"))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    v.sort();
    v
}

/// Rewrites every line of `path` that starts with `key:` (the rest of the line given to `new`).
fn rewrite_field(path: &Path, key: &str, new: impl Fn(&str) -> String) {
    let t = fs::read_to_string(path).unwrap();
    let prefix = format!("{key}:");
    let t: String = t
        .lines()
        .map(|l| match l.strip_prefix(prefix.as_str()) {
            Some(rest) => format!("{prefix} {}", new(rest.trim())),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    fs::write(path, t).unwrap();
}

/// One random edit; returns a description and the paths it touched.
fn edit(root: &Path, rng: &mut Rng, n: usize) -> (String, Vec<PathBuf>) {
    let works = abstracts(root);
    let pick = |rng: &mut Rng| works[rng.below(works.len())].clone();
    match rng.below(12) {
        10 => {
            let p = root.join("content/spheres/humanitarian.md");
            rewrite_field(&p, "title", |_| format!("Humanitarian ties {n}"));
            (String::from("sphere edit (humanitarian.md)"), vec![p])
        }
        11 => {
            let p = root.join("archive.yaml");
            rewrite_field(&p, "title", |_| format!("Test archive, edition {n}"));
            (String::from("archive.yaml edit"), vec![p])
        }
        0 | 1 => {
            let p = pick(rng);
            let mut t = fs::read_to_string(&p).unwrap();
            t.push_str(&format!("\nA new paragraph number {n}, with *emphasis*.\n"));
            fs::write(&p, t).unwrap();
            (format!("body edit of {}", p.display()), vec![p])
        }
        2 => {
            let p = pick(rng);
            let spheres = [
                "[political]",
                "[economic]",
                "[humanitarian, political]",
                "[economic, humanitarian]",
            ];
            if rng.below(2) == 0 {
                let new = spheres[rng.below(spheres.len())];
                rewrite_field(&p, "spheres", |_| new.to_string());
                (format!("sphere move of {} to {new}", p.display()), vec![p])
            } else {
                // Another span (and so, maybe, other periods), for works that have one.
                let from = 1992 + rng.below(30);
                let new = format!("{{from: {from}, to: {}}}", from + rng.below(8));
                rewrite_field(&p, "coverage", |_| new.clone());
                (format!("coverage of {} set to {new}", p.display()), vec![p])
            }
        }
        3 => {
            let p = pick(rng);
            rewrite_field(&p, "title", |t| {
                format!("\"Retitled {n}: {}\"", t.trim_matches('"'))
            });
            (format!("title edit of {}", p.display()), vec![p])
        }
        4 => {
            let p = root.join(format!("content/abstracts/new/work-{n}.md"));
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            let year = 1992 + rng.below(30);
            fs::write(
                &p,
                format!(
                    "---\ntitle: New work {n}\nauthors: [Петров Пётр, Author {n}]\ndate: {year}\nspheres: [economic]\ncoverage: {{from: {year}, to: {}}}\nkeywords: [energy, Key {n}]\n---\nA new work about [oil](@/abstracts/2001/oil-and-gas.md).\n",
                    year + rng.below(5)
                ),
            )
            .unwrap();
            (format!("add {}", p.display()), vec![p])
        }
        5 if works.len() > 3 => {
            let p = pick(rng);
            // Never delete the target of the fixture's `@/` link.
            if p.ends_with("oil-and-gas.md") {
                return (String::from("nothing"), vec![]);
            }
            fs::remove_file(&p).unwrap();
            (format!("delete {}", p.display()), vec![p])
        }
        6 => {
            let p = pick(rng);
            if p.ends_with("oil-and-gas.md") {
                return (String::from("nothing"), vec![]);
            }
            let dir = root.join(format!("content/abstracts/moved-{}", rng.below(3)));
            fs::create_dir_all(&dir).unwrap();
            let q = dir.join(format!("renamed-{n}.md"));
            fs::rename(&p, &q).unwrap();
            (
                format!("rename {} to {}", p.display(), q.display()),
                vec![p, q],
            )
        }
        7 => {
            let p = root.join("templates/abstract.html");
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            let builtin = theme::TEMPLATES
                .iter()
                .find(|(n, _)| *n == "abstract.html")
                .unwrap()
                .1;
            fs::write(
                &p,
                builtin.replace("</article>", &format!("<p>edit {n}</p></article>")),
            )
            .unwrap();
            (String::from("template edit (abstract.html)"), vec![p])
        }
        8 => {
            let p = root.join("static/style.css");
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, format!("body {{ margin: {n}px }}\n")).unwrap();
            (String::from("static edit (style.css)"), vec![p])
        }
        _ => {
            let p = root.join("content/periods/partnership.md");
            let t = fs::read_to_string(&p).unwrap();
            let t = if t.contains("title: Partnership (") {
                t.replacen("title: Partnership (", "title: Partnership, (", 1)
            } else {
                t.replacen("title: ", &format!("title: Partnership ({n}) "), 1)
            };
            fs::write(&p, t).unwrap();
            (String::from("period edit (partnership.md)"), vec![p])
        }
    }
}

#[test]
fn a_random_sequence_of_edits_never_leaves_the_site_stale() {
    random_edits(&[0x9e37_79b9_7f4a_7c15_u64, 42, 7, 2026, 0xdead_beef], None);
}

#[test]
fn random_edits_of_paginated_lists_never_leave_the_site_stale() {
    // Pages of two works: most edits move works across pages and change the page list.
    random_edits(&[3, 99], Some(2));
}

/// Random edits (25 per seed), each followed by a comparison with a fresh build. With the
/// default page size, each route (bodies, memberships, full) must be taken at least three times.
fn random_edits(seeds: &[u64], page_size: Option<usize>) {
    let dir = archive();
    let root = dir.path().join("a");
    if let Some(n) = page_size {
        let yaml = root.join("archive.yaml");
        let settings = fs::read_to_string(&yaml).unwrap();
        fs::write(&yaml, format!("{settings}page_size: {n}\n")).unwrap();
    }
    let scratch = dir.path().join("scratch");
    fs::create_dir_all(&scratch).unwrap();
    let mut engine = Engine::new(options(&root, &scratch.join("unused")));
    engine.rebuild(&[]).expect("the fixture builds");
    assert_same(
        &engine,
        &fresh_build(&root, &scratch, 0).unwrap(),
        "the first build",
    );
    let (mut compared, mut refused) = (0, 0);
    // How often each route was taken (Bodies, Memberships, Full): the fast ones must be tried.
    let mut routes = [0; 3];
    for &seed in seeds {
        let mut rng = Rng(seed);
        for n in 1..=25 {
            let (what, paths) = edit(&root, &mut rng, n);
            // Half the time, tell the engine nothing: it must find the change itself.
            let hint = if rng.below(2) == 0 { paths } else { Vec::new() };
            let result = engine.rebuild(&hint);
            let built = fresh_build(&root, &scratch, n);
            match (result, built) {
                (Ok(c), Some(built)) => {
                    assert_same(&engine, &built, &what);
                    routes[c.route as usize] += 1;
                    compared += 1;
                }
                (Err(e), None) => {
                    if refused == 0 {
                        eprintln!(
                            "first refusal, after {what}: {:?}",
                            e.diagnostics().iter().find(|d| d.is_error())
                        );
                    }
                    refused += 1
                }
                (Ok(_), None) => panic!("watch accepted what build refuses, after {what}"),
                (Err(e), Some(_)) => {
                    panic!("watch refused what build accepts, after {what}: {e:?}")
                }
            }
        }
    }
    assert!(
        compared >= 10 * seeds.len(),
        "only {compared} edits compared ({refused} refused)"
    );
    eprintln!("routes taken (bodies, memberships, full): {routes:?}");
    if page_size.is_none() {
        assert!(
            routes.iter().all(|&n| n >= 3),
            "routes taken (bodies, memberships, full): {routes:?}"
        );
    }
}

/// A multilingual archive: edits of originals and translations, a new translation and a
/// removed one, and a broken translation, each matched against a fresh build (every
/// language's site).
#[test]
fn multilingual_edits_match_a_fresh_build() {
    let dir = archive_of("multilingual");
    let root = dir.path().join("a");
    let scratch = dir.path().join("scratch");
    fs::create_dir_all(&scratch).unwrap();
    let mut engine = Engine::new(options(&root, &scratch.join("unused")));
    engine.rebuild(&[]).expect("the fixture builds");
    assert_same(
        &engine,
        &fresh_build(&root, &scratch, 0).unwrap(),
        "the first build",
    );
    let abstracts = root.join("content/abstracts");
    let original = abstracts.join("2001/oil-and-gas.md");
    let ru = abstracts.join("2001/oil-and-gas.ru.md");
    let kk_new = abstracts.join("2015/customs-union.kk.md");
    type Step<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let steps: Vec<Step> = vec![
        (
            "a translation's title",
            Box::new(|| rewrite_field(&ru, "title", |_| "Нефть и газ".into())),
        ),
        (
            "a translation's body",
            Box::new(|| {
                let t = fs::read_to_string(&ru).unwrap();
                fs::write(&ru, format!("{t}\nЕщё одно предложение.\n")).unwrap();
            }),
        ),
        (
            "the original's spheres",
            Box::new(|| rewrite_field(&original, "spheres", |_| "[economic, political]".into())),
        ),
        (
            "a new Kazakh translation",
            Box::new(|| {
                fs::write(&kk_new, "---\ntitle: Кеден одағы\n---\nҚазақша аңдатпа.\n").unwrap()
            }),
        ),
        (
            "a removed translation",
            Box::new(|| fs::remove_file(&ru).unwrap()),
        ),
    ];
    for (n, (what, step)) in steps.iter().enumerate() {
        step();
        engine
            .rebuild(&[])
            .unwrap_or_else(|e| panic!("{what}: {e:?}"));
        let built = fresh_build(&root, &scratch, n + 1).expect("builds");
        assert!(built.contains_key("kk/abstracts/customs-union/index.html"));
        assert_same(&engine, &built, what);
    }
    let store = engine.store();
    let kk = String::from_utf8_lossy(&store.files["kk/abstracts/customs-union/index.html"]);
    assert!(kk.contains("Кеден одағы"));
    // A translation that sets a shared field: refused, the last good site kept.
    fs::write(&kk_new, "---\ntitle: Кеден\ndate: 2020\n---\nМәтін.\n").unwrap();
    let e = engine
        .rebuild(&[])
        .expect_err("a shared field in a translation");
    assert!(
        e.diagnostics()
            .iter()
            .any(|d| d.path.ends_with("customs-union.kk.md"))
    );
    assert!(
        String::from_utf8_lossy(&engine.store().files["kk/abstracts/customs-union/index.html"])
            .contains("Кеден одағы")
    );
}

#[test]
fn a_body_edit_re_renders_that_page_only() {
    let dir = archive();
    let root = dir.path().join("a");
    let mut engine = Engine::new(options(&root, &dir.path().join("unused")));
    let first = engine.rebuild(&[]).unwrap();
    assert!(first.rendered > 20);
    let p = root.join("content/abstracts/2015/customs-union.md");
    let mut t = fs::read_to_string(&p).unwrap();
    t.push_str("\nOne more sentence.\n");
    fs::write(&p, t).unwrap();
    let c = engine.rebuild(std::slice::from_ref(&p)).unwrap();
    assert_eq!(c.rendered, 1, "{:?}", c.files);
    assert!(
        c.files
            .contains(&"abstracts/customs-union/index.html".to_string())
    );
    assert_eq!(c.sources, ["content/abstracts/2015/customs-union.md"]);
    assert!(!c.css_only);
    // Nothing changed: nothing is rendered.
    let c = engine.rebuild(&[]).unwrap();
    assert_eq!((c.rendered, c.files.len()), (0, 0));
}

#[test]
fn a_sphere_move_re_renders_the_spheres_cross_pages_and_home() {
    let dir = archive();
    let root = dir.path().join("a");
    let mut engine = Engine::new(options(&root, &dir.path().join("unused")));
    engine.rebuild(&[]).unwrap();
    let p = root.join("content/abstracts/2015/customs-union.md");
    let t = fs::read_to_string(&p).unwrap();
    let old = t
        .lines()
        .find(|l| l.starts_with("spheres:"))
        .unwrap()
        .to_string();
    fs::write(&p, t.replace(&old, "spheres: [humanitarian]")).unwrap();
    let c = engine.rebuild(std::slice::from_ref(&p)).unwrap();
    for f in [
        "index.html",
        "abstracts/customs-union/index.html",
        "spheres/humanitarian/index.html",
        "spheres/index.html",
    ] {
        assert!(c.files.contains(&f.to_string()), "{f} not in {:?}", c.files);
    }
    assert!(
        c.files
            .iter()
            .any(|f| f.starts_with("periods/") && f.ends_with("/humanitarian/index.html"))
    );
    // Pages that do not show the work are left alone.
    assert!(
        !c.files
            .contains(&"abstracts/oil-and-gas/index.html".to_string())
    );
    assert!(c.rendered < 40, "{} pages re-rendered", c.rendered);
}

#[test]
fn membership_edits_patch_the_model_and_match_a_fresh_build() {
    let dir = archive();
    let root = dir.path().join("a");
    let scratch = dir.path().join("scratch");
    fs::create_dir_all(&scratch).unwrap();
    let mut engine = Engine::new(options(&root, &scratch.join("unused")));
    engine.rebuild(&[]).unwrap();
    let work = |name: &str| {
        abstracts(&root)
            .into_iter()
            .find(|p| p.ends_with(name))
            .unwrap()
    };
    let steps: [(&str, &str, &str, Route); 5] = [
        // The order of a work's spheres is what its pages show.
        (
            "2015/customs-union.md",
            "spheres",
            "[political, economic]",
            Route::Memberships,
        ),
        // A new span inside the same period: the work's page shows it.
        (
            "2023/migration.md",
            "coverage",
            "{from: 2016, to: 2022-12}",
            Route::Memberships,
        ),
        // A wider span: the work joins another period.
        (
            "2001/oil-and-gas.md",
            "coverage",
            "{from: 1993, to: 2013}",
            Route::Memberships,
        ),
        // The last work of a period × sphere cell leaves it: the plan loses a page.
        (
            "2019/eurasian-integration.md",
            "spheres",
            "[political]",
            Route::Full,
        ),
        // A title is not a membership.
        (
            "2015/customs-union.md",
            "title",
            "The Customs Union, revisited",
            Route::Full,
        ),
    ];
    for (n, (file, key, value, route)) in steps.into_iter().enumerate() {
        let p = work(file);
        rewrite_field(&p, key, |_| value.to_string());
        let c = engine
            .rebuild(std::slice::from_ref(&p))
            .unwrap_or_else(|e| panic!("{file}: {e:?}"));
        assert_eq!(c.route, route, "{file}: {key}: {value}");
        assert_eq!(c.sources, [format!("content/abstracts/{file}")]);
        let what = format!("{key} of {file} set to {value}");
        assert_same(&engine, &fresh_build(&root, &scratch, n).unwrap(), &what);
    }
    // An unknown sphere is refused with the full rebuild's error, the site kept; the fix is
    // then taken (by the full rebuild, as the refusal dropped the patched model).
    let p = work("2023/migration.md");
    let before = engine.store();
    rewrite_field(&p, "spheres", |_| "[humanitarain]".to_string());
    let e = engine.rebuild(std::slice::from_ref(&p)).unwrap_err();
    assert!(
        e.diagnostics()
            .iter()
            .any(|d| d.is_error() && d.message.contains("unknown sphere `humanitarain`")),
        "{e:?}"
    );
    assert!(Arc::ptr_eq(&before, &engine.store()));
    rewrite_field(&p, "spheres", |_| "[humanitarian, political]".to_string());
    let c = engine.rebuild(std::slice::from_ref(&p)).unwrap();
    assert_same(
        &engine,
        &fresh_build(&root, &scratch, 99).unwrap(),
        "the fix",
    );
    // And the next move goes the fast way again.
    rewrite_field(&p, "spheres", |_| "[political, humanitarian]".to_string());
    let c2 = engine.rebuild(std::slice::from_ref(&p)).unwrap();
    assert_eq!((c.route, c2.route), (Route::Full, Route::Memberships));
    assert_same(
        &engine,
        &fresh_build(&root, &scratch, 100).unwrap(),
        "a move after the fix",
    );
    // A move together with a broken link in the body: refused while rendering, the site kept;
    // the fix is reported as a change of the file and taken.
    let before = engine.store();
    rewrite_field(&p, "spheres", |_| "[humanitarian]".to_string());
    let moved = fs::read_to_string(&p).unwrap();
    fs::write(&p, format!("{moved}See [this](@/abstracts/nowhere.md).\n")).unwrap();
    let e = engine.rebuild(std::slice::from_ref(&p)).unwrap_err();
    assert!(
        e.diagnostics()
            .iter()
            .any(|d| d.is_error() && d.message.contains("unresolved link")),
        "{e:?}"
    );
    assert!(Arc::ptr_eq(&before, &engine.store()));
    fs::write(&p, &moved).unwrap();
    let c = engine.rebuild(std::slice::from_ref(&p)).unwrap();
    assert_eq!(c.sources, ["content/abstracts/2023/migration.md"]);
    assert_same(
        &engine,
        &fresh_build(&root, &scratch, 101).unwrap(),
        "the fixed move",
    );
}

#[test]
fn a_stylesheet_edit_is_css_only_and_a_broken_file_keeps_the_last_site() {
    let dir = archive();
    let root = dir.path().join("a");
    let mut engine = Engine::new(options(&root, &dir.path().join("unused")));
    engine.rebuild(&[]).unwrap();
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/style.css"), "body { color: red }\n").unwrap();
    // The quick swap: the served style sheet replaced before the pages are rebuilt.
    let css = root.canonicalize().unwrap().join("static/style.css");
    let engine_root = Engine::new(options(&root.canonicalize().unwrap(), Path::new("/unused")));
    assert!(
        engine_root
            .style_sheets_only(std::slice::from_ref(&css))
            .is_none(),
        "nothing served yet"
    );
    let mut canon = Engine::new(options(&root.canonicalize().unwrap(), Path::new("/unused")));
    canon.rebuild(&[]).unwrap();
    let quick = canon.style_sheets_only(std::slice::from_ref(&css)).unwrap();
    assert_eq!(quick.files["style.css"].as_ref(), b"body { color: red }\n");
    let md = root
        .canonicalize()
        .unwrap()
        .join("content/abstracts/2015/customs-union.md");
    assert!(
        canon.style_sheets_only(&[css, md]).is_none(),
        "not only style sheets"
    );
    let c = engine.rebuild(&[]).unwrap();
    assert!(c.css_only);
    assert!(c.files.contains(&"style.css".to_string()));

    let before = engine.store();
    let p = root.join("content/abstracts/2015/customs-union.md");
    let good = fs::read_to_string(&p).unwrap();
    fs::write(&p, good.replacen("title:", "title: [unclosed", 1)).unwrap();
    let Err(Failed::Invalid(d)) = engine.rebuild(std::slice::from_ref(&p)) else {
        panic!("a YAML error must fail the rebuild")
    };
    let e = d.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(e.path, "content/abstracts/2015/customs-union.md");
    assert!(e.span.is_some());
    assert!(
        Arc::ptr_eq(&before, &engine.store()),
        "the last good site stays"
    );
    fs::write(&p, good).unwrap();
    let c = engine.rebuild(std::slice::from_ref(&p)).unwrap();
    assert!(
        c.files.is_empty(),
        "fixing the file restores the same site: {:?}",
        c.files
    );
}

#[test]
fn every_page_template_has_a_key() {
    use crate::model::FacetName;
    let kinds = [
        PageKind::Home,
        PageKind::Abstract(0),
        PageKind::Periods,
        PageKind::Period(0),
        PageKind::Spheres,
        PageKind::Sphere(0),
        PageKind::Timeline,
        PageKind::Search,
        PageKind::Cross(0, 0, Default::default()),
        PageKind::FacetIndex(FacetName::Authors),
        PageKind::FacetValue(FacetName::Keywords, 0, Default::default()),
        PageKind::Page(0),
        PageKind::NotFound,
        PageKind::Alias(0),
    ];
    for k in kinds {
        let t = k.template().unwrap();
        assert!(PAGE_TEMPLATES.contains(&t), "{t} has no key");
    }
}

#[test]
fn an_i18n_edit_re_renders_the_pages_that_say_it_and_matches_a_fresh_build() {
    let dir = archive();
    let root = dir.path().join("a");
    let mut engine = Engine::new(options(&root, &dir.path().join("unused")));
    engine.rebuild(&[]).unwrap();
    // A new override file: every page says "Eras" in its navigation now.
    fs::create_dir_all(root.join("i18n")).unwrap();
    let ftl = root.join("i18n/en.ftl");
    fs::write(&ftl, "nav-periods = Eras\n").unwrap();
    let c = engine.rebuild(std::slice::from_ref(&ftl)).unwrap();
    assert!(c.rendered > 20, "{}", c.rendered);
    assert!(
        c.sources.contains(&"i18n/en.ftl".to_string()),
        "{:?}",
        c.sources
    );
    let home = engine.store().files["index.html"].clone();
    assert!(std::str::from_utf8(&home).unwrap().contains(">Eras</a>"));
    let built = fresh_build(&root, dir.path(), 1).expect("builds");
    assert_same(&engine, &built, "after adding i18n/en.ftl");
    // A message that only the 404 page says: the other pages stay as they are.
    fs::write(&ftl, "nav-periods = Eras\nnot-found-lede = Nothing here.\n").unwrap();
    let c = engine.rebuild(std::slice::from_ref(&ftl)).unwrap();
    assert_eq!(c.files, ["404.html"], "{:?}", c.files);
    let built = fresh_build(&root, dir.path(), 2).expect("builds");
    assert_same(&engine, &built, "after editing i18n/en.ftl");
    // A syntax error keeps the last good site and names the file.
    fs::write(&ftl, "nav-periods Eras\n").unwrap();
    let Err(Failed::Invalid(d)) = engine.rebuild(std::slice::from_ref(&ftl)) else {
        panic!("a Fluent syntax error must fail the rebuild")
    };
    assert!(d.iter().any(|d| d.is_error() && d.path == "i18n/en.ftl"));
}
