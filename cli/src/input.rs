//! Reading definition, input and JSON files: a path or `-` for stdin, UTF-8 text.

use anyhow::{anyhow, Context, Result};
use std::io::Read;
use std::path::Path;

/// The whole of `path` (or stdin for `-`) as bytes.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("cannot read standard input")?;
        return Ok(buf);
    }
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// `bytes` as text, or an error naming `what` and the offset of the first bad byte.
pub(crate) fn utf8(bytes: Vec<u8>, what: &str) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        anyhow!(
            "{what} is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The JSON document in `path`.
pub(crate) fn read_json(path: &Path) -> Result<serde_json::Value> {
    let text = utf8(read_bytes(path)?, "the file")?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}
