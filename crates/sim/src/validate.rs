//! Loading: text → [`Scenario`] → [`Model`], reporting every problem at once.
//!
//! Nothing here may panic, whatever the input: the fuzz and property tests feed it arbitrary
//! bytes and JSON. Sizes are bounded (see [`crate::params::limits`]) before anything is built.

use serde_json::Value;

use crate::error::{is_bidi_control, shown, LoadError, Problem};
use crate::model::{
    can_connect, compute_routes, DcDistances, EdgeId, Model, ModelEdge, ModelFault, ModelNode,
    NodeId, Routes, CROSS_DC_MS, SAME_DC_MS,
};
use crate::params::{self, limits, Params, Reliability};
use crate::plan;
use crate::scenario::{Kind, Scenario, FORMAT_VERSION};
use crate::time::{Duration, SimTime};

/// Largest scenario text accepted, in bytes.
pub const MAX_SCENARIO_BYTES: usize = 4 * 1024 * 1024;

/// Most requests a run may be asked to simulate (see [`expected_requests`]).
pub const MAX_EXPECTED_REQUESTS: f64 = 500_000_000.0;

const TOP_LEVEL_KEYS: [&str; 11] = [
    "version",
    "name",
    "notes",
    "seed",
    "duration_s",
    "warmup_s",
    "window_s",
    "slo",
    "nodes",
    "edges",
    "faults",
];

/// Parses and validates a scenario file.
pub fn load(text: &str) -> Result<Model, LoadError> {
    parse(text).and_then(|s| validate(&s))
}

/// Parses a scenario file into its raw form, checking its shape but not its meaning.
pub fn parse(text: &str) -> Result<Scenario, LoadError> {
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(LoadError::TooLarge {
            size: text.len(),
            limit: MAX_SCENARIO_BYTES,
        });
    }
    // Some editors start a UTF-8 file with a byte-order mark; JSON has no use for it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value =
        serde_json::from_str(text).map_err(|e| LoadError::Syntax(syntax_message(text, &e)))?;
    let repeated = repeated_key_problems(text, &value);
    match from_value(value) {
        // The rest of the file's problems too, as read with the last of each repeated key.
        Ok(s) if !repeated.is_empty() => {
            let more = match validate(&s) {
                Err(LoadError::Invalid(more)) => more,
                _ => Vec::new(),
            };
            Err(LoadError::Invalid(
                repeated.into_iter().chain(more).collect(),
            ))
        }
        Err(LoadError::Invalid(more)) if !repeated.is_empty() => Err(LoadError::Invalid(
            repeated.into_iter().chain(more).collect(),
        )),
        other => other,
    }
}

/// What is wrong with text that is not JSON, in the reader's terms: serde's "EOF while
/// parsing a value" says nothing to someone whose file is empty or was cut short.
fn syntax_message(text: &str, e: &serde_json::Error) -> String {
    if text.trim().is_empty() {
        return "it is empty; a scenario is a JSON object with \"version\", \"nodes\" and \"edges\""
            .into();
    }
    match e.classify() {
        serde_json::error::Category::Eof => format!(
            "it ends at line {} column {} before its JSON is complete; it may be cut short, \
             or a bracket or quote is left open",
            e.line(),
            e.column()
        ),
        _ => e.to_string(),
    }
}

/// A problem for each key written twice in one object: the parse keeps the last, and the
/// author may be looking at the first. One inside a node is the node's problem.
fn repeated_key_problems(text: &str, value: &Value) -> Vec<Problem> {
    crate::json_keys::repeated_keys(text)
        .into_iter()
        .map(|(place, key)| {
            let key = truncate(&key);
            let twice = "keep the one you mean and delete the other (only the last counts)";
            // `nodes[3].params.service_ms` → node 3's id, and `params.service_ms` within it.
            let in_node = place.strip_prefix("nodes[").and_then(|rest| {
                let (i, within) = rest.split_once(']')?;
                let id = value
                    .get("nodes")?
                    .get(i.parse::<usize>().ok()?)?
                    .get("id")?;
                Some((id.as_str()?, within.trim_start_matches('.')))
            });
            match in_node {
                Some((id, within)) => {
                    let within = if within.is_empty() { "it" } else { within };
                    Problem::node(
                        id,
                        Some(&key),
                        format!(
                            "\"{key}\" is written twice in {}: {twice}",
                            truncate(within)
                        ),
                    )
                }
                None => {
                    let top = place.split(['.', '[']).next().unwrap_or_default();
                    let within = match place.as_str() {
                        "" => "the file".to_string(),
                        p => truncate(p),
                    };
                    Problem::scenario(
                        if top.is_empty() { &key } else { top },
                        format!("\"{key}\" is written twice in {within}: {twice}"),
                    )
                }
            }
        })
        .collect()
}

/// Builds a [`Scenario`] from parsed JSON, naming every misshapen part.
pub fn from_value(mut value: Value) -> Result<Scenario, LoadError> {
    // Some tools write every number with a decimal point: `"version": 1.0` is version 1, and
    // `"seed": 7.0` seed 7, as a param's `8.0` is 8.
    if let Value::Object(map) = &mut value {
        for key in ["version", "seed"] {
            if let Some(v) = map.get_mut(key) {
                whole_floats_as_integers(v);
            }
        }
    }
    let Value::Object(map) = &value else {
        return Err(LoadError::Syntax(
            "expected a JSON object with \"version\", \"nodes\" and \"edges\"".into(),
        ));
    };
    // Problems of the file as a whole. Unless the version is one this build cannot read, the
    // rest is still checked (without the unknown keys, as version 1), so that a typo in a
    // top-level key does not hide every other problem until it is fixed.
    let mut problems = Vec::new();
    let mut readable = true;
    match map.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(FORMAT_VERSION as u64) => {}
        Some(Value::String(v)) if v.trim() == FORMAT_VERSION.to_string() => {
            problems.push(Problem::scenario(
                "version",
                format!("version must be the number {FORMAT_VERSION}, not the text \"{v}\": write \"version\": {FORMAT_VERSION}"),
            ))
        }
        // A null is as good as missing: the rest is checked as version 1.
        Some(Value::Null) => problems.push(Problem::scenario(
            "version",
            format!("\"version\" is null: write \"version\": {FORMAT_VERSION}"),
        )),
        Some(v) => {
            readable = false;
            problems.push(Problem::scenario(
                "version",
                format!("unsupported version {v}: this build reads version {FORMAT_VERSION}"),
            ));
        }
        None => problems.push(Problem::scenario(
            "version",
            format!("missing \"version\": add \"version\": {FORMAT_VERSION}"),
        )),
    }
    for key in map.keys() {
        if !TOP_LEVEL_KEYS.contains(&key.as_str()) {
            problems.push(Problem::scenario(
                key,
                format!(
                    "unknown key \"{key}\": expected one of {}",
                    TOP_LEVEL_KEYS.join(", ")
                ),
            ));
        }
    }
    if problems.is_empty() {
        return match serde_json::from_value::<Scenario>(value.clone()) {
            Ok(s) => Ok(s),
            Err(_) => Err(LoadError::Invalid(shape_problems(map))),
        };
    }
    if readable {
        let mut rest = map.clone();
        rest.retain(|key, _| TOP_LEVEL_KEYS.contains(&key.as_str()));
        rest.insert("version".into(), Value::from(FORMAT_VERSION));
        problems.extend(
            match serde_json::from_value::<Scenario>(Value::Object(rest.clone())) {
                Ok(s) => match validate(&s) {
                    Err(LoadError::Invalid(more)) => more,
                    _ => Vec::new(),
                },
                Err(_) => shape_problems(&rest),
            },
        );
    }
    Err(LoadError::Invalid(problems))
}

/// Every misshapen part of a file that does not parse as a scenario, and the problems of the
/// rest when only separable parts are misshapen.
fn shape_problems(map: &serde_json::Map<String, Value>) -> Vec<Problem> {
    let mut problems = diagnose_shape(map);
    problems.extend(problems_beyond_the_shape(map, &problems));
    problems
}

/// Parts of a file left out of the checks because their shape is wrong (each reported
/// already), and what the checks of the rest must therefore not judge.
#[derive(Default)]
struct SetAside {
    /// Where each fault that was kept sits in the file, to name it as the file does (empty
    /// when none was left out).
    kept_faults: Vec<usize>,
    /// Ids of the nodes left out: edges and faults naming them are not "to a missing node",
    /// and the paths through them are not judged.
    nodes: Vec<String>,
    /// The kind and data center of every node left out, id or not (`None` where the file
    /// does not say it in words): one may be the only client, or the only node of a data
    /// center a fault names.
    node_places: Vec<(Option<String>, Option<String>)>,
    /// Callers of the edges left out (`None` when an edge names no caller in words): their
    /// paths and replicas are not judged.
    edge_callers: Vec<Option<String>>,
    /// `duration_s` was left out: nothing measured against it is judged (the warm-up's end,
    /// the number of windows, fault times, expected requests and random faults).
    duration: bool,
    /// `window_s` was left out: the number of windows is not judged.
    window: bool,
}

