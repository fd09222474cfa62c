//! Run-time state of nodes: instances with their workers and backlogs, kind-specific state
//! (cache contents, queue messages, replication), and the time-integrated statistics from which
//! utilization, backlog and Little's-law figures are read.

use std::collections::{HashMap, VecDeque};

use crate::engine::events::ReqId;
use crate::engine::hash::FxBuild;
use crate::engine::histogram::Histogram;
use crate::engine::store::Store;
use crate::model::NodeId;
use crate::time::SimTime;

/// One copy of a tier.
#[derive(Debug)]
pub(crate) struct Inst {
    /// Alive (not failed).
    pub up: bool,
    /// Part of the tier (autoscaling adds and removes instances).
    pub active: bool,
    /// Still booting after a scale-up: takes no traffic until `Booted`.
    pub booting: bool,
    /// Bumped at every failure, so work started before a crash is recognised as lost.
    pub epoch: u32,
    /// Workers busy.
    pub busy: u32,
    /// Requests waiting for a worker.
    pub backlog: VecDeque<ReqId>,
    /// Since when it is down (valid while `!up`).
    pub down_since: SimTime,
    /// Since when it is up (valid while `up`).
    pub up_since: SimTime,
    /// Requests in flight through a balancer to this instance (least-connections).
    pub conns: u32,
    /// Cache contents (cache nodes only).
    pub store: Option<Store>,
}

impl Inst {
    pub fn new(active: bool) -> Inst {
        Inst {
            up: true,
            active,
            booting: false,
            epoch: 0,
            busy: 0,
            backlog: VecDeque::new(),
            down_since: SimTime::ZERO,
            up_since: SimTime::ZERO,
            conns: 0,
            store: None,
        }
    }

    /// Can take new work right now.
    pub fn serving(&self) -> bool {
        self.up && self.active && !self.booting
    }
}

/// Time integrals and counters of one node. Reset at the end of the warm-up, so they describe
/// the steady state.
#[derive(Debug)]
pub(crate) struct NodeStats {
    pub since: SimTime,
    pub last: SimTime,
    /// ∫ busy workers dt (worker·µs).
    pub busy_area: u128,
    /// ∫ available workers dt (worker·µs): the utilization denominator.
    pub capacity_area: u128,
    /// ∫ queued requests dt.
    pub backlog_area: u128,
    /// ∫ requests inside the node (queued, in service, or waiting on downstream) dt.
    pub inside_area: u128,
    /// ∫ [node has an instance up] dt.
    pub up_area: u128,
    /// ∫ messages waiting (queues) dt.
    pub depth_area: u128,
    pub ok: u64,
    pub errors: u64,
    pub rejected: u64,
    pub down: u64,
    pub latency_sum_us: u128,
    pub latency: Option<Histogram<u32, 2>>,
    pub hits: u64,
    pub misses: u64,
    pub stale_reads: u64,
    pub sessions_lost: u64,
    pub dead_letters: u64,
    pub max_depth: u64,
}

impl NodeStats {
    pub fn new(at: SimTime) -> NodeStats {
        NodeStats {
            since: at,
            last: at,
            busy_area: 0,
            capacity_area: 0,
            backlog_area: 0,
            inside_area: 0,
            up_area: 0,
            depth_area: 0,
            ok: 0,
            errors: 0,
            rejected: 0,
            down: 0,
            latency_sum_us: 0,
            latency: None,
            hits: 0,
            misses: 0,
            stale_reads: 0,
            sessions_lost: 0,
            dead_letters: 0,
            max_depth: 0,
        }
    }

    pub fn record_latency(&mut self, us: u64) {
        self.latency_sum_us += us as u128;
        // 2 significant figures keep a node's histogram at ~13 KB.
        let h = self.latency.get_or_insert_with(|| Histogram::new());
        h.record(us);
    }
}

/// Per-window snapshot of the integrals, to turn them into per-second figures.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct WindowMark {
    pub busy_area: u128,
    pub capacity_area: u128,
}

/// A message in a queue.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Msg {
    pub user: u64,
    pub attempts: u32,
    /// Bumped at each delivery, so a late ack or timeout of an old delivery is ignored.
    pub delivery: u32,
    pub in_flight: bool,
    pub live: bool,
}

/// State of a queue node.
#[derive(Debug, Default)]
pub(crate) struct QueueState {
    pub ready: VecDeque<u32>,
    pub msgs: Vec<Msg>,
    pub free: Vec<u32>,
    pub in_flight: u64,
    /// Next consumer to try (round robin over consumer instances).
    pub cursor: usize,
}

/// Kind-specific state.
#[derive(Debug, Default)]
pub(crate) struct Ext {
    /// sql_primary: when each key was last written (for stale reads on replicas).
    pub last_write: HashMap<u64, SimTime, FxBuild>,
    /// sql_primary: the replica promoted while this primary is down.
    pub promoted: Option<NodeId>,
    /// sql_replica: the primary feeding it.
    pub primary: Option<NodeId>,
    /// server with stateful sessions: user → (instance, epoch) holding the session.
    pub sessions: HashMap<u64, (u32, u32), FxBuild>,
    /// queue state.
    pub queue: Option<QueueState>,
    /// worker_pool: the queues feeding it.
    pub feeders: Vec<NodeId>,
    /// load_balancer: flattened (node, instance) targets.
    pub lb_targets: Vec<(NodeId, u32)>,
    /// shard_router with consistent hashing: the ring of (point, shard index).
    pub ring: Vec<(u64, u32)>,
    /// cdn with capacity: objects held at the edge.
    pub edge: Option<Store>,
    /// Round-robin cursor.
    pub cursor: usize,
    /// Time of the last autoscaling decision.
    pub last_scale: SimTime,
    /// Busy area at the last autoscaling decision.
    pub scale_busy_mark: u128,
    pub scale_capacity_mark: u128,
}

/// A node's whole run-time state.
#[derive(Debug)]
pub(crate) struct NodeState {
    pub insts: Vec<Inst>,
    /// Workers per instance (u32::MAX for pure delays).
    pub workers: u32,
    /// Backlog limit per instance.
    pub backlog_limit: Option<u64>,
    /// Live totals, for the integrals.
    pub busy: u64,
    pub queued: u64,
    pub inside: u64,
    pub up_count: u32,
    pub active_count: u32,
    /// Instances up, active and booted: the ones whose workers count as capacity.
    pub serving: u32,
    /// Since when the node as a whole is down / up (DNS health checks).
    pub node_down_since: SimTime,
    pub node_up_since: SimTime,
    pub stats: NodeStats,
    /// Its routes call nothing a server's plan could use (session store, cache, databases,
    /// forward, static origin, queue): a server answers as soon as its own work is done.
    pub calls_nothing: bool,
    pub mark: WindowMark,
    pub ext: Ext,
    /// Per-window series: utilization and serving instances.
    pub util_series: Vec<f64>,
    pub inst_series: Vec<u32>,
    pub depth_series: Vec<u64>,
}
