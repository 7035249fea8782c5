//! JSON Lines out, whole lines only. Lines collect in a buffer that goes to
//! the writer in one `write_all` when the next line would not fit, and at
//! `flush`; so everything handed to the writer ends on a line boundary, and
//! a batch stopped by a signal leaves no half line. (A line longer than the
//! buffer goes alone, in one `write_all` of its own.)
//!
//! What reached the writer is counted in `committed` bytes, so that after a
//! failed write a file can be cut back to its last whole line.

use std::io::{self, Write};

/// A buffered writer of whole lines.
#[derive(Debug)]
pub(crate) struct LineWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
    /// Bytes the writer has taken in full.
    committed: u64,
}

impl<W: Write> LineWriter<W> {
    /// A writer with a buffer of `capacity` bytes.
    pub(crate) fn new(out: W, capacity: usize) -> Self {
        LineWriter {
            out,
            buf: Vec::with_capacity(capacity),
            committed: 0,
        }
    }

    /// Adds one line, which ends in `\n`.
    ///
    /// # Errors
    /// The buffer had to be written and the writer failed.
    pub(crate) fn push(&mut self, line: &str) -> io::Result<()> {
        debug_assert!(line.ends_with('\n'), "a whole line: {line:?}");
        if self.buf.len() + line.len() > self.buf.capacity() {
            self.write_buffer()?;
        }
        if line.len() > self.buf.capacity() {
            self.out.write_all(line.as_bytes())?;
            self.committed += line.len() as u64;
        } else {
            self.buf.extend_from_slice(line.as_bytes());
        }
        Ok(())
    }

    /// Writes the buffer (whole lines) and flushes the writer.
    ///
    /// # Errors
    /// The writer failed.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.write_buffer()?;
        self.out.flush()
    }

    /// Bytes the writer has taken: a length that ends on a line boundary.
    pub(crate) fn committed(&self) -> u64 {
        self.committed
    }

    /// The writer (to repair it after a failure).
    pub(crate) fn get_mut(&mut self) -> &mut W {
        &mut self.out
    }

    fn write_buffer(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let result = self.out.write_all(&self.buf);
        if result.is_ok() {
            self.committed += self.buf.len() as u64;
        }
        // Written or not, these bytes are never offered again: a failed
        // writer takes nothing more.
        self.buf.clear();
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records each `write_all` (std's default loops over `write`; one call
    /// per `write_all` here since `write` takes all it is given).
    #[derive(Default)]
    struct Calls(Vec<Vec<u8>>);

    impl Write for Calls {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.push(b.to_vec());
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_write_ends_on_a_line_boundary() {
        let mut w = LineWriter::new(Calls::default(), 32);
        let lines: Vec<String> = (0..40).map(|i| format!("{{\"index\":{i}}}\n")).collect();
        for l in &lines {
            w.push(l).unwrap();
        }
        let long = format!("{}\n", "x".repeat(100));
        w.push(&long).unwrap();
        w.push("{}\n").unwrap();
        w.flush().unwrap();
        let calls = &w.get_mut().0;
        assert!(calls.len() > 2, "{} writes", calls.len());
        assert!(calls.iter().all(|c| c.ends_with(b"\n")));
        assert!(
            calls.iter().any(|c| *c == long.as_bytes()),
            "the long line alone"
        );
        let all: Vec<u8> = calls.concat();
        let expected = lines.concat() + &long + "{}\n";
        assert_eq!(String::from_utf8(all).unwrap(), expected);
        assert_eq!(w.committed(), expected.len() as u64);
    }
}
