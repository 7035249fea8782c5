//! Pass, Wait and Fail fields.

use serde_json::Value;

use super::model::{Fail, FailField, Pass, QueryLanguage, Wait};
use super::paths;
use super::reader::{int_value, is_jsonata, type_name, Ctx, Obj, MAX_INT};
use super::shared::{query, result_path, template};
use crate::path::Path;
use crate::time::parse_rfc3339;

/// Pass: `Result`, `ResultPath`, `Parameters` (JSONPath); JSONata has `Output` only.
pub(crate) fn pass(cx: &mut Ctx, obj: Obj<'_>, lang: QueryLanguage) -> Pass {
    if let Some(r) = obj.get("Result") {
        paths::static_result(cx, &obj.at("Result"), r, 0);
    }
    Pass {
        result: obj.get("Result").cloned(),
        result_path: result_path(cx, obj),
        parameters: template(cx, obj, "Parameters", lang),
    }
}

const WAIT_FIELDS: [&str; 4] = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];

/// Wait: exactly one of `Seconds`, `SecondsPath`, `Timestamp`, `TimestampPath`.
pub(crate) fn wait(cx: &mut Ctx, obj: Obj<'_>, lang: QueryLanguage) -> Wait {
    let present = WAIT_FIELDS.iter().filter(|k| obj.has(k)).count();
    let placeholder = Wait::Seconds(0);
    if present == 0 {
        cx.schema(
            obj.ptr,
            format!(
                "Exactly one of these fields is required: [{}]",
                WAIT_FIELDS.join(", ")
            ),
        );
        return placeholder;
    }
    if !obj.exclusive(cx, &WAIT_FIELDS) {
        return placeholder;
    }
    let jsonata = lang == QueryLanguage::Jsonata;
    if let Some(v) = obj.get("Seconds") {
        return match v {
            Value::String(s) if jsonata && is_jsonata(s) => {
                query(cx, &obj.at("Seconds"), "Seconds", v).map_or(placeholder, |expr| Wait::Expr {
                    seconds: true,
                    expr,
                })
            }
            _ => {
                int_value(cx, &obj.at("Seconds"), v, 0, MAX_INT).map_or(placeholder, Wait::Seconds)
            }
        };
    }
    if let Some(v) = obj.get("Timestamp") {
        let ptr = obj.at("Timestamp");
        return match v {
            Value::String(s) if jsonata && is_jsonata(s) => {
                query(cx, &ptr, "Timestamp", v).map_or(placeholder, |expr| Wait::Expr {
                    seconds: false,
                    expr,
                })
            }
            Value::String(s) if parse_rfc3339(s).is_some() => Wait::Timestamp(s.clone()),
            Value::String(_) => {
                cx.schema(&ptr, "String does not match RFC3339 timestamp");
                placeholder
            }
            other => {
                cx.schema(
                    &ptr,
                    format!("Expected a string but found {}", type_name(other)),
                );
                placeholder
            }
        };
    }
    for (key, make) in [
        ("SecondsPath", Wait::SecondsPath as fn(Path) -> Wait),
        ("TimestampPath", Wait::TimestampPath),
    ] {
        if let Some(s) = obj.string(cx, key) {
            return paths::reference(cx, &obj.at(key), key, s, false).map_or(placeholder, make);
        }
    }
    placeholder
}

/// Fail: `Error` | `ErrorPath`, `Cause` | `CausePath`.
pub(crate) fn fail(cx: &mut Ctx, obj: Obj<'_>, lang: QueryLanguage) -> Fail {
    Fail {
        error: fail_field(cx, obj, "Error", "ErrorPath", lang),
        cause: fail_field(cx, obj, "Cause", "CausePath", lang),
    }
}

fn fail_field(
    cx: &mut Ctx,
    obj: Obj<'_>,
    lit: &str,
    path: &str,
    lang: QueryLanguage,
) -> Option<FailField> {
    if !obj.exclusive(cx, &[lit, path]) {
        return None;
    }
    if let Some(s) = obj.string(cx, lit) {
        if lang == QueryLanguage::Jsonata && is_jsonata(s) {
            let v = obj.get(lit)?;
            return query(cx, &obj.at(lit), lit, v).map(FailField::Query);
        }
        return Some(FailField::Literal(s.to_owned()));
    }
    let s = obj.string(cx, path)?;
    paths::path_or_call(cx, &obj.at(path), path, s).map(FailField::Path)
}
