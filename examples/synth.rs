//! Synthetic archive generator: writes a complete, realistic dyad archive of any size.
//!
//! `cargo run --release --example synth -- --abstracts 10000 --out DIR [--seed S] [--force]`
//!
//! A port of `../shared/bench/gen_corpus.py`: the same layout (`archive.yaml`, six periods, eight
//! spheres, `pages/about.md`, `content/abstracts/<year>/<stem>.md`), vocabulary and shares, though
//! not the same bytes. Deterministic: the same `--abstracts` and `--seed` give identical files (a
//! built-in xoshiro256** generator, no clock, no hash-map order in the output). Everything is
//! invented: names are random pairs, journals are made up, DOIs use the `10.99999/` test prefix and
//! links point at example.org. It writes only what the archive format accepts (explicit slugs
//! match `[a-z0-9-]+`, file stems stay distinct after transliteration, spheres and periods exist,
//! coverage runs forward) but it does not run `dyad check` itself.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use rayon::prelude::*;

use vocab::*;

/// Command line of the generator.
#[derive(Parser)]
#[command(about = "Write a synthetic, deterministic dyad archive (Russia–Kazakhstan) of any size")]
struct Args {
    /// Number of abstracts to write.
    #[arg(long, value_name = "N")]
    abstracts: usize,
    /// Archive root to create (must be empty or absent unless --force).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Random seed: the same N and seed give byte-identical archives.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Replace DIR if it already holds an archive (a folder with `archive.yaml`).
    #[arg(long)]
    force: bool,
}

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("synth: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Abstracts per batch. Generation is sequential (one random stream) while writing is not, so
/// batch k is written while batch k + 1 is generated; batches also bound memory at 100,000.
const BATCH: usize = 1024;

fn run(args: &Args) -> Result<(), String> {
    let started = Instant::now();
    let root = args.out.as_path();
    prepare_out(root, args.force)?;
    write_fixed(root)?;
    let n = args.abstracts;
    let mut generator = Generator::new(n, args.seed);
    let mut batch: Vec<Work> = (0..n.min(BATCH))
        .map(|i| generator.abstract_file(i))
        .collect();
    let mut next_start = batch.len();
    let mut bytes = 0;
    while !batch.is_empty() {
        let next_end = (next_start + BATCH).min(n);
        let (written, next) = rayon::join(
            || write_batch(root, &batch),
            || {
                (next_start..next_end)
                    .map(|i| generator.abstract_file(i))
                    .collect()
            },
        );
        bytes += written?;
        batch = next;
        next_start = next_end;
    }
    eprintln!(
        "wrote {n} abstracts ({:.1} MB) to {} in {:.2} s",
        bytes as f64 / 1e6,
        root.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Writes one batch of abstracts (in parallel) and returns the number of bytes written.
fn write_batch(root: &Path, batch: &[Work]) -> Result<usize, String> {
    let abstracts = root.join("content/abstracts");
    let years: BTreeSet<i32> = batch.iter().map(|w| w.year).collect();
    for year in years {
        let dir = abstracts.join(year.to_string());
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    batch.par_iter().try_for_each(|work| {
        let path = abstracts
            .join(work.year.to_string())
            .join(format!("{}.md", work.stem));
        fs::write(&path, &work.text).map_err(|e| format!("{}: {e}", path.display()))
    })?;
    Ok(batch.iter().map(|w| w.text.len()).sum())
}

/// Makes `root` an empty folder. A non-empty one is refused without `force`, and even with it
/// unless it holds an `archive.yaml`: `--force` replaces an archive, never an arbitrary folder.
fn prepare_out(root: &Path, force: bool) -> Result<(), String> {
    let shown = root.display();
    if root.exists() {
        if !root.is_dir() {
            return Err(format!("{shown} exists and is not a folder"));
        }
        let mut entries = fs::read_dir(root).map_err(|e| format!("{shown}: {e}"))?;
        if entries.next().is_some() {
            if !force {
                return Err(format!("{shown} is not empty (use --force to replace it)"));
            }
            if !root.join("archive.yaml").is_file() {
                return Err(format!(
                    "{shown} is not empty and has no archive.yaml: refusing to replace it"
                ));
            }
            fs::remove_dir_all(root).map_err(|e| format!("removing {shown}: {e}"))?;
        }
    }
    fs::create_dir_all(root).map_err(|e| format!("{shown}: {e}"))
}

/// Writes `archive.yaml`, the periods, the spheres and the about page.
fn write_fixed(root: &Path) -> Result<(), String> {
    let write = |rel: String, text: &str| -> Result<(), String> {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    write("archive.yaml".into(), ARCHIVE_YAML)?;
    for p in PERIODS {
        let to = p.to.map(|to| format!("to: {to}\n")).unwrap_or_default();
        let text = format!(
            "---\ntitle: {}\nfrom: {}\n{to}---\n{}",
            yaml_scalar(p.title),
            p.from,
            p.description
        );
        write(format!("content/periods/{}.md", p.id), &text)?;
    }
    for s in SPHERES {
        let text = format!(
            "---\ntitle: {}\n---\n{}\n",
            yaml_scalar(s.title),
            s.description
        );
        write(format!("content/spheres/{}.md", s.id), &text)?;
    }
    write("content/pages/about.md".into(), ABOUT_MD)?;
    let abstracts = root.join("content/abstracts");
    fs::create_dir_all(&abstracts).map_err(|e| format!("{}: {e}", abstracts.display()))
}

// ------------------------------------------------------------------------------ random numbers

/// xoshiro256** seeded through SplitMix64: small, fast and the same on every platform.
struct Rng {
    s: [u64; 4],
}

impl Rng {
    fn new(seed: u64) -> Self {
        let mut x = seed;
        let mut split_mix = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng {
            s: [split_mix(), split_mix(), split_mix(), split_mix()],
        }
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A float in [0, 1).
    fn random(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.random() < p
    }

    /// An index in `0..n` (multiply-shift; the bias is far below anything measurable here).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// An integer in `lo..=hi`.
    fn int(&mut self, lo: i32, hi: i32) -> i32 {
        lo + self.below((hi - lo + 1) as usize) as i32
    }

    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.random()
    }

    /// One element; `items` is never empty at a call site (the word lists are constants).
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// An index drawn with the given integer weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// `k` distinct elements in random order (a partial Fisher–Yates shuffle).
    fn sample<T: Copy>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut pool = items.to_vec();
        let k = k.min(pool.len());
        for i in 0..k {
            let j = i + self.below(pool.len() - i);
            pool.swap(i, j);
        }
        pool.truncate(k);
        pool
    }
}

/// Weighted choice with weights 1 / rank^a, so a few authors and keywords recur often and
/// most appear once or twice, as in a real bibliography.
struct Zipf<T> {
    items: Vec<T>,
    cumulative: Vec<f64>,
}

impl<T: Clone + PartialEq> Zipf<T> {
    fn new(items: Vec<T>, a: f64) -> Self {
        let mut acc = 0.0;
        let cumulative = (0..items.len())
            .map(|i| {
                acc += 1.0 / ((i + 1) as f64).powf(a);
                acc
            })
            .collect();
        Zipf { items, cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> T {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.random() * total;
        let i = self.cumulative.partition_point(|&c| c < x);
        self.items[i.min(self.items.len() - 1)].clone()
    }

    /// Up to `k` distinct items (fewer only when the pool is tiny).
    fn sample(&self, rng: &mut Rng, k: usize) -> Vec<T> {
        let mut out: Vec<T> = Vec::with_capacity(k);
        let mut tries = 0;
        while out.len() < k && tries < 50 * k {
            let x = self.pick(rng);
            tries += 1;
            if !out.contains(&x) {
                out.push(x);
            }
        }
        out
    }
}

// ------------------------------------------------------------------------------ fixed parts

/// A period as written to `content/periods/<id>.md` (`to: None` = open-ended).
struct Period {
    id: &'static str,
    title: &'static str,
    from: &'static str,
    to: Option<&'static str>,
    description: &'static str,
}

/// A sphere as written to `content/spheres/<id>.md`.
struct Sphere {
    id: &'static str,
    title: &'static str,
    description: &'static str,
}

const ARCHIVE_YAML: &str = "\
title: \"Russia–Kazakhstan Relations: A Research Archive\"
description: \"Abstracts of scholarly works on the relations between the Russian Federation and the Republic of Kazakhstan since 1991, by period and by sphere.\"
base_url: \"https://example.org/ru-kz/\"
language: en
dyad: [RU, KZ]
";

const ABOUT_MD: &str = "\
---
title: About this archive
---
This archive collects **abstracts** of scholarly works on relations between the Russian
Federation and the Republic of Kazakhstan since December 1991. Each entry records the
authors, the date of publication, the span of time the work studies and the *spheres* of
the relationship it covers.

## How entries are organised

- **Periods** follow a periodisation common in the literature: formation, strategic
  partnership, two post-Crimea stages, the transit of power and the period after
  February 2022.
- **Spheres** group works by subject: political, economic, military, humanitarian,
  interregional, energy, transport and migration.
- Authors, actors and keywords each have their own index.

A work belongs to every period whose interval overlaps the span it studies by at least
half of the shorter of the two; editors may also list periods explicitly.

## Citing

Every entry gives a full reference and, where one exists, a DOI. The abstracts are
written by the editors and may be quoted with attribution.
";

// ------------------------------------------------------------------------------ text helpers

/// Scalars YAML 1.1 and 1.2 would read as something other than a string.
const YAML_RESERVED: &[&str] = &[
    "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~",
];

/// Whether `s` can be written as a plain YAML scalar, in block and flow context alike: a letter
/// first, then letters, digits, spaces and `.'’-–`, no trailing space, no reserved word.
fn is_plain(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(char::is_alphabetic)
        && chars.all(|c| c.is_alphanumeric() || "_ .'’-–".contains(c))
        && !s.ends_with(' ')
        && !YAML_RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s))
}

/// A YAML scalar for `s`: plain when [`is_plain`], else double-quoted.
fn yaml_scalar(s: &str) -> String {
    if is_plain(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Lowercase ASCII for one letter (Russian after BGN/PCGN without its apostrophes, Kazakh
/// folded to ASCII); `None` for characters that are not Cyrillic letters.
#[rustfmt::skip]
fn translit(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a", 'б' => "b", 'в' => "v", 'г' => "g", 'д' => "d", 'е' | 'ё' => "e", 'ж' => "zh",
        'з' => "z", 'и' => "i", 'й' => "y", 'к' => "k", 'л' => "l", 'м' => "m", 'н' => "n",
        'о' => "o", 'п' => "p", 'р' => "r", 'с' => "s", 'т' => "t", 'у' => "u", 'ф' => "f",
        'х' => "kh", 'ц' => "ts", 'ч' => "ch", 'ш' => "sh", 'щ' => "shch", 'ъ' | 'ь' => "",
        'ы' => "y", 'э' => "e", 'ю' => "yu", 'я' => "ya", 'ә' => "a", 'ғ' => "g", 'қ' => "q",
        'ң' => "ng", 'ө' => "o", 'ұ' | 'ү' => "u", 'һ' => "h", 'і' => "i",
        _ => return None,
    })
}

/// An ASCII slug (`[a-z0-9-]*`): Cyrillic transliterated, every other character a separator.
fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if let Some(latin) = translit(c) {
            out.push_str(latin);
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push('-');
        }
    }
    collapse_dashes(&out)
}

/// Like [`slugify`] but keeps Cyrillic letters: a few file stems are written that way so the
/// build has to transliterate them.
fn cyrillic_stem(text: &str) -> String {
    let lowered: String = text
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    collapse_dashes(&lowered)
}

fn collapse_dashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A deliberately coarse key for stems: the slug's consonant skeleton, without the letters on
/// which transliteration standards disagree (vowels, y/j, h, g of `ng`, k/q, hyphens). Two stems
/// that *any* plausible BGN/PCGN implementation maps to one slug share a key, so stems with
/// distinct keys can never collide in the build, whatever its exact table.
fn coarse_key(stem: &str) -> String {
    slugify(stem)
        .chars()
        .filter(|c| c.is_ascii_digit() || "bcdflmnprstvz".contains(*c))
        .collect()
}

/// `template` with each `{key}` replaced by `lookup(key)`.
fn fill<'a>(template: &str, lookup: impl Fn(&str) -> Option<&'a str>) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    fill_into(&mut out, template, lookup);
    out
}

/// Appends `template` to `out` with each `{key}` replaced by `lookup(key)`; an unknown key stays
/// as written (the tests check that every template resolves).
fn fill_into<'a>(out: &mut String, template: &str, lookup: impl Fn(&str) -> Option<&'a str>) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let key = &rest[open + 1..open + close];
        match lookup(key) {
            Some(value) => out.push_str(value),
            None => {
                out.push('{');
                out.push_str(key);
                out.push('}');
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn days_in_month(y: i32, m: i32) -> i32 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Precision of a written date.
#[derive(Clone, Copy)]
enum Precision {
    Year,
    Month,
    Day,
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, unquoted: YAML reads them as an integer, a string and a
/// date, and the loader must accept all three.
fn format_date(y: i32, m: i32, d: i32, precision: Precision) -> String {
    match precision {
        Precision::Year => format!("{y:04}"),
        Precision::Month => format!("{y:04}-{m:02}"),
        Precision::Day => format!("{y:04}-{m:02}-{d:02}"),
    }
}

/// The years a work studies, phrased for titles and sentences in each language.
struct Spans {
    y1: i32,
    y2: i32,
    keys: [(&'static str, String); 7],
}

impl Spans {
    fn new(y1: i32, y2: i32) -> Self {
        let keys = if y1 == y2 {
            [
                ("y1", y1.to_string()),
                ("y2", y2.to_string()),
                ("en_span", y1.to_string()),
                ("en_in", format!("in {y1}")),
                ("ru_span", format!("{y1} г.")),
                ("ru_in", format!("в {y1} г.")),
                ("kk_span", format!("{y1} ж.")),
            ]
        } else {
            [
                ("y1", y1.to_string()),
                ("y2", y2.to_string()),
                ("en_span", format!("{y1}–{y2}")),
                ("en_in", format!("from {y1} to {y2}")),
                ("ru_span", format!("{y1}–{y2} гг.")),
                ("ru_in", format!("в {y1}–{y2} гг.")),
                ("kk_span", format!("{y1}–{y2} жж.")),
            ]
        };
        Spans { y1, y2, keys }
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.keys
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A random event of `pool` that happened no later than `year` (the first one if none did).
fn event_before(rng: &mut Rng, pool: &[(&'static str, i32)], year: i32) -> &'static str {
    let eligible = pool.iter().filter(|e| e.1 <= year).count();
    if eligible == 0 {
        return pool[0].0;
    }
    let nth = rng.below(eligible);
    pool.iter()
        .filter(|e| e.1 <= year)
        .nth(nth)
        .map_or(pool[0].0, |e| e.0)
}

// ------------------------------------------------------------------------------ the generator

/// One abstract file, ready to write to `content/abstracts/<year>/<stem>.md`.
struct Work {
    year: i32,
    stem: String,
    text: String,
}

/// Language of a work or of its abstract.
#[derive(Clone, Copy, PartialEq)]
enum Lang {
    En,
    Ru,
    Kk,
}

/// Source types in the front matter's vocabulary, with their shares in percent.
const SOURCE_TYPES: [&str; 6] = ["article", "chapter", "book", "report", "thesis", "other"];
const SOURCE_WEIGHTS: [u32; 6] = [60, 14, 8, 10, 6, 2];

/// Where a work appeared (`source:` in the front matter; `None` fields are left out).
#[derive(Default)]
struct Source {
    kind: usize,
    container: Option<&'static str>,
    volume: Option<i32>,
    issue: Option<i32>,
    pages: Option<String>,
    publisher: Option<&'static str>,
    place: Option<&'static str>,
    /// Short code of the journal or source type, used in DOIs and explicit slugs.
    abbr: &'static str,
}

/// `coverage:` as written, plus the year and month it starts and ends in.
struct Coverage {
    from: String,
    to: String,
    start: (i32, i32),
    end: (i32, i32),
}

/// File stems and slugs handed out so far. Plain ASCII stems must differ exactly; a stem that
/// contains Cyrillic letters must also differ from every other stem by [`coarse_key`], since the
/// build transliterates it with a table this generator does not see.
#[derive(Default)]
struct Slugs {
    exact: HashSet<String>,
    coarse_all: HashSet<String>,
    coarse_cyrillic: HashSet<String>,
}

impl Slugs {
    /// An ASCII slug from `base` (at most 80 bytes), suffixed `-2`, `-3`… until it is free.
    fn claim_ascii(&mut self, base: &str) -> String {
        let base = base[..base.len().min(80)].trim_matches('-');
        let mut candidate = base.to_string();
        let mut i = 2;
        while self.exact.contains(&candidate)
            || self.coarse_cyrillic.contains(&coarse_key(&candidate))
        {
            candidate = format!("{base}-{i}");
            i += 1;
        }
        self.coarse_all.insert(coarse_key(&candidate));
        self.exact.insert(candidate.clone());
        candidate
    }

    /// A stem in Cyrillic from `base`, suffixed `-2`, `-3`… until its coarse key is free.
    fn claim_cyrillic(&mut self, base: &str) -> String {
        let mut candidate = base.to_string();
        let mut i = 2;
        while self.coarse_all.contains(&coarse_key(&candidate)) {
            candidate = format!("{base}-{i}");
            i += 1;
        }
        let key = coarse_key(&candidate);
        self.coarse_all.insert(key.clone());
        self.coarse_cyrillic.insert(key);
        self.exact.insert(slugify(&candidate));
        candidate
    }
}

/// Publication years and their weights: later years publish more.
const FIRST_YEAR: i32 = 1993;
const LAST_YEAR: i32 = 2025;

/// Draws abstracts one after another from a single random stream.
struct Generator {
    rng: Rng,
    authors_latin: Zipf<String>,
    authors_cyrillic: Zipf<String>,
    authors_kazakh: Zipf<String>,
    keywords_en: Zipf<&'static str>,
    keywords_ru: Zipf<&'static str>,
    keywords_kk: Zipf<&'static str>,
    year_cumulative: Vec<f64>,
    slugs: Slugs,
}

impl Generator {
    fn new(n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let (latin, cyrillic, kazakh) = author_pools(&mut rng, n);
        let kazakh = if kazakh.is_empty() {
            cyrillic.clone()
        } else {
            kazakh
        };
        let keywords_en = Zipf::new(rng.sample(EN_KEYWORDS, EN_KEYWORDS.len()), 0.7);
        let keywords_ru = Zipf::new(rng.sample(RU_KEYWORDS, RU_KEYWORDS.len()), 0.7);
        let keywords_kk = Zipf::new(rng.sample(KK_KEYWORDS, KK_KEYWORDS.len()), 0.5);
        let mut acc = 0.0;
        let year_cumulative = (FIRST_YEAR..=LAST_YEAR)
            .map(|y| {
                acc += 1.0 + 0.18 * f64::from(y - FIRST_YEAR);
                acc
            })
            .collect();
        Generator {
            rng,
            authors_latin: Zipf::new(latin, 0.8),
            authors_cyrillic: Zipf::new(cyrillic, 0.8),
            authors_kazakh: Zipf::new(kazakh, 0.8),
            keywords_en,
            keywords_ru,
            keywords_kk,
            year_cumulative,
            slugs: Slugs::default(),
        }
    }

    /// Publication date: 1993–2025 weighted to recent years; day, month or year precision.
    fn pub_date(&mut self) -> (i32, i32, String) {
        let rng = &mut self.rng;
        let total = self.year_cumulative.last().copied().unwrap_or(1.0);
        let x = rng.random() * total;
        let y = FIRST_YEAR + self.year_cumulative.partition_point(|&c| c < x) as i32;
        let y = y.min(LAST_YEAR);
        let m = rng.int(1, 12);
        let d = rng.int(1, days_in_month(y, m));
        let r = rng.random();
        let precision = match r {
            _ if r < 0.5 => Precision::Day,
            _ if r < 0.8 => Precision::Month,
            _ => Precision::Year,
        };
        (y, m, format_date(y, m, d, precision))
    }

    /// Coverage of one month to twenty years (log-uniform), ending before publication.
    fn coverage(&mut self, py: i32, pm: i32) -> Coverage {
        let rng = &mut self.rng;
        let start_min = 1988 * 12;
        let mut end = py * 12 + pm - 1 - (rng.random().powi(2) * 36.0) as i32;
        let mut length = (rng.uniform(0.0, 5.48).exp().round() as i32).clamp(1, 240);
        if end - length + 1 < start_min {
            end = end.max(start_min + length - 1).min(LAST_YEAR * 12 + 11);
            length = length.min(end - start_min + 1);
        }
        let start = end - length + 1;
        let (sy, sm) = (start / 12, start % 12 + 1);
        let (ey, em) = (end / 12, end % 12 + 1);
        if length >= 60 && (ey - sy + 1) * 12 <= 240 && rng.chance(0.6) {
            // long spans are often given in whole years (still at most twenty of them)
            return Coverage {
                from: format_date(sy, 1, 1, Precision::Year),
                to: format_date(ey, 12, 31, Precision::Year),
                start: (sy, 1),
                end: (ey, 12),
            };
        }
        if length <= 3 && rng.chance(0.5) {
            let d1 = rng.int(1, 10);
            let d2 = rng.int(18, days_in_month(ey, em));
            return Coverage {
                from: format_date(sy, sm, d1, Precision::Day),
                to: format_date(ey, em, d2, Precision::Day),
                start: (sy, sm),
                end: (ey, em),
            };
        }
        Coverage {
            from: format_date(sy, sm, 1, Precision::Month),
            to: format_date(ey, em, 1, Precision::Month),
            start: (sy, sm),
            end: (ey, em),
        }
    }

    /// 1–4 distinct sphere indexes, weighted towards political and economic.
    fn spheres(&mut self) -> Vec<usize> {
        let n = self.rng.weighted(&[35, 35, 20, 10]) + 1;
        let mut spheres = Vec::with_capacity(n);
        while spheres.len() < n {
            let s = self.rng.weighted(&SPHERE_WEIGHTS);
            if !spheres.contains(&s) {
                spheres.push(s);
            }
        }
        spheres
    }

    /// 1–3 authors; Latin names for English works, with the odd Cyrillic or Kazakh co-author.
    fn authors(&mut self, lang: Lang) -> Vec<String> {
        let rng = &mut self.rng;
        let n = rng.weighted(&[55, 30, 15]) + 1;
        let (main, other, share) = match lang {
            Lang::En => (&self.authors_latin, &self.authors_cyrillic, 0.05),
            Lang::Ru => (&self.authors_cyrillic, &self.authors_kazakh, 0.15),
            Lang::Kk => (&self.authors_kazakh, &self.authors_kazakh, 0.0),
        };
        let mut authors = main.sample(rng, n);
        if rng.chance(share) {
            let guest = other.pick(rng);
            if !authors.contains(&guest) {
                authors.pop();
                authors.push(guest);
            }
        }
        authors
    }

    /// Up to `k` actors, nearly always ones active in the covered years.
    fn actors(&mut self, y1: i32, y2: i32, k: usize) -> Vec<&'static str> {
        let all: Vec<&'static str> = ACTORS.iter().map(|a| a.0).collect();
        let active: Vec<&'static str> = ACTORS
            .iter()
            .filter(|a| a.1 <= y2 && a.2 >= y1)
            .map(|a| a.0)
            .collect();
        let mut out = Vec::with_capacity(k);
        for _ in 0..k {
            let pool = if !active.is_empty() && self.rng.chance(0.95) {
                &active
            } else {
                &all
            };
            let actor = self.rng.pick(pool);
            if !out.contains(&actor) {
                out.push(actor);
            }
        }
        out
    }

    /// 3–8 keywords in the work's language (Kazakh works often add Russian ones).
    fn keywords(&mut self, lang: Lang) -> Vec<&'static str> {
        let rng = &mut self.rng;
        let n = rng.int(3, 8) as usize;
        let pool = match lang {
            Lang::En => &self.keywords_en,
            Lang::Ru => &self.keywords_ru,
            Lang::Kk => &self.keywords_kk,
        };
        let mut keywords = pool.sample(rng, n);
        if lang == Lang::Kk && rng.chance(0.5) {
            for k in self.keywords_ru.sample(rng, 2) {
                if !keywords.contains(&k) {
                    keywords.push(k);
                }
            }
        }
        keywords
    }

    /// An invented journal article, chapter, book, report, thesis or other item.
    fn source(&mut self, lang: Lang, year: i32) -> Source {
        let rng = &mut self.rng;
        let kind = rng.weighted(&SOURCE_WEIGHTS);
        let publishers = if lang == Lang::En {
            EN_PUBLISHERS
        } else {
            RU_PUBLISHERS
        };
        let mut src = Source {
            kind,
            ..Source::default()
        };
        match SOURCE_TYPES[kind] {
            "article" => {
                let journals = match lang {
                    Lang::En => EN_JOURNALS,
                    Lang::Ru => RU_JOURNALS,
                    Lang::Kk => KK_JOURNALS,
                };
                let (name, abbr) = rng.pick(journals);
                src.container = Some(name);
                src.abbr = abbr;
                src.volume = Some((year - 1990 + rng.int(-3, 3)).max(1));
                src.issue = Some(rng.int(1, 6));
                let p = rng.int(1, 300);
                src.pages = Some(format!("{p}-{}", p + rng.int(8, 35)));
            }
            "chapter" => {
                let books = if lang == Lang::En {
                    EN_VOLUMES
                } else {
                    RU_VOLUMES
                };
                src.container = Some(rng.pick(books));
                let (publisher, place) = rng.pick(publishers);
                (src.publisher, src.place) = (Some(publisher), Some(place));
                let p = rng.int(10, 350);
                src.pages = Some(format!("{p}-{}", p + rng.int(12, 40)));
                src.abbr = "ch";
            }
            "book" => {
                let (publisher, place) = rng.pick(publishers);
                (src.publisher, src.place) = (Some(publisher), Some(place));
                src.pages = Some(rng.int(160, 480).to_string());
                src.abbr = "bk";
            }
            "report" => {
                let (tank, series) = rng.pick(THINK_TANKS);
                (src.container, src.publisher) = (Some(series), Some(tank));
                src.issue = Some(rng.int(1, 40));
                src.pages = Some(rng.int(8, 60).to_string());
                src.abbr = "rep";
            }
            "thesis" => {
                src.publisher = Some(rng.pick(UNIVERSITIES));
                src.place = Some(rng.pick(THESIS_PLACES));
                src.pages = Some(rng.int(150, 420).to_string());
                src.abbr = "th";
            }
            _ => {
                src.container = Some(rng.pick(OTHER_CONTAINERS));
                src.abbr = "oth";
            }
        }
        src
    }

    /// A title from the templates of the work's language.
    fn title(&mut self, lang: Lang, spheres: &[usize], spans: &Spans) -> String {
        let rng = &mut self.rng;
        let main = spheres[0];
        match lang {
            Lang::En => {
                let t1 = rng.pick(EN_TOPICS[main]);
                let other = rng.pick(spheres);
                let t2 = rng.pick(EN_TOPICS[other]);
                let topic = capitalize(t1);
                let topic2 = if t2 == t1 {
                    "Security".to_string()
                } else {
                    capitalize(t2)
                };
                let event = event_before(rng, EN_EVENTS, spans.y2);
                let adj = capitalize(rng.pick(EN_ADJ));
                let title = fill(rng.pick(EN_TITLE), |k| match k {
                    "Topic" => Some(topic.as_str()),
                    "Topic2" => Some(topic2.as_str()),
                    "event" => Some(event),
                    "Adj" => Some(adj.as_str()),
                    _ => spans.get(k),
                });
                capitalize(&title)
            }
            Lang::Ru => {
                let topic = rng.pick(RU_TOPICS_GEN[main]);
                let event = event_before(rng, RU_EVENTS, spans.y2);
                fill(rng.pick(RU_TITLE), |k| match k {
                    "topic" => Some(topic),
                    "event" => Some(event),
                    _ => spans.get(k),
                })
            }
            Lang::Kk => {
                let title = fill(rng.pick(KK_TITLE), |k| match k {
                    "kk_topic" => Some(KK_TOPICS[main]),
                    _ => spans.get(k),
                });
                capitalize(&title)
            }
        }
    }
}

/// Name pools: Latin "First [M.] Last", Cyrillic and Kazakh "Фамилия И. О.", each name once.
/// They grow with N so that authors have several works, capped well below the number of
/// distinct names the word lists allow (about 57,000 Latin and 39,000 Cyrillic).
fn author_pools(rng: &mut Rng, n: usize) -> (Vec<String>, Vec<String>, Vec<String>) {
    let n_latin = (n / 4).clamp(30, 25_000);
    let n_cyrillic = (n / 12).clamp(12, 15_000);
    let mut seen = HashSet::new();
    let mut latin = Vec::with_capacity(n_latin);
    while latin.len() < n_latin {
        let (first, last) = (rng.pick(LAT_FIRST), rng.pick(LAT_LAST));
        let name = if rng.chance(0.6) {
            format!("{first} {last}")
        } else {
            format!("{first} {}. {last}", rng.pick(MIDDLE_INITIALS))
        };
        if seen.insert(name.clone()) {
            latin.push(name);
        }
    }
    let cyrillic_initials: Vec<char> = CYR_INITIALS.chars().collect();
    let kazakh_initials: Vec<char> = KAZ_INITIALS.chars().collect();
    let (mut cyrillic, mut kazakh) = (Vec::new(), Vec::new());
    while cyrillic.len() + kazakh.len() < n_cyrillic {
        let is_kazakh = rng.chance(0.22);
        let surnames = if is_kazakh {
            KAZ_SURNAMES_M
        } else {
            CYR_SURNAMES_M
        };
        let mut surname = rng.pick(surnames).to_string();
        if rng.chance(0.45) {
            surname = feminine(&surname);
        }
        let initials = if is_kazakh {
            &kazakh_initials
        } else {
            &cyrillic_initials
        };
        let name = format!("{surname} {}. {}.", rng.pick(initials), rng.pick(initials));
        if seen.insert(name.clone()) {
            (if is_kazakh {
                &mut kazakh
            } else {
                &mut cyrillic
            })
            .push(name);
        }
    }
    (latin, cyrillic, kazakh)
}

/// The feminine form of a Russian-style surname (`-ов` → `-ова`, `-ин` → `-ина`…).
fn feminine(surname: &str) -> String {
    for (male, female) in [("ов", "ова"), ("ев", "ева"), ("ёв", "ёва"), ("ин", "ина")]
    {
        if let Some(stem) = surname.strip_suffix(male) {
            return format!("{stem}{female}");
        }
    }
    surname.to_string()
}

const MIDDLE_INITIALS: &[char] = &[
    'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'R', 'S', 'T', 'V',
];

// ------------------------------------------------------------------------------ one abstract

/// Puts `*…*` around one word of `sentence` (a word of letters only, not among the first two or
/// last three); returns whether it did.
fn emphasize(rng: &mut Rng, sentence: &mut String) -> bool {
    let n = sentence.split(' ').count();
    if n <= 6 {
        return false;
    }
    let i = rng.int(2, n as i32 - 4) as usize;
    let Some((space, _)) = sentence.match_indices(' ').nth(i - 1) else {
        return false;
    };
    let start = space + 1;
    let end = sentence[start..]
        .find(' ')
        .map_or(sentence.len(), |e| start + e);
    let word = &sentence[start..end];
    if word.is_empty() || !word.chars().all(char::is_alphabetic) {
        return false;
    }
    sentence.insert(end, '*');
    sentence.insert(start, '*');
    true
}

/// Which optional blocks a body gets.
#[derive(Clone, Copy)]
struct Extras {
    footnote: bool,
    list: bool,
    link: bool,
    table: bool,
}

/// What every sentence of one body may mention.
struct BodyContext<'a> {
    spans: &'a Spans,
    kind: &'static str,
    kind_pr: &'static str,
    py: String,
    topic: &'static str,
    spheres: &'a [usize],
    actors: &'a [&'static str],
    slug: &'a str,
    multi: bool,
}

impl BodyContext<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        let m = self.multi;
        Some(match key {
            "kind" => self.kind,
            "kind_pr" => self.kind_pr,
            "py" => &self.py,
            "topic" => self.topic,
            "s" => plural(m, "s", ""),
            "s_verb" => plural(m, "", "s"),
            "s_ru" => plural(m, "ы", ""),
            "verb_ru" | "verb2_ru" => plural(m, "ют", "ет"),
            _ => return self.spans.get(key),
        })
    }
}

fn plural(multi: bool, many: &'static str, one: &'static str) -> &'static str {
    if multi { many } else { one }
}

/// The words drawn afresh for each sentence.
struct SentenceWords {
    topic2: &'static str,
    method: &'static str,
    method2: &'static str,
    event: &'static str,
    factor: &'static str,
    finding: &'static str,
    adj: &'static str,
    actor: &'static str,
    actor_capitalized: String,
}

impl SentenceWords {
    fn get(&self, key: &str) -> Option<&str> {
        Some(match key {
            "topic2" => self.topic2,
            "method" => self.method,
            "method2" => self.method2,
            "event" => self.event,
            "factor" => self.factor,
            "finding" => self.finding,
            "adj" => self.adj,
            "actor" => self.actor,
            "Actor" => &self.actor_capitalized,
            _ => return None,
        })
    }
}

const EN_VOLUMES: &[&str] = &[
    "Eurasia in Transition",
    "Handbook of Post-Soviet Relations",
    "Kazakhstan and Its Neighbours",
    "The Politics of Integration in Eurasia",
];
const RU_VOLUMES: &[&str] = &[
    "Россия и Казахстан: тридцать лет вместе",
    "Евразийская интеграция: итоги и перспективы",
    "Приграничье в постсоветскую эпоху",
];
const THESIS_PLACES: &[&str] = &["Almaty", "Astana", "Omsk", "Moscow", "Oxford"];
const OTHER_CONTAINERS: &[&str] = &[
    "Conference proceedings",
    "Expert roundtable",
    "Working notes",
];
const WORKSHOP_CITIES: &[&str] = &["Almaty", "Omsk", "Astana", "Orenburg", "Berlin"];

/// Everything drawn for one abstract except its body, in front-matter order.
struct Meta {
    title: String,
    authors: Vec<String>,
    authors_flow: bool,
    year: i32,
    date: String,
    lang: Lang,
    body_lang: Lang,
    spheres: Vec<usize>,
    periods: Option<Vec<&'static str>>,
    coverage: Coverage,
    spans: Spans,
    actors: Vec<&'static str>,
    keywords: Vec<&'static str>,
    source: Source,
    doi: Option<String>,
    url: Option<String>,
    slug: Option<String>,
    draft: bool,
}

impl Generator {
    /// The abstract number `index` (0-based): its year folder, unique file stem and full text.
    fn abstract_file(&mut self, index: usize) -> Work {
        let lang = match self.rng.random() {
            r if r < 0.75 => Lang::En,
            r if r < 0.955 => Lang::Ru,
            _ => Lang::Kk,
        };
        let (year, month, date) = self.pub_date();
        let coverage = self.coverage(year, month);
        let spans = Spans::new(coverage.start.0, coverage.end.0);
        let spheres = self.spheres();
        let authors = self.authors(lang);
        let n_actors = self.rng.weighted(&[8, 20, 28, 22, 14, 8]);
        let actors = self.actors(spans.y1, spans.y2, n_actors);
        let keywords = self.keywords(lang);
        let source = self.source(lang, year);
        let title = self.title(lang, &spheres, &spans);
        let surname = surname(&authors[0], lang);
        let stem = self.stem(lang, surname, year, &title);
        let slug = self.rng.chance(0.02).then(|| {
            let base = slugify(&format!("{surname}-{year}-{}", source.abbr));
            self.slugs.claim_ascii(&base)
        });
        let url_slug = slug.clone().unwrap_or_else(|| slugify(&stem));
        let rng = &mut self.rng;
        let meta = Meta {
            authors_flow: rng.chance(0.5) && authors.iter().all(|a| is_plain(a)),
            draft: rng.chance(0.03),
            periods: rng.chance(0.05).then(|| explicit_periods(&coverage)),
            doi: (rng.chance(0.5))
                .then(|| format!("10.99999/{}.{year}.{:04}", source.abbr, index + 1)),
            url: rng
                .chance(0.1)
                .then(|| format!("https://example.org/works/{url_slug}")),
            body_lang: match lang {
                Lang::Ru if rng.chance(0.3) => Lang::En,
                Lang::Kk if rng.chance(0.4) => Lang::En,
                Lang::Kk => Lang::Ru,
                other => other,
            },
            title,
            authors,
            year,
            date,
            lang,
            spheres,
            coverage,
            spans,
            actors,
            keywords,
            source,
            slug,
        };
        let mut text = front_matter(&meta);
        self.write_body(&meta, &url_slug, &mut text);
        Work { year, stem, text }
    }

    /// The file stem: first author's surname, year and three words of the title, made unique.
    /// 8 % of the non-English works keep it in Cyrillic, for the build to transliterate.
    fn stem(&mut self, lang: Lang, surname: &str, year: i32, title: &str) -> String {
        let lowered = title.to_lowercase();
        let words: Vec<&str> = lowered
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| w.chars().count() > 3)
            .take(3)
            .collect();
        let basis = format!("{surname} {year} {}", words.join(" "));
        if lang != Lang::En && self.rng.chance(0.08) {
            self.slugs.claim_cyrillic(&cyrillic_stem(&basis))
        } else {
            self.slugs.claim_ascii(&slugify(&basis))
        }
    }

    /// Appends the body: Markdown in the abstract's language, Kazakh works opening with
    /// Kazakh sentences.
    fn write_body(&mut self, meta: &Meta, slug: &str, out: &mut String) {
        let main = meta.spheres[0];
        if meta.lang == Lang::Kk {
            for (i, sentence) in KK_SENT.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                fill_into(out, sentence, |k| match k {
                    "kk_topic" => Some(KK_TOPICS[main]),
                    _ => meta.spans.get(k),
                });
            }
            out.push_str("\n\n");
        }
        let topics = match meta.body_lang {
            Lang::En => EN_TOPICS,
            _ => RU_TOPICS_GEN,
        };
        let context = BodyContext {
            spans: &meta.spans,
            kind: EN_KIND[meta.source.kind],
            kind_pr: RU_KIND_PR[meta.source.kind],
            py: meta.year.to_string(),
            topic: self.rng.pick(topics[main]),
            spheres: &meta.spheres,
            actors: &meta.actors,
            slug,
            multi: meta.authors.len() > 1,
        };
        let extras = Extras {
            footnote: self.rng.chance(0.10),
            list: self.rng.chance(0.25),
            link: self.rng.chance(0.15),
            table: self.rng.chance(0.03),
        };
        let reserve = if meta.lang == Lang::Kk { 25 } else { 0 };
        out.push_str(&self.body(meta.body_lang, &context, extras, reserve));
    }

    /// A 150–400-word Markdown abstract from shuffled sentence templates, with the optional
    /// emphasis, link, footnote, list and table. `reserve` words are left for text the caller
    /// adds.
    fn body(&mut self, lang: Lang, ctx: &BodyContext, extras: Extras, reserve: usize) -> String {
        let reserve = reserve
            + 25
            + 35 * usize::from(extras.list)
            + 16 * usize::from(extras.link)
            + 15 * usize::from(extras.footnote)
            + 30 * usize::from(extras.table);
        let target = self.rng.int(150, 400 - reserve as i32) as usize;
        let pool = if lang == Lang::En { EN_SENT } else { RU_SENT };
        let (mut words, mut used_emphasis) = (0, false);
        let (mut paras, mut current, mut in_current) = (Vec::new(), String::new(), 0);
        let mut deck: Vec<&str> = Vec::new();
        let mut sentence = String::new();
        while words < target {
            let sentence_words = self.sentence_words(lang, ctx);
            if deck.is_empty() {
                deck = self.rng.sample(pool, pool.len());
            }
            let template = deck.pop().unwrap_or(pool[0]);
            sentence.clear();
            fill_into(&mut sentence, template, |k| {
                sentence_words.get(k).or_else(|| ctx.get(k))
            });
            if sentence.ends_with("..") {
                sentence.pop(); // "гг." at the end of a sentence
            }
            if !used_emphasis && self.rng.chance(0.15) && !sentence.contains('*') {
                used_emphasis = emphasize(&mut self.rng, &mut sentence);
            }
            // Sentences are single-spaced, so spaces count the words.
            words += sentence.bytes().filter(|&b| b == b' ').count() + 1;
            if in_current > 0 {
                current.push(' ');
            }
            current.push_str(&sentence);
            in_current += 1;
            if in_current >= self.rng.int(3, 6) {
                paras.push(std::mem::take(&mut current));
                in_current = 0;
            }
        }
        if in_current > 0 {
            paras.push(current);
        }
        self.add_extras(lang, ctx, extras, &mut paras)
    }

    /// Adds the link, footnote, list and table to the paragraphs and joins them.
    fn add_extras(
        &mut self,
        lang: Lang,
        ctx: &BodyContext,
        extras: Extras,
        paras: &mut Vec<String>,
    ) -> String {
        let rng = &mut self.rng;
        let en = lang == Lang::En;
        if extras.link && !paras.is_empty() {
            let i = rng.below(paras.len());
            let doc = rng.int(100, 9999);
            paras[i].push_str(&if en {
                format!(
                    " See also the [treaty text](https://example.org/documents/{doc}) and the \
                     [dataset](https://example.org/data/{}).",
                    ctx.slug
                )
            } else {
                format!(" См. также [текст соглашения](https://example.org/documents/{doc}).")
            });
        }
        let note = (extras.footnote && !paras.is_empty()).then(|| {
            paras[0].push_str("[^1]");
            if en {
                let city = rng.pick(WORKSHOP_CITIES);
                format!("[^1]: An earlier version was presented at a workshop in {city}, {}.", ctx.py)
            } else {
                let (a, b) = (rng.int(10, 99), rng.int(1, 99));
                format!("[^1]: Исследование выполнено при поддержке научного фонда, проект № {a}-{b:02}.")
            }
        });
        if extras.list {
            let n = rng.int(3, 4) as usize;
            let mut items = rng.sample(if en { LIST_EN } else { LIST_RU }, n);
            let last = items.pop().unwrap_or_default().trim_end_matches(';');
            let intro = match (en, ctx.multi) {
                (true, true) => "The authors distinguish:",
                (true, false) => "The author distinguishes:",
                (false, _) => "Выделяются следующие факторы:",
            };
            let mut block = format!("{intro}\n\n");
            for item in items {
                block.push_str("- ");
                block.push_str(item);
                block.push('\n');
            }
            block.push_str("- ");
            block.push_str(last);
            block.push('.');
            paras.insert(paras.len().min(1), block);
        }
        if extras.table {
            let mut table =
                String::from("| Year | Exports, USD bn | Imports, USD bn |\n|---:|---:|---:|");
            for year in ctx.spans.y1..ctx.spans.y1 + 3 {
                let (exports, imports) = (rng.uniform(3.0, 16.0), rng.uniform(5.0, 20.0));
                table.push_str(&format!("\n| {year} | {exports:.1} | {imports:.1} |"));
            }
            let at = if paras.len() > 1 { paras.len() - 1 } else { 1 };
            paras.insert(at.min(paras.len()), table);
        }
        let mut text = paras.join("\n\n");
        text.push('\n');
        if let Some(note) = note {
            text.push('\n');
            text.push_str(&note);
            text.push('\n');
        }
        text
    }

    /// Fresh words for one sentence: a second topic, methods, an event no later than the
    /// coverage, a factor, a finding, an adjective and an actor.
    fn sentence_words(&mut self, lang: Lang, ctx: &BodyContext) -> SentenceWords {
        let rng = &mut self.rng;
        let en = lang == Lang::En;
        let topics = if en { EN_TOPICS } else { RU_TOPICS_GEN };
        let sphere = rng.pick(ctx.spheres);
        // a topic other than the main one (every list has several)
        let mut topic2 = rng.pick(topics[sphere]);
        while topic2 == ctx.topic {
            topic2 = rng.pick(topics[sphere]);
        }
        let methods = if en { EN_METHODS } else { RU_METHODS };
        let first = rng.below(methods.len());
        let second = (first + 1 + rng.below(methods.len() - 1)) % methods.len();
        let events = if en { EN_EVENTS } else { RU_EVENTS };
        let actor = if !en {
            rng.pick(RU_ACTORS_GEN)
        } else if ctx.actors.is_empty() {
            "the Eurasian Economic Commission"
        } else {
            rng.pick(ctx.actors)
        };
        SentenceWords {
            topic2,
            method: methods[first],
            method2: methods[second],
            event: event_before(rng, events, ctx.spans.y2),
            factor: rng.pick(if en { EN_FACTORS } else { RU_FACTORS }),
            finding: rng.pick(if en { EN_FINDINGS } else { RU_FINDINGS }),
            adj: rng.pick(if en { EN_ADJ } else { RU_ADJ }),
            actor,
            actor_capitalized: capitalize(actor),
        }
    }
}

/// What an editor lists explicitly: every period the coverage touches at all (often more than
/// the half-overlap rule gives), by year and month; `formation` when it touches none.
fn explicit_periods(coverage: &Coverage) -> Vec<&'static str> {
    let from = format!("{:04}-{:02}", coverage.start.0, coverage.start.1);
    let to = format!("{:04}-{:02}", coverage.end.0, coverage.end.1);
    let periods: Vec<&'static str> = PERIODS
        .iter()
        .filter(|p| p.from <= to.as_str() && p.to.is_none_or(|end| end >= from.as_str()))
        .map(|p| p.id)
        .collect();
    if periods.is_empty() {
        vec![PERIODS[0].id]
    } else {
        periods
    }
}

