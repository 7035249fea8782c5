//! The handler that serves Task states from a test case: one invocation
//! counter per state per execution, advanced on every invocation (retries
//! and Map iterations included), choosing the entry that covers it.

use super::case::TestCase;
use super::response::Action;
use crate::error::Failure;
use crate::handlers::{Call, CompletionSink, Reply, TaskHandler};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError, Weak};

/// Serves the Task states of one test case of a mock file with their mocked
/// responses; made by [`super::mock_config`], registered for `*`.
///
/// Invocation `n` (0-based) of a state within an execution takes the entry
/// whose key (`"n"`, or a range `"a-b"` with a ≤ n ≤ b) covers it. The
/// count is per state per execution, so it advances across retries, Map
/// iterations and loops, and executions running at once on many threads
/// each keep their own. An invocation no key covers (past the last key, or
/// in a gap) fails the execution with `States.Runtime`, which no Retry or
/// Catch handles. A state the test case does not mock goes to the fallback
/// ([`MockHandler::or_else`]), else fails the same way.
///
/// Every execution starts from invocation 0, whether it runs with
/// [`crate::Machine::run`] or on a [`crate::Runtime`]; clones of the handler
/// share the counts.
#[derive(Clone)]
pub struct MockHandler {
    case: Arc<TestCase>,
    counts: Arc<Counts>,
    fallback: Option<Arc<dyn TaskHandler>>,
}

impl fmt::Debug for MockHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockHandler")
            .field("state_machine", &self.case.machine)
            .field("test_case", &self.case.name)
            .field("fallback", &self.fallback.is_some())
            .finish()
    }
}

impl MockHandler {
    pub(crate) fn new(case: TestCase) -> MockHandler {
        MockHandler {
            case: Arc::new(case),
            counts: Arc::new(Counts::default()),
            fallback: None,
        }
    }

    /// Serves the states the test case does not mock with `fallback` (the
    /// CLI's `--echo-tasks` passes [`crate::handlers::echo_with_failures`]).
    #[must_use]
    pub fn or_else(mut self, fallback: impl TaskHandler) -> MockHandler {
        self.fallback = Some(Arc::new(fallback));
        self
    }

    /// The state machine's name in the mock file.
    pub fn state_machine(&self) -> &str {
        &self.case.machine
    }

    /// The test case's name.
    pub fn test_case(&self) -> &str {
        &self.case.name
    }

    /// The names of the states the test case mocks, sorted.
    pub fn mocked_states(&self) -> impl Iterator<Item = &str> + '_ {
        self.case.states.iter().map(|s| s.state.as_str())
    }

    #[cold]
    fn unmocked(&self, state: &str) -> Reply {
        Reply::Error(Failure::runtime(format!(
            "The state '{state}' has no mocked response in test case '{}' of state machine '{}' \
             (mock it in the mock file, or give unmocked states a fallback handler: the CLI's --echo-tasks).",
            self.case.name, self.case.machine
        )))
    }
}

impl TaskHandler for MockHandler {
    fn call(&self, c: &mut Call<'_>) -> Reply {
        let Some(slot) = self.case.slot(c.state_name()) else {
            return match &self.fallback {
                Some(h) => h.call(c),
                None => self.unmocked(c.state_name()),
            };
        };
        let mocked = &self.case.states[slot];
        let n = self.counts.next(c.sink, c.key.exec, slot as u32);
        let Some(entry) = mocked.response.at(n) else {
            let keys = mocked.response.keys();
            return Reply::Error(Failure::runtime(format!(
                "The mocked response '{}' of test case '{}' has no entry for invocation {n} of \
                 the state (0-based; its keys: {}).",
                mocked.response_name,
                self.case.name,
                if keys.is_empty() { "none" } else { &keys }
            )));
        };
        let result = match &entry.action {
            Action::Return(v) => Ok(c.doc().import(v)),
            Action::Throw { error, cause } => Err(Failure::new(error.clone(), cause.clone())),
        };
        match (entry.latency_ms, result) {
            (0, Ok(v)) => Reply::Value(v),
            (0, Err(e)) => Reply::Error(e),
            (after_ms, result) => Reply::Delayed { after_ms, result },
        }
    }
}

/// Shards of the counts, so executions on many threads rarely wait on one lock.
const SHARDS: usize = 16;

/// Invocations so far, by (execution id, mocked state), in the scope of the
/// run that gave the ids: a [`crate::Runtime`] numbers its executions, and
/// [`crate::Machine::run`] gives each of its executions id 0 in a scope of
/// its own. The scope is told by the [`CompletionSink`] its executions
/// share: the `Weak` kept here holds that allocation, so no later sink can
/// take its address while the scope is remembered, and the scope (with its
/// counts) is dropped once its sink is gone.
#[derive(Default)]
struct Counts {
    shards: [Mutex<Vec<Scope>>; SHARDS],
}

/// The counts of one run's executions.
struct Scope {
    sink: Weak<dyn CompletionSink>,
    counts: HashMap<(u64, u32), u32>,
}

impl Counts {
    /// The count of `(exec, slot)` in the scope of `sink` before this
    /// invocation, then one more.
    fn next(&self, sink: &Arc<dyn CompletionSink>, exec: u64, slot: u32) -> u32 {
        let mut shard = self.shards[(exec % SHARDS as u64) as usize]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let weak = Arc::downgrade(sink);
        let i = match shard.iter().position(|s| s.sink.ptr_eq(&weak)) {
            Some(i) => i,
            None => {
                shard.retain(|s| s.sink.strong_count() > 0);
                shard.push(Scope {
                    sink: weak,
                    counts: HashMap::new(),
                });
                shard.len() - 1
            }
        };
        let count = shard[i].counts.entry((exec, slot)).or_insert(0);
        let n = *count;
        *count = count.saturating_add(1);
        n
    }
}

#[cfg(test)]
mod tests {
    use super::{CompletionSink, Counts};
    use crate::error::Failure;
    use crate::handlers::CompletionKey;
    use std::sync::Arc;

    struct Nowhere;
    impl CompletionSink for Nowhere {
        fn complete(&self, _: CompletionKey, _: Result<serde_json::Value, Failure>) {}
    }

    #[test]
    fn counts_are_per_run_execution_and_state() {
        let c = Counts::default();
        let a: Arc<dyn CompletionSink> = Arc::new(Nowhere);
        let b: Arc<dyn CompletionSink> = Arc::new(Nowhere);
        assert_eq!(
            [c.next(&a, 1, 0), c.next(&a, 1, 0), c.next(&a, 1, 1)],
            [0, 1, 0]
        );
        assert_eq!(
            [c.next(&a, 2, 0), c.next(&a, 17, 0), c.next(&a, 1, 0)],
            [0, 0, 2]
        );
        // Another run numbers its executions afresh.
        assert_eq!(c.next(&b, 1, 0), 0);
        drop(a);
        let again: Arc<dyn CompletionSink> = Arc::new(Nowhere);
        assert_eq!(c.next(&again, 1, 0), 0);
        // The ended run's scope is gone from the shard that saw a new one.
        let shard = c.shards[1].lock().unwrap();
        assert_eq!(shard.len(), 2);
    }
}
