//! `scaleplay sweep`: run a scenario for evenly spaced values of one node param and find the
//! highest value that still meets the SLO (PRODUCT.md §6: "find the highest `rps` that keeps
//! p99 under the SLO").

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use scaleplay_sim::model::{Model, NodeId};
use scaleplay_sim::params::{
    param_names, Algorithm, Params, COMMON_PARAMS, WHOLE_NUMBER_AUTOSCALE_KEYS, WHOLE_NUMBER_PARAMS,
};
use scaleplay_sim::replicate::{replication_seeds, Replications, RunFigures};
use scaleplay_sim::scenario::{Kind, Slo};
use scaleplay_sim::{capacity, Scenario, Simulation};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::budget::Work;
use crate::input;
use crate::parallel::{self, map_in_order};

use crate::table::{num, pct, value, Align, Table};

/// Arguments of `scaleplay sweep`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file (JSON), or `-` to read it from stdin. Any name the system allows,
    /// UTF-8 or not.
    pub file: std::path::PathBuf,
    /// The param to vary, as NODE.PARAM: `users.rps`, `box.workers`, `box.service_ms.mean`.
    #[arg(long, value_name = "NODE.PARAM")]
    pub param: String,
    /// First value.
    #[arg(long, value_name = "A", allow_hyphen_values = true, value_parser = crate::parse_number)]
    pub from: f64,
    /// Last value.
    #[arg(long, value_name = "B", allow_hyphen_values = true, value_parser = crate::parse_number)]
    pub to: f64,
    /// How many evenly spaced values, ends included (2 to 1000; 1 when --from equals --to).
    #[arg(long, value_name = "K", allow_hyphen_values = true, value_parser = crate::parse_steps)]
    pub steps: u64,
    /// Seed of the random draws [default: the scenario's own `seed`].
    #[arg(long, value_name = "N", allow_hyphen_values = true, value_parser = crate::parse_seed)]
    pub seed: Option<u64>,
    /// Simulated seconds of each run, instead of the scenario's `duration_s`.
    #[arg(long, value_name = "S", allow_hyphen_values = true, value_parser = crate::parse_number)]
    pub duration: Option<f64>,
    /// Runs per value (1 to 1000); the table shows their means.
    #[arg(long, value_name = "R", default_value_t = 1, allow_hyphen_values = true,
          value_parser = crate::parse_replications)]
    pub replications: u64,
    /// How many runs go at once (1 to 256) [default: one per core]. The table does not depend
    /// on it.
    #[arg(long, value_name = "J", allow_hyphen_values = true, value_parser = crate::parse_jobs)]
    pub jobs: Option<u64>,
    /// Print the rows as JSON.
    #[arg(long)]
    pub json: bool,
}

/// One value of the sweep.
#[derive(Debug, Serialize)]
struct Row {
    value: Value,
    throughput_rps: f64,
    /// None when no request was offered after the warm-up: there was nothing to take it of.
    availability: Option<f64>,
    /// None when no request succeeded: there was no latency to take.
    p50_ms: Option<f64>,
    p99_ms: Option<f64>,
    bottleneck: Option<String>,
    bottleneck_utilization: f64,
    meets_slo: bool,
    /// Which bounds of the SLO the value misses ("p99", "availability"; "unanswered" when
    /// more than [`UNANSWERED`] of the requests sent were still waiting at the end, which
    /// neither bound sees), or why it cannot be judged ("nothing offered"); empty when it
    /// meets them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    misses: Vec<&'static str>,
    /// A node at least [`SATURATED`] busy in some run of this value: it does not keep up, so
    /// work piles up behind it, which the SLO may not see (jobs waiting in a queue).
    #[serde(skip_serializing_if = "Option::is_none")]
    saturated: Option<String>,
}

/// Utilization from which a node counts as saturated.
const SATURATED: f64 = 0.99;

/// Share of the requests sent after the warm-up still waiting for an answer at the end of a
/// run from which a value misses the SLO, whatever its bounds: PRODUCT.md's availability is
/// successes ÷ requests offered, and the report's counts answered requests only (a request
/// still waiting may yet succeed), so an overloaded tier whose users have no timeout failed
/// nothing, and 300 req/s into a box that serves 100 "met" an availability SLO. A stable
/// system leaves only its last moments' requests waiting (λ·W of λ·T), far below this; the
/// app's summary notes the same share.
const UNANSWERED: f64 = 0.05;

/// What the sweep keeps of one run.
struct OneRun {
    figures: RunFigures,
    /// Of the node the capacity analysis names the bottleneck.
    bottleneck_utilization: f64,
    saturated: Option<String>,
    /// See [`unanswered_share`].
    unanswered: f64,
}

/// The share of the requests sent after the warm-up that were still waiting at the end.
fn unanswered_share(report: &scaleplay_sim::Report) -> f64 {
    let m = &report.summary;
    if m.offered == 0 {
        0.0
    } else {
        m.in_flight as f64 / m.offered as f64
    }
}

