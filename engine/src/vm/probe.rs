//! TestState's way into the VM: one fiber whose ops are run one at a time
//! from outside the interpreter loop, so that a caller can read the value
//! after each I/O step and stand in for the ops that would leave the state
//! (a task call, a Map's or Parallel's children). The ops themselves run
//! through the interpreter's own `exec_op`, so a tested state computes
//! exactly what it computes in an execution; `run_slice` is untouched and
//! pays nothing for this.

use super::failure::{decide, Decision};
use super::fiber::Fiber;
use super::flow::{Flow, Step};
use super::operand::{num, select};
use super::query::{self, Extra};
use super::step::{caught, exec_op};
use super::{context, Counters, Env, ExecInfo, Limits, MachineInfo};
use crate::bytecode::{MapId, NumSource, Op, OpId, PathId, Program, QueryId, StateInfo};
use crate::error::Failure;
use crate::handlers::{CompletionKey, CompletionSink};
use crate::json::{Doc, Val};
use crate::jsonata::{Host, QueryTemplate};
use std::sync::Arc;

/// Where an op left the fiber.
#[derive(Debug)]
pub(crate) enum Moved {
    /// On to the next op of the state.
    Next,
    /// The state ended with a transition to the op given (another state's `Enter`).
    Jump(OpId),
    /// The state ended its block (`End`), or a Succeed state.
    End,
    /// The op failed (Retry and Catch not applied).
    Failed(Failure),
}

/// A completion sink for a fiber that never defers (TestState never calls a handler).
struct NoSink;

impl CompletionSink for NoSink {
    fn complete(&self, _: CompletionKey, _: Result<serde_json::Value, Failure>) {}
}

/// One fiber of `prog`, about to run the first state of its top-level block.
pub(crate) struct Probe<'p> {
    prog: &'p Program,
    info: ExecInfo,
    f: Fiber,
    n: Counters,
    sink: Arc<dyn CompletionSink>,
    now_ms: i64,
}

