//! States.StringToJson, JsonToString, JsonMerge.

use super::{failure, kind_name, want_str, Func};
use crate::error::Failure;
use crate::json::{Doc, Entry, Val};

/// Parses the string; blank text gives `null`.
pub(super) fn string_to_json(doc: &mut Doc, v: Val) -> Result<Val, Failure> {
    let f = Func::StringToJson;
    let s = want_str(doc, f, v, "the argument")?;
    let t = s.trim();
    if t.is_empty() {
        return Ok(Doc::NULL);
    }
    if t == "-0" {
        // An integer literal: Jackson reads it as 0, not as -0.0.
        return Ok(doc.int(0));
    }
    doc.parse(&s)
        .map_err(|_| failure(f, format!("the string is not valid JSON: {s}")))
}

/// Compact JSON text of any value.
pub(super) fn json_to_string(doc: &mut Doc, v: Val) -> Val {
    let s = doc.to_json(v);
    doc.str(&s)
}

/// Shallow merge: the members of `a` (replaced by `b`'s where both have
/// one) then `b`'s other members. AWS supports only `deep = false`.
pub(super) fn merge(doc: &mut Doc, a: Val, b: Val, deep: Val) -> Result<Val, Failure> {
    let f = Func::JsonMerge;
    match doc.as_bool(deep) {
        Some(false) => {}
        Some(true) => {
            return Err(failure(
                f,
                "only the shallow merging mode is supported; the third argument must be false",
            ))
        }
        None => {
            return Err(failure(
                f,
                format!(
                    "the third argument must be a boolean, not {}",
                    kind_name(doc, deep)
                ),
            ))
        }
    }
    let want = |doc: &Doc, v: Val, n: &str| -> Result<Vec<Entry>, Failure> {
        doc.as_object(v)
            .map(|o| o.entries().to_vec())
            .ok_or_else(|| {
                failure(
                    f,
                    format!(
                        "the {n} argument must be an object, not {}",
                        kind_name(doc, v)
                    ),
                )
            })
    };
    let first = want(doc, a, "first")?;
    let second = want(doc, b, "second")?;
    let mut out: Vec<Entry> = Vec::with_capacity(first.len() + second.len());
    for e in &first {
        let name = doc.key_str(e.key);
        if out.iter().any(|o| doc.key_str(o.key) == name) {
            continue;
        }
        let val = doc
            .field(b, name)
            .or_else(|| doc.field(a, name))
            .unwrap_or(e.val);
        out.push(Entry { key: e.key, val });
    }
    for e in &second {
        let name = doc.key_str(e.key);
        if !out.iter().any(|o| doc.key_str(o.key) == name) {
            out.push(*e);
        }
    }
    Ok(doc.object(&out))
}
