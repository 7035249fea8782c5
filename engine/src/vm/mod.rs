//! The interpreter and the one execution driver: fibers run a
//! [`crate::bytecode::Program`] in slices; [`Execution::advance`] moves an
//! execution on and says what it needs next (Done, Yield, Park, SleepUntil).
//! It never blocks and never knows which scheduler runs it.

mod assign;
mod child;
mod choice;
mod context;
mod core;
mod dmap;
mod driver;
mod exec;
mod expire;
mod failure;
mod fanout;
mod fiber;
mod flow;
mod idmap;
mod input;
mod invoke;
mod join;
mod operand;
mod outcome;
mod output;
mod probe;
mod query;
mod start;
mod step;
mod stream;
mod thresholds;
mod token;
mod token_wait;
mod tolerance;
mod wait;
mod writer;

pub(crate) use self::core::MachineCore;
pub(crate) use driver::Advance;
pub(crate) use exec::{Execution, RunEnv};
pub(crate) use failure::Decision;
pub use input::{Input, InputError, MAX_INPUT_BYTES};
pub use outcome::{Outcome, Status};
pub(crate) use probe::{Moved, Probe};
pub(crate) use start::{machine_info, start};
pub use start::{now_ms, ExecutionArns, RunOptions};

use crate::bytecode::{MapId, Program, StateId};
use crate::handlers::{CompletionKey, CompletionSink, TaskHandler, TaskTokens};
use crate::json::{Doc, Val};
use std::sync::Arc;

/// Facts shared by every execution of one machine under one set of options:
/// names and ARNs for the context object (`$$.StateMachine`, `$$.Execution`).
#[derive(Debug, Clone)]
pub(crate) struct MachineInfo {
    /// State machine name.
    pub name: Box<str>,
    /// State machine ARN.
    pub arn: Box<str>,
    /// Prefix of execution ARNs: `arn:…:execution:NAME:` or `arn:…:express:NAME:`.
    pub execution_arn_prefix: Box<str>,
    /// Role ARN.
    pub role_arn: Box<str>,
    /// An Express execution (`$$.Execution` keys in Express order, and a
    /// second id in the execution ARN).
    pub express: bool,
    /// Whether `$$.Execution.RedriveCount` exists (not for StartSyncExecution).
    pub redrivable: bool,
    /// The execution's ARN when the embedder named it ([`RunOptions::arns`]):
    /// then this info belongs to that one execution.
    pub execution_arn: Option<Box<str>>,
}

/// Static facts about one execution, kept small: a million of them may be parked at once.
#[derive(Debug, Clone)]
pub(crate) struct ExecInfo {
    /// Shared machine facts.
    pub machine: Arc<MachineInfo>,
    /// Execution name given by the caller; else derived from `seed` when first needed.
    pub name: Option<Box<str>>,
    /// The execution's seed (names it when no name was given).
    pub seed: u64,
    /// Start time, ms since the epoch.
    pub start_ms: i64,
    /// Caps on its history events and state transitions.
    pub limits: Limits,
    /// A copy of the original input (`$$.Execution.Input`) for child fibers,
    /// made when the first child of a program that reads `$$` starts (the
    /// top-level fiber reads the input it started with: values are immutable).
    pub input: Option<Box<(Doc, Val)>>,
}

impl ExecInfo {
    /// The execution name: the one given, or a UUID derived from the seed
    /// (formatted only when something reads it).
    pub(crate) fn name(&self) -> std::borrow::Cow<'_, str> {
        match &self.name {
            Some(n) => std::borrow::Cow::Borrowed(n),
            None => std::borrow::Cow::Owned(pseudo_uuid(self.seed)),
        }
    }

    /// The execution ARN, given the name (saves deriving it twice).
    pub(crate) fn execution_arn_for(&self, name: &str) -> String {
        let m = &self.machine;
        if let Some(arn) = &m.execution_arn {
            return arn.to_string();
        }
        if m.express {
            // Express ARNs carry a second id; derive it from the name so it is stable.
            let h = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            });
            let mut arn = String::with_capacity(m.execution_arn_prefix.len() + name.len() + 37);
            arn.push_str(&m.execution_arn_prefix);
            arn.push_str(name);
            arn.push(':');
            arn.push_str(&pseudo_uuid(h));
            arn
        } else {
            let mut arn = String::with_capacity(m.execution_arn_prefix.len() + name.len());
            arn.push_str(&m.execution_arn_prefix);
            arn.push_str(name);
            arn
        }
    }
}

