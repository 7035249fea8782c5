//! Joins: a Parallel or Map state waits for its child fibers (branches,
//! iterations), started up to its concurrency limit, and gathers their
//! results in order.

use super::exec::{recorder, End, Execution, Join, RunEnv};
use super::fiber::{child_doc, recycle_doc, Fiber, Spawn};
use super::{context, query};
use crate::bytecode::{OpId, StateType};
use crate::history::Kind;
use crate::json::{Doc, Val};
use crate::rng::splitmix64;

impl Execution {
    pub(super) fn fiber_done(&mut self, env: &RunEnv<'_>, fid: u32, v: Val) {
        self.fiber_done_with(env, fid, v, None);
    }

    /// Fiber `fid` ended with `v`; `rendered`: its entries for its
    /// Distributed Map's writer, already made (see `fanout.rs`).
    pub(super) fn fiber_done_with(
        &mut self,
        env: &RunEnv<'_>,
        fid: u32,
        v: Val,
        rendered: Option<Vec<String>>,
    ) {
        let Some(child) = self.slots[fid as usize].fiber.take() else {
            return;
        };
        let parent = self.slots[fid as usize].parent;
        let Some((pid, idx)) = parent else {
            self.counters.events += 1; // ExecutionSucceeded
            let out = child.doc.to_json(v);
            if let Some(h) = &self.history {
                h.borrow_mut().execution_succeeded(fid, env.now_ms, &out);
            }
            self.end = Some(Box::new(End::Succeeded(out)));
            self.ended_ms = env.now_ms;
            recycle_doc(child.doc);
            return;
        };
        let history = self.slots[fid as usize].history;
        if let Some(h) = recorder(&self.history, history) {
            let map = self.iteration_of(env, pid, idx);
            h.borrow_mut()
                .child_ended(env.prog, pid, fid, map, true, env.now_ms);
        }
        // Its fiber is out of the slot (`kill` would see none): the slot is
        // freed for the next child.
        self.free_slot(fid);
        let pslot = &mut self.slots[pid as usize];
        let (Some(pf), Some(join)) = (pslot.fiber.as_deref_mut(), pslot.join.as_mut()) else {
            return;
        };
        if let (Some(s), Some(map)) = (join.stream.as_deref_mut(), join.spawn.map()) {
            s.child_ended((map, idx, history), true, env.now_ms, env.obs);
        }
        let writer = join.stream.as_mut().and_then(|s| s.writer.as_mut());
        match (writer, env.prog.store.as_deref()) {
            (Some(w), Some(store)) => match rendered {
                Some(r) => w.write(store, idx, true, &r),
                None => {
                    let r = w.render_output(idx, &child.doc, v, env.now_ms);
                    w.write(store, idx, true, &r);
                }
            },
            _ => join.results[idx as usize] = pf.doc.copy_from(&child.doc, v),
        }
        match join.stream.as_deref_mut() {
            Some(s) => s.give_back(child.doc),
            None => recycle_doc(child.doc),
        }
        if let Some(c) = join.children.get_mut(idx as usize) {
            *c = u32::MAX;
        }
        join.remaining -= 1;
        join.running -= 1;
        let n = join.spawn.iteration_events(env.prog);
        self.event(pid, n); // MapIterationSucceeded
        self.spawn_more(env, pid);
    }

    pub(super) fn start_join(&mut self, env: &RunEnv<'_>, pid: u32) {
        let slot = &mut self.slots[pid as usize];
        let Some(f) = slot.fiber.as_deref_mut() else {
            return;
        };
        let Some(spawn) = f.spawn.take() else { return };
        let (total, max) = match spawn {
            Spawn::Parallel { par, .. } => (env.prog.parallels[par.idx()].branches.len() as u32, 0),
            Spawn::Map { items, max, .. } => {
                (f.doc.as_array(items).map_or(0, |a| a.len() as u32), max)
            }
        };
        let mut stream = None;
        if let Spawn::Map {
            map, items, input, ..
        } = spawn
        {
            let info = &env.prog.maps[map.idx()];
            // Every Distributed Map Run is a stream; an inline Map never is.
            if info.distributed {
                let label = match &info.label {
                    Some(l) => l.to_string(),
                    None => env.prog.states[f.state.idx()].name.to_string(),
                };
                let names = (&*self.info.machine.arn, label.as_str());
                let prog = env.prog;
                let opened = super::thresholds::tolerance(f, prog, env.now_ms, info, input)
                    .and_then(|tol| {
                        let mut s =
                            super::stream::Stream::open(f, prog, env.now_ms, info, input, names)?;
                        s.tol = tol;
                        s.fanout = super::fanout::allowed(prog, env.handlers);
                        s.total = f.doc.as_array(items).map(|a| a.len() as u64);
                        Ok(s)
                    });
                match opened {
                    Ok(s) => stream = Some(s),
                    Err(e) => {
                        let e = super::thresholds::located(env.prog, f, e);
                        self.fail_in_fiber(env, pid, e);
                        return;
                    }
                }
                self.event(pid, 1); // MapRunStarted
                let slot = &self.slots[pid as usize];
                if let (Some(h), Some(f)) =
                    (recorder(&self.history, slot.history), slot.fiber.as_deref())
                {
                    let id = super::pseudo_uuid(f.rng);
                    h.borrow_mut().map_run_started(pid, &label, env.now_ms, &id);
                }
            }
        }
        let streamed = stream.is_some();
        let total = if streamed { 0 } else { total };
        let slot = &mut self.slots[pid as usize];
        slot.join = Some(Box::new(Join {
            spawn,
            results: vec![Doc::NULL; total as usize],
            children: vec![u32::MAX; total as usize],
            remaining: total,
            next: 0,
            max,
            running: 0,
            stream,
        }));
        if streamed {
            self.spawn_streamed(env, pid);
        } else {
            self.spawn_more(env, pid);
        }
    }

