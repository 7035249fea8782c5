//! Intrinsic functions (`States.Format(…)` and the other 17): parsed once
//! into a [`Call`] tree, evaluated over arena JSON.

mod array;
mod json;
mod math;
mod parse;
mod text;

use super::template::not_found;
use super::{Entropy, Path, Scope};
use crate::error::Failure;
use crate::json::{Doc, Kind, Val};

pub(crate) use parse::parse_call;

/// An intrinsic function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    /// `States.Format(template, args…)`
    Format,
    /// `States.StringToJson(string)`
    StringToJson,
    /// `States.JsonToString(value)`
    JsonToString,
    /// `States.Array(values…)`
    Array,
    /// `States.ArrayPartition(array, size)`
    ArrayPartition,
    /// `States.ArrayContains(array, value)`
    ArrayContains,
    /// `States.ArrayRange(start, end, step)`
    ArrayRange,
    /// `States.ArrayGetItem(array, index)`
    ArrayGetItem,
    /// `States.ArrayLength(array)`
    ArrayLength,
    /// `States.ArrayUnique(array)`
    ArrayUnique,
    /// `States.Base64Encode(string)`
    Base64Encode,
    /// `States.Base64Decode(string)`
    Base64Decode,
    /// `States.Hash(data, algorithm)`
    Hash,
    /// `States.JsonMerge(object, object, deep)`
    JsonMerge,
    /// `States.MathRandom(start, end[, seed])`
    MathRandom,
    /// `States.MathAdd(a, b)`
    MathAdd,
    /// `States.StringSplit(string, delimiters)`
    StringSplit,
    /// `States.UUID()`
    Uuid,
}

const ALL: [Func; 18] = [
    Func::Format,
    Func::StringToJson,
    Func::JsonToString,
    Func::Array,
    Func::ArrayPartition,
    Func::ArrayContains,
    Func::ArrayRange,
    Func::ArrayGetItem,
    Func::ArrayLength,
    Func::ArrayUnique,
    Func::Base64Encode,
    Func::Base64Decode,
    Func::Hash,
    Func::JsonMerge,
    Func::MathRandom,
    Func::MathAdd,
    Func::StringSplit,
    Func::Uuid,
];

impl Func {
    /// The full name, e.g. `States.Format`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Func::Format => "States.Format",
            Func::StringToJson => "States.StringToJson",
            Func::JsonToString => "States.JsonToString",
            Func::Array => "States.Array",
            Func::ArrayPartition => "States.ArrayPartition",
            Func::ArrayContains => "States.ArrayContains",
            Func::ArrayRange => "States.ArrayRange",
            Func::ArrayGetItem => "States.ArrayGetItem",
            Func::ArrayLength => "States.ArrayLength",
            Func::ArrayUnique => "States.ArrayUnique",
            Func::Base64Encode => "States.Base64Encode",
            Func::Base64Decode => "States.Base64Decode",
            Func::Hash => "States.Hash",
            Func::JsonMerge => "States.JsonMerge",
            Func::MathRandom => "States.MathRandom",
            Func::MathAdd => "States.MathAdd",
            Func::StringSplit => "States.StringSplit",
            Func::Uuid => "States.UUID",
        }
    }

    /// The function named `name` (with the `States.` prefix).
    pub(crate) fn from_name(name: &str) -> Option<Func> {
        ALL.into_iter().find(|f| f.name() == name)
    }

    /// The fewest and most arguments the function takes.
    pub(crate) fn arity(self) -> (usize, usize) {
        match self {
            Func::Format => (1, usize::MAX),
            Func::Array => (0, usize::MAX),
            Func::Uuid => (0, 0),
            Func::StringToJson
            | Func::JsonToString
            | Func::ArrayLength
            | Func::ArrayUnique
            | Func::Base64Encode
            | Func::Base64Decode => (1, 1),
            Func::ArrayPartition
            | Func::ArrayContains
            | Func::ArrayGetItem
            | Func::Hash
            | Func::MathAdd
            | Func::StringSplit => (2, 2),
            Func::ArrayRange | Func::JsonMerge => (3, 3),
            Func::MathRandom => (2, 3),
        }
    }
}

/// One argument of a call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A string literal: its value, and its text between the quotes with the
    /// escapes still in (States.Format needs to tell `\{` from `{`).
    Str {
        text: Box<str>,
        raw: Box<str>,
    },
    Path(Path),
    Call(Box<Call>),
}

