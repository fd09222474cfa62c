//! Independent replications summarised as mean ± 95% confidence half-width: the engine's
//! seeds and summary ([`Replications`]), with the runs spread over `jobs` threads, plus the run
//! count the JSON output carries.

use scaleplay_sim::replicate::{replication_seeds, Replications, RunFigures};
use scaleplay_sim::{Model, Simulation};
use serde::Serialize;

use crate::parallel::map_in_order;

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

/// Runs `n` (≥ 1) replications of `model` from `seed` on up to `jobs` threads. The figures are
/// the engine's [`scaleplay_sim::replicate::run_replications`], whatever `jobs` is.
pub fn replicate(model: &Model, seed: u64, n: usize, jobs: usize) -> Replicated {
    let seeds = replication_seeds(seed, n);
    let runs = map_in_order(seeds.clone(), jobs, |s| {
        RunFigures::of(&Simulation::new(model.clone(), s).run())
    });
    Replicated {
        replications: seeds.len(),
        figures: Replications::summarise(seeds, &runs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scaleplay_sim::replicate::run_replications;

    #[test]
    fn same_figures_as_the_engine_on_any_number_of_threads() {
        let model = scaleplay_sim::load(
            r#"{"version": 1, "duration_s": 15, "warmup_s": 5, "nodes": [
                 {"id": "users", "kind": "client", "params": {"rps": 40}},
                 {"id": "box", "kind": "server", "params": {"workers": 2}}],
               "edges": [{"from": "users", "to": "box"}]}"#,
        )
        .expect("a valid scenario");
        let theirs = run_replications(&model, 11, 5);
        for jobs in [1, 2, 4] {
            let ours = replicate(&model, 11, 5, jobs);
            assert_eq!(ours.replications, 5);
            // To the bit: the runs are summarised in seed order whatever the threads.
            assert_eq!(ours.figures, theirs, "{jobs} jobs");
        }
    }
}
