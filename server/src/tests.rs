//! The protocol layer end to end on loopback: a bound [`Server`], raw
//! HTTP/1.1 requests, and what comes back (status, headers, `__type`).

use crate::{Config, LogLevel, Server};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) head: String,
    pub(crate) body: Value,
}

pub(crate) async fn send(addr: std::net::SocketAddr, target: Option<&str>, body: &str) -> Reply {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let t = target.map_or(String::new(), |t| format!("X-Amz-Target: {t}\r\n"));
    let req = format!(
        "POST / HTTP/1.1\r\nHost: x\r\n{t}Content-Type: application/x-amz-json-1.0\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8(buf).unwrap();
    let (head, payload) = text.split_once("\r\n\r\n").unwrap();
    Reply {
        status: head[9..12].parse().unwrap(),
        head: head.to_ascii_lowercase(),
        body: serde_json::from_str(payload).unwrap_or(Value::Null),
    }
}

async fn start() -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    start_with(Config::default()).await
}

/// A server of `config` (on a free port, quiet, one engine thread, 64 KiB bodies).
pub(crate) async fn start_with(
    config: Config,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let config = Config {
        port: 0,
        log_level: LogLevel::Off,
        threads: Some(1),
        max_body: 64 << 10,
        ..config
    };
    let server = Server::bind(&config).await.unwrap();
    let addr = server.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let h = tokio::spawn(async move {
        server
            .run(async move {
                let _ = rx.await;
            })
            .await
            .unwrap();
    });
    (addr, tx, h)
}

