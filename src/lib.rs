//! # Scaleplay, the web app
//!
//! A Leptos client-side app: a palette of components, an SVG canvas to wire them, an inspector
//! for their params, a run bar, and plots drawn with plotters while the `scaleplay-sim` engine
//! runs in slices between frames.
//!
//! - [`state`]: the shared contexts (scenario, selection, view, analysis).
//! - [`editor`]: canvas, edits, layout math.
//! - [`panels`]: palette, inspector (with the validation messages), run bar, charts, summary.
//! - [`export`]: the run's CSV files.
//! - [`runner`]: runs the simulation in time slices without freezing the page.
//! - [`history`]: undo and redo.
//! - [`opening`]: replacing the whole scenario (preset, imported file, pasted link).
//! - [`share`], [`files`], [`storage`]: share links, imported files and autosave, read with the
//!   same limits.

pub mod editor;
pub mod export;
pub mod files;
pub mod history;
pub mod opening;
pub mod panels;
pub mod runner;
pub mod share;
pub mod state;
pub mod storage;

use leptos::prelude::*;
use scaleplay_sim::{presets, validate, Scenario};

/// The scenario the app opens with: the first preset.
pub fn initial_scenario() -> Scenario {
    // The embedded presets are checked by the engine's tests; a failure here is a build bug.
    validate::parse(presets::all()[0].json).expect("the embedded preset parses")
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    // A share link in the URL opens its scenario; otherwise the autosaved work, or a preset.
    let link = share::decode(&location_hash());
    let opened_link = matches!(link, Ok(Some(_)));
    let broken_link = link.is_err();
    let saved = storage::load();
    let previous = saved.as_ref().ok().cloned().flatten();
    let (initial, problems) = choose_initial(link, saved);
    let doc = state::provide(initial);
    // Opening a link replaces the autosaved work; one Undo brings that work back.
    if let Some(previous) =
        previous.filter(|p| opened_link && doc.scenario.with_untracked(|d| d != p))
    {
        doc.history
            .update(|h| h.record(previous, history::StepKind::Opening));
    }
    if !problems.is_empty() {
        doc.notify(Some(problems.join(" ")));
    }
    // A broken link goes too, once the banner has said what was wrong with it: left in the
    // address bar, every reload said it again (and a 1 MB fragment stayed in the history).
    if opened_link || broken_link {
        forget_fragment();
    }
    autosave(doc);
    panels::files::close_menus_on_outside_press();
    panels::inspector::commit_fields_on_outside_press();
    runner::provide();
    // Shared by the palette (drag start) and the canvas (drop), which are siblings.
    provide_context(panels::palette::PaletteDrag(
        RwSignal::new(None),
        StoredValue::new((0.0, 0.0)),
    ));
    provide_context(editor::canvas::FitRequest(RwSignal::new(0)));
    let opener = opening::Opener::provide();
    // Pasting another link into the address bar changes only the fragment: open it too (as one
    // undoable edit), as a preset or an imported file is opened.
    let _hash = window_event_listener(leptos::ev::hashchange, move |_| {
        match share::decode(&location_hash()) {
            Ok(Some(s)) => {
                forget_fragment();
                if doc.scenario.with_untracked(|d| *d != s) {
                    opener.open(s);
                }
            }
            Ok(None) => {}
            Err(why) => {
                forget_fragment();
                doc.notify(Some(format!("{why}. Your scenario is unchanged.")));
            }
        }
    });
    view! {
        <div class="app">
            <panels::runbar::RunBar/>
            <panels::palette::Palette/>
            <main class="center">
                <panels::banner::ErrorBanner/>
                <editor::canvas::Canvas/>
            </main>
            <panels::inspector::Inspector/>
            <panels::plots::Plots/>
        </div>
    }
}

/// Makes an opened scenario one the editor can show whole: nodes too far out to draw brought
/// into reach, nodes without an id given one, nodes repeating an earlier id renamed, nodes
/// stacked on one another laid out. What it
/// did, for the banner.
pub fn tidy_opened(s: &mut Scenario) -> Vec<String> {
    let moved = editor::geometry::bring_into_reach(s);
    let named = editor::edits::name_unnamed(s);
    let renamed = editor::edits::unique_ids(s);
    // After the ids are unique: the layout follows the calls, by id.
    let laid_out = editor::geometry::lay_out_stacked(s);
    editor::geometry::moved_note(moved)
        .into_iter()
        .chain(editor::geometry::laid_out_note(laid_out))
        .chain(editor::edits::named_note(&named))
        .chain(editor::edits::renamed_note(&renamed))
        .collect()
}

