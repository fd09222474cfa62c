//! How a request moves: arrivals, delivery to a node, service, replies travelling back up the
//! call stack, and each kind's plan of downstream calls (PRODUCT.md §2, "routing is by request
//! type and the kinds of downstream nodes").
//!
//! A request attempt carries a stack of [`Frame`]s, one per node it is inside. A node calls the
//! next one by scheduling a `Deliver` after the edge's latency; when that node answers, its frame
//! is popped and a `Reply` reaches the caller after the same latency, which resumes its plan at
//! `frame.step`. A client's frame is at the bottom of the stack, except for a direct request
//! (no retries, no timeout): its client keeps nothing while waiting, so it has no frame, and
//! the reply to it is recognised by the empty stack.

use crate::engine::events::{Event, ReqId, NO_INST};
use crate::engine::hash::{self, partition};
use crate::engine::state::{Msg, NodeState};
use crate::engine::{
    Cause, Frame, Logical, Outcome, Req, Simulation, DIRECT, MAX_LIVE_REQUESTS,
    MAX_QUEUED_MESSAGES, MAX_REQUEST_SLOTS, ORPHAN, UNLIMITED,
};
use crate::model::{NodeId, Op, Routes};
use crate::params::{Algorithm, Params, ShardStrategy};
use crate::scenario::Kind;
use crate::time::{Duration, SimTime};

/// Zero-latency calls and replies are handled inline, nested at most this deep (then through the
/// event heap), so long chains of co-located nodes cannot exhaust the stack (1 MiB in wasm).
const MAX_INLINE_DEPTH: u32 = 16;

/// Targets a random balancer draws before it counts the healthy ones (see `choose_target`).
const RANDOM_PICK_TRIES: u32 = 8;

/// Most messages of a queue one pool instance takes in a row, its workers permitting (see
/// `free_consumer`): bounds a round when a pool's workers are unlimited.
const MAX_TURNS_IN_A_ROW: u32 = 1_024;

// Steps of a server's plan.
const S_START: u8 = 0;
const S_SESSION_DONE: u8 = 1;
const S_CACHE_DONE: u8 = 2;
const S_READ_DONE: u8 = 3;
const S_WRITE_DONE: u8 = 4;
const S_FORWARD_DONE: u8 = 5;
/// The server's read-through cache was up but its fetch failed: the error is the answer.
const S_CACHE_FETCH_FAILED: u8 = 6;
// Steps of a worker's job.
const J_WRITE_DONE: u8 = 10;
const J_STORE_DONE: u8 = 11;
const J_QUEUE_DONE: u8 = 12;
// Steps of a read-through cache.
const C_FETCH_DONE: u8 = 20;
// Step of a CDN frame whose request the edge is serving (a hit).
const CDN_HIT: u8 = 30;

// Inlining: every request passes through the arrival, delivery and reply functions below, and
// several are short next to a call's cost (saved registers, stack frame). The `#[inline]`
// marks on them were chosen by counting instructions per M/M/4 customer with cachegrind
// (`call`, `start_service`, `release` and `on_reply` are forced: LLVM ignored the hint);
// forcing more (`deliver_station`, `on_deliver`) made the whole path slower as LLVM then
// stopped inlining other callees. Rare paths are kept out of line with `#[inline(never)]`.

impl Simulation {
    // ---- clients ------------------------------------------------------------------------

    pub(crate) fn on_arrival(&mut self, k: u32) {
        self.schedule_arrival(k);
        let c = &self.clients[k as usize];
        let node = c.node as usize;
        if self.nodes[node].serving == 0 {
            return; // the whole user population is offline (its region failed)
        }
        let op = match c.only_op {
            Some(op) => op, // a mix of one request type: nothing to draw
            None => {
                let u = self.rng.uniform();
                Op::REQUEST_TYPES[c.mix_cdf.iter().position(|x| u < *x).unwrap_or(0)]
            }
        };
        let user = c.zipf.sample(&mut self.rng);
        let Params::Client(p) = &self.model.nodes[node].params else {
            return;
        };
        let retries = p.retries;
        let counted = self.now >= self.model.warmup;
        self.global.offer(|| k as usize, counted);
        self.window.offered += 1;
        let client = c.node;
        let fixed_entry = c.fixed_entry;
        if self.free_reqs.is_empty() && self.reqs.len() >= MAX_REQUEST_SLOTS {
            // Every request slot is live: refused like a full backlog's (see the constant).
            self.refused_at_limit += 1;
            self.request_done(client, self.now, counted, Some(Cause::Rejected));
            return;
        }
        if c.direct {
            // Without retries or a timeout the first attempt is the whole request: it carries
            // its start and counting itself, and no `Logical` is kept (a slot to fill, check
            // and free per request, for nothing).
            let req = self.alloc_req(op, user, client);
            let r = &mut self.reqs[req as usize];
            r.logical = DIRECT;
            r.start = self.now;
            r.counted = counted;
            // Nor a frame for the client at the bottom of its stack: when its last frame is
            // popped, `respond` replies to the client all the same.
            match fixed_entry {
                Some((entry, hop)) => {
                    self.call_over(req, entry, op, NO_INST, Duration::ZERO, hop);
                }
                None => {
                    let entry = self.pick_entry(client, op, None, None);
                    self.call(req, client, entry, op, NO_INST, Duration::ZERO);
                }
            }
            return;
        }
        let logical = Logical {
            live: true,
            gen: 0,
            start: self.now,
            counted,
            retries_left: retries,
            client,
            op,
            user,
        };
        let id = match self.free_logicals.pop() {
            Some(id) => {
                let gen = self.logicals[id as usize].gen.wrapping_add(1);
                self.logicals[id as usize] = Logical { gen, ..logical };
                id
            }
            None => {
                self.logicals.push(logical);
                (self.logicals.len() - 1) as u32
            }
        };
        self.start_attempt(id);
    }

    #[inline(always)]
    fn start_attempt(&mut self, logical: u32) {
        let l = self.logicals[logical as usize];
        let req = self.alloc_req(l.op, l.user, l.client);
        let r = &mut self.reqs[req as usize];
        r.logical = logical;
        r.logical_gen = l.gen;
        let Params::Client(p) = &self.model.nodes[l.client as usize].params else {
            return;
        };
        self.launch(req, l.client, l.op, p.timeout_ms);
    }

    /// Sends attempt `req` of `client` on its way: the client's frame at the bottom of its
    /// stack, the client's timeout, and the call to an entry node.
    #[inline(always)]
    fn launch(&mut self, req: ReqId, client: u32, op: Op, timeout_ms: Option<f64>) {
        self.reqs[req as usize].frames.push(Frame {
            node: client,
            inst: 0,
            step: 0,
            holds: false,
            epoch: 0,
            arrived: self.now,
            op,
            aux: 0,
            hop: Duration::ZERO,
        });
        if let Some(t) = timeout_ms {
            let gen = self.reqs[req as usize].gen;
            self.events.push(
                self.now + Duration::from_millis(t),
                Event::Timeout { req, gen },
            );
        }
        let entry = self.pick_entry(client, op, None, None);
        self.call(req, client, entry, op, NO_INST, Duration::ZERO);
    }

    #[inline(always)]
    pub(crate) fn alloc_req(&mut self, op: Op, user: u64, client: u32) -> ReqId {
        let id = match self.free_reqs.pop() {
            Some(id) => id,
            None => {
                self.reqs.push(Req {
                    live: false,
                    gen: 0,
                    op,
                    user,
                    client,
                    logical: 0,
                    logical_gen: 0,
                    start: SimTime::ZERO,
                    counted: false,
                    job: None,
                    abandoned: false,
                    stale_read: false,
                    frames: Vec::with_capacity(8),
                    outcome: Outcome::Ok,
                    next_op: op,
                    next_hop: Duration::ZERO,
                });
                (self.reqs.len() - 1) as ReqId
            }
        };
        let r = &mut self.reqs[id as usize];
        r.live = true;
        r.gen = r.gen.wrapping_add(1);
        r.op = op;
        r.user = user;
        r.client = client;
        r.job = None;
        r.abandoned = false;
        r.frames.clear();
        r.outcome = Outcome::Ok;
        r.next_op = op;
        id
    }

    #[inline]
    fn free_req(&mut self, req: ReqId) {
        let r = &mut self.reqs[req as usize];
        r.live = false;
        r.frames.clear();
        self.free_reqs.push(req);
    }

    pub(crate) fn on_timeout(&mut self, req: ReqId, gen: u32) {
        let r = &self.reqs[req as usize];
        if !r.live || r.gen != gen || r.abandoned || r.job.is_some() {
            return;
        }
        let (logical, lgen) = (r.logical, r.logical_gen);
        self.reqs[req as usize].abandoned = true;
        self.attempt_failed(logical, lgen, Cause::Timeout);
    }

    /// The client got its answer for attempt `req` (bottom frame reached).
    #[inline(always)]
    fn finish_attempt(&mut self, req: ReqId) {
        let r = &self.reqs[req as usize];
        let (abandoned, outcome, logical, lgen) =
            (r.abandoned, r.outcome, r.logical, r.logical_gen);
        let (start, counted, direct, client) = (r.start, r.counted, r.is_direct(), r.client);
        self.free_req(req);
        if direct {
            // The whole request (never abandoned: its client has no timeout). As
            // `logical_done` after `attempt_failed` without retries left.
            let failure = match outcome {
                Outcome::Ok | Outcome::Miss => None,
                Outcome::Err(c) => Some(c),
            };
            self.request_done(client, start, counted, failure);
            return;
        }
        if abandoned {
            return; // the client already counted this attempt as timed out
        }
        match outcome {
            Outcome::Ok | Outcome::Miss => self.logical_done(logical, lgen, None),
            Outcome::Err(c) => self.attempt_failed(logical, lgen, c),
        }
    }

