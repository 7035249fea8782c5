//! Picture-string functions, on the picture module: `$formatNumber`,
//! `$formatInteger`, `$parseInteger`, `$fromMillis`, `$toMillis`.

use super::arg;
use crate::jsonata::builtin::Builtin;
use crate::jsonata::call::Call;
use crate::jsonata::error::{JResult, JsonataError};
use crate::jsonata::picture::{self, DecimalFormat, PictureError};
use crate::jsonata::value::Value;

/// A picture module error as a JSONata error.
pub(crate) fn picture_error(e: PictureError) -> Box<JsonataError> {
    JsonataError::custom(e.code, e.message)
}

/// Runs a picture-string built-in.
pub(crate) fn call<'a, E: Call<'a>>(
    ev: &mut E,
    b: Builtin,
    args: Vec<Value<'a>>,
) -> JResult<Value<'a>> {
    let a0 = arg(&args, 0);
    if a0.is_undef() {
        return Ok(Value::Undefined);
    }
    let s1 = arg(&args, 1).as_str(ev.doc()).map(str::to_string);
    let s2 = arg(&args, 2).as_str(ev.doc()).map(str::to_string);
    Ok(match b {
        Builtin::FormatNumber => {
            let mut fmt = DecimalFormat::default();
            let opts = arg(&args, 2);
            for (k, v) in opts.entries(ev.doc()) {
                if let Some(text) = v.as_str(ev.doc()) {
                    fmt.set(&k, text).map_err(picture_error)?;
                }
            }
            let x = a0.num(ev.doc()).unwrap_or(f64::NAN);
            let s = picture::format_number(x, s1.as_deref().unwrap_or(""), &fmt)
                .map_err(picture_error)?;
            Value::str(&s)
        }
        Builtin::FormatInteger => {
            let x = a0.num(ev.doc()).unwrap_or(f64::NAN);
            let s =
                picture::format_integer(x, s1.as_deref().unwrap_or("")).map_err(picture_error)?;
            Value::str(&s)
        }
        Builtin::ParseInteger => {
            let text = a0.as_str(ev.doc()).unwrap_or("").to_string();
            match picture::parse_integer(&text, s1.as_deref().unwrap_or(""))
                .map_err(picture_error)?
            {
                Some(x) => Value::Num(x),
                None => Value::Undefined,
            }
        }
        Builtin::FromMillis => {
            let x = a0.num(ev.doc()).unwrap_or(f64::NAN);
            let s = picture::format_datetime(x as i64, s1.as_deref(), s2.as_deref())
                .map_err(picture_error)?;
            Value::str(&s)
        }
        Builtin::ToMillis => {
            let text = a0.as_str(ev.doc()).unwrap_or("").to_string();
            let parsed = match s1.as_deref() {
                None => picture::parse_datetime(&text, None),
                Some(p) => picture::parse_datetime_at(&text, Some(p), ev.host().now_ms()),
            };
            match parsed.map_err(picture_error)? {
                Some(ms) => Value::Num(ms as f64),
                None => Value::Undefined,
            }
        }
        _ => Value::Undefined,
    })
}
