//! The SVG canvas: draws data-center frames, edges and nodes (coloured by utilization during a
//! run, greyed when down, outlined when invalid or the bottleneck), and turns pointer, wheel and
//! keyboard input into [`Edit`](crate::editor::edits::Edit)s and view changes.
//!
//! Gestures: drag a node to move it (all selected nodes move together; snapped to the grid when
//! snapping is on); drag from a node's output port onto another node to connect (or from its
//! input port back onto the caller); drag empty space (or anything with Space held) to pan;
//! Shift+drag empty space to box-select; click and Shift+click to select; wheel or the buttons
//! to zoom; Shift+1 or the button to fit;
//! Tab to a call or a node and Enter to select it, the arrow keys to move the selected nodes;
//! Delete/Backspace to remove the selection; Ctrl+Z to undo, Ctrl+Shift+Z or Ctrl+Y to redo.
//! Palette items dropped here become nodes.
//!
//! This module lays the canvas out and holds what its parts share. The parts: `pointer` (drags,
//! pinches, the wheel), `keys` (the keyboard), `node_view` and `edge_view` (one node, one call)
//! and `live` (the run's figures as colours and hover text).

mod edge_view;
mod keys;
mod live;
mod node_view;
mod pointer;

use std::collections::{BTreeMap, HashMap, HashSet};

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

use crate::editor::data_centers;
use crate::editor::geometry::{View, FRAME_PAD_TOP, FRAME_PAD_X, MAX_ZOOM, MIN_ZOOM};
use crate::opening::Opener;
use crate::panels::palette::PaletteDrag;
use crate::runner::Run;
use crate::state::{Analysis, Doc, EdgeSelection, Selection, Snap, ViewState};
use edge_view::{EdgeKey, EdgeView};
use live::LiveFigures;
use node_view::NodeView;
use pointer::Drag;

/// Each item with how many equal items came before it, so that repeats get distinct keys.
fn numbered<T: Clone + Eq + std::hash::Hash>(items: impl Iterator<Item = T>) -> Vec<(T, u32)> {
    let mut seen = HashMap::<T, u32>::new();
    items
        .map(|item| {
            let n = seen.entry(item.clone()).or_insert(0);
            *n += 1;
            (item, *n - 1)
        })
        .collect()
}

/// Asks the canvas to fit the view to the scenario (after loading a preset).
#[derive(Clone, Copy)]
pub struct FitRequest(pub RwSignal<u32>);

impl FitRequest {
    /// Asks for a fit-to-view on the next render.
    pub fn request(&self) {
        self.0.update(|n| *n += 1);
    }
}

fn canvas_element() -> Option<web_sys::Element> {
    web_sys::window()?
        .document()?
        .query_selector("[data-testid=canvas]")
        .ok()
        .flatten()
}

/// Gives the canvas keyboard focus: after the focused node or call is deleted, focus would
/// fall to the page's body, and Tab would start over from the top of the page.
fn focus_canvas() {
    if let Some(svg) = canvas_element().and_then(|e| e.dyn_into::<web_sys::SvgElement>().ok()) {
        let _ = svg.focus();
    }
}

/// How far below the canvas's top the buttons and capacity line floating over it reach, plus
/// a margin: where a fitted drawing may start (0 before they are laid out).
fn tools_bottom() -> f64 {
    let document = web_sys::window().and_then(|w| w.document());
    let tools = document.and_then(|d| d.query_selector(".canvas-tools").ok().flatten());
    match (tools, canvas_element()) {
        (Some(tools), Some(canvas)) => {
            let gap = 8.0;
            tools.get_bounding_client_rect().bottom() - canvas.get_bounding_client_rect().top()
                + gap
        }
        _ => 0.0,
    }
}

/// Size of the canvas on screen (a default before it is laid out).
pub fn canvas_size() -> (f64, f64) {
    canvas_element()
        .map(|e| {
            let r = e.get_bounding_client_rect();
            (r.width(), r.height())
        })
        .filter(|(w, h)| *w > 0.0 && *h > 0.0)
        .unwrap_or((800.0, 500.0))
}

