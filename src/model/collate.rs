//! Sorting names and titles the way a reader of each script expects.
//!
//! ICU4X's collator (CLDR root order, tailored by the archive's language): Cyrillic in
//! alphabetical order with ё beside е, Kazakh letters in their places, Latin before Cyrillic,
//! case and accents as tie-breakers. We compute one sort key per string and sort by the keys, so
//! sorting n strings costs n key computations, not n log n comparisons.

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed, CollatorPreferences};
use icu_locale_core::Locale;

/// A collator for one language.
pub(crate) struct Collation {
    collator: CollatorBorrowed<'static>,
}

impl Collation {
    /// The collator for `language` (BCP 47); the root order when ICU has no tailoring for it.
    pub fn new(language: &str) -> Self {
        let locale = Locale::try_from_str(language).unwrap_or(Locale::UNKNOWN);
        let prefs = CollatorPreferences::from(&locale);
        let collator = Collator::try_new(prefs, CollatorOptions::default())
            .or_else(|_| {
                Collator::try_new(CollatorPreferences::default(), CollatorOptions::default())
            })
            .expect("the root collation is compiled into icu_collator");
        Collation { collator }
    }

    /// The sort key of `s`: byte order of keys is collation order.
    pub fn key(&self, s: &str) -> Vec<u8> {
        let mut k = Vec::with_capacity(s.len() * 2);
        // Writing into a Vec cannot fail.
        let _ = self.collator.write_sort_key_to(s, &mut k);
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(lang: &str, words: &[&str]) -> Vec<String> {
        let c = Collation::new(lang);
        let mut v: Vec<_> = words.iter().map(|w| (c.key(w), w.to_string())).collect();
        v.sort();
        v.into_iter().map(|(_, w)| w).collect()
    }

    #[test]
    fn cyrillic_alphabetical_with_yo_beside_ye() {
        assert_eq!(
            sorted("ru", &["Жуков", "Ёлкин", "Елисеев", "Ежов", "Абаев"]),
            ["Абаев", "Ежов", "Елисеев", "Ёлкин", "Жуков"]
        );
    }

    #[test]
    fn kazakh_letters_in_their_places() {
        // Kazakh: а ә б … г ғ … к қ … н ң … о ө … у ұ ү … х һ … ы і.
        assert_eq!(
            sorted("kk", &["Құлжан", "Кусаинов", "Әбішев", "Абаев", "Лаптев"]),
            ["Абаев", "Әбішев", "Кусаинов", "Құлжан", "Лаптев"]
        );
    }

    #[test]
    fn not_byte_order() {
        assert_eq!(
            sorted("en", &["zeta", "Alpha", "émile", "beta"]),
            ["Alpha", "beta", "émile", "zeta"]
        );
    }
}