/// The saturated node of a run that holds the others up, if any is saturated. A blocking
/// server waiting on a saturated database is as busy as the database, so of the saturated
/// nodes the one named is the furthest downstream: one that calls no other saturated node
/// (the busiest of those). A queue answers its producers once a job is queued, so what is
/// behind it holds nobody up: a web tier saturated by its own work was called "fine" because
/// it sent jobs to a saturated worker pool, which was named instead. And a node on the
/// requests' own path comes before one behind a queue, which the SLO does not see.
fn saturated_node(report: &scaleplay_sim::Report, model: &Model) -> Option<String> {
    let saturated: Vec<(&String, f64)> = report
        .nodes
        .iter()
        .filter(|(_, n)| saturated_in(n, model))
        .map(|(id, n)| (id, n.utilization))
        .collect();
    let is_saturated = |n: NodeId| saturated.iter().any(|(id, _)| **id == model.node(n).id);
    let calls_a_saturated_node = |id: &str| {
        let Some(start) = model.find(id) else {
            return false;
        };
        if !waits_on_its_calls(model, start) {
            return false;
        }
        let mut seen = vec![false; model.nodes.len()];
        let mut stack: Vec<NodeId> = model.downstream(start).collect();
        while let Some(n) = stack.pop() {
            if std::mem::replace(&mut seen[n.ix()], true) {
                continue;
            }
            if n != start && is_saturated(n) {
                return true;
            }
            if model.node(n).kind != Kind::Queue {
                stack.extend(model.downstream(n));
            }
        }
        false
    };
    let on_path = on_the_requests_path(model);
    let on_path = |id: &str| model.find(id).is_some_and(|n| on_path[n.ix()]);
    let busiest = |nodes: &mut dyn Iterator<Item = &(&String, f64)>| {
        nodes
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(id, _)| (*id).clone())
    };
    let holding_up: Vec<(&String, f64)> = saturated
        .iter()
        .filter(|(id, _)| !calls_a_saturated_node(id))
        .copied()
        .collect();
    busiest(&mut holding_up.iter().filter(|(id, _)| on_path(id)))
        .or_else(|| busiest(&mut holding_up.iter()))
        .or_else(|| busiest(&mut saturated.iter()))
        .or_else(|| hot_instance_beyond_capacity(report, model))
}

/// Whether node `n` keeps its worker busy while its calls below run, so that a saturated
/// node below makes it as busy: not a non-blocking server, nor a cache, whose read-through
/// fetch holds no worker.
fn waits_on_its_calls(model: &Model, n: NodeId) -> bool {
    match &model.node(n).params {
        Params::Server(p) => p.blocking,
        Params::Cache(_) => false,
        _ => true,
    }
}

/// The nodes a client's requests pass through on their way to an answer: every node its
/// calls reach without passing a queue (a queue is on the path; the pools behind it are not).
fn on_the_requests_path(model: &Model) -> Vec<bool> {
    let mut reached = vec![false; model.nodes.len()];
    let mut stack: Vec<NodeId> = model.clients().collect();
    while let Some(n) = stack.pop() {
        if std::mem::replace(&mut reached[n.ix()], true) {
            continue;
        }
        if model.node(n).kind != Kind::Queue {
            stack.extend(model.downstream(n));
        }
    }
    reached
}

/// Share of the windows after the warm-up in which a node at least [`SATURATED`] busy counts
/// as saturated, though its mean is lower.
const SATURATED_WINDOWS: f64 = 0.1;

/// Whether `node` was saturated in the run: at least [`SATURATED`] busy after the warm-up on
/// average, or in at least [`SATURATED_WINDOWS`] of the windows after it. Traffic that ramps
/// up or spikes past what a node serves saturates it for a stretch while its mean looks
/// comfortable (workers 100% busy from 50 s of a 120 s ramp, 8,571 jobs queued, a mean of
/// 80%, and no warning).
fn saturated_in(node: &scaleplay_sim::report::NodeReport, model: &Model) -> bool {
    if node.utilization >= SATURATED {
        return true;
    }
    let (warmup, window) = (model.scenario.warmup_s, model.scenario.window_s);
    // Window k (from 0) covers [k·window, (k+1)·window).
    let measured: Vec<f64> = node
        .utilization_series
        .iter()
        .enumerate()
        .filter(|(k, _)| *k as f64 * window >= warmup)
        .map(|(_, u)| *u)
        .collect();
    let busy = measured.iter().filter(|u| **u >= SATURATED).count();
    !measured.is_empty() && busy as f64 >= SATURATED_WINDOWS * measured.len() as f64
}

/// The bottleneck, when its instances are picked by key and the run was offered more than
/// the capacity analysis says it can serve: users kept on one instance each (`ip_hash`, a
/// store's partitions) saturate the hottest instance while the node's mean utilization, all
/// a report has, looks comfortable (73% busy at 600 req/s, past the 546 its hottest instance
/// allows, with a p99 of 27 s and thousands waiting). Elsewhere the mean tells, and the
/// analysis' estimate is not needed.
fn hot_instance_beyond_capacity(report: &scaleplay_sim::Report, model: &Model) -> Option<String> {
    let c = &report.capacity;
    let (max, id) = (c.max_rps?, c.bottleneck.as_ref()?);
    let node = model.find(id)?;
    (c.offered_rps > max && picked_by_key(model, node)).then(|| id.clone())
}

