//! Nested workflows end to end on loopback: the four `states:startExecution`
//! patterns, a failed child, a refused start, and StopExecution of a parent
//! that waits for its child.

use crate::tests::start_with;
use crate::tests_tokens::{call, ended, error, machine, run};
use crate::Config;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

fn parse(v: &Value) -> Value {
    serde_json::from_str(v.as_str().unwrap_or("null")).unwrap()
}

/// A parent whose one Task starts `child` with `resource`'s pattern, the
/// parent's own ARN passed as AWS's association key.
fn parent(resource: &str, child: &Value, input: Value) -> Value {
    json!({"StartAt": "Nest", "States": {"Nest": {"Type": "Task",
        "Resource": format!("arn:aws:states:::states:startExecution{resource}"),
        "Parameters": {"StateMachineArn": child, "Input": input}, "End": true}}})
}

/// Every execution of machine `sm`.
async fn executions(addr: SocketAddr, sm: &Value) -> Vec<Value> {
    let r = call(addr, "ListExecutions", json!({"stateMachineArn": sm})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["executions"].as_array().unwrap().clone()
}

fn quick() -> Config {
    Config::default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_patterns_wait_for_the_child_and_return_its_description() {
    let (addr, stop, h) = start_with(quick()).await;
    let child = machine(
        addr,
        "Child",
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass",
            "Parameters": {"got.$": "$", "me.$": "$$.Execution.Id"}, "End": true}}}),
    )
    .await;
    for (suffix, name) in [(".sync", "P1"), (".sync:2", "P2")] {
        let input =
            json!({"k": 1, "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"});
        let sm = machine(addr, name, parent(suffix, &child, input)).await;
        let ex = run(addr, &sm, json!({})).await;
        let d = ended(addr, &ex).await;
        assert_eq!(d["status"], "SUCCEEDED", "{d}");
        let out = parse(&d["output"]);
        assert_eq!(out["Status"], "SUCCEEDED", "{out}");
        assert_eq!(out["StateMachineArn"], child);
        assert_eq!(out["InputDetails"], json!({"Included": true}));
        assert!(out["StopDate"].as_i64().unwrap() >= out["StartDate"].as_i64().unwrap());
        let (child_in, child_out) = if suffix == ".sync" {
            assert!(out["Output"].is_string(), ".sync: JSON text");
            (parse(&out["Input"]), parse(&out["Output"]))
        } else {
            assert!(out["Output"].is_object(), ".sync:2: JSON");
            (out["Input"].clone(), out["Output"].clone())
        };
        // The parent's `$$.Execution.Id` is its ARN, as the API names it.
        assert_eq!(child_in["AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"], ex);
        assert_eq!(child_out["got"]["k"], 1);
        assert_eq!(child_out["me"], out["ExecutionArn"]);
        // The child is an execution like any other.
        let listed = executions(addr, &child).await;
        assert!(listed
            .iter()
            .any(|e| e["executionArn"] == out["ExecutionArn"] && e["status"] == "SUCCEEDED"));
        let cd = call(
            addr,
            "DescribeExecution",
            json!({"executionArn": out["ExecutionArn"]}),
        )
        .await
        .body;
        assert_eq!(parse(&cd["output"]), child_out);
        let hist = call(
            addr,
            "GetExecutionHistory",
            json!({"executionArn": out["ExecutionArn"]}),
        )
        .await
        .body;
        assert_eq!(hist["events"][0]["type"], "ExecutionStarted", "{hist}");
    }
    let _ = stop.send(());
    h.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_start_does_not_wait_and_a_failed_sync_child_fails_the_task() {
    let (addr, stop, h) = start_with(quick()).await;
    let slow = machine(
        addr,
        "Slow",
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": true}}}),
    )
    .await;
    let sm = machine(addr, "Fire", parent("", &slow, json!({"a": 1}))).await;
    let ex = run(addr, &sm, json!({})).await;
    let d = ended(addr, &ex).await;
    assert_eq!(d["status"], "SUCCEEDED", "{d}");
    let out = parse(&d["output"]);
    let child = out["ExecutionArn"].clone();
    assert!(out["StartDate"].is_i64(), "{out}");
    assert_eq!(out["SdkHttpMetadata"]["HttpStatusCode"], 200);
    let c = call(addr, "DescribeExecution", json!({"executionArn": child})).await;
    assert_eq!(c.body["status"], "RUNNING", "the parent did not wait");
    assert_eq!(ended(addr, &child).await["status"], "SUCCEEDED");

    let bad = machine(
        addr,
        "Bad",
        json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "it broke"}}}),
    )
    .await;
    let sm = machine(addr, "Waits", parent(".sync", &bad, json!({}))).await;
    let ex = run(addr, &sm, json!({})).await;
    let d = ended(addr, &ex).await;
    assert_eq!(d["status"], "FAILED", "{d}");
    assert_eq!(d["error"], "States.TaskFailed");
    let cause = parse(&d["cause"]);
    assert_eq!(
        (&cause["Status"], &cause["Error"], &cause["Cause"]),
        (&json!("FAILED"), &json!("Boom"), &json!("it broke"))
    );
    assert!(cause.get("Output").is_none());

    // A start the service refuses fails the task with the SDK's exception.
    let missing = json!("arn:aws:states:us-east-1:123456789012:stateMachine:Nope");
    let sm = machine(addr, "Orphan", parent(".sync:2", &missing, json!({}))).await;
    let d = ended(addr, &run(addr, &sm, json!({})).await).await;
    assert_eq!(
        d["error"], "StepFunctions.StateMachineDoesNotExistException",
        "{d}"
    );
    assert!(d["cause"]
        .as_str()
        .unwrap()
        .contains("Error Code: StateMachineDoesNotExist"));
    let _ = stop.send(());
    h.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_child_gets_the_token_and_the_parent_waits_for_it() {
    let (addr, stop, h) = start_with(quick()).await;
    let child = machine(
        addr,
        "Worker",
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}),
    )
    .await;
    let input = json!({"token.$": "$$.Task.Token", "job": 7});
    let sm = machine(addr, "Caller", parent(".waitForTaskToken", &child, input)).await;
    let ex = run(addr, &sm, json!({})).await;
    // The child ran and ended; its input holds the parent's token.
    let deadline = Instant::now() + Duration::from_secs(10);
    let token = loop {
        let listed = executions(addr, &child).await;
        if let Some(e) = listed.first() {
            let d = ended(addr, &e["executionArn"]).await;
            break parse(&d["input"])["token"].as_str().unwrap().to_owned();
        }
        assert!(Instant::now() < deadline, "no child started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let d = call(addr, "DescribeExecution", json!({"executionArn": ex})).await;
    assert_eq!(
        d.body["status"], "RUNNING",
        "the parent waits for its token"
    );
    let ok = call(
        addr,
        "SendTaskSuccess",
        json!({"taskToken": token, "output": "{\"done\":7}"}),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let d = ended(addr, &ex).await;
    assert_eq!(d["status"], "SUCCEEDED", "{d}");
    assert_eq!(parse(&d["output"]), json!({"done": 7}));
    let _ = stop.send(());
    h.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_a_parent_stops_its_sync_child() {
    let (addr, stop, h) = start_with(quick()).await;
    let child = machine(
        addr,
        "Long",
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": true}}}),
    )
    .await;
    let sm = machine(addr, "Boss", parent(".sync", &child, json!({}))).await;
    let ex = run(addr, &sm, json!({})).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let kid = loop {
        if let Some(e) = executions(addr, &child).await.first() {
            break e["executionArn"].clone();
        }
        assert!(Instant::now() < deadline, "no child started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let r = call(addr, "StopExecution", json!({"executionArn": ex})).await;
    assert_eq!((r.status, error(&r)), (200, None), "{}", r.body);
    assert_eq!(ended(addr, &ex).await["status"], "ABORTED");
    assert_eq!(ended(addr, &kid).await["status"], "ABORTED");
    let _ = stop.send(());
    h.await.unwrap();
}
