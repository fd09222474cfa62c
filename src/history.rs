//! Undo and redo: a bounded stack of whole scenarios taken before each edit.
//!
//! Snapshots instead of inverse edits, because every edit (even a preset load, which replaces
//! everything) then undoes the same way, and a scenario is at most a few hundred KB (1,000 nodes),
//! so [`LIMIT`] of them stay well within memory.

use std::collections::VecDeque;

use scaleplay_sim::Scenario;

/// Most steps kept; the oldest is dropped beyond it.
pub const LIMIT: usize = 200;

/// The states before (undo) and after (redo) the current one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    undo: VecDeque<Scenario>,
    redo: Vec<Scenario>,
}

impl History {
    /// Records `before`, the state an edit just replaced. A new edit ends the redo branch.
    pub fn record(&mut self, before: Scenario) {
        if self.undo.len() == LIMIT {
            self.undo.pop_front();
        }
        self.undo.push_back(before);
        self.redo.clear();
    }

    /// The state to go back to from `current`, which becomes redoable; `None` when there is none.
    pub fn undo(&mut self, current: Scenario) -> Option<Scenario> {
        let previous = self.undo.pop_back()?;
        self.redo.push(current);
        Some(previous)
    }

    /// The state to go forward to from `current`, which becomes undoable again.
    pub fn redo(&mut self, current: Scenario) -> Option<Scenario> {
        let next = self.redo.pop()?;
        self.undo.push_back(current);
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
    fn nothing_to_undo_changes_nothing() {
        let mut h = History::default();
        assert_eq!(h.undo(named(0)), None);
        assert_eq!(h.redo(named(0)), None);
        assert_eq!((h.undo_len(), h.redo_len()), (0, 0));
    }
}
