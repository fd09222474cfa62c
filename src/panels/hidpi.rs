//! Sharp plots on high-density screens. A plot's canvas gets as many pixels as the screen shows
//! for it (its size on the page × `devicePixelRatio`), and everything drawn in pixels (fonts,
//! margins, line widths, markers) is scaled by the same factor, so a plot looks the same size on
//! every screen and its text and lines stay crisp instead of being stretched. With one device
//! pixel per CSS pixel (and in the headless tests) nothing changes.

use web_sys::HtmlCanvasElement;

/// How many device pixels a plot has for each of its CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale(f64);

impl Scale {
    /// The screen's, from `devicePixelRatio`: at least 1 (a zoomed-out page reports less, and
    /// fewer pixels would only blur) and at most 3 (more costs drawing time, not sharpness).
    pub fn of_screen() -> Scale {
        let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        Scale::new(ratio)
    }

    /// `ratio` kept within 1–3 (1 when it is not a number).
    pub fn new(ratio: f64) -> Scale {
        Scale(if ratio.is_finite() {
            ratio.clamp(1.0, 3.0)
        } else {
            1.0
        })
    }

    /// This scale, or `ratio` when that is larger (an exported image's pixels).
    pub fn at_least(self, ratio: f64) -> Scale {
        Scale::new(self.0.max(ratio))
    }

    /// `css` pixels, in the canvas's pixels.
    pub fn px(self, css: u32) -> u32 {
        (f64::from(css) * self.0).round() as u32
    }

    /// `css` pixels (a coordinate offset), in the canvas's pixels.
    pub fn offset(self, css: i32) -> i32 {
        (f64::from(css) * self.0).round() as i32
    }

    /// A font size of `css` pixels, in the canvas's pixels.
    pub fn font(self, css: f64) -> f64 {
        css * self.0
    }

    /// Gives `canvas` the pixels for a plot shown `css` (width, height) pixels large. Setting a
    /// canvas's size clears it, so it is set only when it changes (the caller redraws anyway).
    pub fn fit(self, canvas: &HtmlCanvasElement, css: (u32, u32)) {
        let (w, h) = (self.px(css.0), self.px(css.1));
        if canvas.width() != w {
            canvas.set_width(w);
        }
        if canvas.height() != h {
            canvas.set_height(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_scale_and_the_ratio_stays_sensible() {
        let two = Scale::new(2.0);
        assert_eq!(
            (two.px(400), two.offset(-7), two.font(11.0)),
            (800, -14, 22.0)
        );
        let odd = Scale::new(1.25);
        assert_eq!((odd.px(220), odd.px(5), odd.offset(14)), (275, 6, 18));
        assert_eq!(Scale::new(0.5), Scale::new(1.0));
        assert_eq!(Scale::new(4.0), Scale::new(3.0));
        assert_eq!(Scale::new(f64::NAN), Scale::new(1.0));
        assert_eq!(Scale::new(1.0).px(400), 400);
    }
}