impl SetAside {
    /// Where fault `k` of the checked list sits in the file.
    fn fault_place(&self, k: usize) -> usize {
        self.kept_faults.get(k).copied().unwrap_or(k)
    }

    /// Whether a node left out may be a client.
    fn may_hold_a_client(&self) -> bool {
        self.node_places
            .iter()
            .any(|(kind, _)| kind.as_deref().is_none_or(|k| k == "client"))
    }

    /// Whether a node left out may be one that a data center `dc`'s outage takes down (users
    /// and DNS stay up).
    fn may_be_in(&self, dc: &str) -> bool {
        self.node_places.iter().any(|(kind, place)| {
            place.as_deref().is_none_or(|p| p == dc)
                && kind
                    .as_deref()
                    .and_then(Kind::parse)
                    .is_none_or(|k| !k.outlives_its_data_center())
        })
    }

    /// Whether some edge left out named no caller: then no client's paths can be judged.
    fn lost_an_unknown_caller(&self) -> bool {
        self.edge_callers.iter().any(Option::is_none)
    }
}

/// The problems the rest of the file has once its misshapen parts are set aside, so that one
/// bad node, edge, fault or setting does not hide every other problem until it is fixed. The
/// parts are set aside one by one: a node, edge or fault alone, a setting by its default.
/// Nothing is checked when the lists themselves are not lists, or the file not an object of
/// the known keys.
fn problems_beyond_the_shape(
    map: &serde_json::Map<String, Value>,
    shape: &[Problem],
) -> Vec<Problem> {
    use crate::scenario::{EdgeSpec, FaultSpec, NodeSpec};
    if shape.is_empty() || shape.iter().any(|p| p.field.as_deref() == Some("")) {
        return Vec::new();
    }
    let mut rest = map.clone();
    let mut aside = SetAside::default();
    for (key, value) in map {
        let fits = |v: &Value| match key.as_str() {
            "name" | "notes" => v.is_string(),
            "seed" => v.as_u64().is_some(),
            "duration_s" | "warmup_s" | "window_s" => v.is_number(),
            "slo" => serde_json::from_value::<crate::scenario::Slo>(v.clone()).is_ok(),
            _ => true,
        };
        match (key.as_str(), value) {
            ("nodes", Value::Array(items)) => {
                let kept = items.iter().filter(|item| {
                    let ok = serde_json::from_value::<NodeSpec>((*item).clone()).is_ok();
                    if !ok {
                        let text = |k: &str| item.get(k).and_then(Value::as_str).map(String::from);
                        if let Some(id) = text("id") {
                            aside.nodes.push(id);
                        }
                        let dc = match item.get("dc") {
                            // A node written as a list may have any data center in it.
                            None if item.is_array() => None,
                            None => Some(crate::scenario::default_dc()),
                            Some(_) => text("dc"),
                        };
                        aside.node_places.push((text("kind"), dc));
                    }
                    ok
                });
                let kept: Vec<Value> = kept.cloned().collect();
                rest.insert(key.clone(), Value::Array(kept));
            }
            ("edges", Value::Array(items)) => {
                let mut kept = Vec::new();
                for item in items {
                    if serde_json::from_value::<EdgeSpec>(item.clone()).is_ok() {
                        kept.push(item.clone());
                    } else {
                        let from = item.get("from").and_then(Value::as_str);
                        aside.edge_callers.push(from.map(str::to_string));
                    }
                }
                rest.insert(key.clone(), Value::Array(kept));
            }
            ("faults", Value::Array(items)) => {
                let mut kept = Vec::new();
                for (i, f) in items.iter().enumerate() {
                    if serde_json::from_value::<FaultSpec>(f.clone()).is_ok() {
                        aside.kept_faults.push(i);
                        kept.push(f.clone());
                    }
                }
                rest.insert(key.clone(), Value::Array(kept));
            }
            // Without its list of nodes or edges the drawing cannot be checked at all.
            ("nodes" | "edges", _) => return Vec::new(),
            ("faults", _) => {
                rest.remove(key);
            }
            (_, v) if !fits(v) => {
                aside.duration |= key == "duration_s";
                aside.window |= key == "window_s";
                rest.remove(key);
            }
            _ => {}
        }
    }
    let Ok(s) = serde_json::from_value::<Scenario>(Value::Object(rest)) else {
        return Vec::new();
    };
    match validate_beside(&s, &aside) {
        Err(LoadError::Invalid(more)) => more,
        _ => Vec::new(),
    }
}

/// serde's message with the Rust types it names said in words: `expected f64` is "expected
/// a number" to someone writing JSON.
fn in_words(message: &str) -> String {
    let mut text = message.to_string();
    for (rust, words) in [
        ("expected f64", "expected a number".to_string()),
        ("expected u64", "expected a whole number >= 0".to_string()),
        ("expected u32", "expected a whole number >= 0".to_string()),
        ("expected a map", "expected an object".to_string()),
        (
            "expected struct Slo",
            "expected an object such as {\"p99_ms\": 200}".to_string(),
        ),
        ("expected struct NodeSpec", item_example("nodes").expected()),
        ("expected struct EdgeSpec", item_example("edges").expected()),
        (
            "expected struct FaultSpec",
            item_example("faults").expected(),
        ),
        ("expected struct ", "expected an object: ".to_string()),
        (
            "expected enum ",
            "expected one of the names of ".to_string(),
        ),
    ] {
        text = text.replace(rust, &words);
    }
    text
}

/// An item of one of the file's lists, for messages that say what to write.
struct ItemExample {
    /// What it is: "a node".
    noun: &'static str,
    /// The JSON of one: `{"id": "web", "kind": "server"}`.
    json: &'static str,
}

impl ItemExample {
    /// "expected a node, such as {…}".
    fn expected(&self) -> String {
        format!("expected {}, such as {}", self.noun, self.json)
    }
}

