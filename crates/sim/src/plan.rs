//! The static routing plan: where a request of each type goes, walked without simulating.
//!
//! Validation uses it to find dead ends (writes with nowhere to go, a load balancer with nothing
//! behind it); capacity analysis uses it to add up each node's demand (visit ratio × service
//! time). It follows the same routing rules as the engine, with every node healthy.

use std::rc::Rc;

use crate::engine::hash;
use crate::error::Problem;
use crate::hit_ratio::{self, CacheLoad, Population};
use crate::model::{Model, NodeId, Op};
use crate::params::{Algorithm, Eviction, Params, ShardStrategy};
use crate::scenario::Kind;

/// One call the walk made: `weight` calls per unit of client traffic, each holding a worker of
/// `node` for `hold_ms` on average (or, for a cache, what its keys went through: see
/// [`Touch`]).
#[derive(Clone, Debug)]
pub struct Visit {
    /// What the visit is: work, or what happened to a cache's keys.
    pub touch: Touch,
    /// The node called.
    pub node: NodeId,
    /// Calls per unit of traffic.
    pub weight: f64,
    /// Mean time a worker is held per call, in milliseconds.
    pub hold_ms: f64,
    /// How the calls spread over the node's instances (shares summing to 1, one per
    /// instance it can have) when it is by user, not evenly: a keyed store's partitions, or
    /// servers behind an `ip_hash` balancer. A popular user makes one instance hotter.
    pub instance_shares: Option<Vec<f64>>,
}

/// What a [`Visit`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Touch {
    /// A call that holds a worker of the node for `hold_ms`.
    Work,
    /// Reads of cache `node` that miss fetch the key in `hold_ms` and store it there (no work
    /// at the cache: how long reads of that key keep missing). Its weight is that of the
    /// reads reaching the cache, whether they miss or not: what it gives is the time.
    Fill,
    /// A write made the server or worker forget the user's key in cache `node` (no work).
    Invalidation,
}

/// Walks request type `op` from `client`, calling `on_visit` for every node that does work,
/// and for what happens to a cache's keys (fills and invalidations: see [`Touch`]; their
/// `hold_ms` is no work).
/// Returns the dead ends it met as problems.
pub fn walk(
    model: &Model,
    client: NodeId,
    op: Op,
    on_visit: &mut dyn FnMut(Visit),
) -> Vec<Problem> {
    walk_at(model, client, op, 1.0, on_visit)
}

/// [`walk`] with every client sending `rate_scale` times its configured rate. Visits are per
/// unit of traffic either way; the rate only moves what caches with a TTL hit (a key read
/// more often is found more often before it expires).
pub fn walk_at(
    model: &Model,
    client: NodeId,
    op: Op,
    rate_scale: f64,
    on_visit: &mut dyn FnMut(Visit),
) -> Vec<Problem> {
    walk_with(model, client, op, Some(rate_scale), on_visit)
}

/// [`walk`] following only the paths, as validation does: no cache hit ratios (every read
/// misses, so visit weights past a cache mean nothing) and no spread over instances by user.
/// Cheap: what the capacity analysis uses to add up the traffic reaching each cache.
pub fn walk_paths(
    model: &Model,
    client: NodeId,
    op: Op,
    on_visit: &mut dyn FnMut(Visit),
) -> Vec<Problem> {
    walk_with(model, client, op, None, on_visit)
}

/// [`walk_at`] with the reads and writes a second that reach each cache from every client
/// (`cache_traffic`, by node index; in the units of this walk's rates): a cache with a TTL
/// shared by several clients finds a key again as often as all of them read it.
pub fn walk_sharing(
    model: &Model,
    client: NodeId,
    op: Op,
    rate_scale: f64,
    cache_traffic: &mut [CacheTraffic],
    on_visit: &mut dyn FnMut(Visit),
) -> Vec<Problem> {
    run_walk(
        model,
        client,
        op,
        Some(rate_scale),
        Some(cache_traffic),
        true,
        on_visit,
    )
    .0
}

/// Reads and writes a second reaching a cache from every client, how long its fetches take,
/// and the hit ratios worked out for them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CacheTraffic {
    /// Reads a second, by the population of users they come from (`users`, `zipf_s` bits):
    /// populations of several clients read the same keys.
    reads: Vec<(u64, u64, f64)>,
    /// Writes a second that invalidate its keys (a server's or a worker's).
    write_rps: f64,
    /// Fetches after a miss: Σ rate × time (ms), and Σ rate.
    fills: (f64, f64),
    /// Each population's hit ratio (in the order of `reads`), worked out on first use.
    hits: Option<Vec<f64>>,
}

impl CacheTraffic {
    /// `rps` reads a second from `users` users of popularity `zipf_s`.
    pub fn add_reads(&mut self, users: u64, zipf_s: f64, rps: f64) {
        let key = (users, zipf_s.to_bits());
        match self.reads.iter_mut().find(|(u, z, _)| (*u, *z) == key) {
            Some(r) => r.2 += rps,
            None => self.reads.push((key.0, key.1, rps)),
        }
    }

    /// `rps` writes a second that invalidate keys.
    pub fn add_writes(&mut self, rps: f64) {
        self.write_rps += rps;
    }

    /// `rps` reads a second whose misses' fetch takes `ms` (weighing the mean fetch time).
    pub fn add_fills(&mut self, rps: f64, ms: f64) {
        self.fills.0 += rps * ms;
        self.fills.1 += rps;
    }

    /// The mean time from a miss to the key stored, in seconds.
    fn fill_s(&self) -> f64 {
        if self.fills.1 > 0.0 {
            self.fills.0 / self.fills.1 / 1000.0
        } else {
            0.0
        }
    }
}

/// The walk itself. Without a `rate_scale`, only the paths matter (validation): cache hit
/// ratios and the spread over instances, the walk's costly parts, are not estimated, and
/// visit weights past caches are meaningless.
fn walk_with(
    model: &Model,
    client: NodeId,
    op: Op,
    rate_scale: Option<f64>,
    on_visit: &mut dyn FnMut(Visit),
) -> Vec<Problem> {
    run_walk(model, client, op, rate_scale, None, true, on_visit).0
}

