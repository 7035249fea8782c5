//! What a Task state that no mock answers does on the server: Lambda tasks
//! call the Lambda-Invoke endpoint (`--lambda-endpoint`, `LAMBDA_ENDPOINT`);
//! `states:startExecution` tasks start nested executions on this server
//! (`nested.rs`); an activity's tasks are queued for its workers (`GetActivityTask`); a
//! `.waitForTaskToken` task of a service the server does not call (SQS, SNS,
//! …, or Lambda with no endpoint) is taken as sent, so the execution waits
//! for its token (`SendTaskSuccess`/`Failure`/`Heartbeat`, or its
//! `HeartbeatSeconds`/`TimeoutSeconds`): that is how callbacks are tested
//! locally. Every other integration fails with an error that names the way out.

use crate::activity_tasks::ActivityTasks;
use crate::lambda::Endpoint;
use crate::nested::{Children, Late, Pattern};
use crate::store::Store;
use stampede::handlers::{Call, Reply, TaskHandler};
use stampede::Failure;
use std::sync::Arc;

/// Serves unmocked Task states.
#[derive(Debug, Clone)]
pub(crate) struct Integrations {
    lambda: Option<Endpoint>,
    io: tokio::runtime::Handle,
    store: Arc<Store>,
    activities: ActivityTasks,
    children: Late,
}

/// What kind of call a `Resource` is.
#[derive(Debug, PartialEq, Eq)]
enum Target<'a> {
    /// `arn:aws:states:::lambda:invoke` (the payload and function name are in the input).
    LambdaInvoke,
    /// A Lambda function ARN used directly as the resource.
    LambdaFunction(&'a str),
    /// An activity (`arn:aws:states:R:A:activity:NAME`).
    Activity,
    /// Anything else.
    Other,
}

fn target(resource: &str) -> Target<'_> {
    if resource == "arn:aws:states:::lambda:invoke" {
        Target::LambdaInvoke
    } else if resource.starts_with("arn:aws:lambda:") {
        Target::LambdaFunction(function_name(resource))
    } else if resource.starts_with("arn:aws:states:") && resource.contains(":activity:") {
        Target::Activity
    } else {
        Target::Other
    }
}

/// The function name in a name, a partial ARN or a full ARN
/// (`arn:aws:lambda:R:A:function:NAME[:QUALIFIER]`, `A:function:NAME`).
fn function_name(s: &str) -> &str {
    match s.split_once("function:") {
        Some((_, rest)) => rest.split(':').next().unwrap_or(rest),
        None => s,
    }
}

impl Integrations {
    /// Unmocked tasks with `lambda` as the Lambda endpoint (if any); `io`
    /// runs the HTTP calls; activity tasks go to `activities` (the
    /// activities of `store`).
    pub(crate) fn new(
        lambda: Option<Endpoint>,
        io: tokio::runtime::Handle,
        store: Arc<Store>,
        activities: ActivityTasks,
    ) -> Integrations {
        Integrations {
            lambda,
            io,
            store,
            activities,
            children: Late::default(),
        }
    }

    /// Gives the nested-execution tasks their starter (the server's state,
    /// which exists only after these handlers: hence weak, and late).
    pub(crate) fn bind_children(&self, children: std::sync::Weak<dyn Children>) {
        self.children.bind(children);
    }

    /// Queues the call for the activity's workers.
    fn activity(&self, c: &mut Call<'_>, arn: &str) -> Reply {
        if self.store.activity(arn).is_none() {
            return Reply::Error(Failure::new(
                "States.TaskFailed",
                format!(
                    "The Task's resource {arn} is an activity this stampede server does not \
                     have: create it with CreateActivity before starting the execution."
                ),
            ));
        }
        let input = c.input_json().to_string();
        if let Err(done) = self.activities.enqueue(arn, input, c.defer()) {
            done.fail(Failure::new(
                "States.TaskFailed",
                "Too many activity tasks are waiting for workers on this stampede server.",
            ));
        }
        Reply::Pending
    }

