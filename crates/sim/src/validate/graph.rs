//! Checks of the drawing as a whole, once its nodes and edges are built: cycles, clients with
//! no path to a server, writes with nowhere to go, replication, random faults, and how many
//! requests the run would simulate.

use super::{duration_judged, truncate, SetAside, MAX_EXPECTED_REQUESTS};
use crate::error::{shown, Problem};
use crate::model::{Model, NodeId, Op};
use crate::params::Params;
use crate::plan;
use crate::scenario::Kind;

/// The checks of the drawing as a whole. `unjudged` are the nodes whose paths are not what the
/// user drew, for a problem reported already: they lost an edge, or their params are bad.
pub(super) fn check_graph(
    model: &Model,
    unjudged: &[NodeId],
    aside: &SetAside,
    problems: &mut Vec<Problem>,
) {
    let loops = find_cycles(model);
    for path in &loops {
        // The loop spelled out, back to where it starts: "box → s2 → s3 → box".
        let mut names: Vec<String> = path.iter().map(|n| truncate(&model.node(*n).id)).collect();
        names.push(names[0].clone());
        problems.push(Problem::node(
            &model.node(path[0]).id,
            None,
            format!(
                "is part of a cycle of calls, {}: remove one edge of the loop",
                names.join(" → ")
            ),
        ));
    }
    let cycles: Vec<NodeId> = loops.iter().map(|path| path[0]).collect();
    // A node set aside for its shape may be the client, and so may a node of an unknown
    // kind, left unbuilt ("Client" for "client").
    let some_unbuilt = model.scenario.nodes.len() != model.nodes.len();
    if model.clients().next().is_none() && !aside.may_hold_a_client() && !some_unbuilt {
        problems.push(Problem::scenario(
            "nodes",
            "no client: add a client node to send traffic",
        ));
    }
    // A client that reaches a loop, or a node that lost an edge, has paths that are not
    // what the user drew: its dead ends wait until those are fixed. The other clients'
    // are checked now, so one run of validate shows every problem it can.
    let unsure = callers_of(model, cycles.iter().chain(unjudged).copied());
    let paths = call_paths(model);
    if paths > MAX_CALL_PATHS {
        // The routing plan walks every path of every client, on every edit in the app: it
        // would take hours (a grid of balancers wired layer to layer doubles them at each
        // layer), or seconds per edit with many clients each below a limit of their own.
        problems.push(Problem::scenario(
            "edges",
            format!(
                "the clients' requests can take more than {MAX_CALL_PATHS:.0} different paths \
                 in all through this drawing (about {}), too many to plan: nodes that each \
                 call several nodes that each call several more, layer after layer, multiply \
                 them; let one balancer call a tier instead",
                shown(paths.round())
            ),
        ));
    } else {
        let sure = model.clients().filter(|c| !unsure[c.ix()]);
        problems.extend(plan::dead_ends(model, sure));
    }
    check_replication(model, aside, problems);
    if !duration_judged(&model.scenario, aside) {
        // How many faults and requests a run makes depends on its length.
        return;
    }
    check_random_faults(model, problems);
    check_instances(model, problems);
    let expected = expected_requests(model);
    let walkable = loops.is_empty() && unjudged.is_empty() && paths <= MAX_CALL_PATHS;
    if expected <= MAX_EXPECTED_REQUESTS && walkable {
        check_calls(model, expected, problems);
    }
    if expected > MAX_EXPECTED_REQUESTS {
        // The count allows every try of a client with retries: say so, or 60 M requests
        // reported as 660 M read as a mistake.
        let retrying = model
            .clients()
            .any(|c| matches!(&model.node(c).params, Params::Client(p) if p.retries > 0));
        let tries = if retrying {
            " (counting every retry a client may make)"
        } else {
            ""
        };
        let fewer = if retrying {
            ", lower rps or retries"
        } else {
            " or lower rps"
        };
        problems.push(Problem::scenario(
            "duration_s",
            format!(
                "this run would simulate about {} requests{tries}, more than the limit of \
                 {MAX_EXPECTED_REQUESTS:.0}: shorten duration_s{fewer}",
                shown(expected.round())
            ),
        ));
    }
}

