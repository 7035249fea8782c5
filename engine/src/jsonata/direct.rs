//! Direct evaluation of the expressions Step Functions workflows write most
//! (`$merge([$states.input, {'k': $states.input.a.b + 1}])`, a condition
//! `$states.input.i < $states.input.limit`, an object of paths): planned
//! once at parse time into a small tree that reads and writes arena values
//! straight, with no sequences, environments or boxed values on the way.
//!
//! A plan covers only forms whose JSONata meaning is plain on single values:
//! paths of field names (and a literal index) from a variable, literals,
//! object constructors with literal keys, `$merge` of an array constructor,
//! `$count`, `&`, arithmetic, comparisons, `and`/`or`. Whenever the values
//! met at run time leave that ground (an array inside a path, an operand of
//! the wrong type, anything that would raise an error), the evaluation
//! [`Bail`]s and the general evaluator runs the whole expression instead, so
//! results and errors are the general evaluator's by construction. A plan
//! only adds new nodes to the document, so a bailed attempt changes nothing
//! a reader can see.

use super::ast::{BinOp, Node, Stage, Sym, LABEL_BIT, NK, SYM_AT, SYM_ROOT};
use super::builtin::Builtin;
use super::value::num_val;
use super::Host;
use crate::json::{Doc, Entry, Ref, Val};
use std::cell::RefCell;

/// The general evaluator must run instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bail;

type Out = Result<Option<Val>, Bail>;

/// One step of a planned path after its head variable.
#[derive(Debug)]
pub(crate) struct Step {
    field: Box<str>,
    /// A literal non-negative index after the field (`items[0]`).
    index: Option<usize>,
}

/// A planned expression.
#[derive(Debug)]
pub(crate) enum Plan {
    Str(Box<str>),
    Num(f64),
    Bool(bool),
    Null,
    /// `$name.field[i].field…` (no steps: the variable itself).
    Path(Sym, Box<[Step]>),
    /// `{'k': e, …}`, keys literal and distinct.
    Object(Box<[(Box<str>, Plan)]>),
    /// `$merge([e, …])`: the symbol of `merge`, then the items.
    Merge(Sym, Box<[Plan]>),
    /// `$count(e)`.
    Count(Sym, Box<Plan>),
    /// `a & b & …`, flattened.
    Concat(Box<[Plan]>),
    Binary(BinOp, Box<Plan>, Box<Plan>),
}

/// A free variable's symbol, if `n` is one the plan may read from the host.
fn host_var(n: &Node, builtins: &[Option<Builtin>]) -> Option<Sym> {
    match n.kind {
        NK::Var(Some(s))
            if n.bare()
                && s & LABEL_BIT == 0
                && s != SYM_AT
                && s != SYM_ROOT
                && builtins[s as usize].is_none() =>
        {
            Some(s)
        }
        _ => None,
    }
}

/// The plan of `n`, when every part of it has one.
pub(crate) fn plan(n: &Node, builtins: &[Option<Builtin>]) -> Option<Plan> {
    if !n.bare() && !matches!(n.kind, NK::Path(..)) {
        return None;
    }
    Some(match &n.kind {
        NK::Str(s) => Plan::Str(s.as_str().into()),
        NK::Num(x) => Plan::Num(*x),
        NK::Bool(b) => Plan::Bool(*b),
        NK::Null => Plan::Null,
        NK::Var(_) => Plan::Path(host_var(n, builtins)?, Box::new([])),
        NK::Path(steps, keep) => {
            if *keep || !bare_path_node(n) {
                return None;
            }
            let (head, rest) = steps.split_first()?;
            let var = host_var(head, builtins)?;
            let mut out = Vec::with_capacity(rest.len());
            for s in rest {
                out.push(step(s)?);
            }
            Plan::Path(var, out.into())
        }
        NK::Object(pairs) => {
            let mut out: Vec<(Box<str>, Plan)> = Vec::with_capacity(pairs.len());
            for (k, v) in pairs {
                let NK::Str(key) = &k.kind else { return None };
                if !k.bare() || out.iter().any(|(o, _)| **o == **key) {
                    return None;
                }
                out.push((key.as_str().into(), plan(v, builtins)?));
            }
            Plan::Object(out.into())
        }
        NK::Call(f, args, false) => {
            let NK::Var(Some(s)) = f.kind else {
                return None;
            };
            if !f.bare() || args.len() != 1 {
                return None;
            }
            match builtins[s as usize] {
                Some(Builtin::Merge) => {
                    let NK::Array(items) = &args[0].kind else {
                        return None;
                    };
                    if !args[0].bare() {
                        return None;
                    }
                    let items: Option<Vec<Plan>> =
                        items.iter().map(|i| plan(i, builtins)).collect();
                    Plan::Merge(s, items?.into())
                }
                Some(Builtin::Count) => Plan::Count(s, Box::new(plan(&args[0], builtins)?)),
                _ => return None,
            }
        }
        NK::Binary(BinOp::Concat, ..) => {
            let mut parts = Vec::new();
            concat_parts(n, builtins, &mut parts)?;
            Plan::Concat(parts.into())
        }
        NK::Binary(op, l, r) => match op {
            BinOp::Add
            | BinOp::Sub
            | BinOp::Mul
            | BinOp::Eq
            | BinOp::Ne
            | BinOp::Lt
            | BinOp::Le
            | BinOp::Gt
            | BinOp::Ge
            | BinOp::And
            | BinOp::Or => Plan::Binary(
                *op,
                Box::new(plan(l, builtins)?),
                Box::new(plan(r, builtins)?),
            ),
            _ => return None,
        },
        _ => return None,
    })
}

