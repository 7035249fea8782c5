//! `SendTask*` and `GetActivityTask` end to end on loopback: activity
//! workers, callback tasks that park, heartbeats and their deadlines, and
//! the token errors in AWS's codes.

use crate::tests::{send, start_with, Reply};
use crate::Config;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

pub(crate) async fn call(addr: SocketAddr, op: &str, body: Value) -> Reply {
    send(
        addr,
        Some(&format!("AWSStepFunctions.{op}")),
        &body.to_string(),
    )
    .await
}

/// The `__type` of an answer (`None` for a 200).
pub(crate) fn error(r: &Reply) -> Option<&str> {
    (r.status != 200).then(|| r.body["__type"].as_str().unwrap_or("?"))
}

pub(crate) async fn machine(addr: SocketAddr, name: &str, def: Value) -> Value {
    let r = call(
        addr,
        "CreateStateMachine",
        json!({"name": name, "definition": def.to_string(), "roleArn": "arn:aws:iam::1:role/R"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["stateMachineArn"].clone()
}

pub(crate) async fn run(addr: SocketAddr, sm: &Value, input: Value) -> Value {
    let r = call(
        addr,
        "StartExecution",
        json!({"stateMachineArn": sm, "input": input.to_string()}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["executionArn"].clone()
}

async fn describe(addr: SocketAddr, ex: &Value) -> Value {
    call(addr, "DescribeExecution", json!({"executionArn": ex}))
        .await
        .body
}

/// The execution once it ended (or after 10 s).
pub(crate) async fn ended(addr: SocketAddr, ex: &Value) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let d = describe(addr, ex).await;
        if d["status"] != "RUNNING" || Instant::now() > deadline {
            return d;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn quick_polls() -> Config {
    Config {
        activity_poll_ms: 150,
        ..Config::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_activity_worker_takes_the_task_and_completes_it() {
    let (addr, stop, h) = start_with(quick_polls()).await;
    let act = call(addr, "CreateActivity", json!({"name": "Work"}))
        .await
        .body["activityArn"]
        .clone();
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": act,
        "HeartbeatSeconds": 30, "ResultPath": "$.r", "End": true}}});
    let sm = machine(addr, "Act", def).await;
    let ex = run(addr, &sm, json!({"n": 1})).await;
    let t = call(
        addr,
        "GetActivityTask",
        json!({"activityArn": act, "workerName": "w1"}),
    )
    .await;
    assert_eq!(t.status, 200, "{}", t.body);
    let token = t.body["taskToken"].as_str().unwrap().to_owned();
    assert_eq!(
        serde_json::from_str::<Value>(t.body["input"].as_str().unwrap()).unwrap(),
        json!({"n": 1})
    );
    assert_eq!(
        describe(addr, &ex).await["status"],
        "RUNNING",
        "it waits for the worker"
    );
    let hb = call(addr, "SendTaskHeartbeat", json!({"taskToken": token})).await;
    assert_eq!((hb.status, &hb.body), (200, &json!({})));
    let ok = call(
        addr,
        "SendTaskSuccess",
        json!({"taskToken": token, "output": r#"{"done":true}"#}),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let d = ended(addr, &ex).await;
    assert_eq!(d["status"], "SUCCEEDED", "{d}");
    assert_eq!(
        serde_json::from_str::<Value>(d["output"].as_str().unwrap()).unwrap(),
        json!({"n": 1, "r": {"done": true}})
    );
    // A token is used once.
    for (op, body) in [
        (
            "SendTaskSuccess",
            json!({"taskToken": token, "output": "{}"}),
        ),
        ("SendTaskFailure", json!({"taskToken": token, "error": "E"})),
        ("SendTaskHeartbeat", json!({"taskToken": token})),
    ] {
        let r = call(addr, op, body).await;
        assert_eq!((r.status, error(&r)), (400, Some("TaskTimedOut")), "{op}");
    }
    // Nothing queued now: the poll ends empty (no taskToken, AWS's null).
    let t0 = Instant::now();
    let empty = call(addr, "GetActivityTask", json!({"activityArn": act})).await;
    assert_eq!((empty.status, &empty.body), (200, &json!({})));
    assert!(
        t0.elapsed() >= Duration::from_millis(140),
        "it waited for the poll"
    );
    let _ = stop.send(());
    h.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_poll_gets_the_next_task_and_failures_reach_catch() {
    let (addr, stop, h) = start_with(Config {
        activity_poll_ms: 5_000,
        ..Config::default()
    })
    .await;
    let act = call(addr, "CreateActivity", json!({"name": "Late"}))
        .await
        .body["activityArn"]
        .clone();
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": act, "End": true,
              "Catch": [{"ErrorEquals": ["Nope"], "ResultPath": "$.err", "Next": "C"}]},
        "C": {"Type": "Pass", "End": true}}});
    let sm = machine(addr, "Late", def).await;
    let poll =
        tokio::spawn(
            async move { call(addr, "GetActivityTask", json!({"activityArn": act})).await },
        );
    tokio::time::sleep(Duration::from_millis(100)).await;
    let ex = run(addr, &sm, json!({"k": "v"})).await;
    let t = poll.await.unwrap();
    let token = t.body["taskToken"].as_str().unwrap();
    let f = call(
        addr,
        "SendTaskFailure",
        json!({"taskToken": token, "error": "Nope", "cause": "because"}),
    )
    .await;
    assert_eq!(f.status, 200, "{}", f.body);
    let d = ended(addr, &ex).await;
    assert_eq!(d["status"], "SUCCEEDED", "{d}");
    assert_eq!(
        serde_json::from_str::<Value>(d["output"].as_str().unwrap()).unwrap(),
        json!({"k": "v", "err": {"Error": "Nope", "Cause": "because"}})
    );
    let _ = stop.send(());
    h.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callback_and_activity_tasks_time_out_without_heartbeats() {
    let (addr, stop, h) = start_with(quick_polls()).await;
    // An unmocked SQS callback is taken as sent: the execution waits for its token.
    let def = json!({"StartAt": "Q", "States": {"Q": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}},
        "HeartbeatSeconds": 1, "End": true}}});
    let sm = machine(addr, "Cb", def).await;
    let ex = run(addr, &sm, json!({})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        describe(addr, &ex).await["status"],
        "RUNNING",
        "parked on its token"
    );
    let act = call(addr, "CreateActivity", json!({"name": "Slow"}))
        .await
        .body["activityArn"]
        .clone();
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": act,
        "HeartbeatSeconds": 1, "End": true}}});
    let sm2 = machine(addr, "Slow", def).await;
    let ex2 = run(addr, &sm2, json!({})).await;
    let t = call(addr, "GetActivityTask", json!({"activityArn": act})).await;
    let token = t.body["taskToken"].as_str().unwrap().to_owned();
    for ex in [&ex, &ex2] {
        let d = ended(addr, ex).await;
        assert_eq!(
            (d["status"].as_str(), d["error"].as_str()),
            (Some("FAILED"), Some("States.HeartbeatTimeout")),
            "{d}"
        );
    }
    let late = call(
        addr,
        "SendTaskSuccess",
        json!({"taskToken": token, "output": "{}"}),
    )
    .await;
    assert_eq!(error(&late), Some("TaskTimedOut"));
    let _ = stop.send(());
    h.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_requests_are_checked_with_aws_codes() {
    let (addr, stop, h) = start_with(quick_polls()).await;
    let never = format!("A{}", "f".repeat(48));
    let cases = [
        (
            "SendTaskSuccess",
            json!({"taskToken": "t", "output": "{}"}),
            "InvalidToken",
        ),
        (
            "SendTaskHeartbeat",
            json!({"taskToken": "t"}),
            "InvalidToken",
        ),
        (
            "SendTaskFailure",
            json!({"taskToken": never}),
            "TaskDoesNotExist",
        ),
        (
            "SendTaskSuccess",
            json!({"taskToken": "t", "output": "{no"}),
            "InvalidOutput",
        ),
        (
            "SendTaskSuccess",
            json!({"taskToken": "t"}),
            "ValidationException",
        ),
        (
            "SendTaskSuccess",
            json!({"taskToken": "", "output": "{}"}),
            "ValidationException",
        ),
        (
            "SendTaskFailure",
            json!({"taskToken": "t", "error": "e".repeat(257)}),
            "ValidationException",
        ),
        (
            "SendTaskFailure",
            json!({"taskToken": "t", "cause": "c".repeat(32769)}),
            "ValidationException",
        ),
        (
            "GetActivityTask",
            json!({"activityArn": "arn:aws:states:us-east-1:123456789012:activity:None"}),
            "ActivityDoesNotExist",
        ),
        (
            "GetActivityTask",
            json!({"activityArn": "nope"}),
            "InvalidArn",
        ),
    ];
    for (op, body, code) in cases {
        let r = call(addr, op, body).await;
        assert_eq!((r.status, error(&r)), (400, Some(code)), "{op}: {}", r.body);
        assert!(r.body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let _ = stop.send(());
    h.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polls_beyond_the_limit_are_refused() {
    let (addr, stop, h) = start_with(Config {
        activity_poll_ms: 2_000,
        max_pollers: 1,
        ..Config::default()
    })
    .await;
    let act = call(addr, "CreateActivity", json!({"name": "One"}))
        .await
        .body["activityArn"]
        .clone();
    let a2 = act.clone();
    let first =
        tokio::spawn(
            async move { call(addr, "GetActivityTask", json!({"activityArn": a2})).await },
        );
    tokio::time::sleep(Duration::from_millis(150)).await;
    let r = call(addr, "GetActivityTask", json!({"activityArn": act})).await;
    assert_eq!(error(&r), Some("ActivityWorkerLimitExceeded"));
    assert_eq!(first.await.unwrap().body, json!({}));
    let _ = stop.send(());
    h.await.unwrap();
}
