//! The selected edge's panel: which node calls which, its one-way network delay (`latency_ms`,
//! empty for the default: 0.5 ms within a data center and to or from a DNS, 80 ms across), and
//! Delete.

use leptos::prelude::*;
use scaleplay_sim::model::{CROSS_DC_MS, SAME_DC_MS};

use super::{fields, messages, number_input, row};
use crate::editor::edits::Edit;
use crate::state::{Analysis, Doc, EdgeSelection};

/// The panel of the edge `from → to`.
#[component]
pub fn EdgeInspector(from: String, to: String) -> impl IntoView {
    let doc = expect_context::<Doc>();
    let analysis = expect_context::<Analysis>().0;
    let edge = expect_context::<EdgeSelection>().0;
    let (from, to) = (StoredValue::new(from), StoredValue::new(to));
    // A node's display name, or its id when it has none.
    let name = move |id: StoredValue<String>| {
        doc.scenario.with(|s| {
            id.with_value(|id| {
                s.node(id)
                    .map_or_else(|| id.clone(), |n| n.shown_name().to_string())
            })
        })
    };
    let latency = Signal::derive(move || {
        doc.scenario.with(|s| {
            s.edges
                .iter()
                .find(|e| from.with_value(|f| e.from == *f) && to.with_value(|t| e.to == *t))
                .and_then(|e| e.latency_ms)
                .map(fields::fmt_num)
                .unwrap_or_default()
        })
    });
    // The default the engine uses when the field is empty: 0.5 ms within a data center and
    // to or from a DNS (which is near its users), 80 ms across.
    let default_is = Memo::new(move |_| {
        doc.scenario.with(|s| {
            let node = |id: StoredValue<String>| id.with_value(|id| s.node(id).cloned());
            let (a, b) = (node(from), node(to));
            let dns = |n: &Option<scaleplay_sim::scenario::NodeSpec>| {
                n.as_ref().is_some_and(|n| n.kind == "dns")
            };
            let dc =
                |n: &Option<scaleplay_sim::scenario::NodeSpec>| n.as_ref().map(|n| n.dc.clone());
            if dns(&a) || dns(&b) {
                EdgeDefault::Dns
            } else if dc(&a) == dc(&b) {
                EdgeDefault::SameDc
            } else {
                EdgeDefault::CrossDc
            }
        })
    });
    let placeholder = Signal::derive(move || {
        fields::fmt_num(match default_is.get() {
            EdgeDefault::CrossDc => CROSS_DC_MS,
            _ => SAME_DC_MS,
        })
    });
    let input = number_input(
        "edge-latency".into(),
        false,
        latency,
        placeholder,
        move |v| {
            // Nothing to edit once the panel is gone (see `commit_fields_on_outside_press`).
            if let (Some(from), Some(to)) = (from.try_get_value(), to.try_get_value()) {
                doc.apply(Edit::SetEdgeLatency {
                    from,
                    to,
                    latency_ms: v.as_f64(),
                })
            }
        },
    );
    let errors = Memo::new(move |_| {
        analysis.with(|a| {
            from.with_value(|f| to.with_value(|t| fields::edge_messages(&a.problems, f, t)))
        })
    });
    let delete = move |_| {
        doc.apply(Edit::Delete {
            nodes: Vec::new(),
            edges: vec![(from.get_value(), to.get_value())],
        });
        edge.set(None);
        crate::panels::focus::refocus_if_lost(&["[data-testid=canvas]"]);
    };
    view! {
        <div class="edge-inspector" data-testid="inspector-edge">
            <h2>"Call"</h2>
            <p class="edge-ends" data-testid="edge-ends">
                {move || name(from)} " → " {move || name(to)}
            </p>
            {row("latency_ms", input, "ms", messages(errors, "edge-latency-error".into()))}
            <p class="hint">{move || match default_is.get() {
                EdgeDefault::SameDc => format!("Empty: {SAME_DC_MS} ms, as within one data center."),
                EdgeDefault::CrossDc => format!("Empty: {CROSS_DC_MS} ms, as between two data centers."),
                EdgeDefault::Dns => format!("Empty: {SAME_DC_MS} ms, as a DNS is near its users. A client sent to another data center than its own also pays the distance between the two."),
            }}</p>
            <button data-testid="edge-delete" on:click=delete>"Delete call"</button>
        </div>
    }
}

/// Which latency an edge gets when its field is empty.
#[derive(Clone, Copy, PartialEq, Eq)]
enum EdgeDefault {
    SameDc,
    CrossDc,
    /// To or from a DNS: near its users, wherever it is drawn.
    Dns,
}
