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
    /// A `serde_json` value (boxed: an input is small while it waits in a
    /// batch's queue, whatever its kind).
    Json(Box<serde_json::Value>),
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
        Input::Json(Box::new(v))
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

/// Shared inputs up to this size are kept parsed for the next execution.
const KEEP_PARSED_BYTES: usize = 64 << 10;

thread_local! {
    /// The last shared input this thread parsed, with its document: the
    /// executions of a batch of one input copy it instead of parsing the
    /// same text again (the peers' benchmarks, too, parse their input once).
    /// Holds the text alive until another shared input replaces it.
    static PARSED: std::cell::RefCell<Option<(Arc<str>, Doc, Val)>> =
        const { std::cell::RefCell::new(None) };
}

/// The document of shared input `t` when this thread parsed it last.
fn parsed_before(t: &Arc<str>) -> Option<(Doc, Val)> {
    PARSED.with(|p| match &*p.borrow() {
        Some((s, d, v)) if Arc::ptr_eq(s, t) => {
            let mut doc = spare_doc(t.len() * 2);
            doc.copy_all_from(d);
            Some((doc, *v))
        }
        _ => None,
    })
}

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
        Input::Shared(t) => {
            if let Some(hit) = parsed_before(t) {
                return Ok(hit);
            }
            let (doc, v) = parse(t)?;
            if t.len() <= KEEP_PARSED_BYTES {
                PARSED.with(|p| *p.borrow_mut() = Some((Arc::clone(t), doc.clone(), v)));
            }
            Ok((doc, v))
        }
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
    fn a_shared_input_parsed_again_is_a_copy_of_the_first() {
        let t: Arc<str> = Arc::from(r#"{"a":[1,{"b":"x\ny"}],"c":2.5}"#);
        let (d1, v1) = load(&Input::Shared(Arc::clone(&t))).unwrap();
        let (mut d2, v2) = load(&Input::Shared(Arc::clone(&t))).unwrap();
        assert_eq!(d2.to_json(v2), d1.to_json(v1));
        // The copy is a document of its own: editing it leaves the next one alone.
        let k = d2.int(7);
        let w = d2.with_field(v2, "c", k);
        assert_eq!(d2.to_json(w), r#"{"a":[1,{"b":"x\ny"}],"c":7}"#);
        let (d3, v3) = load(&Input::Shared(Arc::clone(&t))).unwrap();
        assert_eq!(d3.to_json(v3), d1.to_json(v1));
        // Another text with the same contents is parsed on its own, and so
        // is an invalid one, every time.
        let other: Arc<str> = Arc::from("[true]");
        let (d4, v4) = load(&Input::Shared(other)).unwrap();
        assert_eq!(d4.to_json(v4), "[true]");
        let bad: Arc<str> = Arc::from("{nope");
        assert!(load(&Input::Shared(Arc::clone(&bad))).is_err());
        assert!(load(&Input::Shared(bad)).is_err());
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
            load(&Input::Json(Box::new(v))),
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
