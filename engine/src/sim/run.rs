//! `simulate`: a scenario run as a discrete-event simulation on one virtual
//! clock.
//!
//! The definition is validated and compiled with one Task handler that
//! serves every Task from the scenario's resource models (`handler.rs`);
//! the [`Driver`] then takes events (arrivals and execution wake-ups) in time
//! order (`driver.rs`). A Task served by a resource model gets a delayed
//! reply (queueing delay + sampled latency, or a throttle error), decided when
//! it is called (see `queue.rs`), so the only events are an execution's own
//! timers. One thread runs it, which makes results exact and identical on any
//! machine; parallelism comes from sweeps and `--shard`.

use super::driver::Driver;
use super::handler::SimHandler;
use super::local::Local;
use super::queue::Limits;
use super::quota::TokenBucket;
use super::resource::ResourceModel;
use super::rng::Rng;
use super::{InputGen, Scenario};
use crate::asl::{Diagnostic, Diagnostics};
use crate::definition::Definition;
use crate::handlers::Registry;
use crate::report::SimStats;
use crate::vm::MachineCore;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// How to run a scenario.
#[derive(Default)]
pub struct SimOptions<'a> {
    /// Run the `i`-th of `n` disjoint slices of the executions (0-based `i`).
    pub shard: Option<(u32, u32)>,
    /// Set to stop early; the report is then marked partial.
    pub stop: Option<&'a AtomicBool>,
    /// Called about every 100 ms of wall time with (executions finished, simulated seconds).
    pub progress: Option<&'a mut dyn FnMut(u64, f64)>,
    /// Threads for this one simulation (`None`: one). The result is the
    /// same for any number; see "The driver" in `sim/README.md` for when
    /// more threads are faster.
    pub threads: Option<usize>,
}

/// What a simulation produced.
#[derive(Debug)]
pub struct SimResult {
    /// All statistics, mergeable with other shards.
    pub stats: SimStats,
    /// The definition, for drawing the graph.
    pub definition: Definition,
    /// Stopped before the end (Ctrl-C).
    pub partial: bool,
    /// Executions started.
    pub started: u64,
}

/// Runs a scenario to its end (or until `opts.stop`).
///
/// # Errors
/// The definition is invalid, a scenario resource matches no Task, or the
/// program does not compile — each problem with its JSON pointer.
pub fn simulate(sc: &Scenario, opts: SimOptions<'_>) -> Result<SimResult, Diagnostics> {
    let definition = Definition::parse(&sc.definition_text, sc.machine_type)
        .map_err(|d| prefix(d, "/definition"))?;
    let unmatched = super::check_resources(sc, &super::task_resources(&definition));
    if !unmatched.is_empty() {
        return Err(Diagnostics(unmatched));
    }
    let shard = opts.shard.unwrap_or((0, 1));
    let models: Vec<ResourceModel> = sc.resources.clone();
    let limits = shard_limits(&models, f64::from(shard.1.max(1)));
    let keys: Vec<String> = models.iter().map(|m| m.key.clone()).collect();
    let handler = Arc::new(SimHandler::new(models));
    let mut registry = Registry::default();
    registry.register(
        "*",
        Arc::clone(&handler) as Arc<dyn crate::handlers::TaskHandler>,
    );
    let mut program = crate::compile::compile(definition.state_machine(), &registry)?;
    handler.index(program.tasks.iter().map(|t| &*t.resource));
    program.store = match &sc.s3_root {
        Some(dir) => Some(Arc::new(crate::store::LocalFolder::new(dir))),
        None => {
            let missing: Vec<Diagnostic> = program
                .maps
                .iter()
                .filter_map(|m| m.store_pointer())
                .map(|ptr| {
                    Diagnostic::error(
                        crate::asl::codes::NO_OBJECT_STORE,
                        format!("/definition{ptr}"),
                        "A Distributed Map reads or writes S3 objects: give the scenario an \"s3_root\" folder",
                    )
                })
                .collect();
            if !missing.is_empty() {
                return Err(Diagnostics(missing));
            }
            None
        }
    };
    let states: Vec<String> = program.states.iter().map(|s| s.name.to_string()).collect();
    let inputs = InputGen::new(sc.input.clone());
    let dmaps = super::dmaps::distributed_maps(&program);
    let mut slot = vec![None; program.maps.len()];
    for (i, d) in dmaps.iter().enumerate() {
        slot[d.map] = Some(i);
    }
    let slot: Arc<[Option<usize>]> = slot.into();
    let local = |limits: Option<Vec<Limits>>| Local {
        stats: {
            let mut s = SimStats::new(states.clone(), keys.clone());
            for d in &dmaps {
                s.distributed_map(&d.name, d.express, d.states.clone());
            }
            s
        },
        dmaps: Arc::clone(&slot),
        rng: Rng::new(0),
        inputs: inputs.clone(),
        limits,
        busy: Vec::new(),
        blocked: false,
    };
    let driver_local = local(Some(limits));
    let core = MachineCore {
        program,
        handlers: registry.handlers().to_vec(),
    };
    let threads = opts.threads.unwrap_or(1);
    let mut driver = Driver::new(sc, shard, core, threads, driver_local);
    let worker = || local(None);
    let partial = driver.run_all(opts.stop, opts.progress, &worker);
    let (stats, started) = driver.into_stats();
    Ok(SimResult {
        stats,
        definition,
        partial,
        started,
    })
}

