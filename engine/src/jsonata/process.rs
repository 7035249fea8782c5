//! The post-parse stage: flattens paths into steps, attaches predicates,
//! grouping, sorting and variable bindings to steps, resolves the parent
//! operator's ancestors, marks tail calls, and interns variable names.

use super::ancestry::{push_ancestry, resolve_ancestry, seek_parent, Slot};
use super::ast::Sym;
use super::ast::{BinOp, Group, LambdaDef, Node, Stage, NK, SYM_ROOT};
use super::error::{JResult, JsonataError};
use super::parser::{PNode, PK};
use super::regex::JsRegex;
use super::signature::Signature;
use super::tail::tail_call;

/// State of the post-parse stage.
pub(crate) struct Processor {
    /// Interned names.
    pub(crate) names: Vec<String>,
    /// Parent slots.
    pub(crate) slots: Vec<Slot>,
}

impl Processor {
    /// A processor with the reserved names interned.
    pub(crate) fn new() -> Self {
        Processor {
            names: vec!["@".into(), "$".into()],
            slots: Vec::new(),
        }
    }

    /// The symbol of `name`, interning it.
    pub(crate) fn intern(&mut self, name: &str) -> Sym {
        if let Some(i) = self.names.iter().position(|n| n == name) {
            return i as Sym;
        }
        self.names.push(name.to_string());
        (self.names.len() - 1) as Sym
    }

    /// Processes the whole tree (with the top-level parent check).
    pub(crate) fn top(&mut self, p: PNode) -> JResult<Node> {
        let n = self.process(p)?;
        if matches!(n.kind, NK::Parent(_)) || !n.seeking.is_empty() {
            return Err(JsonataError::new("S0217", n.pos).tok(n.type_name()));
        }
        Ok(n)
    }

    fn var(&mut self, name: &str) -> Option<Sym> {
        if name.is_empty() {
            None
        } else if name == "$" {
            Some(SYM_ROOT)
        } else {
            Some(self.intern(name))
        }
    }

