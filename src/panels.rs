//! The panels around the canvas: run bar, File menu, palette, inspector, the plots' band
//! (summary, charts with their fault key and their figures as tables), banner;
//! `thin`, which the plots share, and `focus`, where the keyboard's focus goes next.

pub mod banner;
pub mod chart_table;
pub mod charts;
pub mod fault_key;
pub mod files;
pub mod focus;
pub mod hidpi;
pub mod inspector;
pub mod legend;
pub mod palette;
pub mod plots;
pub mod runbar;
pub mod summary;
pub mod thin;

/// `x` cut (towards zero) to `decimals` places, so that printing it with that many places
/// never rounds it up: an availability of 99.9996% must not read as 100.000 anywhere (the
/// summary cut it, the client panel and the canvas rounded it). The tiny allowance keeps a
/// value stored just below a whole number of places (99.9 as 99.89999…) at itself.
pub fn cut(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale + 1e-6).floor() / scale
}

/// A field's tooltip showing its whole `text` when it is longer than the `fits` characters
/// the field shows; none otherwise, as a screen reader reads a title after the value, which
/// said every short name and seed twice.
pub fn title_when_cut(text: String, fits: usize) -> Option<String> {
    (text.chars().count() > fits).then_some(text)
}

/// Puts `text` back into the input an event came from: after refusing what was typed, the
/// field shows the value that still holds.
pub fn show_value(ev: &leptos::ev::Event, text: &str) {
    use wasm_bindgen::JsCast;
    if let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.set_value(text);
    }
}

/// Keeps a key out of the number input `testid` when it would be dropped or misread there (a
/// letter, a comma: see `fields::refused_in_number`), saying so in `banner`. Keys held with
/// Ctrl, Cmd or Alt are shortcuts (Ctrl+A, Ctrl+Enter), and named keys (Enter, Backspace,
/// ArrowUp) are longer than one character: both pass.
pub fn refuse_key_in_number(
    ev: &leptos::ev::KeyboardEvent,
    testid: &str,
    banner: leptos::prelude::RwSignal<Option<String>>,
) {
    use leptos::prelude::Set;
    let key = ev.key();
    let shortcut = ev.ctrl_key() || ev.meta_key() || ev.alt_key();
    if shortcut || key.chars().count() != 1 {
        return;
    }
    if let Some(why) = inspector::fields::refused_in_number(testid, &key) {
        ev.prevent_default();
        banner.set(Some(why));
    }
}

/// [`refuse_key_in_number`] for pasted text ("1,5" was pasted as 15, "2k" as nothing).
pub fn refuse_paste_in_number(
    ev: &leptos::ev::ClipboardEvent,
    testid: &str,
    banner: leptos::prelude::RwSignal<Option<String>>,
) {
    use leptos::prelude::Set;
    let pasted = ev.clipboard_data().and_then(|d| d.get_data("text").ok());
    let refused = pasted.and_then(|text| inspector::fields::refused_in_number(testid, text.trim()));
    if let Some(why) = refused {
        ev.prevent_default();
        banner.set(Some(why));
    }
}

/// Whether the number input an event came from holds text that is not a number (`1e`, `--5`,
/// `1e400`). The browser then gives its value as "", which would read as "emptied: the
/// default", so the text must be refused instead.
pub fn typed_not_a_number(ev: &leptos::ev::Event) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|input| input.validity().bad_input())
}
