//! Seeded arrival processes: exponential inter-arrival times make a Poisson
//! process at a given rate. The generator is SplitMix64, so a schedule is a
//! pure function of (seed, rate) on every machine.

/// SplitMix64: small, fast, and good enough for arrival times.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)` with 53 bits of precision.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// Arrival offsets (nanoseconds from the start of the schedule) of a
/// Poisson process at `rate` arrivals per second.
#[derive(Debug, Clone)]
pub struct Poisson {
    rng: SplitMix64,
    mean_gap_ns: f64,
    at_ns: f64,
}

impl Poisson {
    /// A schedule at `rate` per second (must be positive), from `seed`.
    pub fn new(rate: f64, seed: u64) -> Self {
        Poisson {
            rng: SplitMix64::new(seed),
            mean_gap_ns: 1e9 / rate,
            at_ns: 0.0,
        }
    }

    /// One exponential gap, in nanoseconds.
    pub fn gap_ns(&mut self) -> f64 {
        // 1 - u is in (0, 1], so the logarithm is finite.
        -(1.0 - self.rng.next_f64()).ln() * self.mean_gap_ns
    }
}

impl Iterator for Poisson {
    type Item = u64;

    /// The next arrival's offset from the start, in nanoseconds.
    fn next(&mut self) -> Option<u64> {
        self.at_ns += self.gap_ns();
        Some(self.at_ns as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_gap_matches_rate() {
        let n = 200_000;
        let rate = 10_000.0;
        let last = Poisson::new(rate, 42).nth(n - 1).unwrap();
        let mean_ns = last as f64 / n as f64;
        // Standard error of the mean of exponentials is mean/sqrt(n) ≈ 0.22%.
        assert!((mean_ns - 1e5).abs() < 1e5 * 0.01, "mean gap {mean_ns} ns");
    }

    #[test]
    fn gaps_look_exponential() {
        // For an exponential, P(gap > mean) = 1/e and the variance is mean².
        let mut p = Poisson::new(1_000.0, 7);
        let gaps: Vec<f64> = (0..100_000).map(|_| p.gap_ns() / 1e6).collect();
        let over = gaps.iter().filter(|g| **g > 1.0).count() as f64 / gaps.len() as f64;
        assert!(
            (over - (-1.0f64).exp()).abs() < 0.01,
            "P(gap > mean) = {over}"
        );
        let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
        let var = gaps.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / gaps.len() as f64;
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
    }

    #[test]
    fn same_seed_same_schedule() {
        let a: Vec<u64> = Poisson::new(500.0, 3).take(100).collect();
        let b: Vec<u64> = Poisson::new(500.0, 3).take(100).collect();
        let c: Vec<u64> = Poisson::new(500.0, 4).take(100).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.windows(2).all(|w| w[0] <= w[1]));
    }
}
