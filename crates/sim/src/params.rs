//! Typed parameters of every component kind, with their defaults (PRODUCT.md §2).
//!
//! Each struct deserializes from a node's `params` object; every field has a default so a node
//! dropped on the canvas works before anyone edits it. [`check_values`] is where numbers that
//! parse but make no sense (zero workers, negative latency) are caught.

use serde::{Deserialize, Serialize};

use crate::error::shown;
use crate::rng::Rng;
use crate::scenario::Kind;

/// A service-time distribution, in milliseconds. A bare number means exponential with that mean.
/// Read by hand (see the `Deserialize` impl) so that a misspelt key is named, not dropped.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum DistSpec {
    /// `12`: exponential, mean 12 ms.
    Mean(f64),
    /// `{"dist": "exp", "mean": 12}` and friends.
    Full {
        /// `exp`, `const`, `lognormal` or `uniform`.
        dist: String,
        /// Mean (exp, const, lognormal).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mean: Option<f64>,
        /// Coefficient of variation (lognormal).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cv: Option<f64>,
        /// Lower bound (uniform).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        /// Upper bound (uniform).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
}

impl<'de> Deserialize<'de> for DistSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        /// The object form, with every key it may have.
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            dist: String,
            #[serde(default)]
            mean: Option<f64>,
            #[serde(default)]
            cv: Option<f64>,
            #[serde(default)]
            min: Option<f64>,
            #[serde(default)]
            max: Option<f64>,
        }
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Number(n) => n
                .as_f64()
                .map(DistSpec::Mean)
                .ok_or_else(|| D::Error::custom("must be a number of ms or a distribution")),
            object @ serde_json::Value::Object(_) => {
                let f: Full = serde_json::from_value(object).map_err(|e| {
                    let why = e.to_string();
                    D::Error::custom(why.split(" at line ").next().unwrap_or(&why).to_string())
                })?;
                Ok(DistSpec::Full {
                    dist: f.dist,
                    mean: f.mean,
                    cv: f.cv,
                    min: f.min,
                    max: f.max,
                })
            }
            other => Err(D::Error::custom(format!(
                "must be a number of ms or a distribution like {{\"dist\": \"exp\", \"mean\": 12}}, got {other}"
            ))),
        }
    }
}

/// A checked distribution, ready to sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dist {
    /// Exponential with this mean (ms).
    Exp(f64),
    /// Always this value (ms).
    Const(f64),
    /// Lognormal with parameters of the underlying normal.
    LogNormal {
        /// Mean of ln(X).
        mu: f64,
        /// Standard deviation of ln(X).
        sigma: f64,
        /// Mean of X (ms), kept for capacity analysis.
        mean: f64,
    },
    /// Uniform between bounds (ms).
    Uniform(f64, f64),
}

/// Largest coefficient of variation of a lognormal service time.
pub const MAX_CV: f64 = 100.0;

/// Shortest mean (or uniform maximum) of a service time, in ms: the clock's microsecond. A
/// shorter one took no time at all in the run, while the capacity analysis divided by it (a
/// mean of 1e-9 ms "saturated at 8000000000000 req/s", and a run showed it idle).
pub const MIN_SERVICE_MS: f64 = 0.001;

/// Longest mean (or uniform maximum) of a service time, in ms: a day, as for `timeout_ms`.
/// Anything longer is a slip of units (1e12 was taken, and its server "saturated at 0.0
/// req/s").
pub const MAX_SERVICE_MS: f64 = 86_400_000.0;

impl DistSpec {
    /// Exponential with mean `ms`.
    pub fn exp(ms: f64) -> DistSpec {
        DistSpec::Full {
            dist: "exp".into(),
            mean: Some(ms),
            cv: None,
            min: None,
            max: None,
        }
    }

    /// Checks the numbers and builds the sampler; the error says what to change.
    pub fn check(&self) -> Result<Dist, String> {
        let positive = |name: &str, v: Option<f64>| -> Result<f64, String> {
            match v {
                Some(v) if name == "cv" && v.is_finite() && v > 0.0 => Ok(v),
                Some(v) if (MIN_SERVICE_MS..=MAX_SERVICE_MS).contains(&v) => Ok(v),
                Some(v) if name == "cv" => {
                    Err(format!("{name} must be a number > 0, got {}", shown(v)))
                }
                Some(v) => Err(format!(
                    "{name} must be a number from {} (a microsecond, the clock's step) to {} \
                     (a day, in ms), got {}",
                    shown(MIN_SERVICE_MS),
                    shown(MAX_SERVICE_MS),
                    shown(v)
                )),
                None => Err(format!("needs \"{name}\"")),
            }
        };
        match self {
            DistSpec::Mean(m) => Ok(Dist::Exp(positive("mean", Some(*m))?)),
            DistSpec::Full {
                dist,
                mean,
                cv,
                min,
                max,
            } => {
                check_fields_apply(
                    dist,
                    cv.is_some(),
                    min.is_some() || max.is_some(),
                    mean.is_some(),
                )?;
                match dist.as_str() {
                    "exp" => Ok(Dist::Exp(positive("mean", *mean)?)),
                    "const" => Ok(Dist::Const(positive("mean", *mean)?)),
                    "lognormal" => {
                        let mean = positive("mean", *mean)?;
                        let cv = positive("cv", Some(cv.unwrap_or(1.0)))?;
                        if cv > MAX_CV {
                            // The mean then rests on draws so rare that no run shows it: the
                            // run would measure a fraction of the load the analysis predicts.
                            return Err(format!(
                                "cv must be at most {MAX_CV} (a wider spread has a mean no run \
                                 reaches), got {}",
                                shown(cv)
                            ));
                        }
                        let sigma2 = libm::log1p(cv * cv);
                        Ok(Dist::LogNormal {
                            mu: libm::log(mean) - sigma2 / 2.0,
                            sigma: libm::sqrt(sigma2),
                            mean,
                        })
                    }
                    "uniform" => {
                        let lo = min.unwrap_or(f64::NAN);
                        let hi = max.unwrap_or(f64::NAN);
                        let fits = lo.is_finite()
                            && lo >= 0.0
                            && hi > lo
                            && (MIN_SERVICE_MS..=MAX_SERVICE_MS).contains(&hi);
                        if !fits {
                            return Err(format!(
                                "uniform needs 0 <= min < max <= {} (a day, in ms) and max >= \
                                 {} (a microsecond, the clock's step), got min {}, max {}",
                                shown(MAX_SERVICE_MS),
                                shown(MIN_SERVICE_MS),
                                shown(lo),
                                shown(hi)
                            ));
                        }
                        Ok(Dist::Uniform(lo, hi))
                    }
                    other => Err(format!(
                        "unknown dist \"{other}\": use exp, const, lognormal or uniform"
                    )),
                }
            }
        }
    }
}

