//! One call drawn on the canvas: its wire, its hover text (the latency), and selecting it by
//! pointer or keyboard.
//!
//! The wire is drawn under the nodes (before them in the SVG), but its keyboard stop
//! ([`EdgeKey`]) comes after them: Tab visited every call before the first node, so a keyboard
//! or screen reader user met "call from users to dns" before "users". The stop is an outline of
//! the same wire, drawn only while it has the keyboard's focus, over the nodes.

use leptos::ev;
use leptos::prelude::*;

use super::{drawn_position, CanvasCtx};
use crate::editor::geometry::{self, in_port, out_port};
use crate::state::Selection;

/// The wire's path from `from`'s out port to `to`'s in port, as the nodes are drawn now.
/// One memo per view: its two paths read it, and it alone follows the nodes' positions.
fn wire(ctx: CanvasCtx, from: String, to: String) -> Memo<Option<String>> {
    Memo::new(move |_| {
        let a = drawn_position(ctx, &from)?;
        let b = drawn_position(ctx, &to)?;
        Some(geometry::wire(out_port(a.0, a.1), in_port(b.0, b.1)))
    })
}

/// Selects the call `key` (and no node).
fn select(ctx: CanvasCtx, selection: RwSignal<Vec<String>>, key: (String, String)) {
    ctx.selected_edge.set(Some(key));
    selection.set(Vec::new());
}

/// Whether the call `key` is the one selected.
fn selected(ctx: CanvasCtx, key: (String, String)) -> Memo<bool> {
    Memo::new(move |_| ctx.selected_edge.with(|s| s.as_ref() == Some(&key)))
}

/// One edge; only its own path updates while nodes move.
#[component]
pub(super) fn EdgeView(from: String, to: String, ctx: CanvasCtx) -> impl IntoView {
    let d = wire(ctx, from.clone(), to.clone());
    let key = (from.clone(), to.clone());
    // Hovering tells the delay; selecting shows it in the inspector.
    let key3 = key.clone();
    let title = move || match ctx.latencies.with(|l| l.get(&key3).copied().flatten()) {
        Some(ms) => format!("{} → {}: {ms} ms", key3.0, key3.1),
        None => format!("{} → {}: default latency", key3.0, key3.1),
    };
    let is_sel = selected(ctx, key.clone());
    // Read while the component is built: an event handler runs outside the reactive owner.
    let selection = expect_context::<Selection>().0;
    view! {
        <g class="edge" class:selected=is_sel data-testid=format!("edge-{from}-{to}")
            on:pointerdown=move |ev: ev::PointerEvent| {
                ev.stop_propagation();
                select(ctx, selection, key.clone());
            }>
            <title>{title}</title>
            <path class="edge-hit" d=d/>
            <path class="edge-line" d=d marker-end="url(#arrow)"/>
        </g>
    }
}

/// The keyboard's stop for one call, after every node (see the module docs): Tab reaches it,
/// Enter or Space selects the call, and Delete removes it (the window-level handler).
#[component]
pub(super) fn EdgeKey(from: String, to: String, ctx: CanvasCtx) -> impl IntoView {
    let selection = expect_context::<Selection>().0;
    let d = wire(ctx, from.clone(), to.clone());
    let key = (from.clone(), to.clone());
    let is_sel = selected(ctx, key.clone());
    let (lf, lt) = (from.clone(), to.clone());
    let label = move || {
        // By the shared names, not the scenario: typing a param relabels no call.
        let name = |id: &str| {
            ctx.names
                .with(|n| n.get(id).cloned())
                .unwrap_or_else(|| id.to_string())
        };
        format!("call from {} to {}", name(&lf), name(&lt))
    };
    view! {
        <path class="edge-key" data-testid=format!("edge-key-{from}-{to}") d=d
            tabindex="0" role="button" aria-label=label aria-pressed=move || is_sel.get().to_string()
            on:keydown=move |ev: ev::KeyboardEvent| {
                if matches!(ev.key().as_str(), "Enter" | " ") {
                    ev.prevent_default();
                    select(ctx, selection, key.clone());
                }
            }/>
    }
}
