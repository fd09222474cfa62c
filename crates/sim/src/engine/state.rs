//! Run-time state of nodes: instances with their workers and backlogs, kind-specific state
//! (cache contents, queue messages, replication), and the time-integrated statistics from which
//! utilization, backlog and Little's-law figures are read.
//!
//! Each such integral is a [`Level`]: a count that changes at instants, integrated over time
//! without any work when time passes (see there).

use std::cell::Cell;
use std::collections::VecDeque;

use crate::engine::behind::Behind;
use crate::engine::events::ReqId;
use crate::engine::histogram::Histogram;
use crate::engine::store::Store;
use crate::engine::users::{LastWrites, Sessions};
use crate::model::NodeId;
use crate::time::{Duration, SimTime};

/// One copy of a tier.
#[derive(Debug)]
pub(crate) struct Inst {
    /// The causes holding it down (`FaultSource::hold` bits), none while it is up: each ends
    /// only with its own recovery, so a random repair does not end a scheduled outage early.
    pub down: u8,
    /// Part of the tier (autoscaling adds and removes instances).
    pub active: bool,
    /// Still booting after a scale-up: takes no traffic until `Booted`.
    pub booting: bool,
    /// Boots started (its `Booted` event names the one it ends).
    pub boots: u32,
    /// Bumped at every failure, so work started before a crash is recognised as lost.
    pub epoch: u32,
    /// Workers busy.
    pub busy: u32,
    /// Requests waiting for a worker.
    pub backlog: VecDeque<ReqId>,
    /// Whether it was serving at the last change recorded in `changes`.
    pub was_serving: bool,
    /// When it last started or stopped serving (health checks judge it by these).
    pub changes: Changes,
    /// Requests in flight through a balancer to this instance (least-connections).
    pub conns: u32,
    /// Cache contents (cache nodes only).
    pub store: Option<Store>,
}

impl Inst {
    pub fn new(active: bool) -> Inst {
        Inst {
            down: 0,
            active,
            booting: false,
            boots: 0,
            epoch: 0,
            busy: 0,
            backlog: VecDeque::new(),
            was_serving: active,
            changes: Changes::default(),
            conns: 0,
            store: None,
        }
    }

    /// Alive: no fault holds it down.
    pub fn up(&self) -> bool {
        self.down == 0
    }

    /// Can take new work right now.
    pub fn serving(&self) -> bool {
        self.up() && self.active && !self.booting
    }

    /// Its workers count in the node's capacity: it is serving, or it was scaled in and still
    /// finishes the work it had (its busy workers count as busy meanwhile, so leaving them out
    /// of the capacity put utilization above 1).
    pub fn working(&self) -> bool {
        self.serving() || (self.up() && (self.busy > 0 || !self.backlog.is_empty()))
    }
}

/// The times a part started or stopped serving that a health check may still ask about,
/// oldest first: what a check some seconds ago saw follows from its state now and the
/// changes since that check. Kept for the longest a check can look back (`horizon`, see
/// [`Changes::record`]), however many there are: a fixed few (four, before) made a part that
/// changed five times between two checks look as it is now, as if just checked.
#[derive(Clone, Debug, Default)]
pub(crate) struct Changes {
    recent: VecDeque<SimTime>,
}

impl Changes {
    /// When the last change was (time zero if none was).
    pub fn latest(&self) -> SimTime {
        self.recent.back().copied().unwrap_or(SimTime::ZERO)
    }

    /// A change at `at`. No check asks about an instant more than `horizon` before the
    /// present, so older changes are dropped (the latest is always kept, for [`Self::latest`]).
    pub fn record(&mut self, at: SimTime, horizon: Duration) {
        while self.recent.len() > 1 && self.recent.front().is_some_and(|t| at.since(*t) > horizon) {
            self.recent.pop_front();
        }
        self.recent.push_back(at);
    }

    /// Whether a part serving now (`now_serving`) was serving at the instant `check`. A change
    /// at the very instant of a check comes after it; the state at time zero is known.
    pub fn serving_at(&self, now_serving: bool, check: SimTime) -> bool {
        // States alternate, so each change since the check flips the answer.
        let since = self
            .recent
            .iter()
            .rev()
            .take_while(|t| **t >= check && **t != SimTime::ZERO)
            .count();
        now_serving ^ (since % 2 == 1)
    }
}

