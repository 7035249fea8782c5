//! Retry and Catch lists → side-table entries of the state.

use super::builder::Builder;
use crate::asl::{Catcher, Jitter, Retrier};
use crate::bytecode::{CatcherInfo, ErrorMatcher, OpId, ResultTarget, RetrierInfo, StateId};

pub(super) fn matcher(errors: &[String]) -> ErrorMatcher {
    ErrorMatcher {
        names: errors.iter().map(|e| e.as_str().into()).collect(),
        all: errors.iter().any(|e| e == "States.ALL"),
        task_failed: errors.iter().any(|e| e == "States.TaskFailed"),
    }
}

pub(super) fn retriers(rs: &[Retrier]) -> Vec<RetrierInfo> {
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
pub(super) fn catchers(
    b: &mut Builder,
    state: StateId,
    cs: &[Catcher],
    pointer: &str,
    label_of: &mut impl FnMut(&mut Builder, &str) -> super::builder::Label,
) -> Vec<CatcherInfo> {
    cs.iter()
        .enumerate()
        .map(|(i, c)| {
            let result = result_target(
                b,
                c.result_path.as_deref(),
                &format!("{pointer}/Catch/{i}/ResultPath"),
            );
            let l = label_of(b, &c.next);
            b.catch_fixups.push((state, i, l));
            CatcherInfo {
                errors: matcher(&c.error_equals),
                next: OpId(u32::MAX),
                result,
            }
        })
        .collect()
}

pub(super) fn result_target(b: &mut Builder, path: Option<&str>, location: &str) -> ResultTarget {
    match path {
        None => ResultTarget::Discard,
        Some("$") => ResultTarget::Root,
        Some(p) => ResultTarget::Path(b.path(p, true, location)),
    }
}
