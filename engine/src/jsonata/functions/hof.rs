//! Higher-order functions: `$map`, `$filter`, `$single`, `$reduce`.

use super::arg;
use super::object::hof_args;
use crate::jsonata::builtin::Builtin;
use crate::jsonata::call::Call;
use crate::jsonata::coerce::boolean;
use crate::jsonata::error::{JResult, JsonataError};
use crate::jsonata::value::Value;

/// Runs a higher-order built-in.
pub(crate) fn call<'a, E: Call<'a>>(
    ev: &mut E,
    b: Builtin,
    args: Vec<Value<'a>>,
) -> JResult<Value<'a>> {
    let arr = arg(&args, 0);
    let f = arg(&args, 1);
    if arr.is_undef() {
        return Ok(Value::Undefined);
    }
    let items = arr.items(ev.doc());
    match b {
        Builtin::Map | Builtin::Filter => {
            let mut out = Vec::new();
            for (i, x) in items.iter().enumerate() {
                let fa = hof_args(&f, x.clone(), Value::Num(i as f64), &arr);
                let r = ev.call_fn(&f, fa)?;
                if b == Builtin::Map {
                    if !r.is_undef() {
                        out.push(r);
                    }
                } else if boolean(ev.doc(), &r) == Some(true) {
                    out.push(x.clone());
                }
            }
            Ok(Value::seq(out))
        }
        Builtin::Single => {
            let mut found: Option<Value<'a>> = None;
            for (i, x) in items.iter().enumerate() {
                let ok = if f.is_undef() {
                    true
                } else {
                    let fa = hof_args(&f, x.clone(), Value::Num(i as f64), &arr);
                    let r = ev.call_fn(&f, fa)?;
                    boolean(ev.doc(), &r) == Some(true)
                };
                if ok {
                    if found.is_some() {
                        return Err(JsonataError::new("D3138", 0));
                    }
                    found = Some(x.clone());
                }
            }
            found.ok_or_else(|| JsonataError::new("D3139", 0))
        }
        Builtin::Reduce => {
            let n = f.arity();
            if n < 2 {
                return Err(JsonataError::new("D3050", 0));
            }
            let init = arg(&args, 2);
            let (mut acc, start) = if init.is_undef() && !items.is_empty() {
                (items[0].clone(), 1)
            } else {
                (init, 0)
            };
            for (i, x) in items.iter().enumerate().skip(start) {
                let mut fa = vec![acc, x.clone()];
                if n >= 3 {
                    fa.push(Value::Num(i as f64));
                }
                if n >= 4 {
                    fa.push(arr.clone());
                }
                acc = ev.call_fn(&f, fa)?;
            }
            Ok(acc)
        }
        _ => Ok(Value::Undefined),
    }
}
