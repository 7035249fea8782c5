//! Latency distributions, sampled in milliseconds.

use super::error::EmpiricalError;
use super::rng::Rng;

/// A distribution of latencies in milliseconds. Every sample is `>= 0`.
#[derive(Debug, Clone, PartialEq)]
pub enum LatencyDist {
    /// Always `value`.
    Constant(f64),
    /// Uniform on `[min, max)`.
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Normal, truncated at 0 (negative draws are redrawn).
    Normal {
        /// Mean of the untruncated normal.
        mean: f64,
        /// Standard deviation.
        stddev: f64,
    },
    /// Log-normal: `exp(mu + sigma * Z)`; the median is `exp(mu)`.
    LogNormal {
        /// Mean of the underlying normal (`ln(median)`).
        mu: f64,
        /// Standard deviation of the underlying normal (the shape).
        sigma: f64,
    },
    /// Exponential with this mean (inverse CDF).
    Exponential {
        /// Mean.
        mean: f64,
    },
    /// Piecewise-linear inverse CDF through the given percentiles.
    Empirical(Empirical),
}

impl LatencyDist {
    /// A log-normal with the given median and shape `sigma`.
    pub fn lognormal_median(median: f64, sigma: f64) -> LatencyDist {
        LatencyDist::LogNormal {
            mu: median.ln(),
            sigma,
        }
    }

    /// A log-normal whose own mean and standard deviation are these (in ms):
    /// `sigma² = ln(1 + sd²/mean²)`, `mu = ln(mean) − sigma²/2`.
    pub fn lognormal_mean(mean: f64, stddev: f64) -> LatencyDist {
        let s2 = (1.0 + (stddev * stddev) / (mean * mean)).ln();
        LatencyDist::LogNormal {
            mu: mean.ln() - s2 / 2.0,
            sigma: s2.sqrt(),
        }
    }

    /// One latency in milliseconds.
    pub fn sample_ms(&self, rng: &mut Rng) -> f64 {
        match self {
            LatencyDist::Constant(v) => *v,
            LatencyDist::Uniform { min, max } => min + (max - min) * rng.next_f64(),
            LatencyDist::Normal { mean, stddev } => {
                // Rejection keeps the shape of the truncated normal; the mean is
                // validated >= 0, so each try succeeds with probability >= 1/2.
                for _ in 0..64 {
                    let x = mean + stddev * std_normal(rng);
                    if x >= 0.0 {
                        return x;
                    }
                }
                0.0
            }
            LatencyDist::LogNormal { mu, sigma } => (mu + sigma * std_normal(rng)).exp(),
            LatencyDist::Exponential { mean } => -mean * rng.next_f64_open0().ln(),
            LatencyDist::Empirical(e) => e.quantile(rng.next_f64()),
        }
    }
}

