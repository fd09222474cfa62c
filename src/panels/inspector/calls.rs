//! The selected node's calls: the nodes it calls, each a button that selects that call (whose
//! own panel edits its latency or deletes it), and a list to add a call to any node it can
//! call (picked in a list, added with a button). With the canvas's drag from a port, this is
//! how a call is made; this one works from the keyboard too.

use leptos::prelude::*;
use scaleplay_sim::model::can_connect;
use scaleplay_sim::scenario::{Kind, Scenario};

use crate::editor::edits::{calls_back, Edit};
use crate::state::{Doc, EdgeSelection, Selection};

/// The calls of node `id`: (callee id, callee name), in edge order.
fn calls_of(s: &Scenario, id: &str) -> Vec<(String, String)> {
    s.edges
        .iter()
        .filter(|e| e.from == id)
        .map(|e| {
            let name = s
                .node(&e.to)
                .map_or(e.to.clone(), |n| n.shown_name().to_string());
            (e.to.clone(), name)
        })
        .collect()
}

/// Who calls node `id`, in words, when anyone does: "Called by Web 1, Web 2." and, for a
/// replica, "Replicated from Primary." (a primary's call to its replica is replication, not
/// a request). A replica's panel said only "It calls nothing yet".
fn callers_text(s: &Scenario, id: &str) -> Option<String> {
    let this = s.node(id).and_then(|n| Kind::parse(&n.kind));
    let (mut callers, mut sources) = (Vec::new(), Vec::new());
    for e in s.edges.iter().filter(|e| e.to == id) {
        let Some(from) = s.node(&e.from) else {
            continue;
        };
        let name = from.shown_name().to_string();
        if this == Some(Kind::SqlReplica) && Kind::parse(&from.kind) == Some(Kind::SqlPrimary) {
            sources.push(name);
        } else {
            callers.push(name);
        }
    }
    let mut said = Vec::new();
    if !sources.is_empty() {
        // Reads reach a replica through its primary's edge when their server calls none.
        let read_by = if callers.is_empty() {
            ", which sends it its callers' reads"
        } else {
            ""
        };
        said.push(format!("Replicated from {}{read_by}.", sources.join(", ")));
    }
    if !callers.is_empty() {
        said.push(format!("Called by {}.", callers.join(", ")));
    }
    (!said.is_empty()).then(|| said.join(" "))
}

/// What the panel says of a node that calls nothing: whether it could.
fn calls_nothing_text(kind: Option<Kind>) -> &'static str {
    let can_call = kind.is_some_and(|k| Kind::ALL.iter().any(|t| can_connect(k, *t).is_ok()));
    if can_call {
        "It calls nothing yet."
    } else {
        "It calls nothing: this kind only answers calls."
    }
}

/// The nodes `id` could call and does not yet, leaving out those that would close a loop
/// (validation refuses cycles): (id, "name (kind)").
fn callable_from(s: &Scenario, id: &str) -> Vec<(String, String)> {
    let Some(from) = s.node(id).and_then(|n| Kind::parse(&n.kind)) else {
        return Vec::new();
    };
    s.nodes
        .iter()
        .filter(|n| n.id != id)
        .filter(|n| !s.edges.iter().any(|e| e.from == id && e.to == n.id))
        .filter(|n| calls_back(s, id, &n.id).is_none())
        .filter_map(|n| {
            let kind = Kind::parse(&n.kind)?;
            can_connect(from, kind).ok()?;
            Some((
                n.id.clone(),
                format!(
                    "{} ({})",
                    n.shown_name(),
                    crate::editor::palette_label(kind)
                ),
            ))
        })
        .collect()
}

fn focus_edge_latency() {
    crate::panels::focus::focus_first(&["[data-testid=edge-latency]"]);
}

