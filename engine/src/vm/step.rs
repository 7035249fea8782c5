//! The interpreter: runs one fiber's ops until it ends, fails, suspends or
//! runs out of fuel. It never blocks and never recurses per branch.

use super::assign;
use super::failure::{decide, Decision};
use super::fiber::{Fiber, Spawn};
use super::flow::Flow;
pub(crate) use super::flow::Step;
use super::invoke::invoke;
use super::operand::{num, select};
use super::output::{check_size, check_value, fail_text};
use super::query::{self, Extra, QUERY_ERROR};
use super::wait::wait_until;
use super::{choice, context, Counters, Env};
use crate::bytecode::{Op, OpId, ResultTarget, StateType};
use crate::error::Failure;
use crate::history::{self, Kind};
use crate::json::{Doc, Entry, Val};
use crate::rng::splitmix64;

/// Runs `f` until it stops, for at most `fuel` ops.
pub(crate) fn run_slice(f: &mut Fiber, env: &Env<'_>, n: &mut Counters, mut fuel: u32) -> Step {
    loop {
        if fuel == 0 {
            return Step::OutOfFuel;
        }
        fuel -= 1;
        let pc = f.pc;
        let flow = exec_op(f, env, n, env.prog.op(pc));
        if let Some(e) = over_limit(env, n) {
            return Step::Abort(e);
        }
        match flow {
            Ok(Flow::Next) => f.pc = OpId(pc.0 + 1),
            Ok(Flow::Goto(t)) => f.pc = t,
            Ok(Flow::Return(s)) => return s,
            Err(e) => {
                let e = with_state_prefix(f, env, e);
                if e.error == QUERY_ERROR {
                    n.events += 1; // EvaluationFailed
                    if let Some(h) = env.hist {
                        record_evaluation_failed(h, f, env, &e);
                    }
                }
                if let Some(s) = handle_failure(f, env, n, e) {
                    return s;
                }
            }
        }
    }
}

/// The failure of an execution past one of its limits (checked after every
/// op: two compares). The history rule is AWS's: at 24,999 events only
/// `ExecutionSucceeded` (counted outside the ops) may follow.
#[inline]
fn over_limit(env: &Env<'_>, n: &Counters) -> Option<Failure> {
    let lim = env.info.limits;
    if n.events >= u64::from(lim.events) {
        // The cause users see (quoted from AWS by cloudonaut.io, "Step
        // Functions pitfall", 2022); the error name is not documented.
        return Some(Failure::runtime(format!(
            "The execution reached the maximum number of history events ({}).",
            lim.events
        )));
    }
    if n.transitions > u64::from(lim.transitions) {
        return Some(transitions_exceeded(lim.transitions));
    }
    None
}

/// The failure of an execution past its cap of `cap` state transitions.
#[cold]
pub(super) fn transitions_exceeded(cap: u32) -> Failure {
    Failure::runtime(format!(
        "The execution exceeded its cap of {cap} state transitions (max_transitions)."
    ))
}

/// Records `EvaluationFailed` for the current state of `f`.
#[cold]
fn record_evaluation_failed(h: &history::RecorderCell, f: &Fiber, env: &Env<'_>, e: &Failure) {
    let err = history::Error {
        error: &e.error,
        cause: &e.cause,
    };
    h.borrow_mut().evaluation_failed(
        env.prog,
        env.key.fiber,
        f.state,
        f.entered_event,
        env.now_ms,
        err,
    );
}

/// Records the state's exit with output `out` (call only with history on).
#[cold]
#[inline(never)]
fn record_exit(f: &Fiber, env: &Env<'_>, out: Val) {
    if let Some(h) = env.hist {
        h.borrow_mut()
            .exited(env.prog, env.key.fiber, f.state, env.now_ms, &f.doc, out);
    }
}

/// Adds AWS's "An error occurred while executing the state …" prefix to a
/// `States.Runtime` or `States.QueryEvaluationError` cause.
pub(super) fn with_state_prefix(f: &Fiber, env: &Env<'_>, e: Failure) -> Failure {
    state_prefixed(env.prog, f.state, f.entered_event, e)
}

