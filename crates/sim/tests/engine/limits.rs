//! Limits that keep a run within the machine: an overload that would hold requests without
//! end stops growing at `MAX_LIVE_REQUESTS`, refusing the excess as rejected; the report lists
//! a bounded number of faults; drawings and failure rates that would take hours are refused
//! before running, saying why.

use scaleplay_sim::engine::{MAX_FAULT_RECORDS, MAX_LIVE_REQUESTS};
use scaleplay_sim::{load, LoadError, Simulation};

fn problems(text: &str) -> String {
    match load(text) {
        Err(LoadError::Invalid(problems)) => problems
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        Err(e) => panic!("refused for another reason: {e}"),
        Ok(_) => panic!("accepted"),
    }
}

#[test]
fn the_report_lists_the_first_faults_and_counts_the_rest() {
    // 100 instances failing about once a second for 1,000 s: some 100,000 failures and as
    // many repairs, far more than a report lists.
    let text = r#"{"version": 1, "duration_s": 1000, "warmup_s": 0,
        "nodes": [{"id": "users", "kind": "client", "params": {"rps": 10}},
                  {"id": "web", "kind": "server",
                   "params": {"instances": 100, "mtbf_s": 0.5, "mttr_s": 0.5}}],
        "edges": [{"from": "users", "to": "web"}]}"#;
    let r = Simulation::new(load(text).unwrap(), 3).run();
    assert_eq!(r.faults.len(), MAX_FAULT_RECORDS);
    let total = r.faults.len() as u64 + r.run.faults_unlisted;
    assert!((180_000..220_000).contains(&total), "{total} faults");
    // The listed ones are the first.
    assert!(r.faults.last().unwrap().t_s < 100.0);
}

#[test]
fn failures_too_frequent_to_simulate_are_refused() {
    let msg = problems(
        r#"{"version": 1, "duration_s": 20,
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 10}},
                      {"id": "web", "kind": "server",
                       "params": {"instances": 10, "mtbf_s": 1e-6, "mttr_s": 1e-6}}],
            "edges": [{"from": "users", "to": "web"}]}"#,
    );
    assert!(
        msg.contains("web") && msg.contains("mtbf_s") && msg.contains("give a longer mtbf_s"),
        "{msg}"
    );
}

