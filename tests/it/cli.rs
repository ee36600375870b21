//! The command line: help texts, usage errors, `dyad new` and `dyad init` end to end.

use crate::support::{current_year, empty_site, fixture, run};

#[test]
fn help_works_for_every_subcommand() {
    let tmp = tempfile::tempdir().unwrap();
    let top = run(tmp.path(), &["--help"], &[]);
    assert_eq!(top.code, 0);
    for sub in ["build", "check", "new", "init", "import"] {
        assert!(top.stdout.contains(sub), "`{sub}` missing from --help");
        for args in [vec![sub, "--help"], vec![sub, "-h"], vec!["help", sub]] {
            let r = run(tmp.path(), &args, &[]);
            assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
            assert!(
                r.stdout.contains(&format!("Usage: dyad {sub}")),
                "{args:?}: {}",
                r.stdout
            );
        }
    }
    let build = run(tmp.path(), &["build", "--help"], &[]).stdout;
    for flag in ["--root", "--out", "--drafts", "--base-url", "--quiet"] {
        assert!(build.contains(flag), "build --help lacks {flag}");
    }
    let check = run(tmp.path(), &["check", "--help"], &[]).stdout;
    for flag in ["--root", "--deny-warnings", "--format", "human", "json"] {
        assert!(check.contains(flag), "check --help lacks {flag}");
    }
    let version = run(tmp.path(), &["--version"], &[]);
    assert_eq!(version.code, 0);
    assert!(version.stdout.starts_with("dyad "));
}

#[test]
fn usage_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &[][..],
        &["frobnicate"][..],
        &["build", "--no-such-flag"][..],
        &["check", "--format", "xml"][..],
        &["new"][..],
        &["init"][..],
        &["init", "x", "--dyad", "RU"][..],
    ] {
        let r = run(tmp.path(), args, &[]);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    }
}

#[test]
fn missing_archive_is_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["build", "--root", "nowhere"][..],
        &["check", "--root", "nowhere"][..],
    ] {
        let r = run(tmp.path(), args, &[]);
        assert!(r.code == 1 || r.code == 2, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        assert!(
            r.stderr.contains("archive.yaml") || r.stderr.contains("nowhere"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn new_writes_a_draft_that_passes_check() {
    let site = fixture("basic");
    let r = site.dyad(&["new", "Россия и Казахстан", "--root", "archive"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rel = format!(
        "content/abstracts/{}/rossiya-i-kazakhstan.md",
        current_year()
    );
    let path = site.root.join(&rel);
    assert!(
        path.is_file(),
        "{} not written; stdout: {}",
        path.display(),
        r.stdout
    );
    assert!(r.stdout.contains("rossiya-i-kazakhstan.md"), "{}", r.stdout);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("---\n"));
    assert!(text.contains("Россия и Казахстан"));
    assert!(text.contains("draft: true"));

    let check = site.check(&[]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(!check.stderr.contains(": error:"), "{}", check.stderr);
    // The new draft is no page of a normal build, but renders with --drafts.
    site.build_ok(&[]);
    assert!(!site.out.join("abstracts/rossiya-i-kazakhstan").exists());
    site.build_ok(&["--drafts"]);
    assert!(
        site.out
            .join("abstracts/rossiya-i-kazakhstan/index.html")
            .is_file()
    );

    let again = site.dyad(&["new", "Россия и Казахстан", "--root", "archive"]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "the file was overwritten"
    );
}

#[test]
fn init_creates_an_archive_that_builds() {
    let site = empty_site();
    let r = site.dyad(&["init", "archive", "--dyad", "CN", "KZ"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let yaml = std::fs::read_to_string(site.root.join("archive.yaml")).unwrap();
    assert!(yaml.contains("dyad: [CN, KZ]"), "{yaml}");
    let spheres = std::fs::read_dir(site.root.join("content/spheres"))
        .unwrap()
        .count();
    assert_eq!(spheres, 8, "the eight default spheres");
    assert!(site.root.join("templates").is_dir());
    assert!(site.root.join("static").is_dir());
    assert!(site.root.join("content/pages/about.md").is_file());

    let check = site.check(&["--deny-warnings"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    site.build_ok(&[]);
    assert!(site.out.join("index.html").is_file());
    assert!(site.out.join("about/index.html").is_file());
    assert!(site.read_out("index.html").contains("CN"));
    // No works, no search bundle (Pagefind cannot load a bundle without records); the search
    // page is told so and says there is nothing to search yet (static/search.js).
    assert!(!site.out.join("pagefind").exists());
    assert!(
        site.read_out("search/index.html")
            .contains("&quot;bundles&quot;:[]"),
        "{}",
        site.read_out("search/index.html")
    );

    // A new abstract in the new archive passes check as well.
    let new = site.dyad(&["new", "A first work", "--root", "archive"]);
    assert_eq!(new.code, 0, "{}", new.stderr);
    assert_eq!(site.check(&[]).code, 0);
}

#[test]
fn init_with_a_title() {
    let site = empty_site();
    let r = site.dyad(&["init", "archive", "--title", "Китай и Казахстан"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    site.build_ok(&[]);
    assert!(site.read_out("index.html").contains("Китай и Казахстан"));
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let site = empty_site();
    std::fs::create_dir_all(&site.root).unwrap();
    std::fs::write(site.root.join("notes.txt"), "mine\n").unwrap();
    let r = site.dyad(&["init", "archive"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!site.root.join("archive.yaml").exists());
    assert_eq!(
        std::fs::read_to_string(site.root.join("notes.txt")).unwrap(),
        "mine\n"
    );
    // An existing empty folder is fine.
    let empty = site.tmp().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert_eq!(site.dyad(&["init", "empty"]).code, 0);
}
