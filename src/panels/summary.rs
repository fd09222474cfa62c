//! The run's headline figures: throughput, p99, availability, failures by cause and requests
//! still waiting for an answer, as plain numbers (tests read them), over the steady state
//! after the warm-up (a line says so; during the warm-up they wait, shown as "–"). With a pinned run, each
//! figure also shows the pinned value and the difference (this run minus the pinned one). Above
//! them, a word when the scenario was edited since the run, or when the pinned run is of
//! another scenario.

use leptos::prelude::*;
use scaleplay_sim::Report;

use crate::panels::cut;
use crate::runner::{Run, Status};
use crate::state::Doc;

/// One headline figure: how to read it from a report (`None` when the report has nothing to
/// give it, shown "–") and how many decimals to print.
#[derive(Clone, Copy)]
struct Figure {
    label: &'static str,
    testid: &'static str,
    decimals: usize,
    value: fn(&Report) -> Option<f64>,
}

const FIGURES: [Figure; 3] = [
    Figure {
        label: "Throughput (req/s)",
        testid: "summary-throughput",
        decimals: 1,
        value: |r| Some(r.summary.throughput_rps),
    },
    Figure {
        label: "p99 (ms)",
        testid: "summary-p99",
        decimals: 1,
        // The latency of successes: with none, there is no p99 (the engine gives 0).
        value: |r| (r.summary.succeeded > 0).then_some(r.summary.latency_ms.p99),
    },
    Figure {
        label: "Availability (%)",
        testid: "summary-availability",
        decimals: 3,
        // Cut, not rounded: 99.9996% must not read as 100.000. Nothing offered, no share.
        value: |r| {
            (r.summary.offered > 0).then(|| crate::panels::cut(r.summary.availability * 100.0, 3))
        },
    },
];

