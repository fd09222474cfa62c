//! Failures and repairs (scheduled, random with MTBF/MTTR, or injected mid-run), database
//! failover, and autoscaling of tiers.

use crate::engine::events::Event;
use crate::engine::state::{ScaleSample, METRIC_WINDOW};
use crate::engine::{
    capacity_of, Cause, FailoverAction, FailoverRecord, FaultRecord, Outcome, Simulation,
    MAX_FAULT_RECORDS, UNLIMITED,
};
use crate::model::NodeId;
use crate::params::{Autoscale, Params};
use crate::scenario::{FaultAction, Kind};
use crate::time::{Duration, SimTime};

/// How busy a worker pool scaled on queue depth keeps its instances with the jobs in progress
/// (the rest of its size is one instance per `target_depth` messages waiting), as a server
/// tier's `target_utilization` does. Sized to those jobs exactly, a pool whose jobs vary in
/// length is busy all the time and its queue grows again: 100 jobs/s of 100 ms (exponential)
/// on instances of 2 workers swung it between 5 and 16 instances, jobs waiting 0.57 s (p99,
/// mean of 10 seeds); aiming at 85% it holds 6 to 10, with fewer instances on average (7.2
/// against 7.3) and a p99 wait of 0.14 s.
const POOL_BUSY_AIM: f64 = 0.85;

/// Where a failure or a repair comes from. Each kind of cause holds an instance down on its
/// own: a node scheduled down from 50 s to 100 s stays down though its random failure is
/// repaired at 53 s, and a data center's recovery does not revive a node that failed in it
/// on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FaultSource {
    /// A scheduled fault that names the node.
    Scheduled,
    /// A scheduled fault that names the node's data center.
    DataCenter,
    /// The node's own `mtbf_s`/`mttr_s`.
    Random,
    /// A user's fail or recover, mid-run. It holds and repairs as a scheduled fault of the
    /// node does, since the app writes it into the scenario as one: a replay of the shared
    /// link gives the same run. (A manual recovery used to end every cause, a data center's
    /// outage and a random failure too, where the replayed one leaves them.)
    Manual,
}

impl FaultSource {
    /// Its bit in [`Inst::down`](crate::engine::state::Inst): what its failure sets and its
    /// recovery clears.
    fn hold(self) -> u8 {
        match self {
            FaultSource::Scheduled | FaultSource::Manual => 1,
            FaultSource::DataCenter => 2,
            FaultSource::Random => 4,
        }
    }

    /// As the report's fault log names it.
    fn name(self) -> &'static str {
        match self {
            FaultSource::Scheduled | FaultSource::DataCenter => "scheduled",
            FaultSource::Random => "random",
            FaultSource::Manual => "manual",
        }
    }
}

/// What holds a node's instances down at an instant, counted cause by cause (an instance can
/// be held by several at once, and stays down until each has ended). The app asks it before
/// "Fail now" / "Recover now", to refuse what would change nothing and to say why a node stays
/// down.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DownCauses {
    /// Instance slots of the node, an autoscaler's standby slots included (a fault of the
    /// whole node holds them all).
    pub instances: u32,
    /// Instances held by the node's own failure: a scheduled one, or one failed by hand.
    pub own: u32,
    /// Instances held by their data center's outage.
    pub data_center: u32,
    /// Instances held by a random failure (the node's `mtbf_s`).
    pub random: u32,
    /// Instances taking requests now (up, part of the tier and booted).
    pub serving: u32,
    /// Instances part of the tier now, up or down (an autoscaler's standby slots are not).
    pub active: u32,
}

/// The fault log's source of an instance an autoscaler replaced after it crashed (its action
/// "recover": the slot serves again once the new machine has booted).
const REPLACED: &str = "autoscaler";

/// How often autoscalers look at their tiers (each then waits out its own cooldown).
pub(crate) const SCALE_CHECK_EVERY: Duration = Duration(1_000_000);

impl Simulation {
    /// Fails or recovers `node` (one instance, or all of them). Logged (and so marked on the
    /// plots) only when it starts or ends an outage of one of them: a failure of a part
    /// already down, or a recovery that leaves it held down by another cause, changes
    /// nothing a user could see.
    pub(crate) fn apply_fault(
        &mut self,
        node: NodeId,
        instance: Option<u32>,
        action: FaultAction,
        source: FaultSource,
    ) {
        let n = node.ix();
        let count = self.nodes[n].insts.len() as u32;
        let insts: Vec<u32> = match instance {
            Some(i) if i < count => vec![i],
            Some(_) => return,
            None => (0..count).collect(),
        };
        let mut changed = false;
        for i in insts {
            changed |= match action {
                FaultAction::Fail => self.fail_instance(n, i, source.hold()),
                FaultAction::Recover => self.recover_instance(n, i, source.hold()),
            };
        }
        if !changed {
            return;
        }
        self.log_fault(n, action, instance, source.name());
    }

