//! Faults from several causes at once: each cause holds a part down until its own recovery,
//! and only what starts or ends an outage is logged (and marked on the plots). The retries
//! failures cause are counted when they are sent.

use scaleplay_sim::engine::FailoverAction;
use scaleplay_sim::scenario::FaultAction;
use scaleplay_sim::{load, Report, SimTime, Simulation};

/// One client at 100 rps on one server in `dc1`, with `extra` params on the server and
/// `faults` scheduled.
fn scenario(extra: &str, faults: &str) -> String {
    format!(
        r#"{{"version": 1, "duration_s": 120, "warmup_s": 0, "nodes": [
            {{"id": "c", "kind": "client", "dc": "dc0", "params": {{"rps": 100}}}},
            {{"id": "s", "kind": "server", "dc": "dc1", "params": {{"workers": 50,
              "service_ms": {{"dist": "const", "mean": 2}}{extra}}}}},
            {{"id": "t", "kind": "server", "dc": "dc1", "params": {{}}}}],
          "edges": [{{"from": "c", "to": "s", "latency_ms": 1}},
                    {{"from": "c", "to": "t", "latency_ms": 1}}],
          "faults": [{faults}]}}"#
    )
}

fn run(text: &str) -> Report {
    Simulation::new(load(text).expect("a valid scenario"), 5).run()
}

/// The server's utilization in the window ending at `t_s`: 0 while it is down.
fn served_in(r: &Report, t_s: usize) -> f64 {
    r.nodes["s"].utilization_series[t_s - 1]
}

/// The fault log as (time, node, action, source).
fn log(r: &Report) -> Vec<(f64, &str, FaultAction, &str)> {
    r.faults
        .iter()
        .map(|f| (f.t_s, f.node.as_str(), f.action, f.source.as_str()))
        .collect()
}

/// A server scheduled down from 50 s to 100 s that also fails at random (mean 5 s up, 2 s
/// down): no random repair ends the scheduled outage early. (One used to: the node served
/// again within 3 s of the scheduled failure.) Random failures of the part already down are
/// neither applied nor logged.
#[test]
fn a_random_repair_does_not_end_a_scheduled_outage() {
    let r = run(&scenario(
        r#", "mtbf_s": 5, "mttr_s": 2"#,
        r#"{"node": "s", "at_s": 50, "action": "fail"},
           {"node": "s", "at_s": 100, "action": "recover"}"#,
    ));
    for t in 51..=100 {
        assert_eq!(served_in(&r, t), 0.0, "served in window {t}");
    }
    assert!(
        served_in(&r, 102) > 0.0,
        "{:?}",
        r.nodes["s"].utilization_series
    );
    let random_inside = r
        .faults
        .iter()
        .filter(|f| f.source == "random" && f.t_s > 50.0 && f.t_s < 100.0)
        .count();
    // At most one: a random failure before 50 s whose repair falls inside the outage changes
    // nothing and is not logged; none starts while the part is down.
    assert_eq!(random_inside, 0, "{:?}", log(&r));
    // Random faults happened outside it, so the test exercised both causes.
    assert!(r.faults.iter().filter(|f| f.source == "random").count() > 4);
}

/// A node down on its own (10–50 s) inside a data center outage (20–30 s): the data center's
/// recovery revives the others in it, not that node.
#[test]
fn a_data_centers_recovery_leaves_its_failed_nodes_down() {
    let r = run(&scenario(
        "",
        r#"{"node": "s", "at_s": 10, "action": "fail"},
           {"dc": "dc1", "at_s": 20, "action": "fail"},
           {"dc": "dc1", "at_s": 30, "action": "recover"},
           {"node": "s", "at_s": 50, "action": "recover"}"#,
    ));
    for t in 11..=50 {
        assert_eq!(served_in(&r, t), 0.0, "served in window {t}");
    }
    assert!(served_in(&r, 52) > 0.0);
    let t = &r.nodes["t"].utilization_series;
    assert_eq!(t[24], 0.0);
    assert!(t[34] > 0.0, "{t:?}");
    // The data center's failure and recovery changed nothing for `s`: only `t`'s are logged.
    assert_eq!(
        log(&r),
        vec![
            (10.0, "s", FaultAction::Fail, "scheduled"),
            (20.0, "t", FaultAction::Fail, "scheduled"),
            (30.0, "t", FaultAction::Recover, "scheduled"),
            (50.0, "s", FaultAction::Recover, "scheduled"),
        ]
    );
}

/// A recovery of a part that is up, or a failure of one already down, is not logged: a plot
/// marker for it would point at a change that did not happen.
#[test]
fn faults_that_change_nothing_are_not_logged() {
    let r = run(&scenario(
        "",
        r#"{"node": "s", "at_s": 5, "action": "recover"},
           {"node": "s", "at_s": 10, "action": "fail"},
           {"node": "s", "at_s": 20, "action": "fail"},
           {"node": "s", "at_s": 30, "action": "recover"}"#,
    ));
    assert_eq!(
        log(&r),
        vec![
            (10.0, "s", FaultAction::Fail, "scheduled"),
            (30.0, "s", FaultAction::Recover, "scheduled"),
        ]
    );
}

