//! The report of a run (PRODUCT.md §7): steady-state summary, per-node figures, a per-second
//! series over the whole run, capacity analysis, SLO alerts and the faults that happened.
//!
//! [`Simulation::report`] can be called at any moment, so the app plots a run while it goes.

mod json;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::capacity::Capacity;
use crate::engine::histogram::{Count, Histogram};
use crate::engine::{FailoverRecord, FaultRecord, Simulation, Totals};
use crate::params::Params;
use crate::scenario::Kind;

/// A whole report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Steady-state figures: the fate of requests that started after the warm-up, and the
    /// throughput after it.
    pub summary: Summary,
    /// Per-node steady-state figures, by node id (clients are in `clients`).
    pub nodes: BTreeMap<String, NodeReport>,
    /// Per-client steady-state figures, by client node id: what each user population saw.
    /// (Absent from reports written before it existed.)
    #[serde(default)]
    pub clients: BTreeMap<String, ClientReport>,
    /// One point per window (`window_s`, default 1 s), over the whole run.
    pub series: Vec<SeriesPoint>,
    /// Bottleneck analysis.
    pub capacity: Capacity,
    /// SLO breaches, one per breach, with its start, worst value and end.
    pub alerts: Vec<Alert>,
    /// Faults that happened (scheduled, random, manual), for plot markers.
    pub faults: Vec<FaultRecord>,
    /// Changes of the node taking a SQL primary's writes (promotions and fail-backs), for plot
    /// markers; left out when there were none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failovers: Vec<FailoverRecord>,
    /// Run facts.
    pub run: RunInfo,
}

/// Facts about the run itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// Seed used.
    pub seed: u64,
    /// Virtual seconds simulated so far.
    pub t_s: f64,
    /// Planned duration.
    pub duration_s: f64,
    /// Warm-up discarded from summary and nodes.
    pub warmup_s: f64,
    /// Events handled.
    pub events: u64,
    /// Requests refused where they would have waited because
    /// [`MAX_LIVE_REQUESTS`](crate::engine::MAX_LIVE_REQUESTS) requests were already in the
    /// system (or arrivals, at [`MAX_REQUEST_SLOTS`](crate::engine::MAX_REQUEST_SLOTS)), or
    /// messages because
    /// [`MAX_QUEUED_MESSAGES`](crate::engine::MAX_QUEUED_MESSAGES) were in its queues (counted
    /// as rejected); left out when none were.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub refused_at_limit: u64,
    /// Faults that happened after the first
    /// [`MAX_FAULT_RECORDS`](crate::engine::MAX_FAULT_RECORDS), which `faults` lists; left out
    /// when none did.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub faults_unlisted: u64,
    /// Failovers after the first
    /// [`MAX_FAULT_RECORDS`](crate::engine::MAX_FAULT_RECORDS), which `failovers` lists; left
    /// out when none did.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub failovers_unlisted: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Steady-state summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Requests clients sent.
    pub offered: u64,
    /// Requests answered successfully.
    pub succeeded: u64,
    /// Failed requests by cause.
    pub failed: Failed,
    /// Requests still in flight when the report was taken.
    pub in_flight: u64,
    /// Successful requests per second, counted when they succeed (after the warm-up, whenever
    /// they started), so an overloaded system shows what it does serve; `succeeded` counts
    /// those that started after the warm-up, so it can differ from `throughput_rps` × time.
    pub throughput_rps: f64,
    /// succeeded ÷ (succeeded + failed); 0 when the run ended with requests sent and none
    /// answered.
    pub availability: f64,
    /// Latency of successful requests.
    pub latency_ms: Latency,
    /// Retries clients made.
    pub retries: u64,
    /// Sessions lost with a server (sticky sessions).
    pub sessions_lost: u64,
}

/// What one client's users saw in the steady state: the summary's figures for its own
/// requests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientReport {
    /// Requests this client sent.
    pub offered: u64,
    /// Of them, answered successfully.
    pub succeeded: u64,
    /// Failed, by cause.
    pub failed: Failed,
    /// Still in flight when the report was taken.
    pub in_flight: u64,
    /// Successful requests per second, counted when they succeed (as the summary's).
    pub throughput_rps: f64,
    /// succeeded ÷ (succeeded + failed).
    pub availability: f64,
    /// Latency of its successful requests (with several clients, from a histogram of 2
    /// significant figures, as the series' percentiles; with one, the summary's).
    pub latency_ms: Latency,
    /// Retries it made.
    pub retries: u64,
    /// Its successful requests per second, per window over the whole run (as `series`).
    #[serde(default)]
    pub throughput_series: Vec<f64>,
    /// Its availability per window (1 when nothing was answered, as `series`).
    #[serde(default)]
    pub availability_series: Vec<f64>,
    /// Its p99 latency per window, ms (0 without a success, as `series`; `null` in the JSON).
    #[serde(default)]
    pub p99_series: Vec<f64>,
}

