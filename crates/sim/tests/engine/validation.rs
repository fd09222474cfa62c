//! Loading reports every problem at once, each naming the node or field and what to do.

use scaleplay_sim::{load, LoadError, Problem};

fn problems(text: &str) -> Vec<Problem> {
    match load(text) {
        Ok(_) => panic!("expected problems in {text}"),
        Err(e) => e.problems(),
    }
}

fn has(ps: &[Problem], node: Option<&str>, needle: &str) -> bool {
    ps.iter()
        .any(|p| p.node.as_deref() == node && p.message.contains(needle))
}

const CLIENT: &str = r#"{"id": "users", "kind": "client", "params": {"rps": 10}}"#;
const SERVER: &str = r#"{"id": "web", "kind": "server"}"#;

fn scenario(nodes: &[&str], edges: &str) -> String {
    format!(
        r#"{{"version": 1, "duration_s": 10, "nodes": [{}], "edges": [{edges}]}}"#,
        nodes.join(",")
    )
}

#[test]
fn a_minimal_scenario_loads_with_defaults() {
    let m = load(&scenario(
        &[CLIENT, SERVER],
        r#"{"from": "users", "to": "web"}"#,
    ))
    .unwrap();
    assert_eq!(m.nodes.len(), 2);
    assert_eq!(m.nodes[1].dc, "dc1");
    assert_eq!(
        m.edges[0].latency.0, 500,
        "same-DC default latency is 0.5 ms"
    );
}

#[test]
fn many_problems_are_reported_together() {
    let text = r#"{"version": 1, "duration_s": 10, "nodes": [
        {"id": "users", "kind": "client", "params": {"rps": -5, "mix": {"read": 0.5, "write": 0.2}}},
        {"id": "web", "kind": "server", "params": {"workers": 0, "colour": "blue", "service_ms": {"dist": "exp", "mean": 0}}},
        {"id": "web", "kind": "server"},
        {"id": "x", "kind": "mainframe"}
      ],
      "edges": [{"from": "users", "to": "web"}, {"from": "users", "to": "ghost"}]}"#;
    let ps = problems(text);
    assert!(has(&ps, Some("users"), "rps must be"), "{ps:#?}");
    assert!(has(&ps, Some("users"), "sum to 1"), "{ps:#?}");
    assert!(has(&ps, Some("web"), "workers must be"), "{ps:#?}");
    assert!(has(&ps, Some("web"), "unknown param \"colour\""), "{ps:#?}");
    assert!(has(&ps, Some("web"), "service_ms"), "{ps:#?}");
    assert!(has(&ps, Some("web"), "duplicate id"), "{ps:#?}");
    assert!(has(&ps, Some("x"), "unknown kind \"mainframe\""), "{ps:#?}");
    assert!(has(&ps, None, "\"ghost\", which is not a node"), "{ps:#?}");
    let text = LoadError::Invalid(ps).to_string();
    assert!(text.contains("node \"web\": "), "{text}");
}

