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

    // A period listed twice counts once, with a warning at the second.
    let mut files = repo_periods();
    files.push(sphere("political"));
    files.push(work("c", "title: C\nauthors: [X]\ndate: 2020\nspheres: [political]\nperiods: [transit, formation, transit]\n"));
    let (a, d) = build(files);
    assert_eq!(periods_of(&a, "c"), ["formation", "transit"]);
    let w: Vec<_> = d
        .iter()
        .map(|d| (d.is_error(), d.message.as_str(), d.span.map(|s| s.col)))
        .collect();
    assert_eq!(w, [(false, "period `transit` is listed twice", Some(31))]);
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
fn file_names_alike_but_for_unicode_normalization_are_explained() {
    let head = "title: A\nauthors: [X]\ndate: 2020\nspheres: [political]\n";
    let (_, d) = build(vec![
        sphere("political"),
        work("caf\u{e9}", head),
        work("cafe\u{301}", head),
    ]);
    let e = d.iter().find(|d| d.is_error()).expect("a slug error");
    assert!(
        e.message.contains("slug `cafe` is already used"),
        "{}",
        e.message
    );
    let help = e.help.as_deref().unwrap_or_default();
    assert!(help.contains("different Unicode forms"), "{help}");
    assert!(help.contains("`slug:`"), "{help}");
    // Names that differ otherwise get the plain hint.
    let (_, d) = build(vec![
        sphere("political"),
        work("cafe", head),
        work("caf\u{e9}", head),
    ]);
    let e = d.iter().find(|d| d.is_error()).expect("a slug error");
    let help = e.help.as_deref().unwrap_or_default();
    assert!(!help.contains("Unicode"), "{help}");
    assert!(help.starts_with("two works cannot share a URL"), "{help}");
}

#[test]
fn a_long_explicit_slug_that_is_not_ascii_is_reported_not_a_panic() {
    // Found by the abstract_file fuzzer: the "too long" message cut the slug inside a letter.
    let head = format!(
        "title: A\nauthors: [X]\ndate: 2020\nspheres: [political]\nslug: u{}\n",
        "л".repeat(150) // byte 40 falls inside a letter
    );
    // Parsing reports the slug as invalid and still hands it on; assembling must cope.
    let file = parse(
        "content/abstracts/ok.md",
        Section::Abstract,
        format!("---\n{head}---\nBody.\n"),
        &[],
    );
    assert!(!file.diags.is_empty());
    let (a, d) = build(vec![sphere("political"), file]);
    assert!(a.abstracts.is_empty());
    let messages: Vec<&str> = d
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("characters long")),
        "{messages:?}"
    );
}