/// An item of the list `list` (`nodes`, `edges`, `faults`).
fn item_example(list: &str) -> ItemExample {
    let (noun, json) = match list {
        "nodes" => ("a node", r#"{"id": "web", "kind": "server"}"#),
        "edges" => ("an edge", r#"{"from": "users", "to": "web"}"#),
        _ => (
            "a fault",
            r#"{"node": "web", "at_s": 30, "action": "fail"}"#,
        ),
    };
    ItemExample { noun, json }
}

/// What to write instead of a `null` at `key`, a key of the file or of a node, edge or fault
/// that takes none: leave the key out where it has a default, or give what it takes. serde's
/// "invalid type: null, expected a map" says neither to someone writing JSON. (A param's null
/// is its default, see [`check_params`]; these keys have no such reading.)
fn null_advice(key: &str) -> String {
    if let "nodes" | "edges" | "faults" = key {
        let one = item_example(key);
        return format!(
            "leave it out for no {key}, or give a list of them, such as [{}]",
            one.json
        );
    }
    match what_it_takes(key) {
        (takes, Some(default)) => format!("leave it out for {default}, or give {takes}"),
        (takes, None) => format!("give {takes}"),
    }
}

/// What to write instead of a list at `key`, a key of the file or of a node, edge or fault
/// that is not a list. serde reads a list where an object belongs field by field, in order
/// (see [`crate::scenario::object_only`], which refuses it), and says "invalid type: sequence"
/// where a value belongs.
fn list_advice(key: &str) -> String {
    format!("give {}", what_it_takes(key).0)
}

/// What `key`, a key of the file or of a node, edge or fault, takes, and what leaving it out
/// means (`None`: it cannot be left out).
fn what_it_takes(key: &str) -> (&'static str, Option<&'static str>) {
    match key {
        "id" => (r#"the node's id in quotes, such as "web""#, None),
        "kind" => (r#"its kind in quotes, such as "server""#, None),
        "from" | "to" => (r#"a node's id in quotes, such as "web""#, None),
        // An edge's latency, and a fault's node and instance, read a null as left out.
        "latency_ms" => (
            "a number of ms, such as 15",
            Some("0.5 ms within a data center, 80 ms across"),
        ),
        "node" => (r#"a node's id in quotes, such as "web""#, Some("no node")),
        "instance" => ("an instance's number, from 0", Some("all instances")),
        "at_s" => ("the time in seconds from the start, such as 30", None),
        "action" => (r#""fail" or "recover""#, None),
        "params" => (
            r#"an object of params, such as {"workers": 8}"#,
            Some("the kind's defaults"),
        ),
        "slo" => (r#"an object such as {"p99_ms": 200}"#, Some("no SLO")),
        "name" => ("a name in quotes", Some("no name")),
        "notes" => ("text in quotes", Some("no notes")),
        "dc" => (
            r#"a data center in quotes, such as "eu""#,
            Some("the default data center"),
        ),
        "x" | "y" => ("a number", Some("0")),
        "seed" => ("a whole number >= 0", Some("seed 0")),
        "duration_s" | "warmup_s" | "window_s" => ("a number of seconds", Some("its default")),
        _ => ("a value", Some("its default")),
    }
}

/// serde's message, in words, when `v` does not have the shape of a `T`.
fn check<T: serde::de::DeserializeOwned>(v: &Value) -> Result<(), String> {
    serde_json::from_value::<T>(v.clone())
        .map(|_| ())
        .map_err(|e| in_words(&e.to_string()))
}

/// Items of each list that are right, for [`item_problems`] to try one field at a time in.
const NODE_TEMPLATE: &str = r#"{"id": "a", "kind": "server"}"#;
const EDGE_TEMPLATE: &str = r#"{"from": "a", "to": "b"}"#;
const FAULT_TEMPLATE: &str = r#"{"node": "a", "at_s": 0, "action": "fail"}"#;

/// What is wrong with one item of a list, each bad field by name: serde stops at the first,
/// so each field is tried alone in an item that is otherwise right (`template`). What no field
/// is wrong for alone (a field missing) is said as serde says it.
fn item_problems<T: serde::de::DeserializeOwned>(item: &Value, template: &str) -> Vec<String> {
    let Err(whole) = check::<T>(item) else {
        return Vec::new();
    };
    let (Value::Object(fields), Ok(Value::Object(base))) =
        (item, serde_json::from_str::<Value>(template))
    else {
        return vec![whole];
    };
    let mut wrong = Vec::new();
    let mut right = fields.clone();
    for (k, v) in fields {
        let mut alone = base.clone();
        alone.insert(k.clone(), v.clone());
        if let Err(e) = check::<T>(&Value::Object(alone)) {
            // serde's "unknown field `latency`, expected …" names the field already.
            wrong.push(if e.starts_with("unknown field") {
                e
            } else if v.is_null() {
                format!("{k} is null: {}", null_advice(k))
            } else if v.is_array() {
                format!("{k} is a list: {}", list_advice(k))
            } else {
                format!("{k}: {e}")
            });
            // A bad field that must be there is not missing too: the template's stands in.
            match base.get(k) {
                Some(stand_in) => right.insert(k.clone(), stand_in.clone()),
                None => right.remove(k),
            };
        }
    }
    // Without its bad fields, what is still wrong with the item: a field it lacks.
    if let Err(e) = check::<T>(&Value::Object(right)) {
        if wrong.is_empty() || e.starts_with("missing field") {
            wrong.push(e);
        }
    }
    wrong
}

/// Most misshapen fields listed one by one: a generated file can have hundreds of thousands,
/// and the first ones say what is wrong with the rest.
const MOST_SHAPE_PROBLEMS: usize = 200;

/// Finds each part of the file that does not have the expected shape.
fn diagnose_shape(map: &serde_json::Map<String, Value>) -> Vec<Problem> {
    use crate::scenario::{EdgeSpec, FaultSpec, NodeSpec, Slo};
    let mut problems = Vec::new();
    let mut unlisted = 0usize;
    for (key, v) in map {
        if v.is_null() {
            problems.push(Problem::scenario(
                key,
                format!("\"{key}\" is null: {}", null_advice(key)),
            ));
            continue;
        }
        let a_list = matches!(key.as_str(), "nodes" | "edges" | "faults");
        if v.is_array() && !a_list && TOP_LEVEL_KEYS.contains(&key.as_str()) {
            problems.push(Problem::scenario(
                key,
                format!("\"{key}\" is a list: {}", list_advice(key)),
            ));
            continue;
        }
        let res = match key.as_str() {
            "name" | "notes" => check::<String>(v),
            "seed" => check::<u64>(v).map_err(|_| "must be a whole number >= 0".to_string()),
            "duration_s" | "warmup_s" | "window_s" => check::<f64>(v),
            "slo" => check::<Slo>(v),
            "nodes" | "edges" | "faults" => match v {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if item.is_null() || item.is_array() {
                            let one = item_example(key);
                            let e = if item.is_null() {
                                format!(
                                    "{key}[{i}] is null: remove it from the list, or write {} \
                                     there, such as {}",
                                    one.noun, one.json
                                )
                            } else {
                                // Not read field by field, in order: which is which is the
                                // file's to say.
                                format!(
                                    "{key}[{i}] is a list: write {} as an object, such as {}",
                                    one.noun, one.json
                                )
                            };
                            if problems.len() < MOST_SHAPE_PROBLEMS {
                                problems.push(Problem::scenario(key, e));
                            } else {
                                unlisted += 1;
                            }
                            continue;
                        }
                        let text = |k: &str| item.get(k).and_then(Value::as_str).map(truncate);
                        let (wrong, label) = match key.as_str() {
                            "nodes" => (
                                item_problems::<NodeSpec>(item, NODE_TEMPLATE),
                                text("id").map(|id| format!("\"{id}\"")),
                            ),
                            "edges" => (
                                item_problems::<EdgeSpec>(item, EDGE_TEMPLATE),
                                text("from")
                                    .zip(text("to"))
                                    .map(|(from, to)| format!("{from} → {to}")),
                            ),
                            _ => (
                                item_problems::<FaultSpec>(item, FAULT_TEMPLATE),
                                text("node").map(|node| format!("\"{node}\"")),
                            ),
                        };
                        let label =
                            label.map_or(format!("{key}[{i}]"), |l| format!("{key}[{i}] ({l})"));
                        for e in wrong {
                            if problems.len() < MOST_SHAPE_PROBLEMS {
                                problems.push(Problem::scenario(key, format!("{label}: {e}")));
                            } else {
                                unlisted += 1;
                            }
                        }
                    }
                    Ok(())
                }
                _ => Err("must be a list".into()),
            },
            _ => Ok(()),
        };
        if let Err(e) = res {
            problems.push(Problem::scenario(key, format!("\"{key}\": {e}")));
        }
    }
    if unlisted > 0 {
        problems.push(Problem::scenario(
            "nodes",
            format!("and {unlisted} more misshapen fields: fix the ones above first"),
        ));
    }
    if problems.is_empty() {
        problems.push(Problem::scenario(
            "",
            "the file does not have the shape of a scenario",
        ));
    }
    problems
}

/// Checks a scenario's meaning and builds the model the engine runs.
pub fn validate(s: &Scenario) -> Result<Model, LoadError> {
    validate_beside(s, &SetAside::default())
}

/// [`validate`] of the rest of a file whose misshapen parts were set aside: the problems
/// those parts would make, or hide, are not judged (see [`problems_beyond_the_shape`]).
fn validate_beside(s: &Scenario, aside: &SetAside) -> Result<Model, LoadError> {
    let mut problems = Vec::new();
    if s.nodes.len() > limits::MAX_NODES {
        problems.push(Problem::scenario(
            "nodes",
            format!(
                "{} nodes is more than the limit of {}",
                s.nodes.len(),
                limits::MAX_NODES
            ),
        ));
    }
    if s.edges.len() > limits::MAX_EDGES || s.faults.len() > limits::MAX_FAULTS {
        problems.push(Problem::scenario(
            "edges",
            format!(
                "at most {} edges and {} faults are allowed",
                limits::MAX_EDGES,
                limits::MAX_FAULTS
            ),
        ));
    }
    if !problems.is_empty() {
        return Err(LoadError::Invalid(problems));
    }
    // Sizes are checked before anything is built; bad settings do not stop the node checks,
    // so every problem shows at once.
    check_settings(s, aside, &mut problems);

    let mut nodes = Vec::with_capacity(s.nodes.len());
    let mut bad_params: Vec<NodeId> = Vec::new();
    let mut index = std::collections::HashMap::new();
    // Nodes set aside for their shape are there, unbuilt, as nodes of an unknown kind are.
    for id in &aside.nodes {
        index.insert(id.as_str(), None);
    }
    // Where each id first appears in the list, to name both places of a duplicate.
    let mut first_place: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (place, spec) in s.nodes.iter().enumerate() {
        if spec.id.is_empty() {
            problems.push(Problem::scenario(
                "nodes",
                "a node has an empty id: give it one, such as \"web\"",
            ));
            continue;
        }
        // Counted in characters, as a person counts them (names are often not English). A
        // node whose id is too long is still built, so edges to it are not also reported.
        let id_chars = spec.id.chars().count();
        if id_chars > 64 {
            problems.push(Problem::scenario(
                "nodes",
                format!(
                    "node id \"{}\" must be 1 to 64 characters, got {id_chars}: shorten it",
                    truncate(&spec.id)
                ),
            ));
        }
        if index.contains_key(spec.id.as_str()) {
            // Places in the file are known when no node was set aside before this check.
            let message = match first_place.get(spec.id.as_str()) {
                Some(first) if aside.node_places.is_empty() => format!(
                    "duplicate id: nodes[{first}] and nodes[{place}] are both \"{}\": give \
                     each node its own id",
                    truncate(&spec.id)
                ),
                _ => "duplicate id: give each node its own id".to_string(),
            };
            problems.push(Problem::node(&spec.id, Some("id"), message));
            continue;
        }
        first_place.insert(spec.id.as_str(), place);
        for (field, text, ident) in [
            ("id", &spec.id, true),
            ("name", &spec.name, false),
            ("dc", &spec.dc, true),
        ] {
            if let Some(what) = hidden_character(text, ident) {
                problems.push(Problem::node(
                    &spec.id,
                    Some(field),
                    format!("{field} \"{}\" holds {what}", truncate(text)),
                ));
            }
        }
        let (name_chars, dc_chars) = (spec.name.chars().count(), spec.dc.chars().count());
        if name_chars > 200 {
            problems.push(Problem::node(
                &spec.id,
                Some("name"),
                format!("name must be at most 200 characters, got {name_chars}"),
            ));
        }
        if dc_chars == 0 || dc_chars > 64 {
            problems.push(Problem::node(
                &spec.id,
                Some("dc"),
                format!(
                    "dc must be 1 to 64 characters, got {dc_chars}: name the data center, \
                     such as \"eu\""
                ),
            ));
        }
        if !(spec.x.is_finite() && spec.y.is_finite()) {
            problems.push(Problem::node(
                &spec.id,
                Some("x"),
                "x and y must be finite numbers",
            ));
        }
        let Some(kind) = Kind::parse(&spec.kind) else {
            let all: Vec<_> = Kind::ALL.iter().map(|k| k.as_str()).collect();
            problems.push(Problem::node(
                &spec.id,
                Some("kind"),
                format!(
                    "unknown kind \"{}\": use one of {}",
                    truncate(&spec.kind),
                    all.join(", ")
                ),
            ));
            index.insert(spec.id.as_str(), None);
            continue;
        };
        let typed = match check_params(kind, &spec.params) {
            Ok(typed) => Some(typed),
            Err(ps) => {
                let bad: Vec<String> = ps.iter().map(|(f, _)| f.clone()).collect();
                problems.extend(
                    ps.into_iter()
                        .map(|(f, m)| Problem::node(&spec.id, Some(&f), m)),
                );
                // Kept in the drawing, so that the checks of the wiring below still run: a
                // typo in one param must not hide a cycle. With its other params as given
                // and the bad ones at their defaults, its paths are judged too, unless a bad
                // one decides where requests go (a default mix is not the user's). A client
                // with a negative rate hid that its writes had nowhere to go.
                let (typed, routing) = without_bad_params(kind, &spec.params, &bad);
                if routing || typed.is_none() {
                    bad_params.push(NodeId(nodes.len() as u32));
                }
                typed.or_else(|| {
                    params::parse(kind, &Value::Object(serde_json::Map::new()))
                        .ok()
                        .map(|defaults| (defaults, Reliability::default()))
                })
            }
        };
        match typed {
            Some((params, reliability)) => {
                index.insert(spec.id.as_str(), Some(NodeId(nodes.len() as u32)));
                nodes.push(ModelNode {
                    id: spec.id.clone(),
                    name: spec.name.clone(),
                    kind,
                    dc: spec.dc.clone(),
                    params,
                    reliability,
                    out: Vec::new(),
                    routes: Routes::default(),
                });
            }
            None => {
                index.insert(spec.id.as_str(), None);
            }
        }
    }
    // An edge dropped for naming no node, or for joining kinds that cannot call each other,
    // may cut the only path somewhere: the path checks would then blame the wrong node, so
    // they skip the clients that reach a node that lost an edge. So does a node whose params
    // are bad, checked with its kind's defaults. (A self-edge, a repeated edge or a bad
    // latency leave the paths as they are.)
    let mut unjudged: Vec<NodeId> = bad_params;
    // Every id as it reads, sorted, made at the first edge to a missing node (`look_alike`).
    let mut plain_ids: Option<Vec<(String, &str)>> = None;

    let mut edges: Vec<ModelEdge> = Vec::new();
    for e in &s.edges {
        let (from, to) = match (index.get(e.from.as_str()), index.get(e.to.as_str())) {
            (Some(f), Some(t)) => (*f, *t),
            (f, t) => {
                if let Some(Some(id)) = f {
                    unjudged.push(*id);
                }
                for (id, found) in [(&e.from, f), (&e.to, t)] {
                    if found.is_none() {
                        let plain = plain_ids.get_or_insert_with(|| {
                            let mut all: Vec<(String, &str)> =
                                index.keys().map(|k| (plain_id(k), *k)).collect();
                            all.sort_unstable();
                            all
                        });
                        let hint = look_alike(id, plain).map_or(String::new(), |near| {
                            format!(" (\"{}\" looks like it but differs)", truncate(near))
                        });
                        problems.push(Problem::scenario(
                            "edges",
                            format!(
                                "edge {} → {} names \"{}\", which is not a node{hint}: add it or remove the edge",
                                truncate(&e.from),
                                truncate(&e.to),
                                truncate(id)
                            ),
                        ));
                    }
                }
                continue;
            }
        };
        // Nodes whose own definition is broken were reported already.
        let (Some(from), Some(to)) = (from, to) else {
            unjudged.extend(from);
            continue;
        };
        let (fk, tk) = (nodes[from.ix()].kind, nodes[to.ix()].kind);
        if from == to {
            problems.push(Problem::node(
                &e.from,
                None,
                "an edge from a node to itself: remove it",
            ));
            continue;
        }
        if let Err(why) = can_connect(fk, tk) {
            unjudged.push(from);
            problems.push(Problem::node(
                &e.from,
                None,
                format!("edge to \"{}\": {why}", e.to),
            ));
            continue;
        }
        if edges.iter().any(|x| x.from == from && x.to == to) {
            problems.push(Problem::node(
                &e.from,
                None,
                format!("edge to \"{}\" appears twice: remove one", e.to),
            ));
            continue;
        }
        let same_dc = nodes[from.ix()].dc == nodes[to.ix()].dc;
        let latency = match e.latency_ms {
            Some(l) if !(l.is_finite() && (0.0..=60_000.0).contains(&l)) => {
                problems.push(Problem::node(
                    &e.from,
                    Some("latency_ms"),
                    format!(
                        "edge to \"{}\": latency_ms must be from 0 to 60000, got {}",
                        e.to,
                        shown(l)
                    ),
                ));
                // Kept, at no latency, for the checks of the paths: the call is there.
                0.0
            }
            Some(l) => l,
            // A DNS is no place: resolvers sit near their users, and how far a client is
            // from the entry point it is sent to is counted apart (`Model::dc_distance`).
            None if same_dc || fk == Kind::Dns || tk == Kind::Dns => SAME_DC_MS,
            None => CROSS_DC_MS,
        };
        nodes[from.ix()].out.push(EdgeId(edges.len() as u32));
        edges.push(ModelEdge {
            from,
            to,
            latency: Duration::from_millis(latency),
        });
    }

    // The callers of edges set aside have lost them: their paths are not what was drawn.
    for caller in aside.edge_callers.iter().flatten() {
        if let Some(Some(id)) = index.get(caller.as_str()) {
            unjudged.push(*id);
        }
    }
    if aside.lost_an_unknown_caller() {
        unjudged.extend((0..nodes.len()).map(|i| NodeId(i as u32)));
    }

    let duration = SimTime::from_secs(s.duration_s);
    let mut faults = Vec::new();
    // Each fault that names an instance, by its label: checked once the tiers are built.
    let mut instances_named: Vec<(String, Vec<NodeId>, u32)> = Vec::new();
    for (k, f) in s.faults.iter().enumerate() {
        // Name what the fault breaks, not only its place in the list: in the app the list is
        // a table of faults, and "faults[3]" is what the file calls it.
        let i = aside.fault_place(k);
        let label = fault_label(i, f);
        // A bad time is reported with a bad target, not instead of it: both at once.
        let mut timed = true;
        if !(f.at_s.is_finite() && f.at_s >= 0.0) {
            problems.push(Problem::scenario(
                "faults",
                format!("{label}: at_s must be a number >= 0, got {}", shown(f.at_s)),
            ));
            timed = false;
        } else if f.at_s > s.duration_s {
            // It never happens: not a problem that stops the run (a run shortened to try
            // something quickly had to lose its faults first), but a note
            // (`ignored::faults_after_the_end`). Its target is still checked.
            timed = false;
        }
        let targets: Vec<NodeId> = match (&f.node, &f.dc) {
            (Some(n), None) => match index.get(n.as_str()) {
                Some(Some(id)) => vec![*id],
                Some(None) => continue,
                None => {
                    problems.push(Problem::scenario(
                        "faults",
                        format!("{label}: no node \"{}\": use an existing id", truncate(n)),
                    ));
                    continue;
                }
            },
            (None, Some(dc)) => {
                let ids: Vec<NodeId> = nodes
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| &n.dc == dc && !n.kind.outlives_its_data_center())
                    .map(|(i, _)| NodeId(i as u32))
                    .collect();
                if ids.is_empty() {
                    // A node of the data center may be unbuilt: set aside for its shape, or
                    // of an unknown kind (reported already).
                    let unbuilt = aside.may_be_in(dc)
                        || s.nodes
                            .iter()
                            .any(|n| &n.dc == dc && Kind::parse(&n.kind).is_none());
                    // Users and a DNS, which its outage leaves up: the fault changes
                    // nothing, as `ignored` notes; files that failed a DNS this way still run.
                    let has_dns = nodes.iter().any(|n| &n.dc == dc && n.kind == Kind::Dns);
                    if !unbuilt && !has_dns {
                        problems.push(Problem::scenario(
                            "faults",
                            format!("{label}: no node is in data center \"{}\"", truncate(dc)),
                        ));
                    }
                    continue;
                }
                ids
            }
            _ => {
                problems.push(Problem::scenario(
                    "faults",
                    format!("{label}: name exactly one of \"node\" or \"dc\""),
                ));
                continue;
            }
        };
        if let Some(i) = f.instance {
            instances_named.push((label, targets.clone(), i));
        }
        if !timed {
            continue;
        }
        faults.push(ModelFault {
            at: SimTime::from_secs(f.at_s),
            nodes: targets,
            instance: f.instance,
            action: f.action,
            data_center: f.dc.is_some(),
        });
    }
    compute_routes(&mut nodes, &edges);
    faults.sort_by_key(|f| f.at);
    let dc_distances = DcDistances::new(&nodes, &edges);
    let model = Model {
        scenario: s.clone(),
        dc_distances,
        nodes,
        edges,
        faults,
        duration,
        warmup: SimTime::from_secs(s.warmup_s),
    };
    // Named by their place in the list: a fail and its recover of the same instance made
    // two identical lines.
    for (label, nodes, i) in instances_named {
        for n in nodes {
            let count = model.max_instances(n);
            if i >= count {
                problems.push(Problem::node(
                    &model.node(n).id,
                    Some("faults"),
                    format!(
                        "{label} names instance {i}, but the node has {count} (instances \
                         count from 0): {}",
                        match count {
                            1 => "name instance 0, or none for the whole node".to_string(),
                            _ => format!("name one from 0 to {}", count - 1),
                        }
                    ),
                ));
            }
        }
    }
    check_graph(&model, &unjudged, aside, &mut problems);
    if problems.is_empty() {
        Ok(model)
    } else {
        Err(LoadError::Invalid(problems))
    }
}

/// What in `text` (an id, a name, a data center) does not show as written, said for a
/// message, or `None`: a control character (a newline or a terminal escape would break the
/// one-line messages that quote it, or act on the terminal), or, in an identifier (`ident`:
/// an id or a data center, which edges, faults and reports name), a bidirectional-text control
/// ([`is_bidi_control`]: invisible, it reorders what follows, so that an id reads as another).
/// A name may hold one, as v1 files do (right-to-left names need the marks): messages quote it
/// escaped ([`crate::error::printable`]).
fn hidden_character(text: &str, ident: bool) -> Option<String> {
    if text.chars().any(char::is_control) {
        return Some(
            "a control character (a newline, tab or terminal escape): write it on one line, in \
             plain characters"
                .into(),
        );
    }
    if !ident {
        return None;
    }
    if let Some(c) = text.chars().find(|c| is_bidi_control(*c)) {
        return Some(format!(
            "an invisible bidirectional-text character (U+{:04X}), which can make it read as \
             other text: remove it",
            u32::from(c)
        ));
    }
    if let Some(c) = text.chars().find(|c| crate::error::is_invisible(*c)) {
        return Some(format!(
            "an invisible character (U+{:04X}), which makes it read as another id: remove it",
            u32::from(c)
        ));
    }
    (text.trim() != text).then(|| {
        "a space at its start or end, which makes it read as another id: remove it".to_string()
    })
}

/// A node id that reads as `id` but is not it: the same but for case, spaces at either end or
/// invisible characters. An edge to "dns" next to a node "dns\u{200b}" said only that "dns"
/// is not a node. `plain` holds every node id with its [`plain_id`], sorted by it, so a file
/// with thousands of missing nodes does not compare every id with every other.
fn look_alike<'a>(id: &str, plain: &[(String, &'a str)]) -> Option<&'a str> {
    let wanted = plain_id(id);
    let from = plain.partition_point(|(p, _)| *p < wanted);
    plain[from..]
        .iter()
        .take_while(|(p, _)| *p == wanted)
        .map(|(_, other)| *other)
        .find(|other| *other != id)
}

/// An id as it reads: without spaces at either end or invisible characters, in lower case.
fn plain_id(id: &str) -> String {
    id.trim()
        .chars()
        .filter(|c| !crate::error::is_invisible(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// How a message names a fault: its place in the file's list and what it breaks, as the
/// app's table of faults shows it ("faults[3] (\"web\")").
pub(crate) fn fault_label(place: usize, f: &crate::scenario::FaultSpec) -> String {
    match (&f.node, &f.dc) {
        (Some(n), None) => format!("faults[{place}] (\"{}\")", truncate(n)),
        (None, Some(dc)) => format!("faults[{place}] (data center \"{}\")", truncate(dc)),
        _ => format!("faults[{place}]"),
    }
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Whether `duration_s` is one a run can have: more than a microsecond, at most the limit.
fn duration_in_range(duration_s: f64) -> bool {
    duration_s.is_finite()
        && SimTime::from_secs(duration_s).0 > 0
        && duration_s <= limits::MAX_DURATION_S
}

/// Whether what depends on the run's length is judged: not against a duration that is wrong
/// or set aside (reported already), which would only blame what is measured against it.
fn duration_judged(s: &Scenario, aside: &SetAside) -> bool {
    !aside.duration && duration_in_range(s.duration_s)
}

fn check_settings(s: &Scenario, aside: &SetAside, problems: &mut Vec<Problem>) {
    if s.version != FORMAT_VERSION {
        problems.push(Problem::scenario(
            "version",
            format!(
                "unsupported version {}: this build reads version {FORMAT_VERSION}",
                s.version
            ),
        ));
    }
    // Compared as the clock keeps time, in whole microseconds: a duration that rounds to 0,
    // or to the warm-up's end, would measure nothing.
    let micros = |secs: f64| SimTime::from_secs(secs).0;
    if !aside.duration && !duration_in_range(s.duration_s) {
        problems.push(Problem::scenario(
            "duration_s",
            format!(
                "duration_s must be > 0 and <= {}, got {}",
                limits::MAX_DURATION_S,
                shown(s.duration_s)
            ),
        ));
    }
    // Against a duration that is wrong (reported already), only the warm-up's own range is
    // judged.
    let judged = duration_judged(s, aside);
    let before_the_end = !judged || micros(s.warmup_s) < micros(s.duration_s);
    if !(s.warmup_s.is_finite() && s.warmup_s >= 0.0 && before_the_end) {
        problems.push(Problem::scenario(
            "warmup_s",
            format!(
                "warmup_s must be >= 0 and at least a microsecond shorter than duration_s, \
                 got {}",
                shown(s.warmup_s)
            ),
        ));
    }
    if !(s.window_s.is_finite() && s.window_s >= 0.001 && s.window_s <= 86_400.0) {
        problems.push(Problem::scenario(
            "window_s",
            format!(
                "window_s must be from 0.001 to 86400 seconds, got {}",
                shown(s.window_s)
            ),
        ));
    } else if judged && !aside.window {
        // Only for a duration in range: advice worked out from one out of range would ask
        // for a window_s above the limit just stated.
        problems.extend(window_count_problem(s));
    }
    if let Some(p) = s.slo.p99_ms {
        if !(p.is_finite() && p > 0.0) {
            problems.push(Problem::scenario(
                "slo",
                format!("slo.p99_ms must be > 0, got {}", shown(p)),
            ));
        }
    }
    if let Some(a) = s.slo.availability {
        if !(a.is_finite() && a > 0.0 && a <= 1.0) {
            problems.push(Problem::scenario(
                "slo",
                format!(
                    "slo.availability must be in (0, 1], e.g. 0.999, got {}",
                    shown(a)
                ),
            ));
        }
    }
    if let Some(what) = hidden_character(&s.name, false) {
        problems.push(Problem::scenario("name", format!("name holds {what}")));
    }
    for (field, text, most) in [("name", &s.name, 200), ("notes", &s.notes, 10_000)] {
        let chars = text.chars().count();
        if chars > most {
            problems.push(Problem::scenario(
                field,
                format!("{field} must be at most {most} characters, got {chars}: shorten it"),
            ));
        }
    }
}

/// Typed params of one node, or `(field, message)` for each bad field.
pub fn check_params(
    kind: Kind,
    raw: &serde_json::Map<String, Value>,
) -> Result<(Params, Reliability), Vec<(String, String)>> {
    let allowed = params::param_names(kind);
    let mut bad = Vec::new();
    let mut own = serde_json::Map::new();
    let mut common = serde_json::Map::new();
    for (k, v) in raw {
        if allowed.contains(&k.as_str()) {
            match problems_inside(kind, k, v) {
                None => {
                    own.insert(k.clone(), v.clone());
                }
                // Left out of the typing, so that the other params are checked at once with
                // this one at its default.
                Some(inside) => bad.extend(inside),
            }
        } else if params::COMMON_PARAMS.contains(&k.as_str()) {
            common.insert(k.clone(), v.clone());
        } else {
            bad.push((
                k.clone(),
                format!(
                    "unknown param \"{}\" for a {}: use {}, mtbf_s or mttr_s",
                    truncate(k),
                    kind.as_str(),
                    allowed.join(", ")
                ),
            ));
        }
    }
    // Null means "use the default" (an omitted limit is unbounded), so drop nulls before typing.
    own.retain(|_, v| !v.is_null());
    own.values_mut().for_each(whole_floats_as_integers);
    let parsed = params::parse(kind, &Value::Object(own.clone()));
    let params = match parsed {
        Ok(p) => Some(p),
        Err(_) => {
            // Find each field that fails on its own, to name them all.
            let mut fine = own.clone();
            for (k, v) in &own {
                let mut one = serde_json::Map::new();
                one.insert(k.clone(), v.clone());
                if let Err(e) = params::parse(kind, &Value::Object(one)) {
                    let message = too_large(kind, k, v)
                        .or_else(|| not_whole(kind, k, v))
                        .unwrap_or_else(|| param_message(k, v, &e));
                    bad.push((k.clone(), message));
                    fine.remove(k);
                }
            }
            // The fields that do parse still get their values checked now, with the bad
            // ones at their defaults, rather than after the bad ones are fixed.
            if let Ok(p) = params::parse(kind, &Value::Object(fine)) {
                bad.extend(params::check_values(&p));
            }
            None
        }
    };
    let reliability: Option<Reliability> = match serde_json::from_value(Value::Object(common)) {
        Ok(r) => Some(r),
        Err(e) => {
            bad.push((
                "mtbf_s".into(),
                format!("mtbf_s/mttr_s: {}", describe_serde(&e)),
            ));
            None
        }
    };
    if let Some(r) = &reliability {
        for (name, v) in [("mtbf_s", r.mtbf_s), ("mttr_s", r.mttr_s)] {
            if let Some(v) = v {
                if !(v.is_finite() && v > 0.0) {
                    bad.push((
                        name.into(),
                        format!("{name} must be a number > 0, got {}", shown(v)),
                    ));
                }
            }
        }
        if r.mtbf_s.is_some() != r.mttr_s.is_some() {
            bad.push((
                "mtbf_s".into(),
                "give both mtbf_s and mttr_s, or neither".into(),
            ));
        }
    }
    if let Some(p) = &params {
        bad.extend(params::check_values(p));
    }
    match (params, reliability) {
        (Some(p), Some(r)) if bad.is_empty() => Ok((p, r)),
        _ => Err(bad),
    }
}

/// Params that decide where a node's requests go, not only how many or how fast: with one
/// of them bad, the paths drawn are not judged (the default in its place is not the user's).
const ROUTING_PARAMS: [&str; 5] = ["mix", "hit_ratio", "geo", "algorithm", "strategy"];

/// The params `raw` of a `kind` node without the `bad` ones (named as `check_params` names
/// them: `mix.read` is `mix`), typed, if the rest are valid; and whether a bad one is among
/// the [`ROUTING_PARAMS`].
fn without_bad_params(
    kind: Kind,
    raw: &serde_json::Map<String, Value>,
    bad: &[String],
) -> (Option<(Params, Reliability)>, bool) {
    let key = |field: &str| {
        let end = field.find(['.', '[']).unwrap_or(field.len());
        field[..end].to_string()
    };
    let mut keys: Vec<String> = bad.iter().map(|f| key(f)).collect();
    // The two go together: one left alone would be a new problem.
    if keys
        .iter()
        .any(|k| params::COMMON_PARAMS.contains(&k.as_str()))
    {
        keys.extend(params::COMMON_PARAMS.iter().map(|k| k.to_string()));
    }
    let routing = keys.iter().any(|k| ROUTING_PARAMS.contains(&k.as_str()));
    let mut rest = raw.clone();
    rest.retain(|k, _| !keys.contains(k));
    (check_params(kind, &rest).ok(), routing)
}

/// The message for param `k`, whose value `v` does not parse alone (`e`). A list is named as
/// one, with what to give instead (no param takes a list): serde's "must be a whole number, got
/// a list" reads as if something in the list were wrong.
fn param_message(k: &str, v: &Value, e: &serde_json::Error) -> String {
    let said = describe_serde(e);
    let want = said
        .strip_prefix("must be ")
        .and_then(|rest| rest.split_once(", got "))
        .map(|(want, _)| want);
    match want {
        Some(want) if v.is_array() => format!("{k} is a list: give {want}"),
        _ => format!("{k}: {said}"),
    }
}

/// A field inside the object of a param (`mix.read`, `autoscale.min`, a distribution's
/// `mean`), for the messages about a null or a list there.
struct Part {
    /// What it takes: "a share from 0 to 1, such as 0.2".
    takes: String,
    /// What leaving it out means (`None`: it cannot be left out here).
    left_out: Option<String>,
    /// Whether serde reads a null there as the field left out, as it does a distribution's
    /// optional fields: such a null is fine wherever leaving the field out is.
    null_is_left_out: bool,
}

/// Field `field` of the object of param `param`, which is `object`; `None` for a field it does
/// not have (serde names that as unknown).
fn part(param: &str, field: &str, object: &serde_json::Map<String, Value>) -> Option<Part> {
    let part = |takes: &str, left_out: Option<String>, null_is_left_out| Part {
        takes: takes.to_string(),
        left_out,
        null_is_left_out,
    };
    if param == "mix" {
        return ["read", "write", "static", "async"]
            .contains(&field)
            .then(|| {
                // A share left out of a given mix is 0.
                part(
                    "a share from 0 to 1, such as 0.2",
                    Some("a share of 0".into()),
                    false,
                )
            });
    }
    if param == "autoscale" {
        let d = params::Autoscale::default();
        let (takes, default) = match field {
            "min" => ("a whole number of instances, such as 2", f64::from(d.min)),
            "max" => ("a whole number of instances, such as 10", f64::from(d.max)),
            "target_utilization" => (
                "a share of busy time above 0, at most 1, such as 0.6",
                d.target_utilization,
            ),
            "target_depth" => (
                "a number of waiting messages per instance above 0, such as 10",
                d.target_depth,
            ),
            "cooldown_s" => ("a number of seconds above 0, such as 30", d.cooldown_s),
            "boot_s" => ("a number of seconds, such as 10", d.boot_s),
            _ => return None,
        };
        return Some(part(
            takes,
            Some(format!("the default, {}", shown(default))),
            false,
        ));
    }
    if !params::DISTRIBUTION_PARAMS.contains(&param) {
        return None;
    }
    // A distribution's optional fields are read as left out when null: a null `cv` is
    // lognormal's default, as in files that load today. Its mean and bounds are needed by the
    // distributions that use them, and have no default there.
    let uniform = object.get("dist").and_then(Value::as_str) == Some("uniform");
    let unused_when = |unused: bool| unused.then(|| "none".to_string());
    Some(match field {
        "dist" => part(r#""exp", "const", "lognormal" or "uniform""#, None, false),
        "mean" => part("the mean in ms, such as 12", unused_when(uniform), true),
        "cv" => part(
            "a number above 0, such as 0.5",
            Some("a cv of 1".into()),
            true,
        ),
        "min" => part("a number of ms, such as 5", unused_when(!uniform), true),
        "max" => part("a number of ms, such as 20", unused_when(!uniform), true),
        _ => return None,
    })
}

/// The problems of the fields inside the object of param `k` of a node of `kind`, named by
/// their path (`mix.read`) with what to write: a null, which unlike a param's own null is not
/// its default (serde said "mix: must be a number, got null", naming neither the share nor
/// whether it may be left out), or a list, which no such field takes. Then what else is wrong
/// with the object, as for a param, less what those fields make (a `dist` missing because it
/// was null). `None` when no field inside is null or a list.
fn problems_inside(kind: Kind, k: &str, v: &Value) -> Option<Vec<(String, String)>> {
    let Value::Object(object) = v else {
        return None;
    };
    let mut problems = Vec::new();
    // The object without the fields named here.
    let mut rest = object.clone();
    for (field, x) in object {
        let Some(part) = part(k, field, object) else {
            continue;
        };
        let path = format!("{k}.{field}");
        let message = match (x, &part.left_out) {
            (Value::Array(_), _) => format!("{path} is a list: give {}", part.takes),
            (Value::Null, Some(_)) if part.null_is_left_out => continue,
            (Value::Null, Some(default)) => format!(
                "{path} is null: leave it out for {default}, or give {}",
                part.takes
            ),
            (Value::Null, None) => {
                format!("{path} is null: give {} (it has no default)", part.takes)
            }
            _ => continue,
        };
        problems.push((path, message));
        rest.remove(field);
    }
    if problems.is_empty() {
        return None;
    }
    let mut rest = Value::Object(rest);
    whole_floats_as_integers(&mut rest);
    let one = serde_json::Map::from_iter([(k.to_string(), rest.clone())]);
    if let Err(e) = params::parse(kind, &Value::Object(one)) {
        let message = e.to_string();
        let named = object
            .keys()
            .filter(|field| rest.get(field.as_str()).is_none())
            .any(|field| message.starts_with(&format!("missing field `{field}`")));
        if !named {
            problems.push((k.to_string(), param_message(k, &rest, &e)));
        }
    }
    Some(problems)
}

/// The message for a whole number too large for param `key` to hold at all (serde can only say
/// "too large"): the param's own limit, found by checking the largest value it can hold.
fn too_large(kind: Kind, key: &str, got: &Value) -> Option<String> {
    let x = got.as_f64().filter(|x| *x >= 0.0 && x.fract() == 0.0)?;
    let rule = [Value::from(u32::MAX), Value::from(u64::MAX)]
        .into_iter()
        .find_map(|most| stated_rule(kind, key, most))?;
    let got = got.as_u64().map_or_else(|| shown(x), |n| n.to_string());
    if let Some(rule) = rule {
        return Some(format!("{rule}, got {got}"));
    }
    // No limit of its own: an optional bound (`queue`), whose absence means none.
    let null = serde_json::Map::from_iter([(key.to_string(), Value::Null)]);
    let advice = if params::parse(kind, &Value::Object(null)).is_ok() {
        "leave it out for no limit"
    } else {
        "give a smaller number"
    };
    Some(format!("{key} is too large, got {got}: {advice}"))
}

/// The message for a count (`workers`) given a negative or fractional number: its own rule,
/// as `check_values` states it ("must be a whole number from 1 to 100000"), with what it got.
/// Alone, the parser's words contradicted that rule: -3 was told "a whole number >= 0", 0
/// then "from 1 to 100000", and 2.5 "got floating point 2.5".
fn not_whole(kind: Kind, key: &str, got: &Value) -> Option<String> {
    let x = got.as_f64().filter(|x| *x < 0.0 || x.fract() != 0.0)?;
    let rule = [
        Value::from(0u32),
        Value::from(u32::MAX),
        Value::from(u64::MAX),
    ]
    .into_iter()
    .find_map(|probe| stated_rule(kind, key, probe).flatten())?;
    Some(format!("{rule}, got {}", shown(x)))
}

/// What `check_values` says param `key` of a `kind` node must be ("workers must be a whole
/// number from 1 to 100000"), learnt by giving it `probe`: `None` when the probe does not
/// parse, `Some(None)` when it parses and breaks no rule.
fn stated_rule(kind: Kind, key: &str, probe: Value) -> Option<Option<String>> {
    let one = serde_json::Map::from_iter([(key.to_string(), probe)]);
    let held = params::parse(kind, &Value::Object(one)).ok()?;
    Some(
        params::check_values(&held)
            .into_iter()
            .find(|(field, _)| field == key)
            .and_then(|(_, m)| m.split_once(", got ").map(|(rule, _)| rule.to_string())),
    )
}

/// `8.0` as `8`: JSON has one kind of number, and a whole one written with a decimal point
/// (as some tools write every number) is a fine count of workers.
fn whole_floats_as_integers(v: &mut Value) {
    match v {
        Value::Number(n) => {
            if let Some(x) = n.as_f64().filter(|_| n.is_f64()) {
                // Below 2^53 every whole f64 is exact as an integer.
                if x.fract() == 0.0 && x.abs() < 9.0e15 {
                    *v = if x < 0.0 {
                        Value::from(x as i64)
                    } else {
                        Value::from(x as u64)
                    };
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_floats_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_floats_as_integers),
        _ => {}
    }
}

fn describe_serde(e: &serde_json::Error) -> String {
    let s = e.to_string();
    // serde_json appends " at line 0 column 0" for values; it means nothing to a user here.
    let s = s.split(" at line ").next().unwrap_or(&s);
    // Say in words what serde says in Rust types.
    let whole = s.ends_with("expected u32") || s.ends_with("expected u64");
    if let Some(got) = s.strip_prefix("invalid value: integer ") {
        let got = got
            .split(", expected")
            .next()
            .unwrap_or(got)
            .trim_matches('`');
        if whole && got.starts_with('-') {
            return format!("must be a whole number >= 0, got {got}");
        }
        if whole {
            return format!("is too large, got {got}");
        }
    }
    if let Some(got) = s.strip_prefix("invalid type: ") {
        let got = match got.split(", expected").next().unwrap_or(got) {
            "sequence" => "a list".to_string(),
            got => got.replace('`', ""),
        };
        let want = if whole {
            "a whole number"
        } else if s.ends_with("expected f64") {
            "a number"
        } else if s.ends_with("expected a boolean") {
            "true or false"
        } else if s.ends_with("expected string or map") || s.ends_with("expected a string") {
            "a name in quotes"
        } else if s.ends_with("expected struct Mix") {
            "an object of shares such as {\"read\": 0.9, \"write\": 0.1}"
        } else if s.ends_with("expected struct Autoscale") {
            "an object such as {\"min\": 1, \"max\": 10}, or null for none"
        } else {
            return in_words(s);
        };
        return format!("must be {want}, got {got}");
    }
    in_words(s)
}

/// The checks of the drawing as a whole. `unjudged` are the nodes whose paths are not what the
/// user drew, for a problem reported already: they lost an edge, or their params are bad.
fn check_graph(model: &Model, unjudged: &[NodeId], aside: &SetAside, problems: &mut Vec<Problem>) {
    let loops = find_cycles(model);
    for path in &loops {
        // The loop spelled out, back to where it starts: "box → s2 → s3 → box".
        let mut names: Vec<String> = path.iter().map(|n| truncate(&model.node(*n).id)).collect();
        names.push(names[0].clone());
        problems.push(Problem::node(
            &model.node(path[0]).id,
            None,
            format!(
                "is part of a cycle of calls, {}: remove one edge of the loop",
                names.join(" → ")
            ),
        ));
    }
    let cycles: Vec<NodeId> = loops.iter().map(|path| path[0]).collect();
    // A node set aside for its shape may be the client.
    if model.clients().next().is_none() && !aside.may_hold_a_client() {
        problems.push(Problem::scenario(
            "nodes",
            "no client: add a client node to send traffic",
        ));
    }
    // A client that reaches a loop, or a node that lost an edge, has paths that are not
    // what the user drew: its dead ends wait until those are fixed. The other clients'
    // are checked now, so one run of validate shows every problem it can.
    let unsure = callers_of(model, cycles.iter().chain(unjudged).copied());
    let paths = call_paths(model);
    if paths > MAX_CALL_PATHS {
        // The routing plan walks every path of every client, on every edit in the app: it
        // would take hours (a grid of balancers wired layer to layer doubles them at each
        // layer), or seconds per edit with many clients each below a limit of their own.
        problems.push(Problem::scenario(
            "edges",
            format!(
                "the clients' requests can take more than {MAX_CALL_PATHS:.0} different paths \
                 in all through this drawing (about {}), too many to plan: balancers wired to \
                 balancers layer after layer multiply them; let one balancer call the servers",
                shown(paths.round())
            ),
        ));
    } else {
        let sure = model.clients().filter(|c| !unsure[c.ix()]);
        problems.extend(plan::dead_ends(model, sure));
    }
    check_replication(model, aside, problems);
    if !duration_judged(&model.scenario, aside) {
        // How many faults and requests a run makes depends on its length.
        return;
    }
    check_random_faults(model, problems);
    let expected = expected_requests(model);
    if expected > MAX_EXPECTED_REQUESTS {
        problems.push(Problem::scenario(
            "duration_s",
            format!(
                "this run would simulate about {} requests, more than the limit of \
                 {MAX_EXPECTED_REQUESTS:.0}: shorten duration_s or lower rps",
                shown(expected.round())
            ),
        ));
    }
}

/// The most requests a run of `model` may simulate: each client's arrivals over the run (its
/// rate summed over the duration, as its profile shapes it), times one plus its retries (as
/// if every attempt failed), summed. The bound [`MAX_EXPECTED_REQUESTS`] holds a run to, and
/// the CLI sums over the runs of one command. (Each client's peak rate times the duration
/// was used: a ten-second spike of 100× in a two-hour run counted as 88 times its requests,
/// and valid runs were refused.)
pub fn expected_requests(model: &Model) -> f64 {
    model
        .clients()
        .map(|c| match &model.node(c).params {
            Params::Client(p) => {
                p.arrivals_over(model.scenario.duration_s) * (1.0 + p.retries as f64)
            }
            _ => 0.0,
        })
        .sum()
}

/// Which nodes reach any of `targets` by calls (a target reaches itself).
fn callers_of(model: &Model, targets: impl Iterator<Item = NodeId>) -> Vec<bool> {
    let mut callers: Vec<Vec<usize>> = vec![Vec::new(); model.nodes.len()];
    for e in &model.edges {
        callers[e.to.ix()].push(e.from.ix());
    }
    let mut reaches = vec![false; model.nodes.len()];
    let mut todo: Vec<usize> = targets.map(|t| t.ix()).collect();
    while let Some(v) = todo.pop() {
        if !std::mem::replace(&mut reaches[v], true) {
            todo.extend(&callers[v]);
        }
    }
    reaches
}

/// Most distinct call paths, summed over the clients, that validation and the capacity
/// analysis walk: a few seconds of analysis at the most (30 clients of 3,125 paths each took
/// 3 s), where a limit for each client alone let 900 of them take 42 s.
pub const MAX_CALL_PATHS: f64 = 100_000.0;

/// Most random failures and repairs a run may be asked for (each is an event and a line of
/// the report's fault list).
pub const MAX_RANDOM_FAULTS: f64 = 10_000_000.0;

/// The distinct paths of calls the clients' requests can take, summed over the clients
/// (every node followed by all its edges: an upper bound on what the routing plan walks). A
/// client that reaches a cycle gets a lower bound (the nodes on it are never counted), which
/// is still too many when it is over the limit.
fn call_paths(model: &Model) -> f64 {
    // Paths from each node, children before parents: Kahn's order on the reversed graph.
    let n = model.nodes.len();
    let mut waiting: Vec<usize> = model.nodes.iter().map(|node| node.out.len()).collect();
    let mut callers: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &model.edges {
        callers[e.to.ix()].push(e.from.ix());
    }
    let mut ready: Vec<usize> = (0..n).filter(|&v| waiting[v] == 0).collect();
    let mut paths = vec![1.0f64; n];
    while let Some(v) = ready.pop() {
        for &c in &callers[v] {
            paths[c] += paths[v];
            waiting[c] -= 1;
            if waiting[c] == 0 {
                ready.push(c);
            }
        }
    }
    model.clients().map(|c| paths[c.ix()]).sum()
}

/// A replica that serves a node's reads must be fed by the primary that node writes to:
/// otherwise the writes never reach it (its reads are never stale, nor ever up to date) and
/// no failover promotes it.
fn check_replication(model: &Model, aside: &SetAside, problems: &mut Vec<Problem>) {
    // A primary's edge to its replica may be among the edges set aside for their shape.
    let may_have_lost_an_edge = |id: &str| {
        aside.lost_an_unknown_caller() || aside.edge_callers.iter().flatten().any(|c| c == id)
    };
    for node in &model.nodes {
        let r = &node.routes;
        let Some(primary) = r.writer.filter(|w| model.node(*w).kind == Kind::SqlPrimary) else {
            continue;
        };
        for &replica in &r.readers {
            let fed = model.node(primary).routes.replicas.contains(&replica)
                || may_have_lost_an_edge(&model.node(primary).id);
            if model.node(replica).kind == Kind::SqlReplica && !fed {
                let (p, rep) = (&model.node(primary).id, &model.node(replica).id);
                let p = Problem::node(
                    rep,
                    None,
                    format!(
                        "serves {}'s reads, but {p}, where {} writes, does not replicate to it: \
                         draw an edge from {p} to {rep}",
                        node.id, node.id
                    ),
                );
                if !problems.contains(&p) {
                    problems.push(p);
                }
            }
        }
    }
}

/// Random failures (`mtbf_s`, `mttr_s`) so frequent that the run would do little else.
fn check_random_faults(model: &Model, problems: &mut Vec<Problem>) {
    for (k, node) in model.nodes.iter().enumerate() {
        let (Some(mtbf), Some(mttr)) = (node.reliability.mtbf_s, node.reliability.mttr_s) else {
            continue;
        };
        let instances = f64::from(model.max_instances(NodeId(k as u32)));
        // Each wait is at least the clock's microsecond.
        let cycle = mtbf.max(1e-6) + mttr.max(1e-6);
        let expected = 2.0 * instances * model.scenario.duration_s / cycle;
        if expected > MAX_RANDOM_FAULTS {
            let instances = match instances as u64 {
                1 => "its instance".to_string(),
                n => format!("{n} instances"),
            };
            problems.push(Problem::node(
                &node.id,
                Some("mtbf_s"),
                format!(
                    "mtbf_s {} and mttr_s {} over {instances} make about {} failures and \
                     repairs in this run, more than the limit of {MAX_RANDOM_FAULTS:.0}: give a \
                     longer mtbf_s",
                    shown(mtbf),
                    shown(mttr),
                    shown(expected.round())
                ),
            ));
        }
    }
}

/// A loop through each cycle of call edges (replication edges are calls too, and never form
/// one): its nodes in call order, from the one where the search found it closing.
fn find_cycles(model: &Model) -> Vec<Vec<NodeId>> {
    let mut found = Vec::new();
    // Iterative DFS with colours, so deep graphs cannot overflow the stack.
    let n = model.nodes.len();
    let mut colour = vec![0u8; n];
    for start in 0..n {
        if colour[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        colour[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let out = &model.nodes[node].out;
            if *next < out.len() {
                let to = model.edges[out[*next].0 as usize].to.ix();
                *next += 1;
                match colour[to] {
                    0 => {
                        colour[to] = 1;
                        stack.push((to, 0));
                    }
                    // A call back into the path being walked: a loop, named by where it
                    // closes (the search goes on, so each loop is named), and spelled out
                    // from there along the path.
                    1 if !found.iter().any(|l: &Vec<NodeId>| l[0].ix() == to) => {
                        let from = stack.iter().position(|(n, _)| *n == to).unwrap_or(0);
                        found.push(
                            stack[from..]
                                .iter()
                                .map(|(n, _)| NodeId(*n as u32))
                                .collect(),
                        );
                    }
                    _ => {}
                }
            } else {
                colour[node] = 2;
                stack.pop();
            }
        }
    }
    found
}

/// Too many windows for the series: the run's own (one point per window) or the nodes' (one
/// per node and window), which memory and the report must hold. Names the smallest `window_s`
/// that fits.
fn window_count_problem(s: &Scenario) -> Option<Problem> {
    let windows = (s.duration_s / s.window_s).ceil();
    let nodes = s.nodes.len().max(1) as f64;
    let (what, limit, per) = if windows > limits::MAX_WINDOWS {
        ("series points".to_string(), limits::MAX_WINDOWS, 1.0)
    } else if windows * nodes > limits::MAX_NODE_WINDOWS {
        (
            format!("per-node series points ({nodes} nodes × {windows} windows)"),
            limits::MAX_NODE_WINDOWS,
            nodes,
        )
    } else {
        return None;
    };
    // Round the advice up to a tidy number of seconds so that following it is enough.
    let least = tidy_up(s.duration_s * per / limit);
    Some(Problem::scenario(
        "window_s",
        format!(
            "the run would keep {} {what}, more than {limit}: raise window_s to at least {least} s \
             or shorten duration_s",
            windows * per
        ),
    ))
}

/// `x` rounded up to 1, 2 or 5 times a power of ten.
fn tidy_up(x: f64) -> f64 {
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|v| *v >= x)
        .unwrap_or(10.0 * p)
}
