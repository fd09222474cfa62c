//! The three plots, drawn with plotters on `<canvas>`: throughput (successes and errors by cause),
//! latency p50/p95/p99 with the SLO line, and availability with its SLO. Fault times and SLO alerts
//! are marked on every plot. Redrawn whenever the live report changes, from at most two points
//! per pixel column of each line.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use scaleplay_sim::report::SeriesPoint;
use scaleplay_sim::scenario::FaultAction;
use scaleplay_sim::Report;
use scaleplay_sim::Scenario;
use wasm_bindgen::JsCast;

use crate::panels::chart_table::ChartTable;
use crate::panels::fault_key;
use crate::panels::hidpi::Scale;
use crate::panels::legend;
use crate::panels::thin::thin_by;
use crate::runner::Run;
use crate::state::Doc;

/// How far above the highest latency drawn the SLO line may be and still set the axis: up to
/// four times it, the lines keep a quarter of the plot's height at least.
const SLO_REACH: f64 = 4.0;

/// The legend's name for the SLO alert markers.
const ALERT_LABEL: &str = "SLO alert";

/// One plotted series: legend name, colour, points.
type Line = (&'static str, RGBColor, Vec<(f64, f64)>);

/// The size of each plot on the page, in CSS pixels, where there is room (its canvas has more on
/// a dense screen: see [`Scale::fit`]). Narrower windows give a plot less width, down to
/// [`MIN_PLOT_WIDTH`]; its height stays.
const PLOT_SIZE: (u32, u32) = (400, 220);
/// The narrowest a plot is drawn (style/main.css lets its box shrink to 300 px).
const MIN_PLOT_WIDTH: u32 = 200;
/// The widest (style/main.css lets its box grow to 640 px on a large screen).
const MAX_PLOT_WIDTH: u32 = 640;

/// The width to draw a plot whose canvas is `client_width` CSS pixels wide on the page (0 when
/// it is not laid out, as in a hidden tab: then the full width).
fn plot_width(client_width: i32) -> u32 {
    match u32::try_from(client_width) {
        Ok(0) | Err(_) => PLOT_SIZE.0,
        Ok(w) => w.clamp(MIN_PLOT_WIDTH, MAX_PLOT_WIDTH),
    }
}

/// Which plot.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Plot {
    Throughput,
    Latency,
    Availability,
}

/// The plots under the canvas.
#[component]
pub fn Charts() -> impl IntoView {
    view! {
        <div class="charts">
            <Chart plot=Plot::Throughput testid="chart-throughput"/>
            <Chart plot=Plot::Latency testid="chart-latency"/>
            <Chart plot=Plot::Availability testid="chart-availability"/>
        </div>
    }
}

