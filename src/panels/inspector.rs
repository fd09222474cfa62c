//! The inspector: the selected node's params (each a typed input with its unit and an inline
//! message when invalid), or the scenario settings when nothing is selected; plus the list of
//! validation problems.

use leptos::prelude::*;
use scaleplay_sim::params::{param_names, COMMON_PARAMS};
use scaleplay_sim::scenario::Kind;
use serde_json::Value;

use crate::editor::edits::{Edit, NodeField, Setting};
use crate::state::{Analysis, Doc, Selection};

/// The right-hand panel.
#[component]
pub fn Inspector() -> impl IntoView {
    let selection = expect_context::<Selection>().0;
    view! {
        <aside class="inspector" data-testid="inspector">
            {move || match selection.get().as_slice() {
                [one] => view! { <NodeInspector id=one.clone()/> }.into_any(),
                [] => view! { <ScenarioSettings/> }.into_any(),
                many => view! { <p class="hint">{format!("{} nodes selected", many.len())}</p> }.into_any(),
            }}
            <Problems/>
        </aside>
    }
}

/// Text of a param value as shown in its input.
fn show(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Parses what a person typed: a number, true/false, JSON, or else a plain string.
fn parse_input(text: &str) -> Value {
    let t = text.trim();
    if t.is_empty() {
        return Value::Null;
    }
    serde_json::from_str(t).unwrap_or_else(|_| Value::String(t.to_string()))
}

#[component]
fn NodeInspector(id: String) -> impl IntoView {
    let doc = expect_context::<Doc>();
    let analysis = expect_context::<Analysis>().0;
    let Some(node) = doc.0.with_untracked(|s| s.node(&id).cloned()) else {
        return view! { <p class="hint">"Nothing selected"</p> }.into_any();
    };
    let kind = Kind::parse(&node.kind);
    let names: Vec<&'static str> = kind
        .map(|k| {
            param_names(k)
                .iter()
                .chain(COMMON_PARAMS.iter())
                .copied()
                .collect()
        })
        .unwrap_or_default();
    let rows = names
        .into_iter()
        .map(|name| {
            let (id_value, id_problem, id_set) = (id.clone(), id.clone(), id.clone());
            let value = move || doc.0.with(|s| show(s.node(&id_value).and_then(|n| n.params.get(name))));
            let problem = move || {
                analysis.with(|a| {
                    a.problems
                        .iter()
                        .find(|p| p.node.as_deref() == Some(id_problem.as_str()) && p.field.as_deref().is_some_and(|f| f == name || f.starts_with(&format!("{name}."))))
                        .map(|p| p.message.clone())
                })
            };
            view! {
                <label class="param">
                    <span class="param-name">{name}</span>
                    <input type="text" data-testid=format!("param-{name}") placeholder="default"
                        prop:value=value
                        on:change=move |ev| doc.apply(Edit::SetParam { node: id_set.clone(), key: name.to_string(), value: parse_input(&event_target_value(&ev)) })/>
                    {move || problem().map(|m| view! { <span class="param-error">{m}</span> })}
                </label>
            }
        })
        .collect_view();
    let (id_name, id_dc) = (id.clone(), id.clone());
    view! {
        <h2>{format!("{} ({})", node.name, node.kind)}</h2>
        <label class="param"><span class="param-name">"name"</span>
            <input type="text" data-testid="node-name" prop:value=node.name.clone()
                on:change=move |ev| doc.apply(Edit::SetNodeField { node: id_name.clone(), field: NodeField::Name, value: event_target_value(&ev) })/></label>
        <label class="param"><span class="param-name">"dc"</span>
            <input type="text" data-testid="node-dc" prop:value=node.dc.clone()
                on:change=move |ev| doc.apply(Edit::SetNodeField { node: id_dc.clone(), field: NodeField::Dc, value: event_target_value(&ev) })/></label>
        {rows}
    }
    .into_any()
}

#[component]
fn ScenarioSettings() -> impl IntoView {
    let doc = expect_context::<Doc>();
    let field = move |label: &'static str,
                      testid: &'static str,
                      setting: Setting,
                      get: fn(&scaleplay_sim::Scenario) -> String| {
        view! {
            <label class="param"><span class="param-name">{label}</span>
                <input type="text" data-testid=testid prop:value=move || doc.0.with(get)
                    on:change=move |ev| doc.apply(Edit::SetSetting { setting, value: parse_input(&event_target_value(&ev)) })/></label>
        }
    };
    view! {
        <h2>"Scenario"</h2>
        {field("name", "scenario-name", Setting::Name, |s| s.name.clone())}
        {field("seed", "scenario-seed", Setting::Seed, |s| s.seed.to_string())}
        {field("duration (s)", "scenario-duration", Setting::Duration, |s| s.duration_s.to_string())}
        {field("warm-up (s)", "scenario-warmup", Setting::Warmup, |s| s.warmup_s.to_string())}
        {field("SLO p99 (ms)", "scenario-slo-p99", Setting::SloP99, |s| s.slo.p99_ms.map(|v| v.to_string()).unwrap_or_default())}
        {field("SLO availability", "scenario-slo-availability", Setting::SloAvailability, |s| s.slo.availability.map(|v| v.to_string()).unwrap_or_default())}
        {move || doc.0.with(|s| (!s.notes.is_empty()).then(|| view! { <p class="notes" data-testid="notes">{s.notes.clone()}</p> }))}
    }
}

/// Every validation problem; the Run button stays disabled while there are any.
#[component]
fn Problems() -> impl IntoView {
    let analysis = expect_context::<Analysis>().0;
    move || {
        analysis.with(|a| {
            (!a.problems.is_empty()).then(|| {
                let items = a
                    .problems
                    .iter()
                    .map(|p| view! { <li>{p.to_string()}</li> })
                    .collect_view();
                view! {
                    <div class="problems" data-testid="validation">
                        <h3>{format!("{} problem(s) to fix before running", a.problems.len())}</h3>
                        <ul>{items}</ul>
                    </div>
                }
            })
        })
    }
}
