//! When nothing more can be sent on the virtual clock, the earliest task
//! waiting on a task token times out at its deadline.

use super::exec::Execution;
use crate::error::Failure;
use crate::handlers::{CompletionKey, TaskTokens};

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
