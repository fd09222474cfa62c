//! The discrete-event engine: builds run-time state from a [`Model`], steps events in
//! `(time, sequence)` order, and reads out a [`Report`] at any moment.
//!
//! Request flow (who calls whom) lives in `engine/flow.rs`, failures and autoscaling in
//! `engine/faults.rs`, per-second metrics in `engine/metrics.rs`. This file owns the loop and
//! the public API: [`Simulation::new`], [`Simulation::run_until`], [`Simulation::inject`],
//! [`Simulation::report`].

mod behind;
mod events;
mod faults;
#[cfg(test)]
mod floor;
mod flow;
pub(crate) mod hash;
pub(crate) mod histogram;
mod metrics;
mod state;
mod store;
mod users;

use std::cell::Cell;

use crate::capacity::{self, Capacity};
use crate::model::{Model, NodeId, Op};
use crate::params::{Dist, Params, Profile};
use crate::report::Report;
use crate::rng::{Rng, Zipf};
use crate::scenario::{FaultAction, Kind};
use crate::time::{Duration, SimTime};

use events::{Event, EventQueue, ReqId};
pub use faults::DownCauses;
use faults::FaultSource;
use histogram::Histogram;
use state::{Changes, Ext, Inst, Level, NodeSeries, NodeState, NodeStats, QueueState, WindowMark};

/// The most requests the simulation holds at once (in flight, waiting or being served), about
/// 450 MB of them. At it, a request that would wait in a backlog is refused there, as by a
/// full backlog (counted as the node's rejection and in `run.refused_at_limit`), so a run that
/// overloads a tier with an unbounded backlog stays within memory natively and in a browser
/// tab, and only that tier refuses. (A client's timeout does not help: the requests it gave up
/// on wait all the same.)
pub const MAX_LIVE_REQUESTS: usize = 1_000_000;

/// The most request slots there are: past [`MAX_LIVE_REQUESTS`], the requests not waiting in a
/// backlog (in service, on the wire, waiting on a call below) go on until this many, and then
/// arrivals are refused at their client. Only a tier of unbounded workers under overload gets
/// here.
pub const MAX_REQUEST_SLOTS: usize = MAX_LIVE_REQUESTS + MAX_LIVE_REQUESTS / 10;

/// The most messages all queues hold at once (waiting or being processed), about 50 MB of
/// them. A message is no live request (its producer was answered when it was queued), so an
/// overloaded queue without `max_depth` grew until memory ran out (6 GB in 54 s of one run).
/// Messages beyond it are refused as a full queue's and counted in `run.refused_at_limit`.
pub const MAX_QUEUED_MESSAGES: usize = 1_000_000;

pub(crate) use metrics::{Global, Totals, Window};

/// Why a request failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cause {
    Timeout,
    Rejected,
    Down,
}

/// The answer travelling back up a request's call stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Ok,
    /// A cache-aside cache did not have the key.
    Miss,
    Err(Cause),
}

/// One node a request is inside, waiting for its work or its downstream calls.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub node: u32,
    pub inst: u32,
    /// Where in the node's plan the request is (see `flow.rs`).
    pub step: u8,
    /// Holds a worker of `node`/`inst`.
    pub holds: bool,
    /// The instance's epoch on arrival: a crash since then loses the request.
    pub epoch: u32,
    pub arrived: SimTime,
    pub op: Op,
    /// Kind-specific: the balancer's chosen target index.
    pub aux: u32,
    /// The latency of the edge the call came over, which the reply travels back (kept here
    /// so that answering needs no search of the caller's edges).
    pub hop: Duration,
}

/// One attempt of a request (a client's try, or a worker's job), with its call stack.
#[derive(Debug)]
pub(crate) struct Req {
    pub live: bool,
    /// Bumped when the slot is reused, so stale timeouts are ignored.
    pub gen: u32,
    pub op: Op,
    pub user: u64,
    pub client: u32,
    /// The client's logical request, or [`DIRECT`] when the attempt is the whole request
    /// (see `start` and `counted`).
    pub logical: u32,
    pub logical_gen: u32,
    /// For a [`DIRECT`] attempt: when the client asked, and whether it counts in the summary
    /// (what a [`Logical`] holds otherwise).
    pub start: SimTime,
    pub counted: bool,
    /// For jobs: (queue, message, delivery).
    pub job: Option<(u32, u32, u32)>,
    /// The client gave up on this attempt; its work still runs downstream.
    pub abandoned: bool,
    /// Its latest read of a database returned data older than the key's last write (a
    /// replica or NoSQL copy the write had not reached): a cache it fills keeps that stale
    /// value. Set by every database read (`sql_done`, `nosql_done`), which a fill always
    /// follows, so a reused slot needs no reset (which cost 11 instructions a request).
    pub stale_read: bool,
    pub frames: Vec<Frame>,
    pub outcome: Outcome,
    /// The op of the call in transit.
    pub next_op: Op,
    /// The latency of the edge the call in transit takes (becomes the callee's `Frame::hop`).
    pub next_hop: Duration,
}

