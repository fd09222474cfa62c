//! What a run is exported as: CSV of the time series (one row per window), of the per-node
//! figures (one row per node) and of the per-node series (one row per window and node), as spreadsheets and scripts expect them (RFC 4180: comma
//! separated, a header row, CRLF line ends, fields quoted when needed).
//!
//! Node names are typed by users, so a field that a spreadsheet would run as a formula (one
//! starting with `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`: opening an exported CSV
//! must never execute anything.

use scaleplay_sim::{Report, Scenario};

/// Column names of [`series_csv`], in order.
pub const SERIES_COLUMNS: [&str; 12] = [
    "t_s",
    "offered_rps",
    "throughput_rps",
    "error_rps",
    "timeout_rps",
    "rejected_rps",
    "down_rps",
    "availability",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "mean_ms",
];

/// Column names of [`nodes_csv`], in order.
pub const NODE_COLUMNS: [&str; 21] = [
    "id",
    "name",
    "kind",
    "utilization",
    "throughput_rps",
    "responses_rps",
    "mean_backlog",
    "mean_in_node",
    "rejected",
    "down",
    "latency_mean_ms",
    "latency_p99_ms",
    "availability",
    "instances_now",
    "hit_ratio",
    "lag_ms",
    "stale_reads",
    "depth",
    "dead_letters",
    "succeeded",
    "errors",
];

/// Column names of [`node_series_csv`], in order.
pub const NODE_SERIES_COLUMNS: [&str; 12] = [
    "t_s",
    "id",
    "name",
    "kind",
    "utilization",
    "backlog",
    "instances",
    "depth",
    "hit_ratio",
    "lag_ms",
    "stale_reads",
    "dead_letters",
];

/// The run's time series: one row per window.
pub fn series_csv(report: &Report) -> String {
    let mut out = row(SERIES_COLUMNS.iter().map(|c| c.to_string()));
    for p in &report.series {
        out += &row([
            p.t_s,
            p.offered_rps,
            p.throughput_rps,
            p.error_rps,
            p.timeout_rps,
            p.rejected_rps,
            p.down_rps,
            p.availability,
            p.p50_ms,
            p.p95_ms,
            p.p99_ms,
            p.mean_ms,
        ]
        .into_iter()
        .map(number));
    }
    out
}

/// The run's per-node figures: one row per node, with the node's name from `scenario` (empty
/// when the node has since been removed). Figures a kind does not have are empty.
pub fn nodes_csv(report: &Report, scenario: &Scenario) -> String {
    let mut out = row(NODE_COLUMNS.iter().map(|c| c.to_string()));
    for (id, n) in &report.nodes {
        let name = scenario.node(id).map_or("", |s| s.name.as_str());
        let opt = |v: Option<f64>| v.map_or(String::new(), number);
        let opt_u = |v: Option<u64>| v.map_or(String::new(), |v| v.to_string());
        out += &row([
            text(id),
            text(name),
            n.kind.as_str().to_string(),
            number(n.utilization),
            number(n.throughput_rps),
            number(n.responses_rps),
            number(n.mean_backlog),
            number(n.mean_in_node),
            n.rejected.to_string(),
            n.down.to_string(),
            number(n.latency_ms.mean),
            number(n.latency_ms.p99),
            number(n.availability),
            n.instances_now.to_string(),
            opt(n.hit_ratio),
            opt(n.lag_ms),
            opt_u(n.stale_reads),
            opt(n.depth),
            opt_u(n.dead_letters),
            n.succeeded.to_string(),
            n.errors.to_string(),
        ]);
    }
    out
}

/// Each node's figures per window, in long form (one row per window and node, windows in
/// order, nodes by id within a window), ready for a pivot table or a plotting script. A kind's
/// own columns are empty for other kinds, and `hit_ratio` for a window without lookups.
pub fn node_series_csv(report: &Report, scenario: &Scenario) -> String {
    let mut out = row(NODE_SERIES_COLUMNS.iter().map(|c| c.to_string()));
    for (w, p) in report.series.iter().enumerate() {
        for (id, n) in &report.nodes {
            let name = scenario.node(id).map_or("", |s| s.name.as_str());
            let at = |v: Option<&Vec<u64>>| {
                v.and_then(|v| v.get(w))
                    .map_or(String::new(), u64::to_string)
            };
            let get = |v: &Vec<f64>| v.get(w).map_or(String::new(), |x| number(*x));
            out += &row([
                number(p.t_s),
                text(id),
                text(name),
                n.kind.as_str().to_string(),
                get(&n.utilization_series),
                get(&n.backlog_series),
                n.instances
                    .as_ref()
                    .and_then(|v| v.get(w))
                    .map_or(String::new(), u32::to_string),
                at(n.depth_series.as_ref()),
                n.hit_ratio_series
                    .as_ref()
                    .and_then(|v| v.get(w).copied().flatten())
                    .map_or(String::new(), number),
                n.lag_ms_series
                    .as_ref()
                    .and_then(|v| v.get(w))
                    .map_or(String::new(), |x| number(*x)),
                at(n.stale_reads_series.as_ref()),
                at(n.dead_letters_series.as_ref()),
            ]);
        }
    }
    out
}

