//! The real `scaleplay` binary on real files in a temp dir: what a user types, what they read.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// A directory of its own per test, removed afterwards.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("scaleplay-cli-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("the temp dir is writable");
        TempDir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Writes `name` and returns its path as a string argument.
    fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("the temp dir is writable");
        path.to_str().expect("temp paths are UTF-8").to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What one invocation did.
#[derive(Debug)]
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn scaleplay_with_stdin(args: &[&str], stdin: &[u8]) -> Out {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scaleplay"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut input = child.stdin.take().expect("stdin was piped");
    // The binary may stop reading early (an oversized stream), which closes the pipe.
    let _ = input.write_all(stdin);
    drop(input);
    let out = child.wait_with_output().expect("the binary finishes");
    let result = Out {
        code: out
            .status
            .code()
            .expect("the binary exits, not killed by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    };
    assert!(
        !result.stderr.contains("panicked") && !result.stderr.contains("RUST_BACKTRACE"),
        "{args:?} panicked: {}",
        result.stderr
    );
    result
}

fn scaleplay(args: &[&str]) -> Out {
    scaleplay_with_stdin(args, b"")
}

fn preset_text(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios")
        .join(file);
    std::fs::read_to_string(path).expect("the preset exists")
}

const SINGLE: &str = "01-single-server.json";

/// The single-server preset with `users.rps` changed.
fn single_server_at(rps: u64) -> String {
    let mut v: Value = serde_json::from_str(&preset_text(SINGLE)).expect("the preset is JSON");
    v["nodes"][0]["params"]["rps"] = Value::from(rps);
    v.to_string()
}

/// `scaleplay sweep FILE --param PARAM --from A --to B --steps K`, 20 simulated seconds per value.
fn sweep_args<'a>(
    file: &'a str,
    param: &'a str,
    from: &'a str,
    to: &'a str,
    steps: &'a str,
) -> Vec<&'a str> {
    vec![
        "sweep",
        file,
        "--param",
        param,
        "--from",
        from,
        "--to",
        to,
        "--steps",
        steps,
        "--duration",
        "20",
    ]
}

/// The header and the rows of the "Clients" table in `scaleplay run`'s readable output.
fn client_table(text: &str) -> (&str, Vec<&str>) {
    let mut lines = text.lines().skip_while(|l| *l != "Clients");
    assert!(lines.next().is_some(), "a client table in:\n{text}");
    let header = lines.next().expect("the table's header");
    lines.next(); // the rule under the header
    (header, lines.take_while(|l| !l.is_empty()).collect())
}

fn ok(out: &Out) {
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
}

mod run {
    use super::*;

    /// A node's failures from below (passed on, or its calls timing out) show in the table as
    /// they do in the JSON: in preset 04 the web tier passes on the primary's outage.
    #[test]
    fn the_node_table_shows_the_errors_a_node_passed_on() {
        let dir = TempDir::new("run-errors");
        let file = dir.write("04.json", preset_text("04-replication.json"));
        let json: Value =
            serde_json::from_str(&scaleplay(&["run", &file, "--json"]).stdout).unwrap();
        let errors = json["nodes"]["web"]["errors"]
            .as_u64()
            .expect("web's errors");
        assert!(errors > 0, "the preset's outage fails some writes");
        let text = scaleplay(&["run", &file]).stdout;
        let header = text.lines().find(|l| l.contains("util %")).unwrap();
        let row = text
            .lines()
            .find(|l| l.trim_start().starts_with("web "))
            .unwrap();
        // The errors column is the 6th right-aligned figure; find it by the header's place.
        let at = header.find("errors").unwrap() + "errors".len();
        let cell = row[..at].split_whitespace().last().unwrap();
        assert_eq!(cell, errors.to_string(), "{header}\n{row}");
    }

    /// When writes worked again is in the readable report: in preset 04 the primary fails at
    /// 60 s, replica1 is promoted a failover (10 s) later, and the primary, back at 100 s,
    /// takes its writes back once it has replayed the 30 s it missed.
    #[test]
    fn run_lists_the_failovers_after_the_faults() {
        let dir = TempDir::new("run-failovers");
        let file = dir.write("04.json", preset_text("04-replication.json"));
        let text = scaleplay(&["run", &file]).stdout;
        let listed = text
            .split("\nFailovers\n")
            .nth(1)
            .expect("a Failovers section");
        let rows: Vec<&str> = listed.lines().skip(2).take(2).map(str::trim).collect();
        assert_eq!(
            rows,
            [
                "70.0  replica1 promoted: it takes primary's writes",
                "110.0  primary takes its writes back from replica1"
            ],
            "{text}"
        );
        // A run without a failover has no such section.
        let single = dir.write(SINGLE, preset_text(SINGLE));
        assert!(!scaleplay(&["run", &single]).stdout.contains("Failovers"));
    }

    /// A queue answers its producers at once; how long its jobs waited for a worker is in its
    /// details, as the JSON gives it (preset 08's burst makes them wait).
    #[test]
    fn a_queue_row_says_how_long_its_messages_waited() {
        let dir = TempDir::new("run-queue-wait");
        let file = dir.write("08.json", preset_text("08-queue-workers.json"));
        let json: Value =
            serde_json::from_str(&scaleplay(&["run", &file, "--json"]).stdout).unwrap();
        let wait = &json["nodes"]["jobs"]["wait_ms"];
        let (mean, p99) = (
            wait["mean"].as_f64().unwrap(),
            wait["p99"].as_f64().unwrap(),
        );
        assert!(mean > 0.0 && p99 > mean, "{wait}");
        let text = scaleplay(&["run", &file]).stdout;
        let row = text
            .lines()
            .find(|l| l.trim_start().starts_with("jobs "))
            .unwrap();
        assert!(
            row.contains(&format!("waited mean {mean:.1} ms, p99 {p99:.1} ms")),
            "{row}"
        );
    }

    #[test]
    fn readable_report_has_summary_nodes_capacity_alerts_and_faults() {
        let dir = TempDir::new("run-readable");
        let file = dir.write(SINGLE, preset_text(SINGLE));
        let out = scaleplay(&["run", &file]);
        ok(&out);
        let text = &out.stdout;
        assert!(
            text.starts_with("Single server: seed 7, 120 s simulated"),
            "{text}"
        );
        for needle in [
            "Summary",
            "offered",
            "failed",
            "(timeout 0, rejected 0, down ",
            "throughput",
            " req/s",
            "availability",
            "latency       mean ",
            " p50 ",
            " p95 ",
            " p99 ",
            "bottleneck: box saturates at 666.7 req/s (offered 50.0 req/s)",
            "SLO alerts (p99 <= 500 ms, availability >= 99.9%)",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
        }
        // The node table: header, then one row per non-client node, in file order.
        let header = text
            .lines()
            .find(|l| l.contains("util %"))
            .expect("a node table");
        for col in [
            "id", "kind", "req/s", "backlog", "rejected", "down", "errors", "p99 ms", "details",
        ] {
            assert!(header.contains(col), "{header}");
        }
        let box_row = text
            .lines()
            .find(|l| l.trim_start().starts_with("box "))
            .expect("a box row");
        assert!(box_row.contains("server"), "{box_row}");
        assert!(
            !text.lines().any(|l| l.trim_start().starts_with("users ")),
            "clients get no row"
        );
        // The outage at 60-75 s: down failures, an availability alert, both faults listed.
        let alert = text
            .lines()
            .find(|l| l.contains("availability") && l.contains('%') && l.contains("61.0"));
        assert!(alert.is_some(), "{text}");
        assert!(text.contains("60.0  box   fail     scheduled"), "{text}");
        assert!(text.contains("75.0  box   recover  scheduled"), "{text}");
        // One client: its figures are the summary's, so there is no client table.
        assert!(!text.contains("Clients"), "{text}");
    }

    #[test]
    fn with_several_clients_each_gets_a_row_and_its_json_figures() {
        let dir = TempDir::new("run-clients");
        let name = "07-multi-dc.json";
        let file = dir.write(name, preset_text(name));
        let out = scaleplay(&["run", &file]);
        ok(&out);
        let text = &out.stdout;
        let (header, rows) = client_table(text);
        for col in ["offered", "req/s", "avail %", "down", "p50 ms", "p99 ms"] {
            assert!(header.contains(col), "{header}");
        }
        // Rows in file order.
        assert_eq!(rows.len(), 2, "{text}");
        assert!(rows[0].trim_start().starts_with("users-eu "), "{text}");
        assert!(rows[1].trim_start().starts_with("users-us "), "{text}");

        let out = scaleplay(&["run", &file, "--json"]);
        ok(&out);
        let r: Value = serde_json::from_str(&out.stdout).expect("JSON");
        let clients = r["clients"].as_object().expect("a clients object");
        assert_eq!(clients.len(), 2);
        let offered: u64 = clients
            .values()
            .map(|c| c["offered"].as_u64().unwrap())
            .sum();
        assert_eq!(offered, r["summary"]["offered"].as_u64().unwrap());
        // The row shows the JSON's figures.
        let eu = &clients["users-eu"];
        let row = rows[0];
        assert!(row.contains(&eu["offered"].to_string()), "{row} / {eu}");
        assert!(
            row.contains(&eu["failed"]["down"].to_string()),
            "{row} / {eu}"
        );
    }

