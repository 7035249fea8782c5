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
    ("test_state/TestStateCaseScenarios::test_base_lambda_service_task_state[DEBUG]", "invokes a real Lambda function (no mock)"),
    ("test_state/TestStateCaseScenarios::test_base_lambda_service_task_state[INFO]", "invokes a real Lambda function (no mock)"),
    ("test_state/TestStateCaseScenarios::test_base_lambda_service_task_state[TRACE]", "invokes a real Lambda function (no mock)"),
    ("test_state/TestStateCaseScenarios::test_base_lambda_task_state[DEBUG]", "invokes a real Lambda function (no mock)"),
    ("test_state/TestStateCaseScenarios::test_base_lambda_task_state[INFO]", "invokes a real Lambda function (no mock)"),
    ("test_state/TestStateCaseScenarios::test_base_lambda_task_state[TRACE]", "invokes a real Lambda function (no mock)"),
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
            if let Some(parsed) = x.as_str().and_then(|s| serde_json::from_str::<Value>(s).ok()) {
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
    TestStateRequest::from_json(&serde_json::from_str(&text).unwrap()).expect("a well-formed request")
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
