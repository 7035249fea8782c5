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
            let bytes = &text[start..];
            // A line whose first byte past the ASCII white space is ASCII is
            // not blank: its UTF-8 is checked where it is parsed, on any
            // thread. Any other line is checked here, as `str::trim` sees it.
            let blank = match bytes.iter().find(|b| !ascii_space(**b)) {
                None => true,
                Some(b) if b.is_ascii() => false,
                Some(_) => utf8_line(&self.key, self.n, bytes)?.trim().is_empty(),
            };
            if blank {
                text.truncate(start);
                continue;
            }
            return Ok(Some((self.n, start..text.len())));
        }
    }
}

/// The ASCII characters `str::trim` removes (Unicode's White_Space).
fn ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// Line `n` of `key` as text, or AWS's error for a line that is not UTF-8.
fn utf8_line<'a>(key: &str, n: u64, line: &'a [u8]) -> Result<&'a str, ItemError> {
    std::str::from_utf8(line).map_err(|_| ItemError(format!("{key} line {n}: not UTF-8 text")))
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
            *out = Some(utf8_line(key, *n, &lines[r.clone()]).and_then(|line| {
                d.parse(line.trim())
                    .map_err(|e| ItemError(format!("{key} line {n} is not valid JSON: {e}")))
            }));
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
            Ok(Some((n, r))) => utf8_line(&self.key, n, &text[r]).and_then(|line| {
                doc.parse(line.trim())
                    .map(Some)
                    .map_err(|e| ItemError(format!("{} line {n} is not valid JSON: {e}", self.key)))
            }),
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        };
        self.line = text;
        r
    }
}