    #[test]
    fn json_is_the_engine_report_and_depends_only_on_the_seed() {
        let dir = TempDir::new("run-json");
        let text = preset_text(SINGLE);
        let file = dir.write(SINGLE, &text);
        let a = scaleplay(&["run", &file, "--json"]);
        let b = scaleplay(&["run", &file, "--json"]);
        let c = scaleplay(&["run", &file, "--json", "--seed", "8"]);
        for out in [&a, &b, &c] {
            ok(out);
        }
        let v: Value = serde_json::from_str(&a.stdout).expect("--json prints JSON");
        for key in ["summary", "nodes", "series", "capacity", "alerts"] {
            assert!(v.get(key).is_some(), "no {key:?} in the report");
        }
        assert_eq!(v["capacity"]["bottleneck"], "box");
        assert!(v["nodes"].get("box").is_some());
        // Each alert names the key of the scenario's `slo` it broke.
        let slos: Vec<&str> = v["alerts"]
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|a| a["slo"].as_str())
            .collect();
        assert!(!slos.is_empty(), "the preset's outage breaks its SLO");
        for slo in slos {
            assert!(["p99_ms", "availability"].contains(&slo), "{slo}");
        }
        assert_eq!(a.stdout, b.stdout, "the same seed gives the same bytes");
        assert_ne!(a.stdout, c.stdout, "another seed gives another run");
        // Exactly the engine's own one-call output (the wasm build is compared with it).
        let engine = scaleplay_sim::run_json(&text, None).expect("the preset runs");
        assert_eq!(a.stdout, format!("{engine}\n"));
        let engine8 = scaleplay_sim::run_json(&text, Some(8)).expect("the preset runs");
        assert_eq!(c.stdout, format!("{engine8}\n"));
    }

    #[test]
    fn dash_reads_the_scenario_from_stdin() {
        let dir = TempDir::new("run-stdin");
        let text = preset_text(SINGLE);
        let file = dir.write(SINGLE, &text);
        let args = ["--json", "--duration", "20"];
        let from_file = scaleplay(&[&["run", file.as_str()][..], &args].concat());
        let from_stdin =
            scaleplay_with_stdin(&[&["run", "-"][..], &args].concat(), text.as_bytes());
        ok(&from_file);
        ok(&from_stdin);
        assert_eq!(from_file.stdout, from_stdin.stdout);
        let v: Value = serde_json::from_str(&from_stdin.stdout).expect("JSON");
        assert_eq!(v["run"]["duration_s"], 20.0);
        // The faults at 60 and 75 s fall outside a 20 s run: left out, with a note.
        assert!(
            from_stdin
                .stderr
                .contains("2 faults scheduled after 20 s are left out"),
            "{}",
            from_stdin.stderr
        );
        assert_eq!(v["faults"], Value::Array(vec![]));
    }

    #[test]
    fn replications_print_confidence_intervals() {
        let dir = TempDir::new("run-replications");
        let file = dir.write(SINGLE, preset_text(SINGLE));
        let out = scaleplay(&["run", &file, "--duration", "20", "--replications", "3"]);
        ok(&out);
        let text = &out.stdout;
        assert!(text.contains("3 replications of 20 s each"), "{text}");
        for figure in [
            "throughput",
            "availability",
            "latency mean",
            "latency p50",
            "latency p95",
            "latency p99",
        ] {
            let line = text
                .lines()
                .find(|l| l.trim_start().starts_with(figure))
                .expect(figure);
            assert!(line.contains(" ± "), "{line}");
        }
        assert!(text.contains("95% confidence interval"), "{text}");
        let seeds = text
            .lines()
            .find(|l| l.starts_with("seeds: 7, "))
            .expect("the seeds");
        assert_eq!(seeds.split(", ").count(), 3);

        let out = scaleplay(&[
            "run",
            &file,
            "--duration",
            "20",
            "--replications",
            "3",
            "--json",
        ]);
        ok(&out);
        let report: Value = serde_json::from_str(&out.stdout).expect("JSON");
        // The first run's report, with every key a report has...
        for key in ["summary", "nodes", "series", "capacity", "alerts"] {
            assert!(report.get(key).is_some(), "{key} missing");
        }
        let first = scaleplay(&["run", &file, "--duration", "20", "--json"]);
        let first: Value = serde_json::from_str(&first.stdout).expect("JSON");
        assert_eq!(report["summary"], first["summary"], "the seed-7 run's own");
        // ...and the estimates over all the runs.
        let v = &report["replications"];
        assert_eq!(v["runs"], 3);
        assert_eq!(v["seeds"].as_array().map(Vec::len), Some(3));
        assert_eq!(v["seeds"][0], 7);
        for key in [
            "throughput_rps",
            "availability",
            "mean_ms",
            "p50_ms",
            "p95_ms",
            "p99_ms",
        ] {
            assert!(
                v[key]["mean"].is_f64() && v[key]["ci95"].is_f64(),
                "{key}: {}",
                v[key]
            );
        }
        assert!(
            v.get("reports").is_none(),
            "the per-run reports are left out"
        );
        let mean = v["throughput_rps"]["mean"].as_f64().expect("a number");
        assert!((mean - 50.0).abs() < 5.0, "{mean}");
        // One client: its figures are those above, so there are no client ones.
        assert!(v.get("clients").is_none(), "{v}");
        assert!(!text.contains("Clients"), "{text}");
    }

    #[test]
    fn replications_with_several_clients_estimate_each_one() {
        let dir = TempDir::new("run-replications-clients");
        let name = "07-multi-dc.json";
        let file = dir.write(name, preset_text(name));
        let args = [
            "run",
            file.as_str(),
            "--duration",
            "80",
            "--replications",
            "3",
        ];
        let out = scaleplay(&args);
        ok(&out);
        let text = &out.stdout;
        let (_, rows) = client_table(text);
        assert_eq!(rows.len(), 2, "{text}");
        for (row, id) in rows.iter().zip(["users-eu ", "users-us "]) {
            assert!(row.trim_start().starts_with(id), "{text}");
            assert_eq!(row.matches(" ± ").count(), 3, "{row}");
        }

        let out = scaleplay(&[&args[..], &["--json"]].concat());
        ok(&out);
        let report: Value = serde_json::from_str(&out.stdout).expect("JSON");
        let v = &report["replications"];
        let clients = v["clients"].as_object().expect("client estimates");
        assert_eq!(clients.len(), 2);
        // The two regions' throughputs add up to the whole's, replication by replication, so
        // their means do too.
        let sum: f64 = clients
            .values()
            .map(|c| c["throughput_rps"]["mean"].as_f64().unwrap())
            .sum();
        let whole = v["throughput_rps"]["mean"].as_f64().unwrap();
        assert!((sum - whole).abs() < 1e-6 * whole, "{sum} vs {whole}");
        for c in clients.values() {
            for key in ["throughput_rps", "availability", "p99_ms"] {
                assert!(c[key]["ci95"].as_f64().unwrap() >= 0.0, "{c}");
            }
        }
    }

    #[test]
    fn replications_print_the_same_whatever_the_jobs() {
        let dir = TempDir::new("run-jobs");
        let file = dir.write(SINGLE, preset_text(SINGLE));
        let run = |jobs: Option<&str>, json: bool| {
            let mut args = vec!["run", &file, "--duration", "20", "--replications", "5"];
            args.extend(jobs.map(|j| ["--jobs", j]).into_iter().flatten());
            args.extend(json.then_some("--json"));
            let out = scaleplay(&args);
            ok(&out);
            out.stdout
        };
        for json in [false, true] {
            let one = run(Some("1"), json);
            assert!(one.contains("5"), "{one}");
            assert_eq!(run(Some("3"), json), one, "3 jobs, json {json}");
            assert_eq!(run(None, json), one, "one job per core, json {json}");
        }
    }
}

mod validate {
    use super::*;

    #[test]
    fn a_valid_file_reports_its_size_and_bottleneck() {
        let dir = TempDir::new("validate-ok");
        let file = dir.write(SINGLE, preset_text(SINGLE));
        let out = scaleplay(&["validate", &file]);
        ok(&out);
        assert_eq!(
            out.stdout,
            "ok: 3 nodes, 2 edges; bottleneck box at 666.7 req/s\n"
        );
    }

    #[test]
    fn an_autoscaled_bottleneck_says_its_rate_assumes_the_maximum() {
        let dir = TempDir::new("validate-autoscaled");
        let name = "08-queue-workers.json";
        let file = dir.write(name, preset_text(name));
        let out = scaleplay(&["validate", &file]);
        ok(&out);
        assert!(
            out.stdout.starts_with(
                "ok: 7 nodes, 7 edges; bottleneck workers at 1235.5 req/s once autoscaled to \
                 its maximum of 12 instances\n"
            ),
            "{}",
            out.stdout
        );
    }

    #[test]
    fn a_node_nothing_calls_is_noted() {
        let dir = TempDir::new("validate-idle");
        let file = dir.write(
            "spare.json",
            r#"{"version": 1,
                "nodes": [{"id": "users", "kind": "client"}, {"id": "web", "kind": "server"},
                          {"id": "spare", "kind": "server"}],
                "edges": [{"from": "users", "to": "web"}]}"#,
        );
        let out = scaleplay(&["validate", &file]);
        ok(&out);
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert!(
            lines[0].starts_with("ok: 3 nodes, 1 edge;"),
            "{}",
            out.stdout
        );
        assert_eq!(
            lines[1..],
            ["note: spare gets no traffic: nothing calls it"]
        );
    }

    #[test]
    fn a_rate_beyond_the_bottleneck_is_noted() {
        let dir = TempDir::new("validate-overloaded");
        // 8 workers at 12 ms take 666.7 req/s; 700 is more.
        let text = preset_text(SINGLE).replace("\"rps\": 50", "\"rps\": 700");
        let file = dir.write(SINGLE, &text);
        let out = scaleplay(&["validate", &file]);
        ok(&out);
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(
            lines[1],
            "note: the clients offer 700.0 req/s, more than box can take (666.7 req/s): its \
             backlog grows while they do, and requests wait, time out or are rejected; give box \
             more workers or instances, or lower the rate",
            "{}",
            out.stdout
        );
        // Within it, nothing is said.
        let file = dir.write("fine.json", preset_text(SINGLE));
        assert!(!scaleplay(&["validate", &file]).stdout.contains("note:"));
    }

    #[test]
    fn an_overloaded_balancer_is_told_to_raise_its_connections() {
        // 10 connections held 101 ms each (the server's 100 ms and the default edge's 0.5 ms
        // each way) take 99 req/s; a balancer has no backlog, nor workers or instances.
        let dir = TempDir::new("validate-overloaded-lb");
        let file = dir.write(
            "lb.json",
            r#"{"version": 1, "duration_s": 60, "nodes": [
                {"id": "c", "kind": "client", "params": {"rps": 200}},
                {"id": "lb", "kind": "load_balancer", "params": {"max_connections": 10}},
                {"id": "s", "kind": "server", "params": {"workers": 1000,
                  "service_ms": {"dist": "const", "mean": 100}}}],
              "edges": [{"from": "c", "to": "lb"}, {"from": "lb", "to": "s"}]}"#,
        );
        let out = scaleplay(&["validate", &file]);
        ok(&out);
        assert!(
            out.stdout.contains(
                "more than lb can take (99.0 req/s): all its connections are in use and the \
                 requests beyond them are rejected; raise lb's max_connections, or lower the rate"
            ),
            "{}",
            out.stdout
        );
    }

    #[test]
    fn run_says_what_validate_notes() {
        let dir = TempDir::new("run-slips");
        let file = dir.write(
            "spare.json",
            r#"{"version": 1, "duration_s": 5,
                "nodes": [{"id": "users", "kind": "client"}, {"id": "web", "kind": "server"},
                          {"id": "spare", "kind": "server"}],
                "edges": [{"from": "users", "to": "web"}],
                "faults": [{"node": "web", "at_s": 50, "action": "fail"}]}"#,
        );
        let out = scaleplay(&["run", &file, "--json"]);
        ok(&out);
        assert!(out.stdout.starts_with('{'), "{}", out.stdout);
        let notes: Vec<&str> = out.stderr.lines().collect();
        assert_eq!(notes.len(), 2, "{}", out.stderr);
        assert_eq!(notes[0], "note: spare gets no traffic: nothing calls it");
        assert!(
            notes[1].contains("at 50 s is after the end of the run"),
            "{}",
            notes[1]
        );
    }

    #[test]
    fn a_setting_with_no_effect_is_noted() {
        let dir = TempDir::new("validate-ignored");
        let file = dir.write(
            "spike.json",
            r#"{"version": 1,
                "nodes": [{"id": "users", "kind": "client", "params": {"rps": 5, "spike_x": 3}},
                          {"id": "web", "kind": "server"}],
                "edges": [{"from": "users", "to": "web"}]}"#,
        );
        let out = scaleplay(&["validate", &file]);
        ok(&out);
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(
            lines[1..],
            [
                "note: node \"users\": spike_x has no effect with profile \"constant\": set \
              \"profile\": \"spike\" to use it, or remove it"
            ]
        );
    }

    /// A second server behind a server is never used (a server calls one of each kind):
    /// validate says so, and what to draw instead.
    #[test]
    fn a_node_passed_over_by_its_caller_is_noted() {
        let dir = TempDir::new("validate-passed-over");
        let file = dir.write(
            "two.json",
            r#"{"version": 1,
                "nodes": [{"id": "users", "kind": "client"}, {"id": "web", "kind": "server"},
                          {"id": "a", "kind": "server"}, {"id": "b", "kind": "server"}],
                "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "a"},
                          {"from": "web", "to": "b"}]}"#,
        );
        let out = scaleplay(&["validate", &file]);
        ok(&out);
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(lines.len(), 2, "{}", out.stdout);
        assert!(
            lines[1].starts_with("note: b gets no traffic: web sends its calls to another server")
                && lines[1].contains("put a load_balancer in front of several servers"),
            "{}",
            out.stdout
        );
    }

    #[test]
    fn every_problem_is_listed_one_per_line() {
        let dir = TempDir::new("validate-problems");
        let file = dir.write(
            "broken.json",
            r#"{"version": 1, "name": "broken",
                "nodes": [
                  {"id": "a", "kind": "blob"},
                  {"id": "a", "kind": "server"},
                  {"id": "u", "kind": "client",
                   "params": {"rps": 5, "mix": {"read": 0.5, "write": 0.2}}}],
                "edges": [{"from": "u", "to": "a"}]}"#,
        );
        let out = scaleplay(&["validate", &file]);
        assert_eq!(out.code, 1, "{out:?}");
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(lines.len(), 3, "{}", out.stdout);
        assert!(
            lines
                .iter()
                .all(|l| l.starts_with(&format!("{file}: node "))),
            "{lines:?}"
        );
        assert!(lines[0].contains("unknown kind \"blob\""), "{}", lines[0]);
        assert!(lines[1].contains("duplicate id"), "{}", lines[1]);
        assert!(
            lines[2].contains("node \"u\"") && lines[2].contains("sum to 1"),
            "{}",
            lines[2]
        );
        assert!(
            out.stderr.starts_with("error: ") && out.stderr.contains("3 problems"),
            "{}",
            out.stderr
        );
    }

    /// A misshapen edge, a key written twice and a value out of range, in one file: `validate`
    /// lists all three at once, and `run` refuses it naming them (nothing is run on the last
    /// of a repeated key the author may not be looking at).
    #[test]
    fn misshapen_parts_and_repeated_keys_show_with_the_other_problems() {
        let dir = TempDir::new("validate-shape");
        let file = dir.write(
            "hand-edited.json",
            r#"{"version": 1, "duration_s": 30,
                "nodes": [
                  {"id": "u", "kind": "client", "params": {"rps": 50, "rps": 500}},
                  {"id": "web", "kind": "server", "params": {"workers": -4}}],
                "edges": [{"from": "u", "to": "web", "latency_ms": "5ms"}]}"#,
        );
        let out = scaleplay(&["validate", &file]);
        assert_eq!(out.code, 1, "{out:?}");
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(lines.len(), 3, "{}", out.stdout);
        for needle in [
            "node \"u\": \"rps\" is written twice in params",
            "edges[0] (u → web): latency_ms: invalid type: string \"5ms\", expected a number",
            // The count's own rule, not the parser's ">= 0" (which 0 then broke).
            "node \"web\": workers must be a whole number from 1 to 100000, got -4",
        ] {
            assert!(
                out.stdout.contains(needle),
                "no {needle:?} in {}",
                out.stdout
            );
        }
        let run = scaleplay(&["run", &file]);
        assert_ne!(run.code, 0, "{run:?}");
        assert!(
            run.stderr.contains("3 problems") && run.stderr.contains("written twice"),
            "{}",
            run.stderr
        );
    }

    #[test]
    fn a_file_that_is_not_json_is_one_problem() {
        let dir = TempDir::new("validate-syntax");
        let file = dir.write("nope.json", "not json");
        let out = scaleplay(&["validate", &file]);
        assert_eq!(out.code, 1, "{out:?}");
        assert!(
            out.stdout.contains("not a valid scenario file"),
            "{}",
            out.stdout
        );
    }
}

