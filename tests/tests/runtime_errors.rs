//! The runtime errors AWS raises, one test per rule: the error name and the
//! cause text an execution fails with when a path selects nothing, a value
//! has the wrong type, an intrinsic gets bad arguments, a Map's items are
//! not an array, a `ResultPath` cannot be applied, or a payload passes the
//! 256 KiB quota.
//!
//! Sources, per rule: "corpus" is a cause recorded against AWS in
//! `../shared/conformance/aws-recorded.jsonl` (the test named after the
//! `::`), "docs" is AWS's developer guide
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>
//! for the error names, `amazon-states-language-intrinsic-functions.html`
//! for `States.IntrinsicFailure`), "issue 13" is the fault report this file
//! answers. Where AWS's exact cause is not recorded, the test pins the error
//! name and what the cause must name (the function, the path).

use serde_json::{json, Value};
use stampede::{Engine, RunOptions, Status};

/// Runs `def` on `input` with every Task echoing its input; (error, cause).
fn fail(def: Value, input: Value) -> (String, String) {
    let mut engine = Engine::new();
    engine.echo_all_tasks();
    let m = engine
        .compile(&def.to_string())
        .unwrap_or_else(|d| panic!("{d:?}"));
    let o = m.run_value(&input, &RunOptions::default());
    assert_eq!(o.status, Status::Failed, "{o:?}");
    (o.error.unwrap_or_default(), o.cause.unwrap_or_default())
}

/// A one-state machine.
fn one(state: Value) -> Value {
    json!({"StartAt": "S", "States": {"S": state}})
}

/// AWS's prefix of a `States.Runtime` cause raised in state `S`, entered at event 2.
fn in_s(cause: &str) -> String {
    format!("An error occurred while executing the state 'S' (entered at the event id #2). {cause}")
}

fn runtime(def: Value, input: Value, cause: &str) {
    let (e, c) = fail(def, input);
    assert_eq!(e, "States.Runtime");
    assert_eq!(c, in_s(cause));
}

fn intrinsic(expr: &str, input: Value, names: &[&str]) {
    let (e, c) = fail(
        one(json!({"Type": "Pass", "Parameters": {"x.$": expr}, "End": true})),
        input,
    );
    assert_eq!(e, "States.IntrinsicFailure", "{c}");
    for n in names {
        assert!(c.contains(n), "{c:?} should name {n:?}");
    }
}

fn pass_with(field: &str, path: &str) -> Value {
    let mut s = json!({"Type": "Pass", "End": true});
    s[field] = json!(path);
    one(s)
}

fn map(extra: Value) -> Value {
    let mut s = json!({"Type": "Map",
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "End": true});
    for (k, v) in extra.as_object().unwrap() {
        s[k] = v.clone();
    }
    one(s)
}

fn task(extra: Value) -> Value {
    let mut s = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f"}, "End": true});
    for (k, v) in extra.as_object().unwrap() {
        s[k] = v.clone();
    }
    one(s)
}

// ---- Paths that select nothing ----

/// corpus: TestBaseScenarios::test_invalid_jsonpath[ST.INVALID_JSONPATH_IN_INPUTPATH]
#[test]
fn input_path_selects_nothing() {
    runtime(
        pass_with("InputPath", "$.missing"),
        json!({"a": 1}),
        "Invalid path '$.missing' : No results for path: $['missing']",
    );
}

/// corpus: the same family (OutputPath)
#[test]
fn output_path_selects_nothing() {
    runtime(
        pass_with("OutputPath", "$.missing"),
        json!({"a": 1}),
        "Invalid path '$.missing' : No results for path: $['missing']",
    );
}

/// corpus: TestBaseScenarios::test_invalid_jsonpath (Parameters)
#[test]
fn parameters_path_selects_nothing() {
    runtime(
        one(json!({"Type": "Pass", "Parameters": {"x.$": "$.missing"}, "End": true})),
        json!({"a": 1}),
        "The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{\"a\":1}'",
    );
}

/// corpus: the same cause, on the result (ResultSelector)
#[test]
fn result_selector_path_selects_nothing() {
    runtime(
        task(json!({"ResultSelector": {"x.$": "$.missing"}})),
        json!({"a": 1}),
        "The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{\"FunctionName\":\"f\"}'",
    );
}

