//! `scaleplay validate`: check a scenario and list every problem in it, one per line.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Result;
use scaleplay_sim::capacity;
use scaleplay_sim::model::{Model, NodeId};
use scaleplay_sim::plan::Idle;
use scaleplay_sim::scenario::Kind;

use crate::input;
use crate::table::{counted, num};

/// Arguments of `scaleplay validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files (JSON), or `-` to read one from stdin. Any name the system allows,
    /// UTF-8 or not. With several, each line names its file.
    #[arg(required = true, num_args = 1..)]
    pub files: Vec<std::path::PathBuf>,
}

/// Runs the command on every file: exit 0 when all are valid, 1 when one has problems (listed
/// on stdout), 2 when one cannot be read (the others are still checked).
pub fn run(args: &Args) -> Result<ExitCode> {
    // Standard input can be read once: a second `-` found it empty and said so, as if the
    // input were at fault.
    if args.files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        anyhow::bail!("`-` (standard input) is given more than once: it can be read only once");
    }
    if let [file] = args.files.as_slice() {
        return check(file, false);
    }
    let mut worst = 0u8;
    for file in &args.files {
        let code = match check(file, true) {
            Ok(code) if code == ExitCode::SUCCESS => 0,
            Ok(_) => 1,
            Err(e) => {
                crate::note(&format!("error: {e:#}"));
                2
            }
        };
        worst = worst.max(code);
    }
    Ok(ExitCode::from(worst))
}

/// Checks one file; `named`: its "ok" line and notes start with its name, as its problems do.
fn check(file: &std::path::Path, named: bool) -> Result<ExitCode> {
    // A file that cannot be read at all is an error (exit 2), not a problem of the scenario.
    let src = input::read(file)?;
    let prefix = if named {
        format!("{}: ", src.label)
    } else {
        String::new()
    };
    match scaleplay_sim::load(&src.text) {
        Ok(model) => {
            let cap = capacity::analyze(&model);
            let bottleneck = match &cap.bottleneck {
                // With what the rate assumes (an autoscaled tier at its maximum), as `run`
                // says it: 1235.5 req/s for preset 8's pool, which saturates at 308.9 as it
                // starts.
                Some(b) => format!(
                    "bottleneck {b} at {} req/s{}",
                    num(cap.max_rps.unwrap_or(f64::INFINITY), 1),
                    cap.autoscaled_note()
                ),
                None => "no bottleneck (no node has a worker limit)".to_string(),
            };
            let mut out = format!(
                "{prefix}ok: {}, {}; {bottleneck}\n",
                counted(model.scenario.nodes.len(), "node", "nodes"),
                counted(model.scenario.edges.len(), "edge", "edges")
            );
            if let Some(over) = overloaded(&model, &cap) {
                let _ = writeln!(out, "{prefix}note: {over}");
            }
            for note in slips(&model) {
                let _ = writeln!(out, "{prefix}note: {note}");
            }
            crate::emit(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let problems = e.problems();
            let mut out = String::new();
            for p in &problems {
                // One line per problem, prefixed like a compiler's, so it greps and sorts.
                let _ = writeln!(out, "{}: {}", src.label, p.to_string().replace('\n', " "));
            }
            crate::emit(&out)?;
            crate::note(&format!(
                "error: {} is not a valid scenario: {} problem{}",
                src.label,
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            ));
            Ok(ExitCode::from(1))
        }
    }
}

/// Valid, but more than the bottleneck can take: a run then shows a backlog growing for as long
/// as the rate stays there, which "ok" alone did not warn of.
fn overloaded(model: &Model, cap: &capacity::Capacity) -> Option<String> {
    let (b, max) = (cap.bottleneck.as_ref()?, cap.max_rps?);
    let peak = cap.peak_rps.max(cap.offered_rps);
    if peak <= max {
        return None;
    }
    let when = if cap.offered_rps > max {
        "the clients offer"
    } else {
        "at their peak the clients offer"
    };
    let kind = model.find(b).map(|n| model.node(n).kind);
    Some(format!(
        "{when} {} req/s, more than {b} can take ({} req/s): {}, or lower the rate",
        num(peak, 1),
        num(max, 1),
        overload_remedy(b, kind)
    ))
}

/// What an overload of node `b` does and what to give it, by what its capacity is made of.
fn overload_remedy(b: &str, kind: Option<Kind>) -> String {
    match kind {
        // A balancer has no backlog: past its connections it turns requests away.
        Some(Kind::LoadBalancer) => format!(
            "all its connections are in use and the requests beyond them are rejected; raise \
             {b}'s max_connections"
        ),
        Some(Kind::SqlPrimary | Kind::SqlReplica) => format!(
            "its backlog grows while they do, and requests wait, time out or are rejected; give \
             {b} more workers (connections), or move reads to replicas or behind a cache"
        ),
        Some(Kind::Nosql) => format!(
            "its backlog grows while they do, and requests wait, time out or are rejected; give \
             {b} more partitions or workers"
        ),
        _ => format!(
            "its backlog grows while they do, and requests wait, time out or are rejected; give \
             {b} more workers or instances"
        ),
    }
}

/// What a valid scenario likely got wrong, which `validate` and `run` both say: a node
/// nothing calls (a spare server shares no load), and settings written for nothing (a spike
/// on a constant profile, a fault after the end).
pub fn slips(model: &Model) -> Vec<String> {
    let idle = scaleplay_sim::plan::idle(model)
        .into_iter()
        .map(|(n, why)| idle_note(model, n, why));
    let ignored = scaleplay_sim::ignored::ignored_settings(model)
        .into_iter()
        .map(|p| p.to_string());
    idle.chain(ignored).collect()
}

/// Why node `n` gets no traffic, in a line.
pub fn idle_note(model: &Model, n: NodeId, why: Idle) -> String {
    let id = &model.node(n).id;
    match why {
        Idle::Uncalled => format!("{id} gets no traffic: nothing calls it"),
        Idle::PassedOver { by } => format!(
            "{id} gets no traffic: {} sends its calls to another {} (a node uses one \
             downstream node of each kind: put a load_balancer in front of several servers, \
             a shard_router in front of several databases)",
            model.node(by).id,
            model.node(n).kind.as_str()
        ),
        Idle::NotNeeded { by } => format!(
            "{id} gets no traffic: {} calls it, but no request reaching {} needs a {} (the \
             clients' mix decides: static requests go to CDNs and object stores, async ones \
             to queues)",
            model.node(by).id,
            model.node(by).id,
            model.node(n).kind.as_str()
        ),
        Idle::BehindIdle { by } => format!(
            "{id} gets no traffic: {} calls it, and gets none itself",
            model.node(by).id
        ),
        Idle::Standby { by, instead } => {
            let (what, advice) = scaleplay_sim::plan::standby_terms(model, n, by, instead);
            format!(
                "{id} is a standby: {} sends all its {what} to {instead} and turns to {id} only \
                 when {instead} is down (a {} picks one entry point{advice})",
                model.node(by).id,
                model.node(by).kind.as_str(),
                instead = model.node(instead).id,
            )
        }
    }
}