/// A user who recovers a part mid-run ends what a scheduled recovery of it ends, its own
/// failure: the app writes it into the scenario as one, and the shared link must replay the
/// run. Inside a data center's outage the part stays down until the data center is back.
/// (A manual recovery used to end every cause, so the live run and its replay differed.)
#[test]
fn a_manual_recovery_ends_what_a_scheduled_one_does() {
    let text = scenario(
        "",
        r#"{"dc": "dc1", "at_s": 10, "action": "fail"}, {"dc": "dc1", "at_s": 40, "action": "recover"}"#,
    );
    let mut sim = Simulation::new(load(&text).unwrap(), 5);
    sim.run_until(SimTime::from_secs(20.0));
    sim.inject("s", FaultAction::Recover, None).unwrap();
    sim.run_until(sim.end());
    let r = sim.report();
    assert_eq!(served_in(&r, 22), 0.0, "still inside the outage");
    assert!(served_in(&r, 42) > 0.0, "back with its data center");

    // Its own failure, though, it ends.
    let mut sim = Simulation::new(load(&scenario("", "")).unwrap(), 5);
    sim.run_until(SimTime::from_secs(10.0));
    sim.inject("s", FaultAction::Fail, None).unwrap();
    sim.run_until(SimTime::from_secs(20.0));
    sim.inject("s", FaultAction::Recover, None).unwrap();
    sim.run_until(sim.end());
    let r = sim.report();
    assert_eq!(served_in(&r, 15), 0.0);
    assert!(served_in(&r, 22) > 0.0);
    assert_eq!(
        log(&r).last(),
        Some(&(20.0, "s", FaultAction::Recover, "manual"))
    );
}

/// What holds a node down, cause by cause and instance by instance, as the app asks before
/// "Fail now" and "Recover now": a scheduled failure of one of two instances, then the data
/// center's outage over both, then a failure by hand.
#[test]
fn down_causes_count_each_cause_per_instance() {
    let text = scenario(
        r#", "instances": 2"#,
        r#"{"node": "s", "instance": 0, "at_s": 10, "action": "fail"},
           {"dc": "dc1", "at_s": 20, "action": "fail"}, {"dc": "dc1", "at_s": 30, "action": "recover"}"#,
    );
    let mut sim = Simulation::new(load(&text).unwrap(), 5);
    let at = |sim: &mut Simulation, t: f64| {
        sim.run_until(SimTime::from_secs(t));
        sim.down_causes("s").unwrap()
    };
    let causes = at(&mut sim, 5.0);
    assert_eq!((causes.instances, causes.own, causes.serving), (2, 0, 2));
    let causes = at(&mut sim, 15.0);
    assert_eq!((causes.own, causes.data_center, causes.serving), (1, 0, 1));
    let causes = at(&mut sim, 25.0);
    assert_eq!((causes.own, causes.data_center, causes.serving), (1, 2, 0));
    sim.inject("s", FaultAction::Fail, None).unwrap();
    let causes = sim.down_causes("s").unwrap();
    assert_eq!((causes.own, causes.data_center, causes.random), (2, 2, 0));
    let causes = at(&mut sim, 35.0);
    assert_eq!((causes.own, causes.data_center, causes.serving), (2, 0, 0));
    sim.inject("s", FaultAction::Recover, None).unwrap();
    let causes = sim.down_causes("s").unwrap();
    assert_eq!((causes.own, causes.serving), (0, 2));
    assert_eq!(sim.down_causes("nope"), None);
}

/// One instance's causes, as the app asks before "Fail now" on instance 1: each count is that
/// instance's alone, and an instance the node lacks has none.
#[test]
fn down_causes_of_one_instance() {
    let text = scenario(
        r#", "instances": 2"#,
        r#"{"node": "s", "instance": 0, "at_s": 10, "action": "fail"}"#,
    );
    let mut sim = Simulation::new(load(&text).unwrap(), 5);
    sim.run_until(SimTime::from_secs(15.0));
    let of = |sim: &Simulation, i| sim.instance_down_causes("s", Some(i)).unwrap();
    let (first, second) = (of(&sim, 0), of(&sim, 1));
    assert_eq!((first.instances, first.own, first.serving), (1, 1, 0));
    assert_eq!((second.instances, second.own, second.serving), (1, 0, 1));
    assert_eq!(sim.instance_down_causes("s", None), sim.down_causes("s"));
    assert_eq!(sim.instance_down_causes("s", Some(2)), None);
    // Failed by hand, instance 1 is held by it too; the node is then down.
    sim.inject("s", FaultAction::Fail, Some(1)).unwrap();
    assert_eq!((of(&sim, 1).own, of(&sim, 1).serving), (1, 0));
    assert_eq!(sim.down_causes("s").unwrap().serving, 0);
}

