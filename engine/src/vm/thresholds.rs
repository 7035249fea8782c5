//! A Distributed Map's tolerated-failure thresholds, read when its Map Run
//! starts: literals, `…Path` fields and JSONata expressions, with AWS's
//! causes for a value that is not a number or out of range.

use super::fiber::Fiber;
use super::query::{self, QUERY_ERROR};
use super::tolerance::Tolerance;
use crate::bytecode::{MapInfo, Program, Threshold};
use crate::error::Failure;
use crate::json::Val;

/// The thresholds of `info`, read from the state's effective input. With
/// neither field, any failure fails the Map Run (AWS's defaults are 0); with
/// one, only that one applies.
///
/// # Errors
/// AWS's `States.Runtime` causes for a `…Path` value that is not a number or
/// out of range; `States.QueryEvaluationError` for an expression's.
pub(super) fn tolerance(
    f: &mut Fiber,
    prog: &Program,
    now_ms: i64,
    info: &MapInfo,
    input: Val,
) -> Result<Tolerance, Failure> {
    let (count, percentage) = (info.tolerated_count, info.tolerated_percentage);
    if count.is_none() && percentage.is_none() {
        return Ok(Tolerance::NONE);
    }
    let count = match count {
        None => u64::MAX,
        Some(t) => {
            let (v, jsonata) = value(f, prog, now_ms, t, "ToleratedFailureCount", input)?;
            if v < 0.0 {
                let e = if jsonata {
                    QUERY_ERROR
                } else {
                    "States.Runtime"
                };
                return Err(Failure::new(e, "ToleratedFailureCount cannot be negative."));
            }
            v as u64
        }
    };
    let percentage = match percentage {
        None => f64::INFINITY,
        Some(t) => {
            let (v, jsonata) = value(f, prog, now_ms, t, "ToleratedFailurePercentage", input)?;
            if !(0.0..=100.0).contains(&v) {
                let e = if jsonata {
                    QUERY_ERROR
                } else {
                    "States.Runtime"
                };
                return Err(Failure::new(
                    e,
                    "ToleratedFailurePercentage must be between 0 and 100.",
                ));
            }
            v
        }
    };
    Ok(Tolerance { count, percentage })
}

/// A threshold's number, and whether it came from a JSONata expression.
fn value(
    f: &mut Fiber,
    prog: &Program,
    now_ms: i64,
    t: Threshold,
    field: &str,
    input: Val,
) -> Result<(f64, bool), Failure> {
    let integer = field == "ToleratedFailureCount";
    match t {
        Threshold::Value(v) => Ok((v, false)),
        Threshold::Query(q) => {
            let v = query::eval(f, prog, now_ms, q, query::Extra::default())?;
            let n = if integer {
                f.doc.as_i64(v).map(|i| i as f64)
            } else {
                f.doc.as_f64(v)
            };
            let expected = if integer { "integer" } else { "number" };
            n.map(|n| (n, true))
                .ok_or_else(|| query::wrong_type(prog, q, field, expected, &f.doc, v))
        }
        Threshold::Path(p) => {
            let path = &prog.paths[p.idx()];
            let Some(v) = path.select_with(&mut f.doc, input, f.ctx, f.vars) else {
                return Err(Failure::runtime(path.invalid_path_cause(&f.doc, input)));
            };
            let text = f.doc.as_str(v);
            let n = if integer {
                f.doc
                    .as_i64(v)
                    .map(|i| i as f64)
                    .or_else(|| text.and_then(|s| s.parse::<i64>().ok()).map(|i| i as f64))
            } else {
                f.doc
                    .as_f64(v)
                    .or_else(|| text.and_then(|s| s.parse::<f64>().ok()))
            };
            n.map(|n| (n, false)).ok_or_else(|| {
                let shown = text.map_or_else(|| f.doc.to_json(v), str::to_owned);
                let kind = if integer { "integer" } else { "float" };
                Failure::runtime(format!(
                    "The {field}Path field refers to value \"{shown}\" which is not a valid {kind}: {}",
                    path.source()
                ))
            })
        }
    }
}

/// AWS's "An error occurred while executing the state …" prefix on a
/// `States.Runtime` or `States.QueryEvaluationError` cause raised when the
/// Map Run starts (as `step.rs` adds it to an op's).
pub(super) fn located(prog: &Program, f: &Fiber, mut e: Failure) -> Failure {
    if e.error == "States.Runtime" || e.error == QUERY_ERROR {
        let st = prog.state(f.state);
        e.cause = format!(
            "An error occurred while executing the state '{}' (entered at the event id #{}). {}",
            st.name, f.entered_event, e.cause
        );
    }
    e
}
