//! JSONata in the VM: a template of the program evaluated in the fiber's
//! document, with `$states` (input, result, errorOutput, context) and the
//! workflow variables the template reads bound for it, and AWS's
//! `States.QueryEvaluationError` causes when it fails or gives a value of
//! the wrong type.

use super::fiber::Fiber;
use crate::bytecode::{sees, Program, QueryId};
use crate::error::Failure;
use crate::json::{Doc, Entry, Kind, Val};
use crate::jsonata::{Budget, Host};
use crate::rng::splitmix64;
use std::time::Duration;

/// The error of a JSONata evaluation that fails (it can be retried and caught).
pub(crate) const QUERY_ERROR: &str = "States.QueryEvaluationError";

/// How much one evaluation may do before it fails (`U1001`).
pub(super) const BUDGET: Budget = Budget {
    max_depth: 300,
    max_steps: 10_000_000,
    max_time: Some(Duration::from_secs(10)),
    max_tail_calls: 10_000,
};

/// `$states` parts that only some evaluations have.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Extra {
    /// `$states.errorOutput` (a catcher).
    pub(super) error_output: Option<Val>,
    /// `$states.context` other than the state's (a Map's ItemSelector, with `Map.Item`).
    pub(super) ctx: Option<Val>,
}

/// What an evaluation sees: its bindings, the clock and the fiber's random stream.
struct StateHost<'a> {
    bindings: &'a [(&'a str, Val)],
    now_ms: i64,
    rng: &'a mut u64,
}

impl Host for StateHost<'_> {
    fn variable(&self, name: &str) -> Option<Val> {
        self.bindings
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    fn now_ms(&self) -> i64 {
        self.now_ms
    }

    fn random(&mut self) -> f64 {
        (splitmix64(self.rng) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Evaluates template `q` for the fiber's current state.
///
/// # Errors
/// `States.QueryEvaluationError` with AWS's cause.
pub(super) fn eval(
    f: &mut Fiber,
    prog: &Program,
    now_ms: i64,
    q: QueryId,
    extra: Extra,
) -> Result<Val, Failure> {
    let info = &prog.queries[q.idx()];
    let t = &info.template;
    // Most templates read one or two names: bind them without allocating.
    let mut small: [(&str, Val); 4] = [("", Doc::NULL); 4];
    let mut large: Vec<(&str, Val)> = Vec::new();
    let mut n = 0;
    for name in t.free_variables() {
        let v = if name == "states" {
            Some(states_object(f, info.sees, extra))
        } else {
            f.doc.field(f.vars, name)
        };
        if let Some(v) = v {
            if n < small.len() {
                small[n] = (name, v);
            } else {
                if large.is_empty() {
                    large.extend_from_slice(&small);
                }
                large.push((name, v));
            }
            n += 1;
        }
    }
    let bindings: &[(&str, Val)] = if large.is_empty() {
        &small[..n]
    } else {
        &large
    };
    let mut rng = f.rng;
    let mut host = StateHost {
        bindings,
        now_ms,
        rng: &mut rng,
    };
    let r = t.eval(&mut f.doc, &mut host, &BUDGET);
    f.rng = rng;
    r.map_err(|e| Failure::new(QUERY_ERROR, e.cause()))
}

/// `$states` for one evaluation (no allocation beside the object itself).
fn states_object(f: &mut Fiber, sees: u8, extra: Extra) -> Val {
    let d = &mut f.doc;
    let mut entries = [Entry {
        key: d.key("input"),
        val: f.raw,
    }; 4];
    let mut n = 1;
    if sees & sees::RESULT != 0 {
        entries[n] = Entry {
            key: d.key("result"),
            val: f.result,
        };
        n += 1;
    }
    if let Some(e) = extra.error_output {
        entries[n] = Entry {
            key: d.key("errorOutput"),
            val: e,
        };
        n += 1;
    }
    let ctx = extra.ctx.unwrap_or(f.ctx);
    if d.as_object(ctx).is_some() {
        entries[n] = Entry {
            key: d.key("context"),
            val: ctx,
        };
        n += 1;
    }
    d.object(&entries[..n])
}

/// A JSON type as AWS names it in causes.
pub(super) fn kind_name(doc: &Doc, v: Val) -> &'static str {
    match doc.kind(v) {
        Kind::Null => "null",
        Kind::Bool => "boolean",
        Kind::Number => "number",
        Kind::String => "string",
        Kind::Array => "array",
        Kind::Object => "object",
    }
}

/// AWS's cause for a template that gave a value of the wrong type:
/// `The JSONata expression 'true' specified for the field 'Items' returned an
/// unexpected result type. Expected 'array', but was 'boolean' for value: true`.
#[cold]
pub(super) fn wrong_type(
    prog: &Program,
    q: QueryId,
    field: &str,
    expected: &str,
    doc: &Doc,
    v: Val,
) -> Failure {
    let t = &prog.queries[q.idx()].template;
    let src = t.single().map_or_else(
        || t.queries().first().map_or("", |q| &*q.src).to_owned(),
        |q| q.src.to_string(),
    );
    Failure::new(
        QUERY_ERROR,
        format!(
            "The JSONata expression '{src}' specified for the field '{field}' returned an unexpected result type. Expected '{expected}', but was '{}' for value: {}",
            kind_name(doc, v),
            doc.to_json(v)
        ),
    )
}

/// An integer operand given as an expression (`TimeoutSeconds`, `MaxConcurrency` …).
///
/// # Errors
/// The expression fails, or gives something other than a non-negative integer.
pub(super) fn integer(
    f: &mut Fiber,
    prog: &Program,
    now_ms: i64,
    q: QueryId,
    field: &str,
) -> Result<u64, Failure> {
    let v = eval(f, prog, now_ms, q, Extra::default())?;
    match f.doc.as_i64(v) {
        Some(i) if i >= 0 => Ok(i as u64),
        _ => Err(wrong_type(prog, q, field, "integer", &f.doc, v)),
    }
}
