//! Where a plot's legend goes: the side or corner of the plotting area where it hides the fewest
//! drawn points (as matplotlib's `loc="best"`). A fixed place always ended up on some plot's
//! data: the throughput lines run along the top, the availability dips fall to the bottom, and
//! latency lines wander through the middle.

use plotters::chart::SeriesLabelPosition;

/// Padding inside the legend box and width of each line's swatch, in pixels (the plots pass both
/// to plotters, so the estimate below matches what is drawn).
pub const MARGIN: u32 = 4;
pub const SWATCH: u32 = 18;

/// Average advance of one character of the legends' 11 px sans-serif font, rounded up, and the
/// height of one line of it, in pixels. Only an estimate: a slightly larger box is harmless.
const CHAR_W: i32 = 7;
const LINE_H: i32 = 14;

/// The places tried, in order of preference when several hide equally little.
const PLACES: [SeriesLabelPosition; 8] = [
    SeriesLabelPosition::UpperRight,
    SeriesLabelPosition::MiddleRight,
    SeriesLabelPosition::LowerRight,
    SeriesLabelPosition::UpperLeft,
    SeriesLabelPosition::MiddleLeft,
    SeriesLabelPosition::LowerLeft,
    SeriesLabelPosition::UpperMiddle,
    SeriesLabelPosition::LowerMiddle,
];

/// The size in pixels of a legend listing `labels`, one per line.
pub fn legend_size<S: AsRef<str>>(labels: &[S]) -> (i32, i32) {
    let longest = labels
        .iter()
        .map(|l| l.as_ref().chars().count())
        .max()
        .unwrap_or(0) as i32;
    let pad = 2 * MARGIN as i32;
    (
        longest * CHAR_W + SWATCH as i32 + pad,
        labels.len() as i32 * LINE_H + pad,
    )
}

/// The box (left, top, right, bottom) plotters draws a legend of `size` in at `place`, inside a
/// plotting area of `area` pixels: 5 px from the edges it keeps to (the rule of plotters'
/// private `SeriesLabelPosition::layout_label_area`).
fn legend_box(place: &SeriesLabelPosition, size: (i32, i32), area: (i32, i32)) -> [i32; 4] {
    use SeriesLabelPosition::*;
    let x = match place {
        UpperLeft | MiddleLeft | LowerLeft => 5,
        UpperMiddle | MiddleMiddle | LowerMiddle => (area.0 - size.0) / 2,
        UpperRight | MiddleRight | LowerRight => area.0 - size.0 - 5,
        Coordinate(x, _) => *x,
    };
    let y = match place {
        UpperLeft | UpperMiddle | UpperRight => 5,
        MiddleLeft | MiddleMiddle | MiddleRight => (area.1 - size.1) / 2,
        LowerLeft | LowerMiddle | LowerRight => area.1 - size.1 - 5,
        Coordinate(_, y) => *y,
    };
    [x, y, x + size.0, y + size.1]
}

/// Where a legend of `size` hides the fewest of `points` (pixels from the plotting area's top
/// left corner, which is `area` pixels large); the first of `PLACES` among equals. The plots
/// are redrawn many times a second during a run, so a legend stays at `current` unless another
/// place hides clearly less (a quarter less, and at least 4 points): it does not hop between two
/// places that are about as good.
pub fn best_place(
    points: &[(i32, i32)],
    size: (i32, i32),
    area: (i32, i32),
    current: Option<&SeriesLabelPosition>,
) -> SeriesLabelPosition {
    let places = candidates(size, area);
    let hidden: Vec<usize> = places
        .iter()
        .map(|place| hidden_at(place, points, size, area))
        .collect();
    // `min_by_key` keeps the first of equals: the order of the candidates is the preference.
    let best = (0..places.len()).min_by_key(|&i| hidden[i]).unwrap_or(0);
    let stay = current.and_then(|now| places.iter().position(|p| p == now));
    match stay {
        Some(now) if hidden[now] <= hidden[best] + (hidden[best] / 4).max(4) => places[now].clone(),
        _ => places[best].clone(),
    }
}

/// The places tried: the named ones of [`PLACES`] first, then steps down the left and right
/// sides between them. A plot with lines at its top, middle and bottom (preset 10's latency:
/// the SLO line, p95/p99, p50) hid some line at every named place, while a free band between
/// two of them held the whole legend.
fn candidates(size: (i32, i32), area: (i32, i32)) -> Vec<SeriesLabelPosition> {
    let mut places = PLACES.to_vec();
    let (top, bottom) = (5, area.1 - size.1 - 5);
    let step = (size.1 / 2).max(LINE_H);
    for x in [area.0 - size.0 - 5, 5] {
        places.extend(
            (top..=bottom)
                .step_by(step as usize)
                .map(|y| SeriesLabelPosition::Coordinate(x, y)),
        );
    }
    places
}

/// How many of `points` a legend of `size` at `place` hides.
pub fn hidden_at(
    place: &SeriesLabelPosition,
    points: &[(i32, i32)],
    size: (i32, i32),
    area: (i32, i32),
) -> usize {
    let [left, top, right, bottom] = legend_box(place, size, area);
    points
        .iter()
        .filter(|(x, y)| (left..=right).contains(x) && (top..=bottom).contains(y))
        .count()
}

/// A place's name, for the plots' `data-legend` test hook.
pub fn place_name(place: &SeriesLabelPosition) -> &'static str {
    use SeriesLabelPosition::*;
    match place {
        UpperLeft => "upper-left",
        MiddleLeft => "middle-left",
        LowerLeft => "lower-left",
        UpperMiddle => "upper-middle",
        MiddleMiddle => "middle",
        LowerMiddle => "lower-middle",
        UpperRight => "upper-right",
        MiddleRight => "middle-right",
        LowerRight => "lower-right",
        Coordinate(..) => "coordinate",
    }
}