/// A field the distribution does not use would be ignored without a word (a `cv` on an
/// exponential, whose cv is 1): say so instead, and what to do.
fn check_fields_apply(dist: &str, cv: bool, bounds: bool, mean: bool) -> Result<(), String> {
    match dist {
        "exp" | "const" if cv => Err(format!(
            "\"cv\" applies only to lognormal ({dist} has a cv of {}): remove it, or use \
             \"dist\": \"lognormal\"",
            if dist == "exp" { 1 } else { 0 }
        )),
        "exp" | "const" | "lognormal" if bounds => Err(format!(
            "\"min\" and \"max\" apply only to uniform ({dist} takes a mean): remove them, or \
             use \"dist\": \"uniform\""
        )),
        "uniform" if cv || mean => Err(
            "uniform takes only \"min\" and \"max\" (its mean is halfway between them): \
             remove \"mean\" and \"cv\""
                .to_string(),
        ),
        _ => Ok(()),
    }
}

impl Dist {
    /// The mean in milliseconds.
    pub fn mean_ms(&self) -> f64 {
        match *self {
            Dist::Exp(m) | Dist::Const(m) => m,
            Dist::LogNormal { mean, .. } => mean,
            Dist::Uniform(a, b) => (a + b) / 2.0,
        }
    }

    /// One draw, in milliseconds.
    pub fn sample_ms(&self, rng: &mut Rng) -> f64 {
        match *self {
            Dist::Exp(m) => rng.exp(m),
            Dist::Const(m) => m,
            Dist::LogNormal { mu, sigma, .. } => libm::exp(mu + sigma * rng.std_normal()),
            Dist::Uniform(a, b) => a + (b - a) * rng.uniform(),
        }
    }
}

/// Traffic shape over the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// `rps` all the time.
    #[default]
    Constant,
    /// Linear from `ramp_from_rps` to `rps` over the run.
    Ramp,
    /// `rps`, times `spike_x` from `spike_at_s` for `spike_s`.
    Spike,
    /// A daily wave: `rps × (1 + amplitude·sin(2πt/period_s))`.
    Diurnal,
}

/// Shares of each request type; they must sum to 1. A share left out of a given mix is 0; a
/// client without any mix sends only reads.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
// Read from objects only: `[0.9, 0.1]` is not read as read and write shares (see
// `scenario::objects_only`).
#[serde(deny_unknown_fields, remote = "Self")]
pub struct Mix {
    /// Dynamic reads.
    #[serde(default)]
    pub read: f64,
    /// Writes.
    #[serde(default)]
    pub write: f64,
    /// Static assets.
    #[serde(rename = "static", default)]
    pub static_: f64,
    /// Background jobs.
    #[serde(rename = "async", default)]
    pub async_: f64,
}

impl Default for Mix {
    fn default() -> Mix {
        Mix {
            read: 1.0,
            write: 0.0,
            static_: 0.0,
            async_: 0.0,
        }
    }
}

/// `client` params.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientParams {
    /// Requests per second (the peak of ramp/diurnal, the base of spike).
    pub rps: f64,
    /// Traffic shape.
    pub profile: Profile,
    /// Ramp start rate.
    pub ramp_from_rps: f64,
    /// Spike start.
    pub spike_at_s: Option<f64>,
    /// Spike length.
    pub spike_s: f64,
    /// Spike multiplier.
    pub spike_x: f64,
    /// Diurnal period; the run's duration when omitted.
    pub period_s: Option<f64>,
    /// Diurnal amplitude in [0, 1].
    pub amplitude: f64,
    /// Request mix.
    pub mix: Mix,
    /// Distinct users (keys).
    pub users: u64,
    /// Zipf exponent of user popularity (0 = uniform).
    pub zipf_s: f64,
    /// Client timeout; none when omitted.
    pub timeout_ms: Option<f64>,
    /// Retries after a failure or timeout.
    pub retries: u32,
    /// Wait before a retry.
    pub retry_backoff_ms: f64,
}

