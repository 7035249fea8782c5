//! SIGINT, SIGTERM and SIGHUP for the commands that run long (`run`
//! batches, `simulate`, `stampede-loadgen`). The first of them asks the
//! command to stop: it starts no more work, lets what is in flight end,
//! writes only whole lines and whole files, prints its summary, and exits
//! 128 + the signal's number (130, 143, 129). A second one exits at once,
//! with its own code.
//!
//! The handlers only store to atomics (signal-hook's `flag` actions, which
//! are async-signal-safe); the command polls the flag. signal-hook rather
//! than `ctrlc` with its `termination` feature: that one runs one callback
//! for all three signals and does not say which came, so the exit code
//! could not tell SIGTERM from SIGHUP.
//!
//! This file has no crate-local imports: `stampede-loadgen` includes it
//! with `#[path]` rather than copying it.

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::flag;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Set by the first signal: stop starting work.
static REQUESTED: AtomicBool = AtomicBool::new(false);
/// The number of the first signal (0 until one came).
static RECEIVED: AtomicUsize = AtomicUsize::new(0);
/// Handlers are installed once (a second set would exit on the first signal).
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// A signal that stops a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// SIGHUP: the terminal went away.
    Hangup,
    /// SIGINT: Ctrl-C.
    Interrupt,
    /// SIGTERM: a supervisor or `kill`.
    Terminate,
}

impl Signal {
    const ALL: [Signal; 3] = [Signal::Hangup, Signal::Interrupt, Signal::Terminate];

    fn number(self) -> i32 {
        match self {
            Signal::Hangup => SIGHUP,
            Signal::Interrupt => SIGINT,
            Signal::Terminate => SIGTERM,
        }
    }

    /// `SIGHUP`, `SIGINT` or `SIGTERM`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Signal::Hangup => "SIGHUP",
            Signal::Interrupt => "SIGINT",
            Signal::Terminate => "SIGTERM",
        }
    }

    /// 128 + the signal's number, as a shell reports a process it killed.
    pub(crate) fn exit_code(self) -> u8 {
        // Signal numbers 1, 2 and 15: 129, 130 and 143.
        128 + self.number() as u8
    }
}

/// The handlers could not be installed.
#[derive(Debug)]
pub(crate) struct InstallError {
    signal: Signal,
    source: std::io::Error,
}

impl std::fmt::Display for InstallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot handle {}: {}", self.signal.name(), self.source)
    }
}

impl std::error::Error for InstallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Installs the handlers (once per process) and returns the flag the first
/// signal sets.
///
/// # Errors
/// The operating system refused a handler.
pub(crate) fn install() -> Result<&'static AtomicBool, InstallError> {
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return Ok(&REQUESTED);
    }
    for signal in Signal::ALL {
        let n = signal.number();
        let err = |source| InstallError { signal, source };
        // In this order: a second signal finds REQUESTED set and exits;
        // the first records which it was, then sets REQUESTED.
        flag::register_conditional_shutdown(n, i32::from(signal.exit_code()), &REQUESTED)
            .map_err(err)?;
        flag::register_usize(n, &RECEIVED, n as usize).map_err(err)?;
        flag::register(n, &REQUESTED).map_err(err)?;
    }
    Ok(&REQUESTED)
}

/// The first signal that came, if any.
pub(crate) fn received() -> Option<Signal> {
    let n = RECEIVED.load(Ordering::SeqCst);
    Signal::ALL.into_iter().find(|s| s.number() as usize == n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_128_plus_the_number() {
        let codes: Vec<u8> = Signal::ALL.iter().map(|s| s.exit_code()).collect();
        assert_eq!(codes, [129, 130, 143]);
    }
}
