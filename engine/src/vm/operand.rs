//! Operands read at run time: a path over the state's value (AWS's
//! "invalid path" cause when it selects nothing) and integers given as a
//! literal or a `…Path` field.

use super::fiber::Fiber;
use super::Env;
use crate::bytecode::NumSource;
use crate::error::Failure;
use crate::json::{Doc, Val};

/// The value `p` selects from `input`, or AWS's invalid-path failure.
pub(super) fn select(
    f: &mut Fiber,
    env: &Env<'_>,
    p: crate::bytecode::PathId,
    input: Val,
) -> Result<Val, Failure> {
    let path = &env.prog.paths[p.idx()];
    match path.select_with(&mut f.doc, input, f.ctx, f.vars) {
        Some(v) => Ok(v),
        None => {
            let start = match path.variable() {
                Some(name) => f.doc.field(f.vars, name).unwrap_or(Doc::NULL),
                None if path.is_context() => f.ctx,
                None => input,
            };
            Err(Failure::runtime(path.invalid_path_cause(&f.doc, start)))
        }
    }
}

/// An integer operand read from the state's current value.
pub(super) fn num(
    f: &mut Fiber,
    env: &Env<'_>,
    src: NumSource,
    what: &str,
) -> Result<u64, Failure> {
    let input = f.cur;
    num_from(f, env, src, what, input)
}

/// An integer operand read from `input`.
pub(super) fn num_from(
    f: &mut Fiber,
    env: &Env<'_>,
    src: NumSource,
    what: &str,
    input: Val,
) -> Result<u64, Failure> {
    match src {
        NumSource::Value(v) => Ok(v),
        NumSource::Query(q) => {
            let field = what.strip_suffix("Path").unwrap_or(what);
            super::query::integer(f, env.prog, env.now_ms, q, field)
        }
        NumSource::Path(p) => {
            let v = select(f, env, p, input)?;
            // A string holding an integer counts (recorded: a variable set
            // to "1" served as MaxConcurrencyPath).
            let n = f
                .doc
                .as_i64(v)
                .or_else(|| f.doc.as_str(v).and_then(|s| s.parse::<i64>().ok()));
            match n {
                Some(i) if i >= 0 => Ok(i as u64),
                _ => {
                    let shown = match f.doc.as_str(v) {
                        Some(s) => s.to_owned(),
                        None => f.doc.to_json(v),
                    };
                    Err(not_an_integer(
                        what,
                        &shown,
                        env.prog.paths[p.idx()].source(),
                    ))
                }
            }
        }
    }
}

/// A `TimeoutSecondsPath` / `HeartbeatSecondsPath` operand: like [`num_from`],
/// and the value must be positive ("the path must select a field whose value
/// is a positive integer", AWS's Task state page); 0 from a path fails as a
/// value that is not a valid integer does.
pub(super) fn positive_from(
    f: &mut Fiber,
    env: &Env<'_>,
    src: NumSource,
    what: &str,
    input: Val,
) -> Result<u64, Failure> {
    match (num_from(f, env, src, what, input)?, src) {
        (0, NumSource::Path(p)) => Err(not_an_integer(what, "0", env.prog.paths[p.idx()].source())),
        (n, _) => Ok(n),
    }
}

/// AWS's cause for a `…Path` field whose value is not a valid integer.
fn not_an_integer(what: &str, shown: &str, path: &str) -> Failure {
    Failure::runtime(format!(
        "The {what} field refers to value \"{shown}\" which is not a valid integer: {path}"
    ))
}