/// A standard normal draw (Box–Muller; one of the pair is used, so sampling
/// needs no state beyond the generator).
pub fn std_normal(rng: &mut Rng) -> f64 {
    let u1 = rng.next_f64_open0();
    let u2 = rng.next_f64();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// An empirical distribution: points `(q, value)` with `q` in `[0, 1]`,
/// starting at `q = 0`, ending at `q = 1`, both non-decreasing.
#[derive(Debug, Clone, PartialEq)]
pub struct Empirical {
    points: Vec<(f64, f64)>,
}

impl Empirical {
    /// Builds the table from `(percentile in [0, 100], value)` pairs, in any order.
    ///
    /// # Errors
    /// p0 or p100 is missing, a percentile repeats, or values decrease as
    /// the percentile grows.
    pub fn from_percentiles(mut pts: Vec<(f64, f64)>) -> Result<Empirical, EmpiricalError> {
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        if pts.first().map(|p| p.0) != Some(0.0) || pts.last().map(|p| p.0) != Some(100.0) {
            return Err(EmpiricalError::MissingEnds);
        }
        for w in pts.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(EmpiricalError::Repeated { percentile: w[0].0 });
            }
            if w[1].1 < w[0].1 {
                return Err(EmpiricalError::Decreasing {
                    at: w[1],
                    before: w[0],
                });
            }
        }
        let points = pts.into_iter().map(|(p, v)| (p / 100.0, v)).collect();
        Ok(Empirical { points })
    }

    /// The value at quantile `q` in `[0, 1]`, interpolating linearly.
    pub fn quantile(&self, q: f64) -> f64 {
        let i = self.points.partition_point(|p| p.0 <= q);
        if i == 0 {
            return self.points[0].1;
        }
        if i == self.points.len() {
            return self.points[i - 1].1;
        }
        let (q0, v0) = self.points[i - 1];
        let (q1, v1) = self.points[i];
        v0 + (v1 - v0) * (q - q0) / (q1 - q0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const N: usize = 100_000;

    fn samples(d: &LatencyDist) -> Vec<f64> {
        let mut rng = Rng::new(12345);
        let mut v: Vec<f64> = (0..N).map(|_| d.sample_ms(&mut rng)).collect();
        assert!(v.iter().all(|x| *x >= 0.0 && x.is_finite()));
        v.sort_by(f64::total_cmp);
        v
    }

    fn mean(v: &[f64]) -> f64 {
        v.iter().sum::<f64>() / v.len() as f64
    }

    fn pct(v: &[f64], p: f64) -> f64 {
        v[((v.len() as f64 * p) as usize).min(v.len() - 1)]
    }

    fn near(got: f64, want: f64, rel: f64) {
        assert!(
            (got - want).abs() <= rel * want.abs(),
            "got {got}, want {want} ± {}%",
            rel * 100.0
        );
    }

    #[test]
    fn constant_and_uniform() {
        let v = samples(&LatencyDist::Constant(7.0));
        assert!(v.iter().all(|x| *x == 7.0));
        let v = samples(&LatencyDist::Uniform {
            min: 10.0,
            max: 30.0,
        });
        near(mean(&v), 20.0, 0.01);
        near(pct(&v, 0.25), 15.0, 0.02);
        assert!(v[0] >= 10.0 && v[N - 1] < 30.0);
    }

    #[test]
    fn normal() {
        let v = samples(&LatencyDist::Normal {
            mean: 100.0,
            stddev: 10.0,
        });
        near(mean(&v), 100.0, 0.005);
        near(pct(&v, 0.8413), 110.0, 0.01);
        // Truncated: mean 0 gives a half-normal, mean sd·√(2/π).
        let v = samples(&LatencyDist::Normal {
            mean: 0.0,
            stddev: 10.0,
        });
        near(mean(&v), 10.0 * (2.0 / std::f64::consts::PI).sqrt(), 0.02);
    }

    #[test]
    fn lognormal_both_parameterisations() {
        let v = samples(&LatencyDist::lognormal_median(50.0, 0.5));
        near(pct(&v, 0.5), 50.0, 0.02);
        near(mean(&v), 50.0 * (0.125f64).exp(), 0.02);
        let v = samples(&LatencyDist::lognormal_mean(200.0, 100.0));
        near(mean(&v), 200.0, 0.02);
        let sd = (v.iter().map(|x| (x - 200.0).powi(2)).sum::<f64>() / N as f64).sqrt();
        near(sd, 100.0, 0.05);
    }

    #[test]
    fn exponential() {
        let v = samples(&LatencyDist::Exponential { mean: 200.0 });
        near(mean(&v), 200.0, 0.02);
        near(pct(&v, 0.5), 200.0 * 2f64.ln(), 0.02);
        near(pct(&v, 0.99), 200.0 * 100f64.ln(), 0.05);
    }

    #[test]
    fn empirical_percentiles() {
        let e = Empirical::from_percentiles(vec![
            (50.0, 40.0),
            (0.0, 5.0),
            (90.0, 120.0),
            (99.0, 400.0),
            (100.0, 900.0),
        ])
        .unwrap();
        assert_eq!(e.quantile(0.0), 5.0);
        assert_eq!(e.quantile(1.0), 900.0);
        assert!((e.quantile(0.7) - 80.0).abs() < 1e-9);
        let v = samples(&LatencyDist::Empirical(e));
        near(pct(&v, 0.5), 40.0, 0.02);
        near(pct(&v, 0.9), 120.0, 0.02);
        near(pct(&v, 0.99), 400.0, 0.03);
        assert!(v[N - 1] <= 900.0 && v[0] >= 5.0);
    }

    #[test]
    fn empirical_rejects_bad_tables() {
        assert!(Empirical::from_percentiles(vec![(50.0, 1.0), (100.0, 2.0)]).is_err());
        assert!(Empirical::from_percentiles(vec![(0.0, 3.0), (100.0, 2.0)]).is_err());
        assert!(Empirical::from_percentiles(vec![(0.0, 1.0), (0.0, 1.0), (100.0, 2.0)]).is_err());
    }
}
