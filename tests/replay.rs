//! Replaying the Lambda invocations of a recorded execution: the results
//! AWS recorded in its history (`LambdaFunctionSucceeded`, `TaskFailed` …)
//! handed back, in order, by a task handler.
//!
//! An invocation is a `LambdaFunctionScheduled` / `TaskScheduled` event (or a
//! `…ScheduleFailed` / `…SubmitFailed` event that stands in for one) and the
//! result event that follows it through the `previousEventId` links. The
//! handler hands out the invocations in the order they were scheduled; where
//! several are waiting (branches of a Parallel or Map run side by side), it
//! takes the first one whose recorded input equals the handler's effective
//! input, else the first one.

use crate::compare::{json_diff, Placeholders};
use crate::corpus::recorded_text;
use serde_json::Value;
use stampede::handlers::{Call, Reply};
use stampede::Failure;
use std::collections::HashMap;
use std::sync::Mutex;

/// How long a task whose recorded invocation timed out (or never ended)
/// takes: longer than any `TimeoutSeconds` (at most 99,999,999 s).
pub const NEVER_MS: u64 = 100_000_000_000_000;

/// One recorded Lambda invocation.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    /// The recorded input: `lambdaFunctionScheduledEventDetails.input` or
    /// `taskScheduledEventDetails.parameters` (decoded where it was JSON text).
    pub input: Option<Value>,
    /// What it returned.
    pub result: Recorded,
}

/// The recorded result of one invocation.
#[derive(Debug, Clone, PartialEq)]
pub enum Recorded {
    /// It succeeded with this result (for `lambda:invoke`, the Invoke API
    /// envelope with `Payload`).
    Output(Value),
    /// It failed with this error and cause.
    Failed {
        /// Error name.
        error: String,
        /// Cause text (empty when none was recorded).
        cause: String,
    },
    /// It timed out (`LambdaFunctionTimedOut`, `TaskTimedOut`): the engine's
    /// own `TimeoutSeconds` must end it.
    TimedOut,
    /// No result was recorded (the state was aborted first).
    Unfinished,
}

/// A recorded text that the recorder may have decoded: JSON text is read
/// back as its value; anything else is kept as it is.
fn decoded(v: &Value) -> Value {
    match v {
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| v.clone()),
        other => other.clone(),
    }
}

const SCHEDULED: [(&str, &str); 2] = [
    (
        "LambdaFunctionScheduled",
        "lambdaFunctionScheduledEventDetails",
    ),
    ("TaskScheduled", "taskScheduledEventDetails"),
];

fn event_type(e: &Value) -> &str {
    e.get("type").and_then(Value::as_str).unwrap_or("")
}

fn details(e: &Value) -> Option<&Value> {
    e.as_object()?
        .iter()
        .find(|(k, _)| k.ends_with("EventDetails"))
        .map(|(_, v)| v)
}

/// What a result event says, or `None` when the event is not one.
fn result_of(e: &Value) -> Option<Recorded> {
    let t = event_type(e);
    let d = details(e);
    // A service integration re-serializes a decoded cause compactly.
    let compact = t.starts_with("Task");
    let text = |k: &str| {
        d.and_then(|d| d.get(k))
            .and_then(|v| recorded_text(v, compact))
            .unwrap_or_default()
    };
    match t {
        "LambdaFunctionSucceeded" | "TaskSucceeded" => Some(Recorded::Output(
            d.and_then(|d| d.get("output")).map_or(Value::Null, decoded),
        )),
        "LambdaFunctionTimedOut" | "TaskTimedOut" => Some(Recorded::TimedOut),
        "LambdaFunctionFailed"
        | "LambdaFunctionStartFailed"
        | "LambdaFunctionScheduleFailed"
        | "TaskFailed"
        | "TaskStartFailed"
        | "TaskSubmitFailed" => Some(Recorded::Failed {
            error: text("error"),
            cause: text("cause"),
        }),
        _ => None,
    }
}

/// A result event that is not preceded by a Scheduled event of its own.
fn t_stands_alone(e: &Value) -> bool {
    event_type(e) == "LambdaFunctionScheduleFailed"
}

