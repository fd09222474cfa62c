//! Settings a valid scenario gives that have no effect as it stands: the spike of a client
//! whose profile is not a spike or that comes after the run, a retry backoff without retries,
//! a CDN hit ratio that its edge store overrides, the autoscaling target of the other kind
//! (servers scale on utilization, worker pools on queue depth), a primary's failover time
//! with no replica to promote, a data center's outage where only users and a DNS live, a
//! fault scheduled after the run's end, a recovery with no failure before it; and settings that defeat themselves: a queue's
//! visibility timeout shorter than its pools' jobs, sessions kept in a server's memory
//! behind a balancer that does not stick or beside a session store, and a failing cache that
//! is a server's only way to its database; and a replica that no primary, or more than one,
//! replicates to. Not problems (the
//! scenario runs as written), but likely slips, so `scaleplay validate` names them next to
//! its other notes.

use serde_json::{Map, Value};

use crate::error::{shown, Problem};
use crate::model::Model;
use crate::params::{Params, Profile};

/// The client params that only a given traffic profile reads.
const PROFILE_PARAMS: [(Profile, &[&str]); 3] = [
    (Profile::Ramp, &["ramp_from_rps"]),
    (Profile::Spike, &["spike_at_s", "spike_s", "spike_x"]),
    (Profile::Diurnal, &["period_s", "amplitude"]),
];

/// One note per node and group of settings that the node, as configured, does not read.
pub fn ignored_settings(model: &Model) -> Vec<Problem> {
    let mut out = Vec::new();
    for (spec, node) in model.scenario.nodes.iter().zip(&model.nodes) {
        debug_assert_eq!(spec.id, node.id, "the model keeps the scenario's order");
        let raw = &spec.params;
        match &node.params {
            Params::Client(p) => {
                for (profile, keys) in PROFILE_PARAMS {
                    let given = written(raw, keys);
                    if p.profile != profile && !given.is_empty() {
                        out.push(Problem::node(
                            &spec.id,
                            Some(given[0]),
                            format!(
                                "{} {} no effect with profile \"{}\": set \"profile\": \"{}\" \
                                 to use {}, or remove {}",
                                listed(&given),
                                if given.len() == 1 { "has" } else { "have" },
                                profile_name(p.profile),
                                profile_name(profile),
                                if given.len() == 1 { "it" } else { "them" },
                                if given.len() == 1 { "it" } else { "them" },
                            ),
                        ));
                    }
                }
                let duration_s = model.scenario.duration_s;
                if let (Profile::Spike, Some(at)) = (p.profile, p.spike_at_s) {
                    if at >= duration_s {
                        // The run's length, not "duration_s": `scaleplay run --duration`
                        // sets it over the file's.
                        let when = if at > duration_s {
                            "after the run ends"
                        } else {
                            "at the run's last instant"
                        };
                        out.push(Problem::node(
                            &spec.id,
                            Some("spike_at_s"),
                            format!(
                                "the spike at {} s starts {when} (the run is {} s long): it \
                                 never happens; set spike_at_s below {}",
                                shown(at),
                                shown(duration_s),
                                shown(duration_s)
                            ),
                        ));
                    }
                }
                if p.retries == 0 && !written(raw, &["retry_backoff_ms"]).is_empty() {
                    out.push(Problem::node(
                        &spec.id,
                        Some("retry_backoff_ms"),
                        "retry_backoff_ms has no effect without retries: set retries, or \
                         remove it",
                    ));
                }
            }
            // A failover promotes a replica: with none, the primary's outage lasts until it
            // recovers, whatever failover_s says.
            Params::SqlPrimary(_)
                if node.routes.replicas.is_empty() && !written(raw, &["failover_s"]).is_empty() =>
            {
                out.push(Problem::node(
                    &spec.id,
                    Some("failover_s"),
                    "failover_s has no effect without a replica to promote: add an sql_replica \
                     this primary writes to (an edge from it to the replica), or remove it",
                ));
            }
            Params::Cdn(p)
                if p.capacity_keys.is_some() && !written(raw, &["hit_ratio"]).is_empty() =>
            {
                out.push(Problem::node(
                    &spec.id,
                    Some("hit_ratio"),
                    "hit_ratio has no effect when capacity_keys is set (hits then come from \
                     the edge's store of that many objects): remove one of them",
                ));
            }
            // Each kind scales on its own target; the other kind's is read by nothing.
            Params::Server(p) if p.autoscale.is_some() => out.extend(foreign_target(
                &spec.id,
                raw,
                "target_depth",
                "a server, which scales on its utilization (target_utilization; worker pools \
                 scale on queue depth)",
            )),
            Params::WorkerPool(p) if p.autoscale.is_some() => out.extend(foreign_target(
                &spec.id,
                raw,
                "target_utilization",
                "a worker pool, which scales on the depth of its queue (target_depth)",
            )),
            _ => {}
        }
    }
    out.extend(window_longer_than_the_run(model));
    out.extend(faults_after_the_end(model));
    out.extend(faults_on_what_stays_up(model));
    out.extend(recoveries_of_nothing(model));
    out.extend(data_centers_a_slip_apart(model));
    out.extend(jobs_outlasting_their_visibility(model));
    out.extend(sessions_that_do_not_stick(model));
    out.extend(read_through_caches_that_fail(model));
    out.extend(replicas_without_one_primary(model));
    out
}