#[test]
fn version_and_settings_are_checked() {
    let ps = problems(r#"{"version": 2, "nodes": []}"#);
    assert!(has(&ps, None, "unsupported version 2"));
    let ps = problems(r#"{"nodes": []}"#);
    assert!(has(&ps, None, "missing \"version\""));
    let ps =
        problems(r#"{"version": 1, "duration_s": 0, "warmup_s": -1, "slo": {"availability": 2}}"#);
    assert!(has(&ps, None, "duration_s must be"));
    assert!(has(&ps, None, "warmup_s must be"));
    assert!(has(&ps, None, "slo.availability"));
    // Durations are compared as the clock keeps them, in whole microseconds.
    let ps = problems(r#"{"version": 1, "duration_s": 1e-9, "nodes": []}"#);
    assert!(
        has(&ps, None, "duration_s must be at least a microsecond"),
        "{ps:#?}"
    );
    let ps = problems(r#"{"version": 1, "duration_s": 10.0000001, "warmup_s": 10, "nodes": []}"#);
    assert!(
        has(&ps, None, "at least a microsecond shorter than duration_s"),
        "{ps:#?}"
    );
    let ps = problems(r#"{"version": 1, "nodes": [], "colour": 1}"#);
    assert!(has(&ps, None, "unknown key \"colour\""));
}

#[test]
fn wrong_types_name_their_field() {
    let ps = problems(&scenario(
        &[
            CLIENT,
            r#"{"id": "web", "kind": "server", "params": {"workers": "many", "blocking": 3}}"#,
        ],
        r#"{"from": "users", "to": "web"}"#,
    ));
    assert!(has(&ps, Some("web"), "workers:"), "{ps:#?}");
    assert!(has(&ps, Some("web"), "blocking:"), "{ps:#?}");
    let ps = problems(r#"{"version": 1, "nodes": [{"id": 3, "kind": "client"}]}"#);
    assert!(ps.iter().any(|p| p.message.contains("nodes[0]")), "{ps:#?}");
    let ps = problems("not json");
    assert!(ps[0].message.contains("not a valid scenario file"));
}

#[test]
fn empty_or_cut_short_text_says_so_in_plain_words() {
    for empty in ["", "  \n\t"] {
        let ps = problems(empty);
        assert_eq!(ps.len(), 1, "{ps:#?}");
        assert!(ps[0].message.contains("it is empty"), "{ps:#?}");
        assert!(!ps[0].message.contains("EOF"), "{ps:#?}");
    }
    let ps = problems("{\"version\": 1,\n  \"nodes\": [");
    assert!(
        ps[0].message.contains("ends at line 2 column 12") && ps[0].message.contains("cut short"),
        "{ps:#?}"
    );
    // Other syntax errors keep serde's words, which name the place and what was expected.
    let ps = problems("{\"version\": 1,}");
    assert!(
        ps[0].message.contains("trailing comma at line 1"),
        "{ps:#?}"
    );
}

#[test]
fn graph_problems_name_the_node() {
    // A client with nowhere to send requests.
    let ps = problems(&scenario(&[CLIENT, SERVER], ""));
    assert!(has(&ps, Some("users"), "no path to a server"), "{ps:#?}");
    // A cycle of calls.
    let ps = problems(&scenario(
        &[CLIENT, SERVER, r#"{"id": "app", "kind": "server"}"#],
        r#"{"from": "users", "to": "web"}, {"from": "web", "to": "app"}, {"from": "app", "to": "web"}"#,
    ));
    // Spelled out, so that a loop through many nodes is found without searching.
    assert!(
        has(
            &ps,
            Some("web"),
            "cycle of calls, web → app → web: remove one edge"
        ),
        "{ps:#?}"
    );
    // Writes with nowhere to go: only a read replica behind the server.
    let ps = problems(&scenario(
        &[
            r#"{"id": "users", "kind": "client", "params": {"mix": {"read": 0.5, "write": 0.5}}}"#,
            SERVER,
            r#"{"id": "ro", "kind": "sql_replica"}"#,
        ],
        r#"{"from": "users", "to": "web"}, {"from": "web", "to": "ro"}"#,
    ));
    assert!(
        has(&ps, Some("web"), "writes have nowhere to go"),
        "{ps:#?}"
    );
    // A connection that makes no sense, with the reason.
    let ps = problems(&scenario(
        &[CLIENT, SERVER],
        r#"{"from": "web", "to": "users"}"#,
    ));
    assert!(has(&ps, Some("web"), "cannot call a client"), "{ps:#?}");
    // Drawn backwards, it says which way round it works.
    assert!(
        has(
            &ps,
            Some("web"),
            "the other way round it can: draw the call from the client to the server"
        ),
        "{ps:#?}"
    );
    // A balancer with nothing behind it, a queue nobody drains.
    let ps = problems(&scenario(
        &[CLIENT, r#"{"id": "lb", "kind": "load_balancer"}"#],
        r#"{"from": "users", "to": "lb"}"#,
    ));
    assert!(has(&ps, Some("lb"), "no servers behind it"), "{ps:#?}");
    let ps = problems(&scenario(
        &[
            r#"{"id": "users", "kind": "client", "params": {"mix": {"async": 1}}}"#,
            SERVER,
            r#"{"id": "q", "kind": "queue"}"#,
        ],
        r#"{"from": "users", "to": "web"}, {"from": "web", "to": "q"}"#,
    ));
    assert!(has(&ps, Some("q"), "no worker_pool"), "{ps:#?}");
    // A worker pool has no session to look up: an edge to a session store would do nothing.
    let ps = problems(&scenario(
        &[
            r#"{"id": "users", "kind": "client", "params": {"mix": {"async": 1}}}"#,
            SERVER,
            r#"{"id": "q", "kind": "queue"}"#,
            r#"{"id": "w", "kind": "worker_pool"}"#,
            r#"{"id": "s", "kind": "session_store"}"#,
        ],
        r#"{"from": "users", "to": "web"}, {"from": "web", "to": "q"}, {"from": "q", "to": "w"},
           {"from": "w", "to": "s"}"#,
    ));
    assert!(
        has(&ps, Some("w"), "a worker_pool cannot call a session_store"),
        "{ps:#?}"
    );
    // Replication drawn the wrong way round says which way it goes.
    let ps = problems(&scenario(
        &[
            CLIENT,
            SERVER,
            r#"{"id": "db", "kind": "sql_primary"}"#,
            r#"{"id": "r", "kind": "sql_replica"}"#,
        ],
        r#"{"from": "users", "to": "web"}, {"from": "web", "to": "db"}, {"from": "r", "to": "db"}"#,
    ));
    assert!(
        has(
            &ps,
            Some("r"),
            "replication is drawn from the sql_primary to its sql_replica"
        ),
        "{ps:#?}"
    );
}

/// A client with several entries uses the nearest, and falls back to the others when it is
/// down: every entry must lead to a server, not only the one used first. (These two loaded
/// and then panicked mid-run, when the fallback was a dns or a shard router with nothing
/// behind it.)
#[test]
fn every_fallback_entry_is_checked_not_only_the_nearest() {
    let fallback = |third: &str, edges: &str| {
        format!(
            r#"{{"version": 1, "duration_s": 10,
                "nodes": [{CLIENT}, {SERVER}, {third}],
                "edges": [{{"from": "users", "to": "web", "latency_ms": 1}}, {edges}],
                "faults": [{{"node": "web", "at_s": 5, "action": "fail"}}]}}"#
        )
    };
    let ps = problems(&fallback(
        r#"{"id": "dns", "kind": "dns"}"#,
        r#"{"from": "users", "to": "dns", "latency_ms": 20}"#,
    ));
    assert!(has(&ps, Some("dns"), "no path to a server"), "{ps:#?}");
    let ps = problems(&format!(
        r#"{{"version": 1, "duration_s": 10,
            "nodes": [{CLIENT}, {SERVER}, {{"id": "web2", "kind": "server"}},
                      {{"id": "router", "kind": "shard_router"}}],
            "edges": [{{"from": "users", "to": "web", "latency_ms": 1}},
                      {{"from": "users", "to": "web2", "latency_ms": 20}},
                      {{"from": "web2", "to": "router"}}]}}"#
    ));
    assert!(has(&ps, Some("router"), "has no shards"), "{ps:#?}");
    // With a server behind the fallback dns it loads, and the run survives the failover.
    let text = fallback(
        r#"{"id": "dns", "kind": "dns"}, {"id": "web2", "kind": "server"}"#,
        r#"{"from": "users", "to": "dns", "latency_ms": 20}, {"from": "dns", "to": "web2"}"#,
    );
    let report = scaleplay_sim::run_json(&text, None).expect("a valid scenario runs");
    assert!(report.contains("\"succeeded\""));
}

#[test]
fn faults_and_limits_are_checked() {
    let ps = problems(&format!(
        r#"{{"version": 1, "duration_s": 10, "nodes": [{CLIENT}, {SERVER}], "edges": [{{"from": "users", "to": "web"}}],
            "faults": [{{"node": "nope", "at_s": 1, "action": "fail"}}, {{"node": "web", "at_s": 99, "action": "fail"}},
                       {{"dc": "mars", "at_s": 1, "action": "fail"}}]}}"#
    ));
    assert!(has(&ps, None, "no node \"nope\""), "{ps:#?}");
    // A fault after the end never happens: a note (`ignored`), not a problem.
    assert!(
        !ps.iter().any(|p| p.message.contains("after the end")),
        "{ps:#?}"
    );
    assert!(has(&ps, None, "data center \"mars\""), "{ps:#?}");
    // A run too large to simulate is refused up front, not left to hang.
    let ps = problems(
        &scenario(
            &[
                r#"{"id": "users", "kind": "client", "params": {"rps": 1000000}}"#,
                SERVER,
            ],
            r#"{"from": "users", "to": "web"}"#,
        )
        .replace("\"duration_s\": 10", "\"duration_s\": 100000"),
    );
    assert!(has(&ps, None, "more than the limit"), "{ps:#?}");
    // A short spike counts for its own seconds only: 1,000 req/s for two hours with ten
    // seconds at 100× is about 8.2 million requests, well within the limit. (Counted at the
    // spike's rate for the whole run, it was 720 million, and refused.)
    let spike = scenario(
        &[
            r#"{"id": "users", "kind": "client",
                "params": {"rps": 1000, "profile": "spike", "spike_x": 100, "spike_s": 10}}"#,
            SERVER,
        ],
        r#"{"from": "users", "to": "web"}"#,
    )
    .replace("\"duration_s\": 10", "\"duration_s\": 7200");
    if let Err(e) = load(&spike) {
        panic!("{:#?}", e.problems());
    }
    let big = "x".repeat(scaleplay_sim::validate::MAX_SCENARIO_BYTES + 1);
    assert!(matches!(load(&big), Err(LoadError::TooLarge { .. })));
}

/// A whole number written with a decimal point is that number for `version` and `seed`
/// too, as it is for params: some tools write every number so. (`"version": 1.0` was an
/// "unsupported version", which hid every other check.)
#[test]
fn version_and_seed_may_be_written_with_a_decimal_point() {
    let text = scenario(
        &[r#"{"id": "users", "kind": "client"}"#, SERVER],
        r#"{"from": "users", "to": "web"}"#,
    )
    .replace("\"version\": 1,", "\"version\": 1.0, \"seed\": 7.0,");
    let s = load(&text).expect("version 1.0 and seed 7.0 are accepted");
    assert_eq!(s.scenario.seed, 7);
    let half = text.replace("\"seed\": 7.0", "\"seed\": 7.5");
    assert!(
        has(&problems(&half), None, "seed"),
        "{:#?}",
        problems(&half)
    );
}

#[test]
fn a_scenario_round_trips_through_json() {
    let p = scaleplay_sim::presets::find("10").unwrap();
    let s = scaleplay_sim::validate::parse(p.json).unwrap();
    let again = scaleplay_sim::validate::parse(&s.to_json()).unwrap();
    assert_eq!(s, again);
}

/// A CDN that caches `capacity_keys` starts cold, so it needs an origin for its first misses
/// (it used to load, then answer every request "down"); one with a fixed hit ratio of 1 does not.
#[test]
fn a_caching_cdn_needs_an_origin() {
    let cdn = |params: &str| {
        format!(
            r#"{{"version": 1, "duration_s": 10,
                "nodes": [{{"id": "users", "kind": "client", "params": {{"mix": {{"static": 1}}}}}},
                          {{"id": "cdn", "kind": "cdn", "params": {params}}}],
                "edges": [{{"from": "users", "to": "cdn"}}]}}"#
        )
    };
    let ps = problems(&cdn(r#"{"capacity_keys": 1000}"#));
    assert!(has(&ps, Some("cdn"), "has no origin"), "{ps:#?}");
    assert!(load(&cdn(r#"{"hit_ratio": 1}"#)).is_ok());
}

/// The series hold one point per window, and each node's one per node and window: a file cannot
/// ask for more than memory and the report can hold (a thousand nodes over a million windows
/// would be 20 GB). The message names the `window_s` that fits, and that one loads.
#[test]
fn too_many_series_points_are_refused_naming_the_window_that_fits() {
    let servers: Vec<String> = (0..50)
        .map(|i| format!(r#"{{"id": "web{i}", "kind": "server"}}"#))
        .collect();
    let mut nodes: Vec<&str> = vec![CLIENT];
    nodes.extend(servers.iter().map(String::as_str));
    let edges = (0..50)
        .map(|i| format!(r#"{{"from": "users", "to": "web{i}"}}"#))
        .collect::<Vec<_>>()
        .join(",");
    let sized = |duration: &str, window: &str| {
        scenario(&nodes, &edges).replace(
            "\"duration_s\": 10",
            &format!("\"duration_s\": {duration}, \"window_s\": {window}"),
        )
    };
    // 51 nodes × 40,000 windows = 2.04 million node points.
    let ps = problems(&sized("40000", "1"));
    assert!(
        has(&ps, None, "51 nodes × 40000 windows")
            && has(&ps, None, "raise window_s to at least 2.1 s"),
        "{ps:#?}"
    );
    assert_eq!(ps[0].field.as_deref(), Some("window_s"), "{ps:#?}");
    load(&sized("40000", "2.1")).expect("the advised window_s is enough");
    problems(&sized("40000", "2"));
    // The run's own series: two hundred thousand windows whatever the nodes.
    let ps = problems(&sized("20000", "0.1"));
    assert!(
        has(&ps, None, "200000 series points")
            && has(&ps, None, "raise window_s to at least 0.2 s"),
        "{ps:#?}"
    );
}

/// A file with problems of every stage (a misshapen fault, params that do not parse, values out
/// of range) lists them all in one pass: fixing one must not uncover the next.
#[test]
fn a_bad_fault_and_bad_params_and_bad_values_show_at_once() {
    let ps = problems(
        r#"{"version": 1, "duration_s": 60,
            "nodes": [
              {"id": "u", "kind": "client", "params": {"rps": 10, "profile": "sine",
                "mix": {"read": 0.5, "writes": 0.5}, "timeout_ms": -1}},
              {"id": "s", "kind": "server", "params": {"service_ms": {"dist": "normal", "mean": 5},
                "workers": 2.5, "queue": -1, "autoscale": {"min": 2, "max": 1}}},
              {"id": "c", "kind": "cache", "params": {"eviction": "arc", "ttl_s": 0}}],
            "edges": [{"from": "u", "to": "s"}, {"from": "s", "to": "c"}],
            "faults": [{"node": "s", "at_s": 5, "action": "explode"},
                       {"node": "s", "at_s": 90, "action": "fail"},
                       {"node": "c", "at_s": 95, "action": "fail"}]}"#,
    );
    let expected = [
        (None, "unknown name \"explode\""),
        (Some("u"), "unknown name \"sine\""),
        (Some("u"), "unknown field `writes`"),
        (Some("u"), "timeout_ms must be a number > 0"),
        (
            Some("s"),
            "workers must be a whole number from 1 to 100000, got 2.5",
        ),
        (
            Some("s"),
            "queue must be a whole number from 0 to 4294967295, got -1",
        ),
        (Some("s"), "unknown dist \"normal\""),
        (Some("s"), "autoscale.min (2) must be <= autoscale.max (1)"),
        (Some("c"), "unknown name \"arc\""),
        (Some("c"), "ttl_s must be a number > 0"),
    ];
    for (node, needle) in expected {
        assert!(has(&ps, node, needle), "no {node:?} {needle:?} in {ps:#?}");
    }
    // Faults after the end are not among the problems (they are notes of a valid scenario).
    assert!(!has(&ps, None, "faults[1] (\"s\")"), "{ps:#?}");
    assert!(!has(&ps, None, "faults[2] (\"c\")"), "{ps:#?}");
}

/// A service time longer than a day is a slip of units, refused as `timeout_ms` is: a mean of
/// 1e12 ms was taken, and its server "saturated at 0.0 req/s".
#[test]
fn a_service_time_longer_than_a_day_is_refused() {
    let ps = problems(
        r#"{"version": 1, "duration_s": 60,
            "nodes": [
              {"id": "u", "kind": "client", "params": {"rps": 10}},
              {"id": "a", "kind": "server", "params": {"service_ms": 1e12}},
              {"id": "b", "kind": "server", "params": {"service_ms": {"dist": "lognormal", "mean": 9e7}}},
              {"id": "c", "kind": "server", "params": {"service_ms": {"dist": "uniform", "min": 1, "max": 1e9}}},
              {"id": "d", "kind": "server", "params": {"service_ms": {"dist": "const", "mean": 86400000}}},
              {"id": "e", "kind": "server", "params": {"service_ms": {"dist": "const", "mean": 1e-9}}},
              {"id": "f", "kind": "server", "params": {"service_ms": {"dist": "uniform", "min": 0, "max": 0.0005}}},
              {"id": "g", "kind": "server", "params": {"service_ms": 0.001}}],
            "edges": [{"from": "u", "to": "a"}, {"from": "u", "to": "b"},
                      {"from": "u", "to": "c"}, {"from": "u", "to": "d"},
                      {"from": "u", "to": "e"}, {"from": "u", "to": "f"}, {"from": "u", "to": "g"}]}"#,
    );
    let rule = "must be a number from 0.001 (a microsecond, the clock's step) to 86400000 (a day, \
                in ms)";
    assert!(
        has(&ps, Some("a"), &format!("mean {rule}, got 1000000000000")),
        "{ps:#?}"
    );
    assert!(
        has(&ps, Some("b"), &format!("mean {rule}, got 90000000")),
        "{ps:#?}"
    );
    assert!(
        has(&ps, Some("c"), "uniform needs 0 <= min < max <= 86400000"),
        "{ps:#?}"
    );
    assert!(
        !ps.iter().any(|p| p.node.as_deref() == Some("d")),
        "a day is allowed: {ps:#?}"
    );
    // Nor shorter than the clock's step, which made a service take no time at all.
    assert!(
        has(&ps, Some("e"), &format!("mean {rule}, got 1e-9")),
        "{ps:#?}"
    );
    assert!(
        has(
            &ps,
            Some("f"),
            "and max >= 0.001 (a microsecond, the clock's step)"
        ),
        "{ps:#?}"
    );
    assert!(
        !ps.iter().any(|p| p.node.as_deref() == Some("g")),
        "a microsecond is allowed: {ps:#?}"
    );
}

#[test]
fn a_distribution_field_that_would_be_ignored_is_a_problem() {
    let ps = problems(
        r#"{"version": 1, "duration_s": 60,
            "nodes": [
              {"id": "u", "kind": "client", "params": {"rps": 10}},
              {"id": "a", "kind": "server", "params": {"service_ms": {"dist": "exp", "mean": 5, "cv": 2}}},
              {"id": "b", "kind": "server", "params": {"service_ms": {"dist": "const", "mean": 5, "max": 9}}},
              {"id": "c", "kind": "server", "params": {"service_ms": {"dist": "uniform", "mean": 5, "min": 1, "max": 9}}},
              {"id": "d", "kind": "server", "params": {"service_ms": {"dist": "lognormal", "mean": 5, "cv": 2}}},
              {"id": "e", "kind": "server", "params": {"service_ms": {"dist": "lognormal", "mean": 5, "cv": 1e300}}}],
            "edges": [{"from": "u", "to": "a"}, {"from": "u", "to": "b"},
                      {"from": "u", "to": "c"}, {"from": "u", "to": "d"}, {"from": "u", "to": "e"}]}"#,
    );
    // A spread so wide that no run reaches its mean.
    assert!(has(&ps, Some("e"), "cv must be at most 100"), "{ps:#?}");
    assert!(
        has(
            &ps,
            Some("a"),
            "\"cv\" applies only to lognormal (exp has a cv of 1)"
        ),
        "{ps:#?}"
    );
    assert!(
        has(&ps, Some("b"), "\"min\" and \"max\" apply only to uniform"),
        "{ps:#?}"
    );
    assert!(
        has(&ps, Some("c"), "uniform takes only \"min\" and \"max\""),
        "{ps:#?}"
    );
    assert_eq!(ps.len(), 4, "the lognormal of cv 2 is fine: {ps:#?}");
}

#[test]
fn a_misspelt_key_anywhere_is_named() {
    let ps = problems(
        r#"{"version": 1, "duration_s": 60, "slo": {"p99_ms": 100, "availabilty": 0.999},
            "nodes": [
              {"id": "u", "kind": "client", "params": {"rps": 10}},
              {"id": "a", "kind": "server", "param": {"workers": 2}},
              {"id": "b", "kind": "server", "params": {"service_ms": {"dist": "lognormal", "mean": 5, "CV": 2}}}],
            "edges": [{"from": "u", "to": "a", "latency": 5}, {"from": "u", "to": "b"}],
            "faults": [{"node": "a", "instances": 0, "at_s": 5, "action": "fail"}]}"#,
    );
    for needle in [
        "unknown field `availabilty`",
        "unknown field `param`",
        "unknown field `latency`",
        "unknown field `instances`",
    ] {
        assert!(
            ps.iter().any(|p| p.message.contains(needle)),
            "no {needle:?} in {ps:#?}"
        );
    }
    // A misspelt key inside a distribution is a problem of its node's params, named with the
    // node once the file's shape is right.
    let ps = problems(
        r#"{"version": 1, "duration_s": 60,
            "nodes": [
              {"id": "u", "kind": "client", "params": {"rps": 10}},
              {"id": "b", "kind": "server", "params": {"service_ms": {"dist": "lognormal", "mean": 5, "CV": 2}}}],
            "edges": [{"from": "u", "to": "b"}]}"#,
    );
    assert!(
        has(
            &ps,
            Some("b"),
            "service_ms: unknown field `CV`, expected one of `dist`, `mean`, `cv`"
        ),
        "{ps:#?}"
    );
}

/// Every misspelt field inside one param is named at once, with what is wrong with the fields
/// beside them: serde stops at the first unknown field (in key order: `maxx` before `mn`), so
/// `mn` was news only once `maxx` was fixed, and `min` of 0 after that.
#[test]
fn every_misspelt_field_inside_a_param_is_named_at_once() {
    let ps = problems(&scenario(
        &[
            r#"{"id": "users", "kind": "client",
                "params": {"rps": 10, "mix": {"reads": 0.5, "writes": 0.5}}}"#,
            r#"{"id": "web", "kind": "server",
                "params": {"autoscale": {"mn": 2, "maxx": 3, "min": 0},
                           "service_ms": {"dist": "exp", "mean": 5, "sd": 1}}}"#,
        ],
        r#"{"from": "users", "to": "web"}"#,
    ));
    let autoscale = "expected one of `min`, `max`, `target_utilization`, `target_depth`, \
                     `cooldown_s`, `boot_s`";
    let expected = [
        (
            "users",
            "mix",
            "mix: unknown field `reads`, expected one of `read`, `write`, `static`, `async`"
                .to_string(),
        ),
        ("users", "mix", "mix: unknown field `writes`".to_string()),
        (
            "web",
            "autoscale",
            format!("autoscale: unknown field `maxx`, {autoscale}"),
        ),
        (
            "web",
            "autoscale",
            format!("autoscale: unknown field `mn`, {autoscale}"),
        ),
        (
            "web",
            "autoscale.min",
            "autoscale.min must be a whole number from 1".to_string(),
        ),
        (
            "web",
            "service_ms",
            "service_ms: unknown field `sd`".to_string(),
        ),
    ];
    for (node, field, needle) in &expected {
        assert!(
            ps.iter().any(|p| p.node.as_deref() == Some(*node)
                && p.field.as_deref() == Some(*field)
                && p.message.starts_with(needle.as_str())),
            "no {node} {field} {needle:?} in {ps:#?}"
        );
    }
    assert_eq!(ps.len(), expected.len(), "{ps:#?}");
}

#[test]
fn a_replica_serving_reads_must_be_fed_by_the_primary_taking_the_writes() {
    let nodes = [
        CLIENT,
        SERVER,
        r#"{"id": "db", "kind": "sql_primary"}"#,
        r#"{"id": "r1", "kind": "sql_replica"}"#,
    ];
    let unfed = problems(&scenario(
        &nodes,
        r#"{"from": "users", "to": "web"}, {"from": "web", "to": "db"}, {"from": "web", "to": "r1"}"#,
    ));
    assert!(
        has(&unfed, Some("r1"), "draw an edge from db to r1"),
        "{unfed:?}"
    );
    load(&scenario(
        &nodes,
        r#"{"from": "users", "to": "web"}, {"from": "web", "to": "db"}, {"from": "web", "to": "r1"},
           {"from": "db", "to": "r1"}"#,
    ))
    .expect("fed by its primary");
}

#[test]
fn nodes_that_get_no_traffic_are_named_with_the_reason() {
    use scaleplay_sim::plan::{idle, Idle};
    let model = load(&scenario(
        &[
            CLIENT,
            SERVER,
            r#"{"id": "a", "kind": "server"}"#,
            r#"{"id": "b", "kind": "server"}"#,
            r#"{"id": "c", "kind": "server"}"#,
            r#"{"id": "spare", "kind": "server"}"#,
            r#"{"id": "db", "kind": "sql_primary"}"#,
            r#"{"id": "replica", "kind": "sql_replica", "dc": "far"}"#,
        ],
        // web uses its first server, a; b is passed over, and c is called by b only. The
        // replica in another data center takes no reads but replays the primary's writes.
        r#"{"from": "users", "to": "web"}, {"from": "web", "to": "a"}, {"from": "web", "to": "b"},
           {"from": "b", "to": "c"}, {"from": "a", "to": "db"}, {"from": "db", "to": "replica"}"#,
    ))
    .expect("valid, if wasteful");
    let named: Vec<(String, Idle)> = idle(&model)
        .into_iter()
        .map(|(n, why)| (model.node(n).id.clone(), why))
        .collect();
    let by = |id: &str| model.find(id).unwrap();
    assert_eq!(
        named,
        vec![
            ("b".to_string(), Idle::PassedOver { by: by("web") }),
            ("c".to_string(), Idle::BehindIdle { by: by("b") }),
            ("spare".to_string(), Idle::Uncalled),
        ]
    );
}

#[test]
fn an_entry_point_used_only_when_another_is_down_is_named_a_standby() {
    use scaleplay_sim::plan::{idle, Idle};
    // A client drawn to two servers sends everything to one and fails over to the other.
    let text = scenario(
        &[
            CLIENT,
            SERVER,
            r#"{"id": "backup", "kind": "server"}"#,
            r#"{"id": "db", "kind": "sql_primary"}"#,
        ],
        r#"{"from": "users", "to": "web"}, {"from": "users", "to": "backup"},
           {"from": "backup", "to": "db"}"#,
    );
    let model = load(&text).expect("valid");
    let by = |id: &str| model.find(id).unwrap();
    assert_eq!(
        idle(&model),
        vec![
            (
                by("backup"),
                Idle::Standby {
                    by: by("users"),
                    instead: by("web")
                }
            ),
            (by("db"), Idle::BehindIdle { by: by("backup") }),
        ]
    );
    // As the engine runs it: the standby serves nothing while web is up.
    let report = scaleplay_sim::Simulation::new(model, 1).run();
    assert!(
        report.nodes["web"].succeeded > 50,
        "{:?}",
        report.nodes["web"]
    );
    assert_eq!(report.nodes["backup"].succeeded, 0);

    // A GeoDNS with users in each data center uses both entry points: neither is a standby.
    let model = load(&scenario(
        &[
            r#"{"id": "eu", "kind": "client", "dc": "eu", "params": {"rps": 10}}"#,
            r#"{"id": "us", "kind": "client", "dc": "us", "params": {"rps": 10}}"#,
            r#"{"id": "dns", "kind": "dns", "params": {"geo": true}}"#,
            r#"{"id": "web-eu", "kind": "server", "dc": "eu"}"#,
            r#"{"id": "web-us", "kind": "server", "dc": "us"}"#,
        ],
        r#"{"from": "eu", "to": "dns"}, {"from": "us", "to": "dns"},
           {"from": "dns", "to": "web-eu"}, {"from": "dns", "to": "web-us"}"#,
    ))
    .expect("valid");
    assert_eq!(idle(&model), vec![]);
}

#[test]
fn a_whole_number_written_with_a_decimal_point_is_a_whole_number() {
    let model = load(&scenario(
        &[
            CLIENT,
            r#"{"id": "web", "kind": "server",
                "params": {"instances": 2.0, "workers": 8.0, "queue": 100.0,
                           "autoscale": {"min": 1.0, "max": 4.0}}}"#,
        ],
        r#"{"from": "users", "to": "web"}"#,
    ))
    .expect("8.0 workers are 8 workers");
    assert_eq!(model.workers(model.find("web").unwrap()), Some(8));
    let ps = problems(&scenario(
        &[
            CLIENT,
            r#"{"id": "web", "kind": "server", "params": {"workers": 8.5}}"#,
        ],
        r#"{"from": "users", "to": "web"}"#,
    ));
    assert!(
        has(
            &ps,
            Some("web"),
            "workers must be a whole number from 1 to 100000, got 8.5"
        ),
        "{ps:#?}"
    );
}

#[test]
fn a_bad_param_does_not_hide_the_wiring_problems_and_every_loop_is_named() {
    let ps = problems(&scenario(
        &[
            CLIENT,
            r#"{"id": "web", "kind": "server", "params": {"servce_ms": 3}}"#,
            r#"{"id": "a", "kind": "load_balancer"}"#,
            r#"{"id": "b", "kind": "load_balancer"}"#,
            r#"{"id": "c", "kind": "load_balancer"}"#,
            r#"{"id": "d", "kind": "load_balancer"}"#,
        ],
        r#"{"from": "users", "to": "web"}, {"from": "web", "to": "web"},
           {"from": "users", "to": "a"}, {"from": "a", "to": "b"}, {"from": "b", "to": "a"},
           {"from": "users", "to": "c"}, {"from": "c", "to": "d"}, {"from": "d", "to": "c"}"#,
    ));
    assert!(
        has(&ps, Some("web"), "unknown param \"servce_ms\""),
        "{ps:#?}"
    );
    assert!(
        has(&ps, Some("web"), "an edge from a node to itself"),
        "{ps:#?}"
    );
    let loops: Vec<&str> = ps
        .iter()
        .filter(|p| p.message.contains("cycle of calls"))
        .filter_map(|p| p.node.as_deref())
        .collect();
    assert_eq!(loops.len(), 2, "{ps:#?}");
    assert!(loops.iter().any(|n| ["a", "b"].contains(n)), "{loops:?}");
    assert!(loops.iter().any(|n| ["c", "d"].contains(n)), "{loops:?}");
}

#[test]
fn messages_say_in_words_what_the_file_should_hold() {
    // A byte-order mark some editors write is not an error.
    let text = format!(
        "\u{feff}{}",
        scenario(&[CLIENT, SERVER], r#"{"from": "users", "to": "web"}"#)
    );
    load(&text).expect("a file starting with a byte-order mark loads");
    let ps = problems(r#"{"version": "1", "nodes": [], "edges": []}"#);
    assert!(
        ps[0]
            .message
            .contains("version must be the number 1, not the text"),
        "{ps:#?}"
    );
    let ps = problems(&scenario(
        &[r#"{"id": "users", "kind": "client", "x": "10"}"#, SERVER],
        r#"{"from": "users", "to": "web"}"#,
    ));
    assert!(ps[0].message.contains("expected a number"), "{ps:#?}");
    let ps = problems(&scenario(
        &[
            r#"{"id": "users", "kind": "client", "params": {"mix": 0.5}}"#,
            SERVER,
        ],
        r#"{"from": "users", "to": "web"}"#,
    ));
    assert!(
        has(&ps, Some("users"), "mix: must be an object of shares"),
        "{ps:#?}"
    );
    for p in &ps {
        assert!(!p.message.contains("struct"), "{p}");
    }
}

#[test]
fn a_loop_or_a_broken_edge_does_not_hide_the_other_clients_dead_ends() {
    // Three clients: one runs into a loop, one lost its edge to a typo, and one (`shop`) calls
    // a balancer with nothing behind it: that dead end is named in the same run of validate,
    // and the first two clients are not blamed for dead ends they may not have.
    let ps = problems(&scenario(
        &[
            CLIENT,
            r#"{"id": "mobile", "kind": "client", "params": {"rps": 5}}"#,
            r#"{"id": "shop", "kind": "client", "params": {"rps": 5}}"#,
            r#"{"id": "a", "kind": "load_balancer"}"#,
            r#"{"id": "b", "kind": "load_balancer"}"#,
            r#"{"id": "lonely", "kind": "load_balancer"}"#,
            r#"{"id": "web", "kind": "server", "params": {"instances": 4, "mtbf_s": 1e-9, "mttr_s": 1e-9}}"#,
        ],
        r#"{"from": "users", "to": "a"}, {"from": "a", "to": "b"}, {"from": "b", "to": "a"},
           {"from": "mobile", "to": "wbe"}, {"from": "shop", "to": "lonely"}"#,
    ));
    assert!(has(&ps, None, "\"wbe\", which is not a node"), "{ps:#?}");
    assert!(
        ps.iter().any(|p| p.message.contains("cycle of calls")),
        "{ps:#?}"
    );
    let dead_end = |node: &str| {
        ps.iter().any(|p| {
            (p.node.as_deref() == Some(node) || p.message.contains(&format!("\"{node}\"")))
                && !p.message.contains("cycle")
                && !p.message.contains("not a node")
        })
    };
    assert!(dead_end("lonely"), "the balancer with no target: {ps:#?}");
    assert!(!dead_end("users"), "{ps:#?}");
    assert!(!dead_end("mobile"), "{ps:#?}");
    // Checks that need no path still run: the failures far too frequent to simulate.
    assert!(has(&ps, Some("web"), "mtbf_s 1e-9"), "{ps:#?}");
}

#[test]
fn messages_name_the_limit_and_show_numbers_short() {
    let ps = problems(&scenario(
        &[
            r#"{"id": "users", "kind": "client", "params": {"rps": 1e300, "users": 100000000000000000000}}"#,
            r#"{"id": "web", "kind": "server", "params": {"workers": 5000000000}, "dc": ""}"#,
        ],
        r#"{"from": "users", "to": "web", "latency_ms": 1e-300}"#,
    ));
    assert!(
        has(
            &ps,
            Some("web"),
            "workers must be a whole number from 1 to 100000, got 5000000000"
        ),
        "{ps:#?}"
    );
    assert!(
        has(
            &ps,
            Some("users"),
            "users must be a whole number from 1 to 100000000, got 1e20"
        ),
        "{ps:#?}"
    );
    assert!(has(&ps, Some("users"), "got 1e300"), "{ps:#?}");
    // A bad dc is reported under dc, not name.
    assert!(
        ps.iter().any(|p| p.node.as_deref() == Some("web")
            && p.field.as_deref() == Some("dc")
            && p.message
                .contains("dc must be 1 to 64 characters, got 0: name the data center")),
        "{ps:#?}"
    );
    // One too long is asked to be shorter, not to be named.
    let long = problems(&format!(
        r#"{{"version": 1, "nodes": [{CLIENT}, {{"id": "web", "kind": "server", "dc": "{}"}}],
            "edges": [{{"from": "users", "to": "web"}}]}}"#,
        "d".repeat(65)
    ));
    assert!(
        has(
            &long,
            Some("web"),
            "dc must be 1 to 64 characters, got 65: shorten it"
        ),
        "{long:#?}"
    );
    assert!(
        ps.iter().all(|p| p.message.len() < 400),
        "no number is written out in full: {ps:#?}"
    );
    // A duration far beyond the limit is named once, without window advice beyond its own.
    let ps = problems(r#"{"version": 1, "duration_s": 1e15, "nodes": [], "edges": []}"#);
    assert!(has(&ps, None, "got 1e15"), "{ps:#?}");
    assert!(
        !ps.iter().any(|p| p.field.as_deref() == Some("window_s")),
        "{ps:#?}"
    );
}

/// A problem that repeats names each place it comes from: both nodes of a duplicate id, each
/// fault naming an instance that does not exist (a fail and its recover made two identical
/// lines).
#[test]
fn repeated_mistakes_name_each_place() {
    let ps = problems(&scenario(
        &[CLIENT, SERVER, r#"{"id": "web", "kind": "server"}"#],
        r#"{"from": "users", "to": "web"}"#,
    ));
    assert!(
        has(
            &ps,
            Some("web"),
            "duplicate id: nodes[1] and nodes[2] are both \"web\""
        ),
        "{ps:#?}"
    );
    let text = scenario(
        &[
            CLIENT,
            r#"{"id": "web", "kind": "server", "params": {"instances": 2}}"#,
        ],
        r#"{"from": "users", "to": "web"}"#,
    )
    .replace(
        r#""edges""#,
        r#""faults": [{"node": "web", "at_s": 1, "action": "fail", "instance": 5},
                      {"node": "web", "at_s": 2, "action": "recover", "instance": 5}],
           "edges""#,
    );
    let ps = problems(&text);
    assert_eq!(ps.len(), 2, "{ps:#?}");
    for k in 0..2 {
        assert!(
            has(
                &ps,
                Some("web"),
                &format!("faults[{k}] (\"web\") names instance 5, but the node has 2"),
            ),
            "{ps:#?}"
        );
    }
    assert!(has(&ps, Some("web"), "name one from 0 to 1"), "{ps:#?}");
}

#[test]
fn a_mistake_is_not_blamed_on_what_is_right() {
    // A bad latency: the edge is still a call, so the client is not told it has no path.
    let ps = problems(&scenario(
        &[CLIENT, r#"{"id": "dns", "kind": "dns"}"#, SERVER],
        r#"{"from": "users", "to": "dns", "latency_ms": -1}, {"from": "dns", "to": "web"}"#,
    ));
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert!(has(&ps, Some("users"), "latency_ms must be"), "{ps:#?}");
    // A bad param: the node's paths are not judged by its kind's defaults (a static-only
    // client with a bad rate is not told that reads have nowhere to go).
    let ps = problems(&scenario(
        &[
            r#"{"id": "users", "kind": "client", "params": {"rps": -5, "mix": {"static": 1}}}"#,
            r#"{"id": "cdn", "kind": "cdn"}"#,
            r#"{"id": "assets", "kind": "object_store"}"#,
        ],
        r#"{"from": "users", "to": "cdn"}, {"from": "cdn", "to": "assets"}"#,
    ));
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert!(has(&ps, Some("users"), "rps must be"), "{ps:#?}");
    // But judged with its other params as given: a bad rate does not hide that the client's
    // writes have nowhere to go (the server only has a replica); a bad mix does.
    let writes_to_a_replica = |client: &str| {
        problems(&scenario(
            &[client, SERVER, r#"{"id": "db", "kind": "sql_replica"}"#],
            r#"{"from": "users", "to": "web"}, {"from": "web", "to": "db"}"#,
        ))
    };
    let ps = writes_to_a_replica(
        r#"{"id": "users", "kind": "client", "params": {"rps": -5, "mix": {"read": 0.5, "write": 0.5}}}"#,
    );
    assert_eq!(ps.len(), 2, "{ps:#?}");
    assert!(has(&ps, Some("users"), "rps must be"), "{ps:#?}");
    assert!(
        has(&ps, Some("web"), "writes have nowhere to go"),
        "{ps:#?}"
    );
    let ps = writes_to_a_replica(
        r#"{"id": "users", "kind": "client", "params": {"mix": {"read": 0.5, "write": 0.6}}}"#,
    );
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert!(has(&ps, Some("users"), "shares must sum to 1"), "{ps:#?}");
}

#[test]
fn a_top_level_typo_does_not_hide_the_rest() {
    for head in [
        r#""version": 1, "warmup": 5"#,
        r#""version": "1""#,
        r#""warmup": 5"#,
    ] {
        let text = format!(
            r#"{{{head}, "duration_s": 10, "nodes": [{CLIENT},
                {{"id": "web", "kind": "server", "params": {{"worker": 4}}}}],
              "edges": [{{"from": "users", "to": "web"}}, {{"from": "web", "to": "dbb"}}]}}"#
        );
        let ps = problems(&text);
        assert!(
            has(&ps, Some("web"), "unknown param \"worker\""),
            "{head}: {ps:#?}"
        );
        assert!(
            has(&ps, None, "\"dbb\", which is not a node"),
            "{head}: {ps:#?}"
        );
    }
    // A version this build cannot read stops there: the rest may mean something else.
    let ps = problems(&scenario(&[CLIENT, SERVER], "").replace("\"version\": 1", "\"version\": 2"));
    assert_eq!(ps.len(), 1, "{ps:#?}");
}

#[test]
fn idle_nodes_are_named_with_the_right_reason() {
    use scaleplay_sim::plan::{idle, Idle};
    // A CDN with no static request in the mix, and a queue with no async one: nothing needs
    // them (a run shows them idle), which is not being passed over for another.
    let model = load(&scenario(
        &[
            CLIENT,
            r#"{"id": "cdn", "kind": "cdn"}"#,
            r#"{"id": "assets", "kind": "object_store"}"#,
            SERVER,
            r#"{"id": "q", "kind": "queue"}"#,
            r#"{"id": "jobs", "kind": "worker_pool"}"#,
        ],
        r#"{"from": "users", "to": "cdn"}, {"from": "cdn", "to": "assets"},
           {"from": "users", "to": "web"}, {"from": "web", "to": "q"}, {"from": "q", "to": "jobs"}"#,
    ))
    .expect("valid");
    let by = |id: &str| model.find(id).unwrap();
    assert_eq!(
        idle(&model),
        vec![
            (by("cdn"), Idle::NotNeeded { by: by("users") }),
            (by("assets"), Idle::BehindIdle { by: by("cdn") }),
            (by("q"), Idle::NotNeeded { by: by("web") }),
            (by("jobs"), Idle::BehindIdle { by: by("q") }),
        ]
    );
    let report = scaleplay_sim::Simulation::new(model, 1).run();
    for id in ["cdn", "q", "jobs"] {
        assert_eq!(report.nodes[id].succeeded, 0, "{id}");
    }

    // A GeoDNS's second entry in the US stands by for the US entry, whose users it would
    // take, not for the EU one it names first.
    let model = load(&scenario(
        &[
            r#"{"id": "eu", "kind": "client", "dc": "eu", "params": {"rps": 10}}"#,
            r#"{"id": "us", "kind": "client", "dc": "us", "params": {"rps": 10}}"#,
            r#"{"id": "dns", "kind": "dns", "params": {"geo": true}}"#,
            r#"{"id": "web-eu", "kind": "server", "dc": "eu"}"#,
            r#"{"id": "web-us", "kind": "server", "dc": "us"}"#,
            r#"{"id": "web-us2", "kind": "server", "dc": "us"}"#,
        ],
        r#"{"from": "eu", "to": "dns"}, {"from": "us", "to": "dns"},
           {"from": "dns", "to": "web-eu"}, {"from": "dns", "to": "web-us"},
           {"from": "dns", "to": "web-us2"}"#,
    ))
    .expect("valid");
    let by = |id: &str| model.find(id).unwrap();
    assert_eq!(
        idle(&model),
        vec![(
            by("web-us2"),
            Idle::Standby {
                by: by("dns"),
                instead: by("web-us")
            }
        )]
    );
}

/// Ids are counted in characters, as names are: 24 Chinese characters (72 bytes) are a fine
/// id. One too long is named once, without knock-on complaints about the edges to it.
#[test]
fn ids_are_counted_in_characters() {
    let id = "网页服务器".repeat(5);
    let node = format!(r#"{{"id": "{id}", "kind": "server"}}"#);
    let edge = format!(r#"{{"from": "users", "to": "{id}"}}"#);
    load(&scenario(&[CLIENT, &node], &edge)).expect("24 characters are within 64");
    let long = "服".repeat(65);
    let node = format!(r#"{{"id": "{long}", "kind": "server"}}"#);
    let edge = format!(r#"{{"from": "users", "to": "{long}"}}"#);
    let ps = problems(&scenario(&[CLIENT, &node], &edge));
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert!(
        ps[0].message.contains("must be 1 to 64 characters, got 65"),
        "{ps:#?}"
    );
}

/// A control character in an id, a name or a data center (a newline, or a terminal escape
/// that would clear the screen when a message quotes it) is refused, and every message shows
/// it escaped.
#[test]
fn control_characters_are_refused_and_shown_escaped() {
    let ps = problems(&scenario(
        &[
            CLIENT,
            r#"{"id": "web\u001b[2J", "kind": "server", "name": "a\nb", "dc": "eu\t1"}"#,
        ],
        r#"{"from": "users", "to": "web\u001b[2J"}"#,
    ));
    let fields: Vec<_> = ps.iter().map(|p| p.field.as_deref()).collect();
    assert_eq!(fields, [Some("id"), Some("name"), Some("dc")], "{ps:#?}");
    for p in &ps {
        let shown = p.to_string();
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert!(shown.contains("holds a control character"), "{shown}");
    }
    assert!(ps[0].to_string().starts_with(r#"node "web\u{1b}[2J": id "#));
}

/// An id that reads as another is refused: one with an invisible character ("dns\u{200b}")
/// or a space at an end. An edge to the id it looks like says which node that is (it said
/// only that "dns" is not a node). A zero-width joiner, which emoji need, stays allowed.
#[test]
fn ids_that_read_as_other_ids_are_refused_and_pointed_at() {
    let text = scenario(
        &[
            CLIENT,
            r#"{"id": "web\u200b", "kind": "server"}"#,
            r#"{"id": "db ", "kind": "sql_primary"}"#,
        ],
        r#"{"from": "users", "to": "web"}, {"from": "web\u200b", "to": "db"}"#,
    );
    let ps = problems(&text);
    assert!(
        has(
            &ps,
            Some("web\u{200b}"),
            "holds an invisible character (U+200B), which makes it read as another id"
        ),
        "{ps:#?}"
    );
    assert!(
        has(&ps, Some("db "), "holds a space at its start or end"),
        "{ps:#?}"
    );
    assert!(
        has(
            &ps,
            None,
            "names \"web\", which is not a node (\"web\u{200b}\" looks like it but differs)"
        ),
        "{ps:#?}"
    );
    assert!(
        has(
            &ps,
            None,
            "names \"db\", which is not a node (\"db \" looks like it but differs)"
        ),
        "{ps:#?}"
    );
    // Every message shows the invisible character escaped.
    assert!(
        ps.iter().all(|p| !p.to_string().contains('\u{200b}')),
        "{ps:#?}"
    );
    load(&scenario(
        &[CLIENT, r#"{"id": "👩\u200d💻", "kind": "server"}"#],
        r#"{"from": "users", "to": "👩\u200d💻"}"#,
    ))
    .expect("an emoji sequence joined by U+200D is an id");
}

/// A bidirectional-text control in an id or a data center (U+202E reverses what follows, so
/// "web\u{202e}gpj.exe" shows as "webexe.jpg") is refused as a control character is, and
/// every message shows it escaped: the text must read as what it is. Names may hold them (v1
/// files do: right-to-left names need the marks), and messages quote them escaped.
#[test]
fn bidirectional_text_controls_are_refused_and_shown_escaped() {
    let text = scenario(
        &[
            CLIENT,
            r#"{"id": "web\u202egpj.exe", "kind": "server", "name": "a\u2066b\u2069",
                "dc": "eu\u200f"}"#,
            r#"{"id": "db", "kind": "sql_primary", "name": "\u061cdb\u200e"}"#,
        ],
        r#"{"from": "users", "to": "web\u202egpj.exe"}, {"from": "web\u202egpj.exe", "to": "db"}"#,
    )
    .replace(
        r#""version": 1"#,
        r#""version": 1, "name": "\u202ashop\u202c""#,
    );
    let ps = problems(&text);
    let fields: Vec<_> = ps
        .iter()
        .map(|p| (p.node.as_deref(), p.field.as_deref()))
        .collect();
    assert_eq!(
        fields,
        [
            (Some("web\u{202e}gpj.exe"), Some("id")),
            (Some("web\u{202e}gpj.exe"), Some("dc")),
        ],
        "{ps:#?}"
    );
    let is_bidi = |c: char| scaleplay_sim::error::is_bidi_control(c);
    for p in &ps {
        let shown = p.to_string();
        assert!(!shown.chars().any(is_bidi), "{shown:?}");
        assert!(
            shown.contains("holds an invisible bidirectional-text character (U+")
                && shown.ends_with("which can make it read as other text: remove it"),
            "{shown}"
        );
    }
    assert!(
        ps[0]
            .to_string()
            .starts_with(r#"node "web\u{202e}gpj.exe": id "web\u{202e}gpj.exe" holds"#),
        "{}",
        ps[0]
    );
    assert!(ps[1].message.contains("(U+200F)"), "{}", ps[1]);
    // Names with them load; a message quoting one shows it escaped.
    let model = load(&scenario(
        &[
            CLIENT,
            r#"{"id": "db", "kind": "server", "name": "\u061cdb\u200e"}"#,
        ],
        r#"{"from": "users", "to": "db"}"#,
    ))
    .expect("a name may hold a bidirectional mark");
    assert_eq!(model.scenario.nodes[1].name, "\u{61c}db\u{200e}");
    assert_eq!(
        scaleplay_sim::error::printable("\u{61c}db\u{200e}"),
        r"\u{61c}db\u{200e}"
    );
    // The predicate is exactly the embeddings, overrides, isolates and marks.
    let bidi: Vec<u32> = (0..0x3000)
        .filter_map(char::from_u32)
        .filter(|c| is_bidi(*c))
        .map(u32::from)
        .collect();
    let mut expected = vec![0x061C, 0x200E, 0x200F];
    expected.extend(0x202A..=0x202E);
    expected.extend(0x2066..=0x2069);
    assert_eq!(bidi, expected);
    // Right-to-left letters are text, not controls.
    load(&scenario(
        &[CLIENT, r#"{"id": "web", "kind": "server", "name": "שרת"}"#],
        r#"{"from": "users", "to": "web"}"#,
    ))
    .expect("Hebrew is a fine name");
}

/// A null where a key takes none (`"params": null`, `"slo": null`, a list, an edge's end, a
/// whole item of a list) is named with what to write instead, not in serde's words
/// ("invalid type: null, expected a map"), and the rest of the file is still checked.
#[test]
fn nulls_are_named_with_what_to_write_instead() {
    let ps = problems(
        r#"{"version": 1, "slo": null,
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 10}},
                      {"id": "web", "kind": "server", "params": null},
                      {"id": "db", "kind": "sql_primary", "params": {"workers": 0}},
                      null],
            "edges": [{"from": "users", "to": "web"}, {"from": null, "to": "db"}],
            "faults": null}"#,
    );
    let expected = [
        (
            None,
            r#""slo" is null: leave it out for no SLO, or give an object such as {"p99_ms": 200}"#,
        ),
        (
            None,
            r#"nodes[1] ("web"): params is null: leave it out for the kind's defaults, or give an object of params, such as {"workers": 8}"#,
        ),
        (
            None,
            r#"nodes[3] is null: remove it from the list, or write a node there, such as {"id": "web", "kind": "server"}"#,
        ),
        (
            None,
            r#"edges[1]: from is null: give a node's id in quotes, such as "web""#,
        ),
        (
            None,
            r#""faults" is null: leave it out for no faults, or give a list of them, such as [{"node": "web", "at_s": 30, "action": "fail"}]"#,
        ),
        (Some("db"), "workers must be"),
    ];
    for (node, needle) in expected {
        assert!(has(&ps, node, needle), "no {node:?} {needle:?} in {ps:#?}");
    }
    assert_eq!(ps.len(), expected.len(), "{ps:#?}");

    let ps = problems(r#"{"version": 1, "nodes": null, "edges": null}"#);
    for needle in [
        r#""nodes" is null: leave it out for no nodes, or give a list of them, such as [{"id": "web", "kind": "server"}]"#,
        r#""edges" is null: leave it out for no edges, or give a list of them, such as [{"from": "users", "to": "web"}]"#,
    ] {
        assert!(has(&ps, None, needle), "no {needle:?} in {ps:#?}");
    }

    // Every field of every kind of item, and the settings; a null version is as good as
    // missing, so the rest is still checked.
    let ps = problems(
        r#"{"version": null, "name": null, "seed": null, "duration_s": null,
            "nodes": [{"id": "users", "kind": null, "name": null, "dc": null, "x": null},
                      {"id": null, "kind": "server"}],
            "edges": [{"from": "users", "to": null}],
            "faults": [{"node": "users", "at_s": null, "action": null}]}"#,
    );
    for needle in [
        r#""version" is null: write "version": 1"#,
        r#""name" is null: leave it out for no name"#,
        r#""seed" is null: leave it out for seed 0"#,
        r#""duration_s" is null: leave it out for its default, or give a number of seconds"#,
        r#"nodes[0] ("users"): kind is null: give its kind in quotes, such as "server""#,
        r#"nodes[0] ("users"): name is null: leave it out for no name"#,
        r#"nodes[0] ("users"): dc is null: leave it out for the default data center"#,
        r#"nodes[0] ("users"): x is null: leave it out for 0, or give a number"#,
        r#"nodes[1]: id is null: give the node's id in quotes, such as "web""#,
        r#"edges[0]: to is null: give a node's id in quotes"#,
        r#"faults[0] ("users"): at_s is null: give the time in seconds"#,
        r#"faults[0] ("users"): action is null: give "fail" or "recover""#,
    ] {
        assert!(has(&ps, None, needle), "no {needle:?} in {ps:#?}");
    }
    assert!(
        ps.iter()
            .all(|p| !p.message.contains("invalid type") && !p.message.contains("Spec")),
        "serde's words in {ps:#?}"
    );
    // What was already a default stays one: an edge's latency, a fault's instance, an SLO's
    // bound and a param.
    load(
        r#"{"version": 1, "slo": {"p99_ms": null},
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 10, "timeout_ms": null}},
                      {"id": "web", "kind": "server"}],
            "edges": [{"from": "users", "to": "web", "latency_ms": null}],
            "faults": [{"node": "web", "at_s": 1, "action": "fail", "instance": null}]}"#,
    )
    .expect("these nulls are the defaults");
}

/// serde reads a struct from a JSON list too, field by field in order: `"slo": [1]` loaded as
/// a p99 bound of 1 ms, a node `["db", "client"]` as a client named db, an edge `["users",
/// "web"]` as that edge, `"mix": [0.5, 0.5]` as half reads and half writes. A list where an
/// object belongs is refused, named by where it is with what to write, and the rest of the
/// file is still checked.
#[test]
fn lists_where_objects_belong_are_named_not_read_in_order() {
    let ps = problems(
        r#"{"version": 1, "duration_s": 10, "slo": [1],
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 10}},
                      {"id": "web", "kind": "server", "params": {"workers": 0}},
                      ["db", "client"],
                      {"id": "db", "kind": "sql_primary", "params": [8]}],
            "edges": [{"from": "users", "to": "web"}, ["web", "db"]],
            "faults": [["web", 1, "fail"]]}"#,
    );
    let expected = [
        (
            None,
            r#""slo" is a list: give an object such as {"p99_ms": 200}"#,
        ),
        (
            None,
            r#"nodes[2] is a list: write a node as an object, such as {"id": "web", "kind": "server"}"#,
        ),
        (
            None,
            r#"nodes[3] ("db"): params is a list: give an object of params, such as {"workers": 8}"#,
        ),
        (
            None,
            r#"edges[1] is a list: write an edge as an object, such as {"from": "users", "to": "web"}"#,
        ),
        (
            None,
            r#"faults[0] is a list: write a fault as an object, such as {"node": "web", "at_s": 30, "action": "fail"}"#,
        ),
        (Some("web"), "workers must be"),
    ];
    for (node, needle) in expected {
        assert!(has(&ps, node, needle), "no {node:?} {needle:?} in {ps:#?}");
    }
    assert_eq!(ps.len(), expected.len(), "{ps:#?}");

    // Each one alone: none of them loads any more.
    let base = scenario(
        &[CLIENT, SERVER, r#"{"id": "db", "kind": "sql_primary"}"#],
        r#"{"from": "users", "to": "web"}, {"from": "web", "to": "db"}"#,
    );
    load(&base).expect("the file without lists loads");
    for (from, to, needle) in [
        (
            r#""version": 1"#,
            r#""version": 1, "slo": [1]"#,
            r#""slo" is a list"#,
        ),
        (
            r#"{"id": "db", "kind": "sql_primary"}"#,
            r#"["db", "sql_primary"]"#,
            "nodes[2] is a list",
        ),
        (
            r#"{"from": "web", "to": "db"}"#,
            r#"["web", "db"]"#,
            "edges[1] is a list",
        ),
        (
            r#""edges""#,
            r#""faults": [["web", 1, "fail"]], "edges""#,
            "faults[0] is a list",
        ),
    ] {
        let ps = problems(&base.replace(from, to));
        assert!(has(&ps, None, needle), "no {needle:?} in {ps:#?}");
    }

    // Each field of an item, and each setting, that is a list: what it takes instead.
    let ps = problems(
        r#"{"version": 1, "name": ["shop"], "seed": [7], "duration_s": [10],
            "nodes": [{"id": "users", "kind": ["client"], "x": [1]}, {"id": ["web"], "kind": "server"}],
            "edges": [{"from": "users", "to": ["web"], "latency_ms": [2]}],
            "faults": [{"node": "users", "at_s": [1], "action": ["fail"]}]}"#,
    );
    for needle in [
        r#""name" is a list: give a name in quotes"#,
        r#""seed" is a list: give a whole number from 0 to 18446744073709551615"#,
        r#""duration_s" is a list: give a number of seconds"#,
        r#"nodes[0] ("users"): kind is a list: give its kind in quotes, such as "server""#,
        r#"nodes[0] ("users"): x is a list: give a number"#,
        r#"nodes[1]: id is a list: give the node's id in quotes, such as "web""#,
        r#"edges[0]: to is a list: give a node's id in quotes, such as "web""#,
        r#"edges[0]: latency_ms is a list: give a number of ms, such as 15"#,
        r#"faults[0] ("users"): at_s is a list: give the time in seconds from the start"#,
        r#"faults[0] ("users"): action is a list: give "fail" or "recover""#,
    ] {
        assert!(has(&ps, None, needle), "no {needle:?} in {ps:#?}");
    }
    assert!(
        ps.iter()
            .all(|p| !p.message.contains("sequence") && !p.message.contains("struct")),
        "serde's words in {ps:#?}"
    );
}

