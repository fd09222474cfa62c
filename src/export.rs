//! What a run is exported as: CSV of the time series (one row per window), of the per-node
//! figures (one row per node) and of the per-node series (one row per window and node), as spreadsheets and scripts expect them (RFC 4180: comma
//! separated, a header row, CRLF line ends, fields quoted when needed).
//!
//! Node names are typed by users, so a field that a spreadsheet would run as a formula (one
//! starting with `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`: opening an exported CSV
//! must never execute anything.

use scaleplay_sim::report::{ClientReport, NodeReport};
use scaleplay_sim::{Report, Scenario};

use crate::panels::inspector::fields::has_workers;

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
pub const NODE_COLUMNS: [&str; 24] = [
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
    "wait_mean_ms",
    "wait_p99_ms",
    // Last, so the columns before keep their places: the reads `stale_reads` were among.
    "reads",
];

/// Column names of [`node_series_csv`], in order.
pub const NODE_SERIES_COLUMNS: [&str; 16] = [
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
    "sessions_lost",
    "throughput_rps",
    "availability",
    "p99_ms",
];

/// The run's time series: one row per window. A figure the window has no data for is an empty
/// cell (a missing value), not the 0 or 1 the report holds there, as the plots leave a gap: the
/// latencies of a window in which nothing succeeded (0 ms would read as the fastest moment of an
/// outage, and pull any average down), and the availability of one in which nothing was
/// answered (the report's 1.0 would read as a perfect window).
pub fn series_csv(report: &Report) -> String {
    let mut out = row(SERIES_COLUMNS.iter().map(|c| c.to_string()));
    for p in &report.series {
        let (succeeded, answered) = (p.succeeded(), p.answered());
        let only = |has: bool, v: f64| if has { number(v) } else { String::new() };
        out += &row([
            number(p.t_s),
            number(p.offered_rps),
            number(p.throughput_rps),
            number(p.error_rps),
            number(p.timeout_rps),
            number(p.rejected_rps),
            number(p.down_rps),
            only(answered, p.availability),
            only(succeeded, p.p50_ms),
            only(succeeded, p.p95_ms),
            only(succeeded, p.p99_ms),
            only(succeeded, p.mean_ms),
        ]);
    }
    out
}

/// The run's per-node figures: one row per node, with the node's name from `scenario` (the
/// one the run started with; empty for a node it does not have). Figures a kind does not have
/// are empty (utilization and backlog of a kind without workers, which the report gives as 0),
/// and so is the latency of a node that answered no request successfully (the report's 0 ms
/// would read as instant), as the inspector shows them. Clients follow, with what their users
/// saw (throughput, failures, latency, availability) and the rest empty: the inspector shows
/// a client's figures, and the file left them out.
pub fn nodes_csv(report: &Report, scenario: &Scenario) -> String {
    let mut out = row(NODE_COLUMNS.iter().map(|c| c.to_string()));
    for (id, n) in &report.nodes {
        let name = scenario.node(id).map_or("", |s| s.name.as_str());
        let opt = |v: Option<f64>| v.map_or(String::new(), number);
        let opt_u = |v: Option<u64>| v.map_or(String::new(), |v| v.to_string());
        let workers = has_workers(report, id);
        let timed = n.succeeded > 0;
        let waited = n.waits();
        out += &row([
            text(id),
            text(name),
            n.kind.as_str().to_string(),
            opt(workers.then_some(n.utilization)),
            number(n.throughput_rps),
            number(n.responses_rps),
            opt(workers.then_some(n.mean_backlog)),
            number(n.mean_in_node),
            n.rejected.to_string(),
            n.down.to_string(),
            opt(timed.then_some(n.latency_ms.mean)),
            opt(timed.then_some(n.latency_ms.p99)),
            number(n.availability),
            n.instances_now.to_string(),
            opt(n.hit_ratio),
            opt(n.lag_ms),
            opt_u(n.stale_reads),
            opt(n.depth),
            opt_u(n.dead_letters),
            n.succeeded.to_string(),
            n.errors.to_string(),
            // A queue's waits, when any message was handed to a worker.
            opt(waited.map(|w| w.mean)),
            opt(waited.map(|w| w.p99)),
            opt_u(n.reads),
        ]);
    }
    for (id, c) in &report.clients {
        let name = scenario.node(id).map_or("", |s| s.name.as_str());
        let timed = c.succeeded > 0;
        let latency = |v: f64| if timed { number(v) } else { String::new() };
        let failed = c.failed.total();
        let mut cells = vec![String::new(); NODE_COLUMNS.len()];
        for (column, value) in [
            ("id", text(id)),
            ("name", text(name)),
            ("kind", "client".to_string()),
            ("throughput_rps", number(c.throughput_rps)),
            ("rejected", c.failed.rejected.to_string()),
            ("down", c.failed.down.to_string()),
            ("latency_mean_ms", latency(c.latency_ms.mean)),
            ("latency_p99_ms", latency(c.latency_ms.p99)),
            ("availability", number(c.availability)),
            ("succeeded", c.succeeded.to_string()),
            ("errors", failed.to_string()),
        ] {
            let at = NODE_COLUMNS.iter().position(|c| *c == column);
            cells[at.expect("a node column")] = value;
        }
        out += &row(cells);
    }
    out
}

