//! Each plot's figures as a table, behind a button beside its PNG button: a plot is a picture,
//! which a screen reader cannot read and which gives nobody exact numbers. A long run's windows
//! are taken in groups so that the table stays short (at most [`MAX_ROWS`] rows), each group
//! keeping what matters of its windows: the mean of the rates, the highest latency and the
//! lowest availability, so that a one-window outage or spike still shows. The whole series is
//! in the series CSV (File menu).

use leptos::prelude::*;
use scaleplay_sim::report::SeriesPoint;

use crate::panels::charts::{plot_name, Plot};
use crate::runner::Run;

/// The most rows a table shows.
pub const MAX_ROWS: usize = 60;

/// A table: its column heads (time first), its rows, and how many windows each row covers.
#[derive(Debug, PartialEq)]
pub struct Table {
    pub heads: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    pub windows_per_row: usize,
}

/// How one column sums up the windows of a row.
#[derive(Clone, Copy)]
enum Sum {
    Mean,
    Highest,
    Lowest,
}

/// One column: its head, how its windows are summed up, and a window's value (`None` when the
/// window has none: no latency without a success, no availability when nothing was answered).
type Column = (&'static str, Sum, fn(&SeriesPoint) -> Option<f64>);

fn columns(plot: Plot, series: &[SeriesPoint]) -> Vec<Column> {
    match plot {
        Plot::Throughput => {
            let failures: [Column; 3] = [
                ("timeout (req/s)", Sum::Mean, |p| Some(p.timeout_rps)),
                ("rejected (req/s)", Sum::Mean, |p| Some(p.rejected_rps)),
                ("down (req/s)", Sum::Mean, |p| Some(p.down_rps)),
            ];
            let mut all: Vec<Column> = vec![
                ("offered (req/s)", Sum::Mean, |p| Some(p.offered_rps)),
                ("ok (req/s)", Sum::Mean, |p| Some(p.throughput_rps)),
            ];
            // As the plot: a cause that never happened is no column.
            all.extend(
                failures
                    .into_iter()
                    .filter(|c| series.iter().any(|p| c.2(p).is_some_and(|v| v != 0.0))),
            );
            all
        }
        Plot::Latency => vec![
            ("p50 (ms)", Sum::Highest, |p| {
                p.succeeded().then_some(p.p50_ms)
            }),
            ("p95 (ms)", Sum::Highest, |p| {
                p.succeeded().then_some(p.p95_ms)
            }),
            ("p99 (ms)", Sum::Highest, |p| {
                p.succeeded().then_some(p.p99_ms)
            }),
        ],
        Plot::Availability => vec![("availability (%)", Sum::Lowest, |p| {
            p.answered().then_some(p.availability * 100.0)
        })],
    }
}

/// The table of `plot`'s figures for a run's `series` (one point per window, in time order).
pub fn table(plot: Plot, series: &[SeriesPoint]) -> Table {
    let columns = columns(plot, series);
    let per_row = series.len().div_ceil(MAX_ROWS).max(1);
    let rows = series
        .chunks(per_row)
        .enumerate()
        .map(|(i, windows)| {
            // A row's time: the end of its last window, and of the window before it when it
            // covers several ("10–20").
            let end = windows.last().map_or(0.0, |p| p.t_s);
            let time = if per_row == 1 {
                number(end, 1)
            } else {
                let start = match i {
                    0 => 0.0,
                    _ => series[i * per_row - 1].t_s,
                };
                format!("{}–{}", number(start, 1), number(end, 1))
            };
            let decimals = if plot == Plot::Availability { 3 } else { 1 };
            std::iter::once(time)
                .chain(columns.iter().map(|(_, sum, value)| {
                    summed(*sum, windows.iter().filter_map(value))
                        .map_or_else(|| "–".to_string(), |v| number(v, decimals))
                }))
                .collect()
        })
        .collect();
    Table {
        heads: std::iter::once("time (s)")
            .chain(columns.iter().map(|c| c.0))
            .collect(),
        rows,
        windows_per_row: per_row,
    }
}

fn summed(sum: Sum, values: impl Iterator<Item = f64>) -> Option<f64> {
    let (count, total, high, low) = values.fold(
        (0usize, 0.0, f64::NEG_INFINITY, f64::INFINITY),
        |(n, t, h, l), v| (n + 1, t + v, h.max(v), l.min(v)),
    );
    (count > 0).then(|| match sum {
        Sum::Mean => total / count as f64,
        Sum::Highest => high,
        Sum::Lowest => low,
    })
}

/// `v` with at most `decimals` places, trailing zeros dropped ("12.5", "3", "99.987"); cut,
/// not rounded, as the rest of the page (an availability of 99.9996 % is not 100).
fn number(v: f64, decimals: i32) -> String {
    let cut = crate::panels::cut(v, decimals);
    let text = format!("{cut:.*}", decimals as usize);
    match text.contains('.') {
        true => text.trim_end_matches('0').trim_end_matches('.').to_string(),
        false => text,
    }
}

/// What the table's caption says of its rows.
fn caption(plot: Plot, table: &Table) -> String {
    let name = plot_name(plot);
    let kept = match plot {
        Plot::Throughput => "each rate's mean",
        Plot::Latency => "each percentile's highest",
        Plot::Availability => "the lowest",
    };
    match table.windows_per_row {
        1 => format!("The {name} plot's figures, one row per window"),
        n => format!(
            "The {name} plot's figures, one row per {n} windows with {kept} over them (every \
             window is in the series CSV, File menu)"
        ),
    }
}

/// The table of a plot's figures for the current run, live while it runs.
#[component]
pub fn ChartTable(plot: Plot, testid: String) -> impl IntoView {
    let run = expect_context::<Run>();
    let shown = Memo::new(move |_| {
        run.report
            .with(|r| r.as_ref().map(|r| table(plot, &r.series)))
    });
    move || {
        shown.with(|t| match t {
            None => view! {
                <p class="chart-table-empty" data-testid=testid.clone()>
                    "No run yet: press Run and the figures show here."
                </p>
            }
            .into_any(),
            Some(t) => {
                let heads = t
                    .heads
                    .iter()
                    .map(|h| view! { <th scope="col">{*h}</th> })
                    .collect_view();
                let rows = t
                    .rows
                    .iter()
                    .map(|row| {
                        let mut cells = row.iter();
                        let time = cells.next().cloned().unwrap_or_default();
                        let rest = cells.map(|c| view! { <td>{c.clone()}</td> }).collect_view();
                        view! { <tr><th scope="row">{time}</th>{rest}</tr> }
                    })
                    .collect_view();
                view! {
                    <div class="chart-table-wrap">
                        <table class="chart-table" data-testid=testid.clone()>
                            <caption>{caption(plot, t)}</caption>
                            <thead><tr>{heads}</tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(t_s: f64, ok: f64, down: f64, p99: f64) -> SeriesPoint {
        SeriesPoint {
            t_s,
            offered_rps: ok + down,
            throughput_rps: ok,
            error_rps: down,
            timeout_rps: 0.0,
            rejected_rps: 0.0,
            down_rps: down,
            availability: if ok + down > 0.0 {
                ok / (ok + down)
            } else {
                1.0
            },
            p50_ms: p99 / 4.0,
            p95_ms: p99 / 2.0,
            p99_ms: p99,
            mean_ms: p99 / 3.0,
        }
    }

    #[test]
    fn a_short_run_has_a_row_per_window_and_only_causes_that_happened() {
        let series = [window(1.0, 100.0, 0.0, 40.0), window(2.0, 50.0, 50.0, 80.0)];
        let t = table(Plot::Throughput, &series);
        assert_eq!(t.windows_per_row, 1);
        assert_eq!(
            t.heads,
            ["time (s)", "offered (req/s)", "ok (req/s)", "down (req/s)"]
        );
        assert_eq!(t.rows, [["1", "100", "100", "0"], ["2", "100", "50", "50"]]);
        let a = table(Plot::Availability, &series);
        assert_eq!(a.rows, [["1", "100"], ["2", "50"]]);
    }

    #[test]
    fn a_window_without_a_figure_shows_a_dash() {
        let series = [window(1.0, 0.0, 0.0, 0.0), window(2.0, 0.0, 10.0, 0.0)];
        assert_eq!(table(Plot::Latency, &series).rows[0], ["1", "–", "–", "–"]);
        let a = table(Plot::Availability, &series);
        assert_eq!(a.rows, [["1", "–"], ["2", "0"]]);
    }

    #[test]
    fn a_long_run_is_grouped_keeping_the_worst_window_of_each_group() {
        // 600 windows of 1 s: ten per row; one outage window and one slow window.
        let series: Vec<SeriesPoint> = (1..=600)
            .map(|i| match i {
                15 => window(i as f64, 0.0, 100.0, 0.0),
                33 => window(i as f64, 100.0, 0.0, 900.0),
                _ => window(i as f64, 100.0, 0.0, 40.0),
            })
            .collect();
        let a = table(Plot::Availability, &series);
        assert_eq!(a.windows_per_row, 10);
        assert_eq!(a.rows.len(), 60);
        assert_eq!(a.rows[0], ["0–10", "100"]);
        assert_eq!(a.rows[1], ["10–20", "0"]);
        let l = table(Plot::Latency, &series);
        assert_eq!(l.rows[3], ["30–40", "225", "450", "900"]);
        let t = table(Plot::Throughput, &series);
        assert_eq!(t.rows[1], ["10–20", "100", "90", "10"]);
        assert_eq!(
            caption(Plot::Latency, &l),
            "The latency plot's figures, one row per 10 windows with each percentile's \
             highest over them (every window is in the series CSV, File menu)"
        );
    }

    #[test]
    fn numbers_are_cut_not_rounded() {
        assert_eq!(number(99.9996, 3), "99.999");
        assert_eq!(number(12.50, 1), "12.5");
        assert_eq!(number(3.0, 1), "3");
    }
}
