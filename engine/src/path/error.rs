//! The errors of parsing paths, intrinsic calls and payload templates. Each
//! carries where the problem is: a byte offset inside the string, or the JSON
//! pointer of the template object holding the bad field.

use std::fmt;

/// A syntax error in a path or an intrinsic call, with the byte offset inside the string.
/// `$.a b` (offset 3), `States.Format('x'` (offset 17).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// Byte offset in the source text where the problem is.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (offset {})", self.message, self.offset)
    }
}

impl std::error::Error for PathError {}

/// A problem in a payload template. `location` is the JSON pointer, relative
/// to the template, of the object holding the field (AWS names that object,
/// not the field); the kind says what is wrong, and `Display` renders AWS's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// Pointer of the object holding the field, relative to the template (`""` for the top).
    pub location: String,
    /// What is wrong.
    pub kind: TemplateErrorKind,
}

/// The kinds of [`TemplateError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateErrorKind {
    /// A `"key.$"` value that is not a string holding a path or an intrinsic
    /// call: `{"x.$": 5}`, `{"x.$": "nope"}`, `{"x.$": "States.Nope()"}`.
    NotPathOrCall {
        /// The key, with its `.$`.
        field: String,
        /// The parse error, when the value is a string.
        cause: Option<PathError>,
    },
    /// A field given twice, with and without `.$`: `{"a": 1, "a.$": "$"}`.
    Duplicate {
        /// The key without its `.$`.
        name: String,
    },
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TemplateErrorKind::NotPathOrCall { field, .. } => write!(
                f,
                "The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call"
            ),
            TemplateErrorKind::Duplicate { name } => write!(
                f,
                "The field '{name}' appears more than once in the payload template"
            ),
        }
    }
}

impl std::error::Error for TemplateError {}
