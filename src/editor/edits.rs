//! Every change a person makes to the scenario, as data. The canvas and panels emit [`Edit`]s;
//! [`apply`] is the one place they change the scenario, so undo/redo can be a stack of states
//! and the rules (what may connect to what) are tested natively.

use super::{clipboard, data_centers};
use scaleplay_sim::model::can_connect;
use scaleplay_sim::params::limits::MAX_FAULTS;
use scaleplay_sim::scenario::{EdgeSpec, FaultSpec, Kind, NodeSpec, Scenario};
use serde_json::{Map, Value};

/// One change to the scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// A new node of `kind` at canvas position (x, y), in the data center whose frame it
    /// lands in, else node `near`'s (the one it was placed beside), else the nearest frame's
    /// (the default one in an empty scenario).
    AddNode {
        kind: Kind,
        x: f64,
        y: f64,
        near: Option<String>,
    },
    /// Nodes moved to new positions. One moved out of its data center's frame into another's
    /// joins that data center ([`data_centers::landing_dc`]), unless every node of its data
    /// center moves with it: then the data center itself is being moved.
    MoveNodes(Vec<(String, f64, f64)>),
    /// A call edge `from → to`.
    Connect { from: String, to: String },
    /// Remove nodes (with their edges and faults) and edges.
    Delete {
        nodes: Vec<String>,
        edges: Vec<(String, String)>,
    },
    /// Set a param of a node: `Some` stores the value, an explicit `null` too (a cache's
    /// `ttl_s: null` means its entries never expire, unlike an omitted `ttl_s`); `None` removes
    /// the key, so the kind's default applies.
    SetParam {
        node: String,
        key: String,
        value: Option<Value>,
    },
    /// Set the one-way network delay of the edge `from → to`; `None` removes it, so the
    /// default applies (0.5 ms within a data center, 80 ms across).
    SetEdgeLatency {
        from: String,
        to: String,
        latency_ms: Option<f64>,
    },
    /// Rename a node or move it to another data center.
    SetNodeField {
        node: String,
        field: NodeField,
        value: String,
    },
    /// Set a scenario setting.
    SetSetting { setting: Setting, value: Value },
    /// Schedule a fault; it goes after the faults scheduled at or before its time, so the
    /// schedule reads in time order.
    AddFault(FaultSpec),
    /// Remove the fault at this index of `Scenario::faults`.
    RemoveFault(usize),
    /// Add a copy of nodes and the calls between them, with fresh ids
    /// ([`clipboard::paste`]).
    Paste(clipboard::Copied),
    /// Replace the whole scenario (preset, import).
    Replace(Box<Scenario>),
}

/// Editable text fields of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeField {
    /// Display name.
    Name,
    /// Data center.
    Dc,
}

/// Editable scenario settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// Scenario name.
    Name,
    /// Seed.
    Seed,
    /// Duration in seconds.
    Duration,
    /// Warm-up in seconds.
    Warmup,
    /// Plot window (`window_s`) in seconds.
    Window,
    /// p99 SLO in ms (null removes).
    SloP99,
    /// Availability SLO (null removes).
    SloAvailability,
}

