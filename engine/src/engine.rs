//! The embedding API's entry: an [`Engine`] holds task handlers and compiles
//! definitions into [`Machine`]s (which run executions, see `runtime/`).

use crate::asl::codes::NO_OBJECT_STORE;
use crate::asl::{Diagnostic, Diagnostics};
use crate::definition::Definition;
use crate::handlers::{Registry, TaskHandler};
use crate::machine_type::MachineType;
use crate::runtime::Machine;
use crate::store::ObjectStore;
use crate::vm::MachineCore;
use std::sync::Arc;

/// Holds task handlers and compiles definitions.
#[derive(Debug, Default, Clone)]
pub struct Engine {
    registry: Registry,
    store: Option<Arc<dyn ObjectStore>>,
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

    /// Where a Distributed Map's `ItemReader` reads (and `ResultWriter`
    /// writes) `s3://` objects: a [`crate::store::LocalFolder`], or any
    /// [`ObjectStore`] (a real S3 client). Machines compiled afterwards use it. Chains.
    pub fn object_store(&mut self, store: impl ObjectStore + 'static) -> &mut Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// Parses, validates and compiles a definition of a Standard machine.
    ///
    /// # Errors
    /// Every problem in the definition, each with its JSON pointer; also a
    /// Task whose `Resource` no registered handler serves.
    pub fn compile(&self, definition: &str) -> Result<Machine, Diagnostics> {
        self.compile_for(definition, MachineType::Standard)
    }

    /// Like [`Engine::compile`], validating the definition for `machine_type`
    /// (an Express machine may not use `.sync`, `.waitForTaskToken` or activities).
    ///
    /// # Errors
    /// As [`Engine::compile`].
    pub fn compile_for(
        &self,
        definition: &str,
        machine_type: MachineType,
    ) -> Result<Machine, Diagnostics> {
        self.compile_definition(&Definition::parse(definition, machine_type)?)
    }

    /// Compiles a definition parsed and validated already.
    ///
    /// # Errors
    /// A Task whose `Resource` no registered handler serves (with its pointer);
    /// a Distributed Map that reads or writes objects when the engine has no
    /// [`Engine::object_store`] (`NO_OBJECT_STORE`).
    pub fn compile_definition(&self, definition: &Definition) -> Result<Machine, Diagnostics> {
        let mut program = crate::compile::compile(definition.state_machine(), &self.registry)?;
        if self.store.is_none() {
            let missing: Vec<Diagnostic> = program
                .maps
                .iter()
                .filter_map(|m| m.store_pointer())
                .map(|ptr| {
                    Diagnostic::error(
                        NO_OBJECT_STORE,
                        ptr,
                        "A Distributed Map reads or writes S3 objects, but no object store was given: run with --s3-root DIR (or STAMPEDE_S3_ROOT), or call Engine::object_store",
                    )
                })
                .collect();
            if !missing.is_empty() {
                return Err(Diagnostics(missing));
            }
        }
        program.store = self.store.clone();
        Ok(Machine::new(MachineCore {
            program,
            handlers: self.registry.handlers().to_vec(),
        }))
    }
}
