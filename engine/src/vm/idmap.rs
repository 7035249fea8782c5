//! A hash map keyed by a child's index, hashed with one multiply (the keys
//! are small distinct integers, never chosen by an attacker): a Map Run
//! looks its running children up millions of times.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map from a child's index.
pub(crate) type IdMap<V> = HashMap<u32, V, BuildHasherDefault<IdHasher>>;

/// Fibonacci hashing of one integer.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (u64::from(n) ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

#[cfg(test)]
mod tests {
    use super::IdMap;

    #[test]
    fn keys_are_found_and_removed() {
        let mut m: IdMap<u32> = IdMap::default();
        for i in 0..10_000 {
            m.insert(i, i * 2);
        }
        for i in (0..10_000).step_by(2) {
            assert_eq!(m.remove(&i), Some(i * 2));
        }
        assert_eq!(m.len(), 5_000);
        assert_eq!(m.get(&1), Some(&2));
        assert_eq!(m.get(&2), None);
    }
}