mod presets {
    use super::*;

    #[test]
    fn lists_the_ten_with_their_names() {
        let out = scaleplay(&["presets"]);
        ok(&out);
        let first = out
            .stdout
            .lines()
            .find(|l| l.starts_with("01-"))
            .expect("preset 01");
        assert_eq!(
            first.split_whitespace().collect::<Vec<_>>(),
            ["01-single-server.json", "Single", "server"]
        );
        let files = out.stdout.lines().filter(|l| l.contains(".json")).count();
        assert_eq!(files, 10, "{}", out.stdout);
    }

    #[test]
    fn out_writes_ten_files_that_each_validate() {
        let dir = TempDir::new("presets-out");
        let target = dir.path("nested/presets");
        let target = target.to_str().expect("UTF-8");
        let out = scaleplay(&["presets", "--out", target]);
        ok(&out);
        let paths: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(paths.len(), 10, "{}", out.stdout);
        for p in &paths {
            assert!(p.starts_with(target) && p.ends_with(".json"), "{p}");
            let v = scaleplay(&["validate", p]);
            assert_eq!(
                v.code, 0,
                "{p} does not validate:\n{}{}",
                v.stdout, v.stderr
            );
            assert!(v.stdout.starts_with("ok: "), "{}", v.stdout);
        }
        assert!(paths[0].ends_with("01-single-server.json"));
        let written = std::fs::read_to_string(paths[0]).expect("written");
        assert_eq!(written, preset_text(SINGLE));
    }

    #[test]
    fn out_naming_a_file_says_it_wants_a_directory() {
        let dir = TempDir::new("presets-out-file");
        let file = dir.write("taken", "mine");
        let out = scaleplay(&["presets", "--out", &file]);
        assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
        assert!(
            out.stderr.contains("is a file, not a directory"),
            "{}",
            out.stderr
        );
        let kept = std::fs::read_to_string(&file).expect("still there");
        assert_eq!(kept, "mine", "the file is left alone");
    }

    /// Files already in the directory are kept, and nothing is written, unless `--force`
    /// says to replace them; a symlink is replaced, never written through.
    #[test]
    fn out_keeps_files_already_there_unless_forced() {
        let dir = TempDir::new("presets-out-taken");
        let mine = dir.write("01-single-server.json", "mine");
        let target = dir.path("");
        let target = target.to_str().expect("UTF-8");
        let out = scaleplay(&["presets", "--out", target]);
        assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
        assert!(
            out.stderr.contains(
                "already has 01-single-server.json: nothing was written; pass --force to \
                 replace it, or give --out another directory"
            ),
            "{}",
            out.stderr
        );
        assert_eq!(std::fs::read_to_string(&mine).unwrap(), "mine");
        assert!(
            !dir.path("02-separate-tiers.json").exists(),
            "nothing written"
        );

        #[cfg(unix)]
        {
            let victim = dir.write("victim.txt", "precious");
            std::fs::remove_file(&mine).unwrap();
            std::os::unix::fs::symlink(&victim, &mine).unwrap();
        }
        let out = scaleplay(&["presets", "--out", target, "--force"]);
        ok(&out);
        assert_eq!(out.stdout.lines().count(), 10, "{}", out.stdout);
        assert_eq!(std::fs::read_to_string(&mine).unwrap(), preset_text(SINGLE));
        #[cfg(unix)]
        assert_eq!(
            std::fs::read_to_string(dir.path("victim.txt")).unwrap(),
            "precious",
            "the symlink's target is left alone"
        );
    }
}

mod sweep {
    use super::*;

    #[test]
    fn finds_the_highest_rps_that_meets_the_slo() {
        let dir = TempDir::new("sweep-rps");
        let file = dir.write(SINGLE, preset_text(SINGLE));
        // The box saturates at 666.7 req/s: 100 and 400 are fine, 700 and 1000 are not.
        let out = scaleplay(&sweep_args(&file, "users.rps", "100", "1000", "4"));
        ok(&out);
        let text = &out.stdout;
        assert!(
            text.contains("SLO: p99 <= 500 ms, availability >= 99.9%"),
            "{text}"
        );
        let header = text
            .lines()
            .find(|l| l.trim_start().starts_with("users.rps"))
            .expect("a header");
        for col in [
            "req/s",
            "avail %",
            "p50 ms",
            "p99 ms",
            "bottleneck",
            "util %",
            "meets SLO",
        ] {
            assert!(header.contains(col), "{header}");
        }
        let meets = |value: &str| {
            let row = text
                .lines()
                .find(|l| l.split_whitespace().next() == Some(value))
                .unwrap_or_else(|| panic!("no row for {value} in:\n{text}"));
            assert!(row.contains(" box "), "{row}");
            row.trim_end().ends_with("yes")
        };
        assert!(meets("100") && meets("400"), "{text}");
        assert!(!meets("700") && !meets("1000"), "{text}");
        assert!(
            text.ends_with("highest value meeting the SLO: 400\n"),
            "{text}"
        );
    }

    #[test]
    fn says_which_bound_a_value_misses_and_when_the_faults_decide() {
        let dir = TempDir::new("sweep-misses");
        // Preset 01 with its 15 s outage kept: no rate meets 99.9% availability.
        let file = dir.write(SINGLE, preset_text(SINGLE));
        // The whole run (sweep_args shortens it to 20 s, before the outage).
        let args = [
            "sweep",
            &file,
            "--param",
            "users.rps",
            "--from",
            "100",
            "--to",
            "1000",
            "--steps",
            "2",
        ];
        let out = scaleplay(&args);
        ok(&out);
        let text = &out.stdout;
        let row = |value: &str| {
            text.lines()
                .find(|l| l.split_whitespace().next() == Some(value))
                .unwrap_or_else(|| panic!("no row for {value} in:\n{text}"))
                .trim_end()
                .to_string()
        };
        assert!(row("100").ends_with("no: availability"), "{text}");
        // Overloaded too, but its backlog's limit keeps the p99 within 500 ms.
        assert!(row("1000").ends_with("no: availability"), "{text}");
        assert!(
            text.contains(
                "no value meets the SLO\nnote: availability misses at every value, and the \
                 scenario's scheduled faults cost availability in every run: remove them to \
                 sweep the parameter alone\n"
            ),
            "{text}"
        );
        let json = scaleplay(&[&args[..], &["--json"]].concat());
        let v: Value = serde_json::from_str(&json.stdout).expect("JSON");
        assert_eq!(v["rows"][0]["misses"], serde_json::json!(["availability"]));
        assert_eq!(v["rows"][1]["misses"], serde_json::json!(["availability"]));
    }

    #[test]
    fn a_sweep_where_every_value_meets_the_slo_says_where_to_look() {
        let dir = TempDir::new("sweep-all-meet");
        let file = dir.write(SINGLE, preset_text(SINGLE));
        let out = scaleplay(&sweep_args(&file, "box.workers", "8", "16", "2"));
        ok(&out);
        assert!(
            out.stdout.ends_with(
                "highest value meeting the SLO: 16\nnote: every value swept meets the SLO; to \
                 find where it stops, sweep further (higher for a load such as rps, lower for a \
                 resource such as workers or instances)\n"
            ),
            "{}",
            out.stdout
        );
        assert!(!out.stdout.contains("no: "), "{}", out.stdout);
    }

