//! The operations over the engine's newer parts: `SendTask*` (task
//! tokens) and TestState (execution history is `history.rs`).

use crate::app::App;
use crate::error::ApiError;
use crate::executions;
use crate::fields::Fields;
use serde_json::{json, Value};
use stampede::handlers::TokenError;
use stampede::teststate::{self, TestStateRequest};
use stampede::Failure;
use std::sync::Arc;

/// A checked task-token request.
#[derive(Debug)]
pub(crate) enum TokenRequest {
    /// `SendTaskSuccess` with its output (JSON text).
    Success {
        /// The token.
        token: String,
        /// The task's result.
        output: String,
    },
    /// `SendTaskFailure`.
    Failure {
        /// The token.
        token: String,
        /// Error name.
        error: Option<String>,
        /// Cause.
        cause: Option<String>,
    },
    /// `SendTaskHeartbeat`.
    Heartbeat {
        /// The token.
        token: String,
    },
}

/// Reads `SendTaskSuccess`, `SendTaskFailure` or `SendTaskHeartbeat`
/// (`op` is the operation's name).
///
/// # Errors
/// `ValidationException`; `InvalidOutput` for an output that is not JSON.
pub(crate) fn read_token_request(op: &str, f: &Fields) -> Result<TokenRequest, ApiError> {
    let token = f.req_str("taskToken", 1, 2048)?.to_owned();
    Ok(match op {
        "SendTaskSuccess" => {
            let output = f.req_str("output", 0, executions::MAX_INPUT)?;
            if serde_json::from_str::<serde::de::IgnoredAny>(output).is_err() {
                return Err(ApiError::new(
                    "InvalidOutput",
                    "Invalid Output: the output is not JSON",
                ));
            }
            TokenRequest::Success {
                token,
                output: output.to_owned(),
            }
        }
        "SendTaskFailure" => TokenRequest::Failure {
            token,
            error: f.str("error", 0, 256)?.map(str::to_owned),
            cause: f.str("cause", 0, 32768)?.map(str::to_owned),
        },
        _ => TokenRequest::Heartbeat { token },
    })
}

/// An engine token error as AWS answers it (400, the code as `__type`).
fn token_error(e: TokenError) -> ApiError {
    let text = e.to_string();
    let message = text
        .strip_prefix(e.code())
        .and_then(|m| m.strip_prefix(": "))
        .unwrap_or(&text);
    ApiError::new(e.code(), message)
}

/// `SendTaskSuccess` / `SendTaskFailure` / `SendTaskHeartbeat`: an
/// activity's token completes its deferred call (`activity_tasks.rs`); any
/// other goes to the engine's task tokens (`.waitForTaskToken` tasks).
///
/// # Errors
/// As [`read_token_request`]; `InvalidToken`, `TaskDoesNotExist`,
/// `TaskTimedOut` (a token already used, or of a task that timed out or
/// whose execution ended).
pub(crate) fn send_task(app: &Arc<App>, op: &str, f: Fields) -> Result<Value, ApiError> {
    let acts = &app.activity_tasks;
    match read_token_request(op, &f)? {
        TokenRequest::Success { token, output } => {
            let output: Value = serde_json::from_str(&output).map_err(|_| {
                ApiError::new("InvalidOutput", "Invalid Output: the output is not JSON")
            })?;
            match acts.take(&token) {
                Some(done) => done.map_err(token_error)?.succeed(output),
                None => app
                    .runtime
                    .send_task_success(&token, output)
                    .map_err(token_error)?,
            }
        }
        TokenRequest::Failure {
            token,
            error,
            cause,
        } => {
            let (error, cause) = (error.unwrap_or_default(), cause.unwrap_or_default());
            match acts.take(&token) {
                Some(done) => done.map_err(token_error)?.fail(Failure::new(error, cause)),
                None => app
                    .runtime
                    .send_task_failure(&token, &error, &cause)
                    .map_err(token_error)?,
            }
        }
        TokenRequest::Heartbeat { token } => match acts.heartbeat(&token) {
            Some(r) => r.map_err(token_error)?,
            None => app
                .runtime
                .send_task_heartbeat(&token)
                .map_err(token_error)?,
        },
    }
    Ok(json!({}))
}

/// `TestState`: the request checked here (sizes, JSON members), then the
/// engine's TestState (`stampede::teststate`), run off the I/O threads.
///
/// # Errors
/// `InvalidExecutionInput`, `ValidationException`, `InvalidDefinition`,
/// `ServiceCallNotSupported` (a Task state without a mock).
pub(crate) async fn test_state(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    f.req_str("definition", 1, crate::machines::MAX_DEFINITION)?;
    if let Some(r) = f.str("roleArn", 1, 256)? {
        if !r.starts_with("arn:") {
            return Err(ApiError::invalid_arn(r));
        }
    }
    for member in ["input", "variables", "context"] {
        if let Some(t) = f.str(member, 0, executions::MAX_INPUT)? {
            executions::check_json(t)?;
        }
    }
    f.str("stateName", 1, 80)?;
    f.one_of("inspectionLevel", &["INFO", "DEBUG", "TRACE"])?;
    f.bool("revealSecrets")?;
    f.object("mock")?;
    f.object("stateConfiguration")?;
    let request = f.into_value();
    app.cpu(move || {
        TestStateRequest::from_json(&request)
            .and_then(|r| teststate::test_state(&r))
            .map(|r| r.to_json())
            .map_err(|e| ApiError::new(e.kind.aws_name(), e.message))
    })
    .await?
}
