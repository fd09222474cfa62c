//! `scaleplay run`: simulate a scenario and print its report, or the mean ± 95% confidence
//! interval of several replications.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Result;
use scaleplay_sim::report::NodeReport;
use scaleplay_sim::scenario::Slo;
use scaleplay_sim::{Report, Scenario, Simulation};

use crate::input;
use crate::replicate::{replicate, Replicated};
use crate::table::{num, pct, Align, Table};

/// Arguments of `scaleplay run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file (JSON), or `-` to read it from stdin. Any name the system allows,
    /// UTF-8 or not.
    pub file: std::path::PathBuf,
    /// Seed of the random draws [default: the scenario's own `seed`].
    #[arg(long, value_name = "N", allow_hyphen_values = true, value_parser = crate::parse_seed)]
    pub seed: Option<u64>,
    /// Simulated seconds, instead of the scenario's `duration_s`.
    #[arg(long, value_name = "S", allow_hyphen_values = true, value_parser = crate::parse_number)]
    pub duration: Option<f64>,
    /// Run N independent replications (1 to 1000) and print mean ± 95% confidence interval.
    #[arg(long, value_name = "N", allow_hyphen_values = true, value_parser = crate::parse_replications)]
    pub replications: Option<u64>,
    /// How many replications run at once (1 to 256) [default: one per core]. The figures do
    /// not depend on it.
    #[arg(long, value_name = "J", allow_hyphen_values = true, requires = "replications", value_parser = crate::parse_jobs)]
    pub jobs: Option<u64>,
    /// Print JSON: the engine's report (with --replications, the first run's, plus the
    /// `replications` object: each figure's mean ± 95% confidence interval over all the runs).
    #[arg(long)]
    pub json: bool,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode> {
    let (label, model) = input::load(&args.file, args.duration)?;
    // On stderr, before the run: what `validate` would have pointed out (a fault after the
    // end ran silently, as if it had happened).
    for slip in crate::validate::slips(&model) {
        crate::note(&format!("note: {slip}"));
    }
    let seed = args.seed.unwrap_or(model.scenario.seed);
    let scenario = model.scenario.clone();
    let text = match args.replications {
        None => {
            let report = crate::budget::run_showing_progress(Simulation::new(model, seed));
            if args.json {
                // Byte for byte what `scaleplay_sim::run_json` gives, which the wasm build is
                // checked against.
                format!("{}\n", report.to_json())
            } else {
                render(&label, &scenario, &report)
            }
        }
        Some(n) => {
            let each = crate::budget::Work::of(&model);
            crate::budget::check(
                std::iter::repeat_n(each, n as usize),
                &format!("these {n} replications"),
                "lower --replications or --duration",
            )?;
            let jobs = crate::parallel::jobs(args.jobs);
            let r = replicate(&model, seed, n as usize, jobs, args.json);
            if args.json {
                format!("{}\n", r.to_json()?)
            } else {
                render_replications(&label, &scenario, &r)
            }
        }
    };
    crate::emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The scenario's name, or the file's when it has none.
fn title<'a>(label: &'a str, s: &'a Scenario) -> &'a str {
    if s.name.trim().is_empty() {
        label
    } else {
        &s.name
    }
}

/// `p99 <= 500 ms, availability >= 99.9%`, or `None` when the scenario sets no SLO.
pub fn describe_slo(slo: &Slo) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(p) = slo.p99_ms {
        parts.push(format!("p99 <= {} ms", crate::table::value(p)));
    }
    if let Some(a) = slo.availability {
        parts.push(format!(
            "availability >= {}%",
            // To 9 places: 0.99999 × 100 is 99.99900000000001 in floating point.
            crate::table::value((a * 100.0 * 1e9).round() / 1e9)
        ));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Seconds as written, to the millisecond: `10`, `10.5` (whole seconds hid that a 10.5 s run
/// with a 10 s warm-up has half a second of figures).
fn seconds(t: f64) -> String {
    let text = num(t, 3);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// The readable report of one run.
pub fn render(label: &str, s: &Scenario, r: &Report) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "{}: seed {}, {} s simulated; figures after {} s of warm-up\n",
        title(label, s),
        r.run.seed,
        seconds(r.run.t_s),
        seconds(r.run.warmup_s)
    );
    render_summary(&mut out, r);
    render_clients(&mut out, s, r);
    render_nodes(&mut out, s, r);
    let _ = writeln!(out, "\n{}", capacity_line(r));

    render_alerts(&mut out, s, r);
    render_faults(&mut out, r);
    render_failovers(&mut out, r);
    out
}

/// The steady-state summary, with what its figures leave unsaid.
fn render_summary(out: &mut String, r: &Report) {
    let m = &r.summary;
    let _ = writeln!(out, "Summary");
    let failed = m.failed.total();
    let mut lines = vec![
        ("offered", m.offered.to_string()),
        ("succeeded", m.succeeded.to_string()),
        (
            "failed",
            format!(
                "{failed} (timeout {}, rejected {}, down {})",
                m.failed.timeout, m.failed.rejected, m.failed.down
            ),
        ),
        ("in flight", m.in_flight.to_string()),
        ("retries", m.retries.to_string()),
        ("throughput", format!("{} req/s", num(m.throughput_rps, 1))),
        (
            "availability",
            // Nothing asked is nothing served or refused: no share to show (null in the JSON).
            if m.offered == 0 {
                "none: no request was offered after the warm-up".to_string()
            } else {
                format!("{}%", crate::table::availability(m.availability))
            },
        ),
        (
            "latency",
            // Only successes are timed: without one there is no latency (null in the JSON).
            if m.succeeded == 0 {
                "none: no request succeeded".to_string()
            } else {
                format!(
                    "mean {} ms, p50 {} ms, p95 {} ms, p99 {} ms, max {} ms",
                    num(m.latency_ms.mean, 1),
                    num(m.latency_ms.p50, 1),
                    num(m.latency_ms.p95, 1),
                    num(m.latency_ms.p99, 1),
                    num(m.latency_ms.max, 1)
                )
            },
        ),
    ];
    if m.sessions_lost > 0 {
        lines.push(("sessions lost", m.sessions_lost.to_string()));
    }
    for (k, v) in lines {
        let _ = writeln!(out, "  {k:<14}{v}");
    }
    for note in summary_notes(r) {
        let _ = writeln!(out, "  note: {note}");
    }
}

/// What each user population saw, when there are several.
fn render_clients(out: &mut String, s: &Scenario, r: &Report) {
    // What each user population saw; with one client that is the summary above.
    if r.clients.len() > 1 {
        let _ = writeln!(out, "\nClients");
        let mut t = Table::new(&[
            ("id", Align::Left),
            ("offered", Align::Right),
            ("req/s", Align::Right),
            ("avail %", Align::Right),
            ("timeout", Align::Right),
            ("rejected", Align::Right),
            ("down", Align::Right),
            ("p50 ms", Align::Right),
            ("p99 ms", Align::Right),
        ]);
        for spec in &s.nodes {
            let Some(c) = r.clients.get(&spec.id) else {
                continue;
            };
            t.row(vec![
                spec.id.clone(),
                c.offered.to_string(),
                num(c.throughput_rps, 1),
                crate::table::availability(c.availability),
                c.failed.timeout.to_string(),
                c.failed.rejected.to_string(),
                c.failed.down.to_string(),
                timed(c.succeeded, c.latency_ms.p50),
                timed(c.succeeded, c.latency_ms.p99),
            ]);
        }
        out.push_str(&t.render(2));
    }
}

/// Each node's figures, in file order.
fn render_nodes(out: &mut String, s: &Scenario, r: &Report) {
    let _ = writeln!(out, "\nNodes");
    let mut t = Table::new(&[
        ("id", Align::Left),
        ("kind", Align::Left),
        ("util %", Align::Right),
        ("req/s", Align::Right),
        ("backlog", Align::Right),
        ("rejected", Align::Right),
        ("down", Align::Right),
        // Failures from below it passed on, or its calls timing out: without this column a
        // web tier in front of a failing database showed no failure at all.
        ("errors", Align::Right),
        ("p99 ms", Align::Right),
        ("details", Align::Left),
    ]);
    // File order, as the author laid the system out; clients have no row.
    for spec in &s.nodes {
        let Some(n) = r.nodes.get(&spec.id) else {
            continue;
        };
        let has_workers = r.capacity.utilization.contains_key(&spec.id);
        t.row(vec![
            spec.id.clone(),
            n.kind.as_str().to_string(),
            // Only nodes with a worker limit have a utilization and a backlog (capacity lists
            // exactly those; a queue's waiting messages are its depth, under details).
            if has_workers {
                pct(n.utilization, 1)
            } else {
                "-".to_string()
            },
            num(n.throughput_rps, 1),
            if has_workers {
                num(n.mean_backlog, 2)
            } else {
                "-".to_string()
            },
            n.rejected.to_string(),
            n.down.to_string(),
            n.errors.to_string(),
            timed(n.succeeded, n.latency_ms.p99),
            details(n),
        ]);
    }
    out.push_str(&t.render(2));
}

/// The SLO's alerts, or why there are none.
fn render_alerts(out: &mut String, s: &Scenario, r: &Report) {
    match describe_slo(&s.slo) {
        None => {
            let _ = writeln!(out, "\nSLO alerts: none (the scenario sets no SLO)");
        }
        Some(slo) if r.alerts.is_empty() => {
            let _ = writeln!(out, "\nSLO alerts ({slo}): none");
        }
        Some(slo) => {
            let _ = writeln!(out, "\nSLO alerts ({slo})");
            let mut t = Table::new(&[
                ("at s", Align::Right),
                ("slo", Align::Left),
                ("value", Align::Right),
                ("worst", Align::Right),
                ("resolved at s", Align::Right),
            ]);
            for a in &r.alerts {
                let shown = |v: f64| match a.slo.as_str() {
                    "availability" => format!("{}%", crate::table::availability(v)),
                    "p99_ms" => format!("{} ms", num(v, 1)),
                    _ => num(v, 3),
                };
                let resolved = a
                    .resolved_s
                    .map_or_else(|| "not by the end".to_string(), |t| num(t, 1));
                t.row(vec![
                    num(a.t_s, 1),
                    a.slo.clone(),
                    shown(a.value),
                    shown(a.worst),
                    resolved,
                ]);
            }
            out.push_str(&t.render(2));
        }
    }
}

/// The faults that started or ended an outage.
fn render_faults(out: &mut String, r: &Report) {
    if r.faults.is_empty() {
        let _ = writeln!(out, "\nFaults: none");
    } else {
        let _ = writeln!(out, "\nFaults");
        let mut t = Table::new(&[
            ("at s", Align::Right),
            ("node", Align::Left),
            ("action", Align::Left),
            ("source", Align::Left),
        ]);
        for f in r.faults.iter().take(LISTED_FAULTS) {
            let node = match f.instance {
                Some(i) => format!("{} #{i}", f.node),
                None => f.node.clone(),
            };
            let action = serde_json::to_value(f.action)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| format!("{:?}", f.action));
            t.row(vec![num(f.t_s, 1), node, action, f.source.clone()]);
        }
        out.push_str(&t.render(2));
        let rest = &r.faults[r.faults.len().min(LISTED_FAULTS)..];
        if !rest.is_empty() {
            // By node and source, most first: what the rest were, in a line.
            let mut counts: Vec<(&str, &str, usize)> = Vec::new();
            for f in rest {
                match counts.iter_mut().find(|c| c.0 == f.node && c.1 == f.source) {
                    Some(c) => c.2 += 1,
                    None => counts.push((&f.node, &f.source, 1)),
                }
            }
            counts.sort_by_key(|c| std::cmp::Reverse(c.2));
            let kinds: Vec<String> = counts
                .iter()
                .map(|(node, source, n)| format!("{n} of {node} ({source})"))
                .collect();
            let _ = writeln!(
                out,
                "  and {} more: {}; --json lists them all",
                rest.len(),
                kinds.join(", ")
            );
        }
        if r.run.faults_unlisted > 0 {
            let _ = writeln!(
                out,
                "  and {} more after these, counted but not listed",
                r.run.faults_unlisted
            );
        }
    }
}

/// When a replica took a failed primary's writes, and when the primary took them back: the
/// time writes worked again, which the faults alone do not say.
fn render_failovers(out: &mut String, r: &Report) {
    if r.failovers.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nFailovers");
    let mut t = Table::new(&[("at s", Align::Right), ("what happened", Align::Left)]);
    for f in r.failovers.iter().take(LISTED_FAULTS) {
        t.row(vec![num(f.t_s, 1), f.what_happened(&f.primary, &f.replica)]);
    }
    out.push_str(&t.render(2));
    let unlisted = r.failovers.len().saturating_sub(LISTED_FAULTS) as u64;
    if unlisted > 0 {
        let _ = writeln!(out, "  and {unlisted} more; --json lists them all");
    }
    if r.run.failovers_unlisted > 0 {
        let _ = writeln!(
            out,
            "  and {} more after these, counted but not listed",
            r.run.failovers_unlisted
        );
    }
}

/// What a queue's figures mean for its jobs, which availability does not count: its producers
/// were answered when each message was queued.
fn queue_note(q: &scaleplay_sim::report::QueueTrouble) -> String {
    format!(
        "queue {}: {}; availability does not count it (its producers were answered when \
         each message was queued): {}",
        scaleplay_sim::error::printable(q.node),
        q.what_happened(),
        q.what_to_do()
    )
}

/// The most faults the readable report lists: a long run with random failures had thousands
/// of lines after the summary.
const LISTED_FAULTS: usize = 30;

/// What the summary's figures leave unsaid: requests refused at the memory limit, and a large
/// share still unanswered, which availability (succeeded ÷ answered) does not count.
fn summary_notes(r: &Report) -> Vec<String> {
    let m = &r.summary;
    let mut notes = Vec::new();
    if let Some(at) = r.refused_at_limit() {
        let which = at.node.map_or_else(
            || "the overloaded tier".to_string(),
            |id| {
                format!(
                    "the tier with the longest backlog ({})",
                    scaleplay_sim::error::printable(id)
                )
            },
        );
        notes.push(format!(
            "{} requests were refused (counted as rejected) at the most a run holds in memory, \
             {} requests in the system or {} messages in its queues: each was refused where it \
             would have waited, as by a full queue; give {which} a queue limit (a queue a \
             max_depth): a client's timeout_ms does not help, as the requests it gives up on \
             wait all the same",
            at.refused,
            scaleplay_sim::engine::MAX_LIVE_REQUESTS,
            scaleplay_sim::engine::MAX_QUEUED_MESSAGES
        ));
    }
    for q in r.queue_troubles() {
        notes.push(queue_note(&q));
    }
    if m.offered > 0 && m.in_flight == m.offered {
        notes.push(format!(
            "none of the {} requests was answered by the end, so availability is 0 (and no \
             window could raise an alert): look at the bottleneck below, or give the clients \
             a timeout_ms",
            m.offered
        ));
    } else if m.offered > 0 && m.in_flight as f64 > 0.05 * m.offered as f64 {
        notes.push(format!(
            "{} requests ({}% of offered) were still unanswered at the end; availability counts \
             answered requests only: a client timeout_ms turns the ones that wait too long into \
             failures",
            m.in_flight,
            pct(m.in_flight as f64 / m.offered as f64, 1)
        ));
    }
    if let Some(note) = timed_out_note(r) {
        notes.push(note);
    }
    notes
}

/// Where many requests timed out ([`Report::timeouts_backlog`]), and what to do: as the app's
/// summary says it.
fn timed_out_note(r: &Report) -> Option<String> {
    let t = r.timeouts_backlog()?;
    Some(format!(
        "{}% of offered requests timed out: {} kept a backlog of {} on average and served \
         them after their users had given up (its throughput counts those answers): a \
         smaller queue there refuses the excess at once; more workers or instances serve it",
        pct(t.timed_out_share, 1),
        t.node,
        num(t.mean_backlog, 0)
    ))
}

/// `bottleneck: box saturates at 666.7 req/s (offered 50.0 req/s)`, and for an autoscaled
/// bottleneck the instances that takes.
pub fn capacity_line(r: &Report) -> String {
    let c = &r.capacity;
    match &c.bottleneck {
        Some(b) => format!(
            "bottleneck: {b} saturates at {} req/s (offered {} req/s{}){}",
            num(c.max_rps.unwrap_or(f64::INFINITY), 1),
            num(c.offered_rps, 1),
            c.peak_note(|x| format!("{} req/s", num(x, 1))),
            c.autoscaled_note()
        ),
        None => "bottleneck: none (no node has a worker limit)".to_string(),
    }
}

/// The figures only some kinds have: cache hits, replica staleness, queue depth, sessions,
/// autoscaled instances.
fn details(n: &NodeReport) -> String {
    let mut parts = Vec::new();
    if let Some(h) = n.hit_ratio {
        // A node that answered nothing (down all run) looked nothing up: no ratio to show.
        if n.succeeded == 0 && h == 0.0 {
            parts.push("hit ratio -".to_string());
        } else {
            parts.push(format!("hit ratio {}%", pct(h, 1)));
        }
    }
    if let Some(l) = n.lag_ms {
        parts.push(format!("lag mean {} ms", num(l, 0)));
    }
    if let Some(s) = n.stale_reads {
        match n.reads {
            Some(reads) if reads > 0 => parts.push(format!(
                "stale reads {s} ({:.1}% of {reads} reads)",
                s as f64 / reads as f64 * 100.0
            )),
            _ => parts.push(format!("stale reads {s}")),
        }
    }
    if let Some(d) = n.depth {
        let max = n
            .max_depth
            .map(|m| format!(" (max {m})"))
            .unwrap_or_default();
        parts.push(format!("depth {}{max}", num(d, 1)));
    }
    // How long jobs waited for a worker: the queue's own latency column is its producers'
    // (answered at once), so this is where a backlog of jobs shows as time.
    if let Some(w) = n.waits() {
        parts.push(format!(
            "waited mean {} ms, p99 {} ms",
            num(w.mean, 1),
            num(w.p99, 1)
        ));
    }
    if let Some(d) = n.dead_letters {
        parts.push(format!("dead letters {d}"));
    }
    if let Some(s) = n.sessions_lost {
        parts.push(format!("sessions lost {s}"));
    }
    if let Some(series) = &n.instances {
        let max = series.iter().max().copied().unwrap_or(n.instances_now);
        let first = series.first().copied().unwrap_or(n.instances_now);
        parts.push(format!(
            "instances {first}→{} (peak {max})",
            n.instances_now
        ));
    }
    if n.availability < 1.0 {
        parts.push(format!("up {}%", pct(n.availability, 1)));
    }
    parts.join(", ")
}

/// A latency of a client's or node's successes, or "-" without one to time.
fn timed(succeeded: u64, ms: f64) -> String {
    if succeeded == 0 {
        "-".into()
    } else {
        num(ms, 1)
    }
}

/// The readable summary of several replications.
pub fn render_replications(label: &str, s: &Scenario, r: &Replicated) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} replication{} of {} s each; figures after {} s of warm-up\n",
        title(label, s),
        r.runs,
        if r.runs == 1 { "" } else { "s" },
        crate::table::value(s.duration_s),
        crate::table::value(s.warmup_s)
    );
    // An interval needs two values; latencies have none from runs where nothing succeeded,
    // availability none from runs offered nothing after the warm-up.
    let nothing = if r.figures.availability.n == 0 {
        "- (no request was offered after the warm-up)"
    } else {
        "- (nothing succeeded)"
    };
    let ci =
        |e: &scaleplay_sim::replicate::Estimate, scale: f64, decimals: usize, unit: &str| match e.n
        {
            0 => nothing.to_string(),
            1 => format!(
                "{}{unit} (one run: no interval)",
                num(e.mean * scale, decimals)
            ),
            _ => format!(
                "{} ± {}{unit}",
                num(e.mean * scale, decimals),
                num(e.ci95 * scale, decimals)
            ),
        };
    let f = &r.figures;
    let lines = [
        ("throughput", ci(&f.throughput_rps, 1.0, 2, " req/s")),
        ("availability", ci(&f.availability, 100.0, 3, "%")),
        ("latency mean", ci(&f.mean_ms, 1.0, 2, " ms")),
        ("latency p50", ci(&f.p50_ms, 1.0, 2, " ms")),
        ("latency p95", ci(&f.p95_ms, 1.0, 2, " ms")),
        ("latency p99", ci(&f.p99_ms, 1.0, 2, " ms")),
    ];
    for (k, v) in lines {
        let _ = writeln!(out, "  {k:<14}{v}");
    }
    // With several clients, what each one's users saw, in file order.
    if !f.clients.is_empty() {
        let _ = writeln!(out, "\nClients");
        let mut t = Table::new(&[
            ("id", Align::Left),
            ("throughput", Align::Right),
            ("availability", Align::Right),
            ("p99", Align::Right),
        ]);
        for spec in &s.nodes {
            if let Some(c) = f.clients.get(&spec.id) {
                t.row(vec![
                    spec.id.clone(),
                    ci(&c.throughput_rps, 1.0, 2, " req/s"),
                    ci(&c.availability, 100.0, 3, "%"),
                    ci(&c.p99_ms, 1.0, 2, " ms"),
                ]);
            }
        }
        out.push_str(&t.render(2));
    }
    let seeds: Vec<String> = f.seeds.iter().map(u64::to_string).collect();
    let _ = writeln!(
        out,
        "\n(mean ± half-width of the 95% confidence interval, Student's t)"
    );
    let _ = writeln!(out, "seeds: {}", seeds.join(", "));
    out
}