/// The surname of a name: the first word of "Фамилия И. О." (and of any non-English work's
/// author), the last of "First M. Last".
fn surname(author: &str, lang: Lang) -> &str {
    let mut words = author.split(' ');
    let word = if lang != Lang::En || author.ends_with('.') {
        words.next()
    } else {
        words.next_back()
    };
    word.unwrap_or(author)
}

/// The front matter between its `---` fences, every key in the archive format's order.
fn front_matter(m: &Meta) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("---\n");
    field(&mut out, "title", &yaml_scalar(&m.title));
    let authors = m.authors.iter().map(|a| yaml_scalar(a));
    if m.authors_flow {
        flow_list(&mut out, "authors", authors);
    } else {
        block_list(&mut out, "authors", authors);
    }
    field(&mut out, "date", &m.date);
    match m.lang {
        Lang::En => {}
        Lang::Ru => field(&mut out, "language", "ru"),
        Lang::Kk => field(&mut out, "language", "kk"),
    }
    if m.lang == Lang::Ru && m.body_lang == Lang::En {
        field(&mut out, "abstract_language", "en");
    }
    let spheres = m.spheres.iter().map(|&s| SPHERES[s].id.to_string());
    flow_list(&mut out, "spheres", spheres);
    if let Some(periods) = &m.periods {
        flow_list(&mut out, "periods", periods.iter().map(|p| p.to_string()));
    }
    out.push_str("coverage:\n");
    field(&mut out, "  from", &m.coverage.from);
    field(&mut out, "  to", &m.coverage.to);
    if !m.actors.is_empty() {
        block_list(&mut out, "actors", m.actors.iter().map(|a| yaml_scalar(a)));
    }
    flow_list(
        &mut out,
        "keywords",
        m.keywords.iter().map(|k| yaml_scalar(k)),
    );
    write_source(&mut out, &m.source);
    if let Some(doi) = &m.doi {
        field(&mut out, "doi", &yaml_scalar(doi));
    }
    if let Some(url) = &m.url {
        field(&mut out, "url", &yaml_scalar(url));
    }
    if let Some(slug) = &m.slug {
        field(&mut out, "slug", slug);
    }
    if m.draft {
        field(&mut out, "draft", "true");
    }
    out.push_str("---\n");
    out
}

