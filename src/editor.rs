//! The canvas editor: the scenario's nodes and edges drawn in SVG, moved, connected, selected,
//! panned and zoomed. The canvas keeps the wire being dragged; pan, zoom and the selection are
//! contexts of [`crate::state`]; changes to the scenario go through [`edits::apply`].

pub mod canvas;
pub mod clipboard;
pub mod data_centers;
pub mod edits;
pub mod geometry;
pub mod label_fit;

use scaleplay_sim::scenario::Kind;

/// The palette's label for a kind.
pub fn palette_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Client => "Users",
        Kind::Dns => "DNS",
        Kind::Cdn => "CDN",
        Kind::LoadBalancer => "Load balancer",
        Kind::Server => "Server",
        Kind::SessionStore => "Session store",
        Kind::Cache => "Cache",
        Kind::SqlPrimary => "SQL primary",
        Kind::SqlReplica => "SQL replica",
        Kind::Nosql => "NoSQL",
        Kind::ShardRouter => "Shard router",
        Kind::Queue => "Queue",
        Kind::WorkerPool => "Worker pool",
        Kind::ObjectStore => "Object store",
    }
}

/// A short badge for a kind: plain letters, so it renders with any font (no emoji needed).
pub fn icon(kind: Kind) -> &'static str {
    match kind {
        Kind::Client => "USR",
        Kind::Dns => "DNS",
        Kind::Cdn => "CDN",
        Kind::LoadBalancer => "LB",
        Kind::Server => "SRV",
        Kind::SessionStore => "SES",
        Kind::Cache => "$",
        Kind::SqlPrimary => "SQL",
        Kind::SqlReplica => "REP",
        Kind::Nosql => "KV",
        Kind::ShardRouter => "SHD",
        Kind::Queue => "Q",
        Kind::WorkerPool => "WRK",
        Kind::ObjectStore => "OBJ",
    }
}