/// A server down the whole run, and a client that retries once after 30 s: requests of the
/// run's second half are never retried before it ends, so only the first half's count.
/// (Every request counted a retry when it failed, sent or not.)
#[test]
fn retries_due_after_the_end_are_not_counted() {
    let text = r#"{"version": 1, "duration_s": 60, "warmup_s": 0, "nodes": [
        {"id": "c", "kind": "client", "params": {"rps": 100, "retries": 1,
          "retry_backoff_ms": 30000}},
        {"id": "s", "kind": "server", "params": {}}],
      "edges": [{"from": "c", "to": "s", "latency_ms": 0}],
      "faults": [{"node": "s", "at_s": 0, "action": "fail"}]}"#;
    let r = run(text);
    let s = &r.summary;
    // Requests offered in the first 30 s (about 3,000 of about 6,000) are retried in time.
    let share = s.retries as f64 / s.offered as f64;
    assert!(
        (share - 0.5).abs() < 0.03,
        "{} retries of {}",
        s.retries,
        s.offered
    );
    // Each attempt sent reached the server and was answered "down" there.
    assert_eq!(r.nodes["s"].down, s.offered + s.retries);
}

/// A data center's outage leaves a DNS up, even one left at the default `dc` (dc1): DNS is a
/// global service. It used to die with dc1, so the users of the surviving dc2 failed too
/// (65% available, as dc1's) instead of being answered throughout.
#[test]
fn a_data_center_outage_leaves_the_dns_up() {
    let text = r#"{"version": 1, "duration_s": 120, "warmup_s": 0, "nodes": [
        {"id": "u1", "kind": "client", "dc": "dc1", "params": {"rps": 100}},
        {"id": "u2", "kind": "client", "dc": "dc2", "params": {"rps": 100}},
        {"id": "dns", "kind": "dns", "params": {"geo": true, "health_check_s": 5}},
        {"id": "w1", "kind": "server", "dc": "dc1", "params": {"workers": 50}},
        {"id": "w2", "kind": "server", "dc": "dc2", "params": {"workers": 50}}],
      "edges": [{"from": "u1", "to": "dns"}, {"from": "u2", "to": "dns"},
                {"from": "dns", "to": "w1"}, {"from": "dns", "to": "w2"}],
      "faults": [{"dc": "dc1", "at_s": 40, "action": "fail"},
                 {"dc": "dc1", "at_s": 80, "action": "recover"}]}"#;
    let r = run(text);
    let (u1, u2) = (&r.clients["u1"], &r.clients["u2"]);
    assert_eq!(
        u2.failed.down, 0,
        "dc2's users are answered throughout: {u2:?}"
    );
    // dc1's users fail only until GeoDNS notices (its next check, at most 5 s: ~500).
    assert!(
        u1.failed.down > 0 && u1.failed.down <= 600,
        "dc1's users move to dc2 once the DNS sees the outage: {u1:?}"
    );
    assert!(
        log(&r).iter().all(|(_, node, _, _)| *node != "dns"),
        "{:?}",
        r.faults
    );
}

/// A balancer, CDN or shard router that crashes loses the requests below it, as a server
/// loses those it holds: about 200 requests were inside the balancer (2 s of work at 100 a
/// second) when it went down for 0.1 s, and all of them used to succeed. Their clients hear
/// of it at the crash, not when the work below ends (they did, up to 2 s later).
#[test]
fn a_proxy_that_crashes_loses_the_requests_below_it() {
    for (kind, params, op) in [
        ("load_balancer", "{}", "read"),
        ("cdn", r#"{"hit_ratio": 0}"#, "static"),
    ] {
        let text = format!(
            r#"{{"version": 1, "duration_s": 60, "warmup_s": 0, "nodes": [
                {{"id": "c", "kind": "client", "params": {{"rps": 100, "mix": {{"{op}": 1}}}}}},
                {{"id": "p", "kind": "{kind}", "params": {params}}},
                {{"id": "s", "kind": "server", "params": {{"workers": 1000,
                  "service_ms": {{"dist": "const", "mean": 2000}}}}}}],
              "edges": [{{"from": "c", "to": "p"}}, {{"from": "p", "to": "s"}}],
              "faults": [{{"node": "p", "at_s": 30, "action": "fail"}},
                         {{"node": "p", "at_s": 30.1, "action": "recover"}}]}}"#
        );
        let r = run(&text);
        let down = r.summary.failed.down;
        assert!(
            (150..=260).contains(&down),
            "{kind}: {down} down, where ~200 were inside and ~10 arrived during the outage"
        );
        // In the crash's second (30-31 s), all of them.
        let down_then = r.series[30].down_rps;
        assert!(
            (down_then - down as f64).abs() < 1e-9,
            "{kind}: {down_then} down in the crash's second of {down}"
        );
        // The server still did its work, for no one: it answered nothing "down".
        assert_eq!(r.nodes["s"].down, 0, "{kind}");
        let s = &r.summary;
        assert_eq!(
            s.offered,
            s.succeeded + s.failed.down + s.in_flight,
            "{kind}"
        );
    }
}

