//! Schedulers that run executions: `local` runs one on the calling thread;
//! [`Runtime`] runs many on all cores with work stealing. See `README.md`
//! beside this file for the protocol.

pub(crate) mod local;
mod park;
mod pool;
pub mod prepare;
mod task;
mod timer;
mod types;

pub use pool::{
    batch_seed, BatchOptions, Clock, ExecutionHandle, Runnable, Runtime, RuntimeBuilder,
};
pub use types::{Input, InputError, MachineType, Outcome, RunOptions, Status};

use crate::bytecode::Program;
use crate::handlers::TaskHandler;
use std::sync::Arc;

/// A compiled program with the handlers its tasks resolved to.
pub struct MachineCore {
    /// The program.
    pub program: Program,
    /// Handlers indexed by `HandlerId`.
    pub handlers: Vec<Arc<dyn TaskHandler>>,
}

impl std::fmt::Debug for MachineCore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MachineCore")
            .field("ops", &self.program.ops.len())
            .finish()
    }
}

#[cfg(test)]
mod tests;
