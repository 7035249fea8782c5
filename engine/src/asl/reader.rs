//! A small typed reader over `serde_json` objects that records every
//! problem as a [`Diagnostic`] at the field's JSON pointer and carries on,
//! so one pass reports everything at once.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::diag::Diagnostic;
use super::model::Block;
use super::pointer;
use super::{MachineType, QueryLanguage};

/// Reads a nested block (a `Branches` entry, an `ItemProcessor`) at a
/// pointer, allowing `extra` keys: the block reader, handed to the state
/// readers through [`Ctx`] so that they need not import the reader that
/// calls them (block → state → map, and never back).
pub(crate) type NestedBlock = fn(&mut Ctx, &Value, &str, &[&str]) -> Option<Block>;

/// `SCHEMA_VALIDATION_FAILED`: the code AWS uses for every shape problem.
pub(crate) const SCHEMA: &str = super::codes::SCHEMA_VALIDATION_FAILED;

/// Largest value AWS accepts in its integer fields (`TimeoutSeconds`, retrier fields…).
pub(crate) const MAX_INT: u64 = 99_999_999;

/// What the whole parse shares: options, the diagnostics so far, the machine's language.
pub(crate) struct Ctx {
    pub(crate) diags: Vec<Diagnostic>,
    pub(crate) machine_type: MachineType,
    /// The top-level `QueryLanguage`, inherited by states that do not set their own.
    pub(crate) top_language: QueryLanguage,
    /// Every state name seen so far, machine-wide (names must be unique across blocks).
    pub(crate) names: HashSet<String>,
    /// How a Parallel's branches and a Map's processor are read.
    pub(crate) nested: NestedBlock,
}

impl Ctx {
    pub(crate) fn new(machine_type: MachineType, nested: NestedBlock) -> Self {
        Ctx {
            diags: Vec::new(),
            machine_type,
            top_language: QueryLanguage::JsonPath,
            names: HashSet::new(),
            nested,
        }
    }

    /// Records an error with AWS's `code` at `ptr` (`""` is shown as `/`).
    pub(crate) fn error(&mut self, code: &'static str, ptr: &str, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(code, pointer::display(ptr), msg));
    }

    /// Records a warning (it does not make the parse fail).
    pub(crate) fn warn(&mut self, code: &'static str, ptr: &str, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning(code, pointer::display(ptr), msg));
    }

    /// Whether any error (not warning) was recorded since `since` diagnostics.
    pub(crate) fn errors_since(&self, since: usize) -> bool {
        self.diags[since.min(self.diags.len())..]
            .iter()
            .any(|d| d.severity == super::Severity::Error)
    }

    /// Records a `SCHEMA_VALIDATION_FAILED` error.
    pub(crate) fn schema(&mut self, ptr: &str, msg: impl Into<String>) {
        self.error(SCHEMA, ptr, msg);
    }

    /// How many diagnostics so far (a mark for [`Ctx::errors_since`]).
    pub(crate) fn errors(&self) -> usize {
        self.diags.len()
    }
}

/// A JSON type name as AWS's messages spell it.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether a string is a JSONata expression (exactly `{% … %}`, nothing around it).
pub(crate) fn is_jsonata(s: &str) -> bool {
    s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}")
}

/// One JSON object being read, with its pointer.
#[derive(Clone, Copy)]
pub(crate) struct Obj<'a> {
    pub(crate) map: &'a Map<String, Value>,
    pub(crate) ptr: &'a str,
}

