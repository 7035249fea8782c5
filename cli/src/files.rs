//! Writing whole-file outputs (`--summary-json`, report files, shard files).

use anyhow::{Context, Result};
use std::path::Path;

/// Writes `text` to `path`, replacing what was there.
pub(crate) fn write_whole(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
