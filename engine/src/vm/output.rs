//! What a state hands on: AWS's payload quota on results, and the error
//! and cause texts of a Fail state.

use super::fiber::Fiber;
use super::Env;
use crate::bytecode::{FailSource, Op};
use crate::error::Failure;
use crate::path::Scope;
use crate::rng::splitmix64;

/// AWS's payload quota: 256 KiB of UTF-8 JSON.
const MAX_PAYLOAD: usize = 262_144;

/// `States.DataLimitExceeded` when a state's result is over the payload quota.
/// Cheap in the common case: the exact size is computed only when the
/// document's storage has grown past the quota.
pub(super) fn check_size(f: &Fiber, env: &Env<'_>) -> Result<(), Failure> {
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
