//! What a state hands on: AWS's payload quota on results, and the error
//! and cause texts of a Fail state.

use super::fiber::Fiber;
use super::Env;
use crate::bytecode::{FailSource, Op};
use crate::error::Failure;
use crate::path::Scope;
use crate::rng::splitmix64;

/// AWS's payload quota: 256 KiB of UTF-8 JSON. It applies to a state's
/// result, its input after `Parameters` and its output ("Quotas related to
/// state throttling / payload size" and `States.DataLimitExceeded` in
/// <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>).
const MAX_PAYLOAD: usize = 262_144;

/// Below this much storage a document's values are not measured. A value's
/// text is longer than the document's storage only where it reaches one
/// subtree more than once (`{"a.$": "$", "b.$": "$"}`, a Pass without
/// `Result` written back with `ResultPath`) or escapes most of its string
/// bytes (`\u0001` is 6 bytes of text for 1 stored): a value in a document
/// under the quota's quarter passes the quota only by reaching its data 4
/// times over, which no workflow we know of does, and a walk over every
/// result of a document of a few tens of KiB would cost a Map of 100 items
/// 12% (callgrind, `map100`). The walk is sound above this size.
const MEASURE_ABOVE: usize = MAX_PAYLOAD / 4;

/// `States.DataLimitExceeded` when `v` (the state's result, its effective
/// input or its output) is over the payload quota. Cheap in the common case:
/// the text is measured only in a document past [`MEASURE_ABOVE`], and then
/// no further than the quota.
#[inline]
pub(super) fn check_value(f: &Fiber, env: &Env<'_>, v: crate::json::Val) -> Result<(), Failure> {
    if f.doc.bytes() > MEASURE_ABOVE {
        return measure(f, env, v);
    }
    Ok(())
}

/// The slow half of [`check_value`]: measure `v`.
#[cold]
#[inline(never)]
fn measure(f: &Fiber, env: &Env<'_>, v: crate::json::Val) -> Result<(), Failure> {
    if f.doc.json_len_exceeds(v, MAX_PAYLOAD) {
        let name = result_source(env, f.state);
        return Err(Failure::new(
            "States.DataLimitExceeded",
            format!("The state/task '{name}' returned a result with a size exceeding the maximum number of bytes service limit."),
        ));
    }
    Ok(())
}

/// [`check_value`] on the state's result.
#[inline]
pub(super) fn check_size(f: &Fiber, env: &Env<'_>) -> Result<(), Failure> {
    check_value(f, env, f.result)
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

/// A Fail state's `Error` or `Cause` (literal or computed).
pub(super) fn fail_text(
    f: &mut Fiber,
    env: &Env<'_>,
    src: Option<&FailSource>,
    field: &str,
) -> Result<String, Failure> {
    let v = match src {
        None => return Ok(String::new()),
        Some(FailSource::Literal(s)) => return Ok(s.to_string()),
        Some(FailSource::Expr(e)) => {
            let mut rng = f.rng;
            let mut entropy = || splitmix64(&mut rng);
            let scope = Scope {
                input: f.cur,
                ctx: f.ctx,
                vars: f.vars,
            };
            e.eval_scope(&mut f.doc, &scope, field, &mut entropy)?
        }
        Some(FailSource::Query(q)) => {
            super::query::eval(f, env.prog, env.now_ms, *q, Default::default())?
        }
    };
    Ok(match f.doc.as_str(v) {
        Some(s) => s.to_owned(),
        None => f.doc.to_json(v),
    })
}