    /// Users kept on one instance each by `ip_hash`, the most popular ones on the same: that
    /// instance saturates at about 441 req/s while the tier's mean utilization is near 55%.
    /// The sweep warns from there on, as the capacity analysis says, and not before; it used
    /// to call such a rate (p99 several seconds, thousands waiting) fine without a word.
    #[test]
    fn says_when_the_busiest_instance_of_a_tier_is_saturated() {
        let dir = TempDir::new("sweep-hot-instance");
        let file = dir.write(
            "iphash.json",
            r#"{"version": 1, "duration_s": 60, "warmup_s": 10,
                "nodes": [{"id": "users", "kind": "client",
                           "params": {"rps": 200, "users": 1000, "zipf_s": 1.2}},
                          {"id": "lb", "kind": "load_balancer", "params": {"algorithm": "ip_hash"}},
                          {"id": "web", "kind": "server", "params": {"instances": 4, "workers": 2,
                           "service_ms": {"dist": "exp", "mean": 10}}}],
                "edges": [{"from": "users", "to": "lb"}, {"from": "lb", "to": "web"}]}"#,
        );
        let out = scaleplay(&sweep_args(&file, "users.rps", "300", "460", "3"));
        ok(&out);
        assert!(
            out.stdout.contains(
                "highest value meeting the SLO: 460
but web is saturated"
            ) && out.stdout.contains("from 460 on"),
            "{}",
            out.stdout
        );
        // Further on, requests pile up faster than the instance serves them: more than 5%
        // of them are still waiting at the end, which misses the SLO though none failed.
        let out = scaleplay(&sweep_args(&file, "users.rps", "500", "500", "2"));
        ok(&out);
        assert!(
            out.stdout.contains("100.00") && out.stdout.contains("no: unanswered"),
            "{}",
            out.stdout
        );
        assert!(
            out.stdout.contains(
                "note: \"unanswered\": more than 5% of the requests sent were still waiting for \
                 an answer at the end"
            ),
            "{}",
            out.stdout
        );
    }

    /// The capacity analysis' estimate is not used where the mean utilization tells: pools
    /// sharing a queue, whose free workers pull whatever waits, are not called saturated
    /// because the estimate split the queue evenly while one pool waits on a slow database.
    #[test]
    fn pools_sharing_a_queue_are_judged_by_their_utilization() {
        let dir = TempDir::new("sweep-shared-queue");
        let file = dir.write(
            "split.json",
            r#"{"version": 1, "duration_s": 60, "warmup_s": 10,
                "nodes": [{"id": "users", "kind": "client", "params": {"rps": 150, "mix": {"async": 1}}},
                          {"id": "web", "kind": "server", "params": {"workers": 1000,
                           "service_ms": {"dist": "const", "mean": 0.001}}},
                          {"id": "q", "kind": "queue", "params": {"max_depth": 200}},
                          {"id": "a", "kind": "worker_pool", "params": {"workers": 10,
                           "service_ms": {"dist": "exp", "mean": 1}}},
                          {"id": "db", "kind": "sql_primary", "params": {"workers": 1000,
                           "write_ms": {"dist": "exp", "mean": 100}}},
                          {"id": "b", "kind": "worker_pool", "params": {"workers": 10,
                           "service_ms": {"dist": "exp", "mean": 50}}}],
                "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "q"},
                          {"from": "q", "to": "a"}, {"from": "q", "to": "b"},
                          {"from": "a", "to": "db"}]}"#,
        );
        let out = scaleplay(&sweep_args(&file, "users.rps", "100", "200", "3"));
        ok(&out);
        assert!(
            out.stdout.contains("highest value meeting the SLO: 200")
                && !out.stdout.contains("is saturated"),
            "{}",
            out.stdout
        );
    }

    /// Jobs are acknowledged once queued, so the SLO holds however far the workers fall
    /// behind: the sweep says from which value on they cannot keep up.
    #[test]
    fn says_when_the_value_meeting_the_slo_saturates_a_node() {
        let dir = TempDir::new("sweep-saturated");
        let file = dir.write(
            "jobs.json",
            r#"{"version": 1, "duration_s": 60, "warmup_s": 10,
                "nodes": [{"id": "users", "kind": "client", "params": {"rps": 100, "mix": {"async": 1.0}}},
                          {"id": "web", "kind": "server", "params": {"workers": 64}},
                          {"id": "jobs", "kind": "queue"},
                          {"id": "workers", "kind": "worker_pool",
                           "params": {"workers": 2, "service_ms": {"dist": "exp", "mean": 10}}}],
                "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "jobs"},
                          {"from": "jobs", "to": "workers"}]}"#,
        );
        // Two workers of 10 ms carry 200 jobs a second: at 200 they are 98% busy on average
        // and full for most of the run, as a queue at exactly its capacity is.
        let out = scaleplay(&sweep_args(&file, "users.rps", "100", "400", "4"));
        ok(&out);
        assert!(
            out.stdout.contains(
                "highest value meeting the SLO: 400\nbut workers is saturated (at least 99% busy, on \
                 average or for a tenth of the run, or offered more than the capacity analysis gives \
                 it) from 200 on"
            ),
            "{}",
            out.stdout
        );
        let mut args = sweep_args(&file, "users.rps", "100", "400", "4");
        args.push("--json");
        let json = scaleplay(&args);
        ok(&json);
        let v: Value = serde_json::from_str(&json.stdout).expect("JSON");
        let saturated: Vec<&Value> = v["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| &r["saturated"])
            .collect();
        assert_eq!(saturated[0], &Value::Null, "{}", json.stdout);
        assert_eq!(saturated[3], "workers", "{}", json.stdout);

        // A sweep whose values all keep up says nothing of the sort.
        let out = scaleplay(&sweep_args(&file, "users.rps", "50", "100", "2"));
        ok(&out);
        assert!(!out.stdout.contains("is saturated"), "{}", out.stdout);

        // Nor does a spike pass unseen: at 100 jobs a second with 10 s of four times that,
        // the workers are 100% busy for a third of the run, and a thousand jobs wait, while
        // their mean over the run is 75%. (Only the mean was looked at.)
        let spiky = dir.write(
            "spiky.json",
            std::fs::read_to_string(&file).unwrap().replace(
                r#""rps": 100,"#,
                r#""rps": 100, "profile": "spike", "spike_x": 4, "spike_s": 10,"#,
            ),
        );
        let out = scaleplay(&sweep_args(&spiky, "users.rps", "20", "100", "2"));
        ok(&out);
        assert!(
            out.stdout.contains("but workers is saturated") && out.stdout.contains("from 100 on"),
            "{}",
            out.stdout
        );
    }

    /// A blocking web tier waiting on a saturated database is as busy as the database: the
    /// sweep names the database, which holds the web tier up, not the web tier.
    #[test]
    fn names_the_saturated_node_furthest_downstream() {
        let dir = TempDir::new("sweep-saturated-chain");
        let file = dir.write(
            "db.json",
            r#"{"version": 1, "duration_s": 60, "warmup_s": 10,
                "nodes": [{"id": "users", "kind": "client",
                           "params": {"rps": 100, "mix": {"read": 0.7, "write": 0.3}, "timeout_ms": 5000}},
                          {"id": "web", "kind": "server",
                           "params": {"instances": 2, "workers": 64, "service_ms": {"dist": "exp", "mean": 5}}},
                          {"id": "primary", "kind": "sql_primary",
                           "params": {"workers": 2, "read_ms": {"dist": "exp", "mean": 5},
                                      "write_ms": {"dist": "exp", "mean": 10}}}],
                "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "primary"}]}"#,
        );
        // Two connections of 6.5 ms on average carry about 308 requests a second; at 600 both
        // the primary and the web tier's workers, all waiting on it, are full.
        let mut args = sweep_args(&file, "users.rps", "100", "600", "2");
        args.push("--json");
        let out = scaleplay(&args);
        ok(&out);
        let v: Value = serde_json::from_str(&out.stdout).expect("JSON");
        let rows = v["rows"].as_array().expect("rows");
        assert_eq!(rows[1]["saturated"], "primary", "{}", out.stdout);
    }

    /// A queue answers its producers at once: a web tier saturated by its own requests is
    /// named, not the saturated worker pool its jobs go to (which it used to be, as "further
    /// downstream", while the web tier's p99 and timeouts were what missed the SLO).
    #[test]
    fn a_saturated_pool_behind_a_queue_does_not_hide_a_saturated_web_tier() {
        let dir = TempDir::new("sweep-saturated-queue");
        let file = dir.write(
            "web.json",
            r#"{"version": 1, "duration_s": 60, "warmup_s": 10,
                "slo": {"p99_ms": 200, "availability": 0.999},
                "nodes": [{"id": "users", "kind": "client",
                           "params": {"rps": 1000, "mix": {"read": 0.95, "async": 0.05}, "timeout_ms": 2000}},
                          {"id": "web", "kind": "server", "params": {"workers": 16, "service_ms": {"dist": "exp", "mean": 5}}},
                          {"id": "jobs", "kind": "queue"},
                          {"id": "pool", "kind": "worker_pool",
                           "params": {"workers": 2, "service_ms": {"dist": "exp", "mean": 200}}}],
                "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "jobs"},
                          {"from": "jobs", "to": "pool"}]}"#,
        );
        // The pool carries 10 jobs a second, 50 at 1,000 req/s; the web tier 3,200 req/s.
        let args = sweep_args(&file, "users.rps", "1000", "4000", "2");
        let out = scaleplay(&args);
        ok(&out);
        let row = |value: &str| {
            out.stdout
                .lines()
                .find(|l| l.split_whitespace().next() == Some(value))
                .unwrap_or_else(|| panic!("no row for {value} in:\n{}", out.stdout))
                .split_whitespace()
                .collect::<Vec<_>>()
        };
        // value, req/s, avail, p50, p99, bottleneck (the analysis'), util, saturated (the run's)
        assert_eq!(row("1000")[7], "pool", "{}", out.stdout);
        assert_eq!(row("4000")[5], "pool", "{}", out.stdout);
        assert_eq!(row("4000")[7], "web", "{}", out.stdout);
        let mut args = args;
        args.push("--json");
        let json = scaleplay(&args);
        ok(&json);
        let v: Value = serde_json::from_str(&json.stdout).expect("JSON");
        assert_eq!(v["rows"][1]["saturated"], "web", "{}", json.stdout);
    }

    /// A range of one value (`--from 100 --to 100`) is that value, run once: one row, not
    /// `--steps` copies of it, and the highest value meeting the SLO is that one, or none.
    #[test]
    fn a_range_of_one_value_runs_it_once() {
        let dir = TempDir::new("sweep-one-value");
        let file = dir.write(SINGLE, preset_text(SINGLE));
        let out = scaleplay(&sweep_args(&file, "users.rps", "100", "100", "5"));
        ok(&out);
        let text = &out.stdout;
        assert!(
            text.starts_with("Sweep of users.rps in Single server: 100 only, 1 value;"),
            "{text}"
        );
        let rows = text
            .lines()
            .filter(|l| l.split_whitespace().next() == Some("100"))
            .count();
        assert_eq!(rows, 1, "{text}");
        assert!(
            text.ends_with("highest value meeting the SLO: 100\n"),
            "{text}"
        );
        assert!(
            out.stderr.contains(
                "note: --from and --to are both 100: the sweep runs that one value, once"
            ),
            "{}",
            out.stderr
        );

        // `--steps 1` says the same, and is taken here (elsewhere one step cannot span a range).
        let out = scaleplay(&sweep_args(&file, "users.rps", "100", "100", "1"));
        ok(&out);
        assert!(
            out.stdout.ends_with("highest value meeting the SLO: 100\n"),
            "{}",
            out.stdout
        );

        let mut args = sweep_args(&file, "users.rps", "1000", "1000", "3");
        args.push("--json");
        let out = scaleplay(&args);
        ok(&out);
        let v: Value = serde_json::from_str(&out.stdout).expect("JSON");
        assert_eq!(
            v["rows"].as_array().map(Vec::len),
            Some(1),
            "{}",
            out.stdout
        );
        // The box saturates at 666.7 req/s.
        assert_eq!(v["highest_meeting_slo"], Value::Null, "{}", out.stdout);

        // A count is not said to be rounded: there is nothing to round.
        let out = scaleplay(&sweep_args(&file, "box.workers", "4", "4", "4"));
        ok(&out);
        assert!(
            !out.stderr.contains("rounded") && out.stdout.contains(": 4 only, 1 value;"),
            "{}{}",
            out.stdout,
            out.stderr
        );
    }

    #[test]
    fn rows_are_the_same_whatever_the_jobs() {
        let dir = TempDir::new("sweep-jobs");
        let file = dir.write(SINGLE, preset_text(SINGLE));
        let mut args = sweep_args(&file, "users.rps", "100", "1000", "4");
        args.extend(["--replications", "2", "--json"]);
        let with_jobs = |jobs: &'static str| {
            let mut a = args.clone();
            a.extend(["--jobs", jobs]);
            let out = scaleplay(&a);
            ok(&out);
            out.stdout
        };
        let one = with_jobs("1");
        let v: Value = serde_json::from_str(&one).expect("JSON");
        assert_eq!(v["rows"].as_array().map(Vec::len), Some(4), "{one}");
        assert_eq!(v["highest_meeting_slo"], 400, "{one}");
        // 8 runs (4 values × 2 replications) spread over 2, 3 or 8 threads.
        for jobs in ["2", "3", "8"] {
            assert_eq!(with_jobs(jobs), one, "{jobs} jobs");
        }
    }

    #[test]
    fn over_workers_writes_integers_and_prints_json_rows() {
        let dir = TempDir::new("sweep-workers");
        // At 200 req/s of 12 ms work, 1 or 2 workers are overloaded; 4 are 60% busy.
        let file = dir.write("busy.json", single_server_at(200));
        let args = sweep_args(&file, "box.workers", "1", "4", "4");
        let out = scaleplay(&args);
        ok(&out);
        // One worker misses the SLO: how many it takes is the answer worth having.
        assert!(
            out.stdout.contains(
                "lowest value meeting the SLO: 3 (lower ones miss it)\n\
                 highest value meeting the SLO: 4\n"
            ),
            "{}",
            out.stdout
        );
        // Two workers leave thousands of requests waiting at the end: said too.
        assert!(
            out.stdout.contains("no: p99, availability, unanswered"),
            "{}",
            out.stdout
        );

        let out = scaleplay(&[&args[..], &["--json"]].concat());
        ok(&out);
        let v: Value = serde_json::from_str(&out.stdout).expect("JSON");
        let rows = v["rows"].as_array().expect("rows");
        let values: Vec<&Value> = rows.iter().map(|r| &r["value"]).collect();
        assert_eq!(
            values,
            [1, 2, 3, 4].map(Value::from).iter().collect::<Vec<_>>()
        );
        assert_eq!(rows[0]["meets_slo"], false);
        assert_eq!(rows[3]["meets_slo"], true);
        assert_eq!(rows[3]["bottleneck"], "box");
        let util = rows[3]["bottleneck_utilization"]
            .as_f64()
            .expect("a number");
        assert!((util - 0.6).abs() < 0.1, "{util}");
        assert_eq!(v["highest_meeting_slo"], 4);
        assert_eq!(v["lowest_meeting_slo"], 3);
    }

    #[test]
    fn values_of_a_count_are_rounded_to_whole_numbers() {
        let dir = TempDir::new("sweep-rounded");
        let file = dir.write("busy.json", single_server_at(200));
        let args = sweep_args(&file, "box.workers", "1", "3", "5");
        let out = scaleplay(&[&args[..], &["--json"]].concat());
        ok(&out);
        // 1, 1.5, 2, 2.5, 3 become 1, 2, 3 (halves round away from zero, repeats go), and
        // the user is told so.
        let v: Value = serde_json::from_str(&out.stdout).expect("JSON");
        let values: Vec<&Value> = v["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| &r["value"])
            .collect();
        assert_eq!(
            values,
            [1, 2, 3].map(Value::from).iter().collect::<Vec<_>>()
        );
        assert!(
            out.stderr
                .contains("box.workers takes whole numbers; the values are rounded to 1, 2, 3"),
            "{}",
            out.stderr
        );
        // The table's header counts the values run, not the steps asked for.
        let out = scaleplay(&args);
        ok(&out);
        assert!(
            out.stdout
                .starts_with("Sweep of box.workers in Single server: 1 to 3, 3 values;"),
            "{}",
            out.stdout
        );
    }

    /// A count inside `autoscale` is rounded as a top-level count is; one share of a mix is
    /// refused before anything runs, since the shares must sum to 1.
    #[test]
    fn autoscale_counts_are_rounded_and_a_mix_share_is_refused() {
        let args = sweep_args("-", "web.autoscale.max", "4", "12", "4");
        let out = scaleplay_with_stdin(&args, preset_text("06-stateless.json").as_bytes());
        ok(&out);
        assert!(
            out.stderr.contains(
                "web.autoscale.max takes whole numbers; the values are rounded to 4, 7, 9, 12"
            ),
            "{}",
            out.stderr
        );
        let args = sweep_args("-", "users.mix.read", "0.1", "0.9", "3");
        let out = scaleplay_with_stdin(&args, preset_text("06-stateless.json").as_bytes());
        assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
        assert!(
            out.stderr
                .contains("a mix's shares must sum to 1, so one share cannot be swept alone"),
            "{}",
            out.stderr
        );
    }

    #[test]
    fn without_an_slo_availability_decides() {
        let dir = TempDir::new("sweep-no-slo");
        let mut v: Value = serde_json::from_str(&preset_text(SINGLE)).expect("JSON");
        v.as_object_mut().expect("an object").remove("slo");
        let file = dir.write("no-slo.json", v.to_string());
        let out = scaleplay(&[
            "sweep",
            &file,
            "--param",
            "box.workers",
            "--from",
            "2",
            "--to",
            "8",
            "--steps",
            "2",
            "--duration",
            "20",
        ]);
        ok(&out);
        assert!(
            out.stdout.contains("the scenario has no SLO"),
            "{}",
            out.stdout
        );
        assert!(
            out.stdout.contains("highest value meeting the SLO: 8"),
            "{}",
            out.stdout
        );
    }
}

