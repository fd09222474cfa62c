//! A key-value cache with capacity, TTL and LRU/LFU/FIFO eviction, used by `cache` nodes and by
//! CDNs given a capacity. Keys are user ids; values are not modelled, only presence.
//!
//! Eviction order lives in a `BTreeMap` keyed by a rank (last use, insert time, or use count),
//! so all three policies share one structure at O(log n) per operation.

use std::collections::{BTreeMap, HashMap};

use crate::engine::hash::FxBuild;
use crate::params::Eviction;
use crate::time::SimTime;

#[derive(Clone, Copy, Debug)]
struct Entry {
    expires: SimTime,
    rank: (u64, u64),
}

/// One cache instance's contents.
#[derive(Debug)]
pub(crate) struct Store {
    capacity: usize,
    eviction: Eviction,
    entries: HashMap<u64, Entry, FxBuild>,
    order: BTreeMap<(u64, u64), u64>,
    tick: u64,
}

impl Store {
    pub fn new(capacity: u64, eviction: Eviction) -> Store {
        Store {
            capacity: capacity.max(1) as usize,
            eviction,
            entries: HashMap::default(),
            order: BTreeMap::new(),
            tick: 0,
        }
    }

    /// Whether `key` is present and fresh at `now`; a hit refreshes its rank.
    pub fn get(&mut self, key: u64, now: SimTime) -> bool {
        let Some(e) = self.entries.get(&key).copied() else {
            return false;
        };
        if e.expires <= now {
            self.remove(key);
            return false;
        }
        self.tick += 1;
        let rank = match self.eviction {
            Eviction::Lru => (self.tick, 0),
            Eviction::Lfu => (e.rank.0 + 1, self.tick),
            Eviction::Fifo => return true,
        };
        self.order.remove(&e.rank);
        self.order.insert(rank, key);
        if let Some(slot) = self.entries.get_mut(&key) {
            slot.rank = rank;
        }
        true
    }

    /// Stores `key` until `expires`, evicting the policy's victim when full.
    pub fn put(&mut self, key: u64, expires: SimTime) {
        self.remove(key);
        if self.entries.len() >= self.capacity {
            if let Some((_, victim)) = self.order.pop_first() {
                self.entries.remove(&victim);
            }
        }
        self.tick += 1;
        let rank = match self.eviction {
            Eviction::Lfu => (1, self.tick),
            Eviction::Lru | Eviction::Fifo => (self.tick, 0),
        };
        self.order.insert(rank, key);
        self.entries.insert(key, Entry { expires, rank });
    }

    /// Drops `key` (a write invalidated it, or it expired).
    pub fn remove(&mut self, key: u64) {
        if let Some(e) = self.entries.remove(&key) {
            self.order.remove(&e.rank);
        }
    }

    /// Forgets everything (the instance crashed).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.order.clear();
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOREVER: SimTime = SimTime(u64::MAX);

    #[test]
    fn lru_evicts_least_recently_used() {
        let mut s = Store::new(2, Eviction::Lru);
        s.put(1, FOREVER);
        s.put(2, FOREVER);
        assert!(s.get(1, SimTime(0)));
        s.put(3, FOREVER);
        assert!(s.get(1, SimTime(0)) && s.get(3, SimTime(0)) && !s.get(2, SimTime(0)));
    }

    #[test]
    fn fifo_evicts_oldest_insert_even_if_used() {
        let mut s = Store::new(2, Eviction::Fifo);
        s.put(1, FOREVER);
        s.put(2, FOREVER);
        assert!(s.get(1, SimTime(0)));
        s.put(3, FOREVER);
        assert!(!s.get(1, SimTime(0)) && s.get(2, SimTime(0)) && s.get(3, SimTime(0)));
    }

    #[test]
    fn lfu_evicts_least_frequently_used() {
        let mut s = Store::new(2, Eviction::Lfu);
        s.put(1, FOREVER);
        s.put(2, FOREVER);
        for _ in 0..3 {
            s.get(2, SimTime(0));
        }
        s.get(1, SimTime(0));
        s.put(3, FOREVER);
        assert!(!s.get(1, SimTime(0)) && s.get(2, SimTime(0)) && s.get(3, SimTime(0)));
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn entries_expire_and_can_be_invalidated() {
        let mut s = Store::new(10, Eviction::Lru);
        s.put(1, SimTime(100));
        assert!(s.get(1, SimTime(99)));
        assert!(!s.get(1, SimTime(100)));
        s.put(2, FOREVER);
        s.remove(2);
        assert!(!s.get(2, SimTime(0)));
        s.put(3, FOREVER);
        s.clear();
        assert_eq!(s.len(), 0);
    }
}
