//! The evaluator core: the budget, dispatch over node kinds, variables,
//! blocks, conditions, constructors and sequence normalisation.

use super::ancestry::{label_sym, Slot};
use super::ast::{BinOp, Node, Sym, LABEL_BIT, NK, SYM_AT, SYM_ROOT};
use super::builtin::Builtin;
use super::coerce::boolean;
use super::error::{JResult, JsonataError};
use super::lookup::lookup_field;
use super::numfmt::{js_number, show};
use super::ops;
use super::value::{Env, Frame, Func, Value, F_CONS, F_KEEP, F_OUTER, F_SEQ};
use super::Host;
use crate::json::Doc;
use std::rc::{Rc, Weak};
use std::time::Instant;

/// One evaluation's state.
pub(crate) struct Ev<'a, 'h> {
    /// The document holding input and results.
    pub(crate) doc: &'h mut Doc,
    /// The embedding state.
    pub(crate) host: &'h mut dyn Host,
    /// Interned names.
    pub(crate) names: &'a [String],
    /// The built-in each interned name denotes, if any.
    pub(crate) builtins: &'a [Option<Builtin>],
    /// Parent-operator slots.
    pub(crate) slots: &'a [Slot],
    /// Current nesting of evaluations.
    pub(crate) depth: u32,
    /// Limit on `depth`.
    pub(crate) max_depth: u32,
    /// Evaluation steps so far.
    pub(crate) steps: u64,
    /// Limit on `steps`.
    pub(crate) max_steps: u64,
    /// Wall-clock limit.
    pub(crate) deadline: Option<Instant>,
    /// Scopes that hold functions (possible reference cycles), cleared at the end.
    pub(crate) cyclic: Vec<Weak<Frame<'a>>>,
    /// Tail calls still allowed.
    pub(crate) tail_calls: u64,
}