/// Whether requests reach an instance of `node` by their user's key rather than by load.
fn picked_by_key(model: &Model, node: NodeId) -> bool {
    let keyed_store = model.node(node).kind.keyed_by_user();
    let behind_ip_hash = model.nodes.iter().enumerate().any(|(i, n)| {
        matches!(&n.params, Params::LoadBalancer(p) if p.algorithm == Algorithm::IpHash)
            && model.downstream(NodeId(i as u32)).any(|d| d == node)
    });
    (keyed_store || behind_ip_hash) && model.max_instances(node) > 1
}

/// What "meets the SLO" means for this sweep.
#[derive(Debug, Serialize)]
struct Criterion {
    p99_ms: Option<f64>,
    availability: Option<f64>,
    /// False when the scenario sets no SLO and the default (availability ≥ 99.9%) stands in.
    from_scenario: bool,
}

impl Criterion {
    fn of(slo: &Slo) -> Criterion {
        if slo.p99_ms.is_none() && slo.availability.is_none() {
            Criterion {
                p99_ms: None,
                availability: Some(0.999),
                from_scenario: false,
            }
        } else {
            Criterion {
                p99_ms: slo.p99_ms,
                availability: slo.availability,
                from_scenario: true,
            }
        }
    }

    /// Which bounds figures miss (none: they meet it). A p99 bound is missed without a p99
    /// (nothing succeeded), and everything without an availability (nothing was offered: no
    /// figure shows the SLO met, and a run shortened to its warm-up was "the highest value
    /// meeting the SLO").
    fn misses(
        &self,
        availability: Option<f64>,
        p99_ms: Option<f64>,
        unanswered: f64,
    ) -> Vec<&'static str> {
        let Some(availability) = availability else {
            return vec!["nothing offered"];
        };
        let p99_missed = self.p99_ms.is_some_and(|p| p99_ms.is_none_or(|v| v > p));
        let availability_missed = self.availability.is_some_and(|a| availability < a);
        [
            (p99_missed, "p99"),
            (availability_missed, "availability"),
            (unanswered > UNANSWERED, "unanswered"),
        ]
        .into_iter()
        .filter_map(|(missed, bound)| missed.then_some(bound))
        .collect()
    }
}