    fn process(&mut self, p: PNode) -> JResult<Node> {
        let keep = p.keep_array;
        let pos = p.pos;
        let mut n = match p.kind {
            PK::Binary(op, lhs, rhs) => self.binary(op, *lhs, *rhs, pos, keep)?,
            PK::Group(lhs, pairs) => {
                let mut r = self.process(*lhs)?;
                if r.group.is_some() {
                    return Err(JsonataError::new("S0210", pos));
                }
                let mut ps = Vec::new();
                for (k, v) in pairs {
                    ps.push((self.process(k)?, self.process(v)?));
                }
                r.group = Some(Box::new(Group { pairs: ps, pos }));
                r
            }
            PK::Sort(lhs, terms) => {
                let mut r = self.process(*lhs)?;
                if !matches!(r.kind, NK::Path(..)) {
                    r = wrap_path(r);
                }
                let mut sort = Node::new(NK::Sort(Vec::new()), pos);
                let mut ts = Vec::new();
                for (e, desc) in terms {
                    let e = self.process(e)?;
                    push_ancestry(&mut sort, &e);
                    ts.push((e, desc));
                }
                sort.kind = NK::Sort(ts);
                if let NK::Path(steps, _) = &mut r.kind {
                    steps.push(sort);
                }
                resolve_ancestry(&mut self.slots, &mut r)?;
                r
            }
            PK::Array(items) => {
                let mut r = Node::new(NK::Null, pos);
                let mut v = Vec::new();
                for i in items {
                    let x = self.process(i)?;
                    push_ancestry(&mut r, &x);
                    v.push(x);
                }
                r.kind = NK::Array(v);
                r
            }
            PK::Object(pairs) => {
                let mut r = Node::new(NK::Null, pos);
                let mut v = Vec::new();
                for (k, val) in pairs {
                    let k = self.process(k)?;
                    push_ancestry(&mut r, &k);
                    let val = self.process(val)?;
                    push_ancestry(&mut r, &val);
                    v.push((k, val));
                }
                r.kind = NK::Object(v);
                r
            }
            PK::Neg(e) => {
                let e = self.process(*e)?;
                if let NK::Num(x) = e.kind {
                    let mut e = e;
                    e.kind = NK::Num(-x);
                    e
                } else {
                    let mut r = Node::new(NK::Null, pos);
                    push_ancestry(&mut r, &e);
                    r.kind = NK::Neg(Box::new(e));
                    r
                }
            }
            PK::Call(procedure, args, partial) => {
                let mut r = Node::new(NK::Null, pos);
                let mut v = Vec::new();
                for a in args {
                    let a = self.process(a)?;
                    push_ancestry(&mut r, &a);
                    v.push(a);
                }
                let procedure = self.process(*procedure)?;
                r.kind = NK::Call(Box::new(procedure), v, partial);
                r
            }
            PK::Lambda(params, sig, body) => {
                let params = params.iter().map(|p| self.intern(p)).collect();
                let sig = match sig {
                    Some((text, at)) => Some(Signature::parse(&text).map_err(|mut e| {
                        e.position += at;
                        e
                    })?),
                    None => None,
                };
                let body = tail_call(self.process(*body)?);
                Node::new(
                    NK::Lambda(Box::new(LambdaDef {
                        params,
                        sig,
                        body,
                        thunk: false,
                    })),
                    pos,
                )
            }
            PK::Cond(c, t, e) => {
                let mut r = Node::new(NK::Null, pos);
                let c = self.process(*c)?;
                push_ancestry(&mut r, &c);
                let t = self.process(*t)?;
                push_ancestry(&mut r, &t);
                let e = match e {
                    Some(e) => {
                        let e = self.process(*e)?;
                        push_ancestry(&mut r, &e);
                        Some(Box::new(e))
                    }
                    None => None,
                };
                r.kind = NK::Cond(Box::new(c), Box::new(t), e);
                r
            }
            PK::Transform(p, u, d) => {
                let p = self.process(*p)?;
                let u = self.process(*u)?;
                let d = match d {
                    Some(d) => Some(Box::new(self.process(*d)?)),
                    None => None,
                };
                Node::new(NK::Transform(Box::new(p), Box::new(u), d), pos)
            }
            PK::Block(items) => {
                let mut r = Node::new(NK::Null, pos);
                let mut v = Vec::new();
                for i in items {
                    let x = self.process(i)?;
                    push_ancestry(&mut r, &x);
                    let first_cons = match &x.kind {
                        NK::Path(steps, _) => steps.first().is_some_and(|s| s.cons_array),
                        _ => false,
                    };
                    if x.cons_array || first_cons {
                        r.cons_array = true;
                    }
                    v.push(x);
                }
                r.kind = NK::Block(v);
                r
            }
            PK::Name(name) => {
                let mut step = Node::new(NK::Name(name), pos);
                step.keep_array = keep;
                let mut r = wrap_path(step);
                if keep {
                    r.kind = match r.kind {
                        NK::Path(s, _) => NK::Path(s, true),
                        k => k,
                    };
                }
                r
            }
            PK::Parent => {
                let id = self.slots.len() as u32;
                self.slots.push(Slot {
                    label: id,
                    level: 1,
                });
                Node::new(NK::Parent(id), pos)
            }
            PK::Num(x) => Node::new(NK::Num(x), pos),
            PK::Str(s) => Node::new(NK::Str(s), pos),
            PK::Bool(b) => Node::new(NK::Bool(b), pos),
            PK::Null => Node::new(NK::Null, pos),
            PK::Wildcard => Node::new(NK::Wildcard, pos),
            PK::Descendant => Node::new(NK::Descendant, pos),
            PK::Var(v) => {
                let s = self.var(&v);
                Node::new(NK::Var(s), pos)
            }
            PK::Regex(pattern, flags) => {
                let re = JsRegex::new(&pattern, &flags)
                    .map_err(|m| JsonataError::new("S0303", pos).val(m))?;
                Node::new(NK::Regex(Box::new(re)), pos)
            }
            PK::Placeholder => Node::new(NK::Placeholder, pos),
            PK::Operator(op) => {
                if matches!(op, "and" | "or" | "in") {
                    let step = Node::new(NK::Name(op.to_string()), pos);
                    wrap_path(step)
                } else {
                    return Err(JsonataError::new("S0201", pos).tok(op));
                }
            }
            PK::End => return Err(JsonataError::new("S0207", pos)),
        };
        if keep {
            n.keep_array = true;
        }
        Ok(n)
    }