/// A server that crashes while its requests wait on a call below answers them "down" at once,
/// as a reset connection is seen: here ~100 reads wait 1 s on the database when the web
/// server goes down for 0.1 s. They failed only when their reads came back, up to a second
/// later, and so their retries found the server up again. Now they fail at the crash and
/// their retries (no backoff) find it still down; the database finishes the reads anyway.
#[test]
fn a_crash_answers_the_requests_waiting_below_at_once() {
    let text = r#"{"version": 1, "duration_s": 20, "warmup_s": 0, "nodes": [
        {"id": "c", "kind": "client", "params": {"rps": 100, "retries": 1,
          "retry_backoff_ms": 0}},
        {"id": "web", "kind": "server", "params": {"workers": 1000,
          "service_ms": {"dist": "const", "mean": 1}}},
        {"id": "db", "kind": "sql_primary", "params": {"workers": 1000,
          "read_ms": {"dist": "const", "mean": 1000}}}],
      "edges": [{"from": "c", "to": "web"}, {"from": "web", "to": "db"}],
      "faults": [{"node": "web", "at_s": 10.5, "action": "fail"},
                 {"node": "web", "at_s": 10.6, "action": "recover"}]}"#;
    let r = run(text);
    let s = &r.summary;
    assert!(
        (80..=140).contains(&s.failed.down),
        "{} down, where ~100 waited and ~10 arrived during the outage",
        s.failed.down
    );
    // Each failure's one retry was sent at once and failed too: none waited for the read.
    assert_eq!(s.retries, s.failed.down);
    let down_then = r.series[10].down_rps;
    assert!(
        (down_then - s.failed.down as f64).abs() < 1e-9,
        "{down_then} down in the crash's second of {}",
        s.failed.down
    );
    assert!(
        s.latency_ms.max < 1_010.0,
        "no success waited for a second read: {:?}",
        s.latency_ms
    );
    // The database did the orphaned reads (~100 more than the answers that came of them).
    let (db, web) = (&r.nodes["db"], &r.nodes["web"]);
    assert!(
        db.succeeded >= web.succeeded + 80,
        "{} vs {}",
        db.succeeded,
        web.succeeded
    );
    assert_eq!(s.offered, s.succeeded + s.failed.down + s.in_flight);
}

/// A least-connections balancer that crashes closes the connections it had open to its
/// servers: after it is back it splits its traffic as it would have without the crash.
/// Counted open for ever, the connections to `a` (~40: 2 s reads, and all the traffic while
/// `b` was down) kept it looking busy, and the balancer sent it almost nothing.
#[test]
fn a_crashed_balancer_closes_its_connections() {
    let text = |faults: &str| {
        format!(
            r#"{{"version": 1, "duration_s": 60, "warmup_s": 30, "nodes": [
                {{"id": "c", "kind": "client", "params": {{"rps": 200}}}},
                {{"id": "lb", "kind": "load_balancer",
                  "params": {{"algorithm": "least_connections", "health_check_s": 1}}}},
                {{"id": "a", "kind": "server", "params": {{"workers": 1000,
                  "service_ms": {{"dist": "const", "mean": 1}}}}}},
                {{"id": "b", "kind": "server", "params": {{"workers": 1000,
                  "service_ms": {{"dist": "const", "mean": 100}}}}}},
                {{"id": "db", "kind": "sql_primary", "params": {{"workers": 1000,
                  "read_ms": {{"dist": "exp", "mean": 2000}}}}}}],
              "edges": [{{"from": "c", "to": "lb"}}, {{"from": "lb", "to": "a"}},
                        {{"from": "lb", "to": "b"}}, {{"from": "a", "to": "db"}}],
              "faults": [{faults}]}}"#
        )
    };
    // `b` is down when the balancer crashes: all its open connections are to `a`.
    let b_down = r#"{"node": "b", "at_s": 15, "action": "fail"},
                    {"node": "b", "at_s": 22, "action": "recover"}"#;
    let calm = run(&text(b_down));
    let crashed = run(&text(&format!(
        r#"{b_down}, {{"node": "lb", "at_s": 20, "action": "fail"}},
           {{"node": "lb", "at_s": 20.1, "action": "recover"}}"#
    )));
    let (before, after) = (
        calm.nodes["a"].throughput_rps,
        crashed.nodes["a"].throughput_rps,
    );
    assert!(
        before > 5.0,
        "{before} rps to the slow server without a crash"
    );
    assert!(
        (after - before).abs() < 0.2 * before,
        "{after:.1} rps to the slow server after the crash, {before:.1} without one"
    );
}

