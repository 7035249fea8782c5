//! What lowering carries from state to state: the handler registry, and the
//! nested blocks (Parallel branches, Map processors) that wait to be lowered
//! after the block being lowered, in the order they were met.

use super::builder::Builder;
use crate::asl::Block;
use crate::bytecode::BlockId;
use crate::handlers::Registry;
use std::collections::VecDeque;

pub(super) struct Lowering<'a> {
    pub(super) handlers: &'a Registry,
    queue: VecDeque<(BlockId, &'a Block)>,
}

impl<'a> Lowering<'a> {
    pub(super) fn new(handlers: &'a Registry) -> Self {
        Lowering {
            handlers,
            queue: VecDeque::new(),
        }
    }

    /// Gives `block` its id now and queues it to be lowered later.
    pub(super) fn nested(&mut self, b: &mut Builder, block: &'a Block) -> BlockId {
        let id = b.new_block();
        self.queue.push_back((id, block));
        id
    }

    /// The next block to lower.
    pub(super) fn pop(&mut self) -> Option<(BlockId, &'a Block)> {
        self.queue.pop_front()
    }
}
