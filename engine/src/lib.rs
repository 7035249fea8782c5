//! Stampede runs AWS Step Functions state machines (Amazon States Language)
//! with AWS's semantics: a definition is parsed and validated once, compiled
//! into flat bytecode, and run as fibers over arena JSON.
//!
//! ```
//! use stampede::{Engine, RunOptions, Status};
//!
//! let engine = Engine::new();
//! let machine = engine
//!     .compile(r#"{"StartAt":"Hi","States":{"Hi":{"Type":"Pass","Result":{"hello":"world"},"End":true}}}"#)
//!     .expect("valid definition");
//! let outcome = machine.run_text("{}", &RunOptions::default()).expect("valid input");
//! assert_eq!(outcome.status, Status::Succeeded);
//! assert_eq!(outcome.output.as_deref(), Some(r#"{"hello":"world"}"#));
//! ```
#![warn(missing_docs)]

pub mod errors;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod handlers;
pub mod report;
pub mod sim;
pub mod store;
pub mod teststate;

pub(crate) mod asl;
pub(crate) mod bytecode;
pub(crate) mod compile;
pub(crate) mod error;
pub(crate) mod history;
pub(crate) mod json;
#[allow(dead_code)]
pub(crate) mod jsonata;
pub(crate) mod par;
pub(crate) mod path;
pub(crate) mod rng;
pub(crate) mod runtime;
pub(crate) mod time;
pub(crate) mod vm;

mod definition;
mod engine;
mod machine_type;

pub use definition::{validate, Definition};
pub use engine::Engine;
pub use errors::{Diagnostic, Diagnostics, Failure, InputError, Severity};
pub use history::{History, HistoryEvent};
/// The JSONata evaluator for `bench/`'s comparison with other engines only
/// (cargo feature `bench-hooks`, off by default); not a supported API.
#[cfg(feature = "bench-hooks")]
#[doc(hidden)]
pub use jsonata::bench as __jsonata_bench;
pub use machine_type::MachineType;
pub use runtime::{BatchOptions, Clock, ExecutionHandle, Machine, Runtime, RuntimeBuilder};
pub use vm::{
    now_ms, ExecutionArns, Input, Outcome, RunOptions, Status, DEFAULT_MAX_TRANSITIONS,
    MAX_INPUT_BYTES,
};

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The sizes the hot loop depends on, pinned in one place: a bigger `Op`
/// means fewer ops per cache line, a bigger node a bigger document, a bigger
/// `Failure` a slower `Result` on every op.
#[cfg(test)]
mod sizes {
    use std::mem::size_of;

    #[test]
    fn hot_types_keep_their_sizes() {
        assert_eq!(size_of::<crate::bytecode::Op>(), 16, "Op");
        assert_eq!(size_of::<crate::json::Val>(), 4, "Val");
        assert_eq!(size_of::<crate::json::Node>(), 16, "json node");
        assert_eq!(size_of::<crate::json::Entry>(), 12, "object entry");
        assert_eq!(size_of::<crate::error::Failure>(), 48, "Failure");
        assert_eq!(
            size_of::<Result<crate::json::Val, crate::error::Failure>>(),
            48,
            "Result<Val, Failure>"
        );
    }
}
