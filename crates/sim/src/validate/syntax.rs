//! Text → [`Scenario`]: JSON syntax, the file's shape, repeated keys. Misshapen parts are each
//! named and set aside ([`SetAside`]) so that the rest of the file is still checked and every
//! problem shows at once.

use serde_json::Value;

use super::node_params::whole_floats_as_integers;
use super::{truncate, validate, validate_beside, MAX_SCENARIO_BYTES};
use crate::error::{LoadError, Problem};
use crate::scenario::{Kind, Scenario, FORMAT_VERSION};

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
        // serde_json's words for a `\ud800` with no low half after it, which JSON allows
        // but no text can hold.
        _ if e.to_string().starts_with("unexpected end of hex escape")
            || e.to_string().starts_with("lone leading surrogate") =>
        {
            format!(
                "at line {} column {}: a \\u escape is half of a character (a lone surrogate \
                 such as \\ud800): write the character itself, or both halves of its escape",
                e.line(),
                e.column()
            )
        }
        // serde_json's words for its depth limit (128 nested arrays or objects).
        _ if e.to_string().starts_with("recursion limit exceeded") => format!(
            "at line {} column {} it nests more than 128 arrays or objects inside each other; \
             a scenario never goes deeper than a few levels (check its brackets)",
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
                    "unknown key \"{key}\"{}: expected one of {}",
                    crate::suggest::hint(key, TOP_LEVEL_KEYS),
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
pub(super) struct SetAside {
    /// Where each fault that was kept sits in the file, to name it as the file does (empty
    /// when none was left out).
    pub(super) kept_faults: Vec<usize>,
    /// Ids of the nodes left out: edges and faults naming them are not "to a missing node",
    /// and the paths through them are not judged.
    pub(super) nodes: Vec<String>,
    /// The kind and data center of every node left out, id or not (`None` where the file
    /// does not say it in words): one may be the only client, or the only node of a data
    /// center a fault names.
    pub(super) node_places: Vec<(Option<String>, Option<String>)>,
    /// Callers of the edges left out (`None` when an edge names no caller in words): their
    /// paths and replicas are not judged.
    pub(super) edge_callers: Vec<Option<String>>,
    /// `duration_s` was left out: nothing measured against it is judged (the warm-up's end,
    /// the number of windows, fault times, expected requests and random faults).
    pub(super) duration: bool,
    /// `window_s` was left out: the number of windows is not judged.
    pub(super) window: bool,
}

impl SetAside {
    /// Where fault `k` of the checked list sits in the file.
    pub(super) fn fault_place(&self, k: usize) -> usize {
        self.kept_faults.get(k).copied().unwrap_or(k)
    }

    /// Whether a node left out may be a client.
    pub(super) fn may_hold_a_client(&self) -> bool {
        self.node_places
            .iter()
            .any(|(kind, _)| kind.as_deref().is_none_or(|k| k == "client"))
    }

    /// Whether a node left out may be one that a data center `dc`'s outage takes down (users
    /// and DNS stay up).
    pub(super) fn may_be_in(&self, dc: &str) -> bool {
        self.node_places.iter().any(|(kind, place)| {
            place.as_deref().is_none_or(|p| p == dc)
                && kind
                    .as_deref()
                    .and_then(Kind::parse)
                    .is_none_or(|k| !k.outlives_its_data_center())
        })
    }

    /// Whether some edge left out named no caller: then no client's paths can be judged.
    pub(super) fn lost_an_unknown_caller(&self) -> bool {
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
            // An SLO with an unknown key keeps the keys it knows, to be checked: an "x" in it
            // hid a negative p99_ms.
            (_, v) if !fits(v) => {
                aside.duration |= key == "duration_s";
                aside.window |= key == "window_s";
                match known_slo_keys(key, v) {
                    Some(known) => rest.insert(key.clone(), known),
                    None => rest.remove(key),
                };
            }
            _ => {}
        }
    }
    // A node set aside for its shape (an unknown key, an `x` that is not a number) still has
    // its params checked: an unknown "colour" hid its `"workers": 0`.
    let mut more = params_of_misshapen_nodes(map);
    more.extend(targets_of_misshapen_faults(map));
    let Ok(s) = serde_json::from_value::<Scenario>(Value::Object(rest)) else {
        return more;
    };
    if let Err(LoadError::Invalid(rest)) = validate_beside(&s, &aside) {
        more.extend(rest);
    }
    more
}

/// For the `slo` key, its object with only the keys an SLO has, when they have an SLO's
/// shape; `None` for another key or another shape.
fn known_slo_keys(key: &str, v: &Value) -> Option<Value> {
    let (true, Value::Object(fields)) = (key == "slo", v) else {
        return None;
    };
    let known: serde_json::Map<String, Value> = fields
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "p99_ms" | "availability"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let known = Value::Object(known);
    serde_json::from_value::<crate::scenario::Slo>(known.clone())
        .is_ok()
        .then_some(known)
}

