//! Whole-run (steady-state) counters, the run's and each client's, and the per-second windows
//! that become the report's `series`, SLO alerts, each client's series and the per-node
//! utilization/instances/depth series.
//!
//! Nothing here keeps per-request records: counters and histograms only, so memory does not
//! grow with the length of a run (beyond one small point per simulated second).

use crate::engine::events::Event;
use crate::engine::histogram::Histogram;
use crate::engine::state::{NodeState, WindowMark};
use crate::engine::{Cause, Simulation};
use crate::model::ModelNode;
use crate::params::Params;
use crate::report::{Alert, SeriesPoint};
use crate::scenario::{Kind, Slo};
use crate::time::{Duration, SimTime};

/// Steady-state totals of requests that started after the warm-up: of the whole run, or of
/// one client's; and `straddled`, for the throughput.
#[derive(Clone, Debug, Default)]
pub(crate) struct Totals {
    /// Successes of requests that started in the warm-up and ended after it. The throughput
    /// counts them with `succeeded` (see [`Totals::served`]). Counted for every success of
    /// such a request, and set back to zero when the warm-up ends ([`Global::end_warmup`]):
    /// cheaper than asking each request when it ended.
    pub straddled: u64,
    pub offered: u64,
    pub succeeded: u64,
    pub timeout: u64,
    pub rejected: u64,
    pub down: u64,
    pub retries: u64,
    pub latency_sum_us: u128,
    /// The longest success, exactly: kept for each client (whose histogram has 2 significant
    /// figures, so its own largest bin could read up to 1% above the run's, which has 3),
    /// not for the run, whose figures stay off this per-request path.
    pub latency_max_us: u64,
}

impl Totals {
    pub fn failed(&self) -> u64 {
        self.timeout + self.rejected + self.down
    }

    /// Successes that ended after the warm-up, whenever they started: the throughput's count.
    /// By start alone, an overloaded system would seem to serve less than it does, as its
    /// answers after the warm-up go mostly to requests from before it (nothing at all when
    /// every request still waiting arrived in the warm-up).
    /// (`warmed`: the warm-up has ended; until then `straddled` counts successes within it.)
    pub fn served(&self, warmed: bool) -> u64 {
        self.succeeded + if warmed { self.straddled } else { 0 }
    }

    fn complete(&mut self, failure: Option<Cause>, latency_us: u64) {
        match failure {
            None => {
                self.succeeded += 1;
                self.latency_sum_us += latency_us as u128;
                self.latency_max_us = self.latency_max_us.max(latency_us);
            }
            Some(Cause::Timeout) => self.timeout += 1,
            Some(Cause::Rejected) => self.rejected += 1,
            Some(Cause::Down) => self.down += 1,
        }
    }
}

/// One client's totals and the latencies of its successes, and its own per-window series
/// (over the whole run, warm-up included, as the run's `series`).
#[derive(Clone, Debug)]
pub(crate) struct ClientTotals {
    pub totals: Totals,
    pub latency: Histogram<u32, 2>,
    /// The current window's successes and failures, and its successes' latencies.
    window: (u64, u64, Histogram<u32, 2>),
    pub series: ClientSeries,
}

/// A client's figures per window.
#[derive(Clone, Debug, Default)]
pub(crate) struct ClientSeries {
    /// Successes per second.
    pub throughput: Vec<f64>,
    /// Succeeded ÷ answered (1 when nothing was answered, as the run's series).
    pub availability: Vec<f64>,
    /// p99 latency of the successes, ms (0 without one, as the run's series).
    pub p99_ms: Vec<f64>,
}

impl ClientTotals {
    fn new() -> ClientTotals {
        ClientTotals {
            totals: Totals::default(),
            latency: Histogram::new(),
            window: (0, 0, Histogram::new()),
            series: ClientSeries::default(),
        }
    }

