//! Diagnostics: every `fixtures/invalid/` case fails `check` and `build` with exit 1 (the
//! warning-only case passes) and prints the snapshotted messages; all problems are reported in
//! one run, sorted; the JSON format; drafts are validated too.

use crate::support::{Run, Site, diagnostic_lines, fixture};
use std::time::{Duration, Instant};

/// Runs `check` on `invalid/<case>`, asserts the exit code, snapshots the full stderr, then
/// runs `build` and asserts it fails the same way and writes nothing.
fn invalid_case(case: &str, expected_code: i32) -> (Site, Run) {
    let site = fixture(&format!("invalid/{case}"));
    let started = Instant::now();
    let r = site.check(&[]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "check took {:?}",
        started.elapsed()
    );
    assert_eq!(
        r.code, expected_code,
        "check exit code; stderr:\n{}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert_eq!(r.stdout, "", "human diagnostics go to stderr");
    let stderr = site.redact(&r.stderr);
    insta::assert_snapshot!(format!("invalid_{}", case.replace('-', "_")), stderr);

    let b = site.build(&[]);
    assert_eq!(
        b.code, expected_code,
        "build exit code; stderr:\n{}",
        b.stderr
    );
    assert!(!b.stderr.contains("panicked"), "{}", b.stderr);
    if expected_code != 0 {
        assert!(
            !site.out.exists(),
            "a failed build created the output folder"
        );
    }
    (site, r)
}

#[test]
fn unknown_sphere_suggests_the_nearest() {
    let (_, r) = invalid_case("unknown-sphere", 1);
    assert!(
        r.stderr
            .contains("content/abstracts/2019/typo.md:5:22: error: unknown sphere `ecnomic`")
    );
    assert!(r.stderr.contains("= help: did you mean `economic`?"));
}

#[test]
fn bad_date_names_the_accepted_forms() {
    let (_, r) = invalid_case("bad-date", 1);
    assert!(
        r.stderr
            .contains("content/abstracts/bad-date.md:4:7: error:")
    );
    assert!(r.stderr.contains("YYYY, YYYY-MM or YYYY-MM-DD"));
}

#[test]
fn coverage_from_after_to() {
    let (_, r) = invalid_case("coverage-reversed", 1);
    assert!(r.stderr.contains("content/abstracts/reversed.md:6:18: error: coverage `from` (2019-03) is after `to` (2016-08)"));
}

#[test]
fn missing_closing_fence() {
    let (_, r) = invalid_case("missing-fence", 1);
    assert!(
        r.stderr
            .contains("content/abstracts/no-end.md:1:1: error: front matter is not closed")
    );
}

#[test]
fn yaml_syntax_error() {
    let (_, r) = invalid_case("yaml-syntax", 1);
    assert!(r.stderr.contains("content/abstracts/broken.md:"));
    assert!(r.stderr.contains("not valid YAML"));
}

#[test]
fn not_utf8() {
    let (_, r) = invalid_case("not-utf8", 1);
    assert!(
        r.stderr
            .contains("content/abstracts/latin1.md:2:16: error: the file is not UTF-8")
    );
}

#[test]
fn duplicate_slug_names_both_files() {
    let (_, r) = invalid_case("duplicate-slug", 1);
    assert!(r.stderr.contains("content/abstracts/2019/rossiya.md"));
    assert!(r.stderr.contains("content/abstracts/2020/Россия.md"));
    assert!(r.stderr.contains("slug `rossiya`"));
}

#[test]
fn unresolved_at_link() {
    let (_, r) = invalid_case("unresolved-link", 1);
    assert!(r.stderr.contains(
        "content/abstracts/linker.md:9:27: error: unresolved link `@/abstracts/2019/missing.md`"
    ));
}

#[test]
fn free_page_colliding_with_the_periods_index() {
    let (_, r) = invalid_case("page-collision", 1);
    assert!(r.stderr.contains("`/periods/`"));
    assert!(r.stderr.contains("content/pages/periods.md"));
    assert!(r.stderr.contains("periods index"));
}

#[test]
fn alias_onto_a_real_page() {
    let (_, r) = invalid_case("alias-collision", 1);
    assert!(r.stderr.contains("`/abstracts/target/`"));
    assert!(r.stderr.contains("content/abstracts/target.md"));
    assert!(r.stderr.contains("content/abstracts/aliased.md"));
}

#[test]
fn alias_collision_points_at_the_alias() {
    let site = fixture("invalid/alias-collision");
    let r = site.check(&[]);
    let lines = diagnostic_lines(&r.stderr);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("content/abstracts/aliased.md:7:")),
        "{}",
        r.stderr
    );
}

