//! What the load commands share: a definition and input from files, the task
//! handlers serving every resource, a runtime, and when to stop.

use anyhow::{bail, Context, Result};
use stampede::{handlers, Clock, Engine, Machine, Runtime};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Which handler serves every Task resource (`*`).
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tasks {
    /// The result is the effective input.
    Echo,
    /// Echo, failing as an input's `__fail` asks (the peer engines' convention).
    #[default]
    FailConvention,
}

/// Which clock executions run on.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClockArg {
    /// Waits and retry intervals cost no time (measures the engine itself).
    #[default]
    Virtual,
    /// Waits and retry intervals take real time.
    Wall,
}

/// A definition, an input and how to run them.
#[derive(clap::Args, Debug, Clone)]
pub struct WorkloadArgs {
    /// State machine definition (ASL JSON), e.g. shared/peers/workloads/pass10/definition.json.
    #[arg(long)]
    pub definition: PathBuf,
    /// Execution input (JSON), shared by every execution.
    #[arg(long)]
    pub input: PathBuf,
    /// Handler for every Task resource.
    #[arg(long, value_enum, default_value_t)]
    pub tasks: Tasks,
    /// Worker threads (default: the number of cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// The executions' clock.
    #[arg(long, value_enum, default_value_t)]
    pub clock: ClockArg,
}

/// A compiled workload ready to run.
#[derive(Debug, Clone)]
pub struct Workload {
    /// Its name: the folder the definition is in, else the file's stem.
    pub name: String,
    /// The compiled machine.
    pub machine: Machine,
    /// The input every execution gets (shared, never copied).
    pub input: Arc<str>,
}

/// An engine whose every resource is served by `tasks`.
pub fn engine(tasks: Tasks) -> Engine {
    let mut e = Engine::new();
    match tasks {
        Tasks::Echo => e.register("*", handlers::echo()),
        Tasks::FailConvention => e.register("*", handlers::echo_with_failures()),
    };
    e
}

impl WorkloadArgs {
    /// Reads, checks and compiles the definition and input.
    ///
    /// # Errors
    /// A file is missing, the input is not JSON, or the definition does not compile.
    pub fn load(&self) -> Result<Workload> {
        let read = |p: &PathBuf| {
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))
        };
        let definition = read(&self.definition)?;
        let input = read(&self.input)?;
        serde_json::from_str::<serde_json::Value>(&input)
            .with_context(|| format!("{} is not JSON", self.input.display()))?;
        let machine = engine(self.tasks)
            .compile(&definition)
            .map_err(|d| anyhow::anyhow!("{} does not compile:\n{d}", self.definition.display()))?;
        Ok(Workload {
            name: name_of(&self.definition),
            machine,
            input: Arc::from(input.trim()),
        })
    }

    /// A runtime with these threads and this clock.
    pub fn runtime(&self) -> Runtime {
        runtime(self.threads, self.clock)
    }
}

/// A runtime with `threads` workers (default: cores) on `clock`.
pub fn runtime(threads: Option<usize>, clock: ClockArg) -> Runtime {
    let mut b = Runtime::builder().clock(match clock {
        ClockArg::Virtual => Clock::Virtual,
        ClockArg::Wall => Clock::Wall,
    });
    if let Some(t) = threads {
        b = b.threads(t);
    }
    b.build()
}

fn name_of(definition: &std::path::Path) -> String {
    let stem = definition
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("workload");
    if stem == "definition" {
        if let Some(dir) = definition
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|s| s.to_str())
        {
            return dir.to_owned();
        }
    }
    stem.to_owned()
}

/// When a load run stops arriving: after a time or a number of executions.
#[derive(clap::Args, Debug, Clone, Copy)]
#[group(required = true, multiple = false)]
pub struct Limit {
    /// Seconds of arrivals.
    #[arg(long)]
    pub duration: Option<f64>,
    /// Executions to start.
    #[arg(long)]
    pub count: Option<u64>,
}

impl Limit {
    /// Checks the numbers.
    ///
    /// # Errors
    /// A negative or non-finite duration.
    pub fn check(&self) -> Result<()> {
        if let Some(d) = self.duration {
            if !(d.is_finite() && d >= 0.0) {
                bail!("--duration must be a number of seconds ≥ 0, not {d}");
            }
        }
        Ok(())
    }

    /// Whether execution number `started` (0-based) may start `elapsed` after the start.
    pub fn allows(&self, started: u64, elapsed: Duration) -> bool {
        match (self.count, self.duration) {
            (Some(n), _) => started < n,
            (None, Some(d)) => elapsed.as_secs_f64() < d,
            (None, None) => false,
        }
    }
}