impl ClientParams {
    /// Requests per second `t_s` into a run of `duration_s`, as the profile shapes them.
    pub fn rate_at(&self, t_s: f64, duration_s: f64) -> f64 {
        match self.profile {
            Profile::Constant => self.rps,
            Profile::Ramp => {
                self.ramp_from_rps + (self.rps - self.ramp_from_rps) * (t_s / duration_s).min(1.0)
            }
            Profile::Spike => {
                let (from, until) = self.spike_window(duration_s);
                if from <= t_s && t_s < until {
                    self.rps * self.spike_x
                } else {
                    self.rps
                }
            }
            Profile::Diurnal => {
                let period = self.period_s.unwrap_or(duration_s);
                self.rps * (1.0 + self.amplitude * libm::sin(std::f64::consts::TAU * t_s / period))
            }
        }
    }

    /// The requests this client is expected to start over a run of `duration_s`: its rate
    /// summed over the run, as each profile shapes it.
    pub fn arrivals_over(&self, duration_s: f64) -> f64 {
        let d = duration_s.max(0.0);
        match self.profile {
            Profile::Constant => self.rps * d,
            Profile::Ramp => (self.ramp_from_rps + self.rps) / 2.0 * d,
            Profile::Spike => {
                let (from, until) = self.spike_window(d);
                let inside = (until.min(d) - from.max(0.0)).max(0.0);
                self.rps * d + self.rps * (self.spike_x - 1.0) * inside
            }
            Profile::Diurnal => {
                // ∫₀ᵈ rps·(1 + a·sin(2πt/P)) dt
                let period = self.period_s.unwrap_or(d);
                let turns = std::f64::consts::TAU / period;
                let wave = if period > 0.0 {
                    self.amplitude * (1.0 - libm::cos(turns * d)) / turns
                } else {
                    0.0
                };
                self.rps * (d + wave)
            }
        }
    }

    /// The highest rate the profile reaches: the bound the arrivals of a ramp or a diurnal
    /// profile are thinned from.
    pub fn peak_rps(&self) -> f64 {
        match self.profile {
            Profile::Constant => self.rps,
            Profile::Ramp => self.rps.max(self.ramp_from_rps),
            Profile::Spike => self.rps * self.spike_x.max(1.0),
            Profile::Diurnal => self.rps * (1.0 + self.amplitude),
        }
    }

    /// When a spike starts and ends, in seconds (by default it starts half-way through).
    pub fn spike_window(&self, duration_s: f64) -> (f64, f64) {
        let from = self.spike_at_s.unwrap_or(duration_s / 2.0);
        (from, from + self.spike_s)
    }
}

impl Default for ClientParams {
    fn default() -> Self {
        ClientParams {
            rps: 10.0,
            profile: Profile::Constant,
            ramp_from_rps: 0.0,
            spike_at_s: None,
            spike_s: 10.0,
            spike_x: 5.0,
            period_s: None,
            amplitude: 0.5,
            mix: Mix::default(),
            users: 1000,
            zipf_s: 1.0,
            timeout_ms: None,
            retries: 0,
            retry_backoff_ms: 100.0,
        }
    }
}

/// `dns` params.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DnsParams {
    /// Resolution latency on a resolver-cache miss.
    pub latency_ms: f64,
    /// Share of requests that miss the resolver cache and pay `latency_ms`.
    pub miss_ratio: f64,
    /// Send each client to a healthy entry point in its own data center.
    pub geo: bool,
    /// How often entry points are health-checked.
    pub health_check_s: f64,
}

impl Default for DnsParams {
    fn default() -> Self {
        DnsParams {
            latency_ms: 20.0,
            miss_ratio: 0.1,
            geo: false,
            health_check_s: 10.0,
        }
    }
}

/// `cdn` params.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CdnParams {
    /// Share of static requests served at the edge (used when `capacity_keys` is not set).
    pub hit_ratio: f64,
    /// Edge capacity in objects; when set, hits emerge from an LRU of objects.
    pub capacity_keys: Option<u64>,
    /// Edge time to serve a hit.
    pub edge_latency_ms: f64,
}

impl Default for CdnParams {
    fn default() -> Self {
        CdnParams {
            hit_ratio: 0.9,
            capacity_keys: None,
            edge_latency_ms: 10.0,
        }
    }
}

/// Load-balancing algorithm.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    /// Each healthy instance in turn.
    #[default]
    RoundRobin,
    /// The healthy instance with the fewest requests in flight.
    LeastConnections,
    /// The same user always lands on the same instance (sticky).
    IpHash,
    /// Uniformly at random.
    Random,
}

/// `load_balancer` params.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LbParams {
    /// How instances are chosen.
    pub algorithm: Algorithm,
    /// Health-check interval: a dead instance gets traffic until the next check.
    pub health_check_s: f64,
    /// Requests in flight through the balancer before it rejects.
    pub max_connections: Option<u64>,
}

impl Default for LbParams {
    fn default() -> Self {
        LbParams {
            algorithm: Algorithm::RoundRobin,
            health_check_s: 5.0,
            max_connections: None,
        }
    }
}

/// Autoscaling policy of a tier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
// Read from objects only: `[1, 4]` is not read as min and max (see `scenario::objects_only`).
#[serde(default, deny_unknown_fields, remote = "Self")]
pub struct Autoscale {
    /// Fewest instances.
    pub min: u32,
    /// Most instances.
    pub max: u32,
    /// Servers: utilization to aim for (0–1).
    pub target_utilization: f64,
    /// Worker pools: messages waiting in the queue per instance to aim for, over the
    /// instances the jobs in progress keep 85% busy (`POOL_BUSY_AIM` in the engine).
    pub target_depth: f64,
    /// Seconds between scaling decisions. A failed instance is replaced within a second
    /// regardless, while a slot up to `max` is free.
    pub cooldown_s: f64,
    /// Seconds a new instance takes to start serving.
    pub boot_s: f64,
}