    fn binary(
        &mut self,
        op: &'static str,
        lhs: PNode,
        rhs: PNode,
        pos: usize,
        keep: bool,
    ) -> JResult<Node> {
        match op {
            "." => {
                let lstep = self.process(lhs)?;
                let lparent = match lstep.kind {
                    NK::Parent(s) => Some(s),
                    _ => None,
                };
                let mut result = if matches!(lstep.kind, NK::Path(..)) {
                    lstep
                } else {
                    wrap_path(lstep)
                };
                if let Some(s) = lparent {
                    result.seeking = vec![s];
                }
                let rest = self.process(rhs)?;
                let NK::Path(steps, keep) = &mut result.kind else {
                    unreachable!("a path");
                };
                match rest.kind {
                    NK::Path(rsteps, _) => steps.extend(rsteps),
                    _ => {
                        let mut rest = rest;
                        let preds = std::mem::take(&mut rest.predicate);
                        rest.stages.extend(preds.into_iter().map(Stage::Filter));
                        steps.push(rest);
                    }
                }
                for s in steps.iter_mut() {
                    match &s.kind {
                        NK::Num(x) => {
                            return Err(JsonataError::new("S0213", s.pos).val(x.to_string()))
                        }
                        NK::Bool(b) => {
                            return Err(JsonataError::new("S0213", s.pos).val(b.to_string()))
                        }
                        NK::Null => return Err(JsonataError::new("S0213", s.pos).val("null")),
                        NK::Str(t) => s.kind = NK::Name(t.clone()),
                        _ => {}
                    }
                }
                if steps.iter().any(|s| s.keep_array) {
                    *keep = true;
                }
                if let Some(f) = steps.first_mut() {
                    if matches!(f.kind, NK::Array(_)) {
                        f.cons_array = true;
                    }
                }
                if let Some(l) = steps.last_mut() {
                    if matches!(l.kind, NK::Array(_)) {
                        l.cons_array = true;
                    }
                }
                resolve_ancestry(&mut self.slots, &mut result)?;
                Ok(result)
            }
            "[" => {
                let mut result = self.process(lhs)?;
                let is_path = matches!(result.kind, NK::Path(..));
                let predicate = self.process(rhs)?;
                let step: &mut Node = match &mut result.kind {
                    NK::Path(steps, _) => steps.last_mut().expect("a step"),
                    _ => &mut result,
                };
                if step.group.is_some() {
                    return Err(JsonataError::new("S0209", pos));
                }
                if !predicate.seeking.is_empty() {
                    let seeking = predicate.seeking.clone();
                    for s in seeking {
                        if self.slots[s as usize].level == 1 {
                            seek_parent(&mut self.slots, step, s)?;
                        } else {
                            self.slots[s as usize].level -= 1;
                        }
                    }
                    push_ancestry(step, &predicate);
                }
                if is_path {
                    step.stages.push(Stage::Filter(predicate));
                } else {
                    step.predicate.push(predicate);
                }
                Ok(result)
            }
            ":=" => {
                let name = match &lhs.kind {
                    PK::Var(v) => v.clone(),
                    _ => return Err(JsonataError::new("S0212", lhs.pos)),
                };
                let sym = self.var(&name).unwrap_or(SYM_ROOT);
                let rhs = self.process(rhs)?;
                let mut r = Node::new(NK::Null, pos);
                push_ancestry(&mut r, &rhs);
                r.kind = NK::Bind(sym, Box::new(rhs));
                Ok(r)
            }
            "@" => {
                let mut result = self.process(lhs)?;
                let name = match &rhs.kind {
                    PK::Var(v) => v.clone(),
                    _ => return Err(JsonataError::new("S0214", rhs.pos).tok("@")),
                };
                let sym = self.intern(&name);
                let step: &mut Node = match &mut result.kind {
                    NK::Path(steps, _) => steps.last_mut().expect("a step"),
                    _ => &mut result,
                };
                if !step.stages.is_empty() || !step.predicate.is_empty() {
                    return Err(JsonataError::new("S0215", pos));
                }
                if matches!(step.kind, NK::Sort(_)) {
                    return Err(JsonataError::new("S0216", pos));
                }
                step.focus = Some(sym);
                step.tuple = true;
                if keep {
                    step.keep_array = true;
                }
                Ok(result)
            }
            "#" => {
                let mut result = self.process(lhs)?;
                let name = match &rhs.kind {
                    PK::Var(v) => v.clone(),
                    _ => return Err(JsonataError::new("S0214", rhs.pos).tok("#")),
                };
                let sym = self.intern(&name);
                if !matches!(result.kind, NK::Path(..)) {
                    let mut step = result;
                    let preds = std::mem::take(&mut step.predicate);
                    step.stages.extend(preds.into_iter().map(Stage::Filter));
                    result = wrap_path(step);
                }
                let NK::Path(steps, _) = &mut result.kind else {
                    unreachable!("a path");
                };
                let step = steps.last_mut().expect("a step");
                if step.stages.is_empty() {
                    step.index = Some(sym);
                } else {
                    step.stages.push(Stage::Index(sym));
                }
                step.tuple = true;
                Ok(result)
            }
            "~>" => {
                let l = self.process(lhs)?;
                let r = self.process(rhs)?;
                let keep = l.keep_array || r.keep_array;
                let mut n = Node::new(NK::Apply(Box::new(l), Box::new(r)), pos);
                n.keep_array = keep;
                Ok(n)
            }
            _ => {
                let bop = match op {
                    "+" => BinOp::Add,
                    "-" => BinOp::Sub,
                    "*" => BinOp::Mul,
                    "/" => BinOp::Div,
                    "%" => BinOp::Mod,
                    "=" => BinOp::Eq,
                    "!=" => BinOp::Ne,
                    "<" => BinOp::Lt,
                    "<=" => BinOp::Le,
                    ">" => BinOp::Gt,
                    ">=" => BinOp::Ge,
                    "&" => BinOp::Concat,
                    "and" => BinOp::And,
                    "or" => BinOp::Or,
                    "in" => BinOp::In,
                    ".." => BinOp::Range,
                    _ => return Err(JsonataError::new("S0201", pos).tok(op)),
                };
                let l = self.process(lhs)?;
                let r = self.process(rhs)?;
                let mut n = Node::new(NK::Null, pos);
                push_ancestry(&mut n, &l);
                push_ancestry(&mut n, &r);
                n.kind = NK::Binary(bop, Box::new(l), Box::new(r));
                Ok(n)
            }
        }
    }
}

fn wrap_path(step: Node) -> Node {
    let pos = step.pos;
    Node::new(NK::Path(vec![step], false), pos)
}
