//! A validated scenario, ready to simulate: typed params, numeric ids, resolved edge latencies
//! and the routing roles of every node (who a server reads from, writes to, …).
//!
//! Routing is decided here, once, from the kinds of downstream nodes (PRODUCT.md §2), so that
//! the engine, the capacity analysis and validation all agree on where a request goes.

use crate::params::{Dist, Params, Reliability};
use crate::scenario::{FaultAction, Kind, Scenario};
use crate::time::{Duration, SimTime};

/// Index of a node in [`Model::nodes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

impl NodeId {
    /// As a vector index.
    pub fn ix(self) -> usize {
        self.0 as usize
    }
}

/// What a call asks of the node it reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Op {
    /// A dynamic read of the user's key.
    Read,
    /// A write of the user's key.
    Write,
    /// A static asset.
    Static,
    /// A background job handed to a queue.
    Async,
    /// A session lookup.
    Session,
}

impl Op {
    /// The four request types clients send, in mix order.
    pub const REQUEST_TYPES: [Op; 4] = [Op::Read, Op::Write, Op::Static, Op::Async];

    /// Name used in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Read => "read",
            Op::Write => "write",
            Op::Static => "static",
            Op::Async => "async",
            Op::Session => "session",
        }
    }
}

/// A node of the model.
#[derive(Clone, Debug)]
pub struct ModelNode {
    /// The id from the file.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Component kind.
    pub kind: Kind,
    /// Data center.
    pub dc: String,
    /// Typed params.
    pub params: Params,
    /// Random failures.
    pub reliability: Reliability,
    /// Outgoing call edges, in file order.
    pub out: Vec<EdgeId>,
    /// Where requests go from here.
    pub routes: Routes,
}

/// Index of an edge in [`Model::edges`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EdgeId(pub u32);

/// A directed call with its resolved one-way latency.
#[derive(Clone, Debug)]
pub struct ModelEdge {
    /// Caller.
    pub from: NodeId,
    /// Callee.
    pub to: NodeId,
    /// One-way network delay.
    pub latency: Duration,
}

/// Where a node sends each kind of request. Empty vectors mean "nobody".
#[derive(Clone, Debug, Default)]
pub struct Routes {
    /// Entry points for dynamic requests (client, dns): candidates for DNS/client choice.
    pub entries: Vec<NodeId>,
    /// Entry points for static requests (CDNs) of a client or DNS.
    pub static_entries: Vec<NodeId>,
    /// Load balancer, shard router, queue: the downstream targets.
    pub targets: Vec<NodeId>,
    /// App tier a server or CDN forwards to when it cannot serve a request itself.
    pub forward: Option<NodeId>,
    /// Session store consulted before every dynamic request.
    pub session: Option<NodeId>,
    /// Cache consulted before reads.
    pub cache: Option<NodeId>,
    /// Stores that answer reads (replicas first, else primaries, NoSQL or shard routers).
    pub readers: Vec<NodeId>,
    /// Store that takes writes.
    pub writer: Option<NodeId>,
    /// Origin of static requests (object store).
    pub static_origin: Option<NodeId>,
    /// Queue that takes async jobs.
    pub queue: Option<NodeId>,
    /// Replicas fed by this primary.
    pub replicas: Vec<NodeId>,
}

impl Routes {
    /// The entry points a client or DNS chooses among for a request of type `op`: the CDNs
    /// for static requests when there are any, else the dynamic entries.
    #[inline]
    pub fn entries_for(&self, op: Op) -> &[NodeId] {
        if op == Op::Static && !self.static_entries.is_empty() {
            &self.static_entries
        } else {
            &self.entries
        }
    }
}

/// A scheduled fault, resolved to node indices.
#[derive(Clone, Debug)]
pub struct ModelFault {
    /// When.
    pub at: SimTime,
    /// Which nodes (one, or a whole data center).
    pub nodes: Vec<NodeId>,
    /// Which instance; all when `None`.
    pub instance: Option<u32>,
    /// Fail or recover.
    pub action: FaultAction,
    /// Named by `dc`: a whole data center's outage, held apart from its nodes' own faults.
    pub data_center: bool,
}

/// A validated scenario.
#[derive(Clone, Debug)]
pub struct Model {
    /// The scenario this model was built from.
    pub scenario: Scenario,
    /// Nodes, in file order.
    pub nodes: Vec<ModelNode>,
    /// Call edges, in file order.
    pub edges: Vec<ModelEdge>,
    /// Scheduled faults, sorted by time (stable).
    pub faults: Vec<ModelFault>,
    /// Length of the run.
    pub duration: SimTime,
    /// End of the warm-up.
    pub warmup: SimTime,
    /// How far apart the data centers are (see [`Model::dc_distance`]).
    pub dc_distances: DcDistances,
}

