//! `Assign`: new workflow variables, all evaluated against the values the
//! state entered with, gathered in `Fiber::next_vars` and made current by
//! `CommitVars` as the state is left. AWS's size limits are checked here.

use super::fiber::Fiber;
use super::query::{self, Extra};
use crate::bytecode::{AssignId, AssignInfo, Program};
use crate::error::Failure;
use crate::json::{Doc, Val};
use crate::rng::splitmix64;

/// Largest value one variable may hold, and one `Assign` may assign in all (UTF-8 JSON bytes).
pub(crate) const MAX_VARIABLE_BYTES: usize = 256 * 1024;

/// Largest size of all of an execution's variables together.
pub(crate) const MAX_VARIABLES_BYTES: usize = 10 * 1024 * 1024;

/// Runs `Assign` `a`: JSONPath templates read `input` as `$`; JSONata ones
/// see `$states` (with `extra`). The result is merged into the pending
/// variables (a Choice can have two `Assign`s: the state's and the rule's).
///
/// Returns the assigned values (an object), for history's `assignedVariables`.
///
/// # Errors
/// The evaluation fails, or a limit is passed (`States.DataLimitExceeded`).
pub(super) fn run(
    f: &mut Fiber,
    prog: &Program,
    now_ms: i64,
    a: AssignId,
    input: Val,
    extra: Extra,
) -> Result<Val, Failure> {
    let values = match prog.assigns[a.idx()] {
        AssignInfo::Path(t) => {
            let mut rng = f.rng;
            let mut entropy = || splitmix64(&mut rng);
            let r =
                prog.templates[t.idx()].eval_with(&mut f.doc, input, f.ctx, f.vars, &mut entropy);
            f.rng = rng;
            r?
        }
        AssignInfo::Query(q) => query::eval(f, prog, now_ms, q, extra)?,
    };
    let base = f.next_vars.unwrap_or(f.vars);
    f.next_vars = Some(merge(&mut f.doc, base, values)?);
    Ok(values)
}

/// `base` (the variables; `null` when none) with the members of `values` set.
fn merge(doc: &mut Doc, base: Val, values: Val) -> Result<Val, Failure> {
    let members: Vec<(String, Val)> = match doc.as_object(values) {
        Some(o) => o.iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        None => return Ok(base),
    };
    let mut total = 0;
    for (name, v) in &members {
        let n = doc.json_len(*v);
        if n > MAX_VARIABLE_BYTES {
            return Err(too_big(format!(
                "The value assigned to the variable '{name}' is {n} bytes, more than the {MAX_VARIABLE_BYTES} bytes a variable may hold."
            )));
        }
        total += n;
    }
    if total > MAX_VARIABLE_BYTES {
        return Err(too_big(format!(
            "The values assigned by the Assign field are {total} bytes, more than the {MAX_VARIABLE_BYTES} bytes one Assign may assign."
        )));
    }
    let mut out = if doc.as_object(base).is_some() {
        base
    } else {
        Doc::EMPTY_OBJECT
    };
    for (name, v) in members {
        out = doc.with_field(out, &name, v);
    }
    let all = doc.json_len(out);
    if all > MAX_VARIABLES_BYTES {
        return Err(too_big(format!(
            "The execution's variables would be {all} bytes, more than the {MAX_VARIABLES_BYTES} bytes an execution may hold."
        )));
    }
    Ok(out)
}

#[cold]
fn too_big(cause: String) -> Failure {
    Failure::new("States.DataLimitExceeded", cause)
}