impl Req {
    /// The attempt is its client's whole request: no [`Logical`], no client frame. A job's
    /// `logical` is whatever the slot held before (jobs have no client), hence the check.
    #[inline]
    pub fn is_direct(&self) -> bool {
        self.logical == DIRECT && self.job.is_none()
    }

    /// What is left of an attempt above an instance that crashed while it waited there on a
    /// call below (see `cut_off_at_crash`): work that answers no one.
    #[inline]
    pub fn is_orphan(&self) -> bool {
        self.logical == ORPHAN && self.job.is_none()
    }
}

/// What a client asked for, across its retries.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Logical {
    pub live: bool,
    pub gen: u32,
    pub start: SimTime,
    /// Started after the warm-up: counts in the steady-state summary.
    pub counted: bool,
    pub retries_left: u32,
    pub client: u32,
    pub op: Op,
    pub user: u64,
}

/// Per-client arrival state.
#[derive(Debug)]
pub(crate) struct ClientState {
    pub node: u32,
    pub zipf: Zipf,
    /// Cumulative shares of read, write, static, async.
    pub mix_cdf: [f64; 4],
    /// The request type of a mix of one type only: a choice that needs no draw.
    pub only_op: Option<Op>,
    pub peak_rps: f64,
    /// `1 / peak_rps`: the mean gap of the Poisson process that is thinned (kept to save a
    /// division per arrival).
    pub mean_gap_s: f64,
    /// The rate varies smoothly (ramp, diurnal), so arrivals are thinned; a constant rate
    /// needs no thinning, and a spike's two rates are drawn from directly (see `spike`).
    pub thinned: bool,
    /// A spike profile's base rate, spike rate and the spike's start and end, in seconds.
    pub spike: Option<Spike>,
    /// The exact time of the latest arrival drawn, in seconds. Gaps are added here and only the
    /// sum is rounded to microseconds, so rounding does not bias the rate, however high.
    pub last_arrival_s: f64,
    /// No retries and no timeout: a request is exactly one attempt, so it needs no
    /// [`Logical`] (see `flow.rs`).
    pub direct: bool,
    /// The one entry point of a client with one request type and one place to send it, and
    /// the network delay to it: the choice and the edge looked up once, not per request.
    pub fixed_entry: Option<(NodeId, Duration)>,
}

/// A spike profile as two piecewise-constant rates.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Spike {
    pub base_rps: f64,
    pub spike_rps: f64,
    pub from_s: f64,
    pub until_s: f64,
}

impl Spike {
    /// The rate at `t_s` and when it next changes (infinity when it never does).
    fn segment(&self, t_s: f64) -> (f64, f64) {
        if t_s < self.from_s {
            (self.base_rps, self.from_s)
        } else if t_s < self.until_s {
            (self.spike_rps, self.until_s)
        } else {
            (self.base_rps, f64::INFINITY)
        }
    }
}

/// `Req::logical` of an attempt that is its client's whole request (no [`Logical`]).
pub(crate) const DIRECT: u32 = u32::MAX;

/// `Req::logical` of an orphan ([`Req::is_orphan`]).
pub(crate) const ORPHAN: u32 = u32::MAX - 1;

/// Most faults a report lists (the rest are counted in `run.faults_unlisted`), and most
/// failovers (`run.failovers_unlisted`): a list that grew with the run's length would break the
/// promise that memory does not.
pub const MAX_FAULT_RECORDS: usize = 10_000;

/// A fault that happened, for plot markers.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FaultRecord {
    /// When, in seconds.
    pub t_s: f64,
    /// Node id.
    pub node: String,
    /// `"fail"` or `"recover"`.
    pub action: FaultAction,
    /// The instance, when only one was affected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<u32>,
    /// `"scheduled"`, `"random"` or `"manual"`; `"autoscaler"` for a recovery that is an
    /// autoscaled tier's replacement of a crashed instance (at its maximum, in the same slot).
    pub source: String,
}

/// A change of the node taking a SQL primary's writes, for plot markers and the fault log's
/// readers: without it a run showed the primary fail and recover, and not when its writes
/// started working again (PRODUCT.md §1, step 4: "writes fail during promotion").
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FailoverRecord {
    /// When, in seconds.
    pub t_s: f64,
    /// The primary's id.
    pub primary: String,
    /// The replica promoted, or handing the writes back, or failed while promoted.
    pub replica: String,
    /// What happened.
    pub action: FailoverAction,
}

