//! What the server keeps: state machines (each with its compiled forms),
//! executions (bounded: the oldest finished ones are dropped past a count
//! and past a byte budget),
//! activities and tags. Plain maps behind short locks; nothing here
//! blocks on the engine.

use stampede::{MachineType, Outcome, Status};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

/// Seconds since the epoch, with milliseconds (the wire's timestamps).
pub(crate) fn now_secs() -> f64 {
    stampede::now_ms() as f64 / 1000.0
}

/// One version of a state machine, as an execution started it.
#[derive(Debug)]
pub(crate) struct MachineVersion {
    /// Its ARN.
    pub(crate) arn: String,
    /// Its name.
    pub(crate) name: String,
    /// The definition text.
    pub(crate) definition: String,
    /// The role ARN.
    pub(crate) role_arn: String,
    /// STANDARD or EXPRESS.
    pub(crate) kind: MachineType,
    /// When this version was made (creation or last update).
    pub(crate) updated: f64,
    /// A counter of updates, the revision id.
    pub(crate) revision: u64,
    /// Compiled without mocks.
    pub(crate) compiled: stampede::Machine,
    /// Compiled for each MockConfigFile test case started so far.
    pub(crate) cases: Mutex<HashMap<String, stampede::Machine>>,
}

/// A state machine: its current version and creation date.
#[derive(Debug, Clone)]
pub(crate) struct MachineRec {
    /// The current version.
    pub(crate) current: Arc<MachineVersion>,
    /// When it was created.
    pub(crate) created: f64,
}

/// The status of an execution on the wire.
pub(crate) fn status_name(s: Option<Status>) -> &'static str {
    s.map_or("RUNNING", Status::as_str)
}

/// One execution.
#[derive(Debug)]
pub(crate) struct ExecRec {
    /// Its ARN.
    pub(crate) arn: String,
    /// Its name.
    pub(crate) name: String,
    /// The machine version it runs.
    pub(crate) machine: Arc<MachineVersion>,
    /// Its input text.
    pub(crate) input: String,
    /// `None` while running.
    pub(crate) status: Option<Status>,
    /// Start time (s).
    pub(crate) start: f64,
    /// Stop time (s), once ended.
    pub(crate) stop: Option<f64>,
    /// Output, error, cause, once ended.
    pub(crate) output: Option<String>,
    /// Error name.
    pub(crate) error: Option<String>,
    /// Cause.
    pub(crate) cause: Option<String>,
    /// The engine's id of it (for StopExecution); 0 until it has one.
    pub(crate) engine_id: u64,
    /// Order of start, for listing newest first and paging.
    pub(crate) seq: u64,
    /// The trace header it was started with.
    pub(crate) trace_header: Option<String>,
    /// Its history, once the engine handed it over (at the end).
    pub(crate) history: Option<Arc<stampede::History>>,
    /// The engine id of the execution whose `.sync` task started it and
    /// waits for it (stopping that one stops this one, as AWS does).
    pub(crate) parent: Option<u64>,
    /// Bytes counted against the ended executions' budget (0 while running).
    pub(crate) bytes: usize,
}

impl ExecRec {
    /// About what an ended execution holds: its texts, its history and its
    /// record, with its ARN counted once per index that keys it.
    fn bytes_held(&self) -> usize {
        let opt = |s: &Option<String>| s.as_ref().map_or(0, String::capacity);
        std::mem::size_of::<ExecRec>()
            + 4 * self.arn.len()
            + self.name.capacity()
            + self.input.capacity()
            + opt(&self.output)
            + opt(&self.error)
            + opt(&self.cause)
            + opt(&self.trace_header)
            + self.history.as_ref().map_or(0, |h| h.bytes_held())
    }
}

#[derive(Debug, Default)]
struct Executions {
    by_arn: HashMap<String, ExecRec>,
    /// Per machine ARN: (seq, execution ARN) in start order.
    by_machine: HashMap<String, Vec<(u64, String)>>,
    /// Ended executions, oldest first (the ones dropped past the cap).
    ended: VecDeque<String>,
    /// What the ended ones hold ([`ExecRec::bytes`] summed).
    ended_bytes: usize,
    next_seq: u64,
    running: usize,
    /// Per parent engine id: its running `.sync` children.
    children: HashMap<u64, Vec<String>>,
}

/// An activity.
#[derive(Debug, Clone)]
pub(crate) struct Activity {
    /// Its ARN.
    pub(crate) arn: String,
    /// Its name.
    pub(crate) name: String,
    /// When it was created.
    pub(crate) created: f64,
}

/// Everything the server keeps.
#[derive(Debug)]
pub(crate) struct Store {
    machines: RwLock<BTreeMap<String, MachineRec>>,
    executions: Mutex<Executions>,
    activities: RwLock<BTreeMap<String, Activity>>,
    tags: Mutex<HashMap<String, Vec<(String, String)>>>,
    max_ended: usize,
    max_ended_bytes: usize,
    max_running: usize,
}

