//! Independent replications: the same scenario over several seeds, summarised as mean ± 95%
//! confidence half-width (Student's t), so a figure comes with its uncertainty.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::Simulation;
use crate::model::Model;
use crate::report::Report;

/// Mean and 95% confidence half-width of one figure across replications.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
pub struct Estimate {
    /// Sample mean (0 of no values: written `null` in JSON, as there is no figure, and a 0
    /// would read as one, a latency of 0 ms).
    #[serde(deserialize_with = "null_as_zero")]
    pub mean: f64,
    /// Half-width of the 95% confidence interval (0 with fewer than two values: no interval,
    /// written `null` in JSON so that it does not read as exact).
    #[serde(deserialize_with = "null_as_zero")]
    pub ci95: f64,
    /// How many values: the replications, or for latencies those that had a success to time.
    /// (Absent from output written before it existed.)
    #[serde(default)]
    pub n: usize,
}

impl Serialize for Estimate {
    /// `{"mean", "ci95", "n"}`, with `ci95` null when there is no interval (fewer than two
    /// values): a 0 there would read as an exact figure. Without any value (latencies when no
    /// run had a success to time) `mean` is null too: a 0 there would read as 0 ms, the
    /// fastest run there could be, where the table shows "-".
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("Estimate", 3)?;
        out.serialize_field("mean", &(self.n >= 1).then_some(self.mean))?;
        out.serialize_field("ci95", &(self.n >= 2).then_some(self.ci95))?;
        out.serialize_field("n", &self.n)?;
        out.end()
    }
}

/// Reads `mean` and `ci95` as [`Estimate`] writes them.
fn null_as_zero<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(0.0))
}

impl Estimate {
    /// Mean ± t·s/√n of `values`.
    pub fn of(values: &[f64]) -> Estimate {
        let n = values.len();
        if n == 0 {
            return Estimate {
                mean: 0.0,
                ci95: 0.0,
                n,
            };
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        if n < 2 {
            return Estimate { mean, ci95: 0.0, n };
        }
        let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64;
        Estimate {
            mean,
            ci95: t_quantile_975(n - 1) * (var / n as f64).sqrt(),
            n,
        }
    }

    /// Whether `value` lies inside the interval.
    pub fn contains(&self, value: f64) -> bool {
        (value - self.mean).abs() <= self.ci95
    }
}

/// The 97.5% quantile of Student's t with `df` degrees of freedom: a table up to 30, then the
/// Cornish–Fisher expansion around the normal quantile, within 1e-4 of the exact value there
/// (a step from 2.000 to 1.96 at 61 made intervals of 62 to 200 runs up to 2% too narrow).
pub fn t_quantile_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::NAN,
        1..=30 => TABLE[df - 1],
        _ => {
            let z: f64 = 1.959_963_984_540_054;
            let v = df as f64;
            let (z3, z5, z7) = (z.powi(3), z.powi(5), z.powi(7));
            z + (z3 + z) / (4.0 * v)
                + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
                + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v * v * v)
        }
    }
}

/// Summary figures across replications.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Replications {
    /// Seeds used, one per replication.
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
    /// With several clients, each one's own figures, by client id (absent with one: they are
    /// the ones above).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub clients: BTreeMap<String, ClientEstimates>,
}

/// One client's figures across replications: what its users saw.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientEstimates {
    /// Its successful requests per second.
    pub throughput_rps: Estimate,
    /// Its share of successful requests.
    pub availability: Estimate,
    /// Its 99th percentile (ms).
    pub p99_ms: Estimate,
}

/// Seeds below this stay below it in every replication: JSON readers that hold numbers as
/// doubles (JavaScript, jq, the app's seed field) keep them exactly. (A report listed
/// 11400714819323198492, which they read as ...200000: another run.)
pub const EXACT_SEEDS: u64 = 1 << 53;

/// The seed of replication `i` of a run seeded `seed` (replication 0 uses `seed` itself):
/// seeds spread far apart by a golden-ratio step, modulo 2^53 for a seed below it.
pub fn replication_seed(seed: u64, i: usize) -> u64 {
    const STEP: u64 = 0x9E37_79B9_7F4A_7C15;
    let spread = (i as u64).wrapping_mul(STEP);
    if seed < EXACT_SEEDS {
        // STEP modulo 2^53 is odd, so the first 2^53 replications' seeds all differ.
        seed.wrapping_add(spread) % EXACT_SEEDS
    } else {
        seed.wrapping_add(spread)
    }
}

/// The figures of one run that replications summarise, in the order of [`Replications`].
#[derive(Clone, Debug, PartialEq)]
pub struct RunFigures {
    /// Successful requests per second.
    pub throughput_rps: f64,
    /// Share of successful requests.
    pub availability: f64,
    /// Mean latency (ms).
    pub mean_ms: f64,
    /// Median latency (ms).
    pub p50_ms: f64,
    /// 95th percentile (ms).
    pub p95_ms: f64,
    /// 99th percentile (ms).
    pub p99_ms: f64,
    /// Whether any request succeeded: without one the latencies are no figure (they read 0)
    /// and are left out of the estimates.
    pub timed: bool,
    /// Whether any request was offered after the warm-up: without one the availability is no
    /// figure (it reads 1) and is left out of the estimate.
    pub offered: bool,
    /// With several clients, each one's throughput, availability and p99 (NaN without a
    /// success), by client id.
    pub clients: Vec<(String, [f64; 3])>,
}

