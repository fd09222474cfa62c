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

/// Narrowest a label is drawn, as a share of its natural width: condensed further, its glyphs
/// run together ("Primary web application server with database…" became a smear).
const MIN_SQUEEZE: f64 = 0.7;

/// What to draw for `text` in `room`, and its `textLength`: the whole text, condensed if need
/// be; or, when that would squeeze it past `MIN_SQUEEZE`, its longest beginning that fits
/// with an ellipsis (the node's tooltip and label keep the whole name).
pub fn fitted_label(text: &str, font: &'static str, room: f64) -> (String, Option<String>) {
    let (shown, drawn) = fit_label(text, room, |t| width(t, font));
    (shown, drawn.map(|w| format!("{w:.1}")))
}

/// [`fitted_label`] with the measure given (so it is tested without a browser).
fn fit_label(
    text: &str,
    room: f64,
    measure: impl Fn(&str) -> Option<f64>,
) -> (String, Option<f64>) {
    let readable = |w: f64| w * MIN_SQUEEZE <= room - HINTING_SLACK;
    match measure(text) {
        None => return (text.to_string(), None),
        Some(w) if readable(w) => return (text.to_string(), condensed(w, room)),
        Some(_) => {}
    }
    let chars: Vec<char> = text.chars().collect();
    let cut = |n: usize| format!("{}…", chars[..n].iter().collect::<String>().trim_end());
    // The longest beginning that fits: `fits` chars do (none always may), `too_many` do not.
    let (mut fits, mut too_many) = (0, chars.len());
    while too_many - fits > 1 {
        let mid = (fits + too_many) / 2;
        if measure(&cut(mid)).is_some_and(readable) {
            fits = mid;
        } else {
            too_many = mid;
        }
    }
    let shown = cut(fits);
    let drawn = measure(&shown).and_then(|w| condensed(w, room));
    (shown, drawn)
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
    fn a_label_too_long_to_condense_readably_is_cut_short() {
        // 8 px a character: the room fits 10 whole, 14 condensed to the limit.
        let measure = |t: &str| Some(8.0 * t.chars().count() as f64);
        let room = 82.0;
        assert_eq!(fit_label("Web", room, measure), ("Web".to_string(), None));
        assert_eq!(
            fit_label("Web servers", room, measure),
            ("Web servers".to_string(), Some(room - HINTING_SLACK))
        );
        let (shown, drawn) = fit_label("Primary web application server", room, measure);
        assert_eq!(shown, "Primary web a…", "14 characters with the ellipsis");
        assert_eq!(drawn, Some(room - HINTING_SLACK));
        // Never a trailing space before the ellipsis; nothing to measure, nothing cut.
        assert_eq!(
            fit_label("Primary web   x", room, measure).0,
            "Primary web…"
        );
        assert_eq!(
            fit_label("Anything at all, long", room, |_| None).0,
            "Anything at all, long"
        );
    }

    #[test]
    fn only_a_label_wider_than_its_room_is_condensed() {
        assert_eq!(condensed(80.0, LABEL_ROOM), None);
        let fit = LABEL_ROOM - HINTING_SLACK;
        assert_eq!(condensed(fit, LABEL_ROOM), None);
        assert_eq!(condensed(LABEL_ROOM, LABEL_ROOM), Some(fit));
        assert_eq!(condensed(104.0, LABEL_ROOM), Some(fit));
    }
}
