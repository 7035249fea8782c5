//! An execution: its fibers (the top level, branches, iterations) in a slab,
//! their run queue and timers. It is the unit a scheduler runs; it never
//! blocks. The joins that wait for children are in `join.rs`; the driver
//! every scheduler calls is in `driver.rs`.

use super::fiber::{Fiber, Spawn};
use super::step::{handle_failure, run_slice, Step};
use super::{Counters, Env, ExecInfo};
use crate::bytecode::{OpId, Program};
use crate::error::Failure;
use crate::handlers::{CompletionKey, CompletionSink, TaskHandler};
use crate::history::{self, History, RecorderCell};
use crate::json::{Doc, Val};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::Arc;

/// How an execution ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum End {
    /// Succeeded with this output (JSON text).
    Succeeded(String),
    /// Failed with an ASL error.
    Failed(Failure),
    /// The machine's `TimeoutSeconds` (or the Express limit) passed.
    TimedOut,
}

/// What [`Execution::run`] left behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunState {
    /// Finished: see [`Execution::end`].
    Done,
    /// Nothing runnable: waiting on a timer ([`Execution::next_timer`]) or a task completion.
    Waiting,
    /// Fuel ran out with work left: run again.
    OutOfFuel,
}

/// What the scheduler lends an execution while it runs.
pub(crate) struct RunEnv<'a> {
    /// The program.
    pub(crate) prog: &'a Program,
    /// Handlers, by `HandlerId`.
    pub(crate) handlers: &'a [Arc<dyn TaskHandler>],
    /// Where deferred completions go.
    pub(crate) sink: &'a Arc<dyn CompletionSink>,
    /// The clock, in ms since the epoch.
    pub(crate) now_ms: i64,
    /// Who learns of state entries, exits, failures and retries.
    pub(crate) obs: Option<&'a super::ObserverCell>,
    /// Where tasks wait on task tokens (none: nothing can send one, so a
    /// `.waitForTaskToken` task times out).
    pub(crate) tokens: Option<&'a crate::handlers::TaskTokens>,
}

/// The children a Parallel or Map state waits for.
pub(super) struct Join {
    pub(super) spawn: Spawn,
    pub(super) results: Vec<Val>,
    /// Fiber of each running child, by item/branch index (`u32::MAX`: not running).
    pub(super) children: Vec<u32>,
    pub(super) remaining: u32,
    pub(super) next: u32,
    pub(super) max: u32,
    pub(super) running: u32,
    /// A Distributed Map Run: its items read or batched as children start,
    /// its tolerance and failures.
    pub(super) stream: Option<Box<super::stream::Stream>>,
}

pub(super) struct Slot {
    pub(super) fiber: Option<Box<Fiber>>,
    /// Which history the fiber's events go to: 0 is the execution's own;
    /// iterations of a Distributed Map are child executions with their own.
    pub(super) history: u32,
    pub(super) gen: u32,
    pub(super) parent: Option<(u32, u32)>,
    /// Boxed: only a Parallel or Map state has one, and a parked execution's
    /// slots should stay small.
    pub(super) join: Option<Box<Join>>,
    pub(super) awaiting_task: bool,
}

