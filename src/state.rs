//! The app's shared state, as narrow contexts: the scenario being edited with its banner and
//! undo history ([`Doc`]), what is selected, the canvas view, and the analysis of the scenario
//! as it stands. (The run's are in [`crate::runner`].) Components take the one they need with
//! `expect_context`.

use leptos::prelude::*;
use scaleplay_sim::capacity::{self, Capacity};
use scaleplay_sim::model::NodeId;
use scaleplay_sim::plan::Idle;
use scaleplay_sim::{Problem, Scenario};

use crate::editor::edits::{self, Edit};
use crate::editor::geometry::View;
use crate::history::{History, Step, StepKind};

/// The scenario being edited; changed only through [`Doc::apply`], [`Doc::undo`] and
/// [`Doc::redo`]. Carries the banner signal so that edits from window-level listeners (which run
/// outside any component, where contexts cannot be looked up) can still report a refusal, the
/// undo history, and the banner's message when it is a notice ([`Doc::notify`]).
#[derive(Clone, Copy)]
pub struct Doc {
    /// The scenario itself.
    pub scenario: RwSignal<Scenario>,
    /// The banner's message: a refused edit, a bad file, a notice.
    pub banner: RwSignal<Option<String>>,
    /// Undo and redo.
    pub history: RwSignal<History>,
    /// The banner's message when it is a notice, which a later edit leaves in place.
    pub notice: StoredValue<Option<String>>,
}

/// Node ids currently selected on the canvas.
#[derive(Clone, Copy)]
pub struct Selection(pub RwSignal<Vec<String>>);

/// The edge selected on the canvas, as (from, to); at most one, and only while no node is.
#[derive(Clone, Copy)]
pub struct EdgeSelection(pub RwSignal<Option<(String, String)>>);

/// Pan and zoom of the canvas.
#[derive(Clone, Copy)]
pub struct ViewState(pub RwSignal<View>);

/// Snap node positions to the grid while dragging.
#[derive(Clone, Copy)]
pub struct Snap(pub RwSignal<bool>);

/// The autoscale policy each node had when its "enabled" box was last unticked, by node id,
/// so that ticking it again restores that policy rather than the defaults. Kept here, not in
/// the node's panel, because the panel is rebuilt whenever another node is selected (or a run
/// starts), and a preset's note may say "remove autoscale and watch": the learner then comes
/// back to the node to switch it on again. It lives as long as the page, as the undo history
/// does; opening another scenario empties it, since its nodes are other nodes even under the
/// same ids.
#[derive(Clone, Copy)]
pub struct ShelvedAutoscale(pub StoredValue<std::collections::HashMap<String, serde_json::Value>>);

impl Doc {
    /// Applies an edit; a refused one shows its reason in the banner. One that changes the
    /// scenario becomes one undo step.
    pub fn apply(&self, edit: Edit) {
        let before = self.scenario.get_untracked();
        let kind = match edit {
            Edit::Replace(_) => StepKind::Opening,
            _ => StepKind::Edit,
        };
        let a_move = matches!(edit, Edit::MoveNodes(_));
        let mut result = Ok(());
        let mut changed = false;
        self.scenario.update(|s| {
            result = edits::apply(s, edit);
            changed = *s != before;
        });
        match result {
            Err(why) => self.banner.set(Some(why)),
            Ok(()) if changed => {
                let joined = a_move
                    .then(|| {
                        self.scenario.with_untracked(|s| {
                            crate::editor::data_centers::joined_note(&before, s)
                        })
                    })
                    .flatten();
                self.history.update(|h| h.record(before, kind));
                self.clear_refusal();
                if joined.is_some() {
                    self.notify(joined);
                }
            }
            Ok(()) => {}
        }
    }

    /// Shows a notice about what was opened (a link, a file, the saved work) or the autosave:
    /// unlike the refusal of an edit, a later edit leaves it, since the user may not have read
    /// it yet.
    pub fn notify(&self, message: Option<String>) {
        self.notice.set_value(message.clone());
        self.banner.set(message);
    }

    /// After an edit went through, the banner's refusal of an earlier one no longer holds:
    /// it goes (a notice stays).
    fn clear_refusal(&self) {
        let shown = self.banner.get_untracked();
        if shown.is_some() && shown != self.notice.get_value() {
            self.banner.set(None);
        }
    }

    /// Goes back one step; what it undid, or `None` when there is nothing to undo. Undoing an
    /// opening also needs what [`crate::opening::Opener`] does, so use its `undo`.
    pub fn undo(&self) -> Option<StepKind> {
        self.step(History::undo)
    }

    /// Goes forward one undone step; what it redid, or `None` when there is nothing to redo.
    pub fn redo(&self) -> Option<StepKind> {
        self.step(History::redo)
    }