#[component]
fn Chart(plot: Plot, testid: &'static str) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let run = expect_context::<Run>();
    let doc = expect_context::<Doc>();
    // The plot's width on the page and the screen's pixel ratio, read once it is laid out and
    // again whenever the window is resized (which a move to another screen or a browser zoom
    // also is): the canvas gets exactly the pixels it is shown with, so where the window leaves
    // a plot narrower or wider than 400 px its text keeps its size instead of being scaled by
    // CSS.
    let shown = RwSignal::new((PLOT_SIZE.0, Scale::of_screen()));
    let measure = move || {
        if let Some(el) = canvas.get_untracked() {
            let now = (plot_width(el.client_width()), Scale::of_screen());
            if shown.get_untracked() != now {
                shown.set(now);
            }
        }
    };
    let resized = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resized.remove());
    Effect::new(move |_| {
        if canvas.get().is_some() {
            measure();
        }
    });
    // The effect hands each redraw the legend's place from the one before (see
    // `legend::best_place`).
    Effect::new(move |was: Option<Option<SeriesLabelPosition>>| {
        let (slo, duration_s) = plotted_settings(run, doc);
        let el = canvas.get()?;
        let was = was.flatten();
        let (width, scale) = shown.get();
        scale.fit(&el, (width, PLOT_SIZE.1));
        run.pinned.with(|pinned| {
            run.report.with(|r| {
                let runs = (r.as_ref(), pinned.as_ref());
                draw(
                    &el,
                    plot,
                    runs,
                    (&slo, duration_s),
                    (width, scale, was.as_ref()),
                )
            })
        })
    });
    // The plot drawn again on a canvas of its own at twice its size at least (as the canvas
    // PNG is), so that it stays sharp in a document or a slide: the canvas on the page has
    // only the screen's pixels, 1× on most monitors.
    let save_png = move |_| {
        let name = format!(
            "{}-{testid}.png",
            doc.scenario.with_untracked(crate::files::file_stem)
        );
        let copy = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("canvas").ok())
            .and_then(|e| e.dyn_into::<web_sys::HtmlCanvasElement>().ok());
        let Some(copy) = copy else {
            doc.banner
                .set(Some(format!("the browser refused to draw {name}")));
            return;
        };
        let (width, screen) = shown.get_untracked();
        let scale = screen.at_least(2.0);
        scale.fit(&copy, (width, PLOT_SIZE.1));
        let (slo, duration_s) = plotted_settings(run, doc);
        run.pinned.with_untracked(|pinned| {
            run.report.with_untracked(|r| {
                let runs = (r.as_ref(), pinned.as_ref());
                draw(&copy, plot, runs, (&slo, duration_s), (width, scale, None))
            })
        });
        // With the faults' key under it when the run had faults: in a document or a slide,
        // the page's key is not beside the plot to say what its red and green lines are.
        let keyed = run.report.with_untracked(|r| {
            let r = r
                .as_ref()
                .filter(|r| !r.faults.is_empty() || !r.failovers.is_empty())?;
            let lines = run
                .ran
                .with_untracked(|ran| fault_key::entries(&r.faults, &r.failovers, ran.as_ref()));
            let unlisted = r.run.faults_unlisted + r.run.failovers_unlisted;
            let (shown, more) = fault_key::listed(&lines, unlisted);
            fault_key::under_plot(&copy, &shown, more, scale)
        });
        let image = keyed.unwrap_or(copy);
        if let Err(why) = crate::panels::files::export_chart_png(&image, &name) {
            doc.banner.set(Some(why));
        }
    };
    // The plot's figures as a table, over it while asked for (see `chart_table`).
    let table_open = RwSignal::new(false);
    let table_id = format!("{testid}-table");
    view! {
        <figure class="chart-box">
            <canvas node_ref=canvas data-testid=testid width=PLOT_SIZE.0 height=PLOT_SIZE.1 class="chart"
                role="img" aria-label=description(plot)></canvas>
            <span class="chart-buttons">
                <button class="chart-table-toggle" data-testid=format!("{testid}-table-toggle")
                    aria-expanded=move || table_open.get().to_string() aria-controls=table_id.clone()
                    title=move || if table_open.get() { "Back to the plot" } else { "Show this plot's figures as a table, in its place" }
                    aria-label=format!("The {} plot's figures as a table", plot_name(plot))
                    on:click=move |_| table_open.update(|o| *o = !*o)>"Table"</button>
                <button class="chart-png" data-testid=format!("{testid}-png") title="Save this plot as PNG"
                    aria-label=format!("Save the {} plot as PNG", plot_name(plot)) on:click=save_png>"PNG"</button>
            </span>
            <div id=table_id.clone()>
                <Show when=move || table_open.get()>
                    <ChartTable plot=plot testid=format!("{testid}-table")/>
                </Show>
            </div>
        </figure>
    }
}

/// The SLO and the duration the plots are drawn against: the run's own while there is a run
/// (its alerts are against that SLO, and it lasts that long: an edit since it started drew a
/// finished 80 s run on a 200 s axis, and the SLO line where no alert had been raised), else
/// the scenario being edited's.
fn plotted_settings(run: Run, doc: Doc) -> (scaleplay_sim::scenario::Slo, f64) {
    let settings = |s: &Scenario| (s.slo.clone(), s.duration_s);
    run.ran
        .with(|ran| ran.as_ref().map(settings))
        .unwrap_or_else(|| doc.scenario.with(settings))
}

/// The time axis's end for a scenario of `duration_s`: the scenario being edited may hold any
/// number until validation refuses it, and an axis needs a finite, positive span.
fn shown_duration(duration_s: f64) -> f64 {
    if duration_s.is_finite() {
        duration_s.clamp(1.0, scaleplay_sim::params::limits::MAX_DURATION_S)
    } else {
        1.0
    }
}

