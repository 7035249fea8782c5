//! The `pass10` workload by hand on the engine's own arena [`Doc`]: the same
//! JSON edits as [`crate::baseline`], on the fastest representation the
//! project has (32-bit handles, values shared instead of copied, one
//! reusable document), with no interpretation at all: no ops, no paths, no
//! templates, no context object. The engine runs the same edits on the same
//! document type, so the gap between the two is all interpretation.

use crate::baseline::Error;
use stampede::handlers::{Doc, Entry, Val};

#[cold]
fn runtime(cause: String) -> Error {
    Error {
        name: "States.Runtime",
        cause,
    }
}

/// Runs `pass10` on `input` (JSON text) in `doc` (reset first, so its
/// storage is reused across calls) and returns the output as compact JSON.
///
/// # Errors
/// As [`crate::baseline::pass10`]: `States.Runtime` for input that is not
/// JSON or a missing or mistyped field, `States.ResultPathMatchFailure` when a
/// `ResultPath` crosses a value that is not an object.
pub fn pass10(doc: &mut Doc, input: &str) -> Result<String, Error> {
    doc.reset();
    let d = doc;
    let original = d
        .parse(input)
        .map_err(|e| runtime(format!("input is not JSON: {e}")))?;
    let mut root = original;

    // P01: {id.$: $.order.id, tier.$: $.order.customer.tier} → $.summary
    let id = get(d, root, &["order", "id"])?;
    let tier = get(d, root, &["order", "customer", "tier"])?;
    let r = object(d, &[("id", id), ("tier", tier)]);
    root = set(d, root, &["summary"], r)?;

    // P02: Result {ok: true, source: "pass10"} → $.flags
    let source = d.str("pass10");
    let r = object(d, &[("ok", Doc::TRUE), ("source", source)]);
    root = set(d, root, &["flags"], r)?;

    // P03: {n.$: States.MathAdd($.count, 1)} → $.step
    let n = math_add(d, get(d, root, &["count"])?, 1)?;
    let r = object(d, &[("n", n)]);
    root = set(d, root, &["step"], r)?;

    // P04: InputPath $.order, {first.$: $.items[0], name.$: $.customer.name} → $.order.extract
    let eff = get(d, root, &["order"])?;
    let items = get(d, eff, &["items"])?;
    let first = d
        .index(items, 0)
        .ok_or_else(|| runtime("no value at $.items[0]".into()))?;
    let name = get(d, eff, &["customer", "name"])?;
    let r = object(d, &[("first", first), ("name", name)]);
    root = set(d, root, &["order", "extract"], r)?;

    // P05: {msg.$: States.Format('Hello {} ({})', $.order.customer.name, $.summary.tier)} → $.greeting
    let mut msg = String::from("Hello ");
    format_arg(d, get(d, root, &["order", "customer", "name"])?, &mut msg);
    msg.push_str(" (");
    format_arg(d, get(d, root, &["summary", "tier"])?, &mut msg);
    msg.push(')');
    let msg = d.str(&msg);
    let r = object(d, &[("msg", msg)]);
    root = set(d, root, &["greeting"], r)?;

    // P06: {len.$: States.ArrayLength($.order.items)} → $.summary.itemCount
    let len = get(d, root, &["order", "items"])
        .ok()
        .and_then(|v| d.as_array(v))
        .map(<[Val]>::len)
        .ok_or_else(|| runtime("States.ArrayLength: $.order.items is not an array".into()))?;
    let len = d.int(len as i64);
    let r = object(d, &[("len", len)]);
    root = set(d, root, &["summary", "itemCount"], r)?;

    // P07: {static: "x", nested: {a.$: $.flags.ok, ctx.$: $$.Execution.Input.order.id}} → $.extra
    let a = get(d, root, &["flags", "ok"])?;
    let ctx = get(d, original, &["order", "id"])?;
    let nested = object(d, &[("a", a), ("ctx", ctx)]);
    let x = d.str("x");
    let r = object(d, &[("static", x), ("nested", nested)]);
    root = set(d, root, &["extra"], r)?;

    // P08: {v.$: States.MathAdd($.count, 10)} → $.tmp
    let v = math_add(d, get(d, root, &["count"])?, 10)?;
    let r = object(d, &[("v", v)]);
    root = set(d, root, &["tmp"], r)?;

    // P09: InputPath $.tmp.v → $.count
    let v = get(d, root, &["tmp", "v"])?;
    root = set(d, root, &["count"], v)?;

    // P10: the output, built from the document's values (shared, not copied).
    let fields = [
        ("id", get(d, root, &["summary", "id"])?),
        ("greeting", get(d, root, &["greeting", "msg"])?),
        ("count", get(d, root, &["count"])?),
        ("items", get(d, root, &["order", "items"])?),
        ("extract", get(d, root, &["order", "extract"])?),
        ("itemCount", get(d, root, &["summary", "itemCount", "len"])?),
        ("extra", get(d, root, &["extra"])?),
    ];
    let out = object(d, &fields);
    Ok(d.to_json(out))
}