    // Out of line: only runs with several clients come here, and inlined it made every
    // request's path longer (counted with cachegrind).
    #[inline(never)]
    fn complete(&mut self, counted: bool, failure: Option<Cause>, latency_us: u64) {
        let w = &mut self.window;
        match failure {
            None => {
                w.0 += 1;
                w.2.record(latency_us);
            }
            Some(_) => w.1 += 1,
        }
        if counted {
            self.totals.complete(failure, latency_us);
            if failure.is_none() {
                self.latency.record(latency_us);
            }
        } else {
            self.totals.straddled += u64::from(failure.is_none());
        }
    }

    /// Ends the current window, `secs` long.
    fn close_window(&mut self, secs: f64) {
        let (succeeded, failed, latency) = &mut self.window;
        let done = *succeeded + *failed;
        let s = &mut self.series;
        s.throughput.push(*succeeded as f64 / secs);
        s.availability.push(if done == 0 {
            1.0
        } else {
            *succeeded as f64 / done as f64
        });
        s.p99_ms.push(if latency.is_empty() {
            0.0
        } else {
            ms(latency.value_at_quantile(0.99))
        });
        (*succeeded, *failed) = (0, 0);
        latency.reset();
    }
}

/// Steady-state totals of the run, and of each client when there are several (with one, its
/// figures are the run's, so a one-client run keeps nothing more).
#[derive(Debug)]
pub(crate) struct Global {
    pub all: Totals,
    /// Every successful latency (3 significant figures: the summary's percentiles).
    pub latency: Histogram<u64, 3>,
    /// By client, in the order of `Simulation::clients`; empty with one client.
    pub by_client: Vec<ClientTotals>,
    pub sessions_lost: u64,
}

impl Global {
    pub fn new(clients: usize) -> Global {
        let each = ClientTotals::new();
        Global {
            all: Totals::default(),
            latency: Simulation::new_latency_histogram(),
            by_client: if clients > 1 {
                vec![each; clients]
            } else {
                Vec::new()
            },
            sessions_lost: 0,
        }
    }

    /// Client `client` (its index, asked for only when there are several) sent a request.
    #[inline]
    pub fn offer(&mut self, client: impl FnOnce() -> usize, counted: bool) {
        if !counted {
            return;
        }
        self.all.offered += 1;
        if !self.by_client.is_empty() {
            self.by_client[client()].totals.offered += 1;
        }
    }

    /// A request of client `client` (as in `offer`) ended after `latency_us`.
    #[inline]
    pub fn complete(
        &mut self,
        client: impl FnOnce() -> usize,
        counted: bool,
        failure: Option<Cause>,
        latency_us: u64,
    ) {
        // Two tests of `counted` on purpose: a single one before the client's update cost
        // every request of a one-client run 3 more instructions (cachegrind).
        if !counted {
            if !self.by_client.is_empty() {
                self.by_client[client()].complete(false, failure, latency_us);
            }
            // Before the warm-up's end these are set back to zero (see `end_warmup`).
            self.all.straddled += u64::from(failure.is_none());
            return;
        }
        if !self.by_client.is_empty() {
            self.by_client[client()].complete(true, failure, latency_us);
        }
        // `Totals::complete` spelled out with the histogram record in its success arm: calling
        // it and then testing `failure` again for the record cost every request more
        // (cachegrind).
        match failure {
            None => {
                self.all.succeeded += 1;
                self.latency.record(latency_us);
                self.all.latency_sum_us += latency_us as u128;
            }
            Some(Cause::Timeout) => self.all.timeout += 1,
            Some(Cause::Rejected) => self.all.rejected += 1,
            Some(Cause::Down) => self.all.down += 1,
        }
    }

    /// The warm-up ends: successes of requests that started in it count in the throughput
    /// from now on (see `Totals::straddled`).
    pub fn end_warmup(&mut self) {
        self.all.straddled = 0;
        for c in &mut self.by_client {
            c.totals.straddled = 0;
        }
    }

