//! Helpers shared by the test modules: copying fixtures, running the binary, reading the output.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The base path every fixture's `base_url` (`https://example.org/rk/`) gives.
pub const BASE_PATH: &str = "/rk/";
/// The fixtures' `base_url`.
pub const BASE_URL: &str = "https://example.org/rk/";

/// The folder holding the fixture archives.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copies every file under `from` into `to` (created), byte for byte.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dst = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dst).unwrap();
        } else {
            fs::copy(entry.path(), &dst).unwrap();
        }
    }
}

/// A fixture copied into a fresh temporary folder: the archive at `<tmp>/archive`, the site
/// written to `<tmp>/out`.
pub struct Site {
    tmp: tempfile::TempDir,
    /// The archive folder (a copy of the fixture).
    pub root: PathBuf,
    /// The default output folder of the tests (not dyad's default `<root>/public`).
    pub out: PathBuf,
}

/// Copies `tests/fixtures/<name>` into a temporary folder.
pub fn fixture(name: &str) -> Site {
    let src = fixtures_dir().join(name);
    assert!(src.is_dir(), "no fixture {}", src.display());
    let site = empty_site();
    copy_tree(&src, &site.root);
    site
}

/// A temporary folder with nothing in it yet (`root` does not exist).
pub fn empty_site() -> Site {
    let tmp = tempfile::Builder::new()
        .prefix("dyad-it-")
        .tempdir()
        .unwrap();
    let root = tmp.path().join("archive");
    let out = tmp.path().join("out");
    Site { tmp, root, out }
}

impl Site {
    /// The temporary folder holding `archive/` and `out/`.
    pub fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    /// Runs `dyad` with `args` in the temporary folder.
    pub fn dyad(&self, args: &[&str]) -> Run {
        run(self.tmp(), args, &[])
    }

    /// `dyad build --root <root> --out <out> <extra…>`.
    pub fn build(&self, extra: &[&str]) -> Run {
        self.build_into(&self.out, extra)
    }

    /// `dyad build --root <root> --out <out> <extra…>` into another folder.
    pub fn build_into(&self, out: &Path, extra: &[&str]) -> Run {
        let mut args = vec![
            "build",
            "--root",
            self.root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        self.dyad(&args)
    }

    /// `dyad check --root <root> <extra…>`.
    pub fn check(&self, extra: &[&str]) -> Run {
        let mut args = vec!["check", "--root", self.root.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.dyad(&args)
    }

    /// A build that must succeed; returns its run.
    pub fn build_ok(&self, extra: &[&str]) -> Run {
        let r = self.build(extra);
        assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
        r
    }

    /// Replaces the temporary folder (as given and canonicalized) by `[ROOT]`.
    pub fn redact(&self, text: &str) -> String {
        let mut t = text.to_string();
        if let Ok(real) = fs::canonicalize(self.tmp()) {
            t = t.replace(real.to_str().unwrap(), "[ROOT]");
        }
        t.replace(self.tmp().to_str().unwrap(), "[ROOT]")
    }

    /// Writes `text` to `rel` inside the archive (creating folders).
    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// Adds `line` (e.g. `page_size: 2`) to the archive's archive.yaml.
    pub fn add_setting(&self, line: &str) {
        let yaml = self.root.join("archive.yaml");
        let settings = fs::read_to_string(&yaml).unwrap();
        fs::write(&yaml, format!("{settings}{line}\n")).unwrap();
    }

    /// Reads `rel` inside the output folder as text.
    pub fn read_out(&self, rel: &str) -> String {
        let p = self.out.join(rel);
        fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }
}

/// What a run of the binary produced.
#[derive(Debug)]
pub struct Run {
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// The search-index cache of the tests' dyad runs (never the user's own).
pub fn test_cache_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("dyad-cache")
}

/// Runs `dyad args…` in `cwd` with extra environment variables; stdin is closed.
pub fn run(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dyad"));
    cmd.args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .env("NO_COLOR", "1")
        .env("DYAD_CACHE_DIR", test_cache_dir())
        .env_remove("CLICOLOR_FORCE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the dyad binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Every file under `dir` (relative path with `/` → bytes), dotfiles included.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            let rel = rel.to_str().unwrap().replace('\\', "/");
            files.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
    files
}

/// The HTML files of a site: relative path → text.
pub fn html_pages(out: &Path) -> BTreeMap<String, String> {
    tree(out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).expect("HTML is UTF-8")))
        .collect()
}

/// The root-relative URL (with the base path) of an output file: `x/index.html` → `/rk/x/`.
pub fn file_url(rel: &str) -> String {
    if rel == "index.html" {
        return BASE_PATH.to_string();
    }
    match rel.strip_suffix("/index.html") {
        Some(dir) => format!("{BASE_PATH}{dir}/"),
        None => format!("{BASE_PATH}{rel}"),
    }
}

/// The output file a root-relative path (base path included, no query or fragment) stands for:
/// `/rk/x/` → `x/index.html`. None when the path is outside the base path.
pub fn url_file(path: &str) -> Option<String> {
    let rest = path.strip_prefix(BASE_PATH)?;
    let rest = percent_decode(rest);
    if rest.is_empty() || rest.ends_with('/') {
        Some(format!("{rest}index.html"))
    } else {
        Some(rest)
    }
}

/// Decodes `%XX` escapes (UTF-8).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(Ok(v)) = s.get(i + 1..i + 3).map(|h| u8::from_str_radix(h, 16))
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).expect("percent escapes decode to UTF-8")
}

/// The part of a page from `<main` to `</main>` inclusive.
pub fn main_part(html: &str) -> &str {
    let start = html.find("<main").expect("the page has <main>");
    let end = html.find("</main>").expect("the page has </main>") + "</main>".len();
    &html[start..end]
}

/// The diagnostic header lines (`path:line:col: severity: message`, or `path: severity: …`)
/// of a human-format stderr, in order.
pub fn diagnostic_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            !l.starts_with(' ')
                && !l.starts_with("error: the archive")
                && (l.contains(": error: ") || l.contains(": warning: "))
        })
        .collect()
}

/// The current calendar year (UTC), from the system clock.
pub fn current_year() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    // Howard Hinnant's civil_from_days.
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(month <= 2)
}