/// A replica that no primary replicates to: nothing is ever written to it, so its reads are
/// never stale and its lag_ms means nothing (a report still showed its lag, 100 ms); and one
/// that two primaries replicate to, which each think theirs (a failover of either promotes
/// it). Both run as written, but neither is a replica as drawn in a real system.
fn replicas_without_one_primary(model: &Model) -> Vec<Problem> {
    let mut out = Vec::new();
    for (k, node) in model.nodes.iter().enumerate() {
        if node.kind != crate::scenario::Kind::SqlReplica {
            continue;
        }
        let feeders: Vec<&str> = model
            .nodes
            .iter()
            .filter(|p| {
                p.kind == crate::scenario::Kind::SqlPrimary
                    && p.routes.replicas.iter().any(|r| r.ix() == k)
            })
            .map(|p| p.id.as_str())
            .collect();
        let message = match feeders.as_slice() {
            [] => format!(
                "no primary replicates to it: it is never written to, so its reads are never \
                 stale and its lag means nothing; draw an edge from the sql_primary that \
                 takes the writes to {}",
                node.id
            ),
            [_] => continue,
            many => format!(
                "{} primaries replicate to it ({}): a replica follows one primary; keep the \
                 edge from the one whose data it copies",
                many.len(),
                many.join(", ")
            ),
        };
        out.push(Problem::node(&node.id, None, message));
    }
    out
}

/// A cache that is set to fail (a scheduled fault or `mtbf_s`) in front of a server's only
/// way to its data: the server reaches the database through the cache alone (read-through),
/// so while the cache is down its reads fail, and there is no stampede on the database, the
/// lesson a cache outage is usually drawn for. Drawn cache-aside (the server calls the
/// database too), the server reads the database itself while the cache is down. The run
/// shows it, but nothing said why no read reached the database.
fn read_through_caches_that_fail(model: &Model) -> Vec<Problem> {
    let mut out = Vec::new();
    for (spec, node) in model.scenario.nodes.iter().zip(&model.nodes) {
        let Params::Server(_) = &node.params else {
            continue;
        };
        let Some(cache) = node.routes.cache else {
            continue;
        };
        if !node.routes.readers.is_empty() || node.routes.forward.is_some() {
            continue;
        }
        let c = model.node(cache);
        let behind = c.routes.readers.first().or(c.routes.forward.as_ref());
        let Some(&db) = behind else {
            continue;
        };
        let scheduled = model
            .scenario
            .faults
            .iter()
            .any(|f| f.node.as_deref() == Some(c.id.as_str()));
        if !scheduled && c.reliability.mtbf_s.is_none() {
            continue;
        }
        out.push(Problem::node(
            &spec.id,
            None,
            format!(
                "reads through the cache \"{}\" alone (read-through): while it is down they \
                 fail, and none reaches \"{}\"; for the stampede a cache outage brings, call \
                 \"{}\" from this server too (cache-aside: it reads there when the cache is \
                 down)",
                c.id,
                model.node(db).id,
                model.node(db).id
            ),
        ));
    }
    out
}

/// A server that keeps sessions in its own memory (`stateful_sessions`) where they cannot
/// last: a session store it calls does not keep them (the store is called on every request,
/// yet the sessions are still lost with the instance), and a balancer in front of more than
/// one instance that does not send a user back to the same one (anything but `ip_hash`) loses
/// a session at nearly every request. Both ran without a word from `validate`.
fn sessions_that_do_not_stick(model: &Model) -> Vec<Problem> {
    let mut out = Vec::new();
    for (index, (spec, node)) in model.scenario.nodes.iter().zip(&model.nodes).enumerate() {
        let Params::Server(p) = &node.params else {
            continue;
        };
        let server = crate::model::NodeId(index as u32);
        if !p.stateful_sessions {
            continue;
        }
        if let Some(store) = node.routes.session {
            out.push(Problem::node(
                &spec.id,
                Some("stateful_sessions"),
                format!(
                    "stateful_sessions keeps sessions in this server's memory, so the session \
                     store \"{}\" it calls does not keep them: they are still lost with an \
                     instance; turn stateful_sessions off to keep them in the store",
                    model.node(store).id
                ),
            ));
        }
        let most = p
            .autoscale
            .as_ref()
            .map_or(p.instances, |a| a.max.max(p.instances));
        if most < 2 {
            continue;
        }
        for lb in &model.nodes {
            let Params::LoadBalancer(b) = &lb.params else {
                continue;
            };
            let calls_it = lb.routes.targets.contains(&server);
            if calls_it && b.algorithm != crate::params::Algorithm::IpHash {
                out.push(Problem::node(
                    &spec.id,
                    Some("stateful_sessions"),
                    format!(
                        "stateful_sessions keeps each session on one instance, but balancer \
                         \"{}\" does not send a user back to the same one: most requests land \
                         on another instance and lose the session; set its algorithm to \
                         \"ip_hash\" (sticky sessions), or keep sessions in a session store",
                        lb.id
                    ),
                ));
            }
        }
    }
    out
}