impl Default for Autoscale {
    fn default() -> Self {
        Autoscale {
            min: 1,
            max: 10,
            target_utilization: 0.6,
            target_depth: 10.0,
            cooldown_s: 30.0,
            boot_s: 10.0,
        }
    }
}

crate::scenario::objects_only!(Mix, Autoscale);

/// `server` params.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerParams {
    /// Identical copies behind this node.
    pub instances: u32,
    /// Concurrent requests per instance.
    pub workers: u32,
    /// Own work per request.
    pub service_ms: DistSpec,
    /// Backlog per instance; unbounded when omitted.
    pub queue: Option<u64>,
    /// Hold the worker while downstream calls run (thread per request).
    pub blocking: bool,
    /// Sessions live in instance memory and die with it.
    pub stateful_sessions: bool,
    /// Scale `instances` on utilization.
    pub autoscale: Option<Autoscale>,
}

impl Default for ServerParams {
    fn default() -> Self {
        ServerParams {
            instances: 1,
            workers: 8,
            service_ms: DistSpec::exp(10.0),
            queue: None,
            blocking: true,
            stateful_sessions: false,
            autoscale: None,
        }
    }
}

/// `session_store` params.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionStoreParams {
    /// Copies (keys are spread by user).
    pub instances: u32,
    /// Concurrent lookups per instance.
    pub workers: u32,
    /// Lookup time.
    pub service_ms: DistSpec,
}

impl Default for SessionStoreParams {
    fn default() -> Self {
        SessionStoreParams {
            instances: 1,
            workers: 32,
            service_ms: DistSpec::exp(1.0),
        }
    }
}

/// Cache eviction policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Eviction {
    /// Least recently used.
    #[default]
    Lru,
    /// Least frequently used.
    Lfu,
    /// Oldest insert.
    Fifo,
}

/// `cache` params.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CacheParams {
    /// Keys held per instance.
    pub capacity_keys: u64,
    /// Entry lifetime: 300 s when omitted, forever when `null` (entries then leave only by
    /// eviction or invalidation).
    pub ttl_s: Option<f64>,
    /// Which key goes when full.
    pub eviction: Eviction,
    /// Lookup time.
    pub service_ms: DistSpec,
    /// Shards; keys are spread by user.
    pub instances: u32,
    /// Concurrent lookups per instance.
    pub workers: u32,
}

impl Default for CacheParams {
    fn default() -> Self {
        CacheParams {
            capacity_keys: 10_000,
            ttl_s: Some(300.0),
            eviction: Eviction::Lru,
            service_ms: DistSpec::exp(1.0),
            instances: 1,
            workers: 64,
        }
    }
}

/// `sql_primary` params.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SqlPrimaryParams {
    /// Connections (concurrent queries).
    pub workers: u32,
    /// Read query time.
    pub read_ms: DistSpec,
    /// Write query time.
    pub write_ms: DistSpec,
    /// Backlog; unbounded when omitted.
    pub queue: Option<u64>,
    /// Seconds to promote a replica after the primary dies.
    pub failover_s: f64,
}

impl Default for SqlPrimaryParams {
    fn default() -> Self {
        SqlPrimaryParams {
            workers: 32,
            read_ms: DistSpec::exp(5.0),
            write_ms: DistSpec::exp(10.0),
            queue: None,
            failover_s: 30.0,
        }
    }
}

/// `sql_replica` params.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SqlReplicaParams {
    /// Connections.
    pub workers: u32,
    /// Read query time.
    pub read_ms: DistSpec,
    /// Replication delay behind the primary.
    pub lag_ms: f64,
    /// Backlog; unbounded when omitted.
    pub queue: Option<u64>,
}

impl Default for SqlReplicaParams {
    fn default() -> Self {
        SqlReplicaParams {
            workers: 32,
            read_ms: DistSpec::exp(5.0),
            lag_ms: 100.0,
            queue: None,
        }
    }
}

/// `nosql` params.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NosqlParams {
    /// Partitions (keys spread by user).
    pub partitions: u32,
    /// Concurrent operations per partition.
    pub workers: u32,
    /// Read time.
    pub read_ms: DistSpec,
    /// Write time.
    pub write_ms: DistSpec,
    /// Eventual consistency: how long a write takes to reach every copy of its key, during
    /// which reads of that key are stale; 0 for strongly consistent reads.
    pub lag_ms: f64,
}

impl Default for NosqlParams {
    fn default() -> Self {
        NosqlParams {
            partitions: 4,
            workers: 32,
            read_ms: DistSpec::exp(2.0),
            write_ms: DistSpec::exp(4.0),
            lag_ms: 20.0,
        }
    }
}

/// How a shard router maps a user to a shard.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShardStrategy {
    /// hash(user) mod N.
    #[default]
    HashMod,
    /// A hash ring with virtual nodes.
    ConsistentHash,
    /// Contiguous user-id ranges (popular low ids land together: hot shard).
    Range,
}

/// `shard_router` params.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShardRouterParams {
    /// Mapping from user to shard.
    pub strategy: ShardStrategy,
}

