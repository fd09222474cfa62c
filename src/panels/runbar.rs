//! The top bar: presets, run / pause / reset, progress, duration, speed and seed, undo / redo,
//! and the share link.

use leptos::prelude::*;
use scaleplay_sim::{presets, validate};

use crate::editor::edits::{Edit, Setting};
use crate::opening::Opener;
use crate::panels::inspector::fields;
use crate::runner::{Run, Status};
use crate::state::{Analysis, AnalysisResult, Doc};

/// The run bar.
#[component]
pub fn RunBar() -> impl IntoView {
    let run = expect_context::<Run>();
    let doc = expect_context::<Doc>();
    let analysis = expect_context::<Analysis>().0;
    let opener = expect_context::<Opener>();
    let share_link = RwSignal::new(None::<String>);
    // Whether the browser let the link onto the clipboard (None until it has answered).
    let copied = RwSignal::new(None::<bool>);
    // A shown link is the scenario as it was when Share was pressed: an edit makes it stale,
    // so it goes (and Share makes a new one).
    Effect::new(move |_| {
        doc.scenario.track();
        share_link.set(None);
    });
    let invalid = move || !analysis.with(|a| a.problems.is_empty());
    let status = run.status;
    // Run cannot start: the scenario has problems and no paused run waits to go on.
    let held_back = move || matches!(status.get(), Status::Idle | Status::Done) && invalid();
    let share_button = NodeRef::<leptos::html::Button>::new();
    // Where the focus goes when the run control last pressed loses it (None: the focus went
    // elsewhere since).
    let pressed = StoredValue::new(None::<&'static [&'static str]>);
    keep_focus_on_run_controls(run, pressed);
    // Ctrl+Enter (Cmd+Enter) runs, pauses and resumes from anywhere, a field included: Run
    // was dozens of Tab presses away from the inspector.
    let _run_key = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() != "Enter" || !(ev.ctrl_key() || ev.meta_key()) || ev.repeat() {
            return;
        }
        ev.prevent_default();
        // A value typed in a field goes in first, as a press on Run would commit it; the
        // keyboard stays in the field.
        crate::panels::inspector::commit_focused_field_in_place();
        match status.get_untracked() {
            Status::Running => run.pause(),
            Status::Paused => run.resume(),
            _ if !invalid() => run.start(),
            // The focus stays where the user was typing; a press on Run itself goes to the list.
            _ => say_again(doc.banner, what_holds_run_back(analysis)),
        }
    });
    let preset_items = presets::all()
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let (name, notes) = validate::parse(p.json)
                .map(|s| (s.name, s.notes))
                .unwrap_or_default();
            let id = format!("preset-{:02}", i + 1);
            view! {
                <li>
                    // Its "what to try" notes on hover, before choosing it.
                    <button data-testid=id title=notes on:click=move |ev| {
                        crate::panels::files::close_menu(&ev);
                        if let Ok(s) = validate::parse(p.json) {
                            opener.open(s);
                        }
                    }>{format!("{:02}. {name}", i + 1)}</button>
                </li>
            }
        })
        .collect_view();
    // The same parsing as the inspector's settings: a seed is a whole number that may use all
    // 64 bits (not through f64, which would round it), and what cannot be read is said.
    let set_num = move |setting: Setting| {
        move |ev: leptos::ev::Event| {
            let parse = if setting == Setting::Seed {
                fields::parse_seed
            } else {
                fields::parse_number
            };
            let testid = if setting == Setting::Seed {
                "setting-seed"
            } else {
                "setting-duration"
            };
            match crate::panels::inspector::read_typed(&ev, testid, parse) {
                Ok(value) => doc.apply(Edit::SetSetting { setting, value }),
                Err(why) => {
                    doc.banner.set(Some(why));
                    // The field shows the value that still holds, not the refused text.
                    super::show_value(&ev, &doc.scenario.with_untracked(|s| bar_text(setting, s)));
                }
            }
        }
    };
    view! {
        <header class="runbar" on:focusout=move |ev| {
            // The focus went elsewhere on purpose: a run's end no longer brings it back.
            if ev.related_target().is_some() && !within_run_controls(ev.related_target()) {
                pressed.set_value(None);
            }
        }>
            <span class="brand">"Scaleplay"</span>
            <details class="presets" data-testid="preset-menu"
                on:keydown=crate::panels::files::menu_keys on:toggle=crate::panels::files::menu_toggled
                on:focusout=crate::panels::files::menu_focus_left>
                <summary>"Presets"</summary>
                <ul class="preset-list">{preset_items}</ul>
            </details>
            <crate::panels::files::FileMenu/>
            // A paused run resumes with the scenario it started with, so problems of the
            // edited copy do not hold it back (they did: Resume was disabled).
            // Held back by problems, Run is only marked unavailable (`aria-disabled`), not
            // `disabled`: a disabled button leaves the Tab order, so a keyboard or screen
            // reader user never met it nor heard why; pressed, it says why and goes to the list.
            <button data-testid="run" class="primary"
                disabled=move || status.get() == Status::Running
                aria-disabled=move || held_back().then_some("true")
                title=move || match status.get() {
                    Status::Paused => "Go on with the paused run (it keeps the scenario it started with) (Ctrl+Enter)",
                    _ if invalid() => "Fix the problems listed in the inspector first",
                    _ => "Run the simulation (Ctrl+Enter)",
                }
                on:click=move |_| {
                    if held_back() {
                        say_again(doc.banner, what_holds_run_back(analysis));
                        crate::panels::focus::focus_in_sight("[data-testid=problem]");
                        return;
                    }
                    pressed.set_value(Some(&[PAUSE, RUN]));
                    if status.get_untracked() == Status::Paused { run.resume() } else { run.start() }
                }>
                {move || if status.get() == Status::Paused { "Resume" } else { "Run" }}
            </button>
            <button data-testid="pause" title="Pause the run (Ctrl+Enter)" disabled=move || status.get() != Status::Running on:click=move |_| { pressed.set_value(Some(&[RUN])); run.pause() }>"Pause"</button>
            <button data-testid="reset" disabled=move || status.get() == Status::Idle on:click=move |_| { pressed.set_value(Some(&[RUN, RESET])); run.reset() }>"Reset"</button>
            {move || if run.pinned.with(Option::is_some) {
                view! { <button data-testid="unpin" title="Stop comparing with the pinned run"
                    on:click=move |_| { pressed.set_value(Some(&[PIN, RUN])); run.pinned.set(None) }>"Unpin"</button> }.into_any()
            } else {
                // Only a run with figures (past its warm-up) is worth comparing with.
                let measured = move || run.report.with(|r| r.as_ref().is_some_and(crate::panels::summary::measuring));
                view! { <button data-testid="pin"
                    title=move || if measured() { "Keep this run to compare the next ones with it" } else { "Pin a run once its warm-up is over and it has figures" }
                    disabled=move || !matches!(status.get(), Status::Done | Status::Paused) || !measured()
                    on:click=move |_| { pressed.set_value(Some(&[UNPIN, RUN])); run.pin() }>"Pin run"</button> }.into_any()
            }}
            <progress data-testid="progress" aria-label="Run progress" max="1" value=move || run.progress.get()></progress>
            // What a screen reader says when a run starts, pauses or ends: the page changes
            // silently otherwise (the figures and plots update without a word).
            <p class="visually-hidden" role="status" aria-live="polite" data-testid="run-announcement">
                {move || announcement(status.get(), run)}
            </p>
            <label>"Duration (s) "
                <input type="number" min="1" data-testid="setting-duration"
                    on:keydown=move |ev| crate::panels::refuse_key_in_number(&ev, "setting-duration", doc.banner)
                    on:paste=move |ev| crate::panels::refuse_paste_in_number(&ev, "setting-duration", doc.banner)
                    prop:value=move || doc.scenario.with(|s| bar_text(Setting::Duration, s))
                    on:change=set_num(Setting::Duration)/>
            </label>
            <label>"Seed "
                <input type="number" min="0" data-testid="setting-seed"
                    on:keydown=move |ev| crate::panels::refuse_key_in_number(&ev, "setting-seed", doc.banner)
                    on:paste=move |ev| crate::panels::refuse_paste_in_number(&ev, "setting-seed", doc.banner)
                    prop:value=move || doc.scenario.with(|s| bar_text(Setting::Seed, s))
                    // The whole seed when it is longer than the field's 12ch show.
                    title=move || super::title_when_cut(doc.scenario.with(|s| bar_text(Setting::Seed, s)), 10)
                    on:change=set_num(Setting::Seed)/>
            </label>
            <label>"Speed "
                <select data-testid="speed" on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<f64>() { run.speed.set(v) }
                }>
                    <option value="1">"1×"</option>
                    <option value="5">"5×"</option>
                    <option value="20" selected>"20×"</option>
                    <option value="100">"100×"</option>
                    <option value="0">"max"</option>
                </select>
            </label>
            <button data-testid="undo" title="Undo (Ctrl+Z)"
                disabled=move || doc.history.with(|h| h.undo_len() == 0)
                on:click=move |_| {
                    opener.undo();
                    // With nothing left to undo it turns itself off: to Redo, not the page's start.
                    crate::panels::focus::refocus_if_lost(&["[data-testid=undo]", "[data-testid=redo]"]);
                }>"Undo"</button>
            <button data-testid="redo" title="Redo (Ctrl+Shift+Z or Ctrl+Y)"
                disabled=move || doc.history.with(|h| h.redo_len() == 0)
                on:click=move |_| {
                    opener.redo();
                    crate::panels::focus::refocus_if_lost(&["[data-testid=redo]", "[data-testid=undo]"]);
                }>"Redo"</button>
            <button data-testid="share" node_ref=share_button title="Copy a link that opens this exact scenario" on:click=move |_| {
                match make_share_link(doc, copied) {
                    Ok(link) => share_link.set(Some(link)),
                    Err(why) => doc.banner.set(Some(why)),
                }
            }>"Share"</button>
            {move || share_link.get().map(|link| view! {
                <SharePopover link=link copied=copied on_close=move || {
                    share_link.set(None);
                    // Back to the button that opened it, not to the page's start.
                    if let Some(button) = share_button.get_untracked() {
                        let _ = button.focus();
                    }
                }/>
            })}
        </header>
    }
}

