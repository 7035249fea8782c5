//! The parent operator `%`: its slots, and resolving each one to the path
//! step whose value it binds (jsonata's `seekParent`/`resolveAncestry`).

use super::ast::{Node, Sym, LABEL_BIT, NK};
use super::error::{JResult, JsonataError};

/// A parent-operator slot: the label its value is bound to and how many steps up it still has to go.
#[derive(Clone, Debug)]
pub(crate) struct Slot {
    /// Label number (the binding symbol is `LABEL_BIT | label`).
    pub(crate) label: u32,
    /// Steps up still to go before the labelled ancestor is reached.
    pub(crate) level: i32,
}

/// Walks back from `node` to the step that `slot`'s `%` refers to, labelling it.
pub(crate) fn seek_parent(slots: &mut [Slot], node: &mut Node, slot: u32) -> JResult<()> {
    let si = slot as usize;
    match &mut node.kind {
        NK::Name(_) | NK::Wildcard => {
            slots[si].level -= 1;
            if slots[si].level == 0 {
                if let Some(a) = node.ancestor {
                    slots[si].label = slots[a as usize].label;
                }
                node.ancestor = Some(slot);
                node.tuple = true;
            }
        }
        NK::Parent(_) => slots[si].level += 1,
        NK::Block(items) => {
            if let Some(last) = items.last_mut() {
                seek_parent(slots, last, slot)?;
                node.tuple = true;
            }
        }
        NK::Path(steps, _) => {
            let mut index = steps.len() as isize - 1;
            seek_parent(slots, &mut steps[index as usize], slot)?;
            index -= 1;
            while slots[si].level > 0 && index >= 0 {
                seek_parent(slots, &mut steps[index as usize], slot)?;
                index -= 1;
            }
            node.tuple = true;
        }
        _ => return Err(JsonataError::new("S0217", node.pos).tok(node.type_name())),
    }
    Ok(())
}

/// Resolves the parent slots that the last step of `path` seeks against its earlier steps;
/// the unresolved ones stay sought by the path.
pub(crate) fn resolve_ancestry(slots: &mut [Slot], path: &mut Node) -> JResult<()> {
    let NK::Path(steps, _) = &mut path.kind else {
        return Ok(());
    };
    let last = steps.last().expect("a step");
    let mut seeking = last.seeking.clone();
    if let NK::Parent(s) = last.kind {
        seeking.push(s);
    }
    let mut unresolved = Vec::new();
    for slot in seeking {
        let mut index = steps.len() as isize - 2;
        while slots[slot as usize].level > 0 {
            if index < 0 {
                unresolved.push(slot);
                break;
            }
            let mut si = index as usize;
            index -= 1;
            while index >= 0 && steps[si].focus.is_some() && steps[index as usize].focus.is_some() {
                si = index as usize;
                index -= 1;
            }
            seek_parent(slots, &mut steps[si], slot)?;
        }
    }
    path.seeking.extend(unresolved);
    Ok(())
}

/// Carries the slots `value` still seeks (or its own `%`) up to `result`.
pub(crate) fn push_ancestry(result: &mut Node, value: &Node) {
    result.seeking.extend_from_slice(&value.seeking);
    if let NK::Parent(s) = value.kind {
        result.seeking.push(s);
    }
}

/// The binding symbol of a parent slot's label.
pub(crate) fn label_sym(slots: &[Slot], slot: u32) -> Sym {
    LABEL_BIT | slots[slot as usize].label
}
