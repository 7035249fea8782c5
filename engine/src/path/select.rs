//! Path evaluation over arena JSON: a tight loop for definite paths, a
//! collecting walk (Jayway order) for indefinite ones.

use super::ast::{CmpOp, Filter, Lit, Operand, Sel, Step};
use crate::json::{Doc, Ref, Val};

/// Item `i` of an array; a negative index counts from the end.
pub(crate) fn index(doc: &Doc, v: Val, i: i64) -> Option<Val> {
    let a = doc.as_array(v)?;
    let i = if i < 0 { a.len() as i64 + i } else { i };
    usize::try_from(i).ok().and_then(|i| a.get(i).copied())
}

/// Walks names and single indices. Any other step gives `None`.
pub(crate) fn walk(doc: &Doc, mut v: Val, steps: &[Step]) -> Option<Val> {
    for s in steps {
        v = match s {
            Step::Child(Sel::Name(n)) => doc.field(v, n)?,
            Step::Child(Sel::Index(i)) => index(doc, v, *i)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Appends every match of `steps` applied to `cur` to `out`; `root` is what
/// `$` means inside filters.
pub(crate) fn collect(doc: &Doc, root: Val, cur: Val, steps: &[Step], out: &mut Vec<Val>) {
    let Some((step, rest)) = steps.split_first() else {
        out.push(cur);
        return;
    };
    match step {
        Step::Child(sel) => apply(doc, root, cur, sel, &mut |v| {
            collect(doc, root, v, rest, out)
        }),
        Step::Descend(sel) => descend(doc, root, cur, sel, &mut |v| {
            collect(doc, root, v, rest, out)
        }),
    }
}

/// Calls `f` on each child of `cur` that `sel` selects.
fn apply(doc: &Doc, root: Val, cur: Val, sel: &Sel, f: &mut dyn FnMut(Val)) {
    match sel {
        Sel::Name(n) => {
            if let Some(v) = doc.field(cur, n) {
                f(v);
            }
        }
        Sel::Index(i) => {
            if let Some(v) = index(doc, cur, *i) {
                f(v);
            }
        }
        Sel::Names(ns) => {
            for n in ns.iter() {
                if let Some(v) = doc.field(cur, n) {
                    f(v);
                }
            }
        }
        Sel::Indices(is) => {
            for &i in is.iter() {
                if let Some(v) = index(doc, cur, i) {
                    f(v);
                }
            }
        }
        Sel::Wildcard => match doc.get(cur) {
            Ref::Array(a) => a.iter().for_each(|&v| f(v)),
            Ref::Object(o) => o.entries().iter().for_each(|e| f(e.val)),
            _ => {}
        },
        Sel::Slice(start, end, step) => {
            if let Some(a) = doc.as_array(cur) {
                for i in slice_indices(a.len(), *start, *end, *step) {
                    f(a[i]);
                }
            }
        }
        Sel::Filter(flt) => match doc.get(cur) {
            Ref::Array(a) => {
                for &v in a {
                    if is_container(doc, v) && test(doc, root, v, flt) {
                        f(v);
                    }
                }
            }
            Ref::Object(_) if test(doc, root, cur, flt) => f(cur),
            _ => {}
        },
    }
}

/// `..sel`: `sel` applied at `cur` and at every node below it, pre-order.
/// A filter tests each object once (Jayway's scan), not each array item.
fn descend(doc: &Doc, root: Val, cur: Val, sel: &Sel, f: &mut dyn FnMut(Val)) {
    match sel {
        Sel::Filter(flt) => {
            if doc.as_object(cur).is_some() && test(doc, root, cur, flt) {
                f(cur);
            }
        }
        _ => apply(doc, root, cur, sel, f),
    }
    match doc.get(cur) {
        Ref::Array(a) => a.iter().for_each(|&v| descend(doc, root, v, sel, f)),
        Ref::Object(o) => o
            .entries()
            .iter()
            .for_each(|e| descend(doc, root, e.val, sel, f)),
        _ => {}
    }
}

fn is_container(doc: &Doc, v: Val) -> bool {
    matches!(doc.get(v), Ref::Object(_) | Ref::Array(_))
}

/// The indices a Python-style slice selects in an array of `len` items.
pub(crate) fn slice_indices(
    len: usize,
    start: Option<i64>,
    end: Option<i64>,
    step: Option<i64>,
) -> impl Iterator<Item = usize> {
    let len = len as i64;
    let step = step.unwrap_or(1);
    let norm = |i: i64| if i < 0 { i + len } else { i };
    let (lo, hi);
    if step > 0 {
        lo = start.map_or(0, |s| norm(s).clamp(0, len));
        hi = end.map_or(len, |e| norm(e).clamp(0, len));
    } else {
        lo = start.map_or(len - 1, |s| norm(s).clamp(-1, len - 1));
        hi = end.map_or(-1, |e| norm(e).clamp(-1, len - 1));
    }
    let mut i = lo;
    std::iter::from_fn(move || {
        let ok = if step > 0 { i < hi } else { i > hi };
        if !ok {
            return None;
        }
        let r = i as usize;
        i += step;
        Some(r)
    })
}

/// A resolved filter operand.
enum Side<'a> {
    Missing,
    Val(Val),
    Lit(&'a Lit),
}

fn resolve<'a>(doc: &Doc, root: Val, item: Val, op: &'a Operand) -> Side<'a> {
    let found = match op {
        Operand::Current(steps) => walk(doc, item, steps),
        Operand::Root(steps) => walk(doc, root, steps),
        Operand::Lit(l) => return Side::Lit(l),
    };
    found.map_or(Side::Missing, Side::Val)
}

/// A scalar view for comparisons.
enum Scalar<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Str(&'a str),
    Node(Val),
}

fn scalar<'a>(doc: &'a Doc, side: &'a Side<'a>) -> Option<Scalar<'a>> {
    Some(match side {
        Side::Missing => return None,
        Side::Lit(Lit::Null) => Scalar::Null,
        Side::Lit(Lit::Bool(b)) => Scalar::Bool(*b),
        Side::Lit(Lit::Num(n)) => Scalar::Num(*n),
        Side::Lit(Lit::Str(s)) => Scalar::Str(s),
        Side::Val(v) => match doc.get(*v) {
            Ref::Null => Scalar::Null,
            Ref::Bool(b) => Scalar::Bool(b),
            Ref::Int(i) => Scalar::Num(i as f64),
            Ref::Float(f) => Scalar::Num(f),
            Ref::Str(s) => Scalar::Str(s),
            Ref::Array(_) | Ref::Object(_) => Scalar::Node(*v),
        },
    })
}

