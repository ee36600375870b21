//! `dyad watch` in a real browser: headless Chromium driven through WebDriver (chromedriver,
//! fantoccini). Skipped with a notice when Chromium or chromedriver is missing, except under
//! `CI=true`, where missing browsers fail the test (`.ci/run` installs Debian's `chromium` and
//! `chromium-driver`).

use crate::support::fixture;
use crate::watch::Watch;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn find(env: &str, candidates: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    candidates.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// Chromium and chromedriver, or None (the test is skipped) — but never None under CI.
fn browsers() -> Option<(PathBuf, PathBuf)> {
    let chrome = find(
        "CHROME",
        &[
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome",
        ],
    );
    let driver = find("CHROMEDRIVER", &["/usr/bin/chromedriver"]);
    match (chrome, driver) {
        (Some(c), Some(d)) => Some((c, d)),
        (c, d) => {
            let msg = format!(
                "browser test needs Chromium and chromedriver (found chromium: {}, chromedriver: {}); \
                 install Debian's `chromium` and `chromium-driver`, or set CHROME and CHROMEDRIVER",
                c.is_some(),
                d.is_some()
            );
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{msg}");
            }
            eprintln!("SKIPPED: {msg}");
            None
        }
    }
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_driver(path: &PathBuf) -> (Driver, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    (Driver(child), port)
}

/// Chromium, a running chromedriver and a runtime to drive them: what every browser test
/// starts from.
struct Browser {
    chrome: PathBuf,
    port: u16,
    rt: tokio::runtime::Runtime,
    _driver: Driver,
}

impl Browser {
    /// None when the browsers are missing (the test is skipped; see [`browsers`]).
    fn start() -> Option<Browser> {
        let (chrome, driver_path) = browsers()?;
        let (driver, port) = start_driver(&driver_path);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        Some(Browser {
            chrome,
            port,
            rt,
            _driver: driver,
        })
    }

    /// Runs a test's steps.
    fn run<F: std::future::Future>(&self, steps: F) -> F::Output {
        self.rt.block_on(steps)
    }

    /// A new headless session, with extra Chromium arguments.
    async fn session(&self, extra: &[&str]) -> Client {
        let mut args = vec![
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--window-size=1000,700",
        ];
        args.extend_from_slice(extra);
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": self.chrome,
                "args": args,
            }),
        );
        let conn = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(conn)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a WebDriver session")
    }
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.expect("the script runs")
}

/// Polls `script` until it returns true (up to 20 s).
async fn wait_for(c: &Client, script: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if js(c, script).await == Value::Bool(true) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[test]
fn edits_appear_live_errors_show_an_overlay_and_fixing_clears_it() {
    let Some(b) = Browser::start() else {
        return;
    };
    let site = fixture("basic");
    let rel = "content/abstracts/2015/customs-union.md";
    // A long body, so the scroll position is worth keeping.
    let mut good = std::fs::read_to_string(site.root.join(rel)).unwrap();
    for i in 0..80 {
        good.push_str(&format!("\nFiller paragraph {i} of a long abstract.\n"));
    }
    site.write(rel, &good);
    let w = Watch::start(&site.root, 0, &[]);
    b.run(async {
        let c = b.session(&[]).await;
        let page = format!("{}abstracts/customs-union/", w.url);
        c.goto(&page).await.unwrap();
        wait_for(&c, "return document.readyState === 'complete' && !!window.__dyadLive", "the live script").await;
        js(&c, "window.scrollTo(0, 600); window.__marker = 1; return true").await;
        tokio::time::sleep(Duration::from_millis(200)).await;

        // A body edit: the new text appears with no manual reload, at the same place.
        site.write(rel, &format!("{good}\nA sentence typed in the editor just now.\n"));
        wait_for(
            &c,
            "return document.body.innerText.includes('A sentence typed in the editor just now.')",
            "the edited text",
        )
        .await;
        assert_eq!(js(&c, "return window.__marker === undefined").await, Value::Bool(true), "the page reloaded");
        wait_for(&c, "return Math.abs(window.scrollY - 600) < 5", "the scroll position kept").await;

        // A YAML error: the overlay shows file, line and column over the last good page.
        let broken = good.replacen("title: ", "title: oops: ", 1);
        site.write(rel, &broken);
        wait_for(&c, "return !!document.getElementById('dyad-error-overlay')", "the error overlay").await;
        let overlay = js(&c, "return document.getElementById('dyad-error-overlay').innerText").await;
        let overlay = overlay.as_str().unwrap();
        assert!(overlay.contains(&format!("{rel}:2:")), "{overlay}");
        assert!(overlay.contains("YAML"), "{overlay}");
        assert!(overlay.contains("oops: "), "the source line: {overlay}");
        assert_eq!(
            js(&c, "return document.body.innerText.includes('A sentence typed in the editor just now.')").await,
            Value::Bool(true),
            "the last good page is still there underneath"
        );

        // Fixed: the overlay goes and the page reloads.
        site.write(rel, &format!("{good}\nFixed and extended.\n"));
        wait_for(
            &c,
            "return !document.getElementById('dyad-error-overlay') && document.body.innerText.includes('Fixed and extended.')",
            "the overlay cleared and the page reloaded",
        )
        .await;

        // A style sheet edit swaps the CSS without a reload.
        js(&c, "window.__marker = 2; return true").await;
        site.write("static/style.css", "body { background: rgb(1, 2, 3) }\n");
        wait_for(
            &c,
            "return getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'",
            "the new style sheet",
        )
        .await;
        assert_eq!(js(&c, "return window.__marker").await, json!(2), "no reload for CSS");
        c.close().await.unwrap();
    });
}

/// axe-core's browser bundle (`npm ci --prefix tests/browser` installs it; `.ci/run` does), or
/// None (the test is skipped) — but never None under CI.
fn axe_source() -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(e) => {
            let msg = format!(
                "the accessibility test needs axe-core ({}: {e}); run `npm ci --prefix tests/browser`",
                path.display()
            );
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{msg}");
            }
            eprintln!("SKIPPED: {msg}");
            None
        }
    }
}

