//! The embedding API: an [`Engine`] holds task handlers, compiles definitions
//! into [`Machine`]s, and a machine runs executions.

use crate::asl::Diagnostics;
use crate::bytecode::Program;
use crate::handlers::{Registry, TaskHandler};
use crate::json::{Doc, Val};
use crate::runtime::{local, prepare, InputError, MachineCore, Outcome, RunOptions};
use std::fmt;
use std::sync::Arc;

/// Holds task handlers and compiles definitions.
#[derive(Debug, Default, Clone)]
pub struct Engine {
    registry: Registry,
}

impl Engine {
    /// An engine with no handlers registered.
    pub fn new() -> Self {
        Engine::default()
    }

    /// Registers a handler for the resources `pattern` matches: an exact
    /// `Resource`, a prefix ending in `*`, or `*` for all. Exact beats the
    /// longest prefix, which beats `*`. Chains.
    pub fn register(&mut self, pattern: &str, handler: impl TaskHandler) -> &mut Self {
        self.registry.register(pattern, Arc::new(handler));
        self
    }

    /// Serves every Task state, whatever its `Resource`, with the built-in
    /// `echo` handler (returns its effective input). Used by `stampede run --echo-tasks`.
    pub fn echo_all_tasks(&mut self) -> &mut Self {
        self.register("*", crate::handlers::echo())
    }

    /// Parses, validates and compiles a definition given as JSON text.
    ///
    /// # Errors
    /// Every problem in the definition, each with its JSON pointer; also a
    /// Task whose `Resource` no registered handler serves.
    pub fn compile(&self, definition: &str) -> Result<Machine, Diagnostics> {
        let (sm, _warnings) = crate::asl::parse(definition)?;
        let program = crate::compile::compile(&sm, &self.registry)?;
        Ok(Machine {
            core: Arc::new(MachineCore {
                program,
                handlers: self.registry.handlers().to_vec(),
            }),
            default_info: prepare::machine_info(&RunOptions::default()),
        })
    }
}

/// A compiled state machine, ready to run many executions.
#[derive(Clone)]
pub struct Machine {
    core: Arc<MachineCore>,
    /// Names and ARNs for the default options, built once.
    default_info: Arc<crate::vm::MachineInfo>,
}

impl fmt::Debug for Machine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Machine")
            .field("ops", &self.core.program.ops.len())
            .finish()
    }
}

impl crate::runtime::Runnable for Machine {
    fn core(&self) -> &Arc<MachineCore> {
        &self.core
    }
}

impl Machine {
    /// The compiled program (ops and side tables).
    pub fn program(&self) -> &Program {
        &self.core.program
    }

    /// Runs one execution to its end with `input` given as JSON text, on
    /// the calling thread with a virtual clock.
    ///
    /// # Errors
    /// [`InputError`] when `input` is not JSON.
    pub fn run_text(&self, input: &str, opts: &RunOptions) -> Result<Outcome, InputError> {
        let mut doc = crate::vm::spare_doc(input.len() * 2);
        let v = doc.parse(input).map_err(|e| InputError(e.message))?;
        Ok(self.run_doc(doc, v, opts))
    }

    /// Runs one execution whose input is a `serde_json` value.
    pub fn run_value(&self, input: &serde_json::Value, opts: &RunOptions) -> Outcome {
        let mut doc = Doc::new();
        let v = doc.import(input);
        self.run_doc(doc, v, opts)
    }

    fn run_doc(&self, doc: Doc, input: Val, opts: &RunOptions) -> Outcome {
        let t0 = std::time::Instant::now();
        let info = if opts.state_machine_name.is_none()
            && opts.machine_type == crate::MachineType::Standard
        {
            Arc::clone(&self.default_info)
        } else {
            prepare::machine_info(opts)
        };
        let mut exec = prepare::execution(&self.core, 0, &info, doc, input, opts);
        local::run_to_end(&self.core.program, &self.core.handlers, &mut exec);
        prepare::outcome(
            &exec,
            u64::try_from(t0.elapsed().as_micros()).unwrap_or(u64::MAX),
        )
    }
}