/// Applies `edit` to `s`; on refusal returns why, and leaves `s` unchanged.
pub fn apply(s: &mut Scenario, edit: Edit) -> Result<(), String> {
    match edit {
        Edit::AddNode { kind, x, y, near } => {
            let id = fresh_id(s, kind.as_str());
            let name = default_name(kind, &id);
            let frames = data_centers::frames(s, |_| true);
            let dc = data_centers::landing_dc(&frames, (x, y), None)
                .or_else(|| near.and_then(|id| s.node(&id).map(|n| n.dc.clone())))
                .or_else(|| data_centers::nearest_dc(&frames, (x, y)))
                .unwrap_or_else(scaleplay_sim::scenario::default_dc);
            s.nodes.push(NodeSpec {
                id,
                kind: kind.as_str().to_string(),
                name,
                x,
                y,
                dc,
                params: Map::new(),
            });
        }
        Edit::MoveNodes(moves) => {
            // The frames as drawn before the move, where the person dropped the nodes.
            let frames = data_centers::frames(s, |_| true);
            let staying = data_centers::staying(s, |id| moves.iter().any(|m| m.0 == id));
            for (id, x, y) in moves {
                if let Some(n) = s.nodes.iter_mut().find(|n| n.id == id) {
                    n.x = x;
                    n.y = y;
                    if !staying.contains(&n.dc) {
                        continue;
                    }
                    if let Some(dc) = data_centers::landing_dc(&frames, (x, y), Some(&n.dc)) {
                        n.dc = dc;
                    }
                }
            }
        }
        Edit::Connect { from, to } => check_connect(s, &from, &to).map(|()| {
            s.edges.push(EdgeSpec {
                from,
                to,
                latency_ms: None,
            })
        })?,
        Edit::Delete { nodes, edges } => {
            s.nodes.retain(|n| !nodes.contains(&n.id));
            s.edges.retain(|e| {
                !nodes.contains(&e.from)
                    && !nodes.contains(&e.to)
                    && !edges.iter().any(|(f, t)| *f == e.from && *t == e.to)
            });
            s.faults
                .retain(|f| f.node.as_ref().is_none_or(|n| !nodes.contains(n)));
        }
        Edit::SetParam { node, key, value } => {
            let n = node_mut(s, &node)?;
            match value {
                Some(value) => n.params.insert(key, value),
                None => n.params.remove(&key),
            };
        }
        Edit::SetEdgeLatency {
            from,
            to,
            latency_ms,
        } => {
            if let Some(l) = latency_ms.filter(|l| !(l.is_finite() && *l >= 0.0)) {
                return Err(format!("a latency is a number of ms >= 0, got {l}"));
            }
            let edge = s
                .edges
                .iter_mut()
                .find(|e| e.from == from && e.to == to)
                .ok_or_else(|| format!("no edge from \"{from}\" to \"{to}\""))?;
            edge.latency_ms = latency_ms;
        }
        Edit::SetNodeField { node, field, value } => {
            let n = node_mut(s, &node)?;
            match field {
                NodeField::Name => n.name = value,
                NodeField::Dc => n.dc = value,
            }
        }
        Edit::SetSetting { setting, value } => {
            // Named, as the banner showing it is far from the field.
            let num = |what: &str| {
                value
                    .as_f64()
                    .ok_or_else(|| format!("the {what} needs a number of seconds"))
            };
            match setting {
                Setting::Name => s.name = value.as_str().unwrap_or_default().to_string(),
                Setting::Seed => {
                    s.seed = value.as_u64().ok_or("the seed is a whole number >= 0")?
                }
                Setting::Duration => s.duration_s = num("duration")?,
                Setting::Warmup => s.warmup_s = num("warm-up (0 for none)")?,
                Setting::Window => s.window_s = num("plot window")?,
                Setting::SloP99 => s.slo.p99_ms = value.as_f64(),
                Setting::SloAvailability => s.slo.availability = value.as_f64(),
            }
        }
        Edit::AddFault(fault) => {
            if !(fault.at_s.is_finite() && fault.at_s >= 0.0) {
                return Err(format!(
                    "a fault's time must be a number of seconds >= 0, got {}",
                    fault.at_s
                ));
            }
            match (&fault.node, &fault.dc) {
                (Some(id), None) => {
                    node_mut(s, id)?;
                }
                (None, Some(_)) => {}
                _ => return Err("a fault names exactly one node or one data center".into()),
            }
            if s.faults.len() >= MAX_FAULTS {
                return Err(format!(
                    "the schedule already holds {MAX_FAULTS} faults: remove some first"
                ));
            }
            let at = s.faults.partition_point(|f| f.at_s <= fault.at_s);
            s.faults.insert(at, fault);
        }
        Edit::RemoveFault(index) => {
            if index >= s.faults.len() {
                return Err(format!("no scheduled fault #{index}"));
            }
            s.faults.remove(index);
        }
        Edit::Paste(copied) => clipboard::paste(s, copied)?,
        Edit::Replace(new) => *s = *new,
    }
    Ok(())
}