impl<'a> Obj<'a> {
    /// Views `v` as an object, or records "must be an object" at `ptr`.
    pub(crate) fn of(cx: &mut Ctx, v: &'a Value, ptr: &'a str) -> Option<Obj<'a>> {
        match v {
            Value::Object(map) => Some(Obj { map, ptr }),
            other => {
                cx.schema(
                    ptr,
                    format!("Expected an object but found {}", type_name(other)),
                );
                None
            }
        }
    }

    /// The raw field, if present.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    /// Whether the field is present (even as `null`).
    pub(crate) fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// Pointer of a field of this object.
    pub(crate) fn at(&self, key: &str) -> String {
        pointer::key(self.ptr, key)
    }

    /// Reports the missing ones of `keys` in one diagnostic, as AWS does:
    /// `These fields are required: [States, StartAt]`. Returns whether all are there.
    pub(crate) fn require(&self, cx: &mut Ctx, keys: &[&str]) -> bool {
        let missing: Vec<&str> = keys.iter().copied().filter(|k| !self.has(k)).collect();
        if missing.is_empty() {
            return true;
        }
        cx.schema(
            self.ptr,
            format!("These fields are required: [{}]", missing.join(", ")),
        );
        false
    }

    /// At most one of `keys` may be present. Returns whether that holds.
    pub(crate) fn exclusive(&self, cx: &mut Ctx, keys: &[&str]) -> bool {
        if keys.iter().filter(|k| self.has(k)).count() <= 1 {
            return true;
        }
        cx.schema(
            self.ptr,
            format!(
                "There should only be one of the following fields: [{}]",
                keys.join(", ")
            ),
        );
        false
    }

    /// A field that takes one of a few strings, each standing for a `T`
    /// (listed in the order AWS's message lists them); anything else is reported.
    pub(crate) fn one_of<T: Copy>(
        &self,
        cx: &mut Ctx,
        key: &str,
        values: &[(&str, T)],
    ) -> Option<T> {
        let v = self.get(key)?;
        let found = values
            .iter()
            .find(|(name, _)| v.as_str() == Some(*name))
            .map(|&(_, t)| t);
        if found.is_none() {
            let names: Vec<&str> = values.iter().map(|(n, _)| *n).collect();
            cx.schema(
                &self.at(key),
                format!(
                    "The field '{key}' should have one of these values: [{}]",
                    names.join(", ")
                ),
            );
        }
        found
    }

    /// A string field; a wrong type is reported.
    pub(crate) fn string(&self, cx: &mut Ctx, key: &str) -> Option<&'a str> {
        match self.get(key)? {
            Value::String(s) => Some(s),
            other => {
                cx.schema(
                    &self.at(key),
                    format!("Expected a string but found {}", type_name(other)),
                );
                None
            }
        }
    }

    /// A boolean field; a wrong type is reported.
    pub(crate) fn boolean(&self, cx: &mut Ctx, key: &str) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            other => {
                cx.schema(
                    &self.at(key),
                    format!("Expected a boolean but found {}", type_name(other)),
                );
                None
            }
        }
    }

    /// An integer field within `min..=max`; wrong type or range is reported.
    pub(crate) fn int(&self, cx: &mut Ctx, key: &str, min: u64, max: u64) -> Option<u64> {
        let v = self.get(key)?;
        int_value(cx, &self.at(key), v, min, max)
    }

    /// A number field (any JSON number) no smaller than `min`.
    pub(crate) fn number(&self, cx: &mut Ctx, key: &str, min: f64) -> Option<f64> {
        match self.get(key)? {
            Value::Number(n) => {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if f >= min {
                    Some(f)
                } else {
                    cx.schema(&self.at(key), format!("must be >= {min:.1}"));
                    None
                }
            }
            other => {
                cx.schema(
                    &self.at(key),
                    format!("Expected a number but found {}", type_name(other)),
                );
                None
            }
        }
    }

    /// An object field, viewed as an [`Obj`] whose pointer is `ptr` (pass `self.at(key)`).
    pub(crate) fn object<'p>(&self, cx: &mut Ctx, key: &str, ptr: &'p str) -> Option<Obj<'p>>
    where
        'a: 'p,
    {
        Obj::of(cx, self.get(key)?, ptr)
    }

    /// An array field; a wrong type is reported.
    pub(crate) fn array(&self, cx: &mut Ctx, key: &str) -> Option<&'a Vec<Value>> {
        match self.get(key)? {
            Value::Array(a) => Some(a),
            other => {
                cx.schema(
                    &self.at(key),
                    format!("Expected an array but found {}", type_name(other)),
                );
                None
            }
        }
    }
}

/// Reads `v` as an integer in `min..=max`, reporting at `ptr`.
pub(crate) fn int_value(cx: &mut Ctx, ptr: &str, v: &Value, min: u64, max: u64) -> Option<u64> {
    let Value::Number(n) = v else {
        cx.schema(
            ptr,
            format!("Expected an integer but found {}", type_name(v)),
        );
        return None;
    };
    if let Some(u) = n.as_u64() {
        if u < min {
            cx.schema(ptr, format!("Minimum value is {min}"));
            return None;
        }
        if u > max {
            cx.schema(ptr, format!("Maximum value is {max}"));
            return None;
        }
        return Some(u);
    }
    if n.as_i64().is_some() {
        cx.schema(ptr, format!("Minimum value is {min}"));
    } else {
        cx.schema(ptr, "Expected an integer but found a decimal number");
    }
    None
}
