//! The recorder an execution owns while history is on: compact event
//! records in one `Vec`, their text (payloads already serialized, names
//! and resources once each) in one `String`, and per fiber the event its
//! next event follows. JSON is written only when the history is read
//! (`write.rs`).
//!
//! `previousEventId` follows the rules seen in AWS's recordings
//! (`shared/research/ecosystem.md` §4 and the corpus): each fiber chains
//! its own events; the first state of the execution follows event 0; a
//! branch's first event follows `ParallelStateStarted`, an iteration's its
//! `MapIterationStarted`. A finished iteration's `MapIterationSucceeded`
//! and the next `MapIterationStarted` both follow the iteration's last
//! event; `MapStateSucceeded` and the Map's exit both follow the last
//! `MapIterationSucceeded` (a Parallel's, the last branch event). A failed
//! child's `MapIterationFailed` follows its last event, and so does what
//! the Map or Parallel does next (`…StateFailed`, or `…StateStarted` on a
//! retry). `EvaluationFailed` follows what the state's entry followed
//! (a Wait's: the entry itself).

use super::escape::{push_escaped, push_json_escaped};
use super::kind::{split_resource, state_sub, Flavor, Kind};
use crate::bytecode::{Program, StateId, StateType, TaskId};
use crate::json::{Doc, Val};

/// A piece of the recorder's text; `NONE` when absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) len: u32,
}

impl Span {
    pub(crate) const NONE: Span = Span {
        start: u32::MAX,
        len: 0,
    };

    pub(crate) fn is_some(self) -> bool {
        self.start != u32::MAX
    }
}

impl Default for Span {
    fn default() -> Span {
        Span::NONE
    }
}

/// `u32::MAX`: no number.
pub(crate) const NO_NUM: u32 = u32::MAX;

/// One event, 40 bytes; its id is its place in the list plus one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rec {
    /// Clock time, ms since the epoch.
    pub(crate) ts: i64,
    /// Main payload: input / output / parameters / error.
    pub(crate) a: Span,
    /// Second: cause / assigned variables / location.
    pub(crate) b: Span,
    pub(crate) prev: u32,
    /// A state (name) or task (resource) index, by kind.
    pub(crate) id: u32,
    /// Map index or length, a task's timeout.
    pub(crate) num: u32,
    /// A task's heartbeat.
    pub(crate) num2: u32,
    pub(crate) kind: Kind,
    /// The state type, or the task flavour.
    pub(crate) sub: u8,
}

/// Per fiber: what its next event follows, and pending variables.
#[derive(Clone, Copy, Debug)]
struct Mark {
    cursor: u32,
    /// For a Map: what its next `MapIterationStarted` follows.
    trigger: u32,
    /// `assignedVariables` for the next exit (an object's JSON text).
    assigned: Span,
}

const FRESH: Mark = Mark {
    cursor: 0,
    trigger: 0,
    assigned: Span::NONE,
};

/// Names and resources, each written once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TaskText {
    pub(crate) flavor: Flavor,
    pub(crate) rtype: Span,
    pub(crate) resource: Span,
}

/// The events of one execution as they happen.
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    pub(crate) recs: Vec<Rec>,
    pub(crate) text: String,
    pub(crate) names: Vec<Span>,
    pub(crate) tasks: Vec<Option<TaskText>>,
    pub(crate) role_arn: Span,
    pub(crate) region: Span,
    /// The state machine's ARN (Map Run ARNs are made from it).
    machine_arn: Span,
    marks: Vec<Mark>,
}

/// What a fiber's failure was, for its task's result event.
pub(crate) struct Error<'a> {
    pub(crate) error: &'a str,
    pub(crate) cause: &'a str,
}

