//! The inspector: the selected node's params (each a typed input with its unit and an inline
//! message when invalid), its fault schedule and its figures from the latest run; or the
//! selected edge's latency; or the scenario settings and all faults when nothing is selected;
//! plus the list of validation problems.
//!
//! - [`fields`]: what each param's control is, its unit and default (pure, tested natively).
//! - [`node`]: the selected node's panel.
//! - [`edge`]: the selected edge's panel (its latency).
//! - [`faults`]: the node's fault schedule and "Fail now" / "Recover now".
//! - [`node_chart`]: the node's figures over time.

pub mod calls;
pub mod edge;
pub mod faults;
pub mod fields;
pub mod help;
pub mod node;
pub mod node_chart;

use leptos::prelude::*;
use scaleplay_sim::Scenario;
use serde_json::Value;
use wasm_bindgen::JsCast;

use crate::editor::edits::{Edit, Setting};
use crate::state::{Analysis, Doc, EdgeSelection, Selection};

/// The right-hand panel.
#[component]
pub fn Inspector() -> impl IntoView {
    let selection = expect_context::<Selection>().0;
    let edge = expect_context::<EdgeSelection>().0;
    // A new selection starts at the top of the panel, where its kind, id and name are: kept
    // scrolled down from the last one, it showed some other node's lower fields unlabelled.
    let panel = NodeRef::<leptos::html::Aside>::new();
    Effect::new(move |_| {
        selection.track();
        edge.track();
        if let Some(el) = panel.get_untracked() {
            el.set_scroll_top(0);
        }
    });
    // Whether the notes folded above a selection are open: kept from one selection to the
    // next, as a learner reads them step by step.
    let notes_open = RwSignal::new(false);
    view! {
        <aside class="inspector" data-testid="inspector" node_ref=panel>
            // First: with a node selected, a list under its panel was out of sight, and Run
            // greyed out with no visible reason.
            <ProblemsSaid/>
            <Problems/>
            {move || {
                let selected = !selection.with(Vec::is_empty) || edge.with(Option::is_some);
                selected.then(|| view! { <FoldedNotes open=notes_open/> })
            }}
            {move || match (selection.get().as_slice(), edge.get()) {
                ([one], _) => view! { <node::NodeInspector id=one.clone()/> }.into_any(),
                ([], Some((from, to))) => view! { <edge::EdgeInspector from=from to=to/> }.into_any(),
                ([], None) => view! { <ScenarioSettings/> }.into_any(),
                (many, _) => many_selected(many.to_vec()).into_any(),
            }}
        </aside>
    }
}

/// Several nodes selected: how many, and Delete, Duplicate and Copy for them all, what the
/// Delete key, Ctrl+D and Ctrl+C do on the canvas, for a mouse or a touch screen (the panel
/// had only the count, and a mouse could not delete a selection).
fn many_selected(ids: Vec<String>) -> impl IntoView {
    use crate::editor::clipboard::{delete_and_deselect, duplicate, Clipboard};
    use crate::panels::focus::refocus_if_lost;
    let doc = expect_context::<Doc>();
    let selection = expect_context::<Selection>().0;
    let clipboard = expect_context::<Clipboard>();
    let count = ids.len();
    let ids = StoredValue::new(ids);
    view! {
        <p class="hint" data-testid="selection-count">{format!("{count} nodes selected")}</p>
        <p class="node-actions">
            <button data-testid="selection-duplicate"
                title="A copy of them below, with their params and calls (Ctrl+D)"
                on:click=move |_| {
                    ids.with_value(|ids| duplicate(doc, selection, ids));
                    refocus_if_lost(&["[data-testid=selection-duplicate]"]);
                }>"Duplicate"</button>
            <button data-testid="selection-copy" title="Copy them, to paste with Ctrl+V (Ctrl+C)"
                on:click=move |_| ids.with_value(|ids| clipboard.copy(doc, ids))>"Copy"</button>
            <button data-testid="selection-delete" title="Delete them with their calls and faults (Delete)"
                on:click=move |_| {
                    delete_and_deselect(doc, selection, ids.get_value());
                    refocus_if_lost(&["[data-testid=canvas]"]);
                }>"Delete"</button>
        </p>
    }
}

