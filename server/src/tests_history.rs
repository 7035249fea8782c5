//! `GetExecutionHistory` end to end on loopback: a succeeded execution's
//! events, newest first, paged through `nextToken`, without data, and the
//! request errors in AWS's codes.

use crate::tests::start_with;
use crate::tests_tokens::{call, ended, error, machine, run};
use crate::Config;
use serde_json::{json, Value};
use std::net::SocketAddr;

async fn history(addr: SocketAddr, body: Value) -> Value {
    let r = call(addr, "GetExecutionHistory", body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

fn types(events: &Value) -> Vec<&str> {
    events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_succeeded_execution_has_its_events_in_every_order_and_page() {
    let (addr, stop, h) = start_with(Config::default()).await;
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Result": {"x": 1}, "Next": "B"},
        "B": {"Type": "Pass", "End": true}}});
    let sm = machine(addr, "Hist", def).await;
    let ex = run(addr, &sm, json!({"in": true})).await;
    assert_eq!(ended(addr, &ex).await["status"], "SUCCEEDED");

    let all = history(addr, json!({"executionArn": ex})).await;
    assert!(all.get("nextToken").is_none());
    let want = [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ];
    assert_eq!(types(&all["events"]), want);
    let events = all["events"].as_array().unwrap();
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e["id"], i + 1);
        // As AWS records it: the first state's entry follows no event.
        assert_eq!(e["previousEventId"], [0, 0, 2, 3, 4, 5][i]);
        assert!(e["timestamp"].as_f64().unwrap() > 1.6e9, "seconds: {e}");
    }
    let started = &events[0]["executionStartedEventDetails"];
    assert_eq!(started["input"], r#"{"in":true}"#);
    assert_eq!(started["roleArn"], "arn:aws:iam::1:role/R");
    assert_eq!(events[1]["stateEnteredEventDetails"]["name"], "A");
    assert_eq!(
        events[5]["executionSucceededEventDetails"]["output"],
        r#"{"x":1}"#
    );

    let rev = history(addr, json!({"executionArn": ex, "reverseOrder": true})).await;
    let mut back: Vec<Value> = rev["events"].as_array().unwrap().clone();
    back.reverse();
    assert_eq!(&back, events);

    // Pages of 2, newest first, to the end.
    let mut paged = Vec::new();
    let mut token: Option<Value> = None;
    let mut pages = 0;
    loop {
        let mut req = json!({"executionArn": ex, "maxResults": 2, "reverseOrder": true});
        if let Some(t) = &token {
            req["nextToken"] = t.clone();
        }
        let page = history(addr, req).await;
        pages += 1;
        paged.extend(page["events"].as_array().unwrap().iter().cloned());
        match page.get("nextToken") {
            Some(t) => token = Some(t.clone()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(paged, rev["events"].as_array().unwrap().clone());

    let bare = history(
        addr,
        json!({"executionArn": ex, "includeExecutionData": false}),
    )
    .await;
    let e = &bare["events"];
    assert_eq!(types(e), want);
    let started = e[0]["executionStartedEventDetails"].as_object().unwrap();
    assert!(!started.contains_key("input") && !started.contains_key("inputDetails"));
    assert_eq!(started["roleArn"], "arn:aws:iam::1:role/R");
    assert_eq!(e[2]["stateExitedEventDetails"], json!({"name": "A"}));
    assert!(e[5]["executionSucceededEventDetails"]
        .get("output")
        .is_none());

    let _ = stop.send(());
    h.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_requests_are_checked_with_aws_codes() {
    let (addr, stop, h) = start_with(Config::default()).await;
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}});
    let sm = machine(addr, "HistErr", def).await;
    let ex = run(addr, &sm, json!({})).await;
    ended(addr, &ex).await;
    let gone = ex.as_str().unwrap().replace(":HistErr:", ":HistErr:x");
    let cases = [
        (json!({"executionArn": gone}), "ExecutionDoesNotExist"),
        (json!({"executionArn": "nope"}), "InvalidArn"),
        (
            json!({"executionArn": ex, "nextToken": "bad"}),
            "InvalidToken",
        ),
        (
            json!({"executionArn": ex, "nextToken": crate::paging::token("history", "99")}),
            "InvalidToken",
        ),
        (
            json!({"executionArn": ex, "maxResults": 1001}),
            "ValidationException",
        ),
    ];
    for (body, want) in cases {
        let r = call(addr, "GetExecutionHistory", body.clone()).await;
        assert_eq!(error(&r), Some(want), "{body}: {}", r.body);
    }
    let _ = stop.send(());
    h.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_execution_shows_its_start_and_a_stopped_one_its_abort() {
    let (addr, stop, h) = start_with(Config::default()).await;
    let def =
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}});
    let sm = machine(addr, "HistRun", def).await;
    let ex = run(addr, &sm, json!({"k": 2})).await;
    let r = history(addr, json!({"executionArn": ex})).await;
    assert_eq!(types(&r["events"]), ["ExecutionStarted"]);
    let d = &r["events"][0]["executionStartedEventDetails"];
    assert_eq!(
        (d["input"].as_str(), d["roleArn"].as_str()),
        (Some(r#"{"k":2}"#), Some("arn:aws:iam::1:role/R"))
    );
    let r = call(
        addr,
        "StopExecution",
        json!({"executionArn": ex, "error": "E", "cause": "C"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Right after the stop (events made from the record) and once the
    // engine handed its history over (it records no event for a stop from
    // outside): the last event is ExecutionAborted either way.
    for wait_ms in [0, 500] {
        tokio::time::sleep(std::time::Duration::from_millis(wait_ms)).await;
        let r = history(addr, json!({"executionArn": ex, "reverseOrder": true})).await;
        let last = &r["events"][0];
        assert_eq!(last["type"], "ExecutionAborted", "{r}");
        assert_eq!(
            last["executionAbortedEventDetails"],
            json!({"error": "E", "cause": "C"})
        );
        assert_eq!(types(&r["events"]).last(), Some(&"ExecutionStarted"));
        let n = r["events"].as_array().map_or(0, Vec::len) as u64;
        assert_eq!(last["id"], n, "{r}");
        if n > 2 {
            assert_eq!(last["previousEventId"], n - 1, "{r}");
        }
    }
    let _ = stop.send(());
    h.await.unwrap();
}

/// A stopped execution parked on an activity hands its history over at
/// once: the engine's events, then the ExecutionAborted the stop made
/// (the engine records none for a stop from outside).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_execution_ends_its_recorded_history_with_execution_aborted() {
    let (addr, stop, h) = start_with(Config {
        activity_poll_ms: 5_000,
        ..Config::default()
    })
    .await;
    let act = call(addr, "CreateActivity", json!({"name": "Never"}))
        .await
        .body["activityArn"]
        .clone();
    let def =
        json!({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": act, "End": true}}});
    let sm = machine(addr, "HistStop", def).await;
    let ex = run(addr, &sm, json!({})).await;
    // A worker took the task: the execution ran to it and is parked.
    let t = call(
        addr,
        "GetActivityTask",
        json!({"activityArn": act, "workerName": "w"}),
    )
    .await;
    assert!(t.body["taskToken"].is_string(), "{}", t.body);
    let r = call(
        addr,
        "StopExecution",
        json!({"executionArn": ex, "cause": "C"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Handed over: more events than the two made from the record.
    let mut events = Value::Null;
    for _ in 0..400 {
        events = history(addr, json!({"executionArn": ex})).await["events"].clone();
        if events.as_array().map_or(0, Vec::len) > 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let list = events.as_array().expect("events");
    assert!(list.len() > 2, "{events}");
    let last = list.last().unwrap();
    assert_eq!(last["type"], "ExecutionAborted", "{events}");
    assert_eq!(last["id"], list.len() as u64);
    assert_eq!(last["previousEventId"], list.len() as u64 - 1);
    assert_eq!(last["executionAbortedEventDetails"], json!({"cause": "C"}));
    assert_eq!(
        types(&events)
            .iter()
            .filter(|t| **t == "ExecutionAborted")
            .count(),
        1
    );
    let _ = stop.send(());
    h.await.unwrap();
}
