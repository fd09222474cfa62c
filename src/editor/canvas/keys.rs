//! The canvas's keyboard: undo and redo, copy, cut, paste and duplicate (Ctrl+C, X, V, D),
//! Space held to pan, Escape, Delete, and Shift+1 to fit,
//! listened to on the window but left alone when the key is meant for a field or a control.
//! A focused node or call handles its own Enter and arrow keys ([`super::node_view`]).

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{focus_canvas, Gestures};
use crate::editor::clipboard::{delete_and_deselect, duplicate, paste_and_select, Clipboard};
use crate::editor::edits::Edit;

/// Follows key presses on the window.
pub(super) fn follow_keys(g: Gestures) {
    let Gestures {
        doc,
        selection,
        selected_edge,
        palette,
        opener,
        drag,
        space,
        wire_hint,
        ..
    } = g;
    let clipboard = expect_context::<Clipboard>();
    follow_typing();
    let _keys = window_event_listener(ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() {
            // In a text field the keys are the field's (copy, paste, select its text), but for
            // undo and redo once what was typed there is committed.
            let undo_key = matches!(ev.key().to_ascii_lowercase().as_str(), "z" | "y");
            let fields_own = !undo_key || typed_uncommitted(&ev);
            if in_text_field(&ev) {
                if fields_own {
                    return;
                }
                // The app's undo or redo puts the scenario's value in the field on the next
                // frame: that is then its committed text.
                if let Some(field) = key_target(&ev) {
                    request_animation_frame(move || mark_committed(&field));
                }
            }
            let nodes = selection.get_untracked();
            let copy = |nodes: &[String]| clipboard.copy(doc, nodes);
            // Shift turns "z" into "Z"; Ctrl+Y is the Windows habit for redo.
            let handled = match ev.key().to_ascii_lowercase().as_str() {
                "z" if ev.shift_key() => {
                    opener.redo();
                    true
                }
                "z" => {
                    opener.undo();
                    true
                }
                "y" => {
                    opener.redo();
                    true
                }
                // Selected text (in a panel) is the browser's to copy; the nodes are copied
                // too, but a cut leaves them while text is selected.
                "c" if !nodes.is_empty() => {
                    copy(&nodes);
                    false
                }
                "x" if !nodes.is_empty() && !text_selected() => {
                    copy(&nodes);
                    delete_and_deselect(doc, selection, nodes);
                    true
                }
                // Each paste lands below the last (see `clipboard::paste`).
                "v" => match clipboard.0.get_value() {
                    Some(c) => {
                        paste_and_select(doc, selection, c);
                        true
                    }
                    None => false,
                },
                // Not left to the browser even with nothing selected: there it bookmarked the
                // page, a dialog over the editor.
                "d" => {
                    duplicate(doc, selection, &nodes);
                    true
                }
                _ => false,
            };
            if handled {
                ev.prevent_default();
            }
            return;
        }
        if typing_in_a_field(&ev) {
            return;
        }
        match ev.key().as_str() {
            " " if !pressing_a_control(&ev) && !on_a_drawn_button(&ev) => {
                space.set(true);
                ev.prevent_default();
            }
            // The usual way out: a drag (from the palette too) is dropped where it began, else
            // the selection is cleared. An open menu handles its own Escape first.
            "Escape" if !ev.default_prevented() => {
                if drag.get_untracked().is_some() || palette.0.get_untracked().is_some() {
                    drag.set(None);
                    palette.0.set(None);
                    wire_hint.set(None);
                } else {
                    selection.set(Vec::new());
                    selected_edge.set(None);
                }
            }
            // Not from a button, a menu or a link with the focus (pressed just before, as
            // the inspector's "Fail now"): the key is meant for it, and deleting the node it
            // belongs to took everything drawn to it along.
            "Delete" | "Backspace" if !pressing_a_control(&ev) => {
                let nodes = selection.get_untracked();
                let edges: Vec<_> = selected_edge.get_untracked().into_iter().collect();
                if !nodes.is_empty() || !edges.is_empty() {
                    ev.prevent_default();
                    doc.apply(Edit::Delete { nodes, edges });
                    selection.set(Vec::new());
                    selected_edge.set(None);
                    focus_canvas();
                }
            }
            "!" if ev.shift_key() => g.fit(),
            _ if ev.code() == "Digit1" && ev.shift_key() => g.fit(),
            _ => {}
        }
    });
    let _keyup = window_event_listener(ev::keyup, move |ev| {
        if ev.key() == " " {
            space.set(false);
        }
    });
}

