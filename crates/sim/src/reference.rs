//! The scenario file's reference: what each kind of node does and what each of its params
//! means, one line each, with the param's unit and its default taken from the engine's own
//! `Default`s. The app shows a param's line when the pointer rests on it in the inspector;
//! `scaleplay reference` prints all of it as Markdown, which `cargo xtask docs` writes to
//! `docs/scenario.md`. Tests check that every param a kind accepts has its line here and that
//! the file is current, so the reference cannot drift from what a run does.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::can_connect;
use crate::params::{
    param_names, Autoscale, CacheParams, CdnParams, ClientParams, DnsParams, LbParams, NosqlParams,
    ObjectStoreParams, QueueParams, Reliability, ServerParams, SessionStoreParams,
    ShardRouterParams, SqlPrimaryParams, SqlReplicaParams, WorkerPoolParams, COMMON_PARAMS,
};
use crate::scenario::Kind;

/// What a node of `kind` does, in a sentence or two.
pub fn kind_help(kind: Kind) -> &'static str {
    match kind {
        Kind::Client => {
            "A population of users sending requests: a rate shaped over the run, a mix of \
             request types, user ids drawn by popularity, an optional timeout and retries."
        }
        Kind::Dns => {
            "Resolves the entry point: adds resolution time to the requests that miss resolver \
             caches, and sends each client to the healthy entry point nearest it (with `geo`, \
             one in the client's own data center). Never the bottleneck."
        }
        Kind::Cdn => {
            "An edge cache for static requests: a hit is served at the edge, a miss goes on to \
             the origin (an object store or a server). A client connected to a CDN and to a \
             server or balancer sends it only its static requests; a CDN that is a client's only \
             entry point passes its other requests on."
        }
        Kind::LoadBalancer => {
            "Spreads requests over the healthy instances below it. It sees a failure only at \
             its next health check, and sends traffic to the failed instance until then."
        }
        Kind::Server => {
            "A web or app server tier: instances × workers, a FIFO backlog per instance, its \
             own service time, and calls to what it is connected to by request type (session \
             store, cache, then a replica or the primary for reads; the primary for writes; a \
             queue for async jobs)."
        }
        Kind::SessionStore => {
            "Keeps users' sessions outside the web servers, so any instance can serve any \
             user. An instance that crashes comes back without the sessions it held (each of \
             its users loses one, counted in `sessions_lost`; the request still succeeds)."
        }
        Kind::Cache => {
            "A read-through cache in front of a database: a hit answers after its lookup time, a \
             miss reads from the database and fills the entry; a write invalidates its key. Its \
             hit ratio emerges from the users' popularity, its capacity and the TTL. An entry \
             filled by a stale read (a replica or NoSQL store the key's last write had not \
             reached) stays stale until the next write or its TTL: its hits count as stale \
             reads."
        }
        Kind::SqlPrimary => {
            "A SQL database primary: takes every write, and the reads when no replica is there \
             for the caller (none connected to the caller, none of the primary's in the \
             caller's data center, or all down). Edges to `sql_replica` nodes mean replication; \
             when it fails, a replica is promoted after `failover_s`."
        }
        Kind::SqlReplica => {
            "A read replica of the primary connected to it: serves reads, which are stale for \
             keys written less than its lag ago."
        }
        Kind::Nosql => {
            "A partitioned key-value store: keys are spread over partitions by user, so a \
             popular user makes a hot partition. Eventually consistent: a read of a key \
             written less than `lag_ms` ago is stale."
        }
        Kind::ShardRouter => {
            "Routes each request by its user id to one of the shards (databases) connected to \
             it."
        }
        Kind::Queue => {
            "A message queue between producers (servers sending async jobs) and worker pools: a \
             producer is answered once its message is queued."
        }
        Kind::WorkerPool => {
            "Consumers that take messages from the queues connected to them and run the jobs, \
             which call what the pool is connected to (a database, an object store)."
        }
        Kind::ObjectStore => {
            "Blob storage: the origin of static objects behind a CDN, and uploads."
        }
    }
}

