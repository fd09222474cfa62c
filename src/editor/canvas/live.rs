//! The run's latest figures as the canvas shows them: each node's utilization (its colour),
//! whether it is down (grey) and its hover text, and each client's colour by its users'
//! failures. The colour is of the latest window (what happens now); the hover text gives that
//! and, named apart, the steady-state figures the inspector's panel shows.

use std::collections::BTreeMap;

use leptos::prelude::*;
use scaleplay_sim::scenario::FaultAction;

use crate::runner::Run;

/// A node's latest utilization, whether it is down, its hover text, and its instances serving
/// now (none for a client).
pub(super) type LiveFigures = (f64, bool, String, Option<u32>);

/// Live figures per node and client: the latest window's utilization, and whether it is down.
pub(super) fn live_figures(run: Run) -> Memo<Option<BTreeMap<String, LiveFigures>>> {
    Memo::new(move |_| {
        run.report.with(|r| {
            r.as_ref().map(|r| {
                let span = steady_span(r.run.warmup_s);
                r.nodes
                    .iter()
                    .map(|(id, n)| {
                        let u = n
                            .utilization_series
                            .last()
                            .copied()
                            .unwrap_or(n.utilization);
                        // Two spans, each named: the colour's (the latest window) and the
                        // panel's (the steady state). One line mixing them read "utilization
                        // 89%" beside a panel's 84.1 %.
                        let tip = format!(
                            "now: utilization {:.0}%\n{span}: utilization {:.1}%, {:.1} \
                             req/s ok, p99 {:.1} ms, rejected {}, down {}",
                            u * 100.0,
                            n.utilization * 100.0,
                            n.throughput_rps,
                            n.latency_ms.p99,
                            n.rejected,
                            n.down
                        );
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
                        let tip = format!(
                            "its users now: availability {:.2}%\n{span}: availability \
                             {:.2}%, {:.1} req/s ok, p99 {:.1} ms",
                            crate::panels::cut(a * 100.0, 2),
                            crate::panels::cut(c.availability * 100.0, 2),
                            c.throughput_rps,
                            c.latency_ms.p99
                        );
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

/// How the hover text names the span of the panels' figures (the report's steady state).
fn steady_span(warmup_s: f64) -> &'static str {
    if warmup_s > 0.0 {
        "since the warm-up"
    } else {
        "over the run"
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