/// Failures by cause.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Failed {
    /// The client gave up waiting.
    pub timeout: u64,
    /// A full backlog or queue refused it (503).
    pub rejected: u64,
    /// A component on its path was down.
    pub down: u64,
}

impl Failed {
    /// Failures of every cause.
    pub fn total(&self) -> u64 {
        self.timeout + self.rejected + self.down
    }
}

/// Latency percentiles, in milliseconds: all 0 without a success to time (`null` in the JSON).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    /// Mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest.
    pub max: f64,
}

/// One node's steady-state figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeReport {
    /// Component kind.
    pub kind: Kind,
    /// Busy workers ÷ available workers (0 for nodes without a worker limit).
    pub utilization: f64,
    /// Successful answers per second, counted when given (after the warm-up, whenever the
    /// request arrived): a saturated node shows its capacity here.
    pub throughput_rps: f64,
    /// Answers of any outcome per second to requests that arrived after the warm-up
    /// (`succeeded`, `rejected`, `down` and `errors` count them by outcome).
    pub responses_rps: f64,
    /// Mean requests waiting for a worker.
    pub mean_backlog: f64,
    /// Mean requests inside the node (waiting, in service, or waiting on downstream calls).
    pub mean_in_node: f64,
    /// Requests this node refused with its full backlog or queue (failures it passed on from
    /// downstream are not counted here).
    pub rejected: u64,
    /// Requests this node answered "down" because it (or the instance they reached) was down.
    pub down: u64,
    /// Other failures it answered: passed on from downstream. (A client's timeout is the
    /// client's: the nodes still answering the request do not know it, and count what they
    /// answered.)
    #[serde(default)]
    pub errors: u64,
    /// Its successful answers to requests that arrived after the warm-up: the ones
    /// `latency_ms` times. With `rejected`, `down` and `errors`, all it answered.
    #[serde(default)]
    pub succeeded: u64,
    /// Time in the node, from arrival to a successful answer (as the summary's latency: a
    /// refusal is often instant, and counting it would make a failing node look fast).
    pub latency_ms: NodeLatency,
    /// Share of time at least one instance was up.
    pub availability: f64,
    /// Instances serving now.
    pub instances_now: u32,
    /// Cache and CDN: hits ÷ lookups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hit_ratio: Option<f64>,
    /// Cache, NoSQL and session store of several instances (a user's key lives on one, its
    /// partition): each partition's share of the requests sent to the node, by number. A hot
    /// key's partition takes more than its share, and saturates first, while the node's
    /// utilization (the mean over its partitions) looks comfortable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition_shares: Option<Vec<f64>>,
    /// Replica: its mean replication lag over the steady state, ms. A read is stale when its
    /// key was written less than the lag ago. The lag is the configured `lag_ms` plus the
    /// latency of the primary → replica edge, plus, after the replica was down, the writes it
    /// has not replayed yet (see `engine/behind.rs`); none while it is promoted in its
    /// primary's place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lag_ms: Option<f64>,
    /// Replica, NoSQL store, and a cache where either is: reads that returned data older
    /// than the key's last write (a cache's, hits on entries filled by such a read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale_reads: Option<u64>,
    /// Where `stale_reads` is: the reads it served (a cache's lookups), of which those were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reads: Option<u64>,
    /// Queue: mean messages waiting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth: Option<f64>,
    /// Queue: most messages waiting at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_depth: Option<u64>,
    /// Queue: messages given up after `max_attempts`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dead_letters: Option<u64>,
    /// Queue: messages handed to a worker, of those whose wait began after the warm-up (a
    /// redelivery after a visibility timeout waits again and counts again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deliveries: Option<u64>,
    /// Queue: how long those messages waited for a worker, from being queued (or put back) to
    /// their delivery: what a job's start is delayed by, which the producers, answered at
    /// once, do not see. Messages still waiting at the end are not in it (see `depth`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_ms: Option<NodeLatency>,
    /// Server with stateful sessions: sessions lost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sessions_lost: Option<u64>,
    /// Autoscaled tiers: serving instances at the end of each window (`window_s`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instances: Option<Vec<u32>>,
    /// Queue: mean messages waiting in each window (`window_s`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth_series: Option<Vec<f64>>,
    /// Utilization in each window.
    pub utilization_series: Vec<f64>,
    /// Mean requests waiting for a worker in each window.
    #[serde(default)]
    pub backlog_series: Vec<f64>,
    /// Cache and CDN: hits ÷ lookups in each window (`null` for a window without lookups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hit_ratio_series: Option<Vec<Option<f64>>>,
    /// Where `stale_reads` is: stale reads in each window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_reads_series: Option<Vec<u64>>,
    /// Replica: mean replication lag in each window, ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lag_ms_series: Option<Vec<f64>>,
    /// Queue: messages dead-lettered in each window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead_letters_series: Option<Vec<u64>>,
    /// Stateful server and session store: sessions lost in each window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sessions_lost_series: Option<Vec<u64>>,
}

