//! A fiber: one thread of control in an execution (the top level, a
//! Parallel branch or a Map iteration), with its own arena document.

use crate::bytecode::{MapId, OpId, ParallelId, Program, StateId};
use crate::json::{Doc, Val};

/// A request from a Parallel or Map op for child fibers.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Spawn {
    Parallel {
        par: ParallelId,
        input: Val,
    },
    Map {
        map: MapId,
        items: Val,
        input: Val,
        max: u32,
    },
}

impl Spawn {
    /// The Map it iterates (`None`: a Parallel's branches).
    pub(crate) fn map(&self) -> Option<MapId> {
        match self {
            Spawn::Map { map, .. } => Some(*map),
            Spawn::Parallel { .. } => None,
        }
    }

    /// History events per finished iteration: one for an inline Map, none for
    /// a Parallel branch or a Distributed Map iteration (a child execution).
    pub(crate) fn iteration_events(&self, prog: &Program) -> u64 {
        match self {
            Spawn::Map { map, .. } => u64::from(!prog.maps[map.idx()].distributed),
            Spawn::Parallel { .. } => 0,
        }
    }
}

/// Program counter, values, retry counters and the arena of one fiber.
#[derive(Debug)]
pub(crate) struct Fiber {
    pub(crate) doc: Doc,
    pub(crate) pc: OpId,
    pub(crate) state: StateId,
    /// The state's raw input.
    pub(crate) raw: Val,
    /// The value flowing through the state's ops.
    pub(crate) cur: Val,
    /// The task / Pass / Parallel / Map result.
    pub(crate) result: Val,
    /// `$$` for the current state (`null` when the state does not read it).
    pub(crate) ctx: Val,
    /// `$$.Execution.Input`, copied into this fiber's document.
    pub(crate) exec_input: Option<Val>,
    /// Attempts used per retrier of the current state.
    pub(crate) retries: Vec<u32>,
    /// Retries of the current state so far (`$$.State.RetryCount`).
    pub(crate) retry_count: u32,
    pub(crate) entered_ms: i64,
    pub(crate) entered_event: u64,
    pub(crate) spawn: Option<Spawn>,
    pub(crate) rng: u64,
    /// `$$.Execution` and `$$.StateMachine`, once built.
    pub(crate) ctx_base: Option<(Val, Val)>,
    /// A delayed task reply to take when the fiber wakes at its `Invoke`.
    pub(crate) resume: Option<Box<Result<Val, crate::error::Failure>>>,
    /// The task token of the current attempt of a `.waitForTaskToken` task.
    pub(crate) wait: Option<Box<super::token_wait::TokenWait>>,
    /// Nodes alive after the last collection.
    pub(crate) live_nodes: u32,
    /// The workflow variables in scope (an object; `null` while there are none).
    pub(crate) vars: Val,
    /// The variables the current state's `Assign` set, until `CommitVars`.
    pub(crate) next_vars: Option<Val>,
    /// A Distributed Map child's own execution facts (its `$$.Execution`
    /// and `$$.StateMachine`), when the program reads the context.
    pub(crate) child_info: Option<Box<super::ExecInfo>>,
}

impl Fiber {
    /// A fiber about to run the block starting at `entry` with `input` (already in `doc`).
    pub(crate) fn new(doc: Doc, entry: OpId, input: Val, seed: u64) -> Fiber {
        Fiber {
            doc,
            pc: entry,
            state: StateId(0),
            raw: input,
            cur: input,
            result: Doc::NULL,
            ctx: Doc::NULL,
            exec_input: None,
            retries: Vec::new(),
            retry_count: 0,
            entered_ms: 0,
            entered_event: 0,
            spawn: None,
            rng: seed,
            live_nodes: 0,
            resume: None,
            wait: None,
            ctx_base: None,
            vars: Doc::NULL,
            next_vars: None,
            child_info: None,
        }
    }

    /// Copies the live values into fresh storage (the per-fiber collector).
    pub(crate) fn compact(&mut self) {
        let (base_e, base_m) = self.ctx_base.unwrap_or((Doc::NULL, Doc::NULL));
        let mut roots = [
            base_e,
            base_m,
            self.raw,
            self.cur,
            self.result,
            self.ctx,
            self.exec_input.unwrap_or(Doc::NULL),
            self.vars,
            self.next_vars.unwrap_or(Doc::NULL),
        ];
        self.doc.compact(&mut roots);
        let (e, m, input, next);
        [
            e,
            m,
            self.raw,
            self.cur,
            self.result,
            self.ctx,
            input,
            self.vars,
            next,
        ] = roots;
        self.next_vars = self.next_vars.map(|_| next);
        self.exec_input = self.exec_input.map(|_| input);
        self.ctx_base = self.ctx_base.map(|_| (e, m));
        self.live_nodes = u32::try_from(self.doc.node_count()).unwrap_or(u32::MAX);
    }
}

thread_local! {
    /// Documents of finished child fibers, kept for the next children on this thread.
    static SPARE_DOCS: std::cell::RefCell<Vec<Doc>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A document for a new child fiber: a recycled one when this thread has one.
pub(crate) fn child_doc() -> Doc {
    spare_doc(128)
}

/// A document for a new execution or fiber: a recycled one (empty, with
/// its storage) when this thread has one, else one sized for `text_len`
/// bytes of JSON. Saves the allocations every execution would make.
pub(super) fn spare_doc(text_len: usize) -> Doc {
    SPARE_DOCS
        .with(|p| p.borrow_mut().pop())
        .unwrap_or_else(|| Doc::for_text(text_len))
}

/// Gives a finished fiber's document back for reuse (small ones only).
pub(super) fn recycle_doc(mut d: Doc) {
    if d.bytes() > 64 << 10 {
        return;
    }
    d.reset();
    SPARE_DOCS.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() < 64 {
            p.push(d);
        }
    });
}