/// Draws `plot` of the run (and of the pinned run, faded), `width` CSS pixels wide, at `scale`;
/// returns where its legend went. The time axis spans the scenario's duration (or a longer
/// run's), so a live run fills the plot from the left instead of stretching its first seconds
/// across it.
fn draw(
    el: &web_sys::HtmlCanvasElement,
    plot: Plot,
    (report, pinned): (Option<&Report>, Option<&Report>),
    (slo, duration_s): (&scaleplay_sim::scenario::Slo, f64),
    (width, scale, legend_was): (u32, Scale, Option<&SeriesLabelPosition>),
) -> Option<SeriesLabelPosition> {
    let backend = CanvasBackend::with_canvas_object(el.clone())?;
    let root = backend.into_drawing_area();
    // Drawing errors on a canvas are not actionable; a failed frame is simply redrawn next time.
    let _ = root.fill(&WHITE);
    let empty = Vec::new();
    let series = report.map_or(&empty, |r| &r.series);
    let pinned_series = pinned.map_or(&empty, |r| &r.series);
    let t_max = [series, pinned_series]
        .iter()
        .filter_map(|s| s.last().map(|p| p.t_s))
        .fold(shown_duration(duration_s), f64::max);
    let (title, y_label) = match plot {
        Plot::Throughput => ("Throughput", "req/s"),
        Plot::Latency => ("Latency", "ms"),
        Plot::Availability => ("Availability", "%"),
    };
    // At most two points per pixel column (see `thin_by`): a long run stays quick to redraw.
    // Columns of the page, not of the canvas: a denser screen gets no more points to draw.
    let columns = width as usize;
    let lines = lines_of(plot, series, columns);
    // The pinned run: only its main series, faded, under the current lines.
    let pinned_line: Option<Line> = pinned.and_then(|_| {
        lines_of(plot, pinned_series, columns)
            .into_iter()
            .find(|l| l.0 == main_series(plot))
    });
    mark_drawn(
        el,
        plot,
        &lines,
        (series.len(), pinned.map_or(0, |_| pinned_series.len())),
        report.map_or((0, 0), |r| (r.faults.len(), r.failovers.len())),
    );
    let spans: Vec<String> = report
        .map(breaches)
        .into_iter()
        .flatten()
        .map(|(from, to)| format!("{from}-{to}"))
        .collect();
    let _ = el.set_attribute("data-breaches", &spans.join(" "));
    let slo_line = match plot {
        Plot::Latency => slo.p99_ms,
        Plot::Availability => slo.availability.map(|a| a * 100.0),
        Plot::Throughput => None,
    };
    let data_max = lines
        .iter()
        .chain(&pinned_line)
        .flat_map(|l| l.2.iter().map(|p| p.1))
        .fold(0.0, f64::max);
    // The latency axis reaches up to the SLO line only while the lines come near it: stretched
    // to an SLO far above them (p99 at 5 ms under 500), every line lay flat along zero. The
    // legend then says where the line is.
    let slo_shown = match plot {
        Plot::Latency => slo_line.filter(|v| data_max <= 0.0 || *v <= SLO_REACH * data_max),
        _ => slo_line,
    };
    let slo_label = match (slo_line, slo_shown) {
        (Some(v), None) => Some(format!("SLO {} ms, above", value_label(v, v))),
        (Some(_), Some(_)) => Some("SLO".to_string()),
        _ => None,
    };
    let (y_min, y_max) = match plot {
        Plot::Availability => {
            let lowest = lines
                .iter()
                .chain(&pinned_line)
                .flat_map(|l| l.2.iter().map(|p| p.1))
                .chain(slo_line)
                .fold(100.0, f64::min);
            availability_range(lowest)
        }
        _ => (0.0, data_max.max(slo_shown.unwrap_or(0.0)).max(1.0) * 1.1),
    };
    // Test hooks: the ends of the value axis (the availability plot zooms, the latency plot
    // leaves out an SLO far above its lines), the end of the time axis and the SLO line's
    // value ("" without one).
    let _ = el.set_attribute("data-y-min", &format!("{y_min:.3}"));
    let _ = el.set_attribute("data-y-max", &format!("{y_max:.3}"));
    let _ = el.set_attribute("data-t-max", &format!("{t_max:.3}"));
    let _ = el.set_attribute(
        "data-slo",
        &slo_line.map_or_else(String::new, |v| format!("{v:.3}")),
    );
    let Ok(mut chart) = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", scale.font(16.0)))
        .margin(scale.px(6))
        // Room for the last time label, which is centred on the right edge.
        .margin_right(scale.px(14))
        // Tick labels and, under them, the axis name: 28 px put "time (s)" on the labels.
        .x_label_area_size(scale.px(40))
        .y_label_area_size(scale.px(48))
        .build_cartesian_2d(0.0..t_max, y_min..y_max)
    else {
        return None;
    };
    let _ = chart
        .configure_mesh()
        .x_desc("time (s)")
        .y_desc(y_label)
        .label_style(("sans-serif", scale.font(11.0)))
        .axis_desc_style(("sans-serif", scale.font(11.0)))
        .x_label_formatter(&|v| tick_label(*v, t_max))
        .y_label_formatter(&|v| value_label(*v, y_max - y_min))
        .draw();
    let (legend_at, legend_hides) = legend_place(
        &chart,
        (&lines, pinned_line.as_ref()),
        (slo_shown, slo_label.as_deref()),
        report,
        (scale, legend_was),
    );
    // Test hooks: where the legend went and how many drawn points it hides there.
    let _ = el.set_attribute("data-legend", legend::place_name(&legend_at));
    let _ = el.set_attribute("data-legend-hides", &legend_hides.to_string());
    if let Some(r) = report {
        draw_faults(&mut chart, r, (y_min, y_max), scale);
        // One series for every alert, so the legend says what the red triangles are (they
        // were easy to take for the fault lines beside them).
        if !r.alerts.is_empty() {
            let top = y_min + (y_max - y_min) * 0.97;
            // Each breach's length, a bar from its alert to its end (or the run's, while it
            // lasts): a triangle alone said when a breach began, not whether it lasted a
            // second or the rest of the run.
            for (from, to) in breaches(r) {
                let _ = chart.draw_series(std::iter::once(PathElement::new(
                    vec![(from, top), (to, top)],
                    RED.stroke_width(scale.px(2)),
                )));
            }
            let markers = r
                .alerts
                .iter()
                .map(|a| TriangleMarker::new((a.t_s, top), scale.offset(5), RED.filled()));
            let _ = chart.draw_series(markers).map(|s| {
                s.label(ALERT_LABEL).legend(move |(x, y)| {
                    TriangleMarker::new((x + scale.offset(7), y), scale.offset(5), RED.filled())
                })
            });
        }
    }
    if let (Some(v), Some(label)) = (slo_line, slo_label) {
        // Off the top, only its legend entry is drawn.
        let line = slo_shown
            .map(|_| PathElement::new(vec![(0.0, v), (t_max, v)], BLACK.stroke_width(scale.px(1))));
        let _ = chart.draw_series(line).map(|s| {
            s.label(label).legend(move |(x, y)| {
                let swatch = vec![(x, y), (x + scale.offset(14), y)];
                PathElement::new(swatch, BLACK.stroke_width(scale.px(1)))
            })
        });
    }
    if let Some((name, colour, points)) = pinned_line {
        let faded = colour.mix(0.35).stroke_width(scale.px(3));
        let _ = chart.draw_series(pieces(&points, faded, scale)).map(|s| {
            s.label(pinned_label(name)).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + scale.offset(14), y)], faded)
            })
        });
    }
    for (name, colour, points) in lines {
        let stroke = colour.stroke_width(scale.px(2));
        let _ = chart.draw_series(pieces(&points, stroke, scale)).map(|s| {
            s.label(name).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + scale.offset(14), y)], stroke)
            })
        });
    }
    let _ = chart
        .configure_series_labels()
        .position(legend_at.clone())
        .margin(scale.px(legend::MARGIN))
        .legend_area_size(scale.px(legend::SWATCH))
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .label_font(("sans-serif", scale.font(11.0)))
        .draw();
    let _ = root.present();
    Some(legend_at)
}

