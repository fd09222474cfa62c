//! What the inspector shows for each param, as plain data: which control, which unit, which
//! default, and how typed text becomes the JSON a node's `params` stores. No Leptos here, so all
//! of it is tested natively.

use scaleplay_sim::params::{param_names, Mix, COMMON_PARAMS, WHOLE_NUMBER_PARAMS};
use scaleplay_sim::report::{ClientReport, NodeReport};
use scaleplay_sim::scenario::Kind;
use scaleplay_sim::{Problem, Scenario};
use serde_json::{Map, Value};

/// How one param is edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// A number with its unit; `integer` ones step by whole numbers.
    Number {
        /// Shown after the input (`ms`, `req/s`, …); may be empty.
        unit: &'static str,
        /// A count: instances, workers, keys.
        integer: bool,
    },
    /// A checkbox.
    Toggle,
    /// A lifetime in seconds that may also be "never" (an explicit `null`, which is not the
    /// same as omitting it): a cache's `ttl_s`.
    Lifetime,
    /// A select of these values.
    Choice(&'static [&'static str]),
    /// A service-time distribution: dist select plus mean / cv / min / max.
    Dist,
    /// The four request-type shares of a client.
    Mix,
    /// An enable box plus the policy's numbers; `on_depth` for worker pools (queue depth),
    /// else on utilization.
    Autoscale {
        /// Scale on queue depth rather than utilization.
        on_depth: bool,
    },
}

/// One param of one kind, as the inspector draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The param's key in the file.
    pub name: &'static str,
    /// How it is edited.
    pub control: Control,
    /// Its value when omitted; `Null` means none / unbounded.
    pub default: Value,
}

/// Values of `profile`.
pub const PROFILES: &[&str] = &["constant", "ramp", "spike", "diurnal"];
/// Values of `algorithm`.
pub const ALGORITHMS: &[&str] = &["round_robin", "least_connections", "ip_hash", "random"];
/// Values of `eviction`.
pub const EVICTIONS: &[&str] = &["lru", "lfu", "fifo"];
/// Values of `strategy`.
pub const STRATEGIES: &[&str] = &["hash_mod", "consistent_hash", "range"];
/// Values of a distribution's `dist`.
pub const DISTS: &[&str] = &["exp", "const", "lognormal", "uniform"];
/// The shares of a `mix`, in the order shown.
pub const MIX_SHARES: [&str; 4] = ["read", "write", "static", "async"];

/// Optional limits whose absence means "no limit" rather than "none".
const LIMITS: &[&str] = &["queue", "timeout_ms", "max_depth", "max_connections"];

/// Whether a field's name already says its unit: the unit itself ("workers" in workers) or
/// its suffix ("read_ms" in ms, "capacity_keys" in keys).
pub fn name_says_unit(name: &str, unit: &str) -> bool {
    !unit.is_empty()
        && (name == unit
            || name
                .strip_suffix(unit)
                .is_some_and(|stem| stem.ends_with('_')))
}

// Defaults and units are the engine's reference (also `scaleplay reference`), so the
// inspector, the CLI and docs/scenario.md say the same.
pub use scaleplay_sim::reference::{autoscale_defaults, defaults, unit};

/// How `name` is edited on a node of `kind`.
pub fn control(kind: Kind, name: &str) -> Control {
    match name {
        "geo" | "blocking" | "stateful_sessions" => Control::Toggle,
        "ttl_s" => Control::Lifetime,
        "profile" => Control::Choice(PROFILES),
        "algorithm" => Control::Choice(ALGORITHMS),
        "eviction" => Control::Choice(EVICTIONS),
        "strategy" => Control::Choice(STRATEGIES),
        "service_ms" | "read_ms" | "write_ms" => Control::Dist,
        "mix" => Control::Mix,
        "autoscale" => Control::Autoscale {
            on_depth: kind == Kind::WorkerPool,
        },
        _ => Control::Number {
            unit: unit(kind, name),
            integer: WHOLE_NUMBER_PARAMS.contains(&name),
        },
    }
}

/// The client profile a param of `kind` shapes, when it shapes only one (the others ignore
/// it, so the inspector shows it with that profile only).
pub fn only_for_profile(kind: Kind, name: &str) -> Option<&'static str> {
    match (kind, name) {
        (Kind::Client, "ramp_from_rps") => Some("ramp"),
        (Kind::Client, "spike_at_s" | "spike_s" | "spike_x") => Some("spike"),
        (Kind::Client, "period_s" | "amplitude") => Some("diurnal"),
        _ => None,
    }
}

/// Every param of `kind` in the engine's order, then `mtbf_s` and `mttr_s`.
pub fn fields(kind: Kind) -> Vec<Field> {
    let defaults = defaults(kind);
    param_names(kind)
        .iter()
        .chain(COMMON_PARAMS.iter())
        .map(|&name| Field {
            name,
            control: control(kind, name),
            default: defaults.get(name).cloned().unwrap_or(Value::Null),
        })
        .collect()
}

/// Formats a number without a trailing `.0` (`10`, `0.25`), and one beyond any sensible value
/// as a power of ten (`1e308`, which was written out in 309 digits and pushed the fault list's
/// buttons out of the panel). Number fields read either form back.
pub fn fmt_num(x: f64) -> String {
    // Tiny ones too: 1e-320 was written out in 320 digits.
    if x.is_finite() && (x.abs() >= 1e15 || (x != 0.0 && x.abs() < 1e-9)) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// The text of a number input for a stored value: empty when omitted.
pub fn number_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::Number(n)) => n.as_f64().map(fmt_num).unwrap_or_else(|| n.to_string()),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Whether a lifetime is "never": stored as an explicit `null`, not omitted.
pub fn never_expires(value: Option<&Value>) -> bool {
    matches!(value, Some(Value::Null))
}

/// The placeholder of a number input: its default, or what omitting it means.
pub fn placeholder(name: &str, default: &Value) -> String {
    match default {
        // Not "unbounded": that did not fit the input beside a long unit.
        Value::Null if LIMITS.contains(&name) => "no limit".into(),
        Value::Null => "none".into(),
        other => number_text(Some(other)),
    }
}

/// A number as JSON: whole numbers as integers, so files read `"workers": 8`, not `8.0`.
pub fn num_value(x: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every integer below is exact in f64
    if x.fract() == 0.0 && x.abs() < EXACT {
        if x >= 0.0 {
            Value::from(x as u64)
        } else {
            Value::from(x as i64)
        }
    } else {
        Value::from(x)
    }
}

/// Parses what was typed in a number input: empty means "omit" (`Null`, the default).
pub fn parse_number(text: &str) -> Result<Value, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(Value::Null);
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(num_value(x)),
        Ok(x) if x.is_infinite() => Err(format!(
            "\"{t}\" is too large a number (the largest is about 1.8e308)"
        )),
        _ => Err(format!("\"{t}\" is not a number")),
    }
}

/// What the banner says when a comma is typed or pasted in the number field `testid`. It is
/// kept out; the browser read one as a thousands separator, so "2,5" became 25 without a word.
pub fn no_commas(testid: &str) -> String {
    format!(
        "{}: a number takes no comma, so it was not taken (the browser reads 2,5 as 25): \
         type 2.5 for two and a half, 1000 for a thousand",
        field_name(testid)
    )
}

/// What the banner says when `typed` (a key's character, or pasted text) is kept out of the
/// number field `testid`, or `None` when it may go in. The browser drops a letter typed in a
/// number input without a word ("2k" became 2 in a field for rps) and reads a comma as a
/// thousands separator, so both are refused, saying what to type instead.
pub fn refused_in_number(testid: &str, typed: &str) -> Option<String> {
    if typed.contains(',') {
        return Some(no_commas(testid));
    }
    // What a number input takes: digits, a sign, a point and an exponent (2e3).
    let not_a_digit = typed
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))?;
    let shown = if not_a_digit.is_whitespace() {
        "a space".to_string()
    } else {
        format!("\"{not_a_digit}\"")
    };
    Some(format!(
        "{}: a number takes digits, a point and an exponent only, so {shown} was not taken: \
         write 2k as 2000 (or 2e3), 1.5 s as 1.5 where the unit is s",
        field_name(testid)
    ))
}