/// `count` points evenly along the segment from `a` to `b` (pixels), ends included: a straight
/// line (the SLO) or a jump between two far-apart points of a series hides data all along it.
pub fn along(a: (i32, i32), b: (i32, i32), count: usize) -> impl Iterator<Item = (i32, i32)> {
    let steps = count.max(2) - 1;
    (0..=steps).map(move |i| {
        let f = i as f64 / steps as f64;
        let lerp = |p: i32, q: i32| p + ((q - p) as f64 * f).round() as i32;
        (lerp(a.0, b.0), lerp(a.1, b.1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREA: (i32, i32) = (300, 160);

    /// A flat line `y` px from the top, across the whole area.
    fn flat(y: i32) -> Vec<(i32, i32)> {
        along((0, y), (AREA.0, y), 150).collect()
    }

    #[test]
    fn the_legend_avoids_the_data() {
        let size = legend_size(&["offered", "ok", "timeout", "rejected", "down"]);
        // Throughput: offered and ok along the top, the errors along the bottom: the middle.
        let mut points = flat(10);
        points.extend(flat(150));
        assert_eq!(
            best_place(&points, size, AREA, None),
            SeriesLabelPosition::MiddleRight
        );
        assert_eq!(
            hidden_at(&SeriesLabelPosition::MiddleRight, &points, size, AREA),
            0
        );
        assert!(hidden_at(&SeriesLabelPosition::UpperRight, &points, size, AREA) > 10);
        // Availability at 100 % with the SLO line just under it, and a dip to the bottom at
        // the right: the middle of the left side.
        let mut points = flat(8);
        points.extend(flat(20));
        points.extend(along((250, 8), (260, 155), 60));
        points.extend(along((260, 155), (270, 8), 60));
        let small = legend_size(&["SLO", "availability"]);
        assert_eq!(
            best_place(&points, small, AREA, None),
            SeriesLabelPosition::MiddleLeft
        );
        // Nothing drawn yet: the usual corner.
        assert_eq!(
            best_place(&[], size, AREA, None),
            SeriesLabelPosition::UpperRight
        );
    }

    #[test]
    fn a_free_band_between_lines_takes_the_legend() {
        // Lines at the top, a quarter of the way down, half way and at the bottom: every named
        // place hides one, the band between the third and the last is free.
        let mut points = flat(8);
        points.extend(flat(45));
        points.extend(flat(80));
        points.extend(flat(152));
        let size = legend_size(&["SLO", "p50"]);
        assert!(PLACES.iter().all(|p| hidden_at(p, &points, size, AREA) > 0));
        let place = best_place(&points, size, AREA, None);
        assert_eq!(hidden_at(&place, &points, size, AREA), 0, "{place:?}");
        let [left, top, right, bottom] = legend_box(&place, size, AREA);
        assert!(left >= 5 && top > 80 && right <= AREA.0 - 5 && bottom < 152);
        assert_eq!(place_name(&place), "coordinate");
    }

    #[test]
    fn a_line_rising_to_the_right_keeps_the_legend_off_it() {
        let points: Vec<_> = along((0, 155), (300, 5), 300).collect();
        let size = legend_size(&["p50", "p95", "p99"]);
        let place = best_place(&points, size, AREA, None);
        let [left, top, right, bottom] = legend_box(&place, size, AREA);
        let hidden = points
            .iter()
            .filter(|(x, y)| (left..=right).contains(x) && (top..=bottom).contains(y))
            .count();
        assert_eq!(hidden, 0, "{place:?}");
        // Under the line on the right, rather than in the upper corner it crosses.
        assert_eq!(place, SeriesLabelPosition::MiddleRight);
    }

    #[test]
    fn the_legend_stays_put_unless_another_place_is_clearly_better() {
        let size = legend_size(&["p50", "p95", "p99"]);
        let upper = SeriesLabelPosition::UpperRight;
        let middle = Some(&SeriesLabelPosition::MiddleRight);
        // A few points in the middle right, none in the upper right: 3 hidden is close enough.
        let few: Vec<_> = along((260, 80), (262, 80), 3).collect();
        assert_eq!(best_place(&few, size, AREA, None), upper);
        assert_eq!(
            best_place(&few, size, AREA, middle),
            SeriesLabelPosition::MiddleRight
        );
        // A whole line through it: move.
        let many = flat(80);
        assert_eq!(best_place(&many, size, AREA, middle), upper);
    }

    #[test]
    fn sizes_grow_with_the_labels_and_boxes_stay_inside() {
        let one = legend_size(&["ok"]);
        let five = legend_size(&["offered", "ok", "timeout", "rejected", "down"]);
        assert!(
            five.0 > one.0 && five.1 == one.1 + 4 * LINE_H,
            "{one:?} {five:?}"
        );
        for place in &PLACES {
            let [left, top, right, bottom] = legend_box(place, five, AREA);
            assert!(left >= 5 && top >= 5 && right <= AREA.0 - 5 && bottom <= AREA.1 - 5);
        }
    }

    #[test]
    fn along_includes_both_ends() {
        let p: Vec<_> = along((0, 0), (10, -4), 3).collect();
        assert_eq!(p, vec![(0, 0), (5, -2), (10, -4)]);
        assert_eq!(along((1, 1), (1, 1), 0).count(), 2);
    }
}