/// The runs of a line between its gaps (NaN values), each drawn as a path; a lone point
/// between two gaps as a dot, so one window of data still shows.
fn pieces(
    points: &[(f64, f64)],
    style: ShapeStyle,
    scale: Scale,
) -> Vec<DynElement<'static, CanvasBackend, (f64, f64)>> {
    runs(points)
        .map(|run| match run {
            [only] => Circle::new(*only, scale.offset(2), style.filled()).into_dyn(),
            _ => PathElement::new(run.to_vec(), style).into_dyn(),
        })
        .collect()
}

/// How many gaps break `points` (runs of NaN values).
fn runs_gaps(points: &[(f64, f64)]) -> usize {
    let starts = points
        .windows(2)
        .filter(|w| !w[0].1.is_nan() && w[1].1.is_nan());
    starts.count() + usize::from(points.first().is_some_and(|p| p.1.is_nan()))
}

/// The runs of `points` between NaN values, none empty.
fn runs(points: &[(f64, f64)]) -> impl Iterator<Item = &[(f64, f64)]> {
    points.split(|p| p.1.is_nan()).filter(|run| !run.is_empty())
}

/// Where the legend hides the least of what the plot draws (and how many points it hides there): the lines (every segment, so a
/// jump between two points counts all along), the pinned run, the SLO line, the alerts and the fault lines.
fn legend_place(
    chart: &CanvasChart,
    (lines, pinned): (&[Line], Option<&Line>),
    (slo_line, slo_label): (Option<f64>, Option<&str>),
    report: Option<&Report>,
    (scale, was): (Scale, Option<&SeriesLabelPosition>),
) -> (SeriesLabelPosition, usize) {
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let area = (xs.end - xs.start, ys.end - ys.start);
    let (t_max, y_top) = (chart.x_range().end, chart.y_range().end);
    let pixel = |p: &(f64, f64)| {
        let (x, y) = chart.backend_coord(p);
        (x - xs.start, y - ys.start)
    };
    let mut drawn = Vec::new();
    for line in lines.iter().chain(pinned) {
        for run in runs(&line.2) {
            let points: Vec<_> = run.iter().map(pixel).collect();
            drawn.extend(points.first().copied());
            for pair in points.windows(2) {
                let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
                let count = ((bx - ax).abs().max((by - ay).abs()) / 3 + 2) as usize;
                drawn.extend(legend::along(pair[0], pair[1], count).skip(1));
            }
        }
    }
    if let Some(v) = slo_line {
        let (a, b) = (pixel(&(0.0, v)), pixel(&(t_max, v)));
        drawn.extend(legend::along(a, b, (area.0 / 3).max(2) as usize));
    }
    // The alert triangles, where `draw` puts them (at 97% of the height; counted at the top
    // edge, they were outside every legend box, and preset 03's legend covered its alert).
    let y_bottom = chart.y_range().start;
    let alert_y = y_bottom + (y_top - y_bottom) * 0.97;
    let half = scale.offset(5);
    for alert in report.map_or(&[][..], |r| &r.alerts) {
        let (x, y) = pixel(&(alert.t_s, alert_y));
        drawn.extend([
            (x, y),
            (x - half, y + half),
            (x + half, y + half),
            (x, y - half),
        ]);
    }
    // And the breaches' bars beside them.
    for (from, to) in report.map(breaches).into_iter().flatten() {
        let (a, b) = (pixel(&(from, alert_y)), pixel(&(to, alert_y)));
        drawn.extend(legend::along(a, b, ((b.0 - a.0) / 6).max(2) as usize));
    }
    // The fault lines, top to bottom; one per pixel column, so that a run with thousands of
    // faults does not make the legend's placement slow.
    let mut columns = std::collections::BTreeSet::new();
    let marked = report.into_iter().flat_map(|r| {
        let failovers = r.failovers.iter().map(|f| f.t_s);
        r.faults.iter().map(|f| f.t_s).chain(failovers)
    });
    for t_s in marked {
        let (top, bottom) = (pixel(&(t_s, y_top)), pixel(&(t_s, y_bottom)));
        if columns.insert(top.0) {
            drawn.extend(legend::along(top, bottom, (area.1 / 6).max(2) as usize));
        }
    }
    let mut labels: Vec<String> = Vec::new();
    let alerted = report.is_some_and(|r| !r.alerts.is_empty());
    labels.extend(alerted.then(|| ALERT_LABEL.to_string()));
    labels.extend(slo_label.map(str::to_string));
    labels.extend(pinned.map(|l| pinned_label(l.0)));
    labels.extend(lines.iter().map(|l| l.0.to_string()));
    let (w, h) = legend::legend_size(&labels);
    let size = (scale.offset(w), scale.offset(h));
    let place = legend::best_place(&drawn, size, area, was);
    let hidden = legend::hidden_at(&place, &drawn, size, area);
    (place, hidden)
}

