//! Machine-readable site files: `sitemap.xml` (split into a sitemap index past the sitemaps.org
//! limits), the Atom feed `atom.xml` (RFC 4287) and `robots.txt`.
//!
//! Pure string builders: they take already-ordered absolute URLs and entries and return text, so
//! the same input always gives the same bytes. They never read the clock (a feed's `updated` comes
//! from its entries), never touch the file system (`output` writes what they return) and never
//! decide what is listed (drafts and ordering are the caller's business).

use std::fmt::{self, Write as _};

/// The most URLs one sitemap file may hold (sitemaps.org).
const SITEMAP_MAX_URLS: usize = 50_000;

/// The most bytes one uncompressed sitemap file may have (sitemaps.org: 50 MiB).
const SITEMAP_MAX_BYTES: usize = 50 * 1024 * 1024;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const URLSET_OPEN: &str = "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
const URLSET_CLOSE: &str = "</urlset>\n";

/// The `updated` of a feed without entries: a fixed instant, so an empty feed is reproducible.
const EPOCH: &str = "1970-01-01T00:00:00Z";

/// Builds the sitemap files for `urls` (absolute page URLs, already in their final order).
///
/// Returns `(file name relative to the output root, XML)` pairs. Up to 50,000 URLs (and 50 MiB)
/// that is a single `sitemap.xml`; past either limit `sitemap.xml` becomes a sitemap index
/// pointing to `sitemap-1.xml`, `sitemap-2.xml`, … (under `base_url`), each within both limits, and
/// the parts follow the index in the returned list. An empty list still gives a valid, empty
/// `sitemap.xml`. Every URL is XML-escaped.
pub(crate) fn sitemaps(base_url: &url::Url, urls: &[String]) -> Vec<(String, String)> {
    let parts = split_sitemap(urls, SITEMAP_MAX_URLS, SITEMAP_MAX_BYTES);
    if parts.len() <= 1 {
        return vec![("sitemap.xml".to_owned(), urlset(urls))];
    }
    let base = base_url.as_str();
    let slash = if base.ends_with('/') { "" } else { "/" };
    let mut index = String::from(XML_DECL);
    let _ = writeln!(index, "<sitemapindex xmlns=\"{SITEMAP_NS}\">");
    let mut files = Vec::with_capacity(parts.len() + 1);
    for (i, part) in parts.iter().enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        let _ = writeln!(
            index,
            "<sitemap><loc>{}</loc></sitemap>",
            escape(&format!("{base}{slash}{name}"))
        );
        files.push((name, urlset(part)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".to_owned(), index));
    files
}

/// Cuts `urls` into runs that each fit one sitemap file: at most `max_urls` URLs and `max_bytes`
/// bytes as [`urlset`] writes them (a single URL longer than that still gets a part of its own).
fn split_sitemap(urls: &[String], max_urls: usize, max_bytes: usize) -> Vec<&[String]> {
    let fixed = XML_DECL.len() + URLSET_OPEN.len() + URLSET_CLOSE.len();
    let mut parts = Vec::new();
    let (mut start, mut bytes) = (0, fixed);
    for (i, url) in urls.iter().enumerate() {
        let len = url_line_len(url);
        if i > start && (i - start == max_urls || bytes + len > max_bytes) {
            parts.push(&urls[start..i]);
            (start, bytes) = (i, fixed);
        }
        bytes += len;
    }
    if start < urls.len() {
        parts.push(&urls[start..]);
    }
    parts
}

/// The length of one `<url>` line as [`urlset`] writes it.
fn url_line_len(url: &str) -> usize {
    let mut count = ByteCount("<url><loc></loc></url>\n".len());
    let _ = write!(count, "{}", escape(url));
    count.0
}

fn urlset(urls: &[String]) -> String {
    let mut xml = String::with_capacity(
        XML_DECL.len() + URLSET_OPEN.len() + urls.iter().map(|u| u.len() + 24).sum::<usize>(),
    );
    xml.push_str(XML_DECL);
    xml.push_str(URLSET_OPEN);
    for url in urls {
        let _ = writeln!(xml, "<url><loc>{}</loc></url>", escape(url));
    }
    xml.push_str(URLSET_CLOSE);
    xml
}

/// One entry of the Atom feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FeedEntry {
    /// The work's title, plain text.
    pub title: String,
    /// The page's absolute URL; also the entry's `id`.
    pub url: String,
    /// RFC 3339 date-time, e.g. `2019-03-31T00:00:00Z`.
    pub updated: String,
    /// Author names; empty when unknown (the feed-level author then stands in).
    pub authors: Vec<String>,
    /// A plain-text summary, if any.
    pub summary: Option<String>,
}

/// Builds an Atom 1.0 feed (RFC 4287) of `entries`, in the order given.
///
/// The feed's `id` and `rel="alternate"` link are `site_url`, its `rel="self"` link is `feed_url`.
/// Its `updated` is the newest entry's `updated` (never the build time), or 1970-01-01T00:00:00Z
/// for an empty feed. RFC 4287 wants an author on every entry or on the feed: when any entry has no
/// authors (or there are no entries), the feed gets `title` as its author. Each entry's `id` is its
/// URL. All text is XML-escaped, and characters XML 1.0 cannot carry are dropped.
pub(crate) fn atom(title: &str, site_url: &str, feed_url: &str, entries: &[FeedEntry]) -> String {
    let updated = entries
        .iter()
        .map(|e| e.updated.as_str())
        .max_by(|a, b| instant_key(a).cmp(&instant_key(b)).then_with(|| a.cmp(b)))
        .unwrap_or(EPOCH);
    let mut xml = String::with_capacity(1024 + entries.len() * 512);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(xml, "  <title>{}</title>", escape(title));
    let _ = writeln!(xml, "  <id>{}</id>", escape(site_url));
    let _ = writeln!(xml, "  <updated>{}</updated>", escape(updated));
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(feed_url)
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(site_url)
    );
    if entries.is_empty() || entries.iter().any(|e| e.authors.is_empty()) {
        let _ = writeln!(xml, "  <author><name>{}</name></author>", escape(title));
    }
    for entry in entries {
        write_entry(&mut xml, entry);
    }
    xml.push_str("</feed>\n");
    xml
}

