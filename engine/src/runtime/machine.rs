//! A compiled state machine, ready to run many executions: on the calling
//! thread (this file, with `local.rs`) or on a [`super::Runtime`].

use super::local::run_to_end;
use crate::vm::{self, Input, InputError, MachineCore, MachineInfo, Outcome, RunOptions};
use std::fmt;
use std::sync::Arc;

/// A compiled state machine, ready to run many executions (cheap to clone).
#[derive(Clone)]
pub struct Machine {
    core: Arc<MachineCore>,
    /// Names and ARNs for the default options, built once.
    default_info: Arc<MachineInfo>,
}

impl fmt::Debug for Machine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Machine")
            .field("ops", &self.core.program.ops.len())
            .finish()
    }
}

impl Machine {
    /// Wraps a compiled program and its handlers.
    pub(crate) fn new(core: MachineCore) -> Machine {
        Machine {
            core: Arc::new(core),
            default_info: vm::machine_info(&RunOptions::default()),
        }
    }

    /// The program and handlers (for the runtime's workers).
    pub(crate) fn core(&self) -> &Arc<MachineCore> {
        &self.core
    }

    /// Number of bytecode ops the definition compiled to.
    pub fn op_count(&self) -> usize {
        self.core.program.ops.len()
    }

    /// Runs one execution to its end with `input` given as JSON text, on
    /// the calling thread with a virtual clock.
    ///
    /// # Errors
    /// [`InputError`] when `input` is not JSON.
    pub fn run_text(&self, input: &str, opts: &RunOptions) -> Result<Outcome, InputError> {
        self.run(&Input::Text(input.to_owned()), opts)
    }

    /// Runs one execution whose input is a `serde_json` value.
    pub fn run_value(&self, input: &serde_json::Value, opts: &RunOptions) -> Outcome {
        match self.run(&Input::Json(input.clone()), opts) {
            Ok(o) => o,
            Err(e) => Outcome::failure("States.Runtime", e.to_string()),
        }
    }

    /// Runs one execution of any [`Input`] on the calling thread (virtual clock).
    ///
    /// # Errors
    /// [`InputError`] when the input is not JSON.
    pub fn run(&self, input: &Input, opts: &RunOptions) -> Result<Outcome, InputError> {
        let t0 = std::time::Instant::now();
        let info = if opts.state_machine_name.is_none() && !opts.machine_type.is_express() {
            Arc::clone(&self.default_info)
        } else {
            vm::machine_info(opts)
        };
        let mut exec = vm::start(&self.core, 0, &info, input, opts)?;
        run_to_end(&self.core, &mut exec);
        let wall_us = u64::try_from(t0.elapsed().as_micros()).unwrap_or(u64::MAX);
        Ok(Outcome::of(&mut exec, wall_us))
    }
}
