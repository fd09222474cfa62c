//! Layout math of the canvas, kept free of the DOM so it is tested natively: node boxes, port
//! positions, screen↔canvas transforms, snapping, fit-to-view and box selection.

/// Width of a node box in canvas units.
pub const NODE_W: f64 = 132.0;
/// Height of a node box.
pub const NODE_H: f64 = 52.0;
/// Grid pitch for snapping.
pub const GRID: f64 = 20.0;
/// How far a data center's frame reaches beyond the boxes in it, left and right.
pub const FRAME_PAD_X: f64 = 16.0;
/// How far a frame reaches above its boxes: room for the data center's name.
pub const FRAME_PAD_TOP: f64 = 28.0;
/// How far a frame reaches below its boxes.
pub const FRAME_PAD_BOTTOM: f64 = 16.0;
/// Screen pixels that fit-to-view leaves free at the top: the zoom buttons and the capacity
/// line float over the canvas there.
const FIT_TOP: f64 = 52.0;
/// Screen pixels that fit-to-view leaves free on the other sides.
const FIT_SIDE: f64 = 24.0;

/// How far from the origin a node may lie, in canvas units: five times what a fitted view
/// shows at the smallest zoom. A node much further out (a hand-edited file or link; at 1e12
/// browsers, drawing SVG in 32-bit floats, cannot draw it at all) could never be seen with
/// the others.
pub const MAX_COORDINATE: f64 = 20_000.0;

/// Moves nodes that lie beyond [`MAX_COORDINATE`] to free spots beside the others (to the
/// right of them); returns how many moved.
pub fn bring_into_reach(s: &mut scaleplay_sim::Scenario) -> usize {
    let far = |x: f64, y: f64| x.abs() > MAX_COORDINATE || y.abs() > MAX_COORDINATE;
    let mut placed: Vec<(f64, f64)> = s
        .nodes
        .iter()
        .filter(|n| !far(n.x, n.y))
        .map(|n| (n.x, n.y))
        .collect();
    let right = placed.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    let top = placed.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let (x0, y0) = if placed.is_empty() {
        (0.0, 0.0)
    } else {
        (right + NODE_W + 2.0 * GRID, top)
    };
    let mut moved = 0;
    for n in s.nodes.iter_mut().filter(|n| far(n.x, n.y)) {
        let spot = free_spot(&placed, x0, y0);
        (n.x, n.y) = spot;
        placed.push(spot);
        moved += 1;
    }
    moved
}

/// The fewest nodes [`lay_out_stacked`] puts one below another before it starts a column
/// beside them; more for many nodes (1.5 √n), so that a thousand make a block about as wide
/// as high on screen.
const STACK_ROWS: usize = 20;

