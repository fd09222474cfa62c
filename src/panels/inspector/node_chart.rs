//! The selected node's figures over time: one plot under its figures, with a menu of what to
//! show (utilization, backlog, and the series its kind has: hit ratio, queue depth, dead
//! letters, stale reads, instances). Fault times are marked as on the main plots.
//!
//! [`choices`] is pure (tested natively); the component only draws what it returns.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use scaleplay_sim::engine::FaultRecord;
use scaleplay_sim::report::NodeReport;
use scaleplay_sim::Report;

use crate::panels::thin::thin;
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
    /// (end of window in s, value); windows without a value (a cache without lookups) are
    /// left out, so the line joins the windows around them.
    pub points: Vec<(f64, f64)>,
}

/// What `node` can plot in `report`, in menu order: utilization and backlog for every node,
/// then its kind's series.
pub fn choices(report: &Report, node: &NodeReport) -> Vec<Choice> {
    let counts = |v: &Option<Vec<u64>>| {
        v.as_ref()
            .map(|v| v.iter().map(|x| Some(*x as f64)).collect::<Vec<_>>())
    };
    let percent = |v: &[f64]| v.iter().map(|x| Some(x * 100.0)).collect::<Vec<_>>();
    // (key, label, unit, a share?, values per window when the node has the series)
    let table = [
        (
            "utilization",
            "utilization (%)",
            "%",
            true,
            Some(percent(&node.utilization_series)),
        ),
        (
            "backlog",
            "backlog (requests waiting)",
            "requests",
            false,
            Some(node.backlog_series.iter().map(|b| Some(*b)).collect()),
        ),
        (
            "hit_ratio",
            "hit ratio (%)",
            "%",
            true,
            node.hit_ratio_series
                .as_ref()
                .map(|h| h.iter().map(|h| h.map(|h| h * 100.0)).collect()),
        ),
        (
            "depth",
            "queue depth (messages)",
            "messages",
            false,
            counts(&node.depth_series),
        ),
        (
            "dead_letters",
            "dead letters (per window)",
            "messages",
            false,
            counts(&node.dead_letters_series),
        ),
        (
            "stale_reads",
            "stale reads (per window)",
            "reads",
            false,
            counts(&node.stale_reads_series),
        ),
        (
            "instances",
            "instances",
            "instances",
            false,
            node.instances
                .as_ref()
                .map(|v| v.iter().map(|i| Some(f64::from(*i))).collect()),
        ),
    ];
    table
        .into_iter()
        .filter_map(|(key, label, unit, percent, values)| {
            let points = report
                .series
                .iter()
                .zip(values?)
                .filter_map(|(p, v)| v.map(|v| (p.t_s, v)))
                .collect();
            Some(Choice {
                key,
                label,
                unit,
                percent,
                points,
            })
        })
        .collect()
}

/// The plot of the selected node's series, with its menu.
#[component]
pub fn NodeChart(node: StoredValue<String>) -> impl IntoView {
    let run = expect_context::<Run>();
    let canvas = NodeRef::<Canvas>::new();
    let picked = RwSignal::new("utilization".to_string());
    let all = Memo::new(move |_| {
        run.report.with(|r| {
            r.as_ref().and_then(|r| {
                node.with_value(|id| r.nodes.get(id).map(|n| (choices(r, n), r.faults.clone())))
            })
        })
    });
    Effect::new(move |_| {
        let Some(el) = canvas.get() else { return };
        all.with(|all| {
            let Some((choices, faults)) = all else { return };
            let key = picked.get();
            // A kind's series may be gone after an edit; fall back to the first.
            if let Some(c) = choices.iter().find(|c| c.key == key).or(choices.first()) {
                draw(&el, c, faults);
            }
        });
    });
    let options = move || {
        all.with(|all| {
            all.as_ref().map(|(choices, _)| {
                choices
                    .iter()
                    .map(|c| view! { <option value=c.key>{c.label}</option> })
                    .collect_view()
            })
        })
    };
    view! {
        <Show when=move || all.with(Option::is_some)>
            <label class="param">
                <span class="param-name">"plot"</span>
                <select data-testid="node-chart-series" prop:value=move || picked.get()
                    on:change=move |ev| picked.set(event_target_value(&ev))>
                    {options}
                </select>
            </label>
            <canvas node_ref=canvas data-testid="node-chart" width="280" height="170" class="chart"
                role="img" aria-label="The selected node's figure over time"></canvas>
        </Show>
    }
}

