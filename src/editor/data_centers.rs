//! The data centers as the canvas draws them: one frame around the nodes of each, and which
//! frame a node lands in when it is dropped or moved, so that putting a node inside a data
//! center's frame puts it in that data center (as a person reading the drawing expects).

use std::collections::{BTreeMap, BTreeSet};

use scaleplay_sim::scenario::{NodeSpec, Scenario};

use super::geometry::{FRAME_PAD_BOTTOM, FRAME_PAD_TOP, FRAME_PAD_X, NODE_H, NODE_W};

/// The frame drawn around the nodes of data center `dc`: their bounding box plus padding, room
/// for the name above.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub dc: String,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Frame {
    /// Whether canvas point `(x, y)` lies inside the frame.
    pub fn contains(&self, (x, y): (f64, f64)) -> bool {
        x >= self.x0 && x <= self.x1 && y >= self.y0 && y <= self.y1
    }

    fn area(&self) -> f64 {
        (self.x1 - self.x0) * (self.y1 - self.y0)
    }

    fn overlaps(&self, other: &Frame) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
}

/// How many pairs of `frames` overlap: where two do, nodes look to be in the other one.
pub fn overlapping_pairs(frames: &[Frame]) -> usize {
    frames
        .iter()
        .enumerate()
        .map(|(i, f)| frames[i + 1..].iter().filter(|g| f.overlaps(g)).count())
        .sum()
}

/// The frames of the data centers of the nodes `counts` accepts, by data center name.
pub fn frames<'a>(s: &'a Scenario, counts: impl Fn(&NodeSpec) -> bool) -> Vec<Frame> {
    let mut by_dc: BTreeMap<&'a str, (f64, f64, f64, f64)> = BTreeMap::new();
    for n in s.nodes.iter().filter(|n| counts(n)) {
        let e = by_dc
            .entry(n.dc.as_str())
            .or_insert((f64::MAX, f64::MAX, f64::MIN, f64::MIN));
        *e = (
            e.0.min(n.x),
            e.1.min(n.y),
            e.2.max(n.x + NODE_W),
            e.3.max(n.y + NODE_H),
        );
    }
    by_dc
        .into_iter()
        .map(|(dc, (x0, y0, x1, y1))| Frame {
            dc: dc.to_string(),
            x0: x0 - FRAME_PAD_X,
            y0: y0 - FRAME_PAD_TOP,
            x1: x1 + FRAME_PAD_X,
            y1: y1 + FRAME_PAD_BOTTOM,
        })
        .collect()
}

/// The data center a node whose box has its top-left corner at `corner` lands in, when it
/// was in `current` (`None`: a new node): the data center whose frame holds the box's centre.
/// `None` when it stays where it was: no frame holds the centre, or its own one does (frames
/// drawn around their members overlap, and a node moved within its own frame stays). Where
/// several other frames hold it, the smallest, the one drawn on top of the others' area.
pub fn landing_dc(frames: &[Frame], corner: (f64, f64), current: Option<&str>) -> Option<String> {
    let centre = (corner.0 + NODE_W / 2.0, corner.1 + NODE_H / 2.0);
    let holding: Vec<&Frame> = frames.iter().filter(|f| f.contains(centre)).collect();
    if holding.iter().any(|f| Some(f.dc.as_str()) == current) {
        return None;
    }
    holding
        .into_iter()
        .min_by(|a, b| a.area().total_cmp(&b.area()))
        .map(|f| f.dc.clone())
}

/// The data centers that keep a node where it is while the nodes `moving` accepts move. One
/// not among them moves whole and keeps its name (dropped onto another frame it would have
/// vanished into it, and faults naming it with it).
pub fn staying(s: &Scenario, moving: impl Fn(&str) -> bool) -> BTreeSet<String> {
    s.nodes
        .iter()
        .filter(|n| !moving(&n.id))
        .map(|n| n.dc.clone())
        .collect()
}

/// What to tell the user after a move put nodes in other data centers (comparing the
/// scenario `before` the move with `after`); `None` when none changed. Calls across data
/// centers cost more, so the change is said, not left to be noticed in the frames.
pub fn joined_note(before: &Scenario, after: &Scenario) -> Option<String> {
    let changed: Vec<(&str, &str)> = after
        .nodes
        .iter()
        .filter_map(|n| {
            let old = before.node(&n.id)?;
            (old.dc != n.dc).then_some((n.id.as_str(), n.dc.as_str()))
        })
        .collect();
    let (id, dc) = *changed.first()?;
    let one = changed.len() == 1;
    let more = match changed.len() {
        1 => String::new(),
        2 => " and 1 more node".to_string(),
        k => format!(" and {} more nodes", k - 1),
    };
    Some(format!(
        "\"{id}\"{more} {is} now in data center \"{dc}\", whose frame {it} moved into: calls \
         across data centers take longer (80 ms when not set). Undo (Ctrl+Z) puts {them} back.",
        is = if one { "is" } else { "are" },
        it = if one { "it was" } else { "they were" },
        them = if one { "it" } else { "them" },
    ))
}

