//! Keeps a node's two lines of text inside its box. A label is measured in the font the page
//! really draws it with (a 2D canvas's `measureText`, exact for whatever font this platform
//! resolves `system-ui` to), and one wider than its room gets an SVG `textLength`, which draws
//! it condensed to fit: "Load balancer" used to run over the box's edge and its output port.
//! Widths are remembered per font and text, so a redraw measures nothing.

use std::cell::RefCell;
use std::collections::HashMap;

use wasm_bindgen::JsCast;

use crate::editor::geometry::NODE_W;

/// Where a label starts: right of the kind's badge.
pub const LABEL_X: f64 = 40.0;
/// Room for a label: from its start to the output port, which overlaps the box's right edge.
pub const LABEL_ROOM: f64 = NODE_W - LABEL_X - 8.0;
/// The node's name, as `.node-name` in style/main.css on the canvas's font family.
pub const NAME_FONT: &str = r#"600 13px system-ui, -apple-system, "Segoe UI", sans-serif"#;
/// The kind line, as `.node-kind`.
pub const KIND_FONT: &str = r#"11px system-ui, -apple-system, "Segoe UI", sans-serif"#;

// The room ends before the output port, whose circle (radius 7) overlaps the box's edge.
const _: () = assert!(LABEL_X + LABEL_ROOM < NODE_W - 7.0);

/// Labels remembered at most; names come from users, so the memory is bounded.
const REMEMBERED: usize = 1_000;

thread_local! {
    static CONTEXT: Option<web_sys::CanvasRenderingContext2d> = measuring_context();
    static WIDTHS: RefCell<HashMap<(&'static str, String), f64>> = RefCell::new(HashMap::new());
}

/// The `textLength` that fits `text`, drawn in `font`, into `room` pixels: `None` when it fits
/// as it is (or cannot be measured, where it is drawn as it is).
pub fn fitted_length(text: &str, font: &'static str, room: f64) -> Option<String> {
    condensed(width(text, font)?, room).map(|w| format!("{w:.1}"))
}

/// Pixels a label may come out wider in the SVG than the canvas measured it: glyphs are
/// hinted at the zoom they are drawn at (a name measured 0.3 px inside its room ran 0.3 px
/// past it at one fitted zoom of preset 10).
const HINTING_SLACK: f64 = 2.0;

/// The length to draw a label `width` pixels wide in `room`: only ever narrower, and a
/// little inside the room.
fn condensed(width: f64, room: f64) -> Option<f64> {
    let fit = room - HINTING_SLACK;
    (width > fit).then_some(fit)
}

fn width(text: &str, font: &'static str) -> Option<f64> {
    let key = (font, text.to_string());
    if let Some(w) = WIDTHS.with(|m| m.borrow().get(&key).copied()) {
        return Some(w);
    }
    let w = CONTEXT.with(|c| {
        let c = c.as_ref()?;
        c.set_font(font);
        c.measure_text(text).ok().map(|m| m.width())
    })?;
    WIDTHS.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= REMEMBERED {
            m.clear();
        }
        m.insert(key, w);
    });
    Some(w)
}

/// A 2D context of a canvas that is never attached to the page, for measuring text.
fn measuring_context() -> Option<web_sys::CanvasRenderingContext2d> {
    let canvas = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into::<web_sys::HtmlCanvasElement>()
        .ok()?;
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_label_wider_than_its_room_is_condensed() {
        assert_eq!(condensed(80.0, LABEL_ROOM), None);
        let fit = LABEL_ROOM - HINTING_SLACK;
        assert_eq!(condensed(fit, LABEL_ROOM), None);
        assert_eq!(condensed(LABEL_ROOM, LABEL_ROOM), Some(fit));
        assert_eq!(condensed(104.0, LABEL_ROOM), Some(fit));
    }
}
