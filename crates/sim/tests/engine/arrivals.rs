//! Clients offer the rate they are given, however high, and a spike's two rates exactly:
//! gaps between arrivals are summed exactly and only the arrival times are rounded to
//! microseconds (rounding each gap once capped a client near 1,000,000 rps and biased it
//! low well before), and a spike is drawn a rate at a time, not thinned from its peak.

use scaleplay_sim::{load, Report, Simulation};

fn offered_per_window(client: &str) -> Report {
    let text = format!(
        r#"{{"version": 1, "duration_s": 10, "warmup_s": 0,
            "nodes": [{{"id": "users", "kind": "client", "params": {client}}},
                      {{"id": "web", "kind": "server", "params": {{"workers": 100000,
                         "service_ms": {{"dist": "const", "mean": 0.001}}}}}}],
            "edges": [{{"from": "users", "to": "web", "latency_ms": 0}}]}}"#
    );
    Simulation::new(load(&text).unwrap(), 5).run()
}

#[test]
fn a_high_constant_rate_is_offered_in_full() {
    for rps in [100_000.0, 1_000_000.0] {
        let r = offered_per_window(&format!(r#"{{"rps": {rps}, "users": 1000}}"#));
        let offered = r.summary.offered as f64 / 10.0;
        // Poisson: the standard deviation of 10 s of arrivals is sqrt(10 rps) / 10, < 0.1 %.
        assert!(
            (offered / rps - 1.0).abs() < 0.005,
            "{rps} rps offered {offered}"
        );
    }
}

#[test]
fn a_spike_offers_its_base_rate_and_its_spike_rate() {
    let r = offered_per_window(
        r#"{"rps": 2000, "users": 1000, "profile": "spike", "spike_at_s": 4, "spike_s": 2,
            "spike_x": 500}"#,
    );
    let offered: Vec<f64> = r.series.iter().map(|p| p.offered_rps).collect();
    for (t, rate) in offered.iter().enumerate() {
        let expected = if (4..6).contains(&t) {
            1_000_000.0
        } else {
            2000.0
        };
        assert!(
            (rate / expected - 1.0).abs() < 0.08,
            "window {t}: {rate} rps, expected {expected}: {offered:?}"
        );
    }
}

/// The capacity analysis sees the profile's highest total rate: a spike ×10 on a tier that
/// carries 8× the base rate is named as beyond it (it used to show only the base rate, 12.5 %
/// of capacity).
#[test]
fn the_capacity_analysis_names_the_profiles_peak() {
    let peak = |clients: &str, duration_s: f64| {
        let text = format!(
            r#"{{"version": 1, "duration_s": {duration_s}, "warmup_s": 0,
                "nodes": [{clients},
                          {{"id": "web", "kind": "server", "params": {{"workers": 8,
                             "service_ms": {{"dist": "exp", "mean": 10}}}}}}],
                "edges": [{{"from": "a", "to": "web"}}, {{"from": "b", "to": "web"}}]}}"#
        );
        scaleplay_sim::capacity::analyze(&load(&text).unwrap())
    };
    let client = |id: &str, params: &str| {
        format!(r#"{{"id": "{id}", "kind": "client", "params": {params}}}"#)
    };
    let constant = client("b", r#"{"rps": 20}"#);

    let spike = client(
        "a",
        r#"{"rps": 100, "profile": "spike", "spike_at_s": 30, "spike_s": 20, "spike_x": 10}"#,
    );
    let cap = peak(&format!("{spike}, {constant}"), 120.0);
    assert_eq!(cap.offered_rps, 120.0);
    assert_eq!(cap.peak_rps, 1020.0);
    assert_eq!(cap.max_rps, Some(800.0));
    assert_eq!(
        cap.describe("web").unwrap(),
        "web saturates at 800 req/s (offered 120, 1,020 at peak: beyond it)"
    );
    // A spike after the run's end never comes.
    assert_eq!(peak(&format!("{spike}, {constant}"), 20.0).peak_rps, 120.0);
    // A constant rate past saturation is named as beyond it too.
    for (rps, line) in [
        (880, "web saturates at 800 req/s (offered 900: beyond it)"),
        (680, "web saturates at 800 req/s (offered 700)"),
    ] {
        let steady = client("a", &format!(r#"{{"rps": {rps}}}"#));
        let cap = peak(&format!("{steady}, {constant}"), 60.0);
        assert_eq!(cap.describe("web").unwrap(), line);
    }

    // A ramp peaks at its larger end; a diurnal wave at its crest, if the run reaches one.
    let ramp = client(
        "a",
        r#"{"rps": 100, "profile": "ramp", "ramp_from_rps": 300}"#,
    );
    assert_eq!(peak(&format!("{ramp}, {constant}"), 60.0).peak_rps, 320.0);
    let wave = client(
        "a",
        r#"{"rps": 100, "profile": "diurnal", "amplitude": 0.5, "period_s": 40}"#,
    );
    let crest = peak(&format!("{wave}, {constant}"), 60.0).peak_rps;
    assert!((crest - 170.0).abs() < 1e-9, "{crest}");
    // A run shorter than a quarter period ends on the rising side: sin(π/4).
    let rising = peak(&format!("{wave}, {constant}"), 5.0).peak_rps;
    let expected = 100.0 * (1.0 + 0.5 * std::f64::consts::FRAC_1_SQRT_2) + 20.0;
    assert!((rising - expected).abs() < 1e-9, "{rising} vs {expected}");
    // Constant clients: the peak is what they offer, and the line says nothing more.
    let flat = peak(
        &format!("{}, {constant}", client("a", r#"{"rps": 100}"#)),
        60.0,
    );
    assert_eq!(flat.peak_rps, flat.offered_rps);
    assert_eq!(
        flat.describe("web").unwrap(),
        "web saturates at 800 req/s (offered 120)"
    );
}
