//! A Step Functions–compatible HTTP API (awsJson1_0) over the Stampede
//! engine: what `stampede serve` runs, a drop-in for Step Functions Local
//! that boto3, the AWS CLI and the other SDKs use unchanged.
//!
//! The only crate of the workspace with tokio and axum. Tokio does the I/O;
//! executions run on the engine's [`stampede::Runtime`] (wall clock), which
//! reports each outcome through a callback, so no I/O thread ever waits on
//! an execution; definitions compile on tokio's blocking pool.
//!
//! | file | what it holds |
//! |---|---|
//! | `server.rs` | binding, the one route, body cap, response headers, shutdown |
//! | `dispatch.rs` | `X-Amz-Target` → operation → handler |
//! | `fields.rs`, `names.rs`, `paging.rs` | request members, names and ARNs, page tokens, checked as the service model states |
//! | `machines.rs`, `executions.rs`, `activities.rs`, `tags.rs` | the operations |
//! | `activity_tasks.rs` | activity tasks queued for `GetActivityTask`, their tokens |
//! | `history.rs` | GetExecutionHistory: the engine's recorded events, paged |
//! | `pending.rs` | `SendTask*`, TestState |
//! | `store.rs`, `shapes.rs` | what is kept, and its response shapes |
//! | `app.rs`, `tasks.rs`, `lambda.rs` | compiling per mock test case; unmocked tasks; the Lambda Invoke client |
//! | `nested.rs`, `children.rs` | nested workflows (`states:startExecution` tasks): their shapes; starting them |
//! | `error.rs`, `log.rs`, `config.rs` | AWS's error shapes; the request log; the settings |
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod activities;
mod activity_tasks;
mod app;
mod children;
pub mod config;
mod dispatch;
pub mod error;
mod executions;
mod fields;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod history;
mod lambda;
pub mod log;
mod machines;
mod names;
mod nested;
mod paging;
mod pending;
pub mod server;
mod shapes;
mod store;
mod tags;
mod tasks;

pub use config::Config;
pub use error::ApiError;
pub use log::LogLevel;
pub use server::{run, ServeError, Server};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_history;
#[cfg(test)]
mod tests_nested;
#[cfg(test)]
mod tests_tokens;
