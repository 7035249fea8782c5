//! The built-in function library: dispatch to the families (string,
//! numeric, array, object, higher-order, AWS). Built-ins reach the
//! evaluator only through [`Call`]; their ids live in [`super::builtin`].

mod array;
mod aws;
mod datetime;
mod hof;
mod numeric;
mod object;
mod string;

use super::builtin::Builtin;
use super::call::Call;
use super::error::{JResult, JsonataError};
use super::regex::JsRegex;
use super::value::Value;

pub(crate) use string::regex_match_object;

/// Runs built-in `b` on validated arguments.
pub(crate) fn call<'a, E: Call<'a>>(
    ev: &mut E,
    b: Builtin,
    args: Vec<Value<'a>>,
    input: &Value<'a>,
) -> JResult<Value<'a>> {
    use Builtin::*;
    let _ = input;
    match b {
        Sum | Count | Max | Min | Average | Number | Floor | Ceil | Round | Abs | Sqrt | Power
        | Random | FormatBase => numeric::call(ev, b, args),
        StringF | Substring | SubstringBefore | SubstringAfter | Lowercase | Uppercase | Length
        | Trim | Pad | Match | Contains | Replace | Split | Join | Base64Encode | Base64Decode
        | EncodeUrlComponent | EncodeUrl | DecodeUrlComponent | DecodeUrl => {
            string::call(ev, b, args)
        }
        Boolean | Not | Exists | Append | Reverse | Shuffle | Distinct | Zip | Sort => {
            array::call(ev, b, args)
        }
        Keys | Lookup | Spread | Merge | Each | Sift | Error | Assert | Type | Clone => {
            object::call(ev, b, args)
        }
        Map | Filter | Single | Reduce => hof::call(ev, b, args),
        FormatNumber | FormatInteger | ParseInteger | FromMillis | ToMillis => {
            datetime::call(ev, b, args)
        }
        Millis | Now | Partition | Range | Hash | Uuid | Parse => aws::call(ev, b, args),
        Eval => Err(JsonataError::new("D3200", 0).tok("eval")),
    }
}

/// Argument `i` (undefined when missing).
pub(crate) fn arg<'a>(args: &[Value<'a>], i: usize) -> Value<'a> {
    args.get(i).cloned().unwrap_or(Value::Undefined)
}

/// A regex behind a matcher argument, if it is one.
pub(crate) fn as_regex<'a>(v: &Value<'a>) -> Option<&'a JsRegex> {
    match v {
        Value::Func(f) => match &**f {
            super::value::Func::Regex(r) => Some(r),
            _ => None,
        },
        _ => None,
    }
}
