use super::*;

fn archive() -> Archive {
    crate::model::test_archive(
        "https://example.org/rk/",
        &[
            ("spheres/energy.md", "title: Energy\n"),
            ("spheres/culture.md", "title: Culture\n"),
            (
                "periods/transit.md",
                "title: Transit\nfrom: 1991\nto: 1999\n",
            ),
            (
                "abstracts/gas.md",
                "title: Gas pipelines\nauthors: [Ann Lee]\ndate: 1996\ncoverage: {from: 1992, to: 1995}\nspheres: [energy]\nkeywords: [gas]\nlanguage: en\n",
            ),
            // A Russian work with an English abstract is indexed in English.
            (
                "abstracts/transit.md",
                "title: Transit\ndate: 1997\nspheres: [energy]\nlanguage: ru\nabstract_language: en\n",
            ),
            // A Kazakh work without `abstract_language`: the abstract is in Kazakh.
            (
                "abstracts/kazakh.md",
                "title: Тіл туралы\ndate: 2002\nspheres: [culture]\nlanguage: kk\n",
            ),
            (
                "abstracts/neft.md",
                "title: Нефтяные трубопроводы\nauthors: [Иван Петров]\ndate: 1998-05\ncoverage: {from: 1993, to: 1997}\nspheres: [energy, culture]\nabstract_language: ru\nlanguage: ru\n",
            ),
            (
                "abstracts/til.md",
                "title: Тіл саясаты\ndate: 2001\nspheres: [culture]\nabstract_language: kk-Cyrl\n",
            ),
        ],
    )
}

#[test]
fn language_key_is_the_primary_subtag_in_lower_case() {
    assert_eq!(language_key("kk-Cyrl"), "kk");
    assert_eq!(language_key("RU"), "ru");
    assert_eq!(language_key("en"), "en");
}

#[test]
fn one_bundle_per_language_with_the_interface_language_first() {
    let a = archive();
    let (b, stats) = bundles(&a, None).expect("indexing succeeds");
    assert_eq!((stats.indexed, stats.cached), (3, 0));
    assert_eq!(languages(&a), ["en", "kk", "ru"]);
    for lang in &languages(&a) {
        for name in ["pagefind.js", "pagefind-worker.js", "pagefind-entry.json"] {
            let path = format!("pagefind/{lang}/0/{name}");
            assert!(
                b.iter().any(|(p, _)| *p == path),
                "{path} missing from {:?}",
                b.iter().map(|f| &f.0).collect::<Vec<_>>()
            );
        }
        let entry = &b
            .iter()
            .find(|(p, _)| *p == format!("pagefind/{lang}/0/pagefind-entry.json"))
            .unwrap()
            .1;
        let entry: serde_json::Value = serde_json::from_slice(entry).unwrap();
        let languages = entry["languages"].as_object().unwrap();
        assert_eq!(
            languages.keys().collect::<Vec<_>>(),
            [lang],
            "each bundle holds its own language only"
        );
        let expected = if lang == "ru" { 1 } else { 2 };
        assert_eq!(languages[lang]["page_count"], expected, "{lang}");
    }
    // The stock interfaces are not published: the search page has its own.
    assert!(!b.iter().any(|(p, _)| p.contains("-ui.")));
    let mut sorted = b.iter().map(|f| &f.0).collect::<Vec<_>>();
    sorted.sort();
    assert_eq!(sorted, b.iter().map(|f| &f.0).collect::<Vec<_>>());
}

#[test]
fn records_carry_text_metadata_and_every_facet_as_a_filter() {
    let a = archive();
    let id = a.abstracts.iter().position(|w| w.slug == "neft").unwrap() as AbstractId;
    let r = record(&a, id);
    assert_eq!(r.url, "abstracts/neft/");
    assert_eq!(r.content, "Body.");
    assert_eq!(r.meta["title"], "Нефтяные трубопроводы");
    assert_eq!(r.meta["year"], "1998");
    assert_eq!(r.meta["spheres"], "Energy, Culture");
    assert_eq!(r.meta["periods"], "Transit");
    assert_eq!(r.filters["sphere"], ["energy", "culture"]);
    assert_eq!(r.filters["period"], ["transit"]);
    assert_eq!(r.filters["author"], ["Иван Петров"]);
    assert_eq!(r.filters["language"], ["ru"]);
    assert_eq!(r.filters["year"], ["1998"]);
    assert_eq!(r.sort["date"], "1998-05-01");
    assert_eq!(indexed_language(&a, id), "ru");
}

#[test]
fn content_is_escaped_for_the_excerpts() {
    assert_eq!(escape_html("a <b> & c"), "a &lt;b&gt; &amp; c");
}