/// The one-way network delay between data centers, for clients sent by a DNS to an entry
/// point in another data center than their own: the smallest latency of an edge drawn
/// between the two (the scenario's own idea of the distance), else [`CROSS_DC_MS`].
#[derive(Clone, Debug, Default)]
pub struct DcDistances {
    /// Each node's data center, as an index into the data centers met.
    dc_of: Vec<u32>,
    /// How many data centers there are.
    count: usize,
    /// `count × count` delays, row by data center.
    delay: Vec<Duration>,
}

/// The default one-way latency of an edge between data centers, in milliseconds.
pub const CROSS_DC_MS: f64 = 80.0;
/// The default one-way latency of an edge within a data center, in milliseconds.
pub const SAME_DC_MS: f64 = 0.5;

impl DcDistances {
    /// Distances between the data centers of `nodes`, from the `edges` drawn between them
    /// (edges to or from a DNS do not count: a DNS is no place, see [`Model::dc_distance`]).
    pub fn new(nodes: &[ModelNode], edges: &[ModelEdge]) -> DcDistances {
        let mut names: Vec<&str> = Vec::new();
        let dc_of: Vec<u32> = nodes
            .iter()
            .map(|n| match names.iter().position(|d| *d == n.dc) {
                Some(i) => i as u32,
                None => {
                    names.push(&n.dc);
                    (names.len() - 1) as u32
                }
            })
            .collect();
        let count = names.len();
        let mut delay = vec![Duration::from_millis(CROSS_DC_MS); count * count];
        let mut drawn = vec![false; count * count];
        for k in 0..count {
            delay[k * count + k] = Duration::ZERO;
        }
        for e in edges {
            if nodes[e.from.ix()].kind == Kind::Dns || nodes[e.to.ix()].kind == Kind::Dns {
                continue;
            }
            let (a, b) = (dc_of[e.from.ix()] as usize, dc_of[e.to.ix()] as usize);
            if a == b {
                continue;
            }
            for ix in [a * count + b, b * count + a] {
                if !drawn[ix] || e.latency < delay[ix] {
                    delay[ix] = e.latency;
                    drawn[ix] = true;
                }
            }
        }
        DcDistances {
            dc_of,
            count,
            delay,
        }
    }
}

impl Model {
    /// The node with this id.
    pub fn find(&self, id: &str) -> Option<NodeId> {
        self.nodes
            .iter()
            .position(|n| n.id == id)
            .map(|i| NodeId(i as u32))
    }

    /// The node at this index.
    pub fn node(&self, id: NodeId) -> &ModelNode {
        &self.nodes[id.ix()]
    }

    /// The one-way delay between the data centers of `a` and `b` (zero within one). A DNS
    /// only tells a client where to connect: the client then talks to that entry point from
    /// where its users are, so a client sent to another data center pays this on top of the
    /// DNS edge's own latency, each way.
    pub fn dc_distance(&self, a: NodeId, b: NodeId) -> Duration {
        let d = &self.dc_distances;
        match (d.dc_of.get(a.ix()), d.dc_of.get(b.ix())) {
            (Some(x), Some(y)) if x != y => d.delay[*x as usize * d.count + *y as usize],
            _ => Duration::ZERO,
        }
    }

    /// The one-way latency of a call `from → to`: its edge's, or, for a call with no edge of
    /// its own (a server reading from its primary's replicas, or writing to the replica
    /// promoted in the primary's place), what an edge drawn between them would default to:
    /// [`SAME_DC_MS`] within a data center, else the delay between their data centers.
    pub fn latency(&self, from: NodeId, to: NodeId) -> Duration {
        self.node(from)
            .out
            .iter()
            .map(|e| &self.edges[e.0 as usize])
            .find(|e| e.to == to)
            .map_or_else(|| self.undrawn_latency(from, to), |e| e.latency)
    }

    /// The latency of a call with no edge of its own, as if one had been drawn with no
    /// `latency_ms` (PRODUCT §2's defaults). Zero was the old answer, and it made a failover
    /// across the ocean speed writes up.
    fn undrawn_latency(&self, from: NodeId, to: NodeId) -> Duration {
        if self.node(from).dc == self.node(to).dc {
            Duration::from_millis(SAME_DC_MS)
        } else {
            self.dc_distance(from, to)
        }
    }

    /// Downstream nodes of `id`, in edge order.
    pub fn downstream(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.node(id)
            .out
            .iter()
            .map(|e| self.edges[e.0 as usize].to)
    }

    /// Instances of a node at the start (1 for kinds without tiers; partitions for NoSQL).
    pub fn instances(&self, id: NodeId) -> u32 {
        match &self.node(id).params {
            Params::Server(p) => p.instances,
            Params::SessionStore(p) => p.instances,
            Params::Cache(p) => p.instances,
            Params::Nosql(p) => p.partitions,
            Params::WorkerPool(p) => p.instances,
            _ => 1,
        }
    }

