//! Queues and the worker pools draining them: a pool fed by two queues serves both alike,
//! pools of unequal size or speed share a queue by what they can do, instances started at once take
//! waiting work at once, a redelivered message counts in the queue's peak, and an unbounded
//! queue under overload stops growing at `MAX_QUEUED_MESSAGES`.

use scaleplay_sim::engine::MAX_QUEUED_MESSAGES;
use scaleplay_sim::{load, Report, Simulation};

fn run(text: &str, seed: u64) -> Report {
    Simulation::new(load(text).expect("a valid scenario"), seed).run()
}

/// Producers at `rps` of async requests: a client through a fast server into `queue`.
fn producer(client: &str, web: &str, queue: &str, rps: f64) -> (String, String) {
    let nodes = format!(
        r#"{{"id": "{client}", "kind": "client", "params": {{"rps": {rps}, "mix": {{"async": 1}}}}}},
           {{"id": "{web}", "kind": "server", "params": {{"workers": 1000,
             "service_ms": {{"dist": "const", "mean": 0.001}}}}}}"#
    );
    let edges =
        format!(r#"{{"from": "{client}", "to": "{web}"}}, {{"from": "{web}", "to": "{queue}"}}"#);
    (nodes, edges)
}

/// Two queues of 100 messages at most, each fed at 30/s, drained by one pool that does 40 jobs
/// a second: each queue's producers get about 20/s through (67%). Taken in the order of the
/// edges, the first queue had every worker it wanted: 100% of its producers' messages went
/// through, 34% of the other's.
#[test]
fn a_pool_fed_by_two_queues_serves_both_alike() {
    let (na, ea) = producer("ua", "wa", "qa", 30.0);
    let (nb, eb) = producer("ub", "wb", "qb", 30.0);
    let text = format!(
        r#"{{"version": 1, "duration_s": 1000, "warmup_s": 100, "nodes": [{na}, {nb},
            {{"id": "qa", "kind": "queue", "params": {{"max_depth": 100}}}},
            {{"id": "qb", "kind": "queue", "params": {{"max_depth": 100}}}},
            {{"id": "pool", "kind": "worker_pool", "params": {{"workers": 4,
              "service_ms": {{"dist": "exp", "mean": 100}}}}}}],
          "edges": [{ea}, {eb}, {{"from": "qa", "to": "pool"}}, {{"from": "qb", "to": "pool"}}]}}"#
    );
    let r = run(&text, 1);
    let (a, b) = (&r.clients["ua"], &r.clients["ub"]);
    for c in [a, b] {
        assert!(
            (c.availability - 2.0 / 3.0).abs() < 0.03,
            "each queue's producers get about 2/3 through: {:.3} and {:.3}",
            a.availability,
            b.availability
        );
    }
}

/// One queue drained by a pool of 1 worker and one of 10 (100 ms jobs): 110 jobs a second
/// in all. The capacity analysis split the messages by instance counts, half each, and said
/// the small pool saturates at 20/s, where runs drain 50/s with both pools half idle.
#[test]
fn pools_share_a_queue_by_what_they_can_do() {
    let (np, ep) = producer("users", "web", "jobs", 50.0);
    let text = format!(
        r#"{{"version": 1, "duration_s": 600, "warmup_s": 50, "nodes": [{np},
            {{"id": "jobs", "kind": "queue"}},
            {{"id": "small", "kind": "worker_pool", "params": {{"workers": 1,
              "service_ms": {{"dist": "exp", "mean": 100}}}}}},
            {{"id": "big", "kind": "worker_pool", "params": {{"workers": 10,
              "service_ms": {{"dist": "exp", "mean": 100}}}}}}],
          "edges": [{ep}, {{"from": "jobs", "to": "small"}}, {{"from": "jobs", "to": "big"}}]}}"#
    );
    let cap = scaleplay_sim::capacity::analyze(&load(&text).unwrap());
    let max = cap.max_rps.expect("a bottleneck");
    assert!(
        (max - 110.0).abs() < 1.0,
        "saturates at {max} req/s, not 110"
    );
    let r = run(&text, 1);
    assert_eq!(r.summary.availability, 1.0);
    assert!(
        r.nodes["jobs"].depth.unwrap() < 1.0,
        "{:?}",
        r.nodes["jobs"]
    );
    // Below saturation too the pools take messages by their workers, so both are about as
    // busy as the analysis says (50/110 each: measured 0.41 and 0.46). With one turn per
    // instance, the small pool took messages whenever free: 0.82 busy, the big one 0.42.
    for pool in ["small", "big"] {
        let (predicted, measured) = (cap.utilization[pool], r.nodes[pool].utilization);
        assert!(
            (measured / predicted - 1.0).abs() < 0.25,
            "{pool}: predicted {predicted:.3}, measured {measured:.3}"
        );
    }
}

