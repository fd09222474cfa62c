//! What holds a node down during a run, read from the faults the run has: its schedule and
//! those injected by hand, which the app writes into the schedule. The engine holds a node
//! down for each cause apart (its own failure, its data center's outage, a random failure),
//! and a node's recovery ends its own failure only. So "Fail now" on a node its own failure
//! already holds, or "Recover now" on one it does not, changes nothing: no fault is added to
//! the schedule for it, and the banner says why.

use scaleplay_sim::scenario::{FaultAction, FaultSpec};

/// Whether the node's own failure holds it down at `now_s`: the last of its faults by then is
/// a failure (faults of one instant happen in schedule order). `None` when one of them is of
/// a single instance: whether the node is held is then a matter of instances, which the engine
/// alone knows.
pub fn own_failure(faults: &[FaultSpec], node: &str, now_s: f64) -> Option<bool> {
    let mine: Vec<&FaultSpec> = faults
        .iter()
        .filter(|f| f.node.as_deref() == Some(node) && f.at_s <= now_s)
        .collect();
    if mine.iter().any(|f| f.instance.is_some()) {
        return None;
    }
    Some(last_is_failure(mine))
}

/// Whether data center `dc` is out at `now_s`: the last of its outages' faults by then is a
/// failure.
pub fn data_center_out(faults: &[FaultSpec], dc: &str, now_s: f64) -> bool {
    last_is_failure(
        faults
            .iter()
            .filter(|f| f.node.is_none() && f.dc.as_deref() == Some(dc) && f.at_s <= now_s),
    )
}

/// Whether the latest of `faults` is a failure (of equal times, the last listed: `max_by`
/// keeps the last of equal elements).
fn last_is_failure<'a>(faults: impl IntoIterator<Item = &'a FaultSpec>) -> bool {
    faults
        .into_iter()
        .max_by(|a, b| a.at_s.total_cmp(&b.at_s))
        .is_some_and(|f| f.action == FaultAction::Fail)
}

/// What the banner says of a node that is still down after "Recover now", the cause that
/// holds it first: its data center's outage (`dc_out`), else a random failure when it has an
/// `mtbf_s`.
pub fn stays_down(node: &str, dc_out: Option<&str>, random: bool) -> String {
    match (dc_out, random) {
        (Some(dc), _) => format!(
            "\"{node}\" stays down: its data center \"{dc}\" is out until that recovers"
        ),
        (None, true) => format!(
            "\"{node}\" stays down: it failed at random (its mtbf_s) and comes back after its repair time (mttr_s)"
        ),
        (None, false) => format!("\"{node}\" stays down: another fault still holds it"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(node: Option<&str>, dc: Option<&str>, at_s: f64, action: FaultAction) -> FaultSpec {
        FaultSpec {
            node: node.map(str::to_string),
            dc: dc.map(str::to_string),
            at_s,
            action,
            instance: None,
        }
    }

    #[test]
    fn the_last_own_fault_by_now_tells_whether_it_holds_the_node() {
        use FaultAction::{Fail, Recover};
        let faults = vec![
            fault(Some("web"), None, 10.0, Fail),
            fault(Some("db"), None, 12.0, Recover),
            fault(Some("web"), None, 20.0, Recover),
            // Of one instant, the one listed last happens last.
            fault(Some("web"), None, 30.0, Recover),
            fault(Some("web"), None, 30.0, Fail),
        ];
        assert_eq!(own_failure(&faults, "web", 5.0), Some(false));
        assert_eq!(own_failure(&faults, "web", 10.0), Some(true));
        assert_eq!(own_failure(&faults, "web", 15.0), Some(true));
        assert_eq!(own_failure(&faults, "web", 25.0), Some(false));
        assert_eq!(own_failure(&faults, "web", 31.0), Some(true));
        assert_eq!(own_failure(&faults, "db", 31.0), Some(false));
        let mut one = fault(Some("web"), None, 1.0, Fail);
        one.instance = Some(0);
        assert_eq!(own_failure(&[one], "web", 5.0), None);
    }

    #[test]
    fn a_data_center_is_out_between_its_outage_and_its_recovery() {
        use FaultAction::{Fail, Recover};
        let faults = vec![
            fault(None, Some("east"), 10.0, Fail),
            fault(Some("east"), None, 11.0, Recover),
            fault(None, Some("east"), 20.0, Recover),
        ];
        assert!(!data_center_out(&faults, "east", 5.0));
        assert!(data_center_out(&faults, "east", 15.0));
        assert!(!data_center_out(&faults, "east", 25.0));
        assert!(!data_center_out(&faults, "west", 15.0));
    }

    #[test]
    fn a_node_still_down_is_said_to_stay_down_with_its_cause() {
        assert_eq!(
            stays_down("web1", Some("east"), true),
            "\"web1\" stays down: its data center \"east\" is out until that recovers"
        );
        assert!(stays_down("web1", None, true).contains("at random"));
        assert!(stays_down("web1", None, false).contains("stays down"));
    }
}
