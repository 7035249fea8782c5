//! What every request handler shares: the store, the engine's runtime,
//! the ARNs, the mock file, and how definitions are compiled (off the I/O
//! threads) for each MockConfigFile test case.

use crate::error::{invalid_definition, ApiError};
use crate::names::Arns;
use crate::store::{MachineVersion, Store};
use crate::tasks::Integrations;
use serde_json::Value;
use stampede::{handlers, Definition, Engine, MachineType, Runtime};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError};

/// The server's shared state.
#[derive(Debug)]
pub(crate) struct App {
    /// State machines, executions, activities, tags.
    pub(crate) store: Arc<Store>,
    /// Runs the executions (wall clock).
    pub(crate) runtime: Runtime,
    /// Region and account of the ARNs.
    pub(crate) arns: Arns,
    /// The mock file, parsed, when one was given.
    pub(crate) mocks: Option<Arc<Value>>,
    /// Serves unmocked tasks.
    pub(crate) integrations: Integrations,
    ids: AtomicU64,
    seed: u64,
}

impl App {
    /// The shared state of one server.
    pub(crate) fn new(
        store: Store,
        runtime: Runtime,
        arns: Arns,
        mocks: Option<Value>,
        integrations: Integrations,
    ) -> App {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x5eed, |d| d.as_nanos() as u64);
        App {
            store: Arc::new(store),
            runtime,
            arns,
            mocks: mocks.map(Arc::new),
            integrations,
            ids: AtomicU64::new(1),
            seed,
        }
    }

    /// A fresh UUID-shaped id (version-4 layout; unique in this process).
    pub(crate) fn uuid(&self) -> String {
        let n = self.ids.fetch_add(1, Ordering::Relaxed);
        let a = mix(self.seed ^ n);
        let b = mix(a ^ n.rotate_left(32));
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }

    /// Runs CPU work (parsing, validating, compiling a definition) on
    /// tokio's blocking pool, so the I/O threads go on serving.
    ///
    /// # Errors
    /// An internal error if the work panicked.
    pub(crate) async fn cpu<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| ApiError::internal(format!("the work failed: {e}")))
    }

    /// Validates and compiles a definition with the unmocked integrations.
    ///
    /// # Errors
    /// `InvalidDefinition` with every problem.
    pub(crate) async fn compile(
        &self,
        definition: String,
        kind: MachineType,
    ) -> Result<stampede::Machine, ApiError> {
        let integrations = self.integrations.clone();
        self.cpu(move || {
            let def = Definition::parse(&definition, kind).map_err(|d| invalid_definition(&d))?;
            let mut engine = Engine::new();
            engine.register("*", integrations);
            engine
                .compile_definition(&def)
                .map_err(|d| invalid_definition(&d))
        })
        .await?
    }

    /// The compiled machine an execution of `version` runs: unmocked, or
    /// with test case `case` of the mock file (compiled once per version
    /// and test case, then kept).
    ///
    /// # Errors
    /// `ValidationException` when no mock file was given, or it has no
    /// such state machine or test case.
    pub(crate) async fn machine_for(
        &self,
        version: &Arc<MachineVersion>,
        case: Option<&str>,
    ) -> Result<stampede::Machine, ApiError> {
        let Some(case) = case else {
            return Ok(version.compiled.clone());
        };
        if let Some(m) = version
            .cases
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(case)
        {
            return Ok(m.clone());
        }
        let Some(mocks) = self.mocks.clone() else {
            return Err(ApiError::new(
                "ValidationException",
                format!(
                    "The state machine ARN names the test case '{case}', and this server has no \
                     mock config: start it with --mock-config FILE (or SFN_MOCK_CONFIG=FILE)."
                ),
            ));
        };
        let integrations = self.integrations.clone();
        let (v, name, owned_case) = (Arc::clone(version), version.name.clone(), case.to_owned());
        let compiled = self
            .cpu(move || {
                let mock = handlers::mock_config(&*mocks, Some(&name), Some(&owned_case)).map_err(
                    |e| {
                        ApiError::new(
                            "ValidationException",
                            format!(
                                "Test case '{owned_case}' of state machine '{name}': {}",
                                e.to_string().trim_end().replace('\n', "; ")
                            ),
                        )
                    },
                )?;
                let def =
                    Definition::parse(&v.definition, v.kind).map_err(|d| invalid_definition(&d))?;
                let mut engine = Engine::new();
                engine.register("*", mock.or_else(integrations));
                engine
                    .compile_definition(&def)
                    .map_err(|d| invalid_definition(&d))
            })
            .await??;
        version
            .cases
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(case.to_owned(), compiled.clone());
        Ok(compiled)
    }
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
