//! How far a read replica is behind its primary beyond its configured `lag_ms`, over time.
//!
//! A replica that is down misses the primary's writes: while it is down it falls behind by one
//! second every second. When it comes back it replays what it missed at [`CATCH_UP_SPEED`]
//! seconds of the primary's history per second, so it gains `CATCH_UP_SPEED − 1` seconds on
//! the primary every second until only `lag_ms` is left. Until then its reads are stale for
//! keys written during its downtime, the lesson a user sees when they fail a replica.
//!
//! It counts time, not writes, but only time in which writes were taken: a replica down while
//! its primary is down too, with no replica promoted in its place, misses nothing then, and
//! holds where it was (it fell behind by that stretch too, and came back from a data center's
//! outage replaying a log of nothing while every write since was stale). A replica down
//! while nobody happens to write still falls behind by its downtime.
//!
//! The amount is piecewise linear in time (rising while down, falling while catching up,
//! zero after), so it is kept exactly in integer microseconds, with its integral over time
//! for the mean lag per window and over the steady state, like a [`super::state::Level`].

use crate::time::SimTime;

/// Seconds of the primary's history a recovering replica replays per second.
pub const CATCH_UP_SPEED: u64 = 4;

/// What the amount is doing since the last change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Trend {
    /// Caught up (or never behind): it stays where it is.
    #[default]
    Steady,
    /// The replica is down: one more microsecond behind per microsecond.
    FallingBehind,
    /// The replica is replaying: `CATCH_UP_SPEED − 1` microseconds gained per microsecond,
    /// down to zero.
    CatchingUp,
}

/// The extra lag of one replica, in microseconds, and its integral over time.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Behind {
    /// The last change of trend.
    at: SimTime,
    /// Microseconds behind at `at`.
    us: u64,
    trend: Trend,
    /// Twice the integral (µs²) up to `at`, since the start or the last restart; twice, so
    /// that the triangles of the linear stretches stay whole numbers.
    twice_area: u128,
}

impl Behind {
    /// Microseconds behind at `t` (not before the last change).
    pub fn at(&self, t: SimTime) -> u64 {
        let dt = t.0.saturating_sub(self.at.0);
        match self.trend {
            Trend::Steady => self.us,
            Trend::FallingBehind => self.us.saturating_add(dt),
            Trend::CatchingUp => self
                .us
                .saturating_sub(dt.saturating_mul(CATCH_UP_SPEED - 1)),
        }
    }

    /// Twice the integral from `self.at` to `t`.
    fn twice_stretch(&self, t: SimTime) -> u128 {
        let dt = t.0.saturating_sub(self.at.0) as u128;
        let (start, end) = (self.us as u128, self.at(t) as u128);
        match self.trend {
            Trend::CatchingUp if end == 0 => {
                // The line reaches zero before `t`: a triangle of height `start` and base
                // `start / gain`, then nothing.
                start * start / (CATCH_UP_SPEED - 1) as u128
            }
            _ => (start + end) * dt,
        }
    }

    /// The integral of the amount (µs × µs) up to `t`, since the start or the last restart.
    /// Wraps like `Level::area` so that differences of marks stay exact.
    pub fn area(&self, t: SimTime) -> u128 {
        self.twice_area.wrapping_add(self.twice_stretch(t)) / 2
    }

    fn change(&mut self, t: SimTime, trend: Trend) {
        self.twice_area = self.twice_area.wrapping_add(self.twice_stretch(t));
        self.us = self.at(t);
        self.at = t.max(self.at);
        self.trend = if trend == Trend::CatchingUp && self.us == 0 {
            Trend::Steady
        } else {
            trend
        };
    }

    /// The replica went down at `t`: it stops receiving the primary's writes.
    pub fn stall(&mut self, t: SimTime) {
        self.change(t, Trend::FallingBehind);
    }

