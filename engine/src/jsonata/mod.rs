//! A JSONata 2.0.6 engine (parser and evaluator) with the AWS Step
//! Functions dialect: `$eval` removed; `$partition`, `$range`, `$hash`,
//! seeded `$random`, `$uuid` and `$parse` added.
//!
//! An expression is parsed once into an [`Expression`] and evaluated many
//! times directly on arena values ([`Doc`]/[`Val`]): inputs are handles in the
//! caller's document and results are built in the same document.
//!
//! A function as the final result is an error (U1003): Step Functions fails
//! the state with States.QueryEvaluationError when a result is not JSON.

mod ancestry;
mod apply;
mod ast;
#[cfg(feature = "bench-hooks")]
pub mod bench;
mod builtin;
mod call;
mod coerce;
mod direct;
mod error;
mod eval;
mod fastpath;
mod functions;
mod group;
mod lexer;
mod lookup;
mod numfmt;
mod ops;
mod parser;
mod path;
mod picture;
mod process;
mod regex;
mod restrict;
mod signature;
mod sort;
mod tail;
mod template;
mod value;

#[cfg(test)]
mod tests;

pub(crate) use error::JsonataError;
pub(crate) use template::QueryTemplate;

use crate::json::{Doc, Val};
use ancestry::Slot;
use ast::{Node, NK, SYM_ROOT};
use builtin::Builtin;
use eval::Ev;
use process::Processor;
use std::rc::Rc;
use std::time::{Duration, Instant};
use value::{Frame, Value, F_OUTER, F_SEQ};

/// What the embedding ASL state provides to an evaluation.
pub(crate) trait Host {
    /// A top-level binding (`states` for `$states`, workflow variables); name without `$`.
    fn variable(&self, name: &str) -> Option<Val>;
    /// The execution's clock in epoch milliseconds (`$now()`, `$millis()`).
    fn now_ms(&self) -> i64;
    /// A number in [0, 1) from the execution's seeded stream (`$random()`, `$shuffle`, `$uuid()`).
    fn random(&mut self) -> f64;
}

/// Limits on one evaluation, so a runaway expression fails fast.
#[derive(Clone, Debug)]
pub(crate) struct Budget {
    /// Deepest nesting of evaluations (recursion); beyond it: U1001.
    pub(crate) max_depth: u32,
    /// Most evaluation steps; beyond it: U1001.
    pub(crate) max_steps: u64,
    /// Wall-clock limit; beyond it: U1001.
    pub(crate) max_time: Option<Duration>,
    /// Most tail calls (which run in constant stack); beyond it: U1001.
    pub(crate) max_tail_calls: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_depth: 300,
            max_steps: 10_000_000,
            max_time: Some(Duration::from_secs(10)),
            max_tail_calls: 10_000,
        }
    }
}

/// A compiled JSONata expression: parsed once, evaluated many times; Send + Sync.
#[derive(Debug)]
pub(crate) struct Expression {
    root: Node,
    names: Vec<String>,
    /// The built-in each interned name denotes, if any (looked up once, here).
    builtins: Vec<Option<Builtin>>,
    slots: Vec<Slot>,
    /// The direct plan, when the expression has one (`direct.rs`).
    plan: Option<direct::Plan>,
}

/// Parses a JSONata expression.
pub(crate) fn parse(src: &str) -> Result<Expression, JsonataError> {
    let raw = parser::parse_raw(src).map_err(|e| (*e).finish())?;
    let mut p = Processor::new();
    let root = p.top(raw).map_err(|e| (*e).finish())?;
    let builtins: Vec<Option<Builtin>> = p.names.iter().map(|n| Builtin::by_name(n)).collect();
    let plan = direct::plan(&root, &builtins);
    Ok(Expression {
        root,
        names: p.names,
        builtins,
        slots: p.slots,
        plan,
    })
}

impl Expression {
    /// Evaluates against `input` (`None` = undefined); `Ok(None)` is an undefined result.
    pub(crate) fn evaluate(
        &self,
        doc: &mut Doc,
        input: Option<Val>,
        host: &mut dyn Host,
        budget: &Budget,
    ) -> Result<Option<Val>, JsonataError> {
        // Object constructors group over an array context: plans assume none.
        if let Some(plan) = &self.plan {
            if input.is_none_or(|v| doc.as_array(v).is_none()) {
                let mut d = direct::Direct {
                    doc: &mut *doc,
                    host: &*host,
                    names: &self.names,
                };
                if let Ok(r) = d.eval(plan) {
                    return Ok(r);
                }
            }
        }
        self.evaluate_general(doc, input, host, budget)
    }