fn compare(doc: &Doc, a: &Side<'_>, op: CmpOp, b: &Side<'_>) -> bool {
    let (Some(x), Some(y)) = (scalar(doc, a), scalar(doc, b)) else {
        return op == CmpOp::Ne;
    };
    use std::cmp::Ordering;
    let ord: Option<Ordering> = match (&x, &y) {
        (Scalar::Num(p), Scalar::Num(q)) => p.partial_cmp(q),
        (Scalar::Str(p), Scalar::Str(q)) => Some(p.cmp(q)),
        (Scalar::Bool(p), Scalar::Bool(q)) if p == q => Some(Ordering::Equal),
        (Scalar::Null, Scalar::Null) => Some(Ordering::Equal),
        (Scalar::Node(p), Scalar::Node(q)) if doc.equal(*p, *q) => Some(Ordering::Equal),
        _ => None,
    };
    let ordered = matches!(
        (&x, &y),
        (Scalar::Num(_), Scalar::Num(_)) | (Scalar::Str(_), Scalar::Str(_))
    );
    match op {
        CmpOp::Eq => ord == Some(Ordering::Equal),
        CmpOp::Ne => ord != Some(Ordering::Equal),
        CmpOp::Lt => ordered && ord == Some(Ordering::Less),
        CmpOp::Le => ordered && matches!(ord, Some(Ordering::Less | Ordering::Equal)),
        CmpOp::Gt => ordered && ord == Some(Ordering::Greater),
        CmpOp::Ge => ordered && matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
    }
}

/// Whether `item` passes the filter.
pub(crate) fn test(doc: &Doc, root: Val, item: Val, f: &Filter) -> bool {
    match f {
        Filter::Or(a, b) => test(doc, root, item, a) || test(doc, root, item, b),
        Filter::And(a, b) => test(doc, root, item, a) && test(doc, root, item, b),
        Filter::Not(a) => !test(doc, root, item, a),
        Filter::Exists(op) => !matches!(resolve(doc, root, item, op), Side::Missing),
        Filter::Cmp(a, op, b) => {
            let (x, y) = (resolve(doc, root, item, a), resolve(doc, root, item, b));
            compare(doc, &x, *op, &y)
        }
    }
}