    /// At `t` the replica, down, misses nothing more: no one takes writes (its primary is
    /// down with no replica promoted in its place). It stays as far behind as it is.
    pub fn hold(&mut self, t: SimTime) {
        self.change(t, Trend::Steady);
    }

    /// The replica came back at `t` and replays what it missed.
    pub fn catch_up(&mut self, t: SimTime) {
        self.change(t, Trend::CatchingUp);
    }

    /// Starts the integral again from zero at `t` (the end of the warm-up).
    pub fn restart(&mut self, t: SimTime) {
        let trend = self.trend;
        self.change(t, trend);
        self.twice_area = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: u64 = 1_000_000;

    /// The integral the slow way: the amount summed microsecond by microsecond (at the
    /// midpoint of each, the exact integral of a linear stretch).
    fn by_steps(b: &Behind, from: u64, to: u64) -> f64 {
        (from..to)
            .map(|t| (b.at(SimTime(t)) + b.at(SimTime(t + 1))) as f64 / 2.0)
            .sum()
    }

    #[test]
    fn falls_behind_while_down_and_catches_up_at_the_replay_speed() {
        let mut b = Behind::default();
        assert_eq!(b.at(SimTime(50 * S)), 0);
        b.stall(SimTime(10 * S));
        assert_eq!(b.at(SimTime(22 * S)), 12 * S);
        b.catch_up(SimTime(22 * S));
        // Three seconds gained per second: 12 s behind are made up in 4 s.
        assert_eq!(b.at(SimTime(23 * S)), 9 * S);
        assert_eq!(b.at(SimTime(26 * S)), 0);
        assert_eq!(b.at(SimTime(90 * S)), 0);
        // Integral: a rising triangle (12 s × 12 s / 2) then a falling one (12 s × 4 s / 2).
        let expected =
            (12 * S) as u128 * (12 * S) as u128 / 2 + (12 * S) as u128 * (4 * S) as u128 / 2;
        assert_eq!(b.area(SimTime(26 * S)), expected);
        assert_eq!(b.area(SimTime(90 * S)), expected);
    }

    #[test]
    fn failing_again_while_catching_up_starts_from_where_it_was() {
        let mut b = Behind::default();
        b.stall(SimTime(0));
        b.catch_up(SimTime(30 * S));
        b.stall(SimTime(35 * S)); // 30 − 3 × 5 = 15 s behind
        assert_eq!(b.at(SimTime(35 * S)), 15 * S);
        assert_eq!(b.at(SimTime(40 * S)), 20 * S);
        b.catch_up(SimTime(40 * S));
        assert_eq!(b.at(SimTime(45 * S)), 5 * S);
        // A recovery without a failure (or a second one) changes nothing.
        let before = b.at(SimTime(46 * S));
        b.catch_up(SimTime(46 * S));
        assert_eq!(b.at(SimTime(46 * S)), before);
    }

    #[test]
    fn the_integral_matches_summing_small_steps() {
        let mut b = Behind::default();
        let mut exact = 0.0;
        let mut last = 0;
        for (t, down) in [
            (100, true),
            (700, false),
            (850, true),
            (900, false),
            (2_000, true),
        ] {
            exact += by_steps(&b, last, t);
            if down {
                b.stall(SimTime(t));
            } else {
                b.catch_up(SimTime(t));
            }
            last = t;
        }
        exact += by_steps(&b, last, 3_000);
        let area = b.area(SimTime(3_000)) as f64;
        assert!((area - exact).abs() <= 3.0, "{area} against {exact}");
    }

    #[test]
    fn restart_keeps_the_amount_and_forgets_the_integral() {
        let mut b = Behind::default();
        b.stall(SimTime(0));
        b.restart(SimTime(10 * S));
        assert_eq!(b.area(SimTime(10 * S)), 0);
        assert_eq!(b.at(SimTime(11 * S)), 11 * S);
        assert_eq!(
            b.area(SimTime(12 * S)),
            (10 + 12) as u128 * S as u128 * (2 * S) as u128 / 2
        );
    }
}
