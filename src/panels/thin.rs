//! Fewer points for a line than the plot has pixel columns to show them in. A long run has one
//! point per window (a day at 1 s windows is 86,400), while a plot is a few hundred pixels
//! wide; drawing every segment, several lines a plot, a few times a second, would stall the
//! page. Each column keeps its lowest and highest point, in time order, so a one-window dip or
//! spike (a failure, an alert) still shows at full depth.

use std::borrow::Cow;

/// `points` (in time order, about evenly spaced) reduced to at most two per column of
/// `columns`, plus the first and last points; unchanged when they already fit.
pub fn thin(points: &[(f64, f64)], columns: usize) -> Cow<'_, [(f64, f64)]> {
    let columns = columns.max(1);
    let n = points.len();
    if n <= 2 * columns {
        return Cow::Borrowed(points);
    }
    let mut out = Vec::with_capacity(2 * columns + 2);
    out.push(points[0]);
    for c in 0..columns {
        let group = &points[c * n / columns..(c + 1) * n / columns];
        let (mut low, mut high) = (0, 0);
        for (i, p) in group.iter().enumerate() {
            if p.1 < group[low].1 {
                low = i;
            }
            if p.1 > group[high].1 {
                high = i;
            }
        }
        for i in [low.min(high), low.max(high)] {
            if out.last() != Some(&group[i]) {
                out.push(group[i]);
            }
        }
    }
    if out.last() != Some(&points[n - 1]) {
        out.push(points[n - 1]);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::thin;

    #[test]
    fn short_lines_are_drawn_as_they_are() {
        let points: Vec<(f64, f64)> = (0..100).map(|i| (i as f64, i as f64)).collect();
        assert_eq!(thin(&points, 50).as_ref(), points.as_slice());
        assert!(thin(&[], 10).is_empty());
    }

    #[test]
    fn long_lines_keep_their_ends_and_every_dip_and_spike() {
        // A day of 1 s windows at 99.9 %, with a one-window dip and a one-window spike.
        let mut points: Vec<(f64, f64)> = (1..=86_400).map(|t| (t as f64, 99.9)).collect();
        points[40_000].1 = 61.0;
        points[70_001].1 = 100.0;
        let thinned = thin(&points, 400);
        assert!(thinned.len() <= 2 * 400 + 2, "{} points", thinned.len());
        assert_eq!(thinned.first(), points.first());
        assert_eq!(thinned.last(), points.last());
        assert!(thinned.contains(&points[40_000]) && thinned.contains(&points[70_001]));
        let values = |ps: &[(f64, f64)]| {
            let v = ps.iter().map(|p| p.1);
            (
                v.clone().fold(f64::MAX, f64::min),
                v.fold(f64::MIN, f64::max),
            )
        };
        assert_eq!(values(&thinned), values(&points));
        // Still in time order, so the line is drawn left to right.
        assert!(thinned.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn a_column_keeps_its_low_and_high_in_the_order_they_came() {
        let points: Vec<(f64, f64)> = [5.0, 9.0, 1.0, 4.0, 3.0, 8.0, 2.0, 7.0]
            .iter()
            .enumerate()
            .map(|(i, v)| (i as f64, *v))
            .collect();
        // Two columns of four: (high 9 at 1, low 1 at 2), then (low 2 at 6, high 8 at 5).
        assert_eq!(
            thin(&points, 2).as_ref(),
            &[
                (0.0, 5.0),
                (1.0, 9.0),
                (2.0, 1.0),
                (5.0, 8.0),
                (6.0, 2.0),
                (7.0, 7.0)
            ]
        );
    }
}
