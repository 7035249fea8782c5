//! Fast paths for location paths of plain names (`a.b`, `items.price`): the
//! result read straight from the document, no sequences built on the way.
//! Anything else is left to the general path evaluator (`path.rs`).

use super::ast::{Node, NK};
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
                && s.stages.is_empty()
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
            match self.doc.get(next) {
                Ref::Array(_) => {
                    if i == last {
                        return Some(Value::Json(next));
                    }
                    return self.simple_map(next, &steps[i + 1..], keep);
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

    /// The rest of a path of plain names over the items of array `arr`, when
    /// every item on the way is an object and no field on the way holds an
    /// array (`items.price`); `None` leaves the path to the general evaluator.
    fn simple_map(&self, arr: Val, steps: &'a [Node], keep: bool) -> Option<Value<'a>> {
        let doc = &*self.doc;
        let Ref::Array(first) = doc.get(arr) else {
            return None;
        };
        let mut seq: Vec<Val> = first.to_vec();
        for s in steps {
            let NK::Name(name) = &s.kind else { return None };
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