#[test]
fn pages_fit_a_320_pixel_wide_screen() {
    let Some(b) = Browser::start() else {
        return;
    };
    let site = fixture("basic");
    let w = Watch::start(&site.root, 0, &[]);
    b.run(async {
        let c = b.session(&[]).await;
        c.set_window_size(320, 800).await.unwrap();
        let mut wide = Vec::new();
        for page in [
            "",
            "abstracts/customs-union/",
            "periods/partnership/",
            "spheres/economic/",
            "periods/partnership/economic/",
            "timeline/",
            "authors/",
            "search/?q=gas",
        ] {
            c.goto(&format!("{}{page}", w.url)).await.unwrap();
            wait_for(&c, "return document.readyState === 'complete'", "the page").await;
            if page.starts_with("search/") {
                wait_for(
                    &c,
                    "return document.getElementById('search').dataset.state === 'done'",
                    "search results",
                )
                .await;
            }
            // Wide things (the matrix, the timeline) scroll inside their own boxes; the page
            // itself never scrolls sideways.
            let widths = js(
                &c,
                "return [window.innerWidth, document.documentElement.scrollWidth]",
            )
            .await;
            let (inner, scroll) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
            assert!(inner <= 340, "the window is {inner} px wide, not about 320");
            if scroll > inner {
                wide.push(format!("/{page}: {scroll} px in a {inner} px window"));
            }
        }
        c.close().await.unwrap();
        assert!(
            wide.is_empty(),
            "pages wider than the screen:\n{}",
            wide.join("\n")
        );
    });
}