/// The scenario's "what to try" notes, folded above a selected node's or edge's panel. They
/// are in full in the scenario's panel, but a learner following them selects a node at every
/// step, which replaced them: each next step meant pressing Escape to read it.
#[component]
fn FoldedNotes(open: RwSignal<bool>) -> impl IntoView {
    let doc = expect_context::<Doc>();
    move || {
        doc.scenario.with(|s| {
            (!s.notes.is_empty()).then(|| {
                view! {
                    <details class="notes-folded" data-testid="notes-folded" prop:open=move || open.get()
                        on:toggle=move |ev| {
                            let opened = event_target::<web_sys::Element>(&ev).has_attribute("open");
                            open.set(opened);
                        }>
                        <summary>"What to try"</summary>
                        <p class="notes">{s.notes.clone()}</p>
                    </details>
                }
            })
        })
    }
}

/// Commits the edit in the focused field when the pointer goes down anywhere else, before
/// any handler of that press runs. A field's edit is committed by its change event, which the
/// browser fires when the field loses the focus; but the canvas keeps its presses to itself,
/// so a click on another node changed the selection, and rebuilt this panel, with the field
/// still focused: its change then fired into a panel already gone, which lost the edit and
/// panicked on the disposed panel. Listens on the window in the capture phase, as the menus do.
pub fn commit_fields_on_outside_press() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let commit = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(
        move |ev: web_sys::Event| {
            let active = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element());
            let pressed = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            if active.is_some() && pressed == active {
                return; // moving the caret within the field
            }
            commit_focused_field();
        },
    );
    window
        .add_event_listener_with_callback_and_bool(
            "pointerdown",
            commit.as_ref().unchecked_ref(),
            true,
        )
        .ok();
    // The listener lives as long as the page.
    commit.forget();
}

/// Commits the edit of the focused input, if any, by taking the focus from it: text and number
/// inputs commit on blur (a select or a checkbox already has).
pub fn commit_focused_field() {
    if let Some(input) = focused_input() {
        input.blur().ok();
    }
}

/// [`commit_focused_field`], the focus then given back to the field: a shortcut pressed while
/// typing (Ctrl+Enter) left the keyboard on the page's start.
pub fn commit_focused_field_in_place() {
    if let Some(input) = focused_input() {
        input.blur().ok();
        input.focus().ok();
    }
}

fn focused_input() -> Option<web_sys::HtmlInputElement> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .and_then(|a| a.dyn_into::<web_sys::HtmlInputElement>().ok())
}

/// "1 problem to fix before running", "3 problems …".
fn problems_heading(count: usize) -> String {
    let noun = if count == 1 { "problem" } else { "problems" };
    format!("{count} {noun} to fix before running")
}

/// A labelled row: name, control, unit, then its messages on a line of their own.
fn row(
    label: &str,
    control: impl IntoView,
    unit: &'static str,
    errors: impl IntoView,
) -> impl IntoView {
    // The label's text is the field's accessible name: a unit its name already says is shown,
    // not read ("workers workers", "read_ms ms").
    let unit_read = !fields::name_says_unit(label, unit);
    view! {
        <label class="param">
            <span class="param-name">{label.to_string()}</span>
            <span class="param-control">{control}<span class="param-unit"
                aria-hidden=(!unit_read).then_some("true")>{unit}</span></span>
            {errors}
        </label>
    }
}

/// A number input showing `value` (the doc's, so undo and preset loads update it); typing
/// nothing calls `on_set(Null)`, text that is not a number is refused in the banner and the
/// field goes back to the value that holds.
fn number_input(
    testid: String,
    integer: bool,
    value: Signal<String>,
    placeholder: Signal<String>,
    on_set: impl Fn(Value) + 'static,
) -> impl IntoView {
    typed_input(
        testid,
        integer,
        value,
        placeholder,
        fields::parse_number,
        on_set,
    )
}