#[test]
fn archive_template_syntax_error_names_file_and_line() {
    let (_, r) = invalid_case("template-syntax", 1);
    assert!(r.stderr.contains("templates/page.html:6:"), "{}", r.stderr);
}

#[test]
fn unknown_key_is_only_a_warning() {
    let (site, r) = invalid_case("unknown-key", 0);
    assert!(
        r.stderr
            .contains("content/abstracts/spheers.md:6:1: warning: unknown field `spheers`")
    );
    assert!(r.stderr.contains("did you mean `spheres`?"));
    // The build went through (invalid_case built it).
    assert!(site.out.join("index.html").is_file());
    let denied = site.check(&["--deny-warnings"]);
    assert_eq!(denied.code, 1, "{}", denied.stderr);
    assert!(denied.stderr.contains("unknown field `spheers`"));
}

#[test]
fn alias_bomb_is_a_quick_content_error() {
    // Not snapshotted: see `yaml_budget_error_message_is_whole` for the message.
    let site = fixture("invalid/alias-bomb");
    for args in [&["check"][..], &["build"][..]] {
        let started = Instant::now();
        let r = if args[0] == "check" {
            site.check(&[])
        } else {
            site.build(&[])
        };
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(!r.stderr.contains("panicked"));
        assert!(
            r.stderr.contains("content/abstracts/bomb.md:"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("not valid YAML"), "{}", r.stderr);
    }
}

#[test]
fn yaml_budget_error_message_is_whole() {
    let site = fixture("invalid/alias-bomb");
    let r = site.check(&[]);
    let line = diagnostic_lines(&r.stderr)[0];
    assert!(!line.trim_end().ends_with("(used"), "{line}");
    assert!(
        !line.contains('{'),
        "Debug formatting in the message: {line}"
    );
}

/// Sort key of a diagnostic header line: (path, line, column).
fn position(line: &str) -> (String, u32, u32) {
    let mut parts = line.splitn(4, ':');
    let path = parts.next().unwrap().to_string();
    let l = parts
        .next()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    let c = parts
        .next()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    (path, l, c)
}

const MANY_ERRORS: [&str; 8] = [
    "content/abstracts/a-first.md:1:1: error: missing required field `title`",
    "content/abstracts/a-first.md:3:7: error: `date`: `someday` is not a date",
    "content/abstracts/b-second.md:3:10: error: `authors` is empty",
    "content/abstracts/b-second.md:4:7: error: `date`: `2019-02-30` is not a date",
    "content/abstracts/b-second.md:6:18: error: coverage `from` (2019) is after `to` (2010)",
    "content/abstracts/c-third.md:5:11: error: unknown sphere `politcal`",
    "content/abstracts/d-fourth.md:9:45: error: unresolved link `@/abstracts/nowhere.md`",
    "content/periods/backwards.md:3:7: error: period `from` (2000) is after `to` (1990)",
];

fn assert_many_errors(stderr: &str) {
    let lines = diagnostic_lines(stderr);
    assert_eq!(lines.len(), MANY_ERRORS.len(), "{stderr}");
    for (got, want) in lines.iter().zip(MANY_ERRORS) {
        assert!(got.starts_with(want), "expected `{want}…`, got `{got}`");
    }
    let keys: Vec<_> = lines.iter().map(|l| position(l)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "diagnostics are sorted by path, line, column");
    assert!(
        stderr
            .trim_end()
            .ends_with("error: the archive has 8 errors; nothing was written")
    );
}

#[test]
fn all_problems_of_several_files_in_one_check() {
    let site = fixture("invalid/many-errors");
    let r = site.check(&[]);
    assert_eq!(r.code, 1);
    assert_many_errors(&r.stderr);
    insta::assert_snapshot!("invalid_many_errors", site.redact(&r.stderr));
}

#[test]
fn build_reports_every_problem_check_reports() {
    let site = fixture("invalid/many-errors");
    let r = site.build(&[]);
    assert_eq!(r.code, 1);
    assert_many_errors(&r.stderr);
}

#[test]
fn all_problems_of_one_file_are_reported() {
    let site = fixture("invalid/one-file-many-errors");
    for r in [site.check(&[]), site.build(&[])] {
        assert_eq!(r.code, 1);
        let lines = diagnostic_lines(&r.stderr);
        let path = "content/abstracts/everything-wrong.md";
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("{path}:4:7: error:"))),
            "{}",
            r.stderr
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("{path}:5:11: error: unknown sphere"))),
            "{}",
            r.stderr
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("{path}:9:"))
                    && l.contains("@/abstracts/nowhere.md")),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn json_format_names_path_line_and_column() {
    let site = fixture("invalid/many-errors");
    let r = site.check(&["--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc: serde_json::Value =
        serde_json::from_str(&r.stdout).expect("stdout is one JSON document");
    assert_eq!(doc["errors"], 8);
    assert_eq!(doc["warnings"], 0);
    let items = doc["diagnostics"].as_array().unwrap();
    assert_eq!(items.len(), 8);
    for (item, want) in items.iter().zip(MANY_ERRORS) {
        let (path, line, col) = position(want);
        assert_eq!(item["severity"], "error", "{item}");
        assert_eq!(item["path"], path.as_str(), "{item}");
        assert_eq!(item["line"], line, "{item}");
        assert_eq!(item["column"], col, "{item}");
        let message = item["message"].as_str().unwrap();
        let want_message = want.split_once(": error: ").unwrap().1;
        assert!(
            message.starts_with(want_message),
            "{message} vs {want_message}"
        );
    }
    let with_help = &items[5];
    assert_eq!(with_help["help"], "did you mean `political`?");
}

#[test]
fn json_format_of_a_warning() {
    let site = fixture("invalid/unknown-key");
    let r = site.check(&["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let item = &doc["diagnostics"][0];
    assert_eq!(item["severity"], "warning");
    assert_eq!(item["path"], "content/abstracts/spheers.md");
    assert_eq!(item["line"], 6);
    assert_eq!(item["column"], 1);
    let denied = site.check(&["--format", "json", "--deny-warnings"]);
    assert_eq!(denied.code, 1);
    serde_json::from_str::<serde_json::Value>(&denied.stdout).unwrap();
}

#[test]
fn json_format_of_a_valid_archive() {
    let site = fixture("template-override");
    let r = site.check(&["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["errors"], 0);
    assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn drafts_are_validated_even_when_left_out() {
    let site = fixture("basic");
    let rel = "content/abstracts/2010/draft-work.md";
    let text = std::fs::read_to_string(site.root.join(rel)).unwrap();
    site.write(
        rel,
        &text.replace("spheres: [economic]", "spheres: [economc]"),
    );
    let r = site.build(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/abstracts/2010/draft-work.md:5:11: error: unknown sphere `economc`"),
        "{}",
        r.stderr
    );
    assert_eq!(site.check(&[]).code, 1);
}

#[test]
fn basic_checks_with_one_expected_warning() {
    let site = fixture("basic");
    let r = site.check(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = diagnostic_lines(&r.stderr);
    assert_eq!(
        lines,
        [
            "content/abstracts/2005/no-period.md:1:1: warning: belongs to no period: it has neither `coverage` nor `periods`"
        ]
    );
    assert!(r.stderr.ends_with("the archive is valid (1 warning)\n"));
}

#[test]
fn crlf_and_bom_are_fine() {
    let site = fixture("basic");
    let rel = "content/abstracts/2015/customs-union.md";
    site.build_ok(&[]);
    let before = site.read_out("abstracts/customs-union/index.html");
    let text = std::fs::read_to_string(site.root.join(rel)).unwrap();
    site.write(rel, &format!("\u{feff}{}", text.replace('\n', "\r\n")));
    let r = site.check(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        diagnostic_lines(&r.stderr).len(),
        1,
        "only the no-period warning:\n{}",
        r.stderr
    );
    site.build_ok(&[]);
    assert_eq!(site.read_out("abstracts/customs-union/index.html"), before);
}

#[test]
fn editor_leftovers_are_ignored_and_other_files_warn() {
    let site = fixture("basic");
    for junk in [
        "content/abstracts/2015/customs-union.md~",
        "content/abstracts/2015/.customs-union.md.swp",
        "content/abstracts/2015/.#customs-union.md",
    ] {
        site.write(junk, "not front matter at all\n");
    }
    let r = site.check(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(diagnostic_lines(&r.stderr).len(), 1, "{}", r.stderr);
    site.write("content/abstracts/2015/notes.txt", "a stray file\n");
    let r = site.check(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = diagnostic_lines(&r.stderr);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("content/abstracts/2015/notes.txt") && l.contains("warning")),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn symlink_leading_outside_the_root_is_refused() {
    let site = fixture("basic");
    let outside = site.tmp().join("outside.md");
    std::fs::write(
        &outside,
        "---\ntitle: Outside\nauthors: [X]\ndate: 2019\nspheres: [political]\nperiods: [formation]\n---\n\nSecret.\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, site.root.join("content/abstracts/outside.md")).unwrap();
    let r = site.build(&[]);
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/abstracts/outside.md"),
        "{}",
        r.stderr
    );
    assert!(!site.out.join("abstracts/outside").exists());
}

#[test]
fn a_body_with_hundreds_of_dead_links_lists_a_hundred_and_counts_the_rest() {
    let site = crate::support::fixture("basic");
    let links: Vec<String> = (0..130)
        .map(|i| format!("[x{i}](/rk/nothing-{i}/)"))
        .collect();
    site.write(
        "content/abstracts/2024/links.md",
        &format!(
            "---\ntitle: Links\nauthors: [X]\ndate: 2024\nspheres: [humanitarian]\n---\n{}\n",
            links.join(" ")
        ),
    );
    let r = site.check(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let listed = r.stderr.matches("warning: dead internal link").count();
    assert_eq!(listed, 100, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "content/abstracts/2024/links.md: warning: 30 more dead internal links in this file"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn a_dead_link_to_a_markdown_file_suggests_its_source_link() {
    let site = crate::support::fixture("basic");
    site.write(
        "content/abstracts/2024/links.md",
        "---\ntitle: Links\nauthors: [X]\ndate: 2024\nspheres: [humanitarian]\n---\n\
         [a](../2001/oil-and-gas.md#coda) [b](/content/abstracts/2001/oil-and-gas.md) [c](gone.md)\n",
    );
    let r = site.check(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let helps: Vec<&str> = r
        .stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix("= help: "))
        .filter(|h| h.contains("`@/"))
        .collect();
    assert_eq!(
        helps,
        [
            "to link to that file, write `@/abstracts/2001/oil-and-gas.md#coda`: dyad turns it into the page's URL",
            "to link to that file, write `@/abstracts/2001/oil-and-gas.md`: dyad turns it into the page's URL",
            "to link to another file of the archive, write `@/` and its path under content/, e.g. `@/abstracts/2019/x.md`",
        ],
        "{}",
        r.stderr
    );
}
