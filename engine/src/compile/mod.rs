//! Typed definition → [`Program`]: each state lowered to a short run of
//! ops, Choice rules to compare-and-jump ops, state names to op indices
//! (labels patched after lowering), handlers resolved from `Resource`.

mod builder;
mod choice;
mod context;
mod lower;
mod retry;

use crate::asl::{Diagnostic, Diagnostics, StateMachine};
use crate::bytecode::Program;
use crate::handlers::Registry;

/// Compiles a validated state machine, resolving each Task's `Resource` in `handlers`.
///
/// # Errors
/// A Task whose resource no handler serves, or a path or template that
/// does not compile, each at its JSON pointer.
pub fn compile(sm: &StateMachine, handlers: &Registry) -> Result<Program, Diagnostics> {
    let mut b = builder::Builder::new();
    lower::lower_machine(&mut b, sm, handlers);
    b.patch();
    let program = b.finish(sm.timeout_seconds).map_err(Diagnostics)?;
    if cfg!(debug_assertions) {
        if let Err(e) = crate::bytecode::verify(&program) {
            return Err(Diagnostics(vec![Diagnostic::error(
                "INTERNAL",
                "",
                format!("bytecode verifier: {e}"),
            )]));
        }
    }
    Ok(program)
}
