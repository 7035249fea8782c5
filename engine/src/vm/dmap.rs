//! Distributed Map: a child execution's failure, which the Map Run records
//! (its error output takes the item's place in the results) until the
//! failures exceed the tolerance, which fails the Map state with
//! `States.ExceedToleratedFailureThreshold`.

use super::exec::{Execution, RunEnv};
use super::fiber::{child_doc, recycle_doc, Fiber, Spawn};
use crate::error::Failure;
use crate::json::{Doc, Entry};
use crate::rng::splitmix64;

/// AWS's error when a Map Run's failed children exceed its tolerance.
pub(crate) const EXCEED_TOLERATED: &str = "States.ExceedToleratedFailureThreshold";

/// Cause of [`EXCEED_TOLERATED`], as AWS's `MapRunFailed` event gives it.
const EXCEED_CAUSE: &str = "The specified tolerated failure threshold was exceeded";

impl Execution {
    /// Child execution `fid` of a Distributed Map failed with `e`: its
    /// error output takes its place in the results, and the Map Run goes on
    /// while the failures stay within the tolerance. `false` when `fid` is
    /// not a Distributed Map's child (the caller fails the parent state).
    pub(super) fn child_failed(&mut self, env: &RunEnv<'_>, fid: u32, e: &Failure) -> bool {
        let Some((pid, idx)) = self.slots[fid as usize].parent else {
            return false;
        };
        let history = self.slots[fid as usize].history;
        let pslot = &mut self.slots[pid as usize];
        let (Some(pf), Some(join)) = (pslot.fiber.as_deref_mut(), pslot.join.as_mut()) else {
            return false;
        };
        let (Some(stream), Some(map)) = (join.stream.as_deref_mut(), join.spawn.map()) else {
            return false; // an inline Map's iteration: the caller fails the state
        };
        // A failed batch fails each of its items; the share is known once
        // every item is read (or from the start, for an array).
        let n = stream.child_ended((map, idx, history), false, env.now_ms, env.obs);
        let total = match stream.total {
            Some(t) => t,
            None if stream.done => stream.taken,
            None => u64::MAX,
        };
        stream.failed += n;
        if stream.tol.exceeded(u64::from(stream.failed), total) {
            if let Some(o) = env.obs {
                o.borrow_mut()
                    .map_run_ended(map, u64::from(stream.failed), true);
            }
            // What ended is written (the children still running are not).
            if let (Some(w), Some(store)) = (
                join.stream.as_mut().and_then(|s| s.writer.as_mut()),
                env.prog.store.as_deref(),
            ) {
                w.ended(store, idx, Err(e), env.now_ms);
                let _ = w.finish(store);
            }
            self.kill(fid);
            if let Some(j) = self.slots[pid as usize].join.take() {
                self.kill_children(j);
            }
            self.event(pid, 1); // MapRunFailed
            self.fail_in_fiber(env, pid, Failure::new(EXCEED_TOLERATED, EXCEED_CAUSE));
            return true;
        }
        let writer = join.stream.as_mut().and_then(|s| s.writer.as_mut());
        match (writer, env.prog.store.as_deref()) {
            (Some(w), Some(store)) => w.ended(store, idx, Err(e), env.now_ms),
            _ => join.results[idx as usize] = error_output(&mut pf.doc, e),
        }
        if let Some(c) = join.children.get_mut(idx as usize) {
            *c = u32::MAX;
        }
        join.remaining -= 1;
        join.running -= 1;
        self.kill(fid);
        self.spawn_more(env, pid);
        true
    }