    /// Starts children up to the join's concurrency limit; finishes the join when all are done.
    pub(super) fn spawn_more(&mut self, env: &RunEnv<'_>, pid: u32) {
        loop {
            let parent_history = self.slots[pid as usize].history;
            let slot = &mut self.slots[pid as usize];
            let (Some(pf), Some(join)) = (slot.fiber.as_deref_mut(), slot.join.as_mut()) else {
                return;
            };
            if join.stream.is_some() {
                return self.spawn_streamed(env, pid);
            }
            if join.remaining == 0 {
                return self.finish_join(env, pid, None);
            }
            let total = join.results.len() as u32;
            if join.next >= total || (join.max > 0 && join.running >= join.max) {
                return;
            }
            let i = join.next;
            join.next += 1;
            join.running += 1;
            let seed = splitmix64(&mut pf.rng);
            if env.prog.uses_context && self.info.input.is_none() {
                if let Some(v) = pf.exec_input {
                    let mut d = Doc::new();
                    let copy = d.copy_from(&pf.doc, v);
                    self.info.input = Some(Box::new((d, copy)));
                }
            }
            let mut doc = child_doc();
            let (entry, input) = match join.spawn {
                Spawn::Parallel { par, input } => {
                    let b = env.prog.parallels[par.idx()].branches[i as usize];
                    (
                        env.prog.blocks[b.idx()].entry,
                        doc.copy_from(&pf.doc, input),
                    )
                }
                Spawn::Map {
                    map, items, input, ..
                } => {
                    let info = &env.prog.maps[map.idx()];
                    let item = pf.doc.as_array(items).map_or(Doc::NULL, |a| a[i as usize]);
                    let sel = match (info.item_selector, info.item_query) {
                        (None, Some(q)) => {
                            let ctx = context::with_map_item(&mut pf.doc, pf.ctx, i as usize, item);
                            let extra = query::Extra {
                                error_output: None,
                                ctx: Some(ctx),
                            };
                            query::eval(pf, env.prog, env.now_ms, q, extra)
                        }
                        (None, None) => Ok(item),
                        (Some(t), _) => {
                            let ctx = if info.selector_uses_context {
                                context::with_map_item(&mut pf.doc, pf.ctx, i as usize, item)
                            } else {
                                pf.ctx
                            };
                            let mut rng = pf.rng;
                            let mut entropy = || splitmix64(&mut rng);
                            let r = env.prog.templates[t.idx()].eval_with(
                                &mut pf.doc,
                                input,
                                ctx,
                                pf.vars,
                                &mut entropy,
                            );
                            pf.rng = rng;
                            r
                        }
                    };
                    match sel {
                        Ok(v) => {
                            let n = u64::from(!env.prog.maps[map.idx()].distributed);
                            match parent_history {
                                0 => self.counters.events += n,
                                h => self.histories[h as usize - 1] += n,
                            } // MapIterationStarted
                            (
                                env.prog.blocks[env.prog.maps[map.idx()].processor.idx()].entry,
                                doc.copy_from(&pf.doc, v),
                            )
                        }
                        Err(e) => {
                            // An ItemSelector's error is the Map state's, with its prefix.
                            let e = super::step::state_prefixed(
                                env.prog,
                                pf.state,
                                pf.entered_event,
                                e,
                            );
                            if e.error == query::QUERY_ERROR {
                                let (state, entered) = (pf.state, pf.entered_event);
                                self.event(pid, 1); // EvaluationFailed
                                if let Some(h) = recorder(&self.history, parent_history) {
                                    let err = crate::history::Error {
                                        error: &e.error,
                                        cause: &e.cause,
                                    };
                                    h.borrow_mut().evaluation_failed(
                                        env.prog, pid, state, entered, env.now_ms, err,
                                    );
                                }
                            }
                            if let Some(j) = self.slots[pid as usize].join.take() {
                                self.kill_children(j);
                            }
                            self.fail_in_fiber(env, pid, e);
                            return;
                        }
                    }
                }
            };
            // Iterations and branches read the outer variables (a copy: they
            // cannot write them, and their own vanish with them).
            let vars = if pf.vars == Doc::NULL {
                Doc::NULL
            } else {
                doc.copy_from(&pf.doc, pf.vars)
            };
            let mut child = Fiber::new(doc, entry, input, seed);
            child.vars = vars;
            let history = match self.slots[pid as usize].join.as_ref().map(|j| j.spawn) {
                Some(Spawn::Map { map, .. }) if env.prog.maps[map.idx()].distributed => {
                    self.histories.push(1); // the child execution's ExecutionStarted
                    self.histories.len() as u32
                }
                _ => self.slots[pid as usize].history,
            };
            let cid = self.alloc(child, (pid, i), history);
            if let Some(h) = recorder(&self.history, history) {
                let map = self.iteration_of(env, pid, i);
                h.borrow_mut()
                    .child_started(env.prog, pid, cid, map, env.now_ms);
            }
            if let Some(c) = self.slots[pid as usize]
                .join
                .as_mut()
                .and_then(|j| j.children.get_mut(i as usize))
            {
                *c = cid;
            }
            self.runnable.push_back(cid);
        }
    }

