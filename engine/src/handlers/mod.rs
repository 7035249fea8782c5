//! Task handlers: the [`TaskHandler`] trait a Rust program implements (or a
//! closure), the registry that matches `Resource` strings to handlers at
//! compile time, the [`Completion`] handle for replies that come later, the
//! task tokens of `.waitForTaskToken` tasks ([`TaskTokens`]), and the mocks
//! of a `MockConfigFile.json` ([`mock_config`]).

mod call;
mod mock;
mod registry;
mod sink;
mod token;
mod tokens;

/// The arena document a handler reads its input from and builds its result
/// in ([`Call::doc`]), and the views and handles it is read through.
pub use crate::json::{Builder, Doc, Entry, Key, Kind, LimitExceeded, Obj, Ref, Val};
pub(crate) use call::Watch;
pub use call::{Call, Completion, Reply};
pub use mock::{
    mock_config, MockConfigError, MockHandler, MockProblem, MockProblemKind, MockSource,
};
pub use registry::Pattern;
pub(crate) use registry::Registry;
pub(crate) use sink::{channel_sink, Completed};
pub use sink::{CompletionKey, CompletionSink};
pub use token::TokenError;
pub(crate) use token::TokenId;
pub(crate) use tokens::Issue;
pub use tokens::TaskTokens;

/// Serves Task states: gets the effective input, replies with a result, an
/// error, or [`Reply::Pending`] after taking a [`Completion`] with [`Call::defer`].
pub trait TaskHandler: Send + Sync + 'static {
    /// Handles one invocation. Must not block: reply `Pending` and complete later instead.
    fn call(&self, call: &mut Call<'_>) -> Reply;

    /// Whether the child executions of one Distributed Map may call this
    /// handler at once from several threads, in any order: it keeps no
    /// state that depends on the order of an execution's calls (a mock's
    /// per-execution call count does), and a call made for a child that a
    /// failing sibling then stops changes nothing that matters. `false`
    /// (the default): such children run one after another.
    fn concurrent_children(&self) -> bool {
        false
    }
}

impl<F> TaskHandler for F
where
    F: Fn(&mut Call<'_>) -> Reply + Send + Sync + 'static,
{
    fn call(&self, call: &mut Call<'_>) -> Reply {
        self(call)
    }
}

/// The built-in `echo` handler: the result is the effective input.
pub fn echo() -> impl TaskHandler {
    Echo { failures: false }
}

/// `echo` with the peers' failure injection (`shared/peers/README.md`): an
/// effective input holding `{"__fail": {"error": E, "cause": C, "times": N}}`
/// fails the first N attempts of the state with E/C (always, without
/// `times`); otherwise the result is the effective input. Benchmarks use it
/// so that Stampede and the peer engines do the same work.
pub fn echo_with_failures() -> impl TaskHandler {
    Echo { failures: true }
}

/// [`echo`] and [`echo_with_failures`]: they keep no state, so the
/// children of a Distributed Map may call them from any thread.
struct Echo {
    failures: bool,
}

impl TaskHandler for Echo {
    fn call(&self, c: &mut Call<'_>) -> Reply {
        if !self.failures {
            return Reply::Value(c.input());
        }
        let d = c.doc_ref();
        let Some(spec) = d.field(c.input(), "__fail").and_then(|v| d.as_object(v)) else {
            return Reply::Value(c.input());
        };
        // One pass over the spec's members (the last of a repeated name wins).
        let (mut times, mut error, mut cause) = (None, None, None);
        for e in spec.entries() {
            match d.key_str(e.key).as_bytes() {
                b"times" => times = Some(e.val),
                b"error" => error = Some(e.val),
                b"cause" => cause = Some(e.val),
                _ => {}
            }
        }
        let times = times.and_then(|t| d.as_i64(t));
        if times.is_some_and(|n| i64::from(c.retry_count()) >= n) {
            return Reply::Value(c.input());
        }
        let text = |v: Option<Val>| v.and_then(|v| d.as_str(v)).unwrap_or("").to_owned();
        Reply::Error(crate::error::Failure::new(text(error), text(cause)))
    }

    fn concurrent_children(&self) -> bool {
        true
    }
}

/// A handler from a function on `serde_json` values (simple, not the fastest path).
pub fn json_fn<F>(f: F) -> impl TaskHandler
where
    F: Fn(serde_json::Value) -> Result<serde_json::Value, crate::error::Failure>
        + Send
        + Sync
        + 'static,
{
    move |c: &mut Call<'_>| match f(c.input_json()) {
        Ok(v) => Reply::Json(v),
        Err(e) => Reply::Error(e),
    }
}
