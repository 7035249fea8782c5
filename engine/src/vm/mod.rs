//! The interpreter: fibers run a [`crate::bytecode::Program`] in slices
//! that end Done, Suspended (timer, task, children), Failed or OutOfFuel.
//! It never blocks and never knows which scheduler runs it.

mod choice;
mod context;
mod exec;
mod failure;
mod fiber;
mod step;
pub mod time;

pub use exec::{End, Execution, RunEnv, RunState};

use crate::bytecode::Program;
use crate::handlers::{CompletionKey, CompletionSink, TaskHandler};
use crate::json::{Doc, Val};
use std::sync::Arc;

/// Static facts about one execution, for the context object (`$$.Execution`, `$$.StateMachine`).
#[derive(Debug, Clone)]
pub struct ExecInfo {
    /// Execution name.
    pub name: String,
    /// Execution ARN.
    pub execution_arn: String,
    /// An Express execution (no `RedriveCount` in `$$.Execution`).
    pub express: bool,
    /// State machine name.
    pub state_machine_name: String,
    /// State machine ARN.
    pub state_machine_arn: String,
    /// Role ARN.
    pub role_arn: String,
    /// Start time, ms since the epoch.
    pub start_ms: i64,
    /// Storage of the original input.
    pub input_doc: Doc,
    /// The original input (`$$.Execution.Input`).
    pub input: Val,
}

/// Counts an execution keeps as AWS's history would.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// History events so far (the id of the last event).
    pub events: u64,
    /// State transitions (states entered plus retries).
    pub transitions: u64,
}

pub(crate) struct Env<'a> {
    pub(crate) prog: &'a Program,
    pub(crate) handlers: &'a [Arc<dyn TaskHandler>],
    pub(crate) info: &'a ExecInfo,
    pub(crate) now_ms: i64,
    pub(crate) sink: Option<&'a Arc<dyn CompletionSink>>,
    pub(crate) key: CompletionKey,
}

#[cfg(test)]
mod tests;
