//! Transliteration and slugs, in one place. Turns titles, file stems and facet values into
//! lowercase ASCII slugs (`[a-z0-9-]+`) by the standard the archive names in `archive.yaml`:
//! BGN/PCGN (the table is written here), ICAO Doc 9303 or GOST 7.79-2000 System B (tables from
//! the `translit` crate). Kazakh letters follow Kazakhstan's 2021 Latin alphabet in every
//! scheme, and deunicode covers every other script. Also owns how facet values (people,
//! actors, keywords) are normalized, compared and given slugs that never merge two values.
//! Does not decide what to do with an empty slug or a duplicate: callers report those.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

/// A named transliteration standard for Cyrillic, chosen by `transliteration:` in
/// `archive.yaml`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub(crate) enum Scheme {
    /// BGN/PCGN romanization of Russian (1947), what English-language scholarship and maps
    /// use: `Россия` → `rossiya`. The archive's default.
    #[default]
    BgnPcgn,
    /// ICAO Doc 9303, used in Russian passports since 2013: `Россия` → `rossiia`.
    Icao,
    /// GOST 7.79-2000 System B, the Russian library standard: `Щука` → `shhuka`.
    Gost779B,
}

/// A `transliteration:` value that names no known scheme.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct SchemeError {
    /// What was wrong, naming the value.
    pub message: String,
    /// The accepted values.
    pub help: String,
}

impl fmt::Display for SchemeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SchemeError {}

impl Scheme {
    /// Every scheme, in the order the documentation lists them.
    pub(crate) const ALL: [Scheme; 3] = [Scheme::BgnPcgn, Scheme::Icao, Scheme::Gost779B];

    /// The name as written in `archive.yaml`: `bgn-pcgn`, `icao` or `gost-7.79-b`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Scheme::BgnPcgn => "bgn-pcgn",
            Scheme::Icao => "icao",
            Scheme::Gost779B => "gost-7.79-b",
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Accepts exactly `bgn-pcgn`, `icao` or `gost-7.79-b`.
impl FromStr for Scheme {
    type Err = SchemeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scheme::ALL
            .into_iter()
            .find(|scheme| scheme.as_str() == s)
            .ok_or_else(|| SchemeError {
                message: format!(
                    "unknown transliteration `{s}`; expected bgn-pcgn, icao or gost-7.79-b"
                ),
                help: "write one of bgn-pcgn (the default), icao or gost-7.79-b".to_string(),
            })
    }
}

/// Kazakh letters by Kazakhstan's Latin alphabet of January 2021, folded to ASCII:
/// ә Ä, ғ Ğ, қ Q, ң Ñ (also printed Ŋ), ө Ö, ұ Ū, ү Ü, һ H, і I (dotless ı).
fn kazakh(c: char) -> Option<&'static str> {
    Some(match c {
        'ә' => "a",
        'ғ' => "g",
        'қ' => "q",
        'ң' => "n",
        'ө' => "o",
        'ұ' => "u",
        'ү' => "u",
        'һ' => "h",
        'і' => "i",
        _ => return None,
    })
}

/// Whether `c` is a Cyrillic vowel (Russian or Kazakh), after which BGN/PCGN writes е as `ye`.
fn is_cyrillic_vowel(c: char) -> bool {
    "аеёиоуыэюяәөұүі".contains(c)
}

/// BGN/PCGN for Russian, lowercase, simplified for slugs: the prime and double prime of ь and ъ
/// are dropped, and ë is folded to e. `prev` is the character before `c` (lowercased).
fn bgn_pcgn(c: char, prev: Option<char>) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        // BGN/PCGN writes е and ё as ye / yë at the start of a word and after a vowel, й, ъ or ь.
        'е' | 'ё' => match prev {
            Some(p) if p.is_alphabetic() && !is_cyrillic_vowel(p) && !"йъь".contains(p) => "e",
            _ => "ye",
        },
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

/// A table of the `translit` crate as single characters to lowercase ASCII. GOST 7.79-B marks
/// ъ, ь, ы and э with backticks (`` ` ``); a slug drops them, so `ы` (`y``) becomes `y`.
fn table(pairs: translit::CharsMapping) -> HashMap<char, String> {
    pairs
        .into_iter()
        .filter_map(|(cyrillic, latin)| {
            let mut chars = cyrillic.chars();
            let c = chars.next().filter(|_| chars.next().is_none())?;
            Some((c, latin.replace('`', "").to_ascii_lowercase()))
        })
        .collect()
}

