//! `dyad watch`: build into memory, serve over HTTP, rebuild on every change, tell the browser.
//!
//! The rebuild loop runs on this thread: file events (notify, debounced with
//! notify-debouncer-full) → [`engine::Engine::rebuild`] (incremental) → publish to the server
//! ([`server::Shared`]) → one line on the terminal. A rebuild that fails (content errors, a
//! panic) keeps the last good site and shows the errors in the browser and the terminal. The
//! output folder of `dyad build` is never touched: the site lives in memory.

pub(crate) mod deps;
pub mod engine;
pub(crate) mod server;

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::pipeline::Options;
use engine::{Change, Engine, Failed, Store};
use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How `watch` runs.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// The archive folder.
    pub root: PathBuf,
    /// The address to bind.
    pub bind: IpAddr,
    /// The first port to try (0: any free port).
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
    /// Poll the file system instead of relying on its events.
    pub poll: bool,
}

/// The debounce window: events closer together than this are one rebuild.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// Binds `bind:port`, or the next free port after it (up to 100 further).
fn bind(addr: IpAddr, port: u16) -> std::io::Result<TcpListener> {
    let mut last = None;
    let tries = if port == 0 { 1 } else { 100 };
    for p in (0..tries).map(|i| port.saturating_add(i)) {
        match TcpListener::bind(SocketAddr::new(addr, p)) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free port")))
}

/// The base path of the archive's base_url (`/` when archive.yaml cannot be read).
fn base_path(root: &Path) -> String {
    crate::pipeline::load_config(root)
        .map(|c| c.base_path().to_string())
        .unwrap_or_else(|_| "/".to_string())
}

fn local_url(addr: SocketAddr, base_path: &str) -> String {
    let host = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
        ip if ip.is_unspecified() => "[::1]".to_string(),
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    };
    format!("http://{host}:{}{base_path}", addr.port())
}

/// Most diagnostics an `errors` event carries to the browser (errors first); the terminal
/// prints them all. A file with 30,000 findings would otherwise send them to every open page
/// after each save, and the overlay would be a 30,000-item page.
const OVERLAY_MAX: usize = 200;

/// The JSON of an `errors` event: the first [`OVERLAY_MAX`] diagnostics, errors first, and
/// how many errors and warnings there are in all.
fn errors_payload(build: u64, d: &Diagnostics) -> String {
    let mut sorted = d.sorted();
    sorted.sort_by_key(|d| d.severity);
    let errors = sorted.iter().filter(|d| d.is_error()).count();
    let list: Vec<serde_json::Value> = sorted
        .iter()
        .take(OVERLAY_MAX)
        .map(|d| {
            serde_json::json!({
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "path": d.path,
                "line": d.span.map(|s| s.line),
                "column": d.span.map(|s| s.col),
                "message": d.message,
                "help": d.help,
                "source_line": d.source_line,
                // The caret's column within `source_line` (a window of a very long line).
                "source_column": d.span.map(|s| s.col.saturating_sub(d.source_skip)),
            })
        })
        .collect();
    serde_json::json!({
        "type": "errors",
        "build": build,
        "diagnostics": list,
        "errors": errors,
        "warnings": sorted.len() - errors,
    })
    .to_string()
}

/// The JSON of a `reload` or `css` event for the changed output files.
fn change_payload(build: u64, base_path: &str, change: &Change) -> String {
    if change.css_only {
        return serde_json::json!({"type": "css", "build": build}).to_string();
    }
    let all = change.files.len() > 2000;
    let paths: Vec<String> = if all {
        Vec::new()
    } else {
        change
            .files
            .iter()
            .map(|f| match f.strip_suffix("index.html") {
                Some(dir) => format!("{base_path}{dir}"),
                None => format!("{base_path}{f}"),
            })
            .collect()
    };
    serde_json::json!({"type": "reload", "build": build, "all": all, "paths": paths}).to_string()
}

