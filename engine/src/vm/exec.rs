//! An execution: its fibers (the top level, branches, iterations) in a slab,
//! their run queue, timers, and the joins that wait for children. It is the
//! unit a scheduler runs; it never blocks.

use super::fiber::{Fiber, Spawn};
use super::step::{handle_failure, run_slice, Step};
use super::{context, Counters, Env, ExecInfo};
use crate::bytecode::{OpId, Program};
use crate::error::Failure;
use crate::handlers::{CompletionKey, CompletionSink, TaskHandler};
use crate::json::{Doc, Val};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::Arc;

/// How an execution ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// Succeeded with this output (JSON text).
    Succeeded(String),
    /// Failed with an ASL error.
    Failed(Failure),
    /// The machine's `TimeoutSeconds` passed.
    TimedOut,
}

/// What [`Execution::run`] left behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    /// Finished: see [`Execution::end`].
    Done,
    /// Nothing runnable: waiting on a timer ([`Execution::next_timer`]) or a task completion.
    Waiting,
    /// Fuel ran out with work left: run again.
    OutOfFuel,
}

/// What the scheduler lends an execution while it runs.
pub struct RunEnv<'a> {
    /// The program.
    pub prog: &'a Program,
    /// Handlers, by `HandlerId`.
    pub handlers: &'a [Arc<dyn TaskHandler>],
    /// Where deferred completions go.
    pub sink: Option<&'a Arc<dyn CompletionSink>>,
    /// The clock, in ms since the epoch.
    pub now_ms: i64,
    /// Who learns of state entries, exits, failures and retries.
    pub obs: Option<&'a super::ObserverCell>,
}

struct Join {
    spawn: Spawn,
    results: Vec<Val>,
    /// Fiber of each running child, by item/branch index (`u32::MAX`: not running).
    children: Vec<u32>,
    remaining: u32,
    next: u32,
    max: u32,
    running: u32,
}

struct Slot {
    fiber: Option<Box<Fiber>>,
    /// Which history the fiber's events go to: 0 is the execution's own;
    /// iterations of a Distributed Map are child executions with their own.
    history: u32,
    gen: u32,
    parent: Option<(u32, u32)>,
    join: Option<Join>,
    awaiting_task: bool,
}

/// One execution of a program.
pub struct Execution {
    id: u64,
    info: ExecInfo,
    slots: Vec<Slot>,
    free: Vec<u32>,
    runnable: VecDeque<u32>,
    timers: BinaryHeap<Reverse<(i64, u32, u32)>>,
    pending_tasks: u32,
    counters: Counters,
    /// Event counters of child executions (Distributed Map iterations): history `h` is at `h - 1`.
    histories: Vec<u64>,
    end: Option<Box<End>>,
    /// Clock time at which it ended.
    ended_ms: i64,
}

impl std::fmt::Debug for Execution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Execution")
            .field("id", &self.id)
            .field("end", &self.end)
            .finish()
    }
}

impl Execution {
    /// A new execution of `prog` with its input already parsed into `doc`.
    pub fn new(
        id: u64,
        prog: &Program,
        info: ExecInfo,
        doc: Doc,
        input: Val,
        seed: u64,
    ) -> Execution {
        let mut root = Fiber::new(doc, prog.blocks[0].entry, input, seed);
        if prog.uses_context {
            root.exec_input = Some(input);
        }
        Execution {
            id,
            info,
            slots: vec![Slot {
                fiber: Some(Box::new(root)),
                history: 0,
                gen: 0,
                parent: None,
                join: None,
                awaiting_task: false,
            }],
            free: Vec::new(),
            runnable: VecDeque::from([0]),
            timers: BinaryHeap::new(),
            pending_tasks: 0,
            counters: Counters {
                events: 1,
                transitions: 0,
            },
            histories: Vec::new(),
            end: None,
            ended_ms: 0,
        }
    }

    /// The execution's id (as given to `new`).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// How it ended, once it has.
    pub fn end(&self) -> Option<&End> {
        self.end.as_deref()
    }

    /// Transitions and history events so far.
    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// Static facts (name, ARNs, start time).
    pub fn info(&self) -> &ExecInfo {
        &self.info
    }

    /// Hands the documents of its fibers to this thread's spare pool (call
    /// when the outcome has been taken).
    pub fn recycle(self) {
        for s in self.slots {
            if let Some(f) = s.fiber {
                super::fiber::recycle_doc(f.doc);
            }
        }
    }

