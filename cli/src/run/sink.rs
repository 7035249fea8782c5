//! Where a batch's outcomes go: JSON Lines, one `{"index":N,…outcome…}` per
//! execution, through a whole-line buffer (`line_writer.rs`) to a file or
//! stdout. As they complete
//! (streaming), or with `--ordered` in index order: an outcome that comes
//! early waits in a reorder buffer until those before it are written, so
//! memory stays bounded by how far completions run out of order.
//!
//! A write that fails stops all later writes; the batch is told (so it
//! stops starting executions) and `finish` reports the error after flushing
//! what it can; a file is then cut back to its last whole line. A reader
//! that went away (`| head`) is not an error.

use super::line_writer::LineWriter;
use anyhow::{anyhow, Result};
use stampede::Outcome;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{ErrorKind, StdoutLock, Write};
use std::path::Path;

const BUFFER_BYTES: usize = 256 << 10;

#[derive(Debug)]
enum State {
    Open,
    /// The reader closed the pipe: drop the rest quietly.
    Closed,
    /// A write failed: drop the rest, report this at the end.
    Failed(std::io::Error),
}

/// A file or stdout.
enum Target {
    File(File),
    Stdout(StdoutLock<'static>),
}

impl Write for Target {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Target::File(f) => f.write(buf),
            Target::Stdout(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Target::File(f) => f.flush(),
            Target::Stdout(s) => s.flush(),
        }
    }
}

/// The outcome writer of a batch.
pub(crate) struct Sink {
    out: LineWriter<Target>,
    what: String,
    /// With `--ordered`: the next index to write and the outcomes waiting for it.
    reorder: Option<(u64, BTreeMap<u64, String>)>,
    state: State,
    /// Lines handed to the writer.
    written: u64,
    /// What its lines are (`outcomes`, `histories`), for the error message.
    lines: &'static str,
}

impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sink").field("what", &self.what).finish()
    }
}

impl Sink {
    /// A writer to `path` (created or truncated), or to stdout.
    pub(crate) fn open(path: Option<&Path>, ordered: bool) -> Result<Sink> {
        let (out, what) = match path {
            Some(p) => {
                let f =
                    File::create(p).map_err(|e| anyhow!("cannot create {}: {e}", p.display()))?;
                (Target::File(f), p.display().to_string())
            }
            None => (
                Target::Stdout(std::io::stdout().lock()),
                "stdout".to_owned(),
            ),
        };
        Ok(Sink {
            out: LineWriter::new(out, BUFFER_BYTES),
            what,
            reorder: ordered.then(|| (0, BTreeMap::new())),
            state: State::Open,
            written: 0,
            lines: "outcomes",
        })
    }

    /// The same sink, writing histories (named so in its error message).
    pub(crate) fn of_histories(mut self) -> Sink {
        self.lines = "histories";
        self
    }

    /// Writes (or queues) the outcome of execution `index`. False once
    /// nothing more can be written: the batch should stop.
    pub(crate) fn push(&mut self, index: u64, outcome: &Outcome) -> bool {
        if !matches!(self.state, State::Open) {
            return false;
        }
        self.push_line(index, line(index, outcome))
    }

    /// Writes (or queues) the line of execution `index` (it ends in `\n`).
    /// False once nothing more can be written.
    pub(crate) fn push_line(&mut self, index: u64, line: String) -> bool {
        if !matches!(self.state, State::Open) {
            return false;
        }
        match &mut self.reorder {
            None => self.write(&line),
            Some((next, pending)) if index != *next => {
                pending.insert(index, line);
            }
            Some(_) => {
                self.write(&line);
                self.drain_ready();
            }
        }
        matches!(self.state, State::Open)
    }

    /// Writes the queued outcomes that are next in order.
    fn drain_ready(&mut self) {
        loop {
            let Some((next, pending)) = &mut self.reorder else {
                return;
            };
            *next += 1;
            let Some(line) = pending.remove(next) else {
                return;
            };
            self.write(&line);
        }
    }

    fn write(&mut self, line: &str) {
        if !matches!(self.state, State::Open) {
            return;
        }
        match self.out.push(line) {
            Ok(()) => self.written += 1,
            Err(e) => self.fail(e),
        }
    }

    /// Stops all later writes; a file is cut back to its last whole line
    /// (a write that failed half-way may have left part of one).
    fn fail(&mut self, e: std::io::Error) {
        let whole = self.out.committed();
        if let Target::File(f) = self.out.get_mut() {
            let _ = f.set_len(whole);
        }
        self.state = if e.kind() == ErrorKind::BrokenPipe {
            State::Closed
        } else {
            State::Failed(e)
        };
    }

    /// Writes what is still queued (in index order, past any gap left by a
    /// stopped batch), flushes, and reports the first write error.
    pub(crate) fn finish(mut self) -> Result<u64> {
        if let Some((_, pending)) = self.reorder.take() {
            for line in pending.into_values() {
                self.write(&line);
            }
        }
        if matches!(self.state, State::Open) {
            if let Err(e) = self.out.flush() {
                self.fail(e);
            }
        }
        match self.state {
            State::Failed(e) => Err(anyhow!(
                "cannot write {} to {}: {e} (no line after that one was written)",
                self.lines,
                self.what
            )),
            State::Open | State::Closed => Ok(self.written),
        }
    }
}

/// `{"index":N,"events":[…]}` and a newline: one execution's history.
pub(crate) fn history_line(index: u64, h: &stampede::History) -> String {
    let mut s = String::with_capacity(h.len() * 200 + 24);
    s.push_str("{\"index\":");
    s.push_str(&index.to_string());
    s.push_str(",\"events\":");
    h.write_events(&mut s);
    s.push_str("}\n");
    s
}

/// `{"index":N,"status":…}` and a newline.
fn line(index: u64, outcome: &Outcome) -> String {
    let body = outcome.to_json_line();
    let mut s = String::with_capacity(body.len() + 24);
    s.push_str("{\"index\":");
    s.push_str(&index.to_string());
    s.push(',');
    s.push_str(&body[1..]);
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_goes_first() {
        let o = Outcome::failure("E", "C");
        assert_eq!(
            line(7, &o),
            "{\"index\":7,\"status\":\"FAILED\",\"error\":\"E\",\"cause\":\"C\"}\n"
        );
    }
}