/// A node's latency figures, in milliseconds: 0 without a success (`null` in the JSON).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeLatency {
    /// Mean.
    pub mean: f64,
    /// 99th percentile.
    pub p99: f64,
}

impl NodeReport {
    /// A queue's waits, when any message was handed to a worker (its `wait_ms` is 0 else, which
    /// would read as no wait at all).
    pub fn waits(&self) -> Option<&NodeLatency> {
        self.wait_ms.as_ref().filter(|_| self.deliveries > Some(0))
    }
}

impl NodeLatency {
    /// The figures of `count` times summing to `sum_us`, recorded in `histogram` (0 for none).
    fn of(count: u64, sum_us: u128, histogram: Option<&Histogram<u32, 2>>) -> NodeLatency {
        NodeLatency {
            mean: if count == 0 {
                0.0
            } else {
                sum_us as f64 / count as f64 / 1e3
            },
            p99: histogram.map_or(0.0, |h| h.value_at_quantile(0.99) as f64 / 1e3),
        }
    }
}

/// One second of the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeriesPoint {
    /// End of the window, seconds.
    pub t_s: f64,
    /// Requests clients sent.
    pub offered_rps: f64,
    /// Successes per second.
    pub throughput_rps: f64,
    /// Failures per second (all causes).
    pub error_rps: f64,
    /// Timeouts per second.
    pub timeout_rps: f64,
    /// Rejections per second.
    pub rejected_rps: f64,
    /// "Down" failures per second.
    pub down_rps: f64,
    /// Successes ÷ completions in the window (1 when none completed).
    pub availability: f64,
    /// Median latency of successes.
    pub p50_ms: f64,
    /// 95th percentile.
    pub p95_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Mean.
    pub mean_ms: f64,
}

impl SeriesPoint {
    /// Whether a request succeeded in the window: only then do its latencies mean anything
    /// (they are 0 otherwise, `null` in the JSON).
    pub fn succeeded(&self) -> bool {
        self.throughput_rps > 0.0
    }

    /// Whether any request ended in the window, successfully or not: only then does its
    /// availability mean anything (it is 1 otherwise, `null` in the JSON).
    pub fn answered(&self) -> bool {
        self.succeeded() || self.error_rps > 0.0
    }
}

/// An SLO breach.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// When the breach began (end of the first bad window).
    pub t_s: f64,
    /// The key of the scenario's `slo` it broke: `"p99_ms"` or `"availability"`.
    pub slo: String,
    /// The value that broke it.
    pub value: f64,
    /// The worst value of the breach so far: the highest p99, the lowest availability.
    #[serde(default)]
    pub worst: f64,
    /// When the breach was over, as an alerting system resolves an alert: the end of the first
    /// window judged within the SLO again. Absent while it lasts (at the run's end too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_s: Option<f64>,
}

impl Alert {
    /// When the breach ended: its resolution, or `now` (the report's time) while it lasts.
    pub fn ended_at(&self, now: f64) -> f64 {
        self.resolved_s.unwrap_or(now).max(self.t_s)
    }
}

impl Report {
    /// Pretty JSON, as `scaleplay run --json` prints it: a figure with nothing to measure (a
    /// latency without a success, an availability without an answer) is `null` there, where
    /// the structs hold 0 or 1 (see `report/json.rs`).
    pub fn to_json(&self) -> String {
        json::pretty(self)
    }

