//! Reading a shard file's fields, each failure a [`ShardError`] at the
//! field's JSON pointer.

use super::error::{ShardError, ShardErrorKind as Kind};
use crate::asl::pointer;
use serde_json::{Map, Value};

/// The object `v`, found at pointer `at`.
#[derive(Clone, Copy)]
pub(crate) struct Fields<'a> {
    v: &'a Value,
    at: &'a str,
}

impl<'a> Fields<'a> {
    /// The fields of `v`, which lies at pointer `at`.
    pub(crate) fn new(v: &'a Value, at: &'a str) -> Self {
        Self { v, at }
    }

    /// The pointer of field `k`.
    pub(crate) fn at(&self, k: &str) -> String {
        pointer::key(self.at, k)
    }

    /// Field `k` is wrong in the way `kind` says.
    pub(crate) fn bad(&self, k: &str, kind: Kind) -> ShardError {
        ShardError::new(self.at(k), kind)
    }

    /// Field `k`, which must be present.
    pub(crate) fn get(&self, k: &str) -> Result<&'a Value, ShardError> {
        self.v.get(k).ok_or_else(|| self.bad(k, Kind::Missing))
    }

    /// Field `k` read by `f`; absent is [`Kind::Missing`], unreadable is `kind`.
    fn typed<T>(
        &self,
        k: &str,
        f: impl FnOnce(&'a Value) -> Option<T>,
        kind: Kind,
    ) -> Result<T, ShardError> {
        f(self.get(k)?).ok_or_else(|| self.bad(k, kind))
    }

    /// Field `k` read by `f`; absent or unreadable, it is `kind`.
    pub(crate) fn loose<T>(
        &self,
        k: &str,
        f: impl FnOnce(&'a Value) -> Option<T>,
        kind: Kind,
    ) -> Result<T, ShardError> {
        self.v.get(k).and_then(f).ok_or_else(|| self.bad(k, kind))
    }

    /// A whole number (absent: [`Kind::Missing`]).
    pub(crate) fn num(&self, k: &str) -> Result<u64, ShardError> {
        self.typed(k, Value::as_u64, Kind::NotWholeNumber)
    }

    /// A whole number (absent: [`Kind::NotWholeNumber`]).
    pub(crate) fn whole(&self, k: &str) -> Result<u64, ShardError> {
        self.loose(k, Value::as_u64, Kind::NotWholeNumber)
    }

    /// A string.
    pub(crate) fn text(&self, k: &str) -> Result<String, ShardError> {
        self.typed(k, |v| v.as_str().map(str::to_owned), Kind::NotString)
    }

    /// An object.
    pub(crate) fn obj(&self, k: &str) -> Result<&'a Map<String, Value>, ShardError> {
        self.typed(k, Value::as_object, Kind::NotObject)
    }

    /// A list.
    pub(crate) fn list(&self, k: &str) -> Result<&'a Vec<Value>, ShardError> {
        self.typed(k, Value::as_array, Kind::NotList)
    }
}
