//! The interpreter: runs one fiber's ops until it ends, fails, suspends or
//! runs out of fuel. It never blocks and never recurses per branch.

use super::failure::{decide, Decision};
use super::fiber::{Fiber, Spawn};
use super::{choice, context, Counters, Env};
use crate::bytecode::{FailSource, NumSource, Op, OpId, ResultTarget, StateType, WaitInfo};
use crate::error::Failure;
use crate::handlers::{Call, Reply};
use crate::json::{Doc, Entry, Val};

/// Why `run_slice` returned.
#[derive(Debug)]
pub(crate) enum Step {
    /// The block ended; its output is this value in the fiber's document.
    End(Val),
    /// The fiber failed (Retry and Catch already considered).
    Failed(Failure),
    /// Suspended until the virtual time (ms) given.
    Sleep(i64),
    /// Suspended on a task handler that completes later.
    AwaitTask,
    /// A Parallel or Map wants its children; `fiber.spawn` says which.
    Spawn,
    /// Fuel ran out; run again later.
    OutOfFuel,
}

/// What an op asks of the loop.
enum Flow {
    Next,
    Goto(OpId),
    Return(Step),
}

/// Runs `f` until it stops, for at most `fuel` ops.
pub(crate) fn run_slice(f: &mut Fiber, env: &Env<'_>, n: &mut Counters, mut fuel: u32) -> Step {
    loop {
        if fuel == 0 {
            return Step::OutOfFuel;
        }
        fuel -= 1;
        let pc = f.pc;
        match exec_op(f, env, n, env.prog.op(pc)) {
            Ok(Flow::Next) => f.pc = OpId(pc.0 + 1),
            Ok(Flow::Goto(t)) => f.pc = t,
            Ok(Flow::Return(s)) => return s,
            Err(e) => {
                let e = with_state_prefix(f, env, e);
                if let Some(s) = handle_failure(f, env, n, e) {
                    return s;
                }
            }
        }
    }
}

/// Adds AWS's "An error occurred while executing the state …" prefix to a `States.Runtime` cause.
fn with_state_prefix(f: &Fiber, env: &Env<'_>, mut e: Failure) -> Failure {
    if e.error == "States.Runtime" {
        let st = env.prog.state(f.state);
        e.cause = format!(
            "An error occurred while executing the state '{}' (entered at the event id #{}). {}",
            st.name, f.entered_event, e.cause
        );
    }
    e
}

/// Applies Retry / Catch of the current state to an error. Returns the step
/// to report, or `None` to keep running (caught).
pub(crate) fn handle_failure(
    f: &mut Fiber,
    env: &Env<'_>,
    n: &mut Counters,
    e: Failure,
) -> Option<Step> {
    let st = env.prog.state(f.state);
    let mut rng_state = f.rng;
    let decision = decide(st, &mut f.retries, &e.error, || {
        let mut tmp = Fiber::rng_step(&mut rng_state);
        tmp >>= 11;
        tmp as f64 / (1u64 << 53) as f64
    });
    f.rng = rng_state;
    if let Some(o) = env.obs {
        let mut o = o.borrow_mut();
        match decision {
            Decision::Retry { .. } => o.state_retried(f.state),
            Decision::Catch { .. } | Decision::Fail => o.state_failed(f.state),
        }
    }
    // History: a Map or Parallel that gives up records `…StateFailed`; a
    // caught Task, Map or Parallel also records `…StateExited`.
    let joins = matches!(st.kind, StateType::Map | StateType::Parallel);
    match decision {
        Decision::Retry { .. } => {}
        Decision::Catch { .. } => {
            n.events += u64::from(joins) + u64::from(joins || st.kind == StateType::Task)
        }
        Decision::Fail => n.events += u64::from(joins && e.error != "States.Runtime"),
    }
    match decision {
        Decision::Retry { delay_ms } => {
            f.retry_count += 1;
            n.transitions += 1;
            f.cur = f.raw;
            f.pc = st.retry_point;
            Some(Step::Sleep(env.now_ms.saturating_add(delay_ms as i64)))
        }
        Decision::Catch { index } => {
            let c = &st.catchers[index];
            let d = &mut f.doc;
            let err = d.str(&e.error);
            let cause = d.str(&e.cause);
            let (ke, kc) = (d.key("Error"), d.key("Cause"));
            let out = d.object(&[
                Entry { key: ke, val: err },
                Entry {
                    key: kc,
                    val: cause,
                },
            ]);
            let next = c.next;
            let applied = match c.result {
                ResultTarget::Root => Ok(out),
                ResultTarget::Discard => Ok(f.raw),
                ResultTarget::Path(p) => env.prog.paths[p.idx()].set(&mut f.doc, f.raw, out),
            };
            match applied {
                Ok(v) => {
                    f.cur = v;
                    f.pc = next;
                    None
                }
                Err(e2) => Some(Step::Failed(with_state_prefix(f, env, e2))),
            }
        }
        Decision::Fail => Some(Step::Failed(e)),
    }
}

