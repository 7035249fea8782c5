//! Running the tested state: its machine compiled by the engine's own
//! compiler, then its ops stepped one at a time through [`Probe`], with the
//! mock standing in for the task call or the Map's or Parallel's children,
//! the value after each I/O step kept for `inspectionData`, and Retry and
//! Catch decided once (RETRIABLE, CAUGHT_ERROR) instead of acted on.
//!
//! Why stepping rather than a hook in the interpreter loop: the ops run
//! through the interpreter's own `exec_op`, so every path, template,
//! intrinsic, JSONata expression and Choice rule computes what it computes
//! in an execution, while `run_slice` stays as it was and an execution
//! pays nothing for TestState.

use super::checks;
use super::error::TestStateError;
use super::extract::{extract, Extracted};
use super::inspect::{inspection, record, Seen};
use super::request::{InspectionLevel, TestStateRequest};
use super::response::{ErrorDetails, TestStateResponse, TestStatus};
use super::schema;
use crate::bytecode::Op;
use crate::error::Failure;
use crate::json::{Doc, Val};
use crate::vm::{machine_info, now_ms, Decision, Moved, Probe, RunOptions};
use crate::MachineType;
use serde_json::Value;

/// How the state ended.
struct End {
    status: TestStatus,
    output: Option<Val>,
    failure: Option<Failure>,
    next: Option<String>,
}

/// Tests one state (see [`crate::teststate`]).
///
/// # Errors
/// AWS's `ValidationException` or `InvalidDefinition` for a request TestState
/// refuses, and `NeedsService` for a Task state without a mock.
pub(crate) fn test_state(req: &TestStateRequest) -> Result<TestStateResponse, TestStateError> {
    let Extracted { state, machine } = extract(&req.definition, req.state_name.as_deref())?;
    let def = crate::Definition::parse(&machine, MachineType::Standard).map_err(|mut d| {
        // The wrapper's own "no terminal state" only repeats that the state
        // lacks `Next`/`End`, which is reported at the state.
        d.0.retain(|x| x.code != "MISSING_END_STATE" || !x.location.trim_matches('/').is_empty());
        TestStateError::from_diagnostics(d)
    })?;
    checks::check(req, &state)?;
    let mock = req.mock.as_ref();
    let mocked = match mock.and_then(|m| m.result.as_deref()) {
        Some(text) => Some(checks::mock_result(req, &state, text)?),
        None => None,
    };
    let ty = state.get("Type").and_then(Value::as_str).unwrap_or("");
    if let (Some(v), Some(m), "Task") = (&mocked, mock, ty) {
        let resource = state.get("Resource").and_then(Value::as_str).unwrap_or("");
        schema::validate(resource, v, m.field_validation_mode)?;
    }
    let mut reg = crate::handlers::Registry::default();
    reg.register("*", std::sync::Arc::new(crate::handlers::echo()));
    let prog = crate::compile::compile(def.state_machine(), &reg)
        .map_err(TestStateError::from_diagnostics)?;
    let info = machine_info(&RunOptions {
        machine_type: MachineType::ExpressSync,
        ..RunOptions::default()
    });
    let input = req.input.as_deref().unwrap_or("{}");
    let mut p = Probe::new(&prog, info, now_ms(), input)
        .map_err(|e| TestStateError::validation(&format!("Invalid input: {e}")))?;
    p.run_op(); // Enter
    prepare(&mut p, req)?;
    let jsonata =
        def.state_machine().block.states[0].query_language == crate::asl::QueryLanguage::Jsonata;
    let mut seen = Seen::default();
    let end = drive(&mut p, req, &state, mocked.as_ref(), &mut seen)?;
    Ok(respond(&mut p, req, ty, jsonata, seen, end))
}

/// The context object, variables and retry count the request gives.
fn prepare(p: &mut Probe<'_>, req: &TestStateRequest) -> Result<(), TestStateError> {
    if let Some(n) = req.state_configuration.retrier_retry_count {
        p.set_retry_count(n);
    }
    if let Some(c) = &req.context {
        let v = parse(p.doc(), c, "context")?;
        p.set_context(v);
    } else {
        role_arn(p, req.role_arn.as_deref());
    }
    if let Some(vars) = &req.variables {
        let v = parse(p.doc(), vars, "variables")?;
        if p.doc().as_object(v).is_none() {
            return Err(TestStateError::validation(
                "variables must be a JSON object",
            ));
        }
        p.set_vars(v);
    }
    Ok(())
}

