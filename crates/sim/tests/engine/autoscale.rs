//! An autoscaled tier is as many instances as are running, not as many as it may grow to:
//! its standby slots take no users from the balancer, cannot fail, and do not keep the tier
//! "up" while its running instances are down; and an instance drained by scaling in keeps
//! its workers in the capacity until its last request is done.

use scaleplay_sim::{load, Report, Simulation};

fn run(text: &str) -> Report {
    Simulation::new(load(text).unwrap_or_else(|e| panic!("{e:?}")), 7).run()
}

/// A tier of one running instance that may grow to 20, under a load one instance carries
/// (so it never scales), behind a balancer using `algorithm`, with `extra` params.
fn small_tier(algorithm: &str, extra: &str, faults: &str) -> String {
    format!(
        r#"{{"version": 1, "duration_s": 600, "warmup_s": 0,
            "nodes": [
              {{"id": "users", "kind": "client", "params": {{"rps": 50, "users": 5000}}}},
              {{"id": "lb", "kind": "load_balancer", "params": {{"algorithm": "{algorithm}"}}}},
              {{"id": "web", "kind": "server",
                "params": {{{extra} "workers": 8, "service_ms": {{"dist": "exp", "mean": 10}},
                           "autoscale": {{"min": 1, "max": 20, "target_utilization": 0.9}}}}}}],
            "edges": [{{"from": "users", "to": "lb"}}, {{"from": "lb", "to": "web"}}],
            "faults": [{faults}]}}"#
    )
}

#[test]
fn only_running_instances_fail_at_random() {
    let r = run(&small_tier(
        "round_robin",
        r#""mtbf_s": 60, "mttr_s": 10,"#,
        "",
    ));
    // One instance runs (two while a failed one is being replaced); the other 18 slots never
    // do, so their failures (about 180 in 600 s at this MTBF) must not happen.
    assert!(
        !r.faults.is_empty(),
        "the running instance fails now and then"
    );
    assert!(r.faults.len() < 60, "{} faults", r.faults.len());
    for f in &r.faults {
        let i = f.instance.expect("random faults hit one instance");
        assert!(i < 4, "a fault of a standby slot that never ran: {f:?}");
    }
}

#[test]
fn a_tier_is_down_while_its_running_instances_are() {
    let r = run(&small_tier(
        "round_robin",
        "",
        r#"{"node": "web", "instance": 0, "at_s": 100, "action": "fail"},
           {"node": "web", "instance": 0, "at_s": 101, "action": "recover"}"#,
    ));
    // Down for the second between the fail and the recover: no standby slot counts as up.
    let up = r.nodes["web"].availability;
    assert!(up < 1.0, "the standby slots kept the tier up: {up}");
    assert!(up > 0.9, "{up}");
    assert!(r.summary.failed.down > 0);
}

