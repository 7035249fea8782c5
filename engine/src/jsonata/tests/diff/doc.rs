//! Input documents of the differential test: one schema (an order with
//! items, tags, numbers and a nested object) with random values, and now and
//! then a missing field or one of the wrong type, so paths hit and errors
//! happen too.

use super::rng::Rng;
use serde_json::{json, Map, Value as J};

/// Strings the documents and the expressions draw from (ASCII, accents, an
/// astral character, separators and padding, numerals).
pub(crate) const WORDS: &[&str] = &[
    "open",
    "closed",
    "a",
    "Hello",
    "x,y,z",
    " pad ",
    "é",
    "naïve",
    "😀",
    "",
    "12",
    "3.5",
    "ab",
    "B",
    "zeta",
    "AbC",
    "a-b",
    "Ünïcode",
];

/// Numbers the documents draw from (integers, decimals, negatives, zero).
const NUMS: &[f64] = &[
    0.0, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 42.0, -1.0, -2.5, 0.5, 1.5, 2.25, 0.1, 0.2, 100.0, 1e3,
    1.23456,
];

/// A random number from the pool, now and then an arbitrary one.
pub(crate) fn num(r: &mut Rng) -> f64 {
    if r.chance(10) {
        (r.below(20_000) as f64 - 10_000.0) / 100.0
    } else {
        NUMS[r.below(NUMS.len())]
    }
}

/// A random string from the pool.
pub(crate) fn word(r: &mut Rng) -> &'static str {
    WORDS[r.below(WORDS.len())]
}

/// `x` as JSON, an integer when it is one.
fn jnum(x: f64) -> J {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

/// A value of the wrong kind for a field (a numeric string, null, a bool, an array, an object).
fn odd(r: &mut Rng) -> J {
    match r.below(5) {
        // "3.5", not "3": an integer-like key would come first in a JavaScript
        // object (`items{status: …}`, `$keys`), whatever the insertion order.
        0 => json!("3.5"),
        1 => J::Null,
        2 => json!(true),
        3 => json!([1, 2]),
        _ => json!({"k": 1}),
    }
}

/// `v`, or (1 in 12) a value of the wrong kind, or (1 in 12) nothing.
fn field(r: &mut Rng, m: &mut Map<String, J>, k: &str, v: J) {
    match r.below(24) {
        0 => {}
        1 => {
            m.insert(k.into(), odd(r));
        }
        _ => {
            m.insert(k.into(), v);
        }
    }
}

/// One of `items`, with id `id`.
fn item(r: &mut Rng, id: usize) -> J {
    let mut m = Map::new();
    field(r, &mut m, "id", json!(id));
    let price = jnum(num(r).abs());
    field(r, &mut m, "price", price);
    let qty = json!(r.below(6));
    field(r, &mut m, "qty", qty);
    let status = json!(["open", "closed", "pending"][r.below(3)]);
    field(r, &mut m, "status", status);
    let tags: Vec<J> = (0..r.below(3)).map(|_| json!(word(r))).collect();
    field(r, &mut m, "tags", J::Array(tags));
    let ok = json!(r.chance(2));
    field(r, &mut m, "ok", ok);
    J::Object(m)
}

/// A random document.
pub(crate) fn document(r: &mut Rng) -> J {
    let mut m = Map::new();
    let name = json!(word(r));
    field(r, &mut m, "name", name);
    let first = json!(["Ada", "grace", "Alan", "édith", "bob"][r.below(5)]);
    field(r, &mut m, "first", first);
    let last = json!(["Lovelace", "Hopper", "Turing", "Piaf"][r.below(4)]);
    field(r, &mut m, "last", last);
    let n = jnum(num(r));
    field(r, &mut m, "n", n);
    let k = json!(r.below(5));
    field(r, &mut m, "k", k);
    let flag = json!(r.chance(2));
    field(r, &mut m, "flag", flag);
    m.insert("nul".into(), J::Null);
    let tags: Vec<J> = (0..r.below(5)).map(|_| json!(word(r))).collect();
    field(r, &mut m, "tags", J::Array(tags));
    let nums: Vec<J> = (0..r.below(6)).map(|_| jnum(num(r))).collect();
    field(r, &mut m, "nums", J::Array(nums));
    let items: Vec<J> = (0..r.below(5)).map(|i| item(r, i + 1)).collect();
    field(r, &mut m, "items", J::Array(items));
    let mut o = Map::new();
    let a = jnum(num(r));
    field(r, &mut o, "a", a);
    let b = json!(word(r));
    field(r, &mut o, "b", b);
    o.insert("c".into(), json!({"d": jnum(num(r))}));
    let e: Vec<J> = (0..r.below(4)).map(|_| jnum(num(r))).collect();
    field(r, &mut o, "e", J::Array(e));
    m.insert("obj".into(), J::Object(o));
    J::Object(m)
}