/// Each node's figures per window, in long form (one row per window and node, windows in
/// order, nodes by id within a window), ready for a pivot table or a plotting script. A kind's
/// own columns are empty for other kinds (utilization and backlog too for a kind without
/// workers, as in [`nodes_csv`]), and `hit_ratio` for a window without lookups. Clients have
/// rows too, with what their users saw (throughput, availability, p99, as the app plots them):
/// empty where nothing was answered or nothing succeeded, as in [`series_csv`].
pub fn node_series_csv(report: &Report, scenario: &Scenario) -> String {
    let mut out = row(NODE_SERIES_COLUMNS.iter().map(|c| c.to_string()));
    let mut ids: Vec<&String> = report.nodes.keys().chain(report.clients.keys()).collect();
    ids.sort();
    for (w, p) in report.series.iter().enumerate() {
        for id in &ids {
            let name = scenario.node(id).map_or("", |s| s.name.as_str());
            let mut cells = vec![number(p.t_s), text(id), text(name)];
            if let Some(n) = report.nodes.get(*id) {
                cells.push(n.kind.as_str().to_string());
                cells.extend(node_window(report, id, n, w));
                cells.extend([String::new(), String::new(), String::new()]);
            } else if let Some(c) = report.clients.get(*id) {
                cells.push("client".to_string());
                cells.extend(std::iter::repeat_n(String::new(), NODE_WINDOW_COLUMNS));
                cells.extend(client_window(c, w));
            }
            out += &row(cells);
        }
    }
    out
}

/// How many of [`NODE_SERIES_COLUMNS`] are a node's own (utilization to sessions_lost).
const NODE_WINDOW_COLUMNS: usize = 9;

/// Node `n`'s own columns of [`node_series_csv`] in window `w`.
fn node_window(
    report: &Report,
    id: &str,
    n: &NodeReport,
    w: usize,
) -> [String; NODE_WINDOW_COLUMNS] {
    let at = |v: Option<&Vec<u64>>| {
        v.and_then(|v| v.get(w))
            .map_or(String::new(), u64::to_string)
    };
    let real = |v: Option<&Vec<f64>>| {
        v.and_then(|v| v.get(w))
            .map_or(String::new(), |x| number(*x))
    };
    let workers = has_workers(report, id);
    let get = |v: &Vec<f64>| {
        v.get(w)
            .filter(|_| workers)
            .map_or(String::new(), |x| number(*x))
    };
    [
        get(&n.utilization_series),
        get(&n.backlog_series),
        n.instances
            .as_ref()
            .and_then(|v| v.get(w))
            .map_or(String::new(), u32::to_string),
        real(n.depth_series.as_ref()),
        n.hit_ratio_series
            .as_ref()
            .and_then(|v| v.get(w).copied().flatten())
            .map_or(String::new(), number),
        real(n.lag_ms_series.as_ref()),
        at(n.stale_reads_series.as_ref()),
        at(n.dead_letters_series.as_ref()),
        at(n.sessions_lost_series.as_ref()),
    ]
}