/// `queue` params.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueParams {
    /// Messages held before producers are rejected; unbounded when omitted.
    pub max_depth: Option<u64>,
    /// A message taken but not acknowledged within this time is delivered again.
    pub visibility_timeout_s: f64,
    /// Deliveries before a message goes to the dead-letter queue.
    pub max_attempts: u32,
}

impl Default for QueueParams {
    fn default() -> Self {
        QueueParams {
            max_depth: None,
            visibility_timeout_s: 30.0,
            max_attempts: 3,
        }
    }
}

/// `worker_pool` params.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkerPoolParams {
    /// Copies.
    pub instances: u32,
    /// Concurrent jobs per instance.
    pub workers: u32,
    /// Work per job.
    pub service_ms: DistSpec,
    /// Scale on queue depth.
    pub autoscale: Option<Autoscale>,
}

impl Default for WorkerPoolParams {
    fn default() -> Self {
        WorkerPoolParams {
            instances: 1,
            workers: 4,
            service_ms: DistSpec::exp(200.0),
            autoscale: None,
        }
    }
}

/// `object_store` params.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObjectStoreParams {
    /// Time to serve an object (no concurrency limit).
    pub read_ms: DistSpec,
}

impl Default for ObjectStoreParams {
    fn default() -> Self {
        ObjectStoreParams {
            read_ms: DistSpec::exp(20.0),
        }
    }
}

/// Random failures every node may take.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Reliability {
    /// Mean time between failures of each instance.
    pub mtbf_s: Option<f64>,
    /// Mean time to repair.
    pub mttr_s: Option<f64>,
}

/// The typed params of one node.
#[derive(Clone, Debug, PartialEq)]
#[allow(missing_docs)]
pub enum Params {
    Client(ClientParams),
    Dns(DnsParams),
    Cdn(CdnParams),
    LoadBalancer(LbParams),
    Server(ServerParams),
    SessionStore(SessionStoreParams),
    Cache(CacheParams),
    SqlPrimary(SqlPrimaryParams),
    SqlReplica(SqlReplicaParams),
    Nosql(NosqlParams),
    ShardRouter(ShardRouterParams),
    Queue(QueueParams),
    WorkerPool(WorkerPoolParams),
    ObjectStore(ObjectStoreParams),
}

/// The param names each kind accepts (besides `mtbf_s` and `mttr_s`), for messages and the
/// inspector.
pub fn param_names(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Client => &[
            "rps",
            "profile",
            "ramp_from_rps",
            "spike_at_s",
            "spike_s",
            "spike_x",
            "period_s",
            "amplitude",
            "mix",
            "users",
            "zipf_s",
            "timeout_ms",
            "retries",
            "retry_backoff_ms",
        ],
        Kind::Dns => &["latency_ms", "miss_ratio", "geo", "health_check_s"],
        Kind::Cdn => &["hit_ratio", "capacity_keys", "edge_latency_ms"],
        Kind::LoadBalancer => &["algorithm", "health_check_s", "max_connections"],
        Kind::Server => &[
            "instances",
            "workers",
            "service_ms",
            "queue",
            "blocking",
            "stateful_sessions",
            "autoscale",
        ],
        Kind::SessionStore => &["instances", "workers", "service_ms"],
        Kind::Cache => &[
            "capacity_keys",
            "ttl_s",
            "eviction",
            "service_ms",
            "instances",
            "workers",
        ],
        Kind::SqlPrimary => &["workers", "read_ms", "write_ms", "queue", "failover_s"],
        Kind::SqlReplica => &["workers", "read_ms", "lag_ms", "queue"],
        Kind::Nosql => &["partitions", "workers", "read_ms", "write_ms", "lag_ms"],
        Kind::ShardRouter => &["strategy"],
        Kind::Queue => &["max_depth", "visibility_timeout_s", "max_attempts"],
        Kind::WorkerPool => &["instances", "workers", "service_ms", "autoscale"],
        Kind::ObjectStore => &["read_ms"],
    }
}

/// Params whose `null` is a value of its own rather than "the default": a cache's
/// `"ttl_s": null` keeps entries forever, where an omitted `ttl_s` is 300 s.
pub const NULL_IS_A_VALUE: [&str; 1] = ["ttl_s"];

/// Params every kind accepts.
pub const COMMON_PARAMS: [&str; 2] = ["mtbf_s", "mttr_s"];

/// Params that count things, so they take whole numbers, in whichever kind has them (a test
/// checks this against what each kind's params accept). The inspector steps them by one and
/// `scaleplay sweep` rounds its values to them.
pub const WHOLE_NUMBER_PARAMS: [&str; 10] = [
    "instances",
    "workers",
    "users",
    "retries",
    "capacity_keys",
    "queue",
    "max_depth",
    "max_connections",
    "partitions",
    "max_attempts",
];

/// Params that take a distribution ([`DistSpec`]), in whichever kind has them (a test checks
/// this against what each kind's params accept): validation names the fields inside them.
pub const DISTRIBUTION_PARAMS: [&str; 3] = ["service_ms", "read_ms", "write_ms"];

/// The keys of an `autoscale` object, in the order the reference lists them.
pub const AUTOSCALE_KEYS: [&str; 6] = [
    "min",
    "max",
    "target_utilization",
    "target_depth",
    "cooldown_s",
    "boot_s",
];

/// Keys inside `autoscale` that count instances, so take whole numbers, as
/// [`WHOLE_NUMBER_PARAMS`] do at the top level.
pub const WHOLE_NUMBER_AUTOSCALE_KEYS: [&str; 2] = ["min", "max"];