/// [`number_input`] with its own parser.
fn typed_input(
    testid: String,
    integer: bool,
    value: Signal<String>,
    placeholder: Signal<String>,
    parse: fn(&str) -> Result<Value, String>,
    on_set: impl Fn(Value) + 'static,
) -> impl IntoView {
    let banner = expect_context::<Doc>().banner;
    let testid_for_banner = testid.clone();
    // Text that is not a number typed into an empty field: the browser reads it as "", the
    // value it had, so no `change` comes, and the text stayed on screen, silently not kept
    // (every param of a new node starts empty). Refused on Enter and on leaving the field too.
    let unreadable = {
        let testid = testid.clone();
        move |ev: &leptos::ev::Event| {
            if super::typed_not_a_number(ev) {
                banner.set(Some(fields::not_a_number(&testid)));
                super::show_value(ev, &value.get_untracked());
            }
        }
    };
    let unreadable_on_enter = unreadable.clone();
    let testid_for_keys = testid.clone();
    let testid_for_paste = testid.clone();
    view! {
        <input type="number" data-testid=testid min="0" step=if integer { "1" } else { "any" }
            placeholder=move || placeholder.get()
            prop:value=move || value.get()
            on:change=move |ev| match read_typed(&ev, &testid_for_banner, parse) {
                Ok(v) => on_set(v),
                Err(why) => {
                    banner.set(Some(why));
                    // The field shows the value that still holds, not the refused text.
                    super::show_value(&ev, &value.get_untracked());
                }
            }
            on:keydown=move |ev| match ev.key().as_str() {
                "Enter" => unreadable_on_enter(&ev),
                // Refused as it is typed: the browser would read "2,5" as 25, "2k" as 2.
                _ => super::refuse_key_in_number(&ev, &testid_for_keys, banner),
            }
            on:paste=move |ev| super::refuse_paste_in_number(&ev, &testid_for_paste, banner)
            on:blur=move |ev| unreadable(&ev)/>
    }
}

/// What was typed in the number input `testid` an event came from, read by `parse`; text
/// the browser could not read as a number is refused, naming the field.
pub(crate) fn read_typed(
    ev: &leptos::ev::Event,
    testid: &str,
    parse: fn(&str) -> Result<Value, String>,
) -> Result<Value, String> {
    if super::typed_not_a_number(ev) {
        return Err(fields::not_a_number(testid));
    }
    parse(&event_target_value(ev))
}

/// Inline messages, each a line under its input.
fn messages(list: Memo<Vec<String>>, testid: String) -> impl IntoView {
    move || {
        list.get()
            .into_iter()
            .map(|m| view! { <span class="param-error" data-testid=testid.clone()>{m}</span> })
            .collect_view()
    }
}

