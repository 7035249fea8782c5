//! From `X-Amz-Target: AWSStepFunctions.<Operation>` to the handler of
//! that operation.

use crate::app::App;
use crate::error::ApiError;
use crate::fields::Fields;
use crate::{activities, executions, history, machines, pending, tags};
use serde_json::Value;
use std::sync::Arc;

/// The target prefix of the service model (`metadata.targetPrefix`).
pub(crate) const TARGET_PREFIX: &str = "AWSStepFunctions.";

/// Every operation this server answers (the rest are `UnknownOperationException`).
pub(crate) const OPERATIONS: &[&str] = &[
    "CreateStateMachine",
    "DescribeStateMachine",
    "ListStateMachines",
    "UpdateStateMachine",
    "DeleteStateMachine",
    "ValidateStateMachineDefinition",
    "StartExecution",
    "StartSyncExecution",
    "DescribeExecution",
    "ListExecutions",
    "StopExecution",
    "DescribeStateMachineForExecution",
    "GetExecutionHistory",
    "SendTaskSuccess",
    "SendTaskFailure",
    "SendTaskHeartbeat",
    "TestState",
    "CreateActivity",
    "DescribeActivity",
    "ListActivities",
    "DeleteActivity",
    "GetActivityTask",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
];

/// The operation an `X-Amz-Target` header names, if this server knows it.
///
/// # Errors
/// `UnknownOperationException` for a missing header, another prefix or an
/// operation this server does not answer.
pub(crate) fn operation(target: Option<&str>) -> Result<&'static str, ApiError> {
    let name = target.and_then(|t| t.strip_prefix(TARGET_PREFIX));
    name.and_then(|n| OPERATIONS.iter().find(|o| **o == n).copied())
        .ok_or_else(|| {
            ApiError::new(
                "UnknownOperationException",
                match target {
                    None => {
                        "Missing the X-Amz-Target header (AWSStepFunctions.<Operation>)".to_owned()
                    }
                    Some(t) => format!("Unknown operation: '{t}'"),
                },
            )
        })
}

/// A JSON answer as the bytes of its body (serialised straight into bytes:
/// `Display` would go through the formatter a piece at a time).
fn json(r: Result<Value, ApiError>) -> Result<Vec<u8>, ApiError> {
    r.map(|v| serde_json::to_vec(&v).unwrap_or_default())
}

/// Answers one request of operation `op` with body `f`: the body of the answer.
///
/// # Errors
/// The operation's errors, in AWS's shapes.
pub(crate) async fn dispatch(
    app: &Arc<App>,
    op: &'static str,
    f: Fields,
) -> Result<Vec<u8>, ApiError> {
    match op {
        "CreateStateMachine" => json(machines::create(app, f).await),
        "DescribeStateMachine" => json(machines::describe(app, f)),
        "ListStateMachines" => json(machines::list(app, f)),
        "UpdateStateMachine" => json(machines::update(app, f).await),
        "DeleteStateMachine" => json(machines::delete(app, f)),
        "ValidateStateMachineDefinition" => json(machines::validate(app, f).await),
        "StartExecution" => json(executions::start(app, f).await),
        "StartSyncExecution" => executions::start_sync(app, f).await,
        "DescribeExecution" => json(executions::describe(app, f)),
        "ListExecutions" => json(executions::list(app, f)),
        "StopExecution" => json(executions::stop(app, f)),
        "DescribeStateMachineForExecution" => json(executions::machine_for_execution(app, f)),
        "GetExecutionHistory" => json(history::history(app, f)),
        "SendTaskSuccess" | "SendTaskFailure" | "SendTaskHeartbeat" => {
            json(pending::send_task(app, op, f))
        }
        "TestState" => json(pending::test_state(app, f).await),
        "CreateActivity" => json(activities::create(app, f)),
        "DescribeActivity" => json(activities::describe(app, f)),
        "ListActivities" => json(activities::list(app, f)),
        "DeleteActivity" => json(activities::delete(app, f)),
        "GetActivityTask" => json(activities::get_task(app, f).await),
        "TagResource" => json(tags::tag(app, f)),
        "UntagResource" => json(tags::untag(app, f)),
        "ListTagsForResource" => json(tags::list(app, f)),
        _ => Err(ApiError::new(
            "UnknownOperationException",
            format!("Unknown operation: '{op}'"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_name_operations() {
        assert_eq!(
            operation(Some("AWSStepFunctions.StartExecution")).unwrap(),
            "StartExecution"
        );
        for bad in [
            None,
            Some("StartExecution"),
            Some("AWSStepFunctions.Nope"),
            Some("AWSStepFunctions."),
        ] {
            assert_eq!(
                operation(bad).unwrap_err().kind,
                "UnknownOperationException"
            );
        }
    }
}