const SM: &str = "AWSStepFunctions.CreateStateMachine";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_in_aws_json_with_a_request_id() {
    let (addr, stop, h) = start().await;
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}).to_string();
    let body = json!({"name": "M", "definition": def, "roleArn": "arn:aws:iam::123456789012:role/R",
                      "type": "EXPRESS"});
    let r = send(addr, Some(SM), &body.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.head.contains("content-type: application/x-amz-json-1.0"));
    assert!(r.head.contains("x-amzn-requestid: "));
    assert_eq!(
        r.body["stateMachineArn"],
        "arn:aws:states:us-east-1:123456789012:stateMachine:M"
    );
    assert!(
        r.body["creationDate"].as_f64().unwrap() > 1.7e9,
        "epoch seconds"
    );
    let run = json!({"stateMachineArn": r.body["stateMachineArn"], "input": "{\"a\":[1]}"});
    let r = send(
        addr,
        Some("AWSStepFunctions.StartSyncExecution"),
        &run.to_string(),
    )
    .await;
    assert_eq!(
        (r.status, r.body["status"].as_str()),
        (200, Some("SUCCEEDED"))
    );
    assert_eq!(r.body["output"], "{\"a\":[1]}");
    let _ = stop.send(());
    h.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_carry_type_and_status() {
    let (addr, stop, h) = start().await;
    let cases: &[(Option<&str>, &str, u16, &str)] = &[
        (None, "{}", 400, "UnknownOperationException"),
        (
            Some("AWSStepFunctions.Bogus"),
            "{}",
            400,
            "UnknownOperationException",
        ),
        (
            Some("AWSStepFunctions.ListStateMachines"),
            "{",
            400,
            "SerializationException",
        ),
        (
            Some("AWSStepFunctions.ListStateMachines"),
            "[]",
            400,
            "SerializationException",
        ),
        (
            Some("AWSStepFunctions.ListStateMachines"),
            r#"{"nextToken":"x"}"#,
            400,
            "InvalidToken",
        ),
        (Some(SM), r#"{"name":"a"}"#, 400, "ValidationException"),
        (
            Some("AWSStepFunctions.DescribeExecution"),
            r#"{"executionArn":"arn:aws:states:us-east-1:1:execution:M:e"}"#,
            400,
            "ExecutionDoesNotExist",
        ),
        (
            Some("AWSStepFunctions.DescribeExecution"),
            r#"{"executionArn":"nope"}"#,
            400,
            "InvalidArn",
        ),
        (
            Some("AWSStepFunctions.StartExecution"),
            r#"{"stateMachineArn":"arn:aws:states:us-east-1:1:stateMachine:M"}"#,
            400,
            "StateMachineDoesNotExist",
        ),
    ];
    for (target, body, status, kind) in cases {
        let r = send(addr, *target, body).await;
        assert_eq!(
            (r.status, r.body["__type"].as_str()),
            (*status, Some(*kind)),
            "{target:?} {body}"
        );
        assert!(r.body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let big = format!(r#"{{"input":"{}"}}"#, "x".repeat(100 << 10));
    let r = send(addr, Some("AWSStepFunctions.StartExecution"), &big).await;
    assert_eq!(
        (r.status, r.body["__type"].as_str()),
        (413, Some("RequestEntityTooLargeException"))
    );
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).await.unwrap();
    assert!(buf.starts_with("HTTP/1.1 404"), "{buf}");
    let _ = stop.send(());
    h.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_execution_aborts_a_waiting_execution() {
    let (addr, stop, h) = start().await;
    let def =
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}});
    let body =
        json!({"name": "W", "definition": def.to_string(), "roleArn": "arn:aws:iam::1:role/R"});
    let arn = send(addr, Some(SM), &body.to_string()).await.body["stateMachineArn"].clone();
    let start = json!({"stateMachineArn": arn, "name": "e"}).to_string();
    let ex = send(addr, Some("AWSStepFunctions.StartExecution"), &start)
        .await
        .body["executionArn"]
        .clone();
    let stop_req = json!({"executionArn": ex, "error": "E", "cause": "C"}).to_string();
    assert_eq!(
        send(addr, Some("AWSStepFunctions.StopExecution"), &stop_req)
            .await
            .status,
        200
    );
    let d = send(
        addr,
        Some("AWSStepFunctions.DescribeExecution"),
        &json!({"executionArn": ex}).to_string(),
    )
    .await;
    assert_eq!(d.body["status"], "ABORTED");
    assert_eq!(
        (d.body["error"].as_str(), d.body["cause"].as_str()),
        (Some("E"), Some("C"))
    );
    let _ = stop.send(());
    h.await.unwrap();
}

/// Ended executions past the byte budget go, oldest first: five executions
/// of a 10 KB input (each holds its input, its output and a history that
/// carries both) in a 60 KB budget keep at most the three newest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ended_executions_past_the_byte_budget_are_dropped_oldest_first() {
    let (addr, stop, h) = start_with(Config {
        max_ended_bytes: 60 << 10,
        ..Config::default()
    })
    .await;
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}});
    let body =
        json!({"name": "B", "definition": def.to_string(), "roleArn": "arn:aws:iam::1:role/R"});
    let arn = send(addr, Some(SM), &body.to_string()).await.body["stateMachineArn"].clone();
    let input = json!({"pad": "x".repeat(10_000)}).to_string();
    let describe = |ex: Value| {
        let body = json!({"executionArn": ex}).to_string();
        async move { send(addr, Some("AWSStepFunctions.DescribeExecution"), &body).await }
    };
    let mut arns = Vec::new();
    for i in 0..5 {
        let start = json!({"stateMachineArn": arn, "name": format!("e{i}"), "input": input});
        let ex = send(
            addr,
            Some("AWSStepFunctions.StartExecution"),
            &start.to_string(),
        )
        .await
        .body["executionArn"]
            .clone();
        // Each one ended before the next starts, so "oldest" is well defined.
        for _ in 0..500 {
            if describe(ex.clone()).await.body["status"] == "SUCCEEDED" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        arns.push(ex);
    }
    let kept: Vec<bool> = {
        let mut v = Vec::new();
        for ex in &arns {
            v.push(describe(ex.clone()).await.status == 200);
        }
        v
    };
    // Each holds over 20 KB (input, output, and the history's copies): the
    // oldest are gone, what is kept is the newest ones, the newest always.
    let first_kept = kept.iter().position(|k| *k).expect("the newest is kept");
    assert!(first_kept >= 2, "{kept:?}");
    assert!(kept[first_kept..].iter().all(|k| *k), "{kept:?}");
    let gone = describe(arns[0].clone()).await;
    assert_eq!(gone.body["__type"], "ExecutionDoesNotExist");
    let _ = stop.send(());
    h.await.unwrap();
}