/// What the app opens with, and what to tell the user about it: the scenario of a share link,
/// else the autosaved work, else the first preset. A broken link or unreadable saved work is
/// reported and skipped, so the app always opens with something that works.
pub fn choose_initial(
    link: Result<Option<Scenario>, String>,
    saved: Result<Option<Scenario>, String>,
) -> (Scenario, Vec<String>) {
    let (link, broken) = match link {
        Ok(link) => (link, None),
        Err(why) => (None, Some(why)),
    };
    if let Some(mut s) = link {
        let notes = tidy_opened(&mut s);
        // Unreadable saved work is said even when a link opens: it was moved aside, and
        // nothing else would tell where it went.
        let mut problems: Vec<String> = saved
            .err()
            .map(|why| format!("{why} Opening the link."))
            .into_iter()
            .collect();
        problems.extend(notes);
        return (s, problems);
    }
    // Say what opens instead of the link: the saved work, or (on a first visit) a preset.
    let instead = |what: &str| {
        broken
            .as_ref()
            .map(|why| format!("{why}. Opening {what} instead."))
    };
    match saved {
        Ok(Some(s)) => (s, instead("your previous work").into_iter().collect()),
        Ok(None) => (
            initial_scenario(),
            instead("the first preset").into_iter().collect(),
        ),
        Err(why) => {
            let mut problems: Vec<String> = instead("the first preset").into_iter().collect();
            problems.push(format!("{why} Starting from a fresh scenario."));
            (initial_scenario(), problems)
        }
    }
}

/// Saves the scenario after every change; a refusal (storage full or off) is reported once.
fn autosave(doc: state::Doc) {
    let warned = StoredValue::new(false);
    Effect::new(move |_| {
        if let Err(why) = doc.scenario.with(storage::save) {
            if !warned.get_value() {
                warned.set_value(true);
                doc.notify(Some(why));
            }
        }
    });
    // A value still being typed when the page goes (a reload, a closed tab) is committed and
    // saved on the way out: the effect above would run after the page is gone.
    let _leaving = window_event_listener(leptos::ev::pagehide, move |_| {
        panels::inspector::commit_focused_field();
        let _ = doc.scenario.with_untracked(storage::save);
        storage::mark_page_end();
    });
    // A page kept in the back-forward cache comes back to life after its `pagehide`: it has
    // not ended, so its name must not stay behind (a duplicate of the tab would take it for a
    // reload, and write over this page's copy).
    let _back = window_event_listener(leptos::ev::pageshow, move |ev| {
        if ev.persisted() {
            storage::unmark_page_end();
        }
    });
}

/// Removes a share link from the address bar once it is opened, so that a reload shows the
/// autosaved work (with the edits made since) rather than the link's original scenario.
fn forget_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(history) = window.history() {
        // Failing leaves the fragment in place: a reload then reopens the link, nothing worse.
        let _ =
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&page_path()));
    }
}

/// The page's path and query, without the fragment (empty outside a browser).
pub fn page_path() -> String {
    web_sys::window()
        .map(|w| {
            let location = w.location();
            format!(
                "{}{}",
                location.pathname().unwrap_or_default(),
                location.search().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// The URL fragment (empty outside a browser).
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Mounts the app on the page (the wasm entry point).
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preset(n: usize) -> Scenario {
        validate::parse(presets::all()[n].json).unwrap()
    }

    #[test]
    fn a_link_wins_then_saved_work_then_the_first_preset() {
        let (s, p) = choose_initial(Ok(Some(preset(4))), Ok(Some(preset(2))));
        assert_eq!((s, p.len()), (preset(4), 0));
        let (s, p) = choose_initial(Ok(None), Ok(Some(preset(2))));
        assert_eq!((s, p.len()), (preset(2), 0));
        let (s, p) = choose_initial(Ok(None), Ok(None));
        assert_eq!((s, p.len()), (preset(0), 0));
    }

    #[test]
    fn unreadable_saved_work_is_said_when_a_link_opens_too() {
        let (s, p) = choose_initial(Ok(Some(preset(4))), Err("bad save;".into()));
        assert_eq!(s, preset(4));
        assert_eq!(p, ["bad save; Opening the link."]);
    }

    #[test]
    fn a_bad_link_falls_back_to_saved_work_and_says_so() {
        let (s, p) = choose_initial(Err("this link is damaged".into()), Ok(Some(preset(2))));
        assert_eq!(s, preset(2));
        assert_eq!(
            p,
            ["this link is damaged. Opening your previous work instead."]
        );
        let (s, p) = choose_initial(Err("bad link".into()), Err("bad save".into()));
        assert_eq!(s, preset(0));
        assert_eq!(
            p,
            [
                "bad link. Opening the first preset instead.",
                "bad save Starting from a fresh scenario."
            ]
        );
        // A first visit has no previous work to open.
        let (s, p) = choose_initial(Err("bad link".into()), Ok(None));
        assert_eq!(s, preset(0));
        assert_eq!(p, ["bad link. Opening the first preset instead."]);
    }
}
