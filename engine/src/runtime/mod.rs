//! Schedulers that run executions. `local` runs one execution on the
//! calling thread with a virtual clock; the work-stealing runtime comes next.

pub(crate) mod local;