/// [`walk_with`], also returning which nodes the walk called (by index). Without `fallbacks`
/// it leaves out the entry points a client or DNS turns to only when its choice is down.
fn run_walk(
    model: &Model,
    client: NodeId,
    op: Op,
    rate_scale: Option<f64>,
    cache_traffic: Option<&mut [CacheTraffic]>,
    fallbacks: bool,
    on_visit: &mut dyn FnMut(Visit),
) -> (Vec<Problem>, Vec<bool>) {
    let (users, zipf_s, op_rps, write_rps) = match &model.node(client).params {
        Params::Client(p) => {
            let share = match op {
                Op::Read => p.mix.read,
                Op::Write => p.mix.write,
                Op::Static => p.mix.static_,
                Op::Async => p.mix.async_,
                Op::Session => 0.0,
            };
            let rps = p.rps * rate_scale.unwrap_or(1.0);
            (p.users, p.zipf_s, rps * share, rps * p.mix.write)
        }
        _ => (1, 0.0, 0.0, 0.0),
    };
    let mut w = Walker {
        model,
        client,
        users,
        zipf_s,
        op_rps,
        write_rps,
        estimates: rate_scale.is_some(),
        hashed_by_balancer: None,
        probe: None,
        popularity: None,
        hits: Vec::new(),
        problems: Vec::new(),
        called: vec![false; model.nodes.len()],
        keys: Keys::All,
        cache_traffic,
        fallbacks,
        max_users: model
            .clients()
            .filter_map(|c| match &model.node(c).params {
                Params::Client(p) => Some(p.users),
                _ => None,
            })
            .fold(1, u64::max),
        on_visit,
    };
    w.call(client, op, 1.0, 0);
    (w.problems, w.called)
}

/// Nodes no client's traffic can reach: nothing calls them, directly or through other nodes.
/// They are valid but sit idle (a stray server does not share any load), so the app and the
/// CLI point them out.
pub fn unreached(model: &Model) -> Vec<NodeId> {
    let mut reached: Vec<bool> = model.nodes.iter().map(|n| n.kind == Kind::Client).collect();
    let mut next: Vec<NodeId> = model.clients().collect();
    while let Some(n) = next.pop() {
        for e in &model.node(n).out {
            let to = model.edges[e.0 as usize].to;
            if !reached[to.ix()] {
                reached[to.ix()] = true;
                next.push(to);
            }
        }
    }
    (0..model.nodes.len())
        .filter(|&i| !reached[i])
        .map(|i| NodeId(i as u32))
        .collect()
}

/// Why a node of a valid scenario gets no traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Idle {
    /// Nothing calls it, directly or through other nodes.
    Uncalled,
    /// `by` calls it, but routes every kind of call elsewhere: a node sends each kind of call
    /// to one downstream node of the matching kind (a second server, primary or cache behind
    /// a server is never used; a load balancer or shard router spreads over several).
    PassedOver {
        /// A node with an edge to it that the traffic reaches.
        by: NodeId,
    },
    /// `by` calls it and gets traffic, but none of the requests reaching `by` needs this
    /// kind of node, and `by` has no other node of its kind that is used: with the clients'
    /// mixes, no request is of the type it serves (a CDN without static requests, a queue
    /// without async ones), or `by` uses it for nothing it does.
    NotNeeded {
        /// A node with an edge to it that the traffic reaches.
        by: NodeId,
    },
    /// Only nodes that get no traffic themselves call it, `by` among them.
    BehindIdle {
        /// One of its callers.
        by: NodeId,
    },
    /// A standby: client or DNS `by` sends every request to entry point `instead`, and turns
    /// to this one only when `instead` is down (a client or DNS picks one entry point; a
    /// load balancer shares the load).
    Standby {
        /// The client or DNS with an edge to it.
        by: NodeId,
        /// The entry point `by` picks while everything is up.
        instead: NodeId,
    },
}

/// The words for a standby `node` of `by`: what it would take (`"static requests"` when it is
/// one of `by`'s CDNs, else `"requests"`), and the advice to follow "picks one entry point":
/// to share the load with a load balancer, when one could call both `node` and `instead`
/// (servers and load balancers), else nothing.
pub fn standby_terms(
    model: &Model,
    node: NodeId,
    by: NodeId,
    instead: NodeId,
) -> (&'static str, &'static str) {
    let what = if model.node(by).routes.static_entries.contains(&node) {
        "static requests"
    } else {
        "requests"
    };
    let balanced = |n: NodeId| matches!(model.node(n).kind, Kind::Server | Kind::LoadBalancer);
    let advice = if balanced(node) && balanced(instead) {
        ": to share the load, put a load_balancer in front of both"
    } else {
        ""
    };
    (what, advice)
}

/// Nodes that no request of any type from any client reaches while everything is up, with
/// the reason: never reached at all, or only as a fallback (a standby). The app and the CLI
/// point them out: they are valid, but sit idle.
pub fn idle(model: &Model) -> Vec<(NodeId, Idle)> {
    let uncalled = unreached(model);
    let called = reached_by_all(model, true);
    let in_use = reached_by_all(model, false);
    (0..model.nodes.len())
        .filter(|&i| !in_use[i])
        .map(|i| {
            let node = NodeId(i as u32);
            let callers = || model.edges.iter().filter(|e| e.to == node);
            // The entry point a client or DNS `by` picks instead of this node, if it is one
            // of its candidates (as the walk picks: for a DNS, for the client calling it
            // nearest to this node, whose traffic it would take when that pick fails).
            let standby_of = |by: NodeId| {
                let geo = match &model.node(by).params {
                    Params::Dns(p) => p.geo,
                    Params::Client(_) => false,
                    _ => return None,
                };
                let r = &model.node(by).routes;
                let candidates = [&r.entries, &r.static_entries]
                    .into_iter()
                    .find(|list| list.contains(&node))?;
                let client = if model.node(by).kind == Kind::Client {
                    by
                } else {
                    model
                        .edges
                        .iter()
                        .filter(|e| e.to == by)
                        .map(|e| e.from)
                        .min_by_key(|c| model.dc_distance(*c, node))?
                };
                static_entry(model, by, client, candidates, geo).filter(|e| *e != node)
            };
            let why = if uncalled.contains(&node) {
                Idle::Uncalled
            } else if let Some((by, instead)) = callers()
                .filter(|e| in_use[e.from.ix()])
                .find_map(|e| Some((e.from, standby_of(e.from)?)))
                .filter(|_| called[i])
            {
                Idle::Standby { by, instead }
            } else if let Some(e) = callers().find(|e| in_use[e.from.ix()]) {
                // Passed over for another of its kind, or not needed at all.
                let kind = model.node(node).kind;
                let other = model.node(e.from).out.iter().any(|o| {
                    let to = model.edges[o.0 as usize].to;
                    to != node && model.node(to).kind == kind && in_use[to.ix()]
                });
                if other {
                    Idle::PassedOver { by: e.from }
                } else {
                    Idle::NotNeeded { by: e.from }
                }
            } else {
                match callers().next() {
                    Some(e) => Idle::BehindIdle { by: e.from },
                    None => Idle::Uncalled,
                }
            };
            (node, why)
        })
        .collect()
}

