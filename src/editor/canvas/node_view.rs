//! One node drawn on the canvas: its box coloured by the live figures, its badge, name and
//! kind, its ports, its hover text, and the gestures and keys that start on it (select, move,
//! wire out or in, arrow keys).

use leptos::ev;
use leptos::prelude::*;
use scaleplay_sim::scenario::{Kind, NodeSpec};

use super::live::{heat, LiveFigures};
use super::pointer::{local, Drag};
use super::{drawn_position, CanvasCtx};
use crate::editor::edits::Edit;
use crate::editor::geometry::{View, GRID, NODE_H, NODE_W};
use crate::editor::label_fit::{
    fitted_label, fitted_length, KIND_FONT, LABEL_ROOM, LABEL_X, NAME_FONT,
};
use crate::state::{Analysis, Doc, Selection, ViewState};

/// One node; its position, selection and colour update on their own, its content only when the
/// node itself changes.
#[component]
pub(super) fn NodeView(id: String, ctx: CanvasCtx) -> impl IntoView {
    let doc = expect_context::<Doc>();
    let selection = expect_context::<Selection>().0;
    let view_state = expect_context::<ViewState>().0;
    let analysis = expect_context::<Analysis>().0;
    let banner = expect_context::<Doc>().banner;
    let node = {
        let id = id.clone();
        Memo::new(move |_| {
            let i = ctx.index.with(|ix| ix.get(&id).copied())?;
            doc.scenario.with(|s| s.nodes.get(i).cloned())
        })
    };
    let id_pos = id.clone();
    let transform =
        move || drawn_position(ctx, &id_pos).map(|(x, y)| format!("translate({x:.1},{y:.1})"));
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
                .filter(|c| c.saturates_first(&id_b))
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
        node.with(|n| {
            n.as_ref().map_or_else(String::new, |n| {
                hover_text(
                    n,
                    figures.get(),
                    bottleneck.get(),
                    idle.get(),
                    &problems.get(),
                )
            })
        })
    };
    let id_down = id.clone();
    let on_down = move |ev: ev::PointerEvent| {
        if super::pointer::touch_down(&ev, ctx.touches, ctx.drag, view_state) {
            // A second finger: the pinch zooms, and the node stays where it is.
            ev.stop_propagation();
            return;
        }
        if pressed(&id_down, &ev, ctx, selection) {
            banner.set(None);
            start_drag(&ev, view_state, ctx, |at| Drag::Move {
                start: at,
                dx: 0.0,
                dy: 0.0,
                moved: false,
            });
        }
    };
    // Reached from the keyboard (Tab), a node off the canvas's edge is panned into sight, as
    // a page scrolls to a focused link. Not on a click: the node is in sight, and the view
    // must hold still under a drag.
    let id_focus = id.clone();
    let on_focus = move |ev: ev::FocusEvent| {
        use wasm_bindgen::JsCast;
        let from_keys = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| e.matches(":focus-visible").unwrap_or(false));
        let at = doc
            .scenario
            .with_untracked(|s| s.node(&id_focus).map(|n| (n.x, n.y)));
        if let Some(at) = at.filter(|_| from_keys) {
            super::keep_in_sight(view_state, at);
        }
    };
    let id_key = id.clone();
    let on_key = move |ev: ev::KeyboardEvent| key_pressed(&id_key, &ev, ctx, doc, selection);
    let label = move || {
        node.with(|n| {
            n.as_ref().map_or(String::new(), |n| {
                let kind = Kind::parse(&n.kind).map_or("?", crate::editor::palette_label);
                // What the box shows by colour, tag and outline, said too (a screen reader
                // heard the name and kind alone); the hover text has the figures.
                // "Users", not "Users, Users": a name that is its kind's says it already.
                let name = n.shown_name();
                let mut label = if name == kind {
                    name.to_string()
                } else {
                    format!("{name}, {kind}")
                };
                if down() {
                    label += ", down";
                }
                if bottleneck.with(Option::is_some) {
                    label += ", bottleneck";
                }
                if let Some(why) = idle.get() {
                    label += &format!(", idle: {why}");
                }
                match problems.with(Vec::len) {
                    0 => {}
                    1 => label += ", 1 problem",
                    n => label += &format!(", {n} problems"),
                }
                label
            })
        })
    };
    // An autoscaled tier's instances as they are now in the run, on its box.
    let live_instances = Memo::new(move |_| figures.with(|f| f.as_ref().and_then(|f| f.3)));
    let content = move || {
        node.get()
            .map(|n| node_body(&n, fill, bottleneck, live_instances, view_state, ctx))
    };
    view! {
        <g class="node" class:selected=selected class:invalid=move || !problems.with(Vec::is_empty)
            class:down=down class:bottleneck=move || bottleneck.with(Option::is_some)
            class:idle=move || idle.with(Option::is_some)
            data-testid=format!("node-{id}") transform=transform on:pointerdown=on_down
            tabindex="0" role="button" aria-label=label aria-pressed=move || selected.get().to_string()
            on:keydown=on_key on:focus=on_focus>
            <title>{tip}</title>
            {content}
        </g>
    }
}