/// A balancer's verdicts on whether one of its targets serves, as checks at given instants
/// see them, kept for the checks asked again before anything went up or down. A check sent
/// through a balancer descends through the balancers below it; with layers of balancers each
/// calling every balancer of the next, and every server down, each request walked every path,
/// 2^15 of them for 15 layers, and a small scenario ran for minutes. Remembered per balancer,
/// a verdict is worked out once per check instant, and a walk visits each balancer once. A
/// few are kept, not one: balancers and a DNS with different check periods ask about
/// different instants in turn.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct HealthMemo {
    verdicts: [Verdict; 4],
    /// The slot the next verdict takes (the oldest).
    next: u8,
}

/// One remembered verdict of a [`HealthMemo`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Verdict {
    /// The instant the check looks at.
    at: SimTime,
    /// Seen at once (no health-check period): `at` is the present.
    instant: bool,
    /// [`crate::engine::Simulation`]'s count of nodes going up or down when it was worked
    /// out: any change since may change the verdict.
    epoch: u64,
    /// Worked out at all (the default is not).
    known: bool,
    healthy: bool,
}

impl HealthMemo {
    /// The verdict remembered for a check of `at` (`instant` or not) at `epoch`, if any.
    pub fn verdict(&self, at: SimTime, instant: bool, epoch: u64) -> Option<bool> {
        self.verdicts
            .iter()
            .find(|v| v.known && v.at == at && v.instant == instant && v.epoch == epoch)
            .map(|v| v.healthy)
    }

    /// Remembers `healthy` for a check of `at` at `epoch`, in place of the oldest verdict.
    pub fn remember(&mut self, at: SimTime, instant: bool, epoch: u64, healthy: bool) {
        self.verdicts[usize::from(self.next)] = Verdict {
            at,
            instant,
            epoch,
            known: true,
            healthy,
        };
        self.next = (self.next + 1) % self.verdicts.len() as u8;
    }
}

/// A count that changes at instants (busy workers, queued requests, …) and its integral
/// over time since the last [`Level::restart`], exact in integer µs.
///
/// For a level `L` that changes by `δᵢ` at times `tᵢ` after a restart at `s`,
/// `∫ₛᵀ L dt = L(T)·T − L(s)·s − Σ δᵢ·tᵢ`. So a change only adds `−δ·t` to `acc`, and nothing
/// is done as time passes; the previous design multiplied every level of a node by the time
/// step whenever the node was touched at a new instant, twice per request. The sums wrap
/// modulo 2^128, which leaves the result exact whenever the integral itself fits in a `u128`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Level {
    value: u64,
    /// `−L(s)·s − Σ δᵢ·tᵢ`, modulo 2^128.
    acc: u128,
}

impl Level {
    /// A level of `value` from time zero.
    pub fn new(value: u64) -> Level {
        Level { value, acc: 0 }
    }

    #[inline]
    pub fn get(&self) -> u64 {
        self.value
    }

    /// Changes the level to `value` at `now`.
    #[inline]
    pub fn set(&mut self, now: SimTime, value: u64) {
        let t = now.0 as u128;
        self.acc = self
            .acc
            .wrapping_add((self.value as u128).wrapping_mul(t))
            .wrapping_sub((value as u128).wrapping_mul(t));
        self.value = value;
    }

    /// One more at `now`.
    #[inline]
    pub fn up(&mut self, now: SimTime) {
        self.value += 1;
        self.acc = self.acc.wrapping_sub(now.0 as u128);
    }

    /// One less at `now` (none below zero).
    #[inline]
    pub fn down(&mut self, now: SimTime) {
        if self.value > 0 {
            self.value -= 1;
            self.acc = self.acc.wrapping_add(now.0 as u128);
        }
    }

    /// ∫ level dt from the last restart (or time zero) to `now`, which must not be earlier
    /// than the last change.
    pub fn area(&self, now: SimTime) -> u128 {
        (self.value as u128)
            .wrapping_mul(now.0 as u128)
            .wrapping_add(self.acc)
    }

