//! Arena JSON: every value of an execution lives in one [`Doc`] and is
//! reached through 32-bit [`Val`] handles, so an execution moves between
//! threads with no borrows and no `unsafe`.

mod copy;
mod doc;
mod freeze;
mod parse;
mod read;
mod write;

#[cfg(test)]
pub(crate) use doc::Node;
pub use doc::{Builder, Doc, Entry, Key, Kind, LimitExceeded, Obj, Ref, Val};
pub(crate) use write::{push_escaped, write_str};
