//! Task tokens in the VM: each attempt of a `.waitForTaskToken` task draws
//! a token (`$$.Task.Token`) from the execution's seeded stream, and when
//! nothing more can be sent on the virtual clock the earliest waiting task
//! times out at its deadline.

use super::exec::Execution;
use super::fiber::Fiber;
use super::{Counters, Env};
use crate::error::Failure;
use crate::handlers::{CompletionKey, TaskTokens, TokenId};
use crate::json::Entry;
use crate::rng::splitmix64;

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

/// Runs `TaskToken`: draws the attempt's token and adds `Task.Token` to `$$`
/// when the state reads it.
pub(super) fn draw(f: &mut Fiber, env: &Env<'_>, n: &mut Counters) {
    let serial = n.tokens;
    n.tokens = n.tokens.wrapping_add(1);
    let hi = splitmix64(&mut f.rng);
    let lo = splitmix64(&mut f.rng);
    let id = TokenId {
        exec: env.key.exec,
        serial,
        nonce: (u128::from(hi) << 64) | u128::from(lo),
    };
    let text = id.encode();
    if f.doc.as_object(f.ctx).is_some() {
        let d = &mut f.doc;
        let t = d.str(&text);
        let k = d.key("Token");
        let task = d.object(&[Entry { key: k, val: t }]);
        f.ctx = d.with_field(f.ctx, "Task", task);
    }
    f.wait = Some(Box::new(TokenWait {
        id,
        text: text.into(),
        deadline: i64::MAX,
        heartbeat: false,
        registered: false,
    }));
}

impl Execution {
    /// When every task the execution waits on waits for a task token (no
    /// deferred call could still complete), the one with the earliest
    /// deadline: takes it out of `tokens` and says when it times out, whose
    /// it is and with what failure. The scheduler jumps its clock there and
    /// delivers the failure with [`Execution::complete`].
    pub(crate) fn expire_next_token(
        &mut self,
        tokens: &TaskTokens,
    ) -> Option<(i64, CompletionKey, Failure)> {
        let mut waiting = 0;
        let mut best: Option<(i64, u32)> = None;
        for (fid, s) in self.slots.iter().enumerate() {
            let Some(f) = s.fiber.as_deref() else {
                continue;
            };
            if !s.awaiting_task {
                continue;
            }
            match f.wait.as_deref() {
                Some(w) if w.registered => {
                    waiting += 1;
                    if best.is_none_or(|(d, _)| w.deadline < d) {
                        best = Some((w.deadline, fid as u32));
                    }
                }
                _ => return None,
            }
        }
        if waiting != self.pending_tasks() {
            return None;
        }
        let (at, fid) = best?;
        let exec = self.id();
        let slot = &mut self.slots[fid as usize];
        let w = slot.fiber.as_deref_mut()?.wait.take()?;
        tokens.close(w.id.exec, w.id.serial);
        let key = CompletionKey {
            exec,
            fiber: fid,
            gen: slot.gen,
        };
        Some((at, key, w.failure()))
    }
}