/// A queue whose visibility timeout is shorter than the mean job of a pool it feeds (its
/// work alone, before any call the job makes): most messages are delivered again while still
/// in work, every delivery's work is done again, and after `max_attempts` they go to the dead
/// letters. The run shows it (dead letters, a busy pool), yet `validate` said "ok" and the
/// capacity analysis counts each job once.
fn jobs_outlasting_their_visibility(model: &Model) -> Vec<Problem> {
    let mut out = Vec::new();
    for (spec, node) in model.scenario.nodes.iter().zip(&model.nodes) {
        let Params::Queue(q) = &node.params else {
            continue;
        };
        for pool in &node.routes.targets {
            let Params::WorkerPool(p) = &model.node(*pool).params else {
                continue;
            };
            let Ok(work) = p.service_ms.check() else {
                continue; // refused by validation already
            };
            let job_s = work.mean_ms() / 1000.0;
            if job_s >= q.visibility_timeout_s {
                out.push(Problem::node(
                    &spec.id,
                    Some("visibility_timeout_s"),
                    format!(
                        "visibility_timeout_s ({} s) is not longer than the mean job of pool \
                         \"{}\" ({} s, before any call it makes): most messages are delivered \
                         again while still in work, each delivery's work is done again, and \
                         after max_attempts ({}) they go to the dead letters; raise \
                         visibility_timeout_s well above the jobs' time",
                        shown(q.visibility_timeout_s),
                        model.node(*pool).id,
                        shown(job_s),
                        q.max_attempts
                    ),
                ));
            }
        }
    }
    out
}

/// A plot window longer than the run: the series, and so every plot, has one point, at the
/// end (set in the app, it looked as if the run had drawn nothing).
fn window_longer_than_the_run(model: &Model) -> Option<Problem> {
    let s = &model.scenario;
    // The shortest window validation takes (a tenth of the run suggested under it was
    // refused when typed).
    const SHORTEST_WINDOW_S: f64 = 0.001;
    (s.window_s > s.duration_s).then(|| {
        let advice = if s.duration_s / 10.0 >= SHORTEST_WINDOW_S {
            format!(
                "make it at most {} s for ten points (window_s 1 plots a point a second)",
                shown(s.duration_s / 10.0)
            )
        } else {
            format!(
                "the run is shorter than the shortest window ({SHORTEST_WINDOW_S} s): make the \
                 run longer to see the plots move"
            )
        };
        Problem::scenario(
            "window_s",
            format!(
                "window_s {} s is longer than the run ({} s): the plots and series get a single \
                 point; {advice}",
                shown(s.window_s),
                shown(s.duration_s),
            ),
        )
    })
}

/// Scheduled faults at or after the end of the run: they change nothing. (A problem before,
/// which kept a preset shortened for a quick try from running until its faults were deleted.)
fn faults_after_the_end(model: &Model) -> Vec<Problem> {
    let s = &model.scenario;
    let mut out = Vec::new();
    for (i, f) in s.faults.iter().enumerate() {
        let end = shown(s.duration_s);
        let when = if f.at_s > s.duration_s {
            format!("is after the end of the run ({end} s), so it never happens")
        } else if f.at_s == s.duration_s {
            format!("is the run's last instant ({end} s), so it changes none of its figures")
        } else {
            continue;
        };
        let label = crate::validate::fault_label(i, f);
        out.push(Problem::scenario(
            "faults",
            format!(
                "{label}: at {} s {when}: move it earlier or make the run longer to see it",
                shown(f.at_s),
            ),
        ));
    }
    out
}

