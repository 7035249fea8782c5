//! Boolean and array functions: `$boolean`, `$not`, `$exists`, `$append`,
//! `$reverse`, `$shuffle`, `$distinct`, `$zip`, `$sort`.

use super::arg;
use crate::jsonata::builtin::Builtin;
use crate::jsonata::call::Call;
use crate::jsonata::coerce::{boolean, cmp_js_str};
use crate::jsonata::error::{JResult, JsonataError};
use crate::jsonata::lookup::append;
use crate::jsonata::sort::merge_sort;
use crate::jsonata::value::{deep_equal, Value, K};

/// JavaScript truthiness (what `$sort`'s comparator result is tested with).
fn js_truthy<'a, E: Call<'a>>(ev: &E, v: &Value<'_>) -> bool {
    match v.kind(ev.doc()) {
        K::Undef | K::Null => false,
        K::Bool => v.as_bool(ev.doc()) == Some(true),
        K::Num => v.num(ev.doc()).is_some_and(|x| x != 0.0 && !x.is_nan()),
        K::Str => !v.as_str(ev.doc()).unwrap_or("").is_empty(),
        _ => true,
    }
}

/// Runs an array or boolean built-in.
pub(crate) fn call<'a, E: Call<'a>>(
    ev: &mut E,
    b: Builtin,
    args: Vec<Value<'a>>,
) -> JResult<Value<'a>> {
    let a0 = arg(&args, 0);
    match b {
        Builtin::Boolean => Ok(boolean(ev.doc(), &a0).map_or(Value::Undefined, Value::bool)),
        Builtin::Not => Ok(boolean(ev.doc(), &a0).map_or(Value::Undefined, |x| Value::bool(!x))),
        Builtin::Exists => Ok(Value::bool(!a0.is_undef())),
        Builtin::Append => Ok(append(ev.doc(), a0, arg(&args, 1))),
        Builtin::Zip => {
            let arrays: Vec<Vec<Value<'a>>> = args.iter().map(|a| a.items(ev.doc())).collect();
            let n = arrays.iter().map(Vec::len).min().unwrap_or(0);
            let rows = (0..n)
                .map(|i| Value::array(arrays.iter().map(|a| a[i].clone()).collect()))
                .collect();
            Ok(Value::array(rows))
        }
        _ if a0.is_undef() => Ok(Value::Undefined),
        Builtin::Reverse => {
            if a0.len(ev.doc()) <= 1 {
                return Ok(a0);
            }
            let mut items = a0.items(ev.doc());
            items.reverse();
            Ok(Value::array(items))
        }
        Builtin::Shuffle => {
            if a0.len(ev.doc()) <= 1 {
                return Ok(a0);
            }
            let mut items = a0.items(ev.doc());
            for i in (1..items.len()).rev() {
                let j = ((ev.host().random() * (i + 1) as f64).floor() as usize).min(i);
                items.swap(i, j);
            }
            Ok(Value::array(items))
        }
        Builtin::Distinct => {
            if !a0.is_array(ev.doc()) || a0.len(ev.doc()) <= 1 {
                return Ok(a0);
            }
            let mut out: Vec<Value<'a>> = Vec::new();
            for x in a0.items(ev.doc()) {
                if !out.iter().any(|y| deep_equal(ev.doc(), y, &x)) {
                    out.push(x);
                }
            }
            Ok(if a0.is_seq() {
                Value::seq(out)
            } else {
                Value::array(out)
            })
        }
        Builtin::Sort => {
            if a0.len(ev.doc()) <= 1 {
                return Ok(a0);
            }
            let items = a0.items(ev.doc());
            let f = arg(&args, 1);
            let sorted = if f.is_undef() {
                let all_num = items.iter().all(|x| x.kind(ev.doc()) == K::Num);
                let all_str = items.iter().all(|x| x.kind(ev.doc()) == K::Str);
                if !all_num && !all_str {
                    return Err(JsonataError::new("D3070", 0));
                }
                let doc = ev.doc();
                merge_sort(items, &mut |a, b| {
                    Ok(if all_num {
                        a.num(doc) > b.num(doc)
                    } else {
                        cmp_js_str(a.as_str(doc).unwrap_or(""), b.as_str(doc).unwrap_or(""))
                            == std::cmp::Ordering::Greater
                    })
                })?
            } else {
                merge_sort(items, &mut |a, b| {
                    let r = ev.call_fn(&f, vec![a.clone(), b.clone()])?;
                    Ok(js_truthy(ev, &r))
                })?
            };
            Ok(Value::array(sorted))
        }
        _ => Ok(Value::Undefined),
    }
}
