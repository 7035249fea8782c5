//! The tasks of activity Task states ([`ActivityTasks`]): each call of an
//! activity's `Resource` is deferred, given a task token of the server's
//! own, and queued on its activity, where `GetActivityTask` long polls take
//! it; `SendTask*` with that token completes the deferred call.
//!
//! The engine keeps the task's deadlines (`TimeoutSeconds`,
//! `HeartbeatSeconds`, on the wall-clock runtime's timer thread) through the
//! call's [`Completion`]: its `heartbeat` restarts the heartbeat clock and
//! answers `TaskTimedOut` once the task no longer waits, which is how a token
//! of a timed-out task, or of an ended execution, is told apart here. A task
//! with neither deadline (AWS then waits up to a year) stays queued until a
//! worker takes it, even if its execution was stopped meanwhile.

use stampede::handlers::{Completion, TokenError};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::oneshot;

/// The most activity tasks waiting for a worker or a `SendTask*` at once.
const MAX_OPEN: usize = 100_000;

/// One task as a worker gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Handout {
    /// Its task token.
    pub(crate) token: String,
    /// The task's effective input, as JSON text.
    pub(crate) input: String,
}

/// What a poll found: a task now, or a place in the line of waiters.
#[derive(Debug)]
pub(crate) enum Poll {
    /// A task was queued.
    Ready(Handout),
    /// None was: the next one queued is sent here.
    Wait(oneshot::Receiver<Handout>),
}

/// Why a poll cannot wait.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TooManyWorkers;

#[derive(Default)]
struct Queue {
    tasks: VecDeque<Handout>,
    waiters: VecDeque<oneshot::Sender<Handout>>,
}

struct Inner {
    queues: Mutex<HashMap<String, Queue>>,
    open: Mutex<HashMap<String, Completion>>,
    next: AtomicU64,
    seed: u64,
    max_waiters: usize,
}

