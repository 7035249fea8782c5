//! State names → jump labels within one block: a `Next`, a Choice
//! `Default` or a Catch `Next` becomes a jump to its state's label.

use super::builder::{Builder, Label};
use crate::asl::codes::MISSING_TRANSITION_TARGET;
use crate::asl::{Block, Diagnostic};
use std::collections::HashMap;

/// The labels of one block's states.
pub(super) struct StateLabels<'a> {
    labels: HashMap<&'a str, Label>,
    /// The block's pointer, for a target that is not in it.
    pointer: &'a str,
}

impl<'a> StateLabels<'a> {
    /// A fresh label for each state of `block`.
    pub(super) fn new(b: &mut Builder, block: &'a Block) -> Self {
        let labels = block
            .states
            .iter()
            .map(|s| (s.name.as_str(), b.label()))
            .collect();
        StateLabels {
            labels,
            pointer: &block.pointer,
        }
    }

    /// The label of state `name` (validation guarantees it exists).
    pub(super) fn of(&self, name: &str) -> Option<Label> {
        self.labels.get(name).copied()
    }

    /// The label to jump to for target `name`; an unknown one is reported
    /// and given a label of its own.
    pub(super) fn target(&self, b: &mut Builder, name: &str) -> Label {
        match self.of(name) {
            Some(l) => l,
            None => {
                b.diags.push(Diagnostic::error(
                    MISSING_TRANSITION_TARGET,
                    self.pointer,
                    format!("no state named {name:?} in this block"),
                ));
                b.label()
            }
        }
    }
}
