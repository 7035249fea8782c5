//! Unit tests of the path module: grammar, selection, ResultPath,
//! templates, intrinsics, and the AWS-recorded intrinsic corpus.

mod corpus;
mod grammar;
mod intrinsics;
mod select;
mod set;
mod template;

use crate::json::{Doc, Val};
use crate::path::{Expr, Path};

/// A fixed entropy source for tests.
pub(super) fn entropy() -> impl FnMut() -> u64 {
    let mut n = 0u64;
    move || {
        n = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
        n
    }
}

/// Evaluates `expr` against `input` (and an empty context) and returns the
/// result as serde JSON, or the failure as (error, cause).
pub(super) fn run(
    expr: &str,
    input: serde_json::Value,
) -> Result<serde_json::Value, (String, String)> {
    let e = Expr::parse(expr).unwrap_or_else(|err| panic!("{expr}: {err}"));
    let mut doc = Doc::new();
    let input = doc.import(&input);
    let ctx = Doc::EMPTY_OBJECT;
    let mut ent = entropy();
    e.eval(&mut doc, input, ctx, "f.$", &mut ent)
        .map(|v| doc.export(v))
        .map_err(|f| (f.error.to_string(), f.cause))
}

/// Selects `path` in `input`.
pub(super) fn sel(path: &str, input: serde_json::Value) -> Option<serde_json::Value> {
    let p = Path::parse(path).unwrap_or_else(|err| panic!("{path}: {err}"));
    let mut doc = Doc::new();
    let input: Val = doc.import(&input);
    p.select(&mut doc, input, Doc::EMPTY_OBJECT)
        .map(|v| doc.export(v))
}
