//! The capacity analysis against runs, for what reaches a cache and its keys' spread: it must
//! predict the load each store carries within a few percent, as a run measures it, however
//! the traffic gets there (two tiers, several populations, a worker's writes) and wherever
//! a hash ring puts the keys.

use scaleplay_sim::{load, Simulation};

/// Predicted and measured utilization of `node` in `text`.
fn predicted_and_measured(text: &str, node: &str) -> (f64, f64) {
    let model = load(text).expect("a valid scenario");
    let predicted = scaleplay_sim::capacity::analyze(&model).utilization[node];
    let measured = Simulation::new(model, 1).run().nodes[node].utilization;
    (predicted, measured)
}

fn assert_close(text: &str, node: &str, within: f64) {
    let (predicted, measured) = predicted_and_measured(text, node);
    assert!(
        (predicted / measured - 1.0).abs() < within,
        "{node}: predicted {predicted}, measured {measured}"
    );
}

/// A worker's write invalidates the key in the cache it is connected to, as a server's does:
/// half the traffic is async jobs writing the users' rows. The analysis counted only the
/// clients' own writes, so it expected 99% hits where a run has 50%, and the database a third
/// less busy than it is.
#[test]
fn a_workers_writes_invalidate_the_keys_the_cache_was_expected_to_hold() {
    let text = r#"{"version": 1, "duration_s": 100, "warmup_s": 20,
        "nodes": [
          {"id": "u", "kind": "client",
           "params": {"rps": 1000, "mix": {"read": 0.5, "async": 0.5}, "users": 1000, "zipf_s": 0}},
          {"id": "web", "kind": "server", "params": {"workers": 1000}},
          {"id": "cache", "kind": "cache", "params": {"capacity_keys": 100000, "ttl_s": null}},
          {"id": "q", "kind": "queue"},
          {"id": "wp", "kind": "worker_pool",
           "params": {"workers": 100, "service_ms": {"dist": "const", "mean": 5}}},
          {"id": "db", "kind": "sql_primary", "params": {"workers": 100,
           "read_ms": {"dist": "const", "mean": 10}, "write_ms": {"dist": "const", "mean": 10}}}],
        "edges": [{"from": "u", "to": "web"}, {"from": "web", "to": "cache"},
                  {"from": "web", "to": "db"}, {"from": "web", "to": "q"}, {"from": "q", "to": "wp"},
                  {"from": "wp", "to": "db"}, {"from": "wp", "to": "cache"}]}"#;
    assert_close(text, "db", 0.03);
}

/// Two populations read one cache: 1,000 users and a million, each at 500 reads a second.
/// Their user ids are the same keys, so they compete for its 2,000 keys: 36% hits, where
/// each population's own estimate said 50%.
#[test]
fn populations_sharing_a_cache_compete_for_its_keys() {
    let text = r#"{"version": 1, "duration_s": 200, "warmup_s": 50,
        "nodes": [
          {"id": "a", "kind": "client", "params": {"rps": 500, "mix": {"read": 1.0}, "users": 1000, "zipf_s": 0}},
          {"id": "b", "kind": "client", "params": {"rps": 500, "mix": {"read": 1.0}, "users": 1000000, "zipf_s": 0}},
          {"id": "web", "kind": "server", "params": {"workers": 10000}},
          {"id": "cache", "kind": "cache", "params": {"capacity_keys": 2000, "ttl_s": null}},
          {"id": "db", "kind": "sql_primary", "params": {"workers": 100, "read_ms": {"dist": "const", "mean": 10}}}],
        "edges": [{"from": "a", "to": "web"}, {"from": "b", "to": "web"}, {"from": "web", "to": "cache"},
                  {"from": "web", "to": "db"}]}"#;
    assert_close(text, "db", 0.03);
}

/// One client, two server tiers behind a balancer, one cache with a TTL between them: the
/// cache sees both tiers' reads, so it finds a key again twice as often as either tier's
/// half suggests. (Each tier's half was used, and the database was expected 47% busier.)
#[test]
fn a_cache_shared_by_two_tiers_hits_as_for_their_total_reads() {
    let text = r#"{"version": 1, "duration_s": 200, "warmup_s": 50,
        "nodes": [
          {"id": "u", "kind": "client", "params": {"rps": 500, "mix": {"read": 1.0}, "users": 10000, "zipf_s": 0.8}},
          {"id": "lb", "kind": "load_balancer"},
          {"id": "a", "kind": "server", "params": {"workers": 1000}},
          {"id": "b", "kind": "server", "params": {"workers": 1000}},
          {"id": "cache", "kind": "cache", "params": {"capacity_keys": 100000, "ttl_s": 60}},
          {"id": "db", "kind": "sql_primary", "params": {"workers": 100, "read_ms": {"dist": "const", "mean": 10}}}],
        "edges": [{"from": "u", "to": "lb"}, {"from": "lb", "to": "a"}, {"from": "lb", "to": "b"},
                  {"from": "a", "to": "cache"}, {"from": "b", "to": "cache"},
                  {"from": "a", "to": "db"}, {"from": "b", "to": "db"}]}"#;
    assert_close(text, "db", 0.03);
}