/// Rebuilds, turning a panic into a failure (the engine is then started afresh).
fn rebuild_safely(engine: &mut Engine, changed: &[PathBuf]) -> Result<Change, Failed> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| engine.rebuild(changed))) {
        Ok(r) => r,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            *engine = Engine::new(engine.options().clone());
            let mut d = Diagnostics::new();
            d.push(
                Diagnostic::error("dyad", format!("internal error during the rebuild: {msg}"))
                    .help("this is a bug in dyad; the last good site is still served. Please report it with the file you edited"),
            );
            Err(Failed::Invalid(d))
        }
    }
}

enum AnyDebouncer {
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<notify::PollWatcher, RecommendedCache>),
}

impl AnyDebouncer {
    fn watch(&mut self, p: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            AnyDebouncer::Native(d) => d.watch(p, mode),
            AnyDebouncer::Poll(d) => d.watch(p, mode),
        }
    }
}

const WATCHED_DIRS: [&str; 4] = ["content", "templates", "static", "i18n"];

/// Whether an event path is an input of the site.
fn relevant(root: &Path, p: &Path) -> bool {
    let Ok(rel) = p.strip_prefix(root) else {
        return false;
    };
    let mut comps = rel.components();
    match comps.next().and_then(|c| c.as_os_str().to_str()) {
        Some("archive.yaml") => comps.next().is_none(),
        Some(d) => WATCHED_DIRS.contains(&d),
        None => false,
    }
}

fn timestamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let day = secs % 86_400;
    format!("{:02}:{:02}:{:02}", day / 3600, day / 60 % 60, day % 60)
}

fn describe_sources(sources: &[String]) -> String {
    match sources {
        [] => "nothing changed".to_string(),
        [one] => format!("{one} changed"),
        [one, rest @ ..] => format!("{one} and {} more changed", rest.len()),
    }
}

/// Keeps the served search index in step with the last good model, on a thread of its own:
/// indexing a large archive takes longer than an edit's rebuild, which must not wait for it.
/// Between an edit and the end of its indexing, search answers from the previous index.
struct Indexer {
    tx: mpsc::Sender<Vec<Arc<crate::model::Archive>>>,
}

impl Indexer {
    fn start(shared: Arc<server::Shared>, cache: Option<PathBuf>) -> Indexer {
        let (tx, rx) = mpsc::channel::<Vec<Arc<crate::model::Archive>>>();
        std::thread::spawn(move || {
            while let Ok(mut archives) = rx.recv() {
                // Only the newest model matters.
                while let Ok(newer) = rx.try_recv() {
                    archives = newer;
                }
                Indexer::index(&shared, &archives, cache.as_deref());
            }
        });
        Indexer { tx }
    }

    /// Indexes every language's site (`archives`, the default first: the others' indexes
    /// are under `<lang>/`) and serves the result.
    fn index(
        shared: &server::Shared,
        archives: &[Arc<crate::model::Archive>],
        cache: Option<&Path>,
    ) {
        let mut store = Store::default();
        for archive in archives {
            let prefix = if archive.config.is_default_language() {
                String::new()
            } else {
                format!("{}/", archive.config.language)
            };
            match crate::search::bundles(archive, cache) {
                Ok((files, _)) => store.files.extend(
                    files
                        .into_iter()
                        .map(|(f, bytes)| (format!("{prefix}{f}"), bytes::Bytes::from(bytes))),
                ),
                Err(m) => {
                    eprintln!("warning: {m}; search answers from the previous index");
                    return;
                }
            }
        }
        shared.publish_search(Arc::new(store));
    }

    /// Indexes `archives` in the background.
    fn update(&self, archives: Vec<Arc<crate::model::Archive>>) {
        let _ = self.tx.send(archives);
    }
}

