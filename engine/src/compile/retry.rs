//! Retry and Catch lists → side-table entries of the state.

use super::builder::Builder;
use super::io::result_target;
use super::labels::StateLabels;
use crate::asl::{Catcher, Jitter, Retrier};
use crate::bytecode::{sees, CatcherInfo, ErrorMatcher, OpId, RetrierInfo, StateId};

/// Sets the `Retry` and `Catch` tables of state `sid`.
pub(super) fn attach(
    b: &mut Builder,
    sid: StateId,
    retry: &[Retrier],
    catch: &[Catcher],
    labels: &StateLabels<'_>,
) {
    let retriers = retriers(retry);
    let catchers = catchers(b, sid, catch, labels);
    let st = &mut b.states[sid.idx()];
    st.retriers = retriers;
    st.catchers = catchers;
}

fn matcher(errors: &[String]) -> ErrorMatcher {
    ErrorMatcher {
        names: errors.iter().map(|e| e.as_str().into()).collect(),
        all: errors.iter().any(|e| e == "States.ALL"),
        task_failed: errors.iter().any(|e| e == "States.TaskFailed"),
    }
}

fn retriers(rs: &[Retrier]) -> Vec<RetrierInfo> {
    rs.iter()
        .map(|r| RetrierInfo {
            errors: matcher(&r.error_equals),
            interval_ms: r.interval_seconds.saturating_mul(1000),
            max_attempts: r.max_attempts,
            backoff_rate: r.backoff_rate,
            max_delay_ms: r.max_delay_seconds.map(|s| s.saturating_mul(1000)),
            full_jitter: r.jitter == Jitter::Full,
        })
        .collect()
}

/// Catchers whose `next` is patched once the target states are placed.
fn catchers(
    b: &mut Builder,
    state: StateId,
    cs: &[Catcher],
    labels: &StateLabels<'_>,
) -> Vec<CatcherInfo> {
    cs.iter()
        .enumerate()
        .map(|(i, c)| {
            let result = result_target(b, c.result_path.as_ref());
            let l = labels.target(b, &c.next);
            b.catch_fixups.push((state, i, l));
            let output = c.output.as_ref().map(|o| b.query_of(o, sees::ERROR_OUTPUT));
            let at = format!("{}/Catch/{i}/Assign", b.states[state.idx()].pointer);
            let assign = c
                .assign
                .as_ref()
                .map(|a| b.assign(a, &at, sees::ERROR_OUTPUT));
            CatcherInfo {
                errors: matcher(&c.error_equals),
                next: OpId(u32::MAX),
                result,
                output,
                assign,
            }
        })
        .collect()
}