/// The nodes some request of some client reaches, by index, with or without the entry points
/// used only as fallbacks.
fn reached_by_all(model: &Model, fallbacks: bool) -> Vec<bool> {
    let mut called: Vec<bool> = model.nodes.iter().map(|n| n.kind == Kind::Client).collect();
    for c in model.clients() {
        // The request types the client sends: a CDN gets nothing from a mix without static
        // requests, nor a queue without async ones, and a run shows it idle.
        let Params::Client(p) = &model.node(c).params else {
            continue;
        };
        let shares = [p.mix.read, p.mix.write, p.mix.static_, p.mix.async_];
        for (op, _) in Op::REQUEST_TYPES
            .into_iter()
            .zip(shares)
            .filter(|(_, s)| *s > 0.0)
        {
            let (_, reached) = run_walk(model, c, op, None, None, fallbacks, &mut |_| {});
            for (mine, theirs) in called.iter_mut().zip(reached) {
                *mine |= theirs;
            }
        }
    }
    // A replica fed by a called primary works (it replays the writes, and takes over).
    for e in &model.edges {
        if called[e.from.ix()] && model.node(e.to).kind == Kind::SqlReplica {
            called[e.to.ix()] = true;
        }
    }
    called
}

/// Every dead end of the request types of `clients` that have a share of traffic.
pub fn dead_ends(model: &Model, clients: impl Iterator<Item = NodeId>) -> Vec<Problem> {
    let mut out: Vec<Problem> = Vec::new();
    for c in clients {
        let Params::Client(p) = &model.node(c).params else {
            continue;
        };
        let shares = [p.mix.read, p.mix.write, p.mix.static_, p.mix.async_];
        for (op, share) in Op::REQUEST_TYPES.into_iter().zip(shares) {
            if share > 0.0 {
                for problem in walk_with(model, c, op, None, &mut |_| {}) {
                    if !out.contains(&problem) {
                        out.push(problem);
                    }
                }
            }
        }
    }
    out
}

/// The entry point a client (or DNS) picks among `candidates` with everything healthy, for
/// `client`: with `geo`, one in the client's data center; else the closest to the client (a
/// DNS sends it to the entry point, which it then reaches from its own data center).
pub fn static_entry(
    model: &Model,
    from: NodeId,
    client: NodeId,
    candidates: &[NodeId],
    geo: bool,
) -> Option<NodeId> {
    if geo {
        let dc = &model.node(client).dc;
        if let Some(c) = candidates.iter().find(|c| model.node(**c).dc == *dc) {
            return Some(*c);
        }
    }
    let via_dns = model.node(from).kind == Kind::Dns;
    candidates.iter().copied().min_by_key(|c| {
        let away = if via_dns {
            model.dc_distance(client, *c)
        } else {
            crate::time::Duration::ZERO
        };
        model.latency(from, *c) + away
    })
}

/// Generalised harmonic number H(n, s) = Σ_{k=1..n} k^-s: exact up to a thousand terms, then
/// Euler–Maclaurin (error far below 1e-9), so it costs the same for a billion users as for ten.
pub fn harmonic(n: u64, s: f64) -> f64 {
    const EXACT: u64 = 1_000;
    let head: f64 = (1..=n.min(EXACT)).map(|k| libm::pow(k as f64, -s)).sum();
    if n <= EXACT {
        return head;
    }
    let (m, x) = (EXACT as f64, n as f64);
    let f = |v: f64| libm::pow(v, -s);
    let df = |v: f64| -s * libm::pow(v, -s - 1.0);
    let integral = if (s - 1.0).abs() < 1e-12 {
        libm::log(x) - libm::log(m)
    } else {
        (libm::pow(x, 1.0 - s) - libm::pow(m, 1.0 - s)) / (1.0 - s)
    };
    // Σ_{k=m+1..n} f(k) ≈ ∫_m^n f + (f(n) − f(m))/2 + (f'(n) − f'(m))/12
    head + integral + (f(x) - f(m)) / 2.0 + (df(x) - df(m)) / 12.0
}

/// The users whose requests reach a part of the walk.
#[derive(Clone, Debug)]
enum Keys {
    All,
    /// Those a hashing router sends to shard `shard` of `len` (`ring` for consistent hashing),
    /// which gets the share `arc` of the hash space. (Shared and worked out once per router
    /// visit: the ring was cloned for every shard, and the arcs recomputed over the whole
    /// ring at every node behind it.)
    Hashed {
        strategy: ShardStrategy,
        shard: u64,
        len: u64,
        ring: Rc<[(u64, u32)]>,
        arc: f64,
    },
    /// Users `lo + 1` to `hi` (a range router's slice).
    Range {
        lo: u64,
        hi: u64,
    },
}

