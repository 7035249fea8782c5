//! Retry and Catch as pure decisions over a state's tables.

use crate::bytecode::StateInfo;

/// What to do with an error raised in a state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Run the state again after this many milliseconds.
    Retry { delay_ms: u64 },
    /// Go to catcher `index`.
    Catch { index: usize },
    /// Fail the fiber.
    Fail,
}

/// Decides per AWS: the first retrier whose `ErrorEquals` matches retries
/// while it has attempts left (each retrier counts its own attempts for the
/// whole visit); once exhausted, or with no retrier, the first matching catcher.
pub(crate) fn decide(
    st: &StateInfo,
    counts: &mut [u32],
    error: &str,
    mut rand_unit: impl FnMut() -> f64,
) -> Decision {
    if let Some(i) = st.retriers.iter().position(|r| r.errors.matches(error)) {
        let r = &st.retriers[i];
        let n = counts.get(i).copied().unwrap_or(0);
        if u64::from(n) < r.max_attempts {
            if let Some(c) = counts.get_mut(i) {
                *c += 1;
            }
            let mut delay = r.interval_ms as f64 * r.backoff_rate.powi(n as i32);
            if let Some(max) = r.max_delay_ms {
                delay = delay.min(max as f64);
            }
            if r.full_jitter {
                delay *= rand_unit();
            }
            return Decision::Retry {
                delay_ms: delay.clamp(0.0, 1e15) as u64,
            };
        }
    }
    match st.catchers.iter().position(|c| c.errors.matches(error)) {
        Some(index) => Decision::Catch { index },
        None => Decision::Fail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::*;

    fn state(retriers: Vec<RetrierInfo>, catch_all: bool) -> StateInfo {
        StateInfo {
            name: "S".into(),
            pointer: "/States/S".into(),
            kind: StateType::Task,
            block: BlockId(0),
            entry: OpId(0),
            retry_point: OpId(1),
            retry_keeps_input: false,
            retriers,
            catchers: if catch_all {
                vec![CatcherInfo {
                    errors: ErrorMatcher {
                        names: vec!["States.ALL".into()],
                        all: true,
                        task_failed: false,
                    },
                    next: OpId(0),
                    result: ResultTarget::Root,
                    output: None,
                    assign: None,
                }]
            } else {
                vec![]
            },
            context: 0,
        }
    }

    fn retrier(names: &[&str], max: u64, backoff: f64, cap: Option<u64>) -> RetrierInfo {
        RetrierInfo {
            errors: ErrorMatcher {
                names: names.iter().map(|s| (*s).into()).collect(),
                all: names.contains(&"States.ALL"),
                task_failed: names.contains(&"States.TaskFailed"),
            },
            interval_ms: 1000,
            max_attempts: max,
            backoff_rate: backoff,
            max_delay_ms: cap,
            full_jitter: false,
        }
    }

    #[test]
    fn backoff_then_catch() {
        let st = state(vec![retrier(&["E"], 3, 2.0, Some(3000))], true);
        let mut c = vec![0];
        let d: Vec<_> = (0..4).map(|_| decide(&st, &mut c, "E", || 0.5)).collect();
        assert_eq!(d[0], Decision::Retry { delay_ms: 1000 });
        assert_eq!(d[1], Decision::Retry { delay_ms: 2000 });
        assert_eq!(d[2], Decision::Retry { delay_ms: 3000 });
        assert_eq!(d[3], Decision::Catch { index: 0 });
    }

    #[test]
    fn runtime_is_not_caught_by_all() {
        let st = state(vec![retrier(&["States.ALL"], 3, 2.0, None)], true);
        let mut c = vec![0];
        assert_eq!(
            decide(&st, &mut c, "States.Runtime", || 0.5),
            Decision::Fail
        );
        assert_eq!(
            decide(&st, &mut c, "Other", || 0.5),
            Decision::Retry { delay_ms: 1000 }
        );
    }

    #[test]
    fn task_failed_skips_timeout() {
        let st = state(vec![retrier(&["States.TaskFailed"], 1, 1.0, None)], false);
        let mut c = vec![0];
        assert_eq!(
            decide(&st, &mut c, "States.Timeout", || 0.5),
            Decision::Fail
        );
        assert_eq!(
            decide(&st, &mut c, "Lambda.Unknown", || 0.5),
            Decision::Retry { delay_ms: 1000 }
        );
        assert_eq!(
            decide(&st, &mut c, "Lambda.Unknown", || 0.5),
            Decision::Fail
        );
    }

    #[test]
    fn zero_attempts_never_retries() {
        let st = state(vec![retrier(&["E"], 0, 2.0, None)], false);
        let mut c = vec![0];
        assert_eq!(decide(&st, &mut c, "E", || 0.5), Decision::Fail);
    }
}