/// The legend's name for the pinned run's line `name` (drawn, and sized for placement).
fn pinned_label(name: &str) -> String {
    format!("pinned {name}")
}

/// A tick label with as many decimals as an axis spanning `span` needs to tell its ticks
/// apart: none from 10 up (0, 20, 40 s; 5000 req/s), one from 1 (99.5 %), two from 0.1, and so
/// on; never "-0".
pub fn tick_label(v: f64, span: f64) -> String {
    let decimals = if span > 0.0 && span.is_finite() {
        (1.0 - span.log10().floor()).clamp(0.0, 6.0) as usize
    } else {
        0
    };
    let text = format!("{v:.decimals$}");
    // A value just under zero rounds to "-0", "-0.0", …: print it as zero.
    if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') {
        text[1..].to_string()
    } else {
        text
    }
}

/// A value axis's tick label: as [`tick_label`], but thousands and millions as "250k" and
/// "1.5M" once the axis spans ten thousand or more, so that the labels stay short enough for
/// the room beside the axis ("100000" ran into the axis name).
pub fn value_label(v: f64, span: f64) -> String {
    let (unit, suffix) = if span >= 1e7 {
        (1e6, "M")
    } else if span >= 1e4 {
        (1e3, "k")
    } else {
        return tick_label(v, span);
    };
    let (v, span) = (v / unit, span / unit);
    // One more decimal than a plain label needs, then none that are zeros: ticks 2,500 apart
    // read "2.5k", "5k".
    let decimals = (2.0 - span.log10().floor()).clamp(0.0, 6.0) as usize;
    let text = format!("{v:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    match text {
        "0" | "-0" => "0".to_string(),
        t => format!("{t}{suffix}"),
    }
}

/// The time each SLO breach of `report` lasted, from its alert to its resolution, or to the
/// report's time while it lasts.
fn breaches(report: &Report) -> impl Iterator<Item = (f64, f64)> + '_ {
    let now = report.run.t_s;
    report.alerts.iter().map(move |a| (a.t_s, a.ended_at(now)))
}

/// A plot drawn on a `<canvas>`, with time in seconds across and values up.
pub type CanvasChart<'a> =
    ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Marks each fault's time with a vertical line from `y.0` to `y.1`: red for a failure, green
