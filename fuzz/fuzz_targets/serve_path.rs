//! The `watch` server's request path → file mapping.
//!
//! Input: a base path choice, a few site files and a request target. The target goes through
//! `http::Uri` first, as in the server, so only paths a client can send arrive. Asserts: no
//! panic; a served file is one of the site's files and is exactly what the decoded path names
//! under the base path (no `..`, `.`, `\` or NUL); a redirect stays on the
//! site (starts with one `/`, is a valid `Location` header) and leads under the base path.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    base: u8,
    files: Vec<String>,
    target: String,
}

const BASES: &[&str] = &["/", "/rk/", "/a/b/"];

/// Files every site has (relative to the base path).
const SITE: &[&str] = &[
    "index.html",
    "404.html",
    "abstracts/x/index.html",
    "periods/formation/index.html",
    "atom.xml",
    "static/style.css",
];

fn decoded(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

fuzz_target!(|input: Input| {
    let base = BASES[usize::from(input.base) % BASES.len()];
    let mut files: Vec<String> = SITE.iter().map(|s| s.to_string()).collect();
    files.extend(input.files.into_iter().take(8));
    let Ok(uri) = input.target.parse::<http::Uri>() else {
        return;
    };
    let raw = uri.path();
    match dyad::fuzzing::serve_path(&files, base, raw) {
        dyad::fuzzing::Served::File(f) => {
            assert!(files.contains(&f), "{raw:?} served {f:?}, not a site file");
            let path = decoded(raw).expect("served paths decode");
            assert!(
                !f.starts_with('/')
                    && !f.contains('\\')
                    && !f.contains('\0')
                    && !f.split('/').any(|s| s == ".." || s == "."),
                "{raw:?} served the unsafe name {f:?}"
            );
            let expected = path
                .strip_prefix(base)
                .expect("served paths are under the base path");
            assert!(
                f == expected || f == format!("{expected}index.html"),
                "{raw:?} (decoded {path:?}) served {f:?}"
            );
        }
        dyad::fuzzing::Served::Redirect(to) => {
            assert!(
                to.starts_with('/') && !to.starts_with("//") && !to.starts_with("/\\"),
                "{raw:?} redirects off the site to {to:?}"
            );
            assert!(
                http::HeaderValue::from_str(&to).is_ok(),
                "{raw:?} redirects to {to:?}, not a valid Location"
            );
            let path = decoded(&to).expect("redirect targets decode");
            assert!(
                path.starts_with(base) && !path.split('/').any(|s| s == ".." || s == "."),
                "{raw:?} redirects to {to:?}, outside {base}"
            );
        }
        dyad::fuzzing::Served::NotFound => {}
    }
});
