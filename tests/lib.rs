//! Helpers for the workspace tests: the conformance corpus (reading cases,
//! comparing results with AWS's, skips, tallies) and locating what the
//! end-to-end tests run.
//!
//! The comparison rules are those of `shared/conformance/README.md`; see
//! [`compare`].
#![forbid(unsafe_code)]

pub mod compare;
pub mod corpus;
pub mod history;
pub mod locate;
pub mod replay;
pub mod runner;
pub mod skips;
pub mod summary;
pub mod time;