#[test]
fn pages_have_no_serious_or_critical_accessibility_violations() {
    let Some(b) = Browser::start() else {
        return;
    };
    let Some(axe) = axe_source() else {
        return;
    };
    let site = fixture("basic");
    let w = Watch::start(&site.root, 0, &[]);
    b.run(async {
        let mut problems = Vec::new();
        // The light and the dark colour scheme (Blink's preferredColorScheme: 1 light, 0 dark).
        for (scheme, setting) in [("light", "1"), ("dark", "0")] {
            let flag = format!("--blink-settings=preferredColorScheme={setting}");
            let c = b.session(&[&flag]).await;
            for page in [
                "",
                "abstracts/customs-union/",
                "abstracts/eurasian-integration/",
                "periods/",
                "periods/partnership/",
                "spheres/economic/",
                "spheres/humanitarian/",
                "periods/partnership/economic/",
                "timeline/",
                "authors/",
                "keywords/energy/",
                "about/",
                "search/",
                "search/?q=gas&sphere=economic",
            ] {
                c.goto(&format!("{}{page}", w.url)).await.unwrap();
                wait_for(&c, "return document.readyState === 'complete'", "the page").await;
                if page.starts_with("search/") {
                    // Check the page as the user sees it: filters and results drawn.
                    wait_for(
                        &c,
                        "const s = document.getElementById('search').dataset.state; return s === 'idle' || s === 'done'",
                        "the search page",
                    )
                    .await;
                }
                assert_eq!(
                    js(
                        &c,
                        "return matchMedia('(prefers-color-scheme: dark)').matches"
                    )
                    .await,
                    Value::Bool(scheme == "dark"),
                    "the {scheme} scheme is in effect"
                );
                c.execute(&format!("{axe}\nreturn true;"), vec![])
                    .await
                    .expect("axe-core loads");
                let found = c
                    .execute_async(
                        "const done = arguments[arguments.length - 1];
                     axe.run(document, {resultTypes: ['violations']}).then(r => done(
                       r.violations
                         .filter(v => v.impact === 'serious' || v.impact === 'critical')
                         .map(v => `${v.id} (${v.impact}): ${v.help} — ` +
                              v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; '))));",
                        vec![],
                    )
                    .await
                    .expect("axe runs");
                for v in found.as_array().cloned().unwrap_or_default() {
                    problems.push(format!(
                        "/{page} ({scheme}): {}",
                        v.as_str().unwrap_or_default()
                    ));
                }
            }
            c.close().await.unwrap();
        }
        assert!(
            problems.is_empty(),
            "axe-core found:\n{}",
            problems.join("\n")
        );
    });
}

/// The titles of the search page's results, once a search has finished.
async fn search_results(c: &Client) -> Vec<String> {
    wait_for(
        c,
        "return document.getElementById('search').dataset.state === 'done'",
        "search results",
    )
    .await;
    let titles = js(
        c,
        "return [...document.querySelectorAll('#results .result-title a')].map(a => a.textContent)",
    )
    .await;
    titles
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

/// Types `text` into the search box as a user would, then waits for its results.
async fn type_query(c: &Client, text: &str) -> Vec<String> {
    let box_ = c
        .find(fantoccini::Locator::Id("q"))
        .await
        .expect("the search box");
    box_.clear().await.unwrap();
    js(
        c,
        "document.getElementById('search').dataset.state = 'typing'; return true",
    )
    .await;
    box_.send_keys(text).await.unwrap();
    search_results(c).await
}

#[test]
fn search_finds_words_narrows_by_filter_stems_russian_and_keeps_its_state_in_the_url() {
    let Some(b) = Browser::start() else {
        return;
    };
    let site = fixture("search");
    let w = Watch::start(&site.root, 0, &[]);
    b.run(async {
        let c = b.session(&[]).await;
        c.goto(&format!("{}search/", w.url)).await.unwrap();
        wait_for(
            &c,
            "return document.getElementById('search').dataset.state === 'idle'",
            "the search index to load",
        )
        .await;
        // A word of a fixture abstract's body finds it (and only the works that have it).
        let found = type_query(&c, "consortium").await;
        assert_eq!(found, ["Gas pipelines across the Caspian steppe"]);
        // Words of titles (these two are in no body), names, actors and keywords are found
        // as well as the text.
        assert_eq!(type_query(&c, "steppe").await, ["Gas pipelines across the Caspian steppe"]);
        assert_eq!(
            type_query(&c, "сотрудничества").await,
            ["Нефтяное сотрудничество в переходный период"]
        );
        assert_eq!(type_query(&c, "Kim").await, ["Russian-language schools in northern Kazakhstan"]);
        assert_eq!(type_query(&c, "KazMunayGas").await, ["Gas pipelines across the Caspian steppe"]);
        assert_eq!(type_query(&c, "Петров").await, ["Нефтяное сотрудничество в переходный период"]);
        let found = type_query(&c, "consortium").await;
        assert_eq!(found, ["Gas pipelines across the Caspian steppe"]);
        // The result links to the abstract, under the site's base path.
        let href = js(&c, "return document.querySelector('#results .result-title a').getAttribute('href')").await;
        assert_eq!(href, json!("/rk/abstracts/caspian-gas/"));

        // "gas" is in three English works; the energy filter leaves two.
        let mut found = type_query(&c, "gas").await;
        found.sort();
        assert_eq!(
            found,
            [
                "A shared electricity grid",
                "Gas pipelines across the Caspian steppe",
                "Russian-language schools in northern Kazakhstan",
            ]
        );
        // The filters' counts follow the results (another worker counts them).
        wait_for(
            &c,
            "return !!document.querySelector('#filters input[name=sphere][value=energy]')",
            "the filters",
        )
        .await;
        // Found and clicked in one step: the filter list is redrawn when the counts arrive,
        // and an element found before a redraw can no longer be clicked.
        let clicked = js(
            &c,
            "document.getElementById('search').dataset.state = 'typing'; \
             var box = document.querySelector('#filters input[name=sphere][value=energy]'); \
             if (!box) return false; box.click(); return true",
        )
        .await;
        assert_eq!(clicked, Value::Bool(true), "an energy filter");
        let mut narrowed = search_results(&c).await;
        narrowed.sort();
        assert_eq!(
            narrowed,
            [
                "A shared electricity grid",
                "Gas pipelines across the Caspian steppe"
            ]
        );
        // The query and the filter are in the URL.
        let url = c.current_url().await.unwrap();
        assert_eq!(url.query(), Some("q=gas&sphere=energy"), "{url}");
        // The results show authors, year, periods and spheres, and a highlighted snippet.
        let meta = js(&c, "return document.querySelector('#results .result-meta').textContent").await;
        assert!(meta.as_str().unwrap().contains("Anna Lee"), "{meta}");
        let marks = js(&c, "return document.querySelectorAll('#results mark').length").await;
        assert!(marks.as_i64().unwrap() >= 1, "no highlighted match");

        // A Russian word in another form than the abstract's (трубопровод / трубопроводов),
        // from the English interface: the Russian bundle stems it.
        let found = type_query(&c, "трубопровод").await;
        assert_eq!(found, ["Нефтяное сотрудничество в переходный период"]);
        let found = type_query(&c, "доход").await;
        assert_eq!(found, ["Нефтяное сотрудничество в переходный период"]);
        // Kazakh words are found as written.
        js(&c, "for (const i of document.querySelectorAll('#filters input:checked')) i.click(); return true").await;
        let found = type_query(&c, "заңдар").await;
        assert_eq!(found, ["Тіл саясаты"]);

        // The URL round-trips: a shared link restores the query, the filters and the results.
        c.goto(&format!("{}search/?q=gas&sphere=energy&period=transit", w.url))
            .await
            .unwrap();
        let found = search_results(&c).await;
        assert_eq!(found, ["Gas pipelines across the Caspian steppe"]);
        assert_eq!(
            js(&c, "return document.getElementById('q').value").await,
            json!("gas")
        );
        wait_for(
            &c,
            "return !!document.querySelector('#filters input:checked')",
            "the ticked filters",
        )
        .await;
        let ticked = js(
            &c,
            "return [...document.querySelectorAll('#filters input:checked')].map(i => i.name + '=' + i.value).sort()",
        )
        .await;
        assert_eq!(ticked, json!(["period=transit", "sphere=energy"]));
        // The status line says what was found, for what, and within which filters.
        let said = js(&c, "return document.getElementById('search-status').textContent").await;
        let said = said.as_str().unwrap_or_default().to_string();
        assert!(said.starts_with("1 work for “gas”, in sphere Energy, period "), "{said}");

        // "/" on any page goes to the search box; the header box leads to the search page.
        c.goto(&format!("{}periods/transit/", w.url)).await.unwrap();
        wait_for(&c, "return document.readyState === 'complete'", "the page").await;
        c.find(fantoccini::Locator::Css("body"))
            .await
            .unwrap()
            .send_keys("/")
            .await
            .unwrap();
        assert_eq!(
            js(&c, "return document.activeElement.id").await,
            json!("site-q")
        );
        js(&c, "document.activeElement.value = 'pipelines'; document.activeElement.form.submit(); return true").await;
        let found = search_results(&c).await;
        assert!(found.contains(&"Gas pipelines across the Caspian steppe".to_string()));
        c.find(fantoccini::Locator::Css("body"))
            .await
            .unwrap()
            .send_keys("/")
            .await
            .unwrap();
        assert_eq!(js(&c, "return document.activeElement.id").await, json!("q"));

        // "Search within this" on a period page carries the period to the search page.
        c.goto(&format!("{}periods/transit/", w.url)).await.unwrap();
        c.find(fantoccini::Locator::Css(".search-within a"))
            .await
            .expect("a search-within link")
            .click()
            .await
            .unwrap();
        let mut found = search_results(&c).await;
        found.sort();
        assert_eq!(
            found,
            [
                "Gas pipelines across the Caspian steppe",
                "Нефтяное сотрудничество в переходный период"
            ]
        );
        c.close().await.unwrap();
    });
}

#[test]
fn the_russian_search_page_speaks_russian_and_counts_in_russian_plural_forms() {
    let Some(b) = Browser::start() else {
        return;
    };
    let site = fixture("multilingual");
    let w = Watch::start(&site.root, 0, &[]);
    b.run(async {
        let c = b.session(&[]).await;
        c.goto(&format!("{}ru/search/?sphere=economic", w.url))
            .await
            .unwrap();
        let found = search_results(&c).await;
        assert!(!found.is_empty());
        let said = js(
            &c,
            "return document.getElementById('search-status').textContent",
        )
        .await;
        let said = said.as_str().unwrap_or_default().to_string();
        let n = found.len();
        // Russian: 1, 21 → работа; 2–4 → работы; 0, 5–20 → работ.
        let noun = match (n % 10, n % 100) {
            (1, r) if r != 11 => "работа",
            (2..=4, r) if !(12..=14).contains(&r) => "работы",
            _ => "работ",
        };
        assert!(said.starts_with(&format!("{n} {noun}; сфера: ")), "{said}");
        wait_for(
            &c,
            "return !!document.querySelector('#filters legend')",
            "the filters",
        )
        .await;
        let legends = js(
            &c,
            "return [...document.querySelectorAll('#filters legend')].map(l => l.textContent)",
        )
        .await;
        assert!(
            legends.as_array().unwrap().contains(&json!("Сфера")),
            "{legends}"
        );
        c.close().await.unwrap();
    });
}
