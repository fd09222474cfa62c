//! Independent replications summarised as mean ± 95% confidence half-width.
//!
//! This computes exactly what `scaleplay_sim::replicate::run_replications` does (same seeds, same
//! [`Estimate`]s; a test below holds the two together), but hands each report to the caller and
//! drops it instead of keeping all of them: a thousand long runs would otherwise hold a thousand
//! per-second series in memory at once.

use scaleplay_sim::replicate::{replication_seed, Estimate};
use scaleplay_sim::{Model, Report, Simulation};
use serde::Serialize;

/// The figures of `n` replications, as `run --replications N --json` prints them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Replicated {
    /// How many runs.
    pub replications: usize,
    /// Seed of each run (the first is the base seed).
    pub seeds: Vec<u64>,
    /// Successful requests per second.
    pub throughput_rps: Estimate,
    /// Share of successful requests.
    pub availability: Estimate,
    /// Mean latency (ms).
    pub mean_ms: Estimate,
    /// Median latency (ms).
    pub p50_ms: Estimate,
    /// 95th percentile (ms).
    pub p95_ms: Estimate,
    /// 99th percentile (ms).
    pub p99_ms: Estimate,
}

/// Runs `n` (≥ 1) replications of `model` from `seed`, showing each report to `each`.
pub fn replicate(model: &Model, seed: u64, n: usize, mut each: impl FnMut(&Report)) -> Replicated {
    let seeds: Vec<u64> = (0..n.max(1)).map(|i| replication_seed(seed, i)).collect();
    let mut figures: [Vec<f64>; 6] = Default::default();
    for s in &seeds {
        let report = Simulation::new(model.clone(), *s).run();
        let r = &report.summary;
        let values = [
            r.throughput_rps,
            r.availability,
            r.latency_ms.mean,
            r.latency_ms.p50,
            r.latency_ms.p95,
            r.latency_ms.p99,
        ];
        for (list, v) in figures.iter_mut().zip(values) {
            list.push(v);
        }
        each(&report);
    }
    let [throughput, availability, mean, p50, p95, p99] = figures.map(|v| Estimate::of(&v));
    Replicated {
        replications: seeds.len(),
        seeds,
        throughput_rps: throughput,
        availability,
        mean_ms: mean,
        p50_ms: p50,
        p95_ms: p95,
        p99_ms: p99,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scaleplay_sim::replicate::run_replications;

    #[test]
    fn same_figures_as_the_engine() {
        let model = scaleplay_sim::load(
            r#"{"version": 1, "duration_s": 15, "warmup_s": 5, "nodes": [
                 {"id": "users", "kind": "client", "params": {"rps": 40}},
                 {"id": "box", "kind": "server", "params": {"workers": 2}}],
               "edges": [{"from": "users", "to": "box"}]}"#,
        )
        .expect("a valid scenario");
        let mut runs = 0;
        let ours = replicate(&model, 11, 3, |_| runs += 1);
        let theirs = run_replications(&model, 11, 3);
        assert_eq!(runs, 3);
        assert_eq!(ours.seeds, theirs.seeds);
        assert_eq!(ours.throughput_rps, theirs.throughput_rps);
        assert_eq!(ours.availability, theirs.availability);
        assert_eq!(ours.mean_ms, theirs.mean_ms);
        assert_eq!(ours.p50_ms, theirs.p50_ms);
        assert_eq!(ours.p95_ms, theirs.p95_ms);
        assert_eq!(ours.p99_ms, theirs.p99_ms);
    }
}
