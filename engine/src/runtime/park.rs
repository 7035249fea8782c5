//! Executions parked while a task handler works, found again by id when
//! its completion arrives from any thread. Sharded to keep locks short; a
//! completion that beats its execution to the parking lot waits there.

use super::job::Task;
use crate::error::Failure;
use crate::handlers::{Completed, CompletionKey};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

const SHARDS: usize = 64;

#[derive(Default)]
struct Shard {
    parked: HashMap<u64, Box<Task>>,
    early: HashMap<u64, Vec<Completed>>,
}

pub(crate) struct Parked {
    shards: Vec<Mutex<Shard>>,
    count: AtomicUsize,
}

impl Parked {
    pub(crate) fn new() -> Parked {
        Parked {
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
            count: AtomicUsize::new(0),
        }
    }

    fn shard(&self, exec: u64) -> std::sync::MutexGuard<'_, Shard> {
        let m = &self.shards[(exec as usize) % SHARDS];
        m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Parks `task`, unless completions for it already arrived: then hands it back to run.
    pub(crate) fn park(&self, mut task: Box<Task>) -> Option<Box<Task>> {
        let id = task.exec.id();
        let mut s = self.shard(id);
        if let Some(done) = s.early.remove(&id) {
            task.inbox.get_or_insert_with(Box::default).extend(done);
            return Some(task);
        }
        task.exec.shrink();
        s.parked.insert(id, task);
        self.count.fetch_add(1, Ordering::Relaxed);
        None
    }

    /// Records a completion; returns the task to run if it was parked.
    pub(crate) fn complete(
        &self,
        key: CompletionKey,
        result: Result<serde_json::Value, Failure>,
    ) -> Option<Box<Task>> {
        let mut s = self.shard(key.exec);
        match s.parked.remove(&key.exec) {
            Some(mut task) => {
                self.count.fetch_sub(1, Ordering::Relaxed);
                task.inbox
                    .get_or_insert_with(Box::default)
                    .push((key, result));
                Some(task)
            }
            None => {
                s.early.entry(key.exec).or_default().push((key, result));
                None
            }
        }
    }

    /// Takes execution `exec` out of the lot, if it is parked (to stop it).
    pub(crate) fn take(&self, exec: u64) -> Option<Box<Task>> {
        let task = self.shard(exec).parked.remove(&exec);
        if task.is_some() {
            self.count.fetch_sub(1, Ordering::Relaxed);
        }
        task
    }

    /// Drops completions still waiting for execution `exec`, which has ended
    /// (they were meant for fibers it cancelled).
    pub(crate) fn forget(&self, exec: u64) {
        self.shard(exec).early.remove(&exec);
    }

    /// Executions parked now.
    pub(crate) fn len(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }
}
