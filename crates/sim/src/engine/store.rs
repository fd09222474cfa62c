//! A key-value cache with capacity, TTL and LRU/LFU/FIFO eviction, used by `cache` nodes and by
//! CDNs given a capacity. Keys are user ids; values are not modelled, only presence.
//!
//! Entries live in a slab, linked in eviction order: one list for LRU (by last use) and FIFO
//! (by insertion), and for LFU one list per use count (each by last use), the lowest count
//! evicted first. So a use is O(1) (LFU: O(log) of the distinct counts), and an entry costs
//! about 50 bytes; an ordered map of ranks cost about 130 bytes a key, and a cache of 50,000
//! keys per instance made preset 10's memory grow through its runs as the caches filled.

use std::collections::{BTreeMap, HashMap};

use crate::engine::hash::FxBuild;
use crate::params::Eviction;
use crate::time::SimTime;

/// No entry: the end of a list.
const NIL: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Entry {
    key: u64,
    expires: SimTime,
    /// LFU: how often it was stored or found (the list it is in). 32 bits, so that `stale`
    /// fits in the 32 bytes an entry took before it.
    uses: u32,
    prev: u32,
    next: u32,
    /// Filled from a read that was stale (a replica or NoSQL copy the latest write had not
    /// reached yet): it stays so until it is invalidated or expires.
    stale: bool,
}

/// A doubly linked list of entries, oldest first.
#[derive(Clone, Copy, Debug)]
struct List {
    head: u32,
    tail: u32,
}

impl List {
    const EMPTY: List = List {
        head: NIL,
        tail: NIL,
    };
}

/// One cache instance's contents.
#[derive(Debug)]
pub(crate) struct Store {
    capacity: usize,
    eviction: Eviction,
    /// Where each key's entry is in `entries`.
    index: HashMap<u64, u32, FxBuild>,
    entries: Vec<Entry>,
    /// Slots of `entries` freed, for reuse.
    free: Vec<u32>,
    /// LRU and FIFO: every entry, the next victim first.
    queue: List,
    /// LFU: the entries by use count, each list least recently used first.
    by_uses: BTreeMap<u32, List>,
}

impl Store {
    pub fn new(capacity: u64, eviction: Eviction) -> Store {
        Store {
            capacity: capacity.max(1) as usize,
            eviction,
            index: HashMap::default(),
            entries: Vec::new(),
            free: Vec::new(),
            queue: List::EMPTY,
            by_uses: BTreeMap::new(),
        }
    }

    /// Whether `key` is present and fresh at `now`; a hit refreshes its place in the order.
    pub fn get(&mut self, key: u64, now: SimTime) -> bool {
        self.lookup(key, now).is_some()
    }

    /// As [`Store::get`]: `None` on a miss, else whether the entry was filled from a stale
    /// read ([`Store::put_read`]).
    pub fn lookup(&mut self, key: u64, now: SimTime) -> Option<bool> {
        let &i = self.index.get(&key)?;
        if self.entries[i as usize].expires <= now {
            self.remove(key);
            return None;
        }
        match self.eviction {
            Eviction::Fifo => {}
            Eviction::Lru => {
                self.unlink(i);
                self.push_back(i);
            }
            Eviction::Lfu => {
                self.unlink(i);
                let uses = &mut self.entries[i as usize].uses;
                *uses = uses.saturating_add(1);
                self.push_back(i);
            }
        }
        Some(self.entries[i as usize].stale)
    }

    /// Stores `key` until `expires`, evicting the policy's victim when full.
    pub fn put(&mut self, key: u64, expires: SimTime) {
        self.put_read(key, expires, false);
    }

    /// [`Store::put`] of a value read from a store, `stale` when that read was.
    pub fn put_read(&mut self, key: u64, expires: SimTime, stale: bool) {
        self.remove(key);
        if self.index.len() >= self.capacity {
            if let Some(victim) = self.victim() {
                self.remove(self.entries[victim as usize].key);
            }
        }
        let entry = Entry {
            key,
            expires,
            uses: 1,
            prev: NIL,
            next: NIL,
            stale,
        };
        let i = match self.free.pop() {
            Some(i) => {
                self.entries[i as usize] = entry;
                i
            }
            None => {
                self.entries.push(entry);
                (self.entries.len() - 1) as u32
            }
        };
        self.index.insert(key, i);
        self.push_back(i);
    }

    /// Drops `key` (a write invalidated it, or it expired).
    pub fn remove(&mut self, key: u64) {
        if let Some(i) = self.index.remove(&key) {
            self.unlink(i);
            self.free.push(i);
        }
    }