mod errors {
    use super::*;

    /// A file whose name is not UTF-8 is a file like any other (Unix allows any bytes but
    /// `/` and NUL in a name): it used to be refused as "invalid UTF-8 in the arguments".
    #[cfg(unix)]
    #[test]
    fn a_file_whose_name_is_not_utf8_opens() {
        use std::os::unix::ffi::OsStrExt;
        let dir = TempDir::new("non-utf8-name");
        let name = std::ffi::OsStr::from_bytes(b"bad\xff.json");
        let path = dir.0.join(name);
        std::fs::write(&path, preset_text(SINGLE)).unwrap();
        for command in ["validate", "run"] {
            let out = Command::new(env!("CARGO_BIN_EXE_scaleplay"))
                .arg(command)
                .arg(&path)
                .output()
                .expect("the binary starts");
            assert!(
                out.status.success(),
                "{command}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // Named as near as text allows when something is wrong with it.
        std::fs::write(&path, "{").unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_scaleplay"))
            .arg("run")
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("bad\u{fffd}.json"));
    }

    /// Runs `args`, expecting exit `code` and a one-line `error: ` message containing `needle`.
    fn fails(args: &[&str], stdin: &[u8], code: i32, needle: &str) {
        let out = scaleplay_with_stdin(args, stdin);
        assert_eq!(out.code, code, "{args:?}: {out:?}");
        assert!(
            out.stderr.starts_with("error: "),
            "{args:?}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains(needle),
            "{args:?}: want {needle:?} in {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
    }

    #[test]
    fn runs_that_would_make_too_many_calls_together_are_refused() {
        // A chain of 200 servers: each of its 10 M requests calls all of them, 2 G calls a
        // run, within a run's limit; three runs are over the limit of one command, though
        // their 30 M requests are far within its limit on requests.
        let dir = TempDir::new("calls-in-all");
        let nodes: Vec<String> = std::iter::once(
            r#"{"id": "users", "kind": "client", "params": {"rps": 1000}}"#.to_string(),
        )
        .chain((0..200).map(|k| format!(r#"{{"id": "s{k}", "kind": "server"}}"#)))
        .collect();
        let edges: Vec<String> = (0..200)
            .map(|k| {
                let from = if k == 0 {
                    "users".to_string()
                } else {
                    format!("s{}", k - 1)
                };
                format!(r#"{{"from": "{from}", "to": "s{k}"}}"#)
            })
            .collect();
        let f = dir.write(
            "chain.json",
            format!(
                r#"{{"version": 1, "duration_s": 10000, "window_s": 100, "nodes": [{}], "edges": [{}]}}"#,
                nodes.join(","),
                edges.join(",")
            ),
        );
        let out = scaleplay(&["validate", &f]);
        ok(&out);
        fails(
            &["run", &f, "--replications", "3"],
            b"",
            2,
            "these 3 replications would make about 6030000000 calls to nodes in all, more than \
             the limit of 5000000000 for one command: lower --replications or --duration",
        );
        fails(
            &[
                "sweep",
                &f,
                "--param",
                "users.rps",
                "--from",
                "998",
                "--to",
                "1000",
                "--steps",
                "3",
            ],
            b"",
            2,
            "this sweep's 3 values × 1 replications would make about",
        );
    }

    #[test]
    fn unreadable_files_name_the_file_and_exit_2() {
        let dir = TempDir::new("errors-files");
        let missing = dir.path("missing.json");
        let missing = missing.to_str().expect("UTF-8");
        let dir_path = dir.0.to_str().expect("UTF-8");
        let latin1 = dir.write("latin1.json", b"{\"name\": \"caf\xe9\"}");
        let not_json = dir.write("notes.json", "version: 1\n");
        let empty = dir.write("empty.json", "");
        let huge = dir.write(
            "huge.json",
            vec![b' '; scaleplay_sim::validate::MAX_SCENARIO_BYTES + 1],
        );
        for cmd in ["run", "validate", "sweep"] {
            let with = |file: &str| -> Vec<String> {
                let mut a = vec![cmd.to_string(), file.to_string()];
                if cmd == "sweep" {
                    a.extend(
                        [
                            "--param",
                            "box.workers",
                            "--from",
                            "1",
                            "--to",
                            "2",
                            "--steps",
                            "2",
                        ]
                        .map(String::from),
                    );
                }
                a
            };
            let check = |file: &str, needle: &str| {
                let args = with(file);
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                fails(&args, b"", 2, needle);
            };
            check(missing, &format!("no such file \"{missing}\""));
            check(dir_path, "is a directory");
            check(&latin1, "is not UTF-8 text");
            check(&empty, "is empty");
            check(&huge, "larger than 4194304 bytes");
        }
        // Not JSON: `run` cannot run it (2); `validate` reports it as the file's problem (1).
        fails(&["run", &not_json], b"", 2, "not a valid scenario file");
        fails(&["run", "-"], b"\xff", 2, "<stdin> is not UTF-8 text");
        // A UTF-16 file (its byte-order mark first) is named as such, with what to do.
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("{\"version\": 1}".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        fails(
            &["run", "-"],
            &utf16,
            2,
            "<stdin> is UTF-16 text: save it as UTF-8",
        );
        // Nested past serde_json's limit: said in words, not as its "recursion limit".
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        fails(
            &["run", "-"],
            deep.as_bytes(),
            2,
            "nests more than 128 arrays or objects inside each other",
        );
        // A seed out of range says what a seed is.
        fails(
            &["run", "-", "--seed", "-1"],
            b"",
            2,
            "a seed is a whole number from 0 to 18446744073709551615",
        );
        fails(
            &["run", "-"],
            b"[1, 2",
            2,
            "<stdin>: not a valid scenario file",
        );
    }

    #[test]
    fn an_invalid_scenario_lists_its_problems_and_exits_2() {
        let dir = TempDir::new("errors-invalid");
        let file = dir.write(
            "bad.json",
            r#"{"version": 1, "nodes": [{"id": "u", "kind": "client", "params": {"rps": -1}}]}"#,
        );
        let out = scaleplay(&["run", &file]);
        assert_eq!(out.code, 2, "{out:?}");
        assert!(
            out.stderr.starts_with(&format!("error: {file}: ")),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("node \"u\""), "{}", out.stderr);
    }

    #[test]
    fn bad_overrides_and_sweeps_say_what_to_do() {
        let dir = TempDir::new("errors-args");
        let file = dir.write(SINGLE, preset_text(SINGLE));
        let f = file.as_str();
        fails(
            &["run", f, "--duration", "10"],
            b"",
            2,
            "not longer than the scenario's warmup_s (10 s)",
        );
        // A negative number is read as the flag's value, and refused as such (clap took it
        // for an unknown option, and its tip to write `-- -1` did not work either).
        fails(
            &["run", f, "--seed", "-1"],
            b"",
            2,
            "invalid value '-1' for '--seed <N>'",
        );
        fails(
            &["run", f, "--duration", "-inf"],
            b"",
            2,
            "--duration must be a finite number of seconds > 0, got -inf",
        );
        // Runs allowed one by one may not add up to hours of work in one command.
        fails(
            &["run", f, "--replications", "1000", "--duration", "90000"],
            b"",
            2,
            "these 1000 replications would simulate about",
        );
        fails(
            &[
                "sweep",
                f,
                "--param",
                "box.workers",
                "--from",
                "1",
                "--to",
                "1000",
                "--steps",
                "1000",
                "--replications",
                "1000",
            ],
            b"",
            2,
            "this sweep's 1000 values × 1000 replications would simulate about",
        );
        // Blamed on the flag, not on the file.
        fails(
            &["run", f, "--duration", "2592001"],
            b"",
            2,
            "--duration must be at most 2592000 seconds (30 days), got 2592001",
        );
        // The clock keeps whole microseconds: a tenth of one more is still the warm-up's end.
        fails(
            &["run", f, "--duration", "10.0000001"],
            b"",
            2,
            "not longer than the scenario's warmup_s (10 s)",
        );
        fails(
            &["run", f, "--duration", "-5"],
            b"",
            2,
            "--duration must be a finite number of seconds > 0",
        );
        fails(&["run", f, "--replications", "0"], b"", 2, "--replications");
        fails(
            &["run", f, "--replications", "1001"],
            b"",
            2,
            "--replications",
        );
        fails(&["run", f, "--jobs", "0"], b"", 2, "--jobs");
        fails(&["run", f, "--jobs", "lots"], b"", 2, "--jobs");
        // Each names its rule, not "invalid digit found in string".
        fails(
            &["run", f, "--replications", "-1"],
            b"",
            2,
            "invalid value '-1' for '--replications <N>': give how many runs: a whole number \
             from 1 to 1000",
        );
        fails(
            &["run", f, "--replications", "2", "--jobs", "1.5"],
            b"",
            2,
            "give how many runs at once: a whole number from 1 to 256",
        );
        fails(
            &["run", f, "--duration", "ten"],
            b"",
            2,
            "invalid value 'ten' for '--duration <S>': give a number, such as 20 or 0.5",
        );
        fails(
            &["validate", "-", f, "-"],
            b"{}",
            2,
            "`-` (standard input) is given more than once: it can be read only once",
        );
        fails(&["run"], b"", 2, "FILE");
        fails(&["bogus"], b"", 2, "bogus");
        let sweep = |param, from, to| sweep_args(f, param, from, to, "2");
        // A service time written as a number is its mean: that number is what to sweep.
        let dir = TempDir::new("errors-sweep-number");
        let mut v: Value = serde_json::from_str(&preset_text(SINGLE)).expect("the preset is JSON");
        v["nodes"][2]["params"]["service_ms"] = Value::from(12);
        let plain = dir.write("plain.json", v.to_string());
        fails(
            &sweep_args(&plain, "box.service_ms.mean", "1", "2", "2"),
            b"",
            2,
            "box.service_ms is a number, not an object, so it has no \"mean\" to set: sweep \
             box.service_ms itself",
        );
        fails(
            &sweep("web.workers", "1", "2"),
            b"",
            2,
            "has no node \"web\": use one of users, dns, box",
        );
        fails(
            &sweep("box.wrokers", "1", "2"),
            b"",
            2,
            "a server has no param \"wrokers\"",
        );
        fails(&sweep("workers", "1", "2"), b"", 2, "NODE.PARAM");
        fails(
            &sweep("box.workers", "0", "2"),
            b"",
            2,
            "with box.workers = 0",
        );
        fails(
            &sweep("box.workers", "1.5", "2"),
            b"",
            2,
            "box.workers takes whole numbers, and --from 1.5 is not one",
        );
        fails(
            &[&sweep("box.workers", "1", "2")[..], &["--steps", "1"]].concat(),
            b"",
            2,
            "--steps",
        );
        fails(
            &sweep_args(f, "box.workers", "1", "2", "1"),
            b"",
            2,
            "--steps 1 cannot go from 1 to 2: give --steps 2 or more, or the same value to \
             --from and --to to run it once",
        );
        // A bare number in place of a distribution would be an exponential of that mean.
        fails(
            &sweep("box.service_ms", "10", "20"),
            b"",
            2,
            "box.service_ms is a distribution (dist, mean): sweep one of its numbers, e.g. \
             box.service_ms.mean",
        );
        fails(
            &sweep("box.service_ms.mea", "10", "20"),
            b"",
            2,
            "unknown field `mea`",
        );
    }
}

/// A run in which requests were sent and none was answered served nobody: availability 0,
/// not a perfect score for want of answers, and a sweep's value does not meet the SLO.
#[test]
fn a_run_that_answered_nothing_is_not_available() {
    let dir = TempDir::new("nothing-answered");
    let file = dir.write(
        "stuck.json",
        r#"{"version": 1, "duration_s": 30, "warmup_s": 5, "slo": {"availability": 0.999},
            "nodes": [{"id": "u", "kind": "client", "params": {"rps": 50}},
                      {"id": "s", "kind": "server",
                       "params": {"workers": 8, "service_ms": {"dist": "const", "mean": 100000}}}],
            "edges": [{"from": "u", "to": "s"}]}"#,
    );
    let json = scaleplay(&["run", &file, "--json"]);
    ok(&json);
    let r: Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert!(r["summary"]["offered"].as_u64().unwrap() > 1000);
    assert_eq!(r["summary"]["availability"], 0.0, "{}", r["summary"]);
    let out = scaleplay(&["run", &file]);
    ok(&out);
    assert!(
        out.stdout.contains("availability  0.00%")
            && out
                .stdout
                .contains("none of the 1224 requests was answered"),
        "{}",
        out.stdout
    );
    let out = scaleplay(&sweep_args(&file, "s.workers", "1", "8", "2"));
    ok(&out);
    assert!(
        !out.stdout.contains("highest value meeting"),
        "{}",
        out.stdout
    );
}

/// Each alert says how bad its breach got and when it was over: preset 01's server is down
/// from 60 s to 75 s, and its backlog drains by 77 s; the next case runs past its end broken.
#[test]
fn run_lists_each_breach_with_its_worst_and_its_end() {
    let dir = TempDir::new("breach-to-the-end");
    let single = dir.write(SINGLE, preset_text(SINGLE));
    let out = scaleplay(&["run", &single]);
    ok(&out);
    let row: Vec<&str> = out
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("SLO alerts"))
        .find(|l| l.contains("  availability  "))
        .expect("an availability alert")
        .split_whitespace()
        .collect();
    assert_eq!(
        row,
        ["61.0", "availability", "2.38%", "0.00%", "77.0"],
        "{}",
        out.stdout
    );
    let file = dir.write(
        "slow.json",
        r#"{"version": 1, "duration_s": 10, "warmup_s": 0, "slo": {"p99_ms": 100},
            "nodes": [{"id": "u", "kind": "client", "params": {"rps": 50}},
                      {"id": "s", "kind": "server", "params": {"workers": 100,
                        "service_ms": {"dist": "const", "mean": 150}}}],
            "edges": [{"from": "u", "to": "s"}]}"#,
    );
    let out = scaleplay(&["run", &file]);
    ok(&out);
    let row = out
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("SLO alerts"))
        .find(|l| l.contains("  p99_ms  "))
        .expect("a p99 alert");
    assert!(row.ends_with("not by the end"), "{}", out.stdout);
}

/// An availability is cut, never rounded up, so it never reads as meeting an SLO it broke:
/// preset 10's first alert is 0.99898 against 0.999, and read "99.90%". An SLO of 0.99999
/// read "99.99900000000001%".
#[test]
fn availabilities_never_round_up_past_their_slo() {
    let preset = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/10-millions.json");
    let out = scaleplay(&["run", preset.to_str().expect("a UTF-8 path")]);
    ok(&out);
    let alerts: Vec<f64> = out
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("SLO alerts (p99 <= 500 ms, availability >= 99.9%)"))
        .filter(|l| l.contains("  availability  "))
        // The value that broke the SLO, then the breach's worst (then when it was resolved).
        .flat_map(|l| l.split_whitespace().skip(2).take(2).collect::<Vec<_>>())
        .map(|value| value.trim_end_matches('%').parse().expect("a percentage"))
        .collect();
    assert!(!alerts.is_empty(), "{}", out.stdout);
    for value in alerts {
        assert!(value < 99.9, "an alert at {value}% in:\n{}", out.stdout);
    }
    let dir = TempDir::new("five-nines");
    let file = dir.write(
        "nines.json",
        r#"{"version": 1, "duration_s": 10, "warmup_s": 1, "slo": {"availability": 0.99999},
            "nodes": [{"id": "u", "kind": "client", "params": {"rps": 50}},
                      {"id": "s", "kind": "server"}],
            "edges": [{"from": "u", "to": "s"}]}"#,
    );
    let out = scaleplay(&["run", &file]);
    ok(&out);
    assert!(
        out.stdout.contains("availability >= 99.999%)"),
        "{}",
        out.stdout
    );
}

/// A run in which nothing was offered after the warm-up has no availability to show: it read
/// "100.00%".
#[test]
fn a_run_with_nothing_offered_shows_no_availability() {
    let dir = TempDir::new("nothing-offered");
    let file = dir.write(
        "quiet.json",
        r#"{"version": 1, "duration_s": 10, "warmup_s": 1,
            "nodes": [{"id": "u", "kind": "client", "params": {"rps": 0.0001}},
                      {"id": "s", "kind": "server"}],
            "edges": [{"from": "u", "to": "s"}]}"#,
    );
    let out = scaleplay(&["run", &file]);
    ok(&out);
    assert!(
        out.stdout.contains("offered       0\n")
            && out
                .stdout
                .contains("availability  none: no request was offered after the warm-up"),
        "{}",
        out.stdout
    );
}