    /// Where timed-out requests waited, when that is worth saying: more than 5 % of the
    /// requests offered after the warm-up timed out, and a node with workers kept a backlog
    /// (a mean of at least one request). The node with the longest one, its mean backlog, and
    /// the share that timed out. It went on serving them after their users had given up, and
    /// its throughput counts those answers: the app's summary and `scaleplay run` say so.
    pub fn timeouts_backlog(&self) -> Option<TimeoutsBacklog<'_>> {
        let m = &self.summary;
        if m.offered == 0 || m.failed.timeout * 20 <= m.offered {
            return None;
        }
        let (node, mean_backlog) = self.longest_backlog()?;
        Some(TimeoutsBacklog {
            node,
            mean_backlog,
            timed_out_share: m.failed.timeout as f64 / m.offered as f64,
        })
    }

    /// Requests and messages refused at the most a run holds in memory
    /// ([`MAX_LIVE_REQUESTS`](crate::engine::MAX_LIVE_REQUESTS),
    /// [`MAX_QUEUED_MESSAGES`](crate::engine::MAX_QUEUED_MESSAGES)), when any were, and the
    /// node with the longest backlog: the one whose backlog held the run's requests, and so
    /// refused the most. The app's summary and `scaleplay run` say so.
    pub fn refused_at_limit(&self) -> Option<RefusedAtLimit<'_>> {
        (self.run.refused_at_limit > 0).then(|| RefusedAtLimit {
            refused: self.run.refused_at_limit,
            node: self.longest_backlog().map(|(id, _)| id),
        })
    }

    /// The node with workers that kept the longest backlog (a mean of at least one request
    /// over the steady state), by id, with that mean.
    fn longest_backlog(&self) -> Option<(&str, f64)> {
        let (id, node) = self
            .nodes
            .iter()
            .filter(|(id, _)| self.capacity.utilization.contains_key(*id))
            .max_by(|a, b| a.1.mean_backlog.total_cmp(&b.1.mean_backlog))?;
        (node.mean_backlog >= 1.0).then_some((id.as_str(), node.mean_backlog))
    }
}

impl Report {
    /// The queues whose trouble the summary's figures do not show, their producers being
    /// answered when a message is queued: messages given up to the dead letters (work lost),
    /// or a wait for a worker of a second or more on average. By id, in the report's order.
    /// The app's summary and `scaleplay run` say so.
    pub fn queue_troubles(&self) -> Vec<QueueTrouble<'_>> {
        self.nodes
            .iter()
            .filter_map(|(id, n)| {
                let dead_letters = n.dead_letters.unwrap_or(0);
                let wait_mean_ms = n.waits().map_or(0.0, |w| w.mean);
                (dead_letters > 0 || wait_mean_ms >= QUEUE_WAIT_WORTH_SAYING_MS).then_some(
                    QueueTrouble {
                        node: id,
                        dead_letters,
                        wait_mean_ms,
                    },
                )
            })
            .collect()
    }
}

/// A queue's mean wait for a worker from which [`Report::queue_troubles`] names it.
pub const QUEUE_WAIT_WORTH_SAYING_MS: f64 = 1000.0;

/// See [`Report::queue_troubles`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QueueTrouble<'a> {
    /// The queue, by id.
    pub node: &'a str,
    /// Messages given up to its dead letters.
    pub dead_letters: u64,
    /// Their mean wait for a worker, in ms (0 when none was handed to one).
    pub wait_mean_ms: f64,
}

impl QueueTrouble<'_> {
    /// What befell the queue's jobs, in words the app and `scaleplay run` share: "552
    /// messages went to its dead letters, work never done, and its jobs waited 31.5 s on
    /// average for a worker".
    pub fn what_happened(&self) -> String {
        let mut said = Vec::new();
        if self.dead_letters > 0 {
            said.push(format!(
                "{} messages went to its dead letters, work never done",
                crate::error::grouped(self.dead_letters)
            ));
        }
        if self.wait_mean_ms >= QUEUE_WAIT_WORTH_SAYING_MS {
            said.push(format!(
                "its jobs waited {:.1} s on average for a worker",
                self.wait_mean_ms / 1000.0
            ));
        }
        said.join(", and ")
    }

    /// What to look at, in words the app and `scaleplay run` share: the consumers' capacity;
    /// and, when messages went to the dead letters, the visibility timeout against the time
    /// per job too (a job outliving it is delivered again, and each try counts). Said of a
    /// queue that only waited, the timeout sent users to a setting that was fine.
    pub fn what_to_do(&self) -> &'static str {
        if self.dead_letters > 0 {
            "look at its consumers' capacity, and at its visibility_timeout_s against their \
             time per job (a job that outlives it is delivered again)"
        } else {
            "its consumers do not keep up: give them more workers or instances, or autoscale \
             them on the queue's depth"
        }
    }
}

