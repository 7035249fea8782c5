//! Mocked Task states from a mock file in AWS's `MockConfigFile.json`
//! format, unchanged: Step Functions Local's format, which LocalStack
//! copied and users keep in their repositories.
//!
//! ```json
//! {"StateMachines": {"Order": {"TestCases": {"HappyPath": {"Charge": "ChargeOk"}}}},
//!  "MockedResponses": {"ChargeOk": {"0": {"Throw": {"Error": "Busy", "Cause": "try again"}},
//!                                   "1-2": {"Return": {"charged": true}, "Latency": 250}}}}
//! ```
//!
//! AWS's reference is
//! <https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html>
//! (with <https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-test-sm-exec.html>).
//! What it settles, and what Stampede does:
//!
//! - keys are invocation numbers (`"0"`) or inclusive ranges (`"1-3"`) of a
//!   state's invocations; "you must specify a mocked response for every
//!   invocation … If you do not specify a mocked response, the state
//!   machine execution will fail": an invocation past the last key (or in a
//!   gap) fails the execution with `States.Runtime`, as Step Functions Local
//!   does, and no Retry or Catch handles that error;
//! - the count is one per state per execution, advanced by every invocation:
//!   retries, Map iterations (AWS's note on Map: iterations take responses
//!   in the order they run) and loops all move it on;
//! - `Return` is the task's result (any JSON); `Throw` fails it with
//!   `Error` and `Cause`, which Retry and Catch see.
//!
//! Beyond AWS: an entry may carry `"Latency": MS`, the milliseconds of the
//! execution's clock before the reply (a Task `TimeoutSeconds` shorter than
//! that times out). Tools that do not know it ignore it.
//!
//! Files: `read.rs` reads a file into its parts with every problem and its
//! JSON pointer (`error.rs`), `response.rs` picks an invocation's entry,
//! `case.rs` chooses the state machine and test case, `handler.rs` serves
//! the tasks.

mod case;
mod error;
mod handler;
mod read;
mod response;
#[cfg(test)]
mod tests;

pub use error::{MockConfigError, MockProblem, MockProblemKind};
pub use handler::MockHandler;

/// A mock file: its text, or its JSON already parsed.
#[derive(Debug, Clone, Copy)]
pub enum MockSource<'a> {
    /// JSON text.
    Text(&'a str),
    /// Parsed JSON.
    Json(&'a serde_json::Value),
}

impl<'a> From<&'a str> for MockSource<'a> {
    fn from(text: &'a str) -> Self {
        MockSource::Text(text)
    }
}

impl<'a> From<&'a String> for MockSource<'a> {
    fn from(text: &'a String) -> Self {
        MockSource::Text(text)
    }
}

impl<'a> From<&'a serde_json::Value> for MockSource<'a> {
    fn from(json: &'a serde_json::Value) -> Self {
        MockSource::Json(json)
    }
}

/// The handler that serves the test case `test_case` of the state machine
/// `state_machine` of a mock file; either name may be `None` when the file
/// has just one. Register it for `*`:
///
/// ```
/// use stampede::{handlers, Engine, RunOptions};
///
/// let mocks = r#"{"StateMachines": {"M": {"TestCases": {"Happy": {"Charge": "Ok"}}}},
///                 "MockedResponses": {"Ok": {"0": {"Return": {"charged": true}}}}}"#;
/// let mut engine = Engine::new();
/// engine.register("*", handlers::mock_config(mocks, Some("M"), Some("Happy"))?);
/// let machine = engine.compile(r#"{"StartAt": "Charge", "States": {"Charge":
///     {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}"#)?;
/// let outcome = machine.run_text("{}", &RunOptions::default())?;
/// assert_eq!(outcome.output.as_deref(), Some(r#"{"charged":true}"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// Every problem of the file at once, each with its JSON pointer: not JSON,
/// a field of the wrong type or unknown to the format, an invalid or
/// overlapping key, an entry without exactly one of `Return` and `Throw`;
/// and an unknown (or unnamed, when there are several) state machine or test
/// case, or a mocked response the chosen test case names that the file lacks.
pub fn mock_config<'a>(
    config: impl Into<MockSource<'a>>,
    state_machine: Option<&str>,
    test_case: Option<&str>,
) -> Result<MockHandler, MockConfigError> {
    let (file, mut problems) = match config.into() {
        MockSource::Text(t) => read::read_text(t),
        MockSource::Json(v) => read::read_value(v),
    };
    let case = case::choose(&file, state_machine, test_case, &mut problems);
    match case {
        Some(case) if problems.is_empty() => Ok(MockHandler::new(case)),
        _ => Err(MockConfigError { problems }),
    }
}
