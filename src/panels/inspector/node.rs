//! The selected node's panel: name and data center, every param of its kind as a typed control,
//! params the kind does not know (from an imported file) with a way to drop them, its calls,
//! its fault schedule, and its figures from the latest report.
//!
//! Every control reads the doc (so undo and preset loads show through) and writes one
//! [`Edit::SetParam`]. Structural switches (which dist fields show, autoscale on/off) sit behind
//! memos of a bool, so typing in one input never rebuilds the input next to it.

use leptos::prelude::*;
use scaleplay_sim::reference;
use scaleplay_sim::scenario::{Kind, NodeSpec};
use serde_json::Value;

use super::fields::{self, Control, Field};
use super::{messages, number_input, row, typed_input};
use crate::editor::edits::{Edit, NodeField};
use crate::editor::palette_label;
use crate::runner::Run;
use crate::state::{Analysis, Doc, Selection, ShelvedAutoscale};

/// The panel of node `id`; a hint if it no longer exists.
#[component]
pub fn NodeInspector(id: String) -> impl IntoView {
    let doc = expect_context::<Doc>();
    let node = StoredValue::new(id);
    // Some(kind) while the node exists; the kind itself is None when the file names no kind we
    // know (validation says so; name and dc stay editable).
    let kind = Memo::new(move |_| {
        doc.scenario
            .with(|s| node.with_value(|id| s.node(id).map(|n| Kind::parse(&n.kind))))
    });
    move || match kind.get() {
        Some(kind) => node_panel(node, kind).into_any(),
        None => view! { <p class="hint">"Nothing selected"</p> }.into_any(),
    }
}

/// The node's current value of `name`.
fn param_memo(doc: Doc, node: StoredValue<String>, name: &'static str) -> Memo<Option<Value>> {
    Memo::new(move |_| {
        doc.scenario
            .with(|s| node.with_value(|id| s.node(id).and_then(|n| n.params.get(name).cloned())))
    })
}

/// Writes `value` to the param `key`; `Null` (an emptied input) removes it, so the default
/// applies.
fn set_param(doc: Doc, node: StoredValue<String>, key: &str, value: Value) {
    let value = (!value.is_null()).then_some(value);
    // A control's event after its panel was disposed (see
    // `inspector::commit_fields_on_outside_press`) has no node left to edit.
    let Some(node) = node.try_get_value() else {
        return;
    };
    doc.apply(Edit::SetParam {
        node,
        key: key.to_string(),
        value,
    });
}

/// Stores an explicit `null` in the param `key` (for `ttl_s`: never expire).
fn set_param_null(doc: Doc, node: StoredValue<String>, key: &str) {
    let Some(node) = node.try_get_value() else {
        return;
    };
    doc.apply(Edit::SetParam {
        node,
        key: key.to_string(),
        value: Some(Value::Null),
    });
}

/// The problems of this node about `field`: exactly, or with its parts (`mix.read`).
fn problems(node: StoredValue<String>, field: String, exact: bool) -> Memo<Vec<String>> {
    let analysis = expect_context::<Analysis>().0;
    Memo::new(move |_| {
        analysis.with(|a| {
            node.with_value(|id| {
                if exact {
                    fields::messages_exact(&a.problems, id, &field)
                } else {
                    fields::messages_for(&a.problems, id, &field)
                }
            })
        })
    })
}

/// The inline messages under param `name` (and its parts), as `param-<name>-error`.
fn param_messages(node: StoredValue<String>, name: &'static str) -> impl IntoView {
    messages(
        problems(node, name.into(), false),
        format!("param-{name}-error"),
    )
}

