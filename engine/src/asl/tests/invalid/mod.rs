//! Hand-written invalid definitions, each with its exact pointer, code and
//! message, and nothing else reported (no cascades).

mod jsonata;
mod machine;
mod rules;
mod states;

use serde_json::{json, Value};

use super::errors_of;

pub(super) const SCHEMA: &str = "SCHEMA_VALIDATION_FAILED";
pub(super) const TARGET: &str = "MISSING_TRANSITION_TARGET";

/// Asserts `def` gives exactly one error, at `ptr` with `code`, whose message contains `msg`.
#[track_caller]
pub(super) fn one(def: Value, ptr: &str, code: &str, msg: &str) {
    let errs = errors_of(&def);
    assert!(
        errs.len() == 1
            && errs[0].location == ptr
            && errs[0].code == code
            && errs[0].message.contains(msg),
        "expected exactly {ptr}: {code}: …{msg}…\ngot {errs:#?}\nfor {def}"
    );
}

/// A machine whose only state is `state`, named `name`.
pub(super) fn only(name: &str, state: Value) -> Value {
    json!({ "StartAt": name, "States": { name: state } })
}

pub(super) fn pass_end() -> Value {
    json!({ "Type": "Pass", "End": true })
}

/// A Choice `C` that goes to `Done` (Succeed) or by default to `X` (`state`):
/// lets a non-terminal state be tested without other graph errors.
pub(super) fn via_choice(state: Value) -> Value {
    json!({ "StartAt": "C", "States": {
        "C": { "Type": "Choice",
               "Choices": [{ "Variable": "$.a", "IsPresent": true, "Next": "Done" }],
               "Default": "X" },
        "Done": { "Type": "Succeed" },
        "X": state,
    }})
}

pub(super) fn task(extra: Value) -> Value {
    let mut t =
        json!({ "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true });
    t.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    only("T", t)
}

pub(super) fn retry(retrier: Value) -> Value {
    only(
        "Retry Step",
        json!({ "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                "Retry": [retrier] }),
    )
}

pub(super) fn rule(r: Value) -> Value {
    let mut r = r;
    r["Next"] = json!("Done");
    json!({ "StartAt": "C", "States": {
        "C": { "Type": "Choice", "Choices": [r] },
        "Done": { "Type": "Succeed" },
    }})
}

/// `x.pipe(f)` = `f(x)`, to tweak a built definition inline.
pub(super) trait Pipe: Sized {
    fn pipe(self, f: impl FnOnce(Self) -> Self) -> Self {
        f(self)
    }
}
impl Pipe for Value {}
