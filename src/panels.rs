//! The panels around the canvas: run bar, File menu, palette, inspector, summary, charts with
//! their fault key, banner;
//! and `thin`, which the plots share.

pub mod banner;
pub mod charts;
pub mod fault_key;
pub mod files;
pub mod hidpi;
pub mod inspector;
pub mod legend;
pub mod palette;
pub mod runbar;
pub mod summary;
pub mod thin;

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