/// The summary strip above the plots.
#[component]
pub fn Summary() -> impl IntoView {
    let run = expect_context::<Run>();
    let figures = FIGURES
        .into_iter()
        .map(|f| {
            // Nothing is measured until the warm-up ends: "–", not a row of zeros.
            let now = move || {
                run.report
                    .with(|r| r.as_ref().filter(|r| measuring(r)).and_then(f.value))
            };
            // A run pinned before it measured anything (during its warm-up) has no figures.
            let pinned_run = move || {
                run.pinned.with(|r| {
                    r.as_ref()
                        .map(|r| if measuring(r) { (f.value)(r) } else { None })
                })
            };
            let text = move |v: Option<f64>| {
                v.map_or("–".to_string(), |v| format!("{v:.*}", f.decimals))
            };
            let shown = move || text(now());
            let comparison = move || {
                pinned_run().map(|p| {
                    let diff = match (now(), p) {
                        (Some(v), Some(p)) => format!("{:+.*}", f.decimals, v - p),
                        _ => String::new(),
                    };
                    view! {
                        <span class="pinned">"pinned "
                            <span data-testid=format!("{}-pinned", f.testid)>{text(p)}</span>
                            " · Δ "<span data-testid=format!("{}-diff", f.testid)>{diff}</span>
                        </span>
                    }
                })
            };
            view! {
                <div class="figure"><span class="label">{f.label}</span>
                    <span class="value" data-testid=f.testid>{shown}</span>
                    {comparison}
                </div>
            }
        })
        .collect_view();
    let failures = move || {
        run.report.with(|r| {
            r.as_ref()
                .filter(|r| measuring(r))
                .map_or("–".to_string(), |r| {
                    let f = &r.summary.failed;
                    let n = scaleplay_sim::error::grouped;
                    format!("{} / {} / {}", n(f.timeout), n(f.rejected), n(f.down))
                })
        })
    };
    // Requests not answered yet: a handful in a healthy run, thousands in an overloaded one
    // whose clients have no timeout (they never fail, so availability alone does not show it).
    let waiting = move || {
        run.report.with(|r| {
            r.as_ref()
                .filter(|r| measuring(r))
                .map_or("–".to_string(), |r| {
                    scaleplay_sim::error::grouped(r.summary.in_flight)
                })
        })
    };
    // Availability counts answered requests only (a request still waiting may yet succeed),
    // so an overloaded system whose clients never time out read 100 % with a third of its
    // requests stuck: say so beside the figures, as `scaleplay run` does.
    let waiting_note = move || {
        run.report.with(|r| {
            let r = r.as_ref().filter(|r| measuring(r))?;
            let text = unanswered_note(r)?;
            Some(view! {
                <p class="run-stale" data-testid="summary-waiting-note" role="status">{text}</p>
            })
        })
    };
    // Timeouts with a long backlog: the users gave up while their requests queued, and the
    // tier went on serving them (its throughput counts those answers): say where they waited.
    let timeout_note = move || {
        run.report.with(|r| {
            let r = r.as_ref().filter(|r| measuring(r))?;
            let text = run.ran.with(|ran| timed_out_note(r, ran.as_ref()))?;
            Some(view! {
                <p class="run-stale" data-testid="summary-timeout-note" role="status">{text}</p>
            })
        })
    };
    // Requests refused at the most a run holds in memory: say so, or the rejections seem the
    // tier's own queue limit, which it may not have.
    let limit_note = move || {
        run.report.with(|r| {
            let text = run
                .ran
                .with(|ran| at_limit_note(r.as_ref()?, ran.as_ref()))?;
            Some(view! {
                <p class="run-stale" data-testid="summary-limit-note" role="status">{text}</p>
            })
        })
    };
    // A queue's dead letters and long waits: its producers were answered at once, so the
    // figures above read as all well.
    let queue_notes = move || {
        run.report.with(|r| {
            let r = r.as_ref().filter(|r| measuring(r))?;
            let texts = run.ran.with(|ran| queue_notes(r, ran.as_ref()));
            Some(
                texts
                    .into_iter()
                    .map(|text| view! {
                        <p class="run-stale" data-testid="summary-queue-note" role="status">{text}</p>
                    })
                    .collect_view(),
            )
        })
    };
    // The results no longer match the scenario being edited (edits do not reach a run that has
    // started): say so beside them, or the plots seem to ignore the edit.
    let doc = expect_context::<Doc>();
    let edited_since_run = move || {
        run.ran.with(|ran| {
            ran.as_ref().is_some_and(|ran| {
                doc.scenario
                    .with(|s| !crate::runner::same_simulation(s, ran))
            })
        })
    };
    let status = run.status;
    let stale_note = move || {
        edited_since_run().then(|| {
            let how = move || {
                if status.get() == Status::Done {
                    "Run again to see your edits."
                } else {
                    "This run goes on with the scenario it started with: Reset, then Run, to see them."
                }
            };
            view! {
                <p class="run-stale" data-testid="run-stale" role="status">
                    <strong>"Edited since this run. "</strong>{how}
                </p>
            }
        })
    };
    // A pinned run of another scenario (another preset opened since) is compared all the
    // same: say which, or the differences read as the effect of an edit.
    let pinned_elsewhere = move || {
        let pinned = run.pinned.with(Option::is_some);
        let from = run.pinned_from.get()?;
        let here = doc.scenario.with(|s| s.name.clone());
        (pinned && from != here).then(|| {
            view! {
                <p class="pinned-from" data-testid="pinned-from">
                    "Compared with a pinned run of another scenario: “" {from} "”"
                </p>
            }
        })
    };
    // A run may be pinned while paused: its figures and plotted lines stop where it was, and
    // the comparison then reads as if the part were the whole.
    let pinned_partial = move || {
        run.pinned.with(|p| {
            let p = p.as_ref().filter(|p| p.run.t_s < p.run.duration_s)?;
            let text = format!(
                "The pinned run was pinned at {} s of its {} s: its figures cover that part only.",
                crate::panels::cut(p.run.t_s, 1),
                p.run.duration_s
            );
            Some(view! { <p class="pinned-from" data-testid="pinned-partial">{text}</p> })
        })
    };
    // What the figures cover (the plots show the whole run): said once a run has a report.
    let span = move || {
        run.report.with(|r| {
            r.as_ref().map(|r| {
                let warmup = r.run.warmup_s;
                if warmup <= 0.0 {
                    "The whole run (no warm-up)".to_string()
                } else if measuring(r) {
                    format!("Steady state, after the {warmup} s warm-up")
                } else {
                    format!("Warming up: the figures start at {warmup} s")
                }
            })
        })
    };
    // How long the SLO was broken (the plots' red bars), and each breach's worst on hover: the
    // alerts' triangles said when a breach began, not how long it lasted or how bad it got.
    let breached = move || {
        run.report.with(|r| {
            let r = r.as_ref().filter(|r| measuring(r))?;
            let has_slo = run.ran.with(|ran| {
                ran.as_ref()
                    .is_some_and(|s| s.slo.p99_ms.is_some() || s.slo.availability.is_some())
            });
            has_slo.then(|| breaches(r))
        })
    };
    view! {
        <div class="summary">
            {stale_note}
            {waiting_note}
            {timeout_note}
            {limit_note}
            {queue_notes}
            {pinned_elsewhere}
            {pinned_partial}
            {move || span().map(|text| view! {
                <p class="summary-span" data-testid="summary-span">{text}</p>
            })}
            {figures}
            <div class="figure"><span class="label">"Failed: timeout / rejected / down"</span>
                <span class="value" data-testid="summary-failures">{failures}</span></div>
            <div class="figure" title="Requests sent after the warm-up and not answered yet">
                <span class="label">"Still waiting"</span>
                <span class="value" data-testid="summary-waiting">{waiting}</span></div>
            {move || breached().map(|(value, hover)| view! {
                <div class="figure" title=hover.clone()>
                    <span class="label">"SLO broken for"</span>
                    <span class="value" data-testid="summary-breached">{value}</span>
                    // Each breach, for a screen reader (the hover text is out of its reach).
                    <span class="visually-hidden">{format!(": {}", hover.replace('\n', "; "))}</span></div>
            })}
        </div>
    }
}

