//! The compiled form, with no logic: [`Op`] (a `Copy` enum of at most 16
//! bytes with `u32` operands), typed indices, and [`Program`] with its
//! pools and side tables.
//!
//! Unlike DESIGN.md's first sketch, `Program` holds the compiled paths and
//! templates of `path/` directly in its pools: they are data the ops index,
//! and keeping them here avoids a second indirection.

mod ids;
mod op;
mod program;
mod verify;

pub(crate) use ids::*;
pub(crate) use op::Op;
pub(crate) use program::*;
pub(crate) use verify::verify;