/// What param `name` of a node of `kind` means (`mtbf_s` and `mttr_s` too); `None` for a name
/// the kind does not take.
pub fn param_help(kind: Kind, name: &str) -> Option<&'static str> {
    let shared = match name {
        "mtbf_s" => Some(
            "Random failures: mean time between failures (of each instance, in a tier of \
             several). Needs `mttr_s`; no random failures when omitted.",
        ),
        "mttr_s" => Some("Random failures: mean time to repair one. Needs `mtbf_s`."),
        _ => None,
    };
    if shared.is_some() {
        return shared;
    }
    if !param_names(kind).contains(&name) {
        return None;
    }
    let own = match (kind, name) {
        (Kind::Client, "rps") => {
            "Requests per second: the steady rate; with a profile, a ramp's final rate, the \
             rate outside a spike, or the mean of the daily wave."
        }
        (Kind::Client, "profile") => {
            "Traffic shape over the run: `constant`, `ramp` (from `ramp_from_rps` to `rps`), \
             `spike` (`rps` × `spike_x` for `spike_s` from `spike_at_s`) or `diurnal` (a wave \
             of `amplitude` and `period_s`)."
        }
        (Kind::Client, "ramp_from_rps") => {
            "Ramp: the rate at the start, growing evenly to `rps` at the run's end."
        }
        (Kind::Client, "spike_at_s") => {
            "Spike: when it starts; half-way through the run when omitted."
        }
        (Kind::Client, "spike_s") => "Spike: how long it lasts.",
        (Kind::Client, "spike_x") => "Spike: how many times `rps` it sends meanwhile.",
        (Kind::Client, "period_s") => {
            "Diurnal: the wave's period; the run's duration when omitted."
        }
        (Kind::Client, "amplitude") => {
            "Diurnal: the wave's height as a share of `rps`: the rate swings between \
             `rps × (1 − amplitude)` and `rps × (1 + amplitude)`."
        }
        (Kind::Client, "mix") => {
            "Shares of request types, summing to 1: `read`, `write`, `static` (served by a CDN \
             when there is one) and `async` (a job through a queue when the server has one; \
             else the server does it). A share left out is 0; only reads when omitted."
        }
        (Kind::Client, "users") => {
            "Distinct users. A request's user id is its key: it picks the cache entry, the \
             session and the shard."
        }
        (Kind::Client, "zipf_s") => {
            "How skewed the users' popularity is (a Zipf exponent): 0 spreads requests evenly, \
             1 and above makes a few users hot."
        }
        (Kind::Client, "timeout_ms") => {
            "How long a user waits for each attempt before it counts as a timeout; no timeout \
             when omitted."
        }
        (Kind::Client, "retries") => "More attempts after a failure or a timeout.",
        (Kind::Client, "retry_backoff_ms") => "Wait before each retry.",
        (Kind::Dns, "latency_ms") => {
            "Resolution time, paid by the share of requests that miss resolver caches."
        }
        (Kind::Dns, "miss_ratio") => {
            "Share of requests that miss resolver caches and pay `latency_ms`."
        }
        (Kind::Dns, "geo") => {
            "GeoDNS: send each client to a healthy entry point in its own data center, even \
             when another is nearer by the DNS's edges. Without it (and for a client whose data \
             center has none), the nearest healthy one: the DNS edge's latency plus the \
             distance between the data centers."
        }
        (Kind::Dns | Kind::LoadBalancer, "health_check_s") => {
            "Time between health checks, taken at whole multiples of it: a failed target keeps \
             getting traffic, and a recovered one gets none, until the next check sees it."
        }
        (Kind::Cdn, "hit_ratio") => {
            "Share of static requests served at the edge (unless `capacity_keys` is set)."
        }
        (Kind::Cdn, "capacity_keys") => {
            "Objects the edge holds. When set, hits emerge from an LRU of the objects users \
             ask for, instead of `hit_ratio`."
        }
        (Kind::Cdn, "edge_latency_ms") => {
            "Time at the edge: a hit is served in it; a miss, and a request passed on, pays it \
             before going on."
        }
        (Kind::LoadBalancer, "algorithm") => {
            "How an instance is picked: `round_robin`, `least_connections`, `ip_hash` (the \
             same user to the same instance: sticky sessions) or `random`."
        }
        (Kind::LoadBalancer, "max_connections") => {
            "Requests in flight through it before it rejects more; unlimited when omitted."
        }
        (Kind::Server | Kind::WorkerPool, "instances") => {
            "Identical copies (the starting count when autoscaled: between `min` and `max`)."
        }
        (Kind::Server, "workers") => {
            "Requests one instance serves at once (threads); the others wait in its backlog."
        }
        (Kind::Server, "service_ms") => {
            "Its own work per request: a distribution, or a number for an exponential one with \
             that mean."
        }
        (Kind::Server, "queue") => {
            "Backlog per instance: a request arriving when it is full is rejected (503). \
             Unlimited when omitted."
        }
        (Kind::SqlPrimary | Kind::SqlReplica, "queue") => {
            "Queries waiting for a connection: one arriving when it is full is rejected. \
             Unlimited when omitted."
        }
        (Kind::Server, "blocking") => {
            "Hold the worker while downstream calls run (a thread per request). Off, the worker \
             is freed after its own work (an event loop)."
        }
        (Kind::Server, "stateful_sessions") => {
            "Sessions live in the instances' memory: users lose theirs when their instance \
             fails or is scaled in, or when a balancer sends them to another one, as `ip_hash` \
             does for some users each time the tier grows or shrinks (counted in \
             `sessions_lost`; the request still succeeds). Pair with an `ip_hash` balancer."
        }
        (Kind::Server, "autoscale") => {
            "Scale the instances on utilization: `min`, `max`, `target_utilization`, \
             `cooldown_s`, `boot_s`."
        }
        (Kind::SessionStore, "instances") => {
            "Shards: each user's sessions live on one instance, and while it is down that \
             user's requests fail."
        }
        (Kind::SessionStore | Kind::Cache, "workers") => "Lookups one instance serves at once.",
        (Kind::SessionStore | Kind::Cache, "service_ms") => "Time of one lookup.",
        (Kind::Cache, "capacity_keys") => {
            "Keys one instance holds; when full, `eviction` picks the key that goes."
        }
        (Kind::Cache, "ttl_s") => {
            "How long an entry lives: 300 s when omitted; forever when `null` (the app's \
             \"never expires\")."
        }
        (Kind::Cache, "eviction") => {
            "Which key goes when the cache is full: `lru` (least recently used), `lfu` (least \
             often) or `fifo` (oldest)."
        }
        (Kind::Cache, "instances") => "Shards of the cache; keys are spread over them by user.",
        (Kind::SqlPrimary | Kind::SqlReplica, "workers") => "Connections: queries it runs at once.",
        (Kind::SqlPrimary | Kind::SqlReplica | Kind::Nosql, "read_ms") => "Time of a read.",
        (Kind::SqlPrimary | Kind::Nosql, "write_ms") => "Time of a write.",
        (Kind::SqlPrimary, "failover_s") => {
            "After the primary fails, how long until a replica is promoted to take the writes. \
             Back, the primary takes them again once it has replayed those the replica took \
             meanwhile, three times as fast as they came (10 s after 30 s of promotion)."
        }
        (Kind::SqlReplica, "lag_ms") => {
            "Replication delay behind the primary (the edge from the primary adds its latency): \
             a read of a key written more recently is stale."
        }
        (Kind::Nosql, "partitions") => "Partitions; keys are spread over them by user.",
        (Kind::Nosql, "workers") => "Operations one partition runs at once.",
        (Kind::Nosql, "lag_ms") => {
            "How long a write takes to reach every copy of its key (eventual consistency): a \
             read of a key written more recently is stale. 0 for strongly consistent reads."
        }
        (Kind::ShardRouter, "strategy") => {
            "How a user id maps to a shard: `hash_mod` (hash mod N), `consistent_hash` (a ring) \
             or `range` (contiguous ids, so popular low ids make a hot shard)."
        }
        (Kind::Queue, "max_depth") => {
            "Messages waiting (not those being worked on) before producers are rejected; \
             unlimited when omitted. A message delivered again after its visibility timeout \
             was accepted already: it comes back even to a full queue, so the depth can \
             pass this for a while."
        }
        (Kind::Queue, "visibility_timeout_s") => {
            "A message taken but not acknowledged within this time (its job failed, or took \
             longer) is delivered again."
        }
        (Kind::Queue, "max_attempts") => "Deliveries before a message goes to the dead letters.",
        (Kind::WorkerPool, "workers") => "Jobs one instance runs at once.",
        (Kind::WorkerPool, "service_ms") => "Work per job.",
        (Kind::WorkerPool, "autoscale") => {
            "Scale the instances on queue depth: `min`, `max`, `target_depth`, `cooldown_s`, \
             `boot_s`."
        }
        (Kind::ObjectStore, "read_ms") => "Time to serve an object (no limit on how many at once).",
        // A param added to `param_names` without its line here: the reference test names it.
        _ => return None,
    };
    Some(own)
}

