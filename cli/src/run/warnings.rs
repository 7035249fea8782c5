//! Warnings on stderr for input lines of a batch that are not JSON: such a
//! line does not stop the batch, its executions fail with `States.Runtime`.

use stampede::{Outcome, Status};
use std::path::Path;

/// Distinct bad lines warned about one by one; past that, one last warning.
const MAX_WARNINGS: usize = 10;

/// Warnings on stderr for input lines that are not JSON, once per line.
pub(crate) struct Warnings<'a> {
    file: Option<&'a Path>,
    warned: std::collections::BTreeSet<usize>,
    more: u64,
}

impl<'a> Warnings<'a> {
    pub(crate) fn new(file: Option<&'a Path>) -> Self {
        Warnings {
            file,
            warned: Default::default(),
            more: 0,
        }
    }

    pub(crate) fn check(&mut self, o: &Outcome, line: usize) {
        let Some(file) = self.file else { return };
        let bad_input = o.status == Status::Failed
            && o.error.as_deref() == Some("States.Runtime")
            && o.cause
                .as_deref()
                .is_some_and(|c| c.starts_with("invalid execution input"));
        if !bad_input || self.warned.contains(&line) {
            return;
        }
        if self.warned.len() < MAX_WARNINGS {
            self.warned.insert(line);
            eprintln!(
                "warning: {}:{line}: {} (its executions fail with States.Runtime)",
                file.display(),
                o.cause.as_deref().unwrap_or_default()
            );
        } else {
            self.more += 1;
        }
    }

    pub(crate) fn finish(&self) {
        if self.more > 0 {
            eprintln!(
                "warning: {} more executions had input that is not JSON",
                self.more
            );
        }
    }
}
