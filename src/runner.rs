//! Runs the simulation without freezing the page: each animation frame advances the engine for
//! at most a few milliseconds of real time (slices of virtual time sized to hold a bounded
//! number of events), then yields to the browser. The report is refreshed a few times a second
//! so the plots grow live.
//! "Fail now" / "Recover now" ask the engine what holds a node down
//! ([`Simulation::down_causes`]), so they add only faults that change something and can say
//! why a node stays down.

use leptos::leptos_dom::helpers::request_animation_frame;
use leptos::prelude::*;
use scaleplay_sim::engine::DownCauses;
use scaleplay_sim::scenario::FaultAction;
use scaleplay_sim::{Duration, Report, Scenario, SimTime, Simulation};

use crate::state::Doc;

/// Where a run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Nothing has run since the last reset.
    Idle,
    /// Advancing every frame.
    Running,
    /// Stopped mid-run; can resume.
    Paused,
    /// Reached the end.
    Done,
}

/// Real milliseconds of engine work per frame: well under one 16 ms frame, so clicks and drags
/// stay responsive while a long simulation runs.
const FRAME_BUDGET_MS: f64 = 10.0;
/// Events one slice aims at: a few milliseconds of engine work in wasm. The clock is checked
/// between slices only, so a slice of fixed virtual length froze the page at a high rate (a
/// million requests per second made 0.05 s of virtual time take 700 ms).
const SLICE_EVENTS: f64 = 1000.0;
/// Virtual seconds of the longest slice: with light traffic, what bounds a slice is the
/// target of the chosen speed, and this keeps the clock checks frequent on the way there.
const MAX_SLICE_S: f64 = 0.05;
/// Virtual seconds of the first slice of a run: short, since its rate is not known yet (a
/// slice may grow only twofold from one to the next).
const FIRST_SLICE_S: f64 = 1e-4;
/// Real milliseconds between two report refreshes, at least.
const REPORT_EVERY_MS: f64 = 150.0;
/// At most one part in this many of the real time goes to refreshing the report: a long run's
/// report (one point per window and node) takes longer to build and draw, so it is refreshed
/// less often.
const REPORT_SHARE: f64 = 10.0;

/// What "Fail now" / "Recover now" did.
#[derive(Clone, Debug, PartialEq)]
pub struct Injected {
    /// The virtual time it happened, seconds: where it lands on the schedule.
    pub at_s: f64,
    /// What to tell the user: a node recovered that another cause still holds down.
    pub note: Option<String>,
}

/// The run context.
#[derive(Clone, Copy)]
pub struct Run {
    /// Where the run is.
    pub status: RwSignal<Status>,
    /// Share of the run done, 0 to 1.
    pub progress: RwSignal<f64>,
    /// The latest report (live during a run).
    pub report: RwSignal<Option<Report>>,
    /// Virtual seconds per real second; 0 means as fast as possible.
    pub speed: RwSignal<f64>,
    /// A run kept for comparison: the plots show it faded and the summary shows the difference.
    pub pinned: RwSignal<Option<Report>>,
    /// The name of the scenario the pinned run was of.
    pub pinned_from: RwSignal<Option<String>>,
    /// The scenario the current run was started with (None after a reset), to tell when the
    /// one being edited no longer is what the results show.
    pub ran: RwSignal<Option<Scenario>>,
    sim: StoredValue<Option<Simulation>, LocalStorage>,
    doc: Doc,
    last_report_ms: StoredValue<f64>,
    /// Real milliseconds the last report refresh took, building and showing it.
    report_cost_ms: StoredValue<f64>,
    last_frame_ms: StoredValue<f64>,
    /// Virtual seconds the next slice covers, fitted to the events the last one held.
    slice_s: StoredValue<f64>,
}

/// Creates the run context (after [`crate::state::provide`]).
pub fn provide() -> Run {
    let run = Run {
        status: RwSignal::new(Status::Idle),
        progress: RwSignal::new(0.0),
        report: RwSignal::new(None),
        speed: RwSignal::new(20.0),
        pinned: RwSignal::new(None),
        pinned_from: RwSignal::new(None),
        ran: RwSignal::new(None),
        sim: StoredValue::new_local(None),
        doc: expect_context::<Doc>(),
        last_report_ms: StoredValue::new(0.0),
        report_cost_ms: StoredValue::new(0.0),
        last_frame_ms: StoredValue::new(0.0),
        slice_s: StoredValue::new(FIRST_SLICE_S),
    };
    provide_context(run);
    run
}

/// Milliseconds since page load (0 outside a browser).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

