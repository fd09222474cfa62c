//! Where the keyboard's focus goes when the control that had it goes away. A pressed button
//! that disables itself (Run while running, Pause once paused), is replaced (Pin by Unpin) or
//! removed (a deleted node's panel) leaves the focus to the browser, which drops it to the
//! page's start: a keyboard user then has to Tab through the whole bar again. These helpers
//! hand it to the control that comes next instead.

use wasm_bindgen::JsCast;

/// Gives the focus to the first element on the page that matches one of `selectors`, in
/// order, and is not disabled. Returns whether one took it.
pub fn focus_first(selectors: &[&str]) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    selectors
        .iter()
        .filter_map(|s| document.query_selector(s).ok().flatten())
        .filter(|e| !e.has_attribute("disabled"))
        .any(|e| focus(e).is_some())
}

/// Gives the focus to the first element matching `selector` and scrolls it to the middle of
/// the window: scrolled only as far as its edge, it sat under the banner fixed to a phone's
/// bottom, which says why it has the focus.
pub fn focus_in_sight(selector: &str) {
    let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
    else {
        return;
    };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    element.scroll_into_view_with_scroll_into_view_options(&options);
    focus(element);
}

/// Focuses an HTML or SVG element (the canvas, a node): the two have no common type with
/// `focus` in web-sys.
fn focus(element: web_sys::Element) -> Option<()> {
    match element.dyn_into::<web_sys::HtmlElement>() {
        Ok(html) => html.focus().ok(),
        Err(other) => other.dyn_into::<web_sys::SvgElement>().ok()?.focus().ok(),
    }
}

/// Whether nothing useful has the focus: the page itself (where the browser puts it when the
/// focused element is removed), or an element that has just been disabled.
fn focus_lost() -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    match document.active_element() {
        None => true,
        Some(e) => e.tag_name() == "BODY" || e.has_attribute("disabled"),
    }
}

/// After the next frame (when the page shows what the press changed), gives the focus to
/// the first of `selectors` if the pressed control lost it.
pub fn refocus_if_lost(selectors: &'static [&'static str]) {
    leptos::leptos_dom::helpers::request_animation_frame(move || {
        if focus_lost() {
            focus_first(selectors);
        }
    });
}