#[derive(Debug, Serialize)]
struct Output<'a> {
    param: &'a str,
    seed: u64,
    replications: u64,
    slo: &'a Criterion,
    rows: &'a [Row],
    highest_meeting_slo: Option<&'a Value>,
    /// When the lowest value swept misses the SLO and a higher one meets it: the lowest that
    /// does (for a resource such as workers, the one worth knowing).
    #[serde(skip_serializing_if = "Option::is_none")]
    lowest_meeting_slo: Option<&'a Value>,
    /// Values that miss the SLO between values that meet it: near the limit, runs vary.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    misses_between: Vec<&'a Value>,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode> {
    if !(args.from.is_finite() && args.to.is_finite()) {
        bail!("--from and --to must be finite numbers");
    }
    let src = input::read(&args.file)?;
    let mut base = input::parse(&src)?;
    let note = match args.duration {
        Some(d) => input::set_duration(&mut base, d)?,
        None => None,
    };
    // A broken file is reported as such before any value is tried.
    input::validate(&src.label, &base)?;
    let target = Target::resolve(&base, &src.label, &args.param)?;
    let seed = args.seed.unwrap_or(base.seed);

    if args.steps == 1 && args.from != args.to {
        bail!(
            "--steps 1 cannot go from {} to {}: give --steps 2 or more, or the same value to \
             --from and --to to run it once",
            value(args.from),
            value(args.to)
        );
    }
    let mut values = spread(args.from, args.to, args.steps as usize);
    // Said once the sweep is sure to go ahead: an error should be the only message.
    let one_value = (values.len() == 1).then(|| {
        format!(
            "note: --from and --to are both {}: the sweep runs that one value, once (more \
             --steps would only repeat its row)",
            value(args.from)
        )
    });
    if target.whole() {
        values = whole_values(&args.param, args.from, args.to, &values)?;
    }

    // Every value is checked first, so one the scenario cannot take fails before hours of
    // runs; but only the value and the work it asks for are kept, and its model is built again
    // where it is needed: a model for each value held 2.4 GB for 1,000 values of a 1,000-node
    // scenario (each model keeps its scenario, params and all).
    let model_for = |v: f64| -> Result<(Value, Model)> {
        let mut s = base.clone();
        let written = target.set(&mut s, v)?;
        let model = input::validate(&src.label, &s)
            .with_context(|| format!("with {} = {}", args.param, value(v)))?;
        Ok((written, model))
    };
    let mut checked: Vec<(f64, Value, Work)> = Vec::new();
    for v in values {
        let (written, model) = model_for(v)?;
        checked.push((v, written, Work::of(&model)));
    }
    for note in note.into_iter().chain(one_value) {
        crate::note(&note);
    }

    let criterion = Criterion::of(&base.slo);
    let seeds = replication_seeds(seed, args.replications as usize);
    crate::budget::check(
        checked
            .iter()
            .flat_map(|(_, _, work)| std::iter::repeat_n(*work, seeds.len())),
        &format!(
            "this sweep's {} values × {} replications",
            checked.len(),
            seeds.len()
        ),
        "lower --steps, --replications or --duration",
    )?;
    // After the budget: an analysis per value took seconds before a refusal of a huge sweep.
    let bottlenecks: Vec<Option<String>> = checked
        .iter()
        .map(|(v, _, _)| model_for(*v).map(|(_, model)| capacity::analyze(&model).bottleneck))
        .collect::<Result<_>>()?;
    // One job per value and replication, so that even one run per value keeps every core busy.
    let jobs: Vec<(usize, u64)> = (0..checked.len())
        .flat_map(|v| seeds.iter().map(move |&s| (v, s)))
        .collect();
    let progress = crate::budget::Progress::new(jobs.len());
    let results = map_in_order(jobs, parallel::jobs(args.jobs), |(v, s)| {
        let (_, model) = model_for(checked[v].0)?;
        let report = Simulation::new(model.clone(), s).run();
        progress.tick();
        let at_bottleneck = bottlenecks[v].as_ref().and_then(|b| report.nodes.get(b));
        Ok(OneRun {
            figures: RunFigures::of(&report),
            bottleneck_utilization: at_bottleneck.map_or(0.0, |n| n.utilization),
            saturated: saturated_node(&report, &model),
            unanswered: unanswered_share(&report),
        })
    });
    drop(progress); // clears its line before the table is printed
    let results = results.into_iter().collect::<Result<Vec<OneRun>>>()?;
    let mut rows = Vec::new();
    let per_value = results.chunks(seeds.len());
    for (((_, written, _), bottleneck), chunk) in
        checked.into_iter().zip(bottlenecks).zip(per_value)
    {
        let figures: Vec<RunFigures> = chunk.iter().map(|run| run.figures.clone()).collect();
        let r = Replications::summarise(seeds.clone(), &figures);
        let mean =
            |figure: fn(&OneRun) -> f64| chunk.iter().map(figure).sum::<f64>() / chunk.len() as f64;
        let utilization = mean(|run| run.bottleneck_utilization);
        let unanswered = mean(|run| run.unanswered);
        let saturated = chunk.iter().find_map(|run| run.saturated.clone());
        let availability = (r.availability.n > 0).then_some(r.availability.mean);
        let timed = |e: &scaleplay_sim::replicate::Estimate| (e.n > 0).then_some(e.mean);
        let p99_ms = timed(&r.p99_ms);
        let misses = criterion.misses(availability, p99_ms, unanswered);
        rows.push(Row {
            value: written,
            throughput_rps: r.throughput_rps.mean,
            availability,
            p50_ms: timed(&r.p50_ms),
            p99_ms,
            bottleneck,
            bottleneck_utilization: utilization,
            meets_slo: misses.is_empty(),
            misses,
            saturated,
        });
    }
    let highest = rows
        .iter()
        .filter(|r| r.meets_slo)
        .max_by(|a, b| as_f64(&a.value).total_cmp(&as_f64(&b.value)))
        .map(|r| &r.value);
    let lowest = lowest_meeting(&rows);
    let between = misses_between(&rows);

    let text = if args.json {
        let out = Output {
            param: &args.param,
            seed,
            replications: args.replications,
            slo: &criterion,
            rows: &rows,
            highest_meeting_slo: highest,
            lowest_meeting_slo: lowest,
            misses_between: between.clone(),
        };
        format!("{}\n", serde_json::to_string_pretty(&out)?)
    } else {
        render(
            args,
            &src.label,
            &base,
            seed,
            &criterion,
            &rows,
            &Found {
                lowest,
                highest,
                between: &between,
            },
        )
    };
    crate::emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn as_f64(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// What the sweep found across its rows.
struct Found<'a> {
    /// The lowest value meeting the SLO, when the lowest swept misses it.
    lowest: Option<&'a Value>,
    highest: Option<&'a Value>,
    /// Values missing the SLO between values meeting it.
    between: &'a [&'a Value],
}

