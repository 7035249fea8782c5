//! Object functions and the rest: `$keys`, `$lookup`, `$spread`, `$merge`,
//! `$each`, `$sift`, `$error`, `$assert`, `$type`, `$clone`.

use super::arg;
use crate::jsonata::builtin::Builtin;
use crate::jsonata::call::Call;
use crate::jsonata::coerce::boolean;
use crate::jsonata::error::{JResult, JsonataError};
use crate::jsonata::lookup::lookup_field;
use crate::jsonata::value::{Value, K};
use std::rc::Rc;

fn keys_of<'a, E: Call<'a>>(ev: &E, v: &Value<'a>, out: &mut Vec<Rc<str>>) {
    match v.kind(ev.doc()) {
        K::Arr => {
            for x in v.items(ev.doc()) {
                keys_of(ev, &x, out);
            }
        }
        K::Obj => {
            for (k, _) in v.entries(ev.doc()) {
                if !out.contains(&k) {
                    out.push(k);
                }
            }
        }
        _ => {}
    }
}

fn spread<'a, E: Call<'a>>(ev: &E, v: &Value<'a>, out: &mut Vec<Value<'a>>) -> bool {
    match v.kind(ev.doc()) {
        K::Arr => {
            for x in v.items(ev.doc()) {
                if !spread(ev, &x, out) {
                    out.push(x);
                }
            }
            true
        }
        K::Obj => {
            for (k, x) in v.entries(ev.doc()) {
                out.push(Value::object(vec![(k, x)]));
            }
            true
        }
        _ => false,
    }
}

/// The arguments a higher-order function passes: value, then index and the whole when the function takes them.
pub(crate) fn hof_args<'a>(
    f: &Value<'a>,
    v: Value<'a>,
    i: Value<'a>,
    all: &Value<'a>,
) -> Vec<Value<'a>> {
    let n = f.arity();
    let mut a = vec![v];
    if n >= 2 {
        a.push(i);
    }
    if n >= 3 {
        a.push(all.clone());
    }
    a
}

/// Runs an object built-in.
pub(crate) fn call<'a, E: Call<'a>>(
    ev: &mut E,
    b: Builtin,
    args: Vec<Value<'a>>,
) -> JResult<Value<'a>> {
    let a0 = arg(&args, 0);
    match b {
        Builtin::Error => {
            let msg = a0
                .as_str(ev.doc())
                .unwrap_or("$error() function evaluated")
                .to_string();
            return Err(JsonataError::custom("D3137", msg));
        }
        Builtin::Assert => {
            if a0.as_bool(ev.doc()) != Some(true) {
                let msg = arg(&args, 1)
                    .as_str(ev.doc())
                    .unwrap_or("$assert() statement failed")
                    .to_string();
                return Err(JsonataError::custom("D3141", msg));
            }
            return Ok(Value::Undefined);
        }
        _ => {}
    }
    if a0.is_undef() {
        return Ok(Value::Undefined);
    }
    Ok(match b {
        Builtin::Keys => {
            let mut ks = Vec::new();
            keys_of(ev, &a0, &mut ks);
            Value::seq(ks.into_iter().map(Value::Str).collect())
        }
        Builtin::Lookup => {
            let k = arg(&args, 1);
            lookup_field(ev.doc(), &a0, k.as_str(ev.doc()).unwrap_or(""))
        }
        Builtin::Spread => {
            let mut out = Vec::new();
            if !spread(ev, &a0, &mut out) {
                return Ok(a0);
            }
            Value::seq(out)
        }
        Builtin::Merge => {
            if let Some(v) = merge_in_doc(ev, &a0) {
                return Ok(v);
            }
            let mut entries: Vec<(Rc<str>, Value<'a>)> = Vec::new();
            for x in a0.items(ev.doc()) {
                for (k, v) in x.entries(ev.doc()) {
                    match entries.iter_mut().find(|(k2, _)| *k2 == k) {
                        Some(e) => e.1 = v,
                        None => entries.push((k, v)),
                    }
                }
            }
            Value::object(entries)
        }
        Builtin::Each => {
            let f = arg(&args, 1);
            let mut out = Vec::new();
            for (k, v) in a0.entries(ev.doc()) {
                let fa = hof_args(&f, v, Value::Str(k), &a0);
                let r = ev.call_fn(&f, fa)?;
                if !r.is_undef() {
                    out.push(r);
                }
            }
            Value::seq(out)
        }
        Builtin::Sift => {
            let f = arg(&args, 1);
            let mut out = Vec::new();
            for (k, v) in a0.entries(ev.doc()) {
                let fa = hof_args(&f, v.clone(), Value::Str(k.clone()), &a0);
                let r = ev.call_fn(&f, fa)?;
                if boolean(ev.doc(), &r) == Some(true) {
                    out.push((k, v));
                }
            }
            if out.is_empty() {
                Value::Undefined
            } else {
                Value::object(out)
            }
        }
        Builtin::Type => Value::str(match a0.kind(ev.doc()) {
            K::Null => "null",
            K::Bool => "boolean",
            K::Num => "number",
            K::Str => "string",
            K::Arr => "array",
            K::Obj => "object",
            K::Func => "function",
            K::Undef => return Ok(Value::Undefined),
        }),
        Builtin::Clone => a0,
        _ => Value::Undefined,
    })
}

/// `$merge` where the first object is in the document (an execution's
/// `$states.input`, say): the result shares its members and only the
/// merged-in keys are written, as a JSONPath `ResultPath` does, instead of
/// copying every member out and back. `None` when the arguments are not
/// all objects (the general path then decides).
fn merge_in_doc<'a, E: Call<'a>>(ev: &mut E, arg: &Value<'a>) -> Option<Value<'a>> {
    let items = match arg {
        Value::Arr(s) => &s.items[..],
        _ => return None,
    };
    let (Value::Json(first), rest) = items.split_first()? else {
        return None;
    };
    ev.doc().as_object(*first)?;
    let objects = rest.iter().all(|x| match x {
        Value::Obj(_) => true,
        Value::Json(v) => ev.doc().as_object(*v).is_some(),
        _ => false,
    });
    if !objects {
        return None;
    }
    let mut acc = *first;
    for x in rest {
        for (k, v) in x.entries(ev.doc()) {
            let doc = ev.doc_mut();
            // Undefined and functions are left out of objects.
            if let Some(val) = v.to_doc(doc) {
                acc = doc.with_field(acc, &k, val);
            }
        }
    }
    Some(Value::Json(acc))
}
