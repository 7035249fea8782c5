//! The AWS-recorded intrinsic-function cases of the conformance corpus whose
//! definition is one Pass state with Parameters (or one Fail state with
//! ErrorPath/CausePath): the template is compiled and evaluated here and
//! compared with AWS's output.

use super::entropy;
use crate::json::Doc;
use crate::path::{Expr, Path, Template};
use serde_json::{json, Value};
use std::path::PathBuf;

/// `shared/conformance`, found by walking up from the crate (an ancestor
/// holds `shared/`, or an ancestor's parent does, as for worktrees).
fn conformance_dir() -> Option<PathBuf> {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        for base in [Some(dir.as_path()), dir.parent()].into_iter().flatten() {
            let c = base.join("shared/conformance");
            if c.join("aws-recorded.jsonl").is_file() {
                return Some(c);
            }
        }
        if !dir.pop() {
            return None;
        }
    }
}

/// Glob match where each placeholder token stands for any text.
fn text_matches(actual: &str, expected: &str, placeholders: &[String]) -> bool {
    let first = placeholders
        .iter()
        .filter_map(|p| expected.find(p.as_str()).map(|at| (at, p)))
        .min();
    let Some((_, ph)) = first else {
        return actual == expected;
    };
    let (head, tail) = expected.split_once(ph.as_str()).unwrap_or((expected, ""));
    let Some(rest) = actual.strip_prefix(head) else {
        return false;
    };
    (0..=rest.len())
        .filter(|&i| rest.is_char_boundary(i))
        .any(|i| text_matches(&rest[i..], tail, placeholders))
}

fn matches(actual: &Value, expected: &Value, ph: &[String]) -> bool {
    match (actual, expected) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Number(_), Value::String(s)) => ph.iter().any(|p| p == s),
        (Value::String(a), Value::String(b)) => text_matches(a, b, ph),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| matches(x, y, ph))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && b.iter()
                    .all(|(k, y)| a.get(k).is_some_and(|x| matches(x, y, ph)))
        }
        _ => actual == expected,
    }
}

fn context(input: &Value) -> Value {
    json!({
        "Execution": {
            "Id": "arn:aws:states:us-east-1:111111111111:execution:corpus:exec1",
            "Input": input,
            "Name": "exec1",
            "RoleArn": "arn:aws:iam::111111111111:role/corpus",
            "StartTime": "2024-01-01T00:00:00.000Z",
        },
        "StateMachine": {
            "Id": "arn:aws:states:us-east-1:111111111111:stateMachine:corpus",
            "Name": "corpus",
        },
        "State": {"EnteredTime": "2024-01-01T00:00:00.000Z", "Name": "State", "RetryCount": 0},
    })
}

/// Runs one Pass state: Parameters, then ResultPath, then OutputPath.
fn run_pass(state: &Value, input: &Value) -> Result<Value, (String, String)> {
    let tpl = Template::compile(&state["Parameters"])
        .map_err(|e| ("compile".into(), format!("{e:?}")))?;
    let mut doc = Doc::new();
    let inp = doc.import(input);
    let ctx = doc.import(&context(input));
    let mut ent = entropy();
    let fail = |f: crate::error::Failure| (f.error.to_string(), f.cause);
    let result = tpl.eval(&mut doc, inp, ctx, &mut ent).map_err(fail)?;
    let after = match state.get("ResultPath") {
        None => result,
        Some(Value::Null) => inp,
        Some(Value::String(p)) => Path::parse_reference(p)
            .expect("ResultPath")
            .set(&mut doc, inp, result)
            .map_err(fail)?,
        Some(other) => panic!("ResultPath {other}"),
    };
    let out = match state.get("OutputPath") {
        None => after,
        Some(Value::Null) => Doc::EMPTY_OBJECT,
        Some(Value::String(p)) => Path::parse(p)
            .expect("OutputPath")
            .select(&mut doc, after, ctx)
            .ok_or_else(|| ("States.Runtime".to_owned(), "OutputPath".to_owned()))?,
        Some(other) => panic!("OutputPath {other}"),
    };
    Ok(doc.export(out))
}

/// Runs one Fail state's ErrorPath and CausePath.
fn run_fail(state: &Value, input: &Value) -> (String, String) {
    let mut doc = Doc::new();
    let inp = doc.import(input);
    let ctx = doc.import(&context(input));
    let mut ent = entropy();
    let mut get = |field: &str| {
        let src = state[field].as_str().expect("path");
        let v = Expr::parse(src)
            .expect("expr")
            .eval(&mut doc, inp, ctx, field, &mut ent)
            .expect("eval");
        doc.as_str(v).expect("string").to_owned()
    };
    (get("ErrorPath"), get("CausePath"))
}

#[test]
fn aws_recorded_intrinsic_cases() {
    let Some(dir) = conformance_dir() else {
        eprintln!("shared/conformance not found; corpus test skipped");
        return;
    };
    let text = std::fs::read_to_string(dir.join("aws-recorded.jsonl")).expect("corpus");
    let (mut checked, mut failed) = (0, Vec::new());
    for line in text.lines() {
        let case: Value = serde_json::from_str(line).expect("case");
        let intrinsics = case["features"]["intrinsics"].as_array();
        if intrinsics.is_none_or(|a| a.is_empty()) {
            continue;
        }
        let states = case["definition"]["States"].as_object().expect("States");
        if states.len() != 1 {
            continue;
        }
        let state = states.values().next().expect("state");
        let ph: Vec<String> = case["comparison_hints"]["placeholders_in_expected"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let expected = &case["expected"];
        let name = case["name"].as_str().unwrap_or("?");
        let ok = match (state["Type"].as_str(), state.get("Parameters")) {
            (Some("Pass"), Some(_)) => match run_pass(state, &case["input"]) {
                Ok(out) => {
                    expected["status"] == "SUCCEEDED" && matches(&out, &expected["output"], &ph)
                }
                Err((e, c)) => expected["error"] == e.as_str() && expected["cause"] == c.as_str(),
            },
            (Some("Fail"), _) if state.get("ErrorPath").is_some() => {
                let (e, c) = run_fail(state, &case["input"]);
                expected["error"] == e.as_str() && expected["cause"] == c.as_str()
            }
            _ => continue,
        };
        checked += 1;
        if !ok {
            failed.push(name.to_owned());
        }
    }
    eprintln!(
        "intrinsic corpus: {checked} checked, {} failed",
        failed.len()
    );
    assert!(checked >= 130, "only {checked} corpus cases checked");
    assert!(failed.is_empty(), "failed: {failed:#?}");
}
