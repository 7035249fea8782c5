//! Function application: calls, the tail-call trampoline, lambdas, partial
//! application, signature validation, `~>` and the transform operator.

use super::ast::{Node, NK};
use super::call::Call;
use super::error::{JResult, JsonataError};
use super::eval::Ev;
use super::functions;
use super::signature::Signature;
use super::value::{Env, Frame, Func, Value, K};
use super::Host;
use crate::json::Doc;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

/// The name a call's procedure is written with (for error messages), or "".
fn proc_name<'a>(ev: &Ev<'a, '_>, p: &'a Node) -> &'a str {
    match &p.kind {
        NK::Path(steps, _) => match &steps[0].kind {
            NK::Name(n) => n,
            _ => "",
        },
        NK::Var(Some(s)) => ev.names.get(*s as usize).map_or("", String::as_str),
        _ => "",
    }
}

fn fill(mut e: Box<JsonataError>, pos: usize, token: &str) -> Box<JsonataError> {
    if e.position == 0 {
        e.position = pos;
    }
    if e.token.is_none() && !token.is_empty() {
        e.token = Some(token.to_string());
    }
    e
}

/// The parts of a tail-call thunk, if `r` is one.
fn thunk_of<'a>(r: &Value<'a>) -> Option<(&'a super::ast::LambdaDef, Env<'a>, Value<'a>)> {
    match r {
        Value::Func(f) => match &**f {
            Func::Lambda { def, env, input } if def.thunk => {
                Some((*def, env.clone(), input.clone()))
            }
            _ => None,
        },
        _ => None,
    }
}

/// A transform's signature, as jsonata-js defines it: an object or an array,
/// giving an object (`false ~> |$|{}|` is T0410).
fn transform_signature() -> &'static Signature {
    static SIG: OnceLock<Signature> = OnceLock::new();
    SIG.get_or_init(|| Signature::parse("<(oa):o>").unwrap_or(Signature { params: Vec::new() }))
}

/// Per matched object: members to set and names to delete.
type Edits<'a> = HashMap<Id, (Vec<(Rc<str>, Value<'a>)>, Vec<String>)>;

/// The identity of a container value (for the transform operator).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Id {
    Val(u32),
    Ptr(usize),
}

fn id_of(v: &Value<'_>) -> Option<Id> {
    match v {
        Value::Json(x) => Some(Id::Val(x.0)),
        Value::Obj(o) => Some(Id::Ptr(Rc::as_ptr(o) as *const u8 as usize)),
        Value::Arr(a) => Some(Id::Ptr(Rc::as_ptr(a) as *const u8 as usize)),
        _ => None,
    }
}

