//! The app's way of running: slices of virtual time, reports read mid-run, faults injected by
//! a person while traffic flows.

use scaleplay_sim::scenario::FaultAction;
use scaleplay_sim::{presets, validate, SimTime, Simulation};

fn preset_03_without_faults() -> Simulation {
    let mut s = validate::parse(presets::find("03").unwrap().json).unwrap();
    s.faults.clear();
    Simulation::new(validate::validate(&s).unwrap(), 11)
}

#[test]
fn slices_give_the_same_report_as_one_run() {
    let mut sliced = preset_03_without_faults();
    let mut t = 0.0;
    while !sliced.finished() {
        t += 0.37;
        sliced.run_until(SimTime::from_secs(t));
        assert!(sliced.progress() <= 1.0);
    }
    let whole = preset_03_without_faults().run();
    assert_eq!(sliced.report().to_json(), whole.to_json());

    let mut stepped = preset_03_without_faults();
    while stepped.step(10_000) > 0 {}
    assert!(stepped.finished());
    assert_eq!(stepped.report().to_json(), whole.to_json());
}

#[test]
fn a_fault_injected_mid_run_shows_in_series_nodes_and_markers() {
    let mut sim = preset_03_without_faults();
    sim.run_until(SimTime::from_secs(30.0));
    let before = sim.report();
    assert!(before.series.iter().all(|p| p.availability > 0.999));
    // The window ending at 30 s closes with the events of that instant, in the next slice.
    assert_eq!(before.series.len(), 29);

    sim.inject("web1", FaultAction::Fail, None).unwrap();
    sim.run_until(SimTime::from_secs(45.0));
    sim.inject("web1", FaultAction::Recover, None).unwrap();
    sim.run_until(sim.end());
    let r = sim.report();
    let marks: Vec<_> = r
        .faults
        .iter()
        .map(|f| (f.t_s, f.node.as_str(), f.action, f.source.as_str()))
        .collect();
    assert_eq!(
        marks,
        vec![
            (30.0, "web1", FaultAction::Fail, "manual"),
            (45.0, "web1", FaultAction::Recover, "manual")
        ]
    );
    let dip = r
        .series
        .iter()
        .filter(|p| p.t_s > 30.0 && p.t_s <= 35.0)
        .map(|p| p.availability)
        .fold(1.0, f64::min);
    assert!(
        dip < 0.8,
        "requests fail until the balancer's health check: {dip}"
    );
    assert!(r
        .series
        .iter()
        .filter(|p| p.t_s > 36.0)
        .all(|p| p.availability > 0.99));
    assert!(r.nodes["web1"].down > 0);
    assert!(r.nodes["web1"].availability < 0.9);

    assert!(sim
        .inject("nope", FaultAction::Fail, None)
        .unwrap_err()
        .contains("no node"));
    assert!(sim.inject("web1", FaultAction::Fail, Some(3)).is_err());
}

/// What the app does when a person presses "Fail now" or "Recover now": inject the fault
/// into the running simulation and write it into the scenario at that instant, after the
/// faults already there. The shared link replays it as a scheduled fault, and must give the
/// same report (only the fault log says "manual" live). Three ways this broke: an injection
/// did not count as an event; a manual recovery also ended a data center's outage, which the
/// scheduled one leaves; and an injection at the instant of a scheduled fault came before it,
/// where the replay, which lists it after, applies it after (a failure meant to follow a
/// scheduled recovery was undone by it).
#[test]
fn a_fault_injected_live_gives_the_report_of_its_replay() {
    let scenario = |faults: &str| {
        format!(
            r#"{{"version": 1, "seed": 5, "duration_s": 20, "warmup_s": 0,
                "nodes": [
                  {{"id": "users", "kind": "client", "dc": "a", "params": {{"rps": 30}}}},
                  {{"id": "box", "kind": "server", "dc": "a",
                    "params": {{"workers": 1, "service_ms": {{"dist": "const", "mean": 50}}}}}}],
                "edges": [{{"from": "users", "to": "box", "latency_ms": 1}}],
                "faults": [{faults}]}}"#
        )
    };
    let sim = |text: &str| Simulation::new(scaleplay_sim::load(text).unwrap(), 5);
    let fault =
        |at: f64, action: &str| format!(r#"{{"node": "box", "at_s": {at}, "action": "{action}"}}"#);
    // Injected at window ends (where a tick, and the arrivals of that instant, are due), and
    // at an instant inside a data center's outage.
    let outage =
        r#"{"dc": "a", "at_s": 5, "action": "fail"}, {"dc": "a", "at_s": 15, "action": "recover"}"#;
    let recovered = r#"{"node": "box", "at_s": 5, "action": "fail"}, {"node": "box", "at_s": 10, "action": "recover"}"#;
    let cases: [(&str, Vec<(f64, FaultAction)>); 3] = [
        (
            "",
            vec![(10.0, FaultAction::Fail), (12.0, FaultAction::Recover)],
        ),
        (
            outage,
            vec![(3.0, FaultAction::Fail), (8.023, FaultAction::Recover)],
        ),
        (
            recovered,
            vec![(10.0, FaultAction::Fail), (15.0, FaultAction::Recover)],
        ),
    ];
    for (scheduled, injected) in cases {
        let mut live = sim(&scenario(scheduled));
        for &(at, action) in &injected {
            live.run_until(SimTime::from_secs(at));
            live.inject("box", action, None).unwrap();
        }
        live.run_until(live.end());
        let written: Vec<String> = injected
            .iter()
            .map(|&(at, action)| {
                let name = if action == FaultAction::Fail {
                    "fail"
                } else {
                    "recover"
                };
                fault(at, name)
            })
            .collect();
        let all = [scheduled.to_string()]
            .into_iter()
            .chain(written)
            .filter(|f| !f.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let replay = sim(&scenario(&all)).run();
        assert_eq!(
            live.report()
                .to_json()
                .replace("\"manual\"", "\"scheduled\""),
            replay.to_json(),
            "faults {all}"
        );
    }
}

/// A live view refreshes its report from the previous one, copying only the windows closed
/// since: at every step of every preset that report is the full one, every series of every
/// kind included; so is one refreshed from an older report, or from one of a longer stretch of
/// another run (which cannot be a prefix of this one's series).
#[test]
fn a_report_refreshed_from_the_previous_one_is_the_full_report() {
    for preset in presets::all() {
        let model = validate::validate(&validate::parse(preset.json).unwrap()).unwrap();
        let mut sim = Simulation::new(model.clone(), 5);
        let mut live = None;
        let mut first = None;
        let mut t = 0.0;
        while !sim.finished() {
            t += 7.3;
            sim.run_until(SimTime::from_secs(t));
            let refreshed = sim.report_reusing(live.take());
            assert_eq!(refreshed, sim.report(), "{} at {t} s", preset.file);
            first.get_or_insert_with(|| refreshed.clone());
            live = Some(refreshed);
        }
        assert_eq!(sim.report_reusing(first), sim.report(), "{}", preset.file);
        let mut longer = Simulation::new(model.clone(), 6);
        longer.run_until(SimTime::from_secs(t));
        sim = Simulation::new(model, 5);
        sim.run_until(SimTime::from_secs(10.0));
        assert_eq!(
            sim.report_reusing(Some(longer.report())),
            sim.report(),
            "{} from a longer run's report",
            preset.file
        );
    }
}