impl FailoverRecord {
    /// What happened, in words the app and `scaleplay run` share, with the nodes called
    /// `primary` and `replica` (the app shows the names the canvas gives them).
    pub fn what_happened(&self, primary: &str, replica: &str) -> String {
        match self.action {
            FailoverAction::Promoted => format!("{replica} promoted: it takes {primary}'s writes"),
            FailoverAction::FailedBack => {
                format!("{primary} takes its writes back from {replica}")
            }
            FailoverAction::ReplicaFailed => format!(
                "{replica}, promoted, failed: {primary}'s writes fail until another replica \
                 is promoted"
            ),
        }
    }
}

/// What a [`FailoverRecord`] says happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailoverAction {
    /// The replica takes the writes of its failed primary.
    Promoted,
    /// The primary, back and caught up (or its promoted replica failed meanwhile), takes its
    /// writes again.
    FailedBack,
    /// The promoted replica failed while the primary was still down: writes fail until
    /// another replica is promoted, a failover later.
    ReplicaFailed,
}

/// A running simulation of one model with one seed.
pub struct Simulation {
    pub(crate) model: Model,
    pub(crate) seed: u64,
    pub(crate) now: SimTime,
    pub(crate) events: EventQueue,
    pub(crate) rng: Rng,
    pub(crate) nodes: Vec<NodeState>,
    pub(crate) reqs: Vec<Req>,
    pub(crate) free_reqs: Vec<ReqId>,
    pub(crate) logicals: Vec<Logical>,
    pub(crate) free_logicals: Vec<u32>,
    pub(crate) clients: Vec<ClientState>,
    /// Per node: its index in `clients` (`u32::MAX` for a node that is not a client).
    pub(crate) client_index: Vec<u32>,
    /// Per node: the distributions of its service time for reads, writes and everything
    /// else (a replica's writes at its primary's speed).
    pub(crate) dists: Vec<[Option<Dist>; 3]>,
    pub(crate) global: Global,
    pub(crate) window: Window,
    pub(crate) warmed: bool,
    /// The faults so far, the first [`MAX_FAULT_RECORDS`] of them.
    pub(crate) fault_log: Vec<FaultRecord>,
    /// Faults after those, counted only.
    pub(crate) faults_unlisted: u64,
    /// The failovers so far, the first [`MAX_FAULT_RECORDS`] of them.
    pub(crate) failover_log: Vec<FailoverRecord>,
    /// Failovers after those, counted only.
    pub(crate) failovers_unlisted: u64,
    pub(crate) events_processed: u64,
    /// Arrivals refused at [`MAX_LIVE_REQUESTS`], and messages at [`MAX_QUEUED_MESSAGES`].
    pub(crate) refused_at_limit: u64,
    /// Messages in all queues, waiting or being processed.
    pub(crate) queued_messages: usize,
    pub(crate) max_users: u64,
    pub(crate) capacity: Capacity,
    /// Nesting of zero-latency hops handled inline (see `flow.rs`).
    pub(crate) inline_depth: u32,
    /// How far back a health check can ask whether a part was serving: the sum of every
    /// checker's interval, as a DNS check through balancers asks each, in turn, what it saw at
    /// its own check before (see [`state::Changes`]).
    pub(crate) check_horizon: Duration,
    /// How many times a node as a whole went up or down: what a balancer's remembered health
    /// verdict ([`state::HealthMemo`]) holds for.
    pub(crate) health_epoch: u64,
    /// Balancer health verdicts worked out (not remembered), for a test of their cost.
    #[cfg(test)]
    pub(crate) health_walks: Cell<u64>,
}

/// The sum of the health-check intervals of every balancer and DNS, plus one check period
/// of rounding each: no chain of checks looks further back.
fn check_horizon(model: &Model) -> Duration {
    let intervals = model.nodes.iter().filter_map(|n| match &n.params {
        Params::LoadBalancer(p) => Some(p.health_check_s),
        Params::Dns(p) => Some(p.health_check_s),
        _ => None,
    });
    Duration(intervals.map(|s| Duration::from_secs(s).0 + 1).sum())
}

