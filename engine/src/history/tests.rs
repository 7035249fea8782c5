//! Histories of small executions, event by event.

use crate::handlers::{Call, Reply};
use crate::Failure;
use crate::{Engine, RunOptions};
use serde_json::{json, Value};

fn run(engine: &Engine, def: Value, input: &str, history: bool) -> crate::Outcome {
    let m = engine.compile(&def.to_string()).expect("valid");
    let opts = RunOptions {
        start_time_ms: Some(1_700_000_000_000),
        history,
        ..RunOptions::default()
    };
    m.run_text(input, &opts).expect("input")
}

/// `(id, previousEventId, type)` of each event.
fn shape(o: &crate::Outcome) -> Vec<(u64, u64, &'static str)> {
    let h = o.history.as_ref().expect("history recorded");
    h.events()
        .map(|e| (e.id(), e.previous_event_id(), e.event_type()))
        .collect()
}

fn events(o: &crate::Outcome) -> Vec<Value> {
    match o.history.as_ref().unwrap().to_value() {
        Value::Object(mut m) => match m.remove("events") {
            Some(Value::Array(a)) => a,
            _ => panic!("no events"),
        },
        _ => panic!("not an object"),
    }
}

#[test]
fn off_by_default_and_counts_agree() {
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}});
    let e = Engine::new();
    let off = run(&e, def.clone(), "{}", false);
    assert!(off.history.is_none());
    let on = run(&e, def, "{}", true);
    assert_eq!(on.history.as_ref().unwrap().len() as u64, on.events);
    assert_eq!(off.events, on.events);
    assert_eq!(
        shape(&on),
        [
            (1, 0, "ExecutionStarted"),
            (2, 0, "PassStateEntered"),
            (3, 2, "PassStateExited"),
            (4, 3, "ExecutionSucceeded"),
        ]
    );
}

#[test]
fn payloads_are_json_strings_with_details() {
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass",
        "Result": {"x": 1}, "Assign": {"v": "s"}, "End": true}}});
    let o = run(&Engine::new(), def, "{\"in\": true}", true);
    let ev = events(&o);
    assert_eq!(ev[0]["timestamp"], json!(1_700_000_000));
    assert_eq!(
        ev[0]["executionStartedEventDetails"]["input"],
        json!("{\"in\": true}")
    );
    assert_eq!(
        ev[0]["executionStartedEventDetails"]["inputDetails"],
        json!({"truncated": false})
    );
    let exit = &ev[2]["stateExitedEventDetails"];
    assert_eq!(exit["name"], json!("A"));
    assert_eq!(exit["output"], json!("{\"x\":1}"));
    assert_eq!(exit["assignedVariables"], json!({"v": "\"s\""}));
    assert_eq!(
        ev[3]["executionSucceededEventDetails"]["output"],
        json!("{\"x\":1}")
    );
}

#[test]
fn task_retry_and_catch() {
    let mut e = Engine::new();
    e.register("arn:aws:states:::lambda:invoke", |c: &mut Call<'_>| {
        if c.retry_count() == 0 {
            Reply::Error(Failure::new("Boom", "first"))
        } else {
            Reply::Error(Failure::new("Bang", "second"))
        }
    });
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "TimeoutSeconds": 30,
              "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 2}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "P"}], "Next": "P"},
        "P": {"Type": "Pass", "End": true}}});
    let o = run(&e, def, "{}", true);
    assert_eq!(
        shape(&o),
        [
            (1, 0, "ExecutionStarted"),
            (2, 0, "TaskStateEntered"),
            (3, 2, "TaskScheduled"),
            (4, 3, "TaskStarted"),
            (5, 4, "TaskFailed"),
            (6, 5, "TaskScheduled"),
            (7, 6, "TaskStarted"),
            (8, 7, "TaskFailed"),
            (9, 8, "TaskStateExited"),
            (10, 9, "PassStateEntered"),
            (11, 10, "PassStateExited"),
            (12, 11, "ExecutionSucceeded"),
        ]
    );
    let ev = events(&o);
    let sched = &ev[2]["taskScheduledEventDetails"];
    assert_eq!(sched["resourceType"], json!("lambda"));
    assert_eq!(sched["resource"], json!("invoke"));
    assert_eq!(sched["region"], json!("us-east-1"));
    assert_eq!(sched["parameters"], json!("{}"));
    assert_eq!(sched["timeoutInSeconds"], json!(30));
    assert_eq!(
        ev[4]["taskFailedEventDetails"],
        json!({"resourceType": "lambda", "resource": "invoke", "error": "Boom", "cause": "first"})
    );
    // The retry waited 2 s on the virtual clock.
    assert_eq!(ev[5]["timestamp"], json!(1_700_000_002));
}