/// for a recovery, blue for a change of the node taking a primary's writes (every plot, the
/// node plot too), one CSS pixel wide at `scale`.
pub fn draw_faults(chart: &mut CanvasChart, report: &Report, y: (f64, f64), scale: Scale) {
    let faults = report.faults.iter().map(|f| {
        let colour = if matches!(f.action, FaultAction::Fail) {
            RED
        } else {
            GREEN
        };
        (f.t_s, colour)
    });
    let failovers = report.failovers.iter().map(|f| (f.t_s, BLUE));
    for (t_s, colour) in faults.chain(failovers) {
        // Drawing errors on a canvas are not actionable; the next frame redraws.
        let _ = chart.draw_series(std::iter::once(PathElement::new(
            vec![(t_s, y.0), (t_s, y.1)],
            colour.stroke_width(scale.px(1)),
        )));
    }
}

/// The availability axis, in %: zoomed to the lowest point shown (data or SLO line), so a dip
/// to 99.5 % is visible rather than a pixel under 100 %, but never narrower than 99–100 % (a
/// flat 100 % line stays a flat line near the top) and never below 0.
fn availability_range(lowest: f64) -> (f64, f64) {
    let bottom = [99.0, 90.0, 50.0, 0.0]
        .into_iter()
        .find(|b| lowest >= *b)
        .unwrap_or(0.0);
    (bottom, 100.0 + (100.0 - bottom) * 0.05)
}

/// What a plot shows, for screen readers (the canvas itself is pixels).
fn description(plot: Plot) -> &'static str {
    match plot {
        Plot::Throughput => "Throughput over time: requests offered per second, successful requests per second, and failures per second by cause (timeout, rejected, down). Vertical lines mark the faults and failovers listed under the plots; red triangles and bars at the top, the SLO's breaches",
        Plot::Latency => "Latency over time: p50, p95 and p99 of successful requests in milliseconds, with the SLO line. Vertical lines mark the faults and failovers listed under the plots; red triangles and bars at the top, the SLO's breaches",
        Plot::Availability => "Availability over time: successful share of completed requests in percent, with the SLO line. Vertical lines mark the faults and failovers listed under the plots; red triangles and bars at the top, the SLO's breaches",
    }
}

/// What a plot is called, for the name of its buttons ("Save the latency plot as PNG": three
/// buttons read only "PNG" to a screen reader).
pub fn plot_name(plot: Plot) -> &'static str {
    match plot {
        Plot::Throughput => "throughput",
        Plot::Latency => "latency",
        Plot::Availability => "availability",
    }
}

/// The series a plot is about (the one a pinned run shows and the tests read).
fn main_series(plot: Plot) -> &'static str {
    match plot {
        Plot::Throughput => "ok",
        Plot::Latency => "p99",
        Plot::Availability => "availability",
    }
}

/// The lines of `plot` for a run's series.
/// The lines of `plot`, each thinned to `columns` (see [`thin_by`]): the lowest and highest
/// values and the last point are kept exactly, so the axes and the test hooks can be taken from
/// them.
fn lines_of(plot: Plot, series: &[SeriesPoint], columns: usize) -> Vec<Line> {
    match plot {
        Plot::Throughput => {
            let [offered, ok, timeout, rejected, down] = thin_by(series, columns, |_, p| {
                let rates = [p.offered_rps, p.throughput_rps, p.timeout_rps];
                (
                    p.t_s,
                    [rates[0], rates[1], rates[2], p.rejected_rps, p.down_rps],
                )
            });
            let failures = [
                ("timeout", RGBColor(255, 140, 0), timeout),
                ("rejected", RGBColor(148, 0, 211), rejected),
                ("down", RGBColor(220, 20, 60), down),
            ];
            vec![
                // What clients asked for: a gap under it is overload, even when nothing fails
                // (clients without a timeout wait as long as it takes).
                ("offered", RGBColor(150, 150, 150), offered),
                ("ok", RGBColor(34, 139, 34), ok),
            ]
            .into_iter()
            // A cause of failure that never happened is no line (it would lie along the axis)
            // and no legend entry (a shorter legend finds a place off the data more often).
            .chain(
                failures
                    .into_iter()
                    .filter(|l| l.2.iter().any(|p| p.1 != 0.0)),
            )
            .collect()
        }
        Plot::Latency => {
            // A window with no success has no latency: a gap in the lines, not a fall to 0 ms
            // (which read as the fastest moment of an outage).
            let [p50, p95, p99] = thin_by(series, columns, |_, p| {
                if p.succeeded() {
                    (p.t_s, [p.p50_ms, p.p95_ms, p.p99_ms])
                } else {
                    (p.t_s, [f64::NAN; 3])
                }
            });
            vec![
                ("p50", RGBColor(70, 130, 180), p50),
                ("p95", RGBColor(255, 140, 0), p95),
                ("p99", RGBColor(220, 20, 60), p99),
            ]
        }
        Plot::Availability => {
            // A window in which nothing was answered (no success, no failure) has no
            // availability: a gap, as the latency lines break where nothing succeeded. The
            // report's series holds 1.0 there (its contract), which drew a perfect window in
            // the middle of, say, a stall where every request was still waiting.
            let [a] = thin_by(series, columns, |_, p| {
                if p.answered() {
                    (p.t_s, [p.availability * 100.0])
                } else {
                    (p.t_s, [f64::NAN])
                }
            });
            vec![("availability", RGBColor(34, 139, 34), a)]
        }
    }
}