/// The calls section of a node's panel.
#[component]
pub fn Calls(node: StoredValue<String>) -> impl IntoView {
    let doc = expect_context::<Doc>();
    let selection = expect_context::<Selection>().0;
    let edge = expect_context::<EdgeSelection>().0;
    let calls = Memo::new(move |_| doc.scenario.with(|s| node.with_value(|id| calls_of(s, id))));
    let callers = Memo::new(move |_| {
        doc.scenario
            .with(|s| node.with_value(|id| callers_text(s, id)))
    });
    let nothing = Memo::new(move |_| {
        doc.scenario.with(|s| {
            node.with_value(|id| calls_nothing_text(s.node(id).and_then(|n| Kind::parse(&n.kind))))
        })
    });
    let options = Memo::new(move |_| {
        doc.scenario
            .with(|s| node.with_value(|id| callable_from(s, id)))
    });
    // The node picked in the list, added by the button.
    let chosen = RwSignal::new(String::new());
    let list = move || {
        calls
            .get()
            .into_iter()
            .map(|(to, name)| {
                let from = node.get_value();
                let testid = format!("call-{to}");
                view! {
                    <li><button class="link" data-testid=testid title="Select this call: its latency, or delete it"
                        on:click=move |_| {
                            selection.set(Vec::new());
                            edge.set(Some((from.clone(), to.clone())));
                            // The button goes with this panel: carry focus to the call's own
                            // panel (its latency), not back to the top of the page.
                            request_animation_frame(focus_edge_latency);
                        }>{name}</button></li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="calls" data-testid="calls">
            <h3>"Calls"</h3>
            {move || callers.get().map(|text| view! { <p class="hint" data-testid="callers">{text}</p> })}
            {move || calls.with(Vec::is_empty).then(|| view! { <p class="hint">{nothing.get()}</p> })}
            <ul class="call-list">{list}</ul>
            // Choosing only picks; the button adds. (A select fires `change` at each arrow key
            // while closed, so adding on change wired whichever node the arrows passed.)
            {move || (!options.with(Vec::is_empty)).then(|| view! {
                <div class="add-call">
                    <label class="param">
                        <span class="param-name">"add a call to"</span>
                        <select data-testid="add-call"
                            prop:value=move || chosen.get()
                            on:change=move |ev| chosen.set(event_target_value(&ev))>
                            <option value="">"choose a node…"</option>
                            {options.get().into_iter().map(|(id, label)| view! {
                                <option value=id>{label}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <button data-testid="add-call-button" disabled=move || chosen.with(String::is_empty)
                        on:click=move |_| {
                            let to = chosen.get_untracked();
                            if !to.is_empty() {
                                chosen.set(String::new());
                                let added = format!("[data-testid=call-{to}]");
                                doc.apply(Edit::Connect { from: node.get_value(), to });
                                // The list is drawn again without the node just called, and
                                // the button goes off: the focus fell to the top of the page.
                                // Back to the list for the next call, or, when nothing is left
                                // to call, to the call just added.
                                request_animation_frame(move || {
                                    crate::panels::focus::focus_first(&["[data-testid=add-call]", &added]);
                                });
                            }
                        }>"Add call"</button>
                </div>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::{callable_from, callers_text, calls_nothing_text, calls_of};
    use scaleplay_sim::scenario::Kind;

    #[test]
    fn a_node_lists_its_calls_and_what_it_could_call() {
        let preset = scaleplay_sim::presets::find("03").expect("preset 03");
        let s = scaleplay_sim::validate::parse(preset.json).expect("parses");
        let lb_calls: Vec<String> = calls_of(&s, "lb").into_iter().map(|c| c.0).collect();
        assert_eq!(lb_calls, ["web1", "web2", "web3"]);
        // The balancer already calls every server; a client is never called.
        let more: Vec<String> = callable_from(&s, "lb").into_iter().map(|c| c.0).collect();
        assert!(
            !more.iter().any(|id| id.starts_with("web") || id == "users"),
            "{more:?}"
        );
        // web1 already calls the database.
        assert!(!callable_from(&s, "web1").iter().any(|(id, _)| id == "db"));
        assert!(callable_from(&s, "users").iter().any(|(id, _)| id == "lb"));
        // A server may call a balancer, but not the one in front of it: that closes a loop.
        assert!(!callable_from(&s, "web1").iter().any(|(id, _)| id == "lb"));
    }

    #[test]
    fn a_node_says_who_calls_it_and_a_replica_what_it_replicates() {
        let preset = scaleplay_sim::presets::find("04").expect("preset 04");
        let s = scaleplay_sim::validate::parse(preset.json).expect("parses");
        let replica = callers_text(&s, "replica1").expect("a replica is fed and read");
        assert_eq!(
            replica,
            "Replicated from Primary, which sends it its callers' reads."
        );
        let primary = callers_text(&s, "primary").expect("the web tier calls the primary");
        assert!(primary.starts_with("Called by "), "{primary}");
        assert_eq!(callers_text(&s, "users"), None, "nothing calls a client");
        assert_eq!(
            calls_nothing_text(Some(Kind::SqlReplica)),
            "It calls nothing: this kind only answers calls."
        );
        assert_eq!(
            calls_nothing_text(Some(Kind::Server)),
            "It calls nothing yet."
        );
    }
}
