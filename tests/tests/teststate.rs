//! TestState against AWS: every call of `shared/conformance/aws-teststate.jsonl`
//! that needs no real service is run through `stampede::teststate`, and the
//! response compared with AWS's by the corpus README's rules (JSON values,
//! placeholders match any text at their place). AWS sends `output` and the
//! `inspectionData` values as JSON text; the recorder decoded those that
//! began with `{`, so both sides are decoded before comparing.

use serde_json::{json, Value};
use stampede::teststate::{test_state, TestStateErrorKind, TestStateRequest};
use stampede_tests::compare::{json_diff, Placeholders};
use stampede_tests::locate::conformance_dir;

/// Calls that invoke a real service without a mock; Stampede refuses them
/// (`NeedsService`), which the test checks instead of AWS's response.
const SKIPS: &[(&str, &str)] = &[
    (
        "test_state/TestStateCaseScenarios::test_base_lambda_service_task_state[DEBUG]",
        "invokes a real Lambda function (no mock)",
    ),
    (
        "test_state/TestStateCaseScenarios::test_base_lambda_service_task_state[INFO]",
        "invokes a real Lambda function (no mock)",
    ),
    (
        "test_state/TestStateCaseScenarios::test_base_lambda_service_task_state[TRACE]",
        "invokes a real Lambda function (no mock)",
    ),
    (
        "test_state/TestStateCaseScenarios::test_base_lambda_task_state[DEBUG]",
        "invokes a real Lambda function (no mock)",
    ),
    (
        "test_state/TestStateCaseScenarios::test_base_lambda_task_state[INFO]",
        "invokes a real Lambda function (no mock)",
    ),
    (
        "test_state/TestStateCaseScenarios::test_base_lambda_task_state[TRACE]",
        "invokes a real Lambda function (no mock)",
    ),
];

/// The role the recorded tests passed for a mocked Task, Map or Parallel
/// (AWS quotes it in `$$.Execution.RoleArn`); the recorder left `roleArn`
/// out of the requests, so it is put back here. Its name is a placeholder
/// (`<resource:2>`) in every expected value that shows it.
const ROLE_ARN: &str = "arn:aws:iam::111111111111:role/stampede-teststate";

/// A stand-in the recorder left in the requests of the Step Functions
/// cases for the ARN the test put there (the expected output shows it).
const FIXTURE: (&str, &str) = (
    "stepfunctions_standard_execution_arn()",
    "arn:aws:states:us-east-1:111111111111:execution:TargetStateMachine:TestStartTarget",
);

/// The text fields of a response that hold JSON text.
const TEXT_FIELDS: &[&str] = &["output"];
const INSPECTION_TEXT_FIELDS: &[&str] = &[
    "input",
    "afterInputPath",
    "afterParameters",
    "afterArguments",
    "afterItemsPath",
    "result",
    "afterResultSelector",
    "afterResultPath",
    "variables",
];

fn decode(v: &mut Value, fields: &[&str]) {
    for f in fields {
        if let Some(x) = v.get_mut(*f) {
            if let Some(parsed) = x
                .as_str()
                .and_then(|s| serde_json::from_str::<Value>(s).ok())
            {
                *x = parsed;
            }
        }
    }
}

fn normalized(mut v: Value) -> Value {
    decode(&mut v, TEXT_FIELDS);
    if let Some(d) = v.get_mut("inspectionData") {
        decode(d, INSPECTION_TEXT_FIELDS);
    }
    v
}

fn request(case: &Value, real_call: bool) -> TestStateRequest {
    let mut req = case["request"].clone();
    let ty = tested_type(&req);
    let role = req.get("mock").is_some() || real_call;
    if role && matches!(ty.as_str(), "Task" | "Map" | "Parallel") {
        req["roleArn"] = json!(ROLE_ARN);
    }
    let text = req.to_string().replace(FIXTURE.0, FIXTURE.1);
    TestStateRequest::from_json(&serde_json::from_str(&text).unwrap())
        .expect("a well-formed request")
}

/// The `Type` of the state the request tests.
fn tested_type(req: &Value) -> String {
    let def = &req["definition"];
    let Some(name) = req["stateName"].as_str() else {
        return def["Type"].as_str().unwrap_or("").to_owned();
    };
    fn find<'a>(m: &'a Value, name: &str) -> Option<&'a Value> {
        let states = m.get("States")?.as_object()?;
        states.get(name).or_else(|| {
            states.values().find_map(|s| {
                s.get("ItemProcessor")
                    .and_then(|p| find(p, name))
                    .or_else(|| s["Branches"].as_array()?.iter().find_map(|b| find(b, name)))
            })
        })
    }
    find(def, name)
        .and_then(|s| s["Type"].as_str())
        .unwrap_or("")
        .to_owned()
}

fn actual(req: &TestStateRequest) -> Value {
    match test_state(req) {
        Ok(r) => normalized(r.to_json()),
        Err(e) => json!({"exception": e.kind.aws_name(), "message": e.message}),
    }
}

