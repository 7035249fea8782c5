//! A progress bar on stderr for long batches: only when stderr is a
//! terminal, and only once the run has lasted a second. The batch loop
//! bumps an atomic counter; a ticker thread moves the bar ten times a
//! second, so no execution ever waits on drawing.

use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a run goes before the bar appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);
/// How often the bar moves.
const TICK: Duration = Duration::from_millis(100);

/// The counter the batch bumps, and the bar's ticker (if any).
#[derive(Debug)]
pub(crate) struct Progress {
    done: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    ticker: Option<JoinHandle<()>>,
}

impl Progress {
    /// A bar for `total` executions, or a bare counter when `enabled` is
    /// false or stderr is not a terminal.
    pub(crate) fn start(total: u64, enabled: bool) -> Progress {
        let done = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let ticker = (enabled && std::io::stderr().is_terminal()).then(|| {
            let (done, stop) = (Arc::clone(&done), Arc::clone(&stop));
            std::thread::spawn(move || tick(total, &done, &stop))
        });
        Progress { done, stop, ticker }
    }

    /// One more execution done.
    pub(crate) fn inc(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// Removes the bar (before the summary is printed).
    pub(crate) fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
    }
}

fn tick(total: u64, done: &AtomicU64, stop: &AtomicBool) {
    let started = Instant::now();
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40.cyan/blue} {human_pos}/{human_len} executions  {msg}/s  eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut shown = false;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(TICK);
        if !shown && started.elapsed() >= SHOW_AFTER {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            shown = true;
        }
        let n = done.load(Ordering::Relaxed);
        // The average rate since the start: steadier than a moving estimate.
        let rate = n as f64 / started.elapsed().as_secs_f64().max(1e-3);
        bar.set_message(HumanCount(rate as u64).to_string());
        bar.set_position(n);
    }
    bar.finish_and_clear();
}
