//! A Task state's invocation: the timeout read from the input, the
//! handler called (a panic fails the task), and its reply turned into a
//! result, a failure, a suspension on a deferred completion, or a delayed
//! result on the execution's clock.

use super::fiber::Fiber;
use super::flow::{Flow, Step};
use super::operand::num_from;
use super::{Counters, Env};
use crate::bytecode::{Credentials, TaskId};
use crate::error::Failure;
use crate::handlers::{Call, Reply};
use crate::history;

/// Runs the `Invoke` op of task `t`.
pub(super) fn invoke(
    f: &mut Fiber,
    env: &Env<'_>,
    n: &mut Counters,
    t: TaskId,
) -> Result<Flow, Failure> {
    let prog = env.prog;
    let task = &prog.tasks[t.idx()];
    if let Some(r) = f.resume.take().map(|b| *b) {
        n.events += 1; // TaskSucceeded / TaskFailed / TaskTimedOut
        if env.hist.is_some() {
            record_result(f, env, t, r.as_ref().copied());
        }
        f.result = r?;
        return Ok(Flow::Next);
    }
    let timeout_ms = match task.timeout {
        // AWS reads TimeoutSecondsPath from the state's input (recorded:
        // a value that Parameters dropped still set the timeout).
        Some(src) => Some(num_from(f, env, src, "TimeoutSecondsPath", f.raw)?.saturating_mul(1000)),
        None => None,
    };
    n.events += 2; // Scheduled, Started
    if let Some(h) = env.hist {
        // The heartbeat only shows in history; a bad path is not this op's error.
        let heartbeat = task
            .heartbeat
            .and_then(|src| num_from(f, env, src, "HeartbeatSecondsPath", f.raw).ok());
        let secs = |ms: Option<u64>| ms.map(|ms| ms / 1000);
        let role = task.credentials.and_then(|c| role_arn(f, env, c));
        h.borrow_mut().task_scheduled(
            prog,
            env.key.fiber,
            t,
            env.now_ms,
            &f.doc,
            f.cur,
            secs(timeout_ms),
            heartbeat,
            role.as_deref(),
        );
    }
    let Some(h) = env.handlers.get(task.handler.idx()) else {
        n.events += 1;
        let e = Failure::new(
            "States.TaskFailed",
            format!("no handler for resource {}", task.resource),
        );
        if env.hist.is_some() {
            record_result(f, env, t, Err(&e));
        }
        return Err(e);
    };
    let mut call = Call {
        doc: &mut f.doc,
        input: f.cur,
        resource: &task.resource,
        state: &prog.state(f.state).name,
        retry_count: f.retry_count,
        key: env.key,
        sink: env.sink,
        deferred: false,
        now_ms: env.now_ms,
    };
    // A handler that panics fails its task; the worker and the other
    // executions go on (as rayon carries panics back instead of dying).
    let reply = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| h.call(&mut call)))
        .unwrap_or_else(|p| {
            Reply::Error(Failure::new(
                "States.TaskFailed",
                format!("the task handler panicked: {}", panic_text(&*p)),
            ))
        });
    // The call that starts the work returned (a failure to start is the task's failure).
    if task.submits && !matches!(reply, Reply::Error(_)) {
        n.events += 1; // TaskSubmitted
        if let Some(h) = env.hist {
            h.borrow_mut()
                .task_submitted(prog, env.key.fiber, t, env.now_ms);
        }
    }
    match reply {
        Reply::Value(v) if f.doc.contains(v) => {
            n.events += 1;
            f.result = v;
        }
        Reply::Value(_) => {
            n.events += 1;
            let e = Failure::new(
                "States.TaskFailed",
                "the task handler replied with a value that is not in the execution's document",
            );
            if env.hist.is_some() {
                record_result(f, env, t, Err(&e));
            }
            return Err(e);
        }
        Reply::Json(j) => {
            n.events += 1;
            f.result = f.doc.import(&j);
        }
        Reply::Error(e) => {
            n.events += 1;
            if env.hist.is_some() {
                record_result(f, env, t, Err(&e));
            }
            return Err(e);
        }
        Reply::Pending => return Ok(Flow::Return(Step::AwaitTask)),
        Reply::Delayed { after_ms, result } => {
            let result = match result {
                Ok(v) if !f.doc.contains(v) => Err(Failure::new(
                    "States.TaskFailed",
                    "the task handler replied with a value that is not in the execution's document",
                )),
                r => r,
            };
            let (wait, outcome) = match timeout_ms {
                Some(limit) if after_ms >= limit => {
                    (limit, Err(Failure::new("States.Timeout", "")))
                }
                _ => (after_ms, result),
            };
            f.resume = Some(Box::new(outcome));
            return Ok(Flow::Return(Step::Sleep(
                env.now_ms.saturating_add(wait as i64),
            )));
        }
    }
    if env.hist.is_some() {
        record_result(f, env, t, Ok(f.result));
    }
    Ok(Flow::Next)
}

/// The `RoleArn` of a task's `Credentials`, for history only (read from the
/// state's input; a failure to evaluate it shows no credentials).
#[cold]
fn role_arn(f: &mut Fiber, env: &Env<'_>, c: Credentials) -> Option<String> {
    let v = match c {
        Credentials::Path(t) => {
            let mut rng = f.rng;
            let mut entropy = || crate::rng::splitmix64(&mut rng);
            env.prog.templates[t.idx()]
                .eval_with(&mut f.doc, f.raw, f.ctx, f.vars, &mut entropy)
                .ok()?
        }
        Credentials::Query(q) => {
            super::query::eval(f, env.prog, env.now_ms, q, Default::default()).ok()?
        }
    };
    let role = f.doc.field(v, "RoleArn")?;
    f.doc.as_str(role).map(str::to_owned)
}

/// Records a task's result event: its output or its failure.
#[cold]
fn record_result(f: &Fiber, env: &Env<'_>, t: TaskId, r: Result<crate::json::Val, &Failure>) {
    let Some(h) = env.hist else { return };
    let mut h = h.borrow_mut();
    match r {
        Ok(v) => h.task_succeeded(env.prog, env.key.fiber, t, env.now_ms, &f.doc, v),
        Err(e) => {
            let err = history::Error {
                error: &e.error,
                cause: &e.cause,
            };
            h.task_failed(env.prog, env.key.fiber, t, env.now_ms, err);
        }
    }
}

/// The message of a panic payload.
fn panic_text(p: &(dyn std::any::Any + Send)) -> &str {
    p.downcast_ref::<&str>()
        .copied()
        .or_else(|| p.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}