/// A path node itself carries nothing but its steps.
fn bare_path_node(n: &Node) -> bool {
    n.predicate.is_empty() && n.group.is_none() && !n.keep_array && !n.tuple
}

fn step(s: &Node) -> Option<Step> {
    let NK::Name(name) = &s.kind else { return None };
    let plain = s.predicate.is_empty()
        && s.group.is_none()
        && s.focus.is_none()
        && s.index.is_none()
        && !s.tuple
        && s.ancestor.is_none()
        && !s.keep_array;
    if !plain {
        return None;
    }
    let index = match &s.stages[..] {
        [] => None,
        [Stage::Filter(f)] => match f.kind {
            NK::Num(x) if f.bare() && x >= 0.0 && x.fract() == 0.0 && x < 1e9 => Some(x as usize),
            _ => return None,
        },
        _ => return None,
    };
    Some(Step {
        field: name.as_str().into(),
        index,
    })
}

fn concat_parts(n: &Node, builtins: &[Option<Builtin>], out: &mut Vec<Plan>) -> Option<()> {
    match &n.kind {
        NK::Binary(BinOp::Concat, l, r) if n.bare() => {
            concat_parts(l, builtins, out)?;
            concat_parts(r, builtins, out)
        }
        _ => {
            out.push(plan(n, builtins)?);
            Some(())
        }
    }
}

