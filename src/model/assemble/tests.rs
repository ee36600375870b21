use super::*;
use crate::source::{Section, parse};

fn config() -> Config {
    let mut d = Diagnostics::new();
    crate::config::parse("title: T\nbase_url: https://example.org/rk/\n", &mut d).unwrap()
}

fn period(id: &str, from: &str, to: Option<&str>) -> Parsed {
    let to = to.map(|t| format!("to: {t}\n")).unwrap_or_default();
    parse(
        &format!("content/periods/{id}.md"),
        Section::Period,
        format!("---\ntitle: {id}\nfrom: {from}\n{to}---\n"),
        &[],
    )
}

fn sphere(id: &str) -> Parsed {
    parse(
        &format!("content/spheres/{id}.md"),
        Section::Sphere,
        format!("---\ntitle: {id}\n---\n"),
        &[],
    )
}

fn work(stem: &str, fm: &str) -> Parsed {
    let p = parse(
        &format!("content/abstracts/{stem}.md"),
        Section::Abstract,
        format!("---\n{fm}---\nBody.\n"),
        &[],
    );
    assert!(p.diags.is_empty(), "{:?}", p.diags);
    p
}

fn repo_periods() -> Vec<Parsed> {
    vec![
        period("formation", "1991-12", Some("1999-12")),
        period("partnership", "2000-01", Some("2014-02")),
        period("post-crimea-1", "2014-03", Some("2016-07")),
        period("post-crimea-2", "2016-08", Some("2019-03")),
        period("transit", "2019-03", Some("2022-01")),
        period("after-2022", "2022-02", None),
    ]
}

fn build(files: Vec<Parsed>) -> (Archive, Diagnostics) {
    let mut d = Diagnostics::new();
    let files: Vec<std::sync::Arc<Parsed>> = files.into_iter().map(std::sync::Arc::new).collect();
    let a = assemble(config(), &files, Drafts::Exclude, &mut d);
    (a, d)
}

fn periods_of(a: &Archive, slug: &str) -> Vec<String> {
    let w = a.abstracts.iter().find(|w| w.slug == slug).unwrap();
    w.periods
        .iter()
        .map(|&p| a.periods[p as usize].id.clone())
        .collect()
}

#[test]
fn the_founding_article_and_the_long_book() {
    let mut files = repo_periods();
    files.push(sphere("political"));
    files.push(work("founding", "title: F\nauthors: unknown\ndate: unknown\nspheres: [political]\ncoverage: {from: 2016-08, to: 2019-03}\n"));
    files.push(work("book", "title: B\nauthors: [A]\ndate: 2020\nspheres: [political]\ncoverage: {from: 1991, to: 2019}\n"));
    let (a, d) = build(files);
    assert!(!d.has_errors(), "{d:?}");
    assert_eq!(periods_of(&a, "founding"), ["post-crimea-2"]);
    assert_eq!(
        periods_of(&a, "book"),
        ["formation", "partnership", "post-crimea-1", "post-crimea-2"]
    );
    // Cross lists follow membership.
    assert_eq!(a.cross(3, 0).len(), 2);
    assert_eq!(a.cross(4, 0).len(), 0);
}

#[test]
fn explicit_periods_win_and_are_checked() {
    let mut files = repo_periods();
    files.push(sphere("political"));
    files.push(work("a", "title: A\nauthors: [X]\ndate: 2020\nspheres: [political]\ncoverage: {from: 1991, to: 2019}\nperiods: [transit]\n"));
    files.push(work(
        "b",
        "title: B\nauthors: [X]\ndate: 2020\nspheres: [political]\nperiods: [transt]\n",
    ));
    let (a, d) = build(files);
    assert_eq!(periods_of(&a, "a"), ["transit"]);
    let e: Vec<_> = d.iter().filter(|d| d.is_error()).collect();
    assert_eq!(e.len(), 1);
    assert!(e[0].message.contains("unknown period `transt`"));
    assert_eq!(e[0].help.as_deref(), Some("did you mean `transit`?"));
    assert_eq!(e[0].span.map(|s| (s.line, s.col)), Some((6, 11)));
}

#[test]
fn unknown_sphere_points_at_the_value() {
    let files = vec![
        sphere("energy"),
        sphere("political"),
        work(
            "a",
            "title: A\nauthors: [X]\ndate: 2020\nspheres: [political, enrgy]\n",
        ),
    ];
    let (_, d) = build(files);
    let e = d.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(
        e.message,
        "unknown sphere `enrgy` (no content/spheres/enrgy.md)"
    );
    assert_eq!(e.span.map(|s| (s.line, s.col, s.len)), Some((5, 22, 5)));
    assert_eq!(e.help.as_deref(), Some("did you mean `energy`?"));
}

