//! Arrival processes: when executions start, in milliseconds of virtual time.

use super::dist::LatencyDist;
use super::rng::Rng;

/// The `arrivals` of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub enum ArrivalSpec {
    /// Every execution starts at time 0 (`{"process":"all"}`, the default).
    All,
    /// A Poisson process: exponential gaps with mean `1000 / rate_per_s` ms.
    Poisson {
        /// Mean arrivals per second.
        rate_per_s: f64,
    },
    /// A piecewise-constant rate, Poisson within each step.
    Steps(Vec<RateStep>),
    /// `size` executions every `every_s` seconds, from `start_s`, spaced
    /// evenly over `spread_s` seconds inside each burst (0: all at once).
    Bursts {
        /// Seconds between the starts of two bursts.
        every_s: f64,
        /// Executions per burst.
        size: u64,
        /// Time of the first burst.
        start_s: f64,
        /// How long each burst lasts.
        spread_s: f64,
    },
    /// A closed loop: `concurrency` executions in flight; each one that ends
    /// is replaced by a new one after a think time.
    Closed {
        /// Executions in flight.
        concurrency: u32,
        /// Delay between an execution's end and its replacement's start (none: 0).
        think_ms: Option<LatencyDist>,
    },
}

/// One step of [`ArrivalSpec::Steps`]: from `at_s` on (until the next step), `rate_per_s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateStep {
    /// When the step begins, in seconds (steps are strictly increasing).
    pub at_s: f64,
    /// Mean arrivals per second during the step (0: a pause).
    pub rate_per_s: f64,
}

/// What bounds a run: no execution starts once either bound is reached.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bounds {
    /// At most this many executions start.
    pub executions: Option<u64>,
    /// No execution starts at or after this time (executions in flight still finish).
    pub duration_s: Option<f64>,
}

impl Bounds {
    /// Whether the `started`-th execution (0-based) may start at `t_ms`.
    pub fn admits(&self, started: u64, t_ms: f64) -> bool {
        self.executions.is_none_or(|n| started < n)
            && self.duration_s.is_none_or(|d| t_ms < d * 1000.0)
    }
}

/// How the driver starts executions.
#[derive(Debug, Clone)]
pub enum ArrivalMode {
    /// Open loop: start times come from [`Arrivals::next_at`].
    Open(Arrivals),
    /// Closed loop: the driver keeps `concurrency` executions in flight while
    /// `bounds.admits(started, now)`; think times come from `think_ms`
    /// (sampled from the stream [`super::rng::streams::THINK`]).
    Closed {
        /// Executions in flight.
        concurrency: u32,
        /// Think time between an end and the next start.
        think_ms: Option<LatencyDist>,
        /// The run's bounds.
        bounds: Bounds,
    },
}

impl ArrivalSpec {
    /// The arrival mode for this process under `bounds`.
    pub fn mode(&self, bounds: Bounds) -> ArrivalMode {
        match self {
            ArrivalSpec::Closed {
                concurrency,
                think_ms,
            } => ArrivalMode::Closed {
                concurrency: *concurrency,
                think_ms: think_ms.clone(),
                bounds,
            },
            open => ArrivalMode::Open(Arrivals {
                spec: open.clone(),
                bounds,
                started: 0,
                t_ms: 0.0,
                step: 0,
            }),
        }
    }
}

/// An open-loop arrival generator: non-decreasing start times in ms.
#[derive(Debug, Clone)]
pub struct Arrivals {
    spec: ArrivalSpec,
    bounds: Bounds,
    started: u64,
    t_ms: f64,
    step: usize,
}

impl Arrivals {
    /// The next start time, or `None` when the bounds are reached (or the
    /// process never produces another arrival, e.g. a final step of rate 0).
    pub fn next_at(&mut self, rng: &mut Rng) -> Option<f64> {
        let t = match &self.spec {
            ArrivalSpec::All if self.bounds.executions.is_none() => return None,
            ArrivalSpec::All | ArrivalSpec::Closed { .. } => 0.0,
            ArrivalSpec::Poisson { rate_per_s } => self.t_ms + gap_ms(*rate_per_s, rng),
            ArrivalSpec::Steps(steps) => {
                if self.started == 0 {
                    self.t_ms = steps.first()?.at_s * 1000.0;
                }
                next_step_time(steps, &mut self.t_ms, &mut self.step, self.bounds, rng)?
            }
            ArrivalSpec::Bursts {
                every_s,
                size,
                start_s,
                spread_s,
            } => {
                let burst = self.started / size;
                let i = self.started % size;
                (start_s + burst as f64 * every_s) * 1000.0
                    + spread_s * 1000.0 * i as f64 / *size as f64
            }
        };
        if !self.bounds.admits(self.started, t) {
            return None;
        }
        self.t_ms = t;
        self.started += 1;
        Some(t)
    }