/// No param takes a list: one is named as such, with what the param takes instead, and a
/// distribution's number shorthand (`"service_ms": 12`) is still a distribution. The mix and
/// autoscale objects are not read from a list in order.
#[test]
fn a_param_written_as_a_list_is_named_with_what_it_takes() {
    let ps = problems(&scenario(
        &[
            r#"{"id": "users", "kind": "client", "params": {"mix": [0.5, 0.5], "profile": ["ramp"]}}"#,
            r#"{"id": "web", "kind": "server",
                "params": {"workers": [8], "service_ms": [{"dist": "exp", "mean": 5}],
                           "autoscale": [1, 4], "blocking": [true]}}"#,
            r#"{"id": "db", "kind": "sql_primary",
                "params": {"read_ms": {"dist": "uniform", "min": [1], "max": 3},
                           "write_ms": {"dist": "lognormal", "mean": 5, "cv": [2]}}}"#,
            r#"{"id": "api", "kind": "server",
                "params": {"autoscale": {"min": [1], "max": 4}, "workers": 0}}"#,
            r#"{"id": "eu", "kind": "client", "params": {"mix": {"read": [1]}}}"#,
        ],
        r#"{"from": "users", "to": "web"}, {"from": "web", "to": "db"},
           {"from": "eu", "to": "api"}, {"from": "api", "to": "db"}"#,
    ));
    let expected = [
        (
            "users",
            r#"mix is a list: give an object of shares such as {"read": 0.9, "write": 0.1}"#,
        ),
        ("users", "profile is a list: give a name in quotes"),
        ("web", "workers is a list: give a whole number"),
        (
            "web",
            r#"service_ms is a list: give a number of ms or a distribution like {"dist": "exp", "mean": 12}"#,
        ),
        (
            "web",
            r#"autoscale is a list: give an object such as {"min": 1, "max": 10}, or null for none"#,
        ),
        ("web", "blocking is a list: give true or false"),
        (
            "db",
            "read_ms.min is a list: give a number of ms, such as 5",
        ),
        (
            "db",
            "write_ms.cv is a list: give a number above 0, such as 0.5",
        ),
        (
            "api",
            "autoscale.min is a list: give a whole number of instances, such as 2",
        ),
        ("api", "workers must be"),
        (
            "eu",
            "mix.read is a list: give a share from 0 to 1, such as 0.2",
        ),
    ];
    for (node, needle) in expected {
        assert!(
            has(&ps, Some(node), needle),
            "no {node} {needle:?} in {ps:#?}"
        );
    }
    assert_eq!(ps.len(), expected.len(), "{ps:#?}");
    // Named by their path, for the inspector to show them under their field.
    let field = |needle: &str| {
        ps.iter()
            .find(|p| p.message.contains(needle))
            .and_then(|p| p.field.clone())
    };
    assert_eq!(field("mix.read is").as_deref(), Some("mix.read"));
    assert_eq!(field("autoscale.min is").as_deref(), Some("autoscale.min"));
    assert_eq!(field("workers is").as_deref(), Some("workers"));

    // A number is a distribution's shorthand: exponential with that mean.
    load(&scenario(
        &[
            CLIENT,
            r#"{"id": "web", "kind": "server", "params": {"service_ms": 12}}"#,
        ],
        r#"{"from": "users", "to": "web"}"#,
    ))
    .expect("a number of ms is a service time");
}