    fn attempt_failed(&mut self, logical: u32, gen: u32, cause: Cause) {
        let l = &mut self.logicals[logical as usize];
        if !l.live || l.gen != gen {
            return;
        }
        if l.retries_left > 0 {
            l.retries_left -= 1;
            let Params::Client(p) = &self.model.nodes[l.client as usize].params else {
                return;
            };
            let at = self.now + Duration::from_millis(p.retry_backoff_ms);
            self.events.push(at, Event::Retry { logical, gen });
        } else {
            self.logical_done(logical, gen, Some(cause));
        }
    }

    /// A retry's backoff is over. Counted now, when it is sent, not when it was planned: one
    /// due after the run's end, or after its request timed out, never happened.
    pub(crate) fn on_retry(&mut self, logical: u32, gen: u32) {
        let l = &self.logicals[logical as usize];
        if l.live && l.gen == gen {
            // Counted with its request: a request of the warm-up is not in the summary, nor
            // are its retries.
            if l.counted {
                let index = &self.client_index;
                self.global.retry(|| index[l.client as usize] as usize);
            }
            self.start_attempt(logical);
        }
    }

    #[inline]
    fn logical_done(&mut self, logical: u32, gen: u32, failure: Option<Cause>) {
        let l = self.logicals[logical as usize];
        if !l.live || l.gen != gen {
            return;
        }
        self.logicals[logical as usize].live = false;
        self.free_logicals.push(logical);
        self.request_done(l.client, l.start, l.counted, failure);
    }

    /// A request of the client at node `client` that started at `start` ended (succeeded when
    /// `failure` is none).
    // Out of line: inlined, LLVM moved the two histogram records out instead, at a higher
    // cost (counted with cachegrind).
    #[inline(never)]
    fn request_done(&mut self, client: u32, start: SimTime, counted: bool, failure: Option<Cause>) {
        let latency = self.now.since(start).0;
        let index = &self.client_index;
        let k = || index[client as usize] as usize;
        self.global.complete(k, counted, failure, latency);
        self.window.complete(failure, latency);
    }

    // ---- calls and replies ------------------------------------------------------------------

    /// `from` calls `to` with `op`, after `extra` of local delay plus the edge's latency.
    #[inline(always)]
    pub(crate) fn call(
        &mut self,
        req: ReqId,
        from: u32,
        to: NodeId,
        op: Op,
        inst: u32,
        extra: Duration,
    ) {
        let hop = self.model.latency(NodeId(from), to);
        self.call_over(req, to, op, inst, extra, hop);
    }

    /// A call whose network delay each way is `hop` (a call with no edge of its own).
    #[inline(always)]
    fn call_over(
        &mut self,
        req: ReqId,
        to: NodeId,
        op: Op,
        inst: u32,
        extra: Duration,
        hop: Duration,
    ) {
        let r = &mut self.reqs[req as usize];
        r.next_op = op;
        r.next_hop = hop;
        let at = self.now + extra + hop;
        if at == self.now && self.inline_depth < MAX_INLINE_DEPTH {
            // A zero-latency hop happens now: handle it inline instead of through the heap.
            self.inline_depth += 1;
            self.on_deliver(req, to.0, inst);
            self.inline_depth -= 1;
        } else {
            self.events.push(
                at,
                Event::Deliver {
                    req,
                    node: to.0,
                    inst,
                },
            );
        }
    }

    /// The node at the top of `req`'s stack answers `outcome` after `delay`: its own answer,
    /// counted against it when it is a failure (see [`Simulation::relay`]).
    #[inline(always)]
    pub(crate) fn respond(&mut self, req: ReqId, outcome: Outcome, delay: Duration) {
        self.answer(req, outcome, delay, true);
    }

    /// The node at the top of `req`'s stack passes on the answer it got from downstream. A
    /// failure passed on counts as an error of the node, not as its own refusal or outage
    /// (a DNS in front of a crashed server did not go down).
    #[inline(always)]
    pub(crate) fn relay(&mut self, req: ReqId) {
        let outcome = self.reqs[req as usize].outcome;
        self.answer(req, outcome, Duration::ZERO, false);
    }

    // Out of line, one copy for both: inlined into each, the latency record no longer fit
    // (cachegrind: 21 more instructions per request).
    #[inline(never)]
    fn answer(&mut self, req: ReqId, outcome: Outcome, delay: Duration, own: bool) {
        let Some(f) = self.reqs[req as usize].frames.pop() else {
            return;
        };
        let n = f.node as usize;
        let s = &mut self.nodes[n];
        s.inside.down(self.now);
        let st = &mut s.stats;
        if f.arrived >= st.since {
            match outcome {
                Outcome::Ok | Outcome::Miss => {
                    st.ok += 1;
                    // Successes only, as the summary: refusals and outages are often
                    // instant, and would make a node look faster the more it fails.
                    st.record_latency((self.now + delay).since(f.arrived).0);
                }
                Outcome::Err(_) if !own => st.errors += 1,
                Outcome::Err(Cause::Rejected) => st.rejected += 1,
                Outcome::Err(Cause::Down) => st.down += 1,
                Outcome::Err(Cause::Timeout) => st.errors += 1,
            }
        } else if matches!(outcome, Outcome::Ok | Outcome::Miss) {
            // Arrived before the stats began (the warm-up): counts in the throughput only.
            st.straddled += 1;
        }
        if f.holds {
            self.release(n, f.inst, f.epoch);
        }
        let r = &mut self.reqs[req as usize];
        r.outcome = outcome;
        // With no frame left, only a direct request has a caller: its client, which has no
        // frame of its own (see `on_arrival`).
        if r.frames.is_empty() && !r.is_direct() {
            if r.is_orphan() {
                self.end_orphan(req);
            }
            return;
        }
        // The reply travels the edge the call came over (`Frame::hop`).
        let at = self.now + delay + f.hop;
        if at == self.now && self.inline_depth < MAX_INLINE_DEPTH {
            self.inline_depth += 1;
            self.on_reply(req);
            self.inline_depth -= 1;
        } else {
            self.events.push(at, Event::Reply { req });
        }
    }

    #[inline(always)]
    pub(crate) fn on_reply(&mut self, req: ReqId) {
        let Some(top) = self.reqs[req as usize].frames.last().copied() else {
            // A direct request's answer reached its client (see `respond`).
            if self.reqs[req as usize].is_direct() {
                self.finish_attempt(req);
            } else if self.reqs[req as usize].is_orphan() {
                // The answer was on its way to an instance that crashed meanwhile.
                self.end_orphan(req);
            }
            return;
        };
        let outcome = self.reqs[req as usize].outcome;
        let node = NodeId(top.node);
        match self.model.node(node).kind {
            Kind::Client => self.finish_attempt(req),
            Kind::Queue
                if self.reqs[req as usize].job.is_some()
                    && self.reqs[req as usize].frames.len() == 1 =>
            {
                self.finish_job(req)
            }
            Kind::LoadBalancer | Kind::Cdn | Kind::ShardRouter => {
                self.reply_at_proxy(req, top, outcome)
            }
            Kind::Server | Kind::WorkerPool | Kind::Cache => {
                let inst = &self.nodes[node.ix()].insts[top.inst as usize];
                if inst.epoch != top.epoch {
                    // The instance crashed while this request waited downstream.
                    self.respond(req, Outcome::Err(Cause::Down), Duration::ZERO);
                } else if self.model.node(node).kind == Kind::Cache {
                    self.cache_fetched(req, outcome);
                } else if self.model.node(node).kind == Kind::WorkerPool {
                    self.advance_job(req);
                } else {
                    self.advance_server(req);
                }
            }
            _ => self.relay(req),
        }
    }

    /// An answer reaching a balancer, CDN or shard router on its way back. Out of line: none
    /// is on the path of the simplest models, whose `on_reply` it would otherwise slow (25
    /// instructions per request on the M/M/4 benchmark, inlined).
    #[inline(never)]
    fn reply_at_proxy(&mut self, req: ReqId, top: Frame, outcome: Outcome) {
        let node = NodeId(top.node);
        let kind = self.model.node(node).kind;
        self.close_connection(&top);
        if self.crashed_under(&top) {
            // A proxy that crashed while the request was below it lost the connection, as a
            // server loses the requests it holds: the answer has no way back. (Balancers and
            // CDNs used to pass it on: 200 requests inside a balancer that was down for 0.1 s
            // all succeeded.)
            return self.respond(req, Outcome::Err(Cause::Down), Duration::ZERO);
        }
        // A CDN's hit was served at the edge and is already there; a fetched miss is stored.
        if kind == Kind::Cdn
            && outcome == Outcome::Ok
            && top.op == Op::Static
            && top.step != CDN_HIT
        {
            let user = self.reqs[req as usize].user;
            if let Some(edge) = &mut self.nodes[node.ix()].ext.edge {
                edge.put(user, SimTime(u64::MAX));
            }
        }
        self.relay(req);
    }

    /// A balancer's frame is done with the target it picked: that target has one connection
    /// less (least connections counts them).
    fn close_connection(&mut self, frame: &Frame) {
        if self.model.nodes[frame.node as usize].kind != Kind::LoadBalancer {
            return;
        }
        let lb = &self.nodes[frame.node as usize];
        if let Some(&(t, i)) = lb.ext.lb_targets.get(frame.aux as usize) {
            let inst = &mut self.nodes[t.ix()].insts[i as usize];
            inst.conns = inst.conns.saturating_sub(1);
        }
    }

    /// An orphan's work is done and nobody waits for it. Out of line and cold: rare, and
    /// inlined into `answer` it made the M/M/4 benchmark run 2% more instructions, none of
    /// them its own (cachegrind: 105.0 M against 102.6 M).
    #[cold]
    #[inline(never)]
    fn end_orphan(&mut self, req: ReqId) {
        self.free_req(req);
    }