impl<'p> Probe<'p> {
    /// A fiber over `input` (JSON text), started at `start_ms` by the machine `machine`.
    ///
    /// # Errors
    /// The input is not JSON (the parser's message).
    pub(crate) fn new(
        prog: &'p Program,
        machine: Arc<MachineInfo>,
        start_ms: i64,
        input: &str,
    ) -> Result<Probe<'p>, String> {
        let mut doc = Doc::for_text(input.len());
        let root = doc.parse(input).map_err(|e| e.to_string())?;
        let exec_input = Box::new((doc.clone(), root));
        let info = ExecInfo {
            machine,
            name: None,
            seed: start_ms as u64,
            start_ms,
            limits: Limits {
                events: u32::MAX,
                transitions: u32::MAX,
            },
            input: Some(exec_input),
        };
        let entry = prog.blocks[0].entry;
        Ok(Probe {
            prog,
            info,
            f: Fiber::new(doc, entry, root, start_ms as u64),
            n: Counters::default(),
            sink: Arc::new(NoSink),
            now_ms: start_ms,
        })
    }

    /// The op index the fiber is at.
    pub(crate) fn pc(&self) -> OpId {
        self.f.pc
    }

    /// The op the fiber is at.
    pub(crate) fn op(&self) -> Op {
        self.prog.op(self.f.pc)
    }

    /// The side table of the state the fiber is in.
    pub(crate) fn state(&self) -> &'p StateInfo {
        self.prog.state(self.f.state)
    }

    /// Runs the op the fiber is at, as the interpreter would.
    pub(crate) fn run_op(&mut self) -> Moved {
        let op = self.op();
        let env = env(self.prog, &self.info, self.now_ms, &self.sink);
        match exec_op(&mut self.f, &env, &mut self.n, op) {
            Ok(Flow::Next) => {
                self.f.pc = OpId(self.f.pc.0 + 1);
                Moved::Next
            }
            // To another state's `Enter`: the state is left (Choice tests
            // jump there directly; a Choice's `And`/`Or` jump inside the state).
            Ok(Flow::Goto(t)) if matches!(self.prog.op(t), Op::Enter(_)) => Moved::Jump(t),
            Ok(Flow::Goto(t)) => {
                self.f.pc = t;
                Moved::Next
            }
            Ok(Flow::Return(Step::End(_))) => Moved::End,
            Ok(Flow::Return(Step::Failed(e) | Step::Abort(e))) => Moved::Failed(e),
            // A Wait in the future: TestState does not wait (the op moved the pc on).
            Ok(Flow::Return(_)) => Moved::Next,
            Err(e) => Moved::Failed(e),
        }
    }

    /// Moves past the op the fiber is at without running it.
    pub(crate) fn skip(&mut self) {
        self.f.pc = OpId(self.f.pc.0 + 1);
    }

    /// The fiber's document (to import a mock or read a value).
    pub(crate) fn doc(&mut self) -> &mut Doc {
        &mut self.f.doc
    }

    /// The state's raw input.
    pub(crate) fn raw(&self) -> Val {
        self.f.raw
    }

    /// The value flowing through the state's ops.
    pub(crate) fn cur(&self) -> Val {
        self.f.cur
    }

    /// The state's result (task, Pass `Result`, Map, Parallel).
    pub(crate) fn result(&self) -> Val {
        self.f.result
    }

    /// Sets the state's result (a mocked Map or Parallel).
    pub(crate) fn set_result(&mut self, v: Val) {
        self.f.result = v;
    }

    /// The workflow variables in scope.
    pub(crate) fn vars(&self) -> Val {
        self.f.vars
    }

    /// Replaces the workflow variables in scope.
    pub(crate) fn set_vars(&mut self, v: Val) {
        self.f.vars = v;
    }

    /// The context object (`$$`) of the state just entered, when it was built.
    pub(crate) fn context(&self) -> Option<Val> {
        self.f.doc.as_object(self.f.ctx).map(|_| self.f.ctx)
    }

    /// Replaces the context object (`$$`) of the state just entered.
    pub(crate) fn set_context(&mut self, v: Val) {
        self.f.ctx = v;
    }

    /// Sets `$$.State.RetryCount` (rebuilding `$$` when the state reads it).
    pub(crate) fn set_retry_count(&mut self, n: u32) {
        self.f.retry_count = n;
        let st = self.state();
        if st.context != 0 {
            self.f.ctx = context::build(&mut self.f, &self.info, st);
        }
    }

    /// The reply the next `Invoke` op takes instead of calling a handler.
    pub(crate) fn reply_with(&mut self, r: Result<Val, Failure>) {
        self.f.resume = Some(Box::new(r));
    }

    /// The value path `p` selects from `from` (AWS's invalid-path failure when none).
    ///
    /// # Errors
    /// The path selects nothing.
    pub(crate) fn select(&mut self, p: PathId, from: Val) -> Result<Val, Failure> {
        let env = env(self.prog, &self.info, self.now_ms, &self.sink);
        select(&mut self.f, &env, p, from)
    }

    /// A Map's `ItemsPath` selection, as `Op::Map` makes it (`None` in JSONata).
    pub(crate) fn items_path(&self, m: MapId) -> Option<PathId> {
        let info = &self.prog.maps[m.idx()];
        (!info.jsonata && info.items.is_none()).then_some(info.items_path)
    }

    /// The source text of path `p`.
    pub(crate) fn path_source(&self, p: PathId) -> &'p str {
        self.prog.paths[p.idx()].source()
    }

    /// A Map's JSONata `Items`, evaluated.
    ///
    /// # Errors
    /// The expression fails or gives something other than an array.
    pub(crate) fn items_query(&mut self, m: MapId) -> Option<Result<Val, Failure>> {
        let q: QueryId = self.prog.maps[m.idx()].items?;
        let v = query::eval(&mut self.f, self.prog, self.now_ms, q, Extra::default());
        Some(v.and_then(|v| {
            if self.f.doc.as_array(v).is_some() {
                Ok(v)
            } else {
                Err(query::wrong_type(
                    self.prog,
                    q,
                    "Items",
                    "array",
                    &self.f.doc,
                    v,
                ))
            }
        }))
    }

    /// A Map's `MaxConcurrency` (0: unlimited), read as `Op::Map` reads it.
    ///
    /// # Errors
    /// The path or expression does not give a non-negative integer.
    pub(crate) fn max_concurrency(&mut self, m: MapId) -> Result<u64, Failure> {
        let src: NumSource = self.prog.maps[m.idx()].max_concurrency;
        let env = env(self.prog, &self.info, self.now_ms, &self.sink);
        num(&mut self.f, &env, src, "MaxConcurrencyPath")
    }

    /// What the state's Retry and Catch make of `error` after `retried`
    /// retries by the retrier that matches it.
    pub(crate) fn decide(&self, error: &str, retried: u32) -> Decision {
        let st = self.state();
        let mut counts = vec![retried; st.retriers.len()];
        decide(st, &mut counts, error, || 0.0)
    }

    /// Runs catcher `index` of the state on failure `e`: its `Assign`, then
    /// its `Output` or `ResultPath`. Returns the state's output.
    ///
    /// # Errors
    /// The catcher's own evaluation fails.
    pub(crate) fn catch(&mut self, index: usize, e: &Failure) -> Result<Val, Failure> {
        let st = self.state();
        let c = &st.catchers[index];
        let d = &mut self.f.doc;
        let err = d.str(&e.error);
        let cause = d.str(&e.cause);
        let (ke, kc) = (d.key("Error"), d.key("Cause"));
        let out = d.object(&[
            crate::json::Entry { key: ke, val: err },
            crate::json::Entry {
                key: kc,
                val: cause,
            },
        ]);
        let env = env(self.prog, &self.info, self.now_ms, &self.sink);
        caught(&mut self.f, &env, &mut self.n, c, out)
    }

    /// Evaluates JSONata template `t` (a field the program does not hold,
    /// such as `ToleratedFailureCount`) with `$states.input` and `$states.context` bound.
    ///
    /// # Errors
    /// `States.QueryEvaluationError` with the evaluator's cause.
    pub(crate) fn eval_template(&mut self, t: &QueryTemplate) -> Result<Val, Failure> {
        let d = &mut self.f.doc;
        let mut entries = vec![crate::json::Entry {
            key: d.key("input"),
            val: self.f.raw,
        }];
        if d.as_object(self.f.ctx).is_some() {
            entries.push(crate::json::Entry {
                key: d.key("context"),
                val: self.f.ctx,
            });
        }
        let states = d.object(&entries);
        let mut host = TemplateHost {
            states,
            doc_vars: Vec::new(),
            now_ms: self.now_ms,
        };
        for name in t.free_variables() {
            if let Some(v) = self.f.doc.field(self.f.vars, name) {
                host.doc_vars.push((name.clone(), v));
            }
        }
        t.eval(&mut self.f.doc, &mut host, &query::BUDGET)
            .map_err(|e| Failure::new(query::QUERY_ERROR, e.cause()))
    }

    /// The name of the state whose `Enter` op is `op`.
    pub(crate) fn state_at(&self, op: OpId) -> &'p str {
        &self.prog.state(self.prog.op_state[op.0 as usize]).name
    }
}

