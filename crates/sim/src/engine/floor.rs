//! A measuring stick for the engine's speed, not part of it (BENCHMARKS.md, "M/M/4: the
//! floor"): the benchmark's M/M/4 model simulated by a loop written for that model alone,
//! with the engine's own parts and nothing else. Per customer it does only the work whose
//! result the report shows: two exponential draws, the arrival and the service end through
//! the event heap, a FIFO backlog, three latency histograms with their sums (whole run,
//! window, node) and the busy, queued and inside time integrals. No routing, call stack,
//! failures, request records or dispatch by kind.
//!
//! So the time per customer here is about as fast as any engine built from these parts can
//! go; the engine's own time above it is the price of being general. The same loop without
//! its statistics (no histograms, sums or integrals: the "skeleton", which no report could be
//! made from) shows how much of that time is the simulation itself: drawing, scheduling and
//! taking events, and the backlog. Run by hand:
//! `cargo test --release -p scaleplay-sim --lib floor -- --ignored --nocapture`. Only compiled
//! for tests.

use std::collections::VecDeque;
use std::time::Instant;

use crate::engine::events::{Event, EventQueue};
use crate::engine::histogram::Histogram;
use crate::engine::state::Level;
use crate::rng::Rng;
use crate::time::{Duration, SimTime};

/// What the loop measured.
struct Floor {
    customers: u64,
    mean_response_s: f64,
}

/// M/M/`servers` with arrivals at `rate` per second and mean service `mean_ms`, for
/// `duration_s` of virtual time; keeping the statistics a report needs when `STATS` (the run's
/// mean response is kept either way, to check the answer).
fn mmc_floor<const STATS: bool>(
    duration_s: f64,
    rate: f64,
    mean_ms: f64,
    servers: u32,
    seed: u64,
) -> Floor {
    let mut rng = Rng::new(seed);
    let mut events = EventQueue::default();
    let end = SimTime::from_secs(duration_s);
    let mut run: Histogram<u64, 3> = Histogram::new();
    let mut window: Histogram<u32, 2> = Histogram::new();
    let mut node: Histogram<u32, 2> = Histogram::new();
    let (mut run_sum, mut window_sum, mut node_sum) = (0u128, 0u128, 0u128);
    let (mut busy, mut queued, mut inside) = (Level::new(0), Level::new(0), Level::new(0));
    let mut working = 0;
    // Arrival times of the customers in the system, by slot; freed slots are reused.
    let mut arrived: Vec<SimTime> = Vec::new();
    let mut free: Vec<u32> = Vec::new();
    let mut backlog: VecDeque<u32> = VecDeque::new();
    let mut customers = 0u64;
    let mean_gap_s = 1.0 / rate;
    let first = SimTime::ZERO + Duration::from_secs(rng.exp(mean_gap_s));
    events.push(first, Event::Arrival { client: 0 });
    while let Some((now, event)) = events.take_due(end) {
        match event {
            Event::Arrival { client } => {
                let next = now + Duration::from_secs(rng.exp(mean_gap_s)).max(Duration(1));
                if next <= end {
                    events.push_inline(next, Event::Arrival { client });
                }
                let slot = match free.pop() {
                    Some(slot) => {
                        arrived[slot as usize] = now;
                        slot
                    }
                    None => {
                        arrived.push(now);
                        arrived.len() as u32 - 1
                    }
                };
                if STATS {
                    inside.up(now);
                }
                if working < servers {
                    working += 1;
                    if STATS {
                        busy.up(now);
                    }
                    let done = now + Duration::from_millis(rng.exp(mean_ms));
                    events.push_inline(done, Event::ServiceDone { req: slot });
                } else {
                    if STATS {
                        queued.up(now);
                    }
                    backlog.push_back(slot);
                }
            }
            Event::ServiceDone { req: slot } => {
                let latency = now.since(arrived[slot as usize]).0;
                free.push(slot);
                if STATS {
                    inside.down(now);
                    for (h, sum) in [(&mut window, &mut window_sum), (&mut node, &mut node_sum)] {
                        h.record(latency);
                        *sum += latency as u128;
                    }
                    run.record(latency);
                    busy.down(now);
                }
                run_sum += latency as u128;
                customers += 1;
                working -= 1;
                if let Some(next) = backlog.pop_front() {
                    if STATS {
                        queued.down(now);
                        busy.up(now);
                    }
                    working += 1;
                    let done = now + Duration::from_millis(rng.exp(mean_ms));
                    events.push_inline(done, Event::ServiceDone { req: next });
                }
            }
            _ => unreachable!("only arrivals and service ends are scheduled"),
        }
        events.settle();
    }
    // Read what a report would, so that none of the upkeep above is optimised away.
    let areas = busy.area(end) ^ queued.area(end) ^ inside.area(end);
    let marks = window_sum ^ node_sum ^ u128::from(window.max() ^ node.max() ^ run.max());
    std::hint::black_box((areas, marks));
    Floor {
        customers,
        mean_response_s: run_sum as f64 / customers.max(1) as f64 / 1e6,
    }
}

