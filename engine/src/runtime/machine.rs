//! A compiled state machine, ready to run many executions: on the calling
//! thread (this file, with `local.rs`) or on a [`super::Runtime`].

use super::local::{run_to_end, LocalTokens};
use crate::handlers::TaskTokens;
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
        match self.run(&Input::Json(Box::new(input.clone())), opts) {
            Ok(o) => o,
            Err(e) => Outcome::failure("States.Runtime", e.to_string()),
        }
    }

    /// Runs one execution of any [`Input`] on the calling thread (virtual clock).
    ///
    /// # Errors
    /// [`InputError`] when the input is not JSON.
    ///
    /// Nothing can send the task token of a `.waitForTaskToken` task here:
    /// such a task times out at its first deadline (`HeartbeatSeconds`,
    /// `TimeoutSeconds`, else AWS's default of 99999999 s) on the virtual
    /// clock. Use [`Machine::run_with_tokens`] or a [`crate::Runtime`] to send them.
    pub fn run(&self, input: &Input, opts: &RunOptions) -> Result<Outcome, InputError> {
        self.run_local(input, opts, None)
    }

    /// Runs one execution on the calling thread (virtual clock) whose
    /// `.waitForTaskToken` tasks wait in `tokens`, completed with
    /// [`TaskTokens::send_task_success`] and its kin from any thread
    /// (handlers included). When the execution has nothing to do but wait
    /// for tokens and none has been sent, `on_wait` is called: it sends
    /// some (or arranges that another thread will) and returns `true`, or
    /// returns `false` when none will come. Then virtual time passes to the
    /// earliest deadline of the waiting tasks, which fails with
    /// `States.HeartbeatTimeout` or `States.Timeout` (AWS's default
    /// `TimeoutSeconds` of 99999999 s when the state sets none), and
    /// `on_wait` is asked again at the next wait. Virtual time does not pass
    /// while it waits, so heartbeats only keep a token valid here.
    ///
    /// # Errors
    /// [`InputError`] when the input is not JSON.
    pub fn run_with_tokens(
        &self,
        input: &Input,
        opts: &RunOptions,
        tokens: &TaskTokens,
        on_wait: &mut dyn FnMut() -> bool,
    ) -> Result<Outcome, InputError> {
        self.run_local(input, opts, Some(LocalTokens { tokens, on_wait }))
    }

    fn run_local(
        &self,
        input: &Input,
        opts: &RunOptions,
        tokens: Option<LocalTokens<'_>>,
    ) -> Result<Outcome, InputError> {
        let t0 = std::time::Instant::now();
        let info = if opts.state_machine_name.is_none()
            && opts.arns.is_none()
            && !opts.machine_type.is_express()
        {
            Arc::clone(&self.default_info)
        } else {
            vm::machine_info(opts)
        };
        let id = tokens.as_ref().map_or(0, |t| t.tokens.fresh_exec_id());
        let mut exec = vm::start(&self.core, id, &info, input, opts)?;
        run_to_end(&self.core, &mut exec, tokens);
        let wall_us = u64::try_from(t0.elapsed().as_micros()).unwrap_or(u64::MAX);
        Ok(Outcome::of(&mut exec, wall_us))
    }
}
