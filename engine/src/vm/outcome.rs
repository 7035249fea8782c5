//! What an execution gives back: its [`Status`] and [`Outcome`], read off a
//! finished [`Execution`] the same way by every scheduler.

use super::exec::{End, Execution};

/// Final status of an execution, as DescribeExecution reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Reached a Succeed state or an End.
    Succeeded,
    /// Failed with an error and cause.
    Failed,
    /// Exceeded the machine's `TimeoutSeconds` (or an Express execution's 5 minutes).
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
    /// Its history, when [`RunOptions::history`](crate::RunOptions::history) was set.
    pub history: Option<crate::History>,
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
            history: None,
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

    /// The outcome of a finished execution (a still-running one reads as
    /// failed); `wall_us` is what the scheduler measured. Moves the output
    /// text out of `exec`: call once, when the execution is done with.
    pub(crate) fn of(exec: &mut Execution, wall_us: u64) -> Outcome {
        let c = exec.counters();
        let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let (status, output, error, cause) = match exec.end_mut() {
            // The execution is done with: its output moves into the outcome.
            Some(End::Succeeded(out)) => (Status::Succeeded, Some(std::mem::take(out)), None, None),
            Some(End::Failed(f)) => (Status::Failed, None, nonempty(&f.error), nonempty(&f.cause)),
            Some(End::TimedOut) => (Status::TimedOut, None, None, None),
            None => (
                Status::Failed,
                None,
                Some("States.Runtime".to_owned()),
                Some("the execution stopped with nothing left to run".to_owned()),
            ),
        };
        let duration_ms = if exec.end().is_some() {
            exec.ended_ms() - exec.info().start_ms
        } else {
            0
        };
        Outcome {
            status,
            output,
            error,
            cause,
            transitions: c.transitions,
            events: c.events,
            duration_ms,
            wall_us,
            history: exec.take_history(),
        }
    }
}