    /// Starts the integral again from zero at `now` (the end of the warm-up).
    pub fn restart(&mut self, now: SimTime) {
        self.acc = 0u128.wrapping_sub((self.value as u128).wrapping_mul(now.0 as u128));
    }
}

/// Counters of one node. Reset at the end of the warm-up, so they describe the steady state.
#[derive(Debug)]
pub(crate) struct NodeStats {
    pub since: SimTime,
    /// Successful answers given since `since` to requests that arrived before it. The
    /// node's throughput counts them with `ok` (the counts below are of requests that arrived
    /// since `since`, so that their latencies and Little's law cover whole stays).
    pub straddled: u64,
    pub ok: u64,
    /// Failures passed on from downstream, and timeouts.
    pub errors: u64,
    pub rejected: u64,
    pub down: u64,
    pub latency_sum_us: u128,
    pub latency: Option<Histogram<u32, 2>>,
    pub hits: u64,
    pub misses: u64,
    pub stale_reads: u64,
    /// Where stale reads are counted: the reads among which they were.
    pub reads: u64,
    pub sessions_lost: u64,
    pub dead_letters: u64,
    pub max_depth: u64,
    /// Queue: messages handed to a worker whose wait began since `since`, and their waits.
    pub deliveries: u64,
    pub wait_sum_us: u128,
    pub wait: Option<Histogram<u32, 2>>,
    /// Keyed stores (cache, NoSQL, session store): requests sent to each partition, by
    /// number (grown on first use; empty for other kinds).
    pub by_partition: Vec<u64>,
}

impl NodeStats {
    pub fn new(at: SimTime) -> NodeStats {
        NodeStats {
            since: at,
            straddled: 0,
            ok: 0,
            errors: 0,
            rejected: 0,
            down: 0,
            latency_sum_us: 0,
            latency: None,
            hits: 0,
            misses: 0,
            stale_reads: 0,
            reads: 0,
            sessions_lost: 0,
            dead_letters: 0,
            max_depth: 0,
            deliveries: 0,
            wait_sum_us: 0,
            wait: None,
            by_partition: Vec::new(),
        }
    }

    pub fn record_latency(&mut self, us: u64) {
        self.latency_sum_us += us as u128;
        // 2 significant figures keep a node's histogram at ~13 KB.
        let h = self.latency.get_or_insert_with(Histogram::new);
        h.record(us);
    }

    /// A queue's message waited `us` for a worker.
    pub fn record_wait(&mut self, us: u64) {
        self.deliveries += 1;
        self.wait_sum_us += us as u128;
        self.wait.get_or_insert_with(Histogram::new).record(us);
    }
}

/// Per-window snapshot of the integrals, to turn them into per-second figures.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct WindowMark {
    /// Where the current window's figures start (the last window's end, or the warm-up's).
    pub at: SimTime,
    pub busy_area: u128,
    pub capacity_area: u128,
    pub queued_area: u128,
    pub hits: u64,
    pub misses: u64,
    pub stale_reads: u64,
    pub dead_letters: u64,
    pub sessions_lost: u64,
    /// Replica: the integral of how far it was behind beyond `lag_ms` (µs²).
    pub behind_area: u128,
    /// Replica: the time it spent replicating, not promoted (µs).
    pub replicating_area: u128,
    /// Queue: the integral of its depth (messages × µs).
    pub depth_area: u128,
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
    /// When the delivery in progress times out: an acknowledgement at that very instant
    /// comes too late, whichever of the two events the list holds first.
    pub deadline: SimTime,
    /// When it last joined the ready line (queued, or put back after a visibility timeout).
    pub ready_since: SimTime,
}

/// State of a queue node.
#[derive(Debug, Default)]
pub(crate) struct QueueState {
    pub ready: VecDeque<u32>,
    /// `ready.len()` over time: set after every change of `ready`.
    pub depth: Level,
    pub msgs: Vec<Msg>,
    pub free: Vec<u32>,
    pub in_flight: u64,
    /// The next turn in the round of deliveries over the consumers' instances (see
    /// `free_consumer`).
    pub cursor: usize,
    /// When each delivery in progress times out, in the order of deliveries: (deadline,
    /// message, delivery). Acknowledged ones leave as they reach the front.
    pub deadlines: VecDeque<(SimTime, u32, u32)>,
    /// Whether an event waits for the first deadline.
    pub deadline_armed: bool,
}