/// Whether the run is past its warm-up, so its summary has figures.
pub fn measuring(r: &Report) -> bool {
    r.run.t_s > r.run.warmup_s
}

/// Seconds of steady state after which a live run's share of unanswered requests says
/// something: just after the warm-up, the requests of the last second are a large share of
/// the few sent so far, in any system.
const SETTLED_S: f64 = 30.0;

/// What to say when more than 5 % of the requests sent after the warm-up are still waiting
/// for an answer (at the end of a run, or 30 s into its steady state), which availability
/// does not count.
fn unanswered_note(r: &Report) -> Option<String> {
    let m = &r.summary;
    let settled = r.run.t_s >= r.run.duration_s || r.run.t_s - r.run.warmup_s >= SETTLED_S;
    if !settled || m.offered == 0 || m.in_flight * 20 <= m.offered {
        return None;
    }
    let share = m.in_flight as f64 / m.offered as f64 * 100.0;
    Some(format!(
        "{} requests ({share:.0} % of those sent) are still waiting for an answer, and \
         availability counts answered requests only: give the users a timeout_ms to count \
         those that wait too long as failures.",
        scaleplay_sim::error::grouped(m.in_flight)
    ))
}

/// What to say when many requests timed out in a node's backlog
/// ([`Report::timeouts_backlog`]): where they waited (the node by its name in `s`, the scenario
/// the run started with) and what to do.
fn timed_out_note(r: &Report, s: Option<&scaleplay_sim::Scenario>) -> Option<String> {
    let t = r.timeouts_backlog()?;
    let name = s
        .and_then(|s| s.node(t.node))
        .map_or(t.node, |n| n.shown_name());
    Some(format!(
        "{:.0} % of the requests timed out: \"{}\" kept a backlog of {} on average and \
         served them after their users had given up (its throughput counts those answers). A \
         smaller queue there refuses the excess at once; more workers or instances serve it.",
        t.timed_out_share * 100.0,
        scaleplay_sim::error::printable(name),
        scaleplay_sim::error::grouped(t.mean_backlog.round() as u64)
    ))
}

/// What to say when requests were refused at the most a run holds in memory
/// ([`Report::refused_at_limit`]): how many, which tier's backlog held the run's requests (by
/// its name in `s`), and what to do.
fn at_limit_note(r: &Report, s: Option<&scaleplay_sim::Scenario>) -> Option<String> {
    let at = r.refused_at_limit()?;
    let tier = at.node.map_or_else(
        || "the overloaded tier".to_string(),
        |id| {
            let name = s.and_then(|s| s.node(id)).map_or(id, |n| n.shown_name());
            format!("\"{}\"", scaleplay_sim::error::printable(name))
        },
    );
    Some(format!(
        "{} requests were refused (counted as rejected) at the most a run holds in memory, \
         {} requests at once: each was refused where it would have waited, as by a full \
         queue. Give {tier} a queue limit (a queue a max_depth); a timeout does not help, \
         as the requests the users gave up on wait all the same.",
        scaleplay_sim::error::grouped(at.refused),
        scaleplay_sim::error::grouped(scaleplay_sim::engine::MAX_LIVE_REQUESTS as u64)
    ))
}

