//! The operations whose engine parts are being built elsewhere
//! (execution history, task tokens; TestState has landed and is wired
//! here): each request is read and
//! checked here as the service model states it, into a typed request, and
//! the one line that answers it is the seam where the engine call goes.
//! Until then they answer a clear `UnsupportedOperation` error, never a
//! made-up result.

// The typed requests are the seam: their members are read once the engine
// parts are wired in (history, tokens and TestState land from other branches).
#![allow(dead_code)]

use crate::app::App;
use crate::error::ApiError;
use crate::executions;
use crate::fields::Fields;
use serde_json::Value;
use stampede::teststate::{self, TestStateRequest};
use std::sync::Arc;

/// A checked `GetExecutionHistory` request.
#[derive(Debug)]
pub(crate) struct HistoryRequest {
    /// The execution (known to exist).
    pub(crate) execution_arn: String,
    /// Page size (1–1000).
    pub(crate) max_results: usize,
    /// Newest first.
    pub(crate) reverse_order: bool,
    /// Where the previous page ended, as the token held it.
    pub(crate) next_token: Option<String>,
    /// Include inputs and outputs (default true).
    pub(crate) include_execution_data: bool,
}

/// `GetExecutionHistory`.
///
/// # Errors
/// `InvalidArn`, `ExecutionDoesNotExist`, `InvalidToken`,
/// `ValidationException`; then not yet supported.
pub(crate) fn history(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let arn = executions::execution_arn(&f)?;
    if app.store.with_execution(arn, |_| ()).is_none() {
        return Err(executions::does_not_exist(arn));
    }
    let req = HistoryRequest {
        execution_arn: arn.to_owned(),
        max_results: crate::paging::page_size(&f)?,
        reverse_order: f.bool("reverseOrder")?.unwrap_or(false),
        next_token: crate::paging::position(&f, "history", 1024)?,
        include_execution_data: f.bool("includeExecutionData")?.unwrap_or(true),
    };
    let _ = req;
    Err(ApiError::not_yet(
        "GetExecutionHistory",
        "history events are not recorded by the engine in this build",
    ))
}

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

/// `SendTaskSuccess` / `SendTaskFailure` / `SendTaskHeartbeat`.
///
/// # Errors
/// As [`read_token_request`]; then not yet supported.
pub(crate) fn send_task(_app: &Arc<App>, op: &str, f: Fields) -> Result<Value, ApiError> {
    let req = read_token_request(op, &f)?;
    let _ = req;
    Err(ApiError::not_yet(
        op,
        "task tokens are not issued by the engine in this build",
    ))
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
