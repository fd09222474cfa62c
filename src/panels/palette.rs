//! The palette: every component kind, added by click/Enter (at the centre of the view) or by
//! dragging onto the canvas (the canvas handles the drop, see `editor::canvas`).

use leptos::prelude::*;
use scaleplay_sim::scenario::Kind;

use crate::editor::edits::Edit;
use crate::editor::{icon, palette_label};
use crate::state::{Doc, Selection, ViewState};

/// A palette item being dragged towards the canvas: its kind and where the pointer is now,
/// and where it was pressed (a release near there is a tap, not a drop).
#[derive(Clone, Copy)]
pub struct PaletteDrag(
    pub RwSignal<Option<(Kind, f64, f64)>>,
    pub StoredValue<(f64, f64)>,
);

/// Adds a node of `kind` to the right of the one node selected (the one added just before,
/// say), else at the centre of the canvas's visible area; or the nearest free spot (see
/// [`free_spot`](crate::editor::geometry::free_spot)). The view follows it if it lands out of
/// sight. Then selects it, so the inspector shows it at once. Clicking Users, DNS, a balancer
/// and a server in turn lays them out left to right, as they call each other (each from the
/// centre, they went round it, the second to the left of the first).
pub fn add_by_click(kind: Kind, doc: Doc, view: ViewState, selection: Selection) {
    use crate::editor::geometry::{beside, free_spot, snap};
    let shown = view.0.get_untracked();
    let (w, h) = crate::editor::canvas::canvas_size();
    let selected = selection.0.with_untracked(|sel| match sel.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    });
    let next_to_selected = selected.as_ref().and_then(|one| {
        doc.scenario
            .with_untracked(|s| s.node(one).map(|n| beside(n.x, n.y)))
    });
    let (x, y) = next_to_selected.unwrap_or_else(|| {
        let (x, y) = shown.to_canvas(w / 2.0, h / 2.0);
        (snap(x - 60.0), snap(y - 20.0))
    });
    let taken: Vec<(f64, f64)> = doc
        .scenario
        .with_untracked(|s| s.nodes.iter().map(|n| (n.x, n.y)).collect());
    let (x, y) = free_spot(&taken, x, y);
    let followed = shown.showing((x, y), (w, h));
    if followed != shown {
        view.0.set(followed);
    }
    let before = doc.scenario.with_untracked(|s| s.nodes.len());
    // Beside the selected node, it joins that node's data center unless it lands in a frame.
    let near = next_to_selected.and(selected);
    doc.apply(Edit::AddNode { kind, x, y, near });
    let added = doc
        .scenario
        .with_untracked(|s| (s.nodes.len() > before).then(|| s.nodes[before].id.clone()));
    if let Some(id) = added {
        selection.0.set(vec![id]);
    }
}

/// The list of kinds on the left.
#[component]
pub fn Palette() -> impl IntoView {
    let PaletteDrag(drag, pressed_at) = expect_context::<PaletteDrag>();
    let doc = expect_context::<Doc>();
    let view = expect_context::<ViewState>();
    let selection = expect_context::<Selection>();
    let items = Kind::ALL
        .into_iter()
        .map(|kind| {
            view! {
                <li>
                    <button
                        class="palette-item"
                        data-testid=format!("palette-{}", kind.as_str())
                        title=format!(
                            "{}\n\nDrag onto the canvas, or click to add one.",
                            scaleplay_sim::reference::plain(scaleplay_sim::reference::kind_help(kind))
                        )
                        on:pointerdown=move |ev| {
                            if ev.button() == 0 {
                                let at = (ev.client_x() as f64, ev.client_y() as f64);
                                pressed_at.set_value(at);
                                drag.set(Some((kind, at.0, at.1)));
                            }
                        }
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" || ev.key() == " " {
                                ev.prevent_default();
                                add_by_click(kind, doc, view, selection);
                                // From the keyboard, on to the new node's panel (its name
                                // first): it was a long way off by Tab, past every node and
                                // call on the canvas.
                                leptos::leptos_dom::helpers::request_animation_frame(|| {
                                    crate::panels::focus::focus_first(&["[data-testid=node-name]"]);
                                });
                            }
                        }
                    >
                        <span class="icon" aria-hidden="true">{icon(kind)}</span>
                        <span class="label">{palette_label(kind)}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="palette" aria-label="Components">
            <h2>"Components"</h2>
            <ul>{items}</ul>
        </nav>
    }
}