/// The state node `id` of `model` starts the run with; its per-user tables are arrays up to
/// user `dense_users` ([`users::dense_for`]).
fn node_state(model: &Model, id: NodeId, dense_users: Option<u64>) -> NodeState {
    let n = model.node(id);
    let max = model.max_instances(id);
    let start = model.instances(id);
    let mut insts: Vec<Inst> = (0..max).map(|k| Inst::new(k < start)).collect();
    if let Params::Cache(p) = &n.params {
        for inst in &mut insts {
            inst.store = Some(store::Store::new(p.capacity_keys, p.eviction));
        }
    }
    let mut ext = Ext {
        scale_target: start,
        slots_used: (start as usize).min(insts.len()),
        ..Ext::default()
    };
    if users::holds_sessions(n) {
        ext.sessions = users::Sessions::new(dense_users);
    }
    if users::keeps_last_writes(n) {
        ext.last_write = users::LastWrites::new(dense_users);
    }
    match &n.params {
        Params::Queue(_) => ext.queue = Some(QueueState::default()),
        Params::Cdn(p) => {
            ext.edge = p
                .capacity_keys
                .map(|c| store::Store::new(c, crate::params::Eviction::Lru))
        }
        Params::LoadBalancer(_) => {
            for t in &n.routes.targets {
                let count = if model.node(*t).kind == Kind::LoadBalancer {
                    1
                } else {
                    model.max_instances(*t)
                };
                ext.lb_blocks.push((ext.lb_targets.len(), *t));
                ext.lb_targets.extend((0..count).map(|k| (*t, k)));
            }
        }
        Params::ShardRouter(_) => ext.ring = hash::ring(n.routes.targets.len()),
        // Plus the edge from its primary, once wired below.
        Params::SqlReplica(p) => {
            ext.replication_ms = p.lag_ms;
            ext.replicating = Level::new(1);
        }
        Params::Nosql(p) => ext.replication_ms = p.lag_ms,
        _ => {}
    }
    let workers = model.workers(id).unwrap_or(UNLIMITED);
    NodeState {
        insts,
        workers,
        backlog_limit: model.backlog_limit(id),
        busy: Level::new(0),
        queued: Level::new(0),
        inside: Level::new(0),
        capacity: Level::new(capacity_of(workers, start)),
        any_up: Level::new(u64::from(start > 0)),
        active_count: start,
        serving: start,
        node_changes: Changes::default(),
        health_memo: Cell::default(),
        stats: NodeStats::new(SimTime::ZERO),
        calls_nothing: calls_nothing(&n.routes),
        holds_sessions: users::holds_sessions(n),
        counts_stale_reads: users::counts_stale_reads(model, n),
        mark: WindowMark::default(),
        ext,
        series: NodeSeries::default(),
    }
}

/// Wiring that points backwards: replicas know their primary (and take writes at its speed
/// once promoted), pools know their queues.
fn wire_backwards(model: &Model, nodes: &mut [NodeState], dists: &mut [[Option<Dist>; 3]]) {
    for i in 0..model.nodes.len() {
        let n = &model.nodes[i];
        for r in &n.routes.replicas {
            let replica = &mut nodes[r.ix()].ext;
            replica.primary = Some(NodeId(i as u32));
            if let Params::SqlReplica(p) = &model.nodes[r.ix()].params {
                let edge = model.latency(NodeId(i as u32), *r);
                replica.replication_ms = p.lag_ms + edge.as_millis_f64();
            }
        }
        if n.kind == Kind::Queue {
            for t in &n.routes.targets {
                nodes[t.ix()].ext.feeders.push(NodeId(i as u32));
            }
        }
    }
    for i in 0..model.nodes.len() {
        if model.nodes[i].kind == Kind::SqlReplica {
            // A promoted replica takes writes at its primary's speed.
            dists[i][1] = nodes[i].ext.primary.and_then(|p| dists[p.ix()][1]);
        }
    }
}

/// The state client `c` of `model` starts the run with (`None` for a node that is not one).
fn client_state(model: &Model, c: NodeId) -> Option<ClientState> {
    let Params::Client(p) = &model.node(c).params else {
        return None;
    };
    let m = p.mix;
    let only_op = only_request_type([m.read, m.write, m.static_, m.async_]);
    let peak = p.peak_rps();
    Some(ClientState {
        node: c.0,
        zipf: Zipf::new(p.users, p.zipf_s),
        mix_cdf: [m.read, m.read + m.write, m.read + m.write + m.static_, 1.0],
        only_op,
        peak_rps: peak,
        mean_gap_s: 1.0 / peak,
        thinned: matches!(p.profile, Profile::Ramp | Profile::Diurnal),
        spike: (p.profile == Profile::Spike).then(|| {
            let (from_s, until_s) = p.spike_window(model.scenario.duration_s);
            Spike {
                base_rps: p.rps,
                spike_rps: p.rps * p.spike_x,
                from_s,
                until_s,
            }
        }),
        last_arrival_s: 0.0,
        direct: p.retries == 0 && p.timeout_ms.is_none(),
        fixed_entry: fixed_entry(model, c, only_op),
    })
}

/// The entry point client `c` always calls, with the delay to it, when it has one request
/// type (`only_op`) and one entry point for it.
fn fixed_entry(model: &Model, c: NodeId, only_op: Option<Op>) -> Option<(NodeId, Duration)> {
    match model.node(c).routes.entries_for(only_op?) {
        [entry] => Some((*entry, model.latency(c, *entry))),
        _ => None,
    }
}