/// The scenario's top-level keys, with their defaults as the reference writes them.
const SETTINGS: [(&str, &str); 13] = [
    ("version", "required"),
    ("name", "`\"\"`"),
    ("notes", "`\"\"`"),
    ("seed", "`0`"),
    ("duration_s", "`60`"),
    ("warmup_s", "`0`"),
    ("window_s", "`1`"),
    ("slo", "none"),
    ("slo.p99_ms", "none"),
    ("slo.availability", "none"),
    ("nodes", "`[]`"),
    ("edges", "`[]`"),
    ("faults", "`[]`"),
];

/// What a top-level key of the scenario means (`slo.p99_ms` for one inside `slo`); the app
/// shows it on its scenario settings.
pub fn setting_help(key: &str) -> Option<&'static str> {
    Some(match key {
        "version" => "Format version: `1`.",
        "name" => "Display name.",
        "notes" => "\"What to try\": shown with the scenario in the app.",
        "seed" => {
            "Seed of the run's random numbers: the same scenario and seed give the identical \
             report, in the app and in `scaleplay run`."
        }
        "duration_s" => "Simulated seconds.",
        "warmup_s" => {
            "Seconds left out of the steady-state figures (summary, per-node figures); the \
             per-window series keep them."
        }
        "window_s" => "Length of one point of the per-window series and the plots.",
        "slo" => {
            "Objectives, `{\"p99_ms\": …, \"availability\": …}` (either may be left out): a \
             window after the warm-up that breaks one raises an alert, once per breach."
        }
        "slo.p99_ms" => "The 99th-percentile latency a window's successes must stay within.",
        "slo.availability" => {
            "The share of a window's answered requests that must succeed, e.g. 0.999."
        }
        "nodes" => "The components (below).",
        "edges" => "Calls between them (below).",
        "faults" => "Scheduled failures and recoveries (below).",
        _ => return None,
    })
}