const RUN: &str = "[data-testid=run]";
const PAUSE: &str = "[data-testid=pause]";
const RESET: &str = "[data-testid=reset]";
const PIN: &str = "[data-testid=pin]";
const UNPIN: &str = "[data-testid=unpin]";
const RUN_CONTROLS: [&str; 5] = [RUN, PAUSE, RESET, PIN, UNPIN];

/// Why Run cannot start, for a press on it (or Ctrl+Enter) while the scenario has problems:
/// the problem itself when there is one, else how many and the first.
fn what_holds_run_back(analysis: Memo<AnalysisResult>) -> String {
    analysis.with_untracked(|a| match a.problems.as_slice() {
        [] => "Nothing holds the run back: press Run again.".to_string(),
        [one] => format!("Fix this first, then run (Ctrl+Enter): {one}"),
        [first, ..] => format!(
            "Fix the {} problems listed in the inspector first, then run (Ctrl+Enter). The \
             first: {first}",
            a.problems.len()
        ),
    })
}

/// Shows `message` in the banner, as a refusal (the next edit that goes through clears it: a
/// notice stayed there after the problem was fixed). Already shown, it goes and comes back, so
/// that a screen reader hears the alert again rather than nothing.
fn say_again(banner: RwSignal<Option<String>>, message: String) {
    if banner.get_untracked().as_deref() == Some(message.as_str()) {
        banner.set(None);
        request_animation_frame(move || banner.set(Some(message)));
    } else {
        banner.set(Some(message));
    }
}

