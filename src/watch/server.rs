//! The preview server: the in-memory site over HTTP (axum), with live reload over
//! server-sent events.
//!
//! Files are served as `dyad build` writes them, under the base URL's path; `/` redirects there.
//! A folder answers with its `index.html` (a folder URL without its slash redirects to it), a
//! missing file with the site's own `404.html` and status 404. There is no directory listing,
//! and a path with a `..` or `.` segment, a backslash or a NUL (however it is encoded) is
//! refused with a 404: the only files served are the site's, which live in memory.
//!
//! Every HTML response gets one `<script>` before `</body>` that loads `/__dyad/live.js`; the
//! stored bytes stay exactly what `build` writes.
//!
//! Endpoints under `/__dyad/`: `live.js`, `events` (SSE: `reload`, `css`, `errors`), `status`
//! (JSON: the rebuild counter and whether the last rebuild failed) and `files` (JSON: every
//! file of the site; used by the tests).

use super::engine::Store;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use futures_util::stream::{self, Stream};
use std::convert::Infallible;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::broadcast;

/// The script every served HTML page loads.
pub(crate) const LIVE_JS: &str = include_str!("live.js");

/// The tag injected into HTML pages.
pub(crate) const SNIPPET: &str = "<script src=\"/__dyad/live.js\"></script>";

/// State shared by the rebuild loop and the server.
pub(crate) struct Shared {
    store: RwLock<Arc<Store>>,
    /// The search index (`pagefind/…`), kept up to date beside the rebuilds (see
    /// `watch::Indexer`): served where `store` has no such file.
    search: RwLock<Arc<Store>>,
    base_path: RwLock<String>,
    /// The last message that describes the current state (`errors` while the archive has
    /// errors), sent to every new event stream first.
    status: Mutex<Status>,
    tx: broadcast::Sender<String>,
}

#[derive(Clone, Default)]
struct Status {
    build: u64,
    errors: Option<String>,
}

impl Shared {
    /// A server state serving `store` under `base_path` (`/` or `/rk/`).
    pub fn new(store: Arc<Store>, base_path: &str) -> Arc<Shared> {
        let (tx, _) = broadcast::channel(64);
        Arc::new(Shared {
            store: RwLock::new(store),
            search: RwLock::new(Arc::new(Store::default())),
            base_path: RwLock::new(base_path.to_string()),
            status: Mutex::new(Status::default()),
            tx,
        })
    }

    /// Serves a new search index (no event: the search page reads it on its next load).
    pub fn publish_search(&self, search: Arc<Store>) {
        *self.search.write().expect("no panic holding the index") = search;
    }

    /// Serves a new site and tells the browsers: `payload` is the JSON of the event.
    pub fn publish(&self, store: Arc<Store>, base_path: &str, payload: String) {
        *self.store.write().expect("no panic holding the store") = store;
        *self.base_path.write().expect("no panic holding the path") = base_path.to_string();
        let mut st = self.status.lock().expect("no panic holding the status");
        st.build += 1;
        st.errors = None;
        drop(st);
        let _ = self.tx.send(payload);
    }

    /// Keeps the site and shows errors: `payload` is the JSON of the `errors` event.
    pub fn fail(&self, payload: String) {
        let mut st = self.status.lock().expect("no panic holding the status");
        st.build += 1;
        st.errors = Some(payload.clone());
        drop(st);
        let _ = self.tx.send(payload);
    }

    fn base_path(&self) -> String {
        self.base_path
            .read()
            .expect("no panic holding the path")
            .clone()
    }
}

/// The router of the preview server.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__dyad/live.js", get(live_js))
        .route("/__dyad/events", get(events))
        .route("/__dyad/status", get(status))
        .route("/__dyad/files", get(files))
        .fallback(serve)
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(shared)
}

async fn live_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_JS,
    )
        .into_response()
}

