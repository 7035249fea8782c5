//! TestState on requests the AWS corpus does not cover: JSONPath Map items
//! and tolerance, Parallel mocks, variables after `Assign`, Choice with
//! `And`, a Wait that does not wait, and the `NeedsService` refusal.

use super::*;

fn req(definition: &str, input: &str) -> TestStateRequest {
    TestStateRequest {
        definition: definition.into(),
        input: Some(input.into()),
        inspection_level: InspectionLevel::Debug,
        ..TestStateRequest::default()
    }
}

fn mocked(mut r: TestStateRequest, result: &str) -> TestStateRequest {
    r.mock = Some(Mock {
        result: Some(result.into()),
        ..Mock::default()
    });
    r
}

#[test]
fn a_jsonpath_map_shows_its_items_and_applies_result_path() {
    let r = mocked(
        req(
            r#"{"Type":"Map","ItemsPath":"$.xs","MaxConcurrency":2,"ToleratedFailurePercentage":50,
                "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},
                "ResultPath":"$.ys","End":true}"#,
            r#"{"xs":[1,2]}"#,
        ),
        "[10, 20]",
    );
    let out = test_state(&r).unwrap();
    assert_eq!(out.status, TestStatus::Succeeded);
    assert_eq!(out.output.as_deref(), Some(r#"{"xs":[1,2],"ys":[10,20]}"#));
    let d = out.inspection_data.unwrap();
    assert_eq!(d.after_items_path.as_deref(), Some("[1,2]"));
    assert_eq!(
        (d.max_concurrency, d.tolerated_failure_percentage),
        (Some(2), Some(50.0))
    );
    let mut over = r.clone();
    over.state_configuration.map_iteration_failure_count = Some(2);
    let e = test_state(&over).unwrap();
    assert_eq!(e.status, TestStatus::Failed);
    assert_eq!(
        e.error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
}

#[test]
fn variables_after_assign_and_a_choice_with_and() {
    let r = req(
        r#"{"Type":"Pass","Assign":{"seen.$":"$.n"},"Next":"N"}"#,
        r#"{"n":3}"#,
    );
    let d = test_state(&r).unwrap().inspection_data.unwrap();
    assert_eq!(d.variables.as_deref(), Some(r#"{"seen":3}"#));
    let c = req(
        r#"{"Type":"Choice","Choices":[{"And":[{"Variable":"$.n","NumericGreaterThan":1},
            {"Variable":"$.n","NumericLessThan":5}],"Next":"Mid"}],"Default":"Other"}"#,
        r#"{"n":3}"#,
    );
    assert_eq!(test_state(&c).unwrap().next_state.as_deref(), Some("Mid"));
    let c = TestStateRequest {
        input: Some(r#"{"n":9}"#.into()),
        ..c
    };
    assert_eq!(test_state(&c).unwrap().next_state.as_deref(), Some("Other"));
}

#[test]
fn a_wait_does_not_wait_and_a_runtime_error_fails() {
    let w = req(r#"{"Type":"Wait","Seconds":86400,"Next":"N"}"#, "{}");
    assert_eq!(test_state(&w).unwrap().next_state.as_deref(), Some("N"));
    let p = req(
        r#"{"Type":"Pass","InputPath":"$.missing","End":true}"#,
        "{}",
    );
    let out = test_state(&p).unwrap();
    assert_eq!(out.status, TestStatus::Failed);
    assert_eq!(out.error.as_deref(), Some("States.Runtime"));
}

#[test]
fn a_parallel_mock_is_its_result_and_a_task_needs_a_mock() {
    let r = mocked(
        req(
            r#"{"Type":"Parallel","ResultSelector":{"first.$":"$[0]"},"End":true,"Branches":[
                {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
                {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}"#,
            "{}",
        ),
        r#"[{"a":1},{"b":2}]"#,
    );
    assert_eq!(
        test_state(&r).unwrap().output.as_deref(),
        Some(r#"{"first":{"a":1}}"#)
    );
    let t = TestStateRequest {
        role_arn: Some("arn:aws:iam::1:role/r".into()),
        ..req(
            r#"{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}"#,
            "{}",
        )
    };
    assert_eq!(
        test_state(&t).unwrap_err().kind,
        TestStateErrorKind::NeedsService
    );
}

#[test]
fn the_json_entry_point_answers_in_the_api_shape() {
    let out = test_state_json(&serde_json::json!({
        "definition": {"Type": "Succeed"}, "input": "[1]", "inspectionLevel": "INFO"}));
    assert_eq!(
        out,
        serde_json::json!({"status": "SUCCEEDED", "output": "[1]"})
    );
    let err = test_state_json(
        &serde_json::json!({"definition": {"Type": "Pass", "End": true},
        "mock": {"result": "{}"}}),
    );
    assert_eq!(err["exception"], "ValidationException");
}

#[test]
fn a_single_state_without_next_or_end_is_reported_at_the_state_only() {
    let e = test_state(&req(r#"{"Type":"Pass"}"#, "{}")).unwrap_err();
    assert_eq!(e.kind, TestStateErrorKind::InvalidDefinition);
    assert_eq!(
        e.message,
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [Next or End] at /States/StateName'"
    );
}
