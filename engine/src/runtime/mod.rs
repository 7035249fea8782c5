//! Schedulers around the VM's one driver ([`crate::vm::Advance`]): the
//! calling thread ([`Machine::run`]) and the work-stealing pool
//! ([`Runtime`]). See `README.md` beside this file for the protocol.

mod batch;
mod hub;
mod job;
mod local;
mod machine;
mod park;
mod pool;
mod timer;
mod worker;

pub use batch::BatchOptions;
pub use machine::Machine;
pub use pool::{Clock, ExecutionHandle, Runtime, RuntimeBuilder};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_tokens;