impl Recorder {
    /// A recorder whose first event is `ExecutionStarted` with `input`.
    pub(crate) fn new(
        start_ms: i64,
        input: &str,
        machine_arn: &str,
        role_arn: &str,
        region: &str,
    ) -> Recorder {
        let mut r = Recorder::default();
        r.role_arn = r.put(role_arn);
        r.region = r.put(region);
        r.machine_arn = r.put(machine_arn);
        let a = r.put(input);
        r.recs.push(Rec {
            ts: start_ms,
            a,
            b: Span::NONE,
            prev: 0,
            id: 0,
            num: NO_NUM,
            num2: NO_NUM,
            kind: Kind::ExecutionStarted,
            sub: 0,
        });
        r
    }

    /// Events so far (the id of the last).
    pub(crate) fn len(&self) -> u32 {
        self.recs.len() as u32
    }

    /// Text as JSON text (e.g. an object), not escaped.
    fn put_raw(&mut self, s: &str) -> Span {
        let start = self.text.len();
        if start + s.len() >= u32::MAX as usize {
            return Span::NONE;
        }
        self.text.push_str(s);
        Span {
            start: start as u32,
            len: s.len() as u32,
        }
    }

    /// A string, kept escaped as the body of a JSON string literal.
    fn put(&mut self, s: &str) -> Span {
        self.finish_span(self.text.len(), |t| push_escaped(s, t))
    }

    /// A value's JSON text, kept escaped as the body of a JSON string literal.
    fn put_json(&mut self, doc: &Doc, v: Val) -> Span {
        self.finish_span(self.text.len(), |t| push_json_escaped(doc, v, t))
    }

    fn finish_span(&mut self, start: usize, write: impl FnOnce(&mut String)) -> Span {
        write(&mut self.text);
        if self.text.len() >= u32::MAX as usize {
            self.text.truncate(start);
            return Span::NONE;
        }
        Span {
            start: start as u32,
            len: (self.text.len() - start) as u32,
        }
    }

    fn put_opt(&mut self, s: &str) -> Span {
        if s.is_empty() {
            Span::NONE
        } else {
            self.put(s)
        }
    }

    fn mark(&mut self, fid: u32) -> &mut Mark {
        let i = fid as usize;
        if self.marks.len() <= i {
            self.marks.resize(i + 1, FRESH);
        }
        &mut self.marks[i]
    }

    fn name(&mut self, prog: &Program, sid: StateId) -> u32 {
        let i = sid.idx();
        if self.names.len() <= i {
            self.names.resize(i + 1, Span::NONE);
        }
        if !self.names[i].is_some() {
            self.names[i] = self.put(&prog.state(sid).name);
        }
        sid.0
    }

    fn task(&mut self, prog: &Program, t: TaskId) -> (u32, u8) {
        let i = t.idx();
        if self.tasks.len() <= i {
            self.tasks.resize(i + 1, None);
        }
        let tt = match self.tasks[i] {
            Some(tt) => tt,
            None => {
                let (flavor, rtype, resource) = split_resource(&prog.tasks[i].resource);
                let tt = TaskText {
                    flavor,
                    rtype: self.put(rtype),
                    resource: self.put(resource),
                };
                self.tasks[i] = Some(tt);
                tt
            }
        };
        (t.0, tt.flavor as u8)
    }

    /// Appends an event after `prev`; returns its id.
    #[allow(clippy::too_many_arguments)]
    fn push_after(
        &mut self,
        prev: u32,
        kind: Kind,
        sub: u8,
        ts: i64,
        id: u32,
        a: Span,
        b: Span,
    ) -> u32 {
        self.recs.push(Rec {
            ts,
            a,
            b,
            prev,
            id,
            num: NO_NUM,
            num2: NO_NUM,
            kind,
            sub,
        });
        self.len()
    }

    /// Appends an event of fiber `fid`, after its last; it becomes its last.
    #[allow(clippy::too_many_arguments)]
    fn push(&mut self, fid: u32, kind: Kind, sub: u8, ts: i64, id: u32, a: Span, b: Span) -> u32 {
        let prev = self.mark(fid).cursor;
        let n = self.push_after(prev, kind, sub, ts, id, a, b);
        self.mark(fid).cursor = n;
        n
    }