/// A parsed intrinsic call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    pub(crate) func: Func,
    pub(crate) args: Box<[Arg]>,
    /// The call's own text (for nested calls, just theirs).
    pub(crate) src: Box<str>,
}

/// The `States.IntrinsicFailure` every failing function raises.
#[cold]
pub(crate) fn failure(func: Func, why: impl std::fmt::Display) -> Failure {
    Failure::new(
        "States.IntrinsicFailure",
        format!("Invalid arguments in {}: {why}", func.name()),
    )
}

/// A word for the kind of a value, for causes.
pub(crate) fn kind_name(doc: &Doc, v: Val) -> &'static str {
    match doc.kind(v) {
        Kind::Null => "null",
        Kind::Bool => "boolean",
        Kind::Number => "number",
        Kind::String => "string",
        Kind::Array => "array",
        Kind::Object => "object",
    }
}

impl Call {
    /// The function called.
    #[cfg(test)]
    pub(crate) fn func(&self) -> Func {
        self.func
    }

    /// The text the call was parsed from.
    pub(crate) fn source(&self) -> &str {
        &self.src
    }

    /// Evaluates the call; `field` names the template field for path causes.
    pub(crate) fn eval(
        &self,
        doc: &mut Doc,
        scope: &Scope,
        field: &str,
        entropy: Entropy<'_>,
    ) -> Result<Val, Failure> {
        let mut vals = Vec::with_capacity(self.args.len());
        for a in self.args.iter() {
            let v = match a {
                Arg::Null => Doc::NULL,
                Arg::Bool(b) => doc.bool(*b),
                Arg::Int(i) => doc.int(*i),
                Arg::Float(f) => doc.float(*f),
                Arg::Str { text, .. } => doc.str(text),
                Arg::Path(p) => match p.select_scope(doc, scope) {
                    Some(v) => v,
                    None => return Err(not_found(doc, p.source(), p.is_context(), scope, field)),
                },
                Arg::Call(c) => c.eval(doc, scope, field, &mut *entropy)?,
            };
            vals.push(v);
        }
        let f = self.func;
        match f {
            Func::Format => {
                let raw = match &self.args[0] {
                    Arg::Str { raw, .. } => raw.to_string(),
                    _ => match doc.as_str(vals[0]) {
                        Some(s) => s.to_owned(),
                        None => {
                            return Err(failure(
                                f,
                                format!(
                                    "the template must be a string, not {}",
                                    kind_name(doc, vals[0])
                                ),
                            ))
                        }
                    },
                };
                text::format(doc, &raw, &vals[1..])
            }
            Func::StringToJson => json::string_to_json(doc, vals[0]),
            Func::JsonToString => Ok(json::json_to_string(doc, vals[0])),
            Func::Array => Ok(doc.array(&vals)),
            Func::ArrayPartition => array::partition(doc, vals[0], vals[1]),
            Func::ArrayContains => array::contains(doc, vals[0], vals[1]),
            Func::ArrayRange => array::range(doc, vals[0], vals[1], vals[2]),
            Func::ArrayGetItem => array::get_item(doc, vals[0], vals[1]),
            Func::ArrayLength => array::length(doc, vals[0]),
            Func::ArrayUnique => array::unique(doc, vals[0]),
            Func::Base64Encode => text::base64_encode(doc, vals[0]),
            Func::Base64Decode => text::base64_decode(doc, vals[0]),
            Func::Hash => text::hash(doc, vals[0], vals[1]),
            Func::JsonMerge => json::merge(doc, vals[0], vals[1], vals[2]),
            Func::MathRandom => math::random(doc, &vals, entropy),
            Func::MathAdd => math::add(doc, vals[0], vals[1]),
            Func::StringSplit => text::split(doc, vals[0], vals[1]),
            Func::Uuid => Ok(math::uuid(doc, entropy)),
        }
    }
}

/// A string argument or the failure saying it is not one.
pub(crate) fn want_str(doc: &Doc, f: Func, v: Val, what: &str) -> Result<String, Failure> {
    doc.as_str(v).map(str::to_owned).ok_or_else(|| {
        failure(
            f,
            format!("{what} must be a string, not {}", kind_name(doc, v)),
        )
    })
}

/// An integer argument (an integral number) or the failure saying it is not one.
pub(crate) fn want_int(doc: &Doc, f: Func, v: Val, what: &str) -> Result<i64, Failure> {
    doc.as_i64(v).ok_or_else(|| {
        failure(
            f,
            format!("{what} must be an integer, not {}", doc.to_json(v)),
        )
    })
}