/// Whether a server with these routes has no downstream step in its plan (see `flow.rs`).
fn calls_nothing(r: &crate::model::Routes) -> bool {
    r.session.is_none()
        && r.cache.is_none()
        && r.readers.is_empty()
        && r.writer.is_none()
        && r.forward.is_none()
        && r.static_origin.is_none()
        && r.queue.is_none()
}

/// The request type of a mix whose every other share is zero.
fn only_request_type(shares: [f64; 4]) -> Option<Op> {
    let mut nonzero = (0..4).filter(|&k| shares[k] > 0.0);
    match (nonzero.next(), nonzero.next()) {
        (Some(k), None) => Some(Op::REQUEST_TYPES[k]),
        _ => None,
    }
}

/// Workers of a node without a concurrency limit (object stores).
pub(crate) const UNLIMITED: u32 = u32::MAX;

/// Available workers of a node with `serving` instances of `workers` each; none counted for
/// unlimited workers (pure delays have no utilization).
pub(crate) fn capacity_of(workers: u32, serving: u32) -> u64 {
    if workers == UNLIMITED {
        0
    } else {
        workers as u64 * serving as u64
    }
}

impl Simulation {
    /// A simulation of `model` whose every random draw follows from `seed`.
    pub fn new(model: Model, seed: u64) -> Simulation {
        let mut rng = Rng::new(seed);
        let dense_users = users::dense_for(&model);
        let nodes_and_dists = (0..model.nodes.len()).map(|i| {
            let id = NodeId(i as u32);
            let dist = [
                model.service(id, Op::Read),
                model.service(id, Op::Write),
                model.service(id, Op::Static),
            ];
            (node_state(&model, id, dense_users), dist)
        });
        let (mut nodes, mut dists): (Vec<NodeState>, Vec<[Option<Dist>; 3]>) =
            nodes_and_dists.unzip();
        wire_backwards(&model, &mut nodes, &mut dists);
        let clients: Vec<ClientState> = model
            .clients()
            .filter_map(|c| client_state(&model, c))
            .collect();
        let max_users = model.max_user().max(1);
        let mut client_index = vec![u32::MAX; model.nodes.len()];
        for (k, c) in clients.iter().enumerate() {
            client_index[c.node as usize] = k as u32;
        }
        let client_count = clients.len();
        let capacity = capacity::analyze(&model);
        let mut sim = Simulation {
            seed,
            now: SimTime::ZERO,
            events: EventQueue::default(),
            nodes,
            reqs: Vec::new(),
            free_reqs: Vec::new(),
            logicals: Vec::new(),
            free_logicals: Vec::new(),
            clients,
            dists,
            global: Global::new(client_count),
            client_index,
            window: Window::new(&model.scenario.slo),
            warmed: model.warmup == SimTime::ZERO,
            fault_log: Vec::new(),
            faults_unlisted: 0,
            failover_log: Vec::new(),
            failovers_unlisted: 0,
            events_processed: 0,
            refused_at_limit: 0,
            queued_messages: 0,
            max_users,
            capacity,
            inline_depth: 0,
            check_horizon: check_horizon(&model),
            health_epoch: 0,
            #[cfg(test)]
            health_walks: Cell::new(0),
            rng: rng.fork(),
            model,
        };
        sim.schedule_start();
        sim
    }

    fn schedule_start(&mut self) {
        for k in 0..self.clients.len() {
            self.schedule_arrival(k as u32);
        }
        for (i, _) in self.model.faults.iter().enumerate() {
            let at = self.model.faults[i].at;
            // A fault at the run's last instant is not applied, as validation notes: it came
            // before that instant's arrivals, which then counted as down at the node but never
            // reached their clients (a node "down 2" in a summary of no failures).
            if at < self.model.duration {
                self.events.push(at, Event::Fault { index: i as u32 });
            }
        }
        for i in 0..self.model.nodes.len() {
            if self.model.nodes[i].reliability.mtbf_s.is_some() {
                for inst in 0..self.nodes[i].insts.len() as u32 {
                    self.schedule_random(i as u32, inst, true);
                }
            }
        }
        let first = SimTime::from_secs(self.model.scenario.window_s).min(self.model.duration);
        self.events.push(first, Event::Tick);
        let autoscaled = self.model.nodes.iter().any(|n| match &n.params {
            Params::Server(p) => p.autoscale.is_some(),
            Params::WorkerPool(p) => p.autoscale.is_some(),
            _ => false,
        });
        if autoscaled {
            let first = (SimTime::ZERO + faults::SCALE_CHECK_EVERY).min(self.model.duration);
            self.events.push(first, Event::ScaleCheck);
        }
    }

    /// The current virtual time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The end of the run.
    pub fn end(&self) -> SimTime {
        self.model.duration
    }

    /// Share of the run done, 0 to 1 (for progress bars).
    pub fn progress(&self) -> f64 {
        (self.now.0 as f64 / self.model.duration.0.max(1) as f64).min(1.0)
    }