/// A null inside a param's object (`"mix": {"read": null}`) is named by its path, `mix.read`,
/// not as `mix`, saying whether it may be left out and what to give: unlike a param's own
/// null, which is its default, it has no reading of its own. A distribution's optional field
/// read as left out (a lognormal's `cv`) still is, and the other params are still checked.
#[test]
fn a_null_inside_a_param_is_named_by_its_path() {
    let ps = problems(&scenario(
        &[
            r#"{"id": "users", "kind": "client", "params": {"mix": {"read": null, "write": 1}}}"#,
            r#"{"id": "web", "kind": "server",
                "params": {"autoscale": {"min": null, "max": 4}, "workers": 0,
                           "service_ms": {"dist": "exp", "mean": null}}}"#,
            r#"{"id": "db", "kind": "sql_primary",
                "params": {"read_ms": {"dist": "uniform", "min": null, "max": 3},
                           "write_ms": {"dist": null, "mean": 5, "maen": 3}}}"#,
        ],
        r#"{"from": "users", "to": "web"}, {"from": "web", "to": "db"}"#,
    ));
    let expected = [
        (
            "users",
            "mix.read",
            "mix.read is null: leave it out for a share of 0, or give a share from 0 to 1, such as 0.2",
        ),
        (
            "web",
            "autoscale.min",
            "autoscale.min is null: leave it out for the default, 1, or give a whole number of instances, such as 2",
        ),
        (
            "web",
            "service_ms.mean",
            "service_ms.mean is null: give the mean in ms, such as 12 (it has no default)",
        ),
        ("web", "workers", "workers must be"),
        (
            "db",
            "read_ms.min",
            "read_ms.min is null: give a number of ms, such as 5 (it has no default)",
        ),
        (
            "db",
            "write_ms.dist",
            r#"write_ms.dist is null: give "exp", "const", "lognormal" or "uniform" (it has no default)"#,
        ),
        // What else is wrong in the object is said at once.
        ("db", "write_ms", "write_ms: unknown field `maen`"),
    ];
    for (node, field, needle) in expected {
        assert!(
            ps.iter().any(|p| p.node.as_deref() == Some(node)
                && p.field.as_deref() == Some(field)
                && p.message.starts_with(needle)),
            "no {node} {field} {needle:?} in {ps:#?}"
        );
    }
    assert_eq!(ps.len(), expected.len(), "{ps:#?}");

    // Nulls that are defaults stay defaults: a param's own, a distribution's optional field
    // where it is not used or has a default (a lognormal's cv of 1).
    load(&scenario(
        &[
            r#"{"id": "users", "kind": "client", "params": {"mix": null, "timeout_ms": null}}"#,
            r#"{"id": "web", "kind": "server",
                "params": {"autoscale": null, "queue": null,
                           "service_ms": {"dist": "lognormal", "mean": 5, "cv": null, "min": null}}}"#,
            r#"{"id": "db", "kind": "sql_primary",
                "params": {"read_ms": {"dist": "uniform", "min": 1, "max": 3, "mean": null}}}"#,
        ],
        r#"{"from": "users", "to": "web"}, {"from": "web", "to": "db"}"#,
    ))
    .expect("these nulls are defaults");
}