/// What the banner says when the text typed in the number field `testid` is not a number:
/// the field by the name the scenario file gives it, and what to type instead.
pub fn not_a_number(testid: &str) -> String {
    let field = field_name(testid);
    let instead = if field == "seed" {
        "type a whole number >= 0"
    } else {
        "type a number such as 8 or 0.25, or empty the field for its default"
    };
    format!("{field}: what was typed is not a number, so it was not kept: {instead}")
}

/// The field of the number input `testid`, by the name the scenario file gives it.
fn field_name(testid: &str) -> String {
    match testid {
        "edge-latency" => "latency_ms".to_string(),
        "scenario-seed" | "setting-seed" => "seed".to_string(),
        "scenario-duration" | "setting-duration" => "duration_s".to_string(),
        "scenario-warmup" => "warmup_s".to_string(),
        "scenario-window" => "window_s".to_string(),
        "scenario-slo-p99" => "SLO p99_ms".to_string(),
        "scenario-slo-availability" => "SLO availability".to_string(),
        "fault-at" | "dc-fault-at" => "fault time".to_string(),
        other => other.trim_start_matches("param-").replace('-', " "),
    }
}

/// Parses a typed seed: a whole number that may use all 64 bits, so not through `f64`.
pub fn parse_seed(text: &str) -> Result<Value, String> {
    let text = text.trim();
    text.parse::<u64>().map(Value::from).map_err(|_| {
        // A whole number past the largest seed is refused for its size, not as if it were no
        // whole number.
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            format!("the seed is at most {}: {text} is too large", u64::MAX)
        } else {
            "the seed is a whole number >= 0".to_string()
        }
    })
}

/// The string value of a select or the default when omitted.
pub fn choice_text(value: Option<&Value>, default: &Value) -> String {
    match value.filter(|v| !v.is_null()).unwrap_or(default) {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whether a checkbox is ticked: the stored bool, else the default.
pub fn toggle_on(value: Option<&Value>, default: &Value) -> bool {
    value
        .and_then(Value::as_bool)
        .or_else(|| default.as_bool())
        .unwrap_or(false)
}

/// A distribution as its inputs see it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DistView {
    /// `exp`, `const`, `lognormal` or `uniform`.
    pub dist: String,
    /// Mean in ms.
    pub mean: Option<f64>,
    /// Coefficient of variation (lognormal).
    pub cv: Option<f64>,
    /// Lower bound in ms (uniform).
    pub min: Option<f64>,
    /// Upper bound in ms (uniform).
    pub max: Option<f64>,
}

impl DistView {
    /// The number of one of `mean`, `cv`, `min`, `max`.
    pub fn get(&self, field: &str) -> Option<f64> {
        match field {
            "mean" => self.mean,
            "cv" => self.cv,
            "min" => self.min,
            "max" => self.max,
            _ => None,
        }
    }
}

/// Reads a stored distribution: a bare number is exponential with that mean; `None` when
/// omitted.
pub fn dist_view(value: Option<&Value>) -> Option<DistView> {
    match value? {
        Value::Null => None,
        Value::Number(n) => Some(DistView {
            dist: "exp".into(),
            mean: n.as_f64(),
            ..DistView::default()
        }),
        Value::Object(o) => {
            let num = |k: &str| o.get(k).and_then(Value::as_f64);
            Some(DistView {
                dist: o
                    .get("dist")
                    .and_then(Value::as_str)
                    .unwrap_or("exp")
                    .to_string(),
                mean: num("mean"),
                cv: num("cv"),
                min: num("min"),
                max: num("max"),
            })
        }
        _ => Some(DistView::default()),
    }
}

/// The distribution in effect: the stored one, else the default.
pub fn dist_effective(value: Option<&Value>, default: &Value) -> DistView {
    dist_view(value)
        .or_else(|| dist_view(Some(default)))
        .unwrap_or_default()
}

fn dist_object(v: &DistView) -> Value {
    let mut o = Map::new();
    o.insert("dist".into(), Value::from(v.dist.clone()));
    for (k, x) in [
        ("mean", v.mean),
        ("cv", v.cv),
        ("min", v.min),
        ("max", v.max),
    ] {
        if let Some(x) = x {
            o.insert(k.into(), num_value(x));
        }
    }
    Value::Object(o)
}

/// The distribution after choosing `dist` in its select. The mean carries over, so a switch
/// changes the shape, not the load: uniform gets `[0, 2·mean]` unless it has bounds already.
pub fn dist_with_kind(value: Option<&Value>, default: &Value, dist: &str) -> Value {
    let now = dist_effective(value, default);
    let mean = now
        .mean
        .or_else(|| Some((now.min? + now.max?) / 2.0))
        .or_else(|| dist_view(Some(default)).and_then(|d| d.mean))
        .unwrap_or(10.0);
    let next = match dist {
        "uniform" => {
            let (min, max) = match (now.min, now.max) {
                (Some(lo), Some(hi)) => (lo, hi),
                _ => (0.0, 2.0 * mean),
            };
            DistView {
                dist: dist.into(),
                min: Some(min),
                max: Some(max),
                ..DistView::default()
            }
        }
        "lognormal" => DistView {
            dist: dist.into(),
            mean: Some(mean),
            cv: Some(now.cv.unwrap_or(1.0)),
            ..DistView::default()
        },
        _ => DistView {
            dist: dist.into(),
            mean: Some(mean),
            ..DistView::default()
        },
    };
    dist_object(&next)
}

/// The distribution after typing `x` into one of `mean`, `cv`, `min`, `max`. An emptied field
/// (`Null`) means its default, as elsewhere: the default distribution's mean (a distribution
/// without one stored `{"dist": "exp"}`, which the engine then refused), and for `cv` none
/// (lognormal's default of 1). A uniform's bounds have no default: their fields refuse empty
/// text ([`parse_bound`]), and `Null` leaves a bound as it was.
pub fn dist_with_field(value: Option<&Value>, default: &Value, field: &str, x: &Value) -> Value {
    let mut v = dist_effective(value, default);
    let typed = x.as_f64();
    match field {
        "mean" => v.mean = typed.or_else(|| dist_view(Some(default)).and_then(|d| d.mean)),
        "cv" => v.cv = typed,
        "min" => v.min = typed.or(v.min),
        "max" => v.max = typed.or(v.max),
        _ => {}
    }
    dist_object(&v)
}

/// Parses a uniform's typed `min` or `max`: a number, never empty, since a bound has no
/// default to fall back on.
pub fn parse_bound(text: &str) -> Result<Value, String> {
    match parse_number(text)? {
        Value::Null => Err(
            "a uniform's min and max have no default: type a number in each (min 0 or more, max above it)"
                .to_string(),
        ),
        v => Ok(v),
    }
}

/// The shares written when a client without a mix gets its first share: the default mix in
/// full, so the other shares stay visible (and the sum stays meaningful).
fn default_mix() -> Map<String, Value> {
    let m = Mix::default();
    MIX_SHARES
        .iter()
        .zip([m.read, m.write, m.static_, m.async_])
        .map(|(k, x)| (k.to_string(), num_value(x)))
        .collect()
}

/// The placeholder of a share: what it is when left empty.
pub fn mix_placeholder(mix: Option<&Value>, share: &str) -> String {
    match mix {
        Some(Value::Object(_)) => "0".into(),
        _ => default_mix()
            .get(share)
            .map(|v| number_text(Some(v)))
            .unwrap_or_default(),
    }
}

/// The sum of the shares in effect (a given mix counts missing shares as 0).
pub fn mix_sum(mix: Option<&Value>) -> f64 {
    match mix {
        Some(Value::Object(o)) => MIX_SHARES
            .iter()
            .filter_map(|k| o.get(*k).and_then(Value::as_f64))
            .sum(),
        _ => 1.0,
    }
}

/// The mix after typing `x` (a number, or `Null` to remove it) into `share`.
pub fn mix_with(mix: Option<&Value>, share: &str, x: Value) -> Value {
    let mut o = match mix {
        Some(Value::Object(o)) => o.clone(),
        _ => default_mix(),
    };
    if x.is_null() {
        o.remove(share);
    } else {
        o.insert(share.to_string(), x);
    }
    Value::Object(o)
}

/// The numbers of an autoscale policy, in the order shown.
pub fn autoscale_fields(on_depth: bool) -> [&'static str; 5] {
    let target = if on_depth {
        "target_depth"
    } else {
        "target_utilization"
    };
    ["min", "max", target, "cooldown_s", "boot_s"]
}

/// The policy written when autoscale is switched on: the defaults of the fields that apply,
/// with `max` raised to the current instance count so the tier stays valid.
pub fn autoscale_enable(on_depth: bool, instances: Option<&Value>) -> Value {
    let defaults = autoscale_defaults();
    let mut o: Map<String, Value> = autoscale_fields(on_depth)
        .iter()
        .filter_map(|k| defaults.get(*k).map(|v| (k.to_string(), v.clone())))
        .collect();
    let instances = instances.and_then(Value::as_u64).unwrap_or(1);
    let max = o.get("max").and_then(Value::as_u64).unwrap_or(1);
    o.insert("max".into(), Value::from(max.max(instances)));
    Value::Object(o)
}

/// The policy after typing `x` (a number, or `Null` to drop back to the default) into `field`.
pub fn autoscale_with(current: Option<&Value>, field: &str, x: Value) -> Value {
    let mut o = match current {
        Some(Value::Object(o)) => o.clone(),
        _ => Map::new(),
    };
    if x.is_null() {
        o.remove(field);
    } else {
        o.insert(field.to_string(), x);
    }
    Value::Object(o)
}

/// Messages of the problems of `node` about `field` or a part of it (`mix.read` is part of
/// `mix`).
pub fn messages_for(problems: &[Problem], node: &str, field: &str) -> Vec<String> {
    problems
        .iter()
        .filter(|p| p.node.as_deref() == Some(node))
        // An edge's latency problem is the edge's, shown when it is selected, not under a
        // DNS node's own `latency_ms`.
        .filter(|p| !p.message.starts_with("edge to \""))
        .filter(|p| {
            p.field.as_deref().is_some_and(|f| {
                f == field
                    || f.strip_prefix(field)
                        .is_some_and(|rest| rest.starts_with('.'))
            })
        })
        .map(|p| p.message.clone())
        .collect()
}

/// Messages about the edge `from → to` (the engine files them under the caller's
/// `latency_ms`, saying which edge).
pub fn edge_messages(problems: &[Problem], from: &str, to: &str) -> Vec<String> {
    let prefix = format!("edge to \"{to}\":");
    problems
        .iter()
        .filter(|p| p.node.as_deref() == Some(from) && p.message.starts_with(&prefix))
        .map(|p| p.message.clone())
        .collect()
}

/// Messages of the problems of `node` about exactly `field` (a group's own problems, when its
/// parts show theirs).
pub fn messages_exact(problems: &[Problem], node: &str, field: &str) -> Vec<String> {
    problems
        .iter()
        .filter(|p| p.node.as_deref() == Some(node) && p.field.as_deref() == Some(field))
        .map(|p| p.message.clone())
        .collect()
}

/// Messages of scenario-wide problems about `field`, keeping only those that mention `needle`
/// when given (both SLO checks report under `slo`).
pub fn scenario_messages(problems: &[Problem], field: &str, needle: Option<&str>) -> Vec<String> {
    problems
        .iter()
        .filter(|p| p.node.is_none() && p.field.as_deref() == Some(field))
        .filter(|p| needle.is_none_or(|n| p.message.contains(n)))
        .map(|p| p.message.clone())
        .collect()
}

/// Messages about the scheduled fault at `index` of `Scenario::faults`.
pub fn fault_messages(problems: &[Problem], index: usize) -> Vec<String> {
    // "faults[3]: …", or "faults[3] (\"web\"): …" when the fault names what it breaks.
    let label = format!("faults[{index}]");
    let about_it = |m: &str| {
        m.strip_prefix(&label)
            .is_some_and(|rest| rest.starts_with(':') || rest.starts_with(" ("))
    };
    problems
        .iter()
        .filter(|p| p.field.as_deref() == Some("faults") && about_it(&p.message))
        .map(|p| on_its_row(&p.message[label.len()..]))
        .collect()
}

/// A fault's message as its own row shows it: "This fault names instance 3, …" for
/// `faults[1] ("web") names instance 3, …`. The label counts every fault of the scenario, so
/// on a node's schedule of two it read "faults[7]", and named the node the row is in.
fn on_its_row(after_label: &str) -> String {
    let mut rest = after_label;
    // The named node or data center: `("web")`, its id quoted (escaped, so no `")` inside).
    if let Some(named) = rest.strip_prefix(" (") {
        if let Some(end) = named.find("\")").or_else(|| named.find(')')) {
            let close = if named[end..].starts_with("\")") {
                end + 2
            } else {
                end + 1
            };
            rest = &named[close..];
        }
    }
    match rest.strip_prefix(':') {
        Some(said) => format!("This fault:{said}"),
        None => format!("This fault{rest}"),
    }
}

/// One row of a node's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// Stable key, for `data-testid="metric-<key>"`.
    pub key: &'static str,
    /// What it is.
    pub label: &'static str,
    /// Formatted value with its unit.
    pub value: String,
}

