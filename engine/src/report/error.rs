//! The errors of reading a price table or a shard file back.
//!
//! Both render as the messages the CLI prints. They keep what caused them as
//! a field and include its text in their message, so `source` is not
//! chained as well (anyhow's `{:#}` would print it twice).

use std::fmt;
use std::path::PathBuf;

/// A price table that does not read.
#[derive(Debug)]
pub enum PriceTableError {
    /// The file cannot be read: `--prices missing.json`.
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The text is not JSON, a field is unknown or has the wrong type:
    /// `{"typo": 1}`, `{"region": 3}`.
    Invalid {
        /// The file, when the table was read from one.
        path: Option<PathBuf>,
        /// Why, with its line and column.
        error: serde_json::Error,
    },
}

impl PriceTableError {
    /// Where the text is wrong: (line, column), both from 1.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        match self {
            Self::Read { .. } => None,
            Self::Invalid { error, .. } => Some((error.line(), error.column())),
        }
    }
}

impl fmt::Display for PriceTableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read { path, error } => write!(f, "reading {}: {error}", path.display()),
            Self::Invalid { path: None, error } => write!(f, "price table: {error}"),
            Self::Invalid {
                path: Some(p),
                error,
            } => write!(f, "{}: price table: {error}", p.display()),
        }
    }
}

impl std::error::Error for PriceTableError {}

/// What is wrong with one value of a shard file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShardErrorKind {
    /// `format` is not [`SHARD_FORMAT`](super::SHARD_FORMAT): `{"format": "other"}`.
    Format {
        /// The format this build reads.
        expected: &'static str,
    },
    /// A field is absent: `{"format": …}` without `by_status`.
    Missing,
    /// Not a non-negative integer: `"entered": "many"`.
    NotWholeNumber,
    /// Not a string: `"name": 3`.
    NotString,
    /// Not `true` or `false`: `"express": 1`.
    NotBool,
    /// Not an object: `"by_status": []`.
    NotObject,
    /// Not a list: `"states": {}`.
    NotList,
    /// Not a list of non-negative integers: `"area_b": [1, "x"]`.
    NotWholeNumbers,
    /// A whole number too large for its field: `"level": 5000000000`.
    OutOfRange,
    /// A histogram that is not base64: `"hist": "%%"` (the decoder's message).
    NotBase64(String),
    /// A histogram that does not decode (the decoder's message).
    Undecodable(String),
    /// A concurrency series whose buckets do not fit its width: `"width_us": 0`.
    InconsistentSeries,
}

/// A shard file whose statistics do not read back, at the first bad value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShardError {
    /// JSON pointer of the value inside the statistics, e.g. `/states/0/entered`.
    pub pointer: String,
    /// What is wrong with it.
    pub kind: ShardErrorKind,
}

impl ShardError {
    /// The value at `pointer` is wrong in the way `kind` says.
    #[cold]
    pub(crate) fn new(pointer: impl Into<String>, kind: ShardErrorKind) -> Self {
        Self {
            pointer: pointer.into(),
            kind,
        }
    }
}

/// The record a pointer lies in, as messages name it (`shard`, `latency`,
/// `states[0]`), and the key of the value (absent for a whole record).
fn place(pointer: &str) -> (String, Option<String>) {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let last = tokens.last().cloned();
    match tokens.as_slice() {
        [] => ("shard".to_owned(), None),
        [_] => ("shard".to_owned(), last),
        [list, i] if is_record_list(list) => (format!("{list}[{i}]"), None),
        [list, i, ..] if is_record_list(list) => (format!("{list}[{i}]"), last),
        [record, ..] => (record.clone(), last),
    }
}

fn is_record_list(token: &str) -> bool {
    token == "states" || token == "resources"
}

impl fmt::Display for ShardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let ShardErrorKind::Format { expected } = self.kind {
            return write!(f, "shard: `format` must be \"{expected}\"");
        }
        let (record, key) = place(&self.pointer);
        if self.kind == ShardErrorKind::InconsistentSeries {
            return write!(f, "{record}: inconsistent concurrency series");
        }
        write!(f, "{record}: `{}` ", key.unwrap_or_default())?;
        match &self.kind {
            ShardErrorKind::Missing => f.write_str("is missing"),
            ShardErrorKind::NotWholeNumber => f.write_str("must be a whole number"),
            ShardErrorKind::NotString => f.write_str("must be a string"),
            ShardErrorKind::NotBool => f.write_str("must be true or false"),
            ShardErrorKind::NotObject => f.write_str("must be an object"),
            ShardErrorKind::NotList => f.write_str("must be a list"),
            ShardErrorKind::NotWholeNumbers => f.write_str("must be a list of whole numbers"),
            ShardErrorKind::OutOfRange => f.write_str("is out of range"),
            ShardErrorKind::NotBase64(e) => write!(f, "is not base64: {e}"),
            ShardErrorKind::Undecodable(e) => write!(f, "does not decode: {e}"),
            ShardErrorKind::Format { .. } | ShardErrorKind::InconsistentSeries => Ok(()),
        }
    }
}

impl std::error::Error for ShardError {}
