//! Definition-time parsing of JSONPath fields, intrinsic calls and payload
//! templates, keeping what was parsed (each is parsed once).
//!
//! `crate::path` (the JSONPath and intrinsic grammars) decides; a light
//! check here adds the rules AWS states in its own words (a path starts
//! with `$`; a reference path has no `*`, `..`, `?`, `@`, `,` or `:`). Each
//! problem is reported at the field's pointer; inside a template, at the
//! object holding the field, as AWS does (`/States/X/Parameters`).

use serde_json::Value;

use super::codes::{NO_DOLLAR, PASS_RESULT_IS_STATIC};
use super::pointer;
use super::reader::Ctx;
use crate::path::{Expr, Path, PathError, Template};

/// A Path field (`InputPath`, `OutputPath`, Choice `Variable`, `…Path` operands):
/// any JSONPath, `$…` or `$$…`.
pub(crate) fn path(cx: &mut Ctx, ptr: &str, field: &str, s: &str) -> Option<Path> {
    if !s.starts_with('$') {
        cx.schema(
            ptr,
            format!("The value for the field '{field}' must be a valid JSONPath"),
        );
        return None;
    }
    let prefix = format!("The value for the field '{field}' must be a valid JSONPath");
    reported(cx, ptr, Path::parse(s), &prefix)
}

/// The parsed path, or its error reported at `ptr` after `prefix`.
fn reported(
    cx: &mut Ctx,
    ptr: &str,
    parsed: Result<Path, PathError>,
    prefix: &str,
) -> Option<Path> {
    parsed
        .map_err(|e| {
            cx.schema(
                ptr,
                format!("{prefix}: {} (at offset {})", e.message, e.offset),
            )
        })
        .ok()
}

/// A Reference Path field (`ResultPath`, `ItemsPath`, `SecondsPath`, …):
/// a single node, names and indices only. `context` allows `$$…` (only `ItemsPath`).
pub(crate) fn reference(
    cx: &mut Ctx,
    ptr: &str,
    field: &str,
    s: &str,
    context: bool,
) -> Option<Path> {
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
        return None;
    }
    reported(
        cx,
        ptr,
        Path::parse_reference(s),
        "Value is not a Reference Path",
    )
}

/// `ResultPath`: a reference path into the state's input, which may not
/// name a variable (`$name`) nor the context object.
pub(crate) fn result_path(cx: &mut Ctx, ptr: &str, s: &str) -> Option<Path> {
    let variable =
        s.len() > 1 && !s.starts_with("$.") && !s.starts_with("$[") && !s.starts_with("$$");
    if s.starts_with('$') && variable {
        cx.schema(
            ptr,
            "Value is not a Reference Path: the field 'ResultPath' cannot reference a variable",
        );
        return None;
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

/// Whether `s` looks like an intrinsic call (starts with `States.`).
fn looks_like_call(s: &str) -> bool {
    s.trim_start().starts_with("States.")
}

/// A field that takes a path or an intrinsic call (Fail `ErrorPath`/`CausePath`).
pub(crate) fn path_or_call(cx: &mut Ctx, ptr: &str, field: &str, s: &str) -> Option<Expr> {
    let parsed = if looks_like_call(s) || s.starts_with('$') {
        Expr::parse(s).map_err(|e| (e.offset, e.message))
    } else {
        Err((0, "a path starts with '$'".to_owned()))
    };
    match parsed {
        Ok(e) => Some(e),
        Err((offset, why)) => {
            cx.schema(
                ptr,
                format!(
                    "The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call ({why}, at offset {offset})"
                ),
            );
            None
        }
    }
}

/// A payload template (`Parameters`, `ResultSelector`, `ItemSelector`,
/// `Credentials`, JSONPath `Assign`): every `"key.$"` holds a string that is a
/// path or an intrinsic call (errors at the object holding the field, as AWS
/// reports them); plain strings that look like one are warned about.
pub(crate) fn template(cx: &mut Ctx, ptr: &str, v: &Value) -> Option<Template> {
    match Template::compile(v) {
        Err(errs) => {
            for e in errs {
                cx.schema(&format!("{ptr}{}", e.location), e.to_string());
            }
            None
        }
        Ok(t) => {
            warn_literal_paths(cx, ptr, v, 0);
            Some(t)
        }
    }
}

/// Warns (`NO_DOLLAR`) about each plain field of a template that holds what
/// looks like a path or a call. (`"key.$"` values were checked by
/// `Template::compile`.)
fn warn_literal_paths(cx: &mut Ctx, ptr: &str, v: &Value, depth: usize) {
    if depth > 256 {
        return;
    }
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let at = pointer::key(ptr, k);
                if !(k.len() > 2 && k.ends_with(".$")) {
                    if let Value::String(s) = v {
                        no_dollar(cx, &at, k, s);
                    }
                    warn_literal_paths(cx, &at, v, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                warn_literal_paths(cx, &pointer::index(ptr, i), v, depth + 1);
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
        || (looks_like_call(s) && s.trim_end().ends_with(')'));
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