/// Keeps the focus on the run controls once one was pressed: each disables or replaces itself
/// as the run goes on (Run while running, Pause when the run ends by itself, Pin by Unpin),
/// which dropped the focus to the page's start. It goes to the first enabled one `pressed`
/// lists (after Run, Pause to stop it again, or Run once it is over; after Pause, Resume;
/// after Pin, Unpin), until the focus goes elsewhere on purpose.
fn keep_focus_on_run_controls(run: Run, pressed: StoredValue<Option<&'static [&'static str]>>) {
    Effect::new(move |_| {
        run.status.track();
        run.pinned.track();
        if let Some(next) = pressed.get_value() {
            crate::panels::focus::refocus_if_lost(next);
        }
    });
}

/// Whether an event's related target (where the focus went) is one of the run controls.
fn within_run_controls(target: Option<web_sys::EventTarget>) -> bool {
    use wasm_bindgen::JsCast;
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| RUN_CONTROLS.iter().any(|s| e.matches(s).unwrap_or(false)))
}

/// What the run bar's field of `setting` (seed or duration) shows.
fn bar_text(setting: Setting, s: &scaleplay_sim::Scenario) -> String {
    match setting {
        Setting::Seed => s.seed.to_string(),
        _ => s.duration_s.to_string(),
    }
}