/// `$$.Execution.RoleArn` of a built context: the request's role, else `null`.
fn role_arn(p: &mut Probe<'_>, role: Option<&str>) {
    let Some(ctx) = p.context() else { return };
    let d = p.doc();
    let Some(exec) = d.field(ctx, "Execution") else {
        return;
    };
    if d.field(exec, "RoleArn").is_none() {
        return;
    }
    let r = role.map_or(Doc::NULL, |r| d.str(r));
    let exec = d.with_field(exec, "RoleArn", r);
    let ctx = d.with_field(ctx, "Execution", exec);
    p.set_context(ctx);
}

fn parse(d: &mut Doc, text: &str, what: &str) -> Result<Val, TestStateError> {
    d.parse(text)
        .map_err(|e| TestStateError::validation(&format!("Invalid {what}: {e}")))
}

/// Steps the state's ops to its end.
fn drive(
    p: &mut Probe<'_>,
    req: &TestStateRequest,
    state: &Value,
    mocked: Option<&Value>,
    seen: &mut Seen,
) -> Result<End, TestStateError> {
    let mock_error = req
        .mock
        .as_ref()
        .and_then(|m| m.error_output.as_ref())
        .map(|e| Failure::new(e.error.clone(), e.cause.clone()));
    loop {
        let op = p.op();
        if matches!(op, Op::Enter(_)) {
            // Reached another state's entry without a jump op (cannot
            // happen in compiled code today; treated as a transition).
            let name = p.state_at(p.pc()).to_owned();
            return Ok(success(p, Some(name)));
        }
        let moved = match op {
            Op::Invoke(_) => {
                seen.invoked = true;
                let reply = match (&mock_error, mocked) {
                    (Some(e), _) => Err(e.clone()),
                    (None, Some(v)) => Ok(p.doc().import(v)),
                    (None, None) => Err(Failure::new("States.TaskFailed", "no mock")),
                };
                p.reply_with(reply);
                p.run_op()
            }
            Op::Map(m) => match map_step(p, m, req, state, mocked, seen, &mock_error) {
                Ok(()) => Moved::Next,
                Err(e) => Moved::Failed(e),
            },
            Op::Parallel(_) => match (&mock_error, mocked) {
                (Some(e), _) => Moved::Failed(e.clone()),
                (None, v) => {
                    let v = v.map_or(Doc::NULL, |v| p.doc().import(v));
                    p.set_result(v);
                    p.skip();
                    Moved::Next
                }
            },
            _ => p.run_op(),
        };
        record(p, op, matches!(moved, Moved::Next), seen);
        match moved {
            Moved::Next => {}
            Moved::Jump(t) => {
                let name = p.state_at(t).to_owned();
                return Ok(success(p, Some(name)));
            }
            Moved::End => return Ok(success(p, None)),
            Moved::Failed(e) => return Ok(failed(p, e, req, seen)),
        }
    }
}

fn success(p: &Probe<'_>, next: Option<String>) -> End {
    End {
        status: TestStatus::Succeeded,
        output: Some(p.cur()),
        failure: None,
        next,
    }
}

/// A Map's work before its children run: its items, `MaxConcurrency`, the
/// tolerated failures; then the mock stands in for the children's results.
fn map_step(
    p: &mut Probe<'_>,
    m: crate::bytecode::MapId,
    req: &TestStateRequest,
    state: &Value,
    mocked: Option<&Value>,
    seen: &mut Seen,
    mock_error: &Option<Failure>,
) -> Result<(), Failure> {
    if state.get("ItemReader").is_some() {
        // The reader's items (`mapItemReaderData`) are the mock's business.
    } else if let Some(path) = p.items_path(m) {
        let from = p.cur();
        let items = p.select(path, from).ok();
        match items.filter(|v| p.doc().as_array(*v).is_some()) {
            Some(v) => seen.after_items_path = Some(v),
            None => {
                // TestState's own wording (recorded): the path as a plain
                // reference path, `$$` read as `$`.
                let src = p.path_source(path);
                let src = src
                    .strip_prefix('$')
                    .filter(|s| s.starts_with('$'))
                    .unwrap_or(src);
                return Err(Failure::runtime(format!(
                    "Reference path \"{src}\" must point to array."
                )));
            }
        }
    } else if let Some(r) = p.items_query(m) {
        r?;
    }
    seen.max_concurrency = Some(p.max_concurrency(m)?);
    seen.tolerated_count = tolerated(p, state, "ToleratedFailureCount")?.map(|v| v as u64);
    seen.tolerated_percentage = tolerated(p, state, "ToleratedFailurePercentage")?;
    if let Some(e) = mock_error {
        return Err(e.clone());
    }
    let failed = req
        .state_configuration
        .map_iteration_failure_count
        .unwrap_or(0);
    let total = mocked.and_then(Value::as_array).map_or(0, Vec::len);
    let over_count = seen.tolerated_count.is_some_and(|c| u64::from(failed) > c);
    let over_pct = seen
        .tolerated_percentage
        .is_some_and(|pct| total > 0 && f64::from(failed) * 100.0 / total as f64 > pct);
    if over_count || over_pct {
        return Err(Failure::new(
            "States.ExceedToleratedFailureThreshold",
            "The specified tolerated failure threshold was exceeded",
        ));
    }
    let v = mocked.map_or(Doc::NULL, |v| p.doc().import(v));
    p.set_result(v);
    p.skip();
    Ok(())
}

