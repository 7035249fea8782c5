//! A Task state's invocation: the timeout and heartbeat read from the
//! input, the wait registered with the task tokens (`.waitForTaskToken`, or
//! deadlines on the wall clock), the handler called (a panic fails the
//! task), and its reply turned into a result, a failure, a suspension on a
//! deferred completion or a task token, or a delayed result on the
//! execution's clock.

use super::fiber::Fiber;
use super::flow::{Flow, Step};
use super::operand::positive_from;
use super::{Counters, Env};
use crate::bytecode::{Credentials, TaskId};
use crate::error::Failure;
use crate::handlers::{Call, Issue, Reply, TokenId, Watch};
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
        f.wait = None;
        if env.hist.is_some() {
            record_result(f, env, t, r.as_ref().copied());
        }
        f.result = r?;
        return Ok(Flow::Next);
    }
    if task.plain && env.hist.is_none() {
        return invoke_plain(f, env, n, task);
    }
    let timeout_ms = match task.timeout {
        // AWS reads TimeoutSecondsPath from the state's input (recorded:
        // a value that Parameters dropped still set the timeout).
        Some(src) => {
            Some(positive_from(f, env, src, "TimeoutSecondsPath", f.raw)?.saturating_mul(1000))
        }
        None => None,
    };
    let heartbeat_ms = match task.heartbeat {
        Some(src) => {
            Some(positive_from(f, env, src, "HeartbeatSecondsPath", f.raw)?.saturating_mul(1000))
        }
        None => None,
    };
    n.events += 2; // Scheduled, Started
    if let Some(h) = env.hist {
        let secs = |ms: Option<u64>| ms.map(|ms| ms / 1000);
        let heartbeat = secs(heartbeat_ms);
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
    // A task that waits in the token registry: a `.waitForTaskToken` one,
    // or one with deadlines the registry enforces (wall clock). Registered
    // before the handler runs, which may complete it at once.
    let callback = task.callback && f.wait.is_some();
    let watch = match env.tokens {
        Some(r) if callback || timeout_ms.is_some() || heartbeat_ms.is_some() => {
            register(f, env, n, r, callback, heartbeat_ms, timeout_ms)
        }
        _ => None,
    };
    let token = if callback {
        f.wait.as_deref().map(|w| w.text.clone())
    } else {
        None
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
        token: token.as_deref(),
        watch: watch.as_ref(),
        not_yet: false,
    };
    let reply = call_guarded(&**h, &mut call);
    if call.not_yet {
        return Ok(not_yet(n));
    }
    if callback {
        return callback_reply(f, env, n, t, reply, watch, heartbeat_ms, timeout_ms);
    }
    if let (Some(w), false) = (&watch, matches!(reply, Reply::Pending)) {
        w.tokens.close(w.exec, w.serial);
    }
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
            let e = not_in_doc();
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
                Ok(v) if !f.doc.contains(v) => Err(not_in_doc()),
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

/// [`invoke`] of a task with no deadline, callback or submission, history
/// off: the handler called and its reply taken, nothing else looked at.
#[inline]
fn invoke_plain(
    f: &mut Fiber,
    env: &Env<'_>,
    n: &mut Counters,
    task: &crate::bytecode::TaskInfo,
) -> Result<Flow, Failure> {
    let prog = env.prog;
    n.events += 2; // Scheduled, Started
    let Some(h) = env.handlers.get(task.handler.idx()) else {
        n.events += 1;
        return Err(Failure::new(
            "States.TaskFailed",
            format!("no handler for resource {}", task.resource),
        ));
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
        token: None,
        watch: None,
        not_yet: false,
    };
    let reply = call_guarded(&**h, &mut call);
    if call.not_yet {
        return Ok(not_yet(n));
    }
    match reply {
        Reply::Value(v) if f.doc.contains(v) => {
            n.events += 1;
            f.result = v;
        }
        Reply::Value(_) => {
            n.events += 1;
            return Err(not_in_doc());
        }
        Reply::Json(j) => {
            n.events += 1;
            f.result = f.doc.import(&j);
        }
        Reply::Error(e) => {
            n.events += 1;
            return Err(e);
        }
        Reply::Pending => return Ok(Flow::Return(Step::AwaitTask)),
        Reply::Delayed { after_ms, result } => {
            let result = match result {
                Ok(v) if !f.doc.contains(v) => Err(not_in_doc()),
                r => r,
            };
            f.resume = Some(Box::new(result));
            return Ok(Flow::Return(Step::Sleep(
                env.now_ms.saturating_add(after_ms as i64),
            )));
        }
    }
    Ok(Flow::Next)
}

/// Registers the wait of this invocation: the attempt's token for a
/// callback task, else a deadline-only entry (when the registry enforces
/// deadlines).
#[cold]
#[inline(never)]
fn register(
    f: &Fiber,
    env: &Env<'_>,
    n: &mut Counters,
    r: &crate::handlers::TaskTokens,
    callback: bool,
    heartbeat_ms: Option<u64>,
    timeout_ms: Option<u64>,
) -> Option<Watch> {
    let id = match f.wait.as_deref() {
        Some(w) if callback => w.id,
        _ if r.watches_deadlines() => {
            let serial = n.tokens;
            n.tokens = n.tokens.wrapping_add(1);
            TokenId {
                exec: env.key.exec,
                serial,
                nonce: 0,
            }
        }
        _ => return None,
    };
    r.issue(Issue {
        id,
        key: env.key,
        sink: std::sync::Arc::clone(env.sink),
        callback,
        heartbeat_ms,
        timeout_ms,
        now_ms: env.now_ms,
    });
    Some(Watch {
        tokens: r.clone(),
        exec: id.exec,
        serial: id.serial,
        callback,
    })
}

/// The handler said [`Call::not_yet`]: the call is undone (its two events
/// uncounted) and the fiber stops at the `Invoke` op, to call again.
#[cold]
fn not_yet(n: &mut Counters) -> Flow {
    n.events -= 2;
    Flow::Return(Step::Blocked)
}

#[cold]
fn not_in_doc() -> Failure {
    Failure::new(
        "States.TaskFailed",
        "the task handler replied with a value that is not in the execution's document",
    )
}

/// A `.waitForTaskToken` task after its handler (the service call) replied.
/// A result only says the request was taken (`TaskSubmitted`): the task
/// waits for its token. An error fails the task, as a failed service call
/// does on AWS. `Delayed` models the whole round trip (a simulated or
/// mocked callback): its result arrives after `after_ms`, unless
/// `HeartbeatSeconds` (no heartbeats come from a model) or `TimeoutSeconds`
/// is shorter. With no registry nothing can send the token: the task waits
/// until its first deadline (AWS's default `TimeoutSeconds` when it sets
/// none) and times out.
#[cold]
#[allow(clippy::too_many_arguments)]
fn callback_reply(
    f: &mut Fiber,
    env: &Env<'_>,
    n: &mut Counters,
    t: TaskId,
    reply: Reply,
    watch: Option<Watch>,
    heartbeat_ms: Option<u64>,
    timeout_ms: Option<u64>,
) -> Result<Flow, Failure> {
    let close = || {
        if let Some(w) = &watch {
            w.tokens.close(w.exec, w.serial);
        }
    };
    match reply {
        Reply::Value(v) if !f.doc.contains(v) => {
            close();
            n.events += 1;
            let e = not_in_doc();
            if env.hist.is_some() {
                record_result(f, env, t, Err(&e));
            }
            Err(e)
        }
        Reply::Value(_) | Reply::Json(_) | Reply::Pending => {
            if !matches!(reply, Reply::Pending) {
                n.events += 1; // TaskSubmitted
                submitted(env, t);
            }
            let Some(w) = f.wait.as_deref_mut() else {
                return Err(Failure::new("States.TaskFailed", "the task has no token"));
            };
            w.arm(env.now_ms, heartbeat_ms, timeout_ms);
            if watch.is_some() {
                w.registered = true;
                return Ok(Flow::Return(Step::AwaitTask));
            }
            let (at, failure) = (w.deadline, w.failure());
            f.wait = None;
            f.resume = Some(Box::new(Err(failure)));
            Ok(Flow::Return(Step::Sleep(at)))
        }
        Reply::Error(e) => {
            close();
            n.events += 1;
            if env.hist.is_some() {
                record_result(f, env, t, Err(&e));
            }
            Err(e)
        }
        Reply::Delayed { after_ms, result } => {
            close();
            n.events += 1; // TaskSubmitted
            submitted(env, t);
            let result = match result {
                Ok(v) if !f.doc.contains(v) => Err(not_in_doc()),
                r => r,
            };
            let mut w = f
                .wait
                .take()
                .map_or_else(super::token_wait::TokenWait::unarmed, |b| *b);
            w.arm(env.now_ms, heartbeat_ms, timeout_ms);
            let done = env.now_ms.saturating_add(after_ms as i64);
            let (at, outcome) = if w.deadline <= done {
                (w.deadline, Err(w.failure()))
            } else {
                (done, result)
            };
            f.resume = Some(Box::new(outcome));
            Ok(Flow::Return(Step::Sleep(at)))
        }
    }
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

/// Records a task's `TaskSubmitted` event, when history is on.
fn submitted(env: &Env<'_>, t: TaskId) {
    if let Some(h) = env.hist {
        h.borrow_mut()
            .task_submitted(env.prog, env.key.fiber, t, env.now_ms);
    }
}

/// Calls handler `h`; a handler that panics fails its task, and the worker
/// and the other executions go on (as rayon carries panics back instead of dying).
#[inline]
fn call_guarded(h: &dyn crate::handlers::TaskHandler, call: &mut Call<'_>) -> Reply {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| h.call(call))).unwrap_or_else(|p| {
        Reply::Error(Failure::new(
            "States.TaskFailed",
            format!("the task handler panicked: {}", panic_text(&*p)),
        ))
    })
}

/// The message of a panic payload.
fn panic_text(p: &(dyn std::any::Any + Send)) -> &str {
    p.downcast_ref::<&str>()
        .copied()
        .or_else(|| p.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}
