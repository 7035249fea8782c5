//! Hand-written invalid definitions, each with its exact pointer, code and
//! message, and nothing else reported (no cascades).

use serde_json::{json, Value};

use super::super::{parse_with, MachineType, ParseOptions};
use super::errors_of;

const SCHEMA: &str = "SCHEMA_VALIDATION_FAILED";
const TARGET: &str = "MISSING_TRANSITION_TARGET";

/// Asserts `def` gives exactly one error, at `ptr` with `code`, whose message contains `msg`.
#[track_caller]
fn one(def: Value, ptr: &str, code: &str, msg: &str) {
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
fn only(name: &str, state: Value) -> Value {
    json!({ "StartAt": name, "States": { name: state } })
}

fn pass_end() -> Value {
    json!({ "Type": "Pass", "End": true })
}

/// A Choice `C` that goes to `Done` (Succeed) or by default to `X` (`state`):
/// lets a non-terminal state be tested without other graph errors.
fn via_choice(state: Value) -> Value {
    json!({ "StartAt": "C", "States": {
        "C": { "Type": "Choice",
               "Choices": [{ "Variable": "$.a", "IsPresent": true, "Next": "Done" }],
               "Default": "X" },
        "Done": { "Type": "Succeed" },
        "X": state,
    }})
}

fn task(extra: Value) -> Value {
    let mut t =
        json!({ "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true });
    t.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    only("T", t)
}

fn retry(retrier: Value) -> Value {
    only(
        "Retry Step",
        json!({ "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                "Retry": [retrier] }),
    )
}

fn rule(r: Value) -> Value {
    let mut r = r;
    r["Next"] = json!("Done");
    json!({ "StartAt": "C", "States": {
        "C": { "Type": "Choice", "Choices": [r] },
        "Done": { "Type": "Succeed" },
    }})
}

#[test]
fn top_level() {
    one(
        json!({ "States": { "A": pass_end() } }),
        "/",
        SCHEMA,
        "These fields are required: [StartAt]",
    );
    one(
        json!({ "StartAt": "B", "States": { "A": pass_end() } }),
        "/StartAt",
        TARGET,
        "Missing 'Next' target: B",
    );
    let mut d = only("A", pass_end());
    d["Coment"] = json!("typo");
    one(d, "/Coment", SCHEMA, "Field 'Coment' is not supported");
    let mut d = only("A", pass_end());
    d["TimeoutSeconds"] = json!(0);
    one(d, "/TimeoutSeconds", SCHEMA, "Minimum value is 1");
    let mut d = only("A", pass_end());
    d["TimeoutSeconds"] = json!(100_000_000);
    one(d, "/TimeoutSeconds", SCHEMA, "Maximum value is 99999999");
    let mut d = only("A", pass_end());
    d["QueryLanguage"] = json!("XPath");
    one(d, "/QueryLanguage", SCHEMA, "[JSONPath, JSONata]");
    one(
        json!({ "StartAt": "A", "States": {} }),
        "/States",
        SCHEMA,
        "Value cannot be empty",
    );
}

#[test]
fn state_shape() {
    one(
        only("A", json!({ "End": true })),
        "/States/A",
        SCHEMA,
        "These fields are required: [Type]",
    );
    one(
        only("A", json!({ "Type": "Pas", "End": true })),
        "/States/A/Type",
        SCHEMA,
        "should have one of these values",
    );
    one(
        only("a/b~c", json!({ "Type": 3, "End": true })),
        "/States/a~1b~0c/Type",
        SCHEMA,
        "'Type'",
    );
    one(
        via_choice(json!({ "Type": "Pass" })),
        "/States/X",
        SCHEMA,
        "[Next or End]",
    );
    one(
        only("A", json!({ "Type": "Pass", "Next": "A", "End": true })),
        "/States/A",
        SCHEMA,
        "[Next, End]",
    );
    one(
        via_choice(json!({ "Type": "Pass", "End": false })),
        "/States/X/End",
        SCHEMA,
        "must be true",
    );
    one(
        only("A", json!({ "Type": "Succeed", "Next": "A" })),
        "/States/A/Next",
        SCHEMA,
        "Field 'Next' is not supported",
    );
    one(
        only("A", json!({ "Type": "Pass", "End": true, "Retry": [] })),
        "/States/A/Retry",
        SCHEMA,
        "Field 'Retry' is not supported",
    );
    one(
        only(
            "A",
            json!({ "Type": "Pass", "End": true, "QueryLanguage": "JSONata", "InputPath": "$" }),
        ),
        "/States/A/InputPath",
        SCHEMA,
        "only supported for the 'JSONPath' QueryLanguage",
    );
    one(
        only("A", json!({ "Type": "Pass", "End": true, "Output": {} })),
        "/States/A/Output",
        SCHEMA,
        "only supported for the 'JSONata' QueryLanguage",
    );
    one(
        json!({ "QueryLanguage": "JSONata", "StartAt": "A",
                "States": { "A": { "Type": "Pass", "End": true, "QueryLanguage": "JSONPath" } } }),
        "/States/A",
        SCHEMA,
        "can not be 'JSONPath'",
    );
    let long = "N".repeat(81);
    one(
        only(&long, pass_end()),
        &format!("/States/{long}"),
        "INVALID_STATE_NAME",
        "80",
    );
}

#[test]
fn graph() {
    one(
        via_choice(
            json!({ "Type": "Choice", "Choices": [{ "Variable": "$", "IsNull": true, "Next": "Done" }], "Default": "Nope" }),
        ),
        "/States/X/Default",
        TARGET,
        "Missing 'Next' target: Nope",
    );
    one(
        rule(json!({ "Variable": "$", "IsNull": true, "Next": "Gone" })).pipe(|mut d| {
            d["States"]["C"]["Choices"][0]["Next"] = json!("Gone");
            d["States"]["C"]["Default"] = json!("Done");
            d
        }),
        "/States/C/Choices/0/Next",
        TARGET,
        "Gone",
    );
    one(
        task(json!({ "Catch": [{ "ErrorEquals": ["States.ALL"], "Next": "Nowhere" }] })),
        "/States/T/Catch/0/Next",
        TARGET,
        "Missing 'Next' target: Nowhere",
    );
    one(
        json!({ "StartAt": "A", "States": { "A": { "Type": "Pass", "Next": "B" }, "B": { "Type": "Pass", "Next": "A" } } }),
        "/",
        "MISSING_END_STATE",
        "Workflow has no terminal state",
    );
    one(
        json!({ "StartAt": "A", "States": { "A": pass_end(), "B": pass_end() } }),
        "/States/B",
        TARGET,
        "State \"B\" is not reachable.",
    );
    one(
        json!({ "StartAt": "P", "States": { "P": { "Type": "Parallel", "End": true,
        "Branches": [{ "StartAt": "X", "States": {
            "X": { "Type": "Choice", "Choices": [{ "Variable": "$", "IsNull": true, "Next": "Y" }], "Default": "P" },
            "Y": { "Type": "Succeed" } } }] } } }),
        "/States/P/Branches/0/States/X/Default",
        TARGET,
        "Missing 'Next' target: P",
    );
    one(
        json!({ "StartAt": "P", "States": { "P": { "Type": "Parallel", "End": true,
        "Branches": [{ "StartAt": "Q", "States": { "X": pass_end() } }] } } }),
        "/States/P/Branches/0/StartAt",
        TARGET,
        "Missing 'Next' target: Q",
    );
    one(
        json!({ "StartAt": "P", "States": { "P": { "Type": "Parallel", "End": true,
        "Branches": [{ "StartAt": "P", "States": { "P": pass_end() } }] } } }),
        "/States/P/Branches/0/States/P",
        "DUPLICATE_STATE_NAME",
        "Duplicate State name: P",
    );
}

#[test]
fn retriers_and_catchers() {
    let base = || json!({ "ErrorEquals": ["States.ALL"] });
    let with = |k: &str, v: Value| {
        let mut r = base();
        r[k] = v;
        retry(r)
    };
    one(
        with("BackoffRate", json!(0.5)),
        "/States/Retry Step/Retry/0/BackoffRate",
        SCHEMA,
        "must be >= 1.0",
    );
    one(
        with("IntervalSeconds", json!(0)),
        "/States/Retry Step/Retry/0/IntervalSeconds",
        SCHEMA,
        "Minimum value is 1",
    );
    one(
        with("MaxAttempts", json!(-1)),
        "/States/Retry Step/Retry/0/MaxAttempts",
        SCHEMA,
        "Minimum value is 0",
    );
    one(
        with("MaxAttempts", json!(1.5)),
        "/States/Retry Step/Retry/0/MaxAttempts",
        SCHEMA,
        "integer",
    );
    one(
        with("MaxDelaySeconds", json!(0)),
        "/States/Retry Step/Retry/0/MaxDelaySeconds",
        SCHEMA,
        "Minimum value is 1",
    );
    one(
        with("JitterStrategy", json!("SOME")),
        "/States/Retry Step/Retry/0/JitterStrategy",
        SCHEMA,
        "[FULL, NONE]",
    );
    one(
        with("ErrorEquals", json!([])),
        "/States/Retry Step/Retry/0/ErrorEquals",
        SCHEMA,
        "Value cannot be empty",
    );
    one(
        with("ErrorEquals", json!(["States.ALL", "X"])),
        "/States/Retry Step/Retry/0/ErrorEquals",
        SCHEMA,
        "alone",
    );
    one(
        retry(json!({})),
        "/States/Retry Step/Retry/0",
        SCHEMA,
        "These fields are required: [ErrorEquals]",
    );
    one(
        task(json!({ "Retry": [{ "ErrorEquals": ["States.ALL"] }, { "ErrorEquals": ["X"] }] })),
        "/States/T/Retry/0/ErrorEquals",
        SCHEMA,
        "last retrier",
    );
    one(
        task(json!({ "Catch": [{ "ErrorEquals": ["X"] }] })),
        "/States/T/Catch/0",
        SCHEMA,
        "[Next]",
    );
    one(
        task(json!({ "Catch": [{ "ErrorEquals": ["X"], "Next": "T", "Foo": 1 }] })),
        "/States/T/Catch/0/Foo",
        SCHEMA,
        "Field 'Foo' is not supported",
    );
}

#[test]
fn task_fields() {
    one(
        only("T", json!({ "Type": "Task", "End": true })),
        "/States/T",
        SCHEMA,
        "[Resource]",
    );
    one(
        task(json!({ "TimeoutSeconds": 5, "TimeoutSecondsPath": "$.t" })),
        "/States/T",
        SCHEMA,
        "[TimeoutSeconds, TimeoutSecondsPath]",
    );
    one(
        task(json!({ "TimeoutSeconds": 0 })),
        "/States/T/TimeoutSeconds",
        SCHEMA,
        "Minimum value is 1",
    );
    one(
        task(json!({ "TimeoutSeconds": 5, "HeartbeatSeconds": 5 })),
        "/States/T/HeartbeatSeconds",
        SCHEMA,
        "smaller than TimeoutSeconds",
    );
    one(
        task(json!({ "HeartbeatSecondsPath": "$.a[*]" })),
        "/States/T/HeartbeatSecondsPath",
        SCHEMA,
        "Reference Path",
    );
    one(
        task(json!({ "Credentials": {} })),
        "/States/T/Credentials",
        SCHEMA,
        "'RoleArn' is required",
    );
    one(
        task(json!({ "Parameters": { "x.$": 5 } })),
        "/States/T/Parameters/x.$",
        SCHEMA,
        "must be a STRING",
    );
    one(
        task(json!({ "Parameters": { "a": [{ "b.$": "States.Nope()" }] } })),
        "/States/T/Parameters/a/0/b.$",
        SCHEMA,
        "valid intrinsic function call",
    );
    one(
        task(json!({ "ResultSelector": { "b.$": "nope" } })),
        "/States/T/ResultSelector/b.$",
        SCHEMA,
        "valid JSONPath",
    );
    one(
        task(json!({ "ResultPath": "$$.Execution" })),
        "/States/T/ResultPath",
        SCHEMA,
        "Reference Path",
    );
    one(
        task(json!({ "ResultPath": "$.a[*]" })),
        "/States/T/ResultPath",
        SCHEMA,
        "Reference Path",
    );
    one(
        task(json!({ "InputPath": "foo" })),
        "/States/T/InputPath",
        SCHEMA,
        "valid JSONPath",
    );
    one(
        task(json!({ "Resource": "arn:aws:states:::dynamodb:query" })),
        "/States/T/Resource",
        SCHEMA,
        "is not recognized",
    );
}

#[test]
fn express_only_rules() {
    let def = task(json!({ "Resource": "arn:aws:states:::states:startExecution.sync:2" }));
    let express = ParseOptions {
        machine_type: MachineType::Express,
    };
    let errs = parse_with(&def.to_string(), &express).unwrap_err().0;
    assert_eq!(errs.len(), 1);
    assert_eq!(
        (errs[0].location.as_str(), errs[0].code),
        ("/States/T/Resource", SCHEMA)
    );
    assert!(errs[0].message.contains("'.sync'"));
    assert!(errors_of(&def).is_empty(), "fine on a Standard machine");
}

#[test]
fn wait_and_fail() {
    one(
        only("W", json!({ "Type": "Wait", "End": true })),
        "/States/W",
        SCHEMA,
        "Exactly one of these fields",
    );
    one(
        only(
            "W",
            json!({ "Type": "Wait", "End": true, "Seconds": 1, "Timestamp": "2016-03-14T01:59:00Z" }),
        ),
        "/States/W",
        SCHEMA,
        "There should only be one",
    );
    one(
        only("W", json!({ "Type": "Wait", "End": true, "Seconds": -5 })),
        "/States/W/Seconds",
        SCHEMA,
        "Minimum value is 0",
    );
    one(
        only(
            "W",
            json!({ "Type": "Wait", "End": true, "Timestamp": "2016-03-14t01:59:00z" }),
        ),
        "/States/W/Timestamp",
        SCHEMA,
        "String does not match RFC3339 timestamp",
    );
    one(
        only(
            "W",
            json!({ "Type": "Wait", "End": true, "SecondsPath": "$$.Execution.Input.s" }),
        ),
        "/States/W/SecondsPath",
        SCHEMA,
        "Reference Path",
    );
    one(
        only(
            "F",
            json!({ "Type": "Fail", "Error": "E", "ErrorPath": "$.e" }),
        ),
        "/States/F",
        SCHEMA,
        "[Error, ErrorPath]",
    );
    one(
        only(
            "F",
            json!({ "Type": "Fail", "CausePath": "States.Format('x" }),
        ),
        "/States/F/CausePath",
        SCHEMA,
        "valid intrinsic function call",
    );
}

#[test]
fn choice_rules() {
    one(
        json!({ "StartAt": "C", "States": { "C": { "Type": "Choice", "Choices": [], "Default": "D" }, "D": { "Type": "Succeed" } } }),
        "/States/C/Choices",
        SCHEMA,
        "Value cannot be empty",
    );
    one(
        rule(json!({ "Variable": "$", "IsNull": true })).pipe(|mut d| {
            d["States"]["C"]["Choices"][0]
                .as_object_mut()
                .unwrap()
                .remove("Next");
            d["States"]["C"]["Default"] = json!("Done");
            d
        }),
        "/States/C/Choices/0",
        SCHEMA,
        "[Next]",
    );
    one(
        rule(json!({ "Not": { "Variable": "$", "IsNull": true, "Next": "Done" } })),
        "/States/C/Choices/0/Not/Next",
        SCHEMA,
        "Field 'Next' is not supported",
    );
    one(
        rule(json!({ "Variable": "$", "IsNull": true, "IsString": true })),
        "/States/C/Choices/0",
        SCHEMA,
        "only be one",
    );
    one(
        rule(json!({ "Variable": "$", "StringEquals": 1 })),
        "/States/C/Choices/0/StringEquals",
        SCHEMA,
        "Expected a string",
    );
    one(
        rule(json!({ "Variable": "$", "NumericLessThan": "1" })),
        "/States/C/Choices/0/NumericLessThan",
        SCHEMA,
        "Expected a number",
    );
    one(
        rule(json!({ "Variable": "$", "BooleanEquals": "true" })),
        "/States/C/Choices/0/BooleanEquals",
        SCHEMA,
        "Expected a boolean",
    );
    one(
        rule(json!({ "Variable": "$", "TimestampEquals": "2016-03-14" })),
        "/States/C/Choices/0/TimestampEquals",
        SCHEMA,
        "RFC3339",
    );
    one(
        rule(json!({ "Variable": "$", "IsNull": "yes" })),
        "/States/C/Choices/0/IsNull",
        SCHEMA,
        "Expected a boolean",
    );
    one(
        rule(json!({ "Variable": "$", "NumericEqualsPath": 3 })),
        "/States/C/Choices/0/NumericEqualsPath",
        SCHEMA,
        "Expected a string",
    );
    one(
        rule(json!({ "Variable": "foo", "IsNull": true })),
        "/States/C/Choices/0/Variable",
        SCHEMA,
        "valid JSONPath",
    );
    one(
        rule(json!({ "And": [] })),
        "/States/C/Choices/0/And",
        SCHEMA,
        "Value cannot be empty",
    );
    one(
        rule(json!({ "Variable": "$" })),
        "/States/C/Choices/0",
        SCHEMA,
        "comparison operator",
    );
    one(
        rule(json!({ "Or": [{ "Variable": "$", "IsNull": true, "StringMatchesPath": "$.x" }] })),
        "/States/C/Choices/0/Or/0/StringMatchesPath",
        SCHEMA,
        "Field 'StringMatchesPath' is not supported",
    );
}

#[test]
fn parallel_and_map() {
    let map = |extra: Value| {
        let mut m = json!({ "Type": "Map", "End": true,
            "ItemProcessor": { "StartAt": "I", "States": { "I": pass_end() } } });
        m.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        only("M", m)
    };
    one(
        map(json!({ "Iterator": { "StartAt": "J", "States": { "J": pass_end() } } })),
        "/States/M",
        SCHEMA,
        "[ItemProcessor, Iterator]",
    );
    one(
        map(json!({ "MaxConcurrency": -1 })),
        "/States/M/MaxConcurrency",
        SCHEMA,
        "Minimum value is 0",
    );
    one(
        map(json!({ "ToleratedFailurePercentage": 101 })),
        "/States/M/ToleratedFailurePercentage",
        SCHEMA,
        "Maximum value is 100.0",
    );
    one(
        map(json!({ "ItemsPath": "$.items[*]" })),
        "/States/M/ItemsPath",
        SCHEMA,
        "Reference Path",
    );
    one(
        map(json!({ "ItemSelector": {}, "Parameters": {} })),
        "/States/M",
        SCHEMA,
        "[ItemSelector, Parameters]",
    );
    one(
        map(
            json!({ "ItemProcessor": { "ProcessorConfig": { "Mode": "BOGUS" }, "StartAt": "I", "States": { "I": pass_end() } } }),
        ),
        "/States/M/ItemProcessor/ProcessorConfig/Mode",
        SCHEMA,
        "[INLINE, DISTRIBUTED]",
    );
    one(
        only("M", json!({ "Type": "Map", "End": true })),
        "/States/M",
        SCHEMA,
        "[ItemProcessor]",
    );
    one(
        only(
            "P",
            json!({ "Type": "Parallel", "End": true, "Branches": [{ "StartAt": "B", "States": { "B": pass_end() }, "Extra": 1 }] }),
        ),
        "/States/P/Branches/0/Extra",
        SCHEMA,
        "Field 'Extra' is not supported",
    );
}

/// Three independent problems give three diagnostics, in one call.
#[test]
fn every_problem_at_once() {
    let def = json!({
        "Coment": "typo",
        "StartAt": "Retry Step",
        "States": {
            "Retry Step": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "W",
                            "Retry": [{ "ErrorEquals": ["States.ALL"], "BackoffRate": 0.5 }] },
            "W": { "Type": "Wait", "Timestamp": "yesterday", "End": true },
        }
    });
    let mut got: Vec<(String, &str)> = errors_of(&def)
        .into_iter()
        .map(|d| (d.location, d.code))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("/Coment".to_owned(), SCHEMA),
            ("/States/Retry Step/Retry/0/BackoffRate".to_owned(), SCHEMA),
            ("/States/W/Timestamp".to_owned(), SCHEMA),
        ]
    );
}

/// `x.pipe(f)` = `f(x)`, to tweak a built definition inline.
trait Pipe: Sized {
    fn pipe(self, f: impl FnOnce(Self) -> Self) -> Self {
        f(self)
    }
}
impl Pipe for Value {}