    /// Lists a fault of node `n` in the report's log, or counts it past [`MAX_FAULT_RECORDS`].
    fn log_fault(&mut self, n: usize, action: FaultAction, instance: Option<u32>, source: &str) {
        if self.fault_log.len() < MAX_FAULT_RECORDS {
            self.fault_log.push(FaultRecord {
                t_s: self.now.as_secs(),
                node: self.model.nodes[n].id.clone(),
                action,
                instance,
                source: source.to_string(),
            });
        } else {
            self.faults_unlisted += 1;
        }
    }

    /// Lists a change of the node taking primary `primary`'s writes in the report, or counts
    /// it past [`MAX_FAULT_RECORDS`].
    fn log_failover(&mut self, primary: usize, replica: NodeId, action: FailoverAction) {
        if self.failover_log.len() < MAX_FAULT_RECORDS {
            self.failover_log.push(FailoverRecord {
                t_s: self.now.as_secs(),
                primary: self.model.nodes[primary].id.clone(),
                replica: self.model.nodes[replica.ix()].id.clone(),
                action,
            });
        } else {
            self.failovers_unlisted += 1;
        }
    }

    /// What holds the instances of node `id` down now (see [`DownCauses`]); `None` for a node
    /// the run does not have.
    pub fn down_causes(&self, id: &str) -> Option<DownCauses> {
        self.instance_down_causes(id, None)
    }

    /// [`Simulation::down_causes`] of one instance of node `id` (each count then 0 or 1), or of
    /// all with `None`; `None` for a node or an instance the run does not have.
    pub fn instance_down_causes(&self, id: &str, instance: Option<u32>) -> Option<DownCauses> {
        let all = &self.nodes[self.model.find(id)?.ix()].insts;
        let insts = match instance {
            None => &all[..],
            Some(i) => std::slice::from_ref(all.get(i as usize)?),
        };
        let held = |source: FaultSource| {
            insts.iter().filter(|i| i.down & source.hold() != 0).count() as u32
        };
        Some(DownCauses {
            instances: insts.len() as u32,
            own: held(FaultSource::Scheduled),
            data_center: held(FaultSource::DataCenter),
            random: held(FaultSource::Random),
            serving: insts.iter().filter(|i| i.serving()).count() as u32,
            active: insts.iter().filter(|i| i.active).count() as u32,
        })
    }

    /// Recounts the instances of node `n` that serve and those whose workers count, and
    /// whether the node as a whole is up: while one of its instances serves. Failed instances,
    /// an autoscaler's standby slots and instances still booting take no request, so they do
    /// not keep a tier "up" for health checks, GeoDNS, failover or the node's availability.
    pub(crate) fn recount_serving(&mut self, n: usize) {
        let (now, horizon) = (self.now, self.check_horizon);
        let s = &mut self.nodes[n];
        let was_up = s.serving > 0;
        s.serving = 0;
        for i in &mut s.insts {
            let serving = i.serving();
            if serving != i.was_serving {
                i.was_serving = serving;
                i.changes.record(now, horizon);
            }
            s.serving += u32::from(serving);
        }
        let working = s.insts.iter().filter(|i| i.working()).count() as u32;
        s.capacity.set(now, capacity_of(s.workers, working));
        let up = s.serving > 0;
        s.any_up.set(now, u64::from(up));
        if up != was_up {
            s.node_changes.record(now, horizon);
            self.health_epoch += 1;
        }
    }