#[test]
fn lambda_arns_and_sync_integrations() {
    let mut e = Engine::new();
    e.register("*", |_c: &mut Call<'_>| Reply::Json(json!({"ok": 1})));
    let def = json!({"StartAt": "L", "States": {
        "L": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111111111111:function:f", "Next": "S"},
        "S": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2", "End": true}}});
    let o = run(&e, def, "{}", true);
    let types: Vec<&str> = shape(&o).iter().map(|s| s.2).collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded",
        ]
    );
    let ev = events(&o);
    assert_eq!(
        ev[2]["lambdaFunctionScheduledEventDetails"]["resource"],
        json!("arn:aws:lambda:us-east-1:111111111111:function:f")
    );
    assert!(ev[3].get("lambdaFunctionStartedEventDetails").is_none());
    assert_eq!(
        ev[7]["taskScheduledEventDetails"]["resource"],
        json!("startExecution.sync:2")
    );
    assert_eq!(o.history.unwrap().len() as u64, o.events);
}

#[test]
fn map_iterations_chain_as_aws_records_them() {
    let def = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": 1,
        "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}},
        "End": true}}});
    let o = run(&Engine::new(), def, "[1, 2]", true);
    assert_eq!(
        shape(&o),
        [
            (1, 0, "ExecutionStarted"),
            (2, 0, "MapStateEntered"),
            (3, 2, "MapStateStarted"),
            (4, 3, "MapIterationStarted"),
            (5, 4, "PassStateEntered"),
            (6, 5, "PassStateExited"),
            (7, 6, "MapIterationSucceeded"),
            (8, 6, "MapIterationStarted"),
            (9, 8, "PassStateEntered"),
            (10, 9, "PassStateExited"),
            (11, 10, "MapIterationSucceeded"),
            (12, 11, "MapStateSucceeded"),
            (13, 11, "MapStateExited"),
            (14, 13, "ExecutionSucceeded"),
        ]
    );
    let ev = events(&o);
    assert_eq!(ev[2]["mapStateStartedEventDetails"], json!({"length": 2}));
    assert_eq!(
        ev[7]["mapIterationStartedEventDetails"],
        json!({"name": "M", "index": 1})
    );
}

#[test]
fn parallel_branches_in_branch_order_and_a_failed_task_aborted() {
    let mut e = Engine::new();
    e.register("fail", |_c: &mut Call<'_>| {
        Reply::Error(Failure::new("E", "c"))
    });
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel",
        "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
            {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "fail", "End": true}}}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Z"}], "End": true},
        "Z": {"Type": "Succeed"}}});
    let o = run(&e, def, "{}", true);
    assert_eq!(
        shape(&o),
        [
            (1, 0, "ExecutionStarted"),
            (2, 0, "ParallelStateEntered"),
            (3, 2, "ParallelStateStarted"),
            (4, 3, "PassStateEntered"),
            (5, 4, "PassStateExited"),
            (6, 3, "TaskStateEntered"),
            (7, 6, "TaskScheduled"),
            (8, 7, "TaskStarted"),
            (9, 8, "TaskFailed"),
            (10, 9, "TaskStateAborted"),
            (11, 9, "ParallelStateFailed"),
            (12, 11, "ParallelStateExited"),
            (13, 12, "SucceedStateEntered"),
            (14, 13, "SucceedStateExited"),
            (15, 14, "ExecutionSucceeded"),
        ]
    );
    let ev = events(&o);
    assert_eq!(
        ev[6]["taskScheduledEventDetails"]["resourceType"],
        json!("")
    );
    assert_eq!(
        ev[6]["taskScheduledEventDetails"]["resource"],
        json!("fail")
    );
}

#[test]
fn failures_wait_and_evaluation() {
    let def = json!({"StartAt": "W", "QueryLanguage": "JSONata", "States": {
        "W": {"Type": "Wait", "Seconds": 60, "Next": "X"},
        "X": {"Type": "Pass", "Output": "{% $nope %}", "End": true}}});
    let o = run(&Engine::new(), def, "{}", true);
    assert_eq!(
        shape(&o),
        [
            (1, 0, "ExecutionStarted"),
            (2, 0, "WaitStateEntered"),
            (3, 2, "WaitStateExited"),
            (4, 3, "PassStateEntered"),
            (5, 3, "EvaluationFailed"),
            (6, 5, "ExecutionFailed"),
        ]
    );
    let ev = events(&o);
    assert_eq!(ev[2]["timestamp"], json!(1_700_000_060));
    let d = &ev[4]["evaluationFailedEventDetails"];
    assert_eq!(d["state"], json!("X"));
    assert_eq!(d["location"], json!("Output"));
    assert_eq!(d["error"], json!("States.QueryEvaluationError"));
    assert_eq!(ev[5]["executionFailedEventDetails"]["cause"], d["cause"]);
}

#[test]
fn timed_out_execution() {
    let def = json!({"StartAt": "W", "TimeoutSeconds": 5, "States": {
        "W": {"Type": "Wait", "Seconds": 60, "End": true}}});
    let o = run(&Engine::new(), def, "{}", true);
    let last = shape(&o).pop().unwrap();
    assert_eq!(last, (3, 2, "ExecutionTimedOut"));
    assert_eq!(events(&o)[2]["timestamp"], json!(1_700_000_005));
}

#[test]
fn bytes_held_are_reported() {
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}});
    let o = run(&Engine::new(), def, "{}", true);
    let h = o.history.unwrap();
    assert!(h.bytes_held() >= 4 * 40, "{}", h.bytes_held());
    assert!(h.to_json().starts_with("{\"events\":[{\"timestamp\":"));
}
