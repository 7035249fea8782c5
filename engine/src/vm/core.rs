//! A compiled machine as the VM runs it: the program and the handlers its
//! Task states resolved to at compile time.

use crate::bytecode::Program;
use crate::handlers::TaskHandler;
use std::sync::Arc;

/// A compiled program with the handlers its tasks resolved to.
pub(crate) struct MachineCore {
    /// The program.
    pub(crate) program: Program,
    /// Handlers indexed by `HandlerId`.
    pub(crate) handlers: Vec<Arc<dyn TaskHandler>>,
}

impl std::fmt::Debug for MachineCore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MachineCore")
            .field("ops", &self.program.ops.len())
            .finish()
    }
}
