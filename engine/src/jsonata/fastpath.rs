//! Fast paths for location paths of plain names (`a.b`, `items.price`), and
//! of names with one `[field = literal]` filter (`orders[status='open'].id`):
//! the result read straight from the document, no sequences built on the
//! way. Anything else is left to the general path evaluator (`path.rs`).

use super::ast::{BinOp, Node, Stage, NK};
use super::eval::Ev;
use super::path::keep_seq;
use super::value::Value;
use crate::json::{Ref, Val};

impl<'a> Ev<'a, '_> {
    /// Field-name paths over single JSON objects: no sequence is built.
    pub(crate) fn simple_path(
        &mut self,
        n: &'a Node,
        steps: &'a [Node],
        keep: bool,
        input: &Value<'a>,
    ) -> Option<Value<'a>> {
        if n.group.is_some() || n.tuple {
            return None;
        }
        let mut cur = match input {
            Value::Json(v) => *v,
            _ => return None,
        };
        if !matches!(self.doc.get(cur), Ref::Object(_)) {
            return None;
        }
        let simple = |s: &Node| {
            matches!(s.kind, NK::Name(_))
                && (s.stages.is_empty() || eq_filter(s).is_some())
                && !s.tuple
                && s.focus.is_none()
                && s.index.is_none()
                && !s.keep_array
                && s.group.is_none()
                && s.predicate.is_empty()
        };
        if !steps.iter().all(simple) {
            return None;
        }
        let last = steps.len() - 1;
        for (i, s) in steps.iter().enumerate() {
            let NK::Name(name) = &s.kind else { return None };
            let next = self.doc.field(cur, name)?;
            if let Some((field, lit)) = eq_filter(s) {
                let kept = self.filter_eq(next, field, lit)?;
                return if i == last {
                    let items = kept.into_iter().map(Value::Json).collect();
                    Some(if keep {
                        keep_seq(items)
                    } else {
                        Value::seq(items)
                    })
                } else {
                    self.simple_map(kept, &steps[i + 1..], keep)
                };
            }
            match self.doc.get(next) {
                Ref::Array(_) => {
                    if i == last {
                        return Some(Value::Json(next));
                    }
                    let Ref::Array(items) = self.doc.get(next) else {
                        return None;
                    };
                    return self.simple_map(items.to_vec(), &steps[i + 1..], keep);
                }
                Ref::Object(_) => cur = next,
                _ if i == last => cur = next,
                _ => {
                    return Some(if keep {
                        keep_seq(Vec::new())
                    } else {
                        Value::Undefined
                    })
                }
            }
        }
        Some(if keep {
            keep_seq(vec![Value::Json(cur)])
        } else {
            Value::Json(cur)
        })
    }

    /// The rest of a path of plain names over `seq` (an array's items), when
    /// every item on the way is an object and no field on the way holds an
    /// array (`items.price`); `None` leaves the path to the general evaluator.
    fn simple_map(&self, mut seq: Vec<Val>, steps: &'a [Node], keep: bool) -> Option<Value<'a>> {
        let doc = &*self.doc;
        for s in steps {
            let NK::Name(name) = &s.kind else { return None };
            if !s.stages.is_empty() {
                return None;
            }
            let mut next = Vec::with_capacity(seq.len());
            for &x in &seq {
                let Ref::Object(o) = doc.get(x) else {
                    return None;
                };
                let Some(v) = o.get(name) else { continue };
                // An array field (even `[]`) has its own flattening rules: the general path.
                if matches!(doc.get(v), Ref::Array(_)) {
                    return None;
                }
                next.push(v);
            }
            seq = next;
        }
        let items = seq.into_iter().map(Value::Json).collect();
        Some(if keep {
            keep_seq(items)
        } else {
            Value::seq(items)
        })
    }
}

/// The `[field = literal]` filter of step `s`, if that is its only stage.
fn eq_filter(s: &Node) -> Option<(&str, &Node)> {
    let [Stage::Filter(p)] = &s.stages[..] else {
        return None;
    };
    let NK::Binary(BinOp::Eq, l, r) = &p.kind else {
        return None;
    };
    if !p.bare() || !r.bare() || !matches!(r.kind, NK::Str(_) | NK::Num(_) | NK::Bool(_)) {
        return None;
    }
    let field = match &l.kind {
        NK::Path(steps, false) if l.bare() => match &steps[..] {
            [one] if one.bare() => match &one.kind {
                NK::Name(f) => f,
                _ => return None,
            },
            _ => return None,
        },
        NK::Name(f) if l.bare() => f,
        _ => return None,
    };
    Some((field, r))
}

impl Ev<'_, '_> {
    /// The items of `v` (itself, when it is not an array) whose `field`
    /// equals `lit`, each item an object whose `field` is absent or a
    /// scalar; `None` leaves anything else to the general evaluator.
    fn filter_eq(&self, v: Val, field: &str, lit: &Node) -> Option<Vec<Val>> {
        let doc = &*self.doc;
        let one = [v];
        let items = match doc.get(v) {
            Ref::Array(items) => items,
            _ => &one[..],
        };
        let mut kept = Vec::new();
        for &x in items {
            let Ref::Object(o) = doc.get(x) else {
                return None;
            };
            let Some(f) = o.get(field) else { continue };
            let eq = match (doc.get(f), &lit.kind) {
                (Ref::Array(_) | Ref::Object(_), _) => return None,
                (Ref::Str(a), NK::Str(b)) => a == b,
                (Ref::Bool(a), NK::Bool(b)) => a == *b,
                (Ref::Int(a), NK::Num(b)) => a as f64 == *b,
                (Ref::Float(a), NK::Num(b)) => a == *b,
                _ => false,
            };
            if eq {
                kept.push(x);
            }
        }
        Some(kept)
    }
}