    /// Starts children from the join's stream up to its concurrency limit;
    /// ends the Map Run when the stream is done and every child has ended.
    pub(super) fn spawn_streamed(&mut self, env: &RunEnv<'_>, pid: u32) {
        loop {
            let parent_history = self.slots[pid as usize].history;
            let slot = &mut self.slots[pid as usize];
            let (Some(pf), Some(join)) = (slot.fiber.as_deref_mut(), slot.join.as_mut()) else {
                return;
            };
            let (
                Spawn::Map {
                    map, items, input, ..
                },
                Some(stream),
            ) = (join.spawn, join.stream.as_deref_mut())
            else {
                return;
            };
            let info = &env.prog.maps[map.idx()];
            if stream.done && join.remaining == 0 {
                // The results are written whether the Map Run succeeds or not.
                let written = match (stream.writer.as_deref_mut(), env.prog.store.as_deref()) {
                    (Some(w), Some(store)) => Some(w.finish(store).map(|key| {
                        let details = serde_json::json!({
                            "MapRunArn": w.map_run_arn,
                            "ResultWriterDetails": {"Bucket": w.bucket, "Key": key}
                        });
                        pf.doc.import(&details)
                    })),
                    _ => None,
                };
                let (result, failure) = match written {
                    Some(Ok(v)) => (Some(v), None),
                    Some(Err(e)) => (None, Some(e)),
                    None => (None, None),
                };
                let exceeded = stream.tol.exceeded(u64::from(stream.failed), stream.taken);
                if let Some(o) = env.obs {
                    o.borrow_mut()
                        .map_run_ended(map, u64::from(stream.failed), exceeded);
                }
                let failure = if exceeded {
                    Some(Failure::new(EXCEED_TOLERATED, EXCEED_CAUSE))
                } else {
                    failure
                };
                if let Some(e) = failure {
                    self.slots[pid as usize].join = None;
                    self.event(pid, 1); // MapRunFailed
                    self.fail_in_fiber(env, pid, e);
                    return;
                }
                return self.finish_join(env, pid, result);
            }
            if stream.done || (join.max > 0 && join.running >= join.max) {
                return;
            }
            // An ended child's document, when the Map Run kept one.
            let mut doc = stream.spare.pop().unwrap_or_else(child_doc);
            let next = stream.next_input(pf, env.prog, env.now_ms, info, (items, input), &mut doc);
            let (v, size) = match next {
                Ok(Some(v)) => v,
                Ok(None) => {
                    recycle_doc(doc);
                    continue;
                }
                Err(e) => {
                    recycle_doc(doc);
                    if let Some(j) = self.slots[pid as usize].join.take() {
                        self.kill_children(j);
                    }
                    self.event(pid, 1); // MapRunFailed
                    self.fail_in_fiber(env, pid, e);
                    return;
                }
            };
            // With a writer the results go to the store, not to an array.
            let i = join.next;
            if stream.writer.is_none() {
                join.results.push(Doc::NULL);
            }
            let free_history = stream.free_histories.pop();
            join.remaining += 1;
            join.running += 1;
            join.next = i + 1;
            let seed = splitmix64(&mut pf.rng);
            if let Some(w) = stream.writer.as_mut() {
                w.started(i, seed, &doc, v, env.now_ms);
            }
            if env.prog.uses_context && self.info.input.is_none() {
                if let Some(x) = pf.exec_input {
                    let mut d = Doc::new();
                    let copy = d.copy_from(&pf.doc, x);
                    self.info.input = Some(Box::new((d, copy)));
                }
            }
            let vars = if pf.vars == Doc::NULL {
                Doc::NULL
            } else {
                doc.copy_from(&pf.doc, pf.vars)
            };
            let entry = env.prog.blocks[info.processor.idx()].entry;
            let mut child = Fiber::new(doc, entry, v, seed);
            child.vars = vars;
            let state_name = &env.prog.states[pf.state.idx()].name;
            child.child_info = super::child::adopt(
                &mut child, &self.info, env.prog, info, state_name, env.now_ms,
            );
            // The child execution's ExecutionStarted, in a counter of its own.
            let history = match (info.distributed, free_history) {
                (true, Some(h)) => {
                    self.histories[h as usize - 1] = 1;
                    h
                }
                (true, None) => {
                    self.histories.push(1);
                    self.histories.len() as u32
                }
                (false, _) => parent_history,
            };
            let cid = self.alloc(child, (pid, i), history);
            if let Some(s) = self.slots[pid as usize]
                .join
                .as_mut()
                .and_then(|j| j.stream.as_deref_mut())
            {
                s.running.insert(i, (cid, size, env.now_ms));
            }
            if let Some(o) = env.obs {
                o.borrow_mut().child_started(map);
            }
            self.runnable.push_back(cid);
        }
    }
}

/// `{"Error": …, "Cause": …}` in `doc`.
fn error_output(d: &mut Doc, e: &Failure) -> crate::json::Val {
    let err = d.str(&e.error);
    let cause = d.str(&e.cause);
    let (ke, kc) = (d.key("Error"), d.key("Cause"));
    d.object(&[
        Entry { key: ke, val: err },
        Entry {
            key: kc,
            val: cause,
        },
    ])
}
