//! The output folder: a failed build leaves the previous site byte for byte intact and no
//! staging folder behind; files dyad did not write survive; stale pages disappear with a warning;
//! an `--out` that overlaps the archive is refused.

use crate::support::{Site, fixture, tree};
use std::fs;

/// Entries beside the output folder that look like a staging folder.
fn staging_leftovers(site: &Site) -> Vec<String> {
    fs::read_dir(site.out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("dyad-staging"))
        .collect()
}

/// Replaces `from` by `to` in the archive file `rel`.
fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let p = site.root.join(rel);
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    fs::write(p, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn successful_build_leaves_no_staging_folder() {
    let site = fixture("basic");
    site.build_ok(&[]);
    site.build_ok(&[]);
    assert_eq!(staging_leftovers(&site), Vec::<String>::new());
}

#[test]
fn failed_build_leaves_the_previous_output_intact() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let before = tree(&site.out);
    edit(
        &site,
        "content/abstracts/2015/customs-union.md",
        "spheres: [economic, political]",
        "spheres: [economic, politcal]",
    );
    let r = site.build(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("unknown sphere `politcal`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was written"), "{}", r.stderr);
    let after = tree(&site.out);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &before {
        assert!(after[path] == *bytes, "{path} changed in a failed build");
    }
    assert_eq!(staging_leftovers(&site), Vec::<String>::new());
}

#[test]
fn render_error_leaves_the_previous_output_intact() {
    // An archive template that compiles but fails while rendering: the failure happens after
    // staging began, so this exercises the abort path.
    let site = fixture("template-override");
    site.build_ok(&[]);
    let before = tree(&site.out);
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ content.no_such_field.deeper }}\n{% endblock content %}\n",
    );
    let r = site.build(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("templates/page.html"), "{}", r.stderr);
    assert!(
        tree(&site.out) == before,
        "the output changed in a failed build"
    );
    assert_eq!(staging_leftovers(&site), Vec::<String>::new());
}

#[test]
fn files_dyad_did_not_write_survive_a_rebuild() {
    let site = fixture("basic");
    site.build_ok(&[]);
    fs::create_dir_all(site.out.join(".git/refs")).unwrap();
    fs::write(site.out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    fs::write(site.out.join("CNAME"), "rk.example.org\n").unwrap();
    fs::write(site.out.join(".nojekyll"), "").unwrap();
    // Change something so the rebuild really writes.
    edit(
        &site,
        "content/abstracts/2023/migration.md",
        "Migration flows",
        "Labour flows",
    );
    site.build_ok(&[]);
    assert_eq!(
        fs::read_to_string(site.out.join(".git/HEAD")).unwrap(),
        "ref: refs/heads/gh-pages\n"
    );
    assert!(site.out.join(".git/refs").is_dir());
    assert_eq!(
        fs::read_to_string(site.out.join("CNAME")).unwrap(),
        "rk.example.org\n"
    );
    assert!(site.out.join(".nojekyll").is_file());
    assert!(
        site.read_out("abstracts/migration/index.html")
            .contains("Labour flows")
    );
}

#[test]
fn stale_pages_disappear_and_the_dropped_url_is_named() {
    let site = fixture("basic");
    site.build_ok(&[]);
    assert!(site.out.join("abstracts/migration/index.html").is_file());
    fs::remove_file(site.root.join("content/abstracts/2023/migration.md")).unwrap();
    let r = site.build_ok(&[]);
    assert!(
        !site.out.join("abstracts/migration").exists(),
        "stale page survived"
    );
    assert!(!site.read_out("sitemap.xml").contains("migration"));
    assert!(
        r.stderr
            .contains("warning: `/abstracts/migration/` was published by the previous build"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("aliases: [abstracts/migration/]"),
        "the warning suggests an alias:\n{}",
        r.stderr
    );
}

#[test]
fn an_alias_silences_the_dropped_url_warning() {
    let site = fixture("basic");
    site.build_ok(&[]);
    // Rename the file (its slug changes) and keep the old URL as an alias.
    let old = site.root.join("content/abstracts/2023/migration.md");
    let text = fs::read_to_string(&old)
        .unwrap()
        .replace("title:", "aliases: [abstracts/migration/]\ntitle:");
    fs::remove_file(&old).unwrap();
    site.write("content/abstracts/2023/labour-migration.md", &text);
    let r = site.build_ok(&[]);
    assert!(
        !r.stderr.contains("/abstracts/migration/` was published"),
        "{}",
        r.stderr
    );
    assert!(
        site.out
            .join("abstracts/labour-migration/index.html")
            .is_file()
    );
    let redirect = site.read_out("abstracts/migration/index.html");
    assert!(
        redirect.contains("url=/rk/abstracts/labour-migration/"),
        "{redirect}"
    );
}

#[test]
fn out_inside_content_is_refused() {
    let site = fixture("basic");
    for out in [
        "archive/content/site",
        "archive/content",
        "archive/templates/x",
        "archive/static",
    ] {
        let r = site.dyad(&["build", "--root", "archive", "--out", out]);
        assert_eq!(r.code, 2, "--out {out}: {}", r.stderr);
        assert!(r.stderr.contains("refusing"), "{}", r.stderr);
    }
    assert!(!site.root.join("content/site").exists());
    assert!(!site.root.join("templates").exists());
}

#[test]
fn out_equal_to_or_containing_the_root_is_refused() {
    let site = fixture("basic");
    for out in ["archive", "archive/", ".", "archive/content/.."] {
        let r = site.dyad(&["build", "--root", "archive", "--out", out]);
        assert_eq!(r.code, 2, "--out {out}: {}", r.stderr);
    }
    // Nothing was written anywhere.
    assert!(!site.root.join("index.html").exists());
    assert_eq!(staging_leftovers(&site), Vec::<String>::new());
}
