//! Typed definition → [`Program`]: each state lowered to a short run of
//! ops, Choice rules to compare-and-jump ops, state names to op indices
//! (labels patched after lowering), handlers resolved from `Resource`.
//!
//! | file | what it lowers |
//! |---|---|
//! | `block` | blocks, one after another (nested ones queued in `queue`) |
//! | `state` | one state: its side-table entry, `Enter`, then its type's file |
//! | `pass`, `task`, `choice`, `wait`, `fail`, `parallel`, `map` | each state type |
//! | `io` | InputPath, Parameters, ResultSelector, ResultPath, OutputPath, the transition |
//! | `retry` | Retry and Catch side tables |
//! | `context` | which parts of `$$` a state reads |
//! | `labels`, `builder` | state names → labels; ops, label patching, pools |
//!
//! Paths, templates and intrinsic calls arrive parsed in the `asl` model; the
//! compiler only places them in the program's pools. Every code it reports
//! is in [`crate::asl::codes`].

mod block;
mod builder;
mod choice;
mod context;
mod fail;
mod io;
mod labels;
mod map;
mod parallel;
mod pass;
mod queue;
mod retry;
mod state;
mod task;
mod wait;

use crate::asl::codes::INTERNAL;
use crate::asl::{Diagnostic, Diagnostics, StateMachine};
use crate::bytecode::Program;
use crate::handlers::Registry;

/// Compiles a validated state machine, resolving each Task's `Resource` in `handlers`.
///
/// # Errors
/// Each at its JSON pointer: a Task whose resource no handler serves
/// (`NO_HANDLER`), a feature not run yet (`UNSUPPORTED_FEATURE`), or a
/// compiler bug (`INTERNAL`); see [`crate::asl::codes`].
pub(crate) fn compile(sm: &StateMachine, handlers: &Registry) -> Result<Program, Diagnostics> {
    let mut b = builder::Builder::new();
    block::lower_machine(&mut b, sm, handlers);
    b.patch();
    let program = b.finish(sm.timeout_seconds).map_err(Diagnostics)?;
    if cfg!(debug_assertions) {
        if let Err(e) = crate::bytecode::verify(&program) {
            return Err(Diagnostics(vec![Diagnostic::error(
                INTERNAL,
                "",
                format!("bytecode verifier: {e}"),
            )]));
        }
    }
    Ok(program)
}
