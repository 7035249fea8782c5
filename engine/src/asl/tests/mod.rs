//! Tests of `asl::parse`: the AWS-recorded corpus (accepted and rejected
//! definitions), hand-written invalid definitions with their exact pointers
//! and codes, and robustness (never panic).

mod corpus;
mod invalid;
mod model;
mod robust;

use super::{parse, Diagnostic, Severity};

/// Parses `def` (a `json!` value) and returns its error diagnostics (empty if accepted).
fn errors_of(def: &serde_json::Value) -> Vec<Diagnostic> {
    match parse(&def.to_string()) {
        Ok((_, warnings)) => {
            assert!(warnings.0.iter().all(|d| d.severity == Severity::Warning));
            Vec::new()
        }
        Err(d) => d.0,
    }
}
