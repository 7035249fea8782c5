//! Expressions of the differential test: a type-directed generator over the
//! documents' schema (`doc.rs`), so most paths hit and most calls are well
//! typed, with now and then an ill-typed operand to compare error codes.
//!
//! Left out on purpose: `$now`, `$millis`, `$random`, `$uuid` and `$shuffle`
//! (nondeterministic); `$eval` (removed by Step Functions); `$partition`,
//! `$range`, `$hash` and `$parse` (AWS additions, not in jsonata-js); a
//! function as the result (U1003 in Step Functions, a value in jsonata-js;
//! the oracle maps it to U1003).

use super::doc::{num, word};
use super::rng::Rng;

/// The kind of value an expression should produce.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum T {
    /// A number.
    Num,
    /// A string.
    Str,
    /// A boolean.
    Bool,
    /// An array.
    Arr,
    /// An object.
    Obj,
}

/// What `$` is where an expression stands.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Ctx {
    /// The document.
    Root,
    /// One of `items`.
    Item,
    /// A number (inside `nums[…]`).
    Num,
}

/// A lambda parameter in scope and the kind of its value.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Elem {
    /// A number.
    Num,
    /// A string.
    Str,
    /// One of `items`.
    Item,
}

/// The generator's state: the random stream and the variables in scope.
pub(super) struct Gen<'r> {
    pub(super) r: &'r mut Rng,
    pub(super) vars: Vec<(String, Elem)>,
}

/// Every kind, to pick from.
pub(super) const TYPES: &[T] = &[T::Num, T::Str, T::Bool, T::Arr, T::Obj];

/// A random expression.
pub(crate) fn expression(r: &mut Rng) -> String {
    let mut g = Gen {
        r,
        vars: Vec::new(),
    };
    let t = *g.r.pick(TYPES);
    let depth = 1 + g.r.below(4);
    g.gen(t, depth, Ctx::Root)
}

/// A document field as seen from `c`: itself at the top, through `$$` elsewhere.
/// (A field that is missing where a predicate runs, inside a grouping, gives
/// jsonata-js an array of undefined: `items{"k": foo[true]}` is `{"k": [null, null]}`.)
pub(super) fn root(c: Ctx, field: &str) -> String {
    match c {
        Ctx::Root => field.to_string(),
        _ => format!("$$.{field}"),
    }
}

/// A number literal (negative ones in parentheses).
pub(super) fn lit_num(r: &mut Rng) -> String {
    let x = num(r);
    if x < 0.0 {
        format!("({x})")
    } else {
        format!("{x}")
    }
}

/// A string literal from the pool.
pub(super) fn lit_str(r: &mut Rng) -> String {
    serde_json::to_string(word(r)).unwrap_or_default()
}

impl Gen<'_> {
    /// A variable in scope holding an `e`, if any.
    fn var(&mut self, e: Elem) -> Option<String> {
        let vs: Vec<String> = self
            .vars
            .iter()
            .filter(|(_, k)| *k == e)
            .map(|(n, _)| n.clone())
            .collect();
        if vs.is_empty() {
            None
        } else {
            Some(self.r.pick(&vs).clone())
        }
    }

    /// A literal, a field or a variable of kind `t`.
    pub(super) fn leaf(&mut self, t: T, c: Ctx) -> String {
        if self.r.chance(3) {
            if let Some(v) = match t {
                T::Num => self.var(Elem::Num),
                T::Str => self.var(Elem::Str),
                T::Obj => self.var(Elem::Item),
                _ => None,
            } {
                return v;
            }
            if let (Some(v), T::Num | T::Str | T::Bool) = (self.var(Elem::Item), t) {
                let f = match t {
                    T::Num => *self.r.pick(&["price", "qty", "id"]),
                    T::Str => "status",
                    _ => "ok",
                };
                return format!("{v}.{f}");
            }
        }
        let r = &mut *self.r;
        match (t, c) {
            (T::Num, Ctx::Item) => r.pick(&["price", "qty", "id", "$$.n"]).to_string(),
            (T::Num, Ctx::Num) => "$".to_string(),
            (T::Num, _) => match r.below(6) {
                0 | 1 => lit_num(r),
                2 => r.pick(&["n", "k", "obj.a", "obj.c.d"]).to_string(),
                3 => format!("items[{}].price", r.below(3)),
                4 => format!("nums[{}]", r.below(4) as i32 - 1),
                _ => r.below(10).to_string(),
            },
            (T::Str, Ctx::Item) => r.pick(&["status", "tags[0]", "$string(id)"]).to_string(),
            (T::Str, _) => match r.below(3) {
                0 => lit_str(r),
                _ => r
                    .pick(&[
                        "name",
                        "first",
                        "last",
                        "obj.b",
                        "tags[0]",
                        "items[0].status",
                    ])
                    .to_string(),
            },
            (T::Bool, Ctx::Item) => r.pick(&["ok", "true", "false"]).to_string(),
            (T::Bool, _) => r
                .pick(&["flag", "true", "false", "items[0].ok"])
                .to_string(),
            (T::Arr, Ctx::Item) => r.pick(&["tags", "[price, qty]", "$$.nums"]).to_string(),
            (T::Arr, _) => r
                .pick(&[
                    "nums",
                    "tags",
                    "items.price",
                    "items.qty",
                    "items.status",
                    "items.tags",
                    "obj.e",
                    "[1, 2, 3]",
                    "[]",
                    "items.id",
                ])
                .to_string(),
            (T::Obj, Ctx::Item) => "$".to_string(),
            (T::Obj, _) => r
                .pick(&["obj", "items[0]", "obj.c", "{\"a\": 1, \"b\": \"x\"}"])
                .to_string(),
        }
    }

    /// An expression of kind `t` at most `d` levels deep, with `$` being `c`.
    pub(super) fn gen(&mut self, t: T, d: usize, c: Ctx) -> String {
        if d == 0 || self.r.chance(5) {
            return self.leaf(t, c);
        }
        let d = d - 1;
        // Now and then anything, for type errors and coercions.
        if self.r.chance(25) {
            let u = *self.r.pick(TYPES);
            return self.gen(u, d, c);
        }
        match self.r.below(8) {
            0 => {
                let k = self.gen(T::Bool, d, c);
                let a = self.gen(t, d, c);
                let b = self.gen(t, d, c);
                return format!("({k} ? {a} : {b})");
            }
            1 => {
                let x = format!("$x{}", self.vars.len());
                let (e, v) = match self.r.below(3) {
                    0 => (Elem::Str, self.gen(T::Str, d, c)),
                    _ => (Elem::Num, self.gen(T::Num, d, c)),
                };
                self.vars.push((x.clone(), e));
                let body = self.gen(t, d, c);
                self.vars.pop();
                return format!("({x} := {v}; {body})");
            }
            _ => {}
        }
        match t {
            T::Num => self.num(d, c),
            T::Str => self.str(d, c),
            T::Bool => self.bool(d, c),
            T::Arr => self.arr(d, c),
            T::Obj => self.obj(d, c),
        }
    }
}
