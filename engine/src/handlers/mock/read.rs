//! Reading a mock file (AWS's `MockConfigFile.json`) into its state
//! machines, test cases and mocked responses, collecting every problem with
//! its JSON pointer instead of stopping at the first.

use super::error::{child, MockProblem, MockProblemKind as K};
use super::response::{parse_key, Action, Entry, Response};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// A mock file as read: what it holds, in the file's order.
#[derive(Debug, Default)]
pub(crate) struct MockFile {
    /// `StateMachines` (`None` when missing or malformed, already a problem).
    pub(crate) machines: Option<Vec<MachineMocks>>,
    /// `MockedResponses`, by name.
    pub(crate) responses: HashMap<String, Arc<Response>>,
}

/// One state machine's `TestCases`.
#[derive(Debug)]
pub(crate) struct MachineMocks {
    pub(crate) name: String,
    /// `None` when missing or malformed (already a problem).
    pub(crate) cases: Option<Vec<CaseMocks>>,
}

/// One test case: state name → mocked response name.
#[derive(Debug)]
pub(crate) struct CaseMocks {
    pub(crate) name: String,
    pub(crate) states: Vec<(String, String)>,
}

/// The problems found so far.
type Problems = Vec<MockProblem>;

fn problem(out: &mut Problems, pointer: String, kind: K) {
    out.push(MockProblem { pointer, kind });
}

/// Reads mock-file text: a syntax error is the only problem; otherwise as [`read_value`].
pub(crate) fn read_text(text: &str) -> (MockFile, Problems) {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => read_value(&v),
        Err(e) => (
            MockFile::default(),
            vec![MockProblem {
                pointer: String::new(),
                kind: K::Syntax {
                    line: e.line(),
                    column: e.column(),
                    message: e.to_string(),
                },
            }],
        ),
    }
}

/// Reads a mock file's JSON: everything well formed, and every problem.
pub(crate) fn read_value(v: &Value) -> (MockFile, Problems) {
    let mut out = Problems::new();
    let mut file = MockFile::default();
    let Some(root) = object(v, String::new(), &mut out) else {
        return (file, out);
    };
    for k in root.keys() {
        if k != "StateMachines" && k != "MockedResponses" {
            problem(
                &mut out,
                child("", k),
                K::UnknownField {
                    expected: "StateMachines or MockedResponses",
                },
            );
        }
    }
    match root.get("StateMachines") {
        Some(m) => file.machines = machines(m, &mut out),
        None => problem(&mut out, String::new(), K::Missing("StateMachines")),
    }
    match root.get("MockedResponses") {
        Some(r) => file.responses = responses(r, &mut out),
        None => problem(&mut out, String::new(), K::Missing("MockedResponses")),
    }
    (file, out)
}

/// `v` as an object, or a problem at `at`.
fn object<'v>(v: &'v Value, at: String, out: &mut Problems) -> Option<&'v Map<String, Value>> {
    let o = v.as_object();
    if o.is_none() {
        problem(out, at, K::NotObject);
    }
    o
}

fn machines(v: &Value, out: &mut Problems) -> Option<Vec<MachineMocks>> {
    let at = "/StateMachines".to_owned();
    let m = object(v, at.clone(), out)?;
    let list = m
        .iter()
        .map(|(name, v)| MachineMocks {
            name: name.clone(),
            cases: cases(v, child(&at, name), out),
        })
        .collect();
    Some(list)
}

/// A state machine's test cases (a malformed test case is left out: a
/// problem already, so no second one when it is chosen).
fn cases(v: &Value, at: String, out: &mut Problems) -> Option<Vec<CaseMocks>> {
    let sm = object(v, at.clone(), out)?;
    for k in sm.keys().filter(|k| *k != "TestCases") {
        let expected = "TestCases";
        problem(out, child(&at, k), K::UnknownField { expected });
    }
    let Some(cases) = sm.get("TestCases") else {
        problem(out, at, K::Missing("TestCases"));
        return None;
    };
    let at = child(&at, "TestCases");
    let cases = object(cases, at.clone(), out)?;
    let cases = cases
        .iter()
        .map(|(case, v)| CaseMocks {
            name: case.clone(),
            states: states(v, child(&at, case), out),
        })
        .collect();
    Some(cases)
}

