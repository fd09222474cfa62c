//! What a param or setting means, for those who cannot hover: its help is the block's tooltip
//! (the engine's reference), and also a line under it that a click or tap on its name shows
//! and hides, and that shows while a field of the block has the focus it reached from the
//! keyboard (Tab). Screen readers read it as the block's description. On a phone, from the
//! keyboard or to a screen reader, the tooltip was out of reach.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// `content` (a labelled control, or a group of them under a `<legend>`) with `help` as its
/// tooltip, its description, and its line under it. `key` names it for the tests: `help-<key>`
/// is the block, `help-text-<key>` the line.
pub fn with_help(key: String, help: String, content: impl IntoView + 'static) -> AnyView {
    watch_input_modality();
    // Shown by a click on the name (until the next one), or by the keyboard's focus (while
    // it lasts).
    let clicked = RwSignal::new(false);
    let focused = RwSignal::new(false);
    let shown = help.clone();
    let text_id = format!("help-text-{key}");
    let (described_by, testid) = (text_id.clone(), text_id.clone());
    let toggle = move |ev: leptos::ev::MouseEvent| {
        if clicked_own_name(&ev) {
            // Not the label's own click, which would focus the field (on a phone, opening the
            // keyboard over the text the tap asked for).
            ev.prevent_default();
            clicked.update(|o| *o = !*o);
        }
    };
    // By the keyboard only: a click into a field that moved the line of the one before it
    // would move the fields under the pointer between press and release.
    let focus_in = move |_: leptos::ev::FocusEvent| focused.set(KEYBOARD.with(Cell::get));
    let focus_out = move |ev: leptos::ev::FocusEvent| {
        let block = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let to = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        // Still inside (from one field of a group to the next): still shown.
        if matches!((block, to), (Some(b), Some(t)) if b.contains(Some(&t))) {
            return;
        }
        if KEYBOARD.with(Cell::get) {
            focused.set(false);
        } else {
            // Left by a press of the pointer: hidden once its click is over, or the line going
            // would move what is under the pointer between press and release (the click then
            // missed the name it was on).
            CLOSE_AFTER_CLICK.with(|c| c.borrow_mut().push(focused));
        }
    };
    view! {
        <div class="param-help" role="group" title=help data-testid=format!("help-{key}")
            aria-describedby=described_by
            on:click=toggle on:focusin=focus_in on:focusout=focus_out>
            {content}
            // Always there, for the description; hidden until asked for.
            <p class="param-help-text" id=text_id data-testid=testid
                hidden=move || !(clicked.get() || focused.get())>{shown}</p>
        </div>
    }
    .into_any()
}

/// Whether the click was on the name of the block it reached (a `.param-name` or `<legend>`
/// whose nearest help block is the one handling it): a group's blocks sit inside another's,
/// and each name opens its own help only.
fn clicked_own_name(ev: &leptos::ev::MouseEvent) -> bool {
    let element =
        |t: Option<web_sys::EventTarget>| t.and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let (Some(target), Some(block)) = (element(ev.target()), element(ev.current_target())) else {
        return false;
    };
    let Ok(Some(name)) = target.closest(".param-name, legend") else {
        return false;
    };
    matches!(name.closest(".param-help"), Ok(Some(nearest)) if nearest == block)
}

thread_local! {
    /// Whether the last input was a key rather than a pointer: a focus that follows reached
    /// its field from the keyboard.
    static KEYBOARD: Cell<bool> = const { Cell::new(false) };
    /// Whether the listeners that keep [`KEYBOARD`] are on the document.
    static WATCHING: Cell<bool> = const { Cell::new(false) };
    /// Lines shown by the keyboard's focus, whose field a pointer took it from: hidden after
    /// the click.
    static CLOSE_AFTER_CLICK: RefCell<Vec<RwSignal<bool>>> = const { RefCell::new(Vec::new()) };
}

/// Listens, once, on the document for the kind of the last input (capturing, so that no
/// handler that stops an event hides it).
fn watch_input_modality() {
    if WATCHING.with(|w| w.replace(true)) {
        return;
    }
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let listen = |event: &str, keyboard: bool| {
        let set = Closure::<dyn Fn()>::new(move || KEYBOARD.with(|k| k.set(keyboard)));
        let _ = document.add_event_listener_with_callback_and_bool(
            event,
            set.as_ref().unchecked_ref(),
            true,
        );
        // For the page's lifetime, as the document's.
        set.forget();
    };
    listen("keydown", true);
    listen("pointerdown", false);
    // Bubbling, so after the click's own handlers.
    let close = Closure::<dyn Fn()>::new(|| {
        for line in CLOSE_AFTER_CLICK.with(|c| std::mem::take(&mut *c.borrow_mut())) {
            // A block removed meanwhile (another node selected) has nothing to hide.
            let _ = line.try_set(false);
        }
    });
    let _ = document.add_event_listener_with_callback("click", close.as_ref().unchecked_ref());
    close.forget();
}
