//! The run's latest figures as the canvas shows them: each node's utilization (its colour; a
//! queue's is the busiest of the pools it feeds),
//! whether it is down (grey) and its hover text, and each client's colour by its users'
//! failures. The colour is of the latest window (what happens now); the hover text gives that
//! and, named apart, the steady-state figures the inspector's panel shows.

use std::collections::BTreeMap;

use leptos::prelude::*;
use scaleplay_sim::scenario::FaultAction;

use scaleplay_sim::report::{ClientReport, NodeReport};
use scaleplay_sim::scenario::Scenario;
use scaleplay_sim::Report;

use crate::panels::inspector::fields::has_workers;
use crate::runner::Run;

/// A node's latest utilization, whether it is down, its hover text, and its instances serving
/// now (none for a client).
pub(super) type LiveFigures = (f64, bool, String, Option<u32>);

/// Live figures per node and client: the latest window's utilization, and whether it is down.
pub(super) fn live_figures(run: Run) -> Memo<Option<BTreeMap<String, LiveFigures>>> {
    Memo::new(move |_| {
        let ran = run.ran.get();
        run.report.with(|r| {
            r.as_ref().map(|r| {
                r.nodes
                    .iter()
                    .map(|(id, n)| {
                        let mut u = latest_utilization(n);
                        let mut tip = node_tip(r, id, n, u);
                        // A queue has no workers of its own: it is coloured by its consumers,
                        // whose saturation makes it grow (4,760 messages waiting 44 s drew
                        // it green).
                        if n.wait_ms.is_some() {
                            if let Some(busiest) = consumers_busiest(r, ran.as_ref(), id) {
                                u = busiest;
                                tip =
                                    format!("now: its worker pools {:.0}% busy\n{tip}", u * 100.0);
                            }
                        }
                        (
                            id.clone(),
                            (u, n.instances_now == 0, tip, Some(n.instances_now)),
                        )
                    })
                    .chain(r.clients.iter().map(|(id, c)| {
                        // A client is coloured by its users' failures in the latest window:
                        // green while they are served, red from 10 % failing.
                        let a = c
                            .availability_series
                            .last()
                            .copied()
                            .unwrap_or(c.availability);
                        let tip = client_tip(r, c, a);
                        // Down while its last outage has not ended: a failed client sends
                        // nothing, so its figures alone would look served.
                        let down = r
                            .faults
                            .iter()
                            .rev()
                            .find(|f| &f.node == id)
                            .is_some_and(|f| f.action == FaultAction::Fail);
                        (id.clone(), (client_heat(a), down, tip, None))
                    }))
                    .collect::<BTreeMap<_, _>>()
            })
        })
    })
}

/// A node's utilization in the latest window (the whole run's before the first ends).
fn latest_utilization(n: &NodeReport) -> f64 {
    n.utilization_series
        .last()
        .copied()
        .unwrap_or(n.utilization)
}

/// The latest utilization of the busiest node queue `id` delivers to, in the scenario the run
/// started with; `None` when it delivers to none.
fn consumers_busiest(r: &Report, ran: Option<&Scenario>, id: &str) -> Option<f64> {
    ran?.edges
        .iter()
        .filter(|e| e.from == id)
        .filter_map(|e| r.nodes.get(&e.to))
        .map(latest_utilization)
        .max_by(f64::total_cmp)
}