/// A fault with a bad time and a bad target is reported for both at once.
#[test]
fn a_fault_with_a_bad_time_and_a_missing_node_names_both() {
    let text = scenario(&[CLIENT, SERVER], r#"{"from": "users", "to": "web"}"#).replace(
        r#""edges""#,
        r#""faults": [{"node": "ghost", "at_s": -5, "action": "fail"}], "edges""#,
    );
    let ps = problems(&text);
    assert!(
        has(
            &ps,
            None,
            r#"faults[0] ("ghost"): at_s must be a number >= 0, got -5"#
        ),
        "{ps:#?}"
    );
    assert!(
        has(&ps, None, r#"faults[0] ("ghost"): no node "ghost""#),
        "{ps:#?}"
    );
}

/// A misshapen node, edge or setting is set aside, and the rest of the file is still checked:
/// its problems show in the same pass, and none of them is made up by what was set aside (an
/// edge "to a missing node", a client "with no path", a fault "after the end of the run").
#[test]
fn misshapen_nodes_edges_and_settings_do_not_hide_the_other_problems() {
    let ps = problems(
        r#"{"version": 1, "duration_s": "60", "warmup_s": 5,
            "nodes": [
              {"id": "u", "kind": "client", "params": {"rps": -10}},
              {"id": "lb", "kind": "load_balancer", "x": "left"},
              {"id": "s", "kind": "server", "params": {"workers": 0}},
              {"id": "db", "kind": "sql_primary"},
              {"id": "r", "kind": "sql_replica"}],
            "edges": [{"from": "u", "to": "lb"}, {"from": "lb", "to": "s"},
                      {"from": "s", "to": "db"}, {"from": "s", "to": "r"},
                      {"from": "db", "to": "r", "latency_ms": "1 ms"}],
            "faults": [{"node": "s", "at_s": 90, "action": "fail"},
                       {"node": "ghost", "at_s": 1, "action": "fail"}]}"#,
    );
    let expected = [
        (
            None,
            "\"duration_s\": invalid type: string \"60\", expected a number",
        ),
        (None, "nodes[1] (\"lb\"): x: invalid type: string \"left\""),
        (
            None,
            "edges[4] (db → r): latency_ms: invalid type: string \"1 ms\"",
        ),
        (Some("u"), "rps"),
        (Some("s"), "workers"),
        (None, "faults[1] (\"ghost\"): no node \"ghost\""),
    ];
    for (node, needle) in expected {
        assert!(has(&ps, node, needle), "no {node:?} {needle:?} in {ps:#?}");
    }
    assert_eq!(ps.len(), expected.len(), "made-up problems in {ps:#?}");
}

