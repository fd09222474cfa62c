//! Independent replications summarised as mean ± 95% confidence half-width: the engine's
//! seeds and summary ([`Replications`]), with the runs spread over `jobs` threads, plus the run
//! count and the first run's report, which the JSON output carries.

use scaleplay_sim::replicate::{replication_seeds, Replications, RunFigures};
use scaleplay_sim::{Model, Simulation};
use serde::Serialize;

use crate::budget::Progress;
use crate::parallel::map_in_order;

/// The figures of `n` replications: the run count, then the engine's figures at the same
/// level (`seeds`, `throughput_rps`, …), as the `replications` object of `run --replications N
/// --json` holds them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Replicated {
    /// How many runs.
    pub runs: usize,
    /// Seeds and estimates, from the engine.
    #[serde(flatten)]
    pub figures: Replications,
    /// The report of the first run (the scenario's seed), as JSON, when asked for.
    #[serde(skip)]
    pub first_report: Option<String>,
}

impl Replicated {
    /// What `run --replications N --json` prints: the first run's report, with every key a
    /// report has (`summary`, `nodes`, `series`, `capacity`, `alerts`), and beside them
    /// `replications`, the estimates over all the runs.
    pub fn to_json(&self) -> anyhow::Result<String> {
        use anyhow::Context as _;
        let report = self
            .first_report
            .as_deref()
            .context("the first run's report was not kept")?;
        let mut out: serde_json::Map<String, serde_json::Value> = serde_json::from_str(report)?;
        out.insert("replications".into(), serde_json::to_value(self)?);
        Ok(serde_json::to_string_pretty(&out)?)
    }
}

/// Runs `n` (≥ 1) replications of `model` from `seed` on up to `jobs` threads. The figures are
/// the engine's [`scaleplay_sim::replicate::run_replications`], whatever `jobs` is. With
/// `keep_first`, the first run's report is kept too (the others are reduced as they end).
pub fn replicate(model: &Model, seed: u64, n: usize, jobs: usize, keep_first: bool) -> Replicated {
    let seeds = replication_seeds(seed, n);
    let numbered: Vec<(usize, u64)> = seeds.iter().copied().enumerate().collect();
    let progress = Progress::new(numbered.len());
    let mut runs = map_in_order(numbered, jobs, |(i, s)| {
        let report = Simulation::new(model.clone(), s).run();
        progress.tick();
        let kept = (keep_first && i == 0).then(|| report.to_json());
        (RunFigures::of(&report), kept)
    });
    let first_report = runs.first_mut().and_then(|(_, kept)| kept.take());
    let runs: Vec<RunFigures> = runs.into_iter().map(|(figures, _)| figures).collect();
    Replicated {
        runs: seeds.len(),
        figures: Replications::summarise(seeds, &runs),
        first_report,
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
            let ours = replicate(&model, 11, 5, jobs, false);
            assert_eq!(ours.runs, 5);
            // To the bit: the runs are summarised in seed order whatever the threads.
            assert_eq!(ours.figures, theirs, "{jobs} jobs");
        }
    }
}