    /// Instance `inst` of node `n` crashed (its instance epoch was `epoch`): the requests
    /// that were waiting there on a call below, or whose call or answer was on the wire,
    /// lost their connection. Their callers hear "down" now, not when the call below would
    /// have answered: a server waiting 1 s on its database used to fail its requests up to
    /// 1 s after its crash, and their retries found it back up. The work below runs on and
    /// answers no one. (Requests in service or queued there are answered by the crash
    /// itself; jobs are left to their queue's visibility timeout, as messages a crashed
    /// worker held.)
    pub(crate) fn cut_off_at_crash(&mut self, n: usize, inst: u32, epoch: u32) {
        // By index: answering a caller may start other requests (pushed after `len`, or in
        // freed slots holding no frame of the crash).
        for req in 0..self.reqs.len() {
            let r = &self.reqs[req];
            if !r.live || r.job.is_some() {
                continue;
            }
            let crashed = r
                .frames
                .iter()
                .position(|f| f.node as usize == n && f.inst == inst && f.epoch == epoch);
            if let Some(depth) = crashed {
                self.split_at_crash(req as ReqId, depth);
            }
        }
    }

    /// Splits `req` at its frame `depth`, whose instance crashed: the frames up to it become a
    /// new record that answers "down" from there at once; the frames above stay in `req`
    /// (which the pending events name) as an orphan.
    fn split_at_crash(&mut self, req: ReqId, depth: usize) {
        let r = &mut self.reqs[req as usize];
        let below: Vec<Frame> = r.frames.drain(..=depth).collect();
        let taken = (r.op, r.user, r.client, r.logical, r.logical_gen);
        let (start, counted, abandoned, outcome) = (r.start, r.counted, r.abandoned, r.outcome);
        // The client's timeout (named by `req`) finds the orphan abandoned and lets it be: the
        // caller's answer is on its way.
        r.logical = ORPHAN;
        r.abandoned = true;
        let (op, user, client, logical, logical_gen) = taken;
        let caller = self.alloc_req(op, user, client);
        let c = &mut self.reqs[caller as usize];
        c.logical = logical;
        c.logical_gen = logical_gen;
        c.start = start;
        c.counted = counted;
        c.abandoned = abandoned;
        c.outcome = outcome;
        c.frames.extend(below);
        let crashed = *self.reqs[caller as usize]
            .frames
            .last()
            .expect("the crashed frame");
        self.close_connection(&crashed);
        self.respond(caller, Outcome::Err(Cause::Down), Duration::ZERO);
    }

    /// Whether the instance of `frame` crashed after the request reached it.
    fn crashed_under(&self, frame: &Frame) -> bool {
        self.nodes[frame.node as usize]
            .insts
            .get(frame.inst as usize)
            .is_some_and(|i| i.epoch != frame.epoch)
    }

    // ---- delivery ---------------------------------------------------------------------------

    #[inline(always)]
    fn push_frame(&mut self, req: ReqId, node: u32, inst: u32) {
        let epoch = self.nodes[node as usize]
            .insts
            .get(inst as usize)
            .map_or(0, |i| i.epoch);
        self.nodes[node as usize].inside.up(self.now);
        let r = &mut self.reqs[req as usize];
        let (op, hop) = (r.next_op, r.next_hop);
        r.frames.push(Frame {
            node,
            inst,
            step: 0,
            holds: false,
            epoch,
            arrived: self.now,
            op,
            aux: 0,
            hop,
        });
    }

    pub(crate) fn on_deliver(&mut self, req: ReqId, node: u32, inst_hint: u32) {
        let id = NodeId(node);
        let kind = self.model.node(id).kind;
        match kind {
            Kind::Dns => self.deliver_dns(req, node),
            Kind::Cdn => self.deliver_cdn(req, node),
            Kind::LoadBalancer => self.deliver_lb(req, node),
            Kind::ShardRouter => self.deliver_router(req, node),
            Kind::Queue => self.deliver_queue(req, node),
            Kind::Client => {}
            Kind::Cache | Kind::Nosql | Kind::SessionStore => {
                self.deliver_keyed(req, node, inst_hint);
            }
            _ => {
                let inst = if inst_hint == NO_INST {
                    self.pick_instance(node)
                } else {
                    inst_hint
                };
                self.deliver_station(req, node, inst);
            }
        }
    }

    /// The instance of a station (a keyed store's is its user's partition: see
    /// `deliver_keyed`) that takes a request when no balancer chose one, or `NO_INST` when
    /// none can.
    #[inline]
    fn pick_instance(&mut self, node: u32) -> u32 {
        // Round robin from the cursor (at most `len`, as it is set to `i + 1` below), wrapping
        // without a division: this runs for every request.
        let s = &mut self.nodes[node as usize];
        // Standby slots never started cannot serve: not scanned.
        let len = s.ext.slots_used;
        let mut i = if s.ext.cursor >= len { 0 } else { s.ext.cursor };
        for _ in 0..len {
            if s.insts[i].serving() {
                s.ext.cursor = i + 1;
                return i as u32;
            }
            i = if i + 1 == len { 0 } else { i + 1 };
        }
        // No instance is running: every one failed, or the tier's only ones are an
        // autoscaler's standby slots (up, but not started). The request finds it down.
        NO_INST
    }

    /// A call reaches keyed store `node` (cache, NoSQL, session store): a user's key lives on
    /// one shard or partition, which takes it (unless a balancer chose an instance), counted
    /// so that a hot key's partition shows in the report (the node's utilization is the mean
    /// over its partitions, which hides it). Its own arm of `on_deliver`, out of line: as a
    /// branch of `pick_instance`, counting cost every request of a plain server 4 to 13
    /// instructions (cachegrind); apart, the server path is 5 shorter than before.
    #[inline(never)]
    fn deliver_keyed(&mut self, req: ReqId, node: u32, inst_hint: u32) {
        let n = node as usize;
        let inst = if inst_hint == NO_INST {
            let count = self.nodes[n].insts.len();
            let p = partition(self.reqs[req as usize].user, count as u64) as usize;
            let counts = &mut self.nodes[n].stats.by_partition;
            if counts.len() <= p {
                counts.resize(count, 0);
            }
            counts[p] += 1;
            p as u32
        } else {
            inst_hint
        };
        self.deliver_station(req, node, inst);
    }

    fn node_down(&self, node: u32) -> bool {
        self.nodes[node as usize].serving == 0
    }

    fn deliver_station(&mut self, req: ReqId, node: u32, inst: u32) {
        let n = node as usize;
        let none = inst == NO_INST;
        let inst = inst.min(self.nodes[n].insts.len().saturating_sub(1) as u32);
        self.push_frame(req, node, inst);
        // No instance, or a crashed or still-booting one, answers "down". A draining one
        // (scaled in: up, no longer active) still serves the requests already on their way to
        // it, as with connection draining; refusing them made scaling in alone produce "down"
        // errors.
        let s = &self.nodes[n];
        let i = &s.insts[inst as usize];
        if none || !i.up() || i.booting {
            self.respond(req, Outcome::Err(Cause::Down), Duration::ZERO);
            return;
        }
        if s.holds_sessions {
            self.check_session(req, n, inst);
        }
        let s = &self.nodes[n];
        let i = &s.insts[inst as usize];
        if s.workers == UNLIMITED || i.busy < s.workers {
            self.start_service(req, n, inst);
        } else if s.backlog_limit.is_some_and(|l| i.backlog.len() as u64 >= l) {
            self.respond(req, Outcome::Err(Cause::Rejected), Duration::ZERO);
        } else if self.reqs.len() >= MAX_LIVE_REQUESTS + self.free_reqs.len() {
            self.refuse_at_limit(req);
        } else {
            let s = &mut self.nodes[n];
            s.queued.up(self.now);
            s.insts[inst as usize].backlog.push_back(req);
        }
    }

    /// A request that would wait in a backlog while [`MAX_LIVE_REQUESTS`] are in the system is
    /// refused there, as by a full backlog, and counted as the node's rejection: the tier
    /// whose backlog holds the run's requests refuses, as a `queue` limit would have it do,
    /// and requests to idle tiers go on. (Arrivals were refused at every client instead:
    /// users of an idle data center lost half their requests to another's overload, and no
    /// node was blamed.)
    #[cold]
    #[inline(never)]
    fn refuse_at_limit(&mut self, req: ReqId) {
        self.refused_at_limit += 1;
        self.respond(req, Outcome::Err(Cause::Rejected), Duration::ZERO);
    }

    /// Sticky sessions: a user whose session lived on another (or a crashed) instance loses it.
    pub(crate) fn check_session(&mut self, req: ReqId, n: usize, inst: u32) {
        let r = &self.reqs[req as usize];
        if !matches!(r.op, Op::Read | Op::Write) || r.job.is_some() {
            return;
        }
        let user = r.user;
        let i = &self.nodes[n].insts[inst as usize];
        // A session lives in the memory of one run of one instance: a crash ends it, and so
        // does a scale-in (a later start of that instance is a new machine). Only crashes
        // were counted, so sessions outlived their instance's scale-in and came back with it.
        let (epoch, boots) = (i.epoch, i.boots);
        let s = &mut self.nodes[n];
        if s.ext.sessions.visit(user, inst, epoch, boots) {
            if self.now >= s.stats.since {
                s.stats.sessions_lost += 1;
            }
            self.global.sessions_lost += u64::from(self.now >= self.model.warmup);
        }
    }

    #[inline(always)]
    fn start_service(&mut self, req: ReqId, n: usize, inst: u32) {
        let s = &mut self.nodes[n];
        s.busy.up(self.now);
        s.insts[inst as usize].busy += 1;
        let epoch = s.insts[inst as usize].epoch;
        let r = &mut self.reqs[req as usize];
        let Some(f) = r.frames.last_mut() else { return };
        f.holds = true;
        f.epoch = epoch;
        let op = f.op;
        let ms = self.service_ms(n, op);
        let at = self.now + Duration::from_millis(ms);
        self.events.push_inline(at, Event::ServiceDone { req });
    }

