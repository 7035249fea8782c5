//! Differential test against jsonata-js 2.0.6: generated expressions over
//! generated documents, each evaluated by our engine and by jsonata-js in
//! one long-lived node process (`oracle.js`); results must be equal JSON
//! (undefined equal to undefined) or equal error codes.
//!
//! `JSONATA_DIFF_N` sets the number of cases (10,000 by default),
//! `JSONATA_DIFF_SEED` the first seed (case `i` uses seed + i, so a case is
//! replayed with `JSONATA_DIFF_SEED=s JSONATA_DIFF_N=1`). jsonata-js comes
//! from `target/jsonata-js` (`.ci/run` installs it) or `JSONATA_JS`. Without
//! node or the package the test fails under `CI=true` and skips otherwise.

mod compound;
mod doc;
mod expr;
mod oracle;
mod rng;

use crate::json::Doc;
use crate::jsonata::tests::FixedHost;
use crate::jsonata::{parse, Budget};
use oracle::Oracle;
use rng::Rng;
use serde_json::Value as J;

/// One case's outcome, canonical JSON text or an error code.
#[derive(Debug, PartialEq)]
pub(crate) enum Outcome {
    /// A value, as compact JSON text (serde_json's rendering of the parsed value).
    Value(String),
    /// Undefined.
    Undefined,
    /// An error code.
    Error(String),
    /// Not compared (jsonata-js's result has no counterpart here), and why.
    Skip(String),
}

/// Our engine on one case.
fn ours(expr: &str, input: &J) -> Outcome {
    let e = match parse(expr) {
        Ok(e) => e,
        Err(e) => return Outcome::Error(e.code.to_string()),
    };
    let mut doc = Doc::new();
    let Ok(v) = doc.parse(&input.to_string()) else {
        return Outcome::Error("BADINPUT".into());
    };
    let mut host = FixedHost {
        vars: Vec::new(),
        seed: 7,
    };
    match e.evaluate(&mut doc, Some(v), &mut host, &Budget::default()) {
        Ok(None) => Outcome::Undefined,
        Ok(Some(r)) => match serde_json::from_str::<J>(&doc.to_json(r)) {
            Ok(j) => Outcome::Value(j.to_string()),
            Err(_) => Outcome::Error("BADOUTPUT".into()),
        },
        Err(e) => Outcome::Error(e.code.to_string()),
    }
}

/// A count from the environment (`_` allowed as a separator), or `default`.
fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// Whether two numbers are equal but for the last bits (`$power`: V8's `Math.pow`
/// and the C library's `pow` may differ in the last place).
fn close(x: f64, y: f64) -> bool {
    x == y || (x - y).abs() <= 4.0 * f64::EPSILON * x.abs().max(y.abs())
}

/// Equal JSON, members in the same order, numbers as [`close`].
fn same_json(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Number(x), J::Number(y)) => close(
            x.as_f64().unwrap_or(f64::NAN),
            y.as_f64().unwrap_or(f64::NAN),
        ),
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q))
        }
        // A JavaScript object lists integer-like keys ("3") first, in numeric order,
        // whatever the insertion order: with such keys, order is not compared.
        (J::Object(x), J::Object(y)) if x.keys().any(|k| index_like(k)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k, v), (l, w))| k == l && same_json(v, w))
        }
        _ => a == b,
    }
}

/// Whether `k` is a canonical array index, which JavaScript objects enumerate first.
fn index_like(k: &str) -> bool {
    k.parse::<u32>()
        .is_ok_and(|i| i.to_string() == k && i < u32::MAX)
}

/// Whether our outcome `o` agrees with jsonata-js's `t` on expression `e`.
fn agree(e: &str, o: &Outcome, t: &Outcome) -> bool {
    match (o, t) {
        (Outcome::Value(x), Outcome::Value(y)) => {
            x == y
                || matches!((serde_json::from_str(x), serde_json::from_str(y)), (Ok(p), Ok(q)) if same_json(&p, &q))
        }
        // jsonata-js evaluates the members of an array constructor and the groups of an
        // object constructor concurrently (Promise.all): of two failing members the first
        // to fail in time wins, not the first in order. Counted apart, as `raced`.
        (Outcome::Error(_), Outcome::Error(_)) if e.contains(['{', '[']) => true,
        _ => o == t,
    }
}

/// A generated case: (seed, expression, input).
fn case(seed: u64) -> (u64, String, J) {
    let mut r = Rng::new(seed);
    let input = doc::document(&mut r);
    let e = expr::expression(&mut r);
    (seed, e, input)
}

/// Our engine and jsonata-js agree on `JSONATA_DIFF_N` generated cases.
#[test]
fn differential_against_jsonata_js() {
    let mut oracle = match Oracle::start() {
        Ok(o) => o,
        Err(why) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("jsonata diff: cannot run under CI: {why}");
            }
            println!("jsonata diff: skipped: {why}");
            return;
        }
    };
    let n = env_num("JSONATA_DIFF_N", 10_000);
    let seed0 = env_num("JSONATA_DIFF_SEED", 1);
    let (mut values, mut undefs, mut errors, mut raced, mut skips) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut mismatches = Vec::new();
    let batch = 512;
    let mut i = 0;
    while i < n {
        let cases: Vec<_> = (i..(i + batch).min(n)).map(|k| case(seed0 + k)).collect();
        let theirs = oracle.ask(&cases).expect("jsonata-js oracle answers");
        for ((seed, e, input), t) in cases.iter().zip(theirs) {
            let o = ours(e, input);
            match &o {
                _ if matches!(t, Outcome::Skip(_)) => skips += 1,
                _ if !agree(e, &o, &t) => mismatches.push(format!(
                    "seed {seed}: {e}\n  input: {input}\n  ours: {o:?}\n  jsonata-js: {t:?}"
                )),
                Outcome::Value(_) => values += 1,
                Outcome::Undefined => undefs += 1,
                Outcome::Error(_) if o != t => raced += 1,
                Outcome::Error(_) => errors += 1,
                Outcome::Skip(_) => {}
            }
        }
        i += batch;
    }
    println!(
        "jsonata diff: {n} cases from seed {seed0}: {values} equal values, {undefs} undefined, {errors} equal errors, {raced} raced errors, {skips} not comparable, {} mismatches",
        mismatches.len()
    );
    for m in mismatches.iter().take(20) {
        println!("{m}");
    }
    assert!(mismatches.is_empty(), "{} mismatches", mismatches.len());
}
