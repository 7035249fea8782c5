//! `stampede run --tokens-from FILE|-` end to end: tokens printed on stderr
//! as JSON lines, completion lines (success, failure, heartbeat) read from
//! a file or stdin, deterministic tokens under a seed, a token sent twice,
//! unknown and malformed tokens (warnings), bad lines (exit 2), and the
//! tasks still waiting at the end of the file timing out.

use serde_json::{json, Value};
use stampede_tests::locate::stampede_bin;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
        .to_str()
        .unwrap()
        .to_owned()
}

fn temp(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("stampede-token-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Runs `stampede ARGS` with `stdin` on its standard input; it must end by itself, without a panic.
fn stampede(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(stampede_bin())
        .args(args)
        .env_remove("SFN_MOCK_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the stampede binary starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code().is_some_and(|c| c != 101) && !stderr.contains("panicked"),
        "stampede {args:?} crashed: {:?}\n{stderr}",
        out.status
    );
    out
}

fn outcome(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON line ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

/// The token lines on stderr.
fn printed(o: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .filter(|l| l.starts_with("{\"token\""))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn run(extra: &[&str], stdin: &str) -> Output {
    let (def, input) = (example("callback.asl.json"), example("callback.input.json"));
    let mut args = vec![
        "run",
        def.as_str(),
        "--input",
        input.as_str(),
        "--echo-tasks",
    ];
    args.extend_from_slice(extra);
    stampede(&args, stdin)
}

#[test]
fn the_token_is_printed_and_a_success_line_completes_the_task() {
    // No completions: the token is printed, then the task times out at its HeartbeatSeconds.
    let none = run(&["--tokens-from", "-"], "");
    assert_eq!(none.status.code(), Some(0));
    assert_eq!(
        outcome(&none),
        json!({"status": "FAILED", "error": "States.HeartbeatTimeout"})
    );
    let lines = printed(&none);
    assert_eq!(lines.len(), 1);
    let token = lines[0]["token"].as_str().unwrap().to_owned();
    assert_eq!(lines[0]["state"], "Approve");
    assert_eq!(lines[0]["input"]["MessageBody"]["token"], json!(token));
    assert_eq!(lines[0]["input"]["MessageBody"]["order"]["id"], "o-42");
    // The same seed gives the same token, so a file written ahead completes it.
    let file = temp(
        "done.jsonl",
        &format!(
            "{}\n\n{}\n",
            json!({"token": token, "heartbeat": true}),
            json!({"token": token, "output": {"approved": true}})
        ),
    );
    let done = run(&["--tokens-from", &file], "");
    assert_eq!(
        done.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert_eq!(
        outcome(&done),
        json!({"status": "SUCCEEDED", "output": {"order": {"id": "o-42", "total": 99.5}, "approval": {"approved": true}}})
    );
    assert_eq!(printed(&done)[0]["token"], json!(token));
    // Another seed, another token: the old one is not one of its tasks.
    let other = run(&["--seed", "9", "--tokens-from", &file], "");
    assert_ne!(printed(&other)[0]["token"], json!(token));
    let stderr = String::from_utf8_lossy(&other.stderr);
    assert!(stderr.contains("line 1: TaskDoesNotExist"), "{stderr}");
    assert!(stderr.contains("line 3: TaskDoesNotExist"), "{stderr}");
    assert_eq!(outcome(&other)["error"], "States.HeartbeatTimeout");
}

#[test]
fn a_failure_line_is_caught_and_bad_tokens_are_warnings() {
    let token = printed(&run(&["--tokens-from", "-"], ""))[0]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let lines = format!(
        "{}\n{}\n",
        json!({"token": "garbage", "output": 1}),
        json!({"token": token, "error": "Rejected", "cause": "over budget"})
    );
    let o = run(&["--tokens-from", "-"], &lines);
    assert_eq!(o.status.code(), Some(0));
    // Catch sent it to the Fail state.
    assert_eq!(
        outcome(&o),
        json!({"status": "FAILED", "error": "OrderRejected"})
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("warning: stdin line 1: InvalidToken"),
        "{stderr}"
    );
}

#[test]
fn a_token_sent_twice_is_timed_out_and_the_next_task_gets_its_own() {
    let def = temp(
        "two.asl.json",
        &json!({"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                  "Parameters": {"FunctionName": "f", "Payload": {"t.$": "$$.Task.Token"}}, "ResultPath": "$.a", "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                  "Parameters": {"MessageBody": {"t.$": "$$.Task.Token"}}, "TimeoutSeconds": 30, "ResultPath": "$.b", "End": true}}})
        .to_string(),
    );
    let first = stampede(&["run", &def, "--echo-tasks", "--tokens-from", "-"], "");
    let a = printed(&first)[0]["token"].as_str().unwrap().to_owned();
    let ok_a = json!({"token": a, "output": "A"}).to_string();
    let second = stampede(
        &["run", &def, "--echo-tasks", "--tokens-from", "-"],
        &format!("{ok_a}\n"),
    );
    assert_eq!(
        outcome(&second),
        json!({"status": "FAILED", "error": "States.Timeout"})
    );
    let toks = printed(&second);
    assert_eq!(toks.len(), 2);
    let b = toks[1]["token"].as_str().unwrap().to_owned();
    assert_ne!(a, b);
    let lines = format!("{ok_a}\n{ok_a}\n{}\n", json!({"token": b, "output": "B"}));
    let third = stampede(&["run", &def, "--echo-tasks", "--tokens-from", "-"], &lines);
    assert_eq!(
        outcome(&third),
        json!({"status": "SUCCEEDED", "output": {"a": "A", "b": "B"}})
    );
    let stderr = String::from_utf8_lossy(&third.stderr);
    assert!(
        stderr.contains("warning: stdin line 2: TaskTimedOut"),
        "{stderr}"
    );
}

#[test]
fn bad_lines_and_bad_combinations_exit_2() {
    let o = run(&["--tokens-from", "-"], "{\"token\": \"t\"}\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("error: stdin line 1: needs \"output\""),
        "{stderr}"
    );
    let o = run(&["--tokens-from", "-"], "\nnot json\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("stdin line 2: not JSON"));
    let o = run(&["--tokens-from", "/nonexistent/tokens.jsonl"], "");
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run(&["--executions", "2", "--tokens-from", "-"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot be used with"));
}