    /// Gives back spare memory of every fiber: called when the execution parks.
    pub fn shrink(&mut self) {
        for s in &mut self.slots {
            if let Some(f) = s.fiber.as_deref_mut() {
                f.doc.shrink();
            }
        }
        self.runnable.shrink_to_fit();
    }

    /// Task invocations waiting for a completion.
    pub fn pending_tasks(&self) -> u32 {
        self.pending_tasks
    }

    /// The earliest live timer, if any.
    pub fn next_timer(&mut self) -> Option<i64> {
        while let Some(&Reverse((t, fid, gen))) = self.timers.peek() {
            if self.alive(fid, gen) {
                return Some(t);
            }
            self.timers.pop();
        }
        None
    }

    /// Makes runnable every fiber whose timer is due at `now_ms`.
    pub fn fire_timers(&mut self, now_ms: i64) {
        while let Some(&Reverse((t, fid, gen))) = self.timers.peek() {
            if t > now_ms {
                break;
            }
            self.timers.pop();
            if self.alive(fid, gen) {
                self.runnable.push_back(fid);
            }
        }
    }

    /// Clock time at which it ended (0 while running).
    pub fn ended_ms(&self) -> i64 {
        self.ended_ms
    }

    /// Ends the execution as timed out at `at_ms` (the scheduler calls this at the deadline).
    pub fn time_out(&mut self, at_ms: i64) {
        if self.end.is_none() {
            self.ended_ms = at_ms;
            self.counters.events += 1;
            self.end = Some(Box::new(End::TimedOut));
        }
    }

    /// Adds `n` events to the history fiber `fid` records into.
    fn event(&mut self, fid: u32, n: u64) {
        match self.slots[fid as usize].history as usize {
            0 => self.counters.events += n,
            h => self.histories[h - 1] += n,
        }
    }

    fn alive(&self, fid: u32, gen: u32) -> bool {
        self.slots
            .get(fid as usize)
            .is_some_and(|s| s.gen == gen && s.fiber.is_some())
    }

    /// Runs runnable fibers for up to `fuel` ops.
    pub fn run(&mut self, env: &RunEnv<'_>, fuel: u32) -> RunState {
        let mut fuel = fuel;
        while let Some(fid) = self.runnable.pop_front() {
            if self.end.is_some() {
                return RunState::Done;
            }
            let slot = &mut self.slots[fid as usize];
            let Some(fiber) = slot.fiber.as_deref_mut() else {
                continue;
            };
            let e = Env {
                obs: env.obs,
                prog: env.prog,
                handlers: env.handlers,
                info: &self.info,
                now_ms: env.now_ms,
                sink: env.sink,
                key: CompletionKey {
                    exec: self.id,
                    fiber: fid,
                    gen: slot.gen,
                },
            };
            let before = self.counters.transitions;
            let h = slot.history as usize;
            if h != 0 {
                std::mem::swap(&mut self.counters.events, &mut self.histories[h - 1]);
            }
            let step = run_slice(fiber, &e, &mut self.counters, fuel.max(1));
            if h != 0 {
                std::mem::swap(&mut self.counters.events, &mut self.histories[h - 1]);
            }
            fuel = fuel.saturating_sub(((self.counters.transitions - before) as u32).max(1) * 8);
            self.on_step(env, fid, step);
            if self.end.is_some() {
                return RunState::Done;
            }
            if fuel == 0 {
                return if self.runnable.is_empty() {
                    RunState::Waiting
                } else {
                    RunState::OutOfFuel
                };
            }
        }
        if self.end.is_some() {
            RunState::Done
        } else {
            RunState::Waiting
        }
    }

    /// Delivers a deferred task's result (ignored if the fiber is gone).
    pub fn complete(
        &mut self,
        env: &RunEnv<'_>,
        key: CompletionKey,
        result: Result<serde_json::Value, Failure>,
    ) {
        if key.exec != self.id || !self.alive(key.fiber, key.gen) || self.end.is_some() {
            return;
        }
        let slot = &mut self.slots[key.fiber as usize];
        if !slot.awaiting_task {
            return;
        }
        slot.awaiting_task = false;
        self.pending_tasks -= 1;
        self.counters.events += 1;
        let Some(f) = slot.fiber.as_deref_mut() else {
            return;
        };
        match result {
            Ok(v) => {
                f.result = f.doc.import(&v);
                f.pc = OpId(f.pc.0 + 1);
                self.runnable.push_back(key.fiber);
            }
            Err(e) => self.fail_in_fiber(env, key.fiber, e),
        }
    }