    #[cold]
    fn no_endpoint(resource: &str) -> Reply {
        Reply::Error(Failure::new(
            "States.TaskFailed",
            format!(
                "The Task's resource {resource} is a Lambda function and this stampede server has \
                 no Lambda endpoint: start it with --lambda-endpoint URL (or LAMBDA_ENDPOINT=URL), \
                 e.g. the one of `sam local start-lambda`, or mock the state in a MockConfigFile \
                 test case (--mock-config FILE or SFN_MOCK_CONFIG, selected with stateMachineArn#TestCase)."
            ),
        ))
    }

    #[cold]
    fn unsupported(resource: &str) -> Reply {
        Reply::Error(Failure::new(
            "States.TaskFailed",
            format!(
                "The Task's resource {resource} is not called by this stampede server (it calls \
                 Lambda functions, through --lambda-endpoint, and starts nested executions of \
                 its own state machines): mock the state in a \
                 MockConfigFile test case (--mock-config FILE or SFN_MOCK_CONFIG, selected with \
                 stateMachineArn#TestCase)."
            ),
        ))
    }
}

impl TaskHandler for Integrations {
    fn call(&self, c: &mut Call<'_>) -> Reply {
        if let Some(p) = Pattern::of(c.resource()) {
            return self.children.call(&self.io, c, p);
        }
        let resource = c.resource().to_owned();
        // A `.waitForTaskToken` task waits for its token; the call only sends it.
        let callback = c.task_token().is_some();
        let base = resource
            .strip_suffix(".waitForTaskToken")
            .unwrap_or(&resource);
        let t = target(base);
        if t == Target::Activity {
            return self.activity(c, base);
        }
        if callback && (matches!(t, Target::Other) || self.lambda.is_none()) {
            // Taken as sent: whoever holds the token completes the task.
            return Reply::Json(serde_json::json!({}));
        }
        let (name, payload, wrap) = match t {
            Target::Activity | Target::Other => return Self::unsupported(&resource),
            _ if self.lambda.is_none() => return Self::no_endpoint(&resource),
            Target::LambdaFunction(name) => (name.to_owned(), c.input_json(), false),
            Target::LambdaInvoke => {
                let input = c.input_json();
                let Some(name) = input.get("FunctionName").and_then(|v| v.as_str()) else {
                    return Reply::Error(Failure::new(
                        "States.Runtime",
                        "The lambda:invoke parameters have no string FunctionName.",
                    ));
                };
                let name = function_name(name).to_owned();
                let payload = input
                    .get("Payload")
                    .cloned()
                    .unwrap_or(serde_json::json!({}));
                (name, payload, true)
            }
        };
        let Some(endpoint) = self.lambda.clone() else {
            return Self::no_endpoint(&resource);
        };
        let done = c.defer();
        self.io.spawn(async move {
            let result = endpoint.invoke(&name, &payload.to_string()).await;
            done.complete(result.map(|v| if wrap { invoke_result(v) } else { v }));
        });
        Reply::Pending
    }
}

/// What `arn:aws:states:::lambda:invoke` returns: the response's metadata
/// around the function's payload (AWS's shape, headers left out).
fn invoke_result(payload: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "ExecutedVersion": "$LATEST",
        "Payload": payload,
        "StatusCode": 200,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_are_told_apart() {
        assert_eq!(
            target("arn:aws:states:::lambda:invoke"),
            Target::LambdaInvoke
        );
        // The pattern is stripped before: the suffixed resource is no plain call.
        assert_eq!(
            target("arn:aws:states:::lambda:invoke.waitForTaskToken"),
            Target::Other
        );
        assert_eq!(
            target("arn:aws:states:us-east-1:123456789012:activity:Work"),
            Target::Activity
        );
        assert_eq!(
            target("arn:aws:lambda:us-east-1:123456789012:function:Charge:live"),
            Target::LambdaFunction("Charge")
        );
        assert_eq!(target("arn:aws:states:::dynamodb:putItem"), Target::Other);
        assert_eq!(function_name("Charge"), "Charge");
        assert_eq!(function_name("123:function:Charge"), "Charge");
    }
}