    /// All children are done: the results array is the state's result.
    pub(super) fn finish_join(&mut self, env: &RunEnv<'_>, pid: u32, result: Option<Val>) {
        let slot = &mut self.slots[pid as usize];
        let (Some(pf), Some(join)) = (slot.fiber.as_deref_mut(), slot.join.take()) else {
            return;
        };
        // MapStateSucceeded (after MapRunSucceeded when distributed) or
        // ParallelStateSucceeded (which the recorded corpus filters out of
        // its event lists, but counts in the ids).
        let (n, kind) = match join.spawn {
            Spawn::Map { map, .. } => (
                1 + u64::from(env.prog.maps[map.idx()].distributed),
                Kind::MapStateSucceeded,
            ),
            Spawn::Parallel { .. } => (1, Kind::ParallelStateSucceeded),
        };
        if let Some(h) = recorder(&self.history, slot.history) {
            let mut h = h.borrow_mut();
            if n == 2 {
                // The Map's exit follows `MapRunSucceeded` (15 of the 20
                // recordings with a Map Run; the others list that id as varying).
                h.plain(pid, Kind::MapRunSucceeded, env.now_ms);
            }
            h.join_succeeded(pid, kind, env.now_ms, None);
        }
        pf.result = match result {
            Some(v) => v,
            None => pf.doc.array(&join.results),
        };
        pf.pc = OpId(pf.pc.0 + 1);
        self.event(pid, n);
        self.runnable.push_back(pid);
    }
}

impl Execution {
    /// For a child `idx` of fiber `pid`: the Map state and index of an
    /// iteration of an inline Map (`None` for a Parallel branch).
    fn iteration_of(
        &self,
        env: &RunEnv<'_>,
        pid: u32,
        idx: u32,
    ) -> Option<(crate::bytecode::StateId, u32)> {
        let slot = &self.slots[pid as usize];
        match (slot.join.as_ref()?.spawn, slot.fiber.as_deref()) {
            (Spawn::Map { map, .. }, Some(pf)) if !env.prog.maps[map.idx()].distributed => {
                Some((pf.state, idx))
            }
            _ => None,
        }
    }

    /// Child `fid` (number `idx`) of `pid` failed with nothing left to
    /// handle it, and `join` is ending: its `MapIterationFailed`, or for a
    /// Parallel the `…StateAborted` of each branch stopped inside a Task,
    /// Wait, Map or Parallel state, the failed one's Task included (AWS's
    /// recordings: `TaskFailed`, then `TaskStateAborted`, then the
    /// Parallel's `ParallelStateFailed`).
    pub(super) fn record_child_failure(
        &mut self,
        env: &RunEnv<'_>,
        pid: u32,
        fid: u32,
        idx: u32,
        join: &Join,
    ) {
        let parallel = matches!(join.spawn, Spawn::Parallel { .. });
        let map = match join.spawn {
            Spawn::Map { map, .. } if !env.prog.maps[map.idx()].distributed => self.slots
                [pid as usize]
                .fiber
                .as_deref()
                .map(|pf| (pf.state, idx)),
            _ => None,
        };
        let mut aborted: Vec<(u32, crate::bytecode::StateId)> = Vec::new();
        if parallel {
            let abortable = |t: StateType, failed: bool| match t {
                StateType::Task => true,
                StateType::Wait | StateType::Map | StateType::Parallel => !failed,
                _ => false,
            };
            let fibers = std::iter::once(fid).chain(
                join.children
                    .iter()
                    .copied()
                    .filter(|&c| c != u32::MAX && c != fid),
            );
            for c in fibers {
                if let Some(f) = self.slots[c as usize].fiber.as_deref() {
                    let kind = env.prog.state(f.state).kind;
                    if f.entered_event != 0 && abortable(kind, c == fid) {
                        aborted.push((c, f.state));
                    }
                }
            }
            self.event(pid, aborted.len() as u64); // …StateAborted
        }
        if let Some(h) = recorder(&self.history, self.slots[fid as usize].history) {
            let mut h = h.borrow_mut();
            for &(c, sid) in &aborted {
                h.aborted(env.prog, c, sid, env.now_ms);
            }
            h.child_ended(env.prog, pid, fid, map, false, env.now_ms);
        }
    }
}