/// The instances of node `id` down at the report's time, each with when it failed, read from
/// the run's fault log ("11 (failed at 9.2 s)"): an autoscaled tier's box counts the instances
/// serving, so one that failed while it booted (preset 10's "US web instance 11 failed") was
/// nowhere to be seen. `None` when none is down, or when the log was cut short
/// (`faults_unlisted`) and cannot tell. While the whole node is down (its own failure or its
/// data center's) it says "all", and since when.
pub fn instances_down(report: &scaleplay_sim::Report, id: &str) -> Option<String> {
    use scaleplay_sim::scenario::FaultAction;
    /// More than this are counted, not listed (the tooltip is one line).
    const LISTED: usize = 4;
    if report.run.faults_unlisted > 0 {
        return None;
    }
    // The log lists a fault of one instance only when it takes the instance down or brings it
    // back up, so those are exact. A recovery of the whole node brings back only the instances
    // down for the same kind of cause (an instance failed at random stays down through a
    // scheduled outage of the node and its end, as the engine holds it).
    let random = |source: &str| source == "random";
    let mut held: std::collections::BTreeMap<u32, (bool, f64)> = std::collections::BTreeMap::new();
    // Since when the whole node is down (its own failure, or its data center's), if it is.
    let mut whole_since: Option<f64> = None;
    for f in report.faults.iter().filter(|f| f.node == id) {
        match (f.action, f.instance) {
            (FaultAction::Fail, None) => whole_since = whole_since.or(Some(f.t_s)),
            (FaultAction::Recover, None) => whole_since = None,
            _ => {}
        }
        match (f.action, f.instance) {
            (FaultAction::Fail, Some(i)) => {
                held.entry(i).or_insert((random(&f.source), f.t_s));
            }
            (FaultAction::Recover, Some(i)) => {
                held.remove(&i);
            }
            // The whole node: its outage is not one of an instance (the node shows down).
            (FaultAction::Fail, None) => {}
            (FaultAction::Recover, None) => {
                held.retain(|_, (at_random, _)| *at_random != random(&f.source));
            }
        }
    }
    let down: Vec<(u32, f64)> = held.into_iter().map(|(i, (_, t))| (i, t)).collect();
    let listed: Vec<String> = down
        .iter()
        .take(LISTED)
        .map(|(i, t)| format!("{i} (failed at {t:.1} s)"))
        .collect();
    let more = down.len().saturating_sub(LISTED);
    let own = if more > 0 {
        format!("{}, and {more} more", listed.join(", "))
    } else {
        listed.join(", ")
    };
    // With the whole node down, all its instances are: listing only those that failed on
    // their own read as if they alone were (preset 10's "3 (failed at 25.1 s)" while its
    // data center was out).
    match (whole_since, down.is_empty()) {
        (None, true) => None,
        (None, false) => Some(own),
        (Some(t), true) => Some(format!("all (the node is down since {t:.1} s)")),
        (Some(t), false) => Some(format!(
            "all (the node is down since {t:.1} s); on their own before or since: {own}"
        )),
    }
}