    /// Whether the run has reached its duration.
    pub fn finished(&self) -> bool {
        self.now >= self.model.duration
    }

    /// The model being simulated.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Events handled so far.
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }

    /// Handles every event due before `until` (capped at the run's end; at the end, those due
    /// at it too), then stops there. Call repeatedly with growing times to run in slices.
    ///
    /// The events of the instant `until` itself wait for the next slice, so that a fault
    /// injected between slices ([`Simulation::inject`]) comes before them, as the same fault
    /// scheduled at that instant does: scheduled faults are pushed when the run starts, so
    /// at any instant after 0 they come before every other event (at 0, the clients' first
    /// arrivals come first).
    pub fn run_until(&mut self, until: SimTime) {
        let until = until.min(self.model.duration);
        let last = if until == self.model.duration {
            Some(until)
        } else {
            until.0.checked_sub(1).map(SimTime)
        };
        if let Some(last) = last {
            self.handle_through(last);
        }
        self.stop_at(until);
    }

    /// Handles every event due at or before `last`.
    fn handle_through(&mut self, last: SimTime) {
        while let Some((t, ev)) = self.events.take_due(last) {
            self.handle_taken(t, ev);
        }
    }

    /// Handles `ev`, just taken from the queue, due at `t`: the one body of every loop over
    /// events.
    #[inline(always)]
    fn handle_taken(&mut self, t: SimTime, ev: Event) {
        if !self.warmed && t >= self.model.warmup {
            self.end_warmup();
        }
        self.now = t;
        self.events_processed += 1;
        self.handle(ev);
        self.events.settle();
    }

    /// Counts a balancer health verdict worked out (tests only; nothing otherwise).
    #[inline(always)]
    pub(crate) fn count_health_walk(&self) {
        #[cfg(test)]
        self.health_walks.set(self.health_walks.get() + 1);
    }

    /// Moves the clock on to `until`, with nothing due before it left to handle.
    fn stop_at(&mut self, until: SimTime) {
        if !self.warmed && until >= self.model.warmup {
            self.end_warmup();
        }
        self.now = self.now.max(until);
    }

    /// Handles events instant by instant until `max_events` or more have been handled (every
    /// event of the instant in which the count is reached, so possibly more), and returns how
    /// many it handled; for callers that want to bound the work of one slice rather than its
    /// virtual length. A fault injected after it comes after the events of that instant, so
    /// a live run that injects faults should advance with [`Simulation::run_until`].
    pub fn step(&mut self, max_events: u64) -> u64 {
        let start = self.events_processed;
        while self.events_processed - start < max_events {
            match self.events.peek_time() {
                Some(t) if t <= self.model.duration => {
                    self.handle_through(t);
                    self.stop_at(t);
                }
                _ => {
                    self.run_until(self.model.duration);
                    break;
                }
            }
        }
        self.events_processed - start
    }

    /// Runs to the end and returns the final report.
    pub fn run(mut self) -> Report {
        self.run_until(self.model.duration);
        self.report()
    }

    /// Fails or recovers a node now (all instances, or one), as a user does mid-run: after
    /// [`Simulation::run_until`], exactly as the same fault scheduled at this instant after the
    /// scenario's own faults (the app writes it into the schedule so).
    pub fn inject(
        &mut self,
        node_id: &str,
        action: FaultAction,
        instance: Option<u32>,
    ) -> Result<(), String> {
        let node = self
            .model
            .find(node_id)
            .ok_or_else(|| format!("no node \"{node_id}\""))?;
        let count = self.nodes[node.ix()].insts.len() as u32;
        if let Some(i) = instance {
            if i >= count {
                return Err(format!(
                    "node \"{node_id}\" has {count} instances; instance {i} does not exist"
                ));
            }
        }
        // The faults scheduled for this very instant come first: the app appends the injected
        // fault to the schedule, after them, and the replay applies it so. (They wait for the
        // next slice, as every event of the slice's end instant does.)
        while let Some((t, Event::Fault { .. })) = self.events.peek() {
            if t != self.now {
                break;
            }
            if let Some((t, ev)) = self.events.take_due(t) {
                self.handle_taken(t, ev);
            }
        }
        // An event of the run, as the same fault scheduled is: the replay counts as many.
        self.events_processed += 1;
        self.apply_fault(node, instance, action, FaultSource::Manual);
        Ok(())
    }

    // Forced inline into the event loop (one call per event saved; LLVM stopped inlining it
    // when the direct request path was added).
    #[inline(always)]
    fn handle(&mut self, ev: Event) {
        match ev {
            Event::Arrival { client } => self.on_arrival(client),
            Event::Deliver { req, node, inst } => self.on_deliver(req, node, inst),
            Event::ServiceDone { req } => self.on_service_done(req),
            Event::Reply { req } => self.on_reply(req),
            Event::Timeout { req, gen } => self.on_timeout(req, gen),
            Event::Retry { logical, gen } => self.on_retry(logical, gen),
            Event::Fault { index } => {
                let f = self.model.faults[index as usize].clone();
                let source = if f.data_center {
                    FaultSource::DataCenter
                } else {
                    FaultSource::Scheduled
                };
                for n in f.nodes {
                    self.apply_fault(n, f.instance, f.action, source);
                }
            }
            Event::Random { node, inst, fail } => self.on_random(node, inst, fail),
            Event::Promote { node, epoch } => self.on_promote(node, epoch),
            Event::FailBack { node, epoch } => self.on_fail_back(node, epoch),
            Event::Visibility { queue } => self.on_visibility(queue),
            Event::Booted { node, inst, boot } => self.on_booted(node, inst, boot),
            Event::Tick => self.on_tick(),
            Event::ScaleCheck => self.on_scale_check(),
            Event::Cancelled => {}
        }
    }

    /// The current rate of a client, requests per second.
    fn rate(&self, k: usize, t: SimTime) -> f64 {
        let c = &self.clients[k];
        let Params::Client(p) = &self.model.nodes[c.node as usize].params else {
            return 0.0;
        };
        p.rate_at(t.as_secs(), self.model.scenario.duration_s)
    }

    /// Schedules the next arrival of client `k`: a Poisson process at its rate, thinned from
    /// the peak rate when the rate varies smoothly, drawn a segment at a time for a spike.
    // Forced inline: one per request, from `on_arrival` (LLVM ignored a plain hint).
    #[inline(always)]
    fn schedule_arrival(&mut self, k: u32) {
        let c = &self.clients[k as usize];
        let (peak, mean_gap, thinned, spike) = (c.peak_rps, c.mean_gap_s, c.thinned, c.spike);
        if peak <= 0.0 {
            return;
        }
        let end = self.model.duration;
        let mut at = c.last_arrival_s;
        if let Some(spike) = spike {
            // Exact for a piecewise-constant rate, with no draw wasted: a gap that crosses a
            // change of rate starts again from the change (the process has no memory).
            loop {
                let (rate, change) = spike.segment(at);
                let next = if rate > 0.0 {
                    at + self.rng.exp(1.0 / rate)
                } else {
                    f64::INFINITY
                };
                if next < change {
                    at = next;
                    break;
                }
                if change.is_infinite() || SimTime::from_secs(change) > end {
                    return;
                }
                at = change;
            }
        } else {
            loop {
                at += self.rng.exp(mean_gap);
                if !thinned {
                    break; // the rate is always the peak: every candidate is accepted
                }
                let t = SimTime::from_secs(at);
                let accept = self.rate(k as usize, t) / peak;
                if accept >= 1.0 || self.rng.uniform() < accept || t > end {
                    break;
                }
            }
        }
        let t = SimTime::from_secs(at);
        if t > end {
            return;
        }
        self.clients[k as usize].last_arrival_s = at;
        self.events.push_inline(t, Event::Arrival { client: k });
    }

    /// At the end of the warm-up every node's integrals and counters start again.
    fn end_warmup(&mut self) {
        let at = self.model.warmup;
        let saved = self.now;
        self.now = at.max(self.now);
        let now = self.now;
        for s in &mut self.nodes {
            let carried = metrics::carried_mark(s, now);
            // The autoscaler's marks carry across too (wrapping, as the window's): its next
            // decision still sees the work done since its last one.
            let scale_busy = s.ext.scale_busy_mark.wrapping_sub(s.busy.area(now));
            let scale_capacity = s.ext.scale_capacity_mark.wrapping_sub(s.capacity.area(now));
            let scale_up = s.ext.scale_up_mark.wrapping_sub(s.any_up.area(now));
            for w in &mut s.ext.scale_samples {
                w.busy = w.busy.wrapping_sub(s.busy.area(now));
                w.capacity = w.capacity.wrapping_sub(s.capacity.area(now));
                w.up = w.up.wrapping_sub(s.any_up.area(now));
            }
            let levels = [
                &mut s.busy,
                &mut s.queued,
                &mut s.inside,
                &mut s.capacity,
                &mut s.any_up,
            ];
            for level in levels {
                level.restart(now);
            }
            if let Some(q) = &mut s.ext.queue {
                q.depth.restart(now);
            }
            s.ext.behind.restart(now);
            s.ext.replicating.restart(now);
            s.stats = NodeStats::new(now);
            s.mark = carried;
            s.ext.scale_busy_mark = scale_busy;
            s.ext.scale_capacity_mark = scale_capacity;
            s.ext.scale_up_mark = scale_up;
        }
        self.global.end_warmup();
        self.warmed = true;
        self.now = saved.max(self.now);
    }

    pub(crate) fn new_latency_histogram() -> Histogram<u64, 3> {
        // 1 µs to 1 h, 3 significant figures.
        Histogram::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `layers` layers of two balancers, each calling both of the next layer, in front of
    /// one server (failed from the start when `down`).
    fn layered_balancers(layers: usize, down: bool) -> String {
        let mut nodes = vec![
            r#"{"id": "users", "kind": "client", "params": {"rps": 50}}"#.to_string(),
            r#"{"id": "box", "kind": "server", "params": {}}"#.to_string(),
        ];
        let mut edges = Vec::new();
        for layer in 0..layers {
            for k in 0..2 {
                nodes.push(format!(
                    r#"{{"id": "l{layer}_{k}", "kind": "load_balancer"}}"#
                ));
                let targets: Vec<String> = if layer + 1 == layers {
                    vec!["box".into()]
                } else {
                    (0..2).map(|j| format!("l{}_{j}", layer + 1)).collect()
                };
                for t in targets {
                    edges.push(format!(r#"{{"from": "l{layer}_{k}", "to": "{t}"}}"#));
                }
            }
        }
        edges.push(r#"{"from": "users", "to": "l0_0"}"#.into());
        let faults = if down {
            r#"[{"node": "box", "at_s": 0, "action": "fail"}]"#
        } else {
            "[]"
        };
        format!(
            r#"{{"version": 1, "duration_s": 20, "warmup_s": 0, "nodes": [{}], "edges": [{}],
                "faults": {faults}}}"#,
            nodes.join(","),
            edges.join(",")
        )
    }

    /// Health checks through layers of balancers cost a visit per balancer, not per path:
    /// with the server down, 15 layers (2^15 paths) took minutes for a few seconds of traffic.
    #[test]
    fn a_health_check_through_layers_of_balancers_visits_each_once() {
        for down in [true, false] {
            let sim = Simulation::new(crate::load(&layered_balancers(15, down)).unwrap(), 1);
            let mut sim = sim;
            sim.run_until(SimTime::from_secs(20.0));
            let report = sim.report();
            let offered = report.summary.offered;
            assert!(offered > 800, "{offered}");
            if down {
                assert_eq!(report.summary.succeeded, 0);
            } else {
                assert!(report.summary.succeeded > 800, "{:?}", report.summary);
            }
            // A verdict of each of the 30 balancers per check instant (every 5 s, so 5 in
            // 20 s, each asked at most twice between changes): 112 here, against 30 million
            // walks (2^15 per request) before.
            let walks = sim.health_walks.get();
            assert!(
                walks <= 30 * 5 * 2,
                "{walks} verdicts for {offered} requests (down: {down})"
            );
        }
    }

    /// Acknowledged deliveries leave nothing behind: with a one-hour visibility timeout, 2,000
    /// jobs a second for 100 s (each done in about 2 ms) left 200,000 timeout events pending,
    /// one per delivery, never cancelled (629 MB at 20,000 a second for 1,000 s).
    #[test]
    fn acknowledged_jobs_leave_no_timeouts_pending() {
        let text = r#"{"version": 1, "duration_s": 100, "warmup_s": 0, "nodes": [
            {"id": "users", "kind": "client", "params": {"rps": 2000, "mix": {"async": 1}}},
            {"id": "web", "kind": "server", "params": {"workers": 1000,
              "service_ms": {"dist": "const", "mean": 0.001}}},
            {"id": "jobs", "kind": "queue", "params": {"visibility_timeout_s": 3600}},
            {"id": "pool", "kind": "worker_pool", "params": {"workers": 100,
              "service_ms": {"dist": "exp", "mean": 2}}}],
          "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "jobs"},
                    {"from": "jobs", "to": "pool"}]}"#;
        let mut sim = Simulation::new(crate::load(text).unwrap(), 1);
        sim.run_until(SimTime::from_secs(99.0));
        let report = sim.report();
        assert!(report.summary.succeeded > 190_000, "{:?}", report.summary);
        assert!(
            sim.events.len() < 1_000,
            "{} events pending",
            sim.events.len()
        );
        let q = sim.nodes[2].ext.queue.as_ref().unwrap();
        assert!(
            q.deadlines.len() < 1_000,
            "{} deadlines kept",
            q.deadlines.len()
        );
    }

    #[test]
    fn a_mix_of_one_type_needs_no_draw() {
        assert_eq!(only_request_type([1.0, 0.0, 0.0, 0.0]), Some(Op::Read));
        assert_eq!(only_request_type([0.0, 0.0, 0.0, 1.0]), Some(Op::Async));
        assert_eq!(only_request_type([0.5, 0.5, 0.0, 0.0]), None);
        assert_eq!(only_request_type([0.999_999, 0.0, 0.000_001, 0.0]), None);
    }
}