    fn set_num(&mut self, num: u32, num2: u32) {
        if let Some(r) = self.recs.last_mut() {
            r.num = num;
            r.num2 = num2;
        }
    }

    /// `<Type>StateEntered`.
    pub(crate) fn entered(
        &mut self,
        prog: &Program,
        fid: u32,
        sid: StateId,
        ts: i64,
        doc: &Doc,
        input: Val,
    ) {
        self.mark(fid).assigned = Span::NONE;
        let id = self.name(prog, sid);
        let a = self.put_json(doc, input);
        let sub = state_sub(prog.state(sid).kind);
        self.push(fid, Kind::StateEntered, sub, ts, id, a, Span::NONE);
    }

    /// `<Type>StateExited`, with the variables the state assigned.
    pub(crate) fn exited(
        &mut self,
        prog: &Program,
        fid: u32,
        sid: StateId,
        ts: i64,
        doc: &Doc,
        output: Val,
    ) {
        let id = self.name(prog, sid);
        let a = self.put_json(doc, output);
        let b = std::mem::replace(&mut self.mark(fid).assigned, Span::NONE);
        let sub = state_sub(prog.state(sid).kind);
        self.push(fid, Kind::StateExited, sub, ts, id, a, b);
    }

    /// Variables an `Assign` set (`values`: an object), for the next exit
    /// (a Choice can assign twice: its own and its rule's).
    pub(crate) fn assigned(&mut self, fid: u32, doc: &Doc, values: Val) {
        let Some(obj) = doc.as_object(values).filter(|o| !o.is_empty()) else {
            return;
        };
        let mut s = String::new();
        let before = self.mark(fid).assigned;
        if before.is_some() {
            let t = &self.text[before.start as usize..(before.start + before.len) as usize];
            s.push_str(&t[..t.len() - 1]);
        } else {
            s.push('{');
        }
        let mut first = !before.is_some() || s.len() == 1;
        let mut value = String::new();
        for (k, v) in obj.iter() {
            if !first {
                s.push(',');
            }
            first = false;
            crate::json::write_str(k, &mut s);
            s.push_str(":\"");
            value.clear();
            push_json_escaped(doc, v, &mut value);
            s.push_str(&value);
            s.push('"');
        }
        s.push('}');
        let span = self.put_raw(&s);
        self.mark(fid).assigned = span;
    }

    /// Drops variables assigned by an attempt that did not finish (a retry, a catch).
    pub(crate) fn clear_assigned(&mut self, fid: u32) {
        self.mark(fid).assigned = Span::NONE;
    }