/// [`instances_down`] as a row of a node's figures.
pub fn instances_down_row(report: &scaleplay_sim::Report, id: &str) -> Option<Metric> {
    instances_down(report, id).map(|value| Metric {
        key: "instances_down",
        label: "instances down now",
        value,
    })
}

/// How a balancer's or shard router's downstream nodes shared the work: each one's throughput
/// as a share of theirs together ("Shard 1 82 % · Shard 2 9 % …"): a hot shard's or a
/// balancing algorithm's lesson, which a learner otherwise works out by hand from each
/// target's panel. `None` for other kinds, a single target, or nothing served.
pub fn target_shares(
    report: &scaleplay_sim::Report,
    scenario: &Scenario,
    id: &str,
) -> Option<Metric> {
    let label = match report.nodes.get(id)?.kind {
        Kind::ShardRouter => "share by shard",
        Kind::LoadBalancer => "share by target",
        _ => return None,
    };
    let targets: Vec<(&str, f64)> = scenario
        .edges
        .iter()
        .filter(|e| e.from == id)
        .filter_map(|e| {
            let name = scenario.node(&e.to)?.shown_name();
            Some((name, report.nodes.get(&e.to)?.throughput_rps))
        })
        .collect();
    let total: f64 = targets.iter().map(|(_, rps)| rps).sum();
    if targets.len() < 2 || total <= 0.0 {
        return None;
    }
    let value = targets
        .iter()
        .map(|(name, rps)| format!("{name} {:.0} %", rps / total * 100.0))
        .collect::<Vec<_>>()
        .join(" · ");
    Some(Metric {
        key: "shares",
        label,
        value,
    })
}

/// Who takes the writes of a SQL primary, or of the primary a replica belongs to, after the
/// run's last failover that concerns node `id`: "replica1 since 70 s" on the primary, "takes
/// Orders DB's writes since 70 s" on the replica promoted. The panels otherwise showed a
/// promoted replica as a replica, and a primary back up as taking its writes while it still
/// replayed. `None` for a node no failover concerns.
pub fn writes_taken_by(
    report: &scaleplay_sim::Report,
    scenario: &Scenario,
    id: &str,
) -> Option<Metric> {
    use scaleplay_sim::engine::FailoverAction;
    let name = |id: &str| scenario.node(id).map_or(id, |n| n.shown_name()).to_string();
    let last = report
        .failovers
        .iter()
        .rev()
        .find(|f| f.primary == id || f.replica == id)?;
    let since = crate::panels::fault_key::seconds(last.t_s);
    let value = match (last.action, last.primary == id) {
        (FailoverAction::Promoted, true) => format!("{} since {since} s", name(&last.replica)),
        (FailoverAction::Promoted, false) => {
            format!("takes {}'s writes since {since} s", name(&last.primary))
        }
        (FailoverAction::ReplicaFailed, true) => {
            format!("none since {since} s: they fail until a replica is promoted")
        }
        (FailoverAction::ReplicaFailed, false) => {
            format!(
                "took {}'s writes until it failed at {since} s",
                name(&last.primary)
            )
        }
        (FailoverAction::FailedBack, true) => format!("its own again since {since} s"),
        (FailoverAction::FailedBack, false) => {
            format!("gave {}'s writes back at {since} s", name(&last.primary))
        }
    };
    let label = if last.primary == id {
        "writes taken by"
    } else {
        "promoted"
    };
    Some(Metric {
        key: "writes",
        label,
        value,
    })
}

/// Whether node `id` of `report` has a worker limit, so a utilization and a backlog (a
/// queue's waiting messages are its depth, not a backlog; a DNS never waits).
pub fn has_workers(report: &scaleplay_sim::Report, id: &str) -> bool {
    // The capacity analysis's list of the nodes with a worker limit: a load balancer's
    // `max_connections` is one (the analysis can name it the bottleneck, the canvas colours
    // it by its utilization), where a list of kinds with a `workers` param hid it.
    report.capacity.utilization.contains_key(id)
}

/// How a node's utilization is named: busy workers ÷ the workers that were up, so a node down
/// most of the run read "utilization 25.3 %" as if it had worked a quarter of the time. Said
/// when it was down at all.
pub fn utilization_label(r: &NodeReport) -> &'static str {
    if r.availability < 1.0 {
        "utilization while up"
    } else {
        "utilization"
    }
}

/// The figures of one node in a report: the common ones, then those its kind has. `workers`:
/// whether it has a worker limit ([`has_workers`]), so a utilization and waits.
pub fn metric_rows(r: &NodeReport, workers: bool) -> Vec<Metric> {
    let pct = |x: f64| format!("{:.1} %", x * 100.0);
    let mut rows = Vec::new();
    if workers {
        rows.push(("utilization", utilization_label(r), pct(r.utilization)));
    }
    rows.push((
        "throughput",
        "throughput",
        format!("{:.1} req/s", r.throughput_rps),
    ));
    // A queue answers its producers at once: its latency is no figure (time waiting shows
    // as depth, and as how long messages waited for a worker).
    if r.kind != Kind::Queue {
        rows.push(("p99", "p99 latency", timed(r.succeeded, r.latency_ms.p99)));
    }
    if workers {
        rows.push(("backlog", "mean backlog", format!("{:.2}", r.mean_backlog)));
    }
    rows.extend([
        ("rejected", "rejected", r.rejected.to_string()),
        ("down", "answered down", r.down.to_string()),
        // Failures from below that it answered with: a web server in front of a dead
        // database read "rejected 0, answered down 0" through the outage, as if untouched
        // (`scaleplay run` and the CSV count them as `errors`).
        ("errors", "failures passed on", r.errors.to_string()),
        // The share of time at least one instance was up (a tier with one instance of
        // three down is up, with less capacity): "up time" alone read as the tier's health.
        (
            "uptime",
            "any instance up",
            format!("{:.1} %", crate::panels::cut(r.availability * 100.0, 1)),
        ),
    ]);
    if let Some(series) = &r.instances {
        rows.push(("instances", "instances now", r.instances_now.to_string()));
        // The whole run's range (warm-up included): how far autoscaling went, from where it
        // started. Said in the label, as the panel's other figures are since the warm-up.
        if let (Some(lo), Some(hi)) = (series.iter().min(), series.iter().max()) {
            let label = "instances min–max over the run";
            rows.push(("instances_range", label, format!("{lo}–{hi}")));
        }
    }
    if let Some(h) = r.hit_ratio {
        rows.push(("hit_ratio", "hit ratio", pct(h)));
    }
    if let Some(shares) = &r.partition_shares {
        rows.push((
            "partitions",
            "share by partition",
            partition_shares_text(shares),
        ));
    }
    if let Some(lag) = r.lag_ms {
        // The configured lag, or more over a run where the replica was down and caught up.
        rows.push(("lag", "replication lag (mean)", format!("{lag:.0} ms")));
    }
    if let Some(s) = r.stale_reads {
        rows.push(("stale_reads", "stale reads", stale_reads_text(s, r.reads)));
    }
    if let Some(d) = r.depth {
        rows.push(("depth", "mean depth", format!("{d:.1}")));
    }
    if let Some(d) = r.max_depth {
        rows.push(("max_depth", "max depth", d.to_string()));
    }
    // How long jobs waited for a worker (the producers, answered at once, never see it).
    if let (Some(w), Some(taken)) = (&r.wait_ms, r.deliveries) {
        rows.push((
            "wait_mean",
            "waited for a worker (mean)",
            timed(taken, w.mean),
        ));
        rows.push(("wait_p99", "waited for a worker (p99)", timed(taken, w.p99)));
    }
    if let Some(d) = r.dead_letters {
        rows.push(("dead_letters", "dead letters", d.to_string()));
    }
    if let Some(s) = r.sessions_lost {
        rows.push(("sessions_lost", "sessions lost", s.to_string()));
    }
    rows.into_iter()
        .map(|(key, label, value)| Metric { key, label, value })
        .collect()
}