/// What a key of an `autoscale` object means.
pub fn autoscale_help(name: &str) -> Option<&'static str> {
    Some(match name {
        "min" => "Fewest instances it scales in to.",
        "max" => "Most instances it scales out to.",
        "target_utilization" => {
            "Servers: the busy share of workers to aim for: it sizes the tier so that its \
             work keeps about this share of the workers busy."
        }
        "target_depth" => {
            "Worker pools: messages waiting per instance to aim for, besides the instances \
             the jobs in progress keep 85% busy."
        }
        "cooldown_s" => {
            "Time after a decision before it holds or scales in again; a scale-out is decided \
             at the first check that asks for more. A failed instance is replaced within a \
             second regardless, while a slot up to `max` is free."
        }
        "boot_s" => "Time a new instance takes to start serving.",
        _ => return None,
    })
}

/// A line of the reference as plain text, for a tooltip: without the backticks that mark code
/// in Markdown.
pub fn plain(text: &str) -> String {
    text.replace('`', "")
}

/// The unit shown after a number of param `name` on a node of `kind`; also for the numbers
/// inside a distribution (`mean`, `min`, `max`: ms) and an `autoscale` object.
pub fn unit(kind: Kind, name: &str) -> &'static str {
    match name {
        "rps" | "ramp_from_rps" => "req/s",
        // Ends in `_s` but is an exponent, not seconds.
        "zipf_s" => "exponent",
        "spike_x" => "×",
        "amplitude" | "hit_ratio" | "miss_ratio" | "target_utilization" => "0–1",
        "cv" => "cv",
        "mean" => "ms",
        "users" => "users",
        "capacity_keys" => "keys",
        "queue" => "requests",
        "max_depth" => "messages",
        "target_depth" => "msgs/inst",
        "max_connections" => "connections",
        "workers" if matches!(kind, Kind::SqlPrimary | Kind::SqlReplica) => "connections",
        "workers" => "workers",
        "instances" | "min" | "max" => "instances",
        "partitions" => "partitions",
        "retries" => "retries",
        "max_attempts" => "attempts",
        n if n.ends_with("_ms") => "ms",
        n if n.ends_with("_s") => "s",
        _ => "",
    }
}

