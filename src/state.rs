//! The app's shared state, as narrow contexts: the scenario being edited ([`Doc`]), what is
//! selected, the canvas view, the last edit error, and the run. Components take the one they need
//! with `expect_context`.

use leptos::prelude::*;
use scaleplay_sim::capacity::{self, Capacity};
use scaleplay_sim::{Problem, Scenario};

use crate::editor::edits::{self, Edit};
use crate::editor::geometry::View;

/// The scenario being edited; changed only through [`Doc::apply`]. Carries the banner signal so
/// that edits from window-level listeners (which run outside any component, where contexts
/// cannot be looked up) can still report a refusal.
#[derive(Clone, Copy)]
pub struct Doc(pub RwSignal<Scenario>, pub RwSignal<Option<String>>);

/// Node ids currently selected on the canvas.
#[derive(Clone, Copy)]
pub struct Selection(pub RwSignal<Vec<String>>);

/// Pan and zoom of the canvas.
#[derive(Clone, Copy)]
pub struct ViewState(pub RwSignal<View>);

/// The message of the banner (a refused edit, a bad file), if any.
#[derive(Clone, Copy)]
pub struct Banner(pub RwSignal<Option<String>>);

/// Snap node positions to the grid while dragging.
#[derive(Clone, Copy)]
pub struct Snap(pub RwSignal<bool>);

impl Doc {
    /// Applies an edit; a refused one shows its reason in the banner.
    pub fn apply(&self, edit: Edit) {
        let mut result = Ok(());
        self.0.update(|s| result = edits::apply(s, edit));
        if let Err(why) = result {
            self.1.set(Some(why));
        }
    }
}

/// The validation and capacity analysis of the current scenario, recomputed on every edit.
#[derive(Clone, Copy)]
pub struct Analysis(pub Memo<AnalysisResult>);

/// What the engine says about the scenario as it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct AnalysisResult {
    /// Every problem (empty when the scenario can run).
    pub problems: Vec<Problem>,
    /// Capacity analysis, when valid.
    pub capacity: Option<Capacity>,
}

/// Validates and analyses a scenario.
pub fn analyse(s: &Scenario) -> AnalysisResult {
    match scaleplay_sim::validate(s) {
        Ok(model) => AnalysisResult {
            problems: Vec::new(),
            capacity: Some(capacity::analyze(&model)),
        },
        Err(e) => AnalysisResult {
            problems: e.problems(),
            capacity: None,
        },
    }
}

/// Creates every context; call once at the top of the app.
pub fn provide(initial: Scenario) -> Doc {
    let banner = Banner(RwSignal::new(None));
    let doc = Doc(RwSignal::new(initial), banner.0);
    provide_context(doc);
    provide_context(Selection(RwSignal::new(Vec::new())));
    provide_context(ViewState(RwSignal::new(View::default())));
    provide_context(banner);
    provide_context(Snap(RwSignal::new(true)));
    provide_context(Analysis(Memo::new(move |_| doc.0.with(analyse))));
    doc
}
