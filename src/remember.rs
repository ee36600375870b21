//! Process-wide memories of values made from content, for `watch`.
//!
//! `watch` rebuilds the whole archive's downloads after every edit; making each abstract's
//! plain text and each record's entry again would cost it hundreds of milliseconds at 10,000
//! works. A [`Remembered`] keeps such values by a key made from their content, once
//! [`enabled`](Remembered::enable); a build never enables it and never pays for the memory.
//! Keys are content hashes, so an edited input simply makes a new entry; the old ones are
//! dropped wholesale when the map outgrows its limit.

use std::hash::Hash;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, RwLock};

type Map<K, V> = rustc_hash::FxHashMap<K, Arc<V>>;

/// Values by content key, kept only once enabled.
pub(crate) struct Remembered<K, V: ?Sized> {
    on: AtomicBool,
    limit: usize,
    map: LazyLock<RwLock<Map<K, V>>>,
}

impl<K: Hash + Eq, V: ?Sized> Remembered<K, V> {
    /// An empty, disabled memory that starts over past `limit` entries.
    pub(crate) const fn new(limit: usize) -> Self {
        Remembered {
            on: AtomicBool::new(false),
            limit,
            map: LazyLock::new(RwLock::default),
        }
    }

    /// Keeps values from now on, for the rest of the process.
    pub(crate) fn enable(&self) {
        self.on.store(true, Ordering::Relaxed);
    }

    /// Whether values are kept.
    pub(crate) fn enabled(&self) -> bool {
        self.on.load(Ordering::Relaxed)
    }

    /// The value of `key`, made with `make` (and kept) when there is none.
    pub(crate) fn get_or(&self, key: K, make: impl FnOnce() -> Arc<V>) -> Arc<V> {
        if let Some(v) = self.map.read().ok().and_then(|m| m.get(&key).cloned()) {
            return v;
        }
        let v = make();
        if let Ok(mut m) = self.map.write() {
            if m.len() > self.limit {
                m.clear();
            }
            m.insert(key, Arc::clone(&v));
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_made_once_and_the_memory_starts_over_past_its_limit() {
        let r: Remembered<u32, str> = Remembered::new(2);
        assert!(!r.enabled());
        r.enable();
        assert!(r.enabled());
        let made = std::cell::Cell::new(0);
        let get = |k: u32| {
            r.get_or(k, || {
                made.set(made.get() + 1);
                Arc::from(k.to_string().as_str())
            })
        };
        assert_eq!(&*get(1), "1");
        assert_eq!(&*get(1), "1");
        assert_eq!(made.get(), 1);
        get(2);
        get(3);
        get(4); // past the limit: the map starts over
        get(1);
        assert_eq!(made.get(), 5);
    }
}