/// The invocations of a recorded history, in the order they were scheduled.
pub fn invocations(history: &[Value]) -> Vec<Invocation> {
    let by_id: HashMap<u64, &Value> = history
        .iter()
        .filter_map(|e| Some((e.get("id")?.as_u64()?, e)))
        .collect();
    // (position in history, invocation)
    let mut found: Vec<(usize, Invocation)> = Vec::new();
    let mut slot_of_scheduled: HashMap<u64, usize> = HashMap::new();
    // Results met before any invocation waits for them: the recording
    // redacted the ids inside a branch and listed the branch's events out of
    // order (`TaskFailed` before its `TaskScheduled`); each goes to the next
    // invocation scheduled.
    let mut orphans: std::collections::VecDeque<Recorded> = std::collections::VecDeque::new();
    for (pos, e) in history.iter().enumerate() {
        let t = event_type(e);
        if let Some((_, key)) = SCHEDULED.iter().find(|(name, _)| *name == t) {
            let input = e
                .get(*key)
                .and_then(|d| d.get("input").or_else(|| d.get("parameters")).map(decoded));
            if let Some(id) = e.get("id").and_then(Value::as_u64) {
                slot_of_scheduled.insert(id, found.len());
            }
            found.push((
                pos,
                Invocation {
                    input,
                    result: orphans.pop_front().unwrap_or(Recorded::Unfinished),
                },
            ));
            continue;
        }
        let Some(result) = result_of(e) else {
            continue;
        };
        // Walk back to the Scheduled event this result belongs to.
        let mut at = e.get("previousEventId").and_then(Value::as_u64);
        let mut slot = None;
        for _ in 0..4 {
            let Some(id) = at else { break };
            if let Some(&s) = slot_of_scheduled.get(&id) {
                slot = Some(s);
                break;
            }
            at = by_id
                .get(&id)
                .and_then(|p| p.get("previousEventId"))
                .and_then(Value::as_u64);
        }
        // Where the links were redacted, the first invocation still waiting.
        let waiting = || {
            found
                .iter()
                .position(|(_, i)| i.result == Recorded::Unfinished)
        };
        let slot = match slot {
            Some(s) if found[s].1.result == Recorded::Unfinished => Some(s),
            Some(_) => None,
            None if t_stands_alone(e) => None,
            None => match waiting() {
                Some(s) => Some(s),
                None => {
                    orphans.push_back(result);
                    continue;
                }
            },
        };
        match slot {
            Some(s) => found[s].1.result = result,
            // A failure to schedule stands for the invocation itself.
            None => found.push((
                pos,
                Invocation {
                    input: None,
                    result,
                },
            )),
        }
    }
    for result in orphans {
        found.push((
            history.len(),
            Invocation {
                input: None,
                result,
            },
        ));
    }
    found.sort_by_key(|(pos, _)| *pos);
    found.into_iter().map(|(_, i)| i).collect()
}

/// A task handler that hands back recorded invocations (register it for `*`).
#[derive(Debug)]
pub struct Replay {
    left: Mutex<Vec<Invocation>>,
    placeholders: Placeholders,
}

impl Replay {
    /// Replays `invocations`; `placeholders` are the case's redaction tokens
    /// (they match anything when recorded inputs are compared).
    pub fn new(invocations: Vec<Invocation>, placeholders: Placeholders) -> Self {
        Replay {
            left: Mutex::new(invocations),
            placeholders,
        }
    }

    /// The next recorded invocation for a call with this effective input.
    pub fn take(&self, input: &Value) -> Option<Invocation> {
        let mut left = self.left.lock().unwrap_or_else(|p| p.into_inner());
        if left.is_empty() {
            return None;
        }
        let same = |i: &Invocation| {
            i.input
                .as_ref()
                .is_some_and(|r| json_diff(r, input, &self.placeholders).is_none())
        };
        let at = left.iter().position(same).unwrap_or(0);
        Some(left.remove(at))
    }

