//! Copy, cut, paste and duplicate of nodes: what a canvas editor is expected to do with a
//! selection (Ctrl+C, Ctrl+X, Ctrl+V, Ctrl+D, and the inspector's "Duplicate"). A copy takes
//! the nodes with their params and data center, and their calls, to one another and to the
//! nodes left out: a duplicated server is called by the same balancer and calls the same
//! database, so it works at once (a duplicated client, without its call, made the scenario
//! invalid). Not a primary's replication to replicas left out: a replica has one primary. A
//! node pasted back under its own id (after a cut) gets its scheduled faults back.

use leptos::prelude::*;
use scaleplay_sim::params::limits::MAX_NODES;
use scaleplay_sim::scenario::{EdgeSpec, FaultSpec, Kind, NodeSpec, Scenario};

use super::data_centers::{frames, overlapping_pairs};
use super::edits::{default_name, fresh_id, Edit};
use super::geometry::{clear_of, column_pitch, row_pitch};
use crate::state::{Doc, ViewState};

/// How many rows down a paste looks for room before it lands on top of other nodes.
const PASTE_ROWS: usize = 50;

/// Nodes copied, with their calls and faults.
#[derive(Clone, Debug, PartialEq)]
pub struct Copied {
    pub nodes: Vec<NodeSpec>,
    /// Every call from or to a copied node, but a copied primary's to replicas not copied.
    pub edges: Vec<EdgeSpec>,
    /// The faults scheduled for the copied nodes.
    pub faults: Vec<FaultSpec>,
}

impl Copied {
    /// The nodes `ids` of `s` (in the scenario's order) with their calls and faults; `None`
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
        let kind = |id: &str| s.node(id).and_then(|n| Kind::parse(&n.kind));
        // A replica has one primary: a copied primary leaves the replicas it feeds to their
        // original (a copied replica keeps its primary, and is one replica more).
        let feeds_a_replica_left_out = |e: &EdgeSpec| {
            !inside(&e.to)
                && kind(&e.from) == Some(Kind::SqlPrimary)
                && kind(&e.to) == Some(Kind::SqlReplica)
        };
        let edges = s
            .edges
            .iter()
            .filter(|e| (inside(&e.from) || inside(&e.to)) && !feeds_a_replica_left_out(e))
            .cloned()
            .collect();
        let faults = s
            .faults
            .iter()
            .filter(|f| f.node.as_deref().is_some_and(inside))
            .cloned()
            .collect();
        Some(Copied {
            nodes,
            edges,
            faults,
        })
    }
}

/// Adds a copy of `copied` to `s`: where it was copied from if that is free (a cut pasted
/// back), else as many rows down (or columns right) as clears every node and keeps the data
/// centers' frames apart ([`paste_offset`]); fresh ids (`web` → `web-2`, or its own when
/// free), names numbered the same way (`Web` → `Web 2`), its calls (those to nodes no longer
/// there dropped), each node in its own data center. Refused, leaving `s` as it was, when the
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
    let (dx, dy) = paste_offset(s, &copied.nodes);
    let mut new_ids: Vec<(String, String)> = Vec::new();
    for mut n in copied.nodes {
        n.x += dx;
        n.y += dy;
        let new_id = fresh_id(s, numbered_stem(&n.id, '-'));
        let kind = Kind::parse(&n.kind);
        n.name = match kind {
            Some(k) if n.name.is_empty() || n.name == default_name(k, &n.id) => {
                default_name(k, &new_id)
            }
            _ => fresh_name(s, &n.name),
        };
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
        let end = |id: &String| renamed(id).or_else(|| s.node(id).map(|_| id.clone()));
        if let (Some(from), Some(to)) = (end(&e.from), end(&e.to)) {
            if !s.edges.iter().any(|x| x.from == from && x.to == to) {
                s.edges.push(EdgeSpec { from, to, ..e });
            }
        }
    }
    for f in copied.faults {
        let back = f
            .node
            .as_deref()
            .is_some_and(|id| renamed(id).as_deref() == Some(id));
        if back && s.faults.len() < scaleplay_sim::params::limits::MAX_FAULTS {
            let at = s.faults.partition_point(|g| g.at_s <= f.at_s);
            s.faults.insert(at, f);
        }
    }
    Ok(())
}