/// A server that crashes answers the requests it was serving at once, as a lost connection
/// is seen: the ~400 requests inside 4 s services fail in the second of the crash, not spread
/// over the 4 s their services would have taken (they were, until the in-service work was
/// answered at the crash). Afterwards only the new arrivals fail, 100 a second.
#[test]
fn a_crash_answers_the_requests_in_service_at_once() {
    let text = r#"{"version": 1, "duration_s": 60, "warmup_s": 0, "nodes": [
        {"id": "c", "kind": "client", "params": {"rps": 100}},
        {"id": "s", "kind": "server", "params": {"workers": 1000,
          "service_ms": {"dist": "const", "mean": 4000}}}],
      "edges": [{"from": "c", "to": "s"}],
      "faults": [{"node": "s", "at_s": 30, "action": "fail"},
                 {"node": "s", "at_s": 50, "action": "recover"}]}"#;
    let r = run(text);
    let down_in = |t_s: usize| r.series[t_s - 1].down_rps;
    assert!(
        (430.0..=560.0).contains(&down_in(31)),
        "{} down in the crash's second, where ~400 were in service and ~100 arrived",
        down_in(31)
    );
    for t_s in 32..=35 {
        assert!(
            (70.0..=130.0).contains(&down_in(t_s)),
            "{} down in the second ending at {t_s} s, where ~100 arrived",
            down_in(t_s)
        );
    }
    // Each was the server's own outage, counted once, and nothing it served is lost.
    assert_eq!(r.nodes["s"].down, r.summary.failed.down);
    let s = &r.summary;
    assert_eq!(s.offered, s.succeeded + s.failed.down + s.in_flight);
}

/// A crashed CDN edge comes back cold, as a crashed cache does: it came back holding every
/// object it had, its hit ratio the same in the second after the recovery as before the crash.
#[test]
fn a_cdn_edge_comes_back_cold_after_a_crash() {
    let text = r#"{"version": 1, "duration_s": 60, "warmup_s": 0, "nodes": [
        {"id": "c", "kind": "client", "params": {"rps": 2000, "users": 100000, "zipf_s": 1.0,
          "mix": {"static": 1.0}}},
        {"id": "edge", "kind": "cdn", "params": {"capacity_keys": 20000}},
        {"id": "origin", "kind": "object_store"}],
      "edges": [{"from": "c", "to": "edge"}, {"from": "edge", "to": "origin"}],
      "faults": [{"node": "edge", "at_s": 30, "action": "fail"},
                 {"node": "edge", "at_s": 40, "action": "recover"}]}"#;
    let r = run(text);
    let hits = r.nodes["edge"].hit_ratio_series.clone().expect("a CDN's");
    let ratio = |t_s: usize| hits[t_s - 1].expect("requests reached the edge");
    // Warm before the crash; back to its cold start's ratio in the second after it.
    assert!(ratio(30) > ratio(1) + 0.2, "{hits:?}");
    assert!(ratio(41) < ratio(30) - 0.2, "came back warm: {hits:?}");
    assert!((ratio(41) - ratio(1)).abs() < 0.1, "{hits:?}");
}

/// A session store's instance that crashes comes back without the sessions it held, as a
/// stateful server's does: its users log in again at their next request. It kept them, and
/// the store reported no loss.
#[test]
fn a_crashed_session_store_instance_loses_its_sessions() {
    let text = |faults: &str| {
        format!(
            r#"{{"version": 1, "duration_s": 90, "warmup_s": 0, "nodes": [
                {{"id": "c", "kind": "client", "params": {{"rps": 200, "users": 1000}}}},
                {{"id": "web", "kind": "server", "params": {{"workers": 50}}}},
                {{"id": "sessions", "kind": "session_store", "params": {{"instances": 2}}}}],
              "edges": [{{"from": "c", "to": "web"}}, {{"from": "web", "to": "sessions"}}],
              "faults": [{faults}]}}"#
        )
    };
    let calm = run(&text(""));
    assert_eq!(calm.nodes["sessions"].sessions_lost, Some(0));
    assert_eq!(calm.summary.sessions_lost, 0);
    let r = run(&text(
        r#"{"node": "sessions", "instance": 1, "at_s": 20, "action": "fail"},
           {"node": "sessions", "instance": 1, "at_s": 30, "action": "recover"}"#,
    ));
    // About half the 1,000 users keep their session on instance 1; most of those seen before
    // the crash come back in the minute after it (the unpopular ones of the Zipf population
    // may not): each loses it once.
    let lost = r.nodes["sessions"]
        .sessions_lost
        .expect("a session store's");
    assert!((200..=550).contains(&lost), "{lost} sessions lost");
    assert_eq!(r.summary.sessions_lost, lost);
    // Its series says when: none before the crash, most in the seconds after the instance is
    // back (without a warm-up, the series adds up to the total).
    let series = r.nodes["sessions"]
        .sessions_lost_series
        .as_ref()
        .expect("a session store's series");
    assert_eq!(series.len(), 90);
    assert_eq!(series.iter().sum::<u64>(), lost);
    assert!(series[..20].iter().all(|n| *n == 0), "{series:?}");
    assert!(series[30..40].iter().sum::<u64>() > lost / 2, "{series:?}");
    // A node that keeps no sessions has no such series.
    assert!(r.nodes["web"].sessions_lost_series.is_none());
}