impl Run {
    /// Validates the scenario and starts a fresh run of it.
    pub fn start(&self) {
        let scenario = self.doc.scenario.get_untracked();
        match scaleplay_sim::validate(&scenario) {
            Ok(model) => {
                self.sim
                    .set_value(Some(Simulation::new(model, scenario.seed)));
                self.slice_s.set_value(FIRST_SLICE_S);
                self.ran.set(Some(scenario));
                self.progress.set(0.0);
                self.report.set(None);
                self.status.set(Status::Running);
                self.last_frame_ms.set_value(now_ms());
                self.schedule();
            }
            Err(e) => self.doc.banner.set(Some(e.to_string())),
        }
    }

    /// Stops advancing, keeping the state.
    pub fn pause(&self) {
        if self.status.get_untracked() == Status::Running {
            self.status.set(Status::Paused);
            self.refresh_report();
        }
    }

    /// Goes on after a pause.
    pub fn resume(&self) {
        if self.status.get_untracked() == Status::Paused {
            self.status.set(Status::Running);
            self.last_frame_ms.set_value(now_ms());
            self.schedule();
        }
    }

    /// Keeps the current report for comparison with the next runs, once it has figures: one
    /// pinned during the warm-up held only zeros, and every comparison with it was bogus.
    pub fn pin(&self) {
        let report = self.report.get_untracked();
        if let Some(r) = report.filter(crate::panels::summary::measuring) {
            self.pinned.set(Some(r));
            let name = self
                .ran
                .with_untracked(|s| s.as_ref().map(|s| s.name.clone()));
            self.pinned_from.set(name);
        }
    }

    /// Drops the run and its report.
    pub fn reset(&self) {
        self.sim.set_value(None);
        self.ran.set(None);
        self.status.set(Status::Idle);
        self.progress.set(0.0);
        self.report.set(None);
    }

    /// The scenario went from `before` to `after` by a change the running simulation already
    /// has (a failure injected by hand, which also lands on the schedule): the run is still
    /// of the scenario being edited, if it was before.
    pub fn also_ran(&self, before: &Scenario, after: &Scenario) {
        let current = self
            .ran
            .with_untracked(|ran| ran.as_ref().is_some_and(|r| same_simulation(r, before)));
        if current {
            self.ran.set(Some(after.clone()));
        }
    }

    /// Fails or recovers a node of the running simulation now, or one `instance` of it.
    /// Refuses, saying why, what would change nothing (failing a node or instance its own
    /// failure already holds, recovering one it does not hold, failing an autoscaler's standby
    /// slot), an instance the node lacks and a node the run does not have (added since it
    /// started). The messages name the node by `label` (its name and id, from
    /// [`crate::editor::edits::node_label`]: the name is the one the user knows it by, and
    /// the run's own copy of the scenario may have an older one).
    pub fn inject(
        &self,
        node: &str,
        label: &str,
        action: FaultAction,
        instance: Option<u32>,
    ) -> Result<Injected, String> {
        // How the messages name what is failed or recovered.
        let who = match instance {
            None => label.to_string(),
            Some(i) => format!("instance {i} of {label}"),
        };
        let (causes, all, dc) = self.sim.with_value(|sim| {
            let sim = sim.as_ref().ok_or_else(|| "start a run first".to_string())?;
            let added = || format!("{label} was added after this run started, so the run does not have it: Reset, then Run, to fail or recover it");
            let all = sim.down_causes(node).ok_or_else(added)?;
            let causes = sim.instance_down_causes(node, instance).ok_or_else(|| {
                format!(
                    "{label} has {} instances in this run, counted from 0: instance {} does \
                     not exist (leave the instance empty for all)",
                    all.instances,
                    instance.unwrap_or_default()
                )
            })?;
            let dc = sim.model().find(node).map(|id| sim.model().node(id).dc.clone());
            Ok::<_, String>((causes, all, dc.unwrap_or_default()))
        })?;
        // An autoscaler's standby slot is not running: failing it would change nothing seen.
        if instance.is_some() && causes.active == 0 && causes.own == 0 {
            return Err(format!(
                "{who} is not running now: {label} runs {} of its {} instances (its \
                 autoscaler starts the others as the load needs them)",
                all.active, all.instances
            ));
        }
        match action {
            FaultAction::Fail if causes.own == causes.instances => {
                return Err(format!(
                    "{who} is already down: its failure holds it until \"Recover now\" (or a scheduled recovery)"
                ))
            }
            FaultAction::Recover if causes.own == 0 => {
                return Err(if causes.serving == 0 {
                    stays_down(&who, &dc, causes)
                } else {
                    format!("{who} is up: there is nothing to recover")
                });
            }
            _ => {}
        }
        let mut result = Err("start a run first".to_string());
        self.sim.update_value(|sim| {
            if let Some(sim) = sim {
                result = sim.inject(node, action, instance).map(|()| {
                    (
                        sim.now().as_secs(),
                        sim.instance_down_causes(node, instance),
                    )
                });
            }
        });
        let (at_s, after) = result?;
        self.refresh_report();
        let note = after
            .filter(|after| action == FaultAction::Recover && after.serving == 0)
            .map(|after| stays_down(&who, &dc, after));
        Ok(Injected { at_s, note })
    }