fn select(
    f: &mut Fiber,
    env: &Env<'_>,
    p: crate::bytecode::PathId,
    input: Val,
) -> Result<Val, Failure> {
    let path = &env.prog.paths[p.idx()];
    match path.select(&mut f.doc, input, f.ctx) {
        Some(v) => Ok(v),
        None => {
            let start = if path.is_context() { f.ctx } else { input };
            Err(Failure::runtime(path.invalid_path_cause(&f.doc, start)))
        }
    }
}

fn num(f: &mut Fiber, env: &Env<'_>, src: NumSource, what: &str) -> Result<u64, Failure> {
    let input = f.cur;
    num_from(f, env, src, what, input)
}

fn num_from(
    f: &mut Fiber,
    env: &Env<'_>,
    src: NumSource,
    what: &str,
    input: Val,
) -> Result<u64, Failure> {
    match src {
        NumSource::Value(v) => Ok(v),
        NumSource::Path(p) => {
            let v = select(f, env, p, input)?;
            match f.doc.as_i64(v) {
                Some(i) if i >= 0 => Ok(i as u64),
                _ => {
                    let shown = match f.doc.as_str(v) {
                        Some(s) => s.to_owned(),
                        None => f.doc.to_json(v),
                    };
                    Err(Failure::runtime(format!(
                        "The {what} field refers to value \"{shown}\" which is not a valid integer: {}",
                        env.prog.paths[p.idx()].source()
                    )))
                }
            }
        }
    }
}