#[test]
fn writes_to_a_replica_promoted_across_data_centers_pay_the_distance() {
    // The web tier and its primary are in Europe, the primary's one replica in the US, 80 ms
    // away over the replication edge; the primary fails at 30 s and the replica takes over a
    // second later. The web tier has no edge of its own to the replica: its calls there
    // cross the ocean all the same (they paid no network at all, and got faster).
    let r = run(
        r#"{"version": 1, "duration_s": 60, "warmup_s": 5, "nodes": [
        {"id": "users", "kind": "client", "dc": "eu",
         "params": {"rps": 100, "mix": {"read": 0.5, "write": 0.5}}},
        {"id": "web", "kind": "server", "dc": "eu",
         "params": {"workers": 64, "service_ms": {"dist": "const", "mean": 1}}},
        {"id": "primary", "kind": "sql_primary", "dc": "eu",
         "params": {"read_ms": {"dist": "const", "mean": 1},
                    "write_ms": {"dist": "const", "mean": 1}, "failover_s": 1}},
        {"id": "replica", "kind": "sql_replica", "dc": "us",
         "params": {"read_ms": {"dist": "const", "mean": 1}}}],
      "edges": [{"from": "users", "to": "web", "latency_ms": 1},
                {"from": "web", "to": "primary", "latency_ms": 1},
                {"from": "primary", "to": "replica", "latency_ms": 80}],
      "faults": [{"node": "primary", "at_s": 30, "action": "fail"}]}"#,
    );
    let mean = |t: usize| r.series[t].mean_ms;
    // Client ↔ web 2 ms, web 1 ms, web ↔ primary 2 ms, primary 1 ms.
    assert!((mean(20) - 6.0).abs() < 0.01, "{}", mean(20));
    // Web ↔ replica 160 ms instead of the primary's 2.
    assert!((mean(40) - 164.0).abs() < 0.01, "{}", mean(40));
}

#[test]
fn a_primary_back_after_two_failovers_replays_the_writes_of_both() {
    // The primary fails at 100 s; r1 takes its writes from 105 s, fails at 145 s, and r2 takes
    // them from 150 s. The primary is back at 152 s with 47 s of writes to replay, at the
    // replay's three seconds gained a second: it takes the writes back near 167.7 s (it
    // counted only r2's two seconds and took them back at once).
    let r = run(&web_and_database(
        5.0,
        &["r1", "r2"],
        r#"{"node": "pri", "at_s": 100, "action": "fail"},
           {"node": "r1", "at_s": 145, "action": "fail"},
           {"node": "pri", "at_s": 152, "action": "recover"}"#,
    ));
    let busy = &r.nodes["pri"].utilization_series;
    // Windows ending at 153–167 s: replaying, no work; from the window ending at 168 s, the
    // writes.
    assert!(busy[152..167].iter().all(|u| *u == 0.0), "{busy:?}");
    // 100 writes a second of 10 ms on 16 workers keep it 6.25% busy; one second's share is
    // noisy (4–9%), ten seconds' is not.
    let after: f64 = busy[168..178].iter().sum::<f64>() / 10.0;
    assert!(busy[167] > 0.0 && after > 0.05, "{after}: {busy:?}");
}

/// Every change of the node taking the primary's writes is in the report's `failovers`, so
/// the plots can mark when writes work again (the fault log says only when the primary
/// failed and recovered).
#[test]
fn the_report_lists_each_failover() {
    let r = run(&web_and_database(
        5.0,
        &["r1", "r2"],
        r#"{"node": "pri", "at_s": 100, "action": "fail"},
           {"node": "r1", "at_s": 145, "action": "fail"},
           {"node": "pri", "at_s": 152, "action": "recover"},
           {"node": "r2", "at_s": 180, "action": "fail"}"#,
    ));
    let listed: Vec<(f64, &str, &str, FailoverAction)> = r
        .failovers
        .iter()
        .map(|f| (f.t_s, f.primary.as_str(), f.replica.as_str(), f.action))
        .collect();
    assert_eq!(listed.len(), 4, "{listed:?}");
    assert_eq!(listed[0], (105.0, "pri", "r1", FailoverAction::Promoted));
    // r1 fails while promoted, the primary still down: writes fail again until r2's turn.
    assert_eq!(
        listed[1],
        (145.0, "pri", "r1", FailoverAction::ReplicaFailed)
    );
    assert_eq!(listed[2], (150.0, "pri", "r2", FailoverAction::Promoted));
    // Back at 152 s, the primary replays 47 s of writes at three seconds a second.
    let (t, primary, replica, action) = listed[3];
    assert_eq!(
        (primary, replica, action),
        ("pri", "r2", FailoverAction::FailedBack)
    );
    assert!((t - 167.667).abs() < 0.01, "{t}");
    assert_eq!(r.run.failovers_unlisted, 0);

    // A run without a primary's failure has none, and its JSON no `failovers` key.
    let r = run(&web_and_database(5.0, &["r1"], ""));
    assert!(r.failovers.is_empty());
    let json = serde_json::to_string(&r).expect("report JSON");
    assert!(!json.contains("failovers"), "{json}");
}

