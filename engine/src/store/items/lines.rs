//! JSON Lines: one JSON value a line, parsed as it is read; blank lines are skipped.

use super::{ItemError, Items};
use crate::json::{Doc, Val};
use std::io::BufRead;

pub(super) struct JsonLines {
    input: Box<dyn BufRead + Send>,
    key: String,
    line: Vec<u8>,
    n: u64,
}

impl JsonLines {
    pub(super) fn new(input: Box<dyn BufRead + Send>, key: &str) -> Self {
        JsonLines {
            input,
            key: key.to_owned(),
            line: Vec::with_capacity(256),
            n: 0,
        }
    }
}

impl Items for JsonLines {
    fn next(&mut self, doc: &mut Doc) -> Result<Option<Val>, ItemError> {
        loop {
            self.line.clear();
            let read = self
                .input
                .read_until(b'\n', &mut self.line)
                .map_err(|e| ItemError(format!("reading {}: {e}", self.key)))?;
            if read == 0 {
                return Ok(None);
            }
            self.n += 1;
            let text = std::str::from_utf8(&self.line)
                .map_err(|_| ItemError(format!("{} line {}: not UTF-8 text", self.key, self.n)))?;
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            return doc.parse(text).map(Some).map_err(|e| {
                ItemError(format!(
                    "{} line {} is not valid JSON: {e}",
                    self.key, self.n
                ))
            });
        }
    }
}