    /// Holds instance `i` of node `n` down for cause `hold`; whether that took it down.
    fn fail_instance(&mut self, n: usize, i: u32, hold: u8) -> bool {
        let inst = &mut self.nodes[n].insts[i as usize];
        let was_up = inst.up();
        inst.down |= hold;
        if !was_up {
            return false;
        }
        let now = self.now;
        let replica = self.model.nodes[n].kind == Kind::SqlReplica;
        let s = &mut self.nodes[n];
        let inst = &mut s.insts[i as usize];
        let crashed_epoch = inst.epoch;
        inst.epoch = inst.epoch.wrapping_add(1);
        s.busy
            .set(now, s.busy.get().saturating_sub(inst.busy as u64));
        inst.busy = 0;
        if let Some(store) = &mut inst.store {
            store.clear(); // a restarted cache comes back cold
        }
        let backlog: Vec<u32> = inst.backlog.drain(..).collect();
        s.queued
            .set(now, s.queued.get().saturating_sub(backlog.len() as u64));
        let was_up = s.serving > 0;
        let epoch = inst.epoch;
        self.recount_serving(n);
        let s = &mut self.nodes[n];
        if s.serving == 0 {
            // A CDN's edge is the node's, not an instance's: a crashed edge comes back cold
            // too (it came back holding everything, with its hit ratio unmoved).
            if let Some(edge) = &mut s.ext.edge {
                edge.clear();
            }
        }
        if was_up && s.serving == 0 && replica {
            // A replica that is down misses the primary's writes (see `behind`), if any are
            // taken.
            self.update_behind(n);
        }
        // The requests in service there lost their worker now: they are answered "down" at
        // the crash, not when their service would have ended (a 4 s service gave its error up
        // to 4 s after the fault). Their service ends are called off; the one being served is
        // the top frame of its request until then (see `Event::ServiceDone`).
        let reqs = &self.reqs;
        let in_service = self.events.cancel(|event| match *event {
            Event::ServiceDone { req } => reqs[req as usize].frames.last().is_some_and(|f| {
                f.node as usize == n && f.inst == i && f.holds && f.epoch == crashed_epoch
            }),
            _ => false,
        });
        for event in in_service {
            if let Event::ServiceDone { req } = event {
                self.respond(req, Outcome::Err(Cause::Down), Duration::ZERO);
            }
        }
        for req in backlog {
            self.respond(req, Outcome::Err(Cause::Down), Duration::ZERO);
        }
        self.cut_off_at_crash(n, i, crashed_epoch);
        if replica {
            self.replica_changed(n);
        }
        if self.model.nodes[n].kind == Kind::SqlPrimary {
            self.update_replicas_behind(n);
        }
        if let Params::SqlPrimary(p) = &self.model.nodes[n].params {
            if self.nodes[n].serving == 0 && !self.model.nodes[n].routes.replicas.is_empty() {
                let at = self.now + Duration::from_secs(p.failover_s);
                self.events.push(
                    at,
                    Event::Promote {
                        node: n as u32,
                        epoch,
                    },
                );
            }
        }
        true
    }

    /// Ends the causes `repairs` holding instance `i` of node `n` down; whether it is up again
    /// (no other cause still holds it).
    fn recover_instance(&mut self, n: usize, i: u32, repairs: u8) -> bool {
        let inst = &mut self.nodes[n].insts[i as usize];
        let was_up = inst.up();
        inst.down &= !repairs;
        if was_up || !inst.up() {
            return false;
        }
        let now = self.now;
        let replica = self.model.nodes[n].kind == Kind::SqlReplica;
        let was_up = self.nodes[n].serving > 0;
        self.recount_serving(n);
        let s = &mut self.nodes[n];
        if !was_up && s.serving > 0 {
            if let Some(epoch) = s.ext.promoted.map(|_| s.insts[0].epoch) {
                // Fail back once it has replayed the writes its promoted replica took while it
                // was down, at the speed a replica catches up (it used to take the writes back
                // at once, as if it had missed none). The promoted replica goes on taking
                // writes meanwhile, so, as a replica, it gains `CATCH_UP_SPEED − 1` seconds
                // a second (replaying at 4× alone left the writes of the replay unreplayed).
                use crate::engine::behind::CATCH_UP_SPEED;
                let missed = now.since(s.ext.promoted_at);
                let replay = Duration(missed.0 / (CATCH_UP_SPEED - 1));
                self.events.push(
                    now + replay,
                    Event::FailBack {
                        node: n as u32,
                        epoch,
                    },
                );
            }
            let s = &mut self.nodes[n];
            if replica {
                // A recovered replica replays the writes it missed.
                s.ext.behind.catch_up(now);
            }
        }
        match self.model.nodes[n].kind {
            Kind::Queue => self.dispatch(n),
            Kind::WorkerPool => self.pull_work(n),
            Kind::SqlPrimary => self.update_replicas_behind(n),
            _ => {}
        }
        if replica {
            self.replica_changed(n);
        }
        true
    }

