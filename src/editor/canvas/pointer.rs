//! The canvas's pointer gestures: what a press on empty space starts, how a drag follows the
//! pointer (on the window, so it goes on off the canvas) and what its release does (move the
//! nodes, connect a wire, pan, box-select, drop a palette item), two-finger pinches, and the
//! wheel's zoom. A press on a node or a port starts its drag in [`super::node_view`].

use leptos::ev;
use leptos::prelude::*;
use scaleplay_sim::scenario::{Kind, Scenario};
use wasm_bindgen::JsCast;

use super::{canvas_element, Gestures};
use crate::editor::edits::{check_connect, Edit};
use crate::editor::geometry::{self, in_box, in_port, out_port, snap, View};
use crate::panels::palette::add_by_click;
use crate::state::{Doc, Selection, ViewState};

/// What a pointer drag is doing.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Drag {
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

/// Follows pointer moves and releases on the window, so that drags go on off the canvas.
pub(super) fn follow_pointer(g: Gestures) {
    let _move = window_event_listener(ev::pointermove, move |ev| pointer_moved(g, ev));
    let _cancel = window_event_listener(ev::pointercancel, move |ev| pointer_cancelled(g, ev));
    let _up = window_event_listener(ev::pointerup, move |ev| pointer_released(g, ev));
}

/// The pointer moved: the drag in progress follows it (a pinch, the palette's ghost, moved
/// nodes, a wire with its hint, a pan, a selection box).
fn pointer_moved(g: Gestures, ev: ev::PointerEvent) {
    let Gestures {
        doc,
        view: view_ctx,
        palette,
        drag,
        touches,
        wire_hint,
        ..
    } = g;
    let view_state = view_ctx.0;
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
}

/// A touch was taken over by the browser (a scroll, say): a pinch it was part of ends, and so
/// does a palette item's drag (a swipe up the palette scrolls it; the item stayed picked up,
/// and the next release anywhere dropped it).
fn pointer_cancelled(g: Gestures, ev: ev::PointerEvent) {
    let Gestures {
        drag,
        touches,
        palette,
        ..
    } = g;
    touches.update_value(|t| t.retain(|(id, ..)| *id != ev.pointer_id()));
    if palette.0.get_untracked().is_some() {
        palette.0.set(None);
    }
    if matches!(drag.get_untracked(), Some(Drag::Pinch { .. })) {
        drag.set(None);
    }
}