/// Whether `from → to` may be added, and if not, why (shown while dragging a wire).
pub fn check_connect(s: &Scenario, from: &str, to: &str) -> Result<(), String> {
    if from == to {
        return Err("a node cannot call itself".into());
    }
    let kind = |id: &str| {
        s.node(id)
            .and_then(|n| Kind::parse(&n.kind))
            .ok_or_else(|| format!("no node \"{id}\""))
    };
    can_connect(kind(from)?, kind(to)?)?;
    if s.edges.iter().any(|e| e.from == from && e.to == to) {
        return Err(format!("{from} already calls {to}"));
    }
    // Refused here, as the inspector's list of calls leaves such nodes out: added, the loop
    // only showed as a problem afterwards, and Run was held back until it was deleted.
    if let Some(back) = calls_back(s, from, to) {
        return Err(format!(
            "{from} calling {to} would close a loop ({from} → {}): calls must run one way",
            back.join(" → ")
        ));
    }
    Ok(())
}

/// The calls from `to` that lead back to `from` (`to`, …, `from`), if any: a call from
/// `from` to `to` would close that loop, which validation refuses.
pub fn calls_back(s: &Scenario, from: &str, to: &str) -> Option<Vec<String>> {
    // Breadth first from `to`, each node's predecessor kept, so the loop named is a shortest.
    let mut came_from: Vec<(String, Option<usize>)> = vec![(to.to_string(), None)];
    let mut i = 0;
    while i < came_from.len() {
        if came_from[i].0 == from {
            let mut path = Vec::new();
            let mut at = Some(i);
            while let Some(k) = at {
                path.push(came_from[k].0.clone());
                at = came_from[k].1;
            }
            path.reverse();
            return Some(path);
        }
        let at = came_from[i].0.clone();
        for e in s.edges.iter().filter(|e| e.from == at) {
            if !came_from.iter().any(|(id, _)| *id == e.to) {
                came_from.push((e.to.clone(), Some(i)));
            }
        }
        i += 1;
    }
    None
}

fn node_mut<'a>(s: &'a mut Scenario, id: &str) -> Result<&'a mut NodeSpec, String> {
    s.nodes
        .iter_mut()
        .find(|n| n.id == id)
        .ok_or_else(|| format!("no node \"{id}\""))
}

/// `server`, `server-2`, `server-3`, …: the first id of that stem not yet taken.
pub fn fresh_id(s: &Scenario, stem: &str) -> String {
    let taken = |id: &str| s.nodes.iter().any(|n| n.id == id);
    if !taken(stem) {
        return stem.to_string();
    }
    (2..)
        .map(|k| format!("{stem}-{k}"))
        .find(|id| !taken(id))
        .unwrap_or_default()
}

/// Gives each node that repeats an earlier node's id a fresh one (`web1` → `web1-2`), so that
/// every node of an opened file or link can be drawn, selected and deleted on its own: the
/// canvas knows nodes by id, so a copy sat hidden under the first, and Delete removed both.
/// Calls and faults naming the id stay with the first. The (old, new) ids, in file order.
pub fn unique_ids(s: &mut Scenario) -> Vec<(String, String)> {
    let mut renamed = Vec::new();
    for i in 0..s.nodes.len() {
        let id = s.nodes[i].id.clone();
        if s.nodes[..i].iter().any(|n| n.id == id) {
            let new = fresh_id(s, &id);
            s.nodes[i].id = new.clone();
            renamed.push((id, new));
        }
    }
    renamed
}

/// Gives each node with an empty id one from its kind (`server`, `server-2`), which the
/// editor cannot otherwise do (ids are not edited: the message asked for one all the same).
/// The calls and faults naming `""` go with the first of them, the node they could only mean.
/// The new ids, in file order.
pub fn name_unnamed(s: &mut Scenario) -> Vec<String> {
    let mut named = Vec::new();
    for i in 0..s.nodes.len() {
        if !s.nodes[i].id.is_empty() {
            continue;
        }
        let stem = match Kind::parse(&s.nodes[i].kind) {
            Some(k) => k.as_str().to_string(),
            None => "node".to_string(),
        };
        let new = fresh_id(s, &stem);
        s.nodes[i].id = new.clone();
        if named.is_empty() {
            for e in &mut s.edges {
                for end in [&mut e.from, &mut e.to] {
                    if end.is_empty() {
                        *end = new.clone();
                    }
                }
            }
            for f in &mut s.faults {
                if f.node.as_deref() == Some("") {
                    f.node = Some(new.clone());
                }
            }
        }
        named.push(new);
    }
    named
}