fn node_panel(node: StoredValue<String>, kind: Option<Kind>) -> impl IntoView {
    let doc = expect_context::<Doc>();
    let text = move |get: fn(&NodeSpec) -> String| {
        Signal::derive(move || {
            doc.scenario
                .with(|s| node.with_value(|id| s.node(id).map(get).unwrap_or_default()))
        })
    };
    let (name, dc) = (text(|n| n.name.clone()), text(|n| n.dc.clone()));
    let set_field = move |field: NodeField| {
        move |ev: leptos::ev::Event| {
            if let Some(node) = node.try_get_value() {
                // A tab pasted in turns into a space, as a pasted line break does (the field
                // itself does that): left as it was, it held the run back as a control
                // character.
                doc.apply(Edit::SetNodeField {
                    node,
                    field,
                    value: event_target_value(&ev).replace('\t', " "),
                })
            }
        }
    };
    let title = match kind {
        Some(k) => palette_label(k).to_string(),
        None => "Unknown kind".to_string(),
    };
    let params = kind.map(|k| {
        let profile = param_memo(doc, node, "profile");
        fields::fields(k)
            .into_iter()
            .map(|f| match fields::only_for_profile(k, f.name) {
                // Shown with its profile only: a constant client has no ramp to set.
                Some(needed) => {
                    let other = move || {
                        profile.with(|p| fields::choice_text(p.as_ref(), &"constant".into()))
                            != needed
                    };
                    view! {
                        <div class="profile-param" class:hidden=other>{param_view(node, k, f)}</div>
                    }
                    .into_any()
                }
                None => param_view(node, k, f),
            })
            .collect_view()
    });
    let has_instances = kind.is_some_and(|k| {
        scaleplay_sim::params::param_names(k)
            .iter()
            .any(|p| *p == "instances" || *p == "partitions")
    });
    let analysis = expect_context::<Analysis>().0;
    let idle = move || {
        let why = analysis.with(|a| {
            node.with_value(|id| a.idle.iter().find(|n| n.id == *id).map(|n| n.long.clone()))
        });
        why.map(|why| {
            view! {
                <p class="hint idle-note" data-testid="node-idle">{why}</p>
            }
        })
    };
    // Settings written for nothing, such as a spike on a constant profile (the panel hides
    // the other profiles' params, but a file or an earlier choice may have set them).
    let ignored = move || {
        analysis.with(|a| {
            node.with_value(|id| {
                a.ignored
                    .iter()
                    .filter(|p| p.node.as_deref() == Some(id.as_str()))
                    .map(|p| {
                        let m = p.message.clone();
                        view! { <p class="hint idle-note" data-testid="node-ignored">{m}</p> }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <div class="node-inspector" data-testid="inspector-node">
            <h2>{title}</h2>
            {kind.map(|k| view! { <p class="hint kind-help" data-testid="kind-help">{reference::plain(reference::kind_help(k))}</p> })}
            <p class="node-id">"id " <code data-testid="inspector-node-id">{node.get_value()}</code></p>
            {idle}
            {ignored}
            {row("name", view! {
                <input type="text" data-testid="node-name" maxlength="200" prop:value=move || name.get()
                    on:change=set_field(NodeField::Name)/>
            }, "", messages(problems(node, "name".into(), true), "node-name-error".into()))}
            {row("dc", view! {
                <input type="text" data-testid="node-dc" maxlength="64" prop:value=move || dc.get()
                    on:change=set_field(NodeField::Dc)/>
            }, "", messages(problems(node, "dc".into(), true), "node-dc-error".into()))}
            <h3>"Params"</h3>
            <div class="params" data-testid="params">{params}</div>
            {kind.map(|k| unknown_params(node, k))}
            <super::calls::Calls node=node/>
            <super::faults::FaultSchedule node=node has_instances=has_instances/>
            <NodeMetrics node=node/>
            {node_actions(node)}
        </div>
    }
}

/// Duplicate and Delete for the node shown: what Ctrl+D and Delete do on the canvas, for a
/// mouse or a touch screen.
fn node_actions(node: StoredValue<String>) -> impl IntoView {
    use crate::panels::focus::refocus_if_lost;
    let doc = expect_context::<Doc>();
    let selection = expect_context::<Selection>().0;
    let duplicate = move |_| {
        if let Some(id) = node.try_get_value() {
            crate::editor::clipboard::duplicate(doc, selection, &[id]);
            // The panel is the copy's now: its own Duplicate, to make another.
            refocus_if_lost(&["[data-testid=node-duplicate]"]);
        }
    };
    let delete = move |_| {
        if let Some(id) = node.try_get_value() {
            crate::editor::clipboard::delete_and_deselect(doc, selection, vec![id]);
            // As after the Delete key: the canvas, where the node was.
            refocus_if_lost(&["[data-testid=canvas]"]);
        }
    };
    view! {
        <p class="node-actions">
            <button data-testid="node-duplicate" title="A copy beside it, with the same params (Ctrl+D)"
                on:click=duplicate>"Duplicate"</button>
            <button data-testid="node-delete" title="Delete it with its calls and faults (Delete)"
                on:click=delete>"Delete"</button>
        </p>
    }
}

/// The control of one param, with what it means (the engine's reference) as its tooltip.
fn param_view(node: StoredValue<String>, kind: Kind, field: Field) -> AnyView {
    let name = field.name;
    let help = reference::plain(reference::param_help(kind, name).unwrap_or_default());
    super::help::with_help(name.to_string(), help, param_control(node, kind, field))
}

/// The control of one param: a number, a toggle, a choice, or a group of them.
fn param_control(node: StoredValue<String>, kind: Kind, field: Field) -> AnyView {
    let doc = expect_context::<Doc>();
    let Field {
        name,
        control,
        default,
    } = field;
    let current = param_memo(doc, node, name);
    let set = move |value: Value| set_param(doc, node, name, value);
    let testid = format!("param-{name}");
    match control {
        Control::Number { unit, integer } => {
            let value = Signal::derive(move || current.with(|v| fields::number_text(v.as_ref())));
            let input = number_input(
                testid.clone(),
                integer,
                value,
                Signal::stored(fields::placeholder(name, &default)),
                set,
            );
            let errors = param_messages(node, name);
            row(name, input, unit, errors).into_any()
        }
        Control::Toggle => {
            let on = move || current.with(|v| fields::toggle_on(v.as_ref(), &default));
            let input = view! {
                <input type="checkbox" data-testid=testid.clone() prop:checked=on
                    on:change=move |ev| set(Value::Bool(event_target_checked(&ev)))/>
            };
            let errors = param_messages(node, name);
            row(name, input, "", errors).into_any()
        }
        // Options read as their values (`ip_hash`), as the field's name does (`algorithm`):
        // the preset notes, the scenario file and the CLI all name them so.
        Control::Choice(options) => {
            let selected =
                Memo::new(move |_| current.with(|v| fields::choice_text(v.as_ref(), &default)));
            let input = view! {
                <select data-testid=testid.clone()
                    on:change=move |ev| set(Value::String(event_target_value(&ev)))>
                    {options.iter().map(|&o| view! {
                        <option value=o prop:selected=move || selected.with(|s| s == o)>{o}</option>
                    }).collect_view()}
                </select>
            };
            let errors = param_messages(node, name);
            row(name, input, "", errors).into_any()
        }
        Control::Lifetime => lifetime_view(node, name, current, default).into_any(),
        Control::Dist => dist_view(node, name, current, default).into_any(),
        Control::Mix => mix_view(node, current).into_any(),
        Control::Autoscale { on_depth } => autoscale_view(node, kind, current, on_depth).into_any(),
    }
}

/// A lifetime in seconds, and under it a box for "never expires" (an explicit `null`). Typing
/// a number unticks the box; unticking it drops back to the default lifetime.
fn lifetime_view(
    node: StoredValue<String>,
    name: &'static str,
    current: Memo<Option<Value>>,
    default: Value,
) -> impl IntoView {
    let doc = expect_context::<Doc>();
    let testid = format!("param-{name}");
    let never = Memo::new(move |_| current.with(|v| fields::never_expires(v.as_ref())));
    let value = Signal::derive(move || current.with(|v| fields::number_text(v.as_ref())));
    let placeholder = Signal::derive(move || {
        if never.get() {
            "never".to_string()
        } else {
            fields::placeholder(name, &default)
        }
    });
    let input = number_input(testid.clone(), false, value, placeholder, move |v| {
        set_param(doc, node, name, v)
    });
    let errors = param_messages(node, name);
    let never_box = view! {
        <input type="checkbox" data-testid=format!("{testid}-never") prop:checked=move || never.get()
            on:change=move |ev| {
                if event_target_checked(&ev) {
                    set_param_null(doc, node, name)
                } else {
                    set_param(doc, node, name, Value::Null)
                }
            }/>
    };
    view! {
        {row(name, input, fields::unit(Kind::Cache, name), errors)}
        {row("never expires", never_box, "", ())}
    }
}

/// A service-time distribution: its shape, then the numbers that shape takes.
fn dist_view(
    node: StoredValue<String>,
    name: &'static str,
    current: Memo<Option<Value>>,
    default: Value,
) -> impl IntoView {
    let doc = expect_context::<Doc>();
    let default = StoredValue::new(default);
    let set = move |value: Value| set_param(doc, node, name, value);
    let effective = Memo::new(move |_| {
        current.with(|v| default.with_value(|d| fields::dist_effective(v.as_ref(), d)))
    });
    let explicit = Memo::new(move |_| current.with(|v| fields::dist_view(v.as_ref())));
    let shape = Memo::new(move |_| effective.with(|e| e.dist.clone()));
    let select = view! {
        <select data-testid=format!("param-{name}-dist")
            on:change=move |ev| {
                let next = current.with_untracked(|v| default.with_value(|d| {
                    fields::dist_with_kind(v.as_ref(), d, &event_target_value(&ev))
                }));
                set(next);
            }>
            {fields::DISTS.iter().map(|&d| view! {
                <option value=d prop:selected=move || shape.with(|s| s == d)>{d}</option>
            }).collect_view()}
        </select>
    };
    let part = move |part: &'static str| {
        let shown = Memo::new(move |_| {
            shape.with(|s| match part {
                "mean" => s != "uniform",
                "cv" => s == "lognormal",
                _ => s == "uniform",
            })
        });
        let value = Signal::derive(move || {
            explicit.with(|e| {
                e.as_ref()
                    .and_then(|e| e.get(part))
                    .map(fields::fmt_num)
                    .unwrap_or_default()
            })
        });
        let placeholder = default.with_value(|d| {
            fields::dist_view(Some(d))
                .and_then(|d| d.get(part))
                .map(fields::fmt_num)
                .unwrap_or_else(|| {
                    if part == "cv" {
                        "1".into()
                    } else {
                        String::new()
                    }
                })
        });
        let unit = if part == "cv" { "" } else { "ms" };
        move || {
            shown.get().then(|| {
                // A uniform's bounds have no default, so their fields refuse empty text.
                let parse = if matches!(part, "min" | "max") {
                    fields::parse_bound
                } else {
                    fields::parse_number
                };
                let input = typed_input(
                    format!("param-{name}-{part}"),
                    false,
                    value,
                    Signal::stored(placeholder.clone()),
                    parse,
                    move |x| {
                        let next = current.with_untracked(|v| {
                            default.with_value(|d| fields::dist_with_field(v.as_ref(), d, part, &x))
                        });
                        set(next);
                    },
                );
                row(part, input, unit, ())
            })
        }
    };
    view! {
        <fieldset class="param-group" data-testid=format!("param-{name}")>
            <legend>{name}</legend>
            {row("dist", select, "", ())}
            {part("mean")}
            {part("cv")}
            {part("min")}
            {part("max")}
            {param_messages(node, name)}
        </fieldset>
    }
}

/// A client's request mix: four shares and their sum.
fn mix_view(node: StoredValue<String>, current: Memo<Option<Value>>) -> impl IntoView {
    let doc = expect_context::<Doc>();
    let sum = Memo::new(move |_| current.with(|v| fields::mix_sum(v.as_ref())));
    let off = move || (sum.get() - 1.0).abs() > 1e-6;
    let shares = fields::MIX_SHARES
        .into_iter()
        .map(|share| {
            let value = Signal::derive(move || {
                current.with(|v| fields::number_text(v.as_ref().and_then(|m| m.get(share))))
            });
            let placeholder = Signal::derive(move || {
                current.with(|v| fields::mix_placeholder(v.as_ref(), share))
            });
            let input = number_input(
                format!("param-mix-{share}"),
                false,
                value,
                placeholder,
                move |x| {
                    let next = current.with_untracked(|v| fields::mix_with(v.as_ref(), share, x));
                    set_param(doc, node, "mix", next);
                },
            );
            let field = format!("mix.{share}");
            let errors = messages(
                problems(node, field, true),
                format!("param-mix-{share}-error"),
            );
            row(share, input, "share", errors)
        })
        .collect_view();
    view! {
        <fieldset class="param-group" data-testid="param-mix">
            <legend>"mix"</legend>
            {shares}
            <p class="mix-sum" class:off=off data-testid="param-mix-sum">
                {move || format!("sum {}", fields::fmt_num((sum.get() * 1e6).round() / 1e6))}
            </p>
            {messages(problems(node, "mix".into(), true), "param-mix-error".into())}
        </fieldset>
    }
}

/// Autoscale: on/off, then the policy's numbers while on.
fn autoscale_view(
    node: StoredValue<String>,
    kind: Kind,
    current: Memo<Option<Value>>,
    on_depth: bool,
) -> impl IntoView {
    let doc = expect_context::<Doc>();
    let instances = param_memo(doc, node, "instances");
    let enabled = Memo::new(move |_| current.with(|v| matches!(v, Some(Value::Object(_)))));
    let defaults = fields::autoscale_defaults();
    let parts = move || {
        enabled.get().then(|| {
            fields::autoscale_fields(on_depth)
                .into_iter()
                .map(|part| {
                    let value = Signal::derive(move || {
                        current.with(|v| fields::number_text(v.as_ref().and_then(|a| a.get(part))))
                    });
                    let placeholder =
                        fields::placeholder(part, defaults.get(part).unwrap_or(&Value::Null));
                    let input = number_input(
                        format!("param-autoscale-{part}"),
                        matches!(part, "min" | "max"),
                        value,
                        Signal::stored(placeholder),
                        move |x| {
                            let next = current
                                .with_untracked(|v| fields::autoscale_with(v.as_ref(), part, x));
                            set_param(doc, node, "autoscale", next);
                        },
                    );
                    let errors = messages(
                        problems(node, format!("autoscale.{part}"), true),
                        format!("param-autoscale-{part}-error"),
                    );
                    let help =
                        reference::plain(reference::autoscale_help(part).unwrap_or_default());
                    super::help::with_help(
                        format!("autoscale-{part}"),
                        help,
                        row(part, input, fields::unit(kind, part), errors),
                    )
                })
                .collect_view()
        })
    };
    // Switched off, the policy is kept by node id (see `ShelvedAutoscale`: it outlives this
    // panel), and switching back on restores it: a preset's note may say "remove autoscale
    // and watch", and ticking the box again should give the preset back, not the defaults.
    let shelved = expect_context::<ShelvedAutoscale>().0;
    let toggle = view! {
        <input type="checkbox" data-testid="param-autoscale-enabled" prop:checked=move || enabled.get()
            on:change=move |ev| {
                let Some(id) = node.try_get_value() else {
                    return;
                };
                let next = if event_target_checked(&ev) {
                    shelved.with_value(|m| m.get(&id).cloned()).unwrap_or_else(|| {
                        instances.with_untracked(|i| fields::autoscale_enable(on_depth, i.as_ref()))
                    })
                } else {
                    if let Some(policy) = current.get_untracked() {
                        shelved.update_value(|m| {
                            m.insert(id, policy);
                        });
                    }
                    Value::Null
                };
                set_param(doc, node, "autoscale", next);
            }/>
    };
    view! {
        <fieldset class="param-group" data-testid="param-autoscale">
            <legend>"autoscale"</legend>
            {row("enabled", toggle, "", ())}
            {parts}
            {messages(problems(node, "autoscale".into(), true), "param-autoscale-error".into())}
        </fieldset>
    }
}

/// Params the node's kind does not take (an imported file's typo), each with its message and a
/// button to drop it.
fn unknown_params(node: StoredValue<String>, kind: Kind) -> impl IntoView {
    let doc = expect_context::<Doc>();
    let known: Vec<&'static str> = fields::fields(kind).iter().map(|f| f.name).collect();
    let extra = Memo::new(move |_| {
        doc.scenario.with(|s| {
            node.with_value(|id| {
                s.node(id)
                    .map(|n| {
                        n.params
                            .keys()
                            .filter(|k| !known.contains(&k.as_str()))
                            .cloned()
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
        })
    });
    move || {
        extra
            .get()
            .into_iter()
            .map(|key| {
                let remove = key.clone();
                let errors = messages(problems(node, key.clone(), false), format!("param-{key}-error"));
                // A div, not a label: a label would turn its whole text into the button.
                view! {
                    <div class="param param-unknown">
                        <span class="param-name">{key.clone()}</span>
                        <span class="param-control">
                            <button data-testid=format!("param-{key}-remove")
                                on:click=move |_| set_param(doc, node, &remove, Value::Null)>"Remove"</button>
                        </span>
                        {errors}
                    </div>
                }
            })
            .collect_view()
    }
}

/// The node's figures in the latest report.
#[component]
fn NodeMetrics(node: StoredValue<String>) -> impl IntoView {
    let run = expect_context::<Run>();
    let doc = expect_context::<Doc>();
    let rows = Memo::new(move |_| {
        run.report.with(|r| {
            node.with_value(|id| {
                r.as_ref().and_then(|r| {
                    let (shares, writes) = doc.scenario.with(|s| {
                        let shares = fields::target_shares(r, s, id);
                        (shares, fields::writes_taken_by(r, s, id))
                    });
                    r.nodes
                        .get(id)
                        .map(|n| {
                            let mut rows = fields::metric_rows(n, fields::has_workers(r, id));
                            rows.extend(fields::instances_down_row(r, id));
                            rows.extend(shares);
                            rows.extend(writes);
                            rows
                        })
                        .or_else(|| r.clients.get(id).map(fields::client_metric_rows))
                })
            })
        })
    });
    view! {
        <h3>"Latest run"</h3>
        {move || match rows.get() {
            Some(rows) => view! {
                <table class="node-metrics" data-testid="node-metrics">
                    <tbody>
                        {rows.into_iter().map(|m| view! {
                            <tr data-testid=format!("metric-{}", m.key)>
                                <th scope="row">{m.label}</th>
                                <td>{m.value}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
            None => view! { <p class="hint">"Run the simulation to see this node's figures."</p> }.into_any(),
        }}
        <super::node_chart::NodeChart node=node/>
    }
}
