//! Copy, cut, paste and duplicate of nodes: what a canvas editor is expected to do with a
//! selection (Ctrl+C, Ctrl+X, Ctrl+V, Ctrl+D, and the inspector's "Duplicate"). A copy takes
//! the nodes with their params and data center and the calls between them; calls to nodes
//! left out are not copied (the copy would otherwise take traffic at once).

use leptos::prelude::*;
use scaleplay_sim::params::limits::MAX_NODES;
use scaleplay_sim::scenario::{EdgeSpec, Kind, NodeSpec, Scenario};

use super::data_centers;
use super::edits::{default_name, fresh_id, Edit};
use super::geometry::GRID;
use crate::state::Doc;

/// How far a paste lands from what was copied (and each further paste from the one before),
/// so that the copy does not hide under the original.
pub const PASTE_OFFSET: f64 = 2.0 * GRID;

/// Nodes copied, with the calls between them.
#[derive(Clone, Debug, PartialEq)]
pub struct Copied {
    pub nodes: Vec<NodeSpec>,
    pub edges: Vec<EdgeSpec>,
}

impl Copied {
    /// The nodes `ids` of `s` (in the scenario's order) and the calls between them; `None`
    /// when none of them is in `s`.
    pub fn of(s: &Scenario, ids: &[String]) -> Option<Copied> {
        let nodes: Vec<NodeSpec> = s
            .nodes
            .iter()
            .filter(|n| ids.contains(&n.id))
            .cloned()
            .collect();
        if nodes.is_empty() {
            return None;
        }
        let inside = |id: &str| nodes.iter().any(|n| n.id == id);
        let edges = s
            .edges
            .iter()
            .filter(|e| inside(&e.from) && inside(&e.to))
            .cloned()
            .collect();
        Some(Copied { nodes, edges })
    }

    /// The same nodes [`PASTE_OFFSET`] further right and down.
    pub fn shifted(mut self) -> Copied {
        for n in &mut self.nodes {
            n.x += PASTE_OFFSET;
            n.y += PASTE_OFFSET;
        }
        self
    }
}

/// Adds a copy of `copied` to `s` where its nodes stand: fresh ids (`web` → `web-2`), names
/// numbered the same way (`Web` → `Web 2`), the calls between them, and each node in the data
/// center whose frame it lands in (else its own). Refused, leaving `s` as it was, when the
/// scenario would hold more nodes than a scenario may.
pub fn paste(s: &mut Scenario, copied: Copied) -> Result<(), String> {
    if s.nodes.len() + copied.nodes.len() > MAX_NODES {
        return Err(format!(
            "a scenario holds at most {MAX_NODES} nodes: this paste of {} would make {}; \
             delete some first",
            copied.nodes.len(),
            s.nodes.len() + copied.nodes.len()
        ));
    }
    let frames = data_centers::frames(s, |_| true);
    let mut new_ids: Vec<(String, String)> = Vec::new();
    for mut n in copied.nodes {
        let new_id = fresh_id(s, numbered_stem(&n.id, '-'));
        let kind = Kind::parse(&n.kind);
        n.name = match kind {
            Some(k) if n.name.is_empty() || n.name == default_name(k, &n.id) => {
                default_name(k, &new_id)
            }
            _ => fresh_name(s, &n.name),
        };
        if let Some(dc) = data_centers::landing_dc(&frames, (n.x, n.y), Some(&n.dc)) {
            n.dc = dc;
        }
        new_ids.push((std::mem::replace(&mut n.id, new_id.clone()), new_id));
        s.nodes.push(n);
    }
    let renamed = |old: &str| {
        new_ids
            .iter()
            .find(|(o, _)| o == old)
            .map(|(_, new)| new.clone())
    };
    for e in copied.edges {
        if let (Some(from), Some(to)) = (renamed(&e.from), renamed(&e.to)) {
            s.edges.push(EdgeSpec { from, to, ..e });
        }
    }
    Ok(())
}

/// `name` without a trailing number: `server-2` → `server` (by `-`), `Web 3` → `Web` (by ` `).
fn numbered_stem(name: &str, sep: char) -> &str {
    match name.rsplit_once(sep) {
        Some((stem, n))
            if !stem.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) =>
        {
            stem
        }
        _ => name,
    }
}

/// `name` when no node has it (a cut node pasted back), else `Web 2`, `Web 3`, …: the first
/// name numbered after `name`'s stem that no node has.
fn fresh_name(s: &Scenario, name: &str) -> String {
    if !s.nodes.iter().any(|n| n.name == name) {
        return name.to_string();
    }
    let stem = numbered_stem(name, ' ');
    (2..)
        .map(|k| format!("{stem} {k}"))
        .find(|candidate| !s.nodes.iter().any(|n| n.name == *candidate))
        .unwrap_or_default()
}

/// Copies nodes `ids` and pastes the copy beside them, then selects the copy (Ctrl+D, and the
/// inspector's "Duplicate"). One step of undo.
pub fn duplicate(doc: Doc, selection: RwSignal<Vec<String>>, ids: &[String]) {
    let copied = doc.scenario.with_untracked(|s| Copied::of(s, ids));
    if let Some(copied) = copied {
        paste_and_select(doc, selection, copied.shifted());
    }
}