/// Pans the canvas just enough for the node box at canvas point `at` to show (a pasted node,
/// a node reached with Tab); leaves the view as it is when it shows already.
pub fn keep_in_sight(view: RwSignal<View>, at: (f64, f64)) {
    let shown = view.get_untracked();
    let followed = shown.showing(at, canvas_size());
    if followed != shown {
        view.set(followed);
    }
}

/// A fit: the view it chose, and the node positions it fitted.
type Fitted = (View, Vec<(f64, f64)>);

/// What the canvas's gesture handlers read and change: the document and the contexts of the
/// view, and the canvas's own state of a gesture in progress.
#[derive(Clone, Copy)]
struct Gestures {
    doc: Doc,
    selection: RwSignal<Vec<String>>,
    selected_edge: RwSignal<Option<(String, String)>>,
    view: ViewState,
    snapping: RwSignal<bool>,
    palette: PaletteDrag,
    opener: Opener,
    drag: RwSignal<Option<Drag>>,
    /// Space held: any drag pans.
    space: RwSignal<bool>,
    /// Touch pointers down on the canvas: (pointer id, x, y) in canvas-local screen pixels.
    touches: StoredValue<Vec<(i32, f64, f64)>>,
    /// Why the wire being dragged cannot connect where it is, if it cannot.
    wire_hint: RwSignal<Option<String>>,
    /// The view the last fit chose, and where the nodes it fitted were: while both still hold
    /// (no pan or zoom, and no node added, moved or removed since), the canvas refits when it
    /// changes size. Nodes placed in a view make it the user's: a fit then would shift and
    /// rezoom what they were building (an empty canvas's fit, when the plots first showed).
    last_fit: StoredValue<Option<Fitted>>,
}

impl Gestures {
    /// Fits the view to the scenario's nodes.
    fn fit(self) {
        let (w, h) = canvas_size();
        let pts = self.node_points();
        let view = View::fit_below(&pts, w, h, tools_bottom());
        self.last_fit.set_value(Some((view, pts)));
        self.view.0.set(view);
    }

    /// Where the scenario's nodes are.
    fn node_points(self) -> Vec<(f64, f64)> {
        self.doc
            .scenario
            .with_untracked(|s| s.nodes.iter().map(|n| (n.x, n.y)).collect())
    }

    /// Whether the view is as the last fit left it, for the nodes it fitted.
    fn still_fitted(self) -> bool {
        self.last_fit.with_value(|fitted| {
            fitted.as_ref().is_some_and(|(view, pts)| {
                *view == self.view.0.get_untracked() && *pts == self.node_points()
            })
        })
    }

    /// Keeps a fitted view fitted when the canvas changes size (a resized window, a note
    /// appearing above the plots cut part of the design off); a view the user chose or built
    /// in is kept, moved up only as far as keeps its nodes in sight when the canvas loses
    /// height; and fits when asked to (`fit`, after loading a scenario).
    fn refit_when_needed(self, fit: FitRequest) {
        leptos::leptos_dom::helpers::request_animation_frame(move || {
            // The height before this change of size: a view the user chose is moved up when
            // the canvas loses height under it (a run's notes grow the panel below), so the
            // nodes it showed stay in sight; one near the bottom edge went out of reach.
            let mut height = canvas_size().1;
            let refit = Closure::<dyn FnMut()>::new(move || {
                let now = canvas_size().1;
                if self.still_fitted() {
                    self.fit();
                } else {
                    let view = self.view.0.get_untracked();
                    let kept = view.after_shrinking(&self.node_points(), height, now);
                    if kept != view {
                        self.view.0.set(kept);
                    }
                }
                height = now;
            });
            if let (Ok(observer), Some(canvas)) = (
                web_sys::ResizeObserver::new(refit.as_ref().unchecked_ref()),
                canvas_element(),
            ) {
                observer.observe(&canvas);
            }
            // The canvas lives as long as the page: so do its observer and callback.
            refit.forget();
        });
        Effect::new(move |prev: Option<u32>| {
            let n = fit.0.get();
            if prev.is_some_and(|p| p != n) || prev.is_none() {
                // After the DOM has laid out the new scenario.
                leptos::leptos_dom::helpers::request_animation_frame(move || self.fit());
            }
            n
        });
    }
}

