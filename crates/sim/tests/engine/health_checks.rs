//! Health checks: a balancer, or a DNS, routes on what its last check saw, whatever happened
//! since. A failure no check saw does not take a server out; a dead server that comes back for
//! a moment between two checks gets no traffic; a check sent through a balancer is answered as
//! that balancer sees its own servers. And an autoscaled instance serves only once booted.

use scaleplay_sim::{load, Report, Simulation};

fn run(text: &str) -> Report {
    Simulation::new(load(text).expect("a valid scenario"), 1).run()
}

/// 300 req/s round robin over three servers behind a balancer checking every `hc_s`, with
/// faults on s1.
fn three_servers(hc_s: f64, faults: &str) -> String {
    let server = |id: &str| {
        format!(
            r#"{{"id": "{id}", "kind": "server",
                "params": {{"workers": 8, "service_ms": {{"dist": "exp", "mean": 10}}}}}}"#
        )
    };
    format!(
        r#"{{"version": 1, "duration_s": 90, "nodes": [
            {{"id": "users", "kind": "client", "params": {{"rps": 300, "users": 100000}}}},
            {{"id": "lb", "kind": "load_balancer",
              "params": {{"algorithm": "round_robin", "health_check_s": {hc_s}}}}},
            {}, {}, {}],
          "edges": [{{"from": "users", "to": "lb", "latency_ms": 0}},
                    {{"from": "lb", "to": "s0", "latency_ms": 0}},
                    {{"from": "lb", "to": "s1", "latency_ms": 0}},
                    {{"from": "lb", "to": "s2", "latency_ms": 0}}],
          "faults": [{faults}]}}"#,
        server("s0"),
        server("s1"),
        server("s2")
    )
}

#[test]
fn a_failure_no_check_saw_does_not_take_a_server_out() {
    // Down from 61 s to 62 s; the checks at 60 s and 70 s both find it up.
    let r = run(&three_servers(
        10.0,
        r#"{"node": "s1", "at_s": 61, "action": "fail"},
           {"node": "s1", "at_s": 62, "action": "recover"}"#,
    ));
    let busy = &r.nodes["s1"].utilization_series;
    // Windows ending at 63 s to 70 s: a third of the traffic, as before the blip (it used to
    // get none until the check at 70 s).
    for (t, u) in busy.iter().enumerate().take(70).skip(62) {
        assert!(
            *u > 0.08,
            "s1 idle in the window ending at {} s: {busy:?}",
            t + 1
        );
    }
}

#[test]
fn a_dead_server_up_for_a_moment_between_checks_gets_no_traffic() {
    // Down at 61 s; back at 70.5 s and down again at 71 s, between the checks at 70 s and
    // 75 s, which both find it down.
    let r = run(&three_servers(
        5.0,
        r#"{"node": "s1", "at_s": 61, "action": "fail"},
           {"node": "s1", "at_s": 70.5, "action": "recover"},
           {"node": "s1", "at_s": 71, "action": "fail"}"#,
    ));
    let down: Vec<f64> = r.series.iter().map(|w| w.down_rps).collect();
    // A third of the requests fail from 61 s until the check at 65 s takes s1 out...
    assert!(down[62] > 50.0, "{down:?}");
    // ...and none after: the blink at 70.5 s was never seen (it used to bring s1 back into
    // the rotation at the check at 75 s... and 100 failures a second with it from 71 s).
    assert!(down[66..].iter().all(|d| *d == 0.0), "{down:?}");
}

#[test]
fn a_server_that_flaps_between_checks_is_judged_by_what_each_check_saw() {
    // Up at the check at 60 s; then down, up, down, up, down (five changes) at 61–65 s, and
    // down until the end. The check at 70 s sees it down, so its third of the traffic fails
    // only until then. Only four changes were remembered: with five, the balancer took the
    // state now for the one its check saw, and kept sending a third of the traffic to s1
    // from 65 s to 70 s... or, with six, none from the failure at 61 s.
    // s1 fails at 61 s, and changes again each second, `changes` times in all.
    let flaps = |changes: u32| {
        let faults: Vec<String> = (0..changes)
            .map(|k| {
                let action = if k % 2 == 0 { "fail" } else { "recover" };
                format!(
                    r#"{{"node": "s1", "at_s": {}, "action": "{action}"}}"#,
                    61 + k
                )
            })
            .collect();
        run(&three_servers(10.0, &faults.join(", ")))
    };
    let r = flaps(5);
    let down: Vec<f64> = r.series.iter().map(|w| w.down_rps).collect();
    // The window ending at 68 s (67–68 s): s1 is down and still in the rotation.
    assert!(down[67] > 50.0, "{down:?}");
    assert!(down[71..].iter().all(|d| *d == 0.0), "{down:?}");

    // Six changes, ending up: never seen down, so the balancer kept s1 all along and only
    // the requests sent while it was down failed.
    let r = flaps(6);
    let down: Vec<f64> = r.series.iter().map(|w| w.down_rps).collect();
    for t in [61, 63, 65] {
        assert!(
            down[t] > 50.0,
            "s1 down and in the rotation at {t}–{} s: {down:?}",
            t + 1
        );
    }
    assert!(down[66..].iter().all(|d| *d == 0.0), "{down:?}");
}

