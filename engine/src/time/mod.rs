//! Time as Step Functions writes and reads it: RFC 3339 timestamps parsed
//! strictly (`parse.rs`) and milliseconds formatted as AWS prints them
//! (`format.rs`). A leaf: it imports nothing from the crate.

mod format;
mod parse;

pub(crate) use format::iso8601;
pub(crate) use parse::parse_rfc3339;