/// ICAO Doc 9303 for Russian: the crate's `Passport2013` table (ъ `ie`, ь dropped, ю `iu`).
static ICAO: LazyLock<HashMap<char, String>> =
    LazyLock::new(|| table(translit::iternational_passport_2013_ru()));

/// GOST 7.79-2000 System B for Russian: the crate's `Gost779B` table for `Language::Ru`.
static GOST_B: LazyLock<HashMap<char, String>> = LazyLock::new(|| table(translit::gost779b_ru()));

/// The ASCII for one character under `scheme`, or `None` for a separator. `prev` and `next`
/// are its lowercased neighbours.
fn transliterate(
    c: char,
    prev: Option<char>,
    next: Option<char>,
    scheme: Scheme,
) -> Option<&'static str> {
    if c.is_ascii() {
        return None;
    }
    if let Some(latin) = kazakh(c) {
        return Some(latin);
    }
    let cyrillic = match scheme {
        Scheme::BgnPcgn => bgn_pcgn(c, prev),
        Scheme::Icao => ICAO.get(&c).map(String::as_str),
        // GOST 7.79-B writes ц as `cz` before i, e, y and j (и і е ё ы й э ю я) and `c`
        // elsewhere; the crate's table always gives `c`.
        Scheme::Gost779B if c == 'ц' && next.is_some_and(|n| "иіеёыйэюя".contains(n)) => {
            Some("cz")
        }
        Scheme::Gost779B => GOST_B.get(&c).map(String::as_str),
    };
    cyrillic.or_else(|| deunicode::deunicode_char(c))
}

/// The slug of `text`: NFC-normalized, Cyrillic transliterated by `scheme` (Kazakh letters by
/// the 2021 Latin alphabet), every other script through deunicode, lowercase ASCII; every run
/// of anything but `a-z` and `0-9` becomes one `-`, with none at either end. May return ""
/// (e.g. for "—"); callers report that. Idempotent, and NFC and NFD input give the same slug.
pub(crate) fn slugify(text: &str, scheme: Scheme) -> String {
    let lower: Vec<char> = text
        .nfc()
        .collect::<String>()
        .to_lowercase()
        .chars()
        .collect();
    let mut slug = String::with_capacity(lower.len());
    let mut pending_dash = false;
    for (i, &c) in lower.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| lower[j]);
        let next = lower.get(i + 1).copied();
        let mut push = |ch: char| {
            if ch.is_ascii_alphanumeric() {
                if pending_dash && !slug.is_empty() {
                    slug.push('-');
                }
                pending_dash = false;
                slug.push(ch.to_ascii_lowercase());
            } else {
                pending_dash = true;
            }
        };
        if c.is_ascii() {
            push(c);
        } else {
            match transliterate(c, prev, next, scheme) {
                Some(latin) => latin.chars().for_each(&mut push),
                None => push(' '),
            }
        }
    }
    slug
}

/// Longest slug made from a facet value (before its hash) or from a title by `dyad new`, in
/// bytes: a readable URL, and far from the 255 bytes a file name may have.
pub(crate) const CUT_SLUG: usize = 100;

/// Longest slug an abstract may have, in bytes: its folder holds `<slug>.json` and the like,
/// written through a temporary name a few bytes longer, and a file name has at most 255.
pub(crate) const MAX_SLUG: usize = 200;

/// `slug` cut to at most `max` bytes between words (inside the first word when it alone is
/// longer). Made slugs are ASCII; an explicit `slug:` that is not (an error reported
/// elsewhere) is cut at the character boundary at or before `max`, never inside a character.
pub(crate) fn cut_slug(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    let mut end = max;
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &slug[..end];
    match cut.rfind('-') {
        Some(i) if i > 0 => &cut[..i],
        _ => cut,
    }
}