/// What the banner says after [`name_unnamed`] gave ids; `None` when it gave none.
pub fn named_note(named: &[String]) -> Option<String> {
    let first = named.first()?;
    let more = match named.len() {
        1 => String::new(),
        n => format!(" ({} more named the same way)", n - 1),
    };
    Some(format!(
        "A node had no id: it is now \"{first}\"{more}, with the calls and faults that named \
         no node."
    ))
}

/// What the banner says after [`unique_ids`] renamed nodes; `None` when none was.
pub fn renamed_note(renamed: &[(String, String)]) -> Option<String> {
    let (old, new) = renamed.first()?;
    let more = match renamed.len() {
        1 => String::new(),
        n => format!(" ({} more renamed the same way)", n - 1),
    };
    Some(format!(
        "Two nodes had the id \"{old}\": the second is now \"{new}\"{more}; calls and faults \
         naming \"{old}\" stay with the first."
    ))
}

/// The name a new node of `kind` with id `id` gets: the palette's label, numbered as the id is
/// (`server-2` → "Server 2").
pub fn default_name(kind: Kind, id: &str) -> String {
    let label = crate::editor::palette_label(kind);
    match id.rsplit_once('-') {
        Some((_, n)) if n.chars().all(|c| c.is_ascii_digit()) => format!("{label} {n}"),
        _ => label.to_string(),
    }
}

/// How a message names node `id` of `s`: by the name the user gave it and its id, as the
/// validation list does (`Primary DB node "sql_primary"`), or by its id alone (quoted) when it
/// has no name of its own (none, the id itself, or no such node).
pub fn node_label(s: &Scenario, id: &str) -> String {
    match own_name(s, id) {
        Some(name) => format!("{name} node \"{id}\""),
        None => format!("\"{id}\""),
    }
}

/// Node `id`'s name when it says more than its id: `None` when it has none, its name is the
/// id itself, or there is no such node.
pub fn own_name<'a>(s: &'a Scenario, id: &str) -> Option<&'a str> {
    s.node(id)
        .map(|n| n.name.as_str())
        .filter(|name| !name.is_empty() && *name != id)
}

