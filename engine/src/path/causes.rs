//! AWS's cause texts for path failures, without the "An error occurred while
//! executing the state …" prefix that the VM adds.

use super::ast::{Sel, Step};
use super::select::index;
use crate::json::{Doc, Val};
use std::fmt::Write;

/// A payload template path, or an intrinsic's path argument, that matched
/// nothing (`States.Runtime`):
/// `The JSONPath '$.x' specified for the field 'value.$' could not be found in the input '{"a":1}'`.
pub(crate) fn path_not_found(path: &str, field: &str, input_json: &str) -> String {
    format!(
        "The JSONPath '{path}' specified for the field '{field}' could not be found in the input '{input_json}'"
    )
}

/// A ResultPath that cannot be applied (`States.ResultPathMatchFailure`):
/// `Unable to apply ReferencePath $.a.b to input "text"`.
pub(crate) fn result_path_failure(path: &str, input_json: &str) -> String {
    format!("Unable to apply ReferencePath {path} to input {input_json}")
}

/// Jayway's bracket notation for the first `n` steps: `$['a'][0]`.
fn normalized(steps: &[Step], n: usize) -> String {
    let mut s = String::from("$");
    for step in &steps[..n] {
        match step {
            Step::Child(Sel::Name(name)) => {
                let _ = write!(s, "['{name}']");
            }
            Step::Child(Sel::Index(i)) => {
                let _ = write!(s, "[{i}]");
            }
            _ => s.push_str("[*]"),
        }
    }
    s
}

/// InputPath / OutputPath (and other single-node paths) that matched
/// nothing (`States.Runtime`), in Jayway's words:
/// `Invalid path '$.a' : No results for path: $['a']` when the last step is
/// missing, `Invalid path '$.a.b' : Missing property in path $['a']` when an
/// earlier one is.
pub(crate) fn invalid_path(src: &str, steps: &[Step], doc: &Doc, root: Val) -> String {
    let mut cur = root;
    for (n, step) in steps.iter().enumerate() {
        let next = match step {
            Step::Child(Sel::Name(name)) => doc.field(cur, name),
            Step::Child(Sel::Index(i)) => index(doc, cur, *i),
            _ => None,
        };
        match next {
            Some(v) => cur = v,
            None if n + 1 == steps.len() => break,
            None => {
                return format!(
                    "Invalid path '{src}' : Missing property in path {}",
                    normalized(steps, n + 1)
                )
            }
        }
    }
    format!(
        "Invalid path '{src}' : No results for path: {}",
        normalized(steps, steps.len())
    )
}
