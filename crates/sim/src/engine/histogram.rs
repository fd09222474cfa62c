//! Latency histograms: the log-linear bucket layout of an HDR histogram (1 µs to 1 h, two or
//! three significant figures), recorded with a few instructions.
//!
//! Every finished request is recorded up to three times (whole run, current window, node), so
//! recording is on the engine's hot path. `hdrhistogram`'s `saturating_record` spent ~120
//! instructions per value (range checks, auto-resize, min/max upkeep); here a record is one
//! leading-zero count, a shift, an add and an increment.
//!
//! The layout and the quantile rule are exactly HDR's (`hdrhistogram` 7.x with lowest
//! discernible value 1): a value `v` falls in bucket `b = max(0, bits(v) - m)` (`m` =
//! log2 of the sub-bucket count), and within it in sub-bucket `v >> b`, at index
//! `(b << (m - 1)) + (v >> b)`. So every bin, count and quantile equals what the HDR histogram
//! gave (a test checks this against `hdrhistogram` itself), and reports do not change. Only
//! what the engine reads is kept: the largest value is read back from the highest non-empty
//! bin, which is what HDR's `max()` returns (the top of the bin holding the largest value).

/// The largest latency tracked, in µs (one hour). Longer ones count as one hour, as before.
pub(crate) const MAX_LATENCY_US: u64 = 3_600_000_000;

/// A bin counter: `u32` where memory matters (one histogram per node and per window), `u64`
/// for the whole-run histogram.
pub(crate) trait Count: Copy + Default {
    /// One more, saturating (as HDR's counts do).
    fn bump(self) -> Self;
    fn get(self) -> u64;
}

impl Count for u32 {
    #[inline(always)]
    fn bump(self) -> u32 {
        self.saturating_add(1)
    }
    #[inline(always)]
    fn get(self) -> u64 {
        u64::from(self)
    }
}

impl Count for u64 {
    /// No saturation needed: 2^64 values cannot be recorded in any run.
    #[inline(always)]
    fn bump(self) -> u64 {
        self + 1
    }
    #[inline(always)]
    fn get(self) -> u64 {
        self
    }
}

impl<C: Count, const SIGFIG: u32> Default for Histogram<C, SIGFIG> {
    fn default() -> Self {
        Self::new()
    }
}

/// Counts of latencies (µs) in log-linear bins resolving `SIGFIG` significant figures (1 to
/// 5); see the module docs. The precision is a type parameter so that the bin arithmetic of
/// [`Histogram::record`] works on constants.
#[derive(Clone, Debug)]
pub(crate) struct Histogram<C: Count, const SIGFIG: u32> {
    counts: Box<[C]>,
    total: u64,
}

impl<C: Count, const SIGFIG: u32> Histogram<C, SIGFIG> {
    /// log2 of the sub-bucket count: single-unit resolution up to 2 × 10^SIGFIG, rounded up to
    /// a power of two (as HDR).
    const MAGNITUDE: u32 = {
        assert!(SIGFIG >= 1 && SIGFIG <= 5, "1 to 5 significant figures");
        64 - (2 * 10u64.pow(SIGFIG) - 1).leading_zeros()
    };
    /// log2 of half the sub-bucket count: the bins per bucket above bucket 0.
    const HALF_MAGNITUDE: u32 = Self::MAGNITUDE - 1;
    /// `sub-bucket count - 1`: or-ing it in maps small values to bucket 0.
    const SUB_MASK: u64 = (1 << Self::MAGNITUDE) - 1;
    /// Leading zeros of the largest value of bucket 0.
    const ZEROS_BASE: u32 = 64 - Self::MAGNITUDE;

    /// An empty histogram from 1 µs to [`MAX_LATENCY_US`] (13 KB with `u32` counts and 2
    /// significant figures, 184 KB with `u64` and 3).
    pub fn new() -> Histogram<C, SIGFIG> {
        // Buckets needed so that the last one reaches MAX_LATENCY_US.
        let mut buckets = 1u32;
        let mut untrackable = 1u64 << Self::MAGNITUDE;
        while untrackable <= MAX_LATENCY_US {
            untrackable <<= 1;
            buckets += 1;
        }
        let len = ((buckets + 1) as usize) << Self::HALF_MAGNITUDE;
        Histogram {
            counts: vec![C::default(); len].into_boxed_slice(),
            total: 0,
        }
    }

    /// The bucket of `v`: how many times its bins are wider than 1.
    #[inline(always)]
    fn bucket(v: u64) -> u32 {
        Self::ZEROS_BASE - (v | Self::SUB_MASK).leading_zeros()
    }

    /// The bin of `v`; may be past the end for values above the range.
    #[inline(always)]
    fn index(v: u64) -> usize {
        let bucket = Self::bucket(v);
        ((bucket as usize) << Self::HALF_MAGNITUDE) + (v >> bucket) as usize
    }