/// Every bad field of a misshapen item is named, by field, not only serde's first; a field
/// that is missing is said as such, and a bad field is not also called missing.
#[test]
fn each_bad_field_of_a_misshapen_item_is_named() {
    let ps = problems(
        r#"{"version": 1,
            "nodes": [{"id": "u", "kind": 7, "x": "a", "y": [1], "size": 3},
                      {"kind": "server"}],
            "edges": [{"from": "u", "latency": 3}],
            "faults": [{"node": "u", "at_s": "5", "action": "boom"}]}"#,
    );
    for needle in [
        "nodes[0] (\"u\"): kind: invalid type: integer `7`, expected a string: give its kind \
         in quotes, such as \"server\"",
        "nodes[0] (\"u\"): x: invalid type: string \"a\", expected a number: give a number",
        "nodes[0] (\"u\"): y is a list: give a number",
        "nodes[0] (\"u\"): unknown field `size`",
        "nodes[1]: missing field \"id\": add it, the node's id in quotes, such as \"web\"",
        "edges[0]: unknown field `latency`",
        "edges[0]: missing field \"to\": add it, a node's id in quotes",
        "faults[0] (\"u\"): at_s: invalid type: string \"5\", expected a number",
        "faults[0] (\"u\"): action: unknown name \"boom\": use one of \"fail\", \"recover\"",
    ] {
        assert!(has(&ps, None, needle), "no {needle:?} in {ps:#?}");
    }
    assert!(
        !has(&ps, None, "nodes[0] (\"u\"): missing field")
            && !has(&ps, None, "faults[0] (\"u\"): missing field"),
        "a bad field is not missing: {ps:#?}"
    );
}

