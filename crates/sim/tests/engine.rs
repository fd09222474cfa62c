//! The engine's integration tests, one binary with a module per area: agreement with queueing
//! theory, properties that hold for every valid scenario (conservation, determinism, Little's
//! law, loading never panics), the lesson of each preset, validation messages, and running in
//! slices with faults injected mid-run, topologies drawn the obvious way working end to end, and
//! the per-window node series agreeing with the totals they break down, health checks routing on
//! what they last saw.

#[path = "engine/theory.rs"]
mod theory;

#[path = "engine/properties.rs"]
mod properties;

#[path = "engine/presets.rs"]
mod presets;

#[path = "engine/validation.rs"]
mod validation;

#[path = "engine/live.rs"]
mod live;

#[path = "engine/topologies.rs"]
mod topologies;

#[path = "engine/series.rs"]
mod series;

#[path = "engine/autoscale.rs"]
mod autoscale;

#[path = "engine/limits.rs"]
mod limits;

#[path = "engine/arrivals.rs"]
mod arrivals;

#[path = "engine/health_checks.rs"]
mod health_checks;

#[path = "engine/faults.rs"]
mod faults;

#[path = "engine/queues.rs"]
mod queues;

#[path = "engine/caches.rs"]
mod caches;
