//! The scenario file, format v1 (PRODUCT.md §7): what "Export JSON" writes, what the CLI reads
//! and what a share link carries. Key names are a public contract: extend, never rename.
//!
//! Node params stay a JSON object here so that a scenario round-trips exactly as its author
//! wrote it; [`crate::validate`](mod@crate::validate) turns them into the typed [`crate::params`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The only format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// A whole scenario: topology, traffic, faults and run settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
// Read from objects only: see [`objects_only`].
#[serde(remote = "Self")]
pub struct Scenario {
    /// Format version; must be 1.
    pub version: u32,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// "What to try" notes shown with presets.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Seed of the run's random number generator.
    #[serde(default)]
    pub seed: u64,
    /// Simulated seconds.
    #[serde(default = "default_duration")]
    pub duration_s: f64,
    /// Seconds discarded before steady-state figures are taken.
    #[serde(default)]
    pub warmup_s: f64,
    /// Length of one point of the report's `series`, in seconds (default 1).
    #[serde(default = "default_window", skip_serializing_if = "is_default_window")]
    pub window_s: f64,
    /// Service-level objectives that raise alerts when broken.
    #[serde(default)]
    pub slo: Slo,
    /// Components on the canvas.
    #[serde(default)]
    pub nodes: Vec<NodeSpec>,
    /// Directed calls between components (`from` calls `to`).
    #[serde(default)]
    pub edges: Vec<EdgeSpec>,
    /// Scheduled failures and recoveries.
    #[serde(default)]
    pub faults: Vec<FaultSpec>,
}

fn default_duration() -> f64 {
    60.0
}

fn default_window() -> f64 {
    1.0
}

fn is_default_window(w: &f64) -> bool {
    *w == 1.0
}

/// Service-level objectives.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
// A misspelt key would otherwise be dropped without a word ("latency" for "latency_ms"); read
// from objects only (see [`objects_only`]).
#[serde(deny_unknown_fields, remote = "Self")]
pub struct Slo {
    /// 99th-percentile latency bound, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p99_ms: Option<f64>,
    /// Lowest acceptable share of successful requests, e.g. 0.999.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<f64>,
}

/// One component as drawn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
// A misspelt key would otherwise be dropped without a word ("latency" for "latency_ms"); read
// from objects only (see [`objects_only`]).
#[serde(deny_unknown_fields, remote = "Self")]
pub struct NodeSpec {
    /// Unique id, used by edges, faults and reports.
    pub id: String,
    /// Component kind, e.g. `"server"` (see [`Kind`]).
    pub kind: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Canvas position.
    #[serde(default)]
    pub x: f64,
    /// Canvas position.
    #[serde(default)]
    pub y: f64,
    /// Data center / region.
    #[serde(default = "default_dc")]
    pub dc: String,
    /// Kind-specific parameters (see [`crate::params`]).
    #[serde(default)]
    pub params: Map<String, Value>,
}

impl NodeSpec {
    /// The name to show for the node: its name, or its id when the name is empty or blank
    /// (a blank title on the canvas cannot be told apart or clicked by name).
    pub fn shown_name(&self) -> &str {
        match self.name.trim() {
            "" => &self.id,
            _ => &self.name,
        }
    }
}

/// The data center a node is in when the file does not say.
pub fn default_dc() -> String {
    "dc1".to_string()
}

/// A directed call from one node to another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
// A misspelt key would otherwise be dropped without a word ("latency" for "latency_ms"); read
// from objects only (see [`objects_only`]).
#[serde(deny_unknown_fields, remote = "Self")]
pub struct EdgeSpec {
    /// Caller id.
    pub from: String,
    /// Callee id.
    pub to: String,
    /// One-way network delay; default 0.5 ms within a data center, 80 ms across.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
}

/// A scheduled fault: one node, or a whole data center.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
// A misspelt key would otherwise be dropped without a word ("latency" for "latency_ms"); read
// from objects only (see [`objects_only`]).
#[serde(deny_unknown_fields, remote = "Self")]
pub struct FaultSpec {
    /// The node to fail or recover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// A whole data center to fail or recover (every node whose `dc` matches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dc: Option<String>,
    /// When, in seconds from the start.
    pub at_s: f64,
    /// `"fail"` or `"recover"`.
    pub action: FaultAction,
    /// Which instance of a tier (0-based); all instances when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<u32>,
}

/// Reads a `T` that must be written as a JSON object, with `derived`, serde's own reading of
/// it. serde reads a struct from a list too, field by field in order, without a word: `"slo":
/// [1]` would be `{"p99_ms": 1}`, and a node `["web", "server"]` one of id "web". A file
/// written so (by hand, or by a tool that writes records as lists) would then load as
/// something its author never wrote, or fail on the wrong field. So a list is refused as serde
/// refuses any other wrong type ("invalid type: sequence, expected struct Slo"), which
/// [`crate::validate`](mod@crate::validate) says in words, naming where it is.
pub(crate) fn object_only<'de, D, T>(
    d: D,
    expected: &'static str,
    derived: fn(Value) -> Result<T, serde_json::Error>,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::de::{Error, Unexpected};
    let value = Value::deserialize(d)?;
    if value.is_array() {
        return Err(D::Error::invalid_type(Unexpected::Seq, &expected));
    }
    derived(value).map_err(D::Error::custom)
}