/// Deserializes the params object of a node of `kind`.
pub fn parse(kind: Kind, value: &serde_json::Value) -> Result<Params, serde_json::Error> {
    use serde_json::from_value as from;
    let v = value.clone();
    Ok(match kind {
        Kind::Client => Params::Client(from(v)?),
        Kind::Dns => Params::Dns(from(v)?),
        Kind::Cdn => Params::Cdn(from(v)?),
        Kind::LoadBalancer => Params::LoadBalancer(from(v)?),
        Kind::Server => Params::Server(from(v)?),
        Kind::SessionStore => Params::SessionStore(from(v)?),
        Kind::Cache => Params::Cache(from(v)?),
        Kind::SqlPrimary => Params::SqlPrimary(from(v)?),
        Kind::SqlReplica => Params::SqlReplica(from(v)?),
        Kind::Nosql => Params::Nosql(from(v)?),
        Kind::ShardRouter => Params::ShardRouter(from(v)?),
        Kind::Queue => Params::Queue(from(v)?),
        Kind::WorkerPool => Params::WorkerPool(from(v)?),
        Kind::ObjectStore => Params::ObjectStore(from(v)?),
    })
}

/// Upper bounds on sizes, so a hostile file cannot ask for unbounded memory.
pub mod limits {
    /// Instances of one tier.
    pub const MAX_INSTANCES: u64 = 10_000;
    /// Workers of one instance.
    pub const MAX_WORKERS: u64 = 100_000;
    /// Distinct users of a client.
    pub const MAX_USERS: u64 = 100_000_000;
    /// Keys of one cache instance.
    pub const MAX_CACHE_KEYS: u64 = 10_000_000;
    /// Requests per second of one client.
    pub const MAX_RPS: f64 = 1_000_000.0;
    /// Nodes in a scenario.
    pub const MAX_NODES: usize = 1_000;
    /// Edges in a scenario.
    pub const MAX_EDGES: usize = 10_000;
    /// Faults in a scenario.
    pub const MAX_FAULTS: usize = 10_000;
    /// Simulated seconds.
    pub const MAX_DURATION_S: f64 = 30.0 * 86_400.0;
    /// Retries of one request.
    pub const MAX_RETRIES: u64 = 10;
    /// Partitions of a NoSQL store.
    pub const MAX_PARTITIONS: u64 = 10_000;
    /// Windows (`duration_s ÷ window_s`): points of the run's series. A hundred thousand is
    /// more than any plot can show apart.
    pub const MAX_WINDOWS: f64 = 100_000.0;
    /// Nodes × windows: points of the per-node series, which the run holds in memory and the
    /// report writes out. A run of 5 nodes and 100,000 windows peaks at 116 MB and writes 44 MB
    /// of JSON (`scaleplay run --json`): about 230 bytes a point all told, so this limit keeps
    /// a run near 250 MB. (At 5 million, a 700-byte file took over 1 GB.)
    pub const MAX_NODE_WINDOWS: f64 = 1_000_000.0;
}

