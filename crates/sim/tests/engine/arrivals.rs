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