/// A node's hover text: its name and kind, its live figures, and what the analysis says of it.
fn hover_text(
    n: &NodeSpec,
    figures: Option<LiveFigures>,
    bottleneck: Option<Option<f64>>,
    idle: Option<String>,
    problems: &[String],
) -> String {
    let mut tip = format!("{} ({})", n.shown_name(), n.kind);
    if let Some(f) = figures {
        tip.push_str(&format!("\n{}", f.2));
    }
    if let Some(Some(max)) = bottleneck {
        tip.push_str(&format!("\nbottleneck: saturates at {max:.0} req/s"));
    }
    if let Some(why) = idle {
        tip.push_str(&format!("\nidle: {why}"));
    }
    for p in problems {
        tip.push_str(&format!("\n⚠ {p}"));
    }
    tip
}

/// A box's kind line: the kind, and how many instances it has. During a run an autoscaled
/// tier counts those serving now (`Server ×22` as it grows), and a tier with some instances
/// down says how many of its instances serve (`Server 3/4 up`): one failed instance of four
/// left the box green and "×4" while a quarter of its requests failed.
fn instances_text(
    label: &str,
    configured: Option<u64>,
    serving: Option<u32>,
    autoscaled: bool,
) -> String {
    let serving = serving.map(u64::from);
    let count = if autoscaled {
        // None serving: said, not left as a bare "Server" (which reads as one instance).
        if serving == Some(0) {
            return format!("{label} ×0");
        }
        serving.or(configured)
    } else {
        match (serving, configured) {
            (Some(up), Some(all)) if all > 1 && up < all => {
                return format!("{label} {up}/{all} up");
            }
            _ => configured,
        }
    };
    match count {
        Some(k) if k > 1 => format!("{label} ×{k}"),
        _ => label.to_string(),
    }
}

/// A press on node `id`'s box: it joins or leaves the selection (Shift), or becomes it. Says
/// whether the press was the node's to take (the main button, Space not held): then a move
/// may start.
fn pressed(
    id: &str,
    ev: &ev::PointerEvent,
    ctx: CanvasCtx,
    selection: RwSignal<Vec<String>>,
) -> bool {
    if ev.button() != 0 || ctx.space.get_untracked() {
        return false;
    }
    ev.stop_propagation();
    let id = id.to_string();
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
    true
}

/// Starts the drag `make` builds from the pointer's canvas point, for a press of the main
/// button (a right press on a port started a wire that its context menu left hanging).
fn start_drag(
    ev: &ev::PointerEvent,
    view_state: RwSignal<View>,
    ctx: CanvasCtx,
    make: impl FnOnce((f64, f64)) -> Drag,
) {
    if ev.button() != 0 {
        return;
    }
    ev.stop_propagation();
    let Some((sx, sy)) = local(ev.client_x() as f64, ev.client_y() as f64) else {
        return;
    };
    ctx.drag
        .set(Some(make(view_state.get_untracked().to_canvas(sx, sy))));
}

