//! What a Task state that no mock answers does on the server: Lambda tasks
//! call the Lambda-Invoke endpoint (`--lambda-endpoint`, `LAMBDA_ENDPOINT`),
//! every other integration fails with an error that names the way out.

use crate::lambda::Endpoint;
use stampede::handlers::{Call, Reply, TaskHandler};
use stampede::Failure;

/// Serves unmocked Task states.
#[derive(Debug, Clone)]
pub(crate) struct Integrations {
    lambda: Option<Endpoint>,
    io: tokio::runtime::Handle,
}

/// What kind of call a `Resource` is.
#[derive(Debug, PartialEq, Eq)]
enum Target<'a> {
    /// `arn:aws:states:::lambda:invoke` (the payload and function name are in the input).
    LambdaInvoke,
    /// A Lambda function ARN used directly as the resource.
    LambdaFunction(&'a str),
    /// Anything else.
    Other,
}

fn target(resource: &str) -> Target<'_> {
    if resource == "arn:aws:states:::lambda:invoke" {
        Target::LambdaInvoke
    } else if resource.starts_with("arn:aws:lambda:") {
        Target::LambdaFunction(function_name(resource))
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
    /// runs the HTTP calls.
    pub(crate) fn new(lambda: Option<Endpoint>, io: tokio::runtime::Handle) -> Integrations {
        Integrations { lambda, io }
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
                 Lambda functions only, through --lambda-endpoint): mock the state in a \
                 MockConfigFile test case (--mock-config FILE or SFN_MOCK_CONFIG, selected with \
                 stateMachineArn#TestCase)."
            ),
        ))
    }
}

impl TaskHandler for Integrations {
    fn call(&self, c: &mut Call<'_>) -> Reply {
        let resource = c.resource().to_owned();
        let (name, payload, wrap) = match target(&resource) {
            Target::Other => return Self::unsupported(&resource),
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
        // Waiting for a task token needs the engine's tokens: not a plain call.
        assert_eq!(
            target("arn:aws:states:::lambda:invoke.waitForTaskToken"),
            Target::Other
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
