//! Fields several kinds of state (and their catchers and Choice rules)
//! share: `ResultPath`, payload templates and `Assign`. Kept apart from
//! `state` so that the per-type parsers depend on these, not on each other.

use serde_json::Value;

use super::model::{Payload, QueryLanguage};
use super::paths;
use super::reader::{type_name, Ctx, Obj};
use crate::path::Path;

/// `QueryLanguage` (the machine's or a state's); `None` when absent or bad (reported).
pub(crate) fn query_language(cx: &mut Ctx, obj: Obj<'_>) -> Option<QueryLanguage> {
    obj.one_of(
        cx,
        "QueryLanguage",
        &[
            ("JSONPath", QueryLanguage::JsonPath),
            ("JSONata", QueryLanguage::Jsonata),
        ],
    )
}

/// `ResultPath` (states and catchers): `"$"` when absent, `None` when `null`.
pub(crate) fn result_path(cx: &mut Ctx, obj: Obj<'_>) -> Option<Path> {
    match obj.get("ResultPath") {
        None => Some(Path::input()),
        Some(Value::Null) => None,
        Some(Value::String(s)) => paths::result_path(cx, &obj.at("ResultPath"), s),
        Some(other) => {
            cx.schema(
                &obj.at("ResultPath"),
                format!("Expected a string or null but found {}", type_name(other)),
            );
            None
        }
    }
}

/// `Assign` (states, Choice rules, catchers): an object; in JSONPath its
/// `"name.$"` fields are paths or intrinsic calls.
pub(crate) fn assign(
    cx: &mut Ctx,
    obj: Obj<'_>,
    key: &str,
    lang: QueryLanguage,
) -> Option<Payload> {
    let v = obj.get(key)?;
    if !v.is_object() {
        cx.schema(
            &obj.at(key),
            format!("Expected an object but found {}", type_name(v)),
        );
        return None;
    }
    template(cx, obj, key, lang)
}

/// A payload template field (`Parameters`, `ResultSelector`, `ItemSelector`,
/// `Assign`): compiled in JSONPath, kept as is in JSONata (`Arguments`).
pub(crate) fn template(
    cx: &mut Ctx,
    obj: Obj<'_>,
    key: &str,
    lang: QueryLanguage,
) -> Option<Payload> {
    let raw = obj.get(key)?;
    let template = match lang {
        QueryLanguage::JsonPath => paths::template(cx, &obj.at(key), raw).map(Box::new),
        QueryLanguage::Jsonata => None,
    };
    Some(Payload {
        raw: raw.clone(),
        template,
    })
}

/// JSONata `Arguments`: kept as written.
pub(crate) fn arguments(obj: Obj<'_>) -> Option<Payload> {
    obj.get("Arguments").map(|raw| Payload {
        raw: raw.clone(),
        template: None,
    })
}