/// Whether `s` is a valid explicit slug: one or more of `a-z`, `0-9` and `-`, nothing else.
pub(crate) fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A facet value as the archive keeps it: NFC-normalized, every run of Unicode white space
/// collapsed to one space, trimmed.
pub(crate) fn normalize_facet_value(s: &str) -> String {
    // Most values are already NFC with single spaces: check before allocating.
    let tidy = !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
        && !s.chars().any(|c| c.is_whitespace() && c != ' ');
    if tidy {
        if s.is_ascii()
            || unicode_normalization::is_nfc_quick(s.chars())
                == unicode_normalization::IsNormalized::Yes
        {
            return s.to_string();
        }
        return s.nfc().collect();
    }
    let spaced = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if unicode_normalization::is_nfc_quick(spaced.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        return spaced;
    }
    spaced.nfc().collect()
}

/// What a facet value names, which decides how values compare.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum FacetKind {
    /// Authors and actors: compared exactly (after normalization), since "Anna Petrova" and
    /// "anna petrova" may be written by different sources about different people.
    Person,
    /// Keywords: compared case-insensitively.
    Keyword,
}

/// The comparison key of a facet value: two values are the same iff their keys are equal.
/// The normalized value (see `normalize_facet_value`), lowercased for keywords.
pub(crate) fn facet_key(value: &str, kind: FacetKind) -> String {
    facet_key_of_normalized(normalize_facet_value(value), kind)
}

/// [`facet_key`] of a value already normalized with [`normalize_facet_value`].
pub(crate) fn facet_key_of_normalized(normalized: String, kind: FacetKind) -> String {
    match kind {
        FacetKind::Person => normalized,
        // Lowercasing can leave combining marks (İ → i̇), so normalize once more.
        FacetKind::Keyword if normalized.is_ascii() => normalized.to_ascii_lowercase(),
        FacetKind::Keyword => normalized.to_lowercase().nfc().collect(),
    }
}

/// The first 6 hex digits of the SHA-256 of `key`.
fn short_hash(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .take(3)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether the last `-`-separated part of `slug` looks like a `short_hash`.
fn ends_in_hash(slug: &str) -> bool {
    let last = slug.rsplit('-').next().unwrap_or(slug);
    last.len() == 6
        && last
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether the facet value can be read back from its plain slug: a keyword whose lowercase
/// form is the slug with spaces for `-`, or a person written as the slug's words capitalized
/// ("Anna Petrova" from `anna-petrova`).
fn is_recoverable(normalized: &str, key: &str, plain: &str, kind: FacetKind) -> bool {
    match kind {
        FacetKind::Keyword => key == plain.replace('-', " "),
        FacetKind::Person => {
            let words: Vec<String> = plain
                .split('-')
                .map(|word| {
                    let (head, tail) = word.split_at(word.len().min(1));
                    head.to_ascii_uppercase() + tail
                })
                .collect();
            normalized == words.join(" ")
        }
    }
}

/// The slug of a facet value, unique to it and independent of every other value.
///
/// The plain slug (`slugify`) stands alone only when the value can be read back from it (the
/// keyword `energy security`, the person `Anna Petrova`) and it does not end in something that
/// looks like a hash. Otherwise `-` and the first 6 hex digits of the SHA-256 of the value's
/// `facet_key` are appended (`suleymenov-1a2b3c`), and a value with an empty plain slug gets
/// `x-` and the hash. So values that transliterate alike (Сүлейменов and Сулейменов,
/// "Ivanov I. O." and "Ivanov I.O.", or the people "Anna Petrova" and "anna petrova") keep
/// distinct slugs, and values equal by `facet_key` share one. Two distinct values could only
/// meet if they have the same plain slug and the same 24-bit hash prefix. A plain slug longer
/// than [`CUT_SLUG`] is cut between words before the hash.
pub(crate) fn facet_slug(value: &str, kind: FacetKind, scheme: Scheme) -> String {
    let normalized = normalize_facet_value(value);
    let key = facet_key(value, kind);
    let whole = slugify(&normalized, scheme);
    // A long value (a keyword that is a sentence) is cut, and then it cannot be read back.
    let plain = cut_slug(&whole, CUT_SLUG);
    if plain.is_empty() {
        format!("x-{}", short_hash(&key))
    } else if plain.len() == whole.len()
        && is_recoverable(&normalized, &key, plain, kind)
        && !ends_in_hash(plain)
    {
        whole
    } else {
        format!("{plain}-{}", short_hash(&key))
    }
}

#[cfg(test)]
mod tests;
