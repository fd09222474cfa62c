//! The report as JSON (`scaleplay run --json`): a figure with nothing to measure is written as
//! `null`. The report's structs hold 0 there (a latency with no success to time) or 1 (an
//! availability with nothing answered), which the app and the tables read with the count
//! beside them; in the JSON a 0 ms p99 would read as a perfect latency, and a script checking
//! it against an SLO would pass a run in which nothing succeeded. `--replications` writes
//! `null` for the same cases, so the two agree.

use serde_json::Value;

use super::Report;

/// `report` as pretty JSON, with every figure that has nothing to measure written `null`.
pub(super) fn pretty(report: &Report) -> String {
    // Plain data with finite numbers and string keys always serializes.
    let mut value = serde_json::to_value(report).expect("report serializes");
    missing_as_null(report, &mut value);
    serde_json::to_string_pretty(&value).expect("report serializes")
}

/// Sets `null` at each key of `object` named in `keys`.
fn null(object: &mut Value, keys: &[&str]) {
    for key in keys {
        if let Some(v) = object.get_mut(*key) {
            *v = Value::Null;
        }
    }
}

/// The latency percentiles of a summary or a client's report.
const LATENCY: [&str; 5] = ["mean", "p50", "p95", "p99", "max"];
/// The latency figures of one window of the run's series.
const WINDOW_LATENCY: [&str; 4] = ["p50_ms", "p95_ms", "p99_ms", "mean_ms"];

fn missing_as_null(report: &Report, value: &mut Value) {
    let s = &report.summary;
    let summary = &mut value["summary"];
    if s.succeeded == 0 {
        null(&mut summary["latency_ms"], &LATENCY);
    }
    let answered = s.succeeded + s.failed.total();
    if answered == 0 && s.availability == 1.0 {
        null(summary, &["availability"]);
    }
    for (id, c) in &report.clients {
        let client = &mut value["clients"][id.as_str()];
        if c.succeeded == 0 {
            null(&mut client["latency_ms"], &LATENCY);
        }
        let answered = c.succeeded + c.failed.total();
        if answered == 0 && c.availability == 1.0 {
            null(client, &["availability"]);
        }
        for (k, throughput) in c.throughput_series.iter().enumerate() {
            if *throughput == 0.0 {
                // No success in the window: no latency, and no answer at all when its
                // availability is the 1 of "nothing answered" (any failure makes it 0).
                client["p99_series"][k] = Value::Null;
                if c.availability_series.get(k) == Some(&1.0) {
                    client["availability_series"][k] = Value::Null;
                }
            }
        }
    }
    for (id, n) in &report.nodes {
        let node = &mut value["nodes"][id.as_str()];
        if n.succeeded == 0 {
            null(&mut node["latency_ms"], &["mean", "p99"]);
        }
        if n.wait_ms.is_some() && n.waits().is_none() {
            null(&mut node["wait_ms"], &["mean", "p99"]);
        }
    }
    for (k, point) in report.series.iter().enumerate() {
        let window = &mut value["series"][k];
        if !point.succeeded() {
            null(window, &WINDOW_LATENCY);
        }
        if !point.answered() {
            null(window, &["availability"]);
        }
    }
}