/// A node's hover text: two spans, each named, the colour's (the latest window) and the
/// panel's (the steady state). One line mixing them read "utilization 89%" beside a panel's
/// 84.1 %. A node without a worker limit has no utilization (its panel has none), so no
/// "now" line.
fn node_tip(r: &Report, id: &str, n: &NodeReport, now_u: f64) -> String {
    let workers = has_workers(r, id);
    let now = if workers {
        format!("now: utilization {:.0}%\n", now_u * 100.0)
    } else {
        String::new()
    };
    // Which instances are down now, and since when (in the warm-up too): a failed instance of
    // an autoscaled tier is not in its box's count.
    let instances_down = crate::panels::inspector::fields::instances_down(r, id)
        .map_or(String::new(), |down| {
            format!("\ninstances down now: {down}")
        });
    let Some(span) = steady_span(r) else {
        return format!("{now}{}{instances_down}", warming_up(r));
    };
    let utilization = if workers {
        format!(
            "{} {:.1}%, ",
            crate::panels::inspector::fields::utilization_label(n),
            n.utilization * 100.0
        )
    } else {
        String::new()
    };
    // A queue answers its producer at once (a p99 of 0.0 ms): what it is about is how long
    // a message waits for a worker, as its panel shows.
    let latency = if n.wait_ms.is_some() {
        let wait = n
            .waits()
            .map_or("–".to_string(), |w| format!("{:.1} ms", w.p99));
        format!("wait p99 {wait}")
    } else {
        format!("p99 {}", p99_text(n.succeeded, n.latency_ms.p99))
    };
    // Failures from below it answered with, when there were any (see the panel).
    let passed_on = if n.errors > 0 {
        format!(", failures passed on {}", n.errors)
    } else {
        String::new()
    };
    format!(
        "{now}{span}: {utilization}{:.1} req/s ok, {latency}, rejected {}, down {}{passed_on}\
         {instances_down}",
        n.throughput_rps, n.rejected, n.down
    )
}

/// A client's hover text: its users' availability now (its colour) and over the steady state.
fn client_tip(r: &Report, c: &ClientReport, now_a: f64) -> String {
    let now = format!(
        "its users now: availability {:.2}%",
        crate::panels::cut(now_a * 100.0, 2)
    );
    let Some(span) = steady_span(r) else {
        return format!("{now}\n{}", warming_up(r));
    };
    format!(
        "{now}\n{span}: availability {:.2}%, {:.1} req/s ok, p99 {}",
        crate::panels::cut(c.availability * 100.0, 2),
        c.throughput_rps,
        p99_text(c.succeeded, c.latency_ms.p99)
    )
}

/// How the hover text names the span of the panels' figures (the report's steady state);
/// `None` during the warm-up, when there are none yet (the summary shows "–").
fn steady_span(r: &Report) -> Option<&'static str> {
    if !crate::panels::summary::measuring(r) {
        None
    } else if r.run.warmup_s > 0.0 {
        Some("since the warm-up")
    } else {
        Some("over the run")
    }
}

fn warming_up(r: &Report) -> String {
    format!("warming up: the figures start at {} s", r.run.warmup_s)
}

/// A p99, or "–" with nothing succeeded (the report's 0 ms read as a very good latency).
fn p99_text(succeeded: u64, p99_ms: f64) -> String {
    if succeeded == 0 {
        "–".to_string()
    } else {
        format!("{p99_ms:.1} ms")
    }
}

/// Fill colour of a node at `utilization` (green → amber → red).
pub(super) fn heat(u: f64) -> String {
    let u = u.clamp(0.0, 1.0);
    let (r, g) = if u < 0.5 {
        (80.0 + 350.0 * u, 190.0)
    } else {
        (255.0, 190.0 - 300.0 * (u - 0.5))
    };
    format!("rgb({:.0},{:.0},90)", r.min(255.0), g.max(40.0))
}