/// Range checks on parsed params: each problem is `(field, message)`.
pub fn check_values(params: &Params) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut c = Checker { out: &mut out };
    match params {
        Params::Client(p) => {
            c.range("rps", p.rps, 0.0, limits::MAX_RPS, false);
            c.range("ramp_from_rps", p.ramp_from_rps, 0.0, limits::MAX_RPS, true);
            if let Some(s) = p.spike_at_s {
                c.range("spike_at_s", s, 0.0, limits::MAX_DURATION_S, true);
            }
            c.range("spike_s", p.spike_s, 0.0, limits::MAX_DURATION_S, false);
            c.range("spike_x", p.spike_x, 0.0, 1000.0, false);
            if let Some(s) = p.period_s {
                c.range("period_s", s, 0.0, limits::MAX_DURATION_S, false);
            }
            c.range("amplitude", p.amplitude, 0.0, 1.0, true);
            c.count("users", p.users, 1, limits::MAX_USERS);
            c.range("zipf_s", p.zipf_s, 0.0, 10.0, true);
            if let Some(t) = p.timeout_ms {
                c.range("timeout_ms", t, 0.0, 86_400_000.0, false);
            }
            c.count("retries", p.retries as u64, 0, limits::MAX_RETRIES);
            c.range(
                "retry_backoff_ms",
                p.retry_backoff_ms,
                0.0,
                3_600_000.0,
                true,
            );
            let m = p.mix;
            for (name, v) in [
                ("mix.read", m.read),
                ("mix.write", m.write),
                ("mix.static", m.static_),
                ("mix.async", m.async_),
            ] {
                c.range(name, v, 0.0, 1.0, true);
            }
            let sum = m.read + m.write + m.static_ + m.async_;
            if !(sum - 1.0).abs().le(&1e-6) {
                c.push(
                    "mix",
                    format!(
                        "shares must sum to 1, they sum to {}: adjust read/write/static/async",
                        shown(sum)
                    ),
                );
            }
        }
        Params::Dns(p) => {
            c.range("latency_ms", p.latency_ms, 0.0, 60_000.0, true);
            c.range("miss_ratio", p.miss_ratio, 0.0, 1.0, true);
            c.range("health_check_s", p.health_check_s, 0.0, 86_400.0, false);
        }
        Params::Cdn(p) => {
            c.range("hit_ratio", p.hit_ratio, 0.0, 1.0, true);
            if let Some(k) = p.capacity_keys {
                c.count("capacity_keys", k, 1, limits::MAX_CACHE_KEYS);
            }
            c.range("edge_latency_ms", p.edge_latency_ms, 0.0, 60_000.0, true);
        }
        Params::LoadBalancer(p) => {
            c.range("health_check_s", p.health_check_s, 0.0, 86_400.0, false);
            if let Some(m) = p.max_connections {
                c.count("max_connections", m, 1, u32::MAX as u64);
            }
        }
        Params::Server(p) => {
            c.count("instances", p.instances as u64, 1, limits::MAX_INSTANCES);
            c.count("workers", p.workers as u64, 1, limits::MAX_WORKERS);
            c.dist("service_ms", &p.service_ms);
            if let Some(q) = p.queue {
                c.count("queue", q, 0, u32::MAX as u64);
            }
            if let Some(a) = &p.autoscale {
                c.autoscale(a, p.instances, true);
            }
        }
        Params::SessionStore(p) => {
            c.count("instances", p.instances as u64, 1, limits::MAX_INSTANCES);
            c.count("workers", p.workers as u64, 1, limits::MAX_WORKERS);
            c.dist("service_ms", &p.service_ms);
        }
        Params::Cache(p) => {
            c.count("capacity_keys", p.capacity_keys, 1, limits::MAX_CACHE_KEYS);
            if let Some(t) = p.ttl_s {
                c.range("ttl_s", t, 0.0, limits::MAX_DURATION_S, false);
            }
            c.dist("service_ms", &p.service_ms);
            c.count("instances", p.instances as u64, 1, 1_000);
            c.count("workers", p.workers as u64, 1, limits::MAX_WORKERS);
        }
        Params::SqlPrimary(p) => {
            c.count("workers", p.workers as u64, 1, limits::MAX_WORKERS);
            c.dist("read_ms", &p.read_ms);
            c.dist("write_ms", &p.write_ms);
            if let Some(q) = p.queue {
                c.count("queue", q, 0, u32::MAX as u64);
            }
            c.range("failover_s", p.failover_s, 0.0, 86_400.0, true);
        }
        Params::SqlReplica(p) => {
            c.count("workers", p.workers as u64, 1, limits::MAX_WORKERS);
            c.dist("read_ms", &p.read_ms);
            c.range("lag_ms", p.lag_ms, 0.0, 3_600_000.0, true);
            if let Some(q) = p.queue {
                c.count("queue", q, 0, u32::MAX as u64);
            }
        }
        Params::Nosql(p) => {
            c.count("partitions", p.partitions as u64, 1, limits::MAX_PARTITIONS);
            c.count("workers", p.workers as u64, 1, limits::MAX_WORKERS);
            c.dist("read_ms", &p.read_ms);
            c.dist("write_ms", &p.write_ms);
            c.range("lag_ms", p.lag_ms, 0.0, 3_600_000.0, true);
        }
        Params::ShardRouter(_) => {}
        Params::Queue(p) => {
            if let Some(d) = p.max_depth {
                c.count("max_depth", d, 1, u32::MAX as u64);
            }
            c.range(
                "visibility_timeout_s",
                p.visibility_timeout_s,
                0.0,
                86_400.0,
                false,
            );
            c.count("max_attempts", p.max_attempts as u64, 1, 1_000);
        }
        Params::WorkerPool(p) => {
            c.count("instances", p.instances as u64, 1, limits::MAX_INSTANCES);
            c.count("workers", p.workers as u64, 1, limits::MAX_WORKERS);
            c.dist("service_ms", &p.service_ms);
            if let Some(a) = &p.autoscale {
                c.autoscale(a, p.instances, false);
            }
        }
        Params::ObjectStore(p) => c.dist("read_ms", &p.read_ms),
    }
    out
}

struct Checker<'a> {
    out: &'a mut Vec<(String, String)>,
}