    /// After replica `n` failed or recovered: keeps its primary's failover going while the
    /// primary is down. A promoted replica that fails hands over to another one a failover
    /// later; a replica that recovers after the failover found none up is promoted at once
    /// (the failover had already decided, and found no one to promote).
    fn replica_changed(&mut self, n: usize) {
        let Some(primary) = self.nodes[n].ext.primary.map(|p| p.ix()) else {
            return;
        };
        let Params::SqlPrimary(p) = &self.model.nodes[primary].params else {
            return;
        };
        let failover = Duration::from_secs(p.failover_s);
        let now = self.now;
        let serving = self.nodes[n].serving > 0;
        let prim = &mut self.nodes[primary];
        let promoted_here = prim.ext.promoted == Some(NodeId(n as u32));
        if prim.serving > 0 {
            if promoted_here && !serving {
                // The replica taking the writes while the primary catches up failed: the
                // primary, up, takes them now.
                self.set_promoted(primary, None);
            }
            return;
        }
        if !serving && promoted_here {
            let epoch = prim.insts[0].epoch;
            self.set_promoted(primary, None);
            self.events.push(
                now + failover,
                Event::Promote {
                    node: primary as u32,
                    epoch,
                },
            );
        } else if serving
            && prim.ext.promoted.is_none()
            && now.since(prim.node_changes.latest()) >= failover
        {
            self.mark_first_promotion(primary);
            self.set_promoted(primary, Some(NodeId(n as u32)));
        }
    }

    /// Makes `replica` (or none: the primary itself) take the writes of primary `primary`. A
    /// promoted replica lags behind nobody: its replication lag counts from zero meanwhile
    /// (its plot went on showing its `lag_ms` while it was the primary).
    fn set_promoted(&mut self, primary: usize, replica: Option<NodeId>) {
        let now = self.now;
        let before = self.nodes[primary].ext.promoted;
        match (before, replica) {
            (_, Some(new)) if before != Some(new) => {
                self.log_failover(primary, new, FailoverAction::Promoted);
            }
            (Some(old), None) => {
                let action = if self.nodes[primary].serving > 0 {
                    FailoverAction::FailedBack
                } else {
                    FailoverAction::ReplicaFailed
                };
                self.log_failover(primary, old, action);
            }
            _ => {}
        }
        if let Some(old) = self.nodes[primary].ext.promoted {
            self.nodes[old.ix()].ext.replicating.set(now, 1);
        }
        if let Some(new) = replica {
            self.nodes[new.ix()].ext.replicating.set(now, 0);
        }
        self.nodes[primary].ext.promoted = replica;
        self.update_replicas_behind(primary);
    }

    /// After primary `primary` went down or up, or a replica was promoted in its place or
    /// demoted: whether its replicas that are down miss writes now.
    fn update_replicas_behind(&mut self, primary: usize) {
        for k in 0..self.model.nodes[primary].routes.replicas.len() {
            let r = self.model.nodes[primary].routes.replicas[k].ix();
            if self.nodes[r].serving == 0 {
                self.update_behind(r);
            }
        }
    }

    /// Replica `r`, down: it falls behind while writes are taken (by its primary, or by a
    /// replica promoted in its place), and holds where it is while none are.
    fn update_behind(&mut self, r: usize) {
        let now = self.now;
        let writes_taken = self.nodes[r].ext.primary.is_some_and(|p| {
            let p = &self.nodes[p.ix()];
            p.serving > 0 || p.ext.promoted.is_some()
        });
        let behind = &mut self.nodes[r].ext.behind;
        if writes_taken {
            behind.stall(now);
        } else {
            behind.hold(now);
        }
    }

    pub(crate) fn schedule_random(&mut self, node: u32, inst: u32, fail: bool) {
        let r = &self.model.nodes[node as usize].reliability;
        let (Some(mtbf), Some(mttr)) = (r.mtbf_s, r.mttr_s) else {
            return;
        };
        let mean = if fail { mtbf } else { mttr };
        // At least 1 µs later: an interval that rounds to zero (a tiny mtbf_s/mttr_s) would
        // schedule the next toggle at the same instant forever, and virtual time would stop.
        let at = self.now + Duration::from_secs(self.rng.exp(mean)).max(Duration(1));
        if at <= self.model.duration {
            self.events.push(at, Event::Random { node, inst, fail });
        }
    }

    pub(crate) fn on_random(&mut self, node: u32, inst: u32, fail: bool) {
        let i = &self.nodes[node as usize].insts[inst as usize];
        if fail && !(i.active && i.up()) {
            // An autoscaler's standby slot, or an instance already down for another cause, is
            // not running, so it cannot fail: its clock just starts again (failures are
            // memoryless), and no fault is logged or plotted for it.
            self.schedule_random(node, inst, true);
            return;
        }
        let action = if fail {
            FaultAction::Fail
        } else {
            FaultAction::Recover
        };
        self.apply_fault(NodeId(node), Some(inst), action, FaultSource::Random);
        self.schedule_random(node, inst, !fail);
    }