/// See [`Report::refused_at_limit`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RefusedAtLimit<'a> {
    /// Requests and messages refused (counted as rejected).
    pub refused: u64,
    /// The node with the longest backlog, by id, if one kept a backlog.
    pub node: Option<&'a str>,
}

/// See [`Report::timeouts_backlog`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeoutsBacklog<'a> {
    /// The node with the longest backlog, by id.
    pub node: &'a str,
    /// Its mean backlog over the steady state, in requests.
    pub mean_backlog: f64,
    /// Timed-out requests ÷ offered ones.
    pub timed_out_share: f64,
}

impl Simulation {
    /// The report as of now: call it mid-run for live plots, or after [`Simulation::run_until`]
    /// reaches the end for the final one.
    pub fn report(&self) -> Report {
        self.report_reusing(None)
    }

    /// The same report as [`Simulation::report`], built from `previous`, which must be an
    /// earlier report of this same simulation: its series are kept and only the points of
    /// windows closed since are copied. A live view refreshed a few times a second then costs
    /// time in proportion to what changed, not to the run's length (a million windows are about
    /// 150 MB to copy). A series longer than this simulation's, or whose last point differs, is
    /// copied in full; a report of another simulation can pass that check, so do not pass one.
    pub fn report_reusing(&self, previous: Option<Report>) -> Report {
        let (old_series, mut old_nodes, mut old_clients) = match previous {
            Some(r) => (r.series, r.nodes, r.clients),
            None => (Vec::new(), BTreeMap::new(), BTreeMap::new()),
        };
        let g = &self.global;
        let measured = self.now.since(self.model.warmup).as_secs().max(1e-9);
        let summary = Summary {
            offered: g.all.offered,
            succeeded: g.all.succeeded,
            failed: failed(&g.all),
            in_flight: in_flight(&g.all),
            throughput_rps: g.all.served(self.warmed) as f64 / measured,
            availability: availability(&g.all, self.finished()),
            latency_ms: latency(&g.all, &g.latency, false),
            retries: g.all.retries,
            sessions_lost: g.sessions_lost,
        };
        let client_report = |t: &Totals, latency_ms: Latency| ClientReport {
            offered: t.offered,
            succeeded: t.succeeded,
            failed: failed(t),
            in_flight: in_flight(t),
            throughput_rps: t.served(self.warmed) as f64 / measured,
            availability: availability(t, self.finished()),
            latency_ms,
            retries: t.retries,
            throughput_series: Vec::new(),
            availability_series: Vec::new(),
            p99_series: Vec::new(),
        };
        let points = &self.window.series;
        let clients = self
            .clients
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let id = &self.model.nodes[c.node as usize].id;
                // Takes one of the previous report's series of this client, if there was one.
                let mut previous = old_clients.remove(id);
                let mut old = |f: fn(&mut ClientReport) -> &mut Vec<f64>| {
                    previous.as_mut().map(|o| std::mem::take(f(o)))
                };
                let figures = match g.by_client.get(k) {
                    Some(t) => ClientReport {
                        throughput_series: carried(
                            old(|o| &mut o.throughput_series),
                            &t.series.throughput,
                        ),
                        availability_series: carried(
                            old(|o| &mut o.availability_series),
                            &t.series.availability,
                        ),
                        p99_series: carried(old(|o| &mut o.p99_series), &t.series.p99_ms),
                        ..client_report(&t.totals, latency(&t.totals, &t.latency, true))
                    },
                    // The only client: its figures are the run's.
                    None => ClientReport {
                        throughput_series: carried_by(
                            old(|o| &mut o.throughput_series),
                            points,
                            |p| p.throughput_rps,
                        ),
                        availability_series: carried_by(
                            old(|o| &mut o.availability_series),
                            points,
                            |p| p.availability,
                        ),
                        p99_series: carried_by(old(|o| &mut o.p99_series), points, |p| p.p99_ms),
                        ..client_report(&g.all, summary.latency_ms.clone())
                    },
                };
                (id.clone(), figures)
            })
            .collect();
        let mut nodes = BTreeMap::new();
        for (i, n) in self.model.nodes.iter().enumerate() {
            if n.kind == Kind::Client {
                continue;
            }
            let old = old_nodes.remove(&n.id);
            nodes.insert(n.id.clone(), self.node_report(i, old));
        }
        Report {
            summary,
            nodes,
            clients,
            series: carried(Some(old_series), &self.window.series),
            capacity: self.capacity.clone(),
            alerts: self.window.alerts.clone(),
            faults: self.fault_log.clone(),
            failovers: self.failover_log.clone(),
            run: RunInfo {
                seed: self.seed,
                t_s: self.now.as_secs(),
                duration_s: self.model.scenario.duration_s,
                warmup_s: self.model.scenario.warmup_s,
                events: self.events_processed,
                refused_at_limit: self.refused_at_limit,
                faults_unlisted: self.faults_unlisted,
                failovers_unlisted: self.failovers_unlisted,
            },
        }
    }

    /// Node `i`'s report, its series carried on from `old` (see [`carried`]).
    fn node_report(&self, i: usize, mut old: Option<NodeReport>) -> NodeReport {
        // Takes one of the old report's series, if there was one.
        macro_rules! old {
            ($field:ident) => {
                old.as_mut().map(|o| std::mem::take(&mut o.$field))
            };
        }
        let n = &self.model.nodes[i];
        let s = &self.nodes[i];
        let st = &s.stats;
        let now = self.now;
        let span = now.since(st.since).0.max(1) as f64;
        let busy = s.busy.area(now);
        let cap = s.capacity.area(now);
        let backlog = s.queued.area(now);
        let inside = s.inside.area(now);
        let up = s.any_up.area(now);
        let responses = st.ok + st.rejected + st.down + st.errors;
        let secs = span / 1e6;
        let lookups = st.hits + st.misses;
        let is = |k: Kind| n.kind == k;
        let autoscaled = match &n.params {
            Params::Server(p) => p.autoscale.is_some(),
            Params::WorkerPool(p) => p.autoscale.is_some(),
            _ => false,
        };
        let queue_depth = s
            .ext
            .queue
            .as_ref()
            .map(|q| q.depth.area(now) as f64 / span);
        NodeReport {
            kind: n.kind,
            utilization: if cap == 0 {
                0.0
            } else {
                busy as f64 / cap as f64
            },
            throughput_rps: (st.ok + st.straddled) as f64 / secs,
            responses_rps: responses as f64 / secs,
            mean_backlog: backlog as f64 / span,
            mean_in_node: inside as f64 / span,
            rejected: st.rejected,
            down: st.down,
            errors: st.errors,
            succeeded: st.ok,
            latency_ms: NodeLatency::of(st.ok, st.latency_sum_us, st.latency.as_ref()),
            availability: up as f64 / span,
            instances_now: s.serving,
            hit_ratio: (is(Kind::Cache) || is(Kind::Cdn)).then(|| {
                if lookups == 0 {
                    0.0
                } else {
                    st.hits as f64 / lookups as f64
                }
            }),
            partition_shares: (n.kind.keyed_by_user() && s.insts.len() > 1).then(|| {
                let total = st.by_partition.iter().sum::<u64>().max(1) as f64;
                (0..s.insts.len())
                    .map(|p| st.by_partition.get(p).copied().unwrap_or(0) as f64 / total)
                    .collect()
            }),
            lag_ms: is(Kind::SqlReplica).then(|| {
                let replicating = s.ext.replicating.area(now) as f64 / span;
                s.ext.replication_ms * replicating + s.ext.behind.area(now) as f64 / span / 1e3
            }),
            stale_reads: s.counts_stale_reads.then_some(st.stale_reads),
            reads: s.counts_stale_reads.then_some(st.reads),
            depth: queue_depth,
            max_depth: is(Kind::Queue).then_some(st.max_depth),
            dead_letters: is(Kind::Queue).then_some(st.dead_letters),
            deliveries: is(Kind::Queue).then_some(st.deliveries),
            wait_ms: is(Kind::Queue)
                .then(|| NodeLatency::of(st.deliveries, st.wait_sum_us, st.wait.as_ref())),
            // Where sessions are kept (`users::holds_sessions`), as its series.
            sessions_lost: s.holds_sessions.then_some(st.sessions_lost),
            instances: autoscaled.then(|| carried(old!(instances).flatten(), &s.series.instances)),
            depth_series: is(Kind::Queue)
                .then(|| carried(old!(depth_series).flatten(), &s.series.depth)),
            utilization_series: carried(old!(utilization_series), &s.series.utilization),
            backlog_series: carried(old!(backlog_series), &s.series.backlog),
            hit_ratio_series: (is(Kind::Cache) || is(Kind::Cdn))
                .then(|| carried(old!(hit_ratio_series).flatten(), &s.series.hit_ratio)),
            stale_reads_series: s
                .counts_stale_reads
                .then(|| carried(old!(stale_reads_series).flatten(), &s.series.stale_reads)),
            lag_ms_series: is(Kind::SqlReplica)
                .then(|| carried(old!(lag_ms_series).flatten(), &s.series.lag_ms)),
            dead_letters_series: is(Kind::Queue)
                .then(|| carried(old!(dead_letters_series).flatten(), &s.series.dead_letters)),
            sessions_lost_series: s.holds_sessions.then(|| {
                carried(
                    old!(sessions_lost_series).flatten(),
                    &s.series.sessions_lost,
                )
            }),
        }
    }
}