    /// Client `client` (as in `offer`) retries a request.
    pub fn retry(&mut self, client: impl FnOnce() -> usize) {
        self.all.retries += 1;
        if !self.by_client.is_empty() {
            self.by_client[client()].totals.retries += 1;
        }
    }
}

/// Counters of the current one-second window.
#[derive(Debug)]
pub(crate) struct Window {
    pub offered: u64,
    pub succeeded: u64,
    pub timeout: u64,
    pub rejected: u64,
    pub down: u64,
    pub latency: Histogram<u32, 2>,
    pub latency_sum_us: u128,
    /// The SLO's p99 bound in µs (`u64::MAX` without one), and the successes of this window
    /// slower than it. The p99 alert is judged on this count, exactly: on the histogram's two
    /// significant figures, a window of 499.9 ms latencies read 501.8 ms and broke a 500 ms
    /// SLO that the summary and `sweep` (three figures) said was met.
    pub p99_bound_us: u64,
    pub over_p99_bound: u64,
    pub series: Vec<SeriesPoint>,
    pub alerts: Vec<Alert>,
    p99_breached: bool,
    availability_breached: bool,
}

impl Window {
    pub fn new(slo: &Slo) -> Window {
        Window {
            offered: 0,
            succeeded: 0,
            timeout: 0,
            rejected: 0,
            down: 0,
            // 2 significant figures suffice for a plot.
            latency: Histogram::new(),
            latency_sum_us: 0,
            // Latencies count whole µs; a bound between two counts as the lower.
            p99_bound_us: slo.p99_ms.map_or(u64::MAX, |b| (b * 1e3) as u64),
            over_p99_bound: 0,
            series: Vec::new(),
            alerts: Vec::new(),
            p99_breached: false,
            availability_breached: false,
        }
    }

    /// The alerts of SLO `slo` after the window ending at `t_s`, whose `value` was `judged`
    /// (something to judge) and `bad`, the breach having been on (`was`) before it: a breach
    /// begins with an alert, grows its worst value (the worse of two by `worse`), and is
    /// resolved by a good window.
    fn judge(
        &mut self,
        (slo, t_s): (&str, f64),
        (judged, bad, was): (bool, bool, bool),
        value: f64,
        worse: fn(f64, f64) -> f64,
    ) {
        if bad && !was {
            self.alerts.push(Alert {
                t_s,
                slo: slo.into(),
                value,
                worst: value,
                resolved_s: None,
            });
            return;
        }
        if !judged || !was {
            return;
        }
        // The open alert of this SLO: the latest one (alerts of the other SLO may follow it).
        let Some(open) = self.alerts.iter_mut().rev().find(|a| a.slo == slo) else {
            return;
        };
        if bad {
            open.worst = worse(open.worst, value);
        } else {
            open.resolved_s = Some(t_s);
        }
    }

    pub fn complete(&mut self, failure: Option<Cause>, latency_us: u64) {
        match failure {
            None => {
                self.succeeded += 1;
                self.latency.record(latency_us);
                self.latency_sum_us += latency_us as u128;
                self.over_p99_bound += u64::from(latency_us > self.p99_bound_us);
            }
            Some(Cause::Timeout) => self.timeout += 1,
            Some(Cause::Rejected) => self.rejected += 1,
            Some(Cause::Down) => self.down += 1,
        }
    }
}