/// Requests that time out in a long backlog: the note under the summary names the node they
/// waited in, which served them after their users gave up, and what to do.
#[test]
fn run_names_the_backlog_that_requests_timed_out_in() {
    let dir = TempDir::new("timed-out");
    let file = dir.write(
        "timed-out.json",
        r#"{"version": 1, "duration_s": 60, "warmup_s": 5,
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 1200, "timeout_ms": 1000}},
                      {"id": "web", "kind": "server",
                       "params": {"workers": 8, "service_ms": 10, "queue": 100000}}],
            "edges": [{"from": "users", "to": "web"}]}"#,
    );
    let out = scaleplay(&["run", &file]);
    ok(&out);
    assert!(
        out.stdout
            .contains("of offered requests timed out: web kept a backlog of "),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("smaller queue there"), "{}", out.stdout);
    // Within its means nothing times out, and nothing is said.
    let calm = scaleplay(&["run", &dir.write("calm.json", single_server_at(50))]);
    ok(&calm);
    assert!(!calm.stdout.contains("timed out"), "{}", calm.stdout);
}

/// An overload with nothing to stop requests piling up (an unbounded backlog, no client
/// timeout) says so under the summary: the memory limit that refused arrivals, and the
/// unanswered requests that availability does not count.
#[test]
fn run_explains_an_unbounded_pile_up_under_the_summary() {
    let dir = TempDir::new("pile-up");
    let file = dir.write(
        "pile-up.json",
        r#"{"version": 1, "duration_s": 12, "warmup_s": 0,
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 100000, "users": 1000}},
                      {"id": "web", "kind": "server"},
                      {"id": "calm", "kind": "client", "params": {"rps": 50}},
                      {"id": "other", "kind": "server"}],
            "edges": [{"from": "users", "to": "web"}, {"from": "calm", "to": "other"}]}"#,
    );
    let out = scaleplay(&["run", &file]);
    ok(&out);
    assert!(
        out.stdout.contains(
            "requests were refused (counted as rejected) at the most a run holds in memory, \
             1000000 requests in the system"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("give the tier with the longest backlog (web) a queue limit"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("of offered) were still unanswered at the end"),
        "{}",
        out.stdout
    );
    let json = scaleplay(&["run", &file, "--json"]);
    ok(&json);
    let r: Value = serde_json::from_str(&json.stdout).expect("JSON");
    let refused = r["run"]["refused_at_limit"].as_u64().expect("a count");
    assert!(refused > 100_000, "{refused}");
    // All reached their users as rejected but those whose refusal was still on its way over
    // the network (0.5 ms at 100,000 rps) when the run ended.
    let rejected = r["summary"]["failed"]["rejected"].as_u64().unwrap();
    assert!(
        rejected <= refused && refused - rejected <= 100,
        "{rejected} of {refused}"
    );
    // The tier whose backlog holds the run's requests refuses them, as a full queue would;
    // other users, whose server is idle, lose nothing to it. (The arrivals were refused at
    // every client instead: "calm" lost half of its requests, and no node was blamed.)
    assert_eq!(r["nodes"]["web"]["rejected"].as_u64(), Some(refused));
    assert_eq!(r["clients"]["calm"]["availability"].as_f64(), Some(1.0));
    assert_eq!(r["clients"]["calm"]["failed"]["rejected"].as_u64(), Some(0));

    // A run that stays within its means says nothing of the sort.
    let out = scaleplay(&["run", &dir.write("calm.json", single_server_at(50))]);
    ok(&out);
    assert!(!out.stdout.contains("note:"), "{}", out.stdout);
    let json = scaleplay(&[
        "run",
        &dir.write("calm2.json", single_server_at(50)),
        "--json",
    ]);
    let r: Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert!(
        r["run"].get("refused_at_limit").is_none(),
        "left out when none"
    );
}

/// A node's latency times its successes too: one that only answered "down" has none to show.
#[test]
fn a_node_with_no_success_shows_no_latency() {
    let dir = TempDir::new("node-no-success");
    let file = dir.write(
        "dark.json",
        r#"{"version": 1, "duration_s": 20, "warmup_s": 5,
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 10}},
                      {"id": "box", "kind": "server"}],
            "edges": [{"from": "users", "to": "box"}],
            "faults": [{"node": "box", "at_s": 0, "action": "fail"}]}"#,
    );
    let out = scaleplay(&["run", &file]);
    ok(&out);
    let row = out
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("box "))
        .unwrap_or_else(|| panic!("no row for box:\n{}", out.stdout));
    let cells: Vec<&str> = row.split_whitespace().collect();
    // id, kind, util %, req/s, backlog, rejected, down, errors, p99 ms
    assert!(cells[6].parse::<u64>().unwrap() > 100, "{row}");
    assert_eq!(cells[8], "-", "{row}");
}