#[test]
fn ip_hash_spreads_users_over_the_running_instances_only() {
    // Two running instances out of 20 slots, by a floor of 2, at 1,000 rps of 10 ms: 62 % busy
    // if the users are spread over both, overloaded if the slots' users pile onto one.
    let text = small_tier("ip_hash", "", "")
        .replace(r#""min": 1"#, r#""min": 2"#)
        .replace(r#""workers": 8"#, r#""instances": 2, "workers": 8"#)
        .replace(r#""rps": 50"#, r#""rps": 1000"#);
    let r = run(&text);
    let web = &r.nodes["web"];
    assert_eq!(web.instances.as_ref().unwrap().iter().max(), Some(&2));
    assert!(
        (web.utilization - 0.625).abs() < 0.03,
        "{}",
        web.utilization
    );
    let p99 = r.summary.latency_ms.p99;
    assert!(p99 < 60.0, "one instance took most users: p99 {p99} ms");
}

#[test]
fn the_capacity_analysis_counts_an_autoscaled_tier_at_its_maximum() {
    let model = load(&small_tier("round_robin", "", "")).unwrap();
    let cap = scaleplay_sim::capacity::analyze(&model);
    assert_eq!(cap.bottleneck.as_deref(), Some("web"));
    // 20 instances × 8 workers ÷ 10 ms.
    let max = cap.max_rps.unwrap();
    assert!((max - 16_000.0).abs() < 1.0, "{max}");
}

#[test]
fn a_drained_instance_counts_in_the_capacity_until_its_work_is_done() {
    // Four instances under a load one carries: the autoscaler drains three of them at once,
    // each still in the middle of 2-second requests. Their busy workers are busy, so their
    // workers count as capacity until they finish (utilization above 1 otherwise).
    let text = small_tier("round_robin", r#""instances": 4,"#, "")
        .replace(r#""rps": 50"#, r#""rps": 3"#)
        .replace(r#""workers": 8"#, r#""workers": 2"#)
        .replace(r#""mean": 10"#, r#""mean": 2000"#);
    let r = run(&text);
    let web = &r.nodes["web"];
    let instances = web.instances.as_ref().unwrap();
    assert_eq!(instances.first(), Some(&4));
    assert!(instances.iter().any(|n| *n < 4), "{instances:?}");
    let worst = web.utilization_series.iter().cloned().fold(0.0, f64::max);
    assert!(worst <= 1.0, "a window {worst} busy");
    assert!(web.utilization <= 1.0, "{}", web.utilization);
}

#[test]
fn a_tier_with_no_running_instance_answers_down() {
    // Instance 0 fails and is replaced by slot 1; it comes back as a standby slot (up, not
    // started). When slot 1 fails too, nothing runs until the autoscaler has booted another:
    // the requests in between find the tier down, instead of the standby slot serving them
    // (busy workers outside the capacity: utilization above 1). No balancer: the tier picks.
    let r = run(r#"{"version": 1, "duration_s": 300, "warmup_s": 0,
        "nodes": [
          {"id": "users", "kind": "client", "params": {"rps": 50, "users": 5000}},
          {"id": "web", "kind": "server",
           "params": {"workers": 8, "service_ms": {"dist": "exp", "mean": 10},
                      "autoscale": {"min": 1, "max": 4, "target_utilization": 0.9,
                                    "boot_s": 5}}}],
        "edges": [{"from": "users", "to": "web"}],
        "faults": [{"node": "web", "instance": 0, "at_s": 100, "action": "fail"},
                   {"node": "web", "instance": 0, "at_s": 170, "action": "recover"},
                   {"node": "web", "instance": 1, "at_s": 200, "action": "fail"}]}"#);
    let web = &r.nodes["web"];
    let worst = web.utilization_series.iter().cloned().fold(0.0, f64::max);
    assert!(worst <= 1.0, "a window {worst} busy");
    let down_rps = |t: usize| r.series[t - 1].down_rps;
    assert!(down_rps(201) > 30.0, "{:?}", &r.series[199..203]);
}

#[test]
fn a_failed_instance_is_replaced_at_once_not_after_the_cooldown() {
    // Three instances under a load that needs no more, deciding once every 300 s. Instance 0
    // fails for good at 100 s: a replacement boots in a spare slot within a second (5 s),
    // instead of at the next decision (300 s). The cooldown spaces out decisions about the
    // load, not repairs.
    let text = small_tier(
        "round_robin",
        r#""instances": 3,"#,
        r#"{"node": "web", "instance": 0, "at_s": 100, "action": "fail"}"#,
    )
    .replace(
        r#""min": 1, "max": 20, "target_utilization": 0.9"#,
        r#""min": 3, "max": 6, "target_utilization": 0.9, "cooldown_s": 300, "boot_s": 5"#,
    );
    let r = run(&text);
    let serving = r.nodes["web"].instances.as_ref().unwrap();
    // One point a second; point k covers second k.
    assert_eq!(serving[98], 3, "{:?}", &serving[95..110]);
    assert_eq!(serving[102], 2, "{:?}", &serving[95..110]);
    assert!(
        serving[108..300].iter().all(|n| *n == 3),
        "not replaced until the cooldown: {:?}",
        &serving[95..130]
    );
}

#[test]
fn a_worker_pool_scaled_on_depth_settles_near_the_instances_its_load_needs() {
    // 200 jobs/s of 100 ms on instances of 4 workers: 5 instances are fully busy, 6 keep up
    // with room. The pool used to count the jobs in progress against `target_depth` as if they
    // waited: 20 running jobs asked for 2 instances, so it swung between 2 and 20 and the
    // queue between empty and a thousand messages.
    let r = run(r#"{"version": 1, "duration_s": 300, "warmup_s": 0,
        "nodes": [
          {"id": "users", "kind": "client", "params": {"rps": 200, "mix": {"async": 1}}},
          {"id": "web", "kind": "server",
           "params": {"workers": 1000, "service_ms": {"dist": "const", "mean": 0.1}}},
          {"id": "jobs", "kind": "queue", "params": {}},
          {"id": "pool", "kind": "worker_pool",
           "params": {"workers": 4, "service_ms": {"dist": "const", "mean": 100},
                      "autoscale": {"min": 1, "max": 20, "target_depth": 10,
                                    "cooldown_s": 5, "boot_s": 5}}}],
        "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "jobs"},
                  {"from": "jobs", "to": "pool"}]}"#);
    // After the first minute (it starts from one instance, and overshoots once).
    let instances: Vec<f64> = r.nodes["pool"].instances.as_ref().unwrap()[60..]
        .iter()
        .map(|&n| f64::from(n))
        .collect();
    let low = instances.iter().cloned().fold(f64::MAX, f64::min);
    assert!(low >= 5.0, "scaled in below the load: {instances:?}");
    let mean = instances.iter().sum::<f64>() / instances.len() as f64;
    assert!(mean < 8.0, "held far more than it needs: {mean}");
    let depth = &r.nodes["jobs"].depth_series.as_ref().unwrap()[60..];
    let mean_depth = depth.iter().sum::<f64>() / depth.len() as f64;
    assert!(mean_depth < 50.0, "messages pile up: {mean_depth}");
}

/// With service times that vary, a pool sized to its jobs in progress exactly is busy all the
/// time and its queue grows again: it keeps headroom over them. 100 jobs/s of 100 ms
/// (exponential) on instances of 2 workers need 5 instances fully busy; sized so, the pool
/// swung between 5 and 16 instances and jobs waited up to a second (p99) for a worker.
#[test]
fn a_worker_pool_keeps_headroom_over_jobs_whose_lengths_vary() {
    let text = r#"{"version": 1, "duration_s": 300, "warmup_s": 100,
        "nodes": [
          {"id": "users", "kind": "client", "params": {"rps": 100, "mix": {"async": 1}}},
          {"id": "web", "kind": "server",
           "params": {"workers": 100, "service_ms": {"dist": "const", "mean": 1}}},
          {"id": "jobs", "kind": "queue", "params": {}},
          {"id": "pool", "kind": "worker_pool",
           "params": {"workers": 2, "service_ms": {"dist": "exp", "mean": 100},
                      "autoscale": {"min": 1, "max": 20, "target_depth": 10,
                                    "cooldown_s": 30, "boot_s": 10}}}],
        "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "jobs"},
                  {"from": "jobs", "to": "pool"}]}"#;
    for seed in 1..=5 {
        let r = Simulation::new(load(text).expect("valid"), seed).run();
        let steady = &r.nodes["pool"].instances.as_ref().unwrap()[100..];
        let (low, high) = (steady.iter().min().unwrap(), steady.iter().max().unwrap());
        assert!(*low >= 6 && *high <= 11, "seed {seed}: {steady:?}");
        let wait = r.nodes["jobs"].wait_ms.as_ref().expect("jobs waited").p99;
        assert!(wait < 300.0, "seed {seed}: p99 wait {wait} ms");
    }
}

/// A tier tracking utilization settles at what its load needs, ⌈λ·S / (c · target)⌉, even when
/// it decides again while new instances boot: those are counted as instances, but add no
/// capacity yet, so each such decision used to multiply the tier (2 → 4 → 8 → 14 here).
#[test]
fn decisions_during_a_boot_do_not_multiply_the_tier() {
    // 900 req/s × 20 ms over 10 workers at 50%: 3.6, so 4 instances; from 2, decisions
    // every 5 s while each new instance takes 10 s to boot.
    for (cooldown, boot) in [(5, 10), (10, 10), (2, 10)] {
        let text = format!(
            r#"{{"version": 1, "duration_s": 300, "nodes": [
                {{"id": "users", "kind": "client", "params": {{"rps": 900, "users": 1000}}}},
                {{"id": "lb", "kind": "load_balancer", "params": {{"health_check_s": 0.1}}}},
                {{"id": "web", "kind": "server", "params": {{"instances": 2, "workers": 10,
                  "queue": 100000, "service_ms": {{"dist": "const", "mean": 20}},
                  "autoscale": {{"min": 2, "max": 20, "target_utilization": 0.5,
                                 "cooldown_s": {cooldown}, "boot_s": {boot}}}}}}}],
              "edges": [{{"from": "users", "to": "lb", "latency_ms": 0}},
                        {{"from": "lb", "to": "web", "latency_ms": 0}}]}}"#
        );
        let r = run(&text);
        let serving = r.nodes["web"]
            .instances
            .clone()
            .expect("an autoscaled tier");
        let most = serving.iter().copied().max().unwrap_or(0);
        assert!(
            (4..=5).contains(&most),
            "cooldown {cooldown} s, boot {boot} s: {serving:?}"
        );
        assert_eq!(serving.last(), Some(&4), "{serving:?}");
    }
}

/// A tier that needs 4 instances, down whole for 6 s (or 30 s): it comes back with the 4 it
/// had, and keeps them. The outage did no work, which says nothing of the load, and just
/// after it the balancer still sends nothing until its health check sees the tier up. (The
/// decision after the 6 s outage averaged both in and scaled the tier in to 2, overloaded.)
#[test]
fn a_whole_tier_outage_does_not_scale_it_in() {
    for back_at in [106, 130] {
        let r = run(&format!(
            r#"{{"version": 1, "duration_s": 200, "warmup_s": 0, "nodes": [
              {{"id": "users", "kind": "client", "params": {{"rps": 2400, "users": 5000}}}},
              {{"id": "lb", "kind": "load_balancer", "params": {{"health_check_s": 1}}}},
              {{"id": "web", "kind": "server", "params": {{"instances": 4, "workers": 8,
                "service_ms": {{"dist": "exp", "mean": 10}},
                "autoscale": {{"min": 1, "max": 10, "target_utilization": 0.75,
                               "cooldown_s": 10, "boot_s": 20}}}}}}],
              "edges": [{{"from": "users", "to": "lb"}}, {{"from": "lb", "to": "web"}}],
              "faults": [{{"node": "web", "at_s": 100, "action": "fail"}},
                         {{"node": "web", "at_s": {back_at}, "action": "recover"}}]}}"#
        ));
        let instances = r.nodes["web"]
            .instances
            .as_ref()
            .expect("an autoscaled tier");
        // 24 busy workers at 75%: 4 instances of 8 workers, before and after the outage.
        assert_eq!(instances[98], 4, "{instances:?}");
        let after = &instances[back_at + 1..back_at + 60];
        assert!(
            after.iter().all(|&n| n >= 4),
            "back at {back_at}: {after:?}"
        );
        assert!(
            r.nodes["web"].utilization_series[back_at + 20..back_at + 60]
                .iter()
                .all(|&u| u < 0.9),
            "not overloaded after {back_at}"
        );
    }
}