impl RunFigures {
    /// The steady-state figures of `report`.
    pub fn of(report: &Report) -> RunFigures {
        let r = &report.summary;
        RunFigures {
            throughput_rps: r.throughput_rps,
            availability: r.availability,
            mean_ms: r.latency_ms.mean,
            p50_ms: r.latency_ms.p50,
            p95_ms: r.latency_ms.p95,
            p99_ms: r.latency_ms.p99,
            timed: r.succeeded > 0,
            offered: r.offered > 0,
            clients: if report.clients.len() > 1 {
                report
                    .clients
                    .iter()
                    .map(|(id, c)| {
                        let p99 = if c.succeeded > 0 {
                            c.latency_ms.p99
                        } else {
                            f64::NAN
                        };
                        let figures = [c.throughput_rps, c.availability, p99];
                        (id.clone(), figures)
                    })
                    .collect()
            } else {
                Vec::new()
            },
        }
    }
}

impl Replications {
    /// Mean ± 95% CI of each figure over `runs`, the runs of `seeds` in the same order. The
    /// order matters only to the last bit of a mean (floating-point sums), so callers that run
    /// replications in parallel put the results back in seed order first.
    pub fn summarise(seeds: Vec<u64>, runs: &[RunFigures]) -> Replications {
        let of = |figure: fn(&RunFigures) -> f64| {
            Estimate::of(&runs.iter().map(figure).collect::<Vec<_>>())
        };
        // Latencies only of the runs that timed a success.
        let timed = |figure: fn(&RunFigures) -> f64| {
            Estimate::of(
                &runs
                    .iter()
                    .filter(|r| r.timed)
                    .map(figure)
                    .collect::<Vec<_>>(),
            )
        };
        // Availability only of the runs that were offered a request (a run shortened to its
        // warm-up read 100.000 ± 0.000%).
        let offered: Vec<f64> = runs
            .iter()
            .filter(|r| r.offered)
            .map(|r| r.availability)
            .collect();
        Replications {
            seeds,
            throughput_rps: of(|r| r.throughput_rps),
            availability: Estimate::of(&offered),
            mean_ms: timed(|r| r.mean_ms),
            p50_ms: timed(|r| r.p50_ms),
            p95_ms: timed(|r| r.p95_ms),
            p99_ms: timed(|r| r.p99_ms),
            clients: client_estimates(runs),
        }
    }
}

/// Each client's estimates over `runs` (every run of one scenario has the same clients).
fn client_estimates(runs: &[RunFigures]) -> BTreeMap<String, ClientEstimates> {
    let Some(first) = runs.first() else {
        return BTreeMap::new();
    };
    first
        .clients
        .iter()
        .enumerate()
        .map(|(k, (id, _))| {
            // (A p99 is NaN in a run where the client had no success: left out.)
            let of = |figure: usize| {
                Estimate::of(
                    &runs
                        .iter()
                        .map(|r| r.clients[k].1[figure])
                        .filter(|v| !v.is_nan())
                        .collect::<Vec<_>>(),
                )
            };
            let estimates = ClientEstimates {
                throughput_rps: of(0),
                availability: of(1),
                p99_ms: of(2),
            };
            (id.clone(), estimates)
        })
        .collect()
}

/// The seeds of `n` (at least 1) replications of a run seeded `seed`.
pub fn replication_seeds(seed: u64, n: usize) -> Vec<u64> {
    (0..n.max(1)).map(|i| replication_seed(seed, i)).collect()
}

/// Runs `n` replications of `model` (n ≥ 1) and summarises them.
pub fn run_replications(model: &Model, seed: u64, n: usize) -> Replications {
    run_replications_with(model, seed, n, |_| {})
}

