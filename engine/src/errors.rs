//! Every error the embedding API returns, in one place: definition
//! problems ([`Diagnostics`], each a [`Diagnostic`] with its JSON pointer and
//! AWS's code), the ASL error an execution fails with ([`Failure`]), inputs
//! refused before an execution starts ([`InputError`]), and the errors of
//! scenario, price-table and shard files.

pub use crate::asl::{codes, Diagnostic, Diagnostics, Severity};
pub use crate::error::Failure;
pub use crate::report::{PriceTableError, ShardError, ShardErrorKind};
pub use crate::sim::EmpiricalError;
pub use crate::vm::InputError;
