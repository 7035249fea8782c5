//! The evaluator's values: JSON in the caller's [`Doc`] (by handle), plus
//! what JSON cannot hold (undefined, sequences with their flags, numbers and
//! strings computed on the way, functions, tuple streams).

use super::ast::{LambdaDef, Node, Sym};
use super::builtin::Builtin;
use super::regex::JsRegex;
use crate::json::{Doc, Entry, Ref, Val};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// A sequence (path results), not a plain array.
pub(crate) const F_SEQ: u8 = 1;
/// Keep a singleton sequence as an array (`[]`).
pub(crate) const F_KEEP: u8 = 2;
/// The top-level input array wrapped in a one-item sequence.
pub(crate) const F_OUTER: u8 = 4;
/// An array constructor that a path step must not flatten.
pub(crate) const F_CONS: u8 = 8;

/// A value during evaluation.
#[derive(Clone, Debug)]
pub(crate) enum Value<'a> {
    /// No value.
    Undefined,
    /// A JSON value stored in the document.
    Json(Val),
    /// A computed number.
    Num(f64),
    /// A computed string.
    Str(Rc<str>),
    /// A computed array or a sequence.
    Arr(Rc<Seq<'a>>),
    /// A computed object.
    Obj(Rc<ObjV<'a>>),
    /// A function.
    Func(Rc<Func<'a>>),
    /// A tuple stream (paths with `@`, `#` or `%`).
    Tuples(Rc<Vec<Tuple<'a>>>),
}

/// Items of an array or sequence, and its flags.
#[derive(Debug)]
pub(crate) struct Seq<'a> {
    /// The items.
    pub(crate) items: Vec<Value<'a>>,
    /// `F_*` flags.
    pub(crate) flags: Cell<u8>,
}

/// Members of a computed object, in insertion order, keys unique.
#[derive(Debug, Default)]
pub(crate) struct ObjV<'a> {
    /// The members.
    pub(crate) entries: Vec<(Rc<str>, Value<'a>)>,
}

/// One tuple of a tuple stream: bindings, `@` (SYM_AT) being the context.
pub(crate) type Tuple<'a> = Rc<Vec<(Sym, Value<'a>)>>;

/// A function value.
#[derive(Debug)]
pub(crate) enum Func<'a> {
    /// A closure.
    Lambda {
        /// Its definition.
        def: &'a LambdaDef,
        /// The environment it closes over.
        env: Env<'a>,
        /// The context value where it was defined.
        input: Value<'a>,
    },
    /// A built-in function.
    Builtin(Builtin),
    /// A partial application; `None` marks a `?` placeholder.
    Partial(Value<'a>, Vec<Option<Value<'a>>>),
    /// A regex literal used as a matcher function.
    Regex(&'a JsRegex),
    /// A transform `| pattern | update, delete |`.
    Transform(&'a Node, Env<'a>),
    /// `f ~> g` for two functions.
    Chain(Value<'a>, Value<'a>),
}

/// A variable scope.
#[derive(Debug, Default)]
pub(crate) struct Frame<'a> {
    /// Bindings of this scope.
    pub(crate) vars: RefCell<Vec<(Sym, Value<'a>)>>,
    /// The enclosing scope.
    pub(crate) parent: Option<Env<'a>>,
}

/// A shared scope.
pub(crate) type Env<'a> = Rc<Frame<'a>>;

impl<'a> Frame<'a> {
    /// A new scope inside `parent`.
    pub(crate) fn child(parent: &Env<'a>) -> Env<'a> {
        Rc::new(Frame {
            vars: RefCell::new(Vec::new()),
            parent: Some(parent.clone()),
        })
    }

    /// The value bound to `s` in this scope or an enclosing one.
    pub(crate) fn lookup(&self, s: Sym) -> Option<Value<'a>> {
        let mut f = self;
        loop {
            if let Some((_, v)) = f.vars.borrow().iter().rev().find(|(k, _)| *k == s) {
                return Some(v.clone());
            }
            match &f.parent {
                Some(p) => f = p,
                None => return None,
            }
        }
    }

    /// Binds `s` in this scope.
    pub(crate) fn bind(&self, s: Sym, v: Value<'a>) {
        let mut vars = self.vars.borrow_mut();
        if let Some(slot) = vars.iter_mut().find(|(k, _)| *k == s) {
            slot.1 = v;
        } else {
            vars.push((s, v));
        }
    }
}

/// The kind of a value, for type tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum K {
    Undef,
    Null,
    Bool,
    Num,
    Str,
    Arr,
    Obj,
    Func,
}

impl<'a> Value<'a> {
    /// `true` / `false`.
    pub(crate) fn bool(b: bool) -> Self {
        Value::Json(if b { Doc::TRUE } else { Doc::FALSE })
    }

    /// `null`.
    pub(crate) fn null() -> Self {
        Value::Json(Doc::NULL)
    }

    /// A computed string.
    pub(crate) fn str(s: &str) -> Self {
        Value::Str(Rc::from(s))
    }