/// Like [`run_replications`], showing each report to `each` as it is made and then dropping it,
/// so a thousand long runs never hold a thousand series in memory at once. One after the
/// other, on this thread (the engine has no threads, so that it runs in a browser; the CLI
/// runs replications on all cores itself).
pub fn run_replications_with(
    model: &Model,
    seed: u64,
    n: usize,
    mut each: impl FnMut(&Report),
) -> Replications {
    let seeds = replication_seeds(seed, n);
    let runs: Vec<RunFigures> = seeds
        .iter()
        .map(|s| {
            let report = Simulation::new(model.clone(), *s).run();
            each(&report);
            RunFigures::of(&report)
        })
        .collect();
    Replications::summarise(seeds, &runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replication_seeds_below_2_to_the_53_stay_below_it_and_differ() {
        for seed in [0, 1, 7, EXACT_SEEDS - 1] {
            let seeds = replication_seeds(seed, 1000);
            assert_eq!(seeds[0], seed);
            assert!(seeds.iter().all(|s| *s < EXACT_SEEDS), "{seeds:?}");
            let mut distinct = seeds.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(distinct.len(), seeds.len());
        }
        // A larger seed (the CLI takes any u64) still starts from itself.
        assert_eq!(replication_seed(u64::MAX, 0), u64::MAX);
        assert_ne!(replication_seed(u64::MAX, 1), u64::MAX);
    }

    #[test]
    fn confidence_interval_of_known_sample() {
        let e = Estimate::of(&[1.0, 2.0, 3.0, 4.0]);
        assert!((e.mean - 2.5).abs() < 1e-12);
        // s = 1.291, t(3) = 3.182 → 3.182 · 1.291 / 2
        assert!((e.ci95 - 2.054).abs() < 1e-3, "{}", e.ci95);
        assert!(e.contains(4.5) && !e.contains(4.6));
    }

    #[test]
    fn t_quantiles_follow_the_exact_values_past_the_table() {
        // Exact 97.5% quantiles of Student's t (R: qt(0.975, df)).
        for (df, t) in [
            (30, 2.042),
            (31, 2.0395),
            (40, 2.0211),
            (61, 1.9996),
            (120, 1.9799),
        ] {
            assert!(
                (t_quantile_975(df) - t).abs() < 2e-4,
                "df {df}: {}",
                t_quantile_975(df)
            );
        }
        assert!((t_quantile_975(100_000) - 1.96).abs() < 1e-4);
    }

    #[test]
    fn runs_without_a_success_have_no_latency_to_average() {
        let run = |p99: f64, timed: bool| RunFigures {
            throughput_rps: 1.0,
            availability: if timed { 1.0 } else { 0.0 },
            mean_ms: p99,
            p50_ms: p99,
            p95_ms: p99,
            p99_ms: p99,
            timed,
            offered: true,
            clients: Vec::new(),
        };
        let r = Replications::summarise(
            vec![1, 2, 3],
            &[run(100.0, true), run(0.0, false), run(120.0, true)],
        );
        assert_eq!(r.p99_ms.mean, 110.0);
        assert_eq!((r.p99_ms.n, r.availability.n), (2, 3));
        let none = Replications::summarise(vec![1], &[run(0.0, false)]);
        assert_eq!(none.p99_ms.n, 0);
        // No figure is written as none, not as 0 ms, and reads back as it was.
        let json = serde_json::to_value(none.p99_ms).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"mean": null, "ci95": null, "n": 0})
        );
        assert_eq!(
            serde_json::from_value::<Estimate>(json).unwrap(),
            none.p99_ms
        );
        let json = serde_json::to_value(none.availability).unwrap();
        assert_eq!(json, serde_json::json!({"mean": 0.0, "ci95": null, "n": 1}));
    }

    #[test]
    fn runs_offered_nothing_have_no_availability_to_average() {
        let run = |offered: bool| RunFigures {
            throughput_rps: 0.0,
            availability: if offered { 0.5 } else { 1.0 },
            mean_ms: 0.0,
            p50_ms: 0.0,
            p95_ms: 0.0,
            p99_ms: 0.0,
            timed: false,
            offered,
            clients: Vec::new(),
        };
        let r = Replications::summarise(vec![1, 2], &[run(false), run(false)]);
        assert_eq!(r.availability.n, 0);
        let r = Replications::summarise(vec![1, 2], &[run(true), run(false)]);
        assert_eq!((r.availability.n, r.availability.mean), (1, 0.5));
    }

    #[test]
    fn each_clients_figures_are_summarised_by_client() {
        let run = |eu: f64, us: f64| RunFigures {
            throughput_rps: eu + us,
            availability: 1.0,
            mean_ms: 1.0,
            p50_ms: 1.0,
            p95_ms: 1.0,
            p99_ms: 1.0,
            timed: true,
            offered: true,
            clients: vec![
                ("eu".to_string(), [eu, 0.9, 100.0]),
                ("us".to_string(), [us, 1.0, 200.0]),
            ],
        };
        let r = Replications::summarise(
            vec![1, 2, 3],
            &[run(1.0, 10.0), run(2.0, 20.0), run(3.0, 30.0)],
        );
        assert_eq!(r.clients.len(), 2);
        assert_eq!(
            r.clients["eu"].throughput_rps,
            Estimate::of(&[1.0, 2.0, 3.0])
        );
        assert_eq!(
            r.clients["us"].throughput_rps,
            Estimate::of(&[10.0, 20.0, 30.0])
        );
        assert_eq!(r.clients["us"].p99_ms.mean, 200.0);
        assert_eq!(r.clients["eu"].availability.ci95, 0.0);
        // One client: nothing more than the summary's figures, and no `clients` in the JSON.
        let one = RunFigures {
            clients: Vec::new(),
            ..run(1.0, 1.0)
        };
        let r = Replications::summarise(vec![1], &[one]);
        assert!(r.clients.is_empty());
        assert!(!serde_json::to_string(&r).unwrap().contains("clients"));
    }
}
