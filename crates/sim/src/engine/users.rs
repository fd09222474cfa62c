//! Per-user state kept by a node for the whole run: which instance holds each user's session
//! (stateful servers, session stores) and when each user's key was last written (a primary
//! with replicas, or an eventually consistent NoSQL store, for stale reads).
//!
//! Such state grows with the users seen, not with requests, but a hash map of a million
//! users came to ~13 MB for one session store (about 24 bytes a user and a half-empty table
//! after each doubling), so memory still rose through a long run (BENCHMARKS.md, "Preset
//! 10"). User ids are `1..=users` of a client, known before the run: while arrays for every
//! such node fit in [`DENSE_BUDGET_BYTES`], a table is a plain array indexed by user id, 4 or
//! 8 bytes a user, zeroed lazily by the allocator, so it is as large after the first seconds
//! as at the end. Past that (up to 100 M users a client, and up to 1,000 nodes) hash maps,
//! which then cost less than arrays of users mostly never seen, and never more memory than
//! a browser tab has.

use std::collections::HashMap;

use crate::engine::hash::FxBuild;
use crate::model::{Model, ModelNode};
use crate::params::Params;
use crate::scenario::Kind;
use crate::time::SimTime;

/// The most memory the per-user arrays of one run may take in all: 64 MB, two session stores
/// of 8 M users each, say.
pub(crate) const DENSE_BUDGET_BYTES: u64 = 64 << 20;

/// Whether node `n` keeps its users' sessions. A session store holds them as a stateful
/// server does: a crashed instance comes back without them (it kept them through the crash).
pub(crate) fn holds_sessions(n: &ModelNode) -> bool {
    matches!(&n.params, Params::Server(p) if p.stateful_sessions) || n.kind == Kind::SessionStore
}

/// Whether node `n` remembers when each user last wrote: a primary with replicas, whose
/// reads may be stale, or a NoSQL store with a convergence lag, whose own reads may be.
pub(crate) fn keeps_last_writes(n: &ModelNode) -> bool {
    match &n.params {
        Params::SqlPrimary(_) => !n.routes.replicas.is_empty(),
        Params::Nosql(p) => p.lag_ms > 0.0,
        _ => false,
    }
}

/// Whether node `n` reports the stale reads it served: a replica, a NoSQL store, and a cache
/// when `model` has a store that can answer stale (a replica, or NoSQL with a lag) whose
/// stale value a read-through or cache-aside fill keeps (elsewhere its count is always 0).
pub(crate) fn counts_stale_reads(model: &Model, n: &ModelNode) -> bool {
    match n.kind {
        Kind::SqlReplica | Kind::Nosql => true,
        Kind::Cache => model.nodes.iter().any(|m| match &m.params {
            Params::SqlReplica(_) => true,
            Params::Nosql(p) => p.lag_ms > 0.0,
            _ => false,
        }),
        _ => false,
    }
}

/// The largest user id of `model`, when arrays of that many users for every node that keeps
/// per-user state fit in [`DENSE_BUDGET_BYTES`]; `None` when its tables must be hash maps.
pub(crate) fn dense_for(model: &Model) -> Option<u64> {
    let bytes_per_user: u64 = model
        .nodes
        .iter()
        .map(|n| 4 * u64::from(holds_sessions(n)) + 8 * u64::from(keeps_last_writes(n)))
        .sum();
    let max_user = model.max_user();
    (max_user.saturating_mul(bytes_per_user) <= DENSE_BUDGET_BYTES).then_some(max_user)
}

/// A value per user id; zero means "none", so that an array of them starts as zeroed memory.
#[derive(Debug)]
pub(crate) enum UserTable<T> {
    Dense(Vec<T>),
    Sparse(HashMap<u64, T, FxBuild>),
}

impl<T> Default for UserTable<T> {
    fn default() -> Self {
        UserTable::Sparse(HashMap::default())
    }
}

impl<T: Copy + Default + PartialEq> UserTable<T> {
    /// An array for user ids up to `dense_for` ([`dense_for`]), else a hash map.
    pub fn new(dense_for: Option<u64>) -> Self {
        match dense_for {
            // `vec![0; n]` asks the allocator for zeroed memory: pages are only touched as
            // users are seen.
            Some(max_user) => UserTable::Dense(vec![T::default(); max_user as usize + 1]),
            None => UserTable::default(),
        }
    }

    /// The value of `user`, if it has one.
    pub fn get(&self, user: u64) -> Option<T> {
        let value = match self {
            UserTable::Dense(values) => values.get(user as usize).copied(),
            UserTable::Sparse(map) => map.get(&user).copied(),
        };
        value.filter(|v| *v != T::default())
    }

    /// Sets the value of `user` (not zero) and returns the one it had, if any.
    pub fn insert(&mut self, user: u64, value: T) -> Option<T> {
        debug_assert!(value != T::default(), "zero means no value");
        let old = match self {
            UserTable::Dense(values) => match values.get_mut(user as usize) {
                Some(slot) => Some(std::mem::replace(slot, value)),
                // An id past the table (none comes from a client): kept nowhere, as if new.
                None => None,
            },
            UserTable::Sparse(map) => map.insert(user, value),
        };
        old.filter(|v| *v != T::default())
    }
}

/// When each user's key was last written.
#[derive(Debug, Default)]
pub(crate) struct LastWrites(UserTable<u64>);

impl LastWrites {
    pub fn new(dense_for: Option<u64>) -> Self {
        LastWrites(UserTable::new(dense_for))
    }

