//! Limits that keep a run within the machine: an overload that would hold requests without
//! end stops growing at `MAX_LIVE_REQUESTS`, refusing the excess as rejected.

use scaleplay_sim::engine::MAX_LIVE_REQUESTS;
use scaleplay_sim::{load, Simulation};

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
    assert!(m.in_flight as usize <= MAX_LIVE_REQUESTS, "{}", m.in_flight);
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
    assert_eq!(m.failed.rejected, r.run.refused_at_limit);
    let answered = m.succeeded + m.failed.timeout + m.failed.rejected + m.failed.down;
    assert_eq!(m.offered, answered + m.in_flight, "conservation holds");
    // The server still works at its capacity meanwhile.
    assert!(r.nodes["web"].utilization > 0.99);
}