fn write_entry(xml: &mut String, entry: &FeedEntry) {
    let url = escape(&entry.url);
    xml.push_str("  <entry>\n");
    let _ = writeln!(xml, "    <title>{}</title>", escape(&entry.title));
    let _ = writeln!(
        xml,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>"
    );
    let _ = writeln!(xml, "    <id>{url}</id>");
    let _ = writeln!(xml, "    <updated>{}</updated>", escape(&entry.updated));
    for author in &entry.authors {
        let _ = writeln!(xml, "    <author><name>{}</name></author>", escape(author));
    }
    if let Some(summary) = &entry.summary {
        let _ = writeln!(xml, "    <summary>{}</summary>", escape(summary));
    }
    xml.push_str("  </entry>\n");
}

/// Builds `robots.txt`: everything may be crawled, and the sitemap is at `sitemap_url`.
///
/// Crawlers only read `/robots.txt` at the host's root, so a site under a base path such as `/rk/`
/// gets a file they will not consult; it is written anyway for hosts that serve that folder at a
/// root of its own.
pub(crate) fn robots(sitemap_urls: &[String]) -> String {
    let mut out = String::from("User-agent: *\nDisallow:\n\n");
    for url in sitemap_urls {
        let clean: String = url.chars().filter(|c| !c.is_control()).collect();
        out.push_str(&format!("Sitemap: {clean}\n"));
    }
    out
}

/// Escapes the five XML special characters and drops characters XML 1.0 forbids (control
/// characters other than tab and line breaks, U+FFFE, U+FFFF), which would make the file
/// unreadable to every feed reader. Formats straight into the output, without allocating.
pub(crate) fn escape(text: &str) -> Escaped<'_> {
    Escaped(text)
}

pub(crate) struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let mut start = 0;
        for (i, c) in text.char_indices() {
            let replacement = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&apos;",
                '\t' | '\n' | '\r' => continue,
                c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => "",
                _ => continue,
            };
            f.write_str(&text[start..i])?;
            f.write_str(replacement)?;
            start = i + c.len_utf8();
        }
        f.write_str(&text[start..])
    }
}

/// Counts the bytes formatted into it.
struct ByteCount(usize);

impl fmt::Write for ByteCount {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

/// Sort key of an RFC 3339 date-time: seconds since the epoch in UTC and the fraction's digits
/// padded to nanoseconds, so `…T01:00:00+02:00` sorts before `…T00:00:00Z` as it should. `None`
/// for text that is not RFC 3339 (it then sorts before every valid instant).
fn instant_key(text: &str) -> Option<(i64, u32)> {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(range)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    };
    let seps = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if seps.iter().any(|&(i, c)| b.get(i) != Some(&c)) || !matches!(b.get(10), Some(b'T' | b't')) {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &text[19..];
    let mut nanos = 0u32;
    if let Some(frac) = rest.strip_prefix('.') {
        let len = frac.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return None;
        }
        let padded = format!("{:0<9}", &frac[..len.min(9)]);
        nanos = padded.parse().ok()?;
        rest = &frac[len..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let r = rest.as_bytes();
            if r.len() != 6 || r[3] != b':' {
                return None;
            }
            let digits = |s: &str| -> Option<i64> {
                s.bytes()
                    .all(|d| d.is_ascii_digit())
                    .then(|| s.parse().ok())?
            };
            sign * (digits(&rest[1..3])? * 3600 + digits(&rest[4..6])? * 60)
        }
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some((
        days * 86_400 + hour * 3600 + minute * 60 + second - offset,
        nanos,
    ))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests;
