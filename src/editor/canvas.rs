//! The SVG canvas: draws data-center frames, edges and nodes (coloured by utilization during a
//! run, greyed when down, outlined when invalid or the bottleneck), and turns pointer, wheel and
//! keyboard input into [`Edit`]s and view changes.
//!
//! Gestures: drag a node to move it (all selected nodes move together; snapped to the grid when
//! snapping is on); drag from a node's output port onto another node to connect (or from its
//! input port back onto the caller); drag empty space (or anything with Space held) to pan;
//! Shift+drag empty space to box-select; click and Shift+click to select; wheel or the buttons to zoom; Shift+1 or the button to fit;
//! Tab to a call or a node and Enter to select it, the arrow keys to move the selected nodes;
//! Delete/Backspace to remove the selection; Ctrl+Z to undo, Ctrl+Shift+Z or Ctrl+Y to redo.
//! Palette items dropped here become nodes.

use std::collections::{BTreeMap, HashMap};

use leptos::ev;
use leptos::prelude::*;
use scaleplay_sim::scenario::{Kind, Scenario};
use wasm_bindgen::{closure::Closure, JsCast};

use crate::editor::edits::{check_connect, Edit};
use crate::editor::geometry::{
    self, in_box, in_port, out_port, snap, View, FRAME_PAD_BOTTOM, FRAME_PAD_TOP, FRAME_PAD_X,
    GRID, MAX_ZOOM, MIN_ZOOM, NODE_H, NODE_W,
};
use crate::editor::label_fit::{
    fitted_label, fitted_length, KIND_FONT, LABEL_ROOM, LABEL_X, NAME_FONT,
};
use crate::opening::Opener;
use crate::panels::palette::{add_at_centre, PaletteDrag};
use crate::runner::Run;
use crate::state::{Analysis, Doc, EdgeSelection, Selection, Snap, ViewState};

/// What a pointer drag is doing.
#[derive(Clone, Debug, PartialEq)]
enum Drag {
    /// Moving the selected nodes; `dx, dy` is the offset so far in canvas units.
    Move {
        start: (f64, f64),
        dx: f64,
        dy: f64,
        moved: bool,
    },
    /// Dragging a wire out of `from`'s output port; `at` is the pointer in canvas units.
    Wire { from: String, at: (f64, f64) },
    /// Dragging a wire back from `to`'s input port to its caller, to be.
    WireIn { to: String, at: (f64, f64) },
    /// Two fingers on the canvas: zoom by their spread, pan by their midpoint.
    Pinch {
        d0: f64,
        mid0: (f64, f64),
        view: View,
    },
    /// Panning from a start point with the view as it was.
    Pan {
        start: (f64, f64),
        view: View,
        moved: bool,
    },
    /// Box selection between two canvas points.
    Select { a: (f64, f64), b: (f64, f64) },
}

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

/// The distance between the first two touches and their midpoint, when two are down.
fn spread(t: &[(i32, f64, f64)]) -> Option<(f64, (f64, f64))> {
    let [a, b, ..] = t else { return None };
    let d = ((a.1 - b.1).powi(2) + (a.2 - b.2).powi(2)).sqrt();
    Some((d, ((a.1 + b.1) / 2.0, (a.2 + b.2) / 2.0)))
}

/// Pointer position relative to the canvas's top-left corner, in screen pixels.
fn local(x: f64, y: f64) -> Option<(f64, f64)> {
    let r = canvas_element()?.get_bounding_client_rect();
    Some((x - r.left(), y - r.top()))
}

fn inside_canvas(x: f64, y: f64) -> bool {
    canvas_element().is_some_and(|e| {
        let r = e.get_bounding_client_rect();
        x >= r.left() && x <= r.right() && y >= r.top() && y <= r.bottom()
    })
}

/// The element a key event is aimed at.
fn key_target(ev: &web_sys::KeyboardEvent) -> Option<web_sys::Element> {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
}

/// Whether the key goes to a form control, which handles Space, Delete and the like itself.
fn typing_in_a_field(ev: &web_sys::KeyboardEvent) -> bool {
    key_target(ev).is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// Whether the page is taller than the window, so that the wheel has somewhere to scroll it.
fn page_scrolls() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let viewport = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    window
        .document()
        .and_then(|d| d.document_element())
        .is_some_and(|root| f64::from(root.scroll_height()) > viewport + 1.0)
}

/// Whether the key goes to a control that Space presses (a button, a menu's summary, a link):
/// there Space keeps doing that rather than starting a pan, so the app works from the keyboard.
fn pressing_a_control(ev: &web_sys::KeyboardEvent) -> bool {
    key_target(ev).is_some_and(|e| matches!(e.tag_name().as_str(), "BUTTON" | "SUMMARY" | "A"))
}

