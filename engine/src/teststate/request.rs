//! A TestState request: the fields of AWS's `TestState` API, typed, and
//! read from the API's JSON (`definition`, `input`, `mock`, …).

use super::error::TestStateError;
use serde_json::Value;

/// How much of the state's processing the response shows (`inspectionLevel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InspectionLevel {
    /// Status, output, error and next state only (AWS's default).
    #[default]
    Info,
    /// Also `inspectionData`: the value after each I/O step.
    Debug,
    /// As `Debug` (AWS adds raw HTTP requests and responses, which Stampede never makes).
    Trace,
}

impl InspectionLevel {
    /// Reads `INFO`, `DEBUG` or `TRACE`.
    pub fn parse(s: &str) -> Option<InspectionLevel> {
        match s {
            "INFO" => Some(InspectionLevel::Info),
            "DEBUG" => Some(InspectionLevel::Debug),
            "TRACE" => Some(InspectionLevel::Trace),
            _ => None,
        }
    }
}

/// How a mocked `result` is checked against the API's output shape (`fieldValidationMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldValidationMode {
    /// Every field given is checked, and the required fields must be there (AWS's default).
    #[default]
    Strict,
    /// Only the fields given are checked.
    Present,
    /// Nothing is checked.
    None,
}

/// A mocked error (`mock.errorOutput`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MockError {
    /// `error`
    pub error: String,
    /// `cause`
    pub cause: String,
}

/// What stands in for the service call, or for a Map's or Parallel's children (`mock`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mock {
    /// `result`: the JSON text the call returns.
    pub result: Option<String>,
    /// `errorOutput`: the error the call fails with.
    pub error_output: Option<MockError>,
    /// `fieldValidationMode`
    pub field_validation_mode: FieldValidationMode,
}

/// `stateConfiguration`: the circumstances the state is tested in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StateConfiguration {
    /// `retrierRetryCount`: retries the matching retrier has made already.
    pub retrier_retry_count: Option<u32>,
    /// `errorCausedByState`: the state inside a Map or Parallel that raised the mocked error.
    pub error_caused_by_state: Option<String>,
    /// `mapIterationFailureCount`: how many of a Map's iterations failed.
    pub map_iteration_failure_count: Option<u32>,
    /// `mapItemReaderData`: the items a Map's ItemReader reads (JSON text).
    pub map_item_reader_data: Option<String>,
}

/// One TestState call.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TestStateRequest {
    /// The state (one state object), or a whole state machine with `state_name`.
    pub definition: String,
    /// The state to test in a whole state machine (default: its `StartAt`).
    pub state_name: Option<String>,
    /// The state's input, JSON text (default `{}`).
    pub input: Option<String>,
    /// `inspectionLevel`
    pub inspection_level: InspectionLevel,
    /// `roleArn`: required by AWS for a Task state that calls its service (no mock).
    pub role_arn: Option<String>,
    /// `revealSecrets`
    pub reveal_secrets: bool,
    /// `mock`
    pub mock: Option<Mock>,
    /// `context`: the context object (`$$`), JSON text.
    pub context: Option<String>,
    /// `variables`: the workflow variables in scope, JSON text (an object).
    pub variables: Option<String>,
    /// `stateConfiguration`
    pub state_configuration: StateConfiguration,
}

