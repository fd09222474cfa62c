//! Fault schedules. A node's: the scheduled failures and recoveries of this node, a form to add
//! one, and "Fail now" / "Recover now" for the run in progress (a manual fault lands on the
//! schedule at the virtual time it happened, so running the scenario again replays it). The
//! scenario's, shown with its settings: every fault, of nodes and of whole data centers, and a
//! form to schedule a data-center outage.

use leptos::prelude::*;
use scaleplay_sim::error::grouped;
use scaleplay_sim::scenario::{FaultAction, FaultSpec, Scenario};

use super::fields;
use crate::editor::edits::Edit;
use crate::runner::{Run, Status};
use crate::state::{Analysis, Doc};

fn action_text(a: FaultAction) -> &'static str {
    match a {
        FaultAction::Fail => "fail",
        FaultAction::Recover => "recover",
    }
}

/// The schedule of `node`; `has_instances` offers to fail a single instance of a tier.
#[component]
pub fn FaultSchedule(node: StoredValue<String>, has_instances: bool) -> impl IntoView {
    let doc = expect_context::<Doc>();
    let run = expect_context::<Run>();
    let banner = expect_context::<Doc>().banner;
    let analysis = expect_context::<Analysis>().0;
    let list = fault_list(Some(node));
    // Those about one scheduled fault ("faults[2] …") show on its row, not twice.
    let node_problems = Memo::new(move |_| {
        analysis.with(|a| {
            node.with_value(|id| {
                let mut all = fields::messages_exact(&a.problems, id, "faults");
                all.retain(|m| !m.starts_with("faults["));
                all
            })
        })
    });

    // The add form keeps what was typed until it is added. Its inputs hold their own text
    // (no `prop:value` fed back from these signals): a partial "-" reads as "" to the browser,
    // and writing that back cleared it, so "-5" became "5" without a word.
    let at = RwSignal::new(String::new());
    let action = RwSignal::new(FaultAction::Fail);
    // A text box (inputmode numeric): a number box gave "" for letters, read as "all".
    let instance = RwSignal::new(String::new());
    // For the time, the browser's "" read as "no time typed": "abc" was told to type a time.
    let at_not_a_number = RwSignal::new(false);
    let add = move |_| {
        let Some(at_s) = parse_at(&at.get_untracked()) else {
            banner.set(Some(time_wanted(
                at_not_a_number.get_untracked(),
                "the fault happens",
            )));
            return;
        };
        let instance = match parse_instance(&instance.get_untracked()) {
            Ok(instance) => instance,
            Err(why) => {
                banner.set(Some(why));
                return;
            }
        };
        doc.apply(Edit::AddFault(FaultSpec {
            node: Some(node.get_value()),
            dc: None,
            at_s,
            action: action.get_untracked(),
            instance,
        }));
    };

    let live = move || matches!(run.status.get(), Status::Running | Status::Paused);
    // Which instance "Fail now" and "Recover now" act on: all while the box is empty.
    let now_instance = RwSignal::new(String::new());
    let inject = move |act: FaultAction| {
        move |_| {
            let id = node.get_value();
            let instance = match parse_instance(&now_instance.get_untracked()) {
                Ok(instance) => instance,
                Err(why) => {
                    banner.set(Some(why));
                    return;
                }
            };
            let label = doc
                .scenario
                .with_untracked(|s| crate::editor::edits::node_label(s, &id));
            match run.inject(&id, &label, act, instance) {
                Ok(done) => {
                    let before = doc.scenario.get_untracked();
                    doc.apply(Edit::AddFault(FaultSpec {
                        node: Some(id),
                        dc: None,
                        at_s: done.at_s,
                        action: act,
                        instance,
                    }));
                    doc.scenario
                        .with_untracked(|after| run.also_ran(&before, after));
                    // After the edit, which may clear the banner of an earlier one.
                    if let Some(note) = done.note {
                        banner.set(Some(note));
                    }
                }
                Err(why) => banner.set(Some(why)),
            }
        }
    };

    // A tier's buttons say when they act on every instance (the box beside empty): "Fail
    // now" took a whole tier of four down where one instance was meant, the box unnoticed.
    let now_label = move |verb: &str| {
        if has_instances && now_instance.with(|i| i.trim().is_empty()) {
            format!("{verb} all now")
        } else {
            format!("{verb} now")
        }
    };

    view! {
        <section class="faults" data-testid="fault-schedule">
            <h3>"Faults"</h3>
            <div class="fault-now">
                <button data-testid="fault-fail" disabled=move || !live()
                    title="Fail this node (or the instance in the box beside) in the running simulation"
                    on:click=inject(FaultAction::Fail)>{move || now_label("Fail")}</button>
                <button data-testid="fault-recover" disabled=move || !live()
                    title="Recover this node (or the instance in the box beside) in the running simulation"
                    on:click=inject(FaultAction::Recover)>{move || now_label("Recover")}</button>
                {has_instances.then(|| view! {
                    <input type="text" inputmode="numeric" placeholder="all" data-testid="fault-now-instance"
                        aria-label="instance to fail or recover now (empty for all)"
                        title="instance to fail or recover now, counted from 0 (empty: all)"
                        on:input=move |ev| now_instance.set(event_target_value(&ev))/>
                })}
            </div>
            {list}
            {super::messages(node_problems, "fault-error".into())}
            <div class="fault-add">
                <input type="number" min="0" step="any" placeholder="at (s)" data-testid="fault-at"
                    on:keydown=move |ev| crate::panels::refuse_key_in_number(&ev, "fault-at", banner)
                    on:paste=move |ev| crate::panels::refuse_paste_in_number(&ev, "fault-at", banner)
                    aria-label="time of the fault, in seconds"
                    on:input=move |ev| {
                        at_not_a_number.set(crate::panels::typed_not_a_number(&ev));
                        at.set(event_target_value(&ev));
                    }/>
                {action_select("fault-action", action)}
                {has_instances.then(|| view! {
                    <input type="text" inputmode="numeric" placeholder="all" data-testid="fault-instance"
                        aria-label="instance (empty for all)" title="instance, counted from 0 (empty: all)"
                        on:input=move |ev| instance.set(event_target_value(&ev))/>
                })}
                <button data-testid="fault-add" aria-label="Add fault" on:click=add>"Add"</button>
            </div>
        </section>
    }
}

