//! The selected node's figures over time: one plot under its figures, with a menu of what to
//! show (utilization, backlog, and the series its kind has: hit ratio, queue depth, dead
//! letters, replication lag, stale reads, instances; for a client, what its users saw:
//! throughput, availability, p99: broken where its users had nothing answered, or no success
//! to time, as the main plots are). Fault times are marked as on the main plots.
//!
//! [`choices`] and [`plotted`] are pure (tested natively); the component only draws what they
//! return. Only the picked series is read, and only a few points per pixel column are kept
//! (see `thin_by`), so a long run stays quick to redraw.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use scaleplay_sim::report::{ClientReport, NodeReport, SeriesPoint};
use scaleplay_sim::Report;

use crate::panels::charts::{tick_label, value_label};
use crate::panels::hidpi::Scale;
use crate::panels::thin::thin_by;
use crate::runner::Run;

/// One series a node can plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// Stable key, the `<option>` value.
    pub key: &'static str,
    /// Menu text, with the unit.
    pub label: &'static str,
    /// Axis label.
    pub unit: &'static str,
    /// A share (plotted 0–100 %).
    pub percent: bool,
}

/// A node's series as the report holds it, one value per window.
#[derive(Clone, Copy)]
enum Values<'a> {
    /// A share, plotted as a percentage.
    Share(&'a [f64]),
    Plain(&'a [f64]),
    /// A share, or nothing for a window without one (a cache without lookups).
    MaybeShare(&'a [Option<f64>]),
    Count(&'a [u64]),
    Instances(&'a [u32]),
    /// A client's availability per window, with `ok` its successes per second: nothing for a
    /// window in which nothing was answered (no success, and a share of 1: the report's value
    /// for "nothing ended", which would draw a perfect window in the middle of a stall).
    Answered {
        share: &'a [f64],
        ok: &'a [f64],
    },
    /// A client's latency per window, ms, with `ok` its successes per second: nothing for a
    /// window without a success to time (the report's 0 would read as instant).
    Timed {
        ms: &'a [f64],
        ok: &'a [f64],
    },
}

impl Values<'_> {
    fn len(&self) -> usize {
        match self {
            Values::Share(v) | Values::Plain(v) => v.len(),
            Values::MaybeShare(v) => v.len(),
            Values::Count(v) => v.len(),
            Values::Instances(v) => v.len(),
            Values::Answered { share: v, .. } | Values::Timed { ms: v, .. } => v.len(),
        }
    }

    /// The value to plot for window `i`.
    fn get(&self, i: usize) -> Option<f64> {
        match self {
            Values::Share(v) => Some(v[i] * 100.0),
            Values::Plain(v) => Some(v[i]),
            Values::MaybeShare(v) => v[i].map(|x| x * 100.0),
            Values::Count(v) => Some(v[i] as f64),
            Values::Instances(v) => Some(f64::from(v[i])),
            Values::Answered { share, ok } => {
                let nothing = share[i] == 1.0 && !ok.get(i).is_some_and(|&x| x > 0.0);
                (!nothing).then(|| share[i] * 100.0)
            }
            Values::Timed { ms, ok } => ok.get(i).is_some_and(|&x| x > 0.0).then_some(ms[i]),
        }
    }
}

/// Whose figures are plotted: a node's, or a client's (what its users saw).
#[derive(Clone, Copy)]
pub enum Source<'a> {
    /// A node's figures, and whether it has a worker limit (see [`super::fields::has_workers`]).
    Node(&'a NodeReport, bool),
    Client(&'a ClientReport),
}

impl<'a> Source<'a> {
    /// The figures of node `id` in `report`, if it has any.
    pub fn of(report: &'a Report, id: &str) -> Option<Source<'a>> {
        report
            .nodes
            .get(id)
            .map(|n| Source::Node(n, super::fields::has_workers(report, id)))
            .or_else(|| report.clients.get(id).map(Source::Client))
    }
}

fn choice(key: &'static str, label: &'static str, unit: &'static str, percent: bool) -> Choice {
    Choice {
        key,
        label,
        unit,
        percent,
    }
}

/// Every series `source` may have, in menu order, with its values when it has it.
fn table(source: Source<'_>) -> Vec<(Choice, Option<Values<'_>>)> {
    let (node, workers) = match source {
        Source::Node(node, workers) => (node, workers),
        Source::Client(c) => {
            return vec![
                (
                    choice("throughput", "throughput (req/s)", "req/s", false),
                    Some(Values::Plain(&c.throughput_series)),
                ),
                (
                    choice("availability", "availability (%)", "%", true),
                    Some(Values::Answered {
                        share: &c.availability_series,
                        ok: &c.throughput_series,
                    }),
                ),
                (
                    choice("p99", "p99 latency (ms)", "ms", false),
                    Some(Values::Timed {
                        ms: &c.p99_series,
                        ok: &c.throughput_series,
                    }),
                ),
            ];
        }
    };
    // Without workers there is nothing to be busy or to wait for (a queue has its depth).
    vec![
        (
            choice("utilization", "utilization (%)", "%", true),
            workers.then_some(Values::Share(&node.utilization_series)),
        ),
        (
            choice("backlog", "backlog (requests waiting)", "requests", false),
            workers.then_some(Values::Plain(&node.backlog_series)),
        ),
        (
            choice("hit_ratio", "hit ratio (%)", "%", true),
            node.hit_ratio_series.as_deref().map(Values::MaybeShare),
        ),
        (
            choice("depth", "queue depth (messages)", "messages", false),
            node.depth_series.as_deref().map(Values::Plain),
        ),
        (
            choice(
                "dead_letters",
                "dead letters (per window)",
                "messages",
                false,
            ),
            node.dead_letters_series.as_deref().map(Values::Count),
        ),
        (
            choice("lag", "replication lag (ms)", "ms", false),
            node.lag_ms_series.as_deref().map(Values::Plain),
        ),
        (
            choice("stale_reads", "stale reads (per window)", "reads", false),
            node.stale_reads_series.as_deref().map(Values::Count),
        ),
        (
            choice(
                "sessions_lost",
                "sessions lost (per window)",
                "sessions",
                false,
            ),
            node.sessions_lost_series.as_deref().map(Values::Count),
        ),
        (
            choice("instances", "instances", "instances", false),
            node.instances.as_deref().map(Values::Instances),
        ),
    ]
}

/// What `source` can plot, in menu order: utilization and backlog for a node with workers,
/// then its kind's series; a client's own three.
pub fn choices(source: Source<'_>) -> Vec<Choice> {
    table(source)
        .into_iter()
        .filter_map(|(choice, values)| values.map(|_| choice))
        .collect()
}

/// What a plot of one series shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plotted {
    /// Windows with a value.
    pub points: usize,
    /// Lowest and highest value, when there is one.
    pub range: Option<(f64, f64)>,
    /// End of the last window, in s.
    pub t_max: f64,
    /// Stretches of consecutive windows with a value, each thinned to its share of the
    /// columns: the line breaks where windows have none instead of sloping across them.
    pub runs: Vec<Vec<(f64, f64)>>,
}

/// The series `key` of `source`, for a plot `columns` pixels wide; `None` when it has no such
/// series.
pub fn plotted(
    series: &[SeriesPoint],
    source: Source<'_>,
    key: &str,
    columns: usize,
) -> Option<Plotted> {
    let values = table(source)
        .into_iter()
        .find(|(c, _)| c.key == key)
        .and_then(|(_, v)| v)?;
    let n = values.len().min(series.len());
    let mut out = Plotted {
        t_max: series[..n].last().map_or(0.0, |p| p.t_s),
        ..Plotted::default()
    };
    let mut start = 0;
    while start < n {
        if values.get(start).is_none() {
            start += 1;
            continue;
        }
        let end = (start..n).find(|&i| values.get(i).is_none()).unwrap_or(n);
        // Each stretch gets its share of the columns.
        let share = (columns * (end - start)).div_ceil(n);
        let [run] = thin_by(&series[start..end], share, |k, p| {
            (p.t_s, [values.get(start + k).unwrap_or_default()])
        });
        out.points += end - start;
        for &(_, v) in &run {
            let (lo, hi) = out.range.unwrap_or((v, v));
            out.range = Some((lo.min(v), hi.max(v)));
        }
        out.runs.push(run);
        start = end;
    }
    Some(out)
}

/// The plot of the selected node's series, with its menu.
#[component]
pub fn NodeChart(node: StoredValue<String>) -> impl IntoView {
    let run = expect_context::<Run>();
    let canvas = NodeRef::<Canvas>::new();
    let picked = RwSignal::new("utilization".to_string());
    // What the menu offers; changes only when the node's kind does, not with every refresh.
    let all = Memo::new(move |_| {
        run.report.with(|r| {
            r.as_ref()
                .and_then(|r| node.with_value(|id| Source::of(r, id).map(choices)))
        })
    });
    Effect::new(move |_| {
        let Some(el) = canvas.get() else { return };
        let key = picked.get();
        run.report.with(|r| {
            let Some((r, n)) = r
                .as_ref()
                .and_then(|r| node.with_value(|id| Source::of(r, id)).map(|n| (r, n)))
            else {
                return;
            };
            // A kind's series may be gone after an edit; fall back to the first.
            let choices = choices(n);
            let Some(c) = choices.iter().find(|c| c.key == key).or(choices.first()) else {
                return;
            };
            let scale = Scale::of_screen();
            scale.fit(&el, NODE_PLOT_SIZE);
            let columns = NODE_PLOT_SIZE.0 as usize;
            if let Some(plot) = plotted(&r.series, n, c.key, columns) {
                draw(&el, c, &plot, (r, scale));
            }
        });
    });
    let options = move || {
        all.with(|all| {
            all.as_ref().map(|choices| {
                choices
                    .iter()
                    .map(|c| view! { <option value=c.key>{c.label}</option> })
                    .collect_view()
            })
        })
    };
    view! {
        // Only with something to plot: a load balancer has no series of its own, and showed an
        // empty menu over a blank plot.
        <Show when=move || all.with(|a| a.as_ref().is_some_and(|c| !c.is_empty()))>
            <label class="param">
                <span class="param-name">"plot"</span>
                <select data-testid="node-chart-series" prop:value=move || picked.get()
                    on:change=move |ev| picked.set(event_target_value(&ev))>
                    {options}
                </select>
            </label>
            <canvas node_ref=canvas data-testid="node-chart" width=NODE_PLOT_SIZE.0
                height=NODE_PLOT_SIZE.1 class="chart node-plot"
                role="img" aria-label="The selected node's figure over time"></canvas>
        </Show>
    }
}

/// The node plot's size on the page, in CSS pixels (see [`Scale::fit`]).
const NODE_PLOT_SIZE: (u32, u32) = (280, 170);

fn draw(
    el: &web_sys::HtmlCanvasElement,
    choice: &Choice,
    plot: &Plotted,
    (report, scale): (&Report, Scale),
) {
    mark_drawn(el, choice, plot);
    let Some(backend) = CanvasBackend::with_canvas_object(el.clone()) else {
        return;
    };
    let root = backend.into_drawing_area();
    // Drawing errors on a canvas are not actionable; a failed frame is redrawn next time.
    let _ = root.fill(&WHITE);
    let t_max = plot.t_max.max(1.0);
    let y_max = if choice.percent {
        100.5
    } else {
        plot.range.map_or(0.0, |r| r.1).max(1.0) * 1.1
    };
    let Ok(mut chart) = ChartBuilder::on(&root)
        .margin(scale.px(6))
        // Room for the last time label, which is centred on the right edge.
        .margin_right(scale.px(14))
        // Tick labels and, under them, the axis name (26 px put "time (s)" on the labels).
        .x_label_area_size(scale.px(36))
        .y_label_area_size(scale.px(44))
        .build_cartesian_2d(0.0..t_max, 0.0..y_max)
    else {
        return;
    };
    let _ = chart
        .configure_mesh()
        .x_desc("time (s)")
        .y_desc(choice.unit)
        .label_style(("sans-serif", scale.font(10.0)))
        .axis_desc_style(("sans-serif", scale.font(10.0)))
        .x_label_formatter(&|v| tick_label(*v, t_max))
        .y_label_formatter(&|v| value_label(*v, y_max))
        .draw();
    crate::panels::charts::draw_faults(&mut chart, report, (0.0, y_max), scale);
    for run in &plot.runs {
        let _ = chart.draw_series(LineSeries::new(
            run.iter().copied(),
            RGBColor(70, 130, 180).stroke_width(scale.px(2)),
        ));
    }
    let _ = root.present();
}

/// Test hooks, as on the main plots: which series is drawn, its points (windows with a value),
/// its range and `data-runs`, the stretches it is drawn as (more than one when gaps break it).
fn mark_drawn(el: &web_sys::HtmlCanvasElement, choice: &Choice, plot: &Plotted) {
    let fmt = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.3}"));
    let label = format!("{} of the selected node over time", choice.label);
    // Setting an attribute on a canvas we hold cannot meaningfully fail.
    for (name, value) in [
        ("data-series", choice.key.to_string()),
        ("data-points", plot.points.to_string()),
        ("data-runs", plot.runs.len().to_string()),
        ("data-min", fmt(plot.range.map(|r| r.0))),
        ("data-max", fmt(plot.range.map(|r| r.1))),
        ("aria-label", label),
    ] {
        let _ = el.set_attribute(name, &value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scaleplay_sim::{load, Report, Simulation};

    fn report() -> Report {
        let text = r#"{"version": 1, "duration_s": 20, "warmup_s": 2,
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 50, "users": 100}},
                      {"id": "web", "kind": "server"},
                      {"id": "cache", "kind": "cache"},
                      {"id": "db", "kind": "sql_primary"}],
            "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "cache"},
                      {"from": "web", "to": "db"}],
            "faults": [{"node": "cache", "at_s": 5, "action": "fail"},
                       {"node": "cache", "at_s": 8, "action": "recover"}]}"#;
        Simulation::new(load(text).expect("valid"), 1).run()
    }

    #[test]
    fn every_node_plots_utilization_and_backlog_and_a_cache_its_hit_ratio() {
        let r = report();
        let keys = |id: &str| -> Vec<&str> {
            choices(Source::of(&r, id).expect("a node"))
                .iter()
                .map(|c| c.key)
                .collect()
        };
        assert_eq!(keys("web"), ["utilization", "backlog"]);
        assert_eq!(keys("cache"), ["utilization", "backlog", "hit_ratio"]);
        let web = plotted(
            &r.series,
            Source::of(&r, "web").expect("a node"),
            "utilization",
            400,
        )
        .expect("a series");
        assert_eq!(web.points, r.series.len(), "one point per window");
        assert_eq!(web.runs.len(), 1);
        assert!(web.runs[0].iter().all(|p| (0.0..=100.0).contains(&p.1)));
        assert_eq!(web.runs[0][0].0, r.series[0].t_s);
        assert_eq!(web.t_max, r.series[r.series.len() - 1].t_s);
        assert!(plotted(
            &r.series,
            Source::of(&r, "web").expect("a node"),
            "hit_ratio",
            400
        )
        .is_none());
    }

    #[test]
    fn a_replica_plots_its_lag_which_rises_while_it_is_down() {
        let text = r#"{"version": 1, "duration_s": 30, "warmup_s": 0,
            "nodes": [{"id": "users", "kind": "client",
                       "params": {"rps": 50, "users": 100, "mix": {"read": 0.8, "write": 0.2}}},
                      {"id": "web", "kind": "server"},
                      {"id": "db", "kind": "sql_primary"},
                      {"id": "replica", "kind": "sql_replica", "params": {"lag_ms": 100}}],
            "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "db"},
                      {"from": "db", "to": "replica"}],
            "faults": [{"node": "replica", "at_s": 5, "action": "fail"},
                       {"node": "replica", "at_s": 11, "action": "recover"}]}"#;
        let r = Simulation::new(load(text).expect("valid"), 1).run();
        let keys: Vec<&str> = choices(Source::of(&r, "replica").expect("a node"))
            .iter()
            .map(|c| c.key)
            .collect();
        assert_eq!(keys, ["utilization", "backlog", "lag", "stale_reads"]);
        let lag = plotted(
            &r.series,
            Source::of(&r, "replica").expect("a node"),
            "lag",
            400,
        )
        .expect("a series");
        assert_eq!(lag.points, r.series.len());
        // 6 s down: at most 6 s behind beyond its 100 ms (and the 0.5 ms edge from the
        // primary), in the window ending at 11 s.
        let (low, high) = lag.range.expect("values");
        assert_eq!(low, 100.5);
        assert!((high - 5_600.0).abs() < 1.0, "highest window mean {high}");
    }

    #[test]
    fn windows_without_lookups_break_the_hit_ratio_line() {
        let r = report();
        let hits = plotted(
            &r.series,
            Source::of(&r, "cache").expect("a node"),
            "hit_ratio",
            400,
        )
        .expect("a series");
        // Down from 5 s to 8 s: the windows ending at 6, 7 and 8 s have no lookups.
        assert_eq!(hits.points, r.series.len() - 3);
        assert_eq!(
            hits.runs.len(),
            2,
            "drawn as two lines, broken at the outage"
        );
        assert_eq!(hits.runs[0].last().map(|p| p.0), Some(5.0));
        assert_eq!(hits.runs[1].first().map(|p| p.0), Some(9.0));
        assert!(hits
            .runs
            .iter()
            .flatten()
            .all(|p| (0.0..=100.0).contains(&p.1)));
    }

    #[test]
    fn a_client_plots_what_its_users_saw() {
        let r = report();
        let users = Source::of(&r, "users").expect("the client has figures");
        let keys: Vec<&str> = choices(users).iter().map(|c| c.key).collect();
        assert_eq!(keys, ["throughput", "availability", "p99"]);
        let ok = plotted(&r.series, users, "throughput", 400).expect("a series");
        assert_eq!(ok.points, r.series.len());
        let top = r
            .series
            .iter()
            .map(|p| p.throughput_rps)
            .fold(0.0, f64::max);
        assert_eq!(
            ok.range.map(|r| r.1),
            Some(top),
            "the only client's are the run's"
        );
        let availability = plotted(&r.series, users, "availability", 400).expect("a series");
        assert!(availability.runs[0]
            .iter()
            .all(|p| (0.0..=100.0).contains(&p.1)));
        assert!(plotted(&r.series, users, "utilization", 400).is_none());
        assert!(Source::of(&r, "nobody").is_none());
    }

    #[test]
    fn a_client_plot_breaks_where_its_users_had_nothing_answered() {
        // Half a request a second: many windows in which nothing ended.
        let text = r#"{"version": 1, "duration_s": 40, "warmup_s": 0,
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 0.5, "users": 10}},
                      {"id": "web", "kind": "server"}],
            "edges": [{"from": "users", "to": "web"}]}"#;
        let r = Simulation::new(load(text).expect("valid"), 3).run();
        let users = Source::of(&r, "users").expect("the client has figures");
        let quiet = r.series.iter().filter(|p| p.throughput_rps == 0.0).count();
        assert!(quiet > 3, "{quiet} windows without an answer");
        for key in ["availability", "p99"] {
            let plot = plotted(&r.series, users, key, 400).expect("a series");
            assert_eq!(plot.points, r.series.len() - quiet, "{key}");
            assert!(plot.runs.len() > 1, "{key}: broken at the quiet windows");
        }
        let availability = plotted(&r.series, users, "availability", 400).expect("a series");
        assert_eq!(availability.range, Some((100.0, 100.0)));
        let p99 = plotted(&r.series, users, "p99", 400).expect("a series");
        assert!(p99.range.is_some_and(|(lo, _)| lo > 0.0), "{:?}", p99.range);

        // At 50 req/s every window has answers: every window is drawn.
        let report = report();
        let failing = Source::Client(&report.clients["users"]);
        let plot = plotted(&report.series, failing, "availability", 400).expect("a series");
        assert_eq!(plot.points, report.series.len());
    }

    #[test]
    fn a_narrow_plot_keeps_the_count_and_the_range_of_every_window() {
        let r = report();
        let node = Source::of(&r, "web").expect("a node");
        let full = plotted(&r.series, node, "utilization", 400).expect("a series");
        let narrow = plotted(&r.series, node, "utilization", 3).expect("a series");
        assert_eq!(narrow.points, full.points);
        assert_eq!(narrow.range, full.range);
        assert!(narrow.runs[0].len() <= 2 * 3 + 2, "{:?}", narrow.runs);
        assert_eq!(narrow.runs[0].last(), full.runs[0].last());
    }
}