/// One execution of a program.
pub(crate) struct Execution {
    id: u64,
    pub(super) info: ExecInfo,
    pub(super) slots: Vec<Slot>,
    /// Slots to reuse (boxed: only an execution whose children ended has
    /// any, and a parked execution should stay small).
    // A boxed vector on purpose: 8 bytes in the execution instead of 24.
    #[allow(clippy::box_collection)]
    free: Option<Box<Vec<u32>>>,
    pub(super) runnable: VecDeque<u32>,
    timers: BinaryHeap<Reverse<(i64, u32, u32)>>,
    pending_tasks: u32,
    pub(super) counters: Counters,
    /// Event counters of child executions (Distributed Map iterations): history `h` is at `h - 1`.
    pub(super) histories: Vec<u64>,
    pub(super) end: Option<Box<End>>,
    /// Clock time at which it ended.
    pub(super) ended_ms: i64,
    /// When it times out (see `driver.rs`); `i64::MAX`: never.
    deadline: i64,
    /// The scheduler was told to sleep until the deadline, not a timer.
    deadline_armed: bool,
    /// Its fibers' documents are frozen ([`Execution::shrink`]) until it runs again.
    frozen: bool,
    /// The events, when history is on.
    pub(super) history: Option<Box<RecorderCell>>,
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
    pub(crate) fn new(
        id: u64,
        prog: &Program,
        info: ExecInfo,
        deadline: Option<i64>,
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
            free: None,
            runnable: VecDeque::from([0]),
            timers: BinaryHeap::new(),
            pending_tasks: 0,
            counters: Counters {
                events: 1,
                transitions: 0,
                tokens: 0,
            },
            histories: Vec::new(),
            end: None,
            ended_ms: 0,
            deadline: deadline.unwrap_or(i64::MAX),
            deadline_armed: false,
            frozen: false,
            history: None,
        }
    }

    /// Records the execution's history from here on (`ExecutionStarted`
    /// with `input`, the execution's input text).
    pub(crate) fn record_history(&mut self, input: &str) {
        let m = &self.info.machine;
        let region = m.arn.split(':').nth(3).unwrap_or("");
        let r = history::Recorder::new(self.info.start_ms, input, &m.arn, &m.role_arn, region);
        self.history = Some(Box::new(RecorderCell::new(r)));
    }

    /// The recorded history (once), when history is on.
    pub(crate) fn take_history(&mut self) -> Option<History> {
        self.history
            .take()
            .map(|h| History::from_recorder(h.into_inner()))
    }

    /// The execution's id (as given to `new`).
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// How it ended, once it has.
    pub(crate) fn end(&self) -> Option<&End> {
        self.end.as_deref()
    }

    /// How it ended, to take the output out of (the outcome is made once).
    pub(super) fn end_mut(&mut self) -> Option<&mut End> {
        self.end.as_deref_mut()
    }

    /// Transitions and history events so far.
    pub(crate) fn counters(&self) -> Counters {
        self.counters
    }

    /// Static facts (name, ARNs, start time).
    pub(crate) fn info(&self) -> &ExecInfo {
        &self.info
    }

    /// When it times out, if ever.
    pub(crate) fn deadline(&self) -> Option<i64> {
        (self.deadline != i64::MAX).then_some(self.deadline)
    }

    pub(super) fn deadline_armed(&self) -> bool {
        self.deadline_armed
    }

    pub(super) fn arm_deadline(&mut self) {
        self.deadline_armed = true;
    }

    /// Hands the documents of its fibers to this thread's spare pool (call
    /// when the outcome has been taken).
    pub(crate) fn recycle(self) {
        for s in self.slots {
            if let Some(f) = s.fiber {
                super::fiber::recycle_doc(f.doc);
            }
        }
    }

    /// Gives back spare memory of every fiber: called when the execution
    /// parks. Each document is frozen into one packed allocation until the
    /// execution runs again ([`Execution::thaw`]: `advance` and `complete`).
    pub(crate) fn shrink(&mut self) {
        for s in &mut self.slots {
            if let Some(f) = s.fiber.as_deref_mut() {
                // Garbage is dropped first where nothing but the fiber's own
                // roots holds handles into its document (no join, spawn or
                // pending reply).
                if s.join.is_none() && f.spawn.is_none() && f.resume.is_none() {
                    f.compact();
                }
                f.doc.freeze();
                f.retries.shrink_to_fit();
            }
        }
        self.frozen = true;
        self.runnable.shrink_to_fit();
        if let Some(free) = self.free.as_deref_mut() {
            free.shrink_to_fit();
        }
    }

    /// Thaws the documents [`Execution::shrink`] froze (one test when none are).
    #[inline]
    pub(super) fn thaw(&mut self) {
        if self.frozen {
            self.thaw_all();
        }
    }

    #[cold]
    fn thaw_all(&mut self) {
        self.frozen = false;
        for s in &mut self.slots {
            if let Some(f) = s.fiber.as_deref_mut() {
                f.doc.thaw();
            }
        }
    }

    /// Task invocations waiting for a completion.
    pub(crate) fn pending_tasks(&self) -> u32 {
        self.pending_tasks
    }

    /// The earliest live timer, if any.
    pub(crate) fn next_timer(&mut self) -> Option<i64> {
        while let Some(&Reverse((t, fid, gen))) = self.timers.peek() {
            if self.alive(fid, gen) {
                return Some(t);
            }
            self.timers.pop();
        }
        None
    }

    /// Makes runnable every fiber whose timer is due at `now_ms`.
    pub(super) fn fire_timers(&mut self, now_ms: i64) {
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
    pub(crate) fn ended_ms(&self) -> i64 {
        self.ended_ms
    }

    /// Ends the execution as timed out at `at_ms`.
    pub(super) fn time_out(&mut self, at_ms: i64) {
        if self.end.is_none() {
            self.ended_ms = at_ms;
            self.counters.events += 1;
            if let Some(h) = &self.history {
                h.borrow_mut().execution_timed_out(at_ms);
            }
            self.end = Some(Box::new(End::TimedOut));
        }
    }

    /// Adds `n` events to the history fiber `fid` records into.
    pub(super) fn event(&mut self, fid: u32, n: u64) {
        match self.slots[fid as usize].history as usize {
            0 => self.counters.events += n,
            h => self.histories[h - 1] += n,
        }
    }

    /// Swaps a child execution's event counter in (and back out) around work
    /// done for fiber `fid`, so `counters.events` is always the right history's.
    fn swap_history(&mut self, fid: u32) {
        let h = self.slots[fid as usize].history as usize;
        if h != 0 {
            std::mem::swap(&mut self.counters.events, &mut self.histories[h - 1]);
        }
    }

    pub(super) fn alive(&self, fid: u32, gen: u32) -> bool {
        self.slots
            .get(fid as usize)
            .is_some_and(|s| s.gen == gen && s.fiber.is_some())
    }

    /// Runs runnable fibers for up to `fuel` ops.
    pub(super) fn run(&mut self, env: &RunEnv<'_>, fuel: u32) -> RunState {
        let mut fuel = fuel;
        loop {
            if self.end.is_some() {
                return RunState::Done;
            }
            if self.run_fanout(env, &mut fuel) {
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
                continue;
            }
            let Some(fid) = self.runnable.pop_front() else {
                break;
            };
            let before = self.counters.transitions;
            self.swap_history(fid);
            let slot = &mut self.slots[fid as usize];
            let step = match slot.fiber.as_deref_mut() {
                Some(fiber) => {
                    // A Distributed Map child runs with its own execution facts.
                    let own = fiber.child_info.take();
                    let info = own.as_deref().unwrap_or(&self.info);
                    let hist = recorder(&self.history, slot.history);
                    let e = fiber_env(env, info, self.id, fid, slot.gen, hist);
                    let r = run_slice(fiber, &e, &mut self.counters, fuel.max(1));
                    fiber.child_info = own;
                    Some(r)
                }
                None => None,
            };
            self.swap_history(fid);
            let Some(step) = step else { continue };
            if matches!(step, Step::Blocked) {
                // First again when it resumes, so nothing runs in another order.
                self.runnable.push_front(fid);
                return RunState::OutOfFuel;
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
    pub(crate) fn complete(
        &mut self,
        env: &RunEnv<'_>,
        key: CompletionKey,
        result: Result<serde_json::Value, Failure>,
    ) {
        if key.exec != self.id || !self.alive(key.fiber, key.gen) || self.end.is_some() {
            return;
        }
        self.thaw();
        let slot = &mut self.slots[key.fiber as usize];
        if !slot.awaiting_task {
            return;
        }
        slot.awaiting_task = false;
        self.pending_tasks -= 1;
        self.counters.events += 1;
        let hist = recorder(&self.history, slot.history);
        let Some(f) = slot.fiber.as_deref_mut() else {
            return;
        };
        f.wait = None;
        let task = match env.prog.op(f.pc) {
            crate::bytecode::Op::Invoke(t) => Some(t),
            _ => None,
        };
        match result {
            Ok(v) => {
                f.result = f.doc.import(&v);
                if let (Some(h), Some(t)) = (hist, task) {
                    h.borrow_mut()
                        .task_succeeded(env.prog, key.fiber, t, env.now_ms, &f.doc, f.result);
                }
                f.pc = OpId(f.pc.0 + 1);
                self.runnable.push_back(key.fiber);
            }
            Err(e) => {
                if let (Some(h), Some(t)) = (hist, task) {
                    let err = history::Error {
                        error: &e.error,
                        cause: &e.cause,
                    };
                    h.borrow_mut()
                        .task_failed(env.prog, key.fiber, t, env.now_ms, err);
                }
                self.fail_in_fiber(env, key.fiber, e)
            }
        }
    }

    pub(super) fn on_step(&mut self, env: &RunEnv<'_>, fid: u32, step: Step) {
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
            Step::Blocked => self.runnable.push_front(fid),
            Step::Abort(e) => self.abort(env, e),
        }
    }

    /// Ends the whole execution as failed with `e`, whatever its states
    /// would catch (a limit was reached); `ExecutionFailed` is the last event.
    pub(super) fn abort(&mut self, env: &RunEnv<'_>, e: Failure) {
        let limit = u64::from(self.info.limits.events);
        self.counters.events = (self.counters.events + 1).min(limit);
        if let Some(h) = &self.history {
            let mut h = h.borrow_mut();
            if u64::from(h.len()) < limit {
                let err = history::Error {
                    error: &e.error,
                    cause: &e.cause,
                };
                h.execution_failed(None, env.now_ms, err);
            }
        }
        self.end = Some(Box::new(End::Failed(e)));
        self.ended_ms = env.now_ms;
        self.kill(0);
    }

    /// Applies the fiber's own Retry/Catch to `e`, then propagates if unhandled.
    pub(super) fn fail_in_fiber(&mut self, env: &RunEnv<'_>, fid: u32, e: Failure) {
        let gen = self.slots[fid as usize].gen;
        self.swap_history(fid);
        let slot = &mut self.slots[fid as usize];
        let hist = recorder(&self.history, slot.history);
        let step = match slot.fiber.as_deref_mut() {
            Some(f) => {
                let own = f.child_info.take();
                let info = own.as_deref().unwrap_or(&self.info);
                let envx = fiber_env(env, info, self.id, fid, gen, hist);
                let r = handle_failure(f, &envx, &mut self.counters, e);
                f.child_info = own;
                Some(r)
            }
            None => None,
        };
        self.swap_history(fid);
        match step {
            None => {}
            Some(None) => self.runnable.push_back(fid),
            Some(Some(Step::Sleep(t))) => self.timers.push(Reverse((t, fid, gen))),
            Some(Some(Step::Failed(e))) => self.propagate(env, fid, e),
            Some(Some(other)) => self.on_step(env, fid, other),
        }
    }

    /// A fiber failed with no handler left: fail its parent's Parallel/Map state, or the execution.
    fn propagate(&mut self, env: &RunEnv<'_>, fid: u32, e: Failure) {
        let parent = self.slots[fid as usize].parent;
        match parent {
            None => {
                self.counters.events += 1; // ExecutionFailed
                if let Some(h) = &self.history {
                    let err = history::Error {
                        error: &e.error,
                        cause: &e.cause,
                    };
                    h.borrow_mut().execution_failed(Some(fid), env.now_ms, err);
                }
                self.end = Some(Box::new(End::Failed(e)));
                self.ended_ms = env.now_ms;
                self.kill(fid);
            }
            Some(_) if self.child_failed(env, fid, &e) => {}
            Some((pid, idx)) => {
                if let Some(join) = self.slots[pid as usize].join.take() {
                    let n = join.spawn.iteration_events(env.prog);
                    self.record_child_failure(env, pid, fid, idx, &join);
                    self.kill(fid);
                    self.kill_children(join);
                    self.event(pid, n); // MapIterationFailed
                } else {
                    self.kill(fid);
                }
                self.fail_in_fiber(env, pid, e);
            }
        }
    }

    /// Ends every running child of a join.
    // Takes the box a slot held (`slot.join.take()`), so no caller moves the join out of it.
    #[allow(clippy::boxed_local)]
    pub(super) fn kill_children(&mut self, join: Box<Join>) {
        for c in join.children {
            if c != u32::MAX {
                self.kill(c);
            }
        }
        if let Some(s) = join.stream {
            // In index order, as the children started (the slots freed in a
            // known order).
            let mut running: Vec<(u32, (u32, u32, i64))> = s.running.into_iter().collect();
            running.sort_unstable();
            for (_, (fid, _, _)) in running {
                self.kill(fid);
            }
        }
    }

    /// Ends fiber `fid` (and its children), if it is alive, and frees its slot.
    pub(super) fn kill(&mut self, fid: u32) {
        let Some(slot) = self.slots.get_mut(fid as usize) else {
            return;
        };
        let Some(f) = slot.fiber.take() else {
            return;
        };
        let join = slot.join.take();
        if slot.awaiting_task {
            slot.awaiting_task = false;
            self.pending_tasks -= 1;
        }
        super::fiber::recycle_doc(f.doc);
        self.free_slot(fid);
        if let Some(j) = join {
            self.kill_children(j);
        }
    }

    /// Frees the slot of fiber `fid` for the next fiber: its fiber was just
    /// taken out of it (it ended, or `kill` ended it), with no children or
    /// task left. Called once per fiber taken: a slot freed twice would be
    /// handed to two fibers.
    #[inline]
    pub(super) fn free_slot(&mut self, fid: u32) {
        let slot = &mut self.slots[fid as usize];
        debug_assert!(slot.fiber.is_none() && slot.join.is_none() && !slot.awaiting_task);
        slot.gen = slot.gen.wrapping_add(1);
        slot.parent = None;
        if fid != 0 {
            // Room for every slot at once: one allocation, however many end.
            let n = self.slots.len();
            self.free
                .get_or_insert_with(|| Box::new(Vec::with_capacity(n)))
                .push(fid);
        }
    }

    pub(super) fn alloc(&mut self, f: Fiber, parent: (u32, u32), history: u32) -> u32 {
        match self.free.as_deref_mut().and_then(Vec::pop) {
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

/// The recorder a fiber of history `history` records into: only the
/// execution's own (0); a Distributed Map's child executions record none.
pub(super) fn recorder(h: &Option<Box<RecorderCell>>, history: u32) -> Option<&RecorderCell> {
    match (h, history) {
        (Some(h), 0) => Some(h),
        _ => None,
    }
}

/// What a fiber's ops see of the scheduler's environment.
pub(super) fn fiber_env<'a>(
    env: &RunEnv<'a>,
    info: &'a ExecInfo,
    exec: u64,
    fid: u32,
    gen: u32,
    hist: Option<&'a RecorderCell>,
) -> Env<'a> {
    Env {
        obs: env.obs,
        prog: env.prog,
        handlers: env.handlers,
        info,
        now_ms: env.now_ms,
        sink: env.sink,
        key: CompletionKey {
            exec,
            fiber: fid,
            gen,
        },
        tokens: env.tokens,
        hist,
    }
}