/// A key on a focused node: the keyboard's way in. Tab reaches each node, Enter or Space
/// selects it, as those keys press a button (Shift adds it to the selection), the arrow keys
/// move the selection a grid step (Shift: five), and Delete removes it (the window-level
/// handler).
fn key_pressed(
    id: &str,
    ev: &ev::KeyboardEvent,
    ctx: CanvasCtx,
    doc: Doc,
    selection: RwSignal<Vec<String>>,
) {
    let id = id.to_string();
    let step = if ev.shift_key() { 5.0 * GRID } else { GRID };
    let (dx, dy) = match ev.key().as_str() {
        "Enter" | " " => {
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
}

/// What a node shows inside its group: its box in the live colour `fill`, its badge, name and
/// kind (with the instance count: during a run, an autoscaled tier's `live_instances`), the
/// bottleneck tag, and its ports.
fn node_body(
    n: &NodeSpec,
    fill: impl Fn() -> String + Send + Sync + 'static,
    bottleneck: Memo<Option<Option<f64>>>,
    live_instances: Memo<Option<u32>>,
    view_state: RwSignal<View>,
    ctx: CanvasCtx,
) -> impl IntoView {
    let kind = Kind::parse(&n.kind);
    let label = kind.map_or("?", crate::editor::palette_label);
    let configured = n
        .params
        .get("instances")
        .or_else(|| n.params.get("partitions"))
        .and_then(|v| v.as_u64());
    let autoscaled = n.params.get("autoscale").is_some_and(|v| !v.is_null());
    let sub = move || instances_text(label, configured, live_instances.get(), autoscaled);
    let can_call = kind.is_some_and(|k| {
        Kind::ALL
            .iter()
            .any(|t| scaleplay_sim::model::can_connect(k, *t).is_ok())
    });
    let can_be_called = kind.is_some_and(|k| k != Kind::Client);
    let id_port = n.id.clone();
    let (name, name_length) = fitted_label(n.shown_name(), NAME_FONT, LABEL_ROOM);
    view! {
        <rect class="node-box" width=NODE_W height=NODE_H rx="8" style:fill=fill/>
        <rect class="node-badge" x="6" y="14" width="28" height="24" rx="5"/>
        <text class="node-icon" x="20" y="30" text-anchor="middle">{kind.map_or("?", crate::editor::icon)}</text>
        <text class="node-name" x=LABEL_X y="22" lengthAdjust="spacingAndGlyphs"
            textLength=name_length>{name}</text>
        <text class="node-kind" x=LABEL_X y="40" lengthAdjust="spacingAndGlyphs"
            textLength=move || fitted_length(&sub(), KIND_FONT, LABEL_ROOM)>{sub}</text>
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
                        start_drag(&ev, view_state, ctx, |at| Drag::WireIn { to: id_in.clone(), at });
                    }/>
            }
        })}
        {can_call.then(|| view! {
            <circle class="port port-out" cx=NODE_W cy=NODE_H / 2.0 r="7" data-testid=format!("port-out-{}", id_port)
                on:pointerdown=move |ev: ev::PointerEvent| {
                    start_drag(&ev, view_state, ctx, |at| Drag::Wire { from: id_port.clone(), at });
                }/>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::instances_text;

    #[test]
    fn the_kind_line_counts_instances_serving() {
        // Before a run: the configured count.
        assert_eq!(instances_text("Server", Some(4), None, false), "Server ×4");
        assert_eq!(instances_text("Server", None, None, false), "Server");
        // All serving: as configured; some down: how many of them serve.
        assert_eq!(
            instances_text("Server", Some(4), Some(4), false),
            "Server ×4"
        );
        assert_eq!(
            instances_text("Server", Some(4), Some(3), false),
            "Server 3/4 up"
        );
        assert_eq!(
            instances_text("Server", Some(4), Some(0), false),
            "Server 0/4 up"
        );
        // One instance: the box's grey says it is down.
        assert_eq!(
            instances_text("SQL primary", None, Some(0), false),
            "SQL primary"
        );
        // An autoscaled tier counts those serving now, whatever it started with.
        assert_eq!(
            instances_text("Server", Some(3), Some(22), true),
            "Server ×22"
        );
        assert_eq!(instances_text("Server", Some(3), None, true), "Server ×3");
        assert_eq!(
            instances_text("Server", Some(3), Some(0), true),
            "Server ×0"
        );
    }
}
