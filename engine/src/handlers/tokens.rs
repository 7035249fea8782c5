//! The registry of tasks waiting on a task token ([`TaskTokens`]): found by
//! token from any thread, completed through the sink of the scheduler that
//! runs their execution. On the wall clock it also holds the deadlines of
//! `HeartbeatSeconds` and `TimeoutSeconds`, for those tasks and for ordinary
//! deferred calls, and fails the task when one passes.

use super::sink::{CompletionKey, CompletionSink};
use super::token::{TokenError, TokenId};
use crate::error::Failure;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

const SHARDS: usize = 64;

/// Ids the calling-thread scheduler gives its executions, apart from a runtime's.
const LOCAL_IDS: u64 = 1 << 62;

/// One task waiting.
struct Entry {
    serial: u32,
    nonce: u128,
    key: CompletionKey,
    sink: Arc<dyn CompletionSink>,
    /// A `.waitForTaskToken` task (else an ordinary deferred call with deadlines).
    callback: bool,
    /// `HeartbeatSeconds` in ms (0: none).
    heartbeat_ms: u64,
    /// When `TimeoutSeconds` ends it (ms since the epoch; `i64::MAX`: never).
    timeout_at: i64,
    /// The last heartbeat (or the start).
    beat_at: i64,
}

impl Entry {
    /// When it fails, and with which error.
    fn deadline(&self) -> (i64, &'static str) {
        let hb = if self.heartbeat_ms == 0 {
            i64::MAX
        } else {
            self.beat_at.saturating_add(self.heartbeat_ms as i64)
        };
        if hb < self.timeout_at {
            (hb, "States.HeartbeatTimeout")
        } else {
            (self.timeout_at, "States.Timeout")
        }
    }
}

/// What the VM registers when a task starts waiting.
pub(crate) struct Issue {
    pub(crate) id: TokenId,
    pub(crate) key: CompletionKey,
    pub(crate) sink: Arc<dyn CompletionSink>,
    pub(crate) callback: bool,
    pub(crate) heartbeat_ms: Option<u64>,
    pub(crate) timeout_ms: Option<u64>,
    pub(crate) now_ms: i64,
}

/// (deadline, execution, serial), earliest first.
type Deadlines = BinaryHeap<Reverse<(i64, u64, u32)>>;

struct Inner {
    shards: Vec<Mutex<HashMap<u64, Vec<Entry>>>>,
    waiting: AtomicUsize,
    /// One past the highest execution id seen (ids at or past it were never issued).
    next_exec: AtomicU64,
    local_ids: AtomicU64,
    /// Deadlines to enforce (wall clock only), earliest first.
    deadlines: Option<Mutex<Deadlines>>,
}

/// The tasks waiting on a task token, completed from any thread with
/// [`TaskTokens::send_task_success`], [`TaskTokens::send_task_failure`] and
/// [`TaskTokens::send_task_heartbeat`] (Step Functions' `SendTask*`
/// actions). Cheap to clone: clones share the registry.
///
/// A [`crate::Runtime`] has one ([`crate::Runtime::task_tokens`]); for the
/// calling thread make one with [`TaskTokens::new`] and run with
/// [`crate::Machine::run_with_tokens`].
#[derive(Clone)]
pub struct TaskTokens {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for TaskTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskTokens")
            .field("waiting", &self.waiting())
            .finish()
    }
}

