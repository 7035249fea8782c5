//! The wait of one `.waitForTaskToken` attempt: its token, and once the
//! task waits, its first deadline and the error it fails with then.

use crate::error::Failure;
use crate::handlers::TokenId;

/// AWS's default `TimeoutSeconds` of a Task state (99999999 s): the
/// deadline of a token nobody sends when the state sets none.
pub(crate) const DEFAULT_TASK_TIMEOUT_MS: u64 = 99_999_999_000;

/// The token of the current attempt and, once the task waits, when it times out.
#[derive(Debug)]
pub(crate) struct TokenWait {
    pub(crate) id: TokenId,
    pub(crate) text: Box<str>,
    /// Clock time of the first deadline (heartbeat or timeout), once waiting.
    pub(crate) deadline: i64,
    /// The first deadline is the heartbeat's (`States.HeartbeatTimeout`), not the timeout's.
    pub(crate) heartbeat: bool,
    /// It waits in a registry (the scheduler may expire it).
    pub(crate) registered: bool,
}

impl TokenWait {
    /// A wait with no token (a model's reply to a task that drew none).
    pub(crate) fn unarmed() -> TokenWait {
        TokenWait {
            id: TokenId {
                exec: 0,
                serial: 0,
                nonce: 0,
            },
            text: "".into(),
            deadline: i64::MAX,
            heartbeat: false,
            registered: false,
        }
    }

    /// Sets the deadlines counted from `now_ms`.
    pub(crate) fn arm(&mut self, now_ms: i64, heartbeat_ms: Option<u64>, timeout_ms: Option<u64>) {
        let t = timeout_ms.unwrap_or(DEFAULT_TASK_TIMEOUT_MS);
        let (after, hb) = match heartbeat_ms {
            Some(h) if h < t => (h, true),
            _ => (t, false),
        };
        self.deadline = now_ms.saturating_add(i64::try_from(after).unwrap_or(i64::MAX));
        self.heartbeat = hb;
    }

    /// The failure when the first deadline passes.
    pub(crate) fn failure(&self) -> Failure {
        Failure::new(
            if self.heartbeat {
                "States.HeartbeatTimeout"
            } else {
                "States.Timeout"
            },
            "",
        )
    }
}