impl Keys {
    fn contains(&self, user: u64) -> bool {
        match self {
            Keys::All => true,
            Keys::Hashed {
                strategy,
                shard,
                len,
                ring,
                ..
            } => hash::hashed_shard(*strategy, user, *len, ring) == *shard,
            Keys::Range { lo, hi } => *lo < user && user <= *hi,
        }
    }
}

struct Walker<'a> {
    model: &'a Model,
    client: NodeId,
    users: u64,
    zipf_s: f64,
    /// The client's rate of the request type walked: a node reached with weight `x` sees
    /// `x × op_rps` of them (what a cache's hit ratio depends on).
    op_rps: f64,
    /// The client's write rate. Writes are assumed to reach a cache's callers as its reads
    /// do, invalidating `x × write_rps` keys a second there.
    write_rps: f64,
    /// Whether loads are estimated: cache hit ratios, and how calls spread over instances by
    /// user. Validation's walk only follows the paths (every read misses, instances share
    /// evenly, an `ip_hash` balancer walks every target).
    estimates: bool,
    /// The most popular users' shares of the traffic (user 1 first) and what the others
    /// share evenly, worked out once per walk.
    popularity: Option<(Vec<f64>, f64)>,
    /// Set by an `ip_hash` balancer for the server it is calling: how that server's calls
    /// spread over its instances (taken by the server's visit).
    hashed_by_balancer: Option<(NodeId, Vec<f64>)>,
    /// While a split weighs its targets (see `split_by_capacity`): the target asked about,
    /// and the time one of its workers is held per call once its visit tells. Nothing is
    /// reported meanwhile.
    probe: Option<(NodeId, Option<f64>)>,
    /// Hit ratios worked out so far, by cache and weight: a server asks for its cache's
    /// after the cache's own visit did.
    hits: Vec<(NodeId, f64, f64)>,
    problems: Vec<Problem>,
    /// The nodes the walk called, by index.
    called: Vec<bool>,
    /// Which users' requests reach the node being walked: all of them, or behind a shard
    /// router only those of one shard (a keyed store there splits those users, not all).
    keys: Keys,
    /// The largest user population of any client: a range router splits user ids 1 to this
    /// into equal slices, as the engine does.
    max_users: u64,
    /// What reaches each cache from every client, when known: its hit ratio then follows
    /// that, not this client's traffic alone.
    cache_traffic: Option<&'a mut [CacheTraffic]>,
    /// Whether to walk the entry points a client or DNS uses only when its choice is down.
    fallbacks: bool,
    on_visit: &'a mut dyn FnMut(Visit),
}

