//! # scaleplay-sim
//!
//! The simulation engine of Scaleplay, a system-design playground: a scenario of clients, load
//! balancers, servers, caches, databases, queues and data centers is validated into a
//! [`Model`], simulated request by request in virtual time, and summarised in a [`Report`] of
//! throughput, latency and availability. No web dependencies: the same crate runs in the
//! browser (wasm32) and in the `scaleplay` CLI, and gives the identical report for the same
//! scenario and seed on both.
//!
//! ## A tour
//!
//! Load a scenario (the format of PRODUCT.md §7), look at its capacity, run it, read the report:
//!
//! ```
//! use scaleplay_sim::{load, Simulation, SimTime};
//!
//! let model = load(r#"{
//!   "version": 1, "name": "one box", "seed": 7, "duration_s": 60, "warmup_s": 10,
//!   "nodes": [
//!     {"id": "users", "kind": "client", "params": {"rps": 50, "timeout_ms": 2000}},
//!     {"id": "box", "kind": "server",
//!      "params": {"workers": 8, "service_ms": {"dist": "exp", "mean": 12}}}
//!   ],
//!   "edges": [{"from": "users", "to": "box", "latency_ms": 15}]
//! }"#).expect("a valid scenario");
//!
//! // Capacity analysis needs no simulation: 8 workers / 12 ms = 666 req/s.
//! let cap = scaleplay_sim::capacity::analyze(&model);
//! assert_eq!(cap.bottleneck.as_deref(), Some("box"));
//! assert!((cap.max_rps.unwrap() - 8.0 / 0.012).abs() < 1.0);
//!
//! // Run in slices (as the app does between frames), reading the report mid-run.
//! let mut sim = Simulation::new(model, 7);
//! sim.run_until(SimTime::from_secs(30.0));
//! assert!(sim.report().series.len() >= 29);
//! sim.run_until(sim.end());
//! let report = sim.report();
//! assert!(report.summary.availability > 0.99);
//! // At 50 req/s the box is 50 × 12 ms / 8 workers = 7.5% busy.
//! let box_util = report.nodes["box"].utilization;
//! assert!((box_util - 0.075).abs() < 0.02, "{box_util}");
//! // Round trip = 2 × 15 ms of network + ~12 ms of work.
//! assert!((report.summary.latency_ms.mean - 42.0).abs() < 3.0);
//! ```
//!
//! Faults can be scheduled in the file (`"faults"`), drawn at random (`mtbf_s`/`mttr_s` on any
//! node), or injected while running with [`Simulation::inject`].
//!
//! ## Modules
//! - [`scenario`]: the file format; [`params`]: typed params and defaults; [`validate`](mod@validate): every
//!   problem at once, with [`json_keys`] for keys written twice; [`model`]: the validated
//!   graph and routing roles; [`plan`]: static routing.
//! - [`engine`]: the discrete-event simulation; [`report`]: what a run yields;
//!   [`capacity`]: bottleneck analysis, with [`hit_ratio`] for the caches on the way;
//!   [`replicate`]: confidence intervals; [`presets`].

#![warn(missing_docs)]

pub mod capacity;
pub mod engine;
pub mod error;
pub mod hit_ratio;
pub mod ignored;
pub mod json_keys;
pub mod model;
pub mod params;
pub mod plan;
pub mod presets;
pub mod reference;
pub mod replicate;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod suggest;
pub mod time;
pub mod validate;

pub use engine::Simulation;
pub use error::{LoadError, Problem};
pub use model::Model;
pub use report::Report;
pub use scenario::Scenario;
pub use time::{Duration, SimTime};
pub use validate::{load, validate};

/// Loads a scenario, runs it to the end with `seed` (or the scenario's own), and returns the
/// report as pretty JSON. The one-call entry point of the benchmark and the wasm probe.
pub fn run_json(scenario_json: &str, seed: Option<u64>) -> Result<String, String> {
    let model = load(scenario_json).map_err(|e| e.to_string())?;
    let seed = seed.unwrap_or(model.scenario.seed);
    Ok(Simulation::new(model, seed).run().to_json())
}
