//! Task fields: `Resource`, templates, timeouts, `Credentials`, `Retry`, `Catch`.

use serde_json::Value;

use super::model::{NumberOrPath, Payload, QueryLanguage, Task};
use super::reader::{int_value, is_jsonata, Ctx, Obj, MAX_INT};
use super::shared::{arguments, query, result_path, template};
use super::{fields, paths, resource, retry};

/// Parses the Task-specific fields of `obj`.
pub(crate) fn task(cx: &mut Ctx, obj: Obj<'_>, lang: QueryLanguage) -> Task {
    obj.require(cx, &["Resource"]);
    let res = obj.string(cx, "Resource").unwrap_or_default();
    if !res.is_empty() {
        resource::check(cx, &obj.at("Resource"), res);
    }
    let parameters = match lang {
        QueryLanguage::JsonPath => template(cx, obj, "Parameters", lang),
        QueryLanguage::Jsonata => arguments(cx, obj),
    };
    let timeout = seconds(cx, obj, "TimeoutSeconds", lang);
    let heartbeat = seconds(cx, obj, "HeartbeatSeconds", lang);
    if let (Some(NumberOrPath::Value(t)), Some(NumberOrPath::Value(h))) = (&timeout, &heartbeat) {
        if h >= t {
            cx.schema(
                &obj.at("HeartbeatSeconds"),
                "HeartbeatSeconds must be smaller than TimeoutSeconds",
            );
        }
    }
    Task {
        resource: res.to_owned(),
        parameters,
        result_selector: template(cx, obj, "ResultSelector", lang),
        result_path: result_path(cx, obj),
        timeout,
        heartbeat,
        credentials: credentials(cx, obj, lang),
        retry: retry::retriers(cx, obj),
        catch: retry::catchers(cx, obj, lang),
    }
}

/// `<key>` (a positive integer, or `{% %}` in JSONata) or `<key>Path` (a reference path).
fn seconds(cx: &mut Ctx, obj: Obj<'_>, key: &str, lang: QueryLanguage) -> Option<NumberOrPath> {
    let path_key = format!("{key}Path");
    if !obj.exclusive(cx, &[key, &path_key]) {
        return None;
    }
    if let Some(v) = obj.get(key) {
        return match v {
            Value::String(s) if lang == QueryLanguage::Jsonata && is_jsonata(s) => {
                query(cx, &obj.at(key), key, v).map(NumberOrPath::Expr)
            }
            _ => int_value(cx, &obj.at(key), v, 1, MAX_INT).map(NumberOrPath::Value),
        };
    }
    let s = obj.string(cx, &path_key)?;
    paths::reference(cx, &obj.at(&path_key), &path_key, s, false).map(NumberOrPath::Path)
}

/// `Credentials`: `{ "RoleArn": … }` (or `"RoleArn.$"` in JSONPath).
fn credentials(cx: &mut Ctx, obj: Obj<'_>, lang: QueryLanguage) -> Option<Payload> {
    let ptr = obj.at("Credentials");
    let c = obj.object(cx, "Credentials", &ptr)?;
    let allowed: &[&str] = match lang {
        QueryLanguage::JsonPath => &["RoleArn", "RoleArn.$"],
        QueryLanguage::Jsonata => &["RoleArn"],
    };
    if !allowed.iter().any(|k| c.has(k)) {
        cx.schema(&ptr, "The field 'RoleArn' is required but was missing");
    }
    fields::check_plain(cx, c, allowed);
    template(cx, obj, "Credentials", lang)
}
