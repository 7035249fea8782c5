//! What one op asks of the interpreter loop, and why a slice of a fiber ended.

use crate::bytecode::OpId;
use crate::error::Failure;
use crate::json::Val;

/// Why `run_slice` returned.
#[derive(Debug)]
pub(crate) enum Step {
    /// The block ended; its output is this value in the fiber's document.
    End(Val),
    /// The fiber failed (Retry and Catch already considered).
    Failed(Failure),
    /// Suspended until the virtual time (ms) given.
    Sleep(i64),
    /// Suspended on a task handler that completes later.
    AwaitTask,
    /// A Parallel or Map wants its children; `fiber.spawn` says which.
    Spawn,
    /// Fuel ran out; run again later.
    OutOfFuel,
    /// A handler could not answer yet ([`crate::handlers::Call::not_yet`]):
    /// the fiber is still at its `Invoke` op; the execution stops at once.
    Blocked,
    /// A limit of the whole execution was reached: it fails at once, uncaught.
    Abort(Failure),
}

/// What an op asks of the loop.
pub(crate) enum Flow {
    Next,
    Goto(OpId),
    Return(Step),
}
