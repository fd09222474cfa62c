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

/// Rendezvous hashing: the score of place `k` for `user`. An `ip_hash` balancer falls back to
/// the healthy place that scores highest when [`sticky_place`]'s tries all found one down.
pub(crate) fn rendezvous_score(user: u64, k: usize) -> u64 {
    mix64(user ^ mix64(k as u64 + 1))
}

/// Jump consistent hashing (Lamping and Veach, 2014): the bucket of `len` that `key` falls in,
/// in O(log len) steps, evenly spread. Only floating-point division and multiplication, which
/// IEEE 754 rounds the same way on every platform, so the pick is the same in WebAssembly.
pub(crate) fn jump(mut key: u64, len: usize) -> usize {
    let (mut bucket, mut next) = (-1_i64, 0_i64);
    while next < len as i64 {
        bucket = next;
        key = key.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(1);
        next = ((bucket + 1) as f64 * ((1_u64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64;
    }
    bucket.max(0) as usize
}

/// How many places an `ip_hash` balancer tries for a user before it scores every healthy one.
pub(crate) const STICKY_TRIES: usize = 8;

/// The places an `ip_hash` balancer tries for `user`, of `len`, in order: the first is the
/// user's own; each further one is drawn afresh, so the users of a place that is down spread
/// evenly over the others and nobody else moves. (Rendezvous hashing alone scored every
/// place for every request: 20 times round robin's cost at 2,000 instances.)
pub(crate) fn sticky_places(user: u64, len: usize) -> impl Iterator<Item = usize> {
    const SALT: u64 = 0xD6E8_FEB8_6659_FD93;
    std::iter::successors(Some(mix64(user ^ SALT)), |key| Some(mix64(*key)))
        .take(STICKY_TRIES)
        .map(move |key| jump(key, len))
}

/// The place, of `len` all healthy, that an `ip_hash` balancer gives `user`.
pub(crate) fn sticky_place(user: u64, len: usize) -> usize {
    sticky_places(user, len).next().unwrap_or(0)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jump_spreads_keys_evenly() {
        for len in [1, 3, 10, 2000] {
            let mut counts = vec![0_u32; len];
            let keys = 200 * len as u64;
            for user in 0..keys {
                counts[sticky_place(user, len)] += 1;
            }
            let (lo, hi) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
            // 200 expected per place: a binomial's spread, nothing like a skew.
            assert!(*lo >= 130 && *hi <= 270, "{len} places: {lo}..{hi}");
        }
    }

    #[test]
    fn one_more_place_moves_only_the_users_it_takes() {
        let (len, users) = (40, 100_000_u64);
        let mut moved = 0;
        for user in 0..users {
            let (before, after) = (sticky_place(user, len), sticky_place(user, len + 1));
            if before != after {
                assert_eq!(after, len, "a user moves only to the new place");
                moved += 1;
            }
        }
        let share = moved as f64 / users as f64;
        assert!((share - 1.0 / 41.0).abs() < 0.005, "{share}");
    }

    #[test]
    fn the_users_of_a_place_that_is_down_spread_over_the_others() {
        let (len, down) = (8, 3);
        let mut counts = [0_u32; 8];
        for user in 0..80_000_u64 {
            let first = sticky_place(user, len);
            let k = sticky_places(user, len).find(|k| *k != down).unwrap();
            if first != down {
                assert_eq!(k, first, "the others keep their place");
            }
            counts[k] += 1;
        }
        assert_eq!(counts[down], 0);
        for (k, c) in counts.iter().enumerate().filter(|(k, _)| *k != down) {
            // 80,000 / 7 each: the down place's 10,000 spread evenly.
            assert!((c.abs_diff(11_429)) < 450, "place {k}: {c}");
        }
    }
}
