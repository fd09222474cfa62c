//! # Scaleplay, the web app
//!
//! A Leptos client-side app: a palette of components, an SVG canvas to wire them, an inspector
//! for their params, a run bar, and plots drawn with plotters while the `scaleplay-sim` engine
//! runs in slices between frames.
//!
//! - [`state`]: the shared contexts (scenario, selection, view, analysis).
//! - [`editor`]: canvas, edits, layout math.
//! - [`panels`]: palette, inspector, run bar, charts, summary, validation list.
//! - [`runner`]: runs the simulation in time slices without freezing the page.

pub mod editor;
pub mod panels;
pub mod runner;
pub mod share;
pub mod state;

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
    // A share link in the URL opens its scenario; a broken one says why and opens the default.
    let (initial, problem) = match share::decode(&location_hash()) {
        Ok(Some(s)) => (s, None),
        Ok(None) => (initial_scenario(), None),
        Err(why) => (initial_scenario(), Some(why)),
    };
    let doc = state::provide(initial);
    doc.1.set(problem);
    // Pasting another link into the address bar changes only the fragment: load it too.
    let _hash = window_event_listener(leptos::ev::hashchange, move |_| {
        match share::decode(&location_hash()) {
            Ok(Some(s)) => {
                if doc.0.with_untracked(|d| *d != s) {
                    doc.apply(editor::edits::Edit::Replace(Box::new(s)));
                    editor::canvas::request_fit();
                }
            }
            Ok(None) => {}
            Err(why) => doc.1.set(Some(why)),
        }
    });
    runner::provide();
    // Shared by the palette (drag start) and the canvas (drop), which are siblings.
    provide_context(panels::palette::PaletteDrag(RwSignal::new(None)));
    provide_context(editor::canvas::FitRequest(RwSignal::new(0)));
    view! {
        <div class="app">
            <panels::runbar::RunBar/>
            <panels::palette::Palette/>
            <main class="center">
                <panels::banner::ErrorBanner/>
                <editor::canvas::Canvas/>
            </main>
            <panels::inspector::Inspector/>
            <section class="plots">
                <panels::summary::Summary/>
                <panels::charts::Charts/>
            </section>
        </div>
    }
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