    pub fn record(&mut self, user: u64, at: SimTime) {
        // Stored one above the time, so that a write at 0 µs is not "never".
        self.0.insert(user, at.0 + 1);
    }

    pub fn get(&self, user: u64) -> Option<SimTime> {
        self.0.get(user).map(|t| SimTime(t - 1))
    }
}

/// Which run of which instance holds each user's session. A session lives in the memory of
/// one run of one instance: a crash (its epoch) or a scale-in and later start (its boots)
/// ends it.
#[derive(Debug, Default)]
pub(crate) struct Sessions {
    /// The holder of each user's session, as a place id (below).
    holder: UserTable<u32>,
    /// Per instance, its current (epoch, boots) and the place id given to that run.
    places: Vec<Place>,
    /// Place ids given so far: each run of an instance gets the next one, and since epochs
    /// and boots only go up, a run never comes back, so two users share a place id exactly
    /// when their sessions are on the same run of the same instance.
    issued: u32,
}

#[derive(Clone, Copy, Debug, Default)]
struct Place {
    epoch: u32,
    boots: u32,
    id: u32,
}

impl Sessions {
    pub fn new(dense_for: Option<u64>) -> Self {
        Sessions {
            holder: UserTable::new(dense_for),
            ..Sessions::default()
        }
    }

    /// `user` is served by instance `inst` in its run (`epoch`, `boots`), which now holds
    /// the user's session. Returns whether the user had a session elsewhere, now lost.
    pub fn visit(&mut self, user: u64, inst: u32, epoch: u32, boots: u32) -> bool {
        let id = self.place_id(inst, epoch, boots);
        self.holder.insert(user, id).is_some_and(|old| old != id)
    }

    fn place_id(&mut self, inst: u32, epoch: u32, boots: u32) -> u32 {
        let i = inst as usize;
        if i >= self.places.len() {
            self.places.resize(i + 1, Place::default());
        }
        let place = &mut self.places[i];
        if place.id == 0 || place.epoch != epoch || place.boots != boots {
            self.issued += 1;
            *place = Place {
                epoch,
                boots,
                id: self.issued,
            };
        }
        place.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both_kinds() -> [UserTable<u32>; 2] {
        [UserTable::new(Some(100)), UserTable::new(None)]
    }

    #[test]
    fn small_populations_get_arrays_and_large_ones_maps() {
        let scenario = |users: u64, stores: usize| {
            let mut nodes = vec![format!(
                r#"{{"id": "c", "kind": "client", "params": {{"users": {users}}}}}"#
            )];
            let mut edges = vec![];
            for k in 0..stores {
                nodes.push(format!(
                    r#"{{"id": "s{k}", "kind": "server", "params": {{"stateful_sessions": true}}}}"#
                ));
                edges.push(format!(r#"{{"from": "c", "to": "s{k}"}}"#));
            }
            let text = format!(
                r#"{{"version": 1, "duration_s": 1, "nodes": [{}], "edges": [{}]}}"#,
                nodes.join(","),
                edges.join(",")
            );
            crate::validate::load(&text).expect("a valid scenario")
        };
        // 4 bytes a user and a session-keeping server: 16 M users fill the budget.
        assert_eq!(dense_for(&scenario(1_000_000, 2)), Some(1_000_000));
        assert_eq!(dense_for(&scenario(16 << 20, 1)), Some(16 << 20));
        assert_eq!(dense_for(&scenario(16 << 20, 2)), None);
        assert_eq!(dense_for(&scenario(100_000_000, 1)), None);
        let [dense, sparse] = both_kinds();
        assert!(matches!(dense, UserTable::Dense(ref v) if v.len() == 101));
        assert!(matches!(sparse, UserTable::Sparse(_)));
    }

    #[test]
    fn both_kinds_of_table_keep_values_alike() {
        for mut table in both_kinds() {
            assert_eq!(table.get(7), None);
            assert_eq!(table.insert(7, 3), None);
            assert_eq!(table.get(7), Some(3));
            assert_eq!(table.insert(7, 5), Some(3));
            assert_eq!(table.insert(100, 1), None, "the largest id has its place");
            assert_eq!(table.get(100), Some(1));
            assert_eq!(table.get(8), None);
        }
    }

    #[test]
    fn a_write_at_time_zero_is_remembered() {
        let mut writes = LastWrites::new(Some(10));
        assert_eq!(writes.get(1), None);
        writes.record(1, SimTime(0));
        assert_eq!(writes.get(1), Some(SimTime(0)));
        writes.record(1, SimTime(42));
        assert_eq!(writes.get(1), Some(SimTime(42)));
    }

    #[test]
    fn a_session_is_lost_when_its_user_moves_or_its_instance_restarts() {
        let mut s = Sessions::new(Some(10));
        assert!(!s.visit(1, 0, 0, 1), "a first visit has nothing to lose");
        assert!(!s.visit(1, 0, 0, 1), "same run of the same instance");
        assert!(!s.visit(2, 1, 0, 1));
        assert!(
            s.visit(1, 1, 0, 1),
            "another instance: the session was on 0"
        );
        assert!(!s.visit(1, 1, 0, 1));
        assert!(s.visit(1, 1, 1, 1), "instance 1 crashed (epoch 1) since");
        assert!(
            s.visit(2, 1, 1, 1),
            "user 2's session went with the same crash"
        );
        assert!(s.visit(1, 1, 1, 2), "scaled in and started again (boots 2)");
        assert!(!s.visit(3, 5, 0, 1), "an instance seen for the first time");
    }
}
