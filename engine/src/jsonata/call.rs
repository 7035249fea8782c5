//! What a built-in needs from the evaluator, as a trait: the document, the
//! host, the budget and calling back a function value (higher-order
//! built-ins). The library depends on this trait, not on the evaluator,
//! which implements it; built-ins are generic over it, so calls are static.

use super::error::JResult;
use super::value::Value;
use super::Host;
use crate::json::Doc;

/// The evaluator as seen by a built-in.
pub(crate) trait Call<'a> {
    /// The document holding input and results.
    fn doc(&self) -> &Doc;
    /// The document, to add values to (`$parse`).
    fn doc_mut(&mut self) -> &mut Doc;
    /// The embedding state (clock, seeded random stream).
    fn host(&mut self) -> &mut dyn Host;
    /// Counts `n` units of work against the budget (checked at the next step).
    fn charge(&mut self, n: u64);
    /// Calls function value `f` with `args` (`T1006` if it is not a function).
    fn call_fn(&mut self, f: &Value<'a>, args: Vec<Value<'a>>) -> JResult<Value<'a>>;
}