/// Free workers pull, so a fast pool takes more of a queue's messages than a slow one of as
/// many workers: 4 workers of 50 ms and 4 of 500 ms drain 80 + 8 = 88 jobs a second. The
/// analysis split the messages by workers, half each, and said the slow pool saturates at
/// 16/s. Runs at 85% of the predicted rate keep up; at 115% the queue grows.
#[test]
fn pools_of_unequal_speed_share_a_queue_by_what_they_can_do() {
    let scenario = |rps: f64| {
        let (np, ep) = producer("users", "web", "jobs", rps);
        format!(
            r#"{{"version": 1, "duration_s": 300, "warmup_s": 30, "nodes": [{np},
                {{"id": "jobs", "kind": "queue"}},
                {{"id": "fast", "kind": "worker_pool", "params": {{"workers": 4,
                  "service_ms": {{"dist": "exp", "mean": 50}}}}}},
                {{"id": "slow", "kind": "worker_pool", "params": {{"workers": 4,
                  "service_ms": {{"dist": "exp", "mean": 500}}}}}}],
              "edges": [{ep}, {{"from": "jobs", "to": "fast"}}, {{"from": "jobs", "to": "slow"}}]}}"#
        )
    };
    let cap = scaleplay_sim::capacity::analyze(&load(&scenario(60.0)).unwrap());
    let max = cap.max_rps.expect("a bottleneck");
    assert!(
        (max - 88.0).abs() < 0.5,
        "saturates at {max} jobs/s, not 88"
    );
    let depth = |rps: f64| run(&scenario(rps), 1).nodes["jobs"].depth.expect("a queue");
    let (under, over) = (depth(0.85 * max), depth(1.15 * max));
    assert!(under < 10.0, "at 85%: {under} messages waiting on average");
    assert!(over > 100.0, "at 115%: {over} messages waiting on average");
}

/// A pool autoscaled on depth, with no boot time, takes the waiting messages as soon as it
/// grows: 8 jobs of 20 s arrive at once and 5 instances start within a second. Its new
/// instances used to sit idle until a worker finished or a message came (20% busy for 19 s).
#[test]
fn instances_started_at_once_take_waiting_work_at_once() {
    let text = r#"{"version": 1, "duration_s": 60, "warmup_s": 0, "nodes": [
        {"id": "users", "kind": "client", "params": {"rps": 0.01, "profile": "spike",
          "spike_at_s": 0, "spike_s": 1, "spike_x": 1000, "mix": {"async": 1}}},
        {"id": "web", "kind": "server", "params": {"workers": 100}},
        {"id": "jobs", "kind": "queue", "params": {"visibility_timeout_s": 600}},
        {"id": "pool", "kind": "worker_pool", "params": {"workers": 1,
          "service_ms": {"dist": "const", "mean": 20000},
          "autoscale": {"min": 1, "max": 5, "target_depth": 1, "cooldown_s": 1, "boot_s": 0}}}],
      "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "jobs"},
                {"from": "jobs", "to": "pool"}]}"#;
    let r = run(text, 3);
    let pool = &r.nodes["pool"].utilization_series;
    assert!(
        pool[2..15].iter().all(|u| *u > 0.95),
        "every started instance works: {pool:?}"
    );
}

