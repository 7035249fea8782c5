//! Location paths: steps over sequences, tuple streams (`@`, `#`, `%`),
//! predicates, wildcards, descendants, grouping and order-by.

use super::ancestry::label_sym;
use super::ast::{Node, Stage, Sym, NK, SYM_AT};
use super::error::JResult;
use super::eval::Ev;
use super::value::{tuple_ctx, Env, Frame, Tuple, Value, F_CONS, F_KEEP, F_OUTER, F_SEQ, K};
use crate::json::Ref;
use std::cell::RefCell;
use std::rc::Rc;

/// Sets binding `s` in a tuple (replacing it when present).
pub(crate) fn tset<'a>(t: &mut Vec<(Sym, Value<'a>)>, s: Sym, v: Value<'a>) {
    match t.iter_mut().find(|(k, _)| *k == s) {
        Some(slot) => slot.1 = v,
        None => t.push((s, v)),
    }
}

/// Binding `s` of a tuple (undefined when absent).
pub(crate) fn tget<'a>(t: &[(Sym, Value<'a>)], s: Sym) -> Value<'a> {
    t.iter()
        .find(|(k, _)| *k == s)
        .map_or(Value::Undefined, |(_, v)| v.clone())
}

/// A scope over `env` holding a tuple's bindings.
pub(crate) fn tuple_frame<'a>(env: &Env<'a>, t: &[(Sym, Value<'a>)]) -> Env<'a> {
    Rc::new(Frame {
        vars: RefCell::new(t.to_vec()),
        parent: Some(env.clone()),
    })
}

impl<'a> Ev<'a, '_> {
    /// Evaluates a path.
    pub(crate) fn path(
        &mut self,
        n: &'a Node,
        steps: &'a [Node],
        keep: bool,
        input: &Value<'a>,
        env: &Env<'a>,
    ) -> JResult<Value<'a>> {
        if let Some(v) = self.simple_path(n, steps, keep, input) {
            return Ok(v);
        }
        let mut input_seq = if input.is_array(self.doc) && !matches!(steps[0].kind, NK::Var(_)) {
            input.clone()
        } else {
            Value::seq(vec![input.clone()])
        };
        let mut result = Value::Undefined;
        let mut tuples: Option<Vec<Tuple<'a>>> = None;
        let mut is_tuple = false;
        let last = steps.len() - 1;
        for (i, step) in steps.iter().enumerate() {
            if step.tuple {
                is_tuple = true;
            }
            if i == 0 && step.cons_array {
                result = self.eval(step, &input_seq, env)?;
            } else if is_tuple {
                tuples = Some(self.tuple_step(step, &input_seq, tuples.take(), env)?);
            } else {
                result = self.step(step, &input_seq, env, i == last)?;
            }
            if !is_tuple
                && (result.is_undef() || (result.is_array(self.doc) && result.len(self.doc) == 0))
            {
                break;
            }
            if step.focus.is_none() {
                input_seq = result.clone();
            }
        }
        let mut tuple_stream = None;
        if is_tuple {
            let ts = Rc::new(tuples.unwrap_or_default());
            result = if n.tuple {
                Value::Tuples(ts.clone())
            } else {
                Value::seq(ts.iter().map(tuple_ctx).collect())
            };
            tuple_stream = Some(ts);
        }
        if keep {
            let f = result.flags();
            if f & F_CONS != 0 && f & F_SEQ == 0 {
                result = Value::seq(vec![result]);
            }
            match &result {
                Value::Arr(s) => s.flags.set(s.flags.get() | F_KEEP),
                Value::Undefined => result = keep_seq(Vec::new()),
                _ => {}
            }
        }
        if let Some(g) = &n.group {
            let input = match tuple_stream {
                Some(ts) => Value::Tuples(ts),
                None => result,
            };
            result = self.group(&g.pairs, g.pos, input, env)?;
        }
        Ok(result)
    }

    fn step(
        &mut self,
        step: &'a Node,
        input: &Value<'a>,
        env: &Env<'a>,
        last: bool,
    ) -> JResult<Value<'a>> {
        if let NK::Sort(terms) = &step.kind {
            let mut r = self.sort_values(step, terms, input, env)?;
            for st in &step.stages {
                if let Stage::Filter(p) = st {
                    r = self.filter(p, r, env)?;
                }
            }
            return Ok(r);
        }
        let items = input.items(self.doc);
        let mut results = Vec::with_capacity(items.len());
        for item in &items {
            let mut res = self.eval(step, item, env)?;
            for st in &step.stages {
                if let Stage::Filter(p) = st {
                    res = self.filter(p, res, env)?;
                }
            }
            if !res.is_undef() {
                results.push(res);
            }
        }
        if last && results.len() == 1 && results[0].is_array(self.doc) && !results[0].is_seq() {
            return Ok(results.pop().unwrap_or(Value::Undefined));
        }
        let mut out = Vec::with_capacity(results.len());
        for r in results {
            if !r.is_array(self.doc) || r.flags() & F_CONS != 0 {
                out.push(r);
            } else {
                out.extend(r.items(self.doc));
            }
        }
        Ok(Value::seq(out))
    }

    fn tuple_step(
        &mut self,
        step: &'a Node,
        input: &Value<'a>,
        tuples: Option<Vec<Tuple<'a>>>,
        env: &Env<'a>,
    ) -> JResult<Vec<Tuple<'a>>> {
        if let NK::Sort(terms) = &step.kind {
            let mut result = match tuples {
                Some(tb) => self.sort_tuples(step, terms, tb, env)?,
                None => {
                    let sorted = self.sort_values(step, terms, input, env)?;
                    let items = sorted.items(self.doc);
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let mut t = vec![(SYM_AT, v)];
                            if let Some(ix) = step.index {
                                t.push((ix, Value::Num(i as f64)));
                            }
                            Rc::new(t)
                        })
                        .collect()
                }
            };
            result = self.stages(&step.stages, result, env)?;
            return Ok(result);
        }
        let tb = match tuples {
            Some(tb) => tb,
            None => input
                .items(self.doc)
                .into_iter()
                .map(|v| Rc::new(vec![(SYM_AT, v)]))
                .collect(),
        };
        let mut out = Vec::new();
        for t in &tb {
            let step_env = tuple_frame(env, t);
            let ctx = tuple_ctx(t);
            let res = self.eval(step, &ctx, &step_env)?;
            if res.is_undef() {
                continue;
            }
            if let Value::Tuples(rt) = &res {
                for r in rt.iter() {
                    let mut nt = (**t).clone();
                    for (k, v) in r.iter() {
                        tset(&mut nt, *k, v.clone());
                    }
                    out.push(Rc::new(nt));
                }
                continue;
            }
            let items = if res.is_array(self.doc) {
                res.items(self.doc)
            } else {
                vec![res]
            };
            for (bb, r) in items.into_iter().enumerate() {
                let mut nt = (**t).clone();
                match step.focus {
                    Some(f) => tset(&mut nt, f, r),
                    None => tset(&mut nt, SYM_AT, r),
                }
                if let Some(ix) = step.index {
                    tset(&mut nt, ix, Value::Num(bb as f64));
                }
                if let Some(a) = step.ancestor {
                    tset(&mut nt, label_sym(self.slots, a), ctx.clone());
                }
                out.push(Rc::new(nt));
            }
        }
        self.stages(&step.stages, out, env)
    }

    fn stages(
        &mut self,
        stages: &'a [Stage],
        mut ts: Vec<Tuple<'a>>,
        env: &Env<'a>,
    ) -> JResult<Vec<Tuple<'a>>> {
        for st in stages {
            match st {
                Stage::Filter(p) => {
                    ts = match self.filter(p, Value::Tuples(Rc::new(ts)), env)? {
                        Value::Tuples(t) => Rc::try_unwrap(t).unwrap_or_else(|t| (*t).clone()),
                        _ => Vec::new(),
                    };
                }
                Stage::Index(s) => {
                    for (i, t) in ts.iter_mut().enumerate() {
                        tset(Rc::make_mut(t), *s, Value::Num(i as f64));
                    }
                }
            }
        }
        Ok(ts)
    }

    /// Applies a predicate `[expr]` to a value or tuple stream.
    pub(crate) fn filter(
        &mut self,
        pred: &'a Node,
        input: Value<'a>,
        env: &Env<'a>,
    ) -> JResult<Value<'a>> {
        if let Value::Tuples(ts) = &input {
            let len = ts.len();
            let mut out = Vec::new();
            if let NK::Num(x) = pred.kind {
                if let Some(i) = index_of(x, len) {
                    out.push(ts[i].clone());
                }
            } else {
                for (index, t) in ts.iter().enumerate() {
                    let fenv = tuple_frame(env, t);
                    let res = self.eval(pred, &tuple_ctx(t), &fenv)?;
                    for _ in 0..self.selects(&res, index, len) {
                        out.push(t.clone());
                    }
                }
            }
            return Ok(Value::Tuples(Rc::new(out)));
        }
        if input.is_undef() {
            // jsonata-js filters `undefined` as a one-item sequence: a predicate
            // other than a number literal is evaluated once with no context, so
            // its errors surface; when it selects, the next filter sees the same.
            if !matches!(pred.kind, NK::Num(_)) {
                let res = self.eval(pred, &Value::Undefined, env)?;
                if self.selects(&res, 0, 1) > 0 {
                    return Ok(Value::Undefined);
                }
            }
            return Ok(Value::seq(Vec::new()));
        }
        if let (Value::Json(arr), false) = (&input, matches!(pred.kind, NK::Num(_))) {
            if let Ref::Array(a) = self.doc.get(*arr) {
                // An array in the document: its items by index, without copying them out.
                let (arr, len) = (*arr, a.len());
                let mut out = Vec::new();
                for index in 0..len {
                    let Ref::Array(a) = self.doc.get(arr) else {
                        break;
                    };
                    let item = Value::Json(a[index]);
                    let res = self.eval(pred, &item, env)?;
                    for _ in 0..self.selects(&res, index, len) {
                        out.push(item.clone());
                    }
                }
                return Ok(Value::seq(out));
            }
        }
        let items = if input.is_array(self.doc) {
            input.items(self.doc)
        } else {
            vec![input]
        };
        let len = items.len();
        let mut out = Vec::new();
        if let NK::Num(x) = pred.kind {
            if let Some(i) = index_of(x, len) {
                let item = items[i].clone();
                if item.is_array(self.doc) {
                    return Ok(item);
                }
                out.push(item);
            }
        } else {
            for (index, item) in items.iter().enumerate() {
                let res = self.eval(pred, item, env)?;
                for _ in 0..self.selects(&res, index, len) {
                    out.push(item.clone());
                }
            }
        }
        Ok(Value::seq(out))
    }

    /// How many times item `index` of `len` is selected by predicate value `res`:
    /// once per matching index in an array of numbers (jsonata-js pushes the item
    /// for each: `nums[[0, 0]]` is `[nums[0], nums[0]]`), else 0 or 1.
    fn selects(&mut self, res: &Value<'a>, index: usize, len: usize) -> usize {
        if let Some(x) = res.num(self.doc) {
            return usize::from(index_of(x, len) == Some(index));
        }
        if res.is_array(self.doc) {
            let items = res.items(self.doc);
            if items.iter().all(|v| v.kind(self.doc) == K::Num) {
                return items
                    .iter()
                    .filter(|v| index_of(v.num(self.doc).unwrap_or(f64::NAN), len) == Some(index))
                    .count();
            }
        }
        usize::from(self.truthy(res))
    }

    /// `*`: the values of an object's members, arrays flattened.
    pub(crate) fn wildcard(&mut self, input: &Value<'a>) -> Value<'a> {
        let mut input = input.clone();
        if input.flags() & F_OUTER != 0 && input.len(self.doc) > 0 {
            input = input.item(self.doc, 0);
        }
        let values: Vec<Value<'a>> = match input.kind(self.doc) {
            K::Obj => input
                .entries(self.doc)
                .into_iter()
                .map(|(_, v)| v)
                .collect(),
            K::Arr => input.items(self.doc),
            _ => Vec::new(),
        };
        let mut out = Vec::new();
        for v in values {
            if v.is_array(self.doc) {
                self.flatten_into(&v, &mut out);
            } else {
                out.push(v);
            }
        }
        Value::seq(out)
    }

    fn flatten_into(&self, v: &Value<'a>, out: &mut Vec<Value<'a>>) {
        if v.is_array(self.doc) {
            for x in v.items(self.doc) {
                self.flatten_into(&x, out);
            }
        } else {
            out.push(v.clone());
        }
    }

    /// `**`: every value below (and including) the context.
    pub(crate) fn descendants(&mut self, input: &Value<'a>) -> Value<'a> {
        if input.is_undef() {
            return Value::Undefined;
        }
        let mut out = Vec::new();
        self.recurse(input, &mut out);
        if out.len() == 1 {
            out.pop().unwrap_or(Value::Undefined)
        } else {
            Value::seq(out)
        }
    }

    fn recurse(&self, v: &Value<'a>, out: &mut Vec<Value<'a>>) {
        match v.kind(self.doc) {
            K::Arr => {
                for x in v.items(self.doc) {
                    self.recurse(&x, out);
                }
            }
            K::Obj => {
                out.push(v.clone());
                for (_, x) in v.entries(self.doc) {
                    self.recurse(&x, out);
                }
            }
            _ => out.push(v.clone()),
        }
    }
}

/// A kept (`[]`) sequence of `items`.
pub(crate) fn keep_seq(items: Vec<Value<'_>>) -> Value<'_> {
    let v = Value::seq(items);
    if let Value::Arr(s) = &v {
        s.flags.set(F_SEQ | F_KEEP);
    }
    v
}

fn index_of(x: f64, len: usize) -> Option<usize> {
    let mut i = x.floor();
    if i < 0.0 {
        i += len as f64;
    }
    if i >= 0.0 && (i as usize) < len && i.is_finite() {
        Some(i as usize)
    } else {
        None
    }
}