/// A cooldown follows a decision. At the start none was made, so a tier too small for its
/// load scales out at the first check instead of waiting a whole cooldown with its backlog
/// growing (preset 10 at twice its rate sat 24 s at 100 %); scaling in still waits for it.
#[test]
fn the_first_scale_out_does_not_wait_for_a_cooldown_and_scaling_in_does() {
    // 900 req/s × 20 ms over 10 workers at 50 %: 4 instances; one decision a minute.
    let tier = |instances: u32| {
        format!(
            r#"{{"version": 1, "duration_s": 200, "nodes": [
                {{"id": "users", "kind": "client", "params": {{"rps": 900, "users": 1000}}}},
                {{"id": "lb", "kind": "load_balancer", "params": {{"health_check_s": 0.1}}}},
                {{"id": "web", "kind": "server", "params": {{"instances": {instances},
                  "workers": 10, "queue": 100000, "service_ms": {{"dist": "const", "mean": 20}},
                  "autoscale": {{"min": 2, "max": 20, "target_utilization": 0.5,
                                 "cooldown_s": 60, "boot_s": 5}}}}}}],
              "edges": [{{"from": "users", "to": "lb", "latency_ms": 0}},
                        {{"from": "lb", "to": "web", "latency_ms": 0}}]}}"#
        )
    };
    let small = run(&tier(2));
    let serving = small.nodes["web"].instances.clone().expect("autoscaled");
    // Point k covers second k: decided at 1 s, booted by 6 s.
    assert!(
        serving[8] >= 4,
        "still waiting for the cooldown: {serving:?}"
    );
    assert_eq!(serving.last(), Some(&4), "{serving:?}");

    let large = run(&tier(8));
    let serving = large.nodes["web"].instances.clone().expect("autoscaled");
    assert!(
        serving[..59].iter().all(|n| *n == 8),
        "scaled in before the cooldown: {serving:?}"
    );
    assert_eq!(serving.last(), Some(&4), "{serving:?}");
}