/// "2,631 (5.3 % of 49,702 reads)": a bare count over a run said little without the reads
/// it was among.
fn stale_reads_text(stale: u64, reads: Option<u64>) -> String {
    match reads {
        Some(reads) if reads > 0 => format!(
            "{} ({:.1} % of {} reads)",
            scaleplay_sim::error::grouped(stale),
            stale as f64 / reads as f64 * 100.0,
            scaleplay_sim::error::grouped(reads)
        ),
        _ => scaleplay_sim::error::grouped(stale),
    }
}

/// Each partition's share of a keyed store's requests, by number ("0: 34 % · 1: 21 % …"): a hot
/// key's partition stands out, where the node's utilization is their mean. Past eight
/// partitions, the four busiest, and how many there are.
fn partition_shares_text(shares: &[f64]) -> String {
    const LISTED: usize = 8;
    let share = |(p, s): (usize, f64)| format!("{p}: {:.0} %", s * 100.0);
    if shares.len() <= LISTED {
        return shares
            .iter()
            .copied()
            .enumerate()
            .map(share)
            .collect::<Vec<_>>()
            .join(" · ");
    }
    let mut busiest: Vec<(usize, f64)> = shares.iter().copied().enumerate().collect();
    busiest.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let top: Vec<String> = busiest.into_iter().take(4).map(share).collect();
    format!("{} (the busiest 4 of {})", top.join(" · "), shares.len())
}

/// A latency of successes, or "none" without a success to time (a report's 0 would read as
/// instant).
fn timed(succeeded: u64, ms: f64) -> String {
    if succeeded == 0 {
        "none".to_string()
    } else {
        format!("{ms:.1} ms")
    }
}

