//! Comparing an execution's history with a `GetExecutionHistory` recorded
//! against AWS (the corpus's `history` arrays), by the corpus README's
//! rules plus what the recordings did to histories:
//!
//! - Payloads (`input`, `output`, `parameters`, `cause`, assigned
//!   variables) are JSON text; the recorder decoded those that began with
//!   `{` into objects. Both sides are compared as JSON values where they
//!   parse (numbers by value, key order ignored), else as text; the case's
//!   placeholder tokens match anything, and so do the values LocalStack's
//!   snapshot transformers put in place of what varies (`timestamp`,
//!   `snf_role_arn`, [`REDACTED`]).
//! - Parallel branches: where the recording ran LocalStack's
//!   `SfnNoneRecursiveParallelTransformer`, the ids of the events between
//!   `ParallelStateStarted` and the state's end were replaced by `[0]` and
//!   their `previousEventId` by 0, the run was sorted by AWS's timestamps,
//!   and (a quirk of its list surgery) a `ParallelStateSucceeded` followed
//!   by its `ParallelStateExited` was dropped. [`localstack_parallel`] does
//!   the same to ours; the masked runs are then compared as multisets,
//!   since the order within them was AWS's own interleaving.

use crate::compare::{json_diff, shorten, text_matches, Placeholders};
use serde_json::Value;

/// Values LocalStack's transformers wrote in place of a varying one, in
/// the history only (not in the case's placeholder list).
pub const REDACTED: &[&str] = &[
    "timestamp",
    "snf_role_arn",
    "lambda_function_name",
    "lambda_function_1_name",
    "date",
    "map_run_arn",
    "<lambda-function-name>",
];

/// The tokens a recorded history is compared with: the case's own
/// (`placeholders_in_expected`), every `<…>` marker LocalStack's
/// transformers left in the history (`<lambda_function_name>`,
/// `<partition>` …), and the bare words of [`REDACTED`].
pub fn history_placeholders(hints: &Value, history: &[Value]) -> Placeholders {
    let mut tokens: Vec<String> = hints
        .get("placeholders_in_expected")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    tokens.extend(REDACTED.iter().map(|s| (*s).to_owned()));
    let text = Value::Array(history.to_vec()).to_string();
    let mut rest = text.as_str();
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':')))
            .map(|e| e + 1);
        match end {
            Some(e) if e > 1 && rest[e..].starts_with('>') => {
                tokens.push(rest[..=e].to_owned());
                rest = &rest[e + 1..];
            }
            _ => rest = &rest[1..],
        }
    }
    Placeholders::new(tokens)
}

/// Whether the case's recording masked Parallel branches.
pub fn masks_parallel(case_json_hints: &Value) -> bool {
    case_json_hints
        .get("custom_snapshot_transformers")
        .and_then(Value::as_array)
        .is_some_and(|a| {
            a.iter().any(|t| {
                t.get("kind").and_then(Value::as_str) == Some("SfnNoneRecursiveParallelTransformer")
            })
        })
}

/// LocalStack's `SfnNoneRecursiveParallelTransformer._normalise_events`,
/// step for step (including how the slice assignment drops an event when
/// a Parallel state's `…Succeeded` and `…Exited` both end the same run).
pub fn localstack_parallel(events: &mut Vec<Value>) {
    const ENDS: &[&str] = &[
        "ParallelStateSucceeded",
        "ParallelStateAborted",
        "ParallelStateExited",
        "ParallelStateFailed",
    ];
    let mut start: Option<usize> = None;
    let mut sublist: Vec<Value> = Vec::new();
    let mut in_sublist = false;
    let mut i = 0;
    while i < events.len() {
        let t = events[i].get("type").and_then(Value::as_str).unwrap_or("");
        if ENDS.contains(&t) {
            let mut sorted = sublist.clone();
            sorted.sort_by_key(Value::to_string);
            let from = start.unwrap_or(0).min(i);
            events.splice(from..i, sorted);
            in_sublist = false;
        } else if t == "ParallelStateStarted" {
            in_sublist = true;
            sublist.clear();
            start = Some(i + 1);
        } else if in_sublist {
            events[i]["id"] = serde_json::json!([0]);
            events[i]["previousEventId"] = Value::from(0);
            sublist.push(events[i].clone());
        }
        i += 1;
    }
}

fn masked(e: &Value) -> bool {
    e.get("id").is_some_and(Value::is_array)
}