/// [`with_state_prefix`] for state `s` of `prog`, entered at event `entered`.
pub(super) fn state_prefixed(
    prog: &crate::bytecode::Program,
    s: crate::bytecode::StateId,
    entered: u64,
    mut e: Failure,
) -> Failure {
    if e.error == "States.Runtime" || e.error == QUERY_ERROR {
        e.cause = format!(
            "An error occurred while executing the state '{}' (entered at the event id #{}). {}",
            prog.state(s).name,
            entered,
            e.cause
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
        let mut tmp = splitmix64(&mut rng_state);
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
    let failed = match decision {
        Decision::Retry { .. } => false,
        Decision::Catch { .. } => {
            n.events += u64::from(joins) + u64::from(joins || st.kind == StateType::Task);
            joins
        }
        Decision::Fail => {
            let failed = joins && e.error != "States.Runtime";
            n.events += u64::from(failed);
            failed
        }
    };
    if let Some(h) = env.hist {
        let mut h = h.borrow_mut();
        h.clear_assigned(env.key.fiber);
        if failed {
            let kind = match st.kind {
                StateType::Map => Kind::MapStateFailed,
                _ => Kind::ParallelStateFailed,
            };
            h.plain(env.key.fiber, kind, env.now_ms);
        }
    }
    let exits = matches!(decision, Decision::Catch { .. }) && (joins || st.kind == StateType::Task);
    match decision {
        Decision::Retry { delay_ms } => {
            f.next_vars = None;
            f.retry_count += 1;
            n.transitions += 1;
            // The handler failed (the fiber is at its `Invoke`, `cur` its
            // effective input): a state whose input ops read only the input
            // calls again with it; else the attempt starts over.
            if !(st.retry_keeps_input && matches!(env.prog.op(f.pc), Op::Invoke(_))) {
                f.cur = f.raw;
                f.pc = st.retry_point;
                if st.context != 0 {
                    // `$$.State.RetryCount` counts this attempt (recorded:
                    // 0, 1, 2, 3 in the parameters of four attempts).
                    f.ctx = context::build(f, env.info, st);
                }
            }
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
            match caught(f, env, n, c, out) {
                Ok(v) => {
                    f.cur = v;
                    f.pc = next;
                    if exits {
                        record_exit(f, env, v);
                    }
                    None
                }
                Err(e2) => {
                    if exits {
                        record_exit(f, env, out);
                    }
                    Some(Step::Failed(with_state_prefix(f, env, e2)))
                }
            }
        }
        Decision::Fail => Some(Step::Failed(e)),
    }
}

/// A catcher's work on the error output `out`: its `Assign` (the state's
/// own is dropped), then its `Output` (JSONata) or `ResultPath`; the new
/// variables take effect as the state is left. Returns the state's output.
pub(super) fn caught(
    f: &mut Fiber,
    env: &Env<'_>,
    n: &mut Counters,
    c: &crate::bytecode::CatcherInfo,
    out: crate::json::Val,
) -> Result<crate::json::Val, Failure> {
    f.next_vars = None;
    let extra = Extra {
        error_output: Some(out),
        ctx: None,
    };
    let counted = |n: &mut Counters, f: &Fiber, e: Failure| {
        if e.error == QUERY_ERROR {
            n.events += 1; // EvaluationFailed
            if let Some(h) = env.hist {
                record_evaluation_failed(h, f, env, &with_state_prefix(f, env, e.clone()));
            }
        }
        e
    };
    if let Some(a) = c.assign {
        match assign::run(f, env.prog, env.now_ms, a, out, extra) {
            Ok(values) => {
                if let Some(h) = env.hist {
                    h.borrow_mut().assigned(env.key.fiber, &f.doc, values);
                }
            }
            Err(e) => return Err(counted(n, f, e)),
        }
    }
    let v = match (c.output, c.result) {
        (Some(q), _) => match query::eval(f, env.prog, env.now_ms, q, extra) {
            Ok(v) => v,
            Err(e) => return Err(counted(n, f, e)),
        },
        (None, ResultTarget::Root) => out,
        (None, ResultTarget::Discard) => f.raw,
        (None, ResultTarget::Path(p)) => env.prog.paths[p.idx()].set(&mut f.doc, f.raw, out)?,
    };
    if let Some(vars) = f.next_vars.take() {
        f.vars = vars;
    }
    Ok(v)
}

pub(super) fn exec_op(
    f: &mut Fiber,
    env: &Env<'_>,
    n: &mut Counters,
    op: Op,
) -> Result<Flow, Failure> {
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
            if let Some(h) = env.hist {
                h.borrow_mut()
                    .entered(prog, env.key.fiber, s, env.now_ms, &f.doc, f.cur);
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
            let mut entropy = || splitmix64(&mut rng);
            f.cur = prog.templates[t.idx()].eval_with(
                &mut f.doc,
                f.cur,
                f.ctx,
                f.vars,
                &mut entropy,
            )?;
            f.rng = rng;
            check_value(f, env, f.cur)?;
        }
        Op::ResultConst(c) => f.result = f.doc.copy_from(&prog.const_doc, prog.consts[c.idx()]),
        Op::ResultIsInput => f.result = f.cur,
        Op::Invoke(t) => return invoke(f, env, n, t),
        Op::TaskToken(_) => super::token::draw(f, env, n),
        Op::Parallel(par) => {
            n.events += 1; // ParallelStateStarted
            if let Some(h) = env.hist {
                h.borrow_mut()
                    .plain(env.key.fiber, Kind::ParallelStateStarted, env.now_ms);
            }
            f.spawn = Some(Spawn::Parallel { par, input: f.cur });
            return Ok(Flow::Return(Step::Spawn));
        }
        Op::Map(m) => {
            let info = &prog.maps[m.idx()];
            let max = num(f, env, info.max_concurrency, "MaxConcurrencyPath")?;
            let items = match info.items {
                // The reader's items are read as the children start (`stream.rs`).
                _ if info.reader.is_some() => Doc::NULL,
                Some(q) => {
                    let v = query::eval(f, prog, env.now_ms, q, Extra::default())?;
                    if f.doc.as_array(v).is_none() {
                        return Err(query::wrong_type(prog, q, "Items", "array", &f.doc, v));
                    }
                    v
                }
                None if info.jsonata => {
                    if f.doc.as_array(f.cur).is_none() {
                        return Err(Failure::new(
                            QUERY_ERROR,
                            format!(
                                "Map state input must be an array but was: {}",
                                f.doc.to_json(f.cur)
                            ),
                        ));
                    }
                    f.cur
                }
                None => select(f, env, info.items_path, f.cur)?,
            };
            if f.doc.as_array(items).is_none() && info.reader.is_none() {
                return Err(Failure::runtime(format!(
                    "Invalid path '{}': The ItemsPath field must resolve to a JSON array, but it resolved to: {}",
                    prog.paths[info.items_path.idx()].source(),
                    f.doc.to_json(items)
                )));
            }
            n.events += 1; // MapStateStarted
            if let Some(h) = env.hist {
                let len = f.doc.as_array(items).map_or(0, <[Val]>::len);
                h.borrow_mut().map_started(env.key.fiber, env.now_ms, len);
            }
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
            let mut entropy = || splitmix64(&mut rng);
            f.result = prog.templates[t.idx()].eval_with(
                &mut f.doc,
                f.result,
                f.ctx,
                f.vars,
                &mut entropy,
            )?;
            f.rng = rng;
        }
        Op::ResultPath(p) => {
            check_size(f, env)?;
            f.cur = prog.paths[p.idx()].set(&mut f.doc, f.raw, f.result)?;
            check_value(f, env, f.cur)?;
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
            let hit = choice::eval(prog, t, &mut f.doc, f.cur, f.ctx, f.vars)?;
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
            if env.hist.is_some() {
                record_exit(f, env, f.cur);
            }
            return Ok(Flow::Goto(t));
        }
        Op::End => {
            n.events += 1; // StateExited
            if let Some(o) = env.obs {
                o.borrow_mut().state_left(f.state, f.entered_ms, env.now_ms);
            }
            if env.hist.is_some() {
                record_exit(f, env, f.cur);
            }
            return Ok(Flow::Return(Step::End(f.cur)));
        }
        Op::Fail(id) => {
            let info = &prog.fails[id.idx()];
            let error = fail_text(f, env, info.error.as_ref(), "ErrorPath")?;
            let cause = fail_text(f, env, info.cause.as_ref(), "CausePath")?;
            if let Some(o) = env.obs {
                o.borrow_mut().state_failed(f.state);
            }
            return Ok(Flow::Return(Step::Failed(Failure::new(error, cause))));
        }
        Op::Arguments(q) | Op::Output(q) => {
            f.cur = query::eval(f, prog, env.now_ms, q, Extra::default())?;
            check_value(f, env, f.cur)?;
        }
        Op::Assign(a) => {
            let values = assign::run(f, prog, env.now_ms, a, f.result, Extra::default())?;
            if let Some(h) = env.hist {
                h.borrow_mut().assigned(env.key.fiber, &f.doc, values);
            }
        }
        Op::CommitVars => {
            if let Some(v) = f.next_vars.take() {
                f.vars = v;
            }
        }
        Op::Condition {
            query,
            then,
            otherwise,
        } => {
            let v = query::eval(f, prog, env.now_ms, query, Extra::default())?;
            return match f.doc.as_bool(v) {
                Some(hit) => Ok(Flow::Goto(if hit { then } else { otherwise })),
                None => Err(query::wrong_type(
                    prog,
                    query,
                    "Condition",
                    "boolean",
                    &f.doc,
                    v,
                )),
            };
        }
    }
    Ok(Flow::Next)
}
