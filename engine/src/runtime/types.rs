//! The values executions take and give: options in, outcomes out.

use std::fmt;

/// Final status of an execution, as DescribeExecution reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Reached a Succeed state or an End.
    Succeeded,
    /// Failed with an error and cause.
    Failed,
    /// Exceeded the machine's `TimeoutSeconds`.
    TimedOut,
    /// Stopped from outside.
    Aborted,
}

impl Status {
    /// `"SUCCEEDED"`, `"FAILED"`, `"TIMED_OUT"`, `"ABORTED"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
            Status::Aborted => "ABORTED",
        }
    }
}

/// The result of one execution. Equality compares results and counts,
/// not `wall_us` (which depends on the machine and its load).
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Final status.
    pub status: Status,
    /// Output as compact JSON text, when it succeeded.
    pub output: Option<String>,
    /// Error name, when it failed or timed out.
    pub error: Option<String>,
    /// Cause text, when it failed or timed out.
    pub cause: Option<String>,
    /// State transitions (states entered, plus retries) it took.
    pub transitions: u64,
    /// History events AWS would have recorded (the id of the last one).
    pub events: u64,
    /// Duration on the execution's clock (virtual or wall), in milliseconds.
    pub duration_ms: i64,
    /// Wall time the engine spent from starting to ending it, in microseconds.
    pub wall_us: u64,
}

impl PartialEq for Outcome {
    fn eq(&self, o: &Self) -> bool {
        (
            &self.status,
            &self.output,
            &self.error,
            &self.cause,
            self.transitions,
            self.events,
            self.duration_ms,
        ) == (
            &o.status,
            &o.output,
            &o.error,
            &o.cause,
            o.transitions,
            o.events,
            o.duration_ms,
        )
    }
}

impl Eq for Outcome {}

impl Outcome {
    /// A failed outcome with this error and cause.
    pub fn failure(error: &str, cause: impl Into<String>) -> Outcome {
        Outcome {
            status: Status::Failed,
            output: None,
            error: Some(error.to_owned()),
            cause: Some(cause.into()),
            transitions: 0,
            events: 0,
            duration_ms: 0,
            wall_us: 0,
        }
    }

    /// One line of JSON: `{"status":"SUCCEEDED","output":…}` or
    /// `{"status":"FAILED","error":…,"cause":…}`.
    pub fn to_json_line(&self) -> String {
        let mut s = String::from("{\"status\":\"");
        s.push_str(self.status.as_str());
        s.push('"');
        if let Some(o) = &self.output {
            s.push_str(",\"output\":");
            s.push_str(o);
        }
        if let Some(e) = &self.error {
            s.push_str(",\"error\":");
            crate::json::write_str(e, &mut s);
        }
        if let Some(c) = &self.cause {
            s.push_str(",\"cause\":");
            crate::json::write_str(c, &mut s);
        }
        s.push('}');
        s
    }
}

/// Options for one execution.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Virtual clock start, in milliseconds since the Unix epoch (default: now).
    pub start_time_ms: Option<i64>,
    /// Execution name (default: a generated one).
    pub execution_name: Option<String>,
    /// Seed for `States.MathRandom`, `States.UUID` and jitter.
    pub seed: u64,
    /// Standard or Express (changes the execution ARN and `$$.Execution`).
    pub machine_type: MachineType,
    /// State machine name (default `StateMachine`).
    pub state_machine_name: Option<String>,
}

/// The workflow type of a state machine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MachineType {
    /// `STANDARD` (default).
    #[default]
    Standard,
    /// `EXPRESS`, started asynchronously (StartExecution).
    Express,
    /// `EXPRESS`, started with StartSyncExecution (no `$$.Execution.RedriveCount`).
    ExpressSync,
}

/// Error for execution input that is not JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid execution input: {}", self.0)
    }
}

impl std::error::Error for InputError {}

/// An execution input: JSON text (owned or shared between many executions) or a value.
#[derive(Debug, Clone)]
pub enum Input {
    /// JSON text.
    Text(String),
    /// JSON text shared by many executions (no copy per execution).
    Shared(std::sync::Arc<str>),
    /// A `serde_json` value.
    Json(serde_json::Value),
}

impl From<String> for Input {
    fn from(s: String) -> Self {
        Input::Text(s)
    }
}

impl From<&str> for Input {
    fn from(s: &str) -> Self {
        Input::Text(s.to_owned())
    }
}

impl From<std::sync::Arc<str>> for Input {
    fn from(s: std::sync::Arc<str>) -> Self {
        Input::Shared(s)
    }
}

impl From<serde_json::Value> for Input {
    fn from(v: serde_json::Value) -> Self {
        Input::Json(v)
    }
}