fn field(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(": ");
    out.push_str(value);
    out.push('\n');
}

fn flow_list(out: &mut String, key: &str, items: impl Iterator<Item = String>) {
    out.push_str(key);
    out.push_str(": [");
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&item);
    }
    out.push_str("]\n");
}

fn block_list(out: &mut String, key: &str, items: impl Iterator<Item = String>) {
    out.push_str(key);
    out.push_str(":\n");
    for item in items {
        out.push_str("  - ");
        out.push_str(&item);
        out.push('\n');
    }
}

fn write_source(out: &mut String, src: &Source) {
    out.push_str("source:\n");
    field(out, "  type", SOURCE_TYPES[src.kind]);
    if let Some(container) = src.container {
        field(out, "  container", &yaml_scalar(container));
    }
    if let Some(volume) = src.volume {
        field(out, "  volume", &volume.to_string());
    }
    if let Some(issue) = src.issue {
        field(out, "  issue", &issue.to_string());
    }
    if let Some(pages) = &src.pages {
        field(out, "  pages", &yaml_scalar(pages));
    }
    if let Some(publisher) = src.publisher {
        field(out, "  publisher", &yaml_scalar(publisher));
    }
    if let Some(place) = src.place {
        field(out, "  place", &yaml_scalar(place));
    }
}