fn expected(case: &Value) -> Value {
    let mut e = case["expected"].clone();
    if let Some(o) = e.as_object_mut() {
        o.remove("output_parsed");
    }
    normalized(e)
}

#[test]
fn teststate_matches_aws() {
    let file = conformance_dir()
        .expect("shared/conformance")
        .join("aws-teststate.jsonl");
    let text = std::fs::read_to_string(&file).expect("the TestState corpus");
    let (mut passed, mut failed, mut skipped) = (0, Vec::new(), 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).unwrap();
        let name = case["name"].as_str().unwrap();
        let skip = SKIPS.iter().find(|(n, _)| *n == name);
        let req = request(&case, skip.is_some());
        if let Some((_, why)) = skip {
            let e = test_state(&req).expect_err(why);
            assert_eq!(e.kind, TestStateErrorKind::NeedsService, "{name}");
            skipped += 1;
            continue;
        }
        let ph = Placeholders::new(
            case["placeholders_in_expected"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str),
        );
        let (want, got) = (expected(&case), actual(&req));
        match json_diff(&want, &got, &ph) {
            None => passed += 1,
            Some(d) => failed.push(format!("{name}: {d}\n    got {got}")),
        }
    }
    println!(
        "teststate: {passed} passed, {} failed, {skipped} skipped",
        failed.len()
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert_eq!(skipped, SKIPS.len());
}

/// `stampede test-state` end to end: a mocked Task's response with its
/// inspection data (exit 0), a mocked error a catcher takes, a retrier
/// that would run again, and refusals with exit 2 (a mock that does not fit
/// the API, an invalid definition with every problem on stderr).
#[test]
fn cli_test_state_end_to_end() {
    use stampede_tests::locate::stampede_bin;
    use std::process::Command;
    let dir = std::env::temp_dir().join(format!("stampede-teststate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let def = dir.join("task.json");
    std::fs::write(
        &def,
        json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f", "Payload.$": "$"},
            "ResultSelector": {"body.$": "$.Payload"}, "ResultPath": "$.out",
            "Retry": [{"ErrorEquals": ["Throttled"], "IntervalSeconds": 2, "MaxAttempts": 3}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Recover"}],
            "Next": "Done"})
        .to_string(),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let out = Command::new(stampede_bin())
            .arg("test-state")
            .arg(&def)
            .args(["--input", r#"{"id":7}"#])
            .args(extra)
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        (out.status.code(), stdout, stderr)
    };
    let (code, out, _) = run(&[
        "--mock",
        r#"{"result": {"Payload": {"ok": true}, "StatusCode": 200}}"#,
        "--inspection-level",
        "DEBUG",
    ]);
    assert_eq!(code, Some(0));
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["status"], "SUCCEEDED");
    assert_eq!(r["nextState"], "Done");
    assert_eq!(r["output"], json!(r#"{"id":7,"out":{"body":{"ok":true}}}"#));
    assert_eq!(
        r["inspectionData"]["afterParameters"],
        json!(r#"{"FunctionName":"f","Payload":{"id":7}}"#)
    );
    assert_eq!(
        r["inspectionData"]["afterResultSelector"],
        json!(r#"{"body":{"ok":true}}"#)
    );

    let (code, out, _) = run(&[
        "--mock",
        r#"{"errorOutput": {"error": "Throttled", "cause": "slow down"}}"#,
        "--state-configuration",
        r#"{"retrierRetryCount": 1}"#,
        "--inspection-level",
        "TRACE",
    ]);
    assert_eq!(code, Some(0));
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["status"], "RETRIABLE");
    assert_eq!(
        r["inspectionData"]["errorDetails"],
        json!({"retryIndex": 0, "retryBackoffIntervalSeconds": 4})
    );

    let (code, out, _) = run(&[
        "--mock",
        r#"{"errorOutput": {"error": "Other", "cause": "c"}}"#,
    ]);
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (code, r["status"].as_str()),
        (Some(0), Some("CAUGHT_ERROR"))
    );
    assert_eq!(r["nextState"], "Recover");
    assert_eq!(
        r["output"],
        json!(r#"{"id":7,"err":{"Error":"Other","Cause":"c"}}"#)
    );
    assert!(
        r.get("inspectionData").is_none(),
        "INFO shows no inspection data"
    );

    let (code, out, err) = run(&["--mock", r#"{"result": {"StatusCode": "200"}}"#]);
    assert_eq!((code, out.as_str()), (Some(2), ""));
    assert!(err.contains("Field 'StatusCode' must be a number"), "{err}");

    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"StartAt":"A","States":{"A":{"Type":"Nope","End":true},"B":{"Type":"Pass","Next":"Z"}}}"#,
    )
    .unwrap();
    let out = Command::new(stampede_bin())
        .args(["test-state", bad.to_str().unwrap(), "--state-name", "A"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("/States/A/Type: SCHEMA_VALIDATION_FAILED"),
        "{err}"
    );
    assert!(
        err.contains("/States/B/Next: MISSING_TRANSITION_TARGET"),
        "{err}"
    );
}