fn render(
    args: &Args,
    label: &str,
    s: &Scenario,
    seed: u64,
    criterion: &Criterion,
    rows: &[Row],
    found: &Found,
) -> String {
    let Found {
        lowest,
        highest,
        between,
    } = *found;
    let mut out = String::new();
    let name = if s.name.trim().is_empty() {
        label
    } else {
        &s.name
    };
    let runs = match args.replications {
        1 => "1 run per value".to_string(),
        n => format!("mean of {n} runs per value"),
    };
    // The values run, which rounding to whole numbers may make fewer than `--steps`, and
    // which are one when the range is a single value.
    let range = if args.from == args.to {
        format!("{} only", value(args.from))
    } else {
        format!("{} to {}", value(args.from), value(args.to))
    };
    let count = match rows.len() {
        1 => "1 value".to_string(),
        n => format!("{n} values"),
    };
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "Sweep of {} in {name}: {range}, {count}; seed {seed}, {runs}",
        args.param
    );
    let slo = Slo {
        p99_ms: criterion.p99_ms,
        availability: criterion.availability,
    };
    let slo_text = crate::run::describe_slo(&slo).unwrap_or_default();
    if criterion.from_scenario {
        let _ = writeln!(out, "SLO: {slo_text}\n");
    } else {
        let _ = writeln!(
            out,
            "the scenario has no SLO: a value meets it when {slo_text} (p99 is only reported)\n"
        );
    }
    let mut t = Table::new(&[
        (args.param.as_str(), Align::Right),
        ("req/s", Align::Right),
        ("avail %", Align::Right),
        ("p50 ms", Align::Right),
        ("p99 ms", Align::Right),
        ("bottleneck", Align::Left),
        ("util %", Align::Right),
        // The run's, where the bottleneck is the capacity analysis': they differ when a node
        // saturates below the rate the analysis gives, or past it, another node first.
        ("saturated", Align::Left),
        ("meets SLO", Align::Left),
    ]);
    for r in rows {
        t.row(vec![
            r.value.to_string(),
            num(r.throughput_rps, 1),
            r.availability
                .map_or_else(|| "-".into(), crate::table::availability),
            r.p50_ms.map_or_else(|| "-".into(), |v| num(v, 1)),
            r.p99_ms.map_or_else(|| "-".into(), |v| num(v, 1)),
            r.bottleneck.clone().unwrap_or_else(|| "-".into()),
            pct(r.bottleneck_utilization, 1),
            r.saturated.clone().unwrap_or_else(|| "-".into()),
            if r.meets_slo {
                "yes".to_string()
            } else {
                format!("no: {}", r.misses.join(", "))
            },
        ]);
    }
    out.push_str(&t.render(2));
    if let Some(v) = lowest {
        let _ = write!(
            out,
            "\nlowest value meeting the SLO: {v} (lower ones miss it)"
        );
    }
    match highest {
        Some(v) => {
            // One blank line after the table (which ends its last line), none after the
            // "lowest" line (which does not).
            let _ = writeln!(out, "\nhighest value meeting the SLO: {v}");
            if let Some(warning) = saturated_warning(rows, v) {
                let _ = writeln!(out, "{warning}");
            }
        }
        None => {
            let _ = writeln!(out, "\nno value meets the SLO");
            if let Some(why) = faults_note(s, rows) {
                let _ = writeln!(out, "{why}");
            }
        }
    }
    if rows.iter().any(|r| r.misses.contains(&"unanswered")) {
        let _ = writeln!(
            out,
            "note: \"unanswered\": more than {}% of the requests sent were still waiting for an \
             answer at the end, which availability (answered requests only) and p99 (successes \
             only) do not see; give the users a timeout_ms to count those that wait too long as \
             failures",
            num(UNANSWERED * 100.0, 0)
        );
    }
    if rows.len() > 1 && rows.iter().all(|r| r.meets_slo) {
        let _ = writeln!(
            out,
            "note: every value swept meets the SLO; to find where it stops, sweep further (higher \
             for a load such as rps, lower for a resource such as workers or instances)"
        );
    }
    if !between.is_empty() {
        let list: Vec<String> = between.iter().map(|v| v.to_string()).collect();
        let advice = if args.replications == 1 {
            ": near the limit one run per value is noisy; --replications 5 averages five"
        } else {
            ": near the limit runs vary; more --replications average more of them"
        };
        let _ = writeln!(
            out,
            "note: {} {} the SLO between values that meet it{advice}",
            list.join(", "),
            if list.len() == 1 { "misses" } else { "miss" }
        );
    }
    out
}

/// Why no value met the SLO, when the scenario's own faults are the likely reason: every
/// value missed its availability bound, and the scenario fails nodes (scheduled or at random)
/// in every run, which no value of one parameter undoes.
fn faults_note(s: &Scenario, rows: &[Row]) -> Option<String> {
    let random = s
        .nodes
        .iter()
        .any(|n| n.params.contains_key("mtbf_s") || n.params.contains_key("mttr_s"));
    if s.faults.is_empty() && !random {
        return None;
    }
    if !rows.iter().all(|r| r.misses.contains(&"availability")) {
        return None;
    }
    let (which, them) = match (s.faults.len(), random) {
        (0, _) => ("random failures (mtbf_s) cost", "them"),
        (1, false) => ("scheduled fault costs", "it"),
        (_, false) => ("scheduled faults cost", "them"),
        (_, true) => ("scheduled faults and random failures (mtbf_s) cost", "them"),
    };
    Some(format!(
        "note: availability misses at every value, and the scenario's {which} availability in \
         every run: remove {them} to sweep the parameter alone"
    ))
}

/// Values that miss the SLO while a lower and a higher value meet it: the figures went up
/// and down, so the highest (or lowest) value meeting it is less certain than it looks.
fn misses_between(rows: &[Row]) -> Vec<&Value> {
    let meeting = || {
        rows.iter()
            .filter(|r| r.meets_slo)
            .map(|r| as_f64(&r.value))
    };
    let (Some(low), Some(high)) = (
        meeting().min_by(f64::total_cmp),
        meeting().max_by(f64::total_cmp),
    ) else {
        return Vec::new();
    };
    rows.iter()
        .filter(|r| !r.meets_slo && (low..=high).contains(&as_f64(&r.value)))
        .map(|r| &r.value)
        .collect()
}