/// Name, seed, duration, warm-up and SLOs of the scenario, its notes, and every scheduled fault.
#[component]
fn ScenarioSettings() -> impl IntoView {
    let doc = expect_context::<Doc>();
    let analysis = expect_context::<Analysis>().0;
    let problems = move |field: &'static str, needle: Option<&'static str>| {
        Memo::new(move |_| analysis.with(|a| fields::scenario_messages(&a.problems, field, needle)))
    };
    let number = move |label: &'static str,
                       key: &'static str,
                       testid: &'static str,
                       unit: &'static str,
                       setting: Setting,
                       get: fn(&Scenario) -> String,
                       placeholder: &'static str,
                       errors: Memo<Vec<String>>| {
        let parse = if setting == Setting::Seed {
            fields::parse_seed
        } else {
            fields::parse_number
        };
        let input = typed_input(
            testid.to_string(),
            setting == Setting::Seed,
            Signal::derive(move || doc.scenario.with(get)),
            Signal::stored(placeholder.to_string()),
            parse,
            move |value| doc.apply(Edit::SetSetting { setting, value }),
        );
        let help = scaleplay_sim::reference::plain(
            scaleplay_sim::reference::setting_help(key).unwrap_or_default(),
        );
        help::with_help(
            key.to_string(),
            help,
            row(
                label,
                input,
                unit,
                messages(errors, format!("{testid}-error")),
            ),
        )
    };
    view! {
        <h2>"Scenario"</h2>
        <div class="scenario-settings">
            {row(
                "name",
                view! {
                    // The whole name on hover when a long one scrolls out of the field
                    // (about 20 characters show at the inspector's narrowest).
                    <input type="text" data-testid="scenario-name" maxlength="200"
                        prop:value=move || doc.scenario.with(|s| s.name.clone())
                        title=move || super::title_when_cut(doc.scenario.with(|s| s.name.clone()), 20)
                        on:change=move |ev| doc.apply(Edit::SetSetting {
                            setting: Setting::Name,
                            value: Value::String(event_target_value(&ev)),
                        })/>
                },
                "",
                messages(problems("name", None), "scenario-name-error".into()),
            )}
            {number("seed", "seed", "scenario-seed", "", Setting::Seed, |s| s.seed.to_string(), "0", problems("seed", None))}
            {number("duration", "duration_s", "scenario-duration", "s", Setting::Duration, |s| fields::fmt_num(s.duration_s), "60", problems("duration_s", None))}
            {number("warm-up", "warmup_s", "scenario-warmup", "s", Setting::Warmup, |s| fields::fmt_num(s.warmup_s), "0", problems("warmup_s", None))}
            // One point per window on the plots (window_s): wider ones for long runs.
            {number("plot window", "window_s", "scenario-window", "s", Setting::Window, |s| fields::fmt_num(s.window_s), "1", problems("window_s", None))}
            {number("SLO p99", "slo.p99_ms", "scenario-slo-p99", "ms", Setting::SloP99, |s| s.slo.p99_ms.map(fields::fmt_num).unwrap_or_default(), "none", problems("slo", Some("p99_ms")))}
            {number("SLO availability", "slo.availability", "scenario-slo-availability", "0–1", Setting::SloAvailability, |s| s.slo.availability.map(fields::fmt_num).unwrap_or_default(), "none", problems("slo", Some("availability")))}
        </div>
        // Settings that hold the run back from nothing but do little: a plot window longer
        // than the run gives each plot one point.
        {move || analysis.with(|a| {
            fields::scenario_messages(&a.ignored, "window_s", None)
                .into_iter()
                .map(|m| view! { <p class="hint" data-testid="scenario-window-note">{m}</p> })
                .collect_view()
        })}
        {move || doc.scenario.with(|s| (!s.notes.is_empty()).then(|| view! {
            <h3 class="notes-title">"What to try"</h3>
            <p class="notes" data-testid="notes">{s.notes.clone()}</p>
        }))}
        <faults::ScenarioFaults/>
    }
}

/// Tells a screen reader how many problems the scenario has each time that changes, and when
/// none are left: the list itself comes and goes without a word (a live region must stay on
/// the page to be heard).
#[component]
fn ProblemsSaid() -> impl IntoView {
    let analysis = expect_context::<Analysis>().0;
    let count = Memo::new(move |_| analysis.with(|a| a.problems.len()));
    let said = Memo::new(move |before: Option<&String>| {
        problems_said(count.get(), before.is_some_and(|b| !b.is_empty()))
    });
    view! {
        <p class="visually-hidden" role="status" aria-live="polite" data-testid="problems-said">
            {move || said.get()}
        </p>
    }
}

/// What [`ProblemsSaid`] says for `count` problems; `said_before` when it has said something
/// (so that a scenario that never had a problem is not announced as fixed).
fn problems_said(count: usize, said_before: bool) -> String {
    match count {
        0 if said_before => "No problems left: the scenario can run".to_string(),
        0 => String::new(),
        n => problems_heading(n),
    }
}

