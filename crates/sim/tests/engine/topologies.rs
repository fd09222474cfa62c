//! Topologies drawn the obvious way work end to end, as the capacity plan assumes they do:
//! what validation accepts, the engine runs without turning a path into failures.

use scaleplay_sim::{load, Report, Simulation};

fn run(text: &str) -> Report {
    Simulation::new(load(text).expect("a valid scenario"), 7).run()
}

/// A cache-aside cache in front of an app tier (web → cache, web → app → db): the web server
/// has no database of its own, so a miss reads on through the app tier and fills the cache.
/// (Every miss used to fail as "down", while validation and the capacity plan accepted it.)
#[test]
fn a_cache_in_front_of_an_app_tier_reads_through_it_on_a_miss() {
    let scenario = |faults: &str| {
        format!(
            r#"{{"version": 1, "duration_s": 60, "warmup_s": 5,
                "nodes": [
                  {{"id": "users", "kind": "client", "params": {{"rps": 100, "users": 1000, "zipf_s": 1.0}}}},
                  {{"id": "web", "kind": "server", "params": {{"workers": 32}}}},
                  {{"id": "cache", "kind": "cache", "params": {{"capacity_keys": 100}}}},
                  {{"id": "app", "kind": "server", "params": {{"workers": 32}}}},
                  {{"id": "db", "kind": "sql_primary"}}],
                "edges": [{{"from": "users", "to": "web"}}, {{"from": "web", "to": "cache"}},
                          {{"from": "web", "to": "app"}}, {{"from": "app", "to": "db"}}],
                "faults": [{faults}]}}"#
        )
    };
    let r = run(&scenario(""));
    assert!(r.summary.availability > 0.999, "{}", r.summary.availability);
    let hit = r.nodes["cache"]
        .hit_ratio
        .expect("a cache reports its hit ratio");
    assert!(
        hit > 0.3,
        "the cache fills from the app tier's answers: hit ratio {hit}"
    );
    // The app tier sees exactly the misses.
    let (web, app) = (r.nodes["web"].throughput_rps, r.nodes["app"].throughput_rps);
    let expected = web * (1.0 - hit);
    assert!(
        (app / expected - 1.0).abs() < 0.05,
        "app {app} rps, misses {expected} rps"
    );

    // With the cache down the whole time, every read goes to the app tier and still succeeds.
    let r = run(&scenario(
        r#"{"node": "cache", "at_s": 0, "action": "fail"}"#,
    ));
    assert!(r.summary.availability > 0.999, "{}", r.summary.availability);
    let (web, app) = (r.nodes["web"].throughput_rps, r.nodes["app"].throughput_rps);
    assert!(
        (app / web - 1.0).abs() < 0.02,
        "app {app} rps, web {web} rps"
    );
}