/// Erlang C mean response time of M/M/4 with λ = 3.2/s and μ = 1/s (as in bench/run.sh).
const ERLANG_C_MEAN_S: f64 = 1.745_541;

#[test]
#[ignore = "a measurement, run by hand in release mode (see the module docs)"]
fn floor_against_the_engine_on_mm4() {
    let text = include_str!("../../../../bench/mm4.json");
    let scenario: serde_json::Value = serde_json::from_str(text).expect("bench/mm4.json");
    let duration_s = scenario["duration_s"].as_f64().expect("duration_s");

    // Untimed, once: whichever loop ran first was up to 40% slower in some runs (a cold CPU
    // and caches), which made the floor's figure swing between runs of the script.
    std::hint::black_box(mmc_floor::<false>(duration_s, 3.2, 1000.0, 4, 2).customers);

    let started = Instant::now();
    let floor = mmc_floor::<true>(duration_s, 3.2, 1000.0, 4, 1);
    let floor_s = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let skeleton = mmc_floor::<false>(duration_s, 3.2, 1000.0, 4, 1);
    let skeleton_s = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let report = crate::run_json(text, None).expect("bench/mm4.json runs");
    let engine_s = started.elapsed().as_secs_f64();
    let report: serde_json::Value = serde_json::from_str(&report).expect("report JSON");
    let engine_customers = report["summary"]["succeeded"].as_u64().expect("succeeded");

    let ns = |s: f64, n: u64| s * 1e9 / n as f64;
    println!(
        "floor:  {} customers in {floor_s:.3} s = {:.1} ns per customer",
        floor.customers,
        ns(floor_s, floor.customers)
    );
    println!(
        "skeleton: {} customers in {skeleton_s:.3} s = {:.1} ns per customer (the floor without \
         its statistics)",
        skeleton.customers,
        ns(skeleton_s, skeleton.customers)
    );
    println!(
        "engine: {engine_customers} customers in {engine_s:.3} s = {:.1} ns per customer \
         ({:.2}x the floor)",
        ns(engine_s, engine_customers),
        ns(engine_s, engine_customers) / ns(floor_s, floor.customers)
    );
    // The loop is a real simulation: its answer must be the analytic one.
    for run in [&floor, &skeleton] {
        assert!(run.customers > 990_000, "{} customers", run.customers);
        let error = run.mean_response_s / ERLANG_C_MEAN_S - 1.0;
        assert!(
            error.abs() < 0.02,
            "mean response off Erlang C by {error:+.4}"
        );
    }
    // Same seed, same draws: the statistics change nothing simulated.
    assert_eq!(floor.customers, skeleton.customers);
    assert_eq!(floor.mean_response_s, skeleton.mean_response_s);
}
