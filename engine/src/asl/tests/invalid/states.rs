//! Task, Retry/Catch, Wait and Fail fields.

use crate::asl::{parse_with, MachineType, ParseOptions};
use serde_json::{json, Value};

use super::*;

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
        // AWS names the object holding the field (aws-rejected.jsonl).
        "/States/T/Parameters",
        SCHEMA,
        "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call",
    );
    one(
        task(json!({ "Parameters": { "a": [{ "b.$": "States.Nope()" }] } })),
        "/States/T/Parameters/a/0",
        SCHEMA,
        "valid intrinsic function call",
    );
    one(
        task(json!({ "ResultSelector": { "b.$": "nope" } })),
        "/States/T/ResultSelector",
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

/// Intrinsic calls are checked by `crate::path`'s grammar, arity included,
/// at definition time (a Fail path at its field, a template at its object).
#[test]
fn intrinsic_calls_use_the_path_grammar() {
    one(
        only("F", json!({ "Type": "Fail", "CausePath": "States.UUID(1)" })),
        "/States/F/CausePath",
        SCHEMA,
        "valid intrinsic function call (States.UUID takes 0 argument(s) but was given 1, at offset 0)",
    );
    one(
        task(json!({ "Parameters": { "a.$": "States.Array(+1)" } })),
        "/States/T/Parameters",
        SCHEMA,
        "The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call",
    );
}