/// A misshapen part does not hide the other problems in it: a node's params, an SLO's values
/// and a fault's node are still checked beside the key that made it misshapen.
#[test]
fn a_misshapen_part_is_still_checked_for_the_rest() {
    let ps = problems(
        r#"{"version": 1,
            "slo": {"p99_ms": -1, "x": 1},
            "nodes": [{"id": "u", "kind": "client"},
                      {"id": "box", "kind": "server", "colour": "red",
                       "params": {"workers": 0, "service_ms": {"mean": 5}}}],
            "edges": [{"from": "u", "to": "box"}],
            "faults": [{"node": "ghost", "at_s": 5, "action": "explode"}]}"#,
    );
    for needle in [
        "\"slo\": unknown field `x`",
        "slo.p99_ms must be > 0, got -1",
        "faults[0] (\"ghost\"): action: unknown name \"explode\"",
        "faults[0] (\"ghost\"): no node \"ghost\": use an existing id",
    ] {
        assert!(has(&ps, None, needle), "no {needle:?} in {ps:#?}");
    }
    assert!(
        has(&ps, None, "nodes[1] (\"box\"): unknown field `colour`"),
        "{ps:#?}"
    );
    assert!(
        has(
            &ps,
            Some("box"),
            "workers must be a whole number from 1 to 100000, got 0"
        ),
        "{ps:#?}"
    );
    assert!(
        has(
            &ps,
            Some("box"),
            "service_ms: missing field \"dist\": add it, \"exp\""
        ),
        "{ps:#?}"
    );
}

