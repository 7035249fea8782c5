//! ASL definitions: JSON text → typed [`StateMachine`], with every AWS
//! validation rule checked and every problem reported at its JSON pointer.
//!
//! Embedders reach it through [`crate::Definition`]:
//!
//! ```
//! use stampede::{Definition, MachineType};
//!
//! let def = Definition::parse(
//!     r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#,
//!     MachineType::Standard,
//! ).expect("valid");
//! assert_eq!(def.state_names(), ["A"]);
//! assert!(def.warnings().0.is_empty());
//!
//! let errors = Definition::parse(
//!     r#"{"StartAt":"A","States":{"A":{"Type":"Pass"}}}"#,
//!     MachineType::Standard,
//! ).unwrap_err();
//! assert_eq!(errors.0[0].location, "/States/A");
//! ```
//!
//! Diagnostics use AWS's codes (`SCHEMA_VALIDATION_FAILED`,
//! `MISSING_TRANSITION_TARGET`, `MISSING_END_STATE`, `DUPLICATE_STATE_NAME`,
//! `INVALID_STATE_NAME`, `INVALID_JSON_DESCRIPTION`). Locations are RFC 6901
//! pointers; where AWS names an enclosing object (a state for an unsupported
//! field, a template for a bad `"key.$"`), ours is the offending field beneath it.

mod block;
mod choice;
pub mod codes;
mod diag;
mod dmap;
mod fields;
mod map;
pub(crate) mod model;
mod paths;
pub(crate) mod pointer;
mod reader;
mod resource;
mod retry;
mod scope;
mod shared;
mod simple;
mod state;
mod task;
mod validate;

#[cfg(test)]
mod tests;

use serde_json::Value;

pub use diag::{Diagnostic, Diagnostics, Severity};
pub(crate) use model::*;

use reader::{Ctx, Obj, MAX_INT};

/// The kind of state machine a definition is validated for: Express
/// machines may not use `.sync` / `.waitForTaskToken` integrations or activities.
pub(crate) use crate::machine_type::MachineType;

/// Options of [`parse_with`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ParseOptions {
    /// Which kind of machine the definition is validated for.
    pub machine_type: MachineType,
}

/// Parses and validates a definition given as JSON text, for a Standard machine.
///
/// Warnings do not make it fail; they are returned beside the machine.
///
/// # Errors
/// Every problem found, each with its JSON pointer, when any is an error.
#[cfg(test)]
pub(crate) fn parse(text: &str) -> Result<(StateMachine, Diagnostics), Diagnostics> {
    parse_with(text, &ParseOptions::default())
}

/// Like [`parse`], with options (e.g. validate for an Express machine).
///
/// # Errors
/// Every problem found, each with its JSON pointer, when any is an error.
pub(crate) fn parse_with(
    text: &str,
    options: &ParseOptions,
) -> Result<(StateMachine, Diagnostics), Diagnostics> {
    let not_object = || {
        Diagnostics(vec![Diagnostic::error(
            reader::SCHEMA,
            "",
            "Definition must be a valid JSON object",
        )])
    };
    if text.trim().is_empty() {
        return Err(not_object());
    }
    if let Some(too_large) = over_size_quota(text) {
        return Err(Diagnostics(vec![too_large]));
    }
    let doc: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Err(Diagnostics(vec![Diagnostic::error(
                codes::INVALID_JSON_DESCRIPTION,
                "",
                format!("Definition is not valid JSON: {e}"),
            )]))
        }
    };
    let Value::Object(map) = &doc else {
        return Err(not_object());
    };
    let mut cx = Ctx::new(options.machine_type, block::nested);
    let top = Obj { map, ptr: "" };
    let machine = machine(&mut cx, top);
    let diags = Diagnostics(cx.diags);
    match machine {
        Some(m) if !diags.has_errors() => Ok((m, diags)),
        _ => Err(diags),
    }
}

/// AWS's quota on a definition: the API's `definition` is a string of at
/// most 1,048,576 characters (1 MiB; botocore's service model,
/// `Definition` max length), counted as UTF-16 code units as AWS counts them.
pub(crate) const MAX_DEFINITION_CHARS: usize = 1_048_576;

/// The diagnostic for a definition over [`MAX_DEFINITION_CHARS`]: AWS answers
/// such a request with a `ValidationException` before reading it, whose
/// constraint text this quotes.
fn over_size_quota(text: &str) -> Option<Diagnostic> {
    // A UTF-16 length is at most the UTF-8 length: count only when it may be over.
    if text.len() <= MAX_DEFINITION_CHARS {
        return None;
    }
    let chars = text.encode_utf16().count();
    (chars > MAX_DEFINITION_CHARS).then(|| {
        Diagnostic::error(
            codes::DEFINITION_TOO_LARGE,
            "",
            format!(
                "Definition is {chars} characters, over AWS's quota of {MAX_DEFINITION_CHARS} (1 MiB): \
                 Value at 'definition' failed to satisfy constraint: Member must have length less \
                 than or equal to {MAX_DEFINITION_CHARS}"
            ),
        )
    })
}

const TOP_FIELDS: &[&str] = &[
    "Comment",
    "StartAt",
    "States",
    "TimeoutSeconds",
    "Version",
    "QueryLanguage",
];

fn machine(cx: &mut Ctx, top: Obj<'_>) -> Option<StateMachine> {
    fields::check_plain(cx, top, TOP_FIELDS);
    let query_language = shared::query_language(cx, top).unwrap_or_default();
    cx.top_language = query_language;
    let comment = top.string(cx, "Comment").map(str::to_owned);
    let version = top.string(cx, "Version").map(str::to_owned);
    let timeout_seconds = top.int(cx, "TimeoutSeconds", 1, MAX_INT);
    let block = block::body(cx, top)?;
    scope::check(cx, &block);
    Some(StateMachine {
        comment,
        block,
        timeout_seconds,
        version,
        query_language,
    })
}

/// Parses and validates a definition for a machine of `machine_type`.
///
/// # Errors
/// Every problem found, each with its JSON pointer, when any is an error.
pub(crate) fn validate(
    text: &str,
    machine_type: MachineType,
) -> Result<(StateMachine, Diagnostics), Diagnostics> {
    parse_with(text, &ParseOptions { machine_type })
}