    fn on_step(&mut self, env: &RunEnv<'_>, fid: u32, step: Step) {
        match step {
            Step::End(v) => self.fiber_done(env, fid, v),
            Step::Failed(e) => self.propagate(env, fid, e),
            Step::Sleep(t) => {
                let gen = self.slots[fid as usize].gen;
                self.timers.push(Reverse((t, fid, gen)));
            }
            Step::AwaitTask => {
                self.slots[fid as usize].awaiting_task = true;
                self.pending_tasks += 1;
            }
            Step::Spawn => self.start_join(env, fid),
            Step::OutOfFuel => self.runnable.push_back(fid),
        }
    }

    /// Applies the fiber's own Retry/Catch to `e`, then propagates if unhandled.
    fn fail_in_fiber(&mut self, env: &RunEnv<'_>, fid: u32, e: Failure) {
        let gen = self.slots[fid as usize].gen;
        let envx = Env {
            obs: env.obs,
            prog: env.prog,
            handlers: env.handlers,
            info: &self.info,
            now_ms: env.now_ms,
            sink: env.sink,
            key: CompletionKey {
                exec: self.id,
                fiber: fid,
                gen,
            },
        };
        let h = self.slots[fid as usize].history as usize;
        if h != 0 {
            std::mem::swap(&mut self.counters.events, &mut self.histories[h - 1]);
        }
        let Some(f) = self.slots[fid as usize].fiber.as_deref_mut() else {
            return;
        };
        let step = handle_failure(f, &envx, &mut self.counters, e);
        if h != 0 {
            std::mem::swap(&mut self.counters.events, &mut self.histories[h - 1]);
        }
        match step {
            None => self.runnable.push_back(fid),
            Some(Step::Sleep(t)) => self.timers.push(Reverse((t, fid, gen))),
            Some(Step::Failed(e)) => self.propagate(env, fid, e),
            Some(other) => self.on_step(env, fid, other),
        }
    }

    /// A fiber failed with no handler left: fail its parent's Parallel/Map state, or the execution.
    fn propagate(&mut self, env: &RunEnv<'_>, fid: u32, e: Failure) {
        let parent = self.slots[fid as usize].parent;
        match parent {
            None => {
                self.counters.events += 1; // ExecutionFailed
                self.end = Some(Box::new(End::Failed(e)));
                self.ended_ms = env.now_ms;
                self.kill(fid);
            }
            Some((pid, _)) => {
                self.kill(fid);
                let mut spawn_kind = None;
                if let Some(join) = self.slots[pid as usize].join.take() {
                    spawn_kind = Some(join.spawn);
                    for c in join.children {
                        if c != u32::MAX {
                            self.kill(c);
                        }
                    }
                }
                if let Some(sp) = spawn_kind {
                    let n = iteration_events(env.prog, &sp);
                    self.event(pid, n); // MapIterationFailed
                }
                self.fail_in_fiber(env, pid, e);
            }
        }
    }

    fn kill(&mut self, fid: u32) {
        let Some(slot) = self.slots.get_mut(fid as usize) else {
            return;
        };
        if slot.fiber.is_none() {
            return;
        }
        let join = slot.join.take();
        if slot.awaiting_task {
            slot.awaiting_task = false;
            self.pending_tasks -= 1;
        }
        slot.fiber = None;
        slot.gen = slot.gen.wrapping_add(1);
        slot.parent = None;
        if fid != 0 {
            self.free.push(fid);
        }
        if let Some(j) = join {
            for c in j.children {
                if c != u32::MAX {
                    self.kill(c);
                }
            }
        }
    }

    fn fiber_done(&mut self, env: &RunEnv<'_>, fid: u32, v: Val) {
        let Some(child) = self.slots[fid as usize].fiber.take() else {
            return;
        };
        let parent = self.slots[fid as usize].parent;
        let Some((pid, idx)) = parent else {
            self.counters.events += 1; // ExecutionSucceeded
            self.end = Some(Box::new(End::Succeeded(child.doc.to_json(v))));
            self.ended_ms = env.now_ms;
            return;
        };
        self.kill(fid);
        let pslot = &mut self.slots[pid as usize];
        let (Some(pf), Some(join)) = (pslot.fiber.as_deref_mut(), pslot.join.as_mut()) else {
            return;
        };
        join.results[idx as usize] = pf.doc.copy_from(&child.doc, v);
        super::fiber::recycle_doc(child.doc);
        if let Some(c) = join.children.get_mut(idx as usize) {
            *c = u32::MAX;
        }
        join.remaining -= 1;
        join.running -= 1;
        let n = iteration_events(env.prog, &join.spawn);
        self.event(pid, n); // MapIterationSucceeded
        self.spawn_more(env, pid);
    }

