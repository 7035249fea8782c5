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

pub mod asl;
pub mod bytecode;
pub mod compile;
pub mod error;
pub mod handlers;
pub mod json;
#[allow(dead_code)]
pub(crate) mod jsonata;
pub mod path;
pub mod report;
pub mod runtime;
pub mod sim;
pub mod vm;

mod engine;

pub use asl::{Diagnostic, Diagnostics, Severity};
pub use engine::{Engine, Machine};
pub use error::Failure;
pub use runtime::{
    BatchOptions, Clock, ExecutionHandle, Input, InputError, MachineType, Outcome, RunOptions,
    Runtime, Status,
};

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