/// A message that goes back to the queue (its processing failed, the visibility timeout
/// passed) counts in the queue's peak depth as the depth series does: it said 1 while the
/// series reached hundreds.
#[test]
fn a_redelivered_message_counts_in_the_queues_peak() {
    let (np, ep) = producer("users", "web", "jobs", 20.0);
    let text = format!(
        r#"{{"version": 1, "duration_s": 200, "warmup_s": 0, "nodes": [{np},
            {{"id": "jobs", "kind": "queue", "params": {{"visibility_timeout_s": 30,
              "max_attempts": 10}}}},
            {{"id": "pool", "kind": "worker_pool", "params": {{"instances": 2, "workers": 4,
              "service_ms": {{"dist": "const", "mean": 100}}}}}},
            {{"id": "db", "kind": "sql_primary", "params": {{"workers": 16}}}}],
          "edges": [{ep}, {{"from": "jobs", "to": "pool"}}, {{"from": "pool", "to": "db"}}],
          "faults": [{{"node": "db", "at_s": 50, "action": "fail"}},
                     {{"node": "db", "at_s": 90, "action": "recover"}},
                     {{"node": "jobs", "at_s": 80, "action": "fail"}}]}}"#
    );
    let r = run(&text, 1);
    let q = &r.nodes["jobs"];
    let series_peak = q
        .depth_series
        .as_ref()
        .unwrap()
        .iter()
        .copied()
        .fold(0.0, f64::max);
    assert!(series_peak > 100.0, "{series_peak}");
    assert!(
        q.max_depth.unwrap() as f64 >= series_peak,
        "max_depth {:?} below the series' {series_peak}",
        q.max_depth
    );
}

/// 100,000 messages a second into a queue without `max_depth` whose pool does 100: about 1.5
/// million would wait at the end. Messages are no live requests (their producers were answered
/// when they were queued), so nothing stopped them: a run took 6 GB and failed. They stop at
/// the limit, refused as a full queue's.
#[test]
fn an_unbounded_queue_stops_at_the_queued_message_limit() {
    let (np, ep) = producer("users", "web", "jobs", 100_000.0);
    let text = format!(
        r#"{{"version": 1, "duration_s": 15, "warmup_s": 0, "nodes": [{np},
            {{"id": "jobs", "kind": "queue"}},
            {{"id": "pool", "kind": "worker_pool", "params": {{"workers": 10,
              "service_ms": {{"dist": "const", "mean": 100}}}}}}],
          "edges": [{ep}, {{"from": "jobs", "to": "pool"}}]}}"#
    );
    let r = run(&text, 3);
    let q = &r.nodes["jobs"];
    let peak = q.max_depth.unwrap() as usize;
    assert!(
        peak <= MAX_QUEUED_MESSAGES && peak > MAX_QUEUED_MESSAGES - 1_000,
        "{peak}"
    );
    assert!(
        r.run.refused_at_limit > 400_000,
        "{}",
        r.run.refused_at_limit
    );
    // Every refusal is a rejection to its producer (the last ones still on their way back).
    let rejected = r.summary.failed.rejected;
    assert!(
        rejected <= r.run.refused_at_limit && r.run.refused_at_limit - rejected < 1_000,
        "{rejected} rejected, {} refused",
        r.run.refused_at_limit
    );
}

/// A job whose acknowledgement reaches the queue at its very deadline has timed out, every
/// time: 999.5 ms of work plus the 0.25 ms hop each way ends on the 1 s visibility timeout.
/// With one timeout event per queue, which of the two events of that instant came first
/// varied, and about one job in ten was acknowledged.
#[test]
fn an_acknowledgement_at_the_deadline_comes_too_late() {
    let (np, ep) = producer("users", "web", "q", 200.0);
    let text = format!(
        r#"{{"version": 1, "duration_s": 60, "warmup_s": 0, "nodes": [{np},
            {{"id": "q", "kind": "queue", "params": {{"visibility_timeout_s": 1,
              "max_attempts": 1}}}},
            {{"id": "pool", "kind": "worker_pool", "params": {{"workers": 1000,
              "service_ms": {{"dist": "const", "mean": 999.5}}}}}}],
          "edges": [{ep}, {{"from": "q", "to": "pool"}}]}}"#
    );
    let r = run(&text, 1);
    // Every job that ends before the run does is a dead letter: about 200 a second for 59 s
    // (11,800 ± 110); the varying order let about 1,100 of them through.
    let q = &r.nodes["q"];
    assert!(q.dead_letters.unwrap() > 11_400, "{q:?}");
}
