//! Capacity analysis without simulating: the utilization law per node and the bottleneck.
//!
//! Each client's traffic is walked through the routing plan ([`crate::plan`]); a node's offered
//! load is Σ rate × visits × mean hold time (Erlangs), and its utilization that load over its
//! workers. The node with the highest utilization saturates first, at the total client rate
//! divided by that utilization. Blocking servers hold a worker while their downstream calls
//! run, so their hold time includes those calls (queueing ignored: a lower bound). A tier that
//! autoscales counts at its maximum instances, the most it can grow to. A cache's hit ratio
//! moves with the rate (with a TTL it hits more, and more reads come while a fetch is on its
//! way), so the saturation rate is found where the bottleneck is full, with the hit ratios of
//! that rate (`saturation`). Where instances are picked by user (a keyed
//! store's partitions, servers behind an `ip_hash` balancer) a popular user makes one instance
//! hot, and that instance saturates first.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Model, NodeId, Op};
use crate::params::{ClientParams, Params, Profile};
use crate::plan;
use crate::scenario::Kind;

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
    /// tier at its maximum instances): the mean over its instances, as a run measures it. The
    /// bottleneck is the node whose busiest instance saturates first, which with users hashed
    /// to instances (keyed stores, `ip_hash`) can be busier than this mean.
    pub utilization: BTreeMap<String, f64>,
    /// When the bottleneck is autoscaled: the maximum instances `max_rps` assumes it has grown
    /// to (a tier that does not scale up, e.g. on a depth it never reaches, saturates sooner).
    /// Left out when it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bottleneck_at_max_instances: Option<u32>,
}

impl Capacity {
    /// Whether node `id` saturates first: the bottleneck, or a node exactly as busy as it.
    /// Three identical servers behind a balancer saturate together, and the analysis names
    /// only the first of them; a user shown one of three boxes tagged took it to be the weak
    /// one. (Equal within a millionth: the same share of the same rate, added up by another
    /// path, can differ in its last bits.)
    pub fn saturates_first(&self, id: &str) -> bool {
        let Some(bottleneck) = self.bottleneck.as_deref() else {
            return false;
        };
        if id == bottleneck {
            return true;
        }
        match (self.utilization.get(bottleneck), self.utilization.get(id)) {
            (Some(&worst), Some(&busy)) => worst > 0.0 && (busy - worst).abs() <= 1e-6 * worst,
            _ => false,
        }
    }

    /// One line for people: `"{name} saturates at 667 req/s (offered 50)"`, `name` being how
    /// to call the bottleneck; how many instances that takes when it is autoscaled.
    pub fn describe(&self, name: &str) -> Option<String> {
        let max = self.max_rps?;
        let mut line = format!(
            "{name} saturates at {} req/s (offered {}{})",
            rate_text(max),
            rate_text(self.offered_rps),
            self.peak_note(rate_text)
        );
        line += &self.autoscaled_note();
        Some(line)
    }