/// corpus: the same cause; the context object is the input named
#[test]
fn context_path_selects_nothing() {
    let (e, c) = fail(
        one(json!({"Type": "Pass", "Parameters": {"x.$": "$$.Nope.x"}, "End": true})),
        json!({}),
    );
    assert_eq!(e, "States.Runtime");
    assert!(
        c.starts_with(&in_s("The JSONPath '$$.Nope.x' specified for the field 'x.$' could not be found in the input '{\"Execution\":")),
        "{c}"
    );
}

/// corpus: an undefined variable in a JSONPath field fails as a path that selects nothing
#[test]
fn undefined_variable_in_a_path() {
    runtime(
        one(json!({"Type": "Pass", "Parameters": {"x.$": "$nope"}, "End": true})),
        json!({"a": 1}),
        "The JSONPath '$nope' specified for the field 'x.$' could not be found in the input '{\"a\":1}'",
    );
}

/// issue 13: a Choice rule's Variable that selects nothing is an error, not "no match"
#[test]
fn choice_variable_selects_nothing() {
    runtime(
        json!({"StartAt": "S", "States": {
            "S": {"Type": "Choice", "Choices": [{"Variable": "$.foo", "NumericEquals": 1, "Next": "E"}], "Default": "E"},
            "E": {"Type": "Succeed"}}}),
        json!({"a": 1}),
        "Invalid path '$.foo': The choice state's condition path references an invalid value.",
    );
}

/// issue 13: the same for a …Path operand
#[test]
fn choice_path_operand_selects_nothing() {
    runtime(
        json!({"StartAt": "S", "States": {
            "S": {"Type": "Choice", "Choices": [{"Variable": "$.a", "NumericEqualsPath": "$.b", "Next": "E"}], "Default": "E"},
            "E": {"Type": "Succeed"}}}),
        json!({"a": 1}),
        "Invalid path '$.b': The choice state's condition path references an invalid value.",
    );
}

/// docs: a Choice with no rule matched and no Default
#[test]
fn choice_without_a_match_or_default() {
    let (e, c) = fail(
        json!({"StartAt": "S", "States": {
            "S": {"Type": "Choice", "Choices": [{"Variable": "$.a", "NumericEquals": 1, "Next": "E"}]},
            "E": {"Type": "Succeed"}}}),
        json!({"a": 2}),
    );
    assert_eq!(
        (e.as_str(), c.as_str()),
        ("States.NoChoiceMatched", "No Matches!")
    );
}

/// corpus: TestBaseScenarios::test_invalid_jsonpath[INVALID_JSONPATH_IN_ERRORPATH]
#[test]
fn fail_error_path_selects_nothing() {
    runtime(
        one(json!({"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"})),
        json!({"a": 1}),
        "The JSONPath '$.e' specified for the field 'ErrorPath' could not be found in the input '{\"a\":1}'",
    );
}

// ---- Wait ----

/// corpus: TestLogs::test_base[wait_seconds_path]
#[test]
fn wait_seconds_path_selects_nothing() {
    runtime(
        one(json!({"Type": "Wait", "SecondsPath": "$.s", "End": true})),
        json!({"a": 1}),
        "The SecondsPath parameter does not reference an input value: $.s",
    );
}

/// corpus: TestSfnWait::test_base_wait_seconds_path[-1.5]
#[test]
fn wait_seconds_path_not_an_integer() {
    let def = one(json!({"Type": "Wait", "SecondsPath": "$.s", "End": true}));
    runtime(
        def.clone(),
        json!({"s": "x"}),
        "The SecondsPath parameter cannot be parsed as a long value: $.s == \"x\"",
    );
    runtime(
        def,
        json!({"s": 1.5}),
        "The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5",
    );
}

/// corpus: TestSfnWait::test_base_wait_seconds_path[-1]
#[test]
fn wait_seconds_path_negative() {
    runtime(
        one(json!({"Type": "Wait", "SecondsPath": "$.s", "End": true})),
        json!({"s": -1}),
        "The SecondsPath parameter references a negative value: $.s == -1",
    );
}

/// corpus: TestSfnWait::test_timestamp_too_far_in_future_boundary
#[test]
fn wait_too_long() {
    runtime(
        one(json!({"Type": "Wait", "SecondsPath": "$.s", "End": true})),
        json!({"s": 99_999_999_999_i64}),
        "Wait state delay is too long.",
    );
}