/// Whether the key goes to a field that edits text, which keeps its own Ctrl+Z. A checkbox,
/// a select or a button has no undo of its own: there Ctrl+Z undoes the last edit of the
/// scenario, such as the tick just made.
fn editing_text(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(e) = key_target(ev) else {
        return false;
    };
    match e.tag_name().as_str() {
        "TEXTAREA" => true,
        "INPUT" => e.dyn_into::<web_sys::HtmlInputElement>().is_ok_and(|i| {
            !matches!(
                i.type_().as_str(),
                "checkbox" | "radio" | "range" | "color" | "button" | "submit" | "reset" | "file"
            )
        }),
        _ => false,
    }
}

/// The node (top-most) under canvas point `p`.
/// The (caller, callee) of a wire dragged from `anchor` and over `p`: `anchor` calls the node
/// there when `anchor_calls` (dragged from its output port), else that node calls `anchor`.
/// None over empty space or over `anchor` itself.
fn wire_ends(
    s: &Scenario,
    p: (f64, f64),
    anchor: &str,
    anchor_calls: bool,
) -> Option<(String, String)> {
    let other = node_at(s, p).filter(|o| o != anchor)?;
    Some(if anchor_calls {
        (anchor.to_string(), other)
    } else {
        (other, anchor.to_string())
    })
}

fn node_at(s: &Scenario, p: (f64, f64)) -> Option<String> {
    s.nodes
        .iter()
        .rev()
        .find(|n| geometry::hit(n.x, n.y, p.0, p.1))
        .map(|n| n.id.clone())
}

/// Fill colour of a node at `utilization` (green → amber → red).
fn heat(u: f64) -> String {
    let u = u.clamp(0.0, 1.0);
    let (r, g) = if u < 0.5 {
        (80.0 + 350.0 * u, 190.0)
    } else {
        (255.0, 190.0 - 300.0 * (u - 0.5))
    };
    format!("rgb({:.0},{:.0},90)", r.min(255.0), g.max(40.0))
}

/// Where a client whose users see `availability` sits on the [`heat`] scale: served is cool,
/// 5 % failing is half-way (orange), 10 % or more is hot.
fn client_heat(availability: f64) -> f64 {
    let failing = (1.0 - availability) * 10.0;
    if failing.is_nan() {
        0.0
    } else {
        failing.clamp(0.0, 1.0)
    }
}