    /// A draw of node `n`'s service time for `op`, in ms (0 for a node without one).
    // Out of line: inlined, it made the two callers on every request's path larger than the
    // call saves (counted with cachegrind).
    #[inline(never)]
    fn service_ms(&mut self, n: usize, op: Op) -> f64 {
        let d = &self.dists[n];
        let dist = match op {
            Op::Read => d[0],
            Op::Write => d[1],
            _ => d[2],
        };
        dist.map_or(0.0, |d| d.sample_ms(&mut self.rng))
    }

    /// Frees a worker and gives it the next request waiting, if any.
    #[inline(always)]
    pub(crate) fn release(&mut self, n: usize, inst: u32, epoch: u32) {
        let now = self.now;
        let s = &mut self.nodes[n];
        let i = &mut s.insts[inst as usize];
        if i.epoch != epoch {
            return; // the crash already freed every worker of that instance
        }
        i.busy = i.busy.saturating_sub(1);
        s.busy.down(now);
        if i.up() {
            if let Some(next) = i.backlog.pop_front() {
                s.queued.down(now);
                self.start_service(next, n, inst);
                return;
            }
            if !i.active && i.busy == 0 {
                // A drained instance finished its last request: its workers leave the capacity.
                self.recount_serving(n);
            }
        }
        if self.model.nodes[n].kind == Kind::WorkerPool {
            self.pull_work(n);
        }
    }

    /// Lets the free workers of pool `n` take messages from the queues feeding it, the next
    /// queue first each time: a pool fed by two queues serves both alike. (Taken in the order
    /// of the edges, the first queue had every worker it wanted: 100% of its producers'
    /// messages went through and 34% of the other's, where each should have had about 67%.)
    pub(crate) fn pull_work(&mut self, n: usize) {
        let count = self.nodes[n].ext.feeders.len();
        if count == 0 {
            return;
        }
        let first = self.nodes[n].ext.next_feeder % count;
        self.nodes[n].ext.next_feeder = (first + 1) % count;
        // By index, not over a copy: this runs each time a pool's worker is released.
        for k in 0..count {
            let q = self.nodes[n].ext.feeders[(first + k) % count];
            self.dispatch(q.ix());
        }
    }

    pub(crate) fn on_service_done(&mut self, req: ReqId) {
        // The frame being served stays on top until now (see `Event::ServiceDone`).
        let Some(&top) = self.reqs[req as usize].frames.last() else {
            return;
        };
        let n = top.node as usize;
        if self.nodes[n].insts[top.inst as usize].epoch != top.epoch {
            self.respond(req, Outcome::Err(Cause::Down), Duration::ZERO);
            return;
        }
        match self.model.nodes[n].kind {
            // Nothing to call for any op: answer now, skipping the plan's checks (they would
            // all fall through). A non-blocking server would first release its worker, which
            // `respond` does just the same, before the reply.
            Kind::Server if top.step == S_START && self.nodes[n].calls_nothing => {
                self.respond(req, Outcome::Ok, Duration::ZERO)
            }
            Kind::Server => {
                if let Params::Server(p) = &self.model.nodes[n].params {
                    if !p.blocking {
                        self.release_top(req);
                    }
                }
                self.advance_server(req);
            }
            Kind::WorkerPool => self.advance_job(req),
            Kind::Cache => self.cache_looked_up(req, top),
            Kind::SqlPrimary | Kind::SqlReplica => self.sql_done(req, top),
            Kind::Nosql => self.nosql_done(req, top),
            _ => self.respond(req, Outcome::Ok, Duration::ZERO),
        }
    }

    /// A cache finished its lookup for the request in `top`: a hit answers, a miss reads
    /// through to a database when it has one. Out of line (as `sql_done`) to keep
    /// `on_service_done` small on every request's path.
    #[inline(never)]
    fn cache_looked_up(&mut self, req: ReqId, top: Frame) {
        let (node, n) = (top.node, top.node as usize);
        let user = self.reqs[req as usize].user;
        let now = self.now;
        let found = self.nodes[n].insts[top.inst as usize]
            .store
            .as_mut()
            .and_then(|s| s.lookup(user, now));
        self.count_read(n);
        let st = &mut self.nodes[n].stats;
        if let Some(stale) = found {
            st.hits += 1;
            if stale {
                self.read_stale(req, n);
            }
            self.respond(req, Outcome::Ok, Duration::ZERO);
        } else {
            st.misses += 1;
            if self.model.nodes[n].routes.readers.is_empty() {
                self.respond(req, Outcome::Miss, Duration::ZERO);
            } else {
                // Read-through: the lookup is done; the fetch does not hold a worker.
                self.release_top(req);
                // As a server's read: the primary when every replica is down.
                let writer = self.model.nodes[n].routes.writer;
                let reader = self.pick_reader(n, writer);
                self.set_step(req, C_FETCH_DONE);
                self.call(req, node, reader, Op::Read, NO_INST, Duration::ZERO);
            }
        }
    }

    /// A SQL primary or replica finished the request in `top`: writes are remembered for
    /// stale-read checks, reads on a replica may be stale.
    #[inline(never)]
    fn sql_done(&mut self, req: ReqId, top: Frame) {
        let (n, op) = (top.node as usize, top.op);
        let user = self.reqs[req as usize].user;
        // Fresh unless found stale below (see `Req::stale_read`).
        self.reqs[req as usize].stale_read = false;
        if self.model.nodes[n].kind == Kind::SqlPrimary {
            // Write times only matter to replicas (stale reads); without any, keep no
            // per-user state, so memory stays flat however many users write.
            if op == Op::Write && !self.model.nodes[n].routes.replicas.is_empty() {
                self.nodes[n].ext.last_write.record(user, self.now);
            }
        } else if let Some(p) = self.nodes[n].ext.primary {
            if op == Op::Write {
                self.nodes[p.ix()].ext.last_write.record(user, self.now);
            } else {
                self.count_read(n);
                // (Promoted in place of its primary, it takes the writes itself: nothing it
                // reads can be stale.)
                if self.nodes[p.ix()].ext.promoted != Some(NodeId(n as u32)) {
                    // Its lag when caught up, plus what it has not replayed since it was down.
                    let ext = &self.nodes[n].ext;
                    let behind = Duration(ext.behind.at(self.now));
                    let lag = Duration::from_millis(ext.replication_ms) + behind;
                    let written = self.nodes[p.ix()].ext.last_write.get(user);
                    self.stale_if_written_within(req, n, written, lag);
                }
            }
        }
        self.respond(req, Outcome::Ok, Duration::ZERO);
    }

    /// A NoSQL store finished the request in `top`. Eventually consistent: a write reaches
    /// the other copies of its key `lag_ms` later, so a read of a key written less than that
    /// ago is stale (read from a copy the write has not reached; as with a replica, every
    /// such read counts, whichever copy answers). Out of line, as `sql_done`.
    #[inline(never)]
    fn nosql_done(&mut self, req: ReqId, top: Frame) {
        let n = top.node as usize;
        self.reqs[req as usize].stale_read = false;
        if top.op != Op::Write {
            self.count_read(n);
        }
        let ext = &self.nodes[n].ext;
        if ext.replication_ms > 0.0 {
            let user = self.reqs[req as usize].user;
            if top.op == Op::Write {
                self.nodes[n].ext.last_write.record(user, self.now);
            } else {
                let lag = Duration::from_millis(ext.replication_ms);
                let written = ext.last_write.get(user);
                self.stale_if_written_within(req, n, written, lag);
            }
        }
        self.respond(req, Outcome::Ok, Duration::ZERO);
    }

    /// Counts a read at node `n` after the warm-up: its stale reads are a share of these.
    fn count_read(&mut self, n: usize) {
        let st = &mut self.nodes[n].stats;
        if self.now >= st.since {
            st.reads += 1;
        }
    }

    /// A read of `req` at node `n` of a key last `written` then: stale when that was less
    /// than `lag` ago (the write had not reached the copy read).
    fn stale_if_written_within(
        &mut self,
        req: ReqId,
        n: usize,
        written: Option<SimTime>,
        lag: Duration,
    ) {
        if written.is_some_and(|w| w + lag > self.now) {
            self.read_stale(req, n);
        }
    }

    /// Request `req` read stale data at node `n` (a replica, a NoSQL store, or a cache filled
    /// so): counted there after the warm-up, and kept on the request for a cache it fills.
    fn read_stale(&mut self, req: ReqId, n: usize) {
        self.reqs[req as usize].stale_read = true;
        let st = &mut self.nodes[n].stats;
        if self.now >= st.since {
            st.stale_reads += 1;
        }
    }

    /// The top frame stops holding its worker (non-blocking servers, read-through fetches).
    fn release_top(&mut self, req: ReqId) {
        let Some(f) = self.reqs[req as usize].frames.last_mut() else {
            return;
        };
        if f.holds {
            f.holds = false;
            let (n, inst, epoch) = (f.node as usize, f.inst, f.epoch);
            self.release(n, inst, epoch);
        }
    }

    fn set_step(&mut self, req: ReqId, step: u8) {
        if let Some(f) = self.reqs[req as usize].frames.last_mut() {
            f.step = step;
        }
    }

    fn cache_fetched(&mut self, req: ReqId, outcome: Outcome) {
        let frames = &mut self.reqs[req as usize].frames;
        if outcome == Outcome::Ok {
            if let Some(f) = frames.last().copied() {
                self.cache_put(f.node as usize, req);
            }
        } else if let [.., caller, _] = frames.as_mut_slice() {
            // The cache answered; its database did not. The server must not take that for a
            // failed cache and read the same database again behind it: that hidden retry
            // doubled the load on an overloaded database and counted its errors twice.
            if caller.step == S_CACHE_DONE {
                caller.step = S_CACHE_FETCH_FAILED;
            }
        }
        self.relay(req);
    }