/// Every validation problem; they hold the Run button back while there are any. Clicking one
/// that concerns a node selects that node.
#[component]
fn Problems() -> impl IntoView {
    let analysis = expect_context::<Analysis>().0;
    let doc = expect_context::<Doc>();
    let selection = expect_context::<Selection>().0;
    move || {
        analysis.with(|a| {
            (!a.problems.is_empty()).then(|| {
                let items = a
                    .problems
                    .iter()
                    .map(|p| {
                        let node = p.node.clone();
                        // The display name, when it says more than the id the message gives.
                        let name = node.as_ref().and_then(|id| {
                            doc.scenario
                                .with(|s| crate::editor::edits::own_name(s, id).map(str::to_string))
                        });
                        // A node's problem selects the node; a scenario's shows the settings.
                        let title = if node.is_some() {
                            "Select this node"
                        } else {
                            "Show the scenario settings"
                        };
                        let chosen = node.clone();
                        // A button to the keyboard too (it was reachable by pointer only).
                        let by_key = move |ev: leptos::ev::KeyboardEvent| {
                            if matches!(ev.key().as_str(), "Enter" | " ") {
                                ev.prevent_default();
                                selection.set(chosen.iter().cloned().collect());
                            }
                        };
                        view! {
                            <li data-testid="problem" class="problem clickable" title=title
                                role="button" tabindex="0" on:keydown=by_key
                                on:click=move |_| selection.set(node.iter().cloned().collect())>
                                {name.map(|n| view! { <span class="problem-node">{n}</span> })}
                                <span class="problem-text">{p.to_string()}</span>
                            </li>
                        }
                    })
                    .collect_view();
                // Calls naming a node that does not exist are not drawn, so no click reaches
                // them: one button removes them all (one undoable edit).
                let dangling = doc.scenario.with(crate::editor::edits::dangling_edges);
                let remove = (!dangling.is_empty()).then(|| {
                    let label = match dangling.len() {
                        1 => "Remove the call to or from a missing node".to_string(),
                        n => format!("Remove the {n} calls to or from missing nodes"),
                    };
                    view! {
                        <button data-testid="remove-dangling" on:click=move |_| {
                            doc.apply(Edit::Delete { nodes: Vec::new(), edges: dangling.clone() })
                        }>{label}</button>
                    }
                });
                view! {
                    <div class="problems" data-testid="validation">
                        <h3>{problems_heading(a.problems.len())}</h3>
                        <ul>{items}</ul>
                        {remove}
                    </div>
                }
            })
        })
    }
}

/// The share of the window the inspector must cover (or all of itself, if shorter) for a
/// click on a node to count as showing its panel: a strip at the bottom of a phone's window
/// shows the panel's heading but none of the node's params.
const SHOWN_SHARE: f64 = 1.0 / 3.0;

/// Whether a panel spanning `top`..`bottom` (window coordinates) shows too little of itself in
/// a window `height` tall (see [`SHOWN_SHARE`]): below the window or above it, or only a strip.
fn out_of_sight(top: f64, bottom: f64, height: f64) -> bool {
    let shown = bottom.min(height) - top.max(0.0);
    shown < (bottom - top).min(height * SHOWN_SHARE)
}

/// Scrolls the inspector into view when it is out of the window, after a node was selected by
/// a click. In a narrow or short window (800x600, a phone) it is laid out below the canvas,
/// so a click on a node seemed to do nothing. Beside the canvas, where it shows, nothing
/// moves. Waits a frame, for the panel of the new selection to be laid out; scrolling moves
/// no focus, so nothing typed goes astray.
pub fn reveal() {
    request_animation_frame(|| {
        let Some(panel) = document()
            .query_selector("[data-testid=inspector]")
            .ok()
            .flatten()
        else {
            return;
        };
        let height = window().inner_height().ok().and_then(|h| h.as_f64());
        let r = panel.get_bounding_client_rect();
        if height.is_some_and(|h| out_of_sight(r.top(), r.bottom(), h)) {
            panel.scroll_into_view_with_bool(true);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::{out_of_sight, problems_said};

    #[test]
    fn problems_are_said_as_they_change_and_when_none_are_left() {
        assert_eq!(problems_said(0, false), "");
        assert_eq!(problems_said(1, false), "1 problem to fix before running");
        assert_eq!(problems_said(3, true), "3 problems to fix before running");
        assert_eq!(
            problems_said(0, true),
            "No problems left: the scenario can run"
        );
    }

    #[test]
    fn the_panel_is_out_of_sight_below_or_above_the_window_or_in_a_strip() {
        // Beside the canvas at a desktop size: in sight, however short.
        assert!(!out_of_sight(48.0, 768.0, 768.0));
        assert!(!out_of_sight(48.0, 120.0, 768.0));
        // Below the canvas at 800x600, and in a strip at the bottom of a phone's window.
        assert!(out_of_sight(641.0, 1400.0, 600.0));
        assert!(out_of_sight(703.0, 1600.0, 844.0));
        // Scrolled to, or scrolled past but still showing much of its lower part.
        assert!(!out_of_sight(0.0, 700.0, 600.0));
        assert!(!out_of_sight(-300.0, 400.0, 600.0));
        // Scrolled past entirely.
        assert!(out_of_sight(-900.0, -100.0, 600.0));
    }
}
