//! Optional event recording in the shapes of `GetExecutionHistory`, off by
//! default. While an execution runs with [`crate::RunOptions::history`]
//! set, the VM hands each event to a [`record::Recorder`] it owns (compact
//! records, payload text serialized once); the finished execution's
//! [`History`] writes the JSON only when it is read (`write.rs`). When off,
//! the VM only counts events (the ids AWS's causes quote), as before.

mod escape;
mod kind;
pub(crate) mod record;
mod write;

pub(crate) use kind::Kind;
pub(crate) use record::{Error, Recorder};
pub use write::{History, HistoryEvent};

/// How the VM lends the recorder to a fiber's ops.
pub(crate) type RecorderCell = std::cell::RefCell<Recorder>;

#[cfg(test)]
mod tests;