/// A typed instance: `None` (all) when empty, or why it is not a whole number >= 0.
fn parse_instance(text: &str) -> Result<Option<u32>, String> {
    match text.trim() {
        "" => Ok(None),
        t => t.parse::<u32>().map(Some).map_err(|_| {
            format!("instance: \"{t}\" is not a whole number >= 0: type one such as 0, or leave it empty for all instances")
        }),
    }
}

/// What the banner says when a fault's time is missing: that what was typed is not a number,
/// when it was not, rather than to type one.
fn time_wanted(typed_not_a_number: bool, when: &str) -> String {
    if typed_not_a_number {
        format!(
            "time: what was typed is not a number: type when {when}, in seconds from the start \
             (such as 60)"
        )
    } else {
        format!("type when {when}, in seconds from the start")
    }
}

/// A typed fault time in seconds; `None` when empty or not a number.
fn parse_at(text: &str) -> Option<f64> {
    fields::parse_number(text).ok().and_then(|v| v.as_f64())
}

/// The fail / recover choice of an add form.
fn action_select(testid: &'static str, action: RwSignal<FaultAction>) -> impl IntoView {
    view! {
        <select data-testid=testid aria-label="action"
            on:change=move |ev| action.set(if event_target_value(&ev) == "recover" {
                FaultAction::Recover
            } else {
                FaultAction::Fail
            })>
            <option value="fail" prop:selected=move || action.get() == FaultAction::Fail>"fail"</option>
            <option value="recover" prop:selected=move || action.get() == FaultAction::Recover>"recover"</option>
        </select>
    }
}

