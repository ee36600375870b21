//! The output folder: a failed build leaves the previous site byte for byte intact and no
//! staging folder behind; files dyad did not write survive; stale pages disappear with a warning;
//! an `--out` that overlaps the archive is refused. Write faults (the disk full, a write that
//! fails half-way) are injected into the real binary through `DYAD_FAULT_INJECT`, the
//! test-only hook of `src/output.rs`; a file in the way of `--out` is a real file.

use crate::support::{Site, fixture, run, tree};
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
fn dropped_index_pages_past_the_first_ten_are_counted_in_one_warning() {
    let site = fixture("basic");
    let keywords: Vec<String> = (0..40).map(|i| format!("topic {i}")).collect();
    site.write(
        "content/abstracts/2024/many-keywords.md",
        &format!(
            "---\ntitle: Many keywords\nauthors: [Someone Unique]\ndate: 2024\nspheres: [humanitarian]\nkeywords: [{}]\n---\nBody.\n",
            keywords.join(", ")
        ),
    );
    site.build_ok(&[]);
    fs::remove_file(site.root.join("content/abstracts/2024/many-keywords.md")).unwrap();
    let r = site.build_ok(&[]);
    // The work itself is named, with its alias hint.
    assert!(
        r.stderr
            .contains("`/abstracts/many-keywords/` was published by the previous build"),
        "{}",
        r.stderr
    );
    // 40 keyword pages and an author page: ten named, the other 31 counted.
    let named = r
        .stderr
        .lines()
        .filter(|l| l.contains("warning: `/keywords/") || l.contains("warning: `/authors/"))
        .count();
    assert_eq!(named, 10, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("warning: 31 more index pages published by the previous build are gone"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("under /keywords/"), "{}", r.stderr);
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

/// `dyad build` into `site.out` with the fault-injection hook set to `fault`.
fn build_with_fault(site: &Site, fault: &str) -> crate::support::Run {
    let args = [
        "build",
        "--root",
        site.root.to_str().unwrap(),
        "--out",
        site.out.to_str().unwrap(),
    ];
    run(site.tmp(), &args, &[("DYAD_FAULT_INJECT", fault)])
}

/// Builds the fixture, changes the archive's title (so every page is written afresh, none
/// hard-linked), rebuilds with `fault` injected and checks that the build failed with exit 2
/// naming a file inside `--out` and `what` went wrong, that the previous output is byte for
/// byte as it was (dyad's files and the user's), and that no staging folder is left. A clean
/// rebuild then succeeds. Returns the failed run's stderr.
fn rebuild_fails_and_loses_nothing(fault: &str, what: &str) -> String {
    let site = fixture("basic");
    site.build_ok(&[]);
    fs::write(site.out.join("CNAME"), "rk.example.org\n").unwrap();
    let before = tree(&site.out);
    edit(&site, "archive.yaml", "a test archive", "a renamed archive");
    let r = build_with_fault(&site, fault);
    assert_eq!(r.code, 2, "{fault}: {}", r.stderr);
    let prefix = format!("cannot write `{}/", site.out.display());
    let line = (r.stderr.lines())
        .find(|l| l.contains(&prefix))
        .unwrap_or_else(|| panic!("{fault}: no `{prefix}…` in\n{}", r.stderr));
    assert!(line.ends_with(what), "{fault}: {line}");
    assert!(
        line.starts_with("error: "),
        "{fault}: the failure is the build's error line: {line}"
    );
    let after = tree(&site.out);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "{fault}: the file list changed"
    );
    for (path, bytes) in &before {
        assert!(
            after[path] == *bytes,
            "{fault}: {path} changed in a failed build"
        );
    }
    assert_eq!(staging_leftovers(&site), Vec::<String>::new(), "{fault}");
    site.build_ok(&[]);
    assert!(site.read_out("index.html").contains("a renamed archive"));
    assert_eq!(
        fs::read_to_string(site.out.join("CNAME")).unwrap(),
        "rk.example.org\n"
    );
    r.stderr
}

/// How many writes the rebuild of `rebuild_fails_and_loses_nothing` makes before its
/// manifest: every file that differs from the first build's (found by building the renamed
/// archive into another folder), and every list download under `data/`, which is streamed to
/// disk before its hash is known (and swapped for the previous file when unchanged). Other
/// unchanged files are hard-linked, which is no write.
fn fresh_writes_of_the_rebuild() -> usize {
    let site = fixture("basic");
    site.build_ok(&[]);
    let before = tree(&site.out);
    edit(&site, "archive.yaml", "a test archive", "a renamed archive");
    let other = site.tmp().join("other");
    let r = site.build_into(&other, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    tree(&other)
        .into_iter()
        .filter(|(rel, bytes)| {
            rel != ".dyad-manifest" && (rel.starts_with("data/") || before.get(rel) != Some(bytes))
        })
        .count()
}

#[test]
fn disk_full_during_a_rebuild_keeps_the_previous_output() {
    for fault in ["enospc-after:0", "enospc-after:7"] {
        rebuild_fails_and_loses_nothing(fault, "No space left on device (os error 28)");
    }
}

#[test]
fn a_write_failing_half_way_keeps_the_previous_output() {
    for fault in ["partial-write-at:1", "partial-write-at:25"] {
        rebuild_fails_and_loses_nothing(fault, "Input/output error (os error 5)");
    }
}

#[test]
fn the_disk_full_at_the_last_write_fails_at_the_manifest() {
    let fresh = fresh_writes_of_the_rebuild();
    assert!(fresh > 25, "the rebuild writes {fresh} files afresh");
    // Every page, static file and search file fits; the manifest, written last, does not.
    let stderr = rebuild_fails_and_loses_nothing(
        &format!("enospc-after:{fresh}"),
        "No space left on device (os error 28)",
    );
    assert!(stderr.contains("/.dyad-manifest`"), "{stderr}");
    let stderr = rebuild_fails_and_loses_nothing(
        &format!("partial-write-at:{}", fresh + 1),
        "Input/output error (os error 5)",
    );
    assert!(stderr.contains("/.dyad-manifest`"), "{stderr}");
    // One write more and the build goes through: the count is exact.
    let site = fixture("basic");
    site.build_ok(&[]);
    edit(&site, "archive.yaml", "a test archive", "a renamed archive");
    let r = build_with_fault(&site, &format!("enospc-after:{}", fresh + 1));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(site.read_out("index.html").contains("a renamed archive"));
}

#[test]
fn an_unknown_fault_is_refused_before_anything_is_written() {
    let site = fixture("basic");
    let r = build_with_fault(&site, "disk-full");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("DYAD_FAULT_INJECT=`disk-full` is not understood"),
        "{}",
        r.stderr
    );
    assert!(!site.out.exists());
    assert_eq!(staging_leftovers(&site), Vec::<String>::new());
}

#[test]
fn a_file_as_out_is_refused_and_kept() {
    let site = fixture("basic");
    fs::write(&site.out, "my notes\n").unwrap();
    let r = site.build(&[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "refusing to write the site to `{}`: it is a file, not a folder",
            site.out.display()
        )),
        "{}",
        r.stderr
    );
    assert_eq!(fs::read_to_string(&site.out).unwrap(), "my notes\n");
    assert_eq!(staging_leftovers(&site), Vec::<String>::new());
}

#[test]
fn a_file_in_the_way_of_the_out_folder_is_named_and_kept() {
    let site = fixture("basic");
    let blocker = site.tmp().join("deploy");
    fs::write(&blocker, "a file, not a folder\n").unwrap();
    for out in [blocker.join("site"), blocker.join("a/b/site")] {
        let r = site.build_into(&out, &[]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!("`{}`", out.display())),
            "the error names the path:\n{}",
            r.stderr
        );
        assert!(r.stderr.contains("Not a directory"), "{}", r.stderr);
    }
    assert_eq!(
        fs::read_to_string(&blocker).unwrap(),
        "a file, not a folder\n"
    );
    let names: Vec<String> = (fs::read_dir(site.tmp()).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("dyad"))
        .collect();
    assert_eq!(names, Vec::<String>::new());
}