    fn step(&self, how: fn(&mut History, Scenario) -> Option<Step>) -> Option<StepKind> {
        let current = self.scenario.get_untracked();
        let mut target = None;
        self.history.update(|h| target = how(h, current));
        let step = target?;
        self.scenario.set(step.scenario);
        Some(step.kind)
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
    /// Nodes no client's traffic reaches, when valid: not a problem, but they sit idle,
    /// which the canvas and the node's panel say.
    pub idle: Vec<IdleNode>,
    /// Settings that have no effect as the scenario stands, when valid (a spike on a
    /// constant profile): the node's panel names them.
    pub ignored: Vec<Problem>,
}

/// A node that gets no traffic, and why, in the words of the canvas and the node's panel.
#[derive(Clone, Debug, PartialEq)]
pub struct IdleNode {
    pub id: String,
    /// A line for the canvas tooltip.
    pub short: String,
    /// What the node's panel says: why, and what to do.
    pub long: String,
}

impl IdleNode {
    fn new(model: &scaleplay_sim::Model, n: NodeId, why: Idle) -> IdleNode {
        let id = model.node(n).id.clone();
        let name = |n: NodeId| model.node(n).id.clone();
        let (short, long) = match why {
            Idle::Uncalled => (
                "nothing calls it, so no traffic reaches it".to_string(),
                "Nothing calls this node, so no traffic reaches it: it sits idle. Wire a caller \
                 to it (drag from the caller's right-hand port, or use the caller's \"add a call \
                 to\")."
                    .to_string(),
            ),
            Idle::PassedOver { by } => {
                let kind = model.node(n).kind.as_str();
                (
                    format!("{} sends its calls to another {kind}", name(by)),
                    format!(
                        "{} sends its calls to another {kind}, so no traffic reaches this one: \
                         it sits idle. A node uses one downstream node of each kind: put a \
                         load_balancer in front of several servers, or a shard_router in front \
                         of several databases.",
                        name(by)
                    ),
                )
            }
            Idle::Standby { by, instead } => {
                let (what, advice) = scaleplay_sim::plan::standby_terms(model, n, by, instead);
                (
                    format!(
                        "a standby: {} sends all its {what} to {} while it is up",
                        name(by),
                        name(instead)
                    ),
                    format!(
                        "{} sends all its {what} to {} and turns to this node only when {} is \
                         down: it sits idle until then. A {} picks one entry point{advice}.",
                        name(by),
                        name(instead),
                        name(instead),
                        model.node(by).kind.as_str()
                    ),
                )
            }
            Idle::NotNeeded { by } => {
                let kind = model.node(n).kind.as_str();
                (
                    format!("{} calls it, but no request there needs a {kind}", name(by)),
                    format!(
                        "{} calls this node, but none of the requests reaching {} needs a \
                         {kind}: it sits idle. The clients' mix decides which requests there \
                         are: static ones go to CDNs and object stores, async ones to queues.",
                        name(by),
                        name(by)
                    ),
                )
            }
            Idle::BehindIdle { by } => (
                format!("only {}, idle itself, calls it", name(by)),
                format!(
                    "Only {}, which gets no traffic itself, calls this node: it sits idle too.",
                    name(by)
                ),
            ),
        };
        IdleNode { id, short, long }
    }
}

/// Validates and analyses a scenario.
pub fn analyse(s: &Scenario) -> AnalysisResult {
    match scaleplay_sim::validate(s) {
        Ok(model) => AnalysisResult {
            problems: Vec::new(),
            capacity: Some(capacity::analyze(&model)),
            idle: scaleplay_sim::plan::idle(&model)
                .into_iter()
                .map(|(n, why)| IdleNode::new(&model, n, why))
                .collect(),
            ignored: scaleplay_sim::ignored::ignored_settings(&model),
        },
        Err(e) => AnalysisResult {
            problems: e.problems(),
            capacity: None,
            idle: Vec::new(),
            ignored: Vec::new(),
        },
    }
}

/// Creates every context; call once at the top of the app.
pub fn provide(initial: Scenario) -> Doc {
    let doc = Doc {
        scenario: RwSignal::new(initial),
        banner: RwSignal::new(None),
        history: RwSignal::new(History::default()),
        notice: StoredValue::new(None),
    };
    provide_context(doc);
    let selection = RwSignal::new(Vec::<String>::new());
    provide_context(Selection(selection));
    // Undo, redo and loads can remove selected nodes: keep only those that still exist.
    Effect::new(move |_| {
        let gone = doc
            .scenario
            .with(|s| selection.with_untracked(|sel| sel.iter().any(|id| s.node(id).is_none())));
        if gone {
            let kept = doc.scenario.with_untracked(|s| {
                selection.with_untracked(|sel| {
                    sel.iter()
                        .filter(|id| s.node(id).is_some())
                        .cloned()
                        .collect()
                })
            });
            selection.set(kept);
        }
    });
    let edge = RwSignal::new(None::<(String, String)>);
    provide_context(EdgeSelection(edge));
    // Likewise an edge that an undo or a load removed is no longer selected.
    Effect::new(move |_| {
        let gone = doc.scenario.with(|s| {
            edge.with_untracked(|e| {
                e.as_ref()
                    .is_some_and(|(f, t)| !s.edges.iter().any(|x| x.from == *f && x.to == *t))
            })
        });
        if gone {
            edge.set(None);
        }
    });
    provide_context(ViewState(RwSignal::new(View::default())));
    provide_context(Snap(RwSignal::new(true)));
    provide_context(crate::editor::clipboard::Clipboard(StoredValue::new(None)));
    provide_context(ShelvedAutoscale(StoredValue::new(Default::default())));
    provide_context(Analysis(Memo::new(move |_| doc.scenario.with(analyse))));
    doc
}