// ------------------------------------------------------------------------------ word lists

/// Word lists, periods and spheres, taken over from `gen_corpus.py` (kept unformatted so that
/// each list stays compact).
#[rustfmt::skip]
mod vocab {
    use super::{Period, Sphere};

    pub(super) const LAT_FIRST: &[&str] = &["Anna", "Michael", "Sarah", "David", "Elena", "Marlene",
        "Thomas", "Julia", "Paul", "Catherine", "Robert", "Laura", "Jonas", "Sophie", "Marco",
        "Ingrid", "Daniel", "Rachel", "Peter", "Hannah", "Aidar", "Dana", "Timur", "Aigerim",
        "Yerlan", "Madina", "Nurlan", "Saule", "Dmitri", "Olga", "Sergei", "Natalia", "Alexei",
        "Irina", "Ruslan", "Zarina", "Kenji", "Wei", "Farid", "Ayesha", "Lars", "Claire", "Mateusz",
        "Agnieszka", "Emre", "Selin", "Jakob", "Miriam", "Oliver", "Nadia"];
    pub(super) const LAT_LAST: &[&str] = &["Anderson", "Baumann", "Carter", "Dubois", "Eriksen",
        "Fischer", "Gallagher", "Hoffmann", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak",
        "O'Connell", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka", "Umarov", "Vasquez", "Weber",
        "Yilmaz", "Zhang", "Abenov", "Baizakova", "Dzhaksybekov", "Isayeva", "Kembayev",
        "Mukhametov", "Nurmagambetova", "Omarov", "Sarsenbayev", "Tulegenova", "Kuzmin", "Lebedeva",
        "Morozov", "Orlova", "Sokolov", "Volkova", "Hartmann", "Brooks", "Mackenzie",
        "Laruelle-Smith", "Pomfret", "Cooley-Hart", "Heathershaw-Lee", "Olcott-Grant", "Sullivan",
        "Whitmore", "Kerimova", "Yessenova", "Akhmetova", "Beisenova", "Chen", "Park", "Nakamura",
        "Horvath", "Lindgren", "Varga"];
    pub(super) const CYR_SURNAMES_M: &[&str] = &["Иванов", "Смирнов", "Кузнецов", "Попов",
        "Васильев", "Соколов", "Михайлов", "Новиков", "Федоров", "Морозов", "Волков", "Алексеев",
        "Лебедев", "Семенов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов",
        "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьев", "Борисов", "Яковлев",
        "Григорьев", "Романов", "Воробьёв", "Сергеев", "Тарасов", "Белов", "Комаров", "Ахметов",
        "Байжанов", "Жаксыбеков", "Исмаилов", "Каримов", "Муканов", "Нуржанов", "Омаров",
        "Сулейменов", "Тулегенов", "Юсупов", "Щербаков"];
    pub(super) const KAZ_SURNAMES_M: &[&str] = &["Әбдіғалиев", "Нұрғалиев", "Қасымов", "Жұмабаев",
        "Төлеуов", "Үсенов", "Ғабитов", "Шәріпов", "Құдайбергенов", "Сәрсенбаев", "Өмірзақов",
        "Тұрысбеков", "Бөкейханов", "Есенғазиев", "Мұхамеджанов", "Дәулетов", "Айтқожин",
        "Сүлейменов", "Шаһмарданов", "Ермекбаев"];
    pub(super) const CYR_INITIALS: &str = "АБВГДЕИКЛМНОПРСТЮЯ";
    pub(super) const KAZ_INITIALS: &str = "АБДЕҒЖҚМНӘӨҰСТЫ";
    pub(super) const ACTORS: &[(&str, i32, i32)] = &[("Boris Yeltsin", 1991, 1999),
        ("Vladimir Putin", 1999, 2030), ("Dmitry Medvedev", 2008, 2012),
        ("Nursultan Nazarbayev", 1991, 2022), ("Kassym-Jomart Tokayev", 1999, 2030),
        ("Sergey Lavrov", 2004, 2030), ("Karim Massimov", 2007, 2022),
        ("Mukhtar Tileuberdi", 2019, 2023), ("Alikhan Smailov", 2022, 2024),
        ("Mikhail Mishustin", 2020, 2030), ("Commonwealth of Independent States", 1991, 2030),
        ("Collective Security Treaty Organization", 1992, 2030),
        ("Eurasian Economic Community", 2000, 2014), ("Customs Union", 2010, 2014),
        ("Eurasian Economic Union", 2014, 2030), ("Eurasian Economic Commission", 2012, 2030),
        ("Shanghai Cooperation Organisation", 2001, 2030),
        ("Eurasian Development Bank", 2006, 2030), ("Gazprom", 1993, 2030),
        ("KazMunayGas", 2002, 2030), ("Rosatom", 2007, 2030), ("Kazatomprom", 1997, 2030),
        ("Caspian Pipeline Consortium", 1992, 2030), ("Lukoil", 1993, 2030),
        ("Rosneft", 1995, 2030), ("Samruk-Kazyna", 2008, 2030), ("Russian Railways", 2003, 2030),
        ("Kazakhstan Temir Zholy", 1997, 2030), ("Roscosmos", 1992, 2030),
        ("Ministry of Foreign Affairs of Russia", 1991, 2030),
        ("Ministry of Foreign Affairs of Kazakhstan", 1991, 2030),
        ("Forum of Interregional Cooperation", 2003, 2030), ("Rossotrudnichestvo", 2008, 2030),
        ("Lad Slavic Movement", 1992, 2010), ("Assembly of People of Kazakhstan", 1995, 2030),
        ("National Bank of Kazakhstan", 1993, 2030), ("Central Bank of Russia", 1991, 2030),
        ("Orenburg Oblast administration", 1991, 2030),
        ("West Kazakhstan Region akimat", 1991, 2030), ("Omsk Oblast administration", 1991, 2030),
        ("Pavlodar Region akimat", 1991, 2030)];
    pub(super) const EN_TOPICS: [&[&str]; 8] = [
        &["strategic partnership", "alliance politics", "elite networks", "summit diplomacy",
            "the multi-vector foreign policy", "regime transition", "sovereignty debates",
            "the border treaty", "bilateral treaty law", "the politics of recognition"],
        &["trade integration", "the customs union", "sanctions spill-over", "currency policy",
            "foreign direct investment", "the single market for services", "re-export trade",
            "agricultural trade", "industrial cooperation", "non-tariff barriers"],
        &["security cooperation", "the CSTO deployment", "the Baikonur lease", "arms transfers",
            "joint air defence", "test range agreements", "military education",
            "defence-industrial ties"],
        &["language policy", "educational exchange", "memory politics", "media influence",
            "the status of the Russian language", "cultural diplomacy",
            "university branch campuses", "the Latin alphabet reform", "historical narratives"],
        &["cross-border cooperation", "the interregional forum", "border regions",
            "twin-city projects", "border trade", "regional governance across the border"],
        &["Caspian oil transit", "the CPC pipeline", "uranium cooperation", "gas processing",
            "electricity grids", "coal exports", "nuclear power plans", "energy security"],
        &["transit corridors", "rail logistics", "the north-south corridor", "road freight",
            "aviation agreements", "the trans-Caspian route", "container transit"],
        &["labour migration", "ethnic Russians in northern Kazakhstan", "repatriation policy",
            "the 2022 relocation wave", "citizenship regimes", "student migration", "remittances",
            "diaspora organisations"],
    ];
    pub(super) const RU_TOPICS_GEN: [&[&str]; 8] = [
        &["стратегического партнерства", "союзнических отношений", "политического диалога",
            "межгосударственных договоров", "многовекторной внешней политики",
            "политического транзита", "саммитовой дипломатии"],
        &["торгово-экономического сотрудничества", "евразийской интеграции", "Таможенного союза",
            "инвестиционного взаимодействия", "валютной политики", "взаимной торговли",
            "промышленной кооперации"],
        &["военно-технического сотрудничества", "коллективной безопасности",
            "аренды комплекса «Байконур»", "совместной системы ПВО", "военного образования"],
        &["языковой политики", "гуманитарного сотрудничества", "исторической памяти",
            "образовательных обменов", "медийного влияния", "культурной дипломатии"],
        &["межрегионального сотрудничества", "приграничного взаимодействия",
            "приграничной торговли", "Форума межрегионального сотрудничества"],
        &["энергетического взаимодействия", "транзита каспийской нефти",
            "сотрудничества в атомной отрасли", "энергетической безопасности", "газовой кооперации"],
        &["транзитных коридоров", "железнодорожной логистики", "транспортного сотрудничества",
            "транскаспийского маршрута"],
        &["трудовой миграции", "репатриационной политики", "миграционных процессов",
            "русской диаспоры", "релокации 2022 года", "студенческой миграции"],
    ];
    pub(super) const KK_TOPICS: [&str; 8] = ["саяси ынтымақтастық",
        "сауда-экономикалық ынтымақтастық", "әскери-техникалық ынтымақтастық",
        "гуманитарлық байланыстар", "өңіраралық ынтымақтастық", "энергетикалық әріптестік",
        "көлік-логистикалық байланыстар", "көші-қон үдерістері"];
    pub(super) const EN_KEYWORDS: &[&str] = &["Eurasian integration", "customs union", "sanctions",
        "multi-vector policy", "sovereignty", "border delimitation", "Caspian Sea", "Baikonur",
        "CSTO", "EAEU", "labour migration", "diaspora", "Russian language", "nation-building",
        "soft power", "regional security", "oil transit", "uranium", "pipelines", "rail transit",
        "Belt and Road", "tenge", "rouble", "trade balance", "re-exports", "investment",
        "elite politics", "succession", "January 2022 unrest", "Crimea", "war in Ukraine",
        "relocants", "public opinion", "media", "memory politics", "historiography", "education",
        "alphabet reform", "Northern Kazakhstan", "Orenburg", "Omsk", "cross-border trade",
        "interregional forum", "energy security", "nuclear power", "electricity", "coal",
        "agriculture", "grain exports", "water management", "environment", "pandemic",
        "border closure", "citizenship", "remittances", "treaty law", "international law",
        "alliance", "hedging", "great-power competition", "China", "Central Asia",
        "post-Soviet space", "Eurasianism", "identity", "securitization", "informal institutions",
        "state capacity", "logistics", "aviation", "space cooperation", "defence industry",
        "arms trade", "military education", "peacekeeping", "CIS", "SCO", "economic nationalism",
        "import substitution", "secondary sanctions", "financial integration", "payment systems",
        "labour market", "demography", "emigration", "repatriation", "Oralmans", "Kazakh language",
        "Russian Orthodox Church", "religion", "civil society", "think tanks", "expert community",
        "discourse analysis", "content analysis", "survey research", "gravity model", "case study",
        "comparative politics", "foreign policy analysis", "regionalism",
        "asymmetric interdependence", "bilateralism", "summitry", "personalism",
        "authoritarian cooperation", "norm diffusion", "legal harmonisation",
        "customs administration", "transit corridors", "Middle Corridor", "North-South corridor"];
    pub(super) const RU_KEYWORDS: &[&str] = &["евразийская интеграция", "Таможенный союз",
        "санкции", "многовекторность", "суверенитет", "делимитация границы", "Каспийское море",
        "космодром", "ОДКБ", "ЕАЭС", "трудовая миграция", "соотечественники", "русский язык",
        "нациестроительство", "мягкая сила", "региональная безопасность", "транзит нефти", "уран",
        "трубопроводы", "железнодорожный транзит", "курс тенге", "рубль", "торговый баланс",
        "инвестиции", "политические элиты", "транзит власти", "январские события 2022 года", "Крым",
        "релоканты", "общественное мнение", "СМИ", "историческая память", "историография",
        "образование", "латинизация", "Северный Казахстан", "приграничная торговля",
        "энергетическая безопасность", "атомная энергетика", "электроэнергетика",
        "сельское хозяйство", "водные ресурсы", "пандемия", "гражданство", "денежные переводы",
        "международное право", "союзничество", "Китай", "Центральная Азия",
        "постсоветское пространство", "евразийство", "идентичность", "экспертное сообщество",
        "дискурс-анализ", "регионализм", "асимметричная взаимозависимость", "импортозамещение",
        "платёжные системы", "демография", "эмиграция", "репатриация"];
    pub(super) const KK_KEYWORDS: &[&str] = &["жаһандану", "көші-қон", "тіл саясаты",
        "ұлттық бірегейлік", "өңіраралық байланыстар", "шекара", "Еуразиялық экономикалық одақ",
        "қауіпсіздік", "сауда", "энергетика", "білім беру", "тарихи жады", "әріптестік",
        "егемендік", "көлік дәліздері"];
    pub(super) const EN_JOURNALS: &[(&str, &str)] = &[("Journal of Eurasian Borderland Studies", "jebs"),
        ("Caspian Policy Review", "cpr"), ("Steppe and Empire Quarterly", "seq"),
        ("Post-Socialist Economies Review", "pser"), ("Eurasian Security Papers", "esp"),
        ("Journal of Central Eurasian Politics", "jcep"),
        ("Comparative Integration Studies", "cis"), ("Energy Corridors Journal", "ecj"),
        ("Migration in Eurasia", "mie"), ("Northern Eurasia Historical Review", "nehr"),
        ("International Journal of Bilateral Relations", "ijbr"),
        ("Transit and Logistics in Asia", "tla"), ("Language and State in Eurasia", "lse")];
    pub(super) const RU_JOURNALS: &[(&str, &str)] = &[("Вестник евразийских исследований", "ves"),
        ("Постсоветские исследования", "psi"), ("Проблемы евразийской интеграции", "pei"),
        ("Приграничье: история и современность", "pig"), ("Мировая экономика и интеграция", "mei"),
        ("Вопросы международной безопасности", "vmb"), ("Энергетическая политика Евразии", "epe"),
        ("Миграционные исследования", "mis"),
        ("Каспийский регион: политика, экономика, культура", "krp")];
    pub(super) const KK_JOURNALS: &[(&str, &str)] = &[("Еуразия зерттеулерінің хабаршысы", "ezh"),
        ("Қазақстан және әлем", "kza"), ("Өңірлік зерттеулер журналы", "ozj")];
    pub(super) const EN_PUBLISHERS: &[(&str, &str)] = &[("Steppe Academic Press", "London"),
        ("Northbridge University Press", "Cambridge, MA"), ("Caspian Books", "Berlin"),
        ("Meridian Scholarly", "New York"), ("Eurasia Research Centre", "Almaty"),
        ("Baltic-Caspian Institute", "Warsaw")];
    pub(super) const RU_PUBLISHERS: &[(&str, &str)] = &[("Издательство «Евразийский дом»", "Москва"),
        ("Степь-Пресс", "Алматы"), ("Издательство Института приграничья", "Омск"),
        ("Научная книга Урала", "Екатеринбург"), ("Центр евразийских исследований", "Астана")];
    pub(super) const THINK_TANKS: &[(&str, &str)] = &[("Institute for Eurasian Strategy", "Policy Brief"),
        ("Caspian Forum for Policy", "Working Paper"),
        ("Центр анализа приграничья", "Аналитический доклад"), ("Steppe Monitor", "Research Report")];
    pub(super) const UNIVERSITIES: &[&str] = &["Northbridge University", "University of the Steppe",
        "Institute of Eurasian Studies", "Омский институт приграничья",
        "Евразийский институт государственного управления"];
    pub(super) const EN_METHODS: &[&str] = &["a close reading of treaty texts",
        "interviews with officials and experts", "customs and trade statistics",
        "a gravity model of bilateral trade", "archival documents from regional administrations",
        "media content analysis", "an original survey of border residents", "process tracing",
        "a comparative case study", "discourse analysis of official speeches", "firm-level data",
        "migration registers"];
    pub(super) const RU_METHODS: &[&str] = &["анализа договорно-правовой базы",
        "экспертных интервью", "таможенной статистики",
        "архивных материалов региональных администраций", "контент-анализа СМИ",
        "массового опроса жителей приграничья", "сравнительного анализа",
        "дискурс-анализа официальных выступлений"];
    pub(super) const EN_EVENTS: &[(&str, i32)] = &[("the dissolution of the USSR", 1991),
        ("the introduction of the tenge", 1993), ("the Baikonur lease agreement", 1994),
        ("the 1998 treaty", 1998), ("the 2005 border treaty", 2005),
        ("the launch of the Customs Union", 2010), ("the annexation of Crimea", 2014),
        ("the 2015 devaluation of the tenge", 2015), ("the Aktau summit of 2018", 2018),
        ("Nazarbayev's resignation", 2019), ("the pandemic border closures", 2020),
        ("the January 2022 events", 2022), ("February 2022", 2022),
        ("the creation of the EAEU", 2015)];
    pub(super) const RU_EVENTS: &[(&str, i32)] = &[("распада СССР", 1991), ("введения тенге", 1993),
        ("договора 1998 года", 1998), ("договора о делимитации 2005 года", 2005),
        ("создания Таможенного союза", 2010), ("событий 2014 года", 2014),
        ("девальвации тенге 2015 года", 2015), ("Актауского саммита 2018 года", 2018),
        ("отставки Н. А. Назарбаева", 2019), ("январских событий 2022 года", 2022),
        ("февраля 2022 года", 2022), ("создания ЕАЭС", 2015)];
    pub(super) const EN_SENT: &[&str] = &["This {kind} examines {topic} between Russia and Kazakhstan {en_in}.",
        "Drawing on {method}, the author{s} trace{s_verb} how {topic} evolved after {event}.",
        "The analysis shows that {topic} was shaped less by formal institutions than by {factor}.",
        "Particular attention is paid to the role of {actor} and to the {adj} logic of {topic2}.",
        "The {kind} argues that {topic} cannot be understood without reference to {topic2}.",
        "Contrary to the view that Kazakhstan simply \"bandwagons\" with Moscow, the evidence points to {factor}.",
        "A second part compares {topic} with {topic2} and finds {finding}.",
        "The findings suggest that {finding} -- a pattern that held until at least {y2}.",
        "{Actor} appears in the sources as a broker rather than a principal.",
        "Official rhetoric stressed friendship, yet {topic} was marked by {factor}.",
        "The data cover {en_span} and combine {method} with {method2}.",
        "The author{s} conclude{s_verb} that {finding}, and outline questions for further research.",
        "In the Kazakh case, {topic2} served as a hedge against dependence on a single partner.",
        "Scholars have long debated whether cooperation in {topic} is *asymmetric* by design or by default.",
        "The period after {event} is treated as a test case for {topic}.",
        "Regional actors such as {actor} pursued interests that did not always match those of the capitals.",
        "It is shown that {finding}, which qualifies earlier accounts of {topic2}.",
        "The {kind} also discusses the {adj} effects of {event} on {topic}.",
        "Using {method}, it reconstructs the negotiating positions of both sides.",
        "What emerges is a picture of {adj} cooperation punctuated by short crises."];
    pub(super) const EN_FACTORS: &[&str] = &["informal bargaining among elites",
        "path dependence inherited from the Soviet economy", "the asymmetry of market size",
        "personal ties between the two presidents", "the pull of Chinese investment",
        "domestic legitimacy concerns in Astana", "bureaucratic inertia",
        "the shared transport infrastructure", "the interests of large state-owned companies",
        "public opinion in the border regions"];
    pub(super) const EN_FINDINGS: &[&str] = &["integration deepened in trade but stalled in services",
        "border regions benefited more than the capitals expected",
        "Kazakh policy makers used multilateral forums to dilute bilateral pressure",
        "sanctions produced both losses and new re-export opportunities",
        "the language question was managed through deliberate ambiguity",
        "security ties proved more durable than economic ones",
        "migration flows responded quickly to exchange-rate shocks",
        "energy transit remained the backbone of the relationship",
        "cooperation was strongest where it was least visible"];
    pub(super) const EN_ADJ: &[&str] = &["pragmatic", "uneven", "asymmetric", "incremental",
        "ambivalent", "contested", "institutional", "long-term", "unintended", "path-dependent"];
    pub(super) const RU_SENT: &[&str] = &["В {kind_pr} рассматривается динамика {topic} России и Казахстана {ru_in}.",
        "На основе {method} автор{s_ru} показыва{verb_ru}, как менялся характер {topic} после {event}.",
        "Особое внимание уделено роли {actor} в развитии {topic2}.",
        "Делается вывод о том, что эволюция {topic} определялась прежде всего {factor}.",
        "Показано, что {finding}.",
        "Автор{s_ru} полага{verb2_ru}, что без учета {topic2} невозможно понять логику {topic}.",
        "Официальная риторика подчеркивала «дружбу и союзничество», однако на практике развитие {topic} сопровождалось {factor}.",
        "Период после {event} рассматривается как *проверка на прочность* {topic}.",
        "Эмпирическую базу составили данные {method} и {method2}.",
        "Сопоставление {topic} и {topic2} позволяет выявить {adj} характер взаимодействия.",
        "Региональные акторы не всегда разделяли приоритеты столиц -- это особенно заметно на примере {topic2}.",
        "В заключение намечены направления дальнейших исследований {topic}.",
        "Результаты исследования уточняют сложившиеся в литературе представления об эволюции {topic2}.",
        "Отмечается, что после {event} {finding}."];
    pub(super) const RU_FACTORS: &[&str] = &["неформальными договоренностями элит",
        "наследием единого советского хозяйства", "асимметрией экономических потенциалов",
        "личными связями глав государств", "интересами крупных государственных компаний",
        "внутриполитическими соображениями", "бюрократической инерцией", "растущим влиянием Китая"];
    pub(super) const RU_FINDINGS: &[&str] = &["интеграция в сфере торговли опережала интеграцию в сфере услуг",
        "приграничные регионы выиграли больше, чем ожидалось",
        "казахстанская сторона использовала многосторонние форматы для снижения двустороннего давления",
        "санкции создали не только издержки, но и новые возможности для реэкспорта",
        "языковой вопрос решался за счет намеренной неопределенности",
        "связи в сфере безопасности оказались устойчивее экономических",
        "миграционные потоки быстро реагировали на колебания валютных курсов"];
    pub(super) const RU_ADJ: &[&str] = &["прагматичный", "неравномерный", "асимметричный",
        "поступательный", "противоречивый"];
    pub(super) const RU_ACTORS_GEN: &[&str] = &["В. В. Путина", "Н. А. Назарбаева",
        "К.-Ж. К. Токаева", "Б. Н. Ельцина", "ОДКБ", "Евразийской экономической комиссии",
        "ПАО «Газпром»", "АО «КазМунайГаз»", "Госкорпорации «Росатом»", "АО «Казатомпром»",
        "Каспийского трубопроводного консорциума", "администраций приграничных областей"];
    pub(super) const KK_SENT: &[&str] = &["Мақалада Қазақстан мен Ресей арасындағы {kk_topic} мәселелері қарастырылады.",
        "Зерттеу {kk_span} кезеңін қамтиды.",
        "Авторлар екі елдің әріптестігі прагматикалық сипатта дамығанын көрсетеді."];
    pub(super) const EN_TITLE: &[&str] = &["{Topic} in Russia–Kazakhstan Relations, {en_span}",
        "{Topic}: Russia and Kazakhstan after {event}",
        "Between Alliance and Autonomy: {Topic} in Kazakhstan's Policy toward Russia",
        "The {Adj} Politics of {Topic}", "{Topic} and {Topic2} on the Russia–Kazakhstan Border",
        "Reassessing {Topic}: Evidence from {en_span}", "Moscow, Astana and {Topic}",
        "{Topic} under Pressure: Kazakhstan, Russia and {event}",
        "From {Topic} to {Topic2}? Russia–Kazakhstan Relations Revisited"];
    pub(super) const RU_TITLE: &[&str] = &["Эволюция {topic} России и Казахстана ({ru_span})",
        "Проблемы {topic} в российско-казахстанских отношениях",
        "Российско-казахстанские отношения после {event}: опыт анализа {topic}",
        "Перспективы {topic} в контексте евразийской интеграции",
        "Россия и Казахстан: динамика {topic} {ru_in}"];
    pub(super) const KK_TITLE: &[&str] = &["Қазақстан мен Ресей: {kk_topic} ({kk_span})",
        "Қазақстан–Ресей қатынастарындағы {kk_topic} мәселелері"];
    pub(super) const LIST_EN: &[&str] = &["the legal framework and its gaps;",
        "the preferences of the two governments;", "the position of business associations;",
        "the reaction of regional authorities;", "public attitudes in the border oblasts;",
        "the role of third countries, China first of all;"];
    pub(super) const LIST_RU: &[&str] = &["нормативно-правовая база и ее пробелы;",
        "позиции правительств двух стран;", "интересы бизнес-ассоциаций;",
        "реакция региональных властей;", "общественные настроения в приграничных областях;",
        "роль третьих стран, прежде всего Китая;"];
    pub(super) const EN_KIND: [&str; 6] = ["article", "chapter", "book", "report", "thesis", "study"];
    pub(super) const RU_KIND_PR: [&str; 6] = ["статье", "главе", "монографии", "докладе",
        "диссертации", "работе"];
    pub(super) const PERIODS: &[Period] = &[
        Period {
            id: "formation",
            title: "Formation",
            from: "1991-12",
            to: Some("1999-12"),
            description: "From the Belovezha and Almaty accords of December 1991 to the end of \
                the Yeltsin presidency. The two states *invent* a bilateral \
                relationship out of a shared Soviet economy: border delimitation \
                talks begin, the rouble zone collapses and Kazakhstan introduces the \
                tenge (1993), the Baikonur lease is signed (1994), and the 1998 \
                Treaty on Eternal Friendship and Alliance closes the \
                decade.\n\nRecurring themes of the literature on this period:\n\n- the \
                status of ethnic Russians in the northern oblasts;\n- the division of \
                the Caspian seabed;\n- the first wave of out-migration and its \
                demographic effects.\n",
        },
        Period {
            id: "strategic-partnership",
            title: "Strategic partnership",
            from: "2000-01",
            to: Some("2014-02"),
            description: "Fourteen years of growing economic integration and political \
                alignment. The Eurasian Economic Community (2000), the Customs Union \
                (2010) and the Common Economic Space (2012) give the relationship a \
                multilateral frame; the 2005 border treaty settles the longest \
                continuous land border in the world.\n\nWorks on this period usually \
                stress *institutionalisation*: regular summits, the annual Forum of \
                Interregional Cooperation and a dense web of intergovernmental \
                commissions.\n",
        },
        Period {
            id: "post-crimea-turbulence",
            title: "Post-Crimea, stage 1: turbulence",
            from: "2014-03",
            to: Some("2016-07"),
            description: "The annexation of Crimea and the war in eastern Ukraine unsettle \
                Astana. Western sanctions and the rouble's fall spill over into the \
                Kazakh economy and force the tenge float of August 2015, while the \
                Eurasian Economic Union is launched in January 2015 amid public \
                debate about sovereignty.\n",
        },
        Period {
            id: "post-crimea-stabilization",
            title: "Post-Crimea, stage 2: stabilization",
            from: "2016-08",
            to: Some("2019-03"),
            description: "Relations settle into a pragmatic routine: trade recovers, the \
                Caspian Convention is signed at Aktau (2018) and interregional \
                cooperation expands. Kazakhstan keeps its *multi-vector* foreign \
                policy while avoiding open disagreement with Moscow.\n",
        },
        Period {
            id: "transit",
            title: "Transit",
            from: "2019-03",
            to: Some("2022-01"),
            description: "From Nursultan Nazarbayev's resignation to the January 2022 unrest \
                and the brief CSTO deployment. The literature follows the dual-power \
                arrangement in Nur-Sultan, the pandemic border closures and the \
                changing place of Russia in Kazakh politics.\n",
        },
        Period {
            id: "after-february-2022",
            title: "After February 2022",
            from: "2022-02",
            to: None,
            description: "The full-scale war against Ukraine, a new wave of Russian relocants, \
                secondary sanctions risk and the search for trans-Caspian routes. An \
                ongoing period: works are added as they appear.\n",
        },
    ];
    pub(super) const SPHERES: &[Sphere] = &[
        Sphere {
            id: "political",
            title: "Political relations",
            description: "Summits, treaties, party and elite ties, and the place of each state \
                in the other's foreign policy. Includes works on regime change and \
                on *alliance* politics.",
        },
        Sphere {
            id: "economic",
            title: "Economic relations",
            description: "Trade, investment, currencies, the customs union and the Eurasian \
                Economic Union, and the spill-over of sanctions.",
        },
        Sphere {
            id: "military",
            title: "Military and security cooperation",
            description: "Defence agreements, the CSTO, test ranges and the Baikonur complex, \
                arms trade and joint exercises.",
        },
        Sphere {
            id: "humanitarian",
            title: "Humanitarian cooperation",
            description: "Language, education, culture, media and memory: the \"soft\" side of \
                the relationship.",
        },
        Sphere {
            id: "interregional",
            title: "Interregional and cross-border cooperation",
            description: "Ties between the border regions, the annual Forum of Interregional \
                Cooperation and local trade across the 7,500 km border.",
        },
        Sphere {
            id: "energy",
            title: "Energy",
            description: "Oil and gas transit, the Caspian Pipeline Consortium, power grids \
                and nuclear cooperation, uranium included.",
        },
        Sphere {
            id: "transport",
            title: "Transport and logistics",
            description: "Railways, roads, transit corridors (north-south and east-west) and \
                aviation.",
        },
        Sphere {
            id: "migration",
            title: "Migration",
            description: "Labour and permanent migration in both directions, diasporas, \
                citizenship and the 2022 relocation wave.",
        },
    ];
    pub(super) const SPHERE_WEIGHTS: [u32; 8] = [30, 26, 10, 14, 8, 14, 7, 9];

}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_other_seed_other_stream() {
        let (mut a, mut b, mut c) = (Rng::new(1), Rng::new(1), Rng::new(2));
        let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn int_covers_both_bounds_and_nothing_else() {
        let mut rng = Rng::new(7);
        let draws: BTreeSet<i32> = (0..2000).map(|_| rng.int(3, 6)).collect();
        assert_eq!(draws.into_iter().collect::<Vec<_>>(), vec![3, 4, 5, 6]);
        assert!((0..2000).all(|_| (0.0..1.0).contains(&rng.random())));
    }

    #[test]
    fn sample_is_distinct() {
        let mut rng = Rng::new(3);
        let s = rng.sample(EN_METHODS, 5);
        let distinct: HashSet<_> = s.iter().collect();
        assert_eq!((s.len(), distinct.len()), (5, 5));
    }

    fn spans() -> Spans {
        Spans::new(2014, 2019)
    }

    #[test]
    fn every_sentence_template_resolves() {
        let spans = spans();
        let ctx = BodyContext {
            spans: &spans,
            kind: "article",
            kind_pr: "статье",
            py: "2020".into(),
            topic: "trade integration",
            spheres: &[0, 1],
            actors: &["Gazprom"],
            slug: "x-2020",
            multi: true,
        };
        let words = SentenceWords {
            topic2: "t2",
            method: "m",
            method2: "m2",
            event: "e",
            factor: "f",
            finding: "fi",
            adj: "a",
            actor: "ac",
            actor_capitalized: "Ac".into(),
        };
        for template in EN_SENT.iter().chain(RU_SENT) {
            let s = fill(template, |k| words.get(k).or_else(|| ctx.get(k)));
            assert!(!s.contains('{') && !s.contains('}'), "{s}");
        }
        for template in KK_SENT.iter().chain(KK_TITLE) {
            let s = fill(template, |k| {
                if k == "kk_topic" {
                    Some("x")
                } else {
                    spans.get(k)
                }
            });
            assert!(!s.contains('{'), "{s}");
        }
    }

    #[test]
    fn every_title_template_resolves() {
        let mut generator = Generator::new(50, 1);
        for lang in [Lang::En, Lang::Ru, Lang::Kk] {
            for _ in 0..200 {
                let title = generator.title(lang, &[0, 5], &spans());
                assert!(!title.contains('{') && !title.is_empty(), "{title}");
            }
        }
    }

    #[test]
    fn fill_keeps_unknown_keys_and_a_lone_brace() {
        assert_eq!(
            fill("a {x} b {y} {", |k| (k == "x").then_some("1")),
            "a 1 b {y} {"
        );
    }

    #[test]
    fn yaml_scalars_are_plain_only_when_unambiguous() {
        assert_eq!(yaml_scalar("Anna B. O'Connell"), "Anna B. O'Connell");
        assert_eq!(yaml_scalar("Сүлейменов А. Б."), "Сүлейменов А. Б.");
        assert_eq!(yaml_scalar("Russia–Kazakhstan"), "Russia–Kazakhstan");
        assert_eq!(yaml_scalar("Moscow, Astana"), "\"Moscow, Astana\"");
        assert_eq!(yaml_scalar("Yes"), "\"Yes\"");
        assert_eq!(yaml_scalar("10-24"), "\"10-24\"");
        assert_eq!(yaml_scalar("a: \"b\""), "\"a: \\\"b\\\"\"");
    }

    #[test]
    fn slugs_transliterate_and_collapse() {
        assert_eq!(
            slugify("Сүлейменов 2019: Қазақстан — Ресей"),
            "suleymenov-2019-qazaqstan-resey"
        );
        assert_eq!(slugify("--Anna  B. O'Connell--"), "anna-b-o-connell");
        assert_eq!(
            cyrillic_stem("Ахметов 2019 «Эволюция» ЕАЭС"),
            "ахметов-2019-эволюция-еаэс"
        );
    }

    #[test]
    fn coarse_key_joins_what_transliteration_standards_may_join() {
        assert_eq!(coarse_key("сулейменов"), coarse_key("сүлейменов"));
        assert_eq!(coarse_key("ерлан"), coarse_key("эрлан"));
        assert_eq!(coarse_key("аң"), coarse_key("анг"));
        assert_eq!(coarse_key("қасым"), coarse_key("kasym"));
        assert_ne!(coarse_key("иванов-2019"), coarse_key("иванов-2020"));
    }

    #[test]
    fn a_cyrillic_stem_never_shadows_an_ascii_one() {
        let mut slugs = Slugs::default();
        assert_eq!(slugs.claim_ascii("suleymenov-2019"), "suleymenov-2019");
        assert_eq!(slugs.claim_cyrillic("сүлейменов-2019"), "сүлейменов-2019-2");
        assert_eq!(slugs.claim_cyrillic("сулейменов-2019"), "сулейменов-2019-3");
        assert_eq!(
            slugs.claim_ascii("suleymenov-2019-3"),
            "suleymenov-2019-3-2"
        );
    }

    #[test]
    fn dates_have_the_three_precisions_and_leap_years() {
        assert_eq!(format_date(2019, 3, 7, Precision::Year), "2019");
        assert_eq!(format_date(2019, 3, 7, Precision::Month), "2019-03");
        assert_eq!(format_date(2019, 3, 7, Precision::Day), "2019-03-07");
        assert_eq!(
            (
                days_in_month(2000, 2),
                days_in_month(1900, 2),
                days_in_month(2024, 2)
            ),
            (29, 28, 29)
        );
    }

    #[test]
    fn abstracts_are_well_formed() {
        let mut generator = Generator::new(500, 1);
        let mut stems = HashSet::new();
        for i in 0..500 {
            let work = generator.abstract_file(i);
            assert!(
                stems.insert(work.stem.clone()),
                "repeated stem {}",
                work.stem
            );
            let text = &work.text;
            assert!(text.starts_with("---\ntitle: "), "{text}");
            let (front, body) = text[4..].split_once("\n---\n").expect("closing fence");
            let words = body.split_whitespace().count();
            assert!((150..=460).contains(&words), "{words} words");
            let value = |key: &str| {
                front
                    .lines()
                    .find_map(|l| l.strip_prefix(key))
                    .map(str::trim)
            };
            let (from, to) = (value("  from:").expect("from"), value("  to:").expect("to"));
            assert!(from.len() == to.len() && from <= to, "{from} > {to}");
            if let Some(slug) = value("slug:") {
                assert!(
                    slug.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                );
            }
            let spheres = value("spheres:").expect("spheres");
            let n = spheres.split(',').count();
            assert!((1..=4).contains(&n) && SPHERES.iter().any(|s| spheres.contains(s.id)));
            assert!(text.ends_with('\n'));
        }
    }

    #[test]
    fn explicit_periods_touch_the_coverage() {
        let cov = |from: (i32, i32), to: (i32, i32)| Coverage {
            from: String::new(),
            to: String::new(),
            start: from,
            end: to,
        };
        assert_eq!(
            explicit_periods(&cov((2016, 8), (2019, 3))),
            ["post-crimea-stabilization", "transit"]
        );
        assert_eq!(explicit_periods(&cov((1988, 1), (1990, 12))), ["formation"]);
        assert_eq!(
            explicit_periods(&cov((2023, 1), (2024, 1))),
            ["after-february-2022"]
        );
    }
}