/// `Serialize` and `Deserialize` for structs of the file that derive both with
/// `#[serde(remote = "Self")]`: written as derived, read with [`object_only`], so that a list
/// where the struct belongs is refused rather than read field by field. (`remote = "Self"`
/// makes the derives inherent functions, which these impls call.)
macro_rules! objects_only {
    ($($t:ident),* $(,)?) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $t::serialize(self, s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::scenario::object_only(
                    d,
                    concat!("struct ", stringify!($t)),
                    $t::deserialize,
                )
            }
        }
    )*};
}
pub(crate) use objects_only;

objects_only!(Scenario, Slo, NodeSpec, EdgeSpec, FaultSpec);

/// What a fault does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultAction {
    /// Take the node (or instance) down.
    Fail,
    /// Bring it back.
    Recover,
}

/// Every kind of component (PRODUCT.md §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A user population in one region.
    Client,
    /// Name resolution, optionally geo-aware.
    Dns,
    /// Edge cache for static requests.
    Cdn,
    /// Spreads requests over healthy downstream instances.
    LoadBalancer,
    /// Web/app server tier.
    Server,
    /// Shared session store.
    SessionStore,
    /// Read-through / cache-aside key-value cache.
    Cache,
    /// Relational primary.
    SqlPrimary,
    /// Read replica.
    SqlReplica,
    /// Partitioned key-value store.
    Nosql,
    /// Routes by shard key.
    ShardRouter,
    /// Message queue.
    Queue,
    /// Consumers draining a queue.
    WorkerPool,
    /// Blob storage.
    ObjectStore,
}

impl Kind {
    /// Every kind, in palette order.
    pub const ALL: [Kind; 14] = [
        Kind::Client,
        Kind::Dns,
        Kind::Cdn,
        Kind::LoadBalancer,
        Kind::Server,
        Kind::SessionStore,
        Kind::Cache,
        Kind::SqlPrimary,
        Kind::SqlReplica,
        Kind::Nosql,
        Kind::ShardRouter,
        Kind::Queue,
        Kind::WorkerPool,
        Kind::ObjectStore,
    ];

    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Client => "client",
            Kind::Dns => "dns",
            Kind::Cdn => "cdn",
            Kind::LoadBalancer => "load_balancer",
            Kind::Server => "server",
            Kind::SessionStore => "session_store",
            Kind::Cache => "cache",
            Kind::SqlPrimary => "sql_primary",
            Kind::SqlReplica => "sql_replica",
            Kind::Nosql => "nosql",
            Kind::ShardRouter => "shard_router",
            Kind::Queue => "queue",
            Kind::WorkerPool => "worker_pool",
            Kind::ObjectStore => "object_store",
        }
    }

    /// Parses a file name of a kind.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A store whose instances each hold some of the keys: a request goes to the instance
    /// of its user's key, not to the least busy one.
    pub fn keyed_by_user(self) -> bool {
        matches!(self, Kind::Cache | Kind::Nosql | Kind::SessionStore)
    }

    /// A data store that answers reads of a key (a read can end here).
    pub fn serves_reads(self) -> bool {
        matches!(
            self,
            Kind::SqlPrimary | Kind::SqlReplica | Kind::Nosql | Kind::ShardRouter
        )
    }

    /// A data store that accepts writes.
    pub fn serves_writes(self) -> bool {
        matches!(self, Kind::SqlPrimary | Kind::Nosql | Kind::ShardRouter)
    }

    /// Whether an outage of the node's data center leaves it up: users live in a region but
    /// not inside its data center, and DNS is a global service (anycast, as the distances
    /// treat it). Left at the default dc, a GeoDNS used to die with dc1 and fail every region.
    pub fn outlives_its_data_center(self) -> bool {
        matches!(self, Kind::Client | Kind::Dns)
    }
}

impl Scenario {
    /// Pretty JSON, as "Export JSON" writes it.
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).expect("scenario serializes")
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&NodeSpec> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

#[cfg(test)]
mod tests {
    use crate::validate;

    #[test]
    fn a_node_without_a_name_shows_its_id() {
        let s = validate::parse(
            r#"{"version": 1, "nodes": [
                {"id": "a", "kind": "server", "name": "Front"},
                {"id": "b", "kind": "server", "name": ""},
                {"id": "c", "kind": "server", "name": "  "},
                {"id": "d", "kind": "server"}]}"#,
        )
        .unwrap();
        let shown: Vec<&str> = s.nodes.iter().map(|n| n.shown_name()).collect();
        assert_eq!(shown, ["Front", "b", "c", "d"]);
    }
}
