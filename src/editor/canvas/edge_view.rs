//! One call drawn on the canvas: its wire, its hover text (the latency), and selecting it by
//! pointer or keyboard.

use leptos::ev;
use leptos::prelude::*;

use super::{drawn_position, CanvasCtx};
use crate::editor::geometry::{self, in_port, out_port};
use crate::state::{Doc, Selection};

/// One edge; only its own path updates while nodes move.
#[component]
pub(super) fn EdgeView(from: String, to: String, ctx: CanvasCtx) -> impl IntoView {
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
    // nodes), Enter or Space selects it, and Delete removes it (the window-level handler).
    view! {
        <g class="edge" class:selected=is_sel data-testid=format!("edge-{from}-{to}")
            tabindex="0" role="button" aria-label=label aria-pressed=move || is_sel.get().to_string()
            on:keydown={
                let select = select.clone();
                move |ev: ev::KeyboardEvent| {
                    if matches!(ev.key().as_str(), "Enter" | " ") {
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
