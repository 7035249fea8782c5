//! A finished execution's [`History`], written as GetExecutionHistory's
//! JSON only when it is read: payloads as JSON strings with
//! `…Details: {"truncated": false}`, timestamps as epoch seconds (the wire
//! form of the API), ids and `previousEventId` as recorded.

use super::kind::{type_name, Flavor, Kind};
use super::record::{Rec, Recorder, Span, NO_NUM};
use std::fmt::Write;

/// The events of one execution, in the shapes of AWS's
/// `GetExecutionHistory` (recorded when [`crate::RunOptions::history`] is set).
#[derive(Clone, Debug)]
pub struct History(Box<Inner>);

#[derive(Clone, Debug)]
struct Inner {
    recs: Vec<super::record::Rec>,
    text: String,
    names: Vec<Span>,
    tasks: Vec<Option<super::record::TaskText>>,
    role_arn: Span,
    region: Span,
}

/// One event of a [`History`].
#[derive(Clone, Copy, Debug)]
pub struct HistoryEvent<'h> {
    h: &'h Inner,
    i: usize,
}

impl History {
    pub(crate) fn from_recorder(r: Recorder) -> History {
        History(Box::new(Inner {
            recs: r.recs,
            text: r.text,
            names: r.names,
            tasks: r.tasks,
            role_arn: r.role_arn,
            region: r.region,
        }))
    }

    /// Number of events (the id of the last one).
    pub fn len(&self) -> usize {
        self.0.recs.len()
    }

    /// Whether there are no events (never: the first is `ExecutionStarted`).
    pub fn is_empty(&self) -> bool {
        self.0.recs.is_empty()
    }

    /// The events in id order.
    pub fn events(&self) -> impl Iterator<Item = HistoryEvent<'_>> + '_ {
        (0..self.0.recs.len()).map(|i| HistoryEvent { h: &self.0, i })
    }

    /// Bytes of memory the history holds (records and text).
    pub fn bytes_held(&self) -> usize {
        let h = &self.0;
        h.recs.capacity() * std::mem::size_of::<Rec>()
            + h.text.capacity()
            + h.names.capacity() * std::mem::size_of::<Span>()
            + h.tasks.capacity() * std::mem::size_of::<Option<super::record::TaskText>>()
    }

    /// `{"events":[…]}`: GetExecutionHistory's response.
    pub fn to_json(&self) -> String {
        let mut s = String::with_capacity(self.0.text.len() * 2 + self.len() * 160);
        s.push_str("{\"events\":");
        self.write_events(&mut s);
        s.push('}');
        s
    }

    /// Appends the JSON array of the events to `out`.
    pub fn write_events(&self, out: &mut String) {
        out.push('[');
        for (n, e) in self.events().enumerate() {
            if n > 0 {
                out.push(',');
            }
            e.write_json(out);
        }
        out.push(']');
    }

    /// `{"events":[…]}` as a `serde_json` value.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::from_str(&self.to_json()).unwrap_or(serde_json::Value::Null)
    }
}

