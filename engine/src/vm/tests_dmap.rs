//! Distributed Map end to end: child executions, the tolerated-failure
//! thresholds (literal, `…Path`, JSONata) under and over the threshold, and
//! the Map Run's events in the parent's history.

use super::tests::{output, run};
use crate::handlers::{Call, Reply};
use crate::{Engine, Failure, Status};
use serde_json::{json, Value};

/// An engine whose `check` task fails (`Bad`, "item N") for `{"bad": true}` items and echoes the rest.
fn engine() -> Engine {
    let mut e = Engine::new();
    e.register("check", |c: &mut Call<'_>| {
        let v = c.input_json();
        if v["bad"] == json!(true) {
            return Reply::Error(Failure::new("Bad", format!("item {}", v["n"])));
        }
        Reply::Json(v)
    });
    e
}

/// A Distributed Map over `$.items` with `extra` fields merged into the state.
fn dmap(extra: Value) -> Value {
    let mut state = json!({
        "Type": "Map", "ItemsPath": "$.items", "End": true,
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "T",
            "States": {"T": {"Type": "Task", "Resource": "check", "End": true}}
        }
    });
    for (k, v) in extra.as_object().unwrap() {
        state[k] = v.clone();
    }
    json!({"StartAt": "M", "States": {"M": state}})
}

/// `n` items, those at the indices in `bad` failing.
fn items(n: u64, bad: &[u64]) -> Value {
    let items: Vec<Value> = (0..n)
        .map(|i| json!({"n": i, "bad": bad.contains(&i)}))
        .collect();
    json!({ "items": items })
}

fn exceeded(o: &crate::Outcome) -> bool {
    o.status == Status::Failed
        && o.error.as_deref() == Some("States.ExceedToleratedFailureThreshold")
        && o.cause.as_deref() == Some("The specified tolerated failure threshold was exceeded")
}

#[test]
fn without_tolerance_one_failed_child_fails_the_map_run() {
    let o = run(&engine(), dmap(json!({})), items(3, &[1]));
    assert!(exceeded(&o), "{o:?}");
    let o = run(&engine(), dmap(json!({})), items(3, &[]));
    assert_eq!(o.status, Status::Succeeded);
    assert_eq!(output(&o)[2], json!({"n": 2, "bad": false}));
}

#[test]
fn a_tolerated_failure_leaves_its_error_output_in_the_results() {
    let def = dmap(json!({"ToleratedFailureCount": 1}));
    let o = run(&engine(), def.clone(), items(3, &[1]));
    assert_eq!(o.status, Status::Succeeded, "{o:?}");
    assert_eq!(
        output(&o),
        json!([{"n": 0, "bad": false}, {"Error": "Bad", "Cause": "item 1"}, {"n": 2, "bad": false}])
    );
    // Over the count: two failures.
    assert!(exceeded(&run(&engine(), def, items(3, &[0, 2]))));
}

#[test]
fn the_percentage_is_of_all_items_and_only_past_it_fails() {
    let def = dmap(json!({"ToleratedFailurePercentage": 25}));
    assert_eq!(
        run(&engine(), def.clone(), items(4, &[3])).status,
        Status::Succeeded
    );
    assert!(exceeded(&run(&engine(), def, items(4, &[0, 3]))));
    // Both fields: either one past its threshold fails the run.
    let both = dmap(json!({"ToleratedFailurePercentage": 50, "ToleratedFailureCount": 1}));
    assert!(exceeded(&run(&engine(), both.clone(), items(10, &[1, 2]))));
    assert_eq!(
        run(&engine(), both, items(10, &[4])).status,
        Status::Succeeded
    );
}

#[test]
fn a_caught_threshold_error_goes_to_the_catcher() {
    let mut def = dmap(json!({
        "Catch": [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "Next": "Caught"}]
    }));
    def["States"]["M"].as_object_mut().unwrap().remove("End");
    def["States"]["M"]["Next"] = json!("Done");
    def["States"]["Caught"] = json!({"Type": "Pass", "Result": "caught", "End": true});
    def["States"]["Done"] = json!({"Type": "Succeed"});
    let o = run(&engine(), def, items(2, &[0]));
    assert_eq!(output(&o), json!("caught"), "{o:?}");
}

#[test]
fn path_forms_read_the_input_and_check_the_value() {
    let def = dmap(json!({"ToleratedFailureCountPath": "$.tol"}));
    let mut input = items(3, &[0]);
    input["tol"] = json!("1");
    assert_eq!(
        run(&engine(), def.clone(), input.clone()).status,
        Status::Succeeded
    );
    input["tol"] = json!(-1);
    let o = run(&engine(), def, input);
    assert_eq!(o.error.as_deref(), Some("States.Runtime"));
    assert!(o
        .cause
        .unwrap()
        .ends_with("ToleratedFailureCount cannot be negative."));

    let def = dmap(json!({"ToleratedFailurePercentagePath": "$.tol"}));
    let mut input = items(2, &[0]);
    input["tol"] = json!(50.0);
    assert_eq!(
        run(&engine(), def.clone(), input.clone()).status,
        Status::Succeeded
    );
    input["tol"] = json!([1]);
    let o = run(&engine(), def, input);
    assert!(
        o.cause.unwrap().ends_with(
            "The ToleratedFailurePercentagePath field refers to value \"[1]\" which is not a valid float: $.tol"
        )
    );
}

#[test]
fn jsonata_thresholds_are_expressions() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {
        "Type": "Map", "Items": "{% $states.input.items %}", "End": true,
        "ToleratedFailureCount": "{% $states.input.tol %}",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "T",
            "States": {"T": {"Type": "Task", "Resource": "check", "End": true}}
        }
    }}});
    let mut input = items(3, &[0, 1]);
    input["tol"] = json!(2);
    assert_eq!(
        run(&engine(), def.clone(), input.clone()).status,
        Status::Succeeded
    );
    input["tol"] = json!("two");
    let o = run(&engine(), def, input);
    assert_eq!(
        o.error.as_deref(),
        Some("States.QueryEvaluationError"),
        "{o:?}"
    );
}

#[test]
fn an_inline_map_ignores_the_tolerance() {
    let mut def = dmap(json!({"ToleratedFailureCount": 5}));
    def["States"]["M"]["ItemProcessor"]["ProcessorConfig"] = json!({"Mode": "INLINE"});
    let o = run(&engine(), def, items(3, &[1]));
    assert_eq!(o.error.as_deref(), Some("Bad"), "the child's own error");
}

#[test]
fn the_map_run_counts_in_the_parents_history_and_children_in_their_own() {
    // ExecutionStarted, MapStateEntered, MapStateStarted, MapRunStarted,
    // MapRunSucceeded, MapStateSucceeded, MapStateExited, ExecutionSucceeded:
    // the children's Task events are not the parent's.
    let o = run(&engine(), dmap(json!({})), items(5, &[]));
    assert_eq!(o.events, 8, "{o:?}");
    // … MapRunStarted, MapRunFailed, MapStateFailed, ExecutionFailed.
    let o = run(&engine(), dmap(json!({})), items(5, &[2]));
    assert_eq!(o.events, 7, "{o:?}");
}
