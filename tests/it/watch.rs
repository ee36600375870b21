//! `dyad watch` end to end: the real binary on an ephemeral port, a plain HTTP client and the
//! server-sent-events stream.

use crate::support::{self, Site, fixture, tree};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running `dyad watch`.
pub struct Watch {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// `http://127.0.0.1:PORT/rk/`.
    pub url: String,
    stderr: mpsc::Receiver<String>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watch {
    /// Starts `dyad watch --root <root> --port <port> <extra>` and waits until it serves.
    pub fn start(root: &Path, port: u16, extra: &[&str]) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dyad"))
            .args(["watch", "--root"])
            .arg(root)
            .args(["--port", &port.to_string()])
            .args(extra)
            .env("NO_COLOR", "1")
            .env("DYAD_CACHE_DIR", crate::support::test_cache_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dyad watch starts");
        let (tx, rx) = mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = String::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = rx.recv_timeout(left) else {
                let _ = child.kill();
                let _ = child.wait();
                panic!("watch did not start serving; it said:\n{seen}");
            };
            seen.push_str(&line);
            seen.push('\n');
            if let Some(i) = line.find("serving at http://") {
                let url = line[i + "serving at ".len()..]
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .to_string();
                let addr = url["http://".len()..]
                    .split('/')
                    .next()
                    .unwrap()
                    .to_string();
                return Watch {
                    child,
                    addr,
                    url,
                    stderr: rx,
                };
            }
        }
    }

    /// What watch printed since the last call.
    pub fn output(&self) -> String {
        let mut s = String::new();
        while let Ok(l) = self.stderr.try_recv() {
            s.push_str(&l);
            s.push('\n');
        }
        s
    }

    /// What watch printed, waiting (up to 10 s) until `done` holds for it.
    pub fn output_until(&self, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut s = String::new();
        while !done(&s) && Instant::now() < deadline {
            if let Ok(l) = self.stderr.recv_timeout(Duration::from_millis(50)) {
                s.push_str(&l);
                s.push('\n');
            }
        }
        s
    }

    /// GET `path` (sent exactly as given).
    pub fn get(&self, path: &str) -> Response {
        get(&self.addr, path)
    }

    /// Subscribes to the event stream; the first event (hello or errors) is consumed.
    pub fn events(&self) -> Events {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(
            s,
            "GET /__dyad/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.addr
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(s);
            let mut line = String::new();
            loop {
                line.clear();
                match r.read_line(&mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
                // Chunked transfer: data lines arrive inside chunks, one event per chunk.
                if let Some(d) = line.trim_end().strip_prefix("data: ") {
                    let v: serde_json::Value = match serde_json::from_str(d) {
                        Ok(v) => v,
                        Err(_) => continue,
                    };
                    if tx.send(v).is_err() {
                        break;
                    }
                }
            }
        });
        let ev = Events(rx);
        let first = ev.next();
        assert!(
            matches!(first["type"].as_str(), Some("hello" | "errors")),
            "{first}"
        );
        ev
    }

    /// The rebuild counter.
    pub fn build_no(&self) -> u64 {
        let r = self.get("/__dyad/status");
        let v: serde_json::Value = serde_json::from_str(&r.body_text()).unwrap();
        v["build"].as_u64().unwrap()
    }

    /// Waits until no rebuild happened for `quiet`.
    pub fn settle(&self, quiet: Duration) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut last = self.build_no();
        let mut since = Instant::now();
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
            let now = self.build_no();
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= quiet {
                return;
            }
        }
        panic!("watch never went quiet");
    }
}

/// The events of one SSE connection.
pub struct Events(mpsc::Receiver<serde_json::Value>);

impl Events {
    /// The next event (waits up to 30 s).
    pub fn next(&self) -> serde_json::Value {
        self.0
            .recv_timeout(Duration::from_secs(30))
            .expect("an event within 30 s")
    }