#[test]
fn no_period_is_a_warning() {
    let (a, d) = build(vec![
        sphere("political"),
        work(
            "a",
            "title: A\nauthors: [X]\ndate: 2020\nspheres: [political]\n",
        ),
    ]);
    assert_eq!(a.abstracts.len(), 1);
    assert!(!d.has_errors());
    assert!(d.iter().any(|d| d.message.contains("belongs to no period")));
}

#[test]
fn duplicate_slugs_name_both_files() {
    let files = vec![
        sphere("political"),
        work(
            "2019/russia",
            "title: A\nauthors: [X]\ndate: 2020\nspheres: [political]\n",
        ),
        work(
            "2020/Россия",
            "title: B\nauthors: [X]\ndate: 2020\nspheres: [political]\nslug: russia\n",
        ),
    ];
    let (_, d) = build(files);
    let e = d.iter().find(|d| d.is_error()).unwrap();
    assert!(
        e.message
            .contains("slug `russia` is already used by `content/abstracts/2019/russia.md`"),
        "{}",
        e.message
    );
    assert_eq!(e.path, "content/abstracts/2020/Россия.md");
}

#[test]
fn listing_order_newest_first_then_precision_then_title() {
    let files = vec![
        sphere("political"),
        work(
            "a",
            "title: Beta\nauthors: [X]\ndate: 2019\nspheres: [political]\n",
        ),
        work(
            "b",
            "title: Alpha\nauthors: [X]\ndate: 2019\nspheres: [political]\n",
        ),
        work(
            "c",
            "title: C\nauthors: [X]\ndate: 2019-12-31\nspheres: [political]\n",
        ),
        work(
            "d",
            "title: D\nauthors: [X]\ndate: unknown\nspheres: [political]\n",
        ),
        work(
            "e",
            "title: E\nauthors: [X]\ndate: 2020-01\nspheres: [political]\n",
        ),
    ];
    let (a, _) = build(files);
    let order: Vec<_> = a.abstracts.iter().map(|w| w.slug.as_str()).collect();
    assert_eq!(order, ["e", "c", "b", "a", "d"]);
}

#[test]
fn facets_distinct_values_keep_distinct_pages() {
    let files = vec![
        sphere("political"),
        work(
            "a",
            "title: A\nauthors: [Сүлейменов О.]\ndate: 2019\nspheres: [political]\nkeywords: [Energy, gas]\n",
        ),
        work(
            "b",
            "title: B\nauthors: [Сулейменов О.,  Сүлейменов  О.]\ndate: 2018\nspheres: [political]\nkeywords: [energy]\n",
        ),
    ];
    let (a, d) = build(files);
    assert!(!d.has_errors(), "{d:?}");
    let authors = a.facet(FacetName::Authors);
    assert_eq!(authors.len(), 2);
    assert_ne!(authors[0].slug, authors[1].slug);
    let suleimenov = authors.iter().find(|v| v.name == "Сүлейменов О.").unwrap();
    assert_eq!(suleimenov.members.len(), 2);
    let kw = a.facet(FacetName::Keywords);
    assert_eq!(kw.len(), 2);
    let energy = kw
        .iter()
        .find(|v| v.name.eq_ignore_ascii_case("energy"))
        .unwrap();
    assert_eq!(energy.members, vec![0, 1]);
    assert_eq!(energy.name, "Energy");
}

#[test]
fn drafts_are_validated_but_left_out() {
    let files = vec![
        sphere("political"),
        work(
            "a",
            "title: A\nauthors: [X]\ndate: 2019\nspheres: [political]\ndraft: true\n",
        ),
    ];
    let (a, _) = build(files.clone());
    assert_eq!(a.abstracts.len(), 0);
    let mut d = Diagnostics::new();
    let files: Vec<std::sync::Arc<Parsed>> = files.into_iter().map(std::sync::Arc::new).collect();
    let a = assemble(config(), &files, Drafts::Include, &mut d);
    assert_eq!(a.abstracts.len(), 1);
}

#[test]
fn membership_does_not_depend_on_file_order() {
    let mut files = repo_periods();
    files.push(sphere("political"));
    files.push(work("x", "title: X\nauthors: [A]\ndate: 2020\nspheres: [political]\ncoverage: {from: 2014, to: 2019}\n"));
    let (a, _) = build(files.clone());
    files.reverse();
    let (b, _) = build(files);
    assert_eq!(periods_of(&a, "x"), periods_of(&b, "x"));
}