/// Runs `dyad watch` until Ctrl-C. Errors are usage or I/O problems (exit 2).
pub fn run(opts: WatchOptions) -> Result<(), String> {
    let root = opts.root.canonicalize().map_err(|e| {
        format!(
            "cannot open the archive folder `{}`: {e}",
            opts.root.display()
        )
    })?;
    if !root.join("archive.yaml").is_file() {
        return Err(format!(
            "`{}` is not an archive folder: it has no archive.yaml (start one with `dyad init DIR`)",
            root.display()
        ));
    }
    let listener = bind(opts.bind, opts.port)
        .map_err(|e| format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot set up the listener: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    if opts.port != 0 && addr.port() != opts.port {
        eprintln!("port {} is taken; using {}", opts.port, addr.port());
    }
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: listening on {} — anyone on your network can see the preview, drafts included",
            opts.bind
        );
    }

    let mut base = base_path(&root);
    let build_opts = |base: &str| Options {
        root: root.clone(),
        out: root.join("public"),
        drafts: crate::model::Drafts::Include,
        base_url: Some(local_url(addr, base)),
        // The engine never indexes (the indexer below does); it keeps formatted references
        // in the cache folder.
        cache: crate::search::cache::default_dir(),
    };
    let mut engine = Engine::new(build_opts(&base));
    let shared = server::Shared::new(engine.store(), &base);
    let cache = crate::search::cache::default_dir();
    let indexer = Indexer::start(Arc::clone(&shared), cache.clone());
    // Whether a good model was ever indexed (if the first build failed, the first good one
    // is indexed whatever its edit was).
    let mut indexed = false;

    // The server, on its own runtime thread.
    let shutdown = Arc::new(AtomicBool::new(false));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server runtime: {e}"))?;
    {
        let shared = Arc::clone(&shared);
        let shutdown = Arc::clone(&shutdown);
        let listener = runtime
            .block_on(async { tokio::net::TcpListener::from_std(listener) })
            .map_err(|e| format!("cannot set up the listener: {e}"))?;
        runtime.spawn(async move {
            let app = server::router(shared);
            let _ = axum::serve(listener, app).await;
        });
        runtime.spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                shutdown.store(true, Ordering::SeqCst);
            }
        });
    }

    // The watcher, before the first build: an edit made while it runs is not missed.
    let mut since = Instant::now();
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = if opts.poll {
        AnyDebouncer::Poll(
            notify_debouncer_full::new_debouncer_opt::<_, notify::PollWatcher, _>(
                DEBOUNCE,
                None,
                tx,
                RecommendedCache::new(),
                notify::Config::default()
                    .with_poll_interval(Duration::from_millis(250))
                    // Its modification times have whole-second resolution: compare contents
                    // too, or a second save within the same second goes unseen.
                    .with_compare_contents(true),
            )
            .map_err(|e| format!("cannot watch the archive: {e}"))?,
        )
    } else {
        AnyDebouncer::Native(
            notify_debouncer_full::new_debouncer(DEBOUNCE, None, tx)
                .map_err(|e| format!("cannot watch the archive: {e}"))?,
        )
    };
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch `{}`: {e}", root.display()))?;
    let mut watched: Vec<&str> = Vec::new();
    let watch_dirs = |debouncer: &mut AnyDebouncer, watched: &mut Vec<&str>| {
        for d in WATCHED_DIRS {
            if !watched.contains(&d) && root.join(d).is_dir() {
                match debouncer.watch(&root.join(d), RecursiveMode::Recursive) {
                    Ok(()) => watched.push(d),
                    Err(e) => eprintln!("warning: cannot watch {d}/: {e}"),
                }
            }
        }
    };
    watch_dirs(&mut debouncer, &mut watched);
    crate::pipeline::stage("watch: watcher set up", &mut since);

    let t = Instant::now();
    let first = rebuild_safely(&mut engine, &[]);
    let url = local_url(addr, &base);
    match &first {
        Ok(c) => {
            if !c.warnings.is_empty() {
                eprint!("{}", c.warnings.render_human(color()));
            }
            // The first index before the first page is served, so search works from the start.
            let archives = engine.archives();
            if !archives.is_empty() {
                Indexer::index(&shared, &archives, cache.as_deref());
                indexed = true;
            }
            shared.publish(engine.store(), &base, change_payload(1, &base, c));
            eprintln!(
                "built {} pages in {:.2} s; serving at {url} (drafts shown; Ctrl-C to stop)",
                engine
                    .store()
                    .files
                    .keys()
                    .filter(|f| f.ends_with(".html"))
                    .count(),
                t.elapsed().as_secs_f64()
            );
        }
        Err(f) => {
            let d = f.diagnostics();
            eprint!("{}", d.render_human(color()));
            shared.fail(errors_payload(1, &d));
            eprintln!(
                "the archive has errors; serving at {url} anyway: fix them and the page reloads (Ctrl-C to stop)"
            );
        }
    }
    if opts.open {
        open_browser(&url);
    }

    let mut build_no = 1u64;
    let color = color();
    // A new folder's watch is set up only after the folder appears: files written into it
    // before that raise no event. So a new folder schedules one more look shortly after.
    let mut follow_up: Option<Instant> = None;
    loop {
        if shutdown.load(Ordering::SeqCst) {
            break;
        }
        let wait = follow_up.map_or(Duration::from_millis(100), |at| {
            at.saturating_duration_since(Instant::now())
                .min(Duration::from_millis(100))
        });
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut rescan = false;
        let first = match rx.recv_timeout(wait) {
            Ok(ev) => Some(ev),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if follow_up.is_some_and(|at| Instant::now() >= at) {
                    follow_up = None;
                    rescan = true;
                    None
                } else {
                    continue;
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        let mut new_folder = false;
        let mut take = |ev: DebounceEventResult| match ev {
            Ok(events) => {
                for e in events {
                    if e.need_rescan() {
                        rescan = true;
                    }
                    // Reading a file is not changing it (dyad's own reads would loop).
                    if matches!(
                        e.kind,
                        notify::EventKind::Access(a)
                            if a != notify::event::AccessKind::Close(notify::event::AccessMode::Write)
                    ) {
                        continue;
                    }
                    if matches!(e.kind, notify::EventKind::Create(_))
                        && e.paths.iter().any(|p| p.is_dir())
                    {
                        new_folder = true;
                    }
                    paths.extend(e.paths.iter().cloned());
                }
            }
            Err(errs) => {
                rescan = true;
                for e in errs {
                    eprintln!("warning: file watching: {e}");
                }
            }
        };
        if let Some(ev) = first {
            take(ev);
        }
        while let Ok(ev) = rx.try_recv() {
            take(ev);
        }
        if new_folder {
            follow_up = Some(Instant::now() + Duration::from_millis(150));
        }
        paths.retain(|p| relevant(&root, p));
        if paths.is_empty() && !rescan {
            continue;
        }
        watch_dirs(&mut debouncer, &mut watched);
        // Only archive.yaml can move the base path: read it again only when it changed.
        let settings_changed = rescan || paths.iter().any(|p| p == &root.join("archive.yaml"));
        if settings_changed {
            let new_base = base_path(&root);
            if new_base != base {
                base = new_base;
                engine = Engine::new(build_opts(&base));
            }
        }
        if let Some(store) = engine.style_sheets_only(&paths) {
            // Swap the style sheet in the browser at once; the pages (whose links carry the
            // style sheet's hash) follow with the full rebuild below.
            build_no += 1;
            shared.publish(
                store,
                &base,
                serde_json::json!({"type": "css", "build": build_no}).to_string(),
            );
        }
        build_no += 1;
        match rebuild_safely(&mut engine, &paths) {
            Ok(change) => {
                if !change.warnings.is_empty() {
                    eprint!("{}", change.warnings.render_human(color));
                }
                if !change.sources.is_empty() || !change.files.is_empty() {
                    eprintln!(
                        "{} {} · {} page{} re-rendered, {} file{} changed · {:.0} ms",
                        timestamp(),
                        describe_sources(&change.sources),
                        change.rendered,
                        if change.rendered == 1 { "" } else { "s" },
                        change.files.len(),
                        if change.files.len() == 1 { "" } else { "s" },
                        change.elapsed.as_secs_f64() * 1000.0
                    );
                }
                if std::env::var_os("DYAD_LOG").is_some_and(|v| v == "debug") {
                    eprintln!("debug: watch: rebuild route {:?}", change.route);
                }
                shared.publish(
                    engine.store(),
                    &base,
                    change_payload(build_no, &base, &change),
                );
                let model_changed = change
                    .sources
                    .iter()
                    .any(|s| s.starts_with("content/") || s == "archive.yaml");
                let archives = engine.archives();
                if (model_changed || !indexed) && !archives.is_empty() {
                    indexer.update(archives);
                    indexed = true;
                }
            }
            Err(f) => {
                let d = f.diagnostics();
                eprint!("{}", d.render_human(color));
                eprintln!(
                    "{} the archive has {} error{}; still serving the last good site",
                    timestamp(),
                    d.error_count(),
                    if d.error_count() == 1 { "" } else { "s" }
                );
                shared.fail(errors_payload(build_no, &d));
            }
        }
    }
    eprintln!("stopped");
    runtime.shutdown_timeout(Duration::from_millis(200));
    Ok(())
}

fn color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(cmd)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("note: could not open a browser ({cmd}: {e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inputs_are_relevant() {
        let root = Path::new("/a");
        assert!(relevant(root, Path::new("/a/archive.yaml")));
        assert!(relevant(root, Path::new("/a/content/abstracts/x.md")));
        assert!(relevant(root, Path::new("/a/templates/base.html")));
        assert!(relevant(root, Path::new("/a/static/style.css")));
        assert!(relevant(root, Path::new("/a/i18n/ru.ftl")));
        assert!(!relevant(root, Path::new("/a/public/index.html")));
        assert!(!relevant(root, Path::new("/a/.git/index")));
        assert!(!relevant(root, Path::new("/elsewhere/content/x.md")));
    }

    #[test]
    fn an_errors_event_carries_the_first_two_hundred_errors_first_and_the_counts() {
        let mut d = Diagnostics::new();
        for i in 0..300 {
            d.push(Diagnostic::warning("content/a.md", format!("warning {i}")));
        }
        let long: String = "x ".repeat(5_000);
        d.push(Diagnostic::error("content/z.md", "the one error").at(&long, 1, 9_001, 1));
        let v: serde_json::Value = serde_json::from_str(&errors_payload(7, &d)).unwrap();
        assert_eq!(v["errors"], 1);
        assert_eq!(v["warnings"], 300);
        let list = v["diagnostics"].as_array().unwrap();
        assert_eq!(list.len(), OVERLAY_MAX);
        assert_eq!(list[0]["message"], "the one error");
        // The caret's column in the window of the long line, and the file's column.
        assert_eq!(list[0]["column"], 9_001);
        let in_window = list[0]["source_column"].as_u64().unwrap() as usize;
        let window = list[0]["source_line"].as_str().unwrap();
        assert!(window.chars().count() < 500);
        assert_eq!(window.chars().nth(in_window - 1), Some('x'));
    }

    #[test]
    fn local_urls() {
        let a: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        assert_eq!(local_url(a, "/rk/"), "http://127.0.0.1:1111/rk/");
        let a: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(local_url(a, "/"), "http://127.0.0.1:8080/");
        let a: SocketAddr = "[::1]:9".parse().unwrap();
        assert_eq!(local_url(a, "/"), "http://[::1]:9/");
    }

    #[test]
    fn a_panicking_rebuild_is_reported_and_the_next_one_works() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("a");
        crate::scaffold::init(&root, "RU", "KZ", None).unwrap();
        let opts = Options {
            root: root.clone(),
            out: root.join("public"),
            drafts: crate::model::Drafts::Include,
            base_url: Some("http://127.0.0.1:1/".into()),
            cache: None,
        };
        let mut engine = Engine::new(opts);
        rebuild_safely(&mut engine, &[]).expect("a new archive builds");
        let before = engine.store().files.len();
        engine.panic_next = true;
        let Err(Failed::Invalid(d)) = rebuild_safely(&mut engine, &[]) else {
            panic!("the panic must come back as a failure")
        };
        let e = d.iter().next().unwrap();
        assert!(e.message.contains("internal error"), "{}", e.message);
        assert!(
            e.message.contains("asked this rebuild to panic"),
            "{}",
            e.message
        );
        let c = rebuild_safely(&mut engine, &[]).expect("the next rebuild works");
        assert_eq!(engine.store().files.len(), before);
        assert!(c.rendered > 0, "a fresh engine renders everything again");
    }

    #[test]
    fn busy_port_moves_to_the_next() {
        let first = bind("127.0.0.1".parse().unwrap(), 0).unwrap();
        let port = first.local_addr().unwrap().port();
        let second = bind("127.0.0.1".parse().unwrap(), port).unwrap();
        assert_ne!(second.local_addr().unwrap().port(), port);
    }
}
