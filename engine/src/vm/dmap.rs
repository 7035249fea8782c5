//! Distributed Map: a child execution's failure, which the Map Run records
//! (its error output takes the item's place in the results) until the
//! failures exceed the tolerance, which fails the Map state with
//! `States.ExceedToleratedFailureThreshold`.

use super::exec::{Execution, RunEnv};
use super::fiber::Spawn;
use crate::error::Failure;
use crate::json::{Doc, Entry};

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
        let pslot = &mut self.slots[pid as usize];
        let (Some(pf), Some(join)) = (pslot.fiber.as_deref_mut(), pslot.join.as_mut()) else {
            return false;
        };
        let Spawn::Map { map, tol, .. } = join.spawn else {
            return false;
        };
        if !env.prog.maps[map.idx()].distributed {
            return false;
        }
        join.failed += 1;
        let total = join.results.len() as u64;
        if tol.exceeded(u64::from(join.failed), total) {
            self.kill(fid);
            if let Some(j) = self.slots[pid as usize].join.take() {
                self.kill_children(j);
            }
            self.event(pid, 1); // MapRunFailed
            self.fail_in_fiber(env, pid, Failure::new(EXCEED_TOLERATED, EXCEED_CAUSE));
            return true;
        }
        join.results[idx as usize] = error_output(&mut pf.doc, e);
        if let Some(c) = join.children.get_mut(idx as usize) {
            *c = u32::MAX;
        }
        join.remaining -= 1;
        join.running -= 1;
        self.kill(fid);
        self.spawn_more(env, pid);
        true
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