/// What a fault applies to, as the scenario's list shows it: a node by its name and id, as
/// the banner's messages name it.
fn target_text(s: &Scenario, f: &FaultSpec) -> String {
    match (&f.node, &f.dc) {
        (Some(node), _) => crate::editor::edits::node_label(s, node),
        (None, Some(dc)) => format!("data center {dc}"),
        (None, None) => "nothing".into(),
    }
}

/// The scheduled faults of `node`, or of the whole scenario (`None`, which also names what
/// each one applies to), in schedule order, each with its problems and a Remove button.
fn fault_list(node: Option<StoredValue<String>>) -> impl IntoView {
    let doc = expect_context::<Doc>();
    let analysis = expect_context::<Analysis>().0;
    // (index in Scenario::faults, fault, what it applies to in the scenario's list): the
    // target is worked out here, so a rename shows in the list and a move does not rebuild it.
    let faults = Memo::new(move |_| {
        doc.scenario.with(|s| {
            let wanted = node.map(|n| n.get_value());
            s.faults
                .iter()
                .enumerate()
                .filter(|(_, f)| wanted.is_none() || f.node == wanted)
                .map(|(i, f)| (i, f.clone(), wanted.is_none().then(|| target_text(s, f))))
                .collect::<Vec<_>>()
        })
    });
    // A generated schedule can hold thousands: drawn whole, 10,000 faults took the page
    // 2 s to open and each selection 1.5 s. The first ones are listed; the rest on request.
    let show_all = RwSignal::new(false);
    move || {
        let items = faults.get();
        if items.is_empty() {
            return view! { <p class="hint" data-testid="fault-empty">"No scheduled faults."</p> }
                .into_any();
        }
        let total = items.len();
        let listed = if show_all.get() {
            total
        } else {
            total.min(LISTED_FAULTS)
        };
        let more = (listed < total).then(|| {
            view! {
                <li class="fault-more">
                    <button data-testid="fault-show-all" on:click=move |_| show_all.set(true)>
                        {format!("Show all {} faults ({} more)", grouped(total as u64), grouped((total - listed) as u64))}
                    </button>
                </li>
            }
        });
        let items = items
            .into_iter()
            .take(listed)
            .map(|(index, f, target)| {
                let errors = Memo::new(move |_| {
                    analysis.with(|a| fields::fault_messages(&a.problems, index))
                });
                // A fault after the end of the run is a note, not a problem: it never
                // happens, and the run goes on without it.
                let notes = move || {
                    analysis.with(|a| {
                        fields::fault_messages(&a.ignored, index)
                            .into_iter()
                            .map(|m| view! { <span class="fault-note" data-testid="fault-note">{m}</span> })
                            .collect_view()
                    })
                };
                // A data center's fault takes every node in it; instances are a node's.
                let instance = match (f.instance, f.node.is_some()) {
                    (Some(i), _) => format!("instance {i}"),
                    (None, true) => "all instances".to_string(),
                    (None, false) => "every node in it".to_string(),
                };
                view! {
                    <li class="fault" data-testid="fault-item">
                        {target.map(|t| view! { <span class="fault-target">{t}</span> })}
                        <span class="fault-at" title=format!("{} s", fields::fmt_num(f.at_s))>
                            // As the plots' key writes it: "Fail now" lands at the run's exact virtual
                            // time (61.23456789 s), kept so a rerun replays the run seen.
                            {format!("{} s", crate::panels::fault_key::seconds(f.at_s))}
                        </span>
                        <span class="fault-action">{action_text(f.action)}</span>
                        <span class="fault-instance">{instance}</span>
                        <button data-testid="fault-remove" title="Remove from the schedule"
                            aria-label=format!("Remove the fault at {} s", crate::panels::fault_key::seconds(f.at_s))
                            on:click=move |_| doc.apply(Edit::RemoveFault(index))>"Remove"</button>
                        {super::messages(errors, "fault-error".into())}
                        {notes}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="fault-list">{items}{more}</ul> }.into_any()
    }
}

/// How many scheduled faults a list shows before "Show all".
const LISTED_FAULTS: usize = 100;

/// Every scheduled fault of the scenario, and a form to schedule a whole data center's outage
/// (every node whose `dc` matches fails, or recovers, at once).
#[component]
pub fn ScenarioFaults() -> impl IntoView {
    let doc = expect_context::<Doc>();
    let banner = expect_context::<Doc>().banner;
    // The data centers the nodes name, sorted and without repeats.
    let dcs = Memo::new(move |_| {
        doc.scenario.with(|s| {
            let mut dcs: Vec<String> = s.nodes.iter().map(|n| n.dc.clone()).collect();
            dcs.sort();
            dcs.dedup();
            dcs
        })
    });
    let dc = RwSignal::new(String::new());
    let at = RwSignal::new(String::new());
    let at_not_a_number = RwSignal::new(false);
    let action = RwSignal::new(FaultAction::Fail);
    let add = move |_| {
        let Some(at_s) = parse_at(&at.get_untracked()) else {
            banner.set(Some(time_wanted(
                at_not_a_number.get_untracked(),
                "the outage starts or ends",
            )));
            return;
        };
        // The select shows the first data center until another is chosen.
        let chosen = Some(dc.get_untracked())
            .filter(|d| dcs.with_untracked(|all| all.contains(d)))
            .or_else(|| dcs.with_untracked(|all| all.first().cloned()));
        let Some(chosen) = chosen else {
            banner.set(Some(
                "add a node first: a data center is where nodes run".into(),
            ));
            return;
        };
        doc.apply(Edit::AddFault(FaultSpec {
            node: None,
            dc: Some(chosen),
            at_s,
            action: action.get_untracked(),
            instance: None,
        }));
    };
    view! {
        <section class="faults" data-testid="scenario-faults">
            <h3>"Faults"</h3>
            {fault_list(None)}
            // With no node there is no data center to fail: a word, not an empty list.
            <Show when=move || !dcs.with(Vec::is_empty) fallback=|| view! {
                <p class="hint" data-testid="dc-fault-none">"Add nodes to schedule a data center's outage."</p>
            }>
            <div class="fault-add">
                <select data-testid="dc-fault-dc" aria-label="data center"
                    on:change=move |ev| dc.set(event_target_value(&ev))>
                    {move || dcs.get().into_iter().map(|d| {
                        let value = d.clone();
                        view! {
                            <option value=value.clone() prop:selected=move || dc.with(|c| *c == value)>{d}</option>
                        }
                    }).collect_view()}
                </select>
                <input type="number" min="0" step="any" placeholder="at (s)" data-testid="dc-fault-at"
                    on:keydown=move |ev| crate::panels::refuse_key_in_number(&ev, "dc-fault-at", banner)
                    on:paste=move |ev| crate::panels::refuse_paste_in_number(&ev, "dc-fault-at", banner)
                    aria-label="time of the data-center fault, in seconds"
                    on:input=move |ev| {
                        at_not_a_number.set(crate::panels::typed_not_a_number(&ev));
                        at.set(event_target_value(&ev));
                    }/>
                {action_select("dc-fault-action", action)}
                <button data-testid="dc-fault-add" title="Schedule a whole data center's outage or recovery"
                    aria-label="Add data-center fault" on:click=add>"Add"</button>
            </div>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::parse_instance;

    #[test]
    fn an_instance_is_a_whole_number_or_empty_for_all() {
        assert_eq!(parse_instance(""), Ok(None));
        assert_eq!(parse_instance(" 2 "), Ok(Some(2)));
        for typed in ["-1", "1.5", "abc", "1e1", "3-"] {
            let why = parse_instance(typed).unwrap_err();
            assert!(
                why.starts_with(&format!("instance: \"{typed}\" is not a whole number >= 0")),
                "{why}"
            );
            assert!(why.contains("leave it empty for all"), "{why}");
        }
    }
}
