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

/// What lay between two states: an edit, or opening a whole scenario (a preset, file or link),
/// which also ends the run of the one it replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// An edit of the scenario.
    Edit,
    /// A whole scenario replaced the one before.
    Opening,
}

/// A state reached by undo or redo, and what the step that was undone or redone did.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The scenario to show now.
    pub scenario: Scenario,
    /// What the step did.
    pub kind: StepKind,
}

/// The states before (undo) and after (redo) the current one, each with what the step between
/// it and its neighbour towards the current state did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    undo: VecDeque<(Scenario, StepKind)>,
    redo: Vec<(Scenario, StepKind)>,
    /// [`weight`] of all `undo` snapshots.
    undo_weight: usize,
}

impl History {
    /// Records `before`, the state a step of `kind` just replaced. A new step ends the redo
    /// branch.
    pub fn record(&mut self, before: Scenario, kind: StepKind) {
        self.push_undo(before, kind);
        self.redo.clear();
    }

    fn push_undo(&mut self, s: Scenario, kind: StepKind) {
        self.undo_weight += weight(&s);
        self.undo.push_back((s, kind));
        while self.undo.len() > LIMIT || (self.undo_weight > WEIGHT_BUDGET && self.undo.len() > 1) {
            if let Some((oldest, _)) = self.undo.pop_front() {
                self.undo_weight -= weight(&oldest);
            }
        }
    }

    /// The state to go back to from `current`, which becomes redoable; `None` when there is none.
    pub fn undo(&mut self, current: Scenario) -> Option<Step> {
        let (scenario, kind) = self.undo.pop_back()?;
        self.undo_weight -= weight(&scenario);
        self.redo.push((current, kind));
        Some(Step { scenario, kind })
    }

    /// The state to go forward to from `current`, which becomes undoable again.
    pub fn redo(&mut self, current: Scenario) -> Option<Step> {
        let (scenario, kind) = self.redo.pop()?;
        self.push_undo(current, kind);
        Some(Step { scenario, kind })
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
            h.record(std::mem::replace(&mut current, named(n)), StepKind::Edit);
        }
        current = h.undo(current).unwrap().scenario;
        assert_eq!(current.name, "s2");
        current = h.undo(current).unwrap().scenario;
        assert_eq!(current.name, "s1");
        current = h.redo(current).unwrap().scenario;
        assert_eq!(current.name, "s2");
        assert_eq!((h.undo_len(), h.redo_len()), (2, 1));
        // A new edit drops what could have been redone.
        h.record(std::mem::replace(&mut current, named(9)), StepKind::Edit);
        assert_eq!(h.redo(current.clone()), None);
        assert_eq!(h.undo(current).unwrap().scenario.name, "s2");
    }

    #[test]
    fn keeps_the_newest_limit_steps() {
        let mut h = History::default();
        let mut current = named(0);
        for n in 1..=LIMIT + 50 {
            h.record(std::mem::replace(&mut current, named(n)), StepKind::Edit);
        }
        assert_eq!(h.undo_len(), LIMIT);
        let mut steps = 0;
        while let Some(previous) = h.undo(current.clone()) {
            current = previous.scenario;
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
            h.record(big.clone(), StepKind::Edit);
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
            h.record(largest.clone(), StepKind::Edit);
        }
        assert_eq!(h.undo_len(), WEIGHT_BUDGET / weight(&largest));
        assert_eq!(h.undo_len(), 26);
        assert!(h.undo_weight <= WEIGHT_BUDGET);
        // One snapshot is always kept, however large, so the last edit can be undone.
        let mut h = History::default();
        h.record(sized(MAX_NODES, 200 * MAX_NODES, 0), StepKind::Edit);
        assert_eq!(h.undo_len(), 1);
    }

    #[test]
    fn undo_and_redo_say_when_they_cross_an_opening() {
        let mut h = History::default();
        h.record(named(0), StepKind::Edit);
        h.record(named(1), StepKind::Opening);
        // Current is s2, opened over s1, which was an edit of s0.
        let back = h.undo(named(2)).unwrap();
        assert_eq!(
            (back.scenario.name.as_str(), back.kind),
            ("s1", StepKind::Opening)
        );
        let back = h.undo(back.scenario).unwrap();
        assert_eq!(
            (back.scenario.name.as_str(), back.kind),
            ("s0", StepKind::Edit)
        );
        let forth = h.redo(back.scenario).unwrap();
        assert_eq!(
            (forth.scenario.name.as_str(), forth.kind),
            ("s1", StepKind::Edit)
        );
        let forth = h.redo(forth.scenario).unwrap();
        assert_eq!(
            (forth.scenario.name.as_str(), forth.kind),
            ("s2", StepKind::Opening)
        );
    }

    #[test]
    fn nothing_to_undo_changes_nothing() {
        let mut h = History::default();
        assert_eq!(h.undo(named(0)), None);
        assert_eq!(h.redo(named(0)), None);
        assert_eq!((h.undo_len(), h.redo_len()), (0, 0));
    }
}