/// Caps that end an execution which would otherwise never end: AWS's
/// 25,000-event history quota (Standard) and a cap on state transitions
/// (every type; the only one an Express execution in a loop of Pass states
/// meets, since virtual time never reaches its 5 minutes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// The execution fails when a history event past this one would be recorded
    /// (the last may only be `ExecutionSucceeded`); `u32::MAX` when there is no history.
    pub(crate) events: u32,
    /// The execution fails when it would make more state transitions than this.
    pub(crate) transitions: u32,
}

/// AWS's hard quota on a Standard execution's history (bp-history-limit.html:
/// event 25,000 may only be `ExecutionSucceeded`).
pub(crate) const MAX_HISTORY_EVENTS: u32 = 25_000;

/// The default cap on state transitions per execution.
pub const DEFAULT_MAX_TRANSITIONS: u32 = 1_000_000;

/// Counts an execution keeps as AWS's history would.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counters {
    /// History events so far (the id of the last event).
    pub events: u64,
    /// State transitions (states entered plus retries).
    pub transitions: u64,
    /// Task tokens drawn and deadline watches registered (their serial numbers).
    pub tokens: u32,
}

/// What a simulation or a tracer learns as states run. Every method has an
/// empty default; `at_ms` is the execution's clock.
pub(crate) trait Observer {
    /// A state was entered.
    fn state_entered(&mut self, state: StateId, at_ms: i64) {
        let _ = (state, at_ms);
    }
    /// A state was left normally (to its `Next`, or as the end of its block).
    fn state_left(&mut self, state: StateId, entered_ms: i64, at_ms: i64) {
        let _ = (state, entered_ms, at_ms);
    }
    /// A state failed (caught or not; a Fail state counts).
    fn state_failed(&mut self, state: StateId) {
        let _ = state;
    }
    /// A state's Retry fired.
    fn state_retried(&mut self, state: StateId) {
        let _ = state;
    }
    /// Distributed Map `map` started a child execution.
    fn child_started(&mut self, map: MapId) {
        let _ = map;
    }
    /// A child execution of Distributed Map `map` ended (`ok`: it
    /// succeeded) `ms` after it started. Children stopped because their
    /// Map Run failed end without this call.
    fn child_ended(&mut self, map: MapId, ok: bool, ms: i64) {
        let _ = (map, ok, ms);
    }
    /// A Map Run of `map` ended with `failed_items` items failed, over its
    /// tolerance when `exceeded`.
    fn map_run_ended(&mut self, map: MapId, failed_items: u64, exceeded: bool) {
        let _ = (map, failed_items, exceeded);
    }
}

/// How an observer is lent to the VM (it is called from inside a run).
pub(crate) type ObserverCell = std::cell::RefCell<dyn Observer>;

pub(crate) struct Env<'a> {
    pub(crate) obs: Option<&'a ObserverCell>,
    pub(crate) prog: &'a Program,
    pub(crate) handlers: &'a [Arc<dyn TaskHandler>],
    pub(crate) info: &'a ExecInfo,
    pub(crate) now_ms: i64,
    pub(crate) sink: &'a Arc<dyn CompletionSink>,
    pub(crate) key: CompletionKey,
    /// Where tasks wait on task tokens (none: nothing can send one).
    pub(crate) tokens: Option<&'a TaskTokens>,
    /// The history recorder, when history is on (and the fiber records
    /// into the execution's own history).
    pub(crate) hist: Option<&'a crate::history::RecorderCell>,
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_dmap;
#[cfg(test)]
mod tests_fanout;
#[cfg(test)]
mod tests_sizes;
#[cfg(test)]
mod tests_slots;
#[cfg(test)]
mod tests_vars;

/// One SplitMix64 step (the simulation seeds from it too).
pub(crate) use crate::rng::splitmix64;

/// A UUID-shaped name derived from a seed (deterministic), written out by
/// hand (it is built for every execution that reads its own name).
pub(crate) fn pseudo_uuid(seed: u64) -> String {
    let mut s = seed ^ 0x005E_ED0F_57A3_9EDE;
    let (a, b) = (splitmix64(&mut s), splitmix64(&mut s));
    // 32 hex digits: version 4 and variant bits set as RFC 4122 says.
    let hi = (a & 0xffff_ffff_ffff_0fff) | 0x4000;
    let lo = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, nibble) in (0..32)
        .map(|i| {
            if i < 16 {
                (hi >> (60 - 4 * i)) & 15
            } else {
                (lo >> (60 - 4 * (i - 16))) & 15
            }
        })
        .enumerate()
    {
        if matches!(i, 8 | 12 | 16 | 20) {
            out.push('-');
        }
        out.push(HEX[nibble as usize] as char);
    }
    out
}

#[cfg(test)]
mod uuid_tests {
    #[test]
    fn uuid_shape() {
        let u = super::pseudo_uuid(1);
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(u, super::pseudo_uuid(2));
        assert_eq!(u, super::pseudo_uuid(1));
    }
}