/// A Map's `ToleratedFailureCount` / `…Percentage`, `…Path`, or JSONata expression.
fn tolerated(p: &mut Probe<'_>, state: &Value, field: &str) -> Result<Option<f64>, Failure> {
    if let Some(v) = state.get(field) {
        if let Some(n) = v.as_f64() {
            return Ok(Some(n));
        }
        let t = crate::jsonata::QueryTemplate::compile(v, field)
            .map_err(|_| Failure::runtime(format!("The {field} field is not valid")))?;
        let r = p.eval_template(&t)?;
        return p
            .doc()
            .as_f64(r)
            .map(Some)
            .ok_or_else(|| Failure::runtime(format!("The {field} field is not a number")));
    }
    let Some(path) = state.get(format!("{field}Path")).and_then(Value::as_str) else {
        return Ok(None);
    };
    let from = p.cur();
    let path = crate::path::Path::parse(path)
        .map_err(|_| Failure::runtime(format!("The {field}Path field is not a path")))?;
    let v = path.select_with(p.doc(), from, Doc::NULL, Doc::NULL);
    Ok(v.and_then(|v| p.doc().as_f64(v)))
}

/// Retry and Catch, decided once: RETRIABLE, CAUGHT_ERROR or FAILED.
fn failed(p: &mut Probe<'_>, e: Failure, req: &TestStateRequest, seen: &mut Seen) -> End {
    let st = p.state();
    let retry_index = st.retriers.iter().position(|r| r.errors.matches(&e.error));
    let retried = req.state_configuration.retrier_retry_count.unwrap_or(0);
    let mut details = ErrorDetails {
        retry_index,
        ..ErrorDetails::default()
    };
    let end = match p.decide(&e.error, retried) {
        Decision::Retry { delay_ms } => {
            details.retry_backoff_interval_seconds = Some(delay_ms as f64 / 1000.0);
            End {
                status: TestStatus::Retriable,
                output: None,
                failure: Some(e),
                next: None,
            }
        }
        Decision::Catch { index } => {
            details.catch_index = Some(index);
            let next = p.state_at(st.catchers[index].next).to_owned();
            match p.catch(index, &e) {
                Ok(out) => End {
                    status: TestStatus::CaughtError,
                    output: Some(out),
                    failure: Some(e),
                    next: Some(next),
                },
                Err(e2) => End {
                    status: TestStatus::Failed,
                    output: None,
                    failure: Some(e2),
                    next: None,
                },
            }
        }
        Decision::Fail => End {
            status: TestStatus::Failed,
            output: None,
            failure: Some(e),
            next: None,
        },
    };
    if details != ErrorDetails::default() {
        seen.details = Some(details);
    }
    end
}

/// The response: status, output, error, next state, and (DEBUG, TRACE) the
/// inspection data AWS shows for this type of state.
fn respond(
    p: &mut Probe<'_>,
    req: &TestStateRequest,
    ty: &str,
    jsonata: bool,
    seen: Seen,
    end: End,
) -> TestStateResponse {
    let inspection_data =
        (req.inspection_level != InspectionLevel::Info).then(|| inspection(p, ty, jsonata, &seen));
    let d = p.doc();
    TestStateResponse {
        status: end.status,
        output: end.output.map(|v| d.to_json(v)),
        error: end.failure.as_ref().map(|f| f.error.to_string()),
        cause: end.failure.map(|f| f.cause),
        next_state: end.next,
        inspection_data,
    }
}