/// What to say of each queue in trouble ([`Report::queue_troubles`]): its dead letters and
/// its jobs' wait, which availability does not count (the queue by its name in `s`).
fn queue_notes(r: &Report, s: Option<&scaleplay_sim::Scenario>) -> Vec<String> {
    r.queue_troubles()
        .into_iter()
        .map(|q| {
            let name = s
                .and_then(|s| s.node(q.node))
                .map_or(q.node, |n| n.shown_name());
            format!(
                "Queue \"{}\": {}. Availability does not count it: its producers were \
                 answered when each message was queued. To do: {}.",
                scaleplay_sim::error::printable(name),
                q.what_happened(),
                q.what_to_do()
            )
        })
        .collect()
}

/// The headline figures in words, for a screen reader: "throughput 796.1 req/s, p99 120.4 ms,
/// availability 99.082 %, SLO broken for 10 s in 1 breach".
pub fn said(r: &Report) -> String {
    let mut parts: Vec<String> = FIGURES
        .iter()
        .filter_map(|f| {
            let v = (f.value)(r)?;
            let (name, unit) = f.label.split_once(" (")?;
            let unit = unit.trim_end_matches(')');
            Some(format!("{} {v:.*} {unit}", name.to_lowercase(), f.decimals))
        })
        .collect();
    let failed = r.summary.failed.total();
    if failed > 0 {
        parts.push(format!("{} failed", scaleplay_sim::error::grouped(failed)));
    }
    if !r.alerts.is_empty() {
        parts.push(format!("SLO broken for {}", breaches(r).0));
    }
    parts.join(", ")
}

/// How long the SLO was broken: the time covered by the windows judged out of it, whichever
/// objective they broke. Summed alert by alert, a p99 breach and an availability breach of the
/// same seconds counted twice ("58 s" of a 30 s run), and a breach still open at the run's end
/// left out its last window (one raised in the last window counted 0 s).
fn time_in_breach(r: &Report) -> f64 {
    let now = r.run.t_s;
    // An alert is raised at the end of its first bad window and resolved at the end of the
    // first good one: its bad windows run from one window before each.
    let window = r.series.first().map_or(0.0, |p| p.t_s);
    let mut spans: Vec<(f64, f64)> = r
        .alerts
        .iter()
        .map(|a| {
            let start = (a.t_s - window).max(0.0);
            let end = a.resolved_s.map_or(now, |t| t - window).max(start);
            (start, end)
        })
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut total = 0.0;
    let mut covered_to = f64::NEG_INFINITY;
    for (start, end) in spans {
        let from = start.max(covered_to);
        if end > from {
            total += end - from;
        }
        covered_to = covered_to.max(end);
    }
    total
}

