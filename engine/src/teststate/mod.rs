//! TestState: one state run alone, as AWS's `TestState` API runs it.
//!
//! The state is given alone, or found by name in a whole definition; it is
//! validated and compiled by the engine's own validator and compiler, and
//! its ops run one at a time (see `run.rs` for why). A `mock` stands in for
//! the Task's service call (or for a Map's or Parallel's children), a
//! `context` for `$$`, `variables` for the workflow variables in scope, and
//! the `stateConfiguration` sets how many retries were made already, which
//! state of a Map raised a mocked error and how many of its iterations failed.
//! The response says how the state ended (`SUCCEEDED`, `FAILED`,
//! `RETRIABLE`, `CAUGHT_ERROR`), its output and next state, and at the
//! `DEBUG` and `TRACE` levels the value after each I/O step. AWS's rules on
//! mocks hold: Map and Parallel need one; Pass, Wait, Choice, Succeed and
//! Fail take none; a Task without one would call a real AWS service, which
//! Stampede refuses ([`TestStateErrorKind::NeedsService`]). Sources: AWS's API
//! reference (`API_TestState.html`) and developer guide (`test-state-isolation.html`),
//! and 206 calls recorded against AWS (`shared/conformance/aws-teststate.jsonl`).
//!
//! ```
//! use stampede::teststate::{test_state, InspectionLevel, TestStateRequest, TestStatus};
//!
//! let req = TestStateRequest {
//!     definition: r#"{"Type":"Pass","InputPath":"$.a","ResultPath":"$.b","Next":"Done"}"#.into(),
//!     input: Some(r#"{"a":1}"#.into()),
//!     inspection_level: InspectionLevel::Debug,
//!     ..TestStateRequest::default()
//! };
//! let r = test_state(&req).expect("a response");
//! assert_eq!(r.status, TestStatus::Succeeded);
//! assert_eq!(r.output.as_deref(), Some(r#"{"a":1,"b":1}"#));
//! assert_eq!(r.next_state.as_deref(), Some("Done"));
//! assert_eq!(r.inspection_data.unwrap().after_input_path.as_deref(), Some("1"));
//! ```

mod checks;
mod error;
mod extract;
mod inspect;
mod request;
mod response;
mod run;
mod schema;

pub use error::{TestStateError, TestStateErrorKind};
pub use request::{
    FieldValidationMode, InspectionLevel, Mock, MockError, StateConfiguration, TestStateRequest,
};
pub use response::{ErrorDetails, InspectionData, TestStateResponse, TestStatus};

/// Tests one state as AWS's TestState API does.
///
/// # Errors
/// AWS's `ValidationException` or `InvalidDefinition` (with every problem of
/// an invalid definition), or [`TestStateErrorKind::NeedsService`] for a Task
/// state without a mock.
pub fn test_state(req: &TestStateRequest) -> Result<TestStateResponse, TestStateError> {
    run::test_state(req)
}

/// Tests the state a request in AWS's JSON shape describes, answering in
/// AWS's JSON shape (`{"status": …}`, or `{"exception": …, "message": …}`).
pub fn test_state_json(request: &serde_json::Value) -> serde_json::Value {
    match TestStateRequest::from_json(request).and_then(|r| test_state(&r)) {
        Ok(r) => r.to_json(),
        Err(e) => serde_json::json!({"exception": e.kind.aws_name(), "message": e.message}),
    }
}

#[cfg(test)]
mod tests;