/// Appends the window ending at `t` to a node's series and moves its marks to `t`.
fn close_node_window(s: &mut NodeState, node: &ModelNode, t: SimTime) {
    let kind = node.kind;
    let m = s.mark;
    let (busy_area, capacity_area) = (s.busy.area(t), s.capacity.area(t));
    let queued_area = s.queued.area(t);
    let behind_area = s.ext.behind.area(t);
    let replicating_area = s.ext.replicating.area(t);
    let depth_area = s.ext.queue.as_ref().map_or(0, |q| q.depth.area(t));
    // Wrapping subtraction: across the warm-up the marks hold minus what the window had
    // before it (see `carried_mark`).
    let busy = busy_area.wrapping_sub(m.busy_area);
    let cap = capacity_area.wrapping_sub(m.capacity_area);
    let span = t.0.saturating_sub(m.at.0).max(1) as f64;
    let st = &s.stats;
    let series = &mut s.series;
    series.utilization.push(if cap == 0 {
        0.0
    } else {
        busy as f64 / cap as f64
    });
    series.instances.push(s.serving);
    series
        .backlog
        .push(queued_area.wrapping_sub(m.queued_area) as f64 / span);
    if s.ext.queue.is_some() {
        // The window's mean, as the backlog's and the summary's `depth` (the count at the
        // window's end read 0.78 on average where the summary said 0.81).
        series
            .depth
            .push(depth_area.wrapping_sub(m.depth_area) as f64 / span);
        series
            .dead_letters
            .push(st.dead_letters.wrapping_sub(m.dead_letters));
    }
    if matches!(kind, Kind::Cache | Kind::Cdn) {
        let hits = st.hits.wrapping_sub(m.hits);
        let lookups = hits + st.misses.wrapping_sub(m.misses);
        series
            .hit_ratio
            .push((lookups > 0).then(|| hits as f64 / lookups as f64));
    }
    if s.counts_stale_reads {
        series
            .stale_reads
            .push(st.stale_reads.wrapping_sub(m.stale_reads));
    }
    if let Params::SqlReplica(_) = &node.params {
        let behind_us = behind_area.wrapping_sub(m.behind_area) as f64 / span;
        let replicating = replicating_area.wrapping_sub(m.replicating_area) as f64 / span;
        series
            .lag_ms
            .push(s.ext.replication_ms * replicating + behind_us / 1e3);
    }
    if s.holds_sessions {
        series
            .sessions_lost
            .push(st.sessions_lost.wrapping_sub(m.sessions_lost));
    }
    s.mark = WindowMark {
        at: t,
        busy_area,
        capacity_area,
        queued_area,
        hits: st.hits,
        misses: st.misses,
        stale_reads: st.stale_reads,
        dead_letters: st.dead_letters,
        sessions_lost: st.sessions_lost,
        behind_area,
        replicating_area,
        depth_area,
    };
}

/// The mark that carries a node's current window across the warm-up, where its integrals and
/// counters restart from zero: minus what the window has had so far (wrapping, as in
/// `Level`), so the window still covers its whole length. Without it, the window that ends
/// exactly at the warm-up would show nothing (a dip to zero utilization in every plot).
pub(crate) fn carried_mark(s: &NodeState, now: SimTime) -> WindowMark {
    let (m, st) = (s.mark, &s.stats);
    WindowMark {
        at: m.at,
        busy_area: m.busy_area.wrapping_sub(s.busy.area(now)),
        capacity_area: m.capacity_area.wrapping_sub(s.capacity.area(now)),
        queued_area: m.queued_area.wrapping_sub(s.queued.area(now)),
        hits: m.hits.wrapping_sub(st.hits),
        misses: m.misses.wrapping_sub(st.misses),
        stale_reads: m.stale_reads.wrapping_sub(st.stale_reads),
        dead_letters: m.dead_letters.wrapping_sub(st.dead_letters),
        sessions_lost: m.sessions_lost.wrapping_sub(st.sessions_lost),
        behind_area: m.behind_area.wrapping_sub(s.ext.behind.area(now)),
        replicating_area: m.replicating_area.wrapping_sub(s.ext.replicating.area(now)),
        depth_area: m
            .depth_area
            .wrapping_sub(s.ext.queue.as_ref().map_or(0, |q| q.depth.area(now))),
    }
}

fn ms(us: u64) -> f64 {
    us as f64 / 1e3
}