/// How far `nodes` must move to clear every node of `s` without drawing one data center's frame
/// over another's (the pasted nodes keep their data centers, and a frame grows to take them in):
/// 0 when they already do, else whole rows down, else whole columns right, at most
/// [`PASTE_ROWS`] of either. A copy from data centers drawn one above the other finds no row
/// below that keeps the frames apart, and goes beside them. Where nothing does, the first
/// place clear of nodes (past that, a row down, onto whatever is there).
fn paste_offset(s: &Scenario, nodes: &[NodeSpec]) -> (f64, f64) {
    let taken: Vec<(f64, f64)> = s.nodes.iter().map(|n| (n.x, n.y)).collect();
    let clear = |(dx, dy): (f64, f64)| nodes.iter().all(|n| clear_of(&taken, (n.x + dx, n.y + dy)));
    let overlaps_now = overlapping_pairs(&frames(s, |_| true));
    let mut after = s.clone();
    after.nodes.extend(nodes.iter().cloned());
    let mut frames_apart = |(dx, dy): (f64, f64)| {
        for (moved, n) in after.nodes[s.nodes.len()..].iter_mut().zip(nodes) {
            (moved.x, moved.y) = (n.x + dx, n.y + dy);
        }
        overlapping_pairs(&frames(&after, |_| true)) <= overlaps_now
    };
    let down = (0..=PASTE_ROWS).map(|row| (0.0, row as f64 * row_pitch()));
    let right = (1..=PASTE_ROWS).map(|column| (column as f64 * column_pitch(), 0.0));
    let candidates: Vec<(f64, f64)> = down.chain(right).collect();
    candidates
        .iter()
        .copied()
        .find(|&offset| clear(offset) && frames_apart(offset))
        .or_else(|| candidates.iter().copied().find(|&offset| clear(offset)))
        .unwrap_or((0.0, row_pitch()))
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

/// What Ctrl+C, Ctrl+X or the inspector's "Copy" took, for Ctrl+V: within this page only (the
/// system clipboard would need a permission prompt, and holds text). A context, shared by the
/// canvas's keys and the inspector's buttons.
#[derive(Clone, Copy)]
pub struct Clipboard(pub StoredValue<Option<Copied>>);

impl Clipboard {
    /// Copies nodes `ids` of the scenario (nothing when none of them exists).
    pub fn copy(&self, doc: Doc, ids: &[String]) {
        self.0
            .set_value(doc.scenario.with_untracked(|s| Copied::of(s, ids)));
    }
}

/// Deletes nodes `ids` with their calls and faults (one step of undo) and clears the
/// selection (Delete, Ctrl+X, and the inspector's "Delete").
pub fn delete_and_deselect(doc: Doc, selection: RwSignal<Vec<String>>, ids: Vec<String>) {
    selection.set(Vec::new());
    doc.apply(Edit::Delete {
        nodes: ids,
        edges: Vec::new(),
    });
}

/// Copies nodes `ids` and pastes the copy below them, then selects it (Ctrl+D, and the
/// inspector's "Duplicate"). One step of undo.
pub fn duplicate(doc: Doc, selection: RwSignal<Vec<String>>, ids: &[String]) {
    let copied = doc.scenario.with_untracked(|s| Copied::of(s, ids));
    if let Some(copied) = copied {
        paste_and_select(doc, selection, copied);
    }
}

/// Pastes `copied`, selects what was pasted, and brings it into view if it landed out of it.
pub fn paste_and_select(doc: Doc, selection: RwSignal<Vec<String>>, copied: Copied) {
    let before = doc.scenario.with_untracked(|s| s.nodes.len());
    doc.apply(Edit::Paste(copied));
    let pasted: Vec<(String, f64, f64)> = doc.scenario.with_untracked(|s| {
        s.nodes
            .iter()
            .skip(before)
            .map(|n| (n.id.clone(), n.x, n.y))
            .collect()
    });
    let Some((_, x, y)) = pasted.first().cloned() else {
        return;
    };
    selection.set(pasted.into_iter().map(|(id, ..)| id).collect());
    if let Some(view) = use_context::<ViewState>() {
        crate::editor::canvas::keep_in_sight(view.0, (x, y));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::edits::apply;

    fn drawing() -> Scenario {
        scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [
                {"id": "users", "kind": "client", "x": 0, "y": 0},
                {"id": "web", "kind": "server", "name": "Web", "x": 200, "y": 0,
                 "params": {"workers": 7}},
                {"id": "server-2", "kind": "server", "name": "Server 2", "x": 400, "y": 0},
                {"id": "db", "kind": "sql_primary", "dc": "eu", "x": 600, "y": 0},
                {"id": "db2", "kind": "sql_replica", "dc": "eu", "x": 600, "y": 400}],
              "edges": [{"from": "users", "to": "web"},
                        {"from": "web", "to": "server-2", "latency_ms": 3},
                        {"from": "server-2", "to": "db"}],
              "faults": [{"node": "web", "at_s": 5, "action": "fail"}]}"#,
        )
        .unwrap()
    }

    fn calls(s: &Scenario) -> Vec<(String, String)> {
        s.edges
            .iter()
            .map(|e| (e.from.clone(), e.to.clone()))
            .collect()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn a_copy_takes_the_nodes_their_calls_and_faults() {
        let s = drawing();
        let c = Copied::of(&s, &["server-2".into(), "web".into()]).unwrap();
        let ids: Vec<_> = c.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["web", "server-2"], "in the scenario's order");
        assert_eq!(c.edges.len(), 3, "to one another and to the nodes left out");
        assert_eq!(c.faults.len(), 1);
        assert_eq!(Copied::of(&s, &["gone".into()]), None);
    }

    #[test]
    fn a_copied_primary_leaves_its_replicas_to_the_original() {
        let mut s = drawing();
        s.edges.push(EdgeSpec {
            from: "db".into(),
            to: "db2".into(),
            ..s.edges[0].clone()
        });
        let primary = Copied::of(&s, &["db".into()]).unwrap();
        assert_eq!(
            calls(&Scenario {
                edges: primary.edges,
                ..s.clone()
            }),
            [pair("server-2", "db")],
            "its caller, not its replica"
        );
        let replica = Copied::of(&s, &["db2".into()]).unwrap();
        assert_eq!(replica.edges.len(), 1, "a copied replica keeps its primary");
        let both = Copied::of(&s, &["db".into(), "db2".into()]).unwrap();
        paste(&mut s, both).unwrap();
        assert!(
            calls(&s).contains(&pair("db-2", "db2-2")),
            "a primary copied with its replica feeds the copy"
        );
    }

    #[test]
    fn a_paste_lands_a_row_down_with_fresh_ids_names_params_and_calls() {
        let mut s = drawing();
        let c = Copied::of(&s, &["web".into(), "server-2".into()]).unwrap();
        paste(&mut s, c.clone()).unwrap();
        let new: Vec<_> = s.nodes[5..]
            .iter()
            .map(|n| (n.id.as_str(), n.name.as_str(), n.x, n.y))
            .collect();
        let row = row_pitch();
        assert_eq!(
            new,
            [
                ("web-2", "Web 2", 200.0, row),
                // The first id of the stem not taken, as the palette would give.
                ("server", "Server", 400.0, row)
            ]
        );
        assert_eq!(s.nodes[5].params["workers"], 7);
        assert_eq!(
            calls(&s)[3..],
            [
                pair("users", "web-2"),
                pair("web-2", "server"),
                pair("server", "db")
            ]
        );
        assert_eq!(s.edges[4].latency_ms, Some(3.0), "with its latency");
        assert_eq!(
            s.faults.len(),
            1,
            "a copy beside its original fails on its own only"
        );
        // A second paste of the same copy lands a row further and numbers on.
        paste(&mut s, c).unwrap();
        let n = &s.nodes[7];
        assert_eq!(
            (n.id.as_str(), n.name.as_str(), n.y),
            ("web-3", "Web 3", 2.0 * row)
        );
        assert_eq!(s.nodes[8].id, "server-3");
        assert!(
            scaleplay_sim::validate::validate(&s).is_ok(),
            "still a valid scenario"
        );
    }

    #[test]
    fn a_cut_pasted_back_is_as_it_was() {
        let mut s = drawing();
        let before = s.clone();
        let c = Copied::of(&s, &["web".into()]).unwrap();
        apply(
            &mut s,
            Edit::Delete {
                nodes: vec!["web".into()],
                edges: Vec::new(),
            },
        )
        .unwrap();
        assert!(s.faults.is_empty() && s.edges.len() == 1);
        paste(&mut s, c).unwrap();
        let n = s.nodes.last().unwrap();
        assert_eq!(
            (n.id.as_str(), n.name.as_str(), n.x, n.y),
            ("web", "Web", 200.0, 0.0)
        );
        let mut calls_now = calls(&s);
        let mut calls_before = calls(&before);
        calls_now.sort();
        calls_before.sort();
        assert_eq!(calls_now, calls_before);
        assert_eq!(s.faults, before.faults, "its faults come back with its id");
    }

    #[test]
    fn calls_to_a_node_gone_since_the_copy_are_left_out() {
        let mut s = drawing();
        let c = Copied::of(&s, &["server-2".into()]).unwrap();
        apply(
            &mut s,
            Edit::Delete {
                nodes: vec!["db".into()],
                edges: Vec::new(),
            },
        )
        .unwrap();
        paste(&mut s, c).unwrap();
        assert_eq!(calls(&s).last(), Some(&pair("web", "server")));
    }

    #[test]
    fn a_pasted_node_keeps_its_data_center_wherever_it_lands() {
        let mut s = drawing();
        let mut c = Copied::of(&s, &["web".into()]).unwrap();
        (c.nodes[0].x, c.nodes[0].y) = (600.0, 200.0);
        paste(&mut s, c).unwrap();
        let n = s.nodes.last().unwrap();
        assert_eq!(
            (n.dc.as_str(), n.y),
            ("dc1", 200.0),
            "inside eu's frame, still dc1"
        );
    }

    #[test]
    fn a_copy_of_two_data_centers_drawn_one_above_the_other_goes_beside_them() {
        let mut s = scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [
                {"id": "web-eu", "kind": "server", "dc": "eu", "x": 0, "y": 0},
                {"id": "web-us", "kind": "server", "dc": "us", "x": 0, "y": 140}]}"#,
        )
        .unwrap();
        let all = Copied::of(&s, &["web-eu".into(), "web-us".into()]).unwrap();
        paste(&mut s, all).unwrap();
        let at: Vec<_> = s.nodes[2..].iter().map(|n| (n.x, n.y)).collect();
        assert_eq!(at, [(column_pitch(), 0.0), (column_pitch(), 140.0)]);
        assert_eq!(overlapping_pairs(&frames(&s, |_| true)), 0);
        // One node of the upper one: a row down would be inside the lower one's frame.
        let eu = Copied::of(&s, &["web-eu".into()]).unwrap();
        paste(&mut s, eu).unwrap();
        assert_eq!(overlapping_pairs(&frames(&s, |_| true)), 0);
        assert_eq!(s.nodes[4].dc, "eu");
        assert_eq!(
            (s.nodes[4].x, s.nodes[4].y),
            (2.0 * column_pitch(), 0.0),
            "beside the copies, in its own data center's rows"
        );
    }

    #[test]
    fn a_paste_past_the_node_limit_is_refused_whole() {
        let mut s = drawing();
        let many = Copied {
            nodes: vec![s.nodes[1].clone(); MAX_NODES - 3],
            edges: Vec::new(),
            faults: Vec::new(),
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