/// Faults of a data center that holds only users and a DNS: its outage leaves them up (DNS
/// is a global service), so the fault changes nothing.
fn faults_on_what_stays_up(model: &Model) -> Vec<Problem> {
    use crate::scenario::Kind;
    let mut out = Vec::new();
    for (i, f) in model.scenario.faults.iter().enumerate() {
        let (None, Some(dc)) = (&f.node, &f.dc) else {
            continue;
        };
        let mut inside = model.nodes.iter().filter(|n| &n.dc == dc);
        let only_users_and_dns = inside.clone().all(|n| n.kind.outlives_its_data_center());
        if only_users_and_dns && inside.any(|n| n.kind == Kind::Dns) {
            out.push(Problem::scenario(
                "faults",
                format!(
                    "faults[{i}] (data center \"{dc}\"): the data center holds only users and \
                     a DNS, which its outage leaves up (DNS is a global service): the fault \
                     changes nothing; to fail the DNS, name it by its id"
                ),
            ));
        }
    }
    out
}

/// Scheduled recoveries that no scheduled failure comes before: a recovery ends the outage
/// of its own kind of fault (a node's, or a data center's), so one with none to end changes
/// nothing. Usually what is left of a pair whose "fail" was deleted (preset 01's notes ask
/// to delete its outage, which is two entries).
fn recoveries_of_nothing(model: &Model) -> Vec<Problem> {
    use crate::scenario::FaultAction;
    let faults = &model.scenario.faults;
    // Whether `a` and `b` act on the same instances, some of them at least.
    let overlap = |a: Option<u32>, b: Option<u32>| a.is_none() || b.is_none() || a == b;
    let mut out = Vec::new();
    for (i, r) in faults.iter().enumerate() {
        if r.action != FaultAction::Recover {
            continue;
        }
        // Faults at one instant take effect in the schedule's order.
        let failed_before = faults.iter().enumerate().any(|(j, f)| {
            f.action == FaultAction::Fail
                && (f.at_s < r.at_s || (f.at_s == r.at_s && j < i))
                && f.node == r.node
                && f.dc == r.dc
                && overlap(f.instance, r.instance)
        });
        if !failed_before {
            let label = crate::validate::fault_label(i, r);
            out.push(Problem::scenario(
                "faults",
                format!(
                    "{label}: a recovery at {} s that no scheduled failure comes before, so it \
                     changes nothing: add the failure it ends, or remove it",
                    shown(r.at_s)
                ),
            ));
        }
    }
    out
}

/// A data center whose name is another's but for case or separators (`dc-1` beside `dc1`,
/// `EU` beside `eu`): likely meant to be the same, and the calls between the two then cross
/// data centers, at their latency instead of a local one. (Not any near name: `dc1` and
/// `dc2` are two on purpose.) Noted on the one with fewer nodes (a tie: the later name),
/// naming its nodes.
fn data_centers_a_slip_apart(model: &Model) -> Vec<Problem> {
    let plain = |dc: &str| -> String {
        dc.chars()
            .filter(|c| !matches!(c, '-' | '_' | ' ' | '.'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut dcs: Vec<(&str, Vec<&str>)> = Vec::new();
    for n in &model.scenario.nodes {
        match dcs.iter_mut().find(|(dc, _)| *dc == n.dc) {
            Some((_, ids)) => ids.push(&n.id),
            None => dcs.push((&n.dc, vec![&n.id])),
        }
    }
    let mut out = Vec::new();
    for (dc, ids) in &dcs {
        let Some(meant) = dcs
            .iter()
            .map(|(d, _)| *d)
            .find(|d| d != dc && plain(d) == plain(dc))
        else {
            continue;
        };
        let meant_nodes = dcs
            .iter()
            .find(|(d, _)| *d == meant)
            .map_or(0, |(_, ids)| ids.len());
        if ids.len() > meant_nodes || (ids.len() == meant_nodes && *dc < meant) {
            continue;
        }
        let listed: Vec<String> = ids.iter().take(3).map(|id| format!("\"{id}\"")).collect();
        let more = if ids.len() > 3 { " and more" } else { "" };
        out.push(Problem::scenario(
            "nodes",
            format!(
                "data center \"{dc}\" (of {}{more}) is a slip away from \"{meant}\": if they \
                 are meant to be one, give them the same dc; as written, every call between \
                 them crosses data centers ({} ms each way, not {} ms)",
                listed.join(", "),
                shown(crate::model::CROSS_DC_MS),
                shown(crate::model::SAME_DC_MS)
            ),
        ));
    }
    out
}

/// A note when node `id`'s `autoscale` writes `key`, which `kind` (worded) does not read.
fn foreign_target(id: &str, raw: &Map<String, Value>, key: &str, kind: &str) -> Option<Problem> {
    let key = written_in(raw, "autoscale", key)?;
    Some(Problem::node(
        id,
        Some("autoscale"),
        format!("{key} has no effect on {kind}: remove it"),
    ))
}

/// `"outer.inner"` when the node's params write `inner` inside the object `outer`.
fn written_in(raw: &Map<String, Value>, outer: &str, inner: &str) -> Option<String> {
    raw.get(outer)?
        .as_object()?
        .get(inner)
        .is_some_and(|v| !v.is_null())
        .then(|| format!("{outer}.{inner}"))
}

/// Which of `keys` the node's params write out (a null is the default, as good as absent).
fn written<'a>(raw: &Map<String, Value>, keys: &[&'a str]) -> Vec<&'a str> {
    keys.iter()
        .copied()
        .filter(|k| raw.get(*k).is_some_and(|v| !v.is_null()))
        .collect()
}