/// Client `c`'s columns of [`node_series_csv`] in window `w`: its users' throughput,
/// availability and p99. The report holds 1 for a window with nothing answered and 0 ms for
/// one with nothing succeeded; both are missing values here. (A window with failures only has
/// an availability below 1, so 1 with no successes means nothing was answered.)
fn client_window(c: &ClientReport, w: usize) -> [String; 3] {
    let ok = c.throughput_series.get(w).copied();
    let succeeded = ok.is_some_and(|t| t > 0.0);
    let availability = c
        .availability_series
        .get(w)
        .filter(|a| succeeded || **a < 1.0)
        .map_or(String::new(), |a| number(*a));
    let p99 = c
        .p99_series
        .get(w)
        .filter(|_| succeeded)
        .map_or(String::new(), |x| number(*x));
    [ok.map_or(String::new(), number), availability, p99]
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

/// User text as a CSV field: quoted when it holds a separator, quote or line break, or starts
/// or ends with a space (which some readers trim from a bare field), and defused when a
/// spreadsheet would read it as a formula.
fn text(s: &str) -> String {
    let defused = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if defused.contains([',', '"', '\n', '\r']) || defused.trim() != defused {
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

    /// The series CSV of a run of `text`, as rows of cells, with the report.
    fn series_cells(text: &str) -> (Report, Vec<Vec<String>>) {
        let report = Simulation::new(scaleplay_sim::load(text).unwrap(), 3).run();
        let csv = series_csv(&report);
        let rows = csv
            .split_terminator("\r\n")
            .skip(1)
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect();
        (report, rows)
    }

    #[test]
    fn a_window_without_data_has_empty_cells_not_zero() {
        // Half a request a second: many one-second windows see nothing end at all.
        let quiet = r#"{"version": 1, "duration_s": 40, "warmup_s": 0,
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 0.5, "users": 10}},
                      {"id": "web", "kind": "server"}],
            "edges": [{"from": "users", "to": "web"}]}"#;
        let (report, rows) = series_cells(quiet);
        let col = |name: &str| SERIES_COLUMNS.iter().position(|c| *c == name).unwrap();
        let (mut empty, mut full) = (0, 0);
        for (cells, p) in rows.iter().zip(&report.series) {
            assert_eq!(cells.len(), SERIES_COLUMNS.len());
            // Rates are always figures (0 is a true rate).
            assert_eq!(
                cells[col("throughput_rps")].parse::<f64>().unwrap(),
                p.throughput_rps
            );
            assert_eq!(cells[col("error_rps")], "0");
            let latencies = ["p50_ms", "p95_ms", "p99_ms", "mean_ms"].map(|c| &cells[col(c)]);
            if p.throughput_rps == 0.0 {
                empty += 1;
                assert!(latencies.iter().all(|c| c.is_empty()), "{cells:?}");
                assert_eq!(
                    cells[col("availability")],
                    "",
                    "nothing answered: {cells:?}"
                );
            } else {
                full += 1;
                assert!(latencies.iter().all(|c| c.parse::<f64>().unwrap() > 0.0));
                assert_eq!(cells[col("availability")], "1");
            }
        }
        assert!(
            empty > 3 && full > 3,
            "{empty} quiet windows, {full} with answers"
        );

        // A window in which everything failed has an availability of 0, and no latency.
        let outage = r#"{"version": 1, "duration_s": 10, "warmup_s": 0,
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 50, "users": 10}},
                      {"id": "web", "kind": "server"}],
            "edges": [{"from": "users", "to": "web"}],
            "faults": [{"node": "web", "at_s": 3, "action": "fail"},
                       {"node": "web", "at_s": 7, "action": "recover"}]}"#;
        let (report, rows) = series_cells(outage);
        let down = report
            .series
            .iter()
            .position(|p| p.t_s == 5.0)
            .expect("a window ending at 5 s");
        assert_eq!(report.series[down].throughput_rps, 0.0);
        assert_eq!(rows[down][col("availability")], "0");
        assert_eq!(rows[down][col("p99_ms")], "");
        assert_eq!(rows[down][col("mean_ms")], "");
    }

    #[test]
    fn node_figures_a_node_does_not_have_are_empty() {
        // The web server is down all the run: it answers, but never successfully.
        let text = r#"{"version": 1, "duration_s": 10, "warmup_s": 0,
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 20, "users": 10}},
                      {"id": "dns", "kind": "dns"},
                      {"id": "web", "kind": "server"}],
            "edges": [{"from": "users", "to": "dns"}, {"from": "dns", "to": "web"}],
            "faults": [{"node": "web", "at_s": 0, "action": "fail"}]}"#;
        let s = scaleplay_sim::validate::parse(text).unwrap();
        let report = Simulation::new(scaleplay_sim::load(text).unwrap(), 3).run();
        let csv = nodes_csv(&report, &s);
        let col = |name: &str| NODE_COLUMNS.iter().position(|c| *c == name).unwrap();
        let row = |id: &str| -> Vec<String> {
            let line = csv
                .split_terminator("\r\n")
                .find(|l| l.starts_with(&format!("{id},")));
            line.unwrap().split(',').map(str::to_string).collect()
        };
        let web = row("web");
        assert_eq!(web[col("succeeded")], "0");
        assert_eq!(web[col("latency_mean_ms")], "");
        assert_eq!(web[col("latency_p99_ms")], "");
        assert!(web[col("utilization")].parse::<f64>().is_ok(), "{web:?}");
        // A DNS has no workers: no utilization and no backlog, rather than a made-up 0.
        let dns = row("dns");
        assert_eq!(dns[col("utilization")], "");
        assert_eq!(dns[col("mean_backlog")], "");
        let series = node_series_csv(&report, &s);
        let dns_rows: Vec<&str> = series
            .split_terminator("\r\n")
            .filter(|l| l.contains(",dns,"))
            .collect();
        assert_eq!(dns_rows.len(), report.series.len());
        assert!(
            dns_rows.iter().all(|l| l.split(',').nth(4) == Some("")),
            "{dns_rows:?}"
        );
    }

    #[test]
    fn nodes_have_one_row_each_with_their_names() {
        let (s, report) = run(4);
        let csv = nodes_csv(&report, &s);
        let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
        assert_eq!(lines.len(), report.nodes.len() + report.clients.len() + 1);
        // The clients too, with what their users saw.
        let users = lines.iter().find(|l| l.starts_with("users,")).unwrap();
        let cells: Vec<&str> = users.split(',').collect();
        let col = |name: &str| NODE_COLUMNS.iter().position(|c| *c == name).unwrap();
        assert_eq!(cells.len(), NODE_COLUMNS.len());
        assert_eq!(cells[col("kind")], "client");
        let c = &report.clients["users"];
        assert_eq!(cells[col("succeeded")], c.succeeded.to_string());
        assert_eq!(cells[col("utilization")], "", "a client has no workers");
        let p99: f64 = cells[col("latency_p99_ms")].parse().unwrap();
        assert!((p99 - c.latency_ms.p99).abs() < 1e-6);
        let cache = lines.iter().find(|l| l.starts_with("cache,")).unwrap();
        let cells: Vec<&str> = cache.split(',').collect();
        assert_eq!(cells.len(), NODE_COLUMNS.len());
        assert_eq!(cells[2], "cache");
        let hit: f64 = cells[14].parse().unwrap();
        assert!(hit > 0.0 && hit <= 1.0, "cache hit ratio {hit}");
    }

    #[test]
    fn a_queue_gives_how_long_its_messages_waited() {
        let (s, report) = run(7);
        let csv = nodes_csv(&report, &s);
        let col = |name: &str| NODE_COLUMNS.iter().position(|c| *c == name).unwrap();
        let rows: Vec<Vec<&str>> = csv
            .split_terminator("\r\n")
            .map(|l| l.split(',').collect())
            .collect();
        let queue = rows
            .iter()
            .find(|r| r[2] == "queue")
            .expect("preset 08 has a queue");
        let wait = &report.nodes[queue[0]]
            .wait_ms
            .clone()
            .expect("a queue's waits");
        assert_eq!(
            queue[col("wait_mean_ms")].parse::<f64>().unwrap(),
            wait.mean
        );
        assert_eq!(queue[col("wait_p99_ms")].parse::<f64>().unwrap(), wait.p99);
        // Other kinds have no waits: empty cells.
        let web = rows.iter().find(|r| r[2] == "server").expect("a web tier");
        assert_eq!(web[col("wait_mean_ms")], "");
    }

    #[test]
    fn node_series_have_a_row_per_window_and_node() {
        let (s, report) = run(4);
        let csv = node_series_csv(&report, &s);
        let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
        assert_eq!(lines[0], NODE_SERIES_COLUMNS.join(","));
        let rows_per_window = report.nodes.len() + report.clients.len();
        assert_eq!(lines.len(), report.series.len() * rows_per_window + 1);
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
            assert_eq!(c[12], "", "a cache keeps no sessions");
            assert_eq!(c[13..], ["", "", ""], "a node has no users' figures");
        }
        // The clients' rows: what their users saw, window by window, as the app plots it.
        let users: Vec<Vec<String>> = lines[1..]
            .iter()
            .map(|l| cells(l))
            .filter(|c| c[1] == "users")
            .collect();
        assert_eq!(users.len(), report.series.len());
        let c = &report.clients["users"];
        for (w, row) in users.iter().enumerate() {
            assert_eq!(row[3], "client");
            assert!(row[4..13].iter().all(String::is_empty), "{row:?}");
            assert_eq!(row[13].parse::<f64>().unwrap(), c.throughput_series[w]);
            if c.throughput_series[w] > 0.0 {
                assert_eq!(row[14].parse::<f64>().unwrap(), c.availability_series[w]);
                assert_eq!(row[15].parse::<f64>().unwrap(), c.p99_series[w]);
            }
        }
    }

    #[test]
    fn a_clients_window_without_answers_has_empty_cells() {
        let mut c = run(1).1.clients["users"].clone();
        c.throughput_series = vec![0.0, 0.0, 5.0];
        c.availability_series = vec![1.0, 0.0, 1.0];
        c.p99_series = vec![0.0, 0.0, 12.5];
        assert_eq!(client_window(&c, 0), ["0", "", ""], "nothing answered");
        assert_eq!(client_window(&c, 1), ["0", "0", ""], "failures only");
        assert_eq!(client_window(&c, 2), ["5", "1", "12.5"]);
    }

    #[test]
    fn user_text_is_quoted_and_defused() {
        assert_eq!(text("web, \"east\""), "\"web, \"\"east\"\"\"");
        assert_eq!(text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(text("@cmd"), "'@cmd");
        assert_eq!(text("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(text(" spaced "), "\" spaced \"");
        assert_eq!(text("in side"), "in side");
        assert_eq!(
            text("<img src=x onerror=alert(1)>"),
            "<img src=x onerror=alert(1)>"
        );
        assert_eq!(number(f64::NAN), "");
    }
}
