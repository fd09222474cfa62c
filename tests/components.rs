//! Components in a real browser: headless Chromium, through `wasm-bindgen-test` (run by
//! `cargo xtask test`, or `cargo test -p scaleplay --target wasm32-unknown-unknown --test
//! components`). Each test mounts a panel, or the whole app, into a fresh element with the
//! contexts the app gives it, acts on the DOM as a person does (types, presses keys) and reads
//! the DOM and the scenario back. The journeys across the whole page are Playwright's
//! (`tests/e2e`); these look at one component at a time.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use scaleplay::editor::canvas::FitRequest;
use scaleplay::panels::palette::PaletteDrag;
use scaleplay::state::{Doc, Selection};
use scaleplay::{opening, panels, runner, state};
use scaleplay_sim::scenario::Kind;
use scaleplay_sim::{presets, validate, Scenario};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Event, EventInit, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn preset(prefix: &str) -> Scenario {
    validate::parse(presets::find(prefix).expect("a preset").json).expect("it parses")
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// A mounted component: its root element and the app's state it was given. Unmounted when
/// dropped.
struct Mounted {
    root: HtmlElement,
    doc: Doc,
    selection: Selection,
    _handle: Box<dyn std::any::Any>,
}

impl Mounted {
    /// The element `data-testid=id` inside the component.
    fn get(&self, id: &str) -> HtmlElement {
        self.find(id)
            .unwrap_or_else(|| panic!("no [data-testid={id}] in {}", self.root.inner_html()))
    }

    fn find(&self, id: &str) -> Option<HtmlElement> {
        self.root
            .query_selector(&format!("[data-testid=\"{id}\"]"))
            .ok()
            .flatten()
            .map(|e| e.unchecked_into())
    }

    fn count(&self, selector: &str) -> u32 {
        self.root
            .query_selector_all(selector)
            .map_or(0, |list| list.length())
    }
}

/// Mounts `view` with the contexts the app provides, on `scenario`.
fn mount<V: IntoView + 'static>(scenario: Scenario, view: impl FnOnce() -> V + 'static) -> Mounted {
    let root: HtmlElement = document()
        .create_element("div")
        .expect("a div")
        .unchecked_into();
    document()
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");
    let provided = std::rc::Rc::new(std::cell::Cell::new(None));
    let out = provided.clone();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let doc = state::provide(scenario);
        runner::provide();
        provide_context(PaletteDrag(
            RwSignal::new(None),
            StoredValue::new((0.0, 0.0)),
        ));
        provide_context(FitRequest(RwSignal::new(0)));
        opening::Opener::provide();
        out.set(Some((doc, expect_context::<Selection>())));
        view()
    });
    let (doc, selection) = provided.take().expect("the view was built");
    Mounted {
        root,
        doc,
        selection,
        _handle: Box::new(handle),
    }
}

/// Lets the reactive system run what the last change scheduled.
async fn settle() {
    leptos::task::tick().await;
    leptos::task::tick().await;
}

fn bubbling(kind: &str) -> Event {
    let init = EventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    Event::new_with_event_init_dict(kind, &init).expect("an event")
}

/// Presses `key` on `target`; whether the page let it through (false: it was refused).
fn press(target: &HtmlElement, key: &str) -> bool {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("a key");
    target.dispatch_event(&ev).expect("dispatched")
}

/// Types `text` into the number field `input` and leaves it, as the browser reports it: the
/// value, then `change`.
fn type_into(input: &HtmlElement, text: &str) {
    let field: &HtmlInputElement = input.unchecked_ref();
    field.set_value(text);
    input.dispatch_event(&bubbling("input")).expect("input");
    input.dispatch_event(&bubbling("change")).expect("change");
}

fn param(s: &Scenario, node: &str, name: &str) -> Option<serde_json::Value> {
    s.node(node).and_then(|n| n.params.get(name).cloned())
}

