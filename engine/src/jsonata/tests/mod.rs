//! Tests of the JSONata engine.
mod aws;
mod budget;
mod diff;
mod regress;
mod suite;

use crate::json::{Doc, Val};
use crate::jsonata::{parse, Budget, Host};

/// A host with fixed clock and a simple seeded stream.
pub(crate) struct FixedHost {
    pub(crate) vars: Vec<(String, Val)>,
    pub(crate) seed: u64,
}

impl Host for FixedHost {
    fn variable(&self, name: &str) -> Option<Val> {
        self.vars.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }
    fn now_ms(&self) -> i64 {
        1_700_000_000_123
    }
    fn random(&mut self) -> f64 {
        self.seed = self
            .seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.seed >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Evaluates `expr` on JSON `data`; the result as JSON text, or the error code.
pub(crate) fn eval_str(expr: &str, data: &str) -> Result<String, String> {
    let e = parse(expr).map_err(|e| e.code.to_string())?;
    let mut doc = Doc::new();
    let input = if data.is_empty() {
        None
    } else {
        Some(doc.parse(data).map_err(|e| e.message)?)
    };
    let mut host = FixedHost {
        vars: Vec::new(),
        seed: 7,
    };
    let r = e
        .evaluate(&mut doc, input, &mut host, &Budget::default())
        .map_err(|e| e.code.to_string())?;
    Ok(r.map_or("undefined".to_string(), |v| doc.to_json(v)))
}

#[test]
fn debug_depth() {
    if let Ok(d) = std::env::var("JSONATA_DEPTH") {
        let d: u32 = d.parse().unwrap_or(100);
        let r = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let e = parse("($f := function($n){ 1 + $f($n+1) }; $f(0))").unwrap();
                let mut doc = Doc::new();
                let mut host = FixedHost {
                    vars: Vec::new(),
                    seed: 1,
                };
                let b = Budget {
                    max_depth: d,
                    ..Budget::default()
                };
                e.evaluate(&mut doc, None, &mut host, &b)
                    .map_err(|e| e.code)
            })
            .unwrap()
            .join();
        println!("depth {d}: {r:?}");
    }
}

#[test]
fn debug_expression() {
    if let Ok(expr) = std::env::var("JSONATA_EXPR") {
        let data = std::env::var("JSONATA_DATA").unwrap_or_default();
        println!("{expr} => {:?}", eval_str(&expr, &data));
    }
}
