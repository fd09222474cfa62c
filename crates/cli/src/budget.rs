//! The work one command asks for over all its runs (`run --replications`, `sweep`'s values ×
//! replications). Each run is held to the engine's limits on requests and on the calls they
//! make; together they are held to [`MAX_REQUESTS_IN_ALL`] and [`MAX_CALLS_IN_ALL`], so that
//! a typo in `--steps` or `--replications` cannot start days of simulation, and a long
//! command shows how far it has got: runs done, or for a single run, its virtual time
//! ([`run_showing_progress`]).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use scaleplay_sim::error::shown;
use scaleplay_sim::{Report, SimTime, Simulation};

/// Most requests one command may simulate over all its runs: two runs at the engine's
/// per-run limit, 20 to 70 minutes on one core at preset 10's 1.3–4 s per million requests
/// (BENCHMARKS.md, on hosts of different speeds).
pub const MAX_REQUESTS_IN_ALL: f64 = 1e9;

/// Most calls to nodes one command may make over all its runs: two runs at the engine's
/// per-run limit ([`scaleplay_sim::validate::MAX_EXPECTED_CALLS`]).
pub const MAX_CALLS_IN_ALL: f64 = 5e9;

/// What one run may do at most: its requests, and the calls they make
/// ([`scaleplay_sim::validate::expected_requests`], [`scaleplay_sim::validate::expected_calls`]).
#[derive(Clone, Copy, Debug)]
pub struct Work {
    pub requests: f64,
    pub calls: f64,
}

impl Work {
    /// The most a run of `model` may do.
    pub fn of(model: &scaleplay_sim::Model) -> Work {
        Work {
            requests: scaleplay_sim::validate::expected_requests(model),
            calls: scaleplay_sim::validate::expected_calls(model),
        }
    }
}

/// Refuses `what` (e.g. "these 1000 replications") when its runs, each doing `work` at most,
/// would simulate more than [`MAX_REQUESTS_IN_ALL`] requests or make more than
/// [`MAX_CALLS_IN_ALL`] calls together; `fix` says which flags to lower.
pub fn check(work: impl IntoIterator<Item = Work>, what: &str, fix: &str) -> Result<()> {
    let (requests, calls) = work
        .into_iter()
        .fold((0.0, 0.0), |(r, c), w| (r + w.requests, c + w.calls));
    if requests > MAX_REQUESTS_IN_ALL {
        bail!(
            "{what} would simulate about {} requests in all, more than the limit of {} for one \
             command: {fix}",
            shown(requests.round()),
            shown(MAX_REQUESTS_IN_ALL)
        );
    }
    if calls > MAX_CALLS_IN_ALL {
        bail!(
            "{what} would make about {} calls to nodes in all, more than the limit of {} for \
             one command: {fix}",
            shown(calls.round()),
            shown(MAX_CALLS_IN_ALL)
        );
    }
    Ok(())
}

/// Counts finished runs on standard error, on one line rewritten in place, when standard
/// error is a terminal and there is more than one run; silent otherwise (in pipes, files
/// and tests the output stays exactly the report).
pub struct Progress {
    total: usize,
    done: AtomicUsize,
    shown: bool,
}

impl Progress {
    pub fn new(total: usize) -> Progress {
        Progress {
            total,
            done: AtomicUsize::new(0),
            shown: total > 1 && std::io::stderr().is_terminal(),
        }
    }

    /// One more run finished.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.shown {
            let mut err = std::io::stderr().lock();
            // Progress is a courtesy: a failed write must not end the command.
            let _ = write!(err, "\r{}", line(done, self.total));
            let _ = err.flush();
        }
    }
}

impl Drop for Progress {
    /// Clears the line, so that what comes next starts clean.
    fn drop(&mut self) {
        if self.shown {
            let width = line(self.total, self.total).len();
            let _ = write!(std::io::stderr(), "\r{}\r", " ".repeat(width));
        }
    }
}

/// `runs: 3 of 40 done`.
fn line(done: usize, total: usize) -> String {
    format!("runs: {done} of {total} done")
}

/// A single run shows its progress only once it has taken this long: most runs take less,
/// and their output stays exactly the report.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// How often the line is rewritten.
const REWRITE_EVERY: Duration = Duration::from_millis(250);

/// Slices a run is advanced in, to look at the clock between them (each is a call of
/// `run_until`; slices give the very report of one run, as the app's live runs do).
const SLICES: u32 = 1_000;