/// Why an execution could not be recorded.
#[derive(Debug, PartialEq)]
pub(crate) enum Conflict {
    /// Same name, still running, same input: AWS answers with the first start.
    Same {
        /// Its start time.
        start: f64,
    },
    /// Same name, and ended or with another input.
    Exists,
    /// Too many executions running.
    Limit,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Store {
    /// An empty store keeping at most `max_ended` ended executions holding
    /// at most `max_ended_bytes` together (the newest is always kept), and
    /// allowing `max_running` at once.
    pub(crate) fn new(max_ended: usize, max_ended_bytes: usize, max_running: usize) -> Store {
        Store {
            machines: RwLock::default(),
            executions: Mutex::default(),
            activities: RwLock::default(),
            tags: Mutex::default(),
            max_ended,
            max_ended_bytes,
            max_running,
        }
    }

    /// The state machine `arn`.
    pub(crate) fn machine(&self, arn: &str) -> Option<MachineRec> {
        self.machines
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(arn)
            .cloned()
    }

    /// Adds a state machine unless one has its ARN: then returns that one.
    pub(crate) fn add_machine(&self, rec: MachineRec) -> Result<(), MachineRec> {
        let mut m = self
            .machines
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(old) = m.get(&rec.current.arn) {
            return Err(old.clone());
        }
        m.insert(rec.current.arn.clone(), rec);
        Ok(())
    }

    /// Replaces the current version of a state machine; false if it is gone.
    pub(crate) fn update_machine(&self, version: Arc<MachineVersion>) -> bool {
        let mut m = self
            .machines
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        match m.get_mut(&version.arn) {
            Some(rec) => {
                rec.current = version;
                true
            }
            None => false,
        }
    }

    /// Deletes a state machine (its executions stay, as AWS keeps them).
    pub(crate) fn delete_machine(&self, arn: &str) {
        self.machines
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(arn);
        lock(&self.tags).remove(arn);
    }

    /// Up to `n` state machines after `after` (by ARN), and whether more follow.
    pub(crate) fn machines_page(&self, after: Option<&str>, n: usize) -> (Vec<MachineRec>, bool) {
        let m = self.machines.read().unwrap_or_else(PoisonError::into_inner);
        page(&m, after, n)
    }

    /// Records a new execution, running; `Conflict` when its ARN is taken or
    /// too many run. Returns its sequence number.
    pub(crate) fn add_execution(&self, rec: ExecRec) -> Result<u64, Conflict> {
        let mut e = lock(&self.executions);
        if let Some(old) = e.by_arn.get(&rec.arn) {
            return Err(if old.status.is_none() && old.input == rec.input {
                Conflict::Same { start: old.start }
            } else {
                Conflict::Exists
            });
        }
        if e.running >= self.max_running {
            return Err(Conflict::Limit);
        }
        let seq = e.next_seq;
        e.next_seq += 1;
        e.running += 1;
        e.by_machine
            .entry(rec.machine.arn.clone())
            .or_default()
            .push((seq, rec.arn.clone()));
        let arn = rec.arn.clone();
        if let Some(p) = rec.parent {
            e.children.entry(p).or_default().push(arn.clone());
        }
        e.by_arn.insert(arn, ExecRec { seq, ..rec });
        Ok(seq)
    }

    /// Notes the engine's id of a running execution.
    pub(crate) fn set_engine_id(&self, arn: &str, id: u64) {
        if let Some(r) = lock(&self.executions).by_arn.get_mut(arn) {
            r.engine_id = id;
        }
    }

    /// Ends a running execution with `outcome` (ignored if it already
    /// ended, e.g. stopped, but for its history); drops the oldest ended
    /// ones past the cap, their histories with them.
    pub(crate) fn finish(&self, arn: &str, outcome: &mut Outcome, at: f64) {
        let mut e = lock(&self.executions);
        let Some(r) = e.by_arn.get_mut(arn) else {
            return;
        };
        if r.history.is_none() {
            r.history = outcome.history.take().map(Arc::new);
        }
        if r.status.is_some() {
            // Stopped before: its history came now, and counts now.
            let (before, now) = (r.bytes, r.bytes_held());
            r.bytes = now;
            e.ended_bytes = e.ended_bytes - before + now;
            self.evict(&mut e);
            return;
        }
        r.status = Some(outcome.status);
        r.stop = Some(at);
        r.output.clone_from(&outcome.output);
        r.error.clone_from(&outcome.error);
        r.cause.clone_from(&outcome.cause);
        self.ended(&mut e, arn);
    }

    /// Stops a running execution: ABORTED now; returns the engine id to
    /// abort and the stop date (an ended one keeps its own).
    pub(crate) fn stop(
        &self,
        arn: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Option<(Option<u64>, f64)> {
        let mut e = lock(&self.executions);
        let r = e.by_arn.get_mut(arn)?;
        if r.status.is_some() {
            return Some((None, r.stop.unwrap_or(r.start)));
        }
        let at = now_secs();
        r.status = Some(Status::Aborted);
        r.stop = Some(at);
        r.error = error.map(str::to_owned);
        r.cause = cause.map(str::to_owned);
        let id = r.engine_id;
        self.ended(&mut e, arn);
        Some((Some(id), at))
    }

    /// The running `.sync` children of the execution with engine id `parent`.
    pub(crate) fn sync_children(&self, parent: u64) -> Vec<String> {
        lock(&self.executions)
            .children
            .get(&parent)
            .cloned()
            .unwrap_or_default()
    }

    fn ended(&self, e: &mut Executions, arn: &str) {
        e.running = e.running.saturating_sub(1);
        if let Some(r) = e.by_arn.get_mut(arn) {
            r.bytes = r.bytes_held();
            e.ended_bytes += r.bytes;
        }
        if let Some(p) = e.by_arn.get(arn).and_then(|r| r.parent) {
            if let Some(v) = e.children.get_mut(&p) {
                v.retain(|a| a != arn);
                if v.is_empty() {
                    e.children.remove(&p);
                }
            }
        }
        e.ended.push_back(arn.to_owned());
        self.evict(e);
    }

    /// Drops the oldest ended executions past the count or the byte budget.
    fn evict(&self, e: &mut Executions) {
        while e.ended.len() > self.max_ended
            || (e.ended_bytes > self.max_ended_bytes && e.ended.len() > 1)
        {
            let Some(old) = e.ended.pop_front() else {
                break;
            };
            if let Some(r) = e.by_arn.remove(&old) {
                e.ended_bytes -= r.bytes;
                if let Some(v) = e.by_machine.get_mut(&r.machine.arn) {
                    if let Ok(i) = v.binary_search_by_key(&r.seq, |(s, _)| *s) {
                        v.remove(i);
                    }
                }
            }
        }
    }

    /// Reads an execution.
    pub(crate) fn with_execution<T>(&self, arn: &str, f: impl FnOnce(&ExecRec) -> T) -> Option<T> {
        lock(&self.executions).by_arn.get(arn).map(f)
    }

    /// Up to `n` executions of `machine`, newest first, starting below
    /// sequence number `before`, with `filter`'s status; and the sequence
    /// number to go on from, when more follow.
    pub(crate) fn executions_page<T>(
        &self,
        machine: &str,
        filter: Option<&str>,
        before: Option<u64>,
        n: usize,
        shape: impl Fn(&ExecRec) -> T,
    ) -> (Vec<T>, Option<u64>) {
        let e = lock(&self.executions);
        let Some(list) = e.by_machine.get(machine) else {
            return (Vec::new(), None);
        };
        let mut out = Vec::new();
        for (seq, arn) in list.iter().rev() {
            if before.is_some_and(|b| *seq >= b) {
                continue;
            }
            let Some(r) = e.by_arn.get(arn) else { continue };
            if filter.is_some_and(|f| f != status_name(r.status)) {
                continue;
            }
            if out.len() == n {
                return (out, Some(*seq + 1));
            }
            out.push(shape(r));
        }
        (out, None)
    }

    /// The activity `arn`.
    pub(crate) fn activity(&self, arn: &str) -> Option<Activity> {
        self.activities
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(arn)
            .cloned()
    }

    /// Adds an activity, or returns the one with its ARN.
    pub(crate) fn add_activity(&self, a: Activity) -> Activity {
        let mut m = self
            .activities
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        m.entry(a.arn.clone()).or_insert(a).clone()
    }

    /// Deletes an activity.
    pub(crate) fn delete_activity(&self, arn: &str) {
        self.activities
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(arn);
        lock(&self.tags).remove(arn);
    }

    /// Up to `n` activities after `after`, and whether more follow.
    pub(crate) fn activities_page(&self, after: Option<&str>, n: usize) -> (Vec<Activity>, bool) {
        let m = self
            .activities
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        page(&m, after, n)
    }

    /// The tags of a resource.
    pub(crate) fn tags(&self, arn: &str) -> Vec<(String, String)> {
        lock(&self.tags).get(arn).cloned().unwrap_or_default()
    }

    /// Sets the tags of a resource (the caller merged them).
    pub(crate) fn set_tags(&self, arn: &str, tags: Vec<(String, String)>) {
        lock(&self.tags).insert(arn.to_owned(), tags);
    }
}

fn page<T: Clone>(m: &BTreeMap<String, T>, after: Option<&str>, n: usize) -> (Vec<T>, bool) {
    use std::ops::Bound;
    let lower = after.map_or(Bound::Unbounded, |a| Bound::Excluded(a.to_owned()));
    let mut it = m.range((lower, Bound::Unbounded)).map(|(_, v)| v.clone());
    let items: Vec<T> = it.by_ref().take(n).collect();
    let more = it.next().is_some();
    (items, more)
}