/// The canvas.
#[component]
pub fn Canvas() -> impl IntoView {
    let doc = expect_context::<Doc>();
    let analysis = expect_context::<Analysis>();
    let view_state = expect_context::<ViewState>().0;
    let snapping = expect_context::<Snap>().0;
    let palette = expect_context::<PaletteDrag>();
    let g = Gestures {
        doc,
        selection: expect_context::<Selection>().0,
        selected_edge: expect_context::<EdgeSelection>().0,
        view: expect_context::<ViewState>(),
        snapping,
        palette,
        opener: expect_context::<Opener>(),
        drag: RwSignal::new(None),
        space: RwSignal::new(false),
        touches: StoredValue::new(Vec::new()),
        wire_hint: RwSignal::new(None),
        last_fit: StoredValue::new(None),
    };
    let (drag, space, wire_hint) = (g.drag, g.space, g.wire_hint);
    g.refit_when_needed(expect_context::<FitRequest>());
    pointer::follow_pointer(g);
    keys::follow_keys(g);
    let zoom_button = move |factor: f64| {
        move |_| {
            let (w, h) = canvas_size();
            view_state.update(|v| *v = v.zoom_at(factor, w / 2.0, h / 2.0));
            // At its limit the button turns itself off: the focus goes to the other one, not
            // to the page's start.
            const IN_FIRST: [&str; 2] = ["[data-testid=zoom-in]", "[data-testid=zoom-out]"];
            const OUT_FIRST: [&str; 2] = ["[data-testid=zoom-out]", "[data-testid=zoom-in]"];
            let order: &'static [&'static str] = if factor > 1.0 { &IN_FIRST } else { &OUT_FIRST };
            crate::panels::focus::refocus_if_lost(order);
        }
    };

    // Keys carry how many equal ones came before: a file may repeat an id or an edge (the
    // validation list says so), and `<For>` needs unique keys to keep its views in step with
    // the list, or a deleted duplicate would stay drawn.
    let node_ids = Memo::new(move |_| {
        doc.scenario
            .with(|s| numbered(s.nodes.iter().map(|n| n.id.clone())))
    });
    let edge_keys = Memo::new(move |_| {
        doc.scenario
            .with(|s| numbered(s.edges.iter().map(|e| (e.from.clone(), e.to.clone()))))
    });
    // Every edge's set latency, looked up by its hover text: one pass per change of the
    // scenario, not one per edge, and edges redraw their text only when a latency changes.
    let latencies = Memo::new(move |_| {
        doc.scenario.with(|s| {
            s.edges
                .iter()
                .map(|e| ((e.from.clone(), e.to.clone()), e.latency_ms))
                .collect::<HashMap<_, _>>()
        })
    });
    let selection = g.selection;
    let offset = Memo::new(move |_| {
        drag.with(|d| match d {
            Some(Drag::Move {
                dx,
                dy,
                moved: true,
                ..
            }) => Some((*dx, *dy)),
            _ => None,
        })
    });
    let ctx = CanvasCtx {
        drag,
        space,
        selected_edge: g.selected_edge,
        touches: g.touches,
        live: live::live_figures(expect_context::<Run>()),
        latencies,
        index: Memo::new(move |_| doc.scenario.with(|s| by_first_id(&s.nodes, |i, _| i))),
        positions: Memo::new(move |_| {
            doc.scenario
                .with(|s| by_first_id(&s.nodes, |_, n| (n.x, n.y)))
        }),
        names: Memo::new(move |_| {
            doc.scenario
                .with(|s| by_first_id(&s.nodes, |_, n| n.shown_name().to_string()))
        }),
        moving: Memo::new(move |_| selection.with(|s| s.iter().cloned().collect())),
        offset,
        dragging: Memo::new(move |_| offset.with(Option::is_some)),
    };
    let edges = move || {
        view! {
            <For each=move || edge_keys.get() key=|k| k.clone() let:k>
                <EdgeView from=k.0.0 to=k.0.1 ctx=ctx/>
            </For>
        }
    };
    let nodes = move || {
        view! {
            <For each=move || node_ids.get() key=|k| k.clone() let:k>
                <NodeView id=k.0 ctx=ctx/>
            </For>
        }
    };
    // The calls' keyboard stops, after the nodes (see `edge_view`).
    let edge_stops = move || {
        view! {
            <For each=move || edge_keys.get() key=|k| k.clone() let:k>
                <EdgeKey from=k.0.0 to=k.0.1 ctx=ctx/>
            </For>
        }
    };
    let overlay = move || pointer::drag_overlay(doc, drag.get());
    let transform = move || {
        let v = view_state.get();
        format!(
            "translate({:.1},{:.1}) scale({:.3})",
            v.pan_x, v.pan_y, v.zoom
        )
    };
    let capacity = move || capacity_line(analysis, doc);
    let ghost = move || {
        palette.0.get().map(|(kind, x, y)| {
            view! {
                <div class="palette-ghost" style:left=format!("{x}px") style:top=format!("{y}px")>
                    {crate::editor::icon(kind)}" "{crate::editor::palette_label(kind)}
                </div>
            }
        })
    };

    view! {
        <div class="canvas-wrap">
            <div class="canvas-tools">
                // Off at their limits, where a press did nothing.
                <button data-testid="zoom-in" title="Zoom in" aria-label="Zoom in" on:click=zoom_button(1.25)
                    disabled=move || view_state.with(|v| v.zoom >= MAX_ZOOM * (1.0 - 1e-9))>"+"</button>
                <button data-testid="zoom-out" title="Zoom out" aria-label="Zoom out" on:click=zoom_button(0.8)
                    disabled=move || view_state.with(|v| v.zoom <= MIN_ZOOM * (1.0 + 1e-9))>"−"</button>
                <button data-testid="fit" title="Fit to view (Shift+1)" on:click=move |_| g.fit()>"Fit"</button>
                <label title="Snap to grid"><input type="checkbox" data-testid="snap" prop:checked=move || snapping.get()
                    on:change=move |ev| snapping.set(event_target_checked(&ev))/>" Snap"</label>
                {move || wire_hint.get().map(|h| view! { <span class="wire-hint" data-testid="wire-hint">{h}</span> })}
                <span class="capacity" data-testid="capacity" title=move || capacity_title(analysis)>{capacity}</span>
            </div>
            // For the keyboard: every node and call of the drawing is a stop of Tab (43 in
            // preset 10) between here and the inspector. Shown only while it has the focus.
            <button class="skip-drawing visually-hidden" data-testid="skip-drawing"
                on:click=move |_| {
                    crate::panels::focus::focus_first(&[
                        "[data-testid=inspector] input:not([disabled])",
                        "[data-testid=inspector] button:not([disabled])",
                    ]);
                }>"Skip the drawing, to the inspector"</button>
            // Named, as the focus lands on it after a delete: "Drawing: 3 nodes, 2 calls".
            <svg data-testid="canvas" class="canvas" class:panning=move || space.get() tabindex="-1"
                role="group" aria-label=move || drawing_label(node_ids.with(Vec::len), edge_keys.with(Vec::len))
                on:pointerdown=move |ev| pointer::background_down(g, ev)
                on:wheel=move |ev| pointer::wheel(view_state, ev)>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z"/>
                    </marker>
                    <pattern id="grid" width="20" height="20" patternUnits="userSpaceOnUse">
                        <path d="M 20 0 L 0 0 0 20" class="grid-line"/>
                    </pattern>
                </defs>
                <g transform=transform>
                    <rect class="grid" x="-5000" y="-5000" width="10000" height="10000" fill="url(#grid)"/>
                    {move || dc_frames(doc)}
                    {edges}
                    {nodes}
                    {edge_stops}
                    {overlay}
                </g>
            </svg>
            // An empty canvas (File → New, or everything deleted) says how to begin.
            {move || doc.scenario.with(|s| s.nodes.is_empty()).then(|| view! {
                <p class="canvas-empty" data-testid="canvas-empty">
                    "Drag a component from the palette on the left and drop it here (or click it). To connect \
                     two nodes, drag from the dot on a node's right edge to the other node. Or \
                     open one of the ten steps from Presets."
                </p>
            })}
            {ghost}
        </div>
    }
}

