//! Capacity analysis without simulating: the utilization law per node and the bottleneck.
//!
//! Each client's traffic is walked through the routing plan ([`crate::plan`]); a node's offered
//! load is Σ rate × visits × mean hold time (Erlangs), and its utilization that load over its
//! workers. The node with the highest utilization saturates first, at the total client rate
//! divided by that utilization. Blocking servers hold a worker while their downstream calls
//! run, so their hold time includes those calls (queueing ignored: a lower bound). A tier that
//! autoscales counts at its maximum instances, the most it can grow to.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Model, NodeId, Op};
use crate::params::{ClientParams, Params, Profile};
use crate::plan;

/// Result of the analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Capacity {
    /// The node that saturates first (none when no node has a worker limit).
    pub bottleneck: Option<String>,
    /// Total client rate (req/s, all clients scaled together) at which the bottleneck saturates;
    /// none when nothing has a worker limit.
    pub max_rps: Option<f64>,
    /// Total client rate as configured (each client's `rps`).
    pub offered_rps: f64,
    /// The highest total client rate the profiles reach during the run (a ramp's top, a
    /// spike, a diurnal crest); `offered_rps` when every client is constant.
    #[serde(default)]
    pub peak_rps: f64,
    /// Predicted utilization of each node with workers at the configured rate (an autoscaled
    /// tier at its maximum instances).
    pub utilization: BTreeMap<String, f64>,
    /// When the bottleneck is autoscaled: the maximum instances `max_rps` assumes it has grown
    /// to (a tier that does not scale up, e.g. on a depth it never reaches, saturates sooner).
    /// Left out when it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bottleneck_at_max_instances: Option<u32>,
}

impl Capacity {
    /// One line for people: `"{name} saturates at 667 req/s (offered 50)"`, `name` being how
    /// to call the bottleneck; how many instances that takes when it is autoscaled.
    pub fn describe(&self, name: &str) -> Option<String> {
        let max = self.max_rps?;
        let mut line = format!(
            "{name} saturates at {max:.0} req/s (offered {:.0}{})",
            self.offered_rps,
            self.peak_note(|x| format!("{x:.0}"))
        );
        line += &self.autoscaled_note();
        Some(line)
    }

    /// `", 1000 at peak"` when the profiles push the total rate above `offered_rps` (each rate
    /// written by `num`), and `" — beyond it"` as well when the peak passes `max_rps`.
    pub fn peak_note(&self, num: impl Fn(f64) -> String) -> String {
        if self.peak_rps <= self.offered_rps * (1.0 + 1e-9) {
            return String::new();
        }
        let beyond = if self.max_rps.is_some_and(|m| self.peak_rps > m) {
            ": beyond it"
        } else {
            ""
        };
        format!(", {} at peak{beyond}", num(self.peak_rps))
    }

    /// `" once autoscaled to its maximum of 20 instances"` when the bottleneck is autoscaled,
    /// else nothing: what the saturation rate assumes.
    pub fn autoscaled_note(&self) -> String {
        self.bottleneck_at_max_instances
            .map_or_else(String::new, |n| {
                format!(" once autoscaled to its maximum of {n} instances")
            })
    }
}

/// Analyzes a model: instant, for live display while editing.
pub fn analyze(model: &Model) -> Capacity {
    let mut load = vec![0.0f64; model.nodes.len()];
    let mut offered = 0.0;
    for c in model.clients() {
        let Params::Client(p) = &model.node(c).params else {
            continue;
        };
        offered += p.rps;
        let shares = [p.mix.read, p.mix.write, p.mix.static_, p.mix.async_];
        for (op, share) in Op::REQUEST_TYPES.into_iter().zip(shares) {
            if share <= 0.0 {
                continue;
            }
            let rate = p.rps * share;
            plan::walk(model, c, op, &mut |v| {
                load[v.node.ix()] += rate * v.weight * v.hold_ms / 1000.0;
            });
        }
    }
    let peak = peak_total_rps(model);
    let mut utilization = BTreeMap::new();
    let mut worst: Option<(usize, f64)> = None;
    for (i, erlangs) in load.iter().enumerate() {
        let id = NodeId(i as u32);
        let Some(workers) = model.workers(id) else {
            continue;
        };
        // An autoscaled tier grows to meet its load: what it can carry is its maximum.
        let servers = workers as f64 * model.max_instances(id) as f64;
        let u = erlangs / servers;
        utilization.insert(model.nodes[i].id.clone(), u);
        if u > 0.0 && worst.is_none_or(|(_, w)| u > w) {
            worst = Some((i, u));
        }
    }
    match worst {
        Some((i, u)) => {
            let id = NodeId(i as u32);
            let max = model.max_instances(id);
            Capacity {
                bottleneck: Some(model.nodes[i].id.clone()),
                max_rps: Some(offered / u),
                offered_rps: offered,
                peak_rps: peak,
                utilization,
                bottleneck_at_max_instances: (max != model.instances(id)).then_some(max),
            }
        }
        None => Capacity {
            bottleneck: None,
            max_rps: None,
            offered_rps: offered,
            peak_rps: peak,
            utilization,
            bottleneck_at_max_instances: None,
        },
    }
}

/// The highest total rate of all clients during the run. Constant, ramp and spike rates are
/// piecewise linear, so their sum peaks at the start, the end or a spike's start; diurnal
/// crests fall between, so a fine grid and each crest are tried as well.
fn peak_total_rps(model: &Model) -> f64 {
    let duration = model.scenario.duration_s;
    let clients: Vec<&ClientParams> = model
        .clients()
        .filter_map(|c| match &model.node(c).params {
            Params::Client(p) => Some(p),
            _ => None,
        })
        .collect();
    let mut instants = vec![0.0, duration];
    const GRID: u32 = 1000;
    let mut diurnal = false;
    for p in &clients {
        match p.profile {
            Profile::Spike => instants.push(p.spike_window(duration).0),
            Profile::Diurnal => {
                diurnal = true;
                // Crests at a quarter period, then every period (at most GRID of them).
                let period = p.period_s.unwrap_or(duration);
                let mut t = period / 4.0;
                for _ in 0..GRID {
                    if t > duration {
                        break;
                    }
                    instants.push(t);
                    t += period;
                }
            }
            _ => {}
        }
    }
    if diurnal {
        instants.extend((1..GRID).map(|k| duration * f64::from(k) / f64::from(GRID)));
    }
    instants
        .into_iter()
        .filter(|t| (0.0..=duration).contains(t))
        .map(|t| clients.iter().map(|p| p.rate_at(t, duration)).sum::<f64>())
        .fold(0.0, f64::max)
}
