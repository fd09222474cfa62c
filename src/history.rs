//! Undo and redo: a bounded stack of whole scenarios taken before each edit.
//!
//! Snapshots instead of inverse edits, because every edit (even a preset load, which replaces
//! everything) then undoes the same way. A scenario holds at most 1,000 nodes, and the history
//! also keeps at most [`NODE_BUDGET`] nodes in all, so even with the largest scenarios it stays
//! at tens of MB while still offering at least 120 steps.

use std::collections::VecDeque;

use scaleplay_sim::Scenario;

/// Most steps kept; the oldest is dropped beyond it.
pub const LIMIT: usize = 200;

/// Most nodes kept over all undo snapshots (120 snapshots of the largest allowed scenario).
pub const NODE_BUDGET: usize = 120 * scaleplay_sim::params::limits::MAX_NODES;

/// The states before (undo) and after (redo) the current one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    undo: VecDeque<Scenario>,
    redo: Vec<Scenario>,
    /// Nodes in all `undo` snapshots.
    undo_nodes: usize,
}

impl History {
    /// Records `before`, the state an edit just replaced. A new edit ends the redo branch.
    pub fn record(&mut self, before: Scenario) {
        self.push_undo(before);
        self.redo.clear();
    }

    fn push_undo(&mut self, s: Scenario) {
        self.undo_nodes += s.nodes.len();
        self.undo.push_back(s);
        while self.undo.len() > LIMIT || (self.undo_nodes > NODE_BUDGET && self.undo.len() > 1) {
            if let Some(oldest) = self.undo.pop_front() {
                self.undo_nodes -= oldest.nodes.len();
            }
        }
    }

    /// The state to go back to from `current`, which becomes redoable; `None` when there is none.
    pub fn undo(&mut self, current: Scenario) -> Option<Scenario> {
        let previous = self.undo.pop_back()?;
        self.undo_nodes -= previous.nodes.len();
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

    #[test]
    fn big_scenarios_keep_at_least_120_steps_within_the_node_budget() {
        let big = scaleplay_sim::validate::parse(&format!(
            r#"{{"version": 1, "nodes": [{}]}}"#,
            (0..scaleplay_sim::params::limits::MAX_NODES)
                .map(|i| format!(r#"{{"id": "n{i}", "kind": "server"}}"#))
                .collect::<Vec<_>>()
                .join(",")
        ))
        .unwrap();
        let mut h = History::default();
        for _ in 0..LIMIT {
            h.record(big.clone());
        }
        assert_eq!(h.undo_len(), 120);
        assert!(h.undo_nodes <= NODE_BUDGET);
        h.undo(big.clone()).unwrap();
        assert_eq!(h.undo_nodes, 119 * 1000);
    }

    #[test]
    fn nothing_to_undo_changes_nothing() {
        let mut h = History::default();
        assert_eq!(h.undo(named(0)), None);
        assert_eq!(h.redo(named(0)), None);
        assert_eq!((h.undo_len(), h.redo_len()), (0, 0));
    }
}