/// A consistent-hash ring of 64 points a shard does not split the keys evenly: over four
/// shards one gets 13% more than the mean. The analysis gave every shard a quarter, and a
/// saturation rate 13% too high.
#[test]
fn consistent_hashing_loads_each_shard_by_its_arcs_of_the_ring() {
    let text = r#"{"version": 1, "duration_s": 100, "warmup_s": 10,
        "nodes": [
          {"id": "u", "kind": "client", "params": {"rps": 2000, "mix": {"read": 1.0}, "users": 100000, "zipf_s": 0}},
          {"id": "web", "kind": "server", "params": {"workers": 10000}},
          {"id": "router", "kind": "shard_router", "params": {"strategy": "consistent_hash"}},
          {"id": "s0", "kind": "nosql", "params": {"partitions": 1, "workers": 10, "read_ms": {"dist": "exp", "mean": 10}}},
          {"id": "s1", "kind": "nosql", "params": {"partitions": 1, "workers": 10, "read_ms": {"dist": "exp", "mean": 10}}},
          {"id": "s2", "kind": "nosql", "params": {"partitions": 1, "workers": 10, "read_ms": {"dist": "exp", "mean": 10}}},
          {"id": "s3", "kind": "nosql", "params": {"partitions": 1, "workers": 10, "read_ms": {"dist": "exp", "mean": 10}}}],
        "edges": [{"from": "u", "to": "web"}, {"from": "web", "to": "router"},
                  {"from": "router", "to": "s0"}, {"from": "router", "to": "s1"},
                  {"from": "router", "to": "s2"}, {"from": "router", "to": "s3"}]}"#;
    let model = load(text).unwrap();
    let cap = scaleplay_sim::capacity::analyze(&model);
    let r = Simulation::new(model, 1).run();
    let shards = ["s0", "s1", "s2", "s3"];
    for s in shards {
        let (predicted, measured) = (cap.utilization[s], r.nodes[s].utilization);
        assert!(
            (predicted / measured - 1.0).abs() < 0.03,
            "{s}: predicted {predicted}, measured {measured}"
        );
    }
    let spread = shards.map(|s| cap.utilization[s]);
    let (low, high) = (
        spread.iter().copied().fold(f64::INFINITY, f64::min),
        spread.iter().copied().fold(0.0, f64::max),
    );
    assert!(high / low > 1.2, "uneven arcs: {spread:?}");
}

/// A hot key expires and every read of it while its fetch is on the way misses too, and
/// fetches again: 20 keys read 100 times a second each, a 1 s TTL and a 50 ms read. About
/// 5 misses a key a second where the analysis counted 1, so it expected the database a fifth
/// as busy as it is.
#[test]
fn reads_while_a_hot_keys_fetch_is_on_its_way_miss_as_well() {
    let text = r#"{"version": 1, "duration_s": 120, "warmup_s": 20,
        "nodes": [
          {"id": "u", "kind": "client", "params": {"rps": 2000, "mix": {"read": 1.0}, "users": 20, "zipf_s": 0}},
          {"id": "web", "kind": "server", "params": {"workers": 10000}},
          {"id": "cache", "kind": "cache", "params": {"ttl_s": 1}},
          {"id": "db", "kind": "sql_primary", "params": {"workers": 100, "read_ms": {"dist": "const", "mean": 50}}}],
        "edges": [{"from": "u", "to": "web"}, {"from": "web", "to": "cache"}, {"from": "web", "to": "db"}]}"#;
    assert_close(text, "db", 0.05);
}

/// `"ttl_s": null` keeps entries for good; an omitted `ttl_s` is 300 s. (The null was dropped
/// as "the default" with the other params' nulls, so "never expires" expired at 300 s.)
#[test]
fn a_null_ttl_never_expires_and_an_omitted_one_is_300_s() {
    let with_ttl = |ttl: &str| {
        let text = format!(
            r#"{{"version": 1, "duration_s": 400, "warmup_s": 0,
            "nodes": [
              {{"id": "u", "kind": "client", "params": {{"rps": 200, "users": 50, "zipf_s": 0}}}},
              {{"id": "web", "kind": "server", "params": {{"workers": 100}}}},
              {{"id": "cache", "kind": "cache", "params": {{"capacity_keys": 1000 {ttl}}}}},
              {{"id": "db", "kind": "sql_primary"}}],
            "edges": [{{"from": "u", "to": "web"}}, {{"from": "web", "to": "cache"}},
                      {{"from": "web", "to": "db"}}]}}"#
        );
        let report = Simulation::new(load(&text).expect("a valid scenario"), 1).run();
        let series = report.nodes["cache"]
            .hit_ratio_series
            .clone()
            .expect("a cache's series");
        // Every key is read within the first seconds, so from then on only an expiry misses.
        series[10..]
            .iter()
            .map(|h| h.unwrap_or(1.0))
            .fold(1.0, f64::min)
    };
    assert_eq!(
        with_ttl(r#", "ttl_s": null"#),
        1.0,
        "null: no key ever expires"
    );
    assert!(
        with_ttl("") < 0.9,
        "omitted: every key expires at about 300 s"
    );
}