    /// Stores the key of `req`'s user, just read, in the cache shard that owns it, if that
    /// shard is up; stale when the read was (it stays so until invalidated or expired).
    fn cache_put(&mut self, n: usize, req: ReqId) {
        let r = &self.reqs[req as usize];
        let (user, stale) = (r.user, r.stale_read);
        let Params::Cache(p) = &self.model.nodes[n].params else {
            return;
        };
        let expires = p
            .ttl_s
            .map_or(SimTime(u64::MAX), |t| self.now + Duration::from_secs(t));
        let count = self.nodes[n].insts.len() as u64;
        let inst = &mut self.nodes[n].insts[partition(user, count) as usize];
        if inst.up() {
            if let Some(s) = &mut inst.store {
                s.put_read(user, expires, stale);
            }
        }
    }

    fn cache_invalidate(&mut self, n: usize, user: u64) {
        let count = self.nodes[n].insts.len() as u64;
        if let Some(s) = &mut self.nodes[n].insts[partition(user, count) as usize].store {
            s.remove(user);
        }
    }

    // ---- plans of servers and workers -----------------------------------------------------------

    /// Continues a server's plan for the request at the top of the stack: session check, then
    /// by op a cache and/or database read, a write, or a forward; each downstream answer
    /// resumes here at the step set before the call.
    fn advance_server(&mut self, req: ReqId) {
        let Some(top) = self.reqs[req as usize].frames.last().copied() else {
            return;
        };
        let outcome = self.reqs[req as usize].outcome;
        match top.step {
            S_START => self.server_begin(req, top),
            S_SESSION_DONE => match outcome {
                Outcome::Err(_) => self.relay(req),
                _ => self.server_after_session(req, top),
            },
            S_CACHE_DONE => self.server_after_cache(req, top, Some(outcome)),
            S_CACHE_FETCH_FAILED => self.relay(req),
            S_READ_DONE | S_WRITE_DONE => {
                if outcome == Outcome::Ok {
                    let cache = self.model.nodes[top.node as usize].routes.cache;
                    if let Some(c) = cache {
                        let user = self.reqs[req as usize].user;
                        // A read fills the cache; a write invalidates the user's key.
                        if top.step == S_READ_DONE {
                            self.cache_put(c.ix(), req);
                        } else {
                            self.cache_invalidate(c.ix(), user);
                        }
                    }
                }
                self.relay(req)
            }
            _ => self.relay(req),
        }
    }

    /// The server's own work is done: reads and writes first check the user's session.
    fn server_begin(&mut self, req: ReqId, top: Frame) {
        let session = self.model.nodes[top.node as usize].routes.session;
        if let (Some(s), Op::Read | Op::Write) = (session, top.op) {
            self.set_step(req, S_SESSION_DONE);
            self.call(req, top.node, s, Op::Session, NO_INST, Duration::ZERO);
        } else {
            self.server_after_session(req, top);
        }
    }

    /// Routes by op: reads to the cache (or on), writes to the writer, static assets to the
    /// origin, async work to the queue, anything else forward; with nowhere to go, done.
    fn server_after_session(&mut self, req: ReqId, top: Frame) {
        let (node, op) = (top.node, top.op);
        let routes = &self.model.nodes[node as usize].routes;
        let (cache, forward, writer) = (routes.cache, routes.forward, routes.writer);
        let target = match op {
            Op::Read => {
                if let Some(c) = cache {
                    self.set_step(req, S_CACHE_DONE);
                    self.call(req, node, c, Op::Read, NO_INST, Duration::ZERO);
                } else {
                    self.server_after_cache(req, top, None);
                }
                return;
            }
            Op::Write => match writer {
                Some(w) => {
                    let w = self.resolve_writer(w);
                    self.set_step(req, S_WRITE_DONE);
                    self.call(req, node, w, Op::Write, NO_INST, Duration::ZERO);
                    return;
                }
                None => {
                    // Written by the tier behind: as a write to its own database, a success
                    // invalidates the user's key in this server's cache.
                    if let Some(f) = forward {
                        self.set_step(req, S_WRITE_DONE);
                        self.call(req, node, f, Op::Write, NO_INST, Duration::ZERO);
                        return;
                    }
                    None
                }
            },
            Op::Static => routes.static_origin.or(forward),
            Op::Async => routes.queue.or(forward),
            Op::Session => None,
        };
        match target {
            Some(t) => {
                self.set_step(req, S_FORWARD_DONE);
                self.call(req, node, t, op, NO_INST, Duration::ZERO);
            }
            None => self.respond(req, Outcome::Ok, Duration::ZERO),
        }
    }

    /// A read after the cache: `from_cache` is the cache's answer, `None` without a cache. A
    /// hit answers; otherwise the database readers, else (without a cache) forward.
    fn server_after_cache(&mut self, req: ReqId, top: Frame, from_cache: Option<Outcome>) {
        if from_cache == Some(Outcome::Ok) {
            return self.respond(req, Outcome::Ok, Duration::ZERO);
        }
        let node = top.node;
        let routes = &self.model.nodes[node as usize].routes;
        let (forward, writer) = (routes.forward, routes.writer);
        if !routes.readers.is_empty() {
            let reader = self.pick_reader(node as usize, writer);
            self.set_step(req, S_READ_DONE);
            self.call(req, node, reader, Op::Read, NO_INST, Duration::ZERO);
            return;
        }
        if let Some(outcome) = from_cache {
            // No database of its own, but a tier behind it (a cache-aside cache in front of an
            // app tier): a miss reads on through that tier and fills the cache with the answer,
            // as the capacity plan assumes; a failed cache is bypassed, a stampede on that tier.
            match (outcome, forward) {
                (Outcome::Miss, Some(f)) => {
                    self.set_step(req, S_READ_DONE);
                    self.call(req, node, f, Op::Read, NO_INST, Duration::ZERO);
                }
                (Outcome::Err(_), Some(f)) => {
                    self.set_step(req, S_FORWARD_DONE);
                    self.call(req, node, f, Op::Read, NO_INST, Duration::ZERO);
                }
                // A read-through cache failed and there is nothing else to read from.
                (Outcome::Err(_), None) => self.relay(req),
                _ => self.respond(req, Outcome::Err(Cause::Down), Duration::ZERO),
            }
            return;
        }
        match forward {
            Some(f) => {
                self.set_step(req, S_FORWARD_DONE);
                self.call(req, node, f, top.op, NO_INST, Duration::ZERO);
            }
            None => self.respond(req, Outcome::Ok, Duration::ZERO),
        }
    }

    /// Continues a worker's job: write the result (invalidating a connected cache), store a
    /// blob, pass work on, in that order.
    fn advance_job(&mut self, req: ReqId) {
        let Some(top) = self.reqs[req as usize].frames.last().copied() else {
            return;
        };
        let node = top.node;
        let outcome = self.reqs[req as usize].outcome;
        if top.step != S_START {
            if let Outcome::Err(_) = outcome {
                return self.relay(req);
            }
        }
        if top.step == J_WRITE_DONE {
            // The job's write invalidates its user's key in a connected cache, as a server's does.
            if let Some(c) = self.model.nodes[node as usize].routes.cache {
                let user = self.reqs[req as usize].user;
                self.cache_invalidate(c.ix(), user);
            }
        }
        let r = &self.model.nodes[node as usize].routes;
        let plan = [
            (J_WRITE_DONE, r.writer, Op::Write),
            (J_STORE_DONE, r.static_origin, Op::Static),
            (J_QUEUE_DONE, r.queue, Op::Async),
        ];
        for (step, target, op) in plan {
            if step <= top.step && top.step != S_START {
                continue;
            }
            if let Some(t) = target {
                let t = if op == Op::Write {
                    self.resolve_writer(t)
                } else {
                    t
                };
                self.set_step(req, step);
                self.call(req, node, t, op, NO_INST, Duration::ZERO);
                return;
            }
        }
        self.respond(req, Outcome::Ok, Duration::ZERO)
    }

    /// Where writes for primary `w` go now: the primary, or the replica promoted while it was
    /// down and until it has caught up.
    fn resolve_writer(&self, w: NodeId) -> NodeId {
        if self.model.node(w).kind == Kind::SqlPrimary {
            if let Some(r) = self.nodes[w.ix()].ext.promoted {
                return r;
            }
        }
        w
    }

    /// Who reads for `node` (a server, worker pool or cache): one of its readers that is up,
    /// at random; else the primary `fallback` (or the replica promoted in its place); else the
    /// first reader, which then fails the read as down.
    fn pick_reader(&mut self, node: usize, fallback: Option<NodeId>) -> NodeId {
        if let Some(r) = self.random_reader(node, |r| &r.readers) {
            return r;
        }
        match fallback {
            Some(w) => self.resolve_writer(w),
            None => self.model.nodes[node].routes.readers[0],
        }
    }

    /// A node of `owner`'s `list` of readers that is up, at random, leaving out a replica
    /// promoted in its primary's place while another is up: like the primary, it takes reads
    /// only when no other reader is up (it took its share of the reads on top of every
    /// write). `None` when all are down.
    fn random_reader(&mut self, owner: usize, list: fn(&Routes) -> &Vec<NodeId>) -> Option<NodeId> {
        let r = self.random_up(owner, list)?;
        if !self.promoted(r) {
            return Some(r);
        }
        let readers = list(&self.model.nodes[owner].routes);
        let others = readers
            .iter()
            .filter(|o| !self.node_down(o.0) && !self.promoted(**o))
            .count();
        if others == 0 {
            return Some(r);
        }
        let k = self.rng.below(others as u64) as usize;
        let readers = list(&self.model.nodes[owner].routes);
        readers
            .iter()
            .copied()
            .filter(|o| !self.node_down(o.0) && !self.promoted(*o))
            .nth(k)
            .or(Some(r))
    }