/// The data center of the frame nearest to a new node whose box has its top-left corner at
/// `corner` and which lands in none: a node added beside a drawing joins the data center it
/// is drawn by (it used to make a data center of its own, `dc1`, 80 ms from the others by
/// default). `None` when there are no frames yet.
pub fn nearest_dc(frames: &[Frame], corner: (f64, f64)) -> Option<String> {
    let (x, y) = (corner.0 + NODE_W / 2.0, corner.1 + NODE_H / 2.0);
    let distance = |f: &Frame| {
        let dx = (f.x0 - x).max(x - f.x1).max(0.0);
        let dy = (f.y0 - y).max(y - f.y1).max(0.0);
        dx.hypot(dy)
    };
    frames
        .iter()
        .min_by(|a, b| distance(a).total_cmp(&distance(b)))
        .map(|f| f.dc.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_dcs() -> Scenario {
        scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [
                {"id": "a", "kind": "server", "dc": "us", "x": 0, "y": 0},
                {"id": "b", "kind": "server", "dc": "us", "x": 200, "y": 100},
                {"id": "c", "kind": "server", "dc": "eu", "x": 600, "y": 0}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn a_frame_is_its_nodes_box_with_room_for_the_name() {
        let f = frames(&two_dcs(), |_| true);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].dc, "eu", "by name");
        let us = &f[1];
        assert_eq!(
            (us.x0, us.y0, us.x1, us.y1),
            (
                -FRAME_PAD_X,
                -FRAME_PAD_TOP,
                200.0 + NODE_W + FRAME_PAD_X,
                100.0 + NODE_H + FRAME_PAD_BOTTOM
            )
        );
    }

    #[test]
    fn frames_overlap_when_their_boxes_share_area() {
        assert_eq!(overlapping_pairs(&frames(&two_dcs(), |_| true)), 0);
        let mut s = two_dcs();
        s.nodes[2].y = 100.0;
        s.nodes[2].x = 300.0;
        assert_eq!(overlapping_pairs(&frames(&s, |_| true)), 1);
    }

    #[test]
    fn a_node_lands_in_the_frame_that_holds_its_centre() {
        let f = frames(&two_dcs(), |_| true);
        assert_eq!(landing_dc(&f, (610.0, 5.0), None).as_deref(), Some("eu"));
        assert_eq!(
            landing_dc(&f, (610.0, 5.0), Some("us")).as_deref(),
            Some("eu")
        );
        assert_eq!(
            landing_dc(&f, (610.0, 5.0), Some("eu")),
            None,
            "already there"
        );
        // Only the box's corner inside: its centre is outside, so it stays.
        assert_eq!(landing_dc(&f, (600.0 + NODE_W, 0.0), Some("us")), None);
        assert_eq!(landing_dc(&f, (2000.0, 0.0), None), None, "no frame");
        assert_eq!(nearest_dc(&f, (2000.0, 0.0)).as_deref(), Some("eu"));
        assert_eq!(nearest_dc(&f, (-900.0, 900.0)).as_deref(), Some("us"));
        assert_eq!(nearest_dc(&[], (0.0, 0.0)), None);
    }

    #[test]
    fn overlapping_frames_keep_a_node_in_its_own_else_give_it_the_smallest() {
        let s = scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [
                {"id": "a", "kind": "server", "dc": "big", "x": 0, "y": 0},
                {"id": "b", "kind": "server", "dc": "big", "x": 800, "y": 800},
                {"id": "c", "kind": "server", "dc": "small", "x": 400, "y": 400}]}"#,
        )
        .unwrap();
        let f = frames(&s, |_| true);
        assert_eq!(landing_dc(&f, (410.0, 410.0), Some("big")), None);
        assert_eq!(
            landing_dc(&f, (410.0, 410.0), None).as_deref(),
            Some("small")
        );
        assert_eq!(
            landing_dc(&f, (410.0, 410.0), Some("x")).as_deref(),
            Some("small")
        );
    }
}