/// A test case's `STATE: RESPONSE_NAME` pairs.
fn states(v: &Value, at: String, out: &mut Problems) -> Vec<(String, String)> {
    let Some(states) = object(v, at.clone(), out) else {
        return Vec::new();
    };
    states
        .iter()
        .filter_map(|(state, r)| match r.as_str() {
            Some(r) => Some((state.clone(), r.to_owned())),
            None => {
                problem(out, child(&at, state), K::NotResponseName);
                None
            }
        })
        .collect()
}

fn responses(v: &Value, out: &mut Problems) -> HashMap<String, Arc<Response>> {
    let at = "/MockedResponses".to_owned();
    let Some(m) = object(v, at.clone(), out) else {
        return HashMap::new();
    };
    m.iter()
        .map(|(name, v)| (name.clone(), Arc::new(response(v, child(&at, name), out))))
        .collect()
}

/// One mocked response. A malformed one still counts as defined, so a test
/// case that names it gets no second problem.
fn response(v: &Value, at: String, out: &mut Problems) -> Response {
    let Some(keys) = object(v, at.clone(), out) else {
        return Response::default();
    };
    let mut entries: Vec<Entry> = keys
        .iter()
        .filter_map(|(key, v)| entry(key, v, child(&at, key), out))
        .collect();
    entries.sort_by_key(|e| e.first);
    // The entry reaching furthest so far: any later start at or before its end overlaps it.
    let mut reach = 0;
    for i in 1..entries.len() {
        if entries[i].first <= entries[reach].last {
            let other = entries[reach].key.clone();
            problem(out, child(&at, &entries[i].key), K::Overlap { other });
        }
        if entries[i].last > entries[reach].last {
            reach = i;
        }
    }
    Response { entries }
}

/// One entry: `{"Return": …}` or `{"Throw": {"Error": …, "Cause": …}}`,
/// with an optional `"Latency": MS`.
fn entry(key: &str, v: &Value, at: String, out: &mut Problems) -> Option<Entry> {
    let range = parse_key(key).map_err(|k| problem(out, at.clone(), k));
    let o = object(v, at.clone(), out)?;
    for k in o.keys() {
        if !matches!(k.as_str(), "Return" | "Throw" | "Latency") {
            problem(
                out,
                child(&at, k),
                K::UnknownField {
                    expected: "Return, Throw or Latency",
                },
            );
        }
    }
    let latency_ms = match o.get("Latency") {
        None => Some(0),
        Some(l) => {
            let ms = l.as_u64();
            if ms.is_none() {
                problem(out, child(&at, "Latency"), K::InvalidLatency);
            }
            ms
        }
    };
    let action = match (o.get("Return"), o.get("Throw")) {
        (Some(_), Some(_)) => {
            problem(out, at, K::ReturnAndThrow);
            None
        }
        (None, None) => {
            problem(out, at, K::NoReturnOrThrow);
            None
        }
        (Some(r), None) => Some(Action::Return(r.clone())),
        (None, Some(t)) => throw(t, child(&at, "Throw"), out),
    };
    let (first, last) = range.ok()?;
    Some(Entry {
        first,
        last,
        key: key.to_owned(),
        action: action?,
        latency_ms: latency_ms?,
    })
}

/// `{"Error": E, "Cause": C}`; `Cause` may be left out.
fn throw(v: &Value, at: String, out: &mut Problems) -> Option<Action> {
    let o = object(v, at.clone(), out)?;
    for k in o.keys().filter(|k| *k != "Error" && *k != "Cause") {
        problem(
            out,
            child(&at, k),
            K::UnknownField {
                expected: "Error or Cause",
            },
        );
    }
    let text = |field: &'static str, out: &mut Problems| match o.get(field) {
        Some(Value::String(s)) => Some(Some(s.clone())),
        Some(_) => {
            problem(out, child(&at, field), K::NotString);
            None
        }
        None => Some(None),
    };
    let error = text("Error", out);
    let cause = text("Cause", out)?;
    let Some(error) = error? else {
        problem(out, at, K::Missing("Error"));
        return None;
    };
    Some(Action::Throw {
        error,
        cause: cause.unwrap_or_default(),
    })
}
