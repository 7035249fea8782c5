//! What every request handler shares: the store, the engine's runtime,
//! the ARNs, the mock file, and how definitions are compiled (off the I/O
//! threads) for each MockConfigFile test case.

use crate::activity_tasks::ActivityTasks;
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
    /// Activity tasks waiting for workers and for their `SendTask*`.
    pub(crate) activity_tasks: ActivityTasks,
    /// How long a `GetActivityTask` waits for a task.
    pub(crate) activity_poll: std::time::Duration,
    ids: AtomicU64,
    seed: u64,
}

impl App {
    /// The shared state of one server (`integrations` queue activity
    /// tasks on `activity_tasks`).
    pub(crate) fn new(
        store: Arc<Store>,
        runtime: Runtime,
        arns: Arns,
        mocks: Option<Value>,
        integrations: Integrations,
        activity_tasks: ActivityTasks,
        activity_poll: std::time::Duration,
    ) -> App {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x5eed, |d| d.as_nanos() as u64);
        App {
            store,
            runtime,
            arns,
            mocks: mocks.map(Arc::new),
            integrations,
            activity_tasks,
            activity_poll,
            ids: AtomicU64::new(1),
            seed,
        }
    }

    /// A fresh UUID-shaped id (version-4 layout; unique in this process).
    pub(crate) fn uuid(&self) -> String {
        uuid_of(self.seed, self.ids.fetch_add(1, Ordering::Relaxed))
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

/// The `n`th id of a server seeded `seed`: 32 hex digits in the
/// 8-4-4-4-12 layout, version nibble 4 and variant bits 10, written
/// directly (`format!` costs about five times more, three times per request).
fn uuid_of(seed: u64, n: u64) -> String {
    let a = mix(seed ^ n);
    let b = mix(a ^ n.rotate_left(32));
    let hi = (a & !0xf000) | 0x4000;
    let lo = (b & !(0xc << 60)) | (0x8 << 60);
    let mut out = String::with_capacity(36);
    hex(&mut out, hi >> 32, 8);
    out.push('-');
    hex(&mut out, hi >> 16, 4);
    out.push('-');
    hex(&mut out, hi, 4);
    out.push('-');
    hex(&mut out, lo >> 48, 4);
    out.push('-');
    hex(&mut out, lo, 12);
    out
}

/// Appends the low `digits` hex digits of `v` (lower case).
fn hex(out: &mut String, v: u64, digits: u32) {
    for i in (0..digits).rev() {
        let d = ((v >> (4 * i)) & 0xf) as u8;
        out.push(char::from(if d < 10 { b'0' + d } else { b'a' + d - 10 }));
    }
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_uuid_shaped_and_unique() {
        let ids: Vec<String> = (0..1000).map(|n| super::uuid_of(0x5eed, n)).collect();
        for id in &ids {
            let parts: Vec<&str> = id.split('-').collect();
            let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
            assert_eq!(lens, [8, 4, 4, 4, 12], "{id}");
            assert!(id
                .chars()
                .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)));
            assert!(parts[2].starts_with('4'), "version 4: {id}");
            assert!("89ab".contains(&parts[3][..1]), "variant: {id}");
        }
        let set: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(set.len(), ids.len());
    }
}
