//! ResultPath writes: a reference path applied to build a new document that
//! shares every untouched node with the old one.

use super::ast::{Sel, Step};
use super::select::index;
use crate::json::{Doc, Val};

/// Writes `value` at `steps` inside `node` (`None` when the node does not
/// exist yet). Missing objects are created; `Err` when a step meets a value
/// it cannot go through (a field of a non-object, an index outside an array).
pub(crate) fn set_at(
    doc: &mut Doc,
    node: Option<Val>,
    steps: &[Step],
    value: Val,
) -> Result<Val, ()> {
    let Some((step, rest)) = steps.split_first() else {
        return Ok(value);
    };
    match step {
        Step::Child(Sel::Name(name)) => {
            let obj = match node {
                None => Doc::EMPTY_OBJECT,
                Some(v) if doc.as_object(v).is_some() => v,
                Some(_) => return Err(()),
            };
            let child = doc.field(obj, name);
            let new = set_at(doc, child, rest, value)?;
            Ok(doc.with_field(obj, name, new))
        }
        Step::Child(Sel::Index(i)) => {
            let arr = node.ok_or(())?;
            let len = doc.as_array(arr).ok_or(())?.len();
            let child = index(doc, arr, *i).ok_or(())?;
            let at = if *i < 0 {
                (len as i64 + i) as usize
            } else {
                *i as usize
            };
            let new = set_at(doc, Some(child), rest, value)?;
            Ok(doc.with_item(arr, at, new))
        }
        _ => Err(()),
    }
}