impl<'a> Ev<'a, '_> {
    /// Counts one tail call against the budget.
    pub(crate) fn tail_call(&mut self, pos: usize) -> JResult<()> {
        if self.tail_calls == 0 {
            return Err(over_budget(pos));
        }
        self.tail_calls -= 1;
        self.tick(pos)
    }

    /// Counts one unit of work against the budget.
    pub(crate) fn tick(&mut self, pos: usize) -> JResult<()> {
        self.steps += 1;
        if self.steps > self.max_steps {
            return Err(over_budget(pos));
        }
        if self.steps & 1023 == 0 {
            if let Some(d) = self.deadline {
                if Instant::now() > d {
                    return Err(over_budget(pos));
                }
            }
        }
        Ok(())
    }

    /// Evaluates `n` against `input` in `env`.
    pub(crate) fn eval(
        &mut self,
        n: &'a Node,
        input: &Value<'a>,
        env: &Env<'a>,
    ) -> JResult<Value<'a>> {
        self.depth += 1;
        if self.depth > self.max_depth {
            self.depth -= 1;
            return Err(JsonataError::new("U1001", n.pos));
        }
        let r = match self.tick(n.pos) {
            Ok(()) => self.eval_kind(n, input, env),
            Err(e) => Err(e),
        };
        self.depth -= 1;
        let r = r?;
        if n.predicate.is_empty() && n.group.is_none() {
            return Ok(normalize(r, n.keep_array));
        }
        let r = self.decorate(n, r, env)?;
        Ok(normalize(r, n.keep_array))
    }

    fn decorate(&mut self, n: &'a Node, mut r: Value<'a>, env: &Env<'a>) -> JResult<Value<'a>> {
        for p in &n.predicate {
            r = self.filter(p, r, env)?;
        }
        if let Some(g) = &n.group {
            if !matches!(n.kind, NK::Path(..)) {
                r = self.group(&g.pairs, g.pos, r, env)?;
            }
        }
        Ok(r)
    }

    fn eval_kind(&mut self, n: &'a Node, input: &Value<'a>, env: &Env<'a>) -> JResult<Value<'a>> {
        match &n.kind {
            NK::Path(steps, keep) => self.path(n, steps, *keep, input, env),
            NK::Binary(op, l, r) => self.binary(n, *op, l, r, input, env),
            NK::Call(procedure, args, false) => self.call(n, procedure, args, input, env, None),
            NK::Call(procedure, args, true) => self.partial(n, procedure, args, input, env),
            NK::Cond(c, t, e) => self.cond(c, t, e.as_deref(), input, env),
            NK::Block(items) => self.block(items, input, env),
            NK::Apply(l, r) => self.apply_expr(n, l, r, input, env),
            NK::Object(pairs) => self.group(pairs, n.pos, input.clone(), env),
            NK::Array(items) => self.array(n, items, input, env),
            NK::Neg(e) => self.neg(n, e, input, env),
            NK::Bind(s, rhs) => self.bind_expr(*s, rhs, input, env),
            _ => Ok(self.leaf(n, input, env)),
        }
    }

    fn leaf(&mut self, n: &'a Node, input: &Value<'a>, env: &Env<'a>) -> Value<'a> {
        match &n.kind {
            NK::Num(x) => Value::Num(*x),
            NK::Str(s) => Value::str(s),
            NK::Bool(b) => Value::bool(*b),
            NK::Null => Value::null(),
            NK::Name(name) => lookup_field(self.doc, input, name),
            NK::Var(None) => {
                if input.flags() & F_OUTER != 0 {
                    input.item(self.doc, 0)
                } else {
                    input.clone()
                }
            }
            NK::Var(Some(s)) => self.var(*s, env),
            NK::Regex(re) => Value::Func(Rc::new(Func::Regex(re))),
            NK::Wildcard => self.wildcard(input),
            NK::Descendant => self.descendants(input),
            NK::Parent(slot) => env
                .lookup(label_sym(self.slots, *slot))
                .unwrap_or(Value::Undefined),
            NK::Lambda(def) => Value::Func(Rc::new(Func::Lambda {
                def,
                env: env.clone(),
                input: input.clone(),
            })),
            NK::Transform(..) => Value::Func(Rc::new(Func::Transform(n, env.clone()))),
            _ => Value::Undefined,
        }
    }

    /// `l op r`: operands left to right, `and`/`or` short-circuited.
    fn binary(
        &mut self,
        n: &'a Node,
        op: BinOp,
        l: &'a Node,
        r: &'a Node,
        input: &Value<'a>,
        env: &Env<'a>,
    ) -> JResult<Value<'a>> {
        let lhs = self.eval(l, input, env)?;
        if let (BinOp::Eq | BinOp::Ne, Some(lit)) = (op, plain_str(r)) {
            // `x = "literal"` (predicates): compared in place, the literal not copied;
            // undefined equals nothing and differs from nothing, as in `ops::values`.
            if lhs.is_undef() {
                return Ok(Value::bool(false));
            }
            let eq = lhs.as_str(self.doc) == Some(lit);
            return Ok(Value::bool(eq == (op == BinOp::Eq)));
        }
        match op {
            BinOp::And if !self.truthy(&lhs) => return Ok(Value::bool(false)),
            BinOp::Or if self.truthy(&lhs) => return Ok(Value::bool(true)),
            BinOp::And | BinOp::Or => {
                let rhs = self.eval(r, input, env)?;
                return Ok(Value::bool(self.truthy(&rhs)));
            }
            _ => {}
        }
        let rhs = self.eval(r, input, env)?;
        ops::values(self.doc, &mut self.steps, n, op, lhs, rhs)
    }

    fn neg(
        &mut self,
        n: &'a Node,
        e: &'a Node,
        input: &Value<'a>,
        env: &Env<'a>,
    ) -> JResult<Value<'a>> {
        let v = self.eval(e, input, env)?;
        if v.is_undef() {
            return Ok(Value::Undefined);
        }
        match v.num(self.doc) {
            Some(x) => Ok(Value::Num(-x)),
            None => Err(JsonataError::new("D1002", n.pos)
                .tok("-")
                .val(self.show(&v))),
        }
    }

    fn array(
        &mut self,
        n: &'a Node,
        items: &'a [Node],
        input: &Value<'a>,
        env: &Env<'a>,
    ) -> JResult<Value<'a>> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let v = self.eval(item, input, env)?;
            if v.is_undef() {
                continue;
            }
            if matches!(item.kind, NK::Array(_)) || !v.is_array(self.doc) {
                out.push(v);
            } else {
                out.extend(v.items(self.doc));
            }
        }
        let v = Value::array(out);
        if n.cons_array {
            if let Value::Arr(s) = &v {
                s.flags.set(F_CONS);
            }
        }
        Ok(v)
    }

    fn cond(
        &mut self,
        c: &'a Node,
        t: &'a Node,
        e: Option<&'a Node>,
        input: &Value<'a>,
        env: &Env<'a>,
    ) -> JResult<Value<'a>> {
        let cv = self.eval(c, input, env)?;
        if self.truthy(&cv) {
            return self.eval(t, input, env);
        }
        match e {
            Some(e) => self.eval(e, input, env),
            None => Ok(Value::Undefined),
        }
    }

    fn block(&mut self, items: &'a [Node], input: &Value<'a>, env: &Env<'a>) -> JResult<Value<'a>> {
        let frame = Frame::child(env);
        let mut r = Value::Undefined;
        for item in items {
            r = self.eval(item, input, &frame)?;
        }
        Ok(r)
    }

    fn bind_expr(
        &mut self,
        s: Sym,
        rhs: &'a Node,
        input: &Value<'a>,
        env: &Env<'a>,
    ) -> JResult<Value<'a>> {
        let v = self.eval(rhs, input, env)?;
        self.bind(env, s, v.clone());
        Ok(v)
    }

    /// Binds a variable, remembering scopes that may form reference cycles.
    pub(crate) fn bind(&mut self, env: &Env<'a>, s: Sym, v: Value<'a>) {
        if !matches!(
            v,
            Value::Json(_) | Value::Num(_) | Value::Str(_) | Value::Undefined
        ) {
            self.cyclic.push(Rc::downgrade(env));
        }
        env.bind(s, v);
    }

    /// The value of variable `s`: scopes, then the host's bindings, then built-ins.
    pub(crate) fn var(&mut self, s: Sym, env: &Env<'a>) -> Value<'a> {
        if let Some(v) = env.lookup(s) {
            return v;
        }
        if s & LABEL_BIT != 0 || s == SYM_AT || s == SYM_ROOT {
            return Value::Undefined;
        }
        let name = &self.names[s as usize];
        if let Some(v) = self.host.variable(name) {
            return Value::Json(v);
        }
        match self.builtins[s as usize] {
            Some(b) => Value::Func(Rc::new(Func::Builtin(b))),
            None => Value::Undefined,
        }
    }

    /// Whether a variable called `name` (a field name used as a function) is bound.
    pub(crate) fn name_bound(&mut self, name: &str, env: &Env<'a>) -> bool {
        match self.names.iter().position(|n| n == name) {
            Some(s) => !self.var(s as Sym, env).is_undef(),
            None => self.host.variable(name).is_some() || Builtin::by_name(name).is_some(),
        }
    }

    /// jsonata's `boolean` cast, undefined being false.
    pub(crate) fn truthy(&self, v: &Value<'a>) -> bool {
        boolean(self.doc, v).unwrap_or(false)
    }

    /// A short rendering of a value for error messages.
    pub(crate) fn show(&self, v: &Value<'a>) -> String {
        show(self.doc, v)
    }

    /// Builds the final result in the document.
    pub(crate) fn finish(&mut self, v: Value<'a>) -> JResult<Option<crate::json::Val>> {
        // Every node's evaluation already unwrapped a singleton sequence once,
        // as jsonata-js does; a sequence left inside one (a tail call's result
        // collected by `$map`) stays an array, as there.
        match &v {
            Value::Func(_) => Err(JsonataError::new("U1003", 0).val("function")),
            Value::Num(x) if !x.is_finite() => {
                Err(JsonataError::new("D1001", 0).val(js_number(*x)))
            }
            _ => Ok(v.to_doc(self.doc)),
        }
    }
}

/// The text of a string literal with nothing attached (no predicate, stage or group).
pub(crate) fn plain_str(n: &Node) -> Option<&str> {
    match &n.kind {
        NK::Str(s)
            if n.predicate.is_empty()
                && n.stages.is_empty()
                && n.group.is_none()
                && !n.keep_array =>
        {
            Some(s)
        }
        _ => None,
    }
}

fn over_budget(pos: usize) -> Box<JsonataError> {
    let mut e = JsonataError::custom(
        "U1001",
        "Expression evaluation exceeded its budget of steps, tail calls or time: check for non-terminating recursion".into(),
    );
    e.position = pos;
    e
}

/// jsonata's end-of-evaluate step: empty sequences are undefined and singletons unwrap unless kept.
pub(crate) fn normalize(r: Value<'_>, keep: bool) -> Value<'_> {
    if let Value::Arr(s) = &r {
        let f = s.flags.get();
        if f & F_SEQ != 0 {
            if keep {
                s.flags.set(f | F_KEEP);
            }
            match s.items.len() {
                0 => return Value::Undefined,
                1 if !keep && f & F_KEEP == 0 => return s.items[0].clone(),
                _ => {}
            }
        }
    }
    r
}