fn object(d: &mut Doc, fields: &[(&str, Val)]) -> Val {
    let mut b = d.object_builder(fields.len());
    for (i, (k, v)) in fields.iter().enumerate() {
        let key = d.key(k);
        d.set_member(&b, i, Entry { key, val: *v });
    }
    d.finish_object(&mut b)
}

/// The value at `$.a.b.c` of `v` for `path = ["a", "b", "c"]`.
fn get(d: &Doc, v: Val, path: &[&str]) -> Result<Val, Error> {
    path.iter()
        .try_fold(v, |v, k| d.field(v, k))
        .ok_or_else(|| runtime(format!("no value at $.{}", path.join("."))))
}

/// `root` with `value` at `path` (a `ResultPath`), missing parents created.
fn set(d: &mut Doc, root: Val, path: &[&str], value: Val) -> Result<Val, Error> {
    let Some((first, rest)) = path.split_first() else {
        return Ok(value);
    };
    if d.as_object(root).is_none() {
        return Err(Error {
            name: "States.ResultPathMatchFailure",
            cause: format!(
                "cannot write $.{}: a parent is not an object",
                path.join(".")
            ),
        });
    }
    let inner = match rest {
        [] => value,
        _ => {
            let child = d.field(root, first).unwrap_or(Doc::EMPTY_OBJECT);
            set(d, child, rest, value)?
        }
    };
    Ok(d.with_field(root, first, inner))
}

fn math_add(d: &mut Doc, v: Val, k: i64) -> Result<Val, Error> {
    let sum = d.as_i64(v).and_then(|n| n.checked_add(k)).ok_or_else(|| {
        runtime(format!(
            "States.MathAdd: {} is not an integer",
            d.to_json(v)
        ))
    })?;
    Ok(d.int(sum))
}

fn format_arg(d: &Doc, v: Val, out: &mut String) {
    match d.as_str(v) {
        Some(s) => out.push_str(s),
        None => d.write_json(v, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{workloads_dir, Workload};
    use stampede::RunOptions;

    #[test]
    fn equals_the_engine_and_the_serde_baseline() {
        let w = Workload::load(&workloads_dir().unwrap(), "pass10").unwrap();
        let machine = crate::engine().compile(&w.definition).unwrap();
        let mut doc = Doc::new();
        for input in [
            w.input.as_str(),
            r#"{"order":{"id":42,"items":[{"x":1}],"customer":{"name":"Zoë","tier":3}},"count":-5}"#,
            r#"{"order":{"id":"a","items":["s",2,3,4],"customer":{"name":"N","tier":null}},"count":7,"other":[1]}"#,
        ] {
            let engine = machine.run_text(input, &RunOptions::default()).unwrap();
            let ours = pass10(&mut doc, input).unwrap();
            assert_eq!(engine.output.as_deref(), Some(ours.as_str()), "{input}");
            assert_eq!(crate::baseline::pass10(input).unwrap(), ours, "{input}");
        }
    }

    #[test]
    fn errors_as_the_serde_baseline() {
        let mut doc = Doc::new();
        let e = pass10(&mut doc, r#"{"count":0}"#).unwrap_err();
        assert_eq!(e.name, "States.Runtime");
        assert!(e.cause.contains("$.order.id"), "{e}");
        let e = pass10(&mut doc, "{nope").unwrap_err();
        assert!(e.cause.starts_with("input is not JSON"), "{e}");
        let r = set(&mut doc, Doc::TRUE, &["a"], Doc::NULL).unwrap_err();
        assert_eq!(r.name, "States.ResultPathMatchFailure");
    }
}