/// Kind-specific state.
#[derive(Debug, Default)]
pub(crate) struct Ext {
    /// sql_primary with replicas, NoSQL with a lag: when each key was last written (for
    /// stale reads on the replicas, or on the store itself).
    pub last_write: LastWrites,
    /// sql_primary: the replica promoted while this primary is down, and until it has
    /// replayed what it missed once back.
    pub promoted: Option<NodeId>,
    /// sql_primary: since when a promoted replica has taken the writes in this outage (from
    /// the first promotion, whichever replica takes them now).
    pub promoted_at: SimTime,
    /// sql_replica: the primary feeding it.
    pub primary: Option<NodeId>,
    /// sql_replica: how long a write takes to reach it when it is caught up, ms: its `lag_ms`
    /// plus the latency of the primary → replica edge the changes travel. nosql: its `lag_ms`.
    pub replication_ms: f64,
    /// sql_replica: how far it is behind beyond `lag_ms` (after being down).
    pub behind: Behind,
    /// sql_replica: 1 while it replicates from its primary, 0 while it is promoted in the
    /// primary's place (then it takes the writes itself and lags behind nobody).
    pub replicating: Level,
    /// server with stateful sessions, session store: the instance run holding each user's
    /// session.
    pub sessions: Sessions,
    /// queue state.
    pub queue: Option<QueueState>,
    /// worker_pool: the queues feeding it.
    pub feeders: Vec<NodeId>,
    /// worker_pool: the feeder its free workers try first next time (see `pull_work`).
    pub next_feeder: usize,
    /// load_balancer: flattened (node, instance) targets.
    pub lb_targets: Vec<(NodeId, u32)>,
    /// load_balancer: where each target's run of `lb_targets` begins, and the target.
    pub lb_blocks: Vec<(usize, NodeId)>,
    /// Slots of a tier an instance has ever run in: the first ones, as an autoscaler starts
    /// the lowest free slot. Slots past them are standby, never serving, and are not scanned
    /// (a tier of 10,000 slots with 7 running made each request scan thousands).
    pub slots_used: usize,
    /// shard_router with consistent hashing: the ring of (point, shard index).
    pub ring: Vec<(u64, u32)>,
    /// cdn with capacity: objects held at the edge.
    pub edge: Option<Store>,
    /// Round-robin cursor.
    pub cursor: usize,
    /// Time of the last autoscaling decision.
    pub last_scale: SimTime,
    /// Busy, capacity and "any instance up" areas at the last autoscaling decision.
    pub scale_busy_mark: u128,
    pub scale_capacity_mark: u128,
    pub scale_up_mark: u128,
    /// How many healthy instances the last autoscaling decision (or the start) asked for:
    /// failed ones are replaced up to it at once, not after the cooldown.
    pub scale_target: u32,
    /// The busy, capacity and "any instance up" areas at each autoscaler check of the last
    /// [`METRIC_WINDOW`], oldest first: how far back a decision looks at most.
    pub scale_samples: VecDeque<ScaleSample>,
}

/// How far back an autoscaler looks at the work done, at most: a minute, as a cloud's target
/// tracking reads its one-minute metric. Since its last decision only, until that is older
/// than this; with a long cooldown (300 s, as clouds suggest) a spike 250 s after a decision
/// was averaged with 250 s of calm, and the tier waited past the cooldown's end for too few
/// instances.
pub(crate) const METRIC_WINDOW: Duration = Duration(60_000_000);

/// A node's areas at one autoscaler check (see [`Ext::scale_samples`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScaleSample {
    pub at: SimTime,
    pub busy: u128,
    pub capacity: u128,
    pub up: u128,
}