/// A cooldown follows a decision that changed the tier's size, not one that held it (as a
/// cloud autoscaler's does): a burst just after a hold is answered at the next check. A hold
/// started a cooldown too, so the tier grew only on a grid of cooldowns: with decisions at
/// 20 s and 40 s, a burst at 21 s waited 19 s for its scale-out.
#[test]
fn a_hold_starts_no_cooldown_so_a_burst_after_it_scales_out_at_the_next_check() {
    // 100 req/s × 20 ms over 10 workers: 0.2 instances' worth, so the 2 held until the burst
    // (×8: 1.6 instances at 50 % asks for 4) from 21 s to 61 s.
    let text = r#"{"version": 1, "duration_s": 90, "warmup_s": 0, "nodes": [
        {"id": "users", "kind": "client", "params": {"rps": 100, "users": 1000,
          "profile": "spike", "spike_at_s": 21, "spike_s": 40, "spike_x": 8}},
        {"id": "lb", "kind": "load_balancer", "params": {"health_check_s": 0.1}},
        {"id": "web", "kind": "server", "params": {"instances": 2, "workers": 10,
          "queue": 100000, "service_ms": {"dist": "const", "mean": 20},
          "autoscale": {"min": 2, "max": 20, "target_utilization": 0.5,
                        "cooldown_s": 20, "boot_s": 0}}}],
      "edges": [{"from": "users", "to": "lb", "latency_ms": 0},
                {"from": "lb", "to": "web", "latency_ms": 0}]}"#;
    let serving = run(text).nodes["web"]
        .instances
        .clone()
        .expect("autoscaled");
    // Point k covers second k: held at 20 s; the burst is seen at the check of 22 s.
    assert!(
        serving[..21].iter().all(|n| *n == 2),
        "scaled before the burst: {serving:?}"
    );
    assert!(
        serving[24] >= 3,
        "waited for the cooldown of the hold at 20 s: {serving:?}"
    );
}

