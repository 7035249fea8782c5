//! Member lookup and sequence building on values: jsonata's `lookup`
//! (mapped over arrays), `append`, and one-level flattening.

use super::value::Value;
use crate::json::{Doc, Ref};

/// jsonata's `lookup`: a member of an object, mapped over arrays.
pub(crate) fn lookup_field<'a>(doc: &Doc, input: &Value<'a>, name: &str) -> Value<'a> {
    match input {
        Value::Json(v) => match doc.get(*v) {
            Ref::Object(o) => o.get(name).map_or(Value::Undefined, Value::Json),
            Ref::Array(a) => {
                let mut out = Vec::new();
                for &x in a {
                    match doc.field(x, name) {
                        Some(f) => match doc.get(f) {
                            Ref::Array(inner) => out.extend(inner.iter().map(|y| Value::Json(*y))),
                            _ => out.push(Value::Json(f)),
                        },
                        None => {
                            if let Ref::Array(_) = doc.get(x) {
                                let r = lookup_field(doc, &Value::Json(x), name);
                                push_flat(doc, &mut out, r);
                            }
                        }
                    }
                }
                Value::seq(out)
            }
            _ => Value::Undefined,
        },
        Value::Obj(_) => input.field(doc, name),
        Value::Arr(s) => {
            let mut out = Vec::new();
            for x in &s.items {
                let r = lookup_field(doc, x, name);
                push_flat(doc, &mut out, r);
            }
            Value::seq(out)
        }
        Value::Tuples(_) => {
            let items = input.items(doc);
            lookup_field(doc, &Value::seq(items), name)
        }
        _ => Value::Undefined,
    }
}

/// Appends `r` to `out`, one level of arrays flattened.
pub(crate) fn push_flat<'a>(doc: &Doc, out: &mut Vec<Value<'a>>, r: Value<'a>) {
    match &r {
        Value::Undefined => {}
        _ if r.is_array(doc) => out.extend(r.items(doc)),
        _ => out.push(r),
    }
}

/// jsonata's `append` (plain-array concatenation, one level flattened).
pub(crate) fn append<'a>(doc: &Doc, a: Value<'a>, b: Value<'a>) -> Value<'a> {
    if a.is_undef() {
        return b;
    }
    if b.is_undef() {
        return a;
    }
    let mut items = a.items(doc);
    if b.is_array(doc) {
        items.extend(b.items(doc));
    } else {
        items.push(b);
    }
    Value::array(items)
}
