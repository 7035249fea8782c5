//! The compound expressions of the differential test's generator, by kind:
//! numbers, strings, booleans, arrays and objects (see `expr.rs`).

use super::expr::{lit_num, lit_str, root, Ctx, Elem, Gen, T, TYPES};

impl Gen<'_> {
    /// A number: arithmetic, aggregates, numeric and string functions, `$reduce`.
    pub(super) fn num(&mut self, d: usize, c: Ctx) -> String {
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

    /// A string: `&`, string functions, `$string`, formatting, `~>`.
    pub(super) fn str(&mut self, d: usize, c: Ctx) -> String {
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

    /// A boolean: comparisons, `and`/`or`, `$not`/`$boolean`/`$exists`, `$contains`, `in`.
    pub(super) fn bool(&mut self, d: usize, c: Ctx) -> String {
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
    pub(super) fn pred(&mut self, d: usize) -> String {
        match self.r.below(5) {
            0 => (self.r.below(4) as i32 - 1).to_string(),
            1 => format!("status = {}", self.r.pick(&["\"open\"", "\"closed\""])),
            2 => format!("price > {}", lit_num(self.r)),
            3 => "qty >= 2 and ok".to_string(),
            _ => self.gen(T::Bool, d, Ctx::Item),
        }
    }

    /// A lambda body with `params` (each an `e`) in scope.
    pub(super) fn lambda_body(
        &mut self,
        params: &[&str],
        e: Elem,
        t: T,
        d: usize,
        c: Ctx,
    ) -> String {
        let n = self.vars.len();
        self.vars.extend(params.iter().map(|p| (p.to_string(), e)));
        let body = self.gen(t, d, c);
        self.vars.truncate(n);
        body
    }

    /// An array: constructors, ranges, predicates, `$map`/`$filter`/`$sort`, order-by, `$keys`, `$split`.
    pub(super) fn arr(&mut self, d: usize, c: Ctx) -> String {
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

    /// An object: constructors, grouping, `$merge`, `$sift`, transforms.
    pub(super) fn obj(&mut self, d: usize, c: Ctx) -> String {
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