/// `a`, `a and b`, `a, b and c`.
fn listed(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A profile as the scenario file names it.
fn profile_name(p: Profile) -> &'static str {
    match p {
        Profile::Constant => "constant",
        Profile::Ramp => "ramp",
        Profile::Spike => "spike",
        Profile::Diurnal => "diurnal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notes(client: &str, cdn: &str) -> Vec<Problem> {
        let text = format!(
            r#"{{"version": 1, "duration_s": 10, "nodes": [
                {{"id": "users", "kind": "client", "params": {client}}},
                {{"id": "edge", "kind": "cdn", "params": {cdn}}},
                {{"id": "web", "kind": "server"}}],
              "edges": [{{"from": "users", "to": "edge"}}, {{"from": "users", "to": "web"}},
                        {{"from": "edge", "to": "web"}}]}}"#
        );
        ignored_settings(&crate::load(&text).expect("valid"))
    }

    #[test]
    fn names_the_settings_the_profile_does_not_read() {
        let ps = notes(
            r#"{"rps": 5, "spike_x": 4, "spike_s": 30, "spike_at_s": 2, "amplitude": 0.5,
                "retry_backoff_ms": 100}"#,
            r#"{"capacity_keys": 1000, "hit_ratio": 0.5}"#,
        );
        let messages: Vec<&str> = ps.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(ps.len(), 4, "{messages:#?}");
        assert!(messages[0].starts_with(
            "spike_at_s, spike_s and spike_x have no effect with profile \"constant\": set \"profile\": \
             \"spike\" to use them"
        ));
        assert!(messages[1].starts_with("amplitude has no effect with profile \"constant\""));
        assert!(messages[2].starts_with("retry_backoff_ms has no effect without retries"));
        assert_eq!(ps[3].node.as_deref(), Some("edge"));
        assert_eq!(ps[3].field.as_deref(), Some("hit_ratio"));
    }

    #[test]
    fn settings_in_use_are_not_named() {
        let ps = notes(
            r#"{"rps": 5, "profile": "spike", "spike_x": 4, "retries": 2, "retry_backoff_ms": 100,
                "period_s": null}"#,
            r#"{"hit_ratio": 0.5}"#,
        );
        assert!(ps.is_empty(), "{ps:#?}");
        // A null is the default, as good as left out.
        let ps = notes(
            r#"{"rps": 5, "retry_backoff_ms": null, "spike_x": null}"#,
            r#"{"capacity_keys": 1000, "hit_ratio": null}"#,
        );
        assert!(ps.is_empty(), "{ps:#?}");
    }

    #[test]
    fn names_a_spike_after_the_run_and_the_other_kinds_scaling_target() {
        let text = r#"{"version": 1, "duration_s": 60, "nodes": [
            {"id": "users", "kind": "client", "params": {"rps": 5, "mix": {"read": 0.5,
              "async": 0.5}, "profile": "spike", "spike_at_s": 60}},
            {"id": "web", "kind": "server", "params": {"autoscale": {"target_depth": 5}}},
            {"id": "jobs", "kind": "queue"},
            {"id": "pool", "kind": "worker_pool", "params": {"autoscale":
              {"target_utilization": 0.5, "target_depth": 5}}}],
          "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "jobs"},
                    {"from": "jobs", "to": "pool"}]}"#;
        let ps = ignored_settings(&crate::load(text).expect("valid"));
        let named: Vec<(&str, &str)> = ps
            .iter()
            .map(|p| (p.node.as_deref().unwrap(), p.message.as_str()))
            .collect();
        assert_eq!(
            named,
            vec![
                (
                    "users",
                    "the spike at 60 s starts at the run's last instant (the run is 60 s \
                     long): it never happens; set spike_at_s below 60"
                ),
                (
                    "web",
                    "autoscale.target_depth has no effect on a server, which scales on its \
                     utilization (target_utilization; worker pools scale on queue depth): \
                     remove it"
                ),
                (
                    "pool",
                    "autoscale.target_utilization has no effect on a worker pool, which \
                     scales on the depth of its queue (target_depth): remove it"
                ),
            ]
        );
        // Each kind's own target, and a spike inside the run, are not named.
        let text = text
            .replace(r#""spike_at_s": 60"#, r#""spike_at_s": 59"#)
            .replace(
                r#""target_depth": 5}}},"#,
                r#""target_utilization": 0.5}}},"#,
            )
            .replace(r#""target_utilization": 0.5, "#, "");
        let ps = ignored_settings(&crate::load(&text).expect("valid"));
        assert!(ps.is_empty(), "{ps:#?}");
    }

    #[test]
    fn a_failover_time_without_a_replica_is_noted() {
        let notes = |replica: bool| {
            let text = format!(
                r#"{{"version": 1, "duration_s": 10, "nodes": [
                    {{"id": "users", "kind": "client"}},
                    {{"id": "web", "kind": "server"}},
                    {{"id": "db", "kind": "sql_primary", "params": {{"failover_s": 30}}}}
                    {}],
                  "edges": [{{"from": "users", "to": "web"}}, {{"from": "web", "to": "db"}}
                            {}]}}"#,
                if replica {
                    r#", {"id": "r", "kind": "sql_replica"}"#
                } else {
                    ""
                },
                if replica {
                    r#", {"from": "db", "to": "r"}"#
                } else {
                    ""
                },
            );
            ignored_settings(&crate::load(&text).expect("valid"))
        };
        let ps = notes(false);
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert_eq!(
            (ps[0].node.as_deref(), ps[0].field.as_deref()),
            (Some("db"), Some("failover_s"))
        );
        assert!(
            ps[0].message.contains("without a replica to promote"),
            "{}",
            ps[0].message
        );
        assert!(notes(true).is_empty(), "{:?}", notes(true));
    }

    #[test]
    fn a_visibility_timeout_shorter_than_the_jobs_is_noted() {
        let notes = |visibility_s: f64| {
            let text = format!(
                r#"{{"version": 1, "duration_s": 10, "nodes": [
                    {{"id": "users", "kind": "client", "params": {{"mix": {{"async": 1}}}}}},
                    {{"id": "web", "kind": "server"}},
                    {{"id": "jobs", "kind": "queue", "params": {{"visibility_timeout_s": {visibility_s}}}}},
                    {{"id": "pool", "kind": "worker_pool",
                      "params": {{"service_ms": {{"dist": "const", "mean": 2000}}}}}}],
                  "edges": [{{"from": "users", "to": "web"}}, {{"from": "web", "to": "jobs"}},
                            {{"from": "jobs", "to": "pool"}}]}}"#
            );
            ignored_settings(&crate::load(&text).expect("valid"))
        };
        let ps = notes(1.0);
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert_eq!(ps[0].node.as_deref(), Some("jobs"));
        assert_eq!(ps[0].field.as_deref(), Some("visibility_timeout_s"));
        assert!(
            ps[0].message.contains("pool \"pool\" (2 s") && ps[0].message.contains("dead letters"),
            "{}",
            ps[0].message
        );
        assert!(notes(30.0).is_empty());
    }

    #[test]
    fn sessions_kept_where_they_cannot_last_are_noted() {
        let notes = |algorithm: &str, server: &str, store: bool| {
            let text = format!(
                r#"{{"version": 1, "nodes": [
                    {{"id": "users", "kind": "client"}},
                    {{"id": "lb", "kind": "load_balancer", "params": {{"algorithm": "{algorithm}"}}}},
                    {{"id": "web", "kind": "server", "params": {server}}},
                    {{"id": "sessions", "kind": "session_store"}}],
                  "edges": [{{"from": "users", "to": "lb"}}, {{"from": "lb", "to": "web"}}
                            {}]}}"#,
                if store {
                    r#", {"from": "web", "to": "sessions"}"#
                } else {
                    ""
                }
            );
            ignored_settings(&crate::load(&text).expect("valid"))
        };
        let sticky = r#"{"instances": 3, "stateful_sessions": true}"#;
        // Sticky sessions done right: ip_hash, no store.
        assert!(notes("ip_hash", sticky, false).is_empty());
        // Kept in memory, yet a store is called on every request.
        let ps = notes("ip_hash", sticky, true);
        assert_eq!(ps.len(), 1, "{ps:#?}");
        assert_eq!(ps[0].field.as_deref(), Some("stateful_sessions"));
        assert!(
            ps[0].message.contains(r#"session store "sessions""#),
            "{ps:#?}"
        );
        // A balancer that does not stick, in front of several instances, or of one that may
        // grow to several.
        for algorithm in ["round_robin", "least_connections", "random"] {
            let ps = notes(algorithm, sticky, false);
            assert_eq!(ps.len(), 1, "{algorithm}: {ps:#?}");
            assert!(ps[0].message.contains(r#"balancer "lb""#), "{ps:#?}");
            assert!(ps[0].message.contains("ip_hash"), "{ps:#?}");
        }
        let growing = r#"{"stateful_sessions": true,
            "autoscale": {"min": 1, "max": 4, "target_utilization": 0.6}}"#;
        assert_eq!(notes("random", growing, false).len(), 1);
        // One instance cannot lose a session to another; sessions not kept in memory neither.
        let single = r#"{"instances": 1, "stateful_sessions": true}"#;
        assert!(notes("round_robin", single, false).is_empty());
        assert!(notes("round_robin", r#"{"instances": 3}"#, true).is_empty());
    }

    #[test]
    fn a_recovery_with_no_failure_before_it_is_noted() {
        let notes = |faults: &str| {
            let text = format!(
                r#"{{"version": 1, "duration_s": 100, "nodes": [
                    {{"id": "users", "kind": "client", "dc": "eu"}},
                    {{"id": "web", "kind": "server", "dc": "eu", "params": {{"instances": 3}}}}],
                  "edges": [{{"from": "users", "to": "web"}}], "faults": [{faults}]}}"#
            );
            ignored_settings(&crate::load(&text).expect("valid"))
        };
        // Preset 01's outage with its "fail" deleted.
        let ps = notes(r#"{"node": "web", "at_s": 75, "action": "recover"}"#);
        assert_eq!(ps.len(), 1, "{ps:#?}");
        assert_eq!(
            ps[0].message,
            "faults[0] (\"web\"): a recovery at 75 s that no scheduled failure comes before, so \
             it changes nothing: add the failure it ends, or remove it"
        );
        // Pairs that end something: of the node, of one instance within it, of the whole
        // tier after one instance, at one instant in the schedule's order.
        for pair in [
            r#"{"node": "web", "at_s": 60, "action": "fail"}, {"node": "web", "at_s": 75, "action": "recover"}"#,
            r#"{"node": "web", "at_s": 60, "action": "fail"}, {"node": "web", "at_s": 75, "action": "recover", "instance": 2}"#,
            r#"{"node": "web", "at_s": 60, "action": "fail", "instance": 1}, {"node": "web", "at_s": 75, "action": "recover"}"#,
            r#"{"node": "web", "at_s": 60, "action": "fail"}, {"node": "web", "at_s": 60, "action": "recover"}"#,
            r#"{"dc": "eu", "at_s": 60, "action": "fail"}, {"dc": "eu", "at_s": 75, "action": "recover"}"#,
        ] {
            assert!(notes(pair).is_empty(), "{pair}: {:#?}", notes(pair));
        }
        // Ones that do not: another instance, after the recovery, or a data center's
        // recovery of a node's outage.
        for pair in [
            r#"{"node": "web", "at_s": 60, "action": "fail", "instance": 1}, {"node": "web", "at_s": 75, "action": "recover", "instance": 2}"#,
            r#"{"node": "web", "at_s": 80, "action": "fail"}, {"node": "web", "at_s": 75, "action": "recover"}"#,
            r#"{"node": "web", "at_s": 60, "action": "fail"}, {"dc": "eu", "at_s": 75, "action": "recover"}"#,
        ] {
            assert_eq!(notes(pair).len(), 1, "{pair}");
        }
    }

    #[test]
    fn a_data_center_a_slip_from_another_is_noted() {
        let notes = |db_dc: &str| {
            let text = format!(
                r#"{{"version": 1, "nodes": [
                    {{"id": "users", "kind": "client", "dc": "dc1"}},
                    {{"id": "web", "kind": "server", "dc": "dc1"}},
                    {{"id": "db", "kind": "sql_primary", "dc": "{db_dc}"}}],
                  "edges": [{{"from": "users", "to": "web"}}, {{"from": "web", "to": "db"}}]}}"#
            );
            ignored_settings(&crate::load(&text).expect("valid"))
        };
        let ps = notes("dc-1");
        assert_eq!(ps.len(), 1, "{ps:#?}");
        assert_eq!(
            ps[0].message,
            "data center \"dc-1\" (of \"db\") is a slip away from \"dc1\": if they are meant to \
             be one, give them the same dc; as written, every call between them crosses data \
             centers (80 ms each way, not 0.5 ms)"
        );
        assert_eq!(notes("DC1").len(), 1);
        // Names apart on purpose, or the same.
        assert!(notes("us-east").is_empty());
        assert!(notes("dc2").is_empty());
        assert!(notes("dc1").is_empty());
    }

    #[test]
    fn a_window_longer_than_the_run_is_noted() {
        let text = |window: f64| {
            format!(
                r#"{{"version": 1, "duration_s": 120, "window_s": {window}, "nodes": [
                {{"id": "users", "kind": "client"}}, {{"id": "web", "kind": "server"}}],
              "edges": [{{"from": "users", "to": "web"}}]}}"#
            )
        };
        let ps = ignored_settings(&crate::load(&text(500.0)).unwrap());
        assert_eq!(ps.len(), 1, "{ps:#?}");
        assert_eq!(
            ps[0].message,
            "window_s 500 s is longer than the run (120 s): the plots and series get a single \
             point; make it at most 12 s for ten points (window_s 1 plots a point a second)"
        );
        assert!(ignored_settings(&crate::load(&text(120.0)).unwrap()).is_empty());
        // No window validation takes fits a run of 5 ms ten times: it says so, rather than
        // suggest 0.0005 s, which is refused.
        let short = text(1.0).replace("\"duration_s\": 120", "\"duration_s\": 0.005");
        let ps = ignored_settings(&crate::load(&short).unwrap());
        assert_eq!(ps.len(), 1, "{ps:#?}");
        assert!(
            ps[0].message.ends_with("the run is shorter than the shortest window (0.001 s): make the run longer to see the plots move"),
            "{}",
            ps[0].message
        );
    }

    #[test]
    fn a_fault_after_the_end_is_noted_and_does_not_stop_the_run() {
        let text = r#"{"version": 1, "duration_s": 40, "nodes": [
            {"id": "users", "kind": "client"}, {"id": "web", "kind": "server"}],
          "edges": [{"from": "users", "to": "web"}],
          "faults": [{"node": "web", "at_s": 30, "action": "fail"},
                     {"node": "web", "at_s": 61, "action": "recover"},
                     {"dc": "dc1", "at_s": 90, "action": "fail"},
                     {"node": "web", "at_s": 40, "action": "recover"}]}"#;
        let model = crate::load(text).expect("valid: the late faults never happen");
        let ps = ignored_settings(&model);
        assert_eq!(ps.len(), 3, "{ps:#?}");
        assert!(ps[2].message.starts_with(
            r#"faults[3] ("web"): at 40 s is the run's last instant (40 s), so it changes none"#
        ));
        assert!(ps[0].message.starts_with(
            r#"faults[1] ("web"): at 61 s is after the end of the run (40 s), so it never happens"#
        ));
        assert!(ps[1]
            .message
            .starts_with(r#"faults[2] (data center "dc1"): at 90 s"#));
        // Only those in the run are kept, and the one at its last instant is not applied.
        assert_eq!(model.faults.len(), 2);
        let report = crate::Simulation::new(model, 1).run();
        assert_eq!(report.faults.len(), 1, "{:?}", report.faults);

        // As the note says, such a fault changes no figure: a failure at the last instant
        // made the node count as down the arrivals of that instant, which never reached their
        // clients (preset 01: "down 2" at the node, no failure in the summary).
        let at_end = |faults: &str| {
            let text = format!(
                r#"{{"version": 1, "duration_s": 60, "warmup_s": 0, "nodes": [
                {{"id": "users", "kind": "client", "params": {{"rps": 1000}}}},
                {{"id": "web", "kind": "server", "params": {{"workers": 100}}}}],
              "edges": [{{"from": "users", "to": "web", "latency_ms": 0}}],
              "faults": [{faults}]}}"#
            );
            crate::Simulation::new(crate::load(&text).unwrap(), 5)
                .run()
                .to_json()
        };
        assert_eq!(
            at_end(r#"{"node": "web", "at_s": 60, "action": "fail"}"#),
            at_end("")
        );
    }

    #[test]
    fn a_replica_fed_by_no_primary_or_by_two_is_noted() {
        let notes = |extra_nodes: &str, edges: &str| {
            let text = format!(
                r#"{{"version": 1, "duration_s": 10, "nodes": [
                {{"id": "u", "kind": "client"}}, {{"id": "web", "kind": "server"}},
                {{"id": "r", "kind": "sql_replica"}}{extra_nodes}],
              "edges": [{{"from": "u", "to": "web"}}, {{"from": "web", "to": "r"}}{edges}]}}"#
            );
            ignored_settings(&crate::load(&text).unwrap())
                .into_iter()
                .filter(|p| p.node.as_deref() == Some("r"))
                .map(|p| p.message)
                .collect::<Vec<_>>()
        };
        // Reads only, from a replica of nothing.
        let none = notes("", "");
        assert_eq!(none.len(), 1, "{none:?}");
        assert!(none[0].starts_with("no primary replicates to it: it is never written to"));
        let primaries =
            r#", {"id": "p1", "kind": "sql_primary"}, {"id": "p2", "kind": "sql_primary"}"#;
        let one = r#", {"from": "web", "to": "p1"}, {"from": "p1", "to": "r"}"#;
        assert!(notes(primaries, one).is_empty());
        let two = notes(primaries, &format!(r#"{one}, {{"from": "p2", "to": "r"}}"#));
        assert_eq!(two.len(), 1, "{two:?}");
        assert!(
            two[0].starts_with("2 primaries replicate to it (p1, p2)"),
            "{two:?}"
        );
    }
}