    /// [`Expression::evaluate`] by the general evaluator, plan or not.
    fn evaluate_general(
        &self,
        doc: &mut Doc,
        input: Option<Val>,
        host: &mut dyn Host,
        budget: &Budget,
    ) -> Result<Option<Val>, JsonataError> {
        let mut ev = Ev {
            doc,
            host,
            names: &self.names,
            builtins: &self.builtins,
            slots: &self.slots,
            depth: 0,
            max_depth: budget.max_depth,
            steps: 0,
            max_steps: budget.max_steps,
            deadline: budget.max_time.map(|d| Instant::now() + d),
            cyclic: Vec::new(),
            tail_calls: budget.max_tail_calls,
        };
        let root_env = Rc::new(Frame::default());
        let input = match input {
            Some(v) => Value::Json(v),
            None => Value::Undefined,
        };
        root_env.bind(SYM_ROOT, input.clone());
        let ctx = if input.is_array(ev.doc) {
            let v = Value::seq(vec![input]);
            if let Value::Arr(s) = &v {
                s.flags.set(F_SEQ | F_OUTER);
            }
            v
        } else {
            input
        };
        let r = ev
            .eval(&self.root, &ctx, &root_env)
            .and_then(|v| ev.finish(v));
        for w in std::mem::take(&mut ev.cyclic) {
            if let Some(f) = w.upgrade() {
                f.vars.borrow_mut().clear();
            }
        }
        root_env.vars.borrow_mut().clear();
        r.map_err(|e| (*e).finish())
    }

    /// Names (without `$`) of variables the expression reads but never binds itself,
    /// built-in function names excluded (`states` for `$states`, workflow variables).
    pub(crate) fn free_variables(&self) -> Vec<String> {
        let mut read = Vec::new();
        let mut bound = Vec::new();
        walk(&self.root, &mut read, &mut bound);
        let mut out: Vec<String> = Vec::new();
        for s in read {
            let name = &self.names[s as usize];
            if !bound.contains(&s) && self.builtins[s as usize].is_none() && !out.contains(name) {
                out.push(name.clone());
            }
        }
        out
    }
}

fn walk(n: &Node, read: &mut Vec<u32>, bound: &mut Vec<u32>) {
    macro_rules! go {
        ($c:expr) => {
            walk($c, read, bound)
        };
    }
    match &n.kind {
        NK::Path(steps, _) => {
            for c in steps {
                go!(c)
            }
        }
        NK::Binary(_, l, r) | NK::Apply(l, r) => {
            go!(l);
            go!(r);
        }
        NK::Neg(e) => go!(e),
        NK::Array(items) | NK::Block(items) => {
            for c in items {
                go!(c)
            }
        }
        NK::Object(pairs) => {
            for (k, v) in pairs {
                go!(k);
                go!(v);
            }
        }
        NK::Call(p, args, _) => {
            go!(p);
            for c in args {
                go!(c)
            }
        }
        NK::Lambda(def) => {
            bound.extend(def.params.iter().copied());
            go!(&def.body);
        }
        NK::Cond(c, t, e) => {
            go!(c);
            go!(t);
            if let Some(e) = e {
                go!(e);
            }
        }
        NK::Bind(s, r) => {
            bound.push(*s);
            go!(r);
        }
        NK::Transform(p, u, d) => {
            go!(p);
            go!(u);
            if let Some(d) = d {
                go!(d);
            }
        }
        NK::Sort(terms) => {
            for (t, _) in terms {
                go!(t)
            }
        }
        NK::Var(Some(s)) if *s != SYM_ROOT && *s & ast::LABEL_BIT == 0 => read.push(*s),
        _ => {}
    }
    for st in &n.stages {
        if let ast::Stage::Filter(p) = st {
            walk(p, read, bound);
        } else if let ast::Stage::Index(s) = st {
            bound.push(*s);
        }
    }
    for p in &n.predicate {
        walk(p, read, bound);
    }
    if let Some(g) = &n.group {
        for (k, v) in &g.pairs {
            walk(k, read, bound);
            walk(v, read, bound);
        }
    }
    if let Some(f) = n.focus {
        bound.push(f);
    }
    if let Some(i) = n.index {
        bound.push(i);
    }
}