/// Test hooks: what the plot shows, as data attributes on its `<canvas>` (the browser tests read
/// them, since the pixels say nothing a test can check): `data-points` (points of the main series:
/// ok throughput, p99 or availability), `data-min`, `data-max` and `data-last` of that series
/// (empty when it has no points; `data-last` also when it ends in a gap), `data-gaps` (the gaps
/// that break it: windows with no latency to show, or no availability), `data-faults` (fault
/// markers), `data-failovers` (failover markers), `data-offered-max` (the highest offered rate,
/// throughput plot only) and `data-pinned-points` (points of the pinned run's line, 0 without
/// one). `data-breaches` is set beside them: each SLO breach as `from-to`, in seconds.
fn mark_drawn(
    el: &web_sys::HtmlCanvasElement,
    plot: Plot,
    lines: &[Line],
    (points_len, pinned_len): (usize, usize),
    (faults, failovers): (usize, usize),
) {
    let main = main_series(plot);
    let points: &[(f64, f64)] = lines
        .iter()
        .find(|l| l.0 == main)
        .map_or(&[], |l| l.2.as_slice());
    let fmt = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.3}"));
    // Gaps (NaN) have no value: empty when the line ends in one.
    let values = || points.iter().map(|p| p.1).filter(|v| !v.is_nan());
    let min = values().reduce(f64::min);
    let max = values().reduce(f64::max);
    let last = points.last().map(|p| p.1).filter(|v| !v.is_nan());
    let offered_max = lines
        .iter()
        .find(|l| l.0 == "offered")
        .and_then(|l| l.2.iter().map(|p| p.1).reduce(f64::max));
    // Setting an attribute on a canvas we hold cannot meaningfully fail.
    for (name, value) in [
        ("data-points", points_len.to_string()),
        ("data-gaps", runs_gaps(points).to_string()),
        ("data-min", fmt(min)),
        ("data-max", fmt(max)),
        ("data-last", fmt(last)),
        ("data-faults", faults.to_string()),
        ("data-failovers", failovers.to_string()),
        ("data-offered-max", fmt(offered_max)),
        ("data-pinned-points", pinned_len.to_string()),
    ] {
        let _ = el.set_attribute(name, &value);
    }
}

#[cfg(test)]
mod tests {
    use super::{
        availability_range, lines_of, plot_width, runs, runs_gaps, shown_duration, tick_label,
        value_label, Plot, MAX_PLOT_WIDTH, PLOT_SIZE,
    };
    use scaleplay_sim::report::SeriesPoint;

    #[test]
    fn a_cause_of_failure_that_never_happened_draws_no_line() {
        let point = |t_s: f64, down_rps: f64| SeriesPoint {
            t_s,
            offered_rps: 50.0,
            throughput_rps: 50.0 - down_rps,
            error_rps: down_rps,
            timeout_rps: 0.0,
            rejected_rps: 0.0,
            down_rps,
            availability: 1.0 - down_rps / 50.0,
            p50_ms: 10.0,
            p95_ms: 20.0,
            p99_ms: 30.0,
            mean_ms: 12.0,
        };
        let names = |series: &[SeriesPoint]| {
            lines_of(Plot::Throughput, series, 100)
                .into_iter()
                .map(|l| l.0)
                .collect::<Vec<_>>()
        };
        let outage = [point(1.0, 0.0), point(2.0, 50.0), point(3.0, 0.0)];
        assert_eq!(names(&outage), ["offered", "ok", "down"]);
        let calm = [point(1.0, 0.0), point(2.0, 0.0)];
        assert_eq!(names(&calm), ["offered", "ok"]);
    }