/// A frame around the nodes of each data center, named.
fn dc_frames(doc: Doc) -> impl IntoView {
    doc.scenario.with(|s| {
        data_centers::frames(s, |_| true)
            .into_iter()
            .map(|f| {
                let testid = format!("dc-{}", f.dc);
                view! {
                    <g class="dc-frame" data-testid=testid>
                        <rect x=f.x0 y=f.y0 rx="10" width=f.x1 - f.x0 height=f.y1 - f.y0/>
                        <text x=f.x0 + FRAME_PAD_X - 8.0 y=f.y0 + FRAME_PAD_TOP - 12.0>{f.dc}</text>
                    </g>
                }
            })
            .collect_view()
    })
}

/// The capacity line's hover text: how many other nodes are exactly as busy as the bottleneck
/// (they saturate at the same rate, and are tagged too; in the line itself it made the line run
/// over the nodes along the canvas's top), and what the analysis leaves out: faults. (With a
/// data center down, preset 10's line said the US web tier saturates at 19,415 req/s while the
/// run showed it at 100 % under 5,000.)
fn capacity_title(analysis: Analysis) -> Option<String> {
    analysis.0.with(|a| {
        let c = a.capacity.as_ref()?;
        let b = c.bottleneck.as_deref()?;
        let others = c
            .utilization
            .keys()
            .filter(|id| *id != b && c.saturates_first(id))
            .count();
        let as_busy = match others {
            0 => String::new(),
            1 => "1 other node is as busy: it saturates at the same rate.\n".to_string(),
            n => format!("{n} other nodes are as busy: they saturate at the same rate.\n"),
        };
        Some(format!(
            "{as_busy}With every part up, as drawn: faults, and the load they move elsewhere, \
             show in the run."
        ))
    })
}