    /// `", 1000 at peak"` when the profiles push the total rate above `offered_rps` (each rate
    /// written by `num`), and `": beyond it"` as well when the peak passes `max_rps`; just
    /// `": beyond it"` when the offered rate itself does.
    pub fn peak_note(&self, num: impl Fn(f64) -> String) -> String {
        if self.peak_rps <= self.offered_rps * (1.0 + 1e-9) {
            // A constant rate past saturation says so too, as a peak past it does.
            return if self.max_rps.is_some_and(|m| self.offered_rps > m) {
                ": beyond it".to_string()
            } else {
                String::new()
            };
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
    let offered: f64 = model
        .clients()
        .filter_map(|c| match &model.node(c).params {
            Params::Client(p) => Some(p.rps),
            _ => None,
        })
        .sum();
    let peak = peak_total_rps(model);
    let at_configured = utilizations(model, 1.0);
    let utilization = at_configured
        .iter()
        .map(|b| (model.nodes[b.node].id.clone(), b.mean))
        .collect();
    let Some(saturation) = saturation(model, &at_configured) else {
        return Capacity {
            bottleneck: None,
            max_rps: None,
            offered_rps: offered,
            peak_rps: peak,
            utilization,
            bottleneck_at_max_instances: None,
        };
    };
    let i = saturation.bottleneck;
    let id = NodeId(i as u32);
    let max = model.max_instances(id);
    Capacity {
        bottleneck: Some(model.nodes[i].id.clone()),
        max_rps: Some(offered / saturation.proportional_utilization),
        offered_rps: offered,
        peak_rps: peak,
        utilization,
        bottleneck_at_max_instances: (max != model.instances(id)).then_some(max),
    }
}

/// A rate as a person reads it: whole and grouped by thousands from 100 up (`1,429`), one
/// place below (`7.5`), two significant digits below 1 (`0.013`), a power of ten beyond any
/// count (`1.0e15`). Rounded to a whole number, a slow tier read "saturates at 0 req/s" and
/// 0.0001 offered read "offered 0".
pub fn rate_text(x: f64) -> String {
    if !x.is_finite() {
        return "unbounded".to_string();
    }
    let x = x.max(0.0);
    if x == 0.0 {
        "0".to_string()
    } else if !(1e-9..1e15).contains(&x) {
        format!("{x:.1e}")
    } else if x >= 100.0 {
        crate::error::grouped(libm::round(x) as u64)
    } else if x >= 1.0 {
        let text = format!("{x:.1}");
        text.strip_suffix(".0").unwrap_or(&text).to_string()
    } else {
        // Places enough for two significant digits: 0.5 → 0.50 → "0.5", 0.0125 → "0.013".
        let places = (1.0 - libm::floor(libm::log10(x))) as usize;
        let text = format!("{x:.places$}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Predicted utilization of one node with workers.
#[derive(Clone, Copy, Debug)]
struct Busy {
    node: usize,
    /// Over all its instances (what a run measures as the node's utilization).
    mean: f64,
    /// Of its busiest instance, which saturates first: above the mean when users are
    /// hashed to instances and a popular one makes its instance hot.
    hottest: f64,
}

/// Predicted utilization of every node with workers when each client sends `rate_scale`
/// times its configured rate.
fn utilizations(model: &Model, rate_scale: f64) -> Vec<Busy> {
    // A cache's hit ratio follows everything that reaches it: every client's reads (their
    // users are the same keys), over every path (two tiers sharing one cache), the writes
    // that invalidate its keys (a worker's as well as a server's) and how long its fetches
    // take. So first add up what reaches each cache.
    let mut shared = model
        .nodes
        .iter()
        .any(|n| n.kind == Kind::Cache)
        .then(|| cache_traffic(model, rate_scale));
    // Erlangs per node, and of them, those spread over instances by user (per instance).
    let mut load = vec![0.0f64; model.nodes.len()];
    let mut by_user: Vec<Option<Vec<f64>>> = vec![None; model.nodes.len()];
    for c in model.clients() {
        let Params::Client(p) = &model.node(c).params else {
            continue;
        };
        let shares = [p.mix.read, p.mix.write, p.mix.static_, p.mix.async_];
        for (op, share) in Op::REQUEST_TYPES.into_iter().zip(shares) {
            if share <= 0.0 {
                continue;
            }
            let rate = p.rps * rate_scale * share;
            let mut on_visit = |v: plan::Visit| {
                if v.touch != plan::Touch::Work {
                    return;
                }
                let erlangs = rate * v.weight * v.hold_ms / 1000.0;
                load[v.node.ix()] += erlangs;
                if let Some(shares) = v.instance_shares {
                    let each = by_user[v.node.ix()].get_or_insert_with(|| vec![0.0; shares.len()]);
                    for (e, s) in each.iter_mut().zip(shares) {
                        *e += erlangs * s;
                    }
                }
            };
            match &mut shared {
                Some(traffic) => {
                    plan::walk_sharing(model, c, op, rate_scale, traffic, &mut on_visit);
                }
                None => {
                    plan::walk_at(model, c, op, rate_scale, &mut on_visit);
                }
            }
        }
    }
    load.iter()
        .enumerate()
        .filter_map(|(i, erlangs)| {
            let id = NodeId(i as u32);
            let workers = f64::from(model.workers(id)?);
            // An autoscaled tier grows to meet its load: what it can carry is its maximum.
            let instances = f64::from(model.max_instances(id));
            let mean = erlangs / (workers * instances);
            let hottest = match &by_user[i] {
                None => mean,
                Some(each) => {
                    let keyed: f64 = each.iter().sum();
                    let even = (erlangs - keyed).max(0.0) / instances;
                    let top = each.iter().copied().fold(0.0, f64::max);
                    ((even + top) / workers).max(mean)
                }
            };
            Some(Busy {
                node: i,
                mean,
                hottest,
            })
        })
        .collect()
}

/// What reaches each cache from every client, each walked on its own: the reads by
/// population, the writes that invalidate keys, the fetches after a miss and their time. The
/// first pass of [`utilizations`]. The walks follow the paths only: what reaches a cache
/// depends on the hit ratios of the caches before it, and a cache behind a cache is rare
/// enough to leave out.
fn cache_traffic(model: &Model, rate_scale: f64) -> Vec<plan::CacheTraffic> {
    let mut traffic = vec![plan::CacheTraffic::default(); model.nodes.len()];
    for c in model.clients() {
        let Params::Client(p) = &model.node(c).params else {
            continue;
        };
        let shares = [p.mix.read, p.mix.write, p.mix.static_, p.mix.async_];
        for (op, share) in Op::REQUEST_TYPES.into_iter().zip(shares) {
            if share <= 0.0 {
                continue;
            }
            let rate = p.rps * rate_scale * share;
            plan::walk_paths(model, c, op, &mut |v| {
                if model.node(v.node).kind != Kind::Cache {
                    return;
                }
                let t = &mut traffic[v.node.ix()];
                let rps = rate * v.weight;
                match v.touch {
                    plan::Touch::Work if op == Op::Read => t.add_reads(p.users, p.zipf_s, rps),
                    plan::Touch::Work => {}
                    plan::Touch::Fill => t.add_fills(rps, v.hold_ms),
                    plan::Touch::Invalidation => t.add_writes(rps),
                }
            });
        }
    }
    traffic
}

/// The node whose busiest instance is busiest, if any is busy at all (the first on ties),
/// with that instance's utilization.
fn busiest(utilizations: &[Busy]) -> Option<(usize, f64)> {
    utilizations
        .iter()
        .filter(|b| b.hottest > 0.0)
        .fold(None, |worst, b| match worst {
            Some((_, w)) if w >= b.hottest => worst,
            _ => Some((b.node, b.hottest)),
        })
}

/// Where the first node saturates: the total rate there, and that node.
struct Saturation {
    /// What the bottleneck's utilization would be at the configured rate if its load grew in
    /// proportion to the rate: the configured rate ÷ the saturation rate.
    proportional_utilization: f64,
    bottleneck: usize,
}

/// Finds the rate at which the busiest node reaches utilization 1.
///
/// Most load grows in proportion to the rate, and then the answer is the configured rate ÷
/// the highest utilization there. A cache breaks the proportion: at a higher rate its keys
/// are read more often before they expire, so it hits more (with a TTL), and more reads come
/// while a key's fetch is on its way, so it misses more. Then the utilizations are worked out again at candidate
/// rates until the busiest one is 1: the root of log(utilization) against log(rate), nearly a
/// straight line, by secant steps that fall back to halving the bracket when they leave it.
fn saturation(model: &Model, at_configured: &[Busy]) -> Option<Saturation> {
    let (first, u0) = busiest(at_configured)?;
    if !hit_ratios_follow_rate(model) {
        return Some(Saturation {
            proportional_utilization: u0,
            bottleneck: first,
        });
    }
    // x = ln(rate ÷ configured rate), f(x) = ln(highest utilization there); f rises with x.
    let eval = |x: f64| -> Option<(usize, f64)> {
        let (i, u) = busiest(&utilizations(model, libm::exp(x)))?;
        Some((i, libm::log(u)))
    };
    const TOLERANCE: f64 = 1e-5; // in ln(utilization): 0.001% of the rate
    const MAX_STEP: f64 = 5.0; // e^5 ≈ 150 times the rate per step at most
    const MAX_EVALS: usize = 50;
    let (mut x, mut f, mut node) = (0.0, libm::log(u0), first);
    let (mut below, mut above) = (f64::NEG_INFINITY, f64::INFINITY);
    // The first step assumes proportion (slope 1), which is exact when no hit ratio moves.
    let mut slope = 1.0;
    for _ in 0..MAX_EVALS {
        if f.abs() <= TOLERANCE {
            break;
        }
        if f < 0.0 {
            below = below.max(x);
        } else {
            above = above.min(x);
        }
        let step = if slope > 1e-3 { -f / slope } else { -f * 1e3 };
        let mut next = x + step.clamp(-MAX_STEP, MAX_STEP);
        if below.is_finite() && above.is_finite() && !(next > below && next < above) {
            next = (below + above) / 2.0;
        }
        let Some((i, f_next)) = eval(next) else { break };
        slope = (f_next - f) / (next - x);
        (x, f, node) = (next, f_next, i);
    }
    Some(Saturation {
        proportional_utilization: libm::exp(-x),
        bottleneck: node,
    })
}

/// Whether some cache's hit ratio depends on how fast keys are read. A TTL makes it so, and
/// so does the time a fetch takes: the more often a key is read, the more reads come while
/// it is on its way and miss. (Eviction and write invalidation scale with the reads.)
fn hit_ratios_follow_rate(model: &Model) -> bool {
    model.nodes.iter().any(|n| n.kind == Kind::Cache)
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

#[cfg(test)]
mod tests {
    use super::rate_text;

    #[test]
    fn rates_read_as_a_person_writes_them() {
        for (x, text) in [
            (0.0, "0"),
            (0.0001, "0.0001"),
            (0.0125, "0.013"),
            (0.5, "0.5"),
            (7.5, "7.5"),
            (50.0, "50"),
            (99.96, "100"),
            (1428.6, "1,429"),
            (1_000_000.0, "1,000,000"),
            (999_999_999_999_999.0, "999,999,999,999,999"),
            (1e15, "1.0e15"),
            (f64::INFINITY, "unbounded"),
        ] {
            assert_eq!(rate_text(x), text, "{x}");
        }
    }
}