/// The lowest value meeting the SLO, when the lowest value swept misses it: more of the
/// parameter is needed (workers, instances), and how much is the answer.
fn lowest_meeting(rows: &[Row]) -> Option<&Value> {
    let smallest = rows
        .iter()
        .min_by(|a, b| as_f64(&a.value).total_cmp(&as_f64(&b.value)))?;
    if smallest.meets_slo {
        return None;
    }
    rows.iter()
        .filter(|r| r.meets_slo)
        .min_by(|a, b| as_f64(&a.value).total_cmp(&as_f64(&b.value)))
        .map(|r| &r.value)
}

/// When the highest value meeting the SLO saturates a node: from which value on a node
/// meeting the SLO was saturated, and what that means.
fn saturated_warning(rows: &[Row], highest: &Value) -> Option<String> {
    let at_highest = rows.iter().find(|r| &r.value == highest)?;
    let node = at_highest.saturated.as_ref()?;
    // Where the unbroken stretch of saturated values meeting the SLO below the highest
    // starts: the lowest saturated value anywhere said "from 630 on" while 640 was not.
    let mut below: Vec<&Row> = rows
        .iter()
        .filter(|r| as_f64(&r.value) <= as_f64(highest))
        .collect();
    below.sort_by(|a, b| as_f64(&b.value).total_cmp(&as_f64(&a.value)));
    let from = below
        .iter()
        .take_while(|r| r.meets_slo && r.saturated.is_some())
        .last()
        .map_or(highest, |r| &r.value);
    Some(format!(
        "but {node} is saturated (at least {}% busy, on average or for a tenth of the run, \
         or offered more than the capacity analysis gives it) from {from} on: work piles up in front of it, where the SLO does \
         not see it (e.g. jobs waiting in a queue, or the users of its busiest instance)",
        num(SATURATED * 100.0, 0)
    ))
}

/// `k` evenly spaced values from `from` to `to`, both ends exact; the one value once when
/// `from` and `to` are the same (k runs of it would be the same row k times, each at the cost
/// of a run). Values that come out the same once rounded are run once (100 to
/// 100.00000000001 in 3 steps ran 100 twice, in two identical rows).
fn spread(from: f64, to: f64, k: usize) -> Vec<f64> {
    if from == to {
        return vec![to];
    }
    let mut values: Vec<f64> = (0..k)
        .map(|i| {
            if i + 1 == k {
                return to;
            }
            let v = from + (to - from) * i as f64 / (k - 1) as f64;
            // Drop the binary noise of the division (0.30000000000000004 → 0.3).
            format!("{v:.12e}").parse().unwrap_or(v)
        })
        .collect();
    // In order, so repeats are neighbours.
    values.dedup();
    values
}

/// `values` of a param that takes whole numbers, rounded to them and without repeats (1 to 8
/// in 4 steps is 1, 3, 6, 8). The ends must be whole already: they are what the user asked for.
fn whole_values(param: &str, from: f64, to: f64, values: &[f64]) -> Result<Vec<f64>> {
    for (flag, v) in [("--from", from), ("--to", to)] {
        if v.fract() != 0.0 {
            bail!(
                "{param} takes whole numbers, and {flag} {} is not one",
                value(v)
            );
        }
    }
    let mut whole: Vec<f64> = values.iter().map(|v| v.round()).collect();
    whole.dedup();
    if whole.as_slice() != values {
        let list: Vec<String> = whole.iter().map(|v| value(*v)).collect();
        crate::note(&format!(
            "note: {param} takes whole numbers; the values are rounded to {}",
            list.join(", ")
        ));
    }
    Ok(whole)
}

/// The node param a sweep sets.
#[derive(Debug)]
struct Target {
    /// Index in `Scenario::nodes`.
    node: usize,
    /// Param, then keys inside it (`service_ms.mean`).
    path: Vec<String>,
}

impl Target {
    fn resolve(s: &Scenario, label: &str, raw_spec: &str) -> Result<Target> {
        // As messages quote it; the raw text is what is looked up.
        let spec = &crate::input::shown_arg(raw_spec);
        let Some(first_dot) = raw_spec.find('.') else {
            bail!("--param must be NODE.PARAM, e.g. box.workers or users.rps; got \"{spec}\"");
        };
        // Node ids may hold dots themselves: the longest id that prefixes the spec wins.
        let found = raw_spec.rmatch_indices('.').find_map(|(i, _)| {
            let ix = s.nodes.iter().position(|n| n.id == raw_spec[..i])?;
            Some((ix, &raw_spec[i + 1..]))
        });
        let Some((node, rest)) = found else {
            let ids: Vec<&str> = s.nodes.iter().map(|n| n.id.as_str()).collect();
            bail!(
                "{label} has no node \"{}\": use one of {}",
                crate::input::shown_arg(&raw_spec[..first_dot]),
                crate::input::shown_arg(&ids.join(", "))
            );
        };
        let path: Vec<String> = rest.split('.').map(str::to_string).collect();
        if path.iter().any(String::is_empty) {
            bail!("--param \"{spec}\" has an empty part: write NODE.PARAM, e.g. box.workers");
        }
        let spec_node = &s.nodes[node];
        if path[0] == "mix" {
            // The shares must sum to 1, so no single one can take a range of values alone.
            bail!(
                "--param \"{spec}\": a sweep sets one number, and a mix's shares must sum to 1, \
                 so one share cannot be swept alone: edit the mix in the file for each case, or \
                 sweep another param"
            );
        }
        if let Some(kind) = Kind::parse(&spec_node.kind) {
            let names = param_names(kind);
            if !names.contains(&path[0].as_str()) && !COMMON_PARAMS.contains(&path[0].as_str()) {
                bail!(
                    "a {} has no param \"{}\": node \"{}\" takes {}, mtbf_s or mttr_s",
                    kind.as_str(),
                    crate::input::shown_arg(&path[0]),
                    crate::input::shown_arg(&spec_node.id),
                    names.join(", ")
                );
            }
            // A choice or a switch has no range of values to step through.
            let default = scaleplay_sim::reference::defaults(kind)
                .get(path[0].as_str())
                .cloned();
            if path.len() == 1 && matches!(default, Some(Value::String(_) | Value::Bool(_))) {
                bail!(
                    "--param \"{spec}\": {} is a {}, not a number, so it cannot be swept: \
                     run the scenario once for each value instead",
                    path[0],
                    if matches!(default, Some(Value::Bool(_))) {
                        "switch (true or false)"
                    } else {
                        "choice of names"
                    }
                );
            }
        }
        Ok(Target { node, path })
    }