/// corpus: TestSfnWait::test_wait_timestamppath
#[test]
fn wait_timestamp_path_not_a_timestamp() {
    let def = one(json!({"Type": "Wait", "TimestampPath": "$.t", "End": true}));
    runtime(
        def.clone(),
        json!({"t": "yesterday"}),
        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == yesterday",
    );
    runtime(
        def.clone(),
        json!({"t": 5}),
        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == 5",
    );
    runtime(
        def,
        json!({}),
        "The TimestampPath parameter does not reference an input value: $.t",
    );
}

// ---- Task, Map and their numbers ----

/// corpus: the "field refers to value … which is not a valid integer" form of TestBaseScenarios::test_max_concurrency_path
#[test]
fn timeout_seconds_path_not_an_integer() {
    runtime(
        task(json!({"TimeoutSecondsPath": "$.t"})),
        json!({"t": "x"}),
        "The TimeoutSecondsPath field refers to value \"x\" which is not a valid integer: $.t",
    );
}

/// corpus: the Invalid path form, for a TimeoutSecondsPath or HeartbeatSecondsPath that selects nothing
#[test]
fn timeout_and_heartbeat_paths_select_nothing() {
    for field in ["TimeoutSecondsPath", "HeartbeatSecondsPath"] {
        let mut extra = json!({});
        extra[field] = json!("$.t");
        runtime(
            task(extra),
            json!({"a": 1}),
            "Invalid path '$.t' : No results for path: $['t']",
        );
    }
}

/// corpus: TestBaseScenarios::test_max_concurrency_path[NoNumber]
#[test]
fn max_concurrency_path_not_an_integer() {
    runtime(
        map(json!({"ItemsPath": "$.i", "MaxConcurrencyPath": "$.m"})),
        json!({"i": [1], "m": "x"}),
        "The MaxConcurrencyPath field refers to value \"x\" which is not a valid integer: $.m",
    );
}

/// corpus: TestBaseScenarios::test_map_state_items_input_types (a Map over a non-array)
#[test]
fn map_items_not_an_array() {
    for (v, shown) in [
        (json!({"a": 1}), "{\"a\":1}"),
        (json!("abc"), "\"abc\""),
        (json!(null), "null"),
        (json!(7), "7"),
    ] {
        runtime(
            map(json!({"ItemsPath": "$.items"})),
            json!({"items": v}),
            &format!("Invalid path '$.items': The ItemsPath field must resolve to a JSON array, but it resolved to: {shown}"),
        );
    }
}

/// corpus: the Invalid path form, for an ItemsPath that selects nothing
#[test]
fn map_items_path_selects_nothing() {
    runtime(
        map(json!({"ItemsPath": "$.items"})),
        json!({"a": 1}),
        "Invalid path '$.items' : No results for path: $['items']",
    );
}

/// corpus: the Parameters cause; the Map state's error, with its prefix
#[test]
fn map_item_selector_path_selects_nothing() {
    runtime(
        map(json!({"ItemSelector": {"v.$": "$.nope"}})),
        json!([1]),
        "The JSONPath '$.nope' specified for the field 'v.$' could not be found in the input '[1]'",
    );
}

/// corpus: TestBaseScenarios::test_map_state_items_eval_jsonata_fail (an ItemSelector's JSONata error is the Map's)
#[test]
fn map_item_selector_jsonata_error() {
    let (e, c) = fail(
        json!({"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": {"Type": "Map",
            "Items": "{% [1, 2] %}", "ItemSelector": "{% $error('boom') %}",
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "End": true}}}),
        json!({}),
    );
    assert_eq!(e, "States.QueryEvaluationError");
    assert!(
        c.starts_with(&in_s(
            "The JSONata expression '$error('boom')' specified for the field 'ItemSelector' threw an error during evaluation."
        )),
        "{c}"
    );
}

/// corpus: TestBaseScenarios::test_map_state_tolerated_failure_percentage_path[-1.1]
#[test]
fn tolerated_failure_percentage_out_of_range() {
    runtime(
        map(
            json!({"ItemsPath": "$.i", "ToleratedFailurePercentagePath": "$.p",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}),
        ),
        json!({"i": [1], "p": 101}),
        "ToleratedFailurePercentage must be between 0 and 100.",
    );
}

