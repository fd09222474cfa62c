//! Runs the simulation without freezing the page: each animation frame advances the engine for
//! at most a few milliseconds of real time (`step` in bounded batches of events), then yields to
//! the browser. The report is refreshed a few times a second so the plots grow live.

use leptos::leptos_dom::helpers::request_animation_frame;
use leptos::prelude::*;
use scaleplay_sim::scenario::FaultAction;
use scaleplay_sim::{Report, Scenario, SimTime, Simulation};

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
/// Virtual seconds between two clock checks.
const SLICE_S: f64 = 0.05;
/// Real milliseconds between two report refreshes, at least.
const REPORT_EVERY_MS: f64 = 150.0;
/// At most one part in this many of the real time goes to refreshing the report: a long run's
/// report (one point per window and node) takes longer to build and draw, so it is refreshed
/// less often.
const REPORT_SHARE: f64 = 10.0;

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
        let scenario = self.doc.0.get_untracked();
        match scaleplay_sim::validate(&scenario) {
            Ok(model) => {
                self.sim
                    .set_value(Some(Simulation::new(model, scenario.seed)));
                self.ran.set(Some(scenario));
                self.progress.set(0.0);
                self.report.set(None);
                self.status.set(Status::Running);
                self.last_frame_ms.set_value(now_ms());
                self.schedule();
            }
            Err(e) => self.doc.1.set(Some(e.to_string())),
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

    /// Keeps the current report for comparison with the next runs.
    pub fn pin(&self) {
        if let Some(r) = self.report.get_untracked() {
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

    /// Fails or recovers a node of the running simulation now; returns the virtual time.
    pub fn inject(&self, node: &str, action: FaultAction) -> Result<f64, String> {
        let mut result = Err("start a run first".to_string());
        self.sim.update_value(|sim| {
            if let Some(sim) = sim {
                result = sim.inject(node, action, None).map(|()| sim.now().as_secs());
            }
        });
        self.refresh_report();
        result
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
            // Small slices of virtual time, checking the real clock between them.
            while sim.now() < target && now_ms() - start < FRAME_BUDGET_MS {
                let next = SimTime::from_secs(sim.now().as_secs() + SLICE_S).min(target);
                sim.run_until(next);
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
    use super::same_simulation;

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