/// The first difference between a recorded history and ours (both as
/// `events` arrays; ours already through [`localstack_parallel`] where the
/// recording was), or `None`.
pub fn history_diff(expected: &[Value], actual: &[Value], ph: &Placeholders) -> Option<String> {
    let mut i = 0;
    while i < expected.len().max(actual.len()) {
        let (Some(e), Some(a)) = (expected.get(i), actual.get(i)) else {
            return Some(format!(
                "{} events expected, {} found; first unmatched: {}",
                expected.len(),
                actual.len(),
                shorten(
                    &expected
                        .get(i)
                        .or(actual.get(i))
                        .map(Value::to_string)
                        .unwrap_or_default()
                )
            ));
        };
        if masked(e) {
            let end = (i..expected.len())
                .find(|&j| !masked(&expected[j]))
                .unwrap_or(expected.len());
            let run_a: Vec<&Value> = actual[i..end.min(actual.len())].iter().collect();
            if let Some(d) = multiset_diff(&expected[i..end], &run_a, ph) {
                return Some(format!(
                    "events {}..{} (masked branch events): {d}",
                    i + 1,
                    end
                ));
            }
            i = end;
            continue;
        }
        if let Some(d) = event_diff(e, a, ph) {
            return Some(format!("event #{} ({}): {d}", i + 1, type_of(e)));
        }
        i += 1;
    }
    None
}

fn type_of(e: &Value) -> &str {
    e.get("type").and_then(Value::as_str).unwrap_or("?")
}

fn multiset_diff(expected: &[Value], actual: &[&Value], ph: &Placeholders) -> Option<String> {
    if expected.len() != actual.len() {
        return Some(format!(
            "{} expected, {} found",
            expected.len(),
            actual.len()
        ));
    }
    let mut used = vec![false; actual.len()];
    for e in expected {
        let hit = (0..actual.len()).find(|&j| !used[j] && event_diff(e, actual[j], ph).is_none());
        match hit {
            Some(j) => used[j] = true,
            None => {
                let near = (0..actual.len())
                    .filter(|&j| !used[j] && type_of(actual[j]) == type_of(e))
                    .find_map(|j| event_diff(e, actual[j], ph));
                return Some(format!(
                    "no event of ours matches {}{}",
                    shorten(&e.to_string()),
                    near.map(|d| format!(" (nearest: {d})")).unwrap_or_default()
                ));
            }
        }
    }
    None
}