fn draw(el: &web_sys::HtmlCanvasElement, choice: &Choice, faults: &[FaultRecord]) {
    mark_drawn(el, choice);
    let Some(backend) = CanvasBackend::with_canvas_object(el.clone()) else {
        return;
    };
    let root = backend.into_drawing_area();
    // Drawing errors on a canvas are not actionable; a failed frame is redrawn next time.
    let _ = root.fill(&WHITE);
    let points = &choice.points;
    let t_max = points.last().map_or(1.0, |p| p.0).max(1.0);
    let y_max = if choice.percent {
        100.5
    } else {
        points.iter().map(|p| p.1).fold(0.0, f64::max).max(1.0) * 1.1
    };
    let Ok(mut chart) = ChartBuilder::on(&root)
        .margin(6)
        .x_label_area_size(26)
        .y_label_area_size(44)
        .build_cartesian_2d(0.0..t_max, 0.0..y_max)
    else {
        return;
    };
    let _ = chart
        .configure_mesh()
        .x_desc("time (s)")
        .y_desc(choice.unit)
        .label_style(("sans-serif", 10))
        .draw();
    crate::panels::charts::draw_faults(&mut chart, faults, (0.0, y_max));
    // Each stretch gets its share of the pixel columns (see `thin`).
    let columns = el.width() as usize;
    for run in unbroken_runs(points) {
        let share = columns * run.len() / points.len().max(1);
        let _ = chart.draw_series(LineSeries::new(
            thin(run, share).iter().copied(),
            RGBColor(70, 130, 180).stroke_width(2),
        ));
    }
    let _ = root.present();
}

/// The stretches of consecutive windows in `points`, so the line breaks where windows are left
/// out (a cache that had no lookups) instead of drawing a slope across them. A gap is a step of
/// more than 1.5 usual (median) steps: the last window of a run may be shorter than the rest.
fn unbroken_runs(points: &[(f64, f64)]) -> Vec<&[(f64, f64)]> {
    let mut steps: Vec<f64> = points.windows(2).map(|w| w[1].0 - w[0].0).collect();
    steps.sort_by(f64::total_cmp);
    let step = steps.get(steps.len() / 2).copied().unwrap_or(f64::INFINITY);
    points.chunk_by(|a, b| b.0 - a.0 <= step * 1.5).collect()
}

/// Test hooks, as on the main plots: which series is drawn, its points and its range.
fn mark_drawn(el: &web_sys::HtmlCanvasElement, choice: &Choice) {
    let values = || choice.points.iter().map(|p| p.1);
    let fmt = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.3}"));
    let label = format!("{} of the selected node over time", choice.label);
    // Setting an attribute on a canvas we hold cannot meaningfully fail.
    for (name, value) in [
        ("data-series", choice.key.to_string()),
        ("data-points", choice.points.len().to_string()),
        ("data-min", fmt(values().reduce(f64::min))),
        ("data-max", fmt(values().reduce(f64::max))),
        ("aria-label", label),
    ] {
        let _ = el.set_attribute(name, &value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scaleplay_sim::{load, Simulation};

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
        let keys =
            |id: &str| -> Vec<&str> { choices(&r, &r.nodes[id]).iter().map(|c| c.key).collect() };
        assert_eq!(keys("web"), ["utilization", "backlog"]);
        assert_eq!(keys("cache"), ["utilization", "backlog", "hit_ratio"]);
        let web = choices(&r, &r.nodes["web"]);
        assert_eq!(web[0].points.len(), r.series.len(), "one point per window");
        assert!(web[0].points.iter().all(|p| (0.0..=100.0).contains(&p.1)));
        assert_eq!(web[0].points[0].0, r.series[0].t_s);
    }

    #[test]
    fn windows_without_lookups_are_left_out_of_the_hit_ratio() {
        let r = report();
        let cache = choices(&r, &r.nodes["cache"]);
        let hits = cache
            .iter()
            .find(|c| c.key == "hit_ratio")
            .expect("hit ratio");
        // Down from 5 s to 8 s: the windows ending at 6, 7 and 8 s have no lookups.
        assert_eq!(hits.points.len(), r.series.len() - 3);
        assert!(hits.points.iter().all(|p| !(5.5..=8.0).contains(&p.0)));
        assert!(hits.percent);
        // Drawn as two lines, broken at the outage.
        let runs = unbroken_runs(&hits.points);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].last().map(|p| p.0), Some(5.0));
        assert_eq!(runs[1].first().map(|p| p.0), Some(9.0));
    }

    #[test]
    fn a_line_breaks_only_at_left_out_windows() {
        let points = [
            (1.0, 0.0),
            (2.0, 0.0),
            (3.0, 0.0),
            (6.0, 1.0),
            (7.0, 1.0),
            (7.5, 1.0),
        ];
        let runs = unbroken_runs(&points);
        assert_eq!(runs, [&points[..3], &points[3..]]);
        assert!(unbroken_runs(&[]).is_empty());
        assert_eq!(unbroken_runs(&points[..1]).len(), 1);
    }
}