/// The bindings of [`Probe::eval_template`].
struct TemplateHost {
    states: Val,
    doc_vars: Vec<(String, Val)>,
    now_ms: i64,
}

impl Host for TemplateHost {
    fn variable(&self, name: &str) -> Option<Val> {
        if name == "states" {
            return Some(self.states);
        }
        self.doc_vars
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }

    fn now_ms(&self) -> i64 {
        self.now_ms
    }

    fn random(&mut self) -> f64 {
        0.5
    }
}

fn env<'a>(
    prog: &'a Program,
    info: &'a ExecInfo,
    now_ms: i64,
    sink: &'a Arc<dyn CompletionSink>,
) -> Env<'a> {
    Env {
        obs: None,
        prog,
        handlers: &[],
        info,
        now_ms,
        sink,
        key: CompletionKey {
            exec: 0,
            fiber: 0,
            gen: 0,
        },
        tokens: None,
        hist: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handlers::Registry;
    use crate::machine_type::MachineType;
    use crate::vm::{machine_info, RunOptions};

    fn program(def: &str) -> Program {
        let (m, _) = crate::asl::validate(def, MachineType::Standard).unwrap();
        let mut reg = Registry::default();
        reg.register("*", Arc::new(crate::handlers::echo()));
        crate::compile::compile(&m, &reg).unwrap()
    }

    #[test]
    fn steps_a_pass_state_op_by_op() {
        let prog = program(
            r#"{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.a","Next":"Q"},"Q":{"Type":"Succeed"}}}"#,
        );
        let info = machine_info(&RunOptions::default());
        let mut p = Probe::new(&prog, info, 0, r#"{"a":{"b":1}}"#).unwrap();
        assert!(matches!(p.op(), Op::Enter(_)));
        let mut seen_input_path = false;
        let target = loop {
            if matches!(p.op(), Op::InputPath(_)) {
                assert!(matches!(p.run_op(), Moved::Next));
                let cur = p.cur();
                assert_eq!(p.doc().to_json(cur), r#"{"b":1}"#);
                seen_input_path = true;
                continue;
            }
            match p.run_op() {
                Moved::Next => {}
                Moved::Jump(t) => break t,
                other => panic!("{other:?}"),
            }
        };
        assert!(seen_input_path);
        assert_eq!(p.state_at(target), "Q");
    }

    #[test]
    fn a_mocked_reply_stands_in_for_the_task() {
        let prog = program(
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"x","Retry":[{"ErrorEquals":["E"],"MaxAttempts":2}],"End":true}}}"#,
        );
        let info = machine_info(&RunOptions::default());
        let mut p = Probe::new(&prog, info, 0, "{}").unwrap();
        p.run_op(); // Enter
        while !matches!(p.op(), Op::Invoke(_)) {
            p.run_op();
        }
        p.reply_with(Err(Failure::new("E", "c")));
        let Moved::Failed(e) = p.run_op() else {
            panic!("expected a failure")
        };
        assert_eq!(e.error, "E");
        assert_eq!(p.decide("E", 1), Decision::Retry { delay_ms: 2000 });
        assert_eq!(p.decide("E", 2), Decision::Fail);
    }
}