/// Lays out nodes stacked on one another (at exactly the same spot as another node: a file
/// written by hand or by a script, whose nodes have no `x`/`y` and all open at the origin,
/// showed one box with the others under it): in columns by how many calls from a caller-less
/// node they are (users first), one below another in each, each at the nearest free spot.
/// Nodes with a spot of their own stay. Returns how many moved.
pub fn lay_out_stacked(s: &mut scaleplay_sim::Scenario) -> usize {
    let at = |n: &scaleplay_sim::scenario::NodeSpec| (n.x.to_bits(), n.y.to_bits());
    // How many nodes lie at each spot, counted once (comparing every pair was quadratic in a
    // file's nodes).
    let mut at_spot: std::collections::HashMap<(u64, u64), usize> = Default::default();
    for n in &s.nodes {
        *at_spot.entry(at(n)).or_default() += 1;
    }
    let stacked: Vec<usize> = (0..s.nodes.len())
        .filter(|&i| at_spot[&at(&s.nodes[i])] > 1)
        .collect();
    if stacked.is_empty() {
        return 0;
    }
    // Depth: the longest chain of calls from a node nothing calls. At most one pass per node,
    // so that a loop (a file not yet valid) cannot keep it going.
    let index = |id: &str| s.nodes.iter().position(|n| n.id == id);
    let calls: Vec<(usize, usize)> = s
        .edges
        .iter()
        .filter_map(|e| Some((index(&e.from)?, index(&e.to)?)))
        .collect();
    let mut depth = vec![0usize; s.nodes.len()];
    for _ in 0..s.nodes.len() {
        let mut changed = false;
        for &(from, to) in &calls {
            if depth[to] < depth[from] + 1 && depth[from] < s.nodes.len() {
                depth[to] = depth[from] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let (x0, y0) = stacked
        .iter()
        .map(|&i| (s.nodes[i].x, s.nodes[i].y))
        .fold((f64::INFINITY, f64::INFINITY), |a, p| {
            (a.0.min(p.0), a.1.min(p.1))
        });
    let mut placed: Vec<(f64, f64)> = s
        .nodes
        .iter()
        .filter(|n| at_spot[&at(n)] == 1)
        .map(|n| (n.x, n.y))
        .collect();
    let mut order = stacked.clone();
    order.sort_by_key(|&i| (depth[i], i));
    // A depth holding more than `per_column` nodes takes several columns side by side: a
    // thousand servers at one depth made one column 47,000 high, past `MAX_COORDINATE`, so a
    // link or file of the laid-out scenario moved half of them again when opened.
    let count = s.nodes.len();
    let level = |i: usize| depth[i].min(count);
    let mut at_level = vec![0usize; s.nodes.len() + 1];
    for &i in &order {
        at_level[level(i)] += 1;
    }
    let per_column = STACK_ROWS.max((1.5 * (stacked.len() as f64).sqrt()).ceil() as usize);
    let mut first_column = vec![0usize; s.nodes.len() + 2];
    for d in 0..=s.nodes.len() {
        first_column[d + 1] = first_column[d] + at_level[d].div_ceil(per_column);
    }
    let mut rows = vec![0usize; s.nodes.len() + 1];
    for i in order {
        let d = level(i);
        let k = rows[d];
        rows[d] += 1;
        let (column, row) = (first_column[d] + k / per_column, k % per_column);
        let want = (
            x0 + column as f64 * pitch(NODE_W) * 1.5,
            y0 + row as f64 * pitch(NODE_H),
        );
        let spot = free_spot(&placed, want.0, want.1);
        (s.nodes[i].x, s.nodes[i].y) = spot;
        placed.push(spot);
    }
    stacked.len()
}

/// What to tell the user when `laid_out` nodes stacked on one another were spread out.
pub fn laid_out_note(laid_out: usize) -> Option<String> {
    (laid_out > 0).then(|| {
        format!(
            "{laid_out} nodes lay on top of one another (the file gives them no positions, or \
             the same ones): laid out left to right, as they call each other"
        )
    })
}

/// What to tell the user when `moved` nodes were brought into reach.
pub fn moved_note(moved: usize) -> Option<String> {
    (moved > 0).then(|| {
        let nodes = if moved == 1 { "node lay" } else { "nodes lay" };
        format!("{moved} {nodes} more than 20,000 from the origin, too far to show with the others: moved beside them")
    })
}

/// Pan and zoom: a canvas point p appears on screen at `p * zoom + pan`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    /// Screen offset of the canvas origin.
    pub pan_x: f64,
    /// Screen offset of the canvas origin.
    pub pan_y: f64,
    /// Scale factor.
    pub zoom: f64,
}

impl Default for View {
    fn default() -> View {
        View {
            pan_x: 0.0,
            pan_y: 0.0,
            zoom: 1.0,
        }
    }
}

/// Zoom limits. Low enough that Fit shows every node a scenario may hold, even at
/// [`MAX_COORDINATE`] either way, on a canvas of 820 × 520 px (at 0.2 a thousand nodes on a grid
/// ran off the canvas and could not be reached).
pub const MIN_ZOOM: f64 = 0.01;
/// Zoom limits.
pub const MAX_ZOOM: f64 = 3.0;

impl View {
    /// Screen → canvas coordinates.
    pub fn to_canvas(&self, sx: f64, sy: f64) -> (f64, f64) {
        ((sx - self.pan_x) / self.zoom, (sy - self.pan_y) / self.zoom)
    }

    /// Canvas → screen coordinates.
    pub fn to_screen(&self, x: f64, y: f64) -> (f64, f64) {
        (x * self.zoom + self.pan_x, y * self.zoom + self.pan_y)
    }

    /// The top-left corner (canvas coordinates) of a node dropped with its centre at screen
    /// point (sx, sy) of a `width` × `height` view: there, moved in just enough for the whole
    /// box and a grid step around it to show, below the buttons floating along the top
    /// (`FIT_TOP`). A node dropped at the right edge used to sit half out of sight, under
    /// the inspector; at the top, under the zoom buttons.
    pub fn drop_corner(&self, (sx, sy): (f64, f64), (width, height): (f64, f64)) -> (f64, f64) {
        let inside = |v: f64, size: f64, (start, end): (f64, f64)| {
            let half = (size / 2.0 + GRID) * self.zoom;
            if end - start <= 2.0 * half {
                (start + end) / 2.0
            } else {
                v.clamp(start + half, end - half)
            }
        };
        let (cx, cy) = self.to_canvas(
            inside(sx, NODE_W, (0.0, width)),
            inside(sy, NODE_H, (FIT_TOP, height)),
        );
        (cx - NODE_W / 2.0, cy - NODE_H / 2.0)
    }

    /// This view panned just enough for the whole box of a node at canvas point (x, y) to show
    /// on a `width` × `height` canvas, clear of the buttons along its top (`FIT_TOP`) and a
    /// grid step from its other edges; unchanged when it shows already. (A box wider than the
    /// canvas at this zoom is shown from its left edge.)
    pub fn showing(&self, (x, y): (f64, f64), (width, height): (f64, f64)) -> View {
        let shift = |near: f64, far: f64, (start, end): (f64, f64)| {
            if far > end {
                (end - far).max(start - near)
            } else if near < start {
                start - near
            } else {
                0.0
            }
        };
        let (left, top) = self.to_screen(x, y);
        let (right, bottom) = self.to_screen(x + NODE_W, y + NODE_H);
        View {
            pan_x: self.pan_x + shift(left, right, (GRID, width - GRID)),
            pan_y: self.pan_y + shift(top, bottom, (FIT_TOP, height - GRID)),
            zoom: self.zoom,
        }
    }

    /// The view after the canvas lost height, from `old_height` to `new_height` (a run's notes
    /// grew the panel below it): moved up just enough that the nodes at `points` that were in
    /// full sight stay so, as far as the lost height allows and without pushing the highest of
    /// them under the tools. Kept as it is when it grew, or when none of them is cut off.
    pub fn after_shrinking(&self, points: &[(f64, f64)], old_height: f64, new_height: f64) -> View {
        if new_height >= old_height {
            return *self;
        }
        let seen: Vec<(f64, f64)> = points
            .iter()
            .map(|&(x, y)| (self.to_screen(x, y).1, self.to_screen(x, y + NODE_H).1))
            .filter(|&(top, bottom)| top >= 0.0 && bottom <= old_height)
            .collect();
        let lowest = seen.iter().map(|s| s.1).fold(f64::NEG_INFINITY, f64::max);
        let highest = seen.iter().map(|s| s.0).fold(f64::INFINITY, f64::min);
        // With the margin a node brought into sight keeps from the edge (`showing`): its
        // outline and ports reach past its box.
        let cut_off = lowest - (new_height - GRID);
        if seen.is_empty() || cut_off <= 0.0 {
            return *self;
        }
        let up = cut_off
            .min(old_height - new_height)
            .min((highest - FIT_TOP).max(0.0));
        View {
            pan_y: self.pan_y - up,
            ..*self
        }
    }

    /// Zooms by `factor` keeping the screen point (sx, sy) fixed.
    pub fn zoom_at(&self, factor: f64, sx: f64, sy: f64) -> View {
        let zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let (cx, cy) = self.to_canvas(sx, sy);
        View {
            pan_x: sx - cx * zoom,
            pan_y: sy - cy * zoom,
            zoom,
        }
    }

    /// Two-finger pinch: from `self` when the fingers were `d0` apart around `mid0`, to fingers
    /// `d` apart around `mid` (zoom by the spread, pan by the midpoint's travel).
    pub fn pinch(&self, d0: f64, mid0: (f64, f64), d: f64, mid: (f64, f64)) -> View {
        if d0 <= 0.0 || d <= 0.0 {
            return *self;
        }
        let z = self.zoom_at(d / d0, mid0.0, mid0.1);
        View {
            pan_x: z.pan_x + mid.0 - mid0.0,
            pan_y: z.pan_y + mid.1 - mid0.1,
            zoom: z.zoom,
        }
    }

    /// The view that shows every box (x, y of top-left corners), with its data center's frame,
    /// inside a `w`×`h` screen, below the toolbar that floats over the canvas's top.
    pub fn fit(points: &[(f64, f64)], w: f64, h: f64) -> View {
        View::fit_below(points, w, h, FIT_TOP)
    }

    /// [`View::fit`], leaving `top` screen pixels free at the top (at least as many as it
    /// leaves): the buttons and the capacity line there take two or three lines in a narrow
    /// window, and covered the top of the drawing.
    pub fn fit_below(points: &[(f64, f64)], w: f64, h: f64, top: f64) -> View {
        let top = top.max(FIT_TOP);
        if points.is_empty() || w <= 0.0 || h <= 0.0 {
            return View::default();
        }
        let min_x = points.iter().map(|p| p.0).fold(f64::INFINITY, f64::min) - FRAME_PAD_X;
        let min_y = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min) - FRAME_PAD_TOP;
        let max_x = points
            .iter()
            .map(|p| p.0 + NODE_W + FRAME_PAD_X)
            .fold(f64::NEG_INFINITY, f64::max);
        let max_y = points
            .iter()
            .map(|p| p.1 + NODE_H + FRAME_PAD_BOTTOM)
            .fold(f64::NEG_INFINITY, f64::max);
        // The free part of the screen; a tiny canvas still gets a view (clamped zoom).
        let free_w = (w - 2.0 * FIT_SIDE).max(1.0);
        let free_h = (h - top - FIT_SIDE).max(1.0);
        let zoom = (free_w / (max_x - min_x))
            .min(free_h / (max_y - min_y))
            .clamp(MIN_ZOOM, 1.5);
        let cx = (min_x + max_x) / 2.0;
        let cy = (min_y + max_y) / 2.0;
        View {
            pan_x: FIT_SIDE + free_w / 2.0 - cx * zoom,
            pan_y: top + free_h / 2.0 - cy * zoom,
            zoom,
        }
    }
}

/// Rounds to the grid.
pub fn snap(v: f64) -> f64 {
    (v / GRID).round() * GRID
}

/// A box and a gap, rounded up to the grid so that slots one pitch apart stay on it.
fn pitch(size: f64) -> f64 {
    ((size + 2.0 * GRID) / GRID).ceil() * GRID
}

/// Whether a node box at `p` keeps at least a grid step from every node box at `nodes`.
pub fn clear_of(nodes: &[(f64, f64)], (x, y): (f64, f64)) -> bool {
    nodes
        .iter()
        .all(|(nx, ny)| (nx - x).abs() >= NODE_W + GRID || (ny - y).abs() >= NODE_H + GRID)
}

/// One row of boxes down: a box and a gap, on the grid.
pub fn row_pitch() -> f64 {
    pitch(NODE_H)
}

/// One column of boxes along: a box and a gap, on the grid.
pub fn column_pitch() -> f64 {
    pitch(NODE_W)
}

/// The slot to the right of a node at (x, y), one box and a gap along.
pub fn beside(x: f64, y: f64) -> (f64, f64) {
    (x + pitch(NODE_W), y)
}

/// Where a node added at (x, y) (from the palette by click or keyboard) goes: there if no node
/// is in the way, else the nearest free slot of a grid around it, one box and a gap apart, so
/// nodes added one after another do not land on top of each other (hiding each other, and the
/// wire a person then drew went to the hidden one). Among slots as near, right comes first,
/// then below, above and left: a drawing reads left to right, callers before callees.
pub fn free_spot(nodes: &[(f64, f64)], x: f64, y: f64) -> (f64, f64) {
    let clear = |p: (f64, f64)| clear_of(nodes, p);
    let (dx, dy) = (pitch(NODE_W), pitch(NODE_H));
    for ring in 0..12i32 {
        // The ring's slots, nearest first (straight beside, below and above before corners),
        // rightmost, then lowest, first among equals.
        let mut slots: Vec<(i32, i32)> = (-ring..=ring)
            .flat_map(|i| (-ring..=ring).map(move |j| (i, j)))
            .filter(|(i, j)| i.abs().max(j.abs()) == ring)
            .collect();
        slots.sort_by_key(|(i, j)| (i * i + j * j, -i, -j));
        for (i, j) in slots {
            let spot = (x + f64::from(i) * dx, y + f64::from(j) * dy);
            if clear(spot) {
                return spot;
            }
        }
    }
    (x, y)
}

/// The output port (right middle) of a node at (x, y).
pub fn out_port(x: f64, y: f64) -> (f64, f64) {
    (x + NODE_W, y + NODE_H / 2.0)
}

/// The input port (left middle) of a node at (x, y).
pub fn in_port(x: f64, y: f64) -> (f64, f64) {
    (x, y + NODE_H / 2.0)
}

/// Whether canvas point (px, py) is inside the node box at (x, y).
pub fn hit(x: f64, y: f64, px: f64, py: f64) -> bool {
    px >= x && px <= x + NODE_W && py >= y && py <= y + NODE_H
}

/// Whether the node box at (x, y) intersects the rectangle spanned by two corners.
pub fn in_box(x: f64, y: f64, a: (f64, f64), b: (f64, f64)) -> bool {
    let (lx, hx) = (a.0.min(b.0), a.0.max(b.0));
    let (ly, hy) = (a.1.min(b.1), a.1.max(b.1));
    x + NODE_W >= lx && x <= hx && y + NODE_H >= ly && y <= hy
}

/// A smooth wire from an output port to an input port (SVG path data).
pub fn wire(a: (f64, f64), b: (f64, f64)) -> String {
    let mut d = format!("M {:.1} {:.1}", a.0, a.1);
    for [_, p1, p2, p3] in wire_curves(a, b) {
        d += &format!(
            " C {:.1} {:.1}, {:.1} {:.1}, {:.1} {:.1}",
            p1.0, p1.1, p2.0, p2.1, p3.0, p3.1
        );
    }
    d
}

/// The cubic Béziers of [`wire`], end to end: it leaves `a` to the right and enters `b` from
/// the left. Forward, one S-curve. Back to a node left of its caller, it turns round beside
/// the caller's box, runs along a lane clear of both boxes (below them, or in the gap between
/// them), and turns round again into the callee: drawn as one S-curve, a wire to a node at
/// the same height ran straight through both boxes and read as the opposite call.
fn wire_curves(a: (f64, f64), b: (f64, f64)) -> Vec<[(f64, f64); 4]> {
    const TURN: f64 = 40.0;
    let ahead = b.0 - a.0;
    if ahead >= 0.0 {
        // Tangents half the way across: longer ones overshoot into a callee close by.
        let dx = ahead / 2.0;
        return vec![[a, (a.0 + dx, a.1), (b.0 - dx, b.1), b]];
    }
    // Ports are at the middle of their boxes' heights: between two boxes one above the
    // other, the lane runs in the gap; else below both.
    let lane = if (b.1 - a.1).abs() > NODE_H {
        (a.1 + b.1) / 2.0
    } else {
        a.1.max(b.1) + NODE_H / 2.0 + 20.0
    };
    let from = (a.0, lane);
    let to = (b.0, lane);
    let third = (to.0 - from.0) / 3.0;
    vec![
        [a, (a.0 + TURN, a.1), (a.0 + TURN, lane), from],
        [from, (from.0 + third, lane), (to.0 - third, lane), to],
        [to, (b.0 - TURN, lane), (b.0 - TURN, b.1), b],
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_canvas_that_loses_height_keeps_the_nodes_it_showed_in_sight() {
        let view = View {
            pan_x: 0.0,
            pan_y: 0.0,
            zoom: 1.0,
        };
        // Nodes at 200 and 560 (bottom 612) on a 689-pixel canvas that shrinks to 555.
        let points = [(0.0, 200.0), (0.0, 560.0)];
        let moved = view.after_shrinking(&points, 689.0, 555.0);
        assert_eq!(
            moved.pan_y, -77.0,
            "up by what is cut off, with a margin: 612 - (555 - 20)"
        );
        // No further than the height lost, nor to push the highest under the tools.
        let far = view.after_shrinking(&[(0.0, 60.0), (0.0, 630.0)], 689.0, 655.0);
        assert_eq!(
            far.pan_y, -8.0,
            "the highest at 60 may go up to FIT_TOP (52)"
        );
        // Grown, or nothing cut off, or nothing in sight before: as it was.
        assert_eq!(view.after_shrinking(&points, 555.0, 689.0), view);
        assert_eq!(view.after_shrinking(&[(0.0, 200.0)], 689.0, 555.0), view);
        assert_eq!(view.after_shrinking(&[(0.0, 900.0)], 689.0, 555.0), view);
    }

    #[test]
    fn nodes_stacked_on_one_another_are_laid_out_by_their_calls() {
        // A file with no positions: every node at the origin.
        let mut s = scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [
                {"id": "db", "kind": "sql_primary"},
                {"id": "users", "kind": "client"},
                {"id": "web", "kind": "server"},
                {"id": "cache", "kind": "cache"},
                {"id": "far", "kind": "server", "x": 900, "y": 500}],
              "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "db"},
                        {"from": "web", "to": "cache"}]}"#,
        )
        .expect("parses");
        assert_eq!(lay_out_stacked(&mut s), 4);
        let at = |id: &str| s.node(id).map(|n| (n.x, n.y)).expect("node");
        // Callers left of what they call; the two called by web one above the other.
        assert!(at("users").0 < at("web").0 && at("web").0 < at("db").0);
        assert_eq!(at("db").0, at("cache").0);
        assert_ne!(at("db").1, at("cache").1);
        // No box on another, and a node with a spot of its own stays there.
        for (i, a) in s.nodes.iter().enumerate() {
            for b in &s.nodes[i + 1..] {
                assert!(clear_of(&[(a.x, a.y)], (b.x, b.y)), "{} on {}", a.id, b.id);
            }
        }
        assert_eq!(at("far"), (900.0, 500.0));
        assert!(laid_out_note(4)
            .unwrap()
            .starts_with("4 nodes lay on top of one another"));
        // Laid out, nothing more to do; a loop (a file not yet valid) does not hang it.
        assert_eq!(lay_out_stacked(&mut s), 0);
        assert_eq!(laid_out_note(0), None);
        s.edges.push(scaleplay_sim::scenario::EdgeSpec {
            from: "db".into(),
            to: "users".into(),
            ..s.edges[0].clone()
        });
        for n in &mut s.nodes {
            (n.x, n.y) = (0.0, 0.0);
        }
        assert_eq!(lay_out_stacked(&mut s), 5);
    }

    #[test]
    fn a_thousand_stacked_nodes_are_laid_out_within_reach() {
        // One client calling 999 servers: all at depth 1, which one column made 47,000 high.
        let mut nodes = vec![serde_json::json!({"id": "users", "kind": "client"})];
        let mut edges = Vec::new();
        for k in 0..999 {
            nodes.push(serde_json::json!({"id": format!("web{k}"), "kind": "server"}));
            edges.push(serde_json::json!({"from": "users", "to": format!("web{k}")}));
        }
        let text = serde_json::json!({"version": 1, "nodes": nodes, "edges": edges}).to_string();
        let mut s = scaleplay_sim::validate::parse(&text).unwrap();
        assert_eq!(lay_out_stacked(&mut s), 1000);
        let far = |v: f64| v.abs() > MAX_COORDINATE / 2.0;
        assert!(!s.nodes.iter().any(|n| far(n.x) || far(n.y)));
        let tallest = s.nodes.iter().map(|n| n.y).fold(0.0, f64::max);
        let widest = s.nodes.iter().map(|n| n.x).fold(0.0, f64::max);
        assert!(
            tallest < 5_000.0 && widest < 8_000.0,
            "{widest} x {tallest}"
        );
        // Opened again (a link, a file), nothing moves.
        let before = s.clone();
        assert_eq!(bring_into_reach(&mut s), 0);
        assert_eq!(lay_out_stacked(&mut s), 0);
        assert_eq!(s, before);
    }

    #[test]
    fn nodes_too_far_out_are_brought_into_reach() {
        let preset = scaleplay_sim::presets::find("02").expect("preset 02");
        let mut s = scaleplay_sim::validate::parse(preset.json).expect("parses");
        let untouched = s.clone();
        assert_eq!(bring_into_reach(&mut s), 0);
        assert_eq!(s, untouched);
        assert_eq!(moved_note(0), None);
        s.nodes[1].x = 1e12;
        s.nodes[2].y = -1e300;
        assert_eq!(bring_into_reach(&mut s), 2);
        // Beside the others, apart from them and from each other.
        let right = [0, 3]
            .map(|i| untouched.nodes[i].x)
            .into_iter()
            .fold(0.0, f64::max);
        for i in [1, 2] {
            let n = &s.nodes[i];
            assert!(n.x > right && n.x < right + 1_000.0, "{}", n.x);
            assert!(n.y.abs() < 2_000.0, "{}", n.y);
        }
        assert_ne!((s.nodes[1].x, s.nodes[1].y), (s.nodes[2].x, s.nodes[2].y));
        assert_eq!(
            (s.nodes[0].x, s.nodes[3].y),
            (untouched.nodes[0].x, untouched.nodes[3].y)
        );
        assert!(moved_note(2)
            .unwrap()
            .starts_with("2 nodes lay more than 20,000"));
    }

    #[test]
    fn a_node_dropped_at_the_edge_of_the_view_is_moved_in_whole() {
        let v = View {
            pan_x: 40.0,
            pan_y: 10.0,
            zoom: 2.0,
        };
        let view = (1000.0, 600.0);
        // Well inside: centred on the pointer.
        let (x, y) = v.drop_corner((500.0, 300.0), view);
        assert_eq!(
            v.to_screen(x + NODE_W / 2.0, y + NODE_H / 2.0),
            (500.0, 300.0)
        );
        // At each edge, and beyond it: the box and a grid step around it show, below the
        // buttons along the top.
        for pointer in [
            (999.0, 300.0),
            (0.0, 300.0),
            (500.0, 599.0),
            (500.0, 0.0),
            (1200.0, -50.0),
        ] {
            let (x, y) = v.drop_corner(pointer, view);
            let (left, top) = v.to_screen(x - GRID, y - GRID);
            let (right, bottom) = v.to_screen(x + NODE_W + GRID, y + NODE_H + GRID);
            assert!(
                left >= -1e-9 && top >= FIT_TOP - 1e-9,
                "{pointer:?}: {left}, {top}"
            );
            assert!(
                right <= 1000.0 + 1e-9 && bottom <= 600.0 + 1e-9,
                "{pointer:?}"
            );
        }
        // A view too small for a box: centred in it.
        let (x, _) = v.drop_corner((90.0, 300.0), (200.0, 600.0));
        assert_eq!(v.to_screen(x + NODE_W / 2.0, 0.0).0, 100.0);
    }

    #[test]
    fn screen_and_canvas_round_trip_and_zoom_keeps_the_pointer_still() {
        let v = View {
            pan_x: 10.0,
            pan_y: -5.0,
            zoom: 2.0,
        };
        let (x, y) = v.to_canvas(110.0, 95.0);
        assert_eq!((x, y), (50.0, 50.0));
        assert_eq!(v.to_screen(x, y), (110.0, 95.0));
        let z = v.zoom_at(1.5, 110.0, 95.0);
        assert_eq!(z.to_canvas(110.0, 95.0), (50.0, 50.0));
        assert_eq!(v.zoom_at(100.0, 0.0, 0.0).zoom, MAX_ZOOM);
    }

    #[test]
    fn pinch_zooms_by_spread_and_follows_the_midpoint() {
        let v = View::default();
        let p = v.pinch(100.0, (50.0, 50.0), 200.0, (60.0, 50.0));
        assert_eq!(p.zoom, 2.0);
        // The canvas point under the starting midpoint is now under the new midpoint.
        assert_eq!(p.to_screen(50.0, 50.0), (60.0, 50.0));
        assert_eq!(v.pinch(0.0, (0.0, 0.0), 10.0, (0.0, 0.0)), v);
    }

    #[test]
    fn a_view_pans_just_enough_to_show_a_node() {
        let v = View::default();
        let size = (800.0, 500.0);
        // Already in view: as it was.
        assert_eq!(v.showing((100.0, 100.0), size), v);
        // Off the right: its right edge a grid step in from the canvas's.
        let moved = v.showing((900.0, 100.0), size);
        assert_eq!(moved.to_screen(900.0 + NODE_W, 0.0).0, 800.0 - GRID);
        assert_eq!((moved.pan_y, moved.zoom), (0.0, 1.0));
        // Off the top: under the buttons.
        let moved = v.showing((100.0, -300.0), size);
        assert_eq!(moved.to_screen(0.0, -300.0).1, FIT_TOP);
        assert_eq!(moved.pan_x, 0.0);
    }

    #[test]
    fn a_taken_spot_gives_way_to_the_right_first_then_below() {
        let (dx, dy) = (pitch(NODE_W), pitch(NODE_H));
        let mut nodes = vec![(340.0, 220.0)];
        assert_eq!(free_spot(&nodes, 340.0, 220.0), (340.0 + dx, 220.0));
        nodes.push((340.0 + dx, 220.0));
        assert_eq!(free_spot(&nodes, 340.0, 220.0), (340.0, 220.0 + dy));
        assert_eq!(beside(340.0, 220.0), (340.0 + dx, 220.0));
    }

    #[test]
    fn nodes_added_one_after_another_do_not_stack() {
        let mut nodes = Vec::new();
        for _ in 0..30 {
            let spot = free_spot(&nodes, 340.0, 220.0);
            assert!(
                nodes.iter().all(|(x, y): &(f64, f64)| {
                    (x - spot.0).abs() >= NODE_W || (y - spot.1).abs() >= NODE_H
                }),
                "{spot:?} overlaps one of {nodes:?}"
            );
            assert_eq!((snap(spot.0), snap(spot.1)), spot, "on the grid");
            nodes.push(spot);
        }
        // The first goes where asked; the next ones stay close.
        assert_eq!(nodes[0], (340.0, 220.0));
        assert!(nodes
            .iter()
            .all(|(x, y)| (x - 340.0).abs() < 800.0 && (y - 220.0).abs() < 500.0));
    }

    #[test]
    fn a_fit_below_a_taller_toolbar_starts_below_it() {
        let pts = [(0.0, 0.0), (1000.0, 500.0)];
        let v = View::fit_below(&pts, 500.0, 300.0, 96.0);
        let (_, top) = v.to_screen(0.0 - FRAME_PAD_X, 0.0 - FRAME_PAD_TOP);
        assert!(top >= 96.0 - 1e-9, "{top}");
        // Never less room than the plain fit leaves.
        assert_eq!(
            View::fit_below(&pts, 500.0, 300.0, 0.0),
            View::fit(&pts, 500.0, 300.0)
        );
    }

    #[test]
    fn fit_shows_every_node_with_its_frame_below_the_toolbar() {
        for (w, h) in [(800.0, 600.0), (600.0, 900.0), (1200.0, 300.0)] {
            let pts = [(0.0, 0.0), (1000.0, 500.0), (-200.0, 80.0)];
            let v = View::fit(&pts, w, h);
            for (x, y) in pts {
                let (sx, sy) = v.to_screen(x - FRAME_PAD_X, y - FRAME_PAD_TOP);
                let (ex, ey) = v.to_screen(x + NODE_W + FRAME_PAD_X, y + NODE_H + FRAME_PAD_BOTTOM);
                assert!(
                    sx >= FIT_SIDE - 1e-9 && sy >= FIT_TOP - 1e-9,
                    "{w}x{h}: {sx}, {sy}"
                );
                assert!(
                    ex <= w - FIT_SIDE + 1e-9 && ey <= h - FIT_SIDE + 1e-9,
                    "{w}x{h}"
                );
            }
        }
        // The farthest nodes an opened scenario keeps, and a thousand on a grid, fit whole.
        let corners = [
            (-MAX_COORDINATE, -MAX_COORDINATE),
            (MAX_COORDINATE, MAX_COORDINATE),
        ];
        let grid: Vec<(f64, f64)> = (0..1000)
            .map(|i| (f64::from(i % 40) * 200.0, f64::from(i / 40) * 100.0))
            .collect();
        for (pts, (w, h)) in [(&corners[..], (820.0, 520.0)), (&grid[..], (820.0, 350.0))] {
            let v = View::fit(pts, w, h);
            for &(x, y) in pts {
                let (sx, sy) = v.to_screen(x, y);
                let (ex, ey) = v.to_screen(x + NODE_W, y + NODE_H);
                assert!(sx >= 0.0 && sy >= FIT_TOP - 1e-9, "{x}, {y}: {sx}, {sy}");
                assert!(ex <= w && ey <= h, "{x}, {y}: {ex}, {ey}");
            }
        }
        // One node is centred in the free part of the screen, at the largest zoom allowed.
        let v = View::fit(&[(0.0, 0.0)], 800.0, 600.0);
        assert_eq!(v.zoom, 1.5);
        let (sx, _) = v.to_screen(NODE_W / 2.0, 0.0);
        assert!((sx - 400.0).abs() < 1e-9);
    }

    #[test]
    fn snapping_hits_and_boxes() {
        assert_eq!(snap(29.0), 20.0);
        assert_eq!(snap(31.0), 40.0);
        assert!(hit(0.0, 0.0, 10.0, 10.0) && !hit(0.0, 0.0, -1.0, 10.0));
        assert!(in_box(100.0, 100.0, (0.0, 0.0), (110.0, 110.0)));
        assert!(!in_box(100.0, 100.0, (0.0, 0.0), (90.0, 90.0)));
        assert!(wire((0.0, 0.0), (100.0, 0.0)).starts_with("M 0.0 0.0 C"));
    }

    /// Points along a wire from the node at `from` (its output port) to the one at `to`.
    fn along(from: (f64, f64), to: (f64, f64)) -> Vec<(f64, f64)> {
        let curves = wire_curves(out_port(from.0, from.1), in_port(to.0, to.1));
        curves
            .iter()
            .flat_map(|[p0, p1, p2, p3]| {
                (1..100).map(move |k| {
                    let t = f64::from(k) / 100.0;
                    let u = 1.0 - t;
                    let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
                    (
                        w[0] * p0.0 + w[1] * p1.0 + w[2] * p2.0 + w[3] * p3.0,
                        w[0] * p0.1 + w[1] * p1.1 + w[2] * p2.1 + w[3] * p3.1,
                    )
                })
            })
            .collect()
    }

    #[test]
    fn a_wire_never_runs_through_the_boxes_it_joins() {
        let inside = |(x, y): (f64, f64), n: (f64, f64)| {
            x > n.0 + 1.0 && x < n.0 + NODE_W - 1.0 && y > n.1 + 1.0 && y < n.1 + NODE_H - 1.0
        };
        // Callees all round the caller (as far as their boxes stay apart), forward and back:
        // a cache put left of its caller at the same height among them.
        let caller = (400.0, 200.0);
        for x in (-400..=1200).step_by(20) {
            for y in (-300..=700).step_by(20) {
                let callee = (f64::from(x), f64::from(y));
                if (callee.0 - caller.0).abs() < NODE_W + 10.0
                    && (callee.1 - caller.1).abs() < NODE_H + 10.0
                {
                    continue; // the boxes overlap
                }
                for p in along(caller, callee) {
                    assert!(
                        !inside(p, caller) && !inside(p, callee),
                        "{caller:?} -> {callee:?} passes {p:?}"
                    );
                }
            }
        }
        // A wire back at the same height runs below both boxes.
        let lowest = along(caller, (100.0, 200.0))
            .into_iter()
            .map(|p| p.1)
            .fold(f64::MIN, f64::max);
        assert!(lowest > 200.0 + NODE_H, "{lowest}");
    }
}