async fn status(State(s): State<Arc<Shared>>) -> Response {
    let st = s
        .status
        .lock()
        .expect("no panic holding the status")
        .clone();
    let body = serde_json::json!({"build": st.build, "errors": st.errors.is_some()}).to_string();
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn files(State(s): State<Arc<Shared>>) -> Response {
    let store = s.store.read().expect("no panic holding the store").clone();
    let search = s.search.read().expect("no panic holding the index").clone();
    let mut names: Vec<&String> = store.files.keys().chain(search.files.keys()).collect();
    names.sort();
    let body = serde_json::to_string(&names).expect("strings serialize");
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn events(
    State(s): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = s.tx.subscribe();
    let st = s
        .status
        .lock()
        .expect("no panic holding the status")
        .clone();
    let first = st
        .errors
        .unwrap_or_else(|| serde_json::json!({"type": "hello", "build": st.build}).to_string());
    let first = stream::once(async move { Ok(Event::default().data(first)) });
    let rest = stream::unfold(rx, |mut rx| async move {
        let msg = match rx.recv().await {
            Ok(msg) => msg,
            // Missed messages: tell the page to reload to be safe.
            Err(broadcast::error::RecvError::Lagged(_)) => {
                serde_json::json!({"type": "reload", "all": true}).to_string()
            }
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(Event::default().data(msg)), rx))
    });
    use futures_util::StreamExt;
    Sse::new(first.chain(rest)).keep_alive(KeepAlive::default())
}

/// What a request path resolves to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// A file of the site.
    File(String),
    /// A redirect to this path.
    Redirect(String),
    /// Nothing (serve the 404 page).
    NotFound,
}

/// Maps a request path (as sent, percent-encoded) to a file of `store` under `base_path`.
pub(crate) fn resolve(store: &Store, base_path: &str, raw: &str) -> Resolved {
    let Ok(path) = percent_decode(raw) else {
        return Resolved::NotFound;
    };
    if path.contains('\0') || path.contains('\\') {
        return Resolved::NotFound;
    }
    if path.split('/').any(|seg| seg == ".." || seg == ".") {
        return Resolved::NotFound;
    }
    if !path.starts_with(base_path) {
        if path == "/" || format!("{path}/") == base_path {
            return Resolved::Redirect(base_path.to_string());
        }
        return Resolved::NotFound;
    }
    let rel = &path[base_path.len()..];
    if rel.starts_with('/') {
        return Resolved::NotFound;
    }
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if store.files.contains_key(&file) {
        return Resolved::File(file);
    }
    if !rel.is_empty()
        && !rel.ends_with('/')
        && store.files.contains_key(&format!("{rel}/index.html"))
    {
        return Resolved::Redirect(format!("{raw}/"));
    }
    Resolved::NotFound
}

/// Decodes `%XX` escapes (two hex digits, nothing else); the result must be UTF-8.
fn percent_decode(s: &str) -> Result<String, ()> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3).ok_or(())?;
            // `from_str_radix` alone would also take a sign: `%+A` is not `\n`.
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return Err(());
            }
            let hex = std::str::from_utf8(hex).map_err(|_| ())?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| ())?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| ())
}

/// The MIME type of a file, by extension; text types in UTF-8.
pub(crate) fn content_type(file: &str) -> String {
    let mime = mime_guess::from_path(file).first_or_octet_stream();
    if mime.type_() == mime_guess::mime::TEXT
        || mime.essence_str() == "application/javascript"
        || mime.essence_str() == "application/json"
        || mime.essence_str() == "application/xml"
        || mime.essence_str() == "image/svg+xml"
        || mime.essence_str() == "application/atom+xml"
    {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    }
}