/// Only successes are timed: when none succeeds there is no latency, and a p99 bound is not
/// met by the 0 the report holds in its place. One replication has no interval to show.
#[test]
fn nothing_succeeding_is_no_latency_and_one_run_no_interval() {
    let dir = TempDir::new("no-success");
    let file = dir.write(
        "slow.json",
        r#"{"version": 1, "duration_s": 20, "warmup_s": 5, "slo": {"p99_ms": 100},
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 10, "timeout_ms": 1000}},
                      {"id": "box", "kind": "server",
                       "params": {"service_ms": {"dist": "const", "mean": 2000}}}],
            "edges": [{"from": "users", "to": "box"}]}"#,
    );
    let out = scaleplay(&["run", &file]);
    ok(&out);
    let text = &out.stdout;
    assert!(
        text.contains("latency       none: no request succeeded"),
        "{text}"
    );
    let out = scaleplay(&[
        "sweep",
        &file,
        "--param",
        "users.rps",
        "--from",
        "5",
        "--to",
        "10",
        "--steps",
        "2",
    ]);
    ok(&out);
    let text = &out.stdout;
    assert!(text.contains("no value meets the SLO"), "{text}");
    assert!(!text.contains(" yes"), "{text}");
    let out = scaleplay(&["run", &file, "--replications", "1"]);
    ok(&out);
    let text = &out.stdout;
    assert!(text.contains("1 replication of 20 s"), "{text}");
    assert!(
        text.contains("availability  0.000% (one run: no interval)"),
        "{text}"
    );
    // Nor in JSON: no interval is null, not a 0 that reads as exact.
    let out = scaleplay(&["run", &file, "--replications", "1", "--json"]);
    ok(&out);
    let v: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert!(v["replications"]["availability"]["ci95"].is_null(), "{v}");
    assert_eq!(v["replications"]["availability"]["n"], 1);
    assert!(
        text.contains("latency p99   - (nothing succeeded)"),
        "{text}"
    );
}

/// A latency no replication could time (nothing succeeded in any run: the server is down all
/// along) is no figure: `--json` writes its mean and half-width as null, with `n` 0, as the
/// table shows "-", not a mean of 0 ms that reads as the fastest service there could be. The
/// same for one client's p99 beside another's that has one.
#[test]
fn replications_that_time_nothing_write_no_latency_in_json() {
    let dir = TempDir::new("replications-no-success");
    let file = dir.write(
        "dark.json",
        r#"{"version": 1, "duration_s": 20, "warmup_s": 5,
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 10}},
                      {"id": "box", "kind": "server"}],
            "edges": [{"from": "users", "to": "box"}],
            "faults": [{"node": "box", "at_s": 0, "action": "fail"}]}"#,
    );
    let out = scaleplay(&["run", &file, "--replications", "3"]);
    ok(&out);
    assert!(
        out.stdout.contains("latency mean  - (nothing succeeded)"),
        "{}",
        out.stdout
    );
    let out = scaleplay(&["run", &file, "--replications", "3", "--json"]);
    ok(&out);
    let v: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let r = &v["replications"];
    for key in ["mean_ms", "p50_ms", "p95_ms", "p99_ms"] {
        // The keys are all there: only the values are none.
        let e = r[key]
            .as_object()
            .unwrap_or_else(|| panic!("no {key} in {r}"));
        let mut keys: Vec<&str> = e.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["ci95", "mean", "n"], "{key}: {r}");
        assert!(e["mean"].is_null() && e["ci95"].is_null(), "{key}: {r}");
        assert_eq!(e["n"], 0, "{key}: {r}");
    }
    // What was measured is a figure, 0 included.
    assert_eq!(r["throughput_rps"]["mean"], 0.0, "{r}");
    assert_eq!(r["availability"]["mean"], 0.0, "{r}");
    assert_eq!(r["availability"]["n"], 3, "{r}");

    // Two clients: the one whose server is down has no p99; the other's is a figure.
    let file = dir.write(
        "half.json",
        r#"{"version": 1, "duration_s": 20, "warmup_s": 5,
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 10}},
                      {"id": "box", "kind": "server"},
                      {"id": "others", "kind": "client", "params": {"rps": 10}},
                      {"id": "web", "kind": "server"}],
            "edges": [{"from": "users", "to": "box"}, {"from": "others", "to": "web"}],
            "faults": [{"node": "box", "at_s": 0, "action": "fail"}]}"#,
    );
    let out = scaleplay(&["run", &file, "--replications", "3", "--json"]);
    ok(&out);
    let v: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let r = &v["replications"];
    let dark = &r["clients"]["users"]["p99_ms"];
    assert!(dark["mean"].is_null() && dark["ci95"].is_null(), "{r}");
    assert_eq!(dark["n"], 0, "{r}");
    let lit = &r["clients"]["others"]["p99_ms"];
    assert!(lit["mean"].as_f64().is_some_and(|ms| ms > 0.0), "{r}");
    assert!(
        r["p99_ms"]["mean"].as_f64().is_some_and(|ms| ms > 0.0),
        "{r}"
    );
}

/// The header gives seconds as written: a 10.5 s run with a 10 s warm-up does not read as
/// "10 s simulated; figures after 10 s". A CDN that was down all run looked nothing up, so
/// it shows no hit ratio rather than 0 %.
#[test]
fn header_seconds_and_a_cdn_with_no_lookups() {
    let dir = TempDir::new("header-seconds");
    let file = dir.write(
        "edge.json",
        r#"{"version": 1, "duration_s": 10.5, "warmup_s": 10,
            "nodes": [{"id": "users", "kind": "client",
                       "params": {"rps": 200, "mix": {"read": 0.5, "static": 0.5}}},
                      {"id": "edge", "kind": "cdn", "params": {"hit_ratio": 0.9}},
                      {"id": "assets", "kind": "object_store"},
                      {"id": "web", "kind": "server"}],
            "edges": [{"from": "users", "to": "edge"}, {"from": "users", "to": "web"},
                      {"from": "edge", "to": "assets"}],
            "faults": [{"node": "edge", "at_s": 0, "action": "fail"}]}"#,
    );
    let out = scaleplay(&["run", &file]);
    ok(&out);
    let header = out.stdout.lines().next().unwrap_or_default();
    assert!(
        header.contains("10.5 s simulated; figures after 10 s of warm-up"),
        "{header}"
    );
    let row = out
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("edge "))
        .unwrap_or_else(|| panic!("no row for edge:\n{}", out.stdout));
    assert!(row.contains("hit ratio -,"), "{row}");
}

/// `--duration` keeps a ramp, and a diurnal wave or spike placed by the run's length, over the
/// whole new run, and says so; a spike placed by `spike_at_s` stays put, with no note.
#[test]
fn a_new_duration_says_which_profiles_follow_it() {
    let out = scaleplay_with_stdin(
        &["run", "-", "--duration", "60"],
        preset_text("06-stateless.json").as_bytes(),
    );
    ok(&out);
    assert!(
        out.stderr.contains(
            "note: the ramp of users spans the whole run, so it now takes 60 s instead of 180 s"
        ),
        "{}",
        out.stderr
    );
    let pinned = scaleplay_with_stdin(
        &["run", "-", "--duration", "100"],
        preset_text("08-queue-workers.json").as_bytes(),
    );
    ok(&pinned);
    assert!(
        !pinned.stderr.contains("spans the whole run"),
        "{}",
        pinned.stderr
    );
    // Cut short before it, the pinned spike never comes, and the note says so.
    let before = scaleplay_with_stdin(
        &["run", "-", "--duration", "60"],
        preset_text("08-queue-workers.json").as_bytes(),
    );
    ok(&before);
    assert!(
        before.stderr.contains(
            "note: node \"users\": the spike at 60 s starts at the run's last instant (the run \
             is 60 s long): it never happens; set spike_at_s below 60"
        ),
        "{}",
        before.stderr
    );
    assert!(
        !pinned.stderr.contains("never happens"),
        "{}",
        pinned.stderr
    );
    // Said once (the CLI said it too, in other words).
    assert_eq!(
        before.stderr.matches("spike").count(),
        2,
        "{}",
        before.stderr
    );
}

mod reference {
    use super::*;

    /// `scaleplay reference` is the text of docs/scenario.md, every kind in it.
    #[test]
    fn prints_the_scenario_reference_that_docs_hold() {
        let out = scaleplay(&["reference"]);
        ok(&out);
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/scenario.md");
        let written = std::fs::read_to_string(docs).expect("docs/scenario.md exists");
        assert!(
            out.stdout == written,
            "docs/scenario.md is stale: run `cargo xtask docs`"
        );
        for kind in [
            "client",
            "dns",
            "cdn",
            "load_balancer",
            "server",
            "session_store",
            "cache",
            "sql_primary",
            "sql_replica",
            "nosql",
            "shard_router",
            "queue",
            "worker_pool",
            "object_store",
        ] {
            assert!(out.stdout.contains(&format!("### `{kind}`")), "{kind}");
        }
    }

    /// The example at the top of the reference is a scenario that validates and runs.
    #[test]
    fn its_example_is_a_valid_scenario() {
        let out = scaleplay(&["reference"]);
        ok(&out);
        let example = out
            .stdout
            .split("```json\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("a JSON example");
        let dir = TempDir::new("reference-example");
        let file = dir.write("example.json", example);
        ok(&scaleplay(&["validate", &file]));
        let run = scaleplay(&["run", &file, "--duration", "20", "--json"]);
        ok(&run);
        let report: Value = serde_json::from_str(&run.stdout).expect("a JSON report");
        assert!(
            report["summary"]["succeeded"].as_u64() > Some(0),
            "{report}"
        );
    }

    /// One kind's part only: its params with their defaults and units.
    #[test]
    fn a_kind_prints_its_own_params() {
        let out = scaleplay(&["reference", "server"]);
        ok(&out);
        assert!(out.stdout.starts_with("### `server`"), "{}", out.stdout);
        assert!(
            out.stdout
                .contains("| `workers` | `8` | workers | Requests one instance serves at once"),
            "{}",
            out.stdout
        );
        assert!(!out.stdout.contains("### `client`"), "{}", out.stdout);
    }

    #[test]
    fn an_unknown_kind_is_named_with_the_kinds_there_are() {
        let out = scaleplay(&["reference", "webserver"]);
        assert_eq!(out.code, 2);
        assert!(out.stdout.is_empty(), "{}", out.stdout);
        assert!(
            out.stderr
                .contains("no kind \"webserver\": give one of client, dns, cdn, load_balancer"),
            "{}",
            out.stderr
        );
    }
}

/// What a careless or hostile command line gets: one clear line, with what the user typed
/// quoted safely.
mod messages {
    use super::*;

    /// A file name holding a terminal escape or a newline is quoted escaped: it cannot retitle
    /// the terminal or forge a second message.
    #[test]
    fn a_path_is_quoted_with_its_control_characters_escaped() {
        let dir = TempDir::new("escaped-path");
        let file = dir.write("e\u{1b}]0;PWNED\u{7}\nerror: fake.json", "");
        let out = scaleplay(&["run", &file]);
        assert_eq!(out.code, 2);
        assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{:?}", out.stderr);
        assert!(
            out.stderr
                .contains(r"e\u{1b}]0;PWNED\u{7}\nerror: fake.json is empty"),
            "{:?}",
            out.stderr
        );
    }

    /// A long `--param` is cut short in the message, not echoed whole.
    #[test]
    fn a_long_param_is_cut_short() {
        let long = format!("box.{}", "w".repeat(100_000));
        let file =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/01-single-server.json");
        let args = sweep_args(file.to_str().unwrap(), &long, "1", "2", "2");
        let out = scaleplay(&args);
        assert_eq!(out.code, 2);
        assert!(out.stderr.len() < 1_000, "{} bytes", out.stderr.len());
        assert!(out.stderr.contains("w…"), "{}", out.stderr);
    }

    /// A choice or a switch has no range: the sweep says so, not "must be a name in quotes".
    #[test]
    fn a_choice_cannot_be_swept() {
        let dir = TempDir::new("sweep-choice");
        let file = dir.write("lb.json", preset_text("03-load-balancer.json"));
        let out = scaleplay(&sweep_args(&file, "lb.algorithm", "1", "2", "2"));
        assert_eq!(out.code, 2);
        assert!(
            out.stderr.contains(
                "--param \"lb.algorithm\": algorithm is a choice of names, not a number, so it \
                 cannot be swept"
            ),
            "{}",
            out.stderr
        );
        let out = scaleplay(&sweep_args(&file, "web1.blocking", "0", "1", "2"));
        assert_eq!(out.code, 2);
        assert!(
            out.stderr
                .contains("blocking is a switch (true or false), not a number"),
            "{}",
            out.stderr
        );
    }

    /// A limit the `--duration` option breaks is put down to the option, not to the file.
    #[test]
    fn a_duration_past_a_limit_names_the_option() {
        let dir = TempDir::new("long-duration");
        let file = dir.write("single.json", preset_text(SINGLE));
        let out = scaleplay(&["run", &file, "--duration", "2592000"]);
        assert_eq!(out.code, 2);
        assert!(
            out.stderr
                .starts_with("error: with --duration 2592000 in place of the file's duration_s:"),
            "{}",
            out.stderr
        );
    }