/// corpus: TestBaseScenarios::test_map_state_tolerated_failure_count_path[-1]
#[test]
fn tolerated_failure_count_negative() {
    runtime(
        map(
            json!({"ItemsPath": "$.i", "ToleratedFailureCountPath": "$.p",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}),
        ),
        json!({"i": [1], "p": -1}),
        "ToleratedFailureCount cannot be negative.",
    );
}

// ---- ResultPath ----

/// docs: "States.ResultPathMatchFailure: a state's ResultPath field cannot be applied to the input"
#[test]
fn result_path_into_a_non_object() {
    let def = one(json!({"Type": "Pass", "Result": 1, "ResultPath": "$.a.b", "End": true}));
    for input in [json!({"a": "str"}), json!({"a": [1]})] {
        let (e, c) = fail(def.clone(), input.clone());
        assert_eq!(e, "States.ResultPathMatchFailure");
        assert_eq!(
            c,
            format!("Unable to apply ReferencePath $.a.b to input {input}")
        );
    }
    let (e, _) = fail(
        one(json!({"Type": "Pass", "Result": 1, "ResultPath": "$.b", "End": true})),
        json!([1, 2]),
    );
    assert_eq!(e, "States.ResultPathMatchFailure");
}

// ---- Intrinsic functions: States.IntrinsicFailure (docs) ----

#[test]
fn intrinsic_format_with_too_few_values() {
    intrinsic(
        "States.Format('{} {}', $.a)",
        json!({"a": 1}),
        &["States.Format"],
    );
}

#[test]
fn intrinsic_string_to_json_of_bad_text_or_a_non_string() {
    intrinsic(
        "States.StringToJson($.a)",
        json!({"a": "{bad"}),
        &["States.StringToJson"],
    );
    intrinsic(
        "States.StringToJson($.a)",
        json!({"a": 1}),
        &["States.StringToJson", "string"],
    );
}

#[test]
fn intrinsic_array_get_item_out_of_bounds() {
    intrinsic(
        "States.ArrayGetItem($.a, 5)",
        json!({"a": [1]}),
        &["States.ArrayGetItem", "5"],
    );
}

#[test]
fn intrinsic_array_range_step_zero_or_too_long() {
    intrinsic(
        "States.ArrayRange(1, 5, 0)",
        json!({}),
        &["States.ArrayRange", "step"],
    );
    // AWS: "The maximum number of items in the array is 1000."
    intrinsic(
        "States.ArrayRange(1, 2000, 1)",
        json!({}),
        &["States.ArrayRange", "1000"],
    );
}

#[test]
fn intrinsic_array_partition_chunk_zero() {
    intrinsic(
        "States.ArrayPartition($.a, 0)",
        json!({"a": [1]}),
        &["States.ArrayPartition"],
    );
}

#[test]
fn intrinsic_array_length_of_a_non_array() {
    intrinsic(
        "States.ArrayLength($.a)",
        json!({"a": 1}),
        &["States.ArrayLength", "array"],
    );
}

#[test]
fn intrinsic_math_add_of_a_string() {
    intrinsic(
        "States.MathAdd($.a, 1)",
        json!({"a": "x"}),
        &["States.MathAdd", "number"],
    );
}

#[test]
fn intrinsic_math_random_start_after_end() {
    intrinsic("States.MathRandom(5, 1)", json!({}), &["States.MathRandom"]);
}

#[test]
fn intrinsic_base64_decode_of_bad_text() {
    intrinsic(
        "States.Base64Decode($.a)",
        json!({"a": "!!!"}),
        &["States.Base64Decode"],
    );
}

#[test]
fn intrinsic_hash_unknown_algorithm_or_null_data() {
    intrinsic(
        "States.Hash($.a, 'MD4')",
        json!({"a": "x"}),
        &["States.Hash", "MD4"],
    );
    intrinsic(
        "States.Hash($.a, 'MD5')",
        json!({"a": null}),
        &["States.Hash", "null"],
    );
}