/// The link under the run bar: says whether it reached the clipboard, shows it to copy by hand,
/// and closes with its button or Escape. It floats over the canvas rather than sitting in the
/// bar, so a long link never wraps the bar onto a second line.
#[component]
fn SharePopover(
    link: String,
    copied: RwSignal<Option<bool>>,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    // Focused as it opens, which selects it (`select_all`), so Ctrl+C copies it at once. The
    // link is the input's `value` attribute, there from the start: a `prop:value` set later
    // would collapse the selection.
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    view! {
        <div class="share-popover" role="dialog" aria-label="Share link" data-testid="share-popover"
            on:keydown=move |ev| if ev.key() == "Escape" { on_close() }>
            <p data-testid="share-status">
                {move || match copied.get() {
                    Some(true) => "Copied to the clipboard. ",
                    Some(false) => "The browser did not allow copying: copy the link below. ",
                    None => "",
                }}
                "Anyone who opens this link gets this exact scenario and seed."
            </p>
            <input class="share-link" data-testid="share-link" aria-label="Link to this scenario" readonly value=link node_ref=input
                on:focus=move |ev| select_all(&ev)/>
            <button data-testid="share-close" on:click=move |_| on_close()>"Close"</button>
        </div>
    }
}

/// The URL that opens this exact scenario, copied to the clipboard (the clipboard may be refused:
/// `copied` says which, and the link is also shown in a text field). The address bar is left
/// alone, so that a reload still shows the autosaved work. A scenario too large for a link
/// gets none (the app would refuse to open it), and a message instead.
fn make_share_link(doc: Doc, copied: RwSignal<Option<bool>>) -> Result<String, String> {
    let fragment = doc.scenario.with_untracked(crate::share::link_fragment)?;
    let Some(window) = web_sys::window() else {
        return Ok(format!("#{fragment}"));
    };
    let origin = window.location().origin().unwrap_or_default();
    let url = format!("{origin}{}#{fragment}", crate::page_path());
    // `navigator.clipboard` is missing on pages served over plain http from another machine
    // (not a secure context): calling it would throw, so then the link is only shown.
    let navigator = window.navigator();
    let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !has_clipboard {
        copied.set(Some(false));
        return Ok(url);
    }
    copied.set(None);
    let promise = navigator.clipboard().write_text(&url);
    wasm_bindgen_futures::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        copied.set(Some(ok));
    });
    Ok(url)
}

fn select_all(ev: &leptos::ev::FocusEvent) {
    use wasm_bindgen::JsCast;
    if let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.select();
    }
}

/// The run's news for a screen reader, on each change of `status`: "Run finished:
/// throughput 796.1 req/s, p99 120.4 ms, availability 99.082 %, SLO broken for 10 s in 1
/// breach". Its figures are read once, at the change (not as they update).
fn announcement(status: Status, run: Run) -> String {
    match status {
        Status::Idle => String::new(),
        Status::Running => "Run started".to_string(),
        Status::Paused => {
            let at = run
                .report
                .with_untracked(|r| r.as_ref().map_or(0.0, |r| r.run.t_s));
            format!("Run paused at {} s", crate::panels::fault_key::seconds(at))
        }
        Status::Done => run.report.with_untracked(|r| match r {
            Some(r) if crate::panels::summary::measuring(r) => {
                format!("Run finished: {}", crate::panels::summary::said(r))
            }
            _ => "Run finished".to_string(),
        }),
    }
}