/// `old`, an earlier copy of the append-only series `all`, brought up to date: the points added
/// since are copied onto it. A copy that visibly does not match (longer, or another last point)
/// is replaced by a full one; checking every point would cost as much as copying them.
fn carried<T: Clone + PartialEq>(old: Option<Vec<T>>, all: &[T]) -> Vec<T> {
    let mut v = old.unwrap_or_default();
    let kept = v.len();
    if kept > all.len() || (kept > 0 && v[kept - 1] != all[kept - 1]) {
        v.clear();
    }
    debug_assert!(
        v == all[..v.len()],
        "a report of another simulation was reused"
    );
    v.extend_from_slice(&all[v.len()..]);
    v
}

/// As [`carried`], for a series read off the run's `points` by `value`: a one-client run's
/// client series are the run's own.
fn carried_by(
    old: Option<Vec<f64>>,
    points: &[SeriesPoint],
    value: fn(&SeriesPoint) -> f64,
) -> Vec<f64> {
    let mut v = old.unwrap_or_default();
    let kept = v.len();
    if kept > points.len() || (kept > 0 && v[kept - 1] != value(&points[kept - 1])) {
        v.clear();
    }
    v.extend(points[v.len()..].iter().map(value));
    v
}

/// Failures of `t` by cause.
fn failed(t: &Totals) -> Failed {
    Failed {
        timeout: t.timeout,
        rejected: t.rejected,
        down: t.down,
    }
}