fn exec_op(f: &mut Fiber, env: &Env<'_>, n: &mut Counters, op: Op) -> Result<Flow, Failure> {
    let prog = env.prog;
    match op {
        Op::Enter(s) => {
            n.transitions += 1;
            n.events += 1;
            let st = prog.state(s);
            f.state = s;
            f.entered_event = n.events;
            f.entered_ms = env.now_ms;
            f.raw = f.cur;
            f.retries.clear();
            f.retries.resize(st.retriers.len(), 0);
            f.retry_count = 0;
            if let Some(o) = env.obs {
                o.borrow_mut().state_entered(s, env.now_ms);
            }
            f.ctx = if st.context != 0 {
                context::build(f, env.info, st)
            } else {
                Doc::NULL
            };
            if f.doc.node_count() > 4096.max(4 * f.live_nodes as usize) {
                f.compact();
            }
        }
        Op::InputPath(p) => f.cur = select(f, env, p, f.raw)?,
        Op::InputNull | Op::OutputNull => f.cur = Doc::EMPTY_OBJECT,
        Op::Parameters(t) => {
            let mut rng = f.rng;
            let mut entropy = || Fiber::rng_step(&mut rng);
            f.cur = prog.templates[t.idx()].eval(&mut f.doc, f.cur, f.ctx, &mut entropy)?;
            f.rng = rng;
        }
        Op::ResultConst(c) => f.result = f.doc.copy_from(&prog.const_doc, prog.consts[c.idx()]),
        Op::ResultIsInput => f.result = f.cur,
        Op::Invoke(t) => {
            let task = &prog.tasks[t.idx()];
            if let Some(r) = f.resume.take().map(|b| *b) {
                n.events += 1; // TaskSucceeded / TaskFailed / TaskTimedOut
                f.result = r?;
                return Ok(Flow::Next);
            }
            let timeout_ms = match task.timeout {
                // AWS reads TimeoutSecondsPath from the state's input (recorded:
                // a value that Parameters dropped still set the timeout).
                Some(src) => {
                    Some(num_from(f, env, src, "TimeoutSecondsPath", f.raw)?.saturating_mul(1000))
                }
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
            let reply =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| h.call(&mut call)))
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
                    return Err(Failure::new("States.TaskFailed", "the task handler replied with a value that is not in the execution's document"));
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
        }
        Op::Parallel(par) => {
            n.events += 1; // ParallelStateStarted
            f.spawn = Some(Spawn::Parallel { par, input: f.cur });
            return Ok(Flow::Return(Step::Spawn));
        }
        Op::Map(m) => {
            let info = &prog.maps[m.idx()];
            let max = num(f, env, info.max_concurrency, "MaxConcurrencyPath")?;
            let items = select(f, env, info.items_path, f.cur)?;
            if f.doc.as_array(items).is_none() {
                return Err(Failure::runtime(format!(
                    "Invalid path '{}': The ItemsPath field must resolve to a JSON array, but it resolved to: {}",
                    prog.paths[info.items_path.idx()].source(),
                    f.doc.to_json(items)
                )));
            }
            n.events += 1; // MapStateStarted
            f.spawn = Some(Spawn::Map {
                map: m,
                items,
                input: f.cur,
                max: u32::try_from(max).unwrap_or(u32::MAX),
            });
            return Ok(Flow::Return(Step::Spawn));
        }
        Op::ResultSelector(t) => {
            let mut rng = f.rng;
            let mut entropy = || Fiber::rng_step(&mut rng);
            f.result = prog.templates[t.idx()].eval(&mut f.doc, f.result, f.ctx, &mut entropy)?;
            f.rng = rng;
        }
        Op::ResultPath(p) => {
            check_size(f, env)?;
            f.cur = prog.paths[p.idx()].set(&mut f.doc, f.raw, f.result)?;
        }
        Op::ResultRoot => {
            check_size(f, env)?;
            f.cur = f.result;
        }
        Op::ResultDiscard => {
            check_size(f, env)?;
            f.cur = f.raw;
        }
        Op::OutputPath(p) => f.cur = select(f, env, p, f.cur)?,
        Op::Test {
            test,
            then,
            otherwise,
        } => {
            let t = &prog.tests[test.idx()];
            let hit = choice::eval(prog, t, &mut f.doc, f.cur, f.ctx);
            return Ok(Flow::Goto(if hit { then } else { otherwise }));
        }
        Op::NoChoiceMatched => return Err(Failure::new("States.NoChoiceMatched", "No Matches!")),
        Op::Wait(w) => {
            let until = wait_until(f, env, &prog.waits[w.idx()])?;
            if until > env.now_ms {
                f.pc = OpId(f.pc.0 + 1);
                return Ok(Flow::Return(Step::Sleep(until)));
            }
        }
        Op::Jump(t) => {
            n.events += 1; // StateExited
            if let Some(o) = env.obs {
                o.borrow_mut().state_left(f.state, f.entered_ms, env.now_ms);
            }
            return Ok(Flow::Goto(t));
        }
        Op::End => {
            n.events += 1; // StateExited
            if let Some(o) = env.obs {
                o.borrow_mut().state_left(f.state, f.entered_ms, env.now_ms);
            }
            return Ok(Flow::Return(Step::End(f.cur)));
        }
        Op::Fail(id) => {
            let info = &prog.fails[id.idx()];
            let error = fail_text(f, info.error.as_ref(), "ErrorPath")?;
            let cause = fail_text(f, info.cause.as_ref(), "CausePath")?;
            if let Some(o) = env.obs {
                o.borrow_mut().state_failed(f.state);
            }
            return Ok(Flow::Return(Step::Failed(Failure::new(error, cause))));
        }
    }
    Ok(Flow::Next)
}

/// AWS's payload quota: 256 KiB of UTF-8 JSON.
const MAX_PAYLOAD: usize = 262_144;

/// `States.DataLimitExceeded` when a state's result is over the payload quota.
/// Cheap in the common case: the exact size is computed only when the
/// document's storage has grown past the quota.
fn check_size(f: &Fiber, env: &Env<'_>) -> Result<(), Failure> {
    if f.doc.bytes() > MAX_PAYLOAD && f.doc.json_len(f.result) > MAX_PAYLOAD {
        let name = result_source(env, f.state);
        return Err(Failure::new(
            "States.DataLimitExceeded",
            format!("The state/task '{name}' returned a result with a size exceeding the maximum number of bytes service limit."),
        ));
    }
    Ok(())
}