    #[test]
    fn availability_has_a_gap_where_nothing_was_answered() {
        let point = |t_s: f64, ok: f64, errors: f64| SeriesPoint {
            t_s,
            offered_rps: 10.0,
            throughput_rps: ok,
            error_rps: errors,
            timeout_rps: errors,
            rejected_rps: 0.0,
            down_rps: 0.0,
            // As the report gives it: 1 when nothing was answered.
            availability: if ok + errors == 0.0 {
                1.0
            } else {
                ok / (ok + errors)
            },
            p50_ms: 0.0,
            p95_ms: 0.0,
            p99_ms: 0.0,
            mean_ms: 0.0,
        };
        let series = [
            point(1.0, 10.0, 0.0),
            point(2.0, 0.0, 0.0),
            point(3.0, 0.0, 10.0),
            point(4.0, 0.0, 0.0),
        ];
        let lines = lines_of(Plot::Availability, &series, 100);
        let a = &lines[0].2;
        assert_eq!(a[0], (1.0, 100.0));
        assert!(a[1].1.is_nan(), "nothing answered: no 100 %");
        assert_eq!(a[2], (3.0, 0.0), "everything failed: 0 %, drawn");
        assert!(a[3].1.is_nan());
        assert_eq!(runs_gaps(a), 2);
    }

    #[test]
    fn a_line_breaks_at_its_gaps() {
        let nan = f64::NAN;
        let line = [
            (1.0, 5.0),
            (2.0, nan),
            (3.0, nan),
            (4.0, 6.0),
            (5.0, 7.0),
            (6.0, nan),
        ];
        let pieces: Vec<_> = runs(&line).collect();
        assert_eq!(pieces, [&line[0..1], &line[3..5]]);
        assert_eq!(runs_gaps(&line), 2);
        assert_eq!(runs_gaps(&[(1.0, nan), (2.0, 1.0)]), 1);
        assert_eq!(runs_gaps(&[(1.0, 1.0)]), 0);
        assert_eq!(runs(&[(1.0, nan)]).count(), 0);
    }

    #[test]
    fn a_plot_is_drawn_at_its_width_on_the_page_within_limits() {
        assert_eq!(plot_width(330), 330);
        assert_eq!(plot_width(400), 400);
        assert_eq!(plot_width(600), 600);
        assert_eq!(plot_width(1200), MAX_PLOT_WIDTH);
        assert_eq!(plot_width(120), 200);
        // Not laid out (a hidden tab): the full width, as before any measure.
        assert_eq!(plot_width(0), PLOT_SIZE.0);
        assert_eq!(plot_width(-5), PLOT_SIZE.0);
    }

    #[test]
    fn the_time_axis_spans_any_duration_being_typed() {
        assert_eq!(shown_duration(120.0), 120.0);
        assert_eq!(shown_duration(0.0), 1.0);
        assert_eq!(shown_duration(f64::NAN), 1.0);
        assert_eq!(shown_duration(f64::INFINITY), 1.0);
        assert_eq!(shown_duration(1e300), 30.0 * 86_400.0);
    }

    #[test]
    fn tick_labels_have_the_decimals_their_axis_needs() {
        assert_eq!(tick_label(120.0, 120.0), "120");
        assert_eq!(tick_label(5000.0, 5500.0), "5000");
        assert_eq!(tick_label(20.0, 10.0), "20");
        assert_eq!(tick_label(99.5, 1.05), "99.5");
        assert_eq!(tick_label(100.0, 1.05), "100.0");
        assert_eq!(tick_label(0.25, 0.5), "0.25");
        assert_eq!(tick_label(0.005, 0.05), "0.005");
        assert_eq!(tick_label(-0.0001, 1.0), "0.0");
        assert_eq!(tick_label(-0.3, 100.0), "0");
        assert_eq!(tick_label(-3.0, 100.0), "-3");
        assert_eq!(tick_label(7.0, 0.0), "7");
        assert_eq!(tick_label(7.0, f64::NAN), "7");
    }

    #[test]
    fn large_values_are_labelled_in_thousands_and_millions() {
        assert_eq!(value_label(5000.0, 5500.0), "5000");
        assert_eq!(value_label(100_000.0, 165_000.0), "100k");
        assert_eq!(value_label(12_500.0, 15_000.0), "12.5k");
        assert_eq!(value_label(2_000.0, 15_000.0), "2k");
        assert_eq!(value_label(0.0, 165_000.0), "0");
        assert_eq!(value_label(-0.001, 165_000.0), "0");
        assert_eq!(value_label(1_500_000.0, 2_200_000.0), "1500k");
        assert_eq!(value_label(1_500_000.0, 11_000_000.0), "1.5M");
        assert_eq!(value_label(10_000_000.0, 11_000_000.0), "10M");
    }

    #[test]
    fn the_availability_axis_zooms_to_the_lowest_point_but_not_closer_than_one_percent() {
        assert_eq!(availability_range(100.0), (99.0, 100.05));
        assert_eq!(availability_range(99.5), (99.0, 100.05));
        assert_eq!(availability_range(97.0).0, 90.0);
        assert_eq!(availability_range(60.0).0, 50.0);
        assert_eq!(availability_range(0.0).0, 0.0);
        assert_eq!(availability_range(-1.0).0, 0.0);
    }
}