impl Simulation {
    /// Closes the window ending now (`window_s` long) and opens the next.
    pub(crate) fn on_tick(&mut self) {
        let t = self.now;
        let secs = self.window_len(t);
        let w = &mut self.window;
        let failed = w.timeout + w.rejected + w.down;
        let done = w.succeeded + failed;
        let q = |h: &Histogram<u32, 2>, p: f64| {
            if h.is_empty() {
                0.0
            } else {
                ms(h.value_at_quantile(p))
            }
        };
        let point = SeriesPoint {
            t_s: t.as_secs(),
            offered_rps: w.offered as f64 / secs,
            throughput_rps: w.succeeded as f64 / secs,
            error_rps: failed as f64 / secs,
            timeout_rps: w.timeout as f64 / secs,
            rejected_rps: w.rejected as f64 / secs,
            down_rps: w.down as f64 / secs,
            availability: if done == 0 {
                1.0
            } else {
                w.succeeded as f64 / done as f64
            },
            p50_ms: q(&w.latency, 0.50),
            p95_ms: q(&w.latency, 0.95),
            p99_ms: q(&w.latency, 0.99),
            mean_ms: if w.succeeded == 0 {
                0.0
            } else {
                w.latency_sum_us as f64 / w.succeeded as f64 / 1e3
            },
        };
        // SLO alerts: one marker when a breach begins (after the warm-up).
        if t > self.model.warmup {
            let slo = &self.model.scenario.slo;
            // Over the bound when fewer than 99% of the successes (HDR's rank: rounded up) were
            // within it.
            let within = w.succeeded - w.over_p99_bound;
            // A window with nothing to judge (no success for the p99, no answer for the
            // availability) leaves a breach as it was: at 1 request a second, one outage of
            // a minute used to raise 15 alerts, one after each second that nothing ended in.
            let p99_judged = slo.p99_ms.is_some() && w.succeeded > 0;
            let avail_judged = slo.availability.is_some() && done > 0;
            let p99_bad = if p99_judged {
                within < (0.99 * w.succeeded as f64).ceil() as u64
            } else {
                w.p99_breached
            };
            let avail_bad = if avail_judged {
                slo.availability.is_some_and(|b| point.availability < b)
            } else {
                w.availability_breached
            };
            // Named by their keys in the scenario's `slo`.
            w.judge(
                ("p99_ms", point.t_s),
                (p99_judged, p99_bad, w.p99_breached),
                point.p99_ms,
                f64::max,
            );
            w.judge(
                ("availability", point.t_s),
                (avail_judged, avail_bad, w.availability_breached),
                point.availability,
                f64::min,
            );
            w.p99_breached = p99_bad;
            w.availability_breached = avail_bad;
        }
        w.series.push(point);
        w.offered = 0;
        w.succeeded = 0;
        w.timeout = 0;
        w.rejected = 0;
        w.down = 0;
        w.latency.reset();
        w.latency_sum_us = 0;
        w.over_p99_bound = 0;

        for c in &mut self.global.by_client {
            c.close_window(secs);
        }
        for (s, n) in self.nodes.iter_mut().zip(&self.model.nodes) {
            close_node_window(s, n, t);
        }
        // Window k ends at k × window_s, rounded to the clock's microsecond: added up one
        // window at a time, a window_s of 1/3 s ended the 60th window 20 µs early, and a
        // last window of 20 µs plotted 50,000 req/s.
        let closed = self.window.series.len() as f64;
        let next =
            SimTime::from_secs((closed + 1.0) * self.model.scenario.window_s).max(t + Duration(1));
        if next <= self.model.duration {
            self.events.push(next, Event::Tick);
        } else if t < self.model.duration {
            // A last, shorter window closes the run.
            self.events.push(self.model.duration, Event::Tick);
        }
    }

    fn window_len(&self, t: SimTime) -> f64 {
        let start = self.window.series.last().map_or(0.0, |p| p.t_s);
        (t.as_secs() - start).max(1e-6)
    }
}
