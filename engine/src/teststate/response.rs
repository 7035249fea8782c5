//! A TestState response in the shape of AWS's: `status`, `output`, `error`,
//! `cause`, `nextState`, `inspectionData`. Values are JSON text, as AWS sends them.

use serde_json::{json, Map, Value};

/// How the tested state ended (`status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestStatus {
    /// It completed (its `nextState`, if any, is where it goes).
    Succeeded,
    /// It failed and no retrier or catcher handles the error.
    Failed,
    /// It failed and a retrier would run it again.
    Retriable,
    /// It failed and a catcher took the error (`nextState` is the catcher's).
    CaughtError,
}

impl TestStatus {
    /// AWS's name: `SUCCEEDED`, `FAILED`, `RETRIABLE`, `CAUGHT_ERROR`.
    pub fn as_str(self) -> &'static str {
        match self {
            TestStatus::Succeeded => "SUCCEEDED",
            TestStatus::Failed => "FAILED",
            TestStatus::Retriable => "RETRIABLE",
            TestStatus::CaughtError => "CAUGHT_ERROR",
        }
    }
}

/// Which retrier or catcher handled the error (`inspectionData.errorDetails`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ErrorDetails {
    /// `catchIndex`: the catcher that matched.
    pub catch_index: Option<usize>,
    /// `retryIndex`: the retrier that matched (exhausted or not).
    pub retry_index: Option<usize>,
    /// `retryBackoffIntervalSeconds`: the wait before the retry.
    pub retry_backoff_interval_seconds: Option<f64>,
}

/// The values a state's I/O processing went through (`inspectionData`), JSON text each.
#[derive(Debug, Clone, PartialEq, Default)]
#[allow(missing_docs)]
pub struct InspectionData {
    pub input: Option<String>,
    pub after_input_path: Option<String>,
    pub after_parameters: Option<String>,
    pub after_arguments: Option<String>,
    pub after_items_path: Option<String>,
    pub result: Option<String>,
    pub after_result_selector: Option<String>,
    pub after_result_path: Option<String>,
    pub variables: Option<String>,
    pub error_details: Option<ErrorDetails>,
    pub max_concurrency: Option<u64>,
    pub tolerated_failure_count: Option<u64>,
    pub tolerated_failure_percentage: Option<f64>,
}

/// The response of one TestState call.
#[derive(Debug, Clone, PartialEq)]
pub struct TestStateResponse {
    /// `status`
    pub status: TestStatus,
    /// `output` (JSON text), when the state completed or a catcher took the error.
    pub output: Option<String>,
    /// `error`
    pub error: Option<String>,
    /// `cause`
    pub cause: Option<String>,
    /// `nextState`
    pub next_state: Option<String>,
    /// `inspectionData` (DEBUG and TRACE only).
    pub inspection_data: Option<InspectionData>,
}

impl TestStateResponse {
    /// The response as AWS's API returns it (absent fields left out).
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("status".into(), json!(self.status.as_str()));
        put(&mut m, "output", &self.output);
        put(&mut m, "error", &self.error);
        put(&mut m, "cause", &self.cause);
        put(&mut m, "nextState", &self.next_state);
        if let Some(d) = &self.inspection_data {
            m.insert("inspectionData".into(), d.to_json());
        }
        Value::Object(m)
    }
}

impl InspectionData {
    /// The object AWS returns.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        put(&mut m, "input", &self.input);
        put(&mut m, "afterInputPath", &self.after_input_path);
        put(&mut m, "afterParameters", &self.after_parameters);
        put(&mut m, "afterArguments", &self.after_arguments);
        put(&mut m, "afterItemsPath", &self.after_items_path);
        put(&mut m, "result", &self.result);
        put(&mut m, "afterResultSelector", &self.after_result_selector);
        put(&mut m, "afterResultPath", &self.after_result_path);
        put(&mut m, "variables", &self.variables);
        if let Some(e) = &self.error_details {
            let mut d = Map::new();
            if let Some(i) = e.catch_index {
                d.insert("catchIndex".into(), json!(i));
            }
            if let Some(i) = e.retry_index {
                d.insert("retryIndex".into(), json!(i));
            }
            if let Some(s) = e.retry_backoff_interval_seconds {
                d.insert("retryBackoffIntervalSeconds".into(), number(s));
            }
            m.insert("errorDetails".into(), Value::Object(d));
        }
        if let Some(n) = self.max_concurrency {
            m.insert("maxConcurrency".into(), json!(n));
        }
        if let Some(n) = self.tolerated_failure_count {
            m.insert("toleratedFailureCount".into(), json!(n));
        }
        if let Some(p) = self.tolerated_failure_percentage {
            m.insert("toleratedFailurePercentage".into(), json!(p));
        }
        Value::Object(m)
    }
}

/// A whole number of seconds as an integer (AWS shows `16`), else as it is.
fn number(s: f64) -> Value {
    if s.fract() == 0.0 && s.abs() < 9e15 {
        json!(s as i64)
    } else {
        json!(s)
    }
}

fn put(m: &mut Map<String, Value>, k: &str, v: &Option<String>) {
    if let Some(s) = v {
        m.insert(k.into(), Value::String(s.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_out_what_is_absent() {
        let r = TestStateResponse {
            status: TestStatus::Retriable,
            output: None,
            error: Some("E".into()),
            cause: Some("C".into()),
            next_state: None,
            inspection_data: Some(InspectionData {
                input: Some("{}".into()),
                error_details: Some(ErrorDetails {
                    retry_index: Some(0),
                    retry_backoff_interval_seconds: Some(16.0),
                    ..ErrorDetails::default()
                }),
                ..InspectionData::default()
            }),
        };
        assert_eq!(
            r.to_json(),
            json!({"status": "RETRIABLE", "error": "E", "cause": "C", "inspectionData": {
                "input": "{}", "errorDetails": {"retryIndex": 0, "retryBackoffIntervalSeconds": 16}}})
        );
    }
}