    /// A sequence of `items`.
    pub(crate) fn seq(items: Vec<Value<'a>>) -> Self {
        Value::Arr(Rc::new(Seq {
            items,
            flags: Cell::new(F_SEQ),
        }))
    }

    /// A plain array of `items`.
    pub(crate) fn array(items: Vec<Value<'a>>) -> Self {
        Value::Arr(Rc::new(Seq {
            items,
            flags: Cell::new(0),
        }))
    }

    /// A computed object.
    pub(crate) fn object(entries: Vec<(Rc<str>, Value<'a>)>) -> Self {
        Value::Obj(Rc::new(ObjV { entries }))
    }

    /// Whether this is undefined.
    pub(crate) fn is_undef(&self) -> bool {
        matches!(self, Value::Undefined)
    }

    /// The value's kind.
    pub(crate) fn kind(&self, doc: &Doc) -> K {
        match self {
            Value::Undefined => K::Undef,
            Value::Json(v) => match doc.get(*v) {
                Ref::Null => K::Null,
                Ref::Bool(_) => K::Bool,
                Ref::Int(_) | Ref::Float(_) => K::Num,
                Ref::Str(_) => K::Str,
                Ref::Array(_) => K::Arr,
                Ref::Object(_) => K::Obj,
            },
            Value::Num(_) => K::Num,
            Value::Str(_) => K::Str,
            Value::Arr(_) | Value::Tuples(_) => K::Arr,
            Value::Obj(_) => K::Obj,
            Value::Func(_) => K::Func,
        }
    }

    /// The signature symbol of the value's type.
    pub(crate) fn sym(&self, doc: &Doc) -> u8 {
        match self.kind(doc) {
            K::Undef => b'm',
            K::Null => b'l',
            K::Bool => b'b',
            K::Num => b'n',
            K::Str => b's',
            K::Arr => b'a',
            K::Obj => b'o',
            K::Func => b'f',
        }
    }

    /// The number, if the value is one.
    pub(crate) fn num(&self, doc: &Doc) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            Value::Json(v) => doc.as_f64(*v),
            _ => None,
        }
    }

    /// The string, if the value is one.
    pub(crate) fn as_str<'s>(&'s self, doc: &'s Doc) -> Option<&'s str> {
        match self {
            Value::Str(s) => Some(s),
            Value::Json(v) => doc.as_str(*v),
            _ => None,
        }
    }

    /// The boolean, if the value is one.
    pub(crate) fn as_bool(&self, doc: &Doc) -> Option<bool> {
        match self {
            Value::Json(v) => doc.as_bool(*v),
            _ => None,
        }
    }

    /// The function, if the value is one.
    pub(crate) fn func(&self) -> Option<&Rc<Func<'a>>> {
        match self {
            Value::Func(f) => Some(f),
            _ => None,
        }
    }

    /// The number of parameters a function declares (what higher-order
    /// functions pass); 0 for a value that is not a function.
    pub(crate) fn arity(&self) -> usize {
        match self {
            Value::Func(f) => match &**f {
                Func::Lambda { def, .. } => def.params.len(),
                Func::Builtin(b) => b.arity(),
                Func::Partial(_, args) => args.iter().filter(|a| a.is_none()).count(),
                Func::Regex(_) => 2,
                Func::Transform(..) | Func::Chain(..) => 1,
            },
            _ => 0,
        }
    }

    /// Whether the value is an array (of any sort, sequences included).
    pub(crate) fn is_array(&self, doc: &Doc) -> bool {
        self.kind(doc) == K::Arr
    }

    /// The flags of a computed array (0 for anything else).
    pub(crate) fn flags(&self) -> u8 {
        match self {
            Value::Arr(s) => s.flags.get(),
            _ => 0,
        }
    }

    /// Whether the value is a sequence.
    pub(crate) fn is_seq(&self) -> bool {
        self.flags() & F_SEQ != 0 || matches!(self, Value::Tuples(_))
    }

    /// Number of items of an array value (1 for others, 0 for undefined).
    pub(crate) fn len(&self, doc: &Doc) -> usize {
        match self {
            Value::Undefined => 0,
            Value::Arr(s) => s.items.len(),
            Value::Tuples(t) => t.len(),
            Value::Json(v) => match doc.get(*v) {
                Ref::Array(a) => a.len(),
                _ => 1,
            },
            _ => 1,
        }
    }

    /// Item `i` of an array value (the value itself at 0 for non-arrays).
    pub(crate) fn item(&self, doc: &Doc, i: usize) -> Value<'a> {
        match self {
            Value::Arr(s) => s.items.get(i).cloned().unwrap_or(Value::Undefined),
            Value::Tuples(t) => t.get(i).map(tuple_ctx).unwrap_or(Value::Undefined),
            Value::Json(v) => match doc.get(*v) {
                Ref::Array(a) => a
                    .get(i)
                    .map(|x| Value::Json(*x))
                    .unwrap_or(Value::Undefined),
                _ if i == 0 => self.clone(),
                _ => Value::Undefined,
            },
            Value::Undefined => Value::Undefined,
            _ if i == 0 => self.clone(),
            _ => Value::Undefined,
        }
    }

    /// The items of an array value, or the value itself as one item (none for undefined).
    pub(crate) fn items(&self, doc: &Doc) -> Vec<Value<'a>> {
        match self {
            Value::Undefined => Vec::new(),
            Value::Arr(s) => s.items.clone(),
            Value::Tuples(t) => t.iter().map(tuple_ctx).collect(),
            Value::Json(v) => match doc.get(*v) {
                Ref::Array(a) => a.iter().map(|x| Value::Json(*x)).collect(),
                _ => vec![self.clone()],
            },
            _ => vec![self.clone()],
        }
    }

    /// Member `name` of an object value.
    pub(crate) fn field(&self, doc: &Doc, name: &str) -> Value<'a> {
        match self {
            Value::Json(v) => doc.field(*v, name).map_or(Value::Undefined, Value::Json),
            Value::Obj(o) => o
                .entries
                .iter()
                .find(|(k, _)| &**k == name)
                .map_or(Value::Undefined, |(_, v)| v.clone()),
            _ => Value::Undefined,
        }
    }

    /// The members of an object value, in order.
    pub(crate) fn entries(&self, doc: &Doc) -> Vec<(Rc<str>, Value<'a>)> {
        match self {
            Value::Json(v) => match doc.get(*v) {
                Ref::Object(o) => o
                    .iter()
                    .map(|(k, x)| (Rc::from(k), Value::Json(x)))
                    .collect(),
                _ => Vec::new(),
            },
            Value::Obj(o) => o.entries.clone(),
            _ => Vec::new(),
        }
    }

    /// Builds the JSON value in `doc` (`None` for undefined and functions;
    /// those become `null` inside arrays and are left out of objects).
    pub(crate) fn to_doc(&self, doc: &mut Doc) -> Option<Val> {
        match self {
            Value::Undefined | Value::Func(_) => None,
            Value::Json(v) => Some(*v),
            Value::Num(n) => Some(num_val(doc, *n)),
            Value::Str(s) => Some(doc.str(s)),
            Value::Arr(s) => {
                let items: Vec<Val> = s
                    .items
                    .iter()
                    .map(|x| x.to_doc(doc).unwrap_or(Doc::NULL))
                    .collect();
                Some(doc.array(&items))
            }
            Value::Tuples(t) => {
                let items: Vec<Val> = t
                    .iter()
                    .map(|x| tuple_ctx(x).to_doc(doc).unwrap_or(Doc::NULL))
                    .collect();
                Some(doc.array(&items))
            }
            Value::Obj(o) => {
                let mut es = Vec::with_capacity(o.entries.len());
                for (k, x) in &o.entries {
                    if let Some(val) = x.to_doc(doc) {
                        let key = doc.key(k);
                        es.push(Entry { key, val });
                    }
                }
                Some(doc.object(&es))
            }
        }
    }
}