/// Whether the page has text selected (in a panel, say), which Ctrl+X leaves to the browser.
fn text_selected() -> bool {
    window()
        .get_selection()
        .ok()
        .flatten()
        .is_some_and(|s| !s.is_collapsed())
}

/// The element a key event is aimed at.
fn key_target(ev: &web_sys::KeyboardEvent) -> Option<web_sys::Element> {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
}

/// Whether the key goes to a form control, which handles Space, Delete and the like itself.
fn typing_in_a_field(ev: &web_sys::KeyboardEvent) -> bool {
    key_target(ev).is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// Whether the key goes to a control that Space presses (a button, a menu's summary, a link):
/// there Space keeps doing that rather than starting a pan, so the app works from the keyboard.
fn pressing_a_control(ev: &web_sys::KeyboardEvent) -> bool {
    key_target(ev).is_some_and(|e| matches!(e.tag_name().as_str(), "BUTTON" | "SUMMARY" | "A"))
}

/// Whether the key goes to a focused node or call (drawn with `role="button"`), which takes
/// Space as Enter: it selects them, as Space presses a button, rather than starting a pan.
fn on_a_drawn_button(ev: &web_sys::KeyboardEvent) -> bool {
    key_target(ev).is_some_and(|e| e.get_attribute("role").as_deref() == Some("button"))
}

/// The attribute holding a text field's text as last committed (or as found on focus).
const COMMITTED: &str = "data-committed";

/// A field's text (an input's or a textarea's `value`), if it has one.
fn field_value(e: &web_sys::Element) -> Option<String> {
    js_sys::Reflect::get(e, &"value".into()).ok()?.as_string()
}

/// Keeps each text field's committed text (on focus, and at each `change`: Enter, or the
/// focus leaving it), for [`typed_uncommitted`]: typed text differs from it, and so does the
/// browser's own undo of the typing until the text is back to the committed one, where the
/// next Ctrl+Z is the app's. (Counted as typed until its commit, the second Ctrl+Z ran the
/// browser's undo past the commit: the box showed the value from before it while the
/// scenario kept the committed one.)
fn follow_typing() {
    let target = |ev: &web_sys::Event| {
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    };
    // Text typed in a field is committed when the focus leaves it, so on focus the text is
    // the committed one.
    let _focused = window_event_listener(ev::focusin, move |ev| {
        if let Some(e) = target(&ev) {
            mark_committed(&e);
        }
    });
    let _committed = window_event_listener(ev::change, move |ev| {
        if let Some(e) = target(&ev) {
            mark_committed(&e);
        }
    });
}

/// Takes `e`'s text as committed: on focus, after a `change`, and after the app's undo or
/// redo from the field has put the scenario's value in it.
fn mark_committed(e: &web_sys::Element) {
    if let Some(text) = field_value(e) {
        let _ = e.set_attribute(COMMITTED, &text);
    }
}

/// Whether the key goes to a field that edits text. A checkbox, a select or a button has no
/// undo of its own: there Ctrl+Z undoes the last edit of the scenario, such as the tick just
/// made.
fn in_text_field(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(e) = key_target(ev) else {
        return false;
    };
    match e.tag_name().as_str() {
        "TEXTAREA" => true,
        "INPUT" => e.dyn_into::<web_sys::HtmlInputElement>().is_ok_and(|i| {
            !matches!(
                i.type_().as_str(),
                "checkbox" | "radio" | "range" | "color" | "button" | "submit" | "reset" | "file"
            )
        }),
        _ => false,
    }
}

/// Whether the key goes to a field with text typed and not yet committed, whose Ctrl+Z then
/// undoes that typing. Once it is committed (Enter), Ctrl+Z there undoes the edit of the
/// scenario, as the Undo button does: the browser's own undo put back the text from before
/// the typing, often an empty field, and committing that made a new edit instead.
fn typed_uncommitted(ev: &web_sys::KeyboardEvent) -> bool {
    key_target(ev).is_some_and(|e| {
        let committed = e.get_attribute(COMMITTED);
        committed.is_some() && field_value(&e) != committed
    })
}