/// The page with the live-reload script before its last `</body>` (or at the end).
pub(crate) fn inject(html: &[u8]) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + SNIPPET.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(SNIPPET.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn body_for(file: &str, bytes: &Bytes) -> Body {
    if file.ends_with(".html") {
        Body::from(inject(bytes))
    } else {
        Body::from(bytes.clone())
    }
}

async fn serve(State(s): State<Arc<Shared>>, req: Request) -> Response {
    if req.method() != axum::http::Method::GET && req.method() != axum::http::Method::HEAD {
        return Response::builder()
            .status(StatusCode::METHOD_NOT_ALLOWED)
            .header(header::ALLOW, "GET, HEAD")
            .body(Body::empty())
            .expect("a valid response");
    }
    let mut store = s.store.read().expect("no panic holding the store").clone();
    let base = s.base_path();
    let mut found = resolve(&store, &base, req.uri().path());
    if matches!(found, Resolved::NotFound) {
        let search = s.search.read().expect("no panic holding the index").clone();
        if let f @ Resolved::File(_) = resolve(&search, &base, req.uri().path()) {
            found = f;
            store = search;
        }
    }
    match found {
        Resolved::File(f) => {
            let bytes = &store.files[&f];
            Response::builder()
                .header(header::CONTENT_TYPE, content_type(&f))
                .body(body_for(&f, bytes))
                .expect("a valid response")
        }
        Resolved::Redirect(to) => Response::builder()
            .status(StatusCode::FOUND)
            .header(header::LOCATION, to)
            .body(Body::empty())
            .expect("a valid response"),
        Resolved::NotFound => {
            let body = match store.files.get("404.html") {
                Some(b) => body_for("404.html", b),
                None => Body::from(inject(
                    b"<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Not found</title><body><h1>Not found</h1><p>The site has not been built yet, or this page does not exist.</p></body></html>",
                )),
            };
            Response::builder()
                .status(StatusCode::NOT_FOUND)
                .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
                .body(body)
                .expect("a valid response")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(files: &[&str]) -> Store {
        Store {
            files: files
                .iter()
                .map(|f| (f.to_string(), Bytes::from_static(b"x")))
                .collect(),
        }
    }

    #[test]
    fn paths_resolve_under_the_base_path() {
        let s = store(&[
            "index.html",
            "abstracts/x/index.html",
            "style.css",
            "404.html",
        ]);
        let b = "/rk/";
        assert_eq!(resolve(&s, b, "/"), Resolved::Redirect("/rk/".into()));
        assert_eq!(resolve(&s, b, "/rk"), Resolved::Redirect("/rk/".into()));
        assert_eq!(resolve(&s, b, "/rk/"), Resolved::File("index.html".into()));
        assert_eq!(
            resolve(&s, b, "/rk/abstracts/x/"),
            Resolved::File("abstracts/x/index.html".into())
        );
        assert_eq!(
            resolve(&s, b, "/rk/abstracts/x"),
            Resolved::Redirect("/rk/abstracts/x/".into())
        );
        assert_eq!(
            resolve(&s, b, "/rk/style.css"),
            Resolved::File("style.css".into())
        );
        assert_eq!(resolve(&s, b, "/rk/abstracts/"), Resolved::NotFound);
        assert_eq!(resolve(&s, b, "/style.css"), Resolved::NotFound);
    }

    #[test]
    fn traversal_is_refused_however_it_is_written() {
        let s = store(&["index.html", "a/index.html"]);
        for p in [
            "/../archive.yaml",
            "/rk/../archive.yaml",
            "/rk/%2e%2e/archive.yaml",
            "/rk/%2E%2E/%2e%2e/etc/passwd",
            "/rk/a/..%2f..%2farchive.yaml",
            "/rk/a/%2e%2e%5c..%5carchive.yaml",
            "/rk/./index.html",
            "/rk/%00",
            "/rk/%zz",
            "/rk/%ff",
            "/rk//etc/passwd",
        ] {
            assert_eq!(resolve(&s, "/rk/", p), Resolved::NotFound, "{p}");
        }
    }

    /// Found by the `serve_path` fuzz target: `%+A` decoded to a line feed.
    #[test]
    fn escapes_are_two_hex_digits() {
        let s = store(&["\n", "+A", "index.html"]);
        for p in ["/rk/%+A", "/rk/%-1", "/rk/%+", "/rk/% A"] {
            assert_eq!(resolve(&s, "/rk/", p), Resolved::NotFound, "{p}");
        }
        assert_eq!(resolve(&s, "/rk/", "/rk/%0A"), Resolved::File("\n".into()));
        assert_eq!(resolve(&s, "/rk/", "/rk/%2bA"), Resolved::File("+A".into()));
    }

    #[test]
    fn snippet_goes_before_the_last_body_end() {
        let out = inject(b"<html><body><p>x</p></body></html>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("<html><body><p>x</p>{SNIPPET}</body></html>")
        );
        let out = inject(b"no body");
        assert!(String::from_utf8(out).unwrap().ends_with(SNIPPET));
    }

    #[test]
    fn mime_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("x.png"), "image/png");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
    }
}