/// Runs `sim` to its end, saying how far it has got on standard error when it is a terminal
/// and the run takes over a second: a run of a million requests a second for an hour gave no
/// sign of life for minutes.
pub fn run_showing_progress(sim: Simulation) -> Report {
    if !std::io::stderr().is_terminal() {
        return sim.run();
    }
    let mut written = 0;
    let report = run_in_slices(sim, |line| {
        let mut err = std::io::stderr().lock();
        // Progress is a courtesy: a failed write must not end the command.
        let _ = write!(err, "\r{line:width$}", width = written);
        let _ = err.flush();
        written = written.max(line.len());
    });
    if written > 0 {
        let _ = write!(std::io::stderr(), "\r{}\r", " ".repeat(written));
    }
    report
}

/// Runs `sim` to its end in slices of virtual time, passing `show` a progress line ("simulated
/// 120 s of 3600 s (3 %)") every [`REWRITE_EVERY`] once [`QUIET_FOR`] has passed.
fn run_in_slices(mut sim: Simulation, mut show: impl FnMut(&str)) -> Report {
    let duration_s = sim.model().scenario.duration_s;
    let started = Instant::now();
    let mut last_shown: Option<Instant> = None;
    let mut slice = 0;
    while !sim.finished() {
        slice += 1;
        let until = duration_s * f64::from(slice) / f64::from(SLICES);
        sim.run_until(SimTime::from_secs(until));
        let now = Instant::now();
        let due = match last_shown {
            None => now.duration_since(started) >= QUIET_FOR,
            Some(at) => now.duration_since(at) >= REWRITE_EVERY,
        };
        if due && !sim.finished() {
            show(&progress_line(sim.progress(), duration_s));
            last_shown = Some(now);
        }
    }
    sim.report()
}

/// `simulated 120 s of 3600 s (3 %)`.
fn progress_line(done: f64, duration_s: f64) -> String {
    let at = (done * duration_s).floor();
    let percent = (done * 100.0).floor();
    format!("simulated {at} s of {duration_s} s ({percent} %)")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Work of `requests` that each make one call.
    fn single(requests: f64) -> Work {
        Work {
            requests,
            calls: requests,
        }
    }

    #[test]
    fn a_total_over_the_limit_is_refused_with_its_size_and_the_fix() {
        assert!(check([single(5e8), single(5e8)], "two runs", "lower it").is_ok());
        assert!(check(
            [single(5e8), single(5e8), single(1.0)],
            "three runs",
            "lower it"
        )
        .is_err());
        let e = check(
            vec![single(1e8); 1000],
            "these 1000 replications",
            "lower --replications",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "these 1000 replications would simulate about 100000000000 requests in all, more than the \
             limit of 1000000000 for one command: lower --replications"
        );
        // Few requests that make many calls each.
        let chain = Work {
            requests: 1e7,
            calls: 2e9,
        };
        assert!(check([chain, chain], "two runs", "lower it").is_ok());
        let e = check([chain; 3], "three runs", "lower it")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "three runs would make about 6000000000 calls to nodes in all, more than the limit of \
             5000000000 for one command: lower it"
        );
    }

    /// The sliced run of a long single run gives the report of one run, and says how far it
    /// got when it takes long (here: a preset stretched to take a few seconds).
    #[test]
    fn a_long_single_run_in_slices_gives_the_same_report() {
        let p = scaleplay_sim::presets::find("03").expect("preset 03");
        let mut s = scaleplay_sim::validate::parse(p.json).expect("parses");
        s.duration_s = 3_000.0;
        let model = scaleplay_sim::validate::validate(&s).expect("valid");
        let whole = Simulation::new(model.clone(), 3).run();
        let mut lines = Vec::new();
        let sliced = run_in_slices(Simulation::new(model, 3), |l| lines.push(l.to_string()));
        assert_eq!(sliced.to_json(), whole.to_json());
        // Lines, if the machine was slow enough to show any, count up to the end.
        for l in &lines {
            assert!(l.starts_with("simulated ") && l.ends_with(" %)"), "{l}");
        }
        assert_eq!(
            progress_line(0.034, 3600.0),
            "simulated 122 s of 3600 s (3 %)"
        );
    }

    #[test]
    fn progress_counts_runs_and_stays_quiet_off_a_terminal() {
        let p = Progress::new(3);
        p.tick();
        p.tick();
        assert_eq!(p.done.load(Ordering::Relaxed), 2);
        assert_eq!(line(2, 3), "runs: 2 of 3 done");
    }
}