thread_local! {
    /// Scratch text for `&`, reused so that concatenation allocates only in the document.
    static TEXT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// What a plan evaluates with: the document, the host and the name table.
pub(crate) struct Direct<'d, 'h> {
    pub(crate) doc: &'d mut Doc,
    pub(crate) host: &'h dyn Host,
    pub(crate) names: &'d [String],
}

impl Direct<'_, '_> {
    /// Evaluates `p`; `Ok(None)` is undefined.
    ///
    /// # Errors
    /// [`Bail`] when the general evaluator must decide.
    pub(crate) fn eval(&mut self, p: &Plan) -> Out {
        match p {
            Plan::Str(s) => Ok(Some(self.doc.str(s))),
            Plan::Num(x) => Ok(Some(num_val(self.doc, *x))),
            Plan::Bool(b) => Ok(Some(self.doc.bool(*b))),
            Plan::Null => Ok(Some(Doc::NULL)),
            Plan::Path(var, steps) => self.path(*var, steps),
            Plan::Object(pairs) => {
                let mut b = self.doc.object_builder(pairs.len());
                let mut n = 0;
                for (k, v) in pairs.iter() {
                    // Undefined values are left out of objects.
                    if let Some(val) = self.eval(v)? {
                        let key = self.doc.key(k);
                        self.doc.set_member(&b, n, Entry { key, val });
                        n += 1;
                    }
                }
                Ok(Some(self.doc.finish_object_first(&mut b, n)))
            }
            Plan::Merge(sym, items) => self.merge(*sym, items),
            Plan::Count(sym, arg) => {
                self.builtin_free(*sym)?;
                let n = match self.eval(arg)? {
                    None => 0,
                    Some(v) => self.doc.as_array(v).map_or(1, <[Val]>::len),
                };
                Ok(Some(self.doc.int(n as i64)))
            }
            Plan::Concat(parts) => self.concat(parts),
            Plan::Binary(op, l, r) => self.binary(*op, l, r),
        }
    }

    /// A built-in is called only when no host variable shadows its name.
    fn builtin_free(&self, sym: Sym) -> Result<(), Bail> {
        match self.host.variable(&self.names[sym as usize]) {
            None => Ok(()),
            Some(_) => Err(Bail),
        }
    }

    fn path(&mut self, var: Sym, steps: &[Step]) -> Out {
        let Some(mut cur) = self.host.variable(&self.names[var as usize]) else {
            return Ok(None);
        };
        for s in steps {
            let next = match self.doc.get(cur) {
                Ref::Object(o) => match o.get(&s.field) {
                    Some(v) => v,
                    None => return Ok(None),
                },
                // A field of each item, flattened: the general evaluator's business.
                Ref::Array(_) => return Err(Bail),
                _ => return Ok(None),
            };
            cur = match s.index {
                None => next,
                Some(i) => match self.doc.get(next) {
                    Ref::Array(items) => match items.get(i) {
                        Some(&item) if self.doc.as_array(item).is_some() => return Err(Bail),
                        Some(&item) => item,
                        None => return Ok(None),
                    },
                    _ if i == 0 => next,
                    _ => return Ok(None),
                },
            };
        }
        Ok(Some(cur))
    }

    fn merge(&mut self, sym: Sym, items: &[Plan]) -> Out {
        self.builtin_free(sym)?;
        let mut acc: Option<Val> = None;
        for item in items {
            // An undefined item is left out of the array constructor.
            let Some(v) = self.eval(item)? else { continue };
            // An array would be flattened into the constructor; anything but
            // an object is `$merge`'s type error: both the general evaluator's.
            if self.doc.as_object(v).is_none() {
                return Err(Bail);
            }
            acc = Some(match acc {
                None => v,
                Some(a) => self.doc.merged(a, v),
            });
        }
        Ok(Some(acc.unwrap_or(Doc::EMPTY_OBJECT)))
    }

    fn concat(&mut self, parts: &[Plan]) -> Out {
        let mut vals = [Doc::NULL; 8];
        if parts.len() > vals.len() {
            return Err(Bail);
        }
        for (slot, p) in vals.iter_mut().zip(parts) {
            *slot = match self.eval(p)? {
                None => Doc::NULL,
                Some(v) if self.doc.as_str(v).is_some() => v,
                // `$string` of a number, object …: the general evaluator's.
                Some(_) => return Err(Bail),
            };
        }
        // Undefined operands (NULL here: a null operand bailed above) add nothing.
        TEXT.with(|t| {
            let mut t = t.borrow_mut();
            t.clear();
            for &v in &vals[..parts.len()] {
                if let Some(s) = self.doc.as_str(v) {
                    t.push_str(s);
                }
            }
            Ok(Some(self.doc.str(&t)))
        })
    }

    fn binary(&mut self, op: BinOp, l: &Plan, r: &Plan) -> Out {
        if let BinOp::And | BinOp::Or = op {
            let lb = self.boolean(l)?;
            if lb == (op == BinOp::Or) {
                return Ok(Some(self.doc.bool(lb)));
            }
            let rb = self.boolean(r)?;
            return Ok(Some(self.doc.bool(rb)));
        }
        let (a, b) = (self.eval(l)?, self.eval(r)?);
        match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul => {
                let (Some(a), Some(b)) = (a, b) else {
                    // An undefined operand: undefined, unless the other is not a number.
                    let other = a.or(b);
                    return match other {
                        Some(v) if self.doc.as_f64(v).is_none() => Err(Bail),
                        _ => Ok(None),
                    };
                };
                let (Some(x), Some(y)) = (self.doc.as_f64(a), self.doc.as_f64(b)) else {
                    return Err(Bail);
                };
                let z = match op {
                    BinOp::Add => x + y,
                    BinOp::Sub => x - y,
                    _ => x * y,
                };
                if !z.is_finite() {
                    return Err(Bail);
                }
                Ok(Some(num_val(self.doc, z)))
            }
            BinOp::Eq | BinOp::Ne => {
                let (Some(a), Some(b)) = (a, b) else {
                    return Ok(Some(self.doc.bool(false)));
                };
                let eq = match (self.doc.get(a), self.doc.get(b)) {
                    (Ref::Array(_) | Ref::Object(_), _) | (_, Ref::Array(_) | Ref::Object(_)) => {
                        return Err(Bail)
                    }
                    (Ref::Str(x), Ref::Str(y)) => x == y,
                    (Ref::Bool(x), Ref::Bool(y)) => x == y,
                    (Ref::Null, Ref::Null) => true,
                    _ => match (self.doc.as_f64(a), self.doc.as_f64(b)) {
                        (Some(x), Some(y)) => x == y,
                        _ => false,
                    },
                };
                Ok(Some(self.doc.bool(eq == (op == BinOp::Eq))))
            }
            _ => {
                let (Some(a), Some(b)) = (a, b) else {
                    return Err(Bail);
                };
                let ord = match (self.doc.get(a), self.doc.get(b)) {
                    // JavaScript orders strings by UTF-16 code units.
                    (Ref::Str(x), Ref::Str(y)) => Some(x.encode_utf16().cmp(y.encode_utf16())),
                    _ => match (self.doc.as_f64(a), self.doc.as_f64(b)) {
                        (Some(x), Some(y)) => x.partial_cmp(&y),
                        _ => return Err(Bail),
                    },
                };
                let Some(ord) = ord else { return Err(Bail) };
                let yes = match op {
                    BinOp::Lt => ord.is_lt(),
                    BinOp::Le => ord.is_le(),
                    BinOp::Gt => ord.is_gt(),
                    _ => ord.is_ge(),
                };
                Ok(Some(self.doc.bool(yes)))
            }
        }
    }

    /// An operand of `and`/`or`: only booleans are decided here.
    fn boolean(&mut self, p: &Plan) -> Result<bool, Bail> {
        match self.eval(p)? {
            Some(v) => self.doc.as_bool(v).ok_or(Bail),
            None => Err(Bail),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::FixedHost;
    use super::super::{parse, Budget, Expression};
    use crate::json::Doc;

    /// The shapes Step Functions workflows write most; each has a plan.
    const PLANNED: &[&str] = &[
        "$states.input",
        "$states.input.order.id",
        "$states.input.order.items[0]",
        "$states.input.order.items[1].sku",
        "$merge([$states.input, {'summary': {'id': $states.input.order.id, 'n': 1}}])",
        "$merge([$states.input, {'order': $merge([$states.input.order, {'x': $states.input.order.items[0]}])}])",
        "$merge([$states.input, $states.input.order])",
        "$merge([$states.input.nope, {'a': 1}])",
        "$merge([])",
        "'Hello ' & $states.input.order.customer.name & ' (' & $states.input.tier & ')'",
        "$states.input.count + 1",
        "$states.input.count - $states.input.step * 2",
        "$count($states.input.order.items)",
        "$count($states.input.nope)",
        "$count($states.input.order)",
        "{'id': $states.input.order.id, 'missing': $states.input.nope, 'items': $states.input.order.items}",
        "{'a': null, 'b': true, 'c': 'x', 'd': 2.5}",
        "$states.input.i < $states.input.limit",
        "$states.input.i >= 3 and $states.input.flag",
        "$states.input.flag or $states.input.i = 2",
        "$states.input.name = 'Ada'",
        "$states.input.name != $states.input.other",
        "$states.input.name < $states.input.other",
        "$states.input.order.id = $states.input.order.id",
        "$states.input.order.items.sku",
        "$v.a.b",
        "$v",
    ];

    /// Documents that take every branch: arrays inside paths, wrong types,
    /// missing fields, unicode, nulls.
    const INPUTS: &[&str] = &[
        r#"{"order":{"id":"o-1","items":[{"sku":"a"},{"sku":"b"}],"customer":{"name":"Ada"}},"count":2,"step":3,"i":1,"limit":20,"flag":true,"name":"Ada","other":"Bob","tier":"gold"}"#,
        r#"{"order":{"id":7,"items":[],"customer":{"name":5}},"count":"2","i":"1","limit":"20","flag":1,"name":"\ud83d\ude00","other":"\uffff","tier":null}"#,
        r#"{"order":[{"id":1,"items":[[1],[2]]},{"id":2}],"count":1e308,"step":1e308,"i":2,"limit":2,"flag":false,"name":null}"#,
        r#"{"order":{"items":{"sku":"only"},"customer":[{"name":"A"},{"name":"B"}]},"count":-0.5,"step":0.1,"i":3}"#,
        r#"{"order":{"items":[[{"sku":"n"}]]},"name":"Ada","other":"Ada"}"#,
        r#"[1,2,3]"#,
        r#"{}"#,
        r#""text""#,
    ];

    fn host(doc: &mut Doc, input: &str) -> FixedHost {
        let input = doc.parse(input).unwrap();
        let key = doc.key("input");
        let states = doc.object(&[crate::json::Entry { key, val: input }]);
        let v = doc.parse(r#"{"a":{"b":[1,2]}}"#).unwrap();
        FixedHost {
            vars: vec![("states".into(), states), ("v".into(), v)],
            seed: 1,
        }
    }

    fn run(e: &Expression, input: &str, general: bool) -> Result<String, String> {
        let mut doc = Doc::new();
        let mut h = host(&mut doc, input);
        let r = if general {
            e.evaluate_general(&mut doc, None, &mut h, &Budget::default())
        } else {
            e.evaluate(&mut doc, None, &mut h, &Budget::default())
        };
        r.map(|v| v.map_or("undefined".into(), |v| doc.to_json(v)))
            .map_err(|e| e.code.to_string())
    }

    #[test]
    fn plans_agree_with_the_general_evaluator() {
        let mut direct = 0;
        for src in PLANNED {
            let e = parse(src).unwrap();
            assert!(e.plan.is_some(), "no plan for {src}");
            for input in INPUTS {
                assert_eq!(
                    run(&e, input, false),
                    run(&e, input, true),
                    "{src} on {input}"
                );
                let mut doc = Doc::new();
                let h = host(&mut doc, input);
                let mut d = super::Direct {
                    doc: &mut doc,
                    host: &h,
                    names: &e.names,
                };
                direct += usize::from(d.eval(e.plan.as_ref().unwrap()).is_ok());
            }
        }
        // The plans decide most of these themselves (the rest bail).
        assert!(direct > PLANNED.len() * INPUTS.len() / 2, "{direct}");
    }

    #[test]
    fn the_typical_document_never_bails() {
        // A field of each item of an array is left to the general evaluator.
        for src in PLANNED.iter().filter(|s| !s.ends_with("items.sku")) {
            let e = parse(src).unwrap();
            let mut doc = Doc::new();
            let h = host(&mut doc, INPUTS[0]);
            let mut d = super::Direct {
                doc: &mut doc,
                host: &h,
                names: &e.names,
            };
            assert!(d.eval(e.plan.as_ref().unwrap()).is_ok(), "{src} bailed");
        }
    }

    #[test]
    fn what_plans_do_not_cover() {
        for src in [
            "$states.input.order.items[-1]",
            "$states.input.order.items[sku = 'a']",
            "$states.input.order.items[]",
            "{'a': 1, 'a': 2}",
            "$states.input.count / 2",
            "$sum($states.input.x)",
            "$",
            "$$.x",
            "$merge($states.input.list)",
            "($x := 1; $x)",
            "$states.input.a ? 1 : 2",
        ] {
            assert!(parse(src).unwrap().plan.is_none(), "{src} has a plan");
        }
    }

    #[test]
    fn a_host_variable_named_like_a_builtin_is_not_called() {
        let e = parse("$count($v)").unwrap();
        let mut doc = Doc::new();
        let v = doc.parse("[1,2,3]").unwrap();
        let count = doc.parse("5").unwrap();
        let mut h = FixedHost {
            vars: vec![("v".into(), v), ("count".into(), count)],
            seed: 1,
        };
        let r = e.evaluate(&mut doc, None, &mut h, &Budget::default());
        let g = e.evaluate_general(&mut doc, None, &mut h, &Budget::default());
        assert_eq!(r.map_err(|e| e.code), g.map_err(|e| e.code));
    }
}
