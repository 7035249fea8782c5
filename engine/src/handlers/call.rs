//! What a handler sees ([`Call`]) and what it answers ([`Reply`]).

use super::sink::{CompletionKey, CompletionSink};
use super::token::TokenError;
use super::tokens::TaskTokens;
use crate::error::Failure;
use crate::json::{Doc, Val};
use std::sync::Arc;

/// A handler's answer.
#[derive(Debug)]
pub enum Reply {
    /// The result, built in the call's document ([`Call::doc`]).
    Value(Val),
    /// The result as a `serde_json` value (copied into the execution's document).
    Json(serde_json::Value),
    /// The task failed with this ASL error; Retry and Catch see it.
    Error(Failure),
    /// The result comes later through the [`Completion`] taken with [`Call::defer`].
    Pending,
    /// The result (built in [`Call::doc`]) or error, after `after_ms` of the
    /// execution's clock: how simulated resources model latency. A Task
    /// `TimeoutSeconds` shorter than that fails the task with `States.Timeout`.
    Delayed {
        /// Latency in milliseconds.
        after_ms: u64,
        /// What the task returns then.
        result: Result<Val, Failure>,
    },
}

/// A handle that completes a deferred task, from any thread. Dropping it
/// without completing fails the task (`States.TaskFailed`), so an execution
/// never waits for a completion that cannot come.
#[must_use = "a deferred task completes only through its Completion"]
pub struct Completion {
    key: CompletionKey,
    /// Taken when the completion is delivered (`None`: done).
    sink: Option<Arc<dyn CompletionSink>>,
    /// Boxed: most completions have none, and a parked task holds its completion.
    watch: Option<Box<Watch>>,
}

/// A deferred call whose wait the token registry keeps (a `.waitForTaskToken`
/// task, or a task with deadlines on the wall clock).
#[derive(Clone)]
pub(crate) struct Watch {
    pub(crate) tokens: TaskTokens,
    pub(crate) exec: u64,
    pub(crate) serial: u32,
    /// A `.waitForTaskToken` task: the call's own success only means the
    /// service accepted the request; the token completes the task.
    pub(crate) callback: bool,
}

impl std::fmt::Debug for Completion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Completion")
            .field("key", &self.key)
            .finish()
    }
}

impl Completion {
    /// Completes the task with a result.
    pub fn succeed(self, result: serde_json::Value) {
        self.complete(Ok(result));
    }
    /// Fails the task with an ASL error.
    pub fn fail(self, failure: Failure) {
        self.complete(Err(failure));
    }
    /// Completes with either. For a `.waitForTaskToken` task a success only
    /// says the service took the request: the task goes on waiting for its
    /// token; a failure fails the task (as a failed service call does on AWS).
    pub fn complete(mut self, result: Result<serde_json::Value, Failure>) {
        self.deliver(result);
    }

    /// Reports that the work is still going on: restarts the task's
    /// `HeartbeatSeconds` clock (enforced on a wall-clock [`crate::Runtime`]).
    ///
    /// # Errors
    /// [`TokenError::TaskTimedOut`] when the task no longer waits (it timed
    /// out); a task with no deadline to watch always answers `Ok`.
    pub fn heartbeat(&self) -> Result<(), TokenError> {
        match &self.watch {
            Some(w) if !w.callback => w.tokens.beat(w.exec, w.serial, None, false),
            _ => Ok(()),
        }
    }

    /// Delivers `result`, once: the sink is taken.
    fn deliver(&mut self, result: Result<serde_json::Value, Failure>) {
        let Some(sink) = self.sink.take() else {
            return;
        };
        match &self.watch {
            None => sink.complete(self.key, result),
            Some(w) if w.callback && result.is_ok() => {}
            Some(w) => w.tokens.finish(w.exec, w.serial, result),
        }
    }
}

impl Drop for Completion {
    fn drop(&mut self) {
        if self.sink.is_some() {
            self.deliver(Err(Failure::new(
                "States.TaskFailed",
                "the task handler dropped its completion without completing the task",
            )));
        }
    }
}

/// One invocation of a handler.
pub struct Call<'a> {
    pub(crate) doc: &'a mut Doc,
    pub(crate) input: Val,
    pub(crate) resource: &'a str,
    pub(crate) state: &'a str,
    pub(crate) retry_count: u32,
    pub(crate) key: CompletionKey,
    pub(crate) sink: &'a Arc<dyn CompletionSink>,
    pub(crate) deferred: bool,
    pub(crate) now_ms: i64,
    /// `$$.Task.Token` of a `.waitForTaskToken` task.
    pub(crate) token: Option<&'a str>,
    pub(crate) watch: Option<&'a Watch>,
    /// Set by [`Call::not_yet`]: the handler cannot answer now.
    pub(crate) not_yet: bool,
}

impl std::fmt::Debug for Call<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("resource", &self.resource)
            .field("state", &self.state)
            .finish()
    }
}

impl<'a> Call<'a> {
    /// The effective input (after InputPath and Parameters), in [`Call::doc`].
    pub fn input(&self) -> Val {
        self.input
    }
    /// The execution's document: read the input, build the result.
    pub fn doc(&mut self) -> &mut Doc {
        self.doc
    }
    /// The execution's document, read-only (to read the input while keeping `self` borrowable).
    pub fn doc_ref(&self) -> &Doc {
        self.doc
    }
    /// The effective input copied out as a `serde_json` value.
    pub fn input_json(&self) -> serde_json::Value {
        self.doc.export(self.input)
    }
    /// The Task's `Resource`.
    pub fn resource(&self) -> &str {
        self.resource
    }
    /// The Task state's name.
    pub fn state_name(&self) -> &str {
        self.state
    }
    /// The execution's clock (virtual or wall), in ms since the epoch.
    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }
    /// The runtime's id of the calling execution: what
    /// [`crate::Runtime::start_with`] returned for it (0 where one
    /// execution runs alone on the calling thread).
    pub fn execution_id(&self) -> u64 {
        self.key.exec
    }
    /// How many retries of this state came before this attempt.
    pub fn retry_count(&self) -> u32 {
        self.retry_count
    }
    /// The task token (`$$.Task.Token`) of a `.waitForTaskToken` task: the
    /// task's result is what is sent with it
    /// ([`super::TaskTokens::send_task_success`]), not this call's reply.
    pub fn task_token(&self) -> Option<&str> {
        self.token
    }
    /// Says that this handler cannot answer yet (reply [`Reply::Pending`]):
    /// the execution stops before the call as if it had not been made, and
    /// its next advance calls the handler again. The simulation's parallel
    /// driver uses it at calls whose answer depends on shared state.
    pub(crate) fn not_yet(&mut self) {
        self.not_yet = true;
    }
    /// Takes the handle to complete this task later; reply [`Reply::Pending`].
    pub fn defer(&mut self) -> Completion {
        self.deferred = true;
        Completion {
            key: self.key,
            sink: Some(Arc::clone(self.sink)),
            watch: self.watch.cloned().map(Box::new),
        }
    }
}