impl Default for TaskTokens {
    fn default() -> Self {
        TaskTokens::new()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Milliseconds since the epoch on the wall clock.
fn wall_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl TaskTokens {
    /// An empty registry whose deadlines are left to the scheduler (the
    /// virtual clock: see [`crate::Machine::run_with_tokens`]).
    pub fn new() -> TaskTokens {
        TaskTokens::with_deadlines(false)
    }

    /// A registry that enforces `HeartbeatSeconds` and `TimeoutSeconds` on
    /// the wall clock ([`TaskTokens::expire_due`]), for a wall-clock runtime.
    pub(crate) fn with_deadlines(watch: bool) -> TaskTokens {
        TaskTokens {
            inner: Arc::new(Inner {
                shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
                waiting: AtomicUsize::new(0),
                next_exec: AtomicU64::new(0),
                local_ids: AtomicU64::new(LOCAL_IDS),
                deadlines: watch.then(|| Mutex::new(BinaryHeap::new())),
            }),
        }
    }

    /// Whether this registry enforces deadlines itself (wall clock).
    pub(crate) fn watches_deadlines(&self) -> bool {
        self.inner.deadlines.is_some()
    }

    /// An execution id for the calling-thread scheduler.
    pub(crate) fn fresh_exec_id(&self) -> u64 {
        self.inner.local_ids.fetch_add(1, Ordering::Relaxed)
    }

    fn shard(&self, exec: u64) -> MutexGuard<'_, HashMap<u64, Vec<Entry>>> {
        lock(&self.inner.shards[(exec as usize) % SHARDS])
    }

    /// Tasks waiting now (on a token, or deferred with deadlines on the wall clock).
    pub fn waiting(&self) -> usize {
        self.inner.waiting.load(Ordering::Relaxed)
    }

    /// Registers a waiting task (before its handler is called, so that the
    /// handler may send the token at once).
    pub(crate) fn issue(&self, i: Issue) {
        let timeout_at = i
            .timeout_ms
            .map_or(i64::MAX, |t| i.now_ms.saturating_add(t as i64));
        let e = Entry {
            serial: i.id.serial,
            nonce: i.id.nonce,
            key: i.key,
            sink: i.sink,
            callback: i.callback,
            heartbeat_ms: i.heartbeat_ms.unwrap_or(0),
            timeout_at,
            beat_at: i.now_ms,
        };
        let (deadline, _) = e.deadline();
        self.inner
            .next_exec
            .fetch_max(i.id.exec.wrapping_add(1), Ordering::Relaxed);
        self.shard(i.id.exec).entry(i.id.exec).or_default().push(e);
        self.inner.waiting.fetch_add(1, Ordering::Relaxed);
        if let (Some(d), true) = (&self.inner.deadlines, deadline != i64::MAX) {
            lock(d).push(Reverse((deadline, i.id.exec, i.id.serial)));
        }
    }

    /// Takes the entry `(exec, serial)` out, if it is still waiting and
    /// `nonce` matches (`None` for a nonce check skips it).
    fn take(&self, exec: u64, serial: u32, nonce: Option<u128>) -> Result<Entry, TokenError> {
        let mut s = self.shard(exec);
        let Some(list) = s.get_mut(&exec) else {
            return Err(self.gone(exec));
        };
        let Some(i) = list.iter().position(|e| e.serial == serial) else {
            return Err(self.gone(exec));
        };
        if nonce.is_some_and(|n| n != list[i].nonce) {
            return Err(TokenError::TaskDoesNotExist);
        }
        let e = list.swap_remove(i);
        if list.is_empty() {
            s.remove(&exec);
        }
        self.inner.waiting.fetch_sub(1, Ordering::Relaxed);
        Ok(e)
    }

    /// The error for a token of no waiting task: never issued, or closed.
    fn gone(&self, exec: u64) -> TokenError {
        if exec >= self.inner.next_exec.load(Ordering::Relaxed) {
            TokenError::TaskDoesNotExist
        } else {
            TokenError::TaskTimedOut
        }
    }

    fn take_token(&self, token: &str) -> Result<Entry, TokenError> {
        let id = TokenId::decode(token)?;
        let e = self.take(id.exec, id.serial, Some(id.nonce))?;
        if e.callback {
            Ok(e)
        } else {
            // A deadline-only entry has no token; its nonce is never drawn.
            Err(TokenError::TaskDoesNotExist)
        }
    }

    /// `SendTaskSuccess`: the waiting task succeeds with `output` as its result.
    ///
    /// # Errors
    /// [`TokenError`]: not a token, no such task, or it no longer waits.
    pub fn send_task_success(
        &self,
        token: &str,
        output: serde_json::Value,
    ) -> Result<(), TokenError> {
        let e = self.take_token(token)?;
        e.sink.complete(e.key, Ok(output));
        Ok(())
    }

    /// `SendTaskFailure`: the waiting task fails with `error` and `cause`
    /// (Retry and Catch see them).
    ///
    /// # Errors
    /// As [`TaskTokens::send_task_success`].
    pub fn send_task_failure(
        &self,
        token: &str,
        error: &str,
        cause: &str,
    ) -> Result<(), TokenError> {
        let e = self.take_token(token)?;
        e.sink
            .complete(e.key, Err(Failure::new(error.to_owned(), cause.to_owned())));
        Ok(())
    }

    /// `SendTaskHeartbeat`: restarts the task's `HeartbeatSeconds` clock
    /// (not its `TimeoutSeconds`). On the virtual clock time does not pass
    /// while a task waits, so there it only checks the token.
    ///
    /// # Errors
    /// As [`TaskTokens::send_task_success`].
    pub fn send_task_heartbeat(&self, token: &str) -> Result<(), TokenError> {
        let id = TokenId::decode(token)?;
        self.beat(id.exec, id.serial, Some(id.nonce), true)
    }

    /// Restarts the heartbeat clock of `(exec, serial)`.
    pub(crate) fn beat(
        &self,
        exec: u64,
        serial: u32,
        nonce: Option<u128>,
        callback: bool,
    ) -> Result<(), TokenError> {
        let mut s = self.shard(exec);
        let e = s
            .get_mut(&exec)
            .and_then(|l| l.iter_mut().find(|e| e.serial == serial));
        match e {
            Some(e) if nonce.is_some_and(|n| n != e.nonce) || e.callback != callback => {
                Err(TokenError::TaskDoesNotExist)
            }
            Some(e) => {
                e.beat_at = wall_now();
                Ok(())
            }
            None => Err(self.gone(exec)),
        }
    }

    /// The end of a deferred call's wait through its [`super::Completion`]:
    /// delivers `result` unless the task already timed out.
    pub(crate) fn finish(
        &self,
        exec: u64,
        serial: u32,
        result: Result<serde_json::Value, Failure>,
    ) {
        if let Ok(e) = self.take(exec, serial, None) {
            e.sink.complete(e.key, result);
        }
    }

    /// Forgets `(exec, serial)` without completing it (the task ended another way).
    pub(crate) fn close(&self, exec: u64, serial: u32) -> bool {
        self.take(exec, serial, None).is_ok()
    }

    /// Forgets every task of execution `exec`, which has ended.
    pub(crate) fn close_exec(&self, exec: u64) {
        if let Some(l) = self.shard(exec).remove(&exec) {
            self.inner.waiting.fetch_sub(l.len(), Ordering::Relaxed);
        }
    }

    /// Fails every task whose deadline is at or before `now_ms` (wall
    /// clock) with `States.HeartbeatTimeout` or `States.Timeout`; returns
    /// the next deadline.
    pub(crate) fn expire_due(&self, now_ms: i64) -> Option<i64> {
        let heap = self.inner.deadlines.as_ref()?;
        loop {
            let next = {
                let mut h = lock(heap);
                match h.peek() {
                    Some(Reverse((t, _, _))) if *t <= now_ms => h.pop(),
                    Some(Reverse((t, _, _))) => return Some(*t),
                    None => return None,
                }
            };
            let Some(Reverse((_, exec, serial))) = next else {
                continue;
            };
            let expired = {
                let mut s = self.shard(exec);
                let Some(list) = s.get_mut(&exec) else {
                    continue;
                };
                let Some(i) = list.iter().position(|e| e.serial == serial) else {
                    continue;
                };
                let (at, error) = list[i].deadline();
                if at > now_ms {
                    // A heartbeat moved it on.
                    lock(heap).push(Reverse((at, exec, serial)));
                    continue;
                }
                let e = list.swap_remove(i);
                if list.is_empty() {
                    s.remove(&exec);
                }
                self.inner.waiting.fetch_sub(1, Ordering::Relaxed);
                (e, error)
            };
            let (e, error) = expired;
            e.sink.complete(e.key, Err(Failure::new(error, "")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handlers::{channel_sink, Completed};

    fn issue(
        t: &TaskTokens,
        exec: u64,
        serial: u32,
        hb: Option<u64>,
        timeout: u64,
        now: i64,
    ) -> (String, std::sync::mpsc::Receiver<Completed>) {
        let (sink, rx) = channel_sink();
        let id = TokenId {
            exec,
            serial,
            nonce: 99 + u128::from(serial),
        };
        t.issue(Issue {
            id,
            key: CompletionKey {
                exec,
                fiber: 0,
                gen: 0,
            },
            sink,
            callback: true,
            heartbeat_ms: hb,
            timeout_ms: Some(timeout),
            now_ms: now,
        });
        (id.encode(), rx)
    }

    #[test]
    fn success_once_then_timed_out() {
        let t = TaskTokens::new();
        let (tok, rx) = issue(&t, 5, 0, None, 10_000, 0);
        assert_eq!(t.waiting(), 1);
        t.send_task_success(&tok, serde_json::json!({"ok": 1}))
            .unwrap();
        let (_, r) = rx.try_recv().unwrap();
        assert_eq!(r.unwrap(), serde_json::json!({"ok": 1}));
        assert_eq!(t.waiting(), 0);
        assert_eq!(
            t.send_task_success(&tok, serde_json::json!(1)),
            Err(TokenError::TaskTimedOut)
        );
        assert_eq!(t.send_task_heartbeat(&tok), Err(TokenError::TaskTimedOut));
        assert_eq!(
            t.send_task_failure("nope", "E", "C"),
            Err(TokenError::InvalidToken)
        );
        // Well formed, but of an execution never seen.
        let never = TokenId {
            exec: 77,
            serial: 0,
            nonce: 1,
        }
        .encode();
        assert_eq!(
            t.send_task_heartbeat(&never),
            Err(TokenError::TaskDoesNotExist)
        );
        // Right task, wrong nonce.
        let (_tok2, _rx2) = issue(&t, 5, 1, None, 10_000, 0);
        let forged = TokenId {
            exec: 5,
            serial: 1,
            nonce: 3,
        }
        .encode();
        assert_eq!(
            t.send_task_success(&forged, serde_json::json!(1)),
            Err(TokenError::TaskDoesNotExist)
        );
        t.close_exec(5);
        assert_eq!(t.waiting(), 0);
    }

    #[test]
    fn wall_deadlines_expire_and_heartbeats_move_them() {
        let t = TaskTokens::with_deadlines(true);
        let now = wall_now() - 500;
        let (beaten, rx1) = issue(&t, 1, 0, Some(1_000), 10_000, now);
        let (_idle, rx2) = issue(&t, 2, 0, Some(1_000), 10_000, now);
        let (_short, rx3) = issue(&t, 3, 0, Some(5_000), 2_000, now);
        assert_eq!(t.expire_due(now), Some(now + 1_000));
        t.send_task_heartbeat(&beaten).unwrap();
        // 1.1 s after the start the idle one had no heartbeat; the other had one 0.5 s ago.
        t.expire_due(now + 1_100);
        let (_, r) = rx2.try_recv().unwrap();
        assert_eq!(r.unwrap_err().error, "States.HeartbeatTimeout");
        assert!(rx1.try_recv().is_err(), "a heartbeat keeps it alive");
        // TimeoutSeconds shorter than HeartbeatSeconds: States.Timeout.
        t.expire_due(now + 2_000);
        let (_, r) = rx3.try_recv().unwrap();
        assert_eq!(r.unwrap_err().error, "States.Timeout");
        t.expire_due(now + 10_000);
        assert!(rx1.try_recv().unwrap().1.is_err());
        assert_eq!(t.waiting(), 0);
    }
}