    /// How many recorded invocations were not asked for.
    pub fn left(&self) -> usize {
        self.left.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Serves one call.
    pub fn reply(&self, c: &mut Call<'_>) -> Reply {
        let Some(inv) = self.take(&c.input_json()) else {
            return Reply::Error(Failure::new(
                "Replay.NoRecordedInvocation",
                format!(
                    "state '{}' invoked {} more times than AWS did",
                    c.state_name(),
                    c.resource()
                ),
            ));
        };
        match inv.result {
            Recorded::Output(v) => Reply::Json(v),
            Recorded::Failed { error, cause } => Reply::Error(Failure::new(error, cause)),
            Recorded::TimedOut => {
                let null = c.doc().import(&Value::Null);
                Reply::Delayed {
                    after_ms: NEVER_MS,
                    result: Ok(null),
                }
            }
            Recorded::Unfinished => Reply::Delayed {
                after_ms: NEVER_MS,
                result: Err(Failure::new(
                    "Replay.Unfinished",
                    "AWS aborted this invocation before it ended",
                )),
            },
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_results_in_schedule_order() {
        let h = json!([
            {"id": 1, "previousEventId": 0, "type": "ExecutionStarted"},
            {"id": 2, "previousEventId": 1, "type": "LambdaFunctionScheduled",
             "lambdaFunctionScheduledEventDetails": {"input": "[1]"}},
            {"id": 3, "previousEventId": 1, "type": "TaskScheduled",
             "taskScheduledEventDetails": {"parameters": {"Payload": 2}}},
            {"id": 4, "previousEventId": 3, "type": "TaskStarted"},
            {"id": 5, "previousEventId": 4, "type": "TaskSucceeded",
             "taskSucceededEventDetails": {"output": {"Payload": 2}}},
            {"id": 6, "previousEventId": 2, "type": "LambdaFunctionStarted"},
            {"id": 7, "previousEventId": 6, "type": "LambdaFunctionFailed",
             "lambdaFunctionFailedEventDetails": {"error": "E", "cause": {"a": "b"}}},
            {"id": 8, "previousEventId": 7, "type": "LambdaFunctionScheduleFailed",
             "lambdaFunctionScheduleFailedEventDetails": {"error": "F", "cause": "c"}},
            {"id": 9, "previousEventId": 8, "type": "LambdaFunctionScheduled",
             "lambdaFunctionScheduledEventDetails": {"input": {}}},
            {"id": 10, "previousEventId": 9, "type": "LambdaFunctionStarted"},
            {"id": 11, "previousEventId": 10, "type": "LambdaFunctionTimedOut"},
            {"id": 12, "previousEventId": 11, "type": "TaskScheduled",
             "taskScheduledEventDetails": {"parameters": {}}},
            {"id": 13, "previousEventId": 12, "type": "TaskStarted"},
            {"id": 14, "previousEventId": 13, "type": "LambdaFunctionSucceeded",
             "lambdaFunctionSucceededEventDetails": {"output": "\"x\""}},
        ]);
        let got = invocations(h.as_array().unwrap());
        let results: Vec<_> = got.iter().map(|i| i.result.clone()).collect();
        assert_eq!(
            results,
            vec![
                Recorded::Failed {
                    error: "E".into(),
                    cause: r#"{"a": "b"}"#.into()
                },
                Recorded::Output(json!({"Payload": 2})),
                Recorded::Failed {
                    error: "F".into(),
                    cause: "c".into()
                },
                Recorded::TimedOut,
                Recorded::Output(json!("x")),
            ]
        );
        assert_eq!(got[0].input, Some(json!([1])));
        assert_eq!(got[1].input, Some(json!({"Payload": 2})));
        assert_eq!(got[2].input, None);
    }

    #[test]
    fn takes_by_input_then_in_order() {
        let inv = |n: i64| Invocation {
            input: Some(json!({"n": n})),
            result: Recorded::Output(json!(n)),
        };
        let r = Replay::new(vec![inv(1), inv(2), inv(3)], Placeholders::default());
        assert_eq!(
            r.take(&json!({"n": 2})).unwrap().result,
            Recorded::Output(json!(2))
        );
        assert_eq!(
            r.take(&json!({"n": 9})).unwrap().result,
            Recorded::Output(json!(1))
        );
        assert_eq!(r.left(), 1);
        assert!(r.take(&json!(null)).is_some());
        assert!(r.take(&json!(null)).is_none());
    }

    #[test]
    fn redacted_ids_pair_results_in_order() {
        let h = json!([
            {"id": [0], "previousEventId": 0, "type": "TaskScheduled",
             "taskScheduledEventDetails": {"parameters": 1}},
            {"id": [0], "previousEventId": 0, "type": "TaskScheduled",
             "taskScheduledEventDetails": {"parameters": 2}},
            {"id": [0], "previousEventId": 0, "type": "TaskSucceeded",
             "taskSucceededEventDetails": {"output": "[1]"}},
            {"id": [0], "previousEventId": 0, "type": "TaskFailed",
             "taskFailedEventDetails": {"error": "E", "cause": {"a": 1}}},
        ]);
        let got = invocations(h.as_array().unwrap());
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].result, Recorded::Output(json!([1])));
        assert_eq!(
            got[1].result,
            Recorded::Failed {
                error: "E".into(),
                cause: r#"{"a":1}"#.into()
            }
        );
    }

    #[test]
    fn a_recorded_history_never_ends() {
        let h = json!([
            {"id": 1, "previousEventId": 0, "type": "TaskScheduled",
             "taskScheduledEventDetails": {"parameters": {}}},
            {"id": 2, "previousEventId": 1, "type": "TaskStateAborted"},
        ]);
        let got = invocations(h.as_array().unwrap());
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].result, Recorded::Unfinished);
    }
}
