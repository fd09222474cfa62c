//! Replacing the whole scenario, done the same way whichever way it comes: a preset, an
//! imported file or a share link pasted into the address bar. The run of the old scenario is
//! dropped (its nodes may not exist any more), the selection and the banner are cleared, the
//! replacement is one undoable edit, and the view is fitted to the new nodes. Undo and redo go
//! through here too, because stepping back or forth over an opening replaces the whole scenario
//! in the same way.

use leptos::prelude::*;
use scaleplay_sim::Scenario;

use crate::editor::canvas::FitRequest;
use crate::editor::edits::Edit;
use crate::history::StepKind;
use crate::runner::Run;
use crate::state::{Doc, EdgeSelection, Selection, ShelvedAutoscale};

/// Opens scenarios; a context, so it can be called from async tasks and window listeners,
/// which have no reactive owner to look contexts up from.
#[derive(Clone, Copy)]
pub struct Opener {
    doc: Doc,
    run: Run,
    selection: Selection,
    edge: EdgeSelection,
    fit: FitRequest,
    shelved: ShelvedAutoscale,
}

impl Opener {
    /// Creates and provides it; needs the doc, run, selection and fit contexts first.
    pub fn provide() -> Opener {
        let opener = Opener {
            doc: expect_context::<Doc>(),
            run: expect_context::<Run>(),
            selection: expect_context::<Selection>(),
            edge: expect_context::<EdgeSelection>(),
            fit: expect_context::<FitRequest>(),
            shelved: expect_context::<ShelvedAutoscale>(),
        };
        provide_context(opener);
        opener
    }

    /// Replaces the scenario with `s` (nodes too far out to draw brought into reach, repeated
    /// ids made unique).
    pub fn open(&self, mut s: Scenario) {
        let notes = crate::tidy_opened(&mut s);
        self.selection.0.set(Vec::new());
        self.leave_the_old_scenario();
        self.doc.apply(Edit::Replace(Box::new(s)));
        self.doc
            .notify((!notes.is_empty()).then(|| notes.join(" ")));
        self.fit.request();
    }

    /// Undoes one step; false when there was nothing to undo.
    pub fn undo(&self) -> bool {
        self.after_step(self.doc.undo())
    }

    /// Redoes one undone step; false when there was nothing to redo.
    pub fn redo(&self) -> bool {
        self.after_step(self.doc.redo())
    }

    fn after_step(&self, step: Option<StepKind>) -> bool {
        if step == Some(StepKind::Opening) {
            // The selection keeps the nodes that still exist (see `state::provide`).
            self.leave_the_old_scenario();
            self.fit.request();
        }
        step.is_some()
    }

    /// Drops what belongs to the scenario being replaced: its run, the selected edge, the
    /// banner's message and the autoscale policies kept for switching back on.
    fn leave_the_old_scenario(&self) {
        self.run.reset();
        self.edge.0.set(None);
        self.doc.banner.set(None);
        self.shelved.0.update_value(|m| m.clear());
    }
}
