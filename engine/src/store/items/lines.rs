//! JSON Lines: one JSON value a line, parsed as it is read; blank lines are
//! skipped. Read ahead (`next_many`), the lines are split one after another
//! and parsed on every core, each into a document of its own.

use super::{Ahead, ItemError, Items};
use crate::json::{Doc, Val};
use std::io::BufRead;
use std::ops::Range;

pub(super) struct JsonLines {
    input: Box<dyn BufRead + Send>,
    key: String,
    line: Vec<u8>,
    /// The lines read ahead (kept for the next read).
    ahead: Vec<u8>,
    n: u64,
}

impl JsonLines {
    pub(super) fn new(input: Box<dyn BufRead + Send>, key: &str) -> Self {
        JsonLines {
            input,
            key: key.to_owned(),
            line: Vec::with_capacity(256),
            ahead: Vec::new(),
            n: 0,
        }
    }
}

/// Lines parsed ahead by a thread at a time.
const PARSE_CHUNK: usize = 64;

impl JsonLines {
    /// The next line that is not blank, appended to `text`: its line
    /// number and where it is in `text`.
    fn next_line(&mut self, text: &mut Vec<u8>) -> Result<Option<(u64, Range<usize>)>, ItemError> {
        loop {
            let start = text.len();
            let read = self
                .input
                .read_until(b'\n', text)
                .map_err(|e| ItemError(format!("reading {}: {e}", self.key)))?;
            if read == 0 {
                return Ok(None);
            }
            self.n += 1;
            let line = std::str::from_utf8(&text[start..])
                .map_err(|_| ItemError(format!("{} line {}: not UTF-8 text", self.key, self.n)))?;
            if line.trim().is_empty() {
                text.truncate(start);
                continue;
            }
            return Ok(Some((self.n, start..text.len())));
        }
    }
}

impl Items for JsonLines {
    fn next_many(&mut self, max: usize, spare: &mut Vec<Doc>, out: &mut Ahead) {
        let mut text = std::mem::take(&mut self.ahead);
        text.clear();
        let mut parsed = Vec::with_capacity(max);
        let mut failed = None;
        while parsed.len() < max {
            match self.next_line(&mut text) {
                Ok(Some((n, r))) => {
                    let d = spare.pop().unwrap_or_default();
                    parsed.push((n, r, d, None));
                }
                Ok(None) => break,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        let key = &self.key;
        let lines = &text;
        crate::par::for_each(&mut parsed, PARSE_CHUNK, |(n, r, d, out)| {
            // Checked as UTF-8 when it was read.
            let line = std::str::from_utf8(&lines[r.clone()])
                .unwrap_or_default()
                .trim();
            *out = Some(
                d.parse(line)
                    .map_err(|e| ItemError(format!("{key} line {n} is not valid JSON: {e}"))),
            );
        });
        self.ahead = text;
        for (_, _, d, r) in parsed {
            match r {
                Some(Ok(v)) => out.push_back(Ok((d, v))),
                Some(Err(e)) => {
                    out.push_back(Err(e));
                    return;
                }
                None => {}
            }
        }
        if let Some(e) = failed {
            out.push_back(Err(e));
        }
    }

    fn next(&mut self, doc: &mut Doc) -> Result<Option<Val>, ItemError> {
        let mut text = std::mem::take(&mut self.line);
        text.clear();
        let line = self.next_line(&mut text);
        let r = match line {
            Ok(Some((n, r))) => {
                let line = std::str::from_utf8(&text[r]).unwrap_or_default().trim();
                doc.parse(line)
                    .map(Some)
                    .map_err(|e| ItemError(format!("{} line {n} is not valid JSON: {e}", self.key)))
            }
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        };
        self.line = text;
        r
    }
}