/// The canvas.
#[component]
pub fn Canvas() -> impl IntoView {
    let doc = expect_context::<Doc>();
    let selection = expect_context::<Selection>().0;
    let analysis = expect_context::<Analysis>().0;
    let view_ctx = expect_context::<ViewState>();
    let view_state = view_ctx.0;
    let snapping = expect_context::<Snap>().0;
    let run = expect_context::<Run>();
    let palette = expect_context::<PaletteDrag>();
    let fit = expect_context::<FitRequest>();
    let opener = expect_context::<Opener>();
    let drag = RwSignal::new(None::<Drag>);
    let space = RwSignal::new(false);
    // Touch pointers down on the canvas: (pointer id, x, y) in canvas-local screen pixels.
    let touches = StoredValue::new(Vec::<(i32, f64, f64)>::new());
    let selected_edge = expect_context::<EdgeSelection>().0;
    let wire_hint = RwSignal::new(None::<String>);

    // The view the last fit chose: while it is still the view (no pan or zoom since), the
    // canvas refits when it changes size.
    let last_fit = StoredValue::new(None::<View>);
    let fit_now = move || {
        let (w, h) = canvas_size();
        let pts: Vec<(f64, f64)> = doc
            .scenario
            .with_untracked(|s| s.nodes.iter().map(|n| (n.x, n.y)).collect());
        let view = View::fit(&pts, w, h);
        last_fit.set_value(Some(view));
        view_state.set(view);
    };
    // A resized window, or a note appearing above the plots, changes the canvas's size: keep
    // a fitted view fitted (part of the design was cut off), but leave a view the user chose.
    leptos::leptos_dom::helpers::request_animation_frame(move || {
        let refit = Closure::<dyn FnMut()>::new(move || {
            if last_fit.get_value() == Some(view_state.get_untracked()) {
                fit_now();
            }
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
            leptos::leptos_dom::helpers::request_animation_frame(fit_now);
        }
        n
    });

    // Pointer moves and releases are followed on the window, so drags continue off the canvas.
    let _move = window_event_listener(ev::pointermove, move |ev| {
        let (cx, cy) = (ev.client_x() as f64, ev.client_y() as f64);
        if ev.pointer_type() == "touch" {
            if let Some((sx, sy)) = local(cx, cy) {
                touches.update_value(|t| {
                    if let Some(p) = t.iter_mut().find(|p| p.0 == ev.pointer_id()) {
                        *p = (p.0, sx, sy);
                    }
                });
            }
            if let Some(Drag::Pinch { d0, mid0, view }) = drag.get_untracked() {
                if let Some((d, mid)) = touches.with_value(|t| spread(t)) {
                    view_state.set(view.pinch(d0, mid0, d, mid));
                }
                return;
            }
        }
        if palette.0.get_untracked().is_some() {
            palette.0.update(|p| {
                if let Some(p) = p {
                    p.1 = cx;
                    p.2 = cy;
                }
            });
            return;
        }
        let Some(d) = drag.get_untracked() else {
            return;
        };
        let Some((sx, sy)) = local(cx, cy) else {
            return;
        };
        let view = view_state.get_untracked();
        let p = view.to_canvas(sx, sy);
        let next = match d {
            Drag::Move { start, .. } => {
                let (dx, dy) = (p.0 - start.0, p.1 - start.1);
                Drag::Move {
                    start,
                    dx,
                    dy,
                    moved: dx.abs() + dy.abs() > 2.0,
                }
            }
            Drag::Wire { from, .. } => {
                let hint = doc.scenario.with_untracked(|s| {
                    wire_ends(s, p, &from, true).and_then(|(f, t)| check_connect(s, &f, &t).err())
                });
                wire_hint.set(hint);
                Drag::Wire { from, at: p }
            }
            Drag::WireIn { to, .. } => {
                let hint = doc.scenario.with_untracked(|s| {
                    wire_ends(s, p, &to, false).and_then(|(f, t)| check_connect(s, &f, &t).err())
                });
                wire_hint.set(hint);
                Drag::WireIn { to, at: p }
            }
            Drag::Pan {
                start, view: v0, ..
            } => {
                let (dx, dy) = (sx - start.0, sy - start.1);
                view_state.set(View {
                    pan_x: v0.pan_x + dx,
                    pan_y: v0.pan_y + dy,
                    ..v0
                });
                Drag::Pan {
                    start,
                    view: v0,
                    moved: dx.abs() + dy.abs() > 3.0,
                }
            }
            Drag::Select { a, .. } => Drag::Select { a, b: p },
            // Mouse moves do not disturb a pinch (handled above for touches).
            pinch @ Drag::Pinch { .. } => pinch,
        };
        drag.set(Some(next));
    });
    let _cancel = window_event_listener(ev::pointercancel, move |ev| {
        touches.update_value(|t| t.retain(|(id, ..)| *id != ev.pointer_id()));
        if matches!(drag.get_untracked(), Some(Drag::Pinch { .. })) {
            drag.set(None);
        }
    });
    let _up = window_event_listener(ev::pointerup, move |ev| {
        let (cx, cy) = (ev.client_x() as f64, ev.client_y() as f64);
        touches.update_value(|t| t.retain(|(id, ..)| *id != ev.pointer_id()));
        if let Some((kind, _, _)) = palette.0.get_untracked() {
            palette.0.set(None);
            drop_from_palette(
                kind,
                (cx, cy),
                &ev,
                doc,
                (view_ctx, Selection(selection)),
                snapping,
            );
            return;
        }
        let Some(d) = drag.get_untracked() else {
            return;
        };
        drag.set(None);
        wire_hint.set(None);
        let view = view_state.get_untracked();
        let p = local(cx, cy).map(|(sx, sy)| view.to_canvas(sx, sy));
        // A wire dropped on a node: the call it stands for (see `wire_ends`).
        let connect_wire = |anchor: String, anchor_calls: bool| {
            let ends = p.and_then(|p| {
                doc.scenario
                    .with_untracked(|s| wire_ends(s, p, &anchor, anchor_calls))
            });
            if let Some((from, to)) = ends {
                doc.apply(Edit::Connect { from, to });
            }
        };
        match d {
            Drag::Move {
                dx,
                dy,
                moved: true,
                ..
            } => {
                let snap_on = snapping.get_untracked();
                let ids = selection.get_untracked();
                let moves = doc.scenario.with_untracked(|s| {
                    s.nodes
                        .iter()
                        .filter(|n| ids.contains(&n.id))
                        .map(|n| {
                            let (x, y) = (n.x + dx, n.y + dy);
                            if snap_on {
                                (n.id.clone(), snap(x), snap(y))
                            } else {
                                (n.id.clone(), x, y)
                            }
                        })
                        .collect::<Vec<_>>()
                });
                doc.apply(Edit::MoveNodes(moves));
            }
            Drag::Wire { from: anchor, .. } => connect_wire(anchor, true),
            Drag::WireIn { to: anchor, .. } => connect_wire(anchor, false),
            Drag::Pan { moved: false, .. } => {
                selection.set(Vec::new());
                selected_edge.set(None);
            }
            Drag::Select { a, b } => {
                let ids = doc.scenario.with_untracked(|s| {
                    s.nodes
                        .iter()
                        .filter(|n| in_box(n.x, n.y, a, b))
                        .map(|n| n.id.clone())
                        .collect()
                });
                selection.set(ids);
            }
            _ => {}
        }
    });
    let _keys = window_event_listener(ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() {
            if editing_text(&ev) {
                return;
            }
            // Shift turns "z" into "Z"; Ctrl+Y is the Windows habit for redo.
            let done = match ev.key().to_ascii_lowercase().as_str() {
                "z" if ev.shift_key() => Some(opener.redo()),
                "z" => Some(opener.undo()),
                "y" => Some(opener.redo()),
                _ => None,
            };
            if done.is_some() {
                ev.prevent_default();
            }
            return;
        }
        if typing_in_a_field(&ev) {
            return;
        }
        match ev.key().as_str() {
            " " if !pressing_a_control(&ev) => {
                space.set(true);
                ev.prevent_default();
            }
            // The usual way out: a drag (from the palette too) is dropped where it began, else
            // the selection is cleared. An open menu handles its own Escape first.
            "Escape" if !ev.default_prevented() => {
                if drag.get_untracked().is_some() || palette.0.get_untracked().is_some() {
                    drag.set(None);
                    palette.0.set(None);
                    wire_hint.set(None);
                } else {
                    selection.set(Vec::new());
                    selected_edge.set(None);
                }
            }
            // Not from a button, a menu or a link with the focus (pressed just before, as
            // the inspector's "Fail now"): the key is meant for it, and deleting the node it
            // belongs to took everything drawn to it along.
            "Delete" | "Backspace" if !pressing_a_control(&ev) => {
                let nodes = selection.get_untracked();
                let edges: Vec<_> = selected_edge.get_untracked().into_iter().collect();
                if !nodes.is_empty() || !edges.is_empty() {
                    ev.prevent_default();
                    doc.apply(Edit::Delete { nodes, edges });
                    selection.set(Vec::new());
                    selected_edge.set(None);
                    focus_canvas();
                }
            }
            "!" if ev.shift_key() => fit_now(),
            _ if ev.code() == "Digit1" && ev.shift_key() => fit_now(),
            _ => {}
        }
    });
    let _keyup = window_event_listener(ev::keyup, move |ev| {
        if ev.key() == " " {
            space.set(false);
        }
    });

    let on_background_down = move |ev: ev::PointerEvent| {
        if ev.button() != 0 && ev.button() != 1 {
            return;
        }
        let Some((sx, sy)) = local(ev.client_x() as f64, ev.client_y() as f64) else {
            return;
        };
        let view = view_state.get_untracked();
        if ev.pointer_type() == "touch" {
            touches.update_value(|t| {
                t.retain(|(id, ..)| *id != ev.pointer_id());
                t.push((ev.pointer_id(), sx, sy));
            });
            if let Some((d0, mid0)) = touches.with_value(|t| spread(t)) {
                drag.set(Some(Drag::Pinch { d0, mid0, view }));
                return;
            }
        }
        if ev.shift_key() && !space.get_untracked() {
            let p = view.to_canvas(sx, sy);
            drag.set(Some(Drag::Select { a: p, b: p }));
        } else {
            drag.set(Some(Drag::Pan {
                start: (sx, sy),
                view,
                moved: false,
            }));
        }
    };
    let on_wheel = move |ev: ev::WheelEvent| {
        // In a window narrow enough for the page itself to scroll (the panels stacked under
        // the canvas), the wheel scrolls the page and Ctrl+wheel (a pinch on a touchpad)
        // zooms: taking every wheel for the zoom left no way down to the plots with the
        // pointer over the canvas, which fills most of such a window.
        if page_scrolls() && !(ev.ctrl_key() || ev.meta_key()) {
            return;
        }
        ev.prevent_default();
        let Some((sx, sy)) = local(ev.client_x() as f64, ev.client_y() as f64) else {
            return;
        };
        let factor = if ev.delta_y() < 0.0 { 1.1 } else { 1.0 / 1.1 };
        view_state.update(|v| *v = v.zoom_at(factor, sx, sy));
    };
    let zoom_button = move |factor: f64| {
        move |_| {
            let (w, h) = canvas_size();
            view_state.update(|v| *v = v.zoom_at(factor, w / 2.0, h / 2.0));
        }
    };

    // Live figures per node: the latest window's utilization, and whether it is down.
    let live = Memo::new(move |_| {
        run.report.with(|r| {
            r.as_ref().map(|r| {
                r.nodes
                    .iter()
                    .map(|(id, n)| {
                        let u = n.utilization_series.last().copied().unwrap_or(n.utilization);
                        let tip = format!(
                            "utilization {:.0}%, {:.1} req/s ok, p99 {:.1} ms, rejected {}, down {}",
                            u * 100.0,
                            n.throughput_rps,
                            n.latency_ms.p99,
                            n.rejected,
                            n.down
                        );
                        (id.clone(), (u, n.instances_now == 0, tip))
                    })
                    .chain(r.clients.iter().map(|(id, c)| {
                        // A client is coloured by its users' failures in the latest window:
                        // green while they are served, red from 10 % failing.
                        let a = c.availability_series.last().copied().unwrap_or(c.availability);
                        let tip = format!(
                            "its users: availability {:.2}%, {:.1} req/s ok, p99 {:.1} ms",
                            crate::panels::cut(a * 100.0, 2),
                            c.throughput_rps,
                            c.latency_ms.p99
                        );
                        (id.clone(), (client_heat(a), false, tip))
                    }))
                    .collect::<BTreeMap<_, _>>()
            })
        })
    });

    let frames = move || {
        doc.scenario.with(|s| {
            let mut by_dc: BTreeMap<&str, (f64, f64, f64, f64)> = BTreeMap::new();
            for n in &s.nodes {
                let e =
                    by_dc
                        .entry(n.dc.as_str())
                        .or_insert((f64::MAX, f64::MAX, f64::MIN, f64::MIN));
                *e = (
                    e.0.min(n.x),
                    e.1.min(n.y),
                    e.2.max(n.x + NODE_W),
                    e.3.max(n.y + NODE_H),
                );
            }
            by_dc
                .into_iter()
                .map(|(dc, (x0, y0, x1, y1))| {
                    view! {
                        <g class="dc-frame" data-testid=format!("dc-{dc}")>
                            <rect x=x0 - FRAME_PAD_X y=y0 - FRAME_PAD_TOP rx="10"
                                width=x1 - x0 + 2.0 * FRAME_PAD_X
                                height=y1 - y0 + FRAME_PAD_TOP + FRAME_PAD_BOTTOM/>
                            <text x=x0 - 8.0 y=y0 - 12.0>{dc.to_string()}</text>
                        </g>
                    }
                })
                .collect_view()
        })
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
    let ctx = CanvasCtx {
        drag,
        space,
        selected_edge,
        live,
        latencies,
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

    let overlay = move || {
        match drag.get() {
        Some(Drag::Wire { from, at }) => doc.scenario.with(|s| {
            s.node(&from).map(|n| {
                let d = geometry::wire(out_port(n.x, n.y), at);
                view! { <path class="wire-preview" d=d/> }.into_any()
            })
        }),
        Some(Drag::WireIn { to, at }) => doc.scenario.with(|s| {
            s.node(&to).map(|n| {
                let d = geometry::wire(at, in_port(n.x, n.y));
                view! { <path class="wire-preview" d=d/> }.into_any()
            })
        }),
        Some(Drag::Select { a, b }) => Some(
            view! {
                <rect class="select-box" x=a.0.min(b.0) y=a.1.min(b.1) width=(a.0 - b.0).abs() height=(a.1 - b.1).abs()/>
            }
            .into_any(),
        ),
        _ => None,
    }
    };
    let transform = move || {
        let v = view_state.get();
        format!(
            "translate({:.1},{:.1}) scale({:.3})",
            v.pan_x, v.pan_y, v.zoom
        )
    };
    // Live capacity analysis while editing: the node that saturates first and at what rate.
    let capacity_line = move || {
        analysis.with(|a| match &a.capacity {
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
    };
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
                <button data-testid="zoom-in" title="Zoom in" on:click=zoom_button(1.25)
                    disabled=move || view_state.with(|v| v.zoom >= MAX_ZOOM * (1.0 - 1e-9))>"+"</button>
                <button data-testid="zoom-out" title="Zoom out" on:click=zoom_button(0.8)
                    disabled=move || view_state.with(|v| v.zoom <= MIN_ZOOM * (1.0 + 1e-9))>"−"</button>
                <button data-testid="fit" title="Fit to view (Shift+1)" on:click=move |_| fit_now()>"Fit"</button>
                <label title="Snap to grid"><input type="checkbox" data-testid="snap" prop:checked=move || snapping.get()
                    on:change=move |ev| snapping.set(event_target_checked(&ev))/>" Snap"</label>
                {move || wire_hint.get().map(|h| view! { <span class="wire-hint" data-testid="wire-hint">{h}</span> })}
                <span class="capacity" data-testid="capacity">{capacity_line}</span>
            </div>
            <svg data-testid="canvas" class="canvas" class:panning=move || space.get() tabindex="-1"
                on:pointerdown=on_background_down on:wheel=on_wheel>
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
                    {frames}
                    {edges}
                    {nodes}
                    {overlay}
                </g>
            </svg>
            {ghost}
        </div>
    }
}

/// A palette item released at screen point (x, y): a node where it lands on the canvas, or,
/// when it was a plain click on the item, a node at the centre of the view.
fn drop_from_palette(
    kind: Kind,
    (x, y): (f64, f64),
    ev: &web_sys::PointerEvent,
    doc: Doc,
    (view, selection): (ViewState, Selection),
    snapping: RwSignal<bool>,
) {
    let on_item = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest(".palette-item").ok().flatten())
        .is_some();
    if inside_canvas(x, y) {
        let Some(point) = local(x, y) else { return };
        let Some(rect) = canvas_element().map(|e| e.get_bounding_client_rect()) else {
            return;
        };
        let view = view.0.get_untracked();
        let (cx, cy) = view.drop_corner(point, (rect.width(), rect.height()));
        let snap_on = snapping.get_untracked();
        let (cx, cy) = if snap_on {
            (snap(cx), snap(cy))
        } else {
            (cx, cy)
        };
        doc.apply(Edit::AddNode { kind, x: cx, y: cy });
    } else if on_item {
        add_at_centre(kind, doc, view, selection);
    }
}

/// A node's latest utilization, whether it is down, and its hover text.
type LiveFigures = (f64, bool, String);

/// Canvas-local signals the node and edge views share.
#[derive(Clone, Copy)]
struct CanvasCtx {
    drag: RwSignal<Option<Drag>>,
    space: RwSignal<bool>,
    selected_edge: RwSignal<Option<(String, String)>>,
    live: Memo<Option<BTreeMap<String, LiveFigures>>>,
    /// (from, to) → `latency_ms` as set (`None`: the default).
    latencies: Memo<HashMap<(String, String), Option<f64>>>,
}

/// Where node `id` is drawn now: its position plus the drag offset when it is being moved.
fn drawn_position(
    doc: Doc,
    selection: RwSignal<Vec<String>>,
    drag: RwSignal<Option<Drag>>,
    id: &str,
) -> Option<(f64, f64)> {
    let (x, y) = doc.scenario.with(|s| s.node(id).map(|n| (n.x, n.y)))?;
    let offset = drag.with(|d| match d {
        Some(Drag::Move { dx, dy, .. }) => Some((*dx, *dy)),
        _ => None,
    });
    match offset {
        Some((dx, dy)) if selection.with(|s| s.iter().any(|n| n == id)) => Some((x + dx, y + dy)),
        _ => Some((x, y)),
    }
}

/// One edge; only its own path updates while nodes move.
#[component]
fn EdgeView(from: String, to: String, ctx: CanvasCtx) -> impl IntoView {
    let doc = expect_context::<Doc>();
    let selection = expect_context::<Selection>().0;
    let (f, t) = (from.clone(), to.clone());
    let d = move || {
        let a = drawn_position(doc, selection, ctx.drag, &f)?;
        let b = drawn_position(doc, selection, ctx.drag, &t)?;
        Some(geometry::wire(out_port(a.0, a.1), in_port(b.0, b.1)))
    };
    let key = (from.clone(), to.clone());
    let key2 = key.clone();
    // Hovering tells the delay; selecting shows it in the inspector.
    let key3 = key.clone();
    let title = move || match ctx.latencies.with(|l| l.get(&key3).copied().flatten()) {
        Some(ms) => format!("{} → {}: {ms} ms", key3.0, key3.1),
        None => format!("{} → {}: default latency", key3.0, key3.1),
    };
    let is_sel = Memo::new(move |_| ctx.selected_edge.with(|s| s.as_ref() == Some(&key2)));
    let select = move || {
        ctx.selected_edge.set(Some(key.clone()));
        selection.set(Vec::new());
    };
    let (lf, lt) = (from.clone(), to.clone());
    let label = move || {
        doc.scenario.with(|s| {
            let name = |id: &str| {
                s.node(id)
                    .map_or(id.to_string(), |n| n.shown_name().to_string())
            };
            format!("call from {} to {}", name(&lf), name(&lt))
        })
    };
    // Like a node, a call takes keyboard focus (Tab; calls come first, being drawn under the
    // nodes), Enter selects it, and Delete removes it (the window-level handler).
    view! {
        <g class="edge" class:selected=is_sel data-testid=format!("edge-{from}-{to}")
            tabindex="0" role="button" aria-label=label aria-pressed=move || is_sel.get().to_string()
            on:keydown={
                let select = select.clone();
                move |ev: ev::KeyboardEvent| {
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                        select();
                    }
                }
            }
            on:pointerdown=move |ev: ev::PointerEvent| {
                ev.stop_propagation();
                select();
            }>
            <title>{title}</title>
            <path class="edge-hit" d=d.clone()/>
            <path class="edge-line" d=d marker-end="url(#arrow)"/>
        </g>
    }
}

/// One node; its position, selection and colour update on their own, its content only when the
/// node itself changes.
#[component]
fn NodeView(id: String, ctx: CanvasCtx) -> impl IntoView {
    let doc = expect_context::<Doc>();
    let selection = expect_context::<Selection>().0;
    let view_state = expect_context::<ViewState>().0;
    let analysis = expect_context::<Analysis>().0;
    let banner = expect_context::<Doc>().banner;
    let node = {
        let id = id.clone();
        Memo::new(move |_| doc.scenario.with(|s| s.node(&id).cloned()))
    };
    let id_pos = id.clone();
    let transform = move || {
        drawn_position(doc, selection, ctx.drag, &id_pos)
            .map(|(x, y)| format!("translate({x:.1},{y:.1})"))
    };
    let id_sel = id.clone();
    let selected = Memo::new(move |_| selection.with(|s| s.contains(&id_sel)));
    let id_live = id.clone();
    let figures = Memo::new(move |_| {
        ctx.live
            .with(|l| l.as_ref().and_then(|l| l.get(&id_live).cloned()))
    });
    let id_prob = id.clone();
    let problems = Memo::new(move |_| {
        analysis.with(|a| {
            a.problems
                .iter()
                .filter(|p| p.node.as_deref() == Some(id_prob.as_str()))
                .map(|p| p.message.clone())
                .collect::<Vec<_>>()
        })
    });
    let id_idle = id.clone();
    let idle = Memo::new(move |_| {
        analysis.with(|a| {
            a.idle
                .iter()
                .find(|n| n.id == id_idle)
                .map(|n| n.short.clone())
        })
    });
    let id_b = id.clone();
    let bottleneck = Memo::new(move |_| {
        analysis.with(|a| {
            a.capacity
                .as_ref()
                .filter(|c| c.bottleneck.as_deref() == Some(id_b.as_str()))
                .map(|c| c.max_rps)
        })
    });
    // Set as `style:fill` (a CSSOM property), not a `style` attribute: the page's
    // Content-Security-Policy refuses inline style attributes (index.html).
    let fill = move || {
        if idle.with(Option::is_some) {
            return "#f6f7f9".to_string(); // no traffic reaches it: not "healthy"
        }
        figures.with(|f| {
            f.as_ref().map_or("#eef2f7".to_string(), |f| {
                if f.1 {
                    "#bbbbbb".to_string()
                } else {
                    heat(f.0)
                }
            })
        })
    };
    let down = move || figures.with(|f| f.as_ref().is_some_and(|f| f.1));
    let tip = move || {
        let Some(n) = node.get() else {
            return String::new();
        };
        let mut tip = format!("{} ({})", n.shown_name(), n.kind);
        if let Some(f) = figures.get() {
            tip.push_str(&format!("\n{}", f.2));
        }
        if let Some(Some(max)) = bottleneck.get() {
            tip.push_str(&format!("\nbottleneck: saturates at {max:.0} req/s"));
        }
        if let Some(why) = idle.get() {
            tip.push_str(&format!("\nidle: {why}"));
        }
        for p in problems.get() {
            tip.push_str(&format!("\n⚠ {p}"));
        }
        tip
    };
    let id_down = id.clone();
    let on_down = move |ev: ev::PointerEvent| {
        if ev.button() != 0 || ctx.space.get_untracked() {
            return;
        }
        ev.stop_propagation();
        let id = id_down.clone();
        let mut sel = selection.get_untracked();
        if ev.shift_key() {
            if let Some(i) = sel.iter().position(|s| *s == id) {
                sel.remove(i);
            } else {
                sel.push(id);
            }
        } else if !sel.contains(&id) {
            sel = vec![id];
        }
        selection.set(sel);
        ctx.selected_edge.set(None);
        banner.set(None);
        let Some((sx, sy)) = local(ev.client_x() as f64, ev.client_y() as f64) else {
            return;
        };
        let p = view_state.get_untracked().to_canvas(sx, sy);
        ctx.drag.set(Some(Drag::Move {
            start: p,
            dx: 0.0,
            dy: 0.0,
            moved: false,
        }));
    };
    // The keyboard's way in: Tab reaches each node, Enter selects it (Shift+Enter adds it to
    // the selection), the arrow keys move the selection a grid step (Shift: five), and
    // Delete removes it (the window-level handler).
    let id_key = id.clone();
    let on_key = move |ev: ev::KeyboardEvent| {
        let id = id_key.clone();
        let step = if ev.shift_key() { 5.0 * GRID } else { GRID };
        let (dx, dy) = match ev.key().as_str() {
            "Enter" => {
                ev.prevent_default();
                let mut sel = selection.get_untracked();
                if !ev.shift_key() {
                    sel.clear();
                }
                if !sel.contains(&id) {
                    sel.push(id);
                }
                selection.set(sel);
                ctx.selected_edge.set(None);
                return;
            }
            "ArrowLeft" => (-step, 0.0),
            "ArrowRight" => (step, 0.0),
            "ArrowUp" => (0.0, -step),
            "ArrowDown" => (0.0, step),
            _ => return,
        };
        ev.prevent_default();
        let mut sel = selection.get_untracked();
        if !sel.contains(&id) {
            sel = vec![id];
            selection.set(sel.clone());
        }
        let moves = doc.scenario.with_untracked(|s| {
            sel.iter()
                .filter_map(|m| s.node(m).map(|n| (m.clone(), n.x + dx, n.y + dy)))
                .collect::<Vec<_>>()
        });
        doc.apply(Edit::MoveNodes(moves));
    };
    let label = move || {
        node.with(|n| {
            n.as_ref().map_or(String::new(), |n| {
                let kind = Kind::parse(&n.kind).map_or("?", crate::editor::palette_label);
                format!("{}, {kind}", n.shown_name())
            })
        })
    };
    let content = move || {
        let n = node.get()?;
        let kind = Kind::parse(&n.kind);
        let label = kind.map_or("?", crate::editor::palette_label);
        let instances = n
            .params
            .get("instances")
            .or_else(|| n.params.get("partitions"))
            .and_then(|v| v.as_u64());
        let sub = match instances {
            Some(k) if k > 1 => format!("{label} ×{k}"),
            _ => label.to_string(),
        };
        let can_call = kind.is_some_and(|k| {
            Kind::ALL
                .iter()
                .any(|t| scaleplay_sim::model::can_connect(k, *t).is_ok())
        });
        let can_be_called = kind.is_some_and(|k| k != Kind::Client);
        let id_port = n.id.clone();
        let (name, name_length) = fitted_label(n.shown_name(), NAME_FONT, LABEL_ROOM);
        Some(view! {
            <rect class="node-box" width=NODE_W height=NODE_H rx="8" style:fill=fill/>
            <rect class="node-badge" x="6" y="14" width="28" height="24" rx="5"/>
            <text class="node-icon" x="20" y="30" text-anchor="middle">{kind.map_or("?", crate::editor::icon)}</text>
            <text class="node-name" x=LABEL_X y="22" lengthAdjust="spacingAndGlyphs"
                textLength=name_length>{name}</text>
            <text class="node-kind" x=LABEL_X y="40" lengthAdjust="spacingAndGlyphs"
                textLength=fitted_length(&sub, KIND_FONT, LABEL_ROOM)>{sub.clone()}</text>
            // The bottleneck's rate is in the capacity line and the tooltip; the box gets the
            // orange outline and this tag above it (appended to the kind line, it ran past the
            // box's edge).
            {move || bottleneck.with(Option::is_some).then(|| view! {
                <text class="node-tag" x=NODE_W y="-5" text-anchor="end">"bottleneck"</text>
            })}
            // Dragged, the input port wires backwards: drop it on the node that should call
            // this one (rather than moving the node, as a press on the box does).
            {can_be_called.then(|| {
                let id_in = n.id.clone();
                view! {
                    <circle class="port port-in" cx="0" cy=NODE_H / 2.0 r="6" data-testid=format!("port-in-{}", n.id)
                        on:pointerdown=move |ev: ev::PointerEvent| {
                            if ev.button() != 0 {
                                return;
                            }
                            ev.stop_propagation();
                            let Some((sx, sy)) = local(ev.client_x() as f64, ev.client_y() as f64) else { return };
                            let at = view_state.get_untracked().to_canvas(sx, sy);
                            ctx.drag.set(Some(Drag::WireIn { to: id_in.clone(), at }));
                        }/>
                }
            })}
            {can_call.then(|| view! {
                <circle class="port port-out" cx=NODE_W cy=NODE_H / 2.0 r="7" data-testid=format!("port-out-{}", id_port)
                    on:pointerdown=move |ev: ev::PointerEvent| {
                        ev.stop_propagation();
                        let Some((sx, sy)) = local(ev.client_x() as f64, ev.client_y() as f64) else { return };
                        let at = view_state.get_untracked().to_canvas(sx, sy);
                        ctx.drag.set(Some(Drag::Wire { from: id_port.clone(), at }));
                    }/>
            })}
        })
    };
    view! {
        <g class="node" class:selected=selected class:invalid=move || !problems.with(Vec::is_empty)
            class:down=down class:bottleneck=move || bottleneck.with(Option::is_some)
            class:idle=move || idle.with(Option::is_some)
            data-testid=format!("node-{id}") transform=transform on:pointerdown=on_down
            tabindex="0" role="button" aria-label=label aria-pressed=move || selected.get().to_string()
            on:keydown=on_key>
            <title>{tip}</title>
            {content}
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::{client_heat, heat};

    #[test]
    fn a_client_turns_from_green_to_red_as_its_users_fail() {
        assert_eq!(client_heat(1.0), 0.0);
        assert_eq!(heat(client_heat(1.0)), heat(0.0));
        assert!(
            (client_heat(0.95) - 0.5).abs() < 1e-9,
            "5 % failing: orange"
        );
        assert_eq!(client_heat(0.85), 1.0);
        assert!(client_heat(0.9) > 0.999);
        assert_eq!(client_heat(0.0), 1.0);
        // Out of range or not a number never breaks the colour.
        assert_eq!(client_heat(1.5), 0.0);
        assert_eq!(client_heat(f64::NAN), 0.0);
    }
}