/// A duration out of range is named once: what is measured against it (fault times, the
/// warm-up's end) is not blamed as well.
#[test]
fn a_duration_out_of_range_is_not_blamed_on_what_is_measured_against_it() {
    let ps = problems(
        r#"{"version": 1, "duration_s": -1, "warmup_s": 10,
            "nodes": [{"id": "u", "kind": "client", "params": {"rps": 10}},
                      {"id": "s", "kind": "server"}],
            "edges": [{"from": "u", "to": "s"}],
            "faults": [{"node": "s", "at_s": 30, "action": "fail"}]}"#,
    );
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert!(
        has(&ps, None, "duration_s must be at least a microsecond"),
        "{ps:#?}"
    );
}

/// A key written twice in one object is a problem, named where it is (JSON parsers keep the
/// last without a word); the rest of the file is checked as read with the last of each.
#[test]
fn a_key_written_twice_is_named_where_it_is() {
    let ps = problems(
        r#"{"version": 1, "seed": 1, "seed": 2,
            "nodes": [{"id": "u", "kind": "client",
                       "params": {"rps": 5, "rps": 50, "mix": {"read": 0.5, "read": 0.25}}},
                      {"id": "s", "kind": "server"}],
            "edges": [{"from": "u", "to": "s", "to": "s"}]}"#,
    );
    for (node, needle) in [
        (None, "\"seed\" is written twice in the file"),
        (Some("u"), "\"rps\" is written twice in params"),
        (Some("u"), "\"read\" is written twice in params.mix"),
        (None, "\"to\" is written twice in edges[0]"),
        (Some("u"), "shares must sum to 1, they sum to 0.25"),
    ] {
        assert!(has(&ps, node, needle), "no {node:?} {needle:?} in {ps:#?}");
    }
    assert_eq!(ps.len(), 5, "{ps:#?}");
    // The same key in different objects is no problem.
    load(&scenario(
        &[CLIENT, SERVER, r#"{"id": "web2", "kind": "server"}"#],
        r#"{"from": "users", "to": "web"}, {"from": "users", "to": "web2"}"#,
    ))
    .expect("one key per object");
}

/// What was set aside for its shape can still be the client, or a data center's only node:
/// "no client" and "no node is in data center" are said only when no node set aside could be
/// it. A server set aside is no client.
#[test]
fn nodes_set_aside_hide_only_what_they_could_be() {
    let ps = problems(
        r#"{"version": 1,
            "nodes": [{"id": "u", "kind": "client", "bogus": 1, "params": {"rps": 5}},
                      {"id": "s", "kind": "server", "params": {"workers": -1}},
                      {"id": "w", "kind": "server", "dc": "eu", "x": "left"}],
            "edges": [{"from": "u", "to": "s"}],
            "faults": [{"dc": "eu", "at_s": 5, "action": "fail"}]}"#,
    );
    assert_eq!(ps.len(), 3, "{ps:#?}");
    assert!(
        has(&ps, None, "nodes[0] (\"u\"): unknown field `bogus`"),
        "{ps:#?}"
    );
    assert!(
        has(&ps, None, "nodes[2] (\"w\"): x: invalid type"),
        "{ps:#?}"
    );
    assert!(has(&ps, Some("s"), "workers"), "{ps:#?}");
    let ps = problems(
        r#"{"version": 1,
            "nodes": [{"id": "s", "kind": "server", "bogus": 1},
                      {"id": "t", "kind": "server"}]}"#,
    );
    assert!(has(&ps, None, "no client"), "{ps:#?}");
}

/// A data center's outage leaves users and DNS up: a fault of a data center holding only
/// those changes nothing. The file still runs (it used to take the DNS down), with a note.
#[test]
fn a_fault_of_a_data_center_of_users_and_a_dns_is_noted_not_refused() {
    let model = load(
        r#"{"version": 1, "duration_s": 60,
            "nodes": [{"id": "u", "kind": "client", "dc": "eu", "params": {"rps": 5}},
                      {"id": "dns", "kind": "dns", "dc": "eu"},
                      {"id": "web", "kind": "server", "dc": "us"}],
            "edges": [{"from": "u", "to": "dns"}, {"from": "dns", "to": "web"}],
            "faults": [{"dc": "eu", "at_s": 5, "action": "fail"}]}"#,
    )
    .expect("runs as before");
    let notes = scaleplay_sim::ignored::ignored_settings(&model);
    assert!(
        notes
            .iter()
            .any(|n| n.message.contains("faults[0] (data center \"eu\")")
                && n.message.contains("changes nothing")),
        "{notes:#?}"
    );
}

#[test]
fn a_bad_param_is_named_once_and_nothing_else_is_blamed_on_it() {
    // "instances": "3" is refused; the autoscale range and the faults naming instance 1 were
    // then judged against the default of one instance, and three made-up problems followed.
    let text = r#"{"version": 1, "duration_s": 10, "nodes": [
        {"id": "users", "kind": "client", "params": {"rps": 10}},
        {"id": "web", "kind": "server",
         "params": {"instances": "3", "autoscale": {"min": 3, "max": 12}}}],
      "edges": [{"from": "users", "to": "web"}],
      "faults": [{"node": "web", "instance": 1, "at_s": 2, "action": "fail"}]}"#;
    let ps = problems(text);
    assert_eq!(ps.len(), 1, "{ps:?}");
    assert!(has(&ps, Some("web"), "must be a whole number"), "{ps:?}");

    // A node of a misspelt kind may be the client: no "no client" beside it.
    let ps = problems(&scenario(
        &[
            r#"{"id": "users", "kind": "Client", "params": {"rps": 10}}"#,
            SERVER,
        ],
        "",
    ));
    assert_eq!(ps.len(), 1, "{ps:?}");
    assert!(has(&ps, Some("users"), "unknown kind \"Client\""), "{ps:?}");
}

#[test]
fn a_cdn_with_only_an_object_store_says_reads_need_an_app() {
    let ps = problems(&scenario(
        &[
            r#"{"id": "users", "kind": "client", "params": {"rps": 10, "mix": {"read": 1}}}"#,
            r#"{"id": "cdn", "kind": "cdn"}"#,
            r#"{"id": "blobs", "kind": "object_store"}"#,
        ],
        r#"{"from": "users", "to": "cdn"}, {"from": "cdn", "to": "blobs"}"#,
    ));
    assert!(
        has(&ps, Some("cdn"), "its object_store serves only static ones"),
        "{ps:#?}"
    );
}

#[test]
fn a_data_centers_fault_names_no_instance() {
    let text = r#"{"version": 1, "duration_s": 10, "nodes": [
        {"id": "users", "kind": "client", "params": {"rps": 10}},
        {"id": "web", "kind": "server", "dc": "eu"}],
      "edges": [{"from": "users", "to": "web"}],
      "faults": [{"dc": "eu", "instance": 0, "at_s": 2, "action": "fail"}]}"#;
    let ps = problems(text);
    assert_eq!(ps.len(), 1, "{ps:?}");
    assert!(
        has(
            &ps,
            None,
            "a data center's fault takes all of its nodes down"
        ),
        "{ps:?}"
    );
}

/// A pool wired to its queue the other way round (the pool "pulls") is told which way the
/// edge goes: the queue said only that nothing drained it, with a pool drawn beside it.
#[test]
fn a_queue_fed_by_its_pool_is_told_which_way_the_edge_goes() {
    let ps = problems(&scenario(
        &[
            r#"{"id": "u", "kind": "client", "params": {"mix": {"async": 1}}}"#,
            r#"{"id": "web", "kind": "server"}"#,
            r#"{"id": "q", "kind": "queue"}"#,
            r#"{"id": "pool", "kind": "worker_pool"}"#,
        ],
        r#"{"from": "u", "to": "web"}, {"from": "web", "to": "q"}, {"from": "pool", "to": "q"}"#,
    ));
    assert!(
        has(
            &ps,
            Some("q"),
            "draw the edge from the queue to the worker pool"
        ),
        "{ps:?}"
    );
}

/// A node with an empty id is the one problem: the edge and the faults naming "" mean that
/// node, and are not blamed as well (as those naming a node set aside for its shape).
#[test]
fn a_node_with_an_empty_id_is_blamed_once() {
    let text = r#"{"version": 1, "duration_s": 10,
        "nodes": [{"id": "users", "kind": "client"}, {"id": "", "kind": "server"}],
        "edges": [{"from": "users", "to": ""}],
        "faults": [{"node": "", "at_s": 5, "action": "fail"}]}"#;
    let ps = problems(text);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert!(
        ps[0].to_string().contains("a node has an empty id"),
        "{ps:#?}"
    );
}
