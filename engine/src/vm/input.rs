//! Execution inputs and loading them into an execution's document: the one
//! place every scheduler turns an [`Input`] into arena JSON.

use super::fiber::spare_doc;
use crate::json::{Doc, Val};
use std::fmt;
use std::sync::Arc;

/// An execution input: JSON text (owned or shared between many executions) or a value.
#[derive(Debug, Clone)]
pub enum Input {
    /// JSON text.
    Text(String),
    /// JSON text shared by many executions (no copy per execution).
    Shared(Arc<str>),
    /// A `serde_json` value.
    Json(serde_json::Value),
}

impl From<String> for Input {
    fn from(s: String) -> Self {
        Input::Text(s)
    }
}

impl From<&str> for Input {
    fn from(s: &str) -> Self {
        Input::Text(s.to_owned())
    }
}

impl From<Arc<str>> for Input {
    fn from(s: Arc<str>) -> Self {
        Input::Shared(s)
    }
}

impl From<serde_json::Value> for Input {
    fn from(v: serde_json::Value) -> Self {
        Input::Json(v)
    }
}

/// AWS's quota on an execution's input: 256 KiB of UTF-8 (hard quota).
pub const MAX_INPUT_BYTES: usize = 262_144;

/// Why an execution input was refused before the execution started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// The text is not JSON: serde_json's message, with line and column.
    NotJson(String),
    /// Over AWS's 256 KiB quota ([`MAX_INPUT_BYTES`]): its size in bytes.
    TooLarge(usize),
}

impl InputError {
    /// Checks that `text` is JSON without keeping it (e.g. an input shared by a batch).
    ///
    /// # Errors
    /// [`InputError::NotJson`] when it is not.
    pub fn check(text: &str) -> Result<(), InputError> {
        load(&Input::Text(text.to_owned())).map(|(d, _)| super::fiber::recycle_doc(d))
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::NotJson(m) => write!(f, "invalid execution input: {m}"),
            InputError::TooLarge(n) => write!(
                f,
                "invalid execution input: {n} bytes, over AWS's quota of {MAX_INPUT_BYTES} bytes (256 KiB)"
            ),
        }
    }
}

impl std::error::Error for InputError {}

/// Parses `input` into a document of its own (a recycled one when this thread has one).
pub(crate) fn load(input: &Input) -> Result<(Doc, Val), InputError> {
    let parse = |t: &str| {
        if t.len() > MAX_INPUT_BYTES {
            return Err(InputError::TooLarge(t.len()));
        }
        let mut doc = spare_doc(t.len() * 2);
        match doc.parse(t) {
            Ok(v) => Ok((doc, v)),
            Err(e) => Err(InputError::NotJson(e.message)),
        }
    };
    match input {
        Input::Text(t) => parse(t),
        Input::Shared(t) => parse(t),
        Input::Json(v) => {
            let len = serde_json::to_vec(v).map_or(0, |b| b.len());
            if len > MAX_INPUT_BYTES {
                return Err(InputError::TooLarge(len));
            }
            let mut doc = Doc::new();
            let root = doc.import(v);
            Ok((doc, root))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_text_shared_and_values() {
        let (d, v) = load(&Input::from(r#"{"a":1}"#)).unwrap();
        assert_eq!(d.to_json(v), r#"{"a":1}"#);
        let (d, v) = load(&Input::from(Arc::<str>::from("[1,2]"))).unwrap();
        assert_eq!(d.to_json(v), "[1,2]");
        let (d, v) = load(&Input::from(serde_json::json!({"b": true}))).unwrap();
        assert_eq!(d.to_json(v), r#"{"b":true}"#);
    }

    #[test]
    fn refuses_inputs_over_256_kib() {
        let ok = format!("\"{}\"", "a".repeat(MAX_INPUT_BYTES - 2));
        assert!(load(&Input::from(ok.as_str())).is_ok());
        let big = format!("\"{}\"", "a".repeat(MAX_INPUT_BYTES - 1));
        assert_eq!(
            load(&Input::from(big.as_str())).unwrap_err(),
            InputError::TooLarge(MAX_INPUT_BYTES + 1)
        );
        let v = serde_json::Value::String("a".repeat(MAX_INPUT_BYTES));
        assert!(matches!(
            load(&Input::Json(v)),
            Err(InputError::TooLarge(_))
        ));
    }

    #[test]
    fn refuses_text_that_is_not_json() {
        let e = load(&Input::from("{nope")).unwrap_err();
        assert!(
            e.to_string().starts_with("invalid execution input: "),
            "{e}"
        );
        assert!(InputError::check("[1,").is_err());
        assert!(InputError::check("[1]").is_ok());
    }
}
