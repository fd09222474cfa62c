//! Undo and redo as a stack of whole scenarios, bounded in steps and in size.
//!
//! Snapshots instead of inverse edits, because every edit (even a preset load, which replaces
//! everything) then undoes the same way. The history keeps at most [`LIMIT`] steps and at most
//! [`WEIGHT_BUDGET`] in all, weighing a node as three edges or faults (its params make it
//! about three times their size), so it stays at tens of MB whatever the scenarios: at least
//! 120 steps of a scenario with 1,000 nodes and 2,000 edges, fewer of the largest a file may
//! hold (1,000 nodes, 10,000 edges and 10,000 faults: 26 steps).

use std::collections::VecDeque;

use scaleplay_sim::params::limits::MAX_NODES;
use scaleplay_sim::Scenario;

/// Most steps kept; the oldest is dropped beyond it.
pub const LIMIT: usize = 200;

/// Most weight kept over all undo snapshots (see [`weight`]): 120 snapshots of a scenario
/// with 1,000 nodes and 2,000 edges.
pub const WEIGHT_BUDGET: usize = 120 * (3 * MAX_NODES + 2 * MAX_NODES);

/// What a snapshot costs to keep, in units of about one edge's memory.
pub fn weight(s: &Scenario) -> usize {
    3 * s.nodes.len() + s.edges.len() + s.faults.len()
}

/// The states before (undo) and after (redo) the current one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    undo: VecDeque<Scenario>,
    redo: Vec<Scenario>,
    /// [`weight`] of all `undo` snapshots.
    undo_weight: usize,
}

impl History {
    /// Records `before`, the state an edit just replaced. A new edit ends the redo branch.
    pub fn record(&mut self, before: Scenario) {
        self.push_undo(before);
        self.redo.clear();
    }

    fn push_undo(&mut self, s: Scenario) {
        self.undo_weight += weight(&s);
        self.undo.push_back(s);
        while self.undo.len() > LIMIT || (self.undo_weight > WEIGHT_BUDGET && self.undo.len() > 1) {
            if let Some(oldest) = self.undo.pop_front() {
                self.undo_weight -= weight(&oldest);
            }
        }
    }

    /// The state to go back to from `current`, which becomes redoable; `None` when there is none.
    pub fn undo(&mut self, current: Scenario) -> Option<Scenario> {
        let previous = self.undo.pop_back()?;
        self.undo_weight -= weight(&previous);
        self.redo.push(current);
        Some(previous)
    }

    /// The state to go forward to from `current`, which becomes undoable again.
    pub fn redo(&mut self, current: Scenario) -> Option<Scenario> {
        let next = self.redo.pop()?;
        self.push_undo(current);
        Some(next)
    }

    /// How many undo steps are available.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// How many redo steps are available.
    pub fn redo_len(&self) -> usize {
        self.redo.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(n: usize) -> Scenario {
        let mut s = scaleplay_sim::validate::parse(r#"{"version": 1}"#).unwrap();
        s.name = format!("s{n}");
        s
    }

    #[test]
    fn undo_and_redo_walk_back_and_forth() {
        let mut h = History::default();
        let mut current = named(0);
        for n in 1..=3 {
            h.record(std::mem::replace(&mut current, named(n)));
        }
        current = h.undo(current).unwrap();
        assert_eq!(current.name, "s2");
        current = h.undo(current).unwrap();
        assert_eq!(current.name, "s1");
        current = h.redo(current).unwrap();
        assert_eq!(current.name, "s2");
        assert_eq!((h.undo_len(), h.redo_len()), (2, 1));
        // A new edit drops what could have been redone.
        h.record(std::mem::replace(&mut current, named(9)));
        assert_eq!(h.redo(current.clone()), None);
        assert_eq!(h.undo(current).unwrap().name, "s2");
    }

    #[test]
    fn keeps_the_newest_limit_steps() {
        let mut h = History::default();
        let mut current = named(0);
        for n in 1..=LIMIT + 50 {
            h.record(std::mem::replace(&mut current, named(n)));
        }
        assert_eq!(h.undo_len(), LIMIT);
        let mut steps = 0;
        while let Some(previous) = h.undo(current.clone()) {
            current = previous;
            steps += 1;
        }
        assert_eq!(steps, LIMIT);
        assert_eq!(current.name, format!("s{}", 50));
    }

    /// A scenario of `nodes` servers, `edges` edges and `faults` faults (valid or not: the
    /// history keeps work in progress too).
    fn sized(nodes: usize, edges: usize, faults: usize) -> Scenario {
        let mut s = scaleplay_sim::validate::parse(&format!(
            r#"{{"version": 1, "nodes": [{}]}}"#,
            (0..nodes)
                .map(|i| format!(r#"{{"id": "n{i}", "kind": "server"}}"#))
                .collect::<Vec<_>>()
                .join(",")
        ))
        .unwrap();
        let edge: scaleplay_sim::scenario::EdgeSpec =
            serde_json::from_str(r#"{"from": "n0", "to": "n1"}"#).unwrap();
        let fault: scaleplay_sim::scenario::FaultSpec =
            serde_json::from_str(r#"{"at_s": 1, "node": "n0", "action": "fail"}"#).unwrap();
        s.edges = vec![edge; edges];
        s.faults = vec![fault; faults];
        s
    }

    #[test]
    fn big_scenarios_keep_at_least_120_steps_within_the_budget() {
        let big = sized(MAX_NODES, 2 * MAX_NODES, 0);
        let mut h = History::default();
        for _ in 0..LIMIT {
            h.record(big.clone());
        }
        assert_eq!(h.undo_len(), 120);
        assert!(h.undo_weight <= WEIGHT_BUDGET);
        h.undo(big.clone()).unwrap();
        assert_eq!(h.undo_weight, 119 * weight(&big));
    }

    #[test]
    fn the_largest_scenarios_a_file_may_hold_keep_fewer_steps_not_more_memory() {
        use scaleplay_sim::params::limits::{MAX_EDGES, MAX_FAULTS};
        let largest = sized(MAX_NODES, MAX_EDGES, MAX_FAULTS);
        let mut h = History::default();
        for _ in 0..LIMIT {
            h.record(largest.clone());
        }
        assert_eq!(h.undo_len(), WEIGHT_BUDGET / weight(&largest));
        assert_eq!(h.undo_len(), 26);
        assert!(h.undo_weight <= WEIGHT_BUDGET);
        // One snapshot is always kept, however large, so the last edit can be undone.
        let mut h = History::default();
        h.record(sized(MAX_NODES, 200 * MAX_NODES, 0));
        assert_eq!(h.undo_len(), 1);
    }

    #[test]
    fn nothing_to_undo_changes_nothing() {
        let mut h = History::default();
        assert_eq!(h.undo(named(0)), None);
        assert_eq!(h.redo(named(0)), None);
        assert_eq!((h.undo_len(), h.redo_len()), (0, 0));
    }
}