/// Pastes `copied` and selects what was pasted.
pub fn paste_and_select(doc: Doc, selection: RwSignal<Vec<String>>, copied: Copied) {
    let before = doc.scenario.with_untracked(|s| s.nodes.len());
    doc.apply(Edit::Paste(copied));
    let pasted: Vec<String> = doc
        .scenario
        .with_untracked(|s| s.nodes.iter().skip(before).map(|n| n.id.clone()).collect());
    if !pasted.is_empty() {
        selection.set(pasted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawing() -> Scenario {
        scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [
                {"id": "users", "kind": "client", "x": 0, "y": 0},
                {"id": "web", "kind": "server", "name": "Web", "x": 200, "y": 0,
                 "params": {"workers": 7}},
                {"id": "server-2", "kind": "server", "name": "Server 2", "x": 400, "y": 0},
                {"id": "db", "kind": "sql_primary", "dc": "eu", "x": 600, "y": 0}],
              "edges": [{"from": "users", "to": "web"},
                        {"from": "web", "to": "server-2", "latency_ms": 3},
                        {"from": "server-2", "to": "db"}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn a_copy_takes_the_nodes_and_the_calls_between_them_only() {
        let s = drawing();
        let c = Copied::of(&s, &["server-2".into(), "web".into()]).unwrap();
        let ids: Vec<_> = c.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["web", "server-2"], "in the scenario's order");
        assert_eq!(c.edges.len(), 1);
        assert_eq!(
            (c.edges[0].from.as_str(), c.edges[0].to.as_str()),
            ("web", "server-2")
        );
        assert_eq!(Copied::of(&s, &["gone".into()]), None);
    }

    #[test]
    fn a_paste_gets_fresh_ids_and_names_and_keeps_params_calls_and_latency() {
        let mut s = drawing();
        let c = Copied::of(&s, &["web".into(), "server-2".into()])
            .unwrap()
            .shifted();
        paste(&mut s, c.clone()).unwrap();
        let new: Vec<_> = s.nodes[4..]
            .iter()
            .map(|n| (n.id.as_str(), n.name.as_str(), n.x, n.y))
            .collect();
        assert_eq!(
            new,
            [
                ("web-2", "Web 2", 200.0 + PASTE_OFFSET, PASTE_OFFSET),
                // The first id of the stem not taken, as the palette would give.
                ("server", "Server", 400.0 + PASTE_OFFSET, PASTE_OFFSET)
            ]
        );
        assert_eq!(s.nodes[4].params["workers"], 7);
        let last = s.edges.last().unwrap();
        assert_eq!(
            (last.from.as_str(), last.to.as_str(), last.latency_ms),
            ("web-2", "server", Some(3.0))
        );
        assert_eq!(
            s.edges.len(),
            4,
            "the calls from users and to db are not copied"
        );
        // A second paste of the same copy numbers on.
        paste(&mut s, c).unwrap();
        assert_eq!(s.nodes[6].id, "web-3");
        assert_eq!(s.nodes[6].name, "Web 3");
        assert_eq!(s.nodes[7].id, "server-3");
        assert!(
            scaleplay_sim::validate::validate(&s).is_ok(),
            "still a valid scenario"
        );
    }

    #[test]
    fn a_cut_node_pasted_back_keeps_its_id_and_name() {
        let mut s = drawing();
        let c = Copied::of(&s, &["web".into()]).unwrap();
        crate::editor::edits::apply(
            &mut s,
            Edit::Delete {
                nodes: vec!["web".into()],
                edges: Vec::new(),
            },
        )
        .unwrap();
        paste(&mut s, c).unwrap();
        let n = s.nodes.last().unwrap();
        assert_eq!((n.id.as_str(), n.name.as_str()), ("web", "Web"));
    }

    #[test]
    fn a_pasted_node_joins_the_data_center_it_lands_in() {
        let mut s = drawing();
        let mut c = Copied::of(&s, &["web".into()]).unwrap();
        c.nodes[0].x = 600.0;
        paste(&mut s, c).unwrap();
        assert_eq!(s.nodes.last().unwrap().dc, "eu");
        let c = Copied::of(&s, &["db".into()]).unwrap().shifted();
        paste(&mut s, c).unwrap();
        assert_eq!(
            s.nodes.last().unwrap().dc,
            "eu",
            "beside its original: its own"
        );
    }

    #[test]
    fn a_paste_past_the_node_limit_is_refused_whole() {
        let mut s = drawing();
        let many = Copied {
            nodes: vec![s.nodes[1].clone(); MAX_NODES - 3],
            edges: Vec::new(),
        };
        let before = s.clone();
        let why = paste(&mut s, many).unwrap_err();
        assert!(why.contains("at most 1000 nodes"), "{why}");
        assert_eq!(s, before);
    }

    #[test]
    fn stems_lose_only_a_trailing_number() {
        assert_eq!(numbered_stem("server-2", '-'), "server");
        assert_eq!(numbered_stem("a-b", '-'), "a-b");
        assert_eq!(numbered_stem("-2", '-'), "-2");
        assert_eq!(numbered_stem("Web 10", ' '), "Web");
        assert_eq!(numbered_stem("Web", ' '), "Web");
    }
}