#[test]
fn intrinsic_json_merge_deep_or_non_object() {
    // AWS: "States.JsonMerge ... only supports shallow merging: the third argument must be false".
    intrinsic(
        "States.JsonMerge($.a, $.b, true)",
        json!({"a": {}, "b": {}}),
        &["States.JsonMerge"],
    );
    intrinsic(
        "States.JsonMerge($.a, $.b, false)",
        json!({"a": [1], "b": {}}),
        &["States.JsonMerge", "object"],
    );
}

#[test]
fn intrinsic_string_split_of_a_non_string() {
    intrinsic(
        "States.StringSplit($.a, ',')",
        json!({"a": 1}),
        &["States.StringSplit"],
    );
}

/// corpus: a path argument that selects nothing is the Parameters error, not an intrinsic failure
#[test]
fn intrinsic_argument_path_selects_nothing() {
    runtime(
        one(json!({"Type": "Pass", "Parameters": {"x.$": "States.MathAdd($.nope, 1)"}, "End": true})),
        json!({"a": 1}),
        "The JSONPath '$.nope' specified for the field 'x.$' could not be found in the input '{\"a\":1}'",
    );
}

// ---- The 256 KiB payload quota (docs: "Quotas", States.DataLimitExceeded) ----

fn data_limit(def: Value, input: Value, state: &str) {
    let (e, c) = fail(def, input);
    assert_eq!(e, "States.DataLimitExceeded");
    assert_eq!(
        c,
        format!("The state/task '{state}' returned a result with a size exceeding the maximum number of bytes service limit.")
    );
}

/// corpus: TestStatesErrors::test_start_large_input (a Pass result)
#[test]
fn payload_quota_on_a_result() {
    let big = "a".repeat(300_000);
    data_limit(
        one(json!({"Type": "Pass", "Result": {"Arg1": big}, "End": true})),
        json!({}),
        "S",
    );
}

/// corpus: TestStatesErrors::test_task_lambda_data_limit_exceeded_on_large_utf8_response (a Task result; the integration's service is named)
#[test]
fn payload_quota_on_a_task_result() {
    let big = "a".repeat(300_000);
    data_limit(
        task(json!({"Parameters": {"FunctionName": "f", "Payload": big}})),
        json!({}),
        "lambda",
    );
}

/// docs: the quota applies to a state's output: a result under the quota written
/// next to an input under it (here the input itself, twice) is over it
#[test]
fn payload_quota_on_a_state_output() {
    let half = "b".repeat(150_000);
    data_limit(
        one(json!({"Type": "Pass", "ResultPath": "$.copy", "End": true})),
        json!({"data": half}),
        "S",
    );
}

/// docs: "after Parameters processing, the input of a state is larger than the payload size quota"
#[test]
fn payload_quota_on_an_effective_input() {
    let third = "c".repeat(100_000);
    data_limit(
        json!({"StartAt": "S", "States": {
            "S": {"Type": "Pass", "Parameters": {"a.$": "$.d", "b.$": "$.d", "c.$": "$.d"}, "Result": 1, "Next": "T"},
            "T": {"Type": "Succeed"}}}),
        json!({"d": third}),
        "S",
    );
}

/// Under the quota, nothing fails: the check must not refuse a large but legal payload.
#[test]
fn payload_just_under_the_quota_passes() {
    let mut engine = Engine::new();
    engine.echo_all_tasks();
    let m = engine
        .compile(&one(json!({"Type": "Pass", "ResultPath": "$.copy", "End": true})).to_string())
        .unwrap();
    // {"data":"…","copy":{"data":"…"}} stays under 262,144 bytes.
    let s = "d".repeat(130_000);
    let o = m.run_value(&json!({"data": s}), &RunOptions::default());
    assert_eq!(o.status, Status::Succeeded, "{:?}", o.cause);
    assert!(o.output.unwrap().len() <= 262_144);
}

/// docs (Task state: "the path must select a field whose value is a positive integer"):
/// 0 is refused like a value that is not an integer
#[test]
fn timeout_seconds_path_zero() {
    for field in ["TimeoutSecondsPath", "HeartbeatSecondsPath"] {
        let mut extra = json!({});
        extra[field] = json!("$.t");
        runtime(
            task(extra),
            json!({"t": 0}),
            &format!("The {field} field refers to value \"0\" which is not a valid integer: $.t"),
        );
    }
}