/// The most requests a run of `model` may simulate: each client's arrivals over the run (its
/// rate summed over the duration, as its profile shapes it), times one plus its retries (as
/// if every attempt failed), summed. The bound [`MAX_EXPECTED_REQUESTS`] holds a run to, and
/// the CLI sums over the runs of one command. (Each client's peak rate times the duration
/// was used: a ten-second spike of 100× in a two-hour run counted as 88 times its requests,
/// and valid runs were refused.)
pub fn expected_requests(model: &Model) -> f64 {
    model
        .clients()
        .map(|c| match &model.node(c).params {
            Params::Client(p) => {
                p.arrivals_over(model.scenario.duration_s) * (1.0 + p.retries as f64)
            }
            _ => 0.0,
        })
        .sum()
}

/// Most calls to nodes that do work a run may make (see [`expected_calls`]): what a run's time
/// grows with. At the engine's 100–300 ns a call (a chain of 1,000 servers; preset 10), a few
/// minutes to a quarter of an hour, as [`MAX_EXPECTED_REQUESTS`] single calls take; with only
/// requests limited, a chain of 1,000 servers passed validation and would have run 11 hours.
pub const MAX_EXPECTED_CALLS: f64 = 2_500_000_000.0;

/// Refuses a run whose requests, under the limit on their number, would make too many calls.
fn check_calls(model: &Model, requests: f64, problems: &mut Vec<Problem>) {
    let calls = expected_calls(model);
    if calls > MAX_EXPECTED_CALLS {
        problems.push(Problem::scenario(
            "duration_s",
            format!(
                "this run would make about {} calls to its nodes ({} requests, each calling \
                 about {} nodes on its way), more than the limit of {}: shorten duration_s, \
                 lower rps, or let each request pass fewer nodes",
                shown(calls.round()),
                shown(requests.round()),
                shown((calls / requests.max(1.0)).round()),
                shown(MAX_EXPECTED_CALLS)
            ),
        ));
    }
}

/// The most calls to nodes that do work a run of `model` may make: each client's requests (as
/// [`expected_requests`] counts them) times the calls one of its requests makes on its way
/// (its request types by their share, every read missing every cache), summed. The bound
/// [`MAX_EXPECTED_CALLS`] holds a run to, and the CLI sums over the runs of one command. For
/// a model that validated (its clients' call paths are few and lead nowhere in a loop).
pub fn expected_calls(model: &Model) -> f64 {
    model
        .clients()
        .map(|c| {
            let Params::Client(p) = &model.node(c).params else {
                return 0.0;
            };
            let shares = [p.mix.read, p.mix.write, p.mix.static_, p.mix.async_];
            let per_request: f64 = Op::REQUEST_TYPES
                .into_iter()
                .zip(shares)
                .filter(|(_, share)| *share > 0.0)
                .map(|(op, share)| {
                    let mut calls = 0.0;
                    plan::walk_paths(model, c, op, &mut |v| {
                        if v.touch == plan::Touch::Work {
                            calls += v.weight;
                        }
                    });
                    share * calls
                })
                .sum();
            // The client's own arrival is work too, even for a request that calls nothing.
            p.arrivals_over(model.scenario.duration_s)
                * (1.0 + p.retries as f64)
                * (1.0 + per_request)
        })
        .sum()
}

/// Most instances of all nodes together (an autoscaled tier at its maximum): each is kept in
/// memory with its figures, about 200 bytes. 1,000 nodes of 10,000 instances each, within the
/// limits of a node and of a scenario, took 2.1 GB.
pub const MAX_INSTANCES_IN_ALL: u64 = 100_000;