#[test]
fn an_empty_archive_gets_no_bundle() {
    // Pagefind cannot load a bundle without records ("No language indexes found"): the
    // search page is given no bundle and says there is nothing to search.
    let a = crate::model::test_archive("https://example.org/", &[]);
    let (b, _) = bundles(&a, None).expect("indexing succeeds");
    assert_eq!(languages(&a), ["en"]);
    assert!(folders(&a).is_empty());
    assert!(b.is_empty());
}

#[test]
fn unchanged_shards_come_from_the_cache_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let a = archive();
    let (first, s1) = bundles(&a, Some(dir.path())).unwrap();
    assert_eq!((s1.indexed, s1.cached), (3, 0));
    let (again, s2) = bundles(&a, Some(dir.path())).unwrap();
    assert_eq!((s2.indexed, s2.cached), (0, 3));
    assert_eq!(first, again);
    // An edit to one work indexes its shard again, and only that one.
    let mut edited = a.clone();
    let id = edited
        .abstracts
        .iter()
        .position(|w| w.slug == "neft")
        .unwrap();
    edited.abstracts[id].title = "Нефть".into();
    let (changed, s3) = bundles(&edited, Some(dir.path())).unwrap();
    assert_eq!((s3.indexed, s3.cached), (1, 2));
    assert_ne!(changed, first);
    let (fresh, _) = bundles(&edited, None).unwrap();
    assert_eq!(changed, fresh, "a cached build equals a fresh one");
}

#[test]
fn shards_split_large_languages_by_slug() {
    let mut files: Vec<(String, String)> = vec![("spheres/s.md".into(), "title: S\n".into())];
    for i in 0..(SHARD_SIZE + 10) {
        files.push((
            format!("abstracts/w{i}.md"),
            format!("title: W{i}\ndate: 2000\nspheres: [s]\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, f)| (p.as_str(), f.as_str()))
        .collect();
    let a = crate::model::test_archive("https://example.org/", &refs);
    let shards = shards(&a);
    assert_eq!(shards.len(), 2);
    assert_eq!(
        shards.iter().map(|s| s.ids.len()).sum::<usize>(),
        SHARD_SIZE + 10
    );
    assert!(shards.iter().all(|s| s.ids.len() > SHARD_SIZE / 3));
    assert_eq!(
        folders(&a),
        [(
            "en".to_string(),
            vec!["pagefind/en/0/".to_string(), "pagefind/en/1/".to_string()]
        )]
    );
}

#[test]
fn each_shard_goes_to_the_sink_once_and_a_sink_error_stops_the_indexing() {
    let a = archive();
    let seen = std::sync::Mutex::new(Vec::new());
    let stats = bundles_into(&a, None, None, &|files| {
        // `pagefind/<lang>/<n>`: the first three segments of any of its paths.
        let folder = files[0]
            .0
            .splitn(4, '/')
            .take(3)
            .collect::<Vec<_>>()
            .join("/");
        assert!(
            files.iter().all(|(p, _)| p.starts_with(&folder)),
            "{folder}"
        );
        seen.lock().unwrap().push(folder);
        Ok(())
    })
    .expect("indexing succeeds");
    let mut seen = seen.into_inner().unwrap();
    seen.sort();
    assert_eq!(seen, ["pagefind/en/0", "pagefind/kk/0", "pagefind/ru/0"]);
    assert_eq!(stats.indexed, 3);

    let calls = std::sync::atomic::AtomicUsize::new(0);
    let r = bundles_into(&a, None, None, &|_| {
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Err("disk full".to_string())
    });
    assert_eq!(r.unwrap_err(), Stop::Sink("disk full".to_string()));
    // Two indexers: each may have finished one shard before the first error was seen.
    assert!(calls.into_inner() <= INDEXERS);
}

#[test]
fn a_closed_gate_holds_back_all_indexers_but_one_until_it_opens() {
    let a = archive();
    let gate = Gate::default();
    let threads = std::sync::Mutex::new(Vec::new());
    // The gate is never opened from outside: the run ends all the same, because the indexer
    // that found no shard left lets the others go.
    let stats = bundles_into(&a, None, Some(&gate), &|_| {
        let mut seen = threads.lock().unwrap();
        seen.push(std::thread::current().id());
        let first = seen.len() == 1;
        drop(seen);
        // Time enough for a second indexer, were it not held back, to take the next shard
        // (on a one-core machine there is no second indexer and this proves nothing).
        if first {
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
        Ok(())
    })
    .expect("indexing succeeds");
    assert_eq!(stats.indexed, 3);
    // Every shard was indexed while the gate was closed, so by one and the same thread.
    let seen = threads.into_inner().unwrap();
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|t| *t == seen[0]), "{seen:?}");

    // Opened beforehand (as by the guard when rendering ends or panics), the run ends too.
    let gate = Gate::default();
    drop(OpenOnDrop(&gate));
    let stats = bundles_into(&a, None, Some(&gate), &|_| Ok(())).expect("indexing succeeds");
    assert_eq!(stats.indexed, 3);
}