    fn start_join(&mut self, env: &RunEnv<'_>, pid: u32) {
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
        if let Spawn::Map { map, .. } = spawn {
            if env.prog.maps[map.idx()].distributed {
                self.event(pid, 1); // MapRunStarted
            }
        }
        let slot = &mut self.slots[pid as usize];
        slot.join = Some(Join {
            spawn,
            results: vec![Doc::NULL; total as usize],
            children: vec![u32::MAX; total as usize],
            remaining: total,
            next: 0,
            max,
            running: 0,
        });
        self.spawn_more(env, pid);
    }

    /// Starts children up to the join's concurrency limit; finishes the join when all are done.
    fn spawn_more(&mut self, env: &RunEnv<'_>, pid: u32) {
        loop {
            let parent_history = self.slots[pid as usize].history;
            let slot = &mut self.slots[pid as usize];
            let (Some(pf), Some(join)) = (slot.fiber.as_deref_mut(), slot.join.as_mut()) else {
                return;
            };
            if join.remaining == 0 {
                let results = std::mem::take(&mut join.results);
                // MapStateSucceeded (after MapRunSucceeded when distributed) or
                // ParallelStateSucceeded (which the recorded corpus filters out of
                // its event lists, but counts in the ids).
                let n = match join.spawn {
                    Spawn::Map { map, .. } => 1 + u64::from(env.prog.maps[map.idx()].distributed),
                    Spawn::Parallel { .. } => 1,
                };
                slot.join = None;
                pf.result = pf.doc.array(&results);
                pf.pc = OpId(pf.pc.0 + 1);
                self.event(pid, n);
                self.runnable.push_back(pid);
                return;
            }
            let total = join.results.len() as u32;
            if join.next >= total || (join.max > 0 && join.running >= join.max) {
                return;
            }
            let i = join.next;
            join.next += 1;
            join.running += 1;
            let seed = Fiber::rng_step(&mut pf.rng);
            if env.prog.uses_context && self.info.input.is_none() {
                if let Some(v) = pf.exec_input {
                    let mut d = Doc::new();
                    let copy = d.copy_from(&pf.doc, v);
                    self.info.input = Some(Box::new((d, copy)));
                }
            }
            let mut doc = super::fiber::child_doc();
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
                    let sel = match info.item_selector {
                        None => Ok(item),
                        Some(t) => {
                            let ctx = if info.selector_uses_context {
                                context::with_map_item(&mut pf.doc, pf.ctx, i as usize, item)
                            } else {
                                pf.ctx
                            };
                            let mut rng = pf.rng;
                            let mut entropy = || Fiber::rng_step(&mut rng);
                            let r = env.prog.templates[t.idx()].eval(
                                &mut pf.doc,
                                input,
                                ctx,
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
                            let join = slot.join.take();
                            if let Some(j) = join {
                                for c in j.children {
                                    if c != u32::MAX {
                                        self.kill(c);
                                    }
                                }
                            }
                            self.fail_in_fiber(env, pid, e);
                            return;
                        }
                    }
                }
            };
            let child = Fiber::new(doc, entry, input, seed);
            let history = match self.slots[pid as usize].join.as_ref().map(|j| j.spawn) {
                Some(Spawn::Map { map, .. }) if env.prog.maps[map.idx()].distributed => {
                    self.histories.push(1); // the child execution's ExecutionStarted
                    self.histories.len() as u32
                }
                _ => self.slots[pid as usize].history,
            };
            let cid = self.alloc(child, (pid, i), history);
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

    fn alloc(&mut self, f: Fiber, parent: (u32, u32), history: u32) -> u32 {
        match self.free.pop() {
            Some(id) => {
                let s = &mut self.slots[id as usize];
                s.fiber = Some(Box::new(f));
                s.history = history;
                s.parent = Some(parent);
                s.join = None;
                s.awaiting_task = false;
                id
            }
            None => {
                self.slots.push(Slot {
                    fiber: Some(Box::new(f)),
                    history,
                    gen: 0,
                    parent: Some(parent),
                    join: None,
                    awaiting_task: false,
                });
                self.slots.len() as u32 - 1
            }
        }
    }
}

/// History events per finished iteration: one for an inline Map, none for
/// a Parallel branch or a Distributed Map iteration (a child execution).
fn iteration_events(prog: &Program, spawn: &Spawn) -> u64 {
    match spawn {
        Spawn::Map { map, .. } => u64::from(!prog.maps[map.idx()].distributed),
        Spawn::Parallel { .. } => 0,
    }
}
