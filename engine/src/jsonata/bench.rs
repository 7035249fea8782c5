//! A hidden public face for the benchmarks in `bench/` only (re-exported by
//! the crate root as `stampede::__jsonata_bench`, `#[doc(hidden)]`): one
//! expression parsed once and evaluated on the arena document, with a host
//! that binds no variables. Not part of the supported API.

use super::{parse, Budget, Expression, Host};
use crate::json::{Doc, Val};

/// A parsed JSONata expression.
#[derive(Debug)]
pub struct Compiled {
    expr: Expression,
    budget: Budget,
}

/// A host with no variables, a fixed clock and a constant random stream.
struct NoHost;

impl Host for NoHost {
    fn variable(&self, _: &str) -> Option<Val> {
        None
    }
    fn now_ms(&self) -> i64 {
        0
    }
    fn random(&mut self) -> f64 {
        0.5
    }
}

impl Compiled {
    /// Parses `src`.
    ///
    /// # Errors
    /// The JSONata error code and message when `src` is not an expression.
    pub fn parse(src: &str) -> Result<Self, String> {
        let expr = parse(src).map_err(|e| e.to_string())?;
        Ok(Compiled {
            expr,
            budget: Budget::default(),
        })
    }

    /// Evaluates on `input` in `doc`, the result written to `doc` (`None`: undefined).
    ///
    /// # Errors
    /// The JSONata error code and message when evaluation fails.
    pub fn evaluate(&self, doc: &mut Doc, input: Val) -> Result<Option<Val>, String> {
        self.expr
            .evaluate(doc, Some(input), &mut NoHost, &self.budget)
            .map_err(|e| e.to_string())
    }
}
