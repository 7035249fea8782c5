//! Simulation and capacity planning on a virtual clock: the scenario format
//! of `stampede simulate`, seeded random streams, latency distributions,
//! arrival processes, per-execution inputs and task resource models.
//!
//! The scenario format and the driver are documented in `sim/README.md`.
//!
//! | item | what it is |
//! |---|---|
//! | [`parse_scenario`] | scenario JSON → [`Scenario`], every problem as a [`crate::Diagnostic`] with its JSON pointer |
//! | [`check_resources`] | scenario resource keys that match no Task `Resource` of the definition |
//! | [`Rng`] | xoshiro256++ streams, split by id (deterministic on any number of threads) |
//! | [`LatencyDist`] | constant, uniform, normal, lognormal, exponential, empirical |
//! | [`ArrivalSpec`] / [`Arrivals`] | all-at-once, Poisson, steps, bursts; closed loop as [`ArrivalMode::Closed`] |
//! | [`InputGen`] | per-execution input: file lines, a value, a template |
//! | [`ResourceModel`] | latency, injected errors, output and limits of a Task resource |
//! | [`simulate`] | runs a [`Scenario`] on the virtual clock into a [`SimResult`] |
//! | [`EmpiricalError`] | why [`Empirical::from_percentiles`] refused its points |

pub mod arrivals;
mod clock;
pub mod dist;
mod dmaps;
mod driver;
mod error;
mod events;
mod handler;
pub mod input;
mod job;
mod local;
mod pool;
mod queue;
pub mod quota;
pub mod resource;
pub mod rng;
mod run;
pub mod scenario;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_dmap;
#[cfg(test)]
mod tests_parallel;

pub use arrivals::{ArrivalMode, ArrivalSpec, Arrivals, Bounds, RateStep};
pub use clock::SIM_EPOCH_MS;
pub use dist::{Empirical, LatencyDist};
pub use error::EmpiricalError;
pub use input::{InputGen, InputSpec};
pub use quota::{BucketState, Preset, Quotas, StartLimit, TokenBucket};
pub use resource::{Decision, ErrorSpec, OnLimit, OutputSpec, ResourceModel};
pub use rng::Rng;
pub use run::{simulate, SimOptions, SimResult};
pub use scenario::{check_resources, parse_scenario, task_resources, Scenario};
