//! The progress bar of `simulate`: executions done, simulated time, rate.

use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// The progress bar: executions done, simulated time, rate. Only on a
/// terminal, only after the run has lasted a second.
pub(crate) struct SimProgress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: bool,
}

impl SimProgress {
    pub(crate) fn new(total: Option<u64>, enabled: bool) -> SimProgress {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden());
            let template = if total.is_some() {
                "{bar:40.cyan/blue} {human_pos}/{human_len} executions  {msg}"
            } else {
                "{spinner} {human_pos} executions  {msg}"
            };
            bar.set_style(
                ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        SimProgress {
            bar,
            started: Instant::now(),
            shown: false,
        }
    }

    pub(crate) fn update(&mut self, done: u64, sim_s: f64) {
        let Some(bar) = &self.bar else { return };
        let wall = self.started.elapsed();
        if !self.shown && wall >= Duration::from_secs(1) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        let rate = done as f64 / wall.as_secs_f64().max(1e-3);
        bar.set_message(format!(
            "{} s simulated  {}/s",
            HumanCount(sim_s as u64),
            HumanCount(rate as u64)
        ));
        bar.set_position(done);
    }

    pub(crate) fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
