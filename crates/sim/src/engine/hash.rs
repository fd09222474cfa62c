//! A fixed, seedless hasher for engine maps and key routing. `std`'s default hasher is seeded
//! from the OS; even though the engine never iterates its maps, a fixed hasher keeps every run
//! byte-for-byte the same on every platform and is faster for integer keys.

use std::hash::{BuildHasherDefault, Hasher};

use crate::params::ShardStrategy;

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

/// The instance (partition, shard of a cache or session store) of `count` that holds `user`'s
/// key. Salted, so that it is independent of a shard router's `hash_mod` (plain `mix64`): with
/// the same hash, a router over 4 stores of 4 partitions sent each store only keys of one
/// partition, and 3 of every 4 partitions sat idle while the fourth overflowed.
pub(crate) fn partition(user: u64, count: u64) -> u64 {
    const SALT: u64 = 0x9E37_79B9_7F4A_7C15;
    mix64(user ^ SALT) % count
}

/// Rendezvous hashing: the score of place `k` for `user`; an `ip_hash` balancer sends each
/// user to the healthy place that scores highest.
pub(crate) fn rendezvous_score(user: u64, k: usize) -> u64 {
    mix64(user ^ mix64(k as u64 + 1))
}

/// The place, of `len` all healthy, that rendezvous hashing gives `user` (the last of equal
/// scores, as `max_by_key` picks).
pub(crate) fn rendezvous(user: u64, len: usize) -> usize {
    (0..len)
        .max_by_key(|k| rendezvous_score(user, *k))
        .unwrap_or(0)
}

/// A consistent-hash ring over `shards` shards: 64 virtual points each, placed by hashing
/// (shard, point), sorted by position.
pub(crate) fn ring(shards: usize) -> Vec<(u64, u32)> {
    let mut ring: Vec<(u64, u32)> = (0..shards)
        .flat_map(|s| (0..64u64).map(move |v| (mix64(((s as u64) << 32) | v), s as u32)))
        .collect();
    ring.sort_unstable();
    ring
}

/// Each shard's share of the hash space on `ring` (from [`ring`]): the arcs ending at its
/// points, as [`hashed_shard`] sends a hash to the first point at or after it. With 64
/// points a shard these are not even: over 4 shards the largest is 1.13 times the mean.
pub(crate) fn arc_shares(ring: &[(u64, u32)], shards: usize) -> Vec<f64> {
    let mut shares = vec![0.0; shards];
    let mut before = match ring.last() {
        Some((p, _)) => *p,
        None => return shares,
    };
    for &(at, shard) in ring {
        // Wrapping: the first point's arc runs from the last point round to it.
        let arc = at.wrapping_sub(before) as f64 / 2f64.powi(64);
        if let Some(s) = shares.get_mut(shard as usize) {
            *s += arc;
        }
        before = at;
    }
    shares
}

/// The shard, of `len`, that a router hashing by `strategy` sends `user` to (`ring` from
/// [`ring`] for consistent hashing). Range routing does not hash: see the router.
pub(crate) fn hashed_shard(
    strategy: ShardStrategy,
    user: u64,
    len: u64,
    ring: &[(u64, u32)],
) -> u64 {
    match strategy {
        ShardStrategy::ConsistentHash => {
            let h = mix64(user ^ 0x5bd1_e995);
            let at = ring.partition_point(|(p, _)| *p < h) % ring.len().max(1);
            ring.get(at).map_or(0, |(_, s)| u64::from(*s))
        }
        _ => mix64(user) % len,
    }
}