/// The activity tasks of one server (cheap to clone: clones share them).
#[derive(Clone)]
pub(crate) struct ActivityTasks {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for ActivityTasks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActivityTasks").finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Characters of an activity token: `A`, the serial (16 hex), the nonce (32 hex).
const TOKEN_LEN: usize = 49;

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The serial of a string shaped as an activity token (else `None`: it is
/// left to the engine's tokens, whose text is 43 characters).
fn serial(token: &str) -> Option<u64> {
    let hex = token.strip_prefix('A')?;
    if token.len() != TOKEN_LEN || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(&hex[..16], 16).ok()
}

impl ActivityTasks {
    /// No tasks; at most `max_waiters` polls wait at once.
    pub(crate) fn new(max_waiters: usize) -> ActivityTasks {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0xAC71, |d| d.as_nanos() as u64);
        ActivityTasks {
            inner: Arc::new(Inner {
                queues: Mutex::new(HashMap::new()),
                open: Mutex::new(HashMap::new()),
                next: AtomicU64::new(0),
                seed,
                max_waiters,
            }),
        }
    }

    fn token(&self, n: u64) -> String {
        let a = mix(self.inner.seed ^ n);
        let b = mix(a ^ n.rotate_left(32) ^ self.inner.seed.rotate_left(17));
        format!("A{n:016x}{a:016x}{b:016x}")
    }

    /// Queues a call of `activity` with `input`, completed later through
    /// `done`; hands it to a waiting poll at once if there is one.
    ///
    /// # Errors
    /// Gives `done` back when too many tasks wait already.
    pub(crate) fn enqueue(
        &self,
        activity: &str,
        input: String,
        done: Completion,
    ) -> Result<(), Completion> {
        let token = {
            let mut open = lock(&self.inner.open);
            if open.len() >= MAX_OPEN {
                return Err(done);
            }
            let token = self.token(self.inner.next.fetch_add(1, Ordering::Relaxed));
            open.insert(token.clone(), done);
            token
        };
        let mut h = Handout { token, input };
        let mut queues = lock(&self.inner.queues);
        let q = queues.entry(activity.to_owned()).or_default();
        while let Some(w) = q.waiters.pop_front() {
            match w.send(h) {
                Ok(()) => return Ok(()),
                // That poll gave up (timed out, or its client left).
                Err(back) => h = back,
            }
        }
        q.tasks.push_back(h);
        Ok(())
    }

    /// Whether the task of `token` still waits (a timed-out one is forgotten).
    fn live(&self, token: &str) -> bool {
        let mut open = lock(&self.inner.open);
        match open.get(token).map(Completion::heartbeat) {
            Some(Ok(())) => true,
            Some(Err(_)) => {
                open.remove(token);
                false
            }
            None => false,
        }
    }

    /// A poll of `activity`: its oldest live task, or a place in line.
    ///
    /// # Errors
    /// [`TooManyWorkers`] when the most polls already wait.
    pub(crate) fn poll(&self, activity: &str) -> Result<Poll, TooManyWorkers> {
        let mut queues = lock(&self.inner.queues);
        let q = queues.entry(activity.to_owned()).or_default();
        while let Some(h) = q.tasks.pop_front() {
            if self.live(&h.token) {
                return Ok(Poll::Ready(h));
            }
        }
        q.waiters.retain(|w| !w.is_closed());
        let waiting: usize = queues.values().map(|q| q.waiters.len()).sum();
        if waiting >= self.inner.max_waiters {
            return Err(TooManyWorkers);
        }
        let (tx, rx) = oneshot::channel();
        if let Some(q) = queues.get_mut(activity) {
            q.waiters.push_back(tx);
        }
        Ok(Poll::Wait(rx))
    }

    /// The error for an activity token that waits no more: one issued here
    /// (`TaskTimedOut`) or never (`TaskDoesNotExist`).
    fn gone(&self, n: u64) -> TokenError {
        if n < self.inner.next.load(Ordering::Relaxed) {
            TokenError::TaskTimedOut
        } else {
            TokenError::TaskDoesNotExist
        }
    }

    /// Takes out the task of `token` to complete it: `None` when `token` is
    /// not shaped as an activity token (it may be the engine's).
    pub(crate) fn take(&self, token: &str) -> Option<Result<Completion, TokenError>> {
        let n = serial(token)?;
        let Some(c) = lock(&self.inner.open).remove(token) else {
            return Some(Err(self.gone(n)));
        };
        // Timed out (the engine failed it) or its execution ended.
        Some(match c.heartbeat() {
            Ok(()) => Ok(c),
            Err(e) => Err(e),
        })
    }

    /// `SendTaskHeartbeat` of an activity token (`None`: not one).
    pub(crate) fn heartbeat(&self, token: &str) -> Option<Result<(), TokenError>> {
        let n = serial(token)?;
        if self.live(token) {
            Some(Ok(()))
        } else {
            Some(Err(self.gone(n)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_told_from_the_engines() {
        let t = ActivityTasks::new(4);
        let tok = t.token(5);
        assert_eq!(tok.len(), TOKEN_LEN);
        assert_eq!(serial(&tok), Some(5));
        assert_ne!(t.token(6)[17..], tok[17..], "nonces differ");
        for other in [
            "",
            "A12",
            &tok[1..],
            &format!("B{}", &tok[1..]),
            &tok.replace('0', "g"),
        ] {
            assert_eq!(serial(other), None, "{other}");
        }
        // Issued (serial below the next) and not open: closed; past the next: never issued.
        t.inner.next.store(6, Ordering::Relaxed);
        assert!(matches!(t.take(&tok), Some(Err(TokenError::TaskTimedOut))));
        assert!(matches!(
            t.heartbeat(&t.token(9)),
            Some(Err(TokenError::TaskDoesNotExist))
        ));
        assert!(t.take("not-ours").is_none());
    }

    #[test]
    fn polls_wait_in_a_bounded_line() {
        let t = ActivityTasks::new(2);
        let Ok(Poll::Wait(mut a)) = t.poll("x") else {
            panic!("nothing queued")
        };
        let Ok(Poll::Wait(_b)) = t.poll("y") else {
            panic!("nothing queued")
        };
        assert_eq!(t.poll("x").unwrap_err(), TooManyWorkers);
        // A poll that gave up frees its place.
        a.close();
        assert!(matches!(t.poll("x"), Ok(Poll::Wait(_))));
    }
}