    fn schedule(&self) {
        let run = *self;
        request_animation_frame(move || run.frame());
    }

    fn frame(&self) {
        if self.status.get_untracked() != Status::Running {
            return;
        }
        let start = now_ms();
        let elapsed_s = ((start - self.last_frame_ms.get_value()) / 1000.0).clamp(0.0, 0.25);
        self.last_frame_ms.set_value(start);
        let speed = self.speed.get_untracked();
        let mut finished = false;
        let mut progress = 0.0;
        self.sim.update_value(|sim| {
            let Some(sim) = sim else { return };
            let target = if speed > 0.0 {
                SimTime::from_secs(sim.now().as_secs() + speed * elapsed_s).min(sim.end())
            } else {
                sim.end()
            };
            // Slices of a bounded number of events, checking the real clock between them.
            while sim.now() < target && now_ms() - start < FRAME_BUDGET_MS {
                self.run_slice(sim, target);
            }
            finished = sim.finished();
            progress = sim.progress();
        });
        self.progress.set(progress);
        if finished {
            self.status.set(Status::Done);
            self.refresh_report();
            return;
        }
        let every = REPORT_EVERY_MS.max(REPORT_SHARE * self.report_cost_ms.get_value());
        if start - self.last_report_ms.get_value() > every {
            self.refresh_report();
        }
        self.schedule();
    }

    /// Runs one slice towards `target` and fits the next slice to the events this one held.
    /// However the run is sliced, the engine gives the same report.
    fn run_slice(&self, sim: &mut Simulation, target: SimTime) {
        let (from, events) = (sim.now(), sim.events_processed());
        let next = slice_end(from, self.slice_s.get_value(), target);
        sim.run_until(next);
        let covered = sim.now().since(from).as_secs();
        let handled = sim.events_processed() - events;
        self.slice_s
            .set_value(next_slice(self.slice_s.get_value(), covered, handled));
    }

    fn refresh_report(&self) {
        let start = now_ms();
        self.last_report_ms.set_value(start);
        if self.sim.with_value(Option::is_none) {
            return;
        }
        // The report shown is always of this simulation (a new run or a reset clears it), so
        // its series can be carried on: only the windows closed since are copied.
        let mut previous = None;
        self.report.update_untracked(|r| previous = r.take());
        let report = self
            .sim
            .with_value(|sim| sim.as_ref().map(|sim| sim.report_reusing(previous)));
        self.report.set(report);
        // What the refresh costs includes redrawing what shows the report (plots, figures),
        // which the effects do in tasks queued by `set`; this one is queued after them.
        let cost = self.report_cost_ms;
        leptos::task::spawn_local(async move { cost.set_value(now_ms() - start) });
    }
}

/// Where a slice of `slice_s` virtual seconds from `from` ends: at `target` at the latest, and
/// a microsecond (the clock's tick) on at least, so that time always moves.
fn slice_end(from: SimTime, slice_s: f64, target: SimTime) -> SimTime {
    let length = Duration::from_secs(slice_s).max(Duration(1));
    (from + length).min(target)
}

/// The length of the next slice after one of `covered` virtual seconds held `handled` events:
/// the length that holds [`SLICE_EVENTS`] at the same rate, growing at most twofold (a rate
/// that rises fast, as in a spike, then overshoots by little), within [`MAX_SLICE_S`].
fn next_slice(slice_s: f64, covered: f64, handled: u64) -> f64 {
    let fits = if handled == 0 {
        f64::INFINITY
    } else {
        covered * SLICE_EVENTS / handled as f64
    };
    fits.min(2.0 * slice_s).clamp(1e-6, MAX_SLICE_S)
}

/// What the banner says of a node that is still down after "Recover now" (or that "Recover
/// now" cannot bring back): the cause that holds it first, its data center's outage, else a
/// random failure (its `mtbf_s`).
/// Why `who` (`"web"`, `Web node "web"` or `instance 1 of Web node "web"`) stays down after
/// a recovery.
fn stays_down(who: &str, dc: &str, causes: DownCauses) -> String {
    if causes.data_center > 0 {
        format!("{who} stays down: its data center \"{dc}\" is out until that recovers")
    } else if causes.random > 0 {
        format!("{who} stays down: it failed at random (its mtbf_s) and comes back after its repair time (mttr_s)")
    } else if causes.own == 0 && causes.active == 0 {
        // Up, but no longer part of its tier: its autoscaler replaced it while it was down
        // ("another fault still holds it" sent a learner looking for a fault there was not).
        format!("{who} is up again, in reserve: while it was down, its autoscaler started another instance in its place, so it takes no requests until the load needs more")
    } else {
        format!("{who} stays down: another fault still holds it")
    }
}

