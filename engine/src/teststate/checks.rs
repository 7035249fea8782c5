//! AWS's rules on what a TestState request may hold for the state it tests:
//! which states take a mock and which need one, what a mocked result must
//! look like, and what a given context object may contain. Each message is AWS's.

use super::error::TestStateError;
use super::request::TestStateRequest;
use serde_json::Value;

/// The state types TestState runs without a mock.
const NO_MOCK_TYPES: &str = "[Task, Wait, Pass, Succeed, Fail, Choice]";

/// Checks the request against the state (`Type` and fields as written).
///
/// # Errors
/// AWS's `ValidationException` or `InvalidDefinition`, the first rule broken.
pub(crate) fn check(req: &TestStateRequest, state: &Value) -> Result<(), TestStateError> {
    let ty = state.get("Type").and_then(Value::as_str).unwrap_or("");
    let cfg = &req.state_configuration;
    if let Some(m) = &req.mock {
        if m.result.is_some() && m.error_output.is_some() {
            return Err(TestStateError::validation(
                "A test mock should have only one of the following fields: [result, errorOutput].",
            ));
        }
        if req.reveal_secrets {
            return Err(TestStateError::validation(
                "TestState does not support RevealSecrets when a mock is specified.",
            ));
        }
        if !matches!(ty, "Task" | "Map" | "Parallel") {
            return Err(TestStateError::validation(&format!(
                "State type '{ty}' is not supported when a mock is specified"
            )));
        }
    } else {
        if cfg.map_iteration_failure_count.is_some() {
            return Err(TestStateError::validation(
                "TestState does not support MapIterationFailureCount when a mock is not specified.",
            ));
        }
        if matches!(ty, "Map" | "Parallel") {
            return Err(TestStateError::invalid_definition(&format!(
                "TestState API does not support Map or Parallel states. Supported state types include: {NO_MOCK_TYPES}"
            )));
        }
        if ty == "Task" {
            if req.role_arn.is_none() {
                return Err(TestStateError::validation(
                    "RoleArn must be specified when testing a Task state",
                ));
            }
            return Err(TestStateError {
                kind: super::TestStateErrorKind::NeedsService,
                message: "Stampede does not call AWS services: give a mock for the Task state"
                    .into(),
                diagnostics: Default::default(),
            });
        }
    }
    if let Some(c) = &req.context {
        context(c, state)?;
    }
    Ok(())
}

/// The mocked result, parsed and checked against the state: an array for
/// a Map (an object when it has a `ResultWriter`) or a Parallel (one item per branch).
///
/// # Errors
/// AWS's `ValidationException`.
pub(crate) fn mock_result(
    req: &TestStateRequest,
    state: &Value,
    text: &str,
) -> Result<Value, TestStateError> {
    let v: Value = serde_json::from_str(text)
        .map_err(|_| TestStateError::validation("Mocked result must be valid JSON"))?;
    match state.get("Type").and_then(Value::as_str) {
        Some("Map") if state.get("ResultWriter").is_some() && !v.is_object() => {
            return Err(TestStateError::validation(
                "Mocked result must be a JSON object.",
            ));
        }
        Some("Map") if state.get("ResultWriter").is_some() => {}
        Some("Map") => {
            let items = v
                .as_array()
                .ok_or_else(|| TestStateError::validation("Mocked result must be an array."))?;
            let failed = req.state_configuration.map_iteration_failure_count;
            if failed.is_some_and(|n| n as usize > items.len()) {
                return Err(TestStateError::validation(
                    "Map iteration failure count must be less than or equal to the number of Map iterations",
                ));
            }
        }
        Some("Parallel") => {
            let items = v
                .as_array()
                .ok_or_else(|| TestStateError::validation("Mocked result must be an array."))?;
            let branches = state
                .get("Branches")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            if items.len() != branches {
                return Err(TestStateError::validation(
                    "Mocked result must contain the same number of items as number of Parallel branches.",
                ));
            }
        }
        _ => {}
    }
    Ok(v)
}

/// The fields a context object may give, with their types.
const CONTEXT_FIELDS: &[(&str, &[(&str, Kind)])] = &[
    (
        "Execution",
        &[
            ("Id", Kind::Str),
            ("Input", Kind::Any),
            ("Name", Kind::Str),
            ("RoleArn", Kind::Str),
            ("StartTime", Kind::Str),
            ("RedriveCount", Kind::Int),
            ("RedriveTime", Kind::Str),
        ],
    ),
    (
        "State",
        &[
            ("EnteredTime", Kind::Str),
            ("Name", Kind::Str),
            ("RetryCount", Kind::Int),
        ],
    ),
    ("StateMachine", &[("Id", Kind::Str), ("Name", Kind::Str)]),
    ("Task", &[("Token", Kind::Str)]),
];