#[test]
fn a_slug_too_long_for_a_file_name_is_an_error() {
    let head = "title: A\nauthors: [X]\ndate: 2020\nspheres: [political]\n";
    let long = "щ".repeat(60); // 120 bytes in the file name, 240 in the slug (`shch` each)
    let (a, d) = build(vec![sphere("political"), work(&long, head)]);
    assert!(a.abstracts.is_empty());
    let e = d.iter().find(|d| d.is_error()).expect("an error");
    assert!(
        e.message.contains("is 240 characters long"),
        "{}",
        e.message
    );
    assert!(e.help.as_deref().is_some_and(|h| h.contains("`slug:")));
    // An explicit slug that long is pointed at.
    let slug = format!("{head}slug: {}\n", "x".repeat(201));
    let (_, d) = build(vec![sphere("political"), work("ok", &slug)]);
    let e = d.iter().find(|d| d.is_error()).expect("an error");
    assert!(e.message.contains("201 characters"), "{}", e.message);
    assert!(e.span.is_some());
    // At the limit, fine.
    let (a, d) = build(vec![sphere("political"), work(&"y".repeat(200), head)]);
    assert_eq!(a.abstracts.len(), 1, "{d:?}");
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

/// Property tests: `cargo test --lib model::assemble::tests::props`.
mod props {
    use super::*;
    use crate::model::dates::PartialDate;
    use crate::model::prop_config;
    use proptest::prelude::*;

    /// A date between 1985 and 2025 as the archive writes it: `YYYY` or `YYYY-MM`.
    fn written_date() -> impl Strategy<Value = String> {
        (1985..=2025i32, prop::option::of(1..=12u8)).prop_map(|(y, m)| match m {
            Some(m) => format!("{y}-{m:02}"),
            None => y.to_string(),
        })
    }

    /// Two written dates, the one with the earlier first day first: a valid `from`/`to` pair.
    fn span() -> impl Strategy<Value = (String, String)> {
        (written_date(), written_date()).prop_map(|(a, b)| {
            let first = |s: &String| PartialDate::parse(s).unwrap().first_day();
            if first(&a) <= first(&b) {
                (a, b)
            } else {
                (b, a)
            }
        })
    }

    #[derive(Clone, Debug)]
    enum Membership {
        Coverage(String, String),
        Periods(Vec<usize>),
        Neither,
    }

    #[derive(Clone, Debug)]
    struct WorkSpec {
        title: &'static str,
        date: String,
        spheres: Vec<usize>,
        membership: Membership,
        draft: bool,
    }

    fn work_spec(periods: usize) -> impl Strategy<Value = WorkSpec> {
        (
            // Few titles and dates: ties, so the listing order falls back to the slug.
            prop::sample::select(vec!["Alpha", "Beta", "Ёлка", "Ärger", "alpha"]),
            prop_oneof![Just("unknown".to_string()), written_date()],
            prop::sample::subsequence(vec![0usize, 1, 2], 1..=3),
            prop_oneof![
                6 => span().prop_map(|(f, t)| Membership::Coverage(f, t)),
                2 => prop::collection::vec(0..periods, 1..=3).prop_map(Membership::Periods),
                1 => Just(Membership::Neither),
            ],
            prop::bool::weighted(0.1),
        )
            .prop_map(|(title, date, spheres, membership, draft)| WorkSpec {
                title,
                date,
                spheres,
                membership,
                draft,
            })
    }

    /// An archive: periods (some ongoing), works, a shuffled order of all their files and,
    /// for each work, two folders to put it in (so paths sort differently in the two builds).
    type Spec = (
        Vec<((String, String), bool)>,
        Vec<WorkSpec>,
        Vec<usize>,
        Vec<(u8, u8)>,
    );

    fn archive_spec() -> impl Strategy<Value = Spec> {
        (1..=6usize, 1..=24usize).prop_flat_map(|(np, nw)| {
            (
                prop::collection::vec((span(), prop::bool::weighted(0.2)), np),
                prop::collection::vec(work_spec(np), nw),
                Just((0..np + nw + 3).collect::<Vec<usize>>()).prop_shuffle(),
                prop::collection::vec((0..4u8, 0..4u8), nw),
            )
        })
    }

    /// The files of the archive, in the order `order` gives; work `i` lives in the folder
    /// `dirs[i]` picks (`first` or second of the pair).
    fn files(spec: &Spec, order: &[usize], first: bool) -> Vec<Parsed> {
        let (periods, works, _, dirs) = spec;
        let mut all: Vec<Parsed> = Vec::new();
        for (i, ((from, to), ongoing)) in periods.iter().enumerate() {
            all.push(period(
                &format!("p{i}"),
                from,
                (!ongoing).then_some(to.as_str()),
            ));
        }
        for (i, w) in works.iter().enumerate() {
            let spheres: Vec<String> = w.spheres.iter().map(|s| format!("s{s}")).collect();
            let mut fm = format!(
                "title: {}\nauthors: [A]\ndate: {}\nspheres: [{}]\n",
                w.title,
                w.date,
                spheres.join(", ")
            );
            match &w.membership {
                Membership::Coverage(f, t) => fm += &format!("coverage: {{from: {f}, to: {t}}}\n"),
                Membership::Periods(ps) => {
                    let ids: Vec<String> = ps.iter().map(|p| format!("p{p}")).collect();
                    fm += &format!("periods: [{}]\n", ids.join(", "));
                }
                Membership::Neither => {}
            }
            if w.draft {
                fm += "draft: true\n";
            }
            let (a, b) = dirs[i];
            let dir = ["", "z/", "a/b/", "0/"][usize::from(if first { a } else { b })];
            all.push(work(&format!("{dir}w{i:02}"), &fm));
        }
        for s in 0..3 {
            all.push(sphere(&format!("s{s}")));
        }
        let mut slots: Vec<Option<Parsed>> = all.into_iter().map(Some).collect();
        order.iter().map(|&i| slots[i].take().unwrap()).collect()
    }

    /// What membership and listing order look like, by ids and slugs only.
    #[derive(Debug, PartialEq)]
    struct View {
        works: Vec<(String, Vec<String>, Vec<String>)>,
        periods: Vec<(String, Vec<String>)>,
        spheres: Vec<(String, Vec<String>)>,
        cross: Vec<Vec<String>>,
    }

    fn view(a: &Archive) -> View {
        let slugs = |ids: &[AbstractId]| -> Vec<String> {
            ids.iter().map(|&i| a.work(i).slug.clone()).collect()
        };
        View {
            works: (a.abstracts.iter())
                .map(|w| {
                    (
                        w.slug.clone(),
                        w.periods
                            .iter()
                            .map(|&p| a.periods[p as usize].id.clone())
                            .collect(),
                        w.spheres
                            .iter()
                            .map(|&s| a.spheres[s as usize].id.clone())
                            .collect(),
                    )
                })
                .collect(),
            periods: (a.periods.iter())
                .map(|p| (p.id.clone(), slugs(&p.members)))
                .collect(),
            spheres: (a.spheres.iter())
                .map(|s| (s.id.clone(), slugs(&s.members)))
                .collect(),
            cross: a.cross.iter().map(|c| slugs(c)).collect(),
        }
    }

    proptest! {
        #![proptest_config(prop_config(200))]

        #[test]
        fn prop_membership_never_depends_on_file_order(spec in archive_spec()) {
            let identity: Vec<usize> = (0..spec.2.len()).collect();
            let (a, da) = build(files(&spec, &identity, true));
            let (b, db) = build(files(&spec, &spec.2, false));
            prop_assert!(!da.has_errors(), "{:?}", da);
            prop_assert!(!db.has_errors(), "{:?}", db);
            prop_assert_eq!(view(&a), view(&b));
            // And membership is what the rule (or the explicit list) says.
            let works = &spec.1;
            for (i, w) in works.iter().enumerate().filter(|(_, w)| !w.draft) {
                let slug = format!("w{i:02}");
                let expected: Vec<String> = match &w.membership {
                    Membership::Neither => vec![],
                    Membership::Periods(ps) => {
                        let mut ps = ps.clone();
                        ps.sort_unstable();
                        ps.dedup();
                        // Periods are listed in time order, not by id.
                        let mut ids: Vec<String> = ps.iter().map(|p| format!("p{p}")).collect();
                        let order: Vec<&String> = a.periods.iter().map(|p| &p.id).collect();
                        ids.sort_by_key(|id| order.iter().position(|o| *o == id));
                        ids
                    }
                    Membership::Coverage(f, t) => {
                        let cov = crate::model::dates::Interval::from_dates(
                            PartialDate::parse(f).unwrap(),
                            Some(PartialDate::parse(t).unwrap()),
                        );
                        a.periods
                            .iter()
                            .filter(|p| crate::model::periods::is_member(cov, p.interval()))
                            .map(|p| p.id.clone())
                            .collect()
                    }
                };
                let got = &view(&a).works.iter().find(|x| x.0 == slug).unwrap().1.clone();
                prop_assert_eq!(got, &expected, "{}", slug);
            }
        }
    }
}

#[test]
fn a_bad_file_name_is_reported_beside_bad_fields() {
    // `Later.md` is not a valid id, and its dates are the wrong way round: both are errors of
    // one build, whether or not the front matter could be read.
    let later = period("Later", "2010", Some("2005"));
    assert!(later.record.is_none() && !later.diags.is_empty());
    let (a, d) = build(vec![
        later,
        sphere("page"),
        sphere("Energy"),
        sphere("political"),
    ]);
    let names: Vec<_> = d
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.message.as_str(), d.help.as_deref().unwrap_or("")))
        .collect();
    assert!(
        names.contains(&(
            "`Later` is not a valid id: the file name must be lowercase ASCII letters, digits and `-`",
            "rename the file to `later.md`"
        )),
        "{names:?}"
    );
    assert!(
        names.contains(&(
            "sphere id `page` is reserved: `/periods/<period>/page/` is used by dyad's own pages",
            "rename the file, e.g. to `pages.md`"
        )),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .any(|(m, _)| m.starts_with("`Energy` is not a valid id"))
    );
    assert_eq!(names.len(), 3, "{names:?}");
    let ids: Vec<_> = a.spheres.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["political"]);
}

#[test]
fn a_doi_used_twice_is_a_warning_at_the_second() {
    let (a, d) = build(vec![
        sphere("political"),
        work(
            "a",
            "title: A\nauthors: [X]\ndate: 2020\nspheres: [political]\ndoi: 10.1000/Same\n",
        ),
        work(
            "b",
            "title: B\nauthors: [X]\ndate: 2020\nspheres: [political]\ndoi: https://doi.org/10.1000/same\n",
        ),
        work(
            "c",
            "title: C\nauthors: [X]\ndate: 2020\nspheres: [political]\ndoi: 10.1000/other\n",
        ),
    ]);
    assert_eq!(a.abstracts.len(), 3, "both stay: it is a warning");
    let w: Vec<_> = d
        .iter()
        .filter(|d| d.message.contains("DOI"))
        .map(|d| {
            (
                d.is_error(),
                d.path.as_str(),
                d.message.as_str(),
                d.span.map(|s| (s.line, s.col)),
            )
        })
        .collect();
    assert_eq!(
        w,
        [(
            false,
            "content/abstracts/b.md",
            "DOI `10.1000/same` is also the DOI of `content/abstracts/a.md`",
            Some((6, 6))
        )]
    );
}
