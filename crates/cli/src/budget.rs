//! The work one command asks for over all its runs (`run --replications`, `sweep`'s values ×
//! replications). Each run is held to the engine's limit on requests; together they are held
//! to [`MAX_REQUESTS_IN_ALL`], so that a typo in `--steps` or `--replications` cannot start
//! days of simulation, and a long command shows how far it has got.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{bail, Result};
use scaleplay_sim::error::shown;

/// Most requests one command may simulate over all its runs: two runs at the engine's
/// per-run limit, 20 to 70 minutes on one core at preset 10's 1.3–4 s per million requests
/// (BENCHMARKS.md, on hosts of different speeds).
pub const MAX_REQUESTS_IN_ALL: f64 = 1e9;

/// Refuses `what` (e.g. "these 1000 replications") when its runs, of `requests` each at most,
/// would simulate more than [`MAX_REQUESTS_IN_ALL`] together; `fix` says which flags to lower.
pub fn check(requests: impl IntoIterator<Item = f64>, what: &str, fix: &str) -> Result<()> {
    let total: f64 = requests.into_iter().sum();
    if total > MAX_REQUESTS_IN_ALL {
        bail!(
            "{what} would simulate about {} requests in all, more than the limit of {} for one \
             command: {fix}",
            shown(total.round()),
            shown(MAX_REQUESTS_IN_ALL)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_total_over_the_limit_is_refused_with_its_size_and_the_fix() {
        assert!(check([5e8, 5e8], "two runs", "lower it").is_ok());
        assert!(check([5e8, 5e8, 1.0], "three runs", "lower it").is_err());
        let e = check(
            vec![1e8; 1000],
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