#[test]
fn behind_a_shard_router_a_promoted_replica_leaves_the_reads_to_the_other() {
    // 450 reads and 50 writes a second through a shard router to one primary with two
    // replicas; the primary is down from 100 s to 190 s, and r1 takes its writes from 105 s.
    // Then r2 takes every read, as it does for a server reading from the replicas itself
    // (r1 went on taking half of them on top of every write).
    let r = run(
        r#"{"version": 1, "duration_s": 200, "warmup_s": 20, "nodes": [
        {"id": "users", "kind": "client",
         "params": {"rps": 500, "mix": {"read": 0.9, "write": 0.1}, "users": 1000}},
        {"id": "web", "kind": "server",
         "params": {"workers": 64, "service_ms": {"dist": "exp", "mean": 1}}},
        {"id": "router", "kind": "shard_router", "params": {"strategy": "hash_mod"}},
        {"id": "pri", "kind": "sql_primary",
         "params": {"workers": 16, "read_ms": {"dist": "exp", "mean": 4},
                    "write_ms": {"dist": "exp", "mean": 10}, "failover_s": 5}},
        {"id": "r1", "kind": "sql_replica",
         "params": {"workers": 8, "read_ms": {"dist": "exp", "mean": 4}}},
        {"id": "r2", "kind": "sql_replica",
         "params": {"workers": 8, "read_ms": {"dist": "exp", "mean": 4}}}],
      "edges": [{"from": "users", "to": "web", "latency_ms": 0},
                {"from": "web", "to": "router", "latency_ms": 0},
                {"from": "router", "to": "pri", "latency_ms": 0},
                {"from": "pri", "to": "r1", "latency_ms": 0},
                {"from": "pri", "to": "r2", "latency_ms": 0}],
      "faults": [{"node": "pri", "at_s": 100, "action": "fail"},
                 {"node": "pri", "at_s": 190, "action": "recover"}]}"#,
    );
    let mean = |id: &str| {
        let busy = &r.nodes[id].utilization_series[110..185];
        busy.iter().sum::<f64>() / busy.len() as f64
    };
    // r1: the writes alone, 50/s × 10 ms over 8 workers = 0.0625 (with half the reads, 0.175).
    assert!((mean("r1") - 0.0625).abs() < 0.015, "r1 {}", mean("r1"));
    // r2: every read, 450/s × 4 ms over 8 workers = 0.225.
    assert!((mean("r2") - 0.225).abs() < 0.03, "r2 {}", mean("r2"));
}

#[test]
fn a_replica_down_with_its_primary_misses_no_writes() {
    // Primary and replica both down from 100 s to 150 s (a data center's outage, say), with
    // no failover: no write is taken meanwhile, so the replica comes back current, and its
    // stale reads after it are what they were before (it fell 50 s behind and served
    // thousands of stale reads while it replayed that empty stretch).
    let r = run(&web_and_database(
        1000.0,
        &["r1"],
        r#"{"node": "pri", "at_s": 100, "action": "fail"},
           {"node": "r1", "at_s": 100, "action": "fail"},
           {"node": "pri", "at_s": 150, "action": "recover"},
           {"node": "r1", "at_s": 150, "action": "recover"}"#,
    ));
    let stale = r.nodes["r1"]
        .stale_reads_series
        .as_ref()
        .expect("a replica's series");
    let before: u64 = stale[80..100].iter().sum();
    let after: u64 = stale[150..170].iter().sum();
    assert!(
        after < before * 2 + 50,
        "stale reads 80–100 s: {before}, 150–170 s: {after}"
    );
}