impl<'h> HistoryEvent<'h> {
    fn rec(&self) -> &'h Rec {
        &self.h.recs[self.i]
    }

    /// `id` (from 1).
    pub fn id(&self) -> u64 {
        self.i as u64 + 1
    }

    /// `previousEventId` (0: none).
    pub fn previous_event_id(&self) -> u64 {
        u64::from(self.rec().prev)
    }

    /// `type`, e.g. `"PassStateEntered"`.
    pub fn event_type(&self) -> &'static str {
        let r = self.rec();
        type_name(r.kind, r.sub)
    }

    /// `timestamp` on the execution's clock, in ms since the Unix epoch.
    pub fn timestamp_ms(&self) -> i64 {
        self.rec().ts
    }

    fn text(&self, s: Span) -> Option<&'h str> {
        s.is_some()
            .then(|| &self.h.text[s.start as usize..(s.start + s.len) as usize])
    }

    fn name(&self) -> &'h str {
        let r = self.rec();
        self.h
            .names
            .get(r.id as usize)
            .and_then(|&s| self.text(s))
            .unwrap_or("")
    }

    fn task(&self) -> (&'h str, &'h str) {
        let r = self.rec();
        match self.h.tasks.get(r.id as usize).copied().flatten() {
            Some(t) => (
                self.text(t.rtype).unwrap_or(""),
                self.text(t.resource).unwrap_or(""),
            ),
            None => ("", ""),
        }
    }

    /// The event as one JSON object.
    pub fn to_json(&self) -> String {
        let mut s = String::new();
        self.write_json(&mut s);
        s
    }

    /// Appends the event as one JSON object to `out`.
    pub fn write_json(&self, out: &mut String) {
        let r = self.rec();
        out.push_str("{\"timestamp\":");
        write_seconds(r.ts, out);
        out.push_str(",\"type\":\"");
        out.push_str(self.event_type());
        let _ = write!(
            out,
            "\",\"id\":{},\"previousEventId\":{}",
            self.id(),
            r.prev
        );
        let mut d = Details::open(out, details_key(r.kind, r.sub));
        self.details(&mut d);
        d.close();
        out.push('}');
    }

    fn details(&self, d: &mut Details<'_>) {
        use Kind as K;
        let r = *self.rec();
        let flavor = Flavor::from_u8(r.sub);
        match r.kind {
            K::ExecutionStarted => {
                d.payload("input", self.text(r.a));
                d.str("roleArn", self.text(self.h.role_arn));
            }
            K::ExecutionSucceeded => d.payload("output", self.text(r.a)),
            K::ExecutionFailed | K::ExecutionTimedOut => {
                d.str("error", self.text(r.a));
                d.str("cause", self.text(r.b));
            }
            K::StateEntered => {
                d.str("name", Some(self.name()));
                d.payload("input", self.text(r.a));
            }
            K::StateExited => {
                d.str("name", Some(self.name()));
                d.payload("output", self.text(r.a));
                if let Some(vars) = self.text(r.b) {
                    d.raw("assignedVariables", vars);
                    d.raw("assignedVariablesDetails", "{\"truncated\":false}");
                }
            }
            K::TaskScheduled => {
                let (rtype, resource) = self.task();
                match flavor {
                    Flavor::Service => {
                        d.str("resourceType", Some(rtype));
                        d.str("resource", Some(resource));
                        d.str("region", self.text(self.h.region));
                        d.str("parameters", self.text(r.a));
                    }
                    Flavor::Lambda | Flavor::Activity => {
                        d.str("resource", Some(resource));
                        d.payload("input", self.text(r.a));
                    }
                }
                d.num("timeoutInSeconds", r.num);
                if flavor != Flavor::Lambda {
                    d.num("heartbeatInSeconds", r.num2);
                }
                if let Some(role) = self.text(r.b) {
                    d.raw("taskCredentials", &format!("{{\"roleArn\":\"{role}\"}}"));
                }
            }
            K::TaskStarted | K::TaskSubmitted => {
                if flavor == Flavor::Service {
                    let (rtype, resource) = self.task();
                    d.str("resourceType", Some(rtype));
                    d.str("resource", Some(resource));
                }
            }
            K::TaskSucceeded => {
                if flavor == Flavor::Service {
                    let (rtype, resource) = self.task();
                    d.str("resourceType", Some(rtype));
                    d.str("resource", Some(resource));
                }
                d.payload("output", self.text(r.a));
            }
            K::TaskFailed | K::TaskTimedOut => {
                if flavor == Flavor::Service {
                    let (rtype, resource) = self.task();
                    d.str("resourceType", Some(rtype));
                    d.str("resource", Some(resource));
                }
                d.str("error", self.text(r.a));
                d.str("cause", self.text(r.b));
            }
            K::MapStateStarted => d.num("length", r.num),
            K::MapIterationStarted | K::MapIterationSucceeded | K::MapIterationFailed => {
                d.str("name", Some(self.name()));
                d.num("index", r.num);
            }
            K::EvaluationFailed => {
                d.str("error", self.text(r.a));
                d.str("cause", self.text(r.b));
                if let Some(l) = self.text(r.b).and_then(location) {
                    d.str("location", Some(l));
                }
                d.str("state", Some(self.name()));
            }
            K::MapRunStarted => d.str("mapRunArn", self.text(r.a)),
            K::StateAborted
            | K::MapStateSucceeded
            | K::MapStateFailed
            | K::ParallelStateStarted
            | K::ParallelStateSucceeded
            | K::ParallelStateFailed
            | K::MapRunSucceeded => {}
        }
    }
}

/// The field an `EvaluationFailed` cause names: `… specified for the field
/// 'Assign/result' …`, or `The Timestamp field cannot …`.
fn location(cause: &str) -> Option<&str> {
    if let Some(at) = cause.find("for the field '") {
        let rest = &cause[at + "for the field '".len()..];
        return rest.find('\'').map(|end| &rest[..end]);
    }
    let body = cause.split_once("). ").map_or(cause, |(_, b)| b);
    let rest = body.strip_prefix("The ")?;
    let (field, tail) = rest.split_once(' ')?;
    tail.starts_with("field ").then_some(field)
}

