//! Benchmarks of Stampede, grouped by pipeline phase (parse, compile,
//! execute, runtime, baseline), and a side-by-side comparison with the peer
//! engines in `shared/peers`.
//!
//! This library holds what the criterion benches, the `stampede-bench` binary
//! and the tests share: finding and loading the peers' workloads, an engine
//! set up as the peers are (every Task echoes its input, with the `__fail`
//! convention), and two hand-written Rust baselines of `pass10`: on
//! `serde_json` values, and on the engine's own arena document.
//!
//! ```no_run
//! let dir = bench::workloads_dir().expect("shared/peers/workloads beside the repository");
//! let w = bench::Workload::load(&dir, "pass10").expect("readable workload");
//! let machine = bench::engine().compile(&w.definition).expect("valid definition");
//! let out = machine.run_text(&w.input, &Default::default()).expect("JSON input");
//! assert_eq!(out.output, Some(bench::baseline::pass10(&w.input).unwrap()));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod baseline;
pub mod baseline_doc;
mod workloads;

pub use workloads::{own_workloads_dir, workloads_dir, Workload, JSONATA_TWINS, WORKLOADS};

/// An engine that serves every Task state the way both peers do: the result
/// is the effective input, and `{"__fail": …}` in it injects failures.
pub fn engine() -> stampede::Engine {
    let mut e = stampede::Engine::new();
    e.register("*", stampede::handlers::echo_with_failures());
    e
}