    /// The param takes whole numbers: a count such as `workers` or `autoscale.max`.
    fn whole(&self) -> bool {
        match self.path.as_slice() {
            [param] => WHOLE_NUMBER_PARAMS.contains(&param.as_str()),
            [outer, key] => {
                outer == "autoscale" && WHOLE_NUMBER_AUTOSCALE_KEYS.contains(&key.as_str())
            }
            _ => false,
        }
    }

    /// Writes `v` into the scenario and returns the JSON written: a whole value is written as
    /// an integer, which integer params (`workers`) need and float params (`rps`) accept.
    fn set(&self, s: &mut Scenario, v: f64) -> Result<Value> {
        let written = if v.fract() == 0.0 && v.abs() < 9e15 {
            Value::from(v as i64)
        } else {
            serde_json::Number::from_f64(v)
                .map(Value::Number)
                .with_context(|| format!("{v} is not a number a scenario can hold"))?
        };
        let node = &mut s.nodes[self.node];
        let (last, inner) = self
            .path
            .split_last()
            .context("a param path is never empty")?;
        let mut map: &mut Map<String, Value> = &mut node.params;
        let mut walked = node.id.clone();
        for key in inner {
            walked = format!("{walked}.{key}");
            map = match map.get_mut(key) {
                Some(Value::Object(m)) => m,
                // A distribution written as a number is its mean: that number is what to sweep.
                Some(Value::Number(_)) => bail!(
                    "{walked} is a number, not an object, so it has no \"{last}\" to set: sweep \
                     {walked} itself"
                ),
                Some(_) => bail!("{walked} is not an object, so it has no \"{last}\" to set"),
                None => bail!(
                    "{walked} is not set in the file: write it out there first, then sweep a part of it"
                ),
            };
        }
        if let Some(Value::Object(inner)) = map.get(last) {
            // A bare number there would be an exponential of that mean: the sweep would
            // change the distribution's shape as well as its size, without a word.
            let keys: Vec<&str> = inner.keys().map(String::as_str).collect();
            let what = if inner.contains_key("dist") {
                format!("a distribution ({})", keys.join(", "))
            } else {
                format!("an object ({})", keys.join(", "))
            };
            // Name a number it holds: `mean` of a distribution, else the first one there.
            let example = keys
                .iter()
                .find(|k| **k == "mean")
                .or_else(|| keys.iter().find(|k| inner[**k].is_number()))
                .map_or_else(
                    || "a number inside it".to_string(),
                    |k| format!("{walked}.{last}.{k}"),
                );
            bail!("{walked}.{last} is {what}: sweep one of its numbers, e.g. {example}");
        }
        map.insert(last.clone(), written.clone());
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    fn row(value: f64, meets_slo: bool) -> Row {
        Row {
            value: Value::from(value),
            throughput_rps: 0.0,
            availability: Some(1.0),
            p50_ms: None,
            p99_ms: None,
            bottleneck: None,
            bottleneck_utilization: 0.0,
            meets_slo,
            misses: if meets_slo { vec![] } else { vec!["p99"] },
            saturated: None,
        }
    }

    #[test]
    fn the_saturation_warning_names_where_the_unbroken_stretch_starts() {
        let saturated = |value: f64, yes: bool| Row {
            saturated: yes.then(|| "box".to_string()),
            ..row(value, true)
        };
        // 630 saturated, 640 not, 650 to 670 saturated: "from 650 on", not 630.
        let rows = [
            saturated(620.0, false),
            saturated(630.0, true),
            saturated(640.0, false),
            saturated(650.0, true),
            saturated(660.0, true),
            saturated(670.0, true),
        ];
        let warning = saturated_warning(&rows, &Value::from(670.0)).unwrap();
        assert!(warning.contains("from 650.0 on"), "{warning}");
    }

    #[test]
    fn names_the_misses_between_values_that_meet_the_slo() {
        let rows: Vec<Row> = [(600.0, true), (665.0, false), (670.0, true), (680.0, false)]
            .into_iter()
            .map(|(v, m)| row(v, m))
            .collect();
        assert_eq!(misses_between(&rows), vec![&Value::from(665.0)]);
        // A clean edge (meets up to a value, misses beyond) has none.
        assert!(misses_between(&rows[2..]).is_empty());
        assert!(misses_between(&[row(1.0, false), row(2.0, true)]).is_empty());
    }

    use super::*;

    #[test]
    fn spread_hits_both_ends_without_noise() {
        assert_eq!(
            spread(1.0, 8.0, 8),
            vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]
        );
        assert_eq!(spread(0.1, 0.3, 3), vec![0.1, 0.2, 0.3]);
        assert_eq!(spread(10.0, 0.0, 3), vec![10.0, 5.0, 0.0]);
        assert_eq!(spread(100.0, 100.0, 5), vec![100.0]);
        assert_eq!(
            spread(100.0, 100.00000000001, 3),
            vec![100.0, 100.00000000001]
        );
    }

