//! A Distributed Map's children on every core. AWS runs each child as an
//! execution of its own; here they are fibers of the parent, and the
//! children at the head of the run queue are advanced together on several
//! threads (each child touches only its own fiber, document and event
//! count), then what each slice asked for (its `Step`) is applied one after
//! another in queue order, as the one-thread loop would have. Only when
//! nothing can tell the difference: no observer, no task-token registry, no
//! `.waitForTaskToken` task (its serial numbers are the execution's), and
//! every handler allows it (the last two decided when the Map Run starts) ([`crate::handlers::TaskHandler::concurrent_children`]).

use super::exec::{fiber_env, Execution, RunEnv};
use super::fiber::Fiber;
use super::step::{run_slice, transitions_exceeded, Step};
use super::writer::Writer;
use super::{Counters, ExecInfo};
use crate::bytecode::Op;

/// Fewest runnable children worth spreading over threads.
const MIN_BATCH: usize = 64;
/// Most children advanced in one batch.
const MAX_BATCH: usize = 16_384;
/// Children a thread takes at a time.
const CHUNK: usize = 32;

/// One child's slice: its fiber (taken out of its slot while it runs) and
/// its counters (its own event count; the transitions from the shared base).
struct Work {
    fid: u32,
    gen: u32,
    fiber: Box<Fiber>,
    counters: Counters,
    step: Option<Step>,
    /// Its entries in the `ResultWriter`'s files, made as it ended.
    rendered: Option<Vec<String>>,
}

/// Whether the children of a Map Run of `prog` served by `handlers` may be
/// advanced on several threads (decided once, when the Map Run starts).
pub(super) fn allowed(
    prog: &crate::bytecode::Program,
    handlers: &[std::sync::Arc<dyn crate::handlers::TaskHandler>],
) -> bool {
    handlers.iter().all(|h| h.concurrent_children())
        && !prog.ops.iter().any(|op| matches!(op, Op::TaskToken(_)))
}

impl Execution {
    /// A fiber at the head of the run queue that is a Distributed Map's
    /// child (its parent's join is a stream) that may run on any thread, alive.
    fn streamed_child(&self, fid: u32) -> bool {
        let slot = &self.slots[fid as usize];
        if slot.fiber.is_none() || slot.history == 0 {
            return false;
        }
        slot.parent.is_some_and(|(pid, _)| {
            self.slots[pid as usize]
                .join
                .as_ref()
                .and_then(|j| j.stream.as_deref())
                .is_some_and(|s| s.fanout)
        })
    }

    /// Advances the Distributed Map children at the head of the run queue
    /// on every core and applies their steps in order; `false` when there
    /// were too few of them (or it is not allowed), and nothing was done.
    pub(super) fn run_fanout(&mut self, env: &RunEnv<'_>, fuel: &mut u32) -> bool {
        if self.runnable.len() < MIN_BATCH || env.obs.is_some() || env.tokens.is_some() {
            return false;
        }
        if !self
            .runnable
            .front()
            .is_some_and(|&f| self.streamed_child(f))
        {
            return false;
        }
        let n = self
            .runnable
            .iter()
            .take(MAX_BATCH)
            .take_while(|&&fid| self.streamed_child(fid))
            .count();
        if n < MIN_BATCH {
            return false;
        }
        let base = self.counters;
        let slice_fuel = (*fuel).max(1);
        let mut works = Vec::with_capacity(n);
        for _ in 0..n {
            let Some(&fid) = self.runnable.front() else {
                break;
            };
            let slot = &mut self.slots[fid as usize];
            // A fiber queued twice is taken once: the rest waits its turn.
            let Some(fiber) = slot.fiber.take() else {
                break;
            };
            self.runnable.pop_front();
            let events = self.histories[slot.history as usize - 1];
            works.push(Work {
                fid,
                gen: slot.gen,
                fiber,
                counters: Counters { events, ..base },
                step: None,
                rendered: None,
            });
        }
        // Each child's writer (its parent's), and its index there.
        let writers: Vec<Option<(&Writer, u32)>> = works
            .iter()
            .map(|w| {
                let (pid, idx) = self.slots[w.fid as usize].parent?;
                let join = self.slots[pid as usize].join.as_ref()?;
                Some((join.stream.as_deref()?.writer.as_deref()?, idx))
            })
            .collect();
        advance_all(
            &mut works,
            &writers,
            env,
            (&self.info, self.id()),
            slice_fuel,
        );
        drop(writers);
        // Every fiber back in its slot first, so a step that stops a
        // sibling (the tolerance exceeded) finds it there.
        let mut steps = Vec::with_capacity(works.len());
        for w in works {
            let slot = &mut self.slots[w.fid as usize];
            self.histories[slot.history as usize - 1] = w.counters.events;
            slot.fiber = Some(w.fiber);
            let delta = w.counters.transitions - base.transitions;
            steps.push((w.fid, w.gen, delta, w.step, w.rendered));
        }
        let limit = u64::from(self.info.limits.transitions);
        for (fid, gen, delta, step, rendered) in steps {
            let Some(step) = step else { continue };
            if !self.alive(fid, gen) || self.end.is_some() {
                continue; // stopped by a sibling's step (or the execution ended)
            }
            self.counters.transitions += delta;
            if self.counters.transitions > limit {
                // One after another, this child's slice would have stopped here.
                self.counters.transitions = limit + 1;
                self.abort(env, transitions_exceeded(self.info.limits.transitions));
                return true;
            }
            *fuel = fuel.saturating_sub((delta as u32).max(1) * 8);
            match (step, rendered) {
                (Step::End(v), Some(r)) => self.fiber_done_with(env, fid, v, Some(r)),
                (step, _) => self.on_step(env, fid, step),
            }
        }
        true
    }
}

/// Runs every work's slice, spread over the machine's threads; a child
/// that ends makes its entries for its writer (`writers`, by work).
fn advance_all(
    works: &mut [Work],
    writers: &[Option<(&Writer, u32)>],
    env: &RunEnv<'_>,
    (info, exec): (&ExecInfo, u64),
    fuel: u32,
) {
    let (prog, handlers, sink, now_ms) = (env.prog, env.handlers, env.sink, env.now_ms);
    let run = |(w, writer): &mut (&mut Work, Option<(&Writer, u32)>)| {
        let own = w.fiber.child_info.take();
        let env = RunEnv {
            prog,
            handlers,
            sink,
            now_ms,
            obs: None,
            tokens: None,
        };
        let e = fiber_env(
            &env,
            own.as_deref().unwrap_or(info),
            exec,
            w.fid,
            w.gen,
            None,
        );
        let step = run_slice(&mut w.fiber, &e, &mut w.counters, fuel);
        w.fiber.child_info = own;
        if let (Step::End(v), Some((writer, idx))) = (&step, writer) {
            w.rendered = Some(writer.render_output(*idx, &w.fiber.doc, *v, now_ms));
        }
        w.step = Some(step);
    };
    let mut pairs: Vec<_> = works.iter_mut().zip(writers.iter().copied()).collect();
    crate::par::for_each(&mut pairs, CHUNK, run);
}