    /// The largest user id any request carries: users are `1..=users` of each client.
    pub fn max_user(&self) -> u64 {
        self.nodes
            .iter()
            .filter_map(|n| match &n.params {
                Params::Client(p) => Some(p.users),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }

    /// Upper bound on instances (autoscaling).
    pub fn max_instances(&self, id: NodeId) -> u32 {
        match &self.node(id).params {
            Params::Server(p) => p.autoscale.as_ref().map_or(p.instances, |a| a.max),
            Params::WorkerPool(p) => p.autoscale.as_ref().map_or(p.instances, |a| a.max),
            _ => self.instances(id),
        }
    }

    /// Concurrent workers per instance (a balancer's `max_connections`, each held for the
    /// whole call below it); `None` means unlimited (pure delay).
    pub fn workers(&self, id: NodeId) -> Option<u32> {
        match &self.node(id).params {
            Params::Server(p) => Some(p.workers),
            Params::SessionStore(p) => Some(p.workers),
            Params::Cache(p) => Some(p.workers),
            Params::SqlPrimary(p) => Some(p.workers),
            Params::SqlReplica(p) => Some(p.workers),
            Params::Nosql(p) => Some(p.workers),
            Params::WorkerPool(p) => Some(p.workers),
            // Connections it holds at once, each for a whole call below it.
            Params::LoadBalancer(p) => p.max_connections.map(|m| m.min(u64::from(u32::MAX)) as u32),
            _ => None,
        }
    }

    /// Backlog limit per instance; `None` means unbounded.
    pub fn backlog_limit(&self, id: NodeId) -> Option<u64> {
        match &self.node(id).params {
            Params::Server(p) => p.queue,
            Params::SqlPrimary(p) => p.queue,
            Params::SqlReplica(p) => p.queue,
            _ => None,
        }
    }

    /// The service-time distribution a call of `op` meets at `id`, if the node does work.
    pub fn service(&self, id: NodeId, op: Op) -> Option<Dist> {
        // Validation has checked every distribution, so `check` cannot fail here.
        let d = |spec: &crate::params::DistSpec| spec.check().ok();
        match &self.node(id).params {
            Params::Server(p) => d(&p.service_ms),
            Params::SessionStore(p) => d(&p.service_ms),
            Params::Cache(p) => d(&p.service_ms),
            Params::SqlPrimary(p) => match op {
                Op::Write => d(&p.write_ms),
                _ => d(&p.read_ms),
            },
            Params::SqlReplica(p) => d(&p.read_ms),
            Params::Nosql(p) => match op {
                Op::Write => d(&p.write_ms),
                _ => d(&p.read_ms),
            },
            Params::WorkerPool(p) => d(&p.service_ms),
            Params::ObjectStore(p) => d(&p.read_ms),
            _ => None,
        }
    }

    /// Ids of client nodes.
    pub fn clients(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == Kind::Client)
            .map(|(i, _)| NodeId(i as u32))
    }
}

/// Fills in [`Routes`] for every node from the kinds of its downstream nodes.
pub(crate) fn compute_routes(nodes: &mut [ModelNode], edges: &[ModelEdge]) {
    let kinds: Vec<Kind> = nodes.iter().map(|n| n.kind).collect();
    let dcs: Vec<String> = nodes.iter().map(|n| n.dc.clone()).collect();
    let outs: Vec<Vec<NodeId>> = nodes
        .iter()
        .map(|n| n.out.iter().map(|e| edges[e.0 as usize].to).collect())
        .collect();
    let first = |from: usize, pred: &dyn Fn(Kind) -> bool| -> Option<NodeId> {
        outs[from].iter().copied().find(|d| pred(kinds[d.ix()]))
    };
    for i in 0..nodes.len() {
        let kind = kinds[i];
        let mut r = Routes::default();
        let down = &outs[i];
        match kind {
            Kind::Client | Kind::Dns => {
                r.static_entries = down
                    .iter()
                    .copied()
                    .filter(|d| kinds[d.ix()] == Kind::Cdn)
                    .collect();
                r.entries = down
                    .iter()
                    .copied()
                    .filter(|d| kinds[d.ix()] != Kind::Cdn)
                    .collect();
                if r.entries.is_empty() {
                    // A CDN-only client: the CDN passes dynamic requests on to its origin.
                    r.entries = r.static_entries.clone();
                }
            }
            Kind::Cdn => {
                r.static_origin = first(i, &|k| k == Kind::ObjectStore);
                r.forward = first(i, &|k| matches!(k, Kind::LoadBalancer | Kind::Server));
            }
            Kind::LoadBalancer | Kind::ShardRouter | Kind::Queue => r.targets = down.clone(),
            Kind::Server | Kind::WorkerPool | Kind::Cache => {
                r.forward = first(i, &|k| matches!(k, Kind::LoadBalancer | Kind::Server));
                r.session = first(i, &|k| k == Kind::SessionStore);
                r.cache = first(i, &|k| k == Kind::Cache);
                r.static_origin = first(i, &|k| k == Kind::ObjectStore);
                r.queue = first(i, &|k| k == Kind::Queue);
                r.writer = first(i, &|k| k.serves_writes());
                // Reads go to replicas when there are any: the server's own, else its primary's
                // in the same data center (a read never crosses an ocean when the primary is near).
                let mut readers: Vec<NodeId> = down
                    .iter()
                    .copied()
                    .filter(|d| kinds[d.ix()] == Kind::SqlReplica)
                    .collect();
                if readers.is_empty() {
                    if let Some(w) = r.writer.filter(|w| kinds[w.ix()] == Kind::SqlPrimary) {
                        readers = outs[w.ix()]
                            .iter()
                            .copied()
                            .filter(|d| kinds[d.ix()] == Kind::SqlReplica && dcs[d.ix()] == dcs[i])
                            .collect();
                    }
                }
                if readers.is_empty() {
                    readers.extend(first(i, &|k| k.serves_reads()));
                }
                r.readers = readers;
            }
            Kind::SqlPrimary => {
                r.replicas = down
                    .iter()
                    .copied()
                    .filter(|d| kinds[d.ix()] == Kind::SqlReplica)
                    .collect();
            }
            _ => {}
        }
        nodes[i].routes = r;
    }
}

/// Whether a call edge `from → to` makes sense, and if not, why (for the editor and validation).
pub fn can_connect(from: Kind, to: Kind) -> Result<(), String> {
    use Kind::*;
    if allowed(from, to) {
        return Ok(());
    }
    let hint = match from {
        // Drawn the wrong way round: replication goes from the primary to its replicas.
        SqlReplica if to == SqlPrimary => {
            "a sql_replica only answers calls; replication is drawn from the sql_primary to its \
             sql_replica"
        }
        Client => "a client calls a dns, cdn, load_balancer or server",
        Dns => "dns points at a cdn, load_balancer or server",
        Cdn => "a cdn's origin is a load_balancer, server or object_store",
        LoadBalancer => "a load_balancer spreads over servers or other load balancers",
        Server => "a server calls stores, caches, queues, object stores and other app tiers",
        Cache => "a read-through cache reads from a database (sql_primary, sql_replica, nosql, shard_router)",
        SqlPrimary => "a sql_primary only connects to its sql_replica nodes (replication)",
        ShardRouter => "a shard_router routes to shards: sql_primary or nosql",
        Queue => "a queue delivers to worker_pool nodes",
        WorkerPool => "a worker_pool calls databases, object stores or other queues, and a cache its writes invalidate (a job has no session to look up)",
        SqlReplica | Nosql | SessionStore | ObjectStore => "this kind only answers calls; it calls nothing",
    };
    // A call drawn backwards (from a server to its balancer) is one the other way round: say
    // so, which is what to do about it. The replica's hint says it already.
    let turn_round = if allowed(to, from) && !(from == SqlReplica && to == SqlPrimary) {
        format!(
            "; the other way round it can: draw the call from the {} to the {}",
            to.as_str(),
            from.as_str()
        )
    } else {
        String::new()
    };
    Err(format!(
        "a {} cannot call a {}: {hint}{turn_round}",
        from.as_str(),
        to.as_str()
    ))
}

/// Whether a `from` node may call a `to` node (see [`can_connect`]).
fn allowed(from: Kind, to: Kind) -> bool {
    use Kind::*;
    match from {
        Client => matches!(to, Dns | Cdn | LoadBalancer | Server),
        Dns => matches!(to, Cdn | LoadBalancer | Server),
        Cdn => matches!(to, LoadBalancer | Server | ObjectStore),
        LoadBalancer => matches!(to, Server | LoadBalancer),
        Server => !matches!(to, Client | Dns | Cdn | WorkerPool),
        Cache => matches!(to, SqlPrimary | SqlReplica | Nosql | ShardRouter),
        SqlPrimary => to == SqlReplica,
        ShardRouter => matches!(to, SqlPrimary | Nosql),
        Queue => to == WorkerPool,
        // No session store: a job carries no user session to look up.
        WorkerPool => matches!(
            to,
            SqlPrimary | Nosql | ShardRouter | ObjectStore | Queue | Cache
        ),
        SqlReplica | Nosql | SessionStore | ObjectStore => false,
    }
}