    /// The next event of type `kind`, skipping others (rebuilds that changed nothing).
    pub fn next_of(
        &self,
        kind: &str,
        pred: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let ev = self
                .0
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no `{kind}` event within 30 s"));
            if ev["type"] == kind && pred(&ev) {
                return ev;
            }
        }
    }
}

/// The page paths a `reload` event names.
fn reload_paths(e: &serde_json::Value) -> Vec<&str> {
    e["paths"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p.as_str()).collect())
        .unwrap_or_default()
}

/// An HTTP response.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn body_text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }
}

/// A minimal HTTP/1.1 GET with `Connection: close`; the path goes out byte for byte.
pub fn get(addr: &str, path: &str) -> Response {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let nl = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let n = usize::from_str_radix(std::str::from_utf8(&rest[..nl]).unwrap().trim(), 16)
                .unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + n]);
            rest = &rest[nl + 2 + n + 2..];
        }
        body = out;
    }
    Response {
        status,
        headers,
        body,
    }
}

const SNIPPET: &str = "<script src=\"/__dyad/live.js\"></script>";

fn start(site: &Site) -> Watch {
    Watch::start(&site.root, 0, &[])
}

#[test]
fn serves_the_site_under_the_base_path_with_the_live_script() {
    let site = fixture("basic");
    let w = start(&site);
    assert!(w.url.ends_with("/rk/"), "{}", w.url);
    let home = w.get("/rk/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let text = home.body_text();
    assert_eq!(text.matches(SNIPPET).count(), 1);
    assert!(
        text.contains(&format!("href=\"{}\"", w.url)),
        "canonical points at the preview"
    );
    let root = w.get("/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("location"), Some("/rk/"));
    let css = w.get("/rk/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.body_text().contains(SNIPPET));
    let folder = w.get("/rk/spheres");
    assert_eq!(
        (folder.status, folder.header("location")),
        (302, Some("/rk/spheres/"))
    );
    let missing = w.get("/rk/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body_text().contains("Page not found"),
        "the site's own 404 page"
    );
    // No directory listing.
    assert_eq!(w.get("/rk/abstracts/").status, 404);
    // Drafts are shown.
    assert_eq!(w.get("/rk/abstracts/draft-work/").status, 200);
    // Only reading: other methods are refused.
    let mut sock = TcpStream::connect(&w.addr).unwrap();
    write!(
        sock,
        "POST /rk/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    sock.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
    let js = w.get("/__dyad/live.js");
    assert_eq!(js.status, 200);
    assert!(js.body_text().contains("EventSource"));
}

#[test]
fn traversal_is_refused() {
    let site = fixture("basic");
    let w = start(&site);
    for p in [
        "/../archive.yaml",
        "/rk/../archive.yaml",
        "/rk/../../archive.yaml",
        "/%2e%2e/archive.yaml",
        "/rk/%2e%2e/archive.yaml",
        "/rk/%2E%2E/%2E%2E/archive.yaml",
        "/rk/..%2farchive.yaml",
        "/rk/%2e%2e%2farchive.yaml",
        "/rk/..%5carchive.yaml",
        "/rk/%252e%252e/archive.yaml",
        "/rk/content/abstracts/2015/customs-union.md",
        "/archive.yaml",
    ] {
        let r = w.get(p);
        assert!(
            r.status == 404 || r.status == 400,
            "{p} answered {}",
            r.status
        );
        assert!(
            !r.body_text().contains("base_url"),
            "{p} leaked archive.yaml"
        );
    }
}

#[test]
fn a_body_edit_reloads_the_page_with_the_new_text() {
    let site = fixture("basic");
    let w = start(&site);
    let ev = w.events();
    let rel = "content/abstracts/2015/customs-union.md";
    let text = std::fs::read_to_string(site.root.join(rel)).unwrap();
    site.write(
        rel,
        &format!("{text}\nA freshly written sentence about tariffs.\n"),
    );
    let e = ev.next_of("reload", |e| !reload_paths(e).is_empty());
    let paths = reload_paths(&e);
    assert!(paths.contains(&"/rk/abstracts/customs-union/"), "{paths:?}");
    assert!(
        w.get("/rk/abstracts/customs-union/")
            .body_text()
            .contains("A freshly written sentence")
    );
    let out = w.output_until(|o| o.contains("re-rendered"));
    assert!(out.contains(rel) && out.contains("re-rendered"), "{out}");
}

#[test]
fn a_sphere_move_changes_both_spheres_and_the_home_matrix() {
    let site = fixture("basic");
    let w = start(&site);
    let ev = w.events();
    let old_home = w.get("/rk/").body_text();
    let old_political = w.get("/rk/spheres/political/").body_text();
    let old_humanitarian = w.get("/rk/spheres/humanitarian/").body_text();
    assert!(old_political.contains("/rk/abstracts/customs-union/"));
    assert!(!old_humanitarian.contains("/rk/abstracts/customs-union/"));
    let rel = "content/abstracts/2015/customs-union.md";
    let text = std::fs::read_to_string(site.root.join(rel)).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("spheres:"))
        .unwrap()
        .to_string();
    site.write(rel, &text.replace(&line, "spheres: [humanitarian]"));
    let e = ev.next_of("reload", |e| !reload_paths(e).is_empty());
    let paths = reload_paths(&e);
    for p in [
        "/rk/",
        "/rk/spheres/political/",
        "/rk/spheres/humanitarian/",
    ] {
        assert!(paths.contains(&p), "{p} not in {paths:?}");
    }
    assert!(
        !w.get("/rk/spheres/political/")
            .body_text()
            .contains("/rk/abstracts/customs-union/")
    );
    assert!(
        w.get("/rk/spheres/humanitarian/")
            .body_text()
            .contains("/rk/abstracts/customs-union/")
    );
    assert_ne!(
        w.get("/rk/").body_text(),
        old_home,
        "the matrix counts changed"
    );
}

#[test]
fn added_and_deleted_files_appear_and_vanish() {
    let site = fixture("basic");
    let w = start(&site);
    let ev = w.events();
    site.write(
        "content/abstracts/2024/new-work.md",
        "---\ntitle: A brand-new work\nauthors: [Новый Автор]\ndate: 2024\nspheres: [economic]\ncoverage: {from: 2022, to: 2024}\n---\nIts abstract.\n",
    );
    ev.next_of("reload", |e| {
        reload_paths(e).contains(&"/rk/abstracts/new-work/")
    });
    let page = w.get("/rk/abstracts/new-work/");
    assert_eq!(page.status, 200);
    assert!(page.body_text().contains("A brand-new work"));
    std::fs::remove_file(site.root.join("content/abstracts/2024/new-work.md")).unwrap();
    ev.next_of("reload", |e| {
        reload_paths(e).contains(&"/rk/abstracts/new-work/")
    });
    assert_eq!(w.get("/rk/abstracts/new-work/").status, 404);
}

#[test]
fn a_yaml_error_shows_the_overlay_keeps_the_site_and_clears_when_fixed() {
    let site = fixture("basic");
    let w = start(&site);
    let ev = w.events();
    let rel = "content/abstracts/2015/customs-union.md";
    let good = std::fs::read_to_string(site.root.join(rel)).unwrap();
    let before = w.get("/rk/abstracts/customs-union/").body_text();
    site.write(rel, &good.replacen("title: ", "title: oops: ", 1));
    let e = ev.next_of("errors", |_| true);
    let d = e["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap();
    assert_eq!(d["path"], rel);
    let title_line = good.lines().position(|l| l.starts_with("title:")).unwrap() + 1;
    assert_eq!(d["line"], title_line as u64);
    assert!(d["column"].as_u64().unwrap() >= 1);
    assert!(d["message"].as_str().unwrap().contains("YAML"), "{d}");
    assert!(d["source_line"].as_str().unwrap().contains("oops: "));
    // The last good site is still served.
    assert_eq!(w.get("/rk/abstracts/customs-union/").body_text(), before);
    let status: serde_json::Value =
        serde_json::from_str(&w.get("/__dyad/status").body_text()).unwrap();
    assert_eq!(status["errors"], true);
    // A new page load gets the overlay at once.
    let late = w.events_after_errors();
    assert_eq!(late["type"], "errors");
    let out = w.output_until(|o| o.contains("still serving"));
    assert!(
        out.contains(&format!("{rel}:{title_line}:")),
        "terminal shows file:line:col: {out}"
    );
    // Fixing it clears the overlay (any non-error event does, and the page reloads).
    site.write(rel, &good);
    let e = ev.next_of("reload", |_| true);
    assert_eq!(e["type"], "reload");
    let status: serde_json::Value =
        serde_json::from_str(&w.get("/__dyad/status").body_text()).unwrap();
    assert_eq!(status["errors"], false);
}

impl Watch {
    /// The first event a new connection gets (while the archive has errors: `errors`).
    fn events_after_errors(&self) -> serde_json::Value {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(s, "GET /__dyad/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut r = BufReader::new(s);
        let mut line = String::new();
        loop {
            line.clear();
            r.read_line(&mut line).unwrap();
            if let Some(d) = line.trim_end().strip_prefix("data: ") {
                return serde_json::from_str(d).unwrap();
            }
        }
    }
}

#[test]
fn poll_mode_sees_edits_too() {
    let site = fixture("basic");
    let w = Watch::start(&site.root, 0, &["--poll"]);
    let ev = w.events();
    let rel = "content/abstracts/2001/oil-and-gas.md";
    let text = std::fs::read_to_string(site.root.join(rel)).unwrap();
    site.write(rel, &format!("{text}\nSeen by polling.\n"));
    ev.next_of("reload", |e| !reload_paths(e).is_empty());
    assert!(
        w.get("/rk/abstracts/oil-and-gas/")
            .body_text()
            .contains("Seen by polling.")
    );
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let blocker = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = blocker.local_addr().unwrap().port();
    let site = fixture("basic");
    let w = Watch::start(&site.root, port, &[]);
    assert!(!w.addr.ends_with(&format!(":{port}")), "{}", w.addr);
    assert_eq!(w.get("/rk/").status, 200);
}

#[test]
fn what_watch_serves_equals_a_fresh_build_after_edits() {
    let site = fixture("basic");
    let w = start(&site);
    let ev = w.events();
    // A handful of edits of every kind, each waited for.
    type Edit = Box<dyn Fn(&Site)>;
    let edits: Vec<(&str, Edit)> = vec![
        (
            "body",
            Box::new(|s: &Site| {
                let p = s.root.join("content/abstracts/2001/oil-and-gas.md");
                let t = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, format!("{t}\nMore on pipelines.\n")).unwrap();
            }),
        ),
        (
            "template",
            Box::new(|s: &Site| {
                s.write("templates/page.html", "{% extends \"base.html\" %}{% block content %}<h1>{{ content.title }}</h1>{{ content.body_html | safe }}<p>custom page</p>{% endblock content %}");
            }),
        ),
        (
            "static",
            Box::new(|s: &Site| s.write("static/extra.txt", "hello\n")),
        ),
        (
            "period",
            Box::new(|s: &Site| {
                let p = s.root.join("content/periods/partnership.md");
                let t = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, t.replacen("title: ", "title: Renamed ", 1)).unwrap();
            }),
        ),
        (
            "rename",
            Box::new(|s: &Site| {
                std::fs::create_dir_all(s.root.join("content/abstracts/moved")).unwrap();
                std::fs::rename(
                    s.root.join("content/abstracts/2023/migration.md"),
                    s.root.join("content/abstracts/moved/migration-flows.md"),
                )
                .unwrap();
            }),
        ),
        (
            "save by rename, with swap and backup files",
            Box::new(|s: &Site| {
                // What vim and many editors do: a swap file, a backup, then the new text
                // written to a temporary file and renamed over the original.
                let dir = s.root.join("content/abstracts/2015");
                let target = dir.join("customs-union.md");
                let text = std::fs::read_to_string(&target).unwrap();
                std::fs::write(dir.join(".customs-union.md.swp"), b"swap").unwrap();
                std::fs::copy(&target, dir.join("customs-union.md~")).unwrap();
                let tmp = dir.join(".customs-union.md.tmp");
                std::fs::write(&tmp, format!("{text}\nSaved by rename.\n")).unwrap();
                std::fs::rename(&tmp, &target).unwrap();
                std::fs::remove_file(dir.join(".customs-union.md.swp")).unwrap();
            }),
        ),
        (
            "a burst like git checkout",
            Box::new(|s: &Site| {
                for i in 0..20 {
                    s.write(
                        &format!("content/abstracts/burst/work-{i}.md"),
                        &format!(
                            "---\ntitle: Burst work {i}\nauthors: [Author {i}]\ndate: 20{:02}\nspheres: [economic]\ncoverage: {{from: 2001, to: 2010}}\n---\nBody {i}.\n",
                            i % 20 + 1
                        ),
                    );
                }
                std::fs::remove_file(s.root.join("content/abstracts/2005/no-period.md")).unwrap();
                s.write(
                    "content/pages/about.md",
                    "---\ntitle: About this archive\n---\nRewritten in the burst.\n",
                );
            }),
        ),
    ];
    for (what, f) in &edits {
        let before = w.build_no();
        f(&site);
        let deadline = Instant::now() + Duration::from_secs(30);
        while w.build_no() == before {
            assert!(
                Instant::now() < deadline,
                "no rebuild after the {what} edit"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    w.settle(Duration::from_millis(400));
    let _ = ev;
    let status: serde_json::Value =
        serde_json::from_str(&w.get("/__dyad/status").body_text()).unwrap();
    assert_eq!(status["errors"], false, "{}", w.output());

    let out = site.tmp().join("fresh");
    let run = support::run(
        site.tmp(),
        &[
            "build",
            "--root",
            site.root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--drafts",
            "--base-url",
            &w.url,
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut built = tree(&out);
    built.remove(".dyad-manifest");
    let served: Vec<String> = serde_json::from_str(&w.get("/__dyad/files").body_text()).unwrap();
    assert_eq!(
        served,
        built.keys().cloned().collect::<Vec<_>>(),
        "the same files, none left over or missing"
    );
    for (file, bytes) in &built {
        let r = w.get(&support::file_url(file));
        assert_eq!(r.status, 200, "{file}");
        let body = if file.ends_with(".html") {
            let t = r.body_text();
            assert_eq!(t.matches(SNIPPET).count(), 1, "{file}");
            t.replacen(SNIPPET, "", 1).into_bytes()
        } else {
            r.body
        };
        assert!(&body == bytes, "{file} differs from a fresh build");
    }
    assert!(
        w.get("/rk/about/").body_text().contains("custom page"),
        "the template override is live"
    );
    assert!(
        w.get("/rk/abstracts/customs-union/")
            .body_text()
            .contains("Saved by rename.")
    );
    assert_eq!(w.get("/rk/abstracts/work-19/").status, 200);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_and_build_output_is_untouched() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let public = site.root.join("public");
    assert!(!public.exists());
    let before = tree(&site.out);
    let mut w = start(&site);
    let pid = w.child.id().to_string();
    let ok = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(ok.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = w.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "watch did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    assert!(
        w.output_until(|o| o.contains("stopped"))
            .contains("stopped")
    );
    assert!(!public.exists(), "watch writes no output folder");
    assert_eq!(tree(&site.out), before);
}