    /// `TaskScheduled` (or `LambdaFunctionScheduled`, `ActivityScheduled`)
    /// and `…Started`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn task_scheduled(
        &mut self,
        prog: &Program,
        fid: u32,
        t: TaskId,
        ts: i64,
        doc: &Doc,
        params: Val,
        timeout_s: Option<u64>,
        heartbeat_s: Option<u64>,
        role_arn: Option<&str>,
    ) {
        let (id, sub) = self.task(prog, t);
        let a = self.put_json(doc, params);
        let b = role_arn.map_or(Span::NONE, |r| self.put(r));
        self.push(fid, Kind::TaskScheduled, sub, ts, id, a, b);
        let num = |s: Option<u64>| s.map_or(NO_NUM, |s| u32::try_from(s).unwrap_or(NO_NUM - 1));
        self.set_num(num(timeout_s), num(heartbeat_s));
        self.push(fid, Kind::TaskStarted, sub, ts, id, Span::NONE, Span::NONE);
    }

    /// `TaskSubmitted` (a `.sync` or `.waitForTaskToken` integration).
    pub(crate) fn task_submitted(&mut self, prog: &Program, fid: u32, t: TaskId, ts: i64) {
        let (id, sub) = self.task(prog, t);
        self.push(
            fid,
            Kind::TaskSubmitted,
            sub,
            ts,
            id,
            Span::NONE,
            Span::NONE,
        );
    }

    /// `TaskSucceeded` (or the Lambda / activity one).
    pub(crate) fn task_succeeded(
        &mut self,
        prog: &Program,
        fid: u32,
        t: TaskId,
        ts: i64,
        doc: &Doc,
        output: Val,
    ) {
        let (id, sub) = self.task(prog, t);
        let a = self.put_json(doc, output);
        self.push(fid, Kind::TaskSucceeded, sub, ts, id, a, Span::NONE);
    }

    /// `TaskFailed`, or `TaskTimedOut` for `States.Timeout` and
    /// `States.HeartbeatTimeout` (or the Lambda / activity ones).
    pub(crate) fn task_failed(
        &mut self,
        prog: &Program,
        fid: u32,
        t: TaskId,
        ts: i64,
        e: Error<'_>,
    ) {
        let (id, sub) = self.task(prog, t);
        let kind = if matches!(e.error, "States.Timeout" | "States.HeartbeatTimeout") {
            Kind::TaskTimedOut
        } else {
            Kind::TaskFailed
        };
        let a = self.put_opt(e.error);
        let b = self.put_opt(e.cause);
        self.push(fid, kind, sub, ts, id, a, b);
    }

    /// An event with no details on fiber `fid` (`ParallelStateStarted`,
    /// `MapStateFailed` …).
    pub(crate) fn plain(&mut self, fid: u32, kind: Kind, ts: i64) -> u32 {
        let n = self.push(fid, kind, 0, ts, 0, Span::NONE, Span::NONE);
        if kind == Kind::ParallelStateStarted {
            self.mark(fid).trigger = n;
        }
        n
    }

    /// `MapStateStarted` with the number of items.
    pub(crate) fn map_started(&mut self, fid: u32, ts: i64, length: usize) {
        let n = self.push(fid, Kind::MapStateStarted, 0, ts, 0, Span::NONE, Span::NONE);
        self.set_num(u32::try_from(length).unwrap_or(NO_NUM - 1), NO_NUM);
        self.mark(fid).trigger = n;
    }

    /// `MapStateSucceeded` / `ParallelStateSucceeded`: after the fiber's
    /// last event, which stays its last.
    pub(crate) fn join_succeeded(
        &mut self,
        fid: u32,
        kind: Kind,
        ts: i64,
        after: Option<u32>,
    ) -> u32 {
        let prev = after.unwrap_or(self.mark(fid).cursor);
        self.push_after(prev, kind, 0, ts, 0, Span::NONE, Span::NONE)
    }

    /// `MapRunStarted` of a Distributed Map, with a Map Run ARN made as AWS
    /// makes them: `…:mapRun:MACHINE/LABEL:ID` (`LABEL`: the Map's `Label`,
    /// else its state name).
    pub(crate) fn map_run_started(&mut self, fid: u32, label: &str, ts: i64, id: &str) {
        let arn = self.text[self.machine_arn.start as usize..][..self.machine_arn.len as usize]
            .replacen(":stateMachine:", ":mapRun:", 1);
        let start = self.text.len();
        self.text.push_str(&arn);
        self.text.push('/');
        let a = self.finish_span(start, |t| {
            push_escaped(label, t);
            t.push(':');
            t.push_str(id);
        });
        self.push(fid, Kind::MapRunStarted, 0, ts, 0, a, Span::NONE);
    }

    /// A child of fiber `pid` starts as fiber `cid`: an iteration of Map
    /// state `map` (its `MapIterationStarted`), or a branch (`None`).
    pub(crate) fn child_started(
        &mut self,
        prog: &Program,
        pid: u32,
        cid: u32,
        map: Option<(StateId, u32)>,
        ts: i64,
    ) {
        let start = match map {
            Some((sid, index)) => {
                let id = self.name(prog, sid);
                let prev = self.mark(pid).trigger;
                let n = self.push_after(
                    prev,
                    Kind::MapIterationStarted,
                    0,
                    ts,
                    id,
                    Span::NONE,
                    Span::NONE,
                );
                self.set_num(index, NO_NUM);
                n
            }
            None => self.mark(pid).trigger,
        };
        *self.mark(cid) = Mark {
            cursor: start,
            ..FRESH
        };
    }

    /// Child `cid` of `pid` ended: an iteration's `MapIterationSucceeded`
    /// or `…Failed` (`map`), or a branch.
    pub(crate) fn child_ended(
        &mut self,
        prog: &Program,
        pid: u32,
        cid: u32,
        map: Option<(StateId, u32)>,
        ok: bool,
        ts: i64,
    ) {
        let last = self.mark(cid).cursor;
        let mut cursor = last;
        if let Some((sid, index)) = map {
            let id = self.name(prog, sid);
            let kind = if ok {
                Kind::MapIterationSucceeded
            } else {
                Kind::MapIterationFailed
            };
            let n = self.push_after(last, kind, 0, ts, id, Span::NONE, Span::NONE);
            self.set_num(index, NO_NUM);
            if ok {
                cursor = n;
            }
        }
        let m = self.mark(pid);
        m.cursor = cursor;
        m.trigger = last;
    }

    /// `<Type>StateAborted` for fiber `fid`, in state `sid`, stopped because
    /// its Parallel failed.
    pub(crate) fn aborted(&mut self, prog: &Program, fid: u32, sid: StateId, ts: i64) {
        let prev = self.mark(fid).cursor;
        let sub = state_sub(prog.state(sid).kind);
        self.push_after(
            prev,
            Kind::StateAborted,
            sub,
            ts,
            sid.0,
            Span::NONE,
            Span::NONE,
        );
    }

    /// `EvaluationFailed` of state `sid` (entered at event `entered`).
    pub(crate) fn evaluation_failed(
        &mut self,
        prog: &Program,
        fid: u32,
        sid: StateId,
        entered: u64,
        ts: i64,
        e: Error<'_>,
    ) {
        let st = prog.state(sid);
        let prev = match (st.kind, self.recs.get((entered as usize).wrapping_sub(1))) {
            (StateType::Wait, _) | (_, None) => self.mark(fid).cursor,
            (_, Some(r)) => r.prev,
        };
        let id = self.name(prog, sid);
        let a = self.put_opt(e.error);
        let b = self.put_opt(e.cause);
        let n = self.push_after(prev, Kind::EvaluationFailed, 0, ts, id, a, b);
        self.mark(fid).cursor = n;
    }

    /// `ExecutionSucceeded` with the output text.
    pub(crate) fn execution_succeeded(&mut self, fid: u32, ts: i64, output: &str) {
        let a = self.put(output);
        self.push(fid, Kind::ExecutionSucceeded, 0, ts, 0, a, Span::NONE);
    }

    /// `ExecutionFailed` after fiber `fid`'s last event (`None`: after the
    /// last event of all).
    pub(crate) fn execution_failed(&mut self, fid: Option<u32>, ts: i64, e: Error<'_>) {
        let prev = match fid {
            Some(f) => self.mark(f).cursor,
            None => self.len(),
        };
        let a = self.put_opt(e.error);
        let b = self.put_opt(e.cause);
        self.push_after(prev, Kind::ExecutionFailed, 0, ts, 0, a, b);
    }

    /// `ExecutionTimedOut`, after the last event of all.
    pub(crate) fn execution_timed_out(&mut self, ts: i64) {
        let prev = self.len();
        self.push_after(
            prev,
            Kind::ExecutionTimedOut,
            0,
            ts,
            0,
            Span::NONE,
            Span::NONE,
        );
    }
}