    /// `run` lists the first 20 problems of a broken file, and says where the rest are.
    #[test]
    fn run_lists_at_most_twenty_problems() {
        let nodes: Vec<String> = (0..30)
            .map(|i| format!(r#"{{"id": "b{i}", "kind": "server", "params": {{"workers": -1}}}}"#))
            .collect();
        let text = format!(
            r#"{{"version": 1, "nodes": [{{"id": "u", "kind": "client"}}, {}],
                "edges": [{{"from": "u", "to": "b0"}}]}}"#,
            nodes.join(",")
        );
        let dir = TempDir::new("many-problems");
        let file = dir.write("many.json", &text);
        let out = scaleplay(&["run", &file]);
        assert_eq!(out.code, 2);
        let listed = out.stderr.lines().filter(|l| l.starts_with("  - ")).count();
        assert_eq!(listed, 20, "{}", out.stderr);
        assert!(
            out.stderr.contains("more: `scaleplay validate"),
            "{}",
            out.stderr
        );
        let all = scaleplay(&["validate", &file]);
        assert_eq!(all.code, 1);
        assert!(all.stdout.lines().count() > 20, "{}", all.stdout);
    }

    /// A seed past the largest one says what the largest is; half a character in a `\u`
    /// escape is named as such.
    #[test]
    fn a_seed_too_large_and_a_lone_surrogate_are_explained() {
        let text = preset_text(SINGLE).replacen("\"seed\": 7", "\"seed\": 18446744073709551616", 1);
        let out = scaleplay_with_stdin(&["validate", "-"], text.as_bytes());
        assert_eq!(out.code, 1);
        assert!(
            out.stdout
                .contains("\"seed\": must be a whole number from 0 to 18446744073709551615"),
            "{}",
            out.stdout
        );
        let out = scaleplay_with_stdin(&["validate", "-"], br#"{"version": 1, "name": "\ud800"}"#);
        assert_eq!(out.code, 1);
        assert!(
            out.stdout.contains("a \\u escape is half of a character"),
            "{}",
            out.stdout
        );
    }
}

/// `run --json` writes `null` for a figure with nothing to measure, as `--replications` does.
mod json_nulls {
    use super::*;

    #[test]
    fn nothing_succeeding_has_null_latencies_and_a_measured_run_numbers() {
        let dir = TempDir::new("json-nulls");
        let mut down: Value = serde_json::from_str(&preset_text(SINGLE)).expect("JSON");
        down["faults"] = serde_json::json!([{"node": "box", "at_s": 0, "action": "fail"}]);
        let down = down.to_string();
        let file = dir.write("down.json", &down);
        let out = scaleplay(&["run", &file, "--json"]);
        ok(&out);
        let r: Value = serde_json::from_str(&out.stdout).expect("JSON");
        assert_eq!(r["summary"]["succeeded"], 0, "{}", r["summary"]);
        for key in ["mean", "p50", "p95", "p99", "max"] {
            assert!(
                r["summary"]["latency_ms"][key].is_null(),
                "{key}: {}",
                r["summary"]
            );
            assert!(r["clients"]["users"]["latency_ms"][key].is_null(), "{key}");
        }
        // Everything failed: that is an availability of 0, measured, not a missing one.
        assert_eq!(r["summary"]["availability"], 0.0);
        assert!(r["nodes"]["box"]["latency_ms"]["p99"].is_null());
        let window = &r["series"][30];
        assert_eq!(window["throughput_rps"], 0.0);
        assert!(
            window["p99_ms"].is_null() && window["mean_ms"].is_null(),
            "{window}"
        );
        assert_eq!(window["availability"], 0.0);
        assert!(r["clients"]["users"]["p99_series"][30].is_null());

        // The preset as it is: numbers where something succeeded, null only in its outage.
        let file = dir.write("single.json", preset_text(SINGLE));
        let out = scaleplay(&["run", &file, "--json"]);
        ok(&out);
        let r: Value = serde_json::from_str(&out.stdout).expect("JSON");
        assert!(r["summary"]["latency_ms"]["p99"].as_f64() > Some(0.0));
        assert!(r["series"][30]["p99_ms"].as_f64() > Some(0.0));
        assert!(r["nodes"]["box"]["latency_ms"]["mean"].as_f64() > Some(0.0));
        let outage = r["series"]
            .as_array()
            .expect("series")
            .iter()
            .filter(|w| w["p99_ms"].is_null())
            .count();
        assert!(
            (10..=16).contains(&outage),
            "{outage} windows without a success"
        );
    }

    #[test]
    fn nothing_offered_has_a_null_availability() {
        let dir = TempDir::new("json-nothing-offered");
        let file = dir.write("single.json", preset_text(SINGLE));
        // Past the 10 s warm-up by less than one arrival: nothing is offered after it.
        let out = scaleplay(&["run", &file, "--duration", "10.0001", "--json"]);
        ok(&out);
        let r: Value = serde_json::from_str(&out.stdout).expect("JSON");
        assert_eq!(r["summary"]["offered"], 0, "{}", r["summary"]);
        assert!(r["summary"]["availability"].is_null(), "{}", r["summary"]);
        assert!(r["summary"]["latency_ms"]["p99"].is_null());
    }
}

/// `validate` checks several files in one go, each line naming its file: a directory of shared
/// scenarios at once (`scaleplay validate scenarios/*.json` was refused as an unexpected
/// argument). The exit code is the worst: 1 for problems, 2 for a file it cannot read, and
/// the files after a bad one are still checked.
#[test]
fn validate_checks_several_files_each_line_naming_its_own() {
    let dir = TempDir::new("validate-many");
    let good = dir.write("good.json", single_server_at(50));
    let bad = dir.write(
        "bad.json",
        r#"{"version": 1, "nodes": [{"id": "a", "kind": "sever"}]}"#,
    );
    let all = scaleplay(&["validate", &good, &good]);
    ok(&all);
    assert_eq!(
        all.stdout
            .lines()
            .filter(|l| l.starts_with(&format!("{good}: ok: ")))
            .count(),
        2,
        "{}",
        all.stdout
    );
    let mixed = scaleplay(&["validate", &bad, &good]);
    assert_eq!(mixed.code, 1, "{}", mixed.stderr);
    assert!(
        mixed.stdout.contains(&format!("{bad}: ")),
        "{}",
        mixed.stdout
    );
    assert!(
        mixed.stdout.contains(&format!("{good}: ok: ")),
        "{}",
        mixed.stdout
    );
    let missing = dir.path("missing.json").display().to_string();
    let unreadable = scaleplay(&["validate", &missing, &good]);
    assert_eq!(unreadable.code, 2);
    assert!(
        unreadable.stderr.contains("no such file"),
        "{}",
        unreadable.stderr
    );
    assert!(
        unreadable.stdout.contains(&format!("{good}: ok: ")),
        "{}",
        unreadable.stdout
    );
    // One file reads as before: no name in front of "ok".
    let one = scaleplay(&["validate", &good]);
    ok(&one);
    assert!(one.stdout.starts_with("ok: "), "{}", one.stdout);
}

/// `--jobs` spreads replications over cores: without `--replications` it did nothing, silently.
#[test]
fn run_refuses_jobs_without_replications() {
    let dir = TempDir::new("jobs-alone");
    let file = dir.write("s.json", single_server_at(50));
    let out = scaleplay(&["run", &file, "--jobs", "2"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--replications"), "{}", out.stderr);
    ok(&scaleplay(&[
        "run",
        &file,
        "--jobs",
        "2",
        "--replications",
        "2",
    ]));
}

/// A long run with random failures lists its first 30 faults and sums up the rest by node and
/// source (it printed thousands of lines after the summary); `--json` keeps them all.
#[test]
fn run_lists_the_first_faults_and_counts_the_rest() {
    let dir = TempDir::new("many-faults");
    let file = dir.write(
        "flaky.json",
        r#"{"version": 1, "duration_s": 2000, "warmup_s": 0,
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 5}},
                      {"id": "web", "kind": "server", "params": {"mtbf_s": 20, "mttr_s": 5}}],
            "edges": [{"from": "users", "to": "web"}]}"#,
    );
    let out = scaleplay(&["run", &file]);
    ok(&out);
    let rows = out
        .stdout
        .lines()
        .filter(|l| l.contains(" web ") && l.ends_with("random"))
        .count();
    assert_eq!(rows, 30, "{}", out.stdout);
    let json = scaleplay(&["run", &file, "--json"]);
    let r: Value = serde_json::from_str(&json.stdout).expect("JSON");
    let all = r["faults"].as_array().expect("faults").len();
    assert!(all > 100, "{all}");
    let rest = all - 30;
    assert!(
        out.stdout.contains(&format!(
            "  and {rest} more: {rest} of web (random); --json lists them all"
        )),
        "{}",
        out.stdout
    );
}

/// A misspelt key, kind, param or data center is named with the likely fix, not only with
/// every name there is; a data center that differs from another only by case or a dash is
/// noted, as every call between the two crosses data centers.
#[test]
fn validate_points_at_the_likely_fix_of_a_slip() {
    let dir = TempDir::new("slips");
    let file = dir.write(
        "slips.json",
        r#"{"version": 1, "duratoin_s": 60,
            "nodes": [{"id": "users", "kind": "client", "dc": "eu"},
                      {"id": "web", "kind": "sever", "dc": "eu"},
                      {"id": "web2", "kind": "server", "dc": "eu", "params": {"worker": 4}}],
            "edges": [{"from": "users", "to": "web2"}],
            "faults": [{"dc": "EU", "at_s": 5, "action": "fail"}]}"#,
    );
    let out = scaleplay(&["validate", &file]);
    assert_eq!(out.code, 1);
    for hint in [
        r#"unknown key "duratoin_s" (did you mean "duration_s"?)"#,
        r#"unknown kind "sever" (did you mean "server"?)"#,
        r#"unknown param "worker" for a server (did you mean "workers"?)"#,
        r#"no node is in data center "EU" (did you mean "eu"?): the data centers are "eu""#,
    ] {
        assert!(out.stdout.contains(hint), "{hint}\n{}", out.stdout);
    }
    let split = dir.write(
        "split.json",
        r#"{"version": 1,
            "nodes": [{"id": "users", "kind": "client", "dc": "dc1"},
                      {"id": "web", "kind": "server", "dc": "dc1"},
                      {"id": "db", "kind": "sql_primary", "dc": "dc-1"}],
            "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "db"}]}"#,
    );
    let out = scaleplay(&["validate", &split]);
    ok(&out);
    assert!(
        out.stdout
            .contains(r#"note: data center "dc-1" (of "db") is a slip away from "dc1""#),
        "{}",
        out.stdout
    );
}

/// A queue that gives jobs up, or keeps them waiting, is named under the summary: its
/// producers were answered at once, so availability read 100 % without a word.
#[test]
fn run_names_a_queue_that_loses_or_holds_its_jobs() {
    let dir = TempDir::new("dead-letters");
    let file = dir.write(
        "dlq.json",
        r#"{"version": 1, "duration_s": 120, "warmup_s": 20,
            "nodes": [{"id": "users", "kind": "client", "params": {"rps": 100, "mix": {"async": 1.0}}},
                      {"id": "web", "kind": "server", "params": {"service_ms": 1}},
                      {"id": "q", "kind": "queue", "params": {"visibility_timeout_s": 0.03, "max_attempts": 3}},
                      {"id": "pool", "kind": "worker_pool", "params": {"workers": 5, "service_ms": {"dist": "const", "mean": 40}}}],
            "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "q"}, {"from": "q", "to": "pool"}]}"#,
    );
    let out = scaleplay(&["run", &file]);
    ok(&out);
    assert!(
        out.stdout.contains("availability  100.00%"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("note: queue q: "), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("messages went to its dead letters, work never done, and its jobs waited"),
        "{}",
        out.stdout
    );
    // Preset 8's queue keeps up.
    let fine = scaleplay_with_stdin(
        &["run", "-"],
        preset_text("08-queue-workers.json").as_bytes(),
    );
    ok(&fine);
    assert!(!fine.stdout.contains("note: queue"), "{}", fine.stdout);
}