    /// Forgets everything (the instance crashed).
    pub fn clear(&mut self) {
        self.index.clear();
        self.entries.clear();
        self.free.clear();
        self.queue = List::EMPTY;
        self.by_uses.clear();
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// The entry the policy evicts next.
    fn victim(&self) -> Option<u32> {
        let list = match self.eviction {
            Eviction::Lfu => *self.by_uses.first_key_value()?.1,
            Eviction::Lru | Eviction::Fifo => self.queue,
        };
        (list.head != NIL).then_some(list.head)
    }

    /// The list entry `i` belongs in.
    fn list_of(&mut self, i: u32) -> &mut List {
        match self.eviction {
            Eviction::Lfu => {
                let uses = self.entries[i as usize].uses;
                self.by_uses.entry(uses).or_insert(List::EMPTY)
            }
            Eviction::Lru | Eviction::Fifo => &mut self.queue,
        }
    }

    /// Appends entry `i` to the end of its list (the last to be evicted of it).
    fn push_back(&mut self, i: u32) {
        let list = self.list_of(i);
        let old_tail = list.tail;
        list.tail = i;
        if old_tail == NIL {
            list.head = i;
        }
        let e = &mut self.entries[i as usize];
        e.prev = old_tail;
        e.next = NIL;
        if old_tail != NIL {
            self.entries[old_tail as usize].next = i;
        }
    }

    /// Takes entry `i` out of its list (an LFU count left empty goes with it).
    fn unlink(&mut self, i: u32) {
        let Entry {
            prev, next, uses, ..
        } = self.entries[i as usize];
        if prev != NIL {
            self.entries[prev as usize].next = next;
        }
        if next != NIL {
            self.entries[next as usize].prev = prev;
        }
        let list = self.list_of(i);
        if list.head == i {
            list.head = next;
        }
        if list.tail == i {
            list.tail = prev;
        }
        if list.head == NIL && self.eviction == Eviction::Lfu {
            self.by_uses.remove(&uses);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The store as it was before the slab (a map of ranks in eviction order), kept as the
    /// reference the slab must agree with on every operation.
    struct Ranked {
        capacity: usize,
        eviction: Eviction,
        entries: HashMap<u64, (SimTime, (u64, u64))>,
        order: BTreeMap<(u64, u64), u64>,
        tick: u64,
    }

    impl Ranked {
        fn new(capacity: u64, eviction: Eviction) -> Ranked {
            Ranked {
                capacity: capacity.max(1) as usize,
                eviction,
                entries: HashMap::new(),
                order: BTreeMap::new(),
                tick: 0,
            }
        }

        fn get(&mut self, key: u64, now: SimTime) -> bool {
            let Some((expires, old)) = self.entries.get(&key).copied() else {
                return false;
            };
            if expires <= now {
                self.remove(key);
                return false;
            }
            self.tick += 1;
            let rank = match self.eviction {
                Eviction::Lru => (self.tick, 0),
                Eviction::Lfu => (old.0 + 1, self.tick),
                Eviction::Fifo => return true,
            };
            self.order.remove(&old);
            self.order.insert(rank, key);
            self.entries.insert(key, (expires, rank));
            true
        }

        fn put(&mut self, key: u64, expires: SimTime) {
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
            self.entries.insert(key, (expires, rank));
        }

        fn remove(&mut self, key: u64) {
            if let Some((_, rank)) = self.entries.remove(&key) {
                self.order.remove(&rank);
            }
        }
    }

    #[derive(Clone, Debug)]
    enum Op {
        Get(u64),
        Put(u64, u64),
        Remove(u64),
        Later(u64),
        Clear,
    }

    fn ops() -> impl Strategy<Value = Vec<Op>> {
        let op = prop_oneof![
            6 => (0u64..12).prop_map(Op::Get),
            4 => (0u64..12, 1u64..50).prop_map(|(k, ttl)| Op::Put(k, ttl)),
            1 => (0u64..12).prop_map(Op::Remove),
            2 => (1u64..20).prop_map(Op::Later),
            1 => Just(Op::Clear),
        ];
        prop::collection::vec(op, 0..200)
    }

    #[test]
    fn an_entry_filled_by_a_stale_read_stays_stale_until_it_is_filled_again() {
        let mut s = Store::new(4, Eviction::Lru);
        assert_eq!(s.lookup(1, SimTime(0)), None);
        s.put_read(1, FOREVER, true);
        s.put(2, FOREVER);
        assert_eq!(s.lookup(1, SimTime(0)), Some(true));
        assert_eq!(
            s.lookup(1, SimTime(5)),
            Some(true),
            "a hit does not refresh it"
        );
        assert_eq!(s.lookup(2, SimTime(0)), Some(false));
        s.put_read(1, FOREVER, false);
        assert_eq!(s.lookup(1, SimTime(0)), Some(false));
        s.put_read(1, SimTime(10), true);
        assert_eq!(s.lookup(1, SimTime(10)), None, "expired");
    }

    proptest! {
        #[test]
        fn the_slab_evicts_as_the_ranked_map_did(
            capacity in 1u64..8,
            policy in 0usize..3,
            ops in ops(),
        ) {
            let eviction = [Eviction::Lru, Eviction::Lfu, Eviction::Fifo][policy];
            let mut store = Store::new(capacity, eviction);
            let mut reference = Ranked::new(capacity, eviction);
            let mut now = SimTime(0);
            for op in ops {
                match op {
                    Op::Get(k) => prop_assert_eq!(store.get(k, now), reference.get(k, now)),
                    Op::Put(k, ttl) => {
                        store.put(k, SimTime(now.0 + ttl));
                        reference.put(k, SimTime(now.0 + ttl));
                    }
                    Op::Remove(k) => {
                        store.remove(k);
                        reference.remove(k);
                    }
                    Op::Later(dt) => now = SimTime(now.0 + dt),
                    Op::Clear => {
                        store.clear();
                        reference = Ranked::new(capacity, eviction);
                    }
                }
                prop_assert_eq!(store.len(), reference.entries.len());
            }
            // Same contents at the end, key by key (a get refreshes, so check a copy).
            for k in 0..12 {
                prop_assert_eq!(store.index.contains_key(&k), reference.entries.contains_key(&k));
            }
        }
    }

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