    /// How many arrivals have been produced.
    pub fn started(&self) -> u64 {
        self.started
    }
}

/// The next Poisson arrival after `*t_ms` under piecewise-constant rates.
fn next_step_time(
    steps: &[RateStep],
    t_ms: &mut f64,
    step: &mut usize,
    bounds: Bounds,
    rng: &mut Rng,
) -> Option<f64> {
    loop {
        let rate = steps[*step].rate_per_s;
        let end = steps.get(*step + 1).map(|s| s.at_s * 1000.0);
        if rate > 0.0 {
            let t = *t_ms + gap_ms(rate, rng);
            if end.is_none_or(|e| t < e) {
                return Some(t);
            }
        }
        // Memoryless: restarting the clock at the step boundary is exact.
        *t_ms = end?;
        *step += 1;
        if bounds.duration_s.is_some_and(|d| *t_ms >= d * 1000.0) {
            return None;
        }
    }
}

fn gap_ms(rate_per_s: f64, rng: &mut Rng) -> f64 {
    -(1000.0 / rate_per_s) * rng.next_f64_open0().ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(spec: ArrivalSpec, executions: Option<u64>, duration_s: Option<f64>) -> Arrivals {
        match spec.mode(Bounds {
            executions,
            duration_s,
        }) {
            ArrivalMode::Open(a) => a,
            ArrivalMode::Closed { .. } => panic!("closed"),
        }
    }

    fn all_times(mut a: Arrivals) -> Vec<f64> {
        let mut rng = Rng::new(5);
        std::iter::from_fn(|| a.next_at(&mut rng)).collect()
    }

    #[test]
    fn all_at_once() {
        let t = all_times(open(ArrivalSpec::All, Some(5), None));
        assert_eq!(t, vec![0.0; 5]);
        assert!(all_times(open(ArrivalSpec::All, None, Some(1.0))).is_empty());
    }

    #[test]
    fn poisson_count_matches_rate() {
        let t = all_times(open(
            ArrivalSpec::Poisson { rate_per_s: 50.0 },
            None,
            Some(200.0),
        ));
        // 10,000 expected; sd 100.
        assert!((t.len() as f64 - 10_000.0).abs() < 400.0, "{}", t.len());
        assert!(t.windows(2).all(|w| w[0] <= w[1]));
        assert!(*t.last().unwrap() < 200_000.0);
        let t = all_times(open(
            ArrivalSpec::Poisson { rate_per_s: 1.0 },
            Some(3),
            None,
        ));
        assert_eq!(t.len(), 3);
    }

    #[test]
    fn steps_change_rate() {
        let spec = ArrivalSpec::Steps(vec![
            RateStep {
                at_s: 10.0,
                rate_per_s: 10.0,
            },
            RateStep {
                at_s: 110.0,
                rate_per_s: 0.0,
            },
            RateStep {
                at_s: 120.0,
                rate_per_s: 100.0,
            },
        ]);
        let t = all_times(open(spec, None, Some(220.0)));
        let count = |a: f64, b: f64| t.iter().filter(|x| **x >= a && **x < b).count() as f64;
        assert_eq!(count(0.0, 10_000.0), 0.0);
        assert!((count(10_000.0, 110_000.0) - 1000.0).abs() < 120.0);
        assert_eq!(count(110_000.0, 120_000.0), 0.0);
        assert!((count(120_000.0, 220_000.0) - 10_000.0).abs() < 400.0);
        // A final pause ends the process even without a duration.
        let spec = ArrivalSpec::Steps(vec![
            RateStep {
                at_s: 0.0,
                rate_per_s: 100.0,
            },
            RateStep {
                at_s: 1.0,
                rate_per_s: 0.0,
            },
        ]);
        assert!(all_times(open(spec, None, None)).len() < 200);
    }

    #[test]
    fn bursts() {
        let spec = ArrivalSpec::Bursts {
            every_s: 60.0,
            size: 3,
            start_s: 0.0,
            spread_s: 0.0,
        };
        let t = all_times(open(spec, None, Some(150.0)));
        assert_eq!(
            t,
            vec![0.0, 0.0, 0.0, 60e3, 60e3, 60e3, 120e3, 120e3, 120e3]
        );
        let spec = ArrivalSpec::Bursts {
            every_s: 10.0,
            size: 2,
            start_s: 5.0,
            spread_s: 1.0,
        };
        assert_eq!(all_times(open(spec, Some(3), None)), vec![5e3, 5.5e3, 15e3]);
    }

    #[test]
    fn closed_is_a_mode() {
        let spec = ArrivalSpec::Closed {
            concurrency: 8,
            think_ms: None,
        };
        let b = Bounds {
            executions: Some(10),
            duration_s: None,
        };
        assert!(matches!(
            spec.mode(b),
            ArrivalMode::Closed { concurrency: 8, .. }
        ));
        assert!(b.admits(9, 1e12) && !b.admits(10, 0.0));
    }
}