/// What AWS names in a DataLimitExceeded cause: for a Task, the service of
/// an integration (`lambda` for `arn:aws:states:::lambda:invoke`) or the
/// resource ARN itself; for other states, the state name.
fn result_source(env: &Env<'_>, s: crate::bytecode::StateId) -> String {
    let prog = env.prog;
    let st = prog.state(s);
    let task = prog.ops[st.entry.idx()..]
        .iter()
        .take_while(|op| !matches!(op, Op::Enter(x) if *x != s))
        .find_map(|op| match op {
            Op::Invoke(t) => Some(&prog.tasks[t.idx()].resource),
            _ => None,
        });
    match task {
        Some(r) => match r.strip_prefix("arn:aws:states:::") {
            Some(rest) => rest.split(':').next().unwrap_or(rest).to_owned(),
            None => r.to_string(),
        },
        None => st.name.to_string(),
    }
}

fn fail_text(f: &mut Fiber, src: Option<&FailSource>, field: &str) -> Result<String, Failure> {
    match src {
        None => Ok(String::new()),
        Some(FailSource::Literal(s)) => Ok(s.to_string()),
        Some(FailSource::Expr(e)) => {
            let mut rng = f.rng;
            let mut entropy = || Fiber::rng_step(&mut rng);
            let v = e.eval(&mut f.doc, f.cur, f.ctx, field, &mut entropy)?;
            Ok(match f.doc.as_str(v) {
                Some(s) => s.to_owned(),
                None => f.doc.to_json(v),
            })
        }
    }
}

fn wait_until(f: &mut Fiber, env: &Env<'_>, w: &WaitInfo) -> Result<i64, Failure> {
    let now = env.now_ms;
    let until = wait_target(f, env, w, now)?;
    // AWS rejects delays that do not fit a 32-bit count of seconds.
    if (until - now) / 1000 > i64::from(i32::MAX) {
        return Err(Failure::runtime("Wait state delay is too long."));
    }
    Ok(until)
}

fn wait_target(f: &mut Fiber, env: &Env<'_>, w: &WaitInfo, now: i64) -> Result<i64, Failure> {
    match *w {
        WaitInfo::Seconds(s) => Ok(now.saturating_add((s as i64).saturating_mul(1000))),
        WaitInfo::Timestamp(ns) => Ok((ns / 1_000_000) as i64),
        WaitInfo::SecondsPath(p) => {
            let src = env.prog.paths[p.idx()].source().to_owned();
            let Some(v) = env.prog.paths[p.idx()].select(&mut f.doc, f.cur, f.ctx) else {
                return Err(Failure::runtime(format!(
                    "The SecondsPath parameter does not reference an input value: {src}"
                )));
            };
            let shown = f.doc.to_json(v);
            match f.doc.get(v) {
                crate::json::Ref::Int(i) if i < 0 => Err(Failure::runtime(format!(
                    "The SecondsPath parameter references a negative value: {src} == {shown}"
                ))),
                crate::json::Ref::Int(i) => Ok(now.saturating_add(i.saturating_mul(1000))),
                _ => Err(Failure::runtime(format!(
                    "The SecondsPath parameter cannot be parsed as a long value: {src} == {shown}"
                ))),
            }
        }
        WaitInfo::TimestampPath(p) => {
            let src = env.prog.paths[p.idx()].source().to_owned();
            let Some(v) = env.prog.paths[p.idx()].select(&mut f.doc, f.cur, f.ctx) else {
                return Err(Failure::runtime(format!(
                    "The TimestampPath parameter does not reference an input value: {src}"
                )));
            };
            match f.doc.as_str(v).and_then(crate::asl::parse_rfc3339) {
                Some(ns) => Ok((ns / 1_000_000) as i64),
                None => {
                    let shown = match f.doc.as_str(v) {
                        Some(s) => s.to_owned(),
                        None => f.doc.to_json(v),
                    };
                    Err(Failure::runtime(format!(
                        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {src} == {shown}"
                    )))
                }
            }
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
