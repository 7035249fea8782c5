//! `GetExecutionHistory`: the events the engine recorded for a finished
//! execution (kept with its record, dropped with it past the store's cap),
//! paged by an opaque token, oldest or newest first.
//!
//! A running execution's recorder lives on the engine's worker until the
//! execution ends and cannot be read cheaply from here, so while it runs
//! the history is its `ExecutionStarted` event alone (plus
//! `ExecutionAborted` once StopExecution ended it, until the engine hands
//! over the full history). The engine records no event for a stop from
//! outside, so a stopped execution's recorded history gets its
//! `ExecutionAborted` here, after the engine's last event.

use crate::app::App;
use crate::error::ApiError;
use crate::executions;
use crate::fields::Fields;
use crate::paging;
use crate::store::ExecRec;
use serde_json::{json, Map, Value};
use stampede::{History, Status};
use std::sync::Arc;

/// The payload members `includeExecutionData: false` leaves out
/// (GetExecutionHistory: "whether execution data (input or output of a
/// history event) is returned").
const DATA_MEMBERS: [&str; 4] = ["input", "inputDetails", "output", "outputDetails"];

/// What a record holds of its history, read under the store's lock.
enum Source {
    /// The engine's history of the ended execution, and the
    /// `ExecutionAborted` that follows it when StopExecution ended it (the
    /// engine records no event for a stop from outside).
    Recorded(Arc<History>, Option<Value>),
    /// Events made from the record (a running or just-stopped execution).
    Made(Vec<Value>),
}

/// `GetExecutionHistory`.
///
/// # Errors
/// `InvalidArn`, `ExecutionDoesNotExist`, `InvalidToken`,
/// `ValidationException`.
pub(crate) fn history(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let arn = executions::execution_arn(&f)?;
    let max_results = paging::page_size(&f)?;
    let reverse = f.bool("reverseOrder")?.unwrap_or(false);
    let token = paging::position(&f, "history", 1024)?;
    let with_data = f.bool("includeExecutionData")?.unwrap_or(true);
    let (source, role_arn) = app
        .store
        .with_execution(arn, |r| (source(r), r.machine.role_arn.clone()))
        .ok_or_else(|| executions::does_not_exist(arn))?;
    let len = match &source {
        Source::Recorded(h, extra) => h.len() + usize::from(extra.is_some()),
        Source::Made(v) => v.len(),
    };
    // The token holds how many events of this order were already given.
    let skip = match &token {
        None => 0,
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0 && *n < len)
            .ok_or_else(|| {
                ApiError::new("InvalidToken", format!("Invalid Token: '{}'", t.as_str()))
            })?,
    };
    let end = (skip + max_results).min(len);
    let order = |i: usize| if reverse { len - 1 - i } else { i };
    let mut events = Vec::with_capacity(end - skip);
    match &source {
        Source::Recorded(h, extra) => {
            let all: Vec<_> = h.events().collect();
            let mut text = String::new();
            for i in skip..end {
                let Some(e) = all.get(order(i)) else {
                    events.extend(extra.clone());
                    continue;
                };
                text.clear();
                e.write_json(&mut text);
                let v: Value = serde_json::from_str(&text)
                    .map_err(|e| ApiError::internal(format!("a history event: {e}")))?;
                events.push(v);
            }
        }
        Source::Made(v) => events.extend((skip..end).map(|i| v[order(i)].clone())),
    }
    for e in &mut events {
        shape(e, &role_arn, with_data);
    }
    let mut out = json!({ "events": events });
    if end < len {
        out["nextToken"] = json!(paging::token("history", &end.to_string()));
    }
    Ok(out)
}

/// The record's history, or events made from the record while it has none.
fn source(r: &ExecRec) -> Source {
    if let Some(h) = &r.history {
        let n = h.len() as u64;
        // Unless the engine ended it first (its last event is then the end).
        let ended = h
            .events()
            .last()
            .is_some_and(|e| e.event_type().starts_with("Execution") && e.id() > 1);
        let extra = if ended { None } else { aborted(r, n + 1, n) };
        return Source::Recorded(Arc::clone(h), extra);
    }
    let mut v = vec![json!({
        "timestamp": r.start,
        "type": "ExecutionStarted",
        "id": 1,
        "previousEventId": 0,
        "executionStartedEventDetails": {
            "input": r.input,
            "inputDetails": {"truncated": false},
        },
    })];
    v.extend(aborted(r, 2, 0));
    Source::Made(v)
}

/// `ExecutionAborted` as event `id` after event `previous`, when
/// StopExecution ended the execution.
fn aborted(r: &ExecRec, id: u64, previous: u64) -> Option<Value> {
    if r.status != Some(Status::Aborted) {
        return None;
    }
    let mut d = Map::new();
    if let Some(e) = &r.error {
        d.insert("error".into(), json!(e));
    }
    if let Some(c) = &r.cause {
        d.insert("cause".into(), json!(c));
    }
    Some(json!({
        "timestamp": r.stop.unwrap_or(r.start),
        "type": "ExecutionAborted",
        "id": id,
        "previousEventId": previous,
        "executionAbortedEventDetails": d,
    }))
}

/// One event as this server answers it: the machine's own role ARN on
/// `ExecutionStarted` (the engine knows only its default), and without the
/// payloads when `with_data` is false.
fn shape(e: &mut Value, role_arn: &str, with_data: bool) {
    let Some(obj) = e.as_object_mut() else { return };
    if let Some(d) = obj
        .get_mut("executionStartedEventDetails")
        .and_then(Value::as_object_mut)
    {
        d.insert("roleArn".into(), json!(role_arn));
    }
    if with_data {
        return;
    }
    for (k, d) in obj.iter_mut() {
        if let (true, Some(d)) = (k.ends_with("EventDetails"), d.as_object_mut()) {
            for m in DATA_MEMBERS {
                d.remove(m);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_data_the_payloads_go_and_the_rest_stays() {
        let mut e = json!({"type": "ExecutionStarted", "id": 1,
            "executionStartedEventDetails": {"input": "{}", "inputDetails": {"truncated": false},
            "roleArn": "x"}});
        shape(&mut e, "arn:aws:iam::1:role/r", false);
        assert_eq!(
            e["executionStartedEventDetails"],
            json!({"roleArn": "arn:aws:iam::1:role/r"})
        );
        let mut e = json!({"type": "PassStateExited",
            "stateExitedEventDetails": {"name": "P", "output": "1", "outputDetails": {}}});
        shape(&mut e, "r", true);
        assert_eq!(e["stateExitedEventDetails"]["output"], "1");
        shape(&mut e, "r", false);
        assert_eq!(e["stateExitedEventDetails"], json!({"name": "P"}));
    }
}