#[test]
fn a_dns_checks_a_data_center_through_its_balancer_as_the_balancer_sees_it() {
    // The EU data center is down from 60 s to 100 s. The DNS checks every 5 s, EU's balancer
    // every 30 s: the balancer finds its servers back at 120 s, and answers the DNS's checks
    // "down" until then. So EU users stay in the US until the DNS check at 120 s.
    let text = r#"{"version": 1, "duration_s": 140, "warmup_s": 10, "nodes": [
        {"id": "users-eu", "kind": "client", "dc": "eu", "params": {"rps": 200}},
        {"id": "users-us", "kind": "client", "dc": "us", "params": {"rps": 200}},
        {"id": "geodns", "kind": "dns",
         "params": {"latency_ms": 0, "miss_ratio": 0, "geo": true, "health_check_s": 5}},
        {"id": "lb-eu", "kind": "load_balancer", "dc": "eu", "params": {"health_check_s": 30}},
        {"id": "web-eu", "kind": "server", "dc": "eu",
         "params": {"instances": 2, "workers": 64, "service_ms": {"dist": "const", "mean": 5}}},
        {"id": "lb-us", "kind": "load_balancer", "dc": "us", "params": {"health_check_s": 30}},
        {"id": "web-us", "kind": "server", "dc": "us",
         "params": {"instances": 2, "workers": 64, "service_ms": {"dist": "const", "mean": 5}}}],
      "edges": [{"from": "users-eu", "to": "geodns", "latency_ms": 10},
                {"from": "users-us", "to": "geodns", "latency_ms": 10},
                {"from": "geodns", "to": "lb-eu", "latency_ms": 10},
                {"from": "lb-eu", "to": "web-eu", "latency_ms": 0},
                {"from": "geodns", "to": "lb-us", "latency_ms": 10},
                {"from": "lb-us", "to": "web-us", "latency_ms": 0}],
      "faults": [{"dc": "eu", "at_s": 60, "action": "fail"},
                 {"dc": "eu", "at_s": 100, "action": "recover"}]}"#;
    let r = run(text);
    let down: Vec<f64> = r.series.iter().map(|w| w.down_rps).collect();
    // EU's 200 req/s fail until the DNS check at 65 s moves them...
    assert!(down[61] > 150.0, "{down:?}");
    // ...and nothing fails after: not at 105 s either, when the DNS's own check would find
    // the EU balancer up (it used to send EU users back then, into 15 s of failures).
    assert!(down[66..].iter().all(|d| *d == 0.0), "{down:?}");
    // And they do come home once the balancer sees its servers again.
    let eu = &r.nodes["web-eu"].utilization_series;
    assert!(eu[110] == 0.0 && eu[125] > 0.0, "{eu:?}");
}

#[test]
fn an_instance_started_again_during_an_earlier_boot_waits_for_its_own() {
    // A 2 s burst at 50 s scales the tier out; the instances are drained before their 8 s
    // boot ends, then started again by a second burst at 56 s. They must serve 8 s after the
    // second start, not when the first boot would have ended.
    let text = r#"{"version": 1, "duration_s": 80, "nodes": [
        {"id": "base", "kind": "client", "params": {"rps": 100, "users": 1000}},
        {"id": "burst1", "kind": "client", "params": {"rps": 2, "users": 1000,
         "profile": "spike", "spike_at_s": 50, "spike_s": 2, "spike_x": 400}},
        {"id": "burst2", "kind": "client", "params": {"rps": 2, "users": 1000,
         "profile": "spike", "spike_at_s": 56, "spike_s": 12, "spike_x": 400}},
        {"id": "lb", "kind": "load_balancer", "params": {"health_check_s": 0.1}},
        {"id": "web", "kind": "server", "params": {"instances": 2, "workers": 10,
         "queue": 100000, "service_ms": {"dist": "const", "mean": 20},
         "autoscale": {"min": 2, "max": 20, "target_utilization": 0.5, "cooldown_s": 1,
                       "boot_s": 8}}}],
      "edges": [{"from": "base", "to": "lb", "latency_ms": 0},
                {"from": "burst1", "to": "lb", "latency_ms": 0},
                {"from": "burst2", "to": "lb", "latency_ms": 0},
                {"from": "lb", "to": "web", "latency_ms": 0}]}"#;
    let r = run(text);
    let serving = r.nodes["web"]
        .instances
        .clone()
        .expect("an autoscaled tier");
    // Scaled out at 57 s at the earliest: no new instance serves before 65 s (it used to
    // serve at 59 s, when the first boot would have ended).
    assert!(serving[50..64].iter().all(|n| *n == 2), "{serving:?}");
    assert!(serving[66] > 2, "{serving:?}");
}
