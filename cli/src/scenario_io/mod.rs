//! What `simulate` (one run, a sweep, a shard) and `merge` share: the
//! workflow type as the parser and the shard files name it, pricing, the
//! report outputs, and the shard file format (written by `simulate
//! --shard-out`, read by `merge`).

pub(crate) mod cost;
pub(crate) mod machine_type;
pub(crate) mod outputs;
pub(crate) mod shard_file;