fn to_map(value: impl Serialize) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// Every param of `kind` (and `mtbf_s`, `mttr_s`) with the value a run uses when it is
/// omitted, from the engine's own defaults (`null`: none, or no limit).
pub fn defaults(kind: Kind) -> Map<String, Value> {
    let mut map = match kind {
        Kind::Client => to_map(ClientParams::default()),
        Kind::Dns => to_map(DnsParams::default()),
        Kind::Cdn => to_map(CdnParams::default()),
        Kind::LoadBalancer => to_map(LbParams::default()),
        Kind::Server => to_map(ServerParams::default()),
        Kind::SessionStore => to_map(SessionStoreParams::default()),
        Kind::Cache => to_map(CacheParams::default()),
        Kind::SqlPrimary => to_map(SqlPrimaryParams::default()),
        Kind::SqlReplica => to_map(SqlReplicaParams::default()),
        Kind::Nosql => to_map(NosqlParams::default()),
        Kind::ShardRouter => to_map(ShardRouterParams::default()),
        Kind::Queue => to_map(QueueParams::default()),
        Kind::WorkerPool => to_map(WorkerPoolParams::default()),
        Kind::ObjectStore => to_map(ObjectStoreParams::default()),
    };
    map.extend(to_map(Reliability::default()));
    map
}

/// The engine's default autoscale policy, as JSON.
pub fn autoscale_defaults() -> Map<String, Value> {
    to_map(Autoscale::default())
}

/// A default as the reference writes it: numbers without a trailing `.0`, a distribution
/// as its JSON, nothing as "none".
fn shown(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "none".into(),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(x) => format!("`{x}`"),
            None => format!("`{n}`"),
        },
        Some(Value::Object(o)) => {
            // Written as a file would have it: `{"dist": "exp", "mean": 10}`.
            let fields: Vec<String> = o
                .iter()
                .map(|(k, v)| format!("\"{k}\": {}", shown(Some(v)).trim_matches('`')))
                .collect();
            format!("`{{{}}}`", fields.join(", "))
        }
        Some(Value::String(s)) => format!("`\"{s}\"`"),
        Some(other) => format!("`{other}`"),
    }
}

/// A table row, with `|` in a cell escaped.
fn table_row(out: &mut String, cells: &[&str]) {
    let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
    let _ = writeln!(out, "| {} |", cells.join(" | "));
}

/// The reference of one kind: what it does and a table of its params.
pub fn kind_markdown(kind: Kind) -> String {
    let mut out = String::new();
    let defaults = defaults(kind);
    let _ = writeln!(out, "### `{}`\n\n{}\n", kind.as_str(), kind_help(kind));
    // Which kinds its edges may go to, from the rule validation applies.
    let callees: Vec<String> = Kind::ALL
        .into_iter()
        .filter(|to| can_connect(kind, *to).is_ok())
        .map(|to| format!("`{}`", to.as_str()))
        .collect();
    if callees.is_empty() {
        out.push_str("Calls nothing: it only answers.\n\n");
    } else {
        let _ = writeln!(out, "Calls: {}.\n", callees.join(", "));
    }
    table_row(&mut out, &["param", "default", "unit", "meaning"]);
    table_row(&mut out, &["---", "---", "---", "---"]);
    for name in param_names(kind).iter().chain(COMMON_PARAMS.iter()) {
        let mut default = defaults.get(*name).cloned();
        if let (&"mix", Some(Value::Object(shares))) = (name, &mut default) {
            // As a file would write it: a share left out is 0.
            shares.retain(|_, share| share.as_f64() != Some(0.0));
        }
        table_row(
            &mut out,
            &[
                &format!("`{name}`"),
                &shown(default.as_ref()),
                unit(kind, name),
                param_help(kind, name).unwrap_or(""),
            ],
        );
    }
    out
}

