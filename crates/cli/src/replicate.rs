//! Independent replications summarised as mean ± 95% confidence half-width: the engine's
//! [`run_replications_with`], plus the run count the JSON output carries.

use scaleplay_sim::replicate::{run_replications_with, Replications};
use scaleplay_sim::{Model, Report};
use serde::Serialize;

/// The figures of `n` replications, as `run --replications N --json` prints them: the run count,
/// then the engine's figures at the same level (`seeds`, `throughput_rps`, …).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Replicated {
    /// How many runs.
    pub replications: usize,
    /// Seeds and estimates, from the engine.
    #[serde(flatten)]
    pub figures: Replications,
}

/// Runs `n` (≥ 1) replications of `model` from `seed`, showing each report to `each`.
pub fn replicate(model: &Model, seed: u64, n: usize, each: impl FnMut(&Report)) -> Replicated {
    let figures = run_replications_with(model, seed, n, each);
    Replicated {
        replications: figures.seeds.len(),
        figures,
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
        let ours = replicate(&model, 11, 3, |_| runs += 1).figures;
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