/// Refuses more instances in all than [`MAX_INSTANCES_IN_ALL`], naming the largest tiers.
fn check_instances(model: &Model, problems: &mut Vec<Problem>) {
    // A client's one "instance" is its user population, not a tier anyone sized.
    let mut tiers: Vec<(u64, &str)> = (0..model.nodes.len())
        .map(|k| NodeId(k as u32))
        .filter(|&id| model.node(id).kind != Kind::Client)
        .map(|id| {
            (
                u64::from(model.max_instances(id)),
                model.node(id).id.as_str(),
            )
        })
        .collect();
    let total: u64 = tiers.iter().map(|t| t.0).sum();
    if total <= MAX_INSTANCES_IN_ALL {
        return;
    }
    tiers.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let largest: Vec<String> = tiers
        .iter()
        .take(3)
        .map(|(n, id)| format!("{} {}", truncate(id), shown(*n as f64)))
        .collect();
    problems.push(Problem::scenario(
        "nodes",
        format!(
            "the nodes have {} instances in all (an autoscaled tier counted at its max), more \
             than the limit of {}: give the largest tiers fewer instances (the largest: {})",
            shown(total as f64),
            shown(MAX_INSTANCES_IN_ALL as f64),
            largest.join(", ")
        ),
    ));
}

/// Which nodes reach any of `targets` by calls (a target reaches itself).
fn callers_of(model: &Model, targets: impl Iterator<Item = NodeId>) -> Vec<bool> {
    let mut callers: Vec<Vec<usize>> = vec![Vec::new(); model.nodes.len()];
    for e in &model.edges {
        callers[e.to.ix()].push(e.from.ix());
    }
    let mut reaches = vec![false; model.nodes.len()];
    let mut todo: Vec<usize> = targets.map(|t| t.ix()).collect();
    while let Some(v) = todo.pop() {
        if !std::mem::replace(&mut reaches[v], true) {
            todo.extend(&callers[v]);
        }
    }
    reaches
}

/// Most distinct call paths, summed over the clients, that validation and the capacity
/// analysis walk: a few seconds of analysis at the most (30 clients of 3,125 paths each took
/// 3 s), where a limit for each client alone let 900 of them take 42 s.
pub const MAX_CALL_PATHS: f64 = 100_000.0;

/// Most random failures and repairs a run may be asked for (each is an event and a line of
/// the report's fault list).
pub const MAX_RANDOM_FAULTS: f64 = 10_000_000.0;

/// The distinct paths of calls the clients' requests can take, summed over the clients
/// (every node followed by all its edges: an upper bound on what the routing plan walks). A
/// client that reaches a cycle gets a lower bound (the nodes on it are never counted), which
/// is still too many when it is over the limit.
fn call_paths(model: &Model) -> f64 {
    // Paths from each node, children before parents: Kahn's order on the reversed graph.
    let n = model.nodes.len();
    let mut waiting: Vec<usize> = model.nodes.iter().map(|node| node.out.len()).collect();
    let mut callers: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &model.edges {
        callers[e.to.ix()].push(e.from.ix());
    }
    let mut ready: Vec<usize> = (0..n).filter(|&v| waiting[v] == 0).collect();
    let mut paths = vec![1.0f64; n];
    while let Some(v) = ready.pop() {
        for &c in &callers[v] {
            paths[c] += paths[v];
            waiting[c] -= 1;
            if waiting[c] == 0 {
                ready.push(c);
            }
        }
    }
    model.clients().map(|c| paths[c.ix()]).sum()
}

/// A replica that serves a node's reads must be fed by the primary that node writes to:
/// otherwise the writes never reach it (its reads are never stale, nor ever up to date) and
/// no failover promotes it.
fn check_replication(model: &Model, aside: &SetAside, problems: &mut Vec<Problem>) {
    // A primary's edge to its replica may be among the edges set aside for their shape.
    let may_have_lost_an_edge = |id: &str| {
        aside.lost_an_unknown_caller() || aside.edge_callers.iter().flatten().any(|c| c == id)
    };
    for node in &model.nodes {
        let r = &node.routes;
        let Some(primary) = r.writer.filter(|w| model.node(*w).kind == Kind::SqlPrimary) else {
            continue;
        };
        for &replica in &r.readers {
            let fed = model.node(primary).routes.replicas.contains(&replica)
                || may_have_lost_an_edge(&model.node(primary).id);
            if model.node(replica).kind == Kind::SqlReplica && !fed {
                let (p, rep) = (&model.node(primary).id, &model.node(replica).id);
                let p = Problem::node(
                    rep,
                    None,
                    format!(
                        "serves {}'s reads, but {p}, where {} writes, does not replicate to it: \
                         draw an edge from {p} to {rep}",
                        node.id, node.id
                    ),
                );
                if !problems.contains(&p) {
                    problems.push(p);
                }
            }
        }
    }
}

