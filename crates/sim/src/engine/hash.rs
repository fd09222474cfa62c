//! A fixed, seedless hasher for engine maps and key routing. `std`'s default hasher is seeded
//! from the OS; even though the engine never iterates its maps, a fixed hasher keeps every run
//! byte-for-byte the same on every platform and is faster for integer keys.

use std::hash::{BuildHasherDefault, Hasher};

/// Mixes a 64-bit key (SplitMix64 finaliser): used to spread users over shards and instances.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hasher for integer keys.
#[derive(Default, Clone, Copy)]
pub(crate) struct IntHasher(u64);

impl Hasher for IntHasher {
    fn finish(&self) -> u64 {
        mix64(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8)) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
}

/// `BuildHasher` for [`IntHasher`].
pub(crate) type FxBuild = BuildHasherDefault<IntHasher>;
