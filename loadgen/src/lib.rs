//! Load generation for Stampede: drives the engine in-process with open-loop
//! (Poisson) and closed-loop arrivals, parks a million executions at once to
//! measure memory, and measures batch throughput. Every command prints one
//! JSON line on stdout (plot-friendly, like crossbeam's channel benchmarks)
//! and a human summary on stderr; latencies go to HdrHistograms that can be
//! written as interval logs (V2, deflate) and merged across runs or shards.
//!
//! The library half exists so that tests can call each command in-process;
//! this is a binary crate, so its errors are `anyhow` (STYLE habit 6).
#![forbid(unsafe_code)]

pub mod arrivals;
pub mod closed;
// Whole-file writes, shared with the `stampede` CLI (one source, no copy).
#[path = "../../cli/src/files.rs"]
mod files;
pub mod hist;
pub mod http;
pub mod load;
pub mod merge;
pub mod open;
pub mod parked;
pub mod rss;
pub mod summary;
pub mod throughput;
pub mod workload;