/// A node's whole run-time state.
#[derive(Debug)]
pub(crate) struct NodeState {
    pub insts: Vec<Inst>,
    /// Workers per instance (u32::MAX for pure delays).
    pub workers: u32,
    /// Backlog limit per instance.
    pub backlog_limit: Option<u64>,
    /// Busy workers (worker·µs integrated: the utilization numerator).
    pub busy: Level,
    /// Requests waiting for a worker.
    pub queued: Level,
    /// Requests inside the node: queued, in service, or waiting on downstream calls.
    pub inside: Level,
    /// Available workers, `workers × serving` (0 for unlimited workers): the utilization
    /// denominator. Set by `recount_serving`.
    pub capacity: Level,
    /// 1 while some instance serves (the node is up), else 0.
    pub any_up: Level,
    pub active_count: u32,
    /// Instances up, active and booted: the ones that take requests. The node is up while
    /// this is above 0 (see `recount_serving`).
    pub serving: u32,
    /// When the node as a whole last went up or down (DNS health checks).
    pub node_changes: Changes,
    /// A balancer's last health verdict, for the checks sent through it (see `HealthMemo`).
    pub health_memo: Cell<HealthMemo>,
    pub stats: NodeStats,
    /// Its routes call nothing a server's plan could use (session store, cache, databases,
    /// forward, static origin, queue): a server answers as soon as its own work is done.
    pub calls_nothing: bool,
    /// A server with stateful sessions, or a session store: each request checks where its
    /// user's session lives, and counts it lost when that instance crashed or restarted since.
    pub holds_sessions: bool,
    /// Reports its stale reads (see `users::counts_stale_reads`).
    pub counts_stale_reads: bool,
    pub mark: WindowMark,
    pub ext: Ext,
    pub series: NodeSeries,
}

/// A node's figures per window (`window_s`), one entry per closed window. The kind-specific
/// ones stay empty for other kinds.
#[derive(Debug, Default)]
pub(crate) struct NodeSeries {
    /// Busy ÷ available workers.
    pub utilization: Vec<f64>,
    /// Serving instances at the window's end.
    pub instances: Vec<u32>,
    /// Mean requests waiting for a worker.
    pub backlog: Vec<f64>,
    /// Queue: mean messages waiting.
    pub depth: Vec<f64>,
    /// Cache and CDN: hits ÷ lookups (`None` for a window without lookups).
    pub hit_ratio: Vec<Option<f64>>,
    /// Replica and NoSQL store: stale reads in the window.
    pub stale_reads: Vec<u64>,
    /// Replica: mean replication lag in the window, ms.
    pub lag_ms: Vec<f64>,
    /// Queue: messages dead-lettered in the window.
    pub dead_letters: Vec<u64>,
    /// Stateful server and session store: sessions lost in the window.
    pub sessions_lost: Vec<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The integral the slow way: each level held for its stretch of time.
    fn by_stretches(start: (u64, u64), changes: &[(u64, u64)], end: u64) -> u128 {
        let (mut t, mut v) = start;
        let mut area = 0u128;
        for &(at, value) in changes {
            area += v as u128 * (at - t) as u128;
            (t, v) = (at, value);
        }
        area + v as u128 * (end - t) as u128
    }

    #[test]
    fn level_integrates_piecewise_constant_counts() {
        let mut l = Level::new(3);
        let changes = [(10, 4), (10, 5), (25, 0), (40, 7), (41, 2)];
        for &(t, v) in &changes {
            match v {
                v if v == l.get() + 1 => l.up(SimTime(t)),
                v if v + 1 == l.get() => l.down(SimTime(t)),
                v => l.set(SimTime(t), v),
            }
            assert_eq!(l.get(), v);
        }
        for end in [41, 50, 1_000_000] {
            assert_eq!(l.area(SimTime(end)), by_stretches((0, 3), &changes, end));
        }
    }

    #[test]
    fn level_restarts_and_stays_exact_for_long_runs() {
        let mut l = Level::new(2);
        l.up(SimTime(5));
        l.restart(SimTime(100));
        assert_eq!(l.area(SimTime(100)), 0);
        l.down(SimTime(150));
        assert_eq!(l.area(SimTime(200)), 3 * 50 + 2 * 50);
        // Down at zero stays at zero and changes nothing.
        let mut z = Level::new(0);
        z.down(SimTime(7));
        assert_eq!((z.get(), z.area(SimTime(9))), (0, 0));
        // Huge times and levels: intermediate products wrap, the integral does not.
        let t = u64::MAX / 2;
        let mut big = Level::new(u64::MAX);
        big.set(SimTime(t), 1);
        let expected = u64::MAX as u128 * t as u128 + 1;
        assert_eq!(big.area(SimTime(t + 1)), expected);
    }
}