/// The limits of each model; with `n` shards, each models 1/n of every shared limit.
fn shard_limits(models: &[ResourceModel], n: f64) -> Vec<Limits> {
    models
        .iter()
        .map(|m| {
            let cap = m
                .max_concurrency
                .map(|c| ((f64::from(c) / n).ceil() as u32).max(1));
            let rate = m.max_rate_per_s.map(|r| {
                TokenBucket {
                    rate_per_s: r / n,
                    burst: (m.bucket_size().unwrap_or(1.0) / n).max(1.0),
                }
                .start()
            });
            Limits::new(cap, rate, m.on_limit)
        })
        .collect()
}

fn prefix(d: Diagnostics, at: &str) -> Diagnostics {
    Diagnostics(
        d.0.into_iter()
            .map(|x| Diagnostic {
                location: format!("{at}{}", x.location),
                ..x
            })
            .collect(),
    )
}

#[cfg(test)]
mod quota_tests {
    use super::*;

    fn scenario(quotas: &str) -> Scenario {
        let dir = std::env::temp_dir().join(format!(
            "stampede-quota-{}-{}",
            std::process::id(),
            quotas.len()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("d.json"),
            r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#,
        )
        .unwrap();
        let text = format!(r#"{{"definition":"d.json","executions":1000,"quotas":{quotas}}}"#);
        super::super::parse_scenario(&text, &dir).unwrap_or_else(|d| panic!("{d:?}"))
    }

    fn json(r: &SimResult) -> serde_json::Value {
        let prices = crate::report::PriceTable::default();
        let inputs = crate::report::CostInputs::from_stats(
            &r.stats,
            crate::machine_type::MachineType::Standard,
            &prices,
            |_| None,
        );
        crate::report::report_json(&r.stats, &prices.estimate(&inputs), &Default::default())
    }

    #[test]
    fn start_execution_quota_rejects_or_delays() {
        let r = simulate(&scenario(r#"{"start_execution_rate_per_s":10,"start_execution_burst":100,"on_start_limit":"reject"}"#), SimOptions::default()).unwrap();
        let j = json(&r);
        assert_eq!(
            j["executions"]["by_status"]["SUCCEEDED"], 100,
            "{}",
            j["executions"]
        );
        assert_eq!(j["executions"]["by_status"]["THROTTLED"], 900);
        let r = simulate(
            &scenario(r#"{"start_execution_rate_per_s":10,"start_execution_burst":100}"#),
            SimOptions::default(),
        )
        .unwrap();
        let j = json(&r);
        assert_eq!(j["executions"]["by_status"]["SUCCEEDED"], 1000);
        // 900 queued starts at 10/s: the last starts 90 s in.
        let secs = j["meta"]["simulated_seconds"].as_f64().unwrap();
        assert!((secs - 90.0).abs() < 0.5, "{secs}");
    }
}
