//! Where deferred completions go: the key of a suspended invocation
//! ([`CompletionKey`]), the [`CompletionSink`] each scheduler implements, and
//! the channel sink of the schedulers that run one execution on one thread.

use crate::error::Failure;
use std::sync::Arc;

/// Identifies one suspended task invocation inside a runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CompletionKey {
    /// The execution.
    pub exec: u64,
    /// The fiber inside the execution.
    pub fiber: u32,
    /// The fiber's generation, so a stale completion is ignored.
    pub gen: u32,
}

/// Where completions go: implemented by each runtime.
pub trait CompletionSink: Send + Sync {
    /// Delivers the result of a deferred task.
    fn complete(&self, key: CompletionKey, result: Result<serde_json::Value, Failure>);
}

/// A deferred completion as a sink delivers it: whose, and its result.
pub(crate) type Completed = (CompletionKey, Result<serde_json::Value, Failure>);

/// Hands completions from any thread to the one thread that runs the
/// execution (the calling-thread scheduler and the simulation).
struct ChannelSink(std::sync::Mutex<std::sync::mpsc::Sender<Completed>>);

impl CompletionSink for ChannelSink {
    fn complete(&self, key: CompletionKey, result: Result<serde_json::Value, Failure>) {
        if let Ok(tx) = self.0.lock() {
            // The receiver is gone only when the execution already ended.
            let _ = tx.send((key, result));
        }
    }
}

/// A sink whose completions arrive on the returned receiver.
pub(crate) fn channel_sink() -> (
    Arc<dyn CompletionSink>,
    std::sync::mpsc::Receiver<Completed>,
) {
    let (tx, rx) = std::sync::mpsc::channel();
    (Arc::new(ChannelSink(std::sync::Mutex::new(tx))), rx)
}
