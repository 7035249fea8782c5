//! A hand-written Rust baseline of the `pass10` workload: the same JSON edits
//! its ten Pass states make, coded directly on `serde_json::Value` with no
//! engine. The distance between Stampede running `pass10` and this is the
//! cost of interpretation.
//!
//! Each state reads the JSON paths it names, builds its result and writes it
//! at its `ResultPath`, creating missing parent objects as AWS does. Values
//! are copied where ASL semantics copy (a result is a new value); only the
//! last state, whose input is dropped afterwards, moves values out.

use serde_json::{Map, Value};
use std::fmt;

/// A failure of the baseline, named as AWS would name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The ASL error name, e.g. `States.Runtime`.
    pub name: &'static str,
    /// What went wrong.
    pub cause: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.cause)
    }
}

impl std::error::Error for Error {}

#[cold]
fn runtime(cause: String) -> Error {
    Error {
        name: "States.Runtime",
        cause,
    }
}

/// Runs `pass10` on `input` (JSON text) and returns its output as compact JSON text.
///
/// # Errors
/// `States.Runtime` when the input is not JSON or a path the states read is
/// missing or of the wrong type; `States.ResultPathMatchFailure` when a
/// `ResultPath` crosses a value that is not an object.
pub fn pass10(input: &str) -> Result<String, Error> {
    let original: Value =
        serde_json::from_str(input).map_err(|e| runtime(format!("input is not JSON: {e}")))?;
    let mut doc = original.clone();

    // P01: Parameters {id.$: $.order.id, tier.$: $.order.customer.tier}, ResultPath $.summary
    let r = object([
        ("id", get(&doc, &["order", "id"])?.clone()),
        ("tier", get(&doc, &["order", "customer", "tier"])?.clone()),
    ]);
    set(&mut doc, &["summary"], r)?;

    // P02: Result {ok: true, source: "pass10"}, ResultPath $.flags
    let r = object([("ok", Value::Bool(true)), ("source", "pass10".into())]);
    set(&mut doc, &["flags"], r)?;

    // P03: Parameters {n.$: States.MathAdd($.count, 1)}, ResultPath $.step
    let n = math_add(get(&doc, &["count"])?, 1)?;
    set(&mut doc, &["step"], object([("n", n)]))?;

    // P04: InputPath $.order, Parameters {first.$: $.items[0], name.$: $.customer.name},
    //      ResultPath $.order.extract
    let eff = get(&doc, &["order"])?;
    let first = get(eff, &["items"])?
        .as_array()
        .and_then(|a| a.first())
        .ok_or_else(|| runtime("no value at $.items[0]".into()))?
        .clone();
    let name = get(eff, &["customer", "name"])?.clone();
    let r = object([("first", first), ("name", name)]);
    set(&mut doc, &["order", "extract"], r)?;

    // P05: Parameters {msg.$: States.Format('Hello {} ({})', $.order.customer.name,
    //      $.summary.tier)}, ResultPath $.greeting
    let mut msg = String::from("Hello ");
    format_arg(get(&doc, &["order", "customer", "name"])?, &mut msg);
    msg.push_str(" (");
    format_arg(get(&doc, &["summary", "tier"])?, &mut msg);
    msg.push(')');
    set(
        &mut doc,
        &["greeting"],
        object([("msg", Value::String(msg))]),
    )?;

    // P06: Parameters {len.$: States.ArrayLength($.order.items)}, ResultPath $.summary.itemCount
    let len = get(&doc, &["order", "items"])?
        .as_array()
        .ok_or_else(|| runtime("States.ArrayLength: $.order.items is not an array".into()))?
        .len();
    set(
        &mut doc,
        &["summary", "itemCount"],
        object([("len", len.into())]),
    )?;

    // P07: Parameters {static: "x", nested: {a.$: $.flags.ok,
    //      ctx.$: $$.Execution.Input.order.id}}, ResultPath $.extra
    let nested = object([
        ("a", get(&doc, &["flags", "ok"])?.clone()),
        ("ctx", get(&original, &["order", "id"])?.clone()),
    ]);
    let r = object([("static", "x".into()), ("nested", nested)]);
    set(&mut doc, &["extra"], r)?;

    // P08: Parameters {v.$: States.MathAdd($.count, 10)}, ResultPath $.tmp
    let v = math_add(get(&doc, &["count"])?, 10)?;
    set(&mut doc, &["tmp"], object([("v", v)]))?;

    // P09: InputPath $.tmp.v, ResultPath $.count (a Pass without Parameters echoes its input)
    let v = get(&doc, &["tmp", "v"])?.clone();
    set(&mut doc, &["count"], v)?;

    // P10: Parameters {...}, ResultPath $ (the result is the output)
    let out = object([
        ("id", take(&mut doc, &["summary", "id"])?),
        ("greeting", take(&mut doc, &["greeting", "msg"])?),
        ("count", take(&mut doc, &["count"])?),
        ("items", take(&mut doc, &["order", "items"])?),
        ("extract", take(&mut doc, &["order", "extract"])?),
        (
            "itemCount",
            take(&mut doc, &["summary", "itemCount", "len"])?,
        ),
        ("extra", take(&mut doc, &["extra"])?),
    ]);
    serde_json::to_string(&out).map_err(|e| runtime(e.to_string()))
}

fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    let mut m = Map::with_capacity(N);
    for (k, v) in fields {
        m.insert(k.to_owned(), v);
    }
    Value::Object(m)
}

/// The value at `$.a.b.c` for `path = ["a", "b", "c"]`.
fn get<'a>(v: &'a Value, path: &[&str]) -> Result<&'a Value, Error> {
    path.iter()
        .try_fold(v, |v, k| v.get(k))
        .ok_or_else(|| missing(path))
}

/// Moves the value at `path` out, leaving `null` (for a document about to be dropped).
fn take(v: &mut Value, path: &[&str]) -> Result<Value, Error> {
    path.iter()
        .try_fold(v, |v, k| v.get_mut(k))
        .map(Value::take)
        .ok_or_else(|| missing(path))
}

#[cold]
fn missing(path: &[&str]) -> Error {
    runtime(format!("no value at $.{}", path.join(".")))
}

/// Writes `value` at `path` (a `ResultPath`), creating missing parent objects.
fn set(doc: &mut Value, path: &[&str], value: Value) -> Result<(), Error> {
    let Some((last, parents)) = path.split_last() else {
        *doc = value;
        return Ok(());
    };
    let mut at = doc;
    for k in parents {
        at = object_mut(at, path)?
            .entry(*k)
            .or_insert_with(|| Value::Object(Map::new()));
    }
    object_mut(at, path)?.insert((*last).to_owned(), value);
    Ok(())
}

fn object_mut<'a>(v: &'a mut Value, path: &[&str]) -> Result<&'a mut Map<String, Value>, Error> {
    v.as_object_mut().ok_or_else(|| Error {
        name: "States.ResultPathMatchFailure",
        cause: format!(
            "cannot write $.{}: a parent is not an object",
            path.join(".")
        ),
    })
}

/// `States.MathAdd(v, k)` on integers, as AWS does.
fn math_add(v: &Value, k: i64) -> Result<Value, Error> {
    v.as_i64()
        .and_then(|n| n.checked_add(k))
        .map(Value::from)
        .ok_or_else(|| runtime(format!("States.MathAdd: {v} is not an integer")))
}

/// A `States.Format` argument: strings as they are, anything else as JSON.
fn format_arg(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => out.push_str(s),
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{workloads_dir, Workload};
    use stampede::{RunOptions, Status};

    #[test]
    fn baseline_equals_engine_on_pass10_input() {
        let w = Workload::load(&workloads_dir().unwrap(), "pass10").unwrap();
        let machine = crate::engine().compile(&w.definition).unwrap();
        let outcome = machine.run_text(&w.input, &RunOptions::default()).unwrap();
        assert_eq!(outcome.status, Status::Succeeded);
        assert_eq!(outcome.transitions, 10);
        let engine_out = outcome.output.unwrap();
        assert_eq!(pass10(&w.input).unwrap(), engine_out);
    }

    #[test]
    fn baseline_output_is_what_pass10_computes() {
        let input = r#"{"order":{"id":"o-7","items":[5,6],"customer":{"name":"Bo","tier":"silver"}},"count":2}"#;
        let want = serde_json::json!({
            "id": "o-7", "greeting": "Hello Bo (silver)", "count": 12, "items": [5, 6],
            "extract": {"first": 5, "name": "Bo"}, "itemCount": 2,
            "extra": {"static": "x", "nested": {"a": true, "ctx": "o-7"}}
        });
        let got: Value = serde_json::from_str(&pass10(input).unwrap()).unwrap();
        assert_eq!(got, want);
    }

    #[test]
    fn baseline_and_engine_agree_on_other_inputs() {
        let w = Workload::load(&workloads_dir().unwrap(), "pass10").unwrap();
        let machine = crate::engine().compile(&w.definition).unwrap();
        for input in [
            r#"{"order":{"id":42,"items":[{"x":1}],"customer":{"name":"Zoë","tier":3}},"count":-5}"#,
            r#"{"order":{"id":"a","items":["s",2,3,4],"customer":{"name":"N","tier":null}},"count":7,"other":[1]}"#,
        ] {
            let outcome = machine.run_text(input, &RunOptions::default()).unwrap();
            assert_eq!(
                outcome.output.as_deref(),
                Some(&*pass10(input).unwrap()),
                "{input}"
            );
        }
    }

    #[test]
    fn missing_field_is_a_runtime_error() {
        let e = pass10(r#"{"count":0}"#).unwrap_err();
        assert_eq!(e.name, "States.Runtime");
        assert!(e.cause.contains("$.order.id"), "{e}");
    }

    #[test]
    fn result_path_through_a_non_object_fails() {
        let mut doc = serde_json::json!({"a": 1});
        let e = set(&mut doc, &["a", "b"], 2.into()).unwrap_err();
        assert_eq!(e.name, "States.ResultPathMatchFailure");
        set(&mut doc, &["c", "d"], 3.into()).unwrap();
        assert_eq!(doc, serde_json::json!({"a": 1, "c": {"d": 3}}));
    }
}
