//! The one random number generator of a simulation, and the distributions drawn from it.
//!
//! Xoshiro256++ seeded through SplitMix64: tiny, fast and bit-for-bit identical on every
//! platform. Transcendental functions come from `libm`, a pure-Rust port of musl's, because the
//! platform `ln`/`exp` may differ in the last bit between x86_64 and wasm32, and one differing
//! bit would change every later event. Exponentials, the most frequent draw, come from a
//! ziggurat (`rng/ziggurat.rs`) that needs a logarithm only in its rare tail.

mod ziggurat;

/// A seeded, portable pseudo-random generator (xoshiro256++).
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator whose whole stream is fixed by `seed`.
    pub fn new(seed: u64) -> Rng {
        let mut sm = seed;
        let mut next = || {
            sm = sm.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = sm;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in (0, 1]: safe to take the logarithm of.
    pub fn uniform_open0(&mut self) -> f64 {
        1.0 - self.uniform()
    }

    /// Uniform integer in [0, n); `n` must be > 0.
    pub fn below(&mut self, n: u64) -> u64 {
        // Lemire's multiply-shift; the bias is below 2^-40 for the sizes used here.
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Exponential with the given mean.
    #[inline]
    pub fn exp(&mut self, mean: f64) -> f64 {
        mean * ziggurat::std_exp(self)
    }

    /// Standard normal (Box–Muller; the second value is discarded to keep the stream simple).
    pub fn std_normal(&mut self) -> f64 {
        let u1 = self.uniform_open0();
        let u2 = self.uniform();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(std::f64::consts::TAU * u2)
    }

    /// A child generator with its own stream, for replications.
    pub fn fork(&mut self) -> Rng {
        Rng::new(self.next_u64())
    }
}

/// Zipf over the ranks 1..=n with exponent `s` (s = 0 is uniform), drawn in O(1) by
/// rejection-inversion (Hörmann & Derflinger 1996), so millions of users cost nothing.
#[derive(Clone, Debug)]
pub struct Zipf {
    n: f64,
    s: f64,
    h_integral_x1: f64,
    h_integral_n: f64,
    threshold: f64,
}

impl Zipf {
    /// A sampler for ranks 1..=n; `n` ≥ 1 and `s` ≥ 0 (validation guarantees both).
    pub fn new(n: u64, s: f64) -> Zipf {
        let n = n.max(1) as f64;
        let mut z = Zipf {
            n,
            s,
            h_integral_x1: 0.0,
            h_integral_n: 0.0,
            threshold: 0.0,
        };
        z.h_integral_x1 = z.h_integral(1.5) - 1.0;
        z.h_integral_n = z.h_integral(n + 0.5);
        z.threshold = 2.0 - z.h_integral_inv(z.h_integral(2.5) - z.h(2.0));
        z
    }

    /// A rank in 1..=n; rank 1 is the most popular.
    // Inline: one call per request, and with one user or uniform popularity (the benchmark's
    // M/M/4 has one user) the answer is a compare or a multiply, cheaper than the call.
    #[inline]
    pub fn sample(&self, rng: &mut Rng) -> u64 {
        if self.n <= 1.0 {
            return 1; // one user: nothing to draw
        }
        if self.s == 0.0 {
            return 1 + rng.below(self.n as u64);
        }
        self.sample_skewed(rng)
    }

    /// Rejection-inversion for `s` > 0: logarithms and exponentials, kept out of line.
    #[inline(never)]
    fn sample_skewed(&self, rng: &mut Rng) -> u64 {
        loop {
            let u = self.h_integral_n + rng.uniform() * (self.h_integral_x1 - self.h_integral_n);
            let x = self.h_integral_inv(u);
            let k = (x + 0.5).floor().clamp(1.0, self.n);
            if k - x <= self.threshold || u >= self.h_integral(k + 0.5) - self.h(k) {
                return k as u64;
            }
        }
    }

    fn h(&self, x: f64) -> f64 {
        libm::exp(-self.s * libm::log(x))
    }

    fn h_integral(&self, x: f64) -> f64 {
        let log_x = libm::log(x);
        expm1_over_x((1.0 - self.s) * log_x) * log_x
    }

    fn h_integral_inv(&self, x: f64) -> f64 {
        let mut t = x * (1.0 - self.s);
        if t < -1.0 {
            t = -1.0;
        }
        libm::exp(log1p_over_x(t) * x)
    }
}

/// log(1+x)/x, stable near 0.
fn log1p_over_x(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        libm::log1p(x) / x
    } else {
        1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x))
    }
}

/// (exp(x)-1)/x, stable near 0.
fn expm1_over_x(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        libm::expm1(x) / x
    } else {
        1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_user_is_always_rank_one_and_costs_no_draw() {
        for s in [0.0, 1.1] {
            let mut rng = Rng::new(3);
            assert_eq!(Zipf::new(1, s).sample(&mut rng), 1);
            assert_eq!(rng.next_u64(), Rng::new(3).next_u64(), "no draw taken");
        }
    }

    #[test]
    fn same_seed_same_stream() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        assert_ne!(Rng::new(7).next_u64(), Rng::new(8).next_u64());
    }

    #[test]
    fn exponential_mean_is_right() {
        let mut r = Rng::new(1);
        let n = 200_000;
        let mean: f64 = (0..n).map(|_| r.exp(3.0)).sum::<f64>() / n as f64;
        assert!((mean - 3.0).abs() < 0.03, "mean {mean}");
    }

    #[test]
    fn zipf_matches_its_pmf() {
        let mut r = Rng::new(3);
        let z = Zipf::new(10, 1.0);
        let mut counts = [0u32; 11];
        let n = 200_000;
        for _ in 0..n {
            counts[z.sample(&mut r) as usize] += 1;
        }
        let h: f64 = (1..=10).map(|k| 1.0 / k as f64).sum();
        for (k, count) in counts.iter().enumerate().skip(1) {
            let expected = n as f64 / (k as f64 * h);
            let got = *count as f64;
            assert!(
                (got - expected).abs() < 0.03 * expected + 50.0,
                "rank {k}: {got} vs {expected}"
            );
        }
        assert_eq!(counts[0], 0);
    }

    #[test]
    fn zipf_zero_is_uniform_and_in_range() {
        let mut r = Rng::new(5);
        let z = Zipf::new(4, 0.0);
        let mut counts = [0u32; 5];
        for _ in 0..40_000 {
            counts[z.sample(&mut r) as usize] += 1;
        }
        assert_eq!(counts[0], 0);
        for c in &counts[1..] {
            assert!((*c as i64 - 10_000).abs() < 500);
        }
    }
}
