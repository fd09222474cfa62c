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
use crate::params::{self, limits, Reliability};
use crate::scenario::{Kind, Scenario, FORMAT_VERSION};
use crate::time::{Duration, SimTime};

/// Largest scenario text accepted, in bytes.
pub const MAX_SCENARIO_BYTES: usize = 4 * 1024 * 1024;
/// Most requests a run may be asked to simulate (see [`expected_requests`]).
pub const MAX_EXPECTED_REQUESTS: f64 = 500_000_000.0;

/// Parses and validates a scenario file.
pub fn load(text: &str) -> Result<Model, LoadError> {
    parse(text).and_then(|s| validate(&s))
}

mod graph;
mod node_params;
mod syntax;

use graph::check_graph;
pub use graph::{expected_calls, expected_requests, MAX_EXPECTED_CALLS, MAX_INSTANCES_IN_ALL};
pub use node_params::check_params;
use node_params::without_bad_params;
use syntax::SetAside;
pub use syntax::{from_value, parse};

/// Checks a scenario's meaning and builds the model the engine runs.
pub fn validate(s: &Scenario) -> Result<Model, LoadError> {
    validate_beside(s, &SetAside::default())
}

/// [`validate`] of the rest of a file whose misshapen parts were set aside: the problems
/// those parts would make, or hide, are not judged (see `problems_beyond_the_shape` in [`syntax`]).
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
    // Each limit on its own, naming the count: "at most 10000 edges and 10000 faults" left
    // a file of 567 edges and 10,001 faults to guess which.
    for (field, what, count, limit) in [
        ("edges", "edges", s.edges.len(), limits::MAX_EDGES),
        ("faults", "faults", s.faults.len(), limits::MAX_FAULTS),
    ] {
        if count > limit {
            problems.push(Problem::scenario(
                field,
                format!("{count} {what} is more than the limit of {limit}"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(LoadError::Invalid(problems));
    }
    // Sizes are checked before anything is built; bad settings do not stop the node checks,
    // so every problem shows at once.
    check_settings(s, aside, &mut problems);

    let BuiltNodes {
        mut nodes,
        index,
        bad_params,
        instances_unread,
    } = build_nodes(s, aside, &mut problems);
    // An edge dropped for naming no node, or for joining kinds that cannot call each other,
    // may cut the only path somewhere: the path checks would then blame the wrong node, so
    // they skip the clients that reach a node that lost an edge. So does a node whose params
    // are bad, checked with its kind's defaults. (A self-edge, a repeated edge or a bad
    // latency leave the paths as they are.)
    let mut unjudged: Vec<NodeId> = bad_params;
    let edges = build_edges(s, &index, &mut nodes, &mut unjudged, &mut problems);

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
    let (faults, instances_named) = build_faults(s, aside, &nodes, &index, &mut problems);
    compute_routes(&mut nodes, &edges);
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
        for n in nodes.into_iter().filter(|n| !instances_unread.contains(n)) {
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

/// The nodes of `s` as the engine runs them, each checked: an id, a kind, its params (a node
/// with bad params is kept, with the bad ones at their defaults, so that the checks of the
/// wiring still run). Also what later checks must know of them.
fn build_nodes<'a>(
    s: &'a Scenario,
    aside: &'a SetAside,
    problems: &mut Vec<Problem>,
) -> BuiltNodes<'a> {
    let mut nodes = Vec::with_capacity(s.nodes.len());
    let mut bad_params: Vec<NodeId> = Vec::new();
    // Nodes whose count of instances is unread, for a bad param that sets it.
    let mut instances_unread: Vec<NodeId> = Vec::new();
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
            // There, unbuilt, as a node set aside is: the edges and faults naming "" mean it,
            // and blaming them as well only repeated this problem.
            index.entry("").or_insert(None);
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
            // Empty, it wants a name; too long, a shorter one.
            let advice = if dc_chars == 0 {
                "name the data center, such as \"eu\""
            } else {
                "shorten it, such as \"eu\" or \"us-east\""
            };
            problems.push(Problem::node(
                &spec.id,
                Some("dc"),
                format!("dc must be 1 to 64 characters, got {dc_chars}: {advice}"),
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
                    "unknown kind \"{}\"{}: use one of {}",
                    truncate(&spec.kind),
                    crate::suggest::hint(&spec.kind, all.iter().copied()),
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
                // Its count of instances may not be what the user meant: faults naming one
                // are not judged against a default count.
                let counts = ["instances", "autoscale", "partitions"];
                if bad.iter().any(|f| counts.iter().any(|c| f.starts_with(c))) {
                    instances_unread.push(NodeId(nodes.len() as u32));
                }
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
    BuiltNodes {
        nodes,
        index,
        bad_params,
        instances_unread,
    }
}

/// What [`build_nodes`] built.
struct BuiltNodes<'a> {
    nodes: Vec<ModelNode>,
    /// Every id: its node, or `None` for a node not built (an unknown kind, a bad shape).
    index: std::collections::HashMap<&'a str, Option<NodeId>>,
    /// Nodes whose bad params decide where requests go: their paths are not judged.
    bad_params: Vec<NodeId>,
    /// Nodes whose count of instances is unread, for a bad param that sets it.
    instances_unread: Vec<NodeId>,
}

/// The edges of `s` between the `nodes` built, each checked: both ends exist and may call
/// each other, no repeat, a latency in range. Each is added to its caller's out-edges. A
/// caller that lost an edge joins `unjudged`.
fn build_edges(
    s: &Scenario,
    index: &std::collections::HashMap<&str, Option<NodeId>>,
    nodes: &mut [ModelNode],
    unjudged: &mut Vec<NodeId>,
    problems: &mut Vec<Problem>,
) -> Vec<ModelEdge> {
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

    edges
}

/// A fault that names an instance: its label, the nodes it targets, the instance.
type InstanceNamed = (String, Vec<NodeId>, u32);

/// The scheduled faults of `s` that happen in the run, each checked (a time, a target that
/// exists), sorted by time; and each fault that names an instance, by its label, with its
/// targets, to be checked once the tiers are built.
fn build_faults(
    s: &Scenario,
    aside: &SetAside,
    nodes: &[ModelNode],
    index: &std::collections::HashMap<&str, Option<NodeId>>,
    problems: &mut Vec<Problem>,
) -> (Vec<ModelFault>, Vec<InstanceNamed>) {
    let mut faults = Vec::new();
    // Each fault that names an instance: checked once the tiers are built.
    let mut instances_named: Vec<InstanceNamed> = Vec::new();
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
                    problems.push(no_such_node(&label, n));
                    continue;
                }
            },
            (None, Some(dc)) if f.instance.is_some() => {
                // It failed that instance of every node there, and the schedule listed
                // each node as "#0": not a data center's outage, nor what was meant.
                problems.push(Problem::scenario(
                    "faults",
                    format!(
                        "{label}: \"instance\" names one instance of a node, but a data \
                         center's fault takes all of its nodes down: remove \"instance\", or \
                         name a \"node\" instead of the \"dc\""
                    ),
                ));
                continue;
            }
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
                        let mut known: Vec<&str> = s.nodes.iter().map(|n| n.dc.as_str()).collect();
                        known.sort_unstable();
                        known.dedup();
                        problems.push(Problem::scenario(
                            "faults",
                            format!(
                                "{label}: no node is in data center \"{}\"{}: the data centers are {}",
                                truncate(dc),
                                crate::suggest::hint(dc, known.iter().copied()),
                                known
                                    .iter()
                                    .map(|d| format!("\"{}\"", truncate(d)))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
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
    faults.sort_by_key(|f| f.at);
    (faults, instances_named)
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

/// A fault (`label`, as [`fault_label`] names it) of a node the file does not have.
fn no_such_node(label: &str, node: &str) -> Problem {
    Problem::scenario(
        "faults",
        format!(
            "{label}: no node \"{}\": use an existing id",
            truncate(node)
        ),
    )
}

/// How a message names a fault: its place in the file's list and what it breaks, as the
/// app's table of faults shows it (`faults[3] ("web")`).
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
                "duration_s must be at least a microsecond (0.000001) and at most {}, got {}",
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
    // Round the advice up to two significant digits, so that following it is enough and it
    // is not much more than needed (1, 2 or 5 times a power of ten said 50 s where 26 s did).
    let mut least = round_up_2(s.duration_s * per / limit);
    while (s.duration_s / least).ceil() * per > limit {
        least = round_up_2(least * 1.01);
    }
    Some(Problem::scenario(
        "window_s",
        format!(
            "the run would keep {} {what}, more than {limit}: raise window_s to at least {least} s \
             or shorten duration_s",
            windows * per
        ),
    ))
}

/// `x` rounded up to two significant digits (25.92 → 26, 0.0123 → 0.013), without the
/// binary noise of the arithmetic (0.013000000000000001).
fn round_up_2(x: f64) -> f64 {
    let p = 10f64.powf(x.log10().floor() - 1.0);
    let v = (x / p).ceil() * p;
    format!("{v:.1e}").parse().unwrap_or(v)
}
