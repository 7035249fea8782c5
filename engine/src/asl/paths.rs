//! Definition-time checks of JSONPath fields and payload templates.
//!
//! Syntax is checked twice over: `crate::path` (the full JSONPath parser)
//! decides first; where it accepts, a light check here enforces the rules
//! that hold whatever the parser (a path starts with `$`; a reference path
//! has no `*`, `..`, `?`, `@`, `,` or `:`; intrinsic call syntax). Each
//! problem is reported at the field's pointer; inside a template, at the
//! `"key.$"` field's own pointer (AWS names the enclosing template object,
//! e.g. `/States/X/Parameters`; ours is beneath it).

use serde_json::Value;

use super::codes::{NO_DOLLAR, PASS_RESULT_IS_STATIC};
use super::intrinsic;
use super::pointer;
use super::reader::Ctx;
use crate::path::{Path, Template};

/// A Path field (`InputPath`, `OutputPath`, Choice `Variable`, `…Path` operands):
/// any JSONPath, `$…` or `$$…`.
pub(crate) fn path(cx: &mut Ctx, ptr: &str, field: &str, s: &str) -> bool {
    if !s.starts_with('$') {
        cx.schema(
            ptr,
            format!("The value for the field '{field}' must be a valid JSONPath"),
        );
        return false;
    }
    match Path::parse(s) {
        Ok(_) => true,
        Err(e) => {
            cx.schema(
                ptr,
                format!(
                    "The value for the field '{field}' must be a valid JSONPath: {} (at offset {})",
                    e.message, e.offset
                ),
            );
            false
        }
    }
}

/// A Reference Path field (`ResultPath`, `ItemsPath`, `SecondsPath`, …):
/// a single node, names and indices only. `context` allows `$$…` (only `ItemsPath`).
pub(crate) fn reference(cx: &mut Ctx, ptr: &str, field: &str, s: &str, context: bool) -> bool {
    let bad = if !s.starts_with('$') {
        Some("must start with '$'".to_owned())
    } else if s.starts_with("$$") && !context {
        Some("must not read the context object ('$$')".to_owned())
    } else {
        reference_problem(s)
    };
    if let Some(why) = bad {
        cx.schema(
            ptr,
            format!("Value is not a Reference Path: the field '{field}' {why}"),
        );
        return false;
    }
    match Path::parse_reference(s) {
        Ok(_) => true,
        Err(e) => {
            cx.schema(
                ptr,
                format!(
                    "Value is not a Reference Path: {} (at offset {})",
                    e.message, e.offset
                ),
            );
            false
        }
    }
}

/// `ResultPath`: a reference path into the state's input, which may not
/// name a variable (`$name`) nor the context object.
pub(crate) fn result_path(cx: &mut Ctx, ptr: &str, s: &str) -> bool {
    let variable =
        s.len() > 1 && !s.starts_with("$.") && !s.starts_with("$[") && !s.starts_with("$$");
    if s.starts_with('$') && variable {
        cx.schema(
            ptr,
            "Value is not a Reference Path: the field 'ResultPath' cannot reference a variable",
        );
        return false;
    }
    reference(cx, ptr, "ResultPath", s, false)
}

/// The first character a reference path may not hold, outside quoted names.
fn reference_problem(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'\'' | b'"' => quote = Some(c),
                b'*' | b'?' | b'@' | b',' | b':' => {
                    return Some(format!("must not contain '{}'", c as char));
                }
                b'.' if b.get(i + 1) == Some(&b'.') => {
                    return Some("must not contain '..'".to_owned());
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// A field that takes a path or an intrinsic call (Fail `ErrorPath`/`CausePath`,
/// the value of a `"key.$"` template field).
pub(crate) fn path_or_call(cx: &mut Ctx, ptr: &str, field: &str, s: &str) -> bool {
    let problem = if intrinsic::looks_like_call(s) {
        intrinsic::check(s).err()
    } else if !s.starts_with('$') {
        Some((0, "a path starts with '$'".to_owned()))
    } else {
        Path::parse(s).err().map(|e| (e.offset, e.message))
    };
    let Some((offset, why)) = problem else {
        return true;
    };
    cx.schema(
        ptr,
        format!(
            "The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call ({why}, at offset {offset})"
        ),
    );
    false
}

/// A payload template (`Parameters`, `ResultSelector`, `ItemSelector`,
/// `Credentials`, JSONPath `Assign`): every `"key.$"` holds a string that is a
/// path or an intrinsic call.
pub(crate) fn template(cx: &mut Ctx, ptr: &str, v: &Value) {
    match Template::compile(v) {
        Err(errs) => {
            for (rel, msg) in errs {
                cx.schema(&format!("{ptr}{rel}"), msg);
            }
        }
        Ok(_) => walk(cx, ptr, v, 0),
    }
}

fn walk(cx: &mut Ctx, ptr: &str, v: &Value, depth: usize) {
    if depth > 256 {
        return;
    }
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let at = pointer::key(ptr, k);
                if k.len() > 2 && k.ends_with(".$") {
                    match v {
                        Value::String(s) => {
                            path_or_call(cx, &at, k, s);
                        }
                        _ => cx.schema(
                            &at,
                            format!(
                                "The value for the field '{k}' must be a STRING that contains a JSONPath or an intrinsic function call"
                            ),
                        ),
                    }
                } else {
                    if let Value::String(s) = v {
                        no_dollar(cx, &at, k, s);
                    }
                    walk(cx, &at, v, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(cx, &pointer::index(ptr, i), v, depth + 1);
            }
        }
        _ => {}
    }
}

/// Warns (`NO_DOLLAR`) when a plain field holds what looks like a path or a call.
fn no_dollar(cx: &mut Ctx, ptr: &str, key: &str, s: &str) {
    let looks = s.starts_with("$.")
        || s.starts_with("$$.")
        || s.starts_with("$[")
        || (intrinsic::looks_like_call(s) && s.trim_end().ends_with(')'));
    if looks {
        cx.warn(
            NO_DOLLAR,
            ptr,
            format!("The field '{key}' holds a JSONPath or an intrinsic call but its name does not end with '.$': it is taken literally"),
        );
    }
}

/// Warns (`PASS_RESULT_IS_STATIC`) about `"key.$"` fields inside a Pass `Result`.
pub(crate) fn static_result(cx: &mut Ctx, ptr: &str, v: &Value, depth: usize) {
    if depth > 256 {
        return;
    }
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let at = pointer::key(ptr, k);
                if k.ends_with(".$") {
                    cx.warn(
                        PASS_RESULT_IS_STATIC,
                        &at,
                        format!("'Result' is static: the field '{k}' is not evaluated (use 'Parameters')"),
                    );
                }
                static_result(cx, &at, v, depth + 1);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                static_result(cx, &pointer::index(ptr, i), v, depth + 1);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::reference_problem as r;

    #[test]
    fn reference_paths() {
        assert_eq!(r("$.a.b[0]"), None);
        assert_eq!(r("$['a:b']"), None);
        assert!(r("$.a[*]").is_some());
        assert!(r("$..a").is_some());
        assert!(r("$.a[?(@.x)]").is_some());
        assert!(r("$.a[1:2]").is_some());
        assert!(r("$.a[1,2]").is_some());
    }
}