    pub(crate) fn on_promote(&mut self, node: u32, epoch: u32) {
        let n = node as usize;
        if self.nodes[n].serving > 0 || self.nodes[n].insts[0].epoch != epoch {
            return; // the primary came back first, or failed again since
        }
        // Failed again while it replayed: the replica promoted the first time still takes the
        // writes, and the writes to replay still count from its promotion.
        if let Some(r) = self.nodes[n].ext.promoted {
            if self.nodes[r.ix()].serving > 0 {
                return;
            }
        }
        let replicas = &self.model.nodes[n].routes.replicas;
        let chosen = replicas
            .iter()
            .copied()
            .find(|r| self.nodes[r.ix()].serving > 0);
        self.set_promoted(n, chosen);
        self.mark_first_promotion(n);
    }

    /// A replica starts taking the writes of primary `n`, which is down: the writes the primary
    /// will have to replay count from the first such promotion of its outage. A second one,
    /// after the first promoted replica failed too, took its writes on from there (it reset
    /// the count, and a primary back after both came back replaying only the second's).
    fn mark_first_promotion(&mut self, n: usize) {
        let s = &mut self.nodes[n];
        let down_since = s.node_changes.latest();
        if s.ext.promoted_at < down_since || s.ext.promoted_at == SimTime::ZERO {
            s.ext.promoted_at = self.now;
        }
    }

    /// Primary `node` has caught up since it came back (see `recover_instance`).
    pub(crate) fn on_fail_back(&mut self, node: u32, epoch: u32) {
        let s = &self.nodes[node as usize];
        if s.serving > 0 && s.insts[0].epoch == epoch {
            self.set_promoted(node as usize, None);
        }
    }

    pub(crate) fn on_booted(&mut self, node: u32, inst: u32, boot: u32) {
        let n = node as usize;
        let i = &mut self.nodes[n].insts[inst as usize];
        if !i.booting || i.boots != boot {
            return; // drained before it booted, and maybe started again: a later event ends it
        }
        i.booting = false;
        self.recount_serving(n);
        self.pull_work(n);
    }

    /// Every second ([`SCALE_CHECK_EVERY`]): scaling decisions, then the next check.
    pub(crate) fn on_scale_check(&mut self) {
        self.autoscale();
        let next = self.now + SCALE_CHECK_EVERY;
        if next <= self.model.duration {
            self.events.push(next, Event::ScaleCheck);
        }
    }