/// The whole reference, as Markdown (what `docs/scenario.md` holds).
pub fn markdown() -> String {
    let mut out = String::from(HEAD);
    out.push_str("## Top level\n\n");
    table_row(&mut out, &["key", "default", "meaning"]);
    table_row(&mut out, &["---", "---", "---"]);
    for (key, default) in SETTINGS {
        table_row(
            &mut out,
            &[
                &format!("`{key}`"),
                default,
                setting_help(key).unwrap_or(""),
            ],
        );
    }
    out.push('\n');
    out.push_str(BODY);
    out.push_str("\n## Autoscaling\n\n");
    out.push_str(
        "`autoscale` on a `server` or a `worker_pool` is an object; a key left out takes its \
         default. The autoscaler looks every second.\n\n",
    );
    table_row(&mut out, &["key", "default", "unit", "meaning"]);
    table_row(&mut out, &["---", "---", "---", "---"]);
    let autoscale = autoscale_defaults();
    for name in crate::params::AUTOSCALE_KEYS {
        table_row(
            &mut out,
            &[
                &format!("`{name}`"),
                &shown(autoscale.get(name)),
                unit(Kind::Server, name),
                autoscale_help(name).unwrap_or(""),
            ],
        );
    }
    out.push_str("\n## Kinds\n\nEvery kind also takes `mtbf_s` and `mttr_s` (random failures).\n");
    for kind in Kind::ALL {
        out.push('\n');
        out.push_str(&kind_markdown(kind));
    }
    out
}

/// The parts of the reference that are not per kind.
const HEAD: &str = r#"# The scenario file (version 1)

<!-- Written by `cargo xtask docs` (`scaleplay reference`) from crates/sim/src/reference.rs,
     with the engine's own defaults. Edit that file, not this one: a test checks they agree. -->

A scenario is one JSON object: what "Export JSON" in the app writes, what `scaleplay run`
reads and what a share link carries. `scaleplay validate FILE` checks one and names every
problem at once: an unknown key, a key written twice and a `null` are errors everywhere but
in a param's own value (where `null` means its default), and every value has a range (`rps` up
to 1,000,000, `retries` up to 10, `duration_s` up to 30 days, …) that `validate` names when it is
broken. Times are in seconds where a key ends in `_s` (but `zipf_s`, an exponent) and in
milliseconds where it ends in `_ms`.

```json
{
  "version": 1,
  "name": "Single server",
  "seed": 7,
  "duration_s": 120,
  "warmup_s": 10,
  "slo": {"p99_ms": 500, "availability": 0.999},
  "nodes": [
    {"id": "users", "kind": "client", "params": {"rps": 50, "mix": {"read": 0.8, "write": 0.2}}},
    {"id": "box", "kind": "server", "params": {"workers": 8, "service_ms": {"dist": "exp", "mean": 12}}}
  ],
  "edges": [{"from": "users", "to": "box", "latency_ms": 1}],
  "faults": [{"node": "box", "at_s": 60, "action": "fail"}, {"node": "box", "at_s": 75, "action": "recover"}]
}
```

"#;

/// The parts of the reference after the top-level keys.
const BODY: &str = r#"## Nodes

| key | default | meaning |
| --- | --- | --- |
| `id` | required | Unique; edges, faults and the report name the node by it. |
| `kind` | required | One of the kinds below. |
| `name` | `""` | Display name. |
| `x`, `y` | `0` | Position on the canvas. |
| `dc` | `"dc1"` | Data center (region). Calls across data centers pay the distance between them. |
| `params` | `{}` | The kind's params (below); a param left out, or `null`, takes its default. |

## Edges

`{"from": "web", "to": "db", "latency_ms": 1}`: `from` calls `to`. Routing is by request type
and the kinds of the nodes called, so a topology drawn the obvious way works. `latency_ms` is
the one-way network delay, `0` allowed; left out, it is 0.5 ms within a data center (and to a
DNS) and 80 ms across data centers. A `sql_primary` → `sql_replica` edge means replication.
A node uses the first node of each kind it is connected to (one cache, one queue, one database
to write to, one server to forward to; `validate` notes the others, which get no traffic); only
a server's reads are spread over the replicas it reads from. An edge to itself, the same edge
twice, a cycle of calls and a call between kinds that cannot talk (`validate` says which) are
refused.

## Faults