#[wasm_bindgen_test]
async fn the_inspector_shows_the_selected_node_and_an_edit_reaches_the_scenario() {
    let m = mount(preset("01"), || {
        view! { <panels::banner::ErrorBanner/> <panels::inspector::Inspector/> }
    });
    // Nothing selected: the scenario's settings.
    settle().await;
    assert!(m.find("inspector-node-id").is_none());
    m.selection.0.set(vec!["box".to_string()]);
    settle().await;
    assert_eq!(
        m.get("inspector-node-id").text_content().as_deref(),
        Some("box")
    );

    type_into(&m.get("param-workers"), "12");
    settle().await;
    let workers = m
        .doc
        .scenario
        .with_untracked(|s| param(s, "box", "workers"));
    assert_eq!(workers, Some(serde_json::json!(12)));
    // One edit, one step to undo.
    assert!(m.doc.undo().is_some());
    settle().await;
    let workers = m
        .doc
        .scenario
        .with_untracked(|s| param(s, "box", "workers"));
    assert_eq!(
        workers,
        Some(serde_json::json!(8)),
        "undone to the preset's 8"
    );
}

#[wasm_bindgen_test]
async fn a_comma_typed_in_a_number_is_refused_and_the_banner_says_why() {
    let m = mount(preset("01"), || {
        view! { <panels::banner::ErrorBanner/> <panels::inspector::Inspector/> }
    });
    m.selection.0.set(vec!["box".to_string()]);
    settle().await;
    let before = m.doc.scenario.get_untracked();
    let let_through = press(&m.get("param-workers"), ",");
    settle().await;
    assert!(!let_through, "the comma was kept out of the field");
    let banner = m.get("error-banner").text_content().unwrap_or_default();
    assert!(
        banner.contains("workers: a number takes no comma"),
        "{banner}"
    );
    assert_eq!(
        m.doc.scenario.get_untracked(),
        before,
        "the scenario is as it was"
    );

    // Dismissed, it goes.
    let close: HtmlElement = m
        .get("error-banner")
        .query_selector("button")
        .ok()
        .flatten()
        .expect("a close button")
        .unchecked_into();
    close.click();
    settle().await;
    assert!(m.find("error-banner").is_none());
}

#[wasm_bindgen_test]
async fn the_palette_lists_every_kind_and_enter_adds_one_selected() {
    let m = mount(preset("01"), || view! { <panels::palette::Palette/> });
    settle().await;
    assert_eq!(m.count(".palette-item"), Kind::ALL.len() as u32);
    let nodes_before = m.doc.scenario.with_untracked(|s| s.nodes.len());
    press(&m.get("palette-cache"), "Enter");
    settle().await;
    let (count, added) = m.doc.scenario.with_untracked(|s| {
        let last = s.nodes.last().expect("a node");
        (s.nodes.len(), (last.id.clone(), last.kind.clone()))
    });
    assert_eq!(count, nodes_before + 1);
    assert_eq!(added.1, "cache");
    assert_eq!(
        m.selection.0.get_untracked(),
        vec![added.0],
        "the new node is selected"
    );
}

#[wasm_bindgen_test]
async fn the_canvas_draws_every_node_and_edge_of_the_scenario() {
    let s = preset("03");
    let (nodes, edges) = (s.nodes.len() as u32, s.edges.len() as u32);
    let m = mount(s, || view! { <scaleplay::editor::canvas::Canvas/> });
    settle().await;
    assert_eq!(m.count("[data-testid^=\"node-\"]"), nodes);
    assert_eq!(m.count("path.edge-line"), edges);
    // Delete pressed on a button (a panel's, with the focus) is the button's: the selected
    // node stays.
    m.selection.0.set(vec!["web1".to_string()]);
    settle().await;
    let button: HtmlElement = document()
        .create_element("button")
        .expect("a button")
        .unchecked_into();
    m.root.append_child(&button).expect("appended");
    press(&button, "Delete");
    settle().await;
    assert!(m.doc.scenario.with_untracked(|s| s.node("web1").is_some()));
    // Delete on the canvas, a node selected, removes it and its edges, drawn and in the
    // scenario.
    settle().await;
    let svg: HtmlElement = m.get("canvas");
    press(&svg, "Delete");
    settle().await;
    assert!(m.doc.scenario.with_untracked(|s| s.node("web1").is_none()));
    assert_eq!(m.count("[data-testid^=\"node-\"]"), nodes - 1);
}
