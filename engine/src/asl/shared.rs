//! Fields several kinds of state (and their catchers and Choice rules)
//! share: `ResultPath`, payload templates and `Assign`. Kept apart from
//! `state` so that the per-type parsers depend on these, not on each other.

use std::sync::Arc;

use serde_json::Value;

use super::model::{Payload, Query, QueryLanguage};
use super::reader::{type_name, Ctx, Obj};
use super::{paths, pointer};
use crate::jsonata::QueryTemplate;
use crate::path::Path;

/// Longest variable name AWS accepts, in characters.
const MAX_VARIABLE_NAME: usize = 80;

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
    let Value::Object(fields) = v else {
        cx.schema(
            &obj.at(key),
            format!("Expected an object but found {}", type_name(v)),
        );
        return None;
    };
    let ptr = obj.at(key);
    for k in fields.keys() {
        let name = match lang {
            QueryLanguage::JsonPath => k.strip_suffix(".$").unwrap_or(k),
            QueryLanguage::Jsonata => k,
        };
        if let Some(why) = variable_name_problem(name) {
            cx.schema(&pointer::key(&ptr, k), why);
        }
    }
    template(cx, obj, key, lang)
}

/// What is wrong with a variable name, if anything: AWS takes Unicode
/// identifiers (letters, digits, `_`; not starting with a digit) of at most
/// 80 characters, and reserves `states`.
pub(crate) fn variable_name_problem(name: &str) -> Option<String> {
    if name == "states" {
        return Some("The variable name 'states' is reserved".to_owned());
    }
    if name.chars().count() > MAX_VARIABLE_NAME {
        return Some(format!(
            "The variable name '{name}' is longer than {MAX_VARIABLE_NAME} characters"
        ));
    }
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_');
    (!ok).then(|| format!("The variable name '{name}' is not a valid identifier"))
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
    let (template, query) = match lang {
        QueryLanguage::JsonPath => (paths::template(cx, &obj.at(key), raw).map(Box::new), None),
        QueryLanguage::Jsonata => (None, compile_query(cx, &obj.at(key), key, raw)),
    };
    Some(Payload {
        raw: raw.clone(),
        template,
        query,
    })
}

/// JSONata `Arguments`.
pub(crate) fn arguments(cx: &mut Ctx, obj: Obj<'_>) -> Option<Payload> {
    template(cx, obj, "Arguments", QueryLanguage::Jsonata)
}

/// A JSONata field of `obj` (`Output`, `Items`, `Condition` …), compiled.
pub(crate) fn query_field(cx: &mut Ctx, obj: Obj<'_>, key: &str) -> Option<Query> {
    let raw = obj.get(key)?;
    query(cx, &obj.at(key), key, raw)
}

/// Compiles `raw`, the value of the field `field` at `ptr`, as a JSONata template.
pub(crate) fn query(cx: &mut Ctx, ptr: &str, field: &str, raw: &Value) -> Option<Query> {
    let template = compile_query(cx, ptr, field, raw)?;
    Some(Query {
        raw: raw.clone(),
        template,
    })
}

/// Every expression of `raw` parsed; each one that does not parse is
/// reported at its string's pointer, with the offset inside that string.
fn compile_query(cx: &mut Ctx, ptr: &str, field: &str, raw: &Value) -> Option<Arc<QueryTemplate>> {
    match QueryTemplate::compile(raw, field) {
        Ok(t) => {
            for q in t.queries() {
                if let Some(why) = q.top_level_problem() {
                    cx.schema(
                        ptr,
                        format!("The JSONata expression '{}' is not valid: {why}", q.src),
                    );
                }
            }
            Some(Arc::new(t))
        }
        Err(errs) => {
            for e in errs {
                cx.schema(
                    &format!("{ptr}{}", e.pointer),
                    format!(
                        "The JSONata expression is not valid: {} (at offset {})",
                        e.error, e.error.position
                    ),
                );
            }
            None
        }
    }
}