/// The pointer was released: the drag in progress does what it was for (a palette item
/// dropped, nodes moved, a call connected, the selection cleared or boxed).
fn pointer_released(g: Gestures, ev: ev::PointerEvent) {
    let Gestures {
        doc,
        selection,
        selected_edge,
        view: view_ctx,
        snapping,
        palette,
        drag,
        touches,
        wire_hint,
        ..
    } = g;
    let view_state = view_ctx.0;
    let (cx, cy) = (ev.client_x() as f64, ev.client_y() as f64);
    touches.update_value(|t| t.retain(|(id, ..)| *id != ev.pointer_id()));
    if let Some((kind, _, _)) = palette.0.get_untracked() {
        palette.0.set(None);
        drop_from_palette(
            kind,
            ((cx, cy), palette.1.get_value()),
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
        // A click on a node (not a Shift+click, which gathers a selection on the canvas):
        // where the window puts the inspector below the canvas, it is brought into view.
        Drag::Move { moved: false, .. }
            if !ev.shift_key() && selection.with_untracked(|s| s.len() == 1) =>
        {
            crate::panels::inspector::reveal();
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
}

/// A press on the canvas's empty space: a pan (or, with Shift, a box selection) begins, or a
/// pinch when it is a second finger.
pub(super) fn background_down(g: Gestures, ev: ev::PointerEvent) {
    let Gestures {
        view: view_ctx,
        drag,
        space,
        touches,
        ..
    } = g;
    let view_state = view_ctx.0;
    if ev.button() != 0 && ev.button() != 1 {
        return;
    }
    let Some((sx, sy)) = local(ev.client_x() as f64, ev.client_y() as f64) else {
        return;
    };
    let view = view_state.get_untracked();
    if touch_down(&ev, touches, drag, view_state) {
        return;
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
}

/// Counts a finger put down on the canvas, on its empty space or on a node, and starts a
/// pinch when it is the second: whatever the first one began (a pan, a node's move) gives way
/// to it. Returns whether a pinch began. (A pinch begun on a node moved the node.)
pub(super) fn touch_down(
    ev: &ev::PointerEvent,
    touches: StoredValue<Vec<(i32, f64, f64)>>,
    drag: RwSignal<Option<Drag>>,
    view_state: RwSignal<View>,
) -> bool {
    if ev.pointer_type() != "touch" {
        return false;
    }
    let Some((sx, sy)) = local(ev.client_x() as f64, ev.client_y() as f64) else {
        return false;
    };
    touches.update_value(|t| {
        t.retain(|(id, ..)| *id != ev.pointer_id());
        t.push((ev.pointer_id(), sx, sy));
    });
    let Some((d0, mid0)) = touches.with_value(|t| spread(t)) else {
        return false;
    };
    let view = view_state.get_untracked();
    drag.set(Some(Drag::Pinch { d0, mid0, view }));
    true
}

/// The wheel zooms about the pointer.
pub(super) fn wheel(view_state: RwSignal<View>, ev: ev::WheelEvent) {
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
}

/// What a drag draws over the canvas: the wire being pulled, or the selection box.
pub(super) fn drag_overlay(doc: Doc, drag: Option<Drag>) -> Option<AnyView> {
    match drag {
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
}

/// The distance between the first two touches and their midpoint, when two are down.
fn spread(t: &[(i32, f64, f64)]) -> Option<(f64, (f64, f64))> {
    let [a, b, ..] = t else { return None };
    let d = ((a.1 - b.1).powi(2) + (a.2 - b.2).powi(2)).sqrt();
    Some((d, ((a.1 + b.1) / 2.0, (a.2 + b.2) / 2.0)))
}

/// Pointer position relative to the canvas's top-left corner, in screen pixels.
pub(super) fn local(x: f64, y: f64) -> Option<(f64, f64)> {
    let r = canvas_element()?.get_bounding_client_rect();
    Some((x - r.left(), y - r.top()))
}

/// Whether screen point (x, y) is over the canvas.
fn inside_canvas(x: f64, y: f64) -> bool {
    canvas_element().is_some_and(|e| {
        let r = e.get_bounding_client_rect();
        x >= r.left() && x <= r.right() && y >= r.top() && y <= r.bottom()
    })
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

/// The node (top-most) under canvas point `p`.
fn node_at(s: &Scenario, p: (f64, f64)) -> Option<String> {
    s.nodes
        .iter()
        .rev()
        .find(|n| geometry::hit(n.x, n.y, p.0, p.1))
        .map(|n| n.id.clone())
}

/// How far, in CSS pixels, a press on a palette item may move and still be a tap.
const TAP_SLOP_PX: f64 = 10.0;

/// A palette item pressed at screen point `pressed` and released at (x, y): a node where it
/// lands on the canvas, or, when it was a tap on the item, a node placed as a click places it
/// ([`add_by_click`]). Released elsewhere, nothing.
pub(super) fn drop_from_palette(
    kind: Kind,
    ((x, y), pressed): ((f64, f64), (f64, f64)),
    ev: &web_sys::PointerEvent,
    doc: Doc,
    (view, selection): (ViewState, Selection),
    snapping: RwSignal<bool>,
) {
    // A touch stays captured by the item it began on, so the release names the item even
    // when the finger swiped away from it: a swipe up the palette added a node every time.
    let tapped = (x - pressed.0).hypot(y - pressed.1) <= TAP_SLOP_PX;
    let on_item = tapped
        && ev
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
        doc.apply(Edit::AddNode {
            kind,
            x: cx,
            y: cy,
            near: None,
        });
    } else if on_item {
        add_by_click(kind, doc, view, selection);
    }
}