    /// Whether `n` is a replica promoted to take its primary's writes.
    fn promoted(&self, n: NodeId) -> bool {
        self.model.nodes[n.ix()].kind == Kind::SqlReplica
            && self.nodes[n.ix()].ext.replicating.get() == 0
    }

    /// A node of `owner`'s `list` that is up, each as likely as the others (no draw when the
    /// list has one node, so single-choice scenarios keep their random stream); `None` when
    /// all are down or the list is empty. The list is read in place: no copy per request.
    fn random_up(&mut self, owner: usize, list: fn(&Routes) -> &Vec<NodeId>) -> Option<NodeId> {
        let nodes = list(&self.model.nodes[owner].routes);
        let drawn = match nodes.len() {
            0 => return None,
            1 => nodes[0],
            len => nodes[self.rng.below(len as u64) as usize],
        };
        if !self.node_down(drawn.0) {
            return Some(drawn);
        }
        // The drawn one is down: draw again among those up. (Taking the next one up in the
        // list gave it the whole share of the one down: with r1 of three replicas down, r2
        // served twice as many reads as r3.)
        let nodes = list(&self.model.nodes[owner].routes);
        let up = nodes.iter().filter(|r| !self.node_down(r.0)).count();
        if up == 0 {
            return None;
        }
        let k = if up == 1 {
            0
        } else {
            self.rng.below(up as u64) as usize
        };
        let nodes = list(&self.model.nodes[owner].routes);
        nodes
            .iter()
            .copied()
            .filter(|r| !self.node_down(r.0))
            .nth(k)
    }

    // ---- pass-through kinds -------------------------------------------------------------------

    #[inline(never)]
    fn deliver_dns(&mut self, req: ReqId, node: u32) {
        self.push_frame(req, node, 0);
        if self.node_down(node) {
            return self.respond(req, Outcome::Err(Cause::Down), Duration::ZERO);
        }
        let Params::Dns(p) = &self.model.nodes[node as usize].params else {
            return;
        };
        let (geo, hc, latency, miss) = (p.geo, p.health_check_s, p.latency_ms, p.miss_ratio);
        let delay = if self.rng.chance(miss) {
            Duration::from_millis(latency)
        } else {
            Duration::ZERO
        };
        let op = self.reqs[req as usize].next_op;
        let client = self.reqs[req as usize].client;
        let mut entry = self.pick_entry(node, op, geo.then_some(client), Some(hc));
        let mut away = self.model.dc_distance(NodeId(client), entry);
        if away > Duration::ZERO {
            // The pick by the DNS edges' latency alone is in another data center than the
            // client's (or geo found none healthy in it): take the closest to the client.
            entry = self.pick_entry_near(node, op, client, hc);
            away = self.model.dc_distance(NodeId(client), entry);
        }
        // The client connects to the entry point from where its users are.
        let hop = self.model.latency(NodeId(node), entry) + away;
        self.call_over(req, entry, op, NO_INST, delay, hop);
    }

    /// The healthy entry point of `dns` closest to `client`: the DNS edge's latency plus the
    /// distance between the client's data center and the entry's (`Model::dc_distance`).
    /// Health is as seen by checks every `hc` seconds.
    #[inline(never)]
    fn pick_entry_near(&self, dns: u32, op: Op, client: u32, hc: f64) -> NodeId {
        let candidates = self.model.nodes[dns as usize].routes.entries_for(op);
        let healthy = |c: &NodeId| self.entry_healthy(*c, Some(hc));
        let any_healthy = candidates.iter().any(healthy);
        candidates
            .iter()
            .copied()
            .filter(|c| !any_healthy || healthy(c))
            .min_by_key(|c| {
                self.model.latency(NodeId(dns), *c) + self.model.dc_distance(NodeId(client), *c)
            })
            .unwrap_or(candidates[0])
    }

    /// Picks an entry point among `candidates`: with `geo_client`, a healthy one in that
    /// client's data center; else the healthy one closest to `from`. Health is as seen by checks
    /// every `health_check` seconds (instantly when `None`).
    #[inline]
    fn pick_entry(
        &self,
        from: u32,
        op: Op,
        geo_client: Option<u32>,
        health_check: Option<f64>,
    ) -> NodeId {
        let candidates = self.model.nodes[from as usize].routes.entries_for(op);
        // A single entry is the common case, and the only choice: decide it inline.
        match candidates[..] {
            [only] => only,
            _ => self.pick_entry_among(candidates, from, geo_client, health_check),
        }
    }

    /// [`Simulation::pick_entry`] among several candidates: healthy ones first, then the
    /// client's own data center, then the lowest latency.
    // Out of line, so that the single-entry check above stays small enough to inline.
    #[inline(never)]
    fn pick_entry_among(
        &self,
        candidates: &[NodeId],
        from: u32,
        geo_client: Option<u32>,
        health_check: Option<f64>,
    ) -> NodeId {
        let healthy = |c: &&NodeId| self.entry_healthy(**c, health_check);
        let any_healthy = candidates.iter().any(|c| healthy(&c));
        // When nothing looks healthy, pick as if everything were (the call will fail "down").
        let pool = || {
            candidates
                .iter()
                .filter(move |c| !any_healthy || healthy(c))
        };
        if let Some(client) = geo_client {
            let dc = &self.model.nodes[client as usize].dc;
            if let Some(c) = pool().find(|c| &self.model.node(**c).dc == dc) {
                return *c;
            }
        }
        pool()
            .copied()
            .min_by_key(|c| self.model.latency(NodeId(from), *c))
            .unwrap_or(candidates[0])
    }

    /// Whether entry point `c` looks able to serve, to a health checker polling every `hc`
    /// seconds (or seeing at once without one): it is up and, if it is a load balancer, so is
    /// one of its targets. A balancer with every backend down answers each request "down" (an
    /// HTTP 503), and so does a health check sent through it: GeoDNS must not keep a data
    /// center whose balancer is up but whose servers all failed.
    // Out of line, as `passes_check`: inlined, these changed how LLVM compiled the request
    // path around them, 2.6% more instructions per M/M/4 customer (cachegrind).
    #[inline(never)]
    fn entry_healthy(&self, c: NodeId, health_check: Option<f64>) -> bool {
        match health_check {
            Some(hc) => self.passes_check(c, hc, self.now),
            None => {
                let node = self.model.node(c);
                if self.node_down(c.0) {
                    return false;
                }
                if node.kind != Kind::LoadBalancer {
                    return true;
                }
                // Validation rejects cycles, so the descent through balancers ends.
                self.remembered_verdict(c, self.now, true, |t| self.entry_healthy(t, None))
            }
        }
    }

    /// Whether the last check of `c` at or before `at`, by a checker polling every `hc`
    /// seconds, passed. A check sent through a balancer is answered by the balancer as it saw
    /// its targets then, by its own checks: a data center whose servers are back but whose
    /// balancer has not yet checked them still answers "down".
    #[inline(never)]
    fn passes_check(&self, c: NodeId, hc: f64, at: SimTime) -> bool {
        let s = &self.nodes[c.ix()];
        let checked = last_check(at, hc);
        if !s.node_changes.serving_at(s.serving > 0, checked) {
            return false;
        }
        let Params::LoadBalancer(p) = &self.model.node(c).params else {
            return true;
        };
        let own = p.health_check_s;
        // Validation rejects cycles, so the descent through balancers ends.
        self.remembered_verdict(c, checked, false, |t| self.passes_check(t, own, checked))
    }

    /// Whether one of balancer `c`'s targets is `healthy`, as a check of `at` (`instant`: at
    /// once, without a period) sees it: the verdict `c` remembers for it when nothing went up
    /// or down since, else worked out and remembered (see [`crate::engine::state::HealthMemo`]).
    fn remembered_verdict(
        &self,
        c: NodeId,
        at: SimTime,
        instant: bool,
        healthy: impl Fn(NodeId) -> bool,
    ) -> bool {
        let memo = &self.nodes[c.ix()].health_memo;
        if let Some(verdict) = memo.get().verdict(at, instant, self.health_epoch) {
            return verdict;
        }
        let verdict = self
            .model
            .node(c)
            .routes
            .targets
            .iter()
            .any(|t| healthy(*t));
        let mut remembered = memo.get();
        remembered.remember(at, instant, self.health_epoch, verdict);
        memo.set(remembered);
        self.count_health_walk();
        verdict
    }

    fn believed_inst_up(&self, n: usize, inst: usize, hc: f64) -> bool {
        let i = &self.nodes[n].insts[inst];
        if !i.active || i.booting {
            return false;
        }
        i.changes.serving_at(i.up(), last_check(self.now, hc))
    }

    #[inline(never)]
    fn deliver_cdn(&mut self, req: ReqId, node: u32) {
        self.push_frame(req, node, 0);
        if self.node_down(node) {
            return self.respond(req, Outcome::Err(Cause::Down), Duration::ZERO);
        }
        let n = node as usize;
        let Params::Cdn(p) = &self.model.nodes[n].params else {
            return;
        };
        let (ratio, edge_ms) = (p.hit_ratio, p.edge_latency_ms);
        let op = self.reqs[req as usize].next_op;
        let routes = &self.model.nodes[n].routes;
        let (origin, forward) = (routes.static_origin, routes.forward);
        if op == Op::Static {
            let user = self.reqs[req as usize].user;
            let now = self.now;
            let hit = match &mut self.nodes[n].ext.edge {
                Some(edge) => edge.get(user, now),
                None => self.rng.chance(ratio),
            };
            let st = &mut self.nodes[n].stats;
            if hit {
                st.hits += 1;
                // The edge holds the request while it serves it: answer through a Reply to this
                // frame after the edge time, so the request counts as inside the CDN meanwhile.
                // (Answering at once with a delay recorded the edge time as time in the node
                // while nobody was inside it, breaking Little's law for the CDN.)
                self.set_step(req, CDN_HIT);
                self.reqs[req as usize].outcome = Outcome::Ok;
                let at = self.now + Duration::from_millis(edge_ms);
                self.events.push(at, Event::Reply { req });
                return;
            }
            st.misses += 1;
        }
        let target = if op == Op::Static {
            origin.or(forward)
        } else {
            forward
        };
        match target {
            Some(t) => self.call(req, node, t, op, NO_INST, Duration::from_millis(edge_ms)),
            None => self.respond(req, Outcome::Err(Cause::Down), Duration::ZERO),
        }
    }