impl<'a> Ev<'a, '_> {
    /// A function call `proc(args)`; `applyto` is the left side of `~>`.
    pub(crate) fn call(
        &mut self,
        n: &'a Node,
        procedure: &'a Node,
        args: &'a [Node],
        input: &Value<'a>,
        env: &Env<'a>,
        applyto: Option<Value<'a>>,
    ) -> JResult<Value<'a>> {
        let proc = self.eval(procedure, input, env)?;
        let name = proc_name(self, procedure);
        if proc.is_undef() && matches!(procedure.kind, NK::Path(..)) && self.name_bound(name, env) {
            return Err(JsonataError::new("T1005", n.pos).tok(name));
        }
        let mut vals = Vec::with_capacity(args.len() + 1);
        if let Some(a) = applyto {
            vals.push(a);
        }
        for a in args {
            vals.push(self.eval(a, input, env)?);
        }
        self.apply(&proc, vals, input, n.pos)
            .map_err(|e| fill(e, n.pos, name))
    }

    /// Applies a function, running the trampoline for tail calls.
    pub(crate) fn apply(
        &mut self,
        proc: &Value<'a>,
        args: Vec<Value<'a>>,
        input: &Value<'a>,
        pos: usize,
    ) -> JResult<Value<'a>> {
        let mut r = self.apply_inner(proc, args, input, pos)?;
        while let Some((def, env, tin)) = thunk_of(&r) {
            let NK::Call(p, a, _) = &def.body.kind else {
                break;
            };
            self.tail_call(def.body.pos)?;
            let next = self.eval(p, &tin, &env)?;
            let mut vals = Vec::with_capacity(a.len());
            for x in a {
                vals.push(self.eval(x, &tin, &env)?);
            }
            let name = proc_name(self, p);
            r = self
                .apply_inner(&next, vals, input, def.body.pos)
                .map_err(|e| fill(e, def.body.pos, name))?;
        }
        Ok(r)
    }

    fn apply_inner(
        &mut self,
        proc: &Value<'a>,
        args: Vec<Value<'a>>,
        input: &Value<'a>,
        pos: usize,
    ) -> JResult<Value<'a>> {
        let Value::Func(f) = proc else {
            return Err(JsonataError::new("T1006", pos));
        };
        match &**f {
            Func::Lambda {
                def,
                env,
                input: lin,
            } => {
                let args = match &def.sig {
                    Some(sig) => self.validate(sig, args, input)?,
                    None => args,
                };
                let frame = Frame::child(env);
                let mut it = args.into_iter();
                for p in &def.params {
                    let v = it.next().unwrap_or(Value::Undefined);
                    self.bind(&frame, *p, v);
                }
                self.eval(&def.body, lin, &frame)
            }
            Func::Builtin(b) => {
                let args = self.validate(b.signature(), args, input)?;
                functions::call(self, *b, args, input)
            }
            Func::Partial(inner, pargs) => {
                let mut it = args.into_iter();
                let full: Vec<Value<'a>> = pargs
                    .iter()
                    .map(|p| match p {
                        Some(v) => v.clone(),
                        None => it.next().unwrap_or(Value::Undefined),
                    })
                    .collect();
                let inner = inner.clone();
                self.apply_inner(&inner, full, input, pos)
            }
            Func::Regex(re) => {
                let s = args.first().cloned().unwrap_or(Value::Undefined);
                match s.as_str(self.doc) {
                    Some(text) => {
                        let text = text.to_string();
                        Ok(functions::regex_match_object(re, &text, 0))
                    }
                    None => Ok(Value::Undefined),
                }
            }
            Func::Transform(node, env) => {
                let args = self.validate(transform_signature(), args, input)?;
                let obj = args.into_iter().next().unwrap_or(Value::Undefined);
                let (node, env) = (*node, env.clone());
                self.transform(node, &env, obj)
            }
            Func::Chain(a, b) => {
                let (a, b) = (a.clone(), b.clone());
                let r = self.apply(&a, args, input, pos)?;
                self.apply(&b, vec![r], input, pos)
            }
        }
    }

    /// Checks and coerces arguments against a signature.
    pub(crate) fn validate(
        &mut self,
        sig: &Signature,
        args: Vec<Value<'a>>,
        context: &Value<'a>,
    ) -> JResult<Vec<Value<'a>>> {
        // The common case: each argument fills its parameter as it is.
        if args.len() == sig.params.len()
            && sig
                .params
                .iter()
                .zip(&args)
                .all(|(p, a)| p.takes_as_is(a.sym(self.doc)))
        {
            return Ok(args);
        }
        let syms: Vec<u8> = args.iter().map(|a| a.sym(self.doc)).collect();
        let Some(groups) = sig.matches(&syms) else {
            let i = sig.bad_index(&syms);
            return Err(JsonataError::new("T0410", 0).val2(i.to_string()));
        };
        let mut out = Vec::with_capacity(sig.params.len());
        let mut ai = 0;
        for (param, (start, len)) in sig.params.iter().zip(groups) {
            if len == 0 {
                if param.context {
                    let cs = context.sym(self.doc);
                    if Signature::context_ok(param, cs) {
                        out.push(context.clone());
                    } else {
                        return Err(JsonataError::new("T0411", 0).val2((ai + 1).to_string()));
                    }
                } else {
                    out.push(args.get(ai).cloned().unwrap_or(Value::Undefined));
                    ai += 1;
                }
                continue;
            }
            for (k, &single) in syms.iter().enumerate().skip(start).take(len) {
                let arg = args.get(k).cloned().unwrap_or(Value::Undefined);
                if param.kind == b'a' {
                    if single == b'm' {
                        out.push(Value::Undefined);
                        ai += 1;
                        continue;
                    }
                    if let Some(sub) = &param.subtype {
                        let want = sub.as_bytes().first().copied().unwrap_or(b'x');
                        let ok = if single != b'a' {
                            sub.len() == 1 && single == want
                        } else {
                            let items = arg.items(self.doc);
                            items.is_empty() || items.iter().all(|x| x.sym(self.doc) == want)
                        };
                        if !ok {
                            let tname = match sub.as_str() {
                                "a" => "arrays",
                                "b" => "booleans",
                                "f" => "functions",
                                "n" => "numbers",
                                "o" => "objects",
                                "s" => "strings",
                                _ => "values",
                            };
                            return Err(JsonataError::new("T0412", 0)
                                .val(tname)
                                .val2((ai + 1).to_string()));
                        }
                    }
                    if single != b'a' {
                        out.push(Value::array(vec![arg]));
                    } else {
                        out.push(arg);
                    }
                } else {
                    out.push(arg);
                }
                ai += 1;
            }
        }
        Ok(out)
    }

    /// A partial application `f(?, x)`.
    pub(crate) fn partial(
        &mut self,
        n: &'a Node,
        procedure: &'a Node,
        args: &'a [Node],
        input: &Value<'a>,
        env: &Env<'a>,
    ) -> JResult<Value<'a>> {
        let mut pargs = Vec::with_capacity(args.len());
        for a in args {
            if matches!(a.kind, NK::Placeholder) {
                pargs.push(None);
            } else {
                pargs.push(Some(self.eval(a, input, env)?));
            }
        }
        let proc = self.eval(procedure, input, env)?;
        let name = proc_name(self, procedure);
        if proc.is_undef() && matches!(procedure.kind, NK::Path(..)) && self.name_bound(name, env) {
            return Err(JsonataError::new("T1007", n.pos).tok(name));
        }
        if proc.kind(self.doc) != K::Func {
            return Err(JsonataError::new("T1008", n.pos).tok(name));
        }
        Ok(Value::Func(Rc::new(Func::Partial(proc, pargs))))
    }

    /// `lhs ~> rhs`.
    pub(crate) fn apply_expr(
        &mut self,
        n: &'a Node,
        l: &'a Node,
        r: &'a Node,
        input: &Value<'a>,
        env: &Env<'a>,
    ) -> JResult<Value<'a>> {
        let lhs = self.eval(l, input, env)?;
        if let NK::Call(p, args, false) = &r.kind {
            return self.call(r, p, args, input, env, Some(lhs));
        }
        let func = self.eval(r, input, env)?;
        if func.kind(self.doc) != K::Func {
            return Err(JsonataError::new("T2006", n.pos).val(self.show(&func)));
        }
        if lhs.kind(self.doc) == K::Func {
            return Ok(Value::Func(Rc::new(Func::Chain(lhs, func))));
        }
        self.apply(&func, vec![lhs], input, n.pos)
    }

    fn transform(&mut self, node: &'a Node, env: &Env<'a>, obj: Value<'a>) -> JResult<Value<'a>> {
        let NK::Transform(pattern, update, delete) = &node.kind else {
            return Ok(Value::Undefined);
        };
        if obj.is_undef() {
            return Ok(Value::Undefined);
        }
        let matches = self.eval(pattern, &obj, env)?;
        let mut edits: Edits<'a> = HashMap::new();
        for m in matches.items(self.doc) {
            let upd = self.eval(update, &m, env)?;
            let mut sets = Vec::new();
            if !upd.is_undef() {
                if upd.kind(self.doc) != K::Obj {
                    return Err(JsonataError::new("T2011", update.pos).val(self.show(&upd)));
                }
                sets = upd.entries(self.doc);
            }
            let mut dels = Vec::new();
            if let Some(d) = delete {
                let dv = self.eval(d, &m, env)?;
                if !dv.is_undef() {
                    let items = if dv.is_array(self.doc) {
                        dv.items(self.doc)
                    } else {
                        vec![dv.clone()]
                    };
                    for x in &items {
                        match x.as_str(self.doc) {
                            Some(s) => dels.push(s.to_string()),
                            None => {
                                return Err(JsonataError::new("T2012", d.pos).val(self.show(&dv)))
                            }
                        }
                    }
                }
            }
            if m.kind(self.doc) != K::Obj {
                continue;
            }
            if let Some(id) = id_of(&m) {
                let e = edits.entry(id).or_default();
                e.0.extend(sets);
                e.1.extend(dels);
            }
        }
        Ok(self.rebuild(&obj, &edits))
    }

    fn rebuild(&mut self, v: &Value<'a>, edits: &Edits<'a>) -> Value<'a> {
        match v.kind(self.doc) {
            K::Arr => {
                let items: Vec<Value<'a>> = v
                    .items(self.doc)
                    .iter()
                    .map(|x| self.rebuild(x, edits))
                    .collect();
                Value::array(items)
            }
            K::Obj => {
                let mut entries: Vec<(Rc<str>, Value<'a>)> = v
                    .entries(self.doc)
                    .iter()
                    .map(|(k, x)| (k.clone(), self.rebuild(x, edits)))
                    .collect();
                if let Some((sets, dels)) = id_of(v).and_then(|id| edits.get(&id)) {
                    for (k, x) in sets {
                        match entries.iter_mut().find(|(k2, _)| k2 == k) {
                            Some(e) => e.1 = x.clone(),
                            None => entries.push((k.clone(), x.clone())),
                        }
                    }
                    entries.retain(|(k, _)| !dels.iter().any(|d| **d == **k));
                }
                Value::object(entries)
            }
            _ => v.clone(),
        }
    }
}

/// Built-ins reach the document, the host and the budget, and call back
/// function values, through this.
impl<'a> Call<'a> for Ev<'a, '_> {
    fn doc(&self) -> &Doc {
        self.doc
    }

    fn doc_mut(&mut self) -> &mut Doc {
        self.doc
    }

    fn host(&mut self) -> &mut dyn Host {
        self.host
    }

    fn charge(&mut self, n: u64) {
        self.steps += n;
    }

    fn call_fn(&mut self, f: &Value<'a>, args: Vec<Value<'a>>) -> JResult<Value<'a>> {
        self.apply(f, args, &Value::Undefined, 0)
    }
}
