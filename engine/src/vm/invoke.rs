//! A Task state's invocation: the timeout read from the input, the
//! handler called (a panic fails the task), and its reply turned into a
//! result, a failure, a suspension on a deferred completion, or a delayed
//! result on the execution's clock.

use super::fiber::Fiber;
use super::flow::{Flow, Step};
use super::operand::num_from;
use super::{Counters, Env};
use crate::bytecode::TaskId;
use crate::error::Failure;
use crate::handlers::{Call, Reply};

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
    match reply {
        Reply::Value(v) if f.doc.contains(v) => {
            n.events += 1;
            f.result = v;
        }
        Reply::Value(_) => {
            n.events += 1;
            return Err(Failure::new(
                "States.TaskFailed",
                "the task handler replied with a value that is not in the execution's document",
            ));
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
    Ok(Flow::Next)
}

/// The message of a panic payload.
fn panic_text(p: &(dyn std::any::Any + Send)) -> &str {
    p.downcast_ref::<&str>()
        .copied()
        .or_else(|| p.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}