    #[inline(never)]
    fn deliver_lb(&mut self, req: ReqId, node: u32) {
        self.push_frame(req, node, 0);
        let n = node as usize;
        if self.node_down(node) {
            return self.respond(req, Outcome::Err(Cause::Down), Duration::ZERO);
        }
        let Params::LoadBalancer(p) = &self.model.nodes[n].params else {
            return;
        };
        let (alg, hc, max_conn) = (p.algorithm, p.health_check_s, p.max_connections);
        if let Some(m) = max_conn {
            // Requests inside the balancer are exactly those in flight through it.
            if self.nodes[n].inside.get() > m {
                return self.respond(req, Outcome::Err(Cause::Rejected), Duration::ZERO);
            }
        }
        let random = if alg == Algorithm::Random {
            self.rng.next_u64()
        } else {
            0
        };
        let user = self.reqs[req as usize].user;
        let Some(k) = self.choose_target(n, alg, hc, user, random) else {
            return self.respond(req, Outcome::Err(Cause::Down), Duration::ZERO);
        };
        self.nodes[n].ext.cursor = k + 1;
        let (t, i) = self.nodes[n].ext.lb_targets[k];
        self.nodes[t.ix()].insts[i as usize].conns += 1;
        let holds = max_conn.is_some();
        if holds {
            // A connection held until the answer passes back (`answer` releases it): the
            // balancer's utilization is its connections over `max_connections`.
            let s = &mut self.nodes[n];
            s.insts[0].busy += 1;
            s.busy.up(self.now);
        }
        if let Some(f) = self.reqs[req as usize].frames.last_mut() {
            f.aux = k as u32;
            f.holds = holds;
        }
        let op = self.reqs[req as usize].next_op;
        let inst = if self.model.node(t).kind == Kind::LoadBalancer {
            NO_INST
        } else {
            i
        };
        self.call(req, node, t, op, inst, Duration::ZERO);
    }