/// Faults that do not have a fault's shape but name a node: whether the file has it. A bad
/// action hid that the fault's node did not exist.
fn targets_of_misshapen_faults(map: &serde_json::Map<String, Value>) -> Vec<Problem> {
    let (Some(Value::Array(faults)), Some(Value::Array(nodes))) =
        (map.get("faults"), map.get("nodes"))
    else {
        return Vec::new();
    };
    let ids: std::collections::HashSet<&str> = nodes
        .iter()
        .filter_map(|n| n.get("id").and_then(Value::as_str))
        .collect();
    faults
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            serde_json::from_value::<crate::scenario::FaultSpec>((*f).clone()).is_err()
        })
        .filter_map(|(i, f)| {
            let node = f.get("node").and_then(Value::as_str)?;
            (!ids.contains(node)).then(|| {
                super::no_such_node(&format!("faults[{i}] (\"{}\")", truncate(node)), node)
            })
        })
        .collect()
}

/// The problems of the params of each node that does not have a node's shape, where its id,
/// kind and params can be read: the checks of a node's params, which need nothing else of it.
fn params_of_misshapen_nodes(map: &serde_json::Map<String, Value>) -> Vec<Problem> {
    let Some(Value::Array(items)) = map.get("nodes") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        if serde_json::from_value::<crate::scenario::NodeSpec>(item.clone()).is_ok() {
            continue;
        }
        let id = item.get("id").and_then(Value::as_str);
        let kind = item
            .get("kind")
            .and_then(Value::as_str)
            .and_then(crate::scenario::Kind::parse);
        let (Some(id), Some(kind), Some(Value::Object(params))) = (id, kind, item.get("params"))
        else {
            continue;
        };
        if let Err(bad) = super::check_params(kind, params) {
            out.extend(bad.into_iter().map(|(f, m)| Problem::node(id, Some(&f), m)));
        }
    }
    out
}

/// serde's message with the Rust types it names said in words: `expected f64` is "expected
/// a number" to someone writing JSON; an unknown name is quoted as JSON quotes it, with the
/// likely one it was meant to be (`"roundrobin" (did you mean "round_robin"?)`).
pub(super) fn in_words(message: &str) -> String {
    let mut text = unknown_name_in_words(message).unwrap_or_else(|| message.to_string());
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

/// serde's "unknown variant `lru2`, expected one of `lru`, `lfu`, `fifo`" (or "expected `a` or
/// `b`") as "unknown name \"lru2\" (did you mean \"lru\"?): use one of \"lru\", ...", or `None`
/// for another message.
fn unknown_name_in_words(message: &str) -> Option<String> {
    const MARK: &str = "unknown variant `";
    let at = message.find(MARK)?;
    let rest = &message[at + MARK.len()..];
    let end = rest.find('`')?;
    let written = &rest[..end];
    let expected = rest[end + 1..].split_once("expected")?.1;
    // The names, each between backticks.
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    if names.is_empty() {
        return None;
    }
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    Some(format!(
        "{}unknown name \"{written}\"{}: use one of {}",
        &message[..at],
        crate::suggest::hint(written, names.iter().copied()),
        quoted.join(", ")
    ))
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
/// is its default, see [`super::check_params`]; these keys have no such reading.)
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
        "seed" => (
            "a whole number from 0 to 18446744073709551615",
            Some("seed 0"),
        ),
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
            } else if e.starts_with("invalid type") {
                format!("{k}: {e}{}", give(k))
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
            wrong.push(with_what_to_add(e));
        }
    }
    wrong
}

/// ": give …" what `key` takes, for a value of the wrong type ("name: invalid type: integer
/// `5`, expected a string" said what was wrong, not what to write); nothing for a key whose
/// value has no one form.
fn give(key: &str) -> String {
    match what_it_takes(key) {
        ("a value", _) => String::new(),
        (takes, _) => format!(": give {takes}"),
    }
}

/// serde's "missing field `id`" with what to add: `missing field "id": add it, the node's id
/// in quotes, such as "web"`. Other messages as they are.
fn with_what_to_add(message: String) -> String {
    let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    else {
        return message;
    };
    format!(
        "missing field \"{field}\": add it, {}",
        what_it_takes(field).0
    )
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
            "seed" => check::<u64>(v).map_err(|_| {
                format!(
                    "must be a whole number from 0 to 18446744073709551615, got {}",
                    truncate(&v.to_string())
                )
            }),
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
            let advice = if e.starts_with("invalid type") {
                give(key)
            } else {
                String::new()
            };
            problems.push(Problem::scenario(key, format!("\"{key}\": {e}{advice}")));
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
