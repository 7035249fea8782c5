//! Graph rules of one `States` block, read from the raw JSON so they run
//! even where a state had schema errors:
//!
//! - every `StartAt`, `Next`, `Default`, `Choices[i].Next` and `Catch[i].Next`
//!   names a state of the same block (`MISSING_TRANSITION_TARGET`,
//!   `Missing 'Next' target: X`; AWS says `Next` whatever the field);
//! - the block has a terminal state: Succeed, Fail or `"End": true`
//!   (`MISSING_END_STATE`, `Workflow has no terminal state`; AWS gives no
//!   location, we give the block's);
//! - every state is reachable from `StartAt` (`MISSING_TRANSITION_TARGET`,
//!   `State "X" is not reachable.`, an ERROR on AWS). As on AWS, a block with
//!   no terminal state is not also walked for reachability.
//!
//! Locations are RFC 6901 pointers (`/States/C/Choices/0/Next`); AWS prints
//! array elements of these graph diagnostics as `/States/C/Choices[0]/Next`.

use std::collections::{HashMap, VecDeque};

use serde_json::{Map, Value};

use super::pointer;
use super::reader::Ctx;

use super::codes::{MISSING_END_STATE, MISSING_TRANSITION_TARGET as MISSING_TARGET};

/// Checks the block whose `States` object is `states` (at `states_ptr`), held
/// by the object at `block_ptr` with `StartAt` `start_at`.
pub(crate) fn graph(
    cx: &mut Ctx,
    states: &Map<String, Value>,
    states_ptr: &str,
    block_ptr: &str,
    start_at: Option<&str>,
) {
    let index: HashMap<&str, usize> = states
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); states.len()];
    let mut start_ok = false;
    if let Some(s) = start_at {
        if index.contains_key(s) {
            start_ok = true;
        } else {
            missing(cx, &pointer::key(block_ptr, "StartAt"), s);
        }
    }
    let mut terminal = false;
    for (i, (name, v)) in states.iter().enumerate() {
        let Value::Object(st) = v else { continue };
        let ptr = pointer::key(states_ptr, name);
        let ty = st.get("Type").and_then(Value::as_str).unwrap_or("");
        if matches!(ty, "Succeed" | "Fail") || st.get("End") == Some(&Value::Bool(true)) {
            terminal = true;
        }
        let mut targets: Vec<(String, &str)> = Vec::new();
        for field in ["Next", "Default"] {
            if let Some(Value::String(t)) = st.get(field) {
                targets.push((pointer::key(&ptr, field), t));
            }
        }
        for list in ["Choices", "Catch"] {
            if let Some(Value::Array(items)) = st.get(list) {
                let list_ptr = pointer::key(&ptr, list);
                for (j, item) in items.iter().enumerate() {
                    if let Some(Value::String(t)) = item.get("Next") {
                        targets.push((pointer::key(&pointer::index(&list_ptr, j), "Next"), t));
                    }
                }
            }
        }
        for (at, t) in targets {
            match index.get(t) {
                Some(&j) => edges[i].push(j),
                None => missing(cx, &at, t),
            }
        }
    }
    if !terminal {
        cx.error(
            MISSING_END_STATE,
            block_ptr,
            "Workflow has no terminal state",
        );
        return;
    }
    if !start_ok {
        return;
    }
    let mut seen = vec![false; states.len()];
    let mut queue = VecDeque::new();
    let start = start_at.and_then(|s| index.get(s)).copied().unwrap_or(0);
    seen[start] = true;
    queue.push_back(start);
    while let Some(i) = queue.pop_front() {
        for &j in &edges[i] {
            if !seen[j] {
                seen[j] = true;
                queue.push_back(j);
            }
        }
    }
    for (i, name) in states.keys().enumerate() {
        if !seen[i] {
            cx.error(
                MISSING_TARGET,
                &pointer::key(states_ptr, name),
                format!("State \"{name}\" is not reachable."),
            );
        }
    }
}

fn missing(cx: &mut Ctx, at: &str, target: &str) {
    cx.error(
        MISSING_TARGET,
        at,
        format!("Missing 'Next' target: {target}"),
    );
}
