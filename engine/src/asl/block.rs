//! `StartAt` + `States` blocks: the top level, Parallel branches and Map
//! processors. State names are checked here (length, machine-wide
//! uniqueness), then each state is parsed and the block's graph validated.

use serde_json::Value;

use super::codes::{DUPLICATE_STATE_NAME, INVALID_STATE_NAME};
use super::model::Block;
use super::reader::{Ctx, Obj};
use super::{pointer, state, validate};

/// Longest state name AWS accepts, in characters.
const MAX_NAME: usize = 80;

/// Reads `StartAt` and `States` of `obj` (other fields are the caller's).
pub(crate) fn body(cx: &mut Ctx, obj: Obj<'_>) -> Option<Block> {
    let before = cx.errors();
    obj.require(cx, &["States", "StartAt"]);
    let start_at = obj.string(cx, "StartAt");
    let states_ptr = obj.at("States");
    let mut states = Vec::new();
    if let Some(map) = obj.object(cx, "States", &states_ptr) {
        if map.map.is_empty() {
            cx.schema(&states_ptr, "Value cannot be empty");
        }
        for (name, v) in map.map {
            let ptr = pointer::key(&states_ptr, name);
            check_name(cx, name, &ptr);
            if let Some(s) = state::parse(cx, name, v, &ptr) {
                states.push(s);
            }
        }
        if !map.map.is_empty() {
            validate::graph(cx, map.map, &states_ptr, obj.ptr, start_at);
        }
    }
    if cx.errors_since(before) {
        return None;
    }
    Some(Block {
        start_at: start_at?.to_owned(),
        states,
        pointer: obj.ptr.to_owned(),
    })
}

/// A nested block (Parallel branch, Map processor) given as a JSON value.
/// `extra` lists the fields besides `StartAt`, `States` and `Comment` it may have.
pub(crate) fn nested(cx: &mut Ctx, v: &Value, ptr: &str, extra: &[&str]) -> Option<Block> {
    let obj = Obj::of(cx, v, ptr)?;
    for key in obj.map.keys() {
        let k = key.as_str();
        if !matches!(k, "StartAt" | "States" | "Comment") && !extra.contains(&k) {
            cx.schema(&obj.at(k), format!("Field '{k}' is not supported"));
        }
    }
    obj.string(cx, "Comment");
    body(cx, obj)
}

fn check_name(cx: &mut Ctx, name: &str, ptr: &str) {
    if name.chars().count() > MAX_NAME {
        cx.error(
            INVALID_STATE_NAME,
            ptr,
            format!("State name is longer than {MAX_NAME} characters"),
        );
    }
    if name.is_empty() {
        cx.error(INVALID_STATE_NAME, ptr, "State name cannot be empty");
    }
    if !cx.names.insert(name.to_owned()) {
        cx.error(
            DUPLICATE_STATE_NAME,
            ptr,
            format!("Duplicate State name: {name}"),
        );
    }
}