/// A tier with a cloud-like 300 s cooldown meets a tenfold spike 250 s into the run, long
/// after its last decision. It weighs the last minute's work, not all 250 s of calm since that
/// decision (which held it at 2 until 302 s, then gave it 4), and scales out again during the
/// cooldown while it still needs more: the spike needs ~20 busy workers, 9 instances of 4 at
/// 60 %.
#[test]
fn a_spike_long_after_the_last_decision_is_met_within_a_minute() {
    let r = run(
        r#"{"version": 1, "duration_s": 400, "warmup_s": 0, "nodes": [
        {"id": "c", "kind": "client", "params": {"rps": 100, "profile": "spike",
          "spike_at_s": 250, "spike_s": 100, "spike_x": 10, "timeout_ms": 1000}},
        {"id": "lb", "kind": "load_balancer", "params": {"health_check_s": 1}},
        {"id": "s", "kind": "server", "params": {"instances": 2, "workers": 4, "queue": 50,
          "service_ms": {"dist": "exp", "mean": 20},
          "autoscale": {"min": 2, "max": 10, "target_utilization": 0.6, "cooldown_s": 300,
                        "boot_s": 1}}}],
      "edges": [{"from": "c", "to": "lb"}, {"from": "lb", "to": "s"}]}"#,
    );
    let instances = r.nodes["s"]
        .instances
        .clone()
        .expect("an autoscaled tier's");
    // Windows of 1 s: index t is the second ending at t + 1 s.
    assert!(instances[..250].iter().all(|&n| n == 2), "{instances:?}");
    let first_out = instances
        .iter()
        .position(|&n| n > 2)
        .expect("it scales out");
    assert!(
        (250..300).contains(&first_out),
        "first scale-out in the second ending at {} s",
        first_out + 1
    );
    assert!(
        instances[310..350].iter().all(|&n| n >= 8),
        "{:?}",
        &instances[250..350]
    );
}