fn row(fields: impl IntoIterator<Item = String>) -> String {
    let mut line = fields.into_iter().collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// A number as CSV: shortest exact decimal, empty when not finite.
fn number(v: f64) -> String {
    if v.is_finite() {
        v.to_string()
    } else {
        String::new()
    }
}

/// User text as a CSV field: quoted when it holds a separator, quote or line break, and defused
/// when a spreadsheet would read it as a formula.
fn text(s: &str) -> String {
    let defused = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scaleplay_sim::{validate, Simulation};

    fn run(preset: usize) -> (Scenario, Report) {
        let s = validate::parse(scaleplay_sim::presets::all()[preset].json).unwrap();
        let mut s2 = s.clone();
        s2.duration_s = 30.0;
        s2.warmup_s = 0.0;
        s2.faults.clear();
        let model = validate::validate(&s2).unwrap();
        let mut sim = Simulation::new(model, s2.seed);
        sim.run_until(sim.end());
        (s, sim.report())
    }

    #[test]
    fn series_has_a_header_and_one_row_per_window() {
        let (_, report) = run(2);
        let csv = series_csv(&report);
        let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
        assert_eq!(lines[0], SERIES_COLUMNS.join(","));
        assert_eq!(lines.len(), report.series.len() + 1);
        assert!(report.series.len() >= 29);
        for (line, p) in lines[1..].iter().zip(&report.series) {
            let cells: Vec<f64> = line.split(',').map(|c| c.parse().unwrap()).collect();
            assert_eq!(cells.len(), SERIES_COLUMNS.len());
            assert_eq!(cells[0], p.t_s);
            assert_eq!(cells[2], p.throughput_rps);
            assert_eq!(cells[10], p.p99_ms);
        }
    }

    #[test]
    fn nodes_have_one_row_each_with_their_names() {
        let (s, report) = run(4);
        let csv = nodes_csv(&report, &s);
        let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
        assert_eq!(lines.len(), report.nodes.len() + 1);
        let cache = lines.iter().find(|l| l.starts_with("cache,")).unwrap();
        let cells: Vec<&str> = cache.split(',').collect();
        assert_eq!(cells.len(), NODE_COLUMNS.len());
        assert_eq!(cells[2], "cache");
        let hit: f64 = cells[14].parse().unwrap();
        assert!(hit > 0.0 && hit <= 1.0, "cache hit ratio {hit}");
    }

    #[test]
    fn node_series_have_a_row_per_window_and_node() {
        let (s, report) = run(4);
        let csv = node_series_csv(&report, &s);
        let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
        assert_eq!(lines[0], NODE_SERIES_COLUMNS.join(","));
        assert_eq!(lines.len(), report.series.len() * report.nodes.len() + 1);
        let cells = |l: &str| l.split(',').map(str::to_string).collect::<Vec<_>>();
        let cache: Vec<Vec<String>> = lines[1..]
            .iter()
            .map(|l| cells(l))
            .filter(|c| c[1] == "cache")
            .collect();
        assert_eq!(cache.len(), report.series.len());
        let n = &report.nodes["cache"];
        for (w, c) in cache.iter().enumerate() {
            assert_eq!(c.len(), NODE_SERIES_COLUMNS.len());
            assert_eq!(c[0].parse::<f64>().unwrap(), report.series[w].t_s);
            assert_eq!(c[4].parse::<f64>().unwrap(), n.utilization_series[w]);
            let hit = n.hit_ratio_series.as_ref().unwrap()[w];
            assert_eq!(c[8].parse::<f64>().ok(), hit);
            assert_eq!(c[7], "", "a cache has no queue depth");
        }
    }

    #[test]
    fn user_text_is_quoted_and_defused() {
        assert_eq!(text("web, \"east\""), "\"web, \"\"east\"\"\"");
        assert_eq!(text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(text("@cmd"), "'@cmd");
        assert_eq!(text("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(
            text("<img src=x onerror=alert(1)>"),
            "<img src=x onerror=alert(1)>"
        );
        assert_eq!(number(f64::NAN), "");
    }
}
