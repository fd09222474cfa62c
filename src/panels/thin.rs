//! Fewer points for a line than the plot has pixel columns to show them in. A long run has one
//! point per window (a day at 1 s windows is 86,400), while a plot is a few hundred pixels
//! wide; drawing every segment, several lines a plot, a few times a second, would stall the
//! page. Each column keeps its lowest and highest point, in time order, so a one-window dip or
//! spike (a failure, an alert) still shows at full depth.

/// `points` (in time order, about evenly spaced) reduced to at most two per column of
/// `columns`, plus the first and last points; all of them when they already fit.
pub fn thin(points: &[(f64, f64)], columns: usize) -> Vec<(f64, f64)> {
    thin_by(points.len(), columns, |i| points[i])
}

/// [`thin`] over the `len` points that `point` gives by index, without building the whole
/// line first: a plot of a long run reads its few hundred points straight from the report.
pub fn thin_by(len: usize, columns: usize, point: impl Fn(usize) -> (f64, f64)) -> Vec<(f64, f64)> {
    let columns = columns.max(1);
    if len <= 2 * columns {
        return (0..len).map(point).collect();
    }
    let mut out = Vec::with_capacity(2 * columns + 2);
    out.push(point(0));
    for c in 0..columns {
        let (start, end) = (c * len / columns, (c + 1) * len / columns);
        if start == end {
            continue;
        }
        // (index, point) of the lowest and the highest value; the first of equals.
        let first = point(start);
        let (mut low, mut high) = ((start, first), (start, first));
        for i in start + 1..end {
            let p = point(i);
            if p.1 < low.1 .1 {
                low = (i, p);
            }
            if p.1 > high.1 .1 {
                high = (i, p);
            }
        }
        let (a, b) = if low.0 <= high.0 {
            (low, high)
        } else {
            (high, low)
        };
        for (_, p) in [a, b] {
            if out.last() != Some(&p) {
                out.push(p);
            }
        }
    }
    let last = point(len - 1);
    if out.last() != Some(&last) {
        out.push(last);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::thin;

    #[test]
    fn short_lines_are_drawn_as_they_are() {
        let points: Vec<(f64, f64)> = (0..100).map(|i| (i as f64, i as f64)).collect();
        assert_eq!(thin(&points, 50), points);
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
            thin(&points, 2),
            [
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