/// The live capacity analysis while editing: the node that saturates first and at what rate.
fn capacity_line(analysis: Analysis, doc: Doc) -> String {
    analysis.0.with(|a| match &a.capacity {
        Some(c) => match &c.bottleneck {
            Some(b) => {
                // A node without a name goes by its id, as on the canvas.
                let name = doc
                    .scenario
                    .with(|s| s.node(b).map_or(b.clone(), |n| n.shown_name().to_string()));
                // Escaped as every message quoting a name is: a right-to-left override in
                // it reversed the whole sentence.
                c.describe(&scaleplay_sim::error::printable(&name))
                    .map_or_else(String::new, |line| format!("Bottleneck: {line}"))
            }
            None => "No bottleneck: nothing has a worker limit".to_string(),
        },
        None => "Fix the problems to see the capacity analysis".to_string(),
    })
}

/// Canvas-local signals the node and edge views share.
#[derive(Clone, Copy)]
struct CanvasCtx {
    drag: RwSignal<Option<Drag>>,
    space: RwSignal<bool>,
    selected_edge: RwSignal<Option<(String, String)>>,
    /// The touches down on the canvas (`Gestures::touches`): a finger on a node counts
    /// towards a pinch too.
    touches: StoredValue<Vec<(i32, f64, f64)>>,
    live: Memo<Option<BTreeMap<String, LiveFigures>>>,
    /// (from, to) → `latency_ms` as set (`None`: the default).
    latencies: Memo<HashMap<(String, String), Option<f64>>>,
    // The lookups below are shared by every node and wire: each looking a node up by a scan of
    // the scenario made a click or a drag on a 1,000-node canvas a million string comparisons
    // (a drag ran at 4 frames a second, a click took half a second). And as few views as can
    // be depend on each: every view re-run on a change of a signal thousands depend on costs
    // a search of that signal's list of dependents.
    /// Node id → its place in the scenario's list (the first, should a file repeat an id).
    index: Memo<HashMap<String, usize>>,
    /// Node id → where it is (the first, should a file repeat an id). Unchanged by edits
    /// that move nothing, so typing a param redraws no node's position and no wire.
    positions: Memo<HashMap<String, (f64, f64)>>,
    /// Node id → the name it goes by (the first, should a file repeat an id).
    names: Memo<HashMap<String, String>>,
    /// The selected nodes: those a move drags along.
    moving: Memo<HashSet<String>>,
    /// How far the move being dragged has gone, once it has moved (a click moves nothing).
    offset: Memo<Option<(f64, f64)>>,
    /// Whether a move is being dragged: what every view follows, where `moving` and `offset`
    /// are followed only by those that move.
    dragging: Memo<bool>,
}