#[test]
fn a_drawing_with_too_many_paths_to_plan_is_refused_at_once() {
    // 30 layers of two balancers, each calling both of the next layer: 2^30 paths. The plan
    // walked every one (validation ran for hours); it refuses the drawing instead.
    let mut nodes = vec![r#"{"id": "users", "kind": "client"}"#.to_string()];
    let mut edges = vec![
        r#"{"from": "users", "to": "lb0a"}"#.to_string(),
        r#"{"from": "users", "to": "lb0b"}"#.to_string(),
    ];
    for layer in 0..30 {
        for side in ["a", "b"] {
            nodes.push(format!(
                r#"{{"id": "lb{layer}{side}", "kind": "load_balancer"}}"#
            ));
            let next = if layer == 29 {
                vec!["web".to_string()]
            } else {
                vec![format!("lb{}a", layer + 1), format!("lb{}b", layer + 1)]
            };
            for to in next {
                edges.push(format!(r#"{{"from": "lb{layer}{side}", "to": "{to}"}}"#));
            }
        }
    }
    nodes.push(r#"{"id": "web", "kind": "server"}"#.to_string());
    let text = format!(
        r#"{{"version": 1, "duration_s": 10, "nodes": [{}], "edges": [{}]}}"#,
        nodes.join(","),
        edges.join(",")
    );
    let msg = problems(&text);
    assert!(msg.contains("different paths"), "{msg}");

    // The limit is on all the clients' paths together: 100 clients, each with 625 ways
    // through four layers of five balancers (1,406 paths as the limit counts them, every
    // node reached along the way), are 140,600 (900 such clients took 42 s to validate,
    // each under a limit of its own).
    let layers = 4;
    let mut nodes: Vec<String> = (0..100)
        .map(|c| format!(r#"{{"id": "c{c}", "kind": "client"}}"#))
        .collect();
    let mut edges: Vec<String> = Vec::new();
    for c in 0..100 {
        for b in 0..5 {
            edges.push(format!(r#"{{"from": "c{c}", "to": "lb0_{b}"}}"#));
        }
    }
    for layer in 0..layers {
        for b in 0..5 {
            nodes.push(format!(
                r#"{{"id": "lb{layer}_{b}", "kind": "load_balancer"}}"#
            ));
            for next in 0..5 {
                let to = if layer + 1 == layers {
                    "web".to_string()
                } else {
                    format!("lb{}_{next}", layer + 1)
                };
                edges.push(format!(r#"{{"from": "lb{layer}_{b}", "to": "{to}"}}"#));
                if layer + 1 == layers {
                    break;
                }
            }
        }
    }
    nodes.push(r#"{"id": "web", "kind": "server"}"#.to_string());
    let many = |clients: usize| {
        let keep = |s: &String| {
            !s.contains("\"c") || (0..clients).any(|c| s.contains(&format!("\"c{c}\"")))
        };
        format!(
            r#"{{"version": 1, "duration_s": 10, "nodes": [{}], "edges": [{}]}}"#,
            nodes
                .iter()
                .filter(|s| keep(s))
                .cloned()
                .collect::<Vec<_>>()
                .join(","),
            edges
                .iter()
                .filter(|s| keep(s))
                .cloned()
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    let msg = problems(&many(100));
    assert!(msg.contains("different paths in all"), "{msg}");
    // A handful of them is fine.
    assert!(scaleplay_sim::load(&many(4)).is_ok());
}

#[test]
fn an_endless_pile_up_stops_at_the_live_request_limit() {
    // 100,000 rps into 800 rps of capacity, an unbounded backlog and no timeout: about
    // 1.5 million requests would wait at the end without the limit.
    let text = r#"{"version": 1, "duration_s": 15, "warmup_s": 0,
        "nodes": [{"id": "users", "kind": "client", "params": {"rps": 100000, "users": 1000}},
                  {"id": "web", "kind": "server"}],
        "edges": [{"from": "users", "to": "web"}]}"#;
    let r = Simulation::new(load(text).unwrap(), 3).run();
    let m = &r.summary;
    // The limit holds the backlog; past it, only requests on the wire (to the backlog, or
    // their refusal on its way back: about 100 at 100,000 rps and 0.5 ms each way).
    assert!(
        m.in_flight as usize <= MAX_LIVE_REQUESTS + 1_000,
        "{}",
        m.in_flight
    );
    assert!(
        m.in_flight as usize > MAX_LIVE_REQUESTS - 1_000,
        "{}",
        m.in_flight
    );
    assert!(
        r.run.refused_at_limit > 300_000,
        "{}",
        r.run.refused_at_limit
    );
    // Refused where they would have waited, as by a full backlog: the server's rejections.
    assert_eq!(r.nodes["web"].rejected, r.run.refused_at_limit);
    let on_the_wire = r.run.refused_at_limit - m.failed.rejected;
    assert!(on_the_wire <= 1_000, "{on_the_wire}");
    let answered = m.succeeded + m.failed.timeout + m.failed.rejected + m.failed.down;
    assert_eq!(m.offered, answered + m.in_flight, "conservation holds");
    // The server still works at its capacity meanwhile.
    assert!(r.nodes["web"].utilization > 0.99);
}

/// A limit on the file's size names which one was passed and by how much; the limit on
/// requests says it counts every retry a client may make, and what to lower.
#[test]
fn size_limits_name_what_passed_them() {
    let faults: Vec<String> = (0..10_001)
        .map(|k| format!(r#"{{"node": "box", "at_s": {k}, "action": "fail"}}"#))
        .collect();
    let text = format!(
        r#"{{"version": 1, "duration_s": 60,
            "nodes": [{{"id": "users", "kind": "client"}}, {{"id": "box", "kind": "server"}}],
            "edges": [{{"from": "users", "to": "box"}}], "faults": [{}]}}"#,
        faults.join(",")
    );
    let said = problems(&text);
    assert!(
        said.contains("10001 faults is more than the limit of 10000"),
        "{said}"
    );
    assert!(!said.contains("edges"), "{said}");

    // 1,000,000 req/s for 60 s with 10 retries: 60 M requests, 660 M tries.
    let text = r#"{"version": 1, "duration_s": 60,
        "nodes": [{"id": "users", "kind": "client", "params": {"rps": 1000000, "retries": 10,
                    "timeout_ms": 1000}},
                  {"id": "box", "kind": "server"}],
        "edges": [{"from": "users", "to": "box"}]}"#;
    let said = problems(text);
    assert!(
        said.contains("requests (counting every retry a client may make)")
            && said.contains("shorten duration_s, lower rps or retries"),
        "{said}"
    );
}

/// `servers` servers (with params `params`) behind one client of `rps`, for `duration_s`:
/// each calling the next (`chained`), or all called by the client.
fn servers(servers: usize, params: &str, rps: f64, duration_s: f64, chained: bool) -> String {
    let nodes: Vec<String> = std::iter::once(format!(
        r#"{{"id": "users", "kind": "client", "params": {{"rps": {rps}}}}}"#
    ))
    .chain(
        (0..servers).map(|k| format!(r#"{{"id": "s{k}", "kind": "server", "params": {params}}}"#)),
    )
    .collect();
    let edges: Vec<String> = (0..servers)
        .map(|k| {
            let from = if k == 0 || !chained {
                "users".to_string()
            } else {
                format!("s{}", k - 1)
            };
            format!(r#"{{"from": "{from}", "to": "s{k}"}}"#)
        })
        .collect();
    format!(
        r#"{{"version": 1, "duration_s": {duration_s}, "window_s": 10,
            "nodes": [{}], "edges": [{}]}}"#,
        nodes.join(","),
        edges.join(",")
    )
}

/// A chain of `n` servers behind one client of `rps` for `duration_s`.
fn chain(n: usize, rps: f64, duration_s: f64) -> String {
    servers(n, "{}", rps, duration_s, true)
}

#[test]
fn a_run_whose_requests_would_make_too_many_calls_is_refused() {
    use scaleplay_sim::validate::{expected_calls, MAX_EXPECTED_CALLS};
    // Each request passes every server of the chain: the calls are the requests (and their
    // client's arrival) times one more than the servers.
    let small = load(&chain(10, 100.0, 60.0)).unwrap();
    assert!((expected_calls(&small) - 6_000.0 * 11.0).abs() < 1e-6);
    // 400 M requests are within the limit on requests, but through 999 servers they make
    // 400 G calls: hours of simulation.
    let msg = problems(&chain(999, 100_000.0, 4_000.0));
    assert!(
        msg.contains("about 400000000000 calls")
            && msg.contains("400000000 requests, each calling about 1000 nodes")
            && msg.contains("shorten duration_s"),
        "{msg}"
    );
    // Just under the limit is accepted.
    let requests = MAX_EXPECTED_CALLS / 1_000.0 * 0.99;
    assert!(load(&chain(999, requests / 4_000.0, 4_000.0)).is_ok());
}

#[test]
fn random_failures_are_limited_over_all_nodes_together() {
    // 300 servers, each failing and repaired about 40,000 times: each under the limit, 12 M in
    // all over it.
    let text = |duration_s| {
        servers(
            300,
            r#"{"mtbf_s": 0.5, "mttr_s": 0.5}"#,
            1.0,
            duration_s,
            true,
        )
    };
    let msg = problems(&text(20_000.0));
    assert!(
        msg.contains("about 12000000 failures and repairs in this run in all")
            && msg.contains("the most: s0 40000, s1 40000, s10 40000"),
        "{msg}"
    );
    assert!(load(&text(1_000.0)).is_ok());
}

#[test]
fn instances_are_limited_over_all_nodes_together() {
    // 11 tiers of 10,000 instances: each at the limit of a node, 110,000 in all. 1,000 such
    // tiers took 2.1 GB.
    let tiers = |n| servers(n, r#"{"instances": 10000}"#, 1.0, 10.0, false);
    let msg = problems(&tiers(11));
    assert!(
        msg.contains("110000 instances in all")
            && msg.contains("the largest: s0 10000, s1 10000, s10 10000"),
        "{msg}"
    );
    assert!(load(&tiers(10)).is_ok());
}