/// The details object's key, or `None` for an event without details.
fn details_key(kind: Kind, sub: u8) -> Option<&'static str> {
    use Kind as K;
    let flavor = Flavor::from_u8(sub);
    let by_flavor = |service, lambda, activity| match flavor {
        Flavor::Service => Some(service),
        Flavor::Lambda => Some(lambda),
        Flavor::Activity => Some(activity),
    };
    match kind {
        K::ExecutionStarted => Some("executionStartedEventDetails"),
        K::ExecutionSucceeded => Some("executionSucceededEventDetails"),
        K::ExecutionFailed => Some("executionFailedEventDetails"),
        K::ExecutionTimedOut => Some("executionTimedOutEventDetails"),
        K::StateEntered => Some("stateEnteredEventDetails"),
        K::StateExited => Some("stateExitedEventDetails"),
        K::TaskScheduled => by_flavor(
            "taskScheduledEventDetails",
            "lambdaFunctionScheduledEventDetails",
            "activityScheduledEventDetails",
        ),
        K::TaskStarted => (flavor == Flavor::Service).then_some("taskStartedEventDetails"),
        K::TaskSubmitted => Some("taskSubmittedEventDetails"),
        K::TaskSucceeded => by_flavor(
            "taskSucceededEventDetails",
            "lambdaFunctionSucceededEventDetails",
            "activitySucceededEventDetails",
        ),
        K::TaskFailed => by_flavor(
            "taskFailedEventDetails",
            "lambdaFunctionFailedEventDetails",
            "activityFailedEventDetails",
        ),
        K::TaskTimedOut => by_flavor(
            "taskTimedOutEventDetails",
            "lambdaFunctionTimedOutEventDetails",
            "activityTimedOutEventDetails",
        ),
        K::MapStateStarted => Some("mapStateStartedEventDetails"),
        K::MapIterationStarted => Some("mapIterationStartedEventDetails"),
        K::MapIterationSucceeded => Some("mapIterationSucceededEventDetails"),
        K::MapIterationFailed => Some("mapIterationFailedEventDetails"),
        K::EvaluationFailed => Some("evaluationFailedEventDetails"),
        K::MapRunStarted => Some("mapRunStartedEventDetails"),
        _ => None,
    }
}

/// A details object being written (nothing at all when it has no key).
struct Details<'o> {
    out: &'o mut String,
    open: bool,
    first: bool,
}

impl<'o> Details<'o> {
    fn open(out: &'o mut String, key: Option<&str>) -> Details<'o> {
        if let Some(k) = key {
            out.push_str(",\"");
            out.push_str(k);
            out.push_str("\":{");
        }
        Details {
            out,
            open: key.is_some(),
            first: true,
        }
    }

    fn key(&mut self, k: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        self.out.push_str(k);
        self.out.push_str("\":");
    }

    fn raw(&mut self, k: &str, json: &str) {
        if self.open {
            self.key(k);
            self.out.push_str(json);
        }
    }

    /// A string kept escaped (the recorder's text).
    fn str(&mut self, k: &str, v: Option<&str>) {
        if let (true, Some(v)) = (self.open, v) {
            self.key(k);
            self.out.push('"');
            self.out.push_str(v);
            self.out.push('"');
        }
    }

    /// A payload and its `…Details` (`inputDetails` for `input`, …).
    fn payload(&mut self, k: &str, v: Option<&str>) {
        if !self.open {
            return;
        }
        self.str(k, v);
        let details = match k {
            "input" => "inputDetails",
            _ => "outputDetails",
        };
        self.key(details);
        // GetExecutionHistory: "truncated … Always false for API calls."
        self.out.push_str("{\"truncated\":");
        self.out
            .push_str(if v.is_some() { "false" } else { "true" });
        self.out.push('}');
    }

    fn num(&mut self, k: &str, n: u32) {
        if self.open && n != NO_NUM {
            self.key(k);
            let _ = write!(self.out, "{n}");
        }
    }

    fn close(self) {
        if self.open {
            self.out.push('}');
        }
    }
}

/// Epoch milliseconds as seconds, e.g. `1710087735.25`.
fn write_seconds(ms: i64, out: &mut String) {
    let (s, frac) = (ms.div_euclid(1000), ms.rem_euclid(1000));
    if frac == 0 {
        let _ = write!(out, "{s}");
    } else {
        let f = format!("{frac:03}");
        let _ = write!(out, "{s}.{}", f.trim_end_matches('0'));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_with_milliseconds() {
        let mut s = String::new();
        write_seconds(1_710_087_735_250, &mut s);
        assert_eq!(s, "1710087735.25");
        s.clear();
        write_seconds(5_000, &mut s);
        assert_eq!(s, "5");
        s.clear();
        write_seconds(-1, &mut s);
        assert_eq!(s, "-1.999");
    }

    #[test]
    fn locations_from_causes() {
        assert_eq!(
            location("An error occurred while executing the state 'S' (entered at the event id #2). The JSONata expression '$x' specified for the field 'Assign/result' returned nothing (undefined)."),
            Some("Assign/result")
        );
        assert_eq!(
            location("An error occurred while executing the state 'W' (entered at the event id #2). The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: x"),
            Some("Timestamp")
        );
        assert_eq!(location("The function failed"), None);
    }
}