/// What a client's users saw in a report: its own requests' figures.
pub fn client_metric_rows(r: &ClientReport) -> Vec<Metric> {
    let ms = |x: f64| timed(r.succeeded, x);
    let f = &r.failed;
    [
        ("offered", "requests sent", r.offered.to_string()),
        (
            "throughput",
            "throughput",
            format!("{:.1} req/s", r.throughput_rps),
        ),
        (
            "availability",
            "availability",
            format!("{:.3} %", crate::panels::cut(r.availability * 100.0, 3)),
        ),
        ("p50", "p50 latency", ms(r.latency_ms.p50)),
        ("p99", "p99 latency", ms(r.latency_ms.p99)),
        ("mean", "mean latency", ms(r.latency_ms.mean)),
        (
            "failed",
            "timeout / rejected / down",
            format!("{} / {} / {}", f.timeout, f.rejected, f.down),
        ),
        ("in_flight", "still waiting", r.in_flight.to_string()),
        ("retries", "retries", r.retries.to_string()),
    ]
    .into_iter()
    .map(|(key, label, value)| Metric { key, label, value })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_too_large_or_tiny_are_said_so_and_shown_short() {
        assert_eq!(
            parse_number("1e999").unwrap_err(),
            "\"1e999\" is too large a number (the largest is about 1.8e308)"
        );
        assert_eq!(parse_number("abc").unwrap_err(), "\"abc\" is not a number");
        assert_eq!(fmt_num(1e-320), "1e-320");
        assert_eq!(fmt_num(0.25), "0.25");
        assert_eq!(fmt_num(0.0), "0");
        assert_eq!(
            parse_number(&fmt_num(1e-320)).unwrap(),
            serde_json::json!(1e-320)
        );
    }

    #[test]
    fn stale_reads_are_said_with_their_share_of_the_reads() {
        assert_eq!(
            stale_reads_text(2631, Some(49_702)),
            "2,631 (5.3 % of 49,702 reads)"
        );
        assert_eq!(stale_reads_text(0, Some(0)), "0", "nothing read");
        assert_eq!(stale_reads_text(12, None), "12");
    }

    /// Preset 09 run (range sharding: the popular low ids all on shard 1).
    fn sharding_run() -> (Scenario, scaleplay_sim::Report) {
        let p = scaleplay_sim::presets::find("09").expect("preset 09");
        let s = scaleplay_sim::validate::parse(p.json).expect("parses");
        let model = scaleplay_sim::validate::validate(&s).expect("valid");
        let r = scaleplay_sim::Simulation::new(model, s.seed).run();
        (s, r)
    }

    /// Preset 04, whose primary is down from 60 s to 100 s, run to `until_s`.
    fn replication_run(until_s: f64) -> (Scenario, scaleplay_sim::Report) {
        let p = scaleplay_sim::presets::find("04").expect("preset 04");
        let s = scaleplay_sim::validate::parse(p.json).expect("parses");
        let model = scaleplay_sim::validate::validate(&s).expect("valid");
        let mut sim = scaleplay_sim::Simulation::new(model, s.seed);
        sim.run_until(scaleplay_sim::SimTime::from_secs(until_s));
        (s, sim.report())
    }

    #[test]
    fn a_promoted_replica_and_its_primary_say_who_takes_the_writes() {
        let writes = |r: &scaleplay_sim::Report, s: &Scenario, id: &str| {
            writes_taken_by(r, s, id).map(|m| format!("{}: {}", m.label, m.value))
        };
        // Before the outage no failover concerns anyone.
        let (s, r) = replication_run(50.0);
        assert_eq!(writes(&r, &s, "primary"), None);
        // Mid-outage: replica1 promoted a failover (10 s) after the primary failed.
        let (s, r) = replication_run(80.0);
        assert_eq!(
            writes(&r, &s, "primary").as_deref(),
            Some("writes taken by: Replica 1 since 70 s")
        );
        assert_eq!(
            writes(&r, &s, "replica1").as_deref(),
            Some("promoted: takes Primary's writes since 70 s")
        );
        assert_eq!(writes(&r, &s, "replica2"), None);
        // At the end: the primary took its writes back once it had replayed them.
        let (s, r) = replication_run(f64::MAX);
        assert_eq!(
            writes(&r, &s, "primary").as_deref(),
            Some("writes taken by: its own again since 110 s")
        );
        assert_eq!(
            writes(&r, &s, "replica1").as_deref(),
            Some("promoted: gave Primary's writes back at 110 s")
        );
    }

    #[test]
    fn a_shard_router_shows_how_its_shards_shared_the_work() {
        let (s, r) = sharding_run();
        let shares = target_shares(&r, &s, "router").expect("a router has shares");
        assert_eq!(shares.label, "share by shard");
        let percents: Vec<f64> = shares
            .value
            .split(" · ")
            .map(|part| {
                let number = part.rsplit(' ').nth(1).expect("name, number, %");
                number.parse().expect("a whole percentage")
            })
            .collect();
        assert_eq!(percents.len(), 4, "{}", shares.value);
        assert!(percents[0] > 80.0, "the hot shard: {}", shares.value);
        assert!(
            (percents.iter().sum::<f64>() - 100.0).abs() <= 2.0,
            "{}",
            shares.value
        );
        assert_eq!(target_shares(&r, &s, "web"), None, "a server has none");
    }

    use scaleplay_sim::params::{Algorithm, Autoscale, Eviction, Profile, ShardStrategy};
    use serde_json::json;

    #[test]
    fn profile_fields_are_client_params_of_a_real_profile() {
        let names = param_names(Kind::Client);
        let shaped: Vec<&str> = names
            .iter()
            .filter_map(|n| only_for_profile(Kind::Client, n))
            .collect();
        assert_eq!(shaped.len(), 6, "{names:?}");
        assert!(shaped
            .iter()
            .all(|p| PROFILES.contains(p) && *p != "constant"));
        assert_eq!(only_for_profile(Kind::Client, "rps"), None);
        assert_eq!(only_for_profile(Kind::Server, "spike_x"), None);
    }

    #[test]
    fn every_param_of_every_kind_has_a_fitting_control_and_default() {
        for kind in Kind::ALL {
            let fields = fields(kind);
            assert_eq!(
                fields.len(),
                param_names(kind).len() + COMMON_PARAMS.len(),
                "{kind:?}"
            );
            for f in fields {
                let ok = match f.control {
                    Control::Number { integer, .. } => {
                        f.default.is_null()
                            || (f.default.is_u64() == integer && f.default.is_number())
                    }
                    Control::Toggle => f.default.is_boolean(),
                    Control::Lifetime => f.default.is_number(),
                    Control::Choice(options) => {
                        f.default.as_str().is_some_and(|d| options.contains(&d))
                    }
                    Control::Dist => dist_view(Some(&f.default)).is_some_and(|d| d.mean.is_some()),
                    Control::Mix => f.default.is_object(),
                    Control::Autoscale { on_depth } => {
                        f.default.is_null() && on_depth == (kind == Kind::WorkerPool)
                    }
                };
                assert!(
                    ok,
                    "{kind:?}.{}: {:?} with default {}",
                    f.name, f.control, f.default
                );
            }
        }
    }

    #[test]
    fn a_unit_the_name_says_is_known() {
        assert!(name_says_unit("workers", "workers"));
        assert!(name_says_unit("read_ms", "ms"));
        assert!(name_says_unit("capacity_keys", "keys"));
        assert!(!name_says_unit("rps", "req/s"));
        assert!(!name_says_unit("items", "ms"));
        assert!(!name_says_unit("mean", "ms"));
        assert!(
            !name_says_unit("forms", "ms"),
            "a word ending in the unit is not its suffix"
        );
        assert!(!name_says_unit("name", ""));
    }

    #[test]
    fn every_number_has_a_unit_and_units_read_right() {
        for kind in Kind::ALL {
            for f in fields(kind) {
                if let Control::Number { unit, .. } = f.control {
                    assert!(!unit.is_empty(), "{kind:?}.{} has no unit", f.name);
                }
            }
        }
        assert_eq!(unit(Kind::Client, "rps"), "req/s");
        assert_eq!(unit(Kind::Client, "timeout_ms"), "ms");
        assert_eq!(unit(Kind::Client, "zipf_s"), "exponent");
        assert_eq!(unit(Kind::Client, "spike_at_s"), "s");
        assert_eq!(unit(Kind::Cache, "capacity_keys"), "keys");
        assert_eq!(unit(Kind::SqlPrimary, "workers"), "connections");
        assert_eq!(unit(Kind::Server, "workers"), "workers");
        assert_eq!(unit(Kind::Server, "mtbf_s"), "s");
    }

    #[test]
    fn choices_are_exactly_the_engine_enums() {
        fn all_parse<T: serde::de::DeserializeOwned>(options: &[&str]) {
            for o in options {
                assert!(serde_json::from_value::<T>(json!(o)).is_ok(), "{o}");
            }
        }
        all_parse::<Profile>(PROFILES);
        all_parse::<Algorithm>(ALGORITHMS);
        all_parse::<Eviction>(EVICTIONS);
        all_parse::<ShardStrategy>(STRATEGIES);
        for d in DISTS {
            let v = dist_with_kind(None, &json!({"dist": "exp", "mean": 10}), d);
            let spec: scaleplay_sim::params::DistSpec = serde_json::from_value(v).unwrap();
            assert!(spec.check().is_ok(), "{d}");
        }
    }

    #[test]
    fn defaults_come_from_the_engine() {
        let server = defaults(Kind::Server);
        assert_eq!(server["workers"], json!(8));
        assert_eq!(server["service_ms"], json!({"dist": "exp", "mean": 10.0}));
        assert_eq!(server["queue"], Value::Null);
        assert_eq!(server["mtbf_s"], Value::Null);
        assert_eq!(defaults(Kind::Cache)["ttl_s"], json!(300.0));
    }

    #[test]
    fn typed_numbers_become_tidy_json() {
        assert_eq!(parse_number(""), Ok(Value::Null));
        assert_eq!(parse_number("  "), Ok(Value::Null));
        assert_eq!(parse_number("8"), Ok(json!(8)));
        assert_eq!(parse_number("8.0"), Ok(json!(8)));
        assert_eq!(parse_number("0.25"), Ok(json!(0.25)));
        assert_eq!(parse_number("-3"), Ok(json!(-3)));
        assert_eq!(parse_number("1e3"), Ok(json!(1000)));
        assert!(parse_number("abc").is_err());
        assert!(parse_number("inf").is_err());
        assert!(parse_number("NaN").is_err());
        // Too large to be an exact integer: stays a float.
        assert!(parse_number("1e300").unwrap().is_f64());
        assert_eq!(parse_seed(" 18446744073709551615"), Ok(json!(u64::MAX)));
        assert!(parse_seed("").is_err());
        assert!(parse_seed("-1").is_err());
        assert!(parse_seed("1.5").is_err());
        assert_eq!(
            parse_seed("18446744073709551616"),
            Err(
                "the seed is at most 18446744073709551615: 18446744073709551616 is too large"
                    .into()
            )
        );
    }

    #[test]
    fn text_that_is_not_a_number_is_refused_naming_the_field() {
        let workers = not_a_number("param-workers");
        assert!(workers.starts_with("workers: "), "{workers}");
        assert!(workers.contains("empty the field for its default"));
        assert!(not_a_number("param-service_ms-mean").starts_with("service_ms mean: "));
        assert!(not_a_number("edge-latency").starts_with("latency_ms: "));
        assert!(not_a_number("scenario-slo-p99").starts_with("SLO p99_ms: "));
        assert!(not_a_number("setting-seed").ends_with("type a whole number >= 0"));
    }

    #[test]
    fn number_fields_refuse_letters_and_commas_saying_what_to_type() {
        // Kept: what a number may hold, partial ones included (typed a key at a time).
        for typed in ["7", "0.25", "-", "+", "e", "E", "2e3", "1.5e-3", ""] {
            assert_eq!(refused_in_number("param-rps", typed), None, "{typed:?}");
        }
        let k = refused_in_number("param-rps", "k").expect("a letter is refused");
        assert!(k.starts_with("rps: "), "{k}");
        assert!(k.contains("\"k\" was not taken"), "{k}");
        assert!(k.contains("write 2k as 2000"), "{k}");
        // Pasted text names its first character that cannot go in.
        let pasted = refused_in_number("setting-duration", "10 min").expect("refused");
        assert!(pasted.starts_with("duration_s: ") && pasted.contains("a space was not taken"));
        assert!(refused_in_number("fault-at", "60s").is_some_and(|m| m.starts_with("fault time: ")));
        // A comma keeps its own message: the browser read "2,5" as 25.
        assert_eq!(
            refused_in_number("param-rps", ","),
            Some(no_commas("param-rps"))
        );
        assert_eq!(
            refused_in_number("param-rps", "1,5"),
            Some(no_commas("param-rps"))
        );
    }

    #[test]
    fn stored_numbers_show_without_noise() {
        assert_eq!(number_text(None), "");
        assert_eq!(number_text(Some(&Value::Null)), "");
        assert_eq!(number_text(Some(&json!(10.0))), "10");
        assert_eq!(number_text(Some(&json!(0.1))), "0.1");
        assert_eq!(number_text(Some(&json!(8))), "8");
        assert_eq!(placeholder("queue", &Value::Null), "no limit");
        assert_eq!(placeholder("spike_at_s", &Value::Null), "none");
        assert_eq!(placeholder("ttl_s", &json!(300.0)), "300");
        assert_eq!(choice_text(None, &json!("lru")), "lru");
        assert_eq!(choice_text(Some(&json!("lfu")), &json!("lru")), "lfu");
        assert_eq!(control(Kind::Cache, "ttl_s"), Control::Lifetime);
        assert!(never_expires(Some(&Value::Null)));
        assert!(
            !never_expires(None),
            "omitted is the default lifetime, not never"
        );
        assert!(!never_expires(Some(&json!(60))));
        assert!(toggle_on(None, &json!(true)));
        assert!(!toggle_on(Some(&json!(false)), &json!(true)));
    }

    #[test]
    fn distributions_switch_shape_but_keep_their_mean() {
        let default = json!({"dist": "exp", "mean": 10.0});
        assert_eq!(
            dist_with_kind(None, &default, "const"),
            json!({"dist": "const", "mean": 10})
        );
        assert_eq!(
            dist_with_kind(Some(&json!(12)), &default, "lognormal"),
            json!({"dist": "lognormal", "mean": 12, "cv": 1})
        );
        let uniform = dist_with_kind(Some(&json!(12)), &default, "uniform");
        assert_eq!(uniform, json!({"dist": "uniform", "min": 0, "max": 24}));
        assert_eq!(
            dist_with_kind(
                Some(&json!({"dist": "uniform", "min": 5, "max": 15})),
                &default,
                "exp"
            ),
            json!({"dist": "exp", "mean": 10})
        );
        assert_eq!(
            dist_with_field(None, &default, "mean", &json!(25)),
            json!({"dist": "exp", "mean": 25})
        );
        assert_eq!(
            dist_with_field(Some(&uniform), &default, "max", &json!(30)),
            json!({"dist": "uniform", "min": 0, "max": 30})
        );
        // Emptied, a mean is the default's: the engine refused a distribution without one.
        let cleared = dist_with_field(
            Some(&json!({"dist": "const", "mean": 3})),
            &default,
            "mean",
            &Value::Null,
        );
        assert_eq!(cleared, json!({"dist": "const", "mean": 10}));
        let lognormal = json!({"dist": "lognormal", "mean": 3, "cv": 2});
        assert_eq!(
            dist_with_field(Some(&lognormal), &default, "cv", &Value::Null),
            json!({"dist": "lognormal", "mean": 3})
        );
        // A bound has no default: the field refuses empty text, and Null keeps the bound.
        assert_eq!(
            dist_with_field(Some(&uniform), &default, "max", &Value::Null),
            uniform
        );
        assert!(parse_bound("").unwrap_err().contains("no default"));
        assert_eq!(parse_bound("7"), Ok(json!(7)));
        assert!(parse_bound("x").is_err());
        assert_eq!(dist_view(None), None);
        assert_eq!(dist_effective(None, &default).mean, Some(10.0));
    }

    #[test]
    fn mix_edits_start_from_the_default_and_sum() {
        assert_eq!(mix_sum(None), 1.0);
        assert_eq!(mix_placeholder(None, "read"), "1");
        assert_eq!(mix_placeholder(None, "write"), "0");
        let m = mix_with(None, "write", json!(0.2));
        assert_eq!(m, json!({"read": 1, "write": 0.2, "static": 0, "async": 0}));
        assert!((mix_sum(Some(&m)) - 1.2).abs() < 1e-12);
        let m = mix_with(Some(&m), "read", json!(0.8));
        assert!((mix_sum(Some(&m)) - 1.0).abs() < 1e-12);
        let m = mix_with(Some(&m), "static", Value::Null);
        assert!(m.get("static").is_none());
        assert_eq!(mix_placeholder(Some(&m), "static"), "0");
        let parsed: Mix = serde_json::from_value(m).unwrap();
        assert_eq!(parsed.write, 0.2);
    }

    #[test]
    fn autoscale_switches_on_valid_and_edits_fields() {
        let on = autoscale_enable(false, Some(&json!(20)));
        assert_eq!(
            on,
            json!({"min": 1, "max": 20, "target_utilization": 0.6, "cooldown_s": 30.0, "boot_s": 10.0})
        );
        let pool = autoscale_enable(true, None);
        assert_eq!(pool["max"], json!(10));
        assert_eq!(pool["target_depth"], json!(10.0));
        assert!(pool.get("target_utilization").is_none());
        let edited = autoscale_with(Some(&on), "max", json!(40));
        assert_eq!(edited["max"], json!(40));
        let edited = autoscale_with(Some(&edited), "boot_s", Value::Null);
        assert!(edited.get("boot_s").is_none());
        let a: Autoscale = serde_json::from_value(edited).unwrap();
        assert_eq!((a.max, a.boot_s), (40, Autoscale::default().boot_s));
    }

    #[test]
    fn problems_are_matched_to_their_field() {
        let problems = vec![
            Problem::node("web", Some("mix.read"), "mix.read must be …"),
            Problem::node("web", Some("mix"), "shares must sum to 1"),
            Problem::node("web", Some("mixer"), "unknown param"),
            Problem::node("db", Some("mix"), "other node"),
            Problem::node("web", None, "no path"),
            Problem::scenario("slo", "slo.p99_ms must be > 0, got 0"),
            Problem::scenario("slo", "slo.availability must be in (0, 1]"),
            Problem::scenario("faults", "faults[1] (\"web\"): at 90 s is after the end"),
            Problem::scenario("faults", "faults[12]: no node \"x\""),
            Problem::node("web", Some("faults"), "fault names instance 3"),
        ];
        assert_eq!(messages_for(&problems, "web", "mix").len(), 2);
        assert_eq!(messages_for(&problems, "web", "mixer").len(), 1);
        assert_eq!(messages_for(&problems, "db", "mix").len(), 1);
        assert_eq!(
            messages_exact(&problems, "web", "mix"),
            ["shares must sum to 1"]
        );
        assert_eq!(messages_exact(&problems, "web", "mix.read").len(), 1);
        assert_eq!(
            scenario_messages(&problems, "slo", Some("p99_ms")),
            ["slo.p99_ms must be > 0, got 0"]
        );
        assert_eq!(scenario_messages(&problems, "slo", None).len(), 2);
        assert_eq!(
            fault_messages(&problems, 1),
            ["This fault: at 90 s is after the end"]
        );
        assert!(fault_messages(&problems, 0).is_empty());
        assert_eq!(fault_messages(&problems, 12), ["This fault: no node \"x\""]);
        // Named by its node, and saying more than one thing.
        let named = [Problem::scenario(
            "faults",
            "faults[2] (\"web\") names instance 3, but the node has 1: name instance 0",
        )];
        assert_eq!(
            fault_messages(&named, 2),
            ["This fault names instance 3, but the node has 1: name instance 0"]
        );
        assert_eq!(messages_for(&problems, "web", "faults").len(), 1);
    }

    /// The report of scenario `text` (valid), run with seed 1.
    fn run_scenario(text: &str) -> scaleplay_sim::Report {
        let model = scaleplay_sim::load(text).expect("valid");
        scaleplay_sim::Simulation::new(model, 1).run()
    }

    #[test]
    fn a_balancer_with_a_connection_limit_has_workers_and_one_without_none() {
        let report = |max: &str| {
            let text = format!(
                r#"{{"version": 1, "duration_s": 5, "nodes": [
                    {{"id": "users", "kind": "client", "params": {{"rps": 10}}}},
                    {{"id": "lb", "kind": "load_balancer", "params": {{"max_connections": {max}}}}},
                    {{"id": "web", "kind": "server"}}],
                  "edges": [{{"from": "users", "to": "lb"}}, {{"from": "lb", "to": "web"}}]}}"#
            );
            run_scenario(&text)
        };
        let limited = report("50");
        assert!(has_workers(&limited, "lb") && has_workers(&limited, "web"));
        assert!(!has_workers(&limited, "users"));
        assert!(!has_workers(&report("null"), "lb"));
    }

    #[test]
    fn instances_down_now_come_from_the_fault_log() {
        let run = |faults: &str| {
            let text = format!(
                r#"{{"version": 1, "duration_s": 5, "nodes": [
                    {{"id": "users", "kind": "client", "params": {{"rps": 10}}}},
                    {{"id": "web", "kind": "server", "params": {{"instances": 8}}}}],
                  "edges": [{{"from": "users", "to": "web"}}], "faults": [{faults}]}}"#
            );
            run_scenario(&text)
        };
        let fail = |i: u32, t: u32| {
            format!(r#"{{"node": "web", "instance": {i}, "at_s": {t}, "action": "fail"}}"#)
        };
        let back = r#"{"node": "web", "instance": 1, "at_s": 3, "action": "recover"}"#;
        let r = run(&[fail(1, 1), fail(4, 2), back.to_string()].join(","));
        assert_eq!(
            instances_down(&r, "web").as_deref(),
            Some("4 (failed at 2.0 s)")
        );
        let row = instances_down_row(&r, "web").expect("a row");
        assert_eq!(
            (row.key, row.label),
            ("instances_down", "instances down now")
        );
        assert_eq!(instances_down(&r, "users"), None);
        // Five down: four listed, the rest counted.
        let five: Vec<String> = (0..5).map(|i| fail(i, 1)).collect();
        let r = run(&five.join(","));
        assert_eq!(
            instances_down(&r, "web").as_deref(),
            Some(
                "0 (failed at 1.0 s), 1 (failed at 1.0 s), 2 (failed at 1.0 s), \
                 3 (failed at 1.0 s), and 1 more"
            )
        );
        // A recovery of the whole node brings every instance back.
        let all_back = r#"{"node": "web", "at_s": 2, "action": "recover"}"#;
        let r = run(&[fail(1, 1), all_back.to_string()].join(","));
        assert_eq!(instances_down(&r, "web"), None);
        assert!(instances_down_row(&r, "web").is_none());
        // But not one failed at random: the engine holds it down until its own repair.
        let mut r = run(&[fail(1, 1), all_back.to_string()].join(","));
        r.faults[0].source = "random".to_string();
        assert_eq!(
            instances_down(&r, "web").as_deref(),
            Some("1 (failed at 1.0 s)")
        );
        // The whole node down: all of them are, not only the one that failed on its own.
        let all_down = r#"{"node": "web", "at_s": 3, "action": "fail"}"#;
        let r = run(&[fail(4, 2), all_down.to_string()].join(","));
        assert_eq!(
            instances_down(&r, "web").as_deref(),
            Some("all (the node is down since 3.0 s); on their own before or since: 4 (failed at 2.0 s)")
        );
        let r = run(all_down);
        assert_eq!(
            instances_down(&r, "web").as_deref(),
            Some("all (the node is down since 3.0 s)")
        );
        // And so with its data center out.
        let text = r#"{"version": 1, "duration_s": 5, "nodes": [
            {"id": "users", "kind": "client", "params": {"rps": 10}},
            {"id": "web", "kind": "server", "dc": "eu", "params": {"instances": 8}}],
          "edges": [{"from": "users", "to": "web"}],
          "faults": [{"dc": "eu", "at_s": 3, "action": "fail"}]}"#;
        assert_eq!(
            instances_down(&run_scenario(text), "web").as_deref(),
            Some("all (the node is down since 3.0 s)")
        );
    }

    #[test]
    fn a_keyed_store_shows_each_partitions_share() {
        assert_eq!(
            partition_shares_text(&[0.344, 0.214, 0.314, 0.128]),
            "0: 34 % · 1: 21 % · 2: 31 % · 3: 13 %"
        );
        let mut many = vec![0.05; 12];
        many[7] = 0.3;
        many[2] = 0.2;
        assert_eq!(
            partition_shares_text(&many),
            "7: 30 % · 2: 20 % · 0: 5 % · 1: 5 % (the busiest 4 of 12)"
        );
    }

    #[test]
    fn metrics_show_what_the_kind_has() {
        let report: NodeReport = serde_json::from_value(json!({
            "kind": "queue", "utilization": 0.5, "throughput_rps": 12.34, "responses_rps": 12.34,
            "mean_backlog": 0.0, "mean_in_node": 0.0, "rejected": 3, "down": 0,
            "latency_ms": {"mean": 1.0, "p99": 7.26}, "availability": 1.0, "instances_now": 1,
            "depth": 4.5, "max_depth": 9, "dead_letters": 2, "utilization_series": [],
            "deliveries": 40, "wait_ms": {"mean": 250.0, "p99": 1234.56}
        }))
        .unwrap();
        let rows = metric_rows(&report, false);
        let get = |k: &str| rows.iter().find(|m| m.key == k).map(|m| m.value.as_str());
        // A queue has no workers to be busy and answers its producers at once: its waiting
        // shows as depth.
        assert_eq!(get("utilization"), None);
        assert_eq!(get("throughput"), Some("12.3 req/s"));
        assert_eq!(get("p99"), None);
        assert_eq!(get("rejected"), Some("3"));
        assert_eq!(get("errors"), Some("0"));
        assert_eq!(get("dead_letters"), Some("2"));
        assert_eq!(get("depth"), Some("4.5"));
        assert_eq!(get("wait_mean"), Some("250.0 ms"));
        assert_eq!(get("wait_p99"), Some("1234.6 ms"));
        assert_eq!(get("hit_ratio"), None);
        assert_eq!(get("instances"), None, "not autoscaled");
        assert_eq!(get("backlog"), None);
        assert_eq!(get("lag"), None);

        let autoscaled: NodeReport = serde_json::from_value(json!({
            "kind": "server", "utilization": 0.5, "throughput_rps": 1.0, "responses_rps": 1.0,
            "mean_backlog": 1.256, "mean_in_node": 2.0, "rejected": 0, "down": 0,
            "succeeded": 0,
            "latency_ms": {"mean": 0.0, "p99": 0.0}, "availability": 1.0, "instances_now": 3,
            "instances": [2, 2, 5, 3], "utilization_series": [0.1, 0.2, 0.9, 0.4]
        }))
        .unwrap();
        let rows = metric_rows(&autoscaled, true);
        let get = |k: &str| rows.iter().find(|m| m.key == k).map(|m| m.value.as_str());
        assert_eq!(get("instances"), Some("3"));
        assert_eq!(get("instances_range"), Some("2–5"));
        assert_eq!(get("utilization"), Some("50.0 %"));
        assert_eq!(get("backlog"), Some("1.26"));
        // Nothing succeeded: no latency to show (not "0.0 ms").
        assert_eq!(get("p99"), Some("none"));
    }

    #[test]
    fn a_clients_figures_are_what_its_users_saw() {
        let report: ClientReport = serde_json::from_value(json!({
            "offered": 1000, "succeeded": 990, "failed": {"timeout": 1, "rejected": 2, "down": 5},
            "in_flight": 2, "throughput_rps": 99.04, "availability": 0.99193548,
            "latency_ms": {"mean": 12.34, "p50": 10.0, "p95": 20.0, "p99": 31.25, "max": 40.0},
            "retries": 3
        }))
        .unwrap();
        let rows = client_metric_rows(&report);
        let get = |k: &str| rows.iter().find(|m| m.key == k).map(|m| m.value.as_str());
        assert_eq!(get("offered"), Some("1000"));
        assert_eq!(get("throughput"), Some("99.0 req/s"));
        assert_eq!(
            get("availability"),
            Some("99.193 %"),
            "cut, never rounded up"
        );
        assert_eq!(get("p99"), Some("31.2 ms"));
        assert_eq!(get("failed"), Some("1 / 2 / 5"));
        assert_eq!(get("in_flight"), Some("2"));
        assert_eq!(get("retries"), Some("3"));
    }
}