    /// Scaling decisions of every tier whose cooldown has passed.
    fn autoscale(&mut self) {
        for n in 0..self.nodes.len() {
            let (policy, on_depth) = match &self.model.nodes[n].params {
                Params::Server(p) => (p.autoscale.clone(), false),
                Params::WorkerPool(p) => (p.autoscale.clone(), true),
                _ => continue,
            };
            let Some(a) = policy else { continue };
            self.sample_scale_metrics(n);
            // Like a cloud autoscaler, count only healthy instances: a failed one is replaced.
            let active = self.nodes[n]
                .insts
                .iter()
                .filter(|i| i.active && i.up())
                .count() as u32;
            // The cooldown spaces out decisions about how many instances the load needs;
            // replacing a failed one is not such a decision, so it happens at once (as a cloud
            // group's health check replaces an unhealthy instance).
            let replace_failed = |sim: &mut Simulation| {
                let target = sim.nodes[n].ext.scale_target;
                if active < target {
                    sim.scale_to(n, target, &a);
                }
            };
            let cooling =
                self.now.since(self.nodes[n].ext.last_scale) < Duration::from_secs(a.cooldown_s);
            // How many instances' worth of work the tier did since the last decision: its mean
            // busy workers over the workers of one instance (a mean, not a snapshot: a snapshot
            // of a busy tier flips between answers from one second to the next). Not the
            // active instances times their utilization: instances still booting are active
            // but add no capacity, so each decision during a boot multiplied the tier (2 → 4
            // → 8 → 14 under a steady load that needs 4).
            let s = &self.nodes[n];
            let since = self.metric_window_start(n);
            // Wrapping: across the warm-up the marks hold minus what came before (`end_warmup`).
            let busy = s.busy.area(self.now).wrapping_sub(since.busy);
            let cap = s.capacity.area(self.now).wrapping_sub(since.capacity);
            // Over the time the tier was up: while all of it is down it does no work, and that
            // says nothing of the load. (Averaged over the whole span, a 6 s outage of a tier
            // that needed 4 instances scaled it in to 2 when it came back, overloaded.)
            let span = self.now.since(since.at).0;
            let up_span = s.any_up.area(self.now).wrapping_sub(since.up);
            let instances_busy = if cap == 0 || up_span == 0 || s.workers == UNLIMITED {
                None
            } else {
                Some(busy as f64 / up_span as f64 / f64::from(s.workers))
            };
            let desired = if on_depth {
                // Enough instances for the jobs in progress (the instances' worth of work the
                // pool did) plus one per `target_depth` messages still waiting. Counting
                // waiting and in-progress messages together against the target, as before,
                // asked for 2 instances when 20 jobs were running on 5 busy ones: the pool
                // swung between its minimum and its maximum under a steady load.
                let waiting: usize = s
                    .ext
                    .feeders
                    .iter()
                    .map(|q| {
                        self.nodes[q.ix()]
                            .ext
                            .queue
                            .as_ref()
                            .map_or(0, |q| q.ready.len())
                    })
                    .sum();
                // With headroom over the jobs in progress (see `POOL_BUSY_AIM`).
                let in_progress = instances_busy.unwrap_or(0.0) / POOL_BUSY_AIM;
                libm::ceil(in_progress + waiting as f64 / a.target_depth) as u32
            } else {
                // With no figure (the tier was down throughout), the last decision stands.
                match instances_busy {
                    None => s.ext.scale_target,
                    Some(work) => libm::ceil(work / a.target_utilization) as u32,
                }
            };
            // Nor does it scale in on a span with an outage in it: the work just after one is
            // low too (a balancer sends nothing until its health check sees the tier back),
            // as Kubernetes holds back a scale-down after a drop for its stabilization window.
            let desired = if u128::from(span) > up_span {
                desired.max(s.ext.scale_target)
            } else {
                desired
            };
            let target = desired.clamp(a.min, a.max);
            if cooling && target <= s.ext.scale_target {
                // Until a cooldown has passed since the start or the last decision, only a
                // scale-out is decided early, on the work since then (as a cloud group scales
                // out during a cooldown when it needs more than its last scale-out gave): a
                // run's first seconds under a load the starting size cannot carry used to wait
                // a whole cooldown with a backlog growing (preset 10 at twice its rate sat
                // 24 s at 100 %), and so did a burst just after a hold (preset 8's workers
                // waited 10 s for theirs), and a tier scaled out too little for a spike (2 to
                // 3 of the 9 it needed, for a whole 300 s cooldown). Holding or scaling in
                // waits for the cooldown.
                replace_failed(self);
                continue;
            }
            let s = &mut self.nodes[n];
            s.ext.scale_target = target;
            s.ext.last_scale = self.now;
            s.ext.scale_busy_mark = s.busy.area(self.now);
            s.ext.scale_capacity_mark = s.capacity.area(self.now);
            s.ext.scale_up_mark = s.any_up.area(self.now);
            self.scale_to(n, target, &a);
        }
    }

    /// Keeps node `n`'s areas of this check, and those of the last [`METRIC_WINDOW`] before.
    fn sample_scale_metrics(&mut self, n: usize) {
        let now = self.now;
        let s = &mut self.nodes[n];
        let sample = ScaleSample {
            at: now,
            busy: s.busy.area(now),
            capacity: s.capacity.area(now),
            up: s.any_up.area(now),
        };
        let samples = &mut s.ext.scale_samples;
        samples.push_back(sample);
        while samples
            .front()
            .is_some_and(|w| now.since(w.at) > METRIC_WINDOW)
        {
            samples.pop_front();
        }
    }

    /// Where the work an autoscaling decision of node `n` weighs begins: its last decision,
    /// or the start of the [`METRIC_WINDOW`] when that decision is older.
    fn metric_window_start(&self, n: usize) -> ScaleSample {
        let ext = &self.nodes[n].ext;
        match ext.scale_samples.front() {
            Some(&oldest) if self.now.since(ext.last_scale) > METRIC_WINDOW => oldest,
            _ => ScaleSample {
                at: ext.last_scale,
                busy: ext.scale_busy_mark,
                capacity: ext.scale_capacity_mark,
                up: ext.scale_up_mark,
            },
        }
    }

    /// Replaces instance `k` of node `n`, down from a random crash, with a new machine booting
    /// (for `boot`) in its slot: its repair is called off, its failure clock starts again,
    /// and the fault log says it was replaced.
    fn replace_crashed(&mut self, n: usize, k: u32, boot: Duration) {
        let node = n as u32;
        self.events.cancel(|event| {
            matches!(*event, Event::Random { node: m, inst, fail: false } if m == node && inst == k)
        });
        let inst = &mut self.nodes[n].insts[k as usize];
        inst.down = 0;
        inst.booting = boot > Duration::ZERO;
        inst.boots = inst.boots.wrapping_add(1);
        self.log_fault(n, FaultAction::Recover, Some(k), REPLACED);
        self.schedule_random(node, k, true);
    }