impl TestStateRequest {
    /// Reads a request in the JSON shape of AWS's TestState API (the
    /// `definition` may be given as JSON text, as AWS takes it, or as an object).
    ///
    /// # Errors
    /// A `ValidationException` naming the first field of the wrong type.
    pub fn from_json(v: &Value) -> Result<TestStateRequest, TestStateError> {
        let obj = v
            .as_object()
            .ok_or_else(|| invalid("the request must be a JSON object"))?;
        let definition = match obj.get("definition") {
            Some(Value::String(s)) => s.clone(),
            Some(d @ Value::Object(_)) => d.to_string(),
            _ => return Err(invalid("'definition' is required")),
        };
        let mock = match obj.get("mock") {
            None | Some(Value::Null) => None,
            Some(m) => Some(mock(m)?),
        };
        let inspection_level = match obj.get("inspectionLevel") {
            None | Some(Value::Null) => InspectionLevel::Info,
            Some(Value::String(s)) => InspectionLevel::parse(s)
                .ok_or_else(|| invalid(&format!("unknown inspectionLevel '{s}'")))?,
            Some(_) => return Err(invalid("'inspectionLevel' must be a string")),
        };
        let cfg = obj.get("stateConfiguration");
        let state_configuration = StateConfiguration {
            retrier_retry_count: count(cfg, "retrierRetryCount")?,
            error_caused_by_state: text(cfg, "errorCausedByState")?,
            map_iteration_failure_count: count(cfg, "mapIterationFailureCount")?,
            map_item_reader_data: text(cfg, "mapItemReaderData")?,
        };
        Ok(TestStateRequest {
            definition,
            state_name: text(Some(v), "stateName")?,
            input: text(Some(v), "input")?,
            inspection_level,
            role_arn: text(Some(v), "roleArn")?,
            reveal_secrets: obj
                .get("revealSecrets")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            mock,
            context: text(Some(v), "context")?,
            variables: text(Some(v), "variables")?,
            state_configuration,
        })
    }
}

fn mock(m: &Value) -> Result<Mock, TestStateError> {
    let field_validation_mode = match m.get("fieldValidationMode").and_then(Value::as_str) {
        None | Some("STRICT") => FieldValidationMode::Strict,
        Some("PRESENT") => FieldValidationMode::Present,
        Some("NONE") => FieldValidationMode::None,
        Some(other) => {
            return Err(invalid(&format!("unknown fieldValidationMode '{other}'")));
        }
    };
    let error_output = match m.get("errorOutput") {
        None | Some(Value::Null) => None,
        Some(e) => Some(MockError {
            error: text(Some(e), "error")?.unwrap_or_default(),
            cause: text(Some(e), "cause")?.unwrap_or_default(),
        }),
    };
    Ok(Mock {
        result: text(Some(m), "result")?,
        error_output,
        field_validation_mode,
    })
}

/// A string field (JSON text fields are strings in AWS's API).
fn text(obj: Option<&Value>, name: &str) -> Result<Option<String>, TestStateError> {
    match obj.and_then(|o| o.get(name)) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(&format!("'{name}' must be a string"))),
    }
}

fn count(obj: Option<&Value>, name: &str) -> Result<Option<u32>, TestStateError> {
    match obj.and_then(|o| o.get(name)) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| invalid(&format!("'{name}' must be a non-negative integer"))),
    }
}

fn invalid(msg: &str) -> TestStateError {
    TestStateError::validation(msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_every_field_of_the_api_shape() {
        let r = TestStateRequest::from_json(&json!({
            "definition": {"Type": "Pass", "End": true},
            "stateName": "S", "input": "{}", "inspectionLevel": "TRACE",
            "mock": {"errorOutput": {"error": "E", "cause": "C"}, "fieldValidationMode": "NONE"},
            "variables": "{\"x\":1}",
            "stateConfiguration": {"retrierRetryCount": 2, "mapItemReaderData": "[1]"}
        }))
        .unwrap();
        assert_eq!(r.inspection_level, InspectionLevel::Trace);
        assert_eq!(r.state_name.as_deref(), Some("S"));
        let m = r.mock.unwrap();
        assert_eq!(m.field_validation_mode, FieldValidationMode::None);
        assert_eq!(m.error_output.unwrap().cause, "C");
        assert_eq!(r.state_configuration.retrier_retry_count, Some(2));
        assert!(r.definition.contains("Pass"));
    }

    #[test]
    fn rejects_fields_of_the_wrong_type() {
        let e = TestStateRequest::from_json(&json!({"definition": "{}", "input": 3})).unwrap_err();
        assert_eq!(e.message, "'input' must be a string");
        assert!(TestStateRequest::from_json(&json!({"input": "{}"})).is_err());
        let e = TestStateRequest::from_json(&json!({"definition": "{}", "inspectionLevel": "ALL"}))
            .unwrap_err();
        assert!(e.message.contains("ALL"), "{}", e.message);
    }
}