#[derive(Clone, Copy)]
enum Kind {
    Str,
    Int,
    Any,
}

fn context(text: &str, state: &Value) -> Result<(), TestStateError> {
    let bad =
        |m: &str| TestStateError::validation(&format!("Invalid Context object provided: {m}"));
    let v: Value = serde_json::from_str(text).map_err(|_| bad("it must be valid JSON"))?;
    let obj = v
        .as_object()
        .ok_or_else(|| bad("it must be a JSON object"))?;
    for (k, val) in obj {
        if k == "Map" {
            return Err(bad(
                "'Map' field is not supported when mocking a Context object",
            ));
        }
        let Some((_, fields)) = CONTEXT_FIELDS.iter().find(|(n, _)| n == k) else {
            return Err(bad(&format!("Field '{k}' is not allowed")));
        };
        let inner = val
            .as_object()
            .ok_or_else(|| bad(&format!("{k} must be an object")))?;
        for (f, fv) in inner {
            let Some((_, kind)) = fields.iter().find(|(n, _)| n == f) else {
                return Err(bad(&format!("Field '{f}' is not allowed")));
            };
            let ok = match kind {
                Kind::Str => fv.is_string(),
                Kind::Int => fv.is_u64(),
                Kind::Any => true,
            };
            if !ok {
                let what = if matches!(kind, Kind::Str) {
                    "a string"
                } else {
                    "an integer"
                };
                return Err(bad(&format!("{k}.{f} must be {what}")));
            }
        }
    }
    if obj.contains_key("Task") && !waits_for_task(state) {
        return Err(bad(
            "Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern",
        ));
    }
    Ok(())
}

/// A Task state whose resource ends in `.sync` (`.sync:2`) or `.waitForTaskToken`.
fn waits_for_task(state: &Value) -> bool {
    let r = state.get("Resource").and_then(Value::as_str).unwrap_or("");
    state.get("Type").and_then(Value::as_str) == Some("Task")
        && (r.ends_with(".waitForTaskToken") || r.contains(".sync"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::teststate::Mock;
    use serde_json::json;

    fn req(mock: Option<Mock>) -> TestStateRequest {
        TestStateRequest {
            mock,
            ..TestStateRequest::default()
        }
    }

    #[test]
    fn pass_takes_no_mock_and_map_needs_one() {
        let m = Mock {
            result: Some("{}".into()),
            ..Mock::default()
        };
        let e = check(&req(Some(m)), &json!({"Type": "Pass"})).unwrap_err();
        assert_eq!(
            e.message,
            "State type 'Pass' is not supported when a mock is specified"
        );
        let e = check(&req(None), &json!({"Type": "Map"})).unwrap_err();
        assert_eq!(e.kind, super::super::TestStateErrorKind::InvalidDefinition);
        let e = check(&req(None), &json!({"Type": "Task"})).unwrap_err();
        assert_eq!(
            e.message,
            "RoleArn must be specified when testing a Task state"
        );
    }

    #[test]
    fn a_context_gives_only_known_fields() {
        let task = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke"});
        assert!(context(
            r#"{"Execution":{"Id":"x"},"State":{"RetryCount":0}}"#,
            &task
        )
        .is_ok());
        let e = context(r#"{"Execution":{"Id":1}}"#, &task).unwrap_err();
        assert_eq!(
            e.message,
            "Invalid Context object provided: Execution.Id must be a string"
        );
        let e = context(r#"{"Task":{"Token":"t"}}"#, &task).unwrap_err();
        assert!(e.message.contains("'.waitForTaskToken'"), "{}", e.message);
        let wait = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken"});
        assert!(context(r#"{"Task":{"Token":"t"}}"#, &wait).is_ok());
    }

    #[test]
    fn a_parallel_mock_has_one_item_per_branch() {
        let par = json!({"Type": "Parallel", "Branches": [{}, {}]});
        assert!(mock_result(&req(None), &par, "[1, 2]").is_ok());
        let e = mock_result(&req(None), &par, "[1]").unwrap_err();
        assert!(e.message.contains("number of Parallel branches"));
        let e = mock_result(&req(None), &par, "nope").unwrap_err();
        assert_eq!(e.message, "Mocked result must be valid JSON");
    }
}
