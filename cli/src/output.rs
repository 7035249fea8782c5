//! Writing to stdout without panicking when the reader has gone away
//! (`stampede … | head`).

use anyhow::{Context, Result};
use std::io::{ErrorKind, Write};

/// Writes `text` to stdout; a closed pipe is not an error.
pub(crate) fn emit(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(e).context("cannot write to stdout"),
        _ => Ok(()),
    }
}