    /// Makes `target` healthy instances active: failed ones are retired first (replaced), new
    /// ones boot, surplus ones are drained from the top.
    fn scale_to(&mut self, n: usize, target: u32, a: &Autoscale) {
        let now = self.now;
        let boot = Duration::from_secs(a.boot_s);
        let mut booted = Vec::new();
        let s = &mut self.nodes[n];
        let mut healthy = s.insts.iter().filter(|i| i.active && i.up()).count() as u32;
        for inst in s.insts.iter_mut() {
            if inst.active && !inst.up() && healthy >= target {
                inst.active = false;
            }
        }
        for (k, inst) in s.insts.iter_mut().enumerate() {
            if healthy < target && !inst.active && inst.up() {
                inst.active = true;
                inst.booting = boot > Duration::ZERO;
                inst.boots = inst.boots.wrapping_add(1);
                healthy += 1;
                booted.push(k as u32);
                s.ext.slots_used = s.ext.slots_used.max(k + 1);
            }
        }
        // No spare slot was left (the tier is at its maximum): an instance that crashed on its
        // own is replaced in its slot, as a cloud group terminates an unhealthy instance and
        // launches another. (It stayed down for its whole repair time, the tier one instance
        // short, while below the maximum a spare replaced it at once.) An outage of the node
        // or of its data center is not a crash of one machine: a new one would be down too.
        let crashed: Vec<u32> = (0..s.insts.len() as u32)
            .filter(|&k| {
                let inst = &s.insts[k as usize];
                inst.active && inst.down == FaultSource::Random.hold()
            })
            .take(target.saturating_sub(healthy) as usize)
            .collect();
        healthy += crashed.len() as u32;
        for k in crashed {
            self.replace_crashed(n, k, boot);
            booted.push(k);
        }
        let s = &mut self.nodes[n];
        for inst in s.insts.iter_mut().rev() {
            if healthy > target && inst.active && inst.up() {
                // Drained, not killed: work already inside finishes.
                inst.active = false;
                inst.booting = false;
                healthy -= 1;
            }
        }
        s.active_count = s.insts.iter().filter(|i| i.active).count() as u32;
        self.recount_serving(n);
        if boot == Duration::ZERO && !booted.is_empty() {
            // Started at once, no `Booted` event will let them pull: they take waiting work
            // now. (They used to sit idle until a worker finished or a message came: 19 s of
            // a pool scaled to 5 with 8 messages waiting and 20% busy.)
            self.pull_work(n);
        }
        for k in booted {
            if boot > Duration::ZERO {
                let number = self.nodes[n].insts[k as usize].boots;
                self.events.push(
                    now + boot,
                    Event::Booted {
                        node: n as u32,
                        inst: k,
                        boot: number,
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Op;
    use crate::params::Autoscale;
    use crate::scenario::FaultAction;
    use crate::Simulation;

    /// A balancer scans only the slots of an autoscaled tier an instance ever ran in (the
    /// lowest ones, as the autoscaler starts them), wrapping from its cursor, and the slots
    /// scaling out starts join the scan; targets without an autoscaler are always whole.
    #[test]
    fn a_balancer_scans_the_slots_a_tier_has_used_not_its_standby_ones() {
        let text = r#"{"version": 1, "duration_s": 60, "warmup_s": 0, "nodes": [
            {"id": "users", "kind": "client", "params": {"rps": 2000}},
            {"id": "lb", "kind": "load_balancer"},
            {"id": "web", "kind": "server", "params": {"instances": 2, "workers": 1,
              "service_ms": {"dist": "const", "mean": 10},
              "autoscale": {"min": 2, "max": 1000, "cooldown_s": 1, "boot_s": 0}}},
            {"id": "api", "kind": "server", "params": {"instances": 3}}],
          "edges": [{"from": "users", "to": "lb"}, {"from": "lb", "to": "web"},
                    {"from": "lb", "to": "api"}]}"#;
        let mut sim = Simulation::new(crate::load(text).unwrap(), 1);
        let lb = sim.model.find("lb").unwrap().ix();
        let web = sim.model.find("web").unwrap().ix();
        // web's 1,000 slots come first, then api's 3.
        assert_eq!(sim.nodes[lb].ext.lb_targets.len(), 1003);
        let from = |sim: &Simulation, start| sim.lb_candidates(lb, start).collect::<Vec<_>>();
        assert_eq!(from(&sim, 0), [0, 1, 1000, 1001, 1002]);
        assert_eq!(from(&sim, 1001), [1001, 1002, 0, 1, 1000]);
        assert_eq!(from(&sim, 1003), [0, 1, 1000, 1001, 1002]);
        // 2,000 requests a second of 10 ms need 20 workers: the tier scales out, and the
        // slots it starts are scanned.
        sim.run_until(crate::SimTime::from_secs(30.0));
        let used = sim.nodes[web].ext.slots_used;
        assert!(used >= 20, "{used} slots used");
        assert_eq!(from(&sim, 0).len(), used + 3);
    }

    /// A tier at its autoscaler's maximum has no spare slot: a crashed instance is replaced in
    /// its slot at the next scale check (a new machine, booting), not left down for its whole
    /// repair time. It served half the requests before: the four instances carry 300 rps at
    /// 75 % busy, and with crashes every 100 s lasting 200 s it was mostly two or three short.
    #[test]
    fn a_tier_at_its_maximum_replaces_a_crashed_instance_in_its_slot() {
        let text = r#"{"version": 1, "duration_s": 2000, "warmup_s": 0, "seed": 3, "nodes": [
            {"id": "users", "kind": "client", "params": {"rps": 300, "timeout_ms": 5000}},
            {"id": "lb", "kind": "load_balancer"},
            {"id": "web", "kind": "server", "params": {"instances": 4, "workers": 10,
              "queue": 200, "service_ms": {"dist": "exp", "mean": 100},
              "autoscale": {"min": 4, "max": 4, "cooldown_s": 30, "boot_s": 5},
              "mtbf_s": 100, "mttr_s": 200}}],
          "edges": [{"from": "users", "to": "lb"}, {"from": "lb", "to": "web"}]}"#;
        let report = Simulation::new(crate::load(text).unwrap(), 3).run();
        let crashes: Vec<_> = report
            .faults
            .iter()
            .filter(|f| f.source == "random")
            .collect();
        assert!(crashes.len() > 40, "{} crashes", crashes.len());
        assert!(
            crashes.iter().all(|f| f.action == FaultAction::Fail),
            "no crash ran its repair time: each was replaced first"
        );
        for crash in &crashes {
            let replaced = report.faults.iter().find(|f| {
                f.source == "autoscaler"
                    && f.instance == crash.instance
                    && f.t_s >= crash.t_s
                    && f.t_s <= crash.t_s + 1.0
            });
            assert!(
                replaced.is_some_and(|f| f.action == FaultAction::Recover),
                "{crash:?}"
            );
        }
        // Down for the second to the next check and the 5 s boot: about 6 s of one instance in
        // four per 100 s of each, so nearly every request is answered.
        assert!(
            report.summary.availability > 0.97,
            "{}",
            report.summary.availability
        );
    }

    /// A sticky session lives in the memory of one run of its instance: scaled in and started
    /// again later, the instance is a new machine and the session is gone, as after a crash.
    /// (Only crashes counted: a user who came back after the instance's scale-in and restart
    /// found the session still there.)
    #[test]
    fn a_session_ends_when_its_instance_is_scaled_in() {
        let text = r#"{"version": 1, "duration_s": 10, "warmup_s": 0, "nodes": [
            {"id": "users", "kind": "client"},
            {"id": "web", "kind": "server", "params": {"instances": 2, "stateful_sessions": true,
              "autoscale": {"min": 1, "max": 2, "boot_s": 0}}}],
          "edges": [{"from": "users", "to": "web"}]}"#;
        let mut sim = Simulation::new(crate::load(text).unwrap(), 1);
        let web = sim.model.find("web").unwrap().ix();
        let lost = |sim: &Simulation| sim.nodes[web].stats.sessions_lost;
        let req = sim.alloc_req(Op::Read, 42, 0);
        sim.check_session(req, web, 1);
        sim.check_session(req, web, 1);
        assert_eq!(lost(&sim), 0, "the same instance keeps the session");
        let scaling = Autoscale {
            min: 1,
            max: 2,
            boot_s: 0.0,
            ..Autoscale::default()
        };
        sim.scale_to(web, 1, &scaling);
        assert!(!sim.nodes[web].insts[1].active, "instance 1 scaled in");
        sim.scale_to(web, 2, &scaling);
        assert!(sim.nodes[web].insts[1].active, "and started again");
        sim.check_session(req, web, 1);
        assert_eq!(lost(&sim), 1, "the restarted instance has no session");
    }
}