/// A number as a document value (integral values as integers).
pub(crate) fn num_val(doc: &mut Doc, n: f64) -> Val {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        doc.int(n as i64)
    } else if n.is_finite() {
        doc.float(n)
    } else {
        Doc::NULL
    }
}

/// The context value (`@`) of a tuple.
pub(crate) fn tuple_ctx<'a>(t: &Tuple<'a>) -> Value<'a> {
    t.iter()
        .find(|(k, _)| *k == super::ast::SYM_AT)
        .map_or(Value::Undefined, |(_, v)| v.clone())
}

/// JSONata's deep equality (`=`).
pub(crate) fn deep_equal<'a>(doc: &Doc, a: &Value<'a>, b: &Value<'a>) -> bool {
    let (ka, kb) = (a.kind(doc), b.kind(doc));
    if ka != kb {
        return false;
    }
    match ka {
        K::Undef => true,
        K::Null => true,
        K::Bool => a.as_bool(doc) == b.as_bool(doc),
        K::Num => a.num(doc) == b.num(doc),
        K::Str => a.as_str(doc) == b.as_str(doc),
        K::Arr => {
            if let (Value::Json(x), Value::Json(y)) = (a, b) {
                return doc.equal(*x, *y);
            }
            let (n, m) = (a.len(doc), b.len(doc));
            n == m && (0..n).all(|i| deep_equal(doc, &a.item(doc, i), &b.item(doc, i)))
        }
        K::Obj => {
            let ea = a.entries(doc);
            let eb = b.entries(doc);
            ea.len() == eb.len()
                && ea.iter().all(|(k, v)| {
                    eb.iter()
                        .find(|(k2, _)| k2 == k)
                        .is_some_and(|(_, w)| deep_equal(doc, v, w))
                })
        }
        K::Func => match (a, b) {
            (Value::Func(x), Value::Func(y)) => Rc::ptr_eq(x, y),
            _ => false,
        },
    }
}