/// How long the SLO was broken in all ("10 s in 1 breach", "none"), and each breach in a line
/// for the hover text: "availability 61–71 s, at worst 88.59 %".
fn breaches(r: &Report) -> (String, String) {
    if r.alerts.is_empty() {
        return (
            "none".to_string(),
            "The SLO held after the warm-up".to_string(),
        );
    }
    let total = time_in_breach(r);
    let lines: Vec<String> = r
        .alerts
        .iter()
        .map(|a| {
            let until = match a.resolved_s {
                Some(t) => format!("–{} s", crate::panels::fault_key::seconds(t)),
                None => " s to now".to_string(),
            };
            let worst = match a.slo.as_str() {
                "availability" => format!("{} %", cut(a.worst * 100.0, 2)),
                _ => format!("{:.1} ms", a.worst),
            };
            let what = if a.slo == "availability" {
                "availability"
            } else {
                "p99"
            };
            let from = crate::panels::fault_key::seconds(a.t_s);
            format!("{what} {from}{until}, at worst {worst}")
        })
        .collect();
    let count = r.alerts.len();
    let value = format!(
        "{} s in {count} breach{}",
        crate::panels::fault_key::seconds(total),
        if count == 1 { "" } else { "es" }
    );
    (value, lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::{
        at_limit_note, breaches, queue_notes, time_in_breach, timed_out_note, unanswered_note,
    };
    use crate::panels::cut;

    fn run(rps: u32, timeout: &str) -> scaleplay_sim::Report {
        let text = format!(
            r#"{{"version": 1, "duration_s": 60, "warmup_s": 5,
                "nodes": [{{"id": "users", "kind": "client", "params": {{"rps": {rps}{timeout}}}}},
                          {{"id": "web", "kind": "server",
                            "params": {{"workers": 8, "service_ms": 10, "queue": 100000}}}}],
                "edges": [{{"from": "users", "to": "web"}}]}}"#
        );
        let model = scaleplay_sim::load(&text).expect("valid");
        scaleplay_sim::Simulation::new(model, 1).run()
    }

    #[test]
    fn the_slo_breaches_are_summed_and_each_listed_with_its_worst() {
        let p = scaleplay_sim::presets::find("04").expect("preset 04");
        let model = scaleplay_sim::load(p.json).expect("valid");
        let r = scaleplay_sim::Simulation::new(model, 7).run();
        // The primary's outage breaks the availability SLO until writes work again.
        let (value, hover) = breaches(&r);
        assert_eq!(value, "10 s in 1 breach");
        // Said to a screen reader when the run ends, figures first.
        let said = super::said(&r);
        assert!(said.starts_with("throughput "), "{said}");
        assert!(
            said.contains(" req/s, p99 ") && said.contains(" ms, availability "),
            "{said}"
        );
        assert!(
            said.ends_with(" failed, SLO broken for 10 s in 1 breach"),
            "{said}"
        );
        assert!(
            hover.starts_with("availability 61–71 s, at worst 8"),
            "{hover}"
        );
        // Healthy throughout: none.
        let (value, _) = breaches(&run(10, ""));
        assert_eq!(value, "none");
    }

    #[test]
    fn the_time_in_breach_is_the_time_covered_whichever_objective_broke() {
        // Overloaded from the first window to the end: both objectives broken at once, for
        // the whole 30 s (summed, 58 s).
        let text = r#"{"version": 1, "seed": 1, "duration_s": 30, "warmup_s": 0,
            "slo": {"p99_ms": 5, "availability": 0.999},
            "nodes": [{"id": "u", "kind": "client", "params": {"rps": 500, "timeout_ms": 1000}},
                      {"id": "w", "kind": "server", "params": {"workers": 1, "queue": 5}}],
            "edges": [{"from": "u", "to": "w"}]}"#;
        let mut r =
            scaleplay_sim::Simulation::new(scaleplay_sim::load(text).expect("valid"), 1).run();
        assert_eq!(r.alerts.len(), 2);
        assert_eq!(breaches(&r).0, "30 s in 2 breaches");
        // Overlapping spans count once, apart ones each; one raised in the last window
        // counts that window.
        r.alerts[0].t_s = 5.0;
        r.alerts[0].resolved_s = Some(11.0);
        r.alerts[1].t_s = 8.0;
        r.alerts[1].resolved_s = Some(15.0);
        assert_eq!(time_in_breach(&r), 10.0);
        r.alerts[1].t_s = 30.0;
        r.alerts[1].resolved_s = None;
        assert_eq!(time_in_breach(&r), 7.0);
    }

    #[test]
    fn requests_stuck_without_a_timeout_are_pointed_out() {
        // 1200 req/s into a tier that takes 800: a third of the requests wait for ever, and
        // with no timeout none fails.
        let over = run(1200, "");
        assert_eq!(over.summary.availability, 1.0);
        let note = unanswered_note(&over).expect("a note");
        assert!(
            note.contains("% of those sent) are still waiting"),
            "{note}"
        );
        assert!(note.contains("timeout_ms"), "{note}");
        // Within capacity, a handful wait at the end: nothing to say.
        assert_eq!(unanswered_note(&run(400, "")), None);
        // With a timeout they fail instead, and availability shows it.
        let timed = run(1200, r#", "timeout_ms": 1000"#);
        assert!(timed.summary.availability < 0.9);
        assert_eq!(unanswered_note(&timed), None);
        // ...and the note says where they waited, and what to do.
        let note = timed_out_note(&timed, None).expect("a timeout note");
        assert!(
            note.contains("% of the requests timed out: \"web\" kept a backlog of "),
            "{note}"
        );
        assert!(note.contains("smaller queue there"), "{note}");
        // Within capacity nothing times out: nothing to say.
        let fine = run(400, r#", "timeout_ms": 1000"#);
        assert_eq!(timed_out_note(&fine, None), None);
    }

    #[test]
    fn requests_refused_at_the_memory_limit_are_pointed_out() {
        let mut over = run(1200, "");
        assert_eq!(at_limit_note(&over, None), None, "none refused");
        // A run that reached the limit (a million requests at once, too slow to simulate in a
        // unit test: the CLI's tests do) counts its refusals.
        over.run.refused_at_limit = 12_345;
        let note = at_limit_note(&over, None).expect("a note");
        assert!(note.starts_with("12,345 requests were refused"), "{note}");
        assert!(note.contains("1,000,000 requests at once"), "{note}");
        assert!(note.contains("Give \"web\" a queue limit"), "{note}");
    }

    #[test]
    fn a_queue_losing_or_holding_its_jobs_is_pointed_out() {
        // Jobs of 40 ms on 5 workers (125 a second) for 100 a second (every request a job),
        // redelivered after 30 ms:
        // each is done again and again, the workers fall behind, and some are given up.
        let text = r#"{"version": 1, "duration_s": 120, "warmup_s": 20,
            "nodes": [{"id": "users", "kind": "client",
                       "params": {"rps": 100, "mix": {"async": 1.0}}},
                      {"id": "web", "kind": "server", "params": {"service_ms": 1}},
                      {"id": "q", "kind": "queue", "name": "Jobs",
                       "params": {"visibility_timeout_s": 0.03, "max_attempts": 3}},
                      {"id": "pool", "kind": "worker_pool",
                       "params": {"workers": 5, "service_ms": {"dist": "const", "mean": 40}}}],
            "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "q"},
                      {"from": "q", "to": "pool"}]}"#;
        let model = scaleplay_sim::load(text).expect("valid");
        let scenario = model.scenario.clone();
        let r = scaleplay_sim::Simulation::new(model, 1).run();
        assert_eq!(
            r.summary.availability, 1.0,
            "the producers are all answered"
        );
        let notes = queue_notes(&r, Some(&scenario));
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].starts_with("Queue \"Jobs\": "), "{}", notes[0]);
        assert!(
            notes[0].contains("went to its dead letters"),
            "{}",
            notes[0]
        );
        assert!(notes[0].contains("on average for a worker"), "{}", notes[0]);
        assert!(notes[0].contains("visibility_timeout_s"), "{}", notes[0]);
        // Slow, not lost (jobs of 40 ms for 30 s of visibility, on 3 workers): the note says
        // to add consumers, not to look at a timeout that is fine.
        let slow = text
            .replace(r#""visibility_timeout_s": 0.03, "max_attempts": 3"#, "")
            .replace(r#""workers": 5"#, r#""workers": 3"#);
        let model = scaleplay_sim::load(&slow).expect("valid");
        let r = scaleplay_sim::Simulation::new(model, 1).run();
        let notes = queue_notes(&r, None);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].ends_with(
                "To do: its consumers do not keep up: give them more workers or instances, or \
                 autoscale them on the queue's depth."
            ),
            "{}",
            notes[0]
        );
        // Preset 8's queue keeps up: nothing to say.
        let p = scaleplay_sim::presets::find("08").expect("preset 08");
        let fine = scaleplay_sim::Simulation::new(scaleplay_sim::load(p.json).unwrap(), 1).run();
        assert!(queue_notes(&fine, None).is_empty());
    }

    #[test]
    fn availabilities_are_cut_not_rounded_up() {
        assert_eq!(format!("{:.3}", cut(99.99962, 3)), "99.999");
        assert_eq!(format!("{:.3}", cut(0.999 * 100.0, 3)), "99.900");
        assert_eq!(format!("{:.3}", cut(100.0, 3)), "100.000");
        assert_eq!(format!("{:.3}", cut(12.3456, 3)), "12.345");
    }
}