/// Random failures (`mtbf_s`, `mttr_s`) so frequent that the run would do little else.
fn check_random_faults(model: &Model, problems: &mut Vec<Problem>) {
    let mut each = Vec::new();
    for (k, node) in model.nodes.iter().enumerate() {
        let (Some(mtbf), Some(mttr)) = (node.reliability.mtbf_s, node.reliability.mttr_s) else {
            continue;
        };
        let instances = f64::from(model.max_instances(NodeId(k as u32)));
        // Each wait is at least the clock's microsecond.
        let cycle = mtbf.max(1e-6) + mttr.max(1e-6);
        let expected = 2.0 * instances * model.scenario.duration_s / cycle;
        each.push((expected, node.id.as_str()));
        if expected > MAX_RANDOM_FAULTS {
            let instances = match instances as u64 {
                1 => "its instance".to_string(),
                n => format!("{n} instances"),
            };
            problems.push(Problem::node(
                &node.id,
                Some("mtbf_s"),
                format!(
                    "mtbf_s {} and mttr_s {} over {instances} make about {} failures and \
                     repairs in this run, more than the limit of {MAX_RANDOM_FAULTS:.0}: give a \
                     longer mtbf_s",
                    shown(mtbf),
                    shown(mttr),
                    shown(expected.round())
                ),
            ));
        }
    }
    // The limit holds for all nodes together too: 999 nodes each just under it asked for
    // ten billion.
    let total: f64 = each.iter().map(|e| e.0).sum();
    if total > MAX_RANDOM_FAULTS && each.iter().all(|e| e.0 <= MAX_RANDOM_FAULTS) {
        each.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        let most: Vec<String> = each
            .iter()
            .take(3)
            .map(|(n, id)| format!("{} {}", truncate(id), shown(n.round())))
            .collect();
        problems.push(Problem::scenario(
            "nodes",
            format!(
                "the nodes' mtbf_s and mttr_s make about {} failures and repairs in this run \
                 in all, more than the limit of {MAX_RANDOM_FAULTS:.0}: give longer mtbf_s \
                 (the most: {})",
                shown(total.round()),
                most.join(", ")
            ),
        ));
    }
}

/// A loop through each cycle of call edges (replication edges are calls too, and never form
/// one): its nodes in call order, from the one where the search found it closing.
fn find_cycles(model: &Model) -> Vec<Vec<NodeId>> {
    let mut found = Vec::new();
    // Iterative DFS with colours, so deep graphs cannot overflow the stack.
    let n = model.nodes.len();
    let mut colour = vec![0u8; n];
    for start in 0..n {
        if colour[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        colour[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let out = &model.nodes[node].out;
            if *next < out.len() {
                let to = model.edges[out[*next].0 as usize].to.ix();
                *next += 1;
                match colour[to] {
                    0 => {
                        colour[to] = 1;
                        stack.push((to, 0));
                    }
                    // A call back into the path being walked: a loop, named by where it
                    // closes (the search goes on, so each loop is named), and spelled out
                    // from there along the path.
                    1 if !found.iter().any(|l: &Vec<NodeId>| l[0].ix() == to) => {
                        let from = stack.iter().position(|(n, _)| *n == to).unwrap_or(0);
                        found.push(
                            stack[from..]
                                .iter()
                                .map(|(n, _)| NodeId(*n as u32))
                                .collect(),
                        );
                    }
                    _ => {}
                }
            } else {
                colour[node] = 2;
                stack.pop();
            }
        }
    }
    found
}
