//! One state: `Type`, `QueryLanguage`, the fields every type shares
//! (`Comment`, `InputPath`, `OutputPath`, `Next`/`End`, `Assign`, `Output`),
//! then the type's own fields (in `simple`, `task`, `choice`, `map`; the
//! fields those share are in `shared`).

use serde_json::Value;

use super::model::{QueryLanguage, State, StateKind, Transition};
use super::reader::{type_name, Ctx, Obj};
use super::shared::{assign, query_field, query_language};
use super::{choice, fields, map, paths, simple, task};
use crate::path::Path;

/// Parses the state `name` at `ptr`. `None` when it had any error (all reported).
pub(crate) fn parse(cx: &mut Ctx, name: &str, v: &Value, ptr: &str) -> Option<State> {
    let obj = Obj::of(cx, v, ptr)?;
    let before = cx.errors();
    if !obj.require(cx, &["Type"]) {
        return None;
    }
    let ty = match obj.get("Type") {
        Some(Value::String(t)) if fields::TYPES.contains(&t.as_str()) => t.as_str(),
        _ => {
            cx.schema(
                &obj.at("Type"),
                format!(
                    "The field 'Type' should have one of these values: [{}]",
                    fields::TYPES.join(", ")
                ),
            );
            return None;
        }
    };
    let lang = language(cx, obj);
    fields::check_state(cx, obj, ty, lang);
    let comment = obj.string(cx, "Comment").map(str::to_owned);
    let input_path = io_path(cx, obj, "InputPath");
    let output_path = io_path(cx, obj, "OutputPath");
    let transition = if matches!(ty, "Choice" | "Succeed" | "Fail") {
        Transition::None
    } else {
        transition(cx, obj)
    };
    let assign = assign(cx, obj, "Assign", lang);
    let output = match lang {
        QueryLanguage::Jsonata => query_field(cx, obj, "Output"),
        QueryLanguage::JsonPath => None,
    };
    let kind = match ty {
        "Pass" => StateKind::Pass(simple::pass(cx, obj, lang)),
        "Task" => StateKind::Task(Box::new(task::task(cx, obj, lang))),
        "Choice" => StateKind::Choice(choice::choice(cx, obj, lang)),
        "Wait" => StateKind::Wait(simple::wait(cx, obj, lang)),
        "Succeed" => StateKind::Succeed,
        "Fail" => StateKind::Fail(simple::fail(cx, obj, lang)),
        "Parallel" => StateKind::Parallel(Box::new(map::parallel(cx, obj, lang))),
        _ => StateKind::Map(Box::new(map::map(cx, obj, lang)?)),
    };
    if cx.errors_since(before) {
        return None;
    }
    Some(State {
        name: name.to_owned(),
        pointer: ptr.to_owned(),
        comment,
        query_language: lang,
        input_path,
        output_path,
        transition,
        assign,
        output,
        kind,
    })
}

/// The state's effective language; a JSONPath state under a JSONata machine is refused.
fn language(cx: &mut Ctx, obj: Obj<'_>) -> QueryLanguage {
    let own = query_language(cx, obj);
    if own == Some(QueryLanguage::JsonPath) && cx.top_language == QueryLanguage::Jsonata {
        cx.schema(
            obj.ptr,
            "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
        );
    }
    own.unwrap_or(cx.top_language)
}

/// `InputPath` / `OutputPath`: `"$"` when absent, `None` when `null`.
fn io_path(cx: &mut Ctx, obj: Obj<'_>, key: &str) -> Option<Path> {
    match obj.get(key) {
        None => Some(Path::input()),
        Some(Value::Null) => None,
        Some(Value::String(s)) => paths::path(cx, &obj.at(key), key, s),
        Some(other) => {
            cx.schema(
                &obj.at(key),
                format!("Expected a string or null but found {}", type_name(other)),
            );
            None
        }
    }
}

/// `Next` or `"End": true`, exactly one.
fn transition(cx: &mut Ctx, obj: Obj<'_>) -> Transition {
    let next = obj.string(cx, "Next");
    let end = obj.boolean(cx, "End");
    if obj.has("Next") && obj.has("End") {
        obj.exclusive(cx, &["Next", "End"]);
        return Transition::None;
    }
    if let Some(n) = next {
        return Transition::Next(n.to_owned());
    }
    match end {
        Some(true) => Transition::End,
        Some(false) => {
            cx.schema(&obj.at("End"), "The field 'End' must be true");
            Transition::None
        }
        None => {
            if !obj.has("Next") && !obj.has("End") {
                cx.schema(obj.ptr, "These fields are required: [Next or End]");
            }
            Transition::None
        }
    }
}