    /// The indices of balancer `n`'s targets that can be up, from `start` on, wrapping round
    /// to those before it: in `lb_targets`' order, without the standby slots of autoscaled
    /// tiers never started (see `Ext::slots_used`), which are never healthy. The choices are
    /// the same as over every target; a tier of 10,000 slots with 7 running was scanned whole
    /// for each request (38 s for a run of 1 s at a maximum of 10).
    pub(crate) fn lb_candidates(&self, n: usize, start: usize) -> impl Iterator<Item = usize> + '_ {
        let blocks = &self.nodes[n].ext.lb_blocks;
        let live = move |&(first, t): &(usize, NodeId)| {
            let count = if self.model.node(t).kind == Kind::LoadBalancer {
                1
            } else {
                self.nodes[t.ix()].ext.slots_used
            };
            first..first + count
        };
        let from = blocks
            .iter()
            .map(live)
            .map(move |r| r.start.max(start)..r.end.max(start));
        let before = blocks
            .iter()
            .map(live)
            .map(move |r| r.start.min(start)..r.end.min(start));
        from.chain(before).flatten()
    }

    /// The balancer's choice among the targets it believes healthy, as an index into them.
    fn choose_target(
        &self,
        n: usize,
        alg: Algorithm,
        hc: f64,
        user: u64,
        random: u64,
    ) -> Option<usize> {
        let targets = &self.nodes[n].ext.lb_targets;
        let ok = |k: usize| {
            let (t, i) = targets[k];
            if self.model.node(t).kind == Kind::LoadBalancer {
                // A balancer with no backend up fails the health check sent through it.
                self.entry_healthy(t, Some(hc))
            } else {
                self.believed_inst_up(t.ix(), i as usize, hc)
            }
        };
        let len = targets.len();
        match alg {
            Algorithm::RoundRobin => {
                let start = self.nodes[n].ext.cursor;
                self.lb_candidates(n, start).find(|k| ok(*k))
            }
            // Ties go round-robin from the last pick, as nginx's `least_conn` does: by index,
            // a lightly loaded tier (every count 0 between requests) sent everything to its
            // first server and left the others idle.
            //
            // The first healthy target with no connection is the choice: none can have fewer.
            // Stopping there keeps a lightly loaded large tier from scanning every instance
            // for every request (2,000 instances made a run 40 times slower).
            Algorithm::LeastConnections => {
                let start = self.nodes[n].ext.cursor;
                let mut best: Option<(usize, u32)> = None;
                for k in self.lb_candidates(n, start) {
                    if !ok(k) {
                        continue;
                    }
                    let (t, i) = targets[k];
                    let conns = self.nodes[t.ix()].insts[i as usize].conns;
                    if best.is_none_or(|(_, least)| conns < least) {
                        best = Some((k, conns));
                        if conns == 0 {
                            break;
                        }
                    }
                }
                best.map(|(k, _)| k)
            }
            // Each user has its own target (jump consistent hashing over every target), and
            // while that one is believed down, the next of its own further tries. Users spread
            // evenly over the instances that exist (an autoscaled tier lists its standby slots
            // too, which must not funnel their users onto one neighbour), and when a target
            // fails or joins only its own users move: the others keep their server, and so
            // their sessions. With most targets down, rendezvous hashing over the healthy
            // ones, which has the same properties but scores every target.
            Algorithm::IpHash => hash::sticky_places(user, len).find(|k| ok(*k)).or_else(|| {
                self.lb_candidates(n, 0)
                    .filter(|k| ok(*k))
                    .max_by_key(|k| hash::rendezvous_score(user, *k))
            }),
            Algorithm::Random => {
                // Uniform among the healthy ones. Mostly the first of a few targets drawn from
                // all of them is healthy (rejection sampling, each draw mixed out of the one
                // random word): no scan of a large tier for each request.
                let mut word = random;
                for _ in 0..RANDOM_PICK_TRIES {
                    let k = ((word as u128 * len as u128) >> 64) as usize;
                    if ok(k) {
                        return Some(k);
                    }
                    word = hash::mix64(word);
                }
                // Most are down: pick among those up, counted.
                let healthy = self.lb_candidates(n, 0).filter(|k| ok(*k)).count();
                if healthy == 0 {
                    return None;
                }
                // Uniform among them, by multiply-shift of a word not yet used.
                let pick = ((word as u128 * healthy as u128) >> 64) as usize;
                self.lb_candidates(n, 0).filter(|k| ok(*k)).nth(pick)
            }
        }
    }

    #[inline(never)]
    fn deliver_router(&mut self, req: ReqId, node: u32) {
        self.push_frame(req, node, 0);
        if self.node_down(node) {
            return self.respond(req, Outcome::Err(Cause::Down), Duration::ZERO);
        }
        let n = node as usize;
        let Params::ShardRouter(p) = &self.model.nodes[n].params else {
            return;
        };
        let shards = &self.model.nodes[n].routes.targets;
        if shards.is_empty() {
            // Validation rejects a reachable router without shards; never divide by zero.
            return self.respond(req, Outcome::Err(Cause::Down), Duration::ZERO);
        }
        let len = shards.len() as u64;
        let user = self.reqs[req as usize].user;
        let k = match p.strategy {
            ShardStrategy::Range => {
                ((user.saturating_sub(1)) as u128 * len as u128 / self.max_users as u128) as u64
            }
            hashed => hash::hashed_shard(hashed, user, len, &self.nodes[n].ext.ring),
        };
        let shard = shards[(k.min(len - 1)) as usize];
        let op = self.reqs[req as usize].next_op;
        let target = match op {
            Op::Write => self.resolve_writer(shard),
            _ => self.shard_reader(shard),
        };
        // A shard's replica is reached over the router's edge to its shard: the shard is one
        // group of databases at that distance.
        let hop = self.model.latency(NodeId(node), shard);
        self.call_over(req, target, op, NO_INST, Duration::ZERO, hop);
    }

    /// Who reads for `shard`: one of its replicas that is up, at random, when it is a SQL primary
    /// with replicas (as a server reads from its primary's replicas, a promoted one only when
    /// no other is up); else the shard itself, or the replica promoted in its place.
    fn shard_reader(&mut self, shard: NodeId) -> NodeId {
        if self.model.node(shard).routes.replicas.is_empty() {
            return shard;
        }
        self.random_reader(shard.ix(), |r| &r.replicas)
            .unwrap_or_else(|| self.resolve_writer(shard))
    }

    // ---- queues ---------------------------------------------------------------------------------

    #[inline(never)]
    fn deliver_queue(&mut self, req: ReqId, node: u32) {
        self.push_frame(req, node, 0);
        let n = node as usize;
        if self.node_down(node) {
            return self.respond(req, Outcome::Err(Cause::Down), Duration::ZERO);
        }
        let Params::Queue(p) = &self.model.nodes[n].params else {
            return;
        };
        let max_depth = p.max_depth;
        let user = self.reqs[req as usize].user;
        let now = self.now;
        let Some(q) = self.nodes[n].ext.queue.as_mut() else {
            return;
        };
        if max_depth.is_some_and(|m| q.ready.len() as u64 >= m) {
            return self.respond(req, Outcome::Err(Cause::Rejected), Duration::ZERO);
        }
        if self.queued_messages >= MAX_QUEUED_MESSAGES {
            // Refused like a full queue's, so that an unbounded queue under overload stays
            // within memory (see the constant).
            self.refused_at_limit += 1;
            return self.respond(req, Outcome::Err(Cause::Rejected), Duration::ZERO);
        }
        self.queued_messages += 1;
        let msg = Msg {
            user,
            attempts: 0,
            delivery: 0,
            in_flight: false,
            live: true,
            deadline: SimTime::ZERO,
            ready_since: now,
        };
        let id = match q.free.pop() {
            Some(id) => {
                let delivery = q.msgs[id as usize].delivery;
                q.msgs[id as usize] = Msg { delivery, ..msg };
                id
            }
            None => {
                q.msgs.push(msg);
                (q.msgs.len() - 1) as u32
            }
        };
        q.ready.push_back(id);
        let depth = q.ready.len() as u64;
        q.depth.set(now, depth);
        let st = &mut self.nodes[n].stats;
        st.max_depth = st.max_depth.max(depth);
        self.respond(req, Outcome::Ok, Duration::ZERO);
        self.dispatch(n);
    }

    /// Hands waiting messages of queue `n` to free workers of its pools.
    pub(crate) fn dispatch(&mut self, n: usize) {
        if self.nodes[n].serving == 0 {
            return;
        }
        let consumers = self.model.nodes[n].routes.targets.clone();
        let Params::Queue(p) = &self.model.nodes[n].params else {
            return;
        };
        let visibility = Duration::from_secs(p.visibility_timeout_s);
        loop {
            let ready = self.nodes[n]
                .ext
                .queue
                .as_ref()
                .map_or(0, |q| q.ready.len());
            if ready == 0 {
                return;
            }
            let Some((pool, inst)) = self.free_consumer(n, &consumers) else {
                return;
            };
            let now = self.now;
            let Some(q) = self.nodes[n].ext.queue.as_mut() else {
                return;
            };
            let Some(id) = q.ready.pop_front() else {
                return;
            };
            q.depth.set(now, q.ready.len() as u64);
            let m = &mut q.msgs[id as usize];
            m.attempts += 1;
            m.delivery = m.delivery.wrapping_add(1);
            m.in_flight = true;
            m.deadline = now + visibility;
            q.in_flight += 1;
            let (user, delivery, ready_since) = (m.user, m.delivery, m.ready_since);
            // Whole waits of the steady state, as a node's latencies are whole stays.
            let st = &mut self.nodes[n].stats;
            if ready_since >= st.since {
                st.record_wait(now.since(ready_since).0);
            }
            let req = self.alloc_req(Op::Async, user, n as u32);
            let r = &mut self.reqs[req as usize];
            r.job = Some((n as u32, id, delivery));
            r.frames.push(Frame {
                node: n as u32,
                inst: 0,
                step: 0,
                holds: false,
                epoch: 0,
                arrived: self.now,
                op: Op::Async,
                aux: 0,
                hop: Duration::ZERO,
            });
            r.next_op = Op::Async;
            r.next_hop = self.model.latency(NodeId(n as u32), pool);
            self.await_visibility(n, id, delivery, self.now + visibility);
            // Consumers pull only when a worker is free, so the job starts at once.
            self.deliver_station(req, pool.0, inst);
        }
    }

    /// A free worker for the next message of queue `n`. The instances of its pools take
    /// turns, each as many in a row as it has workers, so pools sharing a queue take its
    /// messages in proportion to their workers, as workers that each poll the queue do. (By
    /// one turn per instance, a pool of 4 workers took as many messages as a pool of 12 beside
    /// it, and was 0.74 busy to its 0.41.) An instance that cannot take one passes its turns
    /// to the next: no list of every instance is built for each message.
    fn free_consumer(&mut self, n: usize, consumers: &[NodeId]) -> Option<(NodeId, u32)> {
        let turns = |s: &NodeState| s.workers.min(MAX_TURNS_IN_A_ROW) as usize;
        let (mut round, mut instances) = (0, 0);
        for c in consumers {
            let s = &self.nodes[c.ix()];
            round += s.insts.len() * turns(s);
            instances += s.insts.len();
        }
        if round == 0 {
            return None;
        }
        let at = self.nodes[n].ext.queue.as_ref()?.cursor % round;
        // The pool (`k`, whose first turn is `first`) and the instance whose turn `at` is.
        let (mut k, mut first) = (0, 0);
        loop {
            let s = &self.nodes[consumers[k].ix()];
            let size = s.insts.len() * turns(s);
            if at < first + size {
                break;
            }
            first += size;
            k += 1;
        }
        let mut inst = (at - first) / turns(&self.nodes[consumers[k].ix()]);
        let mut turn = at;
        for _ in 0..instances {
            let s = &self.nodes[consumers[k].ix()];
            let i = &s.insts[inst];
            if i.serving() && i.busy < s.workers {
                if let Some(q) = self.nodes[n].ext.queue.as_mut() {
                    q.cursor = (turn + 1) % round;
                }
                return Some((consumers[k], inst as u32));
            }
            // The next instance's first turn, in this pool or the next (round again).
            inst += 1;
            if inst == s.insts.len() {
                first += s.insts.len() * turns(s);
                inst = 0;
                k += 1;
                if k == consumers.len() {
                    (k, first) = (0, 0);
                }
            }
            turn = first + inst * turns(&self.nodes[consumers[k].ix()]);
        }
        None
    }

    fn finish_job(&mut self, req: ReqId) {
        let r = &self.reqs[req as usize];
        let (outcome, job) = (r.outcome, r.job);
        self.free_req(req);
        let Some((queue, msg, delivery)) = job else {
            return;
        };
        if outcome != Outcome::Ok {
            return; // not acknowledged: the visibility timeout will deliver it again
        }
        let n = queue as usize;
        let Some(q) = self.nodes[n].ext.queue.as_mut() else {
            return;
        };
        let m = &mut q.msgs[msg as usize];
        // At its deadline the delivery has timed out, even if the timeout's event is still to
        // come in this microsecond (one event serves all of a queue's deadlines, so its place
        // among the events of an instant varies).
        if m.live && m.in_flight && m.delivery == delivery && self.now < m.deadline {
            m.live = false;
            m.in_flight = false;
            q.in_flight -= 1;
            q.free.push(msg);
            self.queued_messages -= 1;
        }
        // Deadlines of deliveries acknowledged are dropped as they reach the front, so the
        // list holds about the jobs in progress, not every delivery of the last timeout.
        while let Some(&(_, m, d)) = q.deadlines.front() {
            let x = &q.msgs[m as usize];
            if x.live && x.in_flight && x.delivery == d {
                break;
            }
            q.deadlines.pop_front();
        }
    }

    /// Notes when delivery `delivery` of message `msg` of queue `n` times out unless it is
    /// acknowledged first. One event at a time waits for the queue's first deadline: the
    /// timeout is the queue's own, so deadlines come in the order of deliveries. (An event
    /// per delivery, never cancelled, stayed in the event list after each acknowledgement:
    /// the list grew by the arrival rate times the timeout, 629 MB at a one-hour timeout.)
    fn await_visibility(&mut self, n: usize, msg: u32, delivery: u32, deadline: SimTime) {
        let Some(q) = self.nodes[n].ext.queue.as_mut() else {
            return;
        };
        q.deadlines.push_back((deadline, msg, delivery));
        if !std::mem::replace(&mut q.deadline_armed, true) {
            self.events
                .push(deadline, Event::Visibility { queue: n as u32 });
        }
    }

    /// The first deadline of queue `queue` has come: every delivery due by now and not yet
    /// acknowledged goes back to the queue (or to the dead letters), and the event waits
    /// for the next deadline.
    pub(crate) fn on_visibility(&mut self, queue: u32) {
        let n = queue as usize;
        loop {
            let now = self.now;
            let Some(q) = self.nodes[n].ext.queue.as_mut() else {
                return;
            };
            let Some(&(deadline, msg, delivery)) = q.deadlines.front() else {
                q.deadline_armed = false;
                return;
            };
            if deadline > now {
                self.events.push(deadline, Event::Visibility { queue });
                return;
            }
            q.deadlines.pop_front();
            self.time_out_delivery(n, msg, delivery);
        }
    }

    /// Delivery `delivery` of message `msg` of queue `n` was not acknowledged in time.
    fn time_out_delivery(&mut self, n: usize, msg: u32, delivery: u32) {
        let Params::Queue(p) = &self.model.nodes[n].params else {
            return;
        };
        let max_attempts = p.max_attempts;
        let since = self.nodes[n].stats.since;
        let now = self.now;
        let Some(q) = self.nodes[n].ext.queue.as_mut() else {
            return;
        };
        let m = &mut q.msgs[msg as usize];
        if !(m.live && m.in_flight && m.delivery == delivery) {
            return;
        }
        m.in_flight = false;
        q.in_flight -= 1;
        if m.attempts >= max_attempts {
            m.live = false;
            q.free.push(msg);
            self.queued_messages -= 1;
            if now >= since {
                self.nodes[n].stats.dead_letters += 1;
            }
        } else {
            m.ready_since = now;
            q.ready.push_back(msg);
            let depth = q.ready.len() as u64;
            q.depth.set(now, depth);
            // A redelivered message counts in the peak too: the depth series showed 606
            // waiting while `max_depth` said 1.
            let st = &mut self.nodes[n].stats;
            st.max_depth = st.max_depth.max(depth);
            self.dispatch(n);
        }
    }
}

/// The instant of the last health check at or before `at`, by checks at whole multiples of
/// `hc` seconds (zero before the first: the state at the start is known).
fn last_check(at: SimTime, hc: f64) -> SimTime {
    let period = Duration::from_secs(hc).0.max(1);
    SimTime(at.0 / period * period)
}
