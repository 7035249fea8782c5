//! `Retry` and `Catch` of Task, Parallel and Map.
//!
//! Retrier: `ErrorEquals` (non-empty, strings), `IntervalSeconds` (1..=99999999,
//! default 1), `MaxAttempts` (0..=99999999, default 3), `BackoffRate` (>= 1.0,
//! default 2.0), `MaxDelaySeconds` (1..=99999999), `JitterStrategy` (FULL|NONE).
//! Catcher: `ErrorEquals`, `Next`, `ResultPath` | `Output`, `Assign`.
//! `States.ALL` must stand alone in its `ErrorEquals` and be in the last
//! retrier (catcher).

use serde_json::Value;

use super::model::{Catcher, Jitter, QueryLanguage, Retrier};
use super::reader::{type_name, Ctx, Obj, MAX_INT};
use super::shared::{assign, query_field, result_path};
use super::{fields, pointer};

const RETRIER_FIELDS: &[&str] = &[
    "ErrorEquals",
    "IntervalSeconds",
    "MaxAttempts",
    "BackoffRate",
    "MaxDelaySeconds",
    "JitterStrategy",
    "Comment",
];

const CATCHER_FIELDS: &[&str] = &[
    "ErrorEquals",
    "Next",
    "ResultPath",
    "Output",
    "Assign",
    "Comment",
];

/// The state's `Retry` list (empty when absent).
pub(crate) fn retriers(cx: &mut Ctx, state: Obj<'_>) -> Vec<Retrier> {
    let Some(items) = state.array(cx, "Retry") else {
        return Vec::new();
    };
    let list_ptr = state.at("Retry");
    let mut out = Vec::new();
    for (i, v) in items.iter().enumerate() {
        let ptr = pointer::index(&list_ptr, i);
        let Some(o) = Obj::of(cx, v, &ptr) else {
            continue;
        };
        fields::check_plain(cx, o, RETRIER_FIELDS);
        o.require(cx, &["ErrorEquals"]);
        let error_equals = error_equals(cx, o, i + 1 == items.len(), "retrier");
        let jitter = o
            .one_of(
                cx,
                "JitterStrategy",
                &[("FULL", Jitter::Full), ("NONE", Jitter::None)],
            )
            .unwrap_or_default();
        out.push(Retrier {
            error_equals,
            interval_seconds: o.int(cx, "IntervalSeconds", 1, MAX_INT).unwrap_or(1),
            max_attempts: o.int(cx, "MaxAttempts", 0, MAX_INT).unwrap_or(3),
            backoff_rate: o.number(cx, "BackoffRate", 1.0).unwrap_or(2.0),
            max_delay_seconds: o.int(cx, "MaxDelaySeconds", 1, MAX_INT),
            jitter,
        });
    }
    out
}

/// The state's `Catch` list (empty when absent).
pub(crate) fn catchers(cx: &mut Ctx, state: Obj<'_>, lang: QueryLanguage) -> Vec<Catcher> {
    let Some(items) = state.array(cx, "Catch") else {
        return Vec::new();
    };
    let list_ptr = state.at("Catch");
    let mut out = Vec::new();
    for (i, v) in items.iter().enumerate() {
        let ptr = pointer::index(&list_ptr, i);
        let Some(o) = Obj::of(cx, v, &ptr) else {
            continue;
        };
        fields::check(cx, o, CATCHER_FIELDS, lang);
        o.require(cx, &["ErrorEquals", "Next"]);
        let error_equals = error_equals(cx, o, i + 1 == items.len(), "catcher");
        out.push(Catcher {
            error_equals,
            next: o.string(cx, "Next").unwrap_or_default().to_owned(),
            result_path: result_path(cx, o),
            assign: assign(cx, o, "Assign", lang),
            output: match lang {
                QueryLanguage::Jsonata => query_field(cx, o, "Output"),
                QueryLanguage::JsonPath => None,
            },
        });
    }
    out
}

/// `ErrorEquals` of a retrier or catcher; `last` says whether it is the last of its list.
fn error_equals(cx: &mut Ctx, o: Obj<'_>, last: bool, what: &str) -> Vec<String> {
    let Some(items) = o.array(cx, "ErrorEquals") else {
        return Vec::new();
    };
    let ptr = o.at("ErrorEquals");
    if items.is_empty() {
        cx.schema(&ptr, "Value cannot be empty");
        return Vec::new();
    }
    let mut names = Vec::new();
    for (i, v) in items.iter().enumerate() {
        match v {
            Value::String(s) => names.push(s.clone()),
            other => cx.schema(
                &pointer::index(&ptr, i),
                format!("Expected a string but found {}", type_name(other)),
            ),
        }
    }
    if names.iter().any(|n| n == "States.ALL") {
        if items.len() > 1 {
            cx.schema(
                &ptr,
                "'States.ALL' must appear alone in an 'ErrorEquals' array",
            );
        } else if !last {
            cx.schema(&ptr, format!("'States.ALL' must be in the last {what}"));
        }
    }
    names
}