    /// Counts one latency of `us` µs; below 1 µs counts as 1 µs, above the range as
    /// [`MAX_LATENCY_US`].
    #[inline]
    pub fn record(&mut self, us: u64) {
        // `get_mut` rather than a length check and an index: one bounds check, not two.
        let last = Self::index(MAX_LATENCY_US);
        match self.counts.get_mut(Self::index(us.max(1))) {
            Some(c) => *c = c.bump(),
            None => self.counts[last] = self.counts[last].bump(),
        }
        // Cannot overflow (2^64 values), unlike a `u32` bin.
        self.total += 1;
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Forgets every value.
    pub fn reset(&mut self) {
        self.counts.fill(C::default());
        self.total = 0;
    }

    /// The smallest value of bin `index`.
    fn value_of(index: usize) -> u64 {
        let half = 1usize << Self::HALF_MAGNITUDE;
        let bucket = (index >> Self::HALF_MAGNITUDE).saturating_sub(1);
        // Bucket 0 uses all its sub-buckets; the others only their upper half.
        let sub = if index < half {
            index
        } else {
            (index & (half - 1)) + half
        };
        (sub as u64) << bucket
    }

    /// The largest value that shares `v`'s bin.
    fn highest_equivalent(v: u64) -> u64 {
        if v == u64::MAX {
            return v;
        }
        let w = 1 << Self::bucket(v);
        (v & !(w - 1)).saturating_add(w) - 1
    }

    /// The value below which a share `q` (0 to 1) of the recorded values fall, as HDR's
    /// `value_at_quantile`: the top of the first bin where the running count reaches
    /// `ceil(q × len)` (at least 1); the bottom of that bin for `q = 0`; 0 when empty.
    pub fn value_at_quantile(&self, q: f64) -> u64 {
        let q = if q > 1.0 { 1.0 } else { q };
        let target = ((q * self.total as f64).ceil() as u64).max(1);
        let mut running = 0u64;
        for (i, c) in self.counts.iter().enumerate() {
            running += c.get();
            if running >= target {
                let v = Self::value_of(i);
                return if q == 0.0 {
                    v
                } else {
                    Self::highest_equivalent(v)
                };
            }
        }
        0
    }

    /// The largest value recorded, to the bin's resolution (the top of its bin, as HDR's
    /// `max()`); 0 when empty.
    pub fn max(&self) -> u64 {
        self.counts
            .iter()
            .rposition(|c| c.get() > 0)
            .map_or(0, |i| Self::highest_equivalent(Self::value_of(i)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type Hdr = hdrhistogram::Histogram<u64>;

    fn hdr(sigfig: u8) -> Hdr {
        Hdr::new_with_bounds(1, MAX_LATENCY_US, sigfig).expect("valid bounds")
    }

    const QUANTILES: [f64; 9] = [0.0, 0.001, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0];

    /// Records the same values in both and compares everything the engine reads.
    fn same_as_hdr<const S: u32>(values: &[u64]) {
        let mut ours = Histogram::<u32, S>::new();
        let mut theirs = hdr(S as u8);
        assert_eq!(ours.counts.len(), theirs.distinct_values());
        for &v in values {
            ours.record(v);
            theirs.saturating_record(v.max(1));
        }
        assert_eq!(ours.total, theirs.len());
        assert_eq!(ours.is_empty(), theirs.is_empty());
        for q in QUANTILES {
            assert_eq!(
                ours.value_at_quantile(q),
                theirs.value_at_quantile(q),
                "quantile {q} of {values:?}"
            );
        }
        if !theirs.is_empty() {
            assert_eq!(ours.max(), theirs.max(), "max of {values:?}");
        }
    }

    #[test]
    fn layout_matches_hdr() {
        fn len<const S: u32>() -> usize {
            Histogram::<u64, S>::new().counts.len()
        }
        let ours = [len::<1>(), len::<2>(), len::<3>(), len::<4>(), len::<5>()];
        for (k, n) in ours.into_iter().enumerate() {
            assert_eq!(n, hdr(k as u8 + 1).distinct_values());
        }
    }

    #[test]
    fn edges_of_the_range() {
        let cases: [&[u64]; 6] = [
            &[],
            &[0],
            &[1, 2, 3],
            &[MAX_LATENCY_US],
            // Above the range but inside the last bucket HDR keeps the value; far above it
            // counts as the top of the range.
            &[MAX_LATENCY_US + 1, 4_000_000_000],
            &[u64::MAX, 1 << 40, 5],
        ];
        for values in cases {
            same_as_hdr::<2>(values);
            same_as_hdr::<3>(values);
        }
    }

    #[test]
    fn reset_forgets() {
        let mut h = Histogram::<u32, 2>::new();
        h.record(1234);
        h.reset();
        assert!(h.is_empty());
        assert_eq!(h.value_at_quantile(0.5), 0);
        assert_eq!(h.max(), 0);
        h.record(7);
        assert_eq!(h.value_at_quantile(0.99), 7);
    }

    proptest! {
        #[test]
        fn quantiles_match_hdr(
            values in prop::collection::vec(
                prop_oneof![0u64..3000, 0u64..5_000_000, 0u64..5_000_000_000], 0..300),
        ) {
            same_as_hdr::<2>(&values);
            same_as_hdr::<3>(&values);
        }
    }
}
