//! Virtual time. The engine counts integer microseconds so that event order never depends on
//! floating-point rounding, which keeps runs identical on every platform.

use std::ops::{Add, Sub};

/// A point in virtual time, in microseconds since the start of the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

/// A span of virtual time, in microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(pub u64);

impl SimTime {
    /// The start of every run.
    pub const ZERO: SimTime = SimTime(0);

    /// The time `s` seconds after the start (rounded to the nearest microsecond).
    pub fn from_secs(s: f64) -> SimTime {
        SimTime(Duration::from_secs(s).0)
    }

    /// Seconds since the start, for reports.
    pub fn as_secs(self) -> f64 {
        self.0 as f64 / 1e6
    }

    /// The span from `earlier` to `self`, zero if `earlier` is later.
    pub fn since(self, earlier: SimTime) -> Duration {
        Duration(self.0.saturating_sub(earlier.0))
    }
}

impl Duration {
    /// No time at all.
    pub const ZERO: Duration = Duration(0);

    /// A span of `ms` milliseconds; negative or NaN spans become zero.
    pub fn from_millis(ms: f64) -> Duration {
        Duration::from_micros_f64(ms * 1e3)
    }

    /// A span of `s` seconds; negative or NaN spans become zero.
    pub fn from_secs(s: f64) -> Duration {
        Duration::from_micros_f64(s * 1e6)
    }

    fn from_micros_f64(us: f64) -> Duration {
        // `as` saturates and maps NaN to 0, so hostile values cannot wrap around. Through
        // `i64`, then negatives to 0: x86_64 converts to `i64` in one instruction but needs
        // about a dozen for `u64`, and every request converts two or three spans (an arrival,
        // a service time). `i64` microseconds still reach 292,000 years.
        Duration(((us + 0.5) as i64).max(0) as u64)
    }

    /// The span in milliseconds, for reports.
    pub fn as_millis_f64(self) -> f64 {
        self.0 as f64 / 1e3
    }

    /// The span in seconds, for reports.
    pub fn as_secs(self) -> f64 {
        self.0 as f64 / 1e6
    }
}

impl Add<Duration> for SimTime {
    type Output = SimTime;
    fn add(self, d: Duration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
}

impl Add for Duration {
    type Output = Duration;
    fn add(self, d: Duration) -> Duration {
        Duration(self.0.saturating_add(d.0))
    }
}

impl Sub for SimTime {
    type Output = Duration;
    fn sub(self, earlier: SimTime) -> Duration {
        self.since(earlier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_to_the_nearest_microsecond() {
        assert_eq!(Duration::from_millis(1.5), Duration(1500));
        assert_eq!(Duration::from_secs(0.000_000_4), Duration(0));
        assert_eq!(Duration::from_millis(-3.0), Duration(0));
        assert_eq!(Duration::from_millis(f64::NAN), Duration(0));
        assert_eq!(
            Duration::from_secs(f64::INFINITY),
            Duration(i64::MAX as u64)
        );
        assert_eq!(Duration::from_secs(f64::NEG_INFINITY), Duration(0));
        assert_eq!(
            SimTime::from_secs(2.0) - SimTime::from_secs(0.5),
            Duration(1_500_000)
        );
        assert_eq!(SimTime(5).since(SimTime(9)), Duration::ZERO);
    }
}
