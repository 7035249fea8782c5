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
enum T {
    Num,
    Str,
    Bool,
    Arr,
    Obj,
}

/// What `$` is where an expression stands.
#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    /// The document.
    Root,
    /// One of `items`.
    Item,
    /// A number (inside `nums[…]`).
    Num,
}

/// A lambda parameter in scope and the kind of its value.
#[derive(Clone, Copy, PartialEq)]
enum Elem {
    Num,
    Str,
    Item,
}

/// The generator's state: the random stream and the variables in scope.
pub(crate) struct Gen<'r> {
    r: &'r mut Rng,
    vars: Vec<(String, Elem)>,
}

const TYPES: &[T] = &[T::Num, T::Str, T::Bool, T::Arr, T::Obj];

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
fn root(c: Ctx, field: &str) -> String {
    match c {
        Ctx::Root => field.to_string(),
        _ => format!("$$.{field}"),
    }
}

fn lit_num(r: &mut Rng) -> String {
    let x = num(r);
    if x < 0.0 {
        format!("({x})")
    } else {
        format!("{x}")
    }
}

fn lit_str(r: &mut Rng) -> String {
    serde_json::to_string(word(r)).unwrap_or_default()
}

impl Gen<'_> {
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

    fn leaf(&mut self, t: T, c: Ctx) -> String {
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
    fn gen(&mut self, t: T, d: usize, c: Ctx) -> String {
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

    fn num(&mut self, d: usize, c: Ctx) -> String {
        let r = self.r.below(14);
        let a = self.gen(T::Num, d, c);
        match r {
            0..=3 => {
                let op = *self.r.pick(&["+", "-", "*", "/", "%"]);
                let b = self.gen(T::Num, d, c);
                // No division by zero: an infinite number inside an evaluation is an error in
                // jsonata-js only where it is tested (conditions, `$type`, predicates), and
                // passes elsewhere; our engine checks operands and the result (D1001).
                if matches!(op, "/" | "%") {
                    format!("({a} {op} ($y := {b}; $y = 0 ? 1 : $y))")
                } else {
                    format!("({a} {op} {b})")
                }
            }
            4 => format!("-{a}"),
            5 => {
                let f = *self.r.pick(&["$sum", "$max", "$min", "$average", "$count"]);
                let xs = self.gen(T::Arr, d, c);
                format!("{f}({xs})")
            }
            6 => {
                let s = self.gen(T::Str, d, c);
                format!("$length({s})")
            }
            7 => {
                let f = *self.r.pick(&["$abs", "$floor", "$ceil", "$round", "$sqrt"]);
                format!("{f}({a})")
            }
            8 => format!("$round({a}, {})", self.r.below(4) as i32 - 1),
            9 => {
                let s = self.gen(T::Str, d, c);
                format!("$number({s})")
            }
            10 => {
                let body = self.lambda_body(&["$a", "$b"], Elem::Num, T::Num, d, c);
                format!(
                    "$reduce({}, function($a, $b) {{ {body} }})",
                    root(c, "nums")
                )
            }
            11 => {
                let p = self.pred(d);
                format!("$count({}[{p}])", root(c, "items"))
            }
            12 => format!("$sum({}.(price * qty))", root(c, "items")),
            // Exponents 0 to 2 only: V8's `Math.pow` (fdlibm) is not correctly rounded
            // for others (`$power(99.8, 3)` is 994011.9919999999, the C library's
            // 994011.992), and `%` turns that last-place difference into any other.
            _ => format!("$power({a}, {})", self.r.below(3)),
        }
    }

    fn str(&mut self, d: usize, c: Ctx) -> String {
        let a = self.gen(T::Str, d, c);
        match self.r.below(16) {
            0..=2 => {
                let b = if self.r.chance(3) {
                    self.gen(T::Num, d, c)
                } else {
                    self.gen(T::Str, d, c)
                };
                format!("({a} & {b})")
            }
            3 => format!(
                "{}({a})",
                self.r.pick(&["$uppercase", "$lowercase", "$trim"])
            ),
            4 => format!(
                "$substring({a}, {}, {})",
                self.r.below(5) as i32 - 2,
                self.r.below(4)
            ),
            5 => format!("$substring({a}, {})", self.r.below(4)),
            6 => {
                let f = *self.r.pick(&["$substringBefore", "$substringAfter"]);
                format!("{f}({a}, {})", lit_str(self.r))
            }
            7 => format!("$pad({a}, {}, \"#\")", self.r.below(9) as i32 - 4),
            8 => {
                let t = *self.r.pick(TYPES);
                let x = self.gen(t, d, c);
                format!("$string({x})")
            }
            9 => {
                let xs = self.gen(T::Arr, d, c);
                format!("$join({xs}, \",\")")
            }
            10 => format!("$replace({a}, {}, {})", lit_str(self.r), lit_str(self.r)),
            11 => format!("{a} ~> $uppercase()"),
            12 => {
                let f = *self.r.pick(&[
                    "$formatNumber({x}, \"#,##0.00\")",
                    "$formatBase({x}, 2)",
                    "$formatNumber({x}, \"0.0#\")",
                ]);
                let x = self.gen(T::Num, d, c);
                f.replace("{x}", &x)
            }
            13 => {
                let t = *self.r.pick(TYPES);
                let x = self.gen(t, d, c);
                format!("$type({x})")
            }
            14 => "$uppercase(first) & \" \" & last".to_string(),
            _ => format!("$join($split({a}, \",\"), \"-\")"),
        }
    }

    fn bool(&mut self, d: usize, c: Ctx) -> String {
        match self.r.below(8) {
            0..=2 => {
                let t = *self.r.pick(&[T::Num, T::Num, T::Str]);
                let op = *self.r.pick(&["=", "!=", "<", "<=", ">", ">="]);
                let a = self.gen(t, d, c);
                let b = self.gen(t, d, c);
                format!("({a} {op} {b})")
            }
            3 => {
                let op = *self.r.pick(&["and", "or"]);
                let a = self.gen(T::Bool, d, c);
                let b = self.gen(T::Bool, d, c);
                format!("({a} {op} {b})")
            }
            4 => {
                let f = *self.r.pick(&["$not", "$boolean", "$exists"]);
                let t = *self.r.pick(TYPES);
                let x = self.gen(t, d, c);
                format!("{f}({x})")
            }
            5 => {
                let s = self.gen(T::Str, d, c);
                format!("$contains({s}, {})", lit_str(self.r))
            }
            6 => {
                let x = self.gen(T::Num, d, c);
                format!("({x} in nums)")
            }
            _ => {
                let s = self.gen(T::Str, d, c);
                format!("({s} in tags)")
            }
        }
    }

    /// A predicate over one of `items`.
    fn pred(&mut self, d: usize) -> String {
        match self.r.below(5) {
            0 => (self.r.below(4) as i32 - 1).to_string(),
            1 => format!("status = {}", self.r.pick(&["\"open\"", "\"closed\""])),
            2 => format!("price > {}", lit_num(self.r)),
            3 => "qty >= 2 and ok".to_string(),
            _ => self.gen(T::Bool, d, Ctx::Item),
        }
    }

    fn lambda_body(&mut self, params: &[&str], e: Elem, t: T, d: usize, c: Ctx) -> String {
        let n = self.vars.len();
        self.vars.extend(params.iter().map(|p| (p.to_string(), e)));
        let body = self.gen(t, d, c);
        self.vars.truncate(n);
        body
    }

    fn arr(&mut self, d: usize, c: Ctx) -> String {
        match self.r.below(16) {
            0 => {
                let a = self.gen(T::Num, d, c);
                let b = self.gen(T::Str, d, c);
                format!("[{a}, {b}]")
            }
            1 => format!("[{}..{}]", self.r.below(4), self.r.below(7)),
            2 => {
                let p = self.pred(d);
                let f = *self.r.pick(&["id", "price", "status", "tags"]);
                format!("{}[{p}].{f}", root(c, "items"))
            }
            3 => {
                let body = self.lambda_body(&["$v"], Elem::Num, T::Num, d, c);
                format!("$map({}, function($v) {{ {body} }})", root(c, "nums"))
            }
            4 => {
                let body = self.lambda_body(&["$v"], Elem::Item, T::Str, d, c);
                format!(
                    "$map({}, function($v, $i) {{ {body} & $string($i) }})",
                    root(c, "items")
                )
            }
            5 => {
                let body = self.lambda_body(&["$v"], Elem::Num, T::Bool, d, c);
                format!("$filter({}, function($v) {{ {body} }})", root(c, "nums"))
            }
            6 => format!(
                "$sort({})",
                self.r
                    .pick(&["nums", "tags", "items.price", "items.status"])
            ),
            7 => format!(
                "$sort({}, function($a, $b) {{ $a.price > $b.price }}).id",
                root(c, "items")
            ),
            8 => format!(
                "{}^({}price).id",
                root(c, "items"),
                self.r.pick(&["", ">", "<"])
            ),
            9 => {
                let f = *self.r.pick(&["$reverse", "$distinct"]);
                let xs = self.gen(T::Arr, d, c);
                format!("{f}({xs})")
            }
            10 => {
                let a = self.gen(T::Arr, d, c);
                let b = self.gen(T::Arr, d, c);
                format!("$append({a}, {b})")
            }
            11 => {
                let o = self.gen(T::Obj, d, c);
                format!("$keys({o})")
            }
            12 => {
                let s = self.gen(T::Str, d, c);
                format!("$split({s}, {})", self.r.pick(&["\",\"", "\"\"", "\"a\""]))
            }
            13 => {
                let e = self.gen(T::Num, d, Ctx::Item);
                format!("{}.({e})", root(c, "items"))
            }
            14 => {
                let p = self.gen(T::Bool, d, Ctx::Num);
                format!("{}[{p}]", root(c, "nums"))
            }
            _ => format!("{} ~> $reverse()", self.leaf(T::Arr, c)),
        }
    }

    fn obj(&mut self, d: usize, c: Ctx) -> String {
        match self.r.below(7) {
            0 | 1 => {
                let a = self.gen(T::Num, d, c);
                let t = *self.r.pick(TYPES);
                let b = self.gen(t, d, c);
                format!("{{\"id\": {a}, \"v\": {b}}}")
            }
            2 => "{\"id\": items[0].id, \"total\": $sum(items.price)}".to_string(),
            3 => {
                let e = self.gen(T::Num, d, Ctx::Item);
                format!("{}{{status: $sum({e})}}", root(c, "items"))
            }
            4 => {
                let o = self.gen(T::Obj, d, c);
                format!("$merge([{o}, {{\"z\": 1}}])")
            }
            5 => format!(
                "$sift(obj, function($v) {{ $type($v) = {} }})",
                self.r.pick(&["\"number\"", "\"string\""])
            ),
            _ => {
                let e = self.gen(T::Num, d, c);
                format!("obj ~> |$|{{\"added\": {e}}}, [\"b\"]|")
            }
        }
    }
}