impl Checker<'_> {
    fn push(&mut self, field: &str, msg: String) {
        self.out.push((field.to_string(), msg));
    }

    /// `lo < v <= hi` (or `lo <= v` with `zero_ok`), finite.
    fn range(&mut self, field: &str, v: f64, lo: f64, hi: f64, zero_ok: bool) {
        let low_ok = if zero_ok { v >= lo } else { v > lo };
        if !(v.is_finite() && low_ok && v <= hi) {
            let bound = if zero_ok { ">=" } else { ">" };
            self.push(
                field,
                format!(
                    "{field} must be a number {bound} {lo} and <= {hi}, got {}",
                    shown(v)
                ),
            );
        }
    }

    fn count(&mut self, field: &str, v: u64, lo: u64, hi: u64) {
        if v < lo || v > hi {
            self.push(
                field,
                format!("{field} must be a whole number from {lo} to {hi}, got {v}"),
            );
        }
    }

    fn dist(&mut self, field: &str, d: &DistSpec) {
        if let Err(e) = d.check() {
            self.push(field, format!("{field}: {e}"));
        }
    }

    fn autoscale(&mut self, a: &Autoscale, instances: u32, on_utilization: bool) {
        self.count("autoscale.min", a.min as u64, 1, limits::MAX_INSTANCES);
        self.count("autoscale.max", a.max as u64, 1, limits::MAX_INSTANCES);
        if a.min > a.max {
            self.push(
                "autoscale",
                format!(
                    "autoscale.min ({}) must be <= autoscale.max ({})",
                    a.min, a.max
                ),
            );
        }
        if instances < a.min || instances > a.max {
            self.push(
                "instances",
                format!(
                    "instances ({instances}) must lie between autoscale.min ({}) and autoscale.max ({})",
                    a.min, a.max
                ),
            );
        }
        if on_utilization {
            self.range(
                "autoscale.target_utilization",
                a.target_utilization,
                0.0,
                1.0,
                false,
            );
        } else {
            self.range("autoscale.target_depth", a.target_depth, 0.0, 1e9, false);
        }
        self.range("autoscale.cooldown_s", a.cooldown_s, 0.0, 86_400.0, false);
        self.range("autoscale.boot_s", a.boot_s, 0.0, 86_400.0, true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client's expected arrivals are its rate summed over the run, for every profile: the
    /// closed forms against a fine sum of `rate_at`.
    #[test]
    fn arrivals_over_a_run_sum_the_rate() {
        let client = |profile: Profile| ClientParams {
            rps: 100.0,
            profile,
            ramp_from_rps: 20.0,
            spike_at_s: Some(700.0),
            spike_s: 10.0,
            spike_x: 100.0,
            period_s: Some(300.0),
            amplitude: 0.8,
            ..ClientParams::default()
        };
        let duration = 1000.0;
        for profile in [
            Profile::Constant,
            Profile::Ramp,
            Profile::Spike,
            Profile::Diurnal,
        ] {
            let c = client(profile);
            let steps = 1_000_000;
            let dt = duration / steps as f64;
            let summed: f64 = (0..steps)
                .map(|k| c.rate_at((k as f64 + 0.5) * dt, duration) * dt)
                .sum();
            let closed = c.arrivals_over(duration);
            assert!(
                (closed / summed - 1.0).abs() < 1e-4,
                "{profile:?}: {closed} against {summed}"
            );
        }
        // A spike that starts near the end counts only the part inside the run.
        let late = ClientParams {
            spike_at_s: Some(995.0),
            ..client(Profile::Spike)
        };
        assert!((late.arrivals_over(duration) - (100_000.0 + 9_900.0 * 5.0)).abs() < 1e-6);
    }

    #[test]
    fn whole_number_params_are_exactly_the_ones_that_refuse_fractions() {
        let one = |name: &str, v: serde_json::Value| serde_json::json!({ name: v });
        let mut seen = Vec::new();
        for kind in Kind::ALL {
            for &name in param_names(kind) {
                // Only numeric params: those that take a plain 2.
                if parse(kind, &one(name, 2.into())).is_err() {
                    continue;
                }
                let whole = WHOLE_NUMBER_PARAMS.contains(&name);
                let fraction = parse(kind, &one(name, 2.5.into()));
                assert_eq!(fraction.is_err(), whole, "{} {name}", kind.as_str());
                seen.push(name);
            }
        }
        for name in WHOLE_NUMBER_PARAMS {
            assert!(seen.contains(&name), "{name} is no kind's numeric param");
        }
    }

    #[test]
    fn distribution_params_are_exactly_the_ones_that_take_a_distribution() {
        let dist = serde_json::json!({"dist": "uniform", "min": 1, "max": 2});
        let mut seen = Vec::new();
        for kind in Kind::ALL {
            for &name in param_names(kind) {
                let takes = parse(kind, &serde_json::json!({ name: dist })).is_ok();
                assert_eq!(
                    takes,
                    DISTRIBUTION_PARAMS.contains(&name),
                    "{} {name}",
                    kind.as_str()
                );
                seen.extend(takes.then_some(name));
            }
        }
        for name in DISTRIBUTION_PARAMS {
            assert!(seen.contains(&name), "{name} is no kind's distribution");
        }
    }

    /// serde reads a struct from a JSON list too, field by field in order: `[0.5, 0.5]` was a
    /// mix of half reads and half writes, and `[1, 4]` an autoscale of 1 to 4 instances.
    #[test]
    fn a_mix_or_an_autoscale_written_as_a_list_is_refused() {
        use serde_json::{from_value, json};
        let e = from_value::<Mix>(json!([0.5, 0.5])).unwrap_err();
        assert_eq!(e.to_string(), "invalid type: sequence, expected struct Mix");
        let e = from_value::<Autoscale>(json!([1, 4])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid type: sequence, expected struct Autoscale"
        );
        assert!(parse(Kind::Server, &json!({"autoscale": [1, 4]})).is_err());
        // Objects read as before, and write as before.
        let mix: Mix = from_value(json!({"read": 0.5, "write": 0.5})).expect("a mix");
        assert_eq!((mix.read, mix.write, mix.static_), (0.5, 0.5, 0.0));
        assert_eq!(
            serde_json::to_value(mix).unwrap(),
            json!({"read": 0.5, "write": 0.5, "static": 0.0, "async": 0.0})
        );
        let a: Autoscale = from_value(json!({"max": 4})).expect("an autoscale");
        assert_eq!((a.min, a.max), (1, 4));
    }

    #[test]
    fn a_cache_ttl_is_300_s_when_omitted_and_forever_when_null() {
        let ttl = |v: serde_json::Value| match parse(Kind::Cache, &v) {
            Ok(Params::Cache(p)) => p.ttl_s,
            other => panic!("not cache params: {other:?}"),
        };
        assert_eq!(ttl(serde_json::json!({})), Some(300.0));
        assert_eq!(ttl(serde_json::json!({ "ttl_s": null })), None);
        assert_eq!(ttl(serde_json::json!({ "ttl_s": 5 })), Some(5.0));
    }
}