| key | meaning |
| --- | --- |
| `node` | The node to fail or recover (or `dc` instead). |
| `dc` | A whole data center: every node whose `dc` matches, but clients and DNS, which are global. |
| `at_s` | When, in seconds from the start. |
| `action` | `"fail"` or `"recover"`. |
| `instance` | One instance of a tier, counted from 0; all of them when left out. |

A `recover` ends only the outage of its own cause: a node's own recovery does not end its data
center's outage or a random failure, nor the other way round. Random failures are params of a
node: `mtbf_s` and `mttr_s`.

## Service times

A param ending in `_ms` that is a time of work (`service_ms`, `read_ms`, `write_ms`) takes a
number, the mean of an exponential distribution, or a distribution object:

| form | meaning |
| --- | --- |
| `{"dist": "exp", "mean": 12}` | Exponential with mean 12 ms. |
| `{"dist": "const", "mean": 12}` | Always 12 ms. |
| `{"dist": "lognormal", "mean": 12, "cv": 1.5}` | Lognormal with mean 12 ms and coefficient of variation 1.5 (a long tail; `cv` is 1 when left out). |
| `{"dist": "uniform", "min": 5, "max": 20}` | Uniform between 5 and 20 ms. |

A mean (or a uniform's `max`) runs from 0.001 ms, the clock's microsecond, to a day
(86,400,000 ms).
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_param_of_every_kind_is_explained() {
        for kind in Kind::ALL {
            for name in param_names(kind).iter().chain(COMMON_PARAMS.iter()) {
                let help = param_help(kind, name);
                assert!(
                    help.is_some_and(|h| !h.is_empty()),
                    "{}.{name} has no line in reference.rs",
                    kind.as_str()
                );
                assert!(
                    defaults(kind).contains_key(*name),
                    "{}.{name} has no default",
                    kind.as_str()
                );
            }
            assert_eq!(param_help(kind, "no_such_param"), None);
        }
        for name in autoscale_defaults().keys() {
            assert!(autoscale_help(name).is_some(), "autoscale.{name}");
        }
    }

    #[test]
    fn the_top_level_defaults_are_the_ones_a_file_gets() {
        let s = crate::validate::parse(r#"{"version": 1}"#).expect("a minimal scenario");
        let written = |key: &str| SETTINGS.iter().find(|(k, _)| *k == key).unwrap().1;
        assert_eq!(written("seed"), format!("`{}`", s.seed));
        assert_eq!(written("duration_s"), format!("`{}`", s.duration_s));
        assert_eq!(written("warmup_s"), format!("`{}`", s.warmup_s));
        assert_eq!(written("window_s"), format!("`{}`", s.window_s));
        assert!(s.slo.p99_ms.is_none() && s.slo.availability.is_none());
        assert!(s.name.is_empty() && s.notes.is_empty());
        for (key, _) in SETTINGS {
            assert!(setting_help(key).is_some(), "{key}");
        }
    }

    #[test]
    fn a_kind_takes_only_its_own_params() {
        // A line written for another kind is not offered for this one.
        assert_eq!(param_help(Kind::ObjectStore, "workers"), None);
        assert_eq!(param_help(Kind::Client, "health_check_s"), None);
        assert!(param_help(Kind::LoadBalancer, "health_check_s").is_some());
    }

    #[test]
    fn defaults_are_written_as_a_file_would_have_them() {
        assert_eq!(shown(Some(&serde_json::json!(10.0))), "`10`");
        assert_eq!(shown(Some(&serde_json::json!(0.25))), "`0.25`");
        assert_eq!(shown(Some(&Value::Null)), "none");
        assert_eq!(
            shown(Some(&serde_json::json!({"dist": "exp", "mean": 10.0}))),
            "`{\"dist\": \"exp\", \"mean\": 10}`"
        );
        let server = kind_markdown(Kind::Server);
        assert!(
            server.contains("| `workers` | `8` | workers | Requests one instance serves"),
            "{server}"
        );
        assert!(server.contains("| `queue` | none | requests |"), "{server}");
    }

    #[test]
    fn docs_scenario_md_is_current() {
        let written = include_str!("../../../docs/scenario.md");
        assert!(
            written == markdown(),
            "docs/scenario.md differs from `scaleplay reference`: run `cargo xtask docs`"
        );
    }
}