impl Walker<'_> {
    /// The share of reads cache `cache` answers, reached with `weight` of this walk's traffic.
    fn cache_hit(&mut self, cache: NodeId, weight: f64) -> f64 {
        let Params::Cache(p) = &self.model.node(cache).params else {
            return 0.0;
        };
        if !self.estimates {
            return 0.0;
        }
        if let Some(&(_, _, hit)) = self
            .hits
            .iter()
            .find(|(c, w, _)| *c == cache && *w == weight)
        {
            return hit;
        }
        let capacity = p.capacity_keys.saturating_mul(p.instances as u64);
        let (eviction, ttl_s) = (p.eviction, p.ttl_s);
        let population = (self.users, self.zipf_s.to_bits());
        if let Some(all) = self.cache_traffic.as_deref_mut() {
            // Every client's reads of this cache together: their users are the same keys.
            let t = &mut all[cache.ix()];
            if t.hits.is_none() {
                let load = CacheLoad {
                    capacity,
                    populations: t
                        .reads
                        .iter()
                        .map(|&(users, zipf, read_rps)| Population {
                            users,
                            zipf_s: f64::from_bits(zipf),
                            read_rps,
                        })
                        .collect(),
                    eviction,
                    ttl_s,
                    write_rps: t.write_rps,
                    fill_s: t.fill_s(),
                };
                t.hits = Some(hit_ratio::hit_ratios(&load));
            }
            let mine = t.reads.iter().position(|(u, z, _)| (*u, *z) == population);
            return match (mine, &t.hits) {
                (Some(i), Some(hits)) => hits[i],
                _ => 0.0,
            };
        }
        let hit = hit_ratio::hit_ratio(&CacheLoad::single(
            capacity,
            self.users,
            self.zipf_s,
            eviction,
            ttl_s,
            self.op_rps * weight,
            self.write_rps * weight,
        ));
        self.hits.push((cache, weight, hit));
        hit
    }

    fn dead_end(&mut self, node: NodeId, msg: String) {
        let p = Problem::node(&self.model.node(node).id, None, msg);
        if !self.problems.contains(&p) {
            self.problems.push(p);
        }
    }

    /// A call from `from` to `to`: the round trip plus the callee's own time.
    fn hop(&mut self, from: NodeId, to: NodeId, op: Op, weight: f64, depth: usize) -> f64 {
        2.0 * self.model.latency(from, to).as_millis_f64() + self.call(to, op, weight, depth + 1)
    }

    /// Splits `weight` over `targets` by their instance counts; mean time of one call.
    fn split(
        &mut self,
        from: NodeId,
        targets: &[NodeId],
        op: Op,
        weight: f64,
        depth: usize,
    ) -> f64 {
        let counts: Vec<f64> = targets
            .iter()
            .map(|t| f64::from(self.model.instances(*t)))
            .collect();
        self.split_in_proportion(from, (targets, &counts), op, (weight, depth))
    }

    /// Splits `weight` over `targets` in proportion to their `parts` (a positive total); mean
    /// time of one call.
    fn split_in_proportion(
        &mut self,
        from: NodeId,
        (targets, parts): (&[NodeId], &[f64]),
        op: Op,
        (weight, depth): (f64, usize),
    ) -> f64 {
        let total: f64 = parts.iter().sum();
        let mut time = 0.0;
        for (t, part) in targets.iter().zip(parts) {
            let share = part / total;
            time += share * self.hop(from, *t, op, weight * share, depth);
        }
        time
    }

    /// Splits `weight` over `targets` by how many calls a second each can take: its workers
    /// (at its maximum instances, as the capacity analysis counts an autoscaled tier) over
    /// the time one is held per call. For where work goes to whoever is free (a
    /// `least_connections` balancer, the pools draining a queue), so that at saturation every
    /// target is full at once: a fast server next to a slow one takes more. (Split by
    /// instances, one fast and one slow server were said to saturate at twice the slow one's
    /// capacity, 200 req/s, where runs carried 500; two pools on a queue, by their workers
    /// only, at 16 jobs/s where runs drained 88.) By instances, as `split`, when a target's
    /// capacity is not bounded. Mean time of one call.
    fn split_by_capacity(
        &mut self,
        from: NodeId,
        targets: &[NodeId],
        op: Op,
        weight: f64,
        depth: usize,
    ) -> f64 {
        let carries: Option<Vec<f64>> = targets
            .iter()
            .map(|t| self.calls_per_second(from, *t, op, weight, depth))
            .collect();
        let total: f64 = carries.iter().flatten().sum();
        match carries.filter(|_| total > 0.0 && total.is_finite()) {
            Some(carries) => {
                self.split_in_proportion(from, (targets, &carries), op, (weight, depth))
            }
            None => self.split(from, targets, op, weight, depth),
        }
    }

    /// How many calls of `op` from `from` node `to` can take a second, all its workers busy;
    /// `None` when that is not bounded (no worker limit, or no time held). Walks the call
    /// without reporting it, to learn how long a worker is held.
    fn calls_per_second(
        &mut self,
        from: NodeId,
        to: NodeId,
        op: Op,
        weight: f64,
        depth: usize,
    ) -> Option<f64> {
        let workers = self.model.workers(to)?;
        let slots = f64::from(self.model.max_instances(to)) * f64::from(workers);
        let (hits, problems) = (self.hits.len(), self.problems.len());
        let outer = self.probe.replace((to, None));
        self.hop(from, to, op, weight, depth);
        let (_, hold) = std::mem::replace(&mut self.probe, outer)?;
        // What the walk learnt meanwhile is learnt again by the call itself.
        self.hits.truncate(hits);
        self.problems.truncate(problems);
        hold.filter(|ms| *ms > 0.0).map(|ms| slots * 1000.0 / ms)
    }

    /// Range sharding: shard k holds the k-th slice of user ids, and carries that slice's
    /// Zipf popularity mass (the lowest ids are the most popular: a hot first shard).
    fn split_by_range(
        &mut self,
        from: NodeId,
        shards: &[NodeId],
        op: Op,
        weight: f64,
        depth: usize,
    ) -> f64 {
        let n = shards.len() as u64;
        let total = harmonic(self.users, self.zipf_s);
        let mut time = 0.0;
        for (k, s) in shards.iter().enumerate() {
            // The engine puts user u on slice ⌊(u − 1)·n / max_users⌋: users ⌈k·max/n⌉ + 1
            // to ⌈(k+1)·max/n⌉, over the largest population of any client (a smaller one
            // fills the first slices only).
            let edge = |k: u64| {
                (u128::from(self.max_users) * u128::from(k)).div_ceil(u128::from(n)) as u64
            };
            let (lo, hi) = (edge(k as u64), edge(k as u64 + 1));
            let mass = |x: u64| harmonic(x.min(self.users), self.zipf_s);
            let share = (mass(hi) - mass(lo)) / total;
            let outer = std::mem::replace(&mut self.keys, Keys::Range { lo, hi });
            time += share * self.shard_hop(from, *s, op, weight * share, depth);
            self.keys = outer;
        }
        time
    }

    /// The share of traffic each of `len` shards gets from a hashing router: the most popular
    /// users where the engine's hash really puts them (a hot key makes a hot shard), the rest
    /// spread evenly by `hash_mod`, by the shards' arcs of the ring by consistent hashing.
    /// `arcs` are the shards' shares of the hash space (even for `hash_mod`).
    fn hashed_shares(
        &mut self,
        strategy: ShardStrategy,
        ring: &[(u64, u32)],
        arcs: &[f64],
    ) -> Vec<f64> {
        let len = arcs.len();
        let mut shares = self.keyed_shares(len, |user| {
            hash::hashed_shard(strategy, user, len as u64, ring) as usize
        });
        // The other users fall on each shard's arcs of the ring, which are not even.
        let rest = self.popularity().1;
        for (s, arc) in shares.iter_mut().zip(arcs) {
            *s += rest * (arc - 1.0 / len as f64);
        }
        shares
    }

    /// The share of this walk's traffic each of `len` places gets when `place_of` picks one
    /// by user id: the most popular users where they really go, the rest spread evenly.
    fn keyed_shares(&mut self, len: usize, place_of: impl Fn(u64) -> usize) -> Vec<f64> {
        let (top, rest) = self.popularity();
        let mut shares = vec![*rest / len as f64; len];
        for (user, share) in (1..).zip(top.iter()) {
            shares[place_of(user).min(len - 1)] += share;
        }
        shares
    }

    /// The most popular users' shares of the traffic (user 1 first) and what the others
    /// share, worked out on first use.
    fn popularity(&mut self) -> &(Vec<f64>, f64) {
        let (users, zipf_s) = (self.users, self.zipf_s);
        self.popularity.get_or_insert_with(|| {
            const EXACT: u64 = 1_000;
            let total = harmonic(users, zipf_s);
            let top: Vec<f64> = (1..=users.min(EXACT))
                .map(|user| libm::pow(user as f64, -zipf_s) / total)
                .collect();
            let rest = (1.0 - top.iter().sum::<f64>()).max(0.0);
            (top, rest)
        })
    }

    /// How the requests reaching this part of the walk spread over `len` places (shares
    /// summing to 1) when `place_of` picks one by user id: as [`Walker::keyed_shares`], over
    /// only the users that get here (behind a shard router, that shard's).
    fn keyed_shares_within(&mut self, len: usize, place_of: impl Fn(u64) -> usize) -> Vec<f64> {
        if matches!(self.keys, Keys::All) {
            return self.keyed_shares(len, place_of);
        }
        let (top, rest) = self.popularity().clone();
        let mut shares = vec![0.0; len];
        for (user, share) in (1..).zip(top.iter()) {
            if self.keys.contains(user) {
                shares[place_of(user).min(len - 1)] += share;
            }
        }
        // The users past the exactly counted ones, spread evenly.
        let exact = top.len() as u64;
        let rest_here = match &self.keys {
            Keys::All => rest,
            Keys::Hashed { arc, .. } => rest * arc,
            Keys::Range { lo, hi } => {
                let mass = |x: u64| harmonic(x.clamp(exact, self.users), self.zipf_s);
                ((mass(*hi) - mass(*lo)) / harmonic(self.users, self.zipf_s)).max(0.0)
            }
        };
        for s in &mut shares {
            *s += rest_here / len as f64;
        }
        let total: f64 = shares.iter().sum();
        if total > 0.0 {
            shares.iter_mut().for_each(|s| *s /= total);
        } else {
            shares = vec![1.0 / len as f64; len];
        }
        shares
    }

    /// An `ip_hash` balancer's call to `targets`: each user goes to the instance its
    /// hash picks among all the balancer's instances (an autoscaled tier's at its
    /// maximum, as the engine lists them), so each target gets its instances' users.
    fn split_by_user(
        &mut self,
        from: NodeId,
        targets: &[NodeId],
        op: Op,
        weight: f64,
        depth: usize,
    ) -> f64 {
        // The balancer's flat list of instances, as the engine builds it: (target, instance).
        let slots: Vec<(usize, u32)> = targets
            .iter()
            .enumerate()
            .flat_map(|(k, t)| {
                let count = if self.model.node(*t).kind == Kind::LoadBalancer {
                    1
                } else {
                    self.model.max_instances(*t)
                };
                (0..count).map(move |i| (k, i))
            })
            .collect();
        let slot_shares =
            self.keyed_shares(slots.len(), |user| hash::sticky_place(user, slots.len()));
        let mut time = 0.0;
        for (k, t) in targets.iter().enumerate() {
            let mine: Vec<f64> = slots
                .iter()
                .zip(&slot_shares)
                .filter(|((target, _), _)| *target == k)
                .map(|(_, share)| *share)
                .collect();
            let share: f64 = mine.iter().sum();
            if share <= 0.0 {
                continue;
            }
            if self.model.node(*t).kind != Kind::LoadBalancer {
                self.hashed_by_balancer = Some((*t, mine.iter().map(|s| s / share).collect()));
            }
            time += share * self.hop(from, *t, op, weight * share, depth);
            self.hashed_by_balancer = None;
        }
        time
    }

    /// A router's call to `shard`: reads of a SQL primary with replicas go to the replicas
    /// (evenly), over the router's edge to the shard, as the engine sends them.
    fn shard_hop(&mut self, from: NodeId, shard: NodeId, op: Op, weight: f64, depth: usize) -> f64 {
        let replicas = &self.model.node(shard).routes.replicas;
        if op == Op::Write || replicas.is_empty() {
            return self.hop(from, shard, op, weight, depth);
        }
        let replicas = replicas.clone();
        let share = 1.0 / replicas.len() as f64;
        let hop = 2.0 * self.model.latency(from, shard).as_millis_f64();
        let mut time = hop;
        for r in &replicas {
            time += share * self.call(*r, op, weight * share, depth + 1);
        }
        time
    }

    /// Visits `node` with `weight` calls of `op`; returns the mean response time of one call.
    fn call(&mut self, node: NodeId, op: Op, weight: f64, depth: usize) -> f64 {
        if depth > self.model.nodes.len() + 1 {
            return 0.0; // cycles are rejected before walking; this only guards the recursion
        }
        self.called[node.ix()] = true;
        let m = self.model;
        let n = m.node(node);
        let service = m.service(node, op).map_or(0.0, |d| d.mean_ms());
        match n.kind {
            Kind::Client | Kind::Dns => self.call_entry(node, op, weight, depth),
            Kind::Cdn => self.call_cdn(node, op, weight, depth),
            Kind::LoadBalancer | Kind::ShardRouter => self.call_spread(node, op, weight, depth),
            Kind::Queue => self.call_queue(node, weight, depth),
            Kind::Server | Kind::WorkerPool => self.call_server(node, op, weight, depth),
            Kind::Cache => self.call_cache(node, op, weight, depth),
            Kind::SqlPrimary | Kind::SqlReplica | Kind::Nosql | Kind::SessionStore => {
                self.visit(node, weight, service);
                service
            }
            Kind::ObjectStore => service,
        }
    }

    /// A client or a DNS: the entry point it sends each request to.
    fn call_entry(&mut self, node: NodeId, op: Op, weight: f64, depth: usize) -> f64 {
        let m = self.model;
        let n = self.model.node(node);
        let r = &n.routes;
        let (geo, extra) = match &n.params {
            Params::Dns(p) => (p.geo, p.miss_ratio * p.latency_ms),
            _ => (false, 0.0),
        };
        let candidates = r.entries_for(op);
        let chosen = static_entry(m, node, self.client, candidates, geo);
        // The engine falls back to any other entry when the chosen one is down, so
        // every entry must lead somewhere too: walked with no weight, they add no
        // demand but report their dead ends.
        if self.fallbacks {
            // Only their dead ends matter: without load, no estimates (the costly
            // part: hit ratios, each instance's share of the popular users).
            let estimates = std::mem::replace(&mut self.estimates, false);
            for &other in candidates.iter().filter(|c| Some(**c) != chosen) {
                self.hop(node, other, op, 0.0, depth);
            }
            self.estimates = estimates;
        }
        match chosen {
            Some(e) => {
                // Through a DNS the client reaches the entry from its own data center.
                let away = if n.kind == Kind::Dns {
                    2.0 * m.dc_distance(self.client, e).as_millis_f64()
                } else {
                    0.0
                };
                extra + away + self.hop(node, e, op, weight, depth)
            }
            None => {
                // A DNS cannot call another DNS (`can_connect`).
                let (what, to) = if n.kind == Kind::Client {
                    ("client", "a dns, load_balancer or server")
                } else {
                    ("dns", "a load_balancer or server")
                };
                self.dead_end(
                    node,
                    format!("this {what} has no path to a server: connect it to {to}"),
                );
                0.0
            }
        }
    }

    /// A CDN: its hits, and its misses at its origin.
    fn call_cdn(&mut self, node: NodeId, op: Op, weight: f64, depth: usize) -> f64 {
        let n = self.model.node(node);
        let r = &n.routes;
        let Params::Cdn(p) = &n.params else {
            return 0.0;
        };
        let origin = if op == Op::Static {
            r.static_origin.or(r.forward)
        } else {
            r.forward
        };
        let hit = if op == Op::Static {
            match p.capacity_keys {
                Some(_) if !self.estimates => 0.0,
                // An LRU of objects that never expire nor change.
                Some(c) => hit_ratio::hit_ratio(&CacheLoad::single(
                    c,
                    self.users,
                    self.zipf_s,
                    Eviction::Lru,
                    None,
                    self.op_rps * weight,
                    0.0,
                )),
                None => p.hit_ratio,
            }
        } else {
            0.0
        };
        match origin {
            Some(o) => {
                let miss = self.hop(node, o, op, weight * (1.0 - hit), depth);
                p.edge_latency_ms + (1.0 - hit) * miss
            }
            // Without an origin only a fixed hit ratio of 1 works: an edge that
            // caches `capacity_keys` starts cold, and its first misses need an origin.
            None if hit >= 1.0 && p.capacity_keys.is_none() => p.edge_latency_ms,
            None => {
                // Only static requests go to an object store: name what the others
                // need when one is connected ("no origin" beside it read as wrong).
                let message = if op != Op::Static && r.static_origin.is_some() {
                    format!(
                        "{} requests reach this cdn, but its object_store serves only \
                         static ones: connect it to a load_balancer or server for them",
                        op.as_str()
                    )
                } else {
                    format!(
                        "{} requests reach this cdn but it has no origin: connect it \
                         to an object_store, load_balancer or server",
                        op.as_str()
                    )
                };
                self.dead_end(node, message);
                0.0
            }
        }
    }

    /// A balancer or a shard router: the calls spread over its targets as its algorithm or strategy spreads them.
    fn call_spread(&mut self, node: NodeId, op: Op, weight: f64, depth: usize) -> f64 {
        let m = self.model;
        let n = self.model.node(node);
        let r = &n.routes;
        if r.targets.is_empty() {
            let what = if n.kind == Kind::LoadBalancer {
                "servers behind it"
            } else {
                "shards"
            };
            self.dead_end(node, format!("has no {what}: connect it to at least one"));
            return 0.0;
        }
        let targets = r.targets.clone();
        let time = match &n.params {
            Params::ShardRouter(p) if p.strategy == ShardStrategy::Range => {
                self.split_by_range(node, &targets, op, weight, depth)
            }
            Params::ShardRouter(p) => {
                let len = targets.len();
                let ring: Rc<[(u64, u32)]> = hash::ring(len).into();
                let arcs = if p.strategy == ShardStrategy::ConsistentHash {
                    hash::arc_shares(&ring, len)
                } else {
                    vec![1.0 / len as f64; len]
                };
                let shares = self.hashed_shares(p.strategy, &ring, &arcs);
                let mut time = 0.0;
                for (k, (t, share)) in targets.iter().zip(shares).enumerate() {
                    let keys = Keys::Hashed {
                        strategy: p.strategy,
                        shard: k as u64,
                        len: len as u64,
                        ring: Rc::clone(&ring),
                        arc: arcs[k],
                    };
                    let outer = std::mem::replace(&mut self.keys, keys);
                    time += share * self.shard_hop(node, *t, op, weight * share, depth);
                    self.keys = outer;
                }
                time
            }
            Params::LoadBalancer(p) if p.algorithm == Algorithm::IpHash && self.estimates => {
                self.split_by_user(node, &targets, op, weight, depth)
            }
            Params::LoadBalancer(p) if p.algorithm == Algorithm::LeastConnections => {
                self.split_by_capacity(node, &targets, op, weight, depth)
            }
            _ => self.split(node, &targets, op, weight, depth),
        };
        if m.workers(node).is_some() {
            // A balancer with `max_connections` holds a connection for the whole
            // call below it: a station with that many workers.
            self.visit(node, weight, time);
        }
        time
    }

    /// A queue: its jobs, done by the pools draining it (the producer waits only for the enqueue).
    fn call_queue(&mut self, node: NodeId, weight: f64, depth: usize) -> f64 {
        let n = self.model.node(node);
        let r = &n.routes;
        if r.targets.is_empty() {
            self.dead_end(
                node,
                "has no worker_pool draining it: messages would pile up forever; draw the \
                 edge from the queue to the worker pool (one from the pool to the queue sends \
                 the pool's own jobs to it)"
                    .into(),
            );
            return 0.0;
        }
        let targets = r.targets.clone();
        self.split_by_capacity(node, &targets, Op::Async, weight, depth);
        0.0 // the producer only waits for the enqueue
    }

    /// A server or a worker pool: its own work and the calls its plan makes, its workers held for both when it blocks.
    fn call_server(&mut self, node: NodeId, op: Op, weight: f64, depth: usize) -> f64 {
        let n = self.model.node(node);
        let service = self.model.service(node, op).map_or(0.0, |d| d.mean_ms());
        let blocking = match &n.params {
            Params::Server(p) => p.blocking,
            _ => true,
        };
        let downstream = if n.kind == Kind::WorkerPool {
            self.job_calls(node, weight, depth)
        } else {
            self.server_calls(node, op, weight, depth)
        };
        let hold = if blocking {
            service + downstream
        } else {
            service
        };
        self.visit(node, weight, hold);
        service + downstream
    }

    /// A read-through cache: its hits, and its misses read below it.
    fn call_cache(&mut self, node: NodeId, op: Op, weight: f64, depth: usize) -> f64 {
        let n = self.model.node(node);
        let r = &n.routes;
        let service = self.model.service(node, op).map_or(0.0, |d| d.mean_ms());
        let hit = self.cache_hit(node, weight);
        self.visit(node, weight, service);
        let readers = r.readers.clone();
        let miss = if readers.is_empty() {
            0.0 // cache-aside: the caller reads the database itself
        } else {
            let fetch = self.split(node, &readers, Op::Read, weight * (1.0 - hit), depth);
            self.touch(node, weight, fetch, Touch::Fill);
            fetch
        };
        service + (1.0 - hit) * miss
    }

    /// What happened to the keys of cache `cache`, `weight` times per unit of traffic.
    fn touch(&mut self, cache: NodeId, weight: f64, ms: f64, touch: Touch) {
        if self.probe.is_some() {
            return;
        }
        (self.on_visit)(Visit {
            touch,
            node: cache,
            weight,
            hold_ms: ms,
            instance_shares: None,
        });
    }

    fn visit(&mut self, node: NodeId, weight: f64, hold_ms: f64) {
        if let Some((probed, hold)) = &mut self.probe {
            if *probed == node && hold.is_none() {
                *hold = Some(hold_ms);
            }
            return;
        }
        let instance_shares = match self.model.node(node).kind {
            _ if !self.estimates => None,
            kind if kind.keyed_by_user() => {
                let count = self.model.instances(node) as usize;
                (count > 1).then(|| {
                    self.keyed_shares_within(count, |user| {
                        hash::partition(user, count as u64) as usize
                    })
                })
            }
            // Servers: spread by user when the balancer that called them hashes users.
            _ => self
                .hashed_by_balancer
                .take_if(|(to, _)| *to == node)
                .map(|(_, shares)| shares),
        };
        (self.on_visit)(Visit {
            touch: Touch::Work,
            node,
            weight,
            hold_ms,
            instance_shares,
        });
    }

    /// The downstream calls a server makes for one request of type `op`; their mean time.
    fn server_calls(&mut self, node: NodeId, op: Op, weight: f64, depth: usize) -> f64 {
        let m = self.model;
        let r = m.node(node).routes.clone();
        let mut time = 0.0;
        if let (Some(s), Op::Read | Op::Write) = (r.session, op) {
            time += self.hop(node, s, Op::Session, weight, depth);
        }
        match op {
            Op::Read => {
                let mut miss_share = 1.0;
                if let Some(c) = r.cache {
                    time += self.hop(node, c, Op::Read, weight, depth);
                    if !m.node(c).routes.readers.is_empty() {
                        return time; // read-through: the cache fetched the misses
                    }
                    miss_share = 1.0 - self.cache_hit(c, weight);
                }
                let fetch = if !r.readers.is_empty() {
                    Some(self.split(node, &r.readers, Op::Read, weight * miss_share, depth))
                } else {
                    // A cache-aside cache in front of another tier: only misses go on.
                    r.forward
                        .map(|f| self.hop(node, f, op, weight * miss_share, depth))
                };
                if let Some(fetch) = fetch {
                    time += miss_share * fetch;
                    if let Some(c) = r.cache {
                        // The server stores what it fetched when the answer comes back.
                        self.touch(c, weight, fetch, Touch::Fill);
                    }
                } else if r.cache.is_some() {
                    self.dead_end(node, "cache misses have nowhere to go: connect a database to this server or to its cache".into());
                }
            }
            Op::Write => {
                if let Some(w) = r.writer {
                    time += self.hop(node, w, Op::Write, weight, depth);
                } else if let Some(f) = r.forward {
                    // The tier behind writes (and the server's cache forgets the key).
                    time += self.hop(node, f, op, weight, depth);
                } else if !r.readers.is_empty() || r.cache.is_some() {
                    self.dead_end(
                        node,
                        "writes have nowhere to go: its stores only serve reads; connect a sql_primary, nosql or shard_router".into(),
                    );
                }
                if let (Some(c), Some(_)) = (r.cache, r.writer.or(r.forward)) {
                    self.touch(c, weight, 0.0, Touch::Invalidation);
                }
            }
            Op::Static => {
                if let Some(o) = r.static_origin.or(r.forward) {
                    time += self.hop(node, o, op, weight, depth);
                }
            }
            Op::Async => {
                if let Some(q) = r.queue.or(r.forward) {
                    time += self.hop(node, q, op, weight, depth);
                }
            }
            Op::Session => {}
        }
        time
    }

    /// The calls a worker makes for one job: write the result, store a blob, pass work on.
    fn job_calls(&mut self, node: NodeId, weight: f64, depth: usize) -> f64 {
        let r = self.model.node(node).routes.clone();
        let mut time = 0.0;
        if let Some(w) = r.writer {
            time += self.hop(node, w, Op::Write, weight, depth);
            if let Some(c) = r.cache {
                self.touch(c, weight, 0.0, Touch::Invalidation);
            }
        }
        if let Some(o) = r.static_origin {
            time += self.hop(node, o, Op::Static, weight, depth);
        }
        if let Some(q) = r.queue {
            time += self.hop(node, q, Op::Async, weight, depth);
        }
        time
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_nothing_calls_are_unreached() {
        let model = crate::load(
            r#"{"version": 1, "duration_s": 10,
                "nodes": [{"id": "users", "kind": "client"}, {"id": "web", "kind": "server"},
                          {"id": "db", "kind": "sql_primary"}, {"id": "replica", "kind": "sql_replica"},
                          {"id": "spare", "kind": "server"}, {"id": "cache", "kind": "cache"}],
                "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "db"},
                          {"from": "db", "to": "replica"}, {"from": "spare", "to": "cache"}]}"#,
        )
        .unwrap();
        let ids: Vec<&str> = unreached(&model)
            .into_iter()
            .map(|n| model.node(n).id.as_str())
            .collect();
        assert_eq!(ids, ["spare", "cache"]);
    }

    #[test]
    fn harmonic_tail_matches_exact_sum() {
        for s in [0.0, 0.5, 1.0, 1.3] {
            let exact: f64 = (1..=200_000u64).map(|k| (k as f64).powf(-s)).sum();
            let approx = harmonic(200_000, s);
            assert!(
                ((approx - exact) / exact).abs() < 1e-9,
                "s={s}: {approx} vs {exact}"
            );
        }
    }
}
