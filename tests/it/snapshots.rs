//! Snapshots of the `basic` fixture: the `<main>` part of chosen pages (the page chrome changes
//! too often to snapshot everywhere) and the sorted list of output files.

use crate::support::{fixture, main_part, tree};

/// Builds `basic` and returns the `<main>` part of each page in `rels`.
fn mains(rels: &[&str]) -> Vec<String> {
    let site = fixture("basic");
    site.build_ok(&[]);
    rels.iter()
        .map(|rel| main_part(&site.read_out(rel)).to_string())
        .collect()
}

fn main_of(rel: &str) -> String {
    mains(&[rel]).remove(0)
}

#[test]
fn home_main() {
    insta::assert_snapshot!("home_main", main_of("index.html"));
}

#[test]
fn timeline_main() {
    insta::assert_snapshot!("timeline_main", main_of("timeline/index.html"));
}

#[test]
fn abstract_main() {
    insta::assert_snapshot!(
        "abstract_main",
        main_of("abstracts/eurasian-integration/index.html")
    );
}

#[test]
fn unknown_author_and_date_main() {
    insta::assert_snapshot!(
        "unknown_author_and_date_main",
        main_of("abstracts/founding/index.html")
    );
}

#[test]
fn period_main() {
    insta::assert_snapshot!("period_main", main_of("periods/after-2014/index.html"));
}

#[test]
fn cross_main() {
    insta::assert_snapshot!(
        "cross_main",
        main_of("periods/partnership/economic/index.html")
    );
}

#[test]
fn sphere_main_with_works_in_no_period() {
    insta::assert_snapshot!("sphere_main", main_of("spheres/humanitarian/index.html"));
}

#[test]
fn authors_index_main() {
    insta::assert_snapshot!("authors_index_main", main_of("authors/index.html"));
}

#[test]
fn output_files() {
    let site = fixture("basic");
    site.build_ok(&[]);
    // The search bundles' file names carry content hashes: listed by kind, not by name.
    let mut files: Vec<String> = tree(&site.out)
        .into_keys()
        .map(|f| match f.strip_prefix("pagefind/") {
            Some(rest) => {
                let (folder, name) = rest.rsplit_once('/').unwrap_or(("", rest));
                let kind = match name.rsplit_once('.') {
                    Some((_, ext)) if ext.starts_with("pf_") => format!("….{ext}"),
                    _ => name.to_string(),
                };
                format!("pagefind/{folder}/{kind}")
            }
            None => f,
        })
        .collect();
    files.dedup();
    insta::assert_snapshot!("output_files", files.join("\n"));
}
