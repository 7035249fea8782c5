//! `stampede run --mock-config FILE --test-case NAME` end to end: AWS's
//! MockConfigFile.json format unchanged (the example of AWS's reference is
//! `examples/lambda-sqs.mocks.json`), numbered and ranged entries, retries,
//! Map iterations, Catch, past the last key, `--echo-tasks` with failure
//! injection, `SFN_MOCK_CONFIG`, malformed files (exit 2), batches on 1 and
//! 4 threads, and `Latency` on the virtual clock.

use serde_json::{json, Value};
use stampede_tests::locate::stampede_bin;
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

/// A file of this test process holding `v` as JSON.
fn temp_json(name: &str, v: &Value) -> String {
    let dir = std::env::temp_dir().join(format!("stampede-mock-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, v.to_string()).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Runs `stampede ARGS` with `env` set (and `SFN_MOCK_CONFIG` unset
/// unless `env` sets it); it must end by itself, without a panic.
fn stampede_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(stampede_bin());
    cmd.args(args)
        .env_remove("SFN_MOCK_CONFIG")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the stampede binary starts");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code().is_some_and(|c| c != 101) && !stderr.contains("panicked"),
        "stampede {args:?} crashed: {:?}\n{stderr}",
        out.status
    );
    out
}

fn stampede(args: &[&str]) -> Output {
    stampede_env(args, &[])
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The single JSON line `run` printed (exit 0 expected).
fn outcome(out: &Output) -> Value {
    assert_eq!(code(out), 0, "{}", stderr(out));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(text.lines().count(), 1, "one line expected:\n{text}");
    serde_json::from_str(&text).unwrap()
}

/// `run` of the AWS example with test case `case` and `extra` arguments.
fn lambda_sqs(case: &str, extra: &[&str]) -> Output {
    let (def, input, mocks) = (
        example("lambda-sqs.asl.json"),
        example("lambda-sqs.input.json"),
        example("lambda-sqs.mocks.json"),
    );
    let mut args = vec![
        "run",
        &def,
        "--input",
        &input,
        "--mock-config",
        &mocks,
        "--test-case",
        case,
    ];
    args.extend_from_slice(extra);
    stampede(&args)
}

const SQS_OK: &str = "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51";

#[test]
fn the_aws_example_runs_each_test_case() {
    for case in ["HappyPath", "RetryPath", "SlowPath"] {
        let o = outcome(&lambda_sqs(case, &[]));
        assert_eq!(o["status"], "SUCCEEDED", "{case}: {o}");
        assert_eq!(o["output"]["MessageId"], SQS_OK, "{case}");
    }
    // HybridPath mocks only the Lambda state: SQSState is unmocked.
    let o = outcome(&lambda_sqs("HybridPath", &[]));
    assert_eq!(o["status"], "FAILED");
    assert_eq!(o["error"], "States.Runtime");
    let cause = o["cause"].as_str().unwrap();
    assert!(
        cause.contains("'SQSState' has no mocked response in test case 'HybridPath'"),
        "{cause}"
    );
    // --echo-tasks serves it: its result is its effective input.
    let o = outcome(&lambda_sqs("HybridPath", &["--echo-tasks"]));
    assert_eq!(
        o["output"]["MessageBody"]["Payload"]["body"],
        "Hello from Lambda!"
    );
}

#[test]
fn sfn_mock_config_names_the_file_when_the_flag_does_not() {
    let def = example("lambda-sqs.asl.json");
    let mocks = example("lambda-sqs.mocks.json");
    let out = stampede_env(
        &["run", &def, "--test-case", "RetryPath"],
        &[("SFN_MOCK_CONFIG", &mocks)],
    );
    assert_eq!(outcome(&out)["output"]["MessageId"], SQS_OK);
    // Without a file, --test-case is a usage error.
    let out = stampede(&["run", &def, "--test-case", "RetryPath"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("--test-case needs a mock file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unknown_names_exit_2_and_are_named() {
    let out = lambda_sqs("NoSuchCase", &[]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("/StateMachines/LambdaSQSIntegration/TestCases: no test case \"NoSuchCase\"")
            && err.contains("HappyPath, RetryPath, HybridPath, SlowPath"),
        "{err}"
    );
    let out = lambda_sqs("HappyPath", &["--state-machine-name", "Other"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("/StateMachines: no state machine \"Other\""),
        "{}",
        stderr(&out)
    );
    let def = example("lambda-sqs.asl.json");
    let mocks = example("lambda-sqs.mocks.json");
    let out = stampede(&["run", &def, "--mock-config", &mocks]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("hint: choose the test case with --test-case"));
    let out = stampede(&["run", &def, "--mock-config", "/no/such/mocks.json"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("cannot read /no/such/mocks.json"));
}

#[test]
fn a_malformed_mock_file_reports_every_problem_and_exits_2() {
    let bad = json!({
        "StateMachines": {"M": {"TestCases": {"C": {"T": "R", "U": "Gone"}}}},
        "MockedResponses": {"R": {"0": {"Return": 1}, "1-x": {"Return": 2}, "2": {"Retrun": 3},
                                  "3": {"Throw": {"Cause": "c"}}, "4": {"Return": 1, "Latency": "soon"}}}
    });
    let mocks = temp_json("bad.mocks.json", &bad);
    let def = example("lambda-sqs.asl.json");
    let out = stampede(&["run", &def, "--mock-config", &mocks, "--test-case", "C"]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines[0], format!("error: invalid mock file {mocks}"));
    let want = [
        "/MockedResponses/R/1-x: invalid key",
        "/MockedResponses/R/2/Retrun: unknown field (expected Return, Throw or Latency)",
        "/MockedResponses/R/2: needs Return or Throw",
        "/MockedResponses/R/3/Throw: missing field Error",
        "/MockedResponses/R/4/Latency: Latency must be a whole",
        "/StateMachines/M/TestCases/C/U: no mocked response \"Gone\"",
    ];
    assert_eq!(lines.len(), 1 + want.len(), "{err}");
    for (line, w) in lines[1..].iter().zip(want) {
        assert!(line.starts_with(w), "{line:?} should start with {w:?}");
    }
    // Not JSON at all: where the parser stopped.
    let mocks = temp_json("broken.mocks.json", &json!("x"));
    std::fs::write(&mocks, "{\"StateMachines\": {").unwrap();
    let out = stampede(&["run", &def, "--mock-config", &mocks]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("(root): not JSON at line 1, column 19"),
        "{}",
        stderr(&out)
    );
}

/// A Map over `$.items` whose iteration runs `Call`, retried on `Boom`
/// (no wait), and a Catch of `Fatal` to `Caught`.
fn map_definition() -> Value {
    json!({"StartAt": "Each", "States": {
        "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1,
                 "ItemProcessor": {"StartAt": "Call", "States": {
                     "Call": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:call",
                              "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 1, "MaxAttempts": 3}],
                              "Catch": [{"ErrorEquals": ["Fatal"], "ResultPath": "$.error", "Next": "Caught"}],
                              "End": true},
                     "Caught": {"Type": "Pass", "End": true}}},
                 "End": true}}})
}

/// The mocks of `Call`: invocation 0 throws Boom (retried), 1 returns
/// "first", 2-3 return "second", 4 throws Fatal (caught), 5 returns "last".
fn map_mocks() -> Value {
    json!({"StateMachines": {"Fan": {"TestCases": {"Mixed": {"Call": "Seq"}}}},
           "MockedResponses": {"Seq": {
               "0": {"Throw": {"Error": "Boom", "Cause": "retry me"}},
               "1": {"Return": "first"},
               "2-3": {"Return": "second"},
               "4": {"Throw": {"Error": "Fatal", "Cause": "caught"}, "Latency": 500},
               "5": {"Return": "last", "Latency": 250}}}})
}

#[test]
fn map_iterations_retries_and_catch_share_one_count_per_state() {
    let def = temp_json("fan.asl.json", &map_definition());
    let mocks = temp_json("fan.mocks.json", &map_mocks());
    let run = |items: Value| {
        let input = temp_json("fan.input.json", &json!({ "items": items }));
        outcome(&stampede(&[
            "run",
            &def,
            "--input",
            &input,
            "--mock-config",
            &mocks,
            "--test-case",
            "Mixed",
        ]))
    };
    let o = run(json!([{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}, {"n": 5}]));
    assert_eq!(
        o["output"],
        json!(["first", "second", "second",
               {"n": 4, "error": {"Error": "Fatal", "Cause": "caught"}}, "last"])
    );
    // A sixth iteration is the seventh invocation: past the last key.
    let o = run(json!([{}, {}, {}, {}, {}, {}]));
    assert_eq!(o["status"], "FAILED");
    assert_eq!(o["error"], "States.Runtime");
    let cause = o["cause"].as_str().unwrap();
    assert!(
        cause.contains("has no entry for invocation 6") && cause.contains("keys: 0, 1, 2-3, 4, 5"),
        "{cause}"
    );
}

/// `run` of a batch of `n` executions of the Map example on `threads`
/// threads: its JSON Lines and its summary.
fn batch(n: &str, threads: &str) -> (String, Value) {
    let def = temp_json("fan-batch.asl.json", &map_definition());
    let mocks = temp_json("fan-batch.mocks.json", &map_mocks());
    let input = temp_json(
        "fan-batch.input.json",
        &json!({"items": [{}, {}, {}, {}, {}]}),
    );
    let summary = std::env::temp_dir().join(format!(
        "stampede-mock-tests-{}/summary-{threads}.json",
        std::process::id()
    ));
    let out = stampede(&[
        "run",
        &def,
        "--input",
        &input,
        "--mock-config",
        &mocks,
        "--test-case",
        "Mixed",
        "--executions",
        n,
        "--threads",
        threads,
        "--ordered",
        "--quiet",
        "--start-time-ms",
        "0",
        "--summary-json",
        summary.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let summary: Value = serde_json::from_slice(&std::fs::read(&summary).unwrap()).unwrap();
    (String::from_utf8(out.stdout).unwrap(), summary)
}

#[test]
fn a_batch_counts_per_execution_the_same_on_1_and_4_threads() {
    let (one, summary) = batch("200", "1");
    assert_eq!(one.lines().count(), 200);
    for (i, line) in one.lines().enumerate() {
        let o: Value = serde_json::from_str(line).unwrap();
        assert_eq!(o["index"], i);
        assert_eq!(o["status"], "SUCCEEDED", "{line}");
        assert_eq!(o["output"][4], "last", "{line}");
    }
    assert_eq!(summary["status"], json!({"SUCCEEDED": 200}));
    // 1 s of retry, then 500 ms and 250 ms of Latency, on each execution's own clock.
    assert_eq!(summary["durationMs"]["max"], 1750);
    assert_eq!(summary["durationMs"]["p50"], 1750);
    let (four, _) = batch("200", "4");
    assert_eq!(one, four);
}

#[test]
fn latency_is_on_the_virtual_clock() {
    let (def, mocks) = (
        example("lambda-sqs.asl.json"),
        example("lambda-sqs.mocks.json"),
    );
    let summary = std::env::temp_dir().join(format!(
        "stampede-mock-tests-{}/slow-summary.json",
        std::process::id()
    ));
    let out = stampede(&[
        "run",
        &def,
        "--mock-config",
        &mocks,
        "--test-case",
        "SlowPath",
        "-n",
        "3",
        "-q",
        "--summary-json",
        summary.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let s: Value = serde_json::from_slice(&std::fs::read(&summary).unwrap()).unwrap();
    // A 3000 ms Lambda timeout, the 2 s retry interval, a 250 ms success.
    assert_eq!(s["durationMs"]["max"], 5250);
    assert_eq!(s["durationMs"]["p50"], 5250);
}

#[test]
fn echo_tasks_injects_failures_as_the_peers_do() {
    let def = temp_json(
        "inject.asl.json",
        &json!({"StartAt": "Mocked", "States": {
            "Mocked": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "ResultPath": "$.sent", "Next": "Echoed"},
            "Echoed": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
                       "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 5}],
                       "End": true}}}),
    );
    let mocks = temp_json(
        "inject.mocks.json",
        &json!({"StateMachines": {"M": {"TestCases": {"C": {"Mocked": "Sent", "Typo": "Sent"}}}},
                "MockedResponses": {"Sent": {"0": {"Return": {"id": 1}}}}}),
    );
    let input = temp_json(
        "inject.input.json",
        &json!({"__fail": {"error": "Flaky", "cause": "twice", "times": 2}}),
    );
    let args = [
        "run",
        &def,
        "--input",
        &input,
        "--mock-config",
        &mocks,
        "--echo-tasks",
    ];
    let out = stampede(&args);
    let o = outcome(&out);
    assert_eq!(o["output"]["sent"], json!({"id": 1}));
    assert!(
        stderr(&out).contains(
            "warning: test case 'C' mocks state 'Typo', which the definition does not have"
        ),
        "{}",
        stderr(&out)
    );
    // Without "times" the failure is for good: the retries run out.
    let always = temp_json(
        "inject-always.input.json",
        &json!({"__fail": {"error": "Flaky", "cause": "always"}}),
    );
    let args = [
        "run",
        &def,
        "--input",
        &always,
        "--mock-config",
        &mocks,
        "--echo-tasks",
    ];
    let o = outcome(&stampede(&args));
    assert_eq!(
        (&o["error"], &o["cause"]),
        (&json!("Flaky"), &json!("always"))
    );
    // Without a mock file, --echo-tasks serves every Task so: the first has no Retry.
    let o = outcome(&stampede(&["run", &def, "--input", &input, "--echo-tasks"]));
    assert_eq!(
        (&o["error"], &o["cause"]),
        (&json!("Flaky"), &json!("twice"))
    );
}
