//! Fewer points for a line than the plot has pixel columns to show them in. A long run has one
//! point per window (a day at 1 s windows is 86,400), while a plot is a few hundred pixels
//! wide; drawing every segment, several lines a plot, a few times a second, would stall the
//! page. Each column keeps its lowest and highest point, in time order, so a one-window dip or
//! spike (a failure, an alert) still shows at full depth.
//!
//! A value that is NaN is a gap (a window with nothing to show, as latency with no success): a
//! column with a gap keeps one, after its lowest and highest values, so the line still breaks.

/// `K` lines read straight from `items` (a report's series, in time order, about evenly
/// spaced), each reduced to at most two points per column of `columns`, plus its first and last
/// points; all of them when they already fit. `point` gives item `i`'s time and its value on
/// each line. One pass over the items serves every line, and no line is built in full first: a
/// long run's series is a few hundred megabytes.
pub fn thin_by<T, const K: usize>(
    items: &[T],
    columns: usize,
    point: impl Fn(usize, &T) -> (f64, [f64; K]),
) -> [Vec<(f64, f64)>; K] {
    let columns = columns.max(1);
    let len = items.len();
    let mut lines: [Vec<(f64, f64)>; K] =
        std::array::from_fn(|_| Vec::with_capacity(len.min(2 * columns + 2)));
    let push = |lines: &mut [Vec<(f64, f64)>; K], k: usize, p: (f64, f64)| {
        if lines[k].last() != Some(&p) {
            lines[k].push(p);
        }
    };
    if len <= 2 * columns {
        for (i, item) in items.iter().enumerate() {
            let (t, values) = point(i, item);
            for (line, v) in lines.iter_mut().zip(values) {
                line.push((t, v));
            }
        }
        return lines;
    }
    let (t, first) = point(0, &items[0]);
    for (k, v) in first.into_iter().enumerate() {
        push(&mut lines, k, (t, v));
    }
    for c in 0..columns {
        let start = c * len / columns;
        let chunk = &items[start..(c + 1) * len / columns];
        if chunk.is_empty() {
            continue;
        }
        // Per line, (index, time, value) of the lowest and the highest value (the first of
        // equals; index usize::MAX while the column has none), and the time of a gap.
        let mut low = [(usize::MAX, 0.0, 0.0); K];
        let mut high = low;
        let mut gap: [Option<f64>; K] = [None; K];
        for (j, item) in chunk.iter().enumerate() {
            let (t, values) = point(start + j, item);
            for k in 0..K {
                let v = values[k];
                if v.is_nan() {
                    gap[k].get_or_insert(t);
                    continue;
                }
                if low[k].0 == usize::MAX || v < low[k].2 {
                    low[k] = (j, t, v);
                }
                if high[k].0 == usize::MAX || v > high[k].2 {
                    high[k] = (j, t, v);
                }
            }
        }
        for k in 0..K {
            // At most three points, in time order (a NaN never equals the last point, so
            // `push` keeps it).
            // (An array, not a Vec: this runs for every column of every line on each redraw.)
            let mut kept = [(f64::INFINITY, f64::NAN); 3];
            let mut len = 0;
            if low[k].0 != usize::MAX {
                kept[0] = (low[k].1, low[k].2);
                kept[1] = (high[k].1, high[k].2);
                len = 2;
            }
            if let Some(t) = gap[k] {
                kept[len] = (t, f64::NAN);
                len += 1;
            }
            kept[..len].sort_by(|a, b| a.0.total_cmp(&b.0));
            for p in &kept[..len] {
                push(&mut lines, k, *p);
            }
        }
    }
    let (t, last) = point(len - 1, &items[len - 1]);
    for (k, v) in last.into_iter().enumerate() {
        push(&mut lines, k, (t, v));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::thin_by;

    /// One line of points.
    fn thin(points: &[(f64, f64)], columns: usize) -> Vec<(f64, f64)> {
        let [line] = thin_by(points, columns, |_, p| (p.0, [p.1]));
        line
    }

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
    fn a_gap_survives_thinning() {
        // A day of windows with an hour of gap (NaN) in the middle.
        let mut points: Vec<(f64, f64)> = (1..=86_400).map(|t| (t as f64, 50.0)).collect();
        for p in &mut points[40_000..43_600] {
            p.1 = f64::NAN;
        }
        let thinned = thin(&points, 400);
        assert!(thinned.len() <= 3 * 400 + 2, "{} points", thinned.len());
        let gaps: Vec<f64> = thinned
            .iter()
            .filter(|p| p.1.is_nan())
            .map(|p| p.0)
            .collect();
        assert!(!gaps.is_empty());
        assert!(
            gaps.iter().all(|t| (40_001.0..=43_600.0).contains(t)),
            "{gaps:?}"
        );
        // Every value shown is a real one, in time order.
        assert!(thinned.iter().all(|p| p.1.is_nan() || p.1 == 50.0));
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

    #[test]
    fn several_lines_thin_as_each_would_alone() {
        let items: Vec<(f64, f64, f64)> = (0..10_000)
            .map(|i| {
                let t = i as f64;
                (t, (t * 0.37).sin(), (t * 0.011).cos() * 3.0)
            })
            .collect();
        let [a, b] = thin_by(&items, 40, |_, p| (p.0, [p.1, p.2]));
        let alone = |f: fn(&(f64, f64, f64)) -> f64| {
            let points: Vec<(f64, f64)> = items.iter().map(|p| (p.0, f(p))).collect();
            thin(&points, 40)
        };
        assert_eq!(a, alone(|p| p.1));
        assert_eq!(b, alone(|p| p.2));
    }
}