/// Each node's id → `value` of the node (and its place in the list): of the first, should a
/// file repeat an id, as [`scaleplay_sim::Scenario::node`] finds it.
fn by_first_id<V>(
    nodes: &[scaleplay_sim::scenario::NodeSpec],
    value: impl Fn(usize, &scaleplay_sim::scenario::NodeSpec) -> V,
) -> HashMap<String, V> {
    let mut map = HashMap::with_capacity(nodes.len());
    for (i, n) in nodes.iter().enumerate() {
        if !map.contains_key(&n.id) {
            map.insert(n.id.clone(), value(i, n));
        }
    }
    map
}

/// Where node `id` is drawn now: its position plus the drag offset when it is being moved.
fn drawn_position(ctx: CanvasCtx, id: &str) -> Option<(f64, f64)> {
    let (x, y) = ctx.positions.with(|p| p.get(id).copied())?;
    // Only a drag makes the selection matter, and only a node that moves follows the
    // pointer: a click redraws no node's place, and a pointer move only those it moves.
    if ctx.dragging.get() && ctx.moving.with(|m| m.contains(id)) {
        if let Some((dx, dy)) = ctx.offset.get() {
            return Some((x + dx, y + dy));
        }
    }
    Some((x, y))
}

/// The drawing's accessible name: what it holds, or what to do with it when empty.
fn drawing_label(nodes: usize, calls: usize) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (nodes, calls) {
        (0, _) => "Drawing: empty; add nodes from the palette".to_string(),
        _ => format!(
            "Drawing: {}, {}",
            plural(nodes, "node", "nodes"),
            plural(calls, "call", "calls")
        ),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_repeated_id_is_looked_up_as_its_first_node() {
        let s = scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [{"id": "a", "kind": "server", "x": 1},
                {"id": "b", "kind": "server", "x": 2}, {"id": "a", "kind": "cache", "x": 3}]}"#,
        )
        .expect("a scenario");
        let index = super::by_first_id(&s.nodes, |i, _| i);
        assert_eq!((index["a"], index["b"], index.len()), (0, 1, 2));
        let x = super::by_first_id(&s.nodes, |_, n| n.x);
        assert_eq!(x["a"], 1.0);
    }

    #[test]
    fn the_drawing_says_what_it_holds() {
        assert_eq!(
            super::drawing_label(0, 0),
            "Drawing: empty; add nodes from the palette"
        );
        assert_eq!(super::drawing_label(1, 0), "Drawing: 1 node, 0 calls");
        assert_eq!(super::drawing_label(3, 1), "Drawing: 3 nodes, 1 call");
    }
}