/// The calls of `s` that name a node it does not have (from a hand-edited or damaged file), as
/// (from, to): they cannot be drawn, so they are removed from the problems list.
pub fn dangling_edges(s: &Scenario) -> Vec<(String, String)> {
    s.edges
        .iter()
        .filter(|e| s.node(&e.from).is_none() || s.node(&e.to).is_none())
        .map(|e| (e.from.clone(), e.to.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_node_is_named_by_its_name_and_id_or_its_id_alone() {
        let s = scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [
                {"id": "sql_primary", "kind": "sql_primary", "name": "Primary DB"},
                {"id": "web", "kind": "server", "name": "web"},
                {"id": "cache", "kind": "cache", "name": ""}]}"#,
        )
        .unwrap();
        let label = |id| super::node_label(&s, id);
        assert_eq!(label("sql_primary"), "Primary DB node \"sql_primary\"");
        assert_eq!(label("web"), "\"web\"");
        assert_eq!(label("cache"), "\"cache\"");
        assert_eq!(label("gone"), "\"gone\"");
    }

    #[test]
    fn a_node_without_an_id_gets_one_with_the_calls_that_named_none() {
        let mut s = scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [
                {"id": "users", "kind": "client"}, {"id": "", "kind": "server"},
                {"id": "server", "kind": "server"}, {"id": "", "kind": "no_such_kind"}],
              "edges": [{"from": "users", "to": ""}],
              "faults": [{"node": "", "at_s": 5, "action": "fail"}]}"#,
        )
        .unwrap();
        let named = super::name_unnamed(&mut s);
        assert_eq!(named, ["server-2", "node"]);
        assert_eq!(
            (s.edges[0].from.as_str(), s.edges[0].to.as_str()),
            ("users", "server-2")
        );
        assert_eq!(s.faults[0].node.as_deref(), Some("server-2"));
        assert_eq!(
            super::named_note(&named).unwrap(),
            "A node had no id: it is now \"server-2\" (1 more named the same way), with the \
             calls and faults that named no node."
        );
        assert_eq!(super::named_note(&[]), None);
    }

    use super::*;
    use scaleplay_sim::scenario::FaultAction;

    fn empty() -> Scenario {
        scaleplay_sim::validate::parse(r#"{"version": 1}"#).unwrap()
    }

    #[test]
    fn repeated_ids_are_made_unique_and_said() {
        let mut s = scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [
                {"id": "web", "kind": "server"}, {"id": "web-2", "kind": "server"},
                {"id": "web", "kind": "server", "name": "copy"},
                {"id": "web", "kind": "server", "name": "another"}],
              "edges": []}"#,
        )
        .unwrap();
        let renamed = unique_ids(&mut s);
        let ids: Vec<&str> = s.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["web", "web-2", "web-3", "web-4"]);
        assert_eq!(s.nodes[2].name, "copy", "the node itself is kept");
        assert_eq!(
            renamed,
            [
                ("web".into(), "web-3".into()),
                ("web".into(), "web-4".into())
            ]
        );
        let note = renamed_note(&renamed).unwrap();
        assert!(
            note.starts_with("Two nodes had the id \"web\": the second is now \"web-3\" (1 more"),
            "{note}"
        );
        assert_eq!(unique_ids(&mut s), []);
        assert_eq!(renamed_note(&[]), None);
    }

    #[test]
    fn calls_naming_a_missing_node_are_found_and_removed_by_one_delete() {
        let mut s = scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [{"id": "c", "kind": "client"}, {"id": "w", "kind": "server"}],
                "edges": [{"from": "c", "to": "w"}, {"from": "ghost", "to": "w"},
                          {"from": "w", "to": "nope"}]}"#,
        )
        .unwrap();
        let dangling = dangling_edges(&s);
        assert_eq!(
            dangling,
            [("ghost".into(), "w".into()), ("w".into(), "nope".into())]
        );
        apply(
            &mut s,
            Edit::Delete {
                nodes: Vec::new(),
                edges: dangling,
            },
        )
        .unwrap();
        assert_eq!(s.edges.len(), 1);
        assert!(dangling_edges(&s).is_empty());
    }

    #[test]
    fn an_edge_latency_is_set_cleared_and_refused_when_not_a_delay() {
        let mut s = scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [{"id": "c", "kind": "client"}, {"id": "w", "kind": "server"}],
                "edges": [{"from": "c", "to": "w"}]}"#,
        )
        .unwrap();
        let set = |latency_ms| Edit::SetEdgeLatency {
            from: "c".into(),
            to: "w".into(),
            latency_ms,
        };
        apply(&mut s, set(Some(15.0))).unwrap();
        assert_eq!(s.edges[0].latency_ms, Some(15.0));
        apply(&mut s, set(None)).unwrap();
        assert_eq!(s.edges[0].latency_ms, None);
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            let before = s.clone();
            assert!(apply(&mut s, set(Some(bad))).is_err());
            assert_eq!(s, before);
        }
        let missing = Edit::SetEdgeLatency {
            from: "w".into(),
            to: "c".into(),
            latency_ms: Some(1.0),
        };
        assert_eq!(
            apply(&mut s, missing).unwrap_err(),
            "no edge from \"w\" to \"c\""
        );
    }

    #[test]
    fn a_node_put_inside_a_data_centers_frame_joins_that_data_center() {
        let mut s = scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [
                {"id": "web", "kind": "server", "dc": "us", "x": 0, "y": 0},
                {"id": "db", "kind": "sql_primary", "dc": "us", "x": 0, "y": 200},
                {"id": "eu-web", "kind": "server", "dc": "eu", "x": 600, "y": 0},
                {"id": "eu-db", "kind": "sql_primary", "dc": "eu", "x": 600, "y": 200}]}"#,
        )
        .unwrap();
        let dc = |s: &Scenario, id: &str| s.node(id).unwrap().dc.clone();
        let add_near = |s: &mut Scenario, x, y, near: Option<&str>| {
            let near = near.map(str::to_string);
            let kind = Kind::Cache;
            apply(s, Edit::AddNode { kind, x, y, near }).unwrap();
            s.nodes.last().unwrap().dc.clone()
        };
        let add = |s: &mut Scenario, x, y| add_near(s, x, y, None);
        let moves = |s: &mut Scenario, to: &[(&str, f64, f64)]| {
            let to = to.iter().map(|(id, x, y)| (id.to_string(), *x, *y));
            apply(s, Edit::MoveNodes(to.collect())).unwrap();
        };
        assert_eq!(
            add(&mut s, 600.0, 100.0),
            "eu",
            "dropped between eu's nodes"
        );
        assert_eq!(add(&mut s, 0.0, 100.0), "us");
        assert_eq!(
            add(&mut s, 2000.0, 100.0),
            "eu",
            "outside every frame: the nearest"
        );
        assert_eq!(add(&mut s, -2000.0, 100.0), "us");
        // Placed beside a node (a palette click), outside every frame: that node's.
        assert_eq!(add_near(&mut s.clone(), 2000.0, 1000.0, Some("web")), "us");
        assert_eq!(
            add_near(&mut s.clone(), 600.0, 100.0, Some("web")),
            "eu",
            "a frame first"
        );

        // Moved within its own frame, or out into the open: it stays.
        moves(&mut s, &[("web", 0.0, 100.0)]);
        moves(&mut s, &[("web", 300.0, -300.0)]);
        assert_eq!(dc(&s, "web"), "us");
        // Into eu's frame: it joins eu.
        moves(&mut s, &[("web", 600.0, 100.0)]);
        assert_eq!(dc(&s, "web"), "eu");
        // Two of us's nodes moved into eu's frame join it too.
        moves(&mut s, &[("db", 610.0, 150.0), ("cache-2", 610.0, 50.0)]);
        assert_eq!([dc(&s, "db"), dc(&s, "cache-2")], ["eu", "eu"]);
        // But a data center moved whole stays itself: its last node, dropped on eu's frame,
        // stays in us (which faults may name).
        moves(&mut s, &[("cache-4", 610.0, 80.0)]);
        assert_eq!(dc(&s, "cache-4"), "us");
        // A data center of one, set by hand inside eu's frame, stays when nudged.
        apply(
            &mut s,
            Edit::SetNodeField {
                node: "eu-db".into(),
                field: NodeField::Dc,
                value: "edge".into(),
            },
        )
        .unwrap();
        moves(&mut s, &[("eu-db", 600.0, 220.0)]);
        assert_eq!(dc(&s, "eu-db"), "edge");

        let mut empty = empty();
        assert_eq!(add(&mut empty, 0.0, 0.0), "dc1", "the first node");
    }

    #[test]
    fn a_nudge_within_overlapping_frames_keeps_a_node_where_it_was() {
        // us's frame, stretched by a node drawn above eu's row, covers all of eu's frame.
        let mut s = scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [
                {"id": "top", "kind": "server", "dc": "us", "x": 640, "y": -200},
                {"id": "us-db", "kind": "server", "dc": "us", "x": 0, "y": 400},
                {"id": "users", "kind": "client", "dc": "eu", "x": 60, "y": 120},
                {"id": "db", "kind": "sql_primary", "dc": "eu", "x": 820, "y": 120}]}"#,
        )
        .unwrap();
        let before = s.clone();
        apply(&mut s, Edit::MoveNodes(vec![("users".into(), 40.0, 120.0)])).unwrap();
        apply(&mut s, Edit::MoveNodes(vec![("db".into(), 840.0, 120.0)])).unwrap();
        assert_eq!(s.node("users").unwrap().dc, "eu");
        assert_eq!(s.node("db").unwrap().dc, "eu");
        assert_eq!(data_centers::joined_note(&before, &s), None);
        // Taken out of eu's frame into us's: it joins us, and the note says so.
        apply(&mut s, Edit::MoveNodes(vec![("db".into(), 0.0, 300.0)])).unwrap();
        assert_eq!(
            data_centers::joined_note(&before, &s).unwrap(),
            "\"db\" is now in data center \"us\", whose frame it was moved into: calls across \
             data centers take longer (80 ms when not set). Undo (Ctrl+Z) puts it back."
        );
    }

    #[test]
    fn a_call_that_would_close_a_loop_is_refused_naming_it() {
        let mut s = scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [
                {"id": "users", "kind": "client"}, {"id": "lb", "kind": "load_balancer"},
                {"id": "web", "kind": "server"}, {"id": "app", "kind": "server"},
                {"id": "jobs", "kind": "queue"}, {"id": "pool", "kind": "worker_pool"}],
              "edges": [{"from": "users", "to": "lb"}, {"from": "lb", "to": "web"},
                        {"from": "web", "to": "app"}, {"from": "web", "to": "jobs"},
                        {"from": "jobs", "to": "pool"}]}"#,
        )
        .unwrap();
        let before = s.clone();
        let refused = |s: &mut Scenario, from: &str, to: &str| {
            apply(
                s,
                Edit::Connect {
                    from: from.into(),
                    to: to.into(),
                },
            )
            .unwrap_err()
        };
        assert_eq!(
            refused(&mut s, "pool", "jobs"),
            "pool calling jobs would close a loop (pool → jobs → pool): calls must run one way"
        );
        // The shortest way back is named, however far it goes.
        assert_eq!(
            refused(&mut s, "app", "lb"),
            "app calling lb would close a loop (app → lb → web → app): calls must run one way"
        );
        assert_eq!(s, before, "nothing was added");
        // A call across, which closes no loop, is taken.
        apply(
            &mut s,
            Edit::Connect {
                from: "lb".into(),
                to: "app".into(),
            },
        )
        .unwrap();
        assert_eq!(calls_back(&s, "app", "lb").unwrap(), ["lb", "app"]);
        assert_eq!(calls_back(&s, "lb", "app"), None);
    }

    #[test]
    fn add_connect_move_delete() {
        let mut s = empty();
        apply(
            &mut s,
            Edit::AddNode {
                kind: Kind::Client,
                x: 1.0,
                y: 2.0,
                near: None,
            },
        )
        .unwrap();
        apply(
            &mut s,
            Edit::AddNode {
                kind: Kind::Server,
                x: 3.0,
                y: 4.0,
                near: None,
            },
        )
        .unwrap();
        apply(
            &mut s,
            Edit::AddNode {
                kind: Kind::Server,
                x: 5.0,
                y: 6.0,
                near: None,
            },
        )
        .unwrap();
        let ids: Vec<_> = s.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["client", "server", "server-2"]);
        assert_eq!(s.nodes[2].name, "Server 2");
        apply(
            &mut s,
            Edit::Connect {
                from: "client".into(),
                to: "server".into(),
            },
        )
        .unwrap();
        let dup = apply(
            &mut s,
            Edit::Connect {
                from: "client".into(),
                to: "server".into(),
            },
        );
        assert!(dup.unwrap_err().contains("already"));
        let bad = apply(
            &mut s,
            Edit::Connect {
                from: "server".into(),
                to: "client".into(),
            },
        );
        assert!(bad.unwrap_err().contains("cannot call a client"));
        apply(&mut s, Edit::MoveNodes(vec![("server".into(), 10.0, 20.0)])).unwrap();
        assert_eq!((s.nodes[1].x, s.nodes[1].y), (10.0, 20.0));
        apply(
            &mut s,
            Edit::Delete {
                nodes: vec!["server".into()],
                edges: vec![],
            },
        )
        .unwrap();
        assert_eq!(s.nodes.len(), 2);
        assert!(s.edges.is_empty(), "edges of a deleted node go with it");
    }

    #[test]
    fn params_and_settings() {
        let mut s = empty();
        apply(
            &mut s,
            Edit::AddNode {
                kind: Kind::Server,
                x: 0.0,
                y: 0.0,
                near: None,
            },
        )
        .unwrap();
        let set = |k: &str, v: Option<Value>| Edit::SetParam {
            node: "server".into(),
            key: k.into(),
            value: v,
        };
        apply(&mut s, set("workers", Some(Value::from(4)))).unwrap();
        assert_eq!(s.nodes[0].params["workers"], 4);
        apply(&mut s, set("workers", None)).unwrap();
        assert!(s.nodes[0].params.is_empty());
        // An explicit null is stored, not taken for "remove".
        apply(&mut s, set("ttl_s", Some(Value::Null))).unwrap();
        assert_eq!(s.nodes[0].params.get("ttl_s"), Some(&Value::Null));
        apply(
            &mut s,
            Edit::SetSetting {
                setting: Setting::Seed,
                value: Value::from(9),
            },
        )
        .unwrap();
        assert_eq!(s.seed, 9);
        assert!(apply(
            &mut s,
            Edit::SetSetting {
                setting: Setting::Seed,
                value: Value::from(-1)
            }
        )
        .is_err());
    }

    fn fault(node: &str, at_s: f64, action: FaultAction) -> FaultSpec {
        FaultSpec {
            node: Some(node.into()),
            dc: None,
            at_s,
            action,
            instance: None,
        }
    }

    #[test]
    fn faults_are_added_in_time_order_and_removed_by_index() {
        use scaleplay_sim::scenario::FaultAction::{Fail, Recover};
        let mut s = empty();
        apply(
            &mut s,
            Edit::AddNode {
                kind: Kind::Server,
                x: 0.0,
                y: 0.0,
                near: None,
            },
        )
        .unwrap();
        apply(&mut s, Edit::AddFault(fault("server", 20.0, Recover))).unwrap();
        apply(&mut s, Edit::AddFault(fault("server", 10.0, Fail))).unwrap();
        apply(&mut s, Edit::AddFault(fault("server", 20.0, Fail))).unwrap();
        let times: Vec<_> = s.faults.iter().map(|f| (f.at_s, f.action)).collect();
        assert_eq!(
            times,
            [(10.0, Fail), (20.0, Recover), (20.0, Fail)],
            "sorted by time; equal times keep the order they were added in"
        );
        apply(&mut s, Edit::RemoveFault(1)).unwrap();
        let times: Vec<_> = s.faults.iter().map(|f| (f.at_s, f.action)).collect();
        assert_eq!(times, [(10.0, Fail), (20.0, Fail)]);
        let before = s.clone();
        assert!(apply(&mut s, Edit::RemoveFault(2))
            .unwrap_err()
            .contains("no scheduled fault"));
        assert_eq!(s, before, "a refused edit changes nothing");
    }

    #[test]
    fn bad_faults_are_refused() {
        use scaleplay_sim::scenario::FaultAction::Fail;
        let mut s = empty();
        let err = apply(&mut s, Edit::AddFault(fault("ghost", 1.0, Fail))).unwrap_err();
        assert!(err.contains("no node \"ghost\""), "{err}");
        apply(
            &mut s,
            Edit::AddNode {
                kind: Kind::Cache,
                x: 0.0,
                y: 0.0,
                near: None,
            },
        )
        .unwrap();
        for at in [-1.0, f64::NAN, f64::INFINITY] {
            let err = apply(&mut s, Edit::AddFault(fault("cache", at, Fail))).unwrap_err();
            assert!(err.contains(">= 0"), "{err}");
        }
        let mut both = fault("cache", 1.0, Fail);
        both.dc = Some("dc1".into());
        assert!(apply(&mut s, Edit::AddFault(both)).is_err());
        let mut dc = fault("cache", 1.0, Fail);
        dc.node = None;
        dc.dc = Some("dc1".into());
        apply(&mut s, Edit::AddFault(dc)).unwrap();
        assert_eq!(s.faults.len(), 1);
    }
}
