//! The key to the plots' vertical lines: what red and green mean, and which node failed or
//! recovered at each time. The lines alone do not say which node they are about, and with a
//! handful of scheduled and random faults a plot has several.

use leptos::prelude::*;
use scaleplay_sim::engine::FaultRecord;
use scaleplay_sim::scenario::FaultAction;

use crate::runner::Run;

/// Faults listed by name; the rest are counted ("and 12 more"), so a run with random failures
/// every few seconds does not push the plots out of view.
const LISTED: usize = 8;

/// One fault as the key lists it: `"60 s box failed"`, `"75.5 s web instance 2 recovered
/// (random)"`. Scheduled faults are what the user wrote, so only other sources are named.
pub fn fault_text(f: &FaultRecord) -> String {
    let what = match f.action {
        FaultAction::Fail => "failed",
        FaultAction::Recover => "recovered",
    };
    let instance = f
        .instance
        .map_or_else(String::new, |i| format!(" instance {i}"));
    let source = match f.source.as_str() {
        "scheduled" => String::new(),
        other => format!(" ({other})"),
    };
    format!("{} s {}{instance} {what}{source}", seconds(f.t_s), f.node)
}

/// A time as few digits as it needs: `60`, `75.5`, `0.25`.
fn seconds(t: f64) -> String {
    let text = format!("{t:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The faults listed by name (in time order, as they happened) and how many are left out,
/// counting the `unlisted` ones the report itself only counts (`run.faults_unlisted`).
pub fn listed(faults: &[FaultRecord], unlisted: u64) -> (Vec<&FaultRecord>, u64) {
    let shown: Vec<&FaultRecord> = faults.iter().take(LISTED).collect();
    let more = (faults.len() - shown.len()) as u64 + unlisted;
    (shown, more)
}

/// Under the plots, when the run has faults: the colours, then the faults themselves, each
/// coloured like its line.
#[component]
pub fn FaultKey() -> impl IntoView {
    let run = expect_context::<Run>();
    // The report changes many times a second during a run; its faults rarely do.
    let faults = Memo::new(move |_| {
        run.report.with(|r| {
            r.as_ref()
                .map(|r| (r.faults.clone(), r.run.faults_unlisted))
                .unwrap_or_default()
        })
    });
    move || {
        faults.with(|(faults, unlisted)| {
            if faults.is_empty() {
                return None;
            }
            let (shown, more) = listed(faults, *unlisted);
            let items = shown
                .into_iter()
                .map(|f| {
                    let class = match f.action {
                        FaultAction::Fail => "fault-fail",
                        FaultAction::Recover => "fault-recover",
                    };
                    view! { <li class=class>{fault_text(f)}</li> }
                })
                .collect_view();
            let rest = (more > 0)
                .then(|| view! { <li class="fault-more">{format!("and {more} more")}</li> });
            Some(view! {
                <div class="fault-key" data-testid="fault-key"
                    data-faults=faults.len() as u64 + unlisted>
                    <span class="fault-key-title">"Vertical lines: "</span>
                    <span class="fault-fail">"red, a node failed"</span>
                    ", "
                    <span class="fault-recover">"green, it recovered"</span>
                    "."
                    <ul class="fault-key-list">{items}{rest}</ul>
                </div>
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(
        t_s: f64,
        node: &str,
        action: FaultAction,
        instance: Option<u32>,
        source: &str,
    ) -> FaultRecord {
        FaultRecord {
            t_s,
            node: node.into(),
            action,
            instance,
            source: source.into(),
        }
    }

    #[test]
    fn a_fault_reads_as_time_node_and_what_happened() {
        let f = fault(60.0, "box", FaultAction::Fail, None, "scheduled");
        assert_eq!(fault_text(&f), "60 s box failed");
        let f = fault(75.5, "web", FaultAction::Recover, Some(2), "random");
        assert_eq!(fault_text(&f), "75.5 s web instance 2 recovered (random)");
        let f = fault(0.25, "db", FaultAction::Fail, None, "manual");
        assert_eq!(fault_text(&f), "0.25 s db failed (manual)");
    }

    #[test]
    fn many_faults_are_listed_up_to_a_limit_and_counted_past_it() {
        let faults: Vec<FaultRecord> = (0..20)
            .map(|k| fault(f64::from(k), "web", FaultAction::Fail, Some(0), "random"))
            .collect();
        let (shown, more) = listed(&faults, 0);
        assert_eq!(shown.len(), LISTED);
        assert_eq!(more, 20 - LISTED as u64);
        // Those past the report's own limit are counted too.
        assert_eq!(listed(&faults, 1000).1, 1000 + 20 - LISTED as u64);
        assert_eq!(shown[0].t_s, 0.0, "in time order, first first");
        let (shown, more) = listed(&faults[..3], 0);
        assert_eq!((shown.len(), more), (3, 0));
    }
}