/// 400 reads and 100 writes a second through a web tier to a primary (writes of 10 ms,
/// `failover_s`) with `replicas` (lag 100 ms), over 200 s with a 50 s warm-up, and `faults`.
fn web_and_database(failover_s: f64, replicas: &[&str], faults: &str) -> String {
    let nodes: Vec<String> = replicas
        .iter()
        .map(|r| {
            format!(
                r#"{{"id": "{r}", "kind": "sql_replica", "params": {{"workers": 8, "lag_ms": 100}}}}"#
            )
        })
        .collect();
    let edges: Vec<String> = replicas
        .iter()
        .map(|r| format!(r#"{{"from": "pri", "to": "{r}", "latency_ms": 0}}"#))
        .collect();
    format!(
        r#"{{"version": 1, "duration_s": 200, "warmup_s": 50, "nodes": [
        {{"id": "users", "kind": "client",
         "params": {{"rps": 500, "mix": {{"read": 0.8, "write": 0.2}}, "users": 1000}}}},
        {{"id": "web", "kind": "server",
         "params": {{"workers": 64, "service_ms": {{"dist": "exp", "mean": 1}}}}}},
        {{"id": "pri", "kind": "sql_primary",
         "params": {{"workers": 16, "write_ms": {{"dist": "exp", "mean": 10}},
                    "failover_s": {failover_s}}}}},
        {}],
      "edges": [{{"from": "users", "to": "web", "latency_ms": 0}},
                {{"from": "web", "to": "pri", "latency_ms": 0}}, {}],
      "faults": [{faults}]}}"#,
        nodes.join(", "),
        edges.join(", ")
    )
}

#[test]
fn reads_from_a_primarys_replica_in_the_same_data_center_pay_the_default_edge() {
    // The web tier is wired to the primary only; its reads go to the primary's replica over no
    // edge of their own. Within one data center that call costs what an edge drawn with no
    // `latency_ms` would (0.5 ms each way), not nothing.
    let r = run(
        r#"{"version": 1, "duration_s": 30, "warmup_s": 5, "nodes": [
        {"id": "users", "kind": "client", "params": {"rps": 50, "mix": {"read": 1}}},
        {"id": "web", "kind": "server",
         "params": {"workers": 64, "service_ms": {"dist": "const", "mean": 1}}},
        {"id": "primary", "kind": "sql_primary",
         "params": {"read_ms": {"dist": "const", "mean": 1},
                    "write_ms": {"dist": "const", "mean": 1}}},
        {"id": "replica", "kind": "sql_replica",
         "params": {"read_ms": {"dist": "const", "mean": 1}}}],
      "edges": [{"from": "users", "to": "web", "latency_ms": 1},
                {"from": "web", "to": "primary", "latency_ms": 1},
                {"from": "primary", "to": "replica", "latency_ms": 1}]}"#,
    );
    // Client ↔ web 2 ms, web 1 ms, web ↔ replica 2 × 0.5 ms, replica 1 ms.
    let mean = r.summary.latency_ms.mean;
    assert!((mean - 5.0).abs() < 0.01, "{mean}");
    assert!(
        r.nodes["replica"].throughput_rps > 40.0,
        "reads go to the replica"
    );
    assert_eq!(r.nodes["primary"].throughput_rps, 0.0);
}

/// A cache drawn read-through (the server reaches the database through it alone) fails the
/// reads while it is down, and a note says so; drawn cache-aside (the server calls the
/// database too) the server reads the database itself meanwhile: the stampede. Nothing said
/// why the read-through drawing showed no stampede.
#[test]
fn a_read_through_cache_outage_fails_reads_and_is_noted_cache_aside_stampedes() {
    let text = |aside: &str| {
        format!(
            r#"{{"version": 1, "duration_s": 60, "warmup_s": 0, "nodes": [
                {{"id": "c", "kind": "client", "params": {{"rps": 200, "users": 1000,
                  "zipf_s": 1}}}},
                {{"id": "web", "kind": "server", "params": {{"workers": 64}}}},
                {{"id": "k", "kind": "cache", "params": {{"capacity_keys": 100}}}},
                {{"id": "db", "kind": "sql_primary", "params": {{"workers": 64}}}}],
              "edges": [{{"from": "c", "to": "web"}}, {{"from": "web", "to": "k"}},
                        {{"from": "k", "to": "db"}}{aside}],
              "faults": [{{"node": "k", "at_s": 30, "action": "fail"}},
                         {{"node": "k", "at_s": 40, "action": "recover"}}]}}"#
        )
    };
    let note = |t: &str| {
        let model = load(t).expect("valid");
        scaleplay_sim::ignored::ignored_settings(&model)
            .into_iter()
            .filter(|n| n.message.contains("read-through"))
            .count()
    };
    let through = text("");
    let aside = text(r#", {"from": "web", "to": "db"}"#);
    assert_eq!(note(&through), 1);
    assert_eq!(note(&aside), 0);
    // The database's utilization in the second ending at 35 s, inside the outage, against
    // the one ending at 25 s, before it.
    let (r, a) = (run(&through), run(&aside));
    let db = |r: &Report, t_s: usize| r.nodes["db"].utilization_series[t_s - 1];
    assert_eq!(
        db(&r, 35),
        0.0,
        "no read reaches the database through a down cache"
    );
    assert!(r.summary.failed.down >= 1_500, "{:?}", r.summary.failed);
    assert!(
        db(&a, 35) > 1.5 * db(&a, 25),
        "cache-aside: {} during the outage against {} before",
        db(&a, 35),
        db(&a, 25)
    );
    assert_eq!(a.summary.failed.down, 0, "{:?}", a.summary.failed);
}
