//! Blocks (the top level, Parallel branches, Map processors) lowered one
//! after another: each state of a block in definition order, the block's
//! entry at its `StartAt` state.

use super::builder::Builder;
use super::labels::StateLabels;
use super::queue::Lowering;
use super::state;
use crate::asl::codes::MISSING_TRANSITION_TARGET;
use crate::asl::{Block, Diagnostic, StateMachine};
use crate::bytecode::BlockId;
use crate::handlers::Registry;

pub(super) fn lower_machine(b: &mut Builder, sm: &StateMachine, handlers: &Registry) {
    let mut cx = Lowering::new(handlers);
    cx.nested(b, &sm.block);
    while let Some((id, block)) = cx.pop() {
        lower_block(b, &mut cx, id, block);
    }
}

fn lower_block<'a>(b: &mut Builder, cx: &mut Lowering<'a>, id: BlockId, block: &'a Block) {
    let labels = StateLabels::new(b, block);
    let mut start = None;
    for s in &block.states {
        let Some(label) = labels.of(&s.name) else {
            continue;
        };
        let entry = state::lower(b, cx, id, s, label, &labels);
        if s.name == block.start_at {
            start = Some(entry);
        }
    }
    match start {
        Some(e) => b.blocks[id.idx()].entry = e,
        None => b.diags.push(Diagnostic::error(
            MISSING_TRANSITION_TARGET,
            format!("{}/StartAt", block.pointer),
            format!("no state named {:?}", block.start_at),
        )),
    }
}