/// Where a client whose users see `availability` sits on the [`heat`] scale: served is cool,
/// 5 % failing is half-way (orange), 10 % or more is hot.
fn client_heat(availability: f64) -> f64 {
    let failing = (1.0 - availability) * 10.0;
    if failing.is_nan() {
        0.0
    } else {
        failing.clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::{client_heat, heat};

    #[test]
    fn a_client_turns_from_green_to_red_as_its_users_fail() {
        assert_eq!(client_heat(1.0), 0.0);
        assert_eq!(heat(client_heat(1.0)), heat(0.0));
        assert!(
            (client_heat(0.95) - 0.5).abs() < 1e-9,
            "5 % failing: orange"
        );
        assert_eq!(client_heat(0.85), 1.0);
        assert!(client_heat(0.9) > 0.999);
        assert_eq!(client_heat(0.0), 1.0);
        // Out of range or not a number never breaks the colour.
        assert_eq!(client_heat(1.5), 0.0);
        assert_eq!(client_heat(f64::NAN), 0.0);
    }
}

#[cfg(test)]
mod tip_tests {
    use scaleplay_sim::time::SimTime;
    use scaleplay_sim::{load, Simulation};

    use super::{client_tip, node_tip};

    /// 20 req/s through a balancer (no worker limit) to a server, 10 s of warm-up in 30; with
    /// the server `down` all along, nothing succeeds.
    fn at(t: f64, down: bool) -> scaleplay_sim::Report {
        let rps = 20;
        let faults = if down {
            r#"{"node": "web", "at_s": 0, "action": "fail"}"#
        } else {
            ""
        };
        let text = format!(
            r#"{{"version": 1, "duration_s": 30, "warmup_s": 10,
                "nodes": [{{"id": "users", "kind": "client", "params": {{"rps": {rps}}}}},
                          {{"id": "users2", "kind": "client", "params": {{"rps": {rps}}}}},
                          {{"id": "lb", "kind": "load_balancer"}},
                          {{"id": "web", "kind": "server"}}],
                "edges": [{{"from": "users", "to": "lb"}}, {{"from": "users2", "to": "lb"}},
                          {{"from": "lb", "to": "web"}}],
                "faults": [{faults}]}}"#
        );
        let mut sim = Simulation::new(load(&text).expect("valid"), 1);
        sim.run_until(SimTime::from_secs(t));
        sim.report()
    }

    #[test]
    fn the_hover_text_names_its_spans_and_says_what_is_not_there() {
        let r = at(30.0, false);
        let web = node_tip(&r, "web", &r.nodes["web"], 0.5);
        assert!(
            web.starts_with("now: utilization 50%\nsince the warm-up: utilization "),
            "{web}"
        );
        assert!(web.contains(" ms, rejected 0, down 0"), "{web}");
        // No worker limit: no utilization, now or since.
        let lb = node_tip(&r, "lb", &r.nodes["lb"], 0.0);
        assert!(lb.starts_with("since the warm-up: "), "{lb}");
        assert!(!lb.contains("utilization"), "{lb}");
        let users = client_tip(&r, &r.clients["users"], 1.0);
        assert!(
            users.starts_with(
                "its users now: availability 100.00%\nsince the warm-up: availability 100.00%"
            ),
            "{users}"
        );
        // During the warm-up there are no steady-state figures yet.
        let early = at(5.0, false);
        let web = node_tip(&early, "web", &early.nodes["web"], 0.5);
        assert_eq!(
            web,
            "now: utilization 50%\nwarming up: the figures start at 10 s"
        );
        // Nothing succeeded: no p99, not 0 ms; and its utilization is of the time it was up.
        let idle = at(30.0, true);
        let web = node_tip(&idle, "web", &idle.nodes["web"], 0.0);
        assert!(web.contains("p99 –"), "{web}");
        assert!(web.contains("utilization while up "), "{web}");
    }

    /// A queue's hover text gives its messages' wait for a worker, not its own instant answer
    /// ("p99 0.0 ms" beside a panel's wait p99 of seconds).
    #[test]
    fn a_queues_hover_text_gives_the_wait() {
        let preset = scaleplay_sim::presets::find("08").expect("preset 08");
        let model = load(preset.json).expect("valid");
        let mut sim = Simulation::new(model, 1);
        sim.run_until(SimTime::from_secs(60.0));
        let r = sim.report();
        let (id, queue) = r
            .nodes
            .iter()
            .find(|(_, n)| n.wait_ms.is_some())
            .expect("preset 08 has a queue");
        let tip = node_tip(&r, id, queue, 0.0);
        let wait = queue.waits().expect("messages were handed to workers").p99;
        assert!(tip.contains(&format!("wait p99 {wait:.1} ms")), "{tip}");
        assert!(!tip.contains(", p99 "), "{tip}");
    }
}