    fn scenario() -> Scenario {
        scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [
                 {"id": "users", "kind": "client", "params": {"rps": 40}},
                 {"id": "web.1", "kind": "server",
                  "params": {"service_ms": {"dist": "exp", "mean": 12}}}]}"#,
        )
        .expect("a well-formed scenario")
    }

    #[test]
    fn sets_whole_values_as_integers_and_nested_keys() {
        let mut s = scenario();
        let t = Target::resolve(&s, "f", "web.1.workers").expect("a server param");
        assert_eq!(t.set(&mut s, 4.0).expect("set"), Value::from(4));
        assert_eq!(s.nodes[1].params["workers"], Value::from(4));
        let t = Target::resolve(&s, "f", "web.1.service_ms.mean").expect("nested");
        t.set(&mut s, 2.5).expect("set");
        assert_eq!(
            s.nodes[1].params["service_ms"]["mean"],
            serde_json::json!(2.5)
        );
    }

    #[test]
    fn names_what_is_wrong() {
        let s = scenario();
        let e = |spec| Target::resolve(&s, "f.json", spec).unwrap_err().to_string();
        assert!(
            e("box.workers").contains("no node \"box\""),
            "{}",
            e("box.workers")
        );
        assert!(e("users.workers").contains("has no param \"workers\""));
        assert!(e("workers").contains("NODE.PARAM"));
        let mut s2 = s.clone();
        let t = Target::resolve(&s, "f", "web.1.autoscale.max").expect("resolves");
        assert!(t
            .set(&mut s2, 3.0)
            .unwrap_err()
            .to_string()
            .contains("not set in the file"));
        // An object is not a number to sweep: the message names one inside it that is.
        s2.nodes[1]
            .params
            .insert("autoscale".into(), serde_json::json!({"min": 1, "max": 4}));
        let t = Target::resolve(&s2, "f", "web.1.autoscale").expect("resolves");
        let why = t.set(&mut s2.clone(), 3.0).unwrap_err().to_string();
        assert!(
            why.contains("e.g. web.1.autoscale.min") || why.contains("e.g. web.1.autoscale.max"),
            "{why}"
        );
        let t = Target::resolve(&s2, "f", "web.1.service_ms").expect("resolves");
        let why = t.set(&mut s2.clone(), 3.0).unwrap_err().to_string();
        assert!(why.contains("e.g. web.1.service_ms.mean"), "{why}");
    }

    #[test]
    fn default_slo_is_availability_only() {
        let c = Criterion::of(&Slo::default());
        let met = |c: &Criterion, a, p| c.misses(a, p, 0.0).is_empty();
        assert!(met(&c, Some(0.9995), Some(1e9)));
        assert_eq!(c.misses(Some(0.99), Some(1.0), 0.0), ["availability"]);
        // Nothing offered: no figure, so not met.
        assert_eq!(c.misses(None, None, 0.0), ["nothing offered"]);
        let c = Criterion::of(&Slo {
            p99_ms: Some(500.0),
            availability: None,
        });
        assert!(met(&c, Some(0.5), Some(400.0)));
        assert_eq!(c.misses(Some(1.0), Some(600.0), 0.0), ["p99"]);
        // Nothing succeeded, so nothing was fast: a p99 bound is not met.
        assert_eq!(c.misses(Some(0.0), None, 0.0), ["p99"]);
        let both = Criterion::of(&Slo {
            p99_ms: Some(500.0),
            availability: Some(0.999),
        });
        assert_eq!(
            both.misses(Some(0.9), Some(600.0), 0.0),
            ["p99", "availability"]
        );
        // A fifth of the requests never answered: missed whatever the bounds say (an
        // overloaded tier whose users wait forever fails nothing); a stable system's last
        // moments' requests are not.
        assert_eq!(both.misses(Some(1.0), Some(100.0), 0.2), ["unanswered"]);
        assert!(both.misses(Some(1.0), Some(100.0), 0.01).is_empty());
        assert_eq!(c.misses(Some(1.0), Some(600.0), 0.2), ["p99", "unanswered"]);
    }
}