/// Requests of `t` sent but not yet answered.
fn in_flight(t: &Totals) -> u64 {
    t.offered.saturating_sub(t.succeeded + t.failed())
}

/// Succeeded ÷ answered. Requests still in flight at the end are left out (most would
/// succeed if the run went on); but when a run ends with requests sent and not one answered,
/// none was served: 0, not a perfect score. 1 when nothing was asked, or mid-run when nothing
/// was answered yet (a live report just after the warm-up).
fn availability(t: &Totals, finished: bool) -> f64 {
    let done = t.succeeded + t.failed();
    if done == 0 {
        if finished && t.offered > 0 {
            0.0
        } else {
            1.0
        }
    } else {
        t.succeeded as f64 / done as f64
    }
}

/// The latency figures of `t`'s successes, whose latencies `h` holds; `exact_max` when `t`
/// keeps its longest (see `Totals::latency_max_us`).
fn latency<C: Count, const SIGFIG: u32>(
    t: &Totals,
    h: &Histogram<C, SIGFIG>,
    exact_max: bool,
) -> Latency {
    if h.is_empty() {
        return Latency::default();
    }
    let max_us = if exact_max { t.latency_max_us } else { h.max() };
    // A percentile is read as its bin's highest value, which can pass the exact longest:
    // none is above it.
    let q = |p: f64| h.value_at_quantile(p).min(max_us) as f64 / 1e3;
    Latency {
        mean: t.latency_sum_us as f64 / t.succeeded.max(1) as f64 / 1e3,
        p50: q(0.5),
        p95: q(0.95),
        p99: q(0.99),
        max: max_us as f64 / 1e3,
    }
}
