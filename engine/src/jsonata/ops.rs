//! Binary operators: arithmetic, comparison, equality, boolean, string
//! concatenation, membership and ranges.

use super::ast::{BinOp, Node};
use super::coerce::{boolean, cmp_js_str};
use super::error::{JResult, JsonataError};
use super::numfmt::{self, show};
use super::value::{deep_equal, Value, K};
use crate::json::Doc;

/// `lhs op rhs` on evaluated operands (`and`/`or` short-circuit in the
/// evaluator); a range charges `steps` for the items it makes.
pub(crate) fn values<'a>(
    doc: &Doc,
    steps: &mut u64,
    n: &Node,
    op: BinOp,
    lhs: Value<'a>,
    rhs: Value<'a>,
) -> JResult<Value<'a>> {
    let err = |code: &'static str| JsonataError::new(code, n.pos).tok(op.text());
    match op {
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
            let a = numeric(doc, &lhs, n.pos)?;
            if !lhs.is_undef() && a.is_none() {
                return Err(err("T2001").val(show(doc, &lhs)));
            }
            let b = numeric(doc, &rhs, n.pos)?;
            if !rhs.is_undef() && b.is_none() {
                return Err(err("T2002").val(show(doc, &rhs)));
            }
            let (Some(a), Some(b)) = (a, b) else {
                return Ok(Value::Undefined);
            };
            Ok(Value::Num(match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                BinOp::Div => a / b,
                _ => a % b,
            }))
        }
        BinOp::Eq | BinOp::Ne => {
            if lhs.is_undef() || rhs.is_undef() {
                return Ok(Value::bool(false));
            }
            let eq = deep_equal(doc, &lhs, &rhs);
            Ok(Value::bool(if op == BinOp::Eq { eq } else { !eq }))
        }
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let (ka, kb) = (lhs.kind(doc), rhs.kind(doc));
            let comparable = |k: K| matches!(k, K::Undef | K::Str | K::Num);
            if !comparable(ka) || !comparable(kb) {
                let bad = if matches!(ka, K::Str | K::Num) {
                    &rhs
                } else {
                    &lhs
                };
                return Err(err("T2010").val(show(doc, bad)));
            }
            if ka == K::Undef || kb == K::Undef {
                return Ok(Value::Undefined);
            }
            if ka != kb {
                return Err(err("T2009").val(show(doc, &lhs)).val2(show(doc, &rhs)));
            }
            let ord = if ka == K::Num {
                let (a, b) = (lhs.num(doc).unwrap_or(0.0), rhs.num(doc).unwrap_or(0.0));
                a.partial_cmp(&b)
            } else {
                Some(cmp_js_str(
                    lhs.as_str(doc).unwrap_or(""),
                    rhs.as_str(doc).unwrap_or(""),
                ))
            };
            use std::cmp::Ordering::*;
            let b = match (op, ord) {
                (_, None) => false,
                (BinOp::Lt, Some(o)) => o == Less,
                (BinOp::Le, Some(o)) => o != Greater,
                (BinOp::Gt, Some(o)) => o == Greater,
                (_, Some(o)) => o != Less,
            };
            Ok(Value::bool(b))
        }
        BinOp::Concat => {
            let mut s = String::new();
            for v in [&lhs, &rhs] {
                match v.as_str(doc) {
                    Some(t) => s.push_str(t),
                    None if v.is_undef() => {}
                    None => s.push_str(&numfmt::to_string(doc, v).map_err(|e| pos_err(e, n))?),
                }
            }
            Ok(Value::str(&s))
        }
        BinOp::In => {
            if lhs.is_undef() || rhs.is_undef() {
                return Ok(Value::bool(false));
            }
            let items = if rhs.is_array(doc) {
                rhs.items(doc)
            } else {
                vec![rhs]
            };
            let found = items.iter().any(|x| strict_equal(doc, x, &lhs));
            Ok(Value::bool(found))
        }
        BinOp::Range => {
            let a = lhs.num(doc);
            if !lhs.is_undef() && !a.is_some_and(|x| x.fract() == 0.0) {
                return Err(err("T2003").val(show(doc, &lhs)));
            }
            let b = rhs.num(doc);
            if !rhs.is_undef() && !b.is_some_and(|x| x.fract() == 0.0) {
                return Err(err("T2004").val(show(doc, &rhs)));
            }
            let (Some(a), Some(b)) = (a, b) else {
                return Ok(Value::Undefined);
            };
            if a > b {
                return Ok(Value::Undefined);
            }
            let size = b - a + 1.0;
            if size > 1e7 {
                return Err(err("D2014").val(numfmt::js_number(size)));
            }
            *steps += size as u64 / 8;
            let mut items = Vec::with_capacity(size as usize);
            let mut x = a;
            while x <= b {
                items.push(Value::Num(x));
                x += 1.0;
            }
            Ok(Value::seq(items))
        }
        BinOp::And => Ok(Value::bool(truthy(doc, &lhs) && truthy(doc, &rhs))),
        BinOp::Or => Ok(Value::bool(truthy(doc, &lhs) || truthy(doc, &rhs))),
    }
}

fn pos_err(mut e: Box<JsonataError>, n: &Node) -> Box<JsonataError> {
    if e.position == 0 {
        e.position = n.pos;
    }
    e
}

/// The number of a numeric value (`None` for other kinds); infinite values are an error (D1001).
pub(crate) fn numeric(doc: &Doc, v: &Value<'_>, pos: usize) -> JResult<Option<f64>> {
    match v.num(doc) {
        Some(x) if x.is_infinite() => {
            Err(JsonataError::new("D1001", pos).val(numfmt::js_number(x)))
        }
        Some(x) if x.is_nan() => Ok(None),
        other => Ok(other),
    }
}

/// JavaScript's `===` on jsonata values (objects and arrays by identity).
pub(crate) fn strict_equal<'a>(doc: &Doc, a: &Value<'a>, b: &Value<'a>) -> bool {
    let (ka, kb) = (a.kind(doc), b.kind(doc));
    if ka != kb {
        return false;
    }
    match ka {
        K::Arr | K::Obj => match (a, b) {
            (Value::Json(x), Value::Json(y)) => x == y,
            (Value::Arr(x), Value::Arr(y)) => std::rc::Rc::ptr_eq(x, y),
            (Value::Obj(x), Value::Obj(y)) => std::rc::Rc::ptr_eq(x, y),
            _ => false,
        },
        _ => deep_equal(doc, a, b),
    }
}

fn truthy(doc: &Doc, v: &Value<'_>) -> bool {
    boolean(doc, v).unwrap_or(false)
}