/// Whether `a` and `b` simulate the same: they differ at most in what is only shown (names,
/// notes, where nodes sit on the canvas).
pub fn same_simulation(a: &Scenario, b: &Scenario) -> bool {
    let same_nodes = a.nodes.len() == b.nodes.len()
        && a.nodes
            .iter()
            .zip(&b.nodes)
            .all(|(m, n)| m.id == n.id && m.kind == n.kind && m.dc == n.dc && m.params == n.params);
    same_nodes
        && (a.version, a.seed, &a.slo, &a.edges, &a.faults)
            == (b.version, b.seed, &b.slo, &b.edges, &b.faults)
        && (a.duration_s, a.warmup_s, a.window_s) == (b.duration_s, b.warmup_s, b.window_s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_still_down_is_said_to_stay_down_with_its_first_cause() {
        let causes = |data_center, random| DownCauses {
            instances: 2,
            active: 2,
            data_center,
            random,
            ..DownCauses::default()
        };
        assert_eq!(
            stays_down("\"web1\"", "east", causes(2, 1)),
            "\"web1\" stays down: its data center \"east\" is out until that recovers"
        );
        assert!(stays_down("web1", "east", causes(0, 1)).contains("at random"));
        assert!(stays_down("web1", "east", causes(0, 0)).contains("another fault"));
        // An instance its autoscaler replaced while it was down comes back in reserve.
        let replaced = DownCauses {
            instances: 1,
            ..DownCauses::default()
        };
        assert!(stays_down("Instance 2 of \"web\"", "east", replaced).contains(
            "is up again, in reserve: while it was down, its autoscaler started another instance"
        ));
    }

    #[test]
    fn a_slice_holds_about_its_share_of_events_and_grows_slowly() {
        // 5,000 events in 10 ms: the next slice is cut to hold SLICE_EVENTS at that rate.
        let next = next_slice(0.01, 0.01, 5_000);
        assert!((next - 0.01 * SLICE_EVENTS / 5_000.0).abs() < 1e-12);
        // Few events: twice as long, no more, and never over the longest slice.
        assert_eq!(next_slice(0.001, 0.001, 10), 0.002);
        assert_eq!(next_slice(0.04, 0.04, 0), MAX_SLICE_S);
        // A microsecond at least, since the clock counts no less.
        assert_eq!(next_slice(1e-6, 1e-6, 1_000_000), 1e-6);
        assert_eq!(
            slice_end(SimTime(10), 1e-9, SimTime(100)),
            SimTime(11),
            "time moves on"
        );
        assert_eq!(slice_end(SimTime(10), 1.0, SimTime(100)), SimTime(100));
    }

    #[test]
    fn slices_as_the_frames_cut_them_give_the_report_of_one_run() {
        let preset = scaleplay_sim::presets::find("03").expect("preset 03");
        let mut scenario = scaleplay_sim::validate::parse(preset.json).expect("parses");
        // Shorter, with web2's failure and recovery inside it.
        scenario.duration_s = 20.0;
        scenario.faults[0].at_s = 12.0;
        scenario.faults[1].at_s = 16.0;
        let model = || scaleplay_sim::validate(&scenario).expect("valid");
        let whole = Simulation::new(model(), scenario.seed).run();
        let mut sim = Simulation::new(model(), scenario.seed);
        let mut slice_s = FIRST_SLICE_S;
        // Frames at an uneven speed, each cut into slices fitted to the events.
        let mut frame = 0;
        while !sim.finished() {
            frame += 1;
            let target = SimTime::from_secs(sim.now().as_secs() + 0.013 * f64::from(frame % 7))
                .min(sim.end());
            while sim.now() < target {
                let (from, events) = (sim.now(), sim.events_processed());
                sim.run_until(slice_end(from, slice_s, target));
                let covered = sim.now().since(from).as_secs();
                slice_s = next_slice(slice_s, covered, sim.events_processed() - events);
            }
        }
        assert_eq!(sim.report(), whole);
    }

    #[test]
    fn only_what_is_shown_may_differ_for_the_same_simulation() {
        let preset = scaleplay_sim::presets::find("03").expect("preset 03");
        let a = scaleplay_sim::validate::parse(preset.json).expect("parses");
        let mut b = a.clone();
        b.name = "Renamed".into();
        b.notes.clear();
        b.nodes[0].x += 100.0;
        b.nodes[1].name = "Front door".into();
        assert!(same_simulation(&a, &b));
        let mut c = b.clone();
        c.seed += 1;
        assert!(!same_simulation(&a, &c));
        let mut d = b.clone();
        d.nodes[2].params.insert("workers".into(), 3.into());
        assert!(!same_simulation(&a, &d));
        let mut e = b;
        e.edges.pop();
        assert!(!same_simulation(&a, &e));
    }
}