/// The first difference between two events.
pub fn event_diff(e: &Value, a: &Value, ph: &Placeholders) -> Option<String> {
    for key in ["type", "id", "previousEventId"] {
        if e.get(key) != a.get(key) {
            return Some(format!(
                "{key}: expected {}, got {}",
                show(e.get(key)),
                show(a.get(key))
            ));
        }
    }
    let details = |v: &Value| -> Vec<(String, Value)> {
        v.as_object()
            .map(|o| {
                o.iter()
                    .filter(|(k, _)| k.ends_with("EventDetails"))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (de, da) = (details(e), details(a));
    let keys_e: Vec<&String> = de.iter().map(|(k, _)| k).collect();
    let keys_a: Vec<&String> = da.iter().map(|(k, _)| k).collect();
    if keys_e != keys_a {
        return Some(format!("details: expected {keys_e:?}, got {keys_a:?}"));
    }
    for ((k, ev), (_, av)) in de.iter().zip(&da) {
        let (Some(eo), Some(ao)) = (ev.as_object(), av.as_object()) else {
            continue;
        };
        for (f, x) in eo {
            match ao.get(f) {
                None => return Some(format!("{k}.{f}: expected {}, got none", show(Some(x)))),
                Some(y) if !field_matches(x, y, ph) => {
                    return Some(format!(
                        "{k}.{f}: expected {}, got {}{}",
                        show(Some(x)),
                        show(Some(y)),
                        where_differs(x, y, ph)
                    ))
                }
                Some(_) => {}
            }
        }
        if let Some(f) = ao.keys().find(|f| !eo.contains_key(*f)) {
            return Some(format!(
                "{k}.{f}: not recorded by AWS, but we have {}",
                show(ao.get(f))
            ));
        }
    }
    None
}

/// Where two payloads differ, when both are JSON.
fn where_differs(e: &Value, a: &Value, ph: &Placeholders) -> String {
    let parse = |v: &Value| match v {
        Value::String(s) => serde_json::from_str::<Value>(s).ok(),
        other => Some(other.clone()),
    };
    match (parse(e), parse(a)) {
        (Some(ev), Some(av)) => {
            json_diff(&ev, &av, ph).map_or(String::new(), |m| format!(" ({m})"))
        }
        _ => String::new(),
    }
}

fn show(v: Option<&Value>) -> String {
    v.map_or_else(|| "(none)".into(), |v| shorten(&v.to_string()))
}

/// A detail field: JSON text compared as JSON, else text; objects
/// (`assignedVariables`, `inputDetails`) field by field.
fn field_matches(e: &Value, a: &Value, ph: &Placeholders) -> bool {
    if let Value::String(s) = e {
        if REDACTED.contains(&s.as_str()) || ph.is_token(s) {
            return true;
        }
    }
    match (e, a) {
        (Value::Object(eo), Value::Object(ao)) => {
            eo.len() == ao.len()
                && eo
                    .iter()
                    .all(|(k, x)| ao.get(k).is_some_and(|y| field_matches(x, y, ph)))
        }
        (Value::String(es), Value::String(as_)) => {
            match (
                serde_json::from_str::<Value>(es),
                serde_json::from_str::<Value>(as_),
            ) {
                (Ok(ev), Ok(av)) => json_diff(&ev, &av, ph).is_none(),
                _ => text_matches(es, as_, ph),
            }
        }
        (_, Value::String(as_)) => match serde_json::from_str::<Value>(as_) {
            Ok(av) => json_diff(e, &av, ph).is_none(),
            Err(_) => false,
        },
        _ => json_diff(e, a, ph).is_none(),
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use serde_json::json;

    fn ev(id: u64, prev: u64, t: &str) -> Value {
        json!({"id": id, "previousEventId": prev, "type": t})
    }

    #[test]
    fn localstack_masks_sorts_and_drops_as_it_does() {
        // test_parallel_state_nested's shape: one branch with a Parallel of one branch.
        let mut h = vec![
            ev(1, 0, "ExecutionStarted"),
            ev(2, 0, "ParallelStateEntered"),
            ev(3, 2, "ParallelStateStarted"),
            ev(4, 3, "ParallelStateEntered"),
            ev(5, 4, "ParallelStateStarted"),
            ev(6, 5, "PassStateEntered"),
            ev(7, 6, "PassStateExited"),
            ev(8, 7, "ParallelStateSucceeded"),
            ev(9, 7, "ParallelStateExited"),
            ev(10, 9, "ParallelStateSucceeded"),
            ev(11, 9, "ParallelStateExited"),
            ev(12, 11, "ExecutionSucceeded"),
        ];
        localstack_parallel(&mut h);
        let got: Vec<(String, String)> = h
            .iter()
            .map(|e| (e["id"].to_string(), type_of(e).to_owned()))
            .collect();
        let want: Vec<(String, String)> = [
            ("1", "ExecutionStarted"),
            ("2", "ParallelStateEntered"),
            ("3", "ParallelStateStarted"),
            ("[0]", "ParallelStateEntered"),
            ("5", "ParallelStateStarted"),
            ("[0]", "PassStateEntered"),
            ("[0]", "PassStateExited"),
            ("11", "ParallelStateExited"),
            ("12", "ExecutionSucceeded"),
        ]
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn payloads_compare_as_json_and_runs_as_multisets() {
        let ph = Placeholders::new(["<uuid:1>"]);
        let e = json!({"id": 2, "previousEventId": 0, "type": "PassStateEntered",
            "stateEnteredEventDetails": {"name": "A", "input": {"a": [1, 2]},
            "inputDetails": {"truncated": false}}});
        let a = json!({"id": 2, "previousEventId": 0, "type": "PassStateEntered",
            "stateEnteredEventDetails": {"name": "A", "input": "{\"a\":[1,2.0]}",
            "inputDetails": {"truncated": false}}});
        assert_eq!(event_diff(&e, &a, &ph), None);
        let mut b = a.clone();
        b["stateEnteredEventDetails"]["input"] = json!("{\"a\":[2,1]}");
        assert!(event_diff(&e, &b, &ph).is_some());
        let mut c = a.clone();
        c["previousEventId"] = json!(1);
        assert!(event_diff(&e, &c, &ph)
            .unwrap()
            .starts_with("previousEventId"));
        let mut m1 = e.clone();
        m1["id"] = json!([0]);
        let mut m2 = m1.clone();
        m2["stateEnteredEventDetails"]["name"] = json!("B");
        let (mut o1, mut o2) = (a.clone(), a.clone());
        o1["id"] = json!([0]);
        o2["id"] = json!([0]);
        o2["stateEnteredEventDetails"]["name"] = json!("B");
        assert_eq!(
            history_diff(&[m1.clone(), m2.clone()], &[o2.clone(), o1.clone()], &ph),
            None
        );
        assert!(history_diff(&[m1.clone(), m2], &[o1.clone(), o1], &ph).is_some());
    }
}
